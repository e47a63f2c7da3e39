//! Sentences: where a turn's sentences end. Sentence units, the quotes cut to their central
//! sentences, `agree`'s sentence units and the question text of a turn all cut here.
//!
//! A sentence ends only at a mark followed by white space, so the `.` and `?` inside a URL
//! (`youtu.be/x?t=76`) end nothing.

use std::ops::Range;

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "approx", "dept",
    "inc", "co", "ave", "blvd", "mt", "ft", "u.s", "a.m", "p.m",
];

/// The byte ranges of the sentences of `text`: a sentence ends after `.`, `!`, `?` or `…`
/// (and any closing quotes or brackets) followed by white space, except after a common
/// abbreviation (`Dr.`, `e.g.`) or a single letter (`J. Smith`). Ranges exclude the white
/// space between sentences; text without words is not a sentence.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Bytes, not characters: every mark but `…` is ASCII, and a byte of a multi-byte
    // character is never ASCII.
    while i < bytes.len() {
        let Some(len) = end_mark(bytes, i) else {
            i += 1;
            continue;
        };
        let full_stop = bytes[i] == b'.';
        let mut end = i + len;
        while let Some(len) = end_mark(bytes, end).or_else(|| closer(bytes, end)) {
            end += len;
        }
        let followed_by_space = end >= bytes.len() || text[end..].starts_with(char::is_whitespace);
        if followed_by_space && !(full_stop && is_abbreviation(&text[start..i])) {
            push_sentence(text, start..end, &mut out);
            start = end;
        }
        i = end;
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

/// The length of the mark ending a sentence at byte `i` (`.`, `!`, `?`, `…`), if any.
fn end_mark(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'.' | b'!' | b'?' => Some(1),
        0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6]) => Some(3),
        _ => None,
    }
}

/// The length of a closing quote or bracket at byte `i` (`"`, `'`, `”`, `’`, `)`, `]`), if
/// any.
fn closer(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' | b'\'' | b')' | b']' => Some(1),
        0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x9D | 0x99])) => Some(3),
        _ => None,
    }
}

/// The longest word of [`ABBREVIATIONS`], in characters.
const LONGEST_ABBREVIATION: usize = 6;

/// Whether the text before a full stop ends with an abbreviation or a lone initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_uppercase(),
        _ if word.len() > LONGEST_ABBREVIATION * 4 => false,
        _ => ABBREVIATIONS.contains(&word.to_lowercase().as_str()),
    }
}

fn push_sentence(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let trimmed_start = range.start + (piece.len() - piece.trim_start().len());
    let trimmed_end = range.end - (piece.len() - piece.trim_end().len());
    if trimmed_start < trimmed_end
        && text[trimmed_start..trimmed_end].chars().any(crate::tokenize::is_word_char)
    {
        out.push(trimmed_start..trimmed_end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn turns_are_cut_at_sentence_ends() {
        assert_eq!(
            split("Trust matters. Dr. Ruiz said so!  Did she? \"Yes.\" And J. Smith agreed… ok"),
            [
                "Trust matters.",
                "Dr. Ruiz said so!",
                "Did she?",
                "\"Yes.\"",
                "And J. Smith agreed…",
                "ok"
            ]
        );
        assert_eq!(
            split("It costs $3.50 at 10.30, e.g. here."),
            ["It costs $3.50 at 10.30, e.g. here."]
        );
        assert_eq!(split("No punctuation at all"), ["No punctuation at all"]);
        assert_eq!(split("Wait... what?! (laughs)"), ["Wait...", "what?!", "(laughs)"]);
        assert_eq!(split("  ...  "), Vec::<&str>::new());
    }
}
