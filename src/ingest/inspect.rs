//! What the readers made of each transcript, and what deserves a look before coding:
//! the data behind `qualkit transcripts inspect`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::display::thousands;
use crate::model::{HeaderLine, HeaderUse, Role, Session, Warning, WarningKind};
use crate::tokenize::count_tokens;

/// A turn longer than this many words is flagged (often a missing speaker label).
pub const LONG_TURN_WORDS: usize = 2000;

/// Sessions shorter than this many turns do not flag speakers heard once unless their label
/// is close to another's: in a short session one turn each is normal.
pub const SPEAKER_ONCE_MIN_TURNS: usize = 20;

/// One session, as inspected.
#[derive(Debug, Clone, Serialize)]
pub struct SessionReport {
    /// The session id.
    pub session: String,
    /// The file it was read from.
    pub file: String,
    /// The format it was read as.
    pub format: &'static str,
    /// Front matter `title`.
    pub title: Option<String>,
    /// Front matter `date`.
    pub date: Option<String>,
    /// Session attributes.
    pub attributes: BTreeMap<String, String>,
    /// Number of turns.
    pub turns: usize,
    /// Words in all turns (every role).
    pub words: usize,
    /// `all`, `some` or `none`: whether turns carry timestamps.
    pub timestamps: &'static str,
    /// Turns with a timestamp.
    pub timestamped_turns: usize,
    /// The speakers, in order of first appearance.
    pub speakers: Vec<SpeakerReport>,
    /// How the speakers were told apart (`labels: P= (34), V= (20)`); empty for formats
    /// that say (subtitles, tables).
    pub convention: String,
    /// The lines before the first turn and what each became.
    pub header: Vec<HeaderReport>,
    /// The moderators and how they were decided.
    pub moderator: String,
    /// The questions asked, in order.
    pub questions: Vec<QuestionReport>,
    /// Stage directions and annotations set apart from the talk.
    pub annotations: Vec<AnnotationReport>,
    /// The sections Markdown headings mark (left out when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionReport>,
    /// Reader warnings and the checks of [`diagnose`], by line.
    pub warnings: Vec<WarningReport>,
}

/// A header line and what it became.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderReport {
    /// The line of the file.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// `title`, `attribute`, `roster` or `note`.
    pub became: &'static str,
    /// The attribute's key, or the roster's label.
    pub key: Option<String>,
    /// The roster's full name.
    pub name: Option<String>,
    /// The role a roster line sets.
    pub role: Option<&'static str>,
}

/// A question and the turns that answer it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionReport {
    /// `q1`, … or the guide's id.
    pub id: String,
    /// The question.
    pub text: String,
    /// The line where it is asked.
    pub line: usize,
    /// Whether it was matched to the interview guide.
    pub from_guide: bool,
    /// The turns that answer it (the question's own turn included).
    pub turns: usize,
}

/// A section: a Markdown heading and the turns under it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionReport {
    /// The heading, without its `#` marks.
    pub title: String,
    /// The line of the heading.
    pub line: usize,
    /// The turns under it.
    pub turns: usize,
}

/// A stage direction or annotation.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationReport {
    /// The line of the file.
    pub line: usize,
    /// The annotation as written.
    pub text: String,
}

/// One speaker of a session.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerReport {
    /// The label.
    pub label: String,
    /// `participant`, `moderator` or `observer`.
    pub role: &'static str,
    /// Turns spoken.
    pub turns: usize,
    /// Words spoken.
    pub words: usize,
    /// Speaker attributes.
    pub attributes: BTreeMap<String, String>,
}

/// One warning.
#[derive(Debug, Clone, Serialize)]
pub struct WarningReport {
    /// The line of the file, when the warning is about one place.
    pub line: Option<usize>,
    /// The kind (`speaker_seen_once`, `long_turn`, …).
    pub kind: &'static str,
    /// What was noticed.
    pub message: String,
}

/// Inspects a session read by a reader.
pub fn inspect(session: &Session) -> SessionReport {
    let mut turns = vec![0usize; session.speakers.len()];
    let mut words = vec![0usize; session.speakers.len()];
    for t in &session.turns {
        turns[t.speaker] += 1;
        words[t.speaker] += count_tokens(&t.text);
    }
    let timestamped = session.turns.iter().filter(|t| t.timestamp.is_some()).count();
    let mut warnings: Vec<Warning> = session.warnings.clone();
    warnings.extend(diagnose(session));
    // Stable: file-level warnings first, then by line, each in the order found.
    warnings.sort_by_key(|w| w.line);
    SessionReport {
        session: session.id.clone(),
        file: session.file.display().to_string(),
        format: session.format.as_str(),
        title: session.title.clone(),
        date: session.date.clone(),
        attributes: session.attributes.iter().cloned().collect(),
        turns: session.turns.len(),
        words: words.iter().sum(),
        timestamps: match timestamped {
            0 => "none",
            n if n == session.turns.len() => "all",
            _ => "some",
        },
        timestamped_turns: timestamped,
        speakers: session
            .speakers
            .iter()
            .enumerate()
            .map(|(i, s)| SpeakerReport {
                label: s.label.clone(),
                role: s.role.as_str(),
                turns: turns[i],
                words: words[i],
                attributes: s.attributes.iter().cloned().collect(),
            })
            .collect(),
        convention: session.reading.convention.clone(),
        header: session.reading.header.iter().map(header_report).collect(),
        moderator: moderator_decision(session),
        questions: question_reports(session),
        annotations: session
            .reading
            .annotations
            .iter()
            .map(|(line, text)| AnnotationReport { line: *line, text: text.clone() })
            .collect(),
        sections: section_reports(session),
        warnings: warnings
            .into_iter()
            .map(|w| WarningReport { line: w.line, kind: w.kind.as_str(), message: w.message })
            .collect(),
    }
}

fn section_reports(session: &Session) -> Vec<SectionReport> {
    let sections = &session.reading.sections;
    let ends = sections.iter().skip(1).map(|s| s.first_turn).chain([session.turns.len()]);
    sections
        .iter()
        .zip(ends)
        .map(|(s, end)| SectionReport {
            title: s.title.clone(),
            line: s.line,
            turns: end.saturating_sub(s.first_turn),
        })
        .collect()
}

fn header_report(h: &HeaderLine) -> HeaderReport {
    let mut report = HeaderReport {
        line: h.line,
        text: h.text.clone(),
        became: "note",
        key: None,
        name: None,
        role: None,
    };
    match &h.became {
        HeaderUse::Title => report.became = "title",
        HeaderUse::Attribute(key) => {
            report.became = "attribute";
            report.key = Some(key.clone());
        }
        HeaderUse::Roster { label, name, role } => {
            report.became = "roster";
            report.key = Some(label.clone());
            report.name = Some(name.clone());
            report.role = role.map(Role::as_str);
        }
        HeaderUse::Note => {}
    }
    report
}

/// Who moderates and how it was decided, in words.
fn moderator_decision(session: &Session) -> String {
    if let Some(inferred) = &session.reading.moderator {
        return inferred.clone();
    }
    let names: Vec<&str> = session
        .speakers
        .iter()
        .filter(|s| s.role == Role::Moderator)
        .map(|s| s.label.as_str())
        .collect();
    if names.is_empty() {
        return "no moderator".to_string();
    }
    let how = if session.reading.moderators_named { "named" } else { "by label" };
    format!("{} ({how})", names.join(", "))
}

fn question_reports(session: &Session) -> Vec<QuestionReport> {
    let mut answered = vec![0usize; session.questions.len()];
    for q in session.turns.iter().filter_map(|t| t.question) {
        answered[q as usize] += 1;
    }
    session
        .questions
        .iter()
        .zip(answered)
        .map(|(q, turns)| QuestionReport {
            id: q.id.clone(),
            text: q.text.clone(),
            line: q.line,
            from_guide: q.from_guide,
            turns,
        })
        .collect()
}

/// The checks that need the whole session: speakers heard once (with the label they may be
/// a typo of) and turns longer than [`LONG_TURN_WORDS`].
pub fn diagnose(session: &Session) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut turns_of = vec![Vec::new(); session.speakers.len()];
    for (i, t) in session.turns.iter().enumerate() {
        turns_of[t.speaker].push(i);
    }
    if session.speakers.len() > 1 {
        for (s, speaker) in session.speakers.iter().enumerate() {
            let [only] = turns_of[s][..] else { continue };
            if speaker.role == Role::Observer {
                continue;
            }
            let line = session.turns[only].line;
            let similar = similar_label(session, s);
            if similar.is_none() && session.turns.len() < SPEAKER_ONCE_MIN_TURNS {
                continue;
            }
            let message = match similar {
                Some(other) => format!(
                    "speaker \"{}\" speaks only once; a typo of \"{other}\"? (a participants file \
                     can merge the two with `alias`)",
                    speaker.label
                ),
                None => format!("speaker \"{}\" speaks only once; check the label", speaker.label),
            };
            out.push(Warning::new(Some(line), WarningKind::SpeakerOnce, message));
        }
    }
    for t in &session.turns {
        let words = count_tokens(&t.text);
        if words > LONG_TURN_WORDS {
            out.push(Warning::new(
                Some(t.line),
                WarningKind::LongTurn,
                format!(
                    "a turn of \"{}\" has {} words; a speaker label may be missing",
                    session.speaker_of(t).label,
                    thousands(words)
                ),
            ));
        }
    }
    out
}

/// The label of another speaker of the session most like speaker `s`'s, if one is close.
fn similar_label(session: &Session, s: usize) -> Option<&str> {
    let key = |label: &str| label.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "");
    let mine = key(&session.speakers[s].label);
    session
        .speakers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != s)
        .map(|(_, other)| {
            (strsim::normalized_damerau_levenshtein(&mine, &key(&other.label)), &other.label)
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, label)| label.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::{parse, TextOptions};
    use std::path::Path;

    fn session(text: &str) -> Session {
        parse(Path::new("g.txt"), text, &TextOptions::default()).unwrap()
    }

    #[test]
    fn counts_speakers_roles_words_and_timestamps() {
        let r = inspect(&session(
            "---\nsite: Fresno\n---\n[00:00:01] Moderator: Welcome all.\n[00:00:05] Rosa: Trust \
             matters.\nIt does.\nDev: Time too.\nRosa: Yes.\nDev: ok\n",
        ));
        assert_eq!((r.turns, r.words, r.timestamps, r.timestamped_turns), (5, 10, "some", 2));
        let speakers: Vec<_> =
            r.speakers.iter().map(|s| (s.label.as_str(), s.role, s.turns, s.words)).collect();
        assert_eq!(
            speakers,
            [
                ("Moderator", "moderator", 1, 2),
                ("Rosa", "participant", 2, 5),
                ("Dev", "participant", 2, 3)
            ]
        );
        assert_eq!(r.attributes.get("site").map(String::as_str), Some("Fresno"));
        // The moderator speaks once, but is no typo of anyone, and the session is short.
        assert!(r.warnings.is_empty());
        let mut text = String::from("Moderator: Welcome.\n");
        for _ in 0..10 {
            text.push_str("Rosa: yes\nDev: no\n");
        }
        let r = inspect(&session(&text));
        let warnings: Vec<_> =
            r.warnings.iter().map(|w| (w.line, w.kind, w.message.as_str())).collect();
        assert_eq!(
            warnings,
            [(
                Some(1),
                "speaker_seen_once",
                "speaker \"Moderator\" speaks only once; check the label"
            )]
        );
    }

    #[test]
    fn a_label_seen_once_near_another_is_a_likely_typo() {
        let r = inspect(&session("Rosa: a\nDev: b\nRosaa: c\nRosa: d\nDev: e\n"));
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].line, Some(3));
        assert!(r.warnings[0].message.contains("a typo of \"Rosa\"?"), "{}", r.warnings[0].message);
    }

    #[test]
    fn long_turns_are_flagged() {
        let long = "word ".repeat(LONG_TURN_WORDS + 1);
        let r = inspect(&session(&format!("Rosa: short\nDev: {long}\nRosa: x\nDev: y\n")));
        let kinds: Vec<_> = r.warnings.iter().map(|w| (w.line, w.kind)).collect();
        assert_eq!(kinds, [(Some(2), "long_turn")]);
        assert_eq!(
            r.warnings[0].message,
            "a turn of \"Dev\" has 2,001 words; a speaker label may be missing"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
