//! Bytes to text: BOM handling, UTF-8 validation with a precise error, and line splitting
//! that accepts LF, CRLF and CR line endings alike.

use std::path::Path;

use crate::error::{Error, Result};

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
                 save it as UTF-8 (in Word: Save As → Plain Text → Unicode (UTF-8))"
            ),
        )
    })
}

/// The lines of `text` with their 1-based numbers; `\r\n`, `\r` and `\n` all end a line.
pub fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((out.len() + 1, &text[start..i]));
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push((out.len() + 1, &text[start..i]));
                i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push((out.len() + 1, &text[start..]));
    }
    out
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
    fn invalid_utf8_names_offset_and_line() {
        let err = decode_utf8(Path::new("t.txt"), b"A: ok\nB: caf\xE9\n".to_vec()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("t.txt:2: the file is not valid UTF-8 (first bad byte at offset 12)"),
            "{msg}"
        );
    }
}
