//! Sessions built by hand, as a reader that finds questions and group voices makes them: the
//! question of each turn in `mentions.csv` and the segment matrix, and a group voice (`TODOS`)
//! whose mentions count but who is not a participant. The reports are written by the real
//! writers (streamed tables, then `report::write_all`) and checked verbatim.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::read;
use polars::prelude::*;
use qualkit::aggregate::{self, AttributeKeys};
use qualkit::analysis::compare::{self, Cell, GroupBy};
use qualkit::code::{Analysis, CodingOptions};
use qualkit::codebook::Codebook;
use qualkit::model::{Format, Question, Reading, Role, Session, Speaker, Turn};
use qualkit::report::{
    self, manifest,
    output::ReportDir,
    stream::{Forms, TableStream},
    ReportOptions,
};
use qualkit::summary::units::{SessionSegments, Unit};
use qualkit::summary::Summary;

const CODEBOOK: &str = r#"
[[theme]]
id = "trust"
label = "Trust"
terms = ["trust"]

[[theme]]
id = "money"
label = "Money"
terms = ["money"]
"#;

/// A turn of speaker `speaker` on line `line`, answering question `question`.
fn turn(speaker: usize, line: usize, text: &str, question: Option<u32>) -> Turn {
    Turn { speaker, line, text: text.into(), lines: vec![(0, line)], question, ..Turn::default() }
}

/// A session read from `ID.txt` with the attribute `site`.
fn session(id: &str, site: &str, speakers: Vec<Speaker>, turns: Vec<Turn>) -> Session {
    Session {
        id: id.into(),
        title: None,
        date: None,
        attributes: vec![("site".into(), site.into())],
        file: Arc::new(PathBuf::from(format!("{id}.txt"))),
        format: Format::Text,
        speakers,
        turns,
        warnings: Vec::new(),
        questions: Vec::new(),
        reading: Reading::default(),
    }
}

/// Two sessions. s1: Ben speaks before any question; the moderator asks q1 and q2 (the
/// second with a comma, for CSV quoting); Ana, Ben and the group voice TODOS answer. s2:
/// Cara alone, no questions.
///
/// | turn | speaker | question | text                     | trust | money | words |
/// |------|---------|----------|--------------------------|-------|-------|-------|
/// | 1    | Ben     |          | Money matters.           |       | 1     | 2     |
/// | 2    | Mod     | q1       | (asks q1, not counted)   |       |       |       |
/// | 3    | Ana     | q1       | Trust. People trust you. | 2     |       | 4     |
/// | 4    | TODOS   | q1       | Trust, trust!            | 2     |       | 2     |
/// | 5    | Mod     | q2       | (asks q2, not counted)   |       |       |       |
/// | 6    | Ben     | q2       | Money, and trust.        | 1     | 1     | 3     |
/// | 7    | TODOS   | q2       | Money!                   |       | 1     | 1     |
/// | s2 1 | Cara    |          | Trust.                   | 1     |       | 1     |
fn corpus() -> Vec<Session> {
    let speakers = vec![
        Speaker::new("Ben", Role::Participant),
        Speaker::new("Mod", Role::Moderator),
        Speaker::new("Ana", Role::Participant),
        Speaker::new("TODOS", Role::Group),
    ];
    let mut s1 = session(
        "s1",
        "North",
        speakers,
        vec![
            turn(0, 1, "Money matters.", None),
            turn(1, 2, "What makes a good organizer?", Some(0)),
            turn(2, 3, "Trust. People trust you.", Some(0)),
            turn(3, 4, "Trust, trust!", Some(0)),
            turn(1, 5, "So, where do you find new ideas?", Some(1)),
            turn(0, 6, "Money, and trust.", Some(1)),
            turn(3, 7, "Money!", Some(1)),
        ],
    );
    s1.questions = vec![
        Question {
            id: "q1".into(),
            text: "What makes a good organizer?".into(),
            line: 2,
            from_guide: false,
        },
        Question {
            id: "q2".into(),
            text: "So, where do you find new ideas?".into(),
            line: 5,
            from_guide: false,
        },
    ];
    let s2 = session(
        "s2",
        "South",
        vec![Speaker::new("Cara", Role::Participant)],
        vec![turn(0, 1, "Trust.", None)],
    );
    vec![s1, s2]
}

/// Codes the corpus and writes every report into `dir/r` with `unit`, comparing the
/// sessions; returns the report folder, the summary and the comparison.
fn reports(dir: &Path, unit: Unit) -> (PathBuf, Summary, compare::Comparison) {
    let codebook = Codebook::from_toml_str(Path::new("q.toml"), CODEBOOK).unwrap();
    let analysis = Analysis::run(codebook.clone(), corpus(), CodingOptions::default());
    let summary = Summary::of(&analysis, unit, None);
    let tables = aggregate::build(&summary).unwrap();
    let comparison = compare::compare(&summary, &GroupBy::Session, None).unwrap();
    let attributes = AttributeKeys::of_summary(&summary).columns();
    let batch: Vec<_> = analysis
        .sessions
        .iter()
        .map(|coded| (coded.clone(), SessionSegments::new(coded, unit)))
        .collect();
    let out = dir.join("r");
    let mut report_dir = ReportDir::create(&out, false).unwrap();
    let mut mentions = TableStream::create(&mut report_dir, "mentions", Forms::Both).unwrap();
    mentions
        .push(
            &mut aggregate::mention_rows(&codebook, &analysis.engine, &attributes, &batch).unwrap(),
        )
        .unwrap();
    mentions.finish(&mut report_dir).unwrap();
    let mut segments = TableStream::create(&mut report_dir, "segment_matrix", Forms::Both).unwrap();
    segments
        .push(&mut aggregate::segment_rows(&codebook, unit, &attributes, &batch).unwrap())
        .unwrap();
    segments.finish(&mut report_dir).unwrap();
    let provenance = manifest::Provenance {
        command: manifest::Command { args: Vec::new(), options: Default::default() },
        codebook: manifest::HashedFile { path: "q.toml".into(), sha256: String::new(), bytes: 0 },
        participants: None,
        inputs: Vec::new(),
    };
    let options = ReportOptions { max_quotes: None, ..ReportOptions::new(out.clone()) };
    report::write_all(report_dir, &summary, &tables, Some(&comparison), &options, &provenance)
        .unwrap();
    (out, summary, comparison)
}

#[test]
fn mentions_carry_the_id_and_text_of_the_question_after_the_role() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _, _) = reports(dir.path(), Unit::Turn);
    assert_eq!(
        read(&out.join("mentions.csv")),
        "session,file,line,turn,timestamp,speaker,role,question,question_text,site,theme,start,end,text,rule_kind,rule,rule_theme\n\
         s1,s1.txt,1,1,,Ben,participant,,,North,money,0,5,Money,term,money,money\n\
         s1,s1.txt,3,3,,Ana,participant,q1,What makes a good organizer?,North,trust,0,5,Trust,term,trust,trust\n\
         s1,s1.txt,3,3,,Ana,participant,q1,What makes a good organizer?,North,trust,14,19,trust,term,trust,trust\n\
         s1,s1.txt,4,4,,TODOS,group,q1,What makes a good organizer?,North,trust,0,5,Trust,term,trust,trust\n\
         s1,s1.txt,4,4,,TODOS,group,q1,What makes a good organizer?,North,trust,7,12,trust,term,trust,trust\n\
         s1,s1.txt,6,6,,Ben,participant,q2,\"So, where do you find new ideas?\",North,money,0,5,Money,term,money,money\n\
         s1,s1.txt,6,6,,Ben,participant,q2,\"So, where do you find new ideas?\",North,trust,11,16,trust,term,trust,trust\n\
         s1,s1.txt,7,7,,TODOS,group,q2,\"So, where do you find new ideas?\",North,money,0,5,Money,term,money,money\n\
         s2,s2.txt,1,1,,Cara,participant,,,South,trust,0,5,Trust,term,trust,trust\n"
    );
    // In Parquet a turn without a question has nulls, as a turn without a timestamp has.
    let file = std::fs::File::open(out.join("mentions.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    let column = |name: &str| -> Vec<Option<String>> {
        frame.column(name).unwrap().str().unwrap().iter().map(|v| v.map(str::to_string)).collect()
    };
    let q = |id: &str| Some(id.to_string());
    assert_eq!(
        column("question"),
        [None, q("q1"), q("q1"), q("q1"), q("q1"), q("q2"), q("q2"), q("q2"), None]
    );
    assert_eq!(column("question_text")[8], None);
    assert_eq!(column("question_text")[5].as_deref(), Some("So, where do you find new ideas?"));
    assert_eq!(frame.column("timestamp").unwrap().null_count(), 9);
}

#[test]
fn the_segment_matrix_has_the_question_after_the_role_but_not_for_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _, _) = reports(dir.path(), Unit::Turn);
    assert_eq!(
        read(&out.join("segment_matrix.csv")),
        "session,turn,line,speaker,role,question,question_text,site,words,trust,money\n\
         s1,1,1,Ben,participant,,,North,2,0,1\n\
         s1,3,3,Ana,participant,q1,What makes a good organizer?,North,4,1,0\n\
         s1,4,4,TODOS,group,q1,What makes a good organizer?,North,2,1,0\n\
         s1,6,6,Ben,participant,q2,\"So, where do you find new ideas?\",North,3,1,1\n\
         s1,7,7,TODOS,group,q2,\"So, where do you find new ideas?\",North,1,0,1\n\
         s2,1,1,Cara,participant,,,South,1,1,0\n"
    );
    // A session unit has no single turn: like turn, line, speaker and role, no question.
    let dir = tempfile::tempdir().unwrap();
    let (out, _, _) = reports(dir.path(), Unit::Session);
    assert_eq!(
        read(&out.join("segment_matrix.csv")),
        "session,site,words,trust,money\ns1,North,12,1,1\ns2,South,1,1,0\n"
    );
}

#[test]
fn a_group_voice_counts_in_mentions_and_segments_but_is_no_participant() {
    let dir = tempfile::tempdir().unwrap();
    let (out, summary, comparison) = reports(dir.path(), Unit::Turn);
    // trust: 6 mentions in 4 turns (TODOS's 2 in turn 4 included) by 3 participants (Ana,
    // Ben, Cara; not TODOS). money: 3 mentions in 3 turns (TODOS's turn 7 included) by 1
    // participant (Ben). 13 counted words, TODOS's 3 included.
    assert_eq!(
        read(&out.join("theme_frequencies.csv")),
        "theme,label,parent,mentions,segments,speakers,sessions,per_1000_words\n\
         trust,Trust,,6,4,3,2,461.538\n\
         money,Money,,3,3,1,1,230.769\n"
    );
    assert_eq!(
        read(&out.join("speaker_matrix.csv")),
        "session,speaker,role,turns,words,trust,money\n\
         s1,Ben,participant,2,5,1,2\n\
         s1,Ana,participant,1,4,2,0\n\
         s2,Cara,participant,1,1,1,0\n"
    );
    assert_eq!(summary.counted_turns(), 6);
    assert_eq!(summary.counted_words(), 13);

    // The HTML report: 3 participants; money raised by 1 of them.
    let html = read(&out.join("report.html"));
    assert!(html.contains("2 sessions, 3 participants, 13 words in 6 turns. 9 mentions"), "{html}");
    assert!(html.contains("<title>Money: 3 mentions; raised by 33% of participants</title>"));
    assert!(html.contains("<title>Trust: 6 mentions; raised by 100% of participants</title>"));
    assert!(html.contains(
        "<tr><td><code>s1</code></td><td></td><td></td><td class=\"n\">2</td><td class=\"n\">12</td>"
    ));

    // Comparing the sessions: s1 has TODOS's words and mentions, and 2 speakers.
    let sizes: Vec<(usize, usize, usize)> =
        comparison.groups.iter().map(|g| (g.words, g.turns, g.speakers)).collect();
    assert_eq!(sizes, [(12, 5, 2), (1, 1, 1)]);
    let money = comparison.themes.iter().find(|t| t.theme == "money").unwrap();
    assert_eq!(
        money.cells,
        [
            Cell { mentions: 3, per_1000_words: 250.0, speakers: 1, speaker_share: 0.5 },
            Cell { mentions: 0, per_1000_words: 0.0, speakers: 0, speaker_share: 0.0 },
        ]
    );
    let trust = comparison.themes.iter().find(|t| t.theme == "trust").unwrap();
    let raised: Vec<(usize, usize, f64)> =
        trust.cells.iter().map(|c| (c.mentions, c.speakers, c.speaker_share)).collect();
    assert_eq!(raised, [(5, 2, 1.0), (1, 1, 1.0)]);
}

#[test]
fn the_question_matrix_counts_each_theme_under_each_question() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _, _) = reports(dir.path(), Unit::Turn);
    // q1: Ana (4 words) and TODOS (2) answer; TODOS's mentions count, but TODOS is not a
    // speaker. q2: Ben (3 words) and TODOS (1). Ben's first turn and s2 answer no question.
    assert_eq!(
        read(&out.join("question_matrix.csv")),
        "question,question_text,session,answer_turns,answer_words,theme,mentions,turns,speakers,sessions,per_1000_words\n\
         q1,What makes a good organizer?,s1,2,6,trust,4,2,1,1,666.667\n\
         q2,\"So, where do you find new ideas?\",s1,2,4,trust,1,1,1,1,250.000\n\
         q2,\"So, where do you find new ideas?\",s1,2,4,money,2,2,1,1,500.000\n"
    );
}

#[test]
fn guide_questions_line_up_across_sessions_in_the_question_matrix() {
    let codebook = Codebook::from_toml_str(Path::new("q.toml"), CODEBOOK).unwrap();
    let mut sessions = corpus();
    let guide = |id: &str, text: &str, line: usize| Question {
        id: id.into(),
        text: text.into(),
        line,
        from_guide: true,
    };
    sessions[0].questions[0] = guide("organizer", "What makes a good organizer?", 2);
    sessions[1].questions = vec![guide("organizer", "What makes a good organizer?", 1)];
    sessions[1].turns[0].question = Some(0);
    let analysis = Analysis::run(codebook, sessions, CodingOptions::default());
    let summary = Summary::of(&analysis, Unit::Turn, None);
    let tables = aggregate::build(&summary).unwrap();
    let mut frame = tables.question_matrix.clone();
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv).finish(&mut frame).unwrap();
    // The guide question sums s1 (Ana 4 words, TODOS 2) and s2 (Cara 1 word); q2 stays s1's.
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "question,question_text,session,answer_turns,answer_words,theme,mentions,turns,speakers,sessions,per_1000_words\n\
         organizer,What makes a good organizer?,,3,7,trust,5,3,2,2,714.286\n\
         q2,\"So, where do you find new ideas?\",s1,2,4,trust,1,1,1,1,250.0\n\
         q2,\"So, where do you find new ideas?\",s1,2,4,money,2,2,1,1,500.0\n"
    );
}
