//! An [`Agreement`] for people (an aligned text table with a header saying what was compared
//! and how missing data were treated) and for machines (CSV, one row per theme; JSON, the
//! whole measurement), and the disputed units for adjudication (CSV and Markdown).

use std::fmt::Write;

use crate::agree::{Agreement, Disagreement, Resolved, Unit, ALL_THEMES};
use crate::display::{count, thousands, CsvText, TextTable};
use crate::error::Result;
use crate::model::Session;

/// Shown for a coefficient that is undefined.
const UNDEFINED: &str = "–";

/// The measurement as JSON (pretty-printed, ending with a newline).
pub fn json(agreement: &Agreement) -> Result<String> {
    // Plain data with string keys: serialising it cannot fail.
    let mut text =
        serde_json::to_string_pretty(agreement).expect("the agreement serialises as JSON");
    text.push('\n');
    Ok(text)
}

/// A coefficient for CSV: four decimals, empty when undefined.
fn csv_number(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The measurement as CSV: one row per theme, then the pooled row (`all themes`). Every row
/// says the unit and whether uncoded units were included.
pub fn csv(agreement: &Agreement) -> Result<String> {
    let a = agreement;
    let names: Vec<&str> = a.coders.iter().map(|c| c.name.as_str()).collect();
    let two = names.len() == 2;
    let mut header: Vec<String> = vec!["theme".into(), "unit".into(), "uncoded_units".into()];
    header.push("units".into());
    header.extend(names.iter().map(|n| format!("coded_{n}")));
    header.push("percent_agreement".into());
    if two {
        header.extend([
            "both".into(),
            format!("only_{}", names[0]),
            format!("only_{}", names[1]),
            "neither".into(),
            "cohen_expected".into(),
            "cohen_kappa".into(),
        ]);
    } else {
        header.extend(
            ["fleiss_units", "fleiss_observed", "fleiss_expected", "fleiss_kappa"]
                .map(String::from),
        );
    }
    header.extend(
        [
            "alpha_units",
            "alpha_values",
            "alpha_observed_disagreement",
            "alpha_expected_disagreement",
            "krippendorff_alpha",
        ]
        .map(String::from),
    );
    let gold_coders: Vec<&str> = a.overall.against_gold.iter().map(|g| g.coder.as_str()).collect();
    for c in &gold_coders {
        for f in ["tp", "fp", "fn", "tn", "precision", "recall", "f1"] {
            header.push(format!("{c}_{f}"));
        }
    }
    let mut w = CsvText::with_header(&header);
    let uncoded = if a.exclude_uncoded { "excluded" } else { "included" };
    for t in a.themes.iter().chain(std::iter::once(&a.overall)) {
        let mut r: Vec<String> = vec![t.theme.clone(), a.unit.as_str().into(), uncoded.into()];
        r.push(t.percent_agreement.units.to_string());
        r.extend(t.coded.iter().map(u64::to_string));
        r.push(csv_number(t.percent_agreement.value));
        if let Some(k) = &t.cohen_kappa {
            r.extend(
                [k.table[1][1], k.table[1][0], k.table[0][1], k.table[0][0]].map(|n| n.to_string()),
            );
            r.push(csv_number(Some(k.expected).filter(|_| k.units > 0)));
            r.push(csv_number(k.kappa));
        }
        if let Some(f) = &t.fleiss_kappa {
            r.push(f.units.to_string());
            let defined = |v: f64| Some(v).filter(|_| f.units > 0);
            r.push(csv_number(defined(f.observed)));
            r.push(csv_number(defined(f.expected)));
            r.push(csv_number(f.kappa));
        }
        let k = &t.krippendorff_alpha;
        r.push(k.units.to_string());
        r.push(k.values.to_string());
        let defined = |v: f64| Some(v).filter(|_| k.values >= 2);
        r.push(csv_number(defined(k.observed_disagreement)));
        r.push(csv_number(defined(k.expected_disagreement)));
        r.push(csv_number(k.alpha));
        for g in &t.against_gold {
            let c = &g.confusion;
            r.extend(
                [c.true_positives, c.false_positives, c.false_negatives, c.true_negatives]
                    .map(|n| n.to_string()),
            );
            r.extend([g.precision, g.recall, g.f1].map(csv_number));
        }
        w.row(&r);
    }
    Ok(w.finish())
}

/// A coefficient for people: three decimals, `–` when undefined.
fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.3}")).unwrap_or_else(|| UNDEFINED.into())
}

/// A share as a percentage with one decimal.
fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", 100.0 * v)).unwrap_or_else(|| UNDEFINED.into())
}

/// `3 turns`, `1 turn`.
fn units(n: u64, unit: Unit) -> String {
    let name = if n == 1 { unit.as_str() } else { unit.plural() };
    format!("{} {name}", thousands(n))
}

/// The measurement as aligned text: what was compared, how missing data and uncoded units
/// were treated, the table per theme and pooled, and the coders against the reference.
pub fn text(agreement: &Agreement) -> String {
    let a = agreement;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Agreement of {} coders by {}, over {} session{}",
        a.coders.len(),
        a.unit.as_str(),
        a.sessions,
        if a.sessions == 1 { "" } else { "s" }
    );
    out.push('\n');
    out.push_str(&coders_table(a));
    out.push('\n');
    out.push_str(&units_text(a));
    out.push('\n');
    out.push_str(&themes_text(a));
    out.push_str(&not_listed_text(a));
    if let Some(gold) = &a.gold {
        out.push('\n');
        out.push_str(&gold_text(a, gold));
    }
    out
}

/// The coders: their rows, units coded, sessions and source.
fn coders_table(a: &Agreement) -> String {
    let mut coders = TextTable::new(&["coder", "rows", "units coded", "sessions", "source"]);
    coders.left(3);
    coders.left(4);
    for c in &a.coders {
        let missing = if c.missing_sessions.is_empty() {
            String::new()
        } else {
            format!(" (missing: {})", c.missing_sessions.join(", "))
        };
        coders.row(vec![
            c.name.clone(),
            thousands(c.rows as u64),
            thousands(c.units_coded),
            format!("{} of {}{missing}", c.sessions.len(), a.sessions),
            c.source.clone(),
        ]);
    }
    coders.render()
}

/// Which units were counted and compared, and how missing data was treated.
fn units_text(a: &Agreement) -> String {
    let two = a.coders.len() == 2;
    let mut out = String::new();
    let u = &a.units;
    let counted = if a.include_moderators {
        "of participants and moderators"
    } else {
        "of participants\n(moderators' turns are left out; --include-moderators counts them)"
    };
    let _ = writeln!(out, "Units: {} {counted}.", units(u.total, a.unit));
    let _ =
        writeln!(out, "Coded by two or more coders: {}.", units(u.coded_by_two_or_more, a.unit));
    let _ = writeln!(
        out,
        "Uncoded by every coder (no theme): {}, {}.",
        units(u.uncoded, a.unit),
        if a.exclude_uncoded {
            "left out (--exclude-uncoded)"
        } else {
            "included (--exclude-uncoded leaves them out)"
        }
    );
    let _ = writeln!(out, "Compared: {}.", units(u.compared, a.unit));
    let _ = writeln!(
        out,
        "Missing data: a coder with no row for a session is missing for its units (not \
         \"absent\").\nKrippendorff's α uses every unit with two or more coders; {}",
        if two {
            "percent agreement and Cohen's κ use the units both coders coded."
        } else {
            "percent agreement counts agreeing pairs\nof coders over the same units; Fleiss' κ \
             uses only the units every coder coded."
        }
    );
    if let Some(cb) = &a.codebook {
        let _ = writeln!(out, "Themes: each coded theme also codes its parents in {cb}.");
    }
    for c in a.coders.iter().filter(|c| c.uncounted > 0) {
        let _ = writeln!(
            out,
            "Left out: {} by {} in turns that are not counted (moderators' without \
             --include-moderators; observers').",
            count(c.uncounted as u64, "theme coding"),
            c.name
        );
    }
    out
}

/// The table per theme and pooled, and what its columns are.
fn themes_text(a: &Agreement) -> String {
    let two = a.coders.len() == 2;
    let mut out = String::new();
    if a.units.compared == 0 {
        let _ = writeln!(
            out,
            "No unit was coded by two or more coders: there is nothing to compare (see the \
             sessions each coder coded)."
        );
    } else if a.themes.is_empty() {
        let _ = writeln!(out, "No theme was coded in a compared unit.");
    } else {
        out.push_str(&theme_table(a));
        out.push('\n');
        if two {
            let (x, y) = (&a.coders[0].name, &a.coders[1].name);
            let _ = writeln!(
                out,
                "both, {x} only, {y} only, neither: compared units by who coded the theme."
            );
            let _ = writeln!(out, "agree: percent agreement. κ: Cohen's kappa (Cohen 1960).");
        } else {
            let _ = writeln!(
                out,
                "units: compared units; each coder's column counts those it coded with the \
                 theme."
            );
            let _ = writeln!(
                out,
                "agree: share of agreeing coder pairs. κ: Fleiss' kappa (Fleiss 1971) over \
                 the units every coder coded (all)."
            );
        }
        let _ = writeln!(
            out,
            "α: Krippendorff's alpha, nominal (Krippendorff 2011). {UNDEFINED}: undefined \
             (every decision was the same)."
        );
        let _ = writeln!(
            out,
            "{ALL_THEMES}: every (unit, theme) pair pooled as one present/absent decision."
        );
    }
    out
}

/// The themes left out of the table: coded only in units not compared, or unknown.
fn not_listed_text(a: &Agreement) -> String {
    let mut out = String::new();
    if !a.not_compared.is_empty() {
        let _ = writeln!(
            out,
            "Not listed, coded only in units not compared: {}.",
            a.not_compared.join(", ")
        );
    }
    if !a.unknown_themes.is_empty() {
        let _ = writeln!(
            out,
            "Not in the codebook (compared as they are): {}.",
            a.unknown_themes.join(", ")
        );
    }
    out
}

/// The coders against the reference coder `gold`.
fn gold_text(a: &Agreement, gold: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Against {gold} (reference), over the units both coded:");
    out.push('\n');
    out.push_str(&gold_table(a));
    out.push('\n');
    let _ = writeln!(
        out,
        "TP: coded by both; FP: by the coder only; FN: by {gold} only; TN: by neither."
    );
    let _ = writeln!(
        out,
        "precision = TP / (TP + FP); recall = TP / (TP + FN); F1 = 2 TP / (2 TP + FP + FN)."
    );
    let _ = writeln!(out, "{ALL_THEMES}: the counts of every theme added up (micro-average).");
    out
}

fn theme_table(a: &Agreement) -> String {
    let names: Vec<&str> = a.coders.iter().map(|c| c.name.as_str()).collect();
    let rows = a.themes.iter().chain(std::iter::once(&a.overall));
    if let [x, y] = names.as_slice() {
        let (only_x, only_y) = (format!("{x} only"), format!("{y} only"));
        let mut t = TextTable::new(&[
            "theme", "units", "both", &only_x, &only_y, "neither", "agree", "κ", "α",
        ]);
        for r in rows {
            let k = r.cohen_kappa.as_ref().expect("two coders have Cohen's kappa");
            t.row(vec![
                r.theme.clone(),
                thousands(r.percent_agreement.units),
                thousands(k.table[1][1]),
                thousands(k.table[1][0]),
                thousands(k.table[0][1]),
                thousands(k.table[0][0]),
                percent(r.percent_agreement.value),
                number(k.kappa),
                number(r.krippendorff_alpha.alpha),
            ]);
        }
        return t.render();
    }
    let mut header: Vec<&str> = vec!["theme", "units"];
    header.extend(&names);
    header.extend(["agree", "all", "κ", "α"]);
    let mut t = TextTable::new(&header);
    for r in rows {
        let mut cells = vec![r.theme.clone(), thousands(r.percent_agreement.units)];
        cells.extend(r.coded.iter().map(|&n| thousands(n)));
        let f = r.fleiss_kappa.as_ref().expect("three or more coders have Fleiss' kappa");
        cells.extend([
            percent(r.percent_agreement.value),
            thousands(f.units),
            number(f.kappa),
            number(r.krippendorff_alpha.alpha),
        ]);
        t.row(cells);
    }
    t.render()
}

fn gold_table(a: &Agreement) -> String {
    let mut t =
        TextTable::new(&["theme", "coder", "TP", "FP", "FN", "TN", "precision", "recall", "F1"]);
    t.left(1);
    for r in a.themes.iter().chain(std::iter::once(&a.overall)) {
        for g in &r.against_gold {
            let c = &g.confusion;
            t.row(vec![
                r.theme.clone(),
                g.coder.clone(),
                thousands(c.true_positives),
                thousands(c.false_positives),
                thousands(c.false_negatives),
                thousands(c.true_negatives),
                number(g.precision),
                number(g.recall),
                number(g.f1),
            ]);
        }
    }
    t.render()
}

/// A disputed unit, ready to show: where it is, its text and who coded what.
struct Dispute<'a> {
    d: &'a Disagreement,
    session: &'a Session,
    text: String,
    line: usize,
}

impl<'a> Dispute<'a> {
    fn of(d: &'a Disagreement, sessions: &'a [Session]) -> Dispute<'a> {
        let session = &sessions[d.unit.session];
        let turn = &session.turns[d.unit.turn];
        let byte = |c: usize| turn.text.char_indices().nth(c).map_or(turn.text.len(), |(b, _)| b);
        let (start, end) = (byte(d.unit.chars.start), byte(d.unit.chars.end));
        Dispute { d, session, text: turn.text[start..end].to_string(), line: turn.line_of(start) }
    }

    fn speaker(&self) -> &str {
        &self.session.speaker_of(&self.session.turns[self.d.unit.turn]).label
    }
}

fn names(coders: &[usize], resolved: &Resolved) -> String {
    coders.iter().map(|&c| resolved.coders[c].name.as_str()).collect::<Vec<_>>().join("; ")
}

/// The disputed units as CSV, one row per (unit, theme): where it is, who coded the theme
/// there and who did not, and the unit's text.
pub fn disagreements_csv(
    list: &[Disagreement],
    sessions: &[Session],
    resolved: &Resolved,
) -> Result<String> {
    let mut w = CsvText::with_header([
        "session",
        "file",
        "line",
        "turn",
        "sentence",
        "start",
        "end",
        "speaker",
        "theme",
        "coded_by",
        "not_coded_by",
        "text",
    ]);
    for d in list {
        let x = Dispute::of(d, sessions);
        w.row([
            x.session.id.clone(),
            x.session.file.display().to_string(),
            x.line.to_string(),
            (d.unit.turn + 1).to_string(),
            d.unit.sentence.map(|s| s.to_string()).unwrap_or_default(),
            d.unit.chars.start.to_string(),
            d.unit.chars.end.to_string(),
            x.speaker().to_string(),
            resolved.themes[d.theme].clone(),
            names(&d.coded_by, resolved),
            names(&d.not_coded_by, resolved),
            x.text,
        ]);
    }
    Ok(w.finish())
}

/// The disputed units as Markdown for adjudication: by session, each unit quoted once with
/// its place, then each disputed theme with who coded it and who did not.
pub fn disagreements_markdown(
    list: &[Disagreement],
    sessions: &[Session],
    resolved: &Resolved,
    agreement: &Agreement,
) -> String {
    let a = agreement;
    let mut out = String::from("# Disagreements\n\n");
    let coders: Vec<&str> = a.coders.iter().map(|c| c.name.as_str()).collect();
    let disputed_units = {
        let mut keys: Vec<_> =
            list.iter().map(|d| (d.unit.session, d.unit.turn, d.unit.chars.clone())).collect();
        keys.dedup();
        keys.len()
    };
    let _ = writeln!(
        out,
        "Coders: {}. Unit: {}. Uncoded units {}.\n",
        coders.join(", "),
        a.unit.as_str(),
        if a.exclude_uncoded { "left out (--exclude-uncoded)" } else { "included" }
    );
    let _ = writeln!(
        out,
        "{} disputed theme codings in {}: some coders coded the theme there and others did \
         not. Coders missing for a session are not listed.",
        thousands(list.len() as u64),
        match a.unit {
            Unit::Character => format!("{} runs of characters", thousands(disputed_units as u64)),
            unit => units(disputed_units as u64, unit),
        }
    );
    let mut session = usize::MAX;
    let mut place = None;
    for d in list {
        let x = Dispute::of(d, sessions);
        if d.unit.session != session {
            session = d.unit.session;
            let title = x.session.title.as_deref().map(|t| format!(" · {t}")).unwrap_or_default();
            let _ = write!(out, "\n## {}{title}\n", x.session.id);
        }
        let key = (d.unit.session, d.unit.turn, d.unit.chars.clone());
        if place.as_ref() != Some(&key) {
            let turn = &x.session.turns[d.unit.turn];
            let what = match (a.unit, d.unit.sentence) {
                (Unit::Sentence, Some(s)) => format!("Turn {}, sentence {s}", d.unit.turn + 1),
                (Unit::Character, _) => format!(
                    "Turn {}, characters {}–{}",
                    d.unit.turn + 1,
                    d.unit.chars.start,
                    d.unit.chars.end
                ),
                _ => format!("Turn {}", d.unit.turn + 1),
            };
            let time = turn.timestamp.map(|t| format!(" · [{t}]")).unwrap_or_default();
            let _ = write!(
                out,
                "\n### {what} · {}{time} · {}:{}\n\n",
                x.speaker(),
                x.session.file.display(),
                x.line
            );
            for line in x.text.lines() {
                let _ = writeln!(out, "> {line}");
            }
            out.push('\n');
            place = Some(key);
        }
        let _ = writeln!(
            out,
            "- `{}`: coded by {}; not by {}",
            resolved.themes[d.theme],
            names(&d.coded_by, resolved).replace("; ", ", "),
            names(&d.not_coded_by, resolved).replace("; ", ", ")
        );
    }
    out
}
