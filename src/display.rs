//! How counts and tables are written for people, in every message and report: `12,345`,
//! `1 turn`, `2 turns`, `1 theme has`, `3 themes have`, and CSV text built in memory. One
//! place, so that a count reads the same in `inspect`, the notes of an import and
//! `report.html`.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
