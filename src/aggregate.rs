//! Aggregation with polars: the tables of a run.
//!
//! Two kinds. The corpus-wide tables — theme frequencies, the theme × session and speaker ×
//! theme matrices, theme co-occurrence — are built at the end from the [`Summary`]. The
//! per-mention table (the audit trail) and the segment matrix (one row per unit, a 0/1 column
//! per theme) grow with the corpus, so they are built one batch of coded sessions at a time
//! ([`mention_rows`], [`segment_rows`]) and streamed to their files.

use polars::prelude::*;

use crate::code::corpus::CodedSession;
use crate::code::{Engine, Rule, RuleKind};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::model::{Question, Session};
use crate::summary::cases::quote_of;
use crate::summary::central::Chosen;
use crate::summary::units::{SessionSegments, Unit};
use crate::summary::Summary;

/// The corpus-wide tables of a run.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The unit that segments and co-occurrence count.
    pub unit: Unit,
    /// One row per theme: mentions, segments, speakers, sessions, per 1,000 words.
    pub theme_frequencies: DataFrame,
    /// One row per theme; mentions and per-1,000-words columns per session.
    pub session_matrix: DataFrame,
    /// One row per counted speaker of each session who is one person (not a group voice);
    /// mentions per theme.
    pub speaker_matrix: DataFrame,
    /// One row per pair of themes (neither an ancestor of the other): units coded with both,
    /// and Jaccard similarity.
    pub cooccurrence: DataFrame,
    /// One row per question and theme raised under it: mentions, turns, speakers, sessions.
    pub question_matrix: DataFrame,
}

/// Builds the corpus-wide tables from a summary.
pub fn build(summary: &Summary) -> Result<Tables> {
    let columns = AttributeKeys::of_summary(summary).columns();
    Ok(Tables {
        unit: summary.unit,
        theme_frequencies: theme_frequencies(summary)
            .map_err(|e| Error::table("theme_frequencies", e))?,
        session_matrix: session_matrix(summary).map_err(|e| Error::table("session_matrix", e))?,
        speaker_matrix: speaker_matrix(summary, &columns)
            .map_err(|e| Error::table("speaker_matrix", e))?,
        cooccurrence: cooccurrence(summary).map_err(|e| Error::table("cooccurrence", e))?,
        question_matrix: question_matrix(summary)
            .map_err(|e| Error::table("question_matrix", e))?,
    })
}

/// `x` rounded to `decimals` places, halves away from zero.
fn round_half_away(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// `mentions × 1000 / words`, rounded to 3 decimals (0 when there are no words).
pub(crate) fn per_1000(mentions: u64, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        round_half_away(mentions as f64 * 1000.0 / words as f64, 3)
    }
}

/// The ids of the themes in codebook order, with their indices.
fn theme_ids_in_order(cb: &Codebook) -> Vec<(usize, String)> {
    cb.order().iter().map(|&i| (i, cb.themes[i].id.clone())).collect()
}

fn theme_frequencies(summary: &Summary) -> PolarsResult<DataFrame> {
    let cb = &summary.codebook;
    let order = cb.order();
    let words = summary.counted_words();
    let pick = |f: fn(&crate::summary::ThemeTotals) -> u64| -> Vec<u64> {
        order.iter().map(|&i| f(&summary.themes[i])).collect()
    };
    df!(
        "theme" => order.iter().map(|&i| cb.themes[i].id.clone()).collect::<Vec<_>>(),
        "label" => order.iter().map(|&i| cb.themes[i].label.clone()).collect::<Vec<_>>(),
        "parent" => order.iter().map(|&i| cb.themes[i].parent.as_ref().map(|p| p.value.clone())).collect::<Vec<_>>(),
        "mentions" => pick(|t| t.mentions),
        "segments" => pick(|t| t.units),
        "speakers" => pick(|t| t.speakers),
        "sessions" => pick(|t| t.sessions),
        "per_1000_words" => order.iter().map(|&i| per_1000(summary.themes[i].mentions, words)).collect::<Vec<_>>(),
    )
}

fn session_matrix(summary: &Summary) -> PolarsResult<DataFrame> {
    let cb = &summary.codebook;
    let order = cb.order();
    let mut columns = vec![
        Column::new(
            "theme".into(),
            order.iter().map(|&i| cb.themes[i].id.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "label".into(),
            order.iter().map(|&i| cb.themes[i].label.clone()).collect::<Vec<_>>(),
        ),
    ];
    for s in &summary.sessions {
        let values: Vec<u64> = order.iter().map(|&ti| u64::from(s.theme_mentions[ti])).collect();
        let rates: Vec<f64> = values.iter().map(|&m| per_1000(m, s.counted_words)).collect();
        columns.push(Column::new(format!("{}_mentions", s.id).into(), values));
        columns.push(Column::new(format!("{}_per_1000_words", s.id).into(), rates));
    }
    DataFrame::new(order.len(), columns)
}

fn speaker_matrix(
    summary: &Summary,
    attributes: &[(String, AttributeSource)],
) -> PolarsResult<DataFrame> {
    let speaker_attrs: Vec<&(String, AttributeSource)> =
        attributes.iter().filter(|(_, s)| matches!(s, AttributeSource::Speaker(_))).collect();
    let (mut session, mut speaker, mut role, mut turns, mut words) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut attrs: Vec<Vec<Option<String>>> = vec![Vec::new(); speaker_attrs.len()];
    let mut rows = Vec::new();
    for s in &summary.sessions {
        for sp in s.counted_people() {
            session.push(s.id.clone());
            speaker.push(sp.label.clone());
            role.push(sp.role.as_str().to_string());
            turns.push(sp.turns as u64);
            words.push(sp.words as u64);
            for ((_, source), col) in speaker_attrs.iter().zip(attrs.iter_mut()) {
                col.push(
                    attribute_value(source, &s.attributes, &sp.attributes).map(str::to_string),
                );
            }
            rows.push(sp);
        }
    }
    let n = rows.len();
    let mut columns = vec![
        Column::new("session".into(), session),
        Column::new("speaker".into(), speaker),
        Column::new("role".into(), role),
    ];
    for ((name, _), values) in speaker_attrs.iter().zip(attrs) {
        columns.push(Column::new(name.as_str().into(), values));
    }
    columns.push(Column::new("turns".into(), turns));
    columns.push(Column::new("words".into(), words));
    for (ti, id) in theme_ids_in_order(&summary.codebook) {
        let values: Vec<u64> = rows.iter().map(|sp| sp.mentions_of(ti) as u64).collect();
        columns.push(Column::new(column_name(id, &columns).into(), values));
    }
    DataFrame::new(n, columns)
}

/// `id`, or `theme_ID` when a fixed column already has that name.
fn column_name(id: String, columns: &[Column]) -> String {
    if columns.iter().any(|c| c.name().as_str() == id) {
        format!("theme_{id}")
    } else {
        id
    }
}

fn cooccurrence(summary: &Summary) -> PolarsResult<DataFrame> {
    let cb = &summary.codebook;
    let related = |a: usize, b: usize| {
        cb.self_and_ancestors(a).contains(&b) || cb.self_and_ancestors(b).contains(&a)
    };
    let order = cb.order();
    let (mut ta, mut tb, mut ua, mut ub, mut both_col, mut jaccard) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (x, &a) in order.iter().enumerate() {
        for &b in &order[x + 1..] {
            if related(a, b) {
                continue;
            }
            let k = summary.both(a, b);
            let (na, nb) = (summary.themes[a].units, summary.themes[b].units);
            let either = na + nb - k;
            ta.push(cb.themes[a].id.clone());
            tb.push(cb.themes[b].id.clone());
            ua.push(na);
            ub.push(nb);
            both_col.push(k);
            jaccard.push(if either > 0 {
                round_half_away(k as f64 / either as f64, 3)
            } else {
                0.0
            });
        }
    }
    df!(
        "theme_a" => ta,
        "theme_b" => tb,
        "units_a" => ua,
        "units_b" => ub,
        "both" => both_col,
        "jaccard" => jaccard,
    )
}

/// A question as the question matrix counts it: a guide question across every session that
/// asks it, any other question within its session.
pub(crate) struct QuestionRow<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// The session, for a question not matched to the guide.
    pub session: Option<&'a str>,
    /// The sessions that asked it, by index.
    pub asked_in: Vec<usize>,
    pub answer_turns: u64,
    pub answer_words: u64,
    /// The themes raised under it, by theme index.
    pub themes: Vec<QuestionCell<'a>>,
}

/// One theme raised under a question.
pub(crate) struct QuestionCell<'a> {
    /// The theme's index.
    pub theme: usize,
    /// Mentions, turns, speakers and sessions.
    pub counts: [u64; 4],
    /// Its quote under the question (for a guide question, from the session where it raised
    /// the theme most, the first of those on ties), with its mentions there.
    pub quote: Option<(u64, &'a Chosen)>,
}

impl<'a> QuestionRow<'a> {
    /// Theme `ti` under the question, if it was raised.
    pub fn theme(&self, ti: usize) -> Option<&QuestionCell<'a>> {
        self.themes.binary_search_by_key(&ti, |c| c.theme).ok().map(|k| &self.themes[k])
    }

    /// Theme `ti`'s cell, made when it is the first mention of it.
    fn cell(&mut self, ti: usize) -> &mut QuestionCell<'a> {
        let k = match self.themes.binary_search_by_key(&ti, |c| c.theme) {
            Ok(k) => k,
            Err(k) => {
                self.themes.insert(k, QuestionCell { theme: ti, counts: [0; 4], quote: None });
                k
            }
        };
        &mut self.themes[k]
    }
}

/// The questions of the corpus: guide questions lined up across sessions (in order of first
/// appearance), the others per session.
pub(crate) fn question_rows(summary: &Summary) -> Vec<QuestionRow<'_>> {
    let mut rows: Vec<QuestionRow> = Vec::new();
    // Guide questions by id; the others are rows of their own.
    let mut guide: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (si, session) in summary.sessions.iter().enumerate() {
        for q in &session.questions {
            let new_row = || QuestionRow {
                id: &q.id,
                text: &q.text,
                session: (!q.from_guide).then_some(session.id.as_str()),
                asked_in: Vec::new(),
                answer_turns: 0,
                answer_words: 0,
                themes: Vec::new(),
            };
            let i = if q.from_guide {
                *guide.entry(q.id.as_str()).or_insert_with(|| {
                    rows.push(new_row());
                    rows.len() - 1
                })
            } else {
                rows.push(new_row());
                rows.len() - 1
            };
            let row = &mut rows[i];
            if row.asked_in.last() != Some(&si) {
                row.asked_in.push(si);
            }
            row.answer_turns += q.answer_turns;
            row.answer_words += q.answer_words;
            for (theme, c) in &q.themes {
                let cell = row.cell(*theme);
                cell.counts[0] += c.mentions;
                cell.counts[1] += c.turns;
                cell.counts[2] += c.speakers;
                cell.counts[3] += 1;
                if cell.quote.is_none_or(|(m, _)| c.mentions > m) {
                    let quote = if q.from_guide {
                        summary.guide_quotes.get(&(q.id.clone(), *theme)).map(|(_, c)| c)
                    } else {
                        quote_of(&q.quotes, *theme)
                    };
                    if let Some(quote) = quote {
                        cell.quote = Some((c.mentions, quote));
                    }
                }
            }
        }
    }
    rows
}

/// `question_matrix.csv`: per question, each theme raised under it (in codebook order) with
/// its mentions, the turns and speakers that raised it, the sessions where it did, and
/// mentions per 1,000 words of the answers. Questions under which no theme was raised have
/// no rows.
fn question_matrix(summary: &Summary) -> PolarsResult<DataFrame> {
    let cb = &summary.codebook;
    let order = cb.order();
    // String columns filled in place: a large corpus has a row per question and theme.
    let mut strings = Strings::new(&["question", "question_text", "session", "theme"], 0);
    let mut nums: [Vec<u64>; 6] = Default::default();
    let mut rate = Vec::new();
    for row in question_rows(summary) {
        for &t in order {
            let Some(cell) = row.theme(t) else { continue };
            let [mentions, turns, speakers, sessions] = cell.counts;
            if mentions == 0 {
                continue;
            }
            strings.0[0].append_value(row.id);
            strings.0[1].append_value(row.text);
            strings.0[2].append_option(row.session);
            strings.0[3].append_value(&cb.themes[t].id);
            for (col, v) in nums.iter_mut().zip([
                row.answer_turns,
                row.answer_words,
                mentions,
                turns,
                speakers,
                sessions,
            ]) {
                col.push(v);
            }
            rate.push(per_1000(mentions, row.answer_words as usize));
        }
    }
    let height = rate.len();
    let [answer_turns, answer_words, mentions, turns, speakers, sessions] = nums;
    let columns = vec![
        strings.column(0),
        strings.column(1),
        strings.column(2),
        Column::new("answer_turns".into(), answer_turns),
        Column::new("answer_words".into(), answer_words),
        strings.column(3),
        Column::new("mentions".into(), mentions),
        Column::new("turns".into(), turns),
        Column::new("speakers".into(), speakers),
        Column::new("sessions".into(), sessions),
        Column::new("per_1000_words".into(), rate),
    ];
    DataFrame::new(height, columns)
}

/// The attribute keys of sessions and speakers, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeKeys {
    /// Session attribute keys.
    pub session: Vec<String>,
    /// Speaker attribute keys.
    pub speaker: Vec<String>,
    /// Whether a session has sections (Markdown headings): the tables get a `section`
    /// column.
    pub section: bool,
}

impl AttributeKeys {
    /// The keys of every session of a summary.
    pub fn of_summary(summary: &Summary) -> AttributeKeys {
        let mut keys = AttributeKeys::default();
        for s in &summary.sessions {
            keys.add(&s.attributes, s.speakers.iter().map(|sp| &sp.attributes[..]));
        }
        keys
    }

    /// Adds the keys of a session (and whether it has sections); returns whether any was
    /// new.
    pub fn add_session(&mut self, session: &Session) -> bool {
        let sections = !session.reading.sections.is_empty() && !self.section;
        self.section |= sections;
        let grew =
            self.add(&session.attributes, session.speakers.iter().map(|sp| &sp.attributes[..]));
        grew || sections
    }

    fn add<'a>(
        &mut self,
        session: &[(String, String)],
        speakers: impl Iterator<Item = &'a [(String, String)]>,
    ) -> bool {
        let mut grew = false;
        for (k, _) in session {
            if !self.session.contains(k) {
                self.session.push(k.clone());
                grew = true;
            }
        }
        for attrs in speakers {
            for (k, _) in attrs {
                if !self.speaker.contains(k) {
                    self.speaker.push(k.clone());
                    grew = true;
                }
            }
        }
        grew
    }

    /// The attribute columns of the per-mention tables, with their names: session
    /// attributes, then speaker attributes. A name already taken by a fixed column becomes
    /// `attr_NAME`; a speaker attribute named like a session attribute becomes
    /// `speaker_NAME`.
    pub fn columns(&self) -> Vec<(String, AttributeSource)> {
        let mut out: Vec<(String, AttributeSource)> = Vec::new();
        if self.section {
            out.push(("section".to_string(), AttributeSource::Section));
        }
        let fixed = |k: &str| {
            is_mention_column(k) || k.starts_with("attr_") || (self.section && k == "section")
        };
        for k in &self.session {
            let name = if fixed(k) { format!("attr_{k}") } else { k.clone() };
            out.push((name, AttributeSource::Session(k.clone())));
        }
        for k in &self.speaker {
            let mut name = if fixed(k) { format!("attr_{k}") } else { k.clone() };
            if out.iter().any(|(n, _)| *n == name) {
                name = format!("speaker_{k}");
            }
            out.push((name, AttributeSource::Speaker(k.clone())));
        }
        out
    }
}

/// Where an attribute column's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeSource {
    /// A session attribute (front matter, or a table column constant per session).
    Session(String),
    /// A speaker attribute (participants file, or a table column constant per speaker).
    Speaker(String),
    /// The section (Markdown heading) a turn is under.
    Section,
}

/// The value of an attribute column for turn `turn` of `s`, spoken by `speaker`.
fn turn_attribute<'a>(
    source: &AttributeSource,
    s: &'a Session,
    turn: usize,
    speaker: &'a [(String, String)],
) -> Option<&'a str> {
    match source {
        AttributeSource::Section => s.section_of(turn).map(|x| x.title.as_str()),
        _ => attribute_value(source, &s.attributes, speaker),
    }
}

/// The value of an attribute, given the attributes of a session and of one of its speakers.
pub fn attribute_value<'a>(
    source: &AttributeSource,
    session: &'a [(String, String)],
    speaker: &'a [(String, String)],
) -> Option<&'a str> {
    let (list, key) = match source {
        AttributeSource::Session(k) => (session, k),
        AttributeSource::Speaker(k) => (speaker, k),
        AttributeSource::Section => return None,
    };
    list.iter().find(|(name, _)| name == key).map(|(_, v)| v.as_str())
}

/// The columns of the mentions table before the attribute columns (`mentions.csv`, and the
/// table `qualkit import qdpx` writes).
pub(crate) const MENTION_HEAD: [&str; 9] = [
    "session",
    "file",
    "line",
    "turn",
    "timestamp",
    "speaker",
    "role",
    "question",
    "question_text",
];

/// The columns of the mentions table after the attribute columns.
pub(crate) const MENTION_TAIL: [&str; 7] =
    ["theme", "start", "end", "text", "rule_kind", "rule", "rule_theme"];

/// Whether `name` is a fixed column of the mentions table, which an attribute of that name
/// would clash with (it is written `attr_NAME` then).
pub(crate) fn is_mention_column(name: &str) -> bool {
    MENTION_HEAD.contains(&name) || MENTION_TAIL.contains(&name)
}

/// String columns filled value by value, without a `String` per cell.
struct Strings(Vec<StringChunkedBuilder>);

impl Strings {
    fn new(names: &[&str], capacity: usize) -> Strings {
        Strings(names.iter().map(|n| StringChunkedBuilder::new((*n).into(), capacity)).collect())
    }

    fn column(&mut self, k: usize) -> Column {
        let b = std::mem::replace(&mut self.0[k], StringChunkedBuilder::new("".into(), 0));
        b.finish().into_series().into_column()
    }
}

/// Appends the id and the text of `question` to the two string columns `columns`: missing
/// values (empty cells in CSV, nulls in Parquet) when the turn answers no question.
fn append_question(columns: &mut [StringChunkedBuilder], question: Option<&Question>) {
    columns[0].append_option(question.map(|q| q.id.as_str()));
    columns[1].append_option(question.map(|q| q.text.as_str()));
}

/// One row per mention of `sessions` (a batch, in input order), with its provenance:
/// session, file, line, turn, timestamp, speaker, role, the question the turn answers (id
/// and text; missing when none, like the timestamp), the `attributes` columns, theme,
/// character offsets, text, and the rules that produced it.
pub fn mention_rows(
    codebook: &Codebook,
    engine: &Engine,
    attributes: &[(String, AttributeSource)],
    sessions: &[(CodedSession, SessionSegments)],
) -> Result<DataFrame> {
    mention_frame(codebook, engine, attributes, sessions).map_err(|e| Error::table("mentions", e))
}

fn mention_frame(
    cb: &Codebook,
    engine: &Engine,
    attributes: &[(String, AttributeSource)],
    sessions: &[(CodedSession, SessionSegments)],
) -> PolarsResult<DataFrame> {
    let n: usize = sessions.iter().map(|(c, _)| c.mentions.len()).sum();
    let mut frame = MentionFrame::new(cb, engine.rules(), attributes, n);
    for (coded, _) in sessions {
        frame.push_session(coded);
    }
    frame.finish()
}

/// The string columns of the mentions table that [`MentionFrame`] fills, in this order.
const MENTION_STRINGS: [&str; 12] = [
    "session",
    "file",
    "timestamp",
    "speaker",
    "role",
    "question",
    "question_text",
    "theme",
    "text",
    "rule_kind",
    "rule",
    "rule_theme",
];

/// The columns of the mentions table being filled, mention by mention, with scratch buffers
/// reused from one mention to the next.
struct MentionFrame<'a> {
    cb: &'a Codebook,
    rules: &'a [Rule],
    attributes: &'a [(String, AttributeSource)],
    /// The [`MENTION_STRINGS`] columns.
    strs: Strings,
    /// One column per attribute.
    attrs: Strings,
    line: Vec<u64>,
    turn: Vec<u64>,
    start: Vec<u64>,
    end: Vec<u64>,
    /// Scratch: the timestamp as text.
    stamp: String,
    /// Scratch: the rule provenance of a mention made by several rules.
    joined: JoinedRules,
}

impl<'a> MentionFrame<'a> {
    /// Empty columns with room for `n` mentions.
    fn new(
        cb: &'a Codebook,
        rules: &'a [Rule],
        attributes: &'a [(String, AttributeSource)],
        n: usize,
    ) -> MentionFrame<'a> {
        let names: Vec<&str> = attributes.iter().map(|(k, _)| k.as_str()).collect();
        MentionFrame {
            cb,
            rules,
            attributes,
            strs: Strings::new(&MENTION_STRINGS, n),
            attrs: Strings::new(&names, n),
            line: Vec::with_capacity(n),
            turn: Vec::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            stamp: String::new(),
            joined: JoinedRules::default(),
        }
    }

    /// Appends a row per mention of `coded`.
    fn push_session(&mut self, coded: &CodedSession) {
        let s = &coded.session;
        let file = s.file.display().to_string();
        for m in &coded.mentions {
            let t = &s.turns[m.turn];
            let speaker = s.speaker_of(t);
            let b = &mut self.strs.0;
            b[0].append_value(&s.id);
            b[1].append_value(&file);
            match t.timestamp {
                Some(ts) => {
                    self.stamp.clear();
                    let _ = std::fmt::Write::write_fmt(&mut self.stamp, format_args!("{ts}"));
                    b[2].append_value(&self.stamp);
                }
                None => b[2].append_null(),
            }
            b[3].append_value(&speaker.label);
            b[4].append_value(speaker.role.as_str());
            append_question(&mut b[5..7], s.question_of(t));
            b[7].append_value(&self.cb.themes[m.theme].id);
            b[8].append_value(&t.text[m.bytes.clone()]);
            self.push_rules(&m.rules);
            self.line.push(m.line as u64);
            self.turn.push(m.turn as u64 + 1);
            self.start.push(m.chars.start as u64);
            self.end.push(m.chars.end as u64);
            for ((_, source), col) in self.attributes.iter().zip(self.attrs.0.iter_mut()) {
                col.append_option(turn_attribute(source, s, m.turn, &speaker.attributes));
            }
        }
    }

    /// Appends the rule kind, rule and rule theme of a mention made by `rules` (see
    /// [`JoinedRules`]).
    fn push_rules(&mut self, rules: &[usize]) {
        let b = &mut self.strs.0;
        let (kinds, texts, themes) = self.joined.values(self.cb, self.rules, rules);
        b[9].append_value(kinds);
        b[10].append_value(texts);
        b[11].append_value(themes);
    }

    /// The table: the fixed head columns, the attribute columns, then the fixed tail.
    fn finish(mut self) -> PolarsResult<DataFrame> {
        let n = self.line.len();
        let strs = &mut self.strs;
        let mut columns = vec![
            strs.column(0),
            strs.column(1),
            Column::new("line".into(), self.line),
            Column::new("turn".into(), self.turn),
            strs.column(2),
            strs.column(3),
            strs.column(4),
            strs.column(5),
            strs.column(6),
        ];
        for k in 0..self.attributes.len() {
            columns.push(self.attrs.column(k));
        }
        columns.push(strs.column(7));
        columns.push(Column::new("start".into(), self.start));
        columns.push(Column::new("end".into(), self.end));
        for k in 8..12 {
            columns.push(strs.column(k));
        }
        DataFrame::new(n, columns)
    }
}

/// The provenance of a mention (its `rule_kind`, `rule` and `rule_theme` columns): a single
/// rule's own kind, text and theme; for a mention made by several rules, its distinct rule
/// kinds joined by `+` (in kind order), its rules' texts joined by ` | ` (as listed), and its
/// rules' distinct themes joined by `;` (in index order). Buffers reused from one mention to
/// the next.
#[derive(Default)]
pub struct JoinedRules {
    kinds: String,
    texts: String,
    themes: String,
    rule_kinds: Vec<RuleKind>,
    rule_themes: Vec<usize>,
}

impl JoinedRules {
    /// The rule kind, rule and rule theme of the mention made by `mention_rules` (indices
    /// into `rules`, the engine's).
    pub fn values<'a>(
        &'a mut self,
        cb: &'a Codebook,
        rules: &'a [Rule],
        mention_rules: &[usize],
    ) -> (&'a str, &'a str, &'a str) {
        if let [r] = mention_rules[..] {
            let rule = &rules[r];
            return (rule.kind.as_str(), &rule.text, &cb.themes[rule.theme].id);
        }
        self.join(cb, rules, mention_rules);
        (&self.kinds, &self.texts, &self.themes)
    }

    /// Fills the three joined values for the mention made by `mention_rules`.
    fn join(&mut self, cb: &Codebook, rules: &[Rule], mention_rules: &[usize]) {
        self.rule_kinds.clear();
        self.rule_kinds.extend(mention_rules.iter().map(|&r| rules[r].kind));
        self.rule_kinds.sort();
        self.rule_kinds.dedup();
        self.rule_themes.clear();
        self.rule_themes.extend(mention_rules.iter().map(|&r| rules[r].theme));
        self.rule_themes.sort();
        self.rule_themes.dedup();
        join_into(&mut self.kinds, "+", self.rule_kinds.iter().map(|k| k.as_str()));
        join_into(&mut self.texts, " | ", mention_rules.iter().map(|&r| rules[r].text.as_str()));
        join_into(
            &mut self.themes,
            ";",
            self.rule_themes.iter().map(|&i| cb.themes[i].id.as_str()),
        );
    }
}

/// Replaces the contents of `out` with `items` joined by `sep`.
fn join_into<'s>(out: &mut String, sep: &str, items: impl Iterator<Item = &'s str>) {
    out.clear();
    for (k, item) in items.enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
}

/// One row per unit of `sessions` (a batch, each with its units), with its session, turn,
/// sentence, line, speaker, role, question (id and text, as in the mentions), the
/// `attributes` columns and words, and a column per theme telling whether the unit is coded
/// with it (booleans: bit-packed in memory and in Parquet; written 0/1 in CSV, see
/// [`crate::report::stream`]). Session units have neither turn, line, speaker, role,
/// question nor speaker attributes.
pub fn segment_rows(
    codebook: &Codebook,
    unit: Unit,
    attributes: &[(String, AttributeSource)],
    sessions: &[(CodedSession, SessionSegments)],
) -> Result<DataFrame> {
    segment_frame(codebook, unit, attributes, sessions)
        .map_err(|e| Error::table("segment_matrix", e))
}

fn segment_frame(
    cb: &Codebook,
    unit: Unit,
    attributes: &[(String, AttributeSource)],
    sessions: &[(CodedSession, SessionSegments)],
) -> PolarsResult<DataFrame> {
    let n: usize = sessions.iter().map(|(_, segs)| segs.segments.len()).sum();
    let themes = cb.themes.len();
    let mut flags = vec![vec![false; n]; themes];
    let attr_cols: Vec<&(String, AttributeSource)> = attributes
        .iter()
        .filter(|(_, s)| unit != Unit::Session || matches!(s, AttributeSource::Session(_)))
        .collect();
    let mut strs = Strings::new(&["session", "speaker", "role", "question", "question_text"], n);
    let mut attrs = Strings::new(&attr_cols.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), n);
    let (mut turn, mut sentence, mut line, mut words) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut row = 0;
    for (coded, segs) in sessions {
        let s = &coded.session;
        for (m, &k) in coded.mentions.iter().zip(&segs.mention_segment) {
            flags[m.theme][row + k] = true;
        }
        for seg in &segs.segments {
            let t = &s.turns[seg.turn];
            let sp = s.speaker_of(t);
            strs.0[0].append_value(&s.id);
            strs.0[1].append_value(&sp.label);
            strs.0[2].append_value(sp.role.as_str());
            append_question(&mut strs.0[3..5], s.question_of(t));
            turn.push(seg.turn as u64 + 1);
            sentence.push(seg.sentence.map(|k| k as u64));
            line.push(t.line_of(seg.bytes.start) as u64);
            words.push(seg.words as u64);
            for ((_, source), col) in attr_cols.iter().zip(attrs.0.iter_mut()) {
                col.append_option(turn_attribute(source, s, seg.turn, &sp.attributes));
            }
        }
        row += segs.segments.len();
    }
    let mut columns = vec![strs.column(0)];
    if unit != Unit::Session {
        columns.push(Column::new("turn".into(), turn));
        if unit == Unit::Sentence {
            columns.push(Column::new("sentence".into(), sentence));
        }
        columns.push(Column::new("line".into(), line));
        for k in 1..5 {
            columns.push(strs.column(k));
        }
    }
    for k in 0..attr_cols.len() {
        columns.push(attrs.column(k));
    }
    columns.push(Column::new("words".into(), words));
    for (ti, id) in theme_ids_in_order(cb) {
        let values = std::mem::take(&mut flags[ti]);
        columns.push(Column::new(column_name(id, &columns).into(), values));
    }
    DataFrame::new(n, columns)
}
