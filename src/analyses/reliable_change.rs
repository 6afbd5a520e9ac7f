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

use crate::analyses::categories::{in_worse_category, worse_category};
use crate::disclosure::groups::withheld_counts;
use crate::disclosure::{families_of, withheld_partitions, CountRow};
use crate::model::Comparison;
use crate::scale::Scale;
use crate::stats::describe::weighted_mean_sd;
use crate::summarise::SlotCounts;
use crate::summarise::ALL_GROUP_BY;

/// |RCI| beyond which a change is reliable (two-sided 5%).
pub const RCI_CRITICAL: f64 = 1.96;

/// The yardstick of one comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Yardstick {
    /// Reliability used.
    pub reliability: f64,
    /// SD of the earlier scores of the whole sample in the comparison.
    pub sd_earlier: f64,
    /// Standard error of a difference: sqrt(2) * SD * sqrt(1 - r).
    pub s_diff: f64,
}

/// Each comparison's yardstick (by slot) for reliability `r`, from the whole sample's
/// earlier scores; `None` where they have no spread.
pub fn yardsticks(pairs: &[SlotCounts], r: f64) -> [Option<Yardstick>; 3] {
    std::array::from_fn(|slot| {
        let whole = pairs
            .iter()
            .find(|c| c.group_by == ALL_GROUP_BY && c.slot == slot)?;
        let earlier: Vec<(f64, u64)> = whole.pairs.iter().map(|&((a, _), c)| (a, c)).collect();
        let sd = weighted_mean_sd(&earlier)?.sd()?;
        let s_diff = std::f64::consts::SQRT_2 * sd * (1.0 - r).sqrt();
        (s_diff > 0.0).then_some(Yardstick {
            reliability: r,
            sd_earlier: sd,
            s_diff,
        })
    })
}

/// A change from `a` to `b` judged by `y`: 0 reliably better, 1 no reliable change, 2
/// reliably worse.
pub fn reliable_class(a: f64, b: f64, y: &Yardstick, lower_is_better: bool) -> usize {
    let rci = (b - a) / y.s_diff;
    let better = if lower_is_better {
        rci < 0.0
    } else {
        rci > 0.0
    };
    if rci.abs() <= RCI_CRITICAL {
        1
    } else if better {
        0
    } else {
        2
    }
}

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
    /// The counts and percentages withheld, `n` published (`--secondary-suppression`: one of
    /// them, or one derivable from the other groups, would be below min-cell).
    pub counts_withheld: bool,
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
                counts_withheld: false,
            }
        })
        .collect();
    for (row, hidden) in rows
        .iter_mut()
        .zip(withheld_counts(pairs, min_cell, secondary))
    {
        row.suppressed = hidden;
    }
    if secondary {
        // Each row's people split into: better (not recovered), recovered, no change, worse
        // (not deteriorated), deteriorated; the published counts are sums of these.
        let partitions: Vec<CountRow> = rows
            .iter()
            .map(|r| {
                let [rec, det] = r.recovered_deteriorated.unwrap_or([0, 0]);
                CountRow {
                    cells: vec![r.counts[0] - rec, rec, r.counts[1], r.counts[2] - det, det],
                    withheld: r.suppressed,
                }
            })
            .collect();
        let keys: Vec<(&str, usize)> = pairs.iter().map(|c| c.family_key()).collect();
        let withheld = withheld_partitions(&partitions, &families_of(&keys), min_cell as u64);
        for (row, withheld) in rows.iter_mut().zip(withheld) {
            row.counts_withheld = withheld && !row.suppressed;
        }
    }
    Some(rows)
}
