//! The chance-corrected coefficients of Gwet (2014) for raw ratings with missing values:
//! percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa, Conger's kappa, Brennan &
//! Prediger, Gwet's AC1/AC2, with the standard errors and intervals irrCAC computes.
//!
//! Missing ratings are handled as irrCAC does: a unit with no rating is left out; a unit
//! with one rating counts towards the chance agreement (the classification probabilities)
//! but not towards the observed agreement, which averages over units with two or more.

use super::ratings::Ratings;
use super::weights::WeightMatrix;
use super::{interval, Estimate};

/// What every coefficient is computed from: per unit (with at least one rating), the
/// raters per category `r_ik`, the raters `r_i` and the weighted agreeing pairs.
pub(crate) struct UnitTable {
    /// `(row of the ratings matrix, r_ik)`.
    pub(crate) counts: Vec<(usize, Vec<f64>)>,
    /// `r_i`.
    pub(crate) raters: Vec<f64>,
    /// `Σ_k r_ik (r*_ik − 1)`, with `r*_ik = Σ_l w_kl r_il`.
    pub(crate) agreeing: Vec<f64>,
    /// How many units each stands for.
    pub(crate) weights: Vec<f64>,
}

impl UnitTable {
    /// The table of `ratings` under weights `w`.
    pub(crate) fn new(ratings: &Ratings, w: &WeightMatrix) -> UnitTable {
        let counts = ratings.counts();
        let raters = counts.iter().map(|(_, c)| c.iter().sum()).collect();
        let agreeing = counts.iter().map(|(_, c)| weighted_pairs(c, w)).collect();
        let weights = counts.iter().map(|(row, _)| ratings.weight(*row)).collect();
        UnitTable { counts, raters, agreeing, weights }
    }

    /// Units with at least one rating.
    pub(crate) fn n(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// Units with two or more ratings.
    pub(crate) fn paired(&self) -> f64 {
        (self.raters.iter().zip(&self.weights)).filter(|(&r, _)| r >= 2.0).map(|(_, w)| w).sum()
    }

    /// Each unit's agreement `pa_i` (0 for a unit with fewer than two ratings).
    pub(crate) fn unit_agreement(&self) -> Vec<f64> {
        let pairs = self.raters.iter().map(|&r| r * (r - 1.0));
        self.agreeing.iter().zip(pairs).map(|(&a, p)| if p > 0.0 { a / p } else { 0.0 }).collect()
    }

    /// Observed agreement `p_a`: the mean of `pa_i` over units with two or more ratings.
    pub(crate) fn observed(&self) -> Option<f64> {
        let paired = self.paired();
        let sum: f64 = self.unit_agreement().iter().zip(&self.weights).map(|(p, w)| p * w).sum();
        (paired > 0.0).then(|| sum / paired)
    }

    /// Classification probabilities `π_k = (1/n) Σ_i r_ik / r_i` (Fleiss, Gwet).
    pub(crate) fn classification(&self) -> Vec<f64> {
        let q = self.counts.first().map_or(0, |(_, c)| c.len());
        let mut pi = vec![0.0; q];
        let n = self.n();
        for (((_, c), &r), &w) in self.counts.iter().zip(&self.raters).zip(&self.weights) {
            for (p, &x) in pi.iter_mut().zip(c) {
                *p += w * x / r / n;
            }
        }
        pi
    }
}

/// `Σ_k r_k (Σ_l w_kl r_l − 1)`: the weighted agreeing ordered pairs of one unit.
fn weighted_pairs(counts: &[f64], w: &WeightMatrix) -> f64 {
    (0..counts.len())
        .map(|k| {
            let weighted: f64 = (0..counts.len()).map(|l| w.get(k, l) * counts[l]).sum();
            counts[k] * (weighted - 1.0)
        })
        .sum()
}

/// The note when no unit has two ratings.
const NO_PAIRS: &str = "no unit was rated by two or more raters";

/// `(p_a − p_e) / (1 − p_e)` with the linearised variance of Gwet (2014): each unit's
/// `κ_i = (n / n₂) (pa_i − p_e [r_i ≥ 2]) / (1 − p_e)`, corrected by
/// `− 2 (1 − κ) (pe_i − p_e) / (1 − p_e)` when the chance agreement is estimated
/// (`unit_chance`), over `n − 1` degrees of freedom.
pub(crate) fn chance_corrected(t: &UnitTable, pe: f64, unit_chance: Option<&[f64]>) -> Estimate {
    let Some(pa) = t.observed() else { return Estimate::undefined(NO_PAIRS) };
    let mut est = Estimate { observed: Some(pa), expected: Some(pe), ..Estimate::default() };
    if !pe.is_finite() || pe >= 1.0 - 1e-12 {
        est.note = Some("chance agreement is 1: every rating is the same category".into());
        return est;
    }
    let value = (pa - pe) / (1.0 - pe);
    est.value = Some(value);
    let (n, paired) = (t.n(), t.paired());
    let linearised: Vec<f64> = t
        .unit_agreement()
        .iter()
        .zip(&t.raters)
        .enumerate()
        .map(|(i, (&pa_i, &r))| {
            let pe_r = if r >= 2.0 { pe } else { 0.0 };
            let k = (n / paired) * (pa_i - pe_r) / (1.0 - pe);
            let correction =
                unit_chance.map_or(0.0, |c| 2.0 * (1.0 - value) * (c[i] - pe) / (1.0 - pe));
            k - correction
        })
        .collect();
    with_interval(est, value, &linearised, &t.weights)
}

/// Adds the standard error `√(Σ w_i (x_i − κ)² / (n (n − 1)))`, `n = Σ w_i`, and the 95%
/// interval.
pub(crate) fn with_interval(
    mut est: Estimate,
    value: f64,
    linearised: &[f64],
    weights: &[f64],
) -> Estimate {
    let n: f64 = weights.iter().sum();
    if n < 2.0 {
        est.note = Some("a standard error needs two or more units".into());
        return est;
    }
    let squares: f64 = linearised.iter().zip(weights).map(|(x, w)| w * (x - value).powi(2)).sum();
    let se = (squares / (n * (n - 1.0))).sqrt();
    est.se = Some(se);
    est.ci95 = Some(interval(value, se, n - 1.0));
    est
}

/// Percent agreement `p_a` (weighted when `w` is), with its standard error.
pub fn percent_agreement(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let t = UnitTable::new(ratings, w);
    let Some(pa) = t.observed() else { return Estimate::undefined(NO_PAIRS) };
    let scale = t.n() / t.paired();
    let linearised: Vec<f64> = t.unit_agreement().iter().map(|p| scale * p).collect();
    let est = Estimate { observed: Some(pa), value: Some(pa), ..Estimate::default() };
    with_interval(est, pa, &linearised, &t.weights)
}

/// Fleiss' generalised kappa (Fleiss 1971; weighted and with missing ratings as Gwet 2014):
/// `p_e = Σ_kl w_kl π_k π_l`.
pub fn fleiss_kappa(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let t = UnitTable::new(ratings, w);
    let pi = t.classification();
    let q = pi.len();
    let pe: f64 = (0..q)
        .flat_map(|k| (0..q).map(move |l| (k, l)))
        .map(|(k, l)| w.get(k, l) * pi[k] * pi[l])
        .sum();
    let symmetric: Vec<f64> =
        (0..q).map(|k| (0..q).map(|l| (w.get(k, l) + w.get(l, k)) / 2.0 * pi[l]).sum()).collect();
    let unit_chance: Vec<f64> = t
        .counts
        .iter()
        .zip(&t.raters)
        .map(|((_, c), &r)| c.iter().zip(&symmetric).map(|(x, s)| x * s).sum::<f64>() / r)
        .collect();
    chance_corrected(&t, pe, Some(&unit_chance))
}

/// Scott's pi: for two raters, Fleiss' kappa of their ratings (Fleiss' kappa generalises
/// Scott's pi to more raters, and is the same number for two).
pub fn scott_pi(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let mut est = fleiss_kappa(ratings, w);
    let raters = ratings.active_raters().len();
    if raters != 2 && est.note.is_none() {
        est.note = Some(format!(
            "Scott's pi is defined for two raters; with {raters} it is Fleiss' kappa, its generalisation"
        ));
    }
    est
}

/// Gwet's AC1 (AC2 with weights other than the identity) (Gwet 2008, 2014):
/// `p_e = T_w / (q (q − 1)) Σ_k π_k (1 − π_k)`, with `T_w` the sum of the weights.
pub fn gwet_ac(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let t = UnitTable::new(ratings, w);
    let q = ratings.categories().len();
    if q < 2 {
        return chance_corrected(&t, 1.0, None);
    }
    let pi = t.classification();
    let scale = w.sum() / (q * (q - 1)) as f64;
    let pe = scale * pi.iter().map(|p| p * (1.0 - p)).sum::<f64>();
    let unit_chance: Vec<f64> = t
        .counts
        .iter()
        .zip(&t.raters)
        .map(|((_, c), &r)| scale * c.iter().zip(&pi).map(|(x, p)| x * (1.0 - p)).sum::<f64>() / r)
        .collect();
    chance_corrected(&t, pe, Some(&unit_chance))
}

/// Brennan & Prediger's coefficient (1981): chance agreement `T_w / q²` from the number of
/// categories alone (`1/q` unweighted), so its variance has no chance term.
pub fn brennan_prediger(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let t = UnitTable::new(ratings, w);
    let q = ratings.categories().len();
    let pe = if q >= 2 { w.sum() / (q * q) as f64 } else { 1.0 };
    chance_corrected(&t, pe, None)
}
