//! `qualkit analyze`: the main job — ingest, code, aggregate, report.

use crate::cli::Outcome;
use std::fmt::Write;
use std::path::PathBuf;

use super::input::{self, corpus_paths, Input, InputArgs};
use crate::aggregate;
use crate::analysis::compare::{compare, GroupBy};
use crate::code::corpus::CodingOptions;
use crate::error::{Error, Result};
use crate::pipeline::{self, Plan, Streamed};
use crate::report::choice::Choice;
use crate::report::framework::Cases;
use crate::report::manifest::{Command, HashedFile, Provenance, RunOptions};
use crate::report::stream::Forms;
use crate::report::{self, ReportOptions, SummaryBy, Written};
use crate::summary::units::Unit;
use crate::summary::Summary;

/// The bundled example's transcripts, codebook and report folder (relative to the repository).
pub const BUNDLED_TRANSCRIPTS: &str = "transcripts/metaconnects";
/// The bundled example's codebook.
pub const BUNDLED_CODEBOOK: &str = "codebooks/metaconnects.toml";
/// The bundled example's report folder.
pub const BUNDLED_REPORTS: &str = "reports/metaconnects";
/// The bundled example's interview guide (read as `--guide` when no PATHs are given).
pub const BUNDLED_GUIDE: &str = "codebooks/metaconnects-guide.txt";
/// The attribute the bundled example's groups are compared by (organizers and health
/// partners).
pub const BUNDLED_COMPARE_BY: &str = "group";
/// How the bundled example's `summary.md` is arranged: by question, as the study's published
/// write-up is.
pub const BUNDLED_SUMMARY_BY: SummaryBy = SummaryBy::Question;
/// The report folder when PATHs are given without `--out`.
pub const DEFAULT_OUT: &str = "qualkit-report";

/// Code transcripts with a codebook and write the reports.
///
/// Writes theme_frequencies.csv, quotes.md, summary.md (a first draft of the findings),
/// session_matrix.csv, speaker_matrix.csv, cooccurrence.csv, question_matrix.csv,
/// framework_matrix.csv/.xlsx, segment_matrix.csv/.parquet, comparison.csv (with
/// --compare-by), report.html, mentions.csv, mentions.parquet and manifest.json (the
/// provenance: version, options, SHA-256 of the codebook, every input and every output) into
/// the report folder, replacing it only when every file was written.
/// With no PATHs, analyses the bundled example (transcripts/metaconnects with
/// codebooks/metaconnects.toml and the guide codebooks/metaconnects-guide.txt into
/// reports/metaconnects, compared by group, summary.md by question), run from the repository
/// folder.
#[derive(Debug, clap::Args)]
pub struct Args {
    // Transcript files or folders.
    #[arg(value_name = "PATH", help = super::help::PATHS)]
    pub paths: Vec<PathBuf>,

    /// The codebook (any format qualkit reads). Required when PATHs are given.
    #[arg(short, long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Where the output goes: the report folder [default: reports/metaconnects for the bundled example, else qualkit-report].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Quotes per theme in quotes.md, spread across sessions and speakers; 0 for all.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub max_quotes: usize,

    /// Representative quotes per theme in summary.md and report.html: the coded turns most
    /// central to what the theme's turns say, differing from each other, one per speaker,
    /// spread over sessions (and groups, with --compare-by).
    #[arg(long, value_name = "N", default_value_t = crate::summary::DEFAULT_SUMMARY_QUOTES)]
    pub summary_quotes: usize,

    /// How summary.md is arranged: a section per theme, or per question (the themes raised
    /// under each, then the themes). The bundled example is arranged by question.
    #[arg(long, value_name = "BY", value_parser = super::input::named::<SummaryBy>())]
    pub summary_by: Option<SummaryBy>,

    /// The reports to write: all, summary (all but the tables that grow with the corpus:
    /// mentions and the segment matrix), or a list separated by commas of mentions,
    /// segments, frequencies, sessions, speakers, cooccurrence, questions, comparison,
    /// quotes, findings (summary.md), framework, workbook (tables.xlsx), html. manifest.json
    /// is always written.
    #[arg(long, value_name = "all|summary|LIST", default_value = "all")]
    pub tables: String,

    /// The forms of the mentions and the segment matrix: csv, parquet or both.
    #[arg(long, value_name = "FORMS", value_parser = super::input::named::<Forms>(), default_value = "both")]
    pub mentions: Forms,

    /// The rows of framework_matrix.csv and .xlsx: a speaker within a session, or a
    /// session.
    #[arg(long, value_name = "CASE", value_parser = super::input::named::<Cases>(), default_value = "speaker")]
    pub cases: Cases,

    // Moderators' turns.
    #[arg(long, help = super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    /// The unit that segment counts, the segment matrix and co-occurrence count: turn,
    /// sentence (turns cut at sentence ends) or session (presence per session).
    #[arg(long, value_name = "UNIT", value_parser = super::input::named::<Unit>(), default_value = "turn")]
    pub unit: Unit,

    /// Compare themes between groups (a session attribute such as `group` or `site`, a
    /// speaker attribute, or `session`): writes comparison.csv and a comparison section in
    /// report.html (see `qualkit compare`). The bundled example compares by `group`.
    #[arg(long, value_name = "ATTRIBUTE")]
    pub compare_by: Option<String>,

    /// With --compare-by: compare only these groups, in this order (separated by commas).
    #[arg(long, value_name = "A,B", value_delimiter = ',', requires = "compare_by")]
    pub compare_groups: Option<Vec<String>>,

    /// Replace the report folder even if it was not written by qualkit (it has no
    /// manifest.json).
    #[arg(long)]
    pub force: bool,

    // No progress bar, no summary.
    #[arg(short, long, help = super::help::QUIET)]
    pub quiet: bool,

    /// Deprecated: `--input-format` (the transcript format), kept one release.
    #[arg(long, value_name = "FORMAT", hide = true)]
    pub format: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,
}

/// The resolved configuration of one `analyze` run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The transcript files and folders.
    pub paths: Vec<PathBuf>,
    /// The codebook file.
    pub codebook: PathBuf,
    /// Coding options.
    pub coding: CodingOptions,
    /// The unit of segment counts and co-occurrence.
    pub unit: Unit,
    /// The groups to compare: what forms them, and which (all when `None`).
    pub compare: Option<(GroupBy, Option<Vec<String>>)>,
    /// Report options.
    pub report: ReportOptions,
    /// No progress bar and no summary.
    pub quiet: bool,
    /// How transcripts are read.
    pub input: Input,
    /// The options as the manifest records them.
    pub recorded: RunOptions,
    /// The command line as the manifest records it (see [`command_line`]); empty unless set.
    pub command_line: Vec<String>,
}

impl Args {
    /// Resolves the arguments into a configuration, applying the bundled-example defaults.
    pub fn resolve(mut self) -> Result<Config> {
        let bundled = self.paths.is_empty();
        if bundled && self.input.guide.is_none() {
            self.input.guide = Some(PathBuf::from(BUNDLED_GUIDE));
        }
        let (paths, codebook) = corpus_paths(self.paths, self.codebook)?;
        let out = self
            .out
            .unwrap_or_else(|| PathBuf::from(if bundled { BUNDLED_REPORTS } else { DEFAULT_OUT }));
        let compare_by = self.compare_by.or_else(|| bundled.then(|| BUNDLED_COMPARE_BY.into()));
        let summary_by =
            self.summary_by.unwrap_or(if bundled { BUNDLED_SUMMARY_BY } else { SummaryBy::Theme });
        let choice = Choice::parse(&self.tables, self.mentions)
            .map_err(|e| Error::Usage(format!("--tables {}: {e}", self.tables)))?;
        let path = |p: &PathBuf| crate::report::manifest::path_string(p);
        let recorded = RunOptions {
            tables: choice.name().to_string(),
            mentions: self.mentions.as_str().to_string(),
            paths: paths.iter().map(path).collect(),
            codebook: path(&codebook),
            out: path(&out),
            unit: self.unit.as_str().to_string(),
            include_moderators: self.include_moderators,
            max_quotes: self.max_quotes,
            summary_quotes: self.summary_quotes,
            summary_by: summary_by.as_str().to_string(),
            cases: self.cases.as_str().to_string(),
            compare_by: compare_by.clone(),
            compare_groups: self.compare_groups.clone(),
            format: self.input.input_format.clone().or_else(|| self.format.clone()),
            participants: self.input.participants.as_ref().map(path),
            guide: self.input.guide.as_ref().map(path),
            speaker_pattern: self.input.speaker_pattern.clone(),
            speaker_column: self.input.speaker_column.clone(),
            text_column: self.input.text_column.clone(),
            session_column: self.input.session_column.clone(),
            timestamp_column: self.input.timestamp_column.clone(),
            role_column: self.input.role_column.clone(),
            lossy: self.input.lossy,
            strict: self.input.strict,
        };
        Ok(Config {
            paths,
            codebook,
            coding: CodingOptions { include_moderators: self.include_moderators },
            unit: self.unit,
            compare: compare_by.map(|by| (GroupBy::parse(&by), self.compare_groups)),
            report: ReportOptions {
                out,
                max_quotes: (self.max_quotes > 0).then_some(self.max_quotes),
                summary_quotes: self.summary_quotes,
                summary_by,
                cases: self.cases,
                choice,
                force: self.force,
            },
            quiet: self.quiet,
            input: self.input.resolve_with(self.format.map(|f| ("analyze", f)))?,
            recorded,
            command_line: Vec::new(),
        })
    }
}

/// The command line as the manifest records it: `args` as given, the program written
/// `qualkit`, without `--threads` (the reports are the same for any number of threads).
pub fn command_line(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<String> {
    let mut out = vec!["qualkit".to_string()];
    let mut args = args.into_iter().skip(1).map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            args.next();
        } else if !arg.starts_with("--threads=") {
            out.push(arg);
        }
    }
    out
}

/// Runs `qualkit analyze`.
pub fn run(args: Args) -> Result<Outcome> {
    run_as(args, command_line(std::env::args_os()))
}

/// Runs `qualkit analyze` with `args`, recording `command_line` (the `qualkit …` words that
/// ask for this run, without `--threads`) in the manifest: the Python package's `analyze`
/// names the command line its options stand for.
pub fn run_as(args: Args, command_line: Vec<String>) -> Result<Outcome> {
    let mut config = args.resolve()?;
    config.command_line = command_line;
    let outcome = config.input.with_threads(|| execute(&config))?;
    if !config.quiet {
        super::print_stdout(&summary(&outcome))?;
    }
    Ok(Outcome::read(&outcome.failed))
}

/// What a run produced.
#[derive(Debug)]
pub struct Analyzed {
    /// The coded corpus, summarized.
    pub summary: Summary,
    /// The report folder and its files.
    pub written: Written,
    /// The files that could not be read (already printed on stderr).
    pub failed: Vec<Error>,
}

/// The whole pipeline for one configuration: transcripts are read and coded in batches, the
/// per-mention tables streamed to the report folder, and the other reports written from the
/// summary at the end. Messages about the input (skipped files, warnings, unreadable files)
/// are printed on stderr.
pub fn execute(config: &Config) -> Result<Analyzed> {
    let codebook = input::load_codebook(&config.codebook)?;
    let out = &config.report.out;
    refuse_report_folder_as_input(&config.paths, out)?;
    let participants = config.input.participants.as_ref().map(|p| p.path.as_path());
    refuse_report_folder_as_file(&config.codebook, "codebook", out)?;
    if let Some(p) = participants {
        refuse_report_folder_as_file(p, "participants file", out)?;
    }
    let provenance = Provenance {
        command: Command { args: config.command_line.clone(), options: config.recorded.clone() },
        codebook: HashedFile::of(&config.codebook)?,
        participants: participants.map(HashedFile::of).transpose()?,
        inputs: Vec::new(),
    };
    let mut own: Vec<&std::path::Path> = vec![out];
    if let Some(p) = &config.input.participants {
        own.push(&p.path);
    }
    let mut discovered = crate::ingest::discover(&config.paths, &own, config.input.options.format)?;
    let plan = Plan {
        codebook: &codebook,
        coding: config.coding,
        unit: config.unit,
        max_quotes: config.report.max_quotes,
        summary_quotes: config.report.summary_quotes,
        read: &config.input.options,
        participants: config.input.participants.as_ref(),
        strict: config.input.strict,
        out,
        force: config.report.force,
        batch_bytes: pipeline::batch_bytes(codebook.themes.len()),
        streams: (
            config.report.choice.stream(report::choice::Report::Mentions),
            config.report.choice.stream(report::choice::Report::Segments),
        ),
    };
    let sizes = pipeline::file_sizes(&discovered.files);
    let progress = super::progress::Progress::new(
        sizes.iter().sum(),
        discovered.files.len(),
        "files",
        config.quiet,
    );
    let mut warnings = 0usize;
    let streamed = pipeline::run(
        &plan,
        &mut discovered,
        &sizes,
        &mut |line| {
            warnings += 1;
            if warnings <= input::MAX_PRINTED_WARNINGS {
                eprintln!("warning: {line}");
            }
        },
        &|bytes| progress.done(bytes),
    );
    progress.finish();
    let Streamed { summary, dir, mut failed, notes, inputs } = streamed?;
    input::print_warnings_left_out(warnings);
    for n in &notes {
        eprintln!("warning: {n}");
    }
    if let Some(note) = discovered.note() {
        eprintln!("note: {note}");
    }
    input::report_failures(&mut failed, summary.sessions.is_empty())?;
    let tables = aggregate::build(&summary)?;
    let comparison = match &config.compare {
        Some((by, groups)) => Some(compare(&summary, by, groups.as_deref())?),
        None => None,
    };
    let provenance = Provenance { inputs, ..provenance };
    let written = report::write_all(
        dir,
        &summary,
        &tables,
        comparison.as_ref(),
        &config.report,
        &provenance,
    )?;
    Ok(Analyzed { summary, written, failed })
}

/// Refuses to read transcripts from inside the report folder, which the run replaces.
pub(super) fn refuse_report_folder_as_input(
    paths: &[PathBuf],
    out: &std::path::Path,
) -> Result<()> {
    for path in paths {
        if report::is_inside(path, out) {
            return Err(Error::Usage(format!(
                "the report folder {} holds the input {}; reports replace their folder, so \
                 choose another --out",
                out.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

/// Refuses to read the codebook or the participants file (`what`) from inside the report
/// folder, which the run replaces.
fn refuse_report_folder_as_file(
    file: &std::path::Path,
    what: &str,
    out: &std::path::Path,
) -> Result<()> {
    if report::is_inside(file, out) {
        return Err(Error::Usage(format!(
            "the report folder {} holds the {what} {}; reports replace their folder, so \
             choose another --out",
            out.display(),
            file.display()
        )));
    }
    Ok(())
}

/// The short summary printed on stdout.
fn summary(outcome: &Analyzed) -> String {
    let (summary, written) = (&outcome.summary, &outcome.written);
    let cb = &summary.codebook;
    let per_theme: Vec<u64> = summary.themes.iter().map(|t| t.mentions).collect();
    let found = per_theme.iter().filter(|&&n| n > 0).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sessions: {}  turns: {} ({} counted)  {}: {}",
        summary.sessions.len(),
        summary.turns(),
        summary.counted_turns(),
        if summary.options.include_moderators { "words" } else { "participant words" },
        summary.counted_words()
    );
    let _ = writeln!(
        out,
        "themes found: {found} of {} ({} mentions)",
        cb.themes.len(),
        summary.mention_count()
    );
    let mut leaves: Vec<usize> =
        (0..cb.themes.len()).filter(|&i| per_theme[i] > 0 && cb.themes[i].has_rules()).collect();
    leaves.sort_by_key(|&i| std::cmp::Reverse(per_theme[i]));
    if !leaves.is_empty() {
        let top: Vec<String> = leaves
            .iter()
            .take(5)
            .map(|&i| format!("{} {}", cb.themes[i].id, per_theme[i]))
            .collect();
        let _ = writeln!(out, "most mentioned: {}", top.join(", "));
    }
    let _ = writeln!(out, "reports: {} ({})", written.folder.display(), written.files.join(", "));
    if !outcome.failed.is_empty() {
        let _ = writeln!(
            out,
            "incomplete: {} could not be read and {} left out (errors on stderr)",
            if outcome.failed.len() == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", outcome.failed.len())
            },
            if outcome.failed.len() == 1 { "is" } else { "are" }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_command_line_leaves_out_the_program_path_and_threads() {
        let args = ["/usr/local/bin/qualkit", "analyze", "t", "--threads", "4", "-c", "cb.toml"];
        let line = command_line(args.map(std::ffi::OsString::from));
        assert_eq!(line, ["qualkit", "analyze", "t", "-c", "cb.toml"]);
        let line = command_line(["q", "analyze", "--threads=2", "--quiet"].map(Into::into));
        assert_eq!(line, ["qualkit", "analyze", "--quiet"]);
    }
}
