//! The participant flow: how every input record ends up, so that counts reconcile
//! (`rows_read = rows_kept + exclusions`) and readers can see who was analysed.

use crate::model::FollowupWindow;
use crate::model::Timepoint;
use crate::read::{Exclusion, Export, Layout};
use crate::scale::StatusCounts;
use crate::summarise::dates::WindowCounts;

/// One stage of the flow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stage {
    /// Stage name (`rows_read`, `with_pre_post`, ...).
    pub stage: &'static str,
    /// Count.
    pub n: u64,
    /// What the count means.
    pub detail: String,
}

/// Builds the flow from the read and scoring stages.
pub fn participant_flow(
    export: &Export,
    counts: &StatusCounts,
    window: Option<(FollowupWindow, WindowCounts)>,
) -> Vec<Stage> {
    let unit = match export.layout {
        Layout::Wide => "records (one per person)",
        Layout::Long => "records (one per assessment)",
    };
    let mut flow = vec![Stage {
        stage: "rows_read",
        n: export.rows_read,
        detail: format!("data {unit} after the header; blank lines not counted"),
    }];
    flow.push(Stage {
        stage: Exclusion::Malformed.stage(),
        n: export.excluded_count(Exclusion::Malformed),
        detail: "records with a different number of fields from the header".into(),
    });
    // The config's rules, checked after a record's width and before anything else, shown
    // when it has them.
    if !export.exclude_rules.is_empty() {
        let per_rule: Vec<String> = export
            .exclude_rules
            .iter()
            .map(|rule| {
                let n = export
                    .excluded
                    .iter()
                    .filter(|e| e.reason == Exclusion::ByRule && e.detail == *rule)
                    .count();
                format!("{rule}: {n}")
            })
            .collect();
        flow.push(Stage {
            stage: Exclusion::ByRule.stage(),
            n: export.excluded_count(Exclusion::ByRule),
            detail: format!(
                "records matching an [exclude] rule of the config ({})",
                per_rule.join("; ")
            ),
        });
    }
    for (reason, detail) in [
        (Exclusion::MissingId, "records with a blank id"),
        (
            Exclusion::UnknownTimepoint,
            "long layout: records whose timepoint is not a known alias",
        ),
    ] {
        flow.push(Stage {
            stage: reason.stage(),
            n: export.excluded_count(reason),
            detail: detail.into(),
        });
    }
    if export.ignores_timepoints {
        flow.push(Stage {
            stage: Exclusion::IgnoredTimepoint.stage(),
            n: export.excluded_count(Exclusion::IgnoredTimepoint),
            detail: "long layout: records whose timepoint the config maps to ignore".into(),
        });
    }
    if export.ordered_by_date {
        for (reason, detail) in [
            (
                Exclusion::UndatedAssessment,
                "order-by-date: assessments without a date, which cannot be placed",
            ),
            (
                Exclusion::ExtraAssessment,
                "order-by-date: a person's fourth and later assessments by date",
            ),
        ] {
            flow.push(Stage {
                stage: reason.stage(),
                n: export.excluded_count(reason),
                detail: detail.into(),
            });
        }
    }
    flow.push(Stage {
        stage: Exclusion::DuplicateId.stage(),
        n: export.excluded_count(Exclusion::DuplicateId),
        detail: "later records repeating an id (wide) or id + timepoint (long); the first is kept"
            .into(),
    });
    flow.push(Stage {
        stage: "rows_kept",
        n: export.rows_kept,
        detail: "rows_read minus the exclusions above".into(),
    });
    let people = export.people;
    flow.push(Stage {
        stage: "people",
        n: people,
        detail: "distinct ids kept, including people with no valid score".into(),
    });
    // The follow-up window, when set, leaves follow-ups out before scores are counted.
    if let Some((window, left_out)) = window {
        flow.push(Stage {
            stage: "followup_outside_window",
            n: left_out.early + left_out.late,
            detail: format!(
                "people whose follow-up was taken outside the follow-up window ({}): {} too early, {} too late; left out of the follow-up comparisons",
                window.describe(),
                left_out.early,
                left_out.late
            ),
        });
        flow.push(Stage {
            stage: "followup_undated",
            n: left_out.undated,
            detail: format!(
                "people with a follow-up but without the dates to place it in the window (a follow-up date and the {} date); left out",
                match window.from {
                    Timepoint::Pre => "referral",
                    _ => "end of support",
                }
            ),
        });
    }
    for tp in Timepoint::ALL {
        flow.push(Stage {
            stage: match tp {
                Timepoint::Pre => "invalid_pre",
                Timepoint::Post => "invalid_post",
                Timepoint::Followup => "invalid_followup",
            },
            n: counts.invalid[tp.index()],
            detail: format!("people whose {} score broke the scale's rules (excluded from comparisons using it)", tp.name()),
        });
    }
    use Timepoint::{Followup, Post, Pre};
    for (stage, tps, detail) in [
        ("with_pre", &[Pre][..], "people with a valid pre score"),
        ("with_post", &[Post][..], "people with a valid post score"),
        (
            "with_followup",
            &[Followup][..],
            "people with a valid follow-up score",
        ),
        (
            "with_pre_post",
            &[Pre, Post][..],
            "people in the pre_post comparison",
        ),
        (
            "with_pre_followup",
            &[Pre, Followup][..],
            "people in the pre_followup comparison",
        ),
        (
            "with_post_followup",
            &[Post, Followup][..],
            "people in the post_followup comparison",
        ),
        (
            "with_all_three",
            &[Pre, Post, Followup][..],
            "people with valid scores at all three timepoints",
        ),
    ] {
        flow.push(Stage {
            stage,
            n: counts.with(tps),
            detail: detail.into(),
        });
    }
    flow
}
