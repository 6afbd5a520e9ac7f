//! `loneliness-eval analyse data.csv`: the whole evaluation, from export to tables.
//!
//! The plan of a run: read, score and summarise the export; analyse (each table applying
//! the disclosure rules); write every table, summary.json and the charts and reports drawn
//! from them into a staging folder, publish it under --out at once; print a short report.

use super::common::{expand_inputs, load_summaries, InputArgs, Mode, Summarised};
use crate::analyses::AnalysisOptions;
use crate::analyses::{analyse, Analysis, Context};
use crate::error::Error;
use crate::output::files::write_all;
use crate::output::publish::{check_out_contents, check_out_path, publish, stage};
use crate::output::results::ResultsDir;
use crate::output::tables::{write_scored, ScoredMeasure};
use crate::output::terminal;
use crate::output::{to_bytes, write_file};
use crate::settings::Settings;
use crate::stats::padjust::PAdjust;
use crate::stats::wilcoxon::WilcoxonMethod;
use crate::summarise::answerable::{cannot_answer, warnings};
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
    /// Do not protect small groups from being found by subtraction (withhold only the counts
    /// under --min-cell): for internal analysis, never for publication; the report and
    /// summary.json then say "not for publication".
    #[arg(long)]
    pub no_secondary_suppression: bool,
    /// Protect small groups from being found by subtraction: the default, kept so that
    /// earlier scripts still run.
    #[arg(long, hide = true, conflicts_with = "no_secondary_suppression")]
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
    /// Count a follow-up only when taken this many days after end of support, as MIN..MAX
    /// (e.g. 60..120; the config's followup-window-from = "pre" counts from referral); others
    /// are left out of the follow-up comparisons and counted in the flow. Needs the dates
    /// (post_date and followup_date, or a long layout's assessment_date).
    #[arg(long, value_name = "MIN..MAX")]
    pub followup_window: Option<String>,
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
    let settings = resolve(args)?;
    if settings.measures.len() > 1 {
        return run_measures(args, &settings);
    }
    // One measure (the scale, or the config's one [[measures]] entry): as it always was.
    let settings = settings.for_measure(&settings.measures[0]);
    let mut timer = PhaseTimer::from_env();
    check_out_path(&settings.out, &expand_inputs(&args.input.inputs)?)?;
    let Some(mut measured) = measure(args, &settings, &mut timer, None)? else {
        return Ok(false);
    };
    // Write every file into a staging folder, check what it publishes, draw the charts and
    // reports from those files (exactly as `report` would), then move them into place at once.
    check_out_contents(
        &settings.out,
        &measured.loaded.export.source.sha256,
        args.force,
    )?;
    let stage = stage(&settings.out)?;
    write_checked(&stage, &mut measured, &settings, true, &mut timer)?;
    let (loaded, analysis, options) = (&measured.loaded, &measured.analysis, &measured.options);
    let context = measured.context(&settings, options);
    super::report::build(&stage, &args.report)?;
    publish(&settings.out)?;
    timer.lap("charts and reports");
    if !settings.quiet {
        let dates = crate::analyses::dates::findings(&context);
        print_summary(
            &settings,
            &loaded.export,
            &loaded.scale,
            analysis,
            dates.as_ref(),
        )?;
    }
    Ok(true)
}

/// Writes every table of a measure into `folder`, then, with secondary suppression, reads
/// them back as `loneliness-eval audit` does: while a withheld count, or a group of people a
/// reader could name, is pinned to 1 to min-cell - 1 people, the published cells that free
/// it are withheld too ([`repair`]) and the tables written again. Protection that is
/// checked, not hoped for: a run whose tables cannot be made safe stops before publishing.
///
/// [`repair`]: crate::disclosure::least_loss::repair
fn write_checked(
    folder: &std::path::Path,
    measured: &mut Measured,
    settings: &Settings,
    scored: bool,
    timer: &mut PhaseTimer,
) -> Result<(), Error> {
    use crate::disclosure::least_loss::{newly_withheld, repair};
    let Measured {
        loaded,
        analysis,
        options,
    } = measured;
    let context = context_of(loaded, settings, options);
    let scored = loaded.scored.as_ref().filter(|_| scored);
    write_all(folder, &context, analysis, settings, scored)?;
    timer.lap("write tables");
    if !settings.secondary_suppression || settings.min_cell <= 1 {
        return Ok(());
    }
    for _ in 0..5 {
        let published = super::audit::published(&ResultsDir::load(folder)?);
        let mut repaired = published.clone();
        let (found, dropped) = repair(&mut repaired);
        let cells = newly_withheld(&published, &repaired);
        timer.lap("check disclosure");
        if cells.is_empty() && dropped.is_empty() {
            if found.exposed.is_empty() && found.unsolved.is_empty() {
                return Ok(());
            }
            let first = found
                .exposed
                .first()
                .map(|e| format!("{} is {}..{}", e.what, e.range.0, e.range.1))
                .or_else(|| found.unsolved.first().cloned())
                .unwrap_or_default();
            return Err(Error::Render {
                what: "the disclosure check".into(),
                why: format!("{} withheld counts could still be pinned down and no published cell frees them (first: {first}); nothing was published. --no-secondary-suppression writes the tables for internal use only", found.exposed.len() + found.unsolved.len()),
            });
        }
        // What only the (earlier, later) pairs gave away: transitions.csv publishes none for
        // that comparison.
        analysis
            .transitions
            .retain(|t| !dropped.iter().any(|c| c == t.comparison.name()));
        crate::analyses::count_cells::withhold_cells(
            analysis,
            &cells,
            (&loaded.summaries.pairs, &loaded.scale, settings.reliability),
            settings.min_cell,
        );
        write_all(folder, &context, analysis, settings, scored)?;
        timer.lap("write tables again");
    }
    Err(Error::Render {
        what: "the disclosure check".into(),
        why: "the tables still gave small counts away after five rounds of protection; nothing was published. --no-secondary-suppression writes the tables for internal use only".into(),
    })
}

/// One measure read, scored, checked and analysed.
struct Measured {
    loaded: Summarised,
    analysis: Analysis,
    options: AnalysisOptions,
}

impl Measured {
    fn context<'a>(&'a self, settings: &'a Settings, options: &'a AnalysisOptions) -> Context<'a> {
        context_of(&self.loaded, settings, options)
    }
}

/// What every analysis of a measure reads: its summaries, the run's settings and options
/// (apart from [`Measured`], so that its analysis can be changed beside it).
fn context_of<'a>(
    loaded: &'a Summarised,
    settings: &'a Settings,
    options: &'a AnalysisOptions,
) -> Context<'a> {
    Context {
        export: &loaded.export,
        summaries: &loaded.summaries,
        scale: &loaded.scale,
        options,
        reliability: settings.reliability,
        by: &settings.by,
    }
}

/// Reads, scores and analyses one measure; `None` when `--strict` found problems. A measure
/// that cannot answer fails with the main reason, rather than writing empty tables.
fn measure(
    args: &AnalyseArgs,
    settings: &Settings,
    timer: &mut PhaseTimer,
    label: Option<&str>,
) -> Result<Option<Measured>, Error> {
    // Read, score and summarise (in memory, or streamed for inputs larger than memory).
    let mode = match args.streaming {
        true => Mode::Streaming(args.partitions.filter(|&n| n > 0)),
        false => Mode::Auto,
    };
    let loaded = load_summaries(&args.input.inputs, settings, settings.quiet, mode)?;
    timer.lap("read and score");
    if args.strict && !clean(&loaded) {
        return Ok(None);
    }
    let problems = loaded.scored.as_ref().map_or(&[][..], |s| &s.problems[..]);
    let status = &loaded.summaries.status;
    if let Some(reason) = cannot_answer(&loaded.export, status, problems) {
        return Err(Error::input(&loaded.export.source.path, reason));
    }
    if !settings.quiet {
        let label = label.map(|l| format!("measure {l}: ")).unwrap_or_default();
        for warning in warnings(&loaded.export, status, problems) {
            eprintln!("warning: {label}{warning}");
        }
    }
    // Analyse: each table applies the disclosure rules to its own rows, and the rule for
    // counts nested across tables applies to the three that split the same people.
    let options = analysis_options(settings, &loaded.scale);
    let context = Context {
        export: &loaded.export,
        summaries: &loaded.summaries,
        scale: &loaded.scale,
        options: &options,
        reliability: settings.reliability,
        by: &settings.by,
    };
    let analysis = analyse(&context);
    timer.lap("analyse");
    if !settings.quiet && !settings.secondary_suppression {
        let label = label.map(|l| format!("measure {l}: ")).unwrap_or_default();
        for warning in derivable_warnings(&analysis, settings.min_cell) {
            eprintln!("warning: {label}{warning}");
        }
    }
    Ok(Some(Measured {
        loaded,
        analysis,
        options,
    }))
}

/// Several measures: each analysed as a run of its own into a folder named after it, then
/// an overview across them (overview.csv, correlations of change, the records' flow,
/// summary.json and the overview report) at the top of --out.
fn run_measures(args: &AnalyseArgs, settings: &Settings) -> Result<bool, Error> {
    let mut timer = PhaseTimer::from_env();
    check_out_path(&settings.out, &expand_inputs(&args.input.inputs)?)?;
    if args.streaming {
        return Err(Error::Option(
            "several measures are analysed in memory (their changes are correlated person by person); leave out --streaming, or analyse one measure at a time".into(),
        ));
    }
    if settings.reliability.is_some() {
        return Err(Error::Option(
            "--reliability would apply one reliability to every measure; give each scale its own with `reliability` in a [[scales]] definition (loneliness-eval scales --toml prints the definitions to copy)".into(),
        ));
    }
    let mut runs = Vec::new();
    for m in &settings.measures {
        // scored.csv is written once, at the top, with every measure's scores.
        let settings = Settings {
            write_scored: false,
            ..settings.for_measure(m)
        };
        let measured = measure(args, &settings, &mut timer, Some(&m.name))
            .map_err(|e| e.in_measure(&m.name))?;
        let Some(measured) = measured else {
            return Ok(false);
        };
        runs.push((m, settings, measured));
    }
    check_out_contents(
        &settings.out,
        &runs[0].2.loaded.export.source.sha256,
        args.force,
    )?;
    let stage = stage(&settings.out)?;
    let mut results = Vec::new();
    for (m, settings, measured) in &mut runs {
        let folder = stage.join(&m.name);
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        write_checked(&folder, measured, settings, false, &mut timer)?;
        super::report::build(&folder, &args.report)?;
    }
    let first = &runs[0].2.loaded.export;
    for (m, _, measured) in &runs {
        results.push(crate::output::overview::MeasureResults {
            name: m.name.clone(),
            scale: &measured.loaded.scale,
            rows: &measured.analysis.rows,
            flow: &measured.analysis.flow,
            scored: measured.loaded.scored.as_ref(),
            export: &measured.loaded.export,
        });
    }
    if settings.write_scored {
        let measures: Vec<ScoredMeasure> = results
            .iter()
            .filter_map(|r| {
                Some(ScoredMeasure {
                    name: &r.name,
                    scored: r.scored?,
                    scale: r.scale,
                })
            })
            .collect();
        super::common::check_same_people(results.iter().map(|r| r.export))?;
        let bytes = to_bytes(|w| write_scored(w, first, &measures));
        write_file(&stage, "scored.csv", &bytes)?;
    }
    timer.lap("write each measure");
    crate::output::overview::write_overview(&stage, settings, &results)?;
    crate::output::publish::publish_measures(
        &settings.out,
        &settings
            .measures
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
    )?;
    timer.lap("overview");
    if !settings.quiet {
        let named: Vec<(&str, &crate::read::Export)> = results
            .iter()
            .map(|r| (r.name.as_str(), r.export))
            .collect();
        super::common::print_notices(&named);
        let text = crate::output::overview::terminal(settings, &results);
        super::print_out(&format!(
            "{text}Results written to {}/ (a folder per measure)\n",
            settings.out.display()
        ))?;
    }
    Ok(true)
}

/// With `--no-secondary-suppression`: the families whose withheld groups a reader can size by
/// subtracting the published groups from the whole sample (comparisons.csv, timepoints.csv),
/// said to the analyst (never written to the published files).
fn derivable_warnings(analysis: &Analysis, min_cell: usize) -> Vec<String> {
    use crate::disclosure::groups::derivable_withheld;
    let pairs: Vec<(&str, usize, Option<usize>)> = analysis
        .rows
        .iter()
        .map(|r| {
            let slot = crate::model::Comparison::ALL
                .iter()
                .position(|c| *c == r.comparison)
                .unwrap_or(0);
            (r.group_by.as_str(), slot, r.result.as_ref().map(|p| p.n))
        })
        .collect();
    let scores: Vec<(&str, usize, Option<usize>)> = analysis
        .timepoints
        .iter()
        .map(|t| {
            (
                t.group_by.as_str(),
                t.timepoint.index(),
                t.stats.as_ref().map(|s| s.n),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (group_by, slot, people) in derivable_withheld(&pairs, min_cell) {
        out.push(format!(
            "comparisons.csv, {group_by}, {}: the withheld groups hold {people} {} in all, which a reader finds by subtracting the published groups from the whole sample; the default protection (left off by --no-secondary-suppression) withholds them (outputs are meant to be published; `loneliness-eval audit` lists every such count)",
            crate::model::Comparison::ALL[slot].name(),
            if people == 1 { "person" } else { "people" }
        ));
    }
    for (group_by, slot, people) in derivable_withheld(&scores, min_cell) {
        out.push(format!(
            "timepoints.csv, {group_by}, {}: the withheld groups hold {people} {} in all, found by subtraction; the default protection (left off by --no-secondary-suppression) withholds them",
            crate::model::Timepoint::ALL[slot].name(),
            if people == 1 { "person" } else { "people" }
        ));
    }
    out
}

/// The run's settings: command line over config file over defaults.
fn resolve(args: &AnalyseArgs) -> Result<Settings, Error> {
    Settings::resolve(crate::settings::CliOptions {
        out: args.out.clone(),
        p_adjust: args.p_adjust,
        conf_level: args.conf_level,
        min_cell: args.min_cell,
        write_scored: args.write_scored,
        secondary_suppression: match (args.secondary_suppression, args.no_secondary_suppression) {
            (_, true) => Some(false),
            (true, _) => Some(true),
            _ => None,
        },
        reliability: args.reliability,
        wilcoxon: args.wilcoxon,
        quiet: args.quiet,
        followup_window: args.followup_window.clone(),
        ..args.input.cli_options()
    })
}

/// The options every analysis reads.
fn analysis_options(settings: &Settings, scale: &crate::scale::Scale) -> AnalysisOptions {
    AnalysisOptions {
        conf_level: settings.conf_level,
        min_cell: settings.min_cell,
        p_adjust: settings.p_adjust,
        better: scale.better(),
        secondary: settings.secondary_suppression,
        wilcoxon: settings.wilcoxon,
        ordinal: scale.ordinal,
    }
}

/// `--strict`: whether the input has no excluded record, invalid score or other warning (and
/// data rows); if not, says so on stderr.
fn clean(loaded: &Summarised) -> bool {
    let export = &loaded.export;
    let invalid: u64 = loaded.summaries.status.invalid.iter().sum();
    let (excluded, warnings) = (export.excluded.len(), export.warnings.len());
    let empty = export.rows_read == 0;
    if excluded == 0 && invalid == 0 && warnings == 0 && !empty {
        return true;
    }
    eprintln!(
        "error: --strict: {excluded} excluded record{}, {invalid} invalid score{}, {warnings} other warning{}{}; nothing written (loneliness-eval validate lists them)",
        if excluded == 1 { "" } else { "s" },
        if invalid == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if empty { ", no data rows" } else { "" },
    );
    false
}

/// The notices, the headline table and where the results are.
fn print_summary(
    settings: &Settings,
    export: &crate::read::Export,
    scale: &crate::scale::Scale,
    analysis: &Analysis,
    dates: Option<&crate::analyses::dates::DateFindings>,
) -> Result<(), Error> {
    for notice in &export.notices {
        eprintln!("note: {notice}");
    }
    let shown = settings
        .by
        .iter()
        .find(|b| b.eq_ignore_ascii_case("trigger_group"))
        .or(settings.by.first());
    let report = terminal::render(
        &analysis.rows,
        &analysis.flow,
        scale,
        settings.conf_level,
        &crate::output::results::suppressed_label(
            settings.min_cell,
            settings.secondary_suppression,
        ),
        shown.map(String::as_str),
    );
    let dates = dates.map(terminal::dates_line).unwrap_or_default();
    super::print_out(&format!(
        "{report}{dates}Results written to {}/\n",
        settings.out.display()
    ))
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
