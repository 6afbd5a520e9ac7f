//! The yardstick reliable change is judged by (Jacobson & Truax 1991): per comparison, the
//! standard error of a difference `S_diff = sqrt(2) * SD * sqrt(1 - r)` from the whole
//! sample's earlier scores, so every group is judged by the same one. reliable_change.csv
//! and the disclosure control of counts nested across tables both classify people by it.

use super::{SlotCounts, ALL_GROUP_BY};
use crate::stats::describe::weighted_mean_sd;

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
