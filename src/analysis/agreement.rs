//! Agreement coefficients for nominal data, as pure functions of counts: percent agreement,
//! Cohen's kappa (Cohen 1960), Fleiss' kappa (Fleiss 1971) and Krippendorff's alpha
//! (Krippendorff 2011, nominal metric, missing values allowed), and precision, recall and F1
//! against a reference coder.
//!
//! Every coefficient takes units described by how many coders chose each category
//! ([`UnitCounts`]), each with a weight: a unit of weight 3 counts as three identical units,
//! so units with the same counts can be pooled, and a run of characters is one weighted unit.
//! A coefficient whose value is undefined (no units, or every coder always chose one and the
//! same category, so that chance agreement is 1) is `None`.

use serde::Serialize;

/// One unit of analysis: how many coders assigned it to each category (coders who did not
/// code the unit are simply not counted), and how many units it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCounts {
    /// Coders per category.
    pub counts: Vec<u64>,
    /// How many units this one stands for.
    pub weight: u64,
}

impl UnitCounts {
    /// A unit of weight 1.
    pub fn new(counts: Vec<u64>) -> UnitCounts {
        UnitCounts { counts, weight: 1 }
    }

    /// The number of coders who coded the unit.
    pub fn coders(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Percent agreement: the share of agreeing pairs among all pairs of coders who coded the
/// same unit. With two coders, the share of units they agree on; with complete data, Fleiss'
/// P̄.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PercentAgreement {
    /// Units coded by two or more coders.
    pub units: u64,
    /// Ordered pairs of coders over those units (each unit's `m (m − 1)`), weighted.
    pub pairs: u64,
    /// Ordered pairs that agree (each unit's `Σ n_k (n_k − 1)`), weighted.
    pub agreeing_pairs: u64,
    /// `agreeing_pairs / pairs`.
    pub value: Option<f64>,
}

/// Percent agreement over `units` (units with fewer than two coders are left out).
pub fn percent_agreement(units: &[UnitCounts]) -> PercentAgreement {
    let (mut n, mut pairs, mut agreeing) = (0, 0, 0);
    for u in units {
        let m = u.coders();
        if m < 2 {
            continue;
        }
        n += u.weight;
        pairs += u.weight * m * (m - 1);
        agreeing += u.weight * u.counts.iter().map(|&c| c * c.saturating_sub(1)).sum::<u64>();
    }
    PercentAgreement {
        units: n,
        pairs,
        agreeing_pairs: agreeing,
        value: (pairs > 0).then(|| agreeing as f64 / pairs as f64),
    }
}

/// Cohen's kappa for two coders (Cohen 1960), with the table behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohenKappa {
    /// Units coded by both coders.
    pub units: u64,
    /// `table[a][b]`: units the first coder put in category `a` and the second in `b`.
    pub table: Vec<Vec<u64>>,
    /// Observed agreement `p_o`: the share of units on the diagonal.
    pub observed: f64,
    /// Chance agreement `p_e = Σ_k p_k· p_·k` from each coder's own marginal proportions.
    pub expected: f64,
    /// `κ = (p_o − p_e) / (1 − p_e)`.
    pub kappa: Option<f64>,
}

/// Cohen's kappa from a square contingency table of two coders' categories.
pub fn cohen_kappa(table: &[Vec<u64>]) -> CohenKappa {
    let k = table.len();
    let n: u64 = table.iter().flatten().sum();
    let nf = n as f64;
    let (mut observed, mut expected) = (0.0, 0.0);
    if n > 0 {
        for c in 0..k {
            observed += table[c][c] as f64 / nf;
            let row: u64 = table[c].iter().sum();
            let col: u64 = table.iter().map(|r| r[c]).sum();
            expected += (row as f64 / nf) * (col as f64 / nf);
        }
    }
    CohenKappa {
        units: n,
        table: table.to_vec(),
        observed,
        expected,
        kappa: defined(n > 0 && expected < 1.0, || (observed - expected) / (1.0 - expected)),
    }
}

/// Fleiss' kappa for a fixed number of coders per unit (Fleiss 1971).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleissKappa {
    /// Units (every one coded by `raters` coders).
    pub units: u64,
    /// Coders per unit.
    pub raters: u64,
    /// Mean agreement per unit `P̄`: the mean over units of `Σ_j n_ij (n_ij − 1) / (m (m − 1))`.
    pub observed: f64,
    /// Chance agreement `P̄_e = Σ_j p_j²`, with `p_j` the share of all assignments to `j`.
    pub expected: f64,
    /// `κ = (P̄ − P̄_e) / (1 − P̄_e)`.
    pub kappa: Option<f64>,
}

/// Fleiss' kappa over the units coded by exactly `raters` coders (at least two); the others
/// are left out, since the formula needs the same number of coders for every unit.
pub fn fleiss_kappa(units: &[UnitCounts], raters: u64) -> FleissKappa {
    let categories = units.iter().map(|u| u.counts.len()).max().unwrap_or(0);
    let mut per_category = vec![0u64; categories];
    let (mut n, mut agreeing) = (0u64, 0u64);
    for u in units.iter().filter(|u| raters >= 2 && u.coders() == raters) {
        n += u.weight;
        agreeing += u.weight * u.counts.iter().map(|&c| c * c.saturating_sub(1)).sum::<u64>();
        for (total, &c) in per_category.iter_mut().zip(&u.counts) {
            *total += u.weight * c;
        }
    }
    let (mut observed, mut expected) = (0.0, 0.0);
    if n > 0 {
        observed = agreeing as f64 / (n as f64 * (raters * (raters - 1)) as f64);
        let assignments = (n * raters) as f64;
        expected = per_category.iter().map(|&c| (c as f64 / assignments).powi(2)).sum();
    }
    FleissKappa {
        units: n,
        raters,
        observed,
        expected,
        kappa: defined(n > 0 && expected < 1.0, || (observed - expected) / (1.0 - expected)),
    }
}

/// Krippendorff's alpha for nominal data (Krippendorff 2011), with what it is computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrippendorffAlpha {
    /// Pairable units: units with two or more values.
    pub units: u64,
    /// Pairable values `n`: the values in those units.
    pub values: u64,
    /// The coincidence matrix `o_ck = Σ_u (number of c–k pairs in u) / (m_u − 1)`.
    pub coincidences: Vec<Vec<f64>>,
    /// Observed disagreement `D_o = Σ_{c≠k} o_ck / n`.
    pub observed_disagreement: f64,
    /// Expected disagreement `D_e = Σ_{c≠k} n_c n_k / (n (n − 1))`.
    pub expected_disagreement: f64,
    /// `α = 1 − D_o / D_e`.
    pub alpha: Option<f64>,
}

/// Krippendorff's alpha with the nominal metric. Units with fewer than two values are not
/// pairable and are left out; missing values need no other treatment.
pub fn krippendorff_alpha_nominal(units: &[UnitCounts]) -> KrippendorffAlpha {
    let categories = units.iter().map(|u| u.counts.len()).max().unwrap_or(0);
    let mut o = vec![vec![0.0; categories]; categories];
    let (mut pairable, mut n) = (0u64, 0u64);
    for u in units {
        let m = u.coders();
        if m < 2 {
            continue;
        }
        pairable += u.weight;
        n += u.weight * m;
        let scale = u.weight as f64 / (m - 1) as f64;
        for (c, &nc) in u.counts.iter().enumerate() {
            for (k, &nk) in u.counts.iter().enumerate() {
                let pairs = if c == k { nc * nc.saturating_sub(1) } else { nc * nk };
                o[c][k] += pairs as f64 * scale;
            }
        }
    }
    let marginals: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let (mut disagree, mut chance) = (0.0, 0.0);
    for c in 0..categories {
        for k in (0..categories).filter(|&k| k != c) {
            disagree += o[c][k];
            chance += marginals[c] * marginals[k];
        }
    }
    let nf = n as f64;
    let (observed, expected) =
        if n >= 2 { (disagree / nf, chance / (nf * (nf - 1.0))) } else { (0.0, 0.0) };
    KrippendorffAlpha {
        units: pairable,
        values: n,
        coincidences: o,
        observed_disagreement: observed,
        expected_disagreement: expected,
        alpha: defined(n >= 2 && expected > 0.0, || 1.0 - observed / expected),
    }
}

/// A coder's binary decisions against a reference coder's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Coded by both.
    pub true_positives: u64,
    /// Coded by the coder, not by the reference.
    pub false_positives: u64,
    /// Coded by the reference, not by the coder.
    pub false_negatives: u64,
    /// Coded by neither.
    pub true_negatives: u64,
}

impl Confusion {
    /// Adds one decision (`weight` units) of the coder (`coded`) and the reference (`gold`).
    pub fn add(&mut self, coded: bool, gold: bool, weight: u64) {
        match (coded, gold) {
            (true, true) => self.true_positives += weight,
            (true, false) => self.false_positives += weight,
            (false, true) => self.false_negatives += weight,
            (false, false) => self.true_negatives += weight,
        }
    }

    /// Adds another table's counts.
    pub fn merge(&mut self, other: &Confusion) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
        self.true_negatives += other.true_negatives;
    }

    /// `TP / (TP + FP)`: the share of the coder's codings the reference shares.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    /// `TP / (TP + FN)`: the share of the reference's codings the coder found.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    /// `2 TP / (2 TP + FP + FN)`, the harmonic mean of precision and recall.
    pub fn f1(&self) -> Option<f64> {
        ratio(
            2 * self.true_positives,
            2 * self.true_positives + self.false_positives + self.false_negatives,
        )
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn defined(ok: bool, value: impl FnOnce() -> f64) -> Option<f64> {
    ok.then(value).filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64, tolerance: f64) {
        let a = a.expect("a defined coefficient");
        assert!((a - b).abs() < tolerance, "{a} is not {b} (±{tolerance})");
    }

    /// Values per coder (0 = missing) → counts per unit over categories 1..=k.
    fn reliability_data(rows: &[&[u64]], k: usize) -> Vec<UnitCounts> {
        (0..rows[0].len())
            .map(|u| {
                let mut counts = vec![0; k];
                for row in rows {
                    if row[u] > 0 {
                        counts[row[u] as usize - 1] += 1;
                    }
                }
                UnitCounts::new(counts)
            })
            .collect()
    }

    #[test]
    fn krippendorff_2011_nominal_four_coders_with_missing_values() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
        // 4 observers, 12 units, values 1–5, missing values shown as 0. α = 0.743.
        let data = reliability_data(
            &[
                &[1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
                &[1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
                &[0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
                &[1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
            ],
            5,
        );
        let a = krippendorff_alpha_nominal(&data);
        // Unit 12 has one value and is not pairable: 11 units, 40 pairable values.
        assert_eq!((a.units, a.values), (11, 40));
        // The coincidence marginals of the paper: n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3.
        let marginals: Vec<f64> = a.coincidences.iter().map(|r| r.iter().sum()).collect();
        for (got, want) in marginals.iter().zip([9.0, 13.0, 10.0, 5.0, 3.0]) {
            assert!((got - want).abs() < 1e-9, "{marginals:?}");
        }
        assert!((a.coincidences[0][0] - 7.0).abs() < 1e-9);
        assert!((a.coincidences[0][1] - 4.0 / 3.0).abs() < 1e-9);
        close(a.alpha, 0.743, 0.0005);
    }

    #[test]
    fn krippendorff_2011_binary_two_coders() {
        // Krippendorff (2011), section A: two observers, ten units, binary. α = 0.095.
        let data = reliability_data(
            &[&[1, 2, 1, 1, 1, 1, 1, 1, 2, 1], &[2, 2, 2, 1, 1, 2, 1, 1, 1, 1]],
            2,
        );
        let a = krippendorff_alpha_nominal(&data);
        assert_eq!(a.values, 20);
        assert_eq!(a.coincidences, vec![vec![10.0, 4.0], vec![4.0, 2.0]]);
        close(a.alpha, 0.095, 0.0005);
        // 1 − (n − 1) o_01 / (n_0 n_1) = 1 − 19·4 / (14·6), exactly.
        close(a.alpha, 1.0 - 76.0 / 84.0, 1e-12);
    }

    #[test]
    fn fleiss_1971_wikipedia_fourteen_raters() {
        // Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
        // P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
        let table: [[u64; 5]; 10] = [
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
        let units: Vec<UnitCounts> = table.iter().map(|r| UnitCounts::new(r.to_vec())).collect();
        let f = fleiss_kappa(&units, 14);
        assert_eq!((f.units, f.raters), (10, 14));
        assert!((f.observed - 0.378).abs() < 0.0005, "{}", f.observed);
        assert!((f.expected - 0.213).abs() < 0.0005, "{}", f.expected);
        close(f.kappa, 0.210, 0.0005);
        // With complete data, percent agreement is Fleiss' P̄.
        close(percent_agreement(&units).value, f.observed, 1e-12);
    }

    #[test]
    fn fleiss_weights_count_as_repeated_units() {
        let repeated = [
            UnitCounts::new(vec![3, 0]),
            UnitCounts::new(vec![3, 0]),
            UnitCounts::new(vec![1, 2]),
            UnitCounts::new(vec![0, 3]),
        ];
        let weighted = [
            UnitCounts { counts: vec![3, 0], weight: 2 },
            UnitCounts::new(vec![1, 2]),
            UnitCounts::new(vec![0, 3]),
            // Coded by two coders only: left out of Fleiss' kappa for three.
            UnitCounts::new(vec![1, 1]),
        ];
        assert_eq!(fleiss_kappa(&repeated, 3), fleiss_kappa(&weighted, 3));
    }

    #[test]
    fn cohen_wikipedia_examples() {
        // Wikipedia, "Cohen's kappa": 50 grant proposals read by A and B.
        let k = cohen_kappa(&[vec![20, 5], vec![10, 15]]);
        assert_eq!(k.units, 50);
        assert!((k.observed - 0.7).abs() < 1e-12 && (k.expected - 0.5).abs() < 1e-12);
        close(k.kappa, 0.4, 1e-12);
        // Same agreement, different marginals: κ = 0.1304 and 0.2593.
        close(cohen_kappa(&[vec![45, 15], vec![25, 15]]).kappa, 0.1304, 0.00005);
        close(cohen_kappa(&[vec![25, 35], vec![5, 35]]).kappa, 0.2593, 0.00005);
    }

    #[test]
    fn cohen_1960_three_categories() {
        // Cohen (1960)'s illustration: three categories, observed agreement .70, the judges'
        // marginal proportions .50/.30/.20 and .60/.30/.10, so chance agreement .41 and
        // κ = .29 / .59 = .492. (Kappa depends only on the diagonal and the marginals; this
        // table of 200 units has both.)
        let k = cohen_kappa(&[vec![88, 10, 2], vec![14, 40, 6], vec![18, 10, 12]]);
        assert_eq!(k.units, 200);
        assert!((k.observed - 0.70).abs() < 1e-12);
        assert!((k.expected - 0.41).abs() < 1e-12);
        close(k.kappa, 0.492, 0.0005);
    }

    #[test]
    fn undefined_coefficients_are_none() {
        // Both coders always say "absent": agreement is perfect but chance explains it all.
        let k = cohen_kappa(&[vec![10, 0], vec![0, 0]]);
        assert_eq!((k.observed, k.expected, k.kappa), (1.0, 1.0, None));
        let units = vec![UnitCounts::new(vec![2, 0]); 5];
        assert_eq!(krippendorff_alpha_nominal(&units).alpha, None);
        assert_eq!(fleiss_kappa(&units, 2).kappa, None);
        assert_eq!(percent_agreement(&units).value, Some(1.0));
        assert_eq!(cohen_kappa(&[vec![0, 0], vec![0, 0]]).kappa, None);
        assert_eq!(krippendorff_alpha_nominal(&[]).alpha, None);
        assert_eq!(percent_agreement(&[UnitCounts::new(vec![1, 0])]).value, None);
    }

    #[test]
    fn two_coders_without_missing_values() {
        // With two coders and no missing values, percent agreement is p_o, and α and κ differ
        // only in how chance is estimated: α = 1 − (n − 1) o_01·2 / (2 n_0 n_1)…
        let units: Vec<UnitCounts> = [[2, 0], [2, 0], [1, 1], [0, 2], [1, 1], [2, 0]]
            .iter()
            .map(|c| UnitCounts::new(c.to_vec()))
            .collect();
        let p = percent_agreement(&units);
        assert_eq!((p.units, p.pairs, p.agreeing_pairs), (6, 12, 8));
        close(p.value, 4.0 / 6.0, 1e-12);
        let a = krippendorff_alpha_nominal(&units);
        // o_00 = 6, o_01 = o_10 = 2, o_11 = 2; n_0 = 8, n_1 = 4, n = 12.
        assert_eq!(a.coincidences, vec![vec![6.0, 2.0], vec![2.0, 2.0]]);
        close(a.alpha, 1.0 - 11.0 * 4.0 / (2.0 * 8.0 * 4.0), 1e-12);
    }

    #[test]
    fn precision_recall_and_f1() {
        let mut c = Confusion::default();
        for (coded, gold) in [(true, true), (true, true), (true, false), (false, true)] {
            c.add(coded, gold, 1);
        }
        c.add(false, false, 5);
        assert_eq!(c.true_negatives, 5);
        close(c.precision(), 2.0 / 3.0, 1e-12);
        close(c.recall(), 2.0 / 3.0, 1e-12);
        close(c.f1(), 2.0 / 3.0, 1e-12);
        assert_eq!(Confusion::default().precision(), None);
    }
}
