//! Tokens: maximal matches of `\w+(?:['’]\w+)*` (Unicode `\w`), found by a hand-written
//! scanner with an ASCII fast path, and their normalised (lowercased, `’` → `'`) forms.
//!
//! Tokens are byte ranges into the turn text, so a mention can always quote the original.
//!
//! Addresses are not talk: a URL (`https://…`, any `scheme://` up to the next space, `<`,
//! `>` or `"`) and the target of a Markdown link (`(…)` after `[text]`, up to its `)`)
//! give no tokens, so they are neither counted as words nor coded, while the quote keeps
//! them as written. The text of a link (`paper` in `[paper](https://…)`) is talk.

use std::ops::Range;

/// Whether `c` is a word character in the sense of Unicode `\w` (as in the regex crate).
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// The character at byte `i` of `text`: whether it is a word character, and its length.
#[inline]
fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (ASCII_WORD[usize::from(b)], 1)
    } else {
        let c = text[i..].chars().next().expect("i is a char boundary");
        (regex_syntax::is_word_character(c), c.len_utf8())
    }
}

/// Whether each ASCII byte is a word character.
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Appends the byte range of every token of `text` to `out`, in order.
pub fn tokenize_into(text: &str, out: &mut Vec<Range<usize>>) {
    scan(text, out, &mut None);
}

/// The byte ranges of the addresses in `text` that give no tokens (URLs and Markdown link
/// targets), in order: what a pattern rule must not code either.
pub fn addresses(text: &str) -> Vec<Range<usize>> {
    let mut hidden = Vec::new();
    if text.contains("://") || text.contains("](") {
        scan(text, &mut Vec::new(), &mut Some(&mut hidden));
    }
    hidden
}

/// Tokenizes `text` into `out`, and records the addresses it skips in `hidden` when given.
fn scan(text: &str, out: &mut Vec<Range<usize>>, hidden: &mut Option<&mut Vec<Range<usize>>>) {
    if text.is_ascii() {
        tokenize_ascii(text, out, hidden);
    } else {
        tokenize_unicode(text, out, hidden);
    }
}

/// Where the Markdown link target that opens at byte `i` of `text` (a `](` there) ends:
/// after its `)`, when no space comes first.
#[inline]
fn link_target_end(text: &str, i: usize) -> Option<usize> {
    let target = text[i..].strip_prefix("](")?;
    let end = target.find(|c: char| c == ')' || c.is_whitespace())?;
    target[end..].starts_with(')').then_some(i + 2 + end + 1)
}

/// Where the URL whose scheme is the token `start..i` of `text` ends (a `://` at `i` and no
/// space after it): at the next space, `<`, `>` or `"`.
#[inline]
fn url_end(text: &str, i: usize) -> Option<usize> {
    let rest = text[i..].strip_prefix("://")?;
    let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'));
    let end = end.unwrap_or(rest.len());
    (end > 0).then_some(i + 3 + end)
}

/// Records the address `range` in `hidden`, when addresses are asked for.
#[inline]
fn hide(hidden: &mut Option<&mut Vec<Range<usize>>>, range: Range<usize>) {
    if let Some(hidden) = hidden {
        hidden.push(range);
    }
}

/// [`tokenize_into`] for ASCII text: a table lookup per byte.
fn tokenize_ascii(
    text: &str,
    out: &mut Vec<Range<usize>>,
    hidden: &mut Option<&mut Vec<Range<usize>>>,
) {
    let bytes = text.as_bytes();
    let word = |i: usize| ASCII_WORD[usize::from(bytes[i])];
    let len = bytes.len();
    let mut i = 0;
    while i < len {
        if !word(i) {
            if bytes[i] == b']' {
                if let Some(end) = link_target_end(text, i) {
                    hide(hidden, i + 1..end);
                    i = end;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            while i < len && word(i) {
                i += 1;
            }
            // An apostrophe joins two runs of word characters: "don't".
            if i + 1 < len && bytes[i] == b'\'' && word(i + 1) {
                i += 1;
                continue;
            }
            break;
        }
        if i < len && bytes[i] == b':' {
            if let Some(end) = url_end(text, i) {
                hide(hidden, start..end);
                i = end;
                continue;
            }
        }
        out.push(start..i);
    }
}

/// [`tokenize_into`] for text with characters beyond ASCII.
fn tokenize_unicode(
    text: &str,
    out: &mut Vec<Range<usize>>,
    hidden: &mut Option<&mut Vec<Range<usize>>>,
) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    while i < len {
        let (word, step) = word_char_at(text, i);
        if !word {
            if bytes[i] == b']' {
                if let Some(end) = link_target_end(text, i) {
                    hide(hidden, i + 1..end);
                    i = end;
                    continue;
                }
            }
            i += step;
            continue;
        }
        let start = i;
        i += step;
        loop {
            while i < len {
                let (word, step) = word_char_at(text, i);
                if !word {
                    break;
                }
                i += step;
            }
            // An apostrophe joins two runs of word characters: "don't", "community’s".
            let apostrophe = if i < len && bytes[i] == b'\'' {
                1
            } else if text[i..].starts_with('’') {
                '’'.len_utf8()
            } else {
                0
            };
            if apostrophe > 0 && i + apostrophe < len && word_char_at(text, i + apostrophe).0 {
                i += apostrophe;
                continue;
            }
            break;
        }
        if i < len && bytes[i] == b':' {
            if let Some(end) = url_end(text, i) {
                hide(hidden, start..end);
                i = end;
                continue;
            }
        }
        out.push(start..i);
    }
}

/// The byte ranges of the tokens of `text`.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// The number of tokens in `text` (a turn's word count).
pub fn count_tokens(text: &str) -> usize {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out.len()
}

/// The normalised form of a token: lowercased, with `’` folded to `'`.
pub fn normalize(token: &str) -> String {
    if token.is_ascii() {
        token.to_ascii_lowercase()
    } else {
        token.to_lowercase().replace('’', "'")
    }
}

/// Character (Unicode scalar value) offsets of byte offsets into one text, counted with a
/// cursor: offsets asked for in increasing order cost one pass over the text in all, however
/// many there are (an offset before the previous one counts again from the start).
#[derive(Debug, Clone)]
pub struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets { text, byte: 0, chars: 0 }
    }

    /// The character offset of byte offset `byte`, which must be a character boundary of
    /// the text.
    pub fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }

    /// The character range of the byte range `bytes` (both ends character boundaries).
    pub fn range(&mut self, bytes: &Range<usize>) -> Range<usize> {
        let start = self.at(bytes.start);
        start..start + self.text[bytes.clone()].chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_characters_in_any_order() {
        let text = "Zoë said: naïve café, über alles";
        let mut offsets = CharOffsets::new(text);
        for b in [0, 3, 4, 20, 11, 33, 1] {
            if text.is_char_boundary(b) {
                assert_eq!(offsets.at(b), text[..b].chars().count(), "byte {b}");
            }
        }
        assert_eq!(offsets.range(&(11..18)), 10..16); // "naïve "
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_punctuation_and_keeps_apostrophes_inside_words() {
        assert_eq!(
            words("We don't trust one-on-one calls, it’s slow."),
            ["We", "don't", "trust", "one", "on", "one", "calls", "it’s", "slow"]
        );
    }

    #[test]
    fn apostrophes_at_word_edges_are_not_part_of_tokens() {
        assert_eq!(
            words("'organizers' ’quoted’ rock'n'roll x''y"),
            ["organizers", "quoted", "rock'n'roll", "x", "y"]
        );
    }

    #[test]
    fn unicode_letters_digits_and_underscores_are_word_characters() {
        assert_eq!(
            words("Tomás año_2025 naïve—café 東京"),
            ["Tomás", "año_2025", "naïve", "café", "東京"]
        );
    }

    #[test]
    fn normalize_lowercases_and_folds_curly_apostrophes() {
        assert_eq!(normalize("Community’s"), "community's");
        assert_eq!(normalize("TRUST"), "trust");
        assert_eq!(normalize("ÉQUITÉ"), "équité");
    }

    #[test]
    fn urls_and_link_targets_are_not_tokens() {
        assert_eq!(
            words("see [the paper](https://x.org/a_b) and <https://y.org/list>, or http://z.io."),
            ["see", "the", "paper", "and", "or"]
        );
        assert_eq!(
            words("[slides](slides/deck.pdf) then [sic] (ok)"),
            ["slides", "then", "sic", "ok"]
        );
        assert_eq!(words("café [año](https://x.es/año) ok"), ["café", "año", "ok"]);
        // Not an address: a colon without `//`, a scheme with nothing after, a target with a space.
        assert_eq!(
            words("note: at 10:30 https:// [a](b c)"),
            ["note", "at", "10", "30", "https", "a", "b", "c"]
        );
        let text = "a [b](c.pdf) <https://d.org/e> f";
        let hidden: Vec<&str> = addresses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(hidden, ["(c.pdf)", "https://d.org/e"]);
        assert!(addresses("no links: [laughter] (pause)").is_empty());
    }

    /// A text of fewer than `max` characters of `alphabet`, drawn by xorshift from `state`.
    fn generated(alphabet: &str, max: u64, state: &mut u64) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut text = String::new();
        for _ in 0..(*state % max) {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            text.push(alphabet[(*state % alphabet.len() as u64) as usize]);
        }
        text
    }

    #[test]
    fn the_ascii_and_unicode_paths_agree_on_links() {
        let mut state: u64 = 0x2545F4914F6CDD1D;
        for _ in 0..20_000 {
            let text = generated("ab h:/]([)<> .", 20, &mut state);
            let (mut ascii, mut unicode) = (Vec::new(), Vec::new());
            let (mut ascii_hidden, mut unicode_hidden) = (Vec::new(), Vec::new());
            tokenize_ascii(&text, &mut ascii, &mut Some(&mut ascii_hidden));
            tokenize_unicode(&text, &mut unicode, &mut Some(&mut unicode_hidden));
            assert_eq!((ascii, ascii_hidden), (unicode, unicode_hidden), "text {text:?}");
        }
    }

    #[test]
    fn agrees_with_the_reference_regex_on_generated_text() {
        let reference = regex::Regex::new(r"\w+(?:['’]\w+)*").unwrap();
        // Both paths: text with characters beyond ASCII, and ASCII text.
        let alphabets = ["ab Z9_'’-.\n\té東\u{301}", "ab Z9_'-.\n\t"];
        let mut state: u64 = 0x9E3779B97F4A7C15;
        for k in 0..10_000 {
            let text = generated(alphabets[k % 2], 24, &mut state);
            let expected: Vec<_> = reference.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(tokenize(&text), expected, "text {text:?}");
        }
    }
}
