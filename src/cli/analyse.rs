//! `loneliness-eval analyse data.csv`: the whole evaluation, from export to tables.
//!
//! Reads and scores the export, pairs each person's timepoints, runs the paired comparisons
//! for the whole sample and every group, and writes comparisons.csv, flow.csv,
//! timepoints.csv, distribution.csv, transitions.csv and summary.json (and scored.csv with
//! --write-scored) under --out, then the charts and report.html / report.md drawn from those
//! files, and prints a short report.

use super::common::{expand_inputs, load_summaries, InputArgs, Mode};
use crate::analyses::attrition::attrition_rows;
use crate::analyses::between_groups::between_rows;
use crate::analyses::categories::category_rows;
use crate::analyses::comparisons::CompareOptions;
use crate::analyses::nested::withhold_nested;
use crate::analyses::reliable_change::reliable_rows;
use crate::analyses::{analyse_summaries, Analysis};
use crate::error::Error;
use crate::output::comparisons::write_comparisons;
use crate::output::publish::{check_out_contents, check_out_path, publish, stage};
use crate::output::summary::summary_json;
use crate::output::tables::{
    write_attrition, write_between, write_categories, write_change_bins, write_flow,
    write_item_reliability, write_mixed, write_reliable, write_repeated, write_scored,
    write_timepoints, write_transitions,
};
use crate::output::{terminal, to_bytes, write_file};
use crate::scale::worse_category;
use crate::settings::Settings;
use crate::stats::padjust::PAdjust;
use crate::stats::wilcoxon::WilcoxonMethod;
use clap::Args;
use std::path::PathBuf;

/// Options of `analyse`.
#[derive(Debug, Clone, Args)]
pub struct AnalyseArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory [default: results].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// p-value adjustment within each family (same group_by and comparison): holm (default), bh, bonferroni, none.
    #[arg(long, value_name = "METHOD")]
    pub p_adjust: Option<PAdjust>,
    /// Confidence level of the intervals [default: 0.95].
    #[arg(long, value_name = "LEVEL")]
    pub conf_level: Option<f64>,
    /// Suppress groups with fewer people than this in a comparison [default: 10]; 0 turns it off.
    #[arg(long, value_name = "N")]
    pub min_cell: Option<usize>,
    /// Also write scored.csv (ids, groups, each timepoint's total and category).
    #[arg(long)]
    pub write_scored: bool,
    /// Also withhold the smallest published groups of a column while the withheld ones total
    /// 1 to min-cell - 1 people (their size could otherwise be found by subtraction).
    #[arg(long)]
    pub secondary_suppression: bool,
    /// Reliability of the scale's total for the reliable change index [default: the scale's
    /// published value, e.g. 0.72 for UCLA-3; see `loneliness-eval scales`].
    #[arg(long, value_name = "R")]
    pub reliability: Option<f64>,
    /// Signed-rank test and Hodges-Lehmann estimate: r (default: current R's wilcox.test,
    /// R >= 4.6: zeros ranked as Pratt proposed, exact below 50 changes with ties and zeros
    /// too), r-4.2 (R 4.2.2's: zeros dropped, normal approximation with ties or zeros; for
    /// reproducing earlier reports) or exact (R 4.2.2's V with the exact conditional p given
    /// ties and zeros, as coin::wilcoxsign_test(distribution = "exact")).
    #[arg(long, value_name = "METHOD")]
    pub wilcoxon: Option<WilcoxonMethod>,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
    /// Read in partitions on disk, for inputs larger than memory (chosen automatically when
    /// the input would need more than half the available memory). Same results.
    #[arg(long)]
    pub streaming: bool,
    /// Streaming mode's number of partitions (default: one per 64 MiB of input).
    #[arg(long, value_name = "N", requires = "streaming", hide = true)]
    pub partitions: Option<usize>,
    /// Write into --out even if it holds other files or another input's results (the
    /// results' own files are replaced; other files are left alone).
    #[arg(long)]
    pub force: bool,
    /// Write nothing and exit with code 3 if any record is excluded or any value is invalid
    /// (`validate` lists them), for pipelines that must not publish results of dirty data.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub report: super::report::ReportOptions,
}

/// Runs `analyse`; returns `false` when `--strict` found problems (and wrote nothing).
pub fn run(args: &AnalyseArgs) -> Result<bool, Error> {
    let settings = Settings::resolve(crate::settings::CliOptions {
        out: args.out.clone(),
        p_adjust: args.p_adjust,
        conf_level: args.conf_level,
        min_cell: args.min_cell,
        write_scored: args.write_scored,
        secondary_suppression: args.secondary_suppression,
        reliability: args.reliability,
        wilcoxon: args.wilcoxon,
        quiet: args.quiet,
        ..args.input.cli_options()
    })?;
    let mut timer = PhaseTimer::from_env();
    let mode = if args.streaming {
        Mode::Streaming(args.partitions.filter(|&n| n > 0))
    } else {
        Mode::Auto
    };
    check_out_path(&settings.out, &expand_inputs(&args.input.inputs)?)?;
    let loaded = load_summaries(&args.input.inputs, &settings, settings.quiet, mode)?;
    let (scale, export) = (&loaded.scale, &loaded.export);
    let options = CompareOptions {
        conf_level: settings.conf_level,
        min_cell: settings.min_cell,
        p_adjust: settings.p_adjust,
        better: scale.better(),
        secondary: settings.secondary_suppression,
        wilcoxon: settings.wilcoxon,
    };
    timer.lap("read and score");
    if args.strict {
        let invalid: u64 = loaded.summaries.status.invalid.iter().sum();
        let (excluded, warnings) = (export.excluded.len(), export.warnings.len());
        let empty = export.rows_read == 0;
        if excluded > 0 || invalid > 0 || warnings > 0 || empty {
            eprintln!(
                "error: --strict: {excluded} excluded record{}, {invalid} invalid score{}, {warnings} other warning{}{}; nothing written (loneliness-eval validate lists them)",
                if excluded == 1 { "" } else { "s" },
                if invalid == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
                if empty { ", no data rows" } else { "" },
            );
            return Ok(false);
        }
    }
    let mut analysis = analyse_summaries(export, &loaded.summaries, &options);
    let pairs = &loaded.summaries.pairs;
    let (min_cell, secondary) = (settings.min_cell, settings.secondary_suppression);
    let mut category_rows = category_rows(pairs, scale, min_cell, secondary);
    let mut reliable_rows = reliable_rows(pairs, scale, settings.reliability, min_cell, secondary);
    if secondary {
        // Counts nested across comparisons.csv, categories.csv and reliable_change.csv.
        withhold_nested(
            &mut analysis,
            category_rows.as_deref_mut(),
            reliable_rows.as_deref_mut(),
            (pairs, scale, settings.reliability),
            min_cell,
        );
    }
    timer.lap("analyse");
    let Analysis { flow, rows, .. } = &analysis;

    let out = &settings.out;
    check_out_contents(out, &export.source.sha256, args.force)?;
    // Everything is written to a staging folder and moved into place once complete.
    let stage = stage(out)?;
    write_file(
        &stage,
        "comparisons.csv",
        &to_bytes(|w| write_comparisons(w, rows)),
    )?;
    write_file(&stage, "flow.csv", &to_bytes(|w| write_flow(w, flow)))?;
    write_file(
        &stage,
        "timepoints.csv",
        &to_bytes(|w| write_timepoints(w, &analysis.timepoints)),
    )?;
    write_file(
        &stage,
        "distribution.csv",
        &to_bytes(|w| write_change_bins(w, &analysis.change_bins)),
    )?;
    write_file(
        &stage,
        "transitions.csv",
        &to_bytes(|w| write_transitions(w, &analysis.transitions)),
    )?;
    write_file(
        &stage,
        "repeated.csv",
        &to_bytes(|w| write_repeated(w, &analysis.repeated)),
    )?;
    write_file(
        &stage,
        "mixed_model.csv",
        &to_bytes(|w| write_mixed(w, &analysis.mixed)),
    )?;
    // Scales with two categories (lonely / not lonely) also get categories.csv; for others
    // no file is staged, so publishing removes one left by an earlier run.
    if let (Some(worse), Some(category_rows)) = (worse_category(scale), &category_rows) {
        write_file(
            &stage,
            "categories.csv",
            &to_bytes(|w| write_categories(w, category_rows, &worse.label)),
        )?;
    }
    if let Some(rows) = &reliable_rows {
        write_file(
            &stage,
            "reliable_change.csv",
            &to_bytes(|w| write_reliable(w, rows)),
        )?;
    }
    let between = between_rows(
        &loaded.summaries.pairs,
        settings.min_cell,
        settings.secondary_suppression,
    );
    write_file(
        &stage,
        "between_groups.csv",
        &to_bytes(|w| write_between(w, &between)),
    )?;
    let attrition = attrition_rows(
        &loaded.summaries.scores,
        &loaded.summaries.pairs,
        &settings.by,
        settings.min_cell,
        settings.secondary_suppression,
    );
    write_file(
        &stage,
        "attrition.csv",
        &to_bytes(|w| write_attrition(w, &attrition)),
    )?;
    // Item scales read from item columns: Cronbach's alpha per timepoint.
    if loaded.summaries.item_sums.iter().any(|s| s.sums.len() >= 2) {
        write_file(
            &stage,
            "item_reliability.csv",
            &to_bytes(|w| {
                write_item_reliability(
                    w,
                    &loaded.summaries.item_sums,
                    settings.conf_level,
                    settings.min_cell,
                )
            }),
        )?;
    }
    // Without --write-scored no scored.csv is staged, so publishing removes an earlier one:
    // it holds ids and would no longer match these results.
    if let (true, Some(scored)) = (settings.write_scored, &loaded.scored) {
        write_file(
            &stage,
            "scored.csv",
            &to_bytes(|w| write_scored(w, export, scored, scale)),
        )?;
    }
    let summary =
        summary_json(export, &settings, scale, flow, rows).map_err(|e| Error::Render {
            what: "summary.json".into(),
            why: e.to_string(),
        })?;
    write_file(&stage, "summary.json", summary.as_bytes())?;
    timer.lap("write tables");
    // Charts and reports are drawn from the files just written, exactly as `report` would.
    super::report::build(&stage, &args.report)?;
    publish(out)?;
    timer.lap("charts and reports");

    if !settings.quiet {
        for notice in &export.notices {
            eprintln!("note: {notice}");
        }
        let shown = settings
            .by
            .iter()
            .find(|b| b.eq_ignore_ascii_case("trigger_group"))
            .or(settings.by.first());
        let report = terminal::render(
            rows,
            flow,
            scale,
            settings.conf_level,
            &crate::output::results::suppressed_label(
                settings.min_cell,
                settings.secondary_suppression,
            ),
            shown.map(String::as_str),
        );
        super::print_out(&format!("{report}Results written to {}/\n", out.display()))?;
    }
    Ok(true)
}

/// Wall time per phase on stderr when `LONELINESS_EVAL_TIMINGS` is set: where a slow run
/// spends its time, without a profiler.
struct PhaseTimer(Option<std::time::Instant>);

impl PhaseTimer {
    fn from_env() -> PhaseTimer {
        PhaseTimer(std::env::var_os("LONELINESS_EVAL_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, phase: &str) {
        if let Some(start) = self.0.as_mut() {
            eprintln!("timing: {phase}: {:.3} s", start.elapsed().as_secs_f64());
            *start = std::time::Instant::now();
        }
    }
}
