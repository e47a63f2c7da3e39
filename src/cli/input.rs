//! Options for reading transcripts, shared by `analyze` and `transcripts inspect`.

use std::path::{Path, PathBuf};

use crate::code::corpus::{Analysis, CodingOptions};
use crate::display::Named;
use crate::error::{Error, Result};
use crate::ingest::participants::Participants;
use crate::ingest::questions::Guide;
use crate::ingest::table::Columns;
use crate::ingest::text::{speaker_key, SpeakerPattern, SpeakersBy, TextOptions, Unlabelled};
use crate::ingest::{Batch, ReadOptions};
use crate::model::{Format, Session};

/// How transcripts are read.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    // The transcript format (every command that reads transcripts).
    #[arg(long, value_name = "FORMAT", help = super::help::INPUT_FORMAT, help_heading = "Reading transcripts")]
    pub input_format: Option<String>,

    // Worker threads (every command that reads transcripts).
    #[arg(long, value_name = "N", value_parser = parse_threads, help = super::help::THREADS)]
    pub threads: Option<usize>,

    /// A CSV of speakers (or an Excel workbook): session,speaker,role,alias then attribute
    /// columns (age_group, …).
    /// Sets roles (moderator, participant, observer), merges aliases, adds attributes.
    #[arg(long, value_name = "FILE", help_heading = "Reading transcripts")]
    pub participants: Option<PathBuf>,

    /// An extra speaker-label form: a regex with a named group `speaker` (and optionally
    /// `time`, `text`), matched at the start of each line of text transcripts.
    #[arg(long, value_name = "REGEX", help_heading = "Reading transcripts")]
    pub speaker_pattern: Option<String>,

    /// How speakers are told apart in Word and OpenDocument files: `labels`, `formatting`
    /// (wholly bold or italic paragraphs are the moderator's), or `auto` (formatting only
    /// where no labels recur).
    #[arg(long, value_name = "HOW", value_parser = named::<SpeakersBy>(), default_value = "auto", help_heading = "Reading transcripts")]
    pub speakers_by: SpeakersBy,

    /// What a paragraph without a speaker label is: `continue` (the turn above goes on),
    /// `participant` (a turn of the participant, named after the session), or `auto`
    /// (`participant` where only moderators are labelled and most paragraphs are not).
    #[arg(long, value_name = "HOW", value_parser = named::<Unlabelled>(), default_value = "auto", help_heading = "Reading transcripts")]
    pub unlabelled: Unlabelled,

    /// Read a label that is the first word of a full label seen before it (`John` after
    /// `John Newbery`) as that speaker; without it, a warning suggests the alias.
    #[arg(long, help_heading = "Reading transcripts")]
    pub merge_short_names: bool,

    /// The moderators' labels, separated by commas (replaces the front matter's
    /// `moderators` and the built-in rule).
    #[arg(long, value_name = "LIST", value_delimiter = ',', help_heading = "Reading transcripts")]
    pub moderators: Option<Vec<String>>,

    /// The interview guide: one question per line, optionally `id: text`. Each question a
    /// moderator asks is matched to the guide question it is closest to.
    #[arg(long, value_name = "FILE", help_heading = "Reading transcripts")]
    pub guide: Option<PathBuf>,

    /// Replace invalid UTF-8/UTF-16 with U+FFFD and warn, instead of failing.
    #[arg(long, help_heading = "Reading transcripts")]
    pub lossy: bool,

    /// Stop at the first file that cannot be read (by default the others are still read,
    /// and the exit code is 3).
    #[arg(long, help_heading = "Reading transcripts")]
    pub strict: bool,

    /// CSV/TSV transcripts: the speaker column [default: speaker, name, participant, …].
    #[arg(long, value_name = "NAME", help_heading = "Reading transcripts")]
    pub speaker_column: Option<String>,

    /// CSV/TSV transcripts: the text column [default: text, utterance, transcript, …].
    #[arg(long, value_name = "NAME", help_heading = "Reading transcripts")]
    pub text_column: Option<String>,

    /// CSV/TSV transcripts: the session column [default: session, session_id, interview].
    #[arg(long, value_name = "NAME", help_heading = "Reading transcripts")]
    pub session_column: Option<String>,

    /// CSV/TSV transcripts: the timestamp column [default: timestamp, time, start].
    #[arg(long, value_name = "NAME", help_heading = "Reading transcripts")]
    pub timestamp_column: Option<String>,

    /// CSV/TSV transcripts: the role column [default: role].
    #[arg(long, value_name = "NAME", help_heading = "Reading transcripts")]
    pub role_column: Option<String>,
}

/// The resolved reading configuration.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// Reader options.
    pub options: ReadOptions,
    /// The participants file, read and checked.
    pub participants: Option<Participants>,
    /// Stop at the first unreadable file.
    pub strict: bool,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

impl InputArgs {
    /// Resolves the flags (reading the participants file and the guide).
    pub fn resolve(self) -> Result<Input> {
        self.resolve_with(None)
    }

    /// [`InputArgs::resolve`] for `analyze` and `export qdpx`, where `--format FORMAT` (the
    /// transcript format) is still accepted for one release, with a note on stderr.
    pub fn resolve_with(self, deprecated_format: Option<(&str, String)>) -> Result<Input> {
        let (flag, name) = match (deprecated_format, &self.input_format) {
            (Some((command, name)), None) => {
                eprintln!("{}", super::help::deprecated_format_note(command));
                ("--format", Some(name))
            }
            _ => ("--input-format", self.input_format.clone()),
        };
        let format = match name {
            Some(name) => Some(Format::from_name(&name).ok_or_else(|| {
                Error::Usage(format!(
                    "{flag} {name} is not a transcript format; choose one of: {}",
                    Format::ALL.map(|f| f.as_str()).join(", ")
                ))
            })?),
            None => None,
        };
        let speaker_pattern =
            self.speaker_pattern.as_deref().map(SpeakerPattern::new).transpose()?;
        let participants = self.participants.as_deref().map(Participants::load).transpose()?;
        let guide = self.guide.as_deref().map(Guide::load).transpose()?;
        let moderators = self
            .moderators
            .map(|list| list.iter().map(|m| speaker_key(m)).filter(|k| !k.is_empty()).collect());
        let text = TextOptions {
            speaker_pattern,
            speakers_by: self.speakers_by,
            unlabelled: self.unlabelled,
            moderators,
            known_labels: participants.as_ref().map(Participants::labels).unwrap_or_default(),
            merge_short_names: self.merge_short_names,
        };
        Ok(Input {
            options: ReadOptions {
                format,
                text,
                columns: Columns {
                    speaker: self.speaker_column,
                    text: self.text_column,
                    session: self.session_column,
                    timestamp: self.timestamp_column,
                    role: self.role_column,
                },
                lossy: self.lossy,
                guide,
            },
            participants,
            strict: self.strict,
            threads: self.threads,
        })
    }
}

impl Input {
    /// Finds and reads the transcripts under `paths`, passing over the files in `own`
    /// (the report folder) and the participants file.
    pub fn load(&self, paths: &[PathBuf], own: &[&Path]) -> Result<Batch> {
        let mut own = own.to_vec();
        if let Some(p) = &self.participants {
            own.push(&p.path);
        }
        if let Some(g) = &self.options.guide {
            own.push(&g.path);
        }
        crate::ingest::load(paths, &own, &self.options, self.participants.as_ref(), self.strict)
    }
}

/// The most reader warnings printed by `analyze`; `transcripts inspect` lists them all.
pub const MAX_PRINTED_WARNINGS: usize = 10;

/// Prints what reading noticed on stderr: skipped files, warnings and notes (`--quiet` or
/// not: it only silences the progress bar and the summary).
pub fn print_batch_messages(batch: &Batch) {
    if let Some(note) = batch.discovered.note() {
        eprintln!("note: {note}");
    }
    let warnings = batch.warnings();
    for w in warnings.iter().take(MAX_PRINTED_WARNINGS) {
        eprintln!("warning: {w}");
    }
    print_warnings_left_out(warnings.len());
    for n in &batch.notes {
        eprintln!("warning: {n}");
    }
}

/// After the first [`MAX_PRINTED_WARNINGS`] of `total` reader warnings, says how many more
/// there are and where to see them.
pub fn print_warnings_left_out(total: usize) {
    if total > MAX_PRINTED_WARNINGS {
        eprintln!(
            "warning: … and {} more; `qualkit transcripts inspect` lists them all",
            total - MAX_PRINTED_WARNINGS
        );
    }
}

/// Prints the files that could not be read on stderr, and returns the error to stop with
/// when no file at all could be read (a single failure is returned as it is, unprinted).
pub fn check_failures(batch: &mut Batch) -> Result<()> {
    report_failures(&mut batch.failed, batch.sessions.is_empty())
}

/// [`check_failures`] for a run that read `nothing` (no session at all) or something.
pub fn report_failures(failed: &mut Vec<Error>, nothing: bool) -> Result<()> {
    if nothing && failed.len() == 1 {
        return Err(failed.remove(0));
    }
    for err in failed.iter() {
        eprintln!("error: {err}");
    }
    if nothing {
        return Err(Error::Usage(format!(
            "none of the {} transcript files could be read; see the errors above",
            failed.len()
        )));
    }
    Ok(())
}

/// The transcripts to read: `paths`, or with none the bundled example's transcripts (run
/// from the repository folder).
pub fn transcripts_or_bundled(paths: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    let bundled = PathBuf::from(super::analyze::BUNDLED_TRANSCRIPTS);
    if !bundled.is_dir() {
        return Err(Error::Usage(format!(
            "no transcripts given, and the bundled example ({}) is not in the current folder; \
             give transcript files or folders, or run from the qualkit repository",
            super::analyze::BUNDLED_TRANSCRIPTS
        )));
    }
    Ok(vec![bundled])
}

/// Reads the transcripts under `paths` (passing over `own`, the files the command writes),
/// printing what reading noticed on stderr. Returns the sessions and the files that could
/// not be read (exit code 3 for the caller), or an error when none could be, or with
/// `--strict`.
pub fn load_sessions(
    input: &Input,
    paths: &[PathBuf],
    own: &[&Path],
) -> Result<(Vec<Session>, Vec<Error>)> {
    let mut batch = input.load(paths, own)?;
    print_batch_messages(&batch);
    check_failures(&mut batch)?;
    Ok((std::mem::take(&mut batch.sessions), batch.failed))
}

/// The value parser of an option whose values are a library choice ([`Named`]): its names,
/// each with its meaning in `--help`.
pub fn named<T: Named + Send + Sync>() -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = T::CHOICES.iter().map(|(_, name, help)| PossibleValue::new(*name).help(*help));
    PossibleValuesParser::new(values).map(|name| T::from_name(&name).expect("a listed name"))
}

/// `--threads N` of every command that codes: a whole number of worker threads, 1 or more
/// (left out: one per core).
pub fn parse_threads(text: &str) -> std::result::Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("use 1 or more worker threads (leave --threads out for one per core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number of threads")),
    }
}

impl Input {
    /// Runs `job` on a pool of `--threads` workers (left out: rayon's global pool, one per
    /// core).
    pub fn with_threads<T: Send>(&self, job: impl FnOnce() -> Result<T> + Send) -> Result<T> {
        match self.threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Usage(format!("cannot start {n} threads: {e}")))?
                .install(job),
            None => job(),
        }
    }
}

/// Reads a codebook, printing on stderr what reading it left out (`note: FILE: …`).
pub fn load_codebook(path: &Path) -> Result<crate::codebook::Codebook> {
    let codebook = crate::codebook::Codebook::load(path)?;
    for note in &codebook.notes {
        eprintln!("note: {}: {note}", path.display());
    }
    Ok(codebook)
}

/// The transcripts and codebook to use: the given ones, or with no PATHs the bundled example
/// (run from the repository folder). `--codebook` is required with PATHs.
pub fn corpus_paths(
    paths: Vec<PathBuf>,
    codebook: Option<PathBuf>,
) -> Result<(Vec<PathBuf>, PathBuf)> {
    if paths.is_empty() {
        let transcripts = transcripts_or_bundled(paths)?;
        Ok((
            transcripts,
            codebook.unwrap_or_else(|| PathBuf::from(super::analyze::BUNDLED_CODEBOOK)),
        ))
    } else {
        let codebook = codebook.ok_or_else(|| {
            Error::Usage(
                "--codebook FILE is required when transcripts are given \
                 (for example --codebook codebooks/metaconnects.toml)"
                    .into(),
            )
        })?;
        Ok((paths, codebook))
    }
}

/// Reads the codebook and the transcripts and codes them: the first half of every command
/// that works on coded transcripts. Messages about the input are printed on stderr; `out` is
/// the folder the command will write to (never read as input). Returns the coded corpus and
/// the files that could not be read (exit code 3 for the caller), or an error with `--strict`.
pub fn code_corpus(
    paths: &[PathBuf],
    codebook: &std::path::Path,
    coding: CodingOptions,
    input: &Input,
    out: &std::path::Path,
    quiet: bool,
) -> Result<(Analysis, Vec<Error>)> {
    let codebook = load_codebook(codebook)?;
    super::analyze::refuse_report_folder_as_input(paths, out)?;
    let mut batch = input.load(paths, &[out])?;
    print_batch_messages(&batch);
    check_failures(&mut batch)?;
    let sessions = std::mem::take(&mut batch.sessions);
    let total: u64 = sessions.iter().map(|s| s.text_bytes()).sum();
    let progress = super::progress::Progress::new(total, sessions.len(), "sessions", quiet);
    let analysis =
        Analysis::run_with_progress(codebook, sessions, coding, &|bytes| progress.done(bytes));
    progress.finish();
    Ok((analysis, batch.failed))
}
