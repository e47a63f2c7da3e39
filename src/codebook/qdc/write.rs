//! Writing `.qdc` codebooks: codes nested by parent, the qualkit block in each description.

use super::read::opens_block;
use super::{code_guid, Rules, RULES_END, RULES_START, RULES_START_PREFIX};
use crate::codebook::doc::{Header, ThemeDoc};
use crate::codebook::{Codebook, Exported, Theme};
use crate::error::{Error, Result};

/// The `.qdc` form of `cb`: codes nested by parent in codebook order, indented, `\n` line
/// ends, the same bytes on every run.
pub(in crate::codebook) fn write(cb: &Codebook) -> Result<Exported> {
    if cb.themes.is_empty() {
        return Err(Error::codebook(
            &cb.path,
            None,
            None,
            "the codebook has no themes; a REFI-QDA codebook needs at least one code",
        ));
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"qualkit {}\">\n  <Codes>\n",
        env!("CARGO_PKG_VERSION")
    ));
    // The codes still open, innermost last.
    let mut open: Vec<usize> = Vec::new();
    for (k, &i) in cb.order().iter().enumerate() {
        while open.last().is_some_and(|&o| Some(o) != cb.parent_of(i)) {
            open.pop();
            out.push_str(&format!("{}</Code>\n", "  ".repeat(open.len() + 2)));
        }
        let t = &cb.themes[i];
        let description = description(t, (k == 0).then(|| Header::of(cb)));
        if t.definition.as_deref().is_some_and(|d| d.lines().any(opens_block)) {
            return Err(Error::codebook(
                &cb.path,
                Some(t.line),
                Some(&t.id),
                format!(
                    "the definition has a line that begins with `{RULES_START_PREFIX}` and ends \
                     with `---`, which would be read as the start of the qualkit rules; reword it"
                ),
            ));
        }
        check_chars(cb, t, "label", &t.label)?;
        check_chars(cb, t, "definition", t.definition.as_deref().unwrap_or_default())?;
        check_chars(cb, t, "text of a brief, rule or example", &description)?;
        let indent = "  ".repeat(open.len() + 2);
        out.push_str(&format!(
            "{indent}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\"",
            code_guid(&t.id),
            escape_attr(&t.label),
            t.has_rules()
        ));
        if let Some(color) = &t.color {
            out.push_str(&format!(" color=\"{}\"", escape_attr(color)));
        }
        out.push_str(&format!(
            ">\n{indent}  <Description>{}</Description>\n",
            escape_text(&description)
        ));
        open.push(i);
    }
    while open.pop().is_some() {
        out.push_str(&format!("{}</Code>\n", "  ".repeat(open.len() + 2)));
    }
    out.push_str("  </Codes>\n</CodeBook>\n");
    let mut notes = Vec::new();
    if cb.order().iter().enumerate().any(|(k, &i)| k != i) {
        notes.push(
            "the codes are written in codebook order (each parent followed by its children), \
             not in the order of the themes in the file"
                .to_string(),
        );
    }
    Ok(Exported { text: out, notes })
}

/// A theme's description: its definition, then the qualkit block (with `header`, the
/// codebook settings, in the first code).
fn description(t: &Theme, header: Option<Header>) -> String {
    let doc = ThemeDoc::of(t);
    let rules = Rules {
        id: Some(doc.id),
        brief: doc.brief,
        when_to_use: doc.when_to_use,
        when_not_to_use: doc.when_not_to_use,
        terms: doc.terms,
        patterns: doc.patterns,
        near: doc.near,
        exclude: doc.exclude,
        examples: doc.examples,
        counterexamples: doc.counterexamples,
        codebook: header,
    };
    let toml = ::toml::to_string_pretty(&rules).expect("a qualkit rules block is valid TOML");
    let mut text = String::new();
    if let Some(definition) = &t.definition {
        text.push_str(definition);
        text.push_str("\n\n");
    }
    text.push_str(RULES_START);
    text.push('\n');
    text.push_str(&toml);
    if !toml.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(RULES_END);
    text
}

/// Fails when `text` holds a character XML 1.0 cannot carry (most control characters).
fn check_chars(cb: &Codebook, t: &Theme, what: &str, text: &str) -> Result<()> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    match text.chars().find(|&c| !allowed(c)) {
        None => Ok(()),
        Some(c) => Err(Error::codebook(
            &cb.path,
            Some(t.line),
            Some(&t.id),
            format!(
                "the {what} holds the character U+{:04X}, which XML cannot carry; remove it to \
                 write a .qdc file",
                u32::from(c)
            ),
        )),
    }
}

/// Escapes element text: `<`, `>` and `&`, and carriage returns (which XML would turn into
/// line feeds).
pub(crate) fn escape_text(text: &str) -> String {
    quick_xml::escape::partial_escape(text).replace('\r', "&#13;")
}

/// Escapes an attribute value: the five XML specials, and tabs and line ends (which XML
/// would turn into spaces).
pub(crate) fn escape_attr(value: &str) -> String {
    quick_xml::escape::escape(value)
        .replace('\t', "&#9;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
}
