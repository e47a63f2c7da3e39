//! The coefficients of a ratings file as text, CSV and JSON (`qualkit agree --ratings`).

use serde::Serialize;

use super::{Estimate, Ratings};
use crate::display::{CsvText, TextTable};

/// What was measured, and every coefficient.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The ratings file as named.
    pub file: String,
    /// Units with at least one rating.
    pub units: usize,
    /// The raters, in file order.
    pub raters: Vec<String>,
    /// The categories, in order.
    pub categories: Vec<String>,
    /// The weights of every coefficient but alpha (a scheme's name, or the weight file).
    pub weights: String,
    /// Alpha's level of measurement.
    pub level: String,
    /// Bootstrap resamples of alpha and their seed, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<(usize, u64)>,
    /// The coefficients, keyed as the JSON writes them, in report order.
    #[serde(serialize_with = "as_object")]
    pub coefficients: Vec<(&'static str, Estimate)>,
}

/// Serialises coefficients as one JSON object, in report order (`#[serde(serialize_with)]`).
pub fn as_object<S: serde::Serializer>(
    list: &[(&'static str, Estimate)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(list.len()))?;
    for (key, estimate) in list {
        map.serialize_entry(key, estimate)?;
    }
    map.end()
}

impl Report {
    /// The report of `ratings` read from `file`.
    pub fn new(
        file: String,
        ratings: &Ratings,
        coefficients: Vec<(&'static str, Estimate)>,
    ) -> Report {
        Report {
            file,
            units: ratings.counts().len(),
            raters: ratings.raters().to_vec(),
            categories: ratings.categories().labels().to_vec(),
            weights: String::new(),
            level: String::new(),
            bootstrap: None,
            coefficients,
        }
    }
}

/// A coefficient's name for people.
fn title(key: &str) -> &'static str {
    match key {
        "percent_agreement" => "Percent agreement",
        "cohen_kappa" => "Cohen's kappa",
        "scott_pi" => "Scott's pi",
        "fleiss_kappa" => "Fleiss' kappa",
        "conger_kappa" => "Conger's kappa",
        "brennan_prediger" => "Brennan & Prediger",
        "gwet_ac1" => "Gwet's AC1",
        "gwet_ac2" => "Gwet's AC2",
        "krippendorff_alpha" => "Krippendorff's alpha",
        _ => "coefficient",
    }
}

/// Three decimals for people, `–` when undefined.
fn people(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or_else(|| "–".to_string(), |v| format!("{v:.3}"))
}

/// An interval for people: `[0.419, 1.000]`.
fn range(ci: Option<(f64, f64)>) -> String {
    ci.map_or_else(
        || "–".to_string(),
        |(l, h)| format!("[{}, {}]", people(Some(l)), people(Some(h))),
    )
}

/// The report as aligned text: what was measured, the table, and the notes.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "{}: {} units, {} raters ({}), {} categories ({})\nweights: {}; Krippendorff's alpha: {} level\n\n",
        report.file,
        report.units,
        report.raters.len(),
        report.raters.join(", "),
        report.categories.len(),
        report.categories.join(", "),
        report.weights,
        report.level
    );
    let mut table = TextTable::new(&["coefficient", "value", "se", "95% CI", "observed", "chance"]);
    let mut notes = Vec::new();
    for (key, e) in &report.coefficients {
        table.row(vec![
            title(key).to_string(),
            people(e.value),
            people(e.se),
            range(e.ci95),
            people(e.observed),
            people(e.expected),
        ]);
        if let Some(note) = &e.note {
            notes.push(format!("{}: {note}", title(key)));
        }
        if let (Some(ci), Some((n, seed))) = (e.bootstrap95, report.bootstrap) {
            notes.push(format!(
                "{}: bootstrap 95% CI {} ({n} resamples of units, seed {seed})",
                title(key),
                range(Some(ci))
            ));
        }
    }
    out.push_str(&table.render());
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out.push_str(
        "\nIntervals: value ± t(0.975, n − 1) × se, capped at 1 (Gwet 2014, as irrCAC).\n",
    );
    out
}

/// Four decimals for machines, empty when undefined.
fn machine(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The report as CSV: one row per coefficient.
pub fn csv(report: &Report) -> String {
    let mut out = CsvText::with_header([
        "coefficient",
        "value",
        "se",
        "ci95_low",
        "ci95_high",
        "observed",
        "expected",
        "bootstrap95_low",
        "bootstrap95_high",
        "weights",
        "level",
        "note",
    ]);
    for (key, e) in &report.coefficients {
        out.row([
            key.to_string(),
            machine(e.value),
            machine(e.se),
            machine(e.ci95.map(|c| c.0)),
            machine(e.ci95.map(|c| c.1)),
            machine(e.observed),
            machine(e.expected),
            machine(e.bootstrap95.map(|c| c.0)),
            machine(e.bootstrap95.map(|c| c.1)),
            report.weights.clone(),
            report.level.clone(),
            e.note.clone().unwrap_or_default(),
        ]);
    }
    out.finish()
}

/// The report as JSON.
pub fn json(report: &Report) -> String {
    let mut text =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
