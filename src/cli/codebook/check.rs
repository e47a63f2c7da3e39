//! `qualkit codebook check`: validate a codebook and lint it.

use crate::cli::Outcome;
use std::fmt::Write;
use std::path::PathBuf;

use crate::codebook::lint::lint;
use crate::codebook::Codebook;
use crate::error::Result;

/// Validate a codebook (the errors `analyze` reports) and lint it: a term in two themes, two
/// terms of one theme with the same stem, a wildcard so short it matches most words, an
/// exclude that can never overlap its theme's rules, a term word whose stem also matches
/// common unrelated words (English, with stemming: `integrity` and `integrate` share the stem
/// `integr`), a leaf theme without examples.
///
/// Exit 0 when clean (or only warnings), 1 with --deny-warnings and warnings, 2 on errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE", help = super::FILE_HELP)]
    pub file: PathBuf,

    /// Exit 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Runs `codebook check`.
pub fn run(args: Args) -> Result<Outcome> {
    let cb = Codebook::load(&args.file)?;
    let findings = lint(&cb);
    let mut out = String::new();
    for note in &cb.notes {
        let _ = writeln!(out, "{}: note: {note}", args.file.display());
    }
    for f in &findings {
        let _ = writeln!(
            out,
            "{}:{}: warning: theme '{}': {}",
            args.file.display(),
            f.line,
            f.theme,
            f.message
        );
    }
    let _ = writeln!(
        out,
        "{}: {} themes, {}",
        args.file.display(),
        cb.themes.len(),
        match findings.len() {
            0 => "no errors, no warnings".to_string(),
            1 => "no errors, 1 warning".to_string(),
            n => format!("no errors, {n} warnings"),
        }
    );
    crate::cli::print_stdout(&out)?;
    Ok(Outcome::check(!args.deny_warnings || findings.is_empty()))
}
