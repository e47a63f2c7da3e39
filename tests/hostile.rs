//! Hostile inputs end in a clear error or a correct result, in bounded time and memory: a zip
//! bomb and deeply nested XML in Word and OpenDocument files, a very large file with no
//! newline, one long turn full of matches, a codebook of 100,000 terms, a regex that would be
//! huge, a chain of parents 10,000 deep. The large inputs are generated here, never
//! committed.

mod common;

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use qualkit::code::{Analysis, CodingOptions};
use qualkit::code::{Coder, Engine};
use qualkit::codebook::Codebook;
use qualkit::ingest::{self, InputFile, ReadOptions};

/// Reads `bytes` as the transcript `name` (format by extension).
fn read(name: &str, bytes: Vec<u8>) -> qualkit::Result<Vec<qualkit::model::Session>> {
    ingest::read_bytes(&InputFile::named(name), bytes, &ReadOptions::default())
}

/// A zip archive with one deflated entry per (name, content).
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(content.len() > u32::MAX as usize / 2);
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(content).expect("zip entry");
    }
    zip.finish().expect("zip").into_inner()
}

/// Runs the binary with `args` and returns its exit code and peak resident memory in MB
/// (read from /proc while it runs; 0 where /proc is missing).
fn run_measured(args: &[&str]) -> (Option<i32>, u64, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .args(args)
        .current_dir(common::repo())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            for line in status.lines().filter(|l| l.starts_with("VmHWM:")) {
                let kb = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut err = String::new();
    use std::io::Read;
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("stderr");
    (status.code(), peak_kb / 1024, err)
}

#[test]
fn a_zip_bomb_in_a_docx_is_refused_at_the_size_limit() {
    // 300 MB of one repeated run decompressed, about 300 KB compressed.
    let run = "<w:r><w:t>Anna: again and again</w:t></w:r>".repeat(300 * 1024 * 1024 / 40);
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>{run}</w:p></w:body></w:document>"#
    );
    drop(run);
    let bomb = zip(&[("word/document.xml", document.as_bytes())]);
    drop(document);
    assert!(bomb.len() < 4 * 1024 * 1024, "{} bytes compressed", bomb.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bomb.docx");
    std::fs::write(&path, &bomb).expect("write");
    let started = Instant::now();
    let (code, peak_mb, err) =
        run_measured(&["transcripts", "inspect", "--strict", common::arg(&path)]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("bomb.docx: word/document.xml is larger than 256 MB when decompressed"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    // The part is streamed: memory stays near the one paragraph being built.
    assert!(peak_mb < 1024, "peak {peak_mb} MB");
}

#[test]
fn deeply_nested_xml_in_docx_and_odt_is_refused() {
    let depth = 100_000;
    let docx = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>{}{}</w:p></w:body></w:document>"#,
        "<w:r>".repeat(depth),
        "</w:r>".repeat(depth)
    );
    let err = read("deep.docx", zip(&[("word/document.xml", docx.as_bytes())])).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("deep.docx: word/document.xml nests elements more than 10000 levels deep"),
        "{err}"
    );
    let odt = format!(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>{}{}</text:p></office:text></office:body></office:document-content>"#,
        "<text:span>".repeat(depth),
        "</text:span>".repeat(depth)
    );
    let err = read("deep.odt", zip(&[("content.xml", odt.as_bytes())])).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("deep.odt: content.xml nests elements more than 10000 levels deep"),
        "{err}"
    );
}

/// The test codebook: a term, a prefix, a phrase with an exclude, a near rule, a pattern.
fn codebook() -> Codebook {
    Codebook::from_toml_str(
        Path::new("hostile.toml"),
        r#"
        [[theme]]
        id = "trust"
        terms = ["trust", "café", "x*"]
        exclude = ["trust fund"]
        [[theme]]
        id = "time"
        near = [{ a = "cost", b = "time", within = 3 }]
        patterns = ['naïve']
        "#,
    )
    .expect("valid")
}

#[test]
fn a_large_file_without_a_newline_is_read_and_coded_in_one_pass() {
    // 24 MB on one line, not ASCII: one turn with 1.7 million mentions.
    let unit = "café trust fund cost us time, naïve über "; // 44 bytes
    let n = 24 * 1024 * 1024 / unit.len();
    let text = format!("Anna: {}", unit.repeat(n));
    let started = Instant::now();
    let sessions = read("long.txt", text.clone().into_bytes()).expect("readable");
    assert_eq!(sessions[0].turns.len(), 1);
    let analysis = Analysis::run(codebook(), sessions, CodingOptions::default());
    let elapsed = started.elapsed();
    let mentions = &analysis.sessions[0].mentions;
    // Per unit: café (trust; "trust" is vetoed by "trust fund"), "cost us time" (near) and
    // naïve (pattern).
    assert_eq!(mentions.len(), 3 * n);
    let last = mentions.last().expect("mentions");
    let turn = &analysis.sessions[0].session.turns[0].text;
    assert_eq!(&turn[last.bytes.clone()], "naïve");
    assert_eq!(last.chars.start, turn[..last.bytes.start].chars().count());
    // Linear: a quadratic step would take hours here.
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
}

#[test]
fn one_huge_token_is_coded_in_one_pass() {
    // A 32 MB "word" against a prefix term.
    let text = format!("Anna: {}", "x".repeat(32 * 1024 * 1024));
    let started = Instant::now();
    let sessions = read("token.txt", text.into_bytes()).expect("readable");
    let analysis = Analysis::run(codebook(), sessions, CodingOptions::default());
    assert_eq!(analysis.sessions[0].mentions.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn reading_a_large_file_without_a_newline_takes_bounded_memory() {
    // 64 MB of words on one line, through the binary.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("one-line.txt");
    let unit = "we trust them because they keep their word ";
    std::fs::write(&path, format!("Anna: {}", unit.repeat(64 * 1024 * 1024 / unit.len())))
        .expect("write");
    let (code, peak_mb, err) = run_measured(&["transcripts", "inspect", common::arg(&path)]);
    assert_eq!(code, Some(0), "{err}");
    // Linear in the file: its bytes, its one turn and their copies, under ten times its size.
    assert!(peak_mb < 10 * 64, "peak {peak_mb} MB for a 64 MB file");
}

#[test]
fn a_codebook_of_100000_terms_loads_and_codes() {
    let mut toml =
        String::from("[codebook]\nstemming = false\n\n[[theme]]\nid = \"many\"\nterms = [\n");
    let term = |i: usize| format!("w{i:06}x");
    for i in 0..100_000 {
        toml.push_str(&format!("  \"{}\",\n", term(i)));
    }
    toml.push_str("]\n");
    let started = Instant::now();
    let cb = Codebook::from_toml_str(Path::new("many.toml"), &toml).expect("valid");
    assert_eq!(cb.themes[0].terms.len(), 100_000);
    assert_eq!(cb.themes[0].terms[99_999].line, 100_006);
    let engine = Engine::new(&cb);
    let mut coder = Coder::new(&engine);
    let (_, spans) = coder.code("first w000000x then w099999x and w100000x");
    assert_eq!(spans[0].range, 6..14);
    assert_eq!(spans[1].range, 20..28);
    assert_eq!(spans.len(), 2);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}

#[test]
fn a_regex_that_would_be_huge_is_a_clear_error() {
    let err = Codebook::from_toml_str(
        Path::new("huge.toml"),
        "[[theme]]\nid = \"r\"\npatterns = ['(\\w{100}){100}{100}']\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("huge.toml:3: theme 'r': regex `(\\w{100}){100}{100}` is too large once compiled (over the limit of 10 MB)"), "{err}");
}

/// A chain of `depth + 1` themes, each the parent of the next; the last has a term.
fn chain(depth: usize) -> String {
    let mut toml = String::new();
    for i in 0..=depth {
        toml.push_str(&format!("[[theme]]\nid = \"t{i}\"\n"));
        if i > 0 {
            toml.push_str(&format!("parent = \"t{}\"\n", i - 1));
        }
        if i == depth {
            toml.push_str("terms = [\"deep\"]\n");
        }
    }
    toml
}

#[test]
fn a_parent_chain_10000_deep_is_a_clear_error() {
    let started = Instant::now();
    let err = Codebook::from_toml_str(Path::new("chain.toml"), &chain(10_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "chain.toml:305: theme 't101': the theme is nested 101 levels below `t0`; qualkit \
         accepts at most 100 levels of parents (every level adds the theme's mentions to one \
         more parent): attach it to a theme higher up"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn a_parent_chain_100_deep_rolls_every_mention_up_to_the_root() {
    let cb = Codebook::from_toml_str(Path::new("chain.toml"), &chain(100)).expect("valid");
    let engine = Engine::new(&cb);
    let mut coder = Coder::new(&engine);
    let (_, spans) = coder.code("deep down");
    assert_eq!(spans.len(), 101);
    assert!(spans.iter().all(|s| s.range == (0..4)));
}
