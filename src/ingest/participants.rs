//! The participants file: a CSV with columns `session,speaker,role,alias` and then any
//! attribute columns (`age_group`, `organization_type`, …). Each row describes one speaker:
//! it sets the role (moderator, participant, observer), merges the speaker's other labels
//! (`alias`, several separated by `;`) into one, and attaches the attributes. A row whose
//! `session` is empty or `*` applies to every session; a row naming the session wins over it.

use std::path::{Path, PathBuf};

use super::text::speaker_key;
use crate::error::{Error, Result};
use crate::model::{Role, Session, Speaker, Warning, WarningKind};

/// One row of the participants file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The session it applies to (`None`: every session).
    pub session: Option<String>,
    /// The speaker's label as it should appear in reports.
    pub speaker: String,
    /// The role, when the row gives one.
    pub role: Option<Role>,
    /// Other labels of the same person.
    pub aliases: Vec<String>,
    /// Attribute values, in the file's column order (see [`Participants::attributes`]).
    pub values: Vec<String>,
    /// The row's line in the file.
    pub line: usize,
    /// Normalised labels the row matches: the speaker and its aliases.
    keys: Vec<String>,
}

/// A participants file, read and checked.
#[derive(Debug, Clone)]
pub struct Participants {
    /// The file.
    pub path: PathBuf,
    /// Attribute column names (lowercased), in file order.
    pub attributes: Vec<String>,
    /// The rows.
    pub rows: Vec<Participant>,
}

impl Participants {
    /// Reads and checks a participants file: CSV, or an Excel workbook (its first sheet).
    pub fn load(path: &Path) -> Result<Participants> {
        if crate::imports::sheet::is_workbook(path) {
            let text = crate::imports::sheet::read(path)?.to_csv();
            return Participants::parse(path, &text);
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
        let text = super::decode::decode_utf8(path, bytes)?;
        Participants::parse(path, &text)
    }

    /// Parses the text of a participants file.
    pub fn parse(path: &Path, text: &str) -> Result<Participants> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| super::table::csv_error(path, text, &e))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let Some(speaker_col) = col("speaker") else {
            return Err(Error::transcript(
                path,
                Some(1),
                format!(
                    "a participants file needs a `speaker` column; expected a header such as \
                     `session,speaker,role,alias,age_group`, found: {}",
                    headers.join(", ")
                ),
            ));
        };
        let (session_col, role_col, alias_col) = (col("session"), col("role"), col("alias"));
        let known = [Some(speaker_col), session_col, role_col, alias_col];
        let attribute_cols: Vec<usize> =
            (0..headers.len()).filter(|i| !known.contains(&Some(*i))).collect();
        let mut rows: Vec<Participant> = Vec::new();
        let mut lines = super::table::LineCounter::new(text);
        for record in reader.records() {
            let record = record.map_err(|e| super::table::csv_error(path, text, &e))?;
            let line = lines.line(record.position());
            let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let speaker = field(Some(speaker_col)).split_whitespace().collect::<Vec<_>>().join(" ");
            if speaker.is_empty() {
                return Err(Error::transcript(
                    path,
                    Some(line),
                    "the `speaker` cell is empty; give the speaker's label as in the transcript",
                ));
            }
            let session =
                Some(field(session_col)).filter(|s| !s.is_empty() && *s != "*").map(str::to_string);
            let role = match field(role_col) {
                "" => None,
                r => Some(Role::parse(r).ok_or_else(|| {
                    Error::transcript(
                        path,
                        Some(line),
                        format!("role `{r}` is not one of moderator, participant, observer, group"),
                    )
                })?),
            };
            let aliases: Vec<String> = field(alias_col)
                .split(';')
                .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|a| !a.is_empty())
                .collect();
            let mut keys = vec![speaker_key(&speaker)];
            keys.extend(aliases.iter().map(|a| speaker_key(a)));
            for other in rows.iter().filter(|r| r.session == session) {
                if let Some(k) = keys.iter().find(|k| other.keys.contains(k)) {
                    return Err(Error::transcript(
                        path,
                        Some(line),
                        format!(
                            "the label `{k}` is also on line {} for {}; each label may name one \
                             speaker per session",
                            other.line,
                            session
                                .as_deref()
                                .map_or("every session".into(), |s| format!("session {s}"))
                        ),
                    ));
                }
            }
            let values = attribute_cols.iter().map(|&c| field(Some(c)).to_string()).collect();
            rows.push(Participant { session, speaker, role, aliases, values, line, keys });
        }
        Ok(Participants {
            path: path.to_path_buf(),
            attributes: attribute_cols.iter().map(|&c| headers[c].clone()).collect(),
            rows,
        })
    }

    /// The row for a speaker label in a session: the session's own row first, then a row
    /// for every session.
    /// Every label the file names (speakers and aliases), normalised: each is a speaker
    /// label in the transcripts even when it occurs once.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> =
            self.rows.iter().flat_map(|r| r.keys.iter().cloned()).collect();
        labels.sort();
        labels.dedup();
        labels
    }

    fn find(&self, session: &str, key: &str) -> Option<usize> {
        let matches = |r: &Participant| r.keys.iter().any(|k| k == key);
        self.rows
            .iter()
            .position(|r| r.session.as_deref() == Some(session) && matches(r))
            .or_else(|| self.rows.iter().position(|r| r.session.is_none() && matches(r)))
    }

    /// Applies the file to a session: roles, merged aliases, attributes. Returns which rows
    /// were used. Speakers the file does not describe keep their label and role, get empty
    /// attributes, and are named in a warning.
    pub fn apply(&self, session: &mut Session) -> Vec<bool> {
        let mut used = vec![false; self.rows.len()];
        let mut speakers: Vec<Speaker> = Vec::new();
        let mut row_of_new: Vec<Option<usize>> = Vec::new();
        let mut remap = Vec::with_capacity(session.speakers.len());
        let mut missing = Vec::new();
        // The participants file says who is who: no short name is suggested as an alias.
        session.warnings.retain(|w| !crate::ingest::text::is_suggestion(w));
        for speaker in &session.speakers {
            let row = self.find(&session.id, &speaker_key(&speaker.label));
            let existing = row.and_then(|r| row_of_new.iter().position(|x| *x == Some(r)));
            if let Some(i) = existing {
                remap.push(i);
                continue;
            }
            let mut merged = speaker.clone();
            match row {
                Some(r) => {
                    used[r] = true;
                    let p = &self.rows[r];
                    merged.label = p.speaker.clone();
                    if let Some(role) = p.role {
                        merged.role = role;
                    }
                    merged.attributes =
                        self.attributes.iter().cloned().zip(p.values.iter().cloned()).collect();
                }
                None => {
                    missing.push(speaker.label.clone());
                    merged.attributes =
                        self.attributes.iter().map(|a| (a.clone(), String::new())).collect();
                }
            }
            remap.push(speakers.len());
            speakers.push(merged);
            row_of_new.push(row);
        }
        if speakers.len() < session.speakers.len() {
            let merged: Vec<String> = session
                .speakers
                .iter()
                .enumerate()
                .filter(|(i, s)| speakers[remap[*i]].label != s.label)
                .map(|(i, s)| format!("\"{}\" → \"{}\"", s.label, speakers[remap[i]].label))
                .collect();
            session.warnings.push(Warning::new(
                None,
                WarningKind::Participants,
                format!("speakers merged by {}: {}", self.path.display(), merged.join(", ")),
            ));
        }
        if !missing.is_empty() && !self.rows.is_empty() {
            session.warnings.push(Warning::new(
                None,
                WarningKind::Participants,
                format!(
                    "not in {}: {}; add rows for them to give them roles and attributes",
                    self.path.display(),
                    missing.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        for turn in &mut session.turns {
            turn.speaker = remap[turn.speaker];
        }
        session.speakers = speakers;
        used
    }

    /// Warnings for rows that matched no speaker of the sessions they name (rows for
    /// sessions that were not read are not reported).
    pub fn unused(&self, used: &[bool], has_session: impl Fn(&str) -> bool) -> Vec<String> {
        self.rows
            .iter()
            .zip(used)
            .filter(|(r, used)| !**used && r.session.as_deref().is_none_or(&has_session))
            .map(|(r, _)| {
                format!(
                    "{}:{}: speaker \"{}\" is not in {}; check the spelling or the session",
                    self.path.display(),
                    r.line,
                    r.speaker,
                    r.session.as_deref().map_or("any session".into(), |s| format!("session {s}"))
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::{parse, TextOptions};

    /// The speaker label of each turn.
    fn labels(session: &Session) -> Vec<&str> {
        session.turns.iter().map(|t| session.speakers[t.speaker].label.as_str()).collect()
    }

    fn session(id: &str, text: &str) -> Session {
        let mut s = parse(Path::new("t.txt"), text, &TextOptions::default()).unwrap();
        s.id = id.to_string();
        s
    }

    const FILE: &str = "session,speaker,role,alias,age_group,organization_type\n\
                        *,Interviewer 1,moderator,Interviewer1;INT,,\n\
                        g1,Rosa,,Rosa M.,30-44,nonprofit\n\
                        g2,Rosa,observer,,50-64,health department\n\
                        g1,Ghost,participant,,18-29,\n";

    #[test]
    fn roles_aliases_and_attributes() {
        let p = Participants::parse(Path::new("people.csv"), FILE).unwrap();
        assert_eq!(p.attributes, ["age_group", "organization_type"]);
        let mut g1 = session(
            "g1",
            "Interviewer1: Welcome.\nRosa M.: Trust.\nINT: And?\nRosa: Time.\nDev: Hi.\n",
        );
        let used = p.apply(&mut g1);
        assert_eq!(labels(&g1), ["Interviewer 1", "Rosa", "Interviewer 1", "Rosa", "Dev"]);
        assert_eq!(g1.speakers.len(), 3);
        assert_eq!(g1.speakers[0].role, Role::Moderator);
        assert_eq!(g1.speakers[1].role, Role::Participant);
        assert_eq!(
            g1.speakers[1].attributes,
            [
                ("age_group".to_string(), "30-44".to_string()),
                ("organization_type".to_string(), "nonprofit".to_string())
            ]
        );
        assert_eq!(g1.speakers[2].attributes[0], ("age_group".to_string(), String::new()));
        let messages: Vec<&str> = g1.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "speakers merged by people.csv: \"Interviewer1\" → \"Interviewer 1\", \"Rosa M.\" → \"Rosa\", \"INT\" → \"Interviewer 1\"",
                "not in people.csv: \"Dev\"; add rows for them to give them roles and attributes"
            ]
        );
        assert_eq!(used, [true, true, false, false]);
        // g2's Rosa is an observer; the g2 row wins for session g2.
        let mut g2 = session("g2", "Rosa: watching\n");
        let used2 = p.apply(&mut g2);
        assert_eq!(g2.speakers[0].role, Role::Observer);
        assert_eq!(g2.speakers[0].attributes[1].1, "health department");
        let used: Vec<bool> = used.iter().zip(&used2).map(|(a, b)| *a || *b).collect();
        assert_eq!(
            p.unused(&used, |id| [&g1, &g2].iter().any(|s| s.id == id)),
            ["people.csv:5: speaker \"Ghost\" is not in session g1; check the spelling or the session"]
        );
    }

    #[test]
    fn mistakes_are_errors_with_lines() {
        let err =
            |text: &str| Participants::parse(Path::new("p.csv"), text).unwrap_err().to_string();
        assert!(err("name,role\nA,moderator\n")
            .starts_with("p.csv:1: a participants file needs a `speaker` column"));
        assert_eq!(
            err("speaker,role\nA,boss\n"),
            "p.csv:2: role `boss` is not one of moderator, participant, observer, group"
        );
        assert_eq!(
            err("session,speaker,alias\ng1,Ana,A\ng1,Bea,a\n"),
            "p.csv:3: the label `a` is also on line 2 for session g1; each label may name one speaker per session"
        );
        assert!(err("speaker,role\nA,moderator,x\n").starts_with("p.csv:2: this row has 3 cells"));
        assert!(
            err("speaker,role\n,moderator\n").starts_with("p.csv:2: the `speaker` cell is empty")
        );
    }
}
