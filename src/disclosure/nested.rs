//! Counts nested across tables, under `--secondary-suppression`.
//!
//! comparisons.csv, categories.csv and reliable_change.csv publish, for each group and
//! comparison, counts of the same people split three ways: by the direction of their change,
//! by their category before and after, and by reliable change. Each table's own protection
//! keeps its counts from giving away a small set, but two tables together can: a group with
//! 15 improved and 12 reliably better has 3 people who improved without a reliable change.
//! The sets nested across tables are: reliably better within improved, reliably worse within
//! worse, and the moves between categories within improved (out of the lonely category) and
//! worse (into it), with recovered and deteriorated the reliable moves. So each row's people
//! split into nine *cells* whose counts all follow from published counts by subtraction: by
//! move (stayed in a category, moved out, moved in) × direction × reliable change, the empty
//! combinations left out (improved without a reliable change and without a move is improved
//! minus reliably better minus the non-reliable moves out). A row with a cell, or a family's
//! total less its published rows with a cell, of 1 to min-cell - 1 people loses its counts in
//! all three tables (its size stays published). The cells do not split the people who stay
//! by which category they stay in: the tables never publish that split, and categories.csv's
//! own protection covers its 2x2 table.

use crate::analyses::categories::{in_worse_category, CategoryRow};
use crate::analyses::distribution::{distributions, whole_sample_hidden};
use crate::analyses::reliable_change::{reliable_class, yardsticks, ReliableRow};
use crate::analyses::Analysis;
use crate::disclosure::{families_of, withheld_partitions, CountRow};
use crate::scale::Scale;
use crate::summarise::SlotCounts;
use crate::summarise::{paired_groups, ALL_GROUP_BY};

/// Cells per row, by key: move (3: stayed, out of the worse category, into it) × direction
/// (3) × reliable change (4: better, none, worse, no yardstick); most keys stay empty.
const CELLS: usize = 3 * 3 * 4;

/// Which rows of `pairs` (one per group and comparison, in order, as in comparisons.csv)
/// must have their counts withheld in every table that splits them, for `scale` with
/// `reliability` (as reliable_change.csv uses it). `suppressed` marks rows withheld whole
/// (their counts still guard their family's total); those are never returned as withheld.
pub fn nested_withheld(
    pairs: &[SlotCounts],
    scale: &Scale,
    reliability: Option<f64>,
    suppressed: &[bool],
    min_cell: usize,
) -> Vec<bool> {
    let in_worse = in_worse_category(scale);
    let moved = |a: f64, b: f64| match (in_worse(a), in_worse(b)) {
        (Some(true), Some(false)) => 1,
        (Some(false), Some(true)) => 2,
        _ => 0,
    };
    let yardsticks = reliability
        .or(scale.reliability)
        .map(|r| yardsticks(pairs, r))
        .unwrap_or_default();
    let (better, lower_is_better) = (scale.better(), scale.higher_is_worse);
    let rows: Vec<CountRow> = pairs
        .iter()
        .zip(suppressed)
        .map(|(counts, &withheld)| {
            let mut cells = vec![0u64; CELLS];
            for &((a, b), n) in &counts.pairs {
                let direction = better.direction(b - a);
                let reliable = yardsticks[counts.slot]
                    .map_or(3, |y| reliable_class(a, b, &y, lower_is_better));
                cells[(moved(a, b) * 3 + direction) * 4 + reliable] += n;
            }
            CountRow { cells, withheld }
        })
        .collect();
    let keys: Vec<(&str, usize)> = pairs.iter().map(|c| c.family_key()).collect();
    withheld_partitions(&rows, &families_of(&keys), min_cell as u64)
        .into_iter()
        .zip(suppressed)
        .map(|(withheld, &suppressed)| withheld && !suppressed)
        .collect()
}

/// Withholds, in all three tables, the counts of the rows [`nested_withheld`] names: the
/// improved / unchanged / worse counts of `analysis.rows`, and the counts and tests of the
/// category and reliable-change rows (when the scale has them). Where the whole sample's rows
/// are among them, its histogram and transitions are drawn again so that they do not give
/// those counts back.
pub fn withhold_nested(
    analysis: &mut Analysis,
    categories: Option<&mut [CategoryRow]>,
    reliable: Option<&mut [ReliableRow]>,
    (pairs, scale, reliability): (&[SlotCounts], &Scale, Option<f64>),
    min_cell: usize,
) {
    let suppressed: Vec<bool> = analysis.rows.iter().map(|r| r.suppressed()).collect();
    let nested = nested_withheld(pairs, scale, reliability, &suppressed, min_cell);
    let mut whole_sample_changed = false;
    let (mut categories, mut reliable) = (categories, reliable);
    for (i, _) in nested.iter().enumerate().filter(|(_, &w)| w) {
        let row = &mut analysis.rows[i];
        row.hidden_counts = [true; 3];
        whole_sample_changed |= row.group_by == ALL_GROUP_BY;
        if let Some(row) = categories.as_deref_mut().and_then(|rows| rows.get_mut(i)) {
            row.counts_withheld |= !row.suppressed;
            row.test = None;
        }
        if let Some(row) = reliable.as_deref_mut().and_then(|rows| rows.get_mut(i)) {
            row.counts_withheld |= !row.suppressed;
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
    }
}
