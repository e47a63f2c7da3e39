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

/// The columns of a sheet.
const MAX_COLS: usize = 16_384;

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

/// The zip compression level of the workbooks: the fastest. At the default level (6),
/// deflating a large sheet cost several times what writing its cells does; the files are up
/// to 1.7 times larger for it (20.6 MB at 6, 35.4 MB at 1, for 100 MB of transcripts).
const ZIP_LEVEL: u8 = 1;

/// A new workbook, compressed at [`ZIP_LEVEL`].
pub(crate) fn new_book() -> Workbook {
    let mut book = Workbook::new();
    book.set_zip_compression_level(ZIP_LEVEL);
    book
}

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

/// The tables of `dir` that `tables.xlsx` holds, to be read once written: (staged path,
/// report file, sheet name), in sheet order.
pub fn sources(dir: &ReportDir) -> Vec<(std::path::PathBuf, &'static str, &'static str)> {
    let written = dir.written();
    SHEETS
        .iter()
        .filter(|(file, _)| written.iter().any(|w| w == file))
        .map(|&(file, name)| (dir.staged(file), file, name))
        .collect()
}

/// The bytes of `tables.xlsx`, a sheet per table of `sources` (see [`sources`]). It only
/// reads the files, so it may run while the rest of the report is written. Rows are streamed
/// (low memory) and each string is written once, to the shared strings: the mentions sheet
/// repeats its sessions, files, speakers, questions and themes (8 % faster on 50 MB than
/// inline strings; see BENCHMARKS.md).
pub fn build(sources: &[(std::path::PathBuf, &'static str, &'static str)]) -> Result<Vec<u8>> {
    let mut book = new_book();
    book.set_properties(&properties("qualkit tables").map_err(|e| Error::table(FILE, e))?);
    let formats = Formats::new();
    for (path, file, name) in sources {
        let sheet = book.add_worksheet_with_low_memory().and_then(|ws| ws.set_name(*name));
        let sheet = sheet.map_err(|e| Error::table(FILE, e))?;
        Table::open(path, file)?.write(sheet, (MAX_ROWS, MAX_COLS), &formats)?;
    }
    book.save_to_buffer().map_err(|e| Error::table(FILE, e))
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

/// How many rows a column's kind is judged by.
const JUDGED_ROWS: usize = 10_000;

/// A report CSV file being read into a sheet: its header, the first rows (which judge the
/// kinds of the columns) and the rest, streamed.
struct Table<R: std::io::Read> {
    /// The report file, for messages and the note of rows left out.
    file: &'static str,
    header: Vec<String>,
    first: Vec<csv::StringRecord>,
    rest: csv::Reader<R>,
}

impl Table<std::fs::File> {
    /// The report CSV file at `path`.
    fn open(path: &Path, file: &'static str) -> Result<Self> {
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| Error::table(FILE, format!("{file}: {e}")))?;
        Table::of(reader, file)
    }
}

impl<R: std::io::Read> Table<R> {
    /// The table `reader` reads, named `file`.
    fn of(mut rest: csv::Reader<R>, file: &'static str) -> Result<Self> {
        let problem = |e: csv::Error| Error::table(FILE, format!("{file}: {e}"));
        let header: Vec<String> =
            rest.headers().map_err(problem)?.iter().map(String::from).collect();
        let mut first = Vec::new();
        for record in rest.records().take(JUDGED_ROWS) {
            first.push(record.map_err(problem)?);
        }
        Ok(Table { file, header, first, rest })
    }

    /// The kind of each column, judged by the first rows (a later value that does not read
    /// as its column's number is written as text).
    fn kinds(&self) -> Vec<Kind> {
        (0..self.header.len())
            .map(|c| kind(&self.header[c], self.first.iter().map(|r| r.get(c).unwrap_or(""))))
            .collect()
    }

    /// Writes the header and as many rows as `max_rows` rows hold, then a note of how many
    /// were left out; as many columns as `max_cols` hold, the last header saying how many
    /// were left out (a session matrix of more sessions than Excel has columns); columns
    /// sized by the first rows.
    fn write(
        mut self,
        ws: &mut Worksheet,
        (max_rows, max_cols): (usize, usize),
        formats: &Formats,
    ) -> Result<()> {
        let problem = |e: XlsxError| Error::table(FILE, format!("{}: {e}", self.file));
        let shown = self.shown_columns(max_cols);
        let kinds = self.kinds();
        let widths = self.widths();
        for (c, h) in self.header.iter().enumerate().take(shown) {
            let col = col_num(c).map_err(problem)?;
            ws.write_string_with_format(0, col, h, &formats.header).map_err(problem)?;
            // Numbers take their column's format: a cell's own format is looked up by hash
            // for every cell written.
            match kinds[c] {
                Kind::Count => ws.set_column_format(col, &formats.count).map_err(problem)?,
                Kind::Rate => ws.set_column_format(col, &formats.rate).map_err(problem)?,
                Kind::Text => ws,
            };
        }
        if shown < self.header.len() {
            let note = format!(
                "… {} left out: a sheet holds {} columns; {} holds every one",
                count(self.header.len() - shown, "column"),
                crate::display::thousands(max_cols.to_string()),
                self.file
            );
            let col = col_num(shown).map_err(problem)?;
            ws.write_string_with_format(0, col, &note, &formats.note).map_err(problem)?;
        }
        let bad_row = |e: csv::Error| Error::table(FILE, format!("{}: {e}", self.file));
        let write_row = |ws: &mut Worksheet, r: usize, record: &csv::StringRecord| -> Result<()> {
            let row = row_num(r).map_err(problem)?;
            for (c, cell) in record.iter().enumerate().take(shown) {
                let kind = kinds.get(c).copied().unwrap_or(Kind::Text);
                write_cell(ws, row, col_num(c).map_err(problem)?, cell, kind).map_err(problem)?;
            }
            Ok(())
        };
        // Room for the header and, when rows are left out, the note saying so.
        let room = max_rows - 2;
        let mut written = 0;
        let first = std::mem::take(&mut self.first);
        let mut rows = first.into_iter().map(Ok).chain(self.rest.records());
        for record in rows.by_ref().take(room) {
            write_row(ws, written + 1, &record.map_err(bad_row)?)?;
            written += 1;
        }
        let next = rows.next().transpose().map_err(bad_row)?;
        let mut after = 0;
        for record in rows {
            record.map_err(bad_row)?;
            after += 1;
        }
        match next {
            // The last row fits where the note would go.
            Some(record) if after == 0 => {
                write_row(ws, written + 1, &record)?;
                written += 1;
            }
            Some(_) => {
                let also = match self.file {
                    "mentions.csv" => " and mentions.parquet hold",
                    _ => " holds",
                };
                let note = format!(
                    "… {} left out: a sheet holds {} rows; {}{also} every one",
                    count(after + 1, "row"),
                    crate::display::thousands(max_rows.to_string()),
                    self.file
                );
                let row = row_num(written + 1).map_err(problem)?;
                ws.write_string_with_format(row, 0, &note, &formats.note).map_err(problem)?;
            }
            None => {}
        }
        for (c, w) in widths.iter().enumerate().take(shown) {
            ws.set_column_width(col_num(c).map_err(problem)?, *w).map_err(problem)?;
        }
        ws.set_freeze_panes(1, 0).map_err(problem)?;
        let last_col = col_num(shown.max(1) - 1).map_err(problem)?;
        ws.autofilter(0, 0, row_num(written).map_err(problem)?, last_col).map_err(problem)?;
        Ok(())
    }

    /// How many of the columns a sheet of `max_cols` columns shows: all of them, or all but
    /// the last column's room, which holds the note of those left out.
    fn shown_columns(&self, max_cols: usize) -> usize {
        if self.header.len() <= max_cols {
            self.header.len()
        } else {
            max_cols - 1
        }
    }

    /// Each column's width: its longest header or value in the first rows, within 6 to 60.
    fn widths(&self) -> Vec<f64> {
        (0..self.header.len())
            .map(|c| {
                let values = self.first.iter().map(|r| r.get(c).unwrap_or("").chars().count());
                let longest = values.chain([self.header[c].chars().count()]).max().unwrap_or(0);
                (longest.min(60) + 2).clamp(6, 60) as f64
            })
            .collect()
    }
}

/// Writes one cell as its column's kind (text when it does not read as a number).
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &str,
    kind: Kind,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    let number = cell.parse::<f64>().ok().filter(|n| n.is_finite());
    match (kind, number) {
        (Kind::Count | Kind::Rate, Some(n)) => ws.write_number(row, col, n)?,
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

    /// The cells of the first sheet of workbook `bytes`, a row per line, `|` between cells.
    fn cells(bytes: Vec<u8>) -> Vec<String> {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let mut read: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range_at(0).unwrap().unwrap();
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|"))
            .collect()
    }

    /// A sheet of `csv` (read as `file`) with at most `max_rows` rows and `max_cols` columns.
    fn sheet_of(csv: &str, file: &'static str, max_rows: usize, max_cols: usize) -> Vec<String> {
        let reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv.as_bytes());
        let table = Table::of(reader, file).unwrap();
        let mut book = Workbook::new();
        table.write(book.add_worksheet(), (max_rows, max_cols), &Formats::new()).unwrap();
        cells(book.save_to_buffer().unwrap())
    }

    /// A sheet of `csv` (read as mentions.csv) with at most `max_rows` rows.
    fn sheet(csv: &str, max_rows: usize) -> Vec<String> {
        sheet_of(csv, "mentions.csv", max_rows, MAX_COLS)
    }

    #[test]
    fn columns_beyond_a_sheet_are_left_out_with_a_note() {
        let csv = "theme,s1,s2,s3,s4,s5\ntrust,1,2,3,4,5\nvalues,6,7,8,9,10\n";
        assert_eq!(
            sheet_of(csv, "session_matrix.csv", MAX_ROWS, 4),
            [
                "theme|s1|s2|… 3 columns left out: a sheet holds 4 columns; \
                 session_matrix.csv holds every one",
                "trust|1|2|",
                "values|6|7|",
            ]
        );
        // Exactly as many columns as the sheet holds: all of them, no note.
        assert_eq!(sheet_of(csv, "session_matrix.csv", MAX_ROWS, 6)[1], "trust|1|2|3|4|5");
    }

    #[test]
    fn rows_beyond_a_sheet_are_left_out_with_a_note() {
        let csv: String = std::iter::once("session,turn\n".to_string())
            .chain((1..=10).map(|i| format!("mc-01,{i}\n")))
            .collect();
        assert_eq!(
            sheet(&csv, 6),
            [
                "session|turn",
                "mc-01|1",
                "mc-01|2",
                "mc-01|3",
                "mc-01|4",
                "… 6 rows left out: a sheet holds 6 rows; mentions.csv and mentions.parquet \
                 hold every one|",
            ]
        );
        // Exactly as many rows as the sheet holds: all of them, no note.
        let five: String = csv.lines().take(6).map(|l| format!("{l}\n")).collect();
        assert_eq!(sheet(&five, 6).len(), 6);
        assert_eq!(sheet(&five, 6)[5], "mc-01|5");
    }
}
