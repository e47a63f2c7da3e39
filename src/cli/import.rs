//! `qualkit import`: read codings made by people in another tool into qualkit's mentions
//! table, one coder at a time: a REFI-QDA project (`qdpx`), or the coding exports of
//! Taguette, MAXQDA and ATLAS.ti placed on the transcripts they were made in.

use crate::cli::Outcome;
use std::path::{Path, PathBuf};

use super::input::{self, InputArgs};
use crate::codebook::CodebookFormat;
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::imports::{self, Tool};
use crate::refi::import::{self, Imported, Options};
use crate::report::output::write_file_atomic;

/// Import codings made in other tools.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    // The help text is the doc comment of the arguments, shown whole by `--help`.
    Qdpx(QdpxArgs),
    Taguette(TaguetteArgs),
    Maxqda(MaxqdaArgs),
    Atlasti(AtlastiArgs),
}

/// Read Taguette's highlights export (Export highlights: CSV or Excel, `id,document,tag,
/// content`) and write its codings as DIR/mentions.csv (the columns `analyze` writes, with
/// rule_kind `manual`, the coder as rule and each highlight's id as coding_id) and its tags
/// as DIR/codebook.toml (or the --codebook given).
///
/// A highlight has no position: it is placed by finding its text in the transcript its
/// `document` names (by file name, with or without extension): exactly, then with white
/// space, curly quotes, dashes and case normalised, then without speaker labels and times.
/// Of several places, the first one not taken by a highlight of the same tag. A highlight over
/// several turns becomes a mention in each. A highlight that cannot be placed is listed with
/// its id, line and text, and the exit code is 3.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit import taguette all_tags.csv --transcripts transcripts/ --out coded/ana\n  \
    qualkit import taguette highlights.xlsx -t transcripts/ -c codebook.toml --out coded/ana")]
pub struct TaguetteArgs {
    #[command(flatten)]
    pub export: ExportArgs,
}

/// Read MAXQDA's coded segments export (Export coded segments: Excel or CSV, with `Document
/// name`, `Code`, `Beginning`, `End` and `Segment`) and write its codings as DIR/mentions.csv
/// and its codes as DIR/codebook.toml (or the --codebook given).
///
/// Each segment is placed within the paragraphs `Beginning` to `End` of its document (the
/// lines of a text transcript), where its text confirms the place (found as for Taguette;
/// elsewhere in the document when not within them). A sub-code `Parent\Child` (or
/// `Parent > Child`) is a sub-theme. With several coders (`Created by`), choose one with
/// --coder. A segment that cannot be placed is listed, and the exit code is 3.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit import maxqda \"Coded segments.xlsx\" --transcripts transcripts/ --out coded/maxqda")]
pub struct MaxqdaArgs {
    #[command(flatten)]
    pub export: ExportArgs,
}

/// Read ATLAS.ti's quotation export (the Quotation Manager's Excel export, or it as CSV:
/// `ID`, `Document`, the quotation's `Content`, `Codes` one per line) and write one mention
/// per quotation and code as DIR/mentions.csv and the codes as DIR/codebook.toml (or the
/// --codebook given).
///
/// Each quotation is placed by its text, as for Taguette, within its paragraphs (`Start`,
/// `End` or `Reference`) when given; a code `Parent::Child` is a sub-theme; the quotation's
/// ID is its coding_id. A quotation that cannot be placed is listed, and the exit code is 3.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit import atlasti Quotations.xlsx --transcripts transcripts/ --out coded/atlas")]
pub struct AtlastiArgs {
    #[command(flatten)]
    pub export: ExportArgs,
}

/// The arguments of the imports of coding exports.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The export: a CSV file or an Excel workbook (its first sheet).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The transcripts that were coded (files or folders; repeat for several).
    #[arg(short, long, value_name = "PATH", required = true)]
    pub transcripts: Vec<PathBuf>,

    /// Where the output goes: the folder to write mentions.csv and codebook.toml into
    /// (created if needed; the two files are replaced).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,

    /// The codebook whose themes the codes are, by id or label [default: a codebook of the
    /// export's codes].
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// The coder whose codings are read, when the export names several [default: the only
    /// one, or the file's name].
    #[arg(long, value_name = "NAME")]
    pub coder: Option<String>,

    // No summary.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Read a coded REFI-QDA project (.qdpx, or a .qde with its sources in a `sources` folder
/// beside it) and write one coder's codings as DIR/mentions.csv (the columns `analyze`
/// writes, with rule_kind `manual` and the coder as rule) and the project's codebook as
/// DIR/codebook.toml.
///
/// Each text source is read as a transcript (`Speaker:` turns; without labels, one turn
/// per paragraph) and each coded selection becomes a mention of its code's theme in every
/// turn it covers, clipped to the turn's text. Positions are Unicode code points; sources
/// with `\r\n` line ends are counted the way their selection names show (or as their tool
/// counts). What is left out (media, memos, selections outside the text, codes not in the
/// codebook) is said on stderr. Exit code 3 when the text of some coded sources is missing.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qualkit import qdpx study.qdpx --out coded/                 (lists the coders if several)\n  \
    qualkit import qdpx study.qdpx --coder \"Ana Ruiz\" --out coded/ana")]
pub struct QdpxArgs {
    /// The project: a .qdpx archive (or a .qde file).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Where the output goes: the folder to write mentions.csv and codebook.toml into (created if needed; the two
    /// files are replaced).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,

    /// The coder whose codings are read: a user's name as the project gives it (or their
    /// GUID). Required when the project holds codings of several coders.
    #[arg(long, value_name = "NAME")]
    pub coder: Option<String>,

    // No summary.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,
}

/// Runs `qualkit import`.
pub fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::Qdpx(args) => qdpx(args),
        Command::Taguette(args) => export(Tool::Taguette, args.export),
        Command::Maxqda(args) => export(Tool::Maxqda, args.export),
        Command::Atlasti(args) => export(Tool::Atlasti, args.export),
    }
}

/// `import taguette|maxqda|atlasti`: places the export's codings on the transcripts.
fn export(tool: Tool, args: ExportArgs) -> Result<Outcome> {
    let read = imports::read_export(&args.file)?;
    if read.tool != tool {
        return Err(Error::Usage(format!(
            "{} is {}'s export, not {}'s; use `qualkit import {}`",
            args.file.display(),
            read.tool.name(),
            tool.name(),
            read.tool.name().to_lowercase().replace('.', "")
        )));
    }
    let codebook = args.codebook.as_deref().map(input::load_codebook).transpose()?;
    let input = args.input.resolve()?;
    let own = [args.file.as_path(), args.out.as_path()];
    let (sessions, failed) =
        input.with_threads(|| input::load_sessions(&input, &args.transcripts, &own))?;
    let options = imports::Options {
        codebook: codebook.as_ref(),
        coder: args.coder.clone(),
        default_coder: crate::agree::codings::default_name(&args.file),
    };
    let mut imported = imports::import(&args.file, &read, &sessions, &options)?;
    imported.unreadable.extend(failed.iter().map(|e| e.to_string()));
    write_import(&args.file, &imported, &args.out, args.quiet)
}

fn qdpx(args: QdpxArgs) -> Result<Outcome> {
    let imported = import::read(&args.file, &Options { coder: args.coder.clone() })?;
    write_import(&args.file, &imported, &args.out, args.quiet)
}

/// Writes an import's mentions.csv and codebook.toml into `out`, with its notes and what it
/// left out on stderr and a summary on stdout.
fn write_import(file: &Path, imported: &Imported, out: &Path, quiet: bool) -> Result<Outcome> {
    for note in &imported.notes {
        eprintln!("note: {}: {note}", file.display());
    }
    for source in &imported.unreadable {
        eprintln!("warning: {}: left out {source}", file.display());
    }
    let csv = import::mentions_csv(imported);
    let toml = imported.codebook.export(CodebookFormat::Toml)?;
    if out.exists() && !out.is_dir() {
        return Err(Error::Output {
            path: out.to_path_buf(),
            message: "exists and is not a folder; give --out a folder".into(),
        });
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "create folder", e))?;
    write_file_atomic(&out.join("mentions.csv"), csv.as_bytes())?;
    write_file_atomic(&out.join("codebook.toml"), toml.text.as_bytes())?;
    if !quiet {
        let coder = imported.coder.as_deref().unwrap_or("nobody");
        super::print_stdout(&format!(
            "{}: {} by {coder} -> {} in {} ({})\nwritten: {}, {}\n",
            file.display(),
            plural_as(imported.codings, "coding", "codings"),
            plural_as(imported.mention_count(), "mention", "mentions"),
            plural_as(imported.sessions.len(), "session", "sessions"),
            plural_as(imported.codebook.themes.len(), "code", "codes"),
            out.join("mentions.csv").display(),
            out.join("codebook.toml").display()
        ))?;
    }
    Ok(Outcome::read(&imported.unreadable))
}
