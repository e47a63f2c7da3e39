//! Exploring the words of a corpus while a codebook is being built: keyword in context
//! ([`kwic`]) with the codebook's own term syntax and matching, and the frequent and
//! distinctive words ([`terms`]), optionally only those no theme covers yet.
//!
//! Everything here is a pure function over sessions or a coded [`crate::code::corpus::Analysis`]
//! returning serialisable rows, plus renderers of those rows as text, CSV and JSON.

pub mod kwic;
pub mod terms;

use serde::Serialize;

use crate::error::{Error, Result};

/// `text` with every run of white space (line breaks included) replaced by one space, so a
/// quote fits on one line.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

pub(crate) use crate::display::csv_text as csv_document;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_collapses_white_space_runs() {
        assert_eq!(one_line("keep their\nword"), "keep their word");
        assert_eq!(one_line(" a \t\n b "), " a b ");
    }
}
