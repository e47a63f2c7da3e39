//! Lints for a valid codebook: rules that are redundant, too broad or never effective, and
//! themes that cannot be tested. Each finding names the line and the theme.

use std::collections::HashMap;

use super::Codebook;

/// Wildcard prefixes this short (in characters) match most of the vocabulary.
pub const SHORT_WILDCARD: usize = 2;

/// One warning about a codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The line in the codebook file.
    pub line: usize,
    /// The theme id.
    pub theme: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// One word of a term as the engine matches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Word {
    Stem(String),
    Exact(String),
    Prefix(String),
}

impl Word {
    /// Whether one token could satisfy both word tests (an over-approximation for stems).
    fn compatible(&self, other: &Word) -> bool {
        use Word::*;
        match (self, other) {
            (Prefix(p), Prefix(q)) => p.starts_with(q.as_str()) || q.starts_with(p.as_str()),
            (Prefix(p), Stem(s) | Exact(s)) | (Stem(s) | Exact(s), Prefix(p)) => {
                s.starts_with(p.as_str()) || p.starts_with(s.as_str())
            }
            (a, b) => a == b,
        }
    }
}

/// The words of a term as word tests.
fn words(cb: &Codebook, stemmer: &rust_stemmers::Stemmer, term: &str) -> Vec<Word> {
    super::term_words(term)
        .into_iter()
        .map(|(word, prefix)| {
            if prefix {
                Word::Prefix(word)
            } else if cb.stemming {
                Word::Stem(stemmer.stem(&word).into_owned())
            } else {
                Word::Exact(word)
            }
        })
        .collect()
}

/// Every warning about `cb`, by line.
pub fn lint(cb: &Codebook) -> Vec<Finding> {
    let stemmer = cb.language.stemmer();
    let mut out = Vec::new();
    let mut seen: HashMap<Vec<Word>, (usize, usize, String)> = HashMap::new();
    let has_children: Vec<bool> = (0..cb.themes.len())
        .map(|i| (0..cb.themes.len()).any(|j| cb.parent_of(j) == Some(i)))
        .collect();
    for &t in cb.order() {
        let theme = &cb.themes[t];
        let mut warn = |line: usize, message: String| {
            out.push(Finding { line, theme: theme.id.clone(), message });
        };
        let mut rule_words: Vec<Vec<Word>> = Vec::new();
        for term in &theme.terms {
            let w = words(cb, &stemmer, &term.value);
            match seen.get(&w) {
                Some((other, line, text)) if *other == t => warn(
                    term.line,
                    format!(
                        "`{}` matches the same words as `{text}` (line {line}){}; one of them \
                         is enough",
                        term.value,
                        if cb.stemming { ": they have the same stem" } else { "" }
                    ),
                ),
                Some((other, line, text)) => warn(
                    term.line,
                    format!(
                        "`{}` is also a term of theme '{}' (`{text}`, line {line}); a mention \
                         will count for both themes",
                        term.value, cb.themes[*other].id
                    ),
                ),
                None => {
                    seen.insert(w.clone(), (t, term.line, term.value.clone()));
                }
            }
            rule_words.push(w);
        }
        for near in &theme.near {
            rule_words.push(words(cb, &stemmer, &near.value.a));
            rule_words.push(words(cb, &stemmer, &near.value.b));
        }
        let wildcards = theme.terms.iter().map(|t| (t.line, t.value.as_str())).chain(
            theme
                .near
                .iter()
                .flat_map(|n| [(n.line, n.value.a.as_str()), (n.line, n.value.b.as_str())]),
        );
        for (line, term) in wildcards {
            for w in words(cb, &stemmer, term) {
                if let Word::Prefix(p) = w {
                    if p.chars().count() <= SHORT_WILDCARD {
                        warn(
                            line,
                            format!(
                                "wildcard `{p}*` is so short that it matches most of the \
                                 vocabulary; use a longer prefix or list the words"
                            ),
                        );
                    }
                }
            }
        }
        if theme.patterns.is_empty() {
            for ex in &theme.exclude {
                let ew = words(cb, &stemmer, &ex.value);
                let can_overlap =
                    rule_words.iter().flatten().any(|r| ew.iter().any(|e| e.compatible(r)));
                if !can_overlap {
                    warn(
                        ex.line,
                        format!(
                            "exclude `{}` can never overlap a match of this theme's own rules, \
                             so it never vetoes anything (an exclude vetoes only its theme's \
                             own matches, not its sub-themes')",
                            ex.value
                        ),
                    );
                }
            }
        }
        if !has_children[t] && theme.examples.is_empty() {
            warn(
                theme.line,
                "has no examples; add a sentence it must code, so that `qualkit codebook test` \
                 checks it"
                    .to_string(),
            );
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_kind_of_warning_with_its_line_and_theme() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            r#"[[theme]]
id = "values"
exclude = ["values"]

[[theme]]
id = "trust"
parent = "values"
terms = ["trust", "trusted", "co*", "rely on"]
exclude = ["trust fund", "weather"]
examples = ["We trust her."]

[[theme]]
id = "reliance"
terms = ["relied on", "depend*"]
exclude = ["dependency theory"]
"#,
        )
        .unwrap();
        let findings = lint(&cb);
        let expected = [
            (3, "values", "exclude `values` can never overlap a match of this theme's own rules"),
            (
                8,
                "trust",
                "`trusted` matches the same words as `trust` (line 8): they have the same stem",
            ),
            (8, "trust", "wildcard `co*` is so short that it matches most of the vocabulary"),
            (9, "trust", "exclude `weather` can never overlap"),
            (13, "reliance", "has no examples; add a sentence it must code"),
            (14, "reliance", "`relied on` is also a term of theme 'trust' (`rely on`, line 8)"),
        ];
        assert_eq!(findings.len(), expected.len(), "{findings:#?}");
        for (f, (line, theme, start)) in findings.iter().zip(expected) {
            assert_eq!((f.line, f.theme.as_str()), (line, theme), "{f:?}");
            assert!(f.message.starts_with(start), "{f:?}");
        }
    }
}
