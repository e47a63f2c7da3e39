//! `qualkit agree --ratings`: every coefficient of a ratings file, through the real binary,
//! on irrCAC's `cac.raw4raters` (Gwet 2014, p. 120; the data of Krippendorff 2011, section C)
//! in long and wide form, and on `cac.ben.gerry` (two raters, labels).

mod common;

use common::{qualkit, stderr, stdout};
use serde_json::Value;

const DIR: &str = "tests/fixtures/agree/ratings";

/// The JSON of `agree --ratings FILE` with `extra` options.
fn json(file: &str, extra: &[&str]) -> Value {
    let path = format!("{DIR}/{file}");
    let mut args = vec!["agree", "--ratings", path.as_str(), "--format", "json"];
    args.extend(extra);
    let out = qualkit(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

/// Asserts that `coefficients[key][field]` rounds to `expected` at three decimals.
fn near(report: &Value, key: &str, field: &str, expected: f64) {
    let value = &report["coefficients"][key][field];
    let x = value.as_f64().unwrap_or_else(|| panic!("{key}.{field} is {value}"));
    assert!((x - expected).abs() <= 0.0005 + 1e-9, "{key}.{field}: {x}, expected {expected}");
}

#[test]
fn wide_and_long_forms_give_irrcacs_numbers() {
    for file in ["wide.csv", "long.csv", "wide.tsv"] {
        let r = json(file, &[]);
        assert_eq!(r["units"], 12, "{file}");
        // irrCAC test_fleiss.py, test_gwet.py, test_conger.py, test_bp.py,
        // test_krippendorff.py on raw_4raters; alpha 0.743 is Krippendorff (2011)'s nominal.
        near(&r, "percent_agreement", "value", 0.818);
        near(&r, "fleiss_kappa", "value", 0.761);
        near(&r, "fleiss_kappa", "expected", 0.239);
        near(&r, "gwet_ac1", "value", 0.775);
        near(&r, "gwet_ac1", "se", 0.143);
        near(&r, "conger_kappa", "value", 0.763);
        near(&r, "brennan_prediger", "value", 0.773);
        near(&r, "krippendorff_alpha", "value", 0.743);
        near(&r, "krippendorff_alpha", "se", 0.146);
        let ci = &r["coefficients"]["krippendorff_alpha"]["ci95"];
        assert!((ci[0].as_f64().unwrap() - 0.419).abs() < 0.0005 && ci[1] == 1.0, "{ci}");
        let cohen = &r["coefficients"]["cohen_kappa"];
        assert!(
            cohen["value"].is_null() && cohen["note"].as_str().unwrap().contains("exactly two")
        );
        for key in ["value", "se", "ci95", "observed", "expected", "note"] {
            assert!(r["coefficients"]["scott_pi"].get(key).is_some(), "{key}");
        }
    }
}

#[test]
fn levels_of_alpha_follow_krippendorff_2011() {
    // Krippendorff (2011), section C: ordinal 0.815, interval 0.849, ratio 0.797.
    for (level, expected) in [("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)] {
        let r = json("wide.csv", &["--level", level]);
        near(&r, "krippendorff_alpha", "value", expected);
        assert_eq!(r["level"], level);
    }
}

#[test]
fn weights_by_name_and_from_a_file() {
    // irrCAC test_gwet.py, raw_4raters with quadratic weights: AC2 0.914 (se 0.104).
    let r = json("wide.csv", &["--weights", "quadratic"]);
    near(&r, "gwet_ac2", "value", 0.914);
    near(&r, "gwet_ac2", "se", 0.104);
    near(&r, "fleiss_kappa", "value", 0.865);
    // irrCAC test_conger.py and test_bp.py, custom weights: 0.763 and 0.773.
    let r = json("wide.csv", &["--weights-file", "tests/fixtures/agree/ratings/weights.csv"]);
    near(&r, "conger_kappa", "value", 0.763);
    near(&r, "brennan_prediger", "value", 0.773);
    near(&r, "brennan_prediger", "expected", 0.5);
}

#[test]
fn two_raters_with_labels_have_cohen_and_scott() {
    // irrCAC cac.ben.gerry: Conger's (here Cohen's) kappa 0.657, Fleiss' (Scott's) 0.649.
    let r = json("ben_gerry.csv", &[]);
    near(&r, "cohen_kappa", "value", 0.657);
    near(&r, "cohen_kappa", "se", 0.179);
    near(&r, "scott_pi", "value", 0.649);
    near(&r, "gwet_ac1", "value", 0.661);
    near(&r, "krippendorff_alpha", "value", 0.665);
    assert!(r["coefficients"]["cohen_kappa"]["note"].is_null());
}

#[test]
fn the_bootstrap_is_reproducible() {
    let args = ["--level", "interval", "--bootstrap", "500", "--seed", "7"];
    let a = json("wide.csv", &args);
    let b = json("wide.csv", &args);
    let ci = &a["coefficients"]["krippendorff_alpha"]["bootstrap95"];
    assert_eq!(ci, &b["coefficients"]["krippendorff_alpha"]["bootstrap95"]);
    let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
    assert!(lo < 0.849 && 0.849 < hi && hi <= 1.0, "{ci}");
}

#[test]
fn text_and_csv_list_every_coefficient() {
    let out = qualkit(&["agree", "--ratings", "tests/fixtures/agree/ratings/wide.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "Fleiss' kappa",
        "0.761",
        "Krippendorff's alpha",
        "0.743  0.146  [0.419, 1.000]",
        "Cohen's kappa: Cohen's kappa is for exactly two raters",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    let out = qualkit(&[
        "agree",
        "--ratings",
        "tests/fixtures/agree/ratings/wide.csv",
        "--format",
        "csv",
    ]);
    let csv = stdout(&out);
    assert!(csv.starts_with("coefficient,value,se,ci95_low,ci95_high,observed,expected,"), "{csv}");
    assert!(csv.contains("\nfleiss_kappa,0.7612,0.1530,0.4244,1.0000,0.8182,0.2387,"), "{csv}");
    assert_eq!(csv.lines().count(), 9, "{csv}");
}

#[test]
fn bad_files_name_the_file_and_the_line() {
    let out = qualkit(&["agree", "--ratings", "tests/fixtures/agree/ratings/short_row.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("short_row.csv:3") && err.contains("has 2 cells"), "{err}");
    let out = qualkit(&[
        "agree",
        "--ratings",
        "tests/fixtures/agree/ratings/unknown_category.csv",
        "--categories",
        "low,high",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown_category.csv:5") && err.contains("'medium'"), "{err}");
    let out = qualkit(&[
        "agree",
        "--ratings",
        "tests/fixtures/agree/ratings/wide.csv",
        "--level",
        "loud",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown level 'loud'"), "{}", stderr(&out));
    let out = qualkit(&["agree", "tests/fixtures/agree/binary.csv", "--level", "ordinal"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--level applies to a ratings file"), "{}", stderr(&out));
}

#[test]
fn the_paradox_of_docs_agreement_md() {
    // docs/agreement.md, "Kappa's paradox on rare codes": the same 92% agreement, kappa
    // 0.291 on a rare theme and 0.840 on a common one; AC1 0.910 and 0.840. By hand for the
    // rare theme: p_e = 0.06² + 0.94² = 0.8872, kappa = (0.92 − 0.8872) / 0.1128 = 0.291;
    // AC1 p_e = 2 · 0.06 · 0.94 = 0.1128, AC1 = (0.92 − 0.1128) / 0.8872 = 0.910.
    let order = ["--categories", "yes,no"];
    let rare = json("paradox_rare.csv", &order);
    let common = json("paradox_balanced.csv", &order);
    for (r, kappa, alpha, ac1) in [(&rare, 0.291, 0.298, 0.910), (&common, 0.840, 0.842, 0.840)] {
        near(r, "percent_agreement", "value", 0.920);
        near(r, "cohen_kappa", "value", kappa);
        near(r, "krippendorff_alpha", "value", alpha);
        near(r, "gwet_ac1", "value", ac1);
        near(r, "brennan_prediger", "value", 0.840);
    }
    near(&rare, "cohen_kappa", "expected", 0.887);
    let ci = &rare["coefficients"]["cohen_kappa"]["ci95"];
    assert!((ci[0].as_f64().unwrap() + 0.234).abs() < 0.0005, "{ci}");
}
