//! Aggregation with polars: the mentions table (the audit trail) and the tables derived
//! from it — theme frequencies and the theme × session matrix.

use polars::prelude::*;

use crate::analysis::Analysis;
use crate::code::RuleKind;
use crate::error::{Error, Result};

/// The tables a run produces.
#[derive(Debug, Clone)]
pub struct Tables {
    /// One row per theme: mentions, segments, speakers, sessions, per 1,000 words.
    pub theme_frequencies: DataFrame,
    /// One row per theme; mentions and per-1,000-words columns per session.
    pub session_matrix: DataFrame,
    /// One row per mention, with its provenance.
    pub mentions: DataFrame,
}

/// Builds every table from a coded corpus.
pub fn build(analysis: &Analysis) -> Result<Tables> {
    let facts = mention_facts(analysis).map_err(|e| Error::table("the mentions facts", e))?;
    Ok(Tables {
        theme_frequencies: theme_frequencies(analysis, &facts)
            .map_err(|e| Error::table("theme_frequencies", e))?,
        session_matrix: session_matrix(analysis, &facts)
            .map_err(|e| Error::table("session_matrix", e))?,
        mentions: mentions(analysis).map_err(|e| Error::table("mentions", e))?,
    })
}

/// Numeric facts per mention: theme, session, corpus-wide turn id and speaker id.
fn mention_facts(analysis: &Analysis) -> PolarsResult<DataFrame> {
    let n = analysis.mention_count();
    let (mut theme, mut session, mut segment, mut speaker) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut turn_base, mut speaker_base) = (0u64, 0u64);
    for (si, coded) in analysis.sessions.iter().enumerate() {
        let s = &coded.session;
        for m in &coded.mentions {
            theme.push(m.theme as u32);
            session.push(si as u32);
            segment.push(turn_base + m.turn as u64);
            speaker.push(speaker_base + s.turns[m.turn].speaker as u64);
        }
        turn_base += s.turns.len() as u64;
        speaker_base += s.speakers.len() as u64;
    }
    df!(
        "theme_idx" => theme,
        "session_idx" => session,
        "segment" => segment,
        "speaker" => speaker,
    )
}

/// The codebook's themes in codebook order: index, id, label, parent id.
fn theme_frame(analysis: &Analysis) -> PolarsResult<DataFrame> {
    let cb = &analysis.codebook;
    let order = cb.order();
    df!(
        "theme_idx" => order.iter().map(|&i| i as u32).collect::<Vec<_>>(),
        "rank" => (0..order.len() as u32).collect::<Vec<_>>(),
        "theme" => order.iter().map(|&i| cb.themes[i].id.clone()).collect::<Vec<_>>(),
        "label" => order.iter().map(|&i| cb.themes[i].label.clone()).collect::<Vec<_>>(),
        "parent" => order.iter().map(|&i| cb.themes[i].parent.as_ref().map(|p| p.value.clone())).collect::<Vec<_>>(),
    )
}

/// `mentions × 1000 / words`, rounded to 3 decimals (0 when there are no words).
fn per_1000(mentions: Expr, words: usize) -> Expr {
    let factor = if words > 0 { 1000.0 / words as f64 } else { 0.0 };
    (mentions.cast(DataType::Float64) * lit(factor)).round(3, RoundMode::HalfAwayFromZero)
}

fn theme_frequencies(analysis: &Analysis, facts: &DataFrame) -> PolarsResult<DataFrame> {
    let counts = facts.clone().lazy().group_by([col("theme_idx")]).agg([
        len().alias("mentions"),
        col("segment").n_unique().alias("segments"),
        col("speaker").n_unique().alias("speakers"),
        col("session_idx").n_unique().alias("sessions"),
    ]);
    let count_cols = ["mentions", "segments", "speakers", "sessions"];
    theme_frame(analysis)?
        .lazy()
        .left_join(counts, col("theme_idx"), col("theme_idx"))
        .with_columns(count_cols.map(|c| col(c).fill_null(lit(0)).cast(DataType::UInt64).alias(c)))
        .with_column(per_1000(col("mentions"), analysis.counted_words()).alias("per_1000_words"))
        .sort(["rank"], SortMultipleOptions::default())
        .select([
            col("theme"),
            col("label"),
            col("parent"),
            col("mentions"),
            col("segments"),
            col("speakers"),
            col("sessions"),
            col("per_1000_words"),
        ])
        .collect()
}

fn session_matrix(analysis: &Analysis, facts: &DataFrame) -> PolarsResult<DataFrame> {
    let counts = facts
        .clone()
        .lazy()
        .group_by([col("theme_idx"), col("session_idx")])
        .agg([len().alias("mentions")])
        .collect()?;
    let themes = analysis.codebook.themes.len();
    let sessions = analysis.sessions.len();
    let mut matrix = vec![vec![0u64; themes]; sessions];
    let t = counts.column("theme_idx")?.u32()?;
    let s = counts.column("session_idx")?.u32()?;
    let m = counts.column("mentions")?.cast(&DataType::UInt64)?;
    for ((t, s), m) in t.iter().zip(s.iter()).zip(m.u64()?.iter()) {
        if let (Some(t), Some(s), Some(m)) = (t, s, m) {
            matrix[s as usize][t as usize] = m;
        }
    }
    let base = theme_frame(analysis)?;
    let order: Vec<usize> = analysis.codebook.order().to_vec();
    let mut lf = base.lazy();
    let mut columns = vec![col("theme"), col("label")];
    for (si, coded) in analysis.sessions.iter().enumerate() {
        let id = &coded.session.id;
        let mentions_name = format!("{id}_mentions");
        let rate_name = format!("{id}_per_1000_words");
        let values: Vec<u64> = order.iter().map(|&ti| matrix[si][ti]).collect();
        lf = lf
            .with_column(
                lit(Series::new(mentions_name.as_str().into(), values)).alias(&mentions_name),
            )
            .with_column(per_1000(col(&mentions_name), coded.counted_words()).alias(&rate_name));
        columns.push(col(&mentions_name));
        columns.push(col(&rate_name));
    }
    lf.select(columns).collect()
}

/// The kinds of the given rules, unique, in the order term, pattern, near, joined by `+`.
fn rule_kinds(analysis: &Analysis, rules: &[usize]) -> String {
    let mut kinds: Vec<RuleKind> = rules.iter().map(|&r| analysis.engine.rules()[r].kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("+")
}

/// The attribute keys of every session, in order of first appearance.
pub fn session_attribute_keys(analysis: &Analysis) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for coded in &analysis.sessions {
        for (k, _) in &coded.session.attributes {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

/// The attribute keys of every speaker, in order of first appearance.
pub fn speaker_attribute_keys(analysis: &Analysis) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for coded in &analysis.sessions {
        for speaker in &coded.session.speakers {
            for (k, _) in &speaker.attributes {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys
}

/// Where an attribute column's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeSource {
    /// A session attribute (front matter, or a table column constant per session).
    Session(String),
    /// A speaker attribute (participants file, or a table column constant per speaker).
    Speaker(String),
}

/// The attribute columns of the per-mention tables, with their names: session attributes,
/// then speaker attributes. A name already taken by a fixed column becomes `attr_NAME`; a
/// speaker attribute named like a session attribute becomes `speaker_NAME`.
pub fn attribute_columns(analysis: &Analysis) -> Vec<(String, AttributeSource)> {
    let mut out: Vec<(String, AttributeSource)> = Vec::new();
    let fixed = |k: &str| MENTION_COLUMNS.contains(&k) || k.starts_with("attr_");
    for k in session_attribute_keys(analysis) {
        let name = if fixed(&k) { format!("attr_{k}") } else { k.clone() };
        out.push((name, AttributeSource::Session(k)));
    }
    for k in speaker_attribute_keys(analysis) {
        let mut name = if fixed(&k) { format!("attr_{k}") } else { k.clone() };
        if out.iter().any(|(n, _)| *n == name) {
            name = format!("speaker_{k}");
        }
        out.push((name, AttributeSource::Speaker(k)));
    }
    out
}

/// The value of an attribute for a speaker of a session.
pub fn attribute_value(
    source: &AttributeSource,
    session: &crate::model::Session,
    speaker: &crate::model::Speaker,
) -> Option<String> {
    let (list, key) = match source {
        AttributeSource::Session(k) => (&session.attributes, k),
        AttributeSource::Speaker(k) => (&speaker.attributes, k),
    };
    list.iter().find(|(name, _)| name == key).map(|(_, v)| v.clone())
}

const MENTION_COLUMNS: [&str; 14] = [
    "session",
    "file",
    "line",
    "turn",
    "timestamp",
    "speaker",
    "role",
    "theme",
    "start",
    "end",
    "text",
    "rule_kind",
    "rule",
    "rule_theme",
];

fn mentions(analysis: &Analysis) -> PolarsResult<DataFrame> {
    let n = analysis.mention_count();
    let cb = &analysis.codebook;
    let rules = analysis.engine.rules();
    let attr_cols = attribute_columns(analysis);
    let mut str_cols: Vec<Vec<Option<String>>> = (0..10).map(|_| Vec::with_capacity(n)).collect();
    let (mut line, mut turn, mut start, mut end) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut attrs: Vec<Vec<Option<String>>> =
        attr_cols.iter().map(|_| Vec::with_capacity(n)).collect();
    for coded in &analysis.sessions {
        let s = &coded.session;
        let file = s.file.display().to_string();
        for m in &coded.mentions {
            let t = &s.turns[m.turn];
            let speaker = s.speaker_of(t);
            let mut rule_themes: Vec<usize> = m.rules.iter().map(|&r| rules[r].theme).collect();
            rule_themes.sort();
            rule_themes.dedup();
            let values = [
                Some(s.id.clone()),
                Some(file.clone()),
                t.timestamp.map(|ts| ts.to_string()),
                Some(speaker.label.clone()),
                Some(speaker.role.as_str().to_string()),
                Some(cb.themes[m.theme].id.clone()),
                Some(t.text[m.bytes.clone()].to_string()),
                Some(rule_kinds(analysis, &m.rules)),
                Some(
                    m.rules.iter().map(|&r| rules[r].text.as_str()).collect::<Vec<_>>().join(" | "),
                ),
                Some(
                    rule_themes
                        .iter()
                        .map(|&i| cb.themes[i].id.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
            ];
            for (col, v) in str_cols.iter_mut().zip(values) {
                col.push(v);
            }
            line.push(m.line as u64);
            turn.push(m.turn as u64 + 1);
            start.push(m.chars.start as u64);
            end.push(m.chars.end as u64);
            for ((_, source), col) in attr_cols.iter().zip(attrs.iter_mut()) {
                col.push(attribute_value(source, s, speaker));
            }
        }
    }
    let mut strs = str_cols.into_iter();
    let mut next = |name: &str| Column::new(name.into(), strs.next().expect("ten string columns"));
    let mut columns = vec![
        next("session"),
        next("file"),
        Column::new("line".into(), line),
        Column::new("turn".into(), turn),
        next("timestamp"),
        next("speaker"),
        next("role"),
    ];
    for ((name, _), values) in attr_cols.iter().zip(attrs) {
        columns.push(Column::new(name.as_str().into(), values));
    }
    columns.push(next("theme"));
    columns.push(Column::new("start".into(), start));
    columns.push(Column::new("end".into(), end));
    columns.push(next("text"));
    columns.push(next("rule_kind"));
    columns.push(next("rule"));
    columns.push(next("rule_theme"));
    DataFrame::new(n, columns)
}
