//! Ingest: finds transcript files under the paths the user gave, reads and decodes them, and
//! turns each into a [`Session`] with the reader for its format.
//!
//! This is one of the two layers that touch the filesystem (the other is `report`).

pub mod admit;
pub mod decode;
pub mod inspect;
pub mod office;
pub mod participants;
pub mod questions;
pub mod subtitles;
pub mod table;
pub mod text;
pub(crate) mod timestamp;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::display::plural;
use crate::error::{Error, Result};
use crate::model::{Format, Session, Warning, WarningKind};
use participants::Participants;

/// The file extensions read as transcripts, and the format of each.
const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Text),
    ("md", Format::Text),
    ("vtt", Format::Vtt),
    ("srt", Format::Srt),
    ("sbv", Format::Sbv),
    ("docx", Format::Docx),
    ("odt", Format::Odt),
    ("csv", Format::Csv),
    ("tsv", Format::Tsv),
];

/// The extensions qualkit reads, for messages: `.txt, .md, …`.
fn extension_list() -> String {
    EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

/// The format of a transcript file, from its extension.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?;
    EXTENSIONS.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)).map(|(_, f)| *f)
}

/// The session id of a file that does not name its session: the file name without its
/// extension.
pub(crate) fn default_session_id(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// How transcripts are read: the options shared by `analyze` and `transcripts inspect`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Read every file as this format, whatever its extension (`--format`).
    pub format: Option<Format>,
    /// Options of the text-based readers (`--speaker-pattern`).
    pub text: text::TextOptions,
    /// Column names for CSV/TSV transcripts.
    pub columns: table::Columns,
    /// Replace invalid bytes instead of failing (`--lossy`).
    pub lossy: bool,
    /// The interview guide the questions are matched to (`--guide`).
    pub guide: Option<questions::Guide>,
}

/// A transcript file found under the input paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as the user named it (joined with the folder walk).
    pub path: PathBuf,
    /// Found by searching a folder (rather than named by the user): a table in it that is
    /// not a transcript is passed over instead of being an error.
    pub in_folder: bool,
}

impl InputFile {
    /// A file the user named.
    pub fn named(path: impl Into<PathBuf>) -> InputFile {
        InputFile { path: path.into(), in_folder: false }
    }
}

/// Why a file under the input paths was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// Its extension is not a transcript format.
    NotTranscript,
    /// A hidden file or folder (name starting with `.`).
    Hidden,
    /// A Word lock file (`~$name.docx`), left while a document is open.
    LockFile,
    /// The report folder, or the participants file.
    OwnFile,
    /// A table without `speaker` and `text` columns, found in a folder.
    NotTranscriptTable,
}

/// A file (or folder) that was passed over, for the note on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// The files found under the input paths, and those passed over.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    /// Transcript files, in the order given (folders in name order).
    pub files: Vec<InputFile>,
    /// Files and folders not read.
    pub skipped: Vec<Skipped>,
}

impl Discovered {
    /// A one-line note about the skipped files (`None` when nothing was skipped).
    pub fn note(&self) -> Option<String> {
        self.note_of_skipped(true)
    }

    /// [`Self::note`], naming the extensions qualkit reads when `extensions` (a message that
    /// names them already leaves them out).
    fn note_of_skipped(&self, extensions: bool) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let of = |reason: SkipReason| {
            self.skipped
                .iter()
                .filter(move |s| s.reason == reason)
                .map(|s| s.path.display().to_string())
        };
        let mut parts = Vec::new();
        let other: Vec<String> = of(SkipReason::NotTranscript).collect();
        if !other.is_empty() {
            let shown: Vec<String> = other.iter().take(5).cloned().collect();
            let more = if other.len() > 5 {
                format!(" and {} more", other.len() - 5)
            } else {
                String::new()
            };
            let reads = if extensions {
                format!("; qualkit reads {}", extension_list())
            } else {
                String::new()
            };
            parts.push(format!(
                "{} of another format ({}{more}{reads})",
                plural(other.len(), "file"),
                shown.join(", "),
            ));
        }
        let hidden = of(SkipReason::Hidden).count();
        if hidden > 0 {
            parts.push(if hidden == 1 {
                "1 hidden file or folder".to_string()
            } else {
                format!("{hidden} hidden files or folders")
            });
        }
        let tables: Vec<String> = of(SkipReason::NotTranscriptTable).collect();
        if !tables.is_empty() {
            parts.push(format!(
                "{} without `speaker` and `text` columns ({})",
                plural(tables.len(), "table"),
                tables.join(", ")
            ));
        }
        let locks = of(SkipReason::LockFile).count();
        if locks > 0 {
            parts.push(format!(
                "{} Word lock {}",
                locks,
                if locks == 1 { "file" } else { "files" }
            ));
        }
        let own: Vec<String> = of(SkipReason::OwnFile).collect();
        if !own.is_empty() {
            parts.push(format!("qualkit's own {}", own.join(", ")));
        }
        Some(format!("skipped {}", parts.join("; ")))
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_lock_file(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with("~$"))
}

/// Expands the user's paths into transcript files: files as given, folders searched
/// recursively in name order. Passed over, and listed in [`Discovered::skipped`]: files of
/// other formats (unless `format` forces one for every file), hidden files and folders, Word
/// lock files, and the paths in `own` (the report folder, the participants file).
pub fn discover(paths: &[PathBuf], own: &[&Path], format: Option<Format>) -> Result<Discovered> {
    let own: Vec<PathBuf> = own.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let is_own = |p: &Path| p.canonicalize().is_ok_and(|c| own.contains(&c));
    let wanted = |p: &Path| format.is_some() || format_of(p).is_some();
    let mut found = Discovered::default();
    let mut skip = |path: &Path, reason| {
        found.skipped.push(Skipped { path: path.to_path_buf(), reason });
    };
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
        if meta.is_file() {
            if is_own(path) {
                skip(path, SkipReason::OwnFile);
            } else if wanted(path) {
                files.push(InputFile::named(path.clone()));
            } else {
                skip(path, SkipReason::NotTranscript);
            }
            continue;
        }
        let mut walker = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let entry = entry.map_err(|e| {
                let at = e.path().unwrap_or(path).to_path_buf();
                let source =
                    e.into_io_error().unwrap_or_else(|| std::io::Error::other("folder loop"));
                Error::io(&at, "read folder", source)
            })?;
            if entry.depth() == 0 {
                continue;
            }
            let is_dir = entry.file_type().is_dir();
            let reason = if is_hidden(entry.file_name()) {
                Some(SkipReason::Hidden)
            } else if is_own(entry.path()) {
                Some(SkipReason::OwnFile)
            } else if is_dir {
                None
            } else if is_lock_file(entry.file_name()) {
                Some(SkipReason::LockFile)
            } else if !entry.file_type().is_file() || !wanted(entry.path()) {
                Some(SkipReason::NotTranscript)
            } else {
                files.push(InputFile { path: entry.path().to_path_buf(), in_folder: true });
                None
            };
            if let Some(reason) = reason {
                skip(entry.path(), reason);
                if is_dir {
                    walker.skip_current_dir();
                }
            }
        }
    }
    found.files = files;
    if found.files.is_empty() {
        return Err(Error::Usage(format!(
            "no transcripts found in {}; qualkit reads files ending in {}{}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            extension_list(),
            found.note_of_skipped(false).map(|n| format!("; {n}")).unwrap_or_default()
        )));
    }
    Ok(found)
}

/// Reads one transcript file into its sessions (a table may hold several; every other
/// format holds one). A table found in a folder that has neither a speaker nor a text
/// column is not a transcript: it gives no sessions (see [`load`]).
pub fn read(file: &InputFile, options: &ReadOptions) -> Result<Vec<Session>> {
    let path = &file.path;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    read_bytes(file, bytes, options)
}

/// A file read with [`read_hashed`]: its bytes' SHA-256 and size, and what its reader made
/// of them.
#[derive(Debug)]
pub struct HashedRead {
    /// The SHA-256 of the file's bytes and their number (`None`: the file could not be read
    /// at all).
    pub digest: Option<([u8; 32], u64)>,
    /// The sessions read, or why the file could not be read.
    pub sessions: Result<Vec<Session>>,
}

/// [`read`], hashing the file's bytes (SHA-256) as they are read: the file is read once.
/// A file whose bytes were read but that its reader refused still has its digest.
pub fn read_hashed(file: &InputFile, options: &ReadOptions) -> HashedRead {
    use sha2::Digest;
    let path = &file.path;
    match std::fs::read(path) {
        Ok(bytes) => {
            let digest = (sha2::Sha256::digest(&bytes).into(), bytes.len() as u64);
            HashedRead { digest: Some(digest), sessions: read_bytes(file, bytes, options) }
        }
        Err(e) => HashedRead { digest: None, sessions: Err(Error::io(path, "read", e)) },
    }
}

/// The format `file` is read as: `--format`, else its extension's, else text.
pub fn format_for(file: &InputFile, options: &ReadOptions) -> Format {
    options.format.or_else(|| format_of(&file.path)).unwrap_or(Format::Text)
}

/// Reads the content `bytes` of `file` (see [`read`]) with the reader for its format
/// ([`format_for`]), then decides each session's moderator and questions
/// ([`questions::finish`]). Whatever the bytes, the result is sessions or an error that names
/// the file; this is what the fuzz targets and property tests drive.
pub fn read_bytes(file: &InputFile, bytes: Vec<u8>, options: &ReadOptions) -> Result<Vec<Session>> {
    let mut sessions = parse_bytes(file, bytes, options)?;
    for s in &mut sessions {
        questions::finish(s, options.guide.as_ref());
    }
    Ok(sessions)
}

/// The sessions of a file's bytes, as its format's reader gives them.
fn parse_bytes(file: &InputFile, bytes: Vec<u8>, options: &ReadOptions) -> Result<Vec<Session>> {
    let path = &file.path;
    let format = format_for(file, options);
    if matches!(format, Format::Docx | Format::Odt) {
        let paragraphs = document_paragraphs(path, &bytes, format)?;
        return Ok(vec![text::parse_paragraphs(path, &paragraphs, format, &options.text)?]);
    }
    let decoded = decode::decode(path, bytes, options.lossy)?;
    let text = &decoded.text;
    let mut sessions = match format {
        Format::Text => vec![text::parse(path, text, &options.text)?],
        Format::Vtt => vec![subtitles::parse_vtt(path, text)?],
        Format::Srt => vec![subtitles::parse_srt(path, text)?],
        Format::Sbv => vec![subtitles::parse_sbv(path, text)?],
        Format::Csv | Format::Tsv => {
            if file.in_folder && !table::is_transcript_table(text, format, &options.columns) {
                return Ok(Vec::new());
            }
            table::parse(path, text, format, &options.columns)?
        }
        Format::Docx | Format::Odt => unreachable!("documents are read above"),
    };
    if let Some((count, offset)) = decoded.replaced {
        for s in &mut sessions {
            s.warnings.insert(
                0,
                Warning::new(
                    None,
                    WarningKind::Decoding,
                    format!(
                        "{} replaced with U+FFFD (first at byte offset {offset}); the words \
                         around them may be garbled",
                        plural(count, "invalid byte sequence")
                    ),
                ),
            );
        }
    }
    Ok(sessions)
}

/// The paragraphs of a Word or OpenDocument file.
fn document_paragraphs(
    path: &Path,
    bytes: &[u8],
    format: Format,
) -> Result<Vec<office::DocParagraph>> {
    if format == Format::Odt {
        office::odt_paragraphs(path, bytes)
    } else {
        office::docx_paragraphs(path, bytes)
    }
}

/// What reading a batch of files gave.
#[derive(Debug, Default)]
pub struct Batch {
    /// The sessions read, in input order.
    pub sessions: Vec<Session>,
    /// The files that could not be read, in input order, each with its error.
    pub failed: Vec<Error>,
    /// Files passed over (see [`discover`]).
    pub discovered: Discovered,
    /// Notes about the participants file (rows that matched no speaker).
    pub notes: Vec<String>,
}

impl Batch {
    /// Every reader warning, as `file[:line]: message` lines, in input order.
    pub fn warnings(&self) -> Vec<String> {
        self.sessions.iter().flat_map(warning_lines).collect()
    }
}

/// A session's reader warnings, as `file[:line]: message` lines.
pub fn warning_lines(s: &Session) -> Vec<String> {
    s.warnings
        .iter()
        .map(|w| {
            let at = crate::error::Location::new(&s.file, w.line);
            format!("{at}: {}{}", session_prefix(s), w.message)
        })
        .collect()
}

/// `session ID: ` for files that hold several sessions (tables), else nothing.
fn session_prefix(s: &Session) -> String {
    if matches!(s.format, Format::Csv | Format::Tsv) {
        format!("session {}: ", s.id)
    } else {
        String::new()
    }
}

/// Finds, reads (in parallel) and admits the transcripts under `paths`, applying the
/// participants file, by the rules of [`admit`]. A file that cannot be read is kept in
/// [`Batch::failed`] and the others are read, unless `strict`: then the first failure (in
/// input order) is the error.
pub fn load(
    paths: &[PathBuf],
    own: &[&Path],
    options: &ReadOptions,
    participants: Option<&Participants>,
    strict: bool,
) -> Result<Batch> {
    let discovered = discover(paths, own, options.format)?;
    let results: Vec<Result<Vec<admit::WithRows>>> = discovered
        .files
        .par_iter()
        .map(|f| read(f, options).map(|s| admit::with_participants(s, participants, options)))
        .collect();
    let mut admission = admit::Admission::new(participants, strict);
    let mut sessions = Vec::new();
    for (file, result) in discovered.files.iter().zip(results) {
        let admitted = admission.file(&file.path, result)?;
        sessions.extend(admitted.sessions.into_iter().map(|(s, _)| s));
    }
    let notes = admission.notes();
    let mut discovered = discovered;
    discovered.skipped.append(&mut admission.not_tables);
    Ok(Batch { sessions, failed: admission.failed, discovered, notes })
}
