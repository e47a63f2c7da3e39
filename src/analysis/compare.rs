//! Comparing themes between groups of sessions or speakers: per theme and group the mentions,
//! the rate per 1,000 words and the share of speakers who raised it, and per theme a test of
//! whether the rate differs between the groups (log-likelihood G² for two groups, a
//! chi-square test of independence for more), Bonferroni-corrected across the themes.
//!
//! Groups are the sessions themselves, or the values of an attribute. The attribute names are
//! the attribute column names of `mentions.csv` ([`aggregate::AttributeKeys::columns`]): a session
//! attribute (front matter) groups whole sessions, a speaker attribute (participants file)
//! groups speakers wherever they spoke. When a session and a speaker attribute share a name,
//! `NAME` is the session attribute and `speaker_NAME` the speaker one.
//!
//! Only counted turns take part (participants; moderators with `--include-moderators`):
//! their words are the denominators and their speakers the speakers of a group (a group
//! voice such as `ALL` adds its words and mentions, but is not one more speaker). Turns whose
//! speaker has no value for the attribute belong to no group and are counted in
//! [`Comparison::left_out`].

use serde::Serialize;

use crate::aggregate::{self, AttributeSource};
use crate::analysis::stats;
use crate::error::{Error, Result};
use crate::summary::{SessionSummary, SpeakerSummary, Summary};

/// The significance level, after the Bonferroni correction.
pub const ALPHA: f64 = 0.05;

/// Expected counts below this are flagged and the theme is not tested.
pub const MIN_EXPECTED: f64 = 5.0;

/// What the groups are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    /// One group per session.
    Session,
    /// One group per value of a session or speaker attribute (a column name of
    /// `mentions.csv`).
    Attribute(String),
}

impl GroupBy {
    /// `session`, or an attribute name.
    pub fn parse(name: &str) -> GroupBy {
        match name.trim() {
            "session" => GroupBy::Session,
            other => GroupBy::Attribute(other.to_string()),
        }
    }
}

/// Where the group of a turn comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// The session id.
    Session,
    /// A session attribute: whole sessions form the groups.
    SessionAttribute,
    /// A speaker attribute: speakers form the groups, across sessions.
    SpeakerAttribute,
}

impl Grouping {
    /// How the grouping is described to people.
    pub fn describe(self) -> &'static str {
        match self {
            Grouping::Session => "sessions",
            Grouping::SessionAttribute => "session attribute",
            Grouping::SpeakerAttribute => "speaker attribute",
        }
    }
}

/// The test applied to every theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// Two groups: log-likelihood G² with 1 degree of freedom, and the log ratio.
    LogLikelihood,
    /// More than two groups: Pearson's chi-square test of independence on the 2 × k table
    /// of mentions and other words, with adjusted standardized residuals.
    ChiSquare,
}

/// A comparison of every theme across groups. Serializable for JSON and HTML reports.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// What `--by` named: `session` or the attribute.
    pub by: String,
    /// Where the groups come from.
    pub grouping: Grouping,
    /// Whether moderator turns were counted.
    pub include_moderators: bool,
    /// The groups compared, in order.
    pub groups: Vec<Group>,
    /// Counted turns with no value for the attribute: in no group.
    pub left_out: Tally,
    /// Counted turns in groups not chosen with `--groups`.
    pub not_chosen: Tally,
    /// The test applied to each theme.
    pub test: TestKind,
    /// The multiple-comparison correction (always `bonferroni`).
    pub correction: &'static str,
    /// The significance level after correction.
    pub alpha: f64,
    /// Expected counts below this are flagged and not tested.
    pub min_expected: f64,
    /// The number of themes tested: the Bonferroni denominator.
    pub tests: usize,
    /// One entry per theme, in codebook order.
    pub themes: Vec<ThemeComparison>,
}

/// One group and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The session id or attribute value.
    pub name: String,
    /// Words of its counted turns.
    pub words: usize,
    /// Its counted turns.
    pub turns: usize,
    /// Its speakers with counted turns (distinct session and speaker pairs; group voices
    /// left out).
    pub speakers: usize,
    /// The sessions it has counted turns in.
    pub sessions: usize,
}

/// Words, turns and speakers that were left out of the groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Words of the turns.
    pub words: usize,
    /// Counted turns.
    pub turns: usize,
    /// Their speakers (distinct session and speaker pairs; group voices left out).
    pub speakers: usize,
}

/// One theme across the groups.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeComparison {
    /// The theme id.
    pub theme: String,
    /// Its label.
    pub label: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Its depth in the theme tree (0 for a top-level theme).
    pub depth: usize,
    /// One cell per group, in group order.
    pub cells: Vec<Cell>,
    /// The test; `None` when no group mentions the theme (not tested, not counted in the
    /// correction).
    pub test: Option<Test>,
}

/// One theme in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Mentions in the group's counted turns.
    pub mentions: usize,
    /// Mentions per 1,000 of the group's words.
    pub per_1000_words: f64,
    /// The group's speakers who raised the theme at least once.
    pub speakers: usize,
    /// `speakers` over the group's speakers (0 to 1).
    pub speaker_share: f64,
}

/// The test of one theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// G² (two groups) or Pearson's X² (more).
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// The uncorrected p-value.
    pub p: f64,
    /// The Bonferroni-adjusted p-value; `None` when the theme was not tested because an
    /// expected count is below [`MIN_EXPECTED`].
    pub adjusted_p: Option<f64>,
    /// Whether the adjusted p is below [`ALPHA`].
    pub significant: bool,
    /// Whether an expected mention count is below [`MIN_EXPECTED`] (then not tested).
    pub low_expected: bool,
    /// Expected mentions per group if the rate were the same in every group.
    pub expected: Vec<f64>,
    /// Two groups: log2 of the first group's rate over the second's (Hardie's log ratio).
    pub log_ratio: Option<f64>,
    /// Two groups: the group where the theme is relatively more frequent.
    pub more_in: Option<String>,
    /// More than two groups: the adjusted standardized residual of each group's mentions;
    /// beyond ±1.96 that group departs from the others.
    pub residuals: Option<Vec<f64>>,
}

/// Where each speaker of a session goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Group(usize),
    Missing,
    NotChosen,
}

/// Compares every theme across the groups given by `by`; `groups` restricts the comparison
/// to those groups, in that order.
pub fn compare(summary: &Summary, by: &GroupBy, groups: Option<&[String]>) -> Result<Comparison> {
    let (name, grouping, source) = resolve(summary, by)?;
    let source = ValueOf(source);
    let chosen = choose_groups(&name, &source.known(summary), groups)?;
    let counts = Counts::of(summary, &source, &chosen);
    let test = if chosen.len() == 2 { TestKind::LogLikelihood } else { TestKind::ChiSquare };
    let mut rows = counts.theme_rows(summary, test);
    let tests = bonferroni(&mut rows);
    Ok(Comparison {
        by: name,
        grouping,
        include_moderators: summary.options.include_moderators,
        groups: counts.sizes,
        left_out: counts.left_out,
        not_chosen: counts.not_chosen,
        test,
        correction: "bonferroni",
        alpha: ALPHA,
        min_expected: MIN_EXPECTED,
        tests,
        themes: rows,
    })
}

/// The group of each speaker in a comparison: what representative quotes are spread over.
pub struct GroupOf {
    value: ValueOf,
    groups: Vec<String>,
}

impl GroupOf {
    /// The groups of `comparison`, a comparison of `summary`'s sessions.
    pub fn new(summary: &Summary, comparison: &Comparison) -> Result<GroupOf> {
        let (_, _, source) = resolve(summary, &GroupBy::parse(&comparison.by))?;
        let groups = comparison.groups.iter().map(|g| g.name.clone()).collect();
        Ok(GroupOf { value: ValueOf(source), groups })
    }

    /// The group of speaker `speaker` of session `session`, if it is one of the groups
    /// compared.
    pub fn of(&self, summary: &Summary, session: usize, speaker: usize) -> Option<String> {
        let s = summary.sessions.get(session)?;
        let v = self.value.of(s, s.speakers.get(speaker)?)?;
        self.groups.contains(&v).then_some(v)
    }
}

/// The group value of a speaker of a session: the session id (no source), or the value of
/// the attribute, trimmed; `None` when missing or blank.
struct ValueOf(Option<AttributeSource>);

impl ValueOf {
    /// The value of `speaker` in `s`.
    fn of(&self, s: &SessionSummary, speaker: &SpeakerSummary) -> Option<String> {
        let v = match &self.0 {
            None => Some(s.id.as_str()),
            Some(src) => aggregate::attribute_value(src, &s.attributes, &speaker.attributes),
        };
        v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// The values on counted turns, in order of first appearance.
    fn known(&self, summary: &Summary) -> Vec<String> {
        let mut known: Vec<String> = Vec::new();
        for s in &summary.sessions {
            let mut speakers: Vec<&SpeakerSummary> = s.counted_speakers().collect();
            speakers.sort_by_key(|sp| sp.first_turn);
            for sp in speakers {
                if let Some(v) = self.of(s, sp) {
                    if !known.contains(&v) {
                        known.push(v);
                    }
                }
            }
        }
        known
    }
}

/// The counts of the chosen groups: their sizes, what was left out, and per theme (by
/// index) and group the mentions and the speakers who raised it.
struct Counts {
    sizes: Vec<Group>,
    left_out: Tally,
    not_chosen: Tally,
    mentions: Vec<Vec<usize>>,
    raised: Vec<Vec<usize>>,
}

impl Counts {
    /// Counts the counted speakers of every session of `summary` into the `chosen` groups.
    fn of(summary: &Summary, value: &ValueOf, chosen: &[String]) -> Counts {
        let themes = summary.codebook.themes.len();
        let k = chosen.len();
        let mut counts = Counts {
            sizes: chosen
                .iter()
                .map(|g| Group { name: g.clone(), words: 0, turns: 0, speakers: 0, sessions: 0 })
                .collect(),
            left_out: Tally::default(),
            not_chosen: Tally::default(),
            mentions: vec![vec![0usize; k]; themes],
            raised: vec![vec![0usize; k]; themes],
        };
        for s in &summary.sessions {
            counts.add_session(s, value, chosen);
        }
        counts
    }

    /// Adds the counted speakers of one session, each to its group or tally.
    fn add_session(&mut self, s: &SessionSummary, value: &ValueOf, chosen: &[String]) {
        let mut in_session = vec![false; chosen.len()];
        for sp in s.counted_speakers() {
            // A group voice's words and mentions count; it is not one more speaker.
            let person = usize::from(sp.role.is_person());
            let slot = match value.of(s, sp) {
                None => Slot::Missing,
                Some(v) => chosen.iter().position(|g| *g == v).map_or(Slot::NotChosen, Slot::Group),
            };
            let tally = match slot {
                Slot::Group(g) => {
                    in_session[g] = true;
                    self.add_to_group(g, sp, person);
                    continue;
                }
                Slot::Missing => &mut self.left_out,
                Slot::NotChosen => &mut self.not_chosen,
            };
            tally.words += sp.words;
            tally.turns += sp.turns;
            tally.speakers += person;
        }
        for (g, size) in self.sizes.iter_mut().enumerate() {
            size.sessions += usize::from(in_session[g]);
        }
    }

    /// Adds speaker `sp` (one person when `person` is 1) to group `g`.
    fn add_to_group(&mut self, g: usize, sp: &SpeakerSummary, person: usize) {
        self.sizes[g].words += sp.words;
        self.sizes[g].turns += sp.turns;
        self.sizes[g].speakers += person;
        for &(t, n) in &sp.themes {
            self.mentions[t as usize][g] += n as usize;
            self.raised[t as usize][g] += person;
        }
    }

    /// One row per theme, in codebook order, with its cells and its (uncorrected) test.
    fn theme_rows(&self, summary: &Summary, test: TestKind) -> Vec<ThemeComparison> {
        let cb = &summary.codebook;
        cb.order()
            .iter()
            .map(|&ti| {
                let theme = &cb.themes[ti];
                ThemeComparison {
                    theme: theme.id.clone(),
                    label: theme.label.clone(),
                    parent: cb.parent_of(ti).map(|p| cb.themes[p].id.clone()),
                    depth: cb.self_and_ancestors(ti).len() - 1,
                    test: test_theme(test, &self.mentions[ti], &self.sizes),
                    cells: self.cells(ti),
                }
            })
            .collect()
    }

    /// The cells of theme `ti`, one per group.
    fn cells(&self, ti: usize) -> Vec<Cell> {
        (0..self.sizes.len())
            .map(|g| Cell {
                mentions: self.mentions[ti][g],
                per_1000_words: ratio(self.mentions[ti][g] as f64 * 1000.0, self.sizes[g].words),
                speakers: self.raised[ti][g],
                speaker_share: ratio(self.raised[ti][g] as f64, self.sizes[g].speakers),
            })
            .collect()
    }
}

/// Bonferroni-corrects the tests of `rows` not flagged for low expected counts, across
/// them; returns their number.
fn bonferroni(rows: &mut [ThemeComparison]) -> usize {
    let tests = rows.iter().filter_map(|r| r.test.as_ref()).filter(|t| !t.low_expected).count();
    for t in rows.iter_mut().filter_map(|r| r.test.as_mut()).filter(|t| !t.low_expected) {
        let adjusted = stats::bonferroni(t.p, tests);
        t.adjusted_p = Some(adjusted);
        t.significant = adjusted < ALPHA;
    }
    tests
}

/// `x / n`, or 0 when `n` is 0.
fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        x / n as f64
    }
}

/// The name, the kind of grouping and the attribute (`None`: the session id) `by` names.
fn resolve(summary: &Summary, by: &GroupBy) -> Result<(String, Grouping, Option<AttributeSource>)> {
    let GroupBy::Attribute(name) = by else {
        return Ok(("session".into(), Grouping::Session, None));
    };
    let columns = aggregate::AttributeKeys::of_summary(summary).columns();
    if let Some((_, source)) = columns.iter().find(|(column, _)| column == name) {
        let grouping = match source {
            AttributeSource::Session(_) | AttributeSource::Section => Grouping::SessionAttribute,
            AttributeSource::Speaker(_) => Grouping::SpeakerAttribute,
        };
        return Ok((name.clone(), grouping, Some(source.clone())));
    }
    let list = |speaker: bool| {
        let names: Vec<&str> = columns
            .iter()
            .filter(|(_, s)| matches!(s, AttributeSource::Speaker(_)) == speaker)
            .map(|(n, _)| n.as_str())
            .collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    Err(Error::Usage(format!(
        "--by {name}: no session or speaker attribute is called `{name}`; group by `session`, a \
         session attribute (from front matter: {}) or a speaker attribute (from --participants: \
         {})",
        list(false),
        list(true)
    )))
}

/// The groups to compare: `requested` (checked against the values seen), or every value.
fn choose_groups(
    name: &str,
    known: &[String],
    requested: Option<&[String]>,
) -> Result<Vec<String>> {
    let values = || if known.is_empty() { "none".to_string() } else { known.join(", ") };
    let chosen = match requested {
        None => known.to_vec(),
        Some(requested) => {
            let mut chosen: Vec<String> = Vec::with_capacity(requested.len());
            for g in requested {
                let g = g.trim();
                if !known.iter().any(|v| v == g) {
                    return Err(Error::Usage(format!(
                        "--groups: `{g}` is not a value of `{name}` on the counted turns; the \
                         values are: {}",
                        values()
                    )));
                }
                if chosen.iter().any(|c| c == g) {
                    return Err(Error::Usage(format!("--groups: `{g}` is given twice")));
                }
                chosen.push(g.to_string());
            }
            chosen
        }
    };
    if chosen.len() < 2 {
        return Err(Error::Usage(match requested {
            Some(_) => format!(
                "--groups: a comparison needs at least two groups; the values of `{name}` are: {}",
                values()
            ),
            None => format!(
                "`{name}` has {} on the counted turns ({}); a comparison needs at least two \
                 groups",
                if known.is_empty() { "no value" } else { "a single value" },
                values()
            ),
        }));
    }
    Ok(chosen)
}

/// The test of one theme from its mentions per group; `None` when no group mentions it. The
/// adjusted p is filled in once every theme is tested.
fn test_theme(kind: TestKind, mentions: &[usize], groups: &[Group]) -> Option<Test> {
    let total: usize = mentions.iter().sum();
    if total == 0 {
        return None;
    }
    let test = match kind {
        TestKind::LogLikelihood => {
            let (a, b) = (mentions[0] as f64, mentions[1] as f64);
            let (c, d) = (groups[0].words as f64, groups[1].words as f64);
            let g2 = stats::log_likelihood(a, b, c, d);
            let expected = vec![c * (a + b) / (c + d), d * (a + b) / (c + d)];
            let (rate_a, rate_b) = (a / c, b / d);
            let more_in = if rate_a > rate_b {
                Some(groups[0].name.clone())
            } else if rate_b > rate_a {
                Some(groups[1].name.clone())
            } else {
                None
            };
            Test {
                statistic: g2,
                df: 1,
                p: stats::chi_square_p(g2, 1.0),
                adjusted_p: None,
                significant: false,
                low_expected: expected.iter().any(|&e| e < MIN_EXPECTED),
                expected,
                log_ratio: Some(stats::log_ratio(a, b, c, d)),
                more_in,
                residuals: None,
            }
        }
        TestKind::ChiSquare => {
            let table = vec![
                mentions.iter().map(|&m| m as f64).collect(),
                mentions
                    .iter()
                    .zip(groups)
                    .map(|(&m, g)| g.words.saturating_sub(m) as f64)
                    .collect(),
            ];
            let chi = stats::chi_square(&table);
            Test {
                statistic: chi.statistic,
                df: chi.df,
                p: chi.p,
                adjusted_p: None,
                significant: false,
                low_expected: chi.low_expected > 0,
                expected: chi.expected[0].clone(),
                log_ratio: None,
                more_in: None,
                residuals: Some(chi.residuals[0].clone()),
            }
        }
    };
    Some(test)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::code::corpus::{Analysis, CodingOptions};
    use crate::codebook::Codebook;
    use crate::ingest::participants::Participants;
    use crate::ingest::text::{parse, TextOptions};
    use crate::model::Session;

    const CODEBOOK: &str = r#"
        [[theme]]
        id = "values"
        label = "Values"

        [[theme]]
        id = "trust"
        label = "Trust"
        parent = "values"
        terms = ["trust"]

        [[theme]]
        id = "patience"
        label = "Patience"
        parent = "values"
        terms = ["patience"]

        [[theme]]
        id = "money"
        label = "Money"
        terms = ["fund*"]

        [[theme]]
        id = "rare"
        label = "Never mentioned"
        terms = ["zebra"]
    "#;

    /// A turn of `total` words: each term once per count, each followed by the filler word
    /// `word`, then `word` up to `total`.
    fn turn(label: &str, terms: &[(&str, usize)], total: usize) -> String {
        let mut words: Vec<&str> = Vec::new();
        for &(term, n) in terms {
            for _ in 0..n {
                words.push(term);
                words.push("word");
            }
        }
        assert!(words.len() <= total);
        words.resize(total, "word");
        format!("{label}: {}\n", words.join(" "))
    }

    /// Three sessions; by hand:
    ///
    /// | session | site  | group | speaker | words | trust | patience | money |
    /// |---------|-------|-------|---------|-------|-------|----------|-------|
    /// | s1      | North | a     | Ana     | 100   | 20    | 2        |       |
    /// | s1      | North | a     | Ben     | 100   |       |          | 3     |
    /// | s2      | South | a     | Cara    | 200   | 10    |          |       |
    /// | s3      | East  | b     | Dan     | 200   | 6     | 1        |       |
    /// | s3      | East  | b     | Eve     | 200   |       |          | 14    |
    /// | s3      | East  | b     | Fay     | 100   |       |          |       |
    ///
    /// Ana speaks twice; the moderator's 5 words (trust 1, money 1) count only when asked.
    fn sessions() -> Vec<Session> {
        let s1 = format!(
            "---\nsession: s1\nsite: North\ngroup: a\n---\n\
             Moderator: Do you trust the fund?\n{}{}{}",
            turn("Ana", &[("trust", 12), ("patience", 1)], 60),
            turn("Ben", &[("funding", 3)], 100),
            turn("Ana", &[("trust", 8), ("patience", 1)], 40),
        );
        let s2 = format!(
            "---\nsession: s2\nsite: South\ngroup: a\n---\n{}",
            turn("Cara", &[("trust", 10)], 200)
        );
        let s3 = format!(
            "---\nsession: s3\nsite: East\ngroup: b\n---\n{}{}{}",
            turn("Dan", &[("trust", 6), ("patience", 1)], 200),
            turn("Eve", &[("fund", 14)], 200),
            turn("Fay", &[], 100),
        );
        [s1, s2, s3]
            .iter()
            .enumerate()
            .map(|(i, text)| {
                parse(Path::new(&format!("s{i}.txt")), text, &TextOptions::default()).unwrap()
            })
            .collect()
    }

    fn analysis_of(sessions: Vec<Session>, include_moderators: bool) -> Summary {
        let codebook = Codebook::from_toml_str(Path::new("compare.toml"), CODEBOOK).unwrap();
        let analysis = Analysis::run(codebook, sessions, CodingOptions { include_moderators });
        Summary::of(&analysis, crate::summary::units::Unit::Turn, Some(1))
    }

    fn analysis() -> Summary {
        analysis_of(sessions(), false)
    }

    fn row<'a>(c: &'a Comparison, theme: &str) -> &'a ThemeComparison {
        c.themes.iter().find(|t| t.theme == theme).unwrap()
    }

    fn close(a: f64, b: f64, relative: f64) -> bool {
        (a - b).abs() <= relative * b.abs().max(1e-300)
    }

    /// erfc with a fractional error below 1.2e-7 everywhere (Numerical Recipes' `erfcc`,
    /// a Chebyshev fit): independent of statrs, for the chi-square p-value with 1 df,
    /// `P(X² > x) = erfc(sqrt(x / 2))`.
    fn erfc(x: f64) -> f64 {
        let z = x.abs();
        let t = 1.0 / (1.0 + 0.5 * z);
        let poly = -z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77))))))));
        let r = t * poly.exp();
        if x >= 0.0 {
            r
        } else {
            2.0 - r
        }
    }

    /// G² by its definition, `2 Σ O ln(O/E)` over the two mention cells.
    fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
        let (e1, e2) = (c * (a + b) / (c + d), d * (a + b) / (c + d));
        let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
        2.0 * (term(a, e1) + term(b, e2))
    }

    #[test]
    fn two_groups_counts_rates_shares_and_keyness() {
        let c = compare(&analysis(), &GroupBy::parse("group"), None).unwrap();
        assert_eq!(c.grouping, Grouping::SessionAttribute);
        assert_eq!(c.test, TestKind::LogLikelihood);
        assert_eq!(
            c.groups,
            [
                Group { name: "a".into(), words: 400, turns: 4, speakers: 3, sessions: 2 },
                Group { name: "b".into(), words: 500, turns: 3, speakers: 3, sessions: 1 },
            ]
        );
        assert_eq!(c.left_out, Tally::default());
        let order: Vec<&str> = c.themes.iter().map(|t| t.theme.as_str()).collect();
        assert_eq!(order, ["values", "trust", "patience", "money", "rare"]);
        assert_eq!(row(&c, "trust").depth, 1);

        let trust = row(&c, "trust");
        assert_eq!(
            trust.cells,
            [
                Cell { mentions: 30, per_1000_words: 75.0, speakers: 2, speaker_share: 2.0 / 3.0 },
                Cell { mentions: 6, per_1000_words: 12.0, speakers: 1, speaker_share: 1.0 / 3.0 },
            ]
        );
        assert_eq!(row(&c, "values").cells[0].mentions, 32, "trust and patience roll up");
        assert_eq!(row(&c, "values").cells[1].mentions, 7);

        // values, trust and money are tested; patience has expected counts below 5 and
        // rare no mentions: the Bonferroni denominator is 3.
        assert_eq!(c.tests, 3);
        let t = trust.test.as_ref().unwrap();
        let expected_g2 = g2(30.0, 6.0, 400.0, 500.0);
        assert!(close(t.statistic, expected_g2, 1e-12), "{}", t.statistic);
        assert_eq!(t.expected, [16.0, 20.0]);
        assert!(close(t.p, erfc((expected_g2 / 2.0).sqrt()), 1e-6), "{}", t.p);
        assert!(close(t.adjusted_p.unwrap(), 3.0 * t.p, 1e-12));
        assert!(t.significant && !t.low_expected);
        assert!(close(t.log_ratio.unwrap(), f64::log2((30.0 / 400.0) / (6.0 / 500.0)), 1e-12));
        assert_eq!(t.more_in.as_deref(), Some("a"));
        // The same figures from SciPy 1.17 (an established implementation):
        // power_divergence([30, 6], [16, 20], lambda_="log-likelihood").
        assert!(close(t.statistic, 23.26884591343121, 1e-10));
        assert!(close(t.p, 1.4086334070101152e-06, 1e-8));

        // Significant before the correction, not after it.
        let money = row(&c, "money").test.as_ref().unwrap();
        assert!(close(money.statistic, 5.479633177881858, 1e-10));
        assert!(close(money.p, 0.01923929596570794, 1e-8));
        assert!(close(money.adjusted_p.unwrap(), 0.05771788789712382, 1e-8));
        assert!(!money.significant);
        assert_eq!(money.more_in.as_deref(), Some("b"));
        assert!(money.log_ratio.unwrap() < 0.0);

        // Expected 2 × 400 / 900 and 3 × 500 / 900: flagged, not tested.
        let patience = row(&c, "patience").test.as_ref().unwrap();
        assert!(patience.low_expected);
        assert_eq!((patience.adjusted_p, patience.significant), (None, false));
        assert!(row(&c, "rare").test.is_none());
        assert_eq!(row(&c, "rare").cells[0].per_1000_words, 0.0);
    }

    #[test]
    fn more_than_two_groups_use_chi_square_with_residuals() {
        let c = compare(&analysis(), &GroupBy::parse("site"), None).unwrap();
        assert_eq!(c.test, TestKind::ChiSquare);
        let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["North", "South", "East"], "order of first appearance");
        // trust: [20, 10, 6] mentions in [200, 200, 500] words.
        let t = row(&c, "trust").test.as_ref().unwrap();
        assert_eq!(t.df, 2);
        assert_eq!(t.expected, [8.0, 8.0, 20.0]);
        // By hand: X² = Σ (O-E)²/E over the mentions row and the other-words row.
        let (o, e) =
            ([20.0, 10.0, 6.0, 180.0, 190.0, 494.0], [8.0, 8.0, 20.0, 192.0, 192.0, 480.0]);
        let x2: f64 = o.iter().zip(e).map(|(o, e)| (o - e) * (o - e) / e).sum();
        assert!(close(t.statistic, x2, 1e-12));
        // With 2 df the upper tail is exp(-x/2).
        assert!(close(t.p, (-x2 / 2.0).exp(), 1e-9));
        // SciPy 1.17: chi2_contingency([[20, 10, 6], [180, 190, 494]], correction=False).
        assert!(close(t.statistic, 29.479166666666668, 1e-12));
        assert!(close(t.p, 3.968992632844519e-07, 1e-8));
        // Adjusted residuals (O-E)/sqrt(E (1-row/n) (1-col/n)), computed with NumPy:
        // North drives it up, East down.
        let r = t.residuals.as_ref().unwrap();
        for (got, want) in r.iter().zip([4.90990253, 0.81831709, -4.79257238]) {
            assert!(close(*got, want, 1e-8), "{r:?}");
        }
        // values [22, 10, 7] and trust are tested; patience, money [3, 0, 14] are not.
        assert_eq!(c.tests, 2);
        assert!(close(t.adjusted_p.unwrap(), 2.0 * t.p, 1e-12) && t.significant);
        let money = row(&c, "money").test.as_ref().unwrap();
        assert!(money.low_expected && money.adjusted_p.is_none() && !money.significant);
    }

    #[test]
    fn speaker_attributes_group_speakers_and_missing_values_are_left_out() {
        let people = Participants::parse(
            Path::new("people.csv"),
            "session,speaker,org,site\n\
             s1,Ana,nonprofit,home\n\
             s1,Ben,health department,office\n\
             s2,Cara,nonprofit,home\n\
             s3,Dan,health department,office\n\
             s3,Fay,nonprofit,home\n",
        )
        .unwrap();
        let mut sessions = sessions();
        for s in &mut sessions {
            people.apply(s);
        }
        let a = analysis_of(sessions, false);
        let c = compare(&a, &GroupBy::parse("org"), None).unwrap();
        assert_eq!(c.grouping, Grouping::SpeakerAttribute);
        assert_eq!(
            c.groups,
            [
                Group { name: "nonprofit".into(), words: 400, turns: 4, speakers: 3, sessions: 3 },
                Group {
                    name: "health department".into(),
                    words: 300,
                    turns: 2,
                    speakers: 2,
                    sessions: 2
                },
            ]
        );
        // Eve is not in the participants file.
        assert_eq!(c.left_out, Tally { words: 200, turns: 1, speakers: 1 });
        let money: Vec<usize> = row(&c, "money").cells.iter().map(|c| c.mentions).collect();
        assert_eq!(money, [0, 3], "Eve's 14 mentions are left out with her");
        let trust: Vec<usize> = row(&c, "trust").cells.iter().map(|c| c.mentions).collect();
        assert_eq!(trust, [30, 6]);

        // A speaker attribute named like a session attribute is `speaker_NAME`, as in
        // mentions.csv.
        let by_site = compare(&a, &GroupBy::parse("site"), None).unwrap();
        assert_eq!(by_site.grouping, Grouping::SessionAttribute);
        let by_speaker_site = compare(&a, &GroupBy::parse("speaker_site"), None).unwrap();
        assert_eq!(by_speaker_site.grouping, Grouping::SpeakerAttribute);
        assert_eq!(by_speaker_site.groups[0].name, "home");
    }

    #[test]
    fn groups_restrict_and_order_the_comparison() {
        let a = analysis();
        let groups = ["b".to_string(), "a".to_string()];
        let c = compare(&a, &GroupBy::parse("group"), Some(&groups)).unwrap();
        assert_eq!(c.groups[0].name, "b");
        let t = row(&c, "trust").test.as_ref().unwrap();
        assert!(close(t.log_ratio.unwrap(), -f64::log2((30.0 / 400.0) / (6.0 / 500.0)), 1e-12));
        assert_eq!(t.more_in.as_deref(), Some("a"));

        let two = ["s3".to_string(), "s1".to_string()];
        let c = compare(&a, &GroupBy::Session, Some(&two)).unwrap();
        assert_eq!(c.grouping, Grouping::Session);
        assert_eq!((c.groups[0].words, c.groups[1].words), (500, 200));
        assert_eq!(c.not_chosen, Tally { words: 200, turns: 1, speakers: 1 });
    }

    #[test]
    fn moderators_count_only_when_asked() {
        // "Do you trust the fund?": 5 words, trust and money once each.
        let c = compare(&analysis_of(sessions(), true), &GroupBy::parse("group"), None).unwrap();
        assert_eq!((c.groups[0].words, c.groups[0].speakers, c.groups[0].turns), (405, 4, 5));
        assert_eq!(row(&c, "trust").cells[0].mentions, 31);
        assert_eq!(row(&c, "money").cells[0].mentions, 4);
        assert!(c.include_moderators);
    }

    #[test]
    fn usage_errors_say_what_exists() {
        let a = analysis();
        let message = |by: &str, groups: Option<&[&str]>| {
            let groups: Option<Vec<String>> =
                groups.map(|g| g.iter().map(|s| s.to_string()).collect());
            compare(&a, &GroupBy::parse(by), groups.as_deref()).unwrap_err().to_string()
        };
        assert_eq!(
            message("region", None),
            "--by region: no session or speaker attribute is called `region`; group by \
             `session`, a session attribute (from front matter: site, group) or a speaker \
             attribute (from --participants: none)"
        );
        assert_eq!(
            message("site", Some(&["North", "West"])),
            "--groups: `West` is not a value of `site` on the counted turns; the values are: \
             North, South, East"
        );
        assert_eq!(
            message("site", Some(&["North"])),
            "--groups: a comparison needs at least two groups; the values of `site` are: \
             North, South, East"
        );
        assert_eq!(message("site", Some(&["North", "North"])), "--groups: `North` is given twice");
        let one = analysis_of(sessions().into_iter().take(1).collect(), false);
        assert_eq!(
            compare(&one, &GroupBy::parse("site"), None).unwrap_err().to_string(),
            "`site` has a single value on the counted turns (North); a comparison needs at \
             least two groups"
        );
    }
}
