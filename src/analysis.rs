//! The analysis after reading and scoring: flow, pairs and comparisons in one call, so the
//! CLI, tests and future inputs (several files, streams) share one path.

use crate::compare::{compare_groups, CompareOptions, ComparisonRow};
use crate::distribution::{distributions, ChangeBin, Transition};
use crate::flow::{participant_flow, Stage};
use crate::pair::pair_groups;
use crate::read::Export;
use crate::scale::Scored;
use crate::timepoints::{timepoint_summaries, TimepointSummary};

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
}

/// Runs flow, pairing, comparisons and descriptive summaries on a scored export.
pub fn analyse_scored(export: &Export, scored: &Scored, options: &CompareOptions) -> Analysis {
    let flow = participant_flow(export, scored);
    let groups = pair_groups(&export.groups, scored);
    let rows = compare_groups(&groups, options);
    let timepoints =
        timepoint_summaries(&export.groups, scored, options.conf_level, options.min_cell);
    let (change_bins, transitions) = distributions(&groups, options.min_cell);
    Analysis {
        flow,
        rows,
        timepoints,
        change_bins,
        transitions,
    }
}
