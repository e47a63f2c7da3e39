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

/// One table written as `NAME.csv` and `NAME.parquet` (or one of them, see [`Forms`]), one
/// batch of rows at a time. Every batch must have the same columns; the first one (even with
/// no rows) fixes them.
///
/// CSV rows are written as they come, boolean columns as 0/1. Parquet rows are gathered into
/// row groups of `GROUP_ROWS` rows, so the file does not depend on how the rows were
/// batched, and wide tables do not get a row group, with a compressor and metadata per
/// column, for every small batch.
pub struct TableStream {
    csv: Option<CsvPart>,
    parquet: Option<ParquetPart>,
}

/// The forms a streamed table is written in (`--mentions`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Forms {
    Csv,
    Parquet,
    #[default]
    Both,
}

impl crate::display::Named for Forms {
    const CHOICES: &'static [(Forms, &'static str, &'static str)] = &[
        (Forms::Csv, "csv", "CSV only (mentions.csv, segment_matrix.csv)"),
        (Forms::Parquet, "parquet", "Parquet only (mentions.parquet, segment_matrix.parquet)"),
        (Forms::Both, "both", "CSV and Parquet"),
    ];
}

impl Forms {
    /// The name, as `--mentions` takes it.
    pub fn as_str(self) -> &'static str {
        crate::display::Named::name(self)
    }
}

/// The CSV file of a stream.
struct CsvPart {
    path: PathBuf,
    out: BufWriter<Hashing<File>>,
    header: bool,
}

/// The Parquet file of a stream.
struct ParquetPart {
    path: PathBuf,
    file: Shared,
    writer: Option<polars::io::parquet::write::BatchedWriter<Shared>>,
    /// Rows not yet in a row group.
    pending: Option<DataFrame>,
}

impl std::fmt::Debug for TableStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.csv.as_ref().map(|c| &c.path).or(self.parquet.as_ref().map(|p| &p.path));
        f.debug_struct("TableStream").field("file", &path).finish_non_exhaustive()
    }
}

impl TableStream {
    /// Starts `NAME.csv` and `NAME.parquet` in the report folder, as `forms` asks.
    pub fn create(dir: &mut ReportDir, name: &str, forms: Forms) -> Result<TableStream> {
        let csv = match forms {
            Forms::Parquet => None,
            Forms::Csv | Forms::Both => {
                let (path, out) = dir.create_file(&format!("{name}.csv"))?;
                Some(CsvPart { path, out: BufWriter::with_capacity(1 << 20, out), header: true })
            }
        };
        let parquet = match forms {
            Forms::Csv => None,
            Forms::Parquet | Forms::Both => {
                let (path, file) = dir.create_file(&format!("{name}.parquet"))?;
                let file = Shared(Arc::new(Mutex::new(BufWriter::with_capacity(1 << 20, file))));
                Some(ParquetPart { path, file, writer: None, pending: None })
            }
        };
        Ok(TableStream { csv, parquet })
    }

    /// Appends a batch of rows: CSV with a header before the first batch, floats with 3
    /// decimals and empty cells for missing values (as [`super::write_csv`]); Parquet row
    /// groups as they fill (zstd, single-threaded so that the bytes are reproducible).
    pub fn push(&mut self, batch: &mut DataFrame) -> Result<()> {
        if let Some(csv) = &mut self.csv {
            csv.push(batch)?;
        }
        if let Some(parquet) = &mut self.parquet {
            parquet.push(batch)?;
        }
        Ok(())
    }

    /// Finishes the files, syncs them to disk and records their digests in `dir`.
    pub fn finish(self, dir: &mut ReportDir) -> Result<()> {
        if let Some(csv) = self.csv {
            csv.finish(dir)?;
        }
        if let Some(parquet) = self.parquet {
            parquet.finish(dir)?;
        }
        Ok(())
    }
}

impl CsvPart {
    fn push(&mut self, batch: &mut DataFrame) -> Result<()> {
        let mut csv = as_numbers(batch).map_err(|e| unwritten(&self.path, e))?;
        CsvWriter::new(&mut self.out)
            .include_header(self.header)
            .with_float_precision(Some(3))
            .n_threads(1)
            .finish(csv.as_mut().unwrap_or(batch))
            .map_err(|e| unwritten(&self.path, e))?;
        self.header = false;
        Ok(())
    }

    fn finish(self, dir: &mut ReportDir) -> Result<()> {
        if self.header {
            return Err(Error::Output {
                path: self.path,
                message: "was left without a header: no batch was written (a bug)".into(),
            });
        }
        let out = self.out.into_inner().map_err(|e| unwritten_io(&self.path, e.into_error()))?;
        let (file, hashed) = out.finish();
        file.sync_all().map_err(|e| unwritten_io(&self.path, e))?;
        dir.finished(&file_name(&self.path), hashed);
        Ok(())
    }
}

impl ParquetPart {
    fn push(&mut self, batch: &DataFrame) -> Result<()> {
        if self.writer.is_none() {
            let writer = ParquetWriter::new(self.file.clone())
                .set_parallel(false)
                .batched(batch.schema())
                .map_err(|e| unwritten(&self.path, e))?;
            self.writer = Some(writer);
        }
        match &mut self.pending {
            Some(pending) => {
                pending.vstack_mut(batch).map_err(|e| unwritten(&self.path, e))?;
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
        let writer = self.writer.as_mut().expect("started by the first batch");
        writer.write_batch(&group).map_err(|e| unwritten(&self.path, e))
    }

    fn finish(mut self, dir: &mut ReportDir) -> Result<()> {
        if let Some(rest) = self.pending.take() {
            self.write_group(rest)?;
        }
        let ParquetPart { path, file, writer, .. } = self;
        let Some(writer) = writer else {
            return Err(Error::Output {
                path,
                message: "was left without a schema: no batch was written (a bug)".into(),
            });
        };
        writer.finish().map_err(|e| unwritten(&path, e))?;
        drop(writer);
        let buffered = Arc::try_unwrap(file.0)
            .map_err(|_| Error::Output {
                path: path.clone(),
                message: "is still in use (a bug)".into(),
            })?
            .into_inner()
            .expect("the parquet file lock");
        let file = buffered.into_inner().map_err(|e| unwritten_io(&path, e.into_error()))?;
        let (file, hashed) = file.finish();
        file.sync_all().map_err(|e| unwritten_io(&path, e))?;
        dir.finished(&file_name(&path), hashed);
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
