//! `qualkit export qdpx`: code transcripts and write them, already coded, as a REFI-QDA
//! project for NVivo, ATLAS.ti, MAXQDA or QualCoder.

use crate::cli::Outcome;
use std::path::PathBuf;

use super::input::InputArgs;
use super::input::{code_corpus, corpus_paths};
use crate::code::corpus::CodingOptions;
use crate::display::plural_as;
use crate::error::Result;
use crate::refi::export;

/// Export coded transcripts for other tools.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    // The help text is the doc comment of the arguments, shown whole by `--help`.
    Qdpx(QdpxArgs),
}

/// Code transcripts with a codebook and write the result as a REFI-QDA project (.qdpx,
/// QDA-XML Project 1.0).
///
/// The project holds the codebook (its codes, with qualkit's rules kept in their
/// descriptions as in a .qdc), each transcript as a text source (one turn per paragraph,
/// `[timestamp] Speaker: text`), each mention as a selection coded with its theme, each
/// speaker of each session as a case (role and attributes as variables, linked to the
/// selections of their turns) and each session's title, date and attributes as variables
/// of its source. Positions count Unicode code points from 0, end exclusive; source texts
/// use `\n` line ends. The same input gives the same bytes on every run.
///
/// With no PATHs, exports the bundled example (transcripts/metaconnects with
/// codebooks/metaconnects.toml), run from the repository folder. `qualkit import qdpx`
/// reads the project back.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit export qdpx --out metaconnects.qdpx            (the bundled example)\n  \
    qualkit export qdpx -c codebook.toml interviews/ -o study.qdpx")]
pub struct QdpxArgs {
    // Transcript files or folders.
    #[arg(value_name = "PATH", help = super::help::PATHS)]
    pub paths: Vec<PathBuf>,

    /// The codebook (any format qualkit reads). Required when PATHs are given.
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Where the output goes: the project file to write (replaced if it exists), e.g. study.qdpx.
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,

    // Moderators' turns.
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    // No progress bar, no summary.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    /// Deprecated: `--input-format` (the transcript format), kept one release.
    #[arg(long, value_name = "FORMAT", hide = true)]
    pub format: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `qualkit export`.
pub fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::Qdpx(args) => qdpx(args),
    }
}

fn qdpx(args: QdpxArgs) -> Result<Outcome> {
    let (paths, codebook) = corpus_paths(args.paths, args.codebook)?;
    let input = args.input.resolve_with(args.format.map(|f| ("export qdpx", f)))?;
    let coding = CodingOptions { include_moderators: args.include_moderators };
    let (analysis, failed) = input
        .with_threads(|| code_corpus(&paths, &codebook, coding, &input, &args.out, args.quiet))?;
    let exported = export::project(&analysis)?;
    for note in &exported.notes {
        eprintln!("note: {}: {note}", args.out.display());
    }
    crate::report::output::write_file_atomic(&args.out, &exported.bytes)?;
    if !args.quiet {
        super::print_stdout(&format!(
            "{}: {}, {}, {}, {}, {}\n",
            args.out.display(),
            plural_as(analysis.codebook.themes.len(), "code", "codes"),
            plural_as(exported.sources, "source", "sources"),
            plural_as(exported.cases, "case", "cases"),
            plural_as(exported.selections, "selection", "selections"),
            plural_as(exported.codings, "coding", "codings")
        ))?;
    }
    Ok(Outcome::read(&failed))
}
