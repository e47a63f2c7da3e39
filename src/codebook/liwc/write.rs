//! Writing a codebook's words as a `.dic` (see the parent module's docs).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use super::{collapse, short_list, PATH_SEPARATORS};
use crate::codebook::{Codebook, Exported, Theme};
use crate::display::plural_as;
use crate::error::Result;

/// Whether a label can be a level of a category name: one line, no tab, no level separator.
fn usable_name(label: &str) -> bool {
    !label.is_empty() && !label.contains(|c: char| c.is_control() || PATH_SEPARATORS.contains(&c))
}

/// A codebook's words laid out as LIWC categories: what a `.dic` and a LIWC-22 `.dicx`
/// write.
pub(in crate::codebook) struct Layout {
    /// (number, name) of each category, in codebook order; a sub-theme is `Parent/Child`.
    pub categories: Vec<(usize, String)>,
    /// Each word (compared without case) with the numbers of its categories, ascending:
    /// its theme's and its ancestors' (LIWC counts a word only in the categories it lists).
    pub entries: Vec<(String, BTreeSet<usize>)>,
    /// What the layout leaves out, for a `.dic`.
    pub notes: Vec<String>,
}

/// The categories and entries of `cb` (see the module docs).
pub(in crate::codebook) fn layout(cb: &Codebook) -> Layout {
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
    let mut categories = Vec::new();
    let mut number = vec![0usize; n];
    let mut names = vec![String::new(); n];
    let mut used = HashSet::new();
    let mut named_by_id = Vec::new();
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
        number[i] = categories.len() + 1;
        categories.push((number[i], name.clone()));
        names[i] = name;
    }
    let mut entries: BTreeMap<String, (String, BTreeSet<usize>)> = BTreeMap::new();
    for &i in cb.order() {
        for term in &cb.themes[i].terms {
            let word = collapse(&term.value);
            let entry =
                entries.entry(word.to_lowercase()).or_insert_with(|| (word, BTreeSet::new()));
            entry.1.extend(cb.self_and_ancestors(i).into_iter().map(|a| number[a]));
        }
    }
    Layout {
        categories,
        entries: entries.into_values().collect(),
        notes: export_notes(cb, &has_words, &named_by_id),
    }
}

/// The `.dic` form of `cb` (see the module docs), with what it leaves out as notes.
pub(in crate::codebook) fn write(cb: &Codebook) -> Result<Exported> {
    let layout = layout(cb);
    let mut text = String::from("%\n");
    for (number, name) in &layout.categories {
        writeln!(text, "{number}\t{name}").expect("writing to a String");
    }
    text.push_str("%\n");
    // One line per word, its numbers ascending.
    for (word, numbers) in &layout.entries {
        text.push_str(word);
        for number in numbers {
            write!(text, "\t{number}").expect("writing to a String");
        }
        text.push('\n');
    }
    Ok(Exported { text, notes: layout.notes })
}

/// What the `.dic` form of `cb` leaves out, one sentence per kind.
fn export_notes(cb: &Codebook, has_words: &[bool], named_by_id: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    if cb.stemming {
        notes.extend(stemming_note(cb));
    }
    notes.extend(LEFT_OUT.iter().filter_map(|kind| {
        let (total, themes) = tally(cb, kind.items)?;
        Some(format!("{} ({themes}) left out: {}", plural_as(total, kind.one, kind.many), kind.why))
    }));
    if cb.description.is_some() {
        notes.push("the codebook's description left out: a .dic has no place for it".into());
    }
    if cb.name != crate::codebook::default_name(&cb.path) {
        notes.push(format!(
            "the codebook's name `{}` left out: a .dic has none, and reading one names the \
             codebook after the file",
            cb.name
        ));
    }
    notes.extend(category_notes(cb, has_words, named_by_id));
    notes
}

/// A kind of item a `.dic` cannot carry: how to count it in a theme, and what to say.
struct LeftOut {
    items: fn(&Theme) -> usize,
    one: &'static str,
    many: &'static str,
    why: &'static str,
}

/// What a `.dic` leaves out, in the order the notes give it.
const LEFT_OUT: [LeftOut; 6] = [
    LeftOut {
        items: |t| t.patterns.len(),
        one: "pattern",
        many: "patterns",
        why: "a .dic holds only words, wildcards and phrases",
    },
    LeftOut {
        items: |t| t.near.len(),
        one: "near rule",
        many: "near rules",
        why: "a .dic cannot say that two words are near each other",
    },
    LeftOut {
        items: |t| t.exclude.len(),
        one: "exclude term",
        many: "exclude terms",
        why: "a .dic cannot veto a match, so what they kept out will be counted",
    },
    LeftOut {
        items: |t| t.examples.len() + t.counterexamples.len(),
        one: "example or counterexample",
        many: "examples and counterexamples",
        why: "a .dic has no place for them",
    },
    LeftOut {
        items: |t| {
            usize::from(
                t.brief.is_some()
                    || t.definition.is_some()
                    || t.when_to_use.is_some()
                    || t.when_not_to_use.is_some(),
            )
        },
        one: "theme's definitions",
        many: "themes' definitions",
        why: "a .dic has no place for brief, definition, when_to_use or when_not_to_use",
    },
    LeftOut {
        items: |t| usize::from(t.color.is_some()),
        one: "theme's colour",
        many: "themes' colours",
        why: "a .dic has no colours",
    },
];

/// How many items of one kind `cb` has, and the themes that have them; `None` if none.
fn tally(cb: &Codebook, items: impl Fn(&Theme) -> usize) -> Option<(usize, String)> {
    let ids: Vec<String> =
        cb.themes.iter().filter(|t| items(t) > 0).map(|t| t.id.clone()).collect();
    let total: usize = cb.themes.iter().map(items).sum();
    (total > 0).then(|| (total, themes_list(&ids)))
}

/// The note that plain words of a stemming codebook will match fewer forms in a `.dic`.
fn stemming_note(cb: &Codebook) -> Option<String> {
    let plain = |t: &Theme| {
        t.terms
            .iter()
            .filter(|term| {
                crate::codebook::term_words(&term.value).iter().any(|(_, prefix)| !prefix)
            })
            .count()
    };
    let (total, themes) = tally(cb, plain)?;
    let example = cb
        .themes
        .iter()
        .flat_map(|t| &t.terms)
        .map(|term| crate::codebook::term_words(&term.value))
        .find(|words| words.len() == 1 && !words[0].1)
        .map(|words| words[0].0.clone())
        .unwrap_or_else(|| "trust".into());
    let stem = cb.language.stemmer().stem(&example).into_owned();
    Some(format!(
        "this codebook matches words by their stem, but a .dic entry matches only the \
         word as written: {} without a wildcard ({themes}) will match fewer words (`{example}` \
         matched every word whose stem is `{stem}`, its .dic entry matches only \
         `{example}`); to keep other forms, write such terms as wildcards (`{stem}*`) in \
         the codebook before converting",
        plural_as(total, "term", "terms")
    ))
}

/// The notes on themes left without a category and categories named by id.
fn category_notes(cb: &Codebook, has_words: &[bool], named_by_id: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
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
