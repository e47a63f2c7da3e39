//! Transcripts as they come: one fixture per speaker convention (a header and a roster,
//! other delimiters, group voices, an unlabelled participant, formatting, stage directions
//! and the interview guide), each read as text, Word and OpenDocument, with the exact
//! speakers, roles, turns, words and questions asserted.

mod common;

use std::path::Path;

use common::*;
use qualkit::ingest::text::{SpeakersBy, TextOptions, Unlabelled};
use qualkit::ingest::{read, InputFile, ReadOptions};
use qualkit::model::Session;
use qualkit::tokenize::count_tokens;

const FIXTURES: &str = "tests/fixtures/conventions";

fn read_file(path: &Path, options: &ReadOptions) -> Session {
    let mut sessions = read(&InputFile::named(path), options).unwrap();
    assert_eq!(sessions.len(), 1);
    sessions.remove(0)
}

/// The reading options with these text options.
fn with_text(text: TextOptions) -> ReadOptions {
    ReadOptions { text, ..ReadOptions::default() }
}

fn fixture(name: &str) -> Session {
    read_file(&repo().join(FIXTURES).join(name), &ReadOptions::default())
}

/// What was read, in words: the speakers (label, role, turns, words), then each turn
/// (line, speaker, question, text), the questions, the header and the warning kinds.
fn summary(s: &Session) -> String {
    let mut out = String::new();
    for (i, sp) in s.speakers.iter().enumerate() {
        let turns: Vec<_> = s.turns.iter().filter(|t| t.speaker == i).collect();
        let words: usize = turns.iter().map(|t| count_tokens(&t.text)).sum();
        out.push_str(&format!(
            "{} | {} | {} turns | {words} words\n",
            sp.label,
            sp.role.as_str(),
            turns.len()
        ));
    }
    for t in &s.turns {
        let q = s.question_of(t).map_or("-", |q| q.id.as_str());
        out.push_str(&format!(
            "{} {} [{q}] {}\n",
            t.line,
            s.speaker_of(t).label,
            t.text.replace('\n', " / ")
        ));
    }
    for q in &s.questions {
        out.push_str(&format!("{} @{}: {}\n", q.id, q.line, q.text));
    }
    let kinds: Vec<&str> = s.warnings.iter().map(|w| w.kind.as_str()).collect();
    out.push_str(&format!("warnings: {}\n", kinds.join(", ")));
    out
}

/// The summary without line numbers, for comparing formats whose lines differ.
fn unnumbered(s: &Session) -> String {
    summary(s)
        .lines()
        .map(|l| {
            let l =
                l.split_once(' ').filter(|(n, _)| n.parse::<usize>().is_ok()).map_or(l, |(_, r)| r);
            match l.split_once(" @") {
                Some((id, rest)) => {
                    format!("{id} {}", rest.split_once(": ").map_or(rest, |(_, t)| t))
                }
                None => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_spanish_focus_group_with_a_header_a_roster_and_equals_signs() {
    let s = fixture("grupo-4.txt");
    assert_eq!(s.title.as_deref(), Some("GRUPO 4 — 22/3 – 15:00 hs"));
    assert_eq!(
        s.attributes,
        [("segmentación".to_string(), "nivel socio económico medio; de 20 a 30 años.".to_string())]
    );
    assert_eq!(
        summary(&s),
        "\
ANA GÓMEZ | moderator | 3 turns | 21 words
JOSÉ | participant | 2 turns | 18 words
VOZ FEMENINA NO IDENTIFICADA | participant | 1 turns | 5 words
TODOS | group | 1 turns | 2 words
Unknown speaker | participant | 1 turns | 8 words
11 ANA GÓMEZ [q1] ¿Cómo están? Bueno, cuéntenme: ¿qué les da confianza en un organizador?
12 JOSÉ [q1] La confianza se gana con tiempo, hay que cumplir la palabra.
13 VOZ FEMENINA NO IDENTIFICADA [q1] Coincido, la confianza es todo.
14 ANA GÓMEZ [q2] ¿Y qué pasa con el financiamiento?
15 JOSÉ [q2] Falta plata para los programas, siempre falta.
16 TODOS [q2] Sí, sí.
17 Unknown speaker [q2] Coincido con eso, el financiamiento no alcanza. / (inaudible)
19 ANA GÓMEZ [q2] Muchas gracias a todos.
q1 @11: ¿Cómo están? Bueno, cuéntenme: ¿qué les da confianza en un organizador?
q2 @14: ¿Y qué pasa con el financiamiento?
warnings: header, convention, unlabelled_text
"
    );
    let header: Vec<String> =
        s.reading.header.iter().map(|h| format!("{} {:?}", h.line, h.became)).collect();
    assert_eq!(
        header,
        [
            "1 Title",
            "2 Attribute(\"segmentación\")",
            "4 Note",
            "5 Roster { label: \"P\", name: \"ANA GÓMEZ\", role: Some(Moderator) }",
            "6 Roster { label: \"V\", name: \"JOSÉ\", role: None }",
            "7 Roster { label: \"FEM\", name: \"VOZ FEMENINA NO IDENTIFICADA\", role: None }",
            "9 Note"
        ]
    );
    assert_eq!(
        s.reading.convention,
        "labels: P= → ANA GÓMEZ (3), V= → JOSÉ (1), FEM= → VOZ FEMENINA NO IDENTIFICADA (1), \
         V - → JOSÉ (1), TODOS= (1); 1 paragraph opened by a dash (Unknown speaker)"
    );
}

#[test]
fn a_think_aloud_session_labels_only_the_moderator_and_numbers_the_guide() {
    let s = fixture("think-aloud-07.txt");
    assert_eq!(s.title.as_deref(), Some("Usability session 7 — participant P07"));
    assert_eq!(s.date.as_deref(), Some("2024-05-02"));
    assert_eq!(
        summary(&s),
        "\
Moderator | moderator | 4 turns | 22 words
think-aloud-07 | participant | 5 turns | 45 words
4 Moderator [q1] 1 Open the ‘Start’ page.
6 think-aloud-07 [q1] OK so I'm on the start page, I see the menu on the left.
8 think-aloud-07 [q1] I think the search is at the top.
10 Moderator [q1] Take your time.
12 think-aloud-07 [q1] Yes, there it is. I trust it to find things.
16 Moderator [q2] 3.b Are the search options clear to you?
18 think-aloud-07 [q2] Mostly. The filters are hidden though.
20 Moderator [q3] Where would you expect them?
22 think-aloud-07 [q3] Next to the search box, I guess.
q1 @4: Open the ‘Start’ page.
q2 @16: Are the search options clear to you?
q3 @20: Where would you expect them?
warnings: header, convention, convention
"
    );
    assert_eq!(
        s.reading.annotations,
        [(14, "(The participant reads the instructions)".to_string())]
    );
    assert_eq!(s.reading.guide_turns, [0, 5]);
}

#[test]
fn an_interview_starts_before_its_first_label_and_keeps_colons_in_the_talk() {
    let s = fixture("interview-fr.txt");
    assert_eq!(s.title.as_deref(), Some("Entretien 3 — Lyon"));
    assert_eq!(s.attributes, [("lieu".to_string(), "centre social".to_string())]);
    assert_eq!(
        summary(&s),
        "\
Unknown speaker | participant | 1 turns | 4 words
Interviewer 1 | moderator | 2 turns | 10 words
Interviewee1 | participant | 2 turns | 25 words
Tous | group | 1 turns | 1 words
4 Unknown speaker [-] All right, on commence.
6 Interviewer 1 [q1] Qu'est-ce qui fait un bon organisateur ?
7 Interviewee1 [q1] La confiance. Il faut tenir parole. / Case study: the one about the river, that was hard.
9 Interviewer 1 [q2] Et le financement ?
10 Interviewee1 [q2] Les subventions manquent. / 4.c Click the following buttons:
12 Tous [q2] Oui !
q1 @6: Qu'est-ce qui fait un bon organisateur ?
q2 @9: Et le financement ?
warnings: header, unlabelled_text
"
    );
}

#[test]
fn labels_with_chevrons_tabs_accents_and_titles() {
    let s = fixture("delimiters.txt");
    assert_eq!(
        summary(&s),
        "\
MARIA | participant | 2 turns | 11 words
JOSÉ | participant | 2 turns | 10 words
Rocío | participant | 2 turns | 8 words
Dr. Ana Müller | participant | 2 turns | 7 words
1 MARIA [-] We trust people who show up.
2 JOSÉ [-] And who keep their word.
3 Rocío [-] Funding is always short.
4 MARIA [-] Grants run out every year.
5 Rocío [-] Then we start again.
6 Dr. Ana Müller [-] Why do you keep going?
7 JOSÉ [-] Because the neighborhood needs it.
8 Dr. Ana Müller [-] Thank you.
warnings: convention
"
    );
    assert_eq!(
        s.reading.convention,
        "labels: MARIA >> (2), JOSÉ >> (2), Rocío<tab> (2), Dr. Ana Müller: (2)"
    );
    // Named as the moderator, Dr. Müller's question is the session's first.
    let options = with_text(TextOptions {
        moderators: Some(vec!["dr. ana müller".into()]),
        ..TextOptions::default()
    });
    let s = read_file(&repo().join(FIXTURES).join("delimiters.txt"), &options);
    assert_eq!(s.speakers[3].role.as_str(), "moderator");
    let q: Vec<_> = s.questions.iter().map(|q| (q.id.as_str(), q.line)).collect();
    assert_eq!(q, [("q1", 6)]);
    assert_eq!(s.turns[6].question, Some(0));
    assert_eq!(s.turns[5].question, Some(0));
    assert_eq!(s.turns[4].question, None);
}

#[test]
fn group_voices_and_an_inferred_moderator() {
    let s = fixture("focus-group-3.txt");
    assert_eq!(
        summary(&s),
        "\
R | moderator | 3 turns | 19 words
ALL | group | 1 turns | 1 words
M | participant | 2 turns | 7 words
Several | group | 1 turns | 1 words
L | participant | 1 turns | 6 words
Everyone | group | 1 turns | 2 words
3 R [q1] So what makes a good organizer, in your view?
4 ALL [q1] Trust!
5 M [q1] Someone who listens.
6 R [q2] And how do you keep people coming back?
7 Several [q2] Food.
8 L [q2] Honestly, persistence. You keep showing up.
9 R [q3] Anything else?
10 Everyone [q3] (laughs) No.
11 M [q3] No, that covers it.
q1 @3: So what makes a good organizer, in your view?
q2 @6: And how do you keep people coming back?
q3 @9: Anything else?
warnings: header, moderator_inferred
"
    );
    assert_eq!(
        s.reading.moderator.as_deref(),
        Some("moderator inferred: R asks 100% of the questions")
    );
}

#[test]
fn a_participants_file_overrides_the_inferred_moderator() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "session,speaker,role\n*,R,participant\n*,M,moderator\n").unwrap();
    let fixture = repo().join(FIXTURES).join("focus-group-3.txt");
    let out = qualkit(&[
        "transcripts",
        "inspect",
        arg(&fixture),
        "--participants",
        arg(&people),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let session = &json["sessions"][0];
    let roles: Vec<(String, String)> = session["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["label"].as_str().unwrap().into(), s["role"].as_str().unwrap().into()))
        .collect();
    let role = |label: &str| roles.iter().find(|(l, _)| l == label).unwrap().1.clone();
    assert_eq!((role("R").as_str(), role("M").as_str()), ("participant", "moderator"));
    assert_eq!(session["moderator"], "M (named)");
    // M asks nothing, so no turn has a question now.
    assert_eq!(session["questions"].as_array().unwrap().len(), 0);
    let warned = session["warnings"].as_array().unwrap();
    assert!(warned.iter().all(|w| w["kind"] != "moderator_inferred"), "{warned:?}");
}

#[test]
fn flags_force_a_reading() {
    let path = repo().join(FIXTURES).join("think-aloud-07.txt");
    let options =
        with_text(TextOptions { unlabelled: Unlabelled::Continue, ..TextOptions::default() });
    let s = read_file(&path, &options);
    let turns: Vec<(usize, usize)> =
        s.turns.iter().map(|t| (t.line, t.text.lines().count())).collect();
    assert_eq!(turns, [(4, 3), (10, 2), (16, 2), (20, 2)]);
    assert_eq!(s.speakers.len(), 1);
    // `--unlabelled participant` where every speaker is labelled: each unlabelled paragraph
    // is the participant's.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("iv.txt");
    std::fs::write(&t, "Ana: We trust them.\n\nThey come back.\n\nLee: Why?\n").unwrap();
    let options =
        with_text(TextOptions { unlabelled: Unlabelled::Participant, ..TextOptions::default() });
    let s = read_file(&t, &options);
    assert_eq!(
        summary(&s),
        "\
Ana | participant | 1 turns | 3 words
iv | participant | 1 turns | 3 words
Lee | participant | 1 turns | 1 words
1 Ana [-] We trust them.
3 iv [-] They come back.
5 Lee [-] Why?
warnings: convention
"
    );
}

#[test]
fn questions_line_up_with_the_guide() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("guide.txt");
    std::fs::write(
        &guide,
        "# language: spanish\nconfianza: ¿Qué les da confianza en un organizador?\n\
         ¿Qué pasa con el financiamiento de los programas?\n",
    )
    .unwrap();
    let fixture = repo().join(FIXTURES).join("grupo-4.txt");
    let out = qualkit(&["transcripts", "inspect", arg(&fixture), "--guide", arg(&guide)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "  questions:\n    \
             confianza  line 11: ¿Qué les da confianza en un organizador?  (3 turns, from the guide)\n    \
             g2  line 14: ¿Qué pasa con el financiamiento de los programas?  (5 turns, from the guide)\n"
        ),
        "{text}"
    );
    let out = qualkit(&[
        "transcripts",
        "inspect",
        arg(&fixture),
        "--guide",
        arg(&dir.path().join("none.txt")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("none.txt: cannot read"), "{}", stderr(&out));
}

/// One interview — a moderator's three questions and a participant's answers — written in
/// each convention: (file name, paragraphs). Blank strings separate paragraphs in text.
fn one_interview() -> Vec<(&'static str, Vec<&'static str>)> {
    let q = ["What makes a good organizer?", "And funding?", "Anything else?"];
    let a = [
        "Trust. People trust you when you keep your word.",
        "The grant ran out, so money is tight. Patience helps.",
        "We don't trust fast, it takes the long haul.",
    ];
    let labelled = |m: &'static str, p: &'static str| -> Vec<String> {
        q.iter().zip(a).flat_map(|(q, a)| [format!("{m}{q}"), format!("{p}{a}")]).collect()
    };
    let leak = |lines: Vec<String>| -> Vec<&'static str> {
        lines.into_iter().map(|l| &*Box::leak(l.into_boxed_str())).collect()
    };
    let mut roster = vec!["Entrevista 2", "MARTA, MODERADORA (M)", "ANA RUIZ (A)", ""];
    roster.extend(leak(labelled("M= ", "A= ")));
    let unlabelled: Vec<String> =
        q.iter().zip(a).flat_map(|(q, a)| [format!("Moderator: {q}"), a.to_string()]).collect();
    let formatted: Vec<String> =
        q.iter().zip(a).flat_map(|(q, a)| [format!("{{b}}{q}{{/b}}"), a.to_string()]).collect();
    vec![
        ("colon", leak(labelled("Moderator: ", "Ana: "))),
        ("roster-equals", roster),
        ("dash", leak(labelled("M - ", "A - "))),
        ("chevrons", leak(labelled("MODERATOR >> ", "ANA >> "))),
        ("tab", leak(labelled("Moderator\t", "Ana\t"))),
        ("unlabelled-participant", leak(unlabelled)),
        ("bold-labels", leak(labelled("{b}Moderator{/b} ", "{b}Ana{/b} "))),
        ("formatting", leak(formatted)),
    ]
}

#[test]
fn one_interview_counts_the_same_in_every_convention_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (name, paragraphs) in one_interview() {
        let formatted = paragraphs.iter().any(|p| p.contains("{b}"));
        let mut files: Vec<(String, Vec<u8>)> = vec![
            (format!("{name}.docx"), common::office::docx(&paragraphs)),
            (format!("{name}.odt"), common::office::odt(&paragraphs)),
        ];
        if !formatted {
            // Text: paragraphs separated by blank lines, and one paragraph per line.
            files.push((format!("{name}.txt"), paragraphs.join("\n\n").into_bytes()));
            files.push((format!("{name}-lines.txt"), paragraphs.join("\n").into_bytes()));
        }
        for (file, bytes) in files {
            let input = dir.path().join(&file);
            std::fs::write(&input, bytes).unwrap();
            let out_dir = dir.path().join(format!("r-{file}"));
            let out = qualkit(&[
                "analyze",
                arg(&input),
                "-c",
                "tests/fixtures/mini/codebook.toml",
                "--out",
                arg(&out_dir),
                "-q",
            ]);
            assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
            outputs.push((file, common::read(&out_dir.join("theme_frequencies.csv"))));
        }
    }
    assert_eq!(outputs.len(), 28);
    // 9 + 10 + 9 = 28 participant words; "trust" three times (in two answers), "patience"
    // and "long haul", "grant"; the moderator's questions are not counted.
    assert_eq!(
        outputs[0].1,
        "\
theme,label,parent,mentions,segments,speakers,sessions,per_1000_words
values,Values,,5,3,1,1,178.571
trust,Trust,values,3,2,1,1,107.143
patience,Patience,values,2,2,1,1,71.429
money,Money,,1,1,1,1,35.714
"
    );
    for (file, text) in &outputs[1..] {
        assert_eq!(text, &outputs[0].1, "{file} differs from {}", outputs[0].0);
    }
}

/// Reads `paragraphs` written as a Word and as an OpenDocument file named `stem`.
fn documents(stem: &str, paragraphs: &[&str]) -> [Session; 2] {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join(format!("{stem}.docx"));
    let odt = dir.path().join(format!("{stem}.odt"));
    std::fs::write(&docx, common::office::docx(paragraphs)).unwrap();
    std::fs::write(&odt, common::office::odt(paragraphs)).unwrap();
    [read_file(&docx, &ReadOptions::default()), read_file(&odt, &ReadOptions::default())]
}

#[test]
fn the_fixtures_read_the_same_as_word_and_opendocument_paragraphs() {
    for name in ["grupo-4", "think-aloud-07", "interview-fr", "delimiters", "focus-group-3"] {
        let text = common::read(&repo().join(FIXTURES).join(format!("{name}.txt")));
        let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let [docx, odt] = documents(name, &paragraphs);
        let dir = tempfile::tempdir().unwrap();
        let lines = dir.path().join(format!("{name}.txt"));
        std::fs::write(&lines, paragraphs.join("\n")).unwrap();
        let lines = read_file(&lines, &ReadOptions::default());
        assert_eq!(summary(&docx), summary(&odt), "{name}");
        assert_eq!(summary(&docx), summary(&lines), "{name}: docx and one paragraph per line");
        if name != "grupo-4" {
            assert_eq!(unnumbered(&docx), unnumbered(&fixture(&format!("{name}.txt"))), "{name}");
        }
    }
    // In the Spanish focus group the talk is one paragraph per line, and `(inaudible)` is a
    // paragraph of its own in the documents: an annotation, not text of the turn above.
    let text = common::read(&repo().join(FIXTURES).join("grupo-4.txt"));
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let [docx, _] = documents("grupo-4", &paragraphs);
    let turn = docx.turns.iter().find(|t| t.text.starts_with("Coincido con eso")).unwrap();
    assert_eq!(turn.text, "Coincido con eso, el financiamiento no alcanza.");
    assert_eq!(docx.reading.annotations, [(15, "(inaudible)".to_string())]);
}

#[test]
fn bold_or_italic_paragraphs_are_the_moderators_in_documents() {
    let paragraphs = [
        "Interview 12 — Long Beach",
        "{b}What does a good organizer do?{/b}",
        "They listen first. Trust comes from showing up.",
        "{b}And when the funding runs out?{/b}",
        "We keep going anyway, with volunteers.",
        "(laughs)",
        "{b}Thank you.{/b}",
        "That's all.",
    ];
    let expected = "\
Moderator | moderator | 3 turns | 14 words
Participant | participant | 3 turns | 16 words
2 Moderator [q1] What does a good organizer do?
3 Participant [q1] They listen first. Trust comes from showing up.
4 Moderator [q2] And when the funding runs out?
5 Participant [q2] We keep going anyway, with volunteers.
7 Moderator [q2] Thank you.
8 Participant [q2] That's all.
q1 @2: What does a good organizer do?
q2 @4: And when the funding runs out?
warnings: header, convention
";
    for s in documents("interview-12", &paragraphs) {
        assert_eq!(s.title.as_deref(), Some("Interview 12 — Long Beach"));
        assert_eq!(summary(&s), expected, "{}", s.file.display());
        assert_eq!(s.reading.convention, "speakers told apart by formatting: bold = moderator");
        assert_eq!(s.reading.annotations, [(6, "(laughs)".to_string())]);
    }
    let italic: Vec<String> =
        paragraphs.iter().map(|p| p.replace("{b}", "{i}").replace("{/b}", "{/i}")).collect();
    let italic: Vec<&str> = italic.iter().map(String::as_str).collect();
    for s in documents("interview-12", &italic) {
        assert_eq!(summary(&s), expected, "{}", s.file.display());
        assert_eq!(s.reading.convention, "speakers told apart by formatting: italic = moderator");
    }
    // `--speakers-by labels`: one speaker, a turn per paragraph.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("interview-12.docx");
    std::fs::write(&path, common::office::docx(&paragraphs)).unwrap();
    let options =
        with_text(TextOptions { speakers_by: SpeakersBy::Labels, ..TextOptions::default() });
    let s = read_file(&path, &options);
    assert_eq!(s.speakers.len(), 1);
    assert_eq!(s.speakers[0].label, "interview-12");
    assert_eq!(s.turns.len(), 6);
}

#[test]
fn a_bold_run_opening_a_paragraph_is_a_label() {
    let paragraphs = [
        "{b}Maria{/b} I think trust is earned.",
        "{b}Interviewer{/b} Why?",
        "{b}Maria:{/b} Because people watch what you do.",
        "{u}Interviewer{/u} Thank you.",
    ];
    for s in documents("bold", &paragraphs) {
        assert_eq!(
            summary(&s),
            "\
Maria | participant | 2 turns | 11 words
Interviewer | moderator | 2 turns | 3 words
1 Maria [-] I think trust is earned.
2 Interviewer [q1] Why?
3 Maria [q1] Because people watch what you do.
4 Interviewer [q1] Thank you.
q1 @2: Why?
warnings: convention
"
        );
        assert_eq!(s.reading.convention, "labels: bold Maria (2), bold Interviewer (2)");
    }
}

#[test]
fn real_files_once_refused_for_their_header_are_read() {
    // A licence text: its title and notes are the header, the rest one speaker's paragraphs.
    let Some(license) = shared("qualcoder-examples/LICENSE.txt") else { return };
    let s = read_file(&license, &ReadOptions::default());
    assert_eq!(s.title.as_deref(), Some("GNU LESSER GENERAL PUBLIC LICENSE"));
    assert_eq!(s.reading.header.len(), 4);
    assert_eq!(s.speakers.len(), 1);
    assert_eq!((s.turns.len(), s.speakers[0].label.as_str()), (36, "LICENSE"));
    // Evidence to a Senate committee, published as Markdown: a paragraph before the first
    // label, then senators' questions and the witness's answers.
    let Some(senate) = shared(
        "real-transcripts/bitcointranscripts/2014-10-08-andreas-antonopolous-canada-senate-bitcoin.md",
    ) else {
        return;
    };
    let s = read_file(&senate, &ReadOptions::default());
    let turns = |label: &str| {
        let i = s.speakers.iter().position(|sp| sp.label == label).unwrap();
        (s.speakers[i].role.as_str(), s.turns.iter().filter(|t| t.speaker == i).count())
    };
    assert_eq!(s.turns.len(), 89);
    assert_eq!(turns("Unknown speaker"), ("participant", 1));
    assert_eq!(turns("AA"), ("participant", 44));
    assert_eq!(turns("Senator"), ("moderator", 35));
    assert_eq!(
        s.reading.moderator.as_deref(),
        Some("moderator inferred: Senator asks 76% of the questions")
    );
}

#[test]
fn a_label_named_by_the_participants_file_opens_a_turn_even_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("g5.txt");
    std::fs::write(&t, "P= ¿Qué opinan?\nV= Que sí.\nP= ¿Y vos?\nN= No sé.\nV= Yo sí.\n").unwrap();
    // N speaks once, with `=`, the file's own delimiter: a speaker.
    let s = read_file(&t, &ReadOptions::default());
    let labels: Vec<&str> = s.turns.iter().map(|t| s.speaker_of(t).label.as_str()).collect();
    assert_eq!(labels, ["P", "V", "P", "N", "V"]);
    // A label seen once with a delimiter the file does not otherwise use is text, unless the
    // participants file names it.
    std::fs::write(&t, "P: ¿Qué opinan?\nV: Que sí.\nP: ¿Y vos?\nV: Yo sí.\nNORA >> No sé.\n")
        .unwrap();
    let s = read_file(&t, &ReadOptions::default());
    assert_eq!(s.turns.len(), 4);
    assert_eq!(s.turns[3].text, "Yo sí.\nNORA >> No sé.");
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "session,speaker,role\ng5,Nora,participant\ng5,P,moderator\n").unwrap();
    let out = qualkit(&["transcripts", "inspect", arg(&t), "--participants", arg(&people)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("    Nora  participant      1 turn         2 words\n"), "{text}");
    assert!(text.contains("  moderator: P (named)\n"), "{text}");
}

#[test]
fn formatting_asked_of_a_text_file_is_a_warning() {
    let options =
        with_text(TextOptions { speakers_by: SpeakersBy::Formatting, ..TextOptions::default() });
    let s = read_file(&repo().join(FIXTURES).join("delimiters.txt"), &options);
    assert_eq!(s.turns.len(), 8);
    let w = s.warnings.first().unwrap();
    assert_eq!((w.line, w.kind.as_str()), (None, "convention"));
    assert!(w.message.starts_with("--speakers-by formatting applies to Word"), "{}", w.message);
}
