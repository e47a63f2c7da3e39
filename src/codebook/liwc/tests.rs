use super::*;
use crate::codebook::{Codebook, CodebookFormat};
use std::collections::HashSet;

/// A project-written dictionary: tabs and runs of spaces, a phrase, wildcards, paths with
/// `/` and `:`, a parent named only in a path, a word in a parent and its child, a
/// repeated word, a LIWC2007 context rule, an entry without letters, an empty category.
const SOCIAL: &str = "%\n\
    1\tSocial\n\
    02\tSocial/Family\n\
    3      Feelings:Care\n\
    4\tMoney\n\
    5\tUnused\n\
    %\n\
    \n\
    family\t1 2\n\
    mum*\t\t02\n\
    care   3\n\
    kind of\t3\n\
    Care\t03\n\
    fund*        \t4\n\
    :)\t4\n\
    like\t(02 134)125/464 (02 134)126 4\n\
    kind\t(57 62)131/22\n";

fn import(text: &str, stem: bool) -> Result<Codebook> {
    let path = Path::new("dict.dic");
    let raw = parse(path, text, &ImportOptions { stem })?;
    Codebook::build(path, raw)
}

fn error(text: &str) -> String {
    import(text, false).unwrap_err().to_string()
}

/// `id (label) < parent: terms` for each theme, in file order.
fn outline(cb: &Codebook) -> Vec<String> {
    cb.themes
        .iter()
        .map(|t| {
            let terms: Vec<&str> = t.terms.iter().map(|l| l.value.as_str()).collect();
            let parent = t.parent.as_ref().map(|p| format!(" < {}", p.value));
            format!("{} ({}){}: {}", t.id, t.label, parent.unwrap_or_default(), terms.join(", "))
        })
        .collect()
}

#[test]
fn categories_become_themes_with_their_words() {
    for text in [SOCIAL.replace('\n', "\r\n"), SOCIAL.replace('\n', "\r"), SOCIAL.into()] {
        let cb = import(&text, false).unwrap();
        assert_eq!(
            outline(&cb),
            [
                "social (Social): ",
                "social_family (Family) < social: family, mum*",
                "feelings (Feelings): ",
                "feelings_care (Care) < feelings: care, kind of",
                "money (Money): fund*, like",
            ]
        );
        assert_eq!((cb.name.as_str(), cb.stemming), ("dict", false));
        let lines: Vec<usize> = cb.themes[1].terms.iter().map(|t| t.line).collect();
        assert_eq!((cb.themes[1].line, lines), (3, vec![9, 10]));
        assert_eq!(cb.themes[2].line, 4, "an added parent has its first child's line");
        assert_eq!(
            cb.notes,
            [
                "LIWC2007 context rules such as `(02 134)125/464` cannot be expressed in \
                 qualkit; dropped them and kept the categories listed outside them: line 16",
                "skipped entries with only LIWC2007 context rules: line 17",
                "skipped entries without letters or digits, which qualkit cannot match: \
                 line 15",
                "kept once the words listed twice in one category: line 13",
                "added the parent categories that category names imply but the file does \
                 not list: `Feelings` (line 4)",
                "1 word listed under both a category and one of its sub-categories: kept \
                 only in the sub-category, since qualkit counts a sub-category's mentions \
                 for its parents too",
                "left out the categories without words, since a theme without words could \
                 never be coded: `Unused` (category 5, line 6)",
            ]
        );
    }
}

#[test]
fn the_stem_option_turns_stemming_on() {
    assert!(import(SOCIAL, true).unwrap().stemming);
}

#[test]
fn dotted_names_and_phrases_without_tabs_are_read() {
    let cb = import("%\n1 social.family\n2 social\n%\nkind of 1\nmum 01 2\n", false).unwrap();
    assert_eq!(
        outline(&cb),
        ["social (social): ", "social_family (family) < social: kind of, mum"]
    );
    assert_eq!(cb.themes[0].line, 3, "the parent listed after its child keeps its own line");
}

#[test]
fn clashing_ids_get_a_number() {
    let cb = import("%\n1\tTrust!\n2\ttrust\n3\t日本\n%\na\t1\nb\t2\nc\t3\n", false).unwrap();
    let ids: Vec<&str> = cb.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["trust", "trust_2", "category_3"]);
}

/// A dictionary of the shared corpora (see `crate::shared_corpus`).
fn shared(name: &str) -> Option<(std::path::PathBuf, String)> {
    let path = crate::shared_corpus::path(&format!("dictionaries/{name}"))?;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some((path, text))
}

#[test]
fn the_moral_foundations_dictionary_is_read_whole() {
    let Some((path, text)) = shared("moral_foundations_dictionary.dic") else { return };
    // Counted apart from the reader: the lines after the second `%`, each a word and the
    // numbers of its categories.
    let entries: Vec<Vec<&str>> = text
        .split("\n%")
        .nth(1)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|fields| !fields.is_empty())
        .collect();
    let pairs: usize = entries.iter().map(|fields| fields.len() - 1).sum();
    assert_eq!((entries.len(), pairs), (324, 359));
    let cb = Codebook::import(&path, CodebookFormat::Liwc, &ImportOptions::default()).unwrap();
    assert_eq!(cb.themes.len(), 11);
    let terms: Vec<&str> =
        cb.themes.iter().flat_map(|t| &t.terms).map(|t| t.value.as_str()).collect();
    assert_eq!(terms.len(), pairs);
    assert_eq!(terms.iter().collect::<HashSet<_>>().len(), entries.len());
    let harm = &cb.themes[cb.index_of("harmvirtue").unwrap()];
    assert_eq!(harm.label, "HarmVirtue");
    assert!(harm.terms.iter().any(|t| t.value == "safe*"));
    assert_eq!((cb.stemming, cb.notes.len()), (false, 0), "{:?}", cb.notes);
}

#[test]
fn mary_has_two_categories() {
    let Some((path, _)) = shared("mary.dic") else { return };
    let cb = Codebook::load(&path).unwrap();
    assert_eq!(
        outline(&cb),
        [
            "a_category (A category): more, lamb, little",
            "another_category (Another category): had, mary",
        ]
    );
}

#[test]
fn unknown_categories_are_errors_with_their_line() {
    assert_eq!(
        error("%\n1\tA\n2\tB\n%\nmore\t1\nlamb\t1 3\n"),
        "dict.dic:6: `lamb` is listed under category 3, which the category block (lines \
         1-4) does not define; add a line `3<TAB>name` there, or remove 3 from this entry"
    );
    assert_eq!(
        error("%\n1\tA\n%\nmore\t1 x\n"),
        "dict.dic:4: `x` after the tab is not a category number; an entry is a word or a \
         phrase (its words separated by spaces), a tab, then the numbers of its categories"
    );
}

#[test]
fn missing_percent_lines_are_errors() {
    assert_eq!(
        error("%\n1\tA category\n\nmore\t1\n"),
        "dict.dic:4: `more 1` is not a category line, which is a category number and a \
         name (`1<TAB>Positive emotion`); if the categories end here, add a line holding \
         only `%` before this one"
    );
    assert_eq!(
        error("\n%\n1\tA category\n"),
        "dict.dic:2: the category block that `%` opens on this line is never closed; add \
         a line holding only `%` after the last category line, before the words"
    );
    assert_eq!(
        error("1\tA category\n%\nmore\t1\n"),
        format!(
            "dict.dic:1: expected a line holding only `%`, which opens the category block, \
             but found `1 A category`; {SHAPE}"
        )
    );
    assert_eq!(error(" \r\n"), format!("dict.dic: the file is empty; {SHAPE}"));
}

#[test]
fn malformed_category_blocks_are_errors() {
    assert_eq!(
        error("%\n%\nmore\t1\n"),
        "dict.dic:2: the category block (lines 1-2) lists no categories; add one \
         `number<TAB>name` line per category between the two `%` lines"
    );
    assert_eq!(
        error("%\n1\n%\nmore\t1\n"),
        "dict.dic:2: category 1 has no name; write its name after the number and a tab \
         (`1<TAB>Family`)"
    );
    assert_eq!(
        error("%\n1\tA\n01\tB\n%\nmore\t1\n"),
        "dict.dic:3: category 01 is listed twice (first on line 2); give each category its \
         own number"
    );
    assert_eq!(
        error("%\n1\tA\n%\n"),
        format!("dict.dic:3: no words follow the category block; {SHAPE}")
    );
}

/// A parent, two children, wildcards, phrases, a word in both children and a pattern.
const STUDY: &str = r#"[codebook]
name = "study"
description = "Values in the focus groups."

[[theme]]
id = "values"
label = "Values"

[[theme]]
id = "values_trust"
label = "Trust"
parent = "values"
terms = ["trust", "keep their  word", "credib*"]
patterns = ['\bdistrust\w*']

[[theme]]
id = "values_patience"
label = "Patience"
parent = "values"
terms = ["patience", "long haul", "Trust", "wait*"]
"#;

#[test]
fn export_lists_each_word_with_its_theme_and_ancestors() {
    let cb = Codebook::from_toml_str(Path::new("study.toml"), STUDY).unwrap();
    let exported = write(&cb).unwrap();
    assert_eq!(
        exported.text,
        "%\n1\tValues\n2\tValues/Trust\n3\tValues/Patience\n%\n\
         credib*\t1\t2\n\
         keep their word\t1\t2\n\
         long haul\t1\t3\n\
         patience\t1\t3\n\
         trust\t1\t2\t3\n\
         wait*\t1\t3\n"
    );
    assert_eq!(
        exported.notes,
        [
            "this codebook matches words by their stem, but a .dic entry matches only the \
             word as written: 5 terms without a wildcard (themes values_trust, \
             values_patience) will match fewer words (`trust` matched every word whose stem \
             is `trust`, its .dic entry matches only `trust`); to keep other forms, write \
             such terms as wildcards (`trust*`) in the codebook before converting",
            "1 pattern (theme values_trust) left out: a .dic holds only words, wildcards and \
             phrases",
            "the codebook's description left out: a .dic has no place for it",
        ]
    );
}

#[test]
fn export_reads_back_as_the_same_themes_and_terms() {
    let cb = Codebook::from_toml_str(Path::new("study.toml"), STUDY).unwrap();
    let back = import(&write(&cb).unwrap().text, false).unwrap();
    // The same up to case and spacing: `Trust` and `trust` share one entry, and a
    // phrase's words are separated by one space.
    let sorted = |cb: &Codebook| -> Vec<(String, String, Option<String>, Vec<String>)> {
        cb.themes
            .iter()
            .map(|t| {
                let mut terms: Vec<String> =
                    t.terms.iter().map(|l| collapse(&l.value).to_lowercase()).collect();
                terms.sort();
                (t.id.clone(), t.label.clone(), t.parent.as_ref().map(|p| p.value.clone()), terms)
            })
            .collect()
    };
    assert_eq!(sorted(&back), sorted(&cb));
    assert_eq!(
        back.notes,
        ["6 words listed under both a category and one of its sub-categories: kept only in \
          the sub-category, since qualkit counts a sub-category's mentions for its parents \
          too"]
    );
}

#[test]
fn export_leaves_out_themes_without_words_and_says_what_is_lost() {
    let cb = Codebook::from_toml_str(
        Path::new("cb.toml"),
        r##"[codebook]
name = "Study"
stemming = false
[[theme]]
id = "a"
label = "Care: kind"
color = "#123456"
brief = "Caring."
terms = ["care"]
near = [{ a = "x", b = "y", within = 2 }]
exclude = ["care home"]
examples = ["I care.", "We care."]
counterexamples = ["Careful."]
[[theme]]
id = "b"
patterns = ["money"]
[[theme]]
id = "c"
parent = "b"
patterns = ["cash"]
"##,
    )
    .unwrap();
    let exported = write(&cb).unwrap();
    assert_eq!(exported.text, "%\n1\ta\n%\ncare\t1\n");
    assert_eq!(
        exported.notes,
        [
            "2 patterns (themes b, c) left out: a .dic holds only words, wildcards and \
             phrases",
            "1 near rule (theme a) left out: a .dic cannot say that two words are near each \
             other",
            "1 exclude term (theme a) left out: a .dic cannot veto a match, so what they kept \
             out will be counted",
            "3 examples and counterexamples (theme a) left out: a .dic has no place for them",
            "1 theme's definitions (theme a) left out: a .dic has no place for brief, \
             definition, when_to_use or when_not_to_use",
            "1 theme's colour (theme a) left out: a .dic has no colours",
            "the codebook's name `Study` left out: a .dic has none, and reading one names the \
             codebook after the file",
            "2 themes have no category: neither they nor their sub-themes have terms (themes \
             b, c)",
            "1 category is named by id, since the label contains `/`, `.`, `:` or a line \
             break (which a .dic name cannot hold) or repeats a sibling's (theme a)",
        ]
    );
}
