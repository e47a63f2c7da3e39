//! `quotes.md`: for each theme, the turns that mention it, with the mentions in bold and full
//! attribution, grouped by session in transcript order.

use std::fmt::Write;
use std::ops::Range;

use crate::display::plural;
use crate::summary::Summary;

/// Renders the quote report. `max_quotes` is the limit of quotes per theme the summary was
/// built with (`None`: all of them); the chosen quotes are spread across sessions and,
/// within sessions, across speakers (see [`crate::summary::quotes`]).
pub fn render(summary: &Summary, max_quotes: Option<usize>) -> String {
    let cb = &summary.codebook;

    let mut out = String::new();
    let _ = writeln!(out, "# Quotes by theme\n");
    let _ = writeln!(out, "Codebook: {} ({})  ", cb.name, cb.path.display());
    let _ = writeln!(
        out,
        "Sessions: {} · counted words: {} ({})  ",
        summary.sessions.len(),
        summary.counted_words(),
        if summary.options.include_moderators {
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
        let quotes = &summary.quotes[ti];
        let _ = writeln!(out, "## {} (`{}`)\n", escape(&theme.label), theme.id);
        if let Some(p) = cb.parent_of(ti) {
            let _ =
                writeln!(out, "Part of: {} (`{}`)  ", escape(&cb.themes[p].label), cb.themes[p].id);
        }
        if let Some(brief) = theme.brief.as_ref().or(theme.definition.as_ref()) {
            let _ = writeln!(out, "{}  ", escape(brief));
        }
        if quotes.turns == 0 {
            let _ = writeln!(out, "No mentions.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "{} in {}; {} shown.\n",
            plural(quotes.mentions, "mention"),
            plural(quotes.turns, "turn"),
            plural(quotes.chosen.len(), "quote")
        );
        let mut current_session = None;
        for q in &quotes.chosen {
            let s = &summary.sessions[q.session];
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
            let _ = writeln!(out, "{}", blockquote(&q.text, &q.spans));
            let timestamp = q.timestamp.map(|t| format!("[{t}], ")).unwrap_or_default();
            let _ = writeln!(
                out,
                ">\n> — {}, {}, {}{}:{}\n",
                escape(&q.speaker),
                escape(&s.id),
                timestamp,
                s.file.display(),
                q.line
            );
        }
    }
    out
}

/// Escapes the characters Markdown would read as markup.
pub(crate) fn escape(text: &str) -> String {
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
pub(crate) fn blockquote(text: &str, spans: &[Range<usize>]) -> String {
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
}
