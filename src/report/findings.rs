//! The findings of a run, a first draft of the write-up: for each theme, how widely it was
//! raised (sentences filled from the counts, in fixed templates), where it differs between
//! groups, what it comes up with and under which questions, the words that set its passages
//! apart, and its representative quotes; and question by question, the themes raised under
//! each with a quote. `summary.md` ([`super::summary_md`]) and the first sections of
//! `report.html` show the same findings.
//!
//! Every number comes from the summary structures and tables the CSV files are written from
//! (`theme_frequencies.csv`, `session_matrix.csv`, `cooccurrence.csv`,
//! `question_matrix.csv`, `comparison.csv`); nothing here is generated prose.

use serde::Serialize;

use crate::aggregate::{per_1000, question_rows, QuestionRow, Tables};
use crate::analysis::compare::{Comparison, GroupOf, ThemeComparison};
use crate::analysis::stats::log_likelihood;
use crate::codebook::{term_words, Codebook};
use crate::display::{count, p_for_people, plural, plural_as, shorten_at_word};
use crate::error::{Error, Result};
use crate::explore::terms::Words;
use crate::summary::cases::QUOTED_SESSIONS;
use crate::summary::central::{self, Chosen};
use crate::summary::{Quote, Summary};

/// Themes named as coming up together with a theme, at most.
const TOGETHER: usize = 3;
/// Questions named as those a theme comes up under, at most.
const QUESTIONS: usize = 3;
/// Distinctive words named per theme, at most.
const WORDS: usize = 6;
/// A distinctive word is used at least this often in the theme's turns…
const MIN_WORD_COUNT: u64 = 3;
/// …and its log-likelihood is at least this (p < 0.001 at one degree of freedom).
const MIN_LOG_LIKELIHOOD: f64 = 10.83;
/// Themes named in the study section as raised by most participants.
const WIDEST: usize = 5;

/// What `summary.md` and the report's first sections show.
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    /// The study at a glance.
    pub study: Study,
    /// The themes with mentions, in codebook order.
    pub themes: Vec<ThemeFinding>,
    /// The questions under which themes were raised, in order of first appearance: the
    /// guide's, and those of the first [`QUOTED_SESSIONS`] sessions.
    pub questions: Vec<QuestionFinding>,
    /// Sessions whose own questions are not listed (beyond the first [`QUOTED_SESSIONS`]).
    pub sessions_left_out: usize,
    /// Representative quotes asked for per theme.
    pub quotes_per_theme: usize,
}

/// The study: sessions, participants, words, the codebook.
#[derive(Debug, Clone, Serialize)]
pub struct Study {
    /// The codebook's name.
    pub codebook: String,
    /// The codebook file.
    pub codebook_path: String,
    /// Sessions.
    pub sessions: usize,
    /// Counted speakers who are one person each (the rows of `speaker_matrix.csv`).
    pub participants: usize,
    /// `participants`, or `participants and moderators` when moderators are counted.
    pub who: &'static str,
    /// Words in counted turns.
    pub words: usize,
    /// Themes in the codebook.
    pub themes: usize,
    /// Themes with mentions.
    pub themes_found: usize,
    /// Every mention.
    pub mentions: u64,
    /// The themes raised by most participants, each as `label (k of n participants, p %)`.
    pub widest: Vec<String>,
    /// With a comparison: what was compared.
    pub compared: Option<String>,
    /// With a comparison: one line per theme that differs significantly.
    pub differences: Vec<String>,
}

/// One theme's findings.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeFinding {
    /// The theme id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its parent's label.
    pub parent: Option<String>,
    /// Its depth in the theme tree.
    pub depth: usize,
    /// Its brief (or definition).
    pub brief: Option<String>,
    /// Mentions (as in `theme_frequencies.csv`).
    pub mentions: u64,
    /// Speakers who raised it (as in `theme_frequencies.csv`).
    pub speakers: u64,
    /// Sessions where it was raised.
    pub sessions: u64,
    /// Mentions per 1,000 counted words.
    pub per_1000_words: f64,
    /// The sentences filled from the counts, in order: reach, spread over sessions, group
    /// difference, co-occurrence, questions, words.
    pub sentences: Vec<String>,
    /// Its representative quotes.
    pub quotes: Vec<QuoteFinding>,
}

/// A quote as shown: verbatim, cut to a window of whole sentences when the turn is long.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteFinding {
    /// The text shown, cut into pieces; `hit` pieces are the theme's mentions.
    pub pieces: Vec<Piece>,
    /// Whether the turn goes on before the text shown.
    pub cut_before: bool,
    /// Whether the turn goes on after it.
    pub cut_after: bool,
    /// The speaker's label.
    pub speaker: String,
    /// The session id.
    pub session: String,
    /// When the turn starts, if the transcript says.
    pub timestamp: String,
    /// `file:line`.
    pub source: String,
}

/// A piece of a quote's text.
#[derive(Debug, Clone, Serialize)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Whether it is a mention of the theme.
    pub hit: bool,
}

/// One question (a guide question across sessions, or a question of one session) and the
/// themes raised under it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionFinding {
    /// `q1`, … or the guide question's id.
    pub id: String,
    /// The question as asked (or as the guide words it).
    pub text: String,
    /// The session, for a question not lined up with the guide.
    pub session: Option<String>,
    /// That session's title.
    pub session_title: Option<String>,
    /// The sessions that asked it.
    pub asked_in: Vec<String>,
    /// Counted turns answering it.
    pub answer_turns: u64,
    /// Words in those turns.
    pub answer_words: u64,
    /// `36 turns answering, 1,671 words`.
    pub answers: String,
    /// The themes raised under it (themes with rules of their own), most speakers first.
    pub themes: Vec<QuestionThemeFinding>,
}

/// One theme under one question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionThemeFinding {
    /// The theme id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Mentions under the question.
    pub mentions: u64,
    /// Speakers who raised it under the question.
    pub speakers: u64,
    /// Sessions where it was raised under the question.
    pub sessions: u64,
    /// `12 mentions by 5 participants in 3 sessions`.
    pub counts: String,
    /// The quote that stands for it under the question (`None` when its best turn is
    /// already quoted for a theme above it).
    pub quote: Option<QuoteFinding>,
}

/// The findings of `summary`, whose tables are `tables`, with `quotes` representative quotes
/// per theme; `comparison` when groups were compared.
pub fn of(
    summary: &Summary,
    tables: &Tables,
    comparison: Option<&Comparison>,
    quotes: usize,
) -> Result<Findings> {
    let groups = comparison.map(|c| GroupOf::new(summary, c)).transpose()?;
    let group = |si: usize, sp: usize| groups.as_ref().and_then(|g| g.of(summary, si, sp));
    let co = Cooccurrence::of(tables).map_err(|e| Error::table("summary.md", e))?;
    let rows = question_rows(summary);
    let participants = tables.speaker_matrix.height();
    let cb = &summary.codebook;
    let themes = cb
        .order()
        .iter()
        .filter(|&&ti| summary.themes[ti].mentions > 0)
        .map(|&ti| {
            let mut f = theme(summary, ti, participants);
            f.sentences.extend(spread(summary, ti));
            f.sentences.extend(comparison.and_then(|c| difference(c, &cb.themes[ti].id)));
            f.sentences.extend(co.together(cb, ti, tables.unit.as_str()));
            f.sentences.extend(under_questions(&rows, ti));
            f.sentences.extend(distinctive_words(summary, ti));
            let pool = &summary.pools[ti].candidates;
            f.quotes = central::choose(
                pool,
                &summary.theme_words[ti],
                &summary.vocabulary,
                quotes,
                &group,
            )
            .iter()
            .map(|c| chosen_finding(summary, c))
            .collect();
            f
        })
        .collect();
    Ok(Findings {
        study: study(summary, participants, comparison),
        themes,
        questions: rows
            .iter()
            .filter(|r| r.session.is_none() || r.asked_in.first() < Some(&QUOTED_SESSIONS))
            .filter_map(|r| question(summary, r))
            .collect(),
        sessions_left_out: summary.sessions.len().saturating_sub(QUOTED_SESSIONS),
        quotes_per_theme: quotes,
    })
}

/// Who the counted speakers are.
fn who(summary: &Summary) -> &'static str {
    if summary.options.include_moderators {
        "participants and moderators"
    } else {
        "participants"
    }
}

/// The study section.
fn study(summary: &Summary, participants: usize, comparison: Option<&Comparison>) -> Study {
    let cb = &summary.codebook;
    let mut widest: Vec<usize> = cb
        .order()
        .iter()
        .copied()
        .filter(|&ti| cb.themes[ti].has_rules() && summary.themes[ti].speakers > 0)
        .collect();
    // Most speakers first; codebook order on ties (the sort is stable).
    widest.sort_by_key(|&ti| std::cmp::Reverse(summary.themes[ti].speakers));
    Study {
        codebook: cb.name.clone(),
        codebook_path: cb.path.display().to_string(),
        sessions: summary.sessions.len(),
        participants,
        who: who(summary),
        words: summary.counted_words(),
        themes: cb.themes.len(),
        themes_found: summary.themes.iter().filter(|t| t.mentions > 0).count(),
        mentions: summary.mention_count(),
        widest: widest
            .iter()
            .take(WIDEST)
            .map(|&ti| {
                let k = summary.themes[ti].speakers;
                format!(
                    "{} ({k} of {participants}, {})",
                    cb.themes[ti].label,
                    percent(k, participants)
                )
            })
            .collect(),
        compared: comparison.map(|c| {
            let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
            format!("{} (by {})", join_and(&names), c.by)
        }),
        differences: comparison.map_or_else(Vec::new, |c| {
            c.themes
                .iter()
                .filter_map(|t| difference_of(c, t).map(|d| format!("{}: {d}", t.label)))
                .collect()
        }),
    }
}

/// `k` of `n` as a whole percentage, `75 %`.
fn percent(k: u64, n: usize) -> String {
    if n == 0 {
        return "0 %".to_string();
    }
    format!("{:.0} %", k as f64 * 100.0 / n as f64)
}

/// `a`, `a and b`, `a, b and c`.
fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// A rate for people: one decimal.
fn rate(x: f64) -> String {
    format!("{x:.1}")
}

/// The theme's numbers and its first sentence: how widely it was raised.
fn theme(summary: &Summary, ti: usize, participants: usize) -> ThemeFinding {
    let cb = &summary.codebook;
    let t = &cb.themes[ti];
    let totals = summary.themes[ti];
    let per_1000_words = per_1000(totals.mentions, summary.counted_words());
    let n = summary.sessions.len();
    let sessions = match (totals.sessions as usize, n) {
        (_, 1) => "in the one session".to_string(),
        (k, n) if k == n => format!("in all {n} sessions"),
        (k, n) => format!("in {k} of {n} sessions"),
    };
    let reach = format!(
        "Raised by {} of {participants} {} ({}) {sessions}: {}, {} per 1,000 words.",
        totals.speakers,
        who(summary),
        percent(totals.speakers, participants),
        count(totals.mentions, "mention"),
        rate(per_1000_words)
    );
    ThemeFinding {
        id: t.id.clone(),
        label: t.label.clone(),
        parent: cb.parent_of(ti).map(|p| cb.themes[p].label.clone()),
        depth: cb.self_and_ancestors(ti).len() - 1,
        brief: t.brief.clone().or_else(|| t.definition.clone()),
        mentions: totals.mentions,
        speakers: totals.speakers,
        sessions: totals.sessions,
        per_1000_words,
        sentences: vec![reach],
        quotes: Vec::new(),
    }
}

/// The sessions where the theme is most and least frequent (per 1,000 words, as in
/// `session_matrix.csv`), when there are several and they differ.
fn spread(summary: &Summary, ti: usize) -> Option<String> {
    if summary.sessions.len() < 2 {
        return None;
    }
    let rates: Vec<(f64, &str)> = summary
        .sessions
        .iter()
        .map(|s| (per_1000(u64::from(s.theme_mentions[ti]), s.counted_words), s.id.as_str()))
        .collect();
    // The first session on ties.
    let most = rates.iter().fold(rates[0], |best, &r| if r.0 > best.0 { r } else { best });
    let least = rates.iter().fold(rates[0], |best, &r| if r.0 < best.0 { r } else { best });
    (most.0 > least.0).then(|| {
        format!(
            "Most in {} ({} per 1,000 words), least in {} ({}).",
            most.1,
            rate(most.0),
            least.1,
            rate(least.0)
        )
    })
}

/// The comparison's finding for theme `id`, if it differs significantly between groups.
fn difference(c: &Comparison, id: &str) -> Option<String> {
    let t = c.themes.iter().find(|t| t.theme == id)?;
    difference_of(c, t).map(|d| format!("{}.", capitalize(&d)))
}

/// `more frequent among A (x per 1,000 words) than among B (y): G² = …, adjusted p = …`, or
/// with more groups, `differs between the groups (X² = …, df = …, adjusted p = …): most
/// frequent among A (x), least among B (y)`; `None` unless significant.
fn difference_of(c: &Comparison, t: &ThemeComparison) -> Option<String> {
    let test = t.test.as_ref().filter(|t| t.significant)?;
    let adjusted = p_for_people(test.adjusted_p?);
    let p =
        if adjusted.starts_with('<') { format!("p {adjusted}") } else { format!("p = {adjusted}") };
    let cell = |k: usize| (c.groups[k].name.as_str(), rate(t.cells[k].per_1000_words));
    let (hi, lo) = extremes(t);
    if c.groups.len() == 2 {
        let ((a, ra), (b, rb)) = (cell(hi), cell(lo));
        return Some(format!(
            "more frequent among {a} ({ra} per 1,000 words) than among {b} ({rb}): G² = {:.2}, \
             adjusted {p}",
            test.statistic
        ));
    }
    let ((a, ra), (b, rb)) = (cell(hi), cell(lo));
    Some(format!(
        "differs between the groups (X² = {:.2}, df = {}, adjusted {p}): most frequent among \
         {a} ({ra} per 1,000 words), least among {b} ({rb})",
        test.statistic, test.df
    ))
}

/// The groups with the highest and the lowest rate (the first of each on ties).
fn extremes(t: &ThemeComparison) -> (usize, usize) {
    let (mut hi, mut lo) = (0, 0);
    for (k, cell) in t.cells.iter().enumerate() {
        if cell.per_1000_words > t.cells[hi].per_1000_words {
            hi = k;
        }
        if cell.per_1000_words < t.cells[lo].per_1000_words {
            lo = k;
        }
    }
    (hi, lo)
}

/// `text` with its first letter upper case.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `cooccurrence.csv`, read back for the themes each theme comes up with.
struct Cooccurrence {
    rows: Vec<(String, String, u64, f64)>,
}

impl Cooccurrence {
    fn of(tables: &Tables) -> polars::prelude::PolarsResult<Cooccurrence> {
        use super::html::{floats, numbers, strings};
        let co = &tables.cooccurrence;
        let (a, b) = (strings(co, "theme_a")?, strings(co, "theme_b")?);
        let (both, jaccard) = (numbers(co, "both")?, floats(co, "jaccard")?);
        let rows = a
            .into_iter()
            .zip(b)
            .zip(both.into_iter().zip(jaccard))
            .map(|((a, b), (both, j))| (a, b, both, j))
            .collect();
        Ok(Cooccurrence { rows })
    }

    /// `Comes up most often with A (Jaccard 0.31), B (0.22) and C (0.10), in the same turn.`
    fn together(&self, cb: &Codebook, ti: usize, unit: &str) -> Option<String> {
        let id = &cb.themes[ti].id;
        let mut with: Vec<(f64, &str)> = self
            .rows
            .iter()
            .filter(|r| r.2 > 0)
            .filter_map(|(a, b, _, j)| {
                let other = if a == id {
                    b
                } else if b == id {
                    a
                } else {
                    return None;
                };
                Some((*j, other.as_str()))
            })
            .collect();
        with.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        let named: Vec<String> = with
            .iter()
            .take(TOGETHER)
            .enumerate()
            .map(|(k, (j, other))| {
                let label = cb.index_of(other).map_or(*other, |i| cb.themes[i].label.as_str());
                if k == 0 {
                    format!("{label} (Jaccard {j:.2})")
                } else {
                    format!("{label} ({j:.2})")
                }
            })
            .collect();
        (!named.is_empty())
            .then(|| format!("Comes up most often with {}, in the same {unit}.", join_and(&named)))
    }
}

/// The questions under which the theme comes up most (as in `question_matrix.csv`).
fn under_questions(rows: &[QuestionRow<'_>], ti: usize) -> Option<String> {
    let mut under: Vec<(u64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| (r.theme(ti).map_or(0, |c| c.counts[0]), k))
        .filter(|&(m, _)| m > 0)
        .collect();
    if under.is_empty() {
        return None;
    }
    under.sort_by_key(|&(m, k)| (std::cmp::Reverse(m), k));
    let named: Vec<String> = under
        .iter()
        .take(QUESTIONS)
        .map(|&(m, k)| {
            let r = &rows[k];
            let at = r.session.as_ref().map(|s| format!("{s}, ")).unwrap_or_default();
            format!("“{}” ({at}{})", shorten_at_word(r.text, 90), plural(m, "mention"))
        })
        .collect();
    Some(format!("Comes up most under {}.", join_and(&named)))
}

/// The words over-represented in the theme's coded turns against all other counted turns
/// (log-likelihood), leaving out the theme's own terms.
fn distinctive_words(summary: &Summary, ti: usize) -> Option<String> {
    let voc = &summary.vocabulary;
    let theme = &summary.theme_words[ti];
    let own = own_stems(&summary.codebook, ti);
    let (c, d) = (theme.tokens as f64, voc.total_tokens.saturating_sub(theme.tokens) as f64);
    let mut scored: Vec<(f64, u32)> = theme
        .counts
        .iter()
        .filter(|&(_, &a)| a >= MIN_WORD_COUNT)
        .filter(|&(&g, _)| !own.excludes(&voc.stems[g as usize]))
        .filter_map(|(&g, &a)| {
            let b = voc.tokens[g as usize].saturating_sub(a) as f64;
            let a = a as f64;
            let over = d == 0.0 || a / c > b / d;
            let ll = log_likelihood(a, b, c, d);
            (over && ll >= MIN_LOG_LIKELIHOOD).then_some((ll, g))
        })
        .collect();
    scored.sort_by(|x, y| {
        y.0.total_cmp(&x.0).then_with(|| voc.stems[x.1 as usize].cmp(&voc.stems[y.1 as usize]))
    });
    let words: Vec<&str> =
        scored.iter().take(WORDS).map(|&(_, g)| voc.forms[g as usize].as_str()).collect();
    (!words.is_empty()).then(|| {
        format!(
            "Its passages stand out for the words {} (log-likelihood against all other turns).",
            join_and(&words.iter().map(|w| format!("“{w}”")).collect::<Vec<_>>())
        )
    })
}

/// The stems of a theme's own terms (and its descendants'): words, and `prefix*` wildcards.
struct OwnStems {
    stems: Vec<String>,
    prefixes: Vec<String>,
}

impl OwnStems {
    fn excludes(&self, stem: &str) -> bool {
        self.stems.iter().any(|s| s == stem)
            || self.prefixes.iter().any(|p| stem.starts_with(p.as_str()))
    }
}

/// The stems of the terms of theme `ti` and of every theme under it.
fn own_stems(cb: &Codebook, ti: usize) -> OwnStems {
    let words = Words::new(cb.language, cb.stemming);
    let mut own = OwnStems { stems: Vec::new(), prefixes: Vec::new() };
    for (i, t) in cb.themes.iter().enumerate() {
        if !cb.self_and_ancestors(i).contains(&ti) {
            continue;
        }
        let near = t.near.iter().flat_map(|n| [n.value.a.as_str(), n.value.b.as_str()]);
        for term in t.terms.iter().map(|t| t.value.as_str()).chain(near) {
            for (word, wildcard) in term_words(term) {
                let Some((stem, form)) = words.term(&word) else { continue };
                if wildcard {
                    own.prefixes.extend([form, stem]);
                } else {
                    own.stems.push(stem);
                }
            }
        }
    }
    own
}

/// A chosen quote as shown.
fn chosen_finding(summary: &Summary, c: &Chosen) -> QuoteFinding {
    quote_finding(summary, &c.quote, c.cut_before, c.cut_after)
}

/// A quote as shown, with whether its turn goes on before and after it.
pub fn quote_finding(
    summary: &Summary,
    q: &Quote,
    cut_before: bool,
    cut_after: bool,
) -> QuoteFinding {
    let s = &summary.sessions[q.session];
    QuoteFinding {
        pieces: pieces(&q.text, &q.spans),
        cut_before,
        cut_after,
        speaker: q.speaker.clone(),
        session: s.id.clone(),
        timestamp: q.timestamp.map(|t| t.to_string()).unwrap_or_default(),
        source: format!("{}:{}", s.file.display(), q.line),
    }
}

/// The text cut at the edges of `spans` (sorted byte ranges).
pub fn pieces(text: &str, spans: &[std::ops::Range<usize>]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut pos = 0;
    for span in spans {
        if span.start < pos || span.start >= span.end {
            continue;
        }
        if span.start > pos {
            out.push(Piece { text: text[pos..span.start].to_string(), hit: false });
        }
        out.push(Piece { text: text[span.clone()].to_string(), hit: true });
        pos = span.end;
    }
    if pos < text.len() {
        out.push(Piece { text: text[pos..].to_string(), hit: false });
    }
    out
}

/// A question and the themes raised under it; `None` when none was.
fn question(summary: &Summary, r: &QuestionRow<'_>) -> Option<QuestionFinding> {
    let cb = &summary.codebook;
    let mut themes: Vec<(usize, [u64; 4])> = cb
        .order()
        .iter()
        .filter_map(|&ti| r.theme(ti).map(|c| (ti, c.counts)))
        .filter(|&(ti, c)| c[0] > 0 && cb.themes[ti].has_rules())
        .collect();
    if themes.is_empty() {
        return None;
    }
    // Most speakers, then most mentions; codebook order on ties (the sort is stable).
    themes.sort_by_key(|&(_, c)| (std::cmp::Reverse(c[2]), std::cmp::Reverse(c[0])));
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    let (one, many) = if summary.options.include_moderators {
        ("speaker", "speakers")
    } else {
        ("participant", "participants")
    };
    Some(QuestionFinding {
        id: r.id.to_string(),
        text: r.text.to_string(),
        session: r.session.map(str::to_string),
        session_title: r
            .session
            .as_ref()
            .and_then(|_| r.asked_in.first())
            .and_then(|&si| summary.sessions[si].title.clone()),
        asked_in: r.asked_in.iter().map(|&si| summary.sessions[si].id.clone()).collect(),
        answer_turns: r.answer_turns,
        answer_words: r.answer_words,
        answers: format!(
            "{} answering, {} words",
            plural(r.answer_turns, "turn"),
            crate::display::thousands(r.answer_words)
        ),
        themes: themes
            .into_iter()
            .map(|(ti, [mentions, _, speakers, sessions])| QuestionThemeFinding {
                id: cb.themes[ti].id.clone(),
                label: cb.themes[ti].label.clone(),
                mentions,
                speakers,
                sessions,
                counts: format!(
                    "{} by {} in {}",
                    plural(mentions, "mention"),
                    plural_as(speakers, one, many),
                    plural(sessions, "session")
                ),
                // A turn quoted for an earlier theme of the question is not quoted again.
                quote: r
                    .theme(ti)
                    .and_then(|c| c.quote)
                    .filter(|(_, c)| {
                        let key = (c.quote.session, c.quote.turn);
                        let new = !quoted.contains(&key);
                        quoted.push(key);
                        new
                    })
                    .map(|(_, c)| chosen_finding(summary, c)),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(join_and::<&str>(&[]), "");
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(percent(18, 24), "75 %");
        assert_eq!(capitalize("more"), "More");
        assert_eq!(
            shorten_at_word("What makes a good organizer, really?", 20),
            "What makes a good…"
        );
    }

    #[test]
    fn pieces_mark_the_mentions() {
        let p = pieces("we trust you", std::slice::from_ref(&(3..8)));
        let got: Vec<(&str, bool)> = p.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(got, [("we ", false), ("trust", true), (" you", false)]);
    }
}
