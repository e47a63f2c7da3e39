//! Reports: writes the tables (CSV and Parquet through polars) and `quotes.md` into an
//! atomic report folder.

pub mod agreement;
pub mod codebook_doc;
pub mod comparison;
pub mod html;
pub mod output;
pub mod quotes;
pub mod templates;

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::aggregate::Tables;
use crate::analysis::Analysis;
use crate::error::Result;
pub use output::ReportDir;

/// What to write and where.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The report folder.
    pub out: PathBuf,
    /// Quotes per theme in `quotes.md` (`None`: all).
    pub max_quotes: Option<usize>,
    /// Replace `out` even if it does not look like a qualkit report folder.
    pub force: bool,
}

/// The report folder written and the files in it.
#[derive(Debug, Clone)]
pub struct Written {
    /// The report folder.
    pub folder: PathBuf,
    /// The file names, in the order they were written.
    pub files: Vec<String>,
}

/// Writes every report of a run. Nothing changes in `options.out` unless all succeed.
pub fn write_all(
    analysis: &Analysis,
    tables: &Tables,
    comparison: Option<&crate::compare::Comparison>,
    options: &ReportOptions,
) -> Result<Written> {
    let mut dir = ReportDir::create(&options.out, options.force)?;
    write_csv(&mut dir, "theme_frequencies.csv", &tables.theme_frequencies)?;
    let quoted = quotes::by_theme(analysis);
    dir.write_bytes("quotes.md", quotes::render(analysis, &quoted, options.max_quotes).as_bytes())?;
    write_csv(&mut dir, "session_matrix.csv", &tables.session_matrix)?;
    write_csv(&mut dir, "speaker_matrix.csv", &tables.speaker_matrix)?;
    write_csv(&mut dir, "cooccurrence.csv", &tables.cooccurrence)?;
    write_csv(&mut dir, "segment_matrix.csv", &tables.segment_matrix)?;
    write_parquet(&mut dir, "segment_matrix.parquet", &tables.segment_matrix)?;
    if let Some(c) = comparison {
        dir.write_bytes("comparison.csv", comparison::csv(c)?.as_bytes())?;
    }
    let page = html::render(analysis, tables, comparison, &quoted, options.max_quotes)?;
    dir.write_bytes("report.html", page.as_bytes())?;
    write_csv(&mut dir, "mentions.csv", &tables.mentions)?;
    write_parquet(&mut dir, "mentions.parquet", &tables.mentions)?;
    let files = dir.written().to_vec();
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
