//! The ratings matrix: units × raters, each cell the index of a category or nothing (the
//! rater did not rate the unit), with the ordered categories behind the indices.

use crate::error::{Error, Result};

/// The ordered categories of a rating scale, with their numeric values when every label is
/// a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Categories {
    labels: Vec<String>,
    values: Option<Vec<f64>>,
}

impl Categories {
    /// Categories in the given order; numeric values are read from the labels when every
    /// label is a number.
    pub fn new(labels: Vec<String>) -> Categories {
        let values: Option<Vec<f64>> = labels.iter().map(|l| parse_number(l)).collect();
        Categories { labels, values: values.filter(|v| !v.is_empty()) }
    }

    /// The categories of `labels` in order of first appearance, or in numeric order when
    /// every label is a number.
    pub fn from_appearance<'a>(labels: impl IntoIterator<Item = &'a str>) -> Categories {
        let mut seen: Vec<String> = Vec::new();
        for label in labels {
            if !seen.iter().any(|s| s == label) {
                seen.push(label.to_string());
            }
        }
        if seen.iter().all(|l| parse_number(l).is_some()) {
            seen.sort_by(|a, b| {
                let (x, y) = (parse_number(a).unwrap_or(0.0), parse_number(b).unwrap_or(0.0));
                x.total_cmp(&y)
            });
        }
        Categories::new(seen)
    }

    /// How many categories there are.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The labels, in order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The numeric values, when every label is a number.
    pub fn values(&self) -> Option<&[f64]> {
        self.values.as_deref()
    }

    /// The positions the weights are computed from: the numeric values when there are,
    /// else `1, 2, …, q` (as irrCAC does for labels).
    pub fn positions(&self) -> Vec<f64> {
        match &self.values {
            Some(v) => v.clone(),
            None => (1..=self.labels.len()).map(|i| i as f64).collect(),
        }
    }

    /// The index of `label`, if it is one of the categories.
    pub fn index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label).or_else(|| {
            let x = parse_number(label)?;
            self.values.as_ref()?.iter().position(|&v| v == x)
        })
    }
}

/// A number as written in a ratings file ("3", "2.5", "-1").
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Ratings of units by raters: `cells[unit][rater]` is the index of a category, or `None`
/// where the rater did not rate the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    categories: Categories,
    raters: Vec<String>,
    units: Vec<String>,
    cells: Vec<Vec<Option<usize>>>,
    /// How many units each row stands for (1 unless pooled with [`Ratings::with_weights`]).
    weights: Vec<f64>,
}

impl Ratings {
    /// Ratings from a units × raters matrix of category indices.
    pub fn new(
        categories: Categories,
        raters: Vec<String>,
        units: Vec<String>,
        cells: Vec<Vec<Option<usize>>>,
    ) -> Result<Ratings> {
        if units.len() != cells.len() {
            return Err(Error::Usage(format!(
                "{} unit names for {} rows of ratings",
                units.len(),
                cells.len()
            )));
        }
        for (unit, row) in units.iter().zip(&cells) {
            if row.len() != raters.len() {
                return Err(Error::Usage(format!(
                    "unit '{unit}' has {} ratings for {} raters",
                    row.len(),
                    raters.len()
                )));
            }
            if row.iter().flatten().any(|&c| c >= categories.len()) {
                return Err(Error::Usage(format!("unit '{unit}' has an unknown category")));
            }
        }
        let weights = vec![1.0; cells.len()];
        Ok(Ratings { categories, raters, units, cells, weights })
    }

    /// The same ratings with each row standing for `weights[row]` identical units (a
    /// positive whole number: pooled units give the same coefficients as the units
    /// themselves).
    pub fn with_weights(mut self, weights: Vec<f64>) -> Result<Ratings> {
        if weights.len() != self.cells.len()
            || weights.iter().any(|&w| w.is_nan() || w < 1.0 || w.fract() != 0.0)
        {
            return Err(Error::Usage(format!(
                "{} unit weights for {} units; each weight is a whole number of units, 1 or more",
                weights.len(),
                self.cells.len()
            )));
        }
        self.weights = weights;
        Ok(self)
    }

    /// How many units row `row` stands for.
    pub fn weight(&self, row: usize) -> f64 {
        self.weights[row]
    }

    /// Ratings from labels (`None` for a missing rating), one row per unit and one column
    /// per rater, with the categories in `order` when given (every label must then be one
    /// of them), else in order of first appearance (numeric order for numbers).
    pub fn from_labels(rows: &[Vec<Option<&str>>], order: Option<&[String]>) -> Result<Ratings> {
        let raters = rows.iter().map(Vec::len).max().unwrap_or(0);
        let categories = match order {
            Some(order) => Categories::new(order.to_vec()),
            None => Categories::from_appearance(rows.iter().flatten().flatten().copied()),
        };
        let mut cells = Vec::with_capacity(rows.len());
        for (u, row) in rows.iter().enumerate() {
            let mut cell = vec![None; raters];
            for (r, label) in row.iter().enumerate() {
                if let Some(label) = label {
                    cell[r] = Some(categories.index(label).ok_or_else(|| {
                        Error::Usage(format!(
                            "unit {}: '{label}' is not one of the categories {}",
                            u + 1,
                            categories.labels().join(", ")
                        ))
                    })?);
                }
            }
            cells.push(cell);
        }
        let units = (1..=rows.len()).map(|u| u.to_string()).collect();
        let raters = (1..=raters).map(|r| format!("rater {r}")).collect();
        Ratings::new(categories, raters, units, cells)
    }

    /// The categories.
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// The raters' names.
    pub fn raters(&self) -> &[String] {
        &self.raters
    }

    /// The units' names.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The matrix: `cells()[unit][rater]`.
    pub fn cells(&self) -> &[Vec<Option<usize>>] {
        &self.cells
    }

    /// Units with at least one rating, as `(row index, raters per category)`.
    pub(crate) fn counts(&self) -> Vec<(usize, Vec<f64>)> {
        let q = self.categories.len();
        let mut out = Vec::new();
        for (i, row) in self.cells.iter().enumerate() {
            let mut counts = vec![0.0; q];
            for &c in row.iter().flatten() {
                counts[c] += 1.0;
            }
            if counts.iter().any(|&c| c > 0.0) {
                out.push((i, counts));
            }
        }
        out
    }

    /// The raters who rated at least one unit.
    pub(crate) fn active_raters(&self) -> Vec<usize> {
        (0..self.raters.len()).filter(|&r| self.cells.iter().any(|row| row[r].is_some())).collect()
    }
}
