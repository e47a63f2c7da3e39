//! `qualkit codebook check` and `qualkit codebook test`: lint a codebook, and run its own
//! examples and counterexamples through the coding engine.

use std::fmt::Write;
use std::path::PathBuf;

use crate::code::examples::{self, ExampleKind};
use crate::code::Engine;
use crate::codebook::lint::lint;
use crate::codebook::Codebook;
use crate::error::{exit, Result};

/// Subcommands about codebooks.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Validate and lint a codebook: errors, then warnings, each with its line and theme.
    Check(CheckArgs),
    /// Run the codebook's examples and counterexamples through the coding engine.
    Test(TestArgs),
}

/// Validate a codebook (the errors `analyze` reports) and lint it: a term in two themes, two
/// terms of one theme with the same stem, a wildcard so short it matches most words, an
/// exclude that can never overlap its theme's rules, a term word whose stem also matches
/// common unrelated words (English, with stemming: `integrity` and `integrate` share the stem
/// `integr`), a leaf theme without examples.
///
/// Exit 0 when clean (or only warnings), 1 with --deny-warnings and warnings, 2 on errors.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The codebook (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Exit 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Run every `examples` sentence (must be coded with its theme) and `counterexamples`
/// sentence (must not be) through the real coding engine; for each failure, say which rule
/// fired or why none did. Exit 1 on any failure.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The codebook (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs a `codebook` subcommand.
pub fn run(command: Command) -> Result<i32> {
    match command {
        Command::Check(args) => check(args),
        Command::Test(args) => test(args),
    }
}

fn check(args: CheckArgs) -> Result<i32> {
    let cb = Codebook::load(&args.file)?;
    let findings = lint(&cb);
    let mut out = String::new();
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
    super::print_stdout(&out)?;
    Ok(if args.deny_warnings && !findings.is_empty() { exit::CHECK_FAILED } else { exit::OK })
}

fn test(args: TestArgs) -> Result<i32> {
    let cb = Codebook::load(&args.file)?;
    let engine = Engine::new(&cb);
    let outcome = examples::run(&cb, &engine);
    let mut out = String::new();
    for f in &outcome.failures {
        let what = match f.kind {
            ExampleKind::Example => "example not coded",
            ExampleKind::Counterexample => "counterexample coded",
        };
        let _ = writeln!(
            out,
            "FAIL {}:{}: theme '{}': {what}: \"{}\"\n     {}",
            args.file.display(),
            f.line,
            cb.themes[f.theme].id,
            f.text,
            f.reason
        );
    }
    let _ = writeln!(out, "{} passed, {} failed", outcome.passed, outcome.failures.len());
    super::print_stdout(&out)?;
    Ok(if outcome.failures.is_empty() { exit::OK } else { exit::CHECK_FAILED })
}
