//! The benchmark generators (issue 6, crate `qualkit-bench` in bench/): the corpus generator
//! writes the same corpus for the same seed, in every format, of the size asked, and the
//! `qualkit` binary reads all of it; the codebook generator writes a codebook that checks
//! clean and passes its own tests. No timings are asserted here: figures live in
//! BENCHMARKS.md. (bench/tests/cli.rs runs the generators' own binary.)

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;
use qualkit::error::Result;
use qualkit_bench::codebook::{self, CodebookOptions};
use qualkit_bench::corpus::{self, CorpusOptions, Summary, Vocabulary};

/// Every file of a folder: name → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap())
        })
        .collect()
}

/// Generates a corpus of `mb` MB with `seed` into `out` (as `qualkit-bench generate` does),
/// in `formats` (empty: all), replacing the transcripts there when `force`.
fn generate(out: &Path, mb: f64, seed: u64, formats: &[&str], force: bool) -> Result<Summary> {
    let formats: Vec<String> = formats.iter().map(|f| f.to_string()).collect();
    let options = CorpusOptions::from_mb(mb, seed, &formats)?;
    corpus::prepare_folder(out, force)?;
    corpus::generate(out, &options, &Vocabulary::bundled())
}

/// A codebook as `qualkit-bench codebook --themes T --terms N --patterns P --seed S` writes it.
fn codebook(themes: usize, terms: usize, patterns: usize, seed: u64) -> Result<String> {
    codebook::generate(&CodebookOptions { themes, terms, patterns, seed })
}

fn total(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files.values().map(Vec::len).sum()
}

#[test]
fn issue6_the_same_seed_gives_the_same_corpus_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    for (out, seed) in [(&a, 3), (&b, 3), (&c, 4)] {
        generate(out, 1.0, seed, &[], false).unwrap();
    }
    let (a, b, c) = (files(&a), files(&b), files(&c));
    assert!(a.len() >= 8, "{} files", a.len());
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn issue6_every_format_is_written_and_read_without_errors_or_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let summary = generate(&out, 2.0, 7, &[], false).unwrap();
    let written = files(&out);
    assert_eq!(summary.files, written.len());
    assert_eq!(summary.bytes as usize, total(&written));
    let mut extensions: Vec<&str> = written.keys().map(|n| n.rsplit('.').next().unwrap()).collect();
    extensions.sort();
    extensions.dedup();
    assert_eq!(extensions, ["csv", "docx", "md", "odt", "srt", "tsv", "txt", "vtt"]);

    let inspect = qualkit(&["transcripts", "inspect", "--format", "json", arg(&out)]);
    assert_eq!(inspect.status.code(), Some(0), "{}", stderr(&inspect));
    let report: serde_json::Value = serde_json::from_str(&stdout(&inspect)).unwrap();
    assert_eq!(report["errors"], serde_json::json!([]));
    let sessions = report["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), written.len(), "one session per file");
    for s in sessions {
        assert_eq!(s["warnings"], serde_json::json!([]), "{}", s["file"]);
        let speakers = s["speakers"].as_array().unwrap();
        let moderators = speakers.iter().filter(|p| p["role"] == "moderator").count();
        assert_eq!(moderators, 1, "{}: {speakers:?}", s["file"]);
        assert!((6..=11).contains(&speakers.len()), "{}", s["file"]);
    }
    let text = read(&out.join(written.keys().find(|n| n.ends_with(".txt")).unwrap()));
    assert!(text.starts_with("---\nsession: fg-"), "{text}");
    for key in ["\ntitle: ", "\ndate: 2025-", "\nsite: ", "\ngroup: ", "\nmoderators: "] {
        assert!(text.contains(key), "{key}");
    }

    // The corpus codes with the bundled codebook: nothing unread, themes found.
    let reports = dir.path().join("reports");
    let analyze =
        qualkit(&["analyze", arg(&out), "-c", "codebooks/metaconnects.toml", "-o", arg(&reports)]);
    assert_eq!(analyze.status.code(), Some(0), "{}", stderr(&analyze));
    assert_eq!(stderr(&analyze), "");
    assert!(stdout(&analyze).contains("themes found: 25 of 25"), "{}", stdout(&analyze));
}

#[test]
fn issue6_the_corpus_is_the_size_asked_within_ten_percent() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (mb, formats)) in
        [(1.0, "txt"), (0.6, "docx,odt"), (1.5, "vtt,srt,csv,tsv,md")].into_iter().enumerate()
    {
        let out = dir.path().join(i.to_string());
        let wanted: Vec<&str> = formats.split(',').collect();
        generate(&out, mb, 9, &wanted, false).unwrap();
        let written = files(&out);
        let asked = mb * 1e6;
        let size = total(&written) as f64;
        assert!((size - asked).abs() <= asked * 0.1, "--mb {mb} --formats {formats}: {size} bytes");
        assert!(written.keys().all(|n| wanted.contains(&n.rsplit('.').next().unwrap())));
    }
}

#[test]
fn issue6_a_folder_with_files_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.md.bak"), "keep me").unwrap();
    fs::write(out.join("old.txt"), "Ana: an older corpus").unwrap();
    let err = generate(&out, 0.2, 1, &[], false).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not empty; choose a new folder, or add --force to replace the transcripts in \
             it (other files are left alone)",
            out.display()
        )
    );
    generate(&out, 0.2, 1, &[], true).unwrap();
    let written = files(&out);
    assert!(!written.contains_key("old.txt"));
    assert_eq!(written["notes.md.bak"], b"keep me");

    let err = generate(&out, 0.0, 1, &[], true).unwrap_err();
    assert_eq!(err.to_string(), "--mb 0 must be a size above 0, such as 100");
    let err = generate(&out, 1.0, 1, &["txt", "pdf"], true).unwrap_err();
    assert!(err.to_string().starts_with("--formats: `pdf` is not a format"), "{err}");
}

#[test]
fn issue6_a_generated_codebook_checks_clean_and_passes_its_own_tests() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("generated.toml");
    let text = codebook(500, 20, 40, 7).unwrap();
    fs::write(&file, &text).unwrap();
    assert!(text.contains("--themes 500 --terms 20 --patterns 40 --seed 7"), "{}", &text[..300]);

    let check = qualkit(&["codebook", "check", arg(&file)]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert_eq!(stdout(&check), format!("{}: 500 themes, no errors, no warnings\n", file.display()));
    let test = qualkit(&["codebook", "test", arg(&file)]);
    assert_eq!(test.status.code(), Some(0), "{}", stdout(&test));
    assert!(stdout(&test).ends_with(" passed, 0 failed\n"), "{}", stdout(&test));

    // Same seed, same codebook.
    assert_eq!(codebook(500, 20, 40, 7).unwrap(), text);
    assert_ne!(codebook(500, 20, 40, 8).unwrap(), text);
    let err = codebook(500, 0, 40, 7).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "--themes and --terms must be at least 1: every leaf theme needs a term"
    );
}

#[test]
fn issue6_a_generated_codebook_codes_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 0.5, 2, &[], false).unwrap();
    let codebook_file = dir.path().join("cb.toml");
    fs::write(&codebook_file, codebook(100, 10, 10, 7).unwrap()).unwrap();
    let reports = dir.path().join("reports");
    let analyze =
        qualkit(&["analyze", arg(&corpus), "-c", arg(&codebook_file), "-o", arg(&reports)]);
    assert_eq!(analyze.status.code(), Some(0), "{}", stderr(&analyze));
    let text = stdout(&analyze);
    let found: usize = text
        .split("themes found: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(found > 0, "{text}");
}
