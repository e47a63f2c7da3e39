//! Statistics for comparing groups: log-likelihood keyness (G², Dunning 1993; Rayson &
//! Garside 2000), the log ratio effect size (Hardie 2014), Pearson's chi-square test of
//! independence with standardized residuals, and p-values from the chi-square distribution
//! (statrs).

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The upper-tail p-value of `statistic` under a chi-square distribution with `df` degrees of
/// freedom (1 when the statistic is not positive or `df` is 0).
pub fn chi_square_p(statistic: f64, df: f64) -> f64 {
    if statistic.is_nan() || statistic <= 0.0 || df.is_nan() || df <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(dist) => dist.sf(statistic),
        Err(_) => 1.0,
    }
}

/// Log-likelihood G² for a count `a` in a corpus of `c` words against `b` in `d` words (the
/// two-corpus keyness statistic of Rayson & Garside 2000): `2 Σ O ln(O/E)` over the two
/// cells, with `E1 = c(a+b)/(c+d)`, `E2 = d(a+b)/(c+d)`. Zero counts contribute nothing.
pub fn log_likelihood(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c <= 0.0 || d <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, e1) + term(b, e2))
}

/// Log ratio (Hardie 2014): `log2((a/c) / (b/d))`, the binary log of the ratio of relative
/// frequencies. A zero count is replaced by 0.5 so the ratio stays finite.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c <= 0.0 || d <= 0.0 {
        return 0.0;
    }
    let a = if a > 0.0 { a } else { 0.5 };
    let b = if b > 0.0 { b } else { 0.5 };
    ((a / c) / (b / d)).log2()
}

/// A chi-square test of independence on an `r × k` table of observed counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    /// Pearson's X² statistic.
    pub statistic: f64,
    /// Degrees of freedom, `(r-1)(k-1)` over the rows and columns with a non-zero total.
    pub df: usize,
    /// Upper-tail p-value.
    pub p: f64,
    /// Expected counts under independence, same shape as the table.
    pub expected: Vec<Vec<f64>>,
    /// Adjusted standardized residuals (Agresti): `(O-E) / sqrt(E (1-row/n) (1-col/n))`;
    /// beyond ±1.96 a cell departs from independence at the 5 % level.
    pub residuals: Vec<Vec<f64>>,
    /// Cells whose expected count is below 5.
    pub low_expected: usize,
}

/// Pearson's chi-square test of independence. Rows or columns whose total is zero are left
/// out of the degrees of freedom (their residuals are 0).
pub fn chi_square(table: &[Vec<f64>]) -> ChiSquare {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let row_totals: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..cols).map(|j| table.iter().map(|r| r[j]).sum()).collect();
    let n: f64 = row_totals.iter().sum();
    let mut expected = vec![vec![0.0; cols]; rows];
    let mut residuals = vec![vec![0.0; cols]; rows];
    let mut statistic = 0.0;
    let mut low_expected = 0;
    if n > 0.0 {
        for i in 0..rows {
            for j in 0..cols {
                let e = row_totals[i] * col_totals[j] / n;
                expected[i][j] = e;
                if e > 0.0 {
                    let o = table[i][j];
                    statistic += (o - e) * (o - e) / e;
                    let v = e * (1.0 - row_totals[i] / n) * (1.0 - col_totals[j] / n);
                    residuals[i][j] = if v > 0.0 { (o - e) / v.sqrt() } else { 0.0 };
                    if e < 5.0 {
                        low_expected += 1;
                    }
                }
            }
        }
    }
    let live_rows = row_totals.iter().filter(|&&t| t > 0.0).count();
    let live_cols = col_totals.iter().filter(|&&t| t > 0.0).count();
    let df = live_rows.saturating_sub(1) * live_cols.saturating_sub(1);
    ChiSquare {
        statistic,
        df,
        p: chi_square_p(statistic, df as f64),
        expected,
        residuals,
        low_expected,
    }
}

/// Bonferroni adjustment: `p × tests`, capped at 1.
pub fn bonferroni(p: f64, tests: usize) -> f64 {
    (p * tests.max(1) as f64).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn chi_square_p_values_match_tables() {
        // Critical values of the chi-square distribution (any statistics table).
        assert!(close(chi_square_p(3.841_459, 1.0), 0.05, 1e-6));
        assert!(close(chi_square_p(6.634_897, 1.0), 0.01, 1e-6));
        assert!(close(chi_square_p(10.827_566, 1.0), 0.001, 1e-6));
        assert!(close(chi_square_p(5.991_465, 2.0), 0.05, 1e-6));
        assert_eq!(chi_square_p(0.0, 1.0), 1.0);
    }

    #[test]
    fn log_likelihood_matches_the_ucrel_calculator() {
        // Rayson's log-likelihood calculator (ucrel.lancs.ac.uk/llwizard.html): a word seen
        // 100 times in 1,000,000 words against 50 times in 1,000,000 words gives LL 16.99;
        // 10 in 10,000 against 0 in 10,000 gives 13.86 (= 20 ln 2).
        assert!(close(log_likelihood(100.0, 50.0, 1e6, 1e6), 16.99, 0.005));
        assert!(close(log_likelihood(10.0, 0.0, 1e4, 1e4), 20.0 * 2f64.ln(), 1e-9));
        assert_eq!(log_likelihood(0.0, 0.0, 10.0, 10.0), 0.0);
        // Symmetric in the two corpora.
        assert!(close(
            log_likelihood(7.0, 3.0, 500.0, 900.0),
            log_likelihood(3.0, 7.0, 900.0, 500.0),
            1e-12
        ));
    }

    #[test]
    fn log_ratio_is_the_binary_log_of_relative_frequencies() {
        assert!(close(log_ratio(100.0, 50.0, 1e6, 1e6), 1.0, 1e-12));
        assert!(close(log_ratio(10.0, 40.0, 1000.0, 1000.0), -2.0, 1e-12));
        assert!(close(log_ratio(4.0, 0.0, 100.0, 100.0), 3.0, 1e-12), "zero becomes 0.5");
    }

    #[test]
    fn chi_square_matches_a_worked_example() {
        // Agresti, Categorical Data Analysis (2nd ed.), Table 3.2: gender gap in party
        // identification (Democrat, Independent, Republican). X² = 30.07, df = 2; adjusted
        // residuals 4.50, 0.70, -5.32 for females.
        let table = vec![vec![762.0, 327.0, 468.0], vec![484.0, 239.0, 477.0]];
        let test = chi_square(&table);
        assert!(close(test.statistic, 30.07, 0.01), "{}", test.statistic);
        assert_eq!(test.df, 2);
        assert!(test.p < 1e-6);
        let r = &test.residuals[0];
        assert!(
            close(r[0], 4.50, 0.01) && close(r[1], 0.70, 0.01) && close(r[2], -5.32, 0.01),
            "{r:?}"
        );
        assert!(close(test.residuals[1][0], -4.50, 0.01));
        assert_eq!(test.low_expected, 0);
    }

    #[test]
    fn empty_rows_do_not_count_as_degrees_of_freedom() {
        let test = chi_square(&[vec![3.0, 1.0, 0.0], vec![1.0, 3.0, 0.0]]);
        assert_eq!(test.df, 1);
        assert_eq!(test.low_expected, 4);
        assert!(close(test.statistic, 2.0, 1e-12));
    }

    #[test]
    fn bonferroni_caps_at_one() {
        assert_eq!(bonferroni(0.01, 5), 0.05);
        assert_eq!(bonferroni(0.4, 5), 1.0);
    }
}
