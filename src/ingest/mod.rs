//! Ingest: finds transcript files under the paths the user gave, reads and decodes them, and
//! turns each into a [`Session`] with the reader for its format.
//!
//! This is one of the two layers that touch the filesystem (the other is `report`).

pub mod decode;
pub mod office;
pub mod subtitles;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Format, Session};

/// The file extensions read as transcripts, and the format of each.
const EXTENSIONS: &[(&str, Format)] =
    &[("txt", Format::Text), ("md", Format::Text), ("vtt", Format::Vtt), ("srt", Format::Srt)];

/// The extensions qualkit reads, for messages: `.txt, .md, …`.
fn extension_list() -> String {
    EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

/// The format of a transcript file, from its extension.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?;
    EXTENSIONS.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)).map(|(_, f)| *f)
}

/// A transcript file found under the input paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as the user named it (joined with the folder walk).
    pub path: PathBuf,
}

/// Whether `path` has an extension qualkit reads.
fn is_transcript(path: &Path) -> bool {
    format_of(path).is_some()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Expands the user's paths into transcript files: files as given, folders searched
/// recursively in name order (hidden files and folders, other extensions and the folder
/// `skip` — the report folder — left out).
pub fn discover(paths: &[PathBuf], skip: Option<&Path>) -> Result<Vec<InputFile>> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
        if meta.is_file() {
            if !is_transcript(path) {
                return Err(Error::Usage(format!(
                    "{}: not a transcript format qualkit reads (expected one of: {})",
                    path.display(),
                    extension_list()
                )));
            }
            files.push(InputFile { path: path.clone() });
            continue;
        }
        let walker =
            walkdir::WalkDir::new(path).sort_by_file_name().into_iter().filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || (e.file_type().is_dir()
                            && skip
                                .as_ref()
                                .is_some_and(|s| e.path().canonicalize().ok().as_ref() == Some(s))))
            });
        for entry in walker {
            let entry = entry.map_err(|e| {
                let at = e.path().unwrap_or(path).to_path_buf();
                let source =
                    e.into_io_error().unwrap_or_else(|| std::io::Error::other("folder loop"));
                Error::io(&at, "read folder", source)
            })?;
            if entry.file_type().is_file() && is_transcript(entry.path()) {
                files.push(InputFile { path: entry.path().to_path_buf() });
            }
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no transcripts found in {}; qualkit reads files ending in {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            extension_list()
        )));
    }
    Ok(files)
}

/// Reads one transcript file into a session.
pub fn read(file: &InputFile) -> Result<Session> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, "read", e))?;
    let text = decode::decode_utf8(&file.path, bytes)?;
    match format_of(&file.path).unwrap_or(Format::Text) {
        Format::Text => text::parse(&file.path, &text),
        Format::Vtt => subtitles::parse_vtt(&file.path, &text),
        Format::Srt => subtitles::parse_srt(&file.path, &text),
    }
}

/// Checks that no two sessions share an id.
pub fn check_unique_sessions(sessions: &[Session]) -> Result<()> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for s in sessions {
        if let Some(first) = seen.insert(&s.id, &s.file) {
            return Err(Error::Transcript {
                location: crate::error::Location::new(&s.file, None),
                message: format!(
                    "session id `{}` is also used by {}; give each file its own `session:` \
                     in its front matter",
                    s.id,
                    first.display()
                ),
            });
        }
    }
    Ok(())
}
