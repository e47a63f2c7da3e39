//! Taguette's codebook export (`codebook.csv`): one row per tag, its path in a `tag` column
//! (`name` or `path` in some versions; `funding.grants` for a sub-tag), an optional
//! `description`, an optional `parent` (Taguette's development versions), and counts
//! (`number of highlights`, `number of documents`) that are not read. Headers match
//! case-insensitively, as Taguette's own import reads them. The tags become themes as a
//! `.qdc`'s codes do ([`super::qdc`]): ids from the names, a sub-tag under the tag its path
//! begins with, and each leaf its name as a term, since Taguette tags carry no rules.
//!
//! A `.csv` codebook is Taguette's when its header has a `tag` (or `name`, `path`) column and
//! no `id` column (qualkit's own CSV has `id`).

use std::collections::HashMap;
use std::path::Path;

use super::qdc::{from_list, ListedCode};
use super::RawCodebook;
use crate::error::{Error, Result};
use crate::ingest::table::{csv_problem, LineCounter};

/// The header names of the column that holds a tag's path.
const PATH_COLUMNS: [&str; 3] = ["tag", "name", "path"];

/// The header cells of `text`'s first line, lowercased and trimmed.
fn header(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase()).collect())
        .unwrap_or_default()
}

/// Whether a CSV codebook is Taguette's (see the module docs).
pub(super) fn is_taguette(text: &str) -> bool {
    let header = header(text);
    !header.iter().any(|h| h == "id") && header.iter().any(|h| PATH_COLUMNS.contains(&h.as_str()))
}

/// Reads a Taguette codebook CSV (see the module docs).
pub(super) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    let names = header(text);
    let column = |wanted: &[&str]| names.iter().position(|h| wanted.contains(&h.as_str()));
    let Some(tag) = column(&PATH_COLUMNS) else {
        return Err(Error::codebook(
            path,
            Some(1),
            None,
            format!(
                "no `tag` column in the header ({}); a Taguette codebook has the columns \
                 `tag,description,number of highlights`",
                names.join(",")
            ),
        ));
    };
    let (description, parent) = (column(&["description"]), column(&["parent"]));
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let problem = |err: csv::Error| {
        let (line, message) = csv_problem(text, &err);
        Error::codebook(path, line, None, message)
    };
    let mut lines = LineCounter::new(text);
    let mut codes: Vec<ListedCode> = Vec::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(problem)?;
        let line = lines.line(record.position());
        let cell =
            |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim().to_string();
        let name = cell(Some(tag));
        if name.is_empty() {
            continue;
        }
        let parent_name = cell(parent);
        if !parent_name.is_empty() {
            parents.push((codes.len(), parent_name));
        }
        codes.push(ListedCode { line, name, description: cell(description), parent: None });
    }
    if codes.is_empty() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "the codebook lists no tags; a Taguette codebook has one row per tag",
        ));
    }
    let by_name: HashMap<String, usize> =
        codes.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    let mut notes = Vec::new();
    for (i, name) in parents {
        match by_name.get(&name) {
            Some(&p) if p != i => codes[i].parent = Some(p),
            _ => notes.push(format!("tag `{}` (line {}) names a parent `{name}` that the codebook does not list; left at the top", codes[i].name, codes[i].line)),
        }
    }
    from_list(path, codes, notes)
}
