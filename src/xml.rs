//! Reading XML: the one layer under the REFI-QDA codebook and project readers
//! (`codebook/qdc.rs`, `refi/import/project.rs`) and the Word and OpenDocument reader
//! (`ingest/office/`).
//!
//! One policy for every reader:
//!
//! - **Streaming.** Events are pulled one at a time from any [`BufRead`]; nothing is loaded
//!   as a tree and nothing recurses.
//! - **Namespaces** are resolved: [`Node::Open`] gives the element's namespace (or `None`
//!   when it has none or its prefix was never declared, which readers take leniently) and
//!   its local name.
//! - **Text** is text, CDATA and references together, with XML's line-end normalisation
//!   (CR LF and a lone CR are LF). Character references and the five predefined entities
//!   (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`) are resolved; any other entity is an error,
//!   as XML without a DTD requires.
//! - **Depth** is capped at [`MAX_DEPTH`] levels.
//! - **Positions** are byte offsets into the input; [`Lines`] turns them into line numbers.
//!
//! The readers above keep their own vocabulary (which elements mean what) and their own
//! wording of errors, from the typed [`XmlError`].

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

/// The deepest element nesting accepted. Real files stay far below (a table in a table in a
/// text box is a few dozen levels); the namespace resolver counts levels in a `u16`.
pub(crate) const MAX_DEPTH: usize = 10_000;

/// What went wrong reading XML, with the byte offset where it did.
#[derive(Debug)]
pub(crate) enum XmlError {
    /// Not well-formed XML (or text that is not UTF-8).
    Malformed { at: u64, why: String },
    /// Elements nested deeper than [`MAX_DEPTH`].
    TooDeep { at: u64 },
    /// The input ends before its elements are closed.
    Truncated { at: u64 },
    /// The input could not be read (a damaged archive entry, a size limit).
    Io(std::sync::Arc<std::io::Error>),
}

impl XmlError {
    /// The byte offset of the problem (`None` for an I/O error).
    pub(crate) fn at(&self) -> Option<u64> {
        match self {
            XmlError::Malformed { at, .. }
            | XmlError::TooDeep { at }
            | XmlError::Truncated { at } => Some(*at),
            XmlError::Io(_) => None,
        }
    }
}

/// What the error says, for a message that names the file and line before it.
impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XmlError::Malformed { why, .. } => write!(f, "this is not well-formed XML: {why}"),
            XmlError::TooDeep { .. } => {
                write!(f, "elements are nested more than {MAX_DEPTH} levels deep")
            }
            XmlError::Truncated { .. } => f.write_str(
                "the file ends before its elements are closed; it may have been cut off",
            ),
            XmlError::Io(io) => write!(f, "the text could not be read: {io}"),
        }
    }
}

/// One piece of the document.
pub(crate) enum Node<'a> {
    /// An element starts; `empty` for `<e/>`, which has no [`Node::Close`].
    Open { ns: Option<&'a str>, element: BytesStart<'a>, empty: bool },
    /// The innermost open element ends.
    Close,
    /// Character data (text, CDATA or a resolved reference).
    Text(Cow<'a, str>),
    /// A comment, processing instruction or declaration (not read).
    Other,
    /// The end of the input, with every element closed.
    Eof,
}

/// A pull reader of [`Node`]s over any buffered input.
pub(crate) struct Reader<R: BufRead> {
    xml: NsReader<R>,
    buf: Vec<u8>,
    depth: usize,
    at: u64,
    seen_element: bool,
}

impl<'s> Reader<&'s [u8]> {
    /// A reader of XML text held in memory.
    pub(crate) fn from_str(text: &'s str) -> Self {
        Reader::new(text.as_bytes())
    }
}

impl<R: BufRead> Reader<R> {
    pub(crate) fn new(input: R) -> Self {
        Reader {
            xml: NsReader::from_reader(input),
            buf: Vec::new(),
            depth: 0,
            at: 0,
            seen_element: false,
        }
    }

    /// The byte offset just after the node last returned.
    pub(crate) fn end(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// Whether any element was read yet.
    pub(crate) fn seen_element(&self) -> bool {
        self.seen_element
    }

    /// The next node.
    pub(crate) fn next(&mut self) -> Result<Node<'_>, XmlError> {
        self.buf.clear();
        self.at = self.xml.buffer_position();
        let at = self.at;
        let event = match self.xml.read_event_into(&mut self.buf) {
            Ok(event) => event,
            Err(e) => return Err(read_error(e, self.xml.error_position())),
        };
        let xml = &self.xml;
        let ns = |e: &BytesStart<'_>| match xml.resolver().resolve_element(e.name()).0 {
            ResolveResult::Bound(Namespace(ns)) => Some(ns),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        Ok(match event {
            Event::Start(_) | Event::Empty(_) if self.depth >= MAX_DEPTH => {
                return Err(XmlError::TooDeep { at });
            }
            Event::Start(element) => {
                self.depth += 1;
                self.seen_element = true;
                Node::Open { ns: ns(&element), element, empty: false }
            }
            Event::Empty(element) => {
                self.seen_element = true;
                Node::Open { ns: ns(&element), element, empty: true }
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Node::Close
            }
            Event::Text(t) => Node::Text(t.xml10_content()),
            Event::CData(t) => Node::Text(t.xml10_content()),
            Event::GeneralRef(r) => {
                Node::Text(reference(&r).map_err(|why| XmlError::Malformed { at, why })?)
            }
            Event::Eof if self.depth > 0 => return Err(XmlError::Truncated { at }),
            Event::Eof => Node::Eof,
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => Node::Other,
        })
    }
}

/// Turns a quick-xml error into an [`XmlError`].
fn read_error(e: quick_xml::Error, at: u64) -> XmlError {
    match e {
        quick_xml::Error::Io(io) => XmlError::Io(io),
        other => XmlError::Malformed { at, why: other.to_string() },
    }
}

/// The text of an entity or character reference (`&amp;`, `&#233;`).
fn reference(r: &BytesRef<'_>) -> Result<Cow<'static, str>, String> {
    let name: &str = r;
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
            _ => Err(format!("`&{name};` is not a character XML allows")),
        };
    }
    quick_xml::escape::resolve_predefined_entity(name).map(Cow::Borrowed).ok_or_else(|| {
        format!(
            "unknown entity `&{name};`; XML knows only &lt; &gt; &amp; &quot; &apos; and \
             character references"
        )
    })
}

/// The local name of an element.
pub(crate) fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// An element's attribute values by local name, in the order written: entities resolved and
/// white space normalised as XML does (line ends and tabs are spaces). A repeated attribute
/// is kept twice; [`get`] finds the first.
pub(crate) fn attributes(e: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let element = local_name(e);
    let mut out = Vec::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("a <{element}> with a malformed attribute: {err}"))?;
        let key = a.key.local_name().as_ref().to_string();
        let raw = &a.value;
        let raw = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
        let value = quick_xml::escape::unescape(&raw).map_err(|err| {
            // The library's message starts with the byte range (`at 1..6: …`).
            let err = err.to_string();
            let why = err.split_once(": ").map_or(err.as_str(), |(_, why)| why);
            format!(
                "the `{key}` attribute of a <{element}> is not valid XML text: {why}; write \
                 `&amp;` for a literal `&`"
            )
        })?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

/// The first value of attribute `key`.
pub(crate) fn get(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// `None` when `text` starts (after white space) with `<`; else the line it starts on and
/// the reason it is refused, naming what a `what` file starts with (`<?xml` or `<root`):
/// `this is not XML; a REFI-QDA codebook (.qdc) starts with `<?xml` or `<CodeBook``.
pub(crate) fn not_xml(text: &str, what: &str, root: &str) -> Option<(usize, String)> {
    let start = text.len() - text.trim_start().len();
    if text[start..].starts_with('<') {
        return None;
    }
    let line = Lines::new(text).at(start as u64);
    Some((line, format!("this is not XML; {what} starts with `<?xml` or `<{root}`")))
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

    /// The line of byte `offset` (offsets may come in any order; forward is cheapest).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node of `text` as a short string, or the error.
    fn nodes(text: &str) -> Result<Vec<String>, XmlError> {
        let mut reader = Reader::from_str(text);
        let mut out = Vec::new();
        loop {
            let node = match reader.next()? {
                Node::Open { ns, element, empty } => format!(
                    "<{}{}{}>",
                    ns.map(|n| format!("{{{}}}", n)).unwrap_or_default(),
                    local_name(&element),
                    if empty { "/" } else { "" }
                ),
                Node::Close => "</>".to_string(),
                Node::Text(t) => format!("{t:?}"),
                Node::Other => continue,
                Node::Eof => break,
            };
            out.push(node);
        }
        Ok(out)
    }

    #[test]
    fn text_references_and_line_ends_are_resolved() {
        let got = nodes("<?xml version=\"1.0\"?><a xmlns=\"urn:x\"><b>x &amp; y&#233;\r\nz</b><c/><![CDATA[<q>]]><!-- no --></a>").unwrap();
        assert_eq!(
            got,
            [
                "<{urn:x}a>",
                "<{urn:x}b>",
                "\"x \"",
                "\"&\"",
                "\" y\"",
                "\"é\"",
                "\"\\nz\"",
                "</>",
                "<{urn:x}c/>",
                "\"<q>\"",
                "</>"
            ]
        );
    }

    #[test]
    fn undeclared_prefixes_have_no_namespace() {
        assert_eq!(nodes("<p:a><b/></p:a>").unwrap(), ["<a>", "<b/>", "</>"]);
    }

    #[test]
    fn unknown_entities_are_errors_with_their_offset() {
        match nodes("<a>x &nbsp;</a>") {
            Err(XmlError::Malformed { at, why }) => {
                assert_eq!(at, 5);
                assert_eq!(
                    why,
                    "unknown entity `&nbsp;`; XML knows only &lt; &gt; &amp; &quot; &apos; and \
                     character references"
                );
            }
            other => panic!("expected an entity error, got {:?}", other.map(|n| n.len())),
        }
    }

    #[test]
    fn depth_is_capped_and_cut_files_are_truncated() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(
            matches!(nodes(&deep), Err(XmlError::TooDeep { at }) if at == 3 * MAX_DEPTH as u64)
        );
        assert!(matches!(nodes("<a><b></b>"), Err(XmlError::Truncated { at: 10 })));
        assert!(matches!(nodes("<a></b>"), Err(XmlError::Malformed { .. })));
    }

    #[test]
    fn attributes_are_normalised_and_first_wins() {
        let mut reader = Reader::from_str("<a x=\"1&amp;\n2\" x=\"3\" y=\"&bad;\"/>");
        let Ok(Node::Open { element, .. }) = reader.next() else { panic!("no element") };
        let e = element.into_owned();
        let err = attributes(&e).unwrap_err();
        assert_eq!(
            err,
            "the `y` attribute of a <a> is not valid XML text: unrecognized entity `bad`; write \
             `&amp;` for a literal `&`"
        );
        let mut reader = Reader::from_str("<a x=\"1&amp;\n2\" x=\"3\"/>");
        let Ok(Node::Open { element, .. }) = reader.next() else { panic!("no element") };
        let attrs = attributes(&element.into_owned()).unwrap();
        assert_eq!(get(&attrs, "x").as_deref(), Some("1& 2"));
        assert_eq!(attrs.len(), 2);
    }

    #[test]
    fn lines_count_from_one_in_any_order() {
        let mut lines = Lines::new("a\nb\nc");
        assert_eq!((lines.at(4), lines.at(0), lines.at(2), lines.at(99)), (3, 1, 2, 3));
    }
}
