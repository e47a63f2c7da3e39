//! `qualkit kwic` and `qualkit terms` through the real binary: the bundled example (checked
//! against the committed reports and an independent count), the small corpus of
//! tests/fixtures/mini worked out by hand, how TERMs are told from PATHs, and errors.

mod common;

use common::*;
use qualkit::analysis::stats;

const MINI: &str = "tests/fixtures/mini/transcripts";
const MINI_CODEBOOK: &str = "tests/fixtures/mini/codebook.toml";

fn ok(args: &[&str]) -> String {
    let out = qualkit(args);
    assert_eq!(out.status.code(), Some(0), "qualkit {args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Runs a command that must fail with exit 2 and returns its error message.
fn fails(args: &[&str]) -> String {
    let out = qualkit(args);
    assert_eq!(out.status.code(), Some(2), "qualkit {args:?}: {}", stdout(&out));
    assert!(stdout(&out).is_empty());
    stderr(&out)
}

#[test]
fn kwic_trust_in_the_bundled_example() {
    let text = ok(&["kwic", "trust"]);
    let lines: Vec<&str> = text.lines().collect();
    // Keisha's answer at line 25 of the first session: "Honestly? Trust. Everything starts
    // with whether people trust you. When I walk into a building for the first time…"
    assert_eq!(
        lines[0],
        "mc-01  Keisha                 transcripts/metaconnects/2025-03-04-south-la.txt:25                                                          Honestly? [Trust]. Everything starts with whether people trust you. When"
    );
    assert_eq!(
        lines[1],
        "mc-01  Keisha                 transcripts/metaconnects/2025-03-04-south-la.txt:25             Honestly? Trust. Everything starts with whether people [trust] you. When I walk into a building for"
    );
    // The moderator's turns are searched too, and marked.
    assert!(lines[2].starts_with("mc-01  Moderator (moderator)  "), "{}", lines[2]);
    // 15 words whose stem is "trust", counted independently in every turn of the four files.
    assert_eq!(lines.len(), 16);
    assert_eq!(lines[15], "15 matches in 11 turns of 4 sessions");
}

#[test]
fn paths_after_the_terms_or_after_dashes_give_the_same_listing() {
    let bundled = ok(&["kwic", "trust"]);
    assert_eq!(ok(&["kwic", "trust", "transcripts/metaconnects"]), bundled);
    assert_eq!(ok(&["kwic", "trust", "--", "transcripts/metaconnects"]), bundled);
}

#[test]
fn kwic_theme_shows_every_mention_analyze_counts() {
    let frequencies = read(&repo().join("reports/metaconnects/theme_frequencies.csv"));
    let row: Vec<&str> =
        frequencies.lines().find(|l| l.starts_with("trust,")).unwrap().split(',').collect();
    let (mentions, segments) = (row[3], row[4]);
    let csv = ok(&["kwic", "--theme", "trust", "--format", "csv"]);
    assert_eq!((csv.lines().count() - 1).to_string(), mentions, "{csv}");
    let text = ok(&["kwic", "--theme", "trust"]);
    assert_eq!(
        text.lines().last().unwrap(),
        format!("{mentions} mentions of theme `trust` in {segments} turns of 4 sessions")
    );
}

#[test]
fn kwic_terms_on_the_mini_corpus_as_csv() {
    let csv = ok(&["kwic", "--format", "csv", "--context", "3", "trust", "keep their word", MINI]);
    assert_eq!(
        csv,
        "\
session,file,line,turn,timestamp,speaker,role,left,match,right,start,end,rules
s1,tests/fixtures/mini/transcripts/a.txt,5,1,00:00:05,Moderator,moderator,Do you ,trust, the process? Is,7,12,trust
s1,tests/fixtures/mini/transcripts/a.txt,6,2,00:00:10,Ana,participant,I ,trust, people who keep,2,7,trust
s1,tests/fixtures/mini/transcripts/a.txt,6,2,00:00:10,Ana,participant,trust people who ,keep their word,. Trust takes patience.,19,34,keep their word
s1,tests/fixtures/mini/transcripts/a.txt,7,2,00:00:10,Ana,participant,keep their word. ,Trust, takes patience.,36,41,trust
s1,tests/fixtures/mini/transcripts/a.txt,8,3,00:00:30,Ben,participant,The ,trust, fund pays for,4,9,trust
s1,tests/fixtures/mini/transcripts/a.txt,9,4,,Ana,participant,haul. We don’t ,trust, fast.,29,34,trust
b,tests/fixtures/mini/transcripts/b.txt,2,2,,Cara,participant,\"funding, funding. And \",trust,.,31,36,trust
"
    );
}

#[test]
fn kwic_theme_on_the_mini_corpus_leaves_vetoed_and_moderator_words_out() {
    // tests/analyze.rs: trust has 5 mentions in 3 turns; Ben's "trust fund" is vetoed and
    // the moderator is not coded.
    let text = ok(&["kwic", "--theme", "trust", "--context", "2", "-c", MINI_CODEBOOK, MINI]);
    assert_eq!(
        text,
        "\
s1  Ana   tests/fixtures/mini/transcripts/a.txt:6             I [trust] people who
s1  Ana   tests/fixtures/mini/transcripts/a.txt:6    people who [keep their word]. Trust takes
s1  Ana   tests/fixtures/mini/transcripts/a.txt:7   their word. [Trust] takes patience.
s1  Ana   tests/fixtures/mini/transcripts/a.txt:9      We don’t [trust] fast.
b   Cara  tests/fixtures/mini/transcripts/b.txt:2  funding. And [trust].
5 mentions of theme `trust` in 3 turns of 2 sessions
"
    );
    let with = ok(&[
        "kwic",
        "--theme",
        "trust",
        "--include-moderators",
        "--format",
        "csv",
        "-c",
        MINI_CODEBOOK,
        MINI,
    ]);
    assert_eq!(with.lines().count(), 1 + 6, "the moderator's trust is coded too");
}

#[test]
fn kwic_writes_json_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trust.json");
    let printed = ok(&["kwic", "--format", "json", "-o", arg(&out), "honest*"]);
    assert!(printed.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&read(&out)).unwrap();
    assert_eq!(doc["terms"][0], "honest*");
    // `grep -oiw 'honest\w*' transcripts/metaconnects/*` finds 21 words.
    assert_eq!(doc["matches"].as_array().unwrap().len(), 21);
    let first = &doc["matches"][0];
    assert!(first["match"].as_str().unwrap().to_lowercase().starts_with("honest"), "{first}");
    assert!(first["session"].is_string() && first["line"].is_u64() && first["left"].is_string());
}

#[test]
fn terms_top_five_in_the_bundled_example() {
    // Verified independently: the four transcripts parsed and tokenised by a separate script,
    // participant turns only, NLTK English stopwords (and stopword contractions) left out,
    // stemmed with Snowball English: 7,517 words; people 57 (people 56, people's 1);
    // organizer/organizers/organizing/organize/organization… 53; one/ones 48; health 47;
    // years/year 42. Each occurs in all four sessions.
    assert_eq!(
        ok(&["terms", "--top", "5"]),
        "\
term        stem    count  sessions  per_1000_words
people      peopl      57         4           7.583
organizers  organ      53         4           7.051
one         one        48         4           6.386
health      health     47         4           6.252
years       year       42         4           5.587
7,517 participant words in 4 sessions; 1,017 terms (english stems, stopwords left out); 5 shown
"
    );
}

#[test]
fn terms_uncovered_keeps_only_words_no_mention_covers() {
    // Covered in the mini corpus: every trust but Ben's (vetoed by "trust fund"), "keep their
    // word", patience, "long haul", fund*, grants. Left: one each of comment, fast, pays,
    // people, takes, tight and that vetoed trust. 35 participant words.
    let csv = ok(&["terms", "--uncovered", "-c", MINI_CODEBOOK, MINI, "--format", "csv"]);
    assert_eq!(
        csv,
        "\
term,stem,count,sessions,per_1000_words,forms
comment,comment,1,1,28.571,comment 1
fast,fast,1,1,28.571,fast 1
pays,pay,1,1,28.571,pays 1
people,peopl,1,1,28.571,people 1
takes,take,1,1,28.571,takes 1
tight,tight,1,1,28.571,tight 1
trust,trust,1,1,28.571,trust 1
"
    );
    // Without --uncovered, funding (fund 1, funding 4) and trust lead with 5 each.
    let all = ok(&["terms", MINI, "--top", "2", "--format", "csv"]);
    assert_eq!(
        all,
        "\
term,stem,count,sessions,per_1000_words,forms
funding,fund,5,2,142.857,funding 4; fund 1
trust,trust,5,2,142.857,trust 5
"
    );
}

#[test]
fn terms_by_session_match_log_likelihood_by_hand() {
    let json = ok(&["terms", MINI, "--by", "session", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let b = &doc["sessions"][1];
    assert_eq!((b["session"].as_str(), b["words"].as_u64()), (Some("b"), Some(7)));
    // b: fund 3 of 7 words against 2 of 28 in s1; comment 1 against 0. Trust is 1 of 7
    // against 4 of 28, the same rate, so it is not listed.
    let terms: Vec<&str> =
        b["terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["funding", "comment"]);
    let g2 = b["terms"][0]["g2"].as_f64().unwrap();
    let (e1, e2) = (7.0 * 5.0 / 35.0, 28.0 * 5.0 / 35.0);
    let by_hand: f64 = 2.0 * (3.0 * (3.0f64 / e1).ln() + 2.0 * (2.0f64 / e2).ln());
    assert!((g2 - by_hand).abs() < 1e-9, "{g2} vs {by_hand}");
    assert!((g2 - stats::log_likelihood(3.0, 2.0, 7.0, 28.0)).abs() < 1e-12);
    assert!((b["terms"][0]["p"].as_f64().unwrap() - stats::chi_square_p(g2, 1.0)).abs() < 1e-12);
    assert_eq!(b["terms"][0]["low_expected"], true, "expected 1.0");
}

#[test]
fn ambiguous_and_misplaced_arguments_are_refused() {
    assert_eq!(
        fails(&["kwic", "trust", "transcripts"]),
        "error: `transcripts` is a folder here and could also be a word to look for; to read the \
         folder, write it as `./transcripts`; to look for the word, put the transcripts after \
         `--` (qualkit kwic TERM… -- PATH…)\n"
    );
    assert_eq!(
        fails(&["kwic", "trust", "transcripts/metaconect"]),
        "error: `transcripts/metaconect` is not a file or folder here; check the path (to look \
         for it as words, put the transcripts after `--`: qualkit kwic TERM… -- PATH…)\n"
    );
    assert_eq!(
        fails(&["kwic", "trust", "transcripts/metaconnects", "honesty"]),
        "error: `honesty` comes after the PATH `transcripts/metaconnects` but is no file or \
         folder; give every TERM before the first PATH\n"
    );
    assert_eq!(
        fails(&["kwic", "transcripts/metaconnects"]),
        "error: no TERM to look for: `transcripts/metaconnects` is a file or folder, so it and \
         what follows are PATHs; give the TERMs first (qualkit kwic TERM… PATH…)\n"
    );
    assert_eq!(
        fails(&["kwic"]),
        "error: give at least one TERM to look for (for example `qualkit kwic trust`), or \
         --theme ID to see a theme's mentions\n"
    );
    assert_eq!(
        fails(&["kwic", "--theme", "trust", "honesty"]),
        "error: `honesty` is no file or folder; with --theme every argument is a transcript PATH \
         (look for TERMs without --theme)\n"
    );
}

#[test]
fn other_errors_say_what_to_do() {
    assert_eq!(
        fails(&["kwic", "--theme", "trst"]),
        "error: codebooks/metaconnects.toml has no theme `trst`; did you mean `trust`? `qualkit \
         codebook show codebooks/metaconnects.toml` lists the themes\n"
    );
    assert_eq!(
        fails(&["kwic", "?!"]),
        "error: the TERM `?!` has no words; a term needs at least one letter or digit\n"
    );
    assert_eq!(
        fails(&["terms", "tests/fixtures/mini/transcripts/a.txt", "--by", "session"]),
        "error: --by session compares each session with the others, and only one session was \
         read; give transcripts of two or more sessions\n"
    );
    assert_eq!(
        fails(&["terms", MINI, "--uncovered"]),
        "error: --codebook FILE is required when transcripts are given (for example --codebook \
         codebooks/metaconnects.toml)\n"
    );
    assert!(fails(&["terms", "--language", "klingon"]).starts_with(
        "error: --language klingon is not a stemming language; choose one of: arabic"
    ));
    assert!(fails(&["kwic", "trust", "--include-moderators"])
        .contains("--include-moderators goes with --theme"));
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), "Ana: I trust them.\n").unwrap();
    std::fs::write(dir.path().join("bad.txt"), "---\nsite: never closed\nAna: trust\n").unwrap();
    let out = qualkit(&["kwic", "trust", "--", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.txt:1: front matter opened with `---` is never closed"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).ends_with("1 match in 1 turn of 1 session\n"), "{}", stdout(&out));
    let out = qualkit(&["terms", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn readme_examples_are_the_real_output() {
    let readme = read(&repo().join("README.md"));
    let kwic = ok(&["kwic", "--context", "4", "trust"]);
    let head: String = kwic.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert!(readme.contains(&head), "README's kwic excerpt is stale:\n{head}");
    let terms = ok(&["terms", "--top", "5"]);
    assert!(readme.contains(&terms), "README's terms excerpt is stale:\n{terms}");
}
