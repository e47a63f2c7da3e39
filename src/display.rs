//! How counts and tables are written for people, in every message and report: `12,345`,
//! `1 turn`, `2 turns`, `1 theme has`, `3 themes have`, and CSV text built in memory. One
//! place, so that a count reads the same in `inspect`, the notes of an import and
//! `report.html`, and one renderer of aligned text tables.

use std::fmt::Display;

/// A choice of a few values with names (`--unit turn`, `--speakers-by labels`): each value,
/// its name as options and manifests write it, and what it means (shown by `--help`).
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// Every value, with its name and meaning, in the order `--help` lists them.
    const CHOICES: &'static [(Self, &'static str, &'static str)];

    /// The value's name.
    fn name(self) -> &'static str {
        Self::CHOICES.iter().find(|c| c.0 == self).map_or("", |c| c.1)
    }

    /// The value named `name`, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES.iter().find(|c| c.1 == name).map(|c| c.0)
    }
}

/// A p-value for people (text tables, `report.html`, Markdown): three decimals, or `< 0.001`
/// below a thousandth (APA style). The README's "p-values" says so once for every output.
pub fn p_for_people(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// A p-value for machines (CSV, JSON text): six decimals, or scientific notation with four
/// significant digits below 0.0001, so that small values keep their size.
pub fn p_for_machines(p: f64) -> String {
    if p >= 1e-4 || p == 0.0 {
        format!("{p:.6}")
    } else {
        format!("{p:.3e}")
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: impl Display) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 turn`, `2,500 turns`: a count with thousands separators and a regular plural.
pub fn count(n: impl Display, what: &str) -> String {
    let digits = n.to_string();
    let s = if digits == "1" { "" } else { "s" };
    format!("{} {what}{s}", thousands(digits))
}

/// `1 turn`, `2500 turns`: a count as digits alone and a regular plural (where a report has
/// always written it so).
pub fn plural(n: impl Display, what: &str) -> String {
    let digits = n.to_string();
    let s = if digits == "1" { "" } else { "s" };
    format!("{digits} {what}{s}")
}

/// `1 category is`, `3 categories are`: a count with its own singular and plural words.
pub fn plural_as(n: impl Display, one: &str, many: &str) -> String {
    let digits = n.to_string();
    format!("{digits} {}", if digits == "1" { one } else { many })
}

/// `text` when it has at most `max` characters; else its first `max - 1` characters and `…`
/// (so at most `max` in all), in every message and report that quotes a line or a label.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let end = text.char_indices().nth(max.saturating_sub(1)).map_or(text.len(), |c| c.0);
            format!("{}…", text[..end].trim_end())
        }
    }
}

/// [`shorten`] at a word: `text` cut at the last space within `max` characters, with `…`.
pub fn shorten_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", cut.trim_end())
}

/// A CSV document built in memory, row by row. Writing to memory cannot fail, so no row
/// returns an error.
pub struct CsvText(csv::Writer<Vec<u8>>);

impl Default for CsvText {
    fn default() -> Self {
        CsvText(csv::Writer::from_writer(Vec::new()))
    }
}

impl CsvText {
    /// A document that starts with the `header` row.
    pub fn with_header<I, T>(header: I) -> CsvText
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut text = CsvText::default();
        text.row(header);
        text
    }

    /// Appends a row.
    pub fn row<I, T>(&mut self, record: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.0.write_record(record).expect("writing CSV to memory cannot fail");
    }

    /// The document.
    pub fn finish(self) -> String {
        let bytes = self.0.into_inner().expect("writing CSV to memory cannot fail");
        String::from_utf8(bytes).expect("CSV of strings is UTF-8")
    }
}

/// A CSV document of a `header` row and `rows`.
pub fn csv_text(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut text = CsvText::with_header(header);
    for row in rows {
        text.row(&row);
    }
    text.finish()
}

/// How a column of a [`TextTable`] lines up its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: cells start at the column's left edge.
    Left,
    /// Numbers: cells end at the column's right edge.
    Right,
}

/// One column's layout: alignment, width rule, and the spaces before it.
#[derive(Clone, Copy)]
struct Column {
    align: Align,
    width: usize,
    fixed: bool,
    gap: usize,
}

/// An aligned plain-text table, as every text listing prints one: columns two spaces apart,
/// the first left-aligned and the rest (numbers) right-aligned unless set otherwise, each as
/// wide as its widest cell, trailing spaces trimmed. A left-aligned last column is never
/// padded.
pub struct TextTable {
    columns: Vec<Column>,
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    spans: Vec<(usize, usize, String)>,
    indent: usize,
    trim: bool,
}

impl TextTable {
    /// A table with a `header` row: the first column left-aligned, the others right.
    pub fn new(header: &[&str]) -> TextTable {
        let mut table = TextTable::headless(header.len());
        for column in table.columns.iter_mut().skip(1) {
            column.align = Align::Right;
        }
        table.header = Some(header.iter().map(|h| h.to_string()).collect());
        table
    }

    /// A table of `columns` left-aligned columns without a header row.
    pub fn headless(columns: usize) -> TextTable {
        let column = Column { align: Align::Left, width: 0, fixed: false, gap: 2 };
        TextTable {
            columns: vec![column; columns],
            header: None,
            rows: Vec::new(),
            spans: Vec::new(),
            indent: 0,
            trim: true,
        }
    }

    /// Left-aligns `column`.
    pub fn left(&mut self, column: usize) -> &mut Self {
        self.align(column, Align::Left)
    }

    /// Aligns `column`.
    pub fn align(&mut self, column: usize, align: Align) -> &mut Self {
        self.columns[column].align = align;
        self
    }

    /// Pads `column` to exactly `width` characters: a longer cell overflows its own line
    /// instead of widening the column (as `{:<9}` does).
    pub fn fixed_width(&mut self, column: usize, width: usize) -> &mut Self {
        self.columns[column].width = width;
        self.columns[column].fixed = true;
        self
    }

    /// Puts `gap` spaces (instead of two) before `column`.
    pub fn gap_before(&mut self, column: usize, gap: usize) -> &mut Self {
        self.columns[column].gap = gap;
        self
    }

    /// Starts every line with `indent` spaces.
    pub fn indent(&mut self, indent: usize) -> &mut Self {
        self.indent = indent;
        self
    }

    /// Keeps what ends a line (trailing spaces of its cells, empty right-aligned cells).
    pub fn keep_trailing_space(&mut self) -> &mut Self {
        self.trim = false;
        self
    }

    /// A title over the `n` columns from `first`, on a line above the header, right-aligned
    /// over them; the columns widen to fit it.
    pub fn span(&mut self, first: usize, n: usize, title: &str) -> &mut Self {
        self.spans.push((first, n, title.to_string()));
        self
    }

    /// Appends a row, one cell per column.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table, one line per row (after the span titles and the header).
    pub fn render(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        if !self.spans.is_empty() {
            out.push_str(&self.titles(&widths));
        }
        for cells in self.header.iter().chain(&self.rows) {
            out.push_str(&self.line(cells, &widths));
        }
        out
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.width).collect();
        for cells in self.header.iter().chain(&self.rows) {
            for ((w, column), cell) in widths.iter_mut().zip(&self.columns).zip(cells) {
                if !column.fixed {
                    *w = (*w).max(chars(cell));
                }
            }
        }
        for (first, n, title) in &self.spans {
            let span = self.span_width(&widths, *first, *n);
            if chars(title) > span {
                widths[*first] += chars(title) - span;
            }
        }
        widths
    }

    fn span_width(&self, widths: &[usize], first: usize, n: usize) -> usize {
        let gaps: usize = self.columns[first + 1..first + n].iter().map(|c| c.gap).sum();
        widths[first..first + n].iter().sum::<usize>() + gaps
    }

    fn titles(&self, widths: &[usize]) -> String {
        let mut titles = " ".repeat(self.indent);
        let mut at = self.indent;
        for (first, n, title) in &self.spans {
            let gaps: usize = self.columns[1..=*first].iter().map(|c| c.gap).sum();
            let start = self.indent + widths[..*first].iter().sum::<usize>() + gaps;
            let end = start + self.span_width(widths, *first, *n);
            titles.push_str(&" ".repeat((end - chars(title)).saturating_sub(at)));
            titles.push_str(title);
            at = end;
        }
        titles + "\n"
    }

    fn line(&self, cells: &[String], widths: &[usize]) -> String {
        let mut line = " ".repeat(self.indent);
        for (i, cell) in cells.iter().enumerate() {
            let column = self.columns[i];
            if i > 0 {
                line.push_str(&" ".repeat(column.gap));
            }
            let pad = " ".repeat(widths[i].saturating_sub(chars(cell)));
            match column.align {
                Align::Left if i + 1 == cells.len() => line.push_str(cell),
                Align::Left => line.push_str(&(cell.clone() + &pad)),
                Align::Right => line.push_str(&(pad + cell)),
            }
        }
        if self.trim {
            line.truncate(line.trim_end().len());
        }
        line + "\n"
    }
}

/// A cell's width: its characters.
fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortened_text_keeps_to_its_length() {
        assert_eq!(shorten("Moderator: welcome", 18), "Moderator: welcome");
        assert_eq!(shorten("Moderator: welcome all", 12), "Moderator:…");
        assert_eq!(shorten("Zoë über alles", 5), "Zoë…");
        assert_eq!(shorten_at_word("What makes a good organizer?", 20), "What makes a good…");
        assert_eq!(shorten_at_word("short", 20), "short");
    }

    #[test]
    fn counts_for_people() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999usize), "999");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
        assert_eq!(count(1usize, "turn"), "1 turn");
        assert_eq!(count(2500u64, "turn"), "2,500 turns");
        assert_eq!(plural(2500usize, "quote"), "2500 quotes");
        assert_eq!(plural(1usize, "quote"), "1 quote");
        assert_eq!(plural_as(3usize, "category is", "categories are"), "3 categories are");
        assert_eq!(plural_as(1usize, "category is", "categories are"), "1 category is");
    }

    #[test]
    fn csv_text_quotes_what_needs_it() {
        let rows = vec![vec!["a, b".to_string(), "say \"hi\"".to_string()]];
        assert_eq!(csv_text(&["x", "y"], rows), "x,y\n\"a, b\",\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn text_tables_align_numbers_right() {
        let mut t = TextTable::new(&["theme", "n", "note"]);
        t.left(2);
        t.row(vec!["trust".into(), "12".into(), "".into()]);
        t.row(vec!["a".into(), "3".into(), "ok".into()]);
        assert_eq!(t.render(), "theme   n  note\ntrust  12\na       3  ok\n");
    }

    #[test]
    fn text_tables_span_titles_and_fixed_widths() {
        let mut t = TextTable::new(&["g", "a", "b"]);
        t.span(1, 2, "counts");
        t.row(vec!["x".into(), "1".into(), "2".into()]);
        assert_eq!(t.render(), "   counts\ng    a  b\nx    1  2\n");
        let mut t = TextTable::headless(2);
        t.fixed_width(0, 3).indent(2).gap_before(1, 1).keep_trailing_space();
        t.row(vec!["long".into(), "x ".into()]);
        t.row(vec!["a".into(), "y".into()]);
        assert_eq!(t.render(), "  long x \n  a   y\n");
    }
}
