//! `qualkit codebook suggest` through the real binary: a fixture where the right rule is
//! known (three sessions whose funding talk is about grants, a codebook that only knows
//! `money` and `budget`), learning on some sessions and measuring on another, the codebook
//! written with `--out`, determinism, and bad input.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{arg, qualkit, read, stderr, stdout};

const DIR: &str = "tests/fixtures/suggest";

fn suggest(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["codebook", "suggest", "tests/fixtures/suggest/codebook.toml"];
    args.extend(["--gold", "tests/fixtures/suggest/gold.csv"]);
    args.extend(extra);
    qualkit(&args)
}

fn all_sessions() -> Vec<&'static str> {
    ["s1", "s2", "s3"].iter().flat_map(|s| ["-t", session(s)]).collect()
}

fn session(name: &str) -> &'static str {
    match name {
        "s1" => "tests/fixtures/suggest/s1.txt",
        "s2" => "tests/fixtures/suggest/s2.txt",
        _ => "tests/fixtures/suggest/s3.txt",
    }
}

#[test]
fn the_known_rule_is_suggested_with_its_counts_and_examples() {
    let out = suggest(&[&all_sessions()[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["sessions"], 3);
    assert_eq!(json["units"], 21);
    let suggestions = json["suggestions"].as_array().unwrap();
    assert_eq!(suggestions.len(), 1, "{suggestions:?}");
    let s = &suggestions[0];
    assert_eq!(s["theme"], "funding");
    assert_eq!(s["rule"], "grant");
    assert_eq!(s["kind"], "term");
    assert_eq!(s["origin"], "coded");
    assert_eq!((s["tp_added"].as_u64(), s["fp_added"].as_u64()), (Some(9), Some(0)));
    assert_eq!((s["precision"].as_f64(), s["recall"].as_f64()), (Some(1.0), Some(1.0)));
    // Held out one session at a time, the codebook finds 1 of 4 funding turns (F1 0.4); with
    // `grant`, learned from the other two sessions each time, all of them.
    assert_eq!(s["cv_f1_before"].as_f64(), Some(0.4));
    assert_eq!(s["cv_f1_after"].as_f64(), Some(1.0));
    assert_eq!(s["example"][0], "tests/fixtures/suggest/s1.txt:5");
    assert_eq!(s["example"][1], "We lost the grant last spring, so we cut two programs.");
    assert!(s["false_positive"].is_null());
    let before = &json["before"][0];
    assert_eq!(before["theme"], "funding");
    assert_eq!(before["coded_by_person"], 12);
    assert_eq!(before["recall"].as_f64(), Some(0.25));
}

#[test]
fn the_text_listing_shows_the_theme_before_and_the_rule_after() {
    let out = suggest(&all_sessions());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(
        "tests/fixtures/suggest/codebook.toml: 1 suggestion learned from \
         tests/fixtures/suggest/gold.csv (hand) over 21 units in 3 sessions"
    ));
    assert!(text.contains(
        "theme funding (coded by the person in 12 units; the codebook: precision 1.00, recall 0.25)"
    ));
    assert!(text.contains("+ term grant"));
    assert!(text.contains("+9 TP +0 FP  precision 1.00 recall 1.00  held-out F1 0.40 -> 1.00"));
    assert!(text.contains("adds: tests/fixtures/suggest/s1.txt:5: \"We lost the grant"));
}

/// The turns of `session` coded with funding in `mentions.csv`, and in the gold coding.
fn funding_turns(mentions: &Path, session: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut coded = BTreeSet::new();
    let mut reader = csv::Reader::from_path(mentions).unwrap();
    let h = reader.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        if &r[col("theme")] == "funding" {
            coded.insert(r[col("turn")].to_string());
        }
    }
    let gold = read(&Path::new(DIR).join("gold.csv"))
        .lines()
        .filter(|l| l.starts_with(&format!("{session},")) && l.contains(",funding,"))
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    (coded, gold)
}

#[test]
fn learned_on_two_sessions_the_codebook_raises_recall_on_the_third() {
    let dir = tempfile::tempdir().unwrap();
    let learned = dir.path().join("learned.toml");
    let out = suggest(&["-t", session("s1"), "-t", session("s2"), "--out", arg(&learned)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = read(&learned);
    assert!(text.contains("terms = [\"money\", \"budget\",\n    \"grant\", # suggested by qualkit codebook suggest from tests/fixtures/suggest/gold.csv (hand): over-represented"), "{text}");
    // Nothing the researcher wrote is gone.
    let original = read(&Path::new(DIR).join("codebook.toml"));
    for line in original.lines().filter(|l| !l.starts_with("terms = [\"money\"")) {
        assert!(text.contains(line), "{line}");
    }
    for check in [["codebook", "check"], ["codebook", "test"]] {
        let out = qualkit(&[check[0], check[1], arg(&learned)]);
        assert_eq!(out.status.code(), Some(0), "{check:?}: {}{}", stdout(&out), stderr(&out));
    }
    let recall = |codebook: &str, name: &str| {
        let report = dir.path().join(name);
        let out =
            qualkit(&["analyze", session("s3"), "-c", codebook, "-o", arg(&report), "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let (coded, gold) = funding_turns(&report.join("mentions.csv"), "s3");
        gold.intersection(&coded).count() as f64 / gold.len() as f64
    };
    assert_eq!(recall("tests/fixtures/suggest/codebook.toml", "before"), 0.25);
    assert_eq!(recall(arg(&learned), "after"), 1.0);
}

#[test]
fn the_same_inputs_give_the_same_suggestions_at_any_thread_count() {
    let one = suggest(&[&all_sessions()[..], &["--format", "csv", "--threads", "1"]].concat());
    let two = suggest(&[&all_sessions()[..], &["--format", "csv", "--threads", "2"]].concat());
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(stdout(&one), stdout(&two));
    assert!(stdout(&one).starts_with(
        "theme,kind,rule,origin,tp_added,fp_added,precision,recall,cv_f1_before,cv_f1_after,"
    ));
    assert!(stdout(&one).contains("\nfunding,term,grant,coded,9,0,1.0000,1.0000,0.4000,1.0000,"));
}

#[test]
fn the_bundled_codebook_against_the_mc01_hand_coding() {
    let out = qualkit(&[
        "codebook",
        "suggest",
        "codebooks/metaconnects.toml",
        "--gold",
        "tests/fixtures/agree/mc-01-hand.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["sessions"], 1);
    assert_eq!(json["units"], 50);
    let suggestions = json["suggestions"].as_array().unwrap();
    assert!(suggestions.len() >= 5, "{suggestions:?}");
    for s in suggestions {
        // Every suggestion raises its theme's held-out F1 and adds a true positive.
        assert!(s["cv_f1_after"].as_f64() > s["cv_f1_before"].as_f64(), "{s}");
        assert!(s["tp_added"].as_u64() >= Some(1), "{s}");
    }
    let trust = suggestions.iter().find(|s| s["theme"] == "trust").unwrap();
    assert_eq!(trust["rule"], "remember");
}

#[test]
fn bad_input_is_a_clear_error() {
    let out = qualkit(&[
        "codebook",
        "suggest",
        "tests/fixtures/suggest/codebook.toml",
        "--gold",
        "tests/fixtures/agree/three.csv",
        "-t",
        "tests/fixtures/agree/transcripts/ten.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds 3 coders"), "{}", stderr(&out));
    assert!(stderr(&out).contains("choose one with --gold-coder NAME"), "{}", stderr(&out));
    let out = suggest(&["-t", session("s1"), "--unit", "character"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--unit character cannot be learned from"));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cb.csv");
    std::fs::write(&csv, "id,terms\nfunding,money\n").unwrap();
    let out = qualkit(&[
        "codebook",
        "suggest",
        arg(&csv),
        "--gold",
        "tests/fixtures/suggest/gold.csv",
        "-t",
        session("s1"),
        "--out",
        arg(&dir.path().join("new.toml")),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--out adds the suggestions to a TOML codebook"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("new.toml").exists());
}

#[test]
fn a_codebook_in_another_format_gets_the_same_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("codebook.json");
    let out = qualkit(&["codebook", "convert", "tests/fixtures/suggest/codebook.toml", arg(&json)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut args =
        vec!["codebook", "suggest", arg(&json), "--gold", "tests/fixtures/suggest/gold.csv"];
    args.extend(all_sessions());
    args.extend(["--format", "csv"]);
    let from_json = qualkit(&args);
    assert_eq!(from_json.status.code(), Some(0), "{}", stderr(&from_json));
    let from_toml = suggest(&[&all_sessions()[..], &["--format", "csv"]].concat());
    assert_eq!(stdout(&from_json), stdout(&from_toml));
    assert!(stdout(&from_json).contains("\nfunding,term,grant,coded,9,0,"));
}
