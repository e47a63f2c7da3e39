//! Provenance and output safety through the real binary: `manifest.json` (hashes equal to
//! `sha256sum`, counts equal to the reports'), `qualkit verify` on edited inputs and
//! outputs, `qualkit diff` of a codebook edit, and report folders that survive failed runs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use serde_json::Value;

const MINI: &str = "tests/fixtures/mini/transcripts";
const MINI_CODEBOOK: &str = "tests/fixtures/mini/codebook.toml";

/// Runs `qualkit ARGS…` in `dir`.
fn qualkit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the qualkit binary runs")
}

/// `sha256sum FILE`'s digest.
fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().expect("sha256sum runs");
    assert!(out.status.success(), "sha256sum {}", path.display());
    stdout(&out).split_whitespace().next().unwrap().to_string()
}

fn manifest(folder: &Path) -> Value {
    serde_json::from_str(&read(&folder.join("manifest.json"))).expect("manifest.json is JSON")
}

/// Every file of a folder with its bytes.
fn snapshot(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(folder)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The names in a folder (to find leftover temporary folders).
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A study in a temporary folder: the mini transcripts and codebook, with relative paths.
fn study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("transcripts")).unwrap();
    for name in ["a.txt", "b.txt"] {
        fs::copy(repo().join(MINI).join(name), dir.path().join("transcripts").join(name)).unwrap();
    }
    fs::copy(repo().join(MINI_CODEBOOK), dir.path().join("codebook.toml")).unwrap();
    dir
}

const STUDY: &[&str] =
    &["analyze", "transcripts", "--codebook", "codebook.toml", "--out", "report", "--quiet"];

#[test]
fn the_manifest_records_hashes_equal_to_sha256sum_and_the_counts_of_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    let out = qualkit(&["analyze", MINI, "--codebook", MINI_CODEBOOK, "--out", arg(&report)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m = manifest(&report);

    assert_eq!(m["manifest_version"], 1);
    assert_eq!(m["qualkit_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        m["command"]["args"],
        serde_json::json!([
            "qualkit",
            "analyze",
            MINI,
            "--codebook",
            MINI_CODEBOOK,
            "--out",
            arg(&report)
        ])
    );
    let options = &m["command"]["options"];
    assert_eq!(options["paths"], serde_json::json!([MINI]));
    assert_eq!(options["codebook"], MINI_CODEBOOK);
    assert_eq!(options["unit"], "turn");
    assert_eq!(options["max_quotes"], 25);
    assert_eq!(options["include_moderators"], false);
    assert_eq!(options["compare_by"], Value::Null);
    assert!(options.get("threads").is_none());

    assert_eq!(m["codebook"]["path"], MINI_CODEBOOK);
    assert_eq!(m["codebook"]["sha256"], sha256sum(&repo().join(MINI_CODEBOOK)));
    assert_eq!(m["participants"], Value::Null);

    // Hand count (tests/analyze.rs): a.txt is s1, 4 turns of which 3 counted (28 words);
    // b.txt is b, 3 turns of which 2 counted (7 words).
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    for (input, name, turns) in [(&inputs[0], "a.txt", 4), (&inputs[1], "b.txt", 3)] {
        let path = repo().join(MINI).join(name);
        assert_eq!(input["path"], format!("{MINI}/{name}"));
        assert_eq!(input["sha256"], sha256sum(&path));
        assert_eq!(input["bytes"], fs::metadata(&path).unwrap().len());
        assert_eq!(input["format"], "text");
        assert_eq!(input["sessions"], 1);
        assert_eq!(input["turns"], turns);
        assert!(input.get("error").is_none());
    }
    let totals = &m["totals"];
    assert_eq!(totals["inputs"], 2);
    assert_eq!(totals["sessions"], 2);
    assert_eq!(totals["turns"], 7);
    assert_eq!(totals["counted_turns"], 5);
    assert_eq!(totals["counted_words"], 35);
    assert_eq!(totals["themes"], 4);
    let words: u64 = inputs.iter().map(|i| i["words"].as_u64().unwrap()).sum();
    assert_eq!(totals["words"], words);
    assert!(words > 35, "moderators' words are in the inputs' words: {words}");

    // The counts are those of the reports: mentions.csv's rows, theme_frequencies.csv's
    // mentions, and its rates per 1,000 counted words.
    let frequencies = read(&report.join("theme_frequencies.csv"));
    let mut mentions = 0;
    for row in frequencies.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let n: u64 = cells[3].parse().unwrap();
        mentions += n;
        let rate = n as f64 * 1000.0 / 35.0;
        assert_eq!(cells[7], format!("{rate:.3}"), "{row}");
    }
    assert_eq!(totals["mentions"], mentions);
    assert_eq!(mentions as usize, rows(&report.join("mentions.csv")));
    assert!(stdout(&out).contains("participant words: 35\n"), "{}", stdout(&out));

    // Every other file of the folder is listed, by name, with its sha256sum and size.
    let outputs = m["outputs"].as_array().unwrap();
    let mut listed: Vec<String> =
        outputs.iter().map(|o| o["file"].as_str().unwrap().to_string()).collect();
    let mut files = names(&report);
    files.retain(|f| f != "manifest.json");
    assert_eq!(listed, files, "outputs are sorted by name");
    listed.sort();
    assert_eq!(listed.len(), 15);
    for o in outputs {
        let path = report.join(o["file"].as_str().unwrap());
        assert_eq!(o["sha256"], sha256sum(&path), "{}", path.display());
        assert_eq!(o["bytes"], fs::metadata(&path).unwrap().len());
    }
}

#[test]
fn the_manifest_is_byte_identical_for_the_same_inputs_whatever_the_thread_count() {
    let a = study();
    let b = study();
    let mut one = STUDY.to_vec();
    one.extend(["--threads", "1"]);
    let mut three = STUDY.to_vec();
    three.extend(["--threads=3"]);
    assert_eq!(qualkit_in(a.path(), &one).status.code(), Some(0));
    assert_eq!(qualkit_in(b.path(), &three).status.code(), Some(0));
    let (a, b) = (snapshot(&a.path().join("report")), snapshot(&b.path().join("report")));
    assert!(a["manifest.json"] == b["manifest.json"], "the manifests differ");
    assert_eq!(a, b);
    let text = String::from_utf8(a["manifest.json"].clone()).unwrap();
    assert!(!text.contains("threads"), "{text}");
    assert!(text.contains(r#""path": "transcripts/a.txt""#), "relative paths stay relative");
}

#[test]
fn verify_passes_on_a_fresh_report_and_detects_edited_inputs_and_outputs() {
    let dir = study();
    assert_eq!(qualkit_in(dir.path(), STUDY).status.code(), Some(0));
    let verify = |root: &Path| qualkit_in(root, &["verify", "report"]);

    let out = verify(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        stdout(&out),
        "report: unchanged since the run (codebook, 2 inputs, 15 outputs; SHA-256 checked)\n"
    );

    // An edited transcript.
    let a = dir.path().join("transcripts/a.txt");
    let original = fs::read(&a).unwrap();
    fs::write(&a, [original.as_slice(), b"Ana: One more thing.\n"].concat()).unwrap();
    let out = verify(dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "report: inputs changed since the run (1 of 18 files)\n\
         \x20 changed    input         transcripts/a.txt\n\
         unchanged: codebook, 1 input, 15 outputs\n\
         the reports no longer match their inputs: run `qualkit analyze` again\n"
    );
    fs::write(&a, &original).unwrap();
    assert_eq!(verify(dir.path()).status.code(), Some(0), "restored");

    // An edited report, a deleted one, and a file added to the report folder.
    fs::write(dir.path().join("report/quotes.md"), "# edited by hand\n").unwrap();
    fs::remove_file(dir.path().join("report/cooccurrence.csv")).unwrap();
    fs::write(dir.path().join("report/notes.txt"), "mine").unwrap();
    let out = verify(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with("report: reports changed since the run (3 of 19 files)\n"), "{text}");
    assert!(text.contains("  changed    output        quotes.md\n"), "{text}");
    assert!(text.contains("  missing    output        cooccurrence.csv\n"), "{text}");
    assert!(text.contains("  added      output        notes.txt\n"), "{text}");

    // The CSV form names the digests: recorded, and now (sha256sum).
    let out = qualkit_in(dir.path(), &["verify", "report", "--format", "csv"]);
    let csv = stdout(&out);
    let quotes = csv.lines().find(|l| l.contains(",quotes.md,")).unwrap();
    assert!(quotes.ends_with(&sha256sum(&dir.path().join("report/quotes.md"))), "{quotes}");
    assert!(quotes.starts_with("changed,output,quotes.md,"), "{quotes}");
}

#[test]
fn verify_finds_a_new_transcript_and_an_edited_codebook_from_another_folder_with_root() {
    let dir = study();
    assert_eq!(qualkit_in(dir.path(), STUDY).status.code(), Some(0));
    fs::write(dir.path().join("transcripts/c.txt"), "Eve: A new group.\n").unwrap();
    fs::write(dir.path().join("codebook.toml"), "# edited\n").unwrap();
    let report = dir.path().join("report");
    // From the repository folder, the relative paths are taken from --root.
    let out = qualkit(&["verify", arg(&report), "--root", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("  changed    codebook      codebook.toml\n"), "{text}");
    assert!(text.contains("  added      input         transcripts/c.txt\n"), "{text}");
    assert!(text.contains("unchanged: 2 inputs, 15 outputs\n"), "{text}");
    // Without --root, the inputs are not where the manifest says: missing.
    let out = qualkit(&["verify", arg(&report)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("  missing    input         transcripts/a.txt\n"));
}

#[test]
fn verify_needs_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("theme_frequencies.csv"), "theme\n").unwrap();
    let out = qualkit(&["verify", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: has no manifest.json: it is not a report folder, or it was written \
             before qualkit wrote manifests; run `qualkit analyze` again to add one\n",
            dir.path().display()
        )
    );
}

/// The rows of a CSV file (a mention's text may span lines).
fn rows(path: &Path) -> usize {
    ::csv::Reader::from_path(path).unwrap().records().count()
}

/// One row of mentions.csv: (session, turn, start, end, theme, text), by column name.
fn mention_rows(csv: &str, keep: impl Fn(&BTreeMap<&str, &str>) -> bool) -> Vec<[String; 6]> {
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| r.unwrap())
        .filter_map(|r| {
            let row: BTreeMap<&str, &str> =
                header.iter().map(String::as_str).zip(r.iter()).collect();
            keep(&row).then(|| {
                ["session", "turn", "start", "end", "theme", "text"].map(|k| row[k].to_string())
            })
        })
        .collect()
}

#[test]
fn diff_of_a_codebook_edit_that_removes_a_term_lists_exactly_the_lost_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let codebook = read(&repo().join("codebooks/metaconnects.toml"));
    let line = r#"terms = ["trust", "honesty", "credib*", "transparen*", "keep their word", "keep your word"]"#;
    assert!(codebook.contains(line), "the trust theme's terms changed; update this test");
    let edited = dir.path().join("edited.toml");
    fs::write(&edited, codebook.replace(r#""trust", "honesty", "#, r#""trust", "#)).unwrap();
    let run = |out: &Path, codebook: &str| {
        let out = qualkit(&[
            "analyze",
            "transcripts/metaconnects",
            "--codebook",
            codebook,
            "--out",
            arg(out),
            "--quiet",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    run(&old, "codebooks/metaconnects.toml");
    run(&new, arg(&edited));

    // Expected: the mentions made by the term `honesty` alone (in `trust` and, rolled up,
    // its parents).
    let old_mentions = read(&old.join("mentions.csv"));
    let mut expected = mention_rows(&old_mentions, |row| row["rule"] == "honesty");
    assert!(expected.len() >= 6, "{expected:?}");
    let out = qualkit(&["diff", arg(&old), arg(&new), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(diff.starts_with("change,theme,session,turn,start,end,file,line,speaker,text\n"));
    let mut lost = mention_rows(&diff, |row| row["change"] == "lost");
    assert!(mention_rows(&diff, |row| row["change"] == "gained").is_empty(), "{diff}");
    expected.sort();
    lost.sort();
    assert_eq!(lost, expected);

    // The text form: the codebook change, the counts from theme_frequencies.csv, each
    // lost mention with its text and location.
    let count = |folder: &Path, theme: &str| -> i64 {
        let text = read(&folder.join("theme_frequencies.csv"));
        let row = text.lines().find(|l| l.starts_with(&format!("{theme},"))).unwrap();
        row.split(',').nth(3).unwrap().parse().unwrap()
    };
    let (before, after) = (count(&old, "trust"), count(&new, "trust"));
    assert_eq!(before - after, expected.iter().filter(|r| r[4] == "trust").count() as i64);
    let out = qualkit(&["diff", arg(&old), arg(&new)]);
    let text = stdout(&out);
    let total = |folder: &Path| rows(&folder.join("mentions.csv"));
    assert!(
        text.contains(&format!(
            "mentions: {} -> {} (-{}): 0 gained, {} lost\n",
            total(&old),
            total(&new),
            expected.len(),
            expected.len()
        )),
        "{text}"
    );
    assert!(
        text.contains("what changed in between:\n  codebook: codebooks/metaconnects.toml (sha256 "),
        "{text}"
    );
    assert!(!text.contains("  input "), "the inputs did not change: {text}");
    let trust_row = text.lines().find(|l| l.starts_with("trust ")).unwrap();
    let cells: Vec<&str> = trust_row.split_whitespace().collect();
    assert_eq!(
        cells[1..4],
        [before.to_string(), after.to_string(), format!("-{}", before - after)]
    );
    assert!(text.contains("\ntrust (Trust and honesty): 0 gained, "), "{text}");
    assert!(
        text.contains(
            "  - \"honesty\" — Ernesto, mc-02 turn 13, transcripts/metaconnects/2025-03-11-east-la.txt:33\n"
        ),
        "{text}"
    );

    // The same reports: no change, and --exit-code says so.
    let out = qualkit(&["diff", arg(&old), arg(&old), "--exit-code"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("same codebook, inputs and options\nno change in the reports"));
    let out = qualkit(&["diff", arg(&old), arg(&new), "--exit-code", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["lost"], expected.len());
    let trust = json["themes"].as_array().unwrap().iter().find(|t| t["theme"] == "trust").unwrap();
    assert_eq!((trust["old"].as_i64(), trust["new"].as_i64()), (Some(before), Some(after)));
}

#[test]
fn diff_lists_themes_added_and_removed_and_limits_the_mentions_listed() {
    let dir = study();
    assert_eq!(qualkit_in(dir.path(), STUDY).status.code(), Some(0));
    let codebook = read(&dir.path().join("codebook.toml"));
    // The mini codebook's `money` theme goes; a `care` theme comes.
    let start = codebook.find("id = \"money\"").expect("the mini codebook has money");
    let block = codebook[..start].rfind("[[theme]]").unwrap();
    let edited = format!(
        "{}[[theme]]\nid = \"care\"\nlabel = \"Care\"\nterms = [\"patience\", \"long haul\"]\n",
        &codebook[..block]
    );
    assert!(!edited.contains("money"));
    fs::write(dir.path().join("edited.toml"), edited).unwrap();
    let out = qualkit_in(
        dir.path(),
        &["analyze", "transcripts", "--codebook", "edited.toml", "--out", "new", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = qualkit_in(dir.path(), &["diff", "report", "new", "--max", "1"]);
    let text = stdout(&out);
    assert!(text.contains("themes added: care\nthemes removed: money\n"), "{text}");
    // money: 6 mentions in the hand count, 3 in each session; care: patience's 2.
    assert!(
        text.contains(
            "\ntheme     old     new  change  by session\n\
             care        -       2      +2  s1 +2\n\
             money       6       -      -6  s1 -3, b -3\n"
        ),
        "{text}"
    );
    assert!(text.contains("mentions: 20 -> 16 (-4): 2 gained, 6 lost\n"), "{text}");
    assert!(text.contains("\nmoney (Money): 0 gained, 6 lost\n  - \""), "{text}");
    assert!(text.contains("  - … and 5 more (--max 0 lists all)\n"), "{text}");
}

/// Runs the mini study into `report` and returns the folder's files.
fn first_run(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = qualkit_in(dir, STUDY);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    snapshot(&dir.join("report"))
}

#[test]
fn a_strict_run_failing_on_a_late_file_leaves_the_previous_report_byte_identical() {
    let dir = study();
    // A corpus larger than a batch (8 MB), so that the first batch's rows are already
    // written to the new report when the bad file, last in name order, is read.
    let corpus = dir.path().join("transcripts/corpus");
    generated_corpus(&corpus, 10.0, 3);
    let before = first_run(dir.path());
    assert!(before["segment_matrix.csv"].len() > 2_000_000);
    fs::write(dir.path().join("transcripts/zz-bad.txt"), b"Ana: caf\xE9\n").unwrap();
    let mut strict = STUDY.to_vec();
    strict.push("--strict");
    let out = qualkit_in(dir.path(), &strict);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("transcripts/zz-bad.txt:1: the file is not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(before == snapshot(&dir.path().join("report")), "the report folder changed");
    assert_eq!(
        names(dir.path()),
        ["codebook.toml", "report", "transcripts"],
        "no temporary folder left"
    );
}

#[test]
fn a_write_failure_leaves_the_previous_report_byte_identical() {
    let dir = study();
    let corpus = dir.path().join("transcripts/corpus");
    generated_corpus(&corpus, 1.0, 5);
    let before = first_run(dir.path());
    assert!(before["segment_matrix.csv"].len() > 128 * 1024);
    // A real write failure, as on a full disk: files may not grow past 64 KiB (128 blocks of
    // 512 bytes), and writing further fails with EFBIG instead of killing the process.
    let script = r#"ulimit -f 128 && trap "" XFSZ && exec "$0" "$@""#;
    let out = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_qualkit")])
        .args(STUDY)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("error: report/"), "{err}");
    assert!(err.ends_with("; the previous reports are left as they were\n"), "{err}");
    assert!(before == snapshot(&dir.path().join("report")), "the report folder changed");
    assert_eq!(
        names(dir.path()),
        ["codebook.toml", "report", "transcripts"],
        "no temporary folder left"
    );
}

#[test]
fn a_folder_is_replaced_only_when_qualkit_wrote_it_or_with_force() {
    let dir = study();
    let report = dir.path().join("report");
    // Another program's manifest.json does not make a report folder.
    fs::create_dir(&report).unwrap();
    fs::write(report.join("manifest.json"), r#"{"name": "web app", "version": "2"}"#).unwrap();
    fs::write(report.join("index.html"), "precious").unwrap();
    let out = qualkit_in(dir.path(), STUDY);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: report: exists and does not look like a qualkit report folder; choose another \
         --out, or pass --force to replace it\n"
    );
    assert_eq!(read(&report.join("index.html")), "precious");

    // A report folder from before manifests (theme_frequencies.csv) is one.
    fs::remove_dir_all(&report).unwrap();
    fs::create_dir(&report).unwrap();
    fs::write(report.join("theme_frequencies.csv"), "theme,label\n").unwrap();
    fs::write(report.join("quotes.md"), "old").unwrap();
    assert_eq!(qualkit_in(dir.path(), STUDY).status.code(), Some(0));
    assert!(report.join("manifest.json").is_file());

    // A report folder with a manifest (and nothing else of the reports) is one.
    let files: Vec<PathBuf> = fs::read_dir(&report).unwrap().map(|e| e.unwrap().path()).collect();
    for f in files.iter().filter(|f| !f.ends_with("manifest.json")) {
        fs::remove_file(f).unwrap();
    }
    fs::write(report.join("notes.txt"), "mine").unwrap();
    assert_eq!(qualkit_in(dir.path(), STUDY).status.code(), Some(0));
    assert!(!report.join("notes.txt").exists());

    // --force replaces anything.
    fs::remove_dir_all(&report).unwrap();
    fs::create_dir(&report).unwrap();
    fs::write(report.join("index.html"), "replaceable").unwrap();
    let mut force = STUDY.to_vec();
    force.push("--force");
    assert_eq!(qualkit_in(dir.path(), &force).status.code(), Some(0));
    assert!(!report.join("index.html").exists());
}

#[test]
fn the_codebook_and_participants_file_cannot_be_in_the_report_folder() {
    let dir = study();
    first_run(dir.path());
    fs::copy(dir.path().join("codebook.toml"), dir.path().join("report/codebook.toml")).unwrap();
    let out = qualkit_in(
        dir.path(),
        &["analyze", "transcripts", "--codebook", "report/codebook.toml", "--out", "report"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the report folder report holds the codebook report/codebook.toml; reports \
         replace their folder, so choose another --out\n"
    );
    fs::write(dir.path().join("report/people.csv"), "session,speaker,role\n*,Ana,participant\n")
        .unwrap();
    let out = qualkit_in(
        dir.path(),
        &[
            "analyze",
            "transcripts",
            "--codebook",
            "codebook.toml",
            "--participants",
            "report/people.csv",
            "--out",
            "report",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds the participants file report/people.csv"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("report/codebook.toml").exists(), "nothing was replaced");
}
