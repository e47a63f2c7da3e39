//! The codebook: themes with their rules, definitions and examples, read from TOML and
//! validated (ids, hierarchy, rules, language) with `file:line` and theme id on every error.

mod csv;
mod dictionary;
mod doc;
pub mod format;
mod language;
pub mod lint;
mod liwc;
pub(crate) mod qdc;
mod taguette;
mod toml;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use format::{CodebookFormat, Exported, ImportOptions};
pub use language::Language;
pub use qdc::{code_guid, id_from_code_name, normalize_guid, CODE_GUID_NAMESPACE};

use crate::display::shorten;
use crate::error::{Error, Result};

/// The words of a term (`keep their word`, `credib*`), normalised, each with whether it is a
/// `prefix*` wildcard: the term syntax shared by the engine and the lints.
pub fn term_words(term: &str) -> Vec<(String, bool)> {
    let mut ranges = Vec::new();
    crate::tokenize::tokenize_into(term, &mut ranges);
    ranges
        .into_iter()
        .map(|r| (crate::tokenize::normalize(&term[r.clone()]), term[r.end..].starts_with('*')))
        .collect()
}

/// The 1-based line of any byte offset of a text, found by binary search over its line
/// ends: locating every value of a large codebook stays linear in its size.
#[derive(Debug)]
pub(crate) struct LineIndex {
    /// Byte offset of every `\n`.
    newlines: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The 1-based line holding byte `offset` (one past the last line for offsets past the end).
    pub(crate) fn line(&self, offset: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < offset)
    }
}

/// A value from a codebook file together with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its 1-based line in the codebook file.
    pub line: usize,
}

/// A proximity rule: a match of `a` and a match of `b` at most `within` tokens apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// A term (word, `prefix*` or phrase).
    pub a: String,
    /// A term (word, `prefix*` or phrase).
    pub b: String,
    /// The largest allowed distance in tokens (adjacent tokens are 1 apart).
    pub within: usize,
}

impl std::fmt::Display for Near {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} NEAR/{} {}", self.a, self.within, self.b)
    }
}

/// One theme (code) of the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Unique id, `[a-z0-9_-]+`.
    pub id: String,
    /// Human label (defaults to the id).
    pub label: String,
    /// The id of the parent theme, if any.
    pub parent: Option<Located<String>>,
    /// A display colour, `#RRGGBB` or `#RGB` (kept for REFI-QDA exchange and reports).
    pub color: Option<String>,
    /// One-line definition.
    pub brief: Option<String>,
    /// Full definition.
    pub definition: Option<String>,
    /// When to apply the code.
    pub when_to_use: Option<String>,
    /// When not to apply it.
    pub when_not_to_use: Option<String>,
    /// Words, `prefix*` wildcards and phrases.
    pub terms: Vec<Located<String>>,
    /// Case-insensitive regular expressions on the turn text.
    pub patterns: Vec<Located<String>>,
    /// Proximity rules.
    pub near: Vec<Located<Near>>,
    /// Terms whose matches veto this theme's overlapping matches.
    pub exclude: Vec<Located<String>>,
    /// Sentences that must be coded with this theme.
    pub examples: Vec<Located<String>>,
    /// Sentences that must not be coded with this theme.
    pub counterexamples: Vec<Located<String>>,
    /// The line of the theme's `id`.
    pub line: usize,
}

impl Theme {
    /// Trims the prose fields and the items of every list but `patterns` (where spaces are
    /// part of the regex), dropping blank items: white space around a value never means
    /// anything, and dropping it lets every format carry the codebook exactly.
    fn tidy(&mut self) {
        self.id = self.id.trim().to_string();
        self.label = self.label.trim().to_string();
        if self.label.is_empty() {
            self.label = self.id.clone();
        }
        if let Some(p) = &mut self.parent {
            p.value = p.value.trim().to_string();
        }
        self.color = tidy(self.color.take());
        self.brief = tidy(self.brief.take());
        self.definition = tidy(self.definition.take());
        self.when_to_use = tidy(self.when_to_use.take());
        self.when_not_to_use = tidy(self.when_not_to_use.take());
        for list in
            [&mut self.terms, &mut self.exclude, &mut self.examples, &mut self.counterexamples]
        {
            for item in list.iter_mut() {
                item.value = item.value.trim().to_string();
            }
            list.retain(|item| !item.value.is_empty());
        }
        for n in &mut self.near {
            n.value.a = n.value.a.trim().to_string();
            n.value.b = n.value.b.trim().to_string();
        }
    }

    /// Whether the theme has any rule of its own.
    pub fn has_rules(&self) -> bool {
        !(self.terms.is_empty() && self.patterns.is_empty() && self.near.is_empty())
    }
}

/// A validated codebook.
#[derive(Debug, Clone)]
pub struct Codebook {
    /// The file it was read from.
    pub path: PathBuf,
    /// The codebook's name.
    pub name: String,
    /// Prose describing the codebook.
    pub description: Option<String>,
    /// The language whose stemmer is used.
    pub language: Language,
    /// Whether one-word terms match by stem (true) or exactly (false).
    pub stemming: bool,
    /// The themes, in file order.
    pub themes: Vec<Theme>,
    /// Parent index of each theme.
    parents: Vec<Option<usize>>,
    /// Theme indices in codebook order: roots in file order, each followed by its subtree.
    order: Vec<usize>,
    /// What reading the file left out or changed (e.g. LIWC entries qualkit cannot use),
    /// one sentence each, for the user to see.
    pub notes: Vec<String>,
}

impl Codebook {
    /// Reads and validates a codebook file in the format its extension names (TOML unless
    /// the extension says otherwise).
    pub fn load(path: &Path) -> Result<Codebook> {
        let format = CodebookFormat::from_path(path).unwrap_or(CodebookFormat::Toml);
        Codebook::import(path, format, &ImportOptions::default())
    }

    /// Reads and validates a codebook file in `format`.
    pub fn import(
        path: &Path,
        format: CodebookFormat,
        options: &ImportOptions,
    ) -> Result<Codebook> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
        Codebook::from_bytes(path, bytes, format, options)
    }

    /// Reads and validates the content `bytes` of a codebook file in `format`; `path` is
    /// used in messages. Whatever the bytes, the result is a codebook or an error that names
    /// the file (what the fuzz targets and property tests drive).
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        format: CodebookFormat,
        options: &ImportOptions,
    ) -> Result<Codebook> {
        let bytes = match format {
            CodebookFormat::Xlsx => {
                crate::imports::sheet::read_workbook_bytes(path, bytes)?.to_csv().into_bytes()
            }
            _ => bytes,
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            Error::codebook(
                path,
                Some(1 + valid.iter().filter(|&&b| b == b'\n').count()),
                None,
                format!(
                    "the file is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let raw = format::parse(path, text, format, options)?;
        Codebook::build(path, raw)
    }

    /// A codebook of another tool's codes, `(name, parent)` in order (a parent before its
    /// children), named `name`: ids from the names, each leaf's name as its term, as a `.qdc`
    /// of another tool is read. The themes are in the order of `codes`.
    pub fn of_code_list(
        path: &Path,
        name: &str,
        codes: Vec<(String, Option<usize>)>,
    ) -> Result<Codebook> {
        let listed = codes
            .into_iter()
            .map(|(name, parent)| qdc::ListedCode {
                line: 0,
                name,
                description: String::new(),
                parent,
            })
            .collect();
        let mut raw = qdc::from_list(path, listed, Vec::new())?;
        raw.name = name.to_string();
        Codebook::build(path, raw)
    }

    /// Parses and validates a TOML codebook; `path` is used in messages.
    pub fn from_toml_str(path: &Path, text: &str) -> Result<Codebook> {
        let raw = toml::parse(path, text)?;
        Codebook::build(path, raw)
    }

    /// Parses and validates the text of a codebook in `format` (a codebook held inside
    /// another file, such as the `<CodeBook>` of a REFI-QDA project); `path` is used in
    /// messages.
    pub fn parse(path: &Path, text: &str, format: CodebookFormat) -> Result<Codebook> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw = format::parse(path, text, format, &ImportOptions::default())?;
        Codebook::build(path, raw)
    }

    /// A REFI-QDA codebook (a `.qdc`, or a project's `<CodeBook>`), with the GUID and line of
    /// each theme's code, in theme order: a project's codings name codes by GUID.
    pub(crate) fn parse_qdc_codes(
        path: &Path,
        text: &str,
    ) -> Result<(Codebook, Vec<qdc::CodeRef>)> {
        let (raw, codes) = qdc::parse_codes(path, text)?;
        Ok((Codebook::build(path, raw)?, codes))
    }

    /// A codebook of one theme, `id`, whose rules are `terms` (words, `prefix*` wildcards and
    /// phrases, one rule each, numbered from line 1 in the order given): what a codebook term
    /// would match, for exploring words before they go into a codebook. `path` names the
    /// source in messages.
    pub fn from_terms(
        path: &Path,
        id: &str,
        terms: &[String],
        language: Language,
        stemming: bool,
    ) -> Result<Codebook> {
        let theme = Theme {
            id: id.to_string(),
            label: id.to_string(),
            parent: None,
            color: None,
            brief: None,
            definition: None,
            when_to_use: None,
            when_not_to_use: None,
            terms: terms
                .iter()
                .enumerate()
                .map(|(i, t)| Located { value: t.clone(), line: i + 1 })
                .collect(),
            patterns: Vec::new(),
            near: Vec::new(),
            exclude: Vec::new(),
            examples: Vec::new(),
            counterexamples: Vec::new(),
            line: 1,
        };
        let raw = RawCodebook {
            name: id.to_string(),
            description: None,
            language,
            stemming,
            themes: vec![theme],
            notes: Vec::new(),
        };
        Codebook::build(path, raw)
    }

    /// Writes the codebook in `format` (see [`format::export`]).
    pub fn export(&self, format: CodebookFormat) -> Result<Exported> {
        format::export(self, format)
    }

    /// Checks the raw themes (ids, parents, nesting, rules) and links them into a codebook.
    fn build(path: &Path, raw: RawCodebook) -> Result<Codebook> {
        let RawCodebook { name, description, language, stemming, mut themes, notes } = raw;
        let name = name.trim().to_string();
        let description = tidy(description);
        for t in &mut themes {
            t.tidy();
        }
        let parents = {
            let by_id = check_ids(path, &themes)?;
            resolve_parents(path, &themes, &by_id)?
        };
        check_no_cycles(path, &themes, &parents)?;
        let order = tree_order(&parents);
        check_depth(path, &themes, &parents, &order)?;
        check_codable(path, &themes, &parents)?;
        Ok(Codebook {
            path: path.to_path_buf(),
            name,
            description,
            language,
            stemming,
            themes,
            parents,
            order,
            notes,
        })
    }

    /// Theme indices in codebook order: parents before children, siblings in file order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The same codebook with its themes listed in codebook order.
    fn in_codebook_order(&self) -> Codebook {
        let mut position = vec![0; self.themes.len()];
        for (new, &old) in self.order.iter().enumerate() {
            position[old] = new;
        }
        Codebook {
            themes: self.order.iter().map(|&i| self.themes[i].clone()).collect(),
            parents: self.order.iter().map(|&i| self.parents[i].map(|p| position[p])).collect(),
            order: (0..self.themes.len()).collect(),
            ..self.clone()
        }
    }

    /// The parent index of theme `i`.
    pub fn parent_of(&self, i: usize) -> Option<usize> {
        self.parents[i]
    }

    /// The index of the theme with `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// Theme `i` and all its ancestors, nearest first.
    pub fn self_and_ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut cur = i;
        while let Some(p) = self.parents[cur] {
            out.push(p);
            cur = p;
        }
        out
    }
}

/// The error about theme `t` at `line` of codebook `path`.
fn theme_error(path: &Path, line: usize, t: &Theme, message: String) -> Error {
    Error::codebook(path, Some(line), Some(&t.id), message)
}

/// Checks that ids are valid and unique; the index of each id's theme.
fn check_ids<'a>(path: &Path, themes: &'a [Theme]) -> Result<HashMap<&'a str, usize>> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(themes.len());
    for (i, t) in themes.iter().enumerate() {
        let valid = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-';
        if t.id.is_empty() || !t.id.bytes().all(valid) {
            return Err(theme_error(
                path,
                t.line,
                t,
                "invalid id; ids use only lowercase letters, digits, `_` and `-` (e.g. `trust_honesty`)".into(),
            ));
        }
        if let Some(&first) = by_id.get(t.id.as_str()) {
            return Err(theme_error(
                path,
                t.line,
                t,
                format!(
                    "duplicate id: already defined at line {}; give each theme its own id",
                    themes[first].line
                ),
            ));
        }
        by_id.insert(t.id.as_str(), i);
    }
    Ok(by_id)
}

/// The index of each theme's parent, every parent named being a known id.
fn resolve_parents(
    path: &Path,
    themes: &[Theme],
    by_id: &HashMap<&str, usize>,
) -> Result<Vec<Option<usize>>> {
    themes
        .iter()
        .map(|t| match &t.parent {
            None => Ok(None),
            Some(p) => by_id.get(p.value.as_str()).map(|&j| Some(j)).ok_or_else(|| {
                theme_error(
                    path,
                    p.line,
                    t,
                    format!("unknown parent `{}`; no theme has that id", p.value),
                )
            }),
        })
        .collect()
}

/// Checks that every chain of parents ends. Walks up from each theme; meeting a theme of
/// the current walk is a cycle. Linear in the number of themes, however deep the chains.
fn check_no_cycles(path: &Path, themes: &[Theme], parents: &[Option<usize>]) -> Result<()> {
    let mut state = vec![0u8; themes.len()]; // 0 unseen, 1 on the current walk, 2 done
    for (start, t) in themes.iter().enumerate() {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    return Err(theme_error(
                        path,
                        t.parent.as_ref().map_or(t.line, |p| p.line),
                        t,
                        "parent cycle: following `parent` from this theme comes back to a \
                         theme already visited; every chain of parents must end at a theme \
                         without one"
                            .into(),
                    ));
                }
                _ => {
                    state[i] = 1;
                    walk.push(i);
                    cur = parents[i];
                }
            }
        }
        for i in walk {
            state[i] = 2;
        }
    }
    Ok(())
}

/// Checks that no theme is nested deeper than [`MAX_PARENT_DEPTH`]; `order` lists parents
/// before their children.
fn check_depth(
    path: &Path,
    themes: &[Theme],
    parents: &[Option<usize>],
    order: &[usize],
) -> Result<()> {
    let mut depth = vec![0usize; themes.len()];
    for &i in order {
        depth[i] = parents[i].map_or(0, |p| depth[p] + 1);
    }
    let Some(i) = (0..themes.len()).find(|&i| depth[i] > MAX_PARENT_DEPTH) else {
        return Ok(());
    };
    let t = &themes[i];
    let mut root = i;
    while let Some(p) = parents[root] {
        root = p;
    }
    Err(theme_error(
        path,
        t.parent.as_ref().map_or(t.line, |p| p.line),
        t,
        format!(
            "the theme is nested {} levels below `{}`; qualkit accepts at most \
             {MAX_PARENT_DEPTH} levels of parents (every level adds the theme's mentions to \
             one more parent): attach it to a theme higher up",
            depth[i], themes[root].id
        ),
    ))
}

/// Checks that every theme can be coded (has rules or children) and that its rules are valid.
fn check_codable(path: &Path, themes: &[Theme], parents: &[Option<usize>]) -> Result<()> {
    let mut has_children = vec![false; themes.len()];
    for p in parents.iter().flatten() {
        has_children[*p] = true;
    }
    for (i, t) in themes.iter().enumerate() {
        if !t.has_rules() && !has_children[i] {
            return Err(theme_error(
                path,
                t.line,
                t,
                "the theme has no terms, patterns or near rules and no child themes, so it can never be coded; \
                 add rules or remove it"
                    .into(),
            ));
        }
        validate_rules(path, t)?;
    }
    Ok(())
}

/// Pre-order traversal of the forest given by `parents` (iterative: chains may be deep).
fn tree_order(parents: &[Option<usize>]) -> Vec<usize> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); parents.len()];
    let mut roots = Vec::new();
    for (i, p) in parents.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(parents.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    order
}

/// Checks one theme's rules: terms have words, regexes compile, `within` is positive.
fn validate_rules(path: &Path, t: &Theme) -> Result<()> {
    let err = |line: usize, msg: String| Error::codebook(path, Some(line), Some(&t.id), msg);
    let check_term = |kind: &str, term: &str, line: usize| -> Result<()> {
        if crate::tokenize::tokenize(term).is_empty() {
            return Err(err(
                line,
                format!("{kind} `{term}` has no words; a term needs at least one letter or digit"),
            ));
        }
        Ok(())
    };
    if let Some(color) = &t.color {
        let hex = color.strip_prefix('#').unwrap_or("");
        if !(hex.len() == 6 || hex.len() == 3) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err(
                t.line,
                format!(
                    "color `{color}` is not a colour; write `#RRGGBB` or `#RGB`, e.g. `#1f77b4`"
                ),
            ));
        }
    }
    for term in &t.terms {
        check_term("term", &term.value, term.line)?;
    }
    for term in &t.exclude {
        check_term("exclude term", &term.value, term.line)?;
    }
    for near in &t.near {
        check_term("near term `a`", &near.value.a, near.line)?;
        check_term("near term `b`", &near.value.b, near.line)?;
        if near.value.within == 0 {
            return Err(err(
                near.line,
                "near rule has `within = 0`; adjacent words are 1 apart, so use 1 or more".into(),
            ));
        }
    }
    for p in &t.patterns {
        match compile_pattern(&p.value) {
            Ok(_) => {}
            Err(regex::Error::CompiledTooBig(limit)) => {
                return Err(err(
                    p.line,
                    format!(
                        "regex `{}` is too large once compiled (over the limit of {} MB): \
                         counted repetitions (`{{1000}}`) and classes such as `\\w` multiply its \
                         size; write a shorter pattern, or use terms",
                        shorten(&p.value, 80),
                        limit / (1 << 20)
                    ),
                ))
            }
            Err(e) => {
                return Err(err(
                    p.line,
                    format!("invalid regex `{}`: {}", p.value, regex_problem(&e.to_string())),
                ))
            }
        }
    }
    Ok(())
}

/// The most levels of parents above a theme: deeper hierarchies are an error. Real codebooks
/// nest a handful of levels; the limit bounds the work of rolling every mention up to its
/// ancestors.
pub const MAX_PARENT_DEPTH: usize = 100;

/// The size limit for one compiled pattern (a guard against patterns that explode).
pub const PATTERN_SIZE_LIMIT: usize = 10 * (1 << 20);

/// Compiles a codebook pattern: case-insensitive, Unicode, with a size limit.
pub fn compile_pattern(pattern: &str) -> std::result::Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).case_insensitive(true).size_limit(PATTERN_SIZE_LIMIT).build()
}

/// A regex crate error in one line: the multi-line syntax report (`regex parse error:`, the
/// pattern, a caret under the place, `error: what`) becomes `what (at character N)`; other
/// errors keep their lines, joined.
fn regex_problem(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
    let what = lines.last().and_then(|l| l.strip_prefix("error: "));
    let caret = lines.iter().find(|l| l.trim() == "^" || l.trim().chars().all(|c| c == '^'));
    match (what, caret, lines.get(1)) {
        (Some(what), Some(caret), Some(pattern)) => {
            let indent = pattern.len() - pattern.trim_start().len();
            let at = caret.find('^').unwrap_or(indent).saturating_sub(indent) + 1;
            format!("{what} (at character {at})")
        }
        (Some(what), _, _) => what.to_string(),
        _ => lines.join(" | "),
    }
}

/// A codebook as read from a file, before validation.
#[derive(Debug)]
struct RawCodebook {
    name: String,
    description: Option<String>,
    language: Language,
    stemming: bool,
    themes: Vec<Theme>,
    /// What reading left out or changed.
    notes: Vec<String>,
}

/// The name of a codebook whose file gives none: the file name without its extension.
fn default_name(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Surrounding white space removed; blank is absent.
fn tidy(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
