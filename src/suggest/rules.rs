//! The candidate rules of `codebook suggest`: what they are, where they come from, and how
//! they are re-coded quickly (an index of the units' words, a codebook of one rule).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::Corpus;
use crate::codebook::{term_words, Codebook, Located, Near};
use crate::error::Result;

/// A rule that can be added to a theme.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A word, `prefix*` or phrase for `terms`.
    Term(String),
    /// A proximity rule for `near`.
    Near {
        /// A term.
        a: String,
        /// A term.
        b: String,
        /// The largest distance in tokens.
        within: usize,
    },
}

impl Rule {
    /// `term` or `near`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Term(_) => "term",
            Rule::Near { .. } => "near",
        }
    }

    /// The rule as a TOML value: a string, or an inline table.
    pub fn toml_value(&self) -> String {
        let quote = |s: &str| ::toml::Value::String(s.to_string()).to_string();
        match self {
            Rule::Term(t) => quote(t),
            Rule::Near { a, b, within } => {
                format!("{{ a = {}, b = {}, within = {within} }}", quote(a), quote(b))
            }
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Term(t) => f.write_str(t),
            Rule::Near { a, b, within } => write!(f, "{a} NEAR/{within} {b}"),
        }
    }
}

/// The rules theme `t` has, as candidates would spell them.
pub fn existing(cb: &Codebook, t: usize) -> HashSet<Rule> {
    let theme = &cb.themes[t];
    let terms = theme.terms.iter().map(|x| Rule::Term(x.value.to_lowercase()));
    let near = theme.near.iter().map(|x| Rule::Near {
        a: x.value.a.to_lowercase(),
        b: x.value.b.to_lowercase(),
        within: x.value.within,
    });
    terms.chain(near).collect()
}

/// Theme `t`'s terms widened: a word of four letters or more to `word*`, a phrase of two or
/// three words to its first and last word `NEAR` each other.
pub fn widened(cb: &Codebook, t: usize) -> Vec<Rule> {
    let mut out = Vec::new();
    for term in &cb.themes[t].terms {
        let words = term_words(&term.value);
        match &words[..] {
            [(w, false)] if w.chars().count() >= 4 => out.push(Rule::Term(format!("{w}*"))),
            [(a, false), .., (b, false)] if words.len() <= 3 => {
                out.push(Rule::Near { a: a.clone(), b: b.clone(), within: words.len() + 2 })
            }
            _ => {}
        }
    }
    out
}

/// The words of theme `t`'s examples that could be terms: not stopwords, three letters or
/// more, no digits.
pub fn from_examples(corpus: &Corpus, t: usize) -> Vec<Rule> {
    let stop = stopwords(corpus.codebook);
    let mut out: Vec<Rule> = Vec::new();
    for example in &corpus.codebook.themes[t].examples {
        for (word, _) in term_words(&example.value) {
            let rule = Rule::Term(word.clone());
            if usable(&word, &stop) && !out.contains(&rule) {
                out.push(rule);
            }
        }
    }
    out
}

/// The stopwords of the codebook's language.
pub fn stopwords(cb: &Codebook) -> HashSet<&'static str> {
    crate::explore::terms::stopwords(cb.language).iter().copied().collect()
}

/// Whether `word` may start, end or be a candidate: not a stopword, three characters or
/// more, no digit.
fn usable(word: &str, stop: &HashSet<&str>) -> bool {
    word.chars().count() >= 3 && !word.chars().any(|c| c.is_numeric()) && !stop.contains(word)
}

/// Whether a one-word term `rule` would draw the lint's warning that its stem also matches
/// unrelated common words (`like` and `likely`): such a rule is not suggested.
pub fn ambiguous(cb: &Codebook, rule: &Rule) -> bool {
    let Rule::Term(term) = rule else { return false };
    match &term_words(term)[..] {
        [(word, false)] if cb.stemming => {
            let stem = cb.language.stemmer().stem(word).into_owned();
            crate::codebook::lint::is_ambiguous_stem(cb.language, &stem)
        }
        _ => false,
    }
}

/// The features of a unit's `words` (normalised word, stem): each usable word, and each run
/// of two or three words whose first and last are usable and none holds a digit; as (stems,
/// surface text).
pub fn features(words: &[(String, String)], stop: &HashSet<&str>) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        for n in 1..=3 {
            let Some(run) = words.get(i..i + n) else { break };
            let edges = usable(&run[0].0, stop) && usable(&run[n - 1].0, stop);
            if !edges || run.iter().any(|(w, _)| w.chars().any(|c| c.is_numeric())) {
                continue;
            }
            let stems = run.iter().map(|(_, s)| s.clone()).collect();
            let surface = run.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
            out.push((stems, surface));
        }
    }
    out
}

/// The most frequent of `surfaces` (the first in order on a tie).
pub fn most_frequent(surfaces: &BTreeMap<String, usize>) -> String {
    let best = surfaces.values().copied().max().unwrap_or(0);
    surfaces.iter().find(|(_, &n)| n == best).map(|(s, _)| s.clone()).unwrap_or_default()
}

/// A codebook of theme `t` with only `rule` (and the theme's excludes), in the codebook's
/// language and stemming: what the rule codes on its own.
pub fn single_rule_codebook(cb: &Codebook, t: usize, rule: &Rule) -> Result<Codebook> {
    let theme = &cb.themes[t];
    let quote = |s: &str| ::toml::Value::String(s.to_string()).to_string();
    let excludes: Vec<String> = theme.exclude.iter().map(|x| quote(&x.value)).collect();
    let key = match rule {
        Rule::Term(_) => "terms",
        Rule::Near { .. } => "near",
    };
    let text = format!(
        "[codebook]\nlanguage = {}\nstemming = {}\n\n[[theme]]\nid = {}\n{key} = [{}]\nexclude = [{}]\n",
        quote(cb.language.name()),
        cb.stemming,
        quote(&theme.id),
        rule.toml_value(),
        excludes.join(", ")
    );
    Codebook::from_toml_str(Path::new("<suggestion>"), &text)
}

/// What a unit must contain for a rule to match there: a stem, or a word starting with a
/// prefix.
pub enum Anchor {
    /// A token with this stem (or this normalised form, without stemming).
    Stem(String),
    /// A token starting with this prefix.
    Prefix(String),
}

/// The anchor of `rule`: its (first term's) first word.
pub fn anchor(rule: &Rule, stemmer: &rust_stemmers::Stemmer, stemming: bool) -> Anchor {
    let term = match rule {
        Rule::Term(t) => t,
        Rule::Near { a, .. } => a,
    };
    match term_words(term).into_iter().next() {
        Some((w, true)) => Anchor::Prefix(w),
        Some((w, false)) if stemming => Anchor::Stem(stemmer.stem(&w).into_owned()),
        Some((w, false)) => Anchor::Stem(w),
        None => Anchor::Prefix(String::new()),
    }
}

/// `cb` with `additions` (theme, rule) added to their themes, in memory: what the codebook
/// would code with them, whatever its file format.
pub fn with_rules<'r>(
    cb: &Codebook,
    additions: impl IntoIterator<Item = (usize, &'r Rule)>,
) -> Codebook {
    let mut out = cb.clone();
    for (t, rule) in additions {
        let theme = &mut out.themes[t];
        let line = theme.line;
        match rule {
            Rule::Term(term) => theme.terms.push(Located { value: term.clone(), line }),
            Rule::Near { a, b, within } => theme.near.push(Located {
                value: Near { a: a.clone(), b: b.clone(), within: *within },
                line,
            }),
        }
    }
    out
}

/// The units each stem and each word occurs in.
pub struct WordIndex {
    stems: HashMap<String, Vec<usize>>,
    words: BTreeMap<String, Vec<usize>>,
}

impl WordIndex {
    /// The index of every unit's `(word, stem)` tokens.
    pub fn new(units: &[Vec<(String, String)>]) -> WordIndex {
        let mut index = WordIndex { stems: HashMap::new(), words: BTreeMap::new() };
        for (u, words) in units.iter().enumerate() {
            for (w, s) in words {
                let at = index.stems.entry(s.clone()).or_default();
                if at.last() != Some(&u) {
                    at.push(u);
                }
                let at = index.words.entry(w.clone()).or_default();
                if at.last() != Some(&u) {
                    at.push(u);
                }
            }
        }
        index
    }

    /// The units holding `anchor`, ascending.
    pub fn units(&self, anchor: &Anchor) -> Vec<usize> {
        match anchor {
            Anchor::Stem(s) => self.stems.get(s).cloned().unwrap_or_default(),
            Anchor::Prefix(p) => {
                let mut units: Vec<usize> = self
                    .words
                    .range(p.clone()..)
                    .take_while(|(w, _)| w.starts_with(p.as_str()))
                    .flat_map(|(_, us)| us.iter().copied())
                    .collect();
                units.sort_unstable();
                units.dedup();
                units
            }
        }
    }
}
