//! qualkit's errors as Python exceptions: one class per kind of [`qualkit::Error`], all under
//! `qualkit.Error`, each carrying the message the command line prints after `error: `.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(qualkit, Error, PyException, "Every error qualkit raises.");
create_exception!(qualkit, FileError, Error, "A file or folder could not be read or written.");
create_exception!(qualkit, TranscriptError, Error, "A transcript does not follow its format.");
create_exception!(qualkit, CodebookError, Error, "A codebook is invalid.");
create_exception!(
    qualkit,
    CodingError,
    Error,
    "A file of codings is invalid, or does not fit the transcripts it codes."
);
create_exception!(qualkit, UsageError, Error, "The options ask for something that cannot be done.");
create_exception!(
    qualkit,
    OutputError,
    Error,
    "Writing the reports failed; the previous reports are untouched."
);
create_exception!(qualkit, TableError, Error, "A table could not be aggregated or written.");

/// The exception for `err`, with its message as the command line prints it.
pub fn to_py(err: qualkit::Error) -> PyErr {
    use qualkit::Error as E;
    let message = err.to_string();
    match err {
        E::Io { .. } => FileError::new_err(message),
        E::Transcript { .. } => TranscriptError::new_err(message),
        E::Codebook { .. } => CodebookError::new_err(message),
        E::Coding { .. } => CodingError::new_err(message),
        E::Usage(_) => UsageError::new_err(message),
        E::Output { .. } => OutputError::new_err(message),
        E::Table { .. } => TableError::new_err(message),
    }
}

/// An option the command line's parser refused, as a [`UsageError`] with clap's message
/// (without its `error: ` prefix and its usage lines).
pub fn usage(err: clap::Error) -> PyErr {
    let text = err.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    UsageError::new_err(first.trim_start_matches("error: ").to_string())
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("FileError", py.get_type::<FileError>())?;
    m.add("TranscriptError", py.get_type::<TranscriptError>())?;
    m.add("CodebookError", py.get_type::<CodebookError>())?;
    m.add("CodingError", py.get_type::<CodingError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add("TableError", py.get_type::<TableError>())?;
    Ok(())
}
