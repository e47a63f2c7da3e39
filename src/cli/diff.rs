//! `qualkit diff`: what changed between two report folders.

use crate::cli::Outcome;
use std::path::PathBuf;

use super::OutputFormat;
use crate::error::Result;
use crate::report::diff::{Diff, ReportFolder};

/// What changed between two report folders: themes, counts, mentions gained and lost.
///
/// Lists themes added or removed, the count changes per theme and session, and each mention
/// gained or lost, with its text and where it was said. Run it after every codebook edit to see what the edit did. A mention is the same in both
/// folders when its session, turn, start, end and theme are. When both folders have a
/// manifest.json, what changed in the codebook, the inputs and the options is listed first.
///
/// Exit codes: 0 (with --exit-code: 0 the reports are the same, 1 they differ), 2 a folder
/// cannot be read.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report folder of the earlier run.
    #[arg(value_name = "OLD_REPORT_DIR")]
    pub old: PathBuf,

    /// The report folder of the later run.
    #[arg(value_name = "NEW_REPORT_DIR")]
    pub new: PathBuf,

    // csv has one row per mention gained or lost; json holds everything.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::help::FORMAT)]
    pub format: OutputFormat,

    /// Mentions gained and lost listed per theme; 0 for all [default: 20 in text, all in
    /// csv and json].
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,

    /// Exit with 1 when the reports differ (themes, sessions, counts or mentions).
    #[arg(long)]
    pub exit_code: bool,

    // Output file.
    #[arg(short, long, value_name = "FILE", help = super::help::OUT_FILE)]
    pub out: Option<PathBuf>,
}

/// Mentions listed per theme in text when `--max` is not given.
pub const DEFAULT_TEXT_MAX: usize = 20;

/// Runs `qualkit diff`.
pub fn run(args: Args) -> Result<Outcome> {
    let old = ReportFolder::read(&args.old)?;
    let new = ReportFolder::read(&args.new)?;
    let max = match (args.max, args.format) {
        (Some(0), _) => None,
        (Some(n), _) => Some(n),
        (None, OutputFormat::Text) => Some(DEFAULT_TEXT_MAX),
        (None, _) => None,
    };
    let diff = Diff::of(&old, &new, max);
    let text = match args.format {
        OutputFormat::Text => diff.text(),
        OutputFormat::Csv => diff.csv()?,
        OutputFormat::Json => diff.json()?,
    };
    super::emit(args.out.as_deref(), &text)?;
    Ok(Outcome::check(!(args.exit_code && diff.differs())))
}
