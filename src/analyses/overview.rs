//! The overview of a run with several measures (overview.csv): for each measure its
//! whole-sample change from referral to end of support, and whether it lasted (referral to
//! follow-up, and the drift after support ended), taken from its own comparisons.csv rows,
//! so the overview publishes nothing a measure's own tables withhold.

use super::comparisons::ComparisonRow;
use crate::model::Comparison;
use crate::scale::Scale;
use crate::summarise::ALL_GROUP_BY;

/// One comparison of one measure, as the overview shows it.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Change {
    /// People with both scores (0 when the row is withheld or absent).
    pub n: usize,
    /// Mean at the earlier and the later timepoint.
    pub mean_earlier: Option<f64>,
    /// See `mean_earlier`.
    pub mean_later: Option<f64>,
    /// Mean change (later - earlier) and its confidence interval.
    pub mean_change: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Percent improved, where disclosure control lets it be published.
    pub pct_improved: Option<f64>,
    /// Whether the row is withheld (fewer than min-cell people).
    pub withheld: bool,
}

/// One row of overview.csv.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OverviewRow {
    /// The measure's name (its folder).
    pub measure: String,
    /// Its scale and what higher means.
    pub scale: String,
    /// `higher = worse` or `higher = better`.
    pub direction: &'static str,
    /// How the improved are described ("less lonely", "better").
    pub improved: String,
    /// Referral to end of support.
    pub pre_post: Change,
    /// Referral to follow-up: did it last?
    pub pre_followup: Change,
    /// End of support to follow-up: the drift after support ended.
    pub post_followup: Change,
}

/// The overview row of each measure, in the run's order.
pub fn rows(measures: &[(&str, &Scale, &[ComparisonRow])]) -> Vec<OverviewRow> {
    measures
        .iter()
        .map(|&(name, scale, rows)| {
            let change = |comparison: Comparison| {
                let Some(row) = rows
                    .iter()
                    .find(|r| r.group_by == ALL_GROUP_BY && r.comparison == comparison)
                else {
                    return Change::default();
                };
                let Some(r) = &row.result else {
                    return Change {
                        withheld: true,
                        ..Change::default()
                    };
                };
                Change {
                    n: r.n,
                    mean_earlier: r.earlier.map(|m| m.mean),
                    mean_later: r.later.map(|m| m.mean),
                    mean_change: r.change.map(|m| m.mean),
                    ci_low: r.t.map(|t| t.ci_low),
                    ci_high: r.t.map(|t| t.ci_high),
                    pct_improved: row.published_pct_improved(),
                    withheld: false,
                }
            };
            OverviewRow {
                measure: name.to_string(),
                scale: scale.name.clone(),
                direction: if scale.higher_is_worse {
                    "higher = worse"
                } else {
                    "higher = better"
                },
                improved: scale.improved_words().to_string(),
                pre_post: change(Comparison::PrePost),
                pre_followup: change(Comparison::PreFollowup),
                post_followup: change(Comparison::PostFollowup),
            }
        })
        .collect()
}
