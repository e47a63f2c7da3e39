//! The rules every run applies to what the readers give, file by file in input order,
//! whether the corpus is held in memory ([`super::load`]) or streamed through
//! ([`crate::pipeline`]): a file that cannot be read is reported and the others go on (or,
//! with `--strict`, it stops the run); a table with no transcript columns is passed over; a
//! session whose id an earlier file used is left out; and the participants file's rows that
//! matched nobody are noted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::participants::Participants;
use super::{ReadOptions, SkipReason, Skipped};
use crate::error::{Error, Location, Result};
use crate::model::Session;

/// A session on its way into a run, with the participants rows it used.
pub trait Arriving {
    /// The session.
    fn session(&self) -> &Session;
    /// Which rows of the participants file it used (empty without one).
    fn used(&self) -> &[bool];
}

impl Arriving for WithRows {
    fn session(&self) -> &Session {
        &self.0
    }
    fn used(&self) -> &[bool] {
        &self.1
    }
}

/// A session with the participants rows it used (see [`with_participants`]).
pub type WithRows = (Session, Vec<bool>);

/// One file's sessions as admitted.
#[derive(Debug)]
pub struct Admitted<T> {
    /// The sessions kept, in the file's order.
    pub sessions: Vec<T>,
    /// Why the file (or one of its sessions) was left out, for the manifest.
    pub error: Option<String>,
}

/// The rules, and what they have seen so far.
#[derive(Debug)]
pub struct Admission<'a> {
    participants: Option<&'a Participants>,
    strict: bool,
    seen: HashMap<String, Arc<PathBuf>>,
    used: Vec<bool>,
    /// The files that could not be read and the sessions left out as duplicates, in input
    /// order.
    pub failed: Vec<Error>,
    /// Tables found in folders that are not transcripts.
    pub not_tables: Vec<Skipped>,
}

impl<'a> Admission<'a> {
    /// The rules of a run with this participants file; `strict` stops at the first failure.
    pub fn new(participants: Option<&'a Participants>, strict: bool) -> Admission<'a> {
        Admission {
            participants,
            strict,
            seen: HashMap::new(),
            used: vec![false; participants.map_or(0, |p| p.rows.len())],
            failed: Vec::new(),
            not_tables: Vec::new(),
        }
    }

    /// Admits what reading the file at `path` gave (files in input order). The error is a
    /// failure under `--strict`.
    pub fn file<T: Arriving>(&mut self, path: &Path, read: Result<Vec<T>>) -> Result<Admitted<T>> {
        let arriving = match read {
            Err(err) if self.strict => return Err(err),
            Err(err) => return Ok(self.left_out(err)),
            Ok(sessions) if sessions.is_empty() => {
                let reason = SkipReason::NotTranscriptTable;
                self.not_tables.push(Skipped { path: path.to_path_buf(), reason });
                return Ok(Admitted { sessions: Vec::new(), error: None });
            }
            Ok(sessions) => sessions,
        };
        let mut admitted = Admitted { sessions: Vec::with_capacity(arriving.len()), error: None };
        for item in arriving {
            for (u, now) in self.used.iter_mut().zip(item.used()) {
                *u |= now;
            }
            let s = item.session();
            if let Some(earlier) = self.seen.get(&s.id) {
                let err = duplicate_session(s, earlier);
                if self.strict {
                    return Err(err);
                }
                admitted.error.get_or_insert_with(|| err.to_string());
                self.failed.push(err);
                continue;
            }
            self.seen.insert(s.id.clone(), Arc::clone(&s.file));
            admitted.sessions.push(item);
        }
        Ok(admitted)
    }

    /// Notes about the participants file: rows that matched no speaker.
    pub fn notes(&self) -> Vec<String> {
        let seen = |id: &str| self.seen.contains_key(id);
        self.participants.map(|p| p.unused(&self.used, seen)).unwrap_or_default()
    }

    fn left_out<T>(&mut self, err: Error) -> Admitted<T> {
        let error = Some(err.to_string());
        self.failed.push(err);
        Admitted { sessions: Vec::new(), error }
    }
}

/// The sessions of one file with the participants file applied, each with the rows it used:
/// what a reader's result becomes before [`Admission::file`].
pub fn with_participants(
    sessions: Vec<Session>,
    participants: Option<&Participants>,
    options: &ReadOptions,
) -> Vec<WithRows> {
    sessions
        .into_iter()
        .map(|mut s| {
            let used = participants.map(|p| apply_participants(p, &mut s, options));
            (s, used.unwrap_or_default())
        })
        .collect()
}

/// Applies the participants file to a session read with `options`: the roles it sets
/// replace an inferred moderator, and the questions are found again with the new roles.
/// Returns which rows were used.
pub fn apply_participants(p: &Participants, s: &mut Session, options: &ReadOptions) -> Vec<bool> {
    super::questions::forget_inferred_moderator(s);
    let used = p.apply(s);
    let sets_role = used.iter().zip(&p.rows).any(|(u, row)| *u && row.role.is_some());
    s.reading.moderators_named |= sets_role;
    super::questions::finish(s, options.guide.as_ref());
    used
}

/// The error for a session whose id an earlier file (`first`) already used.
fn duplicate_session(s: &Session, first: &Path) -> Error {
    Error::Transcript {
        location: Location::new(&s.file, None),
        message: format!(
            "session id `{}` is also used by {}, so this file is left out; rename one of the \
             files, or give it its own `session:` (front matter) or `session` column (tables)",
            s.id,
            first.display()
        ),
    }
}
