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

/// The exclude matches of one text, grouped by theme and in text order, so that each span's
/// veto is a binary search (a long turn with many exclude matches stays linear).
#[derive(Debug, Default)]
pub(super) struct Vetoes {
    /// (theme, bytes, exclude), sorted by theme then start; matches of equal start keep the
    /// order they were found in.
    matches: Vec<(usize, Range<usize>, usize)>,
    /// The largest end among the matches of the same theme up to and including each one.
    max_end: Vec<usize>,
}

impl Vetoes {
    /// The vetoes of the exclude matches `(exclude, bytes)` (in text order), where
    /// `theme_of(exclude)` is the theme each exclude belongs to.
    pub(super) fn new(
        excluded: &[(usize, Range<usize>)],
        theme_of: impl Fn(usize) -> usize,
    ) -> Vetoes {
        let mut matches: Vec<(usize, Range<usize>, usize)> =
            excluded.iter().map(|(x, r)| (theme_of(*x), r.clone(), *x)).collect();
        // Stable: equal starts keep their order.
        matches.sort_by_key(|(theme, r, _)| (*theme, r.start));
        let mut max_end = Vec::with_capacity(matches.len());
        for (i, (theme, r, _)) in matches.iter().enumerate() {
            let before = match i.checked_sub(1) {
                Some(j) if matches[j].0 == *theme => max_end[j],
                _ => 0,
            };
            max_end.push(r.end.max(before));
        }
        Vetoes { matches, max_end }
    }

    /// The first exclude match (in text order) of `theme` that overlaps `range`, if any.
    pub(super) fn find(&self, theme: usize, range: &Range<usize>) -> Option<usize> {
        let lo = self.matches.partition_point(|(t, _, _)| *t < theme);
        let hi = lo + self.matches[lo..].partition_point(|(t, _, _)| *t == theme);
        // The first match ending after the span starts; an overlap when it starts before
        // the span ends (every later one starts later still).
        let j = lo + self.max_end[lo..hi].partition_point(|&end| end <= range.start);
        let (_, ex, x) = self.matches.get(j).filter(|_| j < hi)?;
        overlaps(ex, range).then_some(*x)
    }
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
    fn vetoes_find_the_first_overlapping_exclude_of_the_theme_as_a_scan_would() {
        let mut rand = qualkit_bench::Rand::new(7, 0);
        for _ in 0..500 {
            // Exclude matches in text order (by start), of excludes 0..4 (theme = x % 2).
            let mut excluded: Vec<(usize, Range<usize>)> = (0..rand.below(12))
                .map(|_| {
                    let start = rand.below(40);
                    (rand.below(4), start..start + 1 + rand.below(8))
                })
                .collect();
            excluded.sort_by_key(|(_, r)| r.start);
            let vetoes = Vetoes::new(&excluded, |x| x % 2);
            for _ in 0..20 {
                let theme = rand.below(3);
                let start = rand.below(45);
                let range = start..start + 1 + rand.below(6);
                let scan = excluded
                    .iter()
                    .find(|(x, ex)| x % 2 == theme && overlaps(ex, &range))
                    .map(|(x, _)| *x);
                assert_eq!(vetoes.find(theme, &range), scan, "{excluded:?} {theme} {range:?}");
            }
        }
    }

    #[test]
    fn a_span_inside_another_merges_into_it() {
        let merged = merge_spans(vec![(0, 0..20, 0), (0, 3..4, 1), (0, 19..25, 0)]);
        assert_eq!(merged, vec![CodedSpan { theme: 0, range: 0..25, rules: vec![0, 1] }]);
        assert!(!overlaps(&(0..5), &(5..9)));
        assert!(overlaps(&(0..6), &(5..9)));
    }
}
