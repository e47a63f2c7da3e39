//! `report.html`: one self-contained page (inline styles and SVG, no scripts, fonts or
//! network) that opens in any browser and prints well. The study summary, theme frequencies
//! as a bar chart, a theme × session heatmap, the co-occurrence matrix, group comparisons when
//! asked for, quotes per theme with the mentions highlighted, and the codebook as an appendix.
//! Every number comes from the same polars tables as the CSV files; the geometry of the charts
//! is computed here and drawn by the template.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use super::codebook_doc::CodebookView;
use super::findings::{quote_finding, Findings, QuestionFinding, QuoteFinding};
use crate::aggregate::Tables;
use crate::analysis::compare::{Comparison, Test};
use crate::display::{plural, shorten, thousands};
use crate::error::{Error, Result};
use crate::summary::Summary as Corpus;

/// Sessions shown as heatmap columns; with more, the heatmap is left out.
const MAX_HEATMAP_SESSIONS: usize = 40;
/// Cells of the heatmap: with more themes × sessions, the most mentioned themes (every one is
/// in `session_matrix.csv`); 40 sessions × 100 themes, about 0.7 MB of the page.
const MAX_HEATMAP_CELLS: usize = 4000;
/// Sessions listed in the study table; with more, the rest are counted.
const MAX_LISTED_SESSIONS: usize = 100;
/// Questions listed under "Question by question", in order of first appearance; every one is
/// in `question_matrix.csv`. Long sessions ask hundreds each, and the page stays readable
/// (and under a few megabytes) whatever the corpus.
const MAX_LISTED_QUESTIONS: usize = 200;
/// Themes listed under one question, the most widely raised first.
const MAX_QUESTION_THEMES: usize = 15;
/// Themes of the co-occurrence matrix: with more leaf themes, the most mentioned (every pair
/// is in `cooccurrence.csv`).
const MAX_MATRIX_THEMES: usize = 40;
/// Quotes under "Quotes by theme" in all: with many themes, fewer per theme (at least one;
/// every chosen quote is in `quotes.md`).
const MAX_PAGE_QUOTES: usize = 1000;

/// The page, ready for the template.
#[derive(Debug, Serialize)]
struct Page<'a> {
    title: String,
    version: &'static str,
    summary: Summary,
    sessions: Vec<SessionRow>,
    /// Sessions not listed in the study table.
    unlisted: usize,
    bars: BarChart,
    heatmap: Heatmap,
    cooccurrence: Matrix,
    quotes: Vec<ThemeQuotes>,
    max_quotes: Option<usize>,
    /// Quotes shown per theme when the page has room for fewer than were chosen.
    quotes_per_theme: Option<usize>,
    comparison: Option<ComparisonView>,
    findings: &'a Findings,
    /// The questions listed: the first [`MAX_LISTED_QUESTIONS`] of the findings'.
    questions: &'a [QuestionFinding],
    /// Questions of the findings not listed.
    questions_unlisted: usize,
    /// Themes listed under one question.
    question_themes: usize,
}

/// A comparison between groups, formatted for reading.
#[derive(Debug, Serialize)]
struct ComparisonView {
    by: String,
    grouping: &'static str,
    two_groups: bool,
    groups: Vec<GroupView>,
    left_out: String,
    tests: usize,
    alpha: String,
    rows: Vec<ComparisonRow>,
    significant: Vec<String>,
    flagged: usize,
}

#[derive(Debug, Serialize)]
struct GroupView {
    name: String,
    words: String,
    speakers: usize,
    sessions: usize,
}

#[derive(Debug, Serialize)]
struct ComparisonRow {
    number: String,
    label: String,
    indent: usize,
    parent: bool,
    cells: Vec<String>,
    statistic: String,
    p: String,
    adjusted_p: String,
    effect: String,
    significant: bool,
    flagged: bool,
}

#[derive(Debug, Serialize)]
struct Summary {
    sessions: usize,
    participants: usize,
    words: String,
    turns: usize,
    mentions: usize,
    themes: usize,
    themes_found: usize,
    unit: &'static str,
    counted: &'static str,
    codebook: String,
    /// `counted` for one person.
    counted_one: &'static str,
}

#[derive(Debug, Serialize)]
struct SessionRow {
    id: String,
    title: String,
    date: String,
    speakers: usize,
    words: String,
    attributes: String,
}

/// Horizontal bars: mentions, and the share of participants who raised the theme.
#[derive(Debug, Serialize)]
struct BarChart {
    width: u32,
    height: u32,
    label_width: u32,
    panel: u32,
    gap: u32,
    rows: Vec<Bar>,
    mention_ticks: Vec<Tick>,
    share_ticks: Vec<Tick>,
}

#[derive(Debug, Serialize)]
struct Bar {
    y: u32,
    label: String,
    /// The label shortened to fit the label column.
    short: String,
    number: String,
    indent: u32,
    parent: bool,
    mentions: u64,
    mentions_width: f64,
    /// `mentions_width` to a tenth, as the bar's `width` attribute writes it.
    mentions_bar: f64,
    share: String,
    share_width: f64,
    /// `share_width` to a tenth.
    share_bar: f64,
}

#[derive(Debug, Serialize)]
struct Tick {
    x: f64,
    label: String,
}

/// Theme × session: per-1,000-word rates as colours, with the counts written in the cells.
#[derive(Debug, Serialize)]
struct Heatmap {
    columns: Vec<String>,
    rows: Vec<HeatRow>,
    max: String,
    /// The themes of the codebook, when the rows are only the most mentioned of them.
    left_out_of: Option<usize>,
}

#[derive(Debug, Serialize)]
struct HeatRow {
    label: String,
    number: String,
    indent: u32,
    parent: bool,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    title: String,
    fill: String,
    ink: &'static str,
}

/// Leaf themes × leaf themes: Jaccard similarity of the units they code.
#[derive(Debug, Serialize)]
struct Matrix {
    unit: &'static str,
    labels: Vec<(String, String)>,
    rows: Vec<Vec<Option<Cell>>>,
    top: Vec<String>,
    /// Leaf themes, shown or not.
    leaves: usize,
    /// Leaf themes left out of the matrix (the least mentioned).
    left_out: usize,
}

#[derive(Debug, Serialize)]
struct ThemeQuotes {
    code: String,
    number: String,
    label: String,
    summary: String,
    quotes: Vec<QuoteFinding>,
}

/// The values of column `name` of `df` (missing values as empty or zero).
pub(super) fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.unwrap_or("").to_string()).collect())
}

/// The values of column `name` of `df` (missing values as empty or zero).
pub(super) fn numbers(df: &DataFrame, name: &str) -> PolarsResult<Vec<u64>> {
    Ok(df.column(name)?.cast(&DataType::UInt64)?.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// The values of column `name` of `df` (missing values as empty or zero).
pub(super) fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect())
}

/// A colour from white to dark blue for `t` in 0..=1, and the ink that reads on it.
fn blue(t: f64) -> (String, &'static str) {
    let t = t.clamp(0.0, 1.0);
    let (from, to) = ([247.0, 251.0, 255.0], [8.0, 48.0, 107.0]);
    let c: Vec<u8> = (0..3).map(|i| (from[i] + (to[i] - from[i]) * t).round() as u8).collect();
    (format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]), if t > 0.55 { "#ffffff" } else { "#1d2433" })
}

/// `x` to a tenth, halves away from zero: a bar's width as the page writes it.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Round tick values for an axis from 0 to `max`.
fn ticks(max: f64) -> Vec<f64> {
    if max <= 0.0 {
        return vec![0.0];
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    (0..).map(|k| k as f64 * step).take_while(|v| *v <= max + 1e-9).collect()
}

/// What every section of the page reads: the corpus and its tables, the codebook view, each
/// theme's mentions and speakers, and which themes are parents (coded through sub-themes).
struct Sections<'a> {
    corpus: &'a Corpus,
    tables: &'a Tables,
    book: CodebookView,
    ids: Vec<String>,
    mentions: Vec<u64>,
    speakers: Vec<u64>,
    participants: usize,
    parent: Vec<bool>,
}

impl<'a> Sections<'a> {
    fn of(corpus: &'a Corpus, tables: &'a Tables) -> PolarsResult<Sections<'a>> {
        let cb = &corpus.codebook;
        let freq = &tables.theme_frequencies;
        Ok(Sections {
            corpus,
            tables,
            book: CodebookView::of(cb),
            ids: strings(freq, "theme")?,
            mentions: numbers(freq, "mentions")?,
            speakers: numbers(freq, "speakers")?,
            participants: tables.speaker_matrix.height(),
            parent: cb.order().iter().map(|&i| !cb.themes[i].has_rules()).collect(),
        })
    }

    /// The bar chart of mentions and speaker shares.
    fn bars(&self) -> BarChart {
        let Sections { book, mentions, speakers, parent, .. } = self;
        let participants = self.participants;
        let (label_width, panel, gap, row) = (300u32, 250u32, 40u32, 22u32);
        let max_mentions = mentions.iter().copied().max().unwrap_or(0) as f64;
        let mention_axis = ticks(max_mentions.max(1.0));
        let mention_scale = mention_axis.last().copied().unwrap_or(1.0).max(max_mentions).max(1.0);
        let rows: Vec<Bar> = book
            .themes
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let mentions_width = mentions[k] as f64 / mention_scale * panel as f64;
                let share =
                    if participants > 0 { speakers[k] as f64 / participants as f64 } else { 0.0 };
                Bar {
                    y: 30 + k as u32 * row,
                    label: t.label.clone(),
                    short: shorten(&format!("{} {}", t.number, t.label), 44 - 2 * t.depth),
                    number: t.number.clone(),
                    indent: t.depth as u32 * 12,
                    parent: parent[k],
                    mentions: mentions[k],
                    mentions_width,
                    mentions_bar: tenth(mentions_width),
                    share: format!("{:.0}%", share * 100.0),
                    share_width: share * panel as f64,
                    share_bar: tenth(share * panel as f64),
                }
            })
            .collect();
        BarChart {
            width: label_width + 2 * panel + gap + 40,
            height: 30 + rows.len() as u32 * row + 10,
            label_width,
            panel,
            gap,
            mention_ticks: mention_axis
                .iter()
                .map(|v| Tick { x: v / mention_scale * panel as f64, label: format!("{v}") })
                .collect(),
            share_ticks: [0.0, 25.0, 50.0, 75.0, 100.0]
                .iter()
                .map(|v| Tick { x: v / 100.0 * panel as f64, label: format!("{v}%") })
                .collect(),
            rows,
        }
    }

    /// The heatmap of mentions per 1,000 words, from the session matrix.
    fn heatmap(&self) -> PolarsResult<Heatmap> {
        let Sections { corpus, tables, book, parent, .. } = self;
        let sm = &tables.session_matrix;
        // A heatmap column per session reads well up to a few dozen sessions; beyond that the
        // page names session_matrix.csv instead.
        let session_ids: Vec<String> = if corpus.sessions.len() <= MAX_HEATMAP_SESSIONS {
            corpus.sessions.iter().map(|s| s.id.clone()).collect()
        } else {
            Vec::new()
        };
        let mut rates = Vec::new();
        let mut counts = Vec::new();
        for id in &session_ids {
            rates.push(floats(sm, &format!("{id}_per_1000_words"))?);
            counts.push(numbers(sm, &format!("{id}_mentions"))?);
        }
        // The colour scale runs to the highest rate of a theme with rules of its own; parents,
        // which add up their sub-themes, take the darkest colour when above it.
        let max_rate = rates
            .iter()
            .flat_map(|r| r.iter().enumerate().filter(|(k, _)| !parent[*k]).map(|(_, v)| *v))
            .fold(0.0, f64::max);
        let shown = self.heatmap_themes(session_ids.len());
        let heat_rows: Vec<HeatRow> = book
            .themes
            .iter()
            .enumerate()
            .filter(|(k, _)| shown[*k])
            .map(|(k, t)| HeatRow {
                label: t.label.clone(),
                number: t.number.clone(),
                indent: t.depth as u32,
                parent: parent[k],
                cells: (0..session_ids.len())
                    .map(|s| {
                        let (fill, ink) =
                            blue(if max_rate > 0.0 { rates[s][k] / max_rate } else { 0.0 });
                        Cell {
                            text: format!("{:.1}", rates[s][k]),
                            title: format!(
                                "{}: {} in {} ({:.2} per 1,000 words)",
                                t.label,
                                plural(counts[s][k] as usize, "mention"),
                                session_ids[s],
                                rates[s][k]
                            ),
                            fill,
                            ink,
                        }
                    })
                    .collect(),
            })
            .collect();
        let left_out_of = (heat_rows.len() < book.themes.len()).then_some(book.themes.len());
        let max = format!("{max_rate:.1}");
        Ok(Heatmap { columns: session_ids, rows: heat_rows, max, left_out_of })
    }

    /// Which themes are heatmap rows with `columns` sessions: all of them, or the most
    /// mentioned as many as [`MAX_HEATMAP_CELLS`] allows.
    fn heatmap_themes(&self, columns: usize) -> Vec<bool> {
        let n = self.book.themes.len();
        let room = (MAX_HEATMAP_CELLS / columns.max(1)).max(1);
        let mut shown = vec![false; n];
        for k in self.most_mentioned((0..n).collect(), room) {
            shown[k] = true;
        }
        shown
    }

    /// The leaf themes the co-occurrence matrix shows, in codebook order: all of them, or the
    /// [`MAX_MATRIX_THEMES`] most mentioned.
    fn matrix_themes(&self) -> (Vec<usize>, usize) {
        let leaves: Vec<usize> = (0..self.book.themes.len()).filter(|&k| !self.parent[k]).collect();
        let all = leaves.len();
        (self.most_mentioned(leaves, MAX_MATRIX_THEMES), all)
    }

    /// Of `themes` (ascending), the `n` most mentioned (ties: codebook order first), in
    /// codebook order; all of them when there are no more than `n`.
    fn most_mentioned(&self, mut themes: Vec<usize>, n: usize) -> Vec<usize> {
        if themes.len() > n {
            themes.sort_by(|&a, &b| self.mentions[b].cmp(&self.mentions[a]).then(a.cmp(&b)));
            themes.truncate(n);
            themes.sort_unstable();
        }
        themes
    }

    /// The co-occurrence of leaf themes, and the five pairs most often coded together.
    fn cooccurrence(&self) -> PolarsResult<Matrix> {
        let Sections { tables, book, ids, parent, .. } = self;
        let co = &tables.cooccurrence;
        let (ta, tb, both, jac) = (
            strings(co, "theme_a")?,
            strings(co, "theme_b")?,
            numbers(co, "both")?,
            floats(co, "jaccard")?,
        );
        let (shown, leaves) = self.matrix_themes();
        let index: HashMap<&str, usize> =
            ids.iter().enumerate().map(|(k, id)| (id.as_str(), k)).collect();
        let theme = |id: &str| index.get(id).copied().filter(|&k| !parent[k]);
        let position = |k: usize| shown.iter().position(|&s| s == k);
        let n = shown.len();
        let mut grid: Vec<Vec<Option<Cell>>> =
            (0..n).map(|i| (0..i).map(|_| None).collect()).collect();
        let max_jaccard = jac.iter().copied().fold(0.0, f64::max);
        let mut ranked: Vec<(f64, String)> = Vec::new();
        for r in 0..ta.len() {
            let (Some(ka), Some(kb)) = (theme(&ta[r]), theme(&tb[r])) else { continue };
            // The later theme of the codebook first: the matrix's row, then its column.
            let (ka, kb) = if ka > kb { (ka, kb) } else { (kb, ka) };
            let (la, lb) = (&book.themes[ka].label, &book.themes[kb].label);
            let units = plural(both[r] as usize, tables.unit.as_str());
            if both[r] > 0 {
                ranked
                    .push((jac[r], format!("“{la}” and “{lb}” ({units}, Jaccard {:.2})", jac[r])));
            }
            let (Some(i), Some(j)) = (position(ka), position(kb)) else { continue };
            let (fill, ink) = blue(if max_jaccard > 0.0 { jac[r] / max_jaccard } else { 0.0 });
            grid[i][j] = Some(Cell {
                text: if both[r] > 0 {
                    format!("{:.2}", jac[r]).trim_start_matches('0').to_string()
                } else {
                    String::new()
                },
                title: format!("{la} and {lb}: {units} coded with both (Jaccard {:.3})", jac[r]),
                fill,
                ink,
            });
        }
        ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
        Ok(Matrix {
            unit: tables.unit.as_str(),
            labels: shown
                .iter()
                .map(|&k| (book.themes[k].number.clone(), book.themes[k].label.clone()))
                .collect(),
            rows: grid,
            top: ranked.into_iter().take(5).map(|(_, t)| t).collect(),
            leaves,
            left_out: leaves - n,
        })
    }

    /// Quotes shown per theme when [`MAX_PAGE_QUOTES`] allows fewer than were chosen.
    fn quotes_per_theme(&self) -> Option<usize> {
        let quotes = &self.corpus.quotes;
        let quoted = quotes.iter().filter(|q| !q.chosen.is_empty()).count();
        let most = quotes.iter().map(|q| q.chosen.len()).max().unwrap_or(0);
        let per_theme = (MAX_PAGE_QUOTES / quoted.max(1)).max(1);
        (per_theme < most).then_some(per_theme)
    }

    /// The quotes, theme by theme: at most `per_theme` each when given.
    fn quotes(&self, per_theme: Option<usize>) -> Vec<ThemeQuotes> {
        let Sections { corpus, book, .. } = self;
        let cb = &corpus.codebook;
        cb.order()
            .iter()
            .zip(&book.themes)
            .map(|(&ti, t)| {
                let quoted = &corpus.quotes[ti];
                let shown =
                    &quoted.chosen[..quoted.chosen.len().min(per_theme.unwrap_or(usize::MAX))];
                ThemeQuotes {
                    code: t.code.clone(),
                    number: t.number.clone(),
                    label: t.label.clone(),
                    summary: if quoted.turns == 0 {
                        "No mentions.".to_string()
                    } else {
                        format!(
                            "{} in {}; {} shown.",
                            plural(quoted.mentions, "mention"),
                            plural(quoted.turns, "turn"),
                            plural(shown.len(), "quote")
                        )
                    },
                    quotes: shown.iter().map(|q| quote_finding(corpus, q, false, false)).collect(),
                }
            })
            .collect()
    }

    /// The sessions listed (at most `MAX_LISTED_SESSIONS`).
    fn sessions(&self) -> Vec<SessionRow> {
        let corpus = self.corpus;
        corpus
            .sessions
            .iter()
            .take(MAX_LISTED_SESSIONS)
            .map(|s| SessionRow {
                id: s.id.clone(),
                title: s.title.clone().unwrap_or_default(),
                date: s.date.clone().unwrap_or_default(),
                speakers: s.counted_people().count(),
                words: thousands(s.counted_words as u64),
                attributes: s
                    .attributes
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect()
    }

    /// The numbers at the top of the page.
    fn summary(&self) -> Summary {
        let Sections { corpus, tables, mentions, .. } = self;
        let cb = &corpus.codebook;
        let turns = corpus.counted_turns();
        Summary {
            sessions: corpus.sessions.len(),
            participants: self.participants,
            words: thousands(corpus.counted_words() as u64),
            turns,
            mentions: corpus.mention_count() as usize,
            themes: cb.themes.len(),
            themes_found: mentions.iter().filter(|&&m| m > 0).count(),
            unit: tables.unit.as_str(),
            counted: if corpus.options.include_moderators {
                "participants and moderators"
            } else {
                "participants"
            },
            codebook: cb.path.display().to_string(),
            counted_one: if corpus.options.include_moderators {
                "participant or moderator"
            } else {
                "participant"
            },
        }
    }
}

fn view<'a>(
    corpus: &Corpus,
    tables: &Tables,
    comparison: Option<&Comparison>,
    findings: &'a Findings,
    max_quotes: Option<usize>,
) -> PolarsResult<Page<'a>> {
    let sections = Sections::of(corpus, tables)?;
    let quotes_per_theme = sections.quotes_per_theme();
    Ok(Page {
        title: corpus.codebook.name.clone(),
        version: env!("CARGO_PKG_VERSION"),
        summary: sections.summary(),
        unlisted: corpus.sessions.len().saturating_sub(MAX_LISTED_SESSIONS),
        sessions: sections.sessions(),
        bars: sections.bars(),
        heatmap: sections.heatmap()?,
        cooccurrence: sections.cooccurrence()?,
        quotes: sections.quotes(quotes_per_theme),
        quotes_per_theme,
        max_quotes,
        comparison: comparison.map(|c| comparison_view(c, &sections.book)),
        findings,
        questions: &findings.questions[..findings.questions.len().min(MAX_LISTED_QUESTIONS)],
        questions_unlisted: findings.questions.len().saturating_sub(MAX_LISTED_QUESTIONS),
        question_themes: MAX_QUESTION_THEMES,
    })
}

fn comparison_view(c: &Comparison, book: &CodebookView) -> ComparisonView {
    let two = c.groups.len() == 2;
    let rows: Vec<ComparisonRow> = c
        .themes
        .iter()
        .zip(&book.themes)
        .map(|(t, b)| {
            let (statistic, p, adjusted_p, effect, significant, flagged) = match &t.test {
                None => (
                    String::new(),
                    String::new(),
                    "not mentioned".to_string(),
                    String::new(),
                    false,
                    false,
                ),
                Some(test) => {
                    let effect = effect(c, test);
                    (
                        format!("{:.2}", test.statistic),
                        crate::display::p_for_people(test.p),
                        match test.adjusted_p {
                            Some(p) => crate::display::p_for_people(p),
                            None => "not tested†".to_string(),
                        },
                        effect,
                        test.significant,
                        test.low_expected,
                    )
                }
            };
            ComparisonRow {
                number: b.number.clone(),
                label: t.label.clone(),
                indent: t.depth,
                parent: b.rules.is_empty(),
                cells: t
                    .cells
                    .iter()
                    .map(|cell| {
                        format!(
                            "{} ({:.1}) · {:.0}%",
                            cell.mentions,
                            cell.per_1000_words,
                            cell.speaker_share * 100.0
                        )
                    })
                    .collect(),
                statistic,
                p,
                adjusted_p,
                effect,
                significant,
                flagged,
            }
        })
        .collect();
    ComparisonView {
        by: c.by.clone(),
        grouping: c.grouping.describe(),
        two_groups: two,
        groups: c
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone(),
                words: thousands(g.words as u64),
                speakers: g.speakers,
                sessions: g.sessions,
            })
            .collect(),
        left_out: if c.left_out.words > 0 {
            format!(
                "{} words in {} turns have no value for `{}` and are in no group.",
                thousands(c.left_out.words as u64),
                c.left_out.turns,
                c.by
            )
        } else {
            String::new()
        },
        tests: c.tests,
        alpha: format!("{}", c.alpha),
        significant: rows.iter().filter(|r| r.significant).map(|r| r.label.clone()).collect(),
        flagged: rows.iter().filter(|r| r.flagged).count(),
        rows,
    }
}

/// How a tested theme's groups differ: the group it is more frequent in (two groups), or the
/// groups whose residual is beyond ±1.96.
fn effect(c: &Comparison, test: &Test) -> String {
    if c.groups.len() == 2 {
        match (&test.more_in, test.log_ratio) {
            (Some(group), Some(lr)) => format!("more in {group} (log ratio {lr:+.2})"),
            _ => String::new(),
        }
    } else {
        let residuals = test.residuals.clone().unwrap_or_default();
        c.groups
            .iter()
            .zip(&residuals)
            .filter(|(_, r)| r.abs() >= 1.96)
            .map(|(g, r)| format!("{} {r:+.1}", g.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The HTML report of a run.
pub fn render(
    corpus: &Corpus,
    tables: &Tables,
    comparison: Option<&Comparison>,
    findings: &Findings,
    max_quotes: Option<usize>,
) -> Result<String> {
    let page = view(corpus, tables, comparison, findings, max_quotes)
        .map_err(|e| Error::table("report.html", e))?;
    let cb = CodebookView::of(&corpus.codebook);
    super::templates::render(
        "report.html",
        minijinja::context! {
            page => minijinja::value::Serde(&page),
            cb => minijinja::value::Serde(&cb),
            style => super::templates::STYLE,
            id_prefix => "cb-",
        },
    )
    .map_err(|e| Error::Output {
        path: std::path::PathBuf::from("report.html"),
        message: format!("could not be rendered: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(49.0), [0.0, 20.0, 40.0]);
        assert_eq!(ticks(10.0), [0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(ticks(0.0), [0.0]);
    }

    #[test]
    fn colours_run_from_white_to_dark_blue() {
        assert_eq!(blue(0.0), ("#f7fbff".to_string(), "#1d2433"));
        assert_eq!(blue(1.0), ("#08306b".to_string(), "#ffffff"));
    }
}
