//! Helpers shared by the integration tests: run the real binary from the repository root.

#![allow(dead_code)]

pub mod office;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the tests' working directory for the binary).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `qualkit ARGS…` in the repository root.
pub fn qualkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the qualkit binary runs")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Reads a file as text.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A path as a `&str` argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// `../shared/corpora/SUB`, when it is there (see `qualkit::shared_corpus`): skipped on a
/// developer's machine without it, a failure in CI.
pub fn shared(sub: &str) -> Option<PathBuf> {
    qualkit::shared_corpus::path(sub)
}

/// Writes a generated corpus of `mb` MB with `seed` into `out` (as `qualkit-bench generate`
/// does), for the tests that need more than a batch of transcripts.
pub fn generated_corpus(out: &Path, mb: f64, seed: u64) {
    use qualkit_bench::corpus::{generate, CorpusOptions, Vocabulary};
    let options = CorpusOptions::from_mb(mb, seed, &[]).expect("valid options");
    generate(out, &options, &Vocabulary::bundled()).expect("the corpus is written");
}
