//! Summarise: the scored people → the counts and sums every analysis reads, for the whole
//! sample and every group, in one pass split across cores. Everything here adds: one file's
//! summaries are the sum of its streaming partitions', several files' the sum of theirs.
//!
//! - [`tally`]: counts of (earlier, later) pairs or single scores per group and slot, dense
//!   when scores are small whole numbers; totals of any [`Additive`] per group.
//! - [`profiles`]: people counted by their groups and three score codes, from which every
//!   tally follows by weighting (whole-number scales).
//! - [`pairs`]: paired samples per group and comparison; [`scores`]: scores per timepoint;
//!   [`models`]: Friedman and mixed-model sums.
//! - [`yardsticks`]: each comparison's yardstick of reliable change.
//! - [`dates`]: the period covered, the days between assessments, the follow-up window.
//! - [`flow`]: the participant flow (records read, excluded, kept; who has which scores).
//! - [`answerable`]: whether the data can answer at all, and what to warn about.
//! - [`streaming`]: the same summaries from partitions on disk, for inputs larger than memory.

pub mod answerable;
pub mod dates;
pub mod flow;
pub mod models;
pub mod pairs;
pub mod profiles;
pub mod scores;
pub mod streaming;
pub mod tally;
pub mod yardsticks;

pub use pairs::{
    pair_counts, pair_counts_of, pair_groups, paired_groups, PairedGroup, ALL_GROUP, ALL_GROUP_BY,
};
pub use profiles::{Profiles, ScoreTriple, Slot};
pub use tally::{
    merge_counts, merge_totals, sorted_counts, sum_groups, tally_groups, CountedPairs, GroupOrder,
    GroupTotals, SlotCounts, SLOTS,
};

use crate::read::Export;
use crate::scale::{Scored, StatusCounts};
use crate::stats::alpha::ItemSums;
use crate::stats::friedman::FriedmanSums;
use crate::stats::mixed::MixedSums;
use crate::stats::sums::Additive;
use models::{friedman_sums, friedman_sums_of, mixed_sums, mixed_sums_of};
use scores::{score_counts, score_counts_of};

/// What the analysis needs to know about people, as counts that add: one file's summaries
/// are the sum of its partitions' (streaming mode), several files' the sum of theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Summaries {
    /// (earlier, later) counts per group and comparison ([`pair_counts`]).
    pub pairs: Vec<SlotCounts>,
    /// Score counts per group and timepoint ([`score_counts`]).
    pub scores: Vec<SlotCounts>,
    /// Which timepoints each person has valid, for the flow.
    pub status: StatusCounts,
    /// Friedman sums of the people with all three scores, per group.
    pub repeated: Vec<GroupTotals<FriedmanSums>>,
    /// Item sums per timepoint, for Cronbach's alpha (item scales).
    pub item_sums: [ItemSums; 3],
    /// Mixed-model sums of everyone with a score, per group.
    pub mixed: Vec<GroupTotals<MixedSums>>,
    /// Dates, when the export has a date column.
    pub dates: Option<dates::DateSummary>,
}

/// [`summarise`] after leaving out the follow-ups outside `window` (when one is set), whose
/// counts the date summary then carries.
pub fn summarise_windowed(
    export: &Export,
    scored: &mut Scored,
    window: Option<&crate::model::FollowupWindow>,
) -> Result<Summaries, String> {
    let counts = match window {
        Some(window) => Some((
            *window,
            dates::apply_followup_window(export, scored, window)?,
        )),
        None => None,
    };
    let mut summaries = summarise(export, scored);
    if let Some(dates) = &mut summaries.dates {
        dates.window = counts;
    }
    Ok(summaries)
}

/// Counts everything the analysis needs from a scored export.
pub fn summarise(export: &Export, scored: &Scored) -> Summaries {
    let groups = &export.groups;
    let people = scored.scores[0].len();
    // Whole-number scores: one pass counting people by profile serves the flow and every
    // tally. When the score columns code their values their range is known without a pass;
    // otherwise the status pass finds it.
    let coded = scored.coded_columns().and_then(|columns| {
        let range = scored.coded_range()?;
        Some((
            Profiles::count_coded(groups, people, columns, range)?,
            range,
        ))
    });
    let (status, profiles) = match coded {
        Some((profiles, range)) => {
            let (valid, invalid) = profiles.status();
            let status = StatusCounts {
                valid,
                invalid,
                range,
            };
            (status, Some(profiles))
        }
        None => {
            let status = scored.status_counts();
            let profiles = Profiles::count(groups, people, |p| scored.profile(p), status.range);
            (status, profiles)
        }
    };
    let (pairs, scores, repeated, mixed) = match &profiles {
        Some(profiles) => {
            // Four independent sums over the profiles, on both cores (6 -> 3 ms at 1M).
            let ((pairs, scores), (repeated, mixed)) = rayon::join(
                || {
                    rayon::join(
                        || pair_counts_of(profiles, groups),
                        || score_counts_of(profiles, groups),
                    )
                },
                || {
                    rayon::join(
                        || friedman_sums_of(profiles, groups),
                        || mixed_sums_of(profiles, groups),
                    )
                },
            );
            (pairs, scores, repeated, mixed)
        }
        None => (
            pair_counts(groups, scored, Some(status.range)),
            score_counts(groups, scored, Some(status.range)),
            friedman_sums(groups, scored),
            mixed_sums(groups, scored),
        ),
    };
    Summaries {
        pairs,
        scores,
        status,
        repeated,
        item_sums: scored.item_sums.clone(),
        mixed,
        dates: export
            .dates
            .as_ref()
            .map(|dates| dates::date_summary(dates, scored)),
    }
}

impl Summaries {
    /// The sum of summaries of disjoint sets of people (partitions by id). `by` is the
    /// grouping columns in order, which fixes the output order with the group names.
    pub fn merge(parts: Vec<Summaries>, groups: &[crate::read::GroupColumn]) -> Summaries {
        let order = GroupOrder::new(groups);
        let mut status = StatusCounts::default();
        let (mut pairs, mut scores, mut repeated) = (Vec::new(), Vec::new(), Vec::new());
        let mut mixed = Vec::new();
        let mut item_sums: [ItemSums; 3] = Default::default();
        let mut dates: Option<dates::DateSummary> = None;
        for part in parts {
            match (&mut dates, &part.dates) {
                (Some(total), Some(part)) => total.add(part),
                (None, Some(part)) => dates = Some(part.clone()),
                _ => {}
            }
            status.add(&part.status);
            for (total, part) in item_sums.iter_mut().zip(&part.item_sums) {
                total.add(part);
            }
            pairs.extend(part.pairs);
            scores.extend(part.scores);
            repeated.extend(part.repeated);
            mixed.extend(part.mixed);
        }
        Summaries {
            pairs: merge_counts(pairs, &order),
            scores: merge_counts(scores, &order),
            status,
            repeated: merge_totals(repeated, &order),
            item_sums,
            mixed: merge_totals(mixed, &order),
            dates,
        }
    }
}
