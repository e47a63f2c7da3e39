//! `qualkit compare` through the real binary, on the bundled example: group sizes checked
//! against `transcripts inspect`, mentions against the committed session matrix, and the
//! statistics recomputed here from their definitions; errors and output formats.

mod common;

use std::collections::HashMap;
use std::fs;

use common::*;

/// The bundled sessions of each `group`: organizers (mc-01, mc-02), health-partners (mc-03,
/// mc-04).
const ORGANIZERS: [&str; 2] = ["mc-01", "mc-02"];
const HEALTH_PARTNERS: [&str; 2] = ["mc-03", "mc-04"];

/// Participant words, turns and speakers of each bundled session, from `transcripts inspect`
/// (which counts words with its own pass over the transcripts).
fn participants_per_session() -> HashMap<String, (usize, usize, usize)> {
    let out = qualkit(&["transcripts", "inspect", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut per = HashMap::new();
    for s in doc["sessions"].as_array().unwrap() {
        let (mut words, mut turns, mut speakers) = (0, 0, 0);
        for sp in s["speakers"].as_array().unwrap() {
            if sp["role"] == "participant" && sp["turns"].as_u64().unwrap() > 0 {
                words += sp["words"].as_u64().unwrap() as usize;
                turns += sp["turns"].as_u64().unwrap() as usize;
                speakers += 1;
            }
        }
        per.insert(s["session"].as_str().unwrap().to_string(), (words, turns, speakers));
    }
    per
}

/// Rows of a CSV text as maps from column name to cell.
fn csv_rows(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect())
        .collect();
    (header, rows)
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// erfc with a fractional error below 1.2e-7 (Numerical Recipes' `erfcc`), independent of
/// the statistics crate qualkit uses.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn group_sizes_match_transcripts_inspect() {
    let per = participants_per_session();
    let sum = |ids: &[&str]| {
        ids.iter().fold((0, 0, 0), |acc, id| {
            let (w, t, s) = per[*id];
            (acc.0 + w, acc.1 + t, acc.2 + s)
        })
    };
    let (ow, ot, os) = sum(&ORGANIZERS);
    let (hw, ht, hs) = sum(&HEALTH_PARTNERS);
    let out = qualkit(&["compare", "--by", "group"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let thousands = |n: usize| {
        if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    };
    let expected = format!(
        "Comparing 2 groups by `group` (session attribute)\n\n\
         group            words  turns  speakers  sessions\n\
         organizers       {:>5}  {:>5}  {:>8}         2\n\
         health-partners  {:>5}  {:>5}  {:>8}         2\n\
         Counted: participant turns (moderators are left out; --include-moderators counts them).\n",
        thousands(ow),
        ot,
        os,
        thousands(hw),
        ht,
        hs
    );
    assert!(text.starts_with(&expected), "{text}\nexpected to start with:\n{expected}");
    // The figures the README quotes.
    assert_eq!((ow, os, hw, hs), (3638, 11, 3879, 13));
    assert!(text.contains("Correction: Bonferroni over the 14 themes tested.\n"), "{text}");
    assert!(text.contains("\n† expected counts below 5: not tested.\n"), "{text}");
}

#[test]
fn two_groups_csv_matches_the_session_matrix_and_the_definitions() {
    let out = qualkit(&["compare", "--by", "group", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (header, rows) = csv_rows(&stdout(&out));
    let mut expected: Vec<String> = vec!["theme".into(), "label".into(), "parent".into()];
    for g in ["organizers", "health-partners"] {
        for f in ["mentions", "per_1000_words", "speakers", "speaker_share", "expected"] {
            expected.push(format!("{g}_{f}"));
        }
    }
    let tail = ["g2", "p", "adjusted_p", "significant", "log_ratio", "more_in", "status"];
    expected.extend(tail.map(String::from));
    assert_eq!(header, expected);

    let per = participants_per_session();
    let words = |ids: &[&str]| ids.iter().map(|id| per[*id].0).sum::<usize>() as f64;
    let (c, d) = (words(&ORGANIZERS), words(&HEALTH_PARTNERS));
    let (_, matrix) = csv_rows(&read(&repo().join("reports/metaconnects/session_matrix.csv")));
    assert_eq!(rows.len(), matrix.len(), "one row per theme");
    let tested = rows.iter().filter(|r| r["status"] == "tested").count();
    assert_eq!(tested, 14);
    for (row, m) in rows.iter().zip(&matrix) {
        assert_eq!(row["theme"], m["theme"], "codebook order");
        let total = |ids: &[&str]| ids.iter().map(|id| num(m, &format!("{id}_mentions"))).sum();
        let (a, b): (f64, f64) = (total(&ORGANIZERS), total(&HEALTH_PARTNERS));
        assert_eq!(num(row, "organizers_mentions"), a, "{}", row["theme"]);
        assert_eq!(num(row, "health-partners_mentions"), b, "{}", row["theme"]);
        assert!(close(num(row, "organizers_per_1000_words"), a * 1000.0 / c, 5e-4));
        // G² from its definition, p from the chi-square upper tail with 1 df.
        let (e1, e2) = (c * (a + b) / (c + d), d * (a + b) / (c + d));
        let g2 = 2.0 * (a * (a / e1).ln() + b * (b / e2).ln());
        assert!(close(num(row, "g2"), g2, 1e-4), "{}: {} vs {g2}", row["theme"], row["g2"]);
        let p = erfc((g2 / 2.0).sqrt());
        assert!(close(num(row, "p"), p, 1e-6), "{}", row["theme"]);
        let log_ratio = ((a / c) / (b / d)).log2();
        assert!(close(num(row, "log_ratio"), log_ratio, 1e-4));
        let low = e1 < 5.0 || e2 < 5.0;
        assert_eq!(row["status"], if low { "low_expected" } else { "tested" });
        if low {
            assert_eq!((row["adjusted_p"].as_str(), row["significant"].as_str()), ("", "false"));
        } else {
            let adjusted = (p * tested as f64).min(1.0);
            assert!(close(num(row, "adjusted_p"), adjusted, 1e-5), "{}", row["theme"]);
            assert_eq!(row["significant"], (adjusted < 0.05).to_string());
        }
    }
    // The headline: partnership is the only theme significant after the correction, more
    // frequent among health partners (24 in 3,638 words against 53 in 3,879).
    let significant: Vec<&str> =
        rows.iter().filter(|r| r["significant"] == "true").map(|r| r["theme"].as_str()).collect();
    assert_eq!(significant, ["partnership"]);
    let partnership = rows.iter().find(|r| r["theme"] == "partnership").unwrap();
    assert_eq!(partnership["more_in"], "health-partners");
    // SciPy 1.17: power_divergence([24, 53], [E1, E2], lambda_="log-likelihood").
    assert!(close(num(partnership, "g2"), 9.415189524705426, 1e-4));
    assert!(close(num(partnership, "p"), 0.002151953191711612, 1e-6));
}

#[test]
fn four_sites_get_a_chi_square_test_with_residuals() {
    let out = qualkit(&["compare", "--by", "site", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (header, rows) = csv_rows(&stdout(&out));
    let sites = ["South Los Angeles", "East Los Angeles", "Long Beach", "San Fernando Valley"];
    for site in sites {
        assert!(header.contains(&format!("{site}_residual")), "{header:?}");
    }
    assert!(header.ends_with(&[
        "chi2".to_string(),
        "df".into(),
        "p".into(),
        "adjusted_p".into(),
        "significant".into(),
        "status".into()
    ]));
    // X² recomputed from the committed session matrix and the sessions' words.
    let per = participants_per_session();
    let words: Vec<f64> =
        ["mc-01", "mc-02", "mc-03", "mc-04"].iter().map(|id| per[*id].0 as f64).collect();
    let (_, matrix) = csv_rows(&read(&repo().join("reports/metaconnects/session_matrix.csv")));
    let m = matrix.iter().find(|r| r["theme"] == "financial_resources").unwrap();
    let row = rows.iter().find(|r| r["theme"] == "financial_resources").unwrap();
    let mentions: Vec<f64> = ["mc-01", "mc-02", "mc-03", "mc-04"]
        .iter()
        .map(|id| num(m, &format!("{id}_mentions")))
        .collect();
    let n: f64 = words.iter().sum();
    let total: f64 = mentions.iter().sum();
    let mut x2 = 0.0;
    for (o, w) in mentions.iter().zip(&words) {
        let (e, e_rest) = (total * w / n, (n - total) * w / n);
        x2 += (o - e).powi(2) / e + ((w - o) - e_rest).powi(2) / e_rest;
    }
    assert!(close(num(row, "chi2"), x2, 1e-4), "{} vs {x2}", row["chi2"]);
    assert_eq!(row["df"], "3");
    // With 3 df: P(X² > x) = erfc(sqrt(x/2)) + sqrt(2x/π) e^(-x/2).
    let p = erfc((x2 / 2.0).sqrt()) + (2.0 * x2 / std::f64::consts::PI).sqrt() * (-x2 / 2.0).exp();
    assert!(close(num(row, "p"), p, 1e-6), "{} vs {p}", row["p"]);
    // Each site's residual has the sign of its observed minus expected mentions.
    for (i, site) in sites.iter().enumerate() {
        let e = total * words[i] / n;
        let r = num(row, &format!("{site}_residual"));
        assert_eq!(r > 0.0, mentions[i] > e, "{site}");
    }

    let text = stdout(&qualkit(&["compare", "--by", "site"]));
    assert!(text.starts_with("Comparing 4 groups by `site` (session attribute)\n"), "{text}");
    assert!(text.contains("X²: chi-square test of independence on the 2 × 4 table"), "{text}");
}

#[test]
fn groups_choose_and_order_the_groups() {
    let out = qualkit(&["compare", "--by", "session", "--groups", "mc-03,mc-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let per = participants_per_session();
    let (w2, t2, s2) = per["mc-02"];
    let (w4, t4, s4) = per["mc-04"];
    assert!(text.starts_with("Comparing 2 groups by session\n\ngroup"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[3].starts_with("mc-03") && lines[4].starts_with("mc-01"), "{text}");
    let left = format!(
        "Not compared: {},{:03} words in {} turns by {} speakers, in groups not chosen with \
         --groups.\n",
        (w2 + w4) / 1000,
        (w2 + w4) % 1000,
        t2 + t4,
        s2 + s4
    );
    assert!(text.contains(&left), "{text}\nexpected: {left}");
}

#[test]
fn an_unknown_group_is_a_usage_error_listing_the_values() {
    let out = qualkit(&["compare", "--by", "group", "--groups", "organizers,funders"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --groups: `funders` is not a value of `group` on the counted turns; the values \
         are: organizers, health-partners\n"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn an_unknown_attribute_is_a_usage_error_listing_the_attributes() {
    let out = qualkit(&["compare", "--by", "organization_type"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --by organization_type: no session or speaker attribute is called \
         `organization_type`; group by `session`, a session attribute (from front matter: site, \
         group) or a speaker attribute (from --participants: none)\n"
    );
}

#[test]
fn by_is_required() {
    let out = qualkit(&["compare"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--by <session|ATTRIBUTE>"), "{}", stderr(&out));
}

#[test]
fn json_goes_to_the_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("compare.json");
    let out = qualkit(&["compare", "--by", "group", "--format", "json", "--out", arg(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let doc: serde_json::Value = serde_json::from_str(&read(&file)).unwrap();
    assert_eq!(doc["test"], "log_likelihood");
    assert_eq!(doc["correction"], "bonferroni");
    assert_eq!(doc["tests"], 14);
    assert_eq!(doc["groups"][1]["name"], "health-partners");
    assert_eq!(doc["themes"].as_array().unwrap().len(), 25);
    assert_eq!(doc["themes"][0]["theme"], "organizer_qualities");
    assert_eq!(doc["themes"][0]["cells"].as_array().unwrap().len(), 2);
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["compare.json"], "no temporary file left behind");
}

/// A participants file for the mini corpus: Dan has no `org`.
const PEOPLE: &str = "session,speaker,org\n\
s1,Ana,nonprofit\n\
s1,Ben,health department\n\
b,Cara,nonprofit\n\
b,Dan,\n";

#[test]
fn speaker_attributes_from_the_participants_file() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    fs::write(&people, PEOPLE).unwrap();
    let out = qualkit(&[
        "compare",
        "tests/fixtures/mini/transcripts",
        "--codebook",
        "tests/fixtures/mini/codebook.toml",
        "--participants",
        arg(&people),
        "--by",
        "org",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Hand count (see tests/analyze.rs): Ana 10 + 8 words, Cara 5, Ben 10, Dan 2.
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "Comparing 2 groups by `org` (speaker attribute)\n\n\
             group              words  turns  speakers  sessions\n\
             nonprofit             23      3         2         2\n\
             health department     10      1         1         1\n\
             Counted: participant turns (moderators are left out; --include-moderators counts \
             them).\n\
             Left out: 2 words in 1 turn by 1 speaker, with no value for `org`.\n"
        ),
        "{text}"
    );
}
