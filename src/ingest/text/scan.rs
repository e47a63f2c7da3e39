//! Pass one over a transcript's body: what each line could be (the turn openings it may
//! be read as), and which speaker labels the file uses — a label is a speaker's when it
//! recurs, when something names it, or (the documented `Name:` form) when it is written
//! as a name with a colon after the talk has begun.

use std::collections::HashMap;
use std::ops::Range;

use super::forms::{self, Candidate, Delimiter};
use super::header::{self, HeaderKind};
use super::{is_default_moderator, is_group_label, speaker_key, RawLine, TextOptions};
use crate::ingest::office::Emphasis;
use crate::model::Role;

/// A non-blank line of the body.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub(crate) number: usize,
    /// The line, trimmed.
    pub(crate) text: &'a str,
    /// Whether it opens a paragraph: a blank line (or the start) is before it, or the file
    /// has no blank lines at all (then each line is a paragraph).
    pub(crate) para_start: bool,
    /// In a file without blank lines, whether it looks like the wrap of the line before:
    /// that line ends mid-sentence and this one starts in lowercase.
    pub(crate) wrap: bool,
    /// The emphasis of its whole paragraph (documents).
    pub(crate) whole: Option<Emphasis>,
    /// Its readings as a turn opening, in [`Scan::cands`], strongest first.
    pub(crate) cands: Range<usize>,
    /// The reading that opens a turn, if one does (set once the labels are settled).
    opening: Option<usize>,
}

/// A reading of a line as a turn opening, with its label's entry in [`Scan::keys`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand<'a> {
    pub(crate) form: Candidate<'a>,
    pub(crate) key: usize,
    /// Written in a form no header line takes: after a timestamp, in brackets, in bold.
    pub(crate) marked: bool,
}

/// A label seen at the start of lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Key {
    pub(crate) key: String,
    /// The lines it opens.
    pub(crate) lines: usize,
    /// Named by the front matter, `--moderators`, the participants file or a roster.
    pub(crate) listed: bool,
    /// A moderator or group label by the built-in rules (`Moderator`, `TODOS`).
    pub(crate) by_rule: bool,
    last_line: usize,
}

/// A roster line of the header: the label used in the talk (normalised), the full name it
/// stands for, and the role a role word set.
#[derive(Debug, Clone)]
pub(crate) struct RosterEntry {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) role: Option<Role>,
}

/// What pass one found.
#[derive(Debug)]
pub(crate) struct Scan<'a> {
    pub(crate) lines: Vec<Line<'a>>,
    pub(crate) cands: Vec<Cand<'a>>,
    pub(crate) keys: Vec<Key>,
    /// The roster entries of the header (`ANA GÓMEZ, MODERADORA (P)`).
    pub(crate) roster: Vec<RosterEntry>,
    /// The first line opened by a recurring or named label (`lines.len()` when none).
    first_strong: usize,
    /// At least two lines open with a name and a colon: the file uses the `Name:` form.
    colon_convention: bool,
    /// Lines opened by a name seen once, with a colon.
    weak_lines: usize,
    /// The delimiters other than `:` that open two or more lines with recurring or named
    /// labels: the file's own convention, in which a name seen once is a speaker too.
    established: Vec<Delimiter>,
}

/// Metadata keys of headers (`Date: …`, `Lugar: …`): before the talk, never a speaker
/// seen once.
const METADATA_KEYS: &[&str] = &[
    "date",
    "time",
    "location",
    "place",
    "site",
    "group",
    "title",
    "session",
    "participants",
    "duration",
    "project",
    "topic",
    "language",
    "recorded",
    "recording",
    "transcript",
    "transcriber",
    "transcribed by",
    "audio",
    "file",
    "note",
    "notes",
    "attendees",
    "present",
    "fecha",
    "hora",
    "lugar",
    "sitio",
    "grupo",
    "título",
    "titulo",
    "sesión",
    "sesion",
    "participantes",
    "duración",
    "duracion",
    "proyecto",
    "tema",
    "idioma",
    "grabación",
    "transcripción",
    "archivo",
    "nota",
    "notas",
    "segmentación",
    "segmentacion",
    "segmento",
    "asistentes",
    "lieu",
    "heure",
    "titre",
    "durée",
    "sujet",
    "datum",
    "zeit",
    "ort",
    "thema",
];

/// Single words that open sentences with a dash or a tab after them (`Yes — I do`): not
/// labels even when they recur.
const FILLERS: &[&str] = &[
    "yes", "no", "well", "so", "and", "but", "or", "okay", "ok", "oh", "um", "uh", "right", "sure",
    "exactly", "true", "also", "then", "now", "like", "i", "we", "you", "they", "he", "she", "it",
    "sí", "si", "bueno", "pues", "y", "o", "pero", "entonces", "claro", "vale", "yo", "oui", "non",
    "alors", "mais", "et", "donc", "je", "ja", "nein", "aber", "und", "ich",
];

impl<'a> Scan<'a> {
    /// Scans `body` (the lines after the front matter). `listed` are the labels named
    /// outside the talk (front matter, `--moderators`, participants file), normalised.
    pub(crate) fn new(body: &[RawLine<'a>], options: &TextOptions, listed: &[String]) -> Scan<'a> {
        let mut scan = Scan {
            lines: Vec::with_capacity(body.len()),
            cands: Vec::new(),
            keys: Vec::new(),
            roster: Vec::new(),
            first_strong: 0,
            colon_convention: false,
            weak_lines: 0,
            established: Vec::new(),
        };
        scan.read_lines(body, options);
        for key in &mut scan.keys {
            key.listed = listed.contains(&key.key);
        }
        scan.list_initials(listed);
        scan.settle();
        scan.find_roster();
        for i in 0..scan.lines.len() {
            let range = scan.lines[i].cands.clone();
            scan.lines[i].opening = range.clone().find(|&c| scan.accepts(i, &scan.cands[c]));
        }
        scan
    }

    fn read_lines(&mut self, body: &[RawLine<'a>], options: &TextOptions) {
        let has_blank = has_inner_blank(body);
        let mut index = KeyIndex::default();
        let mut found = Vec::new();
        let mut blank_before = true;
        for raw in body {
            let text = raw.text.trim();
            if text.is_empty() {
                blank_before = true;
                continue;
            }
            let lead = raw.lead.saturating_sub(raw.text.len() - raw.text.trim_start().len());
            found.clear();
            if let Some(head) = options.speaker_pattern.as_ref().and_then(|p| p.parse(text)) {
                found.push(Candidate { head, delimiter: Delimiter::Pattern });
            }
            forms::candidates(text, lead, &mut found);
            let start = self.cands.len();
            let line_index = self.lines.len();
            for &form in &found {
                let key = self.key_index(&mut index, form.head.label, line_index);
                let marked = form.head.timestamp.is_some()
                    || text.starts_with(['[', '*', '_'])
                    || matches!(form.delimiter, Delimiter::Formatting | Delimiter::Pattern);
                self.cands.push(Cand { form, key, marked });
            }
            let wrap = !has_blank
                && text.starts_with(char::is_lowercase)
                && self.lines.last().is_some_and(|l| !ends_sentence(l.text));
            self.lines.push(Line {
                number: raw.number,
                text,
                para_start: blank_before || !has_blank,
                wrap,
                whole: raw.whole,
                cands: start..self.cands.len(),
                opening: None,
            });
            blank_before = false;
        }
    }

    /// The entry of `label`, counting `line` once.
    fn key_index(&mut self, index: &mut KeyIndex<'a>, label: &'a str, line: usize) -> usize {
        let i = match index.find(label) {
            Some(i) => i,
            None => {
                let i = self.key_of(index, label);
                index.remember(label, i);
                i
            }
        };
        let entry = &mut self.keys[i];
        if entry.last_line != line {
            entry.lines += 1;
            entry.last_line = line;
        }
        i
    }

    /// The entry of the normalised `label`, added if new.
    fn key_of(&mut self, index: &mut KeyIndex<'a>, label: &str) -> usize {
        let key = speaker_key(label);
        if let Some(&i) = index.by_key.get(&key) {
            return i;
        }
        let by_rule = is_default_moderator(label) || is_group_label(&key);
        let entry = Key { key: key.clone(), by_rule, last_line: usize::MAX, ..Key::default() };
        self.keys.push(entry);
        index.by_key.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }

    /// Finds the file's delimiters, where the talk begins and whether the file writes
    /// `Name:`.
    fn settle(&mut self) {
        self.established = self.established_delimiters();
        self.first_strong = (0..self.lines.len())
            .find(|&i| self.line_cands(i).iter().any(|c| self.is_strong(c)))
            .unwrap_or(self.lines.len());
        let (mut colon_lines, mut weak_lines) = (0, 0);
        for i in 0..self.lines.len() {
            let cands = self.line_cands(i);
            if cands.iter().any(|c| self.is_weak(c)) {
                weak_lines += 1;
            }
            if cands.iter().any(|c| is_colonish(c) && (self.is_strong(c) || self.is_weak(c))) {
                colon_lines += 1;
            }
        }
        self.weak_lines = weak_lines;
        self.colon_convention = colon_lines >= 2;
    }

    fn established_delimiters(&self) -> Vec<Delimiter> {
        let mut counts: Vec<(Delimiter, usize)> = Vec::new();
        for i in 0..self.lines.len() {
            let Some(c) = self.line_cands(i).iter().find(|c| self.recurs_or_listed(c)) else {
                continue;
            };
            match counts.iter_mut().find(|(d, _)| *d == c.form.delimiter) {
                Some(entry) => entry.1 += 1,
                None => counts.push((c.form.delimiter, 1)),
            }
        }
        counts
            .into_iter()
            .filter(|&(d, n)| n >= 2 && !is_colonish_delimiter(d))
            .map(|(d, _)| d)
            .collect()
    }

    /// A label named outside the talk, or one that opens two lines or more.
    fn recurs_or_listed(&self, c: &Cand<'_>) -> bool {
        let k = &self.keys[c.key];
        k.listed || (k.lines >= 2 && (is_colonish(c) || !FILLERS.contains(&k.key.as_str())))
    }

    /// Lists the labels that give a name and initials (`Aaron van Wirdum (AvW)`) when the
    /// initials recur or something names the name: the first turn of a speaker.
    fn list_initials(&mut self, listed: &[String]) {
        for i in 0..self.keys.len() {
            let Some((name, abbr)) = forms::split_initials(&self.keys[i].key) else {
                continue;
            };
            let abbr = speaker_key(abbr);
            let named = listed.contains(&speaker_key(name));
            if named || self.keys.iter().any(|k| k.key == abbr && k.lines >= 2) {
                self.keys[i].listed = true;
            }
        }
    }

    /// Reads the roster lines of the header (`NOMBRE APELLIDO, MODERADOR (P)`): each names
    /// its label, which may then open turns even once.
    fn find_roster(&mut self) {
        for i in 0..self.first_strong {
            if let HeaderKind::Roster { label, name, role } = header::classify(self.lines[i].text) {
                let key = speaker_key(&label);
                if let Some(k) = self.keys.iter_mut().find(|k| k.key == key) {
                    k.listed = true;
                }
                self.roster.push(RosterEntry { key, name, role });
            }
        }
        if !self.roster.is_empty() {
            self.settle();
        }
    }

    pub(crate) fn line_cands(&self, i: usize) -> &[Cand<'a>] {
        &self.cands[self.lines[i].cands.clone()]
    }

    /// A label that opens turns wherever it is: named, recurring, or a moderator or group
    /// label with a colon.
    fn is_strong(&self, c: &Cand<'_>) -> bool {
        if c.form.delimiter == Delimiter::Pattern {
            return true;
        }
        let k = &self.keys[c.key];
        let spoken = !c.form.head.text.is_empty() || c.marked;
        self.recurs_or_listed(c) || (self.in_convention(c) && k.by_rule && spoken)
    }

    /// A name with a colon seen once (`Rosa: …`): a speaker once the talk has begun.
    fn is_weak(&self, c: &Cand<'_>) -> bool {
        let k = &self.keys[c.key];
        self.in_convention(c)
            && k.lines == 1
            && forms::is_name_like(c.form.head.label)
            && !FILLERS.contains(&k.key.as_str())
    }

    /// Whether `c` is written with `:` (or in bold), or with a delimiter the file uses.
    fn in_convention(&self, c: &Cand<'_>) -> bool {
        is_colonish(c) || self.established.contains(&c.form.delimiter)
    }

    /// Whether candidate `c` of line `i` opens a turn.
    fn accepts(&self, i: usize, c: &Cand<'_>) -> bool {
        if self.is_strong(c) {
            return true;
        }
        if !self.is_weak(c) {
            return false;
        }
        if i >= self.first_strong {
            return true;
        }
        // Before the talk: a header line such as `Date: …` is not a speaker.
        if METADATA_KEYS.contains(&self.keys[c.key].key.as_str()) {
            return false;
        }
        c.marked
            || (self.first_strong == self.lines.len() && (self.weak_lines >= 2 || i == 0))
            || (self.colon_convention && header::is_sentence(c.form.head.text))
    }

    /// The reading of line `i` as a turn opening, if it opens one.
    pub(crate) fn opening(&self, i: usize) -> Option<&Cand<'a>> {
        self.lines[i].opening.map(|c| &self.cands[c])
    }

    /// The normalised label of key `k`.
    pub(crate) fn key(&self, k: usize) -> &str {
        &self.keys[k].key
    }
}

/// The label entries found so far: by the label as written (the first few: most files use a
/// handful of labels, each written one way), and by normalised label.
#[derive(Default)]
struct KeyIndex<'a> {
    written: Vec<(&'a str, usize)>,
    by_key: HashMap<String, usize>,
}

impl<'a> KeyIndex<'a> {
    /// The most labels remembered as written.
    const WRITTEN: usize = 32;

    fn find(&self, label: &str) -> Option<usize> {
        self.written.iter().find(|(l, _)| *l == label).map(|&(_, i)| i)
    }

    fn remember(&mut self, label: &'a str, i: usize) {
        if self.written.len() < Self::WRITTEN {
            self.written.push((label, i));
        }
    }
}

fn is_colonish(c: &Cand<'_>) -> bool {
    is_colonish_delimiter(c.form.delimiter)
}

fn is_colonish_delimiter(d: Delimiter) -> bool {
    matches!(d, Delimiter::Colon | Delimiter::Formatting)
}

/// Whether `text` ends as a sentence or an aside ends (`.`, `?`, `!`, `…`, `)`, `]`).
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '”', '»', '\'', '’', '*', '_'])
        .ends_with(['.', '?', '!', '…', ')', ']'])
}

/// Whether a blank line separates two non-blank lines of `body`.
fn has_inner_blank(body: &[RawLine<'_>]) -> bool {
    let mut seen_text = false;
    let mut blank = false;
    for raw in body {
        let empty = raw.text.trim().is_empty();
        if !empty && blank && seen_text {
            return true;
        }
        if empty {
            blank = true;
        } else {
            seen_text = true;
            blank = false;
        }
    }
    false
}
