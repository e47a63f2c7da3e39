//! Conger's kappa (Conger 1980) for any number of raters, and Cohen's kappa (Cohen 1960;
//! weighted: Cohen 1968) as its two-rater case, with missing ratings and the variance of
//! Gwet (2014) as irrCAC computes them.

use super::coefficients::{chance_corrected, UnitTable};
use super::ratings::Ratings;
use super::weights::WeightMatrix;
use super::Estimate;

/// Each rater's classification probabilities `p_gk` (over the units the rater rated) and
/// the number of units each rated.
struct RaterMarginals {
    /// The raters, as columns of the ratings matrix.
    raters: Vec<usize>,
    /// `p_gk`.
    p: Vec<Vec<f64>>,
    /// `n_g`.
    rated: Vec<f64>,
}

impl RaterMarginals {
    fn new(ratings: &Ratings) -> RaterMarginals {
        let raters = ratings.active_raters();
        let q = ratings.categories().len();
        let mut p = vec![vec![0.0; q]; raters.len()];
        let mut rated = vec![0.0; raters.len()];
        for (i, row) in ratings.cells().iter().enumerate() {
            for (g, &col) in raters.iter().enumerate() {
                if let Some(k) = row[col] {
                    p[g][k] += ratings.weight(i);
                    rated[g] += ratings.weight(i);
                }
            }
        }
        for (row, &n) in p.iter_mut().zip(&rated) {
            row.iter_mut().for_each(|x| *x /= n);
        }
        RaterMarginals { raters, p, rated }
    }

    /// `p̄_k`, the mean over raters.
    fn mean(&self) -> Vec<f64> {
        let r = self.p.len() as f64;
        let q = self.p.first().map_or(0, Vec::len);
        (0..q).map(|k| self.p.iter().map(|row| row[k]).sum::<f64>() / r).collect()
    }
}

/// Conger's chance agreement `Σ_kl w_kl (p̄_k p̄_l − s²_kl / r)`, with `s²_kl` the covariance
/// of the raters' `p_gk` and `p_gl`.
fn conger_chance(m: &RaterMarginals, w: &WeightMatrix) -> f64 {
    let r = m.p.len() as f64;
    let mean = m.mean();
    let q = mean.len();
    let mut pe = 0.0;
    for k in 0..q {
        for l in 0..q {
            let cross: f64 = m.p.iter().map(|row| row[k] * row[l]).sum();
            let s2 = (cross - r * mean[k] * mean[l]) / (r - 1.0);
            pe += w.get(k, l) * (mean[k] * mean[l] - s2 / r);
        }
    }
    pe
}

/// Each unit's chance-agreement term `pe_i` of the linearised variance (Gwet 2014, eq. of
/// Conger's kappa; irrCAC's `lambda_ig`).
fn unit_chance(ratings: &Ratings, t: &UnitTable, m: &RaterMarginals, w: &WeightMatrix) -> Vec<f64> {
    let (r, n) = (m.p.len() as f64, t.n());
    let mean = m.mean();
    let cells = ratings.cells();
    t.counts
        .iter()
        .map(|(row, _)| {
            let lambda: f64 = (m.raters.iter().enumerate())
                .map(|(g, &col)| rater_term(cells[*row][col], g, m, w, &mean, n))
                .sum();
            lambda / (r * (r - 1.0))
        })
        .collect()
}

/// Rater `g`'s term `λ_ig` on a unit it gave `rating` (`None`: did not rate), over `n` units.
fn rater_term(
    rating: Option<usize>,
    g: usize,
    m: &RaterMarginals,
    w: &WeightMatrix,
    mean: &[f64],
    n: f64,
) -> f64 {
    let r = m.p.len() as f64;
    let rated = f64::from(u8::from(rating.is_some()));
    let share = m.rated[g] / n;
    let p = &m.p[g];
    (mean.iter().enumerate())
        .map(|(k, &mean_k)| {
            let inner: f64 = (p.iter().enumerate())
                .map(|(l, &p_l)| {
                    let delta = f64::from(u8::from(rating == Some(l)));
                    w.get(k, l) * (delta - (rated - share) * p_l)
                })
                .sum();
            inner * (n / m.rated[g]) * (r * mean_k - p[k])
        })
        .sum()
}

/// Conger's kappa: Fleiss' observed agreement, and the mean of the pairwise Cohen-type
/// chance agreements.
pub fn conger_kappa(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let m = RaterMarginals::new(ratings);
    if m.raters.len() < 2 {
        return Estimate::undefined("agreement needs two or more raters who rated something");
    }
    let t = UnitTable::new(ratings, w);
    let pe = conger_chance(&m, w);
    let chance = unit_chance(ratings, &t, &m, w);
    chance_corrected(&t, pe, Some(&chance))
}

/// Cohen's kappa of exactly two raters (weighted when `w` is): Conger's kappa of two raters,
/// `p_e = Σ_kl w_kl p_1k p_2l` from each rater's own marginals.
pub fn cohen_kappa(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let raters = ratings.active_raters().len();
    if raters != 2 {
        return Estimate::undefined(&format!(
            "Cohen's kappa is for exactly two raters, and there are {raters}: report Conger's kappa, its generalisation"
        ));
    }
    conger_kappa(ratings, w)
}
