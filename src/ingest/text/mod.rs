//! The plain-text transcript format (`.txt`, `.md`) and the paragraphs of documents
//! (`.docx`, `.odt`): optional `---` front matter, a header (title, `Key: value` lines, a
//! roster), then turns.
//!
//! Transcripts are read as they come. Each file's speaker convention is learned from the
//! file itself (`scan.rs`): which labels recur and with which delimiter (`P:`, `P=`, `P -`,
//! `MARIA >>`, a tab, a bold run), whether only the moderator is labelled, whether formatting
//! tells the speakers apart. The turns are then built in that convention (`read.rs`), and
//! every guess is a warning.

mod aliases;
mod forms;
mod front;
mod header;
mod markdown;
mod read;
mod scan;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::office::{DocParagraph, Emphasis};
use crate::error::{Error, Result};
use crate::model::{Format, Role, Session, Speaker, Turn};

pub(crate) use crate::ingest::timestamp::parse as parse_timestamp;
pub(crate) use aliases::is_suggestion;
pub use forms::Delimiter;
pub(crate) use forms::{guide_line, is_speaker_label};
pub(crate) use header::{is_audience_label, is_group_label};

/// Labels treated as moderators when the front matter has no `moderators` key.
/// A number may follow directly (`Interviewer1`, `Mod2`).
const DEFAULT_MODERATOR_PATTERN: &str = r"(?i)^(moderator|moderador|moderadora|facilitator|facilitador|facilitadora|interviewer|entrevistador|entrevistadora|animateur|animatrice|mod|fac|host)(\b|[0-9])";

fn default_moderator_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(DEFAULT_MODERATOR_PATTERN).expect("valid built-in pattern"))
}

/// Whether `label` names a moderator by the built-in rule (`Moderator`, `Interviewer 1`,
/// `MODERADORA`, `Fac`).
pub(crate) fn is_default_moderator(label: &str) -> bool {
    default_moderator_regex().is_match(label.trim())
}

/// The role of a speaker `label`: a moderator when listed in `moderators` (normalised
/// labels), or — when the session has no such list — when it matches the default pattern;
/// a group voice (`TODOS`, `ALL`) when not a moderator.
pub(crate) fn moderator_role(label: &str, moderators: Option<&[String]>) -> Role {
    let key = speaker_key(label);
    let is_moderator = match moderators {
        Some(list) => list.contains(&key),
        None => is_default_moderator(label),
    };
    if is_moderator {
        Role::Moderator
    } else if is_group_label(&key) {
        Role::Group
    } else {
        Role::Participant
    }
}

/// Speaker labels compare case-insensitively with runs of white space collapsed.
pub fn speaker_key(label: &str) -> String {
    let single_spaced = !label.starts_with(' ')
        && !label.ends_with(' ')
        && !label.contains("  ")
        && !label.contains(|c: char| c.is_whitespace() && c != ' ');
    match (single_spaced, label.is_ascii()) {
        (true, true) => label.to_ascii_lowercase(),
        (true, false) => label.to_lowercase(),
        _ => collapse_whitespace(label).to_lowercase(),
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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

    fn parse<'a>(&self, line: &'a str) -> Option<forms::TurnHead<'a>> {
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
        Some(forms::TurnHead { timestamp, label, text: text.trim() })
    }
}

/// How speakers are told apart in documents (`--speakers-by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpeakersBy {
    /// Labels where labels recur; else formatting, when paragraphs alternate between wholly
    /// bold (or italic) and plain.
    #[default]
    Auto,
    /// Speaker labels only; formatting is ignored.
    Labels,
    /// Wholly bold (or italic) paragraphs are the moderator's, plain ones the participant's.
    Formatting,
}

/// What an unlabelled paragraph is (`--unlabelled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unlabelled {
    /// The participant's, when only moderators are labelled and most paragraphs carry no
    /// label; else a continuation of the turn above.
    #[default]
    Auto,
    /// Always a continuation of the turn above.
    Continue,
    /// Always a turn of the participant (a speaker named after the session).
    Participant,
}

impl crate::display::Named for SpeakersBy {
    const CHOICES: &'static [(SpeakersBy, &'static str, &'static str)] = &[
        (SpeakersBy::Auto, "auto", "Labels where labels recur; else formatting, when paragraphs alternate between wholly bold (or italic) and plain"),
        (SpeakersBy::Labels, "labels", "Speaker labels only; formatting is ignored"),
        (SpeakersBy::Formatting, "formatting", "Wholly bold (or italic) paragraphs are the moderator's, plain ones the participant's"),
    ];
}

impl crate::display::Named for Unlabelled {
    const CHOICES: &'static [(Unlabelled, &'static str, &'static str)] = &[
        (Unlabelled::Auto, "auto", "The participant's, when only moderators are labelled and most paragraphs carry no label; else a continuation of the turn above"),
        (Unlabelled::Continue, "continue", "Always a continuation of the turn above"),
        (Unlabelled::Participant, "participant", "Always a turn of the participant (a speaker named after the session)"),
    ];
}

/// Options of the text-based readers (text, DOCX, ODT).
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// An extra speaker-label form, tried before the built-in ones.
    pub speaker_pattern: Option<SpeakerPattern>,
    /// How speakers are told apart in documents (`--speakers-by`).
    pub speakers_by: SpeakersBy,
    /// What an unlabelled paragraph is (`--unlabelled`).
    pub unlabelled: Unlabelled,
    /// Moderator labels given on the command line (`--moderators`), normalised with
    /// [`speaker_key`]; they replace the front matter's and the built-in rule.
    pub moderators: Option<Vec<String>>,
    /// Labels named elsewhere (the participants file's speakers and aliases), normalised:
    /// each is a speaker label even when it occurs once.
    pub known_labels: Vec<String>,
    /// Whether a label that is the first word of a full label seen before (`John` after
    /// `John Newbery`) is read as that speaker (`--merge-short-names`); else a warning
    /// suggests it.
    pub merge_short_names: bool,
}

/// Reads a transcript in the text format. `path` is used for the session id default and in
/// messages; `text` is the decoded content.
pub fn parse(path: &Path, text: &str, options: &TextOptions) -> Result<Session> {
    let mut lines: Vec<(usize, std::borrow::Cow<'_, str>)> = Vec::new();
    super::decode::for_each_line(text, |number, text| {
        lines.push((number, markdown::unescape(text)))
    });
    let raw: Vec<RawLine<'_>> = lines
        .iter()
        .map(|(number, text)| RawLine { number: *number, text, lead: 0, whole: None })
        .collect();
    read::read(path, &raw, Format::Text, options)
}

/// Reads the paragraphs of a document (DOCX, ODT) with the text-format rules. Paragraph `i`
/// is "line" `i + 1` in messages and provenance; a line break inside a paragraph starts a new
/// line with the same number. Paragraphs are separated as blank lines separate them in text.
pub fn parse_paragraphs(
    path: &Path,
    paragraphs: &[DocParagraph],
    format: Format,
    options: &TextOptions,
) -> Result<Session> {
    let mut all = Vec::with_capacity(paragraphs.len() * 2);
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let mut lead = paragraph.lead;
        for piece in paragraph.text.split('\n') {
            all.push(RawLine { number: i + 1, text: piece, lead, whole: paragraph.whole });
            lead = 0;
        }
        all.push(RawLine { number: i + 1, text: "", lead: 0, whole: None });
    }
    read::read(path, &all, format, options)
}

/// A line of a transcript as read: its number, its text (untrimmed), and — in documents —
/// the byte length of the bold run that opens it and the emphasis of its whole paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawLine<'a> {
    pub(crate) number: usize,
    pub(crate) text: &'a str,
    pub(crate) lead: usize,
    pub(crate) whole: Option<Emphasis>,
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
        self.index_with(label, || moderator_role(label, moderators))
    }

    /// The index of the speaker with `label`, added with the role `role()` gives if new.
    pub(crate) fn index_with(&mut self, label: &str, role: impl FnOnce() -> Role) -> usize {
        let key = speaker_key(label);
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return i;
        }
        self.speakers.push(Speaker::new(collapse_whitespace(label), role()));
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

/// A new session of `path` with no speakers and turns yet.
fn empty_session(path: &Path, id: String, format: Format) -> Session {
    Session {
        id,
        title: None,
        date: None,
        attributes: Vec::new(),
        file: Arc::new(path.to_path_buf()),
        format,
        speakers: Vec::new(),
        turns: Vec::new(),
        warnings: Vec::new(),
        questions: Vec::new(),
        reading: Default::default(),
    }
}
