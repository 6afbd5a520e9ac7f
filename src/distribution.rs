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
    /// Lowest change in the bar (a whole number when `discrete`), or the bin's lower edge.
    pub low: f64,
    /// Highest change in the bar, or the bin's upper edge.
    pub high: f64,
    /// Whether changes are whole numbers, so the bar holds the values `low..=high`.
    pub discrete: bool,
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
///
/// Disclosure control (`min_cell` > 0): no published count is below `min_cell`. Histogram bars
/// under it are pooled with their neighbours into wider bars; (earlier, later) pairs under it
/// are left out, together with the next smallest ones when needed so that the left-out total
/// (which anyone can derive from n) is itself at least `min_cell`. A comparison with fewer
/// than `min_cell` people publishes nothing.
pub fn distributions(groups: &[PairedGroup], min_cell: usize) -> (Vec<ChangeBin>, Vec<Transition>) {
    let min_cell = min_cell as u64;
    let mut bins = Vec::new();
    let mut transitions = Vec::new();
    for g in groups
        .iter()
        .filter(|g| g.group_by == crate::pair::ALL_GROUP_BY)
    {
        // A change overflows only for raw scores beyond ±8e307; such a pair cannot be drawn.
        let changes: Vec<(f64, u64)> = g
            .pairs
            .iter()
            .map(|&((a, b), c)| (b - a, c))
            .filter(|d| d.0.is_finite())
            .collect();
        if changes.iter().map(|c| c.1).sum::<u64>() < min_cell {
            continue;
        }
        let discrete = whole(changes.iter().map(|c| c.0));
        bins.extend(
            pool_small_bins(count_values(&changes), min_cell)
                .into_iter()
                .map(|(low, high, count)| ChangeBin {
                    comparison: g.comparison,
                    low,
                    high,
                    discrete,
                    count,
                }),
        );
        transitions.extend(
            drop_small_cells(count_pairs(&g.pairs), min_cell)
                .into_iter()
                .map(|(earlier, later, count)| Transition {
                    comparison: g.comparison,
                    earlier,
                    later,
                    count,
                }),
        );
    }
    (bins, transitions)
}

/// Merges adjacent bins, left to right, until each holds at least `min_cell` people; a short
/// remainder joins the last full bin. Needs a total of at least `min_cell`.
fn pool_small_bins(bins: Vec<(f64, f64, u64)>, min_cell: u64) -> Vec<(f64, f64, u64)> {
    let mut out: Vec<(f64, f64, u64)> = Vec::new();
    let mut open: Option<(f64, f64, u64)> = None;
    for (low, high, count) in bins {
        let current = match open {
            Some((l, _, c)) => (l, high, c + count),
            None => (low, high, count),
        };
        if current.2 >= min_cell {
            out.push(current);
            open = None;
        } else {
            open = Some(current);
        }
    }
    // With no full bar to join, the total is under min_cell: callers publish nothing then.
    if let (Some((_, high, count)), Some(last)) = (open, out.last_mut()) {
        last.1 = high;
        last.2 += count;
    }
    out
}

/// Leaves out cells under `min_cell`, and then the smallest remaining cells until the total
/// left out is 0 or at least `min_cell`.
fn drop_small_cells(mut cells: Vec<(f64, f64, u64)>, min_cell: u64) -> Vec<(f64, f64, u64)> {
    if min_cell == 0 {
        return cells;
    }
    let mut dropped: u64 = cells.iter().filter(|c| c.2 < min_cell).map(|c| c.2).sum();
    cells.retain(|c| c.2 >= min_cell);
    while dropped > 0 && dropped < min_cell && !cells.is_empty() {
        let smallest = (0..cells.len())
            .min_by_key(|&i| (cells[i].2, i))
            .expect("non-empty");
        dropped += cells.remove(smallest).2;
    }
    cells
}

fn whole(mut values: impl Iterator<Item = f64>) -> bool {
    values.all(crate::stats::is_whole)
}

/// (low, high, count) per distinct whole value, or per equal-width bin otherwise, from values
/// with counts.
fn count_values(values: &[(f64, u64)]) -> Vec<(f64, f64, u64)> {
    if values.is_empty() {
        return Vec::new();
    }
    if whole(values.iter().map(|v| v.0)) {
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<(f64, f64, u64)> = Vec::new();
        for (v, c) in sorted {
            match out.last_mut() {
                Some(last) if last.0 == v => last.2 += c,
                _ => out.push((v, v, c)),
            }
        }
        return out;
    }
    let (lo, hi) = range(&values.iter().map(|v| v.0).collect::<Vec<_>>());
    let width = bin_width(lo, hi);
    let mut counts = vec![0u64; BINS];
    for &(v, c) in values {
        counts[bin_index(v, lo, width)] += c;
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, c)| *c > 0)
        .map(|(i, c)| (lo + i as f64 * width, lo + (i + 1) as f64 * width, c))
        .collect()
}

/// (earlier, later, count) per distinct pair (binned to midpoints when not whole numbers).
fn count_pairs(pairs: &[((f64, f64), u64)]) -> Vec<(f64, f64, u64)> {
    let scores = || pairs.iter().flat_map(|p| [p.0 .0, p.0 .1]);
    let key: Box<dyn Fn(f64) -> f64> = if whole(scores()) {
        Box::new(|v| v)
    } else {
        let (lo, hi) = range(&scores().collect::<Vec<_>>());
        let width = bin_width(lo, hi);
        Box::new(move |v| lo + (bin_index(v, lo, width) as f64 + 0.5) * width)
    };
    let mut keyed: Vec<(f64, f64, u64)> = pairs
        .iter()
        .map(|&((a, b), c)| (key(a), key(b), c))
        .collect();
    keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    let mut out: Vec<(f64, f64, u64)> = Vec::new();
    for (a, b, c) in keyed {
        match out.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += c,
            _ => out.push((a, b, c)),
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
            count_values(&[(-1.0, 1), (0.0, 1), (-1.0, 3), (2.0, 1)]),
            vec![(-1.0, -1.0, 4), (0.0, 0.0, 1), (2.0, 2.0, 1)]
        );
        assert_eq!(
            count_pairs(&[((6.0, 6.0), 1), ((7.0, 5.0), 2)]),
            vec![(6.0, 6.0, 1), (7.0, 5.0, 2)]
        );
    }

    #[test]
    fn small_bins_are_pooled_and_small_cells_dropped() {
        let bins = vec![
            (-4.0, -4.0, 2),
            (-3.0, -3.0, 9),
            (-2.0, -2.0, 40),
            (0.0, 0.0, 30),
            (1.0, 1.0, 12),
            (3.0, 3.0, 1),
        ];
        let pooled = pool_small_bins(bins, 10);
        assert_eq!(
            pooled,
            vec![
                (-4.0, -3.0, 11),
                (-2.0, -2.0, 40),
                (0.0, 0.0, 30),
                (1.0, 3.0, 13)
            ]
        );
        assert_eq!(pool_small_bins(vec![(0.0, 0.0, 5)], 0), vec![(0.0, 0.0, 5)]);
        let cells = vec![
            (3.0, 3.0, 4),
            (4.0, 3.0, 50),
            (5.0, 4.0, 12),
            (6.0, 5.0, 11),
        ];
        // 4 left out is under 10 and derivable from n, so the next smallest (11) goes too.
        assert_eq!(
            drop_small_cells(cells.clone(), 10),
            vec![(4.0, 3.0, 50), (5.0, 4.0, 12)]
        );
        assert_eq!(drop_small_cells(cells.clone(), 0), cells);
    }

    #[test]
    fn fractional_values_are_binned_and_nothing_is_lost() {
        let values: Vec<(f64, u64)> = (0..100).map(|i| (f64::from(i) * 0.37, 1)).collect();
        let bins = count_values(&values);
        assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), 100);
        assert!(bins.len() <= BINS);
        let pairs: Vec<((f64, f64), u64)> =
            values.iter().map(|&(v, c)| ((v, v + 0.5), c)).collect();
        let binned = count_pairs(&pairs);
        assert_eq!(binned.iter().map(|p| p.2).sum::<u64>(), 100);
    }
}
