//! Reliable and clinically significant change (Jacobson & Truax 1991), per group
//! (reliable_change.csv): whether each person's change is larger than measurement error
//! alone would make it, and, on scales with a lonely / not lonely cut-off, whether they also
//! crossed it.
//!
//! The reliable change index of a person is `RCI = (later - earlier) / S_diff`, with
//! `S_diff = sqrt(2) * SD * sqrt(1 - r)`: SD is the standard deviation of the earlier scores
//! of everyone in the comparison (the whole sample, so every group is judged by the same
//! yardstick) and r the scale's reliability. |RCI| > 1.96 is a reliable change. Counts come
//! from the pair counts behind comparisons.csv, so they need no pass of their own.

use crate::disclosure::groups::withheld_counts;
use crate::model::Comparison;
use crate::scale::{in_worse_category, worse_category, Scale};
use crate::summarise::yardsticks::{reliable_class, yardsticks, Yardstick};
use crate::summarise::SlotCounts;

/// One row of reliable_change.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliableRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// People in the comparison.
    pub n: u64,
    /// Reliably better, no reliable change, reliably worse.
    pub counts: [u64; 3],
    /// Reliably better and moved out of the worse category; reliably worse and moved into
    /// it (scales with two categories only).
    pub recovered_deteriorated: Option<[u64; 2]>,
    /// The comparison's yardstick (`None` when the whole sample has no SD).
    pub yardstick: Option<Yardstick>,
    /// Withheld for disclosure control.
    pub suppressed: bool,
    /// Which counts are withheld (better, no change, worse, recovered, deteriorated; a
    /// percentage goes with its count), `n` and the yardstick published
    /// ([`super::count_cells`]).
    pub hidden: [bool; 5],
}

/// Rows in the order of comparisons.csv; `None` without a reliability (`--reliability` or
/// the scale's published one).
pub fn reliable_rows(
    pairs: &[SlotCounts],
    scale: &Scale,
    reliability: Option<f64>,
    min_cell: usize,
    secondary: bool,
) -> Option<Vec<ReliableRow>> {
    let yardsticks = yardsticks(pairs, reliability.or(scale.reliability)?);
    let worse = worse_category(scale);
    let in_worse = in_worse_category(scale);
    let lower_is_better = scale.higher_is_worse;
    let mut rows: Vec<ReliableRow> = pairs
        .iter()
        .map(|c| {
            let yardstick = yardsticks[c.slot];
            let mut counts = [0u64; 3];
            let mut moved = worse.map(|_| [0u64; 2]);
            let mut n = 0;
            for &((a, b), count) in &c.pairs {
                n += count;
                let Some(y) = yardstick else { continue };
                let class = reliable_class(a, b, &y, lower_is_better);
                counts[class] += count;
                if let (Some(m), Some(wa), Some(wb)) = (moved.as_mut(), in_worse(a), in_worse(b)) {
                    if class == 0 && wa && !wb {
                        m[0] += count;
                    }
                    if class == 2 && !wa && wb {
                        m[1] += count;
                    }
                }
            }
            ReliableRow {
                group_by: c.group_by.clone(),
                group: c.group.clone(),
                comparison: Comparison::ALL[c.slot],
                n,
                counts,
                recovered_deteriorated: moved,
                yardstick,
                suppressed: false,
                hidden: [false; 5],
            }
        })
        .collect();
    for (row, hidden) in rows
        .iter_mut()
        .zip(withheld_counts(pairs, min_cell, secondary))
    {
        row.suppressed = hidden;
    }
    Some(rows)
}
