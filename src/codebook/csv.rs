//! The spreadsheet form of a codebook: one row per theme, a header row with the TOML keys,
//! list fields separated by `;` (a literal `;` inside an item is written `\;`), near rules
//! written `a NEAR/3 b`. A row whose id is `[codebook]` carries the codebook's name (in
//! `label`), description (in `definition`) and, in their own columns, `language` and
//! `stemming`.

use std::path::Path;

use super::doc::{Header, NearDoc, ThemeDoc};
use super::{Codebook, Language, Located, RawCodebook, Theme};
use crate::display::CsvText;
use crate::error::{Error, Result};

/// The id that marks the row of codebook settings.
pub const CODEBOOK_ROW: &str = "[codebook]";

/// The theme columns, in the order they are written.
const THEME_COLUMNS: [&str; 14] = [
    "id",
    "label",
    "parent",
    "color",
    "brief",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "terms",
    "patterns",
    "near",
    "exclude",
    "examples",
    "counterexamples",
];

/// Columns only the `[codebook]` row fills.
const CODEBOOK_COLUMNS: [&str; 2] = ["language", "stemming"];

/// Splits a list cell at `;` (not at `\;`), trimming each item and dropping empty ones.
pub fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&';') => {
                current.push(';');
                chars.next();
            }
            ';' => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Joins list items with `; `, escaping `;` inside items.
pub fn join_list(items: &[String]) -> String {
    items.iter().map(|i| i.replace(';', "\\;")).collect::<Vec<_>>().join("; ")
}

/// Normalises a header cell: case, surrounding spaces, and spaces for underscores
/// (`When to use` is `when_to_use`).
fn column_key(header: &str) -> String {
    header.trim().trim_start_matches('\u{feff}').to_lowercase().replace([' ', '-'], "_")
}

/// Parses `a NEAR/3 b`.
fn parse_near(item: &str) -> Option<NearDoc> {
    let upper = item.to_uppercase();
    let at = upper.find(" NEAR/")?;
    let a = item[..at].trim();
    let rest = &item[at + " NEAR/".len()..];
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let within = rest[..digits].parse().ok()?;
    let b = rest[digits..].trim();
    (!a.is_empty() && !b.is_empty() && rest[digits..].starts_with(char::is_whitespace))
        .then(|| NearDoc { a: a.to_string(), b: b.to_string(), within })
}

fn csv_error(path: &Path, text: &str, e: &::csv::Error) -> Error {
    let (line, message) = crate::ingest::table::csv_problem(text, e);
    Error::codebook(path, line, None, message)
}

pub(super) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let keys = match records.next() {
        Some(Ok(header)) => header_keys(path, &header)?,
        Some(Err(e)) => return Err(csv_error(path, text, &e)),
        None => return Err(Error::codebook(path, None, None, "the file is empty; a CSV codebook needs a header row (id,label,parent,…) and one row per theme")),
    };
    let mut header_row: Option<(usize, Header)> = None;
    let mut themes = Vec::new();
    let mut lines = crate::ingest::table::LineCounter::new(text);
    for record in records {
        let record = record.map_err(|e| csv_error(path, text, &e))?;
        let row = Row { path, keys: &keys, line: lines.line(record.position()), record: &record };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        row.check_width()?;
        let id = row.cell("id").unwrap_or_default();
        if id != CODEBOOK_ROW {
            themes.push(row.theme(id)?);
        } else if let Some((first, _)) = header_row {
            return Err(row.error(
                None,
                format!("a second {CODEBOOK_ROW} row (the first is on line {first}); keep one"),
            ));
        } else {
            header_row = Some((row.line, row.settings()?));
        }
    }
    let (line, header) = header_row.map(|(l, h)| (Some(l), h)).unwrap_or((None, Header::default()));
    header.into_raw(path, line, themes, Vec::new())
}

/// The column keys of the `header` row, checked: known, each once, `id` among them.
fn header_keys(path: &Path, header: &::csv::StringRecord) -> Result<Vec<String>> {
    let err = |message: String| Error::codebook(path, Some(1), None, message);
    let keys: Vec<String> = header.iter().map(column_key).collect();
    for (i, k) in keys.iter().enumerate() {
        if !THEME_COLUMNS.contains(&k.as_str()) && !CODEBOOK_COLUMNS.contains(&k.as_str()) {
            return Err(err(format!(
                "unknown column `{}` (column {}); the columns are {} (and, for the {CODEBOOK_ROW} row, {})",
                header.get(i).unwrap_or_default().trim(),
                i + 1,
                THEME_COLUMNS.join(", "),
                CODEBOOK_COLUMNS.join(", ")
            )));
        }
        if let Some(j) = keys[..i].iter().position(|o| o == k) {
            return Err(err(format!(
                "column `{k}` appears twice (columns {} and {}); keep one",
                j + 1,
                i + 1
            )));
        }
    }
    if !keys.iter().any(|k| k == "id") {
        return Err(err("the header row has no `id` column; the first row must name the columns (id,label,parent,…)".into()));
    }
    Ok(keys)
}

/// A row of the codebook below the header, with its line.
struct Row<'a> {
    path: &'a Path,
    keys: &'a [String],
    line: usize,
    record: &'a ::csv::StringRecord,
}

impl Row<'_> {
    fn error(&self, theme: Option<&str>, message: String) -> Error {
        Error::codebook(self.path, Some(self.line), theme, message)
    }

    /// The trimmed cell of column `key`; `None` when the column is missing or the cell blank.
    fn cell(&self, key: &str) -> Option<String> {
        let i = self.keys.iter().position(|k| k == key)?;
        let v = self.record.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// The items of the list cell of column `key`.
    fn list(&self, key: &str) -> Vec<String> {
        self.cell(key).map(|c| split_list(&c)).unwrap_or_default()
    }

    fn check_width(&self) -> Result<()> {
        if self.record.len() <= self.keys.len() {
            return Ok(());
        }
        Err(self.error(
            None,
            format!(
                "the row has {} cells but the header names {} columns; quote cells that contain commas",
                self.record.len(),
                self.keys.len()
            ),
        ))
    }

    /// The codebook settings of the `[codebook]` row.
    fn settings(&self) -> Result<Header> {
        let stemming = match self.cell("stemming").map(|s| s.to_lowercase()) {
            None => None,
            Some(s) if matches!(s.as_str(), "true" | "yes" | "1") => Some(true),
            Some(s) if matches!(s.as_str(), "false" | "no" | "0") => Some(false),
            Some(s) => {
                return Err(self.error(None, format!("`stemming` is `{s}`; write true or false")))
            }
        };
        Ok(Header {
            name: self.cell("label"),
            language: self.cell("language"),
            stemming,
            description: self.cell("definition"),
        })
    }

    /// The theme of a row whose id is `id`.
    fn theme(&self, id: String) -> Result<Theme> {
        if let Some(key) = CODEBOOK_COLUMNS.into_iter().find(|key| self.cell(key).is_some()) {
            return Err(self.error(
                Some(&id),
                format!("`{key}` is a codebook setting; fill it only in the {CODEBOOK_ROW} row"),
            ));
        }
        let mut near = Vec::new();
        for item in self.list("near") {
            near.push(parse_near(&item).ok_or_else(|| {
                self.error(
                    Some(&id),
                    format!("near rule `{item}` is not of the form `a NEAR/3 b` (two terms and a distance in words)"),
                )
            })?);
        }
        let doc = ThemeDoc {
            id,
            label: self.cell("label"),
            parent: self.cell("parent"),
            color: self.cell("color"),
            brief: self.cell("brief"),
            definition: self.cell("definition"),
            when_to_use: self.cell("when_to_use"),
            when_not_to_use: self.cell("when_not_to_use"),
            terms: self.list("terms"),
            patterns: self.list("patterns"),
            near,
            exclude: self.list("exclude"),
            examples: self.list("examples"),
            counterexamples: self.list("counterexamples"),
        };
        let line = self.line;
        Ok(doc.into_theme(line, &mut |_, _| line))
    }
}

/// The CSV form of `cb`: a header row, the `[codebook]` row, one row per theme.
pub(super) fn write(cb: &Codebook) -> String {
    let settings = cb.language != Language::english() || !cb.stemming;
    let mut columns: Vec<&str> = THEME_COLUMNS.to_vec();
    if settings {
        columns.extend(CODEBOOK_COLUMNS);
    }
    let mut text = CsvText::with_header(&columns);
    let blank = || vec![String::new(); columns.len()];
    let set = |row: &mut Vec<String>, key: &str, value: String| {
        if let Some(i) = columns.iter().position(|c| *c == key) {
            row[i] = value;
        }
    };
    let mut row = blank();
    set(&mut row, "id", CODEBOOK_ROW.into());
    set(&mut row, "label", cb.name.clone());
    set(&mut row, "definition", cb.description.clone().unwrap_or_default());
    if settings {
        set(&mut row, "language", cb.language.name().into());
        set(&mut row, "stemming", cb.stemming.to_string());
    }
    text.row(&row);
    let values = |v: &[Located<String>]| v.iter().map(|l| l.value.clone()).collect::<Vec<_>>();
    for t in &cb.themes {
        let doc = ThemeDoc::of(t);
        let mut row = blank();
        set(&mut row, "id", doc.id.clone());
        set(&mut row, "label", t.label.clone());
        set(&mut row, "parent", doc.parent.unwrap_or_default());
        set(&mut row, "color", doc.color.unwrap_or_default());
        set(&mut row, "brief", doc.brief.unwrap_or_default());
        set(&mut row, "definition", doc.definition.unwrap_or_default());
        set(&mut row, "when_to_use", doc.when_to_use.unwrap_or_default());
        set(&mut row, "when_not_to_use", doc.when_not_to_use.unwrap_or_default());
        set(&mut row, "terms", join_list(&values(&t.terms)));
        set(&mut row, "patterns", join_list(&values(&t.patterns)));
        let near: Vec<String> = t.near.iter().map(|n| n.value.to_string()).collect();
        set(&mut row, "near", join_list(&near));
        set(&mut row, "exclude", join_list(&values(&t.exclude)));
        set(&mut row, "examples", join_list(&values(&t.examples)));
        set(&mut row, "counterexamples", join_list(&values(&t.counterexamples)));
        text.row(&row);
    }
    text.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_at_unescaped_semicolons() {
        assert_eq!(split_list(" a ; b\\;c ;; d "), ["a", "b;c", "d"]);
        assert_eq!(split_list(""), Vec::<String>::new());
        let items = vec!["x;y".to_string(), "z".to_string()];
        assert_eq!(join_list(&items), "x\\;y; z");
        assert_eq!(split_list(&join_list(&items)), items);
    }

    #[test]
    fn near_rules_are_read_in_their_written_form() {
        let n = parse_near("líder* near/5 la comunidad").unwrap();
        assert_eq!((n.a.as_str(), n.b.as_str(), n.within), ("líder*", "la comunidad", 5));
        for bad in ["a NEAR b", "a NEAR/x b", "NEAR/3 b", "a NEAR/3", "a NEAR/3b"] {
            assert_eq!(parse_near(bad), None, "{bad}");
        }
    }

    #[test]
    fn headers_are_matched_loosely_and_the_settings_row_is_read() {
        let raw = parse(
            Path::new("cb.csv"),
            "\u{feff}ID,Label,When to use,Terms,Language,Stemming\n\
             [codebook],Study,,,german,no\n\
             \n\
             vertrauen,Vertrauen,Immer,\"Vertrauen; vertrau*\",,\n",
        )
        .unwrap();
        assert_eq!(
            (raw.name.as_str(), raw.language.name(), raw.stemming),
            ("Study", "german", false)
        );
        let t = &raw.themes[0];
        assert_eq!((t.id.as_str(), t.label.as_str(), t.line), ("vertrauen", "Vertrauen", 4));
        assert_eq!(t.when_to_use.as_deref(), Some("Immer"));
        let terms: Vec<_> = t.terms.iter().map(|l| (l.value.as_str(), l.line)).collect();
        assert_eq!(terms, [("Vertrauen", 4), ("vertrau*", 4)]);
    }
}
