//! The derived tables of `analyze` (speaker matrix, co-occurrence, segment matrix) and
//! `--unit`, checked against counts recomputed here from `mentions.csv`.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use common::*;

/// Runs analyze on the bundled example with `--unit unit` into a temporary folder.
fn analyze(unit: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let result = qualkit(&[
        "analyze",
        "transcripts/metaconnects",
        "--codebook",
        "codebooks/metaconnects.toml",
        "--out",
        arg(&out),
        "--unit",
        unit,
        "--quiet",
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    dir
}

/// A CSV file as a header and rows of named cells.
fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

fn number(row: &HashMap<String, String>, key: &str) -> u64 {
    row[key].parse().unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

#[test]
fn speaker_matrix_and_cooccurrence_agree_with_the_mentions() {
    let dir = analyze("turn");
    let r = dir.path().join("r");
    let mentions = table(&r.join("mentions.csv"));
    let frequencies = table(&r.join("theme_frequencies.csv"));

    // Speaker matrix: one row per counted speaker; each cell counts that speaker's mentions.
    let speakers = table(&r.join("speaker_matrix.csv"));
    let mut expected: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for m in &mentions {
        *expected
            .entry((m["session"].clone(), m["speaker"].clone(), m["theme"].clone()))
            .or_default() += 1;
    }
    for f in &frequencies {
        let theme = &f["theme"];
        let column: u64 = speakers.iter().map(|s| number(s, theme)).sum();
        assert_eq!(column, number(f, "mentions"), "{theme}");
        for s in &speakers {
            let key = (s["session"].clone(), s["speaker"].clone(), theme.clone());
            assert_eq!(number(s, theme), expected.get(&key).copied().unwrap_or(0), "{key:?}");
        }
    }
    assert!(speakers.iter().all(|s| s["role"] == "participant"), "moderators are not counted");
    let words: u64 = speakers.iter().map(|s| number(s, "words")).sum();
    assert_eq!(words, 7517, "the participant words of the bundled example");

    // Co-occurrence: turns coded with both themes, and Jaccard.
    let mut turns: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for m in &mentions {
        turns
            .entry(m["theme"].clone())
            .or_default()
            .insert((m["session"].clone(), m["turn"].clone()));
    }
    let pairs = table(&r.join("cooccurrence.csv"));
    assert!(!pairs.is_empty());
    let mut checked = 0;
    for p in &pairs {
        let empty = BTreeSet::new();
        let a = turns.get(&p["theme_a"]).unwrap_or(&empty);
        let b = turns.get(&p["theme_b"]).unwrap_or(&empty);
        let both = a.intersection(b).count() as u64;
        assert_eq!(number(p, "both"), both, "{p:?}");
        assert_eq!((number(p, "units_a"), number(p, "units_b")), (a.len() as u64, b.len() as u64));
        let union = a.union(b).count();
        let jaccard: f64 = p["jaccard"].parse().unwrap();
        let expected = if union == 0 { 0.0 } else { both as f64 / union as f64 };
        assert!((jaccard - expected).abs() <= 0.000_501, "{p:?}");
        checked += both;
        assert_ne!(
            (p["theme_a"].as_str(), p["theme_b"].as_str()),
            ("values", "trust"),
            "a parent and its child are not a pair"
        );
    }
    assert!(checked > 0);
    // 25 themes; pairs exclude a theme with its ancestors.
    let cb_pairs = 25 * 24 / 2;
    assert!(pairs.len() < cb_pairs && pairs.len() > 200, "{}", pairs.len());
}

#[test]
fn the_segment_matrix_has_one_row_per_unit_and_matches_segment_counts() {
    for (unit, rows) in [("turn", 190), ("sentence", 745), ("session", 4)] {
        let dir = analyze(unit);
        let r = dir.path().join("r");
        let matrix = table(&r.join("segment_matrix.csv"));
        assert_eq!(matrix.len(), rows, "{unit}");
        let words: u64 = matrix.iter().map(|row| number(row, "words")).sum();
        if unit != "sentence" {
            assert_eq!(words, 7517, "{unit}");
        }
        for f in table(&r.join("theme_frequencies.csv")) {
            let coded: u64 = matrix.iter().map(|row| number(row, &f["theme"])).sum();
            assert_eq!(coded, number(&f, "segments"), "{unit}: {}", f["theme"]);
            if unit == "session" {
                assert_eq!(number(&f, "segments"), number(&f, "sessions"));
            }
        }
        let first = &matrix[0];
        assert_eq!(first["session"], "mc-01");
        assert_eq!(first.contains_key("speaker"), unit != "session", "{unit}");
        assert_eq!(first.contains_key("sentence"), unit == "sentence", "{unit}");
        assert_eq!(first["site"], "South Los Angeles");
        assert!(r.join("segment_matrix.parquet").is_file());
    }
}

#[test]
fn sentences_split_a_turn_and_each_mention_counts_once_in_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let cb = dir.path().join("cb.toml");
    std::fs::write(&cb, "[[theme]]\nid = \"trust\"\nterms = [\"trust\"]\n\n[[theme]]\nid = \"money\"\nterms = [\"money\", \"grant*\"]\n").unwrap();
    let t = dir.path().join("s1.txt");
    std::fs::write(&t, "Ana: Trust comes first. Then money. Dr. Lee said trust and grants go together!\nBo: No money, no trust.\n").unwrap();
    let out = dir.path().join("r");
    let run =
        qualkit(&["analyze", arg(&t), "-c", arg(&cb), "-o", arg(&out), "--unit", "sentence", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        read(&out.join("segment_matrix.csv")),
        "session,turn,sentence,line,speaker,role,question,question_text,words,trust,money\n\
         s1,1,1,1,Ana,participant,,,3,1,0\n\
         s1,1,2,1,Ana,participant,,,2,0,1\n\
         s1,1,3,1,Ana,participant,,,8,1,1\n\
         s1,2,1,2,Bo,participant,,,4,1,1\n"
    );
    assert_eq!(
        read(&out.join("cooccurrence.csv")),
        "theme_a,theme_b,units_a,units_b,both,jaccard\ntrust,money,3,3,2,0.500\n"
    );
    let freq = read(&out.join("theme_frequencies.csv"));
    assert!(freq.contains("\ntrust,trust,,3,3,2,1,"), "{freq}");
    assert!(freq.contains("\nmoney,money,,3,3,2,1,"), "{freq}");
}

#[test]
fn the_html_report_is_self_contained_and_agrees_with_the_tables() {
    let html = read(&repo().join("reports/metaconnects/report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["http://", "https://", "<script", "<link", "@import", "src="] {
        assert!(!html.contains(external), "the report must be self-contained: {external}");
    }
    assert!(html.contains(
        "<p class=\"lede\">4 sessions, 24 participants, 7,517 words in 190 turns. 566 mentions of 25 of the codebook's 25 themes."
    ));
    // One bar, one heatmap row, one quote section and one codebook entry per theme.
    assert_eq!(html.matches("<g class=\"row").count(), 25);
    assert_eq!(html.matches("<article class=\"quotes\" id=\"q-").count(), 25);
    assert_eq!(html.matches("<section class=\"theme\" id=\"cb-").count(), 25);
    // The numbers are those of the CSV files: trust has 18 mentions, raised by 9 of 24
    // participants, and 2 mentions in mc-01 (1.087 per 1,000 words).
    assert!(html
        .contains("<title>Trust and honesty: 18 mentions; raised by 38% of participants</title>"));
    assert!(html.contains(
        "title=\"Trust and honesty: 2 mentions in mc-01 (1.09 per 1,000 words)\">1.1</td>"
    ));
    let freq = table(&repo().join("reports/metaconnects/theme_frequencies.csv"));
    let trust = freq.iter().find(|r| r["theme"] == "trust").unwrap();
    assert_eq!((number(trust, "mentions"), number(trust, "speakers")), (18, 9));
    // Highlighted mentions: quotes show coded words in <mark>, text is escaped.
    assert!(
        html.contains("Everything starts with whether people <mark>trust</mark> you."),
        "trust quote"
    );
    assert!(html.contains("Messages that don&#x27;t resonate with residents"));
    // The bundled example compares its two groups.
    assert!(html.contains("<h2>Comparing groups: group</h2>"));
    assert!(
        html.contains(
            "<strong>Significant after correction:</strong> Partnering with health departments."
        ),
        "comparison"
    );
    let comparison = read(&repo().join("reports/metaconnects/comparison.csv"));
    let partnership = comparison.lines().find(|l| l.starts_with("partnership,")).unwrap();
    assert!(
        partnership.contains(",24,")
            && partnership.contains(",53,")
            && partnership.contains(",true,"),
        "{partnership}"
    );
    assert!(html.contains("The strongest pairs: “Web search” and “Online journals and research publications” (2 turns, Jaccard 0.29)"));
}

#[test]
fn many_sessions_leave_the_heatmap_to_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..41 {
        std::fs::write(input.join(format!("s{i:02}.txt")), "Ana: We trust them.\n").unwrap();
    }
    let cb = dir.path().join("cb.toml");
    std::fs::write(&cb, "[[theme]]\nid = \"trust\"\nterms = [\"trust\"]\n").unwrap();
    let out = dir.path().join("r");
    let run = qualkit(&["analyze", arg(&input), "-c", arg(&cb), "-o", arg(&out), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let html = read(&out.join("report.html"));
    assert!(!html.contains("<table class=\"heatmap\">"));
    assert!(html.contains("With 41 sessions the heatmap would be too wide to read"));
    assert_eq!(html.matches("<tr><td><code>s").count(), 41, "up to 100 sessions are listed");
}

/// A sheet of `tables.xlsx` read back as text rows, numbers with three decimals.
fn sheet_rows(book: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut read: Xlsx<_> = open_workbook(book).unwrap();
    let range = read.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.3}"),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A CSV file as rows of cells, numbers with three decimals (in the columns `tables.xlsx`
/// writes as numbers: those holding only numbers, names aside).
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|c| match c.parse::<f64>() {
                    Ok(f) => format!("{f:.3}"),
                    _ => c.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn tables_xlsx_holds_every_table_with_numbers_as_numbers() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = analyze("turn");
    let out = dir.path().join("r");
    let book = out.join("tables.xlsx");
    let mut read: Xlsx<_> = open_workbook(&book).unwrap();
    assert_eq!(
        read.sheet_names(),
        ["Theme frequencies", "Sessions", "Speakers", "Co-occurrence", "Questions", "Mentions"]
    );
    for (file, sheet) in [
        ("theme_frequencies.csv", "Theme frequencies"),
        ("session_matrix.csv", "Sessions"),
        ("speaker_matrix.csv", "Speakers"),
        ("cooccurrence.csv", "Co-occurrence"),
        ("question_matrix.csv", "Questions"),
        ("mentions.csv", "Mentions"),
    ] {
        let (cells, csv) = (sheet_rows(&book, sheet), csv_rows(&out.join(file)));
        assert_eq!(cells.len(), csv.len(), "{sheet}");
        for (r, (a, b)) in cells.iter().zip(&csv).enumerate() {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            assert_eq!(a[..b.len()], b[..], "{sheet} row {r}");
        }
    }
    // Counts and rates are numbers, names text.
    let range = read.worksheet_range("Theme frequencies").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let first = range.rows().nth(1).unwrap();
    let at = |name: &str| &first[header.iter().position(|h| h == name).unwrap()];
    assert!(matches!(at("mentions"), Data::Float(_)), "{:?}", at("mentions"));
    assert!(matches!(at("per_1000_words"), Data::Float(_)));
    assert!(matches!(at("theme"), Data::String(_)));
    let sessions = read.worksheet_range("Mentions").unwrap();
    assert!(matches!(sessions.rows().nth(1).unwrap()[0], Data::String(_)), "session ids stay text");
}

#[test]
fn tables_xlsx_has_the_comparison_when_asked() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let result = qualkit(&["analyze", "--compare-by", "site", "--out", arg(&out), "--quiet"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let book = out.join("tables.xlsx");
    let read: Xlsx<_> = open_workbook(&book).unwrap();
    assert!(read.sheet_names().contains(&"Comparison".to_string()));
    let (cells, csv) = (sheet_rows(&book, "Comparison"), csv_rows(&out.join("comparison.csv")));
    assert_eq!(cells.len(), csv.len());
    assert_eq!(cells[0], csv[0]);
}
