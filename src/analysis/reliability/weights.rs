//! Agreement weights between categories, as Gwet (2014, ch. 3) and irrCAC define them, and
//! a reader of a weight matrix from a CSV file.

use std::path::Path;

use super::ratings::{parse_number, Categories};
use crate::error::{Error, Result};

/// A square matrix of agreement weights: `1` on the diagonal, between `0` and `1` elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightMatrix(Vec<Vec<f64>>);

impl WeightMatrix {
    /// The identity weights of `q` categories (unweighted agreement).
    pub fn identity(q: usize) -> WeightMatrix {
        WeightMatrix(
            (0..q).map(|k| (0..q).map(|l| f64::from(u8::from(k == l))).collect()).collect(),
        )
    }

    /// A matrix from its rows; it must be square.
    pub fn new(rows: Vec<Vec<f64>>) -> Result<WeightMatrix> {
        let q = rows.len();
        if let Some(row) = rows.iter().find(|r| r.len() != q) {
            return Err(Error::Usage(format!(
                "a weight matrix must be square: {q} rows, and a row of {} values",
                row.len()
            )));
        }
        Ok(WeightMatrix(rows))
    }

    /// The number of categories.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the matrix has no category.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The weight of categories `k` and `l`.
    pub fn get(&self, k: usize, l: usize) -> f64 {
        self.0[k][l]
    }

    /// The rows.
    pub fn rows(&self) -> &[Vec<f64>] {
        &self.0
    }

    /// The sum of all weights.
    pub fn sum(&self) -> f64 {
        self.0.iter().flatten().sum()
    }

    /// Whether these are the identity weights.
    pub fn is_identity(&self) -> bool {
        *self == WeightMatrix::identity(self.len())
    }

    /// `1 − d / max d` for a matrix of distances `d` (the identity when every distance is 0).
    fn from_distances(d: Vec<Vec<f64>>) -> WeightMatrix {
        let max = d.iter().flatten().fold(0.0_f64, |m, &x| m.max(x));
        if max <= 0.0 {
            return WeightMatrix::identity(d.len());
        }
        WeightMatrix(
            d.into_iter().map(|row| row.into_iter().map(|x| 1.0 - x / max).collect()).collect(),
        )
    }
}

/// The named weighting schemes of Gwet (2014) and irrCAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightScheme {
    /// Unweighted: full credit for the same category only.
    Identity,
    /// `1 − |x_k − x_l| / (x_max − x_min)`.
    Linear,
    /// `1 − (x_k − x_l)² / (x_max − x_min)²`.
    Quadratic,
    /// From the number of categories between `k` and `l`, ranks only.
    Ordinal,
    /// `1 − √|x_k − x_l| / √(x_max − x_min)`.
    Radical,
    /// `1 − ((x_k − x_l)/(x_k + x_l))² / ((x_max − x_min)/(x_max + x_min))²`.
    Ratio,
    /// `sin²(π (x_k − x_l) / (x_max − x_min + 1))`, rescaled.
    Circular,
    /// `(x_k − x_l)² / ((x_k + x_l − 2 x_min)(2 x_max − x_k − x_l))`, rescaled.
    Bipolar,
}

impl WeightScheme {
    /// Every scheme, in the order the documentation lists them.
    pub const ALL: [WeightScheme; 8] = [
        WeightScheme::Identity,
        WeightScheme::Linear,
        WeightScheme::Quadratic,
        WeightScheme::Ordinal,
        WeightScheme::Radical,
        WeightScheme::Ratio,
        WeightScheme::Circular,
        WeightScheme::Bipolar,
    ];

    /// The scheme's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            WeightScheme::Identity => "identity",
            WeightScheme::Linear => "linear",
            WeightScheme::Quadratic => "quadratic",
            WeightScheme::Ordinal => "ordinal",
            WeightScheme::Radical => "radical",
            WeightScheme::Ratio => "ratio",
            WeightScheme::Circular => "circular",
            WeightScheme::Bipolar => "bipolar",
        }
    }

    /// The scheme called `name` ("unweighted" is the identity).
    pub fn parse(name: &str) -> Result<WeightScheme> {
        let name = name.trim().to_ascii_lowercase();
        if name == "unweighted" || name == "none" {
            return Ok(WeightScheme::Identity);
        }
        WeightScheme::ALL.into_iter().find(|s| s.name() == name).ok_or_else(|| {
            let names: Vec<&str> = WeightScheme::ALL.iter().map(|s| s.name()).collect();
            Error::Usage(format!(
                "unknown weights '{name}': expected one of {}, or a weight matrix with --weights-file",
                names.join(", ")
            ))
        })
    }

    /// The weights of this scheme for `categories` (their numeric values, else their ranks).
    pub fn matrix(self, categories: &Categories) -> Result<WeightMatrix> {
        let x = categories.positions();
        let q = x.len();
        if q < 2 || self == WeightScheme::Identity {
            return Ok(WeightMatrix::identity(q));
        }
        let (min, max) =
            x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        if max <= min {
            return Err(Error::Usage("the categories have no spread of values to weigh".into()));
        }
        if self == WeightScheme::Ratio && x.iter().any(|&v| v <= 0.0) {
            return Err(Error::Usage(
                "ratio weights need positive category values (a 0 would divide by zero); use another scheme or recode the scale from 1".into(),
            ));
        }
        let f = |k: usize, l: usize| self.distance(x[k], x[l], k, l, min, max);
        let d: Vec<Vec<f64>> = (0..q).map(|k| (0..q).map(|l| f(k, l)).collect()).collect();
        Ok(WeightMatrix::from_distances(d))
    }

    /// The scheme's disagreement between two categories (rescaled to weights afterwards).
    fn distance(self, a: f64, b: f64, k: usize, l: usize, min: f64, max: f64) -> f64 {
        let range = max - min;
        match self {
            WeightScheme::Identity => f64::from(u8::from(k != l)),
            WeightScheme::Linear => (a - b).abs() / range,
            WeightScheme::Quadratic => ((a - b) / range).powi(2),
            WeightScheme::Ordinal => {
                let n = k.abs_diff(l) as f64 + 1.0;
                n * (n - 1.0) / 2.0
            }
            WeightScheme::Radical => (a - b).abs().sqrt() / range.sqrt(),
            WeightScheme::Ratio => ((a - b) / (a + b)).powi(2) / (range / (max + min)).powi(2),
            WeightScheme::Circular => {
                (std::f64::consts::PI * (a - b) / (range + 1.0)).sin().powi(2)
            }
            WeightScheme::Bipolar if k == l => 0.0,
            WeightScheme::Bipolar => (a - b).powi(2) / ((a + b - 2.0 * min) * (2.0 * max - a - b)),
        }
    }
}

/// Reads a weight matrix of `q` categories from a CSV file: one row per category and one
/// column per category, in category order. A first row of labels and a first column of
/// labels are allowed and skipped.
pub fn read_weight_matrix(path: &Path, q: usize) -> Result<WeightMatrix> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?;
    let mut rows = Vec::new();
    let lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    for (n, (i, line)) in lines.enumerate() {
        let cells: Vec<&str> = line.split([',', ';', '\t']).map(str::trim).collect();
        let labelled = cells.first().is_some_and(|c| parse_number(c).is_none());
        let header = cells.first().is_some_and(|c| c.is_empty())
            || cells.len() > 1 && cells.iter().skip(1).all(|c| parse_number(c).is_none());
        if n == 0 && header {
            continue; // a header of category labels
        }
        let values = &cells[usize::from(labelled)..];
        let row = weight_row(path, i + 1, values)?;
        rows.push((i + 1, row));
    }
    check_square(path, &rows, q)?;
    WeightMatrix::new(rows.into_iter().map(|(_, r)| r).collect())
}

/// One row of numbers of a weight file.
fn weight_row(path: &Path, line: usize, cells: &[&str]) -> Result<Vec<f64>> {
    cells
        .iter()
        .enumerate()
        .map(|(c, cell)| {
            parse_number(cell).ok_or_else(|| {
                Error::coding(
                    path,
                    Some(line),
                    format!(
                        "weight {} is '{cell}', not a number: a weight matrix holds numbers between 0 and 1",
                        c + 1
                    ),
                )
            })
        })
        .collect()
}

/// Checks that the rows read form a `q × q` matrix.
fn check_square(path: &Path, rows: &[(usize, Vec<f64>)], q: usize) -> Result<()> {
    if let Some((line, row)) = rows.iter().find(|(_, r)| r.len() != q) {
        return Err(Error::coding(
            path,
            Some(*line),
            format!("this row has {} weights; expected {q}, one per category", row.len()),
        ));
    }
    if rows.len() != q {
        return Err(Error::coding(
            path,
            None,
            format!(
                "{} rows of weights; expected a square matrix of {q} rows, one per category in category order",
                rows.len()
            ),
        ));
    }
    Ok(())
}
