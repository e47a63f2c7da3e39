//! Placing codings in the transcripts: each row's session (by id or by file), turn (by
//! number or by a file line) and character range, with its themes rolled up to their parents
//! when a codebook is given. Rows that do not fit the transcripts are errors naming the row.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::codings;
use crate::code::corpus::CodingOptions;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::model::Session;

/// A coded segment placed in the transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index of the session in the transcripts read.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// Character range in the turn's text (the whole text when the row gave no offsets).
    pub chars: Range<usize>,
    /// Index of the theme in [`Resolved::themes`].
    pub theme: usize,
}

/// One coder's codings, placed in the transcripts.
#[derive(Debug, Clone)]
pub struct Coder {
    /// The coder's name.
    pub name: String,
    /// The file the codings come from.
    pub source: PathBuf,
    /// Whether the coder coded each session (has a row for it); a session the coder did not
    /// code makes the coder missing for its units.
    pub sessions: Vec<bool>,
    /// The coded segments of counted turns.
    pub segments: Vec<Segment>,
    /// Rows read.
    pub rows: usize,
    /// Segments left out because they code a turn that is not counted (a moderator's without
    /// `--include-moderators`, an observer's).
    pub uncounted: usize,
}

/// Every coder's codings, placed in the transcripts, and the themes they use.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The coders, in the order given.
    pub coders: Vec<Coder>,
    /// Theme ids: in codebook order when a codebook is given (themes it does not know
    /// last), else in alphabetical order.
    pub themes: Vec<String>,
    /// Theme ids the codebook does not know (kept as they are, without parents).
    pub unknown_themes: Vec<String>,
}

/// Places every coding's rows in `sessions`. With a `codebook`, each coded theme also codes
/// its parents (as qualkit's own mentions do), so that a coder who codes leaf themes and
/// qualkit agree on parents too. Turns not counted under `options` are left out.
pub fn resolve(
    codings: Vec<codings::Coding>,
    sessions: &[Session],
    codebook: Option<&Codebook>,
    options: CodingOptions,
) -> Result<Resolved> {
    let finder = SessionFinder::new(sessions);
    let mut theme_ids: Vec<String> = Vec::new();
    let mut theme_index: HashMap<String, usize> = HashMap::new();
    let mut unknown: Vec<String> = Vec::new();
    // Each theme id as coded → the theme ids it codes (itself and its parents).
    let mut expansion: HashMap<String, Vec<usize>> = HashMap::new();
    let mut coders = Vec::with_capacity(codings.len());
    for coding in codings {
        let mut coder = Coder {
            name: coding.coder,
            source: coding.path,
            sessions: vec![false; sessions.len()],
            segments: Vec::new(),
            rows: coding.rows.len(),
            uncounted: 0,
        };
        for row in &coding.rows {
            let at = |message: String| Error::coding(&coder.source, Some(row.line), message);
            let si = finder.find(row).map_err(at)?;
            coder.sessions[si] = true;
            let session = &sessions[si];
            let Some((turn, chars)) = place(session, row).map_err(at)? else { continue };
            if row.themes.is_empty() {
                continue;
            }
            if !options.counts(session.speaker_of(&session.turns[turn]).role) {
                coder.uncounted += row.themes.len();
                continue;
            }
            for id in &row.themes {
                let themes = expansion.entry(id.clone()).or_insert_with(|| {
                    let ids: Vec<String> = match codebook.map(|cb| (cb, cb.index_of(id))) {
                        Some((cb, Some(i))) => cb
                            .self_and_ancestors(i)
                            .into_iter()
                            .map(|t| cb.themes[t].id.clone())
                            .collect(),
                        Some((_, None)) => {
                            unknown.push(id.clone());
                            vec![id.clone()]
                        }
                        None => vec![id.clone()],
                    };
                    ids.into_iter()
                        .map(|id| {
                            *theme_index.entry(id.clone()).or_insert_with(|| {
                                theme_ids.push(id);
                                theme_ids.len() - 1
                            })
                        })
                        .collect()
                });
                for &theme in themes.iter() {
                    coder.segments.push(Segment { session: si, turn, chars: chars.clone(), theme });
                }
            }
        }
        coders.push(coder);
    }
    // Final theme order, and the segments renumbered to it.
    let rank = |id: &str| {
        codebook
            .and_then(|cb| cb.index_of(id))
            .and_then(|i| codebook.map(|cb| cb.order().iter().position(|&o| o == i)))
            .flatten()
    };
    let mut order: Vec<usize> = (0..theme_ids.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (rank(&theme_ids[a]), rank(&theme_ids[b]));
        match (ra, rb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => theme_ids[a].cmp(&theme_ids[b]),
        }
    });
    let mut renumber = vec![0; theme_ids.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    for coder in &mut coders {
        for s in &mut coder.segments {
            s.theme = renumber[s.theme];
        }
    }
    unknown.sort();
    Ok(Resolved {
        coders,
        themes: order.into_iter().map(|i| theme_ids[i].clone()).collect(),
        unknown_themes: unknown,
    })
}

/// Finds the session a row names, by session id or by transcript file.
struct SessionFinder<'a> {
    sessions: &'a [Session],
    by_id: HashMap<&'a str, usize>,
}

impl<'a> SessionFinder<'a> {
    fn new(sessions: &'a [Session]) -> SessionFinder<'a> {
        let by_id = sessions.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        SessionFinder { sessions, by_id }
    }

    fn ids(&self) -> String {
        let ids: Vec<&str> = self.sessions.iter().map(|s| s.id.as_str()).collect();
        if ids.len() > 8 {
            format!("{}, … ({} in all)", ids[..8].join(", "), ids.len())
        } else {
            ids.join(", ")
        }
    }

    fn find(&self, row: &codings::Row) -> std::result::Result<usize, String> {
        if let Some(id) = &row.session {
            return self.by_id.get(id.as_str()).copied().ok_or_else(|| {
                format!(
                    "session `{id}` is not among the transcripts read ({}); give the \
                     transcripts that were coded with --transcripts",
                    self.ids()
                )
            });
        }
        let file = row.file.as_deref().unwrap_or_default();
        let wanted = components(Path::new(file));
        let mut found: Vec<usize> = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let have = components(&s.file);
            if have == wanted || (!wanted.is_empty() && have.ends_with(&wanted)) {
                found.push(i);
            }
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!(
                "no transcript read is the file `{file}`; give the transcripts that were coded \
                 with --transcripts (a file name alone is enough when it is unique)"
            )),
            many => Err(format!(
                "the file `{file}` could be any of {}; give more of its path, or a `session` \
                 column",
                many.iter()
                    .map(|&i| self.sessions[i].file.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// A path's normal components, for comparing paths written differently (`./a/b`, `a\b`).
fn components(path: &Path) -> Vec<String> {
    path.to_string_lossy()
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(String::from)
        .collect()
}

/// The turn and character range a row codes in `session`, or `None` for a row that only
/// says the session was coded.
fn place(
    session: &Session,
    row: &codings::Row,
) -> std::result::Result<Option<(usize, Range<usize>)>, String> {
    let turn = match (row.turn, row.file_line) {
        (Some(t), _) => {
            if t > session.turns.len() {
                return Err(format!(
                    "turn {t} does not exist: session {} has {} turns; are these codings of \
                     other transcripts?",
                    session.id,
                    session.turns.len()
                ));
            }
            t - 1
        }
        (None, Some(line)) => turn_at_line(session, line)?,
        (None, None) => return Ok(None),
    };
    let text = &session.turns[turn].text;
    let length = text.chars().count();
    let chars = match (&row.chars, row.turn, row.file_line) {
        (Some(r), _, _) => {
            if r.end > length {
                return Err(format!(
                    "characters {}–{} run past the end of turn {} of session {} ({length} \
                     characters); offsets count characters of the turn's text from 0, end \
                     exclusive",
                    r.start,
                    r.end,
                    turn + 1,
                    session.id
                ));
            }
            if let Some(expected) = &row.text {
                let found: String = text.chars().skip(r.start).take(r.end - r.start).collect();
                if &found != expected {
                    return Err(format!(
                        "the text at characters {}–{} of turn {} of session {} is “{found}”, \
                         not “{expected}”; the transcript has changed since it was coded, or \
                         these are codings of other transcripts",
                        r.start,
                        r.end,
                        turn + 1,
                        session.id
                    ));
                }
            }
            r.clone()
        }
        (None, None, Some(line)) => line_chars(session, turn, line),
        _ => 0..length,
    };
    Ok(Some((turn, chars)))
}

/// The turn of `session` whose text is on file line `line`.
fn turn_at_line(session: &Session, line: usize) -> std::result::Result<usize, String> {
    let t = session.turns.partition_point(|t| t.line <= line);
    let last_line = |t: usize| {
        let turn = &session.turns[t];
        turn.lines.last().map_or(turn.line, |&(_, l)| l)
    };
    if t == 0 || line > last_line(t - 1) {
        return Err(format!(
            "line {line} of {} holds no turn of session {} (front matter, or a blank line \
             between turns); give the line of a turn, or its `turn` number",
            session.file.display(),
            session.id
        ));
    }
    Ok(t - 1)
}

/// The characters of file line `line` in turn `t` (the whole turn when the line is a blank
/// line inside it).
fn line_chars(session: &Session, t: usize, line: usize) -> Range<usize> {
    let turn = &session.turns[t];
    let chars = |b: usize| turn.text[..b].chars().count();
    match turn.lines.iter().position(|&(_, l)| l == line) {
        Some(i) => {
            let start = turn.lines[i].0;
            let end = turn.lines.get(i + 1).map_or(turn.text.len(), |&(next, _)| next - 1);
            chars(start)..chars(end.max(start))
        }
        None => 0..chars(turn.text.len()),
    }
}
