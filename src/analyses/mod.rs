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
//! | [`item_reliability`] | item_reliability.csv: Cronbach's alpha and omega per timepoint |
//!
//! Each file applies the disclosure rules ([`crate::disclosure`]) to its own rows: groups the
//! rule withholds are never analysed (their rows are empty). [`nested`] applies the rule for
//! counts nested across comparisons, categories and reliable change. [`Analysis`] holds the
//! tables protected together; every other table is `rows(&Context)` of its file, listed
//! with its writer in `output::files::TABLES`.

pub mod attrition;
pub mod between_groups;
pub mod categories;
pub mod comparisons;
pub mod correlations;
pub mod count_cells;
pub mod dates;
pub mod distribution;
pub mod item_reliability;
pub mod mixed_model;
pub mod overview;
pub mod reliable_change;
pub mod repeated;
pub mod timepoints;

use crate::read::Export;
use crate::scale::{Scale, Scored};
use crate::stats::padjust::PAdjust;
use crate::stats::paired::Better;
use crate::summarise::flow::{participant_flow, Stage};
use crate::summarise::{paired_groups, summarise, Summaries};
use categories::{category_rows, CategoryRow};
use comparisons::{compare_groups, ComparisonRow};
use distribution::{distributions, whole_sample_hidden, ChangeBin, Transition};
use reliable_change::{reliable_rows, ReliableRow};
use timepoints::{timepoint_summaries, TimepointSummary};

/// The run's settings that change the statistics of every analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisOptions {
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Groups with fewer people than this are suppressed; 0 turns suppression off.
    pub min_cell: usize,
    /// Adjustment within each (group_by, comparison) family.
    pub p_adjust: PAdjust,
    /// Direction of improvement.
    pub better: Better,
    /// Also withhold groups whose size could be found by subtracting the published groups
    /// of their family from the whole sample (see [`crate::disclosure::groups`]).
    pub secondary: bool,
    /// Which signed-rank p-value to report.
    pub wilcoxon: crate::stats::wilcoxon::WilcoxonMethod,
    /// The measure is one ordinal answer: its means are given with a note.
    pub ordinal: bool,
}

/// What every analysis is computed from: the summaries of the people, the scale they were
/// scored on and the run's options. Each table beside the protected ones is a function of
/// this alone (`rows(&Context)` in its file), so adding one needs nothing else from here.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The read stage's output (sources, exclusions, grouping columns).
    pub export: &'a Export,
    /// Counts and sums per group.
    pub summaries: &'a Summaries,
    /// The scale scored.
    pub scale: &'a Scale,
    /// Confidence level, disclosure threshold and rule, p-value adjustment, Wilcoxon mode.
    pub options: &'a AnalysisOptions,
    /// `--reliability`, for reliable change (the scale's own when `None`).
    pub reliability: Option<f64>,
    /// The grouping columns, in order.
    pub by: &'a [String],
}

/// The tables read by summary.json, the terminal and the whole-sample charts, and those whose
/// counts split the same people and so are protected together (comparisons.csv,
/// categories.csv, reliable_change.csv; see [`nested`]).
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
    /// categories.csv rows, for scales with two categories.
    pub categories: Option<Vec<CategoryRow>>,
    /// reliable_change.csv rows, when the scale (or `--reliability`) gives a reliability.
    pub reliable: Option<Vec<ReliableRow>>,
}

/// The protected tables of a run: each withholds its groups too small to publish (and, with
/// secondary suppression, those whose size could be found by subtraction), then the count
/// cells of the three tables that split the same people are protected together
/// ([`count_cells`]).
pub fn analyse(context: &Context) -> Analysis {
    let Context {
        summaries,
        scale,
        options,
        reliability,
        ..
    } = *context;
    let (min_cell, secondary) = (options.min_cell, options.secondary);
    let mut analysis = analyse_summaries(context.export, summaries, options);
    analysis.categories = category_rows(&summaries.pairs, scale, min_cell, secondary);
    analysis.reliable = reliable_rows(&summaries.pairs, scale, reliability, min_cell, secondary);
    if secondary {
        count_cells::protect_cells(
            &mut analysis,
            (&summaries.pairs, scale, reliability),
            min_cell,
        );
    }
    analysis
}

/// [`analyse_summaries`] on a scored export.
pub fn analyse_scored(export: &Export, scored: &Scored, options: &AnalysisOptions) -> Analysis {
    analyse_summaries(export, &summarise(export, scored), options)
}

/// The flow, comparisons, timepoints and whole-sample distributions from the summaries (no
/// categories or reliable change, which need the scale: [`analyse`]).
pub fn analyse_summaries(
    export: &Export,
    summaries: &Summaries,
    options: &AnalysisOptions,
) -> Analysis {
    let flow = participant_flow(
        export,
        &summaries.status,
        summaries.dates.as_ref().and_then(|d| d.window),
    );
    let groups = paired_groups(&summaries.pairs);
    // The comparisons (most of the time: the dz intervals) beside the timepoints.
    let (rows, timepoints) = rayon::join(
        || compare_groups(&groups, options),
        || {
            timepoint_summaries(
                &summaries.scores,
                options.conf_level,
                options.min_cell,
                options.secondary,
            )
        },
    );
    let (change_bins, transitions) = distributions(
        &groups,
        options.min_cell,
        options.better,
        whole_sample_hidden(&rows),
    );
    Analysis {
        flow,
        rows,
        timepoints,
        change_bins,
        transitions,
        categories: None,
        reliable: None,
    }
}
