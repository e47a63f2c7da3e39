//! Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability")
//! at the nominal, ordinal, interval and ratio levels, its standard error as irrCAC
//! computes it (Gwet 2014), and a bootstrap interval over units with a fixed seed.

use super::coefficients::{with_interval, UnitTable};
use super::ratings::Ratings;
use super::weights::WeightMatrix;
use super::Estimate;
use crate::error::{Error, Result};

/// A level of measurement: the difference function `δ²` of alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `δ² = 0` for the same category, `1` otherwise.
    Nominal,
    /// `δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)²`, from the ranks and the marginals.
    Ordinal,
    /// `δ²_ck = (c − k)²`.
    Interval,
    /// `δ²_ck = ((c − k) / (c + k))²`.
    Ratio,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 4] = [Level::Nominal, Level::Ordinal, Level::Interval, Level::Ratio];

    /// The level's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Level::Nominal => "nominal",
            Level::Ordinal => "ordinal",
            Level::Interval => "interval",
            Level::Ratio => "ratio",
        }
    }

    /// The level called `name`.
    pub fn parse(name: &str) -> Result<Level> {
        let name = name.trim().to_ascii_lowercase();
        Level::ALL.into_iter().find(|l| l.name() == name).ok_or_else(|| {
            Error::Usage(format!(
                "unknown level '{name}': expected nominal, ordinal, interval or ratio"
            ))
        })
    }
}

/// The pairable units' values per category `n_c` (the coincidence marginals).
fn marginals(counts: &[&Vec<f64>], q: usize) -> Vec<f64> {
    let mut n = vec![0.0; q];
    for c in counts.iter().filter(|c| c.iter().sum::<f64>() >= 2.0) {
        n.iter_mut().zip(c.iter()).for_each(|(t, x)| *t += x);
    }
    n
}

/// The difference function `δ²_ck` of `level` for categories at `x` with marginals `n`.
fn differences(level: Level, x: &[f64], n: &[f64]) -> Vec<Vec<f64>> {
    let q = x.len();
    let delta = |c: usize, k: usize| match level {
        Level::Nominal => f64::from(u8::from(c != k)),
        Level::Ordinal => {
            let (lo, hi) = (c.min(k), c.max(k));
            (n[lo..=hi].iter().sum::<f64>() - (n[c] + n[k]) / 2.0).powi(2)
        }
        Level::Interval => (x[c] - x[k]).powi(2),
        Level::Ratio if x[c] + x[k] == 0.0 => 0.0,
        Level::Ratio => ((x[c] - x[k]) / (x[c] + x[k])).powi(2),
    };
    (0..q).map(|c| (0..q).map(|k| delta(c, k)).collect()).collect()
}

/// Checks that `ratings` can be analysed at `level`; the category positions to use.
fn positions(ratings: &Ratings, level: Level) -> Result<Vec<f64>> {
    let categories = ratings.categories();
    match (level, categories.values()) {
        (Level::Interval | Level::Ratio, None) => Err(Error::Usage(format!(
            "the {} level needs numeric values, and the categories are labels ({}); use --level nominal or ordinal",
            level.name(),
            categories.labels().join(", ")
        ))),
        (Level::Ratio, Some(v)) if v.iter().any(|&x| x < 0.0) => Err(Error::Usage(
            "the ratio level needs values of 0 or more; a scale with negative values is interval".into(),
        )),
        _ => Ok(categories.positions()),
    }
}

/// The agreement weights `1 − δ²/max δ²` that make the weighted alpha of irrCAC equal to
/// Krippendorff's alpha at `level`.
pub fn alpha_weights(ratings: &Ratings, level: Level) -> Result<WeightMatrix> {
    let x = positions(ratings, level)?;
    let mut n = vec![0.0; x.len()];
    for (row, c) in ratings.counts().iter().filter(|(_, c)| c.iter().sum::<f64>() >= 2.0) {
        n.iter_mut().zip(c).for_each(|(t, x)| *t += ratings.weight(*row) * x);
    }
    Ok(weights_from(&differences(level, &x, &n)))
}

/// `1 − d / max d`, the identity when every difference is 0.
fn weights_from(d: &[Vec<f64>]) -> WeightMatrix {
    let max = d.iter().flatten().fold(0.0_f64, |m, &v| m.max(v));
    if max <= 0.0 {
        return WeightMatrix::identity(d.len());
    }
    let rows = d.iter().map(|r| r.iter().map(|v| 1.0 - v / max).collect()).collect();
    WeightMatrix::new(rows).unwrap_or_else(|_| WeightMatrix::identity(d.len()))
}

/// Krippendorff's alpha at `level`, with its standard error and interval.
pub fn krippendorff_alpha(ratings: &Ratings, level: Level) -> Result<Estimate> {
    Ok(krippendorff_alpha_weighted(ratings, &alpha_weights(ratings, level)?))
}

/// Krippendorff's alpha with agreement weights `w`, as irrCAC computes it (Gwet 2014):
/// over the units with two or more ratings, `p_a = (1 − ε) p'_a + ε` with `ε = 1/Σ r_i`,
/// `p_e = Σ_kl w_kl π_k π_l` with `π_k = (1/n) Σ_i r_ik / r̄`.
pub fn krippendorff_alpha_weighted(ratings: &Ratings, w: &WeightMatrix) -> Estimate {
    let t = retain_paired(UnitTable::new(ratings, w));
    let n = t.n();
    if t.counts.is_empty() {
        return Estimate::undefined("no unit was rated by two or more raters");
    }
    let weighted =
        |f: &dyn Fn(usize) -> f64| (0..t.counts.len()).map(|i| t.weights[i] * f(i)).sum::<f64>();
    let values = weighted(&|i| t.raters[i]);
    let (mean, epsilon) = (values / n, 1.0 / values);
    let unit_pa: Vec<f64> =
        t.agreeing.iter().zip(&t.raters).map(|(a, r)| a / (mean * (r - 1.0))).collect();
    let pa_prime = weighted(&|i| unit_pa[i]) / n;
    let pa = (1.0 - epsilon) * pa_prime + epsilon;
    let q = w.len();
    let pi: Vec<f64> = (0..q).map(|k| weighted(&|i| t.counts[i].1[k]) / values).collect();
    let pe: f64 = (0..q).map(|k| (0..q).map(|l| w.get(k, l) * pi[k] * pi[l]).sum::<f64>()).sum();
    let mut est = Estimate { observed: Some(pa), expected: Some(pe), ..Estimate::default() };
    if pe >= 1.0 - 1e-12 {
        est.note = Some("chance agreement is 1: every rating is the same category".into());
        return est;
    }
    let alpha = (pa - pe) / (1.0 - pe);
    est.value = Some(alpha);
    let prime = (pa_prime - pe) / (1.0 - pe);
    let linearised = alpha_linearised(&t, w, &pi, (pa, pe, mean, prime), &unit_pa);
    let mut est = with_interval(est, prime, &linearised, &t.weights);
    if let (Some(se), Some(_)) = (est.se, est.ci95) {
        est.ci95 = Some(super::interval(alpha, se, n - 1.0));
    }
    est
}

/// The units of `t` with two or more ratings.
fn retain_paired(t: UnitTable) -> UnitTable {
    let mut out = UnitTable {
        counts: Vec::new(),
        raters: Vec::new(),
        agreeing: Vec::new(),
        weights: Vec::new(),
    };
    let rows = t.counts.into_iter().zip(t.raters).zip(t.agreeing).zip(t.weights);
    for (((c, r), a), w) in rows.filter(|(((_, r), _), _)| *r >= 2.0) {
        out.counts.push(c);
        out.raters.push(r);
        out.agreeing.push(a);
        out.weights.push(w);
    }
    out
}

/// Each unit's linearised alpha (irrCAC's `krippen.ivec.x`).
fn alpha_linearised(
    t: &UnitTable,
    w: &WeightMatrix,
    pi: &[f64],
    (pa, pe, mean, prime): (f64, f64, f64, f64),
    unit_pa: &[f64],
) -> Vec<f64> {
    let q = pi.len();
    let symmetric: Vec<f64> =
        (0..q).map(|k| (0..q).map(|l| (w.get(k, l) + w.get(l, k)) / 2.0 * pi[l]).sum()).collect();
    t.counts
        .iter()
        .zip(&t.raters)
        .zip(unit_pa)
        .map(|(((_, c), &r), &upa)| {
            let pa_i = upa - pa * (r - mean) / mean;
            let kappa_i = (pa_i - pe) / (1.0 - pe);
            let chance: f64 = c.iter().zip(&symmetric).map(|(x, s)| x * s).sum::<f64>() / mean;
            let pe_i = chance - pe * (r - mean) / mean;
            kappa_i - 2.0 * (1.0 - prime) * (pe_i - pe) / (1.0 - pe)
        })
        .collect()
}

/// Krippendorff's alpha from the coincidence matrix, `1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck`,
/// of units given as raters per category (units with fewer than two values are not pairable).
pub fn alpha_from_counts(counts: &[&Vec<f64>], level: Level, x: &[f64]) -> Option<f64> {
    let q = x.len();
    let n = marginals(counts, q);
    let d = differences(level, x, &n);
    let mut observed = 0.0;
    for c in counts.iter().filter(|c| c.iter().sum::<f64>() >= 2.0) {
        let m: f64 = c.iter().sum();
        for a in 0..q {
            for b in (0..q).filter(|&b| b != a) {
                observed += c[a] * c[b] * d[a][b] / (m - 1.0);
            }
        }
    }
    let total: f64 = n.iter().sum();
    let expected: f64 = (0..q).map(|a| (0..q).map(|b| n[a] * n[b] * d[a][b]).sum::<f64>()).sum();
    (expected > 0.0 && total >= 2.0).then(|| 1.0 - (total - 1.0) * observed / expected)
}

/// A percentile bootstrap interval of alpha.
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    /// Resamples drawn.
    pub replicates: usize,
    /// Resamples whose alpha was undefined (left out of the percentiles).
    pub undefined: usize,
    /// The 2.5th and 97.5th percentiles.
    pub ci95: Option<(f64, f64)>,
}

/// The 95% percentile interval of alpha at `level` over `replicates` resamples of the
/// pairable units with replacement, drawn from a SplitMix64 stream seeded with `seed`: the
/// same data and seed give the same interval on every machine.
pub fn bootstrap_alpha(
    ratings: &Ratings,
    level: Level,
    replicates: usize,
    seed: u64,
) -> Result<Bootstrap> {
    let x = positions(ratings, level)?;
    let counts = ratings.counts();
    let pairable = counts.iter().filter(|(_, c)| c.iter().sum::<f64>() >= 2.0);
    let units: Vec<&Vec<f64>> = pairable
        .flat_map(|(row, c)| std::iter::repeat_n(c, ratings.weight(*row) as usize))
        .collect();
    let mut rng = SplitMix64(seed);
    let mut values = Vec::with_capacity(replicates);
    let mut sample = Vec::with_capacity(units.len());
    for _ in 0..replicates {
        sample.clear();
        sample.extend((0..units.len()).map(|_| units[rng.below(units.len())]));
        if let Some(a) = alpha_from_counts(&sample, level, &x) {
            values.push(a);
        }
    }
    values.sort_by(f64::total_cmp);
    let ci95 =
        (!values.is_empty()).then(|| (percentile(&values, 0.025), percentile(&values, 0.975)));
    Ok(Bootstrap { replicates, undefined: replicates - values.len(), ci95 })
}

/// The `p` quantile of sorted `values`, interpolated between order statistics.
fn percentile(values: &[f64], p: f64) -> f64 {
    let h = (values.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, reproducible stream.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (Lemire's multiply-shift).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}
