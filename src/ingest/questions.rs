//! The question each turn answers, and who moderates when nothing says so.
//!
//! Run after a session is read (and again after the participants file changes its roles):
//! when no speaker is a moderator and nothing names one, the speaker who asks at least half
//! of the questions is the moderator ([`infer_moderator`]); then every turn gets the latest
//! question asked by a moderator (a turn with `?` or `¿`) or read from the interview guide,
//! numbered `q1`, `q2`, … per session, or matched to a question of `--guide`
//! ([`assign_questions`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::codebook::Language;
use crate::error::{Error, Result};
use crate::model::{Question, Role, Session, Warning, WarningKind};
use crate::sentences::sentences;

/// The share of common words (of the guide question's) a turn needs to be that question.
const GUIDE_MATCH: f64 = 0.5;
/// The fewest words a turn must share with a guide question to be it.
const GUIDE_MIN_COMMON: usize = 2;

/// An interview guide (`--guide`): one question per line, optionally `id: text`.
#[derive(Debug, Clone)]
pub struct Guide {
    /// The file.
    pub path: PathBuf,
    /// The questions, in file order.
    pub questions: Vec<GuideQuestion>,
    language: Language,
}

/// A question of the interview guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideQuestion {
    /// Its id (`id: text`, else `g1`, `g2`, … by position).
    pub id: String,
    /// Its text.
    pub text: String,
    stems: BTreeSet<String>,
}

impl Guide {
    /// Reads a guide file.
    pub fn load(path: &Path) -> Result<Guide> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
        let text = super::decode::decode_utf8(path, bytes)?;
        Guide::parse(path, &text)
    }

    /// Parses a guide: blank lines and `#` comments are skipped; `# language: spanish`
    /// sets the stemming language (English by default); `id: text` gives a question its id.
    pub fn parse(path: &Path, text: &str) -> Result<Guide> {
        let mut guide = Guide {
            path: path.to_path_buf(),
            questions: Vec::new(),
            language: Language::english(),
        };
        let mut entries = Vec::new();
        for (number, line) in super::decode::lines(text) {
            let line = line.trim();
            if let Some(comment) = line.strip_prefix('#') {
                guide.set_language(path, number, comment)?;
            } else if !line.is_empty() {
                entries.push((number, line));
            }
        }
        for (number, line) in entries {
            let (id, text) = split_id(line).unwrap_or((String::new(), line));
            let id = if id.is_empty() { format!("g{}", guide.questions.len() + 1) } else { id };
            if guide.questions.iter().any(|q| q.id == id) {
                return Err(Error::transcript(
                    path,
                    Some(number),
                    format!(
                        "guide question id `{id}` is given twice; give each question its own id"
                    ),
                ));
            }
            let stems = guide.stems(text);
            guide.questions.push(GuideQuestion { id, text: text.to_string(), stems });
        }
        if guide.questions.is_empty() {
            return Err(Error::transcript(
                path,
                None,
                "the interview guide has no questions; write one question per line, optionally \
                 as `id: text`",
            ));
        }
        Ok(guide)
    }

    fn set_language(&mut self, path: &Path, number: usize, comment: &str) -> Result<()> {
        let Some((key, value)) = comment.split_once(':') else { return Ok(()) };
        if key.trim().to_lowercase() != "language" {
            return Ok(());
        }
        self.language = Language::from_name(value).ok_or_else(|| {
            Error::transcript(
                path,
                Some(number),
                format!(
                    "unknown guide language `{}`; choose one of: {}",
                    value.trim(),
                    Language::all_names().join(", ")
                ),
            )
        })?;
        Ok(())
    }

    /// The stems of the content words (three letters or more) of `text`.
    fn stems(&self, text: &str) -> BTreeSet<String> {
        let stemmer = self.language.stemmer();
        crate::tokenize::tokenize(text)
            .into_iter()
            .map(|r| crate::tokenize::normalize(&text[r]))
            .filter(|w| w.chars().count() >= 3)
            .map(|w| stemmer.stem(&w).into_owned())
            .collect()
    }

    /// The guide question `text` is closest to, if close enough.
    fn best_match(&self, text: &str) -> Option<&GuideQuestion> {
        let stems = self.stems(text);
        let mut best: Option<(f64, &GuideQuestion)> = None;
        for q in &self.questions {
            let common = q.stems.intersection(&stems).count();
            let score = common as f64 / q.stems.len().max(1) as f64;
            if common >= GUIDE_MIN_COMMON
                && score >= GUIDE_MATCH
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, q));
            }
        }
        best.map(|(_, q)| q)
    }
}

/// `id: text` with an id of one word (`q1: What…`, `3.b: Are…`).
fn split_id(line: &str) -> Option<(String, &str)> {
    let (id, text) = line.split_once(':')?;
    let id = id.trim();
    let ok = !id.is_empty() && id.len() <= 12 && !id.contains(char::is_whitespace);
    (ok && !text.trim().is_empty()).then(|| (id.to_string(), text.trim()))
}

/// Decides the moderator when nothing did, then the question of every turn.
pub fn finish(session: &mut Session, guide: Option<&Guide>) {
    infer_moderator(session);
    assign_questions(session, guide);
}

/// Whether a turn's text asks something: a sentence of it ends with `?` or opens with `¿`
/// (a `?` inside a URL, `watch?v=…`, asks nothing).
pub(crate) fn asks(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `¿` is C2 BF in UTF-8.
    let may_ask = memchr::memchr(b'?', bytes).is_some()
        || memchr::memchr_iter(0xBF, bytes).any(|i| i > 0 && bytes[i - 1] == 0xC2);
    may_ask && questions_in(text).next().is_some()
}

/// The sentences of `text` that ask (end with `?`, before any closing quote or bracket, or
/// open with `¿`).
fn questions_in(text: &str) -> impl Iterator<Item = &str> {
    sentences(text).into_iter().map(move |r| &text[r]).filter(|s| {
        let end = s.trim_end_matches(['"', '\'', ')', ']', '”', '’']);
        end.ends_with('?') || s.starts_with('¿')
    })
}

/// Makes the speaker who asks at least half of the questions the moderator, when no
/// speaker is one, nothing names one, and more than one person speaks.
pub fn infer_moderator(session: &mut Session) {
    let r = &session.reading;
    let people = session.speakers.iter().filter(|s| s.role.is_person()).count();
    if r.moderators_named
        || r.inferred_moderator.is_some()
        || people < 2
        || session.speakers.iter().any(|s| s.role == Role::Moderator)
    {
        return;
    }
    let mut asked = vec![0usize; session.speakers.len()];
    for turn in session.turns.iter().filter(|t| asks(&t.text)) {
        asked[turn.speaker] += 1;
    }
    let total: usize = asked.iter().sum();
    let Some((top, &most)) = asked.iter().enumerate().max_by_key(|&(i, n)| (*n, usize::MAX - i))
    else {
        return;
    };
    let speaker = &session.speakers[top];
    let tied = asked.iter().filter(|&&n| n == most).count() > 1;
    let audience = crate::ingest::text::is_audience_label(&speaker.label);
    if total < 2 || most * 2 < total || tied || !speaker.role.is_person() || audience {
        return;
    }
    let share = (most * 100 + total / 2) / total;
    let message = format!("moderator inferred: {} asks {share}% of the questions", speaker.label);
    let line = session.turns.iter().find(|t| t.speaker == top).map(|t| t.line);
    session.speakers[top].role = Role::Moderator;
    session.reading.inferred_moderator = Some(top);
    session.warnings.push(Warning::new(
        line,
        WarningKind::Moderator,
        format!(
            "{message} ({most} of {total}); name the moderator with --moderators, the front \
             matter `moderators:` or the participants file if it is someone else"
        ),
    ));
    session.reading.moderator = Some(message);
}

/// Undoes [`infer_moderator`] (before the participants file sets roles).
pub fn forget_inferred_moderator(session: &mut Session) {
    if let Some(i) = session.reading.inferred_moderator.take() {
        session.speakers[i].role = Role::Participant;
        session.reading.moderator = None;
        session.warnings.retain(|w| w.kind != WarningKind::Moderator);
    }
}

/// Gives every turn the question it answers (see the module documentation).
pub fn assign_questions(session: &mut Session, guide: Option<&Guide>) {
    session.questions.clear();
    let mut current = None;
    for i in 0..session.turns.len() {
        for question in heading_questions(session, i) {
            session.questions.push(question);
            current = Some((session.questions.len() - 1) as u32);
        }
        if let Some(question) = question_of_turn(session, i, guide) {
            session.questions.push(question);
            current = Some((session.questions.len() - 1) as u32);
        }
        session.turns[i].question = current;
    }
}

/// The Markdown headings that ask a question (`## Why Taproot?`) and open at turn `i`.
fn heading_questions(session: &Session, i: usize) -> Vec<Question> {
    let asked = session.reading.sections.iter().filter(|s| s.first_turn == i);
    let mut out = Vec::new();
    for s in asked.filter(|s| s.title.trim_end().ends_with('?')) {
        let id = format!("q{}", session.questions.len() + out.len() + 1);
        out.push(Question { id, text: s.title.clone(), line: s.line, from_guide: false });
    }
    out
}

/// The question turn `i` asks, if it asks one.
fn question_of_turn(session: &Session, i: usize, guide: Option<&Guide>) -> Option<Question> {
    let turn = &session.turns[i];
    let is_guide = session.reading.guide_turns.contains(&i);
    let moderator = session.speakers[turn.speaker].role == Role::Moderator;
    let asks_here = is_guide || (moderator && asks(&turn.text));
    if !asks_here {
        return None;
    }
    let text = if is_guide {
        let first = turn.text.lines().next().unwrap_or("");
        crate::ingest::text::guide_line(first).map_or(turn.text.clone(), |(_, t)| t.to_string())
    } else {
        asked_sentences(&turn.text)
    };
    let number = session.questions.len() + 1;
    let matched = guide.and_then(|g| g.best_match(&text));
    Some(match matched {
        Some(q) => {
            Question { id: q.id.clone(), text: q.text.clone(), line: turn.line, from_guide: true }
        }
        None => Question { id: format!("q{number}"), text, line: turn.line, from_guide: false },
    })
}

/// The sentences of `text` that ask, joined by a space: a turn's question text.
fn asked_sentences(text: &str) -> String {
    questions_in(text).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::{parse, TextOptions};

    fn read(text: &str) -> Session {
        let mut s = parse(Path::new("g.txt"), text, &TextOptions::default()).unwrap();
        finish(&mut s, None);
        s
    }

    #[test]
    fn the_speaker_who_asks_most_is_the_moderator() {
        let s = read(
            "P: ¿Cómo están? Bienvenidos.\nV: Bien.\nP: ¿Y el barrio?\nV: Tranquilo. ¿Vos?\n\
             P: ¿Qué cambiarían?\nV: Nada.\n",
        );
        assert_eq!(s.speakers[0].role, Role::Moderator);
        assert_eq!(s.speakers[1].role, Role::Participant);
        assert_eq!(
            s.reading.moderator.as_deref(),
            Some("moderator inferred: P asks 75% of the questions")
        );
        let ids: Vec<_> =
            s.questions.iter().map(|q| (q.id.as_str(), q.text.as_str(), q.line)).collect();
        assert_eq!(
            ids,
            [("q1", "¿Cómo están?", 1), ("q2", "¿Y el barrio?", 3), ("q3", "¿Qué cambiarían?", 5)]
        );
        let per_turn: Vec<_> = s.turns.iter().map(|t| t.question).collect();
        assert_eq!(per_turn, [Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)]);
        let w = s.warnings.iter().find(|w| w.kind == WarningKind::Moderator).unwrap();
        assert_eq!(w.line, Some(1));
        assert!(w.message.contains("(3 of 4)"), "{}", w.message);
    }

    #[test]
    fn no_moderator_is_inferred_when_questions_are_spread_or_named() {
        let s = read("Ana: Why?\nLee: How?\nAna: Yes.\nLee: No.\n");
        assert!(s.speakers.iter().all(|sp| sp.role == Role::Participant));
        assert!(s.questions.is_empty());
        assert!(s.turns.iter().all(|t| t.question.is_none()));
        let s = read("---\nmoderators: Lee\n---\nAna: Why?\nLee: Fine.\nAna: How?\nLee: Well.\n");
        assert_eq!(s.speakers[0].role, Role::Participant);
        assert_eq!(s.reading.moderator, None);
    }

    #[test]
    fn guide_questions_match_by_stemmed_words() {
        let guide = Guide::parse(
            Path::new("guide.txt"),
            "# the guide\ntrust: What makes you trust an organizer?\nWhat funding challenges do you face?\n",
        )
        .unwrap();
        assert_eq!(guide.questions[1].id, "g2");
        let mut s = parse(
            Path::new("g.txt"),
            "Moderator: So, what makes people trust organizers?\nAna: Time.\n\
             Moderator: Any funding challenges you faced?\nLee: Grants.\nModerator: Lunch?\n",
            &TextOptions::default(),
        )
        .unwrap();
        finish(&mut s, Some(&guide));
        let q: Vec<_> =
            s.questions.iter().map(|q| (q.id.as_str(), q.text.as_str(), q.from_guide)).collect();
        assert_eq!(
            q,
            [
                ("trust", "What makes you trust an organizer?", true),
                ("g2", "What funding challenges do you face?", true),
                ("q3", "Lunch?", false)
            ]
        );
        let err = Guide::parse(Path::new("guide.txt"), "a: x y\na: z w\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "guide.txt:2: guide question id `a` is given twice; give each question its own id"
        );
        assert!(Guide::parse(Path::new("guide.txt"), "# language: klingon\nWhy?\n").is_err());
    }

    #[test]
    fn asked_sentences_are_the_question_text() {
        assert_eq!(asked_sentences("Thanks. What next? Tell me."), "What next?");
        assert_eq!(asked_sentences("Bueno. ¿Y ustedes qué piensan"), "¿Y ustedes qué piensan");
        assert_eq!(asked_sentences("She said “Why not?” Then left."), "She said “Why not?”");
        // A `?` in a URL asks nothing.
        let link = "See the [talk](https://youtu.be/x?t=76) at noon. Any comments?";
        assert_eq!(asked_sentences(link), "Any comments?");
        assert!(!asks("The [talk](https://youtu.be/x?t=76) is online."));
        assert!(asks("Why? Because."));
    }
}
