//! Minimal, valid Word (`.docx`) and OpenDocument (`.odt`) files built in memory, for tests of
//! the office readers: one paragraph per string, `\t` written as a tab element and `\n` as a
//! line-break element. The packaging (zip, content types, manifest) is the corpus generator's
//! (`qualkit_bench::formats`).
//!
//! Inline markers format text: `{b}…{/b}` bold, `{i}…{/i}` italic, `{u}…{/u}` underline (they
//! may nest). They become real formatting — Word runs with `w:rPr`, OpenDocument spans of
//! automatic styles — and are not part of the text. A document without markers is the same
//! as one built without this feature.

#![allow(dead_code)]

use std::fmt::Write as _;

use qualkit_bench::formats::{
    docx as docx_package, escape_xml as escape, odt as odt_package, odt_styled,
};

/// Bold, as a bit of a character's formatting.
const BOLD: u8 = 1;
/// Italic.
const ITALIC: u8 = 2;
/// Underline.
const UNDERLINE: u8 = 4;

/// The inline markers: what they turn on or off.
const MARKERS: [(&str, u8, bool); 6] = [
    ("{b}", BOLD, true),
    ("{/b}", BOLD, false),
    ("{i}", ITALIC, true),
    ("{/i}", ITALIC, false),
    ("{u}", UNDERLINE, true),
    ("{/u}", UNDERLINE, false),
];

/// The characters of a paragraph, each with its formatting, the markers taken out.
fn formatted_chars(paragraph: &str) -> Vec<(char, u8)> {
    let mut chars = Vec::with_capacity(paragraph.len());
    let mut flags = 0;
    let mut rest = paragraph;
    while let Some(c) = rest.chars().next() {
        if let Some(&(marker, flag, on)) = MARKERS.iter().find(|(m, ..)| rest.starts_with(m)) {
            flags = if on { flags | flag } else { flags & !flag };
            rest = &rest[marker.len()..];
        } else {
            chars.push((c, flags));
            rest = &rest[c.len_utf8()..];
        }
    }
    chars
}

/// The runs of a paragraph: its longest stretches of one formatting.
fn runs(paragraph: &str) -> Vec<(String, u8)> {
    let mut runs: Vec<(String, u8)> = Vec::new();
    for (c, flags) in formatted_chars(paragraph) {
        match runs.last_mut() {
            Some((text, f)) if *f == flags => text.push(c),
            _ => runs.push((c.to_string(), flags)),
        }
    }
    runs
}

/// A minimal `.docx` with one paragraph per string (an empty string is an empty paragraph).
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        if paragraph.is_empty() {
            body.push_str("<w:p/>");
            continue;
        }
        body.push_str("<w:p>");
        for (text, flags) in runs(paragraph) {
            docx_run(&mut body, &text, flags);
        }
        body.push_str("</w:p>");
    }
    docx_package(&body)
}

/// Appends one Word run (`w:r`) of `text`, formatted `flags`.
fn docx_run(body: &mut String, text: &str, flags: u8) {
    body.push_str("<w:r>");
    if flags != 0 {
        body.push_str("<w:rPr>");
        for (flag, property) in
            [(BOLD, "<w:b/>"), (ITALIC, "<w:i/>"), (UNDERLINE, r#"<w:u w:val="single"/>"#)]
        {
            if flags & flag != 0 {
                body.push_str(property);
            }
        }
        body.push_str("</w:rPr>");
    }
    let mut run = String::new();
    for c in text.chars() {
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
    body.push_str("</w:r>");
}

/// The automatic text style of characters formatted `flags`: `T` then `b`, `i`, `u`.
fn span_style(flags: u8) -> String {
    let mut name = String::from("T");
    for (flag, letter) in [(BOLD, 'b'), (ITALIC, 'i'), (UNDERLINE, 'u')] {
        if flags & flag != 0 {
            name.push(letter);
        }
    }
    name
}

/// The automatic styles of every formatting the markers can give (`Tb`, `Ti`, `Tu`, `Tbi`, …).
fn span_styles() -> String {
    let mut styles = String::new();
    for flags in 1..8 {
        let mut properties = String::new();
        if flags & BOLD != 0 {
            properties.push_str(r#" fo:font-weight="bold""#);
        }
        if flags & ITALIC != 0 {
            properties.push_str(r#" fo:font-style="italic""#);
        }
        if flags & UNDERLINE != 0 {
            properties.push_str(r#" style:text-underline-style="solid""#);
        }
        let _ = write!(
            styles,
            r#"<style:style style:name="{}" style:family="text"><style:text-properties{properties}/></style:style>"#,
            span_style(flags)
        );
    }
    styles
}

/// Opens and closes spans so that what follows is formatted `flags` (`open` is the
/// formatting of the span open now, 0 for none).
fn switch_span(xml: &mut String, open: &mut u8, flags: u8) {
    if *open == flags {
        return;
    }
    if *open != 0 {
        xml.push_str("</text:span>");
    }
    if flags != 0 {
        let _ = write!(xml, r#"<text:span text:style-name="{}">"#, span_style(flags));
    }
    *open = flags;
}

/// One ODF paragraph's content. ODF collapses white space in text, so runs of spaces that
/// would collapse (at the start of a line, after another space, at the end) are `text:s`.
fn odt_paragraph(chars: &[(char, u8)]) -> String {
    let mut xml = String::new();
    let mut line_start = true;
    let mut open = 0;
    let mut i = 0;
    while i < chars.len() {
        let (c, flags) = chars[i];
        switch_span(&mut xml, &mut open, flags);
        match c {
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
                // Spaces of one formatting; after a space of another, none is literal.
                let n = chars[i..].iter().take_while(|&&(c, f)| c == ' ' && f == flags).count();
                let literal = !line_start && i + n < chars.len() && chars[i - 1].0 != ' ';
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
    switch_span(&mut xml, &mut open, 0);
    xml
}

/// A minimal `.odt` with one paragraph per string (an empty string is an empty paragraph).
pub fn odt(paragraphs: &[&str]) -> Vec<u8> {
    let paragraphs: Vec<Vec<(char, u8)>> = paragraphs.iter().map(|p| formatted_chars(p)).collect();
    let body: String =
        paragraphs.iter().map(|p| format!("<text:p>{}</text:p>", odt_paragraph(p))).collect();
    if paragraphs.iter().flatten().all(|&(_, flags)| flags == 0) {
        odt_package(&body)
    } else {
        odt_styled(&span_styles(), &body)
    }
}
