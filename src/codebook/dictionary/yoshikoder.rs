//! Yoshikoder dictionaries (`.ykd`): XML, `<dictionary>` holding `<cnode name="…">`
//! categories (nested for sub-categories) whose `<pnode name="…"/>` are words, `prefix*`
//! wildcards or phrases. Yoshikoder wraps the categories in one root `cnode` named after the
//! dictionary; that root is the codebook's name, not a theme.

use std::path::Path;

use super::Tree;
use crate::codebook::RawCodebook;
use crate::error::{Error, Result};
use crate::xml::{self, Lines, Node};

/// An element of the dictionary: a category (its node, or `None` for the root category),
/// or anything else.
enum Elem {
    Category(Option<usize>),
    Other,
}

/// Reads a `.ykd` file as a codebook (see the module docs).
pub(in crate::codebook) fn parse(path: &Path, text: &str, stem: bool) -> Result<RawCodebook> {
    let err = |line: usize, message: String| Error::codebook(path, Some(line), None, message);
    let mut lines = Lines::new(text);
    if let Some((line, message)) =
        xml::not_xml(text, "a Yoshikoder dictionary (.ykd)", "dictionary")
    {
        return Err(err(line, message));
    }
    let roots = root_categories(text);
    let mut reader = xml::Reader::from_str(text);
    let mut tree = Tree::default();
    let mut stack: Vec<Elem> = Vec::new();
    let mut name = None;
    let mut seen_dictionary = false;
    loop {
        let at = reader.end();
        let node = reader.next().map_err(|e| err(lines.at(e.at().unwrap_or(at)), e.to_string()))?;
        match node {
            Node::Open { element, empty, .. } => {
                let line = lines.at(at);
                let attrs = xml::attributes(&element).map_err(|m| err(line, m))?;
                let label = xml::get(&attrs, "name").unwrap_or_default();
                let parent = stack.iter().rev().find_map(|e| match e {
                    Elem::Category(node) => Some(*node),
                    Elem::Other => None,
                });
                let elem = match xml::local_name(&element).as_str() {
                    "dictionary" => {
                        seen_dictionary = true;
                        Elem::Other
                    }
                    "cnode" if parent.is_none() && roots == 1 => {
                        name = Some(label).filter(|l| !l.trim().is_empty());
                        Elem::Category(None)
                    }
                    "cnode" => Elem::Category(Some(tree.category(&label, parent.flatten(), line))),
                    "pnode" => {
                        match parent.flatten() {
                            Some(node) => tree.word(node, &label, line),
                            None => return Err(err(line, format!("the word `{label}` is outside any category; put each <pnode> in a <cnode name=\"…\">"))),
                        }
                        Elem::Other
                    }
                    _ => Elem::Other,
                };
                if !empty {
                    stack.push(elem);
                }
            }
            Node::Close => {
                stack.pop();
            }
            Node::Text(_) | Node::Other => {}
            Node::Eof => break,
        }
    }
    if !seen_dictionary {
        return Err(Error::codebook(
            path,
            None,
            None,
            "no <dictionary> element; this is not a Yoshikoder dictionary",
        ));
    }
    let mut raw = tree.codebook(path, stem, Vec::new())?;
    if let Some(name) = name {
        raw.name = name.trim().to_string();
    }
    Ok(raw)
}

/// How many `cnode`s sit directly in the `<dictionary>`: Yoshikoder writes one, the root.
fn root_categories(text: &str) -> usize {
    let mut reader = xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut roots = 0;
    while let Ok(node) = reader.next() {
        match node {
            Node::Open { element, empty, .. } => {
                if depth == 1 && xml::local_name(&element) == "cnode" {
                    roots += 1;
                }
                if !empty {
                    depth += 1;
                }
            }
            Node::Close => depth = depth.saturating_sub(1),
            Node::Eof => break,
            _ => {}
        }
    }
    roots
}
