//! `qualkit-bench …`: generate the inputs of the benchmarks (see BENCHMARKS.md and
//! `bench/run.sh`): a corpus of transcripts of a given size, and a large codebook. Not part
//! of the `qualkit` binary: `cargo run --release -p qualkit-bench -- generate …`.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;
use qualkit::cli::Outcome;
use qualkit::codebook::Codebook;
use qualkit::display::thousands;
use qualkit::error::Result;
use qualkit_bench::codebook::{self, CodebookOptions};
use qualkit_bench::corpus::{self, CorpusOptions, Vocabulary};
use qualkit_bench::megabytes;

/// qualkit-bench: generate the inputs of qualkit's benchmarks. Exit codes: 0 success; 2 usage
/// error or bad input.
#[derive(Debug, Parser)]
#[command(name = "qualkit-bench", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn main() {
    let code = match Cli::parse().command.run() {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => qualkit::cli::report_error(&err),
    };
    std::process::exit(code);
}

/// Subcommands that generate benchmark inputs.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write a corpus of realistic focus-group transcripts in every format qualkit reads.
    Generate(GenerateArgs),
    /// Write a large valid codebook (parents, leaves, words, wildcards, phrases, patterns).
    Codebook(CodebookArgs),
}

/// Write a corpus of focus-group transcripts of about `--mb` megabytes (10^6 bytes): files of
/// 50 to 500 KB, mostly plain text, with Markdown, WebVTT, SRT, CSV, TSV, Word and
/// OpenDocument files too, each present at least once. The talk uses the codebook's terms and
/// examples, so its themes are coded. The same seed gives the same files, byte for byte.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The corpus size in megabytes (10^6 bytes; fractions allowed).
    #[arg(long, value_name = "N")]
    pub mb: f64,

    /// The seed of the random stream.
    #[arg(long, value_name = "S", default_value_t = 7)]
    pub seed: u64,

    /// Where the output goes: the folder to write into (created if missing; it must be
    /// empty unless --force).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,

    /// The formats to write, separated by commas: txt, md, vtt, srt, csv, tsv, docx, odt
    /// [default: all].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub formats: Vec<String>,

    /// The codebook whose terms and examples the talk uses [default: the bundled
    /// codebooks/metaconnects.toml, built in].
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Write into a folder that is not empty, removing the transcripts at its top level first
    /// (other files and folders are left alone).
    #[arg(long)]
    pub force: bool,

    // No summary.
    #[arg(short, long, help = qualkit::cli::help::QUIET)]
    pub quiet: bool,
}

/// Write a valid codebook of `--themes` themes for the scale benchmark: one parent for about
/// every 20 themes, leaves with `--terms` terms each (60 % one-word terms, 15 % `prefix*`
/// wildcards, 25 % phrases of 2–3 words), `--patterns` regexes spread over the leaves, near
/// rules and excludes on some, and an example per leaf, so that `qualkit codebook test`
/// passes. Most words are made up; a few are everyday words the generated transcripts use.
#[derive(Debug, clap::Args)]
pub struct CodebookArgs {
    /// Themes in all, parents included.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub themes: usize,

    /// Terms of each leaf theme.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub terms: usize,

    /// Regex patterns in all.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub patterns: usize,

    /// The seed of the random stream.
    #[arg(long, value_name = "S", default_value_t = 7)]
    pub seed: u64,

    /// Where the output goes: the codebook file to write (TOML) [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl Command {
    /// Runs the subcommand.
    fn run(self) -> Result<Outcome> {
        match self {
            Command::Generate(args) => run_generate(args),
            Command::Codebook(args) => run_codebook(args),
        }
    }
}

fn run_generate(args: GenerateArgs) -> Result<Outcome> {
    let options = CorpusOptions::from_mb(args.mb, args.seed, &args.formats)?;
    let vocabulary = match &args.codebook {
        Some(path) => Vocabulary::from_codebook(&Codebook::load(path)?),
        None => Vocabulary::bundled(),
    };
    corpus::prepare_folder(&args.out, args.force)?;
    let summary = corpus::generate(&args.out, &options, &vocabulary)?;
    if !args.quiet {
        let mut out = format!(
            "wrote {} files, {} ({} bytes) to {}\n",
            thousands(summary.files),
            megabytes(summary.bytes),
            thousands(summary.bytes as usize),
            args.out.display()
        );
        let formats: Vec<String> = summary
            .per_format
            .iter()
            .map(|(f, (files, bytes))| format!("{f} {} ({})", thousands(*files), megabytes(*bytes)))
            .collect();
        let _ = writeln!(out, "formats: {}", formats.join(", "));
        qualkit::cli::print_stdout(&out)?;
    }
    Ok(Outcome::Done)
}

fn run_codebook(args: CodebookArgs) -> Result<Outcome> {
    let options = CodebookOptions {
        themes: args.themes,
        terms: args.terms,
        patterns: args.patterns,
        seed: args.seed,
    };
    let text = codebook::generate(&options)?;
    qualkit::cli::emit(args.out.as_deref(), &text)?;
    Ok(Outcome::Done)
}
