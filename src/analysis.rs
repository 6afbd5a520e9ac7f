//! The analysis after reading and scoring: flow, pairs and comparisons in one call, so the
//! CLI, tests and future inputs (several files, streams) share one path.

use crate::compare::{compare_groups, CompareOptions, ComparisonRow};
use crate::distribution::{distributions, whole_sample_hidden, ChangeBin, Transition};
use crate::flow::{participant_flow, Stage};
use crate::grouped::{merge_counts, merge_totals, Additive, GroupTotals, Profiles, SlotCounts};
use crate::mixed_model::{mixed_rows, mixed_sums, mixed_sums_of, MixedRow};
use crate::pair::{pair_counts, pair_counts_of, paired_groups};
use crate::read::Export;
use crate::repeated::{friedman_sums, friedman_sums_of, repeated_rows, RepeatedRow};
use crate::scale::{Scored, StatusCounts};
use crate::stats::alpha::ItemSums;
use crate::stats::friedman::FriedmanSums;
use crate::stats::mixed::MixedSums;
use crate::timepoints::{score_counts, score_counts_of, timepoint_summaries, TimepointSummary};

/// The results `analyse` writes.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Participant flow.
    pub flow: Vec<Stage>,
    /// comparisons.csv rows in output order.
    pub rows: Vec<ComparisonRow>,
    /// timepoints.csv rows.
    pub timepoints: Vec<TimepointSummary>,
    /// Whole-sample change histogram.
    pub change_bins: Vec<ChangeBin>,
    /// Whole-sample (earlier, later) counts.
    pub transitions: Vec<Transition>,
    /// repeated.csv rows.
    pub repeated: Vec<RepeatedRow>,
    /// mixed_model.csv rows.
    pub mixed: Vec<MixedRow>,
}

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
    }
}

impl Summaries {
    /// The sum of summaries of disjoint sets of people (partitions by id). `by` is the
    /// grouping columns in order, which fixes the output order with the group names.
    pub fn merge(parts: Vec<Summaries>, by: &[String]) -> Summaries {
        let mut status = StatusCounts::default();
        let (mut pairs, mut scores, mut repeated) = (Vec::new(), Vec::new(), Vec::new());
        let mut mixed = Vec::new();
        let mut item_sums: [ItemSums; 3] = Default::default();
        for part in parts {
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
            pairs: merge_counts(pairs, by),
            scores: merge_counts(scores, by),
            status,
            repeated: merge_totals(repeated, by),
            item_sums,
            mixed: merge_totals(mixed, by),
        }
    }
}

/// Runs flow, pairing, comparisons and descriptive summaries on a scored export.
pub fn analyse_scored(export: &Export, scored: &Scored, options: &CompareOptions) -> Analysis {
    analyse_summaries(export, &summarise(export, scored), options)
}

/// Runs flow, comparisons and descriptive summaries from counts.
pub fn analyse_summaries(
    export: &Export,
    summaries: &Summaries,
    options: &CompareOptions,
) -> Analysis {
    let flow = participant_flow(export, &summaries.status);
    let groups = paired_groups(&summaries.pairs);
    // The comparisons (most of the time: the dz intervals) beside the model fits.
    let (rows, (timepoints, mixed)) = rayon::join(
        || compare_groups(&groups, options),
        || {
            let timepoints = timepoint_summaries(
                &summaries.scores,
                options.conf_level,
                options.min_cell,
                options.secondary,
            );
            let mixed = mixed_rows(
                &summaries.mixed,
                options.conf_level,
                options.min_cell,
                options.secondary,
                options.p_adjust,
            );
            (timepoints, mixed)
        },
    );
    let (change_bins, transitions) = distributions(
        &groups,
        options.min_cell,
        options.better,
        whole_sample_hidden(&rows),
    );
    let repeated = repeated_rows(
        &summaries.repeated,
        options.min_cell,
        options.secondary,
        options.p_adjust,
    );
    Analysis {
        flow,
        rows,
        timepoints,
        change_bins,
        transitions,
        repeated,
        mixed,
    }
}
