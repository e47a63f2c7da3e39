//! The quote of each case for each theme, for the framework matrix and the question view: per
//! speaker, per session and per question of a session, the coded turn that best stands for
//! the case (see [`central::case_score`]), cut to a window of about
//! [`central::CASE_CHARS`] characters. One quote per case and theme is kept, so memory grows
//! with the matrix, not with the corpus.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::central::{self, Chosen};
use super::quotes::{Quote, QuotedTurn};
use super::words::{Bag, ThemeWords, Vocabulary};
use crate::code::corpus::CodedSession;

/// The sessions whose own questions (those not matched to the guide) keep their quotes: the
/// question views list the questions of at most this many sessions (the rest are in
/// `question_matrix.csv`), so a large corpus does not keep a quote per question.
pub const QUOTED_SESSIONS: usize = 40;

/// A case's quote per theme: (theme index, quote), by theme index. The question views keep
/// [`Chosen`] quotes (with speaker and time); the framework matrix's speakers and sessions
/// keep [`CaseQuote`]s.
pub type CaseQuotes<Q = Chosen> = Vec<(u32, Q)>;

/// A speaker's or a session's quote of a theme, as the framework matrix shows it: one is kept
/// per case and theme of the whole corpus, so it holds only what the matrix writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuote {
    /// The window shown, with `…` where the turn was cut ([`Chosen::shown_text`]).
    pub text: Box<str>,
    /// The 1-based line of the file where the turn starts.
    pub line: u32,
}

impl CaseQuote {
    /// The matrix's form of `chosen`.
    pub fn of(chosen: &Chosen) -> CaseQuote {
        CaseQuote {
            text: chosen.shown_text().into_boxed_str(),
            line: u32::try_from(chosen.quote.line).unwrap_or(u32::MAX),
        }
    }
}

/// The quotes of one session's cases.
#[derive(Debug, Default)]
pub(super) struct SessionCases {
    /// Per speaker of the session.
    pub speakers: Vec<CaseQuotes<CaseQuote>>,
    /// The session as a whole.
    pub session: CaseQuotes<CaseQuote>,
    /// Per question of the session, as [`super::questions::slots`] counts them.
    pub questions: Vec<CaseQuotes>,
}

/// The best turn so far of one case and theme: its score, the turn, its window and the
/// theme's spans in it.
type Best<'a> = (f64, usize, Range<usize>, &'a [Range<usize>]);

/// The case quotes of session `si`, from its coded turns per theme (`by_theme`) and their
/// stems (`bags`, per turn of the session), scored against the themes' stems so far.
pub(super) fn of_session(
    si: usize,
    coded: &CodedSession,
    by_theme: &[Vec<QuotedTurn>],
    bags: &[Bag],
    theme_words: &[ThemeWords],
    vocabulary: &Vocabulary,
) -> SessionCases {
    let s = &coded.session;
    let (slot, slots) = super::questions::slots(s);
    let mut speakers: FxHashMap<(usize, u32), Best> = FxHashMap::default();
    let mut sessions: FxHashMap<u32, Best> = FxHashMap::default();
    let mut questions: FxHashMap<(usize, u32), Best> = FxHashMap::default();
    let texts: Vec<central::Sentences> =
        s.turns.iter().map(|t| central::Sentences::new(&t.text)).collect();
    for (ti, quoted) in by_theme.iter().enumerate() {
        let ti = ti as u32;
        for (turn, turn_spans) in quoted {
            let t = &s.turns[*turn];
            let theme = &theme_words[ti as usize];
            let affinity = theme.affinity(&bags[*turn], vocabulary);
            // Only the questions whose quotes are kept (see [`QUOTED_SESSIONS`]), by the
            // slot they are counted in.
            let question = t
                .question
                .map(|q| q as usize)
                .filter(|&q| q < s.questions.len())
                .filter(|&q| s.questions[q].from_guide || si < QUOTED_SESSIONS)
                .map(|q| slot[q]);
            // The score is at most the affinity: the window is only worked out when the turn
            // can beat the best of a case.
            let beaten = |best: Option<&Best>| best.is_some_and(|b| b.0 >= affinity);
            if beaten(speakers.get(&(t.speaker, ti)))
                && beaten(sessions.get(&ti))
                && question.is_none_or(|q| beaten(questions.get(&(q, ti))))
            {
                continue;
            }
            let (score, w) = central::case_score(&texts[*turn], turn_spans, affinity);
            let best = (score, *turn, w, &turn_spans[..]);
            keep_best(speakers.entry((t.speaker, ti)).or_insert_with(|| best.clone()), &best);
            keep_best(sessions.entry(ti).or_insert_with(|| best.clone()), &best);
            if let Some(q) = question {
                keep_best(questions.entry((q, ti)).or_insert_with(|| best.clone()), &best);
            }
        }
    }
    let show = |ti: u32, (score, turn, w, spans): Best| {
        (ti, central::shown(&Quote::of_turn(si, coded, turn, spans.to_vec()), w, score))
    };
    let mut out = SessionCases {
        speakers: vec![Vec::new(); s.speakers.len()],
        session: Vec::new(),
        questions: vec![Vec::new(); slots],
    };
    let compact = |(ti, chosen): (u32, Chosen)| (ti, CaseQuote::of(&chosen));
    for ((sp, ti), best) in speakers {
        out.speakers[sp].push(compact(show(ti, best)));
    }
    for (ti, best) in sessions {
        out.session.push(compact(show(ti, best)));
    }
    for ((q, ti), best) in questions {
        out.questions[q].push(show(ti, best));
    }
    for list in &mut out.speakers {
        list.sort_by_key(|(ti, _)| *ti);
    }
    for list in &mut out.questions {
        list.sort_by_key(|(ti, _)| *ti);
    }
    out.session.sort_by_key(|(ti, _)| *ti);
    out
}

/// Keeps the better of `best` and `other`: the higher score, the earlier turn on ties.
fn keep_best<'a>(best: &mut Best<'a>, other: &Best<'a>) {
    if other.0 > best.0 || (other.0 == best.0 && other.1 < best.1) {
        *best = other.clone();
    }
}

/// The quote of theme `ti` in `quotes`, if the case has one.
pub fn quote_of<Q>(quotes: &CaseQuotes<Q>, ti: usize) -> Option<&Q> {
    quotes.binary_search_by_key(&(ti as u32), |(t, _)| *t).ok().map(|k| &quotes[k].1)
}
