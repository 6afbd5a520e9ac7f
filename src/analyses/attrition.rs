//! Who dropped out (attrition.csv): people with a valid pre score who have, or lack, a valid
//! post (or follow-up) score, compared on their baseline score (Welch's t test) and on their
//! group mix (chi-squared test per grouping column), so readers can judge whether completers
//! differ from those lost. Derived from the counts behind timepoints.csv and comparisons.csv.

use crate::disclosure::groups::withheld_counts;
use crate::model::Timepoint;
use crate::stats::between::{chisq_independence, welch_t};
use crate::stats::describe::weighted_mean_sd;
use crate::summarise::SlotCounts;
use crate::summarise::ALL_GROUP_BY;

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
/// withheld from comparisons.csv take no part in the group-mix tests.
pub fn attrition_rows(
    scores: &[SlotCounts],
    pairs: &[SlotCounts],
    by: &[String],
    min_cell: usize,
    secondary: bool,
) -> Vec<AttritionRow> {
    fn find<'a>(
        list: &'a [SlotCounts],
        group_by: &str,
        group: &str,
        slot: usize,
    ) -> &'a [((f64, f64), u64)] {
        list.iter()
            .find(|c| c.group_by == group_by && c.group == group && c.slot == slot)
            .map_or(&[], |c| c.pairs.as_slice())
    }
    let total = |pairs: &[((f64, f64), u64)]| pairs.iter().map(|p| p.1).sum::<u64>();
    // Groups take part in the group-mix tests when their row of comparisons.csv is published,
    // so nothing here can be subtracted to recover a withheld group.
    let hidden = withheld_counts(pairs, min_cell, secondary);
    let mut rows = Vec::new();
    for (comparison, timepoint) in [(0, Timepoint::Post), (1, Timepoint::Followup)] {
        // Baseline scores of everyone with one, and of those who also have the later one.
        let with_pre = find(scores, ALL_GROUP_BY, crate::summarise::ALL_GROUP, 0);
        let completed_pairs = find(pairs, ALL_GROUP_BY, crate::summarise::ALL_GROUP, comparison);
        let mut completed: Vec<(f64, u64)> = Vec::new();
        for &((a, _), c) in completed_pairs {
            match completed.last_mut() {
                Some(last) if last.0 == a => last.1 += c,
                _ => completed.push((a, c)),
            }
        }
        let done_by_value: std::collections::HashMap<u64, u64> = completed
            .iter()
            .map(|&(v, c)| ((v + 0.0).to_bits(), c))
            .collect();
        let not_completed: Vec<(f64, u64)> = with_pre
            .iter()
            .map(|&((v, _), c)| {
                let done = done_by_value
                    .get(&(v + 0.0).to_bits())
                    .copied()
                    .unwrap_or(0);
                (v, c.saturating_sub(done))
            })
            .filter(|x| x.1 > 0)
            .collect();
        let n_done: u64 = completed.iter().map(|x| x.1).sum();
        let n_lost: u64 = not_completed.iter().map(|x| x.1).sum();
        // A side of fewer than min-cell people would have its mean (one person's score, at
        // worst) published: withheld. Both counts are in flow.csv anyway.
        let small = (n_done as usize) < min_cell || (n_lost as usize) < min_cell;
        let means = weighted_mean_sd(&completed)
            .zip(weighted_mean_sd(&not_completed))
            .map(|(a, b)| (a.mean, b.mean))
            .filter(|_| !small);
        let result = welch_t(&completed, &not_completed).filter(|_| !small);
        rows.push(AttritionRow {
            timepoint,
            compared_on: "baseline_score".into(),
            n_completed: n_done,
            n_not_completed: n_lost,
            means,
            test: "welch_t",
            result,
            note: if small {
                format!("fewer than {min_cell} people on one side: withheld")
            } else if result.is_none() {
                "too few people (or no spread) on one side for a t test".into()
            } else {
                String::new()
            },
        });
        for column in by {
            let table: Vec<Vec<u64>> = pairs
                .iter()
                .zip(&hidden)
                .filter(|(c, &h)| !h && &c.group_by == column && c.slot == comparison)
                .map(|(c, _)| {
                    let n_pre = total(find(scores, column, &c.group, 0));
                    let done = total(&c.pairs);
                    vec![done, n_pre.saturating_sub(done)]
                })
                .collect();
            let result = chisq_independence(&table);
            rows.push(AttritionRow {
                timepoint,
                compared_on: column.clone(),
                // Not published for a column: the baseline row minus these would count the
                // people of the groups left out.
                n_completed: table.iter().map(|r| r[0]).sum(),
                n_not_completed: table.iter().map(|r| r[1]).sum(),
                means: None,
                test: "chi_squared",
                result,
                // The groups the test used: published ones with someone with a pre score
                // (a group nobody in has a pre score has no row in R's table either).
                note: match result {
                    Some(_) => format!(
                        "{} groups: those published in comparisons.csv for {}, with a pre score",
                        table.iter().filter(|r| r[0] + r[1] > 0).count(),
                        ["pre_post", "pre_followup"][comparison]
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

/// attrition.csv for a run.
pub fn rows(context: &super::Context) -> Vec<AttritionRow> {
    attrition_rows(
        &context.summaries.scores,
        &context.summaries.pairs,
        context.by,
        context.options.min_cell,
        context.options.secondary,
    )
}
