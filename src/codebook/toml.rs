//! Reading the TOML form of a codebook, keeping the line of every value for messages.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Language, LineIndex, Located, Near, RawCodebook, Theme};
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    codebook: Option<Header>,
    #[serde(default)]
    theme: Vec<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: Option<String>,
    description: Option<String>,
    language: Option<Spanned<String>>,
    stemming: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: Spanned<String>,
    label: Option<String>,
    parent: Option<Spanned<String>>,
    color: Option<String>,
    brief: Option<String>,
    definition: Option<String>,
    when_to_use: Option<String>,
    when_not_to_use: Option<String>,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    near: Vec<Spanned<RawNear>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<Spanned<String>>,
    #[serde(default)]
    counterexamples: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNear {
    a: String,
    b: String,
    within: i64,
}

pub(super) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    let lines = LineIndex::new(text);
    let line_at = |offset: usize| lines.line(offset.min(text.len()));
    let file: File = ::toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_at(s.start));
        Error::codebook(path, line, None, format!("invalid TOML: {}", e.message().trim_end()))
    })?;
    let header = file.codebook;
    let (name, description, language, stemming) = match header {
        Some(h) => {
            let language = match h.language {
                None => Language::english(),
                Some(lang) => Language::from_name(lang.get_ref()).ok_or_else(|| {
                    Error::codebook(
                        path,
                        Some(line_at(lang.span().start)),
                        None,
                        format!(
                            "unknown language `{}`; expected one of: {}",
                            lang.get_ref(),
                            Language::all_names().join(", ")
                        ),
                    )
                })?,
            };
            (h.name, h.description, language, h.stemming.unwrap_or(true))
        }
        None => (None, None, Language::english(), true),
    };
    let name = name.unwrap_or_else(|| super::default_name(path));
    let located =
        |v: Spanned<String>| Located { line: line_at(v.span().start), value: v.into_inner() };
    let mut themes = Vec::with_capacity(file.theme.len());
    for t in file.theme {
        let line = line_at(t.id.span().start);
        let id = t.id.into_inner();
        let mut near = Vec::with_capacity(t.near.len());
        for n in t.near {
            let near_line = line_at(n.span().start);
            let n = n.into_inner();
            let within = usize::try_from(n.within).map_err(|_| {
                Error::codebook(
                    path,
                    Some(near_line),
                    Some(&id),
                    format!(
                        "near rule has `within = {}`; it must be a positive number of words",
                        n.within
                    ),
                )
            })?;
            near.push(Located { value: Near { a: n.a, b: n.b, within }, line: near_line });
        }
        themes.push(Theme {
            label: t.label.unwrap_or_else(|| id.clone()),
            id,
            parent: t.parent.map(located),
            color: t.color,
            brief: t.brief,
            definition: t.definition,
            when_to_use: t.when_to_use,
            when_not_to_use: t.when_not_to_use,
            terms: t.terms.into_iter().map(located).collect(),
            patterns: t.patterns.into_iter().map(located).collect(),
            near,
            exclude: t.exclude.into_iter().map(located).collect(),
            examples: t.examples.into_iter().map(located).collect(),
            counterexamples: t.counterexamples.into_iter().map(located).collect(),
            line,
        });
    }
    if themes.is_empty() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "the codebook has no themes; add at least one `[[theme]]` table with an `id` and `terms`",
        ));
    }
    Ok(RawCodebook { name, description, language, stemming, themes, notes: Vec::new() })
}
