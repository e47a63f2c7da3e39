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

mod archive;
pub(crate) mod place;
mod project;
mod table;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use archive::Container;
use place::{Placed, SourceReader};
use project::{parse_project, Project, Source};
pub use table::mentions_csv;

use crate::code::corpus::Mention;
use crate::codebook::{normalize_guid, Codebook};
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::model::Session;

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
    /// Their GUID, when the codings give one.
    pub guid: Option<String>,
    /// How many codings of text selections they made.
    pub codings: usize,
}

/// A session read from a project, with the chosen coder's mentions.
#[derive(Debug, Clone)]
pub struct ImportedSession {
    /// The source as a session: its text read as a transcript.
    pub session: Session,
    /// The mentions: ordered by turn, start, end, then codebook order.
    pub mentions: Vec<ImportedMention>,
}

/// A mention read from another tool's coding, with the id of the coding it comes from (a
/// REFI-QDA selection's GUID, a Taguette highlight's id): a coding over several turns gives
/// a mention in each, with the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedMention {
    pub mention: Mention,
    pub coding_id: String,
    /// The line of the coding in the file it was read from (the project, the export).
    pub source_line: usize,
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
    let (codebook, code_guids) = project.codebook(&qde_path, &qde)?;
    for note in &codebook.notes {
        notes.push(format!("codebook: {note}"));
    }
    let code_theme: HashMap<&str, usize> =
        code_guids.iter().enumerate().map(|(i, g)| (g.as_str(), i)).collect();

    let SourceTexts { mut texts, unreadable } = source_texts(&mut container, &project, &qde_path)?;

    let coders = project.coders();
    let coder = choose_coder(&qde_path, &coders, options.coder.as_deref())?;
    let users: HashMap<String, String> = project.users.iter().cloned().collect();

    let rank = crate::code::corpus::theme_ranks(&codebook);
    let mut reader = SourceReader::new(&project);
    let mut sessions = Vec::new();
    let mut session_of = vec![None; project.sources.len()];
    let mut codings = 0;
    let mut skipped = Skipped::default();
    for (i, src) in project.sources.iter().enumerate() {
        let Some((text, file)) = texts[i].take() else { continue };
        session_of[i] = Some(sessions.len());
        let placed = reader.place(src, &text, file, &mut notes);
        let coded = Coded { coder: coder.as_deref(), users: &users, code_theme: &code_theme };
        let mut mentions = coded.mentions(src, &placed, &mut skipped, &mut codings);
        skipped.duplicates += sort_and_dedup(&mut mentions, &rank);
        sessions.push(ImportedSession { session: placed.session, mentions });
    }
    reader.apply_variables(&project, &session_of, &mut sessions);
    notes.extend(reader.notes);
    notes.extend(skipped.notes());
    Ok(Imported { codebook, coders, coder, sessions, codings, notes, unreadable })
}

/// The texts of a project's sources, and why those of coded sources could not be read.
struct SourceTexts {
    texts: Vec<Option<(String, PathBuf)>>,
    unreadable: Vec<String>,
}

/// The text of every source; an error when no coded source has one.
fn source_texts(
    container: &mut Container,
    project: &Project,
    qde_path: &Path,
) -> Result<SourceTexts> {
    let mut texts = Vec::with_capacity(project.sources.len());
    let mut unreadable = Vec::new();
    for src in &project.sources {
        match container.source_text(src, qde_path) {
            Ok(found) => texts.push(Some(found)),
            Err(why) => {
                if src.has_codings() {
                    unreadable.push(format!("source `{}` (line {}): {why}", src.name, src.line));
                }
                texts.push(None);
            }
        }
    }
    let coded_sources = project.sources.iter().filter(|s| s.has_codings()).count();
    if coded_sources > 0 && unreadable.len() == coded_sources {
        return Err(Error::transcript(
            qde_path,
            None,
            format!(
                "the text of {} is not in the project, so no selection can be placed: {}. {}",
                plural_as(coded_sources, "coded text source", "coded text sources"),
                list(&unreadable, 5),
                container.missing_hint()
            ),
        ));
    }
    Ok(SourceTexts { texts, unreadable })
}

/// Whose codings are read, and which theme each code is.
struct Coded<'a> {
    coder: Option<&'a str>,
    users: &'a HashMap<String, String>,
    code_theme: &'a HashMap<&'a str, usize>,
}

impl Coded<'_> {
    /// The mentions of one source's selections coded by the coder, counting the codings
    /// read in `codings` and what was left out in `skipped`.
    fn mentions(
        &self,
        src: &Source,
        placed: &Placed,
        skipped: &mut Skipped,
        codings: &mut usize,
    ) -> Vec<ImportedMention> {
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
                if self.coder != Some(c.coder(sel, self.users).as_str()) {
                    continue;
                }
                let Some(&theme) = c.code.as_deref().and_then(|g| self.code_theme.get(g)) else {
                    skipped.unknown_codes.push(format!(
                        "{} (line {}): it refers to {}",
                        sel.describe(),
                        c.line,
                        c.code.as_deref().map_or("no code".to_string(), |g| format!("code {g}"))
                    ));
                    continue;
                };
                *codings += 1;
                if parts.len() > 1 {
                    skipped.split += 1;
                }
                for part in parts {
                    let turn = &placed.session.turns[part.turn];
                    let mention = Mention {
                        turn: part.turn,
                        theme,
                        line: turn.line_of(part.bytes.start),
                        bytes: part.bytes.clone(),
                        chars: part.chars.clone(),
                        rules: Vec::new(),
                    };
                    let coding_id = sel.guid.clone().unwrap_or_default();
                    mentions.push(ImportedMention { mention, coding_id, source_line: c.line });
                }
            }
        }
        mentions
    }
}

/// Orders `mentions` by turn, start, end, then codebook order (`rank`), and keeps one of
/// those with the same place and theme (the first coding's); returns how many were dropped.
pub(crate) fn sort_and_dedup(mentions: &mut Vec<ImportedMention>, rank: &[usize]) -> usize {
    mentions.sort_by_key(|m| {
        let m = &m.mention;
        (m.turn, m.chars.start, m.chars.end, rank[m.theme])
    });
    let before = mentions.len();
    mentions.dedup_by(|a, b| {
        let (a, b) = (&a.mention, &b.mention);
        a.turn == b.turn && a.chars == b.chars && a.theme == b.theme
    });
    before - mentions.len()
}

/// The coder to read: the one asked for, or the only one.
pub(crate) fn choose_coder(
    path: &Path,
    coders: &[Coder],
    asked: Option<&str>,
) -> Result<Option<String>> {
    let listing = || {
        coders
            .iter()
            .map(|c| format!("{} ({})", c.name, plural_as(c.codings, "coding", "codings")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match asked {
        Some(name) => {
            let wanted = normalize_guid(name);
            coders
                .iter()
                .find(|c| {
                    c.name.to_lowercase() == name.trim().to_lowercase()
                        || (wanted.is_some() && c.guid == wanted)
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
                plural_as(self.uncoded, "selection", "selections")
            ));
        }
        for why in &self.unplaced {
            notes.push(format!("left out {why}"));
        }
        for why in &self.unknown_codes {
            notes.push(format!("left out the coding of {why}, which is not in the codebook"));
        }
        if self.split > 0 {
            notes.push(format!(
                "{} over several turns became one mention per turn",
                plural_as(self.split, "coding", "codings")
            ));
        }
        if self.duplicates > 0 {
            notes.push(format!(
                "{} of the same text with the same code were read once",
                plural_as(self.duplicates, "repeated coding", "repeated codings")
            ));
        }
        notes
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_coder_is_chosen_or_the_coders_are_listed() {
        let coders = [
            Coder { name: "Ana Ruiz".into(), guid: None, codings: 3 },
            Coder {
                name: "Ben".into(),
                guid: Some("9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f".into()),
                codings: 1,
            },
        ];
        let path = Path::new("p.qdpx");
        assert_eq!(
            choose_coder(path, &coders, Some("ana ruiz")).unwrap().as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            choose_coder(path, &coders, None).unwrap_err().to_string(),
            "p.qdpx holds codings by 2 coders; choose one with --coder NAME: Ana Ruiz (3 \
             codings), Ben (1 coding)"
        );
        assert_eq!(
            choose_coder(path, &coders, Some("Cy")).unwrap_err().to_string(),
            "--coder Cy: no coder of that name in p.qdpx; its codings are by Ana Ruiz (3 \
             codings), Ben (1 coding)"
        );
        assert_eq!(choose_coder(path, &coders[1..], None).unwrap().as_deref(), Some("Ben"));
        let by_guid = choose_coder(path, &coders, Some("{9C8D7E6F-5A4B-4C3D-8E2F-1A0B9C8D7E6F}"));
        assert_eq!(by_guid.unwrap().as_deref(), Some("Ben"));
        assert_eq!(choose_coder(path, &[], None).unwrap(), None);
    }
}
