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

/// The rows of a committed CSV report as maps from column to value.
fn csv_rows(name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(repo().join("reports/metaconnects").join(name)).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

/// The question ids of the bundled interview guide.
fn guide_ids() -> Vec<String> {
    let guide = read(&repo().join("codebooks/metaconnects-guide.txt"));
    guide
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once(':').unwrap().0.to_string())
        .collect()
}

#[test]
fn the_question_matrix_equals_the_mentions_and_the_segment_matrix() {
    use std::collections::{BTreeMap, BTreeSet};
    // A guide question is one row across the sessions (its session empty); any other
    // question is a row of its session.
    let guide = guide_ids();
    assert_eq!(guide.len(), 7);
    let session_of = |session: &str, question: &str| {
        if guide.iter().any(|g| g == question) {
            String::new()
        } else {
            session.to_string()
        }
    };
    // (session, question, theme) → mentions, turns, speakers who are one person each, and
    // the sessions where it was raised.
    type Cell = (usize, BTreeSet<(String, String)>, BTreeSet<(String, String)>, BTreeSet<String>);
    let mut expected: BTreeMap<(String, String, String), Cell> = BTreeMap::new();
    for m in csv_rows("mentions.csv") {
        if m["question"].is_empty() {
            continue;
        }
        let key =
            (session_of(&m["session"], &m["question"]), m["question"].clone(), m["theme"].clone());
        let cell = expected.entry(key).or_default();
        cell.0 += 1;
        cell.1.insert((m["session"].clone(), m["turn"].clone()));
        if m["role"] != "group" {
            cell.2.insert((m["session"].clone(), m["speaker"].clone()));
        }
        cell.3.insert(m["session"].clone());
    }
    // (session, question) → answer turns and words.
    let mut answers: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for s in csv_rows("segment_matrix.csv") {
        let key = (session_of(&s["session"], &s["question"]), s["question"].clone());
        let a = answers.entry(key).or_default();
        a.0 += 1;
        a.1 += s["words"].parse::<u64>().unwrap();
    }
    let rows = csv_rows("question_matrix.csv");
    assert_eq!(rows.len(), expected.len(), "one row per question and theme raised under it");
    for r in &rows {
        let key = (r["session"].clone(), r["question"].clone(), r["theme"].clone());
        let (mentions, turns, speakers, sessions) = &expected[&key];
        let got = (&r["mentions"], &r["turns"], &r["speakers"], &r["sessions"]);
        let want = (
            &mentions.to_string(),
            &turns.len().to_string(),
            &speakers.len().to_string(),
            &sessions.len().to_string(),
        );
        assert_eq!(got, want, "{key:?}");
        let (answer_turns, answer_words) = answers[&(key.0.clone(), key.1.clone())];
        assert_eq!(r["answer_turns"], answer_turns.to_string(), "{key:?}");
        assert_eq!(r["answer_words"], answer_words.to_string(), "{key:?}");
        let rate = *mentions as f64 * 1000.0 / answer_words as f64;
        assert_eq!(r["per_1000_words"], format!("{rate:.3}"), "{key:?}");
    }
    // Rows of the committed file: "What makes a good organizer?", asked in all four
    // sessions, raised trust 7 times; mc-01's follow-up "Who else?" is its own question.
    assert!(rows.iter().any(|r| r["session"].is_empty()
        && r["question"] == "organizer"
        && r["theme"] == "trust"
        && r["mentions"] == "7"
        && r["sessions"] == "4"));
    assert!(rows.iter().any(|r| r["session"] == "mc-01" && r["question_text"] == "Who else?"));
}
