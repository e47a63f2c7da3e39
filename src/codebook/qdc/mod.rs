//! REFI-QDA codebooks (`.qdc`, the QDA-XML Codebook 1.0 standard that NVivo, ATLAS.ti,
//! MAXQDA, QualCoder, Dedoose and Taguette read or write): writing them so that qualkit reads
//! back exactly what it wrote, and reading other tools' files leniently.
//!
//! A theme is a `<Code>`: its label is the `name`, its parent the enclosing `<Code>`, its
//! colour the `color` (written only when the theme has one), and `isCodable` says whether it
//! has rules of its own. Its `definition` is the prose of the `<Description>`; everything
//! else qualkit needs (the id, brief, when to use it, rules and examples, and in the first
//! code the `[codebook]` settings) follows the prose as TOML between two marker lines, so
//! that a round trip through a tool that keeps descriptions as they are loses nothing:
//!
//! ```text
//! Talk about trust between organizers and residents.
//!
//! --- qualkit rules (kept for the round trip; edit with care) ---
//! id = "trust"
//! terms = ["trust", "credib*"]
//! --- end of qualkit rules ---
//! ```
//!
//! GUIDs are derived from theme ids ([`code_guid`]), so exporting again gives the same file.
//! Codes from other tools carry no such block: their ids come from their names, each leaf
//! gets its name as a term, and a Taguette name such as `interesting.places` is nested under
//! the code `interesting`. `isCodable` and code sets are not read.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::doc::{Header, NearDoc};

/// The namespace of QDA-XML codebooks.
const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// The namespace of QDA-XML projects, whose `<Codes>` have the same form (accepted too).
const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";

/// The line that opens the qualkit block of a description.
pub const RULES_START: &str = "--- qualkit rules (kept for the round trip; edit with care) ---";

/// How a line opening the block begins (the rest of [`RULES_START`] may have been edited).
const RULES_START_PREFIX: &str = "--- qualkit rules";

/// The line that closes the qualkit block of a description.
pub const RULES_END: &str = "--- end of qualkit rules ---";

/// The namespace of the GUIDs qualkit gives codes: the UUID v5 of the name
/// `urn:qualkit:refi-qda:code` in the RFC 4122 URL namespace. It is fixed, so that every
/// qualkit version gives a theme the same GUID in codebooks (`.qdc`) and projects (`.qdpx`).
pub const CODE_GUID_NAMESPACE: Uuid = Uuid::from_u128(0x54753e25_999c_5615_af86_b19d0c934e46);

/// The GUID of the code for the theme `theme_id`: the UUID v5 of the id in
/// [`CODE_GUID_NAMESPACE`], lower-case and hyphenated. The same id always gives the same GUID.
pub fn code_guid(theme_id: &str) -> String {
    Uuid::new_v5(&CODE_GUID_NAMESPACE, theme_id.as_bytes()).hyphenated().to_string()
}

/// A GUID as REFI-QDA files write it (in braces or not, any case) in lower-case hyphenated
/// form; `None` when it is not a GUID.
pub fn normalize_guid(guid: &str) -> Option<String> {
    Uuid::try_parse(guid.trim()).ok().map(|u| u.hyphenated().to_string())
}

/// The qualkit block of a description: the theme without what REFI-QDA carries itself
/// (label, parent, colour, definition), and in one code the codebook settings.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brief: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when_not_to_use: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    near: Vec<NearDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    examples: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    counterexamples: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    codebook: Option<Header>,
}

mod read;
mod write;

#[cfg(test)]
mod tests;

pub use read::id_from_name as id_from_code_name;
pub(crate) use read::CodeRef;
pub(super) use read::{from_list, parse, parse_codes, ListedCode};
pub(super) use write::write;

pub(crate) use write::{escape_attr, escape_text};
