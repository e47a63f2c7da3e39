//! What Markdown adds to the text format: backslash escapes (`\[04:16\]`), headings
//! (`## Intro`, `#Title`) that mark sections and bold pseudo-speakers (`**Break:** [29:13]`).
//! Links stay in the text as written; their URLs give no tokens (see [`crate::tokenize`]).

use std::borrow::Cow;

use super::forms::split_timestamp;

/// The ASCII punctuation a backslash escapes in Markdown.
const ESCAPABLE: &str = "\\`*_{}[]()#+-.!<>|~\"'";

/// `line` with its Markdown escapes undone (`\[laughter\]` → `[laughter]`, `\*` → `*`).
pub(crate) fn unescape(line: &str) -> Cow<'_, str> {
    if !line.contains('\\') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && ESCAPABLE.contains(next) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The title of a Markdown heading (`# Intro`, `## Intro`, `#Intro`), up to six `#`; `None`
/// for other lines, for `#` alone and for `#` followed by punctuation (`#!`, `#-`).
pub(crate) fn heading(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let title = line[hashes..].trim().trim_end_matches('#').trim();
    (!title.is_empty() && title.starts_with(|c: char| !c.is_ascii_punctuation() || c == '¿'))
        .then_some(title)
}

/// Whether `line` is a bold pseudo-speaker followed only by a timestamp (`**Break:**
/// [29:13]`): a marker of the recording, not a turn.
pub(crate) fn is_marker(line: &str) -> bool {
    let Some(inner) = line.strip_prefix("**") else {
        return false;
    };
    let Some(close) = inner.find("**") else {
        return false;
    };
    let rest = inner[close + 2..].trim_start().trim_start_matches(':').trim();
    let label = inner[..close].trim().trim_end_matches(':').trim();
    !label.is_empty()
        && !rest.is_empty()
        && split_timestamp(rest).is_some_and(|(_, after)| after.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_headings_markers() {
        assert_eq!(unescape(r"\[04:16\] a \*b\* c\d"), r"[04:16] a *b* c\d");
        assert_eq!(heading("## Intro"), Some("Intro"));
        assert_eq!(heading("#Activación a través"), Some("Activación a través"));
        assert_eq!(heading("# Prepared remarks."), Some("Prepared remarks."));
        assert_eq!(heading("#"), None);
        assert_eq!(heading("Intro"), None);
        assert!(is_marker("**Break:** [29:13]"));
        assert!(!is_marker("**Jerod Santo:** [04:16] How do…"));
    }
}
