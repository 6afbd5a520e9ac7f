//! Lonely or not, before and after (categories.csv): for scales with two categories (UCLA-3:
//! 3-5 not lonely, 6-9 lonely), how many people were in the worse category at each of the
//! two timepoints of a comparison, how many moved out of it and into it, and McNemar's test
//! of the change with its exact binomial version. Computed from the pair counts behind
//! comparisons.csv, so it needs no pass of its own and streams like them.

use crate::disclosure::groups::withheld_in_families;
use crate::model::Comparison;
use crate::scale::{in_worse_category, worse_category, Scale};
use crate::stats::mcnemar::{mcnemar, McNemar};
use crate::summarise::SlotCounts;

/// One row of categories.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// People with a category at both timepoints.
    pub n: u64,
    /// In the worse category at the earlier timepoint.
    pub worse_earlier: u64,
    /// In the worse category at the later timepoint.
    pub worse_later: u64,
    /// Moved out of the worse category.
    pub to_better: u64,
    /// Moved into the worse category.
    pub to_worse: u64,
    /// McNemar's test; `None` when nobody moved or the row is suppressed.
    pub test: Option<McNemar>,
    /// Withheld for disclosure control (fewer than min-cell people, or secondary).
    pub suppressed: bool,
    /// Which counts are withheld (worse earlier, worse later, to better, to worse), `n`
    /// published ([`super::count_cells`]: small, or protecting a small one). The test goes
    /// with either move, which it gives back.
    pub hidden: [bool; 4],
}

/// categories.csv rows from the pair counts (`summaries.pairs`), in their order; `None` when
/// the scale does not have exactly two categories.
pub fn category_rows(
    pairs: &[SlotCounts],
    scale: &Scale,
    min_cell: usize,
    secondary: bool,
) -> Option<Vec<CategoryRow>> {
    worse_category(scale)?;
    let is_worse = in_worse_category(scale);
    let mut rows: Vec<CategoryRow> = pairs
        .iter()
        .map(|counts| {
            let mut row = CategoryRow {
                group_by: counts.group_by.clone(),
                group: counts.group.clone(),
                comparison: Comparison::ALL[counts.slot],
                n: 0,
                worse_earlier: 0,
                worse_later: 0,
                to_better: 0,
                to_worse: 0,
                test: None,
                suppressed: false,
                hidden: [false; 4],
            };
            for &((a, b), count) in &counts.pairs {
                let (Some(wa), Some(wb)) = (is_worse(a), is_worse(b)) else {
                    continue; // a total outside every category (custom scales)
                };
                row.n += count;
                row.worse_earlier += u64::from(wa) * count;
                row.worse_later += u64::from(wb) * count;
                row.to_better += u64::from(wa && !wb) * count;
                row.to_worse += u64::from(!wa && wb) * count;
            }
            row
        })
        .collect();
    let sizes: Vec<usize> = rows.iter().map(|r| r.n as usize).collect();
    let keys: Vec<(&str, usize)> = pairs.iter().map(|c| c.family_key()).collect();
    let hidden = withheld_in_families(&keys, &sizes, min_cell, secondary);
    for (row, &hidden) in rows.iter_mut().zip(&hidden) {
        row.suppressed = hidden;
    }
    for row in &mut rows {
        if !row.suppressed {
            row.test = mcnemar(row.to_better, row.to_worse);
        }
    }
    Some(rows)
}
