//! The help texts of the options several commands share, written once. The README's table
//! "One vocabulary of options" lists them, and `tests/vocabulary.rs` checks that every
//! command's `--help` agrees with it.

/// Positional transcript files or folders.
pub const PATHS: &str =
    "Transcript files or folders (folders are searched recursively, hidden files \
    skipped) [default: the bundled example]";

/// `-q, --quiet`.
pub const QUIET: &str =
    "No progress bar and no summary; errors, warnings and notes still go to stderr";

/// `--threads N`.
pub const THREADS: &str = "Worker threads for reading and coding [default: one per core]; the \
    output is the same for any number";

/// `--include-moderators`.
pub const INCLUDE_MODERATORS: &str =
    "Code and count moderator turns too (they are left out by default)";

/// `--input-format FORMAT`.
pub const INPUT_FORMAT: &str = "The transcript format: read every transcript as text, vtt, srt, \
    sbv, docx, odt, csv or tsv, whatever its extension [default: from each file's extension]";

/// `--format FORMAT` of the commands that print text, CSV or JSON.
pub const FORMAT: &str =
    "The output format: text (for people), csv or json (for machines) [default: text]";

/// `-o, --out FILE` of the commands that print their result.
pub const OUT_FILE: &str =
    "Where the output goes: this file (written atomically) instead of stdout";

/// The note printed when a deprecated `--format` names the transcript format.
pub fn deprecated_format_note(command: &str) -> String {
    format!(
        "note: `{command} --format` is now `--input-format` (the transcript format); \
         `--format` will name an output format in a later release"
    )
}
