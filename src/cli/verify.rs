//! `qualkit verify`: checks a report folder against its manifest.

use crate::cli::Outcome;
use std::path::PathBuf;

use super::OutputFormat;
use crate::error::Result;
use crate::report::verify::verify;

/// Check a report folder against its manifest: did any input or report change since the run?
///
/// The codebook, the participants file, every input and every report file are hashed again
/// (SHA-256) and compared with manifest.json; new transcripts in the input folders and new
/// files in the report folder are listed too.
///
/// Exit codes: 0 nothing changed; 1 something changed (listed); 2 the folder has no
/// readable manifest.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report folder (written by `qualkit analyze`).
    #[arg(value_name = "REPORT_DIR")]
    pub folder: PathBuf,

    /// The folder the run was started in: relative paths in the manifest (the codebook, the
    /// inputs) are taken from it [default: the current folder].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    // csv has one row per file.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::help::FORMAT)]
    pub format: OutputFormat,
}

/// Runs `qualkit verify`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = args.root.unwrap_or_else(|| PathBuf::from("."));
    let verification = verify(&args.folder, &root)?;
    let text = match args.format {
        OutputFormat::Text => verification.text(),
        OutputFormat::Csv => verification.csv()?,
        OutputFormat::Json => verification.json()?,
    };
    super::print_stdout(&text)?;
    Ok(Outcome::check(!verification.changed()))
}
