//! Statistics for every paired group, disclosure control and p-value adjustment per family.

use crate::model::Comparison;
use crate::pair::PairedGroup;
use crate::stats::padjust::{p_adjust_by_family, PAdjust};
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
    /// Also withhold groups whose size could be found by subtracting the published groups
    /// of their family from the whole sample (see [`withheld`]).
    pub secondary: bool,
    /// Which signed-rank p-value to report.
    pub wilcoxon: crate::stats::wilcoxon::WilcoxonMethod,
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
    /// Count cells (improved, unchanged, worse) blanked by cell suppression
    /// (`--secondary-suppression`): small, or able to give a small one back by subtraction.
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

/// Computes every row. Suppressed groups are never analysed, so nothing about them can leak.
pub fn compare_groups(groups: &[PairedGroup], options: &CompareOptions) -> Vec<ComparisonRow> {
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
                compare_counted(
                    &g.pairs,
                    options.better,
                    options.conf_level,
                    options.wilcoxon,
                )
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
    if options.secondary {
        protect_count_cells(&mut rows, groups, options.min_cell, options.better);
    }
    rows
}

/// Blanks the improved / unchanged / worse counts that are small or would give a small one
/// back (each row adds up to n; each grouping column's groups add up to the whole sample's
/// row of the same comparison). Withheld rows count as blanked.
fn protect_count_cells(
    rows: &mut [ComparisonRow],
    groups: &[PairedGroup],
    min_cell: usize,
    better: Better,
) {
    use crate::disclosure::{families_of, protect_counts, CountRow};
    let counts: Vec<CountRow> = rows
        .iter()
        .zip(groups)
        .map(|(r, g)| match &r.result {
            Some(c) => CountRow {
                cells: vec![c.n_improved as u64, c.n_unchanged as u64, c.n_worse as u64],
                withheld: false,
            },
            // A withheld row's own counts (never published) guard its column totals.
            None => {
                let mut cells = vec![0u64; 3];
                for &((a, b), count) in &g.pairs {
                    cells[better.direction(b - a)] += count;
                }
                CountRow {
                    cells,
                    withheld: true,
                }
            }
        })
        .collect();
    let keys: Vec<(&str, usize)> = rows
        .iter()
        .map(|r| (r.group_by.as_str(), r.comparison as usize))
        .collect();
    let hidden = protect_counts(&counts, &families_of(&keys), min_cell as u64);
    for (row, flags) in rows.iter_mut().zip(hidden) {
        if row.result.is_some() {
            row.hidden_counts = [flags[0], flags[1], flags[2]];
        }
    }
}

/// [`withheld_in_families`] for counted pairs or scores: a family is a grouping column and a
/// slot (comparison or timepoint), a group's size its number of people.
pub fn withheld_counts(
    counts: &[crate::grouped::SlotCounts],
    min_cell: usize,
    secondary: bool,
) -> Vec<bool> {
    let sizes: Vec<usize> = counts
        .iter()
        .map(|c| c.pairs.iter().map(|p| p.1).sum::<u64>() as usize)
        .collect();
    let keys: Vec<(&str, usize)> = counts.iter().map(|c| c.family_key()).collect();
    withheld_in_families(&keys, &sizes, min_cell, secondary)
}

/// [`withheld`] applied to each family: the rows sharing a key (grouping column, and
/// comparison or timepoint). Whole-sample rows (`all`) are a family of one, withheld only when
/// below `min_cell`.
pub fn withheld_in_families(
    keys: &[(&str, usize)],
    sizes: &[usize],
    min_cell: usize,
    secondary: bool,
) -> Vec<bool> {
    let mut hidden = vec![false; sizes.len()];
    let mut families: Vec<(&str, usize)> = keys.to_vec();
    families.sort_unstable();
    families.dedup();
    for family in families {
        let members: Vec<usize> = (0..keys.len()).filter(|&i| keys[i] == family).collect();
        let member_sizes: Vec<usize> = members.iter().map(|&i| sizes[i]).collect();
        let secondary = secondary && family.0 != crate::pair::ALL_GROUP_BY;
        for (&i, h) in members
            .iter()
            .zip(withheld(&member_sizes, min_cell, secondary))
        {
            hidden[i] = h;
        }
    }
    hidden
}

/// Which groups of one family (groups of one column, which together hold the whole sample)
/// to withhold. Primary: those with fewer than `min_cell` people. Secondary (when asked):
/// the total withheld can be found by subtracting the published sizes from the whole sample,
/// so while it is between 1 and `min_cell - 1` the smallest published group is withheld too
/// (ties to the first in order). `min_cell` 0 withholds nothing.
pub fn withheld(sizes: &[usize], min_cell: usize, secondary: bool) -> Vec<bool> {
    let mut hidden: Vec<bool> = sizes.iter().map(|&n| n < min_cell).collect();
    if !secondary || min_cell == 0 {
        return hidden;
    }
    loop {
        let total: usize = sizes
            .iter()
            .zip(&hidden)
            .filter(|(_, &h)| h)
            .map(|(n, _)| n)
            .sum();
        if total == 0 || total >= min_cell {
            return hidden;
        }
        let next = (0..sizes.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (sizes[i], i));
        match next {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secondary_suppression_protects_the_withheld_total() {
        // One group of 3 withheld: 3 people could be found by subtraction, so the smallest
        // published group (12, the first of the two) goes too.
        assert_eq!(
            withheld(&[40, 3, 12, 12], 10, true),
            [false, true, true, false]
        );
        // Without secondary suppression only the small group.
        assert_eq!(
            withheld(&[40, 3, 12, 12], 10, false),
            [false, true, false, false]
        );
        // Two small groups of 4 and 7 already withhold 11 people: nothing more.
        assert_eq!(withheld(&[4, 7, 30], 10, true), [true, true, false]);
        // Empty groups reveal nobody: no secondary suppression for a total of 0.
        assert_eq!(withheld(&[0, 25, 30], 10, true), [true, false, false]);
        // Two small groups of 1 and 2: 3 people, so the next smallest (5, itself small) and
        // then one more are withheld until at least 10 are.
        assert_eq!(
            withheld(&[1, 2, 5, 20, 11], 10, true),
            [true, true, true, false, true]
        );
        // min_cell 0 withholds nothing.
        assert_eq!(withheld(&[0, 1], 0, true), [false, false]);
    }

    #[test]
    fn whole_sample_rows_are_their_own_family() {
        let keys = [
            ("all", 0),
            ("location", 0),
            ("location", 0),
            ("location", 1),
        ];
        let hidden = withheld_in_families(&keys, &[14, 4, 10, 4], 10, true);
        // location/pre_post: 4 is withheld, then 10 (the only other); location/pre_followup: 4.
        assert_eq!(hidden, [false, true, true, true]);
    }
}
