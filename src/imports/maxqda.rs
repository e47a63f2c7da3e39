//! MAXQDA's coded segments export ("Export coded segments" of the Retrieved Segments, as
//! Excel or CSV; MAXQDA 2018 to 24): one row per segment and code, with the columns
//! `Document group`, `Document name`, `Code` (a sub-code's path `Parent\Child`, or
//! `Parent > Child` in MAXQDA 24), `Beginning` and `End` (the paragraphs of a text
//! document), `Segment` (the coded text), `Created by`, and others not read (`Color`,
//! `Weight score`, `Comment`, `Area`, `Coverage %`, dates). The German and Spanish names of
//! these columns are read too (`Dokumentname`, `Anfang`, `Ende`; `Nombre del documento`,
//! `Inicio`, `Fin`).

use super::sheet::Sheet;
use super::Coded;
use crate::error::{Error, Result};

/// The headers of the document's name (English, German, Spanish).
pub(super) const DOCUMENT: &[&str] = &["document name", "dokumentname", "nombre del documento"];

/// The headers of the code.
pub(super) const CODE: &[&str] = &["code", "código", "codigo"];

/// The headers of the segment's text.
pub(super) const SEGMENT: &[&str] = &["segment", "segmento"];

/// The codings of a coded segments export.
pub(super) fn codings(sheet: &Sheet) -> Result<Vec<Coded>> {
    let document = sheet.column(DOCUMENT);
    let code = sheet.column(CODE);
    let begin = sheet.column(&["beginning", "begin", "anfang", "inicio"]);
    let end = sheet.column(&["end", "ende", "fin", "final"]);
    let segment = sheet.column(SEGMENT);
    let coder = sheet.column(&["created by", "coder", "erstellt von", "creado por"]);
    let mut out = Vec::new();
    for row in &sheet.rows {
        let path = split_code(sheet.cell(row, code));
        if path.is_empty() {
            continue;
        }
        let paragraph = |column: Option<usize>, what: &str| -> Result<Option<usize>> {
            match sheet.cell(row, column) {
                "" => Ok(None),
                text => text.parse::<usize>().map(Some).map_err(|_| {
                    Error::coding(
                        &sheet.path,
                        Some(row.line),
                        format!("`{what}` is `{text}`; MAXQDA gives a text segment's paragraphs as whole numbers"),
                    )
                }),
            }
        };
        let paragraphs = match (paragraph(begin, "Beginning")?, paragraph(end, "End")?) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            (Some(a), None) => Some((a, a)),
            _ => None,
        };
        out.push(Coded {
            line: row.line,
            id: row.line.to_string(),
            document: sheet.cell(row, document).to_string(),
            code: path,
            content: sheet.cell(row, segment).to_string(),
            paragraphs,
            coder: Some(sheet.cell(row, coder).to_string()).filter(|c| !c.is_empty()),
        });
    }
    Ok(out)
}

/// A code's path: its parts split at `\` or ` > `.
fn split_code(code: &str) -> Vec<String> {
    code.split('\\')
        .flat_map(|part| part.split(" > "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}
