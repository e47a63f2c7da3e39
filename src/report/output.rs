//! Atomic report folders: every file is written into a temporary folder beside the target,
//! which replaces the target only once everything is written. A failed run (an unreadable
//! input with `--strict`, a full disk) leaves the previous reports exactly as they were.
//! Every file is hashed (SHA-256) as it is written, for the manifest.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The file whose presence marks a folder as a qualkit report folder: its manifest (see
/// [`super::manifest`]).
pub const MARKER_FILE: &str = super::manifest::MANIFEST_FILE;

/// The marker of report folders written before reports had a manifest.
pub const OLD_MARKER_FILE: &str = "theme_frequencies.csv";

/// Whether `folder` was written by qualkit: it holds a qualkit manifest, or (written before
/// manifests) `theme_frequencies.csv`.
pub fn is_report_folder(folder: &Path) -> bool {
    super::manifest::is_manifest(&folder.join(MARKER_FILE))
        || folder.join(OLD_MARKER_FILE).is_file()
}

/// A writer that hashes (SHA-256) and counts the bytes it passes on.
#[derive(Debug)]
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    /// Hashes what is written to `inner`.
    pub fn new(inner: W) -> Hashing<W> {
        Hashing { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// The inner writer, and the digest and size of everything written.
    pub fn finish(self) -> (W, Hashed) {
        (self.inner, Hashed { sha256: self.hasher.finalize().into(), bytes: self.bytes })
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The SHA-256 and size of a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashed {
    /// The SHA-256 digest.
    pub sha256: [u8; 32],
    /// The size in bytes.
    pub bytes: u64,
}

/// One file of a report, and its digest once written.
#[derive(Debug, Clone)]
struct OutputFile {
    name: String,
    hashed: Option<Hashed>,
}

/// A report folder being written. Dropping it without [`ReportDir::commit`] removes the
/// temporary folder and leaves the target untouched.
#[derive(Debug)]
pub struct ReportDir {
    target: PathBuf,
    temp: PathBuf,
    written: Vec<OutputFile>,
    committed: bool,
}

impl ReportDir {
    /// Starts writing the report folder `target`.
    ///
    /// An existing `target` is replaced only if it is a qualkit report folder (or empty), or
    /// when `force` is set.
    pub fn create(target: &Path, force: bool) -> Result<ReportDir> {
        if target.exists() {
            if !target.is_dir() {
                return Err(Error::Output {
                    path: target.to_path_buf(),
                    message: "exists and is not a folder; choose another --out".into(),
                });
            }
            let empty = fs::read_dir(target)
                .map_err(|e| Error::io(target, "read folder", e))?
                .next()
                .is_none();
            if !force && !empty && !is_report_folder(target) {
                return Err(Error::Output {
                    path: target.to_path_buf(),
                    message: "exists and does not look like a qualkit report folder; \
                              choose another --out, or pass --force to replace it"
                        .into(),
                });
            }
        }
        let name = target.file_name().ok_or_else(|| Error::Output {
            path: target.to_path_buf(),
            message: "is not a folder name qualkit can write to; give --out a folder path".into(),
        })?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, "create folder", e))?;
        let temp =
            parent.join(format!(".{}.qualkit-tmp-{}", name.to_string_lossy(), std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(|e| Error::io(&temp, "remove", e))?;
        }
        fs::create_dir(&temp).map_err(|e| Error::io(&temp, "create folder", e))?;
        Ok(ReportDir { target: target.to_path_buf(), temp, written: Vec::new(), committed: false })
    }

    /// Writes one file of the report with `write`, which receives a buffered writer.
    pub fn write_with(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::result::Result<(), String>,
    ) -> Result<()> {
        let path = self.target.join(name);
        let file = fs::File::create(self.temp.join(name)).map_err(|e| unwritten_io(&path, e))?;
        let mut out = std::io::BufWriter::new(Hashing::new(file));
        write(&mut out).map_err(|message| unwritten(&path, message))?;
        let hashing = out.into_inner().map_err(|e| unwritten_io(&path, e.into_error()))?;
        let (file, hashed) = hashing.finish();
        file.sync_all().map_err(|e| unwritten_io(&path, e))?;
        self.written.push(OutputFile { name: name.to_string(), hashed: Some(hashed) });
        Ok(())
    }

    /// Creates one file of the report, to be written bit by bit (see
    /// [`super::stream::TableStream`]) through a hashing writer; the caller syncs it when
    /// done and hands its digest to [`ReportDir::finished`]. The path returned is the one
    /// the file will have once the report is in place, for messages.
    pub fn create_file(&mut self, name: &str) -> Result<(PathBuf, Hashing<fs::File>)> {
        let path = self.target.join(name);
        let file = fs::File::create(self.temp.join(name)).map_err(|e| unwritten_io(&path, e))?;
        self.written.push(OutputFile { name: name.to_string(), hashed: None });
        Ok((path, Hashing::new(file)))
    }

    /// Records the digest of a file made with [`ReportDir::create_file`], once complete.
    pub fn finished(&mut self, name: &str, hashed: Hashed) {
        if let Some(f) = self.written.iter_mut().find(|f| f.name == name) {
            f.hashed = Some(hashed);
        }
    }

    /// Every file written so far with its digest, sorted by name; an error names a file
    /// created but never finished.
    pub fn hashed(&self) -> Result<Vec<(String, Hashed)>> {
        let mut files = self
            .written
            .iter()
            .map(|f| match f.hashed {
                Some(h) => Ok((f.name.clone(), h)),
                None => Err(Error::Output {
                    path: self.target.join(&f.name),
                    message: "was left unfinished (a bug)".into(),
                }),
            })
            .collect::<Result<Vec<_>>>()?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }

    /// Where a file of the report is while the report is being written (to read back one
    /// written whole).
    pub fn staged(&self, name: &str) -> PathBuf {
        self.temp.join(name)
    }

    /// The path a file of the report will have once the report is in place.
    pub fn final_path(&self, name: &str) -> PathBuf {
        self.target.join(name)
    }

    /// Writes one file of the report from bytes.
    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_with(name, |out| out.write_all(bytes).map_err(|e| e.to_string()))
    }

    /// The names of the files written so far, in order.
    pub fn written(&self) -> Vec<String> {
        self.written.iter().map(|f| f.name.clone()).collect()
    }

    /// Replaces the target folder with the finished report.
    pub fn commit(mut self) -> Result<PathBuf> {
        let backup = self.temp.with_extension(format!("old-{}", std::process::id()));
        let had_target = self.target.exists();
        if had_target {
            fs::rename(&self.target, &backup).map_err(|e| Error::io(&self.target, "replace", e))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_target {
                // Put the previous report back; if even that fails, say where it is.
                if fs::rename(&backup, &self.target).is_err() {
                    return Err(Error::Output {
                        path: self.target.clone(),
                        message: format!(
                            "could not be replaced ({e}); the previous report is in {}",
                            backup.display()
                        ),
                    });
                }
            }
            return Err(Error::io(&self.target, "replace", e));
        }
        self.committed = true;
        if had_target {
            // The new report is in place; a leftover backup loses nothing.
            let _ = fs::remove_dir_all(&backup);
        }
        Ok(self.target.clone())
    }
}

/// The error for a report file that could not be written (`reason`): the run stops and the
/// previous reports stay as they were.
pub fn unwritten(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: format!(
            "could not be written ({reason}); the previous reports are left as they were"
        ),
    }
}

/// [`unwritten`] for an I/O error (a full disk, a file size limit, …).
pub fn unwritten_io(path: &Path, e: std::io::Error) -> Error {
    unwritten(path, crate::error::describe_io(&e))
}

/// Writes one file atomically: into a temporary file beside `path`, synced, then renamed over
/// it. On any failure the previous file (if any) is left as it was.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().ok_or_else(|| Error::Output {
        path: path.to_path_buf(),
        message: "is not a file name qualkit can write to".into(),
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(Error::Output {
            path: path.to_path_buf(),
            message: "is a folder; give the name of a file to write".into(),
        });
    }
    let temp =
        parent.join(format!(".{}.qualkit-tmp-{}", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp).map_err(|e| Error::io(&temp, "create", e))?;
        file.write_all(bytes).map_err(|e| Error::io(&temp, "write", e))?;
        file.sync_all().map_err(|e| Error::io(&temp, "write", e))?;
        fs::rename(&temp, path).map_err(|e| Error::io(path, "replace", e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

impl Drop for ReportDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_report_leaves_the_previous_one_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let mut r = ReportDir::create(&target, false).unwrap();
        r.write_bytes(OLD_MARKER_FILE, b"old").unwrap();
        r.commit().unwrap();

        let mut r = ReportDir::create(&target, false).unwrap();
        r.write_bytes(OLD_MARKER_FILE, b"new").unwrap();
        drop(r);
        assert_eq!(fs::read(target.join(OLD_MARKER_FILE)).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary folder is left");

        let mut r = ReportDir::create(&target, false).unwrap();
        r.write_bytes(OLD_MARKER_FILE, b"new").unwrap();
        r.commit().unwrap();
        assert_eq!(fs::read(target.join(OLD_MARKER_FILE)).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_that_is_not_a_report_is_not_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), b"precious").unwrap();
        let err = ReportDir::create(dir.path(), false).unwrap_err();
        assert!(err.to_string().ends_with("pass --force to replace it"), "{err}");
        assert!(ReportDir::create(dir.path(), true).is_ok());
    }
}
