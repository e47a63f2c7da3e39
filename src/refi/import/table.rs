//! The mentions table of an import, with the columns `qualkit analyze` writes.

use super::Imported;
use crate::aggregate::{is_mention_column, MENTION_HEAD as HEAD, MENTION_TAIL as TAIL};
use crate::display::CsvText;

/// The column of an imported mention's coding in the other tool.
pub const CODING_ID: &str = "coding_id";

/// The mentions as `mentions.csv`, with the columns `qualkit analyze` writes: session,
/// file, line, turn, timestamp, speaker, role, question and question_text (empty when the
/// turn answers no question), the session then the speaker attributes, theme, start, end
/// (code points in the turn's text), text, and `manual`, the coder and the theme where
/// `analyze` names the rule that matched; then `coding_id`, the id of the coding in the other
/// tool (a REFI-QDA selection's GUID, a Taguette highlight's id), the same in each turn a
/// coding covers.
pub fn mentions_csv(imported: &Imported) -> String {
    let columns = attribute_columns(imported);
    let header: Vec<&str> = HEAD
        .iter()
        .copied()
        .chain(columns.iter().map(|(name, _)| name.as_str()))
        .chain(TAIL.iter().copied())
        .chain([CODING_ID])
        .collect();
    let mut out = CsvText::with_header(&header);
    let coder = imported.coder.clone().unwrap_or_default();
    for s in &imported.sessions {
        let session = &s.session;
        for im in &s.mentions {
            let m = &im.mention;
            let turn = &session.turns[m.turn];
            let speaker = session.speaker_of(turn);
            let question = session.question_of(turn);
            let theme = imported.codebook.themes[m.theme].id.clone();
            let mut row = vec![
                session.id.clone(),
                session.file.display().to_string(),
                m.line.to_string(),
                (m.turn + 1).to_string(),
                turn.timestamp.map(|t| t.to_string()).unwrap_or_default(),
                speaker.label.clone(),
                speaker.role.as_str().to_string(),
                question.map(|q| q.id.clone()).unwrap_or_default(),
                question.map(|q| q.text.clone()).unwrap_or_default(),
            ];
            for (_, (is_session, key)) in &columns {
                let list = if *is_session { &session.attributes } else { &speaker.attributes };
                row.push(
                    list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default(),
                );
            }
            row.extend([
                theme.clone(),
                m.chars.start.to_string(),
                m.chars.end.to_string(),
                turn.text[m.bytes.clone()].to_string(),
                "manual".to_string(),
                coder.clone(),
                theme,
                im.coding_id.clone(),
            ]);
            out.row(&row);
        }
    }
    out.finish()
}

/// The attribute columns, named as `analyze` names them: session attributes, then speaker
/// attributes; a name taken by a fixed column becomes `attr_NAME`, a speaker attribute named
/// like a session one `speaker_NAME`. Each with whether it is a session attribute, and its
/// key.
fn attribute_columns(imported: &Imported) -> Vec<(String, (bool, String))> {
    let fixed = |k: &str| is_mention_column(k) || k.starts_with("attr_");
    let mut out: Vec<(String, (bool, String))> = Vec::new();
    let mut keys: Vec<(bool, String)> = Vec::new();
    for s in &imported.sessions {
        for (k, _) in &s.session.attributes {
            if !keys.contains(&(true, k.clone())) {
                keys.push((true, k.clone()));
            }
        }
    }
    for s in &imported.sessions {
        for speaker in &s.session.speakers {
            for (k, _) in &speaker.attributes {
                if !keys.contains(&(false, k.clone())) {
                    keys.push((false, k.clone()));
                }
            }
        }
    }
    for (is_session, k) in keys {
        let mut name = if fixed(&k) { format!("attr_{k}") } else { k.clone() };
        if !is_session && out.iter().any(|(n, _)| *n == name) {
            name = format!("speaker_{k}");
        }
        out.push((name, (is_session, k)));
    }
    out
}
