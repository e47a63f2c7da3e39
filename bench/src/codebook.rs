//! The codebook generator for the scale test: a valid TOML codebook of parent themes and
//! leaf themes, each leaf with one-word terms, `prefix*` wildcards and 2–3 word phrases, and
//! across the codebook a few dozen regex patterns, proximity rules and excludes. Every leaf
//! has an example its own rules code (and, with an exclude, a counterexample), so
//! `qualkit codebook test` passes; `qualkit codebook check` finds nothing to warn about.
//!
//! Words come from two sources. A share of the terms are words of the project's word list,
//! which generated transcripts speak, so the codebook codes them at a realistic rate; the
//! rest are made-up words (syllables put together) that stem like no word the transcripts
//! use, so that the engine carries the full weight of thousands of rules while the number of
//! mentions stays close to a real codebook's.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{Rand, Words};
use qualkit::codebook::lint::is_ambiguous_stem;
use qualkit::codebook::Language;
use qualkit::error::{Error, Result};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodebookOptions {
    /// Themes in all, parents included.
    pub themes: usize,
    /// Terms of each leaf theme.
    pub terms: usize,
    /// Regex patterns in all, spread over the leaves.
    pub patterns: usize,
    /// The seed: the same seed gives the same codebook.
    pub seed: u64,
}

/// The sub-stream of the codebook generator (corpus files use their index).
const STREAM: u64 = u64::MAX;

/// Leaf themes per parent theme.
const LEAVES_PER_PARENT: usize = 19;

/// The share of one-word terms taken from the word list (the rest are made up), and the
/// most list words a codebook uses, as a share of the list: a few dozen common words coded
/// among thousands of rules, as in a large real codebook.
const LIST_WORD_SHARE: f64 = 1.0 / 60.0;
const LIST_WORD_MAX: f64 = 1.0 / 12.0;

/// Generates the codebook's TOML text.
pub fn generate(options: &CodebookOptions) -> Result<String> {
    if options.themes == 0 || options.terms == 0 {
        return Err(Error::Usage(
            "--themes and --terms must be at least 1: every leaf theme needs a term".into(),
        ));
    }
    let mut g = Generator::new(options);
    let parents =
        if options.themes >= 4 { options.themes.div_ceil(LEAVES_PER_PARENT + 1) } else { 0 };
    let leaves = options.themes - parents;
    let mut out = String::with_capacity(options.themes * (options.terms * 16 + 300));
    let _ = write!(
        out,
        "# A synthetic codebook for qualkit's scale benchmark, written by\n\
         # `qualkit bench codebook --themes {} --terms {} --patterns {} --seed {}`.\n\
         # Most words are made up; a few are everyday words that generated transcripts use.\n\n\
         [codebook]\n\
         name = \"Benchmark codebook ({} themes, seed {})\"\n\
         language = \"english\"\n\
         description = \"Generated for benchmarks: {} parent themes and {} leaf themes with {} \
         terms each and {} patterns in all.\"\n",
        options.themes,
        options.terms,
        options.patterns,
        options.seed,
        options.themes,
        options.seed,
        parents,
        leaves,
        options.terms,
        options.patterns,
    );
    for p in 0..parents {
        let (a, b) = (g.label_word(), g.label_word());
        let _ = write!(
            out,
            "\n[[theme]]\nid = \"area_{:03}\"\nlabel = \"{} and {}\"\nbrief = \"Everything about \
             {a} and {b}.\"\ndefinition = \"Umbrella theme: its mentions are those of its \
             sub-themes.\"\n",
            p + 1,
            capitalize(a),
            b
        );
    }
    // Spread patterns, near rules and excludes evenly over the leaves.
    let every = |n: usize| if n == 0 { usize::MAX } else { leaves.div_ceil(n).max(1) };
    let patterns_every = every(options.patterns.min(leaves));
    let mut patterns_left = options.patterns;
    for leaf in 0..leaves {
        let parent = (parents > 0).then(|| leaf % parents + 1);
        let patterns = if leaf % patterns_every == 0 && patterns_left > 0 {
            let n = if leaf + patterns_every >= leaves { patterns_left } else { 1 };
            patterns_left -= n;
            n
        } else {
            0
        };
        let theme = g.leaf(options.terms, patterns, leaf % 10 == 3, leaf % 4 == 1);
        theme.write(&mut out, leaf + 1, parent);
    }
    Ok(out)
}

/// One leaf theme's rules.
#[derive(Debug)]
struct Leaf {
    terms: Vec<String>,
    patterns: Vec<String>,
    near: Option<(String, String)>,
    exclude: Option<String>,
    example: String,
    counterexample: Option<String>,
}

impl Leaf {
    fn write(&self, out: &mut String, number: usize, parent: Option<usize>) {
        let first = &self.terms[0];
        let _ = write!(
            out,
            "\n[[theme]]\nid = \"theme_{number:04}\"\nlabel = \"{}\"\n",
            capitalize(first)
        );
        if let Some(p) = parent {
            let _ = writeln!(out, "parent = \"area_{p:03}\"");
        }
        let _ = writeln!(out, "brief = \"Talk about {first} and what goes with it.\"");
        let _ = writeln!(out, "terms = [{}]", quoted(&self.terms, '"'));
        if !self.patterns.is_empty() {
            let _ = writeln!(out, "patterns = [{}]", quoted(&self.patterns, '\''));
        }
        if let Some((a, b)) = &self.near {
            let _ = writeln!(out, "near = [{{ a = \"{a}\", b = \"{b}\", within = 5 }}]");
        }
        if let Some(ex) = &self.exclude {
            let _ = writeln!(out, "exclude = [\"{ex}\"]");
        }
        let _ = writeln!(out, "examples = [\"{}\"]", self.example);
        if let Some(c) = &self.counterexample {
            let _ = writeln!(out, "counterexamples = [\"{c}\"]");
        }
    }
}

/// `"a", "b"` with the given quote (TOML basic or literal strings; generated values never
/// hold either quote or a backslash, except patterns, which are literal strings).
fn quoted(items: &[String], quote: char) -> String {
    items.iter().map(|i| format!("{quote}{i}{quote}")).collect::<Vec<_>>().join(", ")
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Hands out words, wildcards and phrases, never the same stem twice.
struct Generator {
    rng: Rand,
    stemmer: rust_stemmers::Stemmer,
    /// List words not used yet (shuffled).
    list: Vec<&'static str>,
    /// How many more list words one-word terms may take.
    list_quota: usize,
    /// Words the transcripts speak: made-up words must not stem like them, and made-up
    /// wildcards must not match them.
    spoken: Vec<String>,
    spoken_stems: HashSet<String>,
    /// Stems (and `prefix*`) given out, phrases as their stems joined with spaces.
    used: HashSet<String>,
}

impl Generator {
    fn new(options: &CodebookOptions) -> Generator {
        let mut rng = Rand::new(options.seed, STREAM);
        let stemmer = Language::english().stemmer();
        let mut spoken: Vec<String> = super::corpus::spoken_words();
        spoken.sort();
        let spoken_stems: HashSet<String> =
            spoken.iter().map(|w| stemmer.stem(w).into_owned()).collect();
        let mut list: Vec<&'static str> = Vec::new();
        let mut list_stems = HashSet::new();
        for w in Words::get().all() {
            let stem = stemmer.stem(w).into_owned();
            if w.len() >= 4
                && !is_ambiguous_stem(Language::english(), &stem)
                && list_stems.insert(stem)
            {
                list.push(w);
            }
        }
        rng.shuffle(&mut list);
        let leaves = options.themes;
        let singles = leaves as f64 * options.terms as f64 * 0.6;
        let list_quota = ((singles * LIST_WORD_SHARE).ceil() as usize)
            .min((list.len() as f64 * LIST_WORD_MAX) as usize);
        Generator { rng, stemmer, list, list_quota, spoken, spoken_stems, used: HashSet::new() }
    }

    fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    /// A made-up word of two or three syllables whose stem is new, unambiguous and unlike
    /// any stem the transcripts speak.
    fn made_up(&mut self) -> String {
        const ONSETS: &[&str] = &[
            "b", "br", "d", "dr", "f", "fl", "g", "gr", "k", "kl", "l", "m", "n", "p", "pl", "r",
            "s", "sk", "t", "tr", "v", "z", "sh", "th", "qu", "j",
        ];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "ee", "oa"];
        const CODAS: &[&str] = &["", "", "n", "r", "l", "m", "s", "k", "x", "nd", "rt", "v"];
        loop {
            let syllables = self.rng.between(2, 3);
            let mut word = String::new();
            for _ in 0..syllables {
                word.push_str(self.rng.pick::<&str>(ONSETS));
                word.push_str(self.rng.pick::<&str>(VOWELS));
                word.push_str(self.rng.pick::<&str>(CODAS));
            }
            let stem = self.stem(&word);
            if word.len() >= 5
                && !self.spoken_stems.contains(&stem)
                && !is_ambiguous_stem(Language::english(), &stem)
                && !self.used.contains(&stem)
            {
                self.used.insert(stem);
                return word;
            }
        }
    }

    /// A list word not used yet, while the quota lasts.
    fn list_word(&mut self) -> Option<&'static str> {
        while self.list_quota > 0 {
            let word = self.list.pop()?;
            let stem = self.stem(word);
            if self.used.insert(stem) {
                self.list_quota -= 1;
                return Some(word);
            }
        }
        None
    }

    /// A one-word term.
    fn single(&mut self, share: f64) -> String {
        if self.rng.chance(share) {
            if let Some(w) = self.list_word() {
                return w.to_string();
            }
        }
        self.made_up()
    }

    /// A `prefix*` wildcard of a made-up word that matches no word the transcripts speak.
    fn wildcard(&mut self) -> String {
        loop {
            let word = self.made_up();
            let len = self.rng.between(4, 5).min(word.len() - 1);
            let Some(prefix) = word.get(..len) else { continue };
            let key = format!("{prefix}*");
            if !self.spoken.iter().any(|w| w.starts_with(prefix)) && self.used.insert(key.clone()) {
                return key;
            }
        }
    }

    /// A phrase of two or three words: made-up, or everyday words that rarely meet.
    fn phrase(&mut self) -> String {
        loop {
            let n = self.rng.between(2, 3);
            let words: Vec<String> = (0..n)
                .map(|_| {
                    if self.rng.chance(0.5) {
                        (*self.rng.pick(&self.list)).to_string()
                    } else {
                        self.made_up()
                    }
                })
                .collect();
            let phrase = words.join(" ");
            let key: Vec<String> = words.iter().map(|w| self.stem(w)).collect();
            if self.used.insert(key.join(" ")) {
                return phrase;
            }
        }
    }

    /// A word for a parent theme's label.
    fn label_word(&mut self) -> &'static str {
        let words = Words::get();
        self.rng.pick::<&str>(&words.nouns)
    }

    /// A regex pattern over made-up words (one in four over list words, so that patterns
    /// match now and then).
    fn pattern(&mut self) -> String {
        let word = |g: &mut Generator| {
            if g.rng.chance(0.25) {
                (*g.rng.pick(&g.list)).to_string()
            } else {
                g.made_up()
            }
        };
        let (a, b) = (word(self), word(self));
        match self.rng.below(4) {
            0 => format!(r"\b{a}(?:s|es|ed|ing)?\b"),
            1 => format!(r"\b{a}\W+(?:\w+\W+){{0,3}}{b}\b"),
            2 => format!(r"\b(?:{a}|{b})\w*"),
            _ => format!(r"\b{a}[- ]{b}\b"),
        }
    }

    /// One leaf theme: `terms` terms (the first a one-word term, used by the example), and
    /// the given number of patterns, a near rule, an exclude.
    fn leaf(&mut self, terms: usize, patterns: usize, near: bool, exclude: bool) -> Leaf {
        let mut list = Vec::with_capacity(terms);
        list.push(self.single(LIST_WORD_SHARE));
        while list.len() < terms {
            let roll = self.rng.below(100);
            list.push(if roll < 60 {
                self.single(LIST_WORD_SHARE)
            } else if roll < 75 {
                self.wildcard()
            } else {
                self.phrase()
            });
        }
        let first = list[0].clone();
        let patterns = (0..patterns).map(|_| self.pattern()).collect();
        let near = near.then(|| (self.made_up(), self.made_up()));
        // The exclude pairs the first term with a word that none of the theme's terms match.
        let exclude_word = exclude.then(|| loop {
            let word = *self.rng.pick(&Words::get().nouns);
            let clashes = list.iter().any(|t| match t.strip_suffix('*') {
                Some(prefix) => word.starts_with(prefix),
                None => t.split(' ').any(|w| self.stem(w) == self.stem(word)),
            });
            if !clashes && self.stem(word) != self.stem(&first) {
                break word;
            }
        });
        let example = format!("We spent a lot of time on {first} in our group.");
        Leaf {
            exclude: exclude_word.map(|w| format!("{first} {w}")),
            counterexample: exclude_word.map(|w| format!("Not the {first} {w} again.")),
            terms: list,
            patterns,
            near,
            example,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use qualkit::code::examples;
    use qualkit::code::Engine;
    use qualkit::codebook::lint::lint;
    use qualkit::codebook::Codebook;

    fn options(themes: usize, terms: usize, patterns: usize, seed: u64) -> CodebookOptions {
        CodebookOptions { themes, terms, patterns, seed }
    }

    #[test]
    fn a_generated_codebook_is_valid_lint_clean_and_passes_its_own_tests() {
        for (themes, terms, patterns, seed) in [(60, 12, 8, 7), (1, 1, 0, 1), (5, 3, 9, 2)] {
            let text = generate(&options(themes, terms, patterns, seed)).unwrap();
            let cb = Codebook::from_toml_str(Path::new("generated.toml"), &text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(cb.themes.len(), themes);
            let leaves: Vec<_> = cb.themes.iter().filter(|t| t.has_rules()).collect();
            assert!(leaves.iter().all(|t| t.terms.len() == terms));
            assert_eq!(cb.themes.iter().map(|t| t.patterns.len()).sum::<usize>(), patterns);
            assert_eq!(lint(&cb), Vec::new(), "{text}");
            let outcome = examples::run(&cb, &Engine::new(&cb));
            assert!(outcome.failures.is_empty(), "{:#?}", outcome.failures);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_codebook() {
        let a = generate(&options(40, 10, 5, 7)).unwrap();
        assert_eq!(a, generate(&options(40, 10, 5, 7)).unwrap());
        assert_ne!(a, generate(&options(40, 10, 5, 8)).unwrap());
    }

    #[test]
    fn zero_themes_or_terms_is_a_usage_error() {
        let err = generate(&options(0, 5, 0, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--themes and --terms must be at least 1: every leaf theme needs a term"
        );
        assert!(generate(&options(3, 0, 0, 1)).is_err());
    }
}
