//! Word (`.docx`) and OpenDocument (`.odt`) documents: their paragraphs, in document order.
//!
//! Both formats are zip archives holding XML. The one XML part with the body text
//! (`word/document.xml`, `content.xml`) is streamed through the XML layer (`crate::xml`) —
//! never loaded as a tree — and each paragraph becomes one string, so that a later step can
//! apply the plain-text transcript rules (`Speaker: text` turns, front matter, continuation
//! lines) to them. Every paragraph is kept, empty ones too: blank lines matter to those rules.
//!
//! Conventions of the returned strings: a manual line break inside a paragraph is `\n`, a tab
//! is `\t`. Text is read as XML defines it (the layer's one policy): line ends are
//! normalised, character references and the five predefined entities (`&amp;`, `&lt;`, …)
//! are resolved, and any other entity (`&nbsp;`) makes the part not well-formed XML — Word
//! and LibreOffice never write one.
//!
//! Each paragraph also says how it is formatted ([`DocParagraph::lead`],
//! [`DocParagraph::whole`]), so that speakers told apart by formatting can be read. Bold,
//! italic and underline come from Word's run properties (`w:b`, `w:i`, `w:u` in a run's
//! `w:rPr`; a character style whose name says `Strong`, `Bold` or `Emphasis`) and from
//! OpenDocument's automatic styles of spans and paragraphs (with one level of parent style).
//! The formatting of a paragraph mark, Word paragraph styles and `styles.xml` are not read.
//! Paragraphs made from tables are plain; those of text boxes keep their own formatting.
//!
//! What is read and what is left out:
//!
//! - **Tracked changes** are read as if accepted: deleted and moved-away text is left out,
//!   inserted text is kept. Field codes, footnote and comment references, footnotes and
//!   comments (annotations) themselves are left out.
//! - **Text boxes** (`w:txbxContent`, `draw:text-box`) sit inside a paragraph of the body;
//!   their paragraphs are returned as separate paragraphs right *after* the paragraph that
//!   anchors them, never mixed into its text. Word stores each modern text box twice (a
//!   DrawingML `mc:Choice` and a VML `mc:Fallback`); only the first choice is read.
//! - **Tables** become one paragraph per row (empty rows are left out). A table whose first
//!   row names a speaker column and a text column (for example `Speaker | Text`, optionally
//!   with `Time`) gives `Speaker: text` or `[TIME] Speaker: text` per row, without the header.
//!   A table without such a header whose first column holds only short speaker labels gives
//!   `Label: last cell`. Any other table gives its non-empty cells joined with `\t`. A cell's
//!   paragraphs are joined with a space, and a table inside a cell is flattened into the
//!   cell's text the same way.
//!
//! Hostile files are bounded: at most [`MAX_PART_BYTES`] of decompressed XML is read (the
//! size a zip archive declares is not trusted), elements nested deeper than 10,000 levels
//! (the XML layer's cap) are refused, and nothing here recurses.

mod builder;
mod classify;
mod styles;
mod table;
#[cfg(test)]
mod tests;
mod walk;

use std::fmt;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::{Error, Result};
use crate::xml::MAX_DEPTH;
use walk::parse;

/// The largest decompressed XML part read from a document (hostile files cannot exhaust memory).
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// The largest `META-INF/manifest.xml` read to tell whether an `.odt` is password-protected.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// The first bytes of an OLE compound file: an old `.doc`, or any password-protected Office
/// document.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How a whole paragraph is emphasised: the formatting some transcripts use to tell the
/// moderator from the participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// Every character that is not white space is bold (or underlined).
    Bold,
    /// Every character that is not white space is italic (and not all bold).
    Italic,
}

/// One paragraph of a document, with the formatting the transcript rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocParagraph {
    /// The paragraph's text: a manual line break is `\n`, a tab is `\t`.
    pub text: String,
    /// The byte length of the bold or underlined run that opens the paragraph (leading white
    /// space included), when the paragraph goes on with text that is not; 0 when none. A
    /// label written as formatting (`**Maria** I think…` gives 5). White space does not count
    /// either way: a plain space inside the run does not end it (`**Ana** **Ruiz:**` is one
    /// run), and the run ends at its last character that is not white space. Computed over
    /// the whole text, line breaks included.
    pub lead: usize,
    /// Whether the whole paragraph is bold or italic; `None` when it is not, or has nothing
    /// but white space.
    pub whole: Option<Emphasis>,
}

impl DocParagraph {
    /// A paragraph without formatting.
    pub fn plain(text: impl Into<String>) -> DocParagraph {
        DocParagraph { text: text.into(), lead: 0, whole: None }
    }
}

/// Paragraphs of a .docx file, in document order (see the module docs).
///
/// `path` is only used in error messages; `bytes` is the whole file.
pub fn docx_paragraphs(path: &Path, bytes: &[u8]) -> Result<Vec<DocParagraph>> {
    paragraphs(path, bytes, Dialect::Docx, MAX_PART_BYTES)
}

/// Paragraphs of an .odt file, same conventions.
///
/// `path` is only used in error messages; `bytes` is the whole file.
pub fn odt_paragraphs(path: &Path, bytes: &[u8]) -> Result<Vec<DocParagraph>> {
    paragraphs(path, bytes, Dialect::Odt, MAX_PART_BYTES)
}

/// The two document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Docx,
    Odt,
}

impl Dialect {
    /// The XML part with the body text.
    fn part(self) -> &'static str {
        match self {
            Dialect::Docx => "word/document.xml",
            Dialect::Odt => "content.xml",
        }
    }

    /// What the researcher should do with a damaged or unusual file.
    fn resave(self) -> &'static str {
        match self {
            Dialect::Docx => "open it in Word and save it again as .docx",
            Dialect::Odt => "open it in LibreOffice Writer and save it again as .odt",
        }
    }
}

/// Reads the paragraphs of a document, reading at most `limit` bytes of decompressed XML.
fn paragraphs(
    path: &Path,
    bytes: &[u8],
    dialect: Dialect,
    limit: u64,
) -> Result<Vec<DocParagraph>> {
    let err = |message: String| Error::transcript(path, None, message);
    let part = dialect.part();
    let mut archive = open_archive(bytes, dialect).map_err(err)?;
    if dialect == Dialect::Odt && odt_is_encrypted(&mut archive) {
        return Err(err(
            "the document is password-protected, so its text cannot be read; open it in \
             LibreOffice Writer and save it again as .odt without a password"
                .to_string(),
        ));
    }
    let entry = match archive.by_name(part) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => {
            return Err(err(match dialect {
                Dialect::Docx => "word/document.xml is missing, so this zip archive is not a \
                                  Word document; open the file in Word and Save As .docx"
                    .to_string(),
                Dialect::Odt => "content.xml is missing, so this zip archive is not an \
                                 OpenDocument text file; open the file in LibreOffice Writer \
                                 and Save As .odt"
                    .to_string(),
            }))
        }
        Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => {
            return Err(err(format!(
                "{part} is encrypted (the file is password-protected); {} without a password",
                dialect.resave()
            )))
        }
        Err(e) => {
            return Err(err(format!(
                "{part} cannot be read ({e}); the file may be damaged — {}",
                dialect.resave()
            )))
        }
    };
    let bounded = Bounded { inner: entry.take(limit.saturating_add(1)), read: 0, limit };
    parse(BufReader::new(bounded), dialect, limit).map_err(|e| err(e.message(dialect, limit)))
}

/// Opens the zip archive, or says in a researcher's words what the file is instead.
fn open_archive(
    bytes: &[u8],
    dialect: Dialect,
) -> std::result::Result<ZipArchive<Cursor<&[u8]>>, String> {
    let (what, app, ext) = match dialect {
        Dialect::Docx => ("a Word document", "Word", ".docx"),
        Dialect::Odt => ("an OpenDocument text file", "LibreOffice Writer", ".odt"),
    };
    if bytes.is_empty() {
        return Err(format!("the file is empty (0 bytes), so it is not {what}; export it again"));
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(format!(
            "not {what} ({ext} is a zip archive): this is an old .doc file or a \
             password-protected document — open it in {app} and Save As {ext} without a password"
        ));
    }
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| match dialect {
        Dialect::Docx => format!(
            "not a Word document (.docx is a zip archive): the file is not a readable zip \
             archive ({e}) — if it is an old .doc or \
             password-protected file, open it in Word and Save As .docx without a password"
        ),
        Dialect::Odt => format!(
            "not an OpenDocument text file (.odt is a zip archive): the file is not a \
             readable zip archive ({e}) — if it is a flat \
             .fodt, an old .sxw or .doc, or a password-protected file, open it in LibreOffice \
             Writer and Save As .odt without a password"
        ),
    })
}

/// Whether the manifest of an OpenDocument package declares encrypted parts (a
/// password-protected document keeps a zip structure but its XML is ciphertext).
fn odt_is_encrypted(archive: &mut ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(entry) = archive.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut manifest = Vec::new();
    if entry.take(MAX_MANIFEST_BYTES).read_to_end(&mut manifest).is_err() {
        return false;
    }
    let needle = b"encryption-data";
    manifest.windows(needle.len()).any(|w| w == needle)
}

/// The marker error raised when a part decompresses to more than the limit.
#[derive(Debug)]
struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("part larger than the limit")
    }
}

impl std::error::Error for TooLarge {}

/// A reader that fails with [`TooLarge`] once more than `limit` bytes came through. `inner` is
/// already cut at `limit + 1` bytes, so a lying zip header cannot make it read on.
struct Bounded<R> {
    inner: R,
    read: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(TooLarge));
        }
        Ok(n)
    }
}

/// Why a part could not be parsed; turned into a message by [`ParseError::message`].
#[derive(Debug)]
enum ParseError {
    /// The part decompresses to more than the limit.
    TooLarge,
    /// Reading the zip entry failed (bad compressed data, checksum mismatch).
    Damaged(String),
    /// The XML is not well-formed, at this byte of the decompressed part.
    Malformed { at: u64, why: String },
    /// The XML ends inside an element.
    Truncated { at: u64 },
    /// The part holds no element at all.
    NoElements,
    /// Elements nest deeper than [`MAX_DEPTH`].
    TooDeep { at: u64 },
}

impl ParseError {
    /// The message for the researcher.
    fn message(&self, dialect: Dialect, limit: u64) -> String {
        let part = dialect.part();
        let resave = dialect.resave();
        match self {
            ParseError::TooLarge => {
                let size = if limit >= 1024 * 1024 {
                    format!("{} MB", limit / (1024 * 1024))
                } else {
                    format!("{limit} bytes")
                };
                format!("{part} is larger than {size} when decompressed; split the document")
            }
            ParseError::Damaged(why) => format!(
                "{part} cannot be read from the archive ({why}); the file is damaged — {resave}"
            ),
            ParseError::Malformed { at, why } => format!(
                "{part} is not well-formed XML at byte {at}: {why}; the file is damaged — \
                 {resave}"
            ),
            ParseError::Truncated { at } => format!(
                "{part} ends at byte {at} before all its elements are closed; the file is \
                 truncated or damaged — {resave}"
            ),
            ParseError::NoElements => {
                format!("{part} contains no XML elements; the file is damaged — {resave}")
            }
            ParseError::TooDeep { at } => format!(
                "{part} nests elements more than {MAX_DEPTH} levels deep (at byte {at}); this \
                 is not a normal document — {resave}"
            ),
        }
    }
}
