//! Minimal, valid Word (`.docx`) and OpenDocument (`.odt`) files built in memory, for tests of
//! the office readers: one paragraph per string, `\t` written as a tab element and `\n` as a
//! line-break element.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A zip archive of `files` (name, content); `mimetype` is stored uncompressed, as ODF asks.
fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        let options = if *name == "mimetype" {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default()
        };
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// `text` escaped for XML character data.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

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
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", &document),
    ])
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
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", &content),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
    ])
}
