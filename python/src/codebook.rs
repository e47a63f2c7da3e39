//! `qualkit.Codebook`: a codebook read and compiled once, then used to code texts.

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::{make_array, Array, ArrayData, ArrayRef, StringArray};
use arrow::compute::{cast, take};
use arrow::datatypes::DataType;
use arrow::pyarrow::PyArrowType;
use arrow::record_batch::RecordBatch;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use qualkit::code::{examples, Engine};
use qualkit::codebook::lint::lint;

use crate::errors::{self, UsageError};
use crate::tables::{self, MENTION_COLUMNS};

/// A codebook, read from a file in any format qualkit reads and compiled for coding.
#[pyclass(module = "qualkit._qualkit", frozen)]
pub struct Codebook {
    codebook: qualkit::codebook::Codebook,
    engine: Engine,
}

#[pymethods]
impl Codebook {
    /// Reads and checks the codebook at `path` (TOML, CSV, REFI-QDA `.qdc`, LIWC `.dic`,
    /// Yoshikoder, Lexicoder, quanteda YAML, … by its extension) and compiles it.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Codebook> {
        let codebook = py.detach(|| qualkit::codebook::Codebook::load(&path));
        let codebook = codebook.map_err(errors::to_py)?;
        let engine = Engine::new(&codebook);
        Ok(Codebook { codebook, engine })
    }

    /// The codebook's name.
    #[getter]
    fn name(&self) -> &str {
        &self.codebook.name
    }

    /// The file it was read from.
    #[getter]
    fn path(&self) -> PathBuf {
        self.codebook.path.clone()
    }

    /// The language of its stemmer.
    #[getter]
    fn language(&self) -> &str {
        self.codebook.language.name()
    }

    /// What reading the file left out or changed, one sentence each.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.codebook.notes.clone()
    }

    /// The themes in codebook order (each root followed by its subtree), each a dict of
    /// `id`, `label`, `parent` (an id or None), `brief`, `terms`, `patterns`, `exclude`.
    #[getter]
    fn themes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for &i in self.codebook.order() {
            let t = &self.codebook.themes[i];
            let d = PyDict::new(py);
            d.set_item("id", &t.id)?;
            d.set_item("label", &t.label)?;
            d.set_item("parent", self.codebook.parent_of(i).map(|p| &self.codebook.themes[p].id))?;
            d.set_item("brief", &t.brief)?;
            d.set_item("terms", t.terms.iter().map(|x| x.value.as_str()).collect::<Vec<_>>())?;
            d.set_item(
                "patterns",
                t.patterns.iter().map(|x| x.value.as_str()).collect::<Vec<_>>(),
            )?;
            d.set_item("exclude", t.exclude.iter().map(|x| x.value.as_str()).collect::<Vec<_>>())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The lint warnings of `qualkit codebook check`: a list of dicts of `line`, `theme`
    /// and `message` (empty when the codebook is clean).
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for f in lint(&self.codebook) {
            let d = PyDict::new(py);
            d.set_item("line", f.line)?;
            d.set_item("theme", &f.theme)?;
            d.set_item("message", &f.message)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// Runs the codebook's examples and counterexamples (`qualkit codebook test`): a dict
    /// of `passed` (a count) and `failures`, each a dict of `theme`, `kind` (`example` or
    /// `counterexample`), `text`, `line` and `reason`.
    fn test<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let outcome = examples::run(&self.codebook, &self.engine);
        let failures = PyList::empty(py);
        for f in &outcome.failures {
            let d = PyDict::new(py);
            d.set_item("theme", &self.codebook.themes[f.theme].id)?;
            let kind = match f.kind {
                examples::ExampleKind::Example => "example",
                examples::ExampleKind::Counterexample => "counterexample",
            };
            d.set_item("kind", kind)?;
            d.set_item("text", &f.text)?;
            d.set_item("line", f.line)?;
            d.set_item("reason", &f.reason)?;
            failures.append(d)?;
        }
        let d = PyDict::new(py);
        d.set_item("passed", outcome.passed)?;
        d.set_item("failures", failures)?;
        Ok(d)
    }

    /// Codes an Arrow string array: a record batch of `row` (the text's index) and the
    /// mention columns.
    fn _code_array(
        &self,
        py: Python<'_>,
        texts: PyArrowType<ArrayData>,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let texts = strings(make_array(texts.0), "texts")?;
        let (rows, mut columns) = py.detach(|| tables::code(&self.codebook, &self.engine, &texts));
        let rows: ArrayRef = Arc::new(arrow::array::Int64Array::from_iter_values(
            rows.values().iter().map(|&r| r as i64),
        ));
        columns.insert(0, rows);
        let names = std::iter::once("row").chain(MENTION_COLUMNS);
        let batch = RecordBatch::try_from_iter(names.zip(columns)).expect("equal lengths");
        Ok(PyArrowType(batch))
    }

    /// Codes the column `text_column` of a record batch: one row per mention, with the
    /// batch's other columns (repeated for each mention of a row) then the mention columns.
    fn _code_batch(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        text_column: &str,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let batch = batch.0;
        let schema = batch.schema();
        let Some((index, _)) = schema.column_with_name(text_column) else {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(UsageError::new_err(format!(
                "the batch has no column '{text_column}' (its columns: {}); \
                 name the column of texts with text_column=",
                names.join(", ")
            )));
        };
        let texts = strings(batch.column(index).clone(), text_column)?;
        let kept: Vec<usize> = (0..batch.num_columns()).filter(|&k| k != index).collect();
        for &k in &kept {
            let name = schema.field(k).name();
            if MENTION_COLUMNS.contains(&name.as_str()) {
                return Err(UsageError::new_err(format!(
                    "the batch's column '{name}' has the name of a mention column ({}); \
                     rename it before coding",
                    MENTION_COLUMNS.join(", ")
                )));
            }
        }
        let result = py.detach(|| -> arrow::error::Result<RecordBatch> {
            let (rows, mentions) = tables::code(&self.codebook, &self.engine, &texts);
            let mut columns: Vec<(String, ArrayRef)> = Vec::new();
            for &k in &kept {
                columns.push((schema.field(k).name().clone(), take(batch.column(k), &rows, None)?));
            }
            columns.extend(MENTION_COLUMNS.iter().map(|n| n.to_string()).zip(mentions));
            RecordBatch::try_from_iter(columns)
        });
        result.map(PyArrowType).map_err(|e| errors::TableError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Codebook({:?}, {} themes, {})",
            self.codebook.name,
            self.codebook.themes.len(),
            self.codebook.language.name()
        )
    }
}

/// `array` as UTF-8 strings (large strings, string views and dictionaries of strings are
/// cast), or a usage error naming `what` and the type it has.
fn strings(array: ArrayRef, what: &str) -> PyResult<StringArray> {
    let cast_to = |a: &ArrayRef| cast(a, &DataType::Utf8).ok();
    let utf8 = match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
            cast_to(&array)
        }
        DataType::Null => cast_to(&array),
        _ => None,
    };
    let utf8 = utf8.ok_or_else(|| {
        UsageError::new_err(format!(
            "{what} must be strings, and this is an Arrow array of {}",
            array.data_type()
        ))
    })?;
    Ok(utf8.as_any().downcast_ref::<StringArray>().expect("cast to Utf8").clone())
}
