//! Does change differ between the groups of a column (between_groups.csv)? For each grouping
//! column and comparison: Kruskal-Wallis on the change scores, Welch's one-way ANOVA on them,
//! and the ANCOVA of the later score on the earlier one plus group, over the groups published
//! in comparisons.csv (withheld groups take no part, so nothing about them can be read back).

use crate::disclosure::groups::withheld_counts;
use crate::model::Comparison;
use crate::stats::between::{ancova, kruskal_wallis, welch_anova, FTest, KruskalWallis};
use crate::summarise::SlotCounts;
use crate::summarise::ALL_GROUP_BY;

/// One row of between_groups.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct BetweenRow {
    /// Grouping column.
    pub group_by: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// Groups compared (those not withheld).
    pub groups: usize,
    /// People in them.
    pub n: u64,
    /// Kruskal-Wallis on change.
    pub kruskal: Option<KruskalWallis>,
    /// Welch's ANOVA on change.
    pub welch: Option<FTest>,
    /// ANCOVA: later ~ earlier + group.
    pub ancova: Option<FTest>,
    /// Why a test is missing.
    pub note: &'static str,
}

/// Rows for every grouping column and comparison, from the pair counts.
pub fn between_rows(pairs: &[SlotCounts], min_cell: usize, secondary: bool) -> Vec<BetweenRow> {
    let hidden = withheld_counts(pairs, min_cell, secondary);
    let mut families: Vec<(&str, usize)> = Vec::new();
    for key in pairs.iter().map(|c| (c.group_by.as_str(), c.slot)) {
        if key.0 != ALL_GROUP_BY && !families.contains(&key) {
            families.push(key);
        }
    }
    families
        .into_iter()
        .map(|(group_by, slot)| {
            let members: Vec<&SlotCounts> = pairs
                .iter()
                .zip(&hidden)
                .filter(|(c, &h)| !h && c.group_by == group_by && c.slot == slot)
                .map(|(c, _)| c)
                .filter(|c| !c.pairs.is_empty())
                .collect();
            let changes: Vec<Vec<(f64, u64)>> = members
                .iter()
                .map(|c| {
                    let mut d: Vec<(f64, u64)> =
                        c.pairs.iter().map(|&((a, b), n)| (b - a, n)).collect();
                    d.sort_by(|x, y| x.0.total_cmp(&y.0));
                    d.dedup_by(|later, first| {
                        let same = later.0 == first.0;
                        if same {
                            first.1 += later.1;
                        }
                        same
                    });
                    d
                })
                .collect();
            let scores: Vec<Vec<((f64, f64), u64)>> =
                members.iter().map(|c| c.pairs.clone()).collect();
            let n = members
                .iter()
                .flat_map(|c| c.pairs.iter())
                .map(|p| p.1)
                .sum();
            let enough = members.len() >= 2;
            BetweenRow {
                group_by: group_by.to_string(),
                comparison: Comparison::ALL[slot],
                groups: members.len(),
                n,
                kruskal: if enough {
                    kruskal_wallis(&changes)
                } else {
                    None
                },
                welch: if enough { welch_anova(&changes) } else { None },
                ancova: if enough { ancova(&scores) } else { None },
                note: if enough {
                    ""
                } else {
                    "fewer than two groups of at least min-cell people: no comparison"
                },
            }
        })
        .collect()
}

/// between_groups.csv for a run.
pub fn rows(context: &super::Context) -> Vec<BetweenRow> {
    between_rows(
        &context.summaries.pairs,
        context.options.min_cell,
        context.options.secondary,
    )
}
