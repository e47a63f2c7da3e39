//! Dictionaries of other content-analysis tools read as codebooks: WordStat `.cat`,
//! Yoshikoder `.ykd`, Lexicoder `.lc3`, quanteda YAML and LIWC-22 `.dicx`, each a fixture in
//! its tool's layout of the same small dictionary, converted and used by `analyze`.

mod common;

use common::*;
use qualkit::codebook::Codebook;

/// `tests/fixtures/dictionaries/NAME` read by its extension.
fn fixture(name: &str) -> Codebook {
    let path = repo().join("tests/fixtures/dictionaries").join(name);
    Codebook::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Each theme as `id (parent) [colour]: words`, its words lowercased in file order.
fn shape(cb: &Codebook) -> Vec<String> {
    cb.themes
        .iter()
        .map(|t| {
            let words: Vec<String> = t.terms.iter().map(|x| x.value.to_lowercase()).collect();
            let parent = t.parent.as_ref().map(|p| format!(" ({})", p.value)).unwrap_or_default();
            let color = t.color.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default();
            format!("{}{parent}{color}: {}", t.id, words.join(", "))
        })
        .collect()
}

/// The nested dictionary of the fixtures that can nest (WordStat, Yoshikoder, quanteda).
const NESTED: [&str; 4] = [
    "trust: trust*, reliable, show up",
    "funding: budget*, money",
    "funding_grants (funding): grant*, foundation*",
    "leadership: leader*, organizer*, makes room",
];

#[test]
fn wordstat_yoshikoder_and_quanteda_give_the_same_nested_codebook() {
    assert_eq!(shape(&fixture("wordstat.cat")), NESTED);
    assert_eq!(shape(&fixture("quanteda.yml")), NESTED);
    let ykd = fixture("yoshikoder.ykd");
    assert_eq!(shape(&ykd), NESTED);
    assert_eq!(ykd.name, "Community organizing");
    let cat = fixture("wordstat.cat");
    assert!(!cat.stemming);
    assert!(
        cat.notes
            .iter()
            .any(|n| n == "dropped the weights of 10 entries (qualkit counts each mention once)"),
        "{:?}",
        cat.notes
    );
}

#[test]
fn lexicoder_and_liwc22_give_their_flat_codebooks() {
    assert_eq!(
        shape(&fixture("lexicoder.lc3")),
        [
            "trust: trust*, reliable, show up",
            "funding [#008800]: grant*, foundation*, budget*, money",
            "leadership: leader*, organizer*, makes room",
        ]
    );
    assert_eq!(
        shape(&fixture("liwc22.dicx")),
        [
            "trust: trust*, reliable, show up, organizer*",
            "funding: grant*, foundation*, budget*, money",
            "grants: grant*, foundation*",
            "leadership: leader*, organizer*, makes room",
        ]
    );
}

#[test]
fn a_dicx_round_trips_through_convert() {
    let dir = tempfile::tempdir().unwrap();
    let (toml, dicx) = (dir.path().join("d.toml"), dir.path().join("d.dicx"));
    let source = repo().join("tests/fixtures/dictionaries/yoshikoder.ykd");
    for (from, to) in [(source.as_path(), toml.as_path()), (toml.as_path(), dicx.as_path())] {
        let out = qualkit(&["codebook", "convert", arg(from), arg(to)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_eq!(
        read(&dicx),
        "DicTerm,TRUST,FUNDING,FUNDING/GRANTS,LEADERSHIP\nbudget*,,X,,\nfoundation*,,X,X,\n\
         grant*,,X,X,\nleader*,,,,X\nmakes room,,,,X\nmoney,,X,,\norganizer*,,,,X\n\
         reliable,X,,,\nshow up,X,,,\ntrust*,X,,,\n"
    );
    let back = dir.path().join("back.toml");
    let out = qualkit(&["codebook", "convert", arg(&dicx), arg(&back)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The same themes and words; a .dicx lists the words in alphabetical order.
    let sorted = |cb: &Codebook| {
        let mut cb = cb.clone();
        cb.themes.iter_mut().for_each(|t| t.terms.sort_by(|a, b| a.value.cmp(&b.value)));
        shape(&cb)
    };
    let (a, b) = (Codebook::load(&toml).unwrap(), Codebook::load(&back).unwrap());
    assert_eq!(sorted(&a), sorted(&b));
    assert_eq!(a.themes.len(), 4);
}

#[test]
fn analyze_codes_with_a_wordstat_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = repo().join("tests/fixtures/imports/transcripts");
    let codebook = repo().join("tests/fixtures/dictionaries/wordstat.cat");
    let out = qualkit(&[
        "analyze",
        arg(&transcripts),
        "--codebook",
        arg(&codebook),
        "-o",
        arg(dir.path()),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let freq = read(&dir.path().join("theme_frequencies.csv"));
    let rows: Vec<String> =
        freq.lines().map(|l| l.split(',').take(6).collect::<Vec<_>>().join(",")).collect();
    // trust*, show up; money, grant* (twice), budget*; leader*, organizer*, makes room.
    assert_eq!(
        rows,
        [
            "theme,label,parent,mentions,segments,speakers",
            "trust,TRUST,,4,3,3",
            "funding,FUNDING,,5,4,4",
            "funding_grants,GRANTS,funding,2,2,2",
            "leadership,LEADERSHIP,,5,4,3",
        ]
    );
    assert!(stderr(&out).contains("dropped the weights of 10 entries"), "{}", stderr(&out));
}
