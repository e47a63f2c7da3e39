//! Bytes to text: BOM handling, UTF-8 validation with a precise error, and line splitting
//! that accepts LF, CRLF and CR line endings alike.

use std::path::Path;

use crate::error::{Error, Result};

/// Decoded text, and how many invalid sequences were replaced (only with `lossy`).
#[derive(Debug)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// Invalid sequences replaced with U+FFFD, and the byte offset of the first.
    pub replaced: Option<(usize, usize)>,
}

/// Decodes a transcript's bytes: UTF-8 (a leading byte-order mark dropped), or UTF-16 when
/// the file starts with a UTF-16 byte-order mark (Windows "Unicode" exports).
///
/// Invalid text is an error that names the file, the byte offset and the line, unless
/// `lossy` is set: then invalid sequences become U+FFFD and [`Decoded::replaced`] says how
/// many there were.
pub fn decode(path: &Path, bytes: Vec<u8>, lossy: bool) -> Result<Decoded> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return decode_utf16(path, &bytes, lossy);
    }
    if !lossy {
        return decode_utf8(path, bytes).map(|text| Decoded { text, replaced: None });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut replaced = None;
    let mut text = String::with_capacity(body.len());
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            let offset = chunk.invalid().as_ptr() as usize - body.as_ptr() as usize
                + (bytes.len() - body.len());
            replaced = Some(match replaced {
                None => (1, offset),
                Some((n, first)) => (n + 1, first),
            });
        }
    }
    Ok(Decoded { text, replaced })
}

/// Decodes UTF-16 (little- or big-endian by its byte-order mark).
fn decode_utf16(path: &Path, bytes: &[u8], lossy: bool) -> Result<Decoded> {
    let little = bytes[0] == 0xFF;
    let body = &bytes[2..];
    let units = body.chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte: not UTF-16; make it an unpaired surrogate.
        _ => 0xD800,
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut replaced: Option<(usize, usize)> = None;
    let mut offset = 2;
    let mut line = 1;
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => {
                offset += 2 * c.len_utf16();
                if c == '\n' {
                    line += 1;
                }
                text.push(c);
            }
            Err(_) if lossy => {
                replaced = Some(replaced.map_or((1, offset), |(n, first)| (n + 1, first)));
                offset += 2;
                text.push(char::REPLACEMENT_CHARACTER);
            }
            Err(_) => {
                return Err(Error::transcript(
                    path,
                    Some(line),
                    format!(
                        "the file starts as UTF-16 but is not valid UTF-16 (first bad byte at \
                         offset {offset}); save it again as UTF-8, or pass --lossy to replace \
                         the bad characters"
                    ),
                ))
            }
        }
    }
    Ok(Decoded { text, replaced })
}

/// Decodes a transcript's bytes as UTF-8, dropping a leading byte-order mark.
///
/// Invalid UTF-8 is an error that names the file, the byte offset and the line.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let raw = err.as_bytes();
        let line = 1 + raw[..offset].iter().filter(|&&b| b == b'\n').count();
        Error::transcript(
            path,
            Some(line),
            format!(
                "the file is not valid UTF-8 (first bad byte at offset {offset}); \
                 save it as UTF-8 (in Word: Save As → Plain Text → Unicode (UTF-8)), or pass \
                 --lossy to replace the bad bytes"
            ),
        )
    })
}

/// The lines of `text` with their 1-based numbers; `\r\n`, `\r` and `\n` all end a line.
pub fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for_each_line(text, |number, line| out.push((number, line)));
    out
}

/// Calls `f` with each line of `text` and its 1-based number, as [`lines`] splits them.
pub fn for_each_line<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let bytes = text.as_bytes();
    let (mut start, mut number) = (0, 1);
    while let Some(offset) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
        let end = start + offset;
        f(number, &text[start..end]);
        number += 1;
        let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
        start = end + if crlf { 2 } else { 1 };
    }
    if start < bytes.len() {
        f(number, &text[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_splits_lines() {
        let got: Vec<_> = lines("a\r\nb\rc\n\nd").into_iter().collect();
        assert_eq!(got, [(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]);
        assert_eq!(lines("a\n"), [(1, "a")]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn bom_is_dropped() {
        let text = decode_utf8(Path::new("t.txt"), b"\xEF\xBB\xBFMaria: hi".to_vec()).unwrap();
        assert_eq!(text, "Maria: hi");
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Maria: café 👍\r\nBen: ok".encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        for bytes in [le, be] {
            let d = decode(Path::new("t.txt"), bytes, false).unwrap();
            assert_eq!(d.text, "Maria: café 👍\r\nBen: ok");
            assert_eq!(d.replaced, None);
        }
        // An unpaired surrogate on line 2.
        let mut bad = vec![0xFF, 0xFE];
        for unit in "A: x\nB: ".encode_utf16().chain([0xDC00]) {
            bad.extend(unit.to_le_bytes());
        }
        let msg = decode(Path::new("t.txt"), bad.clone(), false).unwrap_err().to_string();
        assert!(msg.starts_with("t.txt:2: the file starts as UTF-16 but is not valid"), "{msg}");
        assert!(msg.contains("offset 18"), "{msg}");
        let d = decode(Path::new("t.txt"), bad, true).unwrap();
        assert_eq!(d.text, "A: x\nB: \u{FFFD}");
        assert_eq!(d.replaced, Some((1, 18)));
    }

    #[test]
    fn lossy_replaces_invalid_utf8_and_counts() {
        let d = decode(Path::new("t.txt"), b"\xEF\xBB\xBFA: caf\xE9 and \xFF\xFE!".to_vec(), true)
            .unwrap();
        assert_eq!(d.text, "A: caf\u{FFFD} and \u{FFFD}\u{FFFD}!");
        assert_eq!(d.replaced, Some((3, 9)));
        let d = decode(Path::new("t.txt"), b"A: fine".to_vec(), true).unwrap();
        assert_eq!(d.replaced, None);
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = decode_utf8(Path::new("t.txt"), b"A: ok\nB: caf\xE9\n".to_vec()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("t.txt:2: the file is not valid UTF-8 (first bad byte at offset 12)"),
            "{msg}"
        );
    }
}
