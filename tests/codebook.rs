//! `qualkit codebook check` and `qualkit codebook test` through the real binary.

mod common;

use common::*;

const FLAWED: &str = "tests/fixtures/codebooks/flawed.toml";

#[test]
fn the_bundled_codebook_checks_and_tests_clean() {
    let out = qualkit(&["codebook", "check", "codebooks/metaconnects.toml", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "codebooks/metaconnects.toml: 25 themes, no errors, no warnings\n");
    let out = qualkit(&["codebook", "test", "codebooks/metaconnects.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "90 passed, 0 failed\n");
}

#[test]
fn check_reports_each_warning_with_line_and_theme() {
    let out = qualkit(&["codebook", "check", FLAWED]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "\
tests/fixtures/codebooks/flawed.toml:7: warning: theme 'trust': `trusting` matches the same words as `trust` (line 7): they have the same stem; one of them is enough
tests/fixtures/codebooks/flawed.toml:8: warning: theme 'trust': exclude `weather report` can never overlap a match of this theme's own rules, so it never vetoes anything (an exclude vetoes only its theme's own matches, not its sub-themes')
tests/fixtures/codebooks/flawed.toml:14: warning: theme 'money': wildcard `co*` is so short that it matches most of the vocabulary; use a longer prefix or list the words
tests/fixtures/codebooks/flawed.toml:19: warning: theme 'time': has no examples; add a sentence it must code, so that `qualkit codebook test` checks it
tests/fixtures/codebooks/flawed.toml: 3 themes, no errors, 4 warnings
"
    );
    let out = qualkit(&["codebook", "check", FLAWED, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_stops_on_errors_with_exit_2() {
    let out = qualkit(&["codebook", "check", "tests/fixtures/mini/transcripts/a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: tests/fixtures/mini/transcripts/a.txt:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn test_reports_failing_examples_with_the_rule_or_the_reason() {
    let out = qualkit(&["codebook", "test", FLAWED]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "\
FAIL tests/fixtures/codebooks/flawed.toml:9: theme 'trust': example not coded: \"The trust fund paid for it.\"
     term `trust` (line 7) matched \"trust\", but exclude `trust fund` (line 8) vetoed it; term `trusting` (line 7) matched \"trust\", but exclude `trust fund` (line 8) vetoed it
FAIL tests/fixtures/codebooks/flawed.toml:16: theme 'money': counterexample coded: \"Our coalition met.\"
     term `co*` (line 14) matched \"coalition\"
3 passed, 2 failed
"
    );
}

/// Whether `xmllint` can be run (CI installs it; see `.ci/run`).
fn have_xmllint() -> bool {
    let have = std::process::Command::new("xmllint").arg("--version").output().is_ok();
    assert!(
        have || std::env::var_os("QUALKIT_REQUIRE_TOOLS").is_none(),
        "xmllint is not installed, and QUALKIT_REQUIRE_TOOLS says it must be (apt-get install \
         -y libxml2-utils)"
    );
    have
}

#[test]
fn refi_qda_export_validates_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let qdc = dir.path().join("out.qdc");
    let out = qualkit(&["codebook", "convert", "codebooks/metaconnects.toml", arg(&qdc)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!("codebooks/metaconnects.toml (toml, 25 themes) -> {} (qdc)\n", qdc.display())
    );

    if have_xmllint() {
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--schema", "schemas/refi-qda/Codebook-mrt2019.xsd", arg(&qdc)])
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), format!("{} validates\n", qdc.display()));
    } else {
        eprintln!("skipped the schema check: xmllint is not installed (.ci/run installs it)");
    }

    // Exporting again gives the same bytes.
    let again = dir.path().join("again.qdc");
    assert_eq!(
        qualkit(&["codebook", "convert", "codebooks/metaconnects.toml", arg(&again)]).status.code(),
        Some(0)
    );
    assert_eq!(std::fs::read(&qdc).unwrap(), std::fs::read(&again).unwrap());

    // Back to TOML: the same codebook, and its examples still pass.
    let back = dir.path().join("back.toml");
    let out = qualkit(&["codebook", "convert", arg(&qdc), arg(&back)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = qualkit(&["codebook", "test", arg(&back)]);
    assert_eq!(stdout(&out), "90 passed, 0 failed\n");
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    for (from, to) in [("codebooks/metaconnects.toml", &a), (arg(&back), &b)] {
        assert_eq!(qualkit(&["codebook", "convert", from, arg(to)]).status.code(), Some(0));
    }
    assert_eq!(read(&a), read(&b));
}

#[test]
fn a_taguette_codebook_is_imported_with_dotted_names_nested() {
    let Some(path) = shared("refi-qda/taguette_tests_expected_codebook.qdc") else { return };
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("taguette.toml");
    let out = qualkit(&["codebook", "convert", arg(&path), arg(&toml)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let notes = stderr(&out);
    let lines: Vec<&str> = notes.lines().collect();
    assert_eq!(lines.len(), 3, "{notes}");
    assert!(lines[0].starts_with("note: ") && lines[0].ends_with(
        ": 1 code named `parent.child` nested under the code the name begins with (as Taguette \
         means them): `interesting.places`"
    ), "{notes}");
    assert!(
        lines[1].ends_with(
            ": 2 codes from other tools carry no rules; each was given its name as a term — edit \
         the codebook to add real rules"
        ),
        "{notes}"
    );
    assert_eq!(
        read(&toml),
        "\
[codebook]
name = \"taguette_tests_expected_codebook\"

[[theme]]
id = \"interesting\"

[[theme]]
id = \"people\"
terms = [\"people\"]

[[theme]]
id = \"interesting_places\"
label = \"places\"
parent = \"interesting\"
terms = [\"places\"]
"
    );
}

#[test]
fn liwc_dictionaries_convert_both_ways_and_say_what_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let dic = dir.path().join("mini.dic");
    let out = qualkit(&["codebook", "convert", "tests/fixtures/mini/codebook.toml", arg(&dic)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Each word lists its theme and the theme's ancestors; words are sorted.
    assert_eq!(
        read(&dic),
        "%\n1\tValues\n2\tValues/Trust\n3\tValues/Patience\n4\tMoney\n%\n\
         fund*\t4\ngrant\t4\nkeep their word\t1\t2\nlong haul\t1\t3\npatience\t1\t3\ntrust\t1\t2\n"
    );
    assert_eq!(
        stderr(&out).replace(arg(&dic), "mini.dic"),
        "\
note: mini.dic: this codebook matches words by their stem, but a .dic entry matches only the word as written: 5 terms without a wildcard (themes trust, patience, money) will match fewer words (`trust` matched every word whose stem is `trust`, its .dic entry matches only `trust`); to keep other forms, write such terms as wildcards (`trust*`) in the codebook before converting
note: mini.dic: 1 exclude term (theme trust) left out: a .dic cannot veto a match, so what they kept out will be counted
note: mini.dic: the codebook's name `Mini` left out: a .dic has none, and reading one names the codebook after the file
tests/fixtures/mini/codebook.toml (toml, 4 themes) -> mini.dic (dic)
"
    );

    let toml = dir.path().join("back.toml");
    let out = qualkit(&["codebook", "convert", arg(&dic), arg(&toml)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).replace(arg(&dic), "mini.dic").replace(arg(&toml), "back.toml"),
        "\
note: mini.dic: 4 words listed under both a category and one of its sub-categories: kept only in the sub-category, since qualkit counts a sub-category's mentions for its parents too
mini.dic (dic, 4 themes) -> back.toml (toml)
"
    );
    assert_eq!(
        read(&toml),
        r#"[codebook]
name = "mini"
stemming = false

[[theme]]
id = "values"
label = "Values"

[[theme]]
id = "values_trust"
label = "Trust"
parent = "values"
terms = [
    "keep their word",
    "trust",
]

[[theme]]
id = "values_patience"
label = "Patience"
parent = "values"
terms = [
    "long haul",
    "patience",
]

[[theme]]
id = "money"
label = "Money"
terms = [
    "fund*",
    "grant",
]
"#
    );
    // --stem: plain words match by stem, so the setting is the default and left out.
    let out = qualkit(&["codebook", "convert", arg(&dic), arg(&toml), "--stem"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(read(&toml).starts_with("[codebook]\nname = \"mini\"\n\n"), "{}", read(&toml));
    // Every command that takes a codebook reads a .dic by its extension.
    let out = qualkit(&["codebook", "check", arg(&dic)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with(": 4 themes, no errors, 3 warnings\n"), "{}", stdout(&out));
}

#[test]
fn a_liwc_dictionary_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let dic = dir.path().join("bad.dic");
    std::fs::write(&dic, "%\r\n1\tCare\r\n%\r\ncare\t1\r\nsafe*\t2\r\n").unwrap();
    let out = qualkit(&["codebook", "check", arg(&dic)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).replace(arg(&dic), "bad.dic"),
        "error: bad.dic:5: `safe*` is listed under category 2, which the category block (lines \
         1-3) does not define; add a line `2<TAB>name` there, or remove 2 from this entry\n"
    );
}

#[test]
fn analyze_codes_with_a_liwc_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let dic = dir.path().join("care.dic");
    // CR-only line endings, a wildcard, a phrase, and runs of spaces for tabs.
    std::fs::write(&dic, "%\r1   Care\r2   Safety\r%\rcare   1\rsafe*  2\rkind of  1\r").unwrap();
    let transcript = dir.path().join("t.txt");
    std::fs::write(
        &transcript,
        "Ana: I care about it, being careful matters.\nBen: Safety first; we feel safe, kind of.\n",
    )
    .unwrap();
    let out_dir = dir.path().join("report");
    let out =
        qualkit(&["analyze", arg(&transcript), "--codebook", arg(&dic), "--out", arg(&out_dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // 14 words. care: "care" and "kind of", not "careful" (plain words match exactly);
    // safety: "Safety" and "safe" by the wildcard.
    assert_eq!(
        read(&out_dir.join("theme_frequencies.csv")),
        "\
theme,label,parent,mentions,segments,speakers,sessions,per_1000_words
care,Care,,2,2,2,1,142.857
safety,Safety,,2,1,1,1,142.857
"
    );
}
