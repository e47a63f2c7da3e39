//! Every matching rule, with hand-computed expectations.

use std::path::Path;

use super::*;
use crate::codebook::Codebook;

fn engine(toml: &str) -> (Codebook, Engine) {
    let cb = Codebook::from_toml_str(Path::new("test.toml"), toml).unwrap();
    let engine = Engine::new(&cb);
    (cb, engine)
}

/// Codes `text` and returns (theme id, mentioned text) pairs, sorted by theme then position.
fn coded(toml: &str, text: &str) -> Vec<(String, String)> {
    let (cb, engine) = engine(toml);
    let mut coder = Coder::new(&engine);
    let (_, spans) = coder.code(text);
    spans.into_iter().map(|s| (cb.themes[s.theme].id.clone(), text[s.range].to_string())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn one_word_terms_match_by_stem() {
    let cb = r#"[[theme]]
id = "org"
terms = ["organizer"]"#;
    assert_eq!(
        coded(cb, "Organizers organize; organizing is organic? An organ. Organization."),
        pairs(&[
            ("org", "Organizers"),
            ("org", "organize"),
            ("org", "organizing"),
            // Porter2 strips "-ic" too: a reason to read kwic output before trusting a stem.
            ("org", "organic"),
            ("org", "organ"),
            ("org", "Organization"),
        ])
    );
}

#[test]
fn stemming_can_be_turned_off_for_exact_matching() {
    let cb = r#"[codebook]
stemming = false
[[theme]]
id = "org"
terms = ["organizer"]"#;
    assert_eq!(
        coded(cb, "Organizer organizers ORGANIZER"),
        pairs(&[("org", "Organizer"), ("org", "ORGANIZER")])
    );
}

#[test]
fn wildcards_match_lowercased_prefixes() {
    let cb = r#"[[theme]]
id = "cred"
terms = ["credib*"]"#;
    assert_eq!(
        coded(cb, "Credibility, credible, CREDIBLY, incredible, cred."),
        pairs(&[("cred", "Credibility"), ("cred", "credible"), ("cred", "CREDIBLY")])
    );
}

#[test]
fn phrases_match_consecutive_tokens_even_across_lines() {
    let cb = r#"[[theme]]
id = "word"
terms = ["keep their word", "one-on-one"]"#;
    assert_eq!(
        coded(
            cb,
            "They keeps their words. Keep their\nword! keep, their word. One on one; one-on-one."
        ),
        pairs(&[
            ("word", "keeps their words"),
            ("word", "Keep their\nword"),
            ("word", "keep, their word"),
            ("word", "One on one"),
            ("word", "one-on-one"),
        ])
    );
}

#[test]
fn curly_and_straight_apostrophes_are_the_same() {
    let cb = r#"[[theme]]
id = "persist"
terms = ["don’t give up", "community's*"]"#;
    assert_eq!(
        coded(cb, "We don't give up. We don’t give up. The community’s voice."),
        pairs(&[
            ("persist", "don't give up"),
            ("persist", "don’t give up"),
            ("persist", "community’s")
        ])
    );
}

#[test]
fn patterns_are_case_insensitive_and_ignore_empty_matches() {
    let cb = r#"[[theme]]
id = "distrust"
patterns = ['\bdistrust\w*', 'x*']"#;
    assert_eq!(
        coded(cb, "DISTRUST and distrustful people"),
        pairs(&[("distrust", "DISTRUST"), ("distrust", "distrustful")])
    );
}

#[test]
fn near_counts_token_distance_in_either_order() {
    let cb = r#"[[theme]]
id = "lead"
near = [{ a = "leader*", b = "community", within = 3 }]"#;
    // community(0) members(1) become(2) leaders(3): distance 3.
    assert_eq!(
        coded(cb, "Community members become leaders."),
        pairs(&[("lead", "Community members become leaders")])
    );
    // leaders(0) of(1) the(2) whole(3) community(4): distance 4 > 3.
    assert_eq!(coded(cb, "Leaders of the whole community."), pairs(&[]));
    // Either order, adjacent tokens are 1 apart.
    assert_eq!(coded(cb, "leadership community"), pairs(&[("lead", "leadership community")]));
}

#[test]
fn near_parts_may_be_phrases_and_must_not_overlap() {
    let cb = r#"[[theme]]
id = "hd"
near = [{ a = "health department", b = "partner*", within = 2 }, { a = "community", b = "community*", within = 5 }]"#;
    // department(1) and partners(3): distance between nearer ends is 2.
    assert_eq!(
        coded(cb, "The health department, our partners."),
        pairs(&[("hd", "health department, our partners")])
    );
    // A single "community" matches both a and b, but they overlap: no span.
    assert_eq!(coded(cb, "The community."), pairs(&[]));
    assert_eq!(coded(cb, "community and community"), pairs(&[("hd", "community and community")]));
}

#[test]
fn excludes_veto_overlapping_spans_of_their_own_theme_only() {
    let cb = r#"[[theme]]
id = "trust"
terms = ["trust"]
exclude = ["trust fund"]

[[theme]]
id = "money"
terms = ["fund"]
"#;
    assert_eq!(
        coded(cb, "A trust fund is not trust. Trusting funds?"),
        // "Trusting funds" is the phrase "trust fund" by stems, so it is vetoed too.
        pairs(&[("trust", "trust"), ("money", "fund"), ("money", "funds")])
    );
}

#[test]
fn excludes_apply_to_patterns_and_near_spans_too() {
    let cb = r#"[[theme]]
id = "power"
patterns = ['power\w*']
near = [{ a = "power", b = "residents", within = 4 }]
exclude = ["power outage"]
"#;
    // Tokens: The0 power1 outage2 hurt3 residents4 Residents5 want6 power7.
    // The pattern span power1 and the near pairs power1–residents4/5 overlap the outage and
    // are vetoed; power7 (pattern) and the pairs residents4–power7 (distance 3) and
    // Residents5–power7 (distance 2) survive and merge into one mention.
    assert_eq!(
        coded(cb, "The power outage hurt residents. Residents want power."),
        pairs(&[("power", "residents. Residents want power")])
    );
}

#[test]
fn overlapping_spans_merge_and_touching_spans_stay_apart() {
    let cb = r#"[[theme]]
id = "t"
terms = ["trust", "trust them"]
patterns = ['worth', 'y\b']
"#;
    let (cb_, engine) = engine(cb);
    let mut coder = Coder::new(&engine);
    let text = "We trust them. Trustworthy.";
    let (_, spans) = coder.code(text);
    let got: Vec<_> = spans.iter().map(|s| (&text[s.range.clone()], s.rules.clone())).collect();
    // "trust" (rule 0) and "trust them" (rule 1) overlap: one mention with both rules.
    // "worth" and "y" touch (…worth|y) and stay separate; "Trustworthy" is one token whose
    // stem is not "trust", so the term does not match it.
    assert_eq!(got, vec![("trust them", vec![0, 1]), ("worth", vec![2]), ("y", vec![3])]);
    assert_eq!(cb_.themes.len(), 1);
}

#[test]
fn parent_themes_take_the_union_of_their_descendants_spans() {
    let cb = r#"[[theme]]
id = "values"
terms = ["value"]
exclude = ["honest"]

[[theme]]
id = "trust"
parent = "values"
terms = ["keep their word"]

[[theme]]
id = "honesty"
parent = "trust"
terms = ["honest", "word"]
exclude = ["honest broker"]
"#;
    let got = coded(cb, "Honest people keep their word. An honest broker values that.");
    assert_eq!(
        got,
        pairs(&[
            // values: its own "values" term, plus all descendants' spans merged; its own
            // exclude ("honest") does not veto the child's "Honest" span.
            ("values", "Honest"),
            ("values", "keep their word"),
            ("values", "values"),
            ("trust", "Honest"),
            ("trust", "keep their word"),
            ("honesty", "Honest"),
            ("honesty", "word"),
            // "honest broker" is excluded for honesty, so it reaches no parent either.
        ])
    );
}

#[test]
fn tokens_are_cached_per_distinct_form_without_changing_results() {
    let cb = r#"[[theme]]
id = "t"
terms = ["trust*"]"#;
    let (_, engine) = engine(cb);
    let mut coder = Coder::new(&engine);
    let first = coder.code("Trust trust TRUST");
    let second = coder.code("Trust trust TRUST");
    assert_eq!(first, second);
    assert_eq!(first.1.len(), 3);
}

#[test]
fn the_same_term_in_two_themes_is_compiled_once_and_counts_for_both() {
    let cb = r#"[[theme]]
id = "a"
terms = ["listserv*"]
[[theme]]
id = "b"
terms = ["listserv*"]"#;
    let (_, engine) = engine(cb);
    assert_eq!(engine.sequences.len(), 1);
    assert_eq!(coded(cb, "listservs"), pairs(&[("a", "listservs"), ("b", "listservs")]));
}

#[test]
fn the_bundled_patterns_have_ascii_forms() {
    let cb = crate::codebook::Codebook::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/codebooks/metaconnects.toml"
    )))
    .unwrap();
    let engine = Engine::new(&cb);
    assert!(engine.ascii.is_some(), "every bundled pattern compiles for ASCII text");
}
