//! Taguette's highlights export (`all_tags.csv`, or `.xlsx`; the same in Taguette 1.4 to
//! 1.5): `id,document,tag,content`, one row per highlight and tag (a highlight with two tags
//! is two rows with one id), `document` the document's name in the project (often its file
//! name), `tag` the tag's path (`funding.grants`), `content` the highlighted text with its
//! line breaks made spaces.

use super::sheet::Sheet;
use super::Coded;
use crate::error::{Error, Result};

/// The codings of a highlights export.
pub(super) fn codings(sheet: &Sheet) -> Result<Vec<Coded>> {
    let (id, document, tag, content) = (
        sheet.column(&["id"]),
        sheet.column(&["document"]),
        sheet.column(&["tag"]),
        sheet.column(&["content"]),
    );
    let mut out = Vec::new();
    for row in &sheet.rows {
        let tag = sheet.cell(row, tag);
        if tag.is_empty() {
            continue;
        }
        let document = sheet.cell(row, document);
        if document.is_empty() {
            return Err(Error::coding(&sheet.path, Some(row.line), "the highlight names no document; Taguette's export gives each highlight's document"));
        }
        let id = match sheet.cell(row, id) {
            "" => row.line.to_string(),
            id => id.to_string(),
        };
        out.push(Coded {
            line: row.line,
            id,
            document: document.to_string(),
            code: vec![tag.to_string()],
            content: sheet.cell(row, content).to_string(),
            paragraphs: None,
            coder: None,
        });
    }
    Ok(out)
}
