//! Lexicoder dictionaries (`.lc3`, `.lcd`): a line `+Category` opens a category (Lexicoder
//! may follow the name with its colour, `+negative#AA0000`, which becomes the theme's), and
//! each line after it until the next is a word, a `prefix*` wildcard or a phrase of it. Words
//! before the first category are skipped, said in a note; CRLF, LF and CR-only line ends are
//! read. A `.lcd` that is XML is a Yoshikoder dictionary (as quanteda reads it).

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
            let (name, color) = split_color(name);
            let node = tree.category(name, None, n);
            tree.nodes[node].color = color;
            current = Some(node);
            continue;
        }
        match current {
            Some(node) => tree.word(node, line, n),
            None => outside.push(n),
        }
    }
    if tree.nodes.is_empty() && text.trim_start().starts_with('<') {
        return super::yoshikoder::parse(path, text, stem);
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

/// A category name without the colour Lexicoder writes after it (`negative#AA0000`).
fn split_color(name: &str) -> (&str, Option<String>) {
    match name.rsplit_once('#') {
        Some((name, hex))
            if !name.trim().is_empty()
                && (hex.len() == 6 || hex.len() == 3)
                && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            (name, Some(format!("#{}", hex.to_ascii_uppercase())))
        }
        _ => (name, None),
    }
}
