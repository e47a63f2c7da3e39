//! REFI-QDA codebooks (`.qdc`, the QDA-XML Codebook 1.0 standard that NVivo, ATLAS.ti,
//! MAXQDA, QualCoder, Dedoose and Taguette read or write): writing them so that qualkit reads
//! back exactly what it wrote, and reading other tools' files leniently.
//!
//! A theme is a `<Code>`: its label is the `name`, its parent the enclosing `<Code>`, its
//! colour the `color` (written only when the theme has one), and `isCodable` says whether it
//! has rules of its own. Its `definition` is the prose of the `<Description>`; everything
//! else qualkit needs (the id, brief, when to use it, rules and examples, and in the first
//! code the `[codebook]` settings) follows the prose as TOML between two marker lines, so
//! that a round trip through a tool that keeps descriptions as they are loses nothing:
//!
//! ```text
//! Talk about trust between organizers and residents.
//!
//! --- qualkit rules (kept for the round trip; edit with care) ---
//! id = "trust"
//! terms = ["trust", "credib*"]
//! --- end of qualkit rules ---
//! ```
//!
//! GUIDs are derived from theme ids ([`code_guid`]), so exporting again gives the same file.
//! Codes from other tools carry no such block: their ids come from their names, each leaf
//! gets its name as a term, and a Taguette name such as `interesting.places` is nested under
//! the code `interesting`. `isCodable` and code sets are not read.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::doc::{Header, NearDoc, ThemeDoc};
use super::{Codebook, Exported, RawCodebook, Theme};
use crate::display::plural_as;
use crate::error::{Error, Result};

/// The namespace of QDA-XML codebooks.
const CODEBOOK_NS: &[u8] = b"urn:QDA-XML:codebook:1.0";

/// The namespace of QDA-XML projects, whose `<Codes>` have the same form (accepted too).
const PROJECT_NS: &[u8] = b"urn:QDA-XML:project:1.0";

/// The line that opens the qualkit block of a description.
pub const RULES_START: &str = "--- qualkit rules (kept for the round trip; edit with care) ---";

/// How a line opening the block begins (the rest of [`RULES_START`] may have been edited).
const RULES_START_PREFIX: &str = "--- qualkit rules";

/// The line that closes the qualkit block of a description.
pub const RULES_END: &str = "--- end of qualkit rules ---";

/// The deepest element nesting accepted (real codebooks are a few levels deep).
const MAX_DEPTH: usize = 10_000;

/// The namespace of the GUIDs qualkit gives codes: the UUID v5 of the name
/// `urn:qualkit:refi-qda:code` in the RFC 4122 URL namespace. It is fixed, so that every
/// qualkit version gives a theme the same GUID in codebooks (`.qdc`) and projects (`.qdpx`).
pub const CODE_GUID_NAMESPACE: Uuid = Uuid::from_u128(0x54753e25_999c_5615_af86_b19d0c934e46);

/// The GUID of the code for the theme `theme_id`: the UUID v5 of the id in
/// [`CODE_GUID_NAMESPACE`], lower-case and hyphenated. The same id always gives the same GUID.
pub fn code_guid(theme_id: &str) -> String {
    Uuid::new_v5(&CODE_GUID_NAMESPACE, theme_id.as_bytes()).hyphenated().to_string()
}

/// A GUID as REFI-QDA files write it (in braces or not, any case) in lower-case hyphenated
/// form; `None` when it is not a GUID.
pub fn normalize_guid(guid: &str) -> Option<String> {
    Uuid::try_parse(guid.trim()).ok().map(|u| u.hyphenated().to_string())
}

/// The qualkit block of a description: the theme without what REFI-QDA carries itself
/// (label, parent, colour, definition), and in one code the codebook settings.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brief: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when_not_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    near: Vec<NearDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    examples: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    counterexamples: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    codebook: Option<Header>,
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// The `.qdc` form of `cb`: codes nested by parent in codebook order, indented, `\n` line
/// ends, the same bytes on every run.
pub(super) fn write(cb: &Codebook) -> Result<Exported> {
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

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// A `<Code>` as read, before ids and parents are resolved.
#[derive(Debug)]
struct Code {
    /// The line of its start tag.
    line: usize,
    name: String,
    color: Option<String>,
    /// The enclosing code.
    parent: Option<usize>,
    /// The text of its `<Description>`.
    description: String,
    /// The line where that text starts.
    description_line: usize,
}

/// What an open element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    CodeBook,
    Codes,
    Code(usize),
    Description(usize),
    Sets,
    /// An element whose content is not read.
    Skip,
}

/// 1-based line numbers of byte offsets, counted incrementally.
pub(crate) struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines { text, offset: 0, line: 1 }
    }

    pub(crate) fn at(&mut self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        if offset < self.offset {
            *self = Lines::new(self.text);
        }
        self.line +=
            self.text.as_bytes()[self.offset..offset].iter().filter(|&&b| b == b'\n').count();
        self.offset = offset;
        self.line
    }
}

/// What reading the XML gives: the codes, and what was not read.
#[derive(Default)]
struct Read {
    codes: Vec<Code>,
    /// Elements not read: the name and first line of each.
    unknown: Vec<(String, usize)>,
    /// How many code sets were skipped.
    sets: usize,
    /// The line of the first code with each GUID.
    guids: HashMap<String, usize>,
    bad_guids: Vec<String>,
    bad_colors: Vec<String>,
}

impl Read {
    /// Reads the start tag `e` of a code inside `parent` on `line`; the code's index.
    fn open_code(
        &mut self,
        e: &BytesStart<'_>,
        parent: Option<usize>,
        line: usize,
    ) -> std::result::Result<usize, String> {
        let attrs = code_attributes(e)?;
        let name =
            attrs.name.ok_or("a <Code> without a `name` attribute; every code needs a name")?;
        match attrs.guid.as_deref().map(normalize_guid) {
            Some(Some(guid)) => {
                if let Some(first) = self.guids.insert(guid, line) {
                    self.bad_guids.push(format!(
                        "`{name}` (line {line}) has the guid of the code on line {first}"
                    ));
                }
            }
            Some(None) => {
                self.bad_guids.push(format!("`{name}` (line {line}) has a malformed guid"))
            }
            None => self.bad_guids.push(format!("`{name}` (line {line}) has no guid")),
        }
        let color = attrs.color.and_then(|c| {
            let fixed = color(&c);
            if fixed.is_none() {
                self.bad_colors.push(format!("`{c}` (line {line})"));
            }
            fixed
        });
        self.codes.push(Code {
            line,
            name,
            color,
            parent,
            description: String::new(),
            description_line: line,
        });
        Ok(self.codes.len() - 1)
    }

    /// What was not read, one sentence each.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.unknown.is_empty() {
            let list: Vec<String> =
                self.unknown.iter().map(|(n, l)| format!("<{n}> (line {l})")).collect();
            notes.push(format!("ignored elements qualkit does not read: {}", list.join(", ")));
        }
        if self.sets > 0 {
            notes.push(format!(
                "ignored {}: qualkit has no code sets",
                plural_as(self.sets, "set of codes", "sets of codes")
            ));
        }
        if !self.bad_guids.is_empty() {
            notes.push(format!(
                "guids not read (qualkit derives each code's guid from its theme id): {}",
                self.bad_guids.join("; ")
            ));
        }
        if !self.bad_colors.is_empty() {
            notes.push(format!(
                "colours left out (not `#RRGGBB` or `#RGB`): {}",
                self.bad_colors.join(", ")
            ));
        }
        notes
    }
}

pub(super) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = read_codes(path, text)?;
    let notes = read.notes();
    resolve(path, read.codes, notes)
}

/// Streams the XML into codes.
fn read_codes(path: &Path, text: &str) -> Result<Read> {
    let err = |line: usize, message: String| Error::codebook(path, Some(line), None, message);
    let mut lines = Lines::new(text);
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('<') {
        return Err(err(
            lines.at(start as u64),
            "this is not XML; a REFI-QDA codebook (.qdc) starts with `<?xml` or `<CodeBook`".into(),
        ));
    }
    let mut xml = NsReader::from_str(text);
    let mut stack: Vec<Elem> = Vec::new();
    let mut root_seen = false;
    let mut read = Read::default();
    loop {
        let at = xml.buffer_position();
        let (ours, event) = match xml.read_resolved_event() {
            Ok((ns, event)) => (is_ours(&ns), event),
            Err(e) => {
                return Err(err(
                    lines.at(xml.error_position()),
                    format!("this is not well-formed XML: {e}"),
                ))
            }
        };
        let description = match stack.last() {
            Some(&Elem::Description(i)) => Some(i),
            _ => None,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let line = lines.at(at);
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        line,
                        format!("elements are nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let elem = match (stack.last(), ours, name.as_str()) {
                    (None, _, _) => {
                        if root_seen {
                            return Err(err(
                                line,
                                format!("<{name}> after the end of <CodeBook>; a file holds one codebook"),
                            ));
                        }
                        root_seen = true;
                        root(ours, &name).map_err(|m| err(line, m))?
                    }
                    (Some(Elem::Skip), _, _) => Elem::Skip,
                    (Some(Elem::CodeBook), true, "Codes") => Elem::Codes,
                    (Some(Elem::CodeBook), true, "Sets") => Elem::Sets,
                    (Some(Elem::Sets), true, "Set") => {
                        read.sets += 1;
                        Elem::Skip
                    }
                    (Some(&(Elem::Codes | Elem::Code(_))), true, "Code") => {
                        let parent = match stack.last() {
                            Some(&Elem::Code(p)) => Some(p),
                            _ => None,
                        };
                        Elem::Code(read.open_code(e, parent, line).map_err(|m| err(line, m))?)
                    }
                    (Some(&Elem::Code(i)), true, "Description") => {
                        read.codes[i].description_line = lines.at(xml.buffer_position());
                        Elem::Description(i)
                    }
                    _ => {
                        if !read.unknown.iter().any(|(n, _)| *n == name) {
                            read.unknown.push((name, line));
                        }
                        Elem::Skip
                    }
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(elem);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some(i) = description {
                    let text = t.xml10_content().map_err(|e| err(lines.at(at), e.to_string()))?;
                    read.codes[i].description.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(i) = description {
                    let text = t.xml10_content().map_err(|e| err(lines.at(at), e.to_string()))?;
                    read.codes[i].description.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(i) = description {
                    let text = reference(&r).map_err(|m| err(lines.at(at), m))?;
                    read.codes[i].description.push_str(&text);
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(err(
                        lines.at(at),
                        "the file ends before its elements are closed; it may have been cut off"
                            .into(),
                    ));
                }
                if !root_seen {
                    return Err(err(
                        lines.at(at),
                        "no <CodeBook> element; this is not a REFI-QDA codebook".into(),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if read.codes.is_empty() {
        return Err(Error::codebook(
            path,
            None,
            None,
            "the codebook has no <Code> elements; a codebook needs at least one code",
        ));
    }
    Ok(read)
}

/// The root element, which must be `<CodeBook>`.
fn root(ours: bool, name: &str) -> std::result::Result<Elem, String> {
    if ours && name == "CodeBook" {
        return Ok(Elem::CodeBook);
    }
    let hint = if name == "Project" {
        " This is a REFI-QDA project (.qde inside a .qdpx), not a codebook."
    } else {
        ""
    };
    Err(format!(
        "the root element is <{name}>, expected <CodeBook> (a REFI-QDA codebook, QDA-XML \
         Codebook 1.0).{hint}"
    ))
}

/// The text of an entity or character reference (`&amp;`, `&#233;`).
pub(crate) fn reference(r: &BytesRef<'_>) -> std::result::Result<String, String> {
    let name = String::from_utf8_lossy(r);
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(format!("`&{name};` is not a character XML allows")),
        };
    }
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string).ok_or_else(|| {
        format!(
            "unknown entity `&{name};`; XML knows only &lt; &gt; &amp; &quot; &apos; and \
             character references"
        )
    })
}

/// Whether an element in namespace `ns` is a QDA-XML element: in the codebook (or project)
/// namespace, in none, or with a prefix the file never declared (read leniently).
fn is_ours(ns: &ResolveResult<'_>) -> bool {
    match ns {
        ResolveResult::Bound(Namespace(ns)) => *ns == CODEBOOK_NS || *ns == PROJECT_NS,
        ResolveResult::Unbound | ResolveResult::Unknown(_) => true,
    }
}

/// The attributes of a `<Code>` that qualkit reads.
#[derive(Default)]
struct CodeAttributes {
    name: Option<String>,
    guid: Option<String>,
    color: Option<String>,
}

fn code_attributes(e: &BytesStart<'_>) -> std::result::Result<CodeAttributes, String> {
    let mut attrs = CodeAttributes::default();
    for a in e.attributes() {
        let a = a.map_err(|e| format!("a <Code> with a malformed attribute: {e}"))?;
        let key = a.key.local_name();
        let slot = match key.as_ref() {
            b"name" => &mut attrs.name,
            b"guid" => &mut attrs.guid,
            b"color" => &mut attrs.color,
            _ => continue,
        };
        let raw = String::from_utf8_lossy(&a.value);
        // Attribute-value normalisation: line ends, tabs and line feeds are spaces.
        let raw = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
        let value = quick_xml::escape::unescape(&raw).map_err(|e| {
            // The library's message starts with the byte range (`at 1..6: …`).
            let e = e.to_string();
            let why = e.split_once(": ").map_or(e.as_str(), |(_, why)| why);
            format!(
                "the `{}` attribute of a <Code> is not valid XML text: {why}; write `&amp;` for \
                 a literal `&`",
                String::from_utf8_lossy(key.as_ref())
            )
        })?;
        *slot = Some(value.into_owned());
    }
    Ok(attrs)
}

/// A colour as `#RRGGBB` or `#RGB` (a missing `#` is added); `None` when it is not one.
fn color(value: &str) -> Option<String> {
    let value = value.trim();
    let hex = value.strip_prefix('#').unwrap_or(value);
    ((hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("#{hex}"))
}

/// A code's description split into its prose and its qualkit block.
struct Described {
    definition: Option<String>,
    rules: Option<Rules>,
}

/// Whether a line of a description opens the qualkit block.
fn opens_block(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(RULES_START_PREFIX) && line.ends_with("---")
}

/// Splits `code`'s description at the marker lines and reads the block's TOML.
fn describe(path: &Path, code: &Code) -> Result<Described> {
    let d = &code.description;
    // Byte ranges of the opening line (the first) and the closing line (the last after it).
    let mut start: Option<(usize, usize)> = None;
    let mut end: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in d.split_inclusive('\n') {
        let t = line.trim();
        let range = (offset, offset + line.len());
        if start.is_none() {
            if opens_block(t) {
                start = Some(range);
            }
        } else if t == RULES_END {
            end = Some(range);
        }
        offset += line.len();
    }
    let file_line = |at: usize| code.description_line + d[..at].matches('\n').count();
    let Some(start) = start else {
        return Ok(Described { definition: prose(&[d]), rules: None });
    };
    let Some(end) = end else {
        return Err(Error::codebook(
            path,
            Some(file_line(start.0)),
            None,
            format!(
                "code `{}`: the qualkit rules in its description have no closing line \
                 `{RULES_END}`; restore it (the description may have been cut off)",
                code.name
            ),
        ));
    };
    let block = &d[start.1..end.0];
    let rules: Rules = ::toml::from_str(block).map_err(|e| {
        let at = start.1 + e.span().map_or(0, |s| s.start);
        Error::codebook(
            path,
            Some(file_line(at)),
            None,
            format!(
                "code `{}`: the qualkit rules in its description are not valid TOML (line {} \
                 of the description): {}",
                code.name,
                1 + d[..at].matches('\n').count(),
                e.message().trim_end()
            ),
        )
    })?;
    Ok(Described { definition: prose(&[&d[..start.0], &d[end.1..]]), rules: Some(rules) })
}

/// The non-blank parts, trimmed, separated by a blank line; `None` when all are blank.
fn prose(parts: &[&str]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Turns the codes into themes: ids, parents (with Taguette's dotted names), rules for codes
/// without a block, and the codebook settings.
fn resolve(path: &Path, codes: Vec<Code>, mut notes: Vec<String>) -> Result<RawCodebook> {
    let mut described: Vec<Described> =
        codes.iter().map(|c| describe(path, c)).collect::<Result<_>>()?;
    let header = take_header(path, &codes, &mut described)?;
    let (parents, labels) = nest_dotted_names(&codes, &described, &mut notes);
    let ids = ids(&codes, &described);
    let mut has_children = vec![false; codes.len()];
    for p in parents.iter().flatten() {
        has_children[*p] = true;
    }
    let mut named_terms = 0;
    let mut themes = Vec::with_capacity(codes.len());
    for (i, (code, d)) in codes.iter().zip(described).enumerate() {
        let rules = match d.rules {
            Some(rules) => rules,
            None if has_children[i] => Rules::default(),
            None => {
                if crate::tokenize::tokenize(&labels[i]).is_empty() {
                    return Err(Error::codebook(
                        path,
                        Some(code.line),
                        None,
                        format!(
                            "code `{}` has no qualkit rules and no child codes, and its name has \
                             no words to use as a term; rename it or add rules",
                            code.name
                        ),
                    ));
                }
                named_terms += 1;
                Rules { terms: vec![labels[i].clone()], ..Rules::default() }
            }
        };
        let doc = ThemeDoc {
            id: ids[i].clone(),
            label: Some(labels[i].clone()),
            parent: parents[i].map(|p| ids[p].clone()),
            color: code.color.clone(),
            brief: rules.brief,
            definition: d.definition,
            when_to_use: rules.when_to_use,
            when_not_to_use: rules.when_not_to_use,
            terms: rules.terms,
            patterns: rules.patterns,
            near: rules.near,
            exclude: rules.exclude,
            examples: rules.examples,
            counterexamples: rules.counterexamples,
        };
        themes.push(doc.into_theme(code.line, &mut |_, _| code.line));
    }
    if named_terms > 0 {
        notes.push(format!(
            "{} from other tools carry no rules; each was given its name as a term — edit the \
             codebook to add real rules",
            plural_as(named_terms, "code", "codes")
        ));
    }
    let (header_line, header) =
        header.map(|(line, h)| (Some(line), h)).unwrap_or((None, Header::default()));
    header.into_raw(path, header_line, themes, notes)
}

/// Takes the `[codebook]` table out of the blocks (at most one may have it), with the line
/// of its code.
fn take_header(
    path: &Path,
    codes: &[Code],
    described: &mut [Described],
) -> Result<Option<(usize, Header)>> {
    let mut header: Option<(usize, Header)> = None;
    for (i, d) in described.iter_mut().enumerate() {
        let Some(h) = d.rules.as_mut().and_then(|r| r.codebook.take()) else { continue };
        if let Some((first, _)) = &header {
            return Err(Error::codebook(
                path,
                Some(codes[i].line),
                None,
                format!(
                    "code `{}` carries a second [codebook] table in its qualkit rules (the first \
                     is in code `{}`, line {}); keep one",
                    codes[i].name, codes[*first].name, codes[*first].line
                ),
            ));
        }
        header = Some((i, h));
    }
    Ok(header.map(|(i, h)| (codes[i].line, h)))
}

/// Each code's parent and label. Taguette writes a sub-code as a flat code named
/// `parent.child` next to `parent`: such a code (without a qualkit block or an enclosing code)
/// goes under the code its name begins with, labelled with the rest of its name.
fn nest_dotted_names(
    codes: &[Code],
    described: &[Described],
    notes: &mut Vec<String>,
) -> (Vec<Option<usize>>, Vec<String>) {
    let mut parents: Vec<Option<usize>> = codes.iter().map(|c| c.parent).collect();
    let mut labels: Vec<String> = codes.iter().map(|c| c.name.clone()).collect();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, c) in codes.iter().enumerate() {
        by_name.entry(c.name.as_str()).or_insert(i);
    }
    let mut nested = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        if c.parent.is_some() || described[i].rules.is_some() {
            continue;
        }
        // The longest prefix that names another code, and not one inside this one.
        for (dot, _) in c.name.rmatch_indices('.') {
            let rest = c.name[dot + 1..].trim();
            let Some(&target) = by_name.get(&c.name[..dot]) else { continue };
            let inside = std::iter::successors(Some(target), |&j| parents[j]).any(|j| j == i);
            if !rest.is_empty() && !inside {
                parents[i] = Some(target);
                labels[i] = rest.to_string();
                nested.push(format!("`{}`", c.name));
                break;
            }
        }
    }
    if !nested.is_empty() {
        notes.push(format!(
            "{} named `parent.child` nested under the code the name begins with (as Taguette \
             means them): {}",
            plural_as(nested.len(), "code", "codes"),
            nested.join(", ")
        ));
    }
    (parents, labels)
}

/// Each code's theme id: the block's, else one made from the name, unique (`_2`, `_3`, …).
fn ids(codes: &[Code], described: &[Described]) -> Vec<String> {
    let mut taken: HashSet<String> =
        described.iter().filter_map(|d| d.rules.as_ref()?.id.clone()).collect();
    codes
        .iter()
        .zip(described)
        .map(|(c, d)| {
            if let Some(id) = d.rules.as_ref().and_then(|r| r.id.clone()) {
                return id;
            }
            let base = id_from_name(&c.name);
            let mut id = base.clone();
            let mut n = 1;
            while taken.contains(&id) {
                n += 1;
                id = format!("{base}_{n}");
            }
            taken.insert(id.clone());
            id
        })
        .collect()
}

/// A theme id made from a code's name: lower-case ASCII letters and digits, every other run
/// of characters one `_`; `code` when nothing is left.
fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    let id = id.trim_end_matches('_');
    if id.is_empty() {
        "code".to_string()
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::format::{export, first_difference};
    use crate::codebook::CodebookFormat;

    const SMALL: &str = r##"[codebook]
name = "Small study"
description = "Trust & money, \"quoted\"."

[[theme]]
id = "values"
label = "Values & <norms>"
definition = "What people hold dear: \"trust\" & 'patience' < everything."

[[theme]]
id = "trust"
label = "Trust"
parent = "values"
color = "#1f77b4"
brief = "Earning trust."
definition = "Talk about trust.\nSecond line."
when_to_use = "When trust is at stake."
terms = ["trust", "credib*"]
patterns = ['\bhonest\b']
near = [{ a = "keep*", b = "word", within = 3 }]
exclude = ["trust fund"]
examples = ["You have to earn their trust."]
counterexamples = ["A trust fund paid."]

[[theme]]
id = "patience"
parent = "values"
terms = ["patien*"]
"##;

    fn small() -> Codebook {
        Codebook::from_toml_str(Path::new("small.toml"), SMALL).unwrap()
    }

    fn load(text: &str) -> Result<Codebook> {
        let path = Path::new("cb.qdc");
        parse(path, text).and_then(|raw| Codebook::build(path, raw))
    }

    fn error(text: &str) -> String {
        load(text).unwrap_err().to_string()
    }

    #[test]
    fn export_writes_nested_codes_with_the_rules_after_the_definition() {
        let expected = EXPECTED_SMALL.replace("VERSION", env!("CARGO_PKG_VERSION"));
        assert_eq!(write(&small()).unwrap().text, expected);
    }

    const EXPECTED_SMALL: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qualkit VERSION">
  <Codes>
    <Code guid="e01e61a4-9f3c-5864-83be-dba4b7443961" name="Values &amp; &lt;norms&gt;" isCodable="false">
      <Description>What people hold dear: "trust" &amp; 'patience' &lt; everything.

--- qualkit rules (kept for the round trip; edit with care) ---
id = "values"

[codebook]
name = "Small study"
description = 'Trust &amp; money, "quoted".'
--- end of qualkit rules ---</Description>
      <Code guid="3901377c-ba52-5a32-b7d9-63b84cb5baf9" name="Trust" isCodable="true" color="#1f77b4">
        <Description>Talk about trust.
Second line.

--- qualkit rules (kept for the round trip; edit with care) ---
id = "trust"
brief = "Earning trust."
when_to_use = "When trust is at stake."
terms = [
    "trust",
    "credib*",
]
patterns = ['\bhonest\b']
exclude = ["trust fund"]
examples = ["You have to earn their trust."]
counterexamples = ["A trust fund paid."]

[[near]]
a = "keep*"
b = "word"
within = 3
--- end of qualkit rules ---</Description>
      </Code>
      <Code guid="6c33e34b-1845-50bb-b309-68c384c2ef88" name="patience" isCodable="true">
        <Description>--- qualkit rules (kept for the round trip; edit with care) ---
id = "patience"
terms = ["patien*"]
--- end of qualkit rules ---</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>
"##;

    #[test]
    fn guids_are_v5_of_the_theme_id_in_a_fixed_namespace() {
        assert_eq!(
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:qualkit:refi-qda:code"),
            CODE_GUID_NAMESPACE
        );
        assert_eq!(code_guid("trust"), "3901377c-ba52-5a32-b7d9-63b84cb5baf9");
        assert_eq!(code_guid("trust"), code_guid("trust"));
        assert_ne!(code_guid("trust"), code_guid("values"));
        assert_eq!(
            normalize_guid(" {3901377C-BA52-5A32-B7D9-63B84CB5BAF9}").as_deref(),
            Some("3901377c-ba52-5a32-b7d9-63b84cb5baf9")
        );
        assert_eq!(normalize_guid("not-a-guid"), None);
    }

    #[test]
    fn an_export_reads_back_as_the_same_codebook_and_is_stable() {
        let cb = small();
        let text = write(&cb).unwrap().text;
        let back = load(&text).unwrap();
        assert_eq!(first_difference(&cb, &back), None);
        assert_eq!(back.name, "Small study");
        assert!(back.notes.is_empty(), "{:?}", back.notes);
        assert_eq!(write(&back).unwrap().text, text);
        let exported = export(&cb, CodebookFormat::Qdc).unwrap();
        assert_eq!(exported.text, text);
        assert!(exported.notes.is_empty());
    }

    #[test]
    fn codebook_settings_other_than_the_defaults_round_trip() {
        let cb = Codebook::from_toml_str(
            Path::new("es.toml"),
            "[codebook]\nname = \"Estudio\"\nlanguage = \"spanish\"\nstemming = false\n\
             [[theme]]\nid = \"confianza\"\nlabel = \"Confianza\"\nterms = [\"confianza\"]\n",
        )
        .unwrap();
        let back = load(&write(&cb).unwrap().text).unwrap();
        assert_eq!(first_difference(&cb, &back), None);
        assert_eq!((back.language.name(), back.stemming), ("spanish", false));
    }

    #[test]
    fn a_child_listed_before_its_parent_is_written_in_codebook_order() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            "[[theme]]\nid = \"child\"\nparent = \"root\"\nterms = [\"a\"]\n\
             [[theme]]\nid = \"root\"\n",
        )
        .unwrap();
        let exported = export(&cb, CodebookFormat::Qdc).unwrap();
        assert_eq!(
            exported.notes,
            ["the codes are written in codebook order (each parent followed by its children), \
              not in the order of the themes in the file"]
        );
        let back = load(&exported.text).unwrap();
        let ids: Vec<&str> = back.themes.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["root", "child"]);
    }

    #[test]
    fn characters_xml_cannot_carry_are_refused() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            "[[theme]]\nid = \"t\"\ndefinition = \"bell \\u0007\"\nterms = [\"a\"]\n",
        )
        .unwrap();
        assert_eq!(
            write(&cb).unwrap_err().to_string(),
            "cb.toml:2: theme 't': the definition holds the character U+0007, which XML cannot \
             carry; remove it to write a .qdc file"
        );
    }

    #[test]
    fn a_definition_that_would_open_the_block_is_refused() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            "[[theme]]\nid = \"t\"\ndefinition = \"See\\n--- qualkit rules here ---\"\n\
             terms = [\"a\"]\n",
        )
        .unwrap();
        assert_eq!(
            write(&cb).unwrap_err().to_string(),
            "cb.toml:2: theme 't': the definition has a line that begins with `--- qualkit \
             rules` and ends with `---`, which would be read as the start of the qualkit rules; \
             reword it"
        );
    }

    #[test]
    fn carriage_returns_and_line_breaks_in_names_survive() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            "[[theme]]\nid = \"t\"\nlabel = \"two\\nlines\\tand tab\"\n\
             definition = \"windows\\r\\nline\"\nterms = [\"a\"]\n",
        )
        .unwrap();
        let text = write(&cb).unwrap().text;
        assert!(text.contains("name=\"two&#10;lines&#9;and tab\""), "{text}");
        assert_eq!(first_difference(&cb, &load(&text).unwrap()), None);
    }

    /// A hand-written file with what real exports get wrong or do differently.
    const SLOPPY: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\
<qda:CodeBook xmlns:qda=\"urn:QDA-XML:codebook:1.0\" origin=\"Some Tool 3\">\r\n\
<qda:Codes>\r\n\
  <qda:Code guid=\"{0D62985D-B147-5D01-A9B5-CAE5DCD98342}\" name=\"Trust &amp; Honesty\" color=\"#FF0000\">\r\n\
    <qda:Description>Residents' trust.\r\nSecond line &lt;b&gt;.</qda:Description>\r\n\
    <qda:Code guid=\"DFE5C38E-9449-5959-A1F7-E3D895CFA87F\" name=\"Keeping one's word\" isCodable=\"true\"/>\r\n\
    <qda:Code guid=\"725F0645-9CD3-598A-8D2B-EC3D39AB3C3F\" name=\"trust\" isCodable=\"1\" color=\"red\">\r\n\
      <qda:Description/>\r\n\
      <qda:Memo>a note</qda:Memo>\r\n\
    </qda:Code>\r\n\
  </qda:Code>\r\n\
  <Code guid=\"0d62985d-b147-5d01-a9b5-cae5dcd98342\" name=\"Trust &amp; honesty\"/>\r\n\
</qda:Codes>\r\n\
<qda:Sets/>\r\n\
</qda:CodeBook>\r\n";

    #[test]
    fn sloppy_files_from_other_tools_are_read() {
        let cb = load(SLOPPY).unwrap();
        let summary: Vec<String> = cb
            .themes
            .iter()
            .map(|t| {
                let doc = ThemeDoc::of(t);
                format!(
                    "{} [{}] parent={:?} color={:?} terms={:?} definition={:?}",
                    doc.id, t.label, doc.parent, doc.color, doc.terms, doc.definition
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "trust_honesty [Trust & Honesty] parent=None color=Some(\"#FF0000\") terms=[] \
                 definition=Some(\"Residents' trust.\\nSecond line <b>.\")",
                "keeping_one_s_word [Keeping one's word] parent=Some(\"trust_honesty\") \
                 color=None terms=[\"Keeping one's word\"] definition=None",
                "trust [trust] parent=Some(\"trust_honesty\") color=None terms=[\"trust\"] \
                 definition=None",
                "trust_honesty_2 [Trust & honesty] parent=None color=None \
                 terms=[\"Trust & honesty\"] definition=None",
            ]
        );
        assert_eq!(cb.name, "cb");
        assert_eq!(cb.themes[0].line, 4);
        assert_eq!(
            cb.notes,
            [
                "ignored elements qualkit does not read: <Memo> (line 10)",
                "guids not read (qualkit derives each code's guid from its theme id): \
                 `Trust & honesty` (line 13) has the guid of the code on line 4",
                "colours left out (not `#RRGGBB` or `#RGB`): `red` (line 8)",
                "3 codes from other tools carry no rules; each was given its name as a term — \
                 edit the codebook to add real rules",
            ]
        );
    }

    #[test]
    fn files_without_a_namespace_and_with_sets_are_read() {
        let cb = load(
            "<CodeBook><Codes><Code name=\"a\" isCodable=\"false\"><Code name=\"b\"/></Code>\
             </Codes><Sets><Set guid=\"x\" name=\"s\"><MemberCode guid=\"y\"/></Set></Sets>\
             </CodeBook>",
        )
        .unwrap();
        assert_eq!(cb.themes.len(), 2);
        assert_eq!(cb.themes[1].parent.as_ref().unwrap().value, "a");
        assert!(cb.themes[0].terms.is_empty(), "a parent needs no term");
        assert_eq!(cb.notes[0], "ignored 1 set of codes: qualkit has no code sets");
        assert_eq!(
            cb.notes[1],
            "guids not read (qualkit derives each code's guid from its theme id): `a` (line 1) \
             has no guid; `b` (line 1) has no guid"
        );
    }

    #[test]
    fn taguette_dotted_names_nest_under_the_code_they_name() {
        let cb = load(
            r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette {ver}"><Codes><Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="interesting" isCodable="true"/><Code guid="DFE5C38E-9449-5959-A1F7-E3D895CFA87F" name="people" isCodable="true"/><Code guid="725F0645-9CD3-598A-8D2B-EC3D39AB3C3F" name="interesting.places" isCodable="true"/></Codes><Sets/></CodeBook>"#,
        )
        .unwrap();
        let t = &cb.themes[2];
        assert_eq!((t.id.as_str(), t.label.as_str()), ("interesting_places", "places"));
        assert_eq!(t.parent.as_ref().unwrap().value, "interesting");
        assert_eq!(t.terms[0].value, "places");
        // `interesting` has a child now, so it needs no term of its own.
        assert!(cb.themes[0].terms.is_empty());
        assert_eq!(
            cb.notes[0],
            "1 code named `parent.child` nested under the code the name begins with (as Taguette \
             means them): `interesting.places`"
        );
    }

    #[test]
    fn text_around_the_rules_block_is_the_definition() {
        let cb = load(
            "<CodeBook><Codes><Code name=\"Trust\"><Description>Before.\n\
             --- qualkit rules (edited) ---\nid = \"trust\"\nterms = [\"trust\"]\n\
             --- end of qualkit rules ---\nAdded in NVivo.</Description></Code></Codes></CodeBook>",
        )
        .unwrap();
        let t = &cb.themes[0];
        assert_eq!(t.id, "trust");
        assert_eq!(t.definition.as_deref(), Some("Before.\n\nAdded in NVivo."));
        assert!(cb.notes.iter().all(|n| !n.contains("as a term")), "{:?}", cb.notes);
    }

    #[test]
    fn ids_made_from_names() {
        assert_eq!(id_from_name("  Trust & Honesty! "), "trust_honesty");
        assert_eq!(id_from_name("Émigrés"), "migr_s");
        assert_eq!(id_from_name("???"), "code");
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        assert_eq!(
            error("\n[[theme]]\nid = \"t\"\n"),
            "cb.qdc:2: this is not XML; a REFI-QDA codebook (.qdc) starts with `<?xml` or \
             `<CodeBook`"
        );
        assert_eq!(
            error("<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\"/>"),
            "cb.qdc:2: the root element is <Project>, expected <CodeBook> (a REFI-QDA codebook, \
             QDA-XML Codebook 1.0). This is a REFI-QDA project (.qde inside a .qdpx), not a \
             codebook."
        );
        assert_eq!(
            error(
                "<CodeBook>\n<Codes>\n<Code guid=\"x\" isCodable=\"true\"/>\n</Codes></CodeBook>"
            ),
            "cb.qdc:3: a <Code> without a `name` attribute; every code needs a name"
        );
        let msg = error("<CodeBook>\n<Codes>\n<Code name=\"a\">\n</Codes></CodeBook>");
        assert!(msg.starts_with("cb.qdc:4: this is not well-formed XML: "), "{msg}");
        assert_eq!(
            error("<CodeBook>\n<Codes>\n"),
            "cb.qdc:3: the file ends before its elements are closed; it may have been cut off"
        );
        assert_eq!(
            error("<CodeBook><Codes/></CodeBook>"),
            "cb.qdc: the codebook has no <Code> elements; a codebook needs at least one code"
        );
        assert_eq!(
            error("<CodeBook><Codes>\n<Code name=\"a\"><Description>&nbsp;</Description></Code>\n</Codes></CodeBook>"),
            "cb.qdc:2: unknown entity `&nbsp;`; XML knows only &lt; &gt; &amp; &quot; &apos; \
             and character references"
        );
        assert_eq!(
            error("<CodeBook><Codes><Code name=\"&bogus;\"/></Codes></CodeBook>"),
            "cb.qdc:1: the `name` attribute of a <Code> is not valid XML text: unrecognized \
             entity `bogus`; write `&amp;` for a literal `&`"
        );
    }

    #[test]
    fn errors_in_the_rules_block_name_the_code_and_the_line() {
        let msg = error(
            "<CodeBook>\n<Codes>\n<Code name=\"Trust\"><Description>Prose.\n\n\
             --- qualkit rules (kept for the round trip; edit with care) ---\n\
             id = \"trust\"\nterms = [\"trust\"\n--- end of qualkit rules ---</Description>\n\
             </Code></Codes></CodeBook>",
        );
        assert!(
            msg.starts_with(
                "cb.qdc:7: code `Trust`: the qualkit rules in its description are not valid \
                 TOML (line 5 of the description): "
            ),
            "{msg}"
        );
        assert_eq!(
            error(
                "<CodeBook>\n<Codes>\n<Code name=\"Trust\"><Description>\n\
                 --- qualkit rules (kept for the round trip; edit with care) ---\n\
                 id = \"trust\"\n</Description></Code></Codes></CodeBook>",
            ),
            "cb.qdc:4: code `Trust`: the qualkit rules in its description have no closing line \
             `--- end of qualkit rules ---`; restore it (the description may have been cut off)"
        );
        let block = |id: &str| {
            format!(
                "<Code name=\"{id}\"><Description>{RULES_START}\nid = \"{id}\"\n\
                 terms = [\"{id}\"]\n[codebook]\nname = \"x\"\n{RULES_END}</Description></Code>\n"
            )
        };
        assert_eq!(
            error(&format!("<CodeBook><Codes>\n{}{}</Codes></CodeBook>", block("a"), block("b"))),
            "cb.qdc:8: code `b` carries a second [codebook] table in its qualkit rules (the \
             first is in code `a`, line 2); keep one"
        );
        let msg = error(&format!(
            "<CodeBook><Codes>\n<Code name=\"a\"><Description>{RULES_START}\nid = \"a\"\n\
             label = \"A\"\nterms = [\"a\"]\n{RULES_END}</Description></Code></Codes></CodeBook>"
        ));
        assert!(msg.starts_with("cb.qdc:4: code `a`: the qualkit rules in its description are not valid TOML (line 3 of the description): unknown field `label`"), "{msg}");
    }
}
