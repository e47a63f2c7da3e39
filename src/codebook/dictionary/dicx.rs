//! LIWC-22 dictionaries (`.dicx`): a CSV file whose first column, `DicTerm`, holds the words
//! (words, `prefix*` wildcards, phrases) and whose other columns are the categories, named
//! in the header; a word counts for a category when its cell is marked (LIWC-22 writes `X`;
//! any non-blank cell counts but `0`). A weighted dictionary's numbers mark their word too;
//! the weights are dropped (qualkit counts mentions), said in a note. A category named
//! `Parent/Child` (or with `.` or `:`) is a sub-category, as in a `.dic`
//! ([`crate::codebook::liwc`]). The words become terms as in every dictionary (see
//! [`super`]: globs, duplicates, words under a category and its sub-category).
//!
//! Writing lays the codebook out as the `.dic` writer does (the same categories, names and
//! notes) and marks each word's categories with `X`.

use std::path::Path;

use super::Tree;
use crate::codebook::liwc::{hierarchy, layout, Category};
use crate::codebook::{Codebook, Exported, RawCodebook};
use crate::display::CsvText;
use crate::error::{Error, Result};
use crate::ingest::table::{csv_problem, LineCounter};

/// Reads a `.dicx` file as a codebook (see the module docs).
pub(in crate::codebook) fn parse(path: &Path, text: &str, stem: bool) -> Result<RawCodebook> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let problem = |err: csv::Error| {
        let (line, message) = csv_problem(text, &err);
        Error::codebook(path, line, None, message)
    };
    let header = reader.headers().map_err(problem)?.clone();
    let first = header.get(0).map(str::trim).unwrap_or_default();
    if !first.eq_ignore_ascii_case("DicTerm") || header.len() < 2 {
        return Err(Error::codebook(
            path,
            Some(1),
            None,
            format!(
                "the header starts with `{first}`; a LIWC-22 dictionary (.dicx) is a CSV \
                 file whose header is `DicTerm` followed by one column per category"
            ),
        ));
    }
    let categories: Vec<Category> = header
        .iter()
        .skip(1)
        .enumerate()
        .map(|(i, name)| Category {
            number: (i + 1).to_string(),
            name: name.trim().to_string(),
            line: 1,
        })
        .collect();
    if let Some(c) = categories.iter().find(|c| c.name.is_empty()) {
        return Err(Error::codebook(
            path,
            Some(1),
            None,
            format!(
                "column {} of the header has no category name; name every category column",
                c.number.parse::<usize>().unwrap_or(0) + 1
            ),
        ));
    }
    let (nodes, node_of) = hierarchy(&categories);
    let mut tree = Tree::of(nodes);
    let mut lines = LineCounter::new(text);
    let mut weighted = 0;
    for record in reader.records() {
        let record = record.map_err(problem)?;
        let line = lines.line(record.position());
        let word = record.get(0).unwrap_or_default();
        if word.trim().is_empty() {
            continue;
        }
        for (c, cell) in record.iter().skip(1).enumerate().take(categories.len()) {
            let cell = cell.trim();
            match cell.parse::<f64>() {
                Ok(0.0) => continue,
                Ok(_) => weighted += 1,
                Err(_) if cell.is_empty() => continue,
                Err(_) => {}
            }
            tree.word(node_of[c], word, line);
        }
    }
    if tree.is_wordless() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "no word of this dictionary is marked for a category; mark a word's categories \
             with X in their columns",
        ));
    }
    let mut notes = Vec::new();
    if weighted > 0 {
        notes.push(format!(
            "dropped {} (qualkit counts each mention once)",
            crate::display::plural_as(weighted, "weight", "weights")
        ));
    }
    tree.codebook(path, stem, notes)
}

/// The `.dicx` form of `cb` (see the module docs), with what it leaves out as notes.
pub(in crate::codebook) fn write(cb: &Codebook) -> Result<Exported> {
    let layout = layout(cb);
    let mut header = vec!["DicTerm".to_string()];
    header.extend(layout.categories.iter().map(|(_, name)| name.clone()));
    let mut out = CsvText::with_header(&header);
    for (word, numbers) in &layout.entries {
        let mut row = vec![word.clone()];
        row.extend(layout.categories.iter().map(|(n, _)| {
            if numbers.contains(n) {
                "X".to_string()
            } else {
                String::new()
            }
        }));
        out.row(&row);
    }
    let notes = layout
        .notes
        .iter()
        .map(|n| n.replace("a .dic ", "a .dicx ").replace(".dic entry", ".dicx entry"))
        .collect();
    Ok(Exported { text: out.finish(), notes })
}
