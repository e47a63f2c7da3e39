//! `qualkit compare`: themes compared between groups of sessions or speakers.

use crate::cli::Outcome;
use std::path::PathBuf;

use super::input::{code_corpus, corpus_paths};
use super::input::{Input, InputArgs};
use super::OutputFormat;
use crate::analysis::compare::{compare, GroupBy};
use crate::code::corpus::CodingOptions;
use crate::error::{Error, Result};
use crate::report::{self, comparison};

/// Compare themes between groups of sessions or speakers.
///
/// For each theme and group: mentions, mentions per 1,000 words, and the share of the
/// group's speakers who raised it. Two groups: log-likelihood G² per theme with its p-value
/// and the log ratio. More groups: a chi-square test of independence per theme with
/// adjusted standardized residuals. p-values are Bonferroni-corrected across the themes
/// tested; themes with an expected count below 5 are flagged and not tested.
///
/// With no PATHs, compares the bundled example (transcripts/metaconnects with
/// codebooks/metaconnects.toml), run from the repository folder.
#[derive(Debug, clap::Args)]
pub struct Args {
    // Transcript files or folders.
    #[arg(value_name = "PATH", help = super::help::PATHS)]
    pub paths: Vec<PathBuf>,

    /// The codebook (any format qualkit reads). Required when PATHs are given.
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// What forms the groups: `session`, a session attribute (front matter, such as site) or
    /// a speaker attribute (participants file, such as organization_type). Names are the
    /// attribute columns of mentions.csv: when both kinds share a name, NAME is the session
    /// attribute and speaker_NAME the speaker one.
    #[arg(long, value_name = "session|ATTRIBUTE")]
    pub by: String,

    /// Compare only these groups, in this order (values of --by, separated by commas).
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    pub groups: Option<Vec<String>>,

    // text is an aligned table; csv has one row per theme.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::help::FORMAT)]
    pub format: OutputFormat,

    // Output file.
    #[arg(short, long, value_name = "FILE", help = super::help::OUT_FILE)]
    pub out: Option<PathBuf>,

    // Moderators' turns.
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    // No progress bar.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// The resolved configuration of one `compare` run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The transcript files and folders.
    pub paths: Vec<PathBuf>,
    /// The codebook file.
    pub codebook: PathBuf,
    /// What forms the groups.
    pub by: GroupBy,
    /// The groups to compare, in order (`None`: every value, in order of appearance).
    pub groups: Option<Vec<String>>,
    /// The output format.
    pub format: OutputFormat,
    /// The output file (`None`: stdout).
    pub out: Option<PathBuf>,
    /// Coding options.
    pub coding: CodingOptions,
    /// No progress bar.
    pub quiet: bool,
    /// How transcripts are read.
    pub input: Input,
}

impl Args {
    /// Resolves the arguments into a configuration, applying the bundled-example defaults.
    pub fn resolve(self) -> Result<Config> {
        let (paths, codebook) = corpus_paths(self.paths, self.codebook)?;
        if self.by.trim().is_empty() {
            return Err(Error::Usage(
                "--by needs a name: `session` or an attribute such as site".into(),
            ));
        }
        if let Some(out) = &self.out {
            if let Some(p) = paths.iter().find(|p| report::is_inside(p, out)) {
                return Err(Error::Usage(format!(
                    "--out {} would replace the transcript {}; choose another file",
                    out.display(),
                    p.display()
                )));
            }
        }
        Ok(Config {
            paths,
            codebook,
            by: GroupBy::parse(&self.by),
            groups: self.groups,
            format: self.format,
            out: self.out,
            coding: CodingOptions { include_moderators: self.include_moderators },
            quiet: self.quiet,
            input: self.input.resolve()?,
        })
    }
}

/// Runs `qualkit compare`.
pub fn run(args: Args) -> Result<Outcome> {
    let config = args.resolve()?;
    let (text, failed) = config.input.with_threads(|| execute(&config))?;
    super::emit(config.out.as_deref(), &text)?;
    if !failed.is_empty() {
        eprintln!(
            "incomplete: {} could not be read and left out (errors above)",
            if failed.len() == 1 { "1 file".into() } else { format!("{} files", failed.len()) }
        );
    }
    Ok(Outcome::read(&failed))
}

/// Reads, codes and compares; returns the rendered comparison and the files that could not
/// be read.
pub fn execute(config: &Config) -> Result<(String, Vec<Error>)> {
    let out = config.out.clone().unwrap_or_default();
    let (analysis, failed) = code_corpus(
        &config.paths,
        &config.codebook,
        config.coding,
        &config.input,
        &out,
        config.quiet,
    )?;
    let summary =
        crate::summary::Summary::of(&analysis, crate::summary::units::Unit::Turn, Some(0));
    let result = compare(&summary, &config.by, config.groups.as_deref())?;
    let text = match config.format {
        OutputFormat::Text => comparison::text(&result),
        OutputFormat::Csv => comparison::csv(&result)?,
        OutputFormat::Json => comparison::json(&result)?,
    };
    Ok((text, failed))
}
