//! Codings made in other QDA tools and exported as tables, read into qualkit's sessions and
//! mentions: Taguette's highlights (`id,document,tag,content`), MAXQDA's coded segments
//! (`Document name`, `Code`, `Beginning`, `End`, `Segment`, …) and ATLAS.ti's quotations (`ID`,
//! `Document`, `Codes`, the quotation's text), as CSV or Excel. REFI-QDA projects, which
//! carry positions, are read by [`crate::refi::import`].
//!
//! - The export is recognised by its header ([`Tool::detect`]); its columns are found by name
//!   (case, spaces and `_` ignored), never by position.
//! - Each coding names its document; the transcripts given are matched to it by file name,
//!   by file name without extension, or by session id (case ignored).
//! - A coding carries no character positions: it is placed by finding its text in the
//!   document ([`place`]), within the paragraphs the export names when it names them
//!   (MAXQDA, ATLAS.ti). A coding over several turns becomes a mention in each, and every
//!   mention keeps the coding's id in the tool (`coding_id`).
//! - Codes become themes: through the codebook given (by id or label), else a codebook made
//!   of the export's codes, nested as the tool writes sub-codes (Taguette `parent.child`,
//!   MAXQDA `Parent\Child` or `Parent > Child`, ATLAS.ti `Parent::Child`).
//! - What cannot be placed (a document not among the transcripts, a text not found in its
//!   document) is listed with the coding's id, line and the start of its text; the command
//!   then exits with code 3.

mod atlasti;
mod maxqda;
mod place;
pub mod sheet;
mod taguette;

use std::collections::HashMap;
use std::path::Path;

use crate::code::corpus::{theme_ranks, Mention};
use crate::codebook::Codebook;
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::model::Session;
use crate::refi::import::{sort_and_dedup, Coder, Imported, ImportedMention, ImportedSession};
use place::{Finder, How};
use sheet::Sheet;

/// A tool whose coding export is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Taguette,
    Maxqda,
    Atlasti,
}

impl Tool {
    /// The tool's name, as messages and `import` name it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Taguette => "Taguette",
            Tool::Maxqda => "MAXQDA",
            Tool::Atlasti => "ATLAS.ti",
        }
    }

    /// The tool whose export has this header, if any.
    pub fn detect(sheet: &Sheet) -> Option<Tool> {
        let has = |names: &[&str]| sheet.column(names).is_some();
        if has(&["tag"]) && has(&["document"]) && has(&["content"]) {
            Some(Tool::Taguette)
        } else if has(maxqda::DOCUMENT) && has(maxqda::CODE) && has(maxqda::SEGMENT) {
            Some(Tool::Maxqda)
        } else if has(atlasti::DOCUMENT) && has(atlasti::CODES) && has(atlasti::CONTENT) {
            Some(Tool::Atlasti)
        } else {
            None
        }
    }

    /// What its export must hold, for messages.
    fn expected(self) -> &'static str {
        match self {
            Tool::Taguette => "Taguette's highlights export has the columns `id,document,tag,content`",
            Tool::Maxqda => "MAXQDA's coded segments export has the columns `Document name`, `Code`, `Beginning`, `End` and `Segment`",
            Tool::Atlasti => "ATLAS.ti's quotation export has the columns `ID`, `Document`, `Codes` and the quotation's `Content`",
        }
    }
}

/// One coding of an export, before it is placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    /// The line (CSV) or row (workbook) of the export.
    pub line: usize,
    /// The coding's id in the tool.
    pub id: String,
    pub document: String,
    /// The code, as its path from the top (one segment for Taguette, whose dotted names
    /// nest as its codebook's do).
    pub code: Vec<String>,
    /// The coded text, as the tool exported it.
    pub content: String,
    /// The 1-based paragraphs of the document the coding covers, first and last.
    pub paragraphs: Option<(usize, usize)>,
    /// Who made it, when the export says.
    pub coder: Option<String>,
}

/// An export read: its tool and codings.
#[derive(Debug, Clone)]
pub struct Export {
    pub tool: Tool,
    pub codings: Vec<Coded>,
}

/// The export at `path` when it is one (a CSV file or workbook whose header is an export's);
/// `None` for any other file (or one that cannot be read as a table).
pub fn sniff(path: &Path) -> Result<Option<Export>> {
    if path.is_dir() {
        return Ok(None);
    }
    match sheet::read(path) {
        Ok(sheet) => export_of(&sheet).transpose(),
        Err(_) => Ok(None),
    }
}

/// The coders an export names (`Created by`), in order; empty when it names none.
pub fn named_coders(export: &Export) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &export.codings {
        if let Some(who) = &c.coder {
            if !out.contains(who) {
                out.push(who.clone());
            }
        }
    }
    out
}

/// Reads the export at `path` (CSV or Excel); an error when it is none that qualkit reads.
pub fn read_export(path: &Path) -> Result<Export> {
    let sheet = sheet::read(path)?;
    export_of(&sheet).ok_or_else(|| {
        Error::coding(
            path,
            Some(1),
            format!(
                "the header ({}) is not one of a coding export qualkit reads: {}; {}; {}",
                sheet.listed(),
                Tool::Taguette.expected(),
                Tool::Maxqda.expected(),
                Tool::Atlasti.expected()
            ),
        )
    })?
}

/// The export `sheet` is, if its header is one's.
pub fn export_of(sheet: &Sheet) -> Option<Result<Export>> {
    let tool = Tool::detect(sheet)?;
    let codings = match tool {
        Tool::Taguette => taguette::codings(sheet),
        Tool::Maxqda => maxqda::codings(sheet),
        Tool::Atlasti => atlasti::codings(sheet),
    };
    Some(codings.map(|codings| Export { tool, codings }))
}

/// How to import an export.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The codebook whose themes the codes are (by id or label); `None`: one made of the
    /// export's codes.
    pub codebook: Option<&'a Codebook>,
    /// The coder whose codings are read, when the export names several.
    pub coder: Option<String>,
    /// The coder's name when the export names none.
    pub default_coder: String,
}

/// Places the codings of `export` (read from `path`) on `sessions`.
pub fn import(
    path: &Path,
    export: &Export,
    sessions: &[Session],
    options: &Options,
) -> Result<Imported> {
    let (coders, coder) = coders(path, export, options)?;
    let codings: Vec<&Coded> = export
        .codings
        .iter()
        .filter(|c| c.coder.as_deref().is_none_or(|who| Some(who) == coder.as_deref()))
        .collect();
    let (codebook, theme_of, mut notes) = themes(path, export.tool, &codings, options.codebook)?;
    let mut documents = match_documents(&codings, sessions);
    notes.extend(match_by_text(&codings, &mut documents, sessions));
    let rank = theme_ranks(&codebook);
    let mut placing = Placing::default();
    let mut out: Vec<ImportedSession> = Vec::new();
    for (si, session) in sessions.iter().enumerate() {
        let mine: Vec<&&Coded> =
            codings.iter().filter(|c| documents.get(&c.document) == Some(&Some(si))).collect();
        if mine.is_empty() {
            continue;
        }
        let mut finder = Finder::new(session);
        let mut mentions = Vec::new();
        for c in mine {
            let Some(&theme) = theme_of.get(&c.code) else { continue };
            placing.place(&mut finder, session, c, theme, &mut mentions);
        }
        placing.duplicates += sort_and_dedup(&mut mentions, &rank);
        out.push(ImportedSession { session: session.clone(), mentions });
    }
    notes.extend(placing.notes(export.tool));
    let mut unreadable = unmatched_documents(&codings, &documents, sessions);
    unreadable.extend(placing.not_found);
    Ok(Imported {
        codebook,
        coders,
        coder,
        sessions: out,
        codings: placing.placed,
        notes,
        unreadable,
    })
}

/// The coders of the export and the one read.
fn coders(path: &Path, export: &Export, options: &Options) -> Result<(Vec<Coder>, Option<String>)> {
    let mut coders: Vec<Coder> = Vec::new();
    for c in &export.codings {
        let name = c.coder.clone().unwrap_or_else(|| options.default_coder.clone());
        match coders.iter_mut().find(|k| k.name == name) {
            Some(k) => k.codings += 1,
            None => coders.push(Coder { name, guid: None, codings: 1 }),
        }
    }
    let named = export.codings.iter().any(|c| c.coder.is_some());
    if !named {
        let name = options.coder.clone().unwrap_or_else(|| options.default_coder.clone());
        coders.iter_mut().for_each(|c| c.name = name.clone());
        return Ok((coders, Some(name)));
    }
    let coder = crate::refi::import::choose_coder(path, &coders, options.coder.as_deref())?;
    Ok((coders, coder))
}

/// The codebook, the theme of each code path, and what was noticed.
type Themes = (Codebook, HashMap<Vec<String>, usize>, Vec<String>);

/// The themes of the codes: the given codebook's, or a codebook of the codes.
fn themes(path: &Path, tool: Tool, codings: &[&Coded], given: Option<&Codebook>) -> Result<Themes> {
    let mut paths: Vec<&Vec<String>> = Vec::new();
    for c in codings {
        if !paths.contains(&&c.code) {
            paths.push(&c.code);
        }
    }
    let mut notes = Vec::new();
    let Some(cb) = given else {
        let (cb, theme_of) = codebook_of(path, tool, &paths)?;
        notes.extend(cb.notes.iter().map(|n| format!("codebook: {n}")));
        return Ok((cb, theme_of, notes));
    };
    let mut theme_of = HashMap::new();
    let mut unknown = Vec::new();
    for p in paths {
        match theme_in(cb, p) {
            Some(t) => {
                theme_of.insert(p.clone(), t);
            }
            None => unknown.push(format!("`{}`", p.join(" > "))),
        }
    }
    if !unknown.is_empty() {
        notes.push(format!(
            "left out the codings of {} that the codebook has no theme for (by id or label): {}",
            plural_as(unknown.len(), "code", "codes"),
            unknown.join(", ")
        ));
    }
    Ok((cb.clone(), theme_of, notes))
}

/// The theme of `cb` a code path names: by the id made of its path or of its last part, or
/// by its label (case ignored).
fn theme_in(cb: &Codebook, path: &[String]) -> Option<usize> {
    let last = path.last()?;
    let last_part = last.rsplit('.').next().unwrap_or(last);
    let ids = [id_of(&path.join("_")), id_of(last), id_of(last_part)];
    let labels = [path.join(" > ").to_lowercase(), last.to_lowercase(), last_part.to_lowercase()];
    cb.themes
        .iter()
        .position(|t| ids.contains(&t.id))
        .or_else(|| cb.themes.iter().position(|t| labels.contains(&t.label.trim().to_lowercase())))
}

/// A theme id made from a code's name, as the `.qdc` reader makes them.
fn id_of(name: &str) -> String {
    crate::codebook::id_from_code_name(name)
}

/// A codebook of the code paths: each path's parts as nested codes, named `Parent.Child` as
/// Taguette names them, so that every tool's sub-codes get the same ids (`funding_grants`)
/// and labels (`Grants`).
fn codebook_of(
    path: &Path,
    tool: Tool,
    paths: &[&Vec<String>],
) -> Result<(Codebook, HashMap<Vec<String>, usize>)> {
    let mut listed: Vec<String> = Vec::new();
    let mut index_of: HashMap<Vec<String>, usize> = HashMap::new();
    for p in paths {
        for depth in 1..=p.len() {
            let prefix = p[..depth].to_vec();
            if !index_of.contains_key(&prefix) {
                index_of.insert(prefix.clone(), listed.len());
                listed.push(prefix.join("."));
            }
        }
    }
    let file = path.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let name = format!("{} codes of {file}", tool.name());
    let cb = Codebook::of_code_list(path, &name, listed.into_iter().map(|n| (n, None)).collect())?;
    Ok((cb, index_of))
}

/// The session of each document the codings name (`None`: no transcript of that name).
fn match_documents(codings: &[&Coded], sessions: &[Session]) -> HashMap<String, Option<usize>> {
    let key = |s: &str| s.trim().to_lowercase();
    let stem = |s: &str| {
        let s = key(s);
        match s.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && ext.len() <= 4 && !ext.contains(' ') => {
                stem.to_string()
            }
            _ => s,
        }
    };
    let mut out = HashMap::new();
    for c in codings {
        if out.contains_key(&c.document) {
            continue;
        }
        let wanted = key(&c.document);
        let names = |s: &Session| {
            let file =
                s.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            [key(&file), key(&s.id)]
        };
        let found = sessions.iter().position(|s| names(s).contains(&wanted)).or_else(|| {
            sessions.iter().position(|s| names(s).iter().any(|n| stem(n) == stem(&wanted)))
        });
        out.insert(c.document.clone(), found);
    }
    out
}

/// The codings of a document no transcript is named like are looked for in the transcripts
/// not matched by name (a tool's document is often named otherwise than its file): the
/// transcript holding the most of its first codings' texts (at least half of them, and more
/// than any other) is the document's. Returns a note per document so matched.
fn match_by_text(
    codings: &[&Coded],
    documents: &mut HashMap<String, Option<usize>>,
    sessions: &[Session],
) -> Vec<String> {
    let mut unmatched: Vec<&str> =
        documents.iter().filter(|(_, s)| s.is_none()).map(|(d, _)| d.as_str()).collect();
    unmatched.sort_unstable();
    if unmatched.is_empty() {
        return Vec::new();
    }
    let mut taken: Vec<usize> = documents.values().flatten().copied().collect();
    let texts: Vec<[String; 2]> = sessions.iter().map(place::searchable).collect();
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for document in unmatched {
        let sample: Vec<String> = codings
            .iter()
            .filter(|c| c.document == document && c.content.trim().chars().count() >= 15)
            .map(|c| place::normalised(&c.content))
            .take(8)
            .collect();
        if sample.is_empty() {
            continue;
        }
        let hits = |s: usize| {
            sample.iter().filter(|t| texts[s].iter().any(|text| text.contains(t.as_str()))).count()
        };
        let mut scored: Vec<(usize, usize)> = (0..sessions.len())
            .filter(|s| !taken.contains(s))
            .map(|s| (hits(s), s))
            .filter(|&(h, _)| 2 * h >= sample.len() && h > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let best = match scored.as_slice() {
            [(h, s)] => Some((*h, *s)),
            [(h, s), (next, _), ..] if h > next => Some((*h, *s)),
            _ => None,
        };
        if let Some((h, s)) = best {
            taken.push(s);
            found.push((document.to_string(), s));
            let file = sessions[s].file.display();
            notes.push(format!(
                "document `{document}` matched to the transcript {file} by its codings' text \
                 ({h} of {} found there), as no transcript is named like it",
                sample.len()
            ));
        }
    }
    for (document, s) in found {
        documents.insert(document, Some(s));
    }
    notes
}

/// One sentence per document no transcript is named like.
fn unmatched_documents(
    codings: &[&Coded],
    documents: &HashMap<String, Option<usize>>,
    sessions: &[Session],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in codings {
        if documents.get(&c.document) != Some(&None) || seen.contains(&c.document.as_str()) {
            continue;
        }
        seen.push(&c.document);
        let rows: Vec<String> = codings
            .iter()
            .filter(|o| o.document == c.document)
            .map(|o| o.line.to_string())
            .collect();
        let given: Vec<String> = sessions
            .iter()
            .take(6)
            .map(|s| {
                s.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            })
            .collect();
        out.push(format!(
            "document `{}` ({} on {} {}): no transcript of that name among those given ({}{}); give its file with --transcripts",
            c.document,
            plural_as(rows.len(), "coding", "codings"),
            if rows.len() == 1 { "line" } else { "lines" },
            rows.join(", "),
            given.join(", "),
            if sessions.len() > 6 { ", …" } else { "" }
        ));
    }
    out
}

/// Placing codings, and what it found.
#[derive(Default)]
struct Placing {
    placed: usize,
    normalised: usize,
    without_labels: usize,
    by_paragraphs: usize,
    outside_paragraphs: usize,
    duplicates: usize,
    not_found: Vec<String>,
}

impl Placing {
    /// Places coding `c` of theme `theme` on `session`, adding its mentions.
    fn place(
        &mut self,
        finder: &mut Finder,
        session: &Session,
        c: &Coded,
        theme: usize,
        mentions: &mut Vec<ImportedMention>,
    ) {
        let code = c.code.join("\u{1f}");
        let within = c.paragraphs.and_then(|(a, b)| {
            finder.paragraph_turns(a, b, false).or_else(|| finder.paragraph_turns(a, b, true))
        });
        let mut found = finder.find(&c.content, &code, within.as_ref());
        if found.is_none() && within.is_some() {
            found = finder.find(&c.content, &code, None);
            if found.is_some() {
                self.outside_paragraphs += 1;
            }
        }
        let parts = match (found, &within) {
            (Some((parts, how)), _) => {
                match how {
                    How::Exact => {}
                    How::Normalised => self.normalised += 1,
                    How::WithoutLabels => self.without_labels += 1,
                }
                parts
            }
            (None, Some(turns)) if c.content.trim().is_empty() => {
                self.by_paragraphs += 1;
                finder.whole_turns(turns.clone())
            }
            _ => {
                self.not_found.push(format!(
                    "coding {} (line {}) in `{}`, \"{}\": its text is not in the transcript",
                    c.id,
                    c.line,
                    c.document,
                    start_of(&c.content)
                ));
                return;
            }
        };
        self.placed += 1;
        for part in parts {
            let turn = &session.turns[part.turn];
            let mention = Mention {
                turn: part.turn,
                theme,
                line: turn.line_of(part.bytes.start),
                bytes: part.bytes,
                chars: part.chars,
                rules: Vec::new(),
            };
            mentions.push(ImportedMention {
                mention,
                coding_id: c.id.clone(),
                source_line: c.line,
            });
        }
    }

    /// What placing noticed, one sentence each.
    fn notes(&self, tool: Tool) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |n: usize, what: &str| {
            if n > 0 {
                notes.push(format!("{} {what}", plural_as(n, "coding", "codings")));
            }
        };
        note(
            self.normalised,
            "placed by their text with white space, quotes, dashes and case normalised",
        );
        let bare = format!(
            "placed by their text without speaker labels and times (as {} showed the transcript)",
            tool.name()
        );
        note(self.without_labels, &bare);
        note(
            self.outside_paragraphs,
            "found outside the paragraphs the export names (placed by their text)",
        );
        note(self.by_paragraphs, "without text placed on the whole turns of their paragraphs");
        note(self.duplicates, "coded twice at the same place with the same theme kept once");
        notes
    }
}

/// The first words of a coding's text, for messages.
fn start_of(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}
