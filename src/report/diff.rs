//! `qualkit diff`: what changed between two report folders — themes added or removed, the
//! count changes per theme and session, and each mention gained or lost, with its text and
//! where it was said; and, from the manifests, what changed in the codebook, the inputs and
//! the options. A mention is the same in both when its session, turn, start, end and theme
//! are.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::manifest::{Manifest, MANIFEST_FILE};
use crate::display::{CsvText, TextTable};
use crate::error::{Error, Result};

/// A report folder as `diff` reads it: theme_frequencies.csv, session_matrix.csv,
/// mentions.csv and the manifest (when it has one).
#[derive(Debug, Clone)]
pub struct ReportFolder {
    /// The folder.
    pub folder: PathBuf,
    /// Its manifest (`None`: written before manifests).
    pub manifest: Option<Manifest>,
    /// Each theme's id, label and mentions, in codebook order.
    pub themes: Vec<(String, String, u64)>,
    /// The sessions, in input order.
    pub sessions: Vec<String>,
    /// Mentions per (theme, session).
    pub by_session: HashMap<(String, String), u64>,
    /// Every mention, in file order.
    pub mentions: Vec<Mention>,
}

/// One row of mentions.csv: what identifies it, its text and where it was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The theme.
    pub theme: String,
    /// The session.
    pub session: String,
    /// The turn (from 1).
    pub turn: u64,
    /// Character offsets in the turn, half-open.
    pub start: u64,
    /// End of the span.
    pub end: u64,
    /// The transcript file.
    pub file: String,
    /// The line where the mention starts.
    pub line: u64,
    /// The speaker.
    pub speaker: String,
    /// The matched text.
    pub text: String,
}

impl Mention {
    fn key(&self) -> (&str, u64, u64, u64, &str) {
        (&self.session, self.turn, self.start, self.end, &self.theme)
    }
}

impl ReportFolder {
    /// Reads the report folder `folder`.
    pub fn read(folder: &Path) -> Result<ReportFolder> {
        if !folder.is_dir() {
            return Err(Error::Output {
                path: folder.to_path_buf(),
                message: "is not a folder; give two report folders written by `qualkit analyze`"
                    .into(),
            });
        }
        let manifest =
            if folder.join(MANIFEST_FILE).exists() { Some(Manifest::read(folder)?) } else { None };
        let mut themes = Vec::new();
        let frequencies = Table::read(folder, "theme_frequencies.csv")?;
        let (id, label, mentions) = (
            frequencies.column("theme")?,
            frequencies.column("label")?,
            frequencies.column("mentions")?,
        );
        for (k, row) in frequencies.rows.iter().enumerate() {
            themes.push((row[id].clone(), row[label].clone(), frequencies.number(k, mentions)?));
        }
        let matrix = Table::read(folder, "session_matrix.csv")?;
        let theme = matrix.column("theme")?;
        let columns: Vec<(usize, String)> = matrix
            .header
            .iter()
            .enumerate()
            .skip(2)
            .filter_map(|(c, name)| Some((c, name.strip_suffix("_mentions")?.to_string())))
            .collect();
        let sessions = columns.iter().map(|(_, s)| s.clone()).collect();
        let mut by_session = HashMap::new();
        for (k, row) in matrix.rows.iter().enumerate() {
            for (c, session) in &columns {
                by_session.insert((row[theme].clone(), session.clone()), matrix.number(k, *c)?);
            }
        }
        let table = Table::read(folder, "mentions.csv")?;
        let col = |name| table.column(name);
        let (theme, session, turn, start, end) =
            (col("theme")?, col("session")?, col("turn")?, col("start")?, col("end")?);
        let (file, line, speaker, text) =
            (col("file")?, col("line")?, col("speaker")?, col("text")?);
        let mut mentions = Vec::with_capacity(table.rows.len());
        for (k, row) in table.rows.iter().enumerate() {
            mentions.push(Mention {
                theme: row[theme].clone(),
                session: row[session].clone(),
                turn: table.number(k, turn)?,
                start: table.number(k, start)?,
                end: table.number(k, end)?,
                file: row[file].clone(),
                line: table.number(k, line)?,
                speaker: row[speaker].clone(),
                text: row[text].clone(),
            });
        }
        Ok(ReportFolder {
            folder: folder.to_path_buf(),
            manifest,
            themes,
            sessions,
            by_session,
            mentions,
        })
    }
}

/// A CSV file of a report folder, read whole.
struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(folder: &Path, name: &str) -> Result<Table> {
        let path = folder.join(name);
        if !path.exists() && folder.join(MANIFEST_FILE).exists() {
            return Err(Error::Output {
                path,
                message: "is not in this report folder (it was written with `--tables` leaving it \
                          out); `diff` compares theme_frequencies.csv, session_matrix.csv and \
                          mentions.csv, so run `analyze` again with `--tables all`"
                    .into(),
            });
        }
        let bad = |e: csv::Error| Error::Output {
            path: path.clone(),
            message: format!("cannot be read as a qualkit report table: {e}"),
        };
        let mut reader = csv::Reader::from_path(&path).map_err(|e| {
            if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                Error::io(&path, "read", std::io::Error::from(e))
            } else {
                bad(e)
            }
        })?;
        let header = reader.headers().map_err(bad)?.iter().map(str::to_string).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(record.map_err(bad)?.iter().map(str::to_string).collect());
        }
        Ok(Table { path, header, rows })
    }

    fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| Error::Output {
            path: self.path.clone(),
            message: format!("has no `{name}` column; is it a table written by `qualkit analyze`?"),
        })
    }

    fn number(&self, row: usize, column: usize) -> Result<u64> {
        let cell = &self.rows[row][column];
        cell.parse().map_err(|_| Error::Output {
            path: self.path.clone(),
            message: format!(
                "row {}: `{}` is `{cell}`, expected a whole number",
                row + 2,
                self.header[column]
            ),
        })
    }
}

/// What changed between two report folders.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The old report folder.
    pub old: String,
    /// The new report folder.
    pub new: String,
    /// What changed in the codebook, participants file, inputs, options and qualkit
    /// version, from the manifests.
    pub provenance: Vec<Change>,
    /// Why the provenance was not compared (a folder without a manifest).
    pub provenance_note: Option<String>,
    /// Mentions in the old reports (all themes, parents included).
    pub mentions_old: u64,
    /// Mentions in the new reports.
    pub mentions_new: u64,
    /// Mentions in the new reports only.
    pub gained: usize,
    /// Mentions in the old reports only.
    pub lost: usize,
    /// Themes only in the new reports.
    pub themes_added: Vec<String>,
    /// Themes only in the old reports.
    pub themes_removed: Vec<String>,
    /// Sessions only in the new reports.
    pub sessions_added: Vec<String>,
    /// Sessions only in the old reports.
    pub sessions_removed: Vec<String>,
    /// The themes with any change, in codebook order (new, then removed ones).
    pub themes: Vec<ThemeDiff>,
}

/// One change of provenance: what, and its old and new value (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed: `codebook`, `input PATH`, `option NAME`, …
    pub item: String,
    /// Its old value.
    pub old: Option<String>,
    /// Its new value.
    pub new: Option<String>,
}

/// The changes of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeDiff {
    /// The theme id.
    pub theme: String,
    /// Its label (the new one, if it has one).
    pub label: String,
    /// Mentions in the old reports (`None`: not in the old codebook).
    pub old: Option<u64>,
    /// Mentions in the new reports (`None`: not in the new codebook).
    pub new: Option<u64>,
    /// The sessions whose count changed.
    pub sessions: Vec<SessionChange>,
    /// Mentions gained (up to the limit asked for).
    pub gained: Vec<Mention>,
    /// Mentions gained in all.
    pub gained_total: usize,
    /// Mentions lost (up to the limit asked for).
    pub lost: Vec<Mention>,
    /// Mentions lost in all.
    pub lost_total: usize,
}

impl ThemeDiff {
    /// The change of the theme's mentions (absent counts as 0).
    pub fn change(&self) -> i64 {
        self.new.unwrap_or(0) as i64 - self.old.unwrap_or(0) as i64
    }
}

/// A session's count of one theme, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionChange {
    /// The session.
    pub session: String,
    /// Mentions in the old reports.
    pub old: u64,
    /// Mentions in the new reports.
    pub new: u64,
}

impl Diff {
    /// Compares `old` with `new`, listing at most `max` gained and lost mentions per theme
    /// (`None`: all).
    pub fn of(old: &ReportFolder, new: &ReportFolder, max: Option<usize>) -> Diff {
        let (provenance, provenance_note) = provenance_of(old, new);
        let old_ids: HashSet<&str> = old.themes.iter().map(|t| t.0.as_str()).collect();
        let new_ids: HashSet<&str> = new.themes.iter().map(|t| t.0.as_str()).collect();
        let added = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        let gained = mentions_not_in(new, old);
        let lost = mentions_not_in(old, new);
        let mut sessions = new.sessions.clone();
        sessions.extend(added(&old.sessions, &new.sessions));
        let old_count: HashMap<&str, u64> =
            old.themes.iter().map(|t| (t.0.as_str(), t.2)).collect();
        let mut order: Vec<(&str, &str)> =
            new.themes.iter().map(|t| (t.0.as_str(), t.1.as_str())).collect();
        order.extend(
            old.themes
                .iter()
                .filter(|t| !new_ids.contains(t.0.as_str()))
                .map(|t| (t.0.as_str(), t.1.as_str())),
        );
        let take = |list: Option<&Vec<&Mention>>| -> (Vec<Mention>, usize) {
            let list = list.map(Vec::as_slice).unwrap_or_default();
            let shown = list.iter().take(max.unwrap_or(usize::MAX)).map(|m| (*m).clone());
            (shown.collect(), list.len())
        };
        let mut themes = Vec::new();
        for (id, label) in order {
            let count = |r: &ReportFolder, s: &str| {
                r.by_session.get(&(id.to_string(), s.to_string())).copied().unwrap_or(0)
            };
            let session_changes: Vec<SessionChange> = sessions
                .iter()
                .map(|s| SessionChange {
                    session: s.clone(),
                    old: count(old, s),
                    new: count(new, s),
                })
                .filter(|c| c.old != c.new)
                .collect();
            let (gained, gained_total) = take(gained.get(id));
            let (lost, lost_total) = take(lost.get(id));
            let theme = ThemeDiff {
                theme: id.to_string(),
                label: label.to_string(),
                old: old_ids.contains(id).then(|| old_count[id]),
                new: new.themes.iter().find(|t| t.0 == id).map(|t| t.2),
                sessions: session_changes,
                gained,
                gained_total,
                lost,
                lost_total,
            };
            let changed = theme.old != theme.new
                || !theme.sessions.is_empty()
                || theme.gained_total + theme.lost_total > 0;
            if changed {
                themes.push(theme);
            }
        }
        let ids = |r: &ReportFolder| r.themes.iter().map(|t| t.0.clone()).collect::<Vec<_>>();
        Diff {
            old: old.folder.display().to_string(),
            new: new.folder.display().to_string(),
            provenance,
            provenance_note,
            mentions_old: old.mentions.len() as u64,
            mentions_new: new.mentions.len() as u64,
            gained: gained.values().map(Vec::len).sum(),
            lost: lost.values().map(Vec::len).sum(),
            themes_added: added(&ids(new), &ids(old)),
            themes_removed: added(&ids(old), &ids(new)),
            sessions_added: added(&new.sessions, &old.sessions),
            sessions_removed: added(&old.sessions, &new.sessions),
            themes,
        }
    }

    /// Whether the reports differ (in themes, sessions, counts or mentions).
    pub fn differs(&self) -> bool {
        !self.themes.is_empty()
            || !self.sessions_added.is_empty()
            || !self.sessions_removed.is_empty()
    }

    /// The diff for people: a summary, the table of count changes, then the mentions gained
    /// and lost per theme.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "old: {}\nnew: {}", self.old, self.new);
        out.push_str(&self.provenance_text());
        if !self.differs() {
            let _ = writeln!(
                out,
                "no change in the reports: the same themes, sessions, counts and mentions ({})",
                self.mentions_new
            );
            return out;
        }
        out.push_str(&self.summary_text());
        out.push('\n');
        out.push_str(&self.themes_table());
        out.push_str(&self.mentions_text());
        out
    }

    /// What changed in the codebook, inputs and options, or why that was not compared.
    fn provenance_text(&self) -> String {
        let mut out = String::new();
        if let Some(note) = &self.provenance_note {
            let _ = writeln!(out, "note: {note}");
        } else if self.provenance.is_empty() {
            let _ = writeln!(out, "same codebook, inputs and options");
        } else {
            let _ = writeln!(out, "what changed in between:");
            for c in &self.provenance {
                let _ = writeln!(
                    out,
                    "  {}: {} -> {}",
                    c.item,
                    c.old.as_deref().unwrap_or("(none)"),
                    c.new.as_deref().unwrap_or("(none)")
                );
            }
        }
        out
    }

    /// The mentions gained and lost, and the themes and sessions added and removed.
    fn summary_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "mentions: {} -> {} ({}): {} gained, {} lost",
            self.mentions_old,
            self.mentions_new,
            signed(self.mentions_new as i64 - self.mentions_old as i64),
            self.gained,
            self.lost
        );
        for (what, list) in [
            ("themes added", &self.themes_added),
            ("themes removed", &self.themes_removed),
            ("sessions added", &self.sessions_added),
            ("sessions removed", &self.sessions_removed),
        ] {
            if !list.is_empty() {
                let _ = writeln!(out, "{what}: {}", list.join(", "));
            }
        }
        out
    }

    /// The count changes: one row per theme, old, new and change, and by session.
    fn themes_table(&self) -> String {
        let mut table = TextTable::new(&["theme", "old", "new", "change", "by session"]);
        table.left(4).keep_trailing_space();
        for column in 1..=3 {
            table.fixed_width(column, 6);
        }
        let count = |n: Option<u64>| n.map_or("-".to_string(), |n| n.to_string());
        for t in &self.themes {
            let sessions: Vec<String> = t
                .sessions
                .iter()
                .map(|s| format!("{} {}", s.session, signed(s.new as i64 - s.old as i64)))
                .collect();
            table.row(vec![
                t.theme.clone(),
                count(t.old),
                count(t.new),
                signed(t.change()),
                sessions.join(", "),
            ]);
        }
        table.render()
    }

    /// The mentions gained and lost, theme by theme.
    fn mentions_text(&self) -> String {
        let mut out = String::new();
        for t in self.themes.iter().filter(|t| t.gained_total + t.lost_total > 0) {
            let _ = writeln!(
                out,
                "\n{} ({}): {} gained, {} lost",
                t.theme, t.label, t.gained_total, t.lost_total
            );
            for (sign, list, total) in
                [("+", &t.gained, t.gained_total), ("-", &t.lost, t.lost_total)]
            {
                for m in list {
                    let _ = writeln!(
                        out,
                        "  {sign} \"{}\" — {}, {} turn {}, {}:{}",
                        m.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        m.speaker,
                        m.session,
                        m.turn,
                        m.file,
                        m.line
                    );
                }
                if total > list.len() {
                    let _ = writeln!(
                        out,
                        "  {sign} … and {} more (--max 0 lists all)",
                        total - list.len()
                    );
                }
            }
        }
        out
    }

    /// The mentions gained and lost as CSV: one row each, by theme.
    pub fn csv(&self) -> Result<String> {
        let mut text = CsvText::with_header([
            "change", "theme", "session", "turn", "start", "end", "file", "line", "speaker", "text",
        ]);
        for t in &self.themes {
            for (change, list) in [("gained", &t.gained), ("lost", &t.lost)] {
                for m in list {
                    text.row([
                        change,
                        &m.theme,
                        &m.session,
                        &m.turn.to_string(),
                        &m.start.to_string(),
                        &m.end.to_string(),
                        &m.file,
                        &m.line.to_string(),
                        &m.speaker,
                        &m.text,
                    ]);
                }
            }
        }
        Ok(text.finish())
    }

    /// The whole diff as pretty-printed JSON.
    pub fn json(&self) -> Result<String> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| Error::table("the diff", e))?;
        text.push('\n');
        Ok(text)
    }
}

/// What changed in the codebook, inputs and options between the runs; or a note that a
/// folder has no manifest to compare.
fn provenance_of(old: &ReportFolder, new: &ReportFolder) -> (Vec<Change>, Option<String>) {
    match (&old.manifest, &new.manifest) {
        (Some(a), Some(b)) => (provenance_changes(a, b), None),
        (a, b) => {
            let missing: Vec<String> = [(a.is_none(), old), (b.is_none(), new)]
                .iter()
                .filter(|(none, _)| *none)
                .map(|(_, f)| f.folder.display().to_string())
                .collect();
            let note = format!(
                "{} {} no {MANIFEST_FILE} (written before manifests): the codebook, inputs \
                 and options were not compared",
                missing.join(" and "),
                if missing.len() == 1 { "has" } else { "have" }
            );
            (Vec::new(), Some(note))
        }
    }
}

/// The mentions of `folder` that `other` does not have, by theme.
fn mentions_not_in<'a>(
    folder: &'a ReportFolder,
    other: &ReportFolder,
) -> HashMap<&'a str, Vec<&'a Mention>> {
    let keys: HashSet<_> = other.mentions.iter().map(Mention::key).collect();
    let mut by_theme: HashMap<&str, Vec<&Mention>> = HashMap::new();
    for m in folder.mentions.iter().filter(|m| !keys.contains(&m.key())) {
        by_theme.entry(&m.theme).or_default().push(m);
    }
    by_theme
}

/// `+3`, `-2`, `0`.
fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// What changed between two manifests: the qualkit version, the codebook, the participants
/// file, each input (by path) and each other option but `out`.
pub fn provenance_changes(old: &Manifest, new: &Manifest) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut change = |item: String, a: Option<String>, b: Option<String>| {
        if a != b {
            changes.push(Change { item, old: a, new: b });
        }
    };
    change(
        "qualkit version".into(),
        Some(old.qualkit_version.clone()),
        Some(new.qualkit_version.clone()),
    );
    let file =
        |f: &super::manifest::HashedFile| format!("{} (sha256 {})", f.path, short(&f.sha256));
    change("codebook".into(), Some(file(&old.codebook)), Some(file(&new.codebook)));
    change(
        "participants".into(),
        old.participants.as_ref().map(file),
        new.participants.as_ref().map(file),
    );
    let digest = |i: &super::manifest::InputRecord| {
        Some(
            i.sha256
                .as_deref()
                .map_or("unreadable".to_string(), |s| format!("sha256 {}", short(s))),
        )
    };
    for i in &old.inputs {
        let now = new.inputs.iter().find(|j| j.path == i.path);
        change(format!("input {}", i.path), digest(i), now.and_then(digest));
    }
    for j in new.inputs.iter().filter(|j| !old.inputs.iter().any(|i| i.path == j.path)) {
        change(format!("input {}", j.path), None, digest(j));
    }
    let options = |m: &Manifest| match serde_json::to_value(&m.command.options) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (options(old), options(new));
    for (key, value) in &a {
        // The report folder differs by design; the codebook and participants file are
        // compared above, with their digests.
        if ["out", "codebook", "participants"].contains(&key.as_str()) {
            continue;
        }
        let text = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(v.to_string()),
        };
        change(format!("option {key}"), text(Some(value)), text(b.get(key)));
    }
    changes
}

/// The first 12 hex digits of a digest, enough to tell two apart by eye.
fn short(sha256: &str) -> &str {
    &sha256[..sha256.len().min(12)]
}
