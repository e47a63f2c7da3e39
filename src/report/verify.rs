//! `qualkit verify`: checks a report folder against its manifest. The codebook, the
//! participants file, every input and every output are hashed again (SHA-256) and compared
//! with the manifest; files that appeared since the run (a new transcript in an input
//! folder, a file added to the report folder) are listed too.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::manifest::{hash_file, hex, Manifest, MANIFEST_FILE};
use crate::display::{CsvText, TextTable};
use crate::error::{Error, Result};

/// What became of one file since the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The same bytes.
    Unchanged,
    /// Other bytes.
    Changed,
    /// It is gone (or cannot be read any more).
    Missing,
    /// It was not there at the run.
    Added,
}

impl Status {
    /// The status as shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Changed => "changed",
            Status::Missing => "missing",
            Status::Added => "added",
        }
    }
}

/// What kind of file was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The codebook.
    Codebook,
    /// The participants file.
    Participants,
    /// A transcript file.
    Input,
    /// A file of the report folder.
    Output,
}

impl Kind {
    /// The kind as shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Codebook => "codebook",
            Kind::Participants => "participants",
            Kind::Input => "input",
            Kind::Output => "output",
        }
    }
}

/// One file checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What became of it.
    pub status: Status,
    /// What it is.
    pub kind: Kind,
    /// Its path as the manifest gives it (outputs: the file name).
    pub path: String,
    /// Its SHA-256 in the manifest (`None`: not in the manifest, or unreadable at the run).
    pub recorded: Option<String>,
    /// Its SHA-256 now (`None`: gone or unreadable).
    pub current: Option<String>,
}

/// The checks of one report folder.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The report folder.
    pub folder: String,
    /// Every file checked: codebook, participants file, inputs, new inputs, outputs, new
    /// files in the report folder.
    pub checks: Vec<Check>,
}

/// Checks the report folder `folder` against its manifest. Relative paths in the manifest
/// (the codebook, inputs) are taken from `root`, the folder the run was started in.
pub fn verify(folder: &Path, root: &Path) -> Result<Verification> {
    let manifest = Manifest::read(folder)?;
    let mut checks = Vec::new();
    let check = |kind, path: &str, file: &Path, recorded: Option<&str>| {
        let current = hash_file(file).ok().map(|h| hex(&h.sha256));
        let status = match (&current, recorded) {
            (None, Some(_)) => Status::Missing,
            (a, b) if a.as_deref() == b => Status::Unchanged,
            _ => Status::Changed,
        };
        Check {
            status,
            kind,
            path: path.to_string(),
            recorded: recorded.map(str::to_string),
            current,
        }
    };
    let at = |path: &str| root.join(path);
    let cb = &manifest.codebook;
    checks.push(check(Kind::Codebook, &cb.path, &at(&cb.path), Some(&cb.sha256)));
    if let Some(p) = &manifest.participants {
        checks.push(check(Kind::Participants, &p.path, &at(&p.path), Some(&p.sha256)));
    }
    for input in &manifest.inputs {
        checks.push(check(Kind::Input, &input.path, &at(&input.path), input.sha256.as_deref()));
    }
    for path in new_inputs(&manifest, folder, root) {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
        let mut c = check(Kind::Input, &shown, &path, None);
        c.status = Status::Added;
        checks.push(c);
    }
    for output in &manifest.outputs {
        checks.push(check(
            Kind::Output,
            &output.file,
            &folder.join(&output.file),
            Some(&output.sha256),
        ));
    }
    let mut extra: Vec<String> = std::fs::read_dir(folder)
        .map_err(|e| Error::io(folder, "read folder", e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != MANIFEST_FILE && !manifest.outputs.iter().any(|o| &o.file == name))
        .collect();
    extra.sort();
    for name in extra {
        let mut c = check(Kind::Output, &name, &folder.join(&name), None);
        c.status = Status::Added;
        checks.push(c);
    }
    Ok(Verification { folder: folder.display().to_string(), checks })
}

/// Transcript files under the run's input paths that the manifest does not list (found as
/// the run would find them: same format option, the report folder and participants file
/// passed over). Paths that cannot be searched any more are left to the per-file checks.
fn new_inputs(manifest: &Manifest, folder: &Path, root: &Path) -> Vec<PathBuf> {
    let options = &manifest.command.options;
    let paths: Vec<PathBuf> = options.paths.iter().map(|p| root.join(p)).collect();
    let format = options.format.as_deref().and_then(crate::model::Format::from_name);
    let participants = options.participants.as_ref().map(|p| root.join(p));
    let mut own: Vec<&Path> = vec![folder];
    if let Some(p) = &participants {
        own.push(p);
    }
    let known: Vec<PathBuf> = manifest.inputs.iter().map(|i| root.join(&i.path)).collect();
    let mut found = Vec::new();
    for path in &paths {
        if let Ok(discovered) = crate::ingest::discover(std::slice::from_ref(path), &own, format) {
            found.extend(
                discovered.files.into_iter().map(|f| f.path).filter(|p| !known.contains(p)),
            );
        }
    }
    found
}

impl Verification {
    /// Whether anything changed since the run.
    pub fn changed(&self) -> bool {
        self.checks.iter().any(|c| c.status != Status::Unchanged)
    }

    /// The verification for people: what changed, then what did not, by kind.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let changed: Vec<&Check> =
            self.checks.iter().filter(|c| c.status != Status::Unchanged).collect();
        let unchanged = |kind: Kind| {
            self.checks.iter().filter(|c| c.kind == kind && c.status == Status::Unchanged).count()
        };
        let mut same = Vec::new();
        for (kind, one, many) in [
            (Kind::Codebook, "codebook", "codebook"),
            (Kind::Participants, "participants file", "participants file"),
            (Kind::Input, "1 input", "inputs"),
            (Kind::Output, "1 output", "outputs"),
        ] {
            match unchanged(kind) {
                0 => {}
                1 => same.push(one.to_string()),
                n => same.push(format!("{n} {many}")),
            }
        }
        if changed.is_empty() {
            let _ = writeln!(
                out,
                "{}: unchanged since the run ({}; SHA-256 checked)",
                self.folder,
                same.join(", ")
            );
            return out;
        }
        let inputs = changed.iter().any(|c| c.kind != Kind::Output);
        let outputs = changed.iter().any(|c| c.kind == Kind::Output);
        let what = match (inputs, outputs) {
            (true, true) => "inputs and reports",
            (true, false) => "inputs",
            _ => "reports",
        };
        let _ = writeln!(
            out,
            "{}: {what} changed since the run ({} of {} files)",
            self.folder,
            changed.len(),
            self.checks.len()
        );
        let mut table = TextTable::headless(3);
        table.indent(2).fixed_width(0, 9).fixed_width(1, 12).keep_trailing_space();
        for c in &changed {
            table.row(vec![c.status.as_str().into(), c.kind.as_str().into(), c.path.clone()]);
        }
        out.push_str(&table.render());
        if !same.is_empty() {
            let _ = writeln!(out, "unchanged: {}", same.join(", "));
        }
        if inputs {
            let _ = writeln!(
                out,
                "the reports no longer match their inputs: run `qualkit analyze` again"
            );
        } else {
            let _ = writeln!(out, "the reports were changed after the run: run `qualkit analyze` again to restore them");
        }
        out
    }

    /// One row per file: status, kind, path, recorded and current SHA-256.
    pub fn csv(&self) -> Result<String> {
        let mut text =
            CsvText::with_header(["status", "kind", "path", "recorded_sha256", "current_sha256"]);
        for c in &self.checks {
            text.row([
                c.status.as_str(),
                c.kind.as_str(),
                &c.path,
                c.recorded.as_deref().unwrap_or(""),
                c.current.as_deref().unwrap_or(""),
            ]);
        }
        Ok(text.finish())
    }

    /// The verification as pretty-printed JSON.
    pub fn json(&self) -> Result<String> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| Error::table("the verification", e))?;
        text.push('\n');
        Ok(text)
    }
}
