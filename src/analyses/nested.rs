//! Applies the disclosure rule for counts nested across comparisons.csv, categories.csv and
//! reliable_change.csv ([`crate::disclosure::nested`]) to those tables, under
//! `--secondary-suppression`: the rows it names lose their counts in all three.

use super::distribution::{distributions, whole_sample_hidden};
use super::Analysis;
use crate::disclosure::nested::nested_withheld;
use crate::scale::Scale;
use crate::summarise::{paired_groups, SlotCounts, ALL_GROUP_BY};

/// Withholds, in all three tables, the counts of the rows [`nested_withheld`] names: the
/// improved / unchanged / worse counts of `analysis.rows`, and the counts and tests of the
/// category and reliable-change rows (when the scale has them). Where the whole sample's rows
/// are among them, its histogram and transitions are drawn again so that they do not give
/// those counts back.
pub fn withhold_nested(
    analysis: &mut Analysis,
    (pairs, scale, reliability): (&[SlotCounts], &Scale, Option<f64>),
    min_cell: usize,
) {
    let suppressed: Vec<bool> = analysis.rows.iter().map(|r| r.suppressed()).collect();
    let nested = nested_withheld(pairs, scale, reliability, &suppressed, min_cell);
    let mut whole_sample_changed = false;
    for (i, _) in nested.iter().enumerate().filter(|(_, &w)| w) {
        let row = &mut analysis.rows[i];
        row.hidden_counts = [true; 3];
        whole_sample_changed |= row.group_by == ALL_GROUP_BY;
        if let Some(row) = analysis
            .categories
            .as_mut()
            .and_then(|rows| rows.get_mut(i))
        {
            row.hidden = [!row.suppressed || row.counts_withheld(); 4];
            row.test = None;
        }
        if let Some(row) = analysis.reliable.as_mut().and_then(|rows| rows.get_mut(i)) {
            row.hidden = [!row.suppressed || row.counts_withheld(); 5];
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
