//! quanteda's YAML dictionaries (`.yml`, `.yaml`): a mapping of categories to lists of words
//! (`positive: [good, great*]`), to one word (`CD: Kongo`), or to a mapping of
//! sub-categories, nested to any depth. Words may be globs (`*` any characters, `?` one).
//! An empty key (`'': Washington`) holds its parent's own words. A YAML file whose top level
//! has neither `codebook` nor `theme` (qualkit's own YAML) is read as one.

use std::path::Path;

use yaml_serde::Value;

use super::Tree;
use crate::codebook::RawCodebook;
use crate::error::{Error, Result};

/// Whether `text` is a quanteda dictionary rather than a qualkit YAML codebook.
pub(in crate::codebook) fn is_dictionary(text: &str) -> bool {
    match yaml_serde::from_str::<Value>(text) {
        Ok(Value::Mapping(map)) => {
            !map.is_empty() && !map.contains_key("codebook") && !map.contains_key("theme")
        }
        _ => false,
    }
}

/// Reads a quanteda YAML dictionary as a codebook (see the module docs).
pub(in crate::codebook) fn parse(path: &Path, text: &str, stem: bool) -> Result<RawCodebook> {
    let value: Value = yaml_serde::from_str(text).map_err(|e| {
        Error::codebook(
            path,
            e.location().map(|l| l.line()),
            None,
            format!("invalid YAML dictionary: {e}"),
        )
    })?;
    let Value::Mapping(map) = value else {
        return Err(Error::codebook(
            path,
            None,
            None,
            "a quanteda YAML dictionary is a mapping of categories to lists of words \
             (`positive: [good, great]`), or to mappings of sub-categories",
        ));
    };
    let mut reading = Reading { path, lines: Locator::new(text), tree: Tree::default() };
    reading.categories(&map, None)?;
    reading.tree.codebook(path, stem, Vec::new())
}

/// A dictionary being read.
struct Reading<'a> {
    path: &'a Path,
    lines: Locator<'a>,
    tree: Tree,
}

impl Reading<'_> {
    /// Adds the categories of `map` under `parent`.
    fn categories(&mut self, map: &yaml_serde::Mapping, parent: Option<usize>) -> Result<()> {
        for (key, value) in map {
            let label = scalar(key).ok_or_else(|| {
                Error::codebook(
                    self.path,
                    None,
                    None,
                    "a category name is not text; write each category as `name: [words]`",
                )
            })?;
            let line = self.lines.find(&label);
            // An empty key holds its parent's own words (quanteda's unnamed entries).
            let node = match parent {
                Some(p) if label.trim().is_empty() => p,
                _ => self.tree.category(&label, parent, line),
            };
            match value {
                Value::Mapping(children) => self.categories(children, Some(node))?,
                Value::Sequence(words) => {
                    for word in words {
                        let line = self.lines.here();
                        match scalar(word) {
                            Some(word) => self.tree.word(node, &word, line),
                            None => {
                                return Err(Error::codebook(
                                    self.path,
                                    Some(line),
                                    None,
                                    format!("the words of `{label}` hold a list or a mapping; list its words, or make it a mapping of sub-categories"),
                                ))
                            }
                        }
                    }
                }
                Value::Null => {}
                other => {
                    if let Some(word) = scalar(other) {
                        self.tree.word(node, &word, line);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The text of a string, number or boolean.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Finds the lines of the categories, in file order.
struct Locator<'a> {
    lines: Vec<&'a str>,
    /// The index of the line of the category found last.
    at: usize,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        Locator { lines: text.lines().collect(), at: 0 }
    }

    /// The 1-based line, from the last one found on, where `key` is followed by `:`.
    fn find(&mut self, key: &str) -> usize {
        let hit = (self.at..self.lines.len()).find(|&i| {
            let l = self.lines[i].trim_start().trim_start_matches(['"', '\'']);
            l.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':')
            })
        });
        if let Some(i) = hit {
            self.at = i;
        }
        self.here()
    }

    /// The line of the category found last.
    fn here(&self) -> usize {
        self.at + 1
    }
}
