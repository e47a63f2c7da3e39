//! What Markdown adds to the text format: backslash escapes (`\[04:16\]`), headings
//! (`## Intro`, `#Title`) that mark sections, bold pseudo-speakers (`**Break:** [29:13]`)
//! and links whose URL is not talk (`[paper](https://…)`, `<https://…>`).

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

/// `text` with Markdown links reduced to their text: `[paper](https://…)` → `paper`, and
/// `<https://…>` left out. The URL of a link is not talk: neither counted nor coded.
pub(crate) fn strip_links(text: &str) -> Cow<'_, str> {
    if !text.contains("](") && !text.contains("<http") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['[', '<']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match link(after) {
            Some((shown, used)) => {
                out.push_str(shown);
                rest = &after[used..];
                if shown.is_empty() && rest.starts_with(['.', ',', ';', ':', '!', '?', ')']) {
                    out.truncate(out.trim_end().len());
                }
            }
            None => {
                out.push_str(&after[..1]);
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
}

/// A link at the start of `text`: the text it shows and the bytes it takes.
fn link(text: &str) -> Option<(&str, usize)> {
    if let Some(inner) = text.strip_prefix('<') {
        let close = inner.find('>')?;
        let url = &inner[..close];
        let is_url = (url.starts_with("http://") || url.starts_with("https://"))
            && !url.contains(char::is_whitespace);
        return is_url.then_some(("", close + 2));
    }
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    let target = inner[close + 1..].strip_prefix('(')?;
    let end = target.find(')')?;
    if target[..end].contains(char::is_whitespace) || inner[..close].contains('[') {
        return None;
    }
    Some((&inner[..close], 1 + close + 1 + 1 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_headings_markers_links() {
        assert_eq!(unescape(r"\[04:16\] a \*b\* c\d"), r"[04:16] a *b* c\d");
        assert_eq!(heading("## Intro"), Some("Intro"));
        assert_eq!(heading("#Activación a través"), Some("Activación a través"));
        assert_eq!(heading("# Prepared remarks."), Some("Prepared remarks."));
        assert_eq!(heading("#"), None);
        assert_eq!(heading("Intro"), None);
        assert!(is_marker("**Break:** [29:13]"));
        assert!(!is_marker("**Jerod Santo:** [04:16] How do…"));
        assert_eq!(strip_links("see [paper](https://x.org/a) now"), "see paper now");
        assert_eq!(strip_links("slides <https://x.org/a.pdf> here"), "slides here");
        assert_eq!(strip_links("a list <https://x.org/l>."), "a list.");
        assert_eq!(strip_links("[laughter] and <b>"), "[laughter] and <b>");
    }
}
