use super::table::{is_plausible_speaker, table_lines};
use super::*;
use std::io::Write;
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

const ODF: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

use qualkit_bench::formats::zip as zip_of;

/// A .docx whose `w:body` holds `body`.
fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        ("word/document.xml", &document),
    ])
}

/// An .odt whose `office:text` holds `body`.
fn odt(body: &str) -> Vec<u8> {
    odt_styled("", body)
}

/// An .odt whose `office:automatic-styles` hold `styles` (left out when empty) and whose
/// `office:text` holds `body`.
fn odt_styled(styles: &str, body: &str) -> Vec<u8> {
    let styles = if styles.is_empty() {
        String::new()
    } else {
        format!("<office:automatic-styles>{styles}</office:automatic-styles>")
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF} office:version="1.2">{styles}<office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", &content)])
}

fn read_docx(body: &str) -> Vec<String> {
    docx_paragraphs(Path::new("t.docx"), &docx(body)).unwrap().into_iter().map(|p| p.text).collect()
}

fn read_odt(body: &str) -> Vec<String> {
    odt_paragraphs(Path::new("t.odt"), &odt(body)).unwrap().into_iter().map(|p| p.text).collect()
}

/// The paragraphs of a .docx whose body is `body`, with their formatting.
fn formatted_docx(body: &str) -> Vec<DocParagraph> {
    docx_paragraphs(Path::new("t.docx"), &docx(body)).unwrap()
}

/// The paragraphs of an .odt with these automatic styles and body, with their formatting.
fn formatted_odt(styles: &str, body: &str) -> Vec<DocParagraph> {
    odt_paragraphs(Path::new("t.odt"), &odt_styled(styles, body)).unwrap()
}

/// A paragraph as the readers return it.
fn para(text: &str, lead: usize, whole: Option<Emphasis>) -> DocParagraph {
    DocParagraph { text: text.to_string(), lead, whole }
}

/// A Word run with these run properties (none when empty).
fn run(props: &str, text: &str) -> String {
    let props = if props.is_empty() { String::new() } else { format!("<w:rPr>{props}</w:rPr>") };
    format!(r#"<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// A Word paragraph of these runs.
fn wp(runs: &[String]) -> String {
    format!("<w:p>{}</w:p>", runs.concat())
}

/// An OpenDocument automatic style of this family with these text properties.
fn odt_style(name: &str, family: &str, properties: &str) -> String {
    format!(
        r#"<style:style style:name="{name}" style:family="{family}"><style:text-properties {properties}/></style:style>"#
    )
}

fn docx_error(bytes: &[u8]) -> String {
    docx_paragraphs(Path::new("t.docx"), bytes).unwrap_err().to_string()
}

fn odt_error(bytes: &[u8]) -> String {
    odt_paragraphs(Path::new("t.odt"), bytes).unwrap_err().to_string()
}

/// A Word paragraph of one run per string.
fn p(runs: &[&str]) -> String {
    let runs: String = runs.iter().map(|r| format!("<w:r><w:t>{r}</w:t></w:r>")).collect();
    format!("<w:p>{runs}</w:p>")
}

/// A Word table of plain-text cells.
fn tbl(rows: &[&[&str]]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String =
                r.iter().map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", p(&[c]))).collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
}

#[test]
fn docx_runs_split_across_w_r_are_joined() {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Moder</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">ator: Wel</w:t></w:r><w:hyperlink><w:r><w:t>come</w:t></w:r></w:hyperlink><w:ins><w:r><w:t xml:space="preserve"> back.</w:t></w:r></w:ins></w:p>"#;
    assert_eq!(read_docx(body), ["Moderator: Welcome back."]);
}

#[test]
fn docx_entities_are_decoded() {
    let body = "<w:p><w:r><w:t>Tom &amp; Jerry &lt;laughs&gt; &quot;ok&quot; &apos;yes&apos; &#233;t&#xE9; &#x1F600;</w:t></w:r></w:p>";
    assert_eq!(read_docx(body), ["Tom & Jerry <laughs> \"ok\" 'yes' été 😀"]);
}

#[test]
fn entities_xml_does_not_predefine_are_malformed() {
    let xml = format!(
        "<w:document {W}><w:body><w:p><w:r><w:t>Tom&nbsp;Jerry</w:t></w:r></w:p></w:body></w:document>"
    );
    let at = xml.find("&nbsp;").unwrap();
    assert_eq!(
        docx_error(&zip_of(&[("word/document.xml", &xml)])),
        format!(
            "t.docx: word/document.xml is not well-formed XML at byte {at}: unknown entity \
             `&nbsp;`; XML knows only &lt; &gt; &amp; &quot; &apos; and character \
             references; the file is damaged — open it in Word and save it again as .docx"
        )
    );
    // Outside the text too: the whole part is not XML.
    let bytes = odt("<text:p>a</text:p><office:forms>&copy;</office:forms>");
    assert!(odt_error(&bytes).contains("unknown entity `&copy;`"), "{}", odt_error(&bytes));
}

#[test]
fn docx_tabs_breaks_and_hyphens() {
    let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>00:01</w:t><w:tab/><w:t>Anna: one</w:t><w:br/><w:t>two</w:t><w:cr/><w:t>e</w:t><w:noBreakHyphen/><w:t>mail co</w:t><w:softHyphen/><w:t>operate</w:t><w:br w:type="page"/></w:r></w:p>"#;
    assert_eq!(read_docx(body), ["00:01\tAnna: one\ntwo\ne-mail cooperate\n"]);
}

#[test]
fn docx_empty_paragraphs_are_kept() {
    let body = format!(
        r#"{}<w:p/><w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p>{}<w:p><w:r><w:t></w:t></w:r></w:p>"#,
        p(&["Title: Group 1"]),
        p(&["Anna: Hello"])
    );
    assert_eq!(read_docx(&body), ["Title: Group 1", "", "", "Anna: Hello", ""]);
}

#[test]
fn docx_tracked_deletions_field_codes_and_references_are_ignored() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Ben: I </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:tab/><w:delText>hate</w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t>like</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t xml:space="preserve"> moved</w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve"> it</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>!</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r></w:p>"#;
    assert_eq!(read_docx(body), ["Ben: I like it!"]);
}

#[test]
fn docx_alternate_content_is_read_once_and_text_boxes_follow_their_paragraph() {
    let textbox = |who: &str| {
        format!(
            "<w:txbxContent><w:p><w:r><w:t>Box {who} one</w:t></w:r></w:p><w:p><w:r><w:t>Box {who} two</w:t></w:r></w:p></w:txbxContent>"
        )
    };
    let body = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">Anna: before </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>{}"#,
        textbox("A"),
        textbox("A"),
        p(&["Ben: next"])
    );
    assert_eq!(read_docx(&body), ["Anna: before after", "Box A one", "Box A two", "Ben: next"]);
    // Content only in a fallback is read.
    let only_fallback = "<w:p><w:r><mc:AlternateContent><mc:Fallback><w:t>old</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>";
    assert_eq!(read_docx(only_fallback), ["old"]);
}

#[test]
fn docx_table_with_speaker_text_and_time_header() {
    let body = format!(
        "{}{}{}",
        p(&["Session: 3"]),
        tbl(&[
            &["Start Time", "Speaker:", "Notes", "What was said"],
            &["00:00:05", "Moderator", "", "Welcome, everyone."],
            &["[00:00:09]", "Anna", "laughs", "Thanks &amp; hi."],
            &["", "", "", ""],
            &["", "", "", "continued"],
            &["00:01:00", "Ben", "", ""],
        ]),
        p(&["End"])
    );
    assert_eq!(
        read_docx(&body),
        [
            "Session: 3",
            "[00:00:05] Moderator: Welcome, everyone.",
            "[00:00:09] Anna: Thanks & hi.",
            "continued",
            "[00:01:00] Ben:",
            "End"
        ]
    );
    let no_time = tbl(&[&["Participant", "Response"], &["P1", "Yes."]]);
    assert_eq!(read_docx(&no_time), ["P1: Yes."]);
}

#[test]
fn docx_headerless_two_column_speaker_table() {
    let body = tbl(&[
        &["Moderator", "What did you think?"],
        &["Participant 3:", "It was fine, really."],
        &["", "And cheap."],
        &["P4", "Too long: far too long."],
    ]);
    assert_eq!(
        read_docx(&body),
        [
            "Moderator: What did you think?",
            "Participant 3: It was fine, really.",
            "And cheap.",
            "P4: Too long: far too long."
        ]
    );
}

#[test]
fn docx_ordinary_table_rows_are_tab_joined() {
    let body = tbl(&[
        &["00:01:02", "Anna", "Hello"],
        &["Theme", "", "Count"],
        &["", "", ""],
        &["a cell with far too many words for a label", "x"],
    ]);
    assert_eq!(
        read_docx(&body),
        ["00:01:02\tAnna\tHello", "Theme\tCount", "a cell with far too many words for a label\tx"]
    );
}

#[test]
fn docx_cell_paragraphs_and_nested_tables_are_flattened() {
    let inner = tbl(&[&["a", "b"], &["c:d", "e"]]);
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{}<w:p/></w:tc><w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
        p(&["(Note) line one"]),
        p(&["line two"]),
        p(&["x"])
    );
    assert_eq!(read_docx(&body), ["(Note) line one line two\tx a\tb c:d\te"]);
}

#[test]
fn docx_deleted_table_rows_are_left_out() {
    let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Anna</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>kept</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr><w:tc><w:p><w:r><w:t>Ben</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>gone</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    assert_eq!(read_docx(body), ["Anna: kept"]);
}

#[test]
fn docx_with_another_prefix_is_read_by_namespace() {
    let document = r#"<?xml version="1.0"?><doc xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><body><p><r><t>Plain</t></r><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></p></body></doc>"#;
    let bytes = zip_of(&[("word/document.xml", document)]);
    assert_eq!(docx_paragraphs(Path::new("t.docx"), &bytes).unwrap()[0].text, "Plain");
}

#[test]
fn docx_deep_nesting_is_refused_without_recursion() {
    let depth = MAX_DEPTH + 10;
    let body = format!("{}{}", "<w:sdt>".repeat(depth), "</w:sdt>".repeat(depth));
    let message = docx_error(&docx(&body));
    assert!(message.contains("nests elements more than 10000 levels deep"), "{message}");
    // Deep but allowed nesting (tables in cells) is read.
    let mut body = p(&["core"]);
    for _ in 0..500 {
        body = format!("<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl>");
    }
    assert_eq!(read_docx(&body), ["core"]);
}

#[test]
fn docx_error_when_not_a_zip() {
    let message = docx_error(b"Moderator: hello\n");
    assert!(message.starts_with("t.docx: not a Word document (.docx is a zip archive): "));
    assert!(message.contains("open it in Word and Save As .docx without a password"));
    let ole = [OLE_MAGIC.as_slice(), &[0; 504]].concat();
    assert!(docx_error(&ole).contains("old .doc file or a password-protected document"));
    assert!(docx_error(b"").contains("the file is empty"));
}

#[test]
fn docx_error_when_document_xml_is_missing() {
    let bytes = zip_of(&[("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<x/>")]);
    assert_eq!(
        docx_error(&bytes),
        "t.docx: word/document.xml is missing, so this zip archive is not a Word document; \
         open the file in Word and Save As .docx"
    );
}

#[test]
fn docx_error_on_malformed_xml_names_the_byte() {
    let document = |body: &str| {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        (zip_of(&[("word/document.xml", &xml)]), xml)
    };
    let (bytes, xml) = document("<w:p><w:r></w:p>");
    let message = docx_error(&bytes);
    let at = xml.find("</w:p>").unwrap();
    assert!(
        message.starts_with(&format!(
            "t.docx: word/document.xml is not well-formed XML at byte {at}: "
        )),
        "{message}"
    );
    assert!(message.contains("</w:p>"), "{message}");
    assert!(message.ends_with("open it in Word and save it again as .docx"), "{message}");

    let (bytes, _) = document("<w:p><w:r><w:t>a & b</w:t></w:r></w:p>");
    let message = docx_error(&bytes);
    assert!(message.contains("is not well-formed XML at byte"), "{message}");

    let truncated = zip_of(&[("word/document.xml", &format!("<w:document {W}><w:body><w:p>"))]);
    let message = docx_error(&truncated);
    assert!(message.contains("before all its elements are closed"), "{message}");
    let empty = zip_of(&[("word/document.xml", "")]);
    assert!(docx_error(&empty).contains("contains no XML elements"));
}

#[test]
fn docx_error_when_the_zip_entry_is_damaged() {
    let xml = format!("<w:document {W}><w:body>{}</w:body></w:document>", p(&["Anna: hi"]));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", stored).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    let mut bytes = zip.finish().unwrap().into_inner();
    let at = bytes.windows(8).position(|w| w == b"Anna: hi").unwrap();
    bytes[at] = b'B';
    let message = docx_error(&bytes);
    assert!(
        message.starts_with("t.docx: word/document.xml cannot be read from the archive ("),
        "{message}"
    );
    assert!(message.ends_with("the file is damaged — open it in Word and save it again as .docx"));
}

#[test]
fn oversized_parts_are_refused() {
    let body = p(&["Anna: a long enough paragraph to pass the tiny limit"]);
    let bytes = docx(&body);
    let err = paragraphs(Path::new("t.docx"), &bytes, Dialect::Docx, 100).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.docx: word/document.xml is larger than 100 bytes when decompressed; split the \
         document"
    );
    assert!(paragraphs(Path::new("t.docx"), &bytes, Dialect::Docx, 100_000).is_ok());
    let bytes = odt(&"<text:p>0123456789</text:p>".repeat(20));
    let err = paragraphs(Path::new("t.odt"), &bytes, Dialect::Odt, 200).unwrap_err();
    assert!(err.to_string().contains("content.xml is larger than 200 bytes"));
    assert_eq!(
        ParseError::TooLarge.message(Dialect::Docx, MAX_PART_BYTES),
        "word/document.xml is larger than 256 MB when decompressed; split the document"
    );
}

#[test]
fn odt_spaces_count_tabs_and_line_breaks() {
    let body = r#"<text:p>a<text:s text:c="3"/>b<text:s/>c <text:s text:c="2"/>d<text:tab/>e<text:line-break/>f</text:p><text:p><text:s text:c="2"/>indented</text:p>"#;
    assert_eq!(read_odt(body), ["a   b c   d\te\nf", "  indented"]);
}

#[test]
fn odt_spans_links_and_white_space_collapsing() {
    let body = "<text:h text:outline-level=\"1\">Focus group <text:span>2</text:span></text:h><text:p text:style-name=\"P1\">\n   <text:span text:style-name=\"T1\">Anna:</text:span>  I   <text:a xlink:href=\"x\">love</text:a>\n it. </text:p><text:p/><text:p>  </text:p>";
    assert_eq!(read_odt(body), ["Focus group 2", "Anna: I love it.", "", ""]);
}

#[test]
fn odt_notes_annotations_and_tracked_changes_are_skipped() {
    let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>Ben: It costs<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note> a lot<office:annotation><dc:creator>R</dc:creator><text:p>A comment.</text:p></office:annotation><text:change text:change-id="c1"/>.</text:p>"#;
    assert_eq!(read_odt(body), ["Ben: It costs a lot."]);
}

#[test]
fn odt_lists_text_boxes_and_frames() {
    let body = r#"<text:list><text:list-item><text:p>First</text:p></text:list-item><text:list-item><text:list><text:list-item><text:p>Nested</text:p></text:list-item></text:list></text:list-item></text:list><text:p>Anchor <draw:frame><svg:title>Picture title</svg:title><draw:text-box><text:p>In the box</text:p></draw:text-box></draw:frame>text</text:p>"#;
    assert_eq!(read_odt(body), ["First", "Nested", "Anchor text", "In the box"]);
}

#[test]
fn odt_tables_follow_the_row_rules() {
    let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
    let row = |cells: &[&str]| {
        format!(
            "<table:table-row>{}</table:table-row>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let body = format!(
        r#"<table:table table:name="T1"><table:table-column table:number-columns-repeated="3"/><table:table-header-rows>{}</table:table-header-rows>{}{}</table:table><table:table>{}{}</table:table>"#,
        row(&["Timestamp", "Respondent", "Transcript"]),
        row(&["0:05", "Anna", "Yes &amp; no."]),
        "<table:table-row><table:table-cell><text:p>0:09</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Carry on</text:p></table:table-cell></table:table-row>",
        row(&["Anna", "Hi"]),
        row(&["Ben", "Bye"])
    );
    assert_eq!(
        read_odt(&body),
        ["[0:05] Anna: Yes & no.", "[0:09] Carry on", "Anna: Hi", "Ben: Bye"]
    );
}

#[test]
fn odt_errors() {
    let message = odt_error(b"<?xml version=\"1.0\"?><office:document/>");
    assert!(
        message.starts_with("t.odt: not an OpenDocument text file (.odt is a zip archive): "),
        "{message}"
    );
    let bytes = zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text")]);
    assert!(odt_error(&bytes).contains("content.xml is missing"));
    let bytes = zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "\u{1}\u{2}binary"),
        (
            "META-INF/manifest.xml",
            r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#,
        ),
    ]);
    assert!(odt_error(&bytes).contains("password-protected"));
    let bytes = zip_of(&[("content.xml", &format!("<office:document-content {ODF}><office:body><text:p>x</text:span></office:body></office:document-content>"))]);
    assert!(odt_error(&bytes).contains("content.xml is not well-formed XML at byte"));
}

#[test]
fn docx_bold_label_run_then_plain_text() {
    let body = [
        wp(&[run("<w:b/>", "Maria"), run("", " I think so.")]),
        wp(&[run("<w:b/>", "Maria:"), run("", " yes")]),
        // Bold with the colon and the space after it inside.
        wp(&[run("<w:b/>", "Maria: "), run("", "yes")]),
        // Leading white space belongs to the lead; byte lengths, not characters.
        wp(&[run("", "  "), run("<w:b/>", "José"), run("", " sí")]),
        wp(&[run("<w:b/>", " "), run("", "Maria says")]),
        wp(&[run("", "Plain: text")]),
    ]
    .concat();
    assert_eq!(
        formatted_docx(&body),
        [
            para("Maria I think so.", 5, None),
            para("Maria: yes", 6, None),
            para("Maria: yes", 6, None),
            para("  José sí", 7, None),
            para(" Maria says", 0, None),
            para("Plain: text", 0, None),
        ]
    );
}

#[test]
fn docx_bold_label_split_across_several_runs() {
    let body = format!(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mod</w:t></w:r><w:proofErr w:type="spellStart"/>{}<w:hyperlink>{}</w:hyperlink>{}</w:p>{}"#,
        run(r#"<w:rStyle w:val="Normal"/><w:b w:val="true"/><w:bCs/>"#, "erator"),
        run(r#"<w:b w:val="1"/>"#, ":"),
        run("", " Welcome back."),
        wp(&[run(r#"<w:b w:val="on"/>"#, "Maria"), run("<w:b/>", " Lopez:"), run("", " yes")]),
    );
    assert_eq!(
        formatted_docx(&body),
        [para("Moderator: Welcome back.", 10, None), para("Maria Lopez: yes", 12, None)]
    );
}

#[test]
fn docx_underlined_label() {
    let body = [
        wp(&[run(r#"<w:u w:val="single"/>"#, "Interviewer:"), run("", " So.")]),
        wp(&[run(r#"<w:u w:val="double"/>"#, "Anna"), run("", " yes")]),
        wp(&[run(r#"<w:u w:val="none"/>"#, "Anna"), run("", " yes")]),
    ]
    .concat();
    assert_eq!(
        formatted_docx(&body),
        [para("Interviewer: So.", 12, None), para("Anna yes", 4, None), para("Anna yes", 0, None)]
    );
}

#[test]
fn docx_wholly_bold_and_wholly_italic_paragraphs() {
    let body = [
        wp(&[run("<w:b/>", "Moderator:"), run("", " "), run("<w:b/>", "what next?")]),
        wp(&[run("<w:u/>", "All underlined")]),
        wp(&[run("<w:i/>", "(laughter)"), run("", " ")]),
        wp(&[run("<w:b/><w:i/>", "Maria:"), run("<w:i/>", " reads aloud")]),
        wp(&[run("<w:b/><w:i/>", "bold and italic")]),
    ]
    .concat();
    assert_eq!(
        formatted_docx(&body),
        [
            para("Moderator: what next?", 0, Some(Emphasis::Bold)),
            para("All underlined", 0, Some(Emphasis::Bold)),
            para("(laughter) ", 0, Some(Emphasis::Italic)),
            para("Maria: reads aloud", 6, Some(Emphasis::Italic)),
            para("bold and italic", 0, Some(Emphasis::Bold)),
        ]
    );
}

#[test]
fn docx_false_values_are_not_formatting() {
    let body = [
        wp(&[run(r#"<w:b w:val="0"/>"#, "Maria"), run("", " hi")]),
        wp(&[run(r#"<w:b w:val="false"/>"#, "Maria"), run("", " hi")]),
        wp(&[run(r#"<w:b w:val="off"/><w:i w:val="0"/>"#, "all of it")]),
    ]
    .concat();
    assert_eq!(
        formatted_docx(&body),
        [para("Maria hi", 0, None), para("Maria hi", 0, None), para("all of it", 0, None)]
    );
}

#[test]
fn docx_mixed_bold_in_the_middle_is_neither_lead_nor_whole() {
    let body = wp(&[run("", "I think "), run("<w:b/>", "really"), run("", " so.")]);
    assert_eq!(formatted_docx(&body), [para("I think really so.", 0, None)]);
}

#[test]
fn docx_character_styles_and_what_is_not_run_formatting() {
    let body = [
        wp(&[run(r#"<w:rStyle w:val="Strong"/>"#, "Ben"), run("", " ok")]),
        wp(&[run(r#"<w:rStyle w:val="BoldLabel"/>"#, "Ben"), run("", " ok")]),
        wp(&[run(r#"<w:rStyle w:val="Emphasis"/>"#, "an aside")]),
        // Direct formatting wins over the style.
        wp(&[run(r#"<w:rStyle w:val="Strong"/><w:b w:val="0"/>"#, "Ben"), run("", " ok")]),
        // The paragraph mark's formatting, and a tracked formatting change, are not the
        // text's.
        format!(
            "<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr>{}</w:p>",
            run("<w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange>", "Ben ok")
        ),
        // Each run starts plain.
        wp(&[run("<w:b/>", "Ben"), run("", " ok"), run("<w:i/>", "")]),
    ]
    .concat();
    assert_eq!(
        formatted_docx(&body),
        [
            para("Ben ok", 3, None),
            para("Ben ok", 3, None),
            para("an aside", 0, Some(Emphasis::Italic)),
            para("Ben ok", 0, None),
            para("Ben ok", 0, None),
            para("Ben ok", 3, None),
        ]
    );
}

#[test]
fn docx_formatting_with_line_breaks_empty_paragraphs_and_tables() {
    let body = format!(
        "{}{}{}<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Maria</w:t></w:r><w:r><w:t xml:space="preserve"> hi</w:t><w:br/><w:t>more</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>one</w:t><w:br/><w:t>two</w:t></w:r></w:p>"#,
        wp(&[run("<w:b/>", "   ")]),
        wp(&[run("<w:b/>", "Ben"), run("", " paragraph")]),
        wp(&[run("<w:b/>", "Anna")]),
        wp(&[run("", "a cell")]),
    );
    assert_eq!(
        formatted_docx(&body),
        [
            para("Maria hi\nmore", 5, None),
            para("one\ntwo", 0, Some(Emphasis::Bold)),
            para("   ", 0, None),
            para("", 0, None),
            para("Ben paragraph", 3, None),
            para("Anna: a cell", 0, None),
        ]
    );
}

#[test]
fn docx_text_boxes_keep_their_own_formatting() {
    let body = format!(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Anna: </w:t><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{}{}</w:txbxContent></wps:txbx></w:drawing></mc:Choice></mc:AlternateContent><w:t>more</w:t></w:r>{}</w:p>"#,
        wp(&[run("", "Box plain")]),
        wp(&[run("<w:i/>", "Box italic")]),
        run("", " then plain"),
    );
    assert_eq!(
        formatted_docx(&body),
        [
            para("Anna: more then plain", 10, None),
            para("Box plain", 0, None),
            para("Box italic", 0, Some(Emphasis::Italic)),
        ]
    );
}

#[test]
fn odt_bold_label_span_then_plain_text() {
    let styles = [
        odt_style("T1", "text", r#"fo:font-weight="bold""#),
        odt_style("T2", "text", r#"fo:font-weight="700" style:font-weight-asian="bold""#),
        odt_style("T3", "text", r#"style:text-underline-style="solid""#),
        odt_style("T4", "text", r#"fo:font-weight="400""#),
        odt_style("T5", "text", r#"style:text-underline-style="none""#),
    ]
    .concat();
    let body = r#"<text:p><text:span text:style-name="T1">Maria</text:span> I think so.</text:p><text:p>  <text:span text:style-name="T2">Maria:</text:span>   yes  </text:p><text:p><text:span text:style-name="T3">Interviewer</text:span>: So.</text:p><text:p><text:span text:style-name="T4">Maria</text:span> hi</text:p><text:p><text:span text:style-name="T5">Maria</text:span> hi</text:p><text:p><text:s/><text:span text:style-name="T1">Ben</text:span><text:tab/>ok</text:p>"#;
    assert_eq!(
        formatted_odt(&styles, body),
        [
            para("Maria I think so.", 5, None),
            para("Maria: yes", 6, None),
            para("Interviewer: So.", 11, None),
            para("Maria hi", 0, None),
            para("Maria hi", 0, None),
            para(" Ben\tok", 4, None),
        ]
    );
}

#[test]
fn odt_paragraph_styles_and_style_inheritance() {
    let styles = [
        odt_style("P1", "paragraph", r#"fo:font-weight="bold""#),
        odt_style("P2", "paragraph", r#"fo:font-style="italic""#),
        odt_style("T1", "text", r#"fo:font-weight="normal""#),
        r#"<style:style style:name="T2" style:family="text" style:parent-style-name="Strong_20_Emphasis"/>"#.to_string(),
        r#"<style:style style:name="P3" style:family="paragraph" style:parent-style-name="P1"><style:paragraph-properties fo:margin-top="0in"/></style:style>"#.to_string(),
        // Text properties of a list style belong to no text or paragraph style.
        r#"<style:style style:name="T3" style:family="text"/><text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"><style:text-properties fo:font-weight="bold"/></text:list-level-style-bullet></text:list-style>"#.to_string(),
    ]
    .concat();
    let body = r#"<text:p text:style-name="P1">Moderator: what <text:span text:style-name="T3">next</text:span>?</text:p><text:p text:style-name="P2">(laughter)</text:p><text:p text:style-name="P1">Maria<text:span text:style-name="T1"> hi</text:span></text:p><text:p><text:span text:style-name="T2">Ben</text:span> ok</text:p><text:p><text:span text:style-name="Strong_20_Emphasis">Ben</text:span> <text:span text:style-name="Emphasis">ok</text:span></text:p><text:h text:style-name="P3">All bold</text:h><text:p text:style-name="Standard">Plain</text:p><text:p text:style-name="P1"/>"#;
    assert_eq!(
        formatted_odt(&styles, body),
        [
            para("Moderator: what next?", 0, Some(Emphasis::Bold)),
            para("(laughter)", 0, Some(Emphasis::Italic)),
            para("Maria hi", 5, None),
            para("Ben ok", 3, None),
            para("Ben ok", 3, None),
            para("All bold", 0, Some(Emphasis::Bold)),
            para("Plain", 0, None),
            para("", 0, None),
        ]
    );
}

#[test]
fn odt_mixed_bold_nested_spans_and_tables() {
    let styles = [
        odt_style("T1", "text", r#"fo:font-weight="bold""#),
        odt_style("T2", "text", r#"fo:font-style="italic""#),
    ]
    .concat();
    let body = r#"<text:p>I think <text:span text:style-name="T1">really</text:span> so.</text:p><text:p><text:span text:style-name="T1">Ana <text:span text:style-name="T2">Ruiz</text:span>:</text:span> yes<text:line-break/>and no</text:p><table:table><table:table-row><table:table-cell><text:p><text:span text:style-name="T1">Anna</text:span></text:p></table:table-cell><table:table-cell><text:p>Hi</text:p></table:table-cell></table:table-row></table:table>"#;
    assert_eq!(
        formatted_odt(&styles, body),
        [
            para("I think really so.", 0, None),
            para("Ana Ruiz: yes\nand no", 9, None),
            para("Anna: Hi", 0, None),
        ]
    );
}

#[test]
fn table_rules() {
    let rows = |r: &[&[&str]]| -> Vec<Vec<String>> {
        r.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    };
    assert_eq!(table_lines(rows(&[])), Vec::<String>::new());
    assert_eq!(table_lines(rows(&[&["Name", "Content"]])), Vec::<String>::new());
    assert_eq!(
        table_lines(rows(&[&["Date", "12 May"], &["Place", "Leeds"]])),
        ["Date: 12 May", "Place: Leeds"]
    );
    assert_eq!(table_lines(rows(&[&["only one column"]])), ["only one column"]);
    assert_eq!(table_lines(rows(&[&["-", "x"]])), ["-\tx"]);
    assert!(is_plausible_speaker("Participant 3"));
    assert!(is_plausible_speaker("Anna:"));
    assert!(is_plausible_speaker("3"));
    assert!(!is_plausible_speaker("00:01"));
    assert!(!is_plausible_speaker("(laughs)"));
    assert!(!is_plausible_speaker("one two three four five six"));
    assert!(!is_plausible_speaker(&"x".repeat(41)));
}

/// The QualCoder example documents of the shared corpora.
#[test]
fn qualcoder_examples_read_when_present() {
    let Some(dir) = crate::shared_corpus::path("qualcoder-examples") else { return };
    let (docx, odt) =
        (std::fs::read(dir.join("ID1.docx")).unwrap(), std::fs::read(dir.join("ID2.odt")).unwrap());
    let text = |ps: Vec<DocParagraph>| -> Vec<String> { ps.into_iter().map(|p| p.text).collect() };
    let paragraphs = text(docx_paragraphs(&dir.join("ID1.docx"), &docx).unwrap());
    assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
    assert!(paragraphs[0].starts_with("I really like learning new things."));
    assert!(paragraphs[0].ends_with("web links have been really good."));
    assert!(paragraphs[2].ends_with("I'm happy to pay €200."));
    assert_eq!(paragraphs[3], "");
    let paragraphs = text(odt_paragraphs(&dir.join("ID2.odt"), &odt).unwrap());
    assert_eq!(paragraphs.len(), 3, "{paragraphs:?}");
    assert!(paragraphs[0].starts_with(
        "I have not studied much before, but my father Joe Bloggs really encouraged me"
    ));
    assert!(paragraphs[0].ends_with("searching the web did not help."));
    assert_eq!(paragraphs[2], "The course cost €200.00 and I do not want to waste my money.");
}
