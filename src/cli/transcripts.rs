//! `qualkit transcripts inspect`: how each transcript was read — format, turns, speakers
//! with role and word count, timestamps — and the warnings worth a look before coding.

use crate::cli::Outcome;
use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::input::{self, InputArgs};
use crate::display::{count, thousands, Align, TextTable};
use crate::error::{Error, Result};
use crate::ingest::inspect::{inspect, SessionReport};

/// Subcommands about transcripts.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show how each transcript is read: format, turns, speakers, timestamps, warnings.
    Inspect(InspectArgs),
}

/// Show how each transcript is read, and what deserves a look before coding: text without
/// a speaker label, speakers heard once (often typos), very long turns, lines that look like
/// labels but did not parse.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    // Transcript files or folders.
    #[arg(value_name = "PATH", help = super::help::PATHS)]
    pub paths: Vec<PathBuf>,

    /// The output format: text (for people) or json (for machines) [default: text].
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs a `transcripts` subcommand.
pub fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::Inspect(args) => run_inspect(args),
    }
}

/// The JSON document of `inspect --format json`.
#[derive(Debug, Serialize)]
struct JsonReport {
    sessions: Vec<SessionReport>,
    skipped: Vec<JsonSkipped>,
    errors: Vec<String>,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonSkipped {
    path: String,
    reason: &'static str,
}

fn run_inspect(args: InspectArgs) -> Result<Outcome> {
    let paths = super::input::transcripts_or_bundled(args.paths)?;
    let json = args.format == "json";
    let input = args.input.resolve()?;
    let mut batch = input.with_threads(|| input.load(&paths, &[]))?;
    if !json {
        if let Some(note) = batch.discovered.note() {
            eprintln!("note: {note}");
        }
        for n in &batch.notes {
            eprintln!("warning: {n}");
        }
    }
    let failed: Vec<String> = batch.failed.iter().map(|e| e.to_string()).collect();
    input::check_failures(&mut batch)?;
    let reports: Vec<SessionReport> = batch.sessions.iter().map(inspect).collect();
    let out = if json {
        let doc = JsonReport {
            sessions: reports,
            skipped: batch
                .discovered
                .skipped
                .iter()
                .map(|s| JsonSkipped {
                    path: s.path.display().to_string(),
                    reason: match s.reason {
                        crate::ingest::SkipReason::NotTranscript => "other_format",
                        crate::ingest::SkipReason::Hidden => "hidden",
                        crate::ingest::SkipReason::LockFile => "lock_file",
                        crate::ingest::SkipReason::OwnFile => "own_file",
                        crate::ingest::SkipReason::NotTranscriptTable => "not_a_transcript_table",
                    },
                })
                .collect(),
            errors: failed,
            notes: batch.notes.clone(),
        };
        let mut text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?;
        text.push('\n');
        text
    } else {
        render(&reports, batch.failed.len())
    };
    super::print_stdout(&out)?;
    Ok(Outcome::read(&batch.failed))
}

/// How a file was read: its convention, header, moderator, questions and annotations.
fn render_reading(out: &mut String, r: &SessionReport) {
    if !r.convention.is_empty() {
        let _ = writeln!(out, "  convention: {}", r.convention);
    }
    if !r.header.is_empty() {
        let _ = writeln!(out, "  header:");
        for h in &r.header {
            let became = match (h.became, &h.key, &h.name, h.role) {
                ("attribute", Some(key), _, _) => format!("attribute `{key}`"),
                ("roster", Some(label), Some(name), Some(role)) => {
                    format!("roster: {label} = {name} ({role})")
                }
                ("roster", Some(label), Some(name), None) => format!("roster: {label} = {name}"),
                (other, _, _, _) => other.to_string(),
            };
            let _ = writeln!(out, "    line {}: {}  → {became}", h.line, h.text);
        }
    }
    if !r.sections.is_empty() {
        let _ = writeln!(out, "  sections:");
        for s in &r.sections {
            let turns = count(s.turns, "turn");
            let _ = writeln!(out, "    line {}: {}  ({turns})", s.line, s.title);
        }
    }
    let _ = writeln!(out, "  moderator: {}", r.moderator);
    if !r.questions.is_empty() {
        let _ = writeln!(out, "  questions:");
        for q in &r.questions {
            let guide = if q.from_guide { ", from the guide" } else { "" };
            let _ = writeln!(
                out,
                "    {}  line {}: {}  ({}{guide})",
                q.id,
                q.line,
                q.text,
                count(q.turns, "turn")
            );
        }
    }
    if !r.annotations.is_empty() {
        let shown: Vec<String> =
            r.annotations.iter().take(5).map(|a| format!("line {} {}", a.line, a.text)).collect();
        let more = r.annotations.len().saturating_sub(5);
        let more = if more > 0 { format!(", and {more} more") } else { String::new() };
        let _ = writeln!(
            out,
            "  annotations (not coded): {}: {}{more}",
            r.annotations.len(),
            shown.join(", ")
        );
    }
}

/// The human-readable listing.
fn render(reports: &[SessionReport], failed: usize) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(out, "{}  {} ({})", r.session, r.file, r.format);
        let mut about = Vec::new();
        if let Some(t) = &r.title {
            about.push(format!("title: {t}"));
        }
        if let Some(d) = &r.date {
            about.push(format!("date: {d}"));
        }
        about.extend(r.attributes.iter().map(|(k, v)| format!("{k}: {v}")));
        if !about.is_empty() {
            let _ = writeln!(out, "  {}", about.join("; "));
        }
        let stamps = match r.timestamps {
            "all" => "on every turn".to_string(),
            "none" => "none".to_string(),
            _ => format!("on {} of {} turns", r.timestamped_turns, r.turns),
        };
        let _ = writeln!(
            out,
            "  {} {}, {} words; timestamps: {stamps}",
            thousands(r.turns),
            if r.turns == 1 { "turn" } else { "turns" },
            thousands(r.words)
        );
        let _ = writeln!(out, "  speakers:");
        out.push_str(&speakers_table(r));
        render_reading(&mut out, r);
        if !r.warnings.is_empty() {
            let _ = writeln!(out, "  warnings:");
            for w in &r.warnings {
                match w.line {
                    Some(line) => writeln!(out, "    line {line}: {}", w.message),
                    None => writeln!(out, "    {}", w.message),
                }
                .expect("writing to a String");
            }
        }
        out.push('\n');
    }
    let warnings: usize = reports.iter().map(|r| r.warnings.len()).sum();
    let files: std::collections::BTreeSet<&str> = reports.iter().map(|r| r.file.as_str()).collect();
    let _ = write!(
        out,
        "{} from {}; {} {}",
        count(reports.len(), "session"),
        count(files.len(), "file"),
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    );
    if failed > 0 {
        let _ = write!(out, "; {failed} could not be read (errors on stderr)");
    }
    out.push('\n');
    out
}

/// One line per speaker: label, role, turns, words and attributes.
fn speakers_table(r: &SessionReport) -> String {
    let mut table = TextTable::headless(6);
    table.indent(4).fixed_width(1, 11).keep_trailing_space();
    table.align(2, Align::Right).fixed_width(2, 5).gap_before(3, 1);
    table.align(4, Align::Right).fixed_width(4, 7).gap_before(5, 1);
    for s in &r.speakers {
        let attrs: Vec<String> = s
            .attributes
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let words = if attrs.is_empty() {
            "words".to_string()
        } else {
            format!("words  {}", attrs.join(", "))
        };
        table.row(vec![
            s.label.clone(),
            s.role.to_string(),
            thousands(s.turns),
            if s.turns == 1 { "turn " } else { "turns" }.to_string(),
            thousands(s.words),
            words,
        ]);
    }
    table.render()
}
