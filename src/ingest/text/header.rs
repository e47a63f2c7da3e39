//! The header of a transcript: the lines before the first turn (a title, `Key: value`
//! metadata, a roster of speakers, stage notes), and the words that name roles and groups.

use std::sync::OnceLock;

use regex::Regex;

use super::forms::is_speaker_label;
use crate::ingest::timestamp::parse as parse_timestamp;
use crate::model::Role;

/// What a line before the first turn is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeaderKind {
    /// `NAME (ABBREV)` or `NAME, ROLE (ABBREV)`: the label used in the talk, the full name,
    /// and the role a role word sets.
    Roster { label: String, name: String, role: Option<Role> },
    /// `Key: value` (the key lowercased).
    Attribute { key: String, value: String },
    /// A title, heading or stage note: not a sentence.
    Heading,
    /// A sentence: the first words of the talk.
    Talk,
}

/// The most words a header line that is not a sentence may have.
const MAX_HEADING_WORDS: usize = 14;

/// What the header line `line` (trimmed, not empty) is.
pub(crate) fn classify(line: &str) -> HeaderKind {
    if let Some(roster) = roster_entry(line) {
        return roster;
    }
    if let Some((key, value)) = attribute(line) {
        return HeaderKind::Attribute { key, value };
    }
    if is_link_note(line) {
        return HeaderKind::Heading;
    }
    if is_sentence(line) {
        HeaderKind::Talk
    } else {
        HeaderKind::Heading
    }
}

/// `NAME (ABBREV)`, `NAME, ROLE (ABBREV)`.
fn roster_entry(line: &str) -> Option<HeaderKind> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^[-–—•*]?\s*(?P<name>[^(),:;]{1,60}?)(?:\s*,\s*(?P<role>[^(),:;]{1,40}?))?\s*\((?P<abbr>[\p{L}\d]{1,4})\)\s*[.;,]?$",
        )
        .expect("valid built-in pattern")
    });
    let caps = re.captures(line)?;
    let name = caps.name("name")?.as_str().trim();
    let label = caps.name("abbr")?.as_str().trim();
    if !is_speaker_label(name) || !name.starts_with(char::is_alphabetic) {
        return None;
    }
    let role = caps.name("role").and_then(|r| role_word(r.as_str())).or_else(|| role_word(name));
    Some(HeaderKind::Roster { label: label.to_string(), name: name.to_string(), role })
}

/// `Key: value`, with a key of at most 4 words that starts with a letter; not a clock time
/// (`15:00`) nor a link (`https://…`).
fn attribute(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    let (key, value) = (key.trim().trim_matches('*').trim(), value.trim().trim_matches('*').trim());
    if key.is_empty()
        || value.is_empty()
        || value.starts_with("//")
        || key.split_whitespace().count() > 4
        || key.chars().count() > 40
        || !key.starts_with(char::is_alphabetic)
        || (key.ends_with(|c: char| c.is_ascii_digit())
            && value.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    Some((key.to_lowercase(), value.to_string()))
}

/// Whether a line is a reference to a link (`David Harding sobre las propuestas:
/// https://gist.github.com/…`): a URL after a colon, at the end of the line.
fn is_link_note(line: &str) -> bool {
    let Some((before, url)) = line.rsplit_once(char::is_whitespace) else {
        return false;
    };
    let url = url.trim_start_matches('<').trim_end_matches('>');
    (url.starts_with("https://") || url.starts_with("http://")) && before.trim_end().ends_with(':')
}

/// Whether a line reads as a sentence of talk rather than a title or a note: it ends as a
/// sentence ends (`.`, `?`, `!`, `…`) and is not written in capitals, or it is long.
pub(crate) fn is_sentence(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if words > MAX_HEADING_WORDS {
        return true;
    }
    let end = line.trim_end_matches(['"', '\'', '’', '”', '»', ')', '*', '_']);
    let ends_like_sentence = end.ends_with(['.', '?', '!', '…']);
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = !letters.is_empty() && letters.iter().all(|c| !c.is_lowercase());
    ends_like_sentence && !capitals && parse_timestamp(end.trim_end_matches('.'), 2).is_none()
}

/// The role a word of a roster or a label names (`MODERADOR`, `facilitator`, `Observadora`).
pub(crate) fn role_word(text: &str) -> Option<Role> {
    text.split(|c: char| !c.is_alphanumeric()).find_map(|word| match word.to_lowercase().as_str() {
        "moderator" | "moderador" | "moderadora" | "facilitator" | "facilitador"
        | "facilitadora" | "interviewer" | "entrevistador" | "entrevistadora" | "animateur"
        | "animatrice" | "intervieweur" | "intervieweuse" | "host" => Some(Role::Moderator),
        "observer" | "observador" | "observadora" | "observateur" | "observatrice" => {
            Some(Role::Observer)
        }
        _ => None,
    })
}

/// Labels of several voices at once (`TODOS`, `Varios`, `ALL`, `Everyone`, `Tous`, `Alle`,
/// `Audience Members`).
const GROUP_LABELS: &[&str] = &[
    "todos",
    "todas",
    "varios",
    "varias",
    "all",
    "several",
    "everyone",
    "everybody",
    "group",
    "tous",
    "toutes",
    "alle",
    "many",
    "various",
    "voices",
    "voces",
    "audience members",
    "miembros del público",
    "miembros de la audiencia",
    "group members",
];

/// Whether a speaker label names several voices at once: one of [`GROUP_LABELS`], or a
/// label that opens with `various`, `several`, `varios`, `varias`, `all` or `todos`
/// (`Various Audience Members`, `Varios miembros de la audiencia`, `All participants`).
pub(crate) fn is_group_label(key: &str) -> bool {
    const OPENERS: [&str; 7] =
        ["various ", "several ", "varios ", "varias ", "all ", "todos ", "todas "];
    GROUP_LABELS.contains(&key) || OPENERS.iter().any(|o| key.starts_with(o))
}

/// Singular labels of a voice from the audience (`Audience Member`, `Miembro del público`):
/// a participant voice that may be several people.
const AUDIENCE_LABELS: &[&str] = &[
    "audience",
    "audience member",
    "member of the audience",
    "miembro del público",
    "miembro de la audiencia",
    "público",
    "publico",
    "asistente",
];

/// Whether `label` is a singular generic label of the audience (see [`AUDIENCE_LABELS`]).
pub(crate) fn is_audience_label(label: &str) -> bool {
    AUDIENCE_LABELS.contains(&super::speaker_key(label).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(label: &str, name: &str, role: Option<Role>) -> HeaderKind {
        HeaderKind::Roster { label: label.into(), name: name.into(), role }
    }

    #[test]
    fn header_lines_of_real_transcripts() {
        assert_eq!(classify("GRUPO 4 — 22/3 – 15:00 hs"), HeaderKind::Heading);
        assert_eq!(classify("Focus group 3 — Long Beach"), HeaderKind::Heading);
        assert_eq!(
            classify("SEGMENTACIÓN: nivel socio económico medio; de 20 a 30 años."),
            HeaderKind::Attribute {
                key: "segmentación".into(),
                value: "nivel socio económico medio; de 20 a 30 años.".into()
            }
        );
        assert_eq!(classify("PARTICIPANTES:"), HeaderKind::Heading);
        assert_eq!(
            classify("NOMBRE APELLIDO, MODERADOR (P)"),
            roster("P", "NOMBRE APELLIDO", Some(Role::Moderator))
        );
        assert_eq!(classify("NOMBRE (V)"), roster("V", "NOMBRE", None));
        assert_eq!(
            classify("VOZ FEMENINA NO IDENTIFICADA (FEM)"),
            roster("FEM", "VOZ FEMENINA NO IDENTIFICADA", None)
        );
        assert_eq!(classify("EL MODERADOR SE PRESENTA"), HeaderKind::Heading);
        assert_eq!(classify("All right."), HeaderKind::Talk);
        assert_eq!(classify("¿Cómo están?"), HeaderKind::Talk);
        assert_eq!(
            classify("Slides: https://example.org/x"),
            attr("slides", "https://example.org/x")
        );
        assert_eq!(classify("https://example.org/x"), HeaderKind::Heading);
    }

    fn attr(key: &str, value: &str) -> HeaderKind {
        HeaderKind::Attribute { key: key.into(), value: value.into() }
    }

    #[test]
    fn role_and_group_words() {
        assert_eq!(role_word("MODERADORA"), Some(Role::Moderator));
        assert_eq!(role_word("la animatrice"), Some(Role::Moderator));
        assert_eq!(role_word("Observador"), Some(Role::Observer));
        assert_eq!(role_word("NOMBRE"), None);
        for key in
            ["todos", "varios", "all", "everyone", "tous", "alle", "various audience members"]
        {
            assert!(is_group_label(key), "{key}");
        }
        assert!(!is_group_label("alleen"));
        assert!(!is_group_label("audience member"));
    }
}
