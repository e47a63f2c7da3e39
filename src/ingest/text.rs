//! The plain-text transcript format (`.txt`, `.md`): optional `---` front matter, then turns
//! that start on lines `[TIMESTAMP] SPEAKER: text`, with continuation lines and blank lines.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::decode::lines;
use crate::error::{Error, Result};
use crate::model::{Format, Role, Session, Speaker, Timestamp, Turn};

/// Labels treated as moderators when the front matter has no `moderators` key.
const DEFAULT_MODERATOR_PATTERN: &str = r"(?i)^(moderator|facilitator|interviewer|mod|fac|host)\b";

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

/// Reads a transcript in the text format. `path` is used for the session id default and in
/// messages; `text` is the decoded content.
pub fn parse(path: &Path, text: &str) -> Result<Session> {
    let all = lines(text);
    let (front, body_start) = parse_front_matter(path, &all)?;
    let moderators = front.moderators.clone();

    let mut speakers = SpeakerTable::default();
    let mut turns: Vec<Turn> = Vec::new();

    for &(number, raw) in &all[body_start..] {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(head) = parse_turn_line(line) {
            let speaker = speakers.index(head.label, moderators.as_deref());
            let mut turn = Turn {
                speaker,
                timestamp: head.timestamp,
                line: number,
                text: String::new(),
                lines: Vec::new(),
            };
            push_line(&mut turn, head.text, number);
            turns.push(turn);
        } else if let Some(turn) = turns.last_mut() {
            push_line(turn, line, number);
        } else {
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
    }

    if turns.is_empty() {
        return Err(Error::transcript(
            path,
            None,
            "no speaker turns found; expected lines such as `Maria: …` or `[00:01:15] Maria: …`",
        ));
    }

    let id = front.session.clone().unwrap_or_else(|| {
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    });
    Ok(Session {
        id,
        title: front.title,
        date: front.date,
        attributes: front.attributes,
        file: Arc::new(path.to_path_buf()),
        format: Format::Text,
        speakers: speakers.speakers,
        turns,
    })
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
        self.speakers.push(Speaker { label: collapse_whitespace(label), role });
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

/// Recognises `[TIMESTAMP] SPEAKER: text` in a trimmed line.
fn parse_turn_line(line: &str) -> Option<TurnHead<'_>> {
    let (timestamp, rest) = match split_timestamp(line) {
        Some((ts, rest)) => (Some(ts), rest.trim_start()),
        None => (None, line),
    };
    let (label, text) = rest.split_once(':')?;
    let label = label.trim();
    if !is_speaker_label(label) {
        return None;
    }
    Some(TurnHead { timestamp, label, text: text.trim() })
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
        parse(Path::new("focus-group.txt"), text).unwrap()
    }

    fn error(text: &str) -> String {
        parse(Path::new("focus-group.txt"), text).unwrap_err().to_string()
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
            "Interviewer 1: q\nFACILITATOR: q\nMod: q\nHostess: a\nModerna Rep: a\nfac: q\n",
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
        // A bare mm:ss is not a timestamp: the label is "10" (text "00 E: x").
        assert_eq!(s.speakers[4].label, "10");
        assert!(s.turns[4].text.starts_with("00 E: x\n"));
        // "[99]" is not a timestamp and "[99] F" does not start with a letter or digit:
        // the line continues the previous turn.
        assert_eq!(s.turns.len(), 5);
        assert!(s.turns[4].text.ends_with("\n[99] F: x"));
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
