//! Reading a ratings file (CSV, TSV or the first sheet of an Excel workbook), in long form
//! (`unit,coder,value`: a unit a coder has no row for is a missing rating) or wide form
//! (the first column the unit, one column per coder: an empty cell is a missing rating).

use std::path::Path;

use super::ratings::{Categories, Ratings};
use crate::error::{Error, Result};
use crate::imports::sheet::{self, Sheet};

/// One rating read: the unit, the coder, the label, and the line it is on.
struct Cell {
    unit: usize,
    coder: usize,
    label: String,
    line: usize,
}

/// The ratings of the file at `path`, with the categories in `order` when given (every
/// value must be one of them), else in order of first appearance (numeric order when every
/// value is a number).
pub fn read_ratings(path: &Path, order: Option<&[String]>) -> Result<Ratings> {
    let sheet = sheet::read(path)?;
    let names: [&[&str]; 3] =
        [&["unit", "item", "subject"], &["coder", "rater"], &["value", "rating", "category"]];
    let long = names.map(|names| sheet.column(names));
    let (units, coders, cells) = match long {
        [Some(u), Some(c), Some(v)] => long_form(&sheet, [u, c, v])?,
        _ => wide_form(&sheet)?,
    };
    if cells.is_empty() {
        return Err(Error::coding(path, None, "no ratings: every value is empty"));
    }
    let categories = match order {
        Some(order) => Categories::new(order.to_vec()),
        None => Categories::from_appearance(cells.iter().map(|c| c.label.as_str())),
    };
    let mut matrix = vec![vec![None; coders.len()]; units.len()];
    for cell in &cells {
        let k = categories.index(&cell.label).ok_or_else(|| unknown(path, cell, &categories))?;
        let current = matrix[cell.unit][cell.coder];
        match current {
            Some(old) if old != k => return Err(twice(path, cell, &units, &coders)),
            _ => matrix[cell.unit][cell.coder] = Some(k),
        }
    }
    Ratings::new(categories, coders, units, matrix)
}

/// The error for a value that is not one of `--categories`.
fn unknown(path: &Path, cell: &Cell, categories: &Categories) -> Error {
    Error::coding(
        path,
        Some(cell.line),
        format!(
            "'{}' is not one of the categories given with --categories ({}); add it there, or correct the value",
            cell.label,
            categories.labels().join(", ")
        ),
    )
}

/// The error for a coder who rated a unit twice, differently.
fn twice(path: &Path, cell: &Cell, units: &[String], coders: &[String]) -> Error {
    Error::coding(
        path,
        Some(cell.line),
        format!(
            "coder '{}' rates unit '{}' a second time, differently ('{}'); keep one rating per coder and unit",
            coders[cell.coder], units[cell.unit], cell.label
        ),
    )
}

/// The index of `name` in `names`, appended when new.
fn intern(names: &mut Vec<String>, name: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or_else(|| {
        names.push(name.to_string());
        names.len() - 1
    })
}

/// The error for a row with fewer cells than the header.
fn short_row(sheet: &Sheet, line: usize, cells: usize) -> Error {
    Error::coding(
        &sheet.path,
        Some(line),
        format!(
            "this row has {cells} cells and the header {} ({}); every row needs a cell per column (an empty one for a missing rating)",
            sheet.header.len(),
            sheet.listed()
        ),
    )
}

type Read = (Vec<String>, Vec<String>, Vec<Cell>);

/// `unit,coder,value` rows.
fn long_form(sheet: &Sheet, [u, c, v]: [usize; 3]) -> Result<Read> {
    let (mut units, mut coders, mut cells) = (Vec::new(), Vec::new(), Vec::new());
    let needed = u.max(c).max(v) + 1;
    for row in &sheet.rows {
        if row.cells.len() < needed {
            return Err(short_row(sheet, row.line, row.cells.len()));
        }
        let (unit, coder, label) =
            (sheet.cell(row, Some(u)), sheet.cell(row, Some(c)), sheet.cell(row, Some(v)));
        if unit.is_empty() || coder.is_empty() {
            let what = if unit.is_empty() { "unit" } else { "coder" };
            return Err(Error::coding(
                &sheet.path,
                Some(row.line),
                format!("this row has no {what}; every row names a unit, a coder and a value"),
            ));
        }
        let (unit, coder) = (intern(&mut units, unit), intern(&mut coders, coder));
        if !label.is_empty() {
            cells.push(Cell { unit, coder, label: label.to_string(), line: row.line });
        }
    }
    Ok((units, coders, cells))
}

/// A unit column, then one column per coder.
fn wide_form(sheet: &Sheet) -> Result<Read> {
    if sheet.header.len() < 3 {
        return Err(Error::coding(
            &sheet.path,
            Some(1),
            format!(
                "the header is {}: expected unit,coder,value (long form) or a unit column and one column per coder, two or more (wide form)",
                sheet.listed()
            ),
        ));
    }
    let coders: Vec<String> = sheet.header[1..].to_vec();
    let (mut units, mut cells) = (Vec::new(), Vec::new());
    for row in &sheet.rows {
        if row.cells.len() < sheet.header.len() {
            return Err(short_row(sheet, row.line, row.cells.len()));
        }
        let unit = intern(&mut units, sheet.cell(row, Some(0)));
        for coder in 0..coders.len() {
            let label = sheet.cell(row, Some(coder + 1));
            if !label.is_empty() {
                cells.push(Cell { unit, coder, label: label.to_string(), line: row.line });
            }
        }
    }
    Ok((units, coders, cells))
}
