//! Units of analysis, chosen at report time: the turn (the unit of coding), the sentence (a
//! turn cut at sentence ends) or the whole session. Segment counts, the segment matrix and
//! co-occurrence count units; each mention belongs to the unit where it starts.

use std::ops::Range;

use crate::code::corpus::CodedSession;

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

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "approx", "dept",
    "inc", "co", "ave", "blvd", "mt", "ft", "u.s", "a.m", "p.m",
];

/// The byte ranges of the sentences of `text`: a sentence ends after `.`, `!`, `?` or `…`
/// (and any closing quotes or brackets) followed by white space, except after a common
/// abbreviation (`Dr.`, `e.g.`) or a single letter (`J. Smith`). Ranges exclude the white
/// space between sentences; text without words is not a sentence.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Bytes, not characters: every mark but `…` is ASCII, and a byte of a multi-byte
    // character is never ASCII.
    while i < bytes.len() {
        let Some(len) = end_mark(bytes, i) else {
            i += 1;
            continue;
        };
        let full_stop = bytes[i] == b'.';
        let mut end = i + len;
        while let Some(len) = end_mark(bytes, end).or_else(|| closer(bytes, end)) {
            end += len;
        }
        let followed_by_space = end >= bytes.len() || text[end..].starts_with(char::is_whitespace);
        if followed_by_space && !(full_stop && is_abbreviation(&text[start..i])) {
            push_sentence(text, start..end, &mut out);
            start = end;
        }
        i = end;
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

/// The length of the mark ending a sentence at byte `i` (`.`, `!`, `?`, `…`), if any.
fn end_mark(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'.' | b'!' | b'?' => Some(1),
        0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6]) => Some(3),
        _ => None,
    }
}

/// The length of a closing quote or bracket at byte `i` (`"`, `'`, `”`, `’`, `)`, `]`), if
/// any.
fn closer(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' | b'\'' | b')' | b']' => Some(1),
        0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x9D | 0x99])) => Some(3),
        _ => None,
    }
}

/// The longest word of [`ABBREVIATIONS`], in characters.
const LONGEST_ABBREVIATION: usize = 6;

/// Whether the text before a full stop ends with an abbreviation or a lone initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_uppercase(),
        _ if word.len() > LONGEST_ABBREVIATION * 4 => false,
        _ => ABBREVIATIONS.contains(&word.to_lowercase().as_str()),
    }
}

fn push_sentence(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let trimmed_start = range.start + (piece.len() - piece.trim_start().len());
    let trimmed_end = range.end - (piece.len() - piece.trim_end().len());
    if trimmed_start < trimmed_end
        && text[trimmed_start..trimmed_end].chars().any(crate::tokenize::is_word_char)
    {
        out.push(trimmed_start..trimmed_end);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn turns_are_cut_at_sentence_ends() {
        assert_eq!(
            split("Trust matters. Dr. Ruiz said so!  Did she? \"Yes.\" And J. Smith agreed… ok"),
            [
                "Trust matters.",
                "Dr. Ruiz said so!",
                "Did she?",
                "\"Yes.\"",
                "And J. Smith agreed…",
                "ok"
            ]
        );
        assert_eq!(
            split("It costs $3.50 at 10.30, e.g. here."),
            ["It costs $3.50 at 10.30, e.g. here."]
        );
        assert_eq!(split("No punctuation at all"), ["No punctuation at all"]);
        assert_eq!(split("Wait... what?! (laughs)"), ["Wait...", "what?!", "(laughs)"]);
        assert_eq!(split("  ...  "), Vec::<&str>::new());
    }
}
