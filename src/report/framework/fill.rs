//! The framework matrix filled from the summary: the cases (speakers within sessions, or
//! sessions), their attributes, and per theme their mentions and their quote (see
//! [`crate::summary::cases`]).

use crate::aggregate::{attribute_value, AttributeKeys, AttributeSource};
use crate::summary::cases::{quote_of, CaseQuote, CaseQuotes};
use crate::summary::{SessionSummary, Summary};

use super::{FrameworkCell, FrameworkMatrix, FrameworkRow, FrameworkTheme, Source};

/// What a row of the framework matrix is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Cases {
    /// A speaker within a session (one person each; group voices left out, as in
    /// `speaker_matrix.csv`).
    #[default]
    Speaker,
    /// A whole session.
    Session,
}

impl crate::display::Named for Cases {
    const CHOICES: &'static [(Cases, &'static str, &'static str)] = &[
        (Cases::Speaker, "speaker", "A speaker within a session, with their role and attributes"),
        (Cases::Session, "session", "A whole session, with its attributes"),
    ];
}

impl Cases {
    /// The name, as `--cases` takes it.
    pub fn as_str(self) -> &'static str {
        crate::display::Named::name(self)
    }
}

/// The framework matrix of `summary` with one row per case.
pub fn of_summary(summary: &Summary, cases: Cases) -> FrameworkMatrix<'_> {
    let themes = themes(summary);
    let columns = AttributeKeys::of_summary(summary).columns();
    let mut m = FrameworkMatrix {
        cases: cases.as_str(),
        case_columns: Vec::new(),
        themes: Vec::new(),
        rows: Vec::new(),
    };
    let order = summary.codebook.order().to_vec();
    match cases {
        Cases::Speaker => {
            m.case_columns = ["session", "speaker", "role"].map(String::from).to_vec();
            m.case_columns.extend(columns.iter().map(|(name, _)| name.clone()));
            for s in &summary.sessions {
                for sp in s.counted_people() {
                    let mut case = vec![s.id.clone(), sp.label.clone(), sp.role.as_str().into()];
                    case.extend(columns.iter().map(|(_, src)| {
                        attribute_value(src, &s.attributes, &sp.attributes)
                            .unwrap_or("")
                            .to_string()
                    }));
                    let mentions = |ti: usize| sp.mentions_of(ti) as u64;
                    m.rows.push(row(s, case, &order, mentions, &sp.quotes));
                }
            }
        }
        Cases::Session => {
            let session_columns: Vec<&(String, AttributeSource)> = columns
                .iter()
                .filter(|(_, src)| matches!(src, AttributeSource::Session(_)))
                .collect();
            m.case_columns = vec!["session".to_string()];
            m.case_columns.extend(session_columns.iter().map(|(name, _)| name.clone()));
            for s in &summary.sessions {
                let mut case = vec![s.id.clone()];
                case.extend(session_columns.iter().map(|(_, src)| {
                    attribute_value(src, &s.attributes, &[]).unwrap_or("").to_string()
                }));
                let mentions = |ti: usize| u64::from(s.theme_mentions[ti]);
                m.rows.push(row(s, case, &order, mentions, &s.quotes));
            }
        }
    }
    m.themes = themes;
    m
}

/// The themes of the matrix, in codebook order.
fn themes(summary: &Summary) -> Vec<FrameworkTheme> {
    let cb = &summary.codebook;
    let order = cb.order();
    order
        .iter()
        .map(|&ti| {
            let line = cb.self_and_ancestors(ti);
            let top = *line.last().expect("a theme is its own first ancestor");
            FrameworkTheme {
                id: cb.themes[ti].id.clone(),
                label: cb.themes[ti].label.clone(),
                color: cb.themes[ti].color.clone(),
                top: order.iter().position(|&i| i == top).unwrap_or(0),
                depth: line.len() - 1,
            }
        })
        .collect()
}

/// One case's row: its case values and, per theme in `order` the case raised, its mentions
/// and its quote.
fn row<'a>(
    s: &'a SessionSummary,
    case: Vec<String>,
    order: &[usize],
    mentions: impl Fn(usize) -> u64,
    quotes: &'a CaseQuotes<CaseQuote>,
) -> FrameworkRow<'a> {
    let cells = order
        .iter()
        .enumerate()
        .filter_map(|(column, &ti)| {
            let mentions = mentions(ti);
            let quote = quote_of(quotes, ti);
            let source = |q: &CaseQuote| Source { file: s.file.as_path(), line: q.line };
            (mentions > 0).then(|| {
                let cell = FrameworkCell {
                    mentions,
                    quote: quote.map(|q| &*q.text),
                    source: quote.map(source),
                };
                (column, cell)
            })
        })
        .collect();
    FrameworkRow { case, cells }
}
