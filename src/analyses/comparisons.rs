//! Statistics for every paired group, disclosure control and p-value adjustment per family.

use super::AnalysisOptions;
use crate::disclosure::groups::withheld_in_families;
use crate::model::Comparison;
use crate::stats::padjust::{p_adjust_by_family, PAdjust};
use crate::stats::paired::{compare_counted, PairedComparison};
use crate::summarise::PairedGroup;
use rayon::prelude::*;

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
    /// Count cells (improved, unchanged, worse) withheld by the protection of count cells
    /// ([`super::count_cells`]): small, or protecting a small one.
    pub hidden_counts: [bool; 3],
}

impl ComparisonRow {
    /// Whether the row is withheld because the group is smaller than `--min-cell`.
    pub fn suppressed(&self) -> bool {
        self.result.is_none()
    }

    /// The share improved as it may be published: `None` where disclosure control withholds
    /// `n_improved`, since the share and `n` give it back. Every output that quotes the
    /// share (tables, headline, terminal) takes it from here.
    pub fn published_pct_improved(&self) -> Option<f64> {
        self.result
            .as_ref()
            .and_then(|r| r.pct_improved())
            .filter(|_| !self.hidden_counts[0])
    }
}

/// The note on every row of a measure that is one ordinal answer.
pub const ORDINAL_NOTE: &str = "one ordinal answer: the means and t test assume equal steps between answers; read the signed-rank test and the shares";

/// Computes every row. Suppressed groups are never analysed, so nothing about them can leak.
pub fn compare_groups(groups: &[PairedGroup], options: &AnalysisOptions) -> Vec<ComparisonRow> {
    let sizes: Vec<usize> = groups.iter().map(PairedGroup::n).collect();
    let keys: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.group_by.as_str(), g.comparison as usize))
        .collect();
    let hidden = withheld_in_families(&keys, &sizes, options.min_cell, options.secondary);
    // Rows are independent; the noncentral-t intervals of large groups dominate, so they
    // run on every core.
    let mut rows: Vec<ComparisonRow> = groups
        .par_iter()
        .zip(hidden.par_iter())
        .map(|(g, &hidden)| {
            let result = (!hidden).then(|| {
                let mut result = compare_counted(
                    &g.pairs,
                    options.better,
                    options.conf_level,
                    options.wilcoxon,
                );
                if options.ordinal {
                    result.notes.push(ORDINAL_NOTE);
                }
                result
            });
            ComparisonRow {
                group_by: g.group_by.clone(),
                group: g.group.clone(),
                comparison: g.comparison,
                result,
                p_t_adj: None,
                p_wilcoxon_adj: None,
                hidden_counts: [false; 3],
            }
        })
        .collect();
    adjust_families(&mut rows, options.p_adjust);
    rows
}

/// Adjusts p-values within each family: rows sharing `group_by` and `comparison` that are not
/// suppressed and have a p-value.
fn adjust_families(rows: &mut [ComparisonRow], method: PAdjust) {
    let family = |r: &ComparisonRow| (r.group_by.clone(), r.comparison);
    let t: Vec<_> = rows
        .iter()
        .map(|r| (family(r), r.result.as_ref().and_then(|c| c.t).map(|t| t.p)))
        .collect();
    let w: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                family(r),
                r.result.as_ref().and_then(|c| c.wilcoxon).map(|w| w.p),
            )
        })
        .collect();
    let (t, w) = (
        p_adjust_by_family(&t, method),
        p_adjust_by_family(&w, method),
    );
    for ((row, t), w) in rows.iter_mut().zip(t).zip(w) {
        row.p_t_adj = t;
        row.p_wilcoxon_adj = w;
    }
}
