//! Reports: writes the tables (CSV and Parquet through polars), `quotes.md`, the findings
//! (`summary.md`, [`findings`]), the framework matrix as CSV and Excel ([`framework`]),
//! `report.html` and the manifest into an atomic report folder; compares two report folders ([`diff`]) and checks
//! one against its manifest ([`verify`]).

pub mod agreement;
pub mod choice;
pub mod codebook_doc;
pub mod comparison;
pub mod diff;
pub mod findings;
pub mod framework;
pub mod html;
pub mod manifest;
pub mod output;
pub mod quotes;
pub mod stream;
pub mod summary_md;
pub mod templates;
pub mod verify;
pub mod workbook;

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::aggregate::Tables;
use crate::error::Result;
use crate::summary::Summary;
use choice::Report;
pub use output::ReportDir;
pub use summary_md::SummaryBy;

/// What to write and where.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The report folder.
    pub out: PathBuf,
    /// Quotes per theme in `quotes.md` (`None`: all).
    pub max_quotes: Option<usize>,
    /// Representative quotes per theme in `summary.md` and `report.html`.
    pub summary_quotes: usize,
    /// How `summary.md` is arranged.
    pub summary_by: SummaryBy,
    /// The rows of the framework matrix.
    pub cases: framework::Cases,
    /// Which reports are written (`--tables`, `--mentions`).
    pub choice: choice::Choice,
    /// Replace `out` even if it does not look like a qualkit report folder.
    pub force: bool,
}

impl ReportOptions {
    /// The defaults of `qualkit analyze`, into `out`.
    pub fn new(out: PathBuf) -> ReportOptions {
        ReportOptions {
            out,
            max_quotes: Some(25),
            summary_quotes: crate::summary::DEFAULT_SUMMARY_QUOTES,
            summary_by: SummaryBy::Theme,
            cases: framework::Cases::Speaker,
            choice: choice::Choice::default(),
            force: false,
        }
    }
}

/// The report folder written and the files in it.
#[derive(Debug, Clone)]
pub struct Written {
    /// The report folder.
    pub folder: PathBuf,
    /// The file names, sorted.
    pub files: Vec<String>,
}

/// Writes the corpus-wide reports of a run into `dir` (which already holds the streamed
/// tables, see [`stream`]), then `manifest.json` with the digest of every other file, and
/// puts the folder in place. Nothing changes in the report folder unless all succeed.
pub fn write_all(
    mut dir: ReportDir,
    summary: &Summary,
    tables: &Tables,
    comparison: Option<&crate::analysis::compare::Comparison>,
    options: &ReportOptions,
    provenance: &manifest::Provenance,
) -> Result<Written> {
    let wants = |report: Report| options.choice.writes(report);
    let csv_tables = [
        (Report::Frequencies, "theme_frequencies.csv", &tables.theme_frequencies),
        (Report::Sessions, "session_matrix.csv", &tables.session_matrix),
        (Report::Speakers, "speaker_matrix.csv", &tables.speaker_matrix),
        (Report::Cooccurrence, "cooccurrence.csv", &tables.cooccurrence),
        (Report::Questions, "question_matrix.csv", &tables.question_matrix),
    ];
    for (report, name, table) in csv_tables {
        if wants(report) {
            write_csv(&mut dir, name, table)?;
        }
    }
    if wants(Report::Quotes) {
        dir.write_bytes("quotes.md", quotes::render(summary, options.max_quotes).as_bytes())?;
    }
    if let Some(c) = comparison.filter(|_| wants(Report::Comparison)) {
        dir.write_bytes("comparison.csv", comparison::csv(c)?.as_bytes())?;
    }
    // The workbook of the tables is built from their files on a thread of its own while the
    // other reports are written.
    let sheets = workbook::sources(&dir);
    std::thread::scope(|scope| -> Result<()> {
        let book = wants(Report::Workbook).then(|| scope.spawn(|| workbook::build(&sheets)));
        let findings = findings::of(summary, tables, comparison, options.summary_quotes)?;
        if wants(Report::Findings) {
            let text = summary_md::render(&findings, options.summary_by);
            dir.write_bytes(summary_md::FILE, text.as_bytes())?;
        }
        if wants(Report::Framework) {
            let matrix = framework::of_summary(summary, options.cases);
            dir.write_with(framework::CSV_FILE, |out| {
                framework::write_csv(&matrix, out).map_err(|e| e.to_string())
            })?;
            dir.write_bytes(framework::XLSX_FILE, &framework::xlsx(&matrix)?)?;
        }
        if wants(Report::Html) {
            let page = html::render(summary, tables, comparison, &findings, options.max_quotes)?;
            dir.write_bytes("report.html", page.as_bytes())?;
        }
        match book {
            Some(book) => {
                let bytes = book.join().expect("building the workbook does not panic")?;
                dir.write_bytes(workbook::FILE, &bytes)
            }
            None => Ok(()),
        }
    })?;
    let manifest = provenance.manifest(summary, &dir.hashed()?);
    dir.write_bytes(manifest::MANIFEST_FILE, manifest.to_json().as_bytes())?;
    let mut files = dir.written();
    files.sort();
    let folder = dir.commit()?;
    Ok(Written { folder, files })
}

/// Writes a table as CSV: header row, floats with 3 decimals, empty cells for missing values.
pub fn write_csv(dir: &mut ReportDir, name: &str, table: &DataFrame) -> Result<()> {
    let mut table = table.clone();
    dir.write_with(name, |out| {
        CsvWriter::new(out)
            .include_header(true)
            .with_float_precision(Some(3))
            .n_threads(1)
            .finish(&mut table)
            .map_err(|e| e.to_string())
    })
}

/// Writes a table as Parquet (zstd-compressed, single-threaded so the bytes are reproducible).
pub fn write_parquet(dir: &mut ReportDir, name: &str, table: &DataFrame) -> Result<()> {
    let mut table = table.clone();
    dir.write_with(name, |out| {
        ParquetWriter::new(out)
            .set_parallel(false)
            .finish(&mut table)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

/// Whether `path` is the report folder or inside it.
pub fn is_inside(path: &Path, folder: &Path) -> bool {
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(p), Ok(f)) => p.starts_with(f),
        _ => false,
    }
}
