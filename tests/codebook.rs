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
