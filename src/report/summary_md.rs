//! `summary.md`: the findings ([`super::findings`]) as a first draft of the write-up, under
//! the themes (`--summary-by theme`) or under the questions (`--summary-by question`), as
//! published write-ups of focus groups are.

use std::fmt::Write;

use super::findings::{Findings, QuestionFinding, QuoteFinding, Study};
use super::quotes::{blockquote, escape};
use crate::display::{count, plural, thousands};

/// How `summary.md` is arranged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SummaryBy {
    /// A section per theme, in codebook order.
    #[default]
    Theme,
    /// A section per question, with the themes raised under it.
    Question,
}

impl crate::display::Named for SummaryBy {
    const CHOICES: &'static [(SummaryBy, &'static str, &'static str)] = &[
        (SummaryBy::Theme, "theme", "A section per theme, in codebook order"),
        (
            SummaryBy::Question,
            "question",
            "A section per question, with the themes raised under it (themes follow)",
        ),
    ];
}

impl SummaryBy {
    /// The name, as `--summary-by` takes it.
    pub fn as_str(self) -> &'static str {
        crate::display::Named::name(self)
    }
}

/// The file name.
pub const FILE: &str = "summary.md";

/// Renders `summary.md`.
pub fn render(f: &Findings, by: SummaryBy) -> String {
    let mut out = String::new();
    study(&mut out, &f.study);
    if by == SummaryBy::Question && !f.questions.is_empty() {
        questions(&mut out, f);
        let _ = writeln!(out, "## Themes\n");
        themes(&mut out, f, "###");
    } else {
        if by == SummaryBy::Question {
            let _ = writeln!(
                out,
                "No themes were raised under a question (no moderator turn asks one), so the \
                 summary follows the themes.\n"
            );
        }
        themes(&mut out, f, "##");
    }
    out
}

/// The title and the study paragraph.
fn study(out: &mut String, s: &Study) {
    let _ = writeln!(out, "# Summary: {}\n", escape(&s.codebook));
    let _ = writeln!(
        out,
        "{} with {} {}: {} counted words, coded with {} ({}): {} of {} themes found, {}.\n",
        plural(s.sessions, "session"),
        s.participants,
        s.who,
        thousands(s.words),
        escape(&s.codebook),
        escape(&s.codebook_path),
        s.themes_found,
        s.themes,
        count(s.mentions, "mention")
    );
    if !s.widest.is_empty() {
        let widest: Vec<String> = s.widest.iter().map(|w| escape(w)).collect();
        let _ = writeln!(out, "Raised by the most {}: {}.\n", s.who, widest.join("; "));
    }
    if let Some(compared) = &s.compared {
        if s.differences.is_empty() {
            let _ = writeln!(
                out,
                "Compared: {}. No theme differs significantly between them.\n",
                escape(compared)
            );
        } else {
            let _ = writeln!(out, "Compared: {}. Significant differences:\n", escape(compared));
            for d in &s.differences {
                let _ = writeln!(out, "- {}", escape(d));
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "Sentences are filled from the counts of the CSV files; quotes are verbatim, the coded \
         words in **bold**, … where a long turn was cut.\n"
    );
}

/// A section per theme, headed at `level`.
fn themes(out: &mut String, f: &Findings, level: &str) {
    for t in &f.themes {
        let _ = writeln!(out, "{level} {} (`{}`)\n", escape(&t.label), t.id);
        if let Some(parent) = &t.parent {
            let _ = writeln!(out, "Part of: {}  ", escape(parent));
        }
        if let Some(brief) = &t.brief {
            let _ = writeln!(out, "*{}*\n", escape(brief.trim()));
        } else if t.parent.is_some() {
            out.push('\n');
        }
        let sentences: Vec<String> = t.sentences.iter().map(|s| escape(s)).collect();
        let _ = writeln!(out, "{}\n", sentences.join(" "));
        for q in &t.quotes {
            quote(out, q);
        }
    }
}

/// Themes under a question whose quotes `summary.md` shows, at most (the rest are counted).
const QUOTED_PER_QUESTION: usize = 3;

/// A section per question: the guide's questions first, then each session's own, under the
/// session.
fn questions(out: &mut String, f: &Findings) {
    for q in f.questions.iter().filter(|q| q.session.is_none()) {
        let _ = writeln!(
            out,
            "## {}
",
            escape(&q.text)
        );
        question(out, q, &format!("Asked in {}", q.asked_in.join(", ")));
    }
    let mut session = None;
    for q in f.questions.iter().filter(|q| q.session.is_some()) {
        if session != q.session.as_ref() {
            session = q.session.as_ref();
            let id = q.session.as_deref().unwrap_or_default();
            match &q.session_title {
                Some(title) => {
                    let _ = writeln!(out, "## {} · {}\n", escape(id), escape(title));
                }
                None => {
                    let _ = writeln!(out, "## {}\n", escape(id));
                }
            }
        }
        let _ = writeln!(out, "### {}\n", escape(&q.text));
        question(out, q, "Asked");
    }
    if f.sessions_left_out > 0 {
        let _ = writeln!(
            out,
            "The questions of {} more sessions are not listed here: every question is in \
             `question_matrix.csv`.\n",
            thousands(f.sessions_left_out)
        );
    }
}

/// One question: its answers, the themes raised, the quotes of the first themes.
fn question(out: &mut String, q: &QuestionFinding, asked: &str) {
    let _ = writeln!(out, "{asked} (`{}`): {}.\n", q.id, q.answers);
    for t in &q.themes {
        let _ = writeln!(out, "- **{}** (`{}`): {}.", escape(&t.label), t.id, t.counts);
    }
    out.push('\n');
    for t in q.themes.iter().take(QUOTED_PER_QUESTION) {
        if let Some(quote_shown) = &t.quote {
            let _ = writeln!(out, "{}:\n", escape(&t.label));
            quote(out, quote_shown);
        }
    }
}

/// A quote as a block quote with its attribution.
fn quote(out: &mut String, q: &QuoteFinding) {
    let mut text = String::new();
    let mut spans = Vec::new();
    if q.cut_before {
        text.push_str("… ");
    }
    for p in &q.pieces {
        let start = text.len();
        text.push_str(&p.text);
        if p.hit {
            spans.push(start..text.len());
        }
    }
    if q.cut_after {
        text.push_str(" …");
    }
    let timestamp =
        if q.timestamp.is_empty() { String::new() } else { format!("[{}], ", q.timestamp) };
    let _ = writeln!(
        out,
        "{}\n>\n> — {}, {}, {timestamp}{}\n",
        blockquote(&text, &spans),
        escape(&q.speaker),
        escape(&q.session),
        q.source
    );
}
