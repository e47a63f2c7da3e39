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

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use quick_xml::events::BytesStart;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::{Error, Result};
use crate::xml::{self, Node, XmlError, MAX_DEPTH};

/// The largest decompressed XML part read from a document (hostile files cannot exhaust memory).
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// The largest `META-INF/manifest.xml` read to tell whether an `.odt` is password-protected.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// WordprocessingML namespaces: transitional (what Word writes) and strict.
const W_NS: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility (`mc:AlternateContent`).
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";
/// OpenDocument namespaces.
const ODF_TEXT_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const ODF_TABLE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const ODF_OFFICE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const ODF_STYLE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:style:1.0";

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

/// Bold: a bit of a [`Format`] and of the formatting flags of text.
const BOLD: u8 = 1;
/// Italic.
const ITALIC: u8 = 2;
/// Underline.
const UNDERLINE: u8 = 4;

/// The character formatting that run properties or a style give: which of bold, italic and
/// underline they set (`set`), and to what (`on`, a subset of `set`). What they do not set is
/// inherited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Format {
    set: u8,
    on: u8,
}

impl Format {
    /// Everything off: a Word run starts from plain text.
    const PLAIN: Format = Format { set: BOLD | ITALIC | UNDERLINE, on: 0 };

    /// Sets one property (`flag`) on or off.
    fn one(flag: u8, on: bool) -> Format {
        Format { set: flag, on: if on { flag } else { 0 } }
    }

    /// This formatting with `later` applied on top of it.
    fn then(self, later: Format) -> Format {
        Format { set: self.set | later.set, on: (self.on & !later.set) | later.on }
    }

    /// The flags of text formatted `flags` once this formatting is applied.
    fn over(self, flags: u8) -> u8 {
        (flags & !self.set) | self.on
    }
}

/// The formatting a character or paragraph style stands for when its definition is not read
/// (Word's `styles.xml`, OpenDocument's common styles): a name with `strong` or `bold` in it
/// (any case) is bold, one with `emphasis` italic.
fn named_format(name: &[u8]) -> Format {
    let has = |word: &[u8]| name.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if has(b"strong") || has(b"bold") {
        Format::one(BOLD, true)
    } else if has(b"emphasis") {
        Format::one(ITALIC, true)
    } else {
        Format::default()
    }
}

/// What an element means to the paragraph builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    /// A paragraph (`w:p`, `text:p`, `text:h`), with the formatting its style gives its text.
    Paragraph(Format),
    /// A run of text with its own formatting (`w:r`, `text:span`); `before` is the formatting
    /// of the paragraph's text it replaces until its end.
    Run { format: Format, before: u8 },
    /// Word's run properties (`w:rPr`): their children are read only inside a run.
    RunProps,
    /// One run property (`w:b`, `w:i`, `w:u`, `w:rStyle`) and what it sets.
    RunProp(Format),
    /// An OpenDocument style definition (`style:style`).
    StyleDef,
    /// A table (`w:tbl`, `table:table`).
    Table,
    /// A table row (`w:tr`, `table:table-row`).
    Row,
    /// A table cell (`w:tc`, `table:table-cell`, `table:covered-table-cell`).
    Cell,
    /// Word's `w:t`: its text is paragraph text.
    Text,
    /// An OpenDocument text-namespace element whose own text is paragraph text (`text:span`,
    /// `text:a`, fields, …).
    Inline,
    /// An element whose whole subtree is ignored.
    Skip,
    /// An element that stands for one character (tab, line break, non-breaking hyphen).
    Char(char),
    /// OpenDocument's `text:s`: `text:c` spaces.
    Spaces(u64),
    /// Word's `w:del` / `w:moveFrom`: removed text, or inside `w:trPr` a deleted table row.
    Deleted,
    /// Word's `w:trPr` (row properties).
    RowProps,
    /// `mc:AlternateContent`; `true` once one of its choices was read.
    Alternate(bool),
    /// `mc:Choice`.
    Choice,
    /// `mc:Fallback`.
    Fallback,
    /// Anything else: transparent.
    Other,
}

/// What a Word element means.
fn classify_docx(ns: Option<&[u8]>, local: &[u8]) -> Elem {
    match ns {
        Some(ns) if W_NS.contains(&ns) => match local {
            b"p" => Elem::Paragraph(Format::default()),
            b"r" => Elem::Run { format: Format::PLAIN, before: 0 },
            b"rPr" => Elem::RunProps,
            b"tbl" => Elem::Table,
            b"tr" => Elem::Row,
            b"tc" => Elem::Cell,
            b"t" => Elem::Text,
            b"tab" | b"ptab" => Elem::Char('\t'),
            b"br" | b"cr" => Elem::Char('\n'),
            b"noBreakHyphen" => Elem::Char('-'),
            // Paragraph properties hold tab-stop definitions (`w:tabs/w:tab`) that are not
            // text, and a `w:rPr` that formats the paragraph mark (the pilcrow), not the text.
            // `w:rt` is ruby (phonetic guide) text above the base text.
            b"pPr" | b"sectPr" | b"delText" | b"instrText" | b"delInstrText" | b"rt" => Elem::Skip,
            b"del" | b"moveFrom" => Elem::Deleted,
            b"trPr" => Elem::RowProps,
            _ => Elem::Other,
        },
        Some(MC_NS) => match local {
            b"AlternateContent" => Elem::Alternate(false),
            b"Choice" => Elem::Choice,
            b"Fallback" => Elem::Fallback,
            _ => Elem::Other,
        },
        _ => Elem::Other,
    }
}

/// What an element means, given the element around it (`parent`).
fn classify(
    dialect: Dialect,
    ns: Option<&[u8]>,
    start: &BytesStart<'_>,
    parent: Option<&Elem>,
    styles: &mut OdtStyles,
) -> Elem {
    let name = start.local_name();
    match dialect {
        Dialect::Docx if parent == Some(&Elem::RunProps) => {
            Elem::RunProp(run_property(ns, name.as_ref(), start))
        }
        Dialect::Docx => classify_docx(ns, name.as_ref()),
        Dialect::Odt => classify_odt(ns, name.as_ref(), start, parent, styles),
    }
}

/// What a child of a Word run's `w:rPr` sets: `w:b`, `w:i` (on unless `w:val` is `false`,
/// `0` or `off`), `w:u` (on unless `w:val` is `none`) and a character style (`w:rStyle`, by
/// its name).
fn run_property(ns: Option<&[u8]>, local: &[u8], start: &BytesStart<'_>) -> Format {
    if !ns.is_some_and(|ns| W_NS.contains(&ns)) {
        return Format::default();
    }
    let val = attribute(start, b"val");
    let toggle = !matches!(val.as_deref(), Some(b"false" | b"0" | b"off"));
    match local {
        b"b" => Format::one(BOLD, toggle),
        b"i" => Format::one(ITALIC, toggle),
        b"u" => Format::one(UNDERLINE, val.as_deref() != Some(b"none")),
        b"rStyle" => val.map_or_else(Format::default, |name| named_format(&name)),
        _ => Format::default(),
    }
}

/// What an OpenDocument element means; the automatic styles are recorded in `styles` as they
/// go past.
fn classify_odt(
    ns: Option<&[u8]>,
    local: &[u8],
    start: &BytesStart<'_>,
    parent: Option<&Elem>,
    styles: &mut OdtStyles,
) -> Elem {
    match ns {
        Some(ODF_TEXT_NS) => match local {
            b"p" | b"h" => Elem::Paragraph(styles.format_of(start)),
            b"span" => Elem::Run { format: styles.format_of(start), before: 0 },
            b"tab" => Elem::Char('\t'),
            b"line-break" => Elem::Char('\n'),
            b"s" => Elem::Spaces(space_count(start)),
            b"note" | b"tracked-changes" => Elem::Skip,
            _ => Elem::Inline,
        },
        Some(ODF_OFFICE_NS) if local == b"annotation" => Elem::Skip,
        Some(ODF_STYLE_NS) => match local {
            b"style" => {
                styles.begin(start);
                Elem::StyleDef
            }
            b"text-properties" if parent == Some(&Elem::StyleDef) => {
                styles.text_properties(start);
                Elem::Other
            }
            _ => Elem::Other,
        },
        Some(ODF_TABLE_NS) => match local {
            b"table" => Elem::Table,
            b"table-row" => Elem::Row,
            b"table-cell" | b"covered-table-cell" => Elem::Cell,
            _ => Elem::Other,
        },
        _ => Elem::Other,
    }
}

/// The `text:c` attribute of `text:s` (1 when absent or unreadable).
fn space_count(start: &BytesStart<'_>) -> u64 {
    attribute(start, b"c")
        .and_then(|c| std::str::from_utf8(&c).ok()?.trim().parse().ok())
        .unwrap_or(1)
}

/// The raw value of the attribute named `local` (whatever its prefix), if any.
fn attribute<'a>(start: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, [u8]>> {
    start.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| a.value)
}

/// An OpenDocument automatic style: what it sets itself, and the style it is based on.
#[derive(Debug, Default)]
struct OdtStyle {
    format: Format,
    parent: Option<Vec<u8>>,
}

/// The automatic text and paragraph styles of `content.xml` (which come before the body),
/// by name.
#[derive(Debug, Default)]
struct OdtStyles {
    styles: HashMap<Vec<u8>, OdtStyle>,
    /// The name of the text or paragraph style being defined, while its definition is read.
    current: Option<Vec<u8>>,
}

impl OdtStyles {
    /// Starts the definition of a style (`style:style`); only text and paragraph styles are
    /// kept.
    fn begin(&mut self, start: &BytesStart<'_>) {
        self.current = None;
        let family = attribute(start, b"family");
        if !matches!(family.as_deref(), Some(b"text" | b"paragraph")) {
            return;
        }
        let Some(name) = attribute(start, b"name") else { return };
        let parent = attribute(start, b"parent-style-name").map(Cow::into_owned);
        self.styles.insert(name.to_vec(), OdtStyle { format: Format::default(), parent });
        self.current = Some(name.into_owned());
    }

    /// Adds what a `style:text-properties` sets to the style being defined.
    fn text_properties(&mut self, start: &BytesStart<'_>) {
        let Some(style) = self.current.as_ref().and_then(|name| self.styles.get_mut(name)) else {
            return;
        };
        style.format = style.format.then(odt_text_format(start));
    }

    /// The formatting the style named by an element's `text:style-name` gives: the automatic
    /// style over its parent (itself looked up one level only), or what the name says.
    fn format_of(&self, start: &BytesStart<'_>) -> Format {
        let Some(name) = attribute(start, b"style-name") else { return Format::default() };
        let Some(style) = self.styles.get(name.as_ref()) else { return named_format(&name) };
        let parent = style.parent.as_deref().map_or(Format::default(), |parent| {
            self.styles.get(parent).map_or_else(|| named_format(parent), |p| p.format)
        });
        parent.then(style.format)
    }
}

/// What a `style:text-properties` element sets: `fo:font-weight` (`bold` or 600 and up is
/// bold), `fo:font-style` (`italic`, `oblique`) and `style:text-underline-style` (anything
/// but `none`).
fn odt_text_format(start: &BytesStart<'_>) -> Format {
    let mut format = Format::default();
    for a in start.attributes().flatten() {
        let value = a.value.as_ref();
        let property = match a.key.local_name().as_ref() {
            b"font-weight" => Format::one(BOLD, is_bold_weight(value)),
            b"font-style" => Format::one(ITALIC, matches!(value, b"italic" | b"oblique")),
            b"text-underline-style" => Format::one(UNDERLINE, value != b"none"),
            _ => continue,
        };
        format = format.then(property);
    }
    format
}

/// Whether an `fo:font-weight` value is bold: `bold`, or a weight of 600 or more.
fn is_bold_weight(value: &[u8]) -> bool {
    value == b"bold"
        || std::str::from_utf8(value)
            .ok()
            .and_then(|v| v.trim().parse::<u16>().ok())
            .is_some_and(|weight| weight >= 600)
}

/// Streams one XML part into paragraphs.
fn parse<R: io::BufRead>(
    input: R,
    dialect: Dialect,
    limit: u64,
) -> std::result::Result<Vec<DocParagraph>, ParseError> {
    let mut reader = xml::Reader::new(input);
    let mut walk = Walk::new(dialect, limit);
    loop {
        let node = match reader.next() {
            Ok(node) => node,
            Err(e) => return Err(parse_error(e, reader.end())),
        };
        match node {
            Node::Open { ns, element, empty } => walk.open(ns, &element, empty),
            Node::Close => walk.close(),
            Node::Text(text) => walk.text(&text),
            Node::Other => {}
            Node::Eof => break,
        }
    }
    if !reader.seen_element() {
        return Err(ParseError::NoElements);
    }
    Ok(walk.doc.finish())
}

/// Turns an error of the XML layer into a [`ParseError`]. `end` is the byte just after the
/// node read last: where an element too deep ends.
fn parse_error(e: XmlError, end: u64) -> ParseError {
    match e {
        XmlError::Io(io) => {
            if io.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) {
                ParseError::TooLarge
            } else {
                ParseError::Damaged(io.to_string())
            }
        }
        XmlError::Malformed { at, why } => ParseError::Malformed { at, why },
        XmlError::Truncated { at } => ParseError::Truncated { at },
        XmlError::TooDeep { .. } => ParseError::TooDeep { at: end },
    }
}

/// The state of one pass over a part: what each open element means, and the paragraphs
/// built so far.
struct Walk {
    dialect: Dialect,
    /// What each open element means; while skipping, open elements are `Other`.
    stack: Vec<Elem>,
    /// While set, the stack length at which the skipped subtree started.
    skip_from: Option<usize>,
    doc: Builder,
    styles: OdtStyles,
}

impl Walk {
    fn new(dialect: Dialect, limit: u64) -> Walk {
        Walk {
            dialect,
            stack: Vec::new(),
            skip_from: None,
            doc: Builder::new(dialect == Dialect::Odt, limit),
            styles: OdtStyles::default(),
        }
    }

    /// An element starts (`empty` for `<e/>`, which does not stay open).
    fn open(&mut self, ns: Option<&[u8]>, start: &BytesStart<'_>, empty: bool) {
        let elem = if self.skip_from.is_some() {
            Elem::Other
        } else {
            classify(self.dialect, ns, start, self.stack.last(), &mut self.styles)
        };
        let elem = resolve(elem, self.stack.last_mut(), &mut self.doc);
        begin(elem, &mut self.doc);
        if empty {
            end(elem, &mut self.doc);
        } else {
            self.stack.push(elem);
            if elem == Elem::Skip {
                self.skip_from = Some(self.stack.len());
            }
        }
    }

    /// The innermost open element ends.
    fn close(&mut self) {
        let Some(elem) = self.stack.pop() else { return };
        if let Some(from) = self.skip_from {
            if self.stack.len() < from {
                self.skip_from = None;
            }
            return;
        }
        end(elem, &mut self.doc);
    }

    /// Character data: paragraph text when the innermost element holds text.
    fn text(&mut self, text: &str) {
        let collecting = self.skip_from.is_none()
            && matches!(
                (self.dialect, self.stack.last()),
                (Dialect::Docx, Some(Elem::Text))
                    | (Dialect::Odt, Some(Elem::Paragraph(_) | Elem::Inline | Elem::Run { .. }))
            );
        if collecting {
            self.doc.push_text(text);
        }
    }
}

/// What an element means in its place (`parent` is the element around it): which choice of
/// `mc:AlternateContent` is read, whether `w:del` deletes a table row, whether run
/// properties belong to a run. A run property or a run's start changes the formatting of the
/// text that follows.
fn resolve(elem: Elem, parent: Option<&mut Elem>, doc: &mut Builder) -> Elem {
    match elem {
        Elem::Choice => match parent {
            Some(Elem::Alternate(true)) => Elem::Skip,
            Some(Elem::Alternate(taken)) => {
                *taken = true;
                Elem::Other
            }
            _ => Elem::Other,
        },
        Elem::Fallback => match parent {
            Some(Elem::Alternate(true)) => Elem::Skip,
            _ => Elem::Other,
        },
        Elem::Deleted => match parent {
            Some(Elem::RowProps) => {
                doc.delete_row();
                Elem::Other
            }
            _ => Elem::Skip,
        },
        Elem::RunProps => match parent {
            Some(Elem::Run { .. }) => Elem::RunProps,
            _ => Elem::Skip,
        },
        Elem::RunProp(format) => {
            doc.apply(format);
            Elem::Skip
        }
        Elem::Run { format, .. } => Elem::Run { format, before: doc.apply(format) },
        other => other,
    }
}

/// What the start of an element adds to the document.
fn begin(elem: Elem, doc: &mut Builder) {
    match elem {
        Elem::Paragraph(format) => doc.open(Frame::Paragraph(Paragraph {
            after_space: true,
            flags: format.over(0),
            ..Paragraph::default()
        })),
        Elem::Table => doc.open(Frame::Table(Vec::new())),
        Elem::Row => doc.open(Frame::Row { cells: Vec::new(), deleted: false }),
        Elem::Cell => doc.open(Frame::Cell(Vec::new())),
        Elem::Char(c) => doc.push_char(c),
        Elem::Spaces(n) => doc.push_spaces(n),
        _ => {}
    }
}

/// What the end of an element does: closes a structure, ends a run's formatting.
fn end(elem: Elem, doc: &mut Builder) {
    match elem {
        Elem::Paragraph(_) | Elem::Table | Elem::Row | Elem::Cell => doc.close(),
        Elem::Run { before, .. } => doc.restore(before),
        _ => {}
    }
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    /// Paragraphs of text boxes anchored in this one, returned after it.
    after: Vec<DocParagraph>,
    /// OpenDocument white-space collapsing: the last character was collapsible white space,
    /// or nothing was written yet (leading white space is dropped).
    after_space: bool,
    /// The text ends with a collapsible space (dropped at the paragraph's end).
    trailing_space: bool,
    /// The formatting of the text written now ([`BOLD`], [`ITALIC`], [`UNDERLINE`]).
    flags: u8,
    /// The formatted parts of `text`, in order; the rest is plain. Plain paragraphs allocate
    /// nothing here.
    marks: Vec<Mark>,
}

/// Formatted text in a paragraph: bytes `start..end` of its text have `flags`.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    flags: u8,
}

impl Paragraph {
    /// Text, white space collapsed the OpenDocument way.
    fn push_collapsed(&mut self, text: &str) {
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.after_space {
                    self.text.push(' ');
                    self.after_space = true;
                    self.trailing_space = true;
                }
            } else {
                self.text.push(c);
                self.after_space = false;
                self.trailing_space = false;
            }
        }
    }

    /// Records the formatting of the text written since byte `start`.
    fn mark(&mut self, start: usize) {
        let end = self.text.len();
        if self.flags == 0 || end == start {
            return;
        }
        match self.marks.last_mut() {
            Some(last) if last.end == start && last.flags == self.flags => last.end = end,
            _ => self.marks.push(Mark { start, end, flags: self.flags }),
        }
    }

    /// The finished paragraph, and those of its text boxes.
    fn finish(mut self) -> (DocParagraph, Vec<DocParagraph>) {
        if self.trailing_space {
            self.text.pop();
        }
        let (lead, whole) = formatting(&self.text, &self.marks);
        (DocParagraph { text: self.text, lead, whole }, self.after)
    }
}

/// The [`DocParagraph::lead`] and [`DocParagraph::whole`] of `text`, whose formatted parts
/// are `marks`. White space counts neither way: the opening bold or underlined run goes on
/// over it (`Maria Lopez:` with a plain space is one label) and ends at its last character
/// that is not white space.
fn formatting(text: &str, marks: &[Mark]) -> (usize, Option<Emphasis>) {
    if marks.is_empty() {
        return (0, None);
    }
    let (mut lead, mut leading, mut strong, mut italic, mut any) = (0, true, true, true, false);
    let mut next = 0;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        while marks.get(next).is_some_and(|m| m.end <= at) {
            next += 1;
        }
        let flags = marks.get(next).filter(|m| m.start <= at).map_or(0, |m| m.flags);
        let is_strong = flags & (BOLD | UNDERLINE) != 0;
        any = true;
        leading &= is_strong;
        if leading {
            lead = at + c.len_utf8();
        }
        strong &= is_strong;
        italic &= flags & ITALIC != 0;
        if !leading && !italic {
            break;
        }
    }
    match (any, strong, italic) {
        (false, _, _) => (0, None),
        (true, true, _) => (0, Some(Emphasis::Bold)),
        (true, false, true) => (lead, Some(Emphasis::Italic)),
        (true, false, false) => (lead, None),
    }
}

/// An open structure: what paragraphs and rows are collected into.
#[derive(Debug)]
enum Frame {
    Paragraph(Paragraph),
    /// The rows read so far, each a list of cell texts.
    Table(Vec<Vec<String>>),
    Row {
        cells: Vec<String>,
        deleted: bool,
    },
    /// The paragraphs of a cell.
    Cell(Vec<String>),
}

/// Collects paragraphs from the stream of elements, with an explicit stack of open
/// structures.
struct Builder {
    frames: Vec<Frame>,
    out: Vec<DocParagraph>,
    /// Collapse white space the OpenDocument way.
    collapse: bool,
    /// Spaces `text:s` may still add (bounds what a hostile `text:c` can allocate).
    spaces_left: u64,
}

impl Builder {
    fn new(collapse: bool, spaces_budget: u64) -> Builder {
        Builder { frames: Vec::new(), out: Vec::new(), collapse, spaces_left: spaces_budget }
    }

    /// Opens a structure inside the innermost open one.
    fn open(&mut self, frame: Frame) {
        self.frames.push(frame);
    }

    /// The paragraph text is written to, when the innermost structure is a paragraph.
    fn paragraph(&mut self) -> Option<&mut Paragraph> {
        match self.frames.last_mut() {
            Some(Frame::Paragraph(p)) => Some(p),
            _ => None,
        }
    }

    /// Applies `format` to the text that follows in the innermost paragraph, and returns the
    /// formatting it replaces (for [`Builder::restore`]; 0 outside a paragraph).
    fn apply(&mut self, format: Format) -> u8 {
        let Some(p) = self.paragraph() else { return 0 };
        let before = p.flags;
        p.flags = format.over(before);
        before
    }

    /// Formats the text that follows in the innermost paragraph `flags` again.
    fn restore(&mut self, flags: u8) {
        if let Some(p) = self.paragraph() {
            p.flags = flags;
        }
    }

    /// Text content, white space collapsed for OpenDocument.
    fn push_text(&mut self, text: &str) {
        let collapse = self.collapse;
        let Some(p) = self.paragraph() else { return };
        let start = p.text.len();
        if collapse {
            p.push_collapsed(text);
        } else {
            p.text.push_str(text);
        }
        p.mark(start);
    }

    /// A character from an element (tab, break, hyphen): never collapsed.
    fn push_char(&mut self, c: char) {
        let Some(p) = self.paragraph() else { return };
        let start = p.text.len();
        p.text.push(c);
        p.after_space = false;
        p.trailing_space = false;
        p.mark(start);
    }

    /// `n` spaces from `text:s`: never collapsed, and bounded by the budget.
    fn push_spaces(&mut self, n: u64) {
        let n = n.min(self.spaces_left);
        let Some(Frame::Paragraph(p)) = self.frames.last_mut() else { return };
        self.spaces_left -= n;
        let start = p.text.len();
        p.text.extend(std::iter::repeat_n(' ', n as usize));
        p.after_space = false;
        p.trailing_space = false;
        p.mark(start);
    }

    /// Marks the innermost table row as deleted (a tracked change).
    fn delete_row(&mut self) {
        if let Some(Frame::Row { deleted, .. }) =
            self.frames.iter_mut().rev().find(|f| matches!(f, Frame::Row { .. }))
        {
            *deleted = true;
        }
    }

    /// Closes the innermost structure and hands what it produced to the one around it.
    fn close(&mut self) {
        let Some(frame) = self.frames.pop() else { return };
        match frame {
            Frame::Paragraph(p) => {
                let (first, after) = p.finish();
                self.deliver(std::iter::once(first).chain(after));
            }
            Frame::Table(rows) => {
                let lines = table_lines(rows);
                self.deliver(lines.into_iter().map(DocParagraph::plain));
            }
            Frame::Row { cells, deleted } => {
                if deleted {
                    return;
                }
                match self.frames.last_mut() {
                    Some(Frame::Table(rows)) => rows.push(cells),
                    _ => {
                        let lines = table_lines(vec![cells]);
                        self.deliver(lines.into_iter().map(DocParagraph::plain));
                    }
                }
            }
            Frame::Cell(paragraphs) => {
                let text = join_cell(&paragraphs);
                match self.frames.last_mut() {
                    Some(Frame::Row { cells, .. }) => cells.push(text),
                    _ if text.is_empty() => {}
                    _ => self.deliver([DocParagraph::plain(text)]),
                }
            }
        }
    }

    /// Hands finished paragraphs to the innermost open structure (or the document). In a
    /// table only their text is kept.
    fn deliver(&mut self, lines: impl IntoIterator<Item = DocParagraph>) {
        let lines = lines.into_iter();
        match self.frames.last_mut() {
            None => self.out.extend(lines),
            Some(Frame::Paragraph(p)) => p.after.extend(lines),
            Some(Frame::Cell(paragraphs)) => paragraphs.extend(lines.map(|p| p.text)),
            Some(Frame::Row { cells, .. }) => cells.push(join_cell(lines.map(|p| p.text))),
            Some(Frame::Table(rows)) => rows.push(vec![join_cell(lines.map(|p| p.text))]),
        }
    }

    /// The paragraphs of the document.
    fn finish(mut self) -> Vec<DocParagraph> {
        while !self.frames.is_empty() {
            self.close();
        }
        self.out
    }
}

/// A cell's text: its non-empty paragraphs, trimmed, joined with a space.
fn join_cell<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> String {
    let mut text = String::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim();
        if paragraph.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(paragraph);
    }
    text
}

/// Header names of the speaker column.
const SPEAKER_HEADERS: &[&str] = &["speaker", "name", "participant", "person", "respondent"];
/// Header names of the text column.
const TEXT_HEADERS: &[&str] =
    &["text", "transcript", "utterance", "content", "response", "what was said", "statement"];
/// Header names of the time column.
const TIME_HEADERS: &[&str] = &["time", "timestamp", "start", "start time"];

/// The columns named by a header row.
#[derive(Debug, Clone, Copy)]
struct Columns {
    speaker: usize,
    text: usize,
    time: Option<usize>,
}

/// The speaker, text and time columns named by `row`, if it names a speaker and a text
/// column (case-insensitive; a trailing `:` is ignored).
fn header_columns(row: &[String]) -> Option<Columns> {
    let names: Vec<String> = row
        .iter()
        .map(|c| {
            let words: Vec<&str> = c.split_whitespace().collect();
            words.join(" ").trim_end_matches(':').trim_end().to_lowercase()
        })
        .collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    Some(Columns {
        speaker: find(SPEAKER_HEADERS)?,
        text: find(TEXT_HEADERS)?,
        time: find(TIME_HEADERS),
    })
}

/// Whether `cell` reads as a speaker label: 1–40 characters, starting with a letter or digit,
/// at most 5 words, no `:` inside (one trailing `:` is allowed: `Anna:`).
fn is_plausible_speaker(cell: &str) -> bool {
    let label = cell.trim();
    let label = label.strip_suffix(':').unwrap_or(label).trim_end();
    let chars = label.chars().count();
    (1..=40).contains(&chars)
        && label.chars().next().is_some_and(char::is_alphanumeric)
        && label.split_whitespace().count() <= 5
        && !label.contains(':')
}

/// `[TIME] Speaker: text`, leaving out what is empty; `None` when speaker and text are both
/// empty.
fn turn_line(time: &str, speaker: &str, text: &str) -> Option<String> {
    let time = time.trim();
    let time = time.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(time).trim();
    let speaker = speaker.split_whitespace().collect::<Vec<_>>().join(" ");
    let speaker = speaker.strip_suffix(':').unwrap_or(&speaker).trim_end();
    let text = text.trim();
    let mut line = if time.is_empty() { String::new() } else { format!("[{time}] ") };
    match (speaker.is_empty(), text.is_empty()) {
        (true, true) => return None,
        (false, false) => {
            line.push_str(speaker);
            line.push_str(": ");
            line.push_str(text);
        }
        (false, true) => {
            line.push_str(speaker);
            line.push(':');
        }
        (true, false) => line.push_str(text),
    }
    Some(line)
}

/// A row's non-empty cells joined with tabs.
fn tab_line(row: &[String]) -> String {
    let cells: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    cells.join("\t")
}

/// The paragraphs a table becomes: one per non-empty row (see the module documentation).
fn table_lines(rows: Vec<Vec<String>>) -> Vec<String> {
    let rows: Vec<Vec<String>> =
        rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
    let Some(first) = rows.first() else { return Vec::new() };
    if let Some(cols) = header_columns(first) {
        let cell = |row: &[String], i: usize| row.get(i).map_or("", |c| c.as_str()).to_string();
        return rows[1..]
            .iter()
            .filter_map(|row| {
                let time = cols.time.map(|i| cell(row, i)).unwrap_or_default();
                turn_line(&time, &cell(row, cols.speaker), &cell(row, cols.text))
            })
            .collect();
    }
    if is_speaker_table(&rows) {
        return rows
            .iter()
            .map(|row| match row.as_slice() {
                [first, .., last] => turn_line("", first, last).unwrap_or_else(|| tab_line(row)),
                _ => tab_line(row),
            })
            .collect();
    }
    rows.iter().map(|row| tab_line(row)).collect()
}

/// Whether a table without a header is a speaker table: at least two columns, every
/// non-empty first cell a plausible speaker label (and at least one), and text in the last
/// column.
fn is_speaker_table(rows: &[Vec<String>]) -> bool {
    let wide = rows.iter().any(|r| r.len() >= 2);
    let mut labels = 0;
    for row in rows {
        let first = row.first().map_or("", |c| c.trim());
        if first.is_empty() {
            continue;
        }
        if !is_plausible_speaker(first) {
            return false;
        }
        labels += 1;
    }
    let text_last =
        rows.iter().any(|r| r.len() >= 2 && r.last().is_some_and(|c| !c.trim().is_empty()));
    wide && labels > 0 && text_last
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

    const ODF: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

    use qualkit_bench::formats::zip as zip_of;

    /// A .docx whose `w:body` holds `body`.
    fn docx(body: &str) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            ("word/document.xml", &document),
        ])
    }

    /// An .odt whose `office:text` holds `body`.
    fn odt(body: &str) -> Vec<u8> {
        odt_styled("", body)
    }

    /// An .odt whose `office:automatic-styles` hold `styles` (left out when empty) and whose
    /// `office:text` holds `body`.
    fn odt_styled(styles: &str, body: &str) -> Vec<u8> {
        let styles = if styles.is_empty() {
            String::new()
        } else {
            format!("<office:automatic-styles>{styles}</office:automatic-styles>")
        };
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF} office:version="1.2">{styles}<office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", &content),
        ])
    }

    fn read_docx(body: &str) -> Vec<String> {
        docx_paragraphs(Path::new("t.docx"), &docx(body))
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    fn read_odt(body: &str) -> Vec<String> {
        odt_paragraphs(Path::new("t.odt"), &odt(body))
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    /// The paragraphs of a .docx whose body is `body`, with their formatting.
    fn formatted_docx(body: &str) -> Vec<DocParagraph> {
        docx_paragraphs(Path::new("t.docx"), &docx(body)).unwrap()
    }

    /// The paragraphs of an .odt with these automatic styles and body, with their formatting.
    fn formatted_odt(styles: &str, body: &str) -> Vec<DocParagraph> {
        odt_paragraphs(Path::new("t.odt"), &odt_styled(styles, body)).unwrap()
    }

    /// A paragraph as the readers return it.
    fn para(text: &str, lead: usize, whole: Option<Emphasis>) -> DocParagraph {
        DocParagraph { text: text.to_string(), lead, whole }
    }

    /// A Word run with these run properties (none when empty).
    fn run(props: &str, text: &str) -> String {
        let props =
            if props.is_empty() { String::new() } else { format!("<w:rPr>{props}</w:rPr>") };
        format!(r#"<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    /// A Word paragraph of these runs.
    fn wp(runs: &[String]) -> String {
        format!("<w:p>{}</w:p>", runs.concat())
    }

    /// An OpenDocument automatic style of this family with these text properties.
    fn odt_style(name: &str, family: &str, properties: &str) -> String {
        format!(
            r#"<style:style style:name="{name}" style:family="{family}"><style:text-properties {properties}/></style:style>"#
        )
    }

    fn docx_error(bytes: &[u8]) -> String {
        docx_paragraphs(Path::new("t.docx"), bytes).unwrap_err().to_string()
    }

    fn odt_error(bytes: &[u8]) -> String {
        odt_paragraphs(Path::new("t.odt"), bytes).unwrap_err().to_string()
    }

    /// A Word paragraph of one run per string.
    fn p(runs: &[&str]) -> String {
        let runs: String = runs.iter().map(|r| format!("<w:r><w:t>{r}</w:t></w:r>")).collect();
        format!("<w:p>{runs}</w:p>")
    }

    /// A Word table of plain-text cells.
    fn tbl(rows: &[&[&str]]) -> String {
        let rows: String = rows
            .iter()
            .map(|r| {
                let cells: String =
                    r.iter().map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", p(&[c]))).collect();
                format!("<w:tr>{cells}</w:tr>")
            })
            .collect();
        format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
    }

    #[test]
    fn docx_runs_split_across_w_r_are_joined() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Moder</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">ator: Wel</w:t></w:r><w:hyperlink><w:r><w:t>come</w:t></w:r></w:hyperlink><w:ins><w:r><w:t xml:space="preserve"> back.</w:t></w:r></w:ins></w:p>"#;
        assert_eq!(read_docx(body), ["Moderator: Welcome back."]);
    }

    #[test]
    fn docx_entities_are_decoded() {
        let body = "<w:p><w:r><w:t>Tom &amp; Jerry &lt;laughs&gt; &quot;ok&quot; &apos;yes&apos; &#233;t&#xE9; &#x1F600;</w:t></w:r></w:p>";
        assert_eq!(read_docx(body), ["Tom & Jerry <laughs> \"ok\" 'yes' été 😀"]);
    }

    #[test]
    fn entities_xml_does_not_predefine_are_malformed() {
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>Tom&nbsp;Jerry</w:t></w:r></w:p></w:body></w:document>"
        );
        let at = xml.find("&nbsp;").unwrap();
        assert_eq!(
            docx_error(&zip_of(&[("word/document.xml", &xml)])),
            format!(
                "t.docx: word/document.xml is not well-formed XML at byte {at}: unknown entity \
                 `&nbsp;`; XML knows only &lt; &gt; &amp; &quot; &apos; and character \
                 references; the file is damaged — open it in Word and save it again as .docx"
            )
        );
        // Outside the text too: the whole part is not XML.
        let bytes = odt("<text:p>a</text:p><office:forms>&copy;</office:forms>");
        assert!(odt_error(&bytes).contains("unknown entity `&copy;`"), "{}", odt_error(&bytes));
    }

    #[test]
    fn docx_tabs_breaks_and_hyphens() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>00:01</w:t><w:tab/><w:t>Anna: one</w:t><w:br/><w:t>two</w:t><w:cr/><w:t>e</w:t><w:noBreakHyphen/><w:t>mail co</w:t><w:softHyphen/><w:t>operate</w:t><w:br w:type="page"/></w:r></w:p>"#;
        assert_eq!(read_docx(body), ["00:01\tAnna: one\ntwo\ne-mail cooperate\n"]);
    }

    #[test]
    fn docx_empty_paragraphs_are_kept() {
        let body = format!(
            r#"{}<w:p/><w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p>{}<w:p><w:r><w:t></w:t></w:r></w:p>"#,
            p(&["Title: Group 1"]),
            p(&["Anna: Hello"])
        );
        assert_eq!(read_docx(&body), ["Title: Group 1", "", "", "Anna: Hello", ""]);
    }

    #[test]
    fn docx_tracked_deletions_field_codes_and_references_are_ignored() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">Ben: I </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:tab/><w:delText>hate</w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t>like</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t xml:space="preserve"> moved</w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve"> it</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>!</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r></w:p>"#;
        assert_eq!(read_docx(body), ["Ben: I like it!"]);
    }

    #[test]
    fn docx_alternate_content_is_read_once_and_text_boxes_follow_their_paragraph() {
        let textbox = |who: &str| {
            format!(
                "<w:txbxContent><w:p><w:r><w:t>Box {who} one</w:t></w:r></w:p><w:p><w:r><w:t>Box {who} two</w:t></w:r></w:p></w:txbxContent>"
            )
        };
        let body = format!(
            r#"<w:p><w:r><w:t xml:space="preserve">Anna: before </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>{}"#,
            textbox("A"),
            textbox("A"),
            p(&["Ben: next"])
        );
        assert_eq!(read_docx(&body), ["Anna: before after", "Box A one", "Box A two", "Ben: next"]);
        // Content only in a fallback is read.
        let only_fallback = "<w:p><w:r><mc:AlternateContent><mc:Fallback><w:t>old</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>";
        assert_eq!(read_docx(only_fallback), ["old"]);
    }

    #[test]
    fn docx_table_with_speaker_text_and_time_header() {
        let body = format!(
            "{}{}{}",
            p(&["Session: 3"]),
            tbl(&[
                &["Start Time", "Speaker:", "Notes", "What was said"],
                &["00:00:05", "Moderator", "", "Welcome, everyone."],
                &["[00:00:09]", "Anna", "laughs", "Thanks &amp; hi."],
                &["", "", "", ""],
                &["", "", "", "continued"],
                &["00:01:00", "Ben", "", ""],
            ]),
            p(&["End"])
        );
        assert_eq!(
            read_docx(&body),
            [
                "Session: 3",
                "[00:00:05] Moderator: Welcome, everyone.",
                "[00:00:09] Anna: Thanks & hi.",
                "continued",
                "[00:01:00] Ben:",
                "End"
            ]
        );
        let no_time = tbl(&[&["Participant", "Response"], &["P1", "Yes."]]);
        assert_eq!(read_docx(&no_time), ["P1: Yes."]);
    }

    #[test]
    fn docx_headerless_two_column_speaker_table() {
        let body = tbl(&[
            &["Moderator", "What did you think?"],
            &["Participant 3:", "It was fine, really."],
            &["", "And cheap."],
            &["P4", "Too long: far too long."],
        ]);
        assert_eq!(
            read_docx(&body),
            [
                "Moderator: What did you think?",
                "Participant 3: It was fine, really.",
                "And cheap.",
                "P4: Too long: far too long."
            ]
        );
    }

    #[test]
    fn docx_ordinary_table_rows_are_tab_joined() {
        let body = tbl(&[
            &["00:01:02", "Anna", "Hello"],
            &["Theme", "", "Count"],
            &["", "", ""],
            &["a cell with far too many words for a label", "x"],
        ]);
        assert_eq!(
            read_docx(&body),
            [
                "00:01:02\tAnna\tHello",
                "Theme\tCount",
                "a cell with far too many words for a label\tx"
            ]
        );
    }

    #[test]
    fn docx_cell_paragraphs_and_nested_tables_are_flattened() {
        let inner = tbl(&[&["a", "b"], &["c:d", "e"]]);
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}{}<w:p/></w:tc><w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
            p(&["(Note) line one"]),
            p(&["line two"]),
            p(&["x"])
        );
        assert_eq!(read_docx(&body), ["(Note) line one line two\tx a\tb c:d\te"]);
    }

    #[test]
    fn docx_deleted_table_rows_are_left_out() {
        let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Anna</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>kept</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr><w:tc><w:p><w:r><w:t>Ben</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>gone</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        assert_eq!(read_docx(body), ["Anna: kept"]);
    }

    #[test]
    fn docx_with_another_prefix_is_read_by_namespace() {
        let document = r#"<?xml version="1.0"?><doc xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><body><p><r><t>Plain</t></r><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></p></body></doc>"#;
        let bytes = zip_of(&[("word/document.xml", document)]);
        assert_eq!(docx_paragraphs(Path::new("t.docx"), &bytes).unwrap()[0].text, "Plain");
    }

    #[test]
    fn docx_deep_nesting_is_refused_without_recursion() {
        let depth = MAX_DEPTH + 10;
        let body = format!("{}{}", "<w:sdt>".repeat(depth), "</w:sdt>".repeat(depth));
        let message = docx_error(&docx(&body));
        assert!(message.contains("nests elements more than 10000 levels deep"), "{message}");
        // Deep but allowed nesting (tables in cells) is read.
        let mut body = p(&["core"]);
        for _ in 0..500 {
            body = format!("<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl>");
        }
        assert_eq!(read_docx(&body), ["core"]);
    }

    #[test]
    fn docx_error_when_not_a_zip() {
        let message = docx_error(b"Moderator: hello\n");
        assert!(message.starts_with("t.docx: not a Word document (.docx is a zip archive): "));
        assert!(message.contains("open it in Word and Save As .docx without a password"));
        let ole = [OLE_MAGIC.as_slice(), &[0; 504]].concat();
        assert!(docx_error(&ole).contains("old .doc file or a password-protected document"));
        assert!(docx_error(b"").contains("the file is empty"));
    }

    #[test]
    fn docx_error_when_document_xml_is_missing() {
        let bytes = zip_of(&[("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<x/>")]);
        assert_eq!(
            docx_error(&bytes),
            "t.docx: word/document.xml is missing, so this zip archive is not a Word document; \
             open the file in Word and Save As .docx"
        );
    }

    #[test]
    fn docx_error_on_malformed_xml_names_the_byte() {
        let document = |body: &str| {
            let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
            (zip_of(&[("word/document.xml", &xml)]), xml)
        };
        let (bytes, xml) = document("<w:p><w:r></w:p>");
        let message = docx_error(&bytes);
        let at = xml.find("</w:p>").unwrap();
        assert!(
            message.starts_with(&format!(
                "t.docx: word/document.xml is not well-formed XML at byte {at}: "
            )),
            "{message}"
        );
        assert!(message.contains("</w:p>"), "{message}");
        assert!(message.ends_with("open it in Word and save it again as .docx"), "{message}");

        let (bytes, _) = document("<w:p><w:r><w:t>a & b</w:t></w:r></w:p>");
        let message = docx_error(&bytes);
        assert!(message.contains("is not well-formed XML at byte"), "{message}");

        let truncated = zip_of(&[("word/document.xml", &format!("<w:document {W}><w:body><w:p>"))]);
        let message = docx_error(&truncated);
        assert!(message.contains("before all its elements are closed"), "{message}");
        let empty = zip_of(&[("word/document.xml", "")]);
        assert!(docx_error(&empty).contains("contains no XML elements"));
    }

    #[test]
    fn docx_error_when_the_zip_entry_is_damaged() {
        let xml = format!("<w:document {W}><w:body>{}</w:body></w:document>", p(&["Anna: hi"]));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("word/document.xml", stored).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        let mut bytes = zip.finish().unwrap().into_inner();
        let at = bytes.windows(8).position(|w| w == b"Anna: hi").unwrap();
        bytes[at] = b'B';
        let message = docx_error(&bytes);
        assert!(
            message.starts_with("t.docx: word/document.xml cannot be read from the archive ("),
            "{message}"
        );
        assert!(
            message.ends_with("the file is damaged — open it in Word and save it again as .docx")
        );
    }

    #[test]
    fn oversized_parts_are_refused() {
        let body = p(&["Anna: a long enough paragraph to pass the tiny limit"]);
        let bytes = docx(&body);
        let err = paragraphs(Path::new("t.docx"), &bytes, Dialect::Docx, 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.docx: word/document.xml is larger than 100 bytes when decompressed; split the \
             document"
        );
        assert!(paragraphs(Path::new("t.docx"), &bytes, Dialect::Docx, 100_000).is_ok());
        let bytes = odt(&"<text:p>0123456789</text:p>".repeat(20));
        let err = paragraphs(Path::new("t.odt"), &bytes, Dialect::Odt, 200).unwrap_err();
        assert!(err.to_string().contains("content.xml is larger than 200 bytes"));
        assert_eq!(
            ParseError::TooLarge.message(Dialect::Docx, MAX_PART_BYTES),
            "word/document.xml is larger than 256 MB when decompressed; split the document"
        );
    }

    #[test]
    fn odt_spaces_count_tabs_and_line_breaks() {
        let body = r#"<text:p>a<text:s text:c="3"/>b<text:s/>c <text:s text:c="2"/>d<text:tab/>e<text:line-break/>f</text:p><text:p><text:s text:c="2"/>indented</text:p>"#;
        assert_eq!(read_odt(body), ["a   b c   d\te\nf", "  indented"]);
    }

    #[test]
    fn odt_spans_links_and_white_space_collapsing() {
        let body = "<text:h text:outline-level=\"1\">Focus group <text:span>2</text:span></text:h><text:p text:style-name=\"P1\">\n   <text:span text:style-name=\"T1\">Anna:</text:span>  I   <text:a xlink:href=\"x\">love</text:a>\n it. </text:p><text:p/><text:p>  </text:p>";
        assert_eq!(read_odt(body), ["Focus group 2", "Anna: I love it.", "", ""]);
    }

    #[test]
    fn odt_notes_annotations_and_tracked_changes_are_skipped() {
        let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>Ben: It costs<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note> a lot<office:annotation><dc:creator>R</dc:creator><text:p>A comment.</text:p></office:annotation><text:change text:change-id="c1"/>.</text:p>"#;
        assert_eq!(read_odt(body), ["Ben: It costs a lot."]);
    }

    #[test]
    fn odt_lists_text_boxes_and_frames() {
        let body = r#"<text:list><text:list-item><text:p>First</text:p></text:list-item><text:list-item><text:list><text:list-item><text:p>Nested</text:p></text:list-item></text:list></text:list-item></text:list><text:p>Anchor <draw:frame><svg:title>Picture title</svg:title><draw:text-box><text:p>In the box</text:p></draw:text-box></draw:frame>text</text:p>"#;
        assert_eq!(read_odt(body), ["First", "Nested", "Anchor text", "In the box"]);
    }

    #[test]
    fn odt_tables_follow_the_row_rules() {
        let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
        let row = |cells: &[&str]| {
            format!(
                "<table:table-row>{}</table:table-row>",
                cells.iter().map(|c| cell(c)).collect::<String>()
            )
        };
        let body = format!(
            r#"<table:table table:name="T1"><table:table-column table:number-columns-repeated="3"/><table:table-header-rows>{}</table:table-header-rows>{}{}</table:table><table:table>{}{}</table:table>"#,
            row(&["Timestamp", "Respondent", "Transcript"]),
            row(&["0:05", "Anna", "Yes &amp; no."]),
            "<table:table-row><table:table-cell><text:p>0:09</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Carry on</text:p></table:table-cell></table:table-row>",
            row(&["Anna", "Hi"]),
            row(&["Ben", "Bye"])
        );
        assert_eq!(
            read_odt(&body),
            ["[0:05] Anna: Yes & no.", "[0:09] Carry on", "Anna: Hi", "Ben: Bye"]
        );
    }

    #[test]
    fn odt_errors() {
        let message = odt_error(b"<?xml version=\"1.0\"?><office:document/>");
        assert!(
            message.starts_with("t.odt: not an OpenDocument text file (.odt is a zip archive): "),
            "{message}"
        );
        let bytes = zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text")]);
        assert!(odt_error(&bytes).contains("content.xml is missing"));
        let bytes = zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "\u{1}\u{2}binary"),
            (
                "META-INF/manifest.xml",
                r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#,
            ),
        ]);
        assert!(odt_error(&bytes).contains("password-protected"));
        let bytes = zip_of(&[("content.xml", &format!("<office:document-content {ODF}><office:body><text:p>x</text:span></office:body></office:document-content>"))]);
        assert!(odt_error(&bytes).contains("content.xml is not well-formed XML at byte"));
    }

    #[test]
    fn docx_bold_label_run_then_plain_text() {
        let body = [
            wp(&[run("<w:b/>", "Maria"), run("", " I think so.")]),
            wp(&[run("<w:b/>", "Maria:"), run("", " yes")]),
            // Bold with the colon and the space after it inside.
            wp(&[run("<w:b/>", "Maria: "), run("", "yes")]),
            // Leading white space belongs to the lead; byte lengths, not characters.
            wp(&[run("", "  "), run("<w:b/>", "José"), run("", " sí")]),
            wp(&[run("<w:b/>", " "), run("", "Maria says")]),
            wp(&[run("", "Plain: text")]),
        ]
        .concat();
        assert_eq!(
            formatted_docx(&body),
            [
                para("Maria I think so.", 5, None),
                para("Maria: yes", 6, None),
                para("Maria: yes", 6, None),
                para("  José sí", 7, None),
                para(" Maria says", 0, None),
                para("Plain: text", 0, None),
            ]
        );
    }

    #[test]
    fn docx_bold_label_split_across_several_runs() {
        let body = format!(
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mod</w:t></w:r><w:proofErr w:type="spellStart"/>{}<w:hyperlink>{}</w:hyperlink>{}</w:p>{}"#,
            run(r#"<w:rStyle w:val="Normal"/><w:b w:val="true"/><w:bCs/>"#, "erator"),
            run(r#"<w:b w:val="1"/>"#, ":"),
            run("", " Welcome back."),
            wp(&[run(r#"<w:b w:val="on"/>"#, "Maria"), run("<w:b/>", " Lopez:"), run("", " yes")]),
        );
        assert_eq!(
            formatted_docx(&body),
            [para("Moderator: Welcome back.", 10, None), para("Maria Lopez: yes", 12, None)]
        );
    }

    #[test]
    fn docx_underlined_label() {
        let body = [
            wp(&[run(r#"<w:u w:val="single"/>"#, "Interviewer:"), run("", " So.")]),
            wp(&[run(r#"<w:u w:val="double"/>"#, "Anna"), run("", " yes")]),
            wp(&[run(r#"<w:u w:val="none"/>"#, "Anna"), run("", " yes")]),
        ]
        .concat();
        assert_eq!(
            formatted_docx(&body),
            [
                para("Interviewer: So.", 12, None),
                para("Anna yes", 4, None),
                para("Anna yes", 0, None)
            ]
        );
    }

    #[test]
    fn docx_wholly_bold_and_wholly_italic_paragraphs() {
        let body = [
            wp(&[run("<w:b/>", "Moderator:"), run("", " "), run("<w:b/>", "what next?")]),
            wp(&[run("<w:u/>", "All underlined")]),
            wp(&[run("<w:i/>", "(laughter)"), run("", " ")]),
            wp(&[run("<w:b/><w:i/>", "Maria:"), run("<w:i/>", " reads aloud")]),
            wp(&[run("<w:b/><w:i/>", "bold and italic")]),
        ]
        .concat();
        assert_eq!(
            formatted_docx(&body),
            [
                para("Moderator: what next?", 0, Some(Emphasis::Bold)),
                para("All underlined", 0, Some(Emphasis::Bold)),
                para("(laughter) ", 0, Some(Emphasis::Italic)),
                para("Maria: reads aloud", 6, Some(Emphasis::Italic)),
                para("bold and italic", 0, Some(Emphasis::Bold)),
            ]
        );
    }

    #[test]
    fn docx_false_values_are_not_formatting() {
        let body = [
            wp(&[run(r#"<w:b w:val="0"/>"#, "Maria"), run("", " hi")]),
            wp(&[run(r#"<w:b w:val="false"/>"#, "Maria"), run("", " hi")]),
            wp(&[run(r#"<w:b w:val="off"/><w:i w:val="0"/>"#, "all of it")]),
        ]
        .concat();
        assert_eq!(
            formatted_docx(&body),
            [para("Maria hi", 0, None), para("Maria hi", 0, None), para("all of it", 0, None)]
        );
    }

    #[test]
    fn docx_mixed_bold_in_the_middle_is_neither_lead_nor_whole() {
        let body = wp(&[run("", "I think "), run("<w:b/>", "really"), run("", " so.")]);
        assert_eq!(formatted_docx(&body), [para("I think really so.", 0, None)]);
    }

    #[test]
    fn docx_character_styles_and_what_is_not_run_formatting() {
        let body = [
            wp(&[run(r#"<w:rStyle w:val="Strong"/>"#, "Ben"), run("", " ok")]),
            wp(&[run(r#"<w:rStyle w:val="BoldLabel"/>"#, "Ben"), run("", " ok")]),
            wp(&[run(r#"<w:rStyle w:val="Emphasis"/>"#, "an aside")]),
            // Direct formatting wins over the style.
            wp(&[run(r#"<w:rStyle w:val="Strong"/><w:b w:val="0"/>"#, "Ben"), run("", " ok")]),
            // The paragraph mark's formatting, and a tracked formatting change, are not the
            // text's.
            format!(
                "<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr>{}</w:p>",
                run("<w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange>", "Ben ok")
            ),
            // Each run starts plain.
            wp(&[run("<w:b/>", "Ben"), run("", " ok"), run("<w:i/>", "")]),
        ]
        .concat();
        assert_eq!(
            formatted_docx(&body),
            [
                para("Ben ok", 3, None),
                para("Ben ok", 3, None),
                para("an aside", 0, Some(Emphasis::Italic)),
                para("Ben ok", 0, None),
                para("Ben ok", 0, None),
                para("Ben ok", 3, None),
            ]
        );
    }

    #[test]
    fn docx_formatting_with_line_breaks_empty_paragraphs_and_tables() {
        let body = format!(
            "{}{}{}<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Maria</w:t></w:r><w:r><w:t xml:space="preserve"> hi</w:t><w:br/><w:t>more</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>one</w:t><w:br/><w:t>two</w:t></w:r></w:p>"#,
            wp(&[run("<w:b/>", "   ")]),
            wp(&[run("<w:b/>", "Ben"), run("", " paragraph")]),
            wp(&[run("<w:b/>", "Anna")]),
            wp(&[run("", "a cell")]),
        );
        assert_eq!(
            formatted_docx(&body),
            [
                para("Maria hi\nmore", 5, None),
                para("one\ntwo", 0, Some(Emphasis::Bold)),
                para("   ", 0, None),
                para("", 0, None),
                para("Ben paragraph", 3, None),
                para("Anna: a cell", 0, None),
            ]
        );
    }

    #[test]
    fn docx_text_boxes_keep_their_own_formatting() {
        let body = format!(
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Anna: </w:t><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{}{}</w:txbxContent></wps:txbx></w:drawing></mc:Choice></mc:AlternateContent><w:t>more</w:t></w:r>{}</w:p>"#,
            wp(&[run("", "Box plain")]),
            wp(&[run("<w:i/>", "Box italic")]),
            run("", " then plain"),
        );
        assert_eq!(
            formatted_docx(&body),
            [
                para("Anna: more then plain", 10, None),
                para("Box plain", 0, None),
                para("Box italic", 0, Some(Emphasis::Italic)),
            ]
        );
    }

    #[test]
    fn odt_bold_label_span_then_plain_text() {
        let styles = [
            odt_style("T1", "text", r#"fo:font-weight="bold""#),
            odt_style("T2", "text", r#"fo:font-weight="700" style:font-weight-asian="bold""#),
            odt_style("T3", "text", r#"style:text-underline-style="solid""#),
            odt_style("T4", "text", r#"fo:font-weight="400""#),
            odt_style("T5", "text", r#"style:text-underline-style="none""#),
        ]
        .concat();
        let body = r#"<text:p><text:span text:style-name="T1">Maria</text:span> I think so.</text:p><text:p>  <text:span text:style-name="T2">Maria:</text:span>   yes  </text:p><text:p><text:span text:style-name="T3">Interviewer</text:span>: So.</text:p><text:p><text:span text:style-name="T4">Maria</text:span> hi</text:p><text:p><text:span text:style-name="T5">Maria</text:span> hi</text:p><text:p><text:s/><text:span text:style-name="T1">Ben</text:span><text:tab/>ok</text:p>"#;
        assert_eq!(
            formatted_odt(&styles, body),
            [
                para("Maria I think so.", 5, None),
                para("Maria: yes", 6, None),
                para("Interviewer: So.", 11, None),
                para("Maria hi", 0, None),
                para("Maria hi", 0, None),
                para(" Ben\tok", 4, None),
            ]
        );
    }

    #[test]
    fn odt_paragraph_styles_and_style_inheritance() {
        let styles = [
            odt_style("P1", "paragraph", r#"fo:font-weight="bold""#),
            odt_style("P2", "paragraph", r#"fo:font-style="italic""#),
            odt_style("T1", "text", r#"fo:font-weight="normal""#),
            r#"<style:style style:name="T2" style:family="text" style:parent-style-name="Strong_20_Emphasis"/>"#.to_string(),
            r#"<style:style style:name="P3" style:family="paragraph" style:parent-style-name="P1"><style:paragraph-properties fo:margin-top="0in"/></style:style>"#.to_string(),
            // Text properties of a list style belong to no text or paragraph style.
            r#"<style:style style:name="T3" style:family="text"/><text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"><style:text-properties fo:font-weight="bold"/></text:list-level-style-bullet></text:list-style>"#.to_string(),
        ]
        .concat();
        let body = r#"<text:p text:style-name="P1">Moderator: what <text:span text:style-name="T3">next</text:span>?</text:p><text:p text:style-name="P2">(laughter)</text:p><text:p text:style-name="P1">Maria<text:span text:style-name="T1"> hi</text:span></text:p><text:p><text:span text:style-name="T2">Ben</text:span> ok</text:p><text:p><text:span text:style-name="Strong_20_Emphasis">Ben</text:span> <text:span text:style-name="Emphasis">ok</text:span></text:p><text:h text:style-name="P3">All bold</text:h><text:p text:style-name="Standard">Plain</text:p><text:p text:style-name="P1"/>"#;
        assert_eq!(
            formatted_odt(&styles, body),
            [
                para("Moderator: what next?", 0, Some(Emphasis::Bold)),
                para("(laughter)", 0, Some(Emphasis::Italic)),
                para("Maria hi", 5, None),
                para("Ben ok", 3, None),
                para("Ben ok", 3, None),
                para("All bold", 0, Some(Emphasis::Bold)),
                para("Plain", 0, None),
                para("", 0, None),
            ]
        );
    }

    #[test]
    fn odt_mixed_bold_nested_spans_and_tables() {
        let styles = [
            odt_style("T1", "text", r#"fo:font-weight="bold""#),
            odt_style("T2", "text", r#"fo:font-style="italic""#),
        ]
        .concat();
        let body = r#"<text:p>I think <text:span text:style-name="T1">really</text:span> so.</text:p><text:p><text:span text:style-name="T1">Ana <text:span text:style-name="T2">Ruiz</text:span>:</text:span> yes<text:line-break/>and no</text:p><table:table><table:table-row><table:table-cell><text:p><text:span text:style-name="T1">Anna</text:span></text:p></table:table-cell><table:table-cell><text:p>Hi</text:p></table:table-cell></table:table-row></table:table>"#;
        assert_eq!(
            formatted_odt(&styles, body),
            [
                para("I think really so.", 0, None),
                para("Ana Ruiz: yes\nand no", 9, None),
                para("Anna: Hi", 0, None),
            ]
        );
    }

    #[test]
    fn table_rules() {
        let rows = |r: &[&[&str]]| -> Vec<Vec<String>> {
            r.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        };
        assert_eq!(table_lines(rows(&[])), Vec::<String>::new());
        assert_eq!(table_lines(rows(&[&["Name", "Content"]])), Vec::<String>::new());
        assert_eq!(
            table_lines(rows(&[&["Date", "12 May"], &["Place", "Leeds"]])),
            ["Date: 12 May", "Place: Leeds"]
        );
        assert_eq!(table_lines(rows(&[&["only one column"]])), ["only one column"]);
        assert_eq!(table_lines(rows(&[&["-", "x"]])), ["-\tx"]);
        assert!(is_plausible_speaker("Participant 3"));
        assert!(is_plausible_speaker("Anna:"));
        assert!(is_plausible_speaker("3"));
        assert!(!is_plausible_speaker("00:01"));
        assert!(!is_plausible_speaker("(laughs)"));
        assert!(!is_plausible_speaker("one two three four five six"));
        assert!(!is_plausible_speaker(&"x".repeat(41)));
    }

    /// The QualCoder example documents of the shared corpora.
    #[test]
    fn qualcoder_examples_read_when_present() {
        let Some(dir) = crate::shared_corpus::path("qualcoder-examples") else { return };
        let (docx, odt) = (
            std::fs::read(dir.join("ID1.docx")).unwrap(),
            std::fs::read(dir.join("ID2.odt")).unwrap(),
        );
        let text =
            |ps: Vec<DocParagraph>| -> Vec<String> { ps.into_iter().map(|p| p.text).collect() };
        let paragraphs = text(docx_paragraphs(&dir.join("ID1.docx"), &docx).unwrap());
        assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
        assert!(paragraphs[0].starts_with("I really like learning new things."));
        assert!(paragraphs[0].ends_with("web links have been really good."));
        assert!(paragraphs[2].ends_with("I'm happy to pay €200."));
        assert_eq!(paragraphs[3], "");
        let paragraphs = text(odt_paragraphs(&dir.join("ID2.odt"), &odt).unwrap());
        assert_eq!(paragraphs.len(), 3, "{paragraphs:?}");
        assert!(paragraphs[0].starts_with(
            "I have not studied much before, but my father Joe Bloggs really encouraged me"
        ));
        assert!(paragraphs[0].ends_with("searching the web did not help."));
        assert_eq!(paragraphs[2], "The course cost €200.00 and I do not want to waste my money.");
    }
}
