//! Published worked examples, reproduced.
//!
//! Sources: the irrCAC test suites (Python port afergadis/irrCAC, test/unit/irrCAC/raw/
//! test_*.py, whose datasets are those of the R package kgwet/irrCAC and of Gwet (2014),
//! "Handbook of Inter-Rater Reliability", 4th ed.); Krippendorff (2011), "Computing
//! Krippendorff's Alpha-Reliability"; Wikipedia's "Cohen's kappa" and "Fleiss' kappa".

use super::*;

/// Ratings from one column per rater, values separated by spaces, `.` for missing.
fn ratings(columns: &[&str]) -> Ratings {
    let cols: Vec<Vec<&str>> = columns.iter().map(|c| c.split_whitespace().collect()).collect();
    let units = cols[0].len();
    let rows: Vec<Vec<Option<&str>>> = (0..units)
        .map(|u| cols.iter().map(|c| Some(c[u]).filter(|v| *v != ".")).collect())
        .collect();
    Ratings::from_labels(&rows, None).expect("valid ratings")
}

/// irrCAC `cac.raw4raters` (Gwet 2014, p. 120): 4 raters, 12 units, 5 categories. The same
/// reliability data as Krippendorff (2011), section C.
fn raw4raters() -> Ratings {
    ratings(&[
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . .",
        ". 3 3 3 2 3 4 2 2 5 1 3",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    ])
}

/// irrCAC `cac.raw5obser` (Gwet 2014, p. 125): 5 observers, 15 units, values 0–3.
fn raw5observers() -> Ratings {
    ratings(&[
        "1 1 2 . 0 0 1 1 2 2 . 0 1 3 1",
        "1 1 3 0 0 0 0 . 2 1 1 0 2 3 1",
        "2 0 3 0 0 0 2 2 2 1 0 0 2 2 1",
        ". 1 3 . . . . 0 . 1 0 0 2 2 .",
        "2 . . 0 0 0 1 . 2 . . . . 3 1",
    ])
}

/// irrCAC `cac.raw.g1g2`: 4 raters, 14 units, categories a–e.
fn raw_g1g2() -> Ratings {
    ratings(&[
        "a b c c b a d a b . . . b b",
        "a b c c b b d a b e . . b a",
        ". c c c b c d b b e a c c c",
        "a b c c b d d a b e a . b b",
    ])
}

/// irrCAC `cac.raw.gender`: 4 raters, 15 units, categories a–c.
fn raw_gender() -> Ratings {
    ratings(&[
        "a a a a a b b b c a a a a a b",
        "a a a a b a b c c a a a a b a",
        "a b b c a a b b c a b b c a a",
        "c c c c a a b b c c c c c a a",
    ])
}

/// irrCAC `cac.ben.gerry`: 2 raters, 12 units, categories a–e, one missing rating.
fn raw_ben_gerry() -> Ratings {
    ratings(&["a a b b d c c c e d d a", "b a b b b c c c e . d d"])
}

/// Asserts `x` rounds to `expected` at `digits` decimals.
fn close(what: &str, x: Option<f64>, expected: f64, digits: i32) {
    let x = x.unwrap_or_else(|| panic!("{what}: undefined"));
    let tolerance = 0.5 * 10f64.powi(-digits) + 1e-9;
    assert!((x - expected).abs() <= tolerance, "{what}: {x} is not {expected}");
}

/// One published result: pa, pe, value, se (when published), CI low and high.
type Expected = (f64, f64, f64, Option<f64>, f64, f64);

fn check(what: &str, est: &Estimate, (pa, pe, value, se, lo, hi): Expected) {
    close(&format!("{what} pa"), est.observed, pa, 3);
    close(&format!("{what} pe"), est.expected, pe, 3);
    close(&format!("{what} value"), est.value, value, 3);
    if let Some(se) = se {
        close(&format!("{what} se"), est.se, se, 3);
    }
    let (l, h) = est.ci95.unwrap_or_else(|| panic!("{what}: no interval"));
    close(&format!("{what} ci low"), Some(l), lo, 3);
    close(&format!("{what} ci high"), Some(h), hi, 3);
}

fn weights(ratings: &Ratings, scheme: &str) -> WeightMatrix {
    WeightScheme::parse(scheme).and_then(|s| s.matrix(ratings.categories())).expect("weights")
}

type Coefficient = fn(&Ratings, &WeightMatrix) -> Estimate;

/// irrCAC test_*.py, `raw_4raters` under each weighting (digits=3).
fn raw4raters_table(f: Coefficient, name: &str, rows: &[(&str, Expected)]) {
    let data = raw4raters();
    for (scheme, expected) in rows {
        check(&format!("{name} {scheme}"), &f(&data, &weights(&data, scheme)), *expected);
    }
}

#[test]
fn fleiss_kappa_raw4raters_every_weighting() {
    // irrCAC test_fleiss.py.
    raw4raters_table(
        fleiss_kappa,
        "fleiss",
        &[
            ("identity", (0.818, 0.239, 0.761, None, 0.424, 1.0)),
            ("bipolar", (0.968, 0.785, 0.853, Some(0.145), 0.535, 1.0)),
            ("circular", (0.902, 0.494, 0.807, Some(0.149), 0.479, 1.0)),
            ("linear", (0.939, 0.667, 0.818, Some(0.149), 0.491, 1.0)),
            ("ordinal", (0.968, 0.788, 0.850, Some(0.147), 0.527, 1.0)),
            ("quadratic", (0.975, 0.818, 0.865, Some(0.146), 0.544, 1.0)),
            ("radical", (0.897, 0.511, 0.790, Some(0.150), 0.460, 1.0)),
            ("ratio", (0.954, 0.743, 0.821, Some(0.152), 0.486, 1.0)),
        ],
    );
}

#[test]
fn gwet_ac_raw4raters_every_weighting() {
    // irrCAC test_gwet.py.
    raw4raters_table(
        gwet_ac,
        "gwet",
        &[
            ("identity", (0.818, 0.190, 0.775, Some(0.143), 0.461, 1.0)),
            ("bipolar", (0.968, 0.682, 0.900, Some(0.106), 0.667, 1.0)),
            ("circular", (0.902, 0.426, 0.830, Some(0.133), 0.538, 1.0)),
            ("linear", (0.939, 0.571, 0.859, Some(0.117), 0.600, 1.0)),
            ("ordinal", (0.968, 0.685, 0.899, Some(0.107), 0.664, 1.0)),
            ("quadratic", (0.975, 0.714, 0.914, Some(0.104), 0.685, 1.0)),
            ("radical", (0.897, 0.430, 0.820, Some(0.128), 0.537, 1.0)),
            ("ratio", (0.954, 0.678, 0.857, Some(0.122), 0.589, 1.0)),
        ],
    );
}

#[test]
fn conger_kappa_raw4raters_every_weighting() {
    // irrCAC test_conger.py.
    raw4raters_table(
        conger_kappa,
        "conger",
        &[
            ("identity", (0.818, 0.233, 0.763, None, 0.435, 1.0)),
            ("bipolar", (0.968, 0.796, 0.845, Some(0.142), 0.532, 1.0)),
            ("circular", (0.902, 0.499, 0.805, Some(0.147), 0.481, 1.0)),
            ("linear", (0.939, 0.675, 0.814, Some(0.145), 0.494, 1.0)),
            ("ordinal", (0.968, 0.796, 0.844, Some(0.144), 0.526, 1.0)),
            ("quadratic", (0.975, 0.827, 0.858, Some(0.144), 0.541, 1.0)),
            ("radical", (0.897, 0.515, 0.788, Some(0.146), 0.466, 1.0)),
            ("ratio", (0.954, 0.756, 0.812, Some(0.149), 0.485, 1.0)),
        ],
    );
}

#[test]
fn brennan_prediger_raw4raters_every_weighting() {
    // irrCAC test_bp.py.
    raw4raters_table(
        brennan_prediger,
        "bp",
        &[
            ("identity", (0.818, 0.200, 0.773, Some(0.145), 0.454, 1.0)),
            ("bipolar", (0.968, 0.717, 0.888, Some(0.112), 0.641, 1.0)),
            ("circular", (0.902, 0.447, 0.824, Some(0.137), 0.522, 1.0)),
            ("linear", (0.939, 0.600, 0.848, Some(0.123), 0.577, 1.0)),
            ("ordinal", (0.968, 0.720, 0.886, Some(0.114), 0.636, 1.0)),
            ("quadratic", (0.975, 0.750, 0.902, Some(0.111), 0.657, 1.0)),
            ("radical", (0.897, 0.452, 0.813, Some(0.133), 0.520, 1.0)),
            ("ratio", (0.954, 0.713, 0.840, Some(0.132), 0.549, 1.0)),
        ],
    );
}

#[test]
fn krippendorff_alpha_raw4raters_every_weighting() {
    // irrCAC test_krippendorff.py (alpha with irrCAC's weights).
    raw4raters_table(
        krippendorff_alpha_weighted,
        "alpha",
        &[
            ("identity", (0.805, 0.240, 0.743, Some(0.146), 0.419, 1.0)),
            ("bipolar", (0.966, 0.794, 0.835, Some(0.128), 0.549, 1.0)),
            ("circular", (0.895, 0.502, 0.790, Some(0.141), 0.476, 1.0)),
            ("linear", (0.935, 0.674, 0.800, Some(0.135), 0.499, 1.0)),
            ("ordinal", (0.966, 0.795, 0.834, Some(0.131), 0.542, 1.0)),
            ("quadratic", (0.974, 0.825, 0.849, Some(0.129), 0.561, 1.0)),
            ("radical", (0.890, 0.517, 0.772, Some(0.140), 0.461, 1.0)),
            ("ratio", (0.951, 0.757, 0.797, Some(0.140), 0.484, 1.0)),
        ],
    );
}

/// A custom (asymmetric) weight matrix: irrCAC test_conger.py and test_bp.py.
fn custom_weights() -> WeightMatrix {
    WeightMatrix::new(vec![
        vec![1.00, 0.75, 0.50, 0.25, 0.00],
        vec![0.00, 1.00, 0.75, 0.50, 0.25],
        vec![0.25, 0.00, 1.00, 0.75, 0.50],
        vec![0.50, 0.25, 0.00, 1.00, 0.75],
        vec![0.75, 0.50, 0.25, 0.00, 1.00],
    ])
    .expect("square")
}

#[test]
fn custom_weights_raw4raters() {
    let data = raw4raters();
    let w = custom_weights();
    check(
        "conger custom",
        &conger_kappa(&data, &w),
        (0.886, 0.521, 0.763, Some(0.149), 0.435, 1.0),
    );
    check(
        "bp custom",
        &brennan_prediger(&data, &w),
        (0.886, 0.500, 0.773, Some(0.145), 0.454, 1.0),
    );
}

#[test]
fn irrcac_doctest_five_decimals() {
    // irrCAC/raw.py module docstring (digits=5).
    let data = raw4raters();
    let id = WeightMatrix::identity(5);
    let ac1 = gwet_ac(&data, &id);
    close("ac1", ac1.value, 0.77544, 5);
    close("ac1 se", ac1.se, 0.14295, 5);
    close("ac1 low", ac1.ci95.map(|c| c.0), 0.46081, 5);
    close("ac1 pa", ac1.observed, 0.81818, 5);
    close("ac1 pe", ac1.expected, 0.19032, 5);
    let fleiss = fleiss_kappa(&data, &id);
    close("fleiss", fleiss.value, 0.76117, 5);
    close("fleiss se", fleiss.se, 0.15302, 5);
    close("fleiss low", fleiss.ci95.map(|c| c.0), 0.42438, 5);
    let ac2 = gwet_ac(&data, &weights(&data, "bipolar"));
    close("ac2", ac2.value, 0.90037, 5);
    close("ac2 se", ac2.se, 0.10582, 5);
    close("ac2 low", ac2.ci95.map(|c| c.0), 0.66747, 5);
}

/// The other irrCAC datasets, unweighted: (data, [fleiss, gwet, conger, bp, alpha]).
fn other_datasets() -> Vec<(&'static str, Ratings, [Expected; 5])> {
    vec![
        (
            "raw5observers",
            raw5observers(),
            [
                (0.616, 0.291, 0.458, Some(0.120), 0.199, 0.716),
                (0.616, 0.236, 0.497, Some(0.122), 0.235, 0.758),
                (0.616, 0.276, 0.469, Some(0.117), 0.219, 0.719),
                (0.616, 0.250, 0.487, Some(0.121), 0.228, 0.747),
                (0.627, 0.282, 0.481, Some(0.114), 0.237, 0.724),
            ],
        ),
        (
            "raw_g1g2",
            raw_g1g2(),
            [
                (0.744, 0.252, 0.657, Some(0.150), 0.333, 0.981),
                (0.744, 0.187, 0.685, Some(0.134), 0.396, 0.973),
                (0.744, 0.249, 0.659, Some(0.146), 0.343, 0.974),
                (0.744, 0.200, 0.679, Some(0.136), 0.385, 0.974),
                (0.728, 0.261, 0.632, Some(0.150), 0.306, 0.958),
            ],
        ),
        (
            "raw_gender",
            raw_gender(),
            [
                (0.456, 0.375, 0.129, Some(0.141), -0.172, 0.430),
                (0.456, 0.312, 0.208, Some(0.091), 0.014, 0.403),
                (0.456, 0.347, 0.166, Some(0.121), -0.094, 0.426),
                (0.456, 0.333, 0.183, Some(0.102), -0.035, 0.402),
                (0.465, 0.375, 0.143, Some(0.141), -0.158, 0.445),
            ],
        ),
        (
            "raw_ben_gerry",
            raw_ben_gerry(),
            [
                (0.727, 0.222, 0.649, Some(0.191), 0.228, 1.0),
                (0.727, 0.194, 0.661, Some(0.184), 0.257, 1.0),
                (0.727, 0.205, 0.657, Some(0.179), 0.262, 1.0),
                (0.727, 0.200, 0.659, Some(0.185), 0.251, 1.0),
                (0.740, 0.223, 0.665, Some(0.180), 0.264, 1.0),
            ],
        ),
    ]
}

#[test]
fn irrcac_other_datasets_unweighted() {
    // irrCAC test_fleiss.py, test_gwet.py, test_conger.py, test_bp.py, test_krippendorff.py.
    let coefficients: [(&str, Coefficient); 5] = [
        ("fleiss", fleiss_kappa),
        ("gwet", gwet_ac),
        ("conger", conger_kappa),
        ("bp", brennan_prediger),
        ("alpha", krippendorff_alpha_weighted),
    ];
    for (name, data, expected) in other_datasets() {
        let id = WeightMatrix::identity(data.categories().len());
        for ((coefficient, f), e) in coefficients.iter().zip(expected) {
            check(&format!("{name} {coefficient}"), &f(&data, &id), e);
        }
    }
}

#[test]
fn cohen_is_conger_of_two_raters_and_scott_is_fleiss() {
    // Ben and Gerry are two raters: Cohen's kappa is irrCAC's Conger value, 0.657.
    let data = raw_ben_gerry();
    let id = WeightMatrix::identity(5);
    close("cohen", cohen_kappa(&data, &id).value, 0.657, 3);
    close("scott", scott_pi(&data, &id).value, 0.649, 3);
    let four = cohen_kappa(&raw4raters(), &WeightMatrix::identity(5));
    assert!(four.value.is_none() && four.note.is_some_and(|n| n.contains("exactly two")));
}

#[test]
fn wikipedia_cohen_kappa_example() {
    // Wikipedia "Cohen's kappa", simple example: 50 grant proposals, yes/yes 20, yes/no 5,
    // no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    let mut rows = Vec::new();
    for (a, b, n) in [("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15)] {
        rows.extend(std::iter::repeat_n(vec![Some(a), Some(b)], n));
    }
    let data = Ratings::from_labels(&rows, None).expect("ratings");
    let k = cohen_kappa(&data, &WeightMatrix::identity(2));
    close("kappa", k.value, 0.4, 6);
    close("p_o", k.observed, 0.7, 6);
    close("p_e", k.expected, 0.5, 6);
}

#[test]
fn wikipedia_fleiss_kappa_example() {
    // Wikipedia "Fleiss' kappa", worked example: 14 raters, 10 subjects, 5 categories:
    // P̄ = 0.378, P̄_e = 0.213, kappa = 0.210.
    let table: [[usize; 5]; 10] = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ];
    let labels = ["1", "2", "3", "4", "5"];
    let rows: Vec<Vec<Option<&str>>> = table
        .iter()
        .map(|counts| {
            counts.iter().zip(labels).flat_map(|(&n, l)| std::iter::repeat_n(Some(l), n)).collect()
        })
        .collect();
    let data = Ratings::from_labels(&rows, None).expect("ratings");
    let k = fleiss_kappa(&data, &WeightMatrix::identity(5));
    close("kappa", k.value, 0.210, 3);
    close("P", k.observed, 0.378, 3);
    close("Pe", k.expected, 0.213, 3);
}

#[test]
fn krippendorff_2011_levels() {
    // Krippendorff (2011), section C, the 4 observers × 12 units example: nominal 0.743,
    // ordinal 0.815, interval 0.849, ratio 0.797.
    let data = raw4raters();
    let x = data.categories().positions();
    let counts = data.counts();
    let counts: Vec<&Vec<f64>> = counts.iter().map(|(_, c)| c).collect();
    for (level, expected) in [
        (Level::Nominal, 0.743),
        (Level::Ordinal, 0.815),
        (Level::Interval, 0.849),
        (Level::Ratio, 0.797),
    ] {
        let est = krippendorff_alpha(&data, level).expect("alpha");
        close(level.name(), est.value, expected, 3);
        let direct = alpha_from_counts(&counts, level, &x).expect("defined");
        close(
            &format!("{} coincidences", level.name()),
            Some(direct),
            est.value.unwrap_or(f64::NAN),
            9,
        );
        assert!(est.se.is_some() && est.ci95.is_some());
    }
}

#[test]
fn bootstrap_is_reproducible() {
    let data = raw4raters();
    let a = bootstrap_alpha(&data, Level::Interval, 2000, 42).expect("bootstrap");
    let b = bootstrap_alpha(&data, Level::Interval, 2000, 42).expect("bootstrap");
    assert_eq!(a, b);
    let (lo, hi) = a.ci95.expect("interval");
    assert!(lo < 0.849 && 0.849 < hi && hi <= 1.0, "{lo} {hi}");
    let c = bootstrap_alpha(&data, Level::Interval, 2000, 7).expect("bootstrap");
    assert_ne!(a.ci95, c.ci95);
}

#[test]
fn bipolar_weights_match_irrcac() {
    // irrCAC/raw.py docstring: the bipolar weights of categories 1–5.
    let data = raw4raters();
    let w = weights(&data, "bipolar");
    let expected =
        [[1.0, 0.857_142_86, 0.666_666_67, 0.4, 0.0], [0.857_142_86, 1.0, 0.933_333_33, 0.75, 0.4]];
    for (k, row) in expected.iter().enumerate() {
        for (l, &e) in row.iter().enumerate() {
            close(&format!("w[{k}][{l}]"), Some(w.get(k, l)), e, 7);
        }
    }
}

#[test]
fn undefined_coefficients_say_why() {
    let data = ratings(&["a a a", "a a a"]);
    let k = fleiss_kappa(&data, &WeightMatrix::identity(1));
    assert_eq!(k.value, None);
    assert_eq!(k.observed, Some(1.0));
    assert!(k.note.is_some_and(|n| n.contains("chance agreement is 1")));
    let alpha = krippendorff_alpha(&data, Level::Nominal).expect("alpha");
    assert!(alpha.value.is_none() && alpha.note.is_some());
    let labels = ratings(&["a b", "a b"]);
    assert!(krippendorff_alpha(&labels, Level::Interval).is_err());
}

#[test]
fn weight_files_are_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("w.csv");
    std::fs::write(&good, ",a,b\na,1,0.5\nb,0.5,1\n").expect("write");
    let w = read_weight_matrix(&good, 2).expect("read");
    assert_eq!(w.get(0, 1), 0.5);
    let ragged = dir.path().join("ragged.csv");
    std::fs::write(&ragged, "1,0.5\n0.5\n").expect("write");
    let err = read_weight_matrix(&ragged, 2).expect_err("not square").to_string();
    assert!(err.contains("ragged.csv:2") && err.contains("expected 2"), "{err}");
    let text = dir.path().join("text.csv");
    std::fs::write(&text, "1,0.5\n0.5,high\n").expect("write");
    let err = read_weight_matrix(&text, 2).expect_err("not numeric").to_string();
    assert!(err.contains("text.csv:2") && err.contains("'high'"), "{err}");
}

#[test]
fn pooled_units_count_as_the_units_they_stand_for() {
    // Units 1–12 of raw4raters, each twice in a row, against the same 12 units of weight 2
    // (the bootstrap resamples a pooled unit as its copies, in this order).
    let data = raw4raters();
    let twice = |c: &[Vec<Option<usize>>]| {
        c.iter().flat_map(|row| [row.clone(), row.clone()]).collect::<Vec<_>>()
    };
    let names: Vec<String> = (1..=24).map(|u| u.to_string()).collect();
    let expanded =
        Ratings::new(data.categories().clone(), data.raters().to_vec(), names, twice(data.cells()))
            .expect("ratings");
    let pooled = data.clone().with_weights(vec![2.0; 12]).expect("weights");
    let options = Options {
        weights: weights(&data, "quadratic"),
        level: Level::Ordinal,
        bootstrap: (200, 3),
    };
    let a = all_coefficients(&expanded, &options).expect("coefficients");
    let b = all_coefficients(&pooled, &options).expect("coefficients");
    for ((key, x), (_, y)) in a.iter().zip(&b) {
        for (part, u, v) in
            [("value", x.value, y.value), ("se", x.se, y.se), ("expected", x.expected, y.expected)]
        {
            match (u, v) {
                (Some(u), Some(v)) => assert!((u - v).abs() < 1e-12, "{key} {part}: {u} vs {v}"),
                (u, v) => assert_eq!(u, v, "{key} {part}"),
            }
        }
        assert_eq!(x.bootstrap95, y.bootstrap95, "{key}");
    }
    assert!(data.with_weights(vec![0.5; 12]).is_err());
}
