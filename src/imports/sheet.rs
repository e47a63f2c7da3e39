//! A table of strings read from a CSV (or TSV) file or the first sheet of an Excel workbook
//! (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, read with calamine): what coding exports and coding
//! spreadsheets are, whichever form the tool or the team saved them in.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::error::{Error, Result};
use crate::ingest::table::{csv_problem, LineCounter};

/// A table: its header and its rows, each with where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub path: PathBuf,
    /// The header cells, trimmed (a byte-order mark removed).
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// Whether the rows are a workbook's (numbered as rows) rather than CSV lines.
    pub workbook: bool,
}

/// One row of a [`Sheet`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The 1-based line of a CSV file where the row starts, or the row of the sheet.
    pub line: usize,
    pub cells: Vec<String>,
}

/// Whether `path` names an Excel workbook.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xlsb", "xls"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads the table at `path`: a workbook's first sheet, or CSV (TSV by the `.tsv` extension;
/// `;`- or tab-separated when the header has no comma).
pub fn read(path: &Path) -> Result<Sheet> {
    if is_workbook(path) {
        return read_workbook(path);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    let text = crate::ingest::decode::decode(path, bytes, false)?.text;
    parse_csv(path, &text)
}

/// Reads CSV `text` as a sheet (see [`read`]).
pub fn parse_csv(path: &Path, text: &str) -> Result<Sheet> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(path, text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let problem = |err: csv::Error| {
        let (line, message) = csv_problem(text, &err);
        Error::coding(path, line, message)
    };
    let mut lines = LineCounter::new(text);
    let mut header = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(problem)?;
        let line = lines.line(record.position());
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if header.is_none() {
            header = Some(tidy_header(cells));
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push(SheetRow { line, cells });
        }
    }
    let header = header.ok_or_else(|| {
        Error::coding(
            path,
            None,
            "the file is empty; expected a header row, then one row per coding",
        )
    })?;
    Ok(Sheet { path: path.to_path_buf(), header, rows, workbook: false })
}

/// The first sheet of a workbook.
fn read_workbook(path: &Path) -> Result<Sheet> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    read_workbook_bytes(path, bytes)
}

/// The first sheet of the workbook `bytes` (read from `path`, named in messages).
pub fn read_workbook_bytes(path: &Path, bytes: Vec<u8>) -> Result<Sheet> {
    let problem = |e: calamine::Error| {
        Error::coding(
            path,
            None,
            format!("cannot read this Excel workbook: {e}; save it again from Excel, or as CSV"),
        )
    };
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(problem)?;
    let names = workbook.sheet_names();
    let Some(first) = names.first().cloned() else {
        return Err(Error::coding(path, None, "the workbook has no sheet"));
    };
    let range = workbook.worksheet_range(&first).map_err(problem)?;
    let top = range.start().map_or(0, |(row, _)| row as usize);
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if header.is_none() {
            header = Some(tidy_header(cells));
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push(SheetRow { line: top + i + 1, cells });
        }
    }
    let header = header.ok_or_else(|| {
        Error::coding(
            path,
            None,
            format!("the sheet `{first}` is empty; expected a header row, then one row per coding"),
        )
    })?;
    Ok(Sheet { path: path.to_path_buf(), header, rows, workbook: true })
}

/// A cell as text: numbers as written without a trailing `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Header cells trimmed, a byte-order mark removed.
fn tidy_header(cells: Vec<String>) -> Vec<String> {
    cells.into_iter().map(|c| c.trim().trim_start_matches('\u{feff}').trim().to_string()).collect()
}

/// The field separator of a CSV file: a tab for `.tsv`; else a comma, unless the header has
/// none and has semicolons or tabs (spreadsheets saved with a European locale).
pub fn delimiter(path: &Path, text: &str) -> u8 {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")) {
        return b'\t';
    }
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// A header cell as compared: lowercase, without spaces, `_` or `-`.
pub fn header_key(name: &str) -> String {
    name.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect()
}

impl Sheet {
    /// The first column whose header is one of `names` (compared by [`header_key`]).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let wanted: Vec<String> = names.iter().map(|n| header_key(n)).collect();
        self.header.iter().position(|h| wanted.contains(&header_key(h)))
    }

    /// Row `row`'s cell in column `column`, trimmed ("" when missing).
    pub fn cell<'a>(&self, row: &'a SheetRow, column: Option<usize>) -> &'a str {
        column.and_then(|c| row.cells.get(c)).map_or("", |c| c.trim())
    }

    /// The header as written, for messages.
    pub fn listed(&self) -> String {
        self.header.join(",")
    }

    /// The sheet as CSV text (for the readers of CSV files): the header, then each row.
    pub fn to_csv(&self) -> String {
        let mut out = crate::display::CsvText::with_header(&self.header);
        for row in &self.rows {
            out.row(&row.cells);
        }
        out.finish()
    }
}
