//! Tables as paragraphs: one per row, with speaker tables read as turns (see the module
//! documentation of `office`).

/// A cell's text: its non-empty paragraphs, trimmed, joined with a space.
pub(super) fn join_cell<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> String {
    let mut text = String::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim();
        if paragraph.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(paragraph);
    }
    text
}

/// Header names of the speaker column.
const SPEAKER_HEADERS: &[&str] = &["speaker", "name", "participant", "person", "respondent"];
/// Header names of the text column.
const TEXT_HEADERS: &[&str] =
    &["text", "transcript", "utterance", "content", "response", "what was said", "statement"];
/// Header names of the time column.
const TIME_HEADERS: &[&str] = &["time", "timestamp", "start", "start time"];

/// The columns named by a header row.
#[derive(Debug, Clone, Copy)]
struct Columns {
    speaker: usize,
    text: usize,
    time: Option<usize>,
}

/// The speaker, text and time columns named by `row`, if it names a speaker and a text
/// column (case-insensitive; a trailing `:` is ignored).
fn header_columns(row: &[String]) -> Option<Columns> {
    let names: Vec<String> = row
        .iter()
        .map(|c| {
            let words: Vec<&str> = c.split_whitespace().collect();
            words.join(" ").trim_end_matches(':').trim_end().to_lowercase()
        })
        .collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    Some(Columns {
        speaker: find(SPEAKER_HEADERS)?,
        text: find(TEXT_HEADERS)?,
        time: find(TIME_HEADERS),
    })
}

/// Whether `cell` reads as a speaker label: 1–40 characters, starting with a letter or digit,
/// at most 5 words, no `:` inside (one trailing `:` is allowed: `Anna:`).
pub(super) fn is_plausible_speaker(cell: &str) -> bool {
    let label = cell.trim();
    let label = label.strip_suffix(':').unwrap_or(label).trim_end();
    let chars = label.chars().count();
    (1..=40).contains(&chars)
        && label.chars().next().is_some_and(char::is_alphanumeric)
        && label.split_whitespace().count() <= 5
        && !label.contains(':')
}

/// `[TIME] Speaker: text`, leaving out what is empty; `None` when speaker and text are both
/// empty.
fn turn_line(time: &str, speaker: &str, text: &str) -> Option<String> {
    let time = time.trim();
    let time = time.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(time).trim();
    let speaker = speaker.split_whitespace().collect::<Vec<_>>().join(" ");
    let speaker = speaker.strip_suffix(':').unwrap_or(&speaker).trim_end();
    let text = text.trim();
    let mut line = if time.is_empty() { String::new() } else { format!("[{time}] ") };
    match (speaker.is_empty(), text.is_empty()) {
        (true, true) => return None,
        (false, false) => {
            line.push_str(speaker);
            line.push_str(": ");
            line.push_str(text);
        }
        (false, true) => {
            line.push_str(speaker);
            line.push(':');
        }
        (true, false) => line.push_str(text),
    }
    Some(line)
}

/// A row's non-empty cells joined with tabs.
fn tab_line(row: &[String]) -> String {
    let cells: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    cells.join("\t")
}

/// The paragraphs a table becomes: one per non-empty row (see the module documentation).
pub(super) fn table_lines(rows: Vec<Vec<String>>) -> Vec<String> {
    let rows: Vec<Vec<String>> =
        rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
    let Some(first) = rows.first() else { return Vec::new() };
    if let Some(cols) = header_columns(first) {
        let cell = |row: &[String], i: usize| row.get(i).map_or("", |c| c.as_str()).to_string();
        return rows[1..]
            .iter()
            .filter_map(|row| {
                let time = cols.time.map(|i| cell(row, i)).unwrap_or_default();
                turn_line(&time, &cell(row, cols.speaker), &cell(row, cols.text))
            })
            .collect();
    }
    if is_speaker_table(&rows) {
        return rows
            .iter()
            .map(|row| match row.as_slice() {
                [first, .., last] => turn_line("", first, last).unwrap_or_else(|| tab_line(row)),
                _ => tab_line(row),
            })
            .collect();
    }
    rows.iter().map(|row| tab_line(row)).collect()
}

/// Whether a table without a header is a speaker table: at least two columns, every
/// non-empty first cell a plausible speaker label (and at least one), and text in the last
/// column.
fn is_speaker_table(rows: &[Vec<String>]) -> bool {
    let wide = rows.iter().any(|r| r.len() >= 2);
    let mut labels = 0;
    for row in rows {
        let first = row.first().map_or("", |c| c.trim());
        if first.is_empty() {
            continue;
        }
        if !is_plausible_speaker(first) {
            return false;
        }
        labels += 1;
    }
    let text_last =
        rows.iter().any(|r| r.len() >= 2 && r.last().is_some_and(|c| !c.trim().is_empty()));
    wide && labels > 0 && text_last
}
