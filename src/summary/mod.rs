//! The coded corpus folded into what the reports need, one session at a time: counts per
//! session, speaker and theme, units and co-occurrence per theme, and the quotes chosen so
//! far. A session's text and mentions can be dropped once it is added, so a run's memory
//! does not grow with the corpus (the per-mention and per-unit tables are streamed to their
//! files as each batch is coded; see [`crate::pipeline`]).

pub mod cases;
pub mod central;
pub mod questions;
pub mod quotes;
pub mod units;
pub mod words;

use std::path::PathBuf;
use std::sync::Arc;

use crate::code::corpus::{Analysis, CodedSession, CodingOptions};
use crate::codebook::Codebook;
use crate::model::{Format, Role};
use crate::summary::units::{SessionSegments, Unit};
use cases::{CaseQuote, CaseQuotes};
use central::{Candidate, Pool};
pub use quotes::{Quote, ThemeQuotes};
use words::{Bag, SessionWords, Stems, ThemeWords, Vocabulary};

/// Representative quotes per theme in `summary.md` and the report, by default.
pub const DEFAULT_SUMMARY_QUOTES: usize = 3;

/// One speaker of a session, with what they said in counted turns.
#[derive(Debug, Clone)]
pub struct SpeakerSummary {
    /// The label as written in the transcript.
    pub label: String,
    /// The speaker's role.
    pub role: Role,
    /// The speaker's attributes, in column order.
    pub attributes: Vec<(String, String)>,
    /// Counted turns.
    pub turns: usize,
    /// Words in counted turns.
    pub words: usize,
    /// The index of the speaker's first counted turn.
    pub first_turn: Option<usize>,
    /// Mentions per theme (theme index, mentions), by theme index; themes without mentions
    /// are left out.
    pub themes: Vec<(u32, u32)>,
    /// The speaker's quote per theme they raised (see [`cases`]).
    pub quotes: CaseQuotes<CaseQuote>,
}

impl SpeakerSummary {
    /// The speaker's mentions of theme `ti`.
    pub fn mentions_of(&self, ti: usize) -> usize {
        self.themes
            .binary_search_by_key(&(ti as u32), |&(t, _)| t)
            .map_or(0, |k| self.themes[k].1 as usize)
    }
}

/// One session without its text: what every report needs of it.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    /// The session id.
    pub id: String,
    /// Front matter `title`.
    pub title: Option<String>,
    /// Front matter `date`, as written.
    pub date: Option<String>,
    /// The session's attributes, in file order.
    pub attributes: Vec<(String, String)>,
    /// The file the session was read from.
    pub file: Arc<PathBuf>,
    /// The format it was read as.
    pub format: Format,
    /// The speakers, in order of first appearance.
    pub speakers: Vec<SpeakerSummary>,
    /// Every turn, counted or not.
    pub turns: usize,
    /// Counted turns.
    pub counted_turns: usize,
    /// Words in counted turns.
    pub counted_words: usize,
    /// Mentions per theme (indexed like the codebook's themes).
    pub theme_mentions: Vec<u32>,
    /// The session's questions and the themes raised under each.
    pub questions: Vec<questions::QuestionSummary>,
    /// The session's quote per theme raised in it (see [`cases`]).
    pub quotes: CaseQuotes<CaseQuote>,
}

impl SessionSummary {
    /// Speakers with at least one counted turn, group voices included.
    pub fn counted_speakers(&self) -> impl Iterator<Item = &SpeakerSummary> {
        self.speakers.iter().filter(|s| s.turns > 0)
    }

    /// Counted speakers who are one person each: the participants (and moderators, when
    /// counted) of speaker counts and the speaker matrix; group voices are left out (see
    /// [`Role::is_person`]).
    pub fn counted_people(&self) -> impl Iterator<Item = &SpeakerSummary> {
        self.counted_speakers().filter(|s| s.role.is_person())
    }

    /// Every mention in the session.
    pub fn mentions(&self) -> usize {
        self.theme_mentions.iter().map(|&n| n as usize).sum()
    }
}

/// Corpus-wide counts of one theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThemeTotals {
    /// Mentions.
    pub mentions: u64,
    /// Units (of the run's [`Unit`]) with at least one mention.
    pub units: u64,
    /// Speakers (of any session) with at least one mention, group voices left out (their
    /// mentions count, but they are not one participant).
    pub speakers: u64,
    /// Sessions with at least one mention.
    pub sessions: u64,
}

/// The coded corpus, summarized for the reports.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The codebook used.
    pub codebook: Codebook,
    /// The coding options used.
    pub options: CodingOptions,
    /// The unit of segment counts and co-occurrence.
    pub unit: Unit,
    /// The sessions, in input order.
    pub sessions: Vec<SessionSummary>,
    /// Corpus-wide counts per theme (indexed like the codebook's themes).
    pub themes: Vec<ThemeTotals>,
    /// Units coded with both themes, `together[a * themes + b]` (symmetric; the diagonal is
    /// unused).
    pub together: Vec<u64>,
    /// Every unit, coded or not.
    pub units: u64,
    /// Per theme: its quotes (see [`quotes`]).
    pub quotes: Vec<ThemeQuotes>,
    /// The stems of the counted turns (see [`words`]).
    pub vocabulary: Vocabulary,
    /// Per theme: the stems of the turns coded with it.
    pub theme_words: Vec<ThemeWords>,
    /// Per theme: the candidates for its representative quotes (see [`central`]).
    pub pools: Vec<Pool>,
    /// Per guide question and theme raised under it: the quote of the session where the
    /// question raised it most (the first of those), with its mentions there. The other
    /// questions keep their quotes in their session (the first [`cases::QUOTED_SESSIONS`]
    /// sessions only).
    pub guide_quotes: std::collections::BTreeMap<(String, usize), (u64, central::Chosen)>,
}

impl Summary {
    /// Folds a whole coded corpus (for the commands that hold one in memory).
    pub fn of(analysis: &Analysis, unit: Unit, max_quotes: Option<usize>) -> Summary {
        let quotes = (max_quotes, DEFAULT_SUMMARY_QUOTES);
        let mut builder = Builder::new(analysis.codebook.clone(), analysis.options, unit, quotes);
        let mut stems = Stems::new(&analysis.codebook);
        for coded in &analysis.sessions {
            let segments = SessionSegments::new(coded, unit);
            builder.add(coded, &segments, &stems.of_session(coded));
        }
        builder.finish()
    }

    /// Words of all counted turns.
    pub fn counted_words(&self) -> usize {
        self.sessions.iter().map(|s| s.counted_words).sum()
    }

    /// Counted turns.
    pub fn counted_turns(&self) -> usize {
        self.sessions.iter().map(|s| s.counted_turns).sum()
    }

    /// Every turn, counted or not.
    pub fn turns(&self) -> usize {
        self.sessions.iter().map(|s| s.turns).sum()
    }

    /// Every mention.
    pub fn mention_count(&self) -> u64 {
        self.themes.iter().map(|t| t.mentions).sum()
    }

    /// Units coded with both `a` and `b`.
    pub fn both(&self, a: usize, b: usize) -> u64 {
        self.together[a * self.themes.len() + b]
    }

    /// Speakers with counted turns, across sessions (group voices included).
    pub fn counted_speakers(&self) -> usize {
        self.sessions.iter().map(|s| s.counted_speakers().count()).sum()
    }
}

/// Builds a [`Summary`] one coded session at a time, in input order.
#[derive(Debug)]
pub struct Builder {
    summary: Summary,
    quotes: Vec<quotes::Selector>,
    /// Scratch: the themes of the current unit.
    unit_themes: Vec<u32>,
}

impl Builder {
    /// An empty summary; `quotes` are the number of quotes kept per theme for `quotes.md`
    /// (`None`: all) and the number of representative quotes per theme to be chosen.
    pub fn new(
        codebook: Codebook,
        options: CodingOptions,
        unit: Unit,
        (max_quotes, summary_quotes): (Option<usize>, usize),
    ) -> Builder {
        let n = codebook.themes.len();
        Builder {
            quotes: (0..n).map(|_| quotes::Selector::new(max_quotes)).collect(),
            summary: Summary {
                codebook,
                options,
                unit,
                sessions: Vec::new(),
                themes: vec![ThemeTotals::default(); n],
                together: vec![0; n * n],
                units: 0,
                quotes: Vec::new(),
                vocabulary: Vocabulary::default(),
                theme_words: vec![ThemeWords::default(); n],
                pools: (0..n).map(|_| Pool::new(summary_quotes)).collect(),
                guide_quotes: Default::default(),
            },
            unit_themes: Vec::new(),
        }
    }

    /// The number of sessions added so far (the index the next one gets).
    pub fn sessions(&self) -> usize {
        self.summary.sessions.len()
    }

    /// Adds the next session, cut into `segments`, with its stems (`words`).
    pub fn add(&mut self, coded: &CodedSession, segments: &SessionSegments, words: &SessionWords) {
        let si = self.summary.sessions.len();
        let n = self.summary.themes.len();
        let s = &coded.session;
        let mut speakers = speaker_summaries(coded);
        let theme_mentions = count_mentions(coded, n, &mut speakers);
        self.add_theme_totals(&theme_mentions, &speakers);
        self.add_units(coded, segments);
        let by_theme = quotes::turns_by_theme(coded, n);
        let bags = self.add_words(si, coded, &by_theme, words);
        let sum = &self.summary;
        let cases =
            cases::of_session(si, coded, &by_theme, &bags, &sum.theme_words, &sum.vocabulary);
        for (sp, quotes) in speakers.iter_mut().zip(cases.speakers) {
            sp.quotes = quotes;
        }
        let mut questions = questions::of_session(coded);
        for (q, quotes) in questions.iter_mut().zip(cases.questions) {
            if q.from_guide {
                self.add_guide_quotes(q, quotes);
            } else if si < cases::QUOTED_SESSIONS {
                q.quotes = quotes;
            }
        }
        self.add_quotes(si, coded, by_theme);
        self.summary.sessions.push(SessionSummary {
            id: s.id.clone(),
            title: s.title.clone(),
            date: s.date.clone(),
            attributes: s.attributes.clone(),
            file: Arc::clone(&s.file),
            format: s.format,
            turns: s.turns.len(),
            counted_turns: coded.counted_turns(),
            counted_words: coded.counted_words(),
            speakers,
            theme_mentions,
            questions,
            quotes: cases.session,
        });
    }

    /// Adds a session's stems to the vocabulary and each theme's coded turns to its stems,
    /// then offers those turns to the theme's pool of candidates; returns the bag of each
    /// turn of the session.
    fn add_words(
        &mut self,
        si: usize,
        coded: &CodedSession,
        by_theme: &[Vec<quotes::QuotedTurn>],
        words: &SessionWords,
    ) -> Vec<Bag> {
        let sum = &mut self.summary;
        let bags = sum.vocabulary.add(words);
        for (ti, quoted) in by_theme.iter().enumerate() {
            for (turn, _) in quoted {
                sum.theme_words[ti].add(&bags[*turn]);
            }
        }
        let s = &coded.session;
        for (ti, quoted) in by_theme.iter().enumerate() {
            for (turn, spans) in quoted {
                let candidate = || Candidate {
                    quote: Quote::of_turn(si, coded, *turn, spans.clone()),
                    speaker: s.turns[*turn].speaker,
                    bag: bags[*turn].clone(),
                };
                let (theme, voc) = (&sum.theme_words[ti], &sum.vocabulary);
                sum.pools[ti].offer(&bags[*turn], candidate, theme, voc);
            }
        }
        bags
    }

    /// Adds a session's mentions per theme, and its speakers who are one person each, to the
    /// theme totals.
    fn add_theme_totals(&mut self, theme_mentions: &[u32], speakers: &[SpeakerSummary]) {
        let totals = &mut self.summary.themes;
        for (t, &m) in theme_mentions.iter().enumerate() {
            if m > 0 {
                totals[t].mentions += u64::from(m);
                totals[t].sessions += 1;
            }
        }
        for sp in speakers.iter().filter(|sp| sp.role.is_person()) {
            for &(t, _) in &sp.themes {
                totals[t as usize].speakers += 1;
            }
        }
    }

    /// Adds a session's units: the themes of each unit, for unit counts and co-occurrence.
    /// Mentions come in turn order, and a unit's mentions are contiguous.
    fn add_units(&mut self, coded: &CodedSession, segments: &SessionSegments) {
        let n = self.summary.themes.len();
        let totals = &mut self.summary.themes;
        self.summary.units += segments.segments.len() as u64;
        let mut k = 0;
        while k < coded.mentions.len() {
            let unit = segments.mention_segment[k];
            self.unit_themes.clear();
            while k < coded.mentions.len() && segments.mention_segment[k] == unit {
                self.unit_themes.push(coded.mentions[k].theme as u32);
                k += 1;
            }
            self.unit_themes.sort_unstable();
            self.unit_themes.dedup();
            for (x, &a) in self.unit_themes.iter().enumerate() {
                totals[a as usize].units += 1;
                for &b in &self.unit_themes[x + 1..] {
                    self.summary.together[a as usize * n + b as usize] += 1;
                    self.summary.together[b as usize * n + a as usize] += 1;
                }
            }
        }
    }

    /// Keeps the quotes of a guide question `q` of the session being added where it raised
    /// a theme more than in any earlier session.
    fn add_guide_quotes(&mut self, q: &questions::QuestionSummary, quotes: CaseQuotes) {
        for (ti, chosen) in quotes {
            let Some(counts) = q.themes.iter().find(|(t, _)| *t == ti as usize).map(|c| c.1) else {
                continue;
            };
            use std::collections::btree_map::Entry;
            match self.summary.guide_quotes.entry((q.id.clone(), ti as usize)) {
                Entry::Vacant(v) => {
                    v.insert((counts.mentions, chosen));
                }
                Entry::Occupied(mut o) if counts.mentions > o.get().0 => {
                    o.insert((counts.mentions, chosen));
                }
                Entry::Occupied(_) => {}
            }
        }
    }

    /// Offers the quotes of session `si`, its coded turns per theme, to each theme's
    /// selector.
    fn add_quotes(
        &mut self,
        si: usize,
        coded: &CodedSession,
        by_theme: Vec<Vec<quotes::QuotedTurn>>,
    ) {
        for (ti, quoted) in by_theme.into_iter().enumerate() {
            if !quoted.is_empty() {
                self.quotes[ti].add(si, coded, quoted);
            }
        }
    }

    /// The summary of every session added.
    pub fn finish(mut self) -> Summary {
        self.summary.quotes = self.quotes.into_iter().map(quotes::Selector::finish).collect();
        self.summary
    }
}

/// The speakers of a session with their counted turns and words (their mentions still
/// empty: see [`count_mentions`]).
fn speaker_summaries(coded: &CodedSession) -> Vec<SpeakerSummary> {
    let s = &coded.session;
    let mut speakers: Vec<SpeakerSummary> = s
        .speakers
        .iter()
        .map(|sp| SpeakerSummary {
            label: sp.label.clone(),
            role: sp.role,
            attributes: sp.attributes.clone(),
            turns: 0,
            words: 0,
            first_turn: None,
            themes: Vec::new(),
            quotes: Vec::new(),
        })
        .collect();
    for (t, turn) in s.turns.iter().enumerate() {
        if coded.counted[t] {
            let sp = &mut speakers[turn.speaker];
            sp.turns += 1;
            sp.words += coded.words[t];
            sp.first_turn.get_or_insert(t);
        }
    }
    speakers
}

/// The mentions of a session per theme (of `n`); fills each of its `speakers`' mentions per
/// theme.
fn count_mentions(coded: &CodedSession, n: usize, speakers: &mut [SpeakerSummary]) -> Vec<u32> {
    let s = &coded.session;
    let mut theme_mentions = vec![0u32; n];
    let mut per_speaker: Vec<Vec<u32>> = vec![Vec::new(); s.speakers.len()];
    for m in &coded.mentions {
        theme_mentions[m.theme] += 1;
        let counts = &mut per_speaker[s.turns[m.turn].speaker];
        if counts.is_empty() {
            counts.resize(n, 0);
        }
        counts[m.theme] += 1;
    }
    for (sp, counts) in speakers.iter_mut().zip(&per_speaker) {
        sp.themes = counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(t, &c)| (t as u32, c))
            .collect();
    }
    theme_mentions
}
