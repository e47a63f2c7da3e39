//! Span arithmetic: half-open byte ranges, overlap, and merging into mentions.

use std::ops::Range;

use super::CodedSpan;

/// Whether two half-open spans overlap: each starts before the other ends.
/// Spans that only touch do not overlap.
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Merges overlapping spans of the same theme; each merged span keeps the rules of its parts.
/// The result is sorted by theme and then by position.
pub fn merge_spans(mut spans: Vec<(usize, Range<usize>, usize)>) -> Vec<CodedSpan> {
    spans.sort_by_key(|(theme, range, rule)| (*theme, range.start, range.end, *rule));
    let mut out: Vec<CodedSpan> = Vec::new();
    for (theme, range, rule) in spans {
        match out.last_mut() {
            Some(last) if last.theme == theme && range.start < last.range.end => {
                last.range.end = last.range.end.max(range.end);
                if let Err(i) = last.rules.binary_search(&rule) {
                    last.rules.insert(i, rule);
                }
            }
            _ => out.push(CodedSpan { theme, range, rules: vec![rule] }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_spans_stay_separate_and_overlapping_ones_merge() {
        let merged = merge_spans(vec![(0, 5..9, 1), (0, 0..5, 0), (0, 7..12, 2), (1, 3..4, 3)]);
        assert_eq!(
            merged,
            vec![
                CodedSpan { theme: 0, range: 0..5, rules: vec![0] },
                CodedSpan { theme: 0, range: 5..12, rules: vec![1, 2] },
                CodedSpan { theme: 1, range: 3..4, rules: vec![3] },
            ]
        );
    }

    #[test]
    fn a_span_inside_another_merges_into_it() {
        let merged = merge_spans(vec![(0, 0..20, 0), (0, 3..4, 1), (0, 19..25, 0)]);
        assert_eq!(merged, vec![CodedSpan { theme: 0, range: 0..25, rules: vec![0, 1] }]);
        assert!(!overlaps(&(0..5), &(5..9)));
        assert!(overlaps(&(0..6), &(5..9)));
    }
}
