//! Quotes per theme, chosen while the corpus streams past: up to `--max-quotes` turns per
//! theme, spread across sessions (one from each session in turn) and, within a session,
//! across speakers. Only the turns that can still be chosen are kept, with their text, so
//! memory stays bounded by the number of quotes asked for, not by the corpus.

use std::ops::Range;

use crate::code::corpus::CodedSession;
use crate::model::Timestamp;

/// A turn quoted for a theme, with everything needed to show it after its session is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Index of the session in the summary.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// The theme's mentions in the turn, as sorted byte ranges of `text`.
    pub spans: Vec<Range<usize>>,
    /// The turn's text.
    pub text: String,
    /// The speaker's label.
    pub speaker: String,
    /// The 1-based line of the file where the turn starts.
    pub line: usize,
    /// When the turn starts, if the transcript says.
    pub timestamp: Option<Timestamp>,
}

impl Quote {
    /// Turn `turn` of `coded` (session `si` of the summary), quoted for the theme's `spans`.
    pub fn of_turn(
        si: usize,
        coded: &CodedSession,
        turn: usize,
        spans: Vec<Range<usize>>,
    ) -> Quote {
        let s = &coded.session;
        let t = &s.turns[turn];
        Quote {
            session: si,
            turn,
            spans,
            text: t.text.clone(),
            speaker: s.speakers[t.speaker].label.clone(),
            line: t.line,
            timestamp: t.timestamp,
        }
    }
}

/// One theme's quotes: how many turns mention it, and the ones chosen, in transcript order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeQuotes {
    /// Mentions of the theme.
    pub mentions: usize,
    /// Turns that mention it.
    pub turns: usize,
    /// The quotes chosen, in transcript order.
    pub chosen: Vec<Quote>,
}

/// A turn that mentions a theme: its index and the theme's byte ranges in it.
pub(crate) type QuotedTurn = (usize, Vec<Range<usize>>);

/// For each theme (indexed like the codebook's), the turns of `coded` that mention it, in
/// transcript order.
pub(crate) fn turns_by_theme(coded: &CodedSession, themes: usize) -> Vec<Vec<QuotedTurn>> {
    let mut by_theme: Vec<Vec<QuotedTurn>> = vec![Vec::new(); themes];
    for m in &coded.mentions {
        let quotes = &mut by_theme[m.theme];
        // Mentions come in turn order, so a turn's quote, if any, is the theme's last.
        match quotes.last_mut().filter(|(turn, _)| *turn == m.turn) {
            Some((_, spans)) => spans.push(m.bytes.clone()),
            None => quotes.push((m.turn, vec![m.bytes.clone()])),
        }
    }
    by_theme
}

/// Chooses one theme's quotes, session by session.
///
/// The choice is the first `max` quotes of a round robin over the sessions (in input order)
/// of each session's quotes, themselves a round robin over its speakers (in order of their
/// first quote). A quote at position `k` of its session's list can only be chosen while
/// fewer than `max` quotes sit at positions before `k` (or at `k` in earlier sessions), and
/// later sessions only add to those, so everything else is dropped as soon as it is known.
#[derive(Debug, Clone)]
pub struct Selector {
    max: Option<usize>,
    mentions: usize,
    turns: usize,
    /// Per session with quotes still in the running: its list, in round-robin order.
    lists: Vec<Vec<Quote>>,
}

impl Selector {
    /// A selector keeping up to `max` quotes (`None`: all).
    pub fn new(max: Option<usize>) -> Selector {
        Selector { max, mentions: 0, turns: 0, lists: Vec::new() }
    }

    /// Adds the turns of session `si` that mention the theme (in transcript order).
    pub(crate) fn add(&mut self, si: usize, coded: &CodedSession, quoted: Vec<QuotedTurn>) {
        self.mentions += quoted.iter().map(|(_, spans)| spans.len()).sum::<usize>();
        self.turns += quoted.len();
        let turns = &coded.session.turns;
        // Round robin over the speakers, in order of their first quote.
        let mut by_speaker: Vec<(usize, Vec<QuotedTurn>)> = Vec::new();
        for q in quoted {
            let sp = turns[q.0].speaker;
            match by_speaker.iter_mut().find(|(s, _)| *s == sp) {
                Some((_, list)) => list.push(q),
                None => by_speaker.push((sp, vec![q])),
            }
        }
        let mut list = round_robin(by_speaker.into_iter().map(|(_, l)| l).collect());
        if let Some(max) = self.max {
            list.truncate(max);
        }
        if list.is_empty() {
            return;
        }
        // Placeholders first; the text is copied only for the quotes that survive.
        self.lists.push(
            list.into_iter()
                .map(|(turn, spans)| Quote {
                    session: si,
                    turn,
                    spans,
                    text: String::new(),
                    speaker: String::new(),
                    line: 0,
                    timestamp: None,
                })
                .collect(),
        );
        self.prune();
        if let Some(last) =
            self.lists.last_mut().filter(|l| l.first().is_some_and(|q| q.session == si))
        {
            for q in last {
                *q = Quote::of_turn(si, coded, q.turn, std::mem::take(&mut q.spans));
            }
        }
    }

    /// Drops the quotes that can no longer be among the first `max` of the round robin.
    fn prune(&mut self) {
        let Some(max) = self.max else { return };
        let total: usize = self.lists.iter().map(Vec::len).sum();
        if total <= max {
            return;
        }
        // The level (position in a session's list) where the round robin reaches `max`, and
        // how many quotes it takes at that level.
        let (mut level, mut below) = (0, 0);
        let take_at_level = loop {
            let at_level = self.lists.iter().filter(|l| l.len() > level).count();
            if below + at_level >= max {
                break max - below;
            }
            below += at_level;
            level += 1;
        };
        let mut left = take_at_level;
        for list in &mut self.lists {
            let mut keep = list.len().min(level);
            if list.len() > level && left > 0 {
                left -= 1;
                keep += 1;
            }
            list.truncate(keep);
        }
        self.lists.retain(|l| !l.is_empty());
    }

    /// The theme's quotes: counts and the chosen ones in transcript order.
    pub fn finish(self) -> ThemeQuotes {
        let mut chosen: Vec<Quote> = self.lists.into_iter().flatten().collect();
        chosen.sort_by_key(|q| (q.session, q.turn));
        ThemeQuotes { mentions: self.mentions, turns: self.turns, chosen }
    }
}

/// Interleaves lists: the first of each, then the second of each, and so on.
fn round_robin<T>(lists: Vec<Vec<T>>) -> Vec<T> {
    let total = lists.iter().map(Vec::len).sum();
    let mut iters: Vec<_> = lists.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        for it in &mut iters {
            if let Some(x) = it.next() {
                out.push(x);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_interleaves() {
        assert_eq!(round_robin(vec![vec![1, 2, 3], vec![4], vec![5, 6]]), [1, 4, 5, 2, 6, 3]);
    }

    /// The quotes a selector keeps from sessions whose lists have these lengths, as
    /// (session, position) pairs.
    fn kept(max: usize, lengths: &[usize]) -> Vec<(usize, usize)> {
        let mut sel = Selector::new(Some(max));
        for (si, &len) in lengths.iter().enumerate() {
            sel.lists.push(
                (0..len)
                    .map(|k| Quote {
                        session: si,
                        turn: k,
                        spans: Vec::new(),
                        text: String::new(),
                        speaker: String::new(),
                        line: 0,
                        timestamp: None,
                    })
                    .collect(),
            );
            sel.prune();
        }
        sel.finish().chosen.iter().map(|q| (q.session, q.turn)).collect()
    }

    /// The first `max` of the round robin over all lists at once.
    fn expected(max: usize, lengths: &[usize]) -> Vec<(usize, usize)> {
        let lists: Vec<Vec<(usize, usize)>> =
            lengths.iter().enumerate().map(|(s, &n)| (0..n).map(|k| (s, k)).collect()).collect();
        let mut all: Vec<(usize, usize)> = round_robin(lists).into_iter().take(max).collect();
        all.sort();
        all
    }

    #[test]
    fn pruning_one_session_at_a_time_keeps_the_round_robins_first_quotes() {
        let cases: &[(usize, &[usize])] = &[
            (3, &[5, 1, 4]),
            (5, &[1, 1, 1, 1, 1, 1, 1]),
            (4, &[10]),
            (6, &[2, 7, 1, 3, 3]),
            (2, &[0, 3, 0, 3]),
            (25, &[3, 40, 2, 2, 30, 1, 9]),
            (1, &[4, 4]),
        ];
        for &(max, lengths) in cases {
            let lengths: Vec<usize> = lengths.iter().copied().filter(|&n| n > 0).collect();
            assert_eq!(kept(max, &lengths), expected(max, &lengths), "{max} {lengths:?}");
        }
    }
}
