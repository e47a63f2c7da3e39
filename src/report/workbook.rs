//! Excel workbooks: `tables.xlsx`, the report's tables one sheet each, and what it shares with
//! `framework_matrix.xlsx` ([`super::framework`]): fixed document properties (the same inputs
//! give the same bytes), header cells, row and column numbers.
//!
//! `tables.xlsx` is written from the CSV files of the report folder once they are written, so
//! its cells are theirs: numbers as numbers (counts as whole numbers, rates and statistics
//! with three decimals), text as text, headers frozen and columns sized. The mentions sheet
//! holds as many mentions as a sheet can (Excel's 1,048,576 rows), with a last row saying how
//! many more `mentions.csv` and `mentions.parquet` hold; a cell is cut at Excel's 32,767
//! characters.

use std::path::Path;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use super::output::ReportDir;
use crate::display::count;
use crate::error::{Error, Result};

/// The workbook of the tables.
pub const FILE: &str = "tables.xlsx";

/// The fill of a header cell without a colour of its own.
pub(crate) const PLAIN_FILL: u32 = 0xD9D9D9;

/// The rows of a sheet, the header's included.
const MAX_ROWS: usize = 1_048_576;

/// The characters a cell holds.
const MAX_CELL: usize = 32_767;

/// The sheets of `tables.xlsx`: the report file each is read from and its name, in order.
const SHEETS: [(&str, &str); 7] = [
    ("theme_frequencies.csv", "Theme frequencies"),
    ("session_matrix.csv", "Sessions"),
    ("speaker_matrix.csv", "Speakers"),
    ("cooccurrence.csv", "Co-occurrence"),
    ("question_matrix.csv", "Questions"),
    ("comparison.csv", "Comparison"),
    ("mentions.csv", "Mentions"),
];

/// Columns that hold names, even when every value looks like a number (a session `01`).
const TEXT_COLUMNS: [&str; 16] = [
    "session",
    "file",
    "speaker",
    "role",
    "question",
    "question_text",
    "theme",
    "label",
    "parent",
    "text",
    "rule_kind",
    "rule",
    "rule_theme",
    "theme_a",
    "theme_b",
    "more_in",
];

/// The document properties, with a fixed creation date: without it the workbook would
/// record the time it was written, and two runs would differ.
pub(crate) fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    Ok(DocProperties::new().set_title(title).set_author("qualkit").set_creation_datetime(&created))
}

/// A header cell: bold, wrapped, filled with `fill` (grey without one) in a text colour
/// that contrasts with it.
pub(crate) fn header_format(fill: Option<u32>) -> Format {
    let fill = fill.unwrap_or(PLAIN_FILL);
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(text_on(fill)))
}

/// Black or white, whichever reads better on `fill` (`0xRRGGBB`), by perceived brightness.
pub(crate) fn text_on(fill: u32) -> u32 {
    let [_, r, g, b] = fill.to_be_bytes();
    let brightness = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
    if brightness >= 128 {
        0x000000
    } else {
        0xFFFFFF
    }
}

/// A row index as the workbook counts rows.
pub(crate) fn row_num(i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A column index as the workbook counts columns.
pub(crate) fn col_num(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// What a column holds, as the workbook writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Whole numbers.
    Count,
    /// Numbers shown with three decimals.
    Rate,
}

/// Writes `tables.xlsx` into `dir` from the tables it holds (those of [`SHEETS`] written).
pub fn write(dir: &mut ReportDir) -> Result<()> {
    let written = dir.written();
    let mut book = Workbook::new();
    book.set_properties(&properties("qualkit tables").map_err(|e| Error::table(FILE, e))?);
    let formats = Formats::new();
    for (file, name) in SHEETS {
        if !written.iter().any(|w| w == file) {
            continue;
        }
        let path = dir.staged(file);
        let sheet = book.add_worksheet_with_constant_memory().and_then(|ws| ws.set_name(name));
        let sheet = sheet.map_err(|e| Error::table(FILE, e))?;
        let problem = |e: XlsxError| Error::table(FILE, format!("{file}: {e}"));
        if file == "mentions.csv" {
            mentions_sheet(sheet, &path, &formats)?.map_err(problem)?;
        } else {
            table_sheet(sheet, &path, &formats)?.map_err(problem)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(|e| Error::table(FILE, e))?;
    dir.write_bytes(FILE, &bytes)
}

/// The cell formats.
struct Formats {
    header: Format,
    count: Format,
    rate: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: header_format(None),
            count: Format::new().set_num_format("0"),
            rate: Format::new().set_num_format("0.000"),
            note: Format::new().set_italic(),
        }
    }
}

/// The records of a report CSV file.
fn records(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::table(FILE, format!("{}: {e}", path.display())))
}

/// A sheet of a small table: every row read first, so each column's kind is known.
fn table_sheet(
    ws: &mut Worksheet,
    path: &Path,
    formats: &Formats,
) -> Result<Result<(), XlsxError>> {
    let mut reader = records(path)?;
    let header: Vec<String> =
        reader.headers().map_err(|e| Error::table(FILE, e))?.iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::table(FILE, e))?;
    let kinds: Vec<Kind> = (0..header.len())
        .map(|c| kind(&header[c], rows.iter().map(|r| r.get(c).unwrap_or(""))))
        .collect();
    Ok(fill(ws, &header, &kinds, rows.iter(), (rows.len(), MAX_ROWS), formats))
}

/// The mentions sheet: streamed, its kinds fixed (`line`, `turn`, `start`, `end` counts).
fn mentions_sheet(
    ws: &mut Worksheet,
    path: &Path,
    formats: &Formats,
) -> Result<Result<(), XlsxError>> {
    let mut reader = records(path)?;
    let header: Vec<String> =
        reader.headers().map_err(|e| Error::table(FILE, e))?.iter().map(String::from).collect();
    let kinds: Vec<Kind> = header
        .iter()
        .map(|h| {
            if ["line", "turn", "start", "end"].contains(&h.as_str()) {
                Kind::Count
            } else {
                Kind::Text
            }
        })
        .collect();
    let total = line_count(path)?.saturating_sub(1);
    let rows = reader.records().map_while(|r| r.ok());
    Ok(fill(ws, &header, &kinds, rows, (total, MAX_ROWS), formats))
}

/// The records of a CSV file: its lines, quoted line breaks aside (counted by reading).
fn line_count(path: &Path) -> Result<usize> {
    let mut reader = records(path)?;
    let mut n = 1;
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(|e| Error::table(FILE, e))? {
        n += 1;
    }
    Ok(n)
}

/// Writes the header and as many of `rows` (`total` of them) as `max_rows` rows hold, then a
/// note of how many were left out.
fn fill<R: std::borrow::Borrow<csv::StringRecord>>(
    ws: &mut Worksheet,
    header: &[String],
    kinds: &[Kind],
    rows: impl Iterator<Item = R>,
    (total, max_rows): (usize, usize),
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col_num(c)?, h, &formats.header)?;
    }
    let room = if total + 1 > max_rows { max_rows - 2 } else { total };
    let mut written = 0;
    for (r, record) in rows.take(room).enumerate() {
        let record = record.borrow();
        for (c, cell) in record.iter().enumerate() {
            let kind = kinds.get(c).copied().unwrap_or(Kind::Text);
            write_cell(ws, row_num(r + 1)?, col_num(c)?, cell, kind, formats)?;
            if r < 1000 {
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.chars().count().min(60));
                }
            }
        }
        written += 1;
    }
    if written < total {
        let note = format!(
            "… {} left out: a sheet holds {} rows; mentions.csv and mentions.parquet hold every one",
            count(total - written, "mention"),
            max_rows
        );
        ws.write_string_with_format(row_num(written + 1)?, 0, &note, &formats.note)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col_num(c)?, (*w + 2).clamp(6, 60) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row_num(written)?, col_num(header.len().max(1) - 1)?)?;
    Ok(())
}

/// Writes one cell as its column's kind (text when it does not read as a number).
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &str,
    kind: Kind,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    let number = cell.parse::<f64>().ok().filter(|n| n.is_finite());
    match (kind, number) {
        (Kind::Count, Some(n)) => ws.write_number_with_format(row, col, n, &formats.count)?,
        (Kind::Rate, Some(n)) => ws.write_number_with_format(row, col, n, &formats.rate)?,
        _ => ws.write_string(row, col, cut(cell))?,
    };
    Ok(())
}

/// A cell's text within Excel's limit.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A column's kind: text for names and anything not a number; counts when every value is a
/// whole number; rates otherwise.
fn kind<'a>(header: &str, values: impl Iterator<Item = &'a str>) -> Kind {
    if TEXT_COLUMNS.contains(&header) || header.starts_with("attr_") {
        return Kind::Text;
    }
    let mut whole = true;
    let mut any = false;
    for v in values.filter(|v| !v.is_empty()) {
        any = true;
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => whole &= !v.contains(['.', 'e', 'E']),
            _ => return Kind::Text,
        }
    }
    match (any, whole) {
        (false, _) => Kind::Text,
        (true, true) => Kind::Count,
        (true, false) => Kind::Rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_text_counts_or_rates() {
        assert_eq!(kind("mentions", ["3", "", "12"].into_iter()), Kind::Count);
        assert_eq!(kind("per_1000_words", ["3.250", "1"].into_iter()), Kind::Rate);
        assert_eq!(kind("session", ["01", "02"].into_iter()), Kind::Text);
        assert_eq!(kind("site", ["South LA", "3"].into_iter()), Kind::Text);
        assert_eq!(kind("significant", ["true"].into_iter()), Kind::Text);
        assert_eq!(cut(&"é".repeat(MAX_CELL + 5)).chars().count(), MAX_CELL);
    }

    #[test]
    fn rows_beyond_a_sheet_are_left_out_with_a_note() {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let header = vec!["session".to_string(), "turn".to_string()];
        let rows: Vec<csv::StringRecord> = (1..=10)
            .map(|i| csv::StringRecord::from(vec!["mc-01".to_string(), i.to_string()]))
            .collect();
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        let kinds = [Kind::Text, Kind::Count];
        fill(ws, &header, &kinds, rows.iter(), (10, 6), &Formats::new()).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut read: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range_at(0).unwrap().unwrap();
        let cells: Vec<String> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|"))
            .collect();
        assert_eq!(
            cells,
            [
                "session|turn",
                "mc-01|1",
                "mc-01|2",
                "mc-01|3",
                "mc-01|4",
                "… 6 mentions left out: a sheet holds 6 rows; mentions.csv and mentions.parquet hold every one|",
            ]
        );
    }
}
