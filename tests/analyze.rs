//! `qualkit analyze` through the real binary: counts worked out by hand on a small corpus,
//! every report's content, moderators, errors and exit codes, and report safety.

mod common;

use std::fs;

use common::*;

const MINI: &str = "tests/fixtures/mini/transcripts";
const MINI_CODEBOOK: &str = "tests/fixtures/mini/codebook.toml";

/// Hand count (see the transcripts):
/// - s1 (a.txt): Ana turn 2 (10 words) trust×3 ("trust", "keep their\nword", "Trust"),
///   patience×1; Ben turn 3 (10 words) trust vetoed by "trust fund", money×3 ("fund",
///   "grants", "funding"); Ana turn 4 (8 words) patience×1 ("long haul"), trust×1.
/// - b (b.txt): Cara (5 words) money×3, trust×1; Dan (2 words) nothing.
/// - Moderator and Facilitator turns are left out. Participant words: 28 + 7 = 35.
/// - values rolls up trust and patience: 4 + 2 + 1 = 7 mentions in 3 turns.
const FREQUENCIES: &str = "\
theme,label,parent,mentions,segments,speakers,sessions,per_1000_words
values,Values,,7,3,2,2,200.000
trust,Trust,values,5,3,2,2,142.857
patience,Patience,values,2,2,1,1,57.143
money,Money,,6,2,2,2,171.429
";

fn run_mini(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("report");
    let mut args = vec!["analyze", MINI, "--codebook", MINI_CODEBOOK, "--out", arg(&out_dir)];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.into_iter().map(String::from).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = qualkit(&args);
    (dir, out)
}

#[test]
fn theme_frequencies_match_the_hand_count() {
    let (dir, out) = run_mini(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir.path().join("report/theme_frequencies.csv")), FREQUENCIES);
}

#[test]
fn moderators_count_only_when_asked() {
    // The moderator's turn in s1 (8 words) adds trust and patience; the facilitator's
    // "What about money?" (3 words) matches nothing. Words: 35 + 8 + 3 = 46.
    let (dir, out) = run_mini(&["--include-moderators"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(&dir.path().join("report/theme_frequencies.csv")),
        "\
theme,label,parent,mentions,segments,speakers,sessions,per_1000_words
values,Values,,9,4,3,2,195.652
trust,Trust,values,6,4,3,2,130.435
patience,Patience,values,3,3,2,1,65.217
money,Money,,6,2,2,2,130.435
"
    );
    assert!(stdout(&out).contains("words: 46"), "{}", stdout(&out));
}

#[test]
fn session_matrix_has_mentions_and_rates_per_session() {
    let (dir, _) = run_mini(&[]);
    assert_eq!(
        read(&dir.path().join("report/session_matrix.csv")),
        "\
theme,label,s1_mentions,s1_per_1000_words,b_mentions,b_per_1000_words
values,Values,6,214.286,1,142.857
trust,Trust,4,142.857,1,142.857
patience,Patience,2,71.429,0,0.000
money,Money,3,107.143,3,428.571
"
    );
}

#[test]
fn mentions_table_carries_provenance_in_character_offsets() {
    let (dir, _) = run_mini(&[]);
    let csv = read(&dir.path().join("report/mentions.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "session,file,line,turn,timestamp,speaker,role,question,question_text,site,theme,start,end,text,rule_kind,rule,rule_theme"
    );
    let file = "tests/fixtures/mini/transcripts/a.txt";
    // The phrase broken across lines keeps its newline and starts on line 6.
    assert!(csv.contains(&format!(
        "s1,{file},6,2,00:00:10,Ana,participant,q1,Do you trust the process? Is patience needed?,North,trust,19,34,\"keep their\nword\",term,keep their word,trust\n"
    )));
    // "Trust" on the continuation line: line 7, characters 36..41; the parent row names
    // the child theme whose rule produced it.
    assert!(csv.contains(&format!(
        "s1,{file},7,2,00:00:10,Ana,participant,q1,Do you trust the process? Is patience needed?,North,trust,36,41,Trust,term,trust,trust\n"
    )));
    assert!(csv.contains(&format!(
        "s1,{file},7,2,00:00:10,Ana,participant,q1,Do you trust the process? Is patience needed?,North,values,36,41,Trust,term,trust,trust\n"
    )));
    // After two curly apostrophes, character offsets differ from byte offsets (33..38).
    assert!(csv.contains(&format!(
        "s1,{file},9,4,,Ana,participant,q1,Do you trust the process? Is patience needed?,North,trust,29,34,trust,term,trust,trust\n"
    )));
    // Session b has no site; its CRLF lines are numbered as lines.
    assert!(csv.contains("b,tests/fixtures/mini/transcripts/b.txt,2,2,,Cara,participant,q1,What about money?,,money,0,7,Funding,term,fund*,money\n"));
    // 7 + 5 + 2 + 6 = 20 mentions, plus the header.
    assert_eq!(lines.len() - csv.matches("\"keep their\n").count(), 21);
}

#[test]
fn quotes_bold_the_mentions_and_attribute_each_turn() {
    let (dir, _) = run_mini(&[]);
    let md = read(&dir.path().join("report/quotes.md"));
    assert!(md.contains(
        "## Trust (`trust`)\n\nPart of: Values (`values`)  \n5 mentions in 3 turns; 3 quotes shown.\n\n### s1\n\n\
         > I **trust** people who **keep their**\\\n> **word**. **Trust** takes patience.\n>\n\
         > — Ana, s1, [00:00:10], tests/fixtures/mini/transcripts/a.txt:6\n"
    ), "{md}");
    assert!(md.contains("> — Cara, b, tests/fixtures/mini/transcripts/b.txt:2\n"), "{md}");
    // Ben's "trust fund" turn is no quote for trust.
    let trust = &md[md.find("## Trust").unwrap()..md.find("## Patience").unwrap()];
    assert!(!trust.contains("Ben"), "{trust}");
}

#[test]
fn max_quotes_spreads_quotes_across_sessions() {
    let (dir, _) = run_mini(&["--max-quotes", "2"]);
    let md = read(&dir.path().join("report/quotes.md"));
    let values = &md[md.find("## Values").unwrap()..md.find("## Trust").unwrap()];
    // values has 3 quoted turns (two in s1, one in b): the two chosen come from both sessions.
    assert!(values.contains("3 turns; 2 quotes shown"), "{values}");
    assert!(values.contains("### s1") && values.contains("### b"), "{values}");
}

#[test]
fn summary_on_stdout() {
    let (_dir, out) = run_mini(&[]);
    let text = stdout(&out);
    assert!(text.starts_with("sessions: 2  turns: 7 (5 counted)  participant words: 35\nthemes found: 4 of 4 (20 mentions)\n"), "{text}");
    assert!(text.contains("most mentioned: money 6, trust 5, patience 2\n"), "{text}");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let (one, _) = run_mini(&["--threads", "1"]);
    let (four, _) = run_mini(&["--threads", "4"]);
    for name in [
        "theme_frequencies.csv",
        "quotes.md",
        "session_matrix.csv",
        "question_matrix.csv",
        "summary.md",
        "framework_matrix.csv",
        "framework_matrix.xlsx",
        "report.html",
        "mentions.csv",
        "mentions.parquet",
    ] {
        let a = fs::read(one.path().join("report").join(name)).unwrap();
        let b = fs::read(four.path().join("report").join(name)).unwrap();
        assert!(a == b, "{name} differs between 1 and 4 threads");
    }
}

#[test]
fn a_title_before_the_first_turn_is_the_header_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("notes.txt");
    fs::write(&t, "\nFocus group notes\nAna: hello\nBo: I trust them\n").unwrap();
    let out = qualkit(&[
        "analyze",
        arg(&t),
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        arg(&dir.path().join("r")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "warning: {}:2: 1 line before the first turn read as the header: title \"Focus group \
             notes\"\n",
            t.display()
        )
    );
    let mentions = fs::read_to_string(dir.path().join("r").join("mentions.csv")).unwrap();
    // "trust" is coded as `trust` and its parent `values`, both in Bo's turn on line 4.
    assert_eq!(mentions.lines().count(), 3, "{mentions}");
    for line in mentions.lines().skip(1) {
        assert!(line.contains(",4,2,,Bo,participant,"), "{mentions}");
    }
}

fn codebook_error(toml: &str) -> (String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let cb = dir.path().join("cb.toml");
    fs::write(&cb, toml).unwrap();
    let out =
        qualkit(&["analyze", MINI, "--codebook", arg(&cb), "--out", arg(&dir.path().join("r"))]);
    (stderr(&out).replace(arg(&cb), "cb.toml"), out.status.code().unwrap())
}

#[test]
fn invalid_toml_is_an_error_with_line() {
    let (msg, code) = codebook_error("[[theme]]\nid = \"t\"\nterms = [\"trust\"\nlabel = \"x\"\n");
    assert_eq!(code, 2);
    assert_eq!(
        msg,
        "error: cb.toml:4: invalid TOML: missing comma between array elements, expected `,`\n"
    );
}

#[test]
fn unknown_parent_is_an_error_with_line_and_theme() {
    let (msg, code) =
        codebook_error("[[theme]]\nid = \"trust\"\nparent = \"values\"\nterms = [\"trust\"]\n");
    assert_eq!(code, 2);
    assert_eq!(
        msg,
        "error: cb.toml:3: theme 'trust': unknown parent `values`; no theme has that id\n"
    );
}

#[test]
fn invalid_regex_is_an_error_with_line_and_theme() {
    let (msg, code) = codebook_error("[[theme]]\nid = \"trust\"\npatterns = ['trust(']\n");
    assert_eq!(code, 2);
    assert!(msg.starts_with("error: cb.toml:3: theme 'trust': invalid regex `trust(`: "), "{msg}");
}

#[test]
fn a_missing_file_is_an_error() {
    let out = qualkit(&[
        "analyze",
        "no/such/transcript.txt",
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        "target/none",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no/such/transcript.txt: cannot read: no such file or folder; check the path\n"
    );
    let out =
        qualkit(&["analyze", MINI, "--codebook", "no/such/codebook.toml", "--out", "target/none"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no/such/codebook.toml: cannot read: no such file or folder; check the path\n"
    );
}

#[test]
fn codebook_is_required_with_paths() {
    let out = qualkit(&["analyze", MINI]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: --codebook FILE is required"), "{}", stderr(&out));
}

#[test]
fn an_unreadable_folder_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let corpus = dir.path().join("corpus");
    let locked = corpus.join("locked");
    fs::create_dir_all(&locked).unwrap();
    fs::copy(repo().join("tests/fixtures/mini/transcripts/a.txt"), corpus.join("a.txt")).unwrap();
    fs::copy(repo().join(MINI_CODEBOOK), dir.path().join("cb.toml")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let (cb, report) = (dir.path().join("cb.toml"), dir.path().join("r"));
    let args = ["analyze", arg(&corpus), "--codebook", arg(&cb), "--out", arg(&report)];
    // Root reads any folder, so as root the binary runs as the unprivileged user `nobody`.
    let is_root = fs::read_dir(&locked).is_ok();
    let out = if is_root {
        let bin = dir.path().join("qualkit");
        fs::copy(env!("CARGO_BIN_EXE_qualkit"), &bin).unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", arg(&bin)])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("setpriv (util-linux) runs")
    } else {
        qualkit(&args)
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: cannot read folder: permission denied; check the file's permissions\n",
            locked.display()
        )
    );
}

#[test]
fn a_failed_run_leaves_the_previous_reports_intact() {
    let (dir, out) = run_mini(&[]);
    assert_eq!(out.status.code(), Some(0));
    let report = dir.path().join("report");
    let before: Vec<(String, Vec<u8>)> = ["theme_frequencies.csv", "quotes.md", "mentions.csv"]
        .iter()
        .map(|n| (n.to_string(), fs::read(report.join(n)).unwrap()))
        .collect();
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"Ana: caf\xE9\n").unwrap();
    let out = qualkit(&[
        "analyze",
        MINI,
        arg(&bad),
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        arg(&report),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.txt:1: the file is not valid UTF-8"), "{}", stderr(&out));
    for (name, bytes) in before {
        assert_eq!(fs::read(report.join(&name)).unwrap(), bytes, "{name} changed");
    }
    let leftovers: Vec<_> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only the report and bad.txt remain: {leftovers:?}");
}

#[test]
fn the_report_folder_cannot_hold_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo().join("tests/fixtures/mini/transcripts/a.txt"), dir.path().join("a.txt"))
        .unwrap();
    let out = qualkit(&[
        "analyze",
        arg(dir.path()),
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        arg(dir.path()),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds the input"), "{}", stderr(&out));
    assert!(dir.path().join("a.txt").exists());
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_are_coded() {
    let (dir, out) = run_mini(&[]);
    let expected = fs::read_to_string(dir.path().join("report/theme_frequencies.csv")).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"Ana: caf\xE9\n").unwrap();
    let report = dir.path().join("report2");
    let out =
        qualkit(&["analyze", MINI, arg(&bad), "--codebook", MINI_CODEBOOK, "--out", arg(&report)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:1: the file is not valid UTF-8 (first bad byte at offset 8); save it as \
             UTF-8 (in Word: Save As → Plain Text → Unicode (UTF-8)), or pass --lossy to replace \
             the bad bytes\n",
            bad.display()
        )
    );
    assert!(stdout(&out).contains("incomplete: 1 file could not be read and is left out"));
    // The reports cover the readable files, exactly as a run without the bad file.
    assert_eq!(fs::read_to_string(report.join("theme_frequencies.csv")).unwrap(), expected);
    // --lossy reads it with a warning.
    let out = qualkit(&[
        "analyze",
        MINI,
        arg(&bad),
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        arg(&report),
        "--lossy",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "warning: {}: 1 invalid byte sequence replaced with U+FFFD (first at byte offset 8); \
             the words around them may be garbled\n",
            bad.display()
        )
    );
}

#[test]
fn a_folder_without_transcripts_is_an_error_naming_what_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("photo.jpg"), b"\xFF\xD8\xFF").unwrap();
    let out = qualkit(&["transcripts", "inspect", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: no transcripts found in {0}; qualkit reads files ending in .txt, .md, .vtt, \
             .srt, .sbv, .docx, .odt, .csv, .tsv; skipped 1 file of another format \
             ({0}/photo.jpg)\n",
            dir.path().display()
        )
    );
}

#[test]
fn files_that_are_not_transcripts_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("in");
    fs::create_dir_all(t.join(".cache")).unwrap();
    fs::copy(repo().join("tests/fixtures/mini/transcripts/a.txt"), t.join("a.txt")).unwrap();
    fs::write(t.join("photo.jpg"), b"\xFF\xD8\xFF").unwrap();
    fs::write(t.join("~$draft.docx"), b"lock").unwrap();
    fs::write(t.join(".cache/b.txt"), "Ana: trust\n").unwrap();
    let out = qualkit(&[
        "analyze",
        arg(&t),
        "--codebook",
        MINI_CODEBOOK,
        "--out",
        arg(&dir.path().join("r")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "note: skipped 1 file of another format ({}; qualkit reads .txt, .md, .vtt, \
             .srt, .sbv, .docx, .odt, .csv, .tsv); 1 hidden file or folder; 1 Word lock file\n",
            t.join("photo.jpg").display()
        )
    );
    assert!(stdout(&out).starts_with("sessions: 1 "), "{}", stdout(&out));
}

#[test]
fn a_second_file_with_the_same_session_id_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("one");
    let b = dir.path().join("two");
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    fs::write(a.join("g.txt"), "Ana: trust\n").unwrap();
    fs::write(b.join("g.vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBen: grant\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["analyze", arg(dir.path()), "--codebook", MINI_CODEBOOK, "--out"];
        let out = dir.path().join("r");
        args.push(arg(&out));
        args.extend_from_slice(extra);
        qualkit(&args)
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: session id `g` is also used by {}, so this file is left out; rename one \
             of the files, or give it its own `session:` (front matter) or `session` column \
             (tables)\n",
            b.join("g.vtt").display(),
            a.join("g.txt").display()
        )
    );
    assert!(stdout(&out).starts_with("sessions: 1 "), "{}", stdout(&out));
    let out = run(&["--strict"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn threads_must_be_one_or_more_in_every_command_that_codes() {
    for command in [&["analyze"][..], &["compare", "--by", "site"], &["export", "qdpx"]] {
        let mut args = command.to_vec();
        args.extend(["--threads", "0"]);
        let out = qualkit(&args);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&out).starts_with(
                "error: invalid value '0' for '--threads <N>': use 1 or more worker threads \
                 (leave --threads out for one per core)\n"
            ),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}

/// The files of a report folder, sorted.
fn files_of(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn tables_chooses_the_reports_and_mentions_their_forms() {
    let (all, out) = run_mini(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all_files = files_of(&all.path().join("report"));
    assert_eq!(all_files.len(), 16, "{all_files:?}"); // no comparison without --compare-by

    // summary: everything but the tables that grow with the corpus; the rest byte for byte.
    let (summary, out) = run_mini(&["--tables", "summary"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = files_of(&summary.path().join("report"));
    let expected: Vec<String> = all_files
        .iter()
        .filter(|f| !f.starts_with("mentions.") && !f.starts_with("segment_matrix."))
        .cloned()
        .collect();
    assert_eq!(files, expected);
    for f in files.iter().filter(|f| *f != "manifest.json" && *f != "tables.xlsx") {
        assert_eq!(
            fs::read(summary.path().join("report").join(f)).unwrap(),
            fs::read(all.path().join("report").join(f)).unwrap(),
            "{f}"
        );
    }

    // A list, and CSV only.
    let (list, out) = run_mini(&["--tables", "frequencies,mentions", "--mentions", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = list.path().join("report");
    assert_eq!(files_of(&report), ["manifest.json", "mentions.csv", "theme_frequencies.csv"]);
    assert_eq!(read(&report.join("theme_frequencies.csv")), FREQUENCIES);
    assert_eq!(read(&report.join("mentions.csv")), read(&all.path().join("report/mentions.csv")));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&report.join("manifest.json"))).unwrap();
    assert_eq!(manifest["command"]["options"]["tables"], "mentions,frequencies");
    assert_eq!(manifest["command"]["options"]["mentions"], "csv");
    let verify = qualkit(&["verify", arg(&report)]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));

    // Parquet only.
    let (parquet, out) = run_mini(&["--tables", "mentions,segments", "--mentions", "parquet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        files_of(&parquet.path().join("report")),
        ["manifest.json", "mentions.parquet", "segment_matrix.parquet"]
    );
    assert_eq!(
        fs::read(parquet.path().join("report/mentions.parquet")).unwrap(),
        fs::read(all.path().join("report/mentions.parquet")).unwrap()
    );

    // An unknown report is a usage error that lists them.
    let (_bad, out) = run_mini(&["--tables", "mentions,charts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`charts` is not a report; --tables takes all, summary, or a list of: mentions, segments, frequencies,"), "{}", stderr(&out));
}

/// A codebook of `n` themes `t0` … `tN` ("Theme N"), each the one term `wordN`.
fn word_themes(n: usize) -> String {
    (0..n)
        .map(|t| {
            format!("[[theme]]\nid = \"t{t}\"\nlabel = \"Theme {t}\"\nterms = [\"word{t}\"]\n\n")
        })
        .collect()
}

/// `analyze` of the transcripts `files` (name, text) with the codebook `book`, in `dir`:
/// the report folder and its report.html.
fn report_of(
    dir: &std::path::Path,
    files: &[(String, String)],
    book: &str,
) -> (std::path::PathBuf, String) {
    let transcripts = dir.join("t");
    fs::create_dir(&transcripts).unwrap();
    for (name, text) in files {
        fs::write(transcripts.join(name), text).unwrap();
    }
    let codebook = dir.join("codebook.toml");
    fs::write(&codebook, book).unwrap();
    let out_dir = dir.join("report");
    let out = qualkit(&["analyze", arg(&transcripts), "-c", arg(&codebook), "-o", arg(&out_dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&out_dir.join("report.html"));
    (out_dir, html)
}

#[test]
fn report_html_lists_200_questions_and_15_themes_each_and_points_to_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    // A session whose moderator asks 205 questions, each answered with all 20 themes.
    let words: Vec<String> = (0..20).map(|t| format!("word{t}")).collect();
    let text: String = (0..205)
        .map(|q| format!("Moderator: What about topic number {q}?\nAna: {}.\n", words.join(" ")))
        .collect();
    let (out_dir, html) = report_of(dir.path(), &[("long.txt".into(), text)], &word_themes(20));
    assert_eq!(html.matches("<article class=\"question\">").count(), 200);
    assert!(html.contains("What about topic number 199?"));
    assert!(!html.contains("What about topic number 200?"));
    assert!(html.contains(
        "5 more questions are not listed here: every question is in <code>question_matrix.csv</code>."
    ));
    assert_eq!(
        html.matches("… and 5 more themes: every theme raised under this question is in").count(),
        200
    );
    let matrix = read(&out_dir.join("question_matrix.csv"));
    assert!(matrix.contains("What about topic number 204?"), "every question is in the CSV");
}

#[test]
fn report_html_shows_the_40_most_mentioned_themes_in_the_matrix_and_fewer_quotes_each() {
    let dir = tempfile::tempdir().unwrap();
    // Theme tK is the word wordK, said in K + 1 turns by as many speakers: the 40 most
    // mentioned are t20 … t59.
    let text: String = (0..60)
        .map(|s| {
            let said: Vec<String> = (s..60).map(|t| format!("word{t}")).collect();
            format!("P{s}: I think {}.\n", said.join(" and "))
        })
        .collect();
    let (_, html) = report_of(dir.path(), &[("s.txt".into(), text)], &word_themes(60));
    let matrix = &html[html.find("<table class=\"matrix\">").unwrap()..];
    let head = &matrix[..matrix.find("</thead>").unwrap()];
    assert_eq!(head.matches("<th class=\"n\"").count(), 40);
    assert!(head.contains("title=\"Theme 20\"") && head.contains("title=\"Theme 59\""));
    assert!(!head.contains("title=\"Theme 19\""));
    assert!(html.contains(
        "The matrix shows the 40 most mentioned of the 60 themes with rules of their own; every \
         pair is in <code>cooccurrence.csv</code>."
    ));
    // 1,000 quotes for 60 quoted themes: 16 each of the up to 60 chosen.
    assert!(html.contains(
        "With this many themes the page shows 16 of them per theme: every chosen quote is in \
         <code>quotes.md</code>."
    ));
    let quotes = &html[html.find("<section id=\"quotes\">").unwrap()..];
    let last = &quotes[quotes.find("id=\"q-t59\"").unwrap()..];
    let last = &last[..last.find("</article>").unwrap()];
    assert_eq!(last.matches("<blockquote>").count(), 16);
    assert!(last.contains("60 mentions in 60 turns; 16 quotes shown."));
}

#[test]
fn report_html_heatmap_shows_the_most_mentioned_themes_when_it_would_be_too_large() {
    let dir = tempfile::tempdir().unwrap();
    // Session sK says wordT for every T ≥ K: theme tT is mentioned min(T + 1, 40) times, so
    // t39 … t149 are tied at 40 and the 100 rows 40 sessions leave room for are t39 … t138.
    let files: Vec<(String, String)> = (0..40)
        .map(|s| {
            let said: Vec<String> = (s..150).map(|t| format!("word{t}")).collect();
            let text =
                format!("---\nsession: s{s:02}\n---\nAna: I think {}.\n", said.join(" and "));
            (format!("s{s:02}.txt"), text)
        })
        .collect();
    let (_, html) = report_of(dir.path(), &files, &word_themes(150));
    let heatmap = &html[html.find("<table class=\"heatmap\">").unwrap()..];
    let heatmap = &heatmap[..heatmap.find("</table>").unwrap()];
    assert_eq!(heatmap.matches("<tr").count(), 101);
    assert_eq!(heatmap.matches("<th class=\"n\">").count(), 40);
    assert!(heatmap.contains(" Theme 39</th>") && heatmap.contains(" Theme 138</th>"));
    assert!(!heatmap.contains(" Theme 38</th>") && !heatmap.contains(" Theme 139</th>"));
    assert!(html.contains(
        "The heatmap shows the 100 most mentioned of the 150 themes, in codebook order: every \
         theme in every session is in <code>session_matrix.csv</code>."
    ));
}
