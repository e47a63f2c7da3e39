//! `qualkit codebook suggest`: rules learned from people's coding, measured before they are
//! accepted (see [`crate::suggest`]).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::agree::{self, Table, Unit};
use crate::cli::agree::{ReadCodings, Source};
use crate::cli::input::{self, InputArgs};
use crate::cli::{Outcome, OutputFormat};
use crate::code::corpus::CodingOptions;
use crate::code::{examples, Engine};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::suggest::edit::{self, Addition};
use crate::suggest::{self, Corpus, Limits, Noisy, Suggestion};

/// Learn rules from people's coding: for each theme, candidate rules drawn from the units
/// people coded with it and the codebook missed (over-represented stems and phrases, the
/// theme's example words, existing terms widened), each measured by re-coding: the true and
/// false positives it adds, the theme's precision and recall, and its F1 on sessions it was
/// not learned from (leave one session out). With --out, writes the codebook with the
/// suggestions that raise that F1, each with a comment; it never removes a rule. Rules that
/// make most false positives are listed as candidates for an exclude.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE", help = super::FILE_HELP)]
    pub file: PathBuf,

    /// The reference coding, the people's to learn from: anything `agree` reads (a
    /// mentions.csv from `import qdpx` or `import taguette`, a report folder, a coding
    /// spreadsheet, another tool's export).
    #[arg(long, value_name = "CODING")]
    pub gold: PathBuf,

    /// The coder of the CODING to learn from, when it holds several.
    #[arg(long, value_name = "NAME")]
    pub gold_coder: Option<String>,

    /// The transcripts that were coded (files or folders; repeat for several)
    /// [default: the bundled example].
    #[arg(short, long, value_name = "PATH")]
    pub transcripts: Vec<PathBuf>,

    /// The unit coded present or absent: turn or sentence.
    #[arg(long, value_name = "UNIT", value_parser = super::super::input::named::<Unit>(), default_value = "turn")]
    pub unit: Unit,

    /// Where the output goes: the codebook (TOML) with the suggestions added [default: only
    /// the listing, on stdout].
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Suggestions per theme, at most.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max_per_theme: usize,

    /// The least gain in held-out F1 a suggestion must bring (0 to 1).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub min_gain: f64,

    // The listing's format.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text, help = super::super::help::FORMAT)]
    pub format: OutputFormat,

    // Moderators' turns are units too.
    #[arg(long, help = super::super::help::INCLUDE_MODERATORS)]
    pub include_moderators: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// What `suggest` found.
#[derive(Debug, serde::Serialize)]
pub struct Suggested {
    /// The codebook.
    pub codebook: String,
    /// The coding learned from, and its coder.
    pub gold: String,
    /// Sessions the coder coded (the folds of the cross-validation).
    pub sessions: usize,
    /// Units compared.
    pub units: usize,
    /// Each theme the person coded, as the codebook codes it before any suggestion.
    pub before: Vec<Before>,
    /// The suggestions, theme by theme in codebook order.
    pub suggestions: Vec<Suggestion>,
    /// Rules that make most of their theme's false positives.
    pub exclude_candidates: Vec<Noisy>,
}

/// A theme the person coded, as the codebook codes it.
#[derive(Debug, serde::Serialize)]
pub struct Before {
    /// The theme id.
    pub theme: String,
    /// Units the person coded with it.
    pub coded_by_person: u64,
    /// The codebook's precision against the person.
    pub precision: Option<f64>,
    /// The codebook's recall against the person.
    pub recall: Option<f64>,
}

/// Every theme the person coded, in codebook order, as the codebook codes it now.
fn before(corpus: &Corpus) -> Vec<Before> {
    let cb = corpus.codebook;
    cb.order()
        .iter()
        .map(|&t| (t, base_counts(corpus, t)))
        .filter(|(_, c)| c.true_positives + c.false_negatives > 0)
        .map(|(t, c)| Before {
            theme: cb.themes[t].id.clone(),
            coded_by_person: c.true_positives + c.false_negatives,
            precision: c.precision(),
            recall: c.recall(),
        })
        .collect()
}

/// Runs `codebook suggest`.
pub fn run(args: Args) -> Result<Outcome> {
    if args.unit == Unit::Character {
        return Err(Error::Usage(
            "--unit character cannot be learned from; use turn or sentence".into(),
        ));
    }
    if !(0.0..=1.0).contains(&args.min_gain) {
        return Err(Error::Usage(format!("--min-gain {} is not between 0 and 1", args.min_gain)));
    }
    let codebook = input::load_codebook(&args.file)?;
    let reading = args.input.clone().resolve()?;
    let transcripts = input::transcripts_or_bundled(args.transcripts.clone())?;
    let sources = [Source { path: args.gold.clone(), name: None }];
    let mut read = ReadCodings::of(&sources)?;
    let mut own: Vec<&Path> = vec![args.gold.as_path()];
    if let Some(out) = &args.out {
        own.push(out);
    }
    let (sessions, _failed) =
        reading.with_threads(|| input::load_sessions(&reading, &transcripts, &own))?;
    read.place_exports(&sessions, Some(&codebook))?;
    let coding = within_transcripts(pick_coder(&args, read.codings)?, &sessions);
    let gold_name = format!("{} ({})", args.gold.display(), coding.coder);
    let options = CodingOptions { include_moderators: args.include_moderators };
    let resolved = agree::resolve(vec![coding], &sessions, Some(&codebook), options)?;
    let table = Table::build(&sessions, &resolved, args.unit, options);
    let mut corpus = Corpus::new(&sessions, &codebook, &resolved, &table);
    let limits = Limits { max_per_theme: args.max_per_theme, min_gain: args.min_gain };
    let original = std::fs::read_to_string(&args.file).ok();
    let before = before(&corpus);
    let found = suggest_all(&mut corpus, limits)?;
    let result = Suggested {
        codebook: args.file.display().to_string(),
        gold: gold_name,
        sessions: corpus
            .units
            .iter()
            .map(|u| u.session)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        units: corpus.units.len(),
        before,
        suggestions: found,
        exclude_candidates: noisy_all(&corpus),
    };
    if let Some(out) = &args.out {
        write_codebook(&args.file, original.as_deref(), &codebook, &result, out)?;
    }
    let text = match args.format {
        OutputFormat::Text => text(&result, corpus.folds_of_units),
        OutputFormat::Csv => csv(&result)?,
        OutputFormat::Json => json(&result)?,
    };
    super::super::print_stdout(&text)?;
    Ok(Outcome::Done)
}

/// The one coder of the coding to learn from.
fn pick_coder(args: &Args, codings: Vec<agree::codings::Coding>) -> Result<agree::codings::Coding> {
    let names: Vec<String> = codings.iter().map(|c| c.coder.clone()).collect();
    let wanted = match (&args.gold_coder, codings.len()) {
        (Some(name), _) => names.iter().position(|n| n == name).ok_or_else(|| {
            Error::Usage(format!(
                "--gold-coder {name} is not a coder of {}: {}",
                args.gold.display(),
                names.join(", ")
            ))
        })?,
        (None, 1) => 0,
        (None, 0) => return Err(Error::coding(&args.gold, None, "holds no codings")),
        (None, _) => {
            return Err(Error::Usage(format!(
                "{} holds {} coders ({}); choose one with --gold-coder NAME",
                args.gold.display(),
                names.len(),
                names.join(", ")
            )))
        }
    };
    Ok(codings.into_iter().nth(wanted).expect("a valid index"))
}

/// `coding` without the rows of sessions that are not among the transcripts read (learning
/// from some sessions of a coding is a normal use), said in a note.
fn within_transcripts(
    mut coding: agree::codings::Coding,
    sessions: &[crate::model::Session],
) -> agree::codings::Coding {
    let read: std::collections::HashSet<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
    let mut left_out = std::collections::BTreeSet::new();
    coding.rows.retain(|r| match (&r.session, &r.file) {
        (Some(s), None) if !read.contains(s.as_str()) => {
            left_out.insert(s.clone());
            false
        }
        _ => true,
    });
    if !left_out.is_empty() {
        eprintln!(
            "note: {}: the rows of {} not among the transcripts read are left out: {}",
            coding.path.display(),
            crate::display::count(left_out.len(), "session"),
            left_out.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    coding
}

/// The suggestions for every theme, in codebook order. A suggestion that would make one of
/// the codebook's examples or counterexamples fail is not made.
fn suggest_all(corpus: &mut Corpus, limits: Limits) -> Result<Vec<Suggestion>> {
    let cb = corpus.codebook;
    let failures_before = examples::run(cb, &Engine::new(cb)).failures.len();
    let mut out: Vec<Suggestion> = Vec::new();
    // Children first: what a child's suggestions code rolls up to its parents before the
    // parents are learned.
    for &t in cb.order().iter().rev() {
        if !corpus.gold[t].iter().any(|&g| g) {
            continue;
        }
        let candidates = suggest::score(corpus, suggest::candidates(corpus, t));
        let mut keep = |chosen: &[Suggestion], c: &suggest::Candidate| {
            passes_examples(cb, &out, chosen, c, failures_before)
        };
        let chosen = suggest::choose(corpus, t, candidates, limits, &mut keep);
        for s in &chosen {
            corpus.roll_up(&s.candidate);
        }
        out.extend(chosen);
    }
    let rank: Vec<usize> = crate::code::corpus::theme_ranks(cb);
    out.sort_by_key(|s| rank[s.candidate.theme]);
    Ok(out)
}

/// Whether the codebook with the suggestions made so far (`before` for other themes,
/// `chosen` for this one) and `c` added keeps its examples passing.
fn passes_examples(
    cb: &Codebook,
    before: &[Suggestion],
    chosen: &[Suggestion],
    c: &suggest::Candidate,
    failures_before: usize,
) -> bool {
    let made = before.iter().chain(chosen).map(|s| &s.candidate).chain([c]);
    let new = suggest::with_rules(cb, made.map(|x| (x.theme, &x.rule)));
    examples::run(&new, &Engine::new(&new)).failures.len() <= failures_before
}

fn addition(c: &suggest::Candidate, comment: &str) -> Addition {
    Addition { theme: c.theme, rule: c.rule.clone(), comment: comment.to_string() }
}

/// The exclude candidates of every theme.
fn noisy_all(corpus: &Corpus) -> Vec<Noisy> {
    let engine = Engine::new(corpus.codebook);
    corpus.codebook.order().iter().flat_map(|&t| suggest::noisy(corpus, &engine, t)).collect()
}

/// Writes the codebook with the suggestions, checked and tested, to `out`.
fn write_codebook(
    path: &Path,
    original: Option<&str>,
    cb: &Codebook,
    result: &Suggested,
    out: &Path,
) -> Result<()> {
    let toml = matches!(path.extension().and_then(|e| e.to_str()), Some("toml") | None);
    let (Some(text), true) = (original, toml) else {
        return Err(Error::Usage(format!(
            "--out adds the suggestions to a TOML codebook, and {} is not one; convert it \
             first with `qualkit codebook convert {} --to toml`",
            path.display(),
            path.display()
        )));
    };
    let adds: Vec<Addition> = result
        .suggestions
        .iter()
        .map(|s| addition(&s.candidate, &comment(s, &result.gold)))
        .collect();
    let new_text = edit::add_rules(path, text, cb, &adds)?;
    let new = Codebook::from_toml_str(out, &new_text)?;
    let failures = examples::run(&new, &Engine::new(&new)).failures.len();
    let before = examples::run(cb, &Engine::new(cb)).failures.len();
    if failures > before {
        return Err(Error::Output {
            path: out.to_path_buf(),
            message:
                "the codebook with the suggestions fails examples it passed; nothing was written"
                    .into(),
        });
    }
    crate::report::output::write_file_atomic(out, new_text.as_bytes())
}

/// The TOML comment of a suggestion: where it came from and what it did.
fn comment(s: &Suggestion, gold: &str) -> String {
    format!(
        "suggested by qualkit codebook suggest from {gold}: {}; +{} TP, +{} FP; held-out F1 {:.2} -> {:.2}",
        s.origin.describe(),
        s.tp_added,
        s.fp_added,
        s.cv_f1_before,
        s.cv_f1_after
    )
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.2}"))
}

/// The listing for people.
fn text(r: &Suggested, folds_of_units: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} learned from {} over {} units in {} (held-out F1: leave one out{})\n",
        r.codebook,
        crate::display::count(r.suggestions.len(), "suggestion"),
        r.gold,
        r.units,
        crate::display::count(r.sessions, "session"),
        if folds_of_units { "; one session coded, so five folds of its units" } else { "" }
    );
    let mut theme = "";
    for s in &r.suggestions {
        if s.theme != theme {
            theme = &s.theme;
            let b = r.before.iter().find(|b| b.theme == s.theme).expect("a theme coded");
            let _ = writeln!(
                out,
                "theme {} (coded by the person in {} units; the codebook: precision {}, recall {})",
                s.theme,
                b.coded_by_person,
                pct(b.precision),
                pct(b.recall)
            );
        }
        let _ = writeln!(
            out,
            "  + {} {:<28} +{} TP +{} FP  precision {} recall {}  held-out F1 {:.2} -> {:.2}  ({})",
            s.kind,
            s.rule,
            s.tp_added,
            s.fp_added,
            pct(s.precision),
            pct(s.recall),
            s.cv_f1_before,
            s.cv_f1_after,
            s.origin.describe()
        );
        for (label, e) in [("adds", &s.example), ("false positive", &s.false_positive)] {
            if let Some((at, t)) = e {
                let _ = writeln!(out, "      {label}: {at}: \"{t}\"");
            }
        }
    }
    if !r.exclude_candidates.is_empty() {
        let _ = writeln!(
            out,
            "\nexclude candidates (rules that fire more where the person did not code the theme):"
        );
        for n in &r.exclude_candidates {
            let _ = writeln!(out, "  ? {} {:<28} {} TP, {} FP", n.theme, n.rule, n.tp, n.fp);
            for (at, t) in &n.examples {
                let _ = writeln!(out, "      false positive: {at}: \"{t}\"");
            }
        }
    }
    out
}

fn base_counts(corpus: &Corpus, t: usize) -> crate::analysis::agreement::Confusion {
    suggest::tally(&corpus.coded[t], &corpus.gold[t])
}

/// One row per suggestion, then one per exclude candidate (`kind` = `exclude candidate`).
fn csv(r: &Suggested) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "theme",
        "kind",
        "rule",
        "origin",
        "tp_added",
        "fp_added",
        "precision",
        "recall",
        "cv_f1_before",
        "cv_f1_after",
        "example_at",
        "example",
        "false_positive_at",
        "false_positive",
    ];
    let problem = |e: csv::Error| Error::table("suggestions", e);
    w.write_record(header).map_err(problem)?;
    let f = |x: f64| format!("{x:.4}");
    let opt = |x: Option<f64>| x.map(f).unwrap_or_default();
    for s in &r.suggestions {
        let (ea, et) = s.example.clone().unwrap_or_default();
        let (fa, ft) = s.false_positive.clone().unwrap_or_default();
        w.write_record([
            s.theme.clone(),
            s.kind.into(),
            s.rule.clone(),
            format!("{:?}", s.origin).to_lowercase(),
            s.tp_added.to_string(),
            s.fp_added.to_string(),
            opt(s.precision),
            opt(s.recall),
            f(s.cv_f1_before),
            f(s.cv_f1_after),
            ea,
            et,
            fa,
            ft,
        ])
        .map_err(problem)?;
    }
    for n in &r.exclude_candidates {
        let (ea, et) = n.examples.first().cloned().unwrap_or_default();
        w.write_record([
            n.theme.clone(),
            "exclude candidate".into(),
            n.rule.clone(),
            String::new(),
            n.tp.to_string(),
            n.fp.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            ea,
            et,
        ])
        .map_err(problem)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::table("suggestions", e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of strings"))
}

fn json(r: &Suggested) -> Result<String> {
    let mut text = serde_json::to_string_pretty(r).map_err(|e| Error::table("suggestions", e))?;
    text.push('\n');
    Ok(text)
}
