//! Reading `.qdc` codebooks (and a project's `<CodeBook>`): the codes streamed from the XML,
//! then their descriptions, ids and parents resolved.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quick_xml::events::BytesStart;

use super::{normalize_guid, Rules, CODEBOOK_NS, PROJECT_NS, RULES_END, RULES_START_PREFIX};
use crate::codebook::doc::{Header, ThemeDoc};
use crate::codebook::RawCodebook;
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::xml::{self, Lines, Node};

/// A `<Code>` as read, before ids and parents are resolved.
#[derive(Debug)]
struct Code {
    /// The line of its start tag.
    line: usize,
    /// Its GUID, normalised (`None` when missing or malformed).
    guid: Option<String>,
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
    /// Whether the root element was read.
    root_seen: bool,
}

impl Read {
    /// What the element `e` (on `line`, inside `stack`) is; `ours` when it is in a QDA-XML
    /// namespace or none.
    fn open(
        &mut self,
        stack: &[Elem],
        ours: bool,
        e: &BytesStart<'_>,
        line: usize,
    ) -> std::result::Result<Elem, String> {
        let name = xml::local_name(e);
        Ok(match (stack.last(), ours, name.as_str()) {
            (None, _, _) => {
                if self.root_seen {
                    return Err(format!(
                        "<{name}> after the end of <CodeBook>; a file holds one codebook"
                    ));
                }
                self.root_seen = true;
                root(ours, &name)?
            }
            (Some(Elem::Skip), _, _) => Elem::Skip,
            (Some(Elem::CodeBook), true, "Codes") => Elem::Codes,
            (Some(Elem::CodeBook), true, "Sets") => Elem::Sets,
            (Some(Elem::Sets), true, "Set") => {
                self.sets += 1;
                Elem::Skip
            }
            (Some(&(Elem::Codes | Elem::Code(_))), true, "Code") => {
                let parent = match stack.last() {
                    Some(&Elem::Code(p)) => Some(p),
                    _ => None,
                };
                Elem::Code(self.open_code(&xml::attributes(e)?, parent, line)?)
            }
            (Some(&Elem::Code(i)), true, "Description") => Elem::Description(i),
            _ => {
                if !self.unknown.iter().any(|(n, _)| *n == name) {
                    self.unknown.push((name, line));
                }
                Elem::Skip
            }
        })
    }

    /// Reads the attributes of a code inside `parent` on `line`; the code's index.
    fn open_code(
        &mut self,
        attrs: &[(String, String)],
        parent: Option<usize>,
        line: usize,
    ) -> std::result::Result<usize, String> {
        let name = xml::get(attrs, "name")
            .ok_or("a <Code> without a `name` attribute; every code needs a name")?;
        let guid = xml::get(attrs, "guid");
        let normal = guid.as_deref().and_then(normalize_guid);
        match (guid, normal.clone()) {
            (Some(_), Some(guid)) => {
                if let Some(first) = self.guids.insert(guid, line) {
                    self.bad_guids.push(format!(
                        "`{name}` (line {line}) has the guid of the code on line {first}"
                    ));
                }
            }
            (Some(_), None) => {
                self.bad_guids.push(format!("`{name}` (line {line}) has a malformed guid"))
            }
            (None, _) => self.bad_guids.push(format!("`{name}` (line {line}) has no guid")),
        }
        let color = xml::get(attrs, "color").and_then(|c| {
            let fixed = color(&c);
            if fixed.is_none() {
                self.bad_colors.push(format!("`{c}` (line {line})"));
            }
            fixed
        });
        self.codes.push(Code {
            line,
            guid: normal,
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

pub(in crate::codebook) fn parse(path: &Path, text: &str) -> Result<RawCodebook> {
    parse_codes(path, text).map(|(raw, _)| raw)
}

/// A code of another tool's flat list of codes (a Taguette codebook CSV).
pub(in crate::codebook) struct ListedCode {
    /// The line of its row.
    pub line: usize,
    pub name: String,
    pub description: String,
    /// The index of its parent in the list.
    pub parent: Option<usize>,
}

/// The codebook of a list of codes, resolved as a `.qdc`'s codes are (ids from names, each
/// leaf's name as its term, dotted names nested); `notes` are the reader's own.
pub(in crate::codebook) fn from_list(
    path: &Path,
    codes: Vec<ListedCode>,
    notes: Vec<String>,
) -> Result<RawCodebook> {
    let codes = codes
        .into_iter()
        .map(|c| Code {
            line: c.line,
            guid: None,
            name: c.name,
            color: None,
            parent: c.parent,
            description: c.description,
            description_line: c.line,
        })
        .collect();
    resolve(path, codes, notes)
}

/// A code as a project's codings name it: its GUID (normalised; `None` when missing or
/// malformed) and the line of its start tag.
#[derive(Debug, Clone)]
pub(crate) struct CodeRef {
    pub(crate) guid: Option<String>,
    pub(crate) line: usize,
}

/// Reads a codebook, with a [`CodeRef`] for each code in the order of the themes: a
/// project's codings name codes by GUID.
pub(in crate::codebook) fn parse_codes(
    path: &Path,
    text: &str,
) -> Result<(RawCodebook, Vec<CodeRef>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = read_codes(path, text)?;
    let notes = read.notes();
    let guids = read.codes.iter().map(|c| CodeRef { guid: c.guid.clone(), line: c.line }).collect();
    Ok((resolve(path, read.codes, notes)?, guids))
}

/// Streams the XML into codes.
fn read_codes(path: &Path, text: &str) -> Result<Read> {
    let err = |line: usize, message: String| Error::codebook(path, Some(line), None, message);
    let mut lines = Lines::new(text);
    if let Some((line, message)) = xml::not_xml(text, "a REFI-QDA codebook (.qdc)", "CodeBook") {
        return Err(err(line, message));
    }
    let mut xml = xml::Reader::from_str(text);
    let mut stack: Vec<Elem> = Vec::new();
    let mut read = Read::default();
    // A description just opened: its text starts where its start tag ends.
    let mut opened_description: Option<usize> = None;
    loop {
        let at = xml.end();
        if let Some(i) = opened_description.take() {
            read.codes[i].description_line = lines.at(at);
        }
        let node = xml.next().map_err(|e| err(lines.at(e.at().unwrap_or(at)), e.to_string()))?;
        match node {
            Node::Open { ns, element, empty } => {
                let line = lines.at(at);
                let elem =
                    read.open(&stack, is_ours(ns), &element, line).map_err(|m| err(line, m))?;
                if let Elem::Description(i) = elem {
                    opened_description = Some(i);
                }
                if !empty {
                    stack.push(elem);
                }
            }
            Node::Close => {
                stack.pop();
            }
            Node::Text(text) => {
                if let Some(&Elem::Description(i)) = stack.last() {
                    read.codes[i].description.push_str(&text);
                }
            }
            Node::Other => {}
            Node::Eof if !read.root_seen => {
                return Err(err(
                    lines.at(at),
                    "no <CodeBook> element; this is not a REFI-QDA codebook".into(),
                ));
            }
            Node::Eof => break,
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

/// Whether an element in namespace `ns` is a QDA-XML element: in the codebook (or project)
/// namespace, in none, or with a prefix the file never declared (read leniently).
fn is_ours(ns: Option<&str>) -> bool {
    ns.is_none_or(|ns| ns == CODEBOOK_NS || ns == PROJECT_NS)
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
pub(super) fn opens_block(line: &str) -> bool {
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
pub fn id_from_name(name: &str) -> String {
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
