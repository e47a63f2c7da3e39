//! `qualkit agree`: intercoder agreement between codings of the same transcripts.

use crate::cli::Outcome;
use std::path::{Path, PathBuf};

use super::input::{self, Input, InputArgs};
use super::OutputFormat;
use crate::agree::{self, codings, Options, Table, Unit};
use crate::code::corpus::CodingOptions;
use crate::error::{Error, Result};
use crate::imports;
use crate::report::{self, agreement};

/// Intercoder agreement between codings of the same transcripts (kappa, alpha, F1).
///
/// Each CODING is a qualkit mentions.csv (or a report folder holding one: `analyze` with one
/// codebook or another, or an imported REFI-QDA project), or a coding spreadsheet saved as
/// CSV: a `theme` column (several themes separated by `;`), the place as `session,turn` or
/// `file,line` (optionally narrowed by `start,end`, character offsets in the turn's text, end
/// exclusive), and optionally a `coder` column (one file may hold several coders). A row
/// with an empty theme only says that its session was coded.
///
/// Each unit (turn, sentence or character of the counted turns) is coded present or absent
/// per theme per coder. For each theme and pooled over all themes: percent agreement,
/// Cohen's kappa (two coders) or Fleiss' kappa (more), and Krippendorff's alpha (nominal),
/// with the counts behind them; with --gold, each other coder's precision, recall and F1.
///
/// A coder with no row for a session is missing for its units: Krippendorff's alpha uses
/// every unit coded by two or more coders; Cohen's kappa the units both coded; Fleiss' kappa
/// the units every coder coded.
///
/// With no --transcripts, the codings are of the bundled example (transcripts/metaconnects,
/// with codebooks/metaconnects.toml), run from the repository folder.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The codings: mentions.csv files, report folders and coding CSVs. NAME=PATH names the
    /// coder (by default the `coder` column, else the file's or the report folder's name).
    #[arg(value_name = "CODING", required = true)]
    pub codings: Vec<String>,

    /// The transcripts that were coded (files or folders; repeat for several)
    /// [default: the bundled example].
    #[arg(short, long, value_name = "PATH")]
    pub transcripts: Vec<PathBuf>,

    /// The codebook: each coded theme also codes its parents, as in qualkit's own mentions, so
    /// a coder who codes only leaf themes is compared fairly [default: the bundled codebook
    /// with the bundled transcripts].
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Compare themes exactly as coded, without rolling them up to parents (no codebook).
    #[arg(long, conflicts_with = "codebook")]
    pub no_codebook: bool,

    /// The unit of analysis: turn, sentence (turns cut at sentence ends) or character.
    #[arg(long, value_name = "UNIT", value_parser = super::input::named::<Unit>(), default_value = "turn")]
    pub unit: Unit,

    /// The reference coder: report precision, recall and F1 of every other coder against it.
    #[arg(long, value_name = "CODER")]
    pub gold: Option<String>,

    /// Leave out the units no coder coded with any theme (they are otherwise counted as
    /// agreement on every theme's absence, which inflates percent agreement).
    #[arg(long)]
    pub exclude_uncoded: bool,

    /// Names for the coders of the CODINGs, in order, separated by commas (as NAME=PATH).
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    pub name: Option<Vec<String>>,

    /// Write the disputed units for adjudication as CSV and Markdown: into a folder
    /// (DIR/disagreements.csv and .md; a folder that exists, or a path ending with /), or
    /// beside a prefix (PREFIX.csv and PREFIX.md).
    #[arg(long, value_name = "DIR_OR_PREFIX")]
    pub disagreements: Option<PathBuf>,

    // csv has one row per theme.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::help::FORMAT)]
    pub format: OutputFormat,

    // Output file.
    #[arg(short, long, value_name = "FILE", help = super::help::OUT_FILE)]
    pub out: Option<PathBuf>,

    // Moderators' turns are units too.
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    // Accepted for the one vocabulary: agree has no progress bar or summary.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// One coding to read, and the name it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file or report folder.
    pub path: PathBuf,
    /// The coder's name, from NAME=PATH or --name.
    pub name: Option<String>,
}

/// The resolved configuration of one `agree` run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The codings.
    pub sources: Vec<Source>,
    /// The transcripts.
    pub transcripts: Vec<PathBuf>,
    /// The codebook for rolling themes up.
    pub codebook: Option<PathBuf>,
    /// The unit of analysis.
    pub unit: Unit,
    /// The reference coder's name.
    pub gold: Option<String>,
    /// Leave out uncoded units.
    pub exclude_uncoded: bool,
    /// Where the disagreements go: the CSV and the Markdown file.
    pub disagreements: Option<(PathBuf, PathBuf)>,
    /// The output format.
    pub format: OutputFormat,
    /// The output file (`None`: stdout).
    pub out: Option<PathBuf>,
    /// Which turns are units.
    pub coding: CodingOptions,
    /// Print no notes or warnings.
    pub quiet: bool,
    /// How transcripts are read.
    pub input: Input,
}

impl Args {
    /// Resolves the arguments into a configuration, applying the bundled-example defaults.
    pub fn resolve(self) -> Result<Config> {
        let bundled = self.transcripts.is_empty();
        let transcripts = input::transcripts_or_bundled(self.transcripts)?;
        let codebook = match (self.codebook, self.no_codebook) {
            (_, true) => None,
            (Some(cb), false) => Some(cb),
            (None, false) => bundled.then(|| PathBuf::from(super::analyze::BUNDLED_CODEBOOK)),
        };
        let mut sources: Vec<Source> = self.codings.iter().map(|c| Source::parse(c)).collect();
        if let Some(names) = self.name {
            if names.len() != sources.len() {
                return Err(Error::Usage(format!(
                    "--name gives {} names for {} codings; give one name per CODING, in order",
                    names.len(),
                    sources.len()
                )));
            }
            for (s, n) in sources.iter_mut().zip(names) {
                s.name = Some(n.trim().to_string()).filter(|n| !n.is_empty()).or(s.name.take());
            }
        }
        let disagreements = self.disagreements.as_deref().map(disagreement_files);
        let mut outputs: Vec<&Path> = Vec::new();
        if let Some((csv, md)) = &disagreements {
            outputs.extend([csv.as_path(), md.as_path()]);
        }
        if let Some(out) = &self.out {
            outputs.push(out);
        }
        for out in outputs {
            if let Some(s) = sources.iter().find(|s| same_file(&s.path, out)) {
                return Err(Error::Usage(format!(
                    "{} would replace the coding {}; choose another output",
                    out.display(),
                    s.path.display()
                )));
            }
            if let Some(p) = transcripts.iter().find(|p| report::is_inside(p, out)) {
                return Err(Error::Usage(format!(
                    "{} would replace the transcript {}; choose another output",
                    out.display(),
                    p.display()
                )));
            }
        }
        Ok(Config {
            sources,
            transcripts,
            codebook,
            unit: self.unit,
            gold: self.gold,
            exclude_uncoded: self.exclude_uncoded,
            disagreements,
            format: self.format,
            out: self.out,
            coding: CodingOptions { include_moderators: self.include_moderators },
            quiet: self.quiet,
            input: self.input.resolve()?,
        })
    }
}

impl Source {
    /// `NAME=PATH` or `PATH` (a path that exists is taken whole, even with a `=` in it).
    pub fn parse(arg: &str) -> Source {
        if !Path::new(arg).exists() {
            if let Some((name, path)) = arg.split_once('=') {
                if !name.is_empty() && !name.contains(['/', '\\']) {
                    return Source { path: PathBuf::from(path), name: Some(name.to_string()) };
                }
            }
        }
        Source { path: PathBuf::from(arg), name: None }
    }
}

/// The disagreement files for `--disagreements`: `DIR/disagreements.{csv,md}` for a folder
/// (one that exists, or a path ending with a slash), else `PREFIX.csv` and `PREFIX.md` (a
/// `.csv` or `.md` extension given is replaced).
pub fn disagreement_files(arg: &Path) -> (PathBuf, PathBuf) {
    let text = arg.to_string_lossy();
    if arg.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return (arg.join("disagreements.csv"), arg.join("disagreements.md"));
    }
    let prefix = match arg.extension() {
        Some(e) if e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("md") => {
            arg.with_extension("")
        }
        _ => arg.to_path_buf(),
    };
    let with = |ext: &str| {
        let mut name = prefix.clone().into_os_string();
        name.push(ext);
        PathBuf::from(name)
    };
    (with(".csv"), with(".md"))
}

/// Whether `a` and `b` name the same file (or `a` is inside the folder `b`'s would be).
fn same_file(a: &Path, b: &Path) -> bool {
    let a = a.canonicalize().unwrap_or_else(|_| a.to_path_buf());
    match b.canonicalize() {
        Ok(b) => a == b || (a.is_dir() && b.starts_with(&a)),
        Err(_) => false,
    }
}

/// The coders of an export, each as a coding without rows yet: the coders it names (`Created
/// by`), or one named by NAME=PATH or after the file.
fn export_coders(source: &Source, export: &imports::Export) -> Vec<codings::Coding> {
    let named = imports::named_coders(export);
    let names = if named.is_empty() || source.name.is_some() && named.len() == 1 {
        vec![source.name.clone().unwrap_or_else(|| codings::default_name(&source.path))]
    } else {
        named
    };
    names
        .into_iter()
        .map(|coder| codings::Coding { coder, path: source.path.clone(), rows: Vec::new() })
        .collect()
}

/// The rows of `slot`'s coder in an export, placed on `sessions`, and what could not be
/// placed (each said on stderr).
fn place_export(
    source: &Source,
    export: &imports::Export,
    slot: &codings::Coding,
    sessions: &[crate::model::Session],
    codebook: Option<&crate::codebook::Codebook>,
) -> Result<(codings::Coding, Vec<Error>)> {
    let named = imports::named_coders(export);
    let options = imports::Options {
        codebook,
        coder: if named.len() > 1 { Some(slot.coder.clone()) } else { None },
        default_coder: slot.coder.clone(),
    };
    let imported = imports::import(&source.path, export, sessions, &options)?;
    for note in &imported.notes {
        eprintln!("note: {}: {note}", source.path.display());
    }
    let left_out: Vec<Error> = imported
        .unreadable
        .iter()
        .map(|why| Error::coding(&source.path, None, format!("left out {why}")))
        .collect();
    for e in &left_out {
        eprintln!("warning: {e}");
    }
    Ok((codings::of_import(&imported, &source.path, &slot.coder), left_out))
}

/// Runs `qualkit agree`.
pub fn run(args: Args) -> Result<Outcome> {
    let config = args.resolve()?;
    let failed = execute(&config)?;
    if !failed.is_empty() {
        eprintln!(
            "incomplete: {} left out (the errors and warnings above: transcripts that could \
             not be read, codings that could not be placed); the agreement covers the rest",
            crate::display::plural_as(failed.len(), "input", "inputs")
        );
    }
    Ok(Outcome::read(&failed))
}

/// Reads the codings and the transcripts, measures agreement and writes the results; returns
/// the transcript files that could not be read.
pub fn execute(config: &Config) -> Result<Vec<Error>> {
    let mut all = Vec::new();
    let mut exports = Vec::new();
    for source in &config.sources {
        match imports::sniff(&source.path)? {
            Some(export) => {
                let start = all.len();
                all.extend(export_coders(source, &export));
                exports.push((source, export, start..all.len()));
            }
            None => all.extend(codings::load(&source.path, source.name.as_deref())?),
        }
    }
    for (i, c) in all.iter().enumerate() {
        if let Some(other) = all[..i].iter().find(|o| o.coder == c.coder) {
            return Err(Error::Usage(format!(
                "two codings are both named `{}` ({} and {}); name them with NAME=PATH or --name",
                c.coder,
                other.path.display(),
                c.path.display()
            )));
        }
    }
    if all.len() < 2 {
        return Err(Error::Usage(format!(
            "agreement needs two or more coders, and {} holds one ({}); give another coding",
            all.first().map_or(String::new(), |c| c.path.display().to_string()),
            all.first().map_or(String::new(), |c| c.coder.clone())
        )));
    }
    let gold = match &config.gold {
        None => None,
        Some(name) => Some(all.iter().position(|c| &c.coder == name).ok_or_else(|| {
            Error::Usage(format!(
                "--gold {name} is not one of the coders: {}",
                all.iter().map(|c| c.coder.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?),
    };
    let codebook = config.codebook.as_deref().map(super::input::load_codebook).transpose()?;
    let mut own: Vec<&Path> = config.sources.iter().map(|s| s.path.as_path()).collect();
    if let Some((csv, md)) = &config.disagreements {
        own.extend([csv.as_path(), md.as_path()]);
    }
    if let Some(out) = &config.out {
        own.push(out);
    }
    let (sessions, mut failed) = config
        .input
        .with_threads(|| input::load_sessions(&config.input, &config.transcripts, &own))?;
    for (source, export, slots) in exports {
        for slot in &mut all[slots] {
            let (coding, left_out) =
                place_export(source, &export, slot, &sessions, codebook.as_ref())?;
            *slot = coding;
            failed.extend(left_out);
        }
    }

    let resolved = agree::resolve(all, &sessions, codebook.as_ref(), config.coding)?;
    let table = Table::build(&sessions, &resolved, config.unit, config.coding);
    let options = Options { coding: config.coding, exclude_uncoded: config.exclude_uncoded, gold };
    let result = agree::measure(&sessions, &resolved, &table, options, config.codebook.as_deref());
    if let Some((csv, md)) = &config.disagreements {
        let list = agree::disagreements(&table, options);
        let csv_text = agreement::disagreements_csv(&list, &sessions, &resolved)?;
        let md_text = agreement::disagreements_markdown(&list, &sessions, &resolved, &result);
        for path in [csv, md] {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io(parent, "create folder", e))?;
            }
        }
        report::output::write_file_atomic(csv, csv_text.as_bytes())?;
        report::output::write_file_atomic(md, md_text.as_bytes())?;
    }
    let text = match config.format {
        OutputFormat::Text => agreement::text(&result),
        OutputFormat::Csv => agreement::csv(&result)?,
        OutputFormat::Json => agreement::json(&result)?,
    };
    super::emit(config.out.as_deref(), &text)?;
    Ok(failed)
}
