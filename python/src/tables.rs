//! Arrow record batches for Python: the turns of read transcripts, and the mentions of coded
//! texts (with the provenance columns of `mentions.csv`).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanBuilder, Int64Builder, MapBuilder, StringArray, StringBuilder,
    UInt32Array,
};
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;

use qualkit::aggregate::JoinedRules;
use qualkit::code::{Coder, CodingOptions, Engine};
use qualkit::codebook::Codebook;
use qualkit::model::Session;

/// Texts coded together by one [`Coder`] (one task of the thread pool).
const CHUNK: usize = 2048;

/// The columns of a batch of mentions, after those it carries from its texts.
pub const MENTION_COLUMNS: [&str; 7] =
    ["theme", "start", "end", "text", "rule_kind", "rule", "rule_theme"];

/// One row per turn of `sessions`: session, file, line, turn (1-based, as in
/// `mentions.csv`), timestamp, speaker, role, question (id and text), section (the
/// Markdown heading it is under), attributes (the
/// session's, then the speaker's, a map), text, and whether the turn is counted by default
/// (participants' and group voices' turns: what `qualkit analyze` codes).
pub fn turns(sessions: &[Session]) -> RecordBatch {
    let mut strs: Vec<StringBuilder> = (0..9).map(|_| StringBuilder::new()).collect();
    let (mut line, mut turn) = (Int64Builder::new(), Int64Builder::new());
    let mut counted = BooleanBuilder::new();
    let mut attributes = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
    let coding = CodingOptions::default();
    for s in sessions {
        let file = s.file.display().to_string();
        for (k, t) in s.turns.iter().enumerate() {
            let sp = s.speaker_of(t);
            let q = s.question_of(t);
            strs[0].append_value(&s.id);
            strs[1].append_value(&file);
            line.append_value(t.line as i64);
            turn.append_value(k as i64 + 1);
            strs[2].append_option(t.timestamp.map(|ts| ts.to_string()));
            strs[3].append_value(&sp.label);
            strs[4].append_value(sp.role.as_str());
            strs[5].append_option(q.map(|q| q.id.as_str()));
            strs[6].append_option(q.map(|q| q.text.as_str()));
            strs[7].append_option(s.section_of(k).map(|x| x.title.as_str()));
            append_attributes(&mut attributes, &s.attributes, &sp.attributes);
            strs[8].append_value(&t.text);
            counted.append_value(coding.counts(sp.role));
        }
    }
    let mut s = strs.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let mut next = || s.next().expect("nine string columns");
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("session", next()),
        ("file", next()),
        ("line", Arc::new(line.finish())),
        ("turn", Arc::new(turn.finish())),
        ("timestamp", next()),
        ("speaker", next()),
        ("role", next()),
        ("question", next()),
        ("question_text", next()),
        ("section", next()),
        ("attributes", Arc::new(attributes.finish())),
        ("text", next()),
        ("counted", Arc::new(counted.finish())),
    ];
    RecordBatch::try_from_iter(columns).expect("columns of equal length")
}

/// Appends one map of attributes: the session's, then the speaker's (a speaker attribute
/// replaces the session attribute of the same name).
fn append_attributes(
    map: &mut MapBuilder<StringBuilder, StringBuilder>,
    session: &[(String, String)],
    speaker: &[(String, String)],
) {
    for (key, value) in session {
        if !speaker.iter().any(|(k, _)| k == key) {
            map.keys().append_value(key);
            map.values().append_value(value);
        }
    }
    for (key, value) in speaker {
        map.keys().append_value(key);
        map.values().append_value(value);
    }
    map.append(true).expect("keys and values of equal length");
}

/// One mention of a text: its row, theme, character offsets, byte range and rules.
struct Found {
    row: u32,
    theme: usize,
    chars: (usize, usize),
    bytes: std::ops::Range<usize>,
    rules: Vec<usize>,
}

/// Codes every non-null text of `texts` (in parallel, in row order) and returns the row of
/// each mention and the mention columns ([`MENTION_COLUMNS`]): theme id, character offsets
/// (half-open, as Python slices a `str`), the text matched, and its rules.
pub fn code(cb: &Codebook, engine: &Engine, texts: &StringArray) -> (UInt32Array, Vec<ArrayRef>) {
    let rows: Vec<usize> = (0..texts.len()).collect();
    let found: Vec<Vec<Found>> = rows
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut coder = Coder::new(engine);
            chunk
                .iter()
                .filter(|&&r| texts.is_valid(r))
                .flat_map(|&r| code_one(&mut coder, r, texts.value(r)))
                .collect()
        })
        .collect();
    let n = found.iter().map(Vec::len).sum();
    let mut row = Vec::with_capacity(n);
    let (mut start, mut end) = (Int64Builder::with_capacity(n), Int64Builder::with_capacity(n));
    let mut strs: Vec<StringBuilder> = (0..5).map(|_| StringBuilder::new()).collect();
    let mut joined = JoinedRules::default();
    for f in found.iter().flatten() {
        row.push(f.row);
        strs[0].append_value(&cb.themes[f.theme].id);
        start.append_value(f.chars.0 as i64);
        end.append_value(f.chars.1 as i64);
        strs[1].append_value(&texts.value(f.row as usize)[f.bytes.clone()]);
        let (kind, rule, theme) = joined.values(cb, engine.rules(), &f.rules);
        strs[2].append_value(kind);
        strs[3].append_value(rule);
        strs[4].append_value(theme);
    }
    let mut s = strs.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let theme = s.next().expect("theme");
    let mut columns = vec![theme, Arc::new(start.finish()), Arc::new(end.finish())];
    columns.extend(s);
    (UInt32Array::from(row), columns)
}

/// The mentions of one text, at `row`.
fn code_one(coder: &mut Coder<'_>, row: usize, text: &str) -> Vec<Found> {
    let ascii = text.is_ascii();
    let chars = |b: usize| if ascii { b } else { text[..b].chars().count() };
    let (_, spans) = coder.code(text);
    spans
        .into_iter()
        .map(|span| Found {
            row: row as u32,
            theme: span.theme,
            chars: (chars(span.range.start), chars(span.range.end)),
            bytes: span.range,
            rules: span.rules,
        })
        .collect()
}
