//! Aggregation with polars: the mentions table (the audit trail) and the tables derived
//! from it — theme frequencies, the theme × session and speaker × theme matrices, theme
//! co-occurrence, and the segment matrix (one row per unit, a 0/1 column per theme).

use polars::prelude::*;

use crate::analysis::Analysis;
use crate::code::RuleKind;
use crate::error::{Error, Result};
use crate::segment::{Segmentation, Unit};

/// The tables a run produces.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The unit that `segments`, the segment matrix and co-occurrence count.
    pub unit: Unit,
    /// One row per theme: mentions, segments, speakers, sessions, per 1,000 words.
    pub theme_frequencies: DataFrame,
    /// One row per theme; mentions and per-1,000-words columns per session.
    pub session_matrix: DataFrame,
    /// One row per counted speaker of each session; mentions per theme.
    pub speaker_matrix: DataFrame,
    /// One row per pair of themes (neither an ancestor of the other): units coded with both,
    /// and Jaccard similarity.
    pub cooccurrence: DataFrame,
    /// One row per unit with its session, speaker, attributes and words, and 0/1 per theme.
    pub segment_matrix: DataFrame,
    /// One row per mention, with its provenance.
    pub mentions: DataFrame,
}

/// Builds every table from a coded corpus, counting segments in `unit`s.
pub fn build(analysis: &Analysis, unit: Unit) -> Result<Tables> {
    let segmentation = Segmentation::new(analysis, unit);
    let facts = mention_facts(analysis, &segmentation)
        .map_err(|e| Error::table("the mentions facts", e))?;
    Ok(Tables {
        unit,
        theme_frequencies: theme_frequencies(analysis, &facts)
            .map_err(|e| Error::table("theme_frequencies", e))?,
        session_matrix: session_matrix(analysis, &facts)
            .map_err(|e| Error::table("session_matrix", e))?,
        speaker_matrix: speaker_matrix(analysis, &facts)
            .map_err(|e| Error::table("speaker_matrix", e))?,
        cooccurrence: cooccurrence(analysis, &facts)
            .map_err(|e| Error::table("cooccurrence", e))?,
        segment_matrix: segment_matrix(analysis, &segmentation, &facts)
            .map_err(|e| Error::table("segment_matrix", e))?,
        mentions: mentions(analysis).map_err(|e| Error::table("mentions", e))?,
    })
}

/// Numeric facts per mention: theme, session, unit (segment) id and corpus-wide speaker id.
fn mention_facts(analysis: &Analysis, segmentation: &Segmentation) -> PolarsResult<DataFrame> {
    let n = analysis.mention_count();
    let (mut theme, mut session, mut segment, mut speaker) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut speaker_base = 0u64;
    for (si, coded) in analysis.sessions.iter().enumerate() {
        let s = &coded.session;
        for (m, &unit) in coded.mentions.iter().zip(&segmentation.mention_segment[si]) {
            theme.push(m.theme as u32);
            session.push(si as u32);
            segment.push(unit as u64);
            speaker.push(speaker_base + s.turns[m.turn].speaker as u64);
        }
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
    let base = theme_frame(analysis)?.sort(["rank"], SortMultipleOptions::default())?;
    let order: Vec<usize> = analysis.codebook.order().to_vec();
    // Built column by column: a lazy plan with two columns per session grows quadratically.
    let mut columns = vec![base.column("theme")?.clone(), base.column("label")?.clone()];
    for (si, coded) in analysis.sessions.iter().enumerate() {
        let id = &coded.session.id;
        let values: Vec<u64> = order.iter().map(|&ti| matrix[si][ti]).collect();
        let words = coded.counted_words();
        let factor = if words > 0 { 1000.0 / words as f64 } else { 0.0 };
        let rates: Vec<f64> =
            values.iter().map(|&m| round_half_away(m as f64 * factor, 3)).collect();
        columns.push(Column::new(format!("{id}_mentions").into(), values));
        columns.push(Column::new(format!("{id}_per_1000_words").into(), rates));
    }
    DataFrame::new(order.len(), columns)
}

/// `x` rounded to `decimals` places, halves away from zero (as polars' `round`).
fn round_half_away(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// Corpus-wide speaker ids: the first id of each session's speakers.
fn speaker_bases(analysis: &Analysis) -> Vec<u64> {
    let mut base = 0u64;
    analysis
        .sessions
        .iter()
        .map(|c| {
            let b = base;
            base += c.session.speakers.len() as u64;
            b
        })
        .collect()
}

/// The ids of the themes in codebook order, for column names.
fn theme_ids_in_order(analysis: &Analysis) -> Vec<(usize, String)> {
    let cb = &analysis.codebook;
    cb.order().iter().map(|&i| (i, cb.themes[i].id.clone())).collect()
}

fn speaker_matrix(analysis: &Analysis, facts: &DataFrame) -> PolarsResult<DataFrame> {
    let counts = facts
        .clone()
        .lazy()
        .group_by([col("speaker"), col("theme_idx")])
        .agg([len().alias("mentions")])
        .collect()?;
    let bases = speaker_bases(analysis);
    let total_speakers = analysis.sessions.iter().map(|c| c.session.speakers.len()).sum();
    let themes = analysis.codebook.themes.len();
    let mut matrix = vec![vec![0u64; themes]; total_speakers];
    let sp = counts.column("speaker")?.u64()?;
    let th = counts.column("theme_idx")?.u32()?;
    let m = counts.column("mentions")?.cast(&DataType::UInt64)?;
    for ((sp, th), m) in sp.iter().zip(th.iter()).zip(m.u64()?.iter()) {
        if let (Some(sp), Some(th), Some(m)) = (sp, th, m) {
            matrix[sp as usize][th as usize] = m;
        }
    }
    // Rows: the counted speakers of each session, in order of appearance.
    let speaker_attrs: Vec<(String, AttributeSource)> = attribute_columns(analysis)
        .into_iter()
        .filter(|(_, s)| matches!(s, AttributeSource::Speaker(_)))
        .collect();
    let (mut session, mut speaker, mut role, mut turns, mut words) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut attrs: Vec<Vec<Option<String>>> = vec![Vec::new(); speaker_attrs.len()];
    let mut rows: Vec<usize> = Vec::new();
    for (si, coded) in analysis.sessions.iter().enumerate() {
        let s = &coded.session;
        let mut per_speaker = vec![(0u64, 0u64); s.speakers.len()];
        for (t, turn) in s.turns.iter().enumerate() {
            if coded.counted[t] {
                per_speaker[turn.speaker].0 += 1;
                per_speaker[turn.speaker].1 += coded.words[t] as u64;
            }
        }
        for (k, sp) in s.speakers.iter().enumerate() {
            if per_speaker[k].0 == 0 {
                continue;
            }
            session.push(s.id.clone());
            speaker.push(sp.label.clone());
            role.push(sp.role.as_str().to_string());
            turns.push(per_speaker[k].0);
            words.push(per_speaker[k].1);
            for ((_, source), col) in speaker_attrs.iter().zip(attrs.iter_mut()) {
                col.push(attribute_value(source, s, sp));
            }
            rows.push(bases[si] as usize + k);
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
    for (ti, id) in theme_ids_in_order(analysis) {
        let values: Vec<u64> = rows.iter().map(|&r| matrix[r][ti]).collect();
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

fn cooccurrence(analysis: &Analysis, facts: &DataFrame) -> PolarsResult<DataFrame> {
    let cb = &analysis.codebook;
    let pairs = facts
        .clone()
        .lazy()
        .select([col("segment"), col("theme_idx")])
        .unique_stable(None, UniqueKeepStrategy::First);
    let units_per_theme =
        pairs.clone().group_by([col("theme_idx")]).agg([len().alias("units")]).collect()?;
    let both = pairs
        .clone()
        .join(
            pairs.clone().select([col("segment"), col("theme_idx").alias("theme_b")]),
            [col("segment")],
            [col("segment")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("theme_idx").neq(col("theme_b")))
        .group_by([col("theme_idx"), col("theme_b")])
        .agg([len().alias("both")])
        .collect()?;
    let themes = cb.themes.len();
    let mut units = vec![0u64; themes];
    for (t, n) in units_per_theme
        .column("theme_idx")?
        .u32()?
        .iter()
        .zip(units_per_theme.column("units")?.cast(&DataType::UInt64)?.u64()?.iter())
    {
        if let (Some(t), Some(n)) = (t, n) {
            units[t as usize] = n;
        }
    }
    let mut together = vec![vec![0u64; themes]; themes];
    let a = both.column("theme_idx")?.u32()?;
    let b = both.column("theme_b")?.u32()?;
    let n = both.column("both")?.cast(&DataType::UInt64)?;
    for ((a, b), n) in a.iter().zip(b.iter()).zip(n.u64()?.iter()) {
        if let (Some(a), Some(b), Some(n)) = (a, b, n) {
            together[a as usize][b as usize] = n;
        }
    }
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
            let k = together[a][b];
            let either = units[a] + units[b] - k;
            ta.push(cb.themes[a].id.clone());
            tb.push(cb.themes[b].id.clone());
            ua.push(units[a]);
            ub.push(units[b]);
            both_col.push(k);
            jaccard.push(if either > 0 {
                ((k as f64 / either as f64) * 1000.0).round() / 1000.0
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

fn segment_matrix(
    analysis: &Analysis,
    segmentation: &Segmentation,
    facts: &DataFrame,
) -> PolarsResult<DataFrame> {
    let coded = facts
        .clone()
        .lazy()
        .select([col("segment"), col("theme_idx")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect()?;
    let themes = analysis.codebook.themes.len();
    let n = segmentation.segments.len();
    let mut flags = vec![vec![0u32; n]; themes];
    for (u, t) in
        coded.column("segment")?.u64()?.iter().zip(coded.column("theme_idx")?.u32()?.iter())
    {
        if let (Some(u), Some(t)) = (u, t) {
            flags[t as usize][u as usize] = 1;
        }
    }
    let unit = segmentation.unit;
    let attr_cols: Vec<(String, AttributeSource)> = attribute_columns(analysis)
        .into_iter()
        .filter(|(_, s)| unit != Unit::Session || matches!(s, AttributeSource::Session(_)))
        .collect();
    let (mut session, mut turn, mut sentence, mut line, mut speaker, mut role, mut words) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut attrs: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(n); attr_cols.len()];
    for seg in &segmentation.segments {
        let s = &analysis.sessions[seg.session].session;
        let t = &s.turns[seg.turn];
        let sp = s.speaker_of(t);
        session.push(s.id.clone());
        turn.push(seg.turn as u64 + 1);
        sentence.push(seg.sentence.map(|k| k as u64));
        line.push(t.line_of(seg.bytes.start) as u64);
        speaker.push(sp.label.clone());
        role.push(sp.role.as_str().to_string());
        words.push(seg.words as u64);
        for ((_, source), col) in attr_cols.iter().zip(attrs.iter_mut()) {
            col.push(attribute_value(source, s, sp));
        }
    }
    let mut columns = vec![Column::new("session".into(), session)];
    if unit != Unit::Session {
        columns.push(Column::new("turn".into(), turn));
        if unit == Unit::Sentence {
            columns.push(Column::new("sentence".into(), sentence));
        }
        columns.push(Column::new("line".into(), line));
        columns.push(Column::new("speaker".into(), speaker));
        columns.push(Column::new("role".into(), role));
    }
    for ((name, _), values) in attr_cols.iter().zip(attrs) {
        columns.push(Column::new(name.as_str().into(), values));
    }
    columns.push(Column::new("words".into(), words));
    for (ti, id) in theme_ids_in_order(analysis) {
        let values = std::mem::take(&mut flags[ti]);
        columns.push(Column::new(column_name(id, &columns).into(), values));
    }
    DataFrame::new(n, columns)
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
