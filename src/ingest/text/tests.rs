//! Tests of the text reader: the documented `Name:` form and its variants, and the
//! conventions of transcripts as they come.

use std::path::Path;

use super::*;
use crate::ingest::office::DocParagraph;
use crate::model::{HeaderLine, HeaderUse, WarningKind};

fn session(text: &str) -> Session {
    parse(Path::new("focus-group.txt"), text, &TextOptions::default()).unwrap()
}

fn error(text: &str) -> String {
    parse(Path::new("focus-group.txt"), text, &TextOptions::default()).unwrap_err().to_string()
}

/// (label, text) of each turn.
fn turns(s: &Session) -> Vec<(String, String)> {
    s.turns.iter().map(|t| (s.speaker_of(t).label.clone(), t.text.clone())).collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn label_variants_of_real_transcripts() {
    let s = session(
        "MARIA : Space before the colon.\n[Dev] Bracketed.\n[Interviewer 1]: Bracket colon.\n\
         **Ana:** Bold.\n**Lee**: Bold outside.\nMS. O'NEIL: Caps.\n\
         Speaker 2 (00:01:02): Rev style.\nKim [01:05] Rev brackets.\n\
         Unknown Speaker  0:03\nOtter text on the next line.\n",
    );
    assert_eq!(
        turns(&s),
        pairs(&[
            ("MARIA", "Space before the colon."),
            ("Dev", "Bracketed."),
            ("Interviewer 1", "Bracket colon."),
            ("Ana", "Bold."),
            ("Lee", "Bold outside."),
            ("MS. O'NEIL", "Caps."),
            ("Speaker 2", "Rev style."),
            ("Kim", "Rev brackets."),
            ("Unknown Speaker", "Otter text on the next line."),
        ])
    );
    let ts: Vec<_> = s.turns.iter().map(|t| t.timestamp.map(|t| t.to_string())).collect();
    assert_eq!(ts[6].as_deref(), Some("00:01:02"));
    assert_eq!(ts[7].as_deref(), Some("00:01:05"));
    assert_eq!(ts[8].as_deref(), Some("00:00:03"));
    assert_eq!(s.speakers[2].role, Role::Moderator);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn annotations_and_times_in_text_are_not_labels() {
    let s = session(
        "Rosa: We started.\n[laughter] Then we stopped.\n[inaudible 00:12:03] something\n\
         we met at 10:30 and talked\n[Music] plays\n",
    );
    assert_eq!(s.turns.len(), 1, "{:?}", turns(&s));
    assert_eq!(s.turns[0].text.lines().count(), 5);
}

#[test]
fn a_speaker_pattern_adds_a_label_form() {
    let options = TextOptions {
        speaker_pattern: Some(
            SpeakerPattern::new(r"(?P<speaker>[A-Z]{2,})>\s*(?P<text>.*)").unwrap(),
        ),
        ..TextOptions::default()
    };
    let s = parse(Path::new("t.txt"), "ROSA> Trust.\nDEV> Time.\nLee: plain\n", &options).unwrap();
    assert_eq!(turns(&s), pairs(&[("ROSA", "Trust."), ("DEV", "Time."), ("Lee", "plain")]));
    let timed = TextOptions {
        speaker_pattern: Some(
            SpeakerPattern::new(r"<(?P<time>[\d:]+)> (?P<speaker>\w+) -").unwrap(),
        ),
        ..TextOptions::default()
    };
    let s = parse(Path::new("t.txt"), "<01:02:03> Ana - yes\n", &timed).unwrap();
    assert_eq!(turns(&s), pairs(&[("Ana", "yes")]));
    assert_eq!(s.turns[0].timestamp.unwrap().millis, 3_723_000);
    let err = SpeakerPattern::new(r"(?P<who>\w+):").unwrap_err().to_string();
    assert!(err.contains("no group named `speaker`"), "{err}");
    assert!(SpeakerPattern::new(r"(?P<speaker>\w+").is_err());
}

#[test]
fn lines_that_look_like_labels_are_warned_about() {
    let s = session("Rosa: hi\n- Dev: hello\nMaria; yes\nLEE     thanks\nand so on\n");
    assert_eq!(s.turns.len(), 1);
    let warned: Vec<_> = s.warnings.iter().map(|w| (w.line, w.kind)).collect();
    assert_eq!(
        warned,
        [
            (Some(2), WarningKind::LabelLike),
            (Some(3), WarningKind::LabelLike),
            (Some(4), WarningKind::LabelLike)
        ]
    );
    assert!(s.warnings[0].message.contains("write it as `Dev: …`"), "{}", s.warnings[0].message);
}

#[test]
fn a_file_without_any_label_is_one_speaker_one_turn_per_paragraph() {
    let s = session("---\nsite: x\n---\nI really like it.\nIt helped.\n\nThe cost was high.\n");
    assert_eq!(s.speakers.len(), 1);
    assert_eq!(s.speakers[0].label, "focus-group");
    assert_eq!(s.speakers[0].role, Role::Participant);
    assert_eq!(
        turns(&s),
        pairs(&[
            ("focus-group", "I really like it.\nIt helped."),
            ("focus-group", "The cost was high.")
        ])
    );
    assert_eq!(s.turns[1].line, 7);
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(s.warnings[0].kind, WarningKind::Unlabelled);
    assert_eq!(s.warnings[0].line, Some(4));
}

#[test]
fn document_paragraphs_are_lines() {
    let paragraphs: Vec<DocParagraph> =
        ["Title line?", "", "Rosa: one", "two\nDev: three", "Rosa: four"]
            .map(DocParagraph::plain)
            .to_vec();
    let s =
        parse_paragraphs(Path::new("d.docx"), &paragraphs, Format::Docx, &TextOptions::default())
            .unwrap();
    // A question before the first label is talk of an unnamed speaker, with a warning.
    assert_eq!(
        turns(&s),
        pairs(&[
            ("Unknown speaker", "Title line?"),
            ("Rosa", "one\ntwo"),
            ("Dev", "three"),
            ("Rosa", "four")
        ])
    );
    assert_eq!(s.turns[1].lines, [(0, 3), (4, 4)]);
    assert_eq!(s.turns[2].line, 4);
    assert_eq!(s.format, Format::Docx);
    assert_eq!(s.warnings.len(), 1);
    assert_eq!((s.warnings[0].line, s.warnings[0].kind), (Some(1), WarningKind::Unlabelled));
    // Without labels, each paragraph is a turn.
    let plain: Vec<DocParagraph> = ["One.", "Two."].map(DocParagraph::plain).to_vec();
    let s = parse_paragraphs(Path::new("d.docx"), &plain, Format::Docx, &TextOptions::default())
        .unwrap();
    assert_eq!(s.turns.len(), 2);
}

#[test]
fn turns_speakers_and_continuation_lines() {
    let s = session(
        "Moderator: What makes a good organizer?\n\
         Rosa: Trust.\n  You have to keep\n\n  your word.  \n\
         Dev: Patience, honestly.\n",
    );
    assert_eq!(s.id, "focus-group");
    assert_eq!(s.turns.len(), 3);
    assert_eq!(s.turns[1].text, "Trust.\nYou have to keep\nyour word.");
    assert_eq!(s.turns[1].line, 2);
    assert_eq!(s.turns[1].lines, [(0, 2), (7, 3), (24, 5)]);
    assert_eq!(s.turns[1].line_of(25), 5);
    let roles: Vec<_> = s.speakers.iter().map(|sp| (sp.label.as_str(), sp.role)).collect();
    assert_eq!(
        roles,
        [("Moderator", Role::Moderator), ("Rosa", Role::Participant), ("Dev", Role::Participant)]
    );
}

#[test]
fn front_matter_sets_session_fields_and_attributes() {
    let s = session(
        "---\nSession: mc-01\n# a comment\ntitle: Group one\ndate: 2025-03-04\nSite: South LA\n\
         group: organizers\nmoderators: Lena, Co Host\n---\n\
         Lena: Welcome.\nCO   host: Hi.\nhost: I am a participant here.\n",
    );
    assert_eq!(s.id, "mc-01");
    assert_eq!(s.title.as_deref(), Some("Group one"));
    assert_eq!(s.date.as_deref(), Some("2025-03-04"));
    assert_eq!(
        s.attributes,
        [
            ("site".to_string(), "South LA".to_string()),
            ("group".to_string(), "organizers".to_string())
        ]
    );
    let roles: Vec<_> = s.speakers.iter().map(|sp| sp.role).collect();
    // `moderators` replaces the default pattern, so "host" is a participant here.
    assert_eq!(roles, [Role::Moderator, Role::Moderator, Role::Participant]);
}

#[test]
fn default_moderator_labels() {
    let s = session(
        "Interviewer 1: q\nFACILITATOR: q\nMod: q\nHostess: a\nModerna Rep: a\nfac: q\nMod2: q\n",
    );
    let roles: Vec<_> = s.speakers.iter().map(|sp| sp.role).collect();
    assert_eq!(
        roles,
        [
            Role::Moderator,
            Role::Moderator,
            Role::Moderator,
            Role::Participant,
            Role::Participant,
            Role::Moderator,
            Role::Moderator
        ]
    );
}

#[test]
fn speaker_labels_compare_case_insensitively_with_collapsed_space() {
    let s = session("Ana  Ruiz: one\nANA RUIZ: two\n");
    assert_eq!(s.speakers.len(), 1);
    assert_eq!(s.speakers[0].label, "Ana Ruiz");
    assert_eq!(s.turns[1].speaker, 0);
}

#[test]
fn timestamps_in_every_form() {
    let s = session(
        "[00:01:02] A: x\n[01:02.5] B: x\n(1:00:00.250) C: x\n00:00:09 D: x\n\
         10:00 E: x\n[99] F: x\n",
    );
    let ts: Vec<_> = s.turns.iter().map(|t| t.timestamp.map(|t| t.to_string())).collect();
    assert_eq!(
        ts[..4],
        [
            Some("00:01:02".to_string()),
            Some("00:01:02.500".to_string()),
            Some("01:00:00.250".to_string()),
            Some("00:00:09".to_string())
        ]
    );
    // A bare mm:ss is not a timestamp, and "10:00" is a clock time, not a label; "[99]"
    // is not a timestamp and "[99] F" does not start with a letter or digit: both lines
    // continue the previous turn.
    assert_eq!(s.turns.len(), 4);
    assert_eq!(s.turns[3].text, "x\n10:00 E: x\n[99] F: x");
}

#[test]
fn labels_that_are_too_long_or_wordy_continue_the_turn() {
    let s = session(
        "Rosa: first\nThis is what I said to them at the meeting: listen\n\
         AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA: no\n(aside): no\nDr. Maria Elena de la Cruz: yes\n",
    );
    assert_eq!(s.turns.len(), 1);
    assert_eq!(s.turns[0].text.lines().count(), 5);
    let s = session("Rosa: first\nDr. Maria Elena de Cruz: five words is fine\n");
    assert_eq!(s.turns.len(), 2);
}

#[test]
fn line_endings_and_bom_free_text() {
    let s = session("A: one\r\ncontinued\rB: two\r\n");
    assert_eq!(s.turns[0].text, "one\ncontinued");
    assert_eq!(s.turns[1].line, 3);
}

#[test]
fn a_title_before_the_first_turn_is_the_header() {
    let s = session("---\nsession: x\n---\n\nNotes from the group\nRosa: hi\nDev: yes\n");
    assert_eq!(s.title.as_deref(), Some("Notes from the group"));
    assert_eq!(turns(&s), pairs(&[("Rosa", "hi"), ("Dev", "yes")]));
    assert_eq!(
        s.reading.header,
        [HeaderLine { line: 5, text: "Notes from the group".into(), became: HeaderUse::Title }]
    );
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(
        s.warnings[0].message,
        "1 line before the first turn read as the header: title \"Notes from the group\""
    );
}

#[test]
fn bad_front_matter_lines_are_errors() {
    assert_eq!(
        error("---\nsite South LA\n---\nA: x\n"),
        "focus-group.txt:2: front matter line \"site South LA\" has no `:`; expected `key: value` \
         (for example `site: Long Beach`), a `# comment`, or the closing `---`"
    );
    assert!(error("---\nsite: x\nA: y\n").starts_with("focus-group.txt:1: front matter opened"));
    assert!(error("---\nsite: x\nSITE: y\n---\nA: y\n").contains("given twice"));
}

#[test]
fn a_file_without_turns_is_an_error() {
    assert!(error("\n\n").contains("no speaker turns found"));
}
