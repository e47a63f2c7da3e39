//! Which reports a run of `analyze` writes: `--tables all|summary|LIST` and `--mentions
//! csv|parquet|both`. Every report is written by default; `summary` leaves out the tables
//! that grow with the corpus (the mentions and the segment matrix); a list names the
//! reports to write. `manifest.json` is always written, and records the choice.

use super::stream::Forms;

/// A report `--tables` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Report {
    Mentions,
    Segments,
    Frequencies,
    Sessions,
    Speakers,
    Cooccurrence,
    Questions,
    Comparison,
    Quotes,
    Findings,
    Framework,
    Workbook,
    Html,
}

/// Every report: its name in `--tables` and its files.
pub const REPORTS: [(Report, &str, &[&str]); 13] = [
    (Report::Mentions, "mentions", &["mentions.csv", "mentions.parquet"]),
    (Report::Segments, "segments", &["segment_matrix.csv", "segment_matrix.parquet"]),
    (Report::Frequencies, "frequencies", &["theme_frequencies.csv"]),
    (Report::Sessions, "sessions", &["session_matrix.csv"]),
    (Report::Speakers, "speakers", &["speaker_matrix.csv"]),
    (Report::Cooccurrence, "cooccurrence", &["cooccurrence.csv"]),
    (Report::Questions, "questions", &["question_matrix.csv"]),
    (Report::Comparison, "comparison", &["comparison.csv"]),
    (Report::Quotes, "quotes", &["quotes.md"]),
    (Report::Findings, "findings", &["summary.md"]),
    (Report::Framework, "framework", &["framework_matrix.csv", "framework_matrix.xlsx"]),
    (Report::Workbook, "workbook", &["tables.xlsx"]),
    (Report::Html, "html", &["report.html"]),
];

/// The reports a run writes, and the forms of the streamed tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The reports, in [`REPORTS`] order.
    reports: Vec<Report>,
    /// How `--tables` was given: `all`, `summary`, or the list.
    name: String,
    /// The forms of the mentions and the segment matrix.
    pub forms: Forms,
}

impl Default for Choice {
    fn default() -> Choice {
        Choice::parse("all", Forms::Both).expect("`all` is a choice")
    }
}

impl Choice {
    /// `--tables TEXT` with `--mentions` forms.
    pub fn parse(text: &str, forms: Forms) -> Result<Choice, String> {
        let text = text.trim();
        let reports: Vec<Report> = match text {
            "all" => REPORTS.iter().map(|r| r.0).collect(),
            "summary" => REPORTS
                .iter()
                .map(|r| r.0)
                .filter(|r| !matches!(r, Report::Mentions | Report::Segments))
                .collect(),
            list => {
                let mut reports = Vec::new();
                for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let report = REPORTS.iter().find(|r| r.1 == name).ok_or_else(|| {
                        format!(
                            "`{name}` is not a report; --tables takes all, summary, or a list \
                             of: {}",
                            REPORTS.map(|r| r.1).join(", ")
                        )
                    })?;
                    if !reports.contains(&report.0) {
                        reports.push(report.0);
                    }
                }
                if reports.is_empty() {
                    return Err("--tables names no report; give all, summary, or a list".into());
                }
                reports.sort();
                reports
            }
        };
        let name = match text {
            "all" | "summary" => text.to_string(),
            _ => reports.iter().map(|r| Choice::name_of(*r)).collect::<Vec<_>>().join(","),
        };
        Ok(Choice { reports, name, forms })
    }

    /// Whether the run writes `report`.
    pub fn writes(&self, report: Report) -> bool {
        self.reports.contains(&report)
    }

    /// The forms of a streamed table, when the run writes it.
    pub fn stream(&self, report: Report) -> Option<Forms> {
        self.writes(report).then_some(self.forms)
    }

    /// `--tables` as the manifest records it.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn name_of(report: Report) -> &'static str {
        REPORTS.iter().find(|r| r.0 == report).map_or("", |r| r.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_all_the_summary_or_a_list() {
        let all = Choice::default();
        assert!(REPORTS.iter().all(|r| all.writes(r.0)));
        assert_eq!(all.name(), "all");
        let summary = Choice::parse("summary", Forms::Both).unwrap();
        assert!(!summary.writes(Report::Mentions) && !summary.writes(Report::Segments));
        assert!(summary.writes(Report::Html) && summary.writes(Report::Workbook));
        let list = Choice::parse(" frequencies, mentions,frequencies ", Forms::Csv).unwrap();
        assert_eq!(list.name(), "mentions,frequencies");
        assert_eq!(list.stream(Report::Mentions), Some(Forms::Csv));
        assert_eq!(list.stream(Report::Segments), None);
        let err = Choice::parse("mentions,tables", Forms::Both).unwrap_err();
        assert!(err.starts_with("`tables` is not a report; --tables takes all, summary, or a list of: mentions, segments,"), "{err}");
    }
}
