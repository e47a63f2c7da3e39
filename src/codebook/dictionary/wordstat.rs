//! WordStat dictionaries (`.cat`): one category or entry per line, nesting by leading tabs.
//!
//! A line followed by a more indented line is a category (WordStat writes them in capitals,
//! but case does not decide); any other line is an entry of the category it is indented
//! under: a word, a `prefix*` wildcard or a phrase, usually with a weight, `HONEST (1)`. The
//! weight is dropped (qualkit counts mentions), as are WordStat's `@` rule lines, each said
//! in a note. Underscores join the words of a phrase (`HUMAN_RIGHTS`). CRLF, LF and CR-only
//! line ends are read; a tab and four spaces are one level of indent each.

use std::path::Path;

use super::{numbered_lines, Tree};
use crate::codebook::RawCodebook;
use crate::error::{Error, Result};

/// Reads a `.cat` file as a codebook (see the module docs).
pub(in crate::codebook) fn parse(path: &Path, text: &str, stem: bool) -> Result<RawCodebook> {
    let lines: Vec<(usize, usize, &str)> = numbered_lines(text)
        .into_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n, indent(l), l.trim()))
        .collect();
    if lines.is_empty() {
        return Err(Error::codebook(path, None, None, "the file is empty; a WordStat dictionary lists categories, with their words indented under them by a tab"));
    }
    let mut tree = Tree::default();
    // The open categories: (indent, node).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let (mut weights, mut rules, mut outside) = (Vec::new(), Vec::new(), Vec::new());
    for (k, &(n, depth, line)) in lines.iter().enumerate() {
        while open.last().is_some_and(|&(d, _)| d >= depth) {
            open.pop();
        }
        let parent = open.last().map(|&(_, node)| node);
        let is_category = lines.get(k + 1).is_some_and(|&(_, next, _)| next > depth);
        if is_category {
            let node = tree.category(without_weight(line).0, parent, n);
            open.push((depth, node));
            continue;
        }
        if line.starts_with('@') {
            rules.push(n);
            continue;
        }
        let Some(node) = parent else {
            outside.push(n);
            continue;
        };
        let (word, weighted) = without_weight(line);
        if weighted {
            weights.push(n);
        }
        tree.word(node, &word.replace('_', " "), n);
    }
    let mut notes = Vec::new();
    if !weights.is_empty() {
        notes.push(format!(
            "dropped the weights of {} (qualkit counts each mention once)",
            crate::display::plural_as(weights.len(), "entry", "entries")
        ));
    }
    if !rules.is_empty() {
        notes.push(format!(
            "skipped WordStat's `@` rules, which qualkit cannot express: {}",
            super::lines_list(&rules)
        ));
    }
    if !outside.is_empty() {
        notes
            .push(format!("skipped entries outside any category: {}", super::lines_list(&outside)));
    }
    tree.codebook(path, stem, notes)
}

/// The indent of a line: tabs, and runs of four spaces, before its text.
fn indent(line: &str) -> usize {
    let mut depth = 0;
    let mut spaces = 0;
    for c in line.chars() {
        match c {
            '\t' => {
                depth += 1;
                spaces = 0;
            }
            ' ' => {
                spaces += 1;
                if spaces == 4 {
                    depth += 1;
                    spaces = 0;
                }
            }
            _ => break,
        }
    }
    depth
}

/// An entry without its trailing weight `(1)`, and whether it had one.
fn without_weight(line: &str) -> (&str, bool) {
    let line = line.trim();
    if let Some(open) = line.rfind('(') {
        let inside = &line[open + 1..];
        if let Some(number) = inside.strip_suffix(')') {
            if !number.trim().is_empty() && number.trim().parse::<f64>().is_ok() {
                return (line[..open].trim_end(), true);
            }
        }
    }
    (line, false)
}
