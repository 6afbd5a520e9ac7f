//! Mean score at each timepoint, for the whole sample and each group: the "did it last?"
//! picture. Each timepoint uses everyone with a valid score then (not only complete cases),
//! so attrition shows; the paired comparisons answer the within-person question.

use crate::model::Timepoint;
use crate::stats::describe::weighted_mean_sd;
use crate::stats::ttest::paired_t;
use crate::summarise::SlotCounts;

/// One row of timepoints.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct TimepointSummary {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// When.
    pub timepoint: Timepoint,
    /// `None` when suppressed (fewer than `min_cell` people).
    pub stats: Option<MeanCi>,
}

/// Mean with its t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// People with a valid score.
    pub n: usize,
    /// Mean score (`None` when n = 0).
    pub mean: Option<f64>,
    /// Standard deviation.
    pub sd: Option<f64>,
    /// CI of the mean: R `t.test(x)$conf.int`; `None` with n < 2 or no spread.
    pub ci: Option<(f64, f64)>,
}

/// Mean and CI of counted values; `None` below `min_cell` people.
fn summarise(values: &[(f64, u64)], conf_level: f64, min_cell: usize) -> Option<MeanCi> {
    let n = values.iter().map(|v| v.1).sum::<u64>() as usize;
    if n < min_cell {
        return None;
    }
    let m = weighted_mean_sd(values);
    Some(MeanCi {
        n,
        mean: m.map(|m| m.mean),
        sd: m.and_then(|m| m.sd()),
        ci: m
            .and_then(|m| paired_t(&m, conf_level).ok())
            .map(|t| (t.ci_low, t.ci_high)),
    })
}

/// Summaries in the order of comparisons.csv: whole sample, then each grouping column's
/// groups sorted by name; timepoints in time order within each group. Scores are counted per
/// distinct value (sorted), so the summaries do not depend on row order.
pub fn timepoint_summaries(
    counts: &[SlotCounts],
    conf_level: f64,
    min_cell: usize,
    secondary: bool,
) -> Vec<TimepointSummary> {
    let hidden = crate::disclosure::groups::withheld_counts(counts, min_cell, secondary);
    counts
        .iter()
        .zip(hidden)
        .map(|(counts, hidden)| {
            let values: Vec<(f64, u64)> = counts.pairs.iter().map(|&((v, _), c)| (v, c)).collect();
            TimepointSummary {
                group_by: counts.group_by.clone(),
                group: counts.group.clone(),
                timepoint: Timepoint::ALL[counts.slot],
                stats: if hidden {
                    None
                } else {
                    summarise(&values, conf_level, min_cell)
                },
            }
        })
        .collect()
}
