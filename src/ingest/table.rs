//! Transcripts as tables (`.csv`, `.tsv`): one row per turn, with columns found by name
//! (`speaker`, `text`, and optionally `session`, `timestamp`, `role`) or named by flags.
//! One file may hold several sessions. Other columns become session attributes when they
//! are constant within each session, speaker attributes when constant per speaker, and are
//! otherwise left out with a warning.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::text::{parse_timestamp, push_line, SpeakerTable};
use crate::error::{Error, Result};
use crate::model::{Format, Role, Session, Timestamp, Turn, Warning, WarningKind};

/// Column names chosen by flags (`--speaker-column` …); `None` means "find by name".
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// The speaker column.
    pub speaker: Option<String>,
    /// The text column.
    pub text: Option<String>,
    /// The session column.
    pub session: Option<String>,
    /// The timestamp column.
    pub timestamp: Option<String>,
    /// The role column.
    pub role: Option<String>,
}

/// Header names recognised for each column, compared case-insensitively ignoring spaces,
/// `_` and `-`.
const SPEAKER_NAMES: &[&str] = &["speaker", "speakername", "name", "participant", "person"];
const TEXT_NAMES: &[&str] =
    &["text", "utterance", "transcript", "content", "response", "statement", "message"];
const SESSION_NAMES: &[&str] = &["session", "sessionid", "interview", "interviewid"];
const TIMESTAMP_NAMES: &[&str] = &["timestamp", "time", "start", "starttime", "begin"];
const ROLE_NAMES: &[&str] = &["role", "speakerrole"];

fn header_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Finds a column: by the flag's name when given (an error if absent), else by the
/// recognised names.
fn find_column(
    path: &Path,
    headers: &[String],
    flag: Option<&str>,
    flag_name: &str,
    names: &[&str],
) -> Result<Option<usize>> {
    if let Some(wanted) = flag {
        let key = header_key(wanted);
        return match headers.iter().position(|h| header_key(h) == key) {
            Some(i) => Ok(Some(i)),
            None => Err(Error::transcript(
                path,
                Some(1),
                format!(
                    "{flag_name} `{wanted}` is not a column of this file; its columns are: {}",
                    headers.join(", ")
                ),
            )),
        };
    }
    Ok(names.iter().find_map(|n| headers.iter().position(|h| header_key(h) == *n)))
}

/// Whether a table looks like a transcript: its header has a speaker or a text column (by
/// the flags' names or the recognised ones). Used to pass over other tables in folders.
pub fn is_transcript_table(text: &str, format: Format, columns: &Columns) -> bool {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let Ok(headers) = reader.headers() else { return true };
    let keys: Vec<String> = headers.iter().map(header_key).collect();
    let has = |flag: &Option<String>, names: &[&str]| match flag {
        Some(name) => keys.contains(&header_key(name)),
        None => names.iter().any(|n| keys.iter().any(|k| k == n)),
    };
    has(&columns.speaker, SPEAKER_NAMES) || has(&columns.text, TEXT_NAMES)
}

/// Whether `raw` (the text of a row, to the end of the file) ends inside a quoted cell.
fn ends_in_open_quote(raw: &str, delimiter: u8) -> bool {
    let bytes = raw.as_bytes();
    let (mut quoted, mut cell_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1; // an escaped quote
                } else {
                    quoted = false;
                }
            }
        } else if cell_start && b == b'"' {
            quoted = true;
        }
        cell_start = !quoted && (b == b'\n' || b == b'\r' || b == delimiter);
        i += 1;
    }
    quoted
}

/// Reads a CSV (`delimiter` `,`) or TSV (`\t`) transcript into its sessions, in order of
/// first appearance.
pub fn parse(path: &Path, text: &str, format: Format, columns: &Columns) -> Result<Vec<Session>> {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, text, &e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let layout = Layout::find(path, &headers, columns)?;
    let stem = super::default_session_id(path);
    let mut builders: Vec<Builder> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, text, &e)),
        }
        let line = lines.line(record.position());
        let start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        if reader.position().byte() as usize >= text.len() {
            check_closed(path, line, &text[start..], delimiter)?;
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let row = TableRow { path, line, record: &record };
        let id = layout.session(&row, &headers)?.unwrap_or_else(|| stem.clone());
        let b = *by_id.entry(id.clone()).or_insert_with(|| {
            builders.push(Builder::new(id));
            builders.len() - 1
        });
        layout.add_turn(&row, &mut builders[b])?;
    }
    if builders.iter().all(|b| b.turns.is_empty()) {
        return Err(Error::transcript(
            path,
            None,
            "no rows with text; a transcript table has one row per turn under its header row",
        ));
    }
    let file = Arc::new(path.to_path_buf());
    Ok(builders
        .into_iter()
        .filter(|b| !b.turns.is_empty())
        .map(|b| b.finish(&file, format, &headers, &layout.extra))
        .collect())
}

/// Checks that the last row, starting with `rest`, does not open a quote it never closes: such
/// a quote takes the rest of the file into one cell, silently (the csv crate accepts it).
fn check_closed(path: &Path, line: usize, rest: &str, delimiter: u8) -> Result<()> {
    if !ends_in_open_quote(rest, delimiter) {
        return Ok(());
    }
    Err(Error::transcript(
        path,
        Some(line),
        "a quoted cell opened in this row is never closed, so the rest of the file \
         would be one cell; add the closing quote (`\"`), and write a quote inside a \
         cell as two (`\"\"`)",
    ))
}

/// Which column holds what.
struct Layout {
    speaker: usize,
    text: usize,
    session: Option<usize>,
    time: Option<usize>,
    role: Option<usize>,
    /// The columns none of the above, kept as turn attributes.
    extra: Vec<usize>,
}

/// A row of the table with its line.
struct TableRow<'a> {
    path: &'a Path,
    line: usize,
    record: &'a csv::StringRecord,
}

impl TableRow<'_> {
    /// The trimmed cell of column `i` (empty when the row is short).
    fn field(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("").trim()
    }

    fn error(&self, message: String) -> Error {
        Error::transcript(self.path, Some(self.line), message)
    }
}

impl Layout {
    /// Finds the columns by the `columns` options or by the usual names among `headers`.
    fn find(path: &Path, headers: &[String], columns: &Columns) -> Result<Layout> {
        let find = |flag: &Option<String>, flag_name: &str, names: &[&str]| {
            find_column(path, headers, flag.as_deref(), flag_name, names)
        };
        let speaker = find(&columns.speaker, "--speaker-column", SPEAKER_NAMES)?;
        let text = find(&columns.text, "--text-column", TEXT_NAMES)?;
        let (Some(speaker), Some(text)) = (speaker, text) else {
            let missing = match (speaker, text) {
                (None, None) => "no `speaker` and no `text` column",
                (None, _) => "no `speaker` column",
                _ => "no `text` column",
            };
            return Err(Error::transcript(
                path,
                Some(1),
                format!(
                    "{missing}: a transcript table has one row per turn with a header row naming \
                     `speaker` and `text` (and optionally `session`, `timestamp`, `role`); its \
                     columns are: {}. Name them with --speaker-column and --text-column",
                    headers.join(", ")
                ),
            ));
        };
        let session = find(&columns.session, "--session-column", SESSION_NAMES)?;
        let time = find(&columns.timestamp, "--timestamp-column", TIMESTAMP_NAMES)?;
        let role = find(&columns.role, "--role-column", ROLE_NAMES)?;
        let used = [Some(speaker), Some(text), session, time, role];
        let extra = (0..headers.len()).filter(|i| !used.contains(&Some(*i))).collect();
        Ok(Layout { speaker, text, session, time, role, extra })
    }

    /// The row's session, when the table has a session column (whose cell must be filled).
    fn session(&self, row: &TableRow, headers: &[String]) -> Result<Option<String>> {
        let Some(c) = self.session else { return Ok(None) };
        match row.field(c) {
            "" => Err(row
                .error(format!("the `{}` cell is empty; give every row its session", headers[c]))),
            id => Ok(Some(id.to_string())),
        }
    }

    /// Adds the row's turn to its session.
    fn add_turn(&self, row: &TableRow, session: &mut Builder) -> Result<()> {
        let timestamp = match self.time.map(|i| row.field(i)).filter(|t| !t.is_empty()) {
            Some(t) => Some(parse_time(t).ok_or_else(|| {
                row.error(format!(
                    "timestamp `{t}` is not a time; expected hh:mm:ss, mm:ss (optionally with \
                     .mmm) or seconds such as 75.5"
                ))
            })?),
            None => None,
        };
        let role = match self.role.map(|i| row.field(i)).filter(|r| !r.is_empty()) {
            Some(r) => Some(Role::parse(r).ok_or_else(|| {
                row.error(format!(
                    "role `{r}` is not one of moderator, participant, observer, group"
                ))
            })?),
            None => None,
        };
        // Lines of the text cell: the record's line plus the line breaks of earlier cells.
        let text_line = row.line
            + (0..self.text)
                .map(|i| row.record.get(i).unwrap_or("").matches('\n').count())
                .sum::<usize>();
        let extras: Vec<String> = self.extra.iter().map(|&i| row.field(i).to_string()).collect();
        session.row(
            row.path,
            row.line,
            row.field(self.speaker),
            row.record.get(self.text).unwrap_or(""),
            text_line,
            timestamp,
            role,
            extras,
        )
    }
}

/// `hh:mm:ss(.mmm)`, `mm:ss(.mmm)` or a number of seconds.
fn parse_time(text: &str) -> Option<Timestamp> {
    if let Some(ts) = parse_timestamp(text, 2) {
        return Some(ts);
    }
    let seconds: f64 = text.parse().ok().filter(|s: &f64| s.is_finite() && *s >= 0.0)?;
    let has_millis = text.contains('.');
    Some(Timestamp { millis: (seconds * 1000.0).round() as u64, has_millis })
}

/// A CSV reading error as a message with its line (shared with the participants file).
pub(crate) fn csv_error(path: &Path, text: &str, err: &csv::Error) -> Error {
    let (line, message) = csv_problem(text, err);
    Error::transcript(path, line, message)
}

/// Turns the byte offsets of CSV records into 1-based line numbers. (The reader's own line
/// count leaves out blank lines.) Counting resumes from the previous offset, so reading a
/// file record by record stays linear.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The line of the record at `position` (0 when unknown).
    pub fn line(&mut self, position: Option<&csv::Position>) -> usize {
        let Some(position) = position else { return 0 };
        let mut byte = (position.byte() as usize).min(self.text.len());
        // A record's position can be that of the blank lines before it.
        while matches!(self.text.get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        if byte < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        self.line += self.text[self.offset..byte].iter().filter(|&&b| b == b'\n').count();
        self.offset = byte;
        self.line
    }
}

/// The line and a message for a CSV reading error in `text`, for any kind of file.
pub(crate) fn csv_problem(text: &str, err: &csv::Error) -> (Option<usize>, String) {
    let line = err.position().map(|p| LineCounter::new(text).line(Some(p)));
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "this row has {} but the header has {expected_len}; every row needs one cell per \
             column (quote cells that contain the delimiter)",
            if *len == 1 { "1 cell".to_string() } else { format!("{len} cells") }
        ),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8; save it as UTF-8".into(),
        _ => format!("cannot read the file as a table: {err}"),
    };
    (line, message)
}

/// One session being assembled from rows.
struct Builder {
    id: String,
    speakers: SpeakerTable,
    roles: Vec<Option<(Role, usize)>>,
    turns: Vec<Turn>,
    /// Per turn: the extra cells of its first row.
    extras: Vec<Vec<String>>,
    warnings: Vec<Warning>,
}

impl Builder {
    fn new(id: String) -> Builder {
        Builder {
            id,
            speakers: SpeakerTable::default(),
            roles: Vec::new(),
            turns: Vec::new(),
            extras: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        path: &Path,
        line: usize,
        label: &str,
        text: &str,
        text_line: usize,
        timestamp: Option<Timestamp>,
        role: Option<Role>,
        extras: Vec<String>,
    ) -> Result<()> {
        let pieces: Vec<(usize, &str)> = text
            .split('\n')
            .enumerate()
            .map(|(k, l)| (text_line + k, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        if label.is_empty() {
            // A row without a speaker continues the previous turn, as a cue without one does.
            if let Some(turn) = self.turns.last_mut() {
                for (n, piece) in pieces {
                    push_line(turn, piece, n);
                }
                return Ok(());
            }
            if pieces.is_empty() {
                return Ok(());
            }
            self.warnings.push(Warning::new(
                Some(line),
                WarningKind::Unlabelled,
                format!(
                    "rows without a speaker; read as \"{}\" until a row names one",
                    super::subtitles::UNKNOWN_SPEAKER
                ),
            ));
        }
        if pieces.is_empty() {
            return Ok(());
        }
        let label = if label.is_empty() { super::subtitles::UNKNOWN_SPEAKER } else { label };
        let speaker = self.speakers.index(label, None);
        if self.roles.len() <= speaker {
            self.roles.resize(speaker + 1, None);
        }
        if let Some(role) = role {
            match self.roles[speaker] {
                Some((earlier, at)) if earlier != role => {
                    return Err(Error::transcript(
                        path,
                        Some(line),
                        format!(
                            "speaker \"{label}\" is a {role} here but a {earlier} on line {at}; \
                             give each speaker one role per session"
                        ),
                    ))
                }
                Some(_) => {}
                None => self.roles[speaker] = Some((role, line)),
            }
        }
        let mut turn = Turn { speaker, timestamp, line, ..Turn::default() };
        for (n, piece) in pieces {
            push_line(&mut turn, piece, n);
        }
        self.turns.push(turn);
        self.extras.push(extras);
        Ok(())
    }

    fn finish(
        mut self,
        file: &Arc<std::path::PathBuf>,
        format: Format,
        headers: &[String],
        extra: &[usize],
    ) -> Session {
        for (i, role) in self.roles.iter().enumerate() {
            if let Some((role, _)) = role {
                self.speakers.speakers[i].role = *role;
            }
        }
        let (mut title, mut date, mut attributes) = (None, None, Vec::new());
        for (k, &col) in extra.iter().enumerate() {
            let name = headers[col].to_lowercase();
            let values = || self.extras.iter().map(|e| e[k].as_str());
            let first = values().next().unwrap_or("");
            if values().all(|v| v == first) {
                match name.as_str() {
                    "title" => title = Some(first.to_string()),
                    "date" => date = Some(first.to_string()),
                    _ => attributes.push((name, first.to_string())),
                }
                continue;
            }
            let mut per_speaker: Vec<Option<&str>> = vec![None; self.speakers.speakers.len()];
            let constant = self.turns.iter().zip(&self.extras).all(|(t, e)| {
                let v = e[k].as_str();
                *per_speaker[t.speaker].get_or_insert(v) == v
            });
            if constant {
                for (speaker, value) in self.speakers.speakers.iter_mut().zip(per_speaker) {
                    speaker.attributes.push((name.clone(), value.unwrap_or("").to_string()));
                }
            } else {
                self.warnings.push(Warning::new(
                    None,
                    WarningKind::IgnoredColumn,
                    format!(
                        "column `{}` changes within one speaker's rows, so it is not kept \
                         (qualkit keeps columns that are constant per session or per speaker)",
                        headers[col]
                    ),
                ));
            }
        }
        Session {
            id: self.id,
            title,
            date,
            attributes,
            file: Arc::clone(file),
            format,
            speakers: self.speakers.speakers,
            turns: self.turns,
            warnings: self.warnings,
            questions: Vec::new(),
            reading: crate::model::Reading {
                moderators_named: self.roles.iter().any(Option::is_some),
                ..Default::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Session>> {
        parse(Path::new("calls.csv"), text, Format::Csv, &Columns::default())
    }

    fn turns(s: &Session) -> Vec<(&str, &str)> {
        s.turns.iter().map(|t| (s.speaker_of(t).label.as_str(), t.text.as_str())).collect()
    }

    #[test]
    fn one_row_per_turn_with_sessions_roles_and_times() {
        let sessions = read(
            "Session,Speaker,Role,Start Time,Text,site,age_group\n\
             g1,Lena,moderator,00:00:05,What makes a good organizer?,Long Beach,\n\
             g1,Rosa,,00:00:09.5,\"Trust.\nYou keep your word.\",Long Beach,30-44\n\
             g2,Dev,participant,12.25,Patience.,Fresno,18-29\n\
             g1,Rosa,,75,Again.,Long Beach,30-44\n",
        )
        .unwrap();
        assert_eq!(sessions.len(), 2);
        let g1 = &sessions[0];
        assert_eq!(g1.id, "g1");
        assert_eq!(g1.format, Format::Csv);
        assert_eq!(
            turns(g1),
            [
                ("Lena", "What makes a good organizer?"),
                ("Rosa", "Trust.\nYou keep your word."),
                ("Rosa", "Again.")
            ]
        );
        assert_eq!(g1.turns[1].lines, [(0, 3), (7, 4)]);
        assert_eq!(g1.turns[2].line, 6);
        let times: Vec<String> =
            g1.turns.iter().map(|t| t.timestamp.unwrap().to_string()).collect();
        assert_eq!(times, ["00:00:05", "00:00:09.500", "00:01:15"]);
        assert_eq!(g1.speakers[0].role, Role::Moderator);
        assert_eq!(g1.speakers[1].role, Role::Participant);
        assert_eq!(g1.attributes, [("site".to_string(), "Long Beach".to_string())]);
        // age_group differs between Lena and Rosa: a speaker attribute.
        assert_eq!(g1.speakers[1].attributes, [("age_group".to_string(), "30-44".to_string())]);
        assert_eq!(sessions[1].turns[0].timestamp.unwrap().to_string(), "00:00:12.250");
        assert!(g1.warnings.is_empty());
    }

    #[test]
    fn tsv_flags_and_file_stem_session() {
        let columns = Columns {
            speaker: Some("Who".into()),
            text: Some("said".into()),
            ..Columns::default()
        };
        let s = parse(
            Path::new("data/interview-7.tsv"),
            "Who\tsaid\tmood\nAna\tI trust her.\tcalm\nBen\tYes.\tcalm\nAna\t\t\n\tmore words\tangry\n",
            Format::Tsv,
            &columns,
        )
        .unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].id, "interview-7");
        // A row without a speaker continues the turn; an empty row is skipped.
        assert_eq!(turns(&s[0]), [("Ana", "I trust her."), ("Ben", "Yes.\nmore words")]);
        // `mood` changes within Ben's rows? No: the continuation row does not count as a turn,
        // so the column is constant per session ("calm") only if every turn's first row agrees.
        assert_eq!(s[0].attributes, [("mood".to_string(), "calm".to_string())]);
        let err = parse(Path::new("t.tsv"), "a\tb\nx\ty\n", Format::Tsv, &columns).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.tsv:1: --speaker-column `Who` is not a column of this file; its columns are: a, b"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = read("speaker,text\nAna,hi\nBen,a,b\n").unwrap_err().to_string();
        assert!(err.starts_with("calls.csv:3: this row has 3 cells but the header has 2"), "{err}");
        let err = read("name,comment\nAna,hi\n").unwrap_err().to_string();
        assert!(err.starts_with("calls.csv:1: no `text` column"), "{err}");
        assert!(err.contains("its columns are: name, comment"), "{err}");
        let err = read("speaker,text,time\nAna,hi,soon\n").unwrap_err().to_string();
        assert!(err.starts_with("calls.csv:2: timestamp `soon` is not a time"), "{err}");
        let err = read("speaker,text,role\nAna,hi,boss\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "calls.csv:2: role `boss` is not one of moderator, participant, observer, group"
        );
        let err = read("speaker,text,role\nAna,hi,moderator\nBen,x,\nana,again,participant\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "calls.csv:4: speaker \"ana\" is a participant here but a moderator on line 2"
            ),
            "{err}"
        );
        let err = read("speaker,text\n").unwrap_err().to_string();
        assert!(err.contains("no rows with text"), "{err}");
        // Blank lines count: the line is the file's, not the record's number.
        let err =
            read("speaker,text,time\n\nAna,hi,1\r\n\r\nBen,yo,later\n").unwrap_err().to_string();
        assert!(err.starts_with("calls.csv:5: timestamp `later` is not a time"), "{err}");
    }

    #[test]
    fn varying_columns_are_dropped_with_a_warning() {
        let s = read("speaker,text,sentiment\nAna,hi,pos\nAna,no,neg\n").unwrap();
        assert_eq!(s[0].warnings.len(), 1);
        assert_eq!(s[0].warnings[0].kind, WarningKind::IgnoredColumn);
        assert!(s[0].speakers[0].attributes.is_empty());
        let s = read("speaker,text\n,hello\nAna,hi\n").unwrap();
        assert_eq!(turns(&s[0]), [("Unknown speaker", "hello"), ("Ana", "hi")]);
        assert_eq!(s[0].warnings[0].kind, WarningKind::Unlabelled);
    }
}
