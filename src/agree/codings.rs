//! Codings read from CSV: qualkit's own `mentions.csv` (written by `analyze`, or by a
//! REFI-QDA import) and the spreadsheets teams code in. Each row places a coded segment by
//! `session` and `turn`, or by `file` and `line`, optionally narrowed by `start` and `end`
//! (character offsets in the turn's text, end exclusive), and names its `theme` and `coder`.
//! Rows are only read here; [`super::resolve`] checks them against the transcripts.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::table::{csv_problem, LineCounter};

/// The file a report folder holds its mentions in.
pub const MENTIONS_FILE: &str = "mentions.csv";

/// One row of a coding file: where the segment is and which themes it was coded with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the row in the coding file.
    pub line: usize,
    /// The `session` cell.
    pub session: Option<String>,
    /// The `file` cell: the transcript file, as a path or a file name.
    pub file: Option<String>,
    /// The `turn` cell: the 1-based turn number within the session.
    pub turn: Option<usize>,
    /// The `line` cell: a 1-based line of the transcript file.
    pub file_line: Option<usize>,
    /// The `start` and `end` cells: character offsets in the turn's text, end exclusive.
    pub chars: Option<Range<usize>>,
    /// The themes of the `theme` cell (several separated by `;`); none when the row only says
    /// that its session (or turn) was coded.
    pub themes: Vec<String>,
    /// The `text` cell: the coded text, checked against the transcript when offsets are given.
    pub text: Option<String>,
}

/// The rows of one coder, from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    /// The coder's name: the `coder` cell, else the name given, else the file or folder name.
    pub coder: String,
    /// The file the rows come from.
    pub path: PathBuf,
    /// The rows, in file order.
    pub rows: Vec<Row>,
}

/// Reads the codings at `path`: a CSV (or TSV) file, or a report folder holding
/// `mentions.csv`. `name` names the coder (then the file may name at most one coder in its
/// `coder` column); without it, coders are named by the `coder` column, else after the file.
pub fn load(path: &Path, name: Option<&str>) -> Result<Vec<Coding>> {
    let file = if path.is_dir() {
        let file = path.join(MENTIONS_FILE);
        if !file.is_file() {
            return Err(Error::coding(
                path,
                None,
                format!(
                    "is a folder without {MENTIONS_FILE}; give a qualkit report folder, a \
                     mentions.csv or a coding CSV"
                ),
            ));
        }
        file
    } else {
        path.to_path_buf()
    };
    let text = if crate::imports::sheet::is_workbook(&file) {
        crate::imports::sheet::read(&file)?.to_csv()
    } else {
        let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, "read", e))?;
        crate::ingest::decode::decode(&file, bytes, false)?.text
    };
    parse(&file, &text, &default_name(path), name)
}

/// The rows of `imported` (another tool's coding placed on the transcripts, read from
/// `path`) as the coding of `coder`: one row per mention, by session, turn and characters.
pub fn of_import(imported: &crate::refi::import::Imported, path: &Path, coder: &str) -> Coding {
    let mut rows = Vec::new();
    for s in &imported.sessions {
        for im in &s.mentions {
            let m = &im.mention;
            rows.push(Row {
                line: im.source_line,
                session: Some(s.session.id.clone()),
                file: None,
                turn: Some(m.turn + 1),
                file_line: None,
                chars: Some(m.chars.clone()),
                themes: vec![imported.codebook.themes[m.theme].id.clone()],
                text: Some(s.session.turns[m.turn].text[m.bytes.clone()].to_string()),
            });
        }
    }
    Coding { coder: coder.to_string(), path: path.to_path_buf(), rows }
}

/// The coder name a file or folder gives when nothing else names the coder: the folder's
/// name for a report folder or its `mentions.csv`, else the file name without extension.
pub fn default_name(path: &Path) -> String {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let folder = if path.is_dir() {
        Some(path)
    } else if path.file_name().is_some_and(|n| n == MENTIONS_FILE) {
        path.parent().filter(|p| !p.as_os_str().is_empty())
    } else {
        None
    };
    folder
        .and_then(|f| f.canonicalize().ok().as_deref().and_then(stem).or_else(|| stem(f)))
        .or_else(|| stem(path))
        .unwrap_or_else(|| path.display().to_string())
}

/// The columns a coding file may have, found by their header (case and spaces ignored).
#[derive(Debug, Default)]
struct Columns {
    session: Option<usize>,
    file: Option<usize>,
    turn: Option<usize>,
    line: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    theme: Option<usize>,
    coder: Option<usize>,
    text: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord) -> Columns {
        let mut c = Columns::default();
        for (i, name) in header.iter().enumerate() {
            let key: String = name
                .trim()
                .trim_start_matches('\u{feff}')
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let slot = match key.as_str() {
                "session" | "session_id" => &mut c.session,
                "file" | "transcript" => &mut c.file,
                "turn" => &mut c.turn,
                "line" => &mut c.line,
                "start" => &mut c.start,
                "end" => &mut c.end,
                "theme" | "themes" | "code" | "codes" => &mut c.theme,
                "coder" | "rater" => &mut c.coder,
                "text" => &mut c.text,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        c
    }
}

/// What a coding file must look like, for messages.
const EXPECTED: &str = "a coding CSV needs a `theme` column and either `session` and `turn` \
                        or `file` and `line` columns (optionally `start`, `end`, `coder`), as \
                        in qualkit's mentions.csv";

/// Parses the coding file `path` (its text); `default` names the coder when neither `name`
/// nor a `coder` column does.
pub fn parse(path: &Path, text: &str, default: &str, name: Option<&str>) -> Result<Vec<Coding>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::imports::sheet::delimiter(path, text))
        .flexible(false)
        .from_reader(text.as_bytes());
    let problem = |err: csv::Error| {
        let (line, message) = csv_problem(text, &err);
        Error::coding(path, line, message)
    };
    let header = reader.headers().map_err(problem)?.clone();
    let cols = Columns::find(&header);
    let listed = header.iter().map(|h| h.trim()).collect::<Vec<_>>().join(",");
    if cols.theme.is_none() {
        return Err(Error::coding(
            path,
            Some(1),
            format!("no `theme` column in the header ({listed}); {EXPECTED}"),
        ));
    }
    if cols.session.is_none() && cols.file.is_none() {
        return Err(Error::coding(
            path,
            Some(1),
            format!("no `session` or `file` column in the header ({listed}); {EXPECTED}"),
        ));
    }
    if cols.turn.is_none() && cols.line.is_none() {
        return Err(Error::coding(
            path,
            Some(1),
            format!("no `turn` or `line` column in the header ({listed}); {EXPECTED}"),
        ));
    }
    if cols.start.is_some() != cols.end.is_some() {
        return Err(Error::coding(
            path,
            Some(1),
            "a `start` column needs an `end` column and the other way round (character \
             offsets in the turn's text, end exclusive)",
        ));
    }

    let mut codings: Vec<Coding> = Vec::new();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = record.map_err(problem)?;
        let line = lines.line(record.position());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i)).map(str::trim).filter(|c| !c.is_empty())
        };
        let row = parse_row(path, line, &cols, &record)?;
        let coder = cell(cols.coder).unwrap_or(default).to_string();
        match codings.iter_mut().find(|c| c.coder == coder) {
            Some(c) => c.rows.push(row),
            None => codings.push(Coding { coder, path: path.to_path_buf(), rows: vec![row] }),
        }
    }
    if let Some(name) = name {
        match codings.len() {
            0 => codings.push(Coding {
                coder: name.to_string(),
                path: path.to_path_buf(),
                rows: Vec::new(),
            }),
            1 => codings[0].coder = name.to_string(),
            _ => {
                return Err(Error::coding(
                    path,
                    None,
                    format!(
                        "its `coder` column names {} coders ({}), so it cannot be given one \
                         name; leave out NAME= (and --name) for this file",
                        codings.len(),
                        codings.iter().map(|c| c.coder.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ))
            }
        }
    } else if codings.is_empty() {
        codings.push(Coding { coder: default.to_string(), path: path.to_path_buf(), rows: vec![] });
    }
    Ok(codings)
}

/// Reads one row's cells.
fn parse_row(path: &Path, line: usize, cols: &Columns, record: &csv::StringRecord) -> Result<Row> {
    let cell =
        |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).filter(|c| !c.is_empty());
    let number = |i: Option<usize>, what: &str, from: usize| -> Result<Option<usize>> {
        let Some(text) = cell(i) else { return Ok(None) };
        match text.parse::<usize>() {
            Ok(n) if n >= from => Ok(Some(n)),
            _ => Err(Error::coding(
                path,
                Some(line),
                format!("`{what}` is `{text}`; expected a whole number from {from}"),
            )),
        }
    };
    let turn = number(cols.turn, "turn", 1)?;
    let file_line = number(cols.line, "line", 1)?;
    let start = number(cols.start, "start", 0)?;
    let end = number(cols.end, "end", 0)?;
    let chars = match (start, end) {
        (None, None) => None,
        (Some(s), Some(e)) if s <= e => Some(s..e),
        (Some(s), Some(e)) => {
            return Err(Error::coding(
                path,
                Some(line),
                format!("`start` {s} is after `end` {e}; offsets count characters of the turn's text from 0, end exclusive"),
            ))
        }
        _ => {
            return Err(Error::coding(
                path,
                Some(line),
                "give both `start` and `end` (character offsets in the turn's text), or \
                 neither to code the whole turn (or line)",
            ))
        }
    };
    let themes: Vec<String> = cell(cols.theme)
        .map(|t| t.split(';').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    let row = Row {
        line,
        session: cell(cols.session).map(String::from),
        file: cell(cols.file).map(String::from),
        turn,
        file_line,
        chars,
        themes,
        // The coded text is compared verbatim: keep its white space.
        text: cols.text.and_then(|i| record.get(i)).filter(|t| !t.is_empty()).map(String::from),
    };
    if row.session.is_none() && row.file.is_none() {
        return Err(Error::coding(
            path,
            Some(line),
            "the row names no `session` and no `file`; say which transcript was coded",
        ));
    }
    if row.turn.is_none() && row.file_line.is_none() {
        if row.chars.is_some() {
            return Err(Error::coding(
                path,
                Some(line),
                "`start` and `end` count characters in a turn's text: give the `turn` (or a \
                 `line` of it) too",
            ));
        }
        if !row.themes.is_empty() {
            return Err(Error::coding(
                path,
                Some(line),
                "the row names a theme but no `turn` and no `line`; say where in the \
                 transcript the theme was coded (a row with an empty theme and no turn only \
                 says that the session was coded)",
            ));
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<Coding>> {
        parse(Path::new("codes.csv"), text, "codes", None)
    }

    #[test]
    fn spreadsheet_rows_by_turn_and_by_line() {
        let codings = rows(
            "Session,Turn,Theme,Coder\n\
             mc-01,3,trust; patience,ana\n\
             \n\
             mc-01,4,,ana\n\
             mc-02,,,ben\n",
        )
        .unwrap();
        assert_eq!(codings.len(), 2);
        assert_eq!(codings[0].coder, "ana");
        assert_eq!(codings[0].rows[0].themes, ["trust", "patience"]);
        assert_eq!(codings[0].rows[0].turn, Some(3));
        assert_eq!(codings[0].rows[1].line, 4);
        assert!(codings[0].rows[1].themes.is_empty());
        assert_eq!(codings[1].coder, "ben");
        assert_eq!(codings[1].rows[0].session.as_deref(), Some("mc-02"));

        let by_line =
            parse(Path::new("c.csv"), "file;line;code\na.txt;12;trust\n", "c", None).unwrap();
        assert_eq!(by_line[0].coder, "c");
        assert_eq!(by_line[0].rows[0].file.as_deref(), Some("a.txt"));
        assert_eq!(by_line[0].rows[0].file_line, Some(12));
    }

    #[test]
    fn mentions_table_rows_keep_offsets_and_text() {
        let codings = rows(
            "session,file,line,turn,timestamp,speaker,role,site,theme,start,end,text,rule_kind\n\
             mc-01,t/a.txt,13,3,00:02:44,Marcus,participant,LA,partnership,37,44,housing,term\n",
        )
        .unwrap();
        let row = &codings[0].rows[0];
        assert_eq!((row.turn, row.file_line, row.chars.clone()), (Some(3), Some(13), Some(37..44)));
        assert_eq!(row.text.as_deref(), Some("housing"));
    }

    #[test]
    fn a_name_renames_a_single_coder_only() {
        let named =
            parse(Path::new("x.csv"), "session,turn,theme\ns,1,a\n", "x", Some("auto")).unwrap();
        assert_eq!(named[0].coder, "auto");
        let err = parse(
            Path::new("x.csv"),
            "session,turn,theme,coder\ns,1,a,ana\ns,1,a,ben\n",
            "x",
            Some("auto"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.csv: its `coder` column names 2 coders (ana, ben), so it cannot be given one \
             name; leave out NAME= (and --name) for this file"
        );
    }

    #[test]
    fn bad_rows_are_errors_with_their_line() {
        let err = |text: &str| rows(text).unwrap_err().to_string();
        assert_eq!(
            err("session,theme\nmc-01,trust\n"),
            "codes.csv:1: no `turn` or `line` column in the header (session,theme); a coding \
             CSV needs a `theme` column and either `session` and `turn` or `file` and `line` \
             columns (optionally `start`, `end`, `coder`), as in qualkit's mentions.csv"
        );
        assert_eq!(
            err("session,turn,theme\nmc-01,3,trust\nmc-01,three,trust\n"),
            "codes.csv:3: `turn` is `three`; expected a whole number from 1"
        );
        assert_eq!(
            err("session,turn,theme\nmc-01,0,trust\n"),
            "codes.csv:2: `turn` is `0`; expected a whole number from 1"
        );
        assert_eq!(
            err("session,turn,theme,start,end\nmc-01,2,trust,9,4\n"),
            "codes.csv:2: `start` 9 is after `end` 4; offsets count characters of the turn's \
             text from 0, end exclusive"
        );
        assert!(err("session,turn,theme\nmc-01,,trust\n")
            .starts_with("codes.csv:2: the row names a theme but no `turn` and no `line`"));
        assert!(
            err("session,turn,theme\nmc-01,2\n").starts_with("codes.csv:2: this row has 2 cells")
        );
    }
}
