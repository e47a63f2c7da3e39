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
use crate::imports::sheet::{self, Sheet};

/// The header names of the column that holds a tag's path.
const PATH_COLUMNS: [&str; 3] = ["tag", "name", "path"];

/// Whether a CSV codebook is Taguette's (see the module docs).
pub(super) fn is_taguette(text: &str) -> bool {
    sheet::parse_csv(Path::new(""), text)
        .is_ok_and(|s| s.column(&["id"]).is_none() && s.column(&PATH_COLUMNS).is_some())
}

/// Reads a Taguette codebook CSV (see the module docs).
pub(super) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    let sheet = sheet::parse_csv(path, text)?;
    let Some(tag) = sheet.column(&PATH_COLUMNS) else {
        return Err(Error::codebook(
            path,
            Some(1),
            None,
            format!(
                "no `tag` column in the header ({}); a Taguette codebook has the columns \
                 `tag,description,number of highlights`",
                sheet.listed()
            ),
        ));
    };
    let (codes, parents) = listed_codes(&sheet, tag);
    if codes.is_empty() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "the codebook lists no tags; a Taguette codebook has one row per tag",
        ));
    }
    let (codes, notes) = with_parents(codes, parents);
    from_list(path, codes, notes)
}

/// The tags of `sheet` (their paths in column `tag`), and the parent each row names.
fn listed_codes(sheet: &Sheet, tag: usize) -> (Vec<ListedCode>, Vec<(usize, String)>) {
    let (description, parent) = (sheet.column(&["description"]), sheet.column(&["parent"]));
    let mut codes: Vec<ListedCode> = Vec::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for row in &sheet.rows {
        let name = sheet.cell(row, Some(tag));
        if name.is_empty() {
            continue;
        }
        let parent_name = sheet.cell(row, parent);
        if !parent_name.is_empty() {
            parents.push((codes.len(), parent_name.to_string()));
        }
        let description = sheet.cell(row, description).to_string();
        codes.push(ListedCode {
            line: row.line,
            name: name.to_string(),
            description,
            parent: None,
        });
    }
    (codes, parents)
}

/// `codes` with the parents their rows name, and a note for each parent not listed.
fn with_parents(
    mut codes: Vec<ListedCode>,
    parents: Vec<(usize, String)>,
) -> (Vec<ListedCode>, Vec<String>) {
    let by_name: HashMap<String, usize> =
        codes.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    let mut notes = Vec::new();
    for (i, name) in parents {
        match by_name.get(&name) {
            Some(&p) if p != i => codes[i].parent = Some(p),
            _ => notes.push(format!(
                "tag `{}` (line {}) names a parent `{name}` that the codebook does not list; \
                 left at the top",
                codes[i].name, codes[i].line
            )),
        }
    }
    (codes, notes)
}
