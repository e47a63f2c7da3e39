//! Writing a generated session in each transcript format qualkit reads, the way real exports
//! look: text with front matter (plain or Markdown labels, optionally hard-wrapped), WebVTT
//! (Teams-style `<v Name>` cues or Zoom-style `Name: text` cues), SRT, CSV, TSV, and minimal
//! Word and OpenDocument files.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A transcript file format the corpus generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileFormat {
    /// Plain text with front matter and `[hh:mm:ss] Name: text` turns.
    Txt,
    /// Markdown: front matter and `**Name:** text` turns.
    Md,
    /// WebVTT captions.
    Vtt,
    /// SubRip subtitles.
    Srt,
    /// One row per turn, comma-separated.
    Csv,
    /// One row per turn, tab-separated.
    Tsv,
    /// A Word document, one paragraph per turn.
    Docx,
    /// An OpenDocument text, one paragraph per turn.
    Odt,
}

impl FileFormat {
    /// Every format, in the order of the summary.
    pub const ALL: [FileFormat; 8] = [
        FileFormat::Txt,
        FileFormat::Md,
        FileFormat::Vtt,
        FileFormat::Srt,
        FileFormat::Csv,
        FileFormat::Tsv,
        FileFormat::Docx,
        FileFormat::Odt,
    ];

    /// The file extension, which is also the format's name on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Txt => "txt",
            FileFormat::Md => "md",
            FileFormat::Vtt => "vtt",
            FileFormat::Srt => "srt",
            FileFormat::Csv => "csv",
            FileFormat::Tsv => "tsv",
            FileFormat::Docx => "docx",
            FileFormat::Odt => "odt",
        }
    }

    /// The format with extension `name` (case-insensitive).
    pub fn from_name(name: &str) -> Option<FileFormat> {
        let name = name.trim();
        FileFormat::ALL.into_iter().find(|f| f.extension().eq_ignore_ascii_case(name))
    }

    /// The format's share of the default mix, in percent: mostly plain text, as real
    /// projects are, with every other format present.
    pub fn weight(self) -> u32 {
        match self {
            FileFormat::Txt => 70,
            FileFormat::Md => 5,
            FileFormat::Vtt => 6,
            FileFormat::Srt => 5,
            FileFormat::Csv => 4,
            FileFormat::Tsv => 3,
            FileFormat::Docx => 4,
            FileFormat::Odt => 3,
        }
    }
}

impl std::fmt::Display for FileFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// How much larger a document's XML is than the zipped file (measured on generated
/// transcripts), so that a document's size can be aimed at before it is compressed.
const DOCUMENT_XML_RATIO: usize = 4;

/// A session's header: what the front matter, or the table columns, say.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub id: String,
    pub title: String,
    pub date: String,
    pub site: String,
    pub group: String,
    pub moderator: String,
}

/// Per-file choices of layout.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    /// Turn lines start with `[hh:mm:ss]` (text formats).
    pub timestamps: bool,
    /// Text formats: lines are hard-wrapped at this width.
    pub wrap: Option<usize>,
    /// WebVTT: `<v Name>` voice tags (Teams) rather than `Name:` (Zoom).
    pub voice_tags: bool,
}

/// One turn to write.
#[derive(Debug)]
pub(super) struct TurnOut<'a> {
    pub speaker: &'a str,
    pub moderator: bool,
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: &'a str,
}

/// Writes one session in one format, turn by turn, knowing its size as it grows.
#[derive(Debug)]
pub(super) struct Renderer {
    format: FileFormat,
    layout: Layout,
    header: Header,
    out: String,
    cues: usize,
}

impl Renderer {
    /// Starts a file: its header, front matter or column names.
    pub fn new(format: FileFormat, header: Header, layout: Layout) -> Renderer {
        let mut out = String::with_capacity(64 * 1024);
        let front = [
            ("session", &header.id),
            ("title", &header.title),
            ("date", &header.date),
            ("site", &header.site),
            ("group", &header.group),
            ("moderators", &header.moderator),
        ];
        match format {
            FileFormat::Txt | FileFormat::Md => {
                out.push_str("---\n");
                for (k, v) in front {
                    let _ = writeln!(out, "{k}: {v}");
                }
                out.push_str("---\n");
            }
            FileFormat::Docx | FileFormat::Odt => {
                paragraph(format, &mut out, "---");
                for (k, v) in front {
                    paragraph(format, &mut out, &format!("{k}: {v}"));
                }
                paragraph(format, &mut out, "---");
            }
            FileFormat::Vtt => out.push_str("WEBVTT\n\n"),
            FileFormat::Srt => {}
            FileFormat::Csv | FileFormat::Tsv => {
                let sep = if format == FileFormat::Csv { ',' } else { '\t' };
                for (i, name) in
                    ["session", "timestamp", "speaker", "role", "site", "group", "text"]
                        .iter()
                        .enumerate()
                {
                    if i > 0 {
                        out.push(sep);
                    }
                    out.push_str(name);
                }
                out.push('\n');
            }
        }
        Renderer { format, layout, header, out, cues: 0 }
    }

    /// The size of the file so far, in bytes (for documents, an estimate of the zipped size).
    pub fn size(&self) -> usize {
        match self.format {
            FileFormat::Docx | FileFormat::Odt => self.out.len() / DOCUMENT_XML_RATIO,
            _ => self.out.len(),
        }
    }

    /// Writes one turn.
    pub fn turn(&mut self, turn: &TurnOut<'_>) {
        let stamp = clock(turn.start_ms);
        match self.format {
            FileFormat::Txt | FileFormat::Md => {
                let mut line = String::new();
                if self.layout.timestamps {
                    let _ = write!(line, "[{stamp}] ");
                }
                if self.format == FileFormat::Md {
                    let _ = write!(line, "**{}:** {}", turn.speaker, turn.text);
                } else {
                    let _ = write!(line, "{}: {}", turn.speaker, turn.text);
                }
                self.out.push('\n');
                match self.layout.wrap {
                    Some(width) => wrap_into(&mut self.out, &line, width),
                    None => {
                        self.out.push_str(&line);
                        self.out.push('\n');
                    }
                }
            }
            FileFormat::Docx | FileFormat::Odt => {
                let line = if self.layout.timestamps {
                    format!("[{stamp}] {}: {}", turn.speaker, turn.text)
                } else {
                    format!("{}: {}", turn.speaker, turn.text)
                };
                paragraph(self.format, &mut self.out, &line);
            }
            FileFormat::Csv | FileFormat::Tsv => {
                let sep = if self.format == FileFormat::Csv { ',' } else { '\t' };
                let role = if turn.moderator { "moderator" } else { "participant" };
                let cells = [
                    &self.header.id,
                    &stamp,
                    turn.speaker,
                    role,
                    &self.header.site,
                    &self.header.group,
                    turn.text,
                ];
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        self.out.push(sep);
                    }
                    push_cell(&mut self.out, cell, sep);
                }
                self.out.push('\n');
            }
            FileFormat::Vtt | FileFormat::Srt => self.cues(turn),
        }
    }

    /// A turn as captions: cues of 6 to 12 words, timed in proportion to their words. Zoom
    /// and SRT name the speaker in the first cue of a turn; Teams tags every cue.
    fn cues(&mut self, turn: &TurnOut<'_>) {
        let words: Vec<&str> = turn.text.split(' ').collect();
        let mut chunks: Vec<&[&str]> = Vec::new();
        let mut rest = &words[..];
        while !rest.is_empty() {
            let size = 6 + (self.cues + chunks.len()) % 7;
            let take = if rest.len() < size + 4 { rest.len() } else { size };
            chunks.push(&rest[..take]);
            rest = &rest[take..];
        }
        let span = turn.end_ms.saturating_sub(turn.start_ms).max(chunks.len() as u64);
        let mut done = 0usize;
        for (k, chunk) in chunks.iter().enumerate() {
            let start = turn.start_ms + span * done as u64 / words.len() as u64;
            done += chunk.len();
            let end = turn.start_ms + span * done as u64 / words.len() as u64;
            let text = chunk.join(" ");
            self.cues += 1;
            if self.format == FileFormat::Srt {
                let _ =
                    writeln!(self.out, "{}\n{} --> {}", self.cues, srt_time(start), srt_time(end));
                let payload = if k == 0 { format!("{}: {text}", turn.speaker) } else { text };
                wrap_into(&mut self.out, &payload, 42);
            } else if self.layout.voice_tags {
                let _ = writeln!(
                    self.out,
                    "{} --> {}\n<v {}>{}</v>",
                    vtt_time(start),
                    vtt_time(end),
                    turn.speaker,
                    escape_cue(&text)
                );
            } else {
                let _ =
                    writeln!(self.out, "{}\n{} --> {}", self.cues, vtt_time(start), vtt_time(end));
                let payload = if k == 0 { format!("{}: {text}", turn.speaker) } else { text };
                wrap_into(&mut self.out, &escape_cue(&payload), 42);
            }
            self.out.push('\n');
        }
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        match self.format {
            FileFormat::Docx => docx(&self.out),
            FileFormat::Odt => odt(&self.out),
            _ => self.out.into_bytes(),
        }
    }
}

/// `hh:mm:ss`.
fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn vtt_time(ms: u64) -> String {
    format!("{}.{:03}", clock(ms), ms % 1000)
}

fn srt_time(ms: u64) -> String {
    format!("{},{:03}", clock(ms), ms % 1000)
}

/// Appends `line` broken at spaces into lines of at most `width` bytes (longer words stand
/// alone), each ending in `\n`.
fn wrap_into(out: &mut String, line: &str, width: usize) {
    let mut len = 0;
    for word in line.split(' ') {
        if len > 0 && len + 1 + word.len() > width {
            out.push('\n');
            len = 0;
        } else if len > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += word.len();
    }
    out.push('\n');
}

/// One CSV/TSV cell, quoted when it holds the separator, a quote or a line break.
fn push_cell(out: &mut String, cell: &str, sep: char) {
    if cell.contains([sep, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// `text` escaped for a WebVTT cue (`&`, `<` and `>` only, as caption exports do).
fn escape_cue(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `text` escaped for XML character data.
pub fn escape_xml(text: &str) -> String {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
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

/// Appends one paragraph of a Word (`w:p`) or OpenDocument (`text:p`) body. Generated text
/// has single spaces only, so ODF's white-space collapsing changes nothing.
fn paragraph(format: FileFormat, out: &mut String, text: &str) {
    let text = escape_xml(text);
    if format == FileFormat::Docx {
        let _ = write!(out, r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#);
    } else {
        let _ = write!(out, "<text:p>{text}</text:p>");
    }
}

/// A zip archive of `files` (name, content); `mimetype` is stored uncompressed, as ODF asks.
pub fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        let options = if *name == "mimetype" {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
        };
        // Writing to memory cannot fail.
        zip.start_file(*name, options).expect("a zip entry in memory");
        zip.write_all(content.as_bytes()).expect("a zip entry in memory");
    }
    zip.finish().expect("a zip archive in memory").into_inner()
}

/// A minimal `.docx` around a body of `w:p` paragraphs (also used by the office-reader
/// tests).
pub fn docx(body: &str) -> Vec<u8> {
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

/// A minimal `.odt` around a body of `text:p` paragraphs (also used by the office-reader
/// tests).
pub fn odt(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    odt_package(&content)
}

/// A minimal `.odt` with automatic styles (`style:style` elements, which may use the `style`
/// and `fo` namespaces) around a body of `text:p` paragraphs (used by the office-reader
/// tests).
pub fn odt_styled(styles: &str, body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    odt_package(&content)
}

/// The `.odt` package around a `content.xml`.
fn odt_package(content: &str) -> Vec<u8> {
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", content),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_in_order() {
        let mut out = String::new();
        wrap_into(&mut out, "one two three four five", 9);
        assert_eq!(out, "one two\nthree\nfour five\n");
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        let mut out = String::new();
        push_cell(&mut out, "plain text", ',');
        push_cell(&mut out, "a, b", ',');
        push_cell(&mut out, "say \"hi\"", '\t');
        assert_eq!(out, "plain text\"a, b\"\"say \"\"hi\"\"\"");
    }

    #[test]
    fn format_names_are_the_extensions() {
        for f in FileFormat::ALL {
            assert_eq!(FileFormat::from_name(f.extension()), Some(f));
        }
        assert_eq!(FileFormat::from_name("DOCX"), Some(FileFormat::Docx));
        assert_eq!(FileFormat::from_name("pdf"), None);
        assert_eq!(FileFormat::ALL.iter().map(|f| f.weight()).sum::<u32>(), 100);
    }
}
