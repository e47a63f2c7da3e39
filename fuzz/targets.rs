#![allow(dead_code)]
//! The fuzz targets: one function per reader, each taking a whole file's bytes.
//!
//! A target passes when the reader returns a value or an error that names the file. On a
//! value it goes on: transcripts are coded with a small codebook and every mention is checked
//! against its turn; codebooks are compiled, linted, run on a sample text and written in every
//! format. Anything else (a panic, a failed check) is a finding.
//!
//! Shared by the fuzz driver (`fuzz/main.rs`) and the regression test
//! (`tests/fuzz_regressions.rs`).

use std::path::Path;
use std::sync::OnceLock;

use qualkit::code::{Analysis, CodingOptions};
use qualkit::code::{Coder, Engine};
use qualkit::codebook::{Codebook, CodebookFormat, ImportOptions};
use qualkit::ingest::{self, InputFile, ReadOptions};
use qualkit::model::{Format, Session};

/// The kind of file a target reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A transcript in this format.
    Transcript(Format),
    /// A codebook in this format.
    Codebook(CodebookFormat),
    /// A REFI-QDA project file (`project.qde`), read by `qualkit import qdpx`.
    Project,
}

/// One fuzz target.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Its name (`text`, `vtt`, …, `toml`, `qdc`).
    pub name: &'static str,
    /// The file extension its inputs carry.
    pub extension: &'static str,
    /// What it reads.
    pub kind: Kind,
}

/// Every target: the seven transcript readers (CSV and TSV apart), the codebook formats and the
/// dictionaries, and the REFI-QDA project reader.
pub const TARGETS: &[Target] = &[
    Target { name: "text", extension: "txt", kind: Kind::Transcript(Format::Text) },
    Target { name: "vtt", extension: "vtt", kind: Kind::Transcript(Format::Vtt) },
    Target { name: "srt", extension: "srt", kind: Kind::Transcript(Format::Srt) },
    Target { name: "sbv", extension: "sbv", kind: Kind::Transcript(Format::Sbv) },
    Target { name: "csv", extension: "csv", kind: Kind::Transcript(Format::Csv) },
    Target { name: "tsv", extension: "tsv", kind: Kind::Transcript(Format::Tsv) },
    Target { name: "docx", extension: "docx", kind: Kind::Transcript(Format::Docx) },
    Target { name: "odt", extension: "odt", kind: Kind::Transcript(Format::Odt) },
    Target { name: "toml", extension: "toml", kind: Kind::Codebook(CodebookFormat::Toml) },
    Target { name: "json", extension: "json", kind: Kind::Codebook(CodebookFormat::Json) },
    Target { name: "yaml", extension: "yaml", kind: Kind::Codebook(CodebookFormat::Yaml) },
    Target { name: "codebook-csv", extension: "csv", kind: Kind::Codebook(CodebookFormat::Csv) },
    Target { name: "dic", extension: "dic", kind: Kind::Codebook(CodebookFormat::Liwc) },
    Target { name: "qdc", extension: "qdc", kind: Kind::Codebook(CodebookFormat::Qdc) },
    Target { name: "dicx", extension: "dicx", kind: Kind::Codebook(CodebookFormat::Dicx) },
    Target { name: "cat", extension: "cat", kind: Kind::Codebook(CodebookFormat::WordStat) },
    Target { name: "ykd", extension: "ykd", kind: Kind::Codebook(CodebookFormat::Yoshikoder) },
    Target { name: "lc3", extension: "lc3", kind: Kind::Codebook(CodebookFormat::Lexicoder) },
    Target { name: "quanteda", extension: "yml", kind: Kind::Codebook(CodebookFormat::Quanteda) },
    Target { name: "taguette", extension: "csv", kind: Kind::Codebook(CodebookFormat::Taguette) },
    Target { name: "codebook-xlsx", extension: "xlsx", kind: Kind::Codebook(CodebookFormat::Xlsx) },
    Target { name: "qde", extension: "qde", kind: Kind::Project },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().copied().find(|t| t.name == name)
}

/// Runs `target` on `data`; `Err` describes a finding that is not a panic.
pub fn run(target: Target, data: &[u8]) -> Result<(), String> {
    let name = format!("fuzz-input.{}", target.extension);
    match target.kind {
        Kind::Transcript(format) => transcript(&name, format, data),
        Kind::Codebook(format) => codebook(&name, format, data),
        Kind::Project => project(data).map(|_| ()),
    }
}

/// A project target: the importer reads files, so the bytes go to a temporary `.qde` file
/// (one per call: targets may run in parallel). Returns what the import gave, or the
/// finding.
pub fn project(data: &[u8]) -> Result<String, String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir();
    let path = dir.join(format!("qualkit-fuzz-{}-{n}.qde", std::process::id()));
    std::fs::write(&path, data).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let result = qualkit::refi::import::read(&path, &qualkit::refi::import::Options::default());
    let _ = std::fs::remove_file(&path);
    match result {
        Ok(imported) => {
            for s in &imported.sessions {
                for m in s.mentions.iter().map(|m| &m.mention) {
                    let turn = s.session.turns.get(m.turn).ok_or("a mention's turn is missing")?;
                    check_mention(&turn.text, &m.bytes, &m.chars)?;
                }
            }
            Ok(format!(
                "{} themes {} sessions {} codings",
                imported.codebook.themes.len().min(4),
                imported.sessions.len().min(3),
                imported.codings.min(3)
            ))
        }
        Err(err) => {
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            names_the_file(&err.to_string(), &file)?;
            // Without the file's name, which changes from call to call.
            Ok(err.to_string().replace(&file, "fuzz-input.qde"))
        }
    }
}

/// The codebook every target codes with: terms, a wildcard, a phrase, an exclusion, regexes
/// and a proximity rule, under one parent.
pub const CODEBOOK: &str = r#"
            [[theme]]
            id = "people"
            [[theme]]
            id = "trust"
            parent = "people"
            terms = ["trust", "honest*", "keep their word", "café", "naïve"]
            exclude = ["trust fund"]
            [[theme]]
            id = "money"
            parent = "people"
            terms = ["money", "pay"]
            patterns = ['\$\d+', 'é\w*']
            near = [{ a = "cost", b = "time", within = 3 }]
            "#;

/// [`CODEBOOK`], compiled once.
pub fn engine() -> &'static (Codebook, Engine) {
    static ENGINE: OnceLock<(Codebook, Engine)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let codebook = Codebook::from_toml_str(Path::new("fuzz.toml"), CODEBOOK)
            .expect("the fuzz codebook is valid");
        let engine = Engine::new(&codebook);
        (codebook, engine)
    })
}

/// A transcript target: read, then code and check every mention.
fn transcript(name: &str, format: Format, data: &[u8]) -> Result<(), String> {
    let file = InputFile::named(name);
    let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
    let sessions = match ingest::read_bytes(&file, data.to_vec(), &options) {
        Ok(sessions) => sessions,
        Err(err) => return names_the_file(&err.to_string(), name),
    };
    // The other readings the flags force, for text and documents.
    if matches!(format, Format::Text | Format::Docx | Format::Odt) {
        use qualkit::ingest::text::{SpeakersBy, TextOptions, Unlabelled};
        let forced = [
            TextOptions { unlabelled: Unlabelled::Participant, ..TextOptions::default() },
            TextOptions { speakers_by: SpeakersBy::Formatting, ..TextOptions::default() },
        ];
        for text in forced {
            let options = ReadOptions { text, ..options.clone() };
            match ingest::read_bytes(&file, data.to_vec(), &options) {
                Ok(sessions) => check_sessions(sessions)?,
                Err(err) => names_the_file(&err.to_string(), name)?,
            }
        }
    }
    // The lossy path too, for text formats (it never fails on encoding).
    if !matches!(format, Format::Docx | Format::Odt) {
        let lossy = ReadOptions { lossy: true, ..options.clone() };
        if let Err(err) = ingest::read_bytes(&file, data.to_vec(), &lossy) {
            names_the_file(&err.to_string(), name)?;
        }
    }
    check_sessions(sessions)
}

/// Codes `sessions` and checks every turn and mention.
pub fn check_sessions(sessions: Vec<Session>) -> Result<(), String> {
    for s in &sessions {
        let _ = qualkit::ingest::inspect::inspect(s);
        check_reading(s)?;
        for (t, turn) in s.turns.iter().enumerate() {
            if turn.speaker >= s.speakers.len() {
                return Err(format!(
                    "turn {t} names speaker {} of {}",
                    turn.speaker,
                    s.speakers.len()
                ));
            }
        }
    }
    let (codebook, _) = engine();
    let analysis = Analysis::run(codebook.clone(), sessions, CodingOptions::default());
    for coded in &analysis.sessions {
        for m in &coded.mentions {
            let turn = &coded.session.turns[m.turn];
            check_mention(&turn.text, &m.bytes, &m.chars)?;
        }
    }
    Ok(())
}

/// The questions, guide turns and inferred moderator of a session point inside it, and the
/// question of each turn never goes back.
fn check_reading(s: &Session) -> Result<(), String> {
    let mut last = None;
    for (t, turn) in s.turns.iter().enumerate() {
        if turn.question.is_some_and(|q| q as usize >= s.questions.len()) || turn.question < last {
            return Err(format!("turn {t}: question {:?} of {}", turn.question, s.questions.len()));
        }
        last = turn.question;
    }
    if s.reading.guide_turns.iter().any(|&t| t >= s.turns.len())
        || s.reading.inferred_moderator.is_some_and(|i| i >= s.speakers.len())
    {
        return Err(format!("reading points outside the session: {:?}", s.reading));
    }
    Ok(())
}

/// A mention's span lies inside its turn, on character boundaries, and its character offsets
/// count the characters before and inside it.
pub fn check_mention(
    text: &str,
    bytes: &std::ops::Range<usize>,
    chars: &std::ops::Range<usize>,
) -> Result<(), String> {
    if bytes.start >= bytes.end || bytes.end > text.len() {
        return Err(format!("span {bytes:?} outside a turn of {} bytes", text.len()));
    }
    if !text.is_char_boundary(bytes.start) || !text.is_char_boundary(bytes.end) {
        return Err(format!("span {bytes:?} not on character boundaries"));
    }
    let expected = text[..bytes.start].chars().count()..text[..bytes.end].chars().count();
    if *chars != expected {
        return Err(format!("span {bytes:?}: chars {chars:?}, expected {expected:?}"));
    }
    Ok(())
}

/// A codebook target: read; on success compile, lint, code a sample and export every format.
fn codebook(name: &str, format: CodebookFormat, data: &[u8]) -> Result<(), String> {
    let path = Path::new(name);
    for stem in [false, true] {
        let options = ImportOptions { stem };
        let codebook = match Codebook::from_bytes(path, data.to_vec(), format, &options) {
            Ok(codebook) => codebook,
            Err(err) => return names_the_file(&err.to_string(), name),
        };
        let engine = Engine::new(&codebook);
        let mut coder = Coder::new(&engine);
        let sample = "Anna: I trust them, honestly; the café’s naïve money talk cost us time.";
        let (_, spans) = coder.code(sample);
        for span in &spans {
            if span.theme >= codebook.themes.len() {
                return Err(format!("span of theme {} of {}", span.theme, codebook.themes.len()));
            }
            if !sample.is_char_boundary(span.range.start)
                || !sample.is_char_boundary(span.range.end)
            {
                return Err(format!("span {:?} not on character boundaries", span.range));
            }
        }
        let _ = qualkit::codebook::lint::lint(&codebook);
        let _ = qualkit::code::examples::run(&codebook, &engine);
        for to in CodebookFormat::ALL {
            let _ = codebook.export(to);
        }
        if format != CodebookFormat::Liwc {
            break; // only LIWC reads `stem`
        }
    }
    Ok(())
}

/// An error message must name the file it is about.
fn names_the_file(message: &str, name: &str) -> Result<(), String> {
    if message.contains(name) {
        Ok(())
    } else {
        Err(format!("the error does not name the file: {message}"))
    }
}
