//! "Did it last?" across all three timepoints at once: for the whole sample and every group,
//! the people with valid pre, post and follow-up scores, Friedman's test of whether the three
//! differ and Kendall's W (repeated.csv). Complements the paired comparisons, which each use
//! everyone with the two timepoints they compare.

use crate::disclosure::groups::withheld_in_families;
use crate::stats::friedman::{friedman, Friedman, FriedmanSums, NoFriedman};
use crate::stats::padjust::{p_adjust_by_family, PAdjust};
use crate::summarise::GroupTotals;

/// One row of repeated.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatedRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// People with all three scores (not published when suppressed).
    pub n: u64,
    /// The test; `None` when suppressed or not computable (`note` says which).
    pub result: Option<Friedman>,
    /// `p` adjusted within the rows sharing `group_by`.
    pub p_adj: Option<f64>,
    /// Whether the row is withheld (fewer than min-cell people, or secondary suppression).
    pub suppressed: bool,
    /// Why there is no test, if there is none and the row is not suppressed.
    pub note: &'static str,
}

/// The rows of repeated.csv from the sums, with disclosure control as in comparisons.csv and
/// p-values adjusted within each grouping column.
pub fn repeated_rows(
    sums: &[GroupTotals<FriedmanSums>],
    min_cell: usize,
    secondary: bool,
    method: PAdjust,
) -> Vec<RepeatedRow> {
    let sizes: Vec<usize> = sums.iter().map(|s| s.totals.n as usize).collect();
    let keys: Vec<(&str, usize)> = sums.iter().map(|s| (s.group_by.as_str(), 0)).collect();
    let hidden = withheld_in_families(&keys, &sizes, min_cell, secondary);
    let mut rows: Vec<RepeatedRow> = sums
        .iter()
        .zip(hidden)
        .map(|(s, hidden)| {
            let (result, note) = match (hidden, friedman(&s.totals)) {
                (true, _) => (None, ""),
                (false, Ok(f)) => (Some(f), ""),
                (false, Err(NoFriedman::Empty)) => (None, "nobody has all three scores"),
                (false, Err(NoFriedman::AllTied)) => {
                    (None, "every person's three scores are equal: no test")
                }
            };
            RepeatedRow {
                group_by: s.group_by.clone(),
                group: s.group.clone(),
                n: s.totals.n,
                result,
                p_adj: None,
                suppressed: hidden,
                note,
            }
        })
        .collect();
    let families: Vec<(String, Option<f64>)> = rows
        .iter()
        .map(|r| (r.group_by.clone(), r.result.map(|f| f.p)))
        .collect();
    for (row, adjusted) in rows.iter_mut().zip(p_adjust_by_family(&families, method)) {
        row.p_adj = adjusted;
    }
    rows
}

/// repeated.csv for a run.
pub fn rows(context: &super::Context) -> Vec<RepeatedRow> {
    let options = context.options;
    repeated_rows(
        &context.summaries.repeated,
        options.min_cell,
        options.secondary,
        options.p_adjust,
    )
}
