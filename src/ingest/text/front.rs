//! Front matter: `key: value` lines, or any YAML (lists, nested maps, quoted strings),
//! between `---` lines at the very top of a transcript.

use std::path::Path;

use yaml_serde::Value;

use super::{speaker_key, RawLine};
use crate::display::shorten;
use crate::error::{Error, Result};
use crate::model::{Warning, WarningKind};

/// Front matter read from the top of a transcript.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    pub(crate) session: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) date: Option<String>,
    /// Normalised moderator labels (see [`speaker_key`]), when the key is present.
    pub(crate) moderators: Option<Vec<String>>,
    pub(crate) attributes: Vec<(String, String)>,
    /// The labels a `speakers:` list names (as written).
    pub(crate) speakers: Vec<String>,
    /// What the reader noticed (nested values left out).
    pub(crate) notes: Vec<Warning>,
}

/// Reads the front matter, if the file has one. Returns it and the index of the first body line.
pub(crate) fn parse_front_matter(path: &Path, all: &[RawLine<'_>]) -> Result<(FrontMatter, usize)> {
    let first = all.iter().position(|l| !l.text.trim().is_empty());
    let Some(first) = first.filter(|&i| all[i].text.trim() == "---") else {
        return Ok((FrontMatter::default(), 0));
    };
    let Some(close) = (first + 1..all.len()).find(|&i| all[i].text.trim() == "---") else {
        return Err(Error::transcript(
            path,
            Some(all[first].number),
            "front matter opened with `---` is never closed; add a line `---` after its last `key: value` line",
        ));
    };
    let block = &all[first + 1..close];
    let front = if is_yaml(block) { parse_yaml(path, block)? } else { parse_lines(path, block)? };
    Ok((front, close + 1))
}

/// Reads a front matter of `key: value` lines (and `# comments`), each key once.
fn parse_lines(path: &Path, block: &[RawLine<'_>]) -> Result<FrontMatter> {
    let mut front = FrontMatter::default();
    let mut seen: Vec<String> = Vec::new();
    for raw in block {
        let (number, line) = (raw.number, raw.text.trim());
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(Error::transcript(
                path,
                Some(number),
                format!(
                    "front matter line \"{}\" has no `:`; expected `key: value` \
                     (for example `site: Long Beach`), a `# comment`, or the closing `---`",
                    shorten(line, 60)
                ),
            ));
        };
        let key = key.trim().to_lowercase();
        let value = value.trim().to_string();
        if key.is_empty() {
            return Err(Error::transcript(
                path,
                Some(number),
                "front matter line has an empty key; expected `key: value`",
            ));
        }
        if seen.contains(&key) {
            return Err(Error::transcript(
                path,
                Some(number),
                format!("front matter key `{key}` is given twice; keep one"),
            ));
        }
        seen.push(key.clone());
        match key.as_str() {
            "session" => front.session = Some(value),
            "title" => front.title = Some(value),
            "date" => front.date = Some(value),
            "moderators" => {
                front.moderators =
                    Some(value.split(',').map(speaker_key).filter(|k| !k.is_empty()).collect())
            }
            _ => front.attributes.push((key, value)),
        }
    }
    Ok(front)
}

/// Whether a front matter is written in YAML beyond `key: value` lines: a list item, an
/// indented line, or a value that opens a list, a map, a quoted string or a block.
fn is_yaml(block: &[RawLine<'_>]) -> bool {
    block.iter().any(|raw| {
        let text = raw.text;
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return false;
        }
        let value = trimmed.split_once(':').map_or("", |(_, v)| v.trim());
        trimmed.starts_with("- ")
            || trimmed == "-"
            || text.starts_with([' ', '\t'])
            || value.starts_with(['[', '{', '"', '\'', '|', '>'])
    })
}

/// Reads a YAML front matter: scalars are attributes (`title`, `date`, `session` and
/// `moderators` keep their meaning), lists are joined with `; `, nested maps flattened
/// (`media.url`), and a `speakers:` list names the speakers.
fn parse_yaml(path: &Path, block: &[RawLine<'_>]) -> Result<FrontMatter> {
    let text: Vec<&str> = block.iter().map(|r| r.text).collect();
    let first_line = block.first().map_or(1, |r| r.number);
    let value: Value = yaml_serde::from_str(&text.join("\n")).map_err(|e| {
        let line = e.location().map_or(first_line, |l| first_line + l.line().saturating_sub(1));
        // The parser's own position counts from the block, not the file: left out.
        let e = e.to_string();
        let e = e.split(" at line ").next().unwrap_or(&e).to_string();
        Error::transcript(
            path,
            Some(line),
            format!(
                "front matter is not valid YAML ({e}); write `key: value` lines, lists as \
                 `- item` lines under their key, and quote values that hold `: `"
            ),
        )
    })?;
    let mut front = FrontMatter::default();
    let Value::Mapping(map) = value else {
        if matches!(value, Value::Null) {
            return Ok(front);
        }
        return Err(Error::transcript(
            path,
            Some(first_line),
            "front matter is YAML but not a map of keys; expected `key: value` lines",
        ));
    };
    for (key, value) in map {
        let key = scalar(&key).unwrap_or_default().trim().to_lowercase();
        if !key.is_empty() {
            front.entry(key, &value, first_line);
        }
    }
    Ok(front)
}

impl FrontMatter {
    /// Takes one key of a YAML front matter.
    fn entry(&mut self, key: String, value: &Value, line: usize) {
        let items = list(value);
        match key.as_str() {
            "session" => self.session = scalar(value),
            "title" => self.title = scalar(value),
            "date" => self.date = scalar(value),
            "moderators" => {
                let labels = items.unwrap_or_else(|| {
                    scalar(value).map_or(Vec::new(), |v| v.split(',').map(str::to_string).collect())
                });
                self.moderators =
                    Some(labels.iter().map(|l| speaker_key(l)).filter(|k| !k.is_empty()).collect());
            }
            "speakers" if items.is_some() => {
                let items = items.unwrap_or_default();
                self.attributes.push((key, items.join("; ")));
                self.speakers = items;
            }
            _ => match (value, items) {
                (_, Some(items)) => self.attributes.push((key, items.join("; "))),
                (Value::Mapping(map), None) => self.flatten(&key, map, line),
                (Value::Null, None) => {}
                (value, None) => match scalar(value) {
                    Some(v) => self.attributes.push((key, v)),
                    None => self.leave_out(&key, line),
                },
            },
        }
    }

    /// The scalar values of a nested map, as `key.inner` attributes.
    fn flatten(&mut self, key: &str, map: &yaml_serde::Mapping, line: usize) {
        for (inner, value) in map {
            let name = format!("{key}.{}", scalar(inner).unwrap_or_default().to_lowercase());
            match (scalar(value), list(value)) {
                (Some(v), _) => self.attributes.push((name, v)),
                (None, Some(items)) => self.attributes.push((name, items.join("; "))),
                (None, None) => self.leave_out(&name, line),
            }
        }
    }

    fn leave_out(&mut self, key: &str, line: usize) {
        self.notes.push(Warning::new(
            Some(line),
            WarningKind::Header,
            format!(
                "front matter key `{key}` holds nested values and is left out of the session's \
                 attributes; give it as `key: value` if you need it"
            ),
        ));
    }
}

/// A YAML scalar as text (`true`, `3`, `2019-06-17`); `None` for lists, maps and null.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// The scalar items of a YAML list; `None` when `value` is not a list.
fn list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Sequence(items) => Some(items.iter().filter_map(scalar).collect()),
        _ => None,
    }
}
