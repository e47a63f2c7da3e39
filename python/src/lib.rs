//! `qualkit._qualkit`: the Python bindings, a thin layer over the qualkit library.
//!
//! The Python package (`python/qualkit/`) wraps these functions in the API its users see:
//! keyword options become the command line's flags there, and the texts arrive as Arrow
//! arrays. Arrow crosses the boundary through the C data interface (zero copy); the GIL is
//! released while transcripts are read, coded or analysed.

mod codebook;
mod errors;
mod tables;

use std::path::PathBuf;

use arrow::pyarrow::PyArrowType;
use arrow::record_batch::RecordBatch;
use clap::Parser;
use pyo3::prelude::*;

use qualkit::cli::input::InputArgs;
use qualkit::cli::{analyze as cli_analyze, Cli, Command};

/// The reading flags of the command line, parsed alone (`read_transcripts`'s options).
#[derive(Debug, Parser)]
#[command(name = "read_transcripts", no_binary_name = true)]
struct ReadFlags {
    #[command(flatten)]
    input: InputArgs,
}

/// Reads the transcripts under `paths` with the command line's reading `flags`
/// (`--speaker-pattern`, `--participants`, …) into one record batch of turns, with what
/// reading noticed: the reader warnings (`file:line: message`) and the files that could not
/// be read (each error's message), for the Python side to raise as warnings. No file read at
/// all (or with `--strict`, the first that cannot be) is an error.
#[pyfunction]
fn read_transcripts(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    flags: Vec<String>,
) -> PyResult<(PyArrowType<RecordBatch>, Vec<String>, Vec<String>)> {
    let args = ReadFlags::try_parse_from(flags).map_err(errors::usage)?;
    let read = py.detach(|| -> qualkit::Result<_> {
        let input = args.input.resolve()?;
        let mut loaded = input.with_threads(|| input.load(&paths, &[]))?;
        if loaded.sessions.is_empty() && !loaded.failed.is_empty() {
            return Err(loaded.failed.remove(0));
        }
        let mut warnings = loaded.discovered.note().into_iter().collect::<Vec<_>>();
        warnings.extend(loaded.warnings());
        warnings.extend(loaded.notes.iter().cloned());
        let failed = loaded.failed.iter().map(ToString::to_string).collect();
        Ok((tables::turns(&loaded.sessions), warnings, failed))
    });
    let (batch, warnings, failed) = read.map_err(errors::to_py)?;
    Ok((PyArrowType(batch), warnings, failed))
}

/// Runs `qualkit analyze` with `argv` (the words after `qualkit analyze`); returns the exit
/// code of the run's outcome (0, or 3 when some files could not be read).
#[pyfunction]
fn analyze(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    let words = ["qualkit".to_string(), "analyze".to_string()].into_iter().chain(argv);
    let words: Vec<String> = words.collect();
    let cli = Cli::try_parse_from(&words).map_err(errors::usage)?;
    let Command::Analyze(args) = cli.command else {
        unreachable!("the words start with `analyze`")
    };
    let command_line = cli_analyze::command_line(words.iter().map(Into::into));
    let outcome = py.detach(|| cli_analyze::run_as(args, command_line));
    outcome.map(|o| o.exit_code()).map_err(errors::to_py)
}

/// The extension module.
#[pymodule]
fn _qualkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_transcripts, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_class::<codebook::Codebook>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
