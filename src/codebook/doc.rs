//! The codebook as a plain document: the structure of the TOML form (`[codebook]` and
//! `[[theme]]` tables), shared by the JSON and YAML readers and by the TOML, JSON and YAML
//! writers. It carries no line numbers, so two documents compare equal exactly when the
//! codebooks say the same thing: the round-trip check of every writer.

use serde::{Deserialize, Serialize};

use super::{Codebook, Language, Located, Near, RawCodebook, Theme};

/// A whole codebook file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Document {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<Header>,
    #[serde(default)]
    pub theme: Vec<ThemeDoc>,
}

/// The `[codebook]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Header {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stemming: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One `[[theme]]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ThemeDoc {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_not_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<NearDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterexamples: Vec<String>,
}

/// A proximity rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NearDoc {
    pub a: String,
    pub b: String,
    pub within: usize,
}

impl Header {
    /// The raw codebook with these settings and `themes`. `line` is where the settings are,
    /// for the message about an unknown language; the name defaults to the file name.
    pub fn into_raw(
        self,
        path: &std::path::Path,
        line: Option<usize>,
        themes: Vec<Theme>,
        notes: Vec<String>,
    ) -> crate::error::Result<RawCodebook> {
        let language = match &self.language {
            None => Language::english(),
            Some(name) => Language::from_name(name).ok_or_else(|| {
                crate::error::Error::codebook(
                    path,
                    line,
                    None,
                    format!(
                        "unknown language `{name}`; expected one of: {}",
                        Language::all_names().join(", ")
                    ),
                )
            })?,
        };
        Ok(RawCodebook {
            name: self.name.unwrap_or_else(|| super::default_name(path)),
            description: self.description,
            language,
            stemming: self.stemming.unwrap_or(true),
            themes,
            notes,
        })
    }
}

impl Document {
    /// The document saying what `cb` says.
    pub fn of(cb: &Codebook) -> Document {
        Document {
            codebook: Some(Header::of(cb)),
            theme: cb.themes.iter().map(ThemeDoc::of).collect(),
        }
    }
}

impl Header {
    /// The settings of `cb`; the language and stemming are left out when they are the
    /// defaults (English, on).
    pub fn of(cb: &Codebook) -> Header {
        Header {
            name: Some(cb.name.clone()),
            language: (cb.language != Language::english()).then(|| cb.language.name().into()),
            stemming: (!cb.stemming).then_some(false),
            description: cb.description.clone(),
        }
    }
}

impl ThemeDoc {
    /// The table saying what `t` says; the label is left out when it is the id.
    pub fn of(t: &Theme) -> ThemeDoc {
        let values = |v: &[Located<String>]| v.iter().map(|l| l.value.clone()).collect();
        ThemeDoc {
            id: t.id.clone(),
            label: (t.label != t.id).then(|| t.label.clone()),
            parent: t.parent.as_ref().map(|p| p.value.clone()),
            color: t.color.clone(),
            brief: t.brief.clone(),
            definition: t.definition.clone(),
            when_to_use: t.when_to_use.clone(),
            when_not_to_use: t.when_not_to_use.clone(),
            terms: values(&t.terms),
            patterns: values(&t.patterns),
            near: t
                .near
                .iter()
                .map(|n| NearDoc {
                    a: n.value.a.clone(),
                    b: n.value.b.clone(),
                    within: n.value.within,
                })
                .collect(),
            exclude: values(&t.exclude),
            examples: values(&t.examples),
            counterexamples: values(&t.counterexamples),
        }
    }

    /// The theme, every value on line `line` (formats without line numbers use the line
    /// where the theme starts, or 0 when unknown).
    pub fn into_theme(self, line: usize, locate: &mut dyn FnMut(&str, &str) -> usize) -> Theme {
        let mut located = |key: &str, v: Vec<String>| {
            v.into_iter().map(|value| Located { line: locate(key, &value), value }).collect()
        };
        let terms = located("terms", self.terms);
        let patterns = located("patterns", self.patterns);
        let exclude = located("exclude", self.exclude);
        let examples = located("examples", self.examples);
        let counterexamples = located("counterexamples", self.counterexamples);
        let near = self
            .near
            .into_iter()
            .map(|n| Located {
                line: locate("near", &n.a),
                value: Near { a: n.a, b: n.b, within: n.within },
            })
            .collect();
        Theme {
            label: self.label.unwrap_or_else(|| self.id.clone()),
            parent: self.parent.map(|p| Located { line: locate("parent", &p), value: p }),
            id: self.id,
            color: self.color,
            brief: self.brief,
            definition: self.definition,
            when_to_use: self.when_to_use,
            when_not_to_use: self.when_not_to_use,
            terms,
            patterns,
            near,
            exclude,
            examples,
            counterexamples,
            line,
        }
    }
}

/// Finds the lines of values in a JSON or YAML file: each theme's `id`, then each value after
/// it. A heuristic (the value's first occurrence after the theme's start), good enough to
/// point a person at the right place; 0 when not found.
pub(super) struct LineFinder<'a> {
    text: &'a str,
    lines: super::LineIndex,
    /// Byte offset where the current theme starts.
    theme_start: usize,
    theme_line: usize,
    /// The key of the last value found, and where it was found: the next value of the same
    /// list is searched from there (a list of 100,000 terms is not searched 100,000 times
    /// from its start).
    last: Option<(String, usize)>,
}

impl<'a> LineFinder<'a> {
    pub fn new(text: &'a str) -> LineFinder<'a> {
        LineFinder {
            text,
            lines: super::LineIndex::new(text),
            theme_start: 0,
            theme_line: 0,
            last: None,
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Moves to the theme with `id` (its `id` key after the current position).
    pub fn theme(&mut self, id: &str) -> usize {
        let from = self.theme_start;
        let rest = &self.text[from..];
        let found = rest.match_indices(id).find(|&(i, _)| {
            let before = rest[..i].trim_end_matches(['"', '\'', ' ', '\t']);
            let before =
                before.strip_suffix(':').unwrap_or(before).trim_end_matches(['"', '\'', ' ', '\t']);
            before.ends_with("id")
        });
        if let Some((i, _)) = found {
            self.theme_start = from + i;
            self.theme_line = self.line_at(self.theme_start);
        }
        self.last = None;
        self.theme_line
    }

    /// The line of `value` under `key` within the current theme.
    pub fn value(&mut self, key: &str, value: &str) -> usize {
        let start = match &self.last {
            Some((last_key, at)) if last_key == key => *at,
            _ => self.text[self.theme_start..]
                .find(key)
                .map_or(self.theme_start, |i| self.theme_start + i),
        };
        let rest = &self.text[start..];
        let needle = value.lines().next().unwrap_or(value);
        let escaped = serde_json::to_string(needle).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        match rest.find(needle).or_else(|| rest.find(escaped)) {
            Some(i) if !needle.is_empty() => {
                self.last = Some((key.to_string(), start + i));
                self.line_at(start + i)
            }
            _ => self.theme_line,
        }
    }
}

/// The raw codebook a document describes; `name` is used when the document has none.
pub(super) fn raw_codebook(
    path: &std::path::Path,
    doc: Document,
    text: &str,
) -> crate::error::Result<RawCodebook> {
    let header = doc.codebook.unwrap_or_default();
    let mut finder = LineFinder::new(text);
    let themes = doc
        .theme
        .into_iter()
        .map(|t| {
            let line = finder.theme(&t.id);
            t.into_theme(line, &mut |key, v| finder.value(key, v))
        })
        .collect();
    header.into_raw(path, None, themes, Vec::new())
}
