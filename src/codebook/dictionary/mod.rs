//! Dictionaries of content-analysis tools read as codebooks: each category becomes a theme
//! (nested categories become sub-themes) and its words its terms. The LIWC `.dic` reader
//! ([`super::liwc`]) and the readers here share the tree they build ([`Tree`]) and what it
//! becomes:
//!
//! - WordStat `.cat` ([`wordstat`]), Yoshikoder `.ykd` ([`yoshikoder`]), Lexicoder `.lc3` and
//!   `.lcd` ([`lexicoder`]), quanteda's YAML dictionaries ([`quanteda`]) and LIWC-22 `.dicx`
//!   ([`dicx`], read and written): everything quanteda's `dictionary()` reads.
//! - Plain words match exactly, as the tools match them, unless
//!   [`super::ImportOptions::stem`] asks for stems. A `prefix*` wildcard is a qualkit
//!   wildcard; any other glob (`*` elsewhere, `?` for one character) becomes a
//!   case-insensitive pattern of whole words, said in a note.
//! - A word listed twice in one category is kept once; a word listed under a category and
//!   one of its sub-categories only in the sub-category (qualkit counts a sub-category's
//!   mentions for its parents); a category without words (its own or its sub-categories')
//!   is left out. Each is said in a note.

pub(super) mod dicx;
pub(super) mod lexicoder;
pub(super) mod quanteda;
pub(super) mod wordstat;
pub(super) mod yoshikoder;

use std::collections::HashSet;
use std::path::Path;

use super::{Language, Located, RawCodebook, Theme};
use crate::display::plural_as;
use crate::error::{Error, Result};

/// How many lines or themes a note lists before saying how many more there are.
pub(super) const LIST_LIMIT: usize = 8;

/// A theme to be: a category of the file, or a parent that a category's path names.
pub(super) struct Node {
    pub label: String,
    pub parent: Option<usize>,
    /// The index of the file's category it comes from; `None` for a parent only named in
    /// paths.
    pub category: Option<usize>,
    pub line: usize,
    /// A display colour the file gives the category (`#RRGGBB`).
    pub color: Option<String>,
    pub terms: Vec<Located<String>>,
    pub patterns: Vec<Located<String>>,
    /// The lowercased terms, to find duplicates.
    pub seen: HashSet<String>,
}

impl Node {
    /// A node without words.
    pub fn new(label: &str, parent: Option<usize>, category: Option<usize>, line: usize) -> Node {
        Node {
            label: label.to_string(),
            parent,
            category,
            line,
            color: None,
            terms: Vec::new(),
            patterns: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

/// The categories of a dictionary as they are read, and what reading set aside.
#[derive(Default)]
pub(super) struct Tree {
    pub nodes: Vec<Node>,
    /// Lines of words listed twice in one category.
    duplicates: Vec<usize>,
    /// Lines of globs written as patterns.
    globs: Vec<usize>,
    /// Lines of words without letters or digits.
    no_letters: Vec<usize>,
}

impl Tree {
    /// A tree of `nodes` already made (a parent before its children).
    pub fn of(nodes: Vec<Node>) -> Tree {
        Tree { nodes, ..Tree::default() }
    }

    /// Whether no category has a word yet.
    pub fn is_wordless(&self) -> bool {
        self.nodes.iter().all(|n| n.terms.is_empty() && n.patterns.is_empty())
    }

    /// Adds category `label` under `parent`, read on `line`; returns its node.
    pub fn category(&mut self, label: &str, parent: Option<usize>, line: usize) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node::new(label.trim(), parent, Some(index), line));
        index
    }

    /// Adds `word` (a word, a phrase or a glob) of `node`, read on `line`.
    pub fn word(&mut self, node: usize, word: &str, line: usize) {
        let word = collapse(word);
        if word.is_empty() {
            return;
        }
        if crate::tokenize::tokenize(&word).is_empty() {
            self.no_letters.push(line);
            return;
        }
        let n = &mut self.nodes[node];
        if !n.seen.insert(word.to_lowercase()) {
            self.duplicates.push(line);
            return;
        }
        match glob_pattern(&word) {
            Some(pattern) => {
                n.patterns.push(Located { value: pattern, line });
                self.globs.push(line);
            }
            None => n.terms.push(Located { value: word, line }),
        }
    }

    /// The codebook of the tree's categories that have words, named after `path`; `notes`
    /// are the reader's own, said first. An error when no category has a word.
    pub fn codebook(
        mut self,
        path: &Path,
        stem: bool,
        mut notes: Vec<String>,
    ) -> Result<RawCodebook> {
        let folded = fold_into_children(&mut self.nodes);
        let alive = with_words(&self.nodes);
        if !alive.contains(&true) {
            return Err(Error::codebook(
                path,
                None,
                None,
                "no category of this dictionary has a word qualkit can match; a dictionary \
                 names its categories and lists words under them",
            ));
        }
        let empty: Vec<String> = self
            .nodes
            .iter()
            .zip(&alive)
            .filter(|(_, alive)| !**alive)
            .map(|(node, _)| format!("`{}` (line {})", node.label, node.line))
            .collect();
        let mut note = |what: &str, lines: &[usize]| {
            if !lines.is_empty() {
                notes.push(format!("{what}: {}", lines_list(lines)));
            }
        };
        note(
            "globs other than `prefix*` (a `*` elsewhere, `?` for one character) are \
             written as patterns of whole words",
            &self.globs,
        );
        note(
            "skipped words without letters or digits, which qualkit cannot match",
            &self.no_letters,
        );
        note("kept once the words listed twice in one category", &self.duplicates);
        notes.extend(fold_notes(folded, &empty));
        Ok(RawCodebook {
            name: super::default_name(path),
            description: None,
            language: Language::english(),
            stemming: stem,
            themes: themes(self.nodes, &alive, |_| "category".into()),
            notes,
        })
    }
}

/// The notes on words kept only in sub-categories and categories left out without words.
pub(super) fn fold_notes(folded: usize, empty: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    if folded > 0 {
        notes.push(format!(
            "{} listed under both a category and one of its sub-categories: kept only in the \
             sub-category, since qualkit counts a sub-category's mentions for its parents too",
            plural_as(folded, "word", "words")
        ));
    }
    if !empty.is_empty() {
        notes.push(format!(
            "left out the categories without words, since a theme without words could never \
             be coded: {}",
            short_list(empty)
        ));
    }
    notes
}

/// The pattern of a glob that is not a qualkit term (a `*` anywhere but at the end, or a
/// `?`): whole words, `*` any run of word characters, `?` one, spaces any white space.
fn glob_pattern(word: &str) -> Option<String> {
    let inner = word.trim_end_matches('*');
    if !inner.contains(['*', '?']) {
        return None;
    }
    let mut pattern = String::from(r"\b");
    for c in word.chars() {
        match c {
            '*' => pattern.push_str(r"\w*"),
            '?' => pattern.push_str(r"\w"),
            ' ' => pattern.push_str(r"\s+"),
            c => pattern.push_str(&regex::escape(&c.to_string())),
        }
    }
    if !word.ends_with('*') {
        pattern.push_str(r"\b");
    }
    Some(pattern)
}

/// The lines of `text`, split at CRLF, LF or a lone CR, numbered from 1.
pub(super) fn numbered_lines(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines.into_iter().enumerate().map(|(i, l)| (i + 1, l)).collect()
}

/// Inner white space collapsed to one space, ends trimmed.
pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes from each node the words one of its descendants lists too; returns how many.
/// Children come after their parents.
pub(super) fn fold_into_children(nodes: &mut [Node]) -> usize {
    let mut below: Vec<HashSet<String>> = vec![HashSet::new(); nodes.len()];
    let mut folded = 0;
    // Children come after their parents, so going backwards sees every child first.
    for i in (0..nodes.len()).rev() {
        let words = std::mem::take(&mut below[i]);
        let before = nodes[i].terms.len();
        nodes[i].terms.retain(|t| !words.contains(&t.value.to_lowercase()));
        folded += before - nodes[i].terms.len();
        if let Some(p) = nodes[i].parent {
            below[p].extend(nodes[i].seen.iter().cloned());
            below[p].extend(words);
        }
    }
    folded
}

/// Whether each node has words, its own or a descendant's.
pub(super) fn with_words(nodes: &[Node]) -> Vec<bool> {
    let mut alive: Vec<bool> =
        nodes.iter().map(|n| !n.terms.is_empty() || !n.patterns.is_empty()).collect();
    for i in (0..nodes.len()).rev() {
        if let (true, Some(p)) = (alive[i], nodes[i].parent) {
            alive[p] = true;
        }
    }
    alive
}

/// A theme id made of a name: lowercase ASCII letters and digits, anything else one `_`.
pub(super) fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_matches('_').to_string()
}

/// The themes of the nodes that have words, with unique ids: the label's slug after the
/// parent's id, or `fallback`'s id for a label without ASCII letters or digits.
pub(super) fn themes(
    nodes: Vec<Node>,
    alive: &[bool],
    fallback: impl Fn(&Node) -> String,
) -> Vec<Theme> {
    let mut ids = vec![String::new(); nodes.len()];
    let mut taken = HashSet::new();
    let mut themes = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        if !alive[i] {
            continue;
        }
        let mut base = slug(&node.label);
        if base.is_empty() {
            base = fallback(&node);
        }
        if let Some(p) = node.parent {
            base = format!("{}_{base}", ids[p]);
        }
        let mut id = base.clone();
        for k in 2.. {
            if taken.insert(id.clone()) {
                break;
            }
            id = format!("{base}_{k}");
        }
        ids[i] = id.clone();
        themes.push(Theme {
            id,
            label: node.label,
            parent: node.parent.map(|p| Located { value: ids[p].clone(), line: node.line }),
            color: node.color,
            brief: None,
            definition: None,
            when_to_use: None,
            when_not_to_use: None,
            terms: node.terms,
            patterns: node.patterns,
            near: Vec::new(),
            exclude: Vec::new(),
            examples: Vec::new(),
            counterexamples: Vec::new(),
            line: node.line,
        });
    }
    themes
}

/// `line 4` or `lines 4, 9, 12`, the first few of many and how many more.
pub(super) fn lines_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(LIST_LIMIT).map(usize::to_string).collect();
    let more = lines.len().saturating_sub(LIST_LIMIT);
    let word = if lines.len() == 1 { "line" } else { "lines" };
    if more == 0 {
        format!("{word} {}", shown.join(", "))
    } else {
        format!("{word} {} and {more} more", shown.join(", "))
    }
}

/// The first few items, and how many more.
pub(super) fn short_list(items: &[String]) -> String {
    let more = items.len().saturating_sub(LIST_LIMIT);
    let shown = items[..items.len().min(LIST_LIMIT)].join(", ");
    if more == 0 {
        shown
    } else {
        format!("{shown} and {more} more")
    }
}

#[cfg(test)]
mod tests;
