//! Learning a codebook from people's coding (`qualkit codebook suggest`): rules a researcher
//! can read and accept, each measured before it is accepted.
//!
//! The flow: [`Corpus::new`] takes the units of a human coding (placed in the transcripts by
//! [`crate::agree`]) and codes each with the codebook; [`candidates`] draws rules for each
//! theme from the units people coded with it and the codebook missed (stems and two- and
//! three-word phrases over-represented there against the units not coded with the theme, by
//! log-likelihood; the words of the theme's examples; an existing term widened to `word*`,
//! a phrase to a `NEAR` rule); [`score`] re-codes the units with each candidate and
//! [`choose`] adds, theme by theme, the candidate that raises the theme's F1 the most under
//! cross-validation across sessions (leave one session out: a rule counts in a held-out
//! session only if the other sessions would have suggested it), as long as one does.
//! [`edit`] writes the accepted rules into the codebook's TOML text, each with a comment.

pub mod edit;
mod rules;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::Serialize;

use crate::agree::{Resolved, Table};
use crate::analysis::agreement::Confusion;
use crate::code::{Coder, Engine};
use crate::codebook::Codebook;
use crate::model::Session;
pub use rules::{with_rules, Rule};

/// The candidates drawn from the data per theme and fold, at most.
const FROM_DATA: usize = 15;

/// The characters of a unit's text a listing shows.
const SHOWN_CHARS: usize = 160;

/// The folds of units cross-validation uses when the person coded one session only.
pub const UNIT_FOLDS: usize = 5;

/// One unit of the coding: a turn or a sentence of one.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Index of the session.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// Byte range of the unit in the turn's text.
    pub bytes: Range<usize>,
}

/// The units of a coding with the person's themes and the codebook's.
pub struct Corpus<'a> {
    /// The transcripts.
    pub sessions: &'a [Session],
    /// The codebook.
    pub codebook: &'a Codebook,
    /// The units the person coded (in sessions they coded).
    pub units: Vec<Unit>,
    /// `gold[t][u]`: the person coded unit `u` with codebook theme `t`.
    pub gold: Vec<Vec<bool>>,
    /// `coded[t][u]`: the codebook codes unit `u` with theme `t`.
    pub coded: Vec<Vec<bool>>,
    /// `fired[t][u]`: the rules (engine indices) whose spans of theme `t` are in unit `u`.
    fired: Vec<BTreeMap<usize, Vec<usize>>>,
    /// Each unit's fold: the rank of its session among the sessions coded.
    pub fold: Vec<usize>,
    /// The number of folds: the sessions coded, or with one session [`UNIT_FOLDS`] folds
    /// of its units (unit `u` in fold `u % UNIT_FOLDS`).
    pub folds: usize,
    /// Whether the folds are of units (one session coded) rather than sessions.
    pub folds_of_units: bool,
    /// Each unit's tokens, normalised, and their stems.
    words: Vec<Vec<(String, String)>>,
    /// Each unit's features (see [`rules::features`]) as (feature, surface) ids, each
    /// feature once (with its first surface form).
    features: Vec<Vec<(u32, u32)>>,
    /// The surface form of each surface id.
    surfaces: Vec<String>,
    stemmer: rust_stemmers::Stemmer,
}

impl<'a> Corpus<'a> {
    /// The units of `table` that `resolved`'s first coder coded, with their themes (ids the
    /// codebook does not know are left out), coded with `codebook`.
    pub fn new(
        sessions: &'a [Session],
        codebook: &'a Codebook,
        resolved: &Resolved,
        table: &Table,
    ) -> Corpus<'a> {
        let index: HashMap<&str, usize> =
            codebook.themes.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let to_codebook: Vec<Option<usize>> =
            resolved.themes.iter().map(|id| index.get(id.as_str()).copied()).collect();
        let n = codebook.themes.len();
        let mut corpus = Corpus {
            sessions,
            codebook,
            units: Vec::new(),
            gold: vec![Vec::new(); n],
            coded: vec![Vec::new(); n],
            fired: vec![BTreeMap::new(); n],
            fold: Vec::new(),
            folds: 0,
            folds_of_units: false,
            words: Vec::new(),
            features: Vec::new(),
            surfaces: Vec::new(),
            stemmer: codebook.language.stemmer(),
        };
        let mut folds: BTreeMap<usize, usize> = BTreeMap::new();
        for (u, unit) in table.units.iter().enumerate() {
            let Some(themes) = &table.values[u][0] else { continue };
            let text = &sessions[unit.session].turns[unit.turn].text;
            let bytes = char_to_byte(text, &unit.chars);
            let next = folds.len();
            corpus.fold.push(*folds.entry(unit.session).or_insert(next));
            for g in &mut corpus.gold {
                g.push(false);
            }
            for t in themes.iter().filter_map(|&t| to_codebook[t]) {
                corpus.gold[t][corpus.units.len()] = true;
            }
            corpus.units.push(Unit { session: unit.session, turn: unit.turn, bytes });
        }
        corpus.folds = folds.len();
        if corpus.folds < 2 && corpus.units.len() >= UNIT_FOLDS {
            corpus.fold = (0..corpus.units.len()).map(|u| u % UNIT_FOLDS).collect();
            corpus.folds = UNIT_FOLDS;
            corpus.folds_of_units = true;
        }
        corpus.code_units();
        corpus.intern_features();
        corpus
    }

    /// Fills [`Corpus::features`] from the units' words.
    fn intern_features(&mut self) {
        let stop = rules::stopwords(self.codebook);
        let mut ids: HashMap<Vec<String>, u32> = HashMap::new();
        let mut surface_ids: HashMap<String, u32> = HashMap::new();
        for words in &self.words {
            let mut unit: Vec<(u32, u32)> = Vec::new();
            for (stems, surface) in rules::features(words, &stop) {
                let next = ids.len() as u32;
                let f = *ids.entry(stems).or_insert(next);
                let next = surface_ids.len() as u32;
                let s = *surface_ids.entry(surface.clone()).or_insert_with(|| {
                    self.surfaces.push(surface);
                    next
                });
                unit.push((f, s));
            }
            unit.sort_by_key(|&(f, _)| f);
            unit.dedup_by_key(|(f, _)| *f);
            self.features.push(unit);
        }
    }

    /// Marks the units `c` codes as coded with the ancestors of its theme: they roll up.
    pub fn roll_up(&mut self, c: &Candidate) {
        let mut parent = self.codebook.parent_of(c.theme);
        while let Some(p) = parent {
            for &u in &c.matched {
                self.coded[p][u] = true;
            }
            parent = self.codebook.parent_of(p);
        }
    }

    /// The text of unit `u`.
    pub fn text(&self, u: usize) -> &'a str {
        let unit = &self.units[u];
        &self.sessions[unit.session].turns[unit.turn].text[unit.bytes.clone()]
    }

    /// `file:line` of unit `u`.
    pub fn location(&self, u: usize) -> String {
        let unit = &self.units[u];
        let s = &self.sessions[unit.session];
        format!("{}:{}", s.file.display(), s.turns[unit.turn].line_of(unit.bytes.start))
    }

    /// Unit `u` as a listing shows it: `file:line` and its text, shortened.
    pub fn shown(&self, u: usize) -> (String, String) {
        (self.location(u), crate::display::shorten(self.text(u), SHOWN_CHARS))
    }

    /// Codes every unit with the codebook, and keeps its tokens.
    fn code_units(&mut self) {
        let engine = Engine::new(self.codebook);
        let mut coder = Coder::new(&engine);
        let n = self.codebook.themes.len();
        for u in 0..self.units.len() {
            let text = self.text(u);
            let (_, spans) = coder.code(text);
            let mut coded = vec![false; n];
            for span in spans {
                coded[span.theme] = true;
                let own: Vec<usize> = span
                    .rules
                    .iter()
                    .copied()
                    .filter(|&r| engine.rules()[r].theme == span.theme)
                    .collect();
                if !own.is_empty() {
                    self.fired[span.theme].entry(u).or_default().extend(own);
                }
            }
            for (t, c) in coded.into_iter().enumerate() {
                self.coded[t].push(c);
            }
            // The coder's own tokens of the text it just coded.
            let words = coder
                .tokens()
                .iter()
                .map(|r| {
                    let word = crate::tokenize::normalize(&text[r.clone()]);
                    let stem = match self.codebook.stemming {
                        true => self.stemmer.stem(&word).into_owned(),
                        false => word.clone(),
                    };
                    (word, stem)
                })
                .collect();
            self.words.push(words);
        }
    }
}

/// The byte range of the character range `chars` of `text`.
fn char_to_byte(text: &str, chars: &Range<usize>) -> Range<usize> {
    let mut offsets = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let start = offsets.nth(chars.start).unwrap_or(text.len());
    let end = if chars.end > chars.start {
        offsets.nth(chars.end - chars.start - 1).unwrap_or(text.len())
    } else {
        start
    };
    start..end
}

/// Where a candidate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A stem or phrase over-represented in the units coded with the theme that the codebook
    /// missed.
    Coded,
    /// A word of the theme's examples.
    Example,
    /// An existing term widened (`word*`, or a phrase as `NEAR`).
    Widened,
}

impl Origin {
    /// What the origin says, in a sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Coded => {
                "over-represented in the units coded with the theme that the codebook missed"
            }
            Origin::Example => "a word of the theme's examples",
            Origin::Widened => "an existing term, widened",
        }
    }
}

/// A candidate rule for a theme, with the units it codes.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The codebook theme.
    pub theme: usize,
    /// The rule.
    pub rule: Rule,
    /// Where it comes from.
    pub origin: Origin,
    /// For each fold: whether the other folds' units suggest it (always, for rules that
    /// do not come from the data).
    pub in_fold: Vec<bool>,
    /// The units it codes, ascending.
    pub matched: Vec<usize>,
}

/// Every candidate rule for theme `t`: from all the units (those people coded), and for
/// each fold from the other folds, merged by rule.
pub fn candidates(corpus: &Corpus, t: usize) -> Vec<Candidate> {
    let mut found = Found { t, folds: corpus.folds, rules: BTreeMap::new() };
    for rule in rules::widened(corpus.codebook, t) {
        found.add(rule, Origin::Widened, None);
    }
    for rule in rules::from_examples(corpus, t) {
        found.add(rule, Origin::Example, None);
    }
    if corpus.folds >= 2 {
        // A rule drawn from the coding counts in a fold only if the other folds draw it.
        for f in 0..corpus.folds {
            for rule in from_coding(corpus, t, Some(f)) {
                found.add(rule, Origin::Coded, Some(f));
            }
        }
    } else {
        for rule in from_coding(corpus, t, None) {
            found.add(rule, Origin::Coded, None);
        }
    }
    let existing = rules::existing(corpus.codebook, t);
    let keep =
        |c: &Candidate| !existing.contains(&c.rule) && !rules::ambiguous(corpus.codebook, &c.rule);
    found.rules.into_values().filter(keep).collect()
}

/// The candidates of one theme, by rule, while they are drawn.
struct Found {
    t: usize,
    folds: usize,
    rules: BTreeMap<Rule, Candidate>,
}

impl Found {
    /// Adds `rule`, drawn for fold `fold` (`None`: for every fold).
    fn add(&mut self, rule: Rule, origin: Origin, fold: Option<usize>) {
        let (t, folds) = (self.t, self.folds);
        let c = self.rules.entry(rule.clone()).or_insert_with(|| Candidate {
            theme: t,
            rule,
            origin,
            in_fold: vec![false; folds],
            matched: Vec::new(),
        });
        match fold {
            Some(f) => c.in_fold[f] = true,
            None => c.in_fold.iter_mut().for_each(|x| *x = true),
        }
    }
}

/// The stems and phrases over-represented in the units coded with theme `t` that the
/// codebook missed, against the units not coded with it, leaving out fold `held_out`.
fn from_coding(corpus: &Corpus, t: usize, held_out: Option<usize>) -> Vec<Rule> {
    let training = |u: usize| held_out != Some(corpus.fold[u]);
    let missed: Vec<usize> = (0..corpus.units.len())
        .filter(|&u| training(u) && corpus.gold[t][u] && !corpus.coded[t][u])
        .collect();
    if missed.len() < 2 {
        return Vec::new();
    }
    // Per feature: units among the missed, and the surface forms seen there.
    let mut features: HashMap<u32, (usize, BTreeMap<String, usize>)> = HashMap::new();
    for &u in &missed {
        for &(f, surface) in &corpus.features[u] {
            let entry = features.entry(f).or_default();
            entry.0 += 1;
            *entry.1.entry(corpus.surfaces[surface as usize].clone()).or_default() += 1;
        }
    }
    features.retain(|_, (a, _)| *a >= 2);
    let negative: Vec<usize> =
        (0..corpus.units.len()).filter(|&u| training(u) && !corpus.gold[t][u]).collect();
    let mut in_negative: HashMap<u32, usize> = HashMap::new();
    for &u in &negative {
        for &(f, _) in &corpus.features[u] {
            if features.contains_key(&f) {
                *in_negative.entry(f).or_default() += 1;
            }
        }
    }
    let (m, n) = (missed.len() as f64, negative.len().max(1) as f64);
    let mut scored: Vec<(f64, String)> = features
        .iter()
        .filter_map(|(key, (a, surfaces))| {
            let b = in_negative.get(key).copied().unwrap_or(0) as f64;
            let a = *a as f64;
            (a / m > b / n).then(|| {
                let g2 = crate::analysis::stats::log_likelihood(a, b, m, n);
                let surface = rules::most_frequent(surfaces);
                (g2, surface)
            })
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
    scored.into_iter().take(FROM_DATA).map(|(_, s)| Rule::Term(s)).collect()
}

/// Fills each candidate's matched units by re-coding the units with the candidate alone (and
/// its theme's excludes). A candidate that cannot be compiled is left out.
pub fn score(corpus: &Corpus, candidates: Vec<Candidate>) -> Vec<Candidate> {
    let index = rules::WordIndex::new(&corpus.words);
    candidates
        .into_iter()
        .filter_map(|mut c| {
            let cb = rules::single_rule_codebook(corpus.codebook, c.theme, &c.rule).ok()?;
            let engine = Engine::new(&cb);
            let mut coder = Coder::new(&engine);
            let anchor = rules::anchor(&c.rule, &corpus.stemmer, corpus.codebook.stemming);
            c.matched = index
                .units(&anchor)
                .into_iter()
                .filter(|&u| !coder.code(corpus.text(u)).1.is_empty())
                .collect();
            Some(c)
        })
        .filter(|c| c.matched.iter().any(|&u| !corpus.coded[c.theme][u]))
        .collect()
}

/// F1 of `c`, 0 when there is nothing to measure (no coding and no reference).
fn f1(c: &Confusion) -> f64 {
    c.f1().unwrap_or(0.0)
}

/// An accepted suggestion, with what it does.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The theme id.
    pub theme: String,
    /// The rule as the codebook writes it.
    pub rule: String,
    /// `term` or `near`.
    pub kind: &'static str,
    /// Where it comes from.
    pub origin: Origin,
    /// Units it adds that the person coded with the theme (over all the units).
    pub tp_added: u64,
    /// Units it adds that the person did not code with the theme.
    pub fp_added: u64,
    /// The theme's precision and recall over all the units with it (and the ones before).
    pub precision: Option<f64>,
    /// See `precision`.
    pub recall: Option<f64>,
    /// The theme's F1 on held-out sessions before and after (over all the units with one
    /// session).
    pub cv_f1_before: f64,
    /// See `cv_f1_before`.
    pub cv_f1_after: f64,
    /// A unit it adds that the person coded: `file:line` and text.
    pub example: Option<(String, String)>,
    /// A unit it adds that the person did not code, when there is one.
    pub false_positive: Option<(String, String)>,
    /// The candidate itself (not serialized).
    #[serde(skip)]
    pub candidate: Candidate,
}

/// The state of one theme while rules are added: which units it codes, overall and as seen
/// by each held-out fold, and the counts of each.
struct Coded<'c> {
    corpus: &'c Corpus<'c>,
    theme: usize,
    all: Vec<bool>,
    per_fold: Vec<bool>,
    counts_all: Confusion,
    counts_held_out: Confusion,
}

impl<'c> Coded<'c> {
    fn new(corpus: &'c Corpus<'c>, theme: usize) -> Coded<'c> {
        let base = corpus.coded[theme].clone();
        let counts = tally(&base, &corpus.gold[theme]);
        Coded {
            corpus,
            theme,
            per_fold: base.clone(),
            all: base,
            counts_all: counts,
            counts_held_out: counts,
        }
    }

    /// The counts over all units (or as held out) with `c` added (`None`: as it is).
    fn counts(&self, c: Option<&Candidate>, held_out: bool) -> Confusion {
        let (codes, mut counts) = match held_out {
            true => (&self.per_fold, self.counts_held_out),
            false => (&self.all, self.counts_all),
        };
        let Some(c) = c else { return counts };
        let gold = &self.corpus.gold[self.theme];
        for &u in &c.matched {
            if codes[u] || (held_out && !c.in_fold[self.corpus.fold[u]]) {
                continue;
            }
            if gold[u] {
                counts.true_positives += 1;
                counts.false_negatives -= 1;
            } else {
                counts.false_positives += 1;
            }
        }
        counts
    }

    fn accept(&mut self, c: &Candidate) {
        self.counts_all = self.counts(Some(c), false);
        self.counts_held_out = self.counts(Some(c), true);
        for &u in &c.matched {
            self.all[u] = true;
            if c.in_fold[self.corpus.fold[u]] {
                self.per_fold[u] = true;
            }
        }
    }
}

/// The codebook's `coded` units against the person's `gold` ones.
pub fn tally(coded: &[bool], gold: &[bool]) -> Confusion {
    let mut counts = Confusion::default();
    for (&c, &g) in coded.iter().zip(gold) {
        counts.add(c, g, 1);
    }
    counts
}

/// What [`choose`] is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Suggestions per theme, at most.
    pub max_per_theme: usize,
    /// The least gain in held-out F1 a suggestion must bring.
    pub min_gain: f64,
}

/// For theme `t`, greedily the candidates that raise its held-out F1 by more than
/// `limits.min_gain`, each measured with the ones before; `keep` may refuse one (a
/// codebook example it would break).
pub fn choose(
    corpus: &Corpus,
    t: usize,
    mut candidates: Vec<Candidate>,
    limits: Limits,
    keep: &mut dyn FnMut(&[Suggestion], &Candidate) -> bool,
) -> Vec<Suggestion> {
    let mut state = Coded::new(corpus, t);
    let mut chosen: Vec<Suggestion> = Vec::new();
    while chosen.len() < limits.max_per_theme && !candidates.is_empty() {
        let before = f1(&state.counts(None, true));
        let gains: Vec<(f64, f64)> = candidates
            .iter()
            .map(|c| (f1(&state.counts(Some(c), true)) - before, f1(&state.counts(Some(c), false))))
            .collect();
        let best = (0..candidates.len())
            .filter(|&k| gains[k].0 > limits.min_gain && gains[k].0 > 1e-12)
            .max_by(|&a, &b| {
                gains[a]
                    .0
                    .total_cmp(&gains[b].0)
                    .then(gains[a].1.total_cmp(&gains[b].1))
                    .then(candidates[b].rule.cmp(&candidates[a].rule))
            });
        let Some(k) = best else { break };
        let c = candidates.remove(k);
        if !keep(&chosen, &c) {
            continue;
        }
        chosen.push(suggestion(corpus, &state, c, before, gains[k].0 + before));
        state.accept(&chosen.last().expect("just pushed").candidate);
    }
    chosen
}

/// The suggestion of `c` on top of `state`.
fn suggestion(corpus: &Corpus, state: &Coded, c: Candidate, before: f64, after: f64) -> Suggestion {
    let t = c.theme;
    let added: Vec<usize> = c.matched.iter().copied().filter(|&u| !state.all[u]).collect();
    let (tp, fp): (Vec<usize>, Vec<usize>) = added.iter().partition(|&&u| corpus.gold[t][u]);
    let counts = state.counts(Some(&c), false);
    Suggestion {
        theme: corpus.codebook.themes[t].id.clone(),
        rule: c.rule.to_string(),
        kind: c.rule.kind(),
        origin: c.origin,
        tp_added: tp.len() as u64,
        fp_added: fp.len() as u64,
        precision: counts.precision(),
        recall: counts.recall(),
        cv_f1_before: before,
        cv_f1_after: after,
        example: tp.first().map(|&u| corpus.shown(u)),
        false_positive: fp.first().map(|&u| corpus.shown(u)),
        candidate: c,
    }
}

/// A rule that makes many of its theme's false positives: a candidate for an exclude.
#[derive(Debug, Clone, Serialize)]
pub struct Noisy {
    /// The theme id.
    pub theme: String,
    /// The rule as written.
    pub rule: String,
    /// Units where it fired and the person coded the theme.
    pub tp: u64,
    /// Units where it fired and the person did not.
    pub fp: u64,
    /// Up to two of those false positives: `file:line` and text.
    pub examples: Vec<(String, String)>,
}

/// The rules of theme `t` that fired in more units the person did not code with it than in
/// units they did (two at least).
pub fn noisy(corpus: &Corpus, engine: &Engine, t: usize) -> Vec<Noisy> {
    let mut per_rule: BTreeMap<usize, (u64, Vec<usize>)> = BTreeMap::new();
    for (&u, rules) in &corpus.fired[t] {
        for &r in rules.iter().collect::<std::collections::BTreeSet<_>>() {
            let entry = per_rule.entry(r).or_default();
            if corpus.gold[t][u] {
                entry.0 += 1;
            } else {
                entry.1.push(u);
            }
        }
    }
    per_rule
        .into_iter()
        .filter(|(_, (tp, fp))| fp.len() >= 2 && fp.len() as u64 > *tp)
        .map(|(r, (tp, fp))| Noisy {
            theme: corpus.codebook.themes[t].id.clone(),
            rule: engine.rules()[r].text.clone(),
            tp,
            fp: fp.len() as u64,
            examples: fp.iter().take(2).map(|&u| corpus.shown(u)).collect(),
        })
        .collect()
}
