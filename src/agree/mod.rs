//! Intercoder agreement: several codings of the same transcripts (qualkit's mentions from
//! different codebooks, imported human codings, coding spreadsheets) compared unit by unit.
//!
//! The flow: [`codings`] reads each coding's rows; [`resolve`] places them in the transcripts
//! (a session, a turn, a character range of its text) and rolls themes up to their parents
//! when a codebook is given; [`Table::build`] cuts the counted turns into units (turns,
//! sentences or runs of characters) and records, per unit and coder, the themes coded there,
//! or that the coder is missing (did not code that session); [`measure`] turns the table into
//! percent agreement, Cohen's or Fleiss' kappa, Krippendorff's alpha and, against a reference
//! coder, precision, recall and F1 ([`crate::analysis::agreement`]), per theme and pooled over all themes; and
//! [`disagreements`] lists the disputed units for adjudication.

pub mod codings;
mod resolve;
mod units;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::analysis::agreement::{
    self as stats, CohenKappa, Confusion, FleissKappa, KrippendorffAlpha, PercentAgreement,
    UnitCounts,
};
use crate::analysis::reliability::Estimate;
use crate::code::corpus::CodingOptions;
use crate::model::Session;
pub use resolve::{resolve, Coder, Resolved, Segment};
pub use units::{Table, UnitRef};

/// The unit of analysis: what is coded present or absent, per theme and coder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A speaker turn: coded with a theme when any segment of the theme touches it.
    #[default]
    Turn,
    /// A sentence of a turn (cut as `analyze --unit sentence` cuts them): coded with a theme
    /// when a segment of the theme overlaps it.
    Sentence,
    /// A character of a turn's text: coded with a theme when a segment of the theme covers it.
    Character,
}

impl crate::display::Named for Unit {
    const CHOICES: &'static [(Unit, &'static str, &'static str)] = &[
        (Unit::Turn, "turn", "A speaker turn: coded with a theme when any segment of the theme touches it"),
        (Unit::Sentence, "sentence", "A sentence of a turn (cut as `analyze --unit sentence` cuts them): coded with a theme when a segment of the theme overlaps it"),
        (Unit::Character, "character", "A character of a turn's text: coded with a theme when a segment of the theme covers it"),
    ];
}

impl Unit {
    /// The unit's name, as `--unit` takes it.
    pub fn as_str(self) -> &'static str {
        crate::display::Named::name(self)
    }

    /// The unit's plural, for counts.
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Turn => "turns",
            Unit::Sentence => "sentences",
            Unit::Character => "characters",
        }
    }
}

/// What to measure.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Which turns are units (and what [`resolve`] kept).
    pub coding: CodingOptions,
    /// Leave out the units no coder coded with any theme.
    pub exclude_uncoded: bool,
    /// The reference coder for precision, recall and F1.
    pub gold: Option<usize>,
}

/// One coder, as the report describes them.
#[derive(Debug, Clone, Serialize)]
pub struct CoderSummary {
    /// The coder's name.
    pub name: String,
    /// The file the codings come from.
    pub source: String,
    /// Rows read.
    pub rows: usize,
    /// The sessions the coder coded.
    pub sessions: Vec<String>,
    /// The sessions the coder did not code (missing for their units).
    pub missing_sessions: Vec<String>,
    /// Compared units the coder coded with at least one theme.
    pub units_coded: u64,
    /// Theme codings left out because their turn is not counted.
    pub uncounted: usize,
}

/// How many units there are and which take part.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct UnitTally {
    /// Units in the counted turns of all the transcripts.
    pub total: u64,
    /// Units coded by two or more coders (the ones compared), before any exclusion.
    pub coded_by_two_or_more: u64,
    /// Of those, units no coder coded with any theme.
    pub uncoded: u64,
    /// Units compared: coded by two or more coders, less the uncoded ones with
    /// `--exclude-uncoded`.
    pub compared: u64,
}

/// One coder measured against the reference coder.
#[derive(Debug, Clone, Serialize)]
pub struct AgainstGold {
    /// The coder.
    pub coder: String,
    /// Units coded by both the coder and the reference, tallied.
    pub confusion: Confusion,
    /// `TP / (TP + FP)`.
    pub precision: Option<f64>,
    /// `TP / (TP + FN)`.
    pub recall: Option<f64>,
    /// `2 TP / (2 TP + FP + FN)`.
    pub f1: Option<f64>,
}

/// Agreement on one theme (or on all themes pooled).
#[derive(Debug, Clone, Serialize)]
pub struct ThemeAgreement {
    /// The theme id (`all themes` for the pooled row).
    pub theme: String,
    /// Per coder, the compared units coded with the theme.
    pub coded: Vec<u64>,
    /// Percent agreement.
    pub percent_agreement: PercentAgreement,
    /// Cohen's kappa (two coders).
    pub cohen_kappa: Option<CohenKappa>,
    /// Fleiss' kappa (three or more coders; the units every coder coded).
    pub fleiss_kappa: Option<FleissKappa>,
    /// Krippendorff's alpha (nominal).
    pub krippendorff_alpha: KrippendorffAlpha,
    /// The other coders against the reference coder.
    pub against_gold: Vec<AgainstGold>,
    /// Every coefficient of `agree --ratings` on the theme as a variable of two categories
    /// (absent, present), each with its standard error and 95% interval (docs/agreement.md).
    #[serde(serialize_with = "crate::analysis::reliability::output::as_object")]
    pub coefficients: Vec<(&'static str, Estimate)>,
}

/// The whole measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The unit of analysis.
    pub unit: Unit,
    /// Whether uncoded units were left out.
    pub exclude_uncoded: bool,
    /// Whether moderator turns are units too.
    pub include_moderators: bool,
    /// The codebook themes were rolled up with.
    pub codebook: Option<String>,
    /// The coders.
    pub coders: Vec<CoderSummary>,
    /// The reference coder.
    pub gold: Option<String>,
    /// Sessions in the transcripts.
    pub sessions: usize,
    /// Units.
    pub units: UnitTally,
    /// Per theme, in theme order; themes coded in no compared unit are left out.
    pub themes: Vec<ThemeAgreement>,
    /// All themes pooled: each (unit, theme) pair counts as one decision.
    pub overall: ThemeAgreement,
    /// Themes coded only in units that are not compared.
    pub not_compared: Vec<String>,
    /// Theme ids the codebook does not know.
    pub unknown_themes: Vec<String>,
}

/// The label of the pooled row.
pub const ALL_THEMES: &str = "all themes";

/// Measures agreement on every theme of `resolved` over the units of `table`.
pub fn measure(
    sessions: &[Session],
    resolved: &Resolved,
    table: &Table,
    options: Options,
    codebook: Option<&Path>,
) -> Agreement {
    let n_coders = resolved.coders.len();
    let included: Vec<usize> = (0..table.units.len())
        .filter(|&u| table.is_compared(u) && !(options.exclude_uncoded && table.is_uncoded(u)))
        .collect();
    let weight = |u: usize| table.units[u].weight;
    let mut tally = UnitTally { total: 0, coded_by_two_or_more: 0, uncoded: 0, compared: 0 };
    for u in 0..table.units.len() {
        tally.total += weight(u);
        if table.is_compared(u) {
            tally.coded_by_two_or_more += weight(u);
            if table.is_uncoded(u) {
                tally.uncoded += weight(u);
            }
        }
    }
    tally.compared = included.iter().map(|&u| weight(u)).sum();

    let mut pooled = Accumulator::new(n_coders, options.gold);
    let mut themes = Vec::new();
    let mut not_compared = Vec::new();
    for (t, id) in resolved.themes.iter().enumerate() {
        let mut acc = Accumulator::new(n_coders, options.gold);
        let mut present: Vec<Option<bool>> = Vec::with_capacity(n_coders);
        for &u in &included {
            present.clear();
            present.extend(
                table.values[u]
                    .iter()
                    .map(|v| v.as_ref().map(|themes| themes.binary_search(&t).is_ok())),
            );
            acc.add(&present, weight(u));
        }
        if acc.coded.iter().all(|&n| n == 0) {
            not_compared.push(id.clone());
            continue;
        }
        pooled.merge(&acc);
        themes.push(acc.finish(id, resolved));
    }
    let coders = resolved
        .coders
        .iter()
        .enumerate()
        .map(|(c, coder)| CoderSummary {
            name: coder.name.clone(),
            source: coder.source.display().to_string(),
            rows: coder.rows,
            sessions: sessions_where(sessions, &coder.sessions, true),
            missing_sessions: sessions_where(sessions, &coder.sessions, false),
            units_coded: included
                .iter()
                .filter(|&&u| table.values[u][c].as_ref().is_some_and(|v| !v.is_empty()))
                .map(|&u| weight(u))
                .sum(),
            uncounted: coder.uncounted,
        })
        .collect();
    Agreement {
        unit: table.unit,
        exclude_uncoded: options.exclude_uncoded,
        include_moderators: options.coding.include_moderators,
        codebook: codebook.map(|p| p.display().to_string()),
        coders,
        gold: options.gold.map(|g| resolved.coders[g].name.clone()),
        sessions: sessions.len(),
        units: tally,
        themes,
        overall: pooled.finish(ALL_THEMES, resolved),
        not_compared,
        unknown_themes: resolved.unknown_themes.clone(),
    }
}

fn sessions_where(sessions: &[Session], coded: &[bool], want: bool) -> Vec<String> {
    sessions.iter().zip(coded).filter(|(_, &c)| c == want).map(|(s, _)| s.id.clone()).collect()
}

/// The counts behind every coefficient of one theme (or of all themes pooled).
#[derive(Debug, Clone)]
struct Accumulator {
    /// Units by (coders saying absent, coders saying present) → weight.
    counts: BTreeMap<(u64, u64), u64>,
    /// Two coders: the 2 × 2 table over units both coded (0 absent, 1 present).
    pair: [[u64; 2]; 2],
    /// Units coded with the theme, per coder.
    coded: Vec<u64>,
    /// Units by what each coder said (`None`: missing) → weight.
    patterns: BTreeMap<Vec<Option<bool>>, u64>,
    /// Against the reference coder, per coder.
    gold: Option<(usize, Vec<Confusion>)>,
}

impl Accumulator {
    fn new(coders: usize, gold: Option<usize>) -> Accumulator {
        Accumulator {
            counts: BTreeMap::new(),
            pair: [[0; 2]; 2],
            coded: vec![0; coders],
            gold: gold.map(|g| (g, vec![Confusion::default(); coders])),
            patterns: BTreeMap::new(),
        }
    }

    /// One unit: per coder, whether it coded the theme there (`None`: missing).
    fn add(&mut self, present: &[Option<bool>], weight: u64) {
        match self.patterns.get_mut(present) {
            Some(w) => *w += weight,
            None => {
                self.patterns.insert(present.to_vec(), weight);
            }
        }
        let yes = present.iter().filter(|p| **p == Some(true)).count() as u64;
        let no = present.iter().filter(|p| **p == Some(false)).count() as u64;
        *self.counts.entry((no, yes)).or_default() += weight;
        if let [Some(a), Some(b)] = present {
            self.pair[*a as usize][*b as usize] += weight;
        }
        for (c, p) in present.iter().enumerate() {
            if *p == Some(true) {
                self.coded[c] += weight;
            }
        }
        if let Some((g, confusion)) = &mut self.gold {
            if let Some(gold) = present[*g] {
                for (c, p) in present.iter().enumerate() {
                    if let (true, Some(coded)) = (c != *g, p) {
                        confusion[c].add(*coded, gold, weight);
                    }
                }
            }
        }
    }

    fn merge(&mut self, other: &Accumulator) {
        for (pattern, w) in &other.patterns {
            *self.patterns.entry(pattern.clone()).or_default() += w;
        }
        for (k, w) in &other.counts {
            *self.counts.entry(*k).or_default() += w;
        }
        for a in 0..2 {
            for b in 0..2 {
                self.pair[a][b] += other.pair[a][b];
            }
        }
        for (c, n) in other.coded.iter().enumerate() {
            self.coded[c] += n;
        }
        if let (Some((_, mine)), Some((_, theirs))) = (&mut self.gold, &other.gold) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
    }

    fn finish(self, theme: &str, resolved: &Resolved) -> ThemeAgreement {
        let coders = resolved.coders.len();
        let coefficients = reliability_of(&self.patterns, resolved);
        let units: Vec<UnitCounts> = self
            .counts
            .iter()
            .map(|(&(no, yes), &weight)| UnitCounts { counts: vec![no, yes], weight })
            .collect();
        let against_gold = match &self.gold {
            None => Vec::new(),
            Some((g, confusion)) => (0..coders)
                .filter(|c| c != g)
                .map(|c| AgainstGold {
                    coder: resolved.coders[c].name.clone(),
                    confusion: confusion[c],
                    precision: confusion[c].precision(),
                    recall: confusion[c].recall(),
                    f1: confusion[c].f1(),
                })
                .collect(),
        };
        ThemeAgreement {
            theme: theme.to_string(),
            coded: self.coded,
            percent_agreement: stats::percent_agreement(&units),
            cohen_kappa: (coders == 2)
                .then(|| stats::cohen_kappa(&[self.pair[0].to_vec(), self.pair[1].to_vec()])),
            fleiss_kappa: (coders > 2).then(|| stats::fleiss_kappa(&units, coders as u64)),
            krippendorff_alpha: stats::krippendorff_alpha_nominal(&units),
            against_gold,
            coefficients,
        }
    }
}

/// A disputed unit: some coders coded it with a theme and others did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The unit (for character units, a run of adjacent disputed characters).
    pub unit: UnitRef,
    /// Index of the theme.
    pub theme: usize,
    /// The coders who coded the theme there.
    pub coded_by: Vec<usize>,
    /// The coders who coded the unit's session but not the theme there.
    pub not_coded_by: Vec<usize>,
}

/// Every disputed (unit, theme), in transcript order then theme order. Adjacent disputed
/// characters with the same coders on each side are one run.
pub fn disagreements(table: &Table, options: Options) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = Vec::new();
    // For character units: the last disagreement of each theme, to extend a run.
    let mut last: HashMap<usize, usize> = HashMap::new();
    for (u, unit) in table.units.iter().enumerate() {
        if !table.is_compared(u) || (options.exclude_uncoded && table.is_uncoded(u)) {
            continue;
        }
        let row = &table.values[u];
        let mut themes: Vec<usize> = row.iter().flatten().flatten().copied().collect();
        themes.sort_unstable();
        themes.dedup();
        for t in themes {
            let (mut yes, mut no) = (Vec::new(), Vec::new());
            for (c, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    if v.binary_search(&t).is_ok() {
                        yes.push(c);
                    } else {
                        no.push(c);
                    }
                }
            }
            if no.is_empty() {
                continue;
            }
            if table.unit == Unit::Character {
                if let Some(&i) = last.get(&t) {
                    let prev = &mut out[i];
                    if prev.unit.session == unit.session
                        && prev.unit.turn == unit.turn
                        && prev.unit.chars.end == unit.chars.start
                        && prev.coded_by == yes
                        && prev.not_coded_by == no
                    {
                        prev.unit.chars.end = unit.chars.end;
                        prev.unit.weight += unit.weight;
                        continue;
                    }
                }
                last.insert(t, out.len());
            }
            out.push(Disagreement {
                unit: unit.clone(),
                theme: t,
                coded_by: yes,
                not_coded_by: no,
            });
        }
    }
    if table.unit == Unit::Character {
        out.sort_by_key(|d| (d.unit.session, d.unit.turn, d.unit.chars.start, d.theme));
    }
    out
}

/// Every coefficient of `agree --ratings` on one theme's presence, from the coders'
/// patterns (each pooled unit standing for its weight in units).
fn reliability_of(
    patterns: &BTreeMap<Vec<Option<bool>>, u64>,
    resolved: &Resolved,
) -> Vec<(&'static str, Estimate)> {
    use crate::analysis::reliability::{self as rel, Categories, Level, Ratings, WeightMatrix};
    let patterns: Vec<(&Vec<Option<bool>>, u64)> =
        patterns.iter().filter(|(_, &w)| w > 0).map(|(p, &w)| (p, w)).collect();
    let categories = Categories::new(vec!["absent".into(), "present".into()]);
    let coders = resolved.coders.iter().map(|c| c.name.clone()).collect();
    let units = (1..=patterns.len()).map(|u| u.to_string()).collect();
    let cells = patterns.iter().map(|(p, _)| p.iter().map(|v| v.map(usize::from)).collect());
    let weights = patterns.iter().map(|(_, w)| *w as f64).collect();
    let options = rel::Options {
        weights: WeightMatrix::identity(2),
        level: Level::Nominal,
        bootstrap: (0, 0),
    };
    Ratings::new(categories, coders, units, cells.collect())
        .and_then(|r| r.with_weights(weights))
        .and_then(|r| rel::all_coefficients(&r, &options))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::ingest::text::{parse, TextOptions};
    use std::ops::Range;

    fn session() -> Session {
        let text = "---\nsession: s1\nmoderators: Mod\n---\n\
                    Mod: What matters?\n\
                    Ana: Trust. Patience too.\n\
                    Ben: Money, and more money.\n\
                    second line of Ben.\n\
                    Ana: Nothing to add.\n";
        parse(Path::new("s1.txt"), text, &TextOptions::default()).unwrap()
    }

    fn coding(name: &str, csv: &str) -> codings::Coding {
        codings::parse(Path::new("c.csv"), csv, name, None).unwrap().remove(0)
    }

    fn resolved(csvs: &[(&str, &str)]) -> (Vec<Session>, Resolved) {
        let sessions = vec![session()];
        let codings = csvs.iter().map(|(n, c)| coding(n, c)).collect();
        let r = resolve(codings, &sessions, None, CodingOptions::default()).unwrap();
        (sessions, r)
    }

    #[test]
    fn rows_are_placed_by_turn_line_and_offsets() {
        let (_, r) = resolved(&[(
            "a",
            "session,file,turn,line,start,end,theme,text\n\
             s1,,2,,0,5,trust,Trust\n\
             ,s1.txt,,8,,,money,\n\
             s1,,1,,,,trust,\n\
             s1,,4,,,,,\n",
        )]);
        let a = &r.coders[0];
        assert_eq!(r.themes, ["money", "trust"]);
        // Turn 2 characters 0–5; line 8 (Ben's second line) of turn 3; turn 1 is the
        // moderator's and not counted.
        assert_eq!(
            a.segments,
            [
                Segment { session: 0, turn: 1, chars: 0..5, theme: 1 },
                Segment { session: 0, turn: 2, chars: 23..42, theme: 0 },
            ]
        );
        assert_eq!((a.rows, a.uncounted), (4, 1));
    }

    #[test]
    fn rows_that_do_not_fit_the_transcripts_are_errors() {
        let sessions = vec![session()];
        let err = |csv: &str| {
            resolve(vec![coding("a", csv)], &sessions, None, CodingOptions::default())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("session,turn,theme\ns9,1,trust\n"),
            "c.csv:2: session `s9` is not among the transcripts read (s1); give the \
             transcripts that were coded with --transcripts"
        );
        assert_eq!(
            err("session,turn,theme\ns1,9,trust\n"),
            "c.csv:2: turn 9 does not exist: session s1 has 4 turns; are these codings of \
             other transcripts?"
        );
        assert_eq!(
            err("session,turn,start,end,theme,text\ns1,2,0,5,trust,Trusts\n"),
            "c.csv:2: the text at characters 0–5 of turn 2 of session s1 is “Trust”, not \
             “Trusts”; the transcript has changed since it was coded, or these are codings \
             of other transcripts"
        );
        assert_eq!(
            err("session,turn,start,end,theme\ns1,2,0,50,trust\n"),
            "c.csv:2: characters 0–50 run past the end of turn 2 of session s1 (20 \
             characters); offsets count characters of the turn's text from 0, end exclusive"
        );
        assert!(err("file,line,theme\ns1.txt,2,trust\n")
            .starts_with("c.csv:2: line 2 of s1.txt holds no turn of session s1"));
        assert!(err("file,line,theme\nother.txt,6,trust\n")
            .starts_with("c.csv:2: no transcript read is the file `other.txt`"));
    }

    #[test]
    fn units_by_turn_sentence_and_character() {
        let (sessions, r) = resolved(&[
            ("a", "session,turn,start,end,theme\ns1,2,0,5,trust\ns1,3,0,5,money\n"),
            ("b", "session,turn,start,end,theme\ns1,2,7,15,trust\n"),
        ]);
        let opts = CodingOptions::default();
        let turns = Table::build(&sessions, &r, Unit::Turn, opts);
        // The three participant turns; both coders coded the session.
        assert_eq!(turns.units.len(), 3);
        assert_eq!(turns.values[0], [Some(vec![1]), Some(vec![1])]);
        assert_eq!(turns.values[1], [Some(vec![0]), Some(vec![])]);
        assert!(turns.is_uncoded(2));

        let sentences = Table::build(&sessions, &r, Unit::Sentence, opts);
        // "Trust." | "Patience too." | Ben's two sentences | "Nothing to add."
        assert_eq!(sentences.units.len(), 5);
        assert_eq!(sentences.units[1].chars, 7..20);
        assert_eq!(sentences.values[0], [Some(vec![1]), Some(vec![])]);
        assert_eq!(sentences.values[1], [Some(vec![]), Some(vec![1])]);

        let chars = Table::build(&sessions, &r, Unit::Character, opts);
        let runs: Vec<(Range<usize>, u64)> =
            chars.units.iter().take(4).map(|u| (u.chars.clone(), u.weight)).collect();
        assert_eq!(runs, [(0..5, 5), (5..7, 2), (7..15, 8), (15..20, 5)]);
        let total: u64 = chars.units.iter().map(|u| u.weight).sum();
        assert_eq!(total, 20 + 42 + 15);
    }

    #[test]
    fn a_coder_without_rows_for_a_session_is_missing() {
        let (sessions, r) =
            resolved(&[("a", "session,turn,theme\ns1,2,trust\n"), ("b", "session,turn,theme\n")]);
        let table = Table::build(&sessions, &r, Unit::Turn, CodingOptions::default());
        assert_eq!(table.values[0], [Some(vec![0]), None]);
        assert!(!table.is_compared(0));
        let agreement = measure(&sessions, &r, &table, Options::default(), None);
        assert_eq!(agreement.units.compared, 0);
        assert_eq!(agreement.not_compared, ["trust"]);
        assert_eq!(agreement.coders[1].missing_sessions, ["s1"]);
    }

    #[test]
    fn agreement_per_theme_pooled_and_against_gold() {
        let (sessions, r) = resolved(&[
            ("a", "session,turn,theme\ns1,2,trust\ns1,3,money\ns1,4,money\n"),
            ("b", "session,turn,theme\ns1,2,trust\ns1,3,trust\n"),
        ]);
        let table = Table::build(&sessions, &r, Unit::Turn, CodingOptions::default());
        let options = Options { gold: Some(1), ..Options::default() };
        let a = measure(&sessions, &r, &table, options, None);
        assert_eq!(a.units.compared, 3);
        let money = &a.themes[0];
        assert_eq!(money.coded, [2, 0]);
        let k = money.cohen_kappa.as_ref().unwrap();
        assert_eq!(k.table, [[1, 0], [2, 0]]);
        let trust = &a.themes[1];
        assert_eq!(trust.cohen_kappa.as_ref().unwrap().table, [[1, 1], [0, 1]]);
        assert_eq!(trust.against_gold[0].confusion.true_positives, 1);
        assert_eq!(trust.against_gold[0].precision, Some(1.0));
        assert_eq!(trust.against_gold[0].recall, Some(0.5));
        // Pooled: 6 decisions, 3 agreements.
        assert_eq!(a.overall.percent_agreement.units, 6);
        assert_eq!(a.overall.cohen_kappa.as_ref().unwrap().table, [[2, 1], [2, 1]]);
        assert_eq!(a.overall.against_gold[0].precision, Some(1.0 / 3.0));

        let excluded = Options { exclude_uncoded: true, ..Options::default() };
        let table = Table::build(&sessions, &r, Unit::Turn, CodingOptions::default());
        let b = measure(&sessions, &r, &table, excluded, None);
        assert_eq!((b.units.total, b.units.uncoded, b.units.compared), (3, 0, 3));

        let d = disagreements(&table, Options::default());
        let listed: Vec<(usize, usize, Vec<usize>)> =
            d.iter().map(|d| (d.unit.turn, d.theme, d.coded_by.clone())).collect();
        assert_eq!(listed, [(2, 0, vec![0]), (2, 1, vec![1]), (3, 0, vec![0])]);
    }

    #[test]
    fn disputed_characters_are_listed_as_runs() {
        let (sessions, r) = resolved(&[
            ("a", "session,turn,start,end,theme\ns1,2,0,15,trust\ns1,2,3,4,money\n"),
            ("b", "session,turn,start,end,theme\ns1,2,7,20,trust\n"),
        ]);
        let table = Table::build(&sessions, &r, Unit::Character, CodingOptions::default());
        let d = disagreements(&table, Options::default());
        let listed: Vec<(Range<usize>, usize, Vec<usize>)> =
            d.iter().map(|d| (d.unit.chars.clone(), d.theme, d.coded_by.clone())).collect();
        assert_eq!(listed, [(0..7, 1, vec![0]), (3..4, 0, vec![0]), (15..20, 1, vec![1])]);
    }

    #[test]
    fn a_codebook_rolls_themes_up_to_their_parents() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            "[[theme]]\nid = \"values\"\n[[theme]]\nid = \"trust\"\nparent = \"values\"\n\
             terms = [\"trust\"]\n",
        )
        .unwrap();
        let sessions = vec![session()];
        let codings = vec![coding("a", "session,turn,theme\ns1,2,trust\ns1,3,other\n")];
        let r = resolve(codings, &sessions, Some(&cb), CodingOptions::default()).unwrap();
        assert_eq!(r.themes, ["values", "trust", "other"]);
        assert_eq!(r.unknown_themes, ["other"]);
        let themes: Vec<usize> = r.coders[0].segments.iter().map(|s| s.theme).collect();
        assert_eq!(themes, [1, 0, 2]);
    }
}
