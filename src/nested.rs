//! Counts nested across tables, under `--secondary-suppression`.
//!
//! comparisons.csv, categories.csv and reliable_change.csv publish, for each group and
//! comparison, counts of the same people split three ways: by the direction of their change,
//! by their category before and after, and by reliable change. Each table's own protection
//! keeps its counts from giving away a small set, but two tables together can: a group with
//! 15 improved and 12 reliably better has 3 people who improved without a reliable change.
//! Every count the three tables publish for a row is a sum over its *atoms*, the finest
//! split of its people that all three agree with. When no atom of a published row, and none
//! of a family's total less its published rows, holds 1 to min-cell - 1 people, no sum or
//! difference of published counts does either. A row with such an atom loses its counts in
//! all three tables (its size stays published).

use crate::categories::worse_category;
use crate::disclosure::{families_of, withheld_partitions, CountRow};
use crate::grouped::SlotCounts;
use crate::reliable::{reliable_class, yardsticks};
use crate::scale::Scale;

/// Atoms per row: direction (3) × category before (3: worse, better, outside both) ×
/// category after (3) × reliable change (4: better, none, worse, no yardstick).
const ATOMS: usize = 3 * 3 * 3 * 4;

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
    let worse = worse_category(scale);
    let category = |v: f64| match worse.and_then(|w| scale.category(v).map(|l| l == w.label)) {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    };
    let yardsticks = reliability
        .or(scale.reliability)
        .map(|r| yardsticks(pairs, r))
        .unwrap_or_default();
    let lower_is_better = scale.higher_is_worse;
    let rows: Vec<CountRow> = pairs
        .iter()
        .zip(suppressed)
        .map(|(counts, &withheld)| {
            let mut cells = vec![0u64; ATOMS];
            for &((a, b), n) in &counts.pairs {
                let d = b - a;
                let direction = match (d == 0.0, (d < 0.0) == lower_is_better) {
                    (true, _) => 1,
                    (false, true) => 0,
                    (false, false) => 2,
                };
                let reliable = yardsticks[counts.slot]
                    .map_or(3, |y| reliable_class(a, b, &y, lower_is_better));
                let atom = ((direction * 3 + category(a)) * 3 + category(b)) * 4 + reliable;
                cells[atom] += n;
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
