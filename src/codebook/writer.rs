//! Writing a codebook in the forms that share the TOML structure: TOML, JSON and YAML.

use super::doc::Document;
use super::Codebook;

/// The TOML form: a `[codebook]` table, then one `[[theme]]` table per theme in file order.
pub(super) fn toml(cb: &Codebook) -> String {
    ::toml::to_string_pretty(&Document::of(cb)).expect("a codebook document is valid TOML")
}

/// The JSON form, pretty-printed, ending with a newline.
pub(super) fn json(cb: &Codebook) -> String {
    let mut text =
        serde_json::to_string_pretty(&Document::of(cb)).expect("a codebook document is valid JSON");
    text.push('\n');
    text
}

/// The YAML form.
pub(super) fn yaml(cb: &Codebook) -> String {
    yaml_serde::to_string(&Document::of(cb)).expect("a codebook document is valid YAML")
}
