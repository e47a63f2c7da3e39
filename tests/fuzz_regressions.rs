//! The fuzz regressions (`tests/fixtures/fuzz/<target>/`) and the malformed fixtures, run
//! in-process through the fuzz targets: each gives a value or an error naming the file, and
//! every mention of what was read lies inside its turn.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

use targets::{Kind, TARGETS};

/// The files of `dir` with `extension`, in name order.
fn files(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == extension))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn every_kept_input_gives_a_value_or_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    for target in TARGETS {
        let malformed = match target.kind {
            Kind::Transcript(_) => root.join("malformed/transcripts"),
            Kind::Codebook(_) => root.join("malformed/codebooks"),
            // Projects: the other-tool fixture (a real project, mostly without its sources).
            Kind::Project => root.join("refi/other-tool"),
        };
        let mut inputs = files(&root.join("fuzz").join(target.name), target.extension);
        inputs.extend(files(&malformed, target.extension));
        for input in inputs {
            let bytes = std::fs::read(&input).expect("readable fixture");
            checked += 1;
            if let Err(finding) = targets::run(*target, &bytes) {
                failures.push(format!("{} ({}): {finding}", input.display(), target.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 50, "only {checked} inputs");
}
