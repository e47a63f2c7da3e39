//! Stems that conflate unrelated common words, per language: the data behind the lint that
//! warns about a term whose stem also matches words of another meaning. Only English has a
//! table (`collisions_en.txt`, written for qualkit); other languages have none.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::codebook::Language;

/// For each listed stem, its families: groups of words of one meaning that share the stem.
#[derive(Debug)]
pub(super) struct Collisions {
    families: HashMap<&'static str, Vec<Vec<&'static str>>>,
}

impl Collisions {
    /// The table for `language`, if qualkit has one (only English).
    pub(super) fn for_language(language: Language) -> Option<&'static Collisions> {
        static ENGLISH: OnceLock<Collisions> = OnceLock::new();
        (language == Language::english()).then(|| {
            ENGLISH.get_or_init(|| {
                Collisions::parse(include_str!("collisions_en.txt"))
                    .expect("collisions_en.txt is well formed (checked by a unit test)")
            })
        })
    }

    /// The families of words that share `stem`, if the stem is listed.
    pub(super) fn families(&self, stem: &str) -> Option<&[Vec<&'static str>]> {
        self.families.get(stem).map(Vec::as_slice)
    }

    /// Parses `stem: word word | word ...` lines; `#` starts a comment.
    fn parse(text: &'static str) -> Result<Collisions, String> {
        let mut families = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |what: &str| format!("line {}: {what}: `{line}`", i + 1);
            let (stem, rest) = line.split_once(':').ok_or_else(|| err("no `stem:`"))?;
            let fams: Vec<Vec<&str>> =
                rest.split('|').map(|f| f.split_whitespace().collect()).collect();
            if fams.len() < 2 || fams.iter().any(Vec::is_empty) {
                return Err(err("a stem needs two or more non-empty families"));
            }
            if families.insert(stem.trim(), fams).is_some() {
                return Err(err("stem listed twice"));
            }
        }
        Ok(Collisions { families })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_word_of_the_english_table_has_its_lines_stem() {
        let table = Collisions::parse(include_str!("collisions_en.txt")).unwrap();
        let stemmer = Language::english().stemmer();
        let mut bad = Vec::new();
        for (stem, families) in &table.families {
            let mut seen = HashSet::new();
            for word in families.iter().flatten() {
                assert!(seen.insert(word), "`{word}` is listed twice under `{stem}`");
                assert!(
                    word.bytes().all(|b| b.is_ascii_lowercase()),
                    "`{word}` (under `{stem}`) is not a lowercase word"
                );
                let got = stemmer.stem(word);
                if got != *stem {
                    bad.push(format!("{word} stems to {got}, not {stem}"));
                }
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
        assert!(table.families.len() >= 150, "{} stems", table.families.len());
    }

    #[test]
    fn only_english_has_a_table() {
        let english = Collisions::for_language(Language::english()).unwrap();
        assert_eq!(english.families("integr").unwrap()[0], ["integrity"]);
        assert!(english.families("trust").is_none());
        for name in Language::all_names().into_iter().filter(|n| *n != "english") {
            assert!(Collisions::for_language(Language::from_name(name).unwrap()).is_none());
        }
    }

    #[test]
    fn malformed_lines_are_rejected() {
        assert!(Collisions::parse("organ organic").is_err());
        assert!(Collisions::parse("organ: organ organs").is_err());
        assert!(Collisions::parse("organ: organ | ").is_err());
        assert!(Collisions::parse("organ: organ | organic\norgan: organ | organism").is_err());
        assert!(Collisions::parse("# comment\n\norgan: organ | organic # trailing").is_ok());
    }
}
