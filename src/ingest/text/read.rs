//! Pass two: the turns of a transcript in the convention pass one found — labels, an
//! unlabelled participant beside a labelled moderator, formatting, or no labels at all —
//! with the header, annotations and interview-guide lines set apart, and a warning for every
//! guess.

use std::path::Path;

use super::forms::{self, Delimiter, TurnHead};
use super::front::parse_front_matter;
use super::header::{self, HeaderKind};
use super::markdown;
use super::scan::{Line, RosterEntry, Scan};
use super::{
    empty_session, moderator_role, push_line, speaker_key, RawLine, SpeakerTable, SpeakersBy,
    TextOptions, Unlabelled,
};
use crate::display::{plural, shorten};
use crate::error::{Error, Result};
use crate::ingest::office::Emphasis;
use crate::ingest::questions;
use crate::model::{
    Format, HeaderLine, HeaderUse, Role, Section, Session, Timestamp, Turn, Warning, WarningKind,
};

/// The label of talk before any speaker label, and of paragraphs opened by a dash.
pub(crate) const UNKNOWN_SPEAKER: &str = "Unknown speaker";

/// How a file tells its speakers apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Speaker labels; an unlabelled line continues the turn above.
    Labels,
    /// Only moderators are labelled; each unlabelled paragraph is the participant's.
    UnlabelledParticipant,
    /// Paragraphs wholly in this emphasis are the moderator's, plain ones the participant's.
    Formatting(Emphasis),
    /// No labels: one speaker, one turn per paragraph.
    NoLabels,
}

/// Reads the lines of a text transcript or a document.
pub(crate) fn read(
    path: &Path,
    all: &[RawLine<'_>],
    format: Format,
    options: &TextOptions,
) -> Result<Session> {
    let (front, body_start) = parse_front_matter(path, all)?;
    let moderators = options.moderators.clone().or(front.moderators.clone());
    let mut listed: Vec<String> = moderators.clone().unwrap_or_default();
    listed.extend(options.known_labels.iter().cloned());
    listed.extend(front.speakers.iter().map(|s| speaker_key(s)));
    let scan = Scan::new(&all[body_start..], options, &listed);
    let id = front.session.clone().unwrap_or_else(|| super::super::default_session_id(path));

    let mut session = empty_session(path, id, format);
    session.title = front.title;
    session.date = front.date;
    session.attributes = front.attributes;
    session.warnings = front.notes;
    let mut builder = Builder::new(&scan, moderators, session);
    let mode = builder.mode(format, options);
    builder.build(mode);
    let mut session = builder.finish(mode);
    super::aliases::short_names(&mut session, options.merge_short_names);
    note_audience(&mut session);
    if options.speakers_by == SpeakersBy::Formatting && format == Format::Text {
        session.warnings.push(Warning::new(
            None,
            WarningKind::Convention,
            "--speakers-by formatting applies to Word and OpenDocument files, whose text has \
             formatting; this text file is read by its speaker labels",
        ));
    }
    if session.turns.is_empty() {
        return Err(Error::transcript(
            path,
            None,
            "no speaker turns found; expected lines such as `Maria: …` or `[00:01:15] Maria: …`",
        ));
    }
    session.warnings.sort_by_key(|w| w.line.unwrap_or(0));
    Ok(session)
}

/// A note for each singular audience label (`Audience Member`): one participant voice that
/// may be several people.
fn note_audience(session: &mut Session) {
    for (i, speaker) in session.speakers.iter().enumerate() {
        if !header::is_audience_label(&speaker.label) {
            continue;
        }
        let line = session.turns.iter().find(|t| t.speaker == i).map(|t| t.line);
        session.warnings.push(Warning::new(
            line,
            WarningKind::Convention,
            format!(
                "\"{}\" is a voice from the audience, counted as one participant; it may be \
                 several people",
                speaker.label
            ),
        ));
    }
}

/// The turns of a session being built.
struct Builder<'s, 'a> {
    scan: &'s Scan<'a>,
    session: Session,
    speakers: SpeakerTable,
    moderators: Option<Vec<String>>,
    /// Turns per (label key, delimiter), with the label as first written, for the
    /// convention.
    used: Vec<(usize, Delimiter, usize, String)>,
    /// The speaker of each of the scan's label keys, once seen.
    speaker_of_key: Vec<Option<usize>>,
    /// Whether numbered guide lines are read as the moderator's: two or more, one of which
    /// asks something.
    guide: bool,
    /// Paragraphs opened by a dash and no label: count and first line.
    dashes: (usize, usize),
    /// Talk before the first label: the line, when there is some.
    talk_before: Option<usize>,
}

impl<'s, 'a> Builder<'s, 'a> {
    fn new(scan: &'s Scan<'a>, moderators: Option<Vec<String>>, session: Session) -> Self {
        let guide_lines: Vec<&Line<'_>> = scan.lines.iter().filter(|l| is_guide(l)).collect();
        let guide = guide_lines.len() >= 2 && guide_lines.iter().any(|l| questions::asks(l.text));
        Builder {
            scan,
            session,
            speakers: SpeakerTable::default(),
            moderators,
            used: Vec::new(),
            speaker_of_key: Vec::new(),
            guide,
            dashes: (0, 0),
            talk_before: None,
        }
    }

    /// The convention of the file, from what pass one found and the flags.
    fn mode(&self, format: Format, options: &TextOptions) -> Mode {
        let is_doc = matches!(format, Format::Docx | Format::Odt);
        let labelled = (0..self.scan.lines.len()).filter(|&i| self.scan.opening(i).is_some());
        let labelled: Vec<usize> = labelled.collect();
        if options.speakers_by == SpeakersBy::Formatting && is_doc {
            return Mode::Formatting(self.formatting().map_or(Emphasis::Bold, |(e, _)| e));
        }
        if labelled.is_empty() {
            if is_doc && options.speakers_by == SpeakersBy::Auto {
                if let Some((emphasis, _)) = self.formatting().filter(|(_, ok)| *ok) {
                    return Mode::Formatting(emphasis);
                }
            }
            return Mode::NoLabels;
        }
        match options.unlabelled {
            Unlabelled::Continue => Mode::Labels,
            Unlabelled::Participant => Mode::UnlabelledParticipant,
            Unlabelled::Auto if self.only_moderators_labelled(&labelled) => {
                Mode::UnlabelledParticipant
            }
            Unlabelled::Auto => Mode::Labels,
        }
    }

    /// Whether every label is a moderator's and at least as many paragraphs carry none.
    fn only_moderators_labelled(&self, labelled: &[usize]) -> bool {
        let all_moderators = labelled.iter().all(|&i| {
            let c = self.scan.opening(i).expect("a labelled line");
            self.role_of(c.form.head.label) == Role::Moderator
        });
        let first = labelled[0];
        let unlabelled = (first..self.scan.lines.len())
            .filter(|&i| {
                let l = &self.scan.lines[i];
                l.para_start
                    && !l.wrap
                    && self.scan.opening(i).is_none()
                    && !self.is_annotation(i)
                    && !(self.guide && is_guide(l))
            })
            .count();
        all_moderators && unlabelled >= labelled.len()
    }

    /// The emphasis of wholly formatted paragraphs, and whether paragraphs alternate
    /// between it and plain (two or more of each).
    fn formatting(&self) -> Option<(Emphasis, bool)> {
        let paragraphs = self.scan.lines.iter().filter(|l| l.para_start);
        let (mut bold, mut italic, mut plain) = (0, 0, 0);
        for l in paragraphs.filter(|l| !forms::is_annotation(l.text)) {
            match l.whole {
                Some(Emphasis::Bold) => bold += 1,
                Some(Emphasis::Italic) => italic += 1,
                None => plain += 1,
            }
        }
        let (emphasis, count) =
            if bold >= italic { (Emphasis::Bold, bold) } else { (Emphasis::Italic, italic) };
        (count > 0).then_some((emphasis, count >= 2 && plain >= 2))
    }

    /// The role of a speaker labelled `label`: the roster's, the moderator list's or the
    /// built-in rule's.
    fn role_of(&self, label: &str) -> Role {
        let by_rule = |l: &str| moderator_role(l, self.moderators.as_deref());
        match self.roster_entry(label) {
            Some(RosterEntry { role: Some(role), .. }) => *role,
            Some(entry) => match by_rule(label) {
                Role::Participant => by_rule(&entry.name),
                role => role,
            },
            None => by_rule(label),
        }
    }

    /// The roster line that names `label`, if one does.
    fn roster_entry(&self, label: &str) -> Option<&'s RosterEntry> {
        let key = speaker_key(label);
        self.scan.roster.iter().find(|r| r.key == key)
    }

    /// The speaker labelled `label` (by its roster name, when the roster names it; by the
    /// full name of `Aaron van Wirdum (AvW)`, whose initials then label the same speaker).
    fn speaker(&mut self, label: &str) -> usize {
        if let Some((name, abbr)) = forms::initials_label(label) {
            let role = self.role_of(name);
            let speaker = self.speakers.index_with(name, || role);
            let abbr = speaker_key(abbr);
            if let Some(k) = self.scan.keys.iter().position(|k| k.key == abbr) {
                self.set_speaker_of_key(k, speaker);
            }
            return speaker;
        }
        let role = self.role_of(label);
        let name = self.roster_entry(label).map_or(label, |r| r.name.as_str());
        self.speakers.index_with(name, || role)
    }

    /// A speaker not labelled in the file (`Unknown speaker`, the session's participant,
    /// the moderator of formatted paragraphs), with the role `role`.
    fn unlabelled_speaker(&mut self, label: &str, role: Role) -> usize {
        self.speakers.index_with(label, || role)
    }

    fn open(&mut self, speaker: usize, timestamp: Option<Timestamp>, line: usize, text: &str) {
        let mut turn = Turn { speaker, timestamp, line, ..Turn::default() };
        push_line(&mut turn, text, line);
        self.session.turns.push(turn);
    }

    /// Appends a line to the last turn.
    fn continue_turn(&mut self, text: &str, line: usize) {
        let turn = self.session.turns.last_mut().expect("a turn is open");
        push_line(turn, text, line);
    }

    /// A Markdown heading: the section of the turns that open after it (a turn that runs on
    /// across the heading stays in the section it opened in).
    fn section(&mut self, title: &str, line: usize) {
        let first_turn = self.session.turns.len();
        let section = Section { title: title.to_string(), line, first_turn };
        self.session.reading.sections.push(section);
    }

    fn build(&mut self, mode: Mode) {
        let lines = &self.scan.lines;
        let mut i = self.header(mode);
        while i < lines.len() {
            self.line(mode, i);
            i += 1;
        }
    }

    /// Reads the header (the lines before the talk), and returns the first line of talk.
    fn header(&mut self, mode: Mode) -> usize {
        let lines = &self.scan.lines;
        for (i, line) in lines.iter().enumerate() {
            if self.scan.opening(i).is_some() && !matches!(mode, Mode::Formatting(_)) {
                return i;
            }
            if self.is_annotation(i) || (self.guide && is_guide(line)) {
                return i;
            }
            if let Some(title) = markdown::heading(line.text) {
                if self.session.title.is_some() {
                    self.section(title, line.number);
                    continue;
                }
            }
            let kind = header::classify(line.text);
            let became = match kind {
                HeaderKind::Talk => return i,
                HeaderKind::Roster { label, name, role } => HeaderUse::Roster { label, name, role },
                HeaderKind::Attribute { key, value } => self.attribute(key, value),
                HeaderKind::Heading if self.session.title.is_none() => {
                    self.session.title = Some(line.text.to_string());
                    HeaderUse::Title
                }
                HeaderKind::Heading => HeaderUse::Note,
            };
            let entry = HeaderLine { line: line.number, text: line.text.to_string(), became };
            self.session.reading.header.push(entry);
        }
        lines.len()
    }

    /// A `Key: value` header line: a session attribute (`title` and `date` set the
    /// session's), unless the front matter or an earlier line already set the key, then a
    /// note.
    fn attribute(&mut self, key: String, value: String) -> HeaderUse {
        let s = &mut self.session;
        match key.as_str() {
            "title" if s.title.is_none() => s.title = Some(value),
            "date" if s.date.is_none() => s.date = Some(value),
            "title" | "date" | "session" => return HeaderUse::Note,
            _ if s.attributes.iter().any(|(k, _)| *k == key) => return HeaderUse::Note,
            _ => s.attributes.push((key.clone(), value)),
        }
        HeaderUse::Attribute(key)
    }

    /// Reads line `i` of the talk.
    fn line(&mut self, mode: Mode, i: usize) {
        let line = &self.scan.lines[i];
        if self.is_annotation(i) {
            self.session.reading.annotations.push((line.number, line.text.to_string()));
            return;
        }
        if let Some(title) = markdown::heading(line.text).filter(|_| line.para_start) {
            return self.section(title, line.number);
        }
        if let Mode::Formatting(emphasis) = mode {
            return self.formatted_line(emphasis, line);
        }
        if let Some(c) = self.scan.opening(i) {
            let (head, delimiter, key) = (c.form.head, c.form.delimiter, c.key);
            return self.labelled_line(head, delimiter, key, line.number);
        }
        if self.guide && is_guide(line) {
            let moderator = self.moderator_speaker();
            self.open(moderator, None, line.number, line.text);
            let turn = self.session.turns.len() - 1;
            self.session.reading.guide_turns.push(turn);
            return;
        }
        let participant_mode = matches!(mode, Mode::UnlabelledParticipant | Mode::NoLabels);
        if self.opens_paragraph(i) && !self.after_colon(i) {
            if let Some(rest) = forms::dash_paragraph(line.text) {
                if !participant_mode && forms::colon_label(rest).is_none() {
                    self.dashes.0 += 1;
                    if self.dashes.0 == 1 {
                        self.dashes.1 = line.number;
                    }
                    let unknown = self.unlabelled_speaker(UNKNOWN_SPEAKER, Role::Participant);
                    return self.open(unknown, None, line.number, rest);
                }
            }
        }
        let opens = self.session.turns.is_empty()
            || (participant_mode && ((line.para_start && !line.wrap) || self.last_is_guide()));
        // A paragraph may open with the time it was said (`[08:04] My contract ended…`).
        let opening = line.para_start.then(|| forms::split_timestamp(line.text)).flatten();
        let (timestamp, text) = match opening {
            Some((timestamp, rest)) => (Some(timestamp), rest.trim_start()),
            None => (None, line.text),
        };
        if !opens {
            self.warn_label_like(line);
            return self.continue_turn(text, line.number);
        }
        let speaker = if participant_mode {
            let id = self.session.id.clone();
            let role = moderator_role(&id, self.moderators.as_deref());
            self.unlabelled_speaker(&id, role)
        } else {
            self.talk_before.get_or_insert(line.number);
            self.unlabelled_speaker(UNKNOWN_SPEAKER, Role::Participant)
        };
        self.open(speaker, timestamp, line.number, text);
    }

    /// Whether line `i` is a paragraph of its own wholly in parentheses or brackets: a
    /// stage direction or a transcriber's annotation (an annotation that ends a paragraph of
    /// talk is part of the talk).
    fn is_annotation(&self, i: usize) -> bool {
        let lines = &self.scan.lines;
        lines[i].para_start
            && lines.get(i + 1).is_none_or(|next| next.para_start)
            && (forms::is_annotation(lines[i].text) || markdown::is_marker(lines[i].text))
    }

    /// Whether line `i` opens a paragraph, or follows a line that ends a sentence (then a
    /// dash at its start is not the wrap of a sentence).
    fn opens_paragraph(&self, i: usize) -> bool {
        let lines = &self.scan.lines;
        lines[i].para_start || super::scan::ends_sentence(lines[i - 1].text)
    }

    /// Whether the line before line `i` ends with a colon: then a dash opens an item of
    /// a list, not a turn.
    fn after_colon(&self, i: usize) -> bool {
        i > 0 && self.scan.lines[i - 1].text.ends_with(':')
    }

    fn last_is_guide(&self) -> bool {
        let last = self.session.turns.len().wrapping_sub(1);
        self.session.reading.guide_turns.last() == Some(&last)
    }

    /// A line opened by `head`, whose label is the scan's key `key`.
    fn labelled_line(
        &mut self,
        head: TurnHead<'_>,
        delimiter: Delimiter,
        key: usize,
        number: usize,
    ) {
        let speaker = match self.speaker_of_key.get(key).copied().flatten() {
            Some(speaker) => speaker,
            None => {
                let speaker = self.speaker(head.label);
                self.set_speaker_of_key(key, speaker);
                speaker
            }
        };
        let entry = self.used.iter_mut().find(|(k, d, _, _)| *k == key && *d == delimiter);
        match entry {
            Some(entry) => entry.2 += 1,
            None => self.used.push((key, delimiter, 1, head.label.to_string())),
        }
        self.open(speaker, head.timestamp, number, head.text);
    }

    /// Makes `speaker` the speaker of the scan's label key `key`, unless it has one.
    fn set_speaker_of_key(&mut self, key: usize, speaker: usize) {
        if self.speaker_of_key.len() <= key {
            self.speaker_of_key.resize(key + 1, None);
        }
        self.speaker_of_key[key].get_or_insert(speaker);
    }

    /// A line of a file whose speakers are told apart by formatting.
    fn formatted_line(&mut self, emphasis: Emphasis, line: &Line<'_>) {
        if !line.para_start && !self.session.turns.is_empty() {
            return self.continue_turn(line.text, line.number);
        }
        let speaker = if line.whole == Some(emphasis) {
            self.unlabelled_speaker("Moderator", Role::Moderator)
        } else {
            self.unlabelled_speaker("Participant", Role::Participant)
        };
        self.open(speaker, None, line.number, line.text);
    }

    /// The moderator who reads the guide: the first moderator of the file, else a new
    /// speaker `Moderator`.
    fn moderator_speaker(&mut self) -> usize {
        match self.speakers.speakers.iter().position(|s| s.role == Role::Moderator) {
            Some(i) => i,
            None => self.unlabelled_speaker("Moderator", Role::Moderator),
        }
    }

    fn warn_label_like(&mut self, line: &Line<'_>) {
        if let Some(label) = forms::looks_like_label(line.text) {
            self.session.warnings.push(Warning::new(
                Some(line.number),
                WarningKind::LabelLike,
                format!(
                    "\"{}\" looks like a speaker label but is read as text of the turn above; \
                     write it as `{label}: …`, or describe the form with --speaker-pattern",
                    shorten(line.text, 50)
                ),
            ));
        }
    }

    /// The session, with its speakers, the convention in words and the warnings.
    fn finish(mut self, mode: Mode) -> Session {
        self.session.speakers = std::mem::take(&mut self.speakers.speakers);
        self.session.reading.moderators_named = self.moderators.is_some()
            || self.scan.roster.iter().any(|r| r.role == Some(Role::Moderator));
        self.session.reading.convention = self.convention(mode);
        self.warn(mode);
        self.session
    }

    /// The convention, in words (`labels: P= (34), V= (20)`).
    fn convention(&self, mode: Mode) -> String {
        let s = &self.session;
        let labels: Vec<String> = self
            .used
            .iter()
            .map(|(key, d, n, label)| {
                let sp = self.speaker_of_key[*key].expect("a used key has a speaker");
                let name = &s.speakers[sp].label;
                if speaker_key(name) == self.scan.key(*key) {
                    format!("{} ({n})", d.show(name))
                } else {
                    format!("{} → {name} ({n})", d.show(label))
                }
            })
            .collect();
        let mut text = match mode {
            Mode::Labels => format!("labels: {}", labels.join(", ")),
            Mode::UnlabelledParticipant => format!(
                "unlabelled participant: labelled {}; each unlabelled paragraph is \"{}\"'s",
                labels.join(", "),
                s.id
            ),
            Mode::Formatting(e) => {
                format!("speakers told apart by formatting: {} = moderator", emphasis_word(e))
            }
            Mode::NoLabels => format!("no speaker labels: one turn per paragraph, \"{}\"'s", s.id),
        };
        if self.dashes.0 > 0 {
            text.push_str(&format!(
                "; {} opened by a dash ({UNKNOWN_SPEAKER})",
                plural(self.dashes.0, "paragraph")
            ));
        }
        if !s.reading.guide_turns.is_empty() {
            text.push_str(&format!(
                "; {} of the interview guide",
                plural(s.reading.guide_turns.len(), "numbered line")
            ));
        }
        text
    }

    /// A warning for every guess.
    fn warn(&mut self, mode: Mode) {
        let mut warnings = Vec::new();
        if let Some(w) = header_warning(&self.session.reading.header) {
            warnings.push(w);
        }
        warnings.extend(self.convention_warning(mode));
        if let Some(line) = self.talk_before {
            warnings.push(Warning::new(
                Some(line),
                WarningKind::Unlabelled,
                format!(
                    "text before the first speaker label is read as \"{UNKNOWN_SPEAKER}\"; label \
                     it (`Maria: …`) if you know who speaks, or mark it as a note with `(…)`"
                ),
            ));
        }
        if self.dashes.0 > 0 {
            warnings.push(Warning::new(
                Some(self.dashes.1),
                WarningKind::Unlabelled,
                format!(
                    "{} open with a dash and no label: each is a new turn of \
                     \"{UNKNOWN_SPEAKER}\"; label them if you know who speaks",
                    plural(self.dashes.0, "paragraph")
                ),
            ));
        }
        if let Some(&first) = self.session.reading.guide_turns.first() {
            let n = self.session.reading.guide_turns.len();
            warnings.push(Warning::new(
                Some(self.session.turns[first].line),
                WarningKind::Convention,
                format!(
                    "{} read as the interview guide, asked by the moderator; each marks the \
                     question the turns after it answer",
                    plural(n, "numbered line")
                ),
            ));
        }
        self.session.warnings.extend(warnings);
    }

    /// The warning that says how speakers were told apart, unless by `Name:` labels.
    fn convention_warning(&self, mode: Mode) -> Option<Warning> {
        let s = &self.session;
        let first = s.turns.first().map(|t| t.line);
        let message = match mode {
            Mode::Labels => {
                let other = self.used.iter().any(|(_, d, _, _)| *d != Delimiter::Colon);
                if !other {
                    return None;
                }
                format!(
                    "speaker labels learned from the file: {}",
                    s.reading.convention.trim_start_matches("labels: ")
                )
            }
            Mode::UnlabelledParticipant => format!(
                "only the moderator is labelled: each unlabelled paragraph is read as a turn of \
                 the participant \"{}\"; give --unlabelled continue to read it as the turn above \
                 going on",
                s.id
            ),
            Mode::Formatting(e) => format!(
                "no speaker labels; speakers told apart by formatting: {} paragraphs are the \
                 moderator's, plain ones the participant's; give --speakers-by labels to read \
                 the file as one speaker",
                emphasis_word(e)
            ),
            Mode::NoLabels => format!(
                "no speaker labels found: the whole file is read as one speaker, \"{}\", one \
                 turn per paragraph; label the turns (`Maria: …`) if several people speak",
                s.id
            ),
        };
        let kind =
            if mode == Mode::NoLabels { WarningKind::Unlabelled } else { WarningKind::Convention };
        Some(Warning::new(first, kind, message))
    }
}

/// Whether `line` is a numbered line of the interview guide, not a turn opening.
fn is_guide(line: &Line<'_>) -> bool {
    line.para_start && forms::guide_line(line.text).is_some()
}

/// The warning that says what the header lines became.
fn header_warning(header: &[HeaderLine]) -> Option<Warning> {
    let first = header.first()?;
    let parts: Vec<String> = header
        .iter()
        .map(|h| match &h.became {
            HeaderUse::Title => format!("title \"{}\"", shorten(&h.text, 40)),
            HeaderUse::Attribute(key) => format!("attribute `{key}`"),
            HeaderUse::Roster { label, name, role } => match role {
                Some(role) => format!("roster {label} = {name} ({})", role.as_str()),
                None => format!("roster {label} = {name}"),
            },
            HeaderUse::Note => format!("note \"{}\"", shorten(&h.text, 40)),
        })
        .collect();
    Some(Warning::new(
        Some(first.line),
        WarningKind::Header,
        format!(
            "{} before the first turn read as the header: {}",
            plural(header.len(), "line"),
            parts.join(", ")
        ),
    ))
}

fn emphasis_word(e: Emphasis) -> &'static str {
    match e {
        Emphasis::Bold => "bold",
        Emphasis::Italic => "italic",
    }
}
