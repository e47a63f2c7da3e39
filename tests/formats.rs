//! Transcript formats: the same conversation gives the same counts in every format, and the
//! real subtitle and office files in ../shared/corpora are read without a panic (skipped
//! without it on a developer's machine; CI requires them, see `common::shared`).

mod common;

use std::path::Path;

use common::*;

#[test]
fn the_same_conversation_counts_the_same_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // The Word and OpenDocument versions: one paragraph per line of the text version.
    let text = read(&repo().join("tests/fixtures/formats/conversation.txt"));
    let paragraphs: Vec<&str> = text.lines().collect();
    let docx = dir.path().join("conversation.docx");
    std::fs::write(&docx, common::office::docx(&paragraphs)).unwrap();
    let odt = dir.path().join("conversation.odt");
    std::fs::write(&odt, common::office::odt(&paragraphs)).unwrap();
    let mut outputs = Vec::new();
    for ext in ["txt", "vtt", "srt", "sbv", "csv", "tsv", "docx", "odt"] {
        let input = match ext {
            "docx" => docx.display().to_string(),
            "odt" => odt.display().to_string(),
            _ => format!("tests/fixtures/formats/conversation.{ext}"),
        };
        let out_dir = dir.path().join(ext);
        let out = qualkit(&[
            "analyze",
            &input,
            "--codebook",
            "tests/fixtures/mini/codebook.toml",
            "--out",
            arg(&out_dir),
        ]);
        assert_eq!(out.status.code(), Some(0), "{ext}: {}", stderr(&out));
        outputs.push((ext, read(&out_dir.join("theme_frequencies.csv"))));
    }
    // Hand count as in tests/analyze.rs for session s1: 28 participant words.
    assert_eq!(
        outputs[0].1,
        "\
theme,label,parent,mentions,segments,speakers,sessions,per_1000_words
values,Values,,6,2,1,1,214.286
trust,Trust,values,4,2,1,1,142.857
patience,Patience,values,2,2,1,1,71.429
money,Money,,3,1,1,1,107.143
"
    );
    for (ext, text) in &outputs[1..] {
        assert_eq!(text, &outputs[0].1, "{ext} differs from txt");
    }
}

fn read_session(path: &Path) -> qualkit::Result<qualkit::model::Session> {
    let options = qualkit::ingest::ReadOptions::default();
    qualkit::ingest::read(&qualkit::ingest::InputFile::named(path), &options)
        .map(|mut sessions| sessions.remove(0))
}

#[test]
fn real_subtitle_fixtures_read_or_fail_clearly() {
    let Some(dir) = shared("vtt-fixtures/subtitles") else { return };
    let mut report = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names {
        if qualkit::ingest::format_of(&path).is_none() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match read_session(&path) {
            Ok(s) => report.push(format!(
                "{name}: ok, {} turns, {} speakers",
                s.turns.len(),
                s.speakers.len()
            )),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.starts_with(&path.display().to_string()), "{msg}");
                report.push(format!("{name}: error"));
            }
        }
    }
    let report = report.join("\n");
    for ok in [
        "sample.vtt",
        "sample.srt",
        "teams_timeframe.vtt",
        "using_identifiers.vtt",
        "comments.vtt",
        "styles.vtt",
        "captions_with_bom.vtt",
        "metadata_headers.vtt",
        "one_caption.srt",
        "cue_tags.vtt",
        "two_captions.sbv",
        "missing_caption_text.srt",
    ] {
        assert!(report.contains(&format!("{ok}: ok")), "{ok} should read:\n{report}");
    }
    for bad in [
        "invalid_timeframe.vtt",
        "invalid_timeframe.srt",
        "missing_timeframe.vtt",
        "missing_timeframe.srt",
        "empty.vtt",
        "invalid.vtt",
        "invalid_format.sbv",
        "invalid_timeframe.sbv",
        "missing_timeframe.sbv",
        // Its last cue ends before it starts, which SRT and WebVTT refuse too.
        "sample.sbv",
    ] {
        assert!(report.contains(&format!("{bad}: error")), "{bad} should fail:\n{report}");
    }
}

#[test]
fn zoom_exports_yield_speakers_and_merged_turns() {
    let Some(dir) = shared("zoom-style-vtt") else { return };
    let s = read_session(&dir.join("ideal_course_session1.vtt")).unwrap();
    let labels: Vec<_> = s.speakers.iter().map(|sp| sp.label.as_str()).collect();
    assert_eq!(&labels[..3], ["Professor Ed", "Tom Miller", "Samantha Smith"]);
    // Two consecutive cues of Professor Ed are one turn starting at the first cue.
    assert_eq!(
        s.turns[0].text,
        "Welcome to our engager workshop.\nThis package helps analyze Zoom class participation."
    );
    assert_eq!(s.turns[0].timestamp.unwrap().to_string(), "00:00:00.000");
}

#[test]
fn office_test_documents_round_trip_through_the_office_readers() {
    use qualkit::ingest::office::{docx_paragraphs, odt_paragraphs};
    let paragraphs = [
        "title: Group <1> & \"friends\"",
        "",
        "Moderator:\tWelcome,  everyone.\nSecond line ",
        "  indented\t tab",
        "Anna: it’s fine",
    ];
    let text = |ps: Vec<qualkit::ingest::office::DocParagraph>| -> Vec<String> {
        ps.into_iter().map(|p| p.text).collect()
    };
    let docx = docx_paragraphs(Path::new("t.docx"), &common::office::docx(&paragraphs)).unwrap();
    assert_eq!(text(docx), paragraphs);
    let odt = odt_paragraphs(Path::new("t.odt"), &common::office::odt(&paragraphs)).unwrap();
    assert_eq!(text(odt), paragraphs);
}

#[test]
fn qualcoder_examples_are_read_as_researchers_expect() {
    let Some(dir) = shared("qualcoder-examples") else { return };
    // `[id1] text` labels.
    let s = read_session(&dir.join("transcript.txt")).unwrap();
    let labels: Vec<&str> = s.speakers.iter().map(|sp| sp.label.as_str()).collect();
    assert_eq!(labels, ["id1", "id2", "id3"]);
    assert_eq!(s.turns.len(), 7);
    assert!(s.turns[0].text.starts_with("hello, I like the course."), "{}", s.turns[0].text);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // Word and OpenDocument answers without speaker labels: one speaker, one turn per
    // paragraph, and a warning saying so.
    for (name, turns, first) in [
        ("ID1.docx", 3, "I really like learning new things."),
        ("ID2.odt", 3, "I have not studied much before"),
    ] {
        let s = read_session(&dir.join(name)).unwrap();
        assert_eq!(s.speakers.len(), 1, "{name}");
        assert_eq!(s.speakers[0].label, name.split('.').next().unwrap());
        assert_eq!(s.turns.len(), turns, "{name}");
        assert!(s.turns[0].text.starts_with(first), "{name}: {}", s.turns[0].text);
        assert_eq!(s.turns[1].line, 2, "{name}: paragraphs are lines");
        assert_eq!(s.warnings.len(), 1, "{name}");
        assert_eq!(s.warnings[0].kind, qualkit::model::WarningKind::Unlabelled);
    }
}
