//! `qualkit kwic`: keyword in context — every place some terms are said, or every mention
//! of a theme, with the words around it.

use crate::cli::Outcome;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::input::{self, Input, InputArgs};
use super::input::{code_corpus, corpus_paths};
use super::OutputFormat;
use crate::code::corpus::CodingOptions;
use crate::codebook::{Codebook, Language};
use crate::error::{Error, Result};
use crate::explore::{self, kwic, kwic::Kwic};

/// Keyword in context: every place the TERMs are said, with the words around it, the
/// speaker and `file:line`. TERMs match as they would in a codebook: one word by its stem
/// (`trust` finds trusted and trusting; `--exact` for the word only), `prefix*` by word
/// beginning, several words as a phrase, even across a line break. Every turn is searched,
/// moderators' too (their role is shown).
///
/// Give the TERMs first, then transcript files or folders: the first argument that names an
/// existing file or folder, and every argument after it, is a PATH. A plain word that is also
/// a file or folder here is refused as ambiguous: write it as a path (`notes/`, `./notes`) or
/// put the PATHs after `--`. Without PATHs, the bundled example is searched.
///
/// With --theme ID, shows the mentions of that theme as `analyze` codes and counts them
/// (participant turns only, unless --include-moderators); every argument is then a PATH.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit kwic trust                      (in the bundled example)\n  \
    qualkit kwic trust \"keep their word\" 'credib*' interviews/\n  \
    qualkit kwic 'organiz*' -- interviews\n  \
    qualkit kwic --theme trust --format csv -o trust.csv")]
pub struct Args {
    /// The TERMs to look for, then transcript files or folders [default: the bundled
    /// example]. The first argument that names an existing file or folder starts the PATHs;
    /// a plain word that is also a file or folder here is refused as ambiguous (write
    /// `./notes`, or put the PATHs after `--`). A TERM is a word (matched by stem), `prefix*`
    /// or a phrase of several words.
    #[arg(value_name = "TERM|PATH")]
    pub args: Vec<OsString>,

    /// Transcript files or folders, after `--`: then every argument before `--` is a TERM.
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Show the mentions of this theme (needs the codebook) instead of TERMs.
    #[arg(long, value_name = "ID", conflicts_with_all = ["exact", "language"])]
    pub theme: Option<String>,

    /// The codebook: its themes for --theme; its language and stemming for TERMs [default
    /// for --theme without PATHs: the bundled example's].
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Words of context on each side.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub context: usize,

    /// One-word TERMs match the word exactly instead of by stem.
    #[arg(long)]
    pub exact: bool,

    /// The stemming language of the TERMs [default: the codebook's, else english].
    #[arg(long, value_name = "LANGUAGE")]
    pub language: Option<String>,

    // Moderators' turns (with --theme: TERMs are looked for in every turn).
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

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

/// What to show.
#[derive(Debug, Clone)]
enum Query {
    /// Matches of these terms.
    Terms(Vec<String>),
    /// Mentions of the theme with this id.
    Theme(String),
}

/// The resolved configuration of one `kwic` run.
#[derive(Debug)]
struct Config {
    query: Query,
    paths: Vec<PathBuf>,
    codebook: Option<PathBuf>,
    exact: bool,
    language: Option<Language>,
    context: usize,
    coding: CodingOptions,
    format: OutputFormat,
    out: Option<PathBuf>,
    quiet: bool,
    input: Input,
}

impl Args {
    fn resolve(self) -> Result<Config> {
        if self.include_moderators && self.theme.is_none() {
            return Err(Error::Usage(
                "--include-moderators goes with --theme: TERMs are looked for in every turn, \
                 moderators' included"
                    .into(),
            ));
        }
        let (query, paths) = match self.theme {
            Some(id) => (Query::Theme(id), theme_paths(self.args, self.paths)?),
            None => {
                let (terms, paths) = split_terms(self.args, self.paths)?;
                (Query::Terms(terms), paths)
            }
        };
        Ok(Config {
            query,
            paths,
            codebook: self.codebook,
            exact: self.exact,
            language: self.language.as_deref().map(super::language).transpose()?,
            context: self.context,
            coding: CodingOptions { include_moderators: self.include_moderators },
            format: self.format,
            out: self.out,
            quiet: self.quiet,
            input: self.input.resolve()?,
        })
    }
}

/// Runs `qualkit kwic`.
pub fn run(args: Args) -> Result<Outcome> {
    let config = args.resolve()?;
    let (result, failed) = match &config.query {
        Query::Theme(id) => theme_kwic(&config, id)?,
        Query::Terms(terms) => terms_kwic(&config, terms)?,
    };
    let text = match config.format {
        OutputFormat::Text => kwic::render_text(&result),
        OutputFormat::Csv => kwic::render_csv(&result),
        OutputFormat::Json => explore::to_json(&result)?,
    };
    super::emit(config.out.as_deref(), &text)?;
    Ok(Outcome::read(&failed))
}

/// The mentions of theme `id` in the coded transcripts, and the files that could not be read.
fn theme_kwic(config: &Config, id: &str) -> Result<(Kwic, Vec<Error>)> {
    let (paths, codebook) = corpus_paths(config.paths.clone(), config.codebook.clone())?;
    // Without --out there is no file of ours among the inputs: an empty path is none.
    let out = config.out.as_deref().unwrap_or(Path::new(""));
    let (analysis, failed) = config.input.with_threads(|| {
        code_corpus(&paths, &codebook, config.coding, &config.input, out, config.quiet)
    })?;
    let theme = theme_index(&analysis.codebook, id)?;
    let matches = kwic::theme_mentions(&analysis, theme, config.context);
    Ok((
        Kwic { terms: Vec::new(), theme: Some(id.into()), context: config.context, matches },
        failed,
    ))
}

/// The matches of `terms` in the transcripts, and the files that could not be read.
fn terms_kwic(config: &Config, terms: &[String]) -> Result<(Kwic, Vec<Error>)> {
    let codebook = config.codebook.as_deref().map(super::input::load_codebook).transpose()?;
    let language =
        config.language.or(codebook.as_ref().map(|c| c.language)).unwrap_or_else(Language::english);
    let stemming = !config.exact && codebook.as_ref().is_none_or(|c| c.stemming);
    let rules = kwic::terms_codebook(terms, language, stemming)?;
    let paths = input::transcripts_or_bundled(config.paths.clone())?;
    let own: Vec<&Path> = config.out.as_deref().into_iter().collect();
    let (sessions, failed) =
        config.input.with_threads(|| input::load_sessions(&config.input, &paths, &own))?;
    let matches = kwic::search(&sessions, &rules, config.context);
    Ok((Kwic { terms: terms.to_vec(), theme: None, context: config.context, matches }, failed))
}

/// The index of the theme `id`, or an error that suggests a close id.
fn theme_index(codebook: &Codebook, id: &str) -> Result<usize> {
    codebook.index_of(id).ok_or_else(|| {
        let close = codebook
            .themes
            .iter()
            .map(|t| (strsim::levenshtein(&t.id, id), &t.id))
            .filter(|(d, _)| *d <= 2)
            .min();
        let hint = match close {
            Some((_, near)) => format!("did you mean `{near}`? "),
            None => String::new(),
        };
        Error::Usage(format!(
            "{} has no theme `{id}`; {hint}`qualkit codebook show {}` lists the themes",
            codebook.path.display(),
            codebook.path.display()
        ))
    })
}

/// Whether `arg` could be a word or phrase to look for: it has no path separator and no
/// transcript extension (`.txt`, `.docx`, …).
fn could_be_term(arg: &str) -> bool {
    !arg.contains(['/', '\\']) && crate::ingest::format_of(Path::new(arg)).is_none()
}

/// Splits the arguments into TERMs and PATHs (see [`Args`]): with `--`, the arguments before
/// it are TERMs and those after it PATHs; otherwise the first argument naming an existing
/// file or folder starts the PATHs.
fn split_terms(
    args: Vec<OsString>,
    after_dashes: Vec<PathBuf>,
) -> Result<(Vec<String>, Vec<PathBuf>)> {
    let to_term = |a: OsString| {
        a.into_string().map_err(|a| {
            Error::Usage(format!("the TERM {} is not valid UTF-8 text", Path::new(&a).display()))
        })
    };
    if !after_dashes.is_empty() {
        let terms = args.into_iter().map(to_term).collect::<Result<Vec<_>>>()?;
        if terms.is_empty() {
            return Err(no_terms());
        }
        return Ok((terms, after_dashes));
    }
    let split = args.iter().position(|a| Path::new(a).exists()).unwrap_or(args.len());
    let mut args = args;
    let paths: Vec<PathBuf> = args.split_off(split).into_iter().map(PathBuf::from).collect();
    let terms = args.into_iter().map(to_term).collect::<Result<Vec<_>>>()?;
    for term in &terms {
        if !could_be_term(term) {
            return Err(Error::Usage(format!(
                "`{term}` is not a file or folder here; check the path (to look for it as \
                 words, put the transcripts after `--`: qualkit kwic TERM… -- PATH…)"
            )));
        }
    }
    if let Some(first) = paths.first() {
        let text = first.to_string_lossy();
        if could_be_term(&text) {
            let kind = if first.is_dir() { "folder" } else { "file" };
            return Err(Error::Usage(format!(
                "`{text}` is a {kind} here and could also be a word to look for; to read the \
                 {kind}, write it as `./{text}`; to look for the word, put the transcripts \
                 after `--` (qualkit kwic TERM… -- PATH…)"
            )));
        }
        for p in &paths[1..] {
            let text = p.to_string_lossy();
            if !p.exists() && could_be_term(&text) {
                return Err(Error::Usage(format!(
                    "`{text}` comes after the PATH `{}` but is no file or folder; give every \
                     TERM before the first PATH",
                    first.display()
                )));
            }
        }
    }
    if terms.is_empty() {
        return Err(match paths.first() {
            Some(first) => Error::Usage(format!(
                "no TERM to look for: `{}` is a file or folder, so it and what follows are \
                 PATHs; give the TERMs first (qualkit kwic TERM… PATH…)",
                first.display()
            )),
            None => no_terms(),
        });
    }
    Ok((terms, paths))
}

fn no_terms() -> Error {
    Error::Usage(
        "give at least one TERM to look for (for example `qualkit kwic trust`), or --theme ID \
         to see a theme's mentions"
            .into(),
    )
}

/// With --theme every argument is a PATH; a plain word that is no file or folder was meant
/// as a TERM.
fn theme_paths(args: Vec<OsString>, after_dashes: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    for p in &paths {
        let text = p.to_string_lossy();
        if !p.exists() && could_be_term(&text) {
            return Err(Error::Usage(format!(
                "`{text}` is no file or folder; with --theme every argument is a transcript \
                 PATH (look for TERMs without --theme)"
            )));
        }
    }
    paths.extend(after_dashes);
    Ok(paths)
}
