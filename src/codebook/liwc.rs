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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::{Codebook, Exported, ImportOptions, Language, Located, RawCodebook, Theme};
use crate::display::plural_as;
use crate::error::{Error, Result};

/// The characters that separate the levels of a hierarchical category name.
const PATH_SEPARATORS: [char; 3] = ['/', '.', ':'];

/// What a `.dic` file looks like, for messages.
const SHAPE: &str = "a LIWC dictionary is a line holding only `%`, one `number<TAB>name` line per \
                     category, a second `%` line, then one `word<TAB>numbers` line per word";

/// How many lines or themes a note lists before saying how many more there are.
const LIST_LIMIT: usize = 8;

/// A category line.
struct Category {
    /// The number as written (`01`).
    number: String,
    name: String,
    line: usize,
}

/// A theme to be: a category, or a parent that a category's path names.
struct Node {
    label: String,
    parent: Option<usize>,
    /// The category it comes from; `None` for a parent only named in paths.
    category: Option<usize>,
    line: usize,
    terms: Vec<Located<String>>,
    /// The lowercased terms, to find duplicates.
    seen: HashSet<String>,
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
    let err = |line: usize, message: String| Error::codebook(path, Some(line), None, message);
    let lines = numbered_lines(text);
    let mut lines = lines.iter().copied().filter(|(_, l)| !l.trim().is_empty());
    let CategoryBlock { categories, numbers, open, close } = category_block(path, &mut lines)?;
    let (mut nodes, node_of) = hierarchy(&categories);

    let mut skipped = Skipped::default();
    let mut entries = 0;
    for (n, l) in lines {
        if l.trim() == "%" {
            return Err(err(
                n,
                format!(
                    "a third `%` line; the category block ended on line {close}, and what \
                     follows it are words"
                ),
            ));
        }
        entries += 1;
        let entry = split_entry(l).map_err(|message| err(n, message))?;
        if entry.word.is_empty() {
            skipped.no_word.push(n);
            continue;
        }
        if entry.plain.is_empty() && entry.rules.is_empty() {
            skipped.no_category.push(n);
            continue;
        }
        let mut targets = Vec::new();
        for number in &entry.plain {
            let Some(&c) = numbers.get(&number_key(number)) else {
                return Err(err(
                    n,
                    format!(
                        "`{}` is listed under category {number}, which the category block \
                         (lines {open}-{close}) does not define; add a line `{number}<TAB>name` \
                         there, or remove {number} from this entry",
                        entry.word
                    ),
                ));
            };
            if !targets.contains(&node_of[c]) {
                targets.push(node_of[c]);
            }
        }
        if crate::tokenize::tokenize(&entry.word).is_empty() {
            skipped.no_letters.push(n);
            continue;
        }
        if !entry.rules.is_empty() {
            if targets.is_empty() {
                skipped.rules_only.push(n);
                continue;
            }
            skipped.rules_kept.push(n);
        }
        let folded = entry.word.to_lowercase();
        for i in targets {
            let node = &mut nodes[i];
            if node.seen.insert(folded.clone()) {
                node.terms.push(Located { value: entry.word.clone(), line: n });
            } else {
                skipped.duplicates.push(n);
            }
        }
    }

    let folded = fold_into_children(&mut nodes);
    let alive = with_words(&nodes);
    if !alive.contains(&true) {
        return Err(err(
            close,
            if entries == 0 {
                format!("no words follow the category block; {SHAPE}")
            } else {
                "none of the entries after the category block gives a category a word qualkit \
                 can match (entries without a word, without letters or digits, or with only \
                 LIWC2007 context rules are skipped)"
                    .into()
            },
        ));
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
            let c = &categories[c];
            format!("`{}` (category {}, line {})", c.name, c.number, c.line)
        })
        .collect();
    Ok(RawCodebook {
        name: super::default_name(path),
        description: None,
        language: Language::english(),
        stemming: options.stem,
        themes: themes(nodes, &alive, &categories),
        notes: import_notes(&skipped, &implied, folded, &empty),
    })
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

/// The lines of `text`, split at CRLF, LF or a lone CR, numbered from 1.
fn numbered_lines(text: &str) -> Vec<(usize, &str)> {
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
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
fn hierarchy(categories: &[Category]) -> (Vec<Node>, Vec<usize>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_path: HashMap<Vec<String>, usize> = HashMap::new();
    let mut node_of = Vec::with_capacity(categories.len());
    let new_node = |label: &str, parent, category, line| Node {
        label: label.to_string(),
        parent,
        category,
        line,
        terms: Vec::new(),
        seen: HashSet::new(),
    };
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

/// Removes from each node the words one of its descendants lists too; returns how many.
fn fold_into_children(nodes: &mut [Node]) -> usize {
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
fn with_words(nodes: &[Node]) -> Vec<bool> {
    let mut alive: Vec<bool> = nodes.iter().map(|n| !n.terms.is_empty()).collect();
    for i in (0..nodes.len()).rev() {
        if let (true, Some(p)) = (alive[i], nodes[i].parent) {
            alive[p] = true;
        }
    }
    alive
}

/// A theme id made of a name: lowercase ASCII letters and digits, anything else one `_`.
fn slug(name: &str) -> String {
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

/// The themes of the nodes that have words, with unique ids.
fn themes(nodes: Vec<Node>, alive: &[bool], categories: &[Category]) -> Vec<Theme> {
    let mut ids = vec![String::new(); nodes.len()];
    let mut taken = HashSet::new();
    let mut themes = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        if !alive[i] {
            continue;
        }
        let mut base = slug(&node.label);
        if base.is_empty() {
            base = match node.category {
                Some(c) => format!("category_{}", number_key(&categories[c].number)),
                None => "category".into(),
            };
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
            color: None,
            brief: None,
            definition: None,
            when_to_use: None,
            when_not_to_use: None,
            terms: node.terms,
            patterns: Vec::new(),
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
fn lines_list(lines: &[usize]) -> String {
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
fn short_list(items: &[String]) -> String {
    let more = items.len().saturating_sub(LIST_LIMIT);
    let shown = items[..items.len().min(LIST_LIMIT)].join(", ");
    if more == 0 {
        shown
    } else {
        format!("{shown} and {more} more")
    }
}

/// Whether a label can be a level of a category name: one line, no tab, no level separator.
fn usable_name(label: &str) -> bool {
    !label.is_empty() && !label.contains(|c: char| c.is_control() || PATH_SEPARATORS.contains(&c))
}

/// The `.dic` form of `cb` (see the module docs), with what it leaves out as notes.
pub(super) fn write(cb: &Codebook) -> Result<Exported> {
    let n = cb.themes.len();
    // A theme gets a category when it or one of its descendants has terms.
    let mut has_words = vec![false; n];
    for (i, t) in cb.themes.iter().enumerate() {
        if !t.terms.is_empty() {
            for a in cb.self_and_ancestors(i) {
                has_words[a] = true;
            }
        }
    }
    let mut text = String::from("%\n");
    let mut number = vec![0usize; n];
    let mut names = vec![String::new(); n];
    let mut used = HashSet::new();
    let mut named_by_id = Vec::new();
    let mut next = 0;
    for &i in cb.order() {
        if !has_words[i] {
            continue;
        }
        let t = &cb.themes[i];
        let path = |segment: &str| match cb.parent_of(i) {
            Some(p) => format!("{}/{segment}", names[p]),
            None => segment.to_string(),
        };
        let mut name = path(&t.label);
        if !usable_name(&t.label) || !used.insert(name.to_lowercase()) {
            name = path(&t.id);
            used.insert(name.to_lowercase());
            named_by_id.push(t.id.clone());
        }
        next += 1;
        number[i] = next;
        writeln!(text, "{}\t{name}", number[i]).expect("writing to a String");
        names[i] = name;
    }
    text.push_str("%\n");
    // One line per word (compared without case), its numbers ascending.
    let mut entries: BTreeMap<String, (String, BTreeSet<usize>)> = BTreeMap::new();
    for &i in cb.order() {
        for term in &cb.themes[i].terms {
            let word = collapse(&term.value);
            let entry =
                entries.entry(word.to_lowercase()).or_insert_with(|| (word, BTreeSet::new()));
            entry.1.extend(cb.self_and_ancestors(i).into_iter().map(|a| number[a]));
        }
    }
    for (word, numbers) in entries.values() {
        text.push_str(word);
        for number in numbers {
            write!(text, "\t{number}").expect("writing to a String");
        }
        text.push('\n');
    }
    Ok(Exported { text, notes: export_notes(cb, &has_words, &named_by_id) })
}

/// What the `.dic` form of `cb` leaves out, one sentence per kind.
fn export_notes(cb: &Codebook, has_words: &[bool], named_by_id: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    // Counts the items of one kind and names the themes that have them.
    let tally = |items: &dyn Fn(&Theme) -> usize| -> Option<(usize, String)> {
        let ids: Vec<String> =
            cb.themes.iter().filter(|t| items(t) > 0).map(|t| t.id.clone()).collect();
        let total: usize = cb.themes.iter().map(items).sum();
        (total > 0).then(|| (total, themes_list(&ids)))
    };
    if cb.stemming {
        let plain = |t: &Theme| {
            t.terms
                .iter()
                .filter(|term| super::term_words(&term.value).iter().any(|(_, prefix)| !prefix))
                .count()
        };
        if let Some((total, themes)) = tally(&plain) {
            let example = cb
                .themes
                .iter()
                .flat_map(|t| &t.terms)
                .map(|term| super::term_words(&term.value))
                .find(|words| words.len() == 1 && !words[0].1)
                .map(|words| words[0].0.clone())
                .unwrap_or_else(|| "trust".into());
            let stem = cb.language.stemmer().stem(&example).into_owned();
            notes.push(format!(
                "this codebook matches words by their stem, but a .dic entry matches only the \
                 word as written: {} without a wildcard ({themes}) will match fewer words (`{example}` \
                 matched every word whose stem is `{stem}`, its .dic entry matches only \
                 `{example}`); to keep other forms, write such terms as wildcards (`{stem}*`) in \
                 the codebook before converting",
                plural_as(total, "term", "terms")
            ));
        }
    }
    let mut left_out = |items: &dyn Fn(&Theme) -> usize, one: &str, many: &str, why: &str| {
        if let Some((total, themes)) = tally(items) {
            notes.push(format!("{} ({themes}) left out: {why}", plural_as(total, one, many)));
        }
    };
    left_out(
        &|t| t.patterns.len(),
        "pattern",
        "patterns",
        "a .dic holds only words, wildcards and phrases",
    );
    left_out(
        &|t| t.near.len(),
        "near rule",
        "near rules",
        "a .dic cannot say that two words are near each other",
    );
    left_out(
        &|t| t.exclude.len(),
        "exclude term",
        "exclude terms",
        "a .dic cannot veto a match, so what they kept out will be counted",
    );
    left_out(
        &|t| t.examples.len() + t.counterexamples.len(),
        "example or counterexample",
        "examples and counterexamples",
        "a .dic has no place for them",
    );
    left_out(
        &|t| {
            usize::from(
                t.brief.is_some()
                    || t.definition.is_some()
                    || t.when_to_use.is_some()
                    || t.when_not_to_use.is_some(),
            )
        },
        "theme's definitions",
        "themes' definitions",
        "a .dic has no place for brief, definition, when_to_use or when_not_to_use",
    );
    left_out(
        &|t| usize::from(t.color.is_some()),
        "theme's colour",
        "themes' colours",
        "a .dic has no colours",
    );
    if cb.description.is_some() {
        notes.push("the codebook's description left out: a .dic has no place for it".into());
    }
    if cb.name != super::default_name(&cb.path) {
        notes.push(format!(
            "the codebook's name `{}` left out: a .dic has none, and reading one names the \
             codebook after the file",
            cb.name
        ));
    }
    let wordless: Vec<String> = cb
        .themes
        .iter()
        .zip(has_words)
        .filter(|(_, has)| !**has)
        .map(|(t, _)| t.id.clone())
        .collect();
    if !wordless.is_empty() {
        notes.push(format!(
            "{} no category: neither they nor their sub-themes have terms ({})",
            plural_as(wordless.len(), "theme has", "themes have"),
            themes_list(&wordless)
        ));
    }
    if !named_by_id.is_empty() {
        notes.push(format!(
            "{} named by id, since the label contains `/`, `.`, `:` or a line break (which a \
             .dic name cannot hold) or repeats a sibling's ({})",
            plural_as(named_by_id.len(), "category is", "categories are"),
            themes_list(named_by_id)
        ));
    }
    notes
}

/// `theme trust` or `themes trust, money`, the first few of many.
fn themes_list(ids: &[String]) -> String {
    format!("{} {}", if ids.len() == 1 { "theme" } else { "themes" }, short_list(ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::CodebookFormat;

    /// A project-written dictionary: tabs and runs of spaces, a phrase, wildcards, paths with
    /// `/` and `:`, a parent named only in a path, a word in a parent and its child, a
    /// repeated word, a LIWC2007 context rule, an entry without letters, an empty category.
    const SOCIAL: &str = "%\n\
        1\tSocial\n\
        02\tSocial/Family\n\
        3      Feelings:Care\n\
        4\tMoney\n\
        5\tUnused\n\
        %\n\
        \n\
        family\t1 2\n\
        mum*\t\t02\n\
        care   3\n\
        kind of\t3\n\
        Care\t03\n\
        fund*        \t4\n\
        :)\t4\n\
        like\t(02 134)125/464 (02 134)126 4\n\
        kind\t(57 62)131/22\n";

    fn import(text: &str, stem: bool) -> Result<Codebook> {
        let path = Path::new("dict.dic");
        let raw = parse(path, text, &ImportOptions { stem })?;
        Codebook::build(path, raw)
    }

    fn error(text: &str) -> String {
        import(text, false).unwrap_err().to_string()
    }

    /// `id (label) < parent: terms` for each theme, in file order.
    fn outline(cb: &Codebook) -> Vec<String> {
        cb.themes
            .iter()
            .map(|t| {
                let terms: Vec<&str> = t.terms.iter().map(|l| l.value.as_str()).collect();
                let parent = t.parent.as_ref().map(|p| format!(" < {}", p.value));
                format!(
                    "{} ({}){}: {}",
                    t.id,
                    t.label,
                    parent.unwrap_or_default(),
                    terms.join(", ")
                )
            })
            .collect()
    }

    #[test]
    fn categories_become_themes_with_their_words() {
        for text in [SOCIAL.replace('\n', "\r\n"), SOCIAL.replace('\n', "\r"), SOCIAL.into()] {
            let cb = import(&text, false).unwrap();
            assert_eq!(
                outline(&cb),
                [
                    "social (Social): ",
                    "social_family (Family) < social: family, mum*",
                    "feelings (Feelings): ",
                    "feelings_care (Care) < feelings: care, kind of",
                    "money (Money): fund*, like",
                ]
            );
            assert_eq!((cb.name.as_str(), cb.stemming), ("dict", false));
            let lines: Vec<usize> = cb.themes[1].terms.iter().map(|t| t.line).collect();
            assert_eq!((cb.themes[1].line, lines), (3, vec![9, 10]));
            assert_eq!(cb.themes[2].line, 4, "an added parent has its first child's line");
            assert_eq!(
                cb.notes,
                [
                    "LIWC2007 context rules such as `(02 134)125/464` cannot be expressed in \
                     qualkit; dropped them and kept the categories listed outside them: line 16",
                    "skipped entries with only LIWC2007 context rules: line 17",
                    "skipped entries without letters or digits, which qualkit cannot match: \
                     line 15",
                    "kept once the words listed twice in one category: line 13",
                    "added the parent categories that category names imply but the file does \
                     not list: `Feelings` (line 4)",
                    "1 word listed under both a category and one of its sub-categories: kept \
                     only in the sub-category, since qualkit counts a sub-category's mentions \
                     for its parents too",
                    "left out the categories without words, since a theme without words could \
                     never be coded: `Unused` (category 5, line 6)",
                ]
            );
        }
    }

    #[test]
    fn the_stem_option_turns_stemming_on() {
        assert!(import(SOCIAL, true).unwrap().stemming);
    }

    #[test]
    fn dotted_names_and_phrases_without_tabs_are_read() {
        let cb = import("%\n1 social.family\n2 social\n%\nkind of 1\nmum 01 2\n", false).unwrap();
        assert_eq!(
            outline(&cb),
            ["social (social): ", "social_family (family) < social: kind of, mum"]
        );
        assert_eq!(cb.themes[0].line, 3, "the parent listed after its child keeps its own line");
    }

    #[test]
    fn clashing_ids_get_a_number() {
        let cb = import("%\n1\tTrust!\n2\ttrust\n3\t日本\n%\na\t1\nb\t2\nc\t3\n", false).unwrap();
        let ids: Vec<&str> = cb.themes.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["trust", "trust_2", "category_3"]);
    }

    /// A dictionary of the shared corpora (see `crate::shared_corpus`).
    fn shared(name: &str) -> Option<(std::path::PathBuf, String)> {
        let path = crate::shared_corpus::path(&format!("dictionaries/{name}"))?;
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Some((path, text))
    }

    #[test]
    fn the_moral_foundations_dictionary_is_read_whole() {
        let Some((path, text)) = shared("moral_foundations_dictionary.dic") else { return };
        // Counted apart from the reader: the lines after the second `%`, each a word and the
        // numbers of its categories.
        let entries: Vec<Vec<&str>> = text
            .split("\n%")
            .nth(1)
            .unwrap()
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .filter(|fields| !fields.is_empty())
            .collect();
        let pairs: usize = entries.iter().map(|fields| fields.len() - 1).sum();
        assert_eq!((entries.len(), pairs), (324, 359));
        let cb = Codebook::import(&path, CodebookFormat::Liwc, &ImportOptions::default()).unwrap();
        assert_eq!(cb.themes.len(), 11);
        let terms: Vec<&str> =
            cb.themes.iter().flat_map(|t| &t.terms).map(|t| t.value.as_str()).collect();
        assert_eq!(terms.len(), pairs);
        assert_eq!(terms.iter().collect::<HashSet<_>>().len(), entries.len());
        let harm = &cb.themes[cb.index_of("harmvirtue").unwrap()];
        assert_eq!(harm.label, "HarmVirtue");
        assert!(harm.terms.iter().any(|t| t.value == "safe*"));
        assert_eq!((cb.stemming, cb.notes.len()), (false, 0), "{:?}", cb.notes);
    }

    #[test]
    fn mary_has_two_categories() {
        let Some((path, _)) = shared("mary.dic") else { return };
        let cb = Codebook::load(&path).unwrap();
        assert_eq!(
            outline(&cb),
            [
                "a_category (A category): more, lamb, little",
                "another_category (Another category): had, mary",
            ]
        );
    }

    #[test]
    fn unknown_categories_are_errors_with_their_line() {
        assert_eq!(
            error("%\n1\tA\n2\tB\n%\nmore\t1\nlamb\t1 3\n"),
            "dict.dic:6: `lamb` is listed under category 3, which the category block (lines \
             1-4) does not define; add a line `3<TAB>name` there, or remove 3 from this entry"
        );
        assert_eq!(
            error("%\n1\tA\n%\nmore\t1 x\n"),
            "dict.dic:4: `x` after the tab is not a category number; an entry is a word or a \
             phrase (its words separated by spaces), a tab, then the numbers of its categories"
        );
    }

    #[test]
    fn missing_percent_lines_are_errors() {
        assert_eq!(
            error("%\n1\tA category\n\nmore\t1\n"),
            "dict.dic:4: `more 1` is not a category line, which is a category number and a \
             name (`1<TAB>Positive emotion`); if the categories end here, add a line holding \
             only `%` before this one"
        );
        assert_eq!(
            error("\n%\n1\tA category\n"),
            "dict.dic:2: the category block that `%` opens on this line is never closed; add \
             a line holding only `%` after the last category line, before the words"
        );
        assert_eq!(
            error("1\tA category\n%\nmore\t1\n"),
            format!(
                "dict.dic:1: expected a line holding only `%`, which opens the category block, \
                 but found `1 A category`; {SHAPE}"
            )
        );
        assert_eq!(error(" \r\n"), format!("dict.dic: the file is empty; {SHAPE}"));
    }

    #[test]
    fn malformed_category_blocks_are_errors() {
        assert_eq!(
            error("%\n%\nmore\t1\n"),
            "dict.dic:2: the category block (lines 1-2) lists no categories; add one \
             `number<TAB>name` line per category between the two `%` lines"
        );
        assert_eq!(
            error("%\n1\n%\nmore\t1\n"),
            "dict.dic:2: category 1 has no name; write its name after the number and a tab \
             (`1<TAB>Family`)"
        );
        assert_eq!(
            error("%\n1\tA\n01\tB\n%\nmore\t1\n"),
            "dict.dic:3: category 01 is listed twice (first on line 2); give each category its \
             own number"
        );
        assert_eq!(
            error("%\n1\tA\n%\n"),
            format!("dict.dic:3: no words follow the category block; {SHAPE}")
        );
    }

    /// A parent, two children, wildcards, phrases, a word in both children and a pattern.
    const STUDY: &str = r#"[codebook]
name = "study"
description = "Values in the focus groups."

[[theme]]
id = "values"
label = "Values"

[[theme]]
id = "values_trust"
label = "Trust"
parent = "values"
terms = ["trust", "keep their  word", "credib*"]
patterns = ['\bdistrust\w*']

[[theme]]
id = "values_patience"
label = "Patience"
parent = "values"
terms = ["patience", "long haul", "Trust", "wait*"]
"#;

    #[test]
    fn export_lists_each_word_with_its_theme_and_ancestors() {
        let cb = Codebook::from_toml_str(Path::new("study.toml"), STUDY).unwrap();
        let exported = write(&cb).unwrap();
        assert_eq!(
            exported.text,
            "%\n1\tValues\n2\tValues/Trust\n3\tValues/Patience\n%\n\
             credib*\t1\t2\n\
             keep their word\t1\t2\n\
             long haul\t1\t3\n\
             patience\t1\t3\n\
             trust\t1\t2\t3\n\
             wait*\t1\t3\n"
        );
        assert_eq!(
            exported.notes,
            [
                "this codebook matches words by their stem, but a .dic entry matches only the \
                 word as written: 5 terms without a wildcard (themes values_trust, \
                 values_patience) will match fewer words (`trust` matched every word whose stem \
                 is `trust`, its .dic entry matches only `trust`); to keep other forms, write \
                 such terms as wildcards (`trust*`) in the codebook before converting",
                "1 pattern (theme values_trust) left out: a .dic holds only words, wildcards and \
                 phrases",
                "the codebook's description left out: a .dic has no place for it",
            ]
        );
    }

    #[test]
    fn export_reads_back_as_the_same_themes_and_terms() {
        let cb = Codebook::from_toml_str(Path::new("study.toml"), STUDY).unwrap();
        let back = import(&write(&cb).unwrap().text, false).unwrap();
        // The same up to case and spacing: `Trust` and `trust` share one entry, and a
        // phrase's words are separated by one space.
        let sorted = |cb: &Codebook| -> Vec<(String, String, Option<String>, Vec<String>)> {
            cb.themes
                .iter()
                .map(|t| {
                    let mut terms: Vec<String> =
                        t.terms.iter().map(|l| collapse(&l.value).to_lowercase()).collect();
                    terms.sort();
                    (
                        t.id.clone(),
                        t.label.clone(),
                        t.parent.as_ref().map(|p| p.value.clone()),
                        terms,
                    )
                })
                .collect()
        };
        assert_eq!(sorted(&back), sorted(&cb));
        assert_eq!(
            back.notes,
            ["6 words listed under both a category and one of its sub-categories: kept only in \
              the sub-category, since qualkit counts a sub-category's mentions for its parents \
              too"]
        );
    }

    #[test]
    fn export_leaves_out_themes_without_words_and_says_what_is_lost() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            r##"[codebook]
name = "Study"
stemming = false
[[theme]]
id = "a"
label = "Care: kind"
color = "#123456"
brief = "Caring."
terms = ["care"]
near = [{ a = "x", b = "y", within = 2 }]
exclude = ["care home"]
examples = ["I care.", "We care."]
counterexamples = ["Careful."]
[[theme]]
id = "b"
patterns = ["money"]
[[theme]]
id = "c"
parent = "b"
patterns = ["cash"]
"##,
        )
        .unwrap();
        let exported = write(&cb).unwrap();
        assert_eq!(exported.text, "%\n1\ta\n%\ncare\t1\n");
        assert_eq!(
            exported.notes,
            [
                "2 patterns (themes b, c) left out: a .dic holds only words, wildcards and \
                 phrases",
                "1 near rule (theme a) left out: a .dic cannot say that two words are near each \
                 other",
                "1 exclude term (theme a) left out: a .dic cannot veto a match, so what they kept \
                 out will be counted",
                "3 examples and counterexamples (theme a) left out: a .dic has no place for them",
                "1 theme's definitions (theme a) left out: a .dic has no place for brief, \
                 definition, when_to_use or when_not_to_use",
                "1 theme's colour (theme a) left out: a .dic has no colours",
                "the codebook's name `Study` left out: a .dic has none, and reading one names the \
                 codebook after the file",
                "2 themes have no category: neither they nor their sub-themes have terms (themes \
                 b, c)",
                "1 category is named by id, since the label contains `/`, `.`, `:` or a line \
                 break (which a .dic name cannot hold) or repeats a sibling's (theme a)",
            ]
        );
    }
}
