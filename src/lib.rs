//! # qualkit
//!
//! Qualitative analysis of focus-group and interview transcripts: transcripts and a codebook
//! of themes in; theme frequencies, quotes and an auditable table of every mention out.
//!
//! ## The pipeline
//!
//! Data flows one way through these stages, one module (or folder) each; no stage imports a
//! later one.
//!
//! 1. **ingest** ([`ingest`]): finds transcript files, decodes them (BOM, UTF-8 or UTF-16,
//!    any line ending) and reads each with the reader for its format (text, Word, ODT,
//!    WebVTT, SRT, SubViewer, CSV/TSV) into the [`model`]: a [`model::Session`] with its speakers (roles
//!    and attributes, adjusted by a participants file) and its turns, the unit of coding.
//!    Every turn keeps its file, line, and the file line of each of its text lines.
//!    [`ingest::admit`] holds the rules every run applies to what the readers give
//!    (unreadable files, `--strict`, duplicate sessions); [`ingest::inspect`] reports what
//!    the readers made of each file.
//! 2. **tokenize** ([`tokenize`]): tokens are byte ranges of `\w+(?:['’]\w+)*`, normalised
//!    (lowercased, `’` → `'`) and stemmed with the codebook's language; URLs and link
//!    targets give none. [`sentences`] says where a turn's sentences end.
//! 3. **codebook** ([`codebook`]): codebooks in every format qualkit reads are validated,
//!    linted and converted.
//! 4. **code** ([`code`]): the codebook is compiled into an [`code::Engine`]: word tests
//!    (stem, exact, prefix) shared between terms, term sequences, proximity rules and
//!    regexes. Each turn is coded into spans per theme; exclusions veto spans, spans roll up
//!    to parent themes and overlapping spans merge into mentions ([`code::Mention`]) carrying
//!    session, turn, line, character offsets and the rules that produced them.
//!    [`code::corpus`] codes whole sessions in parallel; results keep input order.
//! 5. **summarize** ([`summary`]): each coded session is cut into units
//!    ([`summary::units`]: turns, sentences or the session) and folded, in input order, into
//!    counts per session, speaker and theme, units and co-occurrence per theme, and the
//!    quotes that can still be chosen; then its text can go.
//! 6. **aggregate** ([`aggregate`]): polars builds the per-mention table (the audit trail)
//!    and the segment matrix batch by batch, and the corpus-wide tables (theme frequencies,
//!    the theme × session and speaker × theme matrices, co-occurrence) from the summary.
//! 7. **analysis** ([`analysis`]): counted speakers are grouped by session or by a session
//!    or speaker attribute, and each theme's rate is tested between the groups (G² or
//!    chi-square); the statistics and the agreement coefficients live here too.
//! 8. **report** ([`report`]): CSV, Parquet, `quotes.md` and `report.html` are written into
//!    a temporary folder that replaces the report folder only when everything succeeded;
//!    comparisons are rendered as a text table, CSV or JSON. Every file is hashed as it is
//!    written, and `manifest.json` ([`report::manifest`]) records the version, options,
//!    codebook, inputs (hashed as ingest reads them) and outputs. [`report::diff`] compares
//!    two report folders and [`report::verify`] checks one against its manifest.
//!
//! [`pipeline`] runs stages 1–8 as a stream for `qualkit analyze`: files are read and coded
//! in batches on every core while a writer thread summarizes the previous batch and appends
//! its rows to the per-mention tables, so memory stays flat however large the corpus. The
//! commands that need the coded corpus in memory (`compare`, `kwic`, `terms`, `export`)
//! read it with [`ingest::load`] and code it with [`code::corpus`]: the same admission
//! rules, the same coding.
//!
//! Beside the pipeline, [`explore`] looks at the words themselves while a codebook is being
//! built: keyword in context with the engine's own matching, frequent and distinctive terms,
//! and the words no theme covers yet.
//!
//! [`agree`] measures how far codings of the same transcripts agree (qualkit's mentions,
//! imported or spreadsheet codings): each is placed in the transcripts, units are coded
//! present or absent per theme and coder, and percent agreement, Cohen's and Fleiss' kappa,
//! Krippendorff's alpha and precision/recall against a reference coder are computed.
//!
//! [`refi`] exchanges coded projects with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA
//! `.qdpx`): a coded corpus goes out as sources with coded selections, and people's codings
//! come back as sessions and mentions, one coder at a time.
//!
//! The command line ([`cli`]) resolves arguments into a configuration once; each command
//! returns a [`cli::Outcome`], and [`cli::main`] alone maps outcomes and errors
//! ([`error::Error`]) to the documented exit codes ([`error::exit`]). [`display`] formats
//! numbers, plurals and CSV text the same way everywhere; one XML layer (`xml.rs`: streamed,
//! one entity policy, one depth cap, line numbers) reads REFI-QDA codebooks and projects and
//! Word and OpenDocument files. The benchmark generators are a
//! crate of their own (`bench/`), outside the library and the binary. ARCHITECTURE.md says
//! where to add a reader, a rule kind, a report, a command or an output format.
//!
//! ```
//! use std::path::Path;
//! use qualkit::code::{Coder, Engine};
//! use qualkit::codebook::Codebook;
//!
//! let codebook = Codebook::from_toml_str(Path::new("example.toml"), r#"
//!     [[theme]]
//!     id = "trust"
//!     terms = ["trust", "keep their word"]
//!     exclude = ["trust fund"]
//! "#).unwrap();
//! let engine = Engine::new(&codebook);
//! let mut coder = Coder::new(&engine);
//! let (words, mentions) = coder.code("They trusted us, and we kept\ntheir word. Not the trust fund.");
//! assert_eq!(words, 12);
//! assert_eq!(mentions.len(), 1); // "trusted"; "kept their word" is not "keep their word"
//! ```

pub mod aggregate;
pub mod agree;
pub mod analysis;
pub mod cli;
pub mod code;
pub mod codebook;
pub mod display;
pub mod error;
pub mod explore;
pub mod imports;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod refi;
pub mod report;
pub mod sentences;
#[doc(hidden)]
pub mod shared_corpus;
pub mod suggest;
pub mod summary;
pub mod tokenize;
pub(crate) mod xml;

pub use error::{Error, Result};
