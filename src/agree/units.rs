//! The units of analysis and the codings side by side: the counted turns cut into turns,
//! sentences or runs of characters, and per unit and coder the themes coded there, or that
//! the coder is missing.

use std::collections::BTreeMap;
use std::ops::Range;

use super::{Resolved, Segment, Unit};
use crate::code::corpus::CodingOptions;
use crate::model::Session;

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
    let bytes = crate::sentences::sentences(text);
    if bytes.is_empty() {
        let whole = 0..text.chars().count();
        return std::iter::once(whole).collect();
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
fn character_runs(
    length: usize,
    segments: &[(usize, &Segment)],
) -> Vec<(Option<usize>, Range<usize>)> {
    let mut edges: Vec<usize> = vec![0, length];
    for (_, s) in segments {
        edges.push(s.chars.start.min(length));
        edges.push(s.chars.end.min(length));
    }
    edges.sort_unstable();
    edges.dedup();
    edges.windows(2).map(|w| (None, w[0]..w[1])).collect()
}
