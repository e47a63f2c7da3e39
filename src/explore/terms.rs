//! The words of a corpus, for building a codebook: the most frequent stems with their
//! commonest form, the words no theme covers yet, and each session's distinctive words by
//! log-likelihood against the rest of the corpus.
//!
//! Words are the tokens of [`crate::tokenize`], normalised, grouped by stem (or by word when
//! stemming is off). Tokens without a letter (numbers) and the language's stopwords (the NLTK
//! lists of the `stop-words` crate) are left out of the terms, but every token counts in the
//! word totals, as in `analyze`.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::csv_document;
use crate::analysis::stats;
use crate::code::corpus::{Analysis, CodingOptions};
use crate::codebook::Language;
use crate::display::{count, thousands, TextTable};
use crate::model::Session;
use crate::tokenize::{normalize, tokenize};

/// How tokens become terms: the stemmer (if any) and the stopwords left out.
pub struct Words {
    language: Language,
    stemmer: Option<rust_stemmers::Stemmer>,
    stopwords: FxHashSet<&'static str>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words")
            .field("language", &self.language.name())
            .field("stemming", &self.stemmer.is_some())
            .field("stopwords", &self.stopwords.len())
            .finish()
    }
}

impl Words {
    /// Terms in `language`: grouped by stem (or, without `stemming`, by word), with the
    /// language's stopwords left out.
    pub fn new(language: Language, stemming: bool) -> Words {
        Words {
            language,
            stemmer: stemming.then(|| language.stemmer()),
            stopwords: stopwords(language).iter().copied().collect(),
        }
    }

    /// Keeps the stopwords as terms.
    pub fn keep_stopwords(mut self) -> Words {
        self.stopwords.clear();
        self
    }

    /// What these rules do, for the reader of a listing.
    pub fn scope(&self, options: CodingOptions, uncovered_by: Option<String>) -> Scope {
        Scope {
            language: self.language.name(),
            stemming: self.stemmer.is_some(),
            stopwords_removed: !self.stopwords.is_empty(),
            moderators_included: options.include_moderators,
            uncovered_by,
        }
    }

    /// The stem and normalised form of `token`, or `None` when it is no term (a stopword or a
    /// token without a letter).
    pub(crate) fn term(&self, token: &str) -> Option<(String, String)> {
        let form = normalize(token);
        if !form.chars().any(char::is_alphabetic) || self.is_stopword(&form) {
            return None;
        }
        let stem = match &self.stemmer {
            Some(s) => s.stem(&form).into_owned(),
            None => form.clone(),
        };
        Some((stem, form))
    }

    /// Whether `form` is a stopword, or a stopword with an English clitic (`that's`,
    /// `there'll`: the list has some contractions but not all).
    fn is_stopword(&self, form: &str) -> bool {
        self.stopwords.contains(form)
            || form.rsplit_once('\'').is_some_and(|(head, clitic)| {
                CLITICS.contains(&clitic) && self.stopwords.contains(head)
            })
    }

    /// Counts the terms of one session's turns: each turn's text with the byte ranges whose
    /// tokens are not to be counted as terms (the covered ones); every token counts as a word.
    pub fn count<'a>(
        &self,
        session: &str,
        turns: impl IntoIterator<Item = (&'a str, &'a [Range<usize>])>,
    ) -> SessionCounts {
        let mut counts = SessionCounts { session: session.to_string(), ..Default::default() };
        for (text, covered) in turns {
            let tokens = tokenize(text);
            counts.words += tokens.len();
            for r in tokens {
                if covered.iter().any(|c| c.start < r.end && r.start < c.end) {
                    continue;
                }
                if let Some((stem, form)) = self.term(&text[r]) {
                    let entry = counts.stems.entry(stem).or_default();
                    entry.count += 1;
                    *entry.forms.entry(form).or_default() += 1;
                }
            }
        }
        counts
    }

    /// The counts of every session: the turns `options` counts (participants, and moderators
    /// when included), every word of them.
    pub fn count_sessions(
        &self,
        sessions: &[Session],
        options: CodingOptions,
    ) -> Vec<SessionCounts> {
        sessions
            .iter()
            .map(|s| {
                let turns = s
                    .turns
                    .iter()
                    .filter(|t| options.counts(s.speaker_of(t).role))
                    .map(|t| (t.text.as_str(), &[][..]));
                self.count(&s.id, turns)
            })
            .collect()
    }

    /// The counts of the coded corpus with only the words that no mention of any theme
    /// covers: a token is covered when it overlaps a mention of the real coding (so the words
    /// of a matched phrase are covered there and nowhere else, a word an exclude vetoed is not
    /// covered, and a `near` mention covers the words between its two ends too).
    pub fn count_uncovered(&self, analysis: &Analysis) -> Vec<SessionCounts> {
        analysis
            .sessions
            .iter()
            .map(|coded| {
                let mut covered: Vec<Vec<Range<usize>>> =
                    vec![Vec::new(); coded.session.turns.len()];
                for m in &coded.mentions {
                    covered[m.turn].push(m.bytes.clone());
                }
                let turns = coded
                    .session
                    .turns
                    .iter()
                    .zip(&covered)
                    .zip(&coded.counted)
                    .filter(|(_, counted)| **counted)
                    .map(|((t, c), _)| (t.text.as_str(), c.as_slice()));
                self.count(&coded.session.id, turns)
            })
            .collect()
    }
}

/// The endings of English contractions: `'s`, `'ll`, `'d`, `'re`, `'ve`, `'m`, `'t`.
const CLITICS: &[&str] = &["s", "ll", "d", "re", "ve", "m", "t"];

/// The stopwords of `language`: the NLTK list (empty if there is none).
pub fn stopwords(language: Language) -> &'static [&'static str] {
    stop_words::lookup(language.code()).unwrap_or(&[])
}

/// The terms of one session.
#[derive(Debug, Clone, Default)]
pub struct SessionCounts {
    /// The session id.
    pub session: String,
    /// Every token of the counted turns (stopwords and numbers included).
    pub words: usize,
    stems: FxHashMap<String, StemCount>,
}

#[derive(Debug, Clone, Default)]
struct StemCount {
    count: usize,
    forms: FxHashMap<String, usize>,
}

/// What a listing covers, for its reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The stemming language.
    pub language: &'static str,
    /// Whether words are grouped by stem (else by exact word).
    pub stemming: bool,
    /// Whether stopwords were left out.
    pub stopwords_removed: bool,
    /// Whether moderator turns were counted.
    pub moderators_included: bool,
    /// The codebook whose mentions were left out (`--uncovered`).
    pub uncovered_by: Option<String>,
}

impl Scope {
    /// `english stems, stopwords left out, …`.
    fn describe(&self) -> String {
        let mut parts =
            vec![format!("{} {}", self.language, if self.stemming { "stems" } else { "words" })];
        parts.push(
            if self.stopwords_removed { "stopwords left out" } else { "stopwords kept" }.into(),
        );
        if let Some(cb) = &self.uncovered_by {
            parts.push(format!("only words no theme of {cb} covers"));
        }
        parts.join(", ")
    }

    /// What a word of the counted turns is called: `participant word` or `word`.
    fn word(&self) -> &'static str {
        if self.moderators_included {
            "word"
        } else {
            "participant word"
        }
    }
}

/// A form of a term and how often it was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormCount {
    /// The normalised (lowercase) form.
    pub form: String,
    /// Its count.
    pub count: usize,
}

/// One frequent term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermRow {
    /// Its commonest form (ties: the alphabetically first).
    pub term: String,
    /// The stem (the word itself without stemming).
    pub stem: String,
    /// Occurrences.
    pub count: usize,
    /// Sessions where it occurs.
    pub sessions: usize,
    /// Occurrences per 1,000 words of the counted turns.
    pub per_1000_words: f64,
    /// Every form, commonest first.
    pub forms: Vec<FormCount>,
}

/// The frequent terms of a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frequencies {
    /// What was counted.
    pub scope: Scope,
    /// Words of the counted turns.
    pub words: usize,
    /// Sessions read.
    pub sessions: usize,
    /// Distinct terms (before `top` and `min_count`).
    pub distinct: usize,
    /// The terms, most frequent first (ties: by term).
    pub terms: Vec<TermRow>,
}

/// Forms by count, then alphabetically.
fn forms_of(forms: &FxHashMap<String, usize>) -> Vec<FormCount> {
    let mut out: Vec<FormCount> =
        forms.iter().map(|(form, &count)| FormCount { form: form.clone(), count }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.form.cmp(&b.form)));
    out
}

/// The `top` most frequent terms (all with `None`) said at least `min_count` times.
pub fn frequent(
    counts: &[SessionCounts],
    scope: Scope,
    top: Option<usize>,
    min_count: usize,
) -> Frequencies {
    let words: usize = counts.iter().map(|c| c.words).sum();
    let mut total: FxHashMap<&str, (StemCount, usize)> = FxHashMap::default();
    for c in counts {
        for (stem, s) in &c.stems {
            let (t, sessions) = total.entry(stem.as_str()).or_default();
            t.count += s.count;
            for (form, n) in &s.forms {
                *t.forms.entry(form.clone()).or_default() += n;
            }
            *sessions += 1;
        }
    }
    let distinct = total.len();
    let mut terms: Vec<TermRow> = total
        .into_iter()
        .filter(|(_, (t, _))| t.count >= min_count)
        .map(|(stem, (t, sessions))| {
            let forms = forms_of(&t.forms);
            TermRow {
                term: forms[0].form.clone(),
                stem: stem.to_string(),
                count: t.count,
                sessions,
                per_1000_words: per_1000(t.count, words),
                forms,
            }
        })
        .collect();
    terms.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)).then_with(|| a.stem.cmp(&b.stem))
    });
    if let Some(n) = top {
        terms.truncate(n);
    }
    Frequencies { scope, words, sessions: counts.len(), distinct, terms }
}

fn per_1000(count: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        count as f64 * 1000.0 / words as f64
    }
}

/// A term a session uses more than the rest of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyTerm {
    /// Its commonest form in the session.
    pub term: String,
    /// The stem.
    pub stem: String,
    /// Occurrences in the session (`a`).
    pub count: usize,
    /// Occurrences in the other sessions (`b`).
    pub rest_count: usize,
    /// The count expected in the session if it used the term at the corpus rate:
    /// `c (a + b) / (c + d)`.
    pub expected: f64,
    /// Log-likelihood G² ([`stats::log_likelihood`]).
    pub g2: f64,
    /// Its p-value (chi-square, 1 degree of freedom).
    pub p: f64,
    /// The p-value with a Bonferroni adjustment for the terms compared in the session.
    pub p_bonferroni: f64,
    /// Log ratio ([`stats::log_ratio`]): 1 means twice as frequent as in the rest.
    pub log_ratio: f64,
    /// The expected count is below 5: G² and p are unreliable.
    pub low_expected: bool,
}

/// One session's distinctive terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionKeyTerms {
    /// The session id.
    pub session: String,
    /// Words of the session's counted turns (`c`).
    pub words: usize,
    /// Words of the other sessions (`d`).
    pub rest_words: usize,
    /// Terms said at least `min_count` times in the session, all compared.
    pub compared: usize,
    /// Of those, the terms used more here than in the other sessions (before `top`).
    pub overused: usize,
    /// The overused terms by G², largest first.
    pub terms: Vec<KeyTerm>,
}

/// Each session's distinctive terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyness {
    /// What was counted.
    pub scope: Scope,
    /// The sessions in input order.
    pub sessions: Vec<SessionKeyTerms>,
}

/// For each session, the terms it uses more often than the other sessions together, by
/// log-likelihood G² (largest first, ties by term), `top` per session (all with `None`);
/// only terms said at least `min_count` times in the session are compared.
pub fn distinctive(
    counts: &[SessionCounts],
    scope: Scope,
    top: Option<usize>,
    min_count: usize,
) -> Keyness {
    let all_words: usize = counts.iter().map(|c| c.words).sum();
    let mut total: FxHashMap<&str, usize> = FxHashMap::default();
    for c in counts {
        for (stem, s) in &c.stems {
            *total.entry(stem.as_str()).or_default() += s.count;
        }
    }
    let sessions = counts
        .iter()
        .map(|c| {
            let (cw, dw) = (c.words as f64, (all_words - c.words) as f64);
            let compared: Vec<(&String, &StemCount)> =
                c.stems.iter().filter(|(_, s)| s.count >= min_count.max(1)).collect();
            let mut terms: Vec<KeyTerm> = compared
                .iter()
                .filter_map(|(stem, s)| {
                    let a = s.count as f64;
                    let b = (total[stem.as_str()] - s.count) as f64;
                    if dw <= 0.0 || a / cw <= b / dw {
                        return None;
                    }
                    let g2 = stats::log_likelihood(a, b, cw, dw);
                    let p = stats::chi_square_p(g2, 1.0);
                    let expected = cw * (a + b) / (cw + dw);
                    Some(KeyTerm {
                        term: forms_of(&s.forms)[0].form.clone(),
                        stem: stem.to_string(),
                        count: s.count,
                        rest_count: b as usize,
                        expected,
                        g2,
                        p,
                        p_bonferroni: stats::bonferroni(p, compared.len()),
                        log_ratio: stats::log_ratio(a, b, cw, dw),
                        low_expected: expected < 5.0,
                    })
                })
                .collect();
            terms.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.term.cmp(&y.term)));
            let overused = terms.len();
            if let Some(n) = top {
                terms.truncate(n);
            }
            SessionKeyTerms {
                session: c.session.clone(),
                words: c.words,
                rest_words: all_words - c.words,
                compared: compared.len(),
                overused,
                terms,
            }
        })
        .collect();
    Keyness { scope, sessions }
}

/// The frequent terms for people: a table, then what was counted.
pub fn render_frequencies_text(f: &Frequencies) -> String {
    let mut table = TextTable::new(&["term", "stem", "count", "sessions", "per_1000_words"]);
    table.left(1);
    for t in &f.terms {
        table.row(vec![
            t.term.clone(),
            t.stem.clone(),
            thousands(t.count),
            t.sessions.to_string(),
            format!("{:.3}", t.per_1000_words),
        ]);
    }
    let mut out = table.render();
    out.push_str(&format!(
        "{} in {}; {} ({}); {} shown\n",
        count(f.words, f.scope.word()),
        count(f.sessions, "session"),
        count(f.distinct, "term"),
        f.scope.describe(),
        thousands(f.terms.len())
    ));
    out
}

/// The frequent terms as CSV; `forms` lists every form with its count.
pub fn render_frequencies_csv(f: &Frequencies) -> String {
    csv_document(
        &["term", "stem", "count", "sessions", "per_1000_words", "forms"],
        f.terms.iter().map(|t| {
            vec![
                t.term.clone(),
                t.stem.clone(),
                t.count.to_string(),
                t.sessions.to_string(),
                format!("{:.3}", t.per_1000_words),
                forms_cell(&t.forms),
            ]
        }),
    )
}

/// `trust 12; trusted 3`.
fn forms_cell(forms: &[FormCount]) -> String {
    forms.iter().map(|f| format!("{} {}", f.form, f.count)).collect::<Vec<_>>().join("; ")
}

/// Each session's distinctive terms for people: one table per session, then a note on the
/// terms whose expected count is below 5.
pub fn render_keyness_text(k: &Keyness) -> String {
    let mut out = String::new();
    let mut flagged = false;
    for s in &k.sessions {
        out.push_str(&format!(
            "{}: {} against {} in the other sessions; {} compared, {} used more here, {} shown\n",
            s.session,
            count(s.words, k.scope.word()),
            thousands(s.rest_words),
            count(s.compared, "term"),
            thousands(s.overused),
            thousands(s.terms.len())
        ));
        if s.terms.is_empty() {
            out.push('\n');
            continue;
        }
        let mut table = TextTable::new(&[
            "term",
            "stem",
            "count",
            "rest",
            "expected",
            "G2",
            "p",
            "log_ratio",
            "",
        ]);
        table.left(1).left(8).indent(2);
        for t in &s.terms {
            flagged |= t.low_expected;
            table.row(vec![
                t.term.clone(),
                t.stem.clone(),
                thousands(t.count),
                thousands(t.rest_count),
                format!("{:.2}", t.expected),
                format!("{:.2}", t.g2),
                crate::display::p_for_people(t.p),
                format!("{:.2}", t.log_ratio),
                if t.low_expected { "*".into() } else { String::new() },
            ]);
        }
        out.push_str(&table.render());
        out.push('\n');
    }
    if flagged {
        out.push_str("* expected count below 5: G2 and p are unreliable for this term\n");
    }
    out.push_str(&format!("counted: {}s ({})\n", k.scope.word(), k.scope.describe()));
    out
}

/// Each session's distinctive terms as CSV, one row per session and term.
pub fn render_keyness_csv(k: &Keyness) -> String {
    csv_document(
        &[
            "session",
            "term",
            "stem",
            "count",
            "rest_count",
            "session_words",
            "rest_words",
            "expected",
            "g2",
            "p",
            "p_bonferroni",
            "log_ratio",
            "low_expected",
        ],
        k.sessions.iter().flat_map(|s| {
            s.terms.iter().map(move |t| {
                vec![
                    s.session.clone(),
                    t.term.clone(),
                    t.stem.clone(),
                    t.count.to_string(),
                    t.rest_count.to_string(),
                    s.words.to_string(),
                    s.rest_words.to_string(),
                    format!("{:.3}", t.expected),
                    format!("{:.3}", t.g2),
                    crate::display::p_for_machines(t.p),
                    crate::display::p_for_machines(t.p_bonferroni),
                    format!("{:.3}", t.log_ratio),
                    t.low_expected.to_string(),
                ]
            })
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::ingest::text::{parse, TextOptions};

    /// Two small sessions. Participant words: a has 9 (Ana) + 11 (Ben) = 20, b has 6.
    const A: &str = "\
Moderator: Do you trust the council? Trust matters.
Ana: We trusted them. The organizers organize; trust builds slowly.
Ben: Organizing is hard work, and that's the truth. 2025 was hard.
";
    const B: &str = "Cara: Trust, trust, trust. Funding is hard.\n";

    fn sessions() -> Vec<Session> {
        let read = |name: &str, text: &str| {
            parse(std::path::Path::new(name), text, &TextOptions::default()).unwrap()
        };
        vec![read("a.txt", A), read("b.txt", B)]
    }

    fn english() -> Words {
        Words::new(Language::english(), true)
    }

    fn scope() -> Scope {
        english().scope(CodingOptions::default(), None)
    }

    /// `term stem count sessions` of each row.
    fn rows(f: &Frequencies) -> Vec<String> {
        f.terms
            .iter()
            .map(|t| format!("{} {} {} {}", t.term, t.stem, t.count, t.sessions))
            .collect()
    }

    #[test]
    fn frequent_terms_group_forms_by_stem_without_stopwords_or_numbers() {
        let counts = english().count_sessions(&sessions(), CodingOptions::default());
        let f = frequent(&counts, scope(), None, 1);
        assert_eq!((f.words, f.sessions, f.distinct), (26, 2, 8));
        assert_eq!(
            rows(&f),
            [
                "trust trust 5 2",
                "hard hard 3 2",
                // organize, organizers and organizing once each: the first alphabetically.
                "organize organ 3 1",
                "builds build 1 1",
                "funding fund 1 1",
                "slowly slowli 1 1",
                "truth truth 1 1",
                "work work 1 1",
            ]
        );
        assert_eq!(
            f.terms[0].forms,
            [
                FormCount { form: "trust".into(), count: 4 },
                FormCount { form: "trusted".into(), count: 1 }
            ]
        );
        assert!((f.terms[0].per_1000_words - 5000.0 / 26.0).abs() < 1e-12);
    }

    #[test]
    fn top_min_count_and_moderators() {
        let counts = english().count_sessions(&sessions(), CodingOptions::default());
        assert_eq!(
            rows(&frequent(&counts, scope(), Some(2), 1)),
            ["trust trust 5 2", "hard hard 3 2"]
        );
        assert_eq!(frequent(&counts, scope(), None, 3).terms.len(), 3);
        // The moderator's 7 words add trust ×2, council and matters.
        let with = CodingOptions { include_moderators: true };
        let counts = english().count_sessions(&sessions(), with);
        let f = frequent(&counts, scope(), Some(1), 1);
        assert_eq!((f.words, rows(&f)), (33, vec!["trust trust 7 2".to_string()]));
    }

    #[test]
    fn stopwords_are_left_out_unless_kept() {
        let words = english();
        assert!(words.is_stopword("the") && words.is_stopword("don't"));
        assert!(words.is_stopword("that's"), "a stopword with a clitic");
        assert!(!words.is_stopword("people's") && !words.is_stopword("y'all"));
        let counts =
            english().keep_stopwords().count_sessions(&sessions(), CodingOptions::default());
        let f = frequent(&counts, scope(), Some(5), 1);
        assert_eq!(
            rows(&f),
            ["trust trust 5 2", "hard hard 3 2", "organize organ 3 1", "is is 2 2", "the the 2 1"]
        );
        let all: Vec<String> =
            frequent(&counts, scope(), None, 1).terms.into_iter().map(|t| t.term).collect();
        assert!(all.contains(&"that's".to_string()) && all.contains(&"the".to_string()));
        assert!(!all.contains(&"2025".to_string()), "numbers are never terms");
    }

    #[test]
    fn every_stemming_language_has_a_stopword_list() {
        for name in Language::all_names() {
            let language = Language::from_name(name).unwrap();
            assert!(stopwords(language).len() > 20, "{name}");
        }
    }

    #[test]
    fn uncovered_counts_only_words_outside_every_mention() {
        let cb = Codebook::from_toml_str(
            std::path::Path::new("cb.toml"),
            r#"
[[theme]]
id = "trust"
terms = ["trust"]

[[theme]]
id = "work"
terms = ["hard work"]
"#,
        )
        .unwrap();
        let analysis = Analysis::run(cb, sessions(), CodingOptions::default());
        let counts = english().count_uncovered(&analysis);
        let f = frequent(&counts, scope(), None, 1);
        // Every trust is coded; the phrase covers "hard work" in Ben's turn, so only the two
        // other "hard"s are left, and "work" is gone.
        assert_eq!(f.words, 26, "the word totals are those of the whole corpus");
        assert_eq!(
            rows(&f),
            [
                "organize organ 3 1",
                "hard hard 2 2",
                "builds build 1 1",
                "funding fund 1 1",
                "slowly slowli 1 1",
                "truth truth 1 1",
            ]
        );
    }

    #[test]
    fn distinctive_terms_by_log_likelihood() {
        let counts = english().count_sessions(&sessions(), CodingOptions::default());
        let k = distinctive(&counts, scope(), None, 1);
        let b = &k.sessions[1];
        assert_eq!((b.session.as_str(), b.words, b.rest_words, b.compared), ("b", 6, 20, 3));
        let terms: Vec<&str> = b.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["trust", "funding", "hard"]);
        // trust: 3 of 6 words here, 2 of 20 in the rest. By hand: E1 = 6·5/26, E2 = 20·5/26,
        // G² = 2 (3 ln(3/E1) + 2 ln(2/E2)).
        let t = &b.terms[0];
        let (e1, e2): (f64, f64) = (6.0 * 5.0 / 26.0, 20.0 * 5.0 / 26.0);
        let by_hand = 2.0 * (3.0 * (3.0 / e1).ln() + 2.0 * (2.0 / e2).ln());
        assert!((t.g2 - by_hand).abs() < 1e-12, "{} vs {by_hand}", t.g2);
        assert_eq!(t.g2, stats::log_likelihood(3.0, 2.0, 6.0, 20.0));
        assert!((t.g2 - 3.117).abs() < 0.001);
        assert_eq!(t.p, stats::chi_square_p(t.g2, 1.0));
        assert_eq!(t.p_bonferroni, stats::bonferroni(t.p, 3));
        assert!((t.log_ratio - 5f64.log2()).abs() < 1e-12, "(3/6) / (2/20) = 5");
        assert!((t.expected - e1).abs() < 1e-12 && t.low_expected);
        // Session a: trust and hard are used less there, so only the others are listed.
        let a: Vec<&str> = k.sessions[0].terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(a, ["organize", "builds", "slowly", "truth", "work"]);
        assert_eq!(k.sessions[0].overused, 5);
        assert_eq!(distinctive(&counts, scope(), None, 2).sessions[1].compared, 1);
    }

    #[test]
    fn the_text_table_aligns_numbers_right() {
        let counts = english().count_sessions(&sessions(), CodingOptions::default());
        let f = frequent(&counts, scope(), Some(3), 1);
        assert_eq!(
            render_frequencies_text(&f),
            "\
term      stem   count  sessions  per_1000_words
trust     trust      5         2         192.308
hard      hard       3         2         115.385
organize  organ      3         1         115.385
26 participant words in 2 sessions; 8 terms (english stems, stopwords left out); 3 shown
"
        );
        assert_eq!(
            render_frequencies_csv(&f).lines().nth(1),
            Some("trust,trust,5,2,192.308,trust 4; trusted 1")
        );
    }
}
