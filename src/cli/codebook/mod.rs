//! `qualkit codebook …`: lint a codebook, run its own examples, publish it as a document,
//! and convert it between formats. One file per subcommand.

pub mod check;
pub mod convert;
pub mod show;
pub mod suggest;
pub mod test;

/// Subcommands about codebooks.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Validate and lint a codebook: errors, then warnings, each with its line and theme.
    Check(check::Args),
    /// Run the codebook's examples and counterexamples through the coding engine.
    Test(test::Args),
    /// The codebook as a document (Markdown, HTML or CSV) for an appendix or a training binder.
    Show(show::Args),
    /// Convert a codebook between TOML, CSV, JSON, YAML, LIWC .dic and REFI-QDA .qdc.
    Convert(convert::Args),
    /// Suggest rules learned from people's coding, each measured on sessions it was not
    /// learned from; with --out, write the codebook with them.
    Suggest(Box<suggest::Args>),
}

/// Runs a `codebook` subcommand.
pub fn run(command: Command) -> crate::error::Result<crate::cli::Outcome> {
    match command {
        Command::Check(args) => check::run(args),
        Command::Test(args) => test::run(args),
        Command::Show(args) => show::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Suggest(args) => suggest::run(*args),
    }
}

/// The codebook file argument's help, shared by the subcommands.
pub(crate) const FILE_HELP: &str =
    "The codebook: TOML, or CSV, JSON, YAML, LIWC .dic or REFI-QDA .qdc by extension";
