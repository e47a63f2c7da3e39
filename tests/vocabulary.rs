//! One vocabulary of options: the README's table "One vocabulary of options" says what each
//! shared option means and which commands have it; every command's `--help` must agree.

use std::collections::{BTreeMap, BTreeSet};

use clap::CommandFactory;

/// One row of the README's table.
#[derive(Debug)]
struct Row {
    long: String,
    short: Option<char>,
    meaning: String,
    commands: BTreeSet<String>,
}

/// The rows of the README's vocabulary table.
fn readme_rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let start = readme.find("### One vocabulary of options").expect("the README has the section");
    let table = readme[start..].lines().skip_while(|l| !l.starts_with('|')).skip(2);
    table.take_while(|l| l.starts_with('|')).map(row).collect()
}

/// `| `-q, --quiet` | meaning | analyze, compare |` as a row.
fn row(line: &str) -> Row {
    let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
    assert_eq!(cells.len(), 3, "a vocabulary row has 3 cells: {line}");
    let flag = cells[0].trim_matches('`');
    let long = flag
        .split([' ', ','])
        .find_map(|w| w.strip_prefix("--"))
        .unwrap_or_else(|| panic!("no --long option in {line}"))
        .to_string();
    let short =
        flag.strip_prefix('-').filter(|f| !f.starts_with('-')).and_then(|f| f.chars().next());
    let commands = cells[2].split(", ").map(|c| c.trim_matches('`').to_string()).collect();
    Row { long, short, meaning: plain(cells[1]), commands }
}

/// Text without Markdown backticks, with white space collapsed.
fn plain(text: &str) -> String {
    text.replace('`', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every leaf command (`analyze`, `export qdpx`, …) with its visible options: long name →
/// (short, help).
fn commands() -> BTreeMap<String, BTreeMap<String, (Option<char>, String)>> {
    let mut out = BTreeMap::new();
    let root = qualkit::cli::Cli::command();
    let mut stack: Vec<(String, clap::Command)> =
        root.get_subcommands().map(|c| (c.get_name().to_string(), c.clone())).collect();
    while let Some((name, command)) = stack.pop() {
        let subs: Vec<_> = command.get_subcommands().filter(|c| c.get_name() != "help").collect();
        if !subs.is_empty() {
            stack.extend(subs.into_iter().map(|c| (format!("{name} {}", c.get_name()), c.clone())));
            continue;
        }
        let options = command
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| {
                let help = a.get_help().map(|h| plain(&h.to_string())).unwrap_or_default();
                Some((a.get_long()?.to_string(), (a.get_short(), help)))
            })
            .collect();
        out.insert(name, options);
    }
    out
}

#[test]
fn every_commands_help_agrees_with_the_readme_vocabulary() {
    let rows = readme_rows();
    assert!(rows.len() >= 10, "the table lists the shared options: {rows:?}");
    let commands = commands();
    let mut problems = Vec::new();
    for row in &rows {
        let having: BTreeSet<String> = commands
            .iter()
            .filter(|(_, options)| options.contains_key(&row.long))
            .map(|(name, _)| name.clone())
            .collect();
        if having != row.commands {
            problems.push(format!(
                "--{}: the README lists {:?}, the commands that have it are {:?}",
                row.long, row.commands, having
            ));
        }
        for name in &having {
            let (short, help) = &commands[name][&row.long];
            if *short != row.short {
                problems.push(format!(
                    "{name} --{}: short {short:?}, README {:?}",
                    row.long, row.short
                ));
            }
            if !help.to_lowercase().starts_with(&row.meaning.to_lowercase()) {
                problems.push(format!(
                    "{name} --{}: help `{help}` does not start with the README's `{}`",
                    row.long, row.meaning
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_option_several_commands_share_is_in_the_vocabulary() {
    let listed: BTreeSet<String> = readme_rows().into_iter().map(|r| r.long).collect();
    let mut count: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, options) in commands() {
        for long in options.keys().filter(|l| !["help", "version"].contains(&l.as_str())) {
            count.entry(long.clone()).or_default().push(name.clone());
        }
    }
    // Options whose meaning belongs to each command (what it counts, what it groups by)
    // are documented with the command.
    let own = [
        "by",
        "unit",
        "max",
        "language",
        "exact",
        "top",
        "min-count",
        "theme",
        "name",
        "seed",
        "force",
    ];
    let missing: Vec<String> = count
        .iter()
        .filter(|(long, names)| names.len() > 1 && !listed.contains(*long))
        .filter(|(long, _)| !own.contains(&long.as_str()))
        .map(|(long, names)| format!("--{long}: {}", names.join(", ")))
        .collect();
    assert!(
        missing.is_empty(),
        "shared options missing from the README table:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_deprecated_format_of_analyze_still_reads_the_transcript_format_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.dat");
    std::fs::write(&file, "Ana: We trust them.\n").unwrap();
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .args(["analyze", "--format", "text", "-c"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/codebooks/metaconnects.toml"))
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "note: `analyze --format` is now `--input-format` (the transcript format); `--format` \
         will name an output format in a later release"
    );
    let mentions = std::fs::read_to_string(out.join("mentions.csv")).unwrap();
    assert!(mentions.contains(",Ana,participant,"), "{mentions}");
}
