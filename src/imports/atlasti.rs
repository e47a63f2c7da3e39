//! ATLAS.ti's quotation export (the Quotation Manager's Excel export, or it saved as CSV;
//! ATLAS.ti 9 to 24): one row per quotation, with its `ID` (`1:3`: document 1, quotation 3),
//! `Document`, its text (`Content`, `Quotation Content` or `Text Content`), its `Codes` (one
//! per line of the cell; a sub-code named `Parent::Child`), `Start` and `End` (the paragraphs
//! of a text document; or `Reference`, `2 - 3`), and others not read.

use super::sheet::Sheet;
use super::Coded;
use crate::error::Result;

/// The headers of the quotation's text.
pub(super) const CONTENT: &[&str] = &[
    "content",
    "quotation content",
    "text content",
    "quotation",
    "inhalt",
    "zitatinhalt",
    "contenido",
];

/// The headers of the quotation's codes.
pub(super) const CODES: &[&str] = &["codes", "code", "códigos", "codigos"];

/// The headers of the quotation's document.
pub(super) const DOCUMENT: &[&str] = &["document", "dokument", "documento"];

/// The codings of a quotation export: one per quotation and code.
pub(super) fn codings(sheet: &Sheet) -> Result<Vec<Coded>> {
    let id = sheet.column(&["id", "number"]);
    let document = sheet.column(DOCUMENT);
    let content = sheet.column(CONTENT);
    let codes = sheet.column(CODES);
    let (start, end) =
        (sheet.column(&["start", "initial position"]), sheet.column(&["end", "final position"]));
    let reference = sheet.column(&["reference"]);
    let coder = sheet.column(&["created by", "author"]);
    let mut out = Vec::new();
    for row in &sheet.rows {
        let number = |column| sheet.cell(row, column).parse::<usize>().ok();
        let paragraphs = match (number(start), number(end)) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            _ => reference_paragraphs(sheet.cell(row, reference)),
        };
        for code in sheet.cell(row, codes).lines().map(str::trim).filter(|c| !c.is_empty()) {
            let path: Vec<String> = code
                .split("::")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
            out.push(Coded {
                line: row.line,
                id: match sheet.cell(row, id) {
                    "" => row.line.to_string(),
                    id => id.to_string(),
                },
                document: sheet.cell(row, document).to_string(),
                code: path,
                content: sheet.cell(row, content).to_string(),
                paragraphs,
                coder: Some(sheet.cell(row, coder).to_string()).filter(|c| !c.is_empty()),
            });
        }
    }
    Ok(out)
}

/// The paragraphs of a `Reference` cell: `2 - 3` (or `paragraph 2 - 3`).
fn reference_paragraphs(cell: &str) -> Option<(usize, usize)> {
    let cell = cell.trim().trim_start_matches("paragraph").trim();
    let (a, b) = cell.split_once('-').unwrap_or((cell, cell));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}
