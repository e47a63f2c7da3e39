//! The file formats a codebook can be read from and written to, chosen by extension or by
//! name, and the round-trip guarantee of the lossless ones.

use std::path::Path;

use super::doc::Document;
use super::{Codebook, RawCodebook};
use crate::error::{Error, Result};

/// A codebook file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodebookFormat {
    /// qualkit's own form: `[codebook]` and `[[theme]]` tables.
    Toml,
    /// The TOML structure as JSON.
    Json,
    /// The TOML structure as YAML.
    Yaml,
    /// The spreadsheet form: one row per theme, lists separated by `;`.
    Csv,
    /// A LIWC dictionary (`.dic`): categories and their words.
    Liwc,
    /// A REFI-QDA codebook (`.qdc`, QDA-XML Codebook 1.0).
    Qdc,
    /// A LIWC-22 dictionary (`.dicx`): a CSV of words with one column per category.
    Dicx,
    /// A WordStat dictionary (`.cat`), read only.
    WordStat,
    /// A Yoshikoder dictionary (`.ykd`), read only.
    Yoshikoder,
    /// A Lexicoder dictionary (`.lc3`, `.lcd`), read only.
    Lexicoder,
    /// A quanteda YAML dictionary (`.yml` whose top level is categories), read only.
    Quanteda,
    /// Taguette's codebook export (`.csv` with a `tag` column), read only.
    Taguette,
    /// The spreadsheet form (or Taguette's codebook) saved as an Excel workbook, read only:
    /// its first sheet is read as the CSV would be.
    Xlsx,
}

impl CodebookFormat {
    /// Every format, in the order messages list them.
    pub const ALL: [CodebookFormat; 13] = [
        CodebookFormat::Toml,
        CodebookFormat::Json,
        CodebookFormat::Yaml,
        CodebookFormat::Csv,
        CodebookFormat::Liwc,
        CodebookFormat::Qdc,
        CodebookFormat::Dicx,
        CodebookFormat::WordStat,
        CodebookFormat::Yoshikoder,
        CodebookFormat::Lexicoder,
        CodebookFormat::Quanteda,
        CodebookFormat::Taguette,
        CodebookFormat::Xlsx,
    ];

    /// The format's name, as `--from`/`--to` take it.
    pub fn name(self) -> &'static str {
        match self {
            CodebookFormat::Toml => "toml",
            CodebookFormat::Json => "json",
            CodebookFormat::Yaml => "yaml",
            CodebookFormat::Csv => "csv",
            CodebookFormat::Liwc => "dic",
            CodebookFormat::Qdc => "qdc",
            CodebookFormat::Dicx => "dicx",
            CodebookFormat::WordStat => "cat",
            CodebookFormat::Yoshikoder => "ykd",
            CodebookFormat::Lexicoder => "lc3",
            CodebookFormat::Quanteda => "quanteda",
            CodebookFormat::Taguette => "taguette",
            CodebookFormat::Xlsx => "xlsx",
        }
    }

    /// Looks a format up by name or extension (`yml`, `liwc` and `refi` are accepted too).
    pub fn from_name(name: &str) -> Option<CodebookFormat> {
        let name = name.trim().trim_start_matches('.').to_ascii_lowercase();
        Some(match name.as_str() {
            "toml" => CodebookFormat::Toml,
            "json" => CodebookFormat::Json,
            "yaml" | "yml" => CodebookFormat::Yaml,
            "csv" => CodebookFormat::Csv,
            "dic" | "liwc" => CodebookFormat::Liwc,
            "qdc" | "refi" | "xml" => CodebookFormat::Qdc,
            "dicx" | "liwc22" => CodebookFormat::Dicx,
            "cat" | "wordstat" => CodebookFormat::WordStat,
            "ykd" | "yoshikoder" => CodebookFormat::Yoshikoder,
            "lc3" | "lcd" | "lexicoder" => CodebookFormat::Lexicoder,
            "quanteda" => CodebookFormat::Quanteda,
            "taguette" => CodebookFormat::Taguette,
            "xlsx" | "xlsm" | "xls" => CodebookFormat::Xlsx,
            _ => return None,
        })
    }

    /// The format a file's extension names.
    pub fn from_path(path: &Path) -> Option<CodebookFormat> {
        path.extension().and_then(|e| e.to_str()).and_then(CodebookFormat::from_name)
    }

    /// The format of `path`: `given`, else the extension's, else an error saying what to do.
    pub fn for_path(path: &Path, given: Option<CodebookFormat>) -> Result<CodebookFormat> {
        given.or_else(|| CodebookFormat::from_path(path)).ok_or_else(|| {
            Error::codebook(
                path,
                None,
                None,
                format!(
                    "cannot tell the codebook format from the file name; use one of the \
                     extensions {} or name the format with --from/--to",
                    CodebookFormat::ALL.map(|f| format!(".{}", f.name())).join(", ")
                ),
            )
        })
    }

    /// Whether writing in this format keeps everything a codebook says.
    pub fn is_lossless(self) -> bool {
        matches!(
            self,
            CodebookFormat::Toml
                | CodebookFormat::Json
                | CodebookFormat::Yaml
                | CodebookFormat::Csv
                | CodebookFormat::Qdc
        )
    }

    /// Whether qualkit writes this format (the dictionaries of WordStat, Yoshikoder,
    /// Lexicoder and quanteda, and Taguette's codebook, are only read).
    pub fn is_writable(self) -> bool {
        !matches!(
            self,
            CodebookFormat::WordStat
                | CodebookFormat::Yoshikoder
                | CodebookFormat::Lexicoder
                | CodebookFormat::Quanteda
                | CodebookFormat::Taguette
                | CodebookFormat::Xlsx
        )
    }

    /// The format the content of a file in `self` (named by its extension) is written in: a
    /// YAML file whose top level is categories is a quanteda dictionary, a CSV file with a
    /// `tag` column and no `id` column Taguette's codebook.
    pub fn by_content(self, text: &str) -> CodebookFormat {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match self {
            CodebookFormat::Yaml if super::dictionary::quanteda::is_dictionary(text) => {
                CodebookFormat::Quanteda
            }
            CodebookFormat::Csv if super::taguette::is_taguette(text) => CodebookFormat::Taguette,
            other => other,
        }
    }

    /// Whether the themes are written in file order. A `.qdc` nests codes in their parents,
    /// so it writes them in codebook order (each parent followed by its children), which
    /// differs only when a file lists a child before its parent.
    pub fn keeps_file_order(self) -> bool {
        !matches!(self, CodebookFormat::Qdc)
    }
}

impl std::fmt::Display for CodebookFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Options for reading a codebook.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// LIWC dictionaries: match plain words by stem (by default they match exactly, as LIWC
    /// does).
    pub stem: bool,
}

/// A codebook written in some format, with what the format could not carry.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The file's text.
    pub text: String,
    /// What was left out or changed, one sentence each.
    pub notes: Vec<String>,
}

/// Reads the text of a codebook file in `format`.
pub(super) fn parse(
    path: &Path,
    text: &str,
    format: CodebookFormat,
    options: &ImportOptions,
) -> Result<RawCodebook> {
    let stem = options.stem;
    match format.by_content(text) {
        CodebookFormat::Toml => super::toml::parse(path, text),
        CodebookFormat::Json => {
            let doc: Document = serde_json::from_str(text).map_err(|e| {
                Error::codebook(
                    path,
                    Some(e.line()),
                    None,
                    format!("invalid JSON codebook: {}", strip_location(&e.to_string())),
                )
            })?;
            super::doc::raw_codebook(path, doc, text)
        }
        CodebookFormat::Yaml => {
            let doc: Document = yaml_serde::from_str(text).map_err(|e| {
                Error::codebook(
                    path,
                    e.location().map(|l| l.line()),
                    None,
                    format!("invalid YAML codebook: {}", strip_location(&e.to_string())),
                )
            })?;
            super::doc::raw_codebook(path, doc, text)
        }
        CodebookFormat::Csv => super::csv::parse(path, text),
        CodebookFormat::Liwc => super::liwc::parse(path, text, options),
        CodebookFormat::Qdc => super::qdc::parse(path, text),
        CodebookFormat::Dicx => super::dictionary::dicx::parse(path, text, stem),
        CodebookFormat::WordStat => super::dictionary::wordstat::parse(path, text, stem),
        CodebookFormat::Yoshikoder => super::dictionary::yoshikoder::parse(path, text, stem),
        CodebookFormat::Lexicoder => super::dictionary::lexicoder::parse(path, text, stem),
        CodebookFormat::Quanteda => super::dictionary::quanteda::parse(path, text, stem),
        CodebookFormat::Taguette => super::taguette::parse(path, text),
        // A workbook's sheet comes here as CSV text (see `Codebook::from_bytes`).
        CodebookFormat::Xlsx => parse(path, text, CodebookFormat::Csv, options),
    }
}

/// Drops the ` at line N column M` that serde errors end with (the line is given apart).
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Writes `cb` in `format`. For the lossless formats the text is read back and compared, so
/// a codebook that a format cannot carry exactly is an error rather than a silent change.
pub fn export(cb: &Codebook, format: CodebookFormat) -> Result<Exported> {
    let (text, notes) = match format {
        CodebookFormat::Toml => (super::writer::toml(cb), Vec::new()),
        CodebookFormat::Json => (super::writer::json(cb), Vec::new()),
        CodebookFormat::Yaml => (super::writer::yaml(cb), Vec::new()),
        CodebookFormat::Csv => (super::csv::write(cb), Vec::new()),
        CodebookFormat::Liwc => {
            let exported = super::liwc::write(cb)?;
            (exported.text, exported.notes)
        }
        CodebookFormat::Qdc => {
            let exported = super::qdc::write(cb)?;
            (exported.text, exported.notes)
        }
        CodebookFormat::Dicx => {
            let exported = super::dictionary::dicx::write(cb)?;
            (exported.text, exported.notes)
        }
        CodebookFormat::WordStat
        | CodebookFormat::Yoshikoder
        | CodebookFormat::Lexicoder
        | CodebookFormat::Quanteda
        | CodebookFormat::Taguette
        | CodebookFormat::Xlsx => {
            let writable: Vec<String> = CodebookFormat::ALL
                .iter()
                .filter(|f| f.is_writable())
                .map(|f| f.name().to_string())
                .collect();
            return Err(Error::Usage(format!(
                "qualkit reads {format} files but does not write them; write one of: {}",
                writable.join(", ")
            )));
        }
    };
    if format.is_lossless() {
        // A format that nests codes writes them in codebook order: that is what it keeps.
        let reordered;
        let expected = if format.keeps_file_order() {
            cb
        } else {
            reordered = cb.in_codebook_order();
            &reordered
        };
        let back = parse(&cb.path, &text, format, &ImportOptions::default())
            .and_then(|raw| Codebook::build(&cb.path, raw))
            .map_err(|e| {
                Error::codebook(
                    &cb.path,
                    None,
                    None,
                    format!("the {format} form of this codebook does not read back ({e}); please report this"),
                )
            })?;
        if let Some(difference) = first_difference(expected, &back) {
            return Err(Error::codebook(
                &cb.path,
                None,
                None,
                format!("cannot be written as {format} without changing it: {difference}"),
            ));
        }
    }
    Ok(Exported { text, notes })
}

/// The first way `b` says something other than `a`, for messages; `None` when they agree.
pub fn first_difference(a: &Codebook, b: &Codebook) -> Option<String> {
    let (da, db) = (Document::of(a), Document::of(b));
    if da == db {
        return None;
    }
    if da.codebook != db.codebook {
        let (field, before, after) = field_difference(&da.codebook, &db.codebook)?;
        return Some(format!("the [codebook] setting `{field}` {before} became {after}"));
    }
    if da.theme.len() != db.theme.len() {
        return Some(format!("{} themes became {}", da.theme.len(), db.theme.len()));
    }
    for (ta, tb) in da.theme.iter().zip(&db.theme) {
        if ta != tb {
            let (field, before, after) = field_difference(ta, tb)?;
            return Some(format!("theme '{}': `{field}` {before} became {after}", ta.id));
        }
    }
    None
}

/// The first field in which `a` and `b` differ, with its value in each as JSON (`(absent)`
/// when a side has none).
fn field_difference<T: serde::Serialize>(a: &T, b: &T) -> Option<(String, String, String)> {
    let (ja, jb) = (serde_json::to_value(a).ok()?, serde_json::to_value(b).ok()?);
    let field = ja
        .as_object()
        .into_iter()
        .flatten()
        .chain(jb.as_object().into_iter().flatten())
        .map(|(k, _)| k)
        .find(|k| ja.get(*k) != jb.get(*k))
        .cloned()
        .unwrap_or_default();
    let shown = |v: &serde_json::Value| {
        v.get(&field).map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into())
    };
    Some((field.clone(), shown(&ja), shown(&jb)))
}
