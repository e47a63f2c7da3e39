//! Accepted suggestions written into a TOML codebook's own text: each rule appended to its
//! theme's `terms` or `near` array (or the array added after the theme's `id`), with a
//! comment saying where it came from. Nothing the researcher wrote is removed or rewritten.

use std::path::Path;

use super::Rule;
use crate::codebook::Codebook;
use crate::error::{Error, Result};

/// One rule to add to a theme, with its comment.
#[derive(Debug, Clone)]
pub struct Addition {
    /// The codebook theme.
    pub theme: usize,
    /// The rule.
    pub rule: Rule,
    /// The comment written after it (without `#`).
    pub comment: String,
}

/// `text` (the TOML of `cb`, read from `path`) with `additions` inserted.
pub fn add_rules(path: &Path, text: &str, cb: &Codebook, additions: &[Addition]) -> Result<String> {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Group by (theme, key); insert from the bottom so earlier line numbers stay valid.
    let mut groups: Vec<(usize, &'static str, Vec<&Addition>)> = Vec::new();
    for a in additions {
        let key = key_of(&a.rule);
        match groups.iter_mut().find(|(t, k, _)| *t == a.theme && *k == key) {
            Some(g) => g.2.push(a),
            None => groups.push((a.theme, key, vec![a])),
        }
    }
    let mut edits: Vec<(usize, &'static str, Vec<&Addition>)> =
        groups.into_iter().map(|(t, key, adds)| (last_line(cb, t, key), key, adds)).collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (line, key, adds) in edits {
        let items: Vec<String> = adds
            .iter()
            .map(|a| format!("    {}, # {}", a.rule.toml_value(), a.comment.replace('\n', " ")))
            .collect();
        let theme = &cb.themes[adds[0].theme];
        let has_key = match key {
            "terms" => !theme.terms.is_empty(),
            _ => !theme.near.is_empty(),
        };
        if has_key {
            append_to_array(path, &mut lines, line, &items)?;
        } else {
            let mut block = vec![format!("{key} = [")];
            block.extend(items);
            block.push("]".to_string());
            lines.splice(line..line, block);
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn key_of(rule: &Rule) -> &'static str {
    match rule {
        Rule::Term(_) => "terms",
        Rule::Near { .. } => "near",
    }
}

/// The 1-based line of theme `t`'s last item under `key`, or of its `id` when it has none.
fn last_line(cb: &Codebook, t: usize, key: &str) -> usize {
    let theme = &cb.themes[t];
    let last = match key {
        "terms" => theme.terms.iter().map(|x| x.line).max(),
        _ => theme.near.iter().map(|x| x.line).max(),
    };
    last.unwrap_or(theme.line)
}

/// Inserts `items` before the `]` that closes the array whose last item is on `line`
/// (1-based): the `]` is moved to a line of its own after them.
fn append_to_array(
    path: &Path,
    lines: &mut Vec<String>,
    line: usize,
    items: &[String],
) -> Result<()> {
    let (row, col) = closing_bracket(lines, line - 1).ok_or_else(|| {
        Error::codebook(
            path,
            Some(line),
            None,
            "cannot find the `]` that closes this array, to add the suggestions; \
             write the suggestions by hand from the listing without --out",
        )
    })?;
    let before = lines[row][..col].trim_end().to_string();
    let after = lines[row][col + 1..].to_string();
    let mut replacement = Vec::new();
    if !before.trim().is_empty() {
        let comma = if before.ends_with(',') || before.ends_with('[') { "" } else { "," };
        replacement.push(format!("{before}{comma}"));
    }
    replacement.extend(items.iter().cloned());
    replacement.push(format!("]{after}"));
    lines.splice(row..row + 1, replacement);
    Ok(())
}

/// The row and column of the first `]` outside strings and comments at or after `row`.
fn closing_bracket(lines: &[String], row: usize) -> Option<(usize, usize)> {
    // Inline tables (near rules) hold no brackets of their own but may hold strings.
    for (r, line) in lines.iter().enumerate().skip(row) {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (c, ch) in line.char_indices() {
            match quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if ch == '\\' && q == '"' {
                        escaped = true;
                    } else if ch == q {
                        quote = None;
                    }
                }
                None => match ch {
                    '"' | '\'' => quote = Some(ch),
                    '#' => break,
                    ']' => return Some((r, c)),
                    _ => {}
                },
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codebook(text: &str) -> Codebook {
        Codebook::from_toml_str(Path::new("cb.toml"), text).unwrap()
    }

    fn add(text: &str, additions: &[(usize, Rule, &str)]) -> String {
        let cb = codebook(text);
        let adds: Vec<Addition> = additions
            .iter()
            .map(|(t, r, c)| Addition { theme: *t, rule: r.clone(), comment: c.to_string() })
            .collect();
        let out = add_rules(Path::new("cb.toml"), text, &cb, &adds).unwrap();
        codebook(&out);
        out
    }

    #[test]
    fn terms_are_appended_to_a_one_line_array_with_their_comment() {
        let text = "[[theme]]\nid = \"money\"\nterms = [\"money\", \"cash\"] # two words\n\n[[theme]]\nid = \"trust\"\npatterns = ['\\btrust\\b']\n";
        let out = add(
            text,
            &[
                (0, Rule::Term("grant".into()), "suggested: +3 TP"),
                (1, Rule::Term("honest*".into()), "suggested: +2 TP"),
                (1, Rule::Near { a: "keep".into(), b: "word".into(), within: 4 }, "near"),
            ],
        );
        assert_eq!(
            out,
            "[[theme]]\nid = \"money\"\nterms = [\"money\", \"cash\",\n    \"grant\", # suggested: +3 TP\n] # two words\n\n[[theme]]\nid = \"trust\"\nnear = [\n    { a = \"keep\", b = \"word\", within = 4 }, # near\n]\nterms = [\n    \"honest*\", # suggested: +2 TP\n]\npatterns = ['\\btrust\\b']\n"
        );
    }

    #[test]
    fn a_multi_line_array_with_a_trailing_comma_and_brackets_in_strings() {
        let text = "[[theme]]\nid = \"x\"\nterms = [\n  \"a]b\",\n  \"c\", # a comment ]\n]\n";
        let out = add(text, &[(0, Rule::Term("d".into()), "new")]);
        assert_eq!(
            out,
            "[[theme]]\nid = \"x\"\nterms = [\n  \"a]b\",\n  \"c\", # a comment ]\n    \"d\", # new\n]\n"
        );
    }
}
