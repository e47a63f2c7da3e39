//! Minimal, valid Word (`.docx`) and OpenDocument (`.odt`) files built in memory, for tests of
//! the office readers: one paragraph per string, `\t` written as a tab element and `\n` as a
//! line-break element. The packaging (zip, content types, manifest) is the corpus generator's
//! (`qualkit::bench::formats`).

#![allow(dead_code)]

use std::fmt::Write as _;

use qualkit::bench::formats::{docx as docx_package, escape_xml as escape, odt as odt_package};

/// A minimal `.docx` with one paragraph per string (an empty string is an empty paragraph).
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        if paragraph.is_empty() {
            body.push_str("<w:p/>");
            continue;
        }
        body.push_str("<w:p><w:r>");
        let mut run = String::new();
        for c in paragraph.chars() {
            let element = match c {
                '\t' => "<w:tab/>",
                '\n' => "<w:br/>",
                c => {
                    run.push(c);
                    continue;
                }
            };
            if !run.is_empty() {
                let _ = write!(body, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(&run));
                run.clear();
            }
            body.push_str(element);
        }
        if !run.is_empty() {
            let _ = write!(body, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(&run));
        }
        body.push_str("</w:r></w:p>");
    }
    docx_package(&body)
}

/// One ODF paragraph's content. ODF collapses white space in text, so runs of spaces that
/// would collapse (at the start of a line, after another space, at the end) are `text:s`.
fn odt_paragraph(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut xml = String::new();
    let mut line_start = true;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\t' => {
                xml.push_str("<text:tab/>");
                line_start = true;
                i += 1;
            }
            '\n' => {
                xml.push_str("<text:line-break/>");
                line_start = true;
                i += 1;
            }
            ' ' => {
                let n = chars[i..].iter().take_while(|&&c| c == ' ').count();
                let literal = !line_start && i + n < chars.len();
                if literal {
                    xml.push(' ');
                }
                match n - usize::from(literal) {
                    0 => {}
                    1 => xml.push_str("<text:s/>"),
                    rest => {
                        let _ = write!(xml, r#"<text:s text:c="{rest}"/>"#);
                    }
                }
                line_start = false;
                i += n;
            }
            c => {
                xml.push_str(&escape(c.encode_utf8(&mut [0; 4])));
                line_start = false;
                i += 1;
            }
        }
    }
    xml
}

/// A minimal `.odt` with one paragraph per string (an empty string is an empty paragraph).
pub fn odt(paragraphs: &[&str]) -> Vec<u8> {
    let body: String =
        paragraphs.iter().map(|p| format!("<text:p>{}</text:p>", odt_paragraph(p))).collect();
    odt_package(&body)
}
