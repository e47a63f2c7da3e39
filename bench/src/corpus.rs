//! The corpus generator: focus-group transcripts that read like real ones — front matter, a
//! moderator and 5 to 10 named participants, introductions, questions and answers of a few
//! words to a few hundred, timestamps, `[laughter]`-style annotations, accented names and
//! curly apostrophes — in every format qualkit reads. The talk mixes everyday English with a
//! codebook's terms, examples and counterexamples, so that its themes are coded at realistic
//! rates.
//!
//! Each file is generated from its own random sub-stream, so files are written in parallel
//! and the corpus for a seed is the same, byte for byte, whatever the thread count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::formats::{Header, Layout, Renderer, TurnOut};
use super::{FileFormat, Rand, Words};
use qualkit::codebook::Codebook;
use qualkit::error::{Error, Result};

/// The bundled codebook, whose terms and examples the transcripts use by default.
pub const BUNDLED_CODEBOOK: &str = include_str!("../../codebooks/metaconnects.toml");

/// The smallest and largest file sizes, in bytes (the last file of a corpus may be smaller,
/// and so are the first files of a corpus too small for one file of each format).
pub const FILE_BYTES: (u64, u64) = (50_000, 500_000);

/// Files generated at once (then written, and the sizes added up).
const BATCH: usize = 32;

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// The total size on disk, in bytes.
    pub bytes: u64,
    /// The seed: the same seed gives the same files.
    pub seed: u64,
    /// The formats, each present at least once; mixed by [`FileFormat::weight`].
    pub formats: Vec<FileFormat>,
}

impl CorpusOptions {
    /// The options of `--mb MB --seed SEED --formats LIST` (an empty list: every format).
    pub fn from_mb(mb: f64, seed: u64, formats: &[String]) -> Result<CorpusOptions> {
        if !(mb.is_finite() && mb > 0.0) {
            return Err(Error::Usage(format!("--mb {mb} must be a size above 0, such as 100")));
        }
        Ok(CorpusOptions {
            bytes: (mb * 1e6).round() as u64,
            seed,
            formats: parse_formats(formats)?,
        })
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The number of files.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Files and bytes of each format.
    pub per_format: BTreeMap<FileFormat, (usize, u64)>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The file name (unique in the corpus; its stem is the session id).
    pub name: String,
    /// The format.
    pub format: FileFormat,
    /// The content.
    pub bytes: Vec<u8>,
}

/// What the transcripts talk about: a codebook's phrases that code its themes, and its
/// example and counterexample sentences.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Terms (words and phrases) of the codebook, and words of its prose that its wildcards
    /// match.
    coded: Vec<String>,
    /// Sentences that must be coded with their theme.
    examples: Vec<String>,
    /// Sentences that must not be.
    counterexamples: Vec<String>,
}

impl Vocabulary {
    /// The vocabulary of the bundled codebook (`codebooks/metaconnects.toml`).
    pub fn bundled() -> Vocabulary {
        let cb = Codebook::from_toml_str(Path::new("metaconnects.toml"), BUNDLED_CODEBOOK)
            .expect("the bundled codebook is valid (checked by its tests)");
        Vocabulary::from_codebook(&cb)
    }

    /// The vocabulary of `codebook`.
    pub fn from_codebook(codebook: &Codebook) -> Vocabulary {
        let mut prose: Vec<String> = Vec::new();
        for t in &codebook.themes {
            let texts = [&t.brief, &t.definition, &t.when_to_use, &t.when_not_to_use];
            for text in texts.into_iter().flatten() {
                prose.push(text.clone());
            }
            prose.extend(t.examples.iter().map(|e| e.value.clone()));
        }
        let prose_words: Vec<String> = {
            let mut words: Vec<String> = prose
                .iter()
                .flat_map(|p| {
                    qualkit::tokenize::tokenize(p)
                        .into_iter()
                        .map(|r| qualkit::tokenize::normalize(&p[r]))
                        .collect::<Vec<_>>()
                })
                .collect();
            words.sort();
            words.dedup();
            words
        };
        let mut coded = Vec::new();
        for t in &codebook.themes {
            for term in &t.terms {
                let term = term.value.trim();
                match term.strip_suffix('*') {
                    Some(prefix) if !prefix.contains(' ') => {
                        let prefix = prefix.to_lowercase();
                        coded.extend(
                            prose_words.iter().filter(|w| w.starts_with(&prefix)).take(3).cloned(),
                        );
                    }
                    Some(_) => {}
                    None => coded.push(term.to_string()),
                }
            }
        }
        let examples = codebook.themes.iter().flat_map(|t| &t.examples).map(|e| e.value.clone());
        let counterexamples =
            codebook.themes.iter().flat_map(|t| &t.counterexamples).map(|e| e.value.clone());
        Vocabulary {
            coded,
            examples: examples.collect(),
            counterexamples: counterexamples.collect(),
        }
    }
}

/// Every word the generated transcripts can speak (lowercase): those of this generator's
/// templates, names and fixed lines (read from its source), of the word list and of the
/// bundled codebook. The codebook generator makes up words unlike all of them.
pub fn spoken_words() -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for text in [include_str!("corpus.rs"), include_str!("words.txt"), BUNDLED_CODEBOOK] {
        for range in qualkit::tokenize::tokenize(text) {
            words.push(qualkit::tokenize::normalize(&text[range]));
        }
    }
    words.sort();
    words.dedup();
    words
}

/// The formats of a `--formats` list (`txt,vtt,…`); all of them when empty.
pub fn parse_formats(list: &[String]) -> Result<Vec<FileFormat>> {
    let mut formats = Vec::new();
    for name in list {
        let f = FileFormat::from_name(name).ok_or_else(|| {
            Error::Usage(format!(
                "--formats: `{name}` is not a format the generator writes; choose from: {}",
                FileFormat::ALL.map(FileFormat::extension).join(", ")
            ))
        })?;
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    if formats.is_empty() {
        formats = FileFormat::ALL.to_vec();
    }
    Ok(formats)
}

/// Writes a corpus of about `options.bytes` bytes into `out` (created if missing), in
/// parallel. The folder must not hold transcripts already; see [`prepare_folder`].
pub fn generate(out: &Path, options: &CorpusOptions, vocabulary: &Vocabulary) -> Result<Summary> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "create", e))?;
    let mut summary = Summary::default();
    // Stop when what is left is too little for a file worth the name.
    let slack = (options.bytes / 200).min(5_000);
    let mut index = 0u64;
    while summary.bytes + slack < options.bytes {
        let remaining = options.bytes - summary.bytes;
        let mut plan = Vec::new();
        let mut planned = 0;
        while planned < remaining && plan.len() < BATCH {
            let mut rng = Rand::new(options.seed, index);
            let format = choose_format(&mut rng, &options.formats, index);
            let mut size = file_size(&mut rng).min(remaining - planned);
            if index < options.formats.len() as u64 {
                // Room for one file of every format, however small the corpus.
                size = size.min(options.bytes / options.formats.len() as u64);
            }
            plan.push((index, format, size, rng));
            planned += size;
            index += 1;
        }
        let written: Vec<Result<(FileFormat, u64)>> = plan
            .into_par_iter()
            .map(|(index, format, size, mut rng)| {
                let file = transcript(vocabulary, &mut rng, index, format, size as usize);
                let path: PathBuf = out.join(&file.name);
                std::fs::write(&path, &file.bytes).map_err(|e| Error::io(&path, "write", e))?;
                Ok((format, file.bytes.len() as u64))
            })
            .collect();
        for result in written {
            let (format, bytes) = result?;
            summary.files += 1;
            summary.bytes += bytes;
            let entry = summary.per_format.entry(format).or_default();
            entry.0 += 1;
            entry.1 += bytes;
        }
    }
    Ok(summary)
}

/// The turn texts of generated plain-text transcripts, read back with qualkit's reader,
/// about `bytes` of text in all: the input of the tokenizer and matcher benchmarks.
pub fn sample_turns(vocabulary: &Vocabulary, seed: u64, bytes: usize) -> Vec<String> {
    let mut turns = Vec::new();
    let mut total = 0;
    let mut index = 0;
    while total < bytes {
        let file =
            transcript(vocabulary, &mut Rand::new(seed, index), index, FileFormat::Txt, 100_000);
        let text = String::from_utf8(file.bytes).expect("generated text is UTF-8");
        let session =
            qualkit::ingest::text::parse(Path::new(&file.name), &text, &Default::default())
                .expect("generated transcripts are readable (checked by the tests)");
        for turn in session.turns {
            total += turn.text.len();
            turns.push(turn.text);
            if total >= bytes {
                break;
            }
        }
        index += 1;
    }
    turns
}

/// Makes sure `out` can take a new corpus: a missing or empty folder is fine; a folder
/// with files is refused unless `force`, and then its transcript files (top level only, by
/// extension) are removed, and nothing else.
pub fn prepare_folder(out: &Path, force: bool) -> Result<()> {
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, "read", e)),
    };
    let mut transcripts = Vec::new();
    let mut any = false;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(out, "read", e))?;
        any = true;
        let path = entry.path();
        if path.is_file() && qualkit::ingest::format_of(&path).is_some() {
            transcripts.push(path);
        }
    }
    if !any {
        return Ok(());
    }
    if !force {
        return Err(Error::Usage(format!(
            "{} is not empty; choose a new folder, or add --force to replace the transcripts in \
             it (other files are left alone)",
            out.display()
        )));
    }
    for path in transcripts {
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, "remove", e))?;
    }
    Ok(())
}

/// The format of file `index`: the first files take each format in turn (so every one is
/// present), the others follow the weights.
fn choose_format(rng: &mut Rand, formats: &[FileFormat], index: u64) -> FileFormat {
    let draw = rng.weighted(&formats.iter().map(|f| f.weight()).collect::<Vec<_>>());
    match formats.get(index as usize) {
        Some(&f) => f,
        None => formats[draw],
    }
}

/// A file size between [`FILE_BYTES`], spread evenly on a log scale (many small files, some
/// large ones).
fn file_size(rng: &mut Rand) -> u64 {
    let (low, high) = (FILE_BYTES.0 as f64, FILE_BYTES.1 as f64);
    (low * (high / low).powf(rng.unit())) as u64
}

/// Generates one transcript of about `size` bytes from `rng`'s stream.
pub fn transcript(
    vocabulary: &Vocabulary,
    rng: &mut Rand,
    index: u64,
    format: FileFormat,
    size: usize,
) -> GeneratedFile {
    let site = *rng.pick(SITES);
    let id = format!("fg-{:05}-{}", index + 1, slug(site));
    let moderator = match format {
        // Captions and tables have no front matter: the label shows the role.
        FileFormat::Vtt | FileFormat::Srt => {
            rng.pick(&["Moderator", "Facilitator", "Host"]).to_string()
        }
        _ => {
            if rng.chance(0.5) {
                rng.pick(&["Moderator", "Facilitator", "Interviewer"]).to_string()
            } else {
                person(rng)
            }
        }
    };
    let header = Header {
        title: format!("Focus group {} — {site}", index + 1),
        date: format!("2025-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28)),
        site: site.to_string(),
        group: rng.pick(GROUPS).to_string(),
        moderator: moderator.clone(),
        id,
    };
    let layout = Layout {
        timestamps: rng.chance(0.8),
        wrap: if rng.chance(0.25) { Some(rng.between(70, 100)) } else { None },
        voice_tags: rng.chance(0.5),
    };
    let mut cast: Vec<String> = Vec::new();
    let people = rng.between(5, 10);
    while cast.len() < people {
        let name = person(rng);
        if name != moderator && !cast.contains(&name) {
            cast.push(name);
        }
    }
    let talkative: Vec<u32> = cast.iter().map(|_| rng.between(1, 10) as u32).collect();
    let curly = rng.chance(0.3);
    let name = format!("{}.{}", header.id, format.extension());
    let mut renderer = Renderer::new(format, header.clone(), layout);
    let mut talk = Talk { vocabulary, words: Words::get(), rng, curly, clock: 0 };
    talk.clock = talk.rng.between(5_000, 180_000) as u64;

    talk.say(&mut renderer, &moderator, true, &talk_open(&header.site));
    for p in &cast {
        let intro = talk.intro(p, &header.site);
        talk.say(&mut renderer, p, false, &intro);
    }
    let closing =
        "That's all the time we have. Thank you all so much for coming, this was really helpful.";
    let mut last = usize::MAX;
    while renderer.size() + closing.len() + 64 < size {
        let question = talk.question(&cast);
        talk.say(&mut renderer, &moderator, true, &question);
        let answers = talk.rng.between(2, 7);
        for _ in 0..answers {
            let mut who = talk.rng.weighted(&talkative);
            if who == last {
                who = (who + 1) % cast.len();
            }
            last = who;
            let text = talk.answer(&cast, who);
            talk.say(&mut renderer, &cast[who], false, &text);
            if renderer.size() + closing.len() + 64 >= size {
                break;
            }
        }
        last = usize::MAX;
    }
    talk.say(&mut renderer, &moderator, true, closing);
    GeneratedFile { name, format, bytes: renderer.finish() }
}

/// The words of one session as they are spoken, and the clock.
struct Talk<'a> {
    vocabulary: &'a Vocabulary,
    words: &'static Words,
    rng: &'a mut Rand,
    /// Curly apostrophes (`’`) instead of straight ones.
    curly: bool,
    /// Milliseconds since the recording started.
    clock: u64,
}

impl Talk<'_> {
    /// Writes a turn, advancing the clock by its length.
    fn say(&mut self, renderer: &mut Renderer, speaker: &str, moderator: bool, text: &str) {
        let text = if self.curly { text.replace('\'', "’") } else { text.to_string() };
        let words = text.split(' ').count() as u64;
        let start = self.clock;
        let end = start + words * self.rng.between(300, 450) as u64;
        renderer.turn(&TurnOut { speaker, moderator, start_ms: start, end_ms: end, text: &text });
        self.clock = end + self.rng.between(200, 3_000) as u64;
    }

    fn intro(&mut self, name: &str, site: &str) -> String {
        let first = name.split(' ').next().unwrap_or(name);
        let n1 = *self.rng.pick_skewed(&self.words.nouns);
        let n2 = *self.rng.pick_skewed(&self.words.nouns);
        let years = self.rng.between(1, 25);
        let years = if years == 1 { "a year".to_string() } else { format!("{years} years") };
        match self.rng.below(3) {
            0 => format!("I'm {first}. I work on {n1} and {n2} issues in {site}, about {years} now."),
            1 => format!("{first}. Mostly {n1} stuff, some {n2}. Going on {years}."),
            _ => format!("Hi, I'm {first}, I'm with the {n1} group near {site}. {years} in this work, give or take."),
        }
    }

    fn question(&mut self, cast: &[String]) -> String {
        let x = self.coded();
        let n = *self.rng.pick_skewed(&self.words.nouns);
        let v = *self.rng.pick_skewed(&self.words.verbs);
        let who = self.rng.pick(cast).split(' ').next().unwrap_or("").to_string();
        match self.rng.below(9) {
            0 => format!("Let's talk about {x}. What does that look like for you?"),
            1 => format!("How do you {v} the {n} in your work?"),
            2 => format!("What gets in the way when you try to {v} the {n}?"),
            3 => "Can you say more about that?".to_string(),
            4 => format!("{who}, you were nodding. What do you think?"),
            5 => format!("Where do you find new ideas for your {n}?"),
            6 => format!(
                "Someone in another group said {x} was the hardest part. Does that ring true?"
            ),
            7 => "Anyone else want to jump in on that?".to_string(),
            _ => format!("Okay. Let's move on. When it comes to the {n}, what has worked for you?"),
        }
    }

    /// A participant's turn: a short reaction, an answer of a few sentences, or a long story.
    fn answer(&mut self, cast: &[String], who: usize) -> String {
        let kind = self.rng.below(100);
        if kind < 18 {
            let other = self.rng.pick(cast).split(' ').next().unwrap_or("").to_string();
            return match self.rng.below(10) {
                0 => "Yeah.".into(),
                1 => "Mm-hmm.".into(),
                2 => "Exactly.".into(),
                3 => "Right, right.".into(),
                4 => "Totally, yeah.".into(),
                5 if other != cast[who] => format!("I agree with {other} on that."),
                6 => "Same here. [laughter]".into(),
                7 => "Can I add something real quick?".into(),
                8 => "Sorry, go ahead.".into(),
                _ => "No, that's true.".into(),
            };
        }
        let sentences = if kind < 75 { self.rng.between(1, 5) } else { self.rng.between(6, 28) };
        let mut text = String::new();
        for i in 0..sentences {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&self.sentence());
            if self.rng.chance(0.02) {
                text.push(' ');
                text.push_str(self.rng.pick::<&str>(ANNOTATIONS));
            }
        }
        text
    }

    /// A phrase that codes a theme.
    fn coded(&mut self) -> String {
        self.rng.pick(&self.vocabulary.coded).to_lowercase()
    }

    fn noun(&mut self) -> &'static str {
        if self.rng.chance(0.02) {
            return self.rng.pick::<&str>(ACCENTED);
        }
        self.rng.pick_skewed::<&str>(&self.words.nouns)
    }

    /// One sentence: now and then a codebook example or counterexample as written, or a
    /// sentence about one of its terms; mostly everyday talk.
    fn sentence(&mut self) -> String {
        let roll = self.rng.below(1000);
        if roll < 25 && !self.vocabulary.examples.is_empty() {
            return self.rng.pick(&self.vocabulary.examples).clone();
        }
        if roll < 32 && !self.vocabulary.counterexamples.is_empty() {
            return self.rng.pick(&self.vocabulary.counterexamples).clone();
        }
        let template = if roll < 110 && !self.vocabulary.coded.is_empty() {
            *self.rng.pick(TOPICAL)
        } else {
            *self.rng.pick(EVERYDAY)
        };
        let mut body = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            body.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("templates close their slots");
            let slot = &rest[open + 1..close];
            let fill: String = match slot {
                "S" => self.rng.pick(SUBJECTS).to_string(),
                "M" => self.rng.pick(MODALS).to_string(),
                "T" => self.rng.pick(DETERMINERS).to_string(),
                "P" => self.rng.pick(PREPOSITIONS).to_string(),
                "N" => self.noun().to_string(),
                "V" => self.rng.pick_skewed(&self.words.verbs).to_string(),
                "A" => self.rng.pick_skewed(&self.words.adjectives).to_string(),
                "D" => self.rng.pick(&self.words.adverbs).to_string(),
                "X" => self.coded(),
                other => unreachable!("unknown template slot {other}"),
            };
            body.push_str(&fill);
            rest = &rest[close + 1..];
        }
        body.push_str(rest);
        let mut sentence = String::with_capacity(body.len() + 24);
        if self.rng.chance(0.3) {
            sentence.push_str(self.rng.pick::<&str>(OPENERS));
            sentence.push_str(&body);
        } else {
            let mut chars = body.chars();
            if let Some(first) = chars.next() {
                sentence.extend(first.to_uppercase());
                sentence.push_str(chars.as_str());
            }
        }
        if self.rng.chance(0.12) {
            sentence.push_str(self.rng.pick::<&str>(TAILS));
        }
        sentence.push(if self.rng.chance(0.06) { '?' } else { '.' });
        sentence
    }
}

fn talk_open(site: &str) -> String {
    format!(
        "Okay, I think we're recording. Thank you all for coming out tonight, and welcome to \
         {site}. There are no right answers here, we just want to hear how you think about your \
         work. Can we go around real quick, first name and what you do?"
    )
}

/// A person's speaker label: a first name, sometimes with a last name or initial.
fn person(rng: &mut Rand) -> String {
    let first = *rng.pick(FIRST_NAMES);
    match rng.below(10) {
        0..=5 => first.to_string(),
        6 | 7 => format!("{first} {}.", &rng.pick(LAST_NAMES)[..1]),
        _ => format!("{first} {}", rng.pick(LAST_NAMES)),
    }
}

/// `San Fernando Valley` → `san-fernando-valley`.
fn slug(text: &str) -> String {
    text.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
}

const SITES: &[&str] = &[
    "South Los Angeles",
    "East Los Angeles",
    "Long Beach",
    "San Fernando Valley",
    "Boyle Heights",
    "Pacoima",
    "Compton",
    "Santa Ana",
    "Fresno",
    "Oakland",
    "Richmond",
    "Salinas",
    "Bakersfield",
    "San Diego",
    "Riverside",
    "Inglewood",
    "Wilmington",
    "Huntington Park",
    "Pomona",
    "El Monte",
];

const GROUPS: &[&str] = &["organizers", "health-partners", "residents", "youth", "promotoras"];

const FIRST_NAMES: &[&str] = &[
    "Keisha",
    "Marcus",
    "Lorraine",
    "Tomás",
    "Dev",
    "Jasmine",
    "Rosa",
    "Alejandro",
    "Priya",
    "Ernesto",
    "Nadia",
    "Guadalupe",
    "Javier",
    "Tanya",
    "Armen",
    "Nora",
    "Malik",
    "Grace",
    "Luis",
    "Mei",
    "Andre",
    "Fatima",
    "Kevin",
    "Leticia",
    "Omar",
    "Brenda",
    "Hector",
    "Aisha",
    "Daniel",
    "Yolanda",
    "Sam",
    "Teresa",
    "Jamal",
    "Linh",
    "Carlos",
    "Denise",
    "Raúl",
    "Inés",
    "José",
    "Zoë",
    "Renée",
    "Joaquín",
    "Begoña",
    "Chloé",
    "Andrés",
    "Ana",
    "Michael",
    "Sofia",
    "Terrence",
    "Vanessa",
    "Patrick",
    "Gloria",
    "Hyun",
    "Marisol",
    "Darnell",
    "Esperanza",
    "Tiffany",
    "Roberto",
    "Lakshmi",
    "Curtis",
];

const LAST_NAMES: &[&str] = &[
    "Soto",
    "Brooks",
    "Castillo",
    "Nguyễn",
    "Peña",
    "Johnson",
    "Garcia",
    "Kim",
    "Washington",
    "Morales",
    "Hernández",
    "Patel",
    "Williams",
    "Reyes",
    "Chen",
    "Ortiz",
    "Jackson",
    "Muñoz",
    "Lee",
    "Rivera",
];

/// Nouns with accents, now and then, as real talk in Los Angeles has.
const ACCENTED: &[&str] =
    &["café", "señora", "quinceañera", "jalapeño", "piñata", "niños", "tía", "abuela", "mañana"];

const ANNOTATIONS: &[&str] = &["[laughter]", "(laughs)", "[crosstalk]", "[inaudible]", "[pause]"];

const SUBJECTS: &[&str] = &[
    "I",
    "we",
    "you",
    "they",
    "people",
    "folks",
    "my neighbors",
    "our members",
    "the families",
    "a lot of people",
    "the young people",
];

const MODALS: &[&str] = &[
    "have to",
    "need to",
    "want to",
    "try to",
    "used to",
    "can't",
    "don't",
    "always",
    "never",
    "had to",
    "would",
    "could",
    "should",
    "are going to",
    "don't even",
    "still",
];

const DETERMINERS: &[&str] =
    &["the", "the", "the", "our", "that", "this", "a", "every", "their", "my", "your"];

const PREPOSITIONS: &[&str] =
    &["in", "at", "on", "for", "with", "from", "about", "around", "near", "after", "before"];

const OPENERS: &[&str] = &[
    "So, ",
    "Yeah, ",
    "I mean, ",
    "And ",
    "But ",
    "Um, ",
    "Like, ",
    "You know, ",
    "Right, ",
    "Okay, so ",
    "For us, ",
    "And honestly, ",
    "See, ",
];

const TAILS: &[&str] = &[
    ", you know",
    ", right",
    " and all that",
    " at the end of the day",
    ", for real",
    ", honestly",
];

/// Everyday sentences: `{S}` subject, `{M}` modal, `{V}` verb, `{T}` determiner, `{N}` noun,
/// `{A}` adjective, `{D}` adverb, `{P}` preposition.
const EVERYDAY: &[&str] = &[
    "{S} {M} {V} {T} {N}",
    "{S} {M} {V} {T} {A} {N} {P} {T} {N}",
    "{T} {N} is {D} {A}",
    "{T} {N} was {A}, and {S} {M} {V} {T} {N}",
    "when {S} {V} {T} {N}, {S} {M} {V} {T} {A} {N}",
    "it's {D} {A} to {V} {T} {N} {P} {T} {N}",
    "there's a lot of {N} {P} {T} {N}",
    "{S} {D} {V} {P} {T} {N} every {N}",
    "I remember {T} {N} {P} {T} {N} was {A}",
    "if {S} {M} {V} {T} {N}, nobody is going to {V} {T} {N}",
    "{S} {V} {T} {N}, {T} {N}, all of it",
    "so {S} {M} {V} {T} {N} before {T} {N}",
    "what {S} {M} {V} is {T} {A} {N}",
    "nobody wants to {V} {T} {N} for {T} {N}",
    "{S} {M} {V} {T} {N} and {V} {T} {N}",
    "that {N} is {A} for {T} {N}",
    "my {N} used to {V} {T} {N} {P} {T} {N}",
    "half the time {T} {N} is {A} and {T} {N} is {A}",
    "it took us a {N} just to {V} {T} {N}",
    "{S} {M} {V} it, but {T} {N} was {D} {A}",
    "I don't know if {S} {M} {V} {T} {N}",
    "it's not about {T} {N}, it's about {T} {A} {N}",
];

/// Sentences about a codebook term `{X}` (plus the everyday slots).
const TOPICAL: &[&str] = &[
    "for me it comes down to {X}",
    "{S} talk a lot about {X}",
    "that's where {X} comes in",
    "I think {X} is a big part of it",
    "we had a whole {N} about {X}",
    "{X} matters more than {T} {N}",
    "it always goes back to {X}, {D}",
    "when you talk about {X}, {S} {M} {V} {T} {N}",
    "{X}, that's the thing",
    "you can't {V} {T} {N} without {X}",
    "nobody at {T} {N} wanted to hear about {X}",
    "so {X} came up again at {T} {N}",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_vocabulary_has_terms_examples_and_counterexamples() {
        let v = Vocabulary::bundled();
        assert!(v.coded.len() > 100, "{}", v.coded.len());
        assert!(v.coded.iter().any(|c| c == "keep their word"));
        assert!(v.coded.iter().any(|c| c.starts_with("credib")), "wildcards are completed");
        assert!(v.examples.len() > 50 && v.counterexamples.len() > 10);
    }

    #[test]
    fn a_transcript_is_about_the_size_asked_and_the_same_for_the_same_stream() {
        let v = Vocabulary::bundled();
        for format in FileFormat::ALL {
            let a = transcript(&v, &mut Rand::new(7, 3), 3, format, 60_000);
            let b = transcript(&v, &mut Rand::new(7, 3), 3, format, 60_000);
            assert_eq!(a, b);
            let size = a.bytes.len();
            assert!((50_000..75_000).contains(&size), "{format}: {size} bytes");
            assert_eq!(
                a.name,
                format!("fg-00004-{}.{format}", a.name[9..].split('.').next().unwrap())
            );
        }
    }

    #[test]
    fn the_first_files_take_each_format_then_the_mix_is_mostly_plain_text() {
        let all = FileFormat::ALL.to_vec();
        let formats: Vec<FileFormat> =
            (0..2000).map(|i| choose_format(&mut Rand::new(7, i), &all, i)).collect();
        assert_eq!(formats[..8], all[..]);
        let txt = formats.iter().filter(|&&f| f == FileFormat::Txt).count();
        assert!((1300..1500).contains(&txt), "{txt} of 2000");
        for f in &all {
            assert!(formats[8..].contains(f), "{f}");
        }
        let two = [FileFormat::Vtt, FileFormat::Odt];
        let formats: Vec<FileFormat> =
            (0..100).map(|i| choose_format(&mut Rand::new(7, i), &two, i)).collect();
        assert!(formats.iter().all(|f| two.contains(f)));
    }

    #[test]
    fn formats_are_parsed_from_a_list() {
        assert_eq!(parse_formats(&[]).unwrap(), FileFormat::ALL.to_vec());
        assert_eq!(
            parse_formats(&["txt".into(), "VTT".into(), "txt".into()]).unwrap(),
            [FileFormat::Txt, FileFormat::Vtt]
        );
        let err = parse_formats(&["pdf".into()]).unwrap_err().to_string();
        assert!(err.starts_with("--formats: `pdf` is not a format the generator writes"), "{err}");
    }
}
