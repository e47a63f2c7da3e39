//! The forms a line of a transcript can take: a turn opened by a speaker label (with `:`,
//! `=`, a dash, `>>`, a tab, or formatting as delimiter), a timestamp, an annotation, a line
//! of the interview guide.

use std::sync::OnceLock;

use regex::Regex;

use crate::ingest::timestamp::parse as parse_timestamp;
use crate::model::Timestamp;

/// The longest speaker label, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// The most words a speaker label may have.
const MAX_LABEL_WORDS: usize = 5;
/// The most words a label may have with a delimiter other than `:`.
const MAX_OTHER_LABEL_WORDS: usize = 4;

/// What separates a speaker label from the text of its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Delimiter {
    /// `Maria: …` and its variants (`[Maria]`, `**Maria:**`, `Maria (00:01:02):`, …).
    Colon,
    /// `P= …`, `P = …`.
    Equals,
    /// `P - …`, `P – …`, `P— …`.
    Dash,
    /// `MARIA >> …`.
    Chevrons,
    /// `Maria<TAB>…`.
    Tab,
    /// A bold or underlined run opening a paragraph of a document (`**Maria** I think…`).
    Formatting,
    /// The user's `--speaker-pattern`.
    Pattern,
}

impl Delimiter {
    /// How the delimiter is shown in `transcripts inspect` (`P=`, `P -`, …), after `label`.
    pub fn show(self, label: &str) -> String {
        match self {
            Delimiter::Colon => format!("{label}:"),
            Delimiter::Equals => format!("{label}="),
            Delimiter::Dash => format!("{label} -"),
            Delimiter::Chevrons => format!("{label} >>"),
            Delimiter::Tab => format!("{label}<tab>"),
            Delimiter::Formatting => format!("bold {label}"),
            Delimiter::Pattern => format!("{label} (--speaker-pattern)"),
        }
    }
}

/// A line that may open a turn: its label, text and timestamp, and the delimiter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate<'a> {
    pub(crate) head: TurnHead<'a>,
    pub(crate) delimiter: Delimiter,
}

/// Every reading of `line` as a turn opened by a label, strongest first, pushed onto `out`:
/// a bold run opening the line (documents; `lead` is its byte length), the `:` forms, then
/// `=`, `>>`, a dash and a tab. The other delimiters are looked for only near the start of
/// the line, where a label can end.
pub(crate) fn candidates<'a>(line: &'a str, lead: usize, out: &mut Vec<Candidate<'a>>) {
    if lead > 0 {
        if let Some(head) = formatted_label(line, lead) {
            out.push(Candidate { head, delimiter: Delimiter::Formatting });
        }
    }
    if let Some(head) = colon_label(line) {
        out.push(Candidate { head, delimiter: Delimiter::Colon });
    }
    let near = &line.as_bytes()[..name_reach(line)];
    let has = |byte: u8| memchr::memchr(byte, near).is_some();
    // The dash is `-`, or `–` and `—` (U+2013, U+2014), whose UTF-8 starts E2 80.
    let wanted = [
        (Delimiter::Equals, has(b'=')),
        (Delimiter::Chevrons, has(b'>')),
        (Delimiter::Dash, has(b'-') || memchr::memmem::find(near, &[0xE2, 0x80]).is_some()),
        (Delimiter::Tab, has(b'\t')),
    ];
    if !wanted.iter().any(|(_, w)| *w) {
        return;
    }
    let (timestamp, rest) = match split_timestamp(line) {
        Some((ts, rest)) => (Some(ts), rest.trim_start()),
        None => (None, line),
    };
    for (delimiter, _) in wanted.into_iter().filter(|(_, w)| *w) {
        if let Some(head) = other_label(rest, timestamp, delimiter) {
            out.push(Candidate { head, delimiter });
        }
    }
}

/// How far into a line (bytes) a delimiter other than `:` is looked for: a label of at most
/// 40 characters, after a timestamp.
const NEAR_START: usize = 96;

/// How far into `line` a label with a delimiter other than `:` can reach: up to the first
/// word, among the first few, that starts in lowercase and is no particle of names (a label
/// is name-like, see [`is_name_like`]), and at most [`NEAR_START`] bytes. Sentences of talk
/// (`and then we went - far`) reach nowhere, so their dashes are not looked at.
fn name_reach(line: &str) -> usize {
    let bytes = line.as_bytes();
    let limit = bytes.len().min(NEAR_START);
    let (mut start, mut words) = (0, 0);
    while start < limit && words <= MAX_OTHER_LABEL_WORDS + 3 {
        let end = bytes[start..limit].iter().position(|&b| b == b' ').map_or(limit, |i| start + i);
        let opens_lowercase = match bytes[start] {
            b'a'..=b'z' => true,
            b if b >= 0x80 => line[start..].starts_with(char::is_lowercase),
            _ => false,
        };
        if opens_lowercase && !is_particle(&bytes[start..end]) {
            return start;
        }
        start = end + 1;
        words += 1;
    }
    start.min(limit)
}

/// Whether `word` is one of [`NAME_PARTICLES`].
fn is_particle(word: &[u8]) -> bool {
    word.len() <= 3 && NAME_PARTICLES.iter().any(|p| p.as_bytes() == word)
}

/// Where the delimiter `d` first occurs in `rest` (its start and end), with the characters
/// a label before it may not contain.
fn find_delimiter(rest: &str, d: Delimiter) -> Option<(usize, usize)> {
    let bytes = rest.as_bytes();
    match d {
        Delimiter::Equals => rest.find('=').map(|i| (i, i + 1)),
        Delimiter::Chevrons => rest.find(">>").map(|i| (i, i + 2)),
        Delimiter::Tab => {
            let i = rest.find('\t')?;
            let end = i + bytes[i..].iter().take_while(|&&b| b == b'\t').count();
            Some((i, end))
        }
        Delimiter::Dash => {
            let (i, c) = rest.char_indices().find(|(_, c)| matches!(c, '-' | '–' | '—'))?;
            let end = i + c.len_utf8();
            if c == '-' {
                // A hyphen only between spaces (`P - text`), not in `well-known`.
                let spaced_before = rest[..i].ends_with(char::is_whitespace);
                let spaced_after = rest[end..].starts_with(char::is_whitespace);
                return (spaced_before && spaced_after).then_some((i, end));
            }
            Some((i, end))
        }
        _ => None,
    }
}

/// A label with a delimiter other than `:` at the start of `rest` (the line after its
/// timestamp, if any): it must look like a name (see
/// [`is_name_like`]), so that `I think — honestly` is not a speaker.
fn other_label(
    rest: &str,
    timestamp: Option<Timestamp>,
    delimiter: Delimiter,
) -> Option<TurnHead<'_>> {
    let (start, end) = find_delimiter(rest, delimiter)?;
    let label = rest[..start].trim();
    let forbidden: &[char] = match delimiter {
        Delimiter::Equals => &[':', '='],
        Delimiter::Chevrons => &[':', '>'],
        Delimiter::Dash => &[':', '-', '–', '—'],
        _ => &[':', '\t'],
    };
    if label.contains(forbidden) {
        return None;
    }
    let label = label.strip_prefix("**").and_then(|l| l.strip_suffix("**")).unwrap_or(label);
    let text = rest[end..].trim();
    if !is_speaker_label(label)
        || label.split_whitespace().count() > MAX_OTHER_LABEL_WORDS
        || !is_name_like(label)
        || (delimiter == Delimiter::Dash && text.is_empty())
    {
        return None;
    }
    Some(TurnHead { timestamp, label, text })
}

/// The bold run of `lead` bytes that opens `line`, as a label: its delimiter, if any, is
/// dropped from both sides.
fn formatted_label(line: &str, lead: usize) -> Option<TurnHead<'_>> {
    let cut = (0..=lead.min(line.len())).rev().find(|&i| line.is_char_boundary(i))?;
    const MARKS: [char; 7] = [':', '.', '=', '-', '–', '—', '>'];
    let label = line[..cut].trim().trim_end_matches(MARKS).trim();
    let text = line[cut..].trim_start().trim_start_matches(MARKS).trim();
    let (timestamp, label) = match split_timestamp(label) {
        Some((ts, rest)) => (Some(ts), rest.trim()),
        None => (None, label),
    };
    (is_speaker_label(label) && !text.is_empty()).then_some(TurnHead { timestamp, label, text })
}

/// Words that may be lowercase inside a name (`Ana de la Cruz`, `Aaron van Wirdum`).
const NAME_PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "den", "ter",
    "y", "e", "bin", "al", "el", "le", "du", "di",
];

/// Whether `label` looks like a name rather than the start of a sentence: every word starts
/// with a capital letter or a digit (`Maria`, `P`, `Interviewer 1`, `Dr. Ana Müller`), or
/// is a particle of names (`de`, `van`).
pub(crate) fn is_name_like(label: &str) -> bool {
    label.split_whitespace().all(|w| {
        w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            || NAME_PARTICLES.contains(&w)
    }) && label.starts_with(|c: char| c.is_alphanumeric())
}

/// A label that gives a full name and the initials used after it (`Aaron van Wirdum
/// (AvW)`): the name and the initials.
pub(crate) fn initials_label(label: &str) -> Option<(&str, &str)> {
    let (name, abbr) = split_initials(label)?;
    (is_name_like(name) && abbr.starts_with(char::is_uppercase)).then_some((name, abbr))
}

/// `name (abbr)`, whatever the case: a name of two words or more, and 1–5 letters or digits
/// in parentheses.
pub(crate) fn split_initials(label: &str) -> Option<(&str, &str)> {
    let inner = label.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (name, abbr) = (inner[..open].trim(), inner[open + 1..].trim());
    let ok = (1..=5).contains(&abbr.chars().count())
        && abbr.chars().all(char::is_alphanumeric)
        && name.split_whitespace().count() >= 2
        && !name.contains(['(', ')']);
    ok.then_some((name, abbr))
}

/// Whether `line` is wholly in parentheses or brackets (`(inaudible)`, `[crosstalk]`,
/// `(The participant reads the instructions)`): a stage direction or annotation. A bare
/// timestamp in brackets is not.
pub(crate) fn is_annotation(line: &str) -> bool {
    let inner = match (line.chars().next(), line.chars().last()) {
        (Some('('), Some(')')) | (Some('['), Some(']')) => &line[1..line.len() - 1],
        _ => return false,
    };
    !inner.trim().is_empty()
        && !inner.contains([')', ']', '(', '['])
        && parse_timestamp(inner.trim(), 2).is_none()
}

/// A numbered line of an interview guide (`1 Open the ‘Start’ page.`, `3.b Are the search
/// options clear to you?`, `2) What…`): the number and the text.
pub(crate) fn guide_line(line: &str) -> Option<(&str, &str)> {
    if !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2}|\.[a-z]|[a-z])?)[.)]?\s+(?P<text>[¿¡\p{Lu}‘'“\x22].*)$")
            .expect("valid built-in pattern")
    });
    let caps = re.captures(line)?;
    let text = caps.name("text")?.as_str().trim();
    (text.split_whitespace().count() >= 2)
        .then(|| (caps.name("n").map_or("", |m| m.as_str()), text))
}

/// A paragraph that opens with a dash and no label (`- Coincido con eso…`, `— Yo creo…`,
/// `-¿Y ustedes?`): the text after the dash, which starts as a sentence starts.
pub(crate) fn dash_paragraph(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['-', '–', '—'])?;
    let rest = rest.trim_start();
    rest.starts_with(|c: char| c.is_uppercase() || "¿¡\"“«".contains(c)).then_some(rest)
}

/// The parts of a line that starts a turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TurnHead<'a> {
    pub(crate) timestamp: Option<Timestamp>,
    pub(crate) label: &'a str,
    pub(crate) text: &'a str,
}

/// Recognises a line that starts a turn (a trimmed line), in any of the forms:
///
/// - `Maria: text`, `MARIA : text`, `Interviewer 1: text`, each optionally after a timestamp
///   (`[00:01:02] Maria: text`, `00:01:02 Maria: text`);
/// - `[Maria] text` and `[Maria]: text` (but not `[laughter]` and other annotations);
/// - `**Maria:** text` and `**Maria**: text` (Markdown bold);
/// - `Maria (00:01:02): text` and `Maria [01:02]: text` (Rev);
/// - `Maria  0:03` alone on its line, the text on the next lines (Otter);
pub(crate) fn colon_label(line: &str) -> Option<TurnHead<'_>> {
    let (timestamp, rest) = match split_timestamp(line) {
        Some((ts, rest)) => (Some(ts), rest.trim_start()),
        None => (None, line),
    };
    if super::markdown::is_marker(rest) {
        return None;
    }
    let head = bracket_label(rest)
        .or_else(|| bold_label(rest))
        .map(|(label, text)| with_inner_timestamp(TurnHead { timestamp, label, text }));
    if head.is_some() {
        return head;
    }
    if timestamp.is_none() {
        if let Some(head) = timed_label(rest) {
            return Some(head);
        }
    }
    let (label, text) = rest.split_once(':')?;
    // "at 10:30": a colon between digits is a clock time, not the end of a label.
    if label.ends_with(|c: char| c.is_ascii_digit())
        && text.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let label = label.trim();
    if !is_speaker_label(label) {
        return None;
    }
    Some(with_inner_timestamp(TurnHead { timestamp, label, text: text.trim() }))
}

/// A turn whose text opens with a bracketed timestamp (`Maria: [04:16] How…`), with the
/// timestamp taken as the turn's, when the line had none before the label.
fn with_inner_timestamp(head: TurnHead<'_>) -> TurnHead<'_> {
    if head.timestamp.is_some() || !head.text.starts_with(['[', '(']) {
        return head;
    }
    match split_timestamp(head.text) {
        Some((ts, rest)) => TurnHead { timestamp: Some(ts), text: rest.trim(), ..head },
        None => head,
    }
}

/// Words that open bracketed transcriber annotations (`[laughter]`, `[inaudible 00:12]`),
/// which are not speaker labels.
const ANNOTATIONS: &[&str] = &[
    "applause",
    "background",
    "break",
    "chuckles",
    "chuckling",
    "cough",
    "coughs",
    "coughing",
    "crosstalk",
    "cross-talk",
    "crying",
    "end",
    "inaudible",
    "indistinct",
    "interruption",
    "laugh",
    "laughs",
    "laughter",
    "laughing",
    "music",
    "noise",
    "overlapping",
    "overtalk",
    "pause",
    "pauses",
    "recording",
    "redacted",
    "sighs",
    "silence",
    "sound",
    "start",
    "unclear",
    "unintelligible",
];

/// `[Label] text` or `[Label]: text`.
fn bracket_label(rest: &str) -> Option<(&str, &str)> {
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let label = inner[..close].trim();
    let first_word = label.split_whitespace().next()?.to_lowercase();
    if !label.starts_with(char::is_alphabetic)
        || label.contains(':')
        || !is_speaker_label(label)
        || ANNOTATIONS.contains(&first_word.as_str())
    {
        return None;
    }
    let text = inner[close + 1..].trim_start();
    Some((label, text.strip_prefix(':').unwrap_or(text).trim()))
}

/// `**Label:** text`, `**Label**: text` (also with `__`).
fn bold_label(rest: &str) -> Option<(&str, &str)> {
    let marker = ["**", "__"].into_iter().find(|m| rest.starts_with(m))?;
    let inner = &rest[2..];
    let close = inner.find(marker)?;
    let bold = inner[..close].trim();
    let after = inner[close + 2..].trim_start();
    let (label, text) = match bold.strip_suffix(':') {
        Some(label) => (label.trim(), after),
        None => (bold, after.strip_prefix(':')?),
    };
    is_speaker_label(label).then_some((label, text.trim()))
}

/// `Label (00:01:02): text` or `Label [01:02] text` (Rev), and `Label  0:03` alone on its
/// line (Otter).
fn timed_label(rest: &str) -> Option<TurnHead<'_>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(?P<label>[^:\[\]()]{1,40}?)\s*(?:[(\[](?P<bracketed>[0-9:.,]+)[)\]]\s*:?|\s+(?P<bare>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)$)\s*(?P<text>.*)$",
        )
        .expect("valid built-in pattern")
    });
    let caps = re.captures(rest)?;
    let label = caps.name("label")?.as_str().trim();
    let (time, min_parts) = match (caps.name("bracketed"), caps.name("bare")) {
        (Some(t), _) => (t.as_str(), 2),
        (None, Some(t)) => {
            // Otter headings: capitalised words only, so that "we met at 10:30" stays text.
            let capitalised = label
                .split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
            if !capitalised || label.split_whitespace().count() > 4 {
                return None;
            }
            (t.as_str(), 2)
        }
        (None, None) => return None,
    };
    let timestamp = parse_timestamp(time, min_parts)?;
    if !is_speaker_label(label) {
        return None;
    }
    Some(TurnHead {
        timestamp: Some(timestamp),
        label,
        text: caps.name("text").map_or("", |m| m.as_str()).trim(),
    })
}

/// Whether a line read as a continuation looks like a speaker label in a form qualkit does
/// not read (`- Maria: …`, `(Maria): …`, `Maria; …`, `MARIA   …`); returns the label.
pub(crate) fn looks_like_label(line: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(?:[*_\-–—>(#]+\s*(?P<a>\p{L}[\p{L}\d .'’-]{0,38}?)\s*[*_)]*\s*:|(?P<b>\p{Lu}[\p{L}.'’-]*(?:\s[\p{Lu}\d][\p{L}\d.'’-]*){0,2})\s*;\s|(?P<c>\p{Lu}{2,}(?:\s\p{Lu}{2,})?)(?:\t|\s{3,})\S)",
        )
        .expect("valid built-in pattern")
    });
    let caps = re.captures(line)?;
    let label = ["a", "b", "c"].iter().find_map(|g| caps.name(g))?.as_str().trim();
    (is_speaker_label(label) && label.split_whitespace().count() <= 3).then(|| label.to_string())
}

/// A speaker label: 1–40 characters, starting with a letter or digit, at most 5 words.
pub(crate) fn is_speaker_label(label: &str) -> bool {
    let count = label.chars().count();
    (1..=MAX_LABEL_CHARS).contains(&count)
        && label.chars().next().is_some_and(char::is_alphanumeric)
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
}

/// Splits a leading timestamp — `[hh:mm:ss]`, `[mm:ss]`, `(hh:mm:ss)`, `(mm:ss)` or a bare
/// `hh:mm:ss` followed by white space, each with optional `.mmm` — from the rest of the line.
pub(crate) fn split_timestamp(line: &str) -> Option<(Timestamp, &str)> {
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = line.strip_prefix(open) {
            let end = inner.find(close)?;
            let ts = parse_timestamp(&inner[..end], 2)?;
            return Some((ts, &inner[end + 1..]));
        }
    }
    let end = line.find(char::is_whitespace)?;
    let ts = parse_timestamp(&line[..end], 3)?;
    Some((ts, &line[end..]))
}
