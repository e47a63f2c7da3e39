//! `qualkit codebook show`: the codebook as a document for people.

use crate::cli::Outcome;
use std::path::PathBuf;

use crate::error::Result;
use crate::report::codebook_doc;

/// The codebook as a document in the layout qualitative researchers publish: for each theme
/// its number, code, label, parent, brief and full definition, when to use and when not to
/// use, examples, and the rules in plain words. For a paper's appendix or a coder's
/// training binder.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE", help = super::FILE_HELP)]
    pub file: PathBuf,

    /// The output format: md (Markdown), html (one self-contained page that prints well) or
    /// csv (one row per theme).
    #[arg(long, value_name = "FORMAT", default_value = "md", value_parser = ["md", "markdown", "html", "csv"])]
    pub format: String,

    // Output file.
    #[arg(long, short, value_name = "FILE", help = crate::cli::help::OUT_FILE)]
    pub out: Option<PathBuf>,
}

/// Runs `codebook show`.
pub fn run(args: Args) -> Result<Outcome> {
    let cb = crate::cli::input::load_codebook(&args.file)?;
    let text = match args.format.as_str() {
        "html" => codebook_doc::html(&cb)?,
        "csv" => codebook_doc::csv(&cb)?,
        _ => codebook_doc::markdown(&cb)?,
    };
    crate::cli::emit(args.out.as_deref(), &text)?;
    Ok(Outcome::Done)
}
