//! Lexicoder dictionaries (`.lc3`, `.lcd`): a line `+Category` opens a category, and each
//! line after it until the next is a word, a `prefix*` wildcard or a phrase of it. Words
//! before the first category are skipped, said in a note; CRLF, LF and CR-only line ends are
//! read.

use std::path::Path;

use super::{lines_list, numbered_lines, Tree};
use crate::codebook::RawCodebook;
use crate::error::{Error, Result};

/// Reads a Lexicoder dictionary as a codebook (see the module docs).
pub(in crate::codebook) fn parse(path: &Path, text: &str, stem: bool) -> Result<RawCodebook> {
    let mut tree = Tree::default();
    let mut current = None;
    let mut outside = Vec::new();
    for (n, line) in numbered_lines(text) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('+') {
            current = Some(tree.category(name, None, n));
            continue;
        }
        match current {
            Some(node) => tree.word(node, line, n),
            None => outside.push(n),
        }
    }
    if tree.nodes.is_empty() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "no category: a Lexicoder dictionary opens each category with a line `+Name` and \
             lists its words one per line after it",
        ));
    }
    let mut notes = Vec::new();
    if !outside.is_empty() {
        notes.push(format!(
            "skipped words before the first `+category` line: {}",
            lines_list(&outside)
        ));
    }
    tree.codebook(path, stem, notes)
}
