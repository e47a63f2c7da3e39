//! The languages a codebook can be written in: every stemmer rust-stemmers offers.

use rust_stemmers::Algorithm;

/// A stemming language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    name: &'static str,
    algorithm: Algorithm,
}

/// Every language, with its ISO 639-1 code.
const LANGUAGES: &[(&str, &str, Algorithm)] = &[
    ("arabic", "ar", Algorithm::Arabic),
    ("danish", "da", Algorithm::Danish),
    ("dutch", "nl", Algorithm::Dutch),
    ("english", "en", Algorithm::English),
    ("finnish", "fi", Algorithm::Finnish),
    ("french", "fr", Algorithm::French),
    ("german", "de", Algorithm::German),
    ("greek", "el", Algorithm::Greek),
    ("hungarian", "hu", Algorithm::Hungarian),
    ("italian", "it", Algorithm::Italian),
    ("norwegian", "no", Algorithm::Norwegian),
    ("portuguese", "pt", Algorithm::Portuguese),
    ("romanian", "ro", Algorithm::Romanian),
    ("russian", "ru", Algorithm::Russian),
    ("spanish", "es", Algorithm::Spanish),
    ("swedish", "sv", Algorithm::Swedish),
    ("tamil", "ta", Algorithm::Tamil),
    ("turkish", "tr", Algorithm::Turkish),
];

impl Language {
    /// English, the default.
    pub fn english() -> Language {
        Language { name: "english", algorithm: Algorithm::English }
    }

    /// Looks a language up by name or ISO 639-1 code, case-insensitively.
    pub fn from_name(name: &str) -> Option<Language> {
        let wanted = name.trim().to_lowercase();
        LANGUAGES
            .iter()
            .find(|(n, code, _)| *n == wanted || *code == wanted)
            .map(|&(name, _, algorithm)| Language { name, algorithm })
    }

    /// The names of every language, for messages.
    pub fn all_names() -> Vec<&'static str> {
        LANGUAGES.iter().map(|(n, _, _)| *n).collect()
    }

    /// The language's name (lowercase English).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The language's ISO 639-1 code (`en`, `es`, …).
    pub fn code(&self) -> &'static str {
        LANGUAGES.iter().find(|(n, _, _)| *n == self.name).map_or("", |(_, code, _)| code)
    }

    /// A stemmer for this language.
    pub fn stemmer(&self) -> rust_stemmers::Stemmer {
        rust_stemmers::Stemmer::create(self.algorithm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stemmer_is_selectable_by_name_and_code() {
        assert_eq!(Language::all_names().len(), 18);
        for (name, code, _) in LANGUAGES {
            assert_eq!(Language::from_name(name).unwrap().name(), *name);
            assert_eq!(Language::from_name(&code.to_uppercase()).unwrap().name(), *name);
        }
        assert_eq!(Language::from_name("klingon"), None);
    }

    #[test]
    fn stemmers_stem_in_their_language() {
        assert_eq!(Language::english().stemmer().stem("organizers"), "organ");
        assert_eq!(Language::from_name("spanish").unwrap().stemmer().stem("comunidades"), "comun");
        assert_eq!(
            Language::from_name("german")
                .unwrap()
                .stemmer()
                .stem("Gemeinschaften".to_lowercase().as_str()),
            "gemeinschaft"
        );
    }
}
