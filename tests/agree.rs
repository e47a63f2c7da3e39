//! `qualkit agree` through the real binary: published coefficients, missing data, units,
//! the disagreements files, errors, and the bundled example's automatic coding against a
//! hand coding of one session (tests/fixtures/agree/mc-01-hand.csv).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{arg, qualkit, read, stderr, stdout};
use qualkit::codebook::Codebook;

const FIXTURES: &str = "tests/fixtures/agree";
const TEN: &str = "tests/fixtures/agree/transcripts/ten.txt";

/// The CSV output as rows keyed by theme, each a map from column to cell.
fn csv_rows(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> =
                header.iter().zip(r.iter()).map(|(h, c)| (h.to_string(), c.to_string())).collect();
            (row["theme"].clone(), row)
        })
        .collect()
}

#[test]
fn krippendorff_2011_binary_example_and_its_cohen_kappa() {
    // Krippendorff (2011), section A: two coders, ten units, binary; α = 0.095. The units
    // are the ten participant turns of ten.txt; `x` is the value 1. Cohen's κ: p_o = 0.6,
    // p_e = 0.2·0.4 + 0.8·0.6 = 0.56, κ = 0.04 / 0.44 = 0.0909.
    let out = qualkit(&["agree", "tests/fixtures/agree/binary.csv", "-t", TEN, "--gold", "ben"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
Agreement of 2 coders by turn, over 1 session

coder  rows  units coded  sessions  source
ana       2            2  1 of 1    tests/fixtures/agree/binary.csv
ben       4            4  1 of 1    tests/fixtures/agree/binary.csv

Units: 10 turns of participants
(moderators' turns are left out; --include-moderators counts them).
Coded by two or more coders: 10 turns.
Uncoded by every coder (no theme): 5 turns, included (--exclude-uncoded leaves them out).
Compared: 10 turns.
Missing data: a coder with no row for a session is missing for its units (not \"absent\").
Krippendorff's α uses every unit with two or more coders; percent agreement and Cohen's κ use the units both coders coded.

theme       units  both  ana only  ben only  neither  agree      κ      α
x              10     1         1         3        5  60.0%  0.091  0.095
all themes     10     1         1         3        5  60.0%  0.091  0.095

both, ana only, ben only, neither: compared units by who coded the theme.
agree: percent agreement. κ: Cohen's kappa (Cohen 1960).
α: Krippendorff's alpha, nominal (Krippendorff 2011). –: undefined (every decision was the same).
all themes: every (unit, theme) pair pooled as one present/absent decision.

Against ben (reference), over the units both coded:

theme       coder  TP  FP  FN  TN  precision  recall     F1
x           ana     1   1   3   5      0.500   0.250  0.333
all themes  ana     1   1   3   5      0.500   0.250  0.333

TP: coded by both; FP: by the coder only; FN: by ben only; TN: by neither.
precision = TP / (TP + FP); recall = TP / (TP + FN); F1 = 2 TP / (2 TP + FP + FN).
all themes: the counts of every theme added up (micro-average).
"
    );

    let out = qualkit(&["agree", "tests/fixtures/agree/binary.csv", "-t", TEN, "--format", "csv"]);
    let rows = csv_rows(&stdout(&out));
    let x = &rows["x"];
    assert_eq!(x["unit"], "turn");
    assert_eq!(x["uncoded_units"], "included");
    assert_eq!(x["percent_agreement"], "0.6000");
    assert_eq!(x["cohen_expected"], "0.5600");
    assert_eq!(x["cohen_kappa"], "0.0909");
    assert_eq!(x["alpha_values"], "20");
    // D_o = 2·4 / 20; D_e = 2·14·6 / (20·19).
    assert_eq!(x["alpha_observed_disagreement"], "0.4000");
    assert_eq!(x["alpha_expected_disagreement"], "0.4421");
    assert_eq!(x["krippendorff_alpha"], "0.0952");
}

#[test]
fn three_coders_with_a_missing_session() {
    // ana, ben and cy code `x` in the ten participant turns of `ten`; cy did not code
    // `four`, so only ana and ben code its four turns. Worked by hand:
    // Fleiss over the ten units all three coded: P̄ = (7·1 + 3·⅓) / 10 = 0.8,
    // p = 9/30, P̄e = 0.3² + 0.7² = 0.58, κ = 0.22 / 0.42 = 0.5238.
    // Krippendorff: o_00 = 18 + 4 = 22, o_11 = 3 + 3 + 2 = 8, o_01 = 3 + 1 = 4; n = 38,
    // n_0 = 26, n_1 = 12; α = 1 − 37·4 / (26·12) = 0.5256.
    // Percent agreement: 54 agreeing of 68 ordered pairs = 0.7941.
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/three.csv",
        "-t",
        "tests/fixtures/agree/transcripts",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_rows(&stdout(&out));
    let x = &rows["x"];
    assert_eq!(
        (x["units"].as_str(), x["coded_ana"].as_str(), x["coded_ben"].as_str()),
        ("14", "4", "5")
    );
    assert_eq!(x["coded_cy"], "3");
    assert_eq!(x["percent_agreement"], "0.7941");
    assert_eq!(x["fleiss_units"], "10");
    assert_eq!(x["fleiss_observed"], "0.8000");
    assert_eq!(x["fleiss_expected"], "0.5800");
    assert_eq!(x["fleiss_kappa"], "0.5238");
    assert_eq!(x["alpha_values"], "38");
    assert_eq!(x["krippendorff_alpha"], "0.5256");
    assert!(!x.contains_key("cohen_kappa"));

    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/three.csv",
        "-t",
        "tests/fixtures/agree/transcripts",
    ]);
    let text = stdout(&out);
    assert!(text.contains("cy        4            3  1 of 2 (missing: four)"), "{text}");
    assert!(text.contains("Fleiss' κ uses only the units every coder coded."), "{text}");
    assert!(text.contains(
        "Left out: 1 theme coding by cy in turns that are not counted (moderators' without \
         --include-moderators; observers')."
    ));
    assert!(text.contains("x              14    4    5   3  79.4%   10  0.524  0.526"), "{text}");
}

#[test]
fn uncoded_units_can_be_left_out() {
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/binary.csv",
        "-t",
        TEN,
        "--exclude-uncoded",
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&stdout(&out));
    let x = &rows["x"];
    assert_eq!(x["uncoded_units"], "excluded");
    // Units 1, 2, 3, 6 and 9 remain: both 1, ana only 1, ben only 3, neither 0.
    assert_eq!(
        [&x["units"], &x["both"], &x["only_ana"], &x["only_ben"], &x["neither"]],
        ["5", "1", "1", "3", "0"]
    );
    assert_eq!(x["percent_agreement"], "0.2000");
    let out =
        qualkit(&["agree", "tests/fixtures/agree/binary.csv", "-t", TEN, "--exclude-uncoded"]);
    assert!(stdout(&out).contains(
        "Uncoded by every coder (no theme): 5 turns, left out (--exclude-uncoded).\nCompared: 5 turns.\n"
    ));
}

#[test]
fn sentences_and_characters_as_units() {
    let dir = tempfile::tempdir().unwrap();
    let codes = dir.path().join("codes.csv");
    // Turn 2 of `ten`: "The rent went up again. We organized a meeting." (47 characters).
    // ana codes "rent went up" (4–16); ben codes "went up again. We organized" (9–36).
    std::fs::write(
        &codes,
        "session,turn,start,end,theme,coder\nten,2,4,16,x,ana\nten,2,9,36,x,ben\n",
    )
    .unwrap();
    let run = |unit: &str| {
        let out = qualkit(&["agree", arg(&codes), "-t", TEN, "--unit", unit, "--format", "csv"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        csv_rows(&stdout(&out)).remove("x").unwrap()
    };
    let s = run("sentence");
    // Sentences: two in each of the turns 2, 3, 4 and 7, one in the six others: 14. ana's
    // span is in the first sentence of turn 2, ben's overlaps both.
    assert_eq!([&s["units"], &s["both"], &s["only_ana"], &s["only_ben"]], ["14", "1", "0", "1"]);
    let c = run("character");
    let total: usize = read(Path::new(TEN))
        .lines()
        .skip(5)
        .map(|l| l.split_once(": ").unwrap().1.chars().count())
        .sum();
    // Both: 9–16 (7); ana only: 4–9 (5); ben only: 16–36 (20).
    assert_eq!([&c["both"], &c["only_ana"], &c["only_ben"]], ["7", "5", "20"]);
    assert_eq!(c["units"], total.to_string());
    assert_eq!(c["neither"], (total - 32).to_string());

    // Disputed characters are listed as runs.
    let prefix = dir.path().join("runs");
    let out = qualkit(&[
        "agree",
        arg(&codes),
        "-t",
        TEN,
        "--unit",
        "character",
        "--disagreements",
        arg(&prefix),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(&dir.path().join("runs.csv")),
        "session,file,line,turn,sentence,start,end,speaker,theme,coded_by,not_coded_by,text\n\
         ten,tests/fixtures/agree/transcripts/ten.txt,6,2,,4,9,Ana,x,ana,ben,rent \n\
         ten,tests/fixtures/agree/transcripts/ten.txt,6,2,,16,36,Ana,x,ben,ana,\x20again. We \
         organized\n"
    );
}

#[test]
fn disagreements_are_written_as_csv_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let folder = format!("{}/", dir.path().join("adjudication").display());
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/binary.csv",
        "-t",
        TEN,
        "--disagreements",
        &folder,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["unit"], "turn");
    assert_eq!(json["themes"][0]["cohen_kappa"]["table"], serde_json::json!([[5, 3], [1, 1]]));
    let written = dir.path().join("adjudication");
    assert_eq!(
        read(&written.join("disagreements.csv")),
        "\
session,file,line,turn,sentence,start,end,speaker,theme,coded_by,not_coded_by,text
ten,tests/fixtures/agree/transcripts/ten.txt,6,2,,0,47,Ana,x,ben,ana,The rent went up again. We organized a meeting.
ten,tests/fixtures/agree/transcripts/ten.txt,8,4,,0,43,Ana,x,ben,ana,The city never came back. People are tired.
ten,tests/fixtures/agree/transcripts/ten.txt,11,7,,0,43,Ben,x,ben,ana,The meeting had forty people. That was new.
ten,tests/fixtures/agree/transcripts/ten.txt,14,10,,0,36,Ana,x,ana,ben,\"We voted, and we will strike in May.\"
"
    );
    let md = read(&written.join("disagreements.md"));
    assert!(
        md.starts_with(
            "# Disagreements\n\nCoders: ana, ben. Unit: turn. Uncoded units included.\n\n\
         4 disputed theme codings in 4 turns: some coders coded the theme there and others did \
         not. Coders missing for a session are not listed.\n\n## ten · Ten answers\n\n\
         ### Turn 2 · Ana · tests/fixtures/agree/transcripts/ten.txt:6\n\n\
         > The rent went up again. We organized a meeting.\n\n\
         - `x`: coded by ben; not by ana\n"
        ),
        "{md}"
    );
    assert!(md.ends_with(
        "### Turn 10 · Ana · tests/fixtures/agree/transcripts/ten.txt:14\n\n\
         > We voted, and we will strike in May.\n\n- `x`: coded by ana; not by ben\n"
    ));

    // Never over a coding: `--disagreements binary` would write binary.csv.
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/binary.csv",
        "-t",
        TEN,
        "--disagreements",
        "tests/fixtures/agree/binary",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: tests/fixtures/agree/binary.csv would replace the coding \
         tests/fixtures/agree/binary.csv; choose another output\n"
    );
}

#[test]
fn bad_codings_are_errors_naming_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, text: &str, extra: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let mut args = vec!["agree", arg(&path), "-t", TEN];
        args.extend_from_slice(extra);
        let out = qualkit(&args);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        stderr(&out).replace(&format!("{}/", dir.path().display()), "")
    };
    assert_eq!(
        run("a.csv", "session,turn,theme,coder\nten,2,x,ana\nelf,2,x,ben\n", &[]),
        "error: a.csv:3: session `elf` is not among the transcripts read (ten); give the \
         transcripts that were coded with --transcripts\n"
    );
    assert_eq!(
        run("b.csv", "session,turn,theme,coder\nten,2,x,ana\nten,12,x,ben\n", &[]),
        "error: b.csv:3: turn 12 does not exist: session ten has 11 turns; are these codings \
         of other transcripts?\n"
    );
    assert_eq!(
        run("c.csv", "session,turn,theme,coder\nten,2,x,ana\n", &[]),
        "error: agreement needs two or more coders, and c.csv holds one (ana); give another \
         coding\n"
    );
    assert_eq!(
        run("d.csv", "session,turn,theme,coder\nten,2,x,ana\nten,2,x,ben\n", &["--gold", "cy"]),
        "error: --gold cy is not one of the coders: ana, ben\n"
    );
    assert_eq!(
        run("e.csv", "session,theme\nten,x\n", &[]),
        "error: e.csv:1: no `turn` or `line` column in the header (session,theme); a coding \
         CSV needs a `theme` column and either `session` and `turn` or `file` and `line` \
         columns (optionally `start`, `end`, `coder`), as in qualkit's mentions.csv\n"
    );
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/binary.csv",
        "tests/fixtures/agree/binary.csv",
        "-t",
        TEN,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: two codings are both named `ana` (tests/fixtures/agree/binary.csv and \
         tests/fixtures/agree/binary.csv); name them with NAME=PATH or --name\n"
    );
}

/// The participant turns of a text transcript (1-based numbers), read independently of
/// qualkit: a turn starts on a line `[hh:mm:ss] Speaker: …`.
fn participant_turns(transcript: &str) -> (BTreeSet<usize>, BTreeMap<usize, usize>) {
    let mut counted = BTreeSet::new();
    let mut line_of = BTreeMap::new();
    let mut n = 0;
    for (i, line) in read(Path::new(transcript)).lines().enumerate() {
        let Some(rest) = line.strip_prefix('[') else { continue };
        let Some((_, after)) = rest.split_once("] ") else { continue };
        let Some((speaker, _)) = after.split_once(':') else { continue };
        n += 1;
        line_of.insert(n, i + 1);
        if speaker != "Moderator" {
            counted.insert(n);
        }
    }
    (counted, line_of)
}

#[test]
fn automatic_coding_of_the_bundled_example_against_a_hand_coding_of_mc_01() {
    let dir = tempfile::tempdir().unwrap();
    let auto = dir.path().join("auto");
    let out = qualkit(&[
        "analyze",
        "transcripts/metaconnects",
        "--codebook",
        "codebooks/metaconnects.toml",
        "--out",
        arg(&auto),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hand = format!("{FIXTURES}/mc-01-hand.csv");
    let auto_arg = format!("auto={}", auto.display());
    let out = qualkit(&[
        "agree",
        &auto_arg,
        &hand,
        "--codebook",
        "codebooks/metaconnects.toml",
        "--gold",
        "hand",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv_out = stdout(&out);
    let rows = csv_rows(&csv_out);

    // The same, computed here: the units are the participant turns of mc-01 (the hand
    // coder coded no other session); each coder's themes per turn, the hand coder's rolled
    // up to their parents.
    let (counted, _) = participant_turns("transcripts/metaconnects/2025-03-04-south-la.txt");
    assert_eq!(counted.len(), 50);
    let mut auto_codes: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut reader = csv::Reader::from_path(auto.join("mentions.csv")).unwrap();
    for r in reader.deserialize::<BTreeMap<String, String>>() {
        let r = r.unwrap();
        if r["session"] == "mc-01" {
            auto_codes.insert((r["turn"].parse().unwrap(), r["theme"].clone()));
        }
    }
    let cb = Codebook::load(Path::new("codebooks/metaconnects.toml")).unwrap();
    let mut hand_codes: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut reader = csv::Reader::from_path(&hand).unwrap();
    for r in reader.deserialize::<BTreeMap<String, String>>() {
        let r = r.unwrap();
        let turn: usize = r["turn"].parse().unwrap();
        for theme in r["theme"].split(';') {
            let i = cb.index_of(theme.trim()).expect("hand codes use codebook themes");
            for t in cb.self_and_ancestors(i) {
                hand_codes.insert((turn, cb.themes[t].id.clone()));
            }
        }
    }
    let themes: BTreeSet<&String> = auto_codes
        .iter()
        .chain(&hand_codes)
        .filter(|(turn, _)| counted.contains(turn))
        .map(|(_, theme)| theme)
        .collect();
    let listed: BTreeSet<&String> = rows.keys().filter(|t| *t != "all themes").collect();
    assert_eq!(listed, themes);

    let four = |v: f64| format!("{v:.4}");
    let ratio = |a: usize, b: usize| if b == 0 { String::new() } else { four(a as f64 / b as f64) };
    let mut summary = String::new();
    let (mut all_tp, mut all_fp, mut all_fn) = (0, 0, 0);
    for theme in &themes {
        let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
        for &turn in &counted {
            let a = auto_codes.contains(&(turn, theme.to_string()));
            let h = hand_codes.contains(&(turn, theme.to_string()));
            match (a, h) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => tn += 1,
            }
        }
        (all_tp, all_fp, all_fn) = (all_tp + tp, all_fp + fp, all_fn + fn_);
        let row = &rows[*theme];
        let n = 50.0;
        let p_o = (tp + tn) as f64 / n;
        let p_e = ((tp + fp) * (tp + fn_) + (fn_ + tn) * (fp + tn)) as f64 / (n * n);
        let kappa = if p_e < 1.0 { four((p_o - p_e) / (1.0 - p_e)) } else { String::new() };
        let expected = [
            ("units", "50".to_string()),
            ("auto_tp", tp.to_string()),
            ("auto_fp", fp.to_string()),
            ("auto_fn", fn_.to_string()),
            ("auto_tn", tn.to_string()),
            ("auto_precision", ratio(tp, tp + fp)),
            ("auto_recall", ratio(tp, tp + fn_)),
            ("auto_f1", ratio(2 * tp, 2 * tp + fp + fn_)),
            ("percent_agreement", four(p_o)),
            ("cohen_kappa", kappa),
        ];
        for (column, value) in expected {
            assert_eq!(row[column], value, "{theme}: {column}");
        }
        summary += &format!(
            "{theme:30} P {:>6} R {:>6} F1 {:>6}\n",
            row["auto_precision"], row["auto_recall"], row["auto_f1"]
        );
    }
    let all = &rows["all themes"];
    assert_eq!(
        [&all["auto_tp"], &all["auto_fp"], &all["auto_fn"]],
        [&all_tp.to_string(), &all_fp.to_string(), &all_fn.to_string()]
    );
    assert_eq!(all["auto_precision"], ratio(all_tp, all_tp + all_fp));
    assert_eq!(all["auto_recall"], ratio(all_tp, all_tp + all_fn));
    println!("automatic coding against the hand coding of mc-01:\n{summary}");

    // The same hand coding placed by file line instead of turn number gives the same result.
    let (_, line_of) = participant_turns("transcripts/metaconnects/2025-03-04-south-la.txt");
    let mut by_line = String::from("file,line,theme,coder\n");
    let mut reader = csv::Reader::from_path(&hand).unwrap();
    for r in reader.deserialize::<BTreeMap<String, String>>() {
        let r = r.unwrap();
        let turn: usize = r["turn"].parse().unwrap();
        by_line += &format!("2025-03-04-south-la.txt,{},{},hand\n", line_of[&turn], r["theme"]);
    }
    let by_line_path = dir.path().join("by-line.csv");
    std::fs::write(&by_line_path, by_line).unwrap();
    let out = qualkit(&[
        "agree",
        &auto_arg,
        arg(&by_line_path),
        "--codebook",
        "codebooks/metaconnects.toml",
        "--gold",
        "hand",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), csv_out);

    // The text says which sessions the hand coder left out.
    let out = qualkit(&["agree", &auto_arg, &hand, "--gold", "hand"]);
    let text = stdout(&out);
    assert!(text.contains("1 of 4 (missing: mc-02, mc-03, mc-04)"), "{text}");
    assert!(text.contains(
        "Themes: each coded theme also codes its parents in codebooks/metaconnects.toml."
    ));
    assert!(text.contains("Against hand (reference), over the units both coded:"));
}

#[test]
fn output_is_the_same_on_every_run() {
    let args = [
        "agree",
        "reports/metaconnects",
        "tests/fixtures/agree/mc-01-hand.csv",
        "--unit",
        "character",
        "--gold",
        "hand",
        "--format",
        "json",
    ];
    let first = qualkit(&args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(first.stdout, qualkit(&args).stdout);
}

#[test]
fn readme_figures_for_the_bundled_example() {
    let out = qualkit(&[
        "agree",
        "auto=reports/metaconnects",
        "tests/fixtures/agree/mc-01-hand.csv",
        "--gold",
        "hand",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_rows(&stdout(&out));
    let all = &rows["all themes"];
    let number = |column: &str| all[column].parse::<f64>().unwrap();
    let readme = read(&common::repo().join("README.md")).replace('\n', " ");
    let units: usize = all["units"].parse().unwrap();
    let themes = rows.len() - 1;
    for figure in [
        format!("agree on {:.1}% of the {}", 100.0 * number("percent_agreement"), {
            let s = units.to_string();
            format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
        }),
        format!("({} participant turns × {themes} themes)", units / themes),
        format!(
            "Pooled κ is {:.3} and α {:.3}.",
            number("cohen_kappa"),
            number("krippendorff_alpha")
        ),
        format!(
            "precision is {:.3} and its recall {:.3}",
            number("auto_precision"),
            number("auto_recall")
        ),
    ] {
        assert!(readme.contains(&figure), "README's agreement figures are stale: {figure}");
    }
}

#[test]
fn coders_of_different_sessions_have_nothing_to_compare() {
    let dir = tempfile::tempdir().unwrap();
    let codes = dir.path().join("codes.csv");
    std::fs::write(&codes, "session,turn,theme,coder\nten,2,x,ana\nfour,1,x,ben\n").unwrap();
    let out = qualkit(&["agree", arg(&codes), "-t", "tests/fixtures/agree/transcripts"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("ana       1            0  1 of 2 (missing: four)"), "{text}");
    assert!(text.contains("Compared: 0 turns.\n"), "{text}");
    assert!(text.ends_with(
        "No unit was coded by two or more coders: there is nothing to compare (see the sessions \
         each coder coded).\nNot listed, coded only in units not compared: x.\n"
    ));
}

#[test]
fn the_json_of_each_theme_has_every_coefficient_with_intervals() {
    // The coefficients of `agree --ratings` on each theme's presence (docs/agreement.md),
    // beside the existing fields: on two complete coders Cohen's kappa and alpha are the
    // same numbers (Krippendorff 2011, section A: alpha 0.095; kappa 0.0909).
    let out = qualkit(&["agree", "tests/fixtures/agree/binary.csv", "-t", TEN, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for theme in [&json["themes"][0], &json["overall"]] {
        let c = &theme["coefficients"];
        let kappa = c["cohen_kappa"]["value"].as_f64().unwrap();
        assert!((kappa - theme["cohen_kappa"]["kappa"].as_f64().unwrap()).abs() < 1e-12);
        let alpha = c["krippendorff_alpha"]["value"].as_f64().unwrap();
        assert!((alpha - theme["krippendorff_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-12);
        assert!((alpha - 0.0952).abs() < 0.0001, "{alpha}");
        assert_eq!(c["cohen_kappa"]["ci95"].as_array().map(Vec::len), Some(2));
        assert!(c["gwet_ac1"]["se"].is_f64() && c["brennan_prediger"]["expected"] == 0.5);
    }
    // Three coders, one missing for a session: alpha is the same with missing data, and
    // Cohen's kappa is undefined, with the reason.
    let out = qualkit(&[
        "agree",
        "tests/fixtures/agree/three.csv",
        "-t",
        "tests/fixtures/agree/transcripts",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let x = &json["themes"][0];
    let alpha = x["coefficients"]["krippendorff_alpha"]["value"].as_f64().unwrap();
    assert!((alpha - x["krippendorff_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-12);
    assert!(x["coefficients"]["cohen_kappa"]["value"].is_null());
    assert!(x["coefficients"]["cohen_kappa"]["note"].as_str().unwrap().contains("exactly two"));
}
