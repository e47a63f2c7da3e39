//! The bundled example: the committed reports are exactly what `qualkit analyze` produces,
//! and its codebook's examples and counterexamples hold.

mod common;

use std::fs;

use common::*;
use qualkit::code::{Coder, Engine};
use qualkit::codebook::Codebook;

#[test]
fn committed_reports_are_reproduced_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("metaconnects");
    let out = qualkit(&["analyze", "--out", arg(&out_dir), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "--quiet prints nothing");
    let committed = repo().join("reports/metaconnects");
    let mut names: Vec<String> = fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut produced: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    produced.sort();
    assert_eq!(names, produced);
    for name in names {
        let a = fs::read(committed.join(&name)).unwrap();
        let b = fs::read(out_dir.join(&name)).unwrap();
        if name == "manifest.json" {
            // The same but for the command line and the report folder (--out here).
            let manifest = |bytes: &[u8]| {
                let mut m: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                m["command"]["args"] = serde_json::Value::Null;
                m["command"]["options"]["out"] = serde_json::Value::Null;
                m
            };
            assert_eq!(manifest(&a), manifest(&b), "{name} differs from the committed report");
            let committed: serde_json::Value = serde_json::from_slice(&a).unwrap();
            assert_eq!(committed["command"]["args"], serde_json::json!(["qualkit", "analyze"]));
            continue;
        }
        assert!(a == b, "{name} differs from the committed report; run `cargo run --release -- analyze` and review the change");
    }
}

#[test]
fn every_example_is_coded_and_no_counterexample_is() {
    let cb = Codebook::load(&repo().join("codebooks/metaconnects.toml")).unwrap();
    let engine = Engine::new(&cb);
    let mut coder = Coder::new(&engine);
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, theme) in cb.themes.iter().enumerate() {
        for ex in &theme.examples {
            checked += 1;
            let (_, spans) = coder.code(&ex.value);
            if !spans.iter().any(|s| s.theme == i) {
                failures.push(format!("{}: example not coded: {}", theme.id, ex.value));
            }
        }
        for ex in &theme.counterexamples {
            checked += 1;
            let (_, spans) = coder.code(&ex.value);
            if spans.iter().any(|s| s.theme == i) {
                failures.push(format!("{}: counterexample coded: {}", theme.id, ex.value));
            }
        }
        if theme.has_rules() {
            assert!(!theme.examples.is_empty(), "leaf theme {} has no examples", theme.id);
            assert!(
                !theme.counterexamples.is_empty(),
                "leaf theme {} has no counterexamples",
                theme.id
            );
        }
    }
    assert!(checked > 50, "only {checked} examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_bundled_example_has_realistic_sessions() {
    let out = qualkit(&["analyze", "--out", arg(&tempfile::tempdir().unwrap().path().join("r"))]);
    let text = stdout(&out);
    assert!(text.starts_with("sessions: 4 "), "{text}");
    let cb = Codebook::load(&repo().join("codebooks/metaconnects.toml")).unwrap();
    for entry in fs::read_dir(repo().join("transcripts/metaconnects")).unwrap() {
        let path = entry.unwrap().path();
        let options = qualkit::ingest::ReadOptions::default();
        let session =
            qualkit::ingest::read(&qualkit::ingest::InputFile::named(path.clone()), &options)
                .unwrap()
                .remove(0);
        let words: usize =
            session.turns.iter().map(|t| qualkit::tokenize::count_tokens(&t.text)).sum();
        assert!(words >= 1500, "{}: {words} words", path.display());
        let participants =
            session.speakers.iter().filter(|s| s.role == qualkit::model::Role::Participant).count();
        let moderators = session.speakers.len() - participants;
        assert!(
            (5..=7).contains(&participants) && moderators == 1,
            "{}: {participants} participants",
            path.display()
        );
        for key in ["site", "group"] {
            assert!(
                session.attributes.iter().any(|(k, _)| k == key),
                "{}: no {key}",
                path.display()
            );
        }
        assert!(session.date.is_some());
    }
    assert!(cb.themes.len() >= 20);
}

#[test]
fn readme_excerpts_are_the_real_output() {
    let readme = read(&repo().join("README.md"));
    let reports = repo().join("reports/metaconnects");
    let frequencies = read(&reports.join("theme_frequencies.csv"));
    let head: String = frequencies.lines().take(4).map(|l| format!("{l}\n")).collect();
    assert!(readme.contains(&head), "README's theme_frequencies.csv excerpt is stale:\n{head}");
    let mentions = read(&reports.join("mentions.csv"));
    assert!(
        readme.contains(mentions.lines().nth(2).unwrap()),
        "README's mentions.csv row is stale"
    );
    let quotes = read(&reports.join("quotes.md"));
    let line = "18 mentions in 13 turns; 13 quotes shown.";
    assert!(quotes.contains(line) && readme.contains(line), "README's quotes.md excerpt is stale");
}
