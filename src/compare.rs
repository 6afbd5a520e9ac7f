//! Statistics for every paired group, disclosure control and p-value adjustment per family.

use crate::model::Comparison;
use crate::pair::PairedGroup;
use crate::stats::padjust::{p_adjust, PAdjust};
use crate::stats::paired::{compare_counted, Better, PairedComparison};
use rayon::prelude::*;

/// Settings that change the statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Groups with fewer people than this are suppressed; 0 turns suppression off.
    pub min_cell: usize,
    /// Adjustment within each (group_by, comparison) family.
    pub p_adjust: PAdjust,
    /// Direction of improvement.
    pub better: Better,
}

/// One row of comparisons.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// `None` when suppressed for disclosure control.
    pub result: Option<PairedComparison>,
    /// Adjusted t-test p-value.
    pub p_t_adj: Option<f64>,
    /// Adjusted Wilcoxon p-value.
    pub p_wilcoxon_adj: Option<f64>,
}

impl ComparisonRow {
    /// Whether the row is withheld because the group is smaller than `--min-cell`.
    pub fn suppressed(&self) -> bool {
        self.result.is_none()
    }
}

/// Computes every row. Suppressed groups are never analysed, so nothing about them can leak.
pub fn compare_groups(groups: &[PairedGroup], options: &CompareOptions) -> Vec<ComparisonRow> {
    // Rows are independent; the noncentral-t intervals of large groups dominate, so they
    // run on every core.
    let mut rows: Vec<ComparisonRow> = groups
        .par_iter()
        .map(|g| {
            let result = (g.n() >= options.min_cell)
                .then(|| compare_counted(&g.pairs, options.better, options.conf_level));
            ComparisonRow {
                group_by: g.group_by.clone(),
                group: g.group.clone(),
                comparison: g.comparison,
                result,
                p_t_adj: None,
                p_wilcoxon_adj: None,
            }
        })
        .collect();
    adjust_families(&mut rows, options.p_adjust);
    rows
}

/// Adjusts p-values within each family: rows sharing `group_by` and `comparison` that are not
/// suppressed and have a p-value.
fn adjust_families(rows: &mut [ComparisonRow], method: PAdjust) {
    let mut families: Vec<(String, Comparison)> = rows
        .iter()
        .map(|r| (r.group_by.clone(), r.comparison))
        .collect();
    families.sort();
    families.dedup();
    for (group_by, comparison) in families {
        let members: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].group_by == group_by && rows[i].comparison == comparison)
            .collect();
        let t: Vec<(usize, f64)> = members
            .iter()
            .filter_map(|&i| rows[i].result.as_ref().and_then(|r| r.t).map(|t| (i, t.p)))
            .collect();
        let adjusted = p_adjust(&t.iter().map(|x| x.1).collect::<Vec<_>>(), method);
        for ((i, _), adj) in t.iter().zip(adjusted) {
            rows[*i].p_t_adj = Some(adj);
        }
        let w: Vec<(usize, f64)> = members
            .iter()
            .filter_map(|&i| {
                rows[i]
                    .result
                    .as_ref()
                    .and_then(|r| r.wilcoxon)
                    .map(|w| (i, w.p))
            })
            .collect();
        let adjusted = p_adjust(&w.iter().map(|x| x.1).collect::<Vec<_>>(), method);
        for ((i, _), adj) in w.iter().zip(adjusted) {
            rows[*i].p_wilcoxon_adj = Some(adj);
        }
    }
}
