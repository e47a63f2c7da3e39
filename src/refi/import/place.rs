//! Placing selections on turns: a source's text read as a transcript (or one turn per
//! paragraph), its `\r\n` counted as its tool counted them, and each selection cut into
//! the parts of the turns it covers; and the variables of sources and cases given to
//! sessions and speakers.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::project::{Project, Selection, Source};
use super::ImportedSession;
use crate::ingest::decode::lines;
use crate::ingest::text::TextOptions;
use crate::model::{Format, Role, Session, Speaker, Turn, WarningKind};

/// A selection's share of one turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) turn: usize,
    pub(crate) bytes: Range<usize>,
    pub(crate) chars: Range<usize>,
}

/// A source read as a session, and where each of its selections falls.
pub(super) struct Placed {
    pub(super) session: Session,
    /// For each selection of the source: its parts, or why it has none.
    pub(super) parts: Vec<std::result::Result<Vec<Part>, String>>,
}

/// One line of a turn's text in the source: code points `start..end` of the source are
/// code points `turn_char..` of the turn's text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) turn: usize,
    pub(crate) turn_char: usize,
}

/// Reads sources into sessions, keeping what the cases need.
pub(super) struct SourceReader<'p> {
    pub(super) origin: &'p str,
    /// Session ids given so far.
    pub(super) ids: Vec<String>,
    /// Selection GUID → (session index, turns).
    pub(super) selection_turns: HashMap<String, (usize, Vec<usize>)>,
    pub(super) notes: Vec<String>,
}

impl<'p> SourceReader<'p> {
    pub(super) fn new(project: &'p Project) -> SourceReader<'p> {
        SourceReader {
            origin: &project.origin,
            ids: Vec::new(),
            selection_turns: HashMap::new(),
            notes: Vec::new(),
        }
    }

    /// Reads a source's text as a session and places its selections on its turns.
    pub(super) fn place(
        &mut self,
        src: &Source,
        text: &str,
        file: PathBuf,
        notes: &mut Vec<String>,
    ) -> Placed {
        let id = self.session_id(src);
        let text = match self.line_ends(src, text, &id) {
            LineEnds::Two => text.to_string(),
            LineEnds::One => text.replace("\r\n", "\n"),
        };
        let session = read_turns(&id, &text, file, notes);
        let segments = segments(&session, &text);
        let chars = text.chars().count();
        let mut parts = Vec::with_capacity(src.selections.len());
        for sel in &src.selections {
            let placed = place_selection(sel, &segments, &session, chars);
            if let (Ok(ps), Some(g)) = (&placed, &sel.guid) {
                let turns = ps.iter().map(|p| p.turn).collect();
                self.selection_turns.insert(g.clone(), (self.ids.len() - 1, turns));
            }
            parts.push(placed);
        }
        Placed { session, parts }
    }

    /// A unique session id from the source's name (without a document extension).
    pub(super) fn session_id(&mut self, src: &Source) -> String {
        let name = src.name.trim();
        let stem = match name.rsplit_once('.') {
            Some((stem, ext))
                if !stem.is_empty()
                    && ["txt", "docx", "doc", "rtf", "odt", "pdf", "md", "text"]
                        .contains(&ext.to_lowercase().as_str()) =>
            {
                stem
            }
            _ => name,
        };
        let base = if stem.is_empty() {
            src.guid.clone().unwrap_or_else(|| format!("source-{}", self.ids.len() + 1))
        } else {
            stem.to_string()
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base} ({n})");
            n += 1;
        }
        if id != base {
            self.notes
                .push(format!("two sources are named `{base}`; the second is session `{id}`"));
        }
        self.ids.push(id.clone());
        id
    }

    /// How the source's tool counted `\r\n`: by the selection names when they tell, else by
    /// the tool (ATLAS.ti counts one character, NVivo and MAXQDA on Windows two).
    pub(super) fn line_ends(&mut self, src: &Source, text: &str, id: &str) -> LineEnds {
        if !text.contains("\r\n") {
            return LineEnds::Two;
        }
        let two: Vec<char> = text.chars().collect();
        let one: Vec<char> = text.replace("\r\n", "\n").chars().collect();
        let (mut votes_two, mut votes_one) = (0, 0);
        for sel in &src.selections {
            let (Some(s), Some(e)) = (sel.start, sel.end) else { continue };
            votes_two += usize::from(name_matches(&two, s, e, &sel.name));
            votes_one += usize::from(name_matches(&one, s, e, &sel.name));
        }
        let atlas = self.origin.to_lowercase().contains("atlas");
        let (ends, why) = if votes_one > votes_two {
            (LineEnds::One, "as the selection names show")
        } else if votes_two > votes_one {
            (LineEnds::Two, "as the selection names show")
        } else if atlas {
            (LineEnds::One, "as ATLAS.ti counts them")
        } else {
            (LineEnds::Two, "as most tools count them")
        };
        let how = match ends {
            LineEnds::One => "one character",
            LineEnds::Two => "two characters",
        };
        self.notes.push(format!(
            "source `{id}` has Windows line ends (\\r\\n); its positions were read counting each \
             as {how}, {why}"
        ));
        ends
    }

    /// Gives sessions the variables of their sources (and of cases without a name that
    /// refer to one source, as MAXQDA writes them), and speakers the variables of the cases
    /// that refer to their selections. `session_of` maps each source to its session.
    pub(super) fn apply_variables(
        &self,
        project: &Project,
        session_of: &[Option<usize>],
        sessions: &mut [ImportedSession],
    ) {
        let name = |g: &str| project.variables.get(g).cloned();
        let by_guid: HashMap<&str, usize> = project
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.guid.as_deref().map(|g| (g, i)))
            .collect();
        for (i, src) in project.sources.iter().enumerate() {
            let Some(k) = session_of[i] else { continue };
            for (var, value) in &src.values {
                if let Some(n) = name(var) {
                    set_session_value(&mut sessions[k].session, &n, value);
                }
            }
        }
        for case in &project.cases {
            if case.name.is_none() && case.selections.is_empty() && case.sources.len() == 1 {
                let Some(k) = by_guid.get(case.sources[0].as_str()).and_then(|&i| session_of[i])
                else {
                    continue;
                };
                for (var, value) in &case.values {
                    if let Some(n) = name(var) {
                        set_session_value(&mut sessions[k].session, &n, value);
                    }
                }
                continue;
            }
            for sel in &case.selections {
                let Some((k, turns)) = self.selection_turns.get(sel) else { continue };
                let session = &mut sessions[*k].session;
                for &t in turns {
                    let speaker = session.turns[t].speaker;
                    for (var, value) in &case.values {
                        if let Some(n) = name(var) {
                            set_speaker_value(&mut session.speakers[speaker], &n, value);
                        }
                    }
                }
            }
        }
    }
}

/// Sets a session's title, date or attribute `name` (unless it has one already).
pub(super) fn set_session_value(session: &mut Session, name: &str, value: &str) {
    match name.to_lowercase().as_str() {
        "title" => {
            session.title.get_or_insert_with(|| value.to_string());
        }
        "date" => {
            session.date.get_or_insert_with(|| value.to_string());
        }
        _ => {
            if !session.attributes.iter().any(|(k, _)| k == name) {
                session.attributes.push((name.to_string(), value.to_string()));
            }
        }
    }
}

/// Sets a speaker's role or attribute `name` (unless it has one already).
pub(super) fn set_speaker_value(speaker: &mut Speaker, name: &str, value: &str) {
    if name.eq_ignore_ascii_case("role") {
        if let Some(role) = Role::parse(value) {
            speaker.role = role;
        }
    } else if !speaker.attributes.iter().any(|(k, _)| k == name) {
        speaker.attributes.push((name.to_string(), value.to_string()));
    }
}

/// How a source's `\r\n` are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineEnds {
    /// Two characters (the file's characters as they are).
    Two,
    /// One character.
    One,
}

/// Whether the text at code points `s..e` of `chars` is what the selection's name says
/// (names are often cut off, with `…` or `...`).
pub(super) fn name_matches(chars: &[char], s: i64, e: i64, name: &str) -> bool {
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = norm(name.trim_end_matches('…').trim_end_matches("..."));
    if name.chars().count() < 3 || s < 0 || e < s || e as usize > chars.len() {
        return false;
    }
    let text: String = chars[s as usize..e as usize].iter().collect();
    norm(&text).starts_with(&name)
}

/// The turns of a source's text: its `Speaker:` turns when it is a transcript, else one
/// turn per paragraph of a single speaker named after the session.
pub(super) fn read_turns(id: &str, text: &str, file: PathBuf, notes: &mut Vec<String>) -> Session {
    let stem = Path::new(&format!("{id}.txt")).to_path_buf();
    match crate::ingest::text::parse(&stem, text, &TextOptions::default()) {
        Ok(mut session) => {
            session.id = id.to_string();
            session.file = Arc::new(file);
            if session.warnings.iter().any(|w| w.kind == WarningKind::Unlabelled) {
                session.speakers[0].label = id.to_string();
            }
            session.warnings.clear();
            session
        }
        Err(err) => {
            notes.push(format!(
                "source `{id}` is read as one turn per paragraph: it does not read as a \
                 transcript ({err})"
            ));
            paragraphs(id, text, file)
        }
    }
}

/// One turn per paragraph (lines up to a blank line), one speaker named `id`.
pub(super) fn paragraphs(id: &str, text: &str, file: PathBuf) -> Session {
    let mut turns: Vec<Turn> = Vec::new();
    let mut open = false;
    for (number, raw) in lines(text) {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        if !open {
            turns.push(Turn {
                speaker: 0,
                timestamp: None,
                line: number,
                text: String::new(),
                lines: Vec::new(),
                question: None,
            });
            open = true;
        }
        crate::ingest::text::push_line(
            turns.last_mut().expect("a turn was just opened"),
            line,
            number,
        );
    }
    Session {
        id: id.to_string(),
        title: None,
        date: None,
        attributes: Vec::new(),
        file: Arc::new(file),
        format: Format::Text,
        speakers: vec![Speaker::new(id, Role::Participant)],
        turns,
        warnings: Vec::new(),
        questions: Vec::new(),
        reading: Default::default(),
    }
}

/// Where each line of each turn's text is in the source, in code points, in source order.
pub(super) fn segments(session: &Session, text: &str) -> Vec<Segment> {
    // The byte and code-point start of each line (1-based numbers, as `lines` counts).
    let mut starts: Vec<(usize, usize, &str)> = Vec::new();
    let mut chars = 0;
    let mut offset = 0;
    for (_, line) in lines(text) {
        let byte = line.as_ptr() as usize - text.as_ptr() as usize;
        chars += text[offset..byte].chars().count();
        offset = byte;
        starts.push((byte, chars, line));
    }
    let mut out = Vec::new();
    for (t, turn) in session.turns.iter().enumerate() {
        for (k, &(off, number)) in turn.lines.iter().enumerate() {
            let end = turn.lines.get(k + 1).map_or(turn.text.len(), |&(next, _)| next - 1);
            let piece = &turn.text[off..end];
            let Some(&(_, line_chars, line)) = starts.get(number - 1) else { continue };
            let Some(col) = line.rfind(piece) else { continue };
            let start = line_chars + line[..col].chars().count();
            out.push(Segment {
                start,
                end: start + piece.chars().count(),
                turn: t,
                turn_char: turn.text[..off].chars().count(),
            });
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// The parts of the turns a selection covers, or why it covers none.
pub(super) fn place_selection(
    sel: &Selection,
    segments: &[Segment],
    session: &Session,
    chars: usize,
) -> std::result::Result<Vec<Part>, String> {
    if let Some((key, value)) = &sel.bad_position {
        return Err(format!("its {key} `{value}` is not a whole number"));
    }
    let (Some(s), Some(e)) = (sel.start, sel.end) else {
        return Err("it has no position".into());
    };
    if s < 0 || e < s {
        return Err(format!("its positions {s}..{e} are not a range"));
    }
    let (s, e) = (s as usize, e as usize);
    if s >= chars || e > chars {
        return Err(format!(
            "its positions {s}..{e} are beyond the end of the text ({chars} characters)"
        ));
    }
    if s == e {
        return Err("it is empty".into());
    }
    parts_of_range(s, e, segments, session)
}

/// The parts of the turns that code points `s..e` of a text cover (`segments`: where each
/// line of each turn's text is in it, in order), or why they cover none.
pub(crate) fn parts_of_range(
    s: usize,
    e: usize,
    segments: &[Segment],
    session: &Session,
) -> std::result::Result<Vec<Part>, String> {
    let first = segments.partition_point(|g| g.end <= s);
    let mut parts: Vec<Part> = Vec::new();
    let mut spans: Vec<(usize, Segment, Segment)> = Vec::new();
    for g in segments[first..].iter().take_while(|g| g.start < e) {
        if g.end <= s || g.start == g.end {
            continue;
        }
        match spans.last_mut() {
            Some((t, _, last)) if *t == g.turn => *last = *g,
            _ => spans.push((g.turn, *g, *g)),
        }
    }
    for (t, f, l) in spans {
        let text = &session.turns[t].text;
        let from = f.turn_char + s.max(f.start) - f.start;
        let to = l.turn_char + e.min(l.end) - l.start;
        let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
        parts.push(Part { turn: t, bytes: byte(from)..byte(to), chars: from..to });
    }
    if parts.is_empty() {
        return Err("it covers no turn text (only speaker labels or blank lines)".into());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source of `text` with selections (start, end, name).
    fn source(selections: &[(i64, i64, &str)]) -> Source {
        Source {
            name: "s.txt".into(),
            selections: selections
                .iter()
                .map(|&(s, e, name)| Selection {
                    start: Some(s),
                    end: Some(e),
                    name: name.into(),
                    ..Selection::default()
                })
                .collect(),
            ..Source::default()
        }
    }

    /// Places the selections of `src` on `text`: (turn, chars, text) of each part.
    fn placed(origin: &str, src: &Source, text: &str) -> Vec<Vec<(usize, Range<usize>, String)>> {
        let p = Project { origin: origin.into(), ..Project::default() };
        let mut reader = SourceReader::new(&p);
        let placed = reader.place(src, text, PathBuf::from("s.txt"), &mut Vec::new());
        placed
            .parts
            .iter()
            .map(|parts| {
                parts
                    .as_ref()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                let t = &placed.session.turns[p.turn].text;
                                (p.turn, p.chars.clone(), t[p.bytes.clone()].to_string())
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn names_match_cut_off_text() {
        let chars: Vec<char> = "I trust\r\nthe council".chars().collect();
        assert!(name_matches(&chars, 2, 20, "trust the council"));
        assert!(name_matches(&chars, 2, 20, "trust the…"));
        assert!(!name_matches(&chars, 3, 20, "trust the council"));
        assert!(!name_matches(&chars, 2, 20, "Quotation 1:2"));
        assert!(!name_matches(&chars, 2, 99, "trust"));
    }

    #[test]
    fn windows_line_ends_are_counted_as_the_selection_names_show() {
        let text = "Ana: one\r\ntwo\r\n\r\nBo: three\r\n";
        let three = || vec![(1, 0..5, "three".to_string())];
        // "three" is at 21..26 counting each \r\n as two characters, 18..23 counting one.
        assert_eq!(placed("NVivo 14", &source(&[(21, 26, "three")]), text), [three()]);
        assert_eq!(placed("NVivo 14", &source(&[(18, 23, "three")]), text), [three()]);
        // Without names, ATLAS.ti's projects count one character, others two.
        let nameless = source(&[(18, 23, "")]);
        assert_eq!(placed("ATLAS.ti 23", &nameless, text), [three()]);
        assert_eq!(placed("MAXQDA 24", &nameless, text), [vec![(1, 0..2, "th".to_string())]]);
    }

    #[test]
    fn selections_are_clipped_to_turn_text_and_split_at_turns() {
        let text = "Ana: one\ntwo\n\nBo: three four\n";
        let src = source(&[(5, 12, ""), (10, 22, ""), (0, 6, ""), (14, 18, ""), (3, 3, "")]);
        assert_eq!(
            placed("", &src, text),
            [
                // Across the line break of one turn: the turn's text keeps it.
                vec![(0, 0..7, "one\ntwo".to_string())],
                // Across turns: one part each, the label left out.
                vec![(0, 5..7, "wo".to_string()), (1, 0..4, "thre".to_string())],
                // The label and one character of text.
                vec![(0, 0..1, "o".to_string())],
                // Only a label.
                vec![],
                vec![],
            ]
        );
        let p = Project::default();
        let mut reader = SourceReader::new(&p);
        let got = reader.place(&src, text, PathBuf::from("s.txt"), &mut Vec::new());
        assert_eq!(
            got.parts[3].as_ref().unwrap_err(),
            "it covers no turn text (only speaker labels or blank lines)"
        );
        assert_eq!(got.parts[4].as_ref().unwrap_err(), "it is empty");
    }
}
