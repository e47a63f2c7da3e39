//! Every malformed fixture under `tests/fixtures/malformed/` through the real binary: exit
//! code 2, and the whole error message — naming the file (and line) and saying what is wrong
//! and what to do — equal to its `.expected` file.

mod common;

use std::path::Path;

use common::{qualkit, read, repo, stderr};

/// Runs every fixture of `folder` with `command` and checks it; returns the number checked.
fn check_folder(folder: &str, command: &[&str]) -> usize {
    let dir = repo().join("tests/fixtures/malformed").join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|e| e != "expected"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).expect("a UTF-8 name");
        let expected_file = file.with_file_name(format!("{name}.expected"));
        assert!(expected_file.exists(), "{} has no .expected file", file.display());
        let expected = read(&expected_file);
        let relative = Path::new("tests/fixtures/malformed").join(folder).join(name);
        let relative = relative.to_str().expect("a UTF-8 path");
        let mut args = command.to_vec();
        args.push(relative);
        let out = qualkit(&args);
        let message = stderr(&out);
        if out.status.code() != Some(2) {
            failures.push(format!("{name}: exit {:?}, stderr: {message}", out.status.code()));
            continue;
        }
        if !message.starts_with(&format!("error: {relative}")) {
            failures.push(format!("{name}: the message does not start with the file: {message}"));
        }
        if message != expected {
            failures.push(format!("{name}: expected\n{expected}but got\n{message}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    files.len()
}

#[test]
fn malformed_transcripts_are_errors_naming_the_file_and_line() {
    let checked = check_folder("transcripts", &["transcripts", "inspect", "--strict"]);
    assert!(checked >= 20, "only {checked} transcript fixtures");
}

#[test]
fn malformed_codebooks_are_errors_naming_the_file_and_line() {
    let checked = check_folder("codebooks", &["codebook", "check"]);
    assert!(checked >= 25, "only {checked} codebook fixtures");
}
