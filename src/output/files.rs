//! Every file `analyse` writes, in one place: the protected tables of [`Analysis`], then each
//! table of [`TABLES`] (an analysis's `rows` and its writer), scored.csv when asked, and
//! summary.json. Adding an analysis adds one line to [`TABLES`].

use super::comparisons::write_comparisons;
use super::summary::summary_json;
use super::tables::{
    write_attrition, write_between, write_categories, write_change_bins, write_flow,
    write_intervals, write_item_reliability, write_mixed, write_reliable, write_repeated,
    write_scored, write_timepoints, write_transitions, ScoredMeasure,
};
use super::{to_bytes, write_file};
use crate::analyses::{
    attrition, between_groups, dates, item_reliability, mixed_model, repeated, Analysis, Context,
};
use crate::error::Error;
use crate::scale::{worse_category, Scored};
use crate::settings::Settings;
use rayon::prelude::*;
use std::path::Path;

/// A table computed from the run's [`Context`] alone: its file name, and its rows written as
/// CSV (`None` when the run has no such table, e.g. item reliability of a totals export).
pub struct Table {
    /// File name under `--out`.
    pub file: &'static str,
    /// The analysis and its writer.
    pub make: fn(&Context) -> Option<Vec<u8>>,
}

/// The tables beside the protected ones, each an analysis in `analyses/` and its writer.
pub const TABLES: [Table; 6] = [
    Table {
        file: "repeated.csv",
        make: |c| Some(to_bytes(|w| write_repeated(w, &repeated::rows(c)))),
    },
    Table {
        file: "mixed_model.csv",
        make: |c| Some(to_bytes(|w| write_mixed(w, &mixed_model::rows(c)))),
    },
    Table {
        file: "between_groups.csv",
        make: |c| Some(to_bytes(|w| write_between(w, &between_groups::rows(c)))),
    },
    Table {
        file: "attrition.csv",
        make: |c| Some(to_bytes(|w| write_attrition(w, &attrition::rows(c)))),
    },
    Table {
        file: "intervals.csv",
        make: |c| {
            let findings = dates::findings(c)?;
            (!findings.intervals.is_empty())
                .then(|| to_bytes(|w| write_intervals(w, &findings.intervals)))
        },
    },
    Table {
        file: "item_reliability.csv",
        make: |c| {
            let rows = item_reliability::rows(c)?;
            Some(to_bytes(|w| {
                write_item_reliability(w, &rows, c.options.min_cell)
            }))
        },
    },
];

/// Writes every table, scored.csv (with `--write-scored`) and summary.json into `stage`. A
/// table the run does not have is not staged, so publishing removes one an earlier run left.
pub fn write_all(
    stage: &Path,
    context: &Context,
    analysis: &Analysis,
    settings: &Settings,
    scored: Option<&Scored>,
) -> Result<(), Error> {
    let Analysis { flow, rows, .. } = analysis;
    let (export, scale) = (context.export, context.scale);
    write_file(
        stage,
        "comparisons.csv",
        &to_bytes(|w| write_comparisons(w, rows)),
    )?;
    write_file(stage, "flow.csv", &to_bytes(|w| write_flow(w, flow)))?;
    write_file(
        stage,
        "timepoints.csv",
        &to_bytes(|w| write_timepoints(w, &analysis.timepoints)),
    )?;
    write_file(
        stage,
        "distribution.csv",
        &to_bytes(|w| write_change_bins(w, &analysis.change_bins)),
    )?;
    write_file(
        stage,
        "transitions.csv",
        &to_bytes(|w| write_transitions(w, &analysis.transitions)),
    )?;
    if let (Some(worse), Some(categories)) = (worse_category(scale), &analysis.categories) {
        write_file(
            stage,
            "categories.csv",
            &to_bytes(|w| write_categories(w, categories, &worse.label)),
        )?;
    }
    if let Some(reliable) = &analysis.reliable {
        write_file(
            stage,
            "reliable_change.csv",
            &to_bytes(|w| write_reliable(w, reliable)),
        )?;
    }
    // The tables are independent of each other: computed on every core, written in order.
    let tables: Vec<(&str, Option<Vec<u8>>)> = TABLES
        .par_iter()
        .map(|t| (t.file, (t.make)(context)))
        .collect();
    for (file, bytes) in tables {
        if let Some(bytes) = bytes {
            write_file(stage, file, &bytes)?;
        }
    }
    // Without --write-scored no scored.csv is staged, so publishing removes an earlier one:
    // it holds ids and would no longer match these results.
    if let (true, Some(scored)) = (settings.write_scored, scored) {
        write_file(
            stage,
            "scored.csv",
            &to_bytes(|w| {
                let measure = ScoredMeasure {
                    name: &scale.name,
                    scored,
                    scale,
                };
                write_scored(w, export, &[measure])
            }),
        )?;
    }
    let dates = dates::findings(context);
    let summary = summary_json(export, settings, scale, flow, rows, dates.as_ref(), {
        let sizes: Vec<u64> = context
            .summaries
            .pairs
            .iter()
            .map(|c| c.pairs.iter().map(|p| p.1).sum())
            .collect();
        super::summary::withheld(analysis, &sizes, settings.min_cell)
    })
    .map_err(|e| Error::Render {
        what: "summary.json".into(),
        why: e.to_string(),
    })?;
    write_file(stage, "summary.json", summary.as_bytes())
}
