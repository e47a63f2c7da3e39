//! What each Word or OpenDocument element means to the paragraph builder.

use quick_xml::events::BytesStart;

use super::styles::{attribute, named_format, Format, OdtStyles, BOLD, ITALIC, UNDERLINE};
use super::Dialect;

/// WordprocessingML namespaces: transitional (what Word writes) and strict.
const W_NS: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility (`mc:AlternateContent`).
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// OpenDocument namespaces.
const ODF_TEXT_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const ODF_TABLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const ODF_OFFICE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const ODF_STYLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";

/// What an element means to the paragraph builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Elem {
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
fn classify_docx(ns: Option<&str>, local: &str) -> Elem {
    match ns {
        Some(ns) if W_NS.contains(&ns) => match local {
            "p" => Elem::Paragraph(Format::default()),
            "r" => Elem::Run { format: Format::PLAIN, before: 0 },
            "rPr" => Elem::RunProps,
            "tbl" => Elem::Table,
            "tr" => Elem::Row,
            "tc" => Elem::Cell,
            "t" => Elem::Text,
            "tab" | "ptab" => Elem::Char('\t'),
            "br" | "cr" => Elem::Char('\n'),
            "noBreakHyphen" => Elem::Char('-'),
            // Paragraph properties hold tab-stop definitions (`w:tabs/w:tab`) that are not
            // text, and a `w:rPr` that formats the paragraph mark (the pilcrow), not the text.
            // `w:rt` is ruby (phonetic guide) text above the base text.
            "pPr" | "sectPr" | "delText" | "instrText" | "delInstrText" | "rt" => Elem::Skip,
            "del" | "moveFrom" => Elem::Deleted,
            "trPr" => Elem::RowProps,
            _ => Elem::Other,
        },
        Some(MC_NS) => match local {
            "AlternateContent" => Elem::Alternate(false),
            "Choice" => Elem::Choice,
            "Fallback" => Elem::Fallback,
            _ => Elem::Other,
        },
        _ => Elem::Other,
    }
}

/// What an element means, given the element around it (`parent`).
pub(super) fn classify(
    dialect: Dialect,
    ns: Option<&str>,
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
fn run_property(ns: Option<&str>, local: &str, start: &BytesStart<'_>) -> Format {
    if !ns.is_some_and(|ns| W_NS.contains(&ns)) {
        return Format::default();
    }
    let val = attribute(start, "val");
    let toggle = !matches!(val.as_deref(), Some("false" | "0" | "off"));
    match local {
        "b" => Format::one(BOLD, toggle),
        "i" => Format::one(ITALIC, toggle),
        "u" => Format::one(UNDERLINE, val.as_deref() != Some("none")),
        "rStyle" => val.map_or_else(Format::default, |name| named_format(&name)),
        _ => Format::default(),
    }
}

/// What an OpenDocument element means; the automatic styles are recorded in `styles` as they
/// go past.
fn classify_odt(
    ns: Option<&str>,
    local: &str,
    start: &BytesStart<'_>,
    parent: Option<&Elem>,
    styles: &mut OdtStyles,
) -> Elem {
    match ns {
        Some(ODF_TEXT_NS) => match local {
            "p" | "h" => Elem::Paragraph(styles.format_of(start)),
            "span" => Elem::Run { format: styles.format_of(start), before: 0 },
            "tab" => Elem::Char('\t'),
            "line-break" => Elem::Char('\n'),
            "s" => Elem::Spaces(space_count(start)),
            "note" | "tracked-changes" => Elem::Skip,
            _ => Elem::Inline,
        },
        Some(ODF_OFFICE_NS) if local == "annotation" => Elem::Skip,
        Some(ODF_STYLE_NS) => match local {
            "style" => {
                styles.begin(start);
                Elem::StyleDef
            }
            "text-properties" if parent == Some(&Elem::StyleDef) => {
                styles.text_properties(start);
                Elem::Other
            }
            _ => Elem::Other,
        },
        Some(ODF_TABLE_NS) => match local {
            "table" => Elem::Table,
            "table-row" => Elem::Row,
            "table-cell" | "covered-table-cell" => Elem::Cell,
            _ => Elem::Other,
        },
        _ => Elem::Other,
    }
}

/// The `text:c` attribute of `text:s` (1 when absent or unreadable).
fn space_count(start: &BytesStart<'_>) -> u64 {
    attribute(start, "c").and_then(|c| c.trim().parse().ok()).unwrap_or(1)
}
