//! Codebook loading and validation: every error names the file, the line and the theme.

use std::path::Path;

use super::*;

fn load(toml: &str) -> Result<Codebook> {
    Codebook::from_toml_str(Path::new("cb.toml"), toml)
}

fn error(toml: &str) -> String {
    load(toml).unwrap_err().to_string()
}

#[test]
fn themes_fields_and_lines_are_read() {
    let cb = load(
        r#"[codebook]
name = "Study"
language = "Spanish"

[[theme]]
id = "confianza"
label = "Confianza"
terms = ["confianza",
  "honest*"]
near = [{ a = "líder*", b = "comunidad", within = 5 }]
examples = ["Hay que ganarse la confianza."]
"#,
    )
    .unwrap();
    assert_eq!(cb.name, "Study");
    assert_eq!(cb.language.name(), "spanish");
    let t = &cb.themes[0];
    assert_eq!((t.line, t.terms[0].line, t.terms[1].line, t.near[0].line), (6, 8, 9, 10));
    assert_eq!(t.near[0].value, Near { a: "líder*".into(), b: "comunidad".into(), within: 5 });
    assert_eq!(t.near[0].value.to_string(), "líder* NEAR/5 comunidad");
}

#[test]
fn codebook_order_puts_parents_before_children() {
    let cb = load(
        r#"[[theme]]
id = "child_b"
parent = "root_b"
terms = ["b"]
[[theme]]
id = "root_a"
terms = ["a"]
[[theme]]
id = "root_b"
[[theme]]
id = "child_a"
parent = "root_a"
terms = ["c"]
"#,
    )
    .unwrap();
    let ids: Vec<_> = cb.order().iter().map(|&i| cb.themes[i].id.as_str()).collect();
    assert_eq!(ids, ["root_a", "child_a", "root_b", "child_b"]);
    assert_eq!(cb.self_and_ancestors(0), [0, 2]);
}

#[test]
fn duplicate_ids_name_both_lines() {
    assert_eq!(
        error("[[theme]]\nid = \"trust\"\nterms = [\"a\"]\n[[theme]]\nid = \"trust\"\nterms = [\"b\"]\n"),
        "cb.toml:5: theme 'trust': duplicate id: already defined at line 2; give each theme its own id"
    );
}

#[test]
fn unknown_parents_are_errors_at_the_parent_line() {
    assert_eq!(
        error("[[theme]]\nid = \"trust\"\nparent = \"valeus\"\nterms = [\"a\"]\n"),
        "cb.toml:3: theme 'trust': unknown parent `valeus`; no theme has that id"
    );
}

#[test]
fn parent_cycles_are_errors() {
    let msg = error(
        "[[theme]]\nid = \"a\"\nparent = \"b\"\nterms = [\"x\"]\n[[theme]]\nid = \"b\"\nparent = \"a\"\n",
    );
    assert!(msg.starts_with("cb.toml:3: theme 'a': parent cycle"), "{msg}");
    let msg = error("[[theme]]\nid = \"a\"\nparent = \"a\"\nterms = [\"x\"]\n");
    assert!(msg.starts_with("cb.toml:3: theme 'a': parent cycle"), "{msg}");
}

#[test]
fn invalid_regexes_are_errors_at_their_line() {
    let msg = error("[[theme]]\nid = \"t\"\npatterns = [\n  'ok',\n  '(unclosed'\n]\n");
    assert!(msg.starts_with("cb.toml:5: theme 't': invalid regex `(unclosed`: "), "{msg}");
    assert!(msg.contains("unclosed group"), "{msg}");
}

#[test]
fn themes_that_can_never_be_coded_are_errors() {
    assert_eq!(
        error("[[theme]]\nid = \"empty\"\nlabel = \"Nothing\"\n"),
        "cb.toml:2: theme 'empty': the theme has no terms, patterns or near rules and no child \
         themes, so it can never be coded; add rules or remove it"
    );
    assert!(error("[[theme]]\nid = \"t\"\nterms = [\"***\"]\n")
        .starts_with("cb.toml:3: theme 't': term `***` has no words"));
}

#[test]
fn unknown_languages_list_the_known_ones() {
    let msg = error("[codebook]\nlanguage = \"klingon\"\n[[theme]]\nid = \"t\"\nterms = [\"a\"]\n");
    assert!(
        msg.starts_with("cb.toml:2: unknown language `klingon`; expected one of: arabic, danish,"),
        "{msg}"
    );
}

#[test]
fn invalid_toml_and_unknown_keys_name_the_line() {
    let msg = error("[[theme]]\nid = \"t\"\nterms = [\"a\"\n");
    assert!(msg.starts_with("cb.toml:3: invalid TOML: "), "{msg}");
    let msg = error("[[theme]]\nid = \"t\"\nterm = [\"a\"]\n");
    assert!(
        msg.starts_with("cb.toml:3: invalid TOML: unknown field `term`, expected one of"),
        "{msg}"
    );
}

#[test]
fn ids_must_be_lowercase_words() {
    assert!(error("[[theme]]\nid = \"Trust Honesty\"\nterms = [\"a\"]\n")
        .starts_with("cb.toml:2: theme 'Trust Honesty': invalid id"));
}

#[test]
fn near_within_must_be_positive() {
    assert!(error("[[theme]]\nid = \"t\"\nnear = [{ a = \"x\", b = \"y\", within = 0 }]\n")
        .contains("within = 0"));
    assert!(error("[[theme]]\nid = \"t\"\nnear = [{ a = \"x\", b = \"y\", within = -2 }]\n")
        .contains("within = -2"));
}
