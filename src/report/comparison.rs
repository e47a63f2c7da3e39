//! A [`Comparison`] for people (an aligned text table with its header and footnotes) and for
//! machines (CSV, one row per theme; JSON, the whole comparison).

use std::fmt::Write;

use crate::analysis::compare::{Comparison, Grouping, Tally, TestKind};
use crate::display::{count, thousands, CsvText, TextTable};
use crate::error::Result;

/// Marks a theme whose expected counts are too low to test.
const LOW_EXPECTED_MARK: &str = "†";
/// Marks a theme no group mentions.
const NO_MENTIONS_MARK: &str = "–";

/// The comparison as JSON (pretty-printed, ending with a newline).
pub fn json(comparison: &Comparison) -> Result<String> {
    // Plain data with string keys: serialising it cannot fail.
    let mut text =
        serde_json::to_string_pretty(comparison).expect("the comparison serialises as JSON");
    text.push('\n');
    Ok(text)
}

/// The comparison as CSV: one row per theme in codebook order, with per group its mentions,
/// rate, speakers, speaker share and expected mentions (and residual, for more than two
/// groups), then the test.
pub fn csv(comparison: &Comparison) -> Result<String> {
    let two = comparison.test == TestKind::LogLikelihood;
    let mut header: Vec<String> = vec!["theme".into(), "label".into(), "parent".into()];
    for g in &comparison.groups {
        let mut fields =
            vec!["mentions", "per_1000_words", "speakers", "speaker_share", "expected"];
        if !two {
            fields.push("residual");
        }
        header.extend(fields.iter().map(|f| format!("{}_{f}", g.name)));
    }
    let tail: &[&str] = if two {
        &["g2", "p", "adjusted_p", "significant", "log_ratio", "more_in", "status"]
    } else {
        &["chi2", "df", "p", "adjusted_p", "significant", "status"]
    };
    header.extend(tail.iter().map(|s| s.to_string()));

    let mut w = CsvText::with_header(&header);
    for row in &comparison.themes {
        let mut record: Vec<String> =
            vec![row.theme.clone(), row.label.clone(), row.parent.clone().unwrap_or_default()];
        for (g, cell) in row.cells.iter().enumerate() {
            record.push(cell.mentions.to_string());
            record.push(format!("{:.3}", cell.per_1000_words));
            record.push(cell.speakers.to_string());
            record.push(format!("{:.3}", cell.speaker_share));
            record
                .push(row.test.as_ref().map_or(String::new(), |t| format!("{:.3}", t.expected[g])));
            if !two {
                record.push(row.test.as_ref().map_or(String::new(), |t| {
                    t.residuals.as_ref().map_or(String::new(), |r| format!("{:.4}", r[g]))
                }));
            }
        }
        match &row.test {
            None => {
                record.extend(std::iter::repeat_n(String::new(), tail.len() - 1));
                record.push("no_mentions".into());
            }
            Some(t) => {
                record.push(format!("{:.4}", t.statistic));
                if !two {
                    record.push(t.df.to_string());
                }
                record.push(crate::display::p_for_machines(t.p));
                record.push(t.adjusted_p.map(crate::display::p_for_machines).unwrap_or_default());
                record.push(t.significant.to_string());
                if two {
                    record.push(t.log_ratio.map(|r| format!("{r:.4}")).unwrap_or_default());
                    record.push(t.more_in.clone().unwrap_or_default());
                }
                record.push(if t.low_expected { "low_expected" } else { "tested" }.into());
            }
        }
        w.row(&record);
    }
    Ok(w.finish())
}

/// What a tally of left-out turns amounts to.
fn tally(t: &Tally) -> String {
    format!(
        "{} in {} by {}",
        count(t.words, "word"),
        count(t.turns, "turn"),
        count(t.speakers, "speaker")
    )
}

/// The comparison as an aligned text table with a header saying what was compared and how,
/// and footnotes for the themes that were not tested.
pub fn text(comparison: &Comparison) -> String {
    let c = comparison;
    let mut out = String::new();
    let what = match c.grouping {
        Grouping::Session => "session".to_string(),
        g => format!("`{}` ({})", c.by, g.describe()),
    };
    let _ = writeln!(out, "Comparing {} groups by {what}", c.groups.len());
    out.push('\n');
    out.push_str(&groups_text(c));
    out.push('\n');
    out.push_str(&legend_text(c));
    out.push('\n');
    let (table, low, none) = themes_table(c);
    out.push_str(&table);
    out.push_str(&footnotes(c, low, none));
    out
}

/// The groups and their sizes, and which turns were counted or left out.
fn groups_text(c: &Comparison) -> String {
    let mut out = String::new();
    let mut sizes = TextTable::new(&["group", "words", "turns", "speakers", "sessions"]);
    for g in &c.groups {
        sizes.row(vec![
            g.name.clone(),
            thousands(g.words),
            thousands(g.turns),
            thousands(g.speakers),
            thousands(g.sessions),
        ]);
    }
    out.push_str(&sizes.render());
    let counted = if c.include_moderators {
        "participant and moderator turns"
    } else {
        "participant turns (moderators are left out; --include-moderators counts them)"
    };
    let _ = writeln!(out, "Counted: {counted}.");
    if c.left_out.turns > 0 {
        let _ = writeln!(out, "Left out: {}, with no value for `{}`.", tally(&c.left_out), c.by);
    }
    if c.not_chosen.turns > 0 {
        let _ = writeln!(
            out,
            "Not compared: {}, in groups not chosen with --groups.",
            tally(&c.not_chosen)
        );
    }
    out
}

/// What the columns and the test are.
fn legend_text(c: &Comparison) -> String {
    let two = c.test == TestKind::LogLikelihood;
    let mut out = String::new();
    let _ = writeln!(out, "n: mentions. /1k: mentions per 1,000 words.");
    let _ = writeln!(out, "spk: share of the group's speakers who raised the theme.");
    if two {
        let (a, b) = (&c.groups[0].name, &c.groups[1].name);
        let _ = writeln!(out, "G²: log-likelihood (Dunning 1993; Rayson & Garside 2000), 1 df.");
        let _ = writeln!(out, "log ratio: log2 of the rate in {a} over the rate in {b};");
        let _ = writeln!(out, "  +1 is twice as frequent in {a}, -1 twice as frequent in {b}.");
    } else {
        let _ = writeln!(
            out,
            "X²: chi-square test of independence on the 2 × {} table of mentions and other \
             words.",
            c.groups.len()
        );
        let _ = writeln!(out, "res: adjusted standardized residual of the group's mentions;");
        let _ = writeln!(out, "  beyond ±1.96, that group departs from the others.");
    }
    let _ = writeln!(out, "Correction: Bonferroni over the {} tested.", count(c.tests, "theme"));
    let _ = writeln!(out, "*: significant at α = {} after the correction.", c.alpha);
    out
}

/// The table of themes, one block of columns per group; and whether any theme was left
/// untested for low expected counts (`low`) or for having no mentions (`none`).
fn themes_table(c: &Comparison) -> (String, bool, bool) {
    let two = c.test == TestKind::LogLikelihood;
    let mut columns: Vec<&str> = vec!["theme"];
    let block: &[&str] = if two { &["n", "/1k", "spk"] } else { &["n", "/1k", "spk", "res"] };
    for _ in &c.groups {
        columns.extend_from_slice(block);
    }
    let tail: &[&str] = if two {
        &["G²", "p", "adj. p", "", "log ratio", "more in"]
    } else {
        &["X²", "df", "p", "adj. p", ""]
    };
    columns.extend_from_slice(tail);
    let mut table = TextTable::new(&columns);
    if two {
        table.left(columns.len() - 1);
    }
    let (mut low, mut none) = (false, false);
    for row in &c.themes {
        let mut cells = vec![format!("{}{}", "  ".repeat(row.depth), row.theme)];
        for (g, cell) in row.cells.iter().enumerate() {
            cells.push(thousands(cell.mentions));
            cells.push(format!("{:.2}", cell.per_1000_words));
            cells.push(format!("{:.0}%", cell.speaker_share * 100.0));
            if !two {
                cells.push(
                    row.test
                        .as_ref()
                        .and_then(|t| t.residuals.as_ref())
                        .map_or(String::new(), |r| format!("{:+.2}", r[g])),
                );
            }
        }
        match &row.test {
            None => {
                none = true;
                cells.push(NO_MENTIONS_MARK.into());
                cells.extend(std::iter::repeat_n(String::new(), tail.len() - 1));
            }
            Some(t) => {
                low |= t.low_expected;
                cells.push(format!("{:.2}", t.statistic));
                if !two {
                    cells.push(t.df.to_string());
                }
                cells.push(crate::display::p_for_people(t.p));
                cells.push(
                    t.adjusted_p.map_or(LOW_EXPECTED_MARK.into(), crate::display::p_for_people),
                );
                cells.push(if t.significant { "*".into() } else { String::new() });
                if two {
                    cells.push(t.log_ratio.map_or(String::new(), |r| format!("{r:+.2}")));
                    cells.push(t.more_in.clone().unwrap_or_default());
                }
            }
        }
        table.row(cells);
    }
    for (g, group) in c.groups.iter().enumerate() {
        table.span(1 + g * block.len(), block.len(), &group.name);
    }
    (table.render(), low, none)
}

/// The footnotes for the themes that were not tested.
fn footnotes(c: &Comparison, low: bool, none: bool) -> String {
    let two = c.test == TestKind::LogLikelihood;
    let mut out = String::new();
    if low || none {
        out.push('\n');
    }
    if low {
        let _ = writeln!(
            out,
            "{LOW_EXPECTED_MARK} expected counts below {}: not tested.",
            c.min_expected
        );
        let _ = writeln!(
            out,
            "  {} and p are shown for information only; these themes are not in the correction.",
            if two { "G²" } else { "X²" }
        );
    }
    if none {
        let _ = writeln!(out, "{NO_MENTIONS_MARK} no mentions in any group: not tested.");
    }
    out
}
