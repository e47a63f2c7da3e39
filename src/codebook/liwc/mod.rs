//! LIWC dictionaries (`.dic`): reading one as a codebook, one theme per category, and
//! writing a codebook's words as one.
//!
//! A `.dic` file is a category block between two lines holding only `%` (one
//! `number<TAB>name` line per category), then one entry per line: a word, a `prefix*`
//! wildcard or a phrase, then the numbers of the categories it counts for. Tabs and runs of
//! spaces both separate fields; CRLF, LF and CR-only line endings are read; blank lines are
//! ignored anywhere.
//!
//! Reading:
//! - Each category becomes a theme whose terms are its words, kept as written (matching is
//!   case-insensitive anyway). Plain words match exactly, as in LIWC (`stemming = false`),
//!   unless [`ImportOptions::stem`] asks for stems; wildcards are wildcards either way.
//! - Category numbers are compared as numbers (`01` is `1`).
//! - An entry's word is what comes before its first tab; without a tab, the trailing fields
//!   that are category numbers are its categories and the rest is the word, so
//!   `kind of 12` is the phrase `kind of` in category 12.
//! - A category name whose parts are separated by `/`, `.` or `:` (`Social/Family`,
//!   `social.family`, `Social:Family`) is a sub-category: its theme's parent is the category
//!   named by the rest of the path, added as a theme of its own when the file does not list
//!   it. A child's id carries its parent's (`social_family`); its label is the last part.
//! - A word listed under a category and one of its sub-categories is kept only in the
//!   sub-category, since qualkit counts a sub-category's mentions for its parents too.
//! - LIWC2007 context rules (`like (02 134)125/464 (02 134)126 253 466`: which category
//!   counts depends on the word before) cannot be expressed. The entry keeps the numbers
//!   outside the rules (253 and 466 above, which apply whatever the context) and the rules
//!   are dropped; an entry with nothing but rules is skipped. Both are noted with their
//!   lines.
//! - Also noted: entries without a word, without categories or without letters or digits
//!   (skipped), words listed twice in one category (kept once), and categories left without
//!   words (left out, since a theme without rules could never be coded).
//!
//! Writing numbers the themes that have words (directly or in a sub-theme) in codebook
//! order and names a sub-theme `Parent/Child`, so that reading the file back gives the same
//! hierarchy. Each term is listed with its theme's number and its ancestors' (LIWC counts a
//! word only in the categories it lists). What a `.dic` cannot carry is left out and said
//! in the notes; terms are never rewritten.

use std::collections::HashMap;
use std::path::Path;

use super::dictionary::{
    collapse, fold_into_children, fold_notes, lines_list, numbered_lines, short_list, themes,
    with_words, Node,
};
use super::{ImportOptions, Language, Located, RawCodebook};
use crate::error::{Error, Result};

/// The characters that separate the levels of a hierarchical category name.
const PATH_SEPARATORS: [char; 3] = ['/', '.', ':'];

/// What a `.dic` file looks like, for messages.
const SHAPE: &str = "a LIWC dictionary is a line holding only `%`, one `number<TAB>name` line per \
                     category, a second `%` line, then one `word<TAB>numbers` line per word";

/// A category line.
pub(in crate::codebook) struct Category {
    /// The number as written (`01`).
    pub number: String,
    pub name: String,
    pub line: usize,
}

/// An entry line split into its word and its category fields.
struct Entry<'a> {
    /// The word or phrase, inner white space collapsed to one space.
    word: String,
    /// The category numbers that apply whatever the context.
    plain: Vec<&'a str>,
    /// LIWC2007 context rules (`(02 134)125/464`), as written.
    rules: Vec<&'a str>,
}

/// What reading the entries set aside, for the notes.
#[derive(Default)]
struct Skipped {
    no_word: Vec<usize>,
    no_category: Vec<usize>,
    no_letters: Vec<usize>,
    rules_kept: Vec<usize>,
    rules_only: Vec<usize>,
    duplicates: Vec<usize>,
}

/// The category block: its categories, their numbers, and the lines of its two `%`.
struct CategoryBlock {
    categories: Vec<Category>,
    /// Category index by number (without leading zeros).
    numbers: HashMap<String, usize>,
    open: usize,
    close: usize,
}

/// Reads a `.dic` file as a codebook named after the file (see the module docs).
pub(super) fn parse(path: &Path, text: &str, options: &ImportOptions) -> Result<RawCodebook> {
    let lines = numbered_lines(text);
    let mut lines = lines.iter().copied().filter(|(_, l)| !l.trim().is_empty());
    let block = category_block(path, &mut lines)?;
    let (nodes, node_of) = hierarchy(&block.categories);
    let mut reading = Entries { path, block: &block, node_of, nodes, skipped: Skipped::default() };
    let mut entries = 0;
    for (n, l) in lines {
        entries += 1;
        reading.entry(n, l)?;
    }
    let Entries { mut nodes, skipped, .. } = reading;
    let folded = fold_into_children(&mut nodes);
    let alive = with_words(&nodes);
    if !alive.contains(&true) {
        return Err(no_words(path, block.close, entries));
    }
    let implied: Vec<String> = nodes
        .iter()
        .zip(&alive)
        .filter(|(node, alive)| **alive && node.category.is_none())
        .map(|(node, _)| format!("`{}` (line {})", node.label, node.line))
        .collect();
    let empty: Vec<String> = nodes
        .iter()
        .zip(&alive)
        .filter(|(_, alive)| !**alive)
        .filter_map(|(node, _)| node.category)
        .map(|c| {
            let c = &block.categories[c];
            format!("`{}` (category {}, line {})", c.name, c.number, c.line)
        })
        .collect();
    Ok(RawCodebook {
        name: super::default_name(path),
        description: None,
        language: Language::english(),
        stemming: options.stem,
        themes: themes(nodes, &alive, |node| match node.category {
            Some(c) => format!("category_{}", number_key(&block.categories[c].number)),
            None => "category".into(),
        }),
        notes: import_notes(&skipped, &implied, folded, &empty),
    })
}

/// The entries after the category block, read one line at a time into the themes to be.
struct Entries<'a> {
    path: &'a Path,
    block: &'a CategoryBlock,
    /// The node of each category.
    node_of: Vec<usize>,
    nodes: Vec<Node>,
    skipped: Skipped,
}

impl Entries<'_> {
    /// Reads entry line `n`: adds its word to its categories' nodes, or notes why not.
    fn entry(&mut self, n: usize, l: &str) -> Result<()> {
        let err = |message: String| Error::codebook(self.path, Some(n), None, message);
        if l.trim() == "%" {
            return Err(err(format!(
                "a third `%` line; the category block ended on line {}, and what follows it \
                 are words",
                self.block.close
            )));
        }
        let entry = split_entry(l).map_err(err)?;
        if entry.word.is_empty() {
            self.skipped.no_word.push(n);
            return Ok(());
        }
        if entry.plain.is_empty() && entry.rules.is_empty() {
            self.skipped.no_category.push(n);
            return Ok(());
        }
        let targets = self.targets(n, &entry)?;
        if crate::tokenize::tokenize(&entry.word).is_empty() {
            self.skipped.no_letters.push(n);
            return Ok(());
        }
        if !entry.rules.is_empty() {
            if targets.is_empty() {
                self.skipped.rules_only.push(n);
                return Ok(());
            }
            self.skipped.rules_kept.push(n);
        }
        let folded = entry.word.to_lowercase();
        for i in targets {
            let node = &mut self.nodes[i];
            if node.seen.insert(folded.clone()) {
                node.terms.push(Located { value: entry.word.clone(), line: n });
            } else {
                self.skipped.duplicates.push(n);
            }
        }
        Ok(())
    }

    /// The nodes of the categories entry line `n` lists outside context rules, each once.
    fn targets(&self, n: usize, entry: &Entry) -> Result<Vec<usize>> {
        let CategoryBlock { numbers, open, close, .. } = self.block;
        let mut targets = Vec::new();
        for number in &entry.plain {
            let Some(&c) = numbers.get(&number_key(number)) else {
                return Err(Error::codebook(
                    self.path,
                    Some(n),
                    None,
                    format!(
                        "`{}` is listed under category {number}, which the category block \
                         (lines {open}-{close}) does not define; add a line `{number}<TAB>name` \
                         there, or remove {number} from this entry",
                        entry.word
                    ),
                ));
            };
            if !targets.contains(&self.node_of[c]) {
                targets.push(self.node_of[c]);
            }
        }
        Ok(targets)
    }
}

/// The error for a dictionary none of whose `entries` gives a category a usable word.
fn no_words(path: &Path, close: usize, entries: usize) -> Error {
    let message = if entries == 0 {
        format!("no words follow the category block; {SHAPE}")
    } else {
        "none of the entries after the category block gives a category a word qualkit can \
         match (entries without a word, without letters or digits, or with only LIWC2007 \
         context rules are skipped)"
            .into()
    };
    Error::codebook(path, Some(close), None, message)
}

/// Reads the first `%`, the category lines and the second `%` from the non-blank `lines`.
fn category_block<'a>(
    path: &Path,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<CategoryBlock> {
    let err = |line: usize, message: String| Error::codebook(path, Some(line), None, message);
    let open = match lines.next() {
        None => {
            return Err(Error::codebook(path, None, None, format!("the file is empty; {SHAPE}")))
        }
        Some((n, l)) if l.trim() == "%" => n,
        Some((n, l)) => {
            return Err(err(
                n,
                format!(
                    "expected a line holding only `%`, which opens the category block, but found \
                     `{}`; {SHAPE}",
                    collapse(l)
                ),
            ))
        }
    };
    let mut categories: Vec<Category> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let close = loop {
        let Some((n, l)) = lines.next() else {
            return Err(err(
                open,
                "the category block that `%` opens on this line is never closed; add a line \
                 holding only `%` after the last category line, before the words"
                    .into(),
            ));
        };
        let l = l.trim();
        if l == "%" {
            break n;
        }
        let (number, name) = match l.split_once(char::is_whitespace) {
            Some((number, name)) => (number, collapse(name)),
            None => (l, String::new()),
        };
        if !is_number(number) {
            return Err(err(
                n,
                format!(
                    "`{}` is not a category line, which is a category number and a name \
                     (`1<TAB>Positive emotion`); if the categories end here, add a line holding \
                     only `%` before this one",
                    collapse(l)
                ),
            ));
        }
        if name.is_empty() {
            return Err(err(
                n,
                format!(
                    "category {number} has no name; write its name after the number and a tab \
                     (`{number}<TAB>Family`)"
                ),
            ));
        }
        if let Some(&first) = numbers.get(&number_key(number)) {
            return Err(err(
                n,
                format!(
                    "category {number} is listed twice (first on line {}); give each category \
                     its own number",
                    categories[first].line
                ),
            ));
        }
        numbers.insert(number_key(number), categories.len());
        categories.push(Category { number: number.to_string(), name, line: n });
    };
    if categories.is_empty() {
        return Err(err(
            close,
            format!(
                "the category block (lines {open}-{close}) lists no categories; add one \
                 `number<TAB>name` line per category between the two `%` lines"
            ),
        ));
    }
    Ok(CategoryBlock { categories, numbers, open, close })
}

/// What reading left out or changed, one sentence per kind.
fn import_notes(
    skipped: &Skipped,
    implied: &[String],
    folded: usize,
    empty: &[String],
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut note = |what: &str, lines: &[usize]| {
        if !lines.is_empty() {
            notes.push(format!("{what}: {}", lines_list(lines)));
        }
    };
    note(
        "LIWC2007 context rules such as `(02 134)125/464` cannot be expressed in qualkit; \
         dropped them and kept the categories listed outside them",
        &skipped.rules_kept,
    );
    note("skipped entries with only LIWC2007 context rules", &skipped.rules_only);
    note("skipped entries without a word", &skipped.no_word);
    note("skipped entries without a category", &skipped.no_category);
    note(
        "skipped entries without letters or digits, which qualkit cannot match",
        &skipped.no_letters,
    );
    note("kept once the words listed twice in one category", &skipped.duplicates);
    if !implied.is_empty() {
        notes.push(format!(
            "added the parent categories that category names imply but the file does not \
             list: {}",
            short_list(implied)
        ));
    }
    notes.extend(fold_notes(folded, empty));
    notes
}

fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

/// A piece of a LIWC2007 context rule: `(02`, `134)125/464`, `<of>131/22`.
fn is_rule_piece(token: &str) -> bool {
    token.bytes().any(|b| b.is_ascii_digit()) && token.contains(['(', ')', '/', '<', '>'])
}

/// A category number as compared: without leading zeros.
fn number_key(number: &str) -> String {
    let key = number.trim_start_matches('0');
    if key.is_empty() {
        "0".into()
    } else {
        key.into()
    }
}

/// Splits an entry line into its word and its category fields (see the module docs).
fn split_entry(line: &str) -> std::result::Result<Entry<'_>, String> {
    let line = line.trim();
    let (word, fields): (Vec<&str>, Vec<&str>) = match line.split_once('\t') {
        Some((word, rest)) => {
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if let Some(bad) = fields.iter().find(|f| !is_number(f) && !is_rule_piece(f)) {
                return Err(format!(
                    "`{bad}` after the tab is not a category number; an entry is a word or a \
                     phrase (its words separated by spaces), a tab, then the numbers of its \
                     categories"
                ));
            }
            (word.split_whitespace().collect(), fields)
        }
        None => {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let n = tokens.iter().rev().take_while(|t| is_number(t) || is_rule_piece(t)).count();
            let (word, fields) = tokens.split_at(tokens.len() - n);
            (word.to_vec(), fields.to_vec())
        }
    };
    // A number is plain when it stands outside every parenthesis and is not part of a rule.
    let (mut plain, mut rules) = (Vec::new(), Vec::new());
    let mut depth = 0usize;
    for field in fields {
        let inside = depth > 0;
        for c in field.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if !inside && depth == 0 && is_number(field) {
            plain.push(field);
        } else {
            rules.push(field);
        }
    }
    Ok(Entry { word: word.join(" "), plain, rules })
}

/// The parts of a hierarchical category name, or the whole name when it has one part (or
/// an empty one, as in `e.g.`).
fn path_segments(name: &str) -> Vec<&str> {
    let segments: Vec<&str> = name.split(PATH_SEPARATORS).map(str::trim).collect();
    if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
        vec![name]
    } else {
        segments
    }
}

/// One node per category, plus one per parent that a path names and no category is; and
/// the node of each category. A parent always comes before its children.
pub(in crate::codebook) fn hierarchy(categories: &[Category]) -> (Vec<Node>, Vec<usize>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_path: HashMap<Vec<String>, usize> = HashMap::new();
    let mut node_of = Vec::with_capacity(categories.len());
    let new_node = |label: &str, parent, category, line| Node::new(label, parent, category, line);
    for (c, category) in categories.iter().enumerate() {
        let segments = path_segments(&category.name);
        let key: Vec<String> = segments.iter().map(|s| s.to_lowercase()).collect();
        let mut parent = None;
        for depth in 1..segments.len() {
            let i = match by_path.get(&key[..depth]) {
                Some(&i) => i,
                None => {
                    nodes.push(new_node(segments[depth - 1], parent, None, category.line));
                    by_path.insert(key[..depth].to_vec(), nodes.len() - 1);
                    nodes.len() - 1
                }
            };
            parent = Some(i);
        }
        let label = segments[segments.len() - 1];
        let i = match by_path.get(&key) {
            // A parent added for an earlier sub-category: this category is it.
            Some(&i) if nodes[i].category.is_none() => {
                let node = &mut nodes[i];
                (node.label, node.category, node.line) =
                    (label.to_string(), Some(c), category.line);
                i
            }
            // A second category with the same name: a theme of its own.
            Some(_) => {
                nodes.push(new_node(label, parent, Some(c), category.line));
                nodes.len() - 1
            }
            None => {
                nodes.push(new_node(label, parent, Some(c), category.line));
                by_path.insert(key, nodes.len() - 1);
                nodes.len() - 1
            }
        };
        node_of.push(i);
    }
    (nodes, node_of)
}

mod write;

pub(super) use write::{layout, write};

#[cfg(test)]
mod tests;
