//! `report.html` as a browser shows it: the bundled example's report is loaded in headless
//! Chromium, which must lay it out (its height), draw its headings and charts, log no
//! console errors, and take a screenshot of its first screen. CI installs Chromium
//! (`.ci/run`) and sets `QUALKIT_REQUIRE_TOOLS`, so this test fails there instead of skipping.
//!
//! `QUALKIT_UPDATE_SCREENSHOT=1 cargo test --release --test report_renders` writes the
//! screenshot to `reports/metaconnects-report.png`, the picture the README shows.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// The screen the screenshot is taken of.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

/// The committed screenshot of the bundled report's first screen.
const SCREENSHOT: &str = "reports/metaconnects-report.png";

/// The Chromium to run: `$QUALKIT_CHROMIUM`, else the first of Debian's and the usual names
/// that runs. `None` (with a note) when there is none, unless `QUALKIT_REQUIRE_TOOLS` is set.
fn chromium() -> Option<String> {
    let named = std::env::var("QUALKIT_CHROMIUM").ok();
    let candidates = named.into_iter().chain(
        ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].map(String::from),
    );
    for c in candidates {
        if Command::new(&c).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(c);
        }
    }
    assert!(
        std::env::var_os("QUALKIT_REQUIRE_TOOLS").is_none(),
        "Chromium is not installed, and QUALKIT_REQUIRE_TOOLS says it must be (apt-get install \
         -y chromium)"
    );
    eprintln!(
        "skipped: Chromium is not installed (.ci/run installs it: apt-get install -y chromium)"
    );
    None
}

/// Runs headless Chromium on `page` with `args`, logging the console to stderr.
fn headless(chromium: &str, page: &Path, args: &[&str]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .args(["--enable-logging=stderr", "--v=0", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    assert!(out.status.success(), "Chromium failed: {}", stderr(&out));
    out
}

/// The console messages Chromium logged.
fn console(out: &Output) -> Vec<String> {
    stderr(out).lines().filter(|l| l.contains(":CONSOLE")).map(String::from).collect()
}

/// `page` with a script at the end that writes what was laid out into the title: the page's
/// height, its `h2` and `h3` headings and its SVG charts.
fn measured(page: &Path, dir: &Path) -> PathBuf {
    let html = fs::read_to_string(page).unwrap();
    let probe = "<script>document.title = ['height', document.documentElement.scrollHeight, \
                 'h2', document.querySelectorAll('h2').length, 'h3', \
                 document.querySelectorAll('h3').length, 'svg', \
                 document.querySelectorAll('svg rect').length].join(' ');</script></body>";
    let path = dir.join("measured.html");
    fs::write(&path, html.replace("</body>", probe)).unwrap();
    path
}

/// The numbers the probe wrote into the title of the dumped DOM, by name.
fn title_numbers(dom: &str) -> Vec<(String, u64)> {
    let start = dom.find("<title>").expect("a title") + "<title>".len();
    let end = dom[start..].find("</title>").unwrap() + start;
    let words: Vec<&str> = dom[start..end].split(' ').collect();
    words.chunks(2).map(|p| (p[0].to_string(), p[1].parse().unwrap_or(0))).collect()
}

/// The width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn console_errors_are_caught() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>\
         <script>console.error('qualkit probe'); undefinedFunction();</script></body></html>",
    )
    .unwrap();
    let out = headless(&chromium, &page, &["--dump-dom"]);
    let logged = console(&out);
    assert!(logged.iter().any(|l| l.contains("qualkit probe")), "{logged:?}");
    assert!(logged.iter().any(|l| l.contains("undefinedFunction")), "{logged:?}");
}

#[test]
fn the_bundled_report_renders_with_its_headings_and_charts_and_no_console_errors() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let root = repo();
    let run = qualkit(&[
        "analyze",
        arg(&root.join("transcripts/metaconnects")),
        "-c",
        arg(&root.join("codebooks/metaconnects.toml")),
        "--compare-by",
        "group",
        "--summary-by",
        "question",
        "--out",
        arg(&out),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let page = out.join("report.html");

    let dump = headless(&chromium, &measured(&page, dir.path()), &["--dump-dom"]);
    assert_eq!(console(&dump), Vec::<String>::new(), "console messages");
    let numbers = title_numbers(&stdout(&dump));
    let get = |name: &str| numbers.iter().find(|(n, _)| n == name).map(|p| p.1).unwrap();
    // Nine sections; a heading per theme (25) and per question (30) and more.
    assert_eq!(get("h2"), 9, "{numbers:?}");
    assert!(get("h3") >= 25 + 30, "{numbers:?}");
    // The bar chart draws two bars per theme; the page is many screens long.
    assert!(get("svg") >= 2 * 25, "{numbers:?}");
    assert!(get("height") > 20 * u64::from(HEIGHT), "{numbers:?}");
    let dom = stdout(&headless(&chromium, &page, &["--dump-dom"]));
    for heading in ["What each theme says", "Question by question", "Comparing groups: group"] {
        assert!(dom.contains(&format!(">{heading}</h2>")), "{heading}");
    }

    let shot = dir.path().join("shot.png");
    let taken = headless(&chromium, &page, &[&format!("--screenshot={}", shot.display())]);
    assert_eq!(console(&taken), Vec::<String>::new());
    let bytes = fs::read(&shot).unwrap();
    assert_eq!(png_size(&bytes), (WIDTH, HEIGHT));
    // A blank screen compresses to a few kilobytes; text and colour do not.
    assert!(bytes.len() > 50_000, "{} bytes", bytes.len());
    let committed = root.join(SCREENSHOT);
    if std::env::var_os("QUALKIT_UPDATE_SCREENSHOT").is_some() {
        fs::write(&committed, &bytes).unwrap();
    }
    assert_eq!(png_size(&fs::read(&committed).unwrap()), (WIDTH, HEIGHT), "{SCREENSHOT}");
}
