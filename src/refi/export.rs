//! Writing a coded corpus as a REFI-QDA project (`.qdpx`) that NVivo, ATLAS.ti, MAXQDA and
//! QualCoder open already coded.
//!
//! What goes where:
//!
//! - the codebook is the `.qdc` form ([`crate::codebook::CodebookFormat::Qdc`]: the same
//!   GUIDs, the qualkit rules kept in each description), every code marked codable since
//!   qualkit codes parent themes too;
//! - each session is a `<TextSource>` whose text ([`render_source`]) is stored as
//!   `sources/<guid>.txt`: one turn per paragraph, `[timestamp] Speaker: text`, `\n` line
//!   ends (so that a line break is one character in every tool);
//! - each mention is a `<PlainTextSelection>` of that text with a `<Coding>` of its theme's
//!   code; mentions of several themes over the same characters share one selection;
//! - the session's title, date and attributes are `<VariableValue>`s of its source;
//! - each speaker of each session is a `<Case>` named `Speaker (session)`, with the role
//!   and the speaker's attributes as variables and a `<SelectionRef>` to each selection in
//!   the speaker's turns (no extra selections are made for whole turns: tools show
//!   selections without codings as empty quotations or annotations);
//! - one `<User>`, `qualkit`, creates every selection and coding.
//!
//! No dates are written and every GUID is derived from names ([`super::guid`]), entries are
//! sorted and zip timestamps fixed, so the same corpus gives the same bytes on every run.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{guid, xml_char, PROJECT_NS};
use crate::code::corpus::{Analysis, CodedSession, Mention};
use crate::codebook::qdc::{escape_attr, escape_text};
use crate::codebook::{code_guid, Codebook, CodebookFormat};
use crate::error::{Error, Result};
use crate::ingest::text::TextOptions;
use crate::model::Session;

/// A project written in memory, with what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The `.qdpx` archive.
    pub bytes: Vec<u8>,
    /// The `project.qde` inside it.
    pub qde: String,
    /// What other tools or a re-import will see differently, one sentence each.
    pub notes: Vec<String>,
    /// Text sources (one per session).
    pub sources: usize,
    /// Selections written.
    pub selections: usize,
    /// Codings written (one per mention).
    pub codings: usize,
    /// Cases written (one per speaker of each session).
    pub cases: usize,
}

/// The text of a session as exported, and where each turn's text starts in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The turns, one paragraph each, separated by a blank line, ending with `\n`.
    pub text: String,
    /// For each turn, the offset of its text (after the label) in Unicode code points.
    pub turn_starts: Vec<usize>,
}

/// The text of `session` as a source: each turn on its own paragraph as
/// `[hh:mm:ss] Speaker: text` (the timestamp only when the turn has one), the turn's lines
/// as they are, paragraphs separated by a blank line.
///
/// ```
/// use std::path::Path;
/// use qualkit::ingest::text::{parse, TextOptions};
/// use qualkit::refi::export::render_source;
///
/// let session = parse(Path::new("s.txt"), "[00:01:02] Ana: Hi.\nSecond line.\nBo: Hé!", &TextOptions::default()).unwrap();
/// let source = render_source(&session);
/// assert_eq!(source.text, "[00:01:02] Ana: Hi.\nSecond line.\n\nBo: Hé!\n");
/// assert_eq!(source.turn_starts, [16, 38]);
/// ```
pub fn render_source(session: &Session) -> SourceText {
    let mut text = String::new();
    let mut chars = 0;
    let mut turn_starts = Vec::with_capacity(session.turns.len());
    let mut push = |text: &mut String, piece: &str| {
        text.push_str(piece);
        chars += piece.chars().count();
        chars
    };
    for (i, turn) in session.turns.iter().enumerate() {
        if i > 0 {
            push(&mut text, "\n\n");
        }
        if let Some(ts) = turn.timestamp {
            push(&mut text, &format!("[{ts}] "));
        }
        let label = &session.speaker_of(turn).label;
        let start = push(&mut text, &format!("{label}:"));
        if turn.text.is_empty() {
            turn_starts.push(start);
        } else {
            turn_starts.push(push(&mut text, " "));
            push(&mut text, &turn.text);
        }
    }
    text.push('\n');
    SourceText { text, turn_starts }
}

/// Writes the coded corpus `analysis` as a `.qdpx` project.
pub fn project(analysis: &Analysis) -> Result<Exported> {
    let cb = &analysis.codebook;
    let (codes, notes) = codes_xml(cb)?;
    let mut p = ProjectXml {
        cb,
        user: guid("user", &["qualkit"]),
        variables: Variables::of(analysis),
        notes,
        sources_xml: String::new(),
        cases_xml: String::new(),
        entries: Vec::new(),
        selections: 0,
        codings: 0,
        cases: 0,
    };
    let mut xml = p.head(&codes);
    for coded in &analysis.sessions {
        p.add_session(coded);
    }
    if !p.cases_xml.is_empty() {
        let _ = write!(xml, "  <Cases>\n{}  </Cases>\n", p.cases_xml);
    }
    let _ = write!(xml, "  <Sources>\n{}  </Sources>\n</Project>\n", p.sources_xml);
    p.notes.dedup();
    p.entries.push(("project.qde".to_string(), xml.clone().into_bytes()));
    p.entries.sort();
    Ok(Exported {
        bytes: zip(&p.entries),
        qde: xml,
        notes: p.notes,
        sources: analysis.sessions.len(),
        selections: p.selections,
        codings: p.codings,
        cases: p.cases,
    })
}

/// A project being written: the `<Sources>` and `<Cases>` elements grow session by session,
/// the source texts become archive entries, and the notes gather in the order met.
struct ProjectXml<'a> {
    cb: &'a Codebook,
    /// The GUID of the one user.
    user: String,
    variables: Variables,
    notes: Vec<String>,
    /// The `<TextSource>` elements.
    sources_xml: String,
    /// The `<Case>` elements.
    cases_xml: String,
    /// The archive's entries: path and bytes.
    entries: Vec<(String, Vec<u8>)>,
    selections: usize,
    codings: usize,
    cases: usize,
}

impl ProjectXml<'_> {
    /// The start of `project.qde`: the XML declaration, `<Project>`, the user, the codebook
    /// with its `codes` and the variables.
    fn head(&mut self, codes: &str) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            xml,
            "<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"qualkit {}\">",
            attr(&self.cb.name, &mut self.notes),
            env!("CARGO_PKG_VERSION")
        );
        let user = &self.user;
        let _ =
            writeln!(xml, "  <Users>\n    <User guid=\"{user}\" name=\"qualkit\"/>\n  </Users>");
        xml.push_str("  <CodeBook>\n    <Codes>\n");
        xml.push_str(codes);
        xml.push_str("    </Codes>\n  </CodeBook>\n");
        self.variables.write(&mut xml, &mut self.notes);
        xml
    }

    /// Adds a session: its `<TextSource>` with its selections and variables, its text as an
    /// entry, and a `<Case>` per speaker.
    fn add_session(&mut self, coded: &CodedSession) {
        let s = &coded.session;
        let source = render_source(s);
        if let Some(note) = read_back_note(s, &source) {
            self.notes.push(note);
        }
        let source_guid = guid("source", &[&s.id]);
        let file = format!("{source_guid}.txt");
        let _ = writeln!(
            self.sources_xml,
            "    <TextSource guid=\"{source_guid}\" name=\"{}\" plainTextPath=\"internal://{file}\" \
             creatingUser=\"{}\">",
            attr(&s.id, &mut self.notes),
            self.user
        );
        // The selections of each speaker, for the cases.
        let mut by_speaker: Vec<Vec<String>> = vec![Vec::new(); s.speakers.len()];
        for group in coded.mentions.chunk_by(|a, b| a.turn == b.turn && a.chars == b.chars) {
            let sel = self.add_selection(s, &source, group);
            by_speaker[s.turns[group[0].turn].speaker].push(sel);
        }
        for (name, value) in session_values(s) {
            let xml = &mut self.sources_xml;
            self.variables.value(xml, "      ", Kind::Source, name, value, &mut self.notes);
        }
        self.sources_xml.push_str("    </TextSource>\n");
        self.entries.push((format!("sources/{file}"), source.text.into_bytes()));
        self.add_cases(s, &by_speaker);
    }

    /// Adds the `<PlainTextSelection>` of a `group` of mentions over the same characters,
    /// with a `<Coding>` per mention; returns its GUID.
    fn add_selection(&mut self, s: &Session, source: &SourceText, group: &[Mention]) -> String {
        let m = &group[0];
        let turn = &s.turns[m.turn];
        let start = source.turn_starts[m.turn] + m.chars.start;
        let end = source.turn_starts[m.turn] + m.chars.end;
        let sel = selection_guid(&s.id, m);
        let user = &self.user;
        let _ = writeln!(
            self.sources_xml,
            "      <PlainTextSelection guid=\"{sel}\" name=\"{}\" startPosition=\"{start}\" \
             endPosition=\"{end}\" creatingUser=\"{user}\">",
            attr(&turn.text[m.bytes.clone()], &mut self.notes)
        );
        for m in group {
            let theme = &self.cb.themes[m.theme].id;
            let _ = writeln!(
                self.sources_xml,
                "        <Coding guid=\"{}\" creatingUser=\"{user}\">\n          <CodeRef \
                 targetGUID=\"{}\"/>\n        </Coding>",
                guid("coding", &[&sel, theme]),
                code_guid(theme)
            );
            self.codings += 1;
        }
        self.sources_xml.push_str("      </PlainTextSelection>\n");
        self.selections += 1;
        sel
    }

    /// Adds a `<Case>` per speaker of `s`: its role and attributes as variables, and a
    /// reference to each of its selections (`by_speaker`).
    fn add_cases(&mut self, s: &Session, by_speaker: &[Vec<String>]) {
        for (k, speaker) in s.speakers.iter().enumerate() {
            let _ = writeln!(
                self.cases_xml,
                "    <Case guid=\"{}\" name=\"{}\">",
                guid("case", &[&s.id, &speaker.label]),
                attr(&format!("{} ({})", speaker.label, s.id), &mut self.notes)
            );
            let role = [("role", speaker.role.as_str())];
            let attrs = speaker.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            for (name, value) in role.into_iter().chain(attrs) {
                let xml = &mut self.cases_xml;
                self.variables.value(xml, "      ", Kind::Case, name, value, &mut self.notes);
            }
            for sel in &by_speaker[k] {
                let _ = writeln!(self.cases_xml, "      <SelectionRef targetGUID=\"{sel}\"/>");
            }
            self.cases_xml.push_str("    </Case>\n");
            self.cases += 1;
        }
    }
}

/// The GUID of the selection of mention `m` of session `session`.
fn selection_guid(session: &str, m: &Mention) -> String {
    let turn = m.turn.to_string();
    let (start, end) = (m.chars.start.to_string(), m.chars.end.to_string());
    guid("selection", &[session, &turn, &start, &end])
}

/// The `<Code>` elements of the codebook's `.qdc` form (checked to read back as the same
/// codebook), each marked codable, and the export's notes.
fn codes_xml(cb: &Codebook) -> Result<(String, Vec<String>)> {
    let exported = cb.export(CodebookFormat::Qdc)?;
    let text = &exported.text;
    let (open, close) = ("  <Codes>\n", "  </Codes>\n");
    let body = match (text.find(open), text.rfind(close)) {
        (Some(a), Some(b)) if a + open.len() <= b => &text[a + open.len()..b],
        _ => {
            return Err(Error::codebook(
                &cb.path,
                None,
                None,
                "the .qdc form of this codebook has no <Codes> element; please report this",
            ))
        }
    };
    // A start tag is the only line that begins with `<Code ` (`<` in text is escaped).
    let mut codes = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        if line.trim_start().starts_with("<Code ") {
            codes.push_str(&line.replacen(" isCodable=\"false\"", " isCodable=\"true\"", 1));
        } else {
            codes.push_str(line);
        }
    }
    Ok((codes, exported.notes))
}

/// A session's values for its source's variables: title, date, then its attributes.
fn session_values(s: &Session) -> Vec<(&str, &str)> {
    let mut values = Vec::new();
    if let Some(title) = &s.title {
        values.push(("title", title.as_str()));
    }
    if let Some(date) = &s.date {
        values.push(("date", date.as_str()));
    }
    for (k, v) in &s.attributes {
        if !values.iter().any(|(name, _)| name == k) {
            values.push((k.as_str(), v.as_str()));
        }
    }
    values
}

/// Whether a variable describes sources (sessions) or cases (speakers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Source,
    Case,
}

/// The project's variables: one per session value name, one per speaker value name (a
/// speaker attribute named like a session one is written `speaker_NAME`, as in the mention
/// tables, so that tools that keep one list of names see two).
struct Variables {
    /// Kind, key (the attribute name), variable name, GUID.
    list: Vec<(Kind, String, String, String)>,
}

impl Variables {
    fn of(analysis: &Analysis) -> Variables {
        let mut list: Vec<(Kind, String, String, String)> = Vec::new();
        let mut add = |kind: Kind, key: &str| {
            if list.iter().any(|(k, key2, _, _)| *k == kind && key2 == key) {
                return;
            }
            let taken = list.iter().any(|(_, _, name, _)| name == key);
            let name = if taken { format!("speaker_{key}") } else { key.to_string() };
            let tag = match kind {
                Kind::Source => "source",
                Kind::Case => "case",
            };
            list.push((kind, key.to_string(), name, guid("variable", &[tag, key])));
        };
        for coded in &analysis.sessions {
            for (key, _) in session_values(&coded.session) {
                add(Kind::Source, key);
            }
        }
        add(Kind::Case, "role");
        for coded in &analysis.sessions {
            for speaker in &coded.session.speakers {
                for (key, _) in &speaker.attributes {
                    add(Kind::Case, key);
                }
            }
        }
        Variables { list }
    }

    /// The `<Variables>` element.
    fn write(&self, xml: &mut String, notes: &mut Vec<String>) {
        xml.push_str("  <Variables>\n");
        for (_, _, name, guid) in &self.list {
            let _ = writeln!(
                xml,
                "    <Variable guid=\"{guid}\" name=\"{}\" typeOfVariable=\"Text\"/>",
                attr(name, notes)
            );
        }
        xml.push_str("  </Variables>\n");
    }

    /// A `<VariableValue>` of the variable of `kind` for `key`.
    fn value(
        &self,
        xml: &mut String,
        indent: &str,
        kind: Kind,
        key: &str,
        value: &str,
        notes: &mut Vec<String>,
    ) {
        let Some((_, _, _, guid)) = self.list.iter().find(|(k, k2, _, _)| *k == kind && k2 == key)
        else {
            return;
        };
        let _ = writeln!(
            xml,
            "{indent}<VariableValue>\n{indent}  <VariableRef targetGUID=\"{guid}\"/>\n{indent}  \
             <TextValue>{}</TextValue>\n{indent}</VariableValue>",
            escape_text(&xml_safe(value, notes))
        );
    }
}

/// `text` as an attribute value: escaped, with characters XML cannot carry replaced.
fn attr(text: &str, notes: &mut Vec<String>) -> String {
    escape_attr(&xml_safe(text, notes))
}

/// `text` with the characters XML cannot carry (most control characters) replaced by
/// U+FFFD, noted once.
fn xml_safe(text: &str, notes: &mut Vec<String>) -> String {
    if text.chars().all(xml_char) {
        return text.to_string();
    }
    let note = "control characters XML cannot carry were replaced with U+FFFD in names and \
                variable values (the source texts keep them)"
        .to_string();
    if !notes.contains(&note) {
        notes.push(note);
    }
    text.chars().map(|c| if xml_char(c) { c } else { char::REPLACEMENT_CHARACTER }).collect()
}

/// A note when `qualkit import qdpx` would not find the session's turns again in its
/// source text (a label the text reader does not recognise, or a line of a turn that looks
/// like a label): the project is still right for other tools.
fn read_back_note(s: &Session, source: &SourceText) -> Option<String> {
    let path = Path::new(&s.id);
    let problem = match crate::ingest::text::parse(path, &source.text, &TextOptions::default()) {
        Err(e) => Some(format!("it would not be read as a transcript ({e})")),
        Ok(back) => {
            let same = |i: usize| {
                let (a, b) = (&s.turns[i], &back.turns[i]);
                a.text == b.text
                    && a.timestamp == b.timestamp
                    && s.speaker_of(a).label == back.speaker_of(b).label
            };
            match (0..s.turns.len().min(back.turns.len())).find(|&i| !same(i)) {
                Some(i) => Some(format!(
                    "from turn {} (speaker `{}`) on, its turns would be read back differently",
                    i + 1,
                    s.speaker_of(&s.turns[i]).label
                )),
                None if back.turns.len() != s.turns.len() => Some(format!(
                    "its {} turns would be read back as {}",
                    s.turns.len(),
                    back.turns.len()
                )),
                None => None,
            }
        }
    };
    problem.map(|p| {
        format!(
            "session `{}`: {p}, so `qualkit import qdpx` would not map its selections to the \
             same turns (other tools open it as written)",
            s.id
        )
    })
}

/// A zip archive of `entries` (sorted by the caller): deflated, every timestamp
/// 1980-01-01 00:00 and every permission 0644, so that the bytes depend only on the content.
fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        // Writing to memory cannot fail.
        zip.start_file(name.as_str(), options).expect("a zip entry in memory");
        zip.write_all(content).expect("a zip entry in memory");
    }
    zip.finish().expect("a zip archive in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::corpus::CodingOptions;
    use crate::ingest::text::parse;

    const CODEBOOK: &str = r#"
[codebook]
name = "Mini"

[[theme]]
id = "trust"
label = "Trust & honesty"
terms = ["trust*"]

[[theme]]
id = "money"
terms = ["fund*"]
"#;

    const TRANSCRIPT: &str = "---\nsession: s1\ntitle: Première\nsite: Nord\n---\n\
        [00:00:05] Moderator: Tell me about trust.\n\n\
        Zoë: Trust — it takes funding.\nAnd trusting the fund.\n\n\
        Bo: Nothing.\n";

    fn analysis() -> Analysis {
        let cb = Codebook::from_toml_str(Path::new("mini.toml"), CODEBOOK).unwrap();
        let mut session = parse(Path::new("s1.txt"), TRANSCRIPT, &TextOptions::default()).unwrap();
        session.speakers[1].attributes.push(("age".into(), "30-39".into()));
        Analysis::run(cb, vec![session], CodingOptions::default())
    }

    #[test]
    fn selections_point_at_the_mention_text_in_code_points() {
        let a = analysis();
        let source = render_source(&a.sessions[0].session);
        assert_eq!(
            source.text,
            "[00:00:05] Moderator: Tell me about trust.\n\nZoë: Trust — it takes funding.\n\
             And trusting the fund.\n\nBo: Nothing.\n"
        );
        let chars: Vec<char> = source.text.chars().collect();
        let coded = &a.sessions[0];
        assert_eq!(coded.mentions.len(), 4);
        for m in &coded.mentions {
            let start = source.turn_starts[m.turn] + m.chars.start;
            let end = source.turn_starts[m.turn] + m.chars.end;
            let text: String = chars[start..end].iter().collect();
            assert_eq!(text, &coded.session.turns[m.turn].text[m.bytes.clone()]);
        }
    }

    #[test]
    fn the_project_holds_codes_sources_selections_cases_and_variables() {
        let e = project(&analysis()).unwrap();
        assert_eq!((e.sources, e.selections, e.codings, e.cases), (1, 4, 4, 3));
        assert!(e.notes.is_empty(), "{:?}", e.notes);
        let qde = &e.qde;
        assert!(qde.contains(&format!(
            "<Code guid=\"{}\" name=\"Trust &amp; honesty\" isCodable=\"true\">",
            code_guid("trust")
        )));
        // "Trust" in Zoë's turn starts after "…\n\nZoë: " (49 code points: ë and — are one).
        assert!(qde.contains("name=\"Trust\" startPosition=\"49\" endPosition=\"54\""), "{qde}");
        assert!(qde.contains("name=\"funding\" startPosition=\"66\" endPosition=\"73\""), "{qde}");
        assert!(qde.contains("<Case guid=\""), "{qde}");
        assert!(qde.contains("name=\"Zoë (s1)\">"), "{qde}");
        assert!(qde.contains("<TextValue>30-39</TextValue>"), "{qde}");
        assert!(qde.contains("<TextValue>Première</TextValue>"), "{qde}");
        assert!(qde.contains("<Variable guid=\"") && qde.contains("name=\"site\""), "{qde}");
        // The four mentions are Zoë's (moderators are not coded by default).
        assert_eq!(qde.matches("<SelectionRef ").count(), 4);
    }

    #[test]
    fn the_same_corpus_gives_the_same_bytes() {
        assert_eq!(project(&analysis()).unwrap().bytes, project(&analysis()).unwrap().bytes);
    }

    #[test]
    fn turns_that_would_not_read_back_are_noted() {
        let mut a = analysis();
        a.sessions[0].session.speakers[2].label =
            "A label much too long to be read as one, really".into();
        let e = project(&a).unwrap();
        assert_eq!(
            e.notes,
            ["session `s1`: from turn 2 (speaker `Zoë`) on, its turns would be read back \
              differently, so `qualkit import qdpx` would not map its \
              selections to the same turns (other tools open it as written)"]
        );
    }
}
