//! Analyses: the summaries → one table each, for the whole sample and every group. One file
//! per output table:
//!
//! | file | table |
//! |---|---|
//! | [`comparisons`] | comparisons.csv: paired t, Wilcoxon, Hodges-Lehmann, dz, counts improved |
//! | [`timepoints`] | timepoints.csv: mean score at each timepoint |
//! | [`repeated`] | repeated.csv: Friedman's test and Kendall's W over three timepoints |
//! | [`mixed_model`] | mixed_model.csv: the linear mixed model |
//! | [`categories`] | categories.csv: moves across the lonely cut-off, McNemar |
//! | [`reliable_change`] | reliable_change.csv: Jacobson-Truax reliable and clinical change |
//! | [`between_groups`] | between_groups.csv: Kruskal-Wallis, Welch's ANOVA, ANCOVA |
//! | [`attrition`] | attrition.csv: who was lost to follow-up |
//! | [`distribution`] | distribution.csv and transitions.csv: the whole sample's changes |
//!
//! Groups the disclosure rule withholds are never analysed (their rows are empty).

pub mod attrition;
pub mod between_groups;
pub mod categories;
pub mod comparisons;
pub mod distribution;
pub mod mixed_model;
pub mod nested;
pub mod reliable_change;
pub mod repeated;
pub mod timepoints;

use crate::read::Export;
use crate::scale::Scored;
use crate::summarise::flow::{participant_flow, Stage};
use crate::summarise::{paired_groups, summarise, Summaries};
use comparisons::{compare_groups, CompareOptions, ComparisonRow};
use distribution::{distributions, whole_sample_hidden, ChangeBin, Transition};
use mixed_model::{mixed_rows, MixedRow};
use repeated::{repeated_rows, RepeatedRow};
use timepoints::{timepoint_summaries, TimepointSummary};

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
