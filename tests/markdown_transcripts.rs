//! Issue 22: transcripts published as Markdown — YAML front matter, headings that mark
//! sections, metadata lines, bold labels and pseudo-speakers, escaped Markdown, names that
//! shorten, audience voices and links. The project's own fixtures (`tests/fixtures/markdown`)
//! for each rule, then the six real transcripts of `real-transcripts/` (see
//! `real-transcripts-SOURCES.md` beside them), with the counts that file gives.

mod common;

use std::path::Path;

use common::*;
use qualkit::ingest::text::TextOptions;
use qualkit::ingest::{read, InputFile, ReadOptions};
use qualkit::model::{Session, WarningKind};

const FIXTURES: &str = "tests/fixtures/markdown";
const REAL: &str = "real-transcripts/bitcointranscripts";

fn read_file(path: &Path, options: &ReadOptions) -> Session {
    let mut sessions = read(&InputFile::named(path), options).unwrap();
    assert_eq!(sessions.len(), 1, "{}", path.display());
    sessions.remove(0)
}

fn fixture(name: &str) -> Session {
    read_file(&repo().join(FIXTURES).join(name), &ReadOptions::default())
}

/// Each speaker's label, role and turns.
fn speakers(s: &Session) -> Vec<(String, &'static str, usize)> {
    s.speakers
        .iter()
        .enumerate()
        .map(|(i, sp)| {
            let turns = s.turns.iter().filter(|t| t.speaker == i).count();
            (sp.label.clone(), sp.role.as_str(), turns)
        })
        .collect()
}

fn speaker(s: &Session, label: &str) -> (&'static str, usize) {
    let all = speakers(s);
    let found = all.iter().find(|(l, _, _)| l == label);
    let (_, role, turns) = found.unwrap_or_else(|| panic!("no speaker {label}: {all:?}"));
    (role, *turns)
}

fn attribute<'a>(s: &'a Session, key: &str) -> Option<&'a str> {
    s.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn sections(s: &Session) -> Vec<(usize, &str)> {
    s.reading.sections.iter().map(|x| (x.line, x.title.as_str())).collect()
}

fn messages(s: &Session) -> Vec<&str> {
    s.warnings.iter().map(|w| w.message.as_str()).collect()
}

fn owned(items: &[(&str, &'static str, usize)]) -> Vec<(String, &'static str, usize)> {
    items.iter().map(|(l, r, n)| (l.to_string(), *r, *n)).collect()
}

#[test]
fn yaml_front_matter_lists_maps_quotes_and_dates_become_attributes() {
    let s = fixture("podcast.md");
    assert_eq!(s.title.as_deref(), Some("Maintainers: a conversation"));
    assert_eq!(s.date.as_deref(), Some("2020-03-20"));
    assert_eq!(attribute(&s, "tags"), Some("open-source; funding"));
    assert_eq!(attribute(&s, "speakers"), Some("Ana Ruiz; Ben Okafor; Guest Star"));
    assert_eq!(attribute(&s, "media.url"), Some("https://example.org/ep1"));
    assert_eq!(attribute(&s, "media.length"), Some("61"));
    // Metadata lines after the front matter are header lines, not speakers.
    assert_eq!(attribute(&s, "topic"), Some("Open source funding"));
    assert_eq!(attribute(&s, "location"), Some("Online"));
    // `Guest Star` speaks once, but the `speakers:` list names it.
    assert_eq!(
        speakers(&s),
        owned(&[
            ("Ana Ruiz", "moderator", 3),
            ("Ben Okafor", "participant", 2),
            ("Guest Star", "participant", 1)
        ])
    );
}

#[test]
fn headings_mark_sections_and_a_heading_that_asks_is_a_question() {
    let s = fixture("podcast.md");
    assert_eq!(sections(&s), [(19, "Opening"), (31, "Why do people pay?")]);
    let under: Vec<&str> =
        (0..s.turns.len()).map(|i| s.section_of(i).unwrap().title.as_str()).collect();
    assert_eq!(
        under,
        ["Opening", "Opening", "Opening", "Why", "Why", "Why"].map(|t| match t {
            "Why" => "Why do people pay?",
            t => t,
        })
    );
    let q: Vec<(&str, usize)> = s.questions.iter().map(|q| (q.text.as_str(), q.line)).collect();
    assert_eq!(q, [("How did it start?", 21), ("And then?", 27), ("Why do people pay?", 31)]);
    assert_eq!(s.turns[3].question, Some(2));
    // No heading is text of a turn.
    assert!(s.turns.iter().all(|t| !t.text.contains('#')));
}

#[test]
fn bold_labels_escapes_pseudo_speakers_and_links() {
    let s = fixture("podcast.md");
    // `**Ana Ruiz:** \[00:10\] …`: the escaped timestamp is the turn's.
    assert_eq!(s.turns[0].timestamp.map(|t| t.millis), Some(10_000));
    assert_eq!(s.turns[0].text, "Welcome to the show. How did it start?");
    // `**Ben Okafor**:` (colon outside); links stay as written, and only their text is
    // talk: 9 words, none from the URLs.
    assert_eq!(
        s.turns[1].text,
        "It started with a [paper](https://example.org/paper) and a mailing list <https://example.org/list>."
    );
    assert_eq!(qualkit::tokenize::count_tokens(&s.turns[1].text), 9);
    // `\[13:05\]` opening a paragraph that carries on a turn is not text.
    assert_eq!(s.turns[4].text, "I agree.\nThe [show notes](https://example.org/notes) list it.");
    // `\[laughter\]` is an annotation; `**Break:** \[12:00\]` a marker, not a speaker.
    let notes: Vec<(usize, &str)> =
        s.reading.annotations.iter().map(|(l, t)| (*l, t.as_str())).collect();
    assert_eq!(notes, [(25, "[laughter]"), (29, "**Break:** [12:00]")]);
    assert!(s.speakers.iter().all(|sp| sp.label != "Break"));
    assert_eq!(s.turns[3].text, "Because they *depend* on it *every* day.");
}

#[test]
fn initials_in_parentheses_are_an_alias_and_a_first_name_is_suggested_as_one() {
    let s = fixture("short-names.md");
    assert_eq!(
        speakers(&s),
        owned(&[
            ("John Newbery", "participant", 1),
            ("Aaron van Wirdum", "participant", 3),
            ("John", "participant", 2),
            ("Audience Member", "participant", 2),
            ("Audience Members", "group", 1),
            ("Various Audience Members", "group", 1),
        ])
    );
    let suggestion = s.warnings.iter().find(|w| w.message.starts_with("\"John\" may be"));
    let suggestion = suggestion.expect("the short name is suggested as an alias");
    assert_eq!((suggestion.line, suggestion.kind), (Some(12), WarningKind::Participants));
    assert!(messages(&s).contains(
        &"\"Audience Member\" is a voice from the audience, counted as one participant; it may \
          be several people"
    ));
    assert_eq!(sections(&s), [(6, "Intro")]);
    // With --merge-short-names, John is John Newbery.
    let options = ReadOptions {
        text: TextOptions { merge_short_names: true, ..TextOptions::default() },
        ..ReadOptions::default()
    };
    let s = read_file(&repo().join(FIXTURES).join("short-names.md"), &options);
    assert_eq!(speaker(&s, "John Newbery"), ("participant", 3));
    assert!(s.speakers.iter().all(|sp| sp.label != "John"));
    assert!(messages(&s).iter().any(|m| m.starts_with("\"John\" is read as \"John Newbery\"")));
}

#[test]
fn spanish_audience_labels_and_metadata_lines() {
    let s = fixture("spanish-audience.md");
    assert_eq!(attribute(&s, "ubicación"), Some("Residencia de Chaincode Labs 2019"));
    assert_eq!(attribute(&s, "translation_by"), Some("Alguien"));
    assert_eq!(speaker(&s, "Miembro del público"), ("participant", 2));
    assert_eq!(speaker(&s, "Miembros de la audiencia"), ("group", 1));
    assert_eq!(speaker(&s, "Varios miembros de la audiencia"), ("group", 1));
    assert_eq!(sections(&s), [(7, "Nodos completos")]);
    // An audience voice asking is no reason to make it the moderator.
    assert!(s.speakers.iter().all(|sp| sp.role.as_str() != "moderator"));
}

#[test]
fn a_front_matter_that_is_not_valid_yaml_is_an_error_naming_its_line() {
    let path = repo().join(FIXTURES).join("bad-yaml.md");
    let err = read(&InputFile::named(&path), &ReadOptions::default()).unwrap_err().to_string();
    assert!(err.contains("bad-yaml.md:5: front matter is not valid YAML"), "{err}");
    assert!(err.contains("lists as `- item` lines under their key"), "{err}");
}

#[test]
fn inspect_shows_the_sections() {
    let path = repo().join(FIXTURES).join("podcast.md");
    let out = qualkit(&["transcripts", "inspect", arg(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  sections:\n    line 19: Opening  (3 turns)\n    line 31: Why do people pay?  (3 turns)\n"),
        "{text}"
    );
}

/// Reads a real transcript, when the shared corpus is there.
fn real(name: &str) -> Option<Session> {
    let path = shared(name)?;
    Some(read_file(&path, &ReadOptions::default()))
}

/// No header or metadata line became a speaker.
fn no_metadata_speaker(s: &Session) {
    const KEYS: [&str; 12] = [
        "title",
        "tags",
        "speakers",
        "date",
        "media",
        "topic",
        "location",
        "slides",
        "ubicación",
        "diapositivas",
        "texto original",
        "break",
    ];
    for sp in &s.speakers {
        assert!(!KEYS.contains(&sp.label.to_lowercase().as_str()), "speaker {}", sp.label);
    }
}

#[test]
fn real_podcast_interview_with_yaml_front_matter_and_topic_headings() {
    let Some(s) = real(&format!("{REAL}/2019-03-14-christian-decker-channel-factories.md")) else {
        return;
    };
    assert_eq!(
        speakers(&s),
        owned(&[("Stephan", "moderator", 22), ("Christian", "participant", 22)])
    );
    assert_eq!(s.turns.len(), 44);
    assert_eq!(s.reading.sections.len(), 5);
    assert_eq!(sections(&s)[0], (12, "Lightning topology limitation"));
    assert_eq!(attribute(&s, "tags"), Some("channel-factories; eltoo"));
    // The `?` of `youtu.be/…?t=76` in the first question's turn asks nothing.
    let first = &s.questions[0];
    assert_eq!(
        (first.text.as_str(), first.line),
        ("Do you want to add any comments on some of those limitations?", 18)
    );
    // Its links stay in the text as written, and no word comes from a URL.
    assert!(s.turns.iter().any(|t| t.text.contains("](http")));
    let words = s.turns.iter().flat_map(|t| {
        qualkit::tokenize::tokenize(&t.text).into_iter().map(|r| t.text[r].to_lowercase())
    });
    assert!(words.into_iter().all(|w| w != "https" && w != "com"));
    no_metadata_speaker(&s);
}

#[test]
fn real_seminar_with_metadata_lines_short_names_and_audience_voices() {
    let Some(s) = real(&format!("{REAL}/2019-06-17-john-newbery-security-models.md")) else {
        return;
    };
    assert_eq!(speaker(&s, "John Newbery"), ("participant", 1));
    assert_eq!(speaker(&s, "John"), ("participant", 70));
    assert_eq!(speaker(&s, "Jon"), ("participant", 1));
    // `Audience Member` (83) and `Audience member` (15): one voice.
    assert_eq!(speaker(&s, "Audience Member"), ("participant", 98));
    assert_eq!(speaker(&s, "Audience Members"), ("group", 2));
    assert_eq!(speaker(&s, "Various Audience Members"), ("group", 1));
    assert_eq!(s.speakers.len(), 12);
    assert_eq!(s.turns.len(), 184);
    for key in ["topic", "location", "slides"] {
        assert!(attribute(&s, key).is_some(), "{key}");
    }
    assert_eq!(sections(&s)[0], (20, "Intro"));
    assert_eq!(s.reading.sections.len(), 6);
    assert!(s.reading.annotations.contains(&(136, "[group noise]".to_string())));
    assert!(messages(&s).iter().any(|m| m.starts_with("\"John\" may be \"John Newbery\"")));
    no_metadata_speaker(&s);
}

#[test]
fn real_spanish_seminar_with_disagreeing_audience_labels() {
    let Some(s) = real(&format!("{REAL}/2019-06-17-newbery-security-models.es.md")) else {
        return;
    };
    assert_eq!(speaker(&s, "John Newbery"), ("participant", 1));
    assert_eq!(speaker(&s, "John"), ("participant", 70));
    assert_eq!(speaker(&s, "Miembro del público"), ("participant", 84));
    assert_eq!(speaker(&s, "Miembro de la audiencia"), ("participant", 14));
    assert_eq!(speaker(&s, "Miembros del público"), ("group", 1));
    assert_eq!(speaker(&s, "Miembros de la audiencia"), ("group", 1));
    assert_eq!(speaker(&s, "Varios miembros de la audiencia"), ("group", 1));
    assert_eq!(s.turns.len(), 184);
    for key in ["texto original", "transcripción de", "ubicación", "diapositivas"] {
        assert!(attribute(&s, key).is_some(), "{key}");
    }
    assert_eq!(s.reading.sections.len(), 5);
    assert!(s.reading.annotations.contains(&(138, "[ruido de grupo]".to_string())));
    no_metadata_speaker(&s);
}

#[test]
fn real_spanish_interview_with_initials_and_headings_without_a_space() {
    let Some(s) =
        real(&format!("{REAL}/2020-08-03-eric-lombrozo-luke-dashjr-taproot-activation.es.md"))
    else {
        return;
    };
    assert_eq!(
        speakers(&s),
        owned(&[
            ("Aaron van Wirdum", "moderator", 64),
            ("Eric Lombrozo", "participant", 38),
            ("Luke Dashjr", "participant", 52),
        ])
    );
    assert_eq!(attribute(&s, "location"), Some("Bitcoin Magazine (en línea)"));
    let titles: Vec<&str> = sections(&s).iter().map(|(_, t)| *t).collect();
    assert_eq!(titles.len(), 9);
    assert_eq!(titles[0], "Introducción");
    assert_eq!(titles[1], "Activaciones anteriores de la bifurcación suave");
    assert_eq!(s.turns[0].line, 22);
    no_metadata_speaker(&s);
}

#[test]
fn real_senate_hearing_with_prose_and_headings() {
    let Some(s) = real(&format!("{REAL}/2014-10-08-andreas-antonopolous-canada-senate-bitcoin.md"))
    else {
        return;
    };
    assert_eq!(speaker(&s, "AA"), ("participant", 44));
    assert_eq!(speaker(&s, "Senator"), ("moderator", 35));
    assert_eq!(speaker(&s, "Senator Greene"), ("participant", 2));
    assert_eq!(speaker(&s, "Senator M"), ("participant", 2));
    assert_eq!(speaker(&s, "Senator R"), ("participant", 1));
    assert_eq!(s.turns.len(), 89);
    assert_eq!(sections(&s), [(17, "Prepared remarks."), (47, "Other remarks.")]);
    assert!(s.reading.annotations.contains(&(45, "(11m 32s)".to_string())));
    // `Senator` shortens several names: no alias is suggested.
    assert!(messages(&s).iter().all(|m| !m.contains("may be \"Senator")));
    no_metadata_speaker(&s);
}

#[test]
fn real_podcast_with_bold_labels_escaped_timestamps_and_an_ad_break() {
    let Some(s) = real("real-transcripts/changelog/the-changelog-385.md") else { return };
    assert_eq!(
        speakers(&s),
        owned(&[
            ("Jerod Santo", "moderator", 56),
            ("Tobias Koppers", "participant", 55),
            ("Adam Stacoviak", "participant", 42),
        ])
    );
    assert_eq!(s.turns.iter().filter(|t| t.timestamp.is_some()).count(), 10);
    let line_41 = s.turns.iter().find(|t| t.line == 41).unwrap();
    assert_eq!(line_41.timestamp.map(|t| t.to_string()).as_deref(), Some("00:04:16"));
    assert!(line_41.text.starts_with("How do you accomplish that?"));
    assert!(s.reading.annotations.iter().any(|(l, t)| *l == 215 && t.contains("Break")));
    assert!(s.turns.iter().all(|t| !t.text.contains("\\[")));
    assert!(s.reading.sections.is_empty());
    no_metadata_speaker(&s);
}

#[test]
fn the_per_mention_tables_carry_the_section_beside_the_question() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = dir.path().join("cb.toml");
    // `paper`, `notes` and `example` are in the URLs too, which are not coded.
    let themes = "[[theme]]\nid = \"work\"\nterms = [\"paper\", \"depend*\", \"notes\"]\n\n\
                  [[theme]]\nid = \"site\"\nterms = [\"example\"]\npatterns = ['example\\.org', 'list>']\n";
    std::fs::write(&codebook, themes).unwrap();
    let out_dir = dir.path().join("report");
    let out = qualkit(&[
        "analyze",
        "tests/fixtures/markdown/podcast.md",
        "-c",
        arg(&codebook),
        "-o",
        arg(&out_dir),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = |file: &str| -> Vec<std::collections::BTreeMap<String, String>> {
        let mut reader = csv::Reader::from_path(out_dir.join(file)).unwrap();
        let header = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                header.iter().zip(r.unwrap().iter()).map(|(h, c)| (h.into(), c.into())).collect()
            })
            .collect()
    };
    let mentions = rows("mentions.csv");
    let header = std::fs::read_to_string(out_dir.join("mentions.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(
        header.starts_with(
            "session,file,line,turn,timestamp,speaker,role,question,question_text,section,"
        ),
        "{header}"
    );
    let got: Vec<(&str, &str, &str)> = mentions
        .iter()
        .map(|m| (m["text"].as_str(), m["speaker"].as_str(), m["section"].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("paper", "Ben Okafor", "Opening"),
            ("depend", "Ben Okafor", "Why do people pay?"),
            ("notes", "Guest Star", "Why do people pay?")
        ]
    );
    // The quotes keep the links as written (escaped, so that Markdown shows them so).
    let quotes = std::fs::read_to_string(out_dir.join("quotes.md")).unwrap();
    assert!(
        quotes.contains(
            "> It started with a \\[**paper**\\](https://example.org/paper) and a mailing list \\<https://example.org/list\\>.\n"
        ),
        "{quotes}"
    );
    assert!(quotes.contains("## site (`site`)\n\nNo mentions."), "{quotes}");
    // The opening sentence of report.html counts in the singular where it should.
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(
        html.contains("<p class=\"lede\">1 session, 2 participants, 23 words in 3 turns. 3 mentions of 1 of the codebook's 2 themes.</p>"),
        "{}",
        html.lines().find(|l| l.contains("class=\"lede\"")).unwrap_or("")
    );
    let segments = rows("segment_matrix.csv");
    assert!(segments.iter().all(|s| s.contains_key("section")));
    assert!(segments
        .iter()
        .any(|s| s["speaker"] == "Guest Star" && s["section"] == "Why do people pay?"));
}
