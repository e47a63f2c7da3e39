//! `qualkit import qdpx`: read a project coded by people in another tool into qualkit's
//! mentions table, one coder at a time.

use crate::cli::Outcome;
use std::path::PathBuf;

use crate::codebook::CodebookFormat;
use crate::display::plural_as;
use crate::error::{Error, Result};
use crate::refi::import::{self, Options};
use crate::report::output::write_file_atomic;

/// Import codings made in other tools.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    // The help text is the doc comment of the arguments, shown whole by `--help`.
    Qdpx(QdpxArgs),
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
    }
}

fn qdpx(args: QdpxArgs) -> Result<Outcome> {
    let imported = import::read(&args.file, &Options { coder: args.coder.clone() })?;
    for note in &imported.notes {
        eprintln!("note: {}: {note}", args.file.display());
    }
    for source in &imported.unreadable {
        eprintln!("warning: {}: left out {source}", args.file.display());
    }
    let csv = import::mentions_csv(&imported);
    let toml = imported.codebook.export(CodebookFormat::Toml)?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(Error::Output {
            path: args.out.clone(),
            message: "exists and is not a folder; give --out a folder".into(),
        });
    }
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, "create folder", e))?;
    write_file_atomic(&args.out.join("mentions.csv"), csv.as_bytes())?;
    write_file_atomic(&args.out.join("codebook.toml"), toml.text.as_bytes())?;
    if !args.quiet {
        let coder = imported.coder.as_deref().unwrap_or("nobody");
        super::print_stdout(&format!(
            "{}: {} by {coder} -> {} in {} ({})\nwritten: {}, {}\n",
            args.file.display(),
            plural_as(imported.codings, "coding", "codings"),
            plural_as(imported.mention_count(), "mention", "mentions"),
            plural_as(imported.sessions.len(), "session", "sessions"),
            plural_as(imported.codebook.themes.len(), "code", "codes"),
            args.out.join("mentions.csv").display(),
            args.out.join("codebook.toml").display()
        ))?;
    }
    Ok(Outcome::read(&imported.unreadable))
}
