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

/// One table written as `NAME.csv` and `NAME.parquet`, one batch of rows at a time. Every
/// batch must have the same columns; the first one (even with no rows) fixes them.
pub struct TableStream {
    csv_path: PathBuf,
    csv: BufWriter<Hashing<File>>,
    parquet_path: PathBuf,
    parquet_file: Shared,
    parquet: Option<polars::io::parquet::write::BatchedWriter<Shared>>,
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
            header: true,
        })
    }

    /// Appends a batch of rows: CSV with a header before the first batch, floats with 3
    /// decimals and empty cells for missing values (as [`super::write_csv`]); one Parquet row
    /// group per batch (zstd, single-threaded so that the bytes are reproducible).
    pub fn push(&mut self, batch: &mut DataFrame) -> Result<()> {
        CsvWriter::new(&mut self.csv)
            .include_header(self.header)
            .with_float_precision(Some(3))
            .n_threads(1)
            .finish(batch)
            .map_err(|e| self.failed(&self.csv_path, e))?;
        self.header = false;
        if self.parquet.is_none() {
            let writer = ParquetWriter::new(self.parquet_file.clone())
                .set_parallel(false)
                .batched(batch.schema())
                .map_err(|e| self.failed(&self.parquet_path, e))?;
            self.parquet = Some(writer);
        }
        if batch.height() > 0 {
            batch.rechunk_mut();
            let writer = self.parquet.as_mut().expect("started above");
            writer.write_batch(batch).map_err(|e| unwritten(&self.parquet_path, e))?;
        }
        Ok(())
    }

    /// Finishes both files, syncs them to disk and records their digests in `dir`.
    pub fn finish(self, dir: &mut ReportDir) -> Result<()> {
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

    fn failed(&self, path: &std::path::Path, e: PolarsError) -> Error {
        unwritten(path, e)
    }
}

/// The name of a file in the report folder.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
