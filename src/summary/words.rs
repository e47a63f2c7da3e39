//! The words of the coded turns, for theme summaries: each counted turn as a bag of stems
//! (stopwords and numbers left out, as in `qualkit terms`), folded into corpus-wide counts
//! (tokens and turns per stem) and, per theme, the stems of the turns coded with it.
//!
//! A session's stems are found on the worker that coded it ([`Stems::of_session`]); the
//! summary builder only adds up counts. Memory grows with the vocabulary, not the corpus.

use rustc_hash::FxHashMap;

use crate::code::corpus::CodedSession;
use crate::codebook::Codebook;
use crate::explore::terms::Words;
use crate::tokenize::tokenize_into;

/// Distinct tokens cached before the cache starts over (as the coder's cache does).
const CACHE_LIMIT: usize = 1 << 20;

/// A per-thread cache of the stem of each token as written.
pub struct Stems {
    words: Words,
    /// Each token seen, with the index of its stem in `names` (`u32::MAX`: no term).
    cache: FxHashMap<Box<str>, u32>,
    /// The stems seen.
    names: Vec<Box<str>>,
    by_name: FxHashMap<Box<str>, u32>,
    tokens: Vec<std::ops::Range<usize>>,
}

impl std::fmt::Debug for Stems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stems").field("cached", &self.cache.len()).finish()
    }
}

/// One session's counted turns as bags of stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionWords {
    /// The stems used in the session (indexed by the ids of `turns`).
    pub stems: Vec<String>,
    /// Per stem: the word as first written in the session, normalised (`organizing`).
    pub forms: Vec<String>,
    /// Per turn of the session: (stem id, count), by id; empty for turns not counted.
    pub turns: Vec<Vec<(u32, u32)>>,
}

impl Stems {
    /// Stems in the codebook's language (words themselves when it does not stem).
    pub fn new(codebook: &Codebook) -> Stems {
        Stems {
            words: Words::new(codebook.language, codebook.stemming),
            cache: FxHashMap::default(),
            names: Vec::new(),
            by_name: FxHashMap::default(),
            tokens: Vec::new(),
        }
    }

    /// The stem id of `token` (`u32::MAX` when it is no term).
    fn id(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.cache.get(token) {
            return id;
        }
        let id = match self.words.term(token) {
            None => u32::MAX,
            Some((stem, _)) => match self.by_name.get(stem.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.names.push(stem.clone().into());
                    self.by_name.insert(stem.into(), id);
                    id
                }
            },
        };
        self.cache.insert(token.into(), id);
        id
    }

    /// The bag of stems of every counted turn of `coded`.
    pub fn of_session(&mut self, coded: &CodedSession) -> SessionWords {
        let mut tokens = std::mem::take(&mut self.tokens);
        let mut session = self.session();
        for (t, turn) in coded.session.turns.iter().enumerate() {
            if coded.counted[t] {
                tokens.clear();
                tokenize_into(&turn.text, &mut tokens);
                session.turn(t, &turn.text, &tokens);
            }
        }
        let words = session.finish(coded.session.turns.len());
        self.tokens = tokens;
        words
    }

    /// A session's stems, found turn by turn from tokens already found (by the coder).
    pub fn session(&mut self) -> SessionStems<'_> {
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
            self.names.clear();
            self.by_name.clear();
        }
        SessionStems { stems: self, local: FxHashMap::default(), out: SessionWords::default() }
    }
}

/// The stems of one session being found ([`Stems::session`]).
pub struct SessionStems<'s> {
    stems: &'s mut Stems,
    /// The session's id of each stem id.
    local: FxHashMap<u32, u32>,
    out: SessionWords,
}

impl SessionStems<'_> {
    /// Adds counted turn `t` (after any earlier one), whose text is `text` and tokens
    /// `tokens`.
    pub fn turn(&mut self, t: usize, text: &str, tokens: &[std::ops::Range<usize>]) {
        let (stems, out) = (&mut *self.stems, &mut self.out);
        out.turns.resize_with(t, Vec::new);
        let mut bag: Vec<(u32, u32)> = Vec::with_capacity(tokens.len());
        for r in tokens {
            let id = stems.id(&text[r.clone()]);
            if id == u32::MAX {
                continue;
            }
            let next = self.local.len() as u32;
            let l = *self.local.entry(id).or_insert_with(|| {
                out.stems.push(stems.names[id as usize].to_string());
                let form = stems.words.term(&text[r.clone()]).map(|(_, form)| form);
                out.forms.push(form.unwrap_or_default());
                next
            });
            bag.push((l, 1));
        }
        out.turns.push(merge_counts(bag));
    }

    /// The session's words; it has `turns` turns.
    pub fn finish(mut self, turns: usize) -> SessionWords {
        self.out.turns.resize_with(turns, Vec::new);
        self.out
    }
}

/// Sorts (id, count) pairs by id and adds up the counts of equal ids.
fn merge_counts(mut bag: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    bag.sort_unstable_by_key(|&(id, _)| id);
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(bag.len());
    for (id, n) in bag {
        match merged.last_mut() {
            Some(last) if last.0 == id => last.1 += n,
            _ => merged.push((id, n)),
        }
    }
    merged
}

/// A turn as a bag of stems of the [`Vocabulary`]: (stem id, count), by id.
pub type Bag = Vec<(u32, u32)>;

/// The stems of the whole corpus: ids, and per stem its tokens and the counted turns using
/// it.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: FxHashMap<String, u32>,
    /// The stems, by id (in order of first use).
    pub stems: Vec<String>,
    /// Per stem: the word as first written in the corpus, normalised.
    pub forms: Vec<String>,
    /// Per stem: its tokens in counted turns.
    pub tokens: Vec<u64>,
    /// Per stem: the counted turns that use it.
    pub turns: Vec<u64>,
    /// Per stem: `ln(1 + turns)`, kept up to date by [`Vocabulary::add`] so that [`idf`]
    /// takes no logarithm.
    ///
    /// [`idf`]: Vocabulary::idf
    ln_turns: Vec<f64>,
    /// `ln(1 + documents)`.
    ln_documents: f64,
    /// Counted turns with at least one term.
    pub documents: u64,
    /// Term tokens in counted turns.
    pub total_tokens: u64,
}

impl Vocabulary {
    /// Adds a session's turns; returns each turn's bag in vocabulary ids (empty for turns
    /// not counted).
    pub fn add(&mut self, words: &SessionWords) -> Vec<Bag> {
        let global: Vec<u32> = words
            .stems
            .iter()
            .zip(words.forms.iter().map(String::as_str).chain(std::iter::repeat("")))
            .map(|(s, form)| self.id(s, form))
            .collect();
        let bags: Vec<Bag> = words
            .turns
            .iter()
            .map(|bag| {
                let bag = merge_counts(bag.iter().map(|&(l, n)| (global[l as usize], n)).collect());
                if !bag.is_empty() {
                    self.documents += 1;
                }
                for &(g, n) in &bag {
                    self.tokens[g as usize] += u64::from(n);
                    self.turns[g as usize] += 1;
                    self.total_tokens += u64::from(n);
                }
                bag
            })
            .collect();
        for &g in &global {
            self.ln_turns[g as usize] = (1.0 + self.turns[g as usize] as f64).ln();
        }
        self.ln_documents = (1.0 + self.documents as f64).ln();
        bags
    }

    fn id(&mut self, stem: &str, form: &str) -> u32 {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.ids.insert(stem.to_string(), id);
        self.stems.push(stem.to_string());
        self.forms.push(if form.is_empty() { stem } else { form }.to_string());
        self.tokens.push(0);
        self.turns.push(0);
        self.ln_turns.push(0.0);
        id
    }

    /// The id of `stem`, if the corpus uses it.
    pub fn get(&self, stem: &str) -> Option<u32> {
        self.ids.get(stem).copied()
    }

    /// The inverse document frequency of stem `id` over counted turns, smoothed:
    /// `ln((1 + N) / (1 + df)) + 1`.
    pub fn idf(&self, id: u32) -> f64 {
        self.ln_documents - self.ln_turns[id as usize] + 1.0
    }
}

/// The stems of the turns coded with one theme.
#[derive(Debug, Clone, Default)]
pub struct ThemeWords {
    /// Per stem id: its tokens in those turns.
    pub counts: FxHashMap<u32, u64>,
    /// Term tokens in those turns.
    pub tokens: u64,
    /// Those turns.
    pub turns: u64,
}

impl ThemeWords {
    /// Adds one coded turn.
    pub fn add(&mut self, bag: &Bag) {
        self.turns += 1;
        for &(g, n) in bag {
            *self.counts.entry(g).or_default() += u64::from(n);
            self.tokens += u64::from(n);
        }
    }

    /// How close one of the theme's turns is to the theme's other turns so far, up to a
    /// factor the same for every turn: its idf-weighted vector's dot product with the
    /// centroid of the others (the centroid less the turn itself), over its own length. The
    /// length of that centroid is left out, so it ranks turns like [`Centroid::cosine`]
    /// when the theme has many turns; only turns scored against the same stems compare.
    pub fn affinity(&self, bag: &Bag, vocabulary: &Vocabulary) -> f64 {
        let (mut dot, mut len) = (0.0, 0.0);
        for &(g, n) in bag {
            let idf = vocabulary.idf(g);
            let w = f64::from(n) * idf;
            len += w * w;
            let others = self.counts.get(&g).copied().unwrap_or(0).saturating_sub(u64::from(n));
            dot += w * idf * others as f64;
        }
        if len == 0.0 {
            0.0
        } else {
            dot / len.sqrt()
        }
    }

    /// The theme's centroid: its stems' counts weighted by idf, and the vector's length.
    pub fn centroid(&self, vocabulary: &Vocabulary) -> Centroid {
        let weights: FxHashMap<u32, f64> =
            self.counts.iter().map(|(&g, &n)| (g, n as f64 * vocabulary.idf(g))).collect();
        let norm = weights.values().map(|w| w * w).sum::<f64>().sqrt();
        Centroid { weights, norm }
    }
}

/// A theme's tf-idf centroid.
#[derive(Debug, Clone, Default)]
pub struct Centroid {
    weights: FxHashMap<u32, f64>,
    norm: f64,
}

impl Centroid {
    /// The cosine similarity of one of the theme's turns (its bag weighted by idf) to the
    /// centroid of the theme's other turns (the centroid less the turn itself), so that a
    /// turn is not central for the words only it uses.
    pub fn cosine(&self, bag: &Bag, vocabulary: &Vocabulary) -> f64 {
        let (mut dot, mut len) = (0.0, 0.0);
        for &(g, n) in bag {
            let w = f64::from(n) * vocabulary.idf(g);
            len += w * w;
            dot += w * self.weights.get(&g).copied().unwrap_or(0.0);
        }
        // |c - v|² = |c|² - 2 c·v + |v|², and (c - v)·v = c·v - |v|².
        let others = (self.norm * self.norm - 2.0 * dot + len).max(0.0).sqrt();
        if len == 0.0 || others < 1e-9 {
            0.0
        } else {
            ((dot - len) / (len.sqrt() * others)).max(0.0)
        }
    }
}

/// The cosine similarity of two bags weighted by idf.
pub fn bag_cosine(a: &Bag, b: &Bag, vocabulary: &Vocabulary) -> f64 {
    let weight = |g: u32, n: u32| f64::from(n) * vocabulary.idf(g);
    let len = |bag: &Bag| bag.iter().map(|&(g, n)| weight(g, n).powi(2)).sum::<f64>().sqrt();
    let (la, lb) = (len(a), len(b));
    if la == 0.0 || lb == 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += weight(a[i].0, a[i].1) * weight(b[j].0, b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    dot / (la * lb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_merge_by_id() {
        assert_eq!(merge_counts(vec![(3, 1), (1, 1), (3, 2), (0, 1)]), [(0, 1), (1, 1), (3, 3)]);
    }

    #[test]
    fn idf_is_smoothed_and_cosine_is_one_for_the_same_bag() {
        let mut v = Vocabulary::default();
        let words = SessionWords {
            stems: vec!["trust".into(), "organ".into()],
            forms: vec!["trust".into(), "organizing".into()],
            turns: vec![vec![(0, 2), (1, 1)], vec![(1, 1)], vec![]],
        };
        let bags = v.add(&words);
        assert_eq!(v.documents, 2);
        assert_eq!(v.turns, [1, 2]);
        assert_eq!(v.tokens, [2, 2]);
        // ln(3/2) + 1 and ln(3/3) + 1.
        assert!((v.idf(0) - (1.5f64.ln() + 1.0)).abs() < 1e-12);
        assert!((v.idf(1) - 1.0).abs() < 1e-12);
        assert!((bag_cosine(&bags[0], &bags[0], &v) - 1.0).abs() < 1e-12);
        assert_eq!(bag_cosine(&bags[0], &bags[2], &v), 0.0);
        // The theme's turns: bags 0 and 1. Each is scored against the other.
        let mut theme = ThemeWords::default();
        theme.add(&bags[0]);
        theme.add(&bags[1]);
        let c = theme.centroid(&v);
        // [2·idf0, 1] against [0, 1], both ways.
        let expected = 1.0 / ((2.0 * v.idf(0)).powi(2) + 1.0).sqrt();
        assert!((c.cosine(&bags[0], &v) - expected).abs() < 1e-12);
        assert!((c.cosine(&bags[1], &v) - expected).abs() < 1e-12);
        // Alone, a turn has no other turns to be central to.
        let mut alone = ThemeWords::default();
        alone.add(&bags[0]);
        assert_eq!(alone.centroid(&v).cosine(&bags[0], &v), 0.0);
        assert_eq!(alone.affinity(&bags[0], &v), 0.0);
    }
}
