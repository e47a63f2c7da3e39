//! The transcript model every reader produces and every later stage consumes:
//! sessions, their speakers, and their turns, each carrying its provenance.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The role a speaker plays in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A participant: their turns are coded and counted.
    Participant,
    /// A moderator, facilitator or interviewer: left out of counts unless asked.
    Moderator,
    /// An observer or note taker (assigned in a participants file): never counted.
    Observer,
    /// Several people at once (`ALL`, `TODOS`, `Varios`): coded and counted as mentions,
    /// but not a participant in speaker counts, the speaker matrix or shares of participants.
    Group,
}

impl Role {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Moderator => "moderator",
            Role::Observer => "observer",
            Role::Group => "group",
        }
    }

    /// Whether a speaker with this role is one participant: counted in `speakers`, the
    /// speaker matrix and the share of participants who raised a theme.
    pub fn is_person(self) -> bool {
        !matches!(self, Role::Group)
    }

    /// Reads a role as written in a participants file or a transcript table: `moderator`
    /// (also facilitator, interviewer, host), `participant` (also respondent, interviewee),
    /// `observer` (also note taker) or `group` (several voices at once). `None` for anything
    /// else.
    pub fn parse(text: &str) -> Option<Role> {
        let key: String =
            text.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        match key.as_str() {
            "moderator" | "mod" | "facilitator" | "interviewer" | "host" | "comoderator" => {
                Some(Role::Moderator)
            }
            "participant" | "respondent" | "interviewee" => Some(Role::Participant),
            "observer" | "notetaker" => Some(Role::Observer),
            "group" | "groupvoice" | "several" | "all" => Some(Role::Group),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A point in a recording, as read from a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Milliseconds from the start of the recording.
    pub millis: u64,
    /// Whether the source gave milliseconds (then they are shown).
    pub has_millis: bool,
}

impl fmt::Display for Timestamp {
    /// `hh:mm:ss`, or `hh:mm:ss.mmm` when the source had milliseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.millis / 1000;
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")?;
        if self.has_millis {
            write!(f, ".{:03}", self.millis % 1000)?;
        }
        Ok(())
    }
}

/// One speaker of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The label as first written in the transcript (white space collapsed).
    pub label: String,
    /// The speaker's role.
    pub role: Role,
    /// Attributes from a participants file or a transcript table (`age_group`, …), in
    /// column order.
    pub attributes: Vec<(String, String)>,
}

impl Speaker {
    /// A speaker without attributes.
    pub fn new(label: impl Into<String>, role: Role) -> Speaker {
        Speaker { label: label.into(), role, attributes: Vec::new() }
    }
}

/// One speaker turn: what one person said before someone else spoke.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Turn {
    /// Index of the speaker in [`Session::speakers`].
    pub speaker: usize,
    /// When the turn starts, if the transcript says.
    pub timestamp: Option<Timestamp>,
    /// The 1-based line of the file on which the turn starts.
    pub line: usize,
    /// The turn's text: its lines, each trimmed, joined with `\n`.
    pub text: String,
    /// For each line of `text`: its byte offset in `text` and its 1-based line in the file.
    pub lines: Vec<(usize, usize)>,
    /// The question the turn answers: an index into [`Session::questions`].
    pub question: Option<u32>,
}

impl Turn {
    /// The 1-based line of the file that holds byte `offset` of the turn's text.
    pub fn line_of(&self, offset: usize) -> usize {
        let i = self.lines.partition_point(|&(start, _)| start <= offset);
        if i == 0 {
            self.line
        } else {
            self.lines[i - 1].1
        }
    }
}

/// The format a transcript was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text or Markdown with `Speaker:` turns.
    Text,
    /// WebVTT captions (Zoom, Teams).
    Vtt,
    /// SubRip subtitles.
    Srt,
    /// SubViewer captions (`.sbv`, YouTube's caption download).
    Sbv,
    /// Word documents (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// Comma-separated values: one row per turn.
    Csv,
    /// Tab-separated values: one row per turn.
    Tsv,
}

impl Format {
    /// The short name shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Sbv => "sbv",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }

    /// Every format, for messages and `--format`.
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Vtt,
        Format::Srt,
        Format::Sbv,
        Format::Docx,
        Format::Odt,
        Format::Csv,
        Format::Tsv,
    ];

    /// The format named `name` (`text`/`txt`/`md`, `vtt`, `srt`, `sbv`, `docx`, `odt`, `csv`, `tsv`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "txt" | "md" | "markdown" => Some(Format::Text),
            other => Format::ALL.into_iter().find(|f| f.as_str() == other),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a [`Warning`], for filtering and for machines (`inspect --format json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// Invalid bytes were replaced (`--lossy`).
    Decoding,
    /// Text without a speaker label.
    Unlabelled,
    /// A line that looks like a speaker label but did not parse as one.
    LabelLike,
    /// A table column that was not kept.
    IgnoredColumn,
    /// A speaker missing from the participants file, or merged by it.
    Participants,
    /// A speaker with a single turn (often a typo of another label).
    SpeakerOnce,
    /// A very long turn (often a missing speaker label).
    LongTurn,
    /// Lines before the first turn read as the header (title, attributes, roster, notes).
    Header,
    /// A speaker convention learned from the file other than `Name:` labels (other
    /// delimiters, formatting, an unlabelled participant, interview-guide lines).
    Convention,
    /// A moderator inferred from who asks the questions.
    Moderator,
}

impl WarningKind {
    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Decoding => "decoding",
            WarningKind::Unlabelled => "unlabelled_text",
            WarningKind::LabelLike => "label_like_line",
            WarningKind::IgnoredColumn => "ignored_column",
            WarningKind::Participants => "participants",
            WarningKind::SpeakerOnce => "speaker_seen_once",
            WarningKind::LongTurn => "long_turn",
            WarningKind::Header => "header",
            WarningKind::Convention => "convention",
            WarningKind::Moderator => "moderator_inferred",
        }
    }
}

/// Something a reader noticed that is not an error but deserves a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The 1-based line of the file, when the warning is about one place.
    pub line: Option<usize>,
    /// What kind of warning.
    pub kind: WarningKind,
    /// What was noticed, and what to do about it.
    pub message: String,
}

impl Warning {
    /// A warning at `line`.
    pub fn new(line: Option<usize>, kind: WarningKind, message: impl Into<String>) -> Warning {
        Warning { line, kind, message: message.into() }
    }
}

/// A question asked in a session: a moderator turn or an interview-guide line that asks
/// something. The turns after it, up to the next question, answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `q1`, `q2`, … in session order; with `--guide`, the matched guide question's id.
    pub id: String,
    /// The question as asked (with `--guide`, the guide's text when matched).
    pub text: String,
    /// The 1-based line of the file where it is asked.
    pub line: usize,
    /// Whether it was matched to a question of the interview guide (`--guide`).
    pub from_guide: bool,
}

/// What became of a line of a transcript's header (the text before the first turn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderUse {
    /// The session's title.
    Title,
    /// A session attribute `key: value` (the key, lowercased).
    Attribute(String),
    /// A roster entry: the label used in the talk, the full name, and the role it sets.
    Roster {
        /// The label used in the talk (`P`, `FEM`).
        label: String,
        /// The full name (`NOMBRE APELLIDO`).
        name: String,
        /// The role a role word set, if any.
        role: Option<Role>,
    },
    /// Kept as a note (stage notes, a roster heading, anything else).
    Note,
}

/// One line of a transcript's header and what it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    /// The 1-based line of the file.
    pub line: usize,
    /// The line as written (trimmed).
    pub text: String,
    /// What it became.
    pub became: HeaderUse,
}

/// What a reader made of a file beyond its turns, for `qualkit transcripts inspect`: the
/// speaker convention it found, the header, how the moderator was decided, annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The speaker convention, in words (`labels: P= (34), V= (20)`; `speakers told apart
    /// by formatting: bold = moderator`; …). Empty when the format says (tables, subtitles).
    pub convention: String,
    /// The header lines, in file order.
    pub header: Vec<HeaderLine>,
    /// How the moderator was decided, when it was not by a label or a list
    /// (`moderator inferred: P asks 84% of the questions`).
    pub moderator: Option<String>,
    /// Stage directions and transcriber annotations (`(inaudible)`, `[crosstalk]`): line and
    /// text. Kept, never coded, not counted as words.
    pub annotations: Vec<(usize, String)>,
    /// The turns that are numbered lines of the interview guide (`3.b Are the search options
    /// clear to you?`): each asks a question, with or without a `?`.
    pub guide_turns: Vec<usize>,
    /// Whether the file itself names its moderators (front matter `moderators`, a roster
    /// role, `--moderators`): then no moderator is inferred.
    pub moderators_named: bool,
    /// The speaker made moderator because they ask most of the questions (see
    /// [`Reading::moderator`]).
    pub inferred_moderator: Option<usize>,
    /// The sections Markdown headings (`## Intro`) mark, in file order.
    pub sections: Vec<Section>,
}

/// A section of a transcript: a Markdown heading (`## Intro`) and the turns under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's text, without the `#` marks.
    pub title: String,
    /// The 1-based line of the heading.
    pub line: usize,
    /// The first turn under it (an index into [`Session::turns`]); the section runs to the
    /// next one's first turn.
    pub first_turn: usize,
}

/// One recorded conversation: a focus group or an interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The session id (front matter `session`, else the file stem).
    pub id: String,
    /// Front matter `title`.
    pub title: Option<String>,
    /// Front matter `date`, as written.
    pub date: Option<String>,
    /// Every other front-matter key, in file order (keys lowercased).
    pub attributes: Vec<(String, String)>,
    /// The file the session was read from, as the user named it.
    pub file: Arc<PathBuf>,
    /// The format it was read as.
    pub format: Format,
    /// The speakers, in order of first appearance.
    pub speakers: Vec<Speaker>,
    /// The turns, in transcript order.
    pub turns: Vec<Turn>,
    /// What the reader noticed (see `qualkit transcripts inspect`).
    pub warnings: Vec<Warning>,
    /// The questions asked, in session order (see [`Turn::question`]).
    pub questions: Vec<Question>,
    /// What the reader made of the file (see `qualkit transcripts inspect`).
    pub reading: Reading,
}

impl Session {
    /// The bytes of text in the session's turns.
    pub fn text_bytes(&self) -> u64 {
        self.turns.iter().map(|t| t.text.len() as u64).sum()
    }

    /// The speaker of `turn`.
    pub fn speaker_of(&self, turn: &Turn) -> &Speaker {
        &self.speakers[turn.speaker]
    }

    /// The section turn `index` is in (under which heading), if the file has headings.
    pub fn section_of(&self, index: usize) -> Option<&Section> {
        let sections = &self.reading.sections;
        let i = sections.partition_point(|s| s.first_turn <= index);
        i.checked_sub(1).map(|i| &sections[i])
    }

    /// The question `turn` answers, if any.
    pub fn question_of(&self, turn: &Turn) -> Option<&Question> {
        turn.question.and_then(|q| self.questions.get(q as usize))
    }
}
