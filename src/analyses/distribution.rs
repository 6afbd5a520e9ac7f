//! Whole-sample distributions behind the change histogram and the slope chart: counts of each
//! change value and of each (earlier, later) pair of scores. Counts are all a chart needs, so
//! `report` can redraw the charts from a results folder without person-level data.

use crate::analyses::comparisons::ComparisonRow;
use crate::model::Comparison;
use crate::stats::paired::Better;
use crate::summarise::{PairedGroup, ALL_GROUP_BY};

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
///
/// `hidden(comparison)` says which of the whole sample's counts comparisons.csv withholds
/// (improved, unchanged, worse; `--secondary-suppression`), and `better` which way is
/// improvement: bars and left-out pairs are kept within a side of no change, and withheld
/// sides only show summed, so neither chart gives back a count comparisons.csv withholds.
pub fn distributions(
    groups: &[PairedGroup],
    min_cell: usize,
    better: Better,
    hidden: impl Fn(Comparison) -> [bool; 3],
) -> (Vec<ChangeBin>, Vec<Transition>) {
    let min_cell = min_cell as u64;
    let mut bins = Vec::new();
    let mut transitions = Vec::new();
    for g in groups
        .iter()
        .filter(|g| g.group_by == crate::summarise::ALL_GROUP_BY)
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
        // Sides in order of change: falls, none, rises.
        let [improved, unchanged, worse] = hidden(g.comparison);
        let hidden = match better {
            Better::Lower => [improved, unchanged, worse],
            Better::Higher => [worse, unchanged, improved],
        };
        let counted = count_values(&changes);
        // Bars, and whether each shows withheld sides summed.
        let pooled: Vec<((f64, f64, u64), bool)> = if discrete {
            // Whole-number changes: bars are pooled within a side of no change only.
            by_side(counted, min_cell, hidden, |&(low, _, count)| (low, count))
                .into_iter()
                .flat_map(|(run, withheld)| match withheld {
                    // Withheld sides show as one bar: their sum, which n gives anyway.
                    true => vec![(
                        (
                            run.first().map_or(0.0, |b| b.0),
                            run.last().map_or(0.0, |b| b.1),
                            run.iter().map(|b| b.2).sum(),
                        ),
                        true,
                    )],
                    false => pool_small_bins(run, min_cell)
                        .into_iter()
                        .map(|bar| (bar, false))
                        .collect(),
                })
                .collect()
        } else {
            pool_small_bins(counted, min_cell)
                .into_iter()
                .map(|bar| (bar, false))
                .collect()
        };
        bins.extend(pooled.iter().map(|&((low, high, count), _)| ChangeBin {
            comparison: g.comparison,
            low,
            high,
            discrete,
            count,
        }));
        let cells = count_pairs(&g.pairs);
        let kept: Vec<Cell> = if discrete {
            // Each published bar, and each side, gives the total of its pairs: the pairs
            // left out within a bar and side are 0 or at least min_cell, and a withheld
            // bar's pairs all stay out (each pair's change is exact).
            let mut keyed: Vec<((usize, usize), Cell)> = cells
                .into_iter()
                .filter_map(|cell| {
                    let d = cell.1 - cell.0;
                    let bar = pooled
                        .iter()
                        .position(|&((low, high, _), _)| low <= d && d <= high)?;
                    (!pooled[bar].1).then_some(((bar, side(d)), cell))
                })
                .collect();
            keyed.sort_by_key(|&(key, _)| key);
            let mut kept = Vec::new();
            let mut start = 0;
            while start < keyed.len() {
                let key = keyed[start].0;
                let end = start + keyed[start..].iter().take_while(|k| k.0 == key).count();
                let group = keyed[start..end].iter().map(|&(_, cell)| cell).collect();
                kept.extend(drop_small_cells(group, min_cell));
                start = end;
            }
            kept
        } else {
            let mut cells = cells;
            cells.sort_by(|x, y| (x.1 - x.0).total_cmp(&(y.1 - y.0)));
            by_side(cells, min_cell, hidden, |&(earlier, later, count)| {
                (later - earlier, count)
            })
            .into_iter()
            .flat_map(|(run, withheld)| match withheld {
                true => Vec::new(),
                false => drop_small_cells(run, min_cell),
            })
            .collect()
        };
        transitions.extend(
            sorted_pairs(kept)
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

/// Splits `items` (in order of change) into runs by side of no change (fall, none, rise, as
/// `key` gives each one's change and count): comparisons.csv publishes the number of people
/// on each side, so a bar pooled, or a set of pairs left out, across sides would give away
/// the people on one side by subtraction. The sides whose counts comparisons.csv withholds
/// (`hidden`, in the same order) are joined into one run, marked `true`, of which only the
/// sum may show, as there; then a run of fewer than `min_cell` people joins a neighbour (the
/// first the next one, any other the one before).
fn by_side<T>(
    items: Vec<T>,
    min_cell: u64,
    hidden: [bool; 3],
    key: impl Fn(&T) -> (f64, u64),
) -> Vec<(Vec<T>, bool)> {
    let (first_hidden, last_hidden) = (
        hidden.iter().position(|&h| h),
        hidden.iter().rposition(|&h| h),
    );
    // Sides from the first hidden to the last hidden count as one.
    let group = |s: usize| match (first_hidden, last_hidden) {
        (Some(a), Some(b)) if (a..=b).contains(&s) => a,
        _ => s,
    };
    let mut runs: Vec<(Vec<T>, u64, bool)> = Vec::new();
    let mut last_group = None;
    for item in items {
        let (d, count) = key(&item);
        let s = side(d);
        let g = group(s);
        match runs.last_mut() {
            Some(run) if last_group == Some(g) => {
                run.1 += count;
                run.2 |= hidden[s];
                run.0.push(item);
            }
            _ => runs.push((vec![item], count, hidden[s])),
        }
        last_group = Some(g);
    }
    let mut merged: Vec<(Vec<T>, u64, bool)> = Vec::new();
    let mut carry: Option<(Vec<T>, u64, bool)> = None;
    for (mut run, mut total, mut withheld) in runs {
        if let Some((mut before, t, h)) = carry.take() {
            before.append(&mut run);
            run = before;
            total += t;
            withheld |= h;
        }
        if total >= min_cell {
            merged.push((run, total, withheld));
        } else if let Some(previous) = merged.last_mut() {
            previous.0.append(&mut run);
            previous.1 += total;
            previous.2 |= withheld;
        } else {
            carry = Some((run, total, withheld));
        }
    }
    merged.extend(carry);
    merged
        .into_iter()
        .map(|(run, _, withheld)| (run, withheld))
        .collect()
}

/// The side of no change a change lies on: 0 a fall, 1 none, 2 a rise.
fn side(d: f64) -> usize {
    match d.partial_cmp(&0.0) {
        Some(std::cmp::Ordering::Less) => 0,
        Some(std::cmp::Ordering::Equal) => 1,
        _ => 2,
    }
}

/// Which of the whole sample's counts (improved, unchanged, worse) comparisons.csv withholds,
/// per comparison: what [`distributions`] must not give back.
pub fn whole_sample_hidden(rows: &[ComparisonRow]) -> impl Fn(Comparison) -> [bool; 3] + '_ {
    |comparison| {
        rows.iter()
            .find(|r| r.group_by == ALL_GROUP_BY && r.comparison == comparison)
            .map_or([false; 3], |r| r.hidden_counts)
    }
}

/// An (earlier, later) pair with its count.
type Cell = (f64, f64, u64);

/// Transitions sorted by (earlier, later), as they are written.
fn sorted_pairs(mut cells: Vec<Cell>) -> Vec<Cell> {
    cells.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    cells
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
    fn pooling_keeps_to_a_side_of_no_change_and_withheld_sides_sum() {
        let items = vec![(-2.0, 3), (-1.0, 40), (0.0, 5), (1.0, 30), (2.0, 2)];
        let runs = |hidden| {
            by_side(items.clone(), 10, hidden, |&(d, c)| (d, c))
                .into_iter()
                .map(|(run, withheld)| (run.iter().map(|i| i.0).collect::<Vec<_>>(), withheld))
                .collect::<Vec<_>>()
        };
        // The 5 unchanged are too few alone: they join the falls; the rises stay apart.
        assert_eq!(
            runs([false; 3]),
            vec![(vec![-2.0, -1.0, 0.0], false), (vec![1.0, 2.0], false)]
        );
        // Unchanged and rises withheld in comparisons.csv: one run, shown only as a sum.
        assert_eq!(
            runs([false, true, true]),
            vec![(vec![-2.0, -1.0], false), (vec![0.0, 1.0, 2.0], true)]
        );
        // Falls and rises withheld: everything between them joins.
        assert_eq!(
            runs([true, false, true]),
            vec![(vec![-2.0, -1.0, 0.0, 1.0, 2.0], true)]
        );
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
