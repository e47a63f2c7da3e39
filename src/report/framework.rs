//! The framework matrix of Ritchie & Spencer's framework analysis (charting): one row per
//! case, one column per theme, written as `framework_matrix.csv` and as an Excel workbook,
//! `framework_matrix.xlsx`.
//!
//! [`of_summary`] fills a [`FrameworkMatrix`] from the summary; the rest of this module only
//! writes one. The workbook holds an "Overview" sheet of mention counts, then one
//! sheet per top-level theme whose cells hold each case's most representative quote of that
//! theme and of each of its descendants. Same matrix, same bytes.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, Note, Worksheet, XlsxError};

use super::workbook::{col_num, header_format, properties, row_num};
#[cfg(test)]
use super::workbook::{text_on, PLAIN_FILL};

mod fill;
pub use fill::{of_summary, Cases};

use crate::display::count;
use crate::error::{Error, Result};

/// The file name of the framework matrix as CSV.
pub const CSV_FILE: &str = "framework_matrix.csv";

/// The file name of the framework matrix as an Excel workbook.
pub const XLSX_FILE: &str = "framework_matrix.xlsx";

/// The name of the workbook's first sheet, the mention counts.
pub const OVERVIEW_SHEET: &str = "Overview";

/// The width (in characters) of a quote column in a theme's sheet.
const QUOTE_WIDTH: f64 = 50.0;

/// Excel's longest sheet name, in UTF-16 code units.
const SHEET_NAME_MAX: usize = 31;

/// The font colour of a zero count, so that the counts that matter stand out.
const ZERO_GREY: u32 = 0xA6A6A6;

/// The framework matrix: one row per case, one column per theme.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkMatrix<'a> {
    /// What a case is: "speaker" (a speaker within a session) or "session".
    pub cases: &'static str,
    /// The headers of the case columns, e.g. ["session", "speaker", "role", "site", "age"].
    pub case_columns: Vec<String>,
    /// The themes, in codebook order.
    pub themes: Vec<FrameworkTheme>,
    /// The cases, in input order.
    pub rows: Vec<FrameworkRow<'a>>,
}

/// One theme of the matrix: a column of counts, and a column of quotes in the sheet of its
/// top-level theme.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkTheme {
    /// The theme's id in the codebook.
    pub id: String,
    /// The theme's label: the header of its columns in the workbook.
    pub label: String,
    /// `#rrggbb` when the codebook gives the theme a colour (may be None; may also be written
    /// like "#ABC" or "steelblue" by users -- `#rgb` and `#rrggbb` are used, others ignored).
    pub color: Option<String>,
    /// Index (in `themes`) of its top-level ancestor (itself for a top-level theme).
    pub top: usize,
    /// Depth in the tree: 0 for a top-level theme.
    pub depth: usize,
}

/// One case of the matrix: its attributes and its cells. The cells borrow their quotes from
/// the summary, and only the themes the case raised have one, so the matrix of a large corpus
/// is not a second copy of its quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkRow<'a> {
    /// One value per case column ("" when missing).
    pub case: Vec<String>,
    /// (index in `themes`, cell), by index; a theme without a cell is a case that said
    /// nothing of it.
    pub cells: Vec<(usize, FrameworkCell<'a>)>,
}

/// What one case said about one theme.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FrameworkCell<'a> {
    /// The case's mentions of the theme (0: nothing said).
    pub mentions: u64,
    /// The case's most representative quote of the theme, verbatim (already cut to about
    /// 300 characters at a sentence boundary by the caller), when it has mentions.
    pub quote: Option<&'a str>,
    /// Where the quote is.
    pub source: Option<Source<'a>>,
}

/// Where a quote is: written `file:line` (e.g.
/// `transcripts/metaconnects/2025-03-04-south-la.txt:42`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    /// The transcript file.
    pub file: &'a Path,
    /// The 1-based line where the quoted turn starts.
    pub line: u32,
}

impl std::fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// The cell of `row` for theme `theme`: an empty cell when the row has none.
fn cell_of<'a>(row: &FrameworkRow<'a>, theme: usize) -> FrameworkCell<'a> {
    row.cells
        .binary_search_by_key(&theme, |(i, _)| *i)
        .map_or_else(|_| FrameworkCell::default(), |k| row.cells[k].1)
}

/// The value of `row` in case column `column`: "" when the row has fewer values.
fn case_value<'r>(row: &'r FrameworkRow<'_>, column: usize) -> &'r str {
    row.case.get(column).map_or("", String::as_str)
}

/// `framework_matrix.csv`: the case columns, then for each theme `{id}` (its mentions, 0 when
/// none), `{id}_quote` and `{id}_source` ("" when none); one row per case, in order.
pub fn csv(m: &FrameworkMatrix<'_>) -> String {
    let mut bytes = Vec::new();
    write_csv(m, &mut bytes).expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of strings is UTF-8")
}

/// Writes [`csv`] to `out` row by row (a matrix of many cases is not held as one text).
pub fn write_csv(m: &FrameworkMatrix<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut header = m.case_columns.clone();
    for t in &m.themes {
        header.extend([t.id.clone(), format!("{}_quote", t.id), format!("{}_source", t.id)]);
    }
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(&header)?;
    let mut record: Vec<String> = Vec::new();
    for row in &m.rows {
        record.clear();
        record.extend((0..m.case_columns.len()).map(|c| case_value(row, c).to_string()));
        for i in 0..m.themes.len() {
            let cell = cell_of(row, i);
            record.push(cell.mentions.to_string());
            record.push(cell.quote.unwrap_or_default().to_string());
            record.push(cell.source.map(|s| s.to_string()).unwrap_or_default());
        }
        writer.write_record(&record)?;
    }
    writer.flush()
}

/// `framework_matrix.xlsx`: the "Overview" sheet of mention counts (case columns, then one
/// column per theme), then one sheet per top-level theme with the quotes of that theme and of
/// its descendants. Headers and case columns are frozen, headers carry the theme's colour
/// (or its top-level theme's) and the theme id in a note. The bytes depend on `m` alone.
pub fn xlsx(m: &FrameworkMatrix<'_>) -> Result<Vec<u8>> {
    workbook(m).map_err(|e| Error::table(XLSX_FILE, e))
}

/// Builds the workbook and saves it to memory.
fn workbook(m: &FrameworkMatrix<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = super::workbook::new_book();
    let title = format!("Framework matrix: one row per {}", m.cases);
    book.set_properties(&properties(&title)?);
    let styles = Styles::new();
    // Constant memory: each sheet's rows go to a temporary file as they are written (in row
    // order), so a matrix of many cases does not sit in memory cell by cell.
    overview(book.add_worksheet_with_constant_memory()?, m, &styles)?;
    let tops = top_level(m);
    let names = sheet_names(tops.iter().map(|&i| sheet_label(&m.themes[i])));
    for (&top, name) in tops.iter().zip(names) {
        let sheet = book.add_worksheet_with_constant_memory()?.set_name(name)?;
        theme_sheet(sheet, m, top, &styles)?;
    }
    book.save_to_buffer()
}

/// The indexes of the top-level themes, in order.
fn top_level(m: &FrameworkMatrix<'_>) -> Vec<usize> {
    (0..m.themes.len()).filter(|&i| m.themes[i].top == i).collect()
}

/// The text a theme's header and sheet are named after: its label, or its id without one.
fn sheet_label(t: &FrameworkTheme) -> &str {
    if t.label.trim().is_empty() {
        &t.id
    } else {
        &t.label
    }
}

/// The cell formats of the workbook.
struct Styles {
    /// A case column's header.
    header: Format,
    /// A case value.
    case: Format,
    /// A count above zero.
    count: Format,
    /// A zero count.
    zero: Format,
    /// A quote.
    quote: Format,
}

impl Styles {
    /// The formats of every sheet.
    fn new() -> Styles {
        let centred = Format::new().set_align(FormatAlign::Center);
        Styles {
            header: header_format(None),
            case: Format::new().set_align(FormatAlign::Top),
            zero: centred.clone().set_font_color(Color::RGB(ZERO_GREY)),
            count: centred,
            quote: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
        }
    }
}

/// A colour written `#rgb` or `#rrggbb` (any case, surrounding spaces ignored) as
/// `0xRRGGBB`; anything else (a colour name, a typo) is `None`.
fn parse_color(text: &str) -> Option<u32> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => u32::from_str_radix(hex, 16).ok(),
        3 => u32::from_str_radix(&hex.chars().flat_map(|c| [c, c]).collect::<String>(), 16).ok(),
        _ => None,
    }
}

/// The fill of theme `i`'s headers: its own colour, else its top-level theme's.
fn theme_fill(m: &FrameworkMatrix<'_>, i: usize) -> Option<u32> {
    let own = |t: &FrameworkTheme| t.color.as_deref().and_then(parse_color);
    own(&m.themes[i]).or_else(|| m.themes.get(m.themes[i].top).and_then(own))
}

/// The width of case column `c`: its longest value or header, within 8 to 40 characters.
fn case_width(m: &FrameworkMatrix<'_>, c: usize) -> f64 {
    let values = m.rows.iter().map(|row| case_value(row, c));
    let longest = values.chain([m.case_columns[c].as_str()]).map(|v| v.chars().count()).max();
    (longest.unwrap_or(0) + 2).clamp(8, 40) as f64
}

/// The width of a count column: its label (wrapped beyond 18 characters) and room for the
/// filter button.
fn count_width(t: &FrameworkTheme) -> f64 {
    (sheet_label(t).chars().count() + 4).clamp(8, 18) as f64
}

/// Writes the headers and sets the widths of the case columns, the first columns of every
/// sheet.
fn case_headers(ws: &mut Worksheet, m: &FrameworkMatrix<'_>, st: &Styles) -> Result<(), XlsxError> {
    for (c, name) in m.case_columns.iter().enumerate() {
        let col = col_num(c)?;
        ws.write_string_with_format(0, col, name, &st.header)?;
        ws.set_column_width(col, case_width(m, c))?;
    }
    Ok(())
}

/// Writes the case values of case `r` (sheet row `r + 1`).
fn case_row(
    ws: &mut Worksheet,
    m: &FrameworkMatrix<'_>,
    r: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    for c in 0..m.case_columns.len() {
        let value = case_value(&m.rows[r], c);
        if !value.is_empty() {
            ws.write_string_with_format(row_num(r + 1)?, col_num(c)?, value, &st.case)?;
        }
    }
    Ok(())
}

/// Writes theme `i`'s header in column `col`: its label in its colour, with a note that
/// gives its id (and its top-level theme, for a descendant).
fn write_theme_header(
    ws: &mut Worksheet,
    m: &FrameworkMatrix<'_>,
    i: usize,
    col: u16,
    width: f64,
) -> Result<(), XlsxError> {
    let t = &m.themes[i];
    ws.write_string_with_format(0, col, sheet_label(t), &header_format(theme_fill(m, i)))?;
    let mut note = format!("theme id: {}", t.id);
    if let Some(top) = m.themes.get(t.top).filter(|_| t.top != i) {
        note.push_str(&format!("\nunder: {} (depth {})", sheet_label(top), t.depth));
    }
    ws.insert_note(0, col, &Note::new(note).set_author("qualkit").add_author_prefix(false))?;
    ws.set_column_width(col, width)?;
    Ok(())
}

/// Freezes the header row and the case columns, and puts a filter on the header.
fn finish_sheet(
    ws: &mut Worksheet,
    rows: usize,
    columns: usize,
    case_columns: usize,
) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, col_num(case_columns)?)?;
    if columns > 0 {
        ws.autofilter(0, 0, row_num(rows)?, col_num(columns - 1)?)?;
    }
    Ok(())
}

/// The "Overview" sheet: the case columns, then each theme's mention counts as numbers.
fn overview(ws: &mut Worksheet, m: &FrameworkMatrix<'_>, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(OVERVIEW_SHEET)?;
    case_headers(ws, m, st)?;
    let first = m.case_columns.len();
    for (i, t) in m.themes.iter().enumerate() {
        write_theme_header(ws, m, i, col_num(first + i)?, count_width(t))?;
    }
    // Row by row: the sheet is written in constant memory.
    for (r, row) in m.rows.iter().enumerate() {
        case_row(ws, m, r, st)?;
        for i in 0..m.themes.len() {
            let n = cell_of(row, i).mentions;
            let format = if n == 0 { &st.zero } else { &st.count };
            ws.write_number_with_format(row_num(r + 1)?, col_num(first + i)?, n as f64, format)?;
        }
    }
    finish_sheet(ws, m.rows.len(), first + m.themes.len(), first)
}

/// The sheet of top-level theme `top`: the case columns, then the quotes of `top` and of
/// each of its descendants (empty where a case said nothing of the theme).
fn theme_sheet(
    ws: &mut Worksheet,
    m: &FrameworkMatrix<'_>,
    top: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    case_headers(ws, m, st)?;
    let first = m.case_columns.len();
    let family: Vec<usize> = (0..m.themes.len()).filter(|&j| m.themes[j].top == top).collect();
    for (k, &j) in family.iter().enumerate() {
        write_theme_header(ws, m, j, col_num(first + k)?, QUOTE_WIDTH)?;
    }
    // Row by row: the sheet is written in constant memory.
    for (r, row) in m.rows.iter().enumerate() {
        case_row(ws, m, r, st)?;
        for (k, &j) in family.iter().enumerate() {
            if let Some(text) = quote_text(cell_of(row, j)) {
                ws.write_string_with_format(
                    row_num(r + 1)?,
                    col_num(first + k)?,
                    &text,
                    &st.quote,
                )?;
            }
        }
    }
    finish_sheet(ws, m.rows.len(), first + family.len(), first)
}

/// A quote cell: `"quote"`, a new line, `— file:line (3 mentions)`; `None` without mentions.
fn quote_text(cell: FrameworkCell<'_>) -> Option<String> {
    if cell.mentions == 0 {
        return None;
    }
    let mentions = count(cell.mentions, "mention");
    let tail = match cell.source {
        Some(source) => format!("— {source} ({mentions})"),
        None => mentions,
    };
    Some(match cell.quote {
        Some(quote) => format!("\"{quote}\"\n{tail}"),
        None => tail,
    })
}

/// Valid, unique sheet names for the theme sheets, one per label, in order: the characters
/// Excel forbids (`[ ] : * ? / \` and control characters) become spaces, runs of spaces
/// become one, leading and trailing apostrophes go, the name is cut to 31 characters, and a
/// name already taken (case-insensitively, "Overview" and Excel's reserved "History"
/// included) gets ` (2)`, ` (3)`, …
fn sheet_names<'a>(labels: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = vec![OVERVIEW_SHEET.to_lowercase(), "history".to_string()];
    let mut names = Vec::new();
    for (n, label) in labels.into_iter().enumerate() {
        let mut base = clean_sheet_name(label);
        if base.is_empty() {
            base = format!("Theme {}", n + 1);
        }
        let name = unique_sheet_name(&base, &taken);
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// `label` without the characters a sheet name cannot hold, cut to Excel's length.
fn clean_sheet_name(label: &str) -> String {
    let forbidden = |c: char| "[]:*?/\\".contains(c) || c.is_control();
    let spaced: String = label.chars().map(|c| if forbidden(c) { ' ' } else { c }).collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    cut_sheet_name(&words.join(" "), SHEET_NAME_MAX)
}

/// `name` cut to at most `max` UTF-16 code units, without surrounding spaces or apostrophes.
fn cut_sheet_name(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.trim_matches(|c: char| c == '\'' || c.is_whitespace()).chars() {
        if out.encode_utf16().count() + c.len_utf16() > max {
            break;
        }
        out.push(c);
    }
    out.trim_end_matches(|c: char| c == '\'' || c.is_whitespace()).to_string()
}

/// `base`, or `base (2)`, `base (3)`, … (cut so that it fits), whichever is not `taken`.
fn unique_sheet_name(base: &str, taken: &[String]) -> String {
    let free = |name: &str| !taken.contains(&name.to_lowercase());
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!("{}{suffix}", cut_sheet_name(base, SHEET_NAME_MAX - suffix.len()))
        })
        .find(|name| free(name))
        .expect("some suffix is free: there are fewer themes than numbers")
}

#[cfg(test)]
mod tests;
