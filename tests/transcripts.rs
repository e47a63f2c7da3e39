//! Reading transcripts as researchers have them: `transcripts inspect`, the participants
//! file, label patterns and format overrides, through the real binary.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const CODEBOOK: &str = "tests/fixtures/mini/codebook.toml";

/// A focus group whose interviewer is written two ways and with an observer.
const GROUP: &str = "---\nsession: g1\nsite: Fresno\n---\n\
Interviewer1: Do you trust the clinic?\n\
Ana: I trust people who keep their word.\n\
Interviewer 1: And funding?\n\
Ben: The grant ran out. Trust takes patience.\n\
Notes: (observer) trust came up twice.\n";

const PEOPLE: &str = "session,speaker,role,alias,age_group,organization_type\n\
*,Interviewer 1,moderator,Interviewer1,,\n\
g1,Ana,participant,,30-44,nonprofit\n\
g1,Ben,,,50-64,health department\n\
g1,Notes,observer,,,\n";

#[test]
fn inspect_lists_sessions_speakers_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("g1.txt");
    fs::write(&t, GROUP).unwrap();
    let people = dir.path().join("people.csv");
    fs::write(&people, PEOPLE).unwrap();
    let out = qualkit(&["transcripts", "inspect", arg(&t)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "g1  {} (text)\n  site: Fresno\n  5 turns, 26 words; timestamps: none\n  speakers:\n    \
             Interviewer1   moderator        1 turn         5 words\n    \
             Ana            participant      1 turn         7 words\n    \
             Interviewer 1  moderator        1 turn         2 words\n    \
             Ben            participant      1 turn         7 words\n    \
             Notes          participant      1 turn         5 words\n  \
             convention: labels: Interviewer1: (1), Ana: (1), Interviewer 1: (1), Ben: (1), \
             Notes: (1)\n  \
             moderator: Interviewer1, Interviewer 1 (by label)\n  \
             questions:\n    \
             q1  line 5: Do you trust the clinic?  (2 turns)\n    \
             q2  line 7: And funding?  (3 turns)\n  \
             warnings:\n    \
             line 5: speaker \"Interviewer1\" speaks only once; a typo of \"Interviewer 1\"? (a \
             participants file can merge the two with `alias`)\n    \
             line 7: speaker \"Interviewer 1\" speaks only once; a typo of \"Interviewer1\"? (a \
             participants file can merge the two with `alias`)\n\n\
             1 session from 1 file; 2 warnings\n",
            t.display()
        )
    );
    // With the participants file: merged, roles and attributes.
    let out = qualkit(&["transcripts", "inspect", arg(&t), "--participants", arg(&people)]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "    Interviewer 1  moderator        2 turns        7 words\n    \
             Ana            participant      1 turn         7 words  age_group=30-44, organization_type=nonprofit\n"
        ),
        "{text}"
    );
    assert!(text.contains("    Notes          observer         1 turn "), "{text}");
    assert!(text.contains("speakers merged by"), "{text}");
}

#[test]
fn inspect_json_is_for_machines() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("g1.txt"), GROUP).unwrap();
    fs::write(dir.path().join("chart.png"), b"\x89PNG").unwrap();
    fs::write(dir.path().join("broken.vtt"), "WEBVTT\n\n00:00:05.000 -> 00:00:09.000\nhi\n")
        .unwrap();
    let out = qualkit(&["transcripts", "inspect", arg(dir.path()), "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &doc["sessions"][0];
    assert_eq!(s["session"], "g1");
    assert_eq!(s["format"], "text");
    assert_eq!(s["turns"], 5);
    assert_eq!(s["words"], 26);
    assert_eq!(s["timestamps"], "none");
    assert_eq!(s["attributes"]["site"], "Fresno");
    assert_eq!(s["speakers"][1]["label"], "Ana");
    assert_eq!(s["speakers"][1]["words"], 7);
    assert_eq!(s["warnings"][0]["kind"], "speaker_seen_once");
    assert_eq!(s["warnings"][0]["line"], 5);
    assert_eq!(doc["skipped"][0]["reason"], "other_format");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].as_str().unwrap().contains("broken.vtt:3:"), "{errors:?}");
    assert!(stderr(&out).contains("broken.vtt:3:"), "{}", stderr(&out));
}

#[test]
fn participants_roles_aliases_and_attributes_reach_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("g1.txt"), GROUP).unwrap();
    // The participants file may sit among the transcripts: it is not read as one.
    let people = input.join("people.csv");
    fs::write(&people, PEOPLE).unwrap();
    let report = dir.path().join("r");
    let out = qualkit(&[
        "analyze",
        arg(&input),
        "--codebook",
        CODEBOOK,
        "--participants",
        arg(&people),
        "--out",
        arg(&report),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Moderator and observer turns are not counted: Ana and Ben's 14 words.
    assert!(
        stdout(&out).starts_with("sessions: 1  turns: 5 (2 counted)  participant words: 14\n"),
        "{}",
        stdout(&out)
    );
    let mentions = read(&report.join("mentions.csv"));
    let mut lines = mentions.lines();
    assert_eq!(
        lines.next().unwrap(),
        "session,file,line,turn,timestamp,speaker,role,question,question_text,site,age_group,organization_type,theme,start,end,text,rule_kind,rule,rule_theme"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let speakers: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[5], r[10], r[11], r[12])).collect();
    assert_eq!(
        speakers,
        [
            ("Ana", "30-44", "nonprofit", "values"),
            ("Ana", "30-44", "nonprofit", "trust"),
            ("Ana", "30-44", "nonprofit", "values"),
            ("Ana", "30-44", "nonprofit", "trust"),
            ("Ben", "50-64", "health department", "money"),
            ("Ben", "50-64", "health department", "values"),
            ("Ben", "50-64", "health department", "trust"),
            ("Ben", "50-64", "health department", "values"),
            ("Ben", "50-64", "health department", "patience"),
        ]
    );
    // --include-moderators counts the interviewer (merged), never the observer.
    let out = qualkit(&[
        "analyze",
        arg(&input),
        "--codebook",
        CODEBOOK,
        "--participants",
        arg(&people),
        "--out",
        arg(&report),
        "--include-moderators",
    ]);
    assert!(
        stdout(&out).starts_with("sessions: 1  turns: 5 (4 counted)  words: 21\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_participants_file_saved_from_excel_reads_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("g1.txt"), GROUP).unwrap();
    let csv_file = dir.path().join("people.csv");
    fs::write(&csv_file, PEOPLE).unwrap();
    let book = dir.path().join("people.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let mut rows = csv::ReaderBuilder::new().has_headers(false).from_reader(PEOPLE.as_bytes());
    for (r, row) in rows.records().enumerate() {
        for (c, cell) in row.unwrap().iter().enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    wb.save(&book).unwrap();
    let mentions = |people: &Path, name: &str| {
        let report = dir.path().join(name);
        let out = qualkit(&[
            "analyze",
            arg(&input),
            "--codebook",
            CODEBOOK,
            "--participants",
            arg(people),
            "--out",
            arg(&report),
            "--quiet",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        read(&report.join("mentions.csv"))
    };
    let from_csv = mentions(&csv_file, "a");
    assert!(from_csv.contains(",Ana,participant,"), "{from_csv}");
    assert_eq!(mentions(&book, "b"), from_csv);
}

#[test]
fn a_bad_participants_file_stops_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    fs::write(&people, "speaker,role\nAna,chair\n").unwrap();
    let out = qualkit(&[
        "analyze",
        "tests/fixtures/formats/conversation.txt",
        "--codebook",
        CODEBOOK,
        "--participants",
        arg(&people),
        "--out",
        arg(&dir.path().join("r")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:2: role `chair` is not one of moderator, participant, observer, group\n",
            people.display()
        )
    );
}

#[test]
fn speaker_pattern_and_format_override() {
    let dir = tempfile::tempdir().unwrap();
    // A subtitle file saved as .txt, and a transcript in a house style.
    let captions = dir.path().join("call.txt");
    fs::copy("tests/fixtures/formats/conversation.vtt", &captions).unwrap();
    let house = dir.path().join("house.log");
    fs::write(&house, "MODERATOR>> Do you trust them?\nANA>> I trust them.\n").unwrap();
    let out = qualkit(&["transcripts", "inspect", arg(&captions), "--input-format", "vtt"]);
    assert!(stdout(&out).contains("(vtt)\n  4 turns"), "{}", stdout(&out));
    let out = qualkit(&[
        "transcripts",
        "inspect",
        arg(&house),
        "--input-format",
        "text",
        "--speaker-pattern",
        r"(?P<speaker>[A-Z]+)>>",
    ]);
    let text = stdout(&out);
    assert!(text.contains("    MODERATOR  moderator        1 turn         4 words\n"), "{text}");
    assert!(text.contains("    ANA        participant      1 turn         3 words\n"), "{text}");
    let out = qualkit(&["transcripts", "inspect", arg(&house), "--input-format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--input-format pdf is not a transcript format; choose one of: text, vtt, srt, sbv, docx, odt, csv, tsv"), "{}", stderr(&out));
}
