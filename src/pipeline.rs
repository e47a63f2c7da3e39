//! The streaming run behind `qualkit analyze`: the transcript files go through in batches of
//! about [`BATCH_BYTES`] (less with large codebooks). Each batch is read and coded in parallel (one file per task);
//! then, in input order, its sessions are checked (duplicate ids), folded into the
//! [`Summary`], and their mentions and units appended to `mentions.csv`/`.parquet` and
//! `segment_matrix.csv`/`.parquet` in the report folder being built. A batch is dropped
//! once written, so memory depends on the batch size and the number of sessions, not on the
//! size of the corpus; the output does not depend on the number of threads.
//!
//! The per-mention tables have a column per session and speaker attribute, and their header
//! is written with the first batch. When a later file brings an attribute no earlier one
//! had, the run starts again knowing every attribute (rare: a corpus's files usually share
//! their front matter keys).

use std::path::Path;

use rayon::prelude::*;

use crate::aggregate::{self, AttributeKeys, AttributeSource};
use crate::code::corpus::{code_session_with, theme_ranks, CodedSession, CodingOptions};
use crate::code::{Coder, Engine};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::ingest::admit::{self, Admission, Arriving};
use crate::ingest::participants::Participants;
use crate::ingest::{self, Discovered, InputFile, ReadOptions};
use crate::report::manifest::InputRecord;
use crate::report::stream::{Forms, TableStream};
use crate::report::ReportDir;
use crate::summary::units::{SessionSegments, Unit};
use crate::summary::words::{SessionWords, Stems};
use crate::summary::{Builder, Summary};

/// The file bytes read and coded together before their rows are written, with a codebook of
/// up to [`WIDE_CODEBOOK`] themes.
pub const BATCH_BYTES: u64 = 2 << 20;

/// Beyond this many themes, batches shrink in proportion (down to 1 MB): the segment matrix
/// has a column per theme.
pub const WIDE_CODEBOOK: usize = 32;

/// The batch size for a codebook of `themes` themes.
pub fn batch_bytes(themes: usize) -> u64 {
    if themes <= WIDE_CODEBOOK {
        BATCH_BYTES
    } else {
        (BATCH_BYTES * WIDE_CODEBOOK as u64 / themes as u64).max(1 << 20)
    }
}

/// What a streaming run needs to know.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The codebook.
    pub codebook: &'a Codebook,
    /// Coding options.
    pub coding: CodingOptions,
    /// The unit of segment counts, the segment matrix and co-occurrence.
    pub unit: Unit,
    /// Quotes kept per theme for `quotes.md` (`None`: all).
    pub max_quotes: Option<usize>,
    /// Representative quotes chosen per theme.
    pub summary_quotes: usize,
    /// How transcripts are read.
    pub read: &'a ReadOptions,
    /// The participants file, if any.
    pub participants: Option<&'a Participants>,
    /// Stop at the first unreadable file.
    pub strict: bool,
    /// The report folder.
    pub out: &'a Path,
    /// Replace the report folder even if it does not look like one.
    pub force: bool,
    /// The file bytes per batch (see [`batch_bytes`]); the output does not depend on it.
    pub batch_bytes: u64,
    /// The forms of the streamed tables, the mentions and the segment matrix (`None`: the
    /// run does not write it; see [`crate::report::choice`]).
    pub streams: (Option<Forms>, Option<Forms>),
}

/// What a streaming run produced: the summary, and the report folder holding the streamed
/// tables (not yet in place: see [`crate::report::write_all`]).
#[derive(Debug)]
pub struct Streamed {
    /// The coded corpus, summarized.
    pub summary: Summary,
    /// The report folder being written.
    pub dir: ReportDir,
    /// The files that could not be read, in input order, and sessions left out as
    /// duplicates.
    pub failed: Vec<Error>,
    /// Notes about the participants file (rows that matched no speaker).
    pub notes: Vec<String>,
    /// Every file found, in input order: its SHA-256 (taken as it was read), format, and
    /// what went into the reports, for the manifest.
    pub inputs: Vec<InputRecord>,
}

/// One session, read and coded.
struct Coded {
    coded: CodedSession,
    segments: SessionSegments,
    /// Its counted turns as bags of stems.
    words: SessionWords,
    /// The participants rows it used.
    used: Vec<bool>,
}

impl Arriving for Coded {
    fn session(&self) -> &crate::model::Session {
        &self.coded.session
    }
    fn used(&self) -> &[bool] {
        &self.used
    }
}

/// The size in bytes of each file (0 when it cannot be read; reading it will say why): what
/// batches are cut by, and the progress bar's total.
pub fn file_sizes(files: &[InputFile]) -> Vec<u64> {
    files.iter().map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len())).collect()
}

/// Runs the pipeline over the files `discovered` found, whose [`file_sizes`] are `sizes`.
/// `warn` receives each reader warning as a `file[:line]: message` line, in input order;
/// `progress` the bytes of each file done, from any thread. Tables found in folders that are
/// not transcripts are added to `discovered.skipped`.
pub fn run(
    plan: &Plan<'_>,
    discovered: &mut Discovered,
    sizes: &[u64],
    warn: &mut dyn FnMut(&str),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Streamed> {
    let engine = Engine::new(plan.codebook);
    let mut keys = AttributeKeys::default();
    let mut first = true;
    loop {
        match pass(plan, &engine, discovered, sizes, keys, first, warn, progress)? {
            Pass::Done(streamed) => return Ok(*streamed),
            Pass::Again(all) => {
                keys = all;
                first = false;
            }
        }
    }
}

/// How a pass ended.
enum Pass {
    Done(Box<Streamed>),
    /// A later file brought new attributes: run again with all of them.
    Again(AttributeKeys),
}

/// The files in batches of about `limit` bytes, in order.
fn batches(sizes: &[u64], limit: u64) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (k, &size) in sizes.iter().enumerate() {
        bytes += size;
        if bytes >= limit {
            out.push(start..k + 1);
            (start, bytes) = (k + 1, 0);
        }
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// A batch on its way to the writer: its sessions, their stems, and the attribute columns of
/// its rows (`None` once a pass is known to need another: then only the summary is kept up).
type Sent = (Batch, Vec<SessionWords>, Option<Vec<(String, AttributeSource)>>);

/// The sessions of a batch, read and coded.
type Batch = Vec<(CodedSession, SessionSegments)>;

/// What the writer hands back: the summary so far and the two streamed tables (those the
/// run writes).
type Written = (Builder, Option<TableStream>, Option<TableStream>);

/// One pass over the files: reads and codes them batch by batch while a writer thread folds
/// each batch into the summary and appends its rows. Ends [`Pass::Again`] when a later file
/// brought attributes the tables' header lacks.
#[allow(clippy::too_many_arguments)]
fn pass(
    plan: &Plan<'_>,
    engine: &Engine,
    discovered: &mut Discovered,
    sizes: &[u64],
    keys: AttributeKeys,
    first: bool,
    warn: &mut dyn FnMut(&str),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Pass> {
    let files = &discovered.files;
    let mut dir = ReportDir::create(plan.out, plan.force)?;
    let stream = |dir: &mut ReportDir, name: &str, forms: Option<Forms>| {
        forms.map(|forms| TableStream::create(dir, name, forms)).transpose()
    };
    let mention_table = stream(&mut dir, "mentions", plan.streams.0)?;
    let segment_table = stream(&mut dir, "segment_matrix", plan.streams.1)?;
    let quotes = (plan.max_quotes, plan.summary_quotes);
    let builder = Builder::new(plan.codebook.clone(), plan.coding, plan.unit, quotes);
    let mut reader = Reader {
        plan,
        first,
        keys,
        admission: Admission::new(plan.participants, plan.strict),
        columns: None,
        inputs: Vec::with_capacity(files.len()),
        again: false,
    };
    let workers = Workers::new(plan, engine, first.then_some(progress));

    // Batch k is folded into the summary and written by the writer thread while batch k + 1
    // is read and coded; batches reach it in input order.
    let (builder, mut mention_table, mut segment_table) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Sent>(1);
        let tables = (builder, mention_table, segment_table);
        let writer = scope.spawn(move || write_batches(plan, engine, receive, tables));
        let read = reader.read_all(&workers, files, sizes, &send, warn);
        drop(send);
        let written = writer.join().expect("the writer thread does not panic");
        read?;
        written
    })?;

    if reader.again {
        // The report folder being written is dropped (and removed) here.
        return Ok(Pass::Again(reader.keys));
    }
    if reader.columns.is_none() {
        // No session at all: the tables get their header.
        let columns = reader.keys.columns();
        write_rows(plan, engine, &columns, &[], &mut mention_table, &mut segment_table)?;
    }
    for table in [mention_table, segment_table].into_iter().flatten() {
        table.finish(&mut dir)?;
    }
    let Reader { mut admission, inputs, .. } = reader;
    if first {
        discovered.skipped.append(&mut admission.not_tables);
    }
    let notes = admission.notes();
    let failed = admission.failed;
    Ok(Pass::Done(Box::new(Streamed { summary: builder.finish(), dir, failed, notes, inputs })))
}

/// The writer thread of a pass: folds each batch `receive`d into the summary and, unless the
/// pass needs another, appends its rows to the two tables.
fn write_batches(
    plan: &Plan<'_>,
    engine: &Engine,
    receive: std::sync::mpsc::Receiver<Sent>,
    (mut builder, mut mentions, mut segments): Written,
) -> Result<Written> {
    for (batch, words, columns) in receive {
        for ((coded, segs), words) in batch.iter().zip(&words) {
            builder.add(coded, segs, words);
        }
        if let Some(columns) = columns {
            write_rows(plan, engine, &columns, &batch, &mut mentions, &mut segments)?;
        }
    }
    Ok((builder, mentions, segments))
}

/// What reads and codes a batch's files in parallel: one coder and one stemmer per worker
/// thread for the whole pass (their caches of the words seen, and their stems, carry over
/// from batch to batch).
struct Workers<'p> {
    plan: &'p Plan<'p>,
    rank: Vec<usize>,
    coders: Vec<std::sync::Mutex<(Coder<'p>, Stems)>>,
    /// Told the bytes of each file done (on the first pass only).
    progress: Option<&'p (dyn Fn(u64) + Sync)>,
}

impl<'p> Workers<'p> {
    /// A coder per thread of the pool.
    fn new(
        plan: &'p Plan<'p>,
        engine: &'p Engine,
        progress: Option<&'p (dyn Fn(u64) + Sync)>,
    ) -> Workers<'p> {
        let coders = (0..rayon::current_num_threads())
            .map(|_| std::sync::Mutex::new((Coder::new(engine), Stems::new(plan.codebook))))
            .collect();
        Workers { plan, rank: theme_ranks(plan.codebook), coders, progress }
    }

    /// Reads and codes `files` (whose sizes are `sizes`), one file per task; the results in
    /// input order.
    fn code(&self, files: &[InputFile], sizes: &[u64]) -> Vec<ReadAndCoded> {
        files
            .par_iter()
            .zip(sizes)
            .map(|(file, &size)| {
                let mut worker = self.coders[rayon::current_thread_index().unwrap_or(0)]
                    .lock()
                    .expect("a coder is never left poisoned");
                let (coder, stems) = &mut *worker;
                let result = read_and_code(coder, stems, &self.rank, file, self.plan);
                if let Some(progress) = self.progress {
                    progress(size);
                }
                result
            })
            .collect()
    }
}

/// The reading side of a pass, in input order: admits each file's sessions, records the
/// inputs, gathers the attribute keys and sends each batch to the writer.
struct Reader<'p> {
    plan: &'p Plan<'p>,
    /// The first pass: reader warnings are passed on (later passes would repeat them).
    first: bool,
    /// Every attribute key seen so far (all of them, from the start, after the first pass).
    keys: AttributeKeys,
    admission: Admission<'p>,
    /// The attribute columns of the tables, fixed with the first batch sent.
    columns: Option<Vec<(String, AttributeSource)>>,
    inputs: Vec<InputRecord>,
    /// A file brought an attribute after the columns were fixed: the pass must run again.
    again: bool,
}

impl Reader<'_> {
    /// Reads, codes and sends every batch of `files`; stops early when the writer stopped on
    /// an error (which it returns).
    fn read_all(
        &mut self,
        workers: &Workers<'_>,
        files: &[InputFile],
        sizes: &[u64],
        send: &std::sync::mpsc::SyncSender<Sent>,
        warn: &mut dyn FnMut(&str),
    ) -> Result<()> {
        for range in batches(sizes, self.plan.batch_bytes) {
            let results = workers.code(&files[range.clone()], &sizes[range.clone()]);
            let (batch, words) = self.admit(&files[range], results, warn)?;
            if batch.is_empty() {
                continue;
            }
            let rows = if self.again {
                None
            } else {
                Some(self.columns.get_or_insert_with(|| self.keys.columns()).clone())
            };
            if send.send((batch, words, rows)).is_err() {
                // The writer stopped on an error, returned by the pass.
                break;
            }
        }
        Ok(())
    }

    /// Admits the sessions of a batch's `files`, read and coded as `results`: records each
    /// file's input, passes on its warnings and notes its attribute keys.
    fn admit(
        &mut self,
        files: &[InputFile],
        results: Vec<ReadAndCoded>,
        warn: &mut dyn FnMut(&str),
    ) -> Result<(Batch, Vec<SessionWords>)> {
        let (mut batch, mut words) = (Vec::new(), Vec::new());
        for (file, (digest, result)) in files.iter().zip(results) {
            let format = ingest::format_for(file, self.plan.read);
            let admitted = self.admission.file(&file.path, result)?;
            let mut record = InputRecord::new(&file.path, digest, format.as_str());
            record.error = admitted.error;
            for c in admitted.sessions {
                let s = &c.coded.session;
                record.sessions += 1;
                record.turns += s.turns.len();
                record.words += c.coded.words.iter().sum::<usize>();
                if self.first {
                    for line in ingest::warning_lines(s) {
                        warn(&line);
                    }
                }
                self.again |= self.keys.add_session(s) && self.columns.is_some();
                batch.push((c.coded, c.segments));
                words.push(c.words);
            }
            self.inputs.push(record);
        }
        Ok((batch, words))
    }
}

/// Appends a batch's mentions and units to their tables (those the run writes).
fn write_rows(
    plan: &Plan<'_>,
    engine: &Engine,
    columns: &[(String, AttributeSource)],
    batch: &[(CodedSession, SessionSegments)],
    mentions: &mut Option<TableStream>,
    segments: &mut Option<TableStream>,
) -> Result<()> {
    if let Some(mentions) = mentions {
        mentions.push(&mut aggregate::mention_rows(plan.codebook, engine, columns, batch)?)?;
    }
    if let Some(segments) = segments {
        segments.push(&mut aggregate::segment_rows(plan.codebook, plan.unit, columns, batch)?)?;
    }
    Ok(())
}

/// One file read and coded: its SHA-256 and size (when its bytes could be read), and its
/// coded sessions or why it could not be read.
type ReadAndCoded = (Option<([u8; 32], u64)>, Result<Vec<Coded>>);

/// Reads one file (hashing its bytes as they are read), applies the participants file and
/// codes its sessions.
fn read_and_code(
    coder: &mut Coder<'_>,
    stems: &mut Stems,
    rank: &[usize],
    file: &InputFile,
    plan: &Plan<'_>,
) -> ReadAndCoded {
    let read = ingest::read_hashed(file, plan.read);
    (read.digest, read.sessions.map(|sessions| code_sessions(coder, stems, rank, sessions, plan)))
}

/// Applies the participants file to the sessions of one file, codes them and finds their
/// stems.
fn code_sessions(
    coder: &mut Coder<'_>,
    stems: &mut Stems,
    rank: &[usize],
    sessions: Vec<crate::model::Session>,
    plan: &Plan<'_>,
) -> Vec<Coded> {
    admit::with_participants(sessions, plan.participants, plan.read)
        .into_iter()
        .map(|(s, used)| {
            // The stems come from the coder's tokens, turn by turn.
            let mut session = stems.session();
            let mut stem = |t: usize, text: &str, tokens: &[std::ops::Range<usize>]| {
                session.turn(t, text, tokens)
            };
            let coded = code_session_with(coder, rank, s, plan.coding, &mut stem);
            let words = session.finish(coded.session.turns.len());
            let segments = SessionSegments::new(&coded, plan.unit);
            Coded { coded, segments, words, used }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate;
    use crate::report::{self, ReportOptions};

    const CODEBOOK: &str = r#"
        [[theme]]
        id = "trust"
        terms = ["trust"]

        [[theme]]
        id = "funding"
        terms = ["fund*", "grant"]
    "#;

    /// Runs the whole pipeline on `dir/transcripts` with `batch` bytes per batch into
    /// `dir/NAME`, and returns the report files and their bytes.
    fn analyze(dir: &Path, name: &str, batch: u64) -> Vec<(String, Vec<u8>)> {
        let codebook = Codebook::from_toml_str(Path::new("t.toml"), CODEBOOK).unwrap();
        let read = ReadOptions::default();
        let out = dir.join(name);
        let plan = Plan {
            codebook: &codebook,
            coding: CodingOptions::default(),
            unit: Unit::Sentence,
            max_quotes: Some(2),
            summary_quotes: 3,
            read: &read,
            participants: None,
            strict: false,
            out: &out,
            force: false,
            batch_bytes: batch,
            streams: (Some(Forms::Both), Some(Forms::Both)),
        };
        let mut discovered = ingest::discover(&[dir.join("transcripts")], &[], None).unwrap();
        let sizes = file_sizes(&discovered.files);
        let streamed = run(&plan, &mut discovered, &sizes, &mut |_| {}, &|_| {}).unwrap();
        assert!(streamed.failed.is_empty());
        let tables = aggregate::build(&streamed.summary).unwrap();
        let options = ReportOptions { max_quotes: Some(2), ..ReportOptions::new(out.clone()) };
        let provenance = report::manifest::Provenance {
            command: report::manifest::Command { args: Vec::new(), options: Default::default() },
            codebook: report::manifest::HashedFile {
                path: "t.toml".into(),
                sha256: String::new(),
                bytes: 0,
            },
            participants: None,
            inputs: streamed.inputs.clone(),
        };
        let written = report::write_all(
            streamed.dir,
            &streamed.summary,
            &tables,
            None,
            &options,
            &provenance,
        )
        .unwrap();
        written.files.iter().map(|f| (f.clone(), std::fs::read(out.join(f)).unwrap())).collect()
    }

    #[test]
    fn one_file_per_batch_gives_the_same_reports_even_when_a_later_file_adds_attributes() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("transcripts");
        std::fs::create_dir(&t).unwrap();
        // The second file brings `group`, unknown when the first batch's rows are written.
        let files = [
            ("a.txt", "---\nsite: North\n---\nAna: We trust them. The fund helped.\nBen: Trust.\n"),
            ("b.txt", "---\nsite: South\ngroup: organizers\n---\nCara: A grant, and trust.\n"),
            ("c.txt", "Dan: Funding again. And trust? Trust!\nEve: Nothing here.\n"),
        ];
        for (name, text) in files {
            std::fs::write(t.join(name), text).unwrap();
        }
        let whole = analyze(dir.path(), "whole", BATCH_BYTES);
        let single = analyze(dir.path(), "single", 1);
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&whole), names(&single));
        for ((name, a), (_, b)) in whole.iter().zip(&single) {
            // Parquet included: row groups are cut by row count, not by batch.
            assert!(a == b, "{name} differs");
        }
        let mentions = &whole.iter().find(|(f, _)| f == "mentions.csv").unwrap().1;
        let mentions = String::from_utf8(mentions.clone()).unwrap();
        assert!(mentions.starts_with(
            "session,file,line,turn,timestamp,speaker,role,question,question_text,site,group,"
        ));
        // a: trust, fund; Ben: trust; b: grant, trust; c: funding, trust, trust.
        assert_eq!(mentions.lines().count(), 1 + 8);
        assert!(mentions.contains(",Cara,participant,,,South,organizers,funding,"), "{mentions}");
        assert!(mentions.contains(",Dan,participant,,,,,trust,"), "{mentions}");
    }

    #[test]
    fn batches_cover_every_file_in_order() {
        let part = BATCH_BYTES / 8;
        let sizes = [5 * part, 5 * part, 1, 10 * part, 3];
        assert_eq!(batches(&sizes, BATCH_BYTES), [0..2, 2..4, 4..5]);
        assert_eq!(batches(&[], BATCH_BYTES), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(batches(&[1, 2], BATCH_BYTES).first(), Some(&(0..2)));
        assert_eq!(batch_bytes(25), BATCH_BYTES);
        assert_eq!(batch_bytes(64), BATCH_BYTES / 2);
        assert_eq!(batch_bytes(5000), 1 << 20);
    }
}
