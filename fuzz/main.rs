//! The fuzz driver: runs the targets of `fuzz/targets.rs` on mutated seed files for a time
//! budget, on the stable toolchain (no cargo-fuzz, no sanitizers, no coverage counters).
//!
//! Seeds are the project's own sample files (and, for the codebook formats, the bundled
//! codebook exported to each), the malformed fixtures and the regressions kept under
//! `tests/fixtures/fuzz/<target>/`. Each round takes an input from the corpus and applies a
//! few mutations: byte edits, format tokens (`-->`, `[[theme]]`, `<w:p>`, …), repeated
//! chunks, splices with other inputs. Office documents are mostly mutated inside: their XML
//! part is taken out, mutated and zipped again, so that the reader gets past the zip layer.
//! An input whose outcome (its error message with the numbers taken out, or the shape of
//! what was read) was not seen before joins the corpus: a rough stand-in for coverage.
//!
//! Findings go to `fuzz/out/<target>/`: `crash-*` (a panic or a failed check, with a
//! `.txt` beside it), `slow-*` (one input ran longer than `--timeout`: the driver stops)
//! and `memory-*` (the process grew past `--max-rss-mb`: the driver stops).
//!
//! ```text
//! cargo run --release --example fuzz -- [--seconds N] [--timeout S] [--seed N] [TARGET…]
//! cargo run --release --example fuzz -- --list
//! ```

#[path = "targets.rs"]
mod targets;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::{Cursor, Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qualkit::codebook::{Codebook, CodebookFormat};
use qualkit::model::Format;
use qualkit_bench::Rand;
use targets::{Kind, Target, TARGETS};

/// The largest input the mutator makes.
const MAX_INPUT: usize = 512 * 1024;
/// The most inputs kept per target.
const MAX_CORPUS: usize = 4096;

struct Options {
    seconds: u64,
    timeout: u64,
    max_rss_mb: u64,
    seed: u64,
    targets: Vec<Target>,
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut found = 0;
    for target in &options.targets {
        found += fuzz(&repo, *target, &options);
    }
    if found > 0 {
        eprintln!("{found} finding(s); see fuzz/out/");
        std::process::exit(1);
    }
}

fn parse_args() -> Result<Options, String> {
    let mut options =
        Options { seconds: 60, timeout: 10, max_rss_mb: 3072, seed: 1, targets: Vec::new() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{what} needs a whole number"))
        };
        match arg.as_str() {
            "--seconds" => options.seconds = number("--seconds")?,
            "--timeout" => options.timeout = number("--timeout")?,
            "--max-rss-mb" => options.max_rss_mb = number("--max-rss-mb")?,
            "--seed" => options.seed = number("--seed")?,
            "--list" => {
                for t in TARGETS {
                    println!("{}", t.name);
                }
                std::process::exit(0);
            }
            name => options.targets.push(targets::target(name).ok_or_else(|| {
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                format!("unknown target `{name}`; the targets are {}", names.join(", "))
            })?),
        }
    }
    if options.targets.is_empty() {
        options.targets = TARGETS.to_vec();
    }
    Ok(options)
}

/// What the watchdog needs to save the input that hangs or grows too big.
struct Current {
    started_ms: AtomicU64,
    input: Mutex<Vec<u8>>,
}

/// Fuzzes one target for the time budget; returns the number of findings.
fn fuzz(repo: &Path, target: Target, options: &Options) -> usize {
    let out = repo.join("fuzz/out").join(target.name);
    let mut corpus = seeds(repo, target);
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let tokens = tokens(target);
    let mut rand = Rand::new(options.seed, target.name.len() as u64 * 7919 + corpus.len() as u64);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut crashes: HashSet<String> = HashSet::new();

    let epoch = Instant::now();
    let current =
        Arc::new(Current { started_ms: AtomicU64::new(0), input: Mutex::new(Vec::new()) });
    watchdog(Arc::clone(&current), epoch, out.clone(), options.timeout, options.max_rss_mb);
    let last = Arc::new(Mutex::new(String::new()));
    let hook_last = Arc::clone(&last);
    std::panic::set_hook(Box::new(move |info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        *hook_last.lock().unwrap_or_else(|e| e.into_inner()) = format!("panic at {at}: {info}");
    }));

    let budget = Duration::from_secs(options.seconds);
    let (mut runs, mut index) = (0u64, 0usize);
    while epoch.elapsed() < budget {
        // Seeds first, as they are; then mutations.
        let input = if index < corpus.len() && runs < corpus.len() as u64 {
            index += 1;
            corpus[index - 1].clone()
        } else {
            mutate(&mut rand, target, &corpus, &tokens)
        };
        *current.input.lock().unwrap_or_else(|e| e.into_inner()) = input.clone();
        current.started_ms.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| targets::run(target, &input)));
        current.started_ms.store(0, Ordering::SeqCst);
        runs += 1;
        let finding = match result {
            Ok(Ok(())) => None,
            Ok(Err(check)) => Some(format!("check failed: {check}")),
            Err(_) => Some(last.lock().unwrap_or_else(|e| e.into_inner()).clone()),
        };
        if let Some(message) = finding {
            // One file per distinct place (the message up to its first digit-free line).
            let key: String = message.chars().filter(|c| !c.is_ascii_digit()).take(160).collect();
            if crashes.insert(key) {
                let file = save(&out, "crash", target, &input);
                let _ = std::fs::write(file.with_extension("txt"), &message);
                eprintln!("{}: {message}\n  input: {}", target.name, file.display());
            }
            continue;
        }
        let signature = outcome(target, &input);
        if seen.insert(signature) && corpus.len() < MAX_CORPUS {
            corpus.push(input);
        }
    }
    eprintln!(
        "{}: {runs} runs in {:.0} s, corpus {} ({} outcomes), {} finding(s)",
        target.name,
        epoch.elapsed().as_secs_f64(),
        corpus.len(),
        seen.len(),
        crashes.len()
    );
    crashes.len()
}

/// A hash of what reading `input` gave: the error message without its numbers, or the shape
/// of the sessions or codebook read.
fn outcome(target: Target, input: &[u8]) -> u64 {
    let name = format!("fuzz-input.{}", target.extension);
    let shape = match target.kind {
        Kind::Transcript(format) => {
            let options =
                qualkit::ingest::ReadOptions { format: Some(format), ..Default::default() };
            let file = qualkit::ingest::InputFile::named(&name);
            match qualkit::ingest::read_bytes(&file, input.to_vec(), &options) {
                Ok(sessions) => sessions
                    .iter()
                    .map(|s| {
                        let kinds: Vec<String> =
                            s.warnings.iter().map(|w| format!("{:?}", w.kind)).collect();
                        format!(
                            "{}t{}s{}w{}",
                            s.turns.len().min(4),
                            s.speakers.len().min(4),
                            s.turns.iter().filter(|t| t.timestamp.is_some()).count().min(2),
                            kinds.join(",")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                Err(e) => e.to_string(),
            }
        }
        Kind::Codebook(format) => {
            match Codebook::from_bytes(
                Path::new(&name),
                input.to_vec(),
                format,
                &Default::default(),
            ) {
                Ok(cb) => format!(
                    "{} themes {} notes {}",
                    cb.themes.len().min(6),
                    cb.notes.len(),
                    cb.themes.iter().filter(|t| t.parent.is_some()).count().min(3)
                ),
                Err(e) => e.to_string(),
            }
        }
        Kind::Project => targets::project(input).unwrap_or_else(|finding| finding),
    };
    // Without numbers and quoted text: one outcome per kind of message.
    let mut quoted = None;
    let shape: String = shape
        .chars()
        .filter(|&c| {
            match quoted {
                Some(q) if c == q => quoted = None,
                Some(_) => {}
                None if matches!(c, '`' | '"') => quoted = Some(c),
                None => return !c.is_ascii_digit(),
            }
            false
        })
        .collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    shape.hash(&mut hasher);
    hasher.finish()
}

/// Stops the process, keeping the input, when one input runs too long or memory runs away.
fn watchdog(current: Arc<Current>, epoch: Instant, out: PathBuf, timeout: u64, max_rss_mb: u64) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(100));
        let started = current.started_ms.load(Ordering::SeqCst);
        let now = epoch.elapsed().as_millis() as u64 + 1;
        let slow = started != 0 && now.saturating_sub(started) > timeout * 1000;
        let rss = rss_mb();
        if slow || rss > max_rss_mb {
            let input = current.input.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let kind = if slow { "slow" } else { "memory" };
            let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("target");
            let target = targets::target(name).expect("a known target");
            let file = save(&out, kind, target, &input);
            eprintln!(
                "{name}: {} — input kept in {}",
                if slow {
                    format!("one input ran longer than {timeout} s")
                } else {
                    format!("the process grew to {rss} MB")
                },
                file.display()
            );
            std::process::exit(1);
        }
    });
}

/// The resident memory of this process, in MB (0 where /proc is missing).
fn rss_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096 / (1024 * 1024)
}

/// Writes a finding `kind-HASH.EXT` into `out`.
fn save(out: &Path, kind: &str, target: Target, input: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(out);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    let file = out.join(format!("{kind}-{:016x}.{}", hasher.finish(), target.extension));
    let _ = std::fs::write(&file, input);
    file
}

/// The seed inputs of a target.
fn seeds(repo: &Path, target: Target) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut add_dir = |dir: PathBuf, ext: &str| {
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        found.sort();
        files.extend(found);
    };
    let ext = target.extension;
    add_dir(repo.join("tests/fixtures/fuzz").join(target.name), ext);
    add_dir(repo.join("tests/fixtures/malformed/transcripts"), ext);
    add_dir(repo.join("tests/fixtures/malformed/codebooks"), ext);
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    match target.kind {
        Kind::Transcript(format) => {
            add_dir(repo.join("tests/fixtures/formats"), ext);
            add_dir(repo.join("tests/fixtures/mini/transcripts"), ext);
            add_dir(repo.join("transcripts/metaconnects"), ext);
            if matches!(format, Format::Docx | Format::Odt) {
                let text =
                    std::fs::read_to_string(repo.join("tests/fixtures/formats/conversation.txt"))
                        .unwrap_or_default();
                let mut body = String::new();
                for line in text.lines() {
                    let line = qualkit_bench::formats::escape_xml(line);
                    if format == Format::Docx {
                        body.push_str(&format!("<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"));
                    } else {
                        body.push_str(&format!("<text:p>{line}</text:p>"));
                    }
                }
                seeds.push(if format == Format::Docx {
                    qualkit_bench::formats::docx(&body)
                } else {
                    qualkit_bench::formats::odt(&body)
                });
            }
        }
        Kind::Codebook(format) => {
            for source in ["codebooks/metaconnects.toml", "tests/fixtures/mini/codebook.toml"] {
                if let Ok(cb) = Codebook::load(&repo.join(source)) {
                    if let Ok(exported) = cb.export(format) {
                        seeds.push(exported.text.into_bytes());
                    }
                }
            }
            if format == CodebookFormat::Toml {
                add_dir(repo.join("tests/fixtures/codebooks"), ext);
            }
        }
        Kind::Project => add_dir(repo.join("tests/fixtures/refi/other-tool"), ext),
    }
    for file in files {
        if let Ok(bytes) = std::fs::read(&file) {
            if bytes.len() <= MAX_INPUT {
                seeds.push(bytes);
            }
        }
    }
    seeds
}

/// Tokens of the target's format, inserted by the mutator.
fn tokens(target: Target) -> Vec<&'static [u8]> {
    let common: &[&str] = &[
        "\n", "\r\n", "\r", " ", "\t", "\"", "'", ":", "\u{feff}", "\u{fffd}", "é", "’", "😀",
        "\u{0301}", "\0", "\\", "*", "#",
    ];
    let own: &[&str] = match target.kind {
        Kind::Transcript(Format::Text) => &[
            "---\n", "session: ", "moderators: ", "title: ", "date: ", "[00:01:02] ",
            "(00:01) ", "Moderator: ", "ANNA: ", "**Anna:** ", "Anna Maria Lopez: ", "- ",
        ],
        Kind::Transcript(Format::Vtt) => &[
            "WEBVTT\n\n", " --> ", "00:00:01.000", "99:59:59.999", "\n\n", "<v Anna>", "</v>",
            "<v.loud Bob>", "NOTE ", "STYLE\n", "REGION\n", "::cue", "<00:00:02.000>", "-->",
        ],
        Kind::Transcript(Format::Srt) => &[
            "1\n", " --> ", "00:00:01,000", "99:59:59,999", "\n\n", "<i>", "</i>", "{\\an8}",
            "-->", "Anna: ", "- ",
        ],
        Kind::Transcript(Format::Sbv) => &[
            "0:00:01.000,0:00:04.000\n", "9:59:59.999", ",", "\n\n", ">> ", "Anna: ", ".",
        ],
        Kind::Transcript(Format::Csv) | Kind::Transcript(Format::Tsv) => &[
            ",", "\"\"", "speaker", "text", "session", "timestamp", "role", "moderator",
            "observer", "00:01:02", "\"a,\nb\"",
        ],
        Kind::Transcript(Format::Docx) => &[
            "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:tab/>", "<w:br/>",
            "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", "<w:tc>", "</w:tc>", "<w:del>",
            "</w:del>", "<w:ins>", "<w:trPr><w:del/></w:trPr>", "<w:txbxContent>",
            "<mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><mc:Choice>",
            "</mc:Choice><mc:Fallback>", "&amp;", "&#0;", "&#x10FFFF;", "&bogus;", "<![CDATA[",
            "]]>", "<!DOCTYPE d [<!ENTITY e \"ee\">]>", "<?pi x?>", "<!-- c -->", "Anna: ",
            "xmlns:w=\"urn:x\"",
        ],
        Kind::Transcript(Format::Odt) => &[
            "<text:p>", "</text:p>", "<text:h>", "<text:span>", "</text:span>", "<text:tab/>",
            "<text:line-break/>", "<text:s text:c=\"99999999999\"/>", "<text:s text:c=\"-1\"/>",
            "<table:table><table:table-row><table:table-cell>",
            "</table:table-cell></table:table-row></table:table>", "<text:note>", "</text:note>",
            "<office:annotation>", "&amp;", "&#0;", "&bogus;", "<![CDATA[", "Anna: ",
            "<draw:text-box>",
        ],
        Kind::Codebook(CodebookFormat::Toml) => &[
            "[[theme]]\n", "[codebook]\n", "id = ", "parent = ", "terms = [", "]", "\"x\", ",
            "patterns = ['", "near = [{ a = \"x\", b = \"y\", within = ", "exclude = [",
            "examples = [", "language = ", "stemming = false", "within = -1",
            "99999999999999999999", "color = \"#12\"", "label = ", "'''", "[[", "{", "}", "=",
            "(", "[a-", "\\p{", "a{1000}{1000}",
        ],
        Kind::Codebook(CodebookFormat::Json) => &[
            "{", "}", "[", "]", ",", "\"theme\": [", "\"id\": ", "\"parent\": ", "\"terms\": [",
            "\"patterns\": [", "\"near\": [{\"a\": \"x\", \"b\": \"y\", \"within\": ", "null",
            "1e999", "-1", "\\u0000", "\\ud800", "true",
        ],
        Kind::Codebook(CodebookFormat::Yaml) => &[
            "- ", ": ", "  ", "theme:\n", "id: ", "parent: ", "terms:\n", "patterns:\n",
            "near:\n", "within: ", "&a ", "*a", "!!str ", "!!binary ", "<<: *a", "[", "]", "{",
            "}", "---\n", "...\n", "|\n", ">\n", "? ",
        ],
        Kind::Codebook(CodebookFormat::Csv) => &[
            ",", ";", "\"\"", "id", "label", "parent", "terms", "patterns", "near", "exclude",
            "examples", "within", "x NEAR/3 y", "NEAR/0", "NEAR/99999999999999999999",
        ],
        Kind::Codebook(CodebookFormat::Liwc) => &[
            "%\n", "%", "1\tposemo\n", "\t", "\t1", " 2", "*", "(", ")", "<", ">", "//",
            "like (02 134)125/464", "kind of", "99999999999999999999", "0", "-1",
        ],
        Kind::Codebook(CodebookFormat::Qdc) => &[
            "<Code ", "</Code>", "<Code guid=\"a\" name=\"x\" isCodable=\"true\">",
            "guid=\"", "name=\"", "isCodable=\"true\"", "<Description>", "</Description>",
            "<Codes>", "</Codes>", "<CodeBook ", "&amp;", "&#0;", "&bogus;", "<![CDATA[",
            "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "terms:", "patterns:", "near:", "exclude:",
            "parent", "color=\"#zzz\"",
        ],
        Kind::Codebook(CodebookFormat::Dicx) => &[
            "DicTerm,", ",", "X", "x", "\"\"", "Social/Family", "word*", "kind of", "\n",
        ],
        Kind::Codebook(CodebookFormat::WordStat) => &[
            "\t", "\t\t", "    ", " (1)", " (0.5)", "()", "@", "_", "WORD*", "CATEGORY\r\n",
        ],
        Kind::Codebook(CodebookFormat::Yoshikoder) => &[
            "<dictionary>", "</dictionary>", "<cnode name=\"c\">", "</cnode>",
            "<pnode name=\"w\"/>", "<pnode name=\"", "\"/>", "&amp;", "&bogus;", "<![CDATA[",
        ],
        Kind::Codebook(CodebookFormat::Lexicoder) => &["+", "+Category\n", "word*", "a phrase"],
        Kind::Codebook(CodebookFormat::Quanteda) => &[
            ": ", "  ", "- ", "[", "]", "{", "}", "'': ", "word*", "colo?r", "&a ", "*a", "!!str ",
            "? ",
        ],
        Kind::Codebook(CodebookFormat::Taguette) => &[
            "tag,description,number of highlights\n", ",", "\"\"", "parent", "a.b", "..", "\r\n",
        ],
        Kind::Codebook(CodebookFormat::Xlsx) => &["PK\x03\x04", "xl/worksheets/sheet1.xml", "<c r=\"A1\">"],
        Kind::Project => &[
            "<Source ", "</Source>", "<TextSource guid=\"a\" name=\"s\" plainTextPath=\"internal://a.txt\">",
            "<PlainTextContent>", "</PlainTextContent>", "<PlainTextSelection ",
            "startPosition=\"", "endPosition=\"", "\"-1\"", "\"99999999999\"", "<Coding ",
            "<CodeRef targetGUID=\"", "creatingUser=\"", "<User guid=\"u\" name=\"x\"/>",
            "<Code guid=\"", "</Code>", "<Cases>", "<Case ", "<SelectionRef ", "<Variables>",
            "<VariableValue>", "{", "}", "&amp;", "&bogus;", "<![CDATA[",
        ],
    };
    common.iter().chain(own).map(|t| t.as_bytes()).collect()
}

/// A new input: a corpus entry with one to eight mutations.
fn mutate(rand: &mut Rand, target: Target, corpus: &[Vec<u8>], tokens: &[&[u8]]) -> Vec<u8> {
    let base = rand.pick(corpus).clone();
    let office = matches!(target.kind, Kind::Transcript(Format::Docx | Format::Odt));
    if office && rand.chance(0.8) {
        if let Some(files) = unzip(&base) {
            let part = if target.kind == Kind::Transcript(Format::Docx) {
                "word/document.xml"
            } else {
                "content.xml"
            };
            let mut files = files;
            if let Some((_, xml)) = files.iter_mut().find(|(name, _)| name == part) {
                let mut data = std::mem::take(xml);
                mutate_bytes(rand, &mut data, corpus, tokens);
                *xml = data;
            } else if rand.chance(0.5) {
                files.push((part.to_string(), b"<w:document/>".to_vec()));
            }
            if rand.chance(0.05) && !files.is_empty() {
                let i = rand.below(files.len());
                files.remove(i);
            }
            return zip(&files);
        }
    }
    let mut data = base;
    mutate_bytes(rand, &mut data, corpus, tokens);
    data
}

/// Applies one to eight mutations to `data`.
fn mutate_bytes(rand: &mut Rand, data: &mut Vec<u8>, corpus: &[Vec<u8>], tokens: &[&[u8]]) {
    for _ in 0..rand.between(1, 8) {
        let at = |rand: &mut Rand, data: &Vec<u8>| rand.below(data.len() + 1);
        match rand.below(11) {
            0 if !data.is_empty() => {
                let i = rand.below(data.len());
                data[i] ^= 1 << rand.below(8);
            }
            1 if !data.is_empty() => {
                let i = rand.below(data.len());
                data[i] = *rand.pick(&[0u8, 0x0a, 0x0d, 0x20, 0x7f, 0x80, 0xc3, 0xe2, 0xef, 0xff]);
            }
            2..=4 => {
                let i = at(rand, data);
                let token = *rand.pick(tokens);
                data.splice(i..i, token.iter().copied());
            }
            5 if !data.is_empty() => {
                let i = rand.below(data.len());
                let n = rand.between(1, (data.len() - i).min(64));
                data.drain(i..i + n);
            }
            6 if !data.is_empty() => {
                // A chunk repeated: long lines, deep nesting, many rows.
                let i = rand.below(data.len());
                let n = rand.between(1, (data.len() - i).min(32));
                let chunk = data[i..i + n].to_vec();
                let times = *rand.pick(&[2usize, 8, 64, 1000]);
                let bytes: Vec<u8> = chunk.iter().copied().cycle().take(n * times).collect();
                data.splice(i..i, bytes);
            }
            7 => {
                // A splice with another input.
                let other = rand.pick(corpus);
                if !other.is_empty() {
                    let i = rand.below(other.len());
                    let n = rand.between(1, (other.len() - i).min(256));
                    let j = at(rand, data);
                    data.splice(j..j, other[i..i + n].iter().copied());
                }
            }
            8 if !data.is_empty() => {
                let i = rand.below(data.len());
                data.truncate(i);
            }
            9 => {
                let i = at(rand, data);
                let n = rand.between(1, 8);
                let bytes: Vec<u8> = (0..n).map(|_| rand.below(256) as u8).collect();
                data.splice(i..i, bytes);
            }
            _ => {
                // Two lines swapped.
                let lines: Vec<usize> =
                    data.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect();
                if lines.len() >= 3 {
                    let a = rand.below(lines.len() - 1);
                    let b = rand.below(lines.len() - 1);
                    let (a, b) = (a.min(b), a.max(b));
                    if a < b {
                        let first = data[lines[a] + 1..=lines[a + 1]].to_vec();
                        let second = data[lines[b] + 1..=lines[b + 1]].to_vec();
                        let mut out = data[..=lines[a]].to_vec();
                        out.extend_from_slice(&second);
                        out.extend_from_slice(&data[lines[a + 1] + 1..=lines[b]]);
                        out.extend_from_slice(&first);
                        out.extend_from_slice(&data[lines[b + 1] + 1..]);
                        *data = out;
                    }
                }
            }
        }
    }
    data.truncate(MAX_INPUT);
}

/// The entries of a zip archive (name, content), if it is one.
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).ok()?;
        let mut content = Vec::new();
        (&mut entry).take(MAX_INPUT as u64).read_to_end(&mut content).ok()?;
        files.push((entry.name().ok()?.into_owned(), content));
    }
    Some(files)
}

/// A zip archive of `files`; `mimetype` stored, the rest deflated.
fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        if zip.start_file(name.as_str(), options).is_err() || zip.write_all(content).is_err() {
            break;
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}
