//! One pass over an XML part: the nodes of the XML layer, classified, drive the builder.

use std::io;

use quick_xml::events::BytesStart;

use super::builder::{Builder, Frame, Paragraph};
use super::classify::{classify, Elem};
use super::styles::OdtStyles;
use super::{Dialect, DocParagraph, ParseError, TooLarge};
use crate::xml::{self, Node, XmlError};

/// Streams one XML part into paragraphs.
pub(super) fn parse<R: io::BufRead>(
    input: R,
    dialect: Dialect,
    limit: u64,
) -> std::result::Result<Vec<DocParagraph>, ParseError> {
    let mut reader = xml::Reader::new(input);
    let mut walk = Walk::new(dialect, limit);
    loop {
        let node = match reader.next() {
            Ok(node) => node,
            Err(e) => return Err(parse_error(e, reader.end())),
        };
        match node {
            Node::Open { ns, element, empty } => walk.open(ns, &element, empty),
            Node::Close => walk.close(),
            Node::Text(text) => walk.text(&text),
            Node::Other => {}
            Node::Eof => break,
        }
    }
    if !reader.seen_element() {
        return Err(ParseError::NoElements);
    }
    Ok(walk.doc.finish())
}

/// Turns an error of the XML layer into a [`ParseError`]. `end` is the byte just after the
/// node read last: where an element too deep ends.
fn parse_error(e: XmlError, end: u64) -> ParseError {
    match e {
        XmlError::Io(io) => {
            if io.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) {
                ParseError::TooLarge
            } else {
                ParseError::Damaged(io.to_string())
            }
        }
        XmlError::Malformed { at, why } => ParseError::Malformed { at, why },
        XmlError::Truncated { at } => ParseError::Truncated { at },
        XmlError::TooDeep { .. } => ParseError::TooDeep { at: end },
    }
}

/// The state of one pass over a part: what each open element means, and the paragraphs
/// built so far.
struct Walk {
    dialect: Dialect,
    /// What each open element means; while skipping, open elements are `Other`.
    stack: Vec<Elem>,
    /// While set, the stack length at which the skipped subtree started.
    skip_from: Option<usize>,
    doc: Builder,
    styles: OdtStyles,
}

impl Walk {
    fn new(dialect: Dialect, limit: u64) -> Walk {
        Walk {
            dialect,
            stack: Vec::new(),
            skip_from: None,
            doc: Builder::new(dialect == Dialect::Odt, limit),
            styles: OdtStyles::default(),
        }
    }

    /// An element starts (`empty` for `<e/>`, which does not stay open).
    fn open(&mut self, ns: Option<&str>, start: &BytesStart<'_>, empty: bool) {
        let elem = if self.skip_from.is_some() {
            Elem::Other
        } else {
            classify(self.dialect, ns, start, self.stack.last(), &mut self.styles)
        };
        let elem = resolve(elem, self.stack.last_mut(), &mut self.doc);
        begin(elem, &mut self.doc);
        if empty {
            end(elem, &mut self.doc);
        } else {
            self.stack.push(elem);
            if elem == Elem::Skip {
                self.skip_from = Some(self.stack.len());
            }
        }
    }

    /// The innermost open element ends.
    fn close(&mut self) {
        let Some(elem) = self.stack.pop() else { return };
        if let Some(from) = self.skip_from {
            if self.stack.len() < from {
                self.skip_from = None;
            }
            return;
        }
        end(elem, &mut self.doc);
    }

    /// Character data: paragraph text when the innermost element holds text.
    fn text(&mut self, text: &str) {
        let collecting = self.skip_from.is_none()
            && matches!(
                (self.dialect, self.stack.last()),
                (Dialect::Docx, Some(Elem::Text))
                    | (Dialect::Odt, Some(Elem::Paragraph(_) | Elem::Inline | Elem::Run { .. }))
            );
        if collecting {
            self.doc.push_text(text);
        }
    }
}

/// What an element means in its place (`parent` is the element around it): which choice of
/// `mc:AlternateContent` is read, whether `w:del` deletes a table row, whether run
/// properties belong to a run. A run property or a run's start changes the formatting of the
/// text that follows.
fn resolve(elem: Elem, parent: Option<&mut Elem>, doc: &mut Builder) -> Elem {
    match elem {
        Elem::Choice => match parent {
            Some(Elem::Alternate(true)) => Elem::Skip,
            Some(Elem::Alternate(taken)) => {
                *taken = true;
                Elem::Other
            }
            _ => Elem::Other,
        },
        Elem::Fallback => match parent {
            Some(Elem::Alternate(true)) => Elem::Skip,
            _ => Elem::Other,
        },
        Elem::Deleted => match parent {
            Some(Elem::RowProps) => {
                doc.delete_row();
                Elem::Other
            }
            _ => Elem::Skip,
        },
        Elem::RunProps => match parent {
            Some(Elem::Run { .. }) => Elem::RunProps,
            _ => Elem::Skip,
        },
        Elem::RunProp(format) => {
            doc.apply(format);
            Elem::Skip
        }
        Elem::Run { format, .. } => Elem::Run { format, before: doc.apply(format) },
        other => other,
    }
}

/// What the start of an element adds to the document.
fn begin(elem: Elem, doc: &mut Builder) {
    match elem {
        Elem::Paragraph(format) => doc.open(Frame::Paragraph(Paragraph::new(format.over(0)))),
        Elem::Table => doc.open(Frame::Table(Vec::new())),
        Elem::Row => doc.open(Frame::Row { cells: Vec::new(), deleted: false }),
        Elem::Cell => doc.open(Frame::Cell(Vec::new())),
        Elem::Char(c) => doc.push_char(c),
        Elem::Spaces(n) => doc.push_spaces(n),
        _ => {}
    }
}

/// What the end of an element does: closes a structure, ends a run's formatting.
fn end(elem: Elem, doc: &mut Builder) {
    match elem {
        Elem::Paragraph(_) | Elem::Table | Elem::Row | Elem::Cell => doc.close(),
        Elem::Run { before, .. } => doc.restore(before),
        _ => {}
    }
}
