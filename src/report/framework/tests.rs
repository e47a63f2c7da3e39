use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

use super::*;

/// A theme of the test matrix.
fn theme(id: &str, label: &str, color: Option<&str>, top: usize, depth: usize) -> FrameworkTheme {
    FrameworkTheme {
        id: id.into(),
        label: label.into(),
        color: color.map(str::to_string),
        top,
        depth,
    }
}

/// A cell with `mentions`, and a quote at `source` when given.
fn cell(mentions: u64, quote: Option<(&'static str, &'static str, u32)>) -> FrameworkCell<'static> {
    FrameworkCell {
        mentions,
        quote: quote.map(|q| q.0),
        source: quote.map(|q| Source { file: Path::new(q.1), line: q.2 }),
    }
}

/// A case row, one cell per theme of the matrix.
fn row(case: [&str; 3], cells: Vec<FrameworkCell<'static>>) -> FrameworkRow<'static> {
    FrameworkRow {
        case: case.iter().map(|s| s.to_string()).collect(),
        cells: cells.into_iter().enumerate().collect(),
    }
}

/// Two top-level themes (one with a child, one with a colour the workbook ignores), three
/// speakers: Ana speaks of trust (a quote with a comma), Ben of cost (a quote with a new
/// line), Cy of nothing and has no site.
fn matrix() -> FrameworkMatrix<'static> {
    FrameworkMatrix {
        cases: "speaker",
        case_columns: vec!["session".into(), "speaker".into(), "site".into()],
        themes: vec![
            theme("trust", "Trust", Some("#2E86AB"), 0, 0),
            theme("trust.police", "Police", None, 0, 1),
            theme("cost", "Cost: rent/bills", Some("steelblue"), 2, 0),
        ],
        rows: vec![
            row(
                ["s1", "Ana", "South LA"],
                vec![
                    cell(2, Some(("I trust them, mostly.", "t/a.txt", 4))),
                    cell(1, Some(("Not the police.", "t/a.txt", 9))),
                    cell(0, None),
                ],
            ),
            row(
                ["s1", "Ben", "South LA"],
                vec![
                    cell(0, None),
                    cell(0, None),
                    cell(3, Some(("Rent went up.\nThen bills.", "t/a.txt", 12))),
                ],
            ),
            row(["s2", "Cy", ""], vec![cell(0, None), cell(0, None), cell(0, None)]),
        ],
    }
}

/// The sheet `name` of the workbook `bytes`, read back with calamine.
fn read_sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    book.worksheet_range(name).unwrap()
}

/// The text of a cell ("" when empty), failing on a number.
fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => panic!("({row}, {col}) holds {other:?}, not text"),
    }
}

/// The header row of a sheet.
fn header(range: &Range<Data>) -> Vec<String> {
    (0..range.width()).map(|c| text(range, 0, c)).collect()
}

#[test]
fn framework_csv_has_three_columns_per_theme_and_quotes_what_needs_it() {
    let expected = "\
session,speaker,site,trust,trust_quote,trust_source,trust.police,trust.police_quote,\
trust.police_source,cost,cost_quote,cost_source
s1,Ana,South LA,2,\"I trust them, mostly.\",t/a.txt:4,1,Not the police.,t/a.txt:9,0,,
s1,Ben,South LA,0,,,0,,,3,\"Rent went up.
Then bills.\",t/a.txt:12
s2,Cy,,0,,,0,,,0,,
";
    assert_eq!(csv(&matrix()), expected);
}

#[test]
fn framework_csv_fills_short_rows_with_empty_cells() {
    let mut m = matrix();
    m.rows = vec![FrameworkRow { case: vec!["s9".into()], cells: vec![(0, cell(4, None))] }];
    let expected = "\
session,speaker,site,trust,trust_quote,trust_source,trust.police,trust.police_quote,\
trust.police_source,cost,cost_quote,cost_source
s9,,,4,,,0,,,0,,
";
    assert_eq!(csv(&m), expected);
}

#[test]
fn framework_xlsx_bytes_are_the_same_every_time() {
    let first = xlsx(&matrix()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(first, xlsx(&matrix()).unwrap());
}

#[test]
fn framework_xlsx_has_an_overview_then_a_sheet_per_top_level_theme() {
    let bytes = xlsx(&matrix()).unwrap();
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Overview", "Trust", "Cost rent bills"]);
}

#[test]
fn framework_xlsx_overview_holds_the_counts_as_numbers() {
    let overview = read_sheet(&xlsx(&matrix()).unwrap(), OVERVIEW_SHEET);
    assert_eq!(
        header(&overview),
        ["session", "speaker", "site", "Trust", "Police", "Cost: rent/bills"]
    );
    assert_eq!(overview.height(), 4, "a header row and three cases");
    assert_eq!(overview.get((1, 3)), Some(&Data::Float(2.0)));
    assert_eq!(overview.get((2, 5)), Some(&Data::Float(3.0)));
    assert_eq!(overview.get((3, 4)), Some(&Data::Float(0.0)));
    assert_eq!(text(&overview, 2, 1), "Ben");
    assert_eq!(text(&overview, 3, 2), "", "Cy has no site");
}

#[test]
fn framework_xlsx_theme_sheets_hold_the_quotes_of_the_theme_and_its_children() {
    let bytes = xlsx(&matrix()).unwrap();
    let trust = read_sheet(&bytes, "Trust");
    assert_eq!(header(&trust), ["session", "speaker", "site", "Trust", "Police"]);
    assert_eq!(text(&trust, 1, 3), "\"I trust them, mostly.\"\n— t/a.txt:4 (2 mentions)");
    assert_eq!(text(&trust, 1, 4), "\"Not the police.\"\n— t/a.txt:9 (1 mention)");
    assert_eq!(text(&trust, 2, 3), "", "Ben said nothing of trust");
    assert_eq!(text(&trust, 3, 1), "Cy", "a case without mentions keeps its row");
    let cost = read_sheet(&bytes, "Cost rent bills");
    assert_eq!(header(&cost), ["session", "speaker", "site", "Cost: rent/bills"]);
    assert_eq!(text(&cost, 2, 3), "\"Rent went up.\nThen bills.\"\n— t/a.txt:12 (3 mentions)");
}

#[test]
fn framework_xlsx_of_an_empty_matrix_is_a_workbook_with_an_overview() {
    let m =
        FrameworkMatrix { cases: "session", case_columns: vec![], themes: vec![], rows: vec![] };
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx(&m).unwrap())).unwrap();
    assert_eq!(book.sheet_names(), ["Overview"]);
}

#[test]
fn framework_sheet_names_are_valid_and_unique() {
    let long = "A theme whose label is far too long for a sheet tab";
    let names = sheet_names([
        "Cost: rent/bills",
        "Cost [rent] bills?",
        "*\\/",
        long,
        long,
        "overview",
        "History",
        "'quoted'",
    ]);
    assert_eq!(
        names,
        [
            "Cost rent bills",
            "Cost rent bills (2)",
            "Theme 3",
            "A theme whose label is far too",
            "A theme whose label is far (2)",
            "overview (2)",
            "History (2)",
            "quoted",
        ]
    );
    for name in &names {
        assert!(name.encode_utf16().count() <= 31, "{name} is too long");
        assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']), "{name}");
    }
}

#[test]
fn framework_sheet_names_count_utf16_units() {
    let name = &sheet_names(["é".repeat(40).as_str()])[0];
    assert_eq!(name.chars().count(), 31);
    let emoji = &sheet_names(["😀".repeat(20).as_str()])[0];
    assert_eq!(emoji.encode_utf16().count(), 30);
}

#[test]
fn framework_workbook_accepts_colliding_theme_labels() {
    let mut m = matrix();
    m.themes[2].label = "Trust?".into();
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx(&m).unwrap())).unwrap();
    assert_eq!(book.sheet_names(), ["Overview", "Trust", "Trust (2)"]);
}

#[test]
fn framework_colours_are_rgb_or_rrggbb() {
    assert_eq!(parse_color("#2E86AB"), Some(0x2E86AB));
    assert_eq!(parse_color(" #abc "), Some(0xAABBCC));
    assert_eq!(parse_color("steelblue"), None);
    assert_eq!(parse_color("#12345"), None);
    assert_eq!(parse_color("#+1234"), None);
    assert_eq!(parse_color("2E86AB"), None);
}

#[test]
fn framework_header_text_contrasts_with_its_fill() {
    assert_eq!(text_on(0x2E86AB), 0xFFFFFF);
    assert_eq!(text_on(0xFFDD57), 0x000000);
    assert_eq!(text_on(PLAIN_FILL), 0x000000);
}

#[test]
fn framework_children_without_colour_take_their_top_level_theme_colour() {
    let m = matrix();
    assert_eq!(theme_fill(&m, 1), Some(0x2E86AB));
    assert_eq!(theme_fill(&m, 2), None, "steelblue is not a colour the workbook reads");
}
