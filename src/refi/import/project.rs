//! The project XML (`project.qde`): the users, the codebook's place and code GUIDs, the
//! variables, the cases and the text sources with their selections and codings, read
//! leniently (any namespace or none, braced or upper-case GUIDs).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use super::Coder;
use crate::codebook::{normalize_guid, Codebook};
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::xml::{self, get, Lines, Node};

/// A coding of a selection.
#[derive(Debug, Default)]
pub(super) struct Coding {
    pub(super) line: usize,
    /// The code's GUID (normalised).
    pub(super) code: Option<String>,
    /// The user who made it (normalised GUID).
    pub(super) user: Option<String>,
}

impl Coding {
    /// The coder's name.
    pub(super) fn coder(&self, sel: &Selection, users: &HashMap<String, String>) -> String {
        match self.user.as_ref().or(sel.user.as_ref()) {
            Some(g) => users.get(g).cloned().unwrap_or_else(|| g.clone()),
            None => "unknown".to_string(),
        }
    }
}

/// A `<PlainTextSelection>`.
#[derive(Debug, Default)]
pub(super) struct Selection {
    pub(super) line: usize,
    pub(super) guid: Option<String>,
    pub(super) name: String,
    pub(super) start: Option<i64>,
    pub(super) end: Option<i64>,
    /// The attribute that is not a number, with its value.
    pub(super) bad_position: Option<(String, String)>,
    pub(super) user: Option<String>,
    pub(super) codings: Vec<Coding>,
}

impl Selection {
    pub(super) fn describe(&self) -> String {
        match &self.guid {
            Some(g) => format!("selection {g}"),
            None => "a selection".to_string(),
        }
    }
}

/// A text source: a `<TextSource>`, or the text `<Representation>` of a PDF.
#[derive(Debug, Default)]
pub(super) struct Source {
    pub(super) line: usize,
    pub(super) guid: Option<String>,
    pub(super) name: String,
    pub(super) path: Option<String>,
    pub(super) content: Option<String>,
    pub(super) selections: Vec<Selection>,
    /// Variable GUID and value.
    pub(super) values: Vec<(String, String)>,
}

impl Source {
    pub(super) fn has_codings(&self) -> bool {
        self.selections.iter().any(|s| !s.codings.is_empty())
    }
}

/// A `<Case>`.
#[derive(Debug, Default)]
pub(super) struct Case {
    pub(super) name: Option<String>,
    pub(super) values: Vec<(String, String)>,
    pub(super) sources: Vec<String>,
    pub(super) selections: Vec<String>,
}

/// Whose a `<VariableValue>` is.
#[derive(Debug, Clone, Copy)]
pub(super) enum Owner {
    Source(usize),
    Case(usize),
}

/// What an open element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Elem {
    Project,
    Users,
    CodeBook,
    Variables,
    Cases,
    Case(usize),
    Sources,
    Pdf,
    Source(usize),
    Content(usize),
    Selection(usize, usize),
    Coding(usize, usize, usize),
    Value,
    ValueText,
    /// Not read.
    Skip,
}

/// The parts of a project qualkit reads.
#[derive(Debug, Default)]
pub(super) struct Project {
    pub(super) name: String,
    pub(super) origin: String,
    /// Normalised GUID and name.
    pub(super) users: Vec<(String, String)>,
    /// The byte range of `<CodeBook>…</CodeBook>` and its first line.
    pub(super) codebook: Option<(Range<usize>, usize)>,
    /// Variable GUID → name.
    pub(super) variables: HashMap<String, String>,
    pub(super) cases: Vec<Case>,
    pub(super) sources: Vec<Source>,
    /// Selections of other kinds of sources, by element name.
    pub(super) other_selections: BTreeMap<String, usize>,
    /// Codings of whole sources.
    pub(super) source_codings: usize,
}

impl Project {
    pub(super) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.other_selections.is_empty() {
            let kinds: Vec<String> =
                self.other_selections.iter().map(|(k, n)| format!("{n} <{k}>")).collect();
            notes.push(format!("left out {}: qualkit reads coded text only", kinds.join(", ")));
        }
        if self.source_codings > 0 {
            notes.push(format!(
                "left out {} of whole sources (no selection of text)",
                plural_as(self.source_codings, "coding", "codings")
            ));
        }
        notes
    }

    /// The project's codebook: its `<CodeBook>` read as a `.qdc` codebook, line numbers kept,
    /// with the GUID of each theme's code (theme `i` is code `i`).
    pub(super) fn codebook(&self, path: &Path, qde: &str) -> Result<(Codebook, Vec<String>)> {
        let Some((range, line)) = &self.codebook else {
            return Err(Error::transcript(
                path,
                None,
                "the project has no <CodeBook>, so its codings name no codes; export it again \
                 with its codes",
            ));
        };
        let text = format!("{}{}", "\n".repeat(line - 1), &qde[range.clone()]);
        let (mut codebook, codes) = Codebook::parse_qdc_codes(path, &text)?;
        let guids = codes
            .into_iter()
            .map(|code| {
                code.guid.ok_or_else(|| {
                    Error::transcript(
                        path,
                        Some(code.line),
                        "a <Code> without a valid guid; codings refer to codes by guid, so \
                         every code needs one",
                    )
                })
            })
            .collect::<Result<Vec<String>>>()?;
        // Without a qualkit [codebook] table the name comes from the file: use the project's.
        if !text.contains(crate::codebook::qdc::RULES_START) && !self.name.is_empty() {
            codebook.name = self.name.clone();
        }
        Ok((codebook, guids))
    }

    /// Every coder of text selections, by name.
    pub(super) fn coders(&self) -> Vec<Coder> {
        let users: HashMap<String, String> = self.users.iter().cloned().collect();
        let mut counts: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
        for src in &self.sources {
            for sel in &src.selections {
                for c in &sel.codings {
                    let entry = counts.entry(c.coder(sel, &users)).or_default();
                    entry.0 = entry.0.take().or_else(|| c.user.clone().or(sel.user.clone()));
                    entry.1 += 1;
                }
            }
        }
        counts.into_iter().map(|(name, (guid, codings))| Coder { name, guid, codings }).collect()
    }
}

/// The normalised GUID in attribute `key`.
pub(super) fn get_guid(attrs: &[(String, String)], key: &str) -> Option<String> {
    get(attrs, key).and_then(|g| normalize_guid(&g))
}

/// The names of the elements that hold a variable's value.
pub(super) const VALUE_ELEMENTS: [&str; 6] =
    ["TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"];

/// The names of selections qualkit does not read.
pub(super) const OTHER_SELECTIONS: [&str; 5] =
    ["PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection"];

/// Streams the project XML into a [`Project`]. Elements are matched by local name, in any
/// namespace or none.
pub(super) fn parse_project(path: &Path, text: &str) -> Result<Project> {
    let err = |line: usize, message: String| Error::transcript(path, Some(line), message);
    let mut lines = Lines::new(text);
    if let Some((line, message)) = xml::not_xml(text, "a REFI-QDA project (.qde)", "Project") {
        return Err(err(line, message));
    }
    let mut xml = xml::Reader::from_str(text);
    let mut r = ProjectReader::default();
    loop {
        let at = xml.end();
        let node = xml.next().map_err(|e| err(lines.at(e.at().unwrap_or(at)), e.to_string()))?;
        match node {
            Node::Open { element, empty, .. } => {
                let line = lines.at(at);
                let attrs = xml::attributes(&element).map_err(|m| err(line, m))?;
                let elem = r
                    .open(&xml::local_name(&element), &attrs, Place { at, line, empty })
                    .map_err(|m| err(line, m))?;
                if empty {
                    r.finish(elem);
                } else {
                    r.stack.push(elem);
                }
            }
            Node::Close => r.close(xml.end()),
            Node::Text(t) => {
                if let Some(target) = r.text_target() {
                    target.push_str(&t);
                }
            }
            Node::Other => {}
            Node::Eof if !r.root_seen => {
                return Err(err(lines.at(at), "no <Project> element".into()))
            }
            Node::Eof => break,
        }
    }
    let mut p = r.p;
    // Drop the PDF placeholders that had no text representation.
    p.sources.retain(|s| s.guid.is_some() || s.path.is_some() || s.content.is_some());
    Ok(p)
}

/// Where an element starts: its byte offset and line, and whether it is empty (`<e/>`).
#[derive(Clone, Copy)]
struct Place {
    at: u64,
    line: usize,
    empty: bool,
}

/// The project being read, and where in it the reader is.
#[derive(Default)]
struct ProjectReader {
    p: Project,
    stack: Vec<Elem>,
    root_seen: bool,
    /// The value being read: its owner, variable and text.
    value: Option<(Owner, Option<String>, String)>,
    /// Where the open `<CodeBook>` starts: its byte offset and line.
    codebook_start: Option<(usize, usize)>,
}

impl ProjectReader {
    /// What the element `name` is where it opens.
    fn open(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        place: Place,
    ) -> std::result::Result<Elem, String> {
        let parent = self.stack.last().copied();
        if parent.is_none() {
            return self.open_root(name, attrs);
        }
        if let Some(elem) = self.open_outline(parent, name, attrs, place) {
            return Ok(elem);
        }
        Ok(self.open_source_part(parent, name, attrs, place.line))
    }

    /// The `<Project>` element.
    fn open_root(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
    ) -> std::result::Result<Elem, String> {
        if self.root_seen {
            return Err(format!("<{name}> after the end of <Project>"));
        }
        self.root_seen = true;
        if name != "Project" {
            let hint = if name == "CodeBook" {
                " This is a REFI-QDA codebook (.qdc): read it with `qualkit codebook convert`."
            } else {
                ""
            };
            return Err(format!(
                "the root element is <{name}>, expected <Project> (a REFI-QDA project, \
                 QDA-XML Project 1.0).{hint}"
            ));
        }
        self.p.origin = get(attrs, "origin").unwrap_or_default();
        self.p.name = get(attrs, "name").unwrap_or_default().trim().to_string();
        Ok(Elem::Project)
    }

    /// The users, the codebook, the variables and the cases; `None` for anything else.
    fn open_outline(
        &mut self,
        parent: Option<Elem>,
        name: &str,
        attrs: &[(String, String)],
        place: Place,
    ) -> Option<Elem> {
        let p = &mut self.p;
        Some(match (parent?, name) {
            (Elem::Project, "Users") => Elem::Users,
            (Elem::Users, "User") => {
                if let Some(g) = get_guid(attrs, "guid") {
                    let name = get(attrs, "name")
                        .filter(|n| !n.trim().is_empty())
                        .or_else(|| get(attrs, "id"))
                        .unwrap_or_else(|| g.clone());
                    p.users.push((g, name.trim().to_string()));
                }
                Elem::Skip
            }
            (Elem::Project, "CodeBook") => {
                self.codebook_start = (!place.empty).then_some((place.at as usize, place.line));
                Elem::CodeBook
            }
            (Elem::CodeBook, _) => Elem::CodeBook,
            (Elem::Project, "Variables") => Elem::Variables,
            (Elem::Variables, "Variable") => {
                if let (Some(g), Some(n)) = (get_guid(attrs, "guid"), get(attrs, "name")) {
                    p.variables.insert(g, n.trim().to_string());
                }
                Elem::Skip
            }
            (Elem::Project, "Cases") => Elem::Cases,
            (Elem::Cases, "Case") => {
                p.cases.push(Case {
                    name: get(attrs, "name").filter(|n| !n.trim().is_empty()),
                    ..Case::default()
                });
                Elem::Case(p.cases.len() - 1)
            }
            (Elem::Case(i), "SourceRef") => {
                p.cases[i].sources.extend(get_guid(attrs, "targetGUID"));
                Elem::Skip
            }
            (Elem::Case(i), "SelectionRef") => {
                p.cases[i].selections.extend(get_guid(attrs, "targetGUID"));
                Elem::Skip
            }
            (Elem::Case(i), "VariableValue") => {
                self.value = Some((Owner::Case(i), None, String::new()));
                Elem::Value
            }
            _ => return None,
        })
    }

    /// The sources and what is inside them: text, selections, codings, variable values.
    fn open_source_part(
        &mut self,
        parent: Option<Elem>,
        name: &str,
        attrs: &[(String, String)],
        line: usize,
    ) -> Elem {
        let p = &mut self.p;
        match (parent, name) {
            (Some(Elem::Project), "Sources") => Elem::Sources,
            (Some(Elem::Sources), "TextSource") | (Some(Elem::Pdf), "Representation") => {
                let name = match parent {
                    // The PDF's source was pushed as a placeholder: replace it.
                    Some(Elem::Pdf) => p.sources.pop().map(|s| s.name).unwrap_or_default(),
                    _ => get(attrs, "name").unwrap_or_default(),
                };
                p.sources.push(Source {
                    line,
                    guid: get_guid(attrs, "guid"),
                    name: name.trim().to_string(),
                    path: get(attrs, "plainTextPath"),
                    ..Source::default()
                });
                Elem::Source(p.sources.len() - 1)
            }
            (Some(Elem::Sources), "PDFSource") => {
                // A placeholder that carries the PDF's name to its representation.
                p.sources.push(Source {
                    line,
                    name: get(attrs, "name").unwrap_or_default(),
                    ..Source::default()
                });
                Elem::Pdf
            }
            (Some(Elem::Source(i)), "PlainTextContent") => {
                p.sources[i].content = Some(String::new());
                Elem::Content(i)
            }
            (Some(Elem::Source(i)), "PlainTextSelection") => {
                p.sources[i].selections.push(selection(attrs, line));
                Elem::Selection(i, p.sources[i].selections.len() - 1)
            }
            (Some(Elem::Selection(i, j)), "Coding") => {
                let sel = &mut p.sources[i].selections[j];
                sel.codings.push(Coding {
                    line,
                    code: None,
                    user: get_guid(attrs, "creatingUser"),
                });
                Elem::Coding(i, j, sel.codings.len() - 1)
            }
            (Some(Elem::Coding(i, j, k)), "CodeRef") => {
                p.sources[i].selections[j].codings[k].code = get_guid(attrs, "targetGUID");
                Elem::Skip
            }
            (Some(Elem::Source(_)), "Coding") => {
                p.source_codings += 1;
                Elem::Skip
            }
            (Some(Elem::Source(i)), "VariableValue") => {
                self.value = Some((Owner::Source(i), None, String::new()));
                Elem::Value
            }
            (Some(Elem::Value), "VariableRef") => {
                if let Some(v) = self.value.as_mut() {
                    v.1 = get_guid(attrs, "targetGUID");
                }
                Elem::Skip
            }
            (Some(Elem::Value), n) if VALUE_ELEMENTS.contains(&n) => Elem::ValueText,
            (Some(_), n) if OTHER_SELECTIONS.contains(&n) => {
                if self.stack.get(1) == Some(&Elem::Sources) {
                    *p.other_selections.entry(n.to_string()).or_default() += 1;
                }
                Elem::Skip
            }
            _ => Elem::Skip,
        }
    }

    /// The innermost open element ends at byte `end`.
    fn close(&mut self, end: u64) {
        let Some(elem) = self.stack.pop() else { return };
        if elem == Elem::CodeBook && self.stack.last() == Some(&Elem::Project) {
            if let Some((start, line)) = self.codebook_start.take() {
                self.p.codebook = Some((start..end as usize, line));
            }
        }
        self.finish(elem);
    }

    /// Finishes an element: a variable value goes to its owner.
    fn finish(&mut self, elem: Elem) {
        if elem != Elem::Value {
            return;
        }
        if let Some((who, Some(var), text)) = self.value.take() {
            let text = text.trim().to_string();
            match who {
                Owner::Source(i) => self.p.sources[i].values.push((var, text)),
                Owner::Case(i) => self.p.cases[i].values.push((var, text)),
            }
        }
    }

    /// Where the text of the current element goes, if it is read.
    fn text_target(&mut self) -> Option<&mut String> {
        match self.stack.last() {
            Some(&Elem::Content(i)) => self.p.sources[i].content.as_mut(),
            Some(Elem::ValueText) => self.value.as_mut().map(|v| &mut v.2),
            _ => None,
        }
    }
}

/// A `<PlainTextSelection>` from its attributes.
fn selection(attrs: &[(String, String)], line: usize) -> Selection {
    let mut sel = Selection {
        line,
        guid: get_guid(attrs, "guid"),
        name: get(attrs, "name").unwrap_or_default(),
        user: get_guid(attrs, "creatingUser").or_else(|| get_guid(attrs, "modifyingUser")),
        ..Selection::default()
    };
    for key in ["startPosition", "endPosition"] {
        let raw = get(attrs, key);
        let parsed = raw.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
        if parsed.is_none() && sel.bad_position.is_none() {
            sel.bad_position = Some((key.to_string(), raw.unwrap_or_default()));
        }
        if key == "startPosition" {
            sel.start = parsed;
        } else {
            sel.end = parsed;
        }
    }
    sel
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(xml: &str) -> Result<Project> {
        parse_project(Path::new("p.qde"), xml)
    }

    fn error(xml: &str) -> String {
        project(xml).unwrap_err().to_string()
    }

    #[test]
    fn projects_are_read_leniently() {
        let p = project(
            "\u{feff}<?xml version=\"1.0\"?><Project name=\"x\"><Users><User guid=\"{0B7F1C2A-5D3E-4F60-8A9B-1C2D3E4F5A6B}\"/></Users>\
             <Sources><TextSource guid=\"5A5A5A5A-0000-4000-8000-000000000001\" name=\"a\">\
             <PlainTextContent>A &amp; B</PlainTextContent>\
             <PlainTextSelection guid=\"00000000-0000-4000-8000-0000000000A1\" startPosition=\"0\" endPosition=\"1\">\
             <Coding guid=\"00000000-0000-4000-8000-0000000000B1\"><CodeRef targetGUID=\"{11111111-2222-4333-8444-555555555555}\"/></Coding>\
             </PlainTextSelection></TextSource></Sources></Project>"
                .trim_start_matches('\u{feff}'),
        )
        .unwrap();
        assert_eq!(
            p.users,
            [(
                "0b7f1c2a-5d3e-4f60-8a9b-1c2d3e4f5a6b".to_string(),
                "0b7f1c2a-5d3e-4f60-8a9b-1c2d3e4f5a6b".to_string()
            )]
        );
        let src = &p.sources[0];
        assert_eq!(src.content.as_deref(), Some("A & B"));
        assert_eq!(
            src.selections[0].codings[0].code.as_deref(),
            Some("11111111-2222-4333-8444-555555555555")
        );
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        assert_eq!(
            error("<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>"),
            "p.qde:2: the root element is <CodeBook>, expected <Project> (a REFI-QDA project, \
             QDA-XML Project 1.0). This is a REFI-QDA codebook (.qdc): read it with `qualkit \
             codebook convert`."
        );
        assert_eq!(
            error("PK\u{3}\u{4}"),
            "p.qde:1: this is not XML; a REFI-QDA project (.qde) starts with `<?xml` or `<Project`"
        );
        assert!(error("<Project>\n<Sources>\n</Project>")
            .starts_with("p.qde:3: this is not well-formed XML"));
        assert_eq!(
            error("<Project>\n<Sources>\n"),
            "p.qde:3: the file ends before its elements are closed; it may have been cut off"
        );
        let qde = "<Project name=\"x\"><CodeBook><Codes>\n<Code name=\"a\" isCodable=\"true\"/></Codes></CodeBook></Project>";
        let p = project(qde).unwrap();
        assert_eq!(
            p.codebook(Path::new("p.qde"), qde).unwrap_err().to_string(),
            "p.qde:2: a <Code> without a valid guid; codings refer to codes by guid, so every \
             code needs one"
        );
    }
}
