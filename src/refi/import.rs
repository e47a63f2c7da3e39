//! Reading a REFI-QDA project coded by people in another tool (NVivo, ATLAS.ti, MAXQDA,
//! QualCoder, or qualkit's own export) into qualkit's sessions and mentions, one coder at a
//! time.
//!
//! - The project is a `.qdpx` archive (its `.qde` and `sources/` or `Sources/` folder), or
//!   a bare `.qde` file with its sources in a `sources/` folder beside it.
//! - Text sources are read from the archive (`plainTextPath="internal://…"`, any case, in
//!   any folder) or from `<PlainTextContent>`; sources stored outside the project, media
//!   sources and PDF pages are left out, each said in a note.
//! - Each source is read with the plain-text transcript reader, so `Speaker:` turns become
//!   turns; text without labels becomes one turn per paragraph.
//! - Selections are code-point ranges of the source text. A source with Windows line ends
//!   (`\r\n`) is ambiguous: some tools count them as two characters, others (ATLAS.ti) as
//!   one; the selection names (most tools store the selected text there) decide, else the
//!   tool that wrote the project.
//! - Each selection is mapped onto the turns it covers: one mention per turn, clipped to
//!   the turn's text (labels and blank lines are not part of any turn).
//! - Codes become themes through the project's codebook, read as a `.qdc` codebook (qualkit
//!   ids and rules come back from qualkit's own exports; other tools' codes get ids from
//!   their names); codings refer to codes by GUID (braces and case do not matter).
//! - The coder of a coding is its `creatingUser` (else the selection's), named through
//!   `<Users>`.
//! - Session variables (`<VariableValue>`s of a source, or a case without a name that refers
//!   to one source, as MAXQDA writes them) become session attributes (`title` and `date`
//!   become the session's title and date); the variables of a case become attributes of
//!   the speakers of the selections it refers to (`role` sets the role).

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::analysis::Mention;
use crate::codebook::qdc::{reference, Lines};
use crate::codebook::{normalize_guid, Codebook, CodebookFormat};
use crate::error::{Error, Result};
use crate::ingest::decode::{decode, lines};
use crate::ingest::text::TextOptions;
use crate::model::{Format, Role, Session, Speaker, Turn, WarningKind};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The coder whose codings are read (a user's name, or GUID). Needed when the project
    /// holds codings of several coders.
    pub coder: Option<String>,
}

/// A coder found in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coder {
    /// The user's name (their GUID when the project does not name them; `unknown` when a
    /// coding says nothing about who made it).
    pub name: String,
    /// How many codings of text selections they made.
    pub codings: usize,
}

/// A session read from a project, with the chosen coder's mentions.
#[derive(Debug, Clone)]
pub struct ImportedSession {
    /// The source as a session: its text read as a transcript.
    pub session: Session,
    /// The mentions: ordered by turn, start, end, then codebook order.
    pub mentions: Vec<Mention>,
}

/// What a project gave.
#[derive(Debug)]
pub struct Imported {
    /// The project's codebook.
    pub codebook: Codebook,
    /// Every coder with codings of text selections, by name.
    pub coders: Vec<Coder>,
    /// The coder whose codings were read (`None` when the project has no codings).
    pub coder: Option<String>,
    /// The text sources that could be read, in project order.
    pub sessions: Vec<ImportedSession>,
    /// Codings read as mentions (a selection over several turns gives one mention each).
    pub codings: usize,
    /// What was left out or read in a particular way, one sentence each.
    pub notes: Vec<String>,
    /// Text sources with codings whose text could not be read, one sentence each (the exit
    /// code says the import is incomplete).
    pub unreadable: Vec<String>,
}

impl Imported {
    /// Every mention.
    pub fn mention_count(&self) -> usize {
        self.sessions.iter().map(|s| s.mentions.len()).sum()
    }
}

/// Reads the project at `path` (a `.qdpx` archive or a `.qde` file).
pub fn read(path: &Path, options: &Options) -> Result<Imported> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    let mut container = Container::open(path, bytes)?;
    let (qde_path, qde) = container.project()?;
    let project = parse_project(&qde_path, &qde)?;
    let mut notes = project.notes();
    let codebook = project.codebook(&qde_path, &qde)?;
    for note in &codebook.notes {
        notes.push(format!("codebook: {note}"));
    }
    let code_theme: HashMap<&str, usize> =
        project.codes.iter().enumerate().map(|(i, g)| (g.as_str(), i)).collect();

    // The text of every source with coded selections.
    let mut texts: Vec<Option<(String, PathBuf)>> = Vec::with_capacity(project.sources.len());
    let mut unreadable = Vec::new();
    for src in &project.sources {
        let coded = src.selections.iter().any(|s| !s.codings.is_empty());
        match container.source_text(src, &qde_path) {
            Ok(found) => texts.push(Some(found)),
            Err(why) => {
                if coded {
                    unreadable.push(format!("source `{}` (line {}): {why}", src.name, src.line));
                }
                texts.push(None);
            }
        }
    }
    let coded_sources = project.sources.iter().filter(|s| s.has_codings()).count();
    if coded_sources > 0 && unreadable.len() == coded_sources {
        return Err(Error::transcript(
            &qde_path,
            None,
            format!(
                "the text of {} is not in the project, so no selection can be placed: {}. {}",
                plural(coded_sources, "coded text source", "coded text sources"),
                list(&unreadable, 5),
                container.missing_hint()
            ),
        ));
    }

    let coders = project.coders();
    let coder = choose_coder(&qde_path, &coders, options.coder.as_deref())?;
    let users: HashMap<String, String> = project.users.iter().cloned().collect();

    let mut reader = SourceReader::new(&project);
    let mut sessions = Vec::new();
    let mut session_of = vec![None; project.sources.len()];
    let mut codings = 0;
    let mut skipped = Skipped::default();
    for (i, src) in project.sources.iter().enumerate() {
        let Some((text, file)) = texts[i].take() else { continue };
        session_of[i] = Some(sessions.len());
        let placed = reader.place(src, &text, file, &mut notes);
        let mut mentions = Vec::new();
        for (sel, parts) in src.selections.iter().zip(&placed.parts) {
            if sel.codings.is_empty() {
                skipped.uncoded += 1;
                continue;
            }
            let parts = match parts {
                Ok(parts) => parts,
                Err(why) => {
                    skipped.unplaced.push(format!("{} (line {}): {why}", sel.describe(), sel.line));
                    continue;
                }
            };
            for c in &sel.codings {
                if coder.as_deref() != Some(c.coder(sel, &users).as_str()) {
                    continue;
                }
                let Some(&theme) = c.code.as_deref().and_then(|g| code_theme.get(g)) else {
                    skipped.unknown_codes.push(format!(
                        "{} (line {}) refers to {}",
                        sel.describe(),
                        c.line,
                        c.code.as_deref().map_or("no code".to_string(), |g| format!("code {g}"))
                    ));
                    continue;
                };
                codings += 1;
                if parts.len() > 1 {
                    skipped.split += 1;
                }
                for part in parts {
                    let turn = &placed.session.turns[part.turn];
                    mentions.push(Mention {
                        turn: part.turn,
                        theme,
                        line: turn.line_of(part.bytes.start),
                        bytes: part.bytes.clone(),
                        chars: part.chars.clone(),
                        rules: Vec::new(),
                    });
                }
            }
        }
        let rank = crate::analysis::theme_ranks(&codebook);
        mentions.sort_by_key(|m| (m.turn, m.chars.start, m.chars.end, rank[m.theme]));
        let before = mentions.len();
        mentions.dedup_by(|a, b| a.turn == b.turn && a.chars == b.chars && a.theme == b.theme);
        skipped.duplicates += before - mentions.len();
        sessions.push(ImportedSession { session: placed.session, mentions });
    }
    reader.apply_variables(&project, &session_of, &mut sessions);
    notes.extend(reader.notes);
    notes.extend(skipped.notes());
    Ok(Imported { codebook, coders, coder, sessions, codings, notes, unreadable })
}

/// The coder to read: the one asked for, or the only one.
fn choose_coder(path: &Path, coders: &[Coder], asked: Option<&str>) -> Result<Option<String>> {
    let listing = || {
        coders
            .iter()
            .map(|c| format!("{} ({})", c.name, plural(c.codings, "coding", "codings")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match asked {
        Some(name) => {
            let wanted = normalize_guid(name);
            coders
                .iter()
                .find(|c| {
                    c.name.eq_ignore_ascii_case(name.trim())
                        || c.name.to_lowercase() == name.trim().to_lowercase()
                        || (wanted.is_some() && normalize_guid(&c.name) == wanted)
                })
                .map(|c| Some(c.name.clone()))
                .ok_or_else(|| {
                    Error::Usage(if coders.is_empty() {
                        format!("--coder {name}: {} holds no codings of text", path.display())
                    } else {
                        format!(
                            "--coder {name}: no coder of that name in {}; its codings are by {}",
                            path.display(),
                            listing()
                        )
                    })
                })
        }
        None if coders.len() > 1 => Err(Error::Usage(format!(
            "{} holds codings by {} coders; choose one with --coder NAME: {}",
            path.display(),
            coders.len(),
            listing()
        ))),
        None => Ok(coders.first().map(|c| c.name.clone())),
    }
}

// ---------------------------------------------------------------------------------------
// The archive or folder
// ---------------------------------------------------------------------------------------

/// Where the project and its sources are.
enum Container {
    /// A `.qdpx` archive and its entry names.
    Archive { path: PathBuf, zip: Box<ZipArchive<Cursor<Vec<u8>>>>, names: Vec<String> },
    /// A bare `.qde` and the folder it is in.
    File { path: PathBuf, bytes: Vec<u8> },
}

impl Container {
    fn open(path: &Path, bytes: Vec<u8>) -> Result<Container> {
        if !bytes.starts_with(b"PK") {
            return Ok(Container::File { path: path.to_path_buf(), bytes });
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::transcript(
                path,
                None,
                format!("this is not a readable zip archive ({e}); a .qdpx project is a zip file"),
            )
        })?;
        let names = zip.file_names().map(str::to_string).collect();
        Ok(Container::Archive { path: path.to_path_buf(), zip: Box::new(zip), names })
    }

    /// The project XML and the path messages give it (`study.qdpx/project.qde`).
    fn project(&mut self) -> Result<(PathBuf, String)> {
        let (path, name, bytes) = match self {
            Container::File { path, bytes } => (path.clone(), None, std::mem::take(bytes)),
            Container::Archive { path, zip, names } => {
                let mut qdes: Vec<&String> =
                    names.iter().filter(|n| n.to_lowercase().ends_with(".qde")).collect();
                qdes.sort_by_key(|n| (n.contains('/'), n.to_lowercase() != "project.qde"));
                let Some(name) = qdes.first().map(|n| n.to_string()) else {
                    return Err(Error::transcript(
                        path,
                        None,
                        format!(
                            "the archive holds no .qde file (it has {}); a REFI-QDA project \
                             (.qdpx) holds project.qde and its sources",
                            list(names, 5)
                        ),
                    ));
                };
                let bytes = read_entry(zip, &name).map_err(|e| {
                    Error::transcript(path, None, format!("cannot read {name}: {e}"))
                })?;
                (path.join(&name), Some(name), bytes)
            }
        };
        let _ = name;
        let text = decode(&path, bytes, false)?.text;
        Ok((path, text))
    }

    /// The text of a source and the file it is in (for provenance), or why it cannot be
    /// had.
    fn source_text(
        &mut self,
        src: &Source,
        qde: &Path,
    ) -> std::result::Result<(String, PathBuf), String> {
        if let Some(content) = &src.content {
            return Ok((content.clone(), qde.to_path_buf()));
        }
        let Some(location) = &src.path else {
            return Err("it has neither a plainTextPath nor <PlainTextContent>".into());
        };
        let Some(file) = internal_file(location) else {
            return Err(format!(
                "its text is stored outside the project (`{location}`); export the project with \
                 its sources inside"
            ));
        };
        let wanted = file.to_lowercase();
        let (bytes, found) = match self {
            Container::Archive { path, zip, names } => {
                let mut found: Vec<&String> = names
                    .iter()
                    .filter(|n| {
                        let n = n.to_lowercase();
                        n == wanted || n.ends_with(&format!("/{wanted}"))
                    })
                    .collect();
                found.sort_by_key(|n| !n.to_lowercase().starts_with("sources/"));
                let Some(name) = found.first().map(|n| n.to_string()) else {
                    return Err(format!("the archive has no file {file} (`{location}`)"));
                };
                let bytes =
                    read_entry(zip, &name).map_err(|e| format!("cannot read {name}: {e}"))?;
                (bytes, path.join(name))
            }
            Container::File { path, .. } => {
                let dir = path.parent().unwrap_or(Path::new(""));
                // `sources` or `Sources`, and the file name in any case.
                let found = ["sources", "Sources"].iter().find_map(|d| {
                    std::fs::read_dir(dir.join(d)).ok()?.flatten().map(|e| e.path()).find(|p| {
                        p.file_name().is_some_and(|n| n.to_string_lossy().to_lowercase() == wanted)
                    })
                });
                let Some(found) = found else {
                    return Err(format!(
                        "{} is not there (`{location}`)",
                        dir.join("sources").join(&file).display()
                    ));
                };
                let bytes = std::fs::read(&found)
                    .map_err(|e| format!("cannot read {}: {e}", found.display()))?;
                (bytes, found)
            }
        };
        let text = decode(&found, bytes, false).map(|d| d.text).map_err(|e| e.to_string())?;
        Ok((text, found))
    }

    /// What to do when sources are missing.
    fn missing_hint(&self) -> String {
        match self {
            Container::Archive { names, .. } => {
                let sources = names.iter().filter(|n| !n.to_lowercase().ends_with(".qde")).count();
                let has = if sources == 0
                    || names.iter().all(|n| n.ends_with('/') || n.ends_with(".qde"))
                {
                    "The archive holds no source files".to_string()
                } else {
                    format!("The archive holds {}", plural(sources, "other file", "other files"))
                };
                format!(
                    "{has}; export the project again with its sources (in NVivo, ATLAS.ti, \
                     MAXQDA or QualCoder: export as REFI-QDA project, .qdpx)"
                )
            }
            Container::File { .. } => "A .qde file alone holds no text: import the .qdpx \
                 archive it came from, or put the source files in a `sources` folder beside it"
                .to_string(),
        }
    }
}

/// The file name of an `internal://` path (`None` for files outside the project).
fn internal_file(location: &str) -> Option<String> {
    let location = location.trim();
    let lower = location.to_lowercase();
    let rest = if lower.starts_with("internal://") {
        &location["internal://".len()..]
    } else if lower.contains("://") {
        return None;
    } else {
        location
    };
    let rest = rest.trim_start_matches('/');
    (!rest.is_empty()).then(|| rest.to_string())
}

fn read_entry(zip: &mut ZipArchive<Cursor<Vec<u8>>>, name: &str) -> std::io::Result<Vec<u8>> {
    let mut file = zip.by_name(name).map_err(std::io::Error::other)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------
// The project XML
// ---------------------------------------------------------------------------------------

/// A coding of a selection.
#[derive(Debug, Default)]
struct Coding {
    line: usize,
    /// The code's GUID (normalised).
    code: Option<String>,
    /// The user who made it (normalised GUID).
    user: Option<String>,
}

impl Coding {
    /// The coder's name.
    fn coder(&self, sel: &Selection, users: &HashMap<String, String>) -> String {
        match self.user.as_ref().or(sel.user.as_ref()) {
            Some(g) => users.get(g).cloned().unwrap_or_else(|| g.clone()),
            None => "unknown".to_string(),
        }
    }
}

/// A `<PlainTextSelection>`.
#[derive(Debug, Default)]
struct Selection {
    line: usize,
    guid: Option<String>,
    name: String,
    start: Option<i64>,
    end: Option<i64>,
    /// The attribute that is not a number, with its value.
    bad_position: Option<(String, String)>,
    user: Option<String>,
    codings: Vec<Coding>,
}

impl Selection {
    fn describe(&self) -> String {
        match &self.guid {
            Some(g) => format!("selection {g}"),
            None => "a selection".to_string(),
        }
    }
}

/// A text source: a `<TextSource>`, or the text `<Representation>` of a PDF.
#[derive(Debug, Default)]
struct Source {
    line: usize,
    guid: Option<String>,
    name: String,
    path: Option<String>,
    content: Option<String>,
    selections: Vec<Selection>,
    /// Variable GUID and value.
    values: Vec<(String, String)>,
}

impl Source {
    fn has_codings(&self) -> bool {
        self.selections.iter().any(|s| !s.codings.is_empty())
    }
}

/// A `<Case>`.
#[derive(Debug, Default)]
struct Case {
    name: Option<String>,
    values: Vec<(String, String)>,
    sources: Vec<String>,
    selections: Vec<String>,
}

/// Whose a `<VariableValue>` is.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Source(usize),
    Case(usize),
}

/// What an open element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    Project,
    Users,
    CodeBook,
    Variables,
    Cases,
    Case(usize),
    Sources,
    Pdf,
    Source(usize),
    Content(usize),
    Selection(usize, usize),
    Coding(usize, usize, usize),
    Value,
    ValueText,
    /// Not read.
    Skip,
}

/// The parts of a project qualkit reads.
#[derive(Debug, Default)]
struct Project {
    origin: String,
    /// Normalised GUID and name.
    users: Vec<(String, String)>,
    /// The byte range of `<CodeBook>…</CodeBook>` and its first line.
    codebook: Option<(Range<usize>, usize)>,
    /// The GUIDs of the codes, in document order (theme `i` is code `i`).
    codes: Vec<String>,
    /// Variable GUID → name.
    variables: HashMap<String, String>,
    cases: Vec<Case>,
    sources: Vec<Source>,
    /// Selections of other kinds of sources, by element name.
    other_selections: BTreeMap<String, usize>,
    /// Codings of whole sources.
    source_codings: usize,
    /// Codes without a usable GUID, by line.
    bad_codes: Vec<usize>,
}

impl Project {
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.other_selections.is_empty() {
            let kinds: Vec<String> =
                self.other_selections.iter().map(|(k, n)| format!("{n} <{k}>")).collect();
            notes.push(format!("left out {}: qualkit reads coded text only", kinds.join(", ")));
        }
        if self.source_codings > 0 {
            notes.push(format!(
                "left out {} of whole sources (no selection of text)",
                plural(self.source_codings, "coding", "codings")
            ));
        }
        notes
    }

    /// The project's codebook: its `<CodeBook>` read as a `.qdc` codebook, line numbers kept.
    fn codebook(&self, path: &Path, qde: &str) -> Result<Codebook> {
        let Some((range, line)) = &self.codebook else {
            return Err(Error::transcript(
                path,
                None,
                "the project has no <CodeBook>, so its codings name no codes; export it again \
                 with its codes",
            ));
        };
        if let Some(line) = self.bad_codes.first() {
            return Err(Error::transcript(
                path,
                Some(*line),
                "a <Code> without a valid guid; codings refer to codes by guid, so every code \
                 needs one",
            ));
        }
        let text = format!("{}{}", "\n".repeat(line - 1), &qde[range.clone()]);
        let codebook = Codebook::parse(path, &text, CodebookFormat::Qdc)?;
        if codebook.themes.len() != self.codes.len() {
            return Err(Error::transcript(
                path,
                Some(*line),
                format!(
                    "the codebook has {} codes but gave {} themes; please report this",
                    self.codes.len(),
                    codebook.themes.len()
                ),
            ));
        }
        Ok(codebook)
    }

    /// Every coder of text selections, by name.
    fn coders(&self) -> Vec<Coder> {
        let users: HashMap<String, String> = self.users.iter().cloned().collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for src in &self.sources {
            for sel in &src.selections {
                for c in &sel.codings {
                    *counts.entry(c.coder(sel, &users)).or_default() += 1;
                }
            }
        }
        counts.into_iter().map(|(name, codings)| Coder { name, codings }).collect()
    }
}

/// Attribute values of an element by local name (entities resolved, white space normalised
/// as XML does).
fn attributes(e: &BytesStart<'_>) -> std::result::Result<Vec<(String, String)>, String> {
    let element = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut out = Vec::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("a <{element}> with a malformed attribute: {err}"))?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let raw = String::from_utf8_lossy(&a.value);
        let raw = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
        let value = quick_xml::escape::unescape(&raw).map_err(|err| {
            let err = err.to_string();
            let why = err.split_once(": ").map_or(err.as_str(), |(_, why)| why);
            format!("the `{key}` attribute of a <{element}> is not valid XML text: {why}")
        })?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

fn get(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn get_guid(attrs: &[(String, String)], key: &str) -> Option<String> {
    get(attrs, key).and_then(|g| normalize_guid(&g))
}

/// The names of the elements that hold a variable's value.
const VALUE_ELEMENTS: [&str; 6] =
    ["TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"];

/// The names of selections qualkit does not read.
const OTHER_SELECTIONS: [&str; 5] =
    ["PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection"];

/// Streams the project XML into a [`Project`]. Elements are matched by local name, in any
/// namespace or none.
fn parse_project(path: &Path, text: &str) -> Result<Project> {
    let err = |line: usize, message: String| Error::transcript(path, Some(line), message);
    let mut lines = Lines::new(text);
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('<') {
        return Err(err(
            lines.at(start as u64),
            "this is not XML; a REFI-QDA project (.qde) starts with `<?xml` or `<Project`".into(),
        ));
    }
    let mut xml = Reader::from_str(text);
    let mut stack: Vec<Elem> = Vec::new();
    let mut p = Project::default();
    let mut root_seen = false;
    // The value being read: its owner, variable and text.
    let mut value: Option<(Owner, Option<String>, String)> = None;
    let mut owner: Option<Owner> = None;
    let mut codebook_start: Option<(usize, usize)> = None;
    loop {
        let at = xml.buffer_position();
        let event = xml.read_event().map_err(|e| {
            err(lines.at(xml.error_position()), format!("this is not well-formed XML: {e}"))
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let line = lines.at(at);
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attrs = attributes(e).map_err(|m| err(line, m))?;
                let parent = stack.last().copied();
                let elem = match (parent, name.as_str()) {
                    (None, _) => {
                        if root_seen {
                            return Err(err(line, format!("<{name}> after the end of <Project>")));
                        }
                        root_seen = true;
                        if name != "Project" {
                            let hint = if name == "CodeBook" {
                                " This is a REFI-QDA codebook (.qdc): read it with `qualkit \
                                 codebook convert`."
                            } else {
                                ""
                            };
                            return Err(err(
                                line,
                                format!(
                                    "the root element is <{name}>, expected <Project> (a \
                                     REFI-QDA project, QDA-XML Project 1.0).{hint}"
                                ),
                            ));
                        }
                        p.origin = get(&attrs, "origin").unwrap_or_default();
                        Elem::Project
                    }
                    (Some(Elem::Project), "Users") => Elem::Users,
                    (Some(Elem::Users), "User") => {
                        if let Some(g) = get_guid(&attrs, "guid") {
                            let name = get(&attrs, "name")
                                .filter(|n| !n.trim().is_empty())
                                .or_else(|| get(&attrs, "id"))
                                .unwrap_or_else(|| g.clone());
                            p.users.push((g, name.trim().to_string()));
                        }
                        Elem::Skip
                    }
                    (Some(Elem::Project), "CodeBook") => {
                        codebook_start = Some((at as usize, line));
                        if matches!(event, Event::Empty(_)) {
                            codebook_start = None;
                        }
                        Elem::CodeBook
                    }
                    (Some(Elem::CodeBook), "Code") => {
                        match get_guid(&attrs, "guid") {
                            Some(g) => p.codes.push(g),
                            None => p.bad_codes.push(line),
                        }
                        Elem::CodeBook
                    }
                    (Some(Elem::CodeBook), _) => Elem::CodeBook,
                    (Some(Elem::Project), "Variables") => Elem::Variables,
                    (Some(Elem::Variables), "Variable") => {
                        if let (Some(g), Some(n)) = (get_guid(&attrs, "guid"), get(&attrs, "name"))
                        {
                            p.variables.insert(g, n.trim().to_string());
                        }
                        Elem::Skip
                    }
                    (Some(Elem::Project), "Cases") => Elem::Cases,
                    (Some(Elem::Cases), "Case") => {
                        p.cases.push(Case {
                            name: get(&attrs, "name").filter(|n| !n.trim().is_empty()),
                            ..Case::default()
                        });
                        Elem::Case(p.cases.len() - 1)
                    }
                    (Some(Elem::Case(i)), "SourceRef") => {
                        p.cases[i].sources.extend(get_guid(&attrs, "targetGUID"));
                        Elem::Skip
                    }
                    (Some(Elem::Case(i)), "SelectionRef") => {
                        p.cases[i].selections.extend(get_guid(&attrs, "targetGUID"));
                        Elem::Skip
                    }
                    (Some(Elem::Case(i)), "VariableValue") => {
                        owner = Some(Owner::Case(i));
                        value = Some((Owner::Case(i), None, String::new()));
                        Elem::Value
                    }
                    (Some(Elem::Project), "Sources") => Elem::Sources,
                    (Some(Elem::Sources), "TextSource") | (Some(Elem::Pdf), "Representation") => {
                        let pdf_name = match parent {
                            Some(Elem::Pdf) => p.sources.last().map(|s| s.name.clone()),
                            _ => None,
                        };
                        let name = match parent {
                            // The PDF's source was pushed as a placeholder: replace it.
                            Some(Elem::Pdf) => {
                                p.sources.pop();
                                pdf_name.unwrap_or_default()
                            }
                            _ => get(&attrs, "name").unwrap_or_default(),
                        };
                        p.sources.push(Source {
                            line,
                            guid: get_guid(&attrs, "guid"),
                            name: name.trim().to_string(),
                            path: get(&attrs, "plainTextPath"),
                            ..Source::default()
                        });
                        Elem::Source(p.sources.len() - 1)
                    }
                    (Some(Elem::Sources), "PDFSource") => {
                        // A placeholder that carries the PDF's name to its representation.
                        p.sources.push(Source {
                            line,
                            name: get(&attrs, "name").unwrap_or_default(),
                            ..Source::default()
                        });
                        Elem::Pdf
                    }
                    (Some(Elem::Source(i)), "PlainTextContent") => {
                        p.sources[i].content = Some(String::new());
                        Elem::Content(i)
                    }
                    (Some(Elem::Source(i)), "PlainTextSelection") => {
                        let mut sel = Selection {
                            line,
                            guid: get_guid(&attrs, "guid"),
                            name: get(&attrs, "name").unwrap_or_default(),
                            user: get_guid(&attrs, "creatingUser")
                                .or_else(|| get_guid(&attrs, "modifyingUser")),
                            ..Selection::default()
                        };
                        for key in ["startPosition", "endPosition"] {
                            let raw = get(&attrs, key);
                            let parsed = raw.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
                            if parsed.is_none() && sel.bad_position.is_none() {
                                sel.bad_position = Some((key.to_string(), raw.unwrap_or_default()));
                            }
                            if key == "startPosition" {
                                sel.start = parsed;
                            } else {
                                sel.end = parsed;
                            }
                        }
                        p.sources[i].selections.push(sel);
                        Elem::Selection(i, p.sources[i].selections.len() - 1)
                    }
                    (Some(Elem::Selection(i, j)), "Coding") => {
                        let sel = &mut p.sources[i].selections[j];
                        sel.codings.push(Coding {
                            line,
                            code: None,
                            user: get_guid(&attrs, "creatingUser"),
                        });
                        Elem::Coding(i, j, sel.codings.len() - 1)
                    }
                    (Some(Elem::Coding(i, j, k)), "CodeRef") => {
                        p.sources[i].selections[j].codings[k].code = get_guid(&attrs, "targetGUID");
                        Elem::Skip
                    }
                    (Some(Elem::Source(_)), "Coding") => {
                        p.source_codings += 1;
                        Elem::Skip
                    }
                    (Some(Elem::Source(i)), "VariableValue") => {
                        owner = Some(Owner::Source(i));
                        value = Some((Owner::Source(i), None, String::new()));
                        Elem::Value
                    }
                    (Some(Elem::Value), "VariableRef") => {
                        if let Some(v) = value.as_mut() {
                            v.1 = get_guid(&attrs, "targetGUID");
                        }
                        Elem::Skip
                    }
                    (Some(Elem::Value), n) if VALUE_ELEMENTS.contains(&n) => Elem::ValueText,
                    (Some(_), n) if OTHER_SELECTIONS.contains(&n) => {
                        if stack.get(1) == Some(&Elem::Sources) {
                            *p.other_selections.entry(n.to_string()).or_default() += 1;
                        }
                        Elem::Skip
                    }
                    _ => Elem::Skip,
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(elem);
                } else {
                    close(elem, &mut p, &mut value, &mut owner);
                }
            }
            Event::End(_) => {
                if let Some(elem) = stack.pop() {
                    if elem == Elem::CodeBook && stack.last() == Some(&Elem::Project) {
                        if let Some((start, line)) = codebook_start.take() {
                            p.codebook = Some((start..xml.buffer_position() as usize, line));
                        }
                    }
                    close(elem, &mut p, &mut value, &mut owner);
                }
            }
            Event::Text(ref t) => {
                if let Some(target) = text_target(&stack, &mut p, &mut value) {
                    let t = t.xml10_content().map_err(|e| err(lines.at(at), e.to_string()))?;
                    target.push_str(&t);
                }
            }
            Event::CData(ref t) => {
                if let Some(target) = text_target(&stack, &mut p, &mut value) {
                    let t = t.xml10_content().map_err(|e| err(lines.at(at), e.to_string()))?;
                    target.push_str(&t);
                }
            }
            Event::GeneralRef(ref r) => {
                if let Some(target) = text_target(&stack, &mut p, &mut value) {
                    target.push_str(&reference(r).map_err(|m| err(lines.at(at), m))?);
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(err(
                        lines.at(at),
                        "the file ends before its elements are closed; it may have been cut off"
                            .into(),
                    ));
                }
                if !root_seen {
                    return Err(err(lines.at(at), "no <Project> element".into()));
                }
                break;
            }
            _ => {}
        }
    }
    // Drop the PDF placeholders that had no text representation.
    p.sources.retain(|s| s.guid.is_some() || s.path.is_some() || s.content.is_some());
    Ok(p)
}

/// Where the text of the current element goes, if it is read.
fn text_target<'a>(
    stack: &[Elem],
    p: &'a mut Project,
    value: &'a mut Option<(Owner, Option<String>, String)>,
) -> Option<&'a mut String> {
    match stack.last() {
        Some(&Elem::Content(i)) => p.sources[i].content.as_mut(),
        Some(Elem::ValueText) => value.as_mut().map(|v| &mut v.2),
        _ => None,
    }
}

/// Finishes an element: a variable value goes to its owner.
fn close(
    elem: Elem,
    p: &mut Project,
    value: &mut Option<(Owner, Option<String>, String)>,
    owner: &mut Option<Owner>,
) {
    if elem != Elem::Value {
        return;
    }
    if let Some((who, Some(var), text)) = value.take() {
        let text = text.trim().to_string();
        match who {
            Owner::Source(i) => p.sources[i].values.push((var, text)),
            Owner::Case(i) => p.cases[i].values.push((var, text)),
        }
    }
    *owner = None;
}

// ---------------------------------------------------------------------------------------
// Placing selections on turns
// ---------------------------------------------------------------------------------------

/// A selection's share of one turn.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    turn: usize,
    bytes: Range<usize>,
    chars: Range<usize>,
}

/// A source read as a session, and where each of its selections falls.
struct Placed {
    session: Session,
    /// For each selection of the source: its parts, or why it has none.
    parts: Vec<std::result::Result<Vec<Part>, String>>,
}

/// One line of a turn's text in the source: code points `start..end` of the source are
/// code points `turn_char..` of the turn's text.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    turn: usize,
    turn_char: usize,
}

/// Reads sources into sessions, keeping what the cases need.
struct SourceReader<'p> {
    origin: &'p str,
    /// Session ids given so far.
    ids: Vec<String>,
    /// Selection GUID → (session index, turns).
    selection_turns: HashMap<String, (usize, Vec<usize>)>,
    notes: Vec<String>,
}

impl<'p> SourceReader<'p> {
    fn new(project: &'p Project) -> SourceReader<'p> {
        SourceReader {
            origin: &project.origin,
            ids: Vec::new(),
            selection_turns: HashMap::new(),
            notes: Vec::new(),
        }
    }

    /// Reads a source's text as a session and places its selections on its turns.
    fn place(
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
    fn session_id(&mut self, src: &Source) -> String {
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
    fn line_ends(&mut self, src: &Source, text: &str, id: &str) -> LineEnds {
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
    fn apply_variables(
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
fn set_session_value(session: &mut Session, name: &str, value: &str) {
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
fn set_speaker_value(speaker: &mut Speaker, name: &str, value: &str) {
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
enum LineEnds {
    /// Two characters (the file's characters as they are).
    Two,
    /// One character.
    One,
}

/// Whether the text at code points `s..e` of `chars` is what the selection's name says
/// (names are often cut off, with `…` or `...`).
fn name_matches(chars: &[char], s: i64, e: i64, name: &str) -> bool {
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
fn read_turns(id: &str, text: &str, file: PathBuf, notes: &mut Vec<String>) -> Session {
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
        Err(e) => {
            notes.push(format!(
                "source `{id}` is read as one turn per paragraph: it has lines like speaker \
                 labels but is not a transcript ({})",
                e.to_string().split_once(": ").map_or(e.to_string(), |(_, m)| m.to_string())
            ));
            paragraphs(id, text, file)
        }
    }
}

/// One turn per paragraph (lines up to a blank line), one speaker named `id`.
fn paragraphs(id: &str, text: &str, file: PathBuf) -> Session {
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
    }
}

/// Where each line of each turn's text is in the source, in code points, in source order.
fn segments(session: &Session, text: &str) -> Vec<Segment> {
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
fn place_selection(
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

/// What was skipped while reading selections.
#[derive(Debug, Default)]
struct Skipped {
    uncoded: usize,
    unplaced: Vec<String>,
    unknown_codes: Vec<String>,
    split: usize,
    duplicates: usize,
}

impl Skipped {
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.uncoded > 0 {
            notes.push(format!(
                "left out {} without codings (memos and annotations)",
                plural(self.uncoded, "selection", "selections")
            ));
        }
        for why in &self.unplaced {
            notes.push(format!("left out {why}"));
        }
        for why in &self.unknown_codes {
            notes.push(format!("left out a coding of {why}, which is not in the codebook"));
        }
        if self.split > 0 {
            notes.push(format!(
                "{} over several turns became one mention per turn",
                plural(self.split, "coding", "codings")
            ));
        }
        if self.duplicates > 0 {
            notes.push(format!(
                "{} of the same text with the same code were read once",
                plural(self.duplicates, "repeated coding", "repeated codings")
            ));
        }
        notes
    }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The first `max` items, then how many more.
fn list(items: &[String], max: usize) -> String {
    let mut out = items.iter().take(max).cloned().collect::<Vec<_>>().join("; ");
    if items.len() > max {
        out.push_str(&format!("; and {} more", items.len() - max));
    }
    out
}

// ---------------------------------------------------------------------------------------
// The mentions table
// ---------------------------------------------------------------------------------------

/// The columns of the mentions table before the attribute columns, and after them.
const HEAD: [&str; 7] = ["session", "file", "line", "turn", "timestamp", "speaker", "role"];
const TAIL: [&str; 7] = ["theme", "start", "end", "text", "rule_kind", "rule", "rule_theme"];

/// The mentions as `mentions.csv`, with the columns `qualkit analyze` writes: session,
/// file, line, turn, timestamp, speaker, role, the session then the speaker attributes,
/// theme, start, end (code points in the turn's text), text, and `manual`, the coder and
/// the theme where `analyze` names the rule that matched.
pub fn mentions_csv(imported: &Imported) -> Result<String> {
    let columns = attribute_columns(imported);
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = HEAD
        .iter()
        .copied()
        .chain(columns.iter().map(|(name, _)| name.as_str()))
        .chain(TAIL.iter().copied())
        .collect();
    let failed = |e: csv::Error| Error::table("mentions", e);
    out.write_record(&header).map_err(failed)?;
    let coder = imported.coder.clone().unwrap_or_default();
    for s in &imported.sessions {
        let session = &s.session;
        for m in &s.mentions {
            let turn = &session.turns[m.turn];
            let speaker = session.speaker_of(turn);
            let theme = imported.codebook.themes[m.theme].id.clone();
            let mut row = vec![
                session.id.clone(),
                session.file.display().to_string(),
                m.line.to_string(),
                (m.turn + 1).to_string(),
                turn.timestamp.map(|t| t.to_string()).unwrap_or_default(),
                speaker.label.clone(),
                speaker.role.as_str().to_string(),
            ];
            for (_, (is_session, key)) in &columns {
                let list = if *is_session { &session.attributes } else { &speaker.attributes };
                row.push(
                    list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default(),
                );
            }
            row.extend([
                theme.clone(),
                m.chars.start.to_string(),
                m.chars.end.to_string(),
                turn.text[m.bytes.clone()].to_string(),
                "manual".to_string(),
                coder.clone(),
                theme,
            ]);
            out.write_record(&row).map_err(failed)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| Error::table("mentions", e.error()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8"))
}

/// The attribute columns, named as `analyze` names them: session attributes, then speaker
/// attributes; a name taken by a fixed column becomes `attr_NAME`, a speaker attribute named
/// like a session one `speaker_NAME`. Each with whether it is a session attribute, and its
/// key.
fn attribute_columns(imported: &Imported) -> Vec<(String, (bool, String))> {
    let fixed = |k: &str| HEAD.contains(&k) || TAIL.contains(&k) || k.starts_with("attr_");
    let mut out: Vec<(String, (bool, String))> = Vec::new();
    let mut keys: Vec<(bool, String)> = Vec::new();
    for s in &imported.sessions {
        for (k, _) in &s.session.attributes {
            if !keys.contains(&(true, k.clone())) {
                keys.push((true, k.clone()));
            }
        }
    }
    for s in &imported.sessions {
        for speaker in &s.session.speakers {
            for (k, _) in &speaker.attributes {
                if !keys.contains(&(false, k.clone())) {
                    keys.push((false, k.clone()));
                }
            }
        }
    }
    for (is_session, k) in keys {
        let mut name = if fixed(&k) { format!("attr_{k}") } else { k.clone() };
        if !is_session && out.iter().any(|(n, _)| *n == name) {
            name = format!("speaker_{k}");
        }
        out.push((name, (is_session, k)));
    }
    out
}
