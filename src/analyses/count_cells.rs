//! The count cells of comparisons.csv, categories.csv and reliable_change.csv, which split
//! the same people three ways, protected together ([`crate::disclosure::least_loss`]): the
//! tables' true counts in, which cells to withhold out, applied to the tables' rows.

use super::distribution::{distributions, whole_sample_hidden};
use super::Analysis;
use crate::disclosure::audit::{PairRow, Published};
use crate::disclosure::least_loss::{prepass, Cell};
use crate::scale::Scale;
use crate::stats::paired::Better;
use crate::summarise::{paired_groups, SlotCounts, ALL_GROUP_BY};

/// Every row's true counts as the audit reads them (rows withheld whole included, with
/// their counts, which still add up in their grouping column), and which rows are withheld
/// whole.
pub fn truth(
    analysis: &Analysis,
    pairs: &[SlotCounts],
    better: Better,
    min_cell: usize,
) -> (Published, Vec<bool>) {
    let rows = analysis
        .rows
        .iter()
        .zip(pairs)
        .enumerate()
        .map(|(i, (row, counts))| {
            let mut direction = [0u64; 3];
            for &((a, b), n) in &counts.pairs {
                direction[better.direction(b - a)] += n;
            }
            let categories = analysis.categories.as_ref().map(|c| {
                let c = &c[i];
                [c.worse_earlier, c.worse_later, c.to_better, c.to_worse].map(Some)
            });
            let reliable = analysis
                .reliable
                .as_ref()
                .filter(|r| r[i].yardstick.is_some())
                .map(|r| {
                    let r = &r[i];
                    let [rec, det] = r.recovered_deteriorated.map_or([None; 2], |m| m.map(Some));
                    [
                        Some(r.counts[0]),
                        Some(r.counts[1]),
                        Some(r.counts[2]),
                        rec,
                        det,
                    ]
                });
            PairRow {
                group_by: row.group_by.clone(),
                group: row.group.clone(),
                comparison: row.comparison.name().to_string(),
                n: Some(direction.iter().sum()),
                direction: direction.map(Some),
                categories,
                reliable,
            }
        })
        .collect();
    let whole = analysis.rows.iter().map(|r| r.suppressed()).collect();
    let published = Published {
        min_cell: min_cell as u64,
        pairs: rows,
        ..Published::default()
    };
    (published, whole)
}

/// Withholds the cells [`prepass`] chooses from the truth: the small ones and those that
/// protect them within each row and grouping column; then protects transitions.csv's
/// left-out people ([`protect_transitions`]).
pub fn protect_cells(
    analysis: &mut Analysis,
    (pairs, scale, reliability): (&[SlotCounts], &Scale, Option<f64>),
    min_cell: usize,
) {
    let (truth, whole) = truth(analysis, pairs, scale.better(), min_cell);
    let protected = prepass(&truth, &whole);
    let cells = crate::disclosure::least_loss::newly_withheld(&truth, &protected);
    let cells: Vec<(usize, Cell)> = cells.into_iter().filter(|&(r, _)| !whole[r]).collect();
    withhold_cells(analysis, &cells, (pairs, scale, reliability), min_cell);
    protect_transitions(analysis, (pairs, scale, reliability), min_cell);
}

/// Withholds `cells` (row of comparisons.csv, cell) in their tables: a count with its
/// percentage, McNemar's test with either of the moves it is computed from. Where the whole
/// sample's direction counts are among them, its histogram and transitions are drawn again
/// so that they do not give those counts back.
pub fn withhold_cells(
    analysis: &mut Analysis,
    cells: &[(usize, Cell)],
    (pairs, scale, reliability): (&[SlotCounts], &Scale, Option<f64>),
    min_cell: usize,
) {
    let mut whole_sample_changed = false;
    for &(r, cell) in cells {
        match cell {
            Cell::Direction(k) => {
                let row = &mut analysis.rows[r];
                row.hidden_counts[k] = true;
                whole_sample_changed |= row.group_by == ALL_GROUP_BY;
            }
            Cell::Category(k) => {
                if let Some(row) = analysis.categories.as_mut().and_then(|c| c.get_mut(r)) {
                    row.hidden[k] = true;
                    if k >= 2 {
                        row.test = None;
                    }
                }
            }
            Cell::Reliable(k) => {
                if let Some(row) = analysis.reliable.as_mut().and_then(|c| c.get_mut(r)) {
                    row.hidden[k] = true;
                }
            }
        }
    }
    if whole_sample_changed {
        let (bins, transitions) = distributions(
            &paired_groups(pairs),
            min_cell,
            scale.better(),
            whole_sample_hidden(&analysis.rows),
        );
        analysis.change_bins = bins;
        analysis.transitions = transitions;
        protect_transitions(analysis, (pairs, scale, reliability), min_cell);
    }
}

/// transitions.csv leaves out the (earlier, later) pairs of fewer than min-cell people, and
/// the whole sample's counts in categories.csv and reliable_change.csv then tell a reader how
/// many of the left-out people moved out of (or into) the worse category, or were of one kind
/// (direction, move, reliable change). While such a left-out total is 1 to min-cell - 1, the
/// smallest published pair of that move or kind is left out too: a published pair holds
/// min-cell people or more, so one is enough, and no total it joins becomes small. Only for
/// whole-number scores (binned pairs are not the people's own, and `audit` reads none).
pub fn protect_transitions(
    analysis: &mut Analysis,
    (pairs, scale, reliability): (&[SlotCounts], &Scale, Option<f64>),
    min_cell: usize,
) {
    let m = min_cell as u64;
    if m <= 1 {
        return;
    }
    let better = scale.better();
    let in_worse = crate::scale::in_worse_category(scale);
    let yardsticks = reliability
        .or(scale.reliability)
        .map(|r| crate::summarise::yardsticks::yardsticks(pairs, r));
    let moves = analysis.categories.is_some();
    for whole in pairs.iter().filter(|p| p.group_by == ALL_GROUP_BY) {
        let whole_numbers = whole
            .pairs
            .iter()
            .all(|&((a, b), _)| a.fract() == 0.0 && b.fract() == 0.0);
        if !whole_numbers {
            continue;
        }
        let yardstick = yardsticks.and_then(|y| y[whole.slot]);
        // The totals a pair counts in: its kind, and its move out of or into the worse category.
        let keys = |a: f64, b: f64| -> Vec<(usize, usize, usize, usize)> {
            let direction = better.direction(b - a);
            let moved = match (moves, in_worse(a), in_worse(b)) {
                (true, Some(true), Some(true)) => 0,
                (true, Some(true), Some(false)) => 2,
                (true, Some(false), Some(true)) => 3,
                _ => 1,
            };
            let class = yardstick.map_or(1, |y| {
                crate::summarise::yardsticks::reliable_class(a, b, &y, scale.higher_is_worse)
            });
            let mut keys = vec![(0, direction, moved, class)];
            if moved >= 2 {
                keys.push((1, 0, moved, 0));
            }
            keys
        };
        let in_slot = |t: &super::distribution::Transition| t.comparison as usize == whole.slot;
        loop {
            let mut left: std::collections::BTreeMap<_, i64> = Default::default();
            for &((a, b), n) in &whole.pairs {
                for key in keys(a, b) {
                    *left.entry(key).or_default() += n as i64;
                }
            }
            for t in analysis.transitions.iter().filter(|t| in_slot(t)) {
                for key in keys(t.earlier, t.later) {
                    *left.entry(key).or_default() -= t.count as i64;
                }
            }
            let Some((&small, _)) = left.iter().find(|(_, &n)| n > 0 && n < m as i64) else {
                break;
            };
            let smallest = analysis
                .transitions
                .iter()
                .enumerate()
                .filter(|(_, t)| in_slot(t) && keys(t.earlier, t.later).contains(&small))
                .min_by_key(|(i, t)| (t.count, *i))
                .map(|(i, _)| i);
            match smallest {
                Some(i) => {
                    analysis.transitions.remove(i);
                }
                None => break,
            }
        }
    }
}
