//! The coding stage of the pipeline: codes every turn of every session with the engine,
//! in parallel across sessions, and keeps each mention with its full provenance.

use std::ops::Range;

use rayon::prelude::*;

use crate::code::{Coder, Engine};
use crate::codebook::Codebook;
use crate::model::{Role, Session};
use crate::tokenize::CharOffsets;

/// One mention: a merged span of one theme in one turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the turn in [`Session::turns`].
    pub turn: usize,
    /// Theme index in the codebook.
    pub theme: usize,
    /// Byte range in the turn's text.
    pub bytes: Range<usize>,
    /// Character (Unicode scalar value) offsets in the turn's text, half-open.
    pub chars: Range<usize>,
    /// The 1-based line of the file where the mention starts.
    pub line: usize,
    /// The rules (see [`Engine::rules`]) whose spans make up the mention.
    pub rules: Vec<usize>,
}

/// A session with its coding.
#[derive(Debug, Clone)]
pub struct CodedSession {
    /// The session as read.
    pub session: Session,
    /// The word count of each turn.
    pub words: Vec<usize>,
    /// Whether each turn is counted (participants always; moderators when asked; observers
    /// never).
    pub counted: Vec<bool>,
    /// Mentions ordered by turn, then start, then codebook order.
    pub mentions: Vec<Mention>,
}

impl CodedSession {
    /// Words of the counted turns.
    pub fn counted_words(&self) -> usize {
        self.words.iter().zip(&self.counted).filter(|(_, c)| **c).map(|(w, _)| w).sum()
    }

    /// Number of counted turns.
    pub fn counted_turns(&self) -> usize {
        self.counted.iter().filter(|c| **c).count()
    }
}

/// Options of the coding stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct CodingOptions {
    /// Code and count moderator turns too.
    pub include_moderators: bool,
}

impl CodingOptions {
    /// Whether turns of a speaker with `role` are coded and counted: participants and group
    /// voices always, moderators when asked, observers never.
    pub fn counts(&self, role: Role) -> bool {
        match role {
            Role::Participant | Role::Group => true,
            Role::Moderator => self.include_moderators,
            Role::Observer => false,
        }
    }
}

/// The coded corpus, ready for aggregation and reports.
#[derive(Debug)]
pub struct Analysis {
    /// The codebook used.
    pub codebook: Codebook,
    /// The compiled codebook (for rule provenance).
    pub engine: Engine,
    /// Sessions in input order.
    pub sessions: Vec<CodedSession>,
    /// The options used.
    pub options: CodingOptions,
}

impl Analysis {
    /// Codes `sessions` (in parallel; the result is in input order whatever the thread count).
    pub fn run(codebook: Codebook, sessions: Vec<Session>, options: CodingOptions) -> Analysis {
        Analysis::run_with_progress(codebook, sessions, options, &|_| {})
    }

    /// [`Analysis::run`], calling `done` with the text bytes of each session once it is
    /// coded (from any worker thread, in any order): for a progress bar.
    pub fn run_with_progress(
        codebook: Codebook,
        sessions: Vec<Session>,
        options: CodingOptions,
        done: &(dyn Fn(u64) + Sync),
    ) -> Analysis {
        let engine = Engine::new(&codebook);
        let rank = theme_ranks(&codebook);
        let coded = sessions
            .into_par_iter()
            .map_init(
                || Coder::new(&engine),
                |coder, s| {
                    let bytes = s.text_bytes();
                    let coded = code_session(coder, &rank, s, options);
                    done(bytes);
                    coded
                },
            )
            .collect();
        Analysis { codebook, engine, sessions: coded, options }
    }

    /// Words of all counted turns (participant words, plus moderators' when included).
    pub fn counted_words(&self) -> usize {
        self.sessions.iter().map(CodedSession::counted_words).sum()
    }

    /// Number of counted turns.
    pub fn counted_turns(&self) -> usize {
        self.sessions.iter().map(CodedSession::counted_turns).sum()
    }

    /// Total mentions of every theme.
    pub fn mention_count(&self) -> usize {
        self.sessions.iter().map(|s| s.mentions.len()).sum()
    }
}

/// The position of each theme in codebook order.
pub fn theme_ranks(codebook: &Codebook) -> Vec<usize> {
    let mut rank = vec![0; codebook.themes.len()];
    for (r, &i) in codebook.order().iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// Codes one session's counted turns.
pub fn code_session(
    coder: &mut Coder<'_>,
    rank: &[usize],
    session: Session,
    options: CodingOptions,
) -> CodedSession {
    code_session_with(coder, rank, session, options, &mut |_, _, _| {})
}

/// What is told each counted turn as it is coded: its index, text and tokens.
pub type CountedTurn<'f> = dyn FnMut(usize, &str, &[std::ops::Range<usize>]) + 'f;

/// [`code_session`], telling `counted_turn` each counted turn's index, text and tokens as it
/// is coded (so that what else needs its tokens does not tokenize it again).
pub fn code_session_with(
    coder: &mut Coder<'_>,
    rank: &[usize],
    session: Session,
    options: CodingOptions,
    counted_turn: &mut CountedTurn<'_>,
) -> CodedSession {
    let mut words = Vec::with_capacity(session.turns.len());
    let mut counted = Vec::with_capacity(session.turns.len());
    let mut mentions = Vec::new();
    for (t, turn) in session.turns.iter().enumerate() {
        let is_counted = options.counts(session.speakers[turn.speaker].role);
        counted.push(is_counted);
        if !is_counted {
            words.push(coder.count_words(&turn.text));
            continue;
        }
        let (n, mut spans) = coder.code(&turn.text);
        counted_turn(t, &turn.text, coder.tokens());
        words.push(n);
        // In text order, so that character offsets take one pass over the turn however many
        // mentions it has.
        spans.sort_by_key(|s| (s.range.start, s.range.end, rank[s.theme]));
        let mut offsets = CharOffsets::new(&turn.text);
        for span in spans {
            mentions.push(Mention {
                turn: t,
                theme: span.theme,
                chars: offsets.range(&span.range),
                line: turn.line_of(span.range.start),
                bytes: span.range,
                rules: span.rules,
            });
        }
    }
    CodedSession { session, words, counted, mentions }
}
