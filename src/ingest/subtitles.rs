//! Subtitle transcripts: WebVTT (Zoom and Teams exports), SRT and SubViewer (`.sbv`,
//! YouTube's caption download). Cues become turns:
//! consecutive cues of one speaker merge into one turn (timestamped with the first cue's
//! start), and cues without a speaker continue the previous turn.

use std::path::Path;
use std::sync::Arc;

use super::decode::lines;
use super::text::{is_speaker_label, push_line, speaker_key, SpeakerTable};
use super::timestamp;
use crate::error::{Error, Result};
use crate::model::{Format, Session, Timestamp, Turn, Warning, WarningKind};

/// The label given to text spoken before any speaker is named.
pub const UNKNOWN_SPEAKER: &str = "Unknown speaker";

/// One cue: its start, and its payload lines (file line, text).
#[derive(Debug)]
struct Cue<'a> {
    start: Timestamp,
    payload: Vec<(usize, &'a str)>,
}

/// The non-blank blocks of a file, each a list of (line number, line).
fn blocks<'a>(all: &[(usize, &'a str)]) -> Vec<Vec<(usize, &'a str)>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for &(n, l) in all {
        if l.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push((n, l));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Splits a block into cues: (timing line, payload lines). Exports that leave out the blank
/// line between cues are handled: a timing line starts a new cue, and a line of digits just
/// before it is that cue's number, not the previous cue's text. A block whose first or
/// second line is no timing line is returned as `Err` with its first line.
#[allow(clippy::type_complexity)]
fn split_cues<'a>(
    block: &[(usize, &'a str)],
) -> std::result::Result<Vec<((usize, &'a str), Vec<(usize, &'a str)>)>, (usize, &'a str)> {
    let timings: Vec<usize> =
        block.iter().enumerate().filter(|(_, (_, l))| l.contains("-->")).map(|(i, _)| i).collect();
    if timings.first().is_none_or(|&t| t > 1) {
        return Err(block[0]);
    }
    let is_number = |l: &str| l.trim().bytes().all(|b| b.is_ascii_digit());
    let mut cues = Vec::new();
    for (k, &t) in timings.iter().enumerate() {
        let mut end = timings.get(k + 1).copied().unwrap_or(block.len());
        if end < block.len() && end > t + 1 && is_number(block[end - 1].1) {
            end -= 1;
        }
        cues.push((block[t], block[t + 1..end].to_vec()));
    }
    Ok(cues)
}

/// Parses a timing line `START --> END [settings]` (SubViewer's `START,END` with `between`
/// `,`), whose fractions follow `separator`.
fn parse_timing(
    path: &Path,
    (number, line): (usize, &str),
    (between, separator): (&str, char),
    example: &str,
) -> Result<Timestamp> {
    let bad = || {
        Error::transcript(
            path,
            Some(number),
            format!("invalid cue timing \"{}\"; expected `{example}`", line.trim()),
        )
    };
    let (start, rest) = line.split_once(between).ok_or_else(bad)?;
    let end = rest.split_whitespace().next().ok_or_else(bad)?;
    let start = timestamp::parse_cue(start.trim(), separator).ok_or_else(bad)?;
    let end = timestamp::parse_cue(end, separator).ok_or_else(bad)?;
    if end.millis < start.millis {
        return Err(Error::transcript(
            path,
            Some(number),
            format!(
                "cue timing \"{}\" ends before it starts; correct the times (expected \
                 `{example}`)",
                line.trim()
            ),
        ));
    }
    Ok(start)
}

/// Reads a WebVTT file.
pub fn parse_vtt(path: &Path, text: &str) -> Result<Session> {
    let all = lines(text.strip_prefix('\u{FEFF}').unwrap_or(text));
    let Some(&(first_line, first)) = all.iter().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(Error::transcript(
            path,
            None,
            "the file is empty; expected a WebVTT file starting with `WEBVTT`",
        ));
    };
    let header = first.trim_start();
    if !(header == "WEBVTT" || header.starts_with("WEBVTT ") || header.starts_with("WEBVTT\t")) {
        return Err(Error::transcript(
            path,
            Some(first_line),
            "not a WebVTT file: the first line must be `WEBVTT`; if this is another format, \
             give the file that format's extension",
        ));
    }
    let mut cues = Vec::new();
    // The first block is the header (WEBVTT and metadata lines).
    for block in blocks(&all).into_iter().skip(1) {
        let head = block[0].1.trim();
        if ["NOTE", "STYLE", "REGION"].iter().any(|k| {
            head == *k || head.starts_with(&format!("{k} ")) || head.starts_with(&format!("{k}\t"))
        }) {
            continue;
        }
        let split = split_cues(&block).map_err(|(number, line)| {
            Error::transcript(
                path,
                Some(number),
                format!(
                    "cue \"{}\" has no timing line; expected `00:01.000 --> 00:04.000` \
                     (after an optional cue identifier)",
                    line.trim()
                ),
            )
        })?;
        for (timing, payload) in split {
            let start = parse_timing(path, timing, ("-->", '.'), "00:01:02.500 --> 00:01:04.000")?;
            cues.push(Cue { start, payload });
        }
    }
    cues_to_session(path, Format::Vtt, cues)
}

/// Reads an SRT file.
pub fn parse_srt(path: &Path, text: &str) -> Result<Session> {
    let all = lines(text);
    let mut cues = Vec::new();
    for block in blocks(&all) {
        let split = split_cues(&block).map_err(|(number, _)| {
            Error::transcript(
                path,
                Some(number),
                "expected an SRT cue: a number, then a timing line such as \
                 `00:01:02,500 --> 00:01:04,000`, then the text",
            )
        })?;
        for (timing, payload) in split {
            let start = parse_timing(path, timing, ("-->", ','), "00:01:02,500 --> 00:01:04,000")?;
            cues.push(Cue { start, payload });
        }
    }
    if cues.is_empty() {
        return Err(Error::transcript(path, None, "no cues found; expected numbered SRT cues"));
    }
    cues_to_session(path, Format::Srt, cues)
}

/// The SubViewer timing line: `0:00:01.000,0:00:04.000`.
const SBV_TIMING: &str = "0:00:01.000,0:00:04.000";

/// Reads a SubViewer file (`.sbv`): cues of a timing line `0:00:01.000,0:00:04.000` and the
/// text under it, separated by blank lines (a timing line also opens a cue without one).
pub fn parse_sbv(path: &Path, text: &str) -> Result<Session> {
    let all = lines(text.strip_prefix('\u{FEFF}').unwrap_or(text));
    let is_timing = |line: &str| {
        line.trim().split_once(',').is_some_and(|(a, b)| {
            timestamp::parse_cue(a.trim(), '.').is_some()
                && b.split_whitespace()
                    .next()
                    .is_some_and(|b| timestamp::parse_cue(b, '.').is_some())
        })
    };
    let mut cues: Vec<Cue<'_>> = Vec::new();
    for block in blocks(&all) {
        for (k, &(number, line)) in block.iter().enumerate() {
            if k == 0 && !line.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                return Err(Error::transcript(
                    path,
                    Some(number),
                    format!(
                        "expected a SubViewer cue: a timing line such as `{SBV_TIMING}`, then \
                         the text (found \"{}\"); if this is another format, give the file \
                         that format's extension",
                        crate::display::shorten(line.trim(), 40)
                    ),
                ));
            }
            if k == 0 || is_timing(line) {
                let start = parse_timing(path, (number, line), (",", '.'), SBV_TIMING)?;
                cues.push(Cue { start, payload: Vec::new() });
            } else {
                cues.last_mut().expect("a cue opens each block").payload.push((number, line));
            }
        }
    }
    if cues.is_empty() {
        return Err(Error::transcript(
            path,
            None,
            format!("no cues found; expected SubViewer cues: a timing line such as `{SBV_TIMING}`, then the text"),
        ));
    }
    cues_to_session(path, Format::Sbv, cues)
}

/// Removes `<…>` tags and decodes the common character references.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    for (entity, c) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&lrm;", ""),
        ("&rlm;", ""),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ] {
        if out.contains(entity) {
            out = out.replace(entity, c);
        }
    }
    out
}

/// The speaker of a cue, from a `<v Name>` voice tag or a `Name:` prefix (after a closed
/// captions `>>`), and the first payload line without it.
fn cue_speaker(first: &str) -> (Option<String>, String) {
    let trimmed = first.trim();
    if let Some(rest) = trimmed.strip_prefix("<v") {
        if rest.starts_with([' ', '\t', '.']) {
            if let Some(close) = rest.find('>') {
                let inside = &rest[..close];
                // `<v.class Name>`: the name follows the first white space.
                let name = if inside.starts_with('.') {
                    inside.trim_start_matches(|c: char| !c.is_whitespace())
                } else {
                    inside
                }
                .trim();
                if !name.is_empty() {
                    return (
                        Some(name.to_string()),
                        strip_tags(&rest[close + 1..]).trim().to_string(),
                    );
                }
            }
        }
    }
    let plain = strip_tags(trimmed);
    // Closed captions mark a new speaker with `>>` (`>> ANA: Welcome.`).
    let labelled = plain.strip_prefix(">>").map_or(plain.as_str(), str::trim_start);
    if let Some((label, text)) = labelled.split_once(':') {
        let label = label.trim();
        if is_speaker_label(label) && !label.bytes().all(|b| b.is_ascii_digit()) {
            return (Some(label.to_string()), text.trim().to_string());
        }
    }
    (None, plain.trim().to_string())
}

/// Merges cues into turns and builds the session.
fn cues_to_session(path: &Path, format: Format, cues: Vec<Cue<'_>>) -> Result<Session> {
    let mut speakers = SpeakerTable::default();
    let mut turns: Vec<Turn> = Vec::new();
    let mut warnings = Vec::new();
    for cue in cues {
        let Some(&(first_line, first)) = cue.payload.first() else { continue };
        let (label, first_text) = cue_speaker(first);
        let mut pieces = vec![(first_line, first_text)];
        pieces.extend(cue.payload[1..].iter().map(|&(n, l)| (n, strip_tags(l).trim().to_string())));
        let key = label.as_deref().map(speaker_key);
        let continues = match (&key, turns.last()) {
            (None, Some(_)) => true,
            (Some(k), Some(last)) => speakers.key(last.speaker) == k,
            (_, None) => false,
        };
        if !continues {
            if label.is_none() {
                warnings.push(Warning::new(
                    Some(first_line),
                    WarningKind::Unlabelled,
                    format!(
                        "captions without a speaker name; read as \"{UNKNOWN_SPEAKER}\" until a \
                         cue names one (`<v Name>` or `Name: …`)"
                    ),
                ));
            }
            let label = label.unwrap_or_else(|| UNKNOWN_SPEAKER.to_string());
            let speaker = speakers.index(&label, None);
            turns.push(Turn {
                speaker,
                timestamp: Some(cue.start),
                line: first_line,
                text: String::new(),
                lines: Vec::new(),
                question: None,
            });
        }
        let turn = turns.last_mut().expect("a turn was just ensured");
        for (n, piece) in pieces {
            push_line(turn, &piece, n);
        }
    }
    if turns.is_empty() {
        return Err(Error::transcript(
            path,
            None,
            "no cue text found; the file has no captions to code",
        ));
    }
    Ok(Session {
        id: super::default_session_id(path),
        title: None,
        date: None,
        attributes: Vec::new(),
        file: Arc::new(path.to_path_buf()),
        format,
        speakers: speakers.speakers,
        turns,
        warnings,
        questions: Vec::new(),
        reading: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtt(text: &str) -> Result<Session> {
        parse_vtt(Path::new("call.vtt"), text)
    }

    fn turns(s: &Session) -> Vec<(String, String, String)> {
        s.turns
            .iter()
            .map(|t| {
                (
                    s.speakers[t.speaker].label.clone(),
                    t.timestamp.unwrap().to_string(),
                    t.text.clone(),
                )
            })
            .collect()
    }

    fn triple(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn subviewer_cues_merge_by_speaker_even_without_blank_lines() {
        let text = "0:00:01.000,0:00:03.000\n>> Ana: Welcome.\n\n0:00:03.500,0:00:05.000\n\
                    Ana: Trust takes time.\n0:01:02.250,0:01:04.000\nBen: It does.\nSlowly.\n";
        let s = parse_sbv(Path::new("captions.sbv"), text).unwrap();
        assert_eq!(s.format, Format::Sbv);
        assert_eq!(
            turns(&s),
            [
                triple("Ana", "00:00:01.000", "Welcome.\nTrust takes time."),
                triple("Ben", "00:01:02.250", "It does.\nSlowly."),
            ]
        );
        let err = parse_sbv(
            Path::new("c.sbv"),
            "0:00:01.000,0:00:02.000\nHi.\n\n0:00:0x.000,0:00:03.000\nYo.\n",
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "c.sbv:4: invalid cue timing \"0:00:0x.000,0:00:03.000\"; expected `0:00:01.000,0:00:04.000`"
        );
        assert!(parse_sbv(Path::new("c.sbv"), "\n\n")
            .unwrap_err()
            .to_string()
            .contains("no cues found"));
    }

    #[test]
    fn zoom_cues_merge_by_speaker_and_keep_the_first_start() {
        let s = vtt("\u{FEFF}WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nModerator: Welcome.\n\n2\n00:00:02.000 --> 00:00:04.000\nModerator: What makes a good organizer?\n\n3\n00:00:04.500 --> 00:00:05.500 align:start\nRosa: Trust.\nKeep your word.\n\n4\n00:00:06.000 --> 00:00:07.000\nand show up\n")
            .unwrap();
        assert_eq!(
            turns(&s),
            [
                triple("Moderator", "00:00:00.000", "Welcome.\nWhat makes a good organizer?"),
                triple("Rosa", "00:00:04.500", "Trust.\nKeep your word.\nand show up"),
            ]
        );
        assert_eq!(s.speakers[0].role, crate::model::Role::Moderator);
        assert_eq!(s.turns[1].line, 13);
        assert_eq!(s.turns[1].lines, [(0, 13), (7, 14), (23, 18)]);
        assert_eq!(s.id, "call");
    }

    #[test]
    fn teams_voice_tags_short_times_notes_and_styles() {
        let s = vtt("WEBVTT - export\nKind: captions\n\nNOTE\nmeeting notes --> not a cue\n\nSTYLE\n::cue { color: red }\n\nabc-1\n0:0:0.0 --> 0:0:0.570\n<v Yuri Bakulin>There you go.</v>\n\n0:0:0.210 --> 0:0:1.130\n<v.loud Adrian Petrescu>Why <b>hello</b> &amp; hi.</v>\n\n01:02.5 --> 01:03.000\n<v Yuri Bakulin>Ok</v>\n")
            .unwrap();
        assert_eq!(
            turns(&s),
            [
                triple("Yuri Bakulin", "00:00:00.000", "There you go."),
                triple("Adrian Petrescu", "00:00:00.210", "Why hello & hi."),
                triple("Yuri Bakulin", "00:01:02.500", "Ok"),
            ]
        );
    }

    #[test]
    fn cues_without_blank_lines_between_them_are_split_at_timing_lines() {
        let s = vtt("WEBVTT\n\n1\n00:00.000 --> 00:02.000\nEd: Welcome.\n2\n00:02.000 --> 00:04.000\nEd: Hi.\n3\n00:04.500 --> 00:05.500\nTom Miller: Hello.\n")
            .unwrap();
        assert_eq!(
            turns(&s),
            [
                triple("Ed", "00:00:00.000", "Welcome.\nHi."),
                triple("Tom Miller", "00:00:04.500", "Hello."),
            ]
        );
    }

    #[test]
    fn text_before_any_speaker_belongs_to_an_unknown_speaker() {
        let s = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n- Det är inte varmt.\n").unwrap();
        assert_eq!(turns(&s), [triple(UNKNOWN_SPEAKER, "00:00:01.000", "- Det är inte varmt.")]);
    }

    #[test]
    fn broken_vtt_files_are_errors_with_their_line() {
        assert_eq!(
            vtt("WEBVTT\n\n00:00:07.000 --> 00:00:1d.890\nCaption\n").unwrap_err().to_string(),
            "call.vtt:3: invalid cue timing \"00:00:07.000 --> 00:00:1d.890\"; expected `00:01:02.500 --> 00:01:04.000`"
        );
        assert!(vtt("1\n00:00:01.000 --> 00:00:02.000\nhi\n")
            .unwrap_err()
            .to_string()
            .starts_with("call.vtt:1: not a WebVTT file"));
        assert!(vtt("WEBVTT\n\nJust text\nmore\n")
            .unwrap_err()
            .to_string()
            .starts_with("call.vtt:3: cue \"Just text\" has no timing line"));
        assert!(vtt("WEBVTT\n").unwrap_err().to_string().contains("no cue text found"));
    }

    #[test]
    fn srt_cues_with_speakers() {
        let s = parse_srt(Path::new("g.srt"), "1\r\n00:00:00,500 --> 00:00:07,000\r\nAna: I <i>trust</i> them.\r\n\r\n2\r\n00:00:07,000 --> 00:00:11,890\r\nShe keeps her word.\r\n\r\n3\r\n00:00:12,000 --> 00:00:13,000\r\nBen: Funding.\r\n")
            .unwrap();
        assert_eq!(
            turns(&s),
            [
                triple("Ana", "00:00:00.500", "I trust them.\nShe keeps her word."),
                triple("Ben", "00:00:12.000", "Funding."),
            ]
        );
        let err = parse_srt(Path::new("g.srt"), "1\n00:00:01,000 00:00:02,000\nhi\n").unwrap_err();
        assert!(err.to_string().starts_with("g.srt:1: expected an SRT cue"), "{err}");
        let err =
            parse_srt(Path::new("g.srt"), "1\n00:00:01.000 --> 00:00:02,000\nhi\n").unwrap_err();
        assert!(err.to_string().starts_with("g.srt:2: invalid cue timing"), "{err}");
    }
}
