//! Placing a coding exported without positions on the transcript it was made in: by
//! finding its text (Taguette's highlights, ATLAS.ti's quotations, MAXQDA's segments), and
//! within the paragraphs an export names (MAXQDA's `Beginning` and `End`).
//!
//! The transcript is laid out as the tools show it: each turn a line `Label: text`. Its text
//! is looked for there exactly, then with white space, curly quotes, dashes and case
//! normalised, then without speaker labels and `[00:01:02]`-style times (an export of a file
//! whose labels were written another way). Of several places, the first one not already
//! taken by a coding of the same code is used, in file order.

use std::collections::HashSet;
use std::ops::Range;

use crate::model::Session;
use crate::refi::import::place::{parts_of_range, Part, Segment};

/// A transcript laid out for searching: the text (and it normalised), and where each turn's
/// text is in it.
struct Layout {
    text: String,
    normal: Normal,
    segments: Vec<Segment>,
    /// The code-point range of each turn in `text`, label included (for paragraphs).
    turns: Vec<Range<usize>>,
}

impl Layout {
    /// `Label: text` per turn (`labels`), or the turn texts alone, one per line.
    fn of(session: &Session, labels: bool) -> Layout {
        let mut text = String::new();
        let mut chars = 0;
        let mut segments = Vec::with_capacity(session.turns.len());
        let mut turns = Vec::with_capacity(session.turns.len());
        for (t, turn) in session.turns.iter().enumerate() {
            let start = chars;
            if labels {
                let label = format!("{}: ", session.speaker_of(turn).label);
                chars += label.chars().count();
                text.push_str(&label);
            }
            let n = turn.text.chars().count();
            segments.push(Segment { start: chars, end: chars + n, turn: t, turn_char: 0 });
            text.push_str(&turn.text);
            chars += n;
            turns.push(start..chars);
            text.push('\n');
            chars += 1;
        }
        let normal = Normal::of(&text);
        Layout { text, normal, segments, turns }
    }
}

/// Text normalised for finding: runs of white space one space, curly quotes straight,
/// dashes `-`, lowercase, Markdown's `\` escapes and `*` emphasis left out (a tool shows a
/// Markdown transcript rendered); with the code point of the original each normalised one
/// comes from.
struct Normal {
    text: String,
    /// For each code point of `text`, the index of the original's.
    from: Vec<usize>,
}

impl Normal {
    fn of(text: &str) -> Normal {
        let mut out = Normal { text: String::new(), from: Vec::new() };
        let mut space = false;
        for (i, c) in text.chars().enumerate() {
            if c.is_whitespace() {
                space = !out.text.is_empty();
                continue;
            }
            if c == '\\' || c == '*' {
                continue;
            }
            if space {
                out.text.push(' ');
                out.from.push(i - 1);
                space = false;
            }
            out.text.push(fold(c));
            out.from.push(i);
        }
        out
    }

    /// The original code-point ranges of every place `needle` (normalised) is found.
    fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        if needle.is_empty() {
            return Vec::new();
        }
        let n = needle.chars().count();
        let mut out = Vec::new();
        let mut chars = 0;
        let mut last = 0;
        for (byte, _) in self.text.match_indices(needle) {
            chars += self.text[last..byte].chars().count();
            last = byte;
            out.push(self.from[chars]..self.from[chars + n - 1] + 1);
        }
        out
    }
}

/// One character as compared: quotes and dashes folded, lowercase.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2026}' => '.',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// A transcript's text as codings are looked for in it, normalised: with its labels and
/// without them (see [`Finder::find`]).
pub(super) fn searchable(session: &Session) -> [String; 2] {
    [true, false].map(|labels| Layout::of(session, labels).normal.text)
}

/// A coding's text normalised as [`searchable`] texts are.
pub(super) fn normalised(content: &str) -> String {
    Normal::of(content.trim()).text
}

/// Times written in a transcript or an export (`[00:01:02]`, `(12:30)`, `00:01:02.5`).
static TIMES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[\[(]?\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\b[\])]?")
        .expect("a valid pattern")
});

/// Where the codings of one transcript go: its layouts, and the places already taken.
pub(super) struct Finder<'s> {
    session: &'s Session,
    labelled: Layout,
    bare: Layout,
    /// The lines of the turns, sorted (to number the paragraphs that are not blank).
    lines: Vec<usize>,
    /// (code, start in the labelled layout) of each place taken.
    taken: HashSet<(String, usize)>,
}

/// How a coding was found: for the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    Exact,
    Normalised,
    WithoutLabels,
}

impl<'s> Finder<'s> {
    pub(super) fn new(session: &'s Session) -> Finder<'s> {
        let mut lines: Vec<usize> =
            session.turns.iter().flat_map(|t| t.lines.iter().map(|&(_, l)| l)).collect();
        lines.sort_unstable();
        lines.dedup();
        Finder {
            session,
            labelled: Layout::of(session, true),
            bare: Layout::of(session, false),
            lines,
            taken: HashSet::new(),
        }
    }

    /// The parts of the turns where `content`, coded with `code`, is, within the turns
    /// `within` when given; `None` when it is not found.
    pub(super) fn find(
        &mut self,
        content: &str,
        code: &str,
        within: Option<&Range<usize>>,
    ) -> Option<(Vec<Part>, How)> {
        let content = content.trim();
        if content.is_empty() {
            return None;
        }
        let allowed = |layout: &Layout, r: &Range<usize>| {
            within.is_none_or(|w| {
                let span = layout.turns[w.start].start..layout.turns[w.end - 1].end;
                r.start >= span.start && r.end <= span.end
            })
        };
        let exact = char_ranges(&self.labelled.text, content);
        let normal = self.labelled.normal.find_all(&Normal::of(content).text);
        for (ranges, how) in [(exact, How::Exact), (normal, How::Normalised)] {
            let fit: Vec<Range<usize>> =
                ranges.into_iter().filter(|r| allowed(&self.labelled, r)).collect();
            if let Some(r) = untaken(&mut self.taken, code, &fit, |r| r.start) {
                let parts =
                    parts_of_range(r.start, r.end, &self.labelled.segments, self.session).ok()?;
                return Some((parts, how));
            }
        }
        let stripped = self.without_labels(content);
        let ranges: Vec<Range<usize>> = (self.bare.normal)
            .find_all(&Normal::of(&stripped).text)
            .into_iter()
            .filter(|r| allowed(&self.bare, r))
            .collect();
        // Taken places are kept by their start in the labelled layout.
        let labelled_start = |r: &Range<usize>| {
            let t = self.bare.segments.partition_point(|g| g.end <= r.start);
            let g = self.bare.segments.get(t).copied();
            g.map_or(r.start, |g| {
                self.labelled.segments[g.turn].start + r.start.saturating_sub(g.start)
            })
        };
        let r = untaken(&mut self.taken, code, &ranges, labelled_start)?;
        let parts = parts_of_range(r.start, r.end, &self.bare.segments, self.session).ok()?;
        Some((parts, How::WithoutLabels))
    }

    /// `content` without the session's speaker labels (`Ana:`) and bracketed times.
    fn without_labels(&self, content: &str) -> String {
        let mut text = content.to_string();
        let mut labels: Vec<&str> =
            self.session.speakers.iter().map(|s| s.label.as_str()).collect();
        labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        for label in labels.into_iter().filter(|l| !l.is_empty()) {
            text = text.replace(&format!("{label}:"), " ");
        }
        TIMES.replace_all(&text, " ").into_owned()
    }

    /// The turns whose lines fall in the 1-based paragraphs `first..=last` of the file,
    /// counting every line, or only the lines that are not blank (`non_blank`).
    pub(super) fn paragraph_turns(
        &self,
        first: usize,
        last: usize,
        non_blank: bool,
    ) -> Option<Range<usize>> {
        let number = |line: usize| -> usize {
            if non_blank {
                self.non_blank_rank(line)
            } else {
                line
            }
        };
        let turns: Vec<usize> = self
            .session
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                let end = t.lines.last().map_or(t.line, |&(_, l)| l);
                let (a, b) = (number(t.line), number(end));
                a <= last && b >= first
            })
            .map(|(i, _)| i)
            .collect();
        Some(*turns.first()?..*turns.last()? + 1)
    }

    /// The rank of line `line` among the session's turn lines (1-based).
    fn non_blank_rank(&self, line: usize) -> usize {
        self.lines.partition_point(|&l| l < line) + 1
    }

    /// The whole text of turns `turns` as parts (a coding without text, by paragraphs).
    pub(super) fn whole_turns(&self, turns: Range<usize>) -> Vec<Part> {
        turns
            .filter(|&t| !self.session.turns[t].text.is_empty())
            .map(|t| {
                let text = &self.session.turns[t].text;
                Part { turn: t, bytes: 0..text.len(), chars: 0..text.chars().count() }
            })
            .collect()
    }
}

/// The first of `ranges` not yet taken by `code` (the first of all when each is), now taken.
fn untaken(
    taken: &mut HashSet<(String, usize)>,
    code: &str,
    ranges: &[Range<usize>],
    key: impl Fn(&Range<usize>) -> usize,
) -> Option<Range<usize>> {
    let pick = ranges
        .iter()
        .find(|r| !taken.contains(&(code.to_string(), key(r))))
        .or_else(|| ranges.first())?
        .clone();
    taken.insert((code.to_string(), key(&pick)));
    Some(pick)
}

/// The code-point ranges of every place `needle` is in `text`, exactly.
fn char_ranges(text: &str, needle: &str) -> Vec<Range<usize>> {
    let n = needle.chars().count();
    let mut out = Vec::new();
    let (mut chars, mut last) = (0, 0);
    for (byte, _) in text.match_indices(needle) {
        chars += text[last..byte].chars().count();
        last = byte;
        out.push(chars..chars + n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_text_maps_back_to_the_original() {
        let text = "Ana:  It\u{2019}s a \\*C\\#\\* \u{2014} thing.\n[laughter]";
        let normal = Normal::of(text);
        assert_eq!(normal.text, "ana: it's a c# - thing. [laughter]");
        let found = normal.find_all(&Normal::of("it's a C# – THING").text);
        assert_eq!(found.len(), 1);
        let chars: Vec<char> = text.chars().collect();
        let hit: String = chars[found[0].clone()].iter().collect();
        assert_eq!(hit, "It\u{2019}s a \\*C\\#\\* \u{2014} thing");
    }

    #[test]
    fn exact_places_are_found_in_code_points() {
        assert_eq!(char_ranges("é ab ab", "ab"), [2..4, 5..7]);
        assert!(char_ranges("abc", "x").is_empty());
    }
}
