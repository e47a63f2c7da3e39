//! The measuring kit: deterministic generators of benchmark inputs. [`corpus`] writes
//! realistic focus-group transcripts in every format qualkit reads; [`codebook`] writes large
//! valid codebooks for the scale test. Same seed, same bytes, on any machine.
//!
//! Both draw from [`Rand`], a PCG stream (specified and portable, unlike `StdRng`) whose
//! ranges and choices are computed here rather than by a library that may change them, and
//! from [`Words`], the project's own list of content words (`words.txt`).

pub mod codebook;
pub mod corpus;
pub mod formats;

pub use formats::FileFormat;

use rand_pcg::rand_core::Rng;
use rand_pcg::Pcg64Mcg;

/// The benchmark inputs' random stream: PCG (`Mcg128Xsl64`) with value-stable helpers.
#[derive(Debug, Clone)]
pub struct Rand(Pcg64Mcg);

impl Rand {
    /// The stream for `seed` and the sub-stream `part` (a file's index, say), so that parts
    /// can be generated in any order, in parallel, with the same result.
    pub fn new(seed: u64, part: u64) -> Rand {
        let hi = splitmix64(seed ^ 0x5147_4b49_5442_454e); // "QGKITBEN"
        let lo = splitmix64(part.wrapping_add(hi));
        Rand(Pcg64Mcg::new((u128::from(hi) << 64) | u128::from(lo)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (`n` > 0), by the multiply-shift method.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One item of a non-empty slice, the first ones more often (a Zipf-like skew, as word
    /// frequencies have).
    pub fn pick_skewed<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let u = self.unit();
        &items[((u * u * items.len() as f64) as usize).min(items.len() - 1)]
    }

    /// The index of an item chosen with the given weights (not all zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = ((u128::from(self.next_u64()) * u128::from(total)) >> 64) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// SplitMix64: spreads a seed's bits so that nearby seeds give unrelated streams.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The project's content words by part of speech (`words.txt`), in file order, without
/// repeats.
#[derive(Debug)]
pub struct Words {
    /// Nouns.
    pub nouns: Vec<&'static str>,
    /// Verbs, base form.
    pub verbs: Vec<&'static str>,
    /// Adjectives.
    pub adjectives: Vec<&'static str>,
    /// Adverbs.
    pub adverbs: Vec<&'static str>,
}

impl Words {
    /// The list shipped with qualkit.
    pub fn get() -> &'static Words {
        static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
        WORDS.get_or_init(|| Words::parse(include_str!("words.txt")))
    }

    fn parse(text: &'static str) -> Words {
        let mut words = Words {
            nouns: Vec::new(),
            verbs: Vec::new(),
            adjectives: Vec::new(),
            adverbs: Vec::new(),
        };
        let mut section: Option<&mut Vec<&'static str>> = None;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            section = match line {
                "[noun]" => Some(&mut words.nouns),
                "[verb]" => Some(&mut words.verbs),
                "[adjective]" => Some(&mut words.adjectives),
                "[adverb]" => Some(&mut words.adverbs),
                word => {
                    let list = section.expect("words.txt: a word before the first section");
                    if !list.contains(&word) {
                        list.push(word);
                    }
                    Some(list)
                }
            };
        }
        words
    }

    /// Every word, nouns first, without repeats across sections.
    pub fn all(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for w in self.nouns.iter().chain(&self.verbs).chain(&self.adjectives).chain(&self.adverbs) {
            if !out.contains(w) {
                out.push(w);
            }
        }
        out
    }
}

/// `1234567` bytes as `1.2 MB` (decimal megabytes, as `--mb` counts them).
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_value_stable() {
        // These numbers are part of the generators' contract: a change here changes every
        // generated corpus and codebook.
        let mut r = Rand::new(7, 0);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, [15450373428791915450, 1319921723249005586, 6080820723577719732]);
        let mut again = Rand::new(7, 0);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(first[0], Rand::new(7, 1).next_u64());
        assert_ne!(first[0], Rand::new(8, 0).next_u64());
        let mut r = Rand::new(1, 2);
        for _ in 0..1000 {
            assert!(r.below(10) < 10);
            assert!((3..=5).contains(&r.between(3, 5)));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(Rand::new(1, 2).weighted(&[0, 5, 0]), 1);
    }

    #[test]
    fn the_word_list_has_every_part_of_speech() {
        let w = Words::get();
        assert!(w.nouns.len() > 300 && w.verbs.len() > 150, "{} {}", w.nouns.len(), w.verbs.len());
        assert!(w.adjectives.len() > 100 && w.adverbs.len() > 30);
        for word in w.all() {
            assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word}");
        }
    }
}
