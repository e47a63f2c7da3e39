//! Names that shorten: a label that is the first word of a full label seen earlier in the
//! file (`John Newbery:` then `John:`) is suggested as its alias, and merged into it with
//! `--merge-short-names`. (Initials in parentheses, `Aaron van Wirdum (AvW):`, are read as
//! an alias outright; see `read.rs`.)

use super::{is_audience_label, is_group_label, speaker_key};
use crate::model::{Session, Warning, WarningKind};

/// Suggests (or, when `merge`, makes) the short names of `session` aliases of their full
/// names.
pub(crate) fn short_names(session: &mut Session, merge: bool) {
    let first_lines = first_lines(session);
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for short in 0..session.speakers.len() {
        let Some(full) = full_name_of(session, short, &first_lines) else {
            continue;
        };
        let (s, f) = (&session.speakers[short].label, &session.speakers[full].label);
        let message = if merge {
            format!(
                "\"{s}\" is read as \"{f}\", the full label seen before it (--merge-short-names)"
            )
        } else {
            format!("\"{s}\" may be \"{f}\" (the first word of a label seen before it); {SUGGESTION_END}")
        };
        let line = first_lines[short].0;
        session.warnings.push(Warning::new(line, WarningKind::Participants, message));
        merges.push((short, full));
    }
    if merge && !merges.is_empty() {
        merge_speakers(session, &merges);
    }
}

/// The end of every suggestion's message (see [`is_suggestion`]).
const SUGGESTION_END: &str = "give --merge-short-names, or an alias in the participants file, \
                              to read them as one speaker";

/// Whether `warning` suggests a short name as an alias: dropped once a participants file,
/// which says who is who, is applied.
pub(crate) fn is_suggestion(warning: &Warning) -> bool {
    warning.kind == WarningKind::Participants && warning.message.ends_with(SUGGESTION_END)
}

/// The line of each speaker's first turn, and the number of their turns.
fn first_lines(session: &Session) -> Vec<(Option<usize>, usize)> {
    let mut first = vec![(None, 0); session.speakers.len()];
    for turn in &session.turns {
        let entry = &mut first[turn.speaker];
        entry.0.get_or_insert(turn.line);
        entry.1 += 1;
    }
    first
}

/// The one full label whose first word is speaker `short`'s one-word label, when it
/// introduced the speaker (one turn, before the short label's first) and no other full
/// label shares that first word.
fn full_name_of(
    session: &Session,
    short: usize,
    first_lines: &[(Option<usize>, usize)],
) -> Option<usize> {
    let key = speaker_key(&session.speakers[short].label);
    if key.contains(' ') || is_group_label(&key) || is_audience_label(&key) {
        return None;
    }
    let mut fulls = session.speakers.iter().enumerate().filter(|(i, s)| {
        let full = speaker_key(&s.label);
        *i != short && full.split(' ').count() >= 2 && full.split(' ').next() == Some(&key)
    });
    let (full, _) = fulls.next()?;
    let ((full_first, full_turns), (short_first, short_turns)) =
        (first_lines[full], first_lines[short]);
    let before = full_first.zip(short_first).is_some_and(|(f, s)| f < s);
    let introduces = full_turns == 1 && short_turns >= 2;
    (fulls.next().is_none() && before && introduces).then_some(full)
}

/// Moves the turns of each `(short, full)` pair to the full speaker and drops the short one.
fn merge_speakers(session: &mut Session, merges: &[(usize, usize)]) {
    let mut target: Vec<usize> = (0..session.speakers.len()).collect();
    for &(short, full) in merges {
        target[short] = full;
    }
    let kept: Vec<usize> = (0..session.speakers.len()).filter(|&i| target[i] == i).collect();
    let mut new_index = vec![0; session.speakers.len()];
    for (n, &i) in kept.iter().enumerate() {
        new_index[i] = n;
    }
    for turn in &mut session.turns {
        turn.speaker = new_index[target[turn.speaker]];
    }
    let speakers = std::mem::take(&mut session.speakers);
    session.speakers = speakers
        .into_iter()
        .enumerate()
        .filter(|(i, _)| target[*i] == *i)
        .map(|(_, s)| s)
        .collect();
}
