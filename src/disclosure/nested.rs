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
//! all three tables (its size stays published; `analyses::nested` applies this to the
//! tables). The cells do not split the people who stay
//! by which category they stay in: the tables never publish that split, and categories.csv's
//! own protection covers its 2x2 table.

use super::{families_of, withheld_partitions, CountRow};
use crate::scale::{in_worse_category, Scale};
use crate::summarise::yardsticks::{reliable_class, yardsticks};
use crate::summarise::SlotCounts;

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
