//! Inter-rater reliability of ratings at every level of measurement: percent agreement,
//! Cohen's kappa, Scott's pi, Fleiss' kappa, Conger's kappa, Brennan & Prediger, Gwet's
//! AC1/AC2 and Krippendorff's alpha, each with the standard error and 95% interval of
//! Gwet (2014) as the irrCAC packages compute them, the observed and chance agreement
//! behind it, and for alpha a bootstrap interval.
//!
//! The input is a [`Ratings`] matrix (units × raters, a missing rating is `None`); weights
//! are a [`WeightMatrix`], from a [`WeightScheme`] or a CSV file ([`read_weight_matrix`]);
//! alpha takes a [`Level`] instead. A coefficient that cannot be computed has no value and
//! a `note` that says why.

mod alpha;
mod coefficients;
mod conger;
pub mod output;
mod ratings;
mod read;
#[cfg(test)]
mod tests;
mod weights;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

pub use alpha::{
    alpha_from_counts, alpha_weights, bootstrap_alpha, krippendorff_alpha,
    krippendorff_alpha_weighted, Bootstrap, Level,
};
pub use coefficients::{brennan_prediger, fleiss_kappa, gwet_ac, percent_agreement, scott_pi};
pub use conger::{cohen_kappa, conger_kappa};
pub use ratings::{Categories, Ratings};
pub use read::read_ratings;
pub use weights::{read_weight_matrix, WeightMatrix, WeightScheme};

use crate::error::Result;

/// One coefficient with its precision: every part is `None` where it is undefined, and
/// `note` then says why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Estimate {
    /// The coefficient.
    pub value: Option<f64>,
    /// Its standard error.
    pub se: Option<f64>,
    /// The 95% interval `value ± t(0.975, n − 1) · se`, the upper bound capped at 1.
    pub ci95: Option<(f64, f64)>,
    /// The observed agreement `p_a`.
    pub observed: Option<f64>,
    /// The chance agreement `p_e`.
    pub expected: Option<f64>,
    /// A percentile bootstrap interval, when one was asked for (alpha).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap95: Option<(f64, f64)>,
    /// Why a part is undefined, or what to know about the value.
    pub note: Option<String>,
}

impl Estimate {
    /// A coefficient that cannot be computed, and why.
    pub fn undefined(note: &str) -> Estimate {
        Estimate { note: Some(note.to_string()), ..Estimate::default() }
    }
}

/// The 95% interval of irrCAC: `value ± t(0.975, df) · se`, the upper bound capped at 1.
pub(crate) fn interval(value: f64, se: f64, df: f64) -> (f64, f64) {
    let t = StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(0.975));
    (value - t * se, (value + t * se).min(1.0))
}

/// What to compute: the weights of the kappa-type coefficients, alpha's level, and the
/// bootstrap of alpha.
#[derive(Debug, Clone)]
pub struct Options {
    /// Agreement weights of every coefficient but alpha.
    pub weights: WeightMatrix,
    /// Alpha's level of measurement.
    pub level: Level,
    /// Bootstrap resamples of alpha (0: none), and the seed.
    pub bootstrap: (usize, u64),
}

/// Every coefficient, keyed as in qualkit's JSON output, in the order reports list them.
pub fn all_coefficients(
    ratings: &Ratings,
    options: &Options,
) -> Result<Vec<(&'static str, Estimate)>> {
    let w = &options.weights;
    let ac = if w.is_identity() { "gwet_ac1" } else { "gwet_ac2" };
    let mut alpha = krippendorff_alpha(ratings, options.level)?;
    let (replicates, seed) = options.bootstrap;
    if replicates > 0 {
        alpha.bootstrap95 = bootstrap_alpha(ratings, options.level, replicates, seed)?.ci95;
    }
    Ok(vec![
        ("percent_agreement", percent_agreement(ratings, w)),
        ("cohen_kappa", cohen_kappa(ratings, w)),
        ("scott_pi", scott_pi(ratings, w)),
        ("fleiss_kappa", fleiss_kappa(ratings, w)),
        ("conger_kappa", conger_kappa(ratings, w)),
        ("brennan_prediger", brennan_prediger(ratings, w)),
        (ac, gwet_ac(ratings, w)),
        ("krippendorff_alpha", alpha),
    ])
}
