use super::read::id_from_name;
use super::*;
use crate::codebook::doc::ThemeDoc;
use crate::codebook::format::{export, first_difference};
use crate::codebook::Codebook;
use crate::codebook::CodebookFormat;
use crate::error::Result;
use std::path::Path;

const SMALL: &str = r##"[codebook]
name = "Small study"
description = "Trust & money, \"quoted\"."

[[theme]]
id = "values"
label = "Values & <norms>"
definition = "What people hold dear: \"trust\" & 'patience' < everything."

[[theme]]
id = "trust"
label = "Trust"
parent = "values"
color = "#1f77b4"
brief = "Earning trust."
definition = "Talk about trust.\nSecond line."
when_to_use = "When trust is at stake."
terms = ["trust", "credib*"]
patterns = ['\bhonest\b']
near = [{ a = "keep*", b = "word", within = 3 }]
exclude = ["trust fund"]
examples = ["You have to earn their trust."]
counterexamples = ["A trust fund paid."]

[[theme]]
id = "patience"
parent = "values"
terms = ["patien*"]
"##;

fn small() -> Codebook {
    Codebook::from_toml_str(Path::new("small.toml"), SMALL).unwrap()
}

fn load(text: &str) -> Result<Codebook> {
    let path = Path::new("cb.qdc");
    parse(path, text).and_then(|raw| Codebook::build(path, raw))
}

fn error(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn export_writes_nested_codes_with_the_rules_after_the_definition() {
    let expected = EXPECTED_SMALL.replace("VERSION", env!("CARGO_PKG_VERSION"));
    assert_eq!(write(&small()).unwrap().text, expected);
}

const EXPECTED_SMALL: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qualkit VERSION">
  <Codes>
    <Code guid="e01e61a4-9f3c-5864-83be-dba4b7443961" name="Values &amp; &lt;norms&gt;" isCodable="false">
      <Description>What people hold dear: "trust" &amp; 'patience' &lt; everything.

--- qualkit rules (kept for the round trip; edit with care) ---
id = "values"

[codebook]
name = "Small study"
description = 'Trust &amp; money, "quoted".'
--- end of qualkit rules ---</Description>
      <Code guid="3901377c-ba52-5a32-b7d9-63b84cb5baf9" name="Trust" isCodable="true" color="#1f77b4">
        <Description>Talk about trust.
Second line.

--- qualkit rules (kept for the round trip; edit with care) ---
id = "trust"
brief = "Earning trust."
when_to_use = "When trust is at stake."
terms = [
    "trust",
    "credib*",
]
patterns = ['\bhonest\b']
exclude = ["trust fund"]
examples = ["You have to earn their trust."]
counterexamples = ["A trust fund paid."]

[[near]]
a = "keep*"
b = "word"
within = 3
--- end of qualkit rules ---</Description>
      </Code>
      <Code guid="6c33e34b-1845-50bb-b309-68c384c2ef88" name="patience" isCodable="true">
        <Description>--- qualkit rules (kept for the round trip; edit with care) ---
id = "patience"
terms = ["patien*"]
--- end of qualkit rules ---</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>
"##;

#[test]
fn guids_are_v5_of_the_theme_id_in_a_fixed_namespace() {
    assert_eq!(
        Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:qualkit:refi-qda:code"),
        CODE_GUID_NAMESPACE
    );
    assert_eq!(code_guid("trust"), "3901377c-ba52-5a32-b7d9-63b84cb5baf9");
    assert_eq!(code_guid("trust"), code_guid("trust"));
    assert_ne!(code_guid("trust"), code_guid("values"));
    assert_eq!(
        normalize_guid(" {3901377C-BA52-5A32-B7D9-63B84CB5BAF9}").as_deref(),
        Some("3901377c-ba52-5a32-b7d9-63b84cb5baf9")
    );
    assert_eq!(normalize_guid("not-a-guid"), None);
}

#[test]
fn an_export_reads_back_as_the_same_codebook_and_is_stable() {
    let cb = small();
    let text = write(&cb).unwrap().text;
    let back = load(&text).unwrap();
    assert_eq!(first_difference(&cb, &back), None);
    assert_eq!(back.name, "Small study");
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    assert_eq!(write(&back).unwrap().text, text);
    let exported = export(&cb, CodebookFormat::Qdc).unwrap();
    assert_eq!(exported.text, text);
    assert!(exported.notes.is_empty());
}

#[test]
fn codebook_settings_other_than_the_defaults_round_trip() {
    let cb = Codebook::from_toml_str(
        Path::new("es.toml"),
        "[codebook]\nname = \"Estudio\"\nlanguage = \"spanish\"\nstemming = false\n\
             [[theme]]\nid = \"confianza\"\nlabel = \"Confianza\"\nterms = [\"confianza\"]\n",
    )
    .unwrap();
    let back = load(&write(&cb).unwrap().text).unwrap();
    assert_eq!(first_difference(&cb, &back), None);
    assert_eq!((back.language.name(), back.stemming), ("spanish", false));
}

#[test]
fn a_child_listed_before_its_parent_is_written_in_codebook_order() {
    let cb = Codebook::from_toml_str(
        Path::new("cb.toml"),
        "[[theme]]\nid = \"child\"\nparent = \"root\"\nterms = [\"a\"]\n\
             [[theme]]\nid = \"root\"\n",
    )
    .unwrap();
    let exported = export(&cb, CodebookFormat::Qdc).unwrap();
    assert_eq!(
        exported.notes,
        ["the codes are written in codebook order (each parent followed by its children), \
              not in the order of the themes in the file"]
    );
    let back = load(&exported.text).unwrap();
    let ids: Vec<&str> = back.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["root", "child"]);
}

#[test]
fn characters_xml_cannot_carry_are_refused() {
    let cb = Codebook::from_toml_str(
        Path::new("cb.toml"),
        "[[theme]]\nid = \"t\"\ndefinition = \"bell \\u0007\"\nterms = [\"a\"]\n",
    )
    .unwrap();
    assert_eq!(
        write(&cb).unwrap_err().to_string(),
        "cb.toml:2: theme 't': the definition holds the character U+0007, which XML cannot \
             carry; remove it to write a .qdc file"
    );
}

#[test]
fn a_definition_that_would_open_the_block_is_refused() {
    let cb = Codebook::from_toml_str(
        Path::new("cb.toml"),
        "[[theme]]\nid = \"t\"\ndefinition = \"See\\n--- qualkit rules here ---\"\n\
             terms = [\"a\"]\n",
    )
    .unwrap();
    assert_eq!(
        write(&cb).unwrap_err().to_string(),
        "cb.toml:2: theme 't': the definition has a line that begins with `--- qualkit \
             rules` and ends with `---`, which would be read as the start of the qualkit rules; \
             reword it"
    );
}

#[test]
fn carriage_returns_and_line_breaks_in_names_survive() {
    let cb = Codebook::from_toml_str(
        Path::new("cb.toml"),
        "[[theme]]\nid = \"t\"\nlabel = \"two\\nlines\\tand tab\"\n\
             definition = \"windows\\r\\nline\"\nterms = [\"a\"]\n",
    )
    .unwrap();
    let text = write(&cb).unwrap().text;
    assert!(text.contains("name=\"two&#10;lines&#9;and tab\""), "{text}");
    assert_eq!(first_difference(&cb, &load(&text).unwrap()), None);
}

/// A hand-written file with what real exports get wrong or do differently.
const SLOPPY: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\
<qda:CodeBook xmlns:qda=\"urn:QDA-XML:codebook:1.0\" origin=\"Some Tool 3\">\r\n\
<qda:Codes>\r\n\
  <qda:Code guid=\"{0D62985D-B147-5D01-A9B5-CAE5DCD98342}\" name=\"Trust &amp; Honesty\" color=\"#FF0000\">\r\n\
    <qda:Description>Residents' trust.\r\nSecond line &lt;b&gt;.</qda:Description>\r\n\
    <qda:Code guid=\"DFE5C38E-9449-5959-A1F7-E3D895CFA87F\" name=\"Keeping one's word\" isCodable=\"true\"/>\r\n\
    <qda:Code guid=\"725F0645-9CD3-598A-8D2B-EC3D39AB3C3F\" name=\"trust\" isCodable=\"1\" color=\"red\">\r\n\
      <qda:Description/>\r\n\
      <qda:Memo>a note</qda:Memo>\r\n\
    </qda:Code>\r\n\
  </qda:Code>\r\n\
  <Code guid=\"0d62985d-b147-5d01-a9b5-cae5dcd98342\" name=\"Trust &amp; honesty\"/>\r\n\
</qda:Codes>\r\n\
<qda:Sets/>\r\n\
</qda:CodeBook>\r\n";

#[test]
fn sloppy_files_from_other_tools_are_read() {
    let cb = load(SLOPPY).unwrap();
    let summary: Vec<String> = cb
        .themes
        .iter()
        .map(|t| {
            let doc = ThemeDoc::of(t);
            format!(
                "{} [{}] parent={:?} color={:?} terms={:?} definition={:?}",
                doc.id, t.label, doc.parent, doc.color, doc.terms, doc.definition
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "trust_honesty [Trust & Honesty] parent=None color=Some(\"#FF0000\") terms=[] \
                 definition=Some(\"Residents' trust.\\nSecond line <b>.\")",
            "keeping_one_s_word [Keeping one's word] parent=Some(\"trust_honesty\") \
                 color=None terms=[\"Keeping one's word\"] definition=None",
            "trust [trust] parent=Some(\"trust_honesty\") color=None terms=[\"trust\"] \
                 definition=None",
            "trust_honesty_2 [Trust & honesty] parent=None color=None \
                 terms=[\"Trust & honesty\"] definition=None",
        ]
    );
    assert_eq!(cb.name, "cb");
    assert_eq!(cb.themes[0].line, 4);
    assert_eq!(
        cb.notes,
        [
            "ignored elements qualkit does not read: <Memo> (line 10)",
            "guids not read (qualkit derives each code's guid from its theme id): \
                 `Trust & honesty` (line 13) has the guid of the code on line 4",
            "colours left out (not `#RRGGBB` or `#RGB`): `red` (line 8)",
            "3 codes from other tools carry no rules; each was given its name as a term — \
                 edit the codebook to add real rules",
        ]
    );
}

#[test]
fn files_without_a_namespace_and_with_sets_are_read() {
    let cb = load(
        "<CodeBook><Codes><Code name=\"a\" isCodable=\"false\"><Code name=\"b\"/></Code>\
             </Codes><Sets><Set guid=\"x\" name=\"s\"><MemberCode guid=\"y\"/></Set></Sets>\
             </CodeBook>",
    )
    .unwrap();
    assert_eq!(cb.themes.len(), 2);
    assert_eq!(cb.themes[1].parent.as_ref().unwrap().value, "a");
    assert!(cb.themes[0].terms.is_empty(), "a parent needs no term");
    assert_eq!(cb.notes[0], "ignored 1 set of codes: qualkit has no code sets");
    assert_eq!(
        cb.notes[1],
        "guids not read (qualkit derives each code's guid from its theme id): `a` (line 1) \
             has no guid; `b` (line 1) has no guid"
    );
}

#[test]
fn taguette_dotted_names_nest_under_the_code_they_name() {
    let cb = load(
            r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette {ver}"><Codes><Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="interesting" isCodable="true"/><Code guid="DFE5C38E-9449-5959-A1F7-E3D895CFA87F" name="people" isCodable="true"/><Code guid="725F0645-9CD3-598A-8D2B-EC3D39AB3C3F" name="interesting.places" isCodable="true"/></Codes><Sets/></CodeBook>"#,
        )
        .unwrap();
    let t = &cb.themes[2];
    assert_eq!((t.id.as_str(), t.label.as_str()), ("interesting_places", "places"));
    assert_eq!(t.parent.as_ref().unwrap().value, "interesting");
    assert_eq!(t.terms[0].value, "places");
    // `interesting` has a child now, so it needs no term of its own.
    assert!(cb.themes[0].terms.is_empty());
    assert_eq!(
        cb.notes[0],
        "1 code named `parent.child` nested under the code the name begins with (as Taguette \
             means them): `interesting.places`"
    );
}

#[test]
fn text_around_the_rules_block_is_the_definition() {
    let cb = load(
        "<CodeBook><Codes><Code name=\"Trust\"><Description>Before.\n\
             --- qualkit rules (edited) ---\nid = \"trust\"\nterms = [\"trust\"]\n\
             --- end of qualkit rules ---\nAdded in NVivo.</Description></Code></Codes></CodeBook>",
    )
    .unwrap();
    let t = &cb.themes[0];
    assert_eq!(t.id, "trust");
    assert_eq!(t.definition.as_deref(), Some("Before.\n\nAdded in NVivo."));
    assert!(cb.notes.iter().all(|n| !n.contains("as a term")), "{:?}", cb.notes);
}

#[test]
fn ids_made_from_names() {
    assert_eq!(id_from_name("  Trust & Honesty! "), "trust_honesty");
    assert_eq!(id_from_name("Émigrés"), "migr_s");
    assert_eq!(id_from_name("???"), "code");
}

#[test]
fn errors_name_the_line_and_what_was_expected() {
    assert_eq!(
        error("\n[[theme]]\nid = \"t\"\n"),
        "cb.qdc:2: this is not XML; a REFI-QDA codebook (.qdc) starts with `<?xml` or \
             `<CodeBook`"
    );
    assert_eq!(
        error("<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\"/>"),
        "cb.qdc:2: the root element is <Project>, expected <CodeBook> (a REFI-QDA codebook, \
             QDA-XML Codebook 1.0). This is a REFI-QDA project (.qde inside a .qdpx), not a \
             codebook."
    );
    assert_eq!(
        error("<CodeBook>\n<Codes>\n<Code guid=\"x\" isCodable=\"true\"/>\n</Codes></CodeBook>"),
        "cb.qdc:3: a <Code> without a `name` attribute; every code needs a name"
    );
    let msg = error("<CodeBook>\n<Codes>\n<Code name=\"a\">\n</Codes></CodeBook>");
    assert!(msg.starts_with("cb.qdc:4: this is not well-formed XML: "), "{msg}");
    assert_eq!(
        error("<CodeBook>\n<Codes>\n"),
        "cb.qdc:3: the file ends before its elements are closed; it may have been cut off"
    );
    assert_eq!(
        error("<CodeBook><Codes/></CodeBook>"),
        "cb.qdc: the codebook has no <Code> elements; a codebook needs at least one code"
    );
    assert_eq!(
            error("<CodeBook><Codes>\n<Code name=\"a\"><Description>&nbsp;</Description></Code>\n</Codes></CodeBook>"),
            "cb.qdc:2: this is not well-formed XML: unknown entity `&nbsp;`; XML knows only &lt; &gt; &amp; &quot; &apos; \
             and character references"
        );
    assert_eq!(
        error("<CodeBook><Codes><Code name=\"&bogus;\"/></Codes></CodeBook>"),
        "cb.qdc:1: the `name` attribute of a <Code> is not valid XML text: unrecognized \
             entity `bogus`; write `&amp;` for a literal `&`"
    );
}

#[test]
fn errors_in_the_rules_block_name_the_code_and_the_line() {
    let msg = error(
        "<CodeBook>\n<Codes>\n<Code name=\"Trust\"><Description>Prose.\n\n\
             --- qualkit rules (kept for the round trip; edit with care) ---\n\
             id = \"trust\"\nterms = [\"trust\"\n--- end of qualkit rules ---</Description>\n\
             </Code></Codes></CodeBook>",
    );
    assert!(
        msg.starts_with(
            "cb.qdc:7: code `Trust`: the qualkit rules in its description are not valid \
                 TOML (line 5 of the description): "
        ),
        "{msg}"
    );
    assert_eq!(
        error(
            "<CodeBook>\n<Codes>\n<Code name=\"Trust\"><Description>\n\
                 --- qualkit rules (kept for the round trip; edit with care) ---\n\
                 id = \"trust\"\n</Description></Code></Codes></CodeBook>",
        ),
        "cb.qdc:4: code `Trust`: the qualkit rules in its description have no closing line \
             `--- end of qualkit rules ---`; restore it (the description may have been cut off)"
    );
    let block = |id: &str| {
        format!(
            "<Code name=\"{id}\"><Description>{RULES_START}\nid = \"{id}\"\n\
                 terms = [\"{id}\"]\n[codebook]\nname = \"x\"\n{RULES_END}</Description></Code>\n"
        )
    };
    assert_eq!(
        error(&format!("<CodeBook><Codes>\n{}{}</Codes></CodeBook>", block("a"), block("b"))),
        "cb.qdc:8: code `b` carries a second [codebook] table in its qualkit rules (the \
             first is in code `a`, line 2); keep one"
    );
    let msg = error(&format!(
        "<CodeBook><Codes>\n<Code name=\"a\"><Description>{RULES_START}\nid = \"a\"\n\
             label = \"A\"\nterms = [\"a\"]\n{RULES_END}</Description></Code></Codes></CodeBook>"
    ));
    assert!(msg.starts_with("cb.qdc:4: code `a`: the qualkit rules in its description are not valid TOML (line 3 of the description): unknown field `label`"), "{msg}");
}
