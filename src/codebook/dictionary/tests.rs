use std::path::Path;

use crate::codebook::{Codebook, CodebookFormat, ImportOptions};

/// `text` read as a codebook in `format`, named like a file of that format.
fn read(name: &str, text: &str, format: CodebookFormat) -> Codebook {
    Codebook::from_bytes(
        Path::new(name),
        text.as_bytes().to_vec(),
        format,
        &ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Each theme as `id (parent): terms | patterns`.
fn shape(cb: &Codebook) -> Vec<String> {
    cb.themes
        .iter()
        .map(|t| {
            let terms: Vec<&str> = t.terms.iter().map(|x| x.value.as_str()).collect();
            let patterns: Vec<&str> = t.patterns.iter().map(|x| x.value.as_str()).collect();
            let parent = t.parent.as_ref().map(|p| format!(" ({})", p.value)).unwrap_or_default();
            format!("{}{parent}: {} | {}", t.id, terms.join(", "), patterns.join(", "))
        })
        .collect()
}

#[test]
fn wordstat_nests_by_tabs_and_drops_weights() {
    let text = "TRUST\r\n\tHONEST (1)\r\n\tRELIAB* (1)\r\n\tKEEP_THEIR_WORD (1)\r\nFUNDING\r\n\tGRANTS\r\n\t\tGRANT (1)\r\n\t\tFOUNDATION* (2)\r\n\tMONEY (1)\r\n\tMONEY (1)\r\n";
    let cb = read("values.cat", text, CodebookFormat::WordStat);
    assert_eq!(
        shape(&cb),
        [
            "trust: HONEST, RELIAB*, KEEP THEIR WORD | ",
            "funding: MONEY | ",
            "funding_grants (funding): GRANT, FOUNDATION* | ",
        ]
    );
    assert_eq!(cb.themes[2].terms[0].line, 7);
    assert!(!cb.stemming);
    let notes = cb.notes.join("\n");
    assert!(notes.contains("dropped the weights of 7 entries"), "{notes}");
    assert!(notes.contains("listed twice in one category: line 10"), "{notes}");
}

#[test]
fn wordstat_reads_cr_line_ends_and_space_indents() {
    let text = "CARE\r    HELP (1)\r    SUPPORT*\r";
    let cb = read("care.cat", text, CodebookFormat::WordStat);
    assert_eq!(shape(&cb), ["care: HELP, SUPPORT* | "]);
}

#[test]
fn lexicoder_opens_categories_with_plus() {
    let text = "stray\n+Positive\ngood\ngreat*\n\n+Negative\nbad\nnot good\n";
    let cb = read("sent.lc3", text, CodebookFormat::Lexicoder);
    assert_eq!(shape(&cb), ["positive: good, great* | ", "negative: bad, not good | "]);
    assert!(cb.notes.join(" ").contains("before the first `+category` line: line 1"));
}

#[test]
fn yoshikoder_reads_nested_cnodes_under_the_root() {
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<dictionary style="050805" patternengine="substring">
  <cnode name="Values" desc="">
    <cnode name="Trust" desc="">
      <pnode name="honest"/>
      <cnode name="Police">
        <pnode name="officer*"/>
      </cnode>
    </cnode>
    <cnode name="Care &amp; Support"><pnode name="help"/><pnode name="colo?r"/></cnode>
  </cnode>
</dictionary>
"#;
    let cb = read("values.ykd", text, CodebookFormat::Yoshikoder);
    assert_eq!(cb.name, "Values");
    assert_eq!(
        shape(&cb),
        [
            "trust: honest | ",
            "trust_police (trust): officer* | ",
            r"care_support: help | \bcolo\wr\b",
        ]
    );
    assert_eq!(cb.themes[1].terms[0].line, 7);
    assert!(cb.notes.join(" ").contains("patterns of whole words: line 10"));
}

#[test]
fn quanteda_yaml_nests_mappings_and_keeps_globs() {
    let text = "positive: [good, great*]\nplaces:\n  US:\n    MA: Boston\n    '': Washington DC\n  JP:\n    - Tokyo\n    - '*kyo'\n";
    let cb = read("dict.yml", text, CodebookFormat::Yaml);
    assert_eq!(
        shape(&cb),
        [
            "positive: good, great* | ",
            "places:  | ",
            "places_us (places): Washington DC | ",
            "places_us_ma (places_us): Boston | ",
            r"places_jp (places): Tokyo | \b\w*kyo\b",
        ]
    );
    assert_eq!(cb.themes[3].line, 4);
    // qualkit's own YAML is still read as a codebook.
    let own = "codebook:\n  name: t\ntheme:\n  - id: trust\n    terms: [trust]\n";
    assert_eq!(shape(&read("own.yml", own, CodebookFormat::Yaml)), ["trust: trust | "]);
}

#[test]
fn dicx_reads_marked_columns_and_round_trips() {
    let text = "DicTerm,Trust,Trust/Police,Funding\nhonest,X,,\nofficer*,,X,\ngrant,,,x\nkeep their word,X,,\n";
    let cb = read("values.dicx", text, CodebookFormat::Dicx);
    assert_eq!(
        shape(&cb),
        [
            "trust: honest, keep their word | ",
            "trust_police (trust): officer* | ",
            "funding: grant | ",
        ]
    );
    let written = cb.export(CodebookFormat::Dicx).unwrap();
    assert_eq!(
        written.text,
        "DicTerm,Trust,Trust/Police,Funding\ngrant,,,X\nhonest,X,,\nkeep their word,X,,\nofficer*,X,X,\n"
    );
    let back = read("values.dicx", &written.text, CodebookFormat::Dicx);
    assert_eq!(crate::codebook::format::first_difference(&cb, &back), None);
}

#[test]
fn dicx_without_its_header_says_what_it_needs() {
    let err = Codebook::from_bytes(
        Path::new("x.dicx"),
        b"word,Trust\nhonest,X\n".to_vec(),
        CodebookFormat::Dicx,
        &ImportOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("x.dicx") && err.contains("`DicTerm`"), "{err}");
}

#[test]
fn read_only_dictionaries_are_not_written() {
    let cb = read("sent.lc3", "+Positive\ngood\n", CodebookFormat::Lexicoder);
    let err = cb.export(CodebookFormat::Lexicoder).unwrap_err().to_string();
    assert!(err.contains("reads lc3 files but does not write them"), "{err}");
}

/// The shared sample `name`, read by its extension as `Codebook::load` reads it.
fn sample(name: &str) -> Option<Codebook> {
    let path = crate::shared_corpus::path(&format!("dictionaries/{name}"))?;
    Some(Codebook::load(&path).unwrap_or_else(|e| panic!("{name}: {e}")))
}

#[test]
fn the_shared_samples_read_with_their_categories_and_words() {
    // mary.*: two categories of 3 and 2 words, in each format quanteda reads.
    for name in ["mary.lc3", "mary.ykd", "mary.dic"] {
        let Some(cb) = sample(name) else { return };
        let counts: Vec<(String, usize)> =
            cb.themes.iter().map(|t| (t.label.to_lowercase(), t.terms.len())).collect();
        assert_eq!(counts, [("a category".into(), 3), ("another category".into(), 2)], "{name}");
    }
    let Some(cb) = sample("mary.yml") else { return };
    let counts: Vec<(&str, usize)> =
        cb.themes.iter().map(|t| (t.label.as_str(), t.terms.len())).collect();
    assert_eq!(counts, [("A CATEGORY", 3), ("ANOTHER", 3)]);
    // newsmap.yml: regions holding countries, one name each.
    let Some(cb) = sample("newsmap.yml") else { return };
    assert_eq!(
        shape(&cb),
        [
            "africa:  | ",
            "africa_cd (africa): コンゴ民主共和国 | ",
            "africa_cf (africa): 中央アフリカ | ",
            "africa_ci (africa): コートジボワール | ",
        ]
    );
    let Some(cb) = sample("newsmap2.yml") else { return };
    assert_eq!(
        shape(&cb),
        [
            "us: Washingon DC | ",
            "us_ma (us): Boston | ",
            "us_ca (us): Sacramento | ",
            "jp: Tokyo | "
        ]
    );
}

#[test]
fn lexicoder_keeps_category_colours_and_an_xml_lcd_is_yoshikoder() {
    let cb =
        read("lsd.lc3", "+negative#AA0000\nbad*\n+positive#0a0\ngood\n", CodebookFormat::Lexicoder);
    let colors: Vec<Option<&str>> = cb.themes.iter().map(|t| t.color.as_deref()).collect();
    assert_eq!(shape(&cb), ["negative: bad* | ", "positive: good | "]);
    assert_eq!(colors, [Some("#AA0000"), Some("#0A0")]);
    let xml = r#"<dictionary><cnode name="Root"><cnode name="Care"><pnode name="help"/></cnode></cnode></dictionary>"#;
    let cb = read("care.lcd", xml, CodebookFormat::Lexicoder);
    assert_eq!((cb.name.as_str(), shape(&cb)), ("Root", vec!["care: help | ".to_string()]));
}

#[test]
fn weighted_dicx_cells_mark_their_words_and_zero_does_not() {
    let text = "DicTerm,Negative,Positive\nawful,-0.7,0.0\ngreat,0,0.9\n";
    let cb = read("w.dicx", text, CodebookFormat::Dicx);
    assert_eq!(shape(&cb), ["negative: awful | ", "positive: great | "]);
    assert!(cb.notes.iter().any(|n| n.starts_with("dropped 2 weights")), "{:?}", cb.notes);
}
