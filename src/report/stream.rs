//! Tables that grow with the corpus (the mentions and the segment matrix), written batch by
//! batch as CSV and Parquet into the report folder being built, so that they are never held
//! whole in memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use polars::prelude::*;

use super::output::{unwritten, unwritten_io, Hashing, ReportDir};
use crate::error::{Error, Result};

/// A buffered file shared between the Parquet writer (which owns its writer) and the stream
/// (which syncs the file at the end).
#[derive(Clone)]
struct Shared(Arc<Mutex<BufWriter<Hashing<File>>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the parquet file lock").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().expect("the parquet file lock").flush()
    }
}

/// Rows per Parquet row group (the last one may have fewer). Each row group costs a
/// compressor and footer metadata per column, so they should not be small.
const GROUP_ROWS: usize = 1 << 16;

/// One table written as `NAME.csv` and `NAME.parquet`, one batch of rows at a time. Every
/// batch must have the same columns; the first one (even with no rows) fixes them.
///
/// CSV rows are written as they come, boolean columns as 0/1. Parquet rows are gathered into
/// row groups of `GROUP_ROWS` rows, so the file does not depend on how the rows were
/// batched, and wide tables do not get a row group, with a compressor and metadata per
/// column, for every small batch.
pub struct TableStream {
    csv_path: PathBuf,
    csv: BufWriter<Hashing<File>>,
    parquet_path: PathBuf,
    parquet_file: Shared,
    parquet: Option<polars::io::parquet::write::BatchedWriter<Shared>>,
    /// Rows not yet in a row group.
    pending: Option<DataFrame>,
    header: bool,
}

impl std::fmt::Debug for TableStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableStream").field("csv", &self.csv_path).finish_non_exhaustive()
    }
}

impl TableStream {
    /// Starts `NAME.csv` and `NAME.parquet` in the report folder.
    pub fn create(dir: &mut ReportDir, name: &str) -> Result<TableStream> {
        let (csv_path, csv) = dir.create_file(&format!("{name}.csv"))?;
        let (parquet_path, parquet) = dir.create_file(&format!("{name}.parquet"))?;
        Ok(TableStream {
            csv_path,
            csv: BufWriter::with_capacity(1 << 20, csv),
            parquet_path,
            parquet_file: Shared(Arc::new(Mutex::new(BufWriter::with_capacity(1 << 20, parquet)))),
            parquet: None,
            pending: None,
            header: true,
        })
    }

    /// Appends a batch of rows: CSV with a header before the first batch, floats with 3
    /// decimals and empty cells for missing values (as [`super::write_csv`]); Parquet row
    /// groups as they fill (zstd, single-threaded so that the bytes are reproducible).
    pub fn push(&mut self, batch: &mut DataFrame) -> Result<()> {
        let mut csv = as_numbers(batch).map_err(|e| unwritten(&self.csv_path, e))?;
        CsvWriter::new(&mut self.csv)
            .include_header(self.header)
            .with_float_precision(Some(3))
            .n_threads(1)
            .finish(csv.as_mut().unwrap_or(batch))
            .map_err(|e| unwritten(&self.csv_path, e))?;
        self.header = false;
        if self.parquet.is_none() {
            let writer = ParquetWriter::new(self.parquet_file.clone())
                .set_parallel(false)
                .batched(batch.schema())
                .map_err(|e| unwritten(&self.parquet_path, e))?;
            self.parquet = Some(writer);
        }
        match &mut self.pending {
            Some(pending) => {
                pending.vstack_mut(batch).map_err(|e| unwritten(&self.parquet_path, e))?;
            }
            None => self.pending = Some(batch.clone()),
        }
        while self.pending.as_ref().is_some_and(|p| p.height() >= GROUP_ROWS) {
            let pending = self.pending.take().expect("checked above");
            let rest = pending.slice(GROUP_ROWS as i64, pending.height() - GROUP_ROWS);
            self.write_group(pending.slice(0, GROUP_ROWS))?;
            self.pending = Some(rest);
        }
        Ok(())
    }

    /// Writes one Parquet row group.
    fn write_group(&mut self, mut group: DataFrame) -> Result<()> {
        if group.height() == 0 {
            return Ok(());
        }
        group.rechunk_mut();
        let writer = self.parquet.as_mut().expect("started by the first batch");
        writer.write_batch(&group).map_err(|e| unwritten(&self.parquet_path, e))
    }

    /// Finishes both files, syncs them to disk and records their digests in `dir`.
    pub fn finish(mut self, dir: &mut ReportDir) -> Result<()> {
        if let Some(rest) = self.pending.take() {
            self.write_group(rest)?;
        }
        let TableStream { csv_path, csv, parquet_path, parquet_file, parquet, .. } = self;
        let Some(parquet) = parquet else {
            return Err(Error::Output {
                path: csv_path,
                message: "was left without a header: no batch was written (a bug)".into(),
            });
        };
        parquet.finish().map_err(|e| unwritten(&parquet_path, e))?;
        drop(parquet);
        let csv = csv.into_inner().map_err(|e| unwritten_io(&csv_path, e.into_error()))?;
        let (csv, hashed) = csv.finish();
        csv.sync_all().map_err(|e| unwritten_io(&csv_path, e))?;
        dir.finished(&file_name(&csv_path), hashed);
        let buffered = Arc::try_unwrap(parquet_file.0)
            .map_err(|_| Error::Output {
                path: parquet_path.clone(),
                message: "is still in use (a bug)".into(),
            })?
            .into_inner()
            .expect("the parquet file lock");
        let file =
            buffered.into_inner().map_err(|e| unwritten_io(&parquet_path, e.into_error()))?;
        let (file, hashed) = file.finish();
        file.sync_all().map_err(|e| unwritten_io(&parquet_path, e))?;
        dir.finished(&file_name(&parquet_path), hashed);
        Ok(())
    }
}

/// `table` with its boolean columns as 0/1 numbers (`None`: it has none).
fn as_numbers(table: &DataFrame) -> PolarsResult<Option<DataFrame>> {
    if !table.columns().iter().any(|c| c.dtype() == &DataType::Boolean) {
        return Ok(None);
    }
    let columns = table
        .columns()
        .iter()
        .map(|c| {
            if c.dtype() == &DataType::Boolean {
                c.cast(&DataType::UInt32)
            } else {
                Ok(c.clone())
            }
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(table.height(), columns).map(Some)
}

/// The name of a file in the report folder.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
