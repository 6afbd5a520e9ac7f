//! "Did it last?" using every score, not only complete pairs: the linear mixed model
//! `score ~ timepoint + (1 | person)` (REML, Satterthwaite df) for the whole sample and every
//! group (mixed_model.csv). People without a follow-up still inform the pre and post means,
//! which is what makes the follow-up estimate fairer under attrition than a paired test on
//! completers alone (if dropping out depends on earlier scores, not on the missing one).

use crate::disclosure::groups::withheld_in_families;
use crate::model::Timepoint;
use crate::stats::mixed::{fit_mixed, Contrast, MixedFit, MixedSums, Term};
use crate::stats::padjust::{p_adjust_by_family, PAdjust};
use crate::summarise::GroupTotals;

/// What a row of mixed_model.csv reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// The model's mean score at a timepoint.
    Mean(Timepoint),
    /// The change from pre to a later timepoint (a fixed effect).
    Change(Timepoint),
}

impl Quantity {
    /// Rows per fitted group, in output order.
    pub const ALL: [Quantity; 5] = [
        Quantity::Mean(Timepoint::Pre),
        Quantity::Mean(Timepoint::Post),
        Quantity::Mean(Timepoint::Followup),
        Quantity::Change(Timepoint::Post),
        Quantity::Change(Timepoint::Followup),
    ];

    /// The `term` column.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Mean(Timepoint::Pre) => "mean_pre",
            Quantity::Mean(Timepoint::Post) => "mean_post",
            Quantity::Mean(Timepoint::Followup) => "mean_followup",
            Quantity::Change(Timepoint::Post) => "post_vs_pre",
            Quantity::Change(Timepoint::Followup) => "followup_vs_pre",
            Quantity::Change(Timepoint::Pre) => unreachable!("no change from pre to pre"),
        }
    }

    fn weights(self, fit: &MixedFit) -> Option<Vec<f64>> {
        match self {
            Quantity::Mean(tp) => fit.weights_of_mean(tp.index()),
            Quantity::Change(Timepoint::Post) => fit.weights_of(Term::Post),
            Quantity::Change(Timepoint::Followup) => fit.weights_of(Term::Followup),
            Quantity::Change(Timepoint::Pre) => None,
        }
    }
}

/// One row of mixed_model.csv: one quantity of one group's model, or a group's single row
/// when it is withheld or has no model.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// People with at least one score, and their scores (not published when suppressed).
    pub people: u64,
    /// Scores used.
    pub observations: u64,
    /// What the row estimates; `None` on a group's single row without a model.
    pub quantity: Option<Quantity>,
    /// The estimate with its test and interval.
    pub contrast: Option<Contrast>,
    /// `p` adjusted within the rows of one grouping column and change.
    pub p_adj: Option<f64>,
    /// Random-intercept and residual variance of the group's model.
    pub variances: Option<(f64, f64)>,
    /// Whether the random-intercept variance is zero (lme4: "boundary (singular) fit").
    pub singular: bool,
    /// Whether the group is withheld.
    pub suppressed: bool,
    /// Why there is no estimate, if there is none and the row is not suppressed.
    pub note: &'static str,
}

/// The rows of mixed_model.csv, with disclosure control as in comparisons.csv (on people)
/// and the changes' p-values adjusted within each grouping column.
pub fn mixed_rows(
    sums: &[GroupTotals<MixedSums>],
    conf_level: f64,
    min_cell: usize,
    secondary: bool,
    method: PAdjust,
) -> Vec<MixedRow> {
    let sizes: Vec<usize> = sums.iter().map(|s| s.totals.people() as usize).collect();
    let keys: Vec<(&str, usize)> = sums.iter().map(|s| (s.group_by.as_str(), 0)).collect();
    let hidden = withheld_in_families(&keys, &sizes, min_cell, secondary);
    let mut rows = Vec::new();
    for (s, hidden) in sums.iter().zip(hidden) {
        let single = |note: &'static str, suppressed: bool| MixedRow {
            group_by: s.group_by.clone(),
            group: s.group.clone(),
            people: s.totals.people(),
            observations: s.totals.observations(),
            quantity: None,
            contrast: None,
            p_adj: None,
            variances: None,
            singular: false,
            suppressed,
            note,
        };
        if hidden {
            rows.push(single("", true));
            continue;
        }
        let fit = match fit_mixed(&s.totals) {
            Ok(fit) => fit,
            Err(why) => {
                rows.push(single(why.note(), false));
                continue;
            }
        };
        for quantity in Quantity::ALL {
            let Some(weights) = quantity.weights(&fit) else {
                continue; // nobody in the group has that timepoint
            };
            let contrast = fit.contrast(&weights, conf_level);
            rows.push(MixedRow {
                quantity: Some(quantity),
                contrast,
                variances: Some((fit.var_intercept, fit.var_residual)),
                singular: fit.singular,
                note: if contrast.is_none() {
                    "no variance: no test"
                } else {
                    ""
                },
                ..single("", false)
            });
        }
    }
    adjust_changes(&mut rows, method);
    rows
}

/// Adjusts the changes' p-values within each (grouping column, change) family.
fn adjust_changes(rows: &mut [MixedRow], method: PAdjust) {
    let families: Vec<((String, &'static str), Option<f64>)> = rows
        .iter()
        .map(|r| {
            let change = matches!(r.quantity, Some(Quantity::Change(_)));
            (
                (r.group_by.clone(), r.quantity.map_or("", Quantity::name)),
                r.contrast.filter(|_| change).map(|c| c.p),
            )
        })
        .collect();
    for (row, adjusted) in rows.iter_mut().zip(p_adjust_by_family(&families, method)) {
        row.p_adj = adjusted;
    }
}

/// mixed_model.csv for a run.
pub fn rows(context: &super::Context) -> Vec<MixedRow> {
    let options = context.options;
    mixed_rows(
        &context.summaries.mixed,
        options.conf_level,
        options.min_cell,
        options.secondary,
        options.p_adjust,
    )
}
