//! `qualkit codebook convert`: read a codebook in one format and write it in another.

use crate::cli::Outcome;
use std::path::PathBuf;

use crate::codebook::{Codebook, CodebookFormat, ImportOptions};
use crate::error::{Error, Result};

/// Convert a codebook between formats: TOML (qualkit's own), CSV (one row per theme, for
/// spreadsheets), JSON, YAML, REFI-QDA .qdc (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette),
/// LIWC .dic and LIWC-22 .dicx; and from the dictionaries of WordStat (.cat), Yoshikoder
/// (.ykd), Lexicoder (.lc3, .lcd) and quanteda (a .yml whose top level is categories). The
/// formats come from the extensions unless --from/--to name them.
///
/// TOML, CSV, JSON, YAML and .qdc keep everything: the written file is read back and
/// compared before it replaces OUT. A .dic or .dicx holds only words, so other rules are
/// left out, each said on stderr. The output is written atomically; IN is never modified.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The codebook to read.
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// The file to write (replaced if it exists).
    #[arg(value_name = "OUT")]
    pub output: PathBuf,

    /// The format of IN: toml, csv, json, yaml, qdc, dic, dicx, cat, ykd, lc3 or quanteda
    /// (default: from its extension).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub from: Option<CodebookFormat>,

    /// The format of OUT (default: from its extension).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub to: Option<CodebookFormat>,

    /// Dictionary import: match plain words by their stem (by default they match exactly, as
    /// in the dictionary's tool; wildcards are kept either way).
    #[arg(long)]
    pub stem: bool,
}

fn parse_format(name: &str) -> std::result::Result<CodebookFormat, String> {
    CodebookFormat::from_name(name).ok_or_else(|| {
        format!(
            "unknown codebook format `{name}`; expected one of: {}",
            CodebookFormat::ALL.map(CodebookFormat::name).join(", ")
        )
    })
}

/// Runs `codebook convert`.
pub fn run(args: Args) -> Result<Outcome> {
    let from = CodebookFormat::for_path(&args.input, args.from)?;
    let to = CodebookFormat::for_path(&args.output, args.to)?;
    if same_file(&args.input, &args.output) {
        return Err(Error::Usage(format!(
            "{}: OUT is the input file; write the converted codebook to another file",
            args.output.display()
        )));
    }
    let cb = Codebook::import(&args.input, from, &ImportOptions { stem: args.stem })?;
    // What the content said it is (a `.yml` of categories is a quanteda dictionary).
    let from = std::fs::read_to_string(&args.input).map_or(from, |text| from.by_content(&text));
    for note in &cb.notes {
        eprintln!("note: {}: {note}", args.input.display());
    }
    let exported = cb.export(to)?;
    for note in &exported.notes {
        eprintln!("note: {}: {note}", args.output.display());
    }
    crate::report::output::write_file_atomic(&args.output, exported.text.as_bytes())?;
    eprintln!(
        "{} ({from}, {} themes) -> {} ({to})",
        args.input.display(),
        cb.themes.len(),
        args.output.display()
    );
    Ok(Outcome::Done)
}

/// Whether two paths name the same existing file.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
