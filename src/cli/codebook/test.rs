//! `qualkit codebook test`: run a codebook's examples and counterexamples.

use crate::cli::Outcome;
use std::fmt::Write;
use std::path::PathBuf;

use crate::code::examples::{self, ExampleKind};
use crate::code::Engine;
use crate::codebook::Codebook;
use crate::error::Result;

/// Run every `examples` sentence (must be coded with its theme) and `counterexamples`
/// sentence (must not be) through the real coding engine; for each failure, say which rule
/// fired or why none did. Exit 1 on any failure.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE", help = super::FILE_HELP)]
    pub file: PathBuf,
}

/// Runs `codebook test`.
pub fn run(args: Args) -> Result<Outcome> {
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
    crate::cli::print_stdout(&out)?;
    Ok(Outcome::check(outcome.failures.is_empty()))
}
