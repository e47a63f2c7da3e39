//! The command line: clap argument structs (one file per subcommand), resolved into
//! configurations, run against the library, and errors mapped to exit codes in one place.

pub mod agree;
pub mod analyze;
pub mod codebook;
pub mod compare;
pub mod diff;
pub mod export;
pub mod help;
pub mod import;
pub mod input;
pub mod kwic;
pub mod progress;
pub mod terms;
pub mod transcripts;
pub mod verify;

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::error::{exit, Error};

/// qualkit: code focus-group and interview transcripts against a codebook of themes, and
/// write theme frequencies, quotes and an auditable table of every mention.
///
/// Exit codes: 0 success; 1 a check failed; 2 usage error or bad input (nothing written);
/// 3 some input files could not be read (the others were processed).
#[derive(Debug, Parser)]
#[command(name = "qualkit", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Code transcripts with a codebook; write frequencies, quotes and the mentions table.
    Analyze(analyze::Args),
    /// Compare themes between groups of sessions or speakers (`--by site`), with tests.
    Compare(compare::Args),
    // The help comes from agree::Args, whose long description explains the coding files and
    // the treatment of missing data.
    Agree(agree::Args),
    // The help of diff and verify comes from their Args (with their exit codes).
    Diff(diff::Args),
    Verify(verify::Args),
    /// Work with codebooks: `check` lints one, `test` runs its examples.
    #[command(subcommand)]
    Codebook(codebook::Command),
    /// Work with transcripts: `inspect` shows how each one is read.
    #[command(subcommand)]
    Transcripts(transcripts::Command),
    /// Keyword in context: where terms are said (codebook term syntax), or a theme's mentions.
    Kwic(kwic::Args),
    /// The most frequent terms, the terms no theme covers, or each session's distinctive terms.
    Terms(terms::Args),
    /// Write coded transcripts for other tools: `qdpx`, a REFI-QDA project (NVivo, ATLAS.ti,
    /// MAXQDA, QualCoder).
    #[command(subcommand)]
    Export(export::Command),
    /// Read codings made in other tools: `qdpx`, one coder of a REFI-QDA project.
    #[command(subcommand)]
    Import(import::Command),
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { exit::ERROR } else { exit::OK };
        }
    };
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Codebook(command) => codebook::run(command),
        Command::Compare(args) => compare::run(args),
        Command::Agree(args) => agree::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Transcripts(command) => transcripts::run(command),
        Command::Kwic(args) => kwic::run(args),
        Command::Terms(args) => terms::run(args),
        Command::Export(command) => export::run(command),
        Command::Import(command) => import::run(command),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => report_error(&err),
    }
}

/// What a command came to. Commands return it; [`main`] alone turns it (or an error) into
/// the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went as asked.
    Done,
    /// The command ran, and what it checked did not pass.
    CheckFailed,
    /// Some input files could not be read (each was reported); the output covers the others.
    Incomplete,
}

impl Outcome {
    /// [`Outcome::Incomplete`] when some files `failed`, else [`Outcome::Done`].
    pub fn read<T>(failed: &[T]) -> Outcome {
        if failed.is_empty() {
            Outcome::Done
        } else {
            Outcome::Incomplete
        }
    }

    /// [`Outcome::Done`] when the check `passed`, else [`Outcome::CheckFailed`].
    pub fn check(passed: bool) -> Outcome {
        if passed {
            Outcome::Done
        } else {
            Outcome::CheckFailed
        }
    }

    /// The documented exit code ([`exit`]).
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Done => exit::OK,
            Outcome::CheckFailed => exit::CHECK_FAILED,
            Outcome::Incomplete => exit::INCOMPLETE,
        }
    }
}

/// The output of a listing command: `text` for people, `csv` or `json` for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned text for people.
    Text,
    /// CSV with a header row.
    Csv,
    /// Pretty-printed JSON.
    Json,
}

/// Writes `text` to the file `out` (atomically), or to stdout.
pub fn emit(out: Option<&std::path::Path>, text: &str) -> Result<(), Error> {
    match out {
        Some(path) => crate::report::output::write_file_atomic(path, text.as_bytes()),
        None => print_stdout(text),
    }
}

/// The language named by `--language`.
pub fn language(name: &str) -> Result<crate::codebook::Language, Error> {
    crate::codebook::Language::from_name(name).ok_or_else(|| {
        Error::Usage(format!(
            "--language {name} is not a stemming language; choose one of: {}",
            crate::codebook::Language::all_names().join(", ")
        ))
    })
}

/// Prints `error: …` on stderr and returns the exit code for `err`.
pub fn report_error(err: &Error) -> i32 {
    eprintln!("error: {err}");
    err.exit_code()
}

/// Writes `text` to stdout; a closed pipe (`qualkit … | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io(std::path::Path::new("<stdout>"), "write", e))
        }
        _ => Ok(()),
    }
}
