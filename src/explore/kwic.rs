//! Keyword in context: every match of some terms, or every mention of a theme, with the
//! words around it and where it was said.
//!
//! Terms are matched by the coding engine itself: they become the rules of a one-theme
//! codebook ([`terms_codebook`]), so a line here is exactly what the same term in a codebook
//! would match — by stem, `prefix*` or phrase, across line breaks.

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::{csv_document, one_line};
use crate::code::corpus::Analysis;
use crate::code::{Coder, Engine};
use crate::codebook::{Codebook, Language};
use crate::display::{Align, TextTable};
use crate::error::{Error, Result};
use crate::model::Session;
use crate::tokenize::{tokenize, CharOffsets};

/// The id of the one theme of a [`terms_codebook`].
pub const TERMS_THEME: &str = "terms";

/// A codebook with one theme whose terms are `terms`, in `language`; with `stemming` off,
/// one-word terms match the word exactly (as in a codebook with `stemming = false`).
pub fn terms_codebook(terms: &[String], language: Language, stemming: bool) -> Result<Codebook> {
    if terms.is_empty() {
        return Err(Error::Usage("give at least one TERM to look for".into()));
    }
    for term in terms {
        if tokenize(term).is_empty() {
            return Err(Error::Usage(format!(
                "the TERM `{term}` has no words; a term needs at least one letter or digit"
            )));
        }
    }
    Codebook::from_terms(Path::new("TERM"), TERMS_THEME, terms, language, stemming)
}

/// One line of a concordance: a match with its context and provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KwicLine {
    /// The session id.
    pub session: String,
    /// The transcript file, as named on the command line.
    pub file: String,
    /// The 1-based file line where the match starts.
    pub line: usize,
    /// The turn's number in the session, from 1.
    pub turn: usize,
    /// When the turn starts, if the transcript says.
    pub timestamp: Option<String>,
    /// The speaker's label.
    pub speaker: String,
    /// The speaker's role: participant, moderator or observer.
    pub role: &'static str,
    /// Up to the context's number of words before the match (white space runs shown as one
    /// space).
    pub left: String,
    /// The matched text.
    #[serde(rename = "match")]
    pub matched: String,
    /// Up to the context's number of words after the match.
    pub right: String,
    /// Character offset of the match in the turn's text (like `start` in mentions.csv).
    pub start: usize,
    /// Character offset of the end of the match, exclusive.
    pub end: usize,
    /// The rules that matched exactly this text: the TERMs, or the theme's rules.
    pub rules: Vec<String>,
}

/// A concordance: what was looked for and every line found, in input order and then by
/// position in the turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kwic {
    /// The TERMs looked for (empty for a theme).
    pub terms: Vec<String>,
    /// The theme whose mentions are shown, if that was asked.
    pub theme: Option<String>,
    /// Words of context on each side.
    pub context: usize,
    /// The lines.
    pub matches: Vec<KwicLine>,
}

/// The byte ranges of the left and right context of `range` in `text`: up to `n` whole
/// tokens on each side, or up to the start (end) of the turn when it has fewer.
pub fn context_ranges(
    text: &str,
    tokens: &[Range<usize>],
    range: &Range<usize>,
    n: usize,
) -> (Range<usize>, Range<usize>) {
    if n == 0 {
        return (range.start..range.start, range.end..range.end);
    }
    let before = tokens.partition_point(|t| t.end <= range.start);
    let left = if before > n { tokens[before - n].start } else { 0 };
    let after = tokens.partition_point(|t| t.start < range.end);
    let right = if tokens.len() - after > n { tokens[after + n - 1].end } else { text.len() };
    (left..range.start, range.end..right)
}

/// The line for the match `range` in turn `t` of `session`.
fn kwic_line(
    session: &Session,
    t: usize,
    tokens: &[Range<usize>],
    range: Range<usize>,
    chars: Range<usize>,
    rules: Vec<String>,
    n: usize,
) -> KwicLine {
    let turn = &session.turns[t];
    let text = &turn.text;
    let (left, right) = context_ranges(text, tokens, &range, n);
    KwicLine {
        session: session.id.clone(),
        file: session.file.display().to_string(),
        line: turn.line_of(range.start),
        turn: t + 1,
        timestamp: turn.timestamp.map(|ts| ts.to_string()),
        speaker: session.speaker_of(turn).label.clone(),
        role: session.speaker_of(turn).role.as_str(),
        left: one_line(&text[left]),
        matched: one_line(&text[range.clone()]),
        right: one_line(&text[right]),
        start: chars.start,
        end: chars.end,
        rules,
    }
}

/// Every match of the rules of `codebook` (a [`terms_codebook`]) in every turn of
/// `sessions`, whoever speaks, with `n` words of context. Matches of several terms on the
/// same text are one line listing those terms.
pub fn search(sessions: &[Session], codebook: &Codebook, n: usize) -> Vec<KwicLine> {
    let engine = Engine::new(codebook);
    let rules = engine.rules();
    let per_session: Vec<Vec<KwicLine>> = sessions
        .par_iter()
        .map_init(
            || Coder::new(&engine),
            |coder, session| {
                let mut lines = Vec::new();
                for (t, turn) in session.turns.iter().enumerate() {
                    let mut found: Vec<(Range<usize>, usize)> = coder
                        .explain(&turn.text)
                        .into_iter()
                        .filter(|m| m.vetoed_by.is_none())
                        .map(|m| (m.range, m.rule))
                        .collect();
                    if found.is_empty() {
                        continue;
                    }
                    found.sort_by_key(|(r, rule)| (r.start, r.end, *rule));
                    let tokens = tokenize(&turn.text);
                    let mut offsets = CharOffsets::new(&turn.text);
                    let mut i = 0;
                    while i < found.len() {
                        let range = found[i].0.clone();
                        let mut terms = Vec::new();
                        while i < found.len() && found[i].0 == range {
                            terms.push(rules[found[i].1].text.clone());
                            i += 1;
                        }
                        let chars = offsets.range(&range);
                        lines.push(kwic_line(session, t, &tokens, range, chars, terms, n));
                    }
                }
                lines
            },
        )
        .collect();
    per_session.concat()
}

/// Every mention of `theme` in the coded corpus (the mentions `analyze` counts, sub-themes'
/// included), with `n` words of context.
pub fn theme_mentions(analysis: &Analysis, theme: usize, n: usize) -> Vec<KwicLine> {
    let rules = analysis.engine.rules();
    let mut lines = Vec::new();
    for coded in &analysis.sessions {
        let mut tokens: Option<(usize, Vec<Range<usize>>)> = None;
        for m in coded.mentions.iter().filter(|m| m.theme == theme) {
            if tokens.as_ref().is_none_or(|(t, _)| *t != m.turn) {
                tokens = Some((m.turn, tokenize(&coded.session.turns[m.turn].text)));
            }
            let turn_tokens = &tokens.as_ref().expect("set above").1;
            let rule_texts = m.rules.iter().map(|&r| rules[r].text.clone()).collect();
            lines.push(kwic_line(
                &coded.session,
                m.turn,
                turn_tokens,
                m.bytes.clone(),
                m.chars.clone(),
                rule_texts,
                n,
            ));
        }
    }
    lines
}

/// The concordance for people: one line per match — session, speaker (with the role when
/// not a participant), `file:line`, the left context right-aligned, the match in `[…]`, the
/// right context — then a count.
pub fn render_text(kwic: &Kwic) -> String {
    let who = |l: &KwicLine| {
        if l.role == "participant" {
            l.speaker.clone()
        } else {
            format!("{} ({})", l.speaker, l.role)
        }
    };
    let loc = |l: &KwicLine| format!("{}:{}", l.file, l.line);
    let mut table = TextTable::headless(5);
    table.align(3, Align::Right).gap_before(4, 0).keep_trailing_space();
    for l in &kwic.matches {
        let matched = format!("[{}]{}", l.matched, l.right);
        table.row(vec![l.session.clone(), who(l), loc(l), l.left.clone(), matched]);
    }
    let mut out = table.render();
    let n = kwic.matches.len();
    let mut turns: Vec<(&str, usize)> =
        kwic.matches.iter().map(|l| (l.session.as_str(), l.turn)).collect();
    turns.dedup();
    let mut sessions: Vec<&str> = turns.iter().map(|(s, _)| *s).collect();
    sessions.dedup();
    let what = match &kwic.theme {
        Some(id) => format!("{} of theme `{id}`", if n == 1 { "mention" } else { "mentions" }),
        None => (if n == 1 { "match" } else { "matches" }).to_string(),
    };
    if n == 0 {
        out.push_str(&format!("no {what}\n"));
    } else {
        out.push_str(&format!(
            "{} {what} in {} of {}\n",
            crate::display::thousands(n),
            crate::display::count(turns.len(), "turn"),
            crate::display::count(sessions.len(), "session")
        ));
    }
    out
}

/// The concordance as CSV, one row per match.
pub fn render_csv(kwic: &Kwic) -> String {
    csv_document(
        &[
            "session",
            "file",
            "line",
            "turn",
            "timestamp",
            "speaker",
            "role",
            "left",
            "match",
            "right",
            "start",
            "end",
            "rules",
        ],
        kwic.matches.iter().map(|l| {
            vec![
                l.session.clone(),
                l.file.clone(),
                l.line.to_string(),
                l.turn.to_string(),
                l.timestamp.clone().unwrap_or_default(),
                l.speaker.clone(),
                l.role.to_string(),
                l.left.clone(),
                l.matched.clone(),
                l.right.clone(),
                l.start.to_string(),
                l.end.to_string(),
                l.rules.join("; "),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::corpus::CodingOptions;
    use crate::ingest::text::{parse, TextOptions};

    /// A small session: a moderator question, then two participants; Ana's turn runs over
    /// two lines.
    const SESSION: &str = "\
Moderator: Do you trust the council?
Ana: I trusted them once. They keep their
word, mostly. Trusting is hard; the trustee disagrees.
Ben: Credibility matters, and credible people are incredible.
";

    fn session() -> Session {
        parse(std::path::Path::new("g1.txt"), SESSION, &TextOptions::default()).unwrap()
    }

    fn kwic(terms: &[&str], n: usize) -> Vec<KwicLine> {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let cb = terms_codebook(&terms, Language::english(), true).unwrap();
        search(&[session()], &cb, n)
    }

    /// `session speaker line [left][match][right]`, compactly.
    fn show(lines: &[KwicLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                format!("{} {}:{} {}[{}]{}", l.speaker, l.role, l.line, l.left, l.matched, l.right)
            })
            .collect()
    }

    #[test]
    fn one_word_matches_by_stem_in_every_turn() {
        // The English stemmer: trust, trusted, trusting → "trust"; trustee → "truste".
        let stem = Language::english().stemmer();
        assert_eq!(stem.stem("trusted"), "trust");
        assert_eq!(stem.stem("trusting"), "trust");
        assert_eq!(stem.stem("trustee"), "truste");
        assert_eq!(
            show(&kwic(&["trust"], 3)),
            [
                "Moderator moderator:1 Do you [trust] the council?",
                "Ana participant:2 I [trusted] them once. They",
                "Ana participant:3 their word, mostly. [Trusting] is hard; the",
            ]
        );
    }

    #[test]
    fn exact_matching_takes_the_word_only() {
        let cb = terms_codebook(&["trusted".into()], Language::english(), false).unwrap();
        let lines = search(&[session()], &cb, 1);
        assert_eq!(show(&lines), ["Ana participant:2 I [trusted] them"]);
    }

    #[test]
    fn a_wildcard_matches_word_beginnings() {
        assert_eq!(
            show(&kwic(&["credib*"], 2)),
            [
                "Ben participant:4 [Credibility] matters, and",
                "Ben participant:4 matters, and [credible] people are",
            ]
        );
    }

    #[test]
    fn a_phrase_matches_across_a_line_break() {
        let lines = kwic(&["keep their word"], 2);
        assert_eq!(
            show(&lines),
            ["Ana participant:2 once. They [keep their word], mostly. Trusting"]
        );
        // Offsets are characters in the turn text, where the line break is one character.
        assert_eq!((lines[0].start, lines[0].end), (26, 41));
        assert_eq!(lines[0].rules, ["keep their word"]);
    }

    #[test]
    fn context_stops_at_the_turn_start_and_end() {
        assert_eq!(
            show(&kwic(&["disagrees", "ana"], 50)),
            ["Ana participant:3 I trusted them once. They keep their word, mostly. \
                 Trusting is hard; the trustee [disagrees]."]
        );
        assert_eq!(show(&kwic(&["do"], 0)), ["Moderator moderator:1 [Do]"]);
    }

    #[test]
    fn several_terms_on_the_same_words_make_one_line() {
        let lines = kwic(&["trust", "trust*"], 1);
        assert_eq!(lines.len(), 4, "trust, trusted, trusting, trustee");
        assert_eq!(lines[0].rules, ["trust", "trust*"]);
        assert_eq!(lines[3].matched, "trustee");
        assert_eq!(lines[3].rules, ["trust*"]);
    }

    #[test]
    fn the_text_listing_aligns_and_highlights() {
        let k = Kwic {
            terms: vec!["trust".into()],
            theme: None,
            context: 2,
            matches: kwic(&["trust"], 2),
        };
        assert_eq!(
            render_text(&k),
            "\
g1  Moderator (moderator)  g1.txt:1         Do you [trust] the council?
g1  Ana                    g1.txt:2              I [trusted] them once
g1  Ana                    g1.txt:3  word, mostly. [Trusting] is hard
3 matches in 2 turns of 1 session
"
        );
        let none = Kwic { matches: Vec::new(), ..k };
        assert_eq!(render_text(&none), "no matches\n");
    }

    #[test]
    fn csv_has_one_row_per_match_with_character_offsets() {
        let k = Kwic { terms: vec![], theme: None, context: 2, matches: kwic(&["hard"], 2) };
        assert_eq!(
            render_csv(&k),
            "session,file,line,turn,timestamp,speaker,role,left,match,right,start,end,rules\n\
             g1,g1.txt,3,2,,Ana,participant,Trusting is ,hard,; the trustee,63,67,hard\n"
        );
    }

    #[test]
    fn a_term_without_words_is_refused() {
        let err = terms_codebook(&["--".into()], Language::english(), true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the TERM `--` has no words; a term needs at least one letter or digit"
        );
    }

    #[test]
    fn theme_mode_shows_the_mentions_of_the_coding() {
        let cb = Codebook::from_toml_str(
            std::path::Path::new("cb.toml"),
            "[[theme]]\nid = \"trust\"\nterms = [\"trust\"]\nexclude = [\"trustee\"]\n",
        )
        .unwrap();
        let analysis = Analysis::run(cb, vec![session()], CodingOptions::default());
        let lines = theme_mentions(&analysis, 0, 1);
        // The moderator's turn is not coded, as in `analyze`.
        assert_eq!(
            show(&lines),
            ["Ana participant:2 I [trusted] them", "Ana participant:3 mostly. [Trusting] is"]
        );
        assert_eq!(lines[0].rules, ["trust"]);
    }
}
