//! Whole-sample distributions behind the change histogram and the slope chart: counts of each
//! change value and of each (earlier, later) pair of scores. Counts are all a chart needs, so
//! `report` can redraw the charts from a results folder without person-level data.

use crate::model::Comparison;
use crate::pair::PairedGroup;

/// Number of bins per axis when values are not whole numbers.
pub const BINS: usize = 30;

/// One bar of the change histogram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeBin {
    /// Which comparison.
    pub comparison: Comparison,
    /// Lower edge (equal to `high` for whole-number changes).
    pub low: f64,
    /// Upper edge.
    pub high: f64,
    /// People in the bin.
    pub count: u64,
}

/// One line of the slope chart: how many people moved from `earlier` to `later`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    /// Which comparison.
    pub comparison: Comparison,
    /// Earlier score (bin midpoint for non-whole scores).
    pub earlier: f64,
    /// Later score.
    pub later: f64,
    /// People.
    pub count: u64,
}

/// Distributions for the whole-sample rows of `groups` (`pair_groups` output).
pub fn distributions(groups: &[PairedGroup]) -> (Vec<ChangeBin>, Vec<Transition>) {
    let mut bins = Vec::new();
    let mut transitions = Vec::new();
    for g in groups
        .iter()
        .filter(|g| g.group_by == crate::pair::ALL_GROUP_BY)
    {
        // A change overflows only for raw scores beyond ±8e307; such a pair cannot be drawn.
        let changes: Vec<f64> = g
            .later
            .iter()
            .zip(&g.earlier)
            .map(|(b, a)| b - a)
            .filter(|d| d.is_finite())
            .collect();
        bins.extend(
            count_values(&changes)
                .into_iter()
                .map(|(low, high, count)| ChangeBin {
                    comparison: g.comparison,
                    low,
                    high,
                    count,
                }),
        );
        transitions.extend(count_pairs(&g.earlier, &g.later).into_iter().map(
            |(earlier, later, count)| Transition {
                comparison: g.comparison,
                earlier,
                later,
                count,
            },
        ));
    }
    (bins, transitions)
}

fn whole(values: &[f64]) -> bool {
    values.iter().all(|v| v.fract() == 0.0)
}

/// (low, high, count) per distinct whole value, or per equal-width bin otherwise.
fn count_values(values: &[f64]) -> Vec<(f64, f64, u64)> {
    if values.is_empty() {
        return Vec::new();
    }
    if whole(values) {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut out: Vec<(f64, f64, u64)> = Vec::new();
        for v in sorted {
            match out.last_mut() {
                Some(last) if last.0 == v => last.2 += 1,
                _ => out.push((v, v, 1)),
            }
        }
        return out;
    }
    let (lo, hi) = range(values);
    let width = bin_width(lo, hi);
    let mut counts = vec![0u64; BINS];
    for &v in values {
        counts[bin_index(v, lo, width)] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, c)| *c > 0)
        .map(|(i, c)| (lo + i as f64 * width, lo + (i + 1) as f64 * width, c))
        .collect()
}

/// (earlier, later, count) per distinct pair (binned to midpoints when not whole numbers).
fn count_pairs(earlier: &[f64], later: &[f64]) -> Vec<(f64, f64, u64)> {
    let all: Vec<f64> = earlier.iter().chain(later).copied().collect();
    let key: Box<dyn Fn(f64) -> f64> = if whole(&all) {
        Box::new(|v| v)
    } else {
        let (lo, hi) = range(&all);
        let width = bin_width(lo, hi);
        Box::new(move |v| lo + (bin_index(v, lo, width) as f64 + 0.5) * width)
    };
    let mut pairs: Vec<(f64, f64)> = earlier
        .iter()
        .zip(later)
        .map(|(&a, &b)| (key(a), key(b)))
        .collect();
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    let mut out: Vec<(f64, f64, u64)> = Vec::new();
    for (a, b) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += 1,
            _ => out.push((a, b, 1)),
        }
    }
    out
}

fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// Width of `BINS` equal bins over [lo, hi], computed so it cannot overflow even for values
/// near f64::MAX.
fn bin_width(lo: f64, hi: f64) -> f64 {
    if hi > lo {
        hi / BINS as f64 - lo / BINS as f64
    } else {
        1.0
    }
}

/// Bin of `v`; values so extreme that the width overflows all land in the first bin rather
/// than producing NaN positions.
fn bin_index(v: f64, lo: f64, width: f64) -> usize {
    let position = (v - lo) / width;
    if position.is_finite() {
        (position as usize).min(BINS - 1)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_changes_are_counted_exactly() {
        assert_eq!(
            count_values(&[-1.0, 0.0, -1.0, 2.0]),
            vec![(-1.0, -1.0, 2), (0.0, 0.0, 1), (2.0, 2.0, 1)]
        );
        assert_eq!(
            count_pairs(&[7.0, 7.0, 6.0], &[5.0, 5.0, 6.0]),
            vec![(6.0, 6.0, 1), (7.0, 5.0, 2)]
        );
    }

    #[test]
    fn fractional_values_are_binned_and_nothing_is_lost() {
        let values: Vec<f64> = (0..100).map(|i| f64::from(i) * 0.37).collect();
        let bins = count_values(&values);
        assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), 100);
        assert!(bins.len() <= BINS);
        let pairs = count_pairs(&values, &values);
        assert_eq!(pairs.iter().map(|p| p.2).sum::<u64>(), 100);
    }
}
