//! The plain-text transcript format (`.txt`, `.md`): optional `---` front matter, then turns
//! that start on lines `[TIMESTAMP] SPEAKER: text`, with continuation lines and blank lines.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::decode::lines;
use crate::error::{Error, Result};
use crate::model::{Format, Role, Session, Speaker, Timestamp, Turn, Warning, WarningKind};

/// Labels treated as moderators when the front matter has no `moderators` key.
/// A number may follow directly (`Interviewer1`, `Mod2`).
const DEFAULT_MODERATOR_PATTERN: &str =
    r"(?i)^(moderator|facilitator|interviewer|mod|fac|host)(\b|[0-9])";

/// The longest speaker label, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// The most words a speaker label may have.
const MAX_LABEL_WORDS: usize = 5;

fn default_moderator_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(DEFAULT_MODERATOR_PATTERN).expect("valid built-in pattern"))
}

/// The role of a speaker `label`: a moderator when listed in `moderators` (normalised
/// labels), or — when the session has no such list — when it matches the default pattern.
pub(crate) fn moderator_role(label: &str, moderators: Option<&[String]>) -> Role {
    let is_moderator = match moderators {
        Some(list) => list.contains(&speaker_key(label)),
        None => default_moderator_regex().is_match(label.trim()),
    };
    if is_moderator {
        Role::Moderator
    } else {
        Role::Participant
    }
}

/// Speaker labels compare case-insensitively with runs of white space collapsed.
pub fn speaker_key(label: &str) -> String {
    collapse_whitespace(label).to_lowercase()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Front matter read from the top of a transcript.
#[derive(Debug, Default)]
struct FrontMatter {
    session: Option<String>,
    title: Option<String>,
    date: Option<String>,
    /// Normalised moderator labels (see [`speaker_key`]), when the key is present.
    moderators: Option<Vec<String>>,
    attributes: Vec<(String, String)>,
}

/// How a turn line may label its speaker beyond the built-in forms: a regular expression
/// with a named group `speaker` (and optionally `time` and `text`), matched at the start of
/// each line (`--speaker-pattern`).
#[derive(Debug, Clone)]
pub struct SpeakerPattern {
    regex: Regex,
    has_text: bool,
    has_time: bool,
}

impl SpeakerPattern {
    /// Compiles a label pattern; it must have a `(?P<speaker>…)` group.
    pub fn new(pattern: &str) -> Result<SpeakerPattern> {
        let regex = regex::RegexBuilder::new(&format!("^(?:{pattern})"))
            .size_limit(1 << 20)
            .build()
            .map_err(|e| Error::Usage(format!("--speaker-pattern is not a valid regex: {e}")))?;
        let names: Vec<&str> = regex.capture_names().flatten().collect();
        if !names.contains(&"speaker") {
            return Err(Error::Usage(format!(
                "--speaker-pattern `{pattern}` has no group named `speaker`; write the label part \
                 as (?P<speaker>…), for example `^(?P<speaker>[A-Z]+)>\\s*(?P<text>.*)`"
            )));
        }
        Ok(SpeakerPattern {
            has_text: names.contains(&"text"),
            has_time: names.contains(&"time"),
            regex,
        })
    }

    fn parse<'a>(&self, line: &'a str) -> Option<TurnHead<'a>> {
        let caps = self.regex.captures(line)?;
        let label = caps.name("speaker")?.as_str().trim();
        if label.is_empty() {
            return None;
        }
        let text = if self.has_text {
            caps.name("text").map_or("", |m| m.as_str())
        } else {
            &line[caps.get(0)?.end()..]
        };
        let timestamp = if self.has_time {
            caps.name("time").and_then(|m| parse_timestamp(m.as_str().trim(), 2))
        } else {
            None
        };
        Some(TurnHead { timestamp, label, text: text.trim() })
    }
}

/// Options of the text-based readers (text, DOCX, ODT).
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// An extra speaker-label form, tried before the built-in ones.
    pub speaker_pattern: Option<SpeakerPattern>,
}

/// Reads a transcript in the text format. `path` is used for the session id default and in
/// messages; `text` is the decoded content.
pub fn parse(path: &Path, text: &str, options: &TextOptions) -> Result<Session> {
    parse_lines(path, &lines(text), Format::Text, options)
}

/// Reads the paragraphs of a document (DOCX, ODT) with the text-format rules. Paragraph `i`
/// is "line" `i + 1` in messages and provenance; a line break inside a paragraph starts a new
/// line with the same number. Paragraphs are separated as blank lines separate them in text.
pub fn parse_paragraphs(
    path: &Path,
    paragraphs: &[super::office::DocParagraph],
    format: Format,
    options: &TextOptions,
) -> Result<Session> {
    let mut all = Vec::with_capacity(paragraphs.len() * 2);
    for (i, paragraph) in paragraphs.iter().enumerate() {
        for piece in paragraph.text.split('\n') {
            all.push((i + 1, piece));
        }
        all.push((i + 1, ""));
    }
    parse_lines(path, &all, format, options)
}

/// The text-format rules over numbered lines.
fn parse_lines(
    path: &Path,
    all: &[(usize, &str)],
    format: Format,
    options: &TextOptions,
) -> Result<Session> {
    let (front, body_start) = parse_front_matter(path, all)?;
    let moderators = front.moderators.clone();
    let id = front.session.clone().unwrap_or_else(|| super::default_session_id(path));

    let mut speakers = SpeakerTable::default();
    let mut turns: Vec<Turn> = Vec::new();
    let mut warnings = Vec::new();
    let mut before_first: Option<(usize, &str)> = None;

    for &(number, raw) in &all[body_start..] {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(head) = parse_turn_line(line, options) {
            let speaker = speakers.index(head.label, moderators.as_deref());
            let mut turn = Turn {
                speaker,
                timestamp: head.timestamp,
                line: number,
                text: String::new(),
                lines: Vec::new(),
                question: None,
            };
            push_line(&mut turn, head.text, number);
            turns.push(turn);
        } else if let Some(turn) = turns.last_mut() {
            if let Some(label) = looks_like_label(line) {
                warnings.push(Warning::new(
                    Some(number),
                    WarningKind::LabelLike,
                    format!(
                        "\"{}\" looks like a speaker label but is read as text of the turn above; \
                         write it as `{label}: …`, or describe the form with --speaker-pattern",
                        shorten(line, 50)
                    ),
                ));
            }
            push_line(turn, line, number);
        } else if before_first.is_none() {
            before_first = Some((number, line));
        }
    }

    if let Some((number, line)) = before_first {
        if !turns.is_empty() {
            return Err(Error::transcript(
                path,
                Some(number),
                format!(
                    "text before the first speaker turn: \"{}\"; expected a turn line such as \
                     `Maria: …` or `[00:01:15] Maria: …` (front matter goes between `---` lines \
                     at the very top). Add the speaker's label or remove the line",
                    shorten(line, 60)
                ),
            ));
        }
        // No speaker label anywhere: one speaker's text (a written answer, an interview
        // typed without labels), one turn per paragraph.
        turns = unlabelled_turns(&all[body_start..], &mut speakers, &id, moderators.as_deref());
        warnings.push(Warning::new(
            Some(number),
            WarningKind::Unlabelled,
            format!(
                "no speaker labels found: the whole file is read as one speaker, \"{id}\", one \
                 turn per paragraph; label the turns (`Maria: …`) if several people speak"
            ),
        ));
    }

    if turns.is_empty() {
        return Err(Error::transcript(
            path,
            None,
            "no speaker turns found; expected lines such as `Maria: …` or `[00:01:15] Maria: …`",
        ));
    }

    Ok(Session {
        id,
        title: front.title,
        date: front.date,
        attributes: front.attributes,
        file: Arc::new(path.to_path_buf()),
        format,
        speakers: speakers.speakers,
        turns,
        warnings,
        questions: Vec::new(),
        reading: Default::default(),
    })
}

/// The turns of a file without speaker labels: each paragraph (lines up to a blank line) is
/// one turn of a single speaker named `label`.
fn unlabelled_turns(
    body: &[(usize, &str)],
    speakers: &mut SpeakerTable,
    label: &str,
    moderators: Option<&[String]>,
) -> Vec<Turn> {
    let speaker = speakers.index(label, moderators);
    let mut turns: Vec<Turn> = Vec::new();
    let mut open = false;
    for &(number, raw) in body {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        if !open {
            turns.push(Turn {
                speaker,
                timestamp: None,
                line: number,
                text: String::new(),
                lines: Vec::new(),
                question: None,
            });
            open = true;
        }
        push_line(turns.last_mut().expect("a turn was just opened"), line, number);
    }
    turns
}

/// The speakers of a session being read, found by their normalised label.
#[derive(Debug, Default)]
pub(crate) struct SpeakerTable {
    /// The speakers, in order of first appearance.
    pub(crate) speakers: Vec<Speaker>,
    keys: Vec<String>,
}

impl SpeakerTable {
    /// The index of the speaker with `label`, added (with its role) if new.
    pub(crate) fn index(&mut self, label: &str, moderators: Option<&[String]>) -> usize {
        let key = speaker_key(label);
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return i;
        }
        let role = moderator_role(label, moderators);
        self.speakers.push(Speaker::new(collapse_whitespace(label), role));
        self.keys.push(key);
        self.speakers.len() - 1
    }

    /// The normalised label of speaker `i`.
    pub(crate) fn key(&self, i: usize) -> &str {
        &self.keys[i]
    }
}

/// Appends one (already trimmed) line to a turn's text; empty pieces are not part of it.
pub(crate) fn push_line(turn: &mut Turn, piece: &str, number: usize) {
    if piece.is_empty() {
        return;
    }
    if !turn.text.is_empty() {
        turn.text.push('\n');
    }
    turn.lines.push((turn.text.len(), number));
    turn.text.push_str(piece);
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Reads the front matter, if the file has one. Returns it and the index of the first body line.
fn parse_front_matter(path: &Path, all: &[(usize, &str)]) -> Result<(FrontMatter, usize)> {
    let mut front = FrontMatter::default();
    let first = all.iter().position(|(_, l)| !l.trim().is_empty());
    let Some(first) = first.filter(|&i| all[i].1.trim() == "---") else {
        return Ok((front, 0));
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, &(number, raw)) in all.iter().enumerate().skip(first + 1) {
        let line = raw.trim();
        if line == "---" {
            return Ok((front, i + 1));
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(Error::transcript(
                path,
                Some(number),
                format!(
                    "front matter line \"{}\" has no `:`; expected `key: value` \
                     (for example `site: Long Beach`), a `# comment`, or the closing `---`",
                    shorten(line, 60)
                ),
            ));
        };
        let key = key.trim().to_lowercase();
        let value = value.trim().to_string();
        if key.is_empty() {
            return Err(Error::transcript(
                path,
                Some(number),
                "front matter line has an empty key; expected `key: value`",
            ));
        }
        if seen.contains(&key) {
            return Err(Error::transcript(
                path,
                Some(number),
                format!("front matter key `{key}` is given twice; keep one"),
            ));
        }
        seen.push(key.clone());
        match key.as_str() {
            "session" => front.session = Some(value),
            "title" => front.title = Some(value),
            "date" => front.date = Some(value),
            "moderators" => {
                front.moderators =
                    Some(value.split(',').map(speaker_key).filter(|k| !k.is_empty()).collect())
            }
            _ => front.attributes.push((key, value)),
        }
    }
    Err(Error::transcript(
        path,
        Some(all[first].0),
        "front matter opened with `---` is never closed; add a line `---` after its last `key: value` line",
    ))
}

/// The parts of a line that starts a turn.
#[derive(Debug, PartialEq)]
struct TurnHead<'a> {
    timestamp: Option<Timestamp>,
    label: &'a str,
    text: &'a str,
}

/// Recognises a line that starts a turn (a trimmed line), in any of the forms:
///
/// - `Maria: text`, `MARIA : text`, `Interviewer 1: text`, each optionally after a timestamp
///   (`[00:01:02] Maria: text`, `00:01:02 Maria: text`);
/// - `[Maria] text` and `[Maria]: text` (but not `[laughter]` and other annotations);
/// - `**Maria:** text` and `**Maria**: text` (Markdown bold);
/// - `Maria (00:01:02): text` and `Maria [01:02]: text` (Rev);
/// - `Maria  0:03` alone on its line, the text on the next lines (Otter);
/// - the user's `--speaker-pattern`, tried first.
fn parse_turn_line<'a>(line: &'a str, options: &TextOptions) -> Option<TurnHead<'a>> {
    if let Some(head) = options.speaker_pattern.as_ref().and_then(|p| p.parse(line)) {
        return Some(head);
    }
    let (timestamp, rest) = match split_timestamp(line) {
        Some((ts, rest)) => (Some(ts), rest.trim_start()),
        None => (None, line),
    };
    let head = bracket_label(rest).or_else(|| bold_label(rest)).map(|(label, text)| TurnHead {
        timestamp,
        label,
        text,
    });
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
    Some(TurnHead { timestamp, label, text: text.trim() })
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
fn looks_like_label(line: &str) -> Option<String> {
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
fn split_timestamp(line: &str) -> Option<(Timestamp, &str)> {
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

/// Parses `hh:mm:ss(.mmm)` or, when `min_parts` is 2, `mm:ss(.mmm)` too.
pub(crate) fn parse_timestamp(text: &str, min_parts: usize) -> Option<Timestamp> {
    let (clock, millis) = match text.split_once(['.', ',']) {
        Some((clock, frac)) => {
            if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let scale = [100, 10, 1][frac.len() - 1];
            (clock, Some(frac.parse::<u64>().ok()? * scale))
        }
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() < min_parts || parts.len() > 3 {
        return None;
    }
    let mut values = Vec::with_capacity(3);
    for (i, part) in parts.iter().enumerate() {
        let first = i == 0;
        let ok_len = if first { (1..=3).contains(&part.len()) } else { part.len() == 2 };
        if !ok_len || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = part.parse().ok()?;
        if !first && v >= 60 {
            return None;
        }
        values.push(v);
    }
    let seconds = values.iter().fold(0, |acc, v| acc * 60 + v);
    Some(Timestamp { millis: seconds * 1000 + millis.unwrap_or(0), has_millis: millis.is_some() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(text: &str) -> Session {
        parse(Path::new("focus-group.txt"), text, &TextOptions::default()).unwrap()
    }

    fn error(text: &str) -> String {
        parse(Path::new("focus-group.txt"), text, &TextOptions::default()).unwrap_err().to_string()
    }

    /// (label, text) of each turn.
    fn turns(s: &Session) -> Vec<(String, String)> {
        s.turns.iter().map(|t| (s.speaker_of(t).label.clone(), t.text.clone())).collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn label_variants_of_real_transcripts() {
        let s = session(
            "MARIA : Space before the colon.\n[Dev] Bracketed.\n[Interviewer 1]: Bracket colon.\n\
             **Ana:** Bold.\n**Lee**: Bold outside.\nMS. O'NEIL: Caps.\n\
             Speaker 2 (00:01:02): Rev style.\nKim [01:05] Rev brackets.\n\
             Unknown Speaker  0:03\nOtter text on the next line.\n",
        );
        assert_eq!(
            turns(&s),
            pairs(&[
                ("MARIA", "Space before the colon."),
                ("Dev", "Bracketed."),
                ("Interviewer 1", "Bracket colon."),
                ("Ana", "Bold."),
                ("Lee", "Bold outside."),
                ("MS. O'NEIL", "Caps."),
                ("Speaker 2", "Rev style."),
                ("Kim", "Rev brackets."),
                ("Unknown Speaker", "Otter text on the next line."),
            ])
        );
        let ts: Vec<_> = s.turns.iter().map(|t| t.timestamp.map(|t| t.to_string())).collect();
        assert_eq!(ts[6].as_deref(), Some("00:01:02"));
        assert_eq!(ts[7].as_deref(), Some("00:01:05"));
        assert_eq!(ts[8].as_deref(), Some("00:00:03"));
        assert_eq!(s.speakers[2].role, Role::Moderator);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn annotations_and_times_in_text_are_not_labels() {
        let s = session(
            "Rosa: We started.\n[laughter] Then we stopped.\n[inaudible 00:12:03] something\n\
             we met at 10:30 and talked\n[Music] plays\n",
        );
        assert_eq!(s.turns.len(), 1, "{:?}", turns(&s));
        assert_eq!(s.turns[0].text.lines().count(), 5);
    }

    #[test]
    fn a_speaker_pattern_adds_a_label_form() {
        let options = TextOptions {
            speaker_pattern: Some(
                SpeakerPattern::new(r"(?P<speaker>[A-Z]{2,})>\s*(?P<text>.*)").unwrap(),
            ),
        };
        let s =
            parse(Path::new("t.txt"), "ROSA> Trust.\nDEV> Time.\nLee: plain\n", &options).unwrap();
        assert_eq!(turns(&s), pairs(&[("ROSA", "Trust."), ("DEV", "Time."), ("Lee", "plain")]));
        let timed = TextOptions {
            speaker_pattern: Some(
                SpeakerPattern::new(r"<(?P<time>[\d:]+)> (?P<speaker>\w+) -").unwrap(),
            ),
        };
        let s = parse(Path::new("t.txt"), "<01:02:03> Ana - yes\n", &timed).unwrap();
        assert_eq!(turns(&s), pairs(&[("Ana", "yes")]));
        assert_eq!(s.turns[0].timestamp.unwrap().millis, 3_723_000);
        let err = SpeakerPattern::new(r"(?P<who>\w+):").unwrap_err().to_string();
        assert!(err.contains("no group named `speaker`"), "{err}");
        assert!(SpeakerPattern::new(r"(?P<speaker>\w+").is_err());
    }

    #[test]
    fn lines_that_look_like_labels_are_warned_about() {
        let s = session("Rosa: hi\n- Dev: hello\nMaria; yes\nLEE     thanks\nand so on\n");
        assert_eq!(s.turns.len(), 1);
        let warned: Vec<_> = s.warnings.iter().map(|w| (w.line, w.kind)).collect();
        assert_eq!(
            warned,
            [
                (Some(2), WarningKind::LabelLike),
                (Some(3), WarningKind::LabelLike),
                (Some(4), WarningKind::LabelLike)
            ]
        );
        assert!(
            s.warnings[0].message.contains("write it as `Dev: …`"),
            "{}",
            s.warnings[0].message
        );
    }

    #[test]
    fn a_file_without_any_label_is_one_speaker_one_turn_per_paragraph() {
        let s = session("---\nsite: x\n---\nI really like it.\nIt helped.\n\nThe cost was high.\n");
        assert_eq!(s.speakers.len(), 1);
        assert_eq!(s.speakers[0].label, "focus-group");
        assert_eq!(s.speakers[0].role, Role::Participant);
        assert_eq!(
            turns(&s),
            pairs(&[
                ("focus-group", "I really like it.\nIt helped."),
                ("focus-group", "The cost was high.")
            ])
        );
        assert_eq!(s.turns[1].line, 7);
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].kind, WarningKind::Unlabelled);
        assert_eq!(s.warnings[0].line, Some(4));
    }

    #[test]
    fn document_paragraphs_are_lines() {
        use crate::ingest::office::DocParagraph;
        let paragraphs: Vec<DocParagraph> =
            ["Title line?", "", "Rosa: one", "two\nDev: three"].map(DocParagraph::plain).to_vec();
        let err = parse_paragraphs(
            Path::new("d.docx"),
            &paragraphs,
            Format::Docx,
            &TextOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("d.docx:1: text before the first speaker turn"), "{err}");
        let s = parse_paragraphs(
            Path::new("d.docx"),
            &paragraphs[2..],
            Format::Docx,
            &TextOptions::default(),
        )
        .unwrap();
        assert_eq!(turns(&s), pairs(&[("Rosa", "one\ntwo"), ("Dev", "three")]));
        assert_eq!(s.turns[0].lines, [(0, 1), (4, 2)]);
        assert_eq!(s.turns[1].line, 2);
        assert_eq!(s.format, Format::Docx);
        // Without labels, each paragraph is a turn.
        let plain: Vec<DocParagraph> = ["One.", "Two."].map(DocParagraph::plain).to_vec();
        let s =
            parse_paragraphs(Path::new("d.docx"), &plain, Format::Docx, &TextOptions::default())
                .unwrap();
        assert_eq!(s.turns.len(), 2);
    }

    #[test]
    fn turns_speakers_and_continuation_lines() {
        let s = session(
            "Moderator: What makes a good organizer?\n\
             Rosa: Trust.\n  You have to keep\n\n  your word.  \n\
             Dev: Patience, honestly.\n",
        );
        assert_eq!(s.id, "focus-group");
        assert_eq!(s.turns.len(), 3);
        assert_eq!(s.turns[1].text, "Trust.\nYou have to keep\nyour word.");
        assert_eq!(s.turns[1].line, 2);
        assert_eq!(s.turns[1].lines, [(0, 2), (7, 3), (24, 5)]);
        assert_eq!(s.turns[1].line_of(25), 5);
        let roles: Vec<_> = s.speakers.iter().map(|sp| (sp.label.as_str(), sp.role)).collect();
        assert_eq!(
            roles,
            [
                ("Moderator", Role::Moderator),
                ("Rosa", Role::Participant),
                ("Dev", Role::Participant)
            ]
        );
    }

    #[test]
    fn front_matter_sets_session_fields_and_attributes() {
        let s = session(
            "---\nSession: mc-01\n# a comment\ntitle: Group one\ndate: 2025-03-04\nSite: South LA\n\
             group: organizers\nmoderators: Lena, Co Host\n---\n\
             Lena: Welcome.\nCO   host: Hi.\nhost: I am a participant here.\n",
        );
        assert_eq!(s.id, "mc-01");
        assert_eq!(s.title.as_deref(), Some("Group one"));
        assert_eq!(s.date.as_deref(), Some("2025-03-04"));
        assert_eq!(
            s.attributes,
            [
                ("site".to_string(), "South LA".to_string()),
                ("group".to_string(), "organizers".to_string())
            ]
        );
        let roles: Vec<_> = s.speakers.iter().map(|sp| sp.role).collect();
        // `moderators` replaces the default pattern, so "host" is a participant here.
        assert_eq!(roles, [Role::Moderator, Role::Moderator, Role::Participant]);
    }

    #[test]
    fn default_moderator_labels() {
        let s = session(
            "Interviewer 1: q\nFACILITATOR: q\nMod: q\nHostess: a\nModerna Rep: a\nfac: q\nMod2: q\n",
        );
        let roles: Vec<_> = s.speakers.iter().map(|sp| sp.role).collect();
        assert_eq!(
            roles,
            [
                Role::Moderator,
                Role::Moderator,
                Role::Moderator,
                Role::Participant,
                Role::Participant,
                Role::Moderator,
                Role::Moderator
            ]
        );
    }

    #[test]
    fn speaker_labels_compare_case_insensitively_with_collapsed_space() {
        let s = session("Ana  Ruiz: one\nANA RUIZ: two\n");
        assert_eq!(s.speakers.len(), 1);
        assert_eq!(s.speakers[0].label, "Ana Ruiz");
        assert_eq!(s.turns[1].speaker, 0);
    }

    #[test]
    fn timestamps_in_every_form() {
        let s = session(
            "[00:01:02] A: x\n[01:02.5] B: x\n(1:00:00.250) C: x\n00:00:09 D: x\n\
             10:00 E: x\n[99] F: x\n",
        );
        let ts: Vec<_> = s.turns.iter().map(|t| t.timestamp.map(|t| t.to_string())).collect();
        assert_eq!(
            ts[..4],
            [
                Some("00:01:02".to_string()),
                Some("00:01:02.500".to_string()),
                Some("01:00:00.250".to_string()),
                Some("00:00:09".to_string())
            ]
        );
        // A bare mm:ss is not a timestamp, and "10:00" is a clock time, not a label; "[99]"
        // is not a timestamp and "[99] F" does not start with a letter or digit: both lines
        // continue the previous turn.
        assert_eq!(s.turns.len(), 4);
        assert_eq!(s.turns[3].text, "x\n10:00 E: x\n[99] F: x");
    }

    #[test]
    fn labels_that_are_too_long_or_wordy_continue_the_turn() {
        let s = session(
            "Rosa: first\nThis is what I said to them at the meeting: listen\n\
             AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA: no\n(aside): no\nDr. Maria Elena de la Cruz: yes\n",
        );
        assert_eq!(s.turns.len(), 1);
        assert_eq!(s.turns[0].text.lines().count(), 5);
        let s = session("Rosa: first\nDr. Maria Elena de Cruz: five words is fine\n");
        assert_eq!(s.turns.len(), 2);
    }

    #[test]
    fn line_endings_and_bom_free_text() {
        let s = session("A: one\r\ncontinued\rB: two\r\n");
        assert_eq!(s.turns[0].text, "one\ncontinued");
        assert_eq!(s.turns[1].line, 3);
    }

    #[test]
    fn text_before_the_first_turn_is_an_error_with_its_line() {
        let msg = error("---\nsession: x\n---\n\nNotes from the group\nRosa: hi\n");
        assert!(
            msg.starts_with(
                "focus-group.txt:5: text before the first speaker turn: \"Notes from the group\""
            ),
            "{msg}"
        );
    }

    #[test]
    fn bad_front_matter_lines_are_errors() {
        assert_eq!(
            error("---\nsite South LA\n---\nA: x\n"),
            "focus-group.txt:2: front matter line \"site South LA\" has no `:`; expected `key: value` \
             (for example `site: Long Beach`), a `# comment`, or the closing `---`"
        );
        assert!(error("---\nsite: x\nA: y\n").starts_with("focus-group.txt:1: front matter opened"));
        assert!(error("---\nsite: x\nSITE: y\n---\nA: y\n").contains("given twice"));
    }

    #[test]
    fn a_file_without_turns_is_an_error() {
        assert!(error("\n\n").contains("no speaker turns found"));
    }
}
