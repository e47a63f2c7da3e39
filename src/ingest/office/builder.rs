//! Paragraphs built from the stream of elements: their text, formatting and the structures
//! (tables, rows, cells, text boxes) they are collected into.

use super::styles::{Format, BOLD, ITALIC, UNDERLINE};
use super::table::{join_cell, table_lines};
use super::{DocParagraph, Emphasis};

/// A paragraph being read.
#[derive(Debug, Default)]
pub(super) struct Paragraph {
    text: String,
    /// Paragraphs of text boxes anchored in this one, returned after it.
    after: Vec<DocParagraph>,
    /// OpenDocument white-space collapsing: the last character was collapsible white space,
    /// or nothing was written yet (leading white space is dropped).
    after_space: bool,
    /// The text ends with a collapsible space (dropped at the paragraph's end).
    trailing_space: bool,
    /// The formatting of the text written now ([`BOLD`], [`ITALIC`], [`UNDERLINE`]).
    flags: u8,
    /// The formatted parts of `text`, in order; the rest is plain. Plain paragraphs allocate
    /// nothing here.
    marks: Vec<Mark>,
}

/// Formatted text in a paragraph: bytes `start..end` of its text have `flags`.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    flags: u8,
}

impl Paragraph {
    /// A paragraph just opened, whose text is formatted `flags`.
    pub(super) fn new(flags: u8) -> Paragraph {
        Paragraph { after_space: true, flags, ..Paragraph::default() }
    }

    /// Text, white space collapsed the OpenDocument way.
    fn push_collapsed(&mut self, text: &str) {
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.after_space {
                    self.text.push(' ');
                    self.after_space = true;
                    self.trailing_space = true;
                }
            } else {
                self.text.push(c);
                self.after_space = false;
                self.trailing_space = false;
            }
        }
    }

    /// Records the formatting of the text written since byte `start`.
    fn mark(&mut self, start: usize) {
        let end = self.text.len();
        if self.flags == 0 || end == start {
            return;
        }
        match self.marks.last_mut() {
            Some(last) if last.end == start && last.flags == self.flags => last.end = end,
            _ => self.marks.push(Mark { start, end, flags: self.flags }),
        }
    }

    /// The finished paragraph, and those of its text boxes.
    fn finish(mut self) -> (DocParagraph, Vec<DocParagraph>) {
        if self.trailing_space {
            self.text.pop();
        }
        let (lead, whole) = formatting(&self.text, &self.marks);
        (DocParagraph { text: self.text, lead, whole }, self.after)
    }
}

/// The [`DocParagraph::lead`] and [`DocParagraph::whole`] of `text`, whose formatted parts
/// are `marks`. White space counts neither way: the opening bold or underlined run goes on
/// over it (`Maria Lopez:` with a plain space is one label) and ends at its last character
/// that is not white space.
fn formatting(text: &str, marks: &[Mark]) -> (usize, Option<Emphasis>) {
    if marks.is_empty() {
        return (0, None);
    }
    let (mut lead, mut leading, mut strong, mut italic, mut any) = (0, true, true, true, false);
    let mut next = 0;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        while marks.get(next).is_some_and(|m| m.end <= at) {
            next += 1;
        }
        let flags = marks.get(next).filter(|m| m.start <= at).map_or(0, |m| m.flags);
        let is_strong = flags & (BOLD | UNDERLINE) != 0;
        any = true;
        leading &= is_strong;
        if leading {
            lead = at + c.len_utf8();
        }
        strong &= is_strong;
        italic &= flags & ITALIC != 0;
        if !leading && !italic {
            break;
        }
    }
    match (any, strong, italic) {
        (false, _, _) => (0, None),
        (true, true, _) => (0, Some(Emphasis::Bold)),
        (true, false, true) => (lead, Some(Emphasis::Italic)),
        (true, false, false) => (lead, None),
    }
}

/// An open structure: what paragraphs and rows are collected into.
#[derive(Debug)]
pub(super) enum Frame {
    Paragraph(Paragraph),
    /// The rows read so far, each a list of cell texts.
    Table(Vec<Vec<String>>),
    Row {
        cells: Vec<String>,
        deleted: bool,
    },
    /// The paragraphs of a cell.
    Cell(Vec<String>),
}

/// Collects paragraphs from the stream of elements, with an explicit stack of open
/// structures.
pub(super) struct Builder {
    frames: Vec<Frame>,
    out: Vec<DocParagraph>,
    /// Collapse white space the OpenDocument way.
    collapse: bool,
    /// Spaces `text:s` may still add (bounds what a hostile `text:c` can allocate).
    spaces_left: u64,
}

impl Builder {
    pub(super) fn new(collapse: bool, spaces_budget: u64) -> Builder {
        Builder { frames: Vec::new(), out: Vec::new(), collapse, spaces_left: spaces_budget }
    }

    /// Opens a structure inside the innermost open one.
    pub(super) fn open(&mut self, frame: Frame) {
        self.frames.push(frame);
    }

    /// The paragraph text is written to, when the innermost structure is a paragraph.
    fn paragraph(&mut self) -> Option<&mut Paragraph> {
        match self.frames.last_mut() {
            Some(Frame::Paragraph(p)) => Some(p),
            _ => None,
        }
    }

    /// Applies `format` to the text that follows in the innermost paragraph, and returns the
    /// formatting it replaces (for [`Builder::restore`]; 0 outside a paragraph).
    pub(super) fn apply(&mut self, format: Format) -> u8 {
        let Some(p) = self.paragraph() else { return 0 };
        let before = p.flags;
        p.flags = format.over(before);
        before
    }

    /// Formats the text that follows in the innermost paragraph `flags` again.
    pub(super) fn restore(&mut self, flags: u8) {
        if let Some(p) = self.paragraph() {
            p.flags = flags;
        }
    }

    /// Text content, white space collapsed for OpenDocument.
    pub(super) fn push_text(&mut self, text: &str) {
        let collapse = self.collapse;
        let Some(p) = self.paragraph() else { return };
        let start = p.text.len();
        if collapse {
            p.push_collapsed(text);
        } else {
            p.text.push_str(text);
        }
        p.mark(start);
    }

    /// A character from an element (tab, break, hyphen): never collapsed.
    pub(super) fn push_char(&mut self, c: char) {
        let Some(p) = self.paragraph() else { return };
        let start = p.text.len();
        p.text.push(c);
        p.after_space = false;
        p.trailing_space = false;
        p.mark(start);
    }

    /// `n` spaces from `text:s`: never collapsed, and bounded by the budget.
    pub(super) fn push_spaces(&mut self, n: u64) {
        let n = n.min(self.spaces_left);
        let Some(Frame::Paragraph(p)) = self.frames.last_mut() else { return };
        self.spaces_left -= n;
        let start = p.text.len();
        p.text.extend(std::iter::repeat_n(' ', n as usize));
        p.after_space = false;
        p.trailing_space = false;
        p.mark(start);
    }

    /// Marks the innermost table row as deleted (a tracked change).
    pub(super) fn delete_row(&mut self) {
        if let Some(Frame::Row { deleted, .. }) =
            self.frames.iter_mut().rev().find(|f| matches!(f, Frame::Row { .. }))
        {
            *deleted = true;
        }
    }

    /// Closes the innermost structure and hands what it produced to the one around it.
    pub(super) fn close(&mut self) {
        let Some(frame) = self.frames.pop() else { return };
        match frame {
            Frame::Paragraph(p) => {
                let (first, after) = p.finish();
                self.deliver(std::iter::once(first).chain(after));
            }
            Frame::Table(rows) => {
                let lines = table_lines(rows);
                self.deliver(lines.into_iter().map(DocParagraph::plain));
            }
            Frame::Row { cells, deleted } => {
                if deleted {
                    return;
                }
                match self.frames.last_mut() {
                    Some(Frame::Table(rows)) => rows.push(cells),
                    _ => {
                        let lines = table_lines(vec![cells]);
                        self.deliver(lines.into_iter().map(DocParagraph::plain));
                    }
                }
            }
            Frame::Cell(paragraphs) => {
                let text = join_cell(&paragraphs);
                match self.frames.last_mut() {
                    Some(Frame::Row { cells, .. }) => cells.push(text),
                    _ if text.is_empty() => {}
                    _ => self.deliver([DocParagraph::plain(text)]),
                }
            }
        }
    }

    /// Hands finished paragraphs to the innermost open structure (or the document). In a
    /// table only their text is kept.
    fn deliver(&mut self, lines: impl IntoIterator<Item = DocParagraph>) {
        let lines = lines.into_iter();
        match self.frames.last_mut() {
            None => self.out.extend(lines),
            Some(Frame::Paragraph(p)) => p.after.extend(lines),
            Some(Frame::Cell(paragraphs)) => paragraphs.extend(lines.map(|p| p.text)),
            Some(Frame::Row { cells, .. }) => cells.push(join_cell(lines.map(|p| p.text))),
            Some(Frame::Table(rows)) => rows.push(vec![join_cell(lines.map(|p| p.text))]),
        }
    }

    /// The paragraphs of the document.
    pub(super) fn finish(mut self) -> Vec<DocParagraph> {
        while !self.frames.is_empty() {
            self.close();
        }
        self.out
    }
}
