//! Lints for a valid codebook: rules that are redundant, too broad or never effective, terms
//! whose stem also matches unrelated words, and themes that cannot be tested. Each finding
//! names the line and the theme.

mod collisions;

use std::collections::{HashMap, HashSet};

use super::{Codebook, Located, Theme};
use collisions::Collisions;

/// Wildcard prefixes this short (in characters) match most of the vocabulary.
pub const SHORT_WILDCARD: usize = 2;

/// The most unrelated words a stem-collision warning names.
const COLLISION_EXAMPLES: usize = 6;

/// The most `prefix*` excludes a stem-collision warning suggests.
const COLLISION_WILDCARDS: usize = 3;

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

/// Whether `stem` also matches common words of unrelated meanings in `language`: the stems
/// the stem-collision warning is about (only English has a table of them).
pub fn is_ambiguous_stem(language: super::Language, stem: &str) -> bool {
    Collisions::for_language(language).is_some_and(|table| table.families(stem).is_some())
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
        for (line, message) in stem_collisions(cb, theme, &stemmer) {
            warn(line, message);
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

/// Warnings about the words of `theme`'s terms and near terms whose stem also matches common
/// words of an unrelated meaning (`integrity` → `integr`, as in `integrate` and `integral`),
/// leaving out the words that the theme excludes with `prefix*` wildcards. Only languages
/// with a table of such stems are checked (English), and only when the codebook stems.
fn stem_collisions(
    cb: &Codebook,
    theme: &Theme,
    stemmer: &rust_stemmers::Stemmer,
) -> Vec<(usize, String)> {
    let Some(table) = Collisions::for_language(cb.language).filter(|_| cb.stemming) else {
        return Vec::new();
    };
    let mut exclude_prefixes = Vec::new();
    let mut exclude_stems = Vec::new();
    for ex in &theme.exclude {
        if let [(word, prefix)] = super::term_words(&ex.value).as_slice() {
            if *prefix {
                exclude_prefixes.push(word.clone());
            } else {
                exclude_stems.push((stemmer.stem(word).into_owned(), ex));
            }
        }
    }
    let sources = theme.terms.iter().map(|t| (t.line, t.value.as_str())).chain(
        theme
            .near
            .iter()
            .flat_map(|n| [(n.line, n.value.a.as_str()), (n.line, n.value.b.as_str())]),
    );
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (line, term) in sources {
        let words = super::term_words(term);
        for (word, _) in words.iter().filter(|(_, prefix)| !prefix) {
            let stem = stemmer.stem(word);
            let Some(families) = table.families(&stem) else { continue };
            if !seen.insert((line, term, word.clone())) {
                continue;
            }
            let own = families.iter().find(|f| f.contains(&word.as_str()));
            let others: Vec<Vec<&str>> = families
                .iter()
                .filter(|f| Some(*f) != own)
                .map(|f| {
                    f.iter()
                        .copied()
                        .filter(|w| {
                            w != word && !exclude_prefixes.iter().any(|p| w.starts_with(p.as_str()))
                        })
                        .collect::<Vec<_>>()
                })
                .filter(|f| !f.is_empty())
                .collect();
            if others.is_empty() {
                continue;
            }
            let same_stem = exclude_stems.iter().find(|(s, _)| *s == stem).map(|(_, ex)| *ex);
            let message = collision_message(term, &words, word, &stem, own, &others, same_stem);
            out.push((line, message));
        }
    }
    out
}

/// The warning for `word` of `term` (whose words are `words`), stemmed to `stem`, which also
/// matches the `others` families; `own` is the word's family, if the table lists the word.
fn collision_message(
    term: &str,
    words: &[(String, bool)],
    word: &str,
    stem: &str,
    own: Option<&Vec<&str>>,
    others: &[Vec<&str>],
    same_stem_exclude: Option<&Located<String>>,
) -> String {
    let shown = pick_round_robin(others, COLLISION_EXAMPLES);
    let total: usize = others.iter().map(Vec::len).sum();
    let more = if total > shown.len() { ", …" } else { "" };
    let (what, only) = if words.len() == 1 {
        (format!("`{word}`"), "this word")
    } else {
        (format!("`{word}` in `{term}`"), "these words")
    };
    let pattern: Vec<String> = words
        .iter()
        .map(|(w, prefix)| format!("{}{}", regex::escape(w), if *prefix { r"\w*" } else { "" }))
        .collect();
    let mut message = format!(
        "{what} is matched by its stem `{stem}`, which also matches {}{more} (unrelated common \
         words); to match only {only}, use a pattern such as `\\b{}\\b`",
        shown.join(", "),
        pattern.join(" ")
    );
    if let Some(wildcards) = separating_wildcards(word, own, others) {
        let list: Vec<String> = wildcards.iter().map(|w| format!("`{w}*`")).collect();
        message.push_str(&format!(", or exclude the unrelated words with {}", list.join(", ")));
    }
    if let Some(ex) = same_stem_exclude {
        message.push_str(&format!(
            "; note that exclude `{}` (line {}) has the same stem, so it vetoes every match of \
             this term too",
            ex.value, ex.line
        ));
    }
    message
}

/// Up to `n` words, taken from the families in turn so that each family is represented, then
/// listed in family order.
fn pick_round_robin<'a>(families: &[Vec<&'a str>], n: usize) -> Vec<&'a str> {
    let mut taken = vec![0; families.len()];
    let mut count = 0;
    let longest = families.iter().map(Vec::len).max().unwrap_or(0);
    'rounds: for round in 0..longest {
        for (i, f) in families.iter().enumerate() {
            if count == n {
                break 'rounds;
            }
            if round < f.len() {
                taken[i] += 1;
                count += 1;
            }
        }
    }
    families.iter().zip(taken).flat_map(|(f, k)| f[..k].iter().copied()).collect()
}

/// `prefix*` excludes that match every word of `others` but neither `word` nor any word of its
/// own family: a prefix one letter longer than what each word shares with `word`. None when
/// some word cannot be separated (`organ` from `organizer`), a prefix would be so short that
/// the wildcard lint objects, or more would be needed than [`COLLISION_WILDCARDS`].
fn separating_wildcards(
    word: &str,
    own: Option<&Vec<&str>>,
    others: &[Vec<&str>],
) -> Option<Vec<String>> {
    let mut prefixes: Vec<String> = Vec::new();
    for other in others.iter().flatten() {
        let shared = word.chars().zip(other.chars()).take_while(|(a, b)| a == b).count();
        let prefix: String = other.chars().take(shared + 1).collect();
        if prefix.chars().count() == shared || shared < SHORT_WILDCARD {
            return None;
        }
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
        }
    }
    let hits_own =
        own.into_iter().flatten().any(|w| prefixes.iter().any(|p| w.starts_with(p.as_str())));
    (!hits_own && prefixes.len() <= COLLISION_WILDCARDS).then_some(prefixes)
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

    fn codebook(toml: &str) -> Codebook {
        Codebook::from_toml_str(Path::new("cb.toml"), toml).unwrap()
    }

    #[test]
    fn a_word_whose_stem_matches_unrelated_words_is_reported_with_its_line_and_theme() {
        let cb = codebook(
            r#"[[theme]]
id = "trust"
terms = ["integrity", "honesty"]
examples = ["She has integrity."]

[[theme]]
id = "health_agencies"
terms = ["county health"]
near = [{ a = "department of public health", b = "partner*", within = 5 }]
examples = ["The county health office called."]

[[theme]]
id = "organizing"
terms = ["organ"]
examples = ["An organ of the movement."]
"#,
        );
        let findings = lint(&cb);
        let findings: Vec<(usize, &str, &str)> =
            findings.iter().map(|f| (f.line, f.theme.as_str(), f.message.as_str())).collect();
        assert_eq!(
            findings,
            [
                (
                    3,
                    "trust",
                    "`integrity` is matched by its stem `integr`, which also matches integrate, \
                     integrated, integrating, integration, integral (unrelated common words); to \
                     match only this word, use a pattern such as `\\bintegrity\\b`, or exclude \
                     the unrelated words with `integra*`"
                ),
                (
                    9,
                    "health_agencies",
                    "`department` in `department of public health` is matched by its stem \
                     `depart`, which also matches depart, departed, departing (unrelated common \
                     words); to match only these words, use a pattern such as `\\bdepartment of \
                     public health\\b`"
                ),
                (
                    9,
                    "health_agencies",
                    "`public` in `department of public health` is matched by its stem `public`, \
                     which also matches publication, publications (unrelated common words); to \
                     match only these words, use a pattern such as `\\bdepartment of public \
                     health\\b`, or exclude the unrelated words with `publica*`"
                ),
                (
                    14,
                    "organizing",
                    "`organ` is matched by its stem `organ`, which also matches organic, \
                     organism, organisms, organize, organized, organizing, … (unrelated common \
                     words); to match only this word, use a pattern such as `\\borgan\\b`, or exclude \
                     the unrelated words with `organi*`"
                ),
            ]
        );
    }

    #[test]
    fn no_stem_warning_for_unrelated_words_the_theme_excludes() {
        let all_excluded = codebook(
            r#"[[theme]]
id = "trust"
terms = ["integrity"]
exclude = ["integrat*", "integral*"]
examples = ["She has integrity."]
"#,
        );
        assert_eq!(lint(&all_excluded), []);
        let some_excluded = codebook(
            r#"[[theme]]
id = "trust"
terms = ["integrity"]
exclude = ["integrat*"]
examples = ["She has integrity."]
"#,
        );
        let findings = lint(&some_excluded);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(
            findings[0].message.starts_with(
                "`integrity` is matched by its stem `integr`, which also matches integral \
                 (unrelated common words);"
            ),
            "{findings:#?}"
        );
    }

    #[test]
    fn a_one_word_exclude_with_the_same_stem_vetoes_the_term_too() {
        let cb = codebook(
            r#"[[theme]]
id = "trust"
terms = ["integrity"]
exclude = ["integrate"]
examples = ["She has integrity."]
"#,
        );
        let findings = lint(&cb);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(
            findings[0].message.ends_with(
                "; note that exclude `integrate` (line 4) has the same stem, so it vetoes every \
                 match of this term too"
            ),
            "{findings:#?}"
        );
    }

    #[test]
    fn no_stem_warning_without_stemming_or_in_other_languages() {
        let exact = codebook(
            r#"[codebook]
stemming = false

[[theme]]
id = "trust"
terms = ["integrity"]
examples = ["She has integrity."]
"#,
        );
        assert_eq!(lint(&exact), []);
        // The Spanish stem of "universidad" is the English table's `univers`; Spanish has no
        // table, so it is not looked up there.
        let spanish = codebook(
            r#"[codebook]
language = "spanish"

[[theme]]
id = "educacion"
terms = ["universidad"]
examples = ["Estudia en la universidad."]
"#,
        );
        assert_eq!(spanish.language.stemmer().stem("universidad"), "univers");
        assert_eq!(lint(&spanish), []);
    }

    #[test]
    fn wildcards_and_excludes_get_no_stem_warning() {
        let cb = codebook(
            r#"[[theme]]
id = "trust"
terms = ["integrit*", "honesty"]
patterns = ['\bintegrity\b']
exclude = ["data integrity"]
examples = ["She has integrity."]
"#,
        );
        assert_eq!(lint(&cb), []);
    }

    #[test]
    fn exclude_wildcards_are_suggested_only_when_they_spare_the_terms_own_family() {
        let own = vec!["correct", "correctly", "correction"];
        assert_eq!(separating_wildcards("correct", Some(&own), &[vec!["correctional"]]), None);
        let own = vec!["integrity"];
        let others = [vec!["integrate", "integration"], vec!["integral"]];
        assert_eq!(
            separating_wildcards("integrity", Some(&own), &others),
            Some(vec!["integra".into()])
        );
        assert_eq!(separating_wildcards("department", None, &[vec!["depart"]]), None);
    }
}
