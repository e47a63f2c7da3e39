//! What was said under each question of a session: the answers' turns and words, and per
//! theme the mentions, the turns and the speakers that raised it. Kept per session (a few
//! numbers per question and theme), so memory stays flat as the corpus streams past; the
//! question matrix (`question_matrix.csv`) lines guide questions up across sessions.

use std::collections::BTreeMap;

use crate::code::corpus::CodedSession;

/// One question of a session and what its answers raised.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    /// `q1`, `q2`, … in session order; with `--guide`, the matched guide question's id.
    pub id: String,
    /// The question as asked (with `--guide`, the guide's text when matched).
    pub text: String,
    /// Whether it was matched to a question of the interview guide, so that the same id in
    /// another session is the same question.
    pub from_guide: bool,
    /// Counted turns answering it.
    pub answer_turns: u64,
    /// Words in those turns.
    pub answer_words: u64,
    /// The themes raised under it, by theme index (ascending).
    pub themes: Vec<(usize, QuestionTheme)>,
    /// Its quote per theme raised under it (see [`super::cases`]).
    pub quotes: super::cases::CaseQuotes,
}

/// How one theme came up under one question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionTheme {
    /// Mentions.
    pub mentions: u64,
    /// Turns with at least one mention.
    pub turns: u64,
    /// Speakers with at least one mention who are one person each (group voices left out,
    /// as in the theme totals).
    pub speakers: u64,
}

/// A question's counts of one theme while a session is read: the counts, the last turn
/// counted, the speakers counted.
type Cell = (QuestionTheme, Option<usize>, Vec<usize>);

/// Where each question of `session` is counted: the index of its [`QuestionSummary`]. A
/// guide question asked again later in the session (a moderator coming back to it) is
/// counted with its first asking, so that its speakers and its session count once.
pub(crate) fn slots(session: &crate::model::Session) -> (Vec<usize>, usize) {
    let mut firsts: Vec<usize> = Vec::new();
    let slots = session
        .questions
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let same = |&f: &usize| {
                let first = &session.questions[f];
                q.from_guide && first.from_guide && first.id == q.id
            };
            match firsts.iter().position(same) {
                Some(slot) => slot,
                None => {
                    firsts.push(k);
                    firsts.len() - 1
                }
            }
        })
        .collect();
    (slots, firsts.len())
}

/// The questions of a coded session, in session order (a guide question asked twice, once).
pub(super) fn of_session(coded: &CodedSession) -> Vec<QuestionSummary> {
    let s = &coded.session;
    let (slot, _) = slots(s);
    let mut questions: Vec<QuestionSummary> = s
        .questions
        .iter()
        .enumerate()
        .filter(|&(k, _)| slot[..k].iter().all(|&o| o != slot[k]))
        .map(|(_, q)| QuestionSummary {
            id: q.id.clone(),
            text: q.text.clone(),
            from_guide: q.from_guide,
            answer_turns: 0,
            answer_words: 0,
            themes: Vec::new(),
            quotes: Vec::new(),
        })
        .collect();
    let slot_of = |q: Option<u32>| q.and_then(|q| slot.get(q as usize).copied());
    for (t, turn) in s.turns.iter().enumerate() {
        let Some(q) = slot_of(turn.question) else {
            continue;
        };
        if coded.counted[t] {
            questions[q].answer_turns += 1;
            questions[q].answer_words += coded.words[t] as u64;
        }
    }
    // (question, theme) → counts, the last turn counted, the speakers counted.
    let mut cells: BTreeMap<(usize, usize), Cell> = BTreeMap::new();
    for m in &coded.mentions {
        let turn = &s.turns[m.turn];
        let Some(q) = slot_of(turn.question) else {
            continue;
        };
        let (counts, last_turn, speakers) = cells.entry((q, m.theme)).or_default();
        counts.mentions += 1;
        if *last_turn != Some(m.turn) {
            counts.turns += 1;
            *last_turn = Some(m.turn);
        }
        if s.speakers[turn.speaker].role.is_person() && !speakers.contains(&turn.speaker) {
            speakers.push(turn.speaker);
            counts.speakers += 1;
        }
    }
    for ((q, theme), (counts, _, _)) in cells {
        questions[q].themes.push((theme, counts));
    }
    questions
}
