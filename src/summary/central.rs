//! Representative quotes: the coded turns most central to what a theme's turns say, chosen
//! so that they differ from each other.
//!
//! A turn's centrality is the cosine similarity of its stemmed tf-idf vector to the centroid
//! of the theme's other turns (the idf-weighted stems of the turns coded with the theme, less
//! the turn itself; see [`super::words`]). The quotes are picked greedily by maximal marginal relevance
//! ([`choose`]): each next quote is the candidate with the best balance of centrality and
//! difference from the quotes already picked, at most one per speaker, from a session (and,
//! with groups, a group) not yet quoted while there is one.
//!
//! As the corpus streams past, each theme keeps a bounded pool of candidates ([`Pool`]):
//! when it grows past twice its size, it keeps the most central by the centroid so far.
//! Small corpora never prune, so their choice is exact; memory stays bounded by the pool.
//!
//! What is shown of a turn is a window of whole sentences around the theme's first mention
//! ([`window`]) when the turn is long.

use std::ops::Range;

use super::quotes::Quote;
use super::words::{bag_cosine, Bag, ThemeWords, Vocabulary};
use crate::sentences::sentences;

/// How much centrality weighs against difference from the quotes already picked.
const LAMBDA: f64 = 0.7;

/// Candidates kept per theme for every quote asked for (and at least [`MIN_POOL`]).
const POOL_PER_QUOTE: usize = 8;

/// The smallest pool of candidates per theme.
const MIN_POOL: usize = 64;

/// Candidates kept from one speaker of one session when a pool is pruned.
const PER_SPEAKER: usize = 2;

/// Characters of a summary quote, at most (a longer turn is shown as a window of sentences).
pub const SUMMARY_CHARS: usize = 400;

/// Characters of a framework matrix quote, about.
pub const CASE_CHARS: usize = 300;

/// A coded turn that may be quoted for a theme.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The turn, its text and the theme's spans in it.
    pub quote: Quote,
    /// The speaker's index in the session.
    pub speaker: usize,
    /// The turn's stems.
    pub bag: Bag,
}

/// One theme's candidates, bounded.
#[derive(Debug, Clone)]
pub struct Pool {
    keep: usize,
    /// After a prune: the lowest affinity kept. A later turn below it is not taken in (it
    /// would most likely be pruned), which saves copying its text.
    threshold: Option<f64>,
    /// The candidates kept, in transcript order until the first prune.
    pub candidates: Vec<Candidate>,
}

impl Pool {
    /// A pool for choosing `quotes` quotes.
    pub fn new(quotes: usize) -> Pool {
        Pool {
            keep: (quotes * POOL_PER_QUOTE).max(MIN_POOL),
            threshold: None,
            candidates: Vec::new(),
        }
    }

    /// Offers a coded turn whose stems are `bag`: made into a candidate (by `candidate`)
    /// unless, after a prune, its affinity is below the lowest kept.
    pub fn offer(
        &mut self,
        bag: &Bag,
        candidate: impl FnOnce() -> Candidate,
        theme: &ThemeWords,
        vocabulary: &Vocabulary,
    ) {
        if self.threshold.is_some_and(|t| theme.affinity(bag, vocabulary) < t) {
            return;
        }
        self.add(candidate(), theme, vocabulary);
    }

    /// Adds a candidate; prunes by the theme's stems so far when the pool is full.
    pub fn add(&mut self, candidate: Candidate, theme: &ThemeWords, vocabulary: &Vocabulary) {
        self.candidates.push(candidate);
        if self.candidates.len() >= 2 * self.keep {
            self.prune(theme, vocabulary);
        }
    }

    /// Keeps the `keep` most central candidates, at most [`PER_SPEAKER`] per speaker. They
    /// are ranked by [`ThemeWords::affinity`], which ranks like the cosine to the centroid
    /// without building it.
    fn prune(&mut self, theme: &ThemeWords, vocabulary: &Vocabulary) {
        let mut scored: Vec<(f64, Candidate)> = std::mem::take(&mut self.candidates)
            .into_iter()
            .map(|c| (theme.affinity(&c.bag, vocabulary), c))
            .collect();
        scored.sort_by(|(x, a), (y, b)| y.total_cmp(x).then_with(|| order(a).cmp(&order(b))));
        let mut taken: Vec<((usize, usize), usize)> = Vec::new();
        for (score, c) in scored {
            let key = (c.quote.session, c.speaker);
            let n = match taken.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => n,
                None => {
                    taken.push((key, 0));
                    &mut taken.last_mut().expect("just pushed").1
                }
            };
            if *n < PER_SPEAKER && self.candidates.len() < self.keep {
                *n += 1;
                self.candidates.push(c);
                self.threshold = Some(score);
            }
        }
        self.candidates.sort_by_key(order);
    }
}

/// A candidate's place in the corpus: session, then turn.
fn order(c: &Candidate) -> (usize, usize) {
    (c.quote.session, c.quote.turn)
}

/// A quote chosen for a theme: the window shown, its centrality.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    /// The turn, with `text` and `spans` cut to the window shown.
    pub quote: Quote,
    /// Whether text of the turn comes before the window.
    pub cut_before: bool,
    /// Whether text of the turn comes after the window.
    pub cut_after: bool,
    /// How central the turn is to the theme: for a theme's quotes ([`choose`]), its cosine
    /// similarity to the theme's centroid; for a case's quote ([`case_score`]), its score
    /// when its session was read.
    pub score: f64,
}

impl Chosen {
    /// The quote's text as shown: `…` where the turn was cut.
    pub fn shown_text(&self) -> String {
        format!(
            "{}{}{}",
            if self.cut_before { "… " } else { "" },
            self.quote.text,
            if self.cut_after { " …" } else { "" }
        )
    }
}

/// Picks up to `n` of `pool`'s candidates by maximal marginal relevance. `group` gives a
/// candidate's group (session index, speaker index), if groups are compared.
pub fn choose(
    pool: &[Candidate],
    theme: &ThemeWords,
    vocabulary: &Vocabulary,
    n: usize,
    group: &dyn Fn(usize, usize) -> Option<String>,
) -> Vec<Chosen> {
    let centroid = theme.centroid(vocabulary);
    let windows: Vec<Range<usize>> =
        pool.iter().map(|c| window(&c.quote.text, &c.quote.spans, SUMMARY_CHARS)).collect();
    let relevance: Vec<f64> = pool
        .iter()
        .zip(&windows)
        .map(|(c, w)| centroid.cosine(&c.bag, vocabulary) * readability(&c.quote.text[w.clone()]))
        .collect();
    let groups: Vec<Option<String>> =
        pool.iter().map(|c| group(c.quote.session, c.speaker)).collect();
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < n {
        let Some(best) = next_pick(pool, &relevance, &groups, &picked, vocabulary) else { break };
        picked.push(best);
    }
    picked
        .into_iter()
        .map(|i| {
            let c = &pool[i];
            shown(&c.quote, windows[i].clone(), centroid.cosine(&c.bag, vocabulary))
        })
        .collect()
}

/// The quote as shown: cut to the window `w` of its text.
pub fn shown(quote: &Quote, w: Range<usize>, score: f64) -> Chosen {
    Chosen {
        cut_before: !quote.text[..w.start].trim().is_empty(),
        cut_after: !quote.text[w.end..].trim().is_empty(),
        quote: cut(quote, w),
        score,
    }
}

/// How well a coded turn stands for its case (a speaker, a session, a question) in the
/// theme's framework-matrix cell, with the window shown of it: its `affinity` to the theme's
/// stems so far ([`ThemeWords::affinity`]), times the readability of the window. Only turns
/// of one session are compared by it (they are scored against the same stems).
pub fn case_score(
    turn: &Sentences<'_>,
    spans: &[Range<usize>],
    affinity: f64,
) -> (f64, Range<usize>) {
    let w = turn.window(spans, CASE_CHARS);
    (affinity * readability(&turn.text[w.clone()]), w)
}

/// The index of the next quote to pick, if any candidate is left: from a new group, then a
/// new session, when there is one; by MMR score; ties in transcript order.
fn next_pick(
    pool: &[Candidate],
    relevance: &[f64],
    groups: &[Option<String>],
    picked: &[usize],
    vocabulary: &Vocabulary,
) -> Option<usize> {
    let speaker_used = |i: usize| {
        picked.iter().any(|&p| {
            pool[p].quote.session == pool[i].quote.session && pool[p].speaker == pool[i].speaker
        })
    };
    let new_group =
        |i: usize| groups[i].is_some() && picked.iter().all(|&p| groups[p] != groups[i]);
    let new_session =
        |i: usize| picked.iter().all(|&p| pool[p].quote.session != pool[i].quote.session);
    let mmr = |i: usize| {
        let redundancy = picked
            .iter()
            .map(|&p| bag_cosine(&pool[i].bag, &pool[p].bag, vocabulary))
            .fold(0.0, f64::max);
        LAMBDA * relevance[i] - (1.0 - LAMBDA) * redundancy
    };
    (0..pool.len())
        .filter(|&i| !speaker_used(i))
        .map(|i| (new_group(i), new_session(i), mmr(i), i))
        .max_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then(a.2.total_cmp(&b.2))
                .then_with(|| order(&pool[b.3]).cmp(&order(&pool[a.3])))
        })
        .map(|(_, _, _, i)| i)
}

/// How readable a quote of this text is, from 0 to 1: short fragments weigh less.
fn readability(text: &str) -> f64 {
    let chars = text.chars().count() as f64;
    (chars / 80.0).min(1.0)
}

/// The quote cut to the byte range `w` of its text, with its spans moved into it.
pub fn cut(quote: &Quote, w: Range<usize>) -> Quote {
    let spans = quote
        .spans
        .iter()
        .filter(|s| s.start < w.end && s.end > w.start)
        .map(|s| s.start.max(w.start) - w.start..s.end.min(w.end) - w.start)
        .collect();
    Quote { text: quote.text[w].to_string(), spans, ..quote.clone() }
}

/// What to show of a turn quoted for its `spans`: the whole turn when it has at most
/// `limit` characters; else the sentence of the first span, widened by the next sentences
/// and then the previous ones while the window stays within `limit` characters. A sentence
/// longer than `limit` is cut at word boundaries around the first span.
pub fn window(text: &str, spans: &[Range<usize>], limit: usize) -> Range<usize> {
    Sentences::new(text).window(spans, limit)
}

/// A turn's text, its trimmed range and its sentences, each found once when first needed: a
/// turn is windowed for every theme coded in it.
#[derive(Debug)]
pub struct Sentences<'a> {
    text: &'a str,
    /// The text without white space at either end, and its characters.
    trimmed: std::cell::OnceCell<(Range<usize>, usize)>,
    cuts: std::cell::OnceCell<Vec<Range<usize>>>,
}

impl<'a> Sentences<'a> {
    /// The turn whose text is `text`.
    pub fn new(text: &'a str) -> Sentences<'a> {
        Sentences { text, trimmed: Default::default(), cuts: Default::default() }
    }

    /// The window shown of the turn for `spans`, at most `limit` characters (see [`window`]).
    pub fn window(&self, spans: &[Range<usize>], limit: usize) -> Range<usize> {
        let text = self.text;
        let (trimmed, chars) = self.trimmed.get_or_init(|| {
            let trimmed = trim(text, 0..text.len());
            let chars = text[trimmed.clone()].chars().count();
            (trimmed, chars)
        });
        if *chars <= limit {
            return trimmed.clone();
        }
        let cuts = self.cuts.get_or_init(|| sentences(text));
        let at = spans.first().map_or(0, |s| s.start);
        let Some(k) = cuts.iter().position(|s| s.end > at).or(cuts.len().checked_sub(1)) else {
            return trimmed.clone();
        };
        let chars = |r: &Range<usize>| text[r.clone()].chars().count();
        let mut w = cuts[k].clone();
        if chars(&w) > limit {
            return within_sentence(text, w, at, limit);
        }
        let (mut before, mut after) = (k, k + 1);
        loop {
            let grown_after = (after < cuts.len()).then(|| w.start..cuts[after].end);
            if let Some(g) = grown_after.filter(|g| chars(g) <= limit) {
                w = g;
                after += 1;
                continue;
            }
            let grown_before = (before > 0).then(|| cuts[before - 1].start..w.end);
            match grown_before.filter(|g| chars(g) <= limit) {
                Some(g) => {
                    w = g;
                    before -= 1;
                }
                None => return w,
            }
        }
    }
}

/// A piece of one long sentence, at most `limit` characters, cut at white space, holding
/// byte `at` (and starting up to a third of `limit` before it).
fn within_sentence(text: &str, s: Range<usize>, at: usize, limit: usize) -> Range<usize> {
    let lead: Vec<usize> = text[s.start..at.max(s.start)].char_indices().map(|(i, _)| i).collect();
    let back = lead.len().saturating_sub(limit / 3);
    let mut start = s.start + lead.get(back).copied().unwrap_or(0);
    if start > s.start {
        // Start at a word: after the white space at or after `start`.
        start =
            text[start..at.max(start)].find(char::is_whitespace).map_or(start, |i| start + i + 1);
    }
    let end_char = text[start..s.end].char_indices().nth(limit).map_or(s.end, |(i, _)| start + i);
    let mut end = end_char;
    if end < s.end {
        end = text[start..end].rfind(char::is_whitespace).map_or(end, |i| start + i);
    }
    trim(text, start..end)
}

/// `r` without white space at either end.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let piece = &text[r.clone()];
    let start = r.start + (piece.len() - piece.trim_start().len());
    let end = r.end - (piece.len() - piece.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn a_short_turn_is_shown_whole() {
        let text = "  Trust is everything. We earn it.  ";
        assert_eq!(&text[window(text, &[2..7], 400)], "Trust is everything. We earn it.");
    }

    #[test]
    fn a_long_turn_is_shown_as_whole_sentences_around_the_mention() {
        let text = "One two three. Four five six. Trust matters here. Seven eight. Nine ten.";
        let at = text.find("Trust").unwrap();
        // 19 characters: the sentence of the mention only.
        assert_eq!(&text[window(text, &[at..at + 5], 20)], "Trust matters here.");
        // 32: the next sentence joins it.
        assert_eq!(&text[window(text, &[at..at + 5], 32)], "Trust matters here. Seven eight.");
        // 57: both later sentences, then the one before.
        assert_eq!(
            &text[window(text, &[at..at + 5], 57)],
            "Four five six. Trust matters here. Seven eight. Nine ten."
        );
    }

    #[test]
    fn a_long_sentence_is_cut_at_words_around_the_mention() {
        let text = "alpha beta gamma delta epsilon zeta trust eta theta iota kappa lambda mu";
        let at = text.find("trust").unwrap();
        let w = window(text, &[at..at + 5], 30);
        let shown = &text[w];
        assert!(shown.contains("trust"), "{shown}");
        assert!(shown.chars().count() <= 30, "{shown}");
        assert!(text.contains(shown));
        assert!(!shown.starts_with(' ') && !shown.ends_with(' '));
        assert_eq!(shown, "zeta trust eta theta iota");
    }

    /// A candidate of session `session`, speaker `speaker`, whose bag is `bag`.
    fn candidate(session: usize, speaker: usize, bag: Bag) -> Candidate {
        let quote = Quote {
            session,
            turn: 0,
            spans: Vec::new(),
            text: format!("turn of speaker {speaker}"),
            speaker: format!("S{speaker}"),
            line: 1,
            timestamp: None,
        };
        Candidate { quote, speaker, bag }
    }

    #[test]
    fn a_full_pool_keeps_the_most_central_two_per_speaker_and_turns_away_weaker_turns() {
        // Stem 0 is the theme's word; stem 1 is used once, by an off-topic turn.
        let mut voc = Vocabulary::default();
        let words = crate::summary::words::SessionWords {
            stems: vec!["trust".into(), "bus".into()],
            forms: vec!["trust".into(), "bus".into()],
            turns: vec![vec![(0, 3)], vec![(1, 1)]],
        };
        let bags = voc.add(&words);
        let (on, off) = (bags[0].clone(), bags[1].clone());
        let mut theme = ThemeWords::default();
        let mut pool = Pool::new(1);
        // 64 kept: 2 × 64 on-topic turns from 64 speakers of session 0 fill it and prune it.
        for k in 0..128 {
            theme.add(&on);
            pool.add(candidate(0, k / 2, on.clone()), &theme, &voc);
        }
        assert_eq!(pool.candidates.len(), MIN_POOL);
        assert!(pool.threshold.is_some());
        // An off-topic turn scores 0 against the theme's other turns: not taken in.
        theme.add(&off);
        pool.offer(&off, || candidate(1, 0, off.clone()), &theme, &voc);
        assert_eq!(pool.candidates.len(), MIN_POOL);
        // An on-topic one is.
        theme.add(&on);
        pool.offer(&on, || candidate(1, 1, on.clone()), &theme, &voc);
        assert_eq!(pool.candidates.len(), MIN_POOL + 1);
        assert_eq!(pool.candidates.last().unwrap().quote.session, 1);
    }

    #[test]
    fn spans_move_with_the_cut() {
        let q = Quote {
            session: 0,
            turn: 0,
            spans: vec![0..3, 10..15],
            text: "one. two. three.".into(),
            speaker: "A".into(),
            line: 1,
            timestamp: None,
        };
        let c = cut(&q, 5..16);
        assert_eq!(c.text, "two. three.");
        assert_eq!(c.spans, [5..10]);
    }
}
