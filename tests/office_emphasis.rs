//! Formatting read from Word and OpenDocument files: a bold or underlined label that opens a
//! paragraph (`lead`) and wholly bold or italic paragraphs (`whole`), through the test
//! documents' inline markers (`{b}…{/b}`, `{i}…{/i}`, `{u}…{/u}`).

mod common;

use std::path::Path;

use qualkit::ingest::office::{docx_paragraphs, odt_paragraphs, DocParagraph, Emphasis};

/// Paragraphs written with markers, and what the readers should make of them.
fn cases() -> Vec<(&'static str, DocParagraph)> {
    let para = |text: &str, lead: usize, whole: Option<Emphasis>| DocParagraph {
        text: text.to_string(),
        lead,
        whole,
    };
    vec![
        ("{b}Maria{/b} I think so.", para("Maria I think so.", 5, None)),
        ("{b}Maria:{/b} yes", para("Maria: yes", 6, None)),
        ("{b}Maria: {/b}yes", para("Maria: yes", 6, None)),
        ("{u}Interviewer{/u}: So.", para("Interviewer: So.", 11, None)),
        ("{b}José{/b} <sí> & \"no\"", para("José <sí> & \"no\"", 5, None)),
        ("{b}Ana{/b} {b}Ruiz:{/b} yes", para("Ana Ruiz: yes", 9, None)),
        ("{b}Moderator: what next?{/b}", para("Moderator: what next?", 0, Some(Emphasis::Bold))),
        ("{i}(laughter){/i}", para("(laughter)", 0, Some(Emphasis::Italic))),
        ("{b}{i}Ben:{/i}{/b}{i} reads{/i}", para("Ben: reads", 4, Some(Emphasis::Italic))),
        ("I {b}really{/b} do.", para("I really do.", 0, None)),
        ("{b}Maria{/b} hi\n{b}Ben{/b} more", para("Maria hi\nBen more", 5, None)),
        ("Plain: text", para("Plain: text", 0, None)),
        ("", para("", 0, None)),
    ]
}

#[test]
fn docx_labels_and_wholly_formatted_paragraphs_are_read() {
    let (marked, expected): (Vec<&str>, Vec<DocParagraph>) = cases().into_iter().unzip();
    let bytes = common::office::docx(&marked);
    assert_eq!(docx_paragraphs(Path::new("t.docx"), &bytes).unwrap(), expected);
}

#[test]
fn odt_labels_and_wholly_formatted_paragraphs_are_read() {
    let (marked, expected): (Vec<&str>, Vec<DocParagraph>) = cases().into_iter().unzip();
    let bytes = common::office::odt(&marked);
    assert_eq!(odt_paragraphs(Path::new("t.odt"), &bytes).unwrap(), expected);
}

#[test]
fn documents_without_markers_read_as_plain() {
    let paragraphs = ["Anna: hi", "  two  spaces\tand a tab", ""];
    let docx = docx_paragraphs(Path::new("t.docx"), &common::office::docx(&paragraphs)).unwrap();
    let odt = odt_paragraphs(Path::new("t.odt"), &common::office::odt(&paragraphs)).unwrap();
    let plain: Vec<DocParagraph> = paragraphs.iter().map(|p| DocParagraph::plain(*p)).collect();
    assert_eq!(docx, plain);
    assert_eq!(odt, plain);
}
