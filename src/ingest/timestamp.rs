//! The one timestamp parser of the readers: `hh:mm:ss` and `mm:ss`, each with an optional
//! fraction of a second (`.250`, `,250`). The first part takes one to three digits; the
//! others one or two (Microsoft Teams writes `0:0:0.570`), below 60.

use crate::model::Timestamp;

/// Parses `hh:mm:ss(.mmm)` or, when `min_parts` is 2, `mm:ss(.mmm)` too.
pub(crate) fn parse(text: &str, min_parts: usize) -> Option<Timestamp> {
    let (clock, millis) = match text.split_once(['.', ',']) {
        Some((clock, frac)) => {
            if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let scale = [100, 10, 1][frac.len() - 1];
            (clock, Some(frac.parse::<u64>().ok()? * scale))
        }
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() < min_parts || parts.len() > 3 {
        return None;
    }
    let mut values = Vec::with_capacity(3);
    for (i, part) in parts.iter().enumerate() {
        let first = i == 0;
        let ok_len =
            if first { (1..=3).contains(&part.len()) } else { (1..=2).contains(&part.len()) };
        if !ok_len || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = part.parse().ok()?;
        if !first && v >= 60 {
            return None;
        }
        values.push(v);
    }
    let seconds = values.iter().fold(0, |acc, v| acc * 60 + v);
    Some(Timestamp { millis: seconds * 1000 + millis.unwrap_or(0), has_millis: millis.is_some() })
}

/// A subtitle cue time: a timestamp whose fraction is written after `separator` (`.` in
/// WebVTT, `,` in SRT) and present.
pub(crate) fn parse_cue(text: &str, separator: char) -> Option<Timestamp> {
    let other = if separator == '.' { ',' } else { '.' };
    if !text.contains(separator) || text.contains(other) {
        return None;
    }
    parse(text, 2).filter(|t| t.has_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_with_and_without_fractions() {
        let ms = |s: &str, parts| parse(s, parts).map(|t| (t.millis, t.has_millis));
        assert_eq!(ms("01:02:03", 3), Some((3_723_000, false)));
        assert_eq!(ms("1:02:03.5", 3), Some((3_723_500, true)));
        assert_eq!(ms("02:03,25", 2), Some((123_250, true)));
        assert_eq!(ms("02:03", 3), None);
        assert_eq!(ms("00:75:00", 2), None);
        assert_eq!(ms("00:00:60", 2), None);
        assert_eq!(ms("0:0:1", 2), Some((1000, false)));
        assert_eq!(ms("00:123", 2), None);
        assert_eq!(ms("00:00:01.2345", 2), None);
    }

    #[test]
    fn cue_times_need_their_format_s_fraction() {
        let t = |s: &str| parse_cue(s, '.').map(|t| t.millis);
        assert_eq!(t("01:02:03.004"), Some(3_723_004));
        assert_eq!(t("02:03.5"), Some(123_500));
        assert_eq!(parse_cue("00:00:01,250", ',').map(|t| t.millis), Some(1250));
        assert_eq!(parse_cue("00:00:01.250", ','), None);
        assert_eq!(t("00:00:1d.890"), None);
        assert_eq!(t("00:00:01"), None);
        // Teams' short times; minutes past 59, which the subtitle reader once took, are not.
        assert_eq!(t("0:0:0.210"), Some(210));
        assert_eq!(t("00:75:00.000"), None);
    }
}
