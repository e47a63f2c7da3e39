//! `qualkit terms`: the most frequent terms of the transcripts, the terms no theme covers
//! yet, or each session's distinctive terms.

use crate::cli::Outcome;
use std::path::{Path, PathBuf};

use super::input::load_codebook;
use super::input::{self, Input, InputArgs};
use super::input::{code_corpus, corpus_paths};
use super::OutputFormat;
use crate::code::corpus::CodingOptions;
use crate::codebook::Language;
use crate::error::{Error, Result};
use crate::explore::terms::{self, Scope, SessionCounts, Words};
use crate::explore::to_json;

/// The most frequent terms of the transcripts: each stem with its commonest form, its count,
/// the sessions it occurs in and its rate per 1,000 words. Participant turns only, unless
/// --include-moderators; stopwords (the NLTK list of the language) and numbers are left out.
///
/// --uncovered counts only the words that no mention of any theme of the codebook covers (in
/// the same coding `analyze` does): what the codebook does not yet account for.
///
/// --by session lists, for each session, the terms it uses more than the other sessions
/// together, by log-likelihood G², with p-value and log ratio.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit terms --top 20\n  \
    qualkit terms --uncovered\n  \
    qualkit terms interviews/ --by session --format csv -o keyness.csv")]
pub struct Args {
    // Transcript files or folders.
    #[arg(value_name = "PATH", help = super::help::PATHS)]
    pub paths: Vec<PathBuf>,

    /// The codebook: required for --uncovered with PATHs; otherwise gives the language and
    /// stemming [default for --uncovered without PATHs: the bundled example's].
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// How many terms to list (per session with --by session); 0 for all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub top: usize,

    /// List only terms said at least N times (in the session, with --by session).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: usize,

    // Moderators' turns.
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    /// Keep the stopwords (the, and, that, …) as terms.
    #[arg(long)]
    pub keep_stopwords: bool,

    /// Count only the words no theme of the codebook covers.
    #[arg(long)]
    pub uncovered: bool,

    /// Each session's distinctive terms against the rest of the corpus.
    #[arg(long, value_name = "GROUP", value_parser = ["session"])]
    pub by: Option<String>,

    /// The stemming language and stopword list [default: the codebook's, else english].
    #[arg(long, value_name = "LANGUAGE")]
    pub language: Option<String>,

    // Output format.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::help::FORMAT)]
    pub format: OutputFormat,

    // Output file.
    #[arg(short, long, value_name = "FILE", help = super::help::OUT_FILE)]
    pub out: Option<PathBuf>,

    // No progress bar.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// The resolved configuration of one `terms` run.
#[derive(Debug)]
struct Config {
    paths: Vec<PathBuf>,
    codebook: Option<PathBuf>,
    top: Option<usize>,
    min_count: usize,
    coding: CodingOptions,
    keep_stopwords: bool,
    uncovered: bool,
    by_session: bool,
    language: Option<Language>,
    format: OutputFormat,
    out: Option<PathBuf>,
    quiet: bool,
    input: Input,
}

impl Args {
    fn resolve(self) -> Result<Config> {
        Ok(Config {
            paths: self.paths,
            codebook: self.codebook,
            top: (self.top > 0).then_some(self.top),
            min_count: self.min_count,
            coding: CodingOptions { include_moderators: self.include_moderators },
            keep_stopwords: self.keep_stopwords,
            uncovered: self.uncovered,
            by_session: self.by.is_some(),
            language: self.language.as_deref().map(super::language).transpose()?,
            format: self.format,
            out: self.out,
            quiet: self.quiet,
            input: self.input.resolve()?,
        })
    }
}

impl Config {
    /// Word rules in `--language`, or the language of the codebook read (with its stemming),
    /// or English.
    fn words(&self, codebook: Option<(Language, bool)>) -> Words {
        let language = self.language.or(codebook.map(|(l, _)| l)).unwrap_or_else(Language::english);
        let words = Words::new(language, codebook.is_none_or(|(_, stemming)| stemming));
        if self.keep_stopwords {
            words.keep_stopwords()
        } else {
            words
        }
    }
}

/// Runs `qualkit terms`.
pub fn run(args: Args) -> Result<Outcome> {
    let config = args.resolve()?;
    let (counts, scope, failed) = count(&config)?;
    let text = if config.by_session {
        if counts.len() < 2 {
            return Err(Error::Usage(
                "--by session compares each session with the others, and only one session \
                 was read; give transcripts of two or more sessions"
                    .into(),
            ));
        }
        let keyness = terms::distinctive(&counts, scope, config.top, config.min_count);
        match config.format {
            OutputFormat::Text => terms::render_keyness_text(&keyness),
            OutputFormat::Csv => terms::render_keyness_csv(&keyness),
            OutputFormat::Json => to_json(&keyness)?,
        }
    } else {
        let frequencies = terms::frequent(&counts, scope, config.top, config.min_count);
        match config.format {
            OutputFormat::Text => terms::render_frequencies_text(&frequencies),
            OutputFormat::Csv => terms::render_frequencies_csv(&frequencies),
            OutputFormat::Json => to_json(&frequencies)?,
        }
    };
    super::emit(config.out.as_deref(), &text)?;
    Ok(Outcome::read(&failed))
}

/// Reads (and with --uncovered, codes) the transcripts and counts each session's terms.
/// Returns the counts, what they cover, and the files that could not be read.
fn count(config: &Config) -> Result<(Vec<SessionCounts>, Scope, Vec<Error>)> {
    if config.uncovered {
        let (paths, codebook) = corpus_paths(config.paths.clone(), config.codebook.clone())?;
        // Without --out there is no file of ours among the inputs: an empty path is none.
        let out = config.out.as_deref().unwrap_or(Path::new(""));
        let (analysis, failed) = config.input.with_threads(|| {
            code_corpus(&paths, &codebook, config.coding, &config.input, out, config.quiet)
        })?;
        let cb = &analysis.codebook;
        let words = config.words(Some((cb.language, cb.stemming)));
        let scope = words.scope(config.coding, Some(codebook.display().to_string()));
        Ok((words.count_uncovered(&analysis), scope, failed))
    } else {
        let codebook = config.codebook.as_deref().map(load_codebook).transpose()?;
        let words = config.words(codebook.map(|c| (c.language, c.stemming)));
        let paths = input::transcripts_or_bundled(config.paths.clone())?;
        let own: Vec<&Path> = config.out.as_deref().into_iter().collect();
        let (sessions, failed) =
            config.input.with_threads(|| input::load_sessions(&config.input, &paths, &own))?;
        Ok((
            words.count_sessions(&sessions, config.coding),
            words.scope(config.coding, None),
            failed,
        ))
    }
}
