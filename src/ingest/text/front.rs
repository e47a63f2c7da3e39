//! Front matter: `key: value` lines between `---` lines at the very top of a transcript.

use std::path::Path;

use super::{shorten, speaker_key, RawLine};
use crate::error::{Error, Result};

/// Front matter read from the top of a transcript.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    pub(crate) session: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) date: Option<String>,
    /// Normalised moderator labels (see [`speaker_key`]), when the key is present.
    pub(crate) moderators: Option<Vec<String>>,
    pub(crate) attributes: Vec<(String, String)>,
}

/// Reads the front matter, if the file has one. Returns it and the index of the first body line.
pub(crate) fn parse_front_matter(path: &Path, all: &[RawLine<'_>]) -> Result<(FrontMatter, usize)> {
    let mut front = FrontMatter::default();
    let first = all.iter().position(|l| !l.text.trim().is_empty());
    let Some(first) = first.filter(|&i| all[i].text.trim() == "---") else {
        return Ok((front, 0));
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, raw) in all.iter().enumerate().skip(first + 1) {
        let (number, line) = (raw.number, raw.text.trim());
        if line == "---" {
            return Ok((front, i + 1));
        }
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
    Err(Error::transcript(
        path,
        Some(all[first].number),
        "front matter opened with `---` is never closed; add a line `---` after its last `key: value` line",
    ))
}
