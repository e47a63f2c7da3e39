//! The `qualkit-bench` binary: what it prints, its exit codes, and that it writes what the
//! generators give (tests/generators.rs checks what they write).

use std::process::{Command, Output};

fn bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualkit-bench")).args(args).output().expect("it runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn generate_says_what_it_wrote_unless_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let arg = out.to_str().unwrap();
    let run = bench(&["generate", "--mb", "0.3", "--seed", "5", "--formats", "txt,vtt", "-o", arg]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    let files = std::fs::read_dir(&out).unwrap().count();
    assert!(stdout.starts_with(&format!("wrote {files} files, 0.3")), "{stdout}");
    assert!(stdout.contains(&format!(" to {arg}\nformats: txt ")), "{stdout}");
    assert!(stdout.contains(", vtt "), "{stdout}");

    let quiet = bench(&["generate", "--mb", "0.3", "-o", arg, "--force", "-q"]);
    assert_eq!(quiet.status.code(), Some(0), "{}", text(&quiet.stderr));
    assert_eq!(text(&quiet.stdout), "");
}

#[test]
fn bad_options_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let arg = dir.path().to_str().unwrap();
    let run = bench(&["generate", "--mb", "0", "-o", arg]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(text(&run.stderr), "error: --mb 0 must be a size above 0, such as 100\n");
    let run = bench(&["codebook", "--terms", "0"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        text(&run.stderr),
        "error: --themes and --terms must be at least 1: every leaf theme needs a term\n"
    );
}

#[test]
fn codebook_goes_to_stdout_without_out_and_is_the_generators() {
    let run = bench(&["codebook", "--themes", "30", "--terms", "4", "--patterns", "2"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let options =
        qualkit_bench::codebook::CodebookOptions { themes: 30, terms: 4, patterns: 2, seed: 7 };
    assert_eq!(text(&run.stdout), qualkit_bench::codebook::generate(&options).unwrap());
}
