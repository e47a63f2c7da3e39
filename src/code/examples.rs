//! A codebook's own tests: every `examples` sentence must be coded with its theme and no
//! `counterexamples` sentence may be, through the real engine. Each failure says which rule
//! fired, or why none did.

use super::{Coder, Engine};
use crate::codebook::{Codebook, Located};

/// Whether a sentence was an example or a counterexample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    /// Must be coded with the theme.
    Example,
    /// Must not be coded with the theme.
    Counterexample,
}

/// One sentence that did not behave as its codebook says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The theme (index).
    pub theme: usize,
    /// Example or counterexample.
    pub kind: ExampleKind,
    /// The sentence.
    pub text: String,
    /// Its line in the codebook.
    pub line: usize,
    /// Which rule fired, or why none did.
    pub reason: String,
}

/// The outcome of a codebook's tests.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Sentences that behaved as the codebook says.
    pub passed: usize,
    /// Those that did not, in codebook order.
    pub failures: Vec<Failure>,
}

/// Runs every example and counterexample of `codebook` through `engine`.
pub fn run(codebook: &Codebook, engine: &Engine) -> Outcome {
    let mut coder = Coder::new(engine);
    let mut outcome = Outcome::default();
    for &t in codebook.order() {
        let theme = &codebook.themes[t];
        let cases = theme
            .examples
            .iter()
            .map(|e| (ExampleKind::Example, e))
            .chain(theme.counterexamples.iter().map(|e| (ExampleKind::Counterexample, e)));
        for (kind, sentence) in cases {
            match check(codebook, &mut coder, t, kind, sentence) {
                None => outcome.passed += 1,
                Some(reason) => outcome.failures.push(Failure {
                    theme: t,
                    kind,
                    text: sentence.value.clone(),
                    line: sentence.line,
                    reason,
                }),
            }
        }
    }
    outcome
}

/// `None` when the sentence behaves; else the reason it does not.
fn check(
    codebook: &Codebook,
    coder: &mut Coder<'_>,
    theme: usize,
    kind: ExampleKind,
    sentence: &Located<String>,
) -> Option<String> {
    let engine = coder.engine();
    let text = &sentence.value;
    let (_, spans) = coder.code(text);
    let coded = spans.iter().any(|s| s.theme == theme);
    let matches: Vec<_> = coder
        .explain(text)
        .into_iter()
        .filter(|m| engine.rollup(engine.rules()[m.rule].theme).contains(&theme))
        .collect();
    let describe = |m: &super::RuleMatch| {
        let rule = &engine.rules()[m.rule];
        let owner = if rule.theme == theme {
            String::new()
        } else {
            format!(" of sub-theme '{}'", codebook.themes[rule.theme].id)
        };
        format!(
            "{} `{}`{owner} (line {}) matched \"{}\"",
            rule.kind.as_str(),
            rule.text,
            rule.line,
            &text[m.range.clone()]
        )
    };
    match (kind, coded) {
        (ExampleKind::Example, true) | (ExampleKind::Counterexample, false) => None,
        (ExampleKind::Example, false) => {
            let vetoed: Vec<String> = matches
                .iter()
                .filter_map(|m| {
                    let x = &engine.excludes()[m.vetoed_by?];
                    Some(format!(
                        "{}, but exclude `{}` (line {}) vetoed it",
                        describe(m),
                        x.text,
                        x.line
                    ))
                })
                .collect();
            Some(if vetoed.is_empty() {
                format!(
                    "no rule of '{}' or its sub-themes matches any word of it",
                    codebook.themes[theme].id
                )
            } else {
                vetoed.join("; ")
            })
        }
        (ExampleKind::Counterexample, true) => Some(
            matches
                .iter()
                .filter(|m| m.vetoed_by.is_none())
                .map(describe)
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn failures_say_which_rule_fired_or_why_none_did() {
        let cb = Codebook::from_toml_str(
            Path::new("cb.toml"),
            r#"
[[theme]]
id = "values"
examples = ["They keep their word."]

[[theme]]
id = "trust"
parent = "values"
terms = ["trust", "keep their word"]
exclude = ["trust fund"]
examples = ["We trust her.", "The trust fund grew.", "Nothing here."]
counterexamples = ["Funding is tight.", "I trusted them."]
"#,
        )
        .unwrap();
        let engine = Engine::new(&cb);
        let outcome = run(&cb, &engine);
        assert_eq!(outcome.passed, 3);
        let got: Vec<(&str, ExampleKind, usize, &str)> = outcome
            .failures
            .iter()
            .map(|f| (cb.themes[f.theme].id.as_str(), f.kind, f.line, f.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "trust",
                    ExampleKind::Example,
                    11,
                    "term `trust` (line 9) matched \"trust\", but exclude `trust fund` (line 10) vetoed it"
                ),
                (
                    "trust",
                    ExampleKind::Example,
                    11,
                    "no rule of 'trust' or its sub-themes matches any word of it"
                ),
                ("trust", ExampleKind::Counterexample, 12, "term `trust` (line 9) matched \"trusted\""),
            ]
        );
    }
}
