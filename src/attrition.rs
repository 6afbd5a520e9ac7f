//! Who dropped out (attrition.csv): people with a valid pre score who have, or lack, a valid
//! post (or follow-up) score, compared on their baseline score (Welch's t test) and on their
//! group mix (chi-squared test per grouping column), so readers can judge whether completers
//! differ from those lost. Derived from the counts behind timepoints.csv and comparisons.csv.

use crate::grouped::SlotCounts;
use crate::model::Timepoint;
use crate::pair::ALL_GROUP_BY;
use crate::stats::between::{chisq_independence, welch_t};
use crate::stats::describe::weighted_mean_sd;

/// One row of attrition.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct AttritionRow {
    /// The later timepoint people completed or not.
    pub timepoint: Timepoint,
    /// `baseline_score`, or the grouping column compared.
    pub compared_on: String,
    /// People with a valid pre score who have / lack a valid score at `timepoint` (in the
    /// groups compared, for a grouping column).
    pub n_completed: u64,
    /// See `n_completed`.
    pub n_not_completed: u64,
    /// Mean baseline score of each (baseline rows only).
    pub means: Option<(f64, f64)>,
    /// Test: "welch_t" or "chi_squared".
    pub test: &'static str,
    /// Statistic, df, p; `None` when the test cannot be computed.
    pub result: Option<(f64, f64, f64)>,
    /// Groups taken into the chi-squared test, and why a test is missing.
    pub note: String,
}

/// Rows for post and follow-up: baseline score, then each grouping column in order. Groups
/// with fewer than `min_cell` people with a pre score take no part in the group-mix tests.
pub fn attrition_rows(
    scores: &[SlotCounts],
    pairs: &[SlotCounts],
    by: &[String],
    min_cell: usize,
) -> Vec<AttritionRow> {
    let find = |list: &[SlotCounts], group_by: &str, group: &str, slot: usize| {
        list.iter()
            .find(|c| c.group_by == group_by && c.group == group && c.slot == slot)
            .map(|c| c.pairs.clone())
            .unwrap_or_default()
    };
    let total = |pairs: &[((f64, f64), u64)]| pairs.iter().map(|p| p.1).sum::<u64>();
    let mut rows = Vec::new();
    for (comparison, timepoint) in [(0, Timepoint::Post), (1, Timepoint::Followup)] {
        // Baseline scores of everyone with one, and of those who also have the later one.
        let with_pre = find(scores, ALL_GROUP_BY, crate::pair::ALL_GROUP, 0);
        let completed_pairs = find(pairs, ALL_GROUP_BY, crate::pair::ALL_GROUP, comparison);
        let mut completed: Vec<(f64, u64)> = Vec::new();
        for &((a, _), c) in &completed_pairs {
            match completed.last_mut() {
                Some(last) if last.0 == a => last.1 += c,
                _ => completed.push((a, c)),
            }
        }
        let not_completed: Vec<(f64, u64)> = with_pre
            .iter()
            .map(|&((v, _), c)| {
                let done = completed.iter().find(|x| x.0 == v).map_or(0, |x| x.1);
                (v, c - done)
            })
            .filter(|x| x.1 > 0)
            .collect();
        let n_done: u64 = completed.iter().map(|x| x.1).sum();
        let n_lost: u64 = not_completed.iter().map(|x| x.1).sum();
        let means = weighted_mean_sd(&completed)
            .zip(weighted_mean_sd(&not_completed))
            .map(|(a, b)| (a.mean, b.mean));
        let result = welch_t(&completed, &not_completed);
        rows.push(AttritionRow {
            timepoint,
            compared_on: "baseline_score".into(),
            n_completed: n_done,
            n_not_completed: n_lost,
            means,
            test: "welch_t",
            result,
            note: if result.is_none() {
                "too few people (or no spread) on one side for a t test".into()
            } else {
                String::new()
            },
        });
        for column in by {
            let mut table = Vec::new();
            for group in scores
                .iter()
                .filter(|c| &c.group_by == column && c.slot == 0)
            {
                let n_pre = total(&group.pairs);
                if n_pre == 0 || (n_pre as usize) < min_cell {
                    continue;
                }
                let done = total(&find(pairs, column, &group.group, comparison));
                table.push(vec![done, n_pre - done]);
            }
            let result = chisq_independence(&table);
            rows.push(AttritionRow {
                timepoint,
                compared_on: column.clone(),
                n_completed: table.iter().map(|r| r[0]).sum(),
                n_not_completed: table.iter().map(|r| r[1]).sum(),
                means: None,
                test: "chi_squared",
                result,
                note: match result {
                    Some(_) => format!(
                        "{} groups of at least {min_cell} people with a pre score",
                        table.len()
                    ),
                    None => {
                        "fewer than two groups, or nobody (or everybody) completed: no test".into()
                    }
                },
            });
        }
    }
    rows
}
