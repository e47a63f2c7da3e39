//! The coding engine: compiles a [`Codebook`] into an [`Engine`] (word tests, term
//! sequences, proximity rules, regexes) and codes turn texts into merged theme spans.
//!
//! The engine is immutable and shared between threads; each thread codes with its own
//! [`Coder`], which caches the word tests of every distinct token it has seen.

mod spans;

use std::ops::Range;

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::codebook::term_words;
use crate::codebook::{compile_pattern, Codebook};
use crate::tokenize::{self, normalize, tokenize_into};
use spans::Vetoes;
pub use spans::{merge_spans, overlaps};

pub mod corpus;
pub use corpus::{Analysis, CodedSession, CodingOptions, Mention};
pub mod examples;

/// The kind of rule that produced a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// A word, `prefix*` or phrase from `terms`.
    Term,
    /// A regular expression from `patterns`.
    Pattern,
    /// A proximity rule from `near`.
    Near,
}

impl RuleKind {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Term => "term",
            RuleKind::Pattern => "pattern",
            RuleKind::Near => "near",
        }
    }
}

/// One positive rule of the codebook, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The theme whose rule it is.
    pub theme: usize,
    /// Term, pattern or near.
    pub kind: RuleKind,
    /// The rule as written (`credib*`, `\bdistrust\w*`, `leader* NEAR/8 community`).
    pub text: String,
    /// Its line in the codebook file.
    pub line: usize,
}

/// One exclude of the codebook: a term that vetoes its theme's overlapping spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludeRule {
    /// The theme whose spans it vetoes.
    pub theme: usize,
    /// The term as written.
    pub text: String,
    /// Its line in the codebook file.
    pub line: usize,
}

/// What happened to one rule match while coding a text (see [`Coder::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMatch {
    /// The rule (index into [`Engine::rules`]).
    pub rule: usize,
    /// Byte range of the match.
    pub range: Range<usize>,
    /// The exclude (index into [`Engine::excludes`]) that vetoed it, if one did.
    pub vetoed_by: Option<usize>,
}

/// A merged span of one theme in one text: a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSpan {
    /// Theme index in the codebook.
    pub theme: usize,
    /// Byte range in the coded text.
    pub range: Range<usize>,
    /// The rules whose spans were merged into it, ascending, without repeats.
    pub rules: Vec<usize>,
}

/// How one word of a term matches a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum WordTest {
    /// The token's stem equals this stem.
    Stem(String),
    /// The token's normalised form equals this word (codebooks with `stemming = false`).
    Exact(String),
    /// The token's normalised form starts with this prefix.
    Prefix(String),
}

/// What a term sequence is used for.
#[derive(Debug, Clone, Copy)]
enum Use {
    Term { rule: usize },
    Exclude { exclude: usize },
    NearA { near: usize },
    NearB { near: usize },
}

/// A term compiled to word tests: one test per word, matched on consecutive tokens.
#[derive(Debug)]
struct Sequence {
    tests: Vec<u32>,
    uses: Vec<Use>,
}

#[derive(Debug)]
struct NearRule {
    rule: usize,
    within: usize,
}

/// A codebook compiled for coding.
pub struct Engine {
    rules: Vec<Rule>,
    excludes: Vec<ExcludeRule>,
    /// For each theme: itself and its ancestors (its spans count for all of them).
    rollup: Vec<Vec<usize>>,
    stemmer: Option<rust_stemmers::Stemmer>,
    stem_tests: FxHashMap<String, u32>,
    exact_tests: FxHashMap<String, u32>,
    prefix_tests: FxHashMap<String, u32>,
    /// The length in bytes of the longest prefix in `prefix_tests`: only a token's prefixes
    /// up to it are looked up (a hostile 50 MB token costs one pass, not one per prefix).
    longest_prefix: usize,
    /// For each word test: the sequences whose first word it is.
    starts: Vec<Vec<usize>>,
    sequences: Vec<Sequence>,
    near: Vec<NearRule>,
    patterns: Vec<(usize, Regex)>,
    /// The patterns compiled without Unicode classes, for ASCII text: on an ASCII haystack
    /// `\b`, `\w` and case folding mean the same as in Unicode mode, and the regex crate
    /// can then use its DFAs instead of the much slower PikeVM. `None` when a pattern does
    /// not compile that way (the Unicode forms are used for every text then).
    ascii: Option<AsciiPatterns>,
}

/// The ASCII forms of the patterns, in the same order.
struct AsciiPatterns {
    /// Every pattern in one set: one DFA pass tells which can match, and only those run.
    set: regex::bytes::RegexSet,
    regexes: Vec<regex::bytes::Regex>,
}

impl AsciiPatterns {
    fn new(patterns: &[(usize, Regex)]) -> Option<AsciiPatterns> {
        let build = |p: &str| {
            regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .case_insensitive(true)
                .size_limit(crate::codebook::PATTERN_SIZE_LIMIT)
                .build()
                .ok()
        };
        let regexes: Option<Vec<_>> = patterns.iter().map(|(_, r)| build(r.as_str())).collect();
        let set = regex::bytes::RegexSetBuilder::new(patterns.iter().map(|(_, r)| r.as_str()))
            .unicode(false)
            .case_insensitive(true)
            .size_limit(64 * (1 << 20))
            .build()
            .ok()?;
        Some(AsciiPatterns { set, regexes: regexes? })
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.len())
            .field("sequences", &self.sequences.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

impl Engine {
    /// Compiles a validated codebook.
    pub fn new(codebook: &Codebook) -> Engine {
        let mut engine = Engine {
            rules: Vec::new(),
            excludes: Vec::new(),
            rollup: (0..codebook.themes.len()).map(|i| codebook.self_and_ancestors(i)).collect(),
            stemmer: codebook.stemming.then(|| codebook.language.stemmer()),
            stem_tests: FxHashMap::default(),
            exact_tests: FxHashMap::default(),
            prefix_tests: FxHashMap::default(),
            longest_prefix: 0,
            starts: Vec::new(),
            sequences: Vec::new(),
            near: Vec::new(),
            patterns: Vec::new(),
            ascii: None,
        };
        let mut sequence_ids: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
        for (theme, t) in codebook.themes.iter().enumerate() {
            for term in &t.terms {
                let rule = engine.push_rule(theme, RuleKind::Term, term.value.clone(), term.line);
                engine.add_sequence(&mut sequence_ids, &term.value, Use::Term { rule });
            }
            for near in &t.near {
                let rule =
                    engine.push_rule(theme, RuleKind::Near, near.value.to_string(), near.line);
                let id = engine.near.len();
                engine.near.push(NearRule { rule, within: near.value.within });
                engine.add_sequence(&mut sequence_ids, &near.value.a, Use::NearA { near: id });
                engine.add_sequence(&mut sequence_ids, &near.value.b, Use::NearB { near: id });
            }
            for pattern in &t.patterns {
                let rule =
                    engine.push_rule(theme, RuleKind::Pattern, pattern.value.clone(), pattern.line);
                let regex = compile_pattern(&pattern.value).expect("validated with the codebook");
                engine.patterns.push((rule, regex));
            }
            for term in &t.exclude {
                let exclude = engine.excludes.len();
                engine.excludes.push(ExcludeRule {
                    theme,
                    text: term.value.clone(),
                    line: term.line,
                });
                engine.add_sequence(&mut sequence_ids, &term.value, Use::Exclude { exclude });
            }
        }
        if !engine.patterns.is_empty() {
            engine.ascii = AsciiPatterns::new(&engine.patterns);
        }
        engine.longest_prefix = engine.prefix_tests.keys().map(String::len).max().unwrap_or(0);
        engine
    }

    /// Every positive rule, indexed by the ids in [`CodedSpan::rules`].
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The exclude matches `(exclude, bytes)` of one text, ready to veto spans.
    fn vetoes(&self, excluded: &[(usize, Range<usize>)]) -> Vetoes {
        Vetoes::new(excluded, |x| self.excludes[x].theme)
    }

    /// The themes a span of `theme` counts for: itself and its ancestors.
    pub fn rollup(&self, theme: usize) -> &[usize] {
        &self.rollup[theme]
    }

    /// Every exclude, indexed by [`RuleMatch::vetoed_by`].
    pub fn excludes(&self) -> &[ExcludeRule] {
        &self.excludes
    }

    fn push_rule(&mut self, theme: usize, kind: RuleKind, text: String, line: usize) -> usize {
        self.rules.push(Rule { theme, kind, text, line });
        self.rules.len() - 1
    }

    /// Compiles `term` into a sequence (shared between identical terms) and records `usage`.
    fn add_sequence(&mut self, ids: &mut FxHashMap<Vec<u32>, usize>, term: &str, usage: Use) {
        let tests: Vec<u32> = term_words(term)
            .into_iter()
            .map(|(word, prefix)| {
                let test = if prefix {
                    WordTest::Prefix(word)
                } else {
                    match &self.stemmer {
                        Some(stemmer) => WordTest::Stem(stemmer.stem(&word).into_owned()),
                        None => WordTest::Exact(word),
                    }
                };
                self.test_id(test)
            })
            .collect();
        let id = *ids.entry(tests.clone()).or_insert_with(|| {
            self.starts[tests[0] as usize].push(self.sequences.len());
            self.sequences.push(Sequence { tests, uses: Vec::new() });
            self.sequences.len() - 1
        });
        self.sequences[id].uses.push(usage);
    }

    fn test_id(&mut self, test: WordTest) -> u32 {
        let next = self.starts.len() as u32;
        let (map, key) = match test {
            WordTest::Stem(s) => (&mut self.stem_tests, s),
            WordTest::Exact(s) => (&mut self.exact_tests, s),
            WordTest::Prefix(s) => (&mut self.prefix_tests, s),
        };
        let id = *map.entry(key).or_insert(next);
        if id == next {
            self.starts.push(Vec::new());
        }
        id
    }

    /// The word tests a normalised token passes, ascending.
    fn tests_of(&self, token: &str) -> Box<[u32]> {
        let lower = normalize(token);
        let mut out = Vec::new();
        if let Some(stemmer) = &self.stemmer {
            if !self.stem_tests.is_empty() {
                if let Some(&id) = self.stem_tests.get(stemmer.stem(&lower).as_ref()) {
                    out.push(id);
                }
            }
        }
        if let Some(&id) = self.exact_tests.get(&lower) {
            out.push(id);
        }
        if !self.prefix_tests.is_empty() {
            for (i, c) in lower.char_indices() {
                let end = i + c.len_utf8();
                if end > self.longest_prefix {
                    break;
                }
                if let Some(&id) = self.prefix_tests.get(&lower[..end]) {
                    out.push(id);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out.into_boxed_slice()
    }
}

/// The most distinct tokens a [`Coder`] remembers before it starts afresh.
const CACHE_LIMIT: usize = 1 << 21;

/// Codes texts with an [`Engine`]; holds a per-thread cache and scratch space.
pub struct Coder<'e> {
    engine: &'e Engine,
    /// Each distinct token seen, as written, with the index of its word tests in `tests`.
    cache: FxHashMap<Box<str>, u32>,
    /// The distinct lists of word tests; index 0 is the empty list (most tokens).
    tests: Vec<Box<[u32]>>,
    /// Scratch: the index in `tests` of each token of the current text.
    token_tests: Vec<u32>,
    tokens: Vec<Range<usize>>,
}

/// A match of a sequence: its id and its first and last token (inclusive).
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    first: usize,
    last: usize,
}

impl<'e> Coder<'e> {
    /// A coder for `engine`.
    pub fn new(engine: &'e Engine) -> Coder<'e> {
        Coder {
            engine,
            cache: FxHashMap::default(),
            tests: vec![Box::default()],
            token_tests: Vec::new(),
            tokens: Vec::new(),
        }
    }

    /// The engine this coder uses.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// The tokens of the text last coded or counted.
    pub fn tokens(&self) -> &[Range<usize>] {
        &self.tokens
    }

    /// Tokenizes `text` and returns its word count (the number of tokens).
    pub fn count_words(&mut self, text: &str) -> usize {
        self.tokens.clear();
        tokenize_into(text, &mut self.tokens);
        self.tokens.len()
    }

    /// Codes `text`: the merged spans (mentions) of every theme, rolled up to parents, sorted
    /// by theme index and then position. Returns the text's word count too.
    pub fn code(&mut self, text: &str) -> (usize, Vec<CodedSpan>) {
        let (words, positive, excluded) = self.matches(text);
        let engine = self.engine;
        let vetoes = engine.vetoes(&excluded);
        // Exclusions veto the theme's own overlapping spans, then spans roll up and merge.
        let mut rolled: Vec<(usize, Range<usize>, usize)> = Vec::new();
        for (theme, range, rule) in positive {
            if vetoes.find(theme, &range).is_none() {
                for &owner in &engine.rollup[theme] {
                    rolled.push((owner, range.clone(), rule));
                }
            }
        }
        (words, merge_spans(rolled))
    }

    /// Every match of every rule in `text`, in rule order then position, each with the
    /// exclude that vetoed it: why a text was, or was not, coded with a theme.
    pub fn explain(&mut self, text: &str) -> Vec<RuleMatch> {
        let (_, positive, excluded) = self.matches(text);
        let vetoes = self.engine.vetoes(&excluded);
        let mut out: Vec<RuleMatch> = positive
            .into_iter()
            .map(|(theme, range, rule)| RuleMatch {
                rule,
                vetoed_by: vetoes.find(theme, &range),
                range,
            })
            .collect();
        out.sort_by_key(|m| (m.rule, m.range.start, m.range.end));
        out.dedup();
        out
    }

    /// The positive matches (theme, bytes, rule) and the exclude matches (exclude, bytes).
    #[allow(clippy::type_complexity)]
    fn matches(
        &mut self,
        text: &str,
    ) -> (usize, Vec<(usize, Range<usize>, usize)>, Vec<(usize, Range<usize>)>) {
        let engine = self.engine;
        self.tokens.clear();
        tokenize_into(text, &mut self.tokens);
        let words = self.tokens.len();

        // Word tests of each token, through the cache.
        // One hash lookup per token seen before; a new token is stemmed once.
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
            self.tests.truncate(1);
        }
        self.token_tests.clear();
        for r in &self.tokens {
            let token = &text[r.clone()];
            let id = match self.cache.get(token) {
                Some(&id) => id,
                None => {
                    let t = engine.tests_of(token);
                    let id = if t.is_empty() {
                        0
                    } else {
                        self.tests.push(t);
                        (self.tests.len() - 1) as u32
                    };
                    self.cache.insert(token.into(), id);
                    id
                }
            };
            self.token_tests.push(id);
        }
        let tests: Vec<&[u32]> =
            self.token_tests.iter().map(|&id| &*self.tests[id as usize]).collect();

        // Sequence matches, dispatched to their uses.
        let mut positive: Vec<(usize, Range<usize>, usize)> = Vec::new(); // theme, bytes, rule
        let mut excluded: Vec<(usize, Range<usize>)> = Vec::new();
        let mut near_a: Vec<Vec<Occurrence>> = vec![Vec::new(); engine.near.len()];
        let mut near_b: Vec<Vec<Occurrence>> = vec![Vec::new(); engine.near.len()];
        let bytes_of = |o: Occurrence| self.tokens[o.first].start..self.tokens[o.last].end;
        for (i, token_tests) in tests.iter().enumerate() {
            for &t in token_tests.iter() {
                for &s in &engine.starts[t as usize] {
                    let seq = &engine.sequences[s];
                    let n = seq.tests.len();
                    if i + n > tests.len()
                        || !seq.tests[1..]
                            .iter()
                            .zip(&tests[i + 1..])
                            .all(|(w, tok)| tok.binary_search(w).is_ok())
                    {
                        continue;
                    }
                    let occ = Occurrence { first: i, last: i + n - 1 };
                    for usage in &seq.uses {
                        match *usage {
                            Use::Term { rule } => {
                                positive.push((engine.rules[rule].theme, bytes_of(occ), rule))
                            }
                            Use::Exclude { exclude } => excluded.push((exclude, bytes_of(occ))),
                            Use::NearA { near } => near_a[near].push(occ),
                            Use::NearB { near } => near_b[near].push(occ),
                        }
                    }
                }
            }
        }

        // Proximity: every pair of non-overlapping a and b matches close enough is a span.
        // Both lists are in text order, and all `b` matches of a rule are one term (one
        // length), so the `b`s close enough to an `a` are one run found by binary search: a
        // long turn costs the pairs that match, not every pair.
        for (k, rule) in engine.near.iter().enumerate() {
            let bs = &near_b[k];
            for a in &near_a[k] {
                let from = bs.partition_point(|b| b.last.saturating_add(rule.within) < a.first);
                for b in &bs[from..] {
                    let distance = if a.last < b.first {
                        b.first - a.last
                    } else if b.last < a.first {
                        a.first - b.last
                    } else {
                        continue; // overlapping matches do not count
                    };
                    if a.last < b.first && distance > rule.within {
                        break;
                    }
                    if distance <= rule.within {
                        let first = a.first.min(b.first);
                        let last = a.last.max(b.last);
                        let theme = engine.rules[rule.rule].theme;
                        positive.push((theme, bytes_of(Occurrence { first, last }), rule.rule));
                    }
                }
            }
        }

        // Patterns on the original text; zero-width matches are ignored, and so are matches
        // in an address (a URL, a link target), which is not talk.
        let mut addresses = None;
        let mut in_address = |range: &Range<usize>| {
            let addresses = addresses.get_or_insert_with(|| tokenize::addresses(text));
            addresses.iter().any(|a| a.start < range.end && range.start < a.end)
        };
        if let (Some(ascii), true) = (&engine.ascii, text.is_ascii()) {
            for p in ascii.set.matches(text.as_bytes()).iter() {
                let (rule, regex) = (engine.patterns[p].0, &ascii.regexes[p]);
                for m in regex.find_iter(text.as_bytes()) {
                    if !m.is_empty() && !in_address(&m.range()) {
                        positive.push((engine.rules[rule].theme, m.range(), rule));
                    }
                }
            }
        } else if !engine.patterns.is_empty() {
            // Each regex on its own: its literal prefilter skips most of the text, where the
            // set's overlapping search would run the slow PikeVM over all of it.
            let candidates = 0..engine.patterns.len();
            for p in candidates {
                let (rule, regex) = &engine.patterns[p];
                for m in regex.find_iter(text) {
                    if !m.is_empty() && !in_address(&m.range()) {
                        positive.push((engine.rules[*rule].theme, m.range(), *rule));
                    }
                }
            }
        }

        (words, positive, excluded)
    }
}

#[cfg(test)]
mod tests;
