//! The container of a project: a `.qdpx` archive, or a bare `.qde` with its sources in a
//! folder beside it; finding the project XML and each source's text in it.

use std::io::{Cursor, Read as _};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::list;
use super::project::Source;
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::ingest::decode::decode;

/// Where the project and its sources are.
pub(super) enum Container {
    /// A `.qdpx` archive and its entry names.
    Archive { path: PathBuf, zip: Box<ZipArchive<Cursor<Vec<u8>>>>, names: Vec<String> },
    /// A bare `.qde` and the folder it is in.
    File { path: PathBuf, bytes: Vec<u8> },
}

impl Container {
    pub(super) fn open(path: &Path, bytes: Vec<u8>) -> Result<Container> {
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
        let names = zip
            .file_names()
            .map(|name| name.map(|n| n.into_owned()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| {
                Error::transcript(
                    path,
                    None,
                    format!("a name in this zip archive is unreadable ({e})"),
                )
            })?;
        Ok(Container::Archive { path: path.to_path_buf(), zip: Box::new(zip), names })
    }

    /// The project XML and the path messages give it (`study.qdpx/project.qde`).
    pub(super) fn project(&mut self) -> Result<(PathBuf, String)> {
        let (path, bytes) = match self {
            Container::File { path, bytes } => (path.clone(), std::mem::take(bytes)),
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
                (path.join(&name), bytes)
            }
        };
        let text = decode(&path, bytes, false)?.text;
        Ok((path, text))
    }

    /// The text of a source and the file it is in (for provenance), or why it cannot be
    /// had.
    pub(super) fn source_text(
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
    pub(super) fn missing_hint(&self) -> String {
        match self {
            Container::Archive { names, .. } => {
                let sources = names.iter().filter(|n| !n.to_lowercase().ends_with(".qde")).count();
                let has = if sources == 0
                    || names.iter().all(|n| n.ends_with('/') || n.ends_with(".qde"))
                {
                    "The archive holds no source files".to_string()
                } else {
                    format!("The archive holds {}", plural_as(sources, "other file", "other files"))
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
pub(super) fn internal_file(location: &str) -> Option<String> {
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

pub(super) fn read_entry(
    zip: &mut ZipArchive<Cursor<Vec<u8>>>,
    name: &str,
) -> std::io::Result<Vec<u8>> {
    let mut file = zip.by_name(name).map_err(std::io::Error::other)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_paths_name_files_in_the_project() {
        assert_eq!(internal_file("internal://AB-12.txt").as_deref(), Some("AB-12.txt"));
        assert_eq!(internal_file("INTERNAL:///ab.txt").as_deref(), Some("ab.txt"));
        assert_eq!(internal_file("relative:///x.txt"), None);
        assert_eq!(internal_file("absolute:///home/x.txt"), None);
    }
}
