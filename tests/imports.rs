//! Codings from other QDA tools: Taguette's codebook and highlights, MAXQDA's coded segments
//! and ATLAS.ti's quotations, in each tool's export layout (tests/fixtures/imports), placed on
//! the two transcripts they were made in, imported and compared with `agree`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

const TRANSCRIPTS: &str = "tests/fixtures/imports/transcripts";

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/imports").join(name)
}

/// Runs `qualkit import TOOL FILE --transcripts DIR --out OUT …`, returning the output.
fn import(
    tool: &str,
    file: &Path,
    transcripts: &Path,
    out: &Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args =
        vec!["import", tool, arg(file), "--transcripts", arg(transcripts), "--out", arg(out)];
    args.extend(extra);
    qualkit(&args)
}

/// The mentions of an import as `session turn start..end theme coding_id`, in file order.
fn mentions(out: &Path) -> Vec<String> {
    let text = read(&out.join("mentions.csv"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (s, t, a, b, th, id) =
        (col("session"), col("turn"), col("start"), col("end"), col("theme"), col("coding_id"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {}..{} {} {}", &r[s], &r[t], &r[a], &r[b], &r[th], &r[id])
        })
        .collect()
}

/// Every mention of the fixtures' eight highlights, as Taguette's export places them.
const TAGUETTE: [&str; 10] = [
    "long-beach 2 0..47 leadership 5",
    "long-beach 3 0..40 leadership 7",
    "long-beach 5 0..51 funding 6",
    "long-beach 6 0..44 trust 8",
    "long-beach 6 0..44 leadership 8",
    "south-la 2 0..47 trust 1",
    "south-la 3 0..48 trust 2",
    "south-la 5 0..42 funding 3",
    "south-la 5 0..42 funding_grants 3",
    "south-la 6 0..34 funding_grants 4",
];

#[test]
fn taguette_highlights_are_placed_by_their_text_from_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["taguette-highlights.csv", "taguette-highlights.xlsx"] {
        let out = dir.path().join(name);
        let run = import("taguette", &fixture(name), &repo().join(TRANSCRIPTS), &out, &[]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        assert_eq!(mentions(&out), TAGUETTE, "{name}");
        assert!(
            stdout(&run).contains(
                "10 codings by taguette-highlights -> 10 mentions in 2 sessions (4 codes)"
            ),
            "{}",
            stdout(&run)
        );
        let codebook = read(&out.join("codebook.toml"));
        assert!(
            codebook.contains("id = \"funding_grants\"\nlabel = \"grants\"\nparent = \"funding\""),
            "{codebook}"
        );
    }
}

#[test]
fn per_tag_counts_equal_taguettes_own_codebook_counts() {
    let dir = tempfile::tempdir().unwrap();
    let run = import(
        "taguette",
        &fixture("taguette-highlights.csv"),
        &repo().join(TRANSCRIPTS),
        dir.path(),
        &[],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // Highlights per theme: distinct coding ids.
    let mut ids: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for m in mentions(dir.path()) {
        let parts: Vec<&str> = m.split(' ').collect();
        ids.entry(parts[3].to_string()).or_default().insert(parts[4].to_string());
    }
    let codebook = read(&fixture("taguette-codebook.csv"));
    let mut reader = csv::Reader::from_reader(codebook.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        let theme = row[0].replace('.', "_");
        let expected: usize = row[2].parse().unwrap();
        assert_eq!(ids.get(&theme).map_or(0, |s| s.len()), expected, "tag {}", &row[0]);
    }
}

#[test]
fn taguettes_codebook_reads_in_both_layouts() {
    for name in ["taguette-codebook.csv", "taguette-codebook-1.4.csv", "taguette-codebook.xlsx"] {
        let cb = qualkit::codebook::Codebook::load(&fixture(name)).unwrap();
        let themes: Vec<(String, Option<String>, Option<String>)> = cb
            .themes
            .iter()
            .map(|t| {
                (t.id.clone(), t.parent.as_ref().map(|p| p.value.clone()), t.definition.clone())
            })
            .collect();
        assert_eq!(themes.len(), 5, "{name}");
        assert_eq!(
            themes[1],
            ("trust".into(), None, Some("Whether people trust organizers".into()))
        );
        assert_eq!(themes[4].0, "funding_grants");
        assert_eq!(themes[4].1.as_deref(), Some("funding"));
    }
    // And through convert, which says what it made of the file.
    let dir = tempfile::tempdir().unwrap();
    let out = qualkit(&[
        "codebook",
        "convert",
        arg(&fixture("taguette-codebook.csv")),
        arg(&dir.path().join("c.toml")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("(taguette, 5 themes)"), "{}", stderr(&out));
    // qualkit's own spreadsheet form, saved from Excel, reads as its CSV does.
    let book = dir.path().join("team.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in
        [["id", "label", "terms"], ["trust", "Trust", "trust;keep their word"]].iter().enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    wb.save(&book).unwrap();
    let cb = qualkit::codebook::Codebook::load(&book).unwrap();
    let terms: Vec<&str> = cb.themes[0].terms.iter().map(|t| t.value.as_str()).collect();
    assert_eq!((cb.themes[0].id.as_str(), terms), ("trust", vec!["trust", "keep their word"]));
    let out = qualkit(&[
        "codebook",
        "convert",
        arg(&fixture("taguette-codebook.csv")),
        arg(&dir.path().join("c.xlsx")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("qualkit reads xlsx files but does not write them"),
        "{}",
        stderr(&out)
    );
}

/// A folder with one transcript, `text`, named `name`.
fn one_transcript(dir: &Path, name: &str, text: &str) -> PathBuf {
    let folder = dir.join("transcripts");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(name), text).unwrap();
    folder
}

#[test]
fn highlights_over_turns_repeated_text_and_normalised_text_are_placed() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = one_transcript(
        dir.path(),
        "mc-01.txt",
        "Moderator: Tell me about trust.\nAna: We trust them.  They \u{201c}show up\u{201d} every week.\nBen: We trust them.\nAna: It takes time.\n",
    );
    let highlights = dir.path().join("h.csv");
    std::fs::write(
        &highlights,
        "id,document,tag,content\n\
         1,mc-01,trust,We trust them.\n\
         2,mc-01,trust,We trust them.\n\
         3,mc-01.txt,care,\"They \"\"show up\"\" every week.\"\n\
         4,mc-01,time,Ben: We trust them. Ana: It takes\n\
         5,mc-01,trust,Nobody said this.\n\
         6,other.docx,trust,Somewhere else.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = import("taguette", &highlights, &transcripts, &out, &[]);
    // Two highlights cannot be placed: exit code 3, each said with its id and text.
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("left out coding 5 (line 6) in `mc-01`, \"Nobody said this.\": its text is not in the transcript"), "{err}");
    assert!(err.contains("left out document `other.docx` (1 coding on line 7): no transcript of that name among those given (mc-01.txt)"), "{err}");
    assert!(
        err.contains(
            "2 codings placed by their text with white space, quotes, dashes and case normalised"
        ),
        "{err}"
    );
    assert_eq!(
        mentions(&out),
        [
            // The first "We trust them." for highlight 1, the next one for highlight 2.
            "mc-01 2 0..14 trust 1",
            // Curly quotes and two spaces: found normalised.
            "mc-01 2 16..42 care 3",
            "mc-01 3 0..14 trust 2",
            // Over two turns, labels and all: a mention in each, with one id.
            "mc-01 3 0..14 time 4",
            "mc-01 4 0..8 time 4",
        ]
    );
}

/// The fixtures' mentions without coding ids (MAXQDA and ATLAS.ti number theirs otherwise).
fn places(out: &Path) -> Vec<String> {
    mentions(out).into_iter().map(|m| m.rsplit_once(' ').unwrap().0.to_string()).collect()
}

#[test]
fn maxqda_and_atlasti_exports_give_the_same_mentions_as_taguettes() {
    let dir = tempfile::tempdir().unwrap();
    let expected: Vec<String> =
        TAGUETTE.iter().map(|m| m.rsplit_once(' ').unwrap().0.to_string()).collect();
    for (tool, name) in [
        ("maxqda", "maxqda-coded-segments.csv"),
        ("maxqda", "maxqda24-coded-segments.csv"),
        ("atlasti", "atlasti-quotations.csv"),
    ] {
        let out = dir.path().join(name);
        let run = import(tool, &fixture(name), &repo().join(TRANSCRIPTS), &out, &[]);
        assert_eq!(run.status.code(), Some(0), "{name}: {}", stderr(&run));
        assert_eq!(places(&out), expected, "{name}");
    }
    // MAXQDA's coder is its `Created by`; ATLAS.ti's ids are the quotations'.
    let maxqda = read(&dir.path().join("maxqda-coded-segments.csv/mentions.csv"));
    assert!(maxqda.lines().nth(1).unwrap().contains(",manual,JR,leadership,"), "{maxqda}");
    let atlas = mentions(&dir.path().join("atlasti-quotations.csv"));
    assert_eq!(atlas[0], "long-beach 2 0..47 leadership 2:1");
    assert_eq!(atlas[8], "south-la 5 0..42 funding_grants 1:3");
    // The wrong tool's command says which it is.
    let run = import(
        "maxqda",
        &fixture("atlasti-quotations.csv"),
        &repo().join(TRANSCRIPTS),
        &dir.path().join("x"),
        &[],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("is ATLAS.ti's export, not MAXQDA's; use `qualkit import atlasti`"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_segment_is_placed_within_its_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = one_transcript(dir.path(), "s.txt", "Ana: Yes.\nBen: No.\nAna: Yes.\n");
    let segments = dir.path().join("seg.csv");
    std::fs::write(
        &segments,
        "Document group,Document name,Code,Beginning,End,Segment,Created by\n\
         ,s,Agree,3,3,Ana: Yes.,JR\n\
         ,s,Disagree,2,2,,JR\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = import("maxqda", &segments, &transcripts, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // "Yes." is in paragraphs 1 and 3: the export says 3. A segment without text is its
    // paragraph's whole turn.
    assert_eq!(places(&out), ["s 2 0..3 disagree", "s 3 0..4 agree"]);
    assert!(stderr(&run)
        .contains("1 coding without text placed on the whole turns of their paragraphs"));
}

/// `agree --format csv` output: per theme, its percent agreement and Cohen's kappa.
fn agreement(text: &str) -> BTreeMap<String, (String, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (theme, percent, kappa) = (col("theme"), col("percent_agreement"), col("cohen_kappa"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[theme].to_string(), (r[percent].to_string(), r[kappa].to_string()))
        })
        .collect()
}

#[test]
fn agree_takes_a_taguette_export_against_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = repo().join("tests/fixtures/dictionaries/wordstat.cat");
    let report = dir.path().join("rules");
    let run = qualkit(&[
        "analyze",
        TRANSCRIPTS,
        "--codebook",
        arg(&codebook),
        "-o",
        arg(&report),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run = qualkit(&[
        "agree",
        arg(&report),
        "people=tests/fixtures/imports/taguette-highlights.csv",
        "--transcripts",
        TRANSCRIPTS,
        "--codebook",
        arg(&codebook),
        "--format",
        "csv",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let rows = agreement(&stdout(&run));
    // The dictionary finds "money" (funding) in Ana's South LA turn and "leaders" (leadership)
    // in Ana's Long Beach turn beyond what the people highlighted; the rest agrees.
    let row = |theme: &str| rows[theme].clone();
    assert_eq!(row("trust"), ("1.0000".into(), "1.0000".into()));
    assert_eq!(row("funding_grants"), ("1.0000".into(), "1.0000".into()));
    assert_eq!(row("funding"), ("0.8750".into(), "0.7500".into()));
    assert_eq!(row("leadership"), ("0.8750".into(), "0.7500".into()));
}

#[test]
fn agree_reads_a_coding_spreadsheet_saved_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("ana.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in
        [["session", "turn", "theme"], ["south-la", "2", "trust"], ["south-la", "5", "funding"]]
            .iter()
            .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    wb.save(&book).unwrap();
    let csv_file = dir.path().join("ben.csv");
    std::fs::write(&csv_file, "session,turn,theme\nsouth-la,2,trust\nsouth-la,6,funding\n")
        .unwrap();
    let run = qualkit(&[
        "agree",
        arg(&book),
        arg(&csv_file),
        "--transcripts",
        TRANSCRIPTS,
        "--no-codebook",
        "--format",
        "csv",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let rows = agreement(&stdout(&run));
    // South LA's four participant turns (Long Beach is nobody's): trust agrees on all four,
    // funding on turns 2 and 3 only (Ana coded turn 5, Ben turn 6).
    assert_eq!(rows["trust"].0, "1.0000");
    assert_eq!(rows["funding"].0, "0.5000");
}

#[test]
fn a_document_named_otherwise_than_its_file_is_found_by_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = one_transcript(
        dir.path(),
        "2025-03-04-south-la.txt",
        "Moderator: Tell me about trust.\nAna: People trust organizers who show up every week.\nBen: Trust takes years to build.\n",
    );
    std::fs::write(transcripts.join("other.txt"), "Cy: Nothing of the sort was said here.\n")
        .unwrap();
    let highlights = dir.path().join("h.csv");
    std::fs::write(
        &highlights,
        "id,document,tag,content\n\
         1,Focus group 1,trust,Ana: People trust organizers who show up every week.\n\
         2,Focus group 1,trust,Ben: Trust takes years to build.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = import("taguette", &highlights, &transcripts, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("document `Focus group 1` matched to the transcript ")
            && stderr(&run)
                .contains("2025-03-04-south-la.txt by its codings' text (2 of 2 found there)"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        places(&out),
        ["2025-03-04-south-la 2 0..47 trust", "2025-03-04-south-la 3 0..27 trust"]
    );
}

#[test]
fn maxqdas_german_export_reads_as_its_english_one() {
    let dir = tempfile::tempdir().unwrap();
    let english = read(&fixture("maxqda-coded-segments.csv"));
    let german = english.replacen(
        "Color,Document group,Document name,Code,Beginning,End,Weight score,Segment,Comment,Modified by,Modified,Created by,Created",
        "Farbe,Dokumentgruppe,Dokumentname,Code,Anfang,Ende,Gewicht,Segment,Kommentar,Geändert von,Geändert,Erstellt von,Erstellt",
        1,
    );
    assert_ne!(german, english);
    let file = dir.path().join("Codierte Segmente.csv");
    std::fs::write(&file, german).unwrap();
    let out = dir.path().join("out");
    let run = import("maxqda", &file, &repo().join(TRANSCRIPTS), &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let expected: Vec<String> =
        TAGUETTE.iter().map(|m| m.rsplit_once(' ').unwrap().0.to_string()).collect();
    assert_eq!(places(&out), expected);
}

#[test]
fn agree_with_a_highlight_that_cannot_be_placed_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let highlights = dir.path().join("people.csv");
    let mut text = read(&fixture("taguette-highlights.csv"));
    text.push_str("9,south-la.txt,trust,Nobody said this in South LA.\n");
    std::fs::write(&highlights, text).unwrap();
    let run = qualkit(&[
        "agree",
        arg(&highlights),
        arg(&fixture("atlasti-quotations.csv")),
        "--transcripts",
        TRANSCRIPTS,
        "--no-codebook",
    ]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains(
            "left out coding 9 (line 12) in `south-la.txt`, \"Nobody said this in South LA.\""
        ),
        "{err}"
    );
    assert!(err.contains("incomplete: 1 input left out"), "{err}");
    assert!(
        stdout(&run).contains("Agreement of 2 coders by turn, over 2 sessions"),
        "{}",
        stdout(&run)
    );
}
