//! Property tests: whatever bytes a reader gets, it returns a value or an error naming the
//! file, never a panic; every mention lies inside its turn, on character boundaries, with
//! character offsets that agree with its bytes; and the counts do not depend on the number of
//! threads or on the order of the input files, in memory and in the streaming run `analyze`
//! makes.
//!
//! The case counts are modest so that the suite stays fast (a few seconds in release).

#[path = "../fuzz/targets.rs"]
mod targets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use qualkit::code::{Analysis, CodingOptions};
use qualkit::codebook::CodebookFormat;
use qualkit::ingest::{self, InputFile, ReadOptions};
use qualkit::model::Session;
use targets::{Kind, TARGETS};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Pieces that the transcript and codebook formats are made of, so that generated inputs get
/// past the first line of each reader.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\n\n",
    " ",
    "\t",
    ":",
    ",",
    ";",
    "\"",
    "'",
    "-",
    "*",
    "#",
    "WEBVTT",
    "-->",
    "00:00:01.000",
    "00:00:02,500",
    "[00:01:02]",
    "1",
    "99",
    "<v Anna>",
    "</v>",
    "Anna: ",
    "Moderator: ",
    "BOB: ",
    "---",
    "session: s1",
    "moderators: Anna",
    "speaker,text",
    "session,speaker,text",
    "speaker\ttext",
    "trust",
    "money",
    "honest",
    "café",
    "naïve",
    "Zoë",
    "über",
    "’s",
    "😀",
    "\u{301}",
    "\u{feff}",
    "[[theme]]",
    "id = \"t\"",
    "terms = [\"x\"]",
    "parent = \"t\"",
    "{",
    "}",
    "[",
    "]",
    "=",
    "theme:",
    "- id: t",
    "%",
    "1\tcat",
    "<Code ",
    "</Code>",
    "name=\"x\"",
    "guid=\"g\"",
    "<Codes>",
    "&amp;",
    "&bogus;",
    "P= ",
    "P = ",
    "P - ",
    "P— ",
    "MARIA >> ",
    "Maria\t",
    "TODOS: ",
    "Everyone: ",
    "- ",
    "— ",
    "(inaudible)",
    "[crosstalk]",
    "1 Open the page.",
    "3.b Are you sure?",
    "¿",
    "?",
    "PARTICIPANTES:",
    "ANA GÓMEZ, MODERADORA (P)",
    "JOSÉ (V)",
    "SEGMENTACIÓN: medio",
    "**Maria**",
    "All right.",
];

/// Text made of format pieces and arbitrary characters.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config(256))]

    /// Any byte string, read by every reader: a value or an error naming the file.
    #[test]
    fn any_bytes_give_a_value_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for target in TARGETS {
            prop_assert_eq!(targets::run(*target, &bytes), Ok(()), "target {}", target.name);
        }
    }

    /// Inputs made of format pieces, read by every reader: a value or an error naming the file;
    /// the mentions of what was read are checked as in the fuzz targets.
    #[test]
    fn format_soup_gives_a_value_or_an_error(bytes in soup()) {
        for target in TARGETS {
            prop_assert_eq!(targets::run(*target, &bytes), Ok(()), "target {}", target.name);
        }
    }
}

/// Words for generated turns: ones the test codebook matches (by stem, prefix, phrase, near,
/// pattern, exclude) and others, ASCII and not.
const WORDS: &[&str] = &[
    "trust",
    "trusted",
    "fund",
    "honestly",
    "keep",
    "their",
    "word",
    "café",
    "naïve",
    "money",
    "pay",
    "cost",
    "time",
    "$20",
    "éclair",
    "Zoë",
    "über",
    "the",
    "a",
    "we",
    "😀",
    "日本語",
    "it’s",
    "don't",
    "e\u{301}",
    "—",
    ",",
    ".",
];

/// A text transcript: turns of one of a few speakers, each one to three lines of words.
fn transcript() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(prop::sample::select(WORDS), 1..14).prop_map(|w| w.join(" "));
    let turn = (
        prop::sample::select(&["Anna", "Bob", "Moderator", "Zoë"][..]),
        prop::collection::vec(line, 1..4),
    )
        .prop_map(|(speaker, lines)| format!("{speaker}: {}\n", lines.join("\n")));
    prop::collection::vec(turn, 1..12).prop_map(|turns| turns.join("\n"))
}

/// Reads `text` as the text transcript `name`.
fn read(name: &str, text: &str) -> Session {
    let file = InputFile::named(name);
    let mut sessions = ingest::read_bytes(&file, text.as_bytes().to_vec(), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    sessions.remove(0)
}

/// Per session id and theme: the mentions' (turn, bytes, chars, line, rules).
type Counts = BTreeMap<(String, usize), Vec<(usize, usize, usize, usize, usize, usize)>>;

fn counts(analysis: &Analysis) -> Counts {
    let mut out = Counts::new();
    for coded in &analysis.sessions {
        for m in &coded.mentions {
            out.entry((coded.session.id.clone(), m.theme)).or_default().push((
                m.turn,
                m.bytes.start,
                m.bytes.end,
                m.chars.start,
                m.chars.end,
                m.line,
            ));
        }
    }
    out
}

/// Codes `sessions` on a pool of `threads` threads.
fn run_on(threads: usize, sessions: Vec<Session>) -> Analysis {
    let (codebook, _) = targets::engine();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
    pool.install(|| Analysis::run(codebook.clone(), sessions, CodingOptions::default()))
}

proptest! {
    #![proptest_config(config(128))]

    /// Every mention lies inside its turn, on character boundaries; its character offsets
    /// count the characters before and inside it; its line is one of its turn's lines.
    #[test]
    fn mention_spans_lie_inside_their_turn(text in transcript()) {
        let analysis = run_on(1, vec![read("session.txt", &text)]);
        let coded = &analysis.sessions[0];
        for m in &coded.mentions {
            let turn = &coded.session.turns[m.turn];
            prop_assert_eq!(targets::check_mention(&turn.text, &m.bytes, &m.chars), Ok(()));
            let first = turn.line;
            let last = turn.lines.last().map_or(first, |l| l.1);
            prop_assert!((first..=last).contains(&m.line), "line {} outside {first}..={last}", m.line);
        }
        // The parent theme (0) takes the union of its children's spans: each child mention
        // lies inside one of the parent's in the same turn.
        for m in coded.mentions.iter().filter(|m| m.theme != 0) {
            prop_assert!(
                coded.mentions.iter().any(|p| p.theme == 0
                    && p.turn == m.turn
                    && p.bytes.start <= m.bytes.start
                    && m.bytes.end <= p.bytes.end),
                "mention {:?} of theme {} has no parent mention", m.bytes, m.theme
            );
        }
    }

    /// The same mentions, session by session and theme by theme, on 1 and 3 threads and
    /// whatever the order of the input files.
    #[test]
    fn counts_do_not_depend_on_threads_or_file_order(
        texts in prop::collection::vec(transcript(), 1..7),
        order in any::<u64>(),
    ) {
        let sessions: Vec<Session> =
            texts.iter().enumerate().map(|(i, t)| read(&format!("s{i}.txt"), t)).collect();
        let mut shuffled = sessions.clone();
        // A Fisher–Yates shuffle driven by the case's own random number.
        let mut state = order | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let one = counts(&run_on(1, sessions));
        let three = counts(&run_on(3, shuffled.clone()));
        let three_again = counts(&run_on(3, shuffled));
        prop_assert_eq!(&one, &three);
        prop_assert_eq!(&three, &three_again);
    }
}

/// Runs `analyze` as the command line does (the streaming pipeline) on `files`, in the order
/// given, on `threads` threads, into `out`; returns theme_frequencies.csv and the rows of
/// mentions.csv, sorted.
fn analyze_files(
    threads: usize,
    files: &[PathBuf],
    codebook: &Path,
    out: &Path,
) -> (String, Vec<String>) {
    use qualkit::cli::analyze::{execute, Config};
    let config = Config {
        paths: files.to_vec(),
        codebook: codebook.to_path_buf(),
        coding: CodingOptions::default(),
        unit: qualkit::summary::units::Unit::Sentence,
        compare: None,
        report: qualkit::report::ReportOptions {
            max_quotes: Some(3),
            force: true,
            ..qualkit::report::ReportOptions::new(out.to_path_buf())
        },
        quiet: true,
        input: qualkit::cli::input::Input::default(),
        recorded: Default::default(),
        command_line: Vec::new(),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
    pool.install(|| execute(&config)).expect("analyze runs");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).expect("a report");
    let text = read("mentions.csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().expect("a header").clone();
    // Attribute columns come in order of first appearance, which follows the file order:
    // rows are compared column by column, by name.
    let mut mentions: Vec<String> = rows
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            let mut cells: Vec<String> =
                header.iter().zip(r.iter()).map(|(h, v)| format!("{h}={v}")).collect();
            cells.sort();
            cells.join("\u{1f}")
        })
        .collect();
    mentions.sort();
    (read("theme_frequencies.csv"), mentions)
}

proptest! {
    #![proptest_config(config(16))]

    /// The streaming run of `analyze`: the same frequencies and mentions on 1 and 3 threads,
    /// whatever the order of the files, and the same mentions as the corpus coded in memory.
    #[test]
    fn streamed_reports_do_not_depend_on_threads_or_file_order(
        texts in prop::collection::vec(transcript(), 1..6),
    ) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let codebook = dir.path().join("codebook.toml");
        std::fs::write(&codebook, targets::CODEBOOK).expect("the codebook is written");
        let files: Vec<PathBuf> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let path = dir.path().join(format!("s{i}.txt"));
                std::fs::write(&path, text).expect("a transcript is written");
                path
            })
            .collect();
        let reversed: Vec<PathBuf> = files.iter().rev().cloned().collect();
        let one = analyze_files(1, &files, &codebook, &dir.path().join("one"));
        let three = analyze_files(3, &reversed, &codebook, &dir.path().join("three"));
        prop_assert_eq!(&one, &three);
        let sessions: Vec<Session> = files
            .iter()
            .map(|f| read(&f.file_name().unwrap().to_string_lossy(), &std::fs::read_to_string(f).unwrap()))
            .collect();
        let in_memory: usize = counts(&run_on(1, sessions)).values().map(Vec::len).sum();
        prop_assert_eq!(one.1.len(), in_memory, "mentions.csv has a row per mention");
    }
}

/// A conversation whose speakers each take two turns or more, as (speaker, lines) pairs.
fn conversation() -> impl Strategy<Value = Vec<(&'static str, Vec<String>)>> {
    let line = prop::collection::vec(prop::sample::select(WORDS), 1..10)
        .prop_map(|w| format!("and {}", w.join(" ")));
    let turn = (
        prop::sample::select(&["Anna", "Bob", "Moderator", "Zoë"][..]),
        prop::collection::vec(line, 1..3),
    );
    prop::collection::vec(turn, 2..14).prop_filter("every speaker speaks twice", |turns| {
        turns.iter().all(|(who, _)| turns.iter().filter(|(w, _)| w == who).count() >= 2)
    })
}

/// The conversation written with `delimiter` between label and text.
fn written(turns: &[(&str, Vec<String>)], delimiter: &str) -> String {
    turns.iter().map(|(who, lines)| format!("{who}{delimiter}{}\n", lines.join("\n"))).collect()
}

/// (speaker, text) of each turn.
fn turns_of(s: &Session) -> Vec<(String, String)> {
    s.turns.iter().map(|t| (s.speaker_of(t).label.clone(), t.text.clone())).collect()
}

proptest! {
    #![proptest_config(config(96))]

    /// A conversation reads the same whichever delimiter its labels use: each file's
    /// convention is learned from the labels that recur in it.
    #[test]
    fn every_delimiter_reads_the_same_conversation(turns in conversation()) {
        let colon = read("s.txt", &written(&turns, ": "));
        prop_assert_eq!(colon.turns.len(), turns.len());
        for delimiter in ["= ", " = ", " - ", " – ", "— ", " >> ", "\t"] {
            let other = read("s.txt", &written(&turns, delimiter));
            prop_assert_eq!(turns_of(&colon), turns_of(&other), "delimiter {:?}", delimiter);
            prop_assert_eq!(&colon.questions, &other.questions);
        }
    }

    /// Whatever a text file holds, its questions and reading point inside the session.
    #[test]
    fn questions_and_the_reading_point_inside_the_session(bytes in soup()) {
        let file = InputFile::named("s.txt");
        if let Ok(sessions) = ingest::read_bytes(&file, bytes, &ReadOptions::default()) {
            for s in sessions {
                let mut last = None;
                for t in &s.turns {
                    prop_assert!(t.question.is_none_or(|q| (q as usize) < s.questions.len()));
                    prop_assert!(t.question >= last, "questions go back: {:?}", s.turns);
                    last = t.question;
                }
                prop_assert!(s.reading.guide_turns.iter().all(|&t| t < s.turns.len()));
                prop_assert!(s.reading.inferred_moderator.is_none_or(|i| i < s.speakers.len()));
            }
        }
    }
}

#[test]
fn the_targets_cover_every_reader() {
    let transcripts: Vec<qualkit::model::Format> = TARGETS
        .iter()
        .filter_map(|t| match t.kind {
            Kind::Transcript(format) => Some(format),
            _ => None,
        })
        .collect();
    let codebooks: Vec<CodebookFormat> = TARGETS
        .iter()
        .filter_map(|t| match t.kind {
            Kind::Codebook(format) => Some(format),
            _ => None,
        })
        .collect();
    assert_eq!(transcripts.len(), qualkit::model::Format::ALL.len());
    assert!(qualkit::model::Format::ALL.iter().all(|f| transcripts.contains(f)), "{transcripts:?}");
    assert_eq!(codebooks, CodebookFormat::ALL);
}
