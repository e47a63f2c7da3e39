//! The codebook as a document people read: for a paper's appendix or a coder's training
//! binder. Each theme in the layout qualitative researchers publish — number, code, label,
//! parent, brief and full definition, when to use, when not to use, examples, and the
//! rules in plain words — as Markdown, self-contained HTML, or a CSV table.

use serde::Serialize;

use crate::codebook::{term_words, Codebook, Theme};
use crate::display::CsvText;
use crate::error::{Error, Result};

/// One theme, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeView {
    /// Outline number: `1`, `1.2`, `1.2.3`.
    pub number: String,
    /// Depth in the hierarchy (0 for top-level themes).
    pub depth: usize,
    /// The theme id (the code).
    pub code: String,
    pub label: String,
    /// The parent's label and code, if any.
    pub parent: Option<ParentView>,
    pub color: Option<String>,
    pub brief: Option<String>,
    pub definition: Option<String>,
    pub when_to_use: Option<String>,
    pub when_not_to_use: Option<String>,
    pub examples: Vec<String>,
    pub counterexamples: Vec<String>,
    /// The rules in plain words, one sentence per kind of rule.
    pub rules: Vec<RuleView>,
    /// Labels of the direct sub-themes.
    pub children: Vec<String>,
}

/// The parent of a theme.
#[derive(Debug, Clone, Serialize)]
pub struct ParentView {
    pub number: String,
    pub code: String,
    pub label: String,
}

/// One kind of rule: a lead-in and its items (quoted or literal).
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// What the items are, e.g. "Words, in any form with the same stem".
    pub kind: String,
    /// The items as written in the codebook.
    pub items: Vec<String>,
    /// How the items are shown: `quoted` (terms), `code` (regular expressions) or `plain`
    /// (sentences that quote their own terms).
    pub style: &'static str,
}

/// The whole codebook, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct CodebookView {
    pub name: String,
    pub description: Option<String>,
    /// How terms are matched, in one sentence.
    pub matching: String,
    pub theme_count: usize,
    pub themes: Vec<ThemeView>,
}

impl CodebookView {
    /// The view of `cb`, themes in codebook order (parents before their children).
    pub fn of(cb: &Codebook) -> CodebookView {
        let mut numbers = vec![String::new(); cb.themes.len()];
        let mut depths = vec![0usize; cb.themes.len()];
        // Children numbered so far, per theme (the last slot counts the top-level themes).
        let mut counters = vec![0usize; cb.themes.len() + 1];
        let roots = cb.themes.len();
        for &i in cb.order() {
            let (slot, prefix, depth) = match cb.parent_of(i) {
                Some(p) => (p, format!("{}.", numbers[p]), depths[p] + 1),
                None => (roots, String::new(), 0),
            };
            counters[slot] += 1;
            numbers[i] = format!("{prefix}{}", counters[slot]);
            depths[i] = depth;
        }
        let themes = cb
            .order()
            .iter()
            .map(|&i| {
                let t = &cb.themes[i];
                let values = |v: &[crate::codebook::Located<String>]| {
                    v.iter().map(|l| l.value.clone()).collect::<Vec<_>>()
                };
                ThemeView {
                    number: numbers[i].clone(),
                    depth: depths[i],
                    code: t.id.clone(),
                    label: t.label.clone(),
                    parent: cb.parent_of(i).map(|p| ParentView {
                        number: numbers[p].clone(),
                        code: cb.themes[p].id.clone(),
                        label: cb.themes[p].label.clone(),
                    }),
                    color: t.color.clone(),
                    brief: t.brief.clone(),
                    definition: t.definition.clone(),
                    when_to_use: t.when_to_use.clone(),
                    when_not_to_use: t.when_not_to_use.clone(),
                    examples: values(&t.examples),
                    counterexamples: values(&t.counterexamples),
                    rules: rules_in_words(cb, t),
                    children: cb
                        .order()
                        .iter()
                        .filter(|&&j| cb.parent_of(j) == Some(i))
                        .map(|&j| cb.themes[j].label.clone())
                        .collect(),
                }
            })
            .collect();
        let matching = if cb.stemming {
            format!(
                "One-word terms match every word with the same {} stem (Snowball); a trailing * \
                 matches any word beginning with the letters before it; a term of several words \
                 matches those words in a row; patterns are case-insensitive regular expressions.",
                capitalize(cb.language.name())
            )
        } else {
            "One-word terms match exactly that word (any case); a trailing * matches any word \
             beginning with the letters before it; a term of several words matches those words \
             in a row; patterns are case-insensitive regular expressions."
                .to_string()
        };
        CodebookView {
            name: cb.name.clone(),
            description: cb.description.clone(),
            matching,
            theme_count: cb.themes.len(),
            themes,
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A term in plain words: `credib*` is "credib…", others as written.
fn term_in_words(term: &str) -> String {
    term.split_whitespace()
        .map(|w| match w.strip_suffix('*') {
            Some(prefix) => format!("{prefix}…"),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The theme's rules, one sentence-like entry per kind.
pub fn rules_in_words(cb: &Codebook, t: &Theme) -> Vec<RuleView> {
    let mut words = Vec::new();
    let mut prefixes = Vec::new();
    let mut phrases = Vec::new();
    for term in &t.terms {
        let parts = term_words(&term.value);
        match parts.as_slice() {
            [(_, true)] => prefixes.push(term_in_words(&term.value)),
            [(_, false)] => words.push(term.value.clone()),
            _ => phrases.push(term_in_words(&term.value)),
        }
    }
    let mut out = Vec::new();
    let mut push = |kind: &str, items: Vec<String>, style: &'static str| {
        if !items.is_empty() {
            out.push(RuleView { kind: kind.to_string(), items, style });
        }
    };
    push(
        if cb.stemming { "Words, in any form with the same stem" } else { "Words, exactly" },
        words,
        "quoted",
    );
    push("Words beginning with", prefixes, "quoted");
    push(
        if cb.stemming {
            "Phrases (words in a row, each in any form)"
        } else {
            "Phrases (words in a row)"
        },
        phrases,
        "quoted",
    );
    push(
        "Near each other",
        t.near
            .iter()
            .map(|n| {
                format!(
                    "“{}” within {} word{} of “{}”",
                    term_in_words(&n.value.a),
                    n.value.within,
                    if n.value.within == 1 { "" } else { "s" },
                    term_in_words(&n.value.b)
                )
            })
            .collect(),
        "plain",
    );
    push(
        "Regular expressions (case-insensitive)",
        t.patterns.iter().map(|p| p.value.clone()).collect(),
        "code",
    );
    push(
        "Not when the match is part of",
        t.exclude.iter().map(|e| term_in_words(&e.value)).collect(),
        "quoted",
    );
    out
}

fn render(cb: &Codebook, name: &str) -> Result<String> {
    let view = CodebookView::of(cb);
    super::templates::render(
        name,
        minijinja::context! { cb => minijinja::value::Serde(&view), style => super::templates::STYLE, id_prefix => "" },
    )
    .map_err(|e| template_error(cb, e))
}

fn template_error(cb: &Codebook, e: minijinja::Error) -> Error {
    Error::Output {
        path: cb.path.clone(),
        message: format!("the codebook document could not be rendered: {e}"),
    }
}

/// The codebook as Markdown.
pub fn markdown(cb: &Codebook) -> Result<String> {
    render(cb, "codebook.md")
}

/// The codebook as one self-contained HTML page (inline CSS, no scripts, prints well).
pub fn html(cb: &Codebook) -> Result<String> {
    render(cb, "codebook.html")
}

/// The codebook as a CSV table, one row per theme; lists are one item per line in a cell.
pub fn csv(cb: &Codebook) -> Result<String> {
    let view = CodebookView::of(cb);
    let mut text = CsvText::with_header([
        "number",
        "code",
        "label",
        "parent",
        "brief",
        "definition",
        "when_to_use",
        "when_not_to_use",
        "examples",
        "counterexamples",
        "rules",
    ]);
    for t in &view.themes {
        let rules = if t.rules.is_empty() {
            format!("Coded through its sub-themes: {}", t.children.join("; "))
        } else {
            t.rules
                .iter()
                .map(|r| format!("{}: {}", r.kind, r.items.join("; ")))
                .collect::<Vec<_>>()
                .join("\n")
        };
        text.row([
            t.number.as_str(),
            &t.code,
            &t.label,
            t.parent.as_ref().map_or("", |p| p.code.as_str()),
            t.brief.as_deref().unwrap_or(""),
            t.definition.as_deref().unwrap_or(""),
            t.when_to_use.as_deref().unwrap_or(""),
            t.when_not_to_use.as_deref().unwrap_or(""),
            &t.examples.join("\n"),
            &t.counterexamples.join("\n"),
            &rules,
        ]);
    }
    Ok(text.finish())
}
