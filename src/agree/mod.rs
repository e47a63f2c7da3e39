//! Intercoder agreement: several codings of the same transcripts (qualkit's mentions from
//! different codebooks, imported human codings, coding spreadsheets) compared unit by unit.
//!
//! The flow: [`codings`] reads each coding's rows; [`resolve`] places them in the transcripts
//! (a session, a turn, a character range of its text) and rolls themes up to their parents
//! when a codebook is given; [`Table::build`] cuts the counted turns into units (turns,
//! sentences or runs of characters) and records, per unit and coder, the themes coded there,
//! or that the coder is missing (did not code that session); [`measure`] turns the table into
//! percent agreement, Cohen's or Fleiss' kappa, Krippendorff's alpha and, against a reference
//! coder, precision, recall and F1 ([`stats`]), per theme and pooled over all themes; and
//! [`disagreements`] lists the disputed units for adjudication.

pub mod codings;
pub mod stats;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::CodingOptions;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::model::Session;
use stats::{Confusion, CohenKappa, FleissKappa, KrippendorffAlpha, PercentAgreement, UnitCounts};

/// The unit of analysis: what is coded present or absent, per theme and coder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
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

impl Unit {
    /// The unit's name, as `--unit` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Turn => "turn",
            Unit::Sentence => "sentence",
            Unit::Character => "character",
        }
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

/// A coded segment placed in the transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index of the session in the transcripts read.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// Character range in the turn's text (the whole text when the row gave no offsets).
    pub chars: Range<usize>,
    /// Index of the theme in [`Resolved::themes`].
    pub theme: usize,
}

/// One coder's codings, placed in the transcripts.
#[derive(Debug, Clone)]
pub struct Coder {
    /// The coder's name.
    pub name: String,
    /// The file the codings come from.
    pub source: PathBuf,
    /// Whether the coder coded each session (has a row for it); a session the coder did not
    /// code makes the coder missing for its units.
    pub sessions: Vec<bool>,
    /// The coded segments of counted turns.
    pub segments: Vec<Segment>,
    /// Rows read.
    pub rows: usize,
    /// Segments left out because they code a turn that is not counted (a moderator's without
    /// `--include-moderators`, an observer's).
    pub uncounted: usize,
}

/// Every coder's codings, placed in the transcripts, and the themes they use.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The coders, in the order given.
    pub coders: Vec<Coder>,
    /// Theme ids: in codebook order when a codebook is given (themes it does not know
    /// last), else in alphabetical order.
    pub themes: Vec<String>,
    /// Theme ids the codebook does not know (kept as they are, without parents).
    pub unknown_themes: Vec<String>,
}

/// Places every coding's rows in `sessions`. With a `codebook`, each coded theme also codes
/// its parents (as qualkit's own mentions do), so that a coder who codes leaf themes and
/// qualkit agree on parents too. Turns not counted under `options` are left out.
pub fn resolve(
    codings: Vec<codings::Coding>,
    sessions: &[Session],
    codebook: Option<&Codebook>,
    options: CodingOptions,
) -> Result<Resolved> {
    let finder = SessionFinder::new(sessions);
    let mut theme_ids: Vec<String> = Vec::new();
    let mut theme_index: HashMap<String, usize> = HashMap::new();
    let mut unknown: Vec<String> = Vec::new();
    // Each theme id as coded → the theme ids it codes (itself and its parents).
    let mut expansion: HashMap<String, Vec<usize>> = HashMap::new();
    let mut coders = Vec::with_capacity(codings.len());
    for coding in codings {
        let mut coder = Coder {
            name: coding.coder,
            source: coding.path,
            sessions: vec![false; sessions.len()],
            segments: Vec::new(),
            rows: coding.rows.len(),
            uncounted: 0,
        };
        for row in &coding.rows {
            let at = |message: String| Error::coding(&coder.source, Some(row.line), message);
            let si = finder.find(row).map_err(at)?;
            coder.sessions[si] = true;
            let session = &sessions[si];
            let Some((turn, chars)) = place(session, row).map_err(at)? else { continue };
            if row.themes.is_empty() {
                continue;
            }
            if !options.counts(session.speaker_of(&session.turns[turn]).role) {
                coder.uncounted += row.themes.len();
                continue;
            }
            for id in &row.themes {
                let themes = expansion.entry(id.clone()).or_insert_with(|| {
                    let ids: Vec<String> = match codebook.map(|cb| (cb, cb.index_of(id))) {
                        Some((cb, Some(i))) => cb
                            .self_and_ancestors(i)
                            .into_iter()
                            .map(|t| cb.themes[t].id.clone())
                            .collect(),
                        Some((_, None)) => {
                            unknown.push(id.clone());
                            vec![id.clone()]
                        }
                        None => vec![id.clone()],
                    };
                    ids.into_iter()
                        .map(|id| {
                            *theme_index.entry(id.clone()).or_insert_with(|| {
                                theme_ids.push(id);
                                theme_ids.len() - 1
                            })
                        })
                        .collect()
                });
                for &theme in themes.iter() {
                    coder.segments.push(Segment {
                        session: si,
                        turn,
                        chars: chars.clone(),
                        theme,
                    });
                }
            }
        }
        coders.push(coder);
    }
    // Final theme order, and the segments renumbered to it.
    let rank = |id: &str| {
        codebook
            .and_then(|cb| cb.index_of(id))
            .and_then(|i| codebook.map(|cb| cb.order().iter().position(|&o| o == i)))
            .flatten()
    };
    let mut order: Vec<usize> = (0..theme_ids.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (rank(&theme_ids[a]), rank(&theme_ids[b]));
        match (ra, rb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => theme_ids[a].cmp(&theme_ids[b]),
        }
    });
    let mut renumber = vec![0; theme_ids.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    for coder in &mut coders {
        for s in &mut coder.segments {
            s.theme = renumber[s.theme];
        }
    }
    unknown.sort();
    Ok(Resolved {
        coders,
        themes: order.into_iter().map(|i| theme_ids[i].clone()).collect(),
        unknown_themes: unknown,
    })
}

/// Finds the session a row names, by session id or by transcript file.
struct SessionFinder<'a> {
    sessions: &'a [Session],
    by_id: HashMap<&'a str, usize>,
}

impl<'a> SessionFinder<'a> {
    fn new(sessions: &'a [Session]) -> SessionFinder<'a> {
        let by_id = sessions.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        SessionFinder { sessions, by_id }
    }

    fn ids(&self) -> String {
        let ids: Vec<&str> = self.sessions.iter().map(|s| s.id.as_str()).collect();
        if ids.len() > 8 {
            format!("{}, … ({} in all)", ids[..8].join(", "), ids.len())
        } else {
            ids.join(", ")
        }
    }

    fn find(&self, row: &codings::Row) -> std::result::Result<usize, String> {
        if let Some(id) = &row.session {
            return self.by_id.get(id.as_str()).copied().ok_or_else(|| {
                format!(
                    "session {id:?} is not among the transcripts read ({}); give the \
                     transcripts that were coded with --transcripts",
                    self.ids()
                )
            });
        }
        let file = row.file.as_deref().unwrap_or_default();
        let wanted = components(Path::new(file));
        let mut found: Vec<usize> = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let have = components(&s.file);
            if have == wanted || (!wanted.is_empty() && have.ends_with(&wanted)) {
                found.push(i);
            }
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!(
                "no transcript read is the file {file:?}; give the transcripts that were coded \
                 with --transcripts (a file name alone is enough when it is unique)"
            )),
            many => Err(format!(
                "the file {file:?} could be any of {}; give more of its path, or a `session` \
                 column",
                many.iter()
                    .map(|&i| self.sessions[i].file.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// A path's normal components, for comparing paths written differently (`./a/b`, `a\b`).
fn components(path: &Path) -> Vec<String> {
    path.to_string_lossy()
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(String::from)
        .collect()
}

/// The turn and character range a row codes in `session`, or `None` for a row that only
/// says the session was coded.
fn place(
    session: &Session,
    row: &codings::Row,
) -> std::result::Result<Option<(usize, Range<usize>)>, String> {
    let turn = match (row.turn, row.file_line) {
        (Some(t), _) => {
            if t > session.turns.len() {
                return Err(format!(
                    "turn {t} does not exist: session {} has {} turns; are these codings of \
                     other transcripts?",
                    session.id,
                    session.turns.len()
                ));
            }
            t - 1
        }
        (None, Some(line)) => turn_at_line(session, line)?,
        (None, None) => return Ok(None),
    };
    let text = &session.turns[turn].text;
    let length = text.chars().count();
    let chars = match (&row.chars, row.turn, row.file_line) {
        (Some(r), _, _) => {
            if r.end > length {
                return Err(format!(
                    "characters {}–{} run past the end of turn {} of session {} ({length} \
                     characters); offsets count characters of the turn's text from 0, end \
                     exclusive",
                    r.start,
                    r.end,
                    turn + 1,
                    session.id
                ));
            }
            if let Some(expected) = &row.text {
                let found: String = text.chars().skip(r.start).take(r.end - r.start).collect();
                if &found != expected {
                    return Err(format!(
                        "the text at characters {}–{} of turn {} of session {} is {found:?}, \
                         not {expected:?}; the transcript has changed since it was coded, or \
                         these are codings of other transcripts",
                        r.start,
                        r.end,
                        turn + 1,
                        session.id
                    ));
                }
            }
            r.clone()
        }
        (None, None, Some(line)) => line_chars(session, turn, line),
        _ => 0..length,
    };
    Ok(Some((turn, chars)))
}

/// The turn of `session` whose text is on file line `line`.
fn turn_at_line(session: &Session, line: usize) -> std::result::Result<usize, String> {
    let t = session.turns.partition_point(|t| t.line <= line);
    let last_line = |t: usize| {
        let turn = &session.turns[t];
        turn.lines.last().map_or(turn.line, |&(_, l)| l)
    };
    if t == 0 || line > last_line(t - 1) {
        return Err(format!(
            "line {line} of {} holds no turn of session {} (front matter, or a blank line \
             between turns); give the line of a turn, or its `turn` number",
            session.file.display(),
            session.id
        ));
    }
    Ok(t - 1)
}

/// The characters of file line `line` in turn `t` (the whole turn when the line is a blank
/// line inside it).
fn line_chars(session: &Session, t: usize, line: usize) -> Range<usize> {
    let turn = &session.turns[t];
    let chars = |b: usize| turn.text[..b].chars().count();
    match turn.lines.iter().position(|&(_, l)| l == line) {
        Some(i) => {
            let start = turn.lines[i].0;
            let end = turn.lines.get(i + 1).map_or(turn.text.len(), |&(next, _)| next - 1);
            chars(start)..chars(end.max(start))
        }
        None => 0..chars(turn.text.len()),
    }
}

/// One unit of analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    /// Index of the session.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// 1-based sentence number in the turn (sentence units).
    pub sentence: Option<usize>,
    /// Character range in the turn's text.
    pub chars: Range<usize>,
    /// How many units this stands for: 1, or the characters of a run of characters that
    /// every coder coded alike.
    pub weight: u64,
}

/// The codings side by side: per unit, per coder, the themes coded there (`None`: the coder
/// is missing for the unit).
#[derive(Debug, Clone)]
pub struct Table {
    /// The unit of analysis.
    pub unit: Unit,
    /// The units of the counted turns, in transcript order.
    pub units: Vec<UnitRef>,
    /// `values[u][c]`: the sorted theme indices coder `c` coded in unit `u`, or `None` when
    /// the coder did not code the unit's session.
    pub values: Vec<Vec<Option<Vec<usize>>>>,
}

impl Table {
    /// Cuts the counted turns of `sessions` into units and fills in each coder's themes.
    /// Character units are runs of characters between the edges of any coder's segments, so
    /// each run is coded alike throughout and counts with its length as weight.
    pub fn build(
        sessions: &[Session],
        resolved: &Resolved,
        unit: Unit,
        options: CodingOptions,
    ) -> Table {
        // Each coder's segments by turn.
        let mut by_turn: BTreeMap<(usize, usize), Vec<(usize, &Segment)>> = BTreeMap::new();
        for (c, coder) in resolved.coders.iter().enumerate() {
            for s in &coder.segments {
                by_turn.entry((s.session, s.turn)).or_default().push((c, s));
            }
        }
        let mut units = Vec::new();
        let mut values = Vec::new();
        for (si, session) in sessions.iter().enumerate() {
            for (t, turn) in session.turns.iter().enumerate() {
                if !options.counts(session.speaker_of(turn).role) {
                    continue;
                }
                let segments = by_turn.get(&(si, t)).map(Vec::as_slice).unwrap_or_default();
                let length = turn.text.chars().count();
                let pieces: Vec<(Option<usize>, Range<usize>)> = match unit {
                    Unit::Turn => vec![(None, 0..length)],
                    Unit::Sentence => sentence_chars(&turn.text)
                        .into_iter()
                        .enumerate()
                        .map(|(k, r)| (Some(k + 1), r))
                        .collect(),
                    Unit::Character => character_runs(length, segments),
                };
                for (sentence, chars) in pieces {
                    let row = resolved
                        .coders
                        .iter()
                        .enumerate()
                        .map(|(c, coder)| {
                            coder.sessions[si].then(|| {
                                let mut themes: Vec<usize> = segments
                                    .iter()
                                    .filter(|(sc, s)| *sc == c && touches(unit, &s.chars, &chars))
                                    .map(|(_, s)| s.theme)
                                    .collect();
                                themes.sort_unstable();
                                themes.dedup();
                                themes
                            })
                        })
                        .collect();
                    let weight = match unit {
                        Unit::Character => chars.len() as u64,
                        _ => 1,
                    };
                    units.push(UnitRef { session: si, turn: t, sentence, chars, weight });
                    values.push(row);
                }
            }
        }
        Table { unit, units, values }
    }

    /// Whether unit `u` is coded by two or more coders (so it can be compared).
    pub fn is_compared(&self, u: usize) -> bool {
        self.values[u].iter().filter(|v| v.is_some()).count() >= 2
    }

    /// Whether no coder coded unit `u` with any theme.
    pub fn is_uncoded(&self, u: usize) -> bool {
        self.values[u].iter().flatten().all(Vec::is_empty)
    }
}

/// Whether a segment over `segment` codes the unit over `unit`: any overlap for turns and
/// sentences (an empty segment codes the unit it sits in), coverage for character runs
/// (which never straddle a segment's edge).
fn touches(unit: Unit, segment: &Range<usize>, piece: &Range<usize>) -> bool {
    match unit {
        Unit::Turn => true,
        Unit::Sentence if segment.is_empty() => {
            piece.start <= segment.start && segment.start < piece.end
        }
        Unit::Sentence => segment.start < piece.end && piece.start < segment.end,
        Unit::Character => segment.start <= piece.start && piece.end <= segment.end,
    }
}

/// The sentences of `text` as character ranges (the whole text when it has none).
fn sentence_chars(text: &str) -> Vec<Range<usize>> {
    let bytes = crate::segment::sentences(text);
    if bytes.is_empty() {
        return vec![0..text.chars().count()];
    }
    let mut out = Vec::with_capacity(bytes.len());
    let (mut byte, mut char) = (0, 0);
    let mut to_char = |b: usize| {
        char += text[byte..b].chars().count();
        byte = b;
        char
    };
    for r in bytes {
        let start = to_char(r.start);
        let end = to_char(r.end);
        out.push(start..end);
    }
    out
}

/// A turn of `length` characters cut at the edges of every segment in it.
fn character_runs(length: usize, segments: &[(usize, &Segment)]) -> Vec<(Option<usize>, Range<usize>)> {
    let mut edges: Vec<usize> = vec![0, length];
    for (_, s) in segments {
        edges.push(s.chars.start.min(length));
        edges.push(s.chars.end.min(length));
    }
    edges.sort_unstable();
    edges.dedup();
    edges.windows(2).map(|w| (None, w[0]..w[1])).collect()
}

/// What to measure.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
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
}

/// The whole measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The unit of analysis.
    pub unit: Unit,
    /// Whether uncoded units were left out.
    pub exclude_uncoded: bool,
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
        for &u in &included {
            let present: Vec<Option<bool>> = table.values[u]
                .iter()
                .map(|v| v.as_ref().map(|themes| themes.binary_search(&t).is_ok()))
                .collect();
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
        }
    }

    /// One unit: per coder, whether it coded the theme there (`None`: missing).
    fn add(&mut self, present: &[Option<bool>], weight: u64) {
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
            out.push(Disagreement { unit: unit.clone(), theme: t, coded_by: yes, not_coded_by: no });
        }
    }
    if table.unit == Unit::Character {
        out.sort_by_key(|d| (d.unit.session, d.unit.turn, d.unit.chars.start, d.theme));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::{parse, TextOptions};

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
            "c.csv:2: session \"s9\" is not among the transcripts read (s1); give the \
             transcripts that were coded with --transcripts"
        );
        assert_eq!(
            err("session,turn,theme\ns1,9,trust\n"),
            "c.csv:2: turn 9 does not exist: session s1 has 4 turns; are these codings of \
             other transcripts?"
        );
        assert_eq!(
            err("session,turn,start,end,theme,text\ns1,2,0,5,trust,Trusts\n"),
            "c.csv:2: the text at characters 0–5 of turn 2 of session s1 is \"Trust\", not \
             \"Trusts\"; the transcript has changed since it was coded, or these are codings \
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
            .starts_with("c.csv:2: no transcript read is the file \"other.txt\""));
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
        let (sessions, r) = resolved(&[
            ("a", "session,turn,theme\ns1,2,trust\n"),
            ("b", "session,turn,theme\n"),
        ]);
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
        let options = Options { exclude_uncoded: false, gold: Some(1) };
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

        let excluded = Options { exclude_uncoded: true, gold: None };
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
        assert_eq!(
            listed,
            [(0..7, 1, vec![0]), (3..4, 0, vec![0]), (15..20, 1, vec![1])]
        );
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
