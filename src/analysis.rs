//! The analysis after reading and scoring: flow, pairs and comparisons in one call, so the
//! CLI, tests and future inputs (several files, streams) share one path.

use crate::compare::{compare_groups, CompareOptions, ComparisonRow};
use crate::flow::{participant_flow, Stage};
use crate::pair::pair_groups;
use crate::read::Export;
use crate::scale::Scored;

/// The results `analyse` writes.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Participant flow.
    pub flow: Vec<Stage>,
    /// comparisons.csv rows in output order.
    pub rows: Vec<ComparisonRow>,
}

/// Runs flow, pairing and comparisons on a scored export.
pub fn analyse_scored(export: &Export, scored: &Scored, options: &CompareOptions) -> Analysis {
    let flow = participant_flow(export, scored);
    let groups = pair_groups(&export.groups, scored);
    let rows = compare_groups(&groups, options);
    Analysis { flow, rows }
}
