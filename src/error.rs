//! Typed errors, written for the researcher who reads them, and the exit-code contract.
//!
//! Every error names the file (and line, and theme where there is one), says what was
//! expected, and where it helps, what to do. The mapping from error to exit code lives in
//! [`Error::exit_code`] and nowhere else.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes of the `qualkit` binary.
///
/// | code | meaning |
/// |------|---------|
/// | 0 | success |
/// | 1 | a check failed (a codebook test failed, warnings denied, a verification mismatch) |
/// | 2 | usage error or bad input: nothing was written |
/// | 3 | some input files could not be read: the others were processed (see stderr) |
pub mod exit {
    /// Everything went as asked.
    pub const OK: i32 = 0;
    /// The command ran, and what it checked did not pass.
    pub const CHECK_FAILED: i32 = 1;
    /// Bad usage or bad input: no report was written or changed.
    pub const ERROR: i32 = 2;
    /// Some input files could not be read; the reports cover the others.
    pub const INCOMPLETE: i32 = 3;
}

/// A location in an input file, shown as `file:line` (or just `file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it.
    pub path: PathBuf,
    /// 1-based line number, when known.
    pub line: Option<usize>,
}

impl Location {
    /// A location in `path` at `line` (1-based).
    pub fn new(path: &Path, line: Option<usize>) -> Location {
        Location { path: path.to_path_buf(), line }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Everything that can go wrong in qualkit, with messages meant for people.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: cannot {action}: {}", path.display(), describe_io(source))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What we were doing: "read", "create", "write", …
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A transcript does not follow its format.
    #[error("{location}: {message}")]
    Transcript {
        /// Where the problem is.
        location: Location,
        /// What is wrong, what was expected, what to do.
        message: String,
    },

    /// A codebook is invalid.
    #[error("{location}: {}{message}", theme.as_ref().map(|t| format!("theme '{t}': ")).unwrap_or_default())]
    Codebook {
        /// Where the problem is.
        location: Location,
        /// The theme id, when the problem belongs to one theme.
        theme: Option<String>,
        /// What is wrong, what was expected, what to do.
        message: String,
    },

    /// A file of codings (a mentions table or a coding spreadsheet) is invalid, or does not
    /// fit the transcripts it codes.
    #[error("{location}: {message}")]
    Coding {
        /// Where the problem is.
        location: Location,
        /// What is wrong, what was expected, what to do.
        message: String,
    },

    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),

    /// Writing the reports failed; the previous reports are untouched.
    #[error("{}: {message}", path.display())]
    Output {
        /// The report folder or file.
        path: PathBuf,
        /// What went wrong and what to do.
        message: String,
    },

    /// A table could not be aggregated or written (an internal polars failure).
    #[error("while building {table}: {message}")]
    Table {
        /// Which table.
        table: &'static str,
        /// The library's message.
        message: String,
    },
}

impl Error {
    /// The process exit code for this error (see [`exit`]).
    pub fn exit_code(&self) -> i32 {
        exit::ERROR
    }

    /// An I/O error on `path` while doing `action`.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), action, source }
    }

    /// A transcript error at `path:line`.
    pub fn transcript(path: &Path, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::Transcript { location: Location::new(path, line), message: message.into() }
    }

    /// A codebook error at `path:line`, for `theme` when given.
    pub fn codebook(
        path: &Path,
        line: Option<usize>,
        theme: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        Error::Codebook {
            location: Location::new(path, line),
            theme: theme.map(str::to_string),
            message: message.into(),
        }
    }

    /// An error in the codings file `path` at `line`.
    pub fn coding(path: &Path, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::Coding { location: Location::new(path, line), message: message.into() }
    }

    /// A polars failure while building `table`.
    pub fn table(table: &'static str, err: impl fmt::Display) -> Error {
        Error::Table { table, message: err.to_string() }
    }
}

/// A short, human description of an I/O error (without Rust's debug noise).
pub(crate) fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => "no such file or folder; check the path".to_string(),
        PermissionDenied => "permission denied; check the file's permissions".to_string(),
        _ => {
            let text = err.to_string();
            // std appends " (os error N)"; it says nothing to a researcher.
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
