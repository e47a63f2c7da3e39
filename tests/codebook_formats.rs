//! Codebooks in other forms: `codebook convert` between TOML, CSV, JSON and YAML (lossless,
//! read back before writing), every command reading them by extension, and `codebook show`.

mod common;

use std::path::Path;

use common::*;

const BUNDLED: &str = "codebooks/metaconnects.toml";

fn convert(from: &Path, to: &Path) {
    let out = qualkit(&["codebook", "convert", arg(from), arg(to)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_bundled_codebook_round_trips_through_csv_json_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.json");
    convert(Path::new(BUNDLED), &reference);
    for ext in ["csv", "yaml", "toml", "json"] {
        let there = dir.path().join(format!("metaconnects.{ext}"));
        convert(Path::new(BUNDLED), &there);
        let out = qualkit(&["codebook", "test", arg(&there)]);
        assert_eq!(stdout(&out), "90 passed, 0 failed\n", "{ext}");
        let out = qualkit(&["codebook", "check", arg(&there), "--deny-warnings"]);
        assert_eq!(out.status.code(), Some(0), "{ext}: {}", stdout(&out));
        let back = dir.path().join(format!("back-from-{ext}.json"));
        convert(&there, &back);
        assert_eq!(read(&back), read(&reference), "{ext} changed the codebook");
    }
    // The CSV has a header with the TOML keys and one row per theme after the settings row.
    let csv = read(&dir.path().join("metaconnects.csv"));
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header.join(","),
        "id,label,parent,color,brief,definition,when_to_use,when_not_to_use,terms,patterns,near,exclude,examples,counterexamples"
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 26);
    assert_eq!((&rows[0][0], &rows[0][1]), ("[codebook]", "MetaConnects focus groups"));
    let trust = rows.iter().find(|r| &r[0] == "trust").unwrap();
    assert_eq!(&trust[8], "trust; honesty; credib*; transparen*; keep their word; keep your word");
    let patience = rows.iter().find(|r| &r[0] == "patience").unwrap();
    assert_eq!(&patience[10], "slow* NEAR/6 change");
}

const EVERYTHING: &str = r##"[codebook]
name = "Estudio"
language = "spanish"
stemming = false
description = """
Two lines;
of description."""

[[theme]]
id = "confianza"
label = "Confianza"
color = "#1F77B4"
brief = "Trust; in Spanish."
definition = "Uses a comma, a \"quote\" and a semicolon; here."
terms = ["confianza", "confi*", "ganarse la confianza"]
patterns = ['\bconf[ií]o\b', 'a;b']
near = [{ a = "líder*", b = "comunidad", within = 5 }]
exclude = ["confianza ciega"]
examples = ["Hay que ganarse la confianza; despacio.", "Confío en ella."]
counterexamples = ["Nada que ver."]

[[theme]]
id = "hijo"
parent = "confianza"
terms = ["hijo"]
examples = ["Mi hijo."]
"##;

#[test]
fn everything_a_codebook_says_survives_csv_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("estudio.toml");
    std::fs::write(&original, EVERYTHING).unwrap();
    let reference = dir.path().join("reference.json");
    convert(&original, &reference);
    let json = read(&reference);
    for needle in [
        r#""language": "spanish""#,
        r#""stemming": false"#,
        r#""description": "Two lines;\nof description.""#,
        r##""color": "#1F77B4""##,
        r#""a;b""#,
        r#""within": 5"#,
    ] {
        assert!(json.contains(needle), "{needle} missing from\n{json}");
    }
    for ext in ["csv", "yaml"] {
        let there = dir.path().join(format!("estudio.{ext}"));
        convert(&original, &there);
        let back = dir.path().join(format!("back-{ext}.json"));
        convert(&there, &back);
        assert_eq!(read(&back), json, "{ext}");
    }
    let csv = read(&dir.path().join("estudio.csv"));
    assert!(csv.starts_with("id,label,parent,color,brief,definition,when_to_use,when_not_to_use,terms,patterns,near,exclude,examples,counterexamples,language,stemming\n"), "{csv}");
    assert!(csv.contains(r#"Hay que ganarse la confianza\; despacio.; Confío en ella."#), "{csv}");
    assert!(csv.contains(r#"\bconf[ií]o\b; a\;b"#), "{csv}");
    assert!(csv.contains(",spanish,false\n"), "{csv}");
}

#[test]
fn a_codebook_that_a_format_cannot_carry_is_refused_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("spaces.toml");
    std::fs::write(
        &original,
        "[[theme]]\nid = \"x\"\npatterns = [' in the community']\nexamples = [\"We live in the community.\"]\n",
    )
    .unwrap();
    let target = dir.path().join("spaces.csv");
    std::fs::write(&target, "old contents\n").unwrap();
    let out = qualkit(&["codebook", "convert", arg(&original), arg(&target)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "cannot be written as csv without changing it: theme 'x': `patterns` [\" in the community\"] became [\"in the community\"]"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&target), "old contents\n", "a failed conversion leaves OUT as it was");
}

#[test]
fn convert_refuses_unknown_formats_and_overwriting_its_input() {
    let out = qualkit(&["codebook", "convert", BUNDLED, "out.docx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot tell the codebook format from the file name; use one of the extensions .toml, .json, .yaml, .csv, .dic, .qdc"), "{}", stderr(&out));
    let out = qualkit(&["codebook", "convert", BUNDLED, BUNDLED]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("OUT is the input file"), "{}", stderr(&out));
    let out = qualkit(&["codebook", "convert", BUNDLED, "x.txt", "--to", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown codebook format `pdf`"), "{}", stderr(&out));
}

#[test]
fn errors_in_csv_json_and_yaml_codebooks_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("unknown.csv", "id,terms,wat\nx,a,\n", "unknown.csv:1: unknown column `wat` (column 3)"),
        (
            "near.csv",
            "id,terms,near\n[codebook],,\nx,\"a;b\",a NEAR b\n",
            "near.csv:3: theme 'x': near rule `a NEAR b` is not of the form `a NEAR/3 b`",
        ),
        (
            "setting.csv",
            "id,terms,language\nx,a,french\n",
            "setting.csv:2: theme 'x': `language` is a codebook setting; fill it only in the [codebook] row",
        ),
        ("comma.json", "{\"theme\": [{\"id\": \"x\", \"terms\": [\"a\"],}]}", "comma.json:1: invalid JSON codebook: trailing comma"),
        (
            "field.yaml",
            "theme:\n  - id: x\n    terms: [a]\n    term: b\n",
            "field.yaml:4: invalid YAML codebook: theme[0]: unknown field `term`",
        ),
        (
            "regex.yaml",
            "theme:\n  - id: x\n    terms: [a]\n  - id: y\n    terms:\n      - \"(open\"\n    patterns:\n      - \"(open\"\n",
            "regex.yaml:8: theme 'y': invalid regex `(open`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = qualkit(&["codebook", "check", arg(&path)]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let message = stderr(&out).replace(&format!("{}/", dir.path().display()), "");
        assert!(message.starts_with(&format!("error: {expected}")), "{name}: {message}");
    }
}

#[test]
fn analyze_codes_with_a_yaml_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = dir.path().join("cb.yml");
    std::fs::write(
        &codebook,
        "codebook:\n  name: Small\ntheme:\n  - id: trust\n    terms: [trust]\n",
    )
    .unwrap();
    let transcript = dir.path().join("s1.txt");
    std::fs::write(&transcript, "Ana: We trust them.\nBo: Trusting takes time.\n").unwrap();
    let reports = dir.path().join("reports");
    let out = qualkit(&[
        "analyze",
        arg(&transcript),
        "--codebook",
        arg(&codebook),
        "--out",
        arg(&reports),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let freq = read(&reports.join("theme_frequencies.csv"));
    let trust = freq.lines().find(|l| l.starts_with("trust,")).unwrap();
    assert!(trust.starts_with("trust,trust,,2,"), "{freq}");
}

#[test]
fn show_writes_the_codebook_as_markdown_html_and_csv() {
    let out = qualkit(&["codebook", "show", BUNDLED]);
    assert_eq!(out.status.code(), Some(0));
    let md = stdout(&out);
    assert!(md.starts_with("# MetaConnects focus groups: codebook\n"), "{md}");
    assert!(md.contains("    - 1.1.1 Trust and honesty (`trust`)\n"), "{md}");
    assert!(md.contains(
        "## 1.1.1 Trust and honesty\n\n- **Code:** `trust`\n- **Parent:** 1.1 Values (`values`)\n"
    ));
    assert!(
        md.contains(
            "- Words, in any form with the same stem: “trust”, “honesty”.\n\
         - Words beginning with: “credib…”, “transparen…”.\n\
         - Phrases (words in a row, each in any form): “keep their word”, “keep your word”.\n"
        ),
        "{md}"
    );
    assert!(md.contains("- Near each other: “slow…” within 6 words of “change”.\n"), "{md}");
    assert_eq!(md.matches("\n## ").count(), 26, "contents and 25 themes");

    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("codebook.html");
    let out = qualkit(&["codebook", "show", BUNDLED, "--format", "html", "--out", arg(&html_path)]);
    assert_eq!(out.status.code(), Some(0));
    let html = read(&html_path);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<section class=\"theme\"").count(), 25);
    assert!(html.contains("Messages that don&#x27;t resonate with residents"), "text is escaped");
    for external in ["http://", "https://", "<script", "<link", "@import"] {
        assert!(!html.contains(external), "the page must be self-contained: {external}");
    }

    let out = qualkit(&["codebook", "show", BUNDLED, "--format", "csv"]);
    let text = stdout(&out);
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().take(4).collect::<Vec<_>>(),
        ["number", "code", "label", "parent"]
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 25);
    assert_eq!((&rows[2][0], &rows[2][1], &rows[2][3]), ("1.1.1", "trust", "values"));
    assert!(rows[0][10].starts_with("Coded through its sub-themes: Values; "), "{:?}", &rows[0]);
}
