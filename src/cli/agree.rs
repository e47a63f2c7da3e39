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
///
/// With --ratings FILE instead of codings, the ratings of units by coders on any scale:
/// percent agreement, Cohen's kappa, Scott's pi, Fleiss' and Conger's kappa, Brennan &
/// Prediger, Gwet's AC1 (AC2 when weighted) and Krippendorff's alpha at --level, each with
/// its standard error and 95% interval (see docs/agreement.md).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The codings: mentions.csv files, report folders and coding CSVs. NAME=PATH names the
    /// coder (by default the `coder` column, else the file's or the report folder's name).
    #[arg(value_name = "CODING", required_unless_present = "ratings")]
    pub codings: Vec<String>,

    /// A ratings file instead of codings (CSV, TSV or XLSX): long form `unit,coder,value`, or
    /// wide form (a unit column, then one column per coder; an empty cell is a missing
    /// rating). Values are numbers or labels. No transcripts are read.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["codings", "transcripts", "codebook", "gold", "disagreements"])]
    pub ratings: Option<PathBuf>,

    /// The rating categories in order, separated by commas (with --ratings) [default: numeric
    /// order for numbers, else order of first appearance].
    #[arg(long, value_name = "A,B,…", value_delimiter = ',', requires = "ratings")]
    pub categories: Option<Vec<String>>,

    /// Krippendorff's alpha's level of measurement (with --ratings): nominal, ordinal,
    /// interval or ratio [default: nominal].
    #[arg(long, value_name = "LEVEL", requires = "ratings")]
    pub level: Option<String>,

    /// The weights of the kappa-type coefficients (with --ratings): identity, linear,
    /// quadratic, ordinal, radical, ratio, circular or bipolar (Gwet 2014) [default: identity].
    #[arg(long, value_name = "NAME", requires = "ratings", conflicts_with = "weights_file")]
    pub weights: Option<String>,

    /// A weight matrix as CSV, one row and one column per category in category order (with
    /// --ratings; a header row and a label column are allowed).
    #[arg(long, value_name = "FILE", requires = "ratings")]
    pub weights_file: Option<PathBuf>,

    /// A percentile bootstrap interval of Krippendorff's alpha from N resamples of the units
    /// (with --ratings).
    #[arg(long, value_name = "N", requires = "ratings")]
    pub bootstrap: Option<usize>,

    /// The seed of the bootstrap: the same seed gives the same interval [default: 1].
    #[arg(long, value_name = "N", requires = "bootstrap")]
    pub seed: Option<u64>,

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

    /// The reference coder: every other coder's precision, recall and F1 are measured
    /// against it.
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

/// Codings read from their files: each coding's rows, and the exports of other tools
/// (Taguette, MAXQDA, ATLAS.ti, REFI-QDA), whose rows are placed once the transcripts are read.
pub struct ReadCodings<'a> {
    /// The codings, in source order (an export's coders without rows until placed).
    pub codings: Vec<codings::Coding>,
    /// The exports: their source, what was sniffed and their coders' slots in `codings`.
    exports: Vec<(&'a Source, imports::Export, std::ops::Range<usize>)>,
}

impl<'a> ReadCodings<'a> {
    /// Reads every coding of `sources` (an export's coders are named, not yet placed).
    pub fn of(sources: &'a [Source]) -> Result<ReadCodings<'a>> {
        let mut read = ReadCodings { codings: Vec::new(), exports: Vec::new() };
        for source in sources {
            match imports::sniff(&source.path)? {
                Some(export) => {
                    let start = read.codings.len();
                    read.codings.extend(export_coders(source, &export));
                    read.exports.push((source, export, start..read.codings.len()));
                }
                None => read.codings.extend(codings::load(&source.path, source.name.as_deref())?),
            }
        }
        Ok(read)
    }

    /// Places the exports' rows on `sessions`; returns what could not be placed (each said
    /// on stderr).
    pub fn place_exports(
        &mut self,
        sessions: &[crate::model::Session],
        codebook: Option<&crate::codebook::Codebook>,
    ) -> Result<Vec<Error>> {
        let mut failed = Vec::new();
        for (source, export, slots) in &self.exports {
            for slot in &mut self.codings[slots.clone()] {
                let (coding, left_out) = place_export(source, export, slot, sessions, codebook)?;
                *slot = coding;
                failed.extend(left_out);
            }
        }
        Ok(failed)
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
    if args.ratings.is_some() {
        return run_ratings(&args);
    }
    let ratings_only = [
        ("--categories", args.categories.is_some()),
        ("--level", args.level.is_some()),
        ("--weights", args.weights.is_some()),
        ("--weights-file", args.weights_file.is_some()),
        ("--bootstrap", args.bootstrap.is_some()),
        ("--seed", args.seed.is_some()),
    ];
    if let Some((flag, _)) = ratings_only.iter().find(|(_, given)| *given) {
        return Err(Error::Usage(format!(
            "{flag} applies to a ratings file: add --ratings FILE, or leave {flag} out \
             (codings of transcripts are compared as present/absent per theme)"
        )));
    }
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
    let mut read = ReadCodings::of(&config.sources)?;
    let all = &read.codings;
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
    failed.extend(read.place_exports(&sessions, codebook.as_ref())?);

    let resolved = agree::resolve(read.codings, &sessions, codebook.as_ref(), config.coding)?;
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

/// `qualkit agree --ratings FILE`: every coefficient of the ratings in FILE.
fn run_ratings(args: &Args) -> Result<Outcome> {
    use crate::analysis::reliability::{self as rel, output, Level, WeightScheme};
    let Some(path) = args.ratings.as_deref() else { return Ok(Outcome::Done) };
    let ratings = rel::read_ratings(path, args.categories.as_deref())?;
    let level = Level::parse(args.level.as_deref().unwrap_or("nominal"))?;
    let (weights, name) = match (&args.weights_file, &args.weights) {
        (Some(file), _) => {
            let w = rel::read_weight_matrix(file, ratings.categories().len())?;
            (w, file.display().to_string())
        }
        (None, name) => {
            let scheme = WeightScheme::parse(name.as_deref().unwrap_or("identity"))?;
            (scheme.matrix(ratings.categories())?, scheme.name().to_string())
        }
    };
    let bootstrap = (args.bootstrap.unwrap_or(0), args.seed.unwrap_or(1));
    let options = rel::Options { weights, level, bootstrap };
    let coefficients = rel::all_coefficients(&ratings, &options)?;
    let mut report = output::Report::new(path.display().to_string(), &ratings, coefficients);
    report.weights = name;
    report.level = level.name().to_string();
    report.bootstrap = (bootstrap.0 > 0).then_some(bootstrap);
    let text = match args.format {
        OutputFormat::Text => output::text(&report),
        OutputFormat::Csv => output::csv(&report),
        OutputFormat::Json => output::json(&report),
    };
    super::emit(args.out.as_deref(), &text)?;
    Ok(Outcome::Done)
}
