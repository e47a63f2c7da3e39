//! REFI-QDA projects (`.qdpx`, the QDA-XML Project 1.0 standard): a coded study written for
//! NVivo, ATLAS.ti, MAXQDA and QualCoder ([`export`]), and projects coded by people in those
//! tools read back into qualkit's mentions table ([`import`]).
//!
//! A `.qdpx` is a zip archive holding `project.qde` (the XML: users, the codebook, variables,
//! cases and sources with their coded selections) and the text of each source in
//! `sources/<guid>.txt`. Selections are character ranges of that text: Unicode code points
//! counted from 0, the end exclusive.
//!
//! qualkit writes each session as one text source with one turn per paragraph, each
//! starting with its `[timestamp] Speaker: ` label, so that the turns can be found again
//! when the project comes back ([`export::render_source`]).

pub mod export;
pub mod import;

use uuid::Uuid;

/// The namespace of QDA-XML projects.
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";

/// The namespace of the GUIDs qualkit gives the parts of a project other than codes (users,
/// sources, selections, codings, cases, variables): the UUID v5 of the name
/// `urn:qualkit:refi-qda:project` in the RFC 4122 URL namespace. Codes keep the GUIDs of
/// [`crate::codebook::code_guid`], as in `.qdc` codebooks.
pub const PROJECT_GUID_NAMESPACE: Uuid = Uuid::from_u128(0x42e90253_0ca5_524f_9b6d_3e2a455c42df);

/// The GUID of a part of a project: the UUID v5 of `kind` and `parts` (joined with U+001F,
/// which no name holds) in [`PROJECT_GUID_NAMESPACE`]. The same parts always give the same
/// GUID, so exporting again gives the same project.
pub fn guid(kind: &str, parts: &[&str]) -> String {
    let mut name = String::from(kind);
    for p in parts {
        name.push('\u{1f}');
        name.push_str(p);
    }
    Uuid::new_v5(&PROJECT_GUID_NAMESPACE, name.as_bytes()).hyphenated().to_string()
}

/// Whether XML 1.0 can carry `c`.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guid_namespace_is_the_documented_one() {
        assert_eq!(
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:qualkit:refi-qda:project"),
            PROJECT_GUID_NAMESPACE
        );
    }

    #[test]
    fn guids_are_stable_and_distinct() {
        assert_eq!(guid("source", &["mc-01"]), guid("source", &["mc-01"]));
        assert_ne!(guid("source", &["mc-01"]), guid("case", &["mc-01"]));
        // The separator keeps ("a", "bc") and ("ab", "c") apart.
        assert_ne!(guid("x", &["a", "bc"]), guid("x", &["ab", "c"]));
        assert_eq!(guid("source", &["mc-01"]).len(), 36);
    }
}
