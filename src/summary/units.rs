//! Units of analysis, chosen at report time: the turn (the unit of coding), the sentence (a
//! turn cut at sentence ends) or the whole session. Segment counts, the segment matrix and
//! co-occurrence count units; each mention belongs to the unit where it starts.

use std::ops::Range;

use crate::code::corpus::CodedSession;
use crate::sentences::sentences;

/// The unit that segments and co-occurrence count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// A speaker turn.
    #[default]
    Turn,
    /// A sentence of a turn.
    Sentence,
    /// A whole session (presence per session).
    Session,
}

impl crate::display::Named for Unit {
    const CHOICES: &'static [(Unit, &'static str, &'static str)] = &[
        (Unit::Turn, "turn", "A speaker turn"),
        (Unit::Sentence, "sentence", "A sentence of a turn"),
        (Unit::Session, "session", "A whole session (presence per session)"),
    ];
}

impl Unit {
    /// The unit's name, as `--unit` takes it.
    pub fn as_str(self) -> &'static str {
        crate::display::Named::name(self)
    }
}

/// One unit of analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index of the turn in the session (the first turn for a session unit).
    pub turn: usize,
    /// 1-based sentence number within the turn (sentence units only).
    pub sentence: Option<usize>,
    /// Byte range in the turn's text (the whole text for turn and session units).
    pub bytes: Range<usize>,
    /// Counted words in the unit.
    pub words: usize,
}

/// The counted units of one coded session and the unit of each of its mentions.
#[derive(Debug, Clone)]
pub struct SessionSegments {
    /// The session's units, in transcript order.
    pub segments: Vec<Segment>,
    /// For each of the session's mentions, the index of its unit in `segments`.
    pub mention_segment: Vec<usize>,
}

impl SessionSegments {
    /// Cuts the counted turns of `coded` into units.
    pub fn new(coded: &CodedSession, unit: Unit) -> SessionSegments {
        let s = &coded.session;
        let mut segments = Vec::new();
        let mut mention_segment = Vec::with_capacity(coded.mentions.len());
        match unit {
            Unit::Session => {
                let first = coded.counted.iter().position(|&c| c).unwrap_or(0);
                segments.push(Segment {
                    turn: first,
                    sentence: None,
                    bytes: 0..0,
                    words: coded.counted_words(),
                });
                mention_segment.resize(coded.mentions.len(), 0);
            }
            Unit::Turn | Unit::Sentence => {
                // The first segment of each counted turn, and its sentence starts.
                let mut turn_first = vec![usize::MAX; s.turns.len()];
                let mut turn_starts: Vec<Vec<usize>> = vec![Vec::new(); s.turns.len()];
                for (t, turn) in s.turns.iter().enumerate() {
                    if !coded.counted[t] {
                        continue;
                    }
                    turn_first[t] = segments.len();
                    if unit == Unit::Turn {
                        segments.push(Segment {
                            turn: t,
                            sentence: None,
                            bytes: 0..turn.text.len(),
                            words: coded.words[t],
                        });
                        continue;
                    }
                    let ranges = sentences(&turn.text);
                    if ranges.is_empty() {
                        segments.push(Segment {
                            turn: t,
                            sentence: Some(1),
                            bytes: 0..turn.text.len(),
                            words: coded.words[t],
                        });
                        turn_starts[t].push(0);
                        continue;
                    }
                    for (k, r) in ranges.iter().enumerate() {
                        turn_starts[t].push(if k == 0 { 0 } else { r.start });
                        segments.push(Segment {
                            turn: t,
                            sentence: Some(k + 1),
                            words: crate::tokenize::count_tokens(&turn.text[r.clone()]),
                            bytes: r.clone(),
                        });
                    }
                }
                for m in &coded.mentions {
                    let first = turn_first[m.turn];
                    let offset = match unit {
                        Unit::Sentence => {
                            turn_starts[m.turn].partition_point(|&s| s <= m.bytes.start).max(1) - 1
                        }
                        _ => 0,
                    };
                    mention_segment.push(first + offset);
                }
            }
        }
        SessionSegments { segments, mention_segment }
    }
}
