//! `quotes.md`: for each theme, the turns that mention it, with the mentions in bold and full
//! attribution, grouped by session in transcript order.

use std::fmt::Write;
use std::ops::Range;

use crate::analysis::Analysis;

/// A turn quoted for a theme: session index, turn index, and the theme's mention byte ranges.
#[derive(Debug, Clone)]
pub struct Quote {
    /// Index of the session in the analysis.
    pub session: usize,
    /// Index of the turn in the session.
    pub turn: usize,
    /// The theme's mentions in the turn, as sorted byte ranges.
    pub spans: Vec<Range<usize>>,
}

/// The quotes of every theme (indexed like the codebook's themes), in transcript order.
pub fn by_theme(analysis: &Analysis) -> Vec<Vec<Quote>> {
    let mut by_theme: Vec<Vec<Quote>> = vec![Vec::new(); analysis.codebook.themes.len()];
    for (si, coded) in analysis.sessions.iter().enumerate() {
        for m in &coded.mentions {
            let quotes = &mut by_theme[m.theme];
            // Mentions come in turn order, so a turn's quote, if any, is the theme's last.
            match quotes.last_mut().filter(|q| q.session == si && q.turn == m.turn) {
                Some(q) => q.spans.push(m.bytes.clone()),
                None => {
                    quotes.push(Quote { session: si, turn: m.turn, spans: vec![m.bytes.clone()] })
                }
            }
        }
    }
    by_theme
}

/// Renders the quote report. `max_quotes` limits the quotes per theme (`None`: all of them);
/// the chosen quotes are spread across sessions and, within sessions, across speakers.
/// `by_theme` is [`by_theme`]'s result, computed once for every report that quotes.
pub fn render(analysis: &Analysis, by_theme: &[Vec<Quote>], max_quotes: Option<usize>) -> String {
    let cb = &analysis.codebook;

    let mut out = String::new();
    let _ = writeln!(out, "# Quotes by theme\n");
    let _ = writeln!(out, "Codebook: {} ({})  ", cb.name, cb.path.display());
    let _ = writeln!(
        out,
        "Sessions: {} · counted words: {} ({})  ",
        analysis.sessions.len(),
        analysis.counted_words(),
        if analysis.options.include_moderators {
            "moderators included"
        } else {
            "participants only"
        }
    );
    let _ = writeln!(
        out,
        "Quotes per theme: {}\n",
        match max_quotes {
            Some(n) => format!("up to {n}, spread across sessions and speakers"),
            None => "all".to_string(),
        }
    );
    let _ = writeln!(
        out,
        "Each quote is one speaker turn; the words coded with the theme are in **bold**.\n"
    );

    for &ti in cb.order() {
        let theme = &cb.themes[ti];
        let quotes = &by_theme[ti];
        let _ = writeln!(out, "## {} (`{}`)\n", escape(&theme.label), theme.id);
        if let Some(p) = cb.parent_of(ti) {
            let _ =
                writeln!(out, "Part of: {} (`{}`)  ", escape(&cb.themes[p].label), cb.themes[p].id);
        }
        if let Some(brief) = theme.brief.as_ref().or(theme.definition.as_ref()) {
            let _ = writeln!(out, "{}  ", escape(brief));
        }
        let mentions: usize = quotes.iter().map(|q| q.spans.len()).sum();
        if quotes.is_empty() {
            let _ = writeln!(out, "No mentions.\n");
            continue;
        }
        let chosen = choose(analysis, quotes, max_quotes);
        let _ = writeln!(
            out,
            "{} in {}; {} shown.\n",
            plural(mentions, "mention"),
            plural(quotes.len(), "turn"),
            plural(chosen.len(), "quote")
        );
        let mut current_session = None;
        for q in chosen {
            let coded = &analysis.sessions[q.session];
            let s = &coded.session;
            if current_session != Some(q.session) {
                current_session = Some(q.session);
                match &s.title {
                    Some(title) => {
                        let _ = writeln!(out, "### {} · {}\n", escape(&s.id), escape(title));
                    }
                    None => {
                        let _ = writeln!(out, "### {}\n", escape(&s.id));
                    }
                }
            }
            let turn = &s.turns[q.turn];
            let _ = writeln!(out, "{}", blockquote(&turn.text, &q.spans));
            let timestamp = turn.timestamp.map(|t| format!("[{t}], ")).unwrap_or_default();
            let _ = writeln!(
                out,
                ">\n> — {}, {}, {}{}:{}\n",
                escape(&s.speaker_of(turn).label),
                escape(&s.id),
                timestamp,
                s.file.display(),
                turn.line
            );
        }
    }
    out
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Picks up to `max` quotes, taking turns between sessions and, within a session, between
/// speakers; returns them in transcript order.
pub fn choose<'q>(analysis: &Analysis, quotes: &'q [Quote], max: Option<usize>) -> Vec<&'q Quote> {
    let Some(max) = max.filter(|&m| m < quotes.len()) else {
        return quotes.iter().collect();
    };
    // Per session: its quotes interleaved by speaker (round robin in order of first quote).
    let mut sessions: Vec<Vec<&Quote>> = Vec::new();
    let mut i = 0;
    while i < quotes.len() {
        let si = quotes[i].session;
        let end = i + quotes[i..].iter().take_while(|q| q.session == si).count();
        let turns = &analysis.sessions[si].session.turns;
        let mut by_speaker: Vec<(usize, Vec<&Quote>)> = Vec::new();
        for q in &quotes[i..end] {
            let sp = turns[q.turn].speaker;
            match by_speaker.iter_mut().find(|(s, _)| *s == sp) {
                Some((_, list)) => list.push(q),
                None => by_speaker.push((sp, vec![q])),
            }
        }
        sessions.push(round_robin(by_speaker.into_iter().map(|(_, l)| l).collect()));
        i = end;
    }
    let mut chosen: Vec<&Quote> = round_robin(sessions).into_iter().take(max).collect();
    chosen.sort_by_key(|q| (q.session, q.turn));
    chosen
}

/// Interleaves lists: the first of each, then the second of each, and so on.
fn round_robin<T: Copy>(lists: Vec<Vec<T>>) -> Vec<T> {
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for k in 0..longest {
        out.extend(lists.iter().filter_map(|l| l.get(k).copied()));
    }
    out
}

/// Escapes the characters Markdown would read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The turn text as a Markdown block quote, with `spans` (byte ranges, sorted) in bold.
fn blockquote(text: &str, spans: &[Range<usize>]) -> String {
    let mut lines = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        let mut rendered = String::new();
        let mut pos = line_start;
        for span in spans {
            let (s, e) = (span.start.max(line_start), span.end.min(line_end));
            if s >= e || s < pos {
                continue;
            }
            rendered.push_str(&escape(&text[pos..s]));
            let inner = &text[s..e];
            let trimmed = inner.trim();
            if trimmed.is_empty() {
                rendered.push_str(&escape(inner));
            } else {
                let lead = &inner[..inner.len() - inner.trim_start().len()];
                let trail = &inner[inner.trim_end().len()..];
                let _ = write!(rendered, "{lead}**{}**{trail}", escape(trimmed));
            }
            pos = e;
        }
        rendered.push_str(&escape(&text[pos..line_end]));
        lines.push(format!("> {rendered}"));
        line_start = line_end + 1;
    }
    lines.join("\\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_spans_are_split_at_line_breaks_and_markup_is_escaped() {
        let text = "You keep\nyour word_ here *always*.";
        let span = 4..19;
        let got = blockquote(text, std::slice::from_ref(&span));
        assert_eq!(got, "> You **keep**\\\n> **your word\\_** here \\*always\\*.");
    }

    #[test]
    fn round_robin_interleaves() {
        assert_eq!(round_robin(vec![vec![1, 2, 3], vec![4], vec![5, 6]]), [1, 4, 5, 2, 6, 3]);
    }
}
