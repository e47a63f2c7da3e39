//! `manifest.json`: the provenance of a report folder — the qualkit version, the command line
//! and the options that shape the reports, the codebook, every input file with its SHA-256
//! and what was read from it, and the SHA-256 of every other file of the folder. It holds no
//! clock time, so the same inputs and options give the same manifest byte for byte.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::output::Hashed;
use crate::error::{Error, Result};
use crate::summary::Summary;

/// The manifest's file name in a report folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The version of the manifest's layout; a reader refuses a newer one.
pub const MANIFEST_VERSION: u32 = 1;

/// The provenance of one report folder (see the module documentation and README.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout of this file ([`MANIFEST_VERSION`]).
    pub manifest_version: u32,
    /// The qualkit version that wrote the reports.
    pub qualkit_version: String,
    /// The command that wrote them.
    pub command: Command,
    /// The codebook file.
    pub codebook: HashedFile,
    /// The participants file, when one was given.
    pub participants: Option<HashedFile>,
    /// Every transcript file found, in input order (also those that could not be read).
    pub inputs: Vec<InputRecord>,
    /// Corpus-wide counts.
    pub totals: Totals,
    /// Every other file of the report folder, by name.
    pub outputs: Vec<OutputRecord>,
}

/// The command line and the options that shape the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// The command line as given, the program written `qualkit`; `--threads` is left out,
    /// as the reports are the same for any number of threads.
    pub args: Vec<String>,
    /// The options after defaults were applied.
    pub options: RunOptions,
}

/// The resolved options of an `analyze` run: everything that shapes the reports (not
/// `--threads`, `--quiet` or `--force`). Paths are as the user gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    /// Transcript files and folders.
    pub paths: Vec<String>,
    /// The codebook.
    pub codebook: String,
    /// The report folder.
    pub out: String,
    /// `--unit`.
    pub unit: String,
    /// `--include-moderators`.
    pub include_moderators: bool,
    /// `--max-quotes` (0: all).
    pub max_quotes: usize,
    /// `--summary-quotes`.
    #[serde(default)]
    pub summary_quotes: usize,
    /// `--summary-by`.
    #[serde(default)]
    pub summary_by: String,
    /// `--cases`.
    #[serde(default)]
    pub cases: String,
    /// `--tables`: `all`, `summary` or the reports listed.
    #[serde(default)]
    pub tables: String,
    /// `--mentions`: the forms of the streamed tables.
    #[serde(default)]
    pub mentions: String,
    /// `--compare-by`.
    pub compare_by: Option<String>,
    /// `--compare-groups`.
    pub compare_groups: Option<Vec<String>>,
    /// `--format` (every file read as this format).
    pub format: Option<String>,
    /// `--participants`.
    pub participants: Option<String>,
    /// `--guide`.
    #[serde(default)]
    pub guide: Option<String>,
    /// `--speaker-pattern`.
    pub speaker_pattern: Option<String>,
    /// `--speaker-column`.
    pub speaker_column: Option<String>,
    /// `--text-column`.
    pub text_column: Option<String>,
    /// `--session-column`.
    pub session_column: Option<String>,
    /// `--timestamp-column`.
    pub timestamp_column: Option<String>,
    /// `--role-column`.
    pub role_column: Option<String>,
    /// `--lossy`.
    pub lossy: bool,
    /// `--strict`.
    pub strict: bool,
}

/// A file named by path, with its SHA-256 (lowercase hex) and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedFile {
    /// The path as the user gave it.
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl HashedFile {
    /// Reads and hashes the file at `path`.
    pub fn of(path: &Path) -> Result<HashedFile> {
        let hashed = hash_file(path)?;
        Ok(HashedFile { path: path_string(path), sha256: hex(&hashed.sha256), bytes: hashed.bytes })
    }
}

/// One transcript file: its digest, the format it was read as, and what was read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    /// The path (a file the user named, or one found in a folder they named).
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex (`null`: it could not be read at all).
    pub sha256: Option<String>,
    /// Its size in bytes (`null`: it could not be read at all).
    pub bytes: Option<u64>,
    /// The format it was read as.
    pub format: String,
    /// Sessions taken from it into the reports.
    pub sessions: usize,
    /// Their turns, counted or not.
    pub turns: usize,
    /// Their words, in every turn.
    pub words: usize,
    /// Why the file (or a session of it) was left out, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl InputRecord {
    /// A file read with `digest` (SHA-256 and size) as `format`, with nothing taken yet.
    pub fn new(path: &Path, digest: Option<([u8; 32], u64)>, format: &str) -> InputRecord {
        InputRecord {
            path: path_string(path),
            sha256: digest.map(|(d, _)| hex(&d)),
            bytes: digest.map(|(_, n)| n),
            format: format.to_string(),
            sessions: 0,
            turns: 0,
            words: 0,
            error: None,
        }
    }
}

/// Corpus-wide counts of a run, as in the summary printed on stdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Input files found.
    pub inputs: usize,
    /// Sessions in the reports.
    pub sessions: usize,
    /// Their turns.
    pub turns: usize,
    /// Counted turns (participants; moderators with `--include-moderators`).
    pub counted_turns: usize,
    /// Words of every turn.
    pub words: usize,
    /// Words of counted turns: the denominator of every per-1,000-words rate.
    pub counted_words: usize,
    /// Themes in the codebook.
    pub themes: usize,
    /// Rows of mentions.csv (each theme's mentions, parents included).
    pub mentions: u64,
}

/// One file of the report folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputRecord {
    /// The file name in the report folder.
    pub file: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What a run knows about where its reports come from, before the reports are written.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The command.
    pub command: Command,
    /// The codebook file, hashed.
    pub codebook: HashedFile,
    /// The participants file, hashed.
    pub participants: Option<HashedFile>,
    /// The input files, in input order.
    pub inputs: Vec<InputRecord>,
}

impl Provenance {
    /// The manifest of a report folder holding `outputs` (name and digest, sorted), written
    /// from `summary`.
    pub fn manifest(&self, summary: &Summary, outputs: &[(String, Hashed)]) -> Manifest {
        let words = self.inputs.iter().map(|i| i.words).sum();
        Manifest {
            manifest_version: MANIFEST_VERSION,
            qualkit_version: env!("CARGO_PKG_VERSION").to_string(),
            command: self.command.clone(),
            codebook: self.codebook.clone(),
            participants: self.participants.clone(),
            inputs: self.inputs.clone(),
            totals: Totals {
                inputs: self.inputs.len(),
                sessions: summary.sessions.len(),
                turns: summary.turns(),
                counted_turns: summary.counted_turns(),
                words,
                counted_words: summary.counted_words(),
                themes: summary.codebook.themes.len(),
                mentions: summary.mention_count(),
            },
            outputs: outputs
                .iter()
                .map(|(file, h)| OutputRecord {
                    file: file.clone(),
                    sha256: hex(&h.sha256),
                    bytes: h.bytes,
                })
                .collect(),
        }
    }
}

impl Manifest {
    /// The manifest as written: pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest serializes");
        text.push('\n');
        text
    }

    /// Reads the manifest of the report folder `folder`.
    pub fn read(folder: &Path) -> Result<Manifest> {
        let path = folder.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Output {
                    path: folder.to_path_buf(),
                    message: format!(
                        "has no {MANIFEST_FILE}: it is not a report folder, or it was written \
                         before qualkit wrote manifests; run `qualkit analyze` again to add one"
                    ),
                }
            } else {
                Error::io(&path, "read", e)
            }
        })?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Output {
            path: path.clone(),
            message: format!("is not valid JSON ({e}); was it edited by hand?"),
        })?;
        match value.get("manifest_version").and_then(serde_json::Value::as_u64) {
            Some(v) if v > u64::from(MANIFEST_VERSION) => {
                return Err(Error::Output {
                    path,
                    message: format!(
                        "has manifest_version {v}, newer than this qualkit reads \
                         ({MANIFEST_VERSION}); use a newer qualkit"
                    ),
                })
            }
            Some(_) => {}
            None => {
                return Err(Error::Output {
                    path,
                    message: "is not a qualkit manifest (no manifest_version)".into(),
                })
            }
        }
        serde_json::from_value(value).map_err(|e| Error::Output {
            path,
            message: format!("is not a complete qualkit manifest ({e}); was it edited by hand?"),
        })
    }
}

/// Whether `path` is a qualkit manifest (not some other program's `manifest.json`).
pub fn is_manifest(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
        v.get("manifest_version").is_some_and(serde_json::Value::is_u64)
            && v.get("qualkit_version").is_some_and(serde_json::Value::is_string)
    })
}

/// Reads and hashes (SHA-256) the file at `path`, a block at a time.
pub fn hash_file(path: &Path) -> Result<Hashed> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, "read", e)),
        };
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok(Hashed { sha256: hasher.finalize().into(), bytes })
}

/// A digest as lowercase hex, as `sha256sum` prints it.
pub fn hex(digest: &[u8; 32]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A path as recorded in the manifest: as given, `/`-separated as the OS writes it.
pub fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_what_sha256sum_prints() {
        // sha256sum of the empty input.
        let empty: [u8; 32] = Sha256::digest(b"").into();
        assert_eq!(hex(&empty), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn another_programs_manifest_is_not_a_qualkit_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST_FILE);
        std::fs::write(&path, r#"{"name": "my web app", "version": "1.0"}"#).unwrap();
        assert!(!is_manifest(&path));
        let err = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(err.ends_with("is not a qualkit manifest (no manifest_version)"), "{err}");
        std::fs::write(&path, r#"{"manifest_version": 1, "qualkit_version": "0.1.0"}"#).unwrap();
        assert!(is_manifest(&path));
    }
}
