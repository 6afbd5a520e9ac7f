//! `loneliness-eval compare SCHEME --comparator FILE --covariates ...`: matches scheme users
//! to similar people who were not supported (propensity score, nearest neighbour) and
//! estimates the scheme's effect on the change in loneliness as a difference in differences.
//! Writes `OUT/compare/`: matching_flow.csv, balance.csv, effect.csv, matched_means.csv,
//! summary.json, and matches.csv with `--write-matches`; when OUT holds `analyse` results,
//! their report is rebuilt with a section on the comparison.

use super::common::{expand_inputs, load_named, InputArgs, Loaded};
use crate::error::Error;
use crate::matching::cohort::{build_cohort, CohortCounts, Side, PRE_SCORE};
use crate::matching::{run_matching, MatchOptions};
use crate::output::compare_tables::{
    write_balance, write_effects, write_matched_means, write_matches, write_matching_flow,
};
use crate::output::publish::{check_out_path, publish_files, stage};
use crate::output::{to_bytes, write_file};
use crate::settings::Settings;
use clap::Args;
use std::path::PathBuf;

/// Files `compare` writes under `OUT/compare/`.
pub const COMPARE_FILES: [&str; 6] = [
    "matching_flow.csv",
    "balance.csv",
    "effect.csv",
    "matched_means.csv",
    "matches.csv",
    "summary.json",
];

/// The default `--by` of `compare`: the column whose groups get effect rows.
const DEFAULT_BY: &str = "trigger_group";

/// The options that name the scheme file's columns, as read errors quote them.
const SCHEME_COLUMNS_FROM: &str = "--covariates/--exact/--by";

/// Options of `compare`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("by", |by| by.help(
    "One column whose groups of scheme users get their own rows in effect.csv (besides All) [default: trigger_group]; \"\" for none"
)))]
pub struct CompareArgs {
    /// The scheme's export(s), as for `analyse` (but `--by` takes one column).
    #[command(flatten)]
    pub input: InputArgs,
    /// Export of comparable people who were not supported (same column conventions).
    #[arg(long, value_name = "FILE", required = true)]
    pub comparator: PathBuf,
    /// Covariates of the propensity model, comma-separated: columns of both files
    /// (categorical, or numeric when every value is a number) and `pre_score` (the scored
    /// pre total).
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',', required = true)]
    pub covariates: Vec<String>,
    /// Match only within equal values of these columns (comma-separated).
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    pub exact: Vec<String>,
    /// Largest distance of a match, in standard deviations of the logit of the propensity
    /// score (e.g. 0.2); none by default.
    #[arg(long, value_name = "SD")]
    pub caliper: Option<f64>,
    /// Comparators per scheme user.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub ratio: usize,
    /// A comparator may be matched to several scheme users.
    #[arg(long)]
    pub replace: bool,
    /// Also write matches.csv (the ids of each matched pair).
    #[arg(long)]
    pub write_matches: bool,
    /// Output directory; results go to its `compare/` folder [default: results].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Confidence level of the effect's interval [default: 0.95].
    #[arg(long, value_name = "LEVEL")]
    pub conf_level: Option<f64>,
    /// Withhold effect rows with fewer matched people than this on either side [default: 10].
    #[arg(long, value_name = "N")]
    pub min_cell: Option<usize>,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `compare`.
pub fn run(args: &CompareArgs) -> Result<(), Error> {
    if args.ratio == 0 {
        return Err(Error::Option("--ratio must be at least 1".into()));
    }
    if let Some(c) = args.caliper.filter(|c| !(c.is_finite() && *c > 0.0)) {
        return Err(Error::Option(format!(
            "--caliper {c}: a caliper is a positive number of standard deviations, such as 0.2"
        )));
    }
    let covariates: Vec<String> = args
        .covariates
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if covariates.is_empty() {
        return Err(Error::Option(
            "--covariates names no column (e.g. --covariates age_band,gender,pre_score)".into(),
        ));
    }
    let exact: Vec<String> = args.exact.iter().map(|c| c.trim().to_string()).collect();
    for (option, names) in [("--covariates", &covariates), ("--exact", &exact)] {
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(Error::Option(format!("{option} names {name} twice")));
            }
        }
    }
    let effect_by: Vec<String> = match &args.input.by {
        Some(by) => by
            .iter()
            .flat_map(|b| b.split(','))
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty())
            .collect(),
        None => vec![DEFAULT_BY.to_string()],
    };
    // Ids must never become published rows or levels.
    if let Some(id) = covariates
        .iter()
        .chain(&exact)
        .chain(&effect_by)
        .find(|c| c.eq_ignore_ascii_case("id"))
    {
        return Err(Error::Option(format!(
            "{id} is the participant id: it cannot be a covariate, an --exact or a --by column (its values would be published)"
        )));
    }
    if effect_by.len() > 1 {
        return Err(Error::Option(
            "--by for compare names one column (the groups of effect.csv), or \"\" for none".into(),
        ));
    }
    // Columns to read: the covariates (pre_score is scored, not read), exact, effect groups.
    let mut columns: Vec<String> = Vec::new();
    for name in covariates
        .iter()
        .filter(|c| c.as_str() != PRE_SCORE)
        .chain(&exact)
        .chain(&effect_by)
    {
        if !columns.contains(name) {
            columns.push(name.clone());
        }
    }
    let settings = Settings::resolve(crate::settings::CliOptions {
        out: args.out.clone(),
        conf_level: args.conf_level,
        min_cell: args.min_cell,
        quiet: args.quiet,
        by: Some(columns),
        ..args.input.cli_options()
    })?;
    let out = settings.out.join("compare");
    let mut inputs = expand_inputs(&args.input.inputs)?;
    inputs.push(args.comparator.clone());
    check_out_path(&out, &inputs)?;
    let by_defaulted =
        args.input.by.is_none() && !covariates.iter().chain(&exact).any(|c| c == DEFAULT_BY);
    let scheme =
        load_named(&args.input.inputs, &settings, true, SCHEME_COLUMNS_FROM).map_err(|e| {
            if by_defaulted {
                default_by_missing(e)
            } else {
                e
            }
        })?;
    // The comparator needs the covariates and exact columns; effect groups are the scheme
    // users' own, so its file need not have the --by column.
    let mut comparator_settings = settings.clone();
    comparator_settings
        .by
        .retain(|c| !effect_by.contains(c) || covariates.contains(c) || exact.contains(c));
    let comparator = load_named(
        std::slice::from_ref(&args.comparator),
        &comparator_settings,
        true,
        "--covariates/--exact",
    )?;
    // The same id in both files is probably the same person on both sides.
    let scheme_ids: std::collections::HashSet<&str> = (0..scheme.export.ids.len())
        .map(|p| scheme.export.ids.get(p))
        .collect();
    let shared = (0..comparator.export.ids.len())
        .filter(|&p| scheme_ids.contains(comparator.export.ids.get(p)))
        .count();
    let cohort = build_cohort(
        &covariates,
        &exact,
        effect_by.first().map(String::as_str),
        [
            Side {
                export: &scheme.export,
                scored: &scheme.scored,
            },
            Side {
                export: &comparator.export,
                scored: &comparator.scored,
            },
        ],
    );
    for (side, loaded, who) in [
        (0, &scheme, "scheme users"),
        (1, &comparator, "comparator people"),
    ] {
        refuse_invalid_scores(&cohort.counts[side], loaded, who)?;
    }
    let options = MatchOptions {
        ratio: args.ratio,
        replace: args.replace,
        caliper: args.caliper,
        conf_level: settings.conf_level,
        min_cell: settings.min_cell,
    };
    let mut result = run_matching(&cohort, &options)?;
    if shared > 0 {
        result.warnings.push(format!(
            "{shared} id{} of the comparator file also appear in the scheme file: if they are the same people, remove them from the comparator (they can be matched to themselves); if the two files number people independently, ignore this",
            if shared == 1 { "" } else { "s" }
        ));
    }
    let stage = stage(&out)?;
    write_file(
        &stage,
        "matching_flow.csv",
        &to_bytes(|w| write_matching_flow(w, &cohort, &result)),
    )?;
    write_file(
        &stage,
        "balance.csv",
        &to_bytes(|w| write_balance(w, &result.balance)),
    )?;
    write_file(
        &stage,
        "effect.csv",
        &to_bytes(|w| write_effects(w, &result.effects)),
    )?;
    write_file(
        &stage,
        "matched_means.csv",
        &to_bytes(|w| write_matched_means(w, &result.means)),
    )?;
    if args.write_matches {
        write_file(
            &stage,
            "matches.csv",
            &to_bytes(|w| {
                write_matches(
                    w,
                    &cohort,
                    &result,
                    [&scheme.export.ids, &comparator.export.ids],
                )
            }),
        )?;
    }
    let summary = serde_json::json!({
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "scheme": scheme.export.source,
        "comparator": comparator.export.source,
        "settings": {
            "scale": settings.scale,
            "covariates": covariates,
            "exact": exact,
            "by": effect_by,
            "caliper_sd": args.caliper,
            "ratio": args.ratio,
            "replace": args.replace,
            "conf_level": settings.conf_level,
            "min_cell": settings.min_cell,
            "distance": "logit of the propensity score (logistic regression)",
            "order": "scheme users by descending propensity score",
        },
        "propensity_model": {
            "columns": result.model_columns,
            "coefficients": result.coefficients,
            "iterations": result.iterations,
            "converged": result.converged,
            "separation": result.separated,
        },
        "warnings": result.warnings,
        "matches_written": args.write_matches,
        "disclosure": disclosure_rules(settings.min_cell, args.write_matches),
    });
    let text = serde_json::to_string_pretty(&summary).map_err(|e| Error::Render {
        what: "summary.json".into(),
        why: e.to_string(),
    })? + "\n";
    write_file(&stage, "summary.json", text.as_bytes())?;
    publish_files(&out, &COMPARE_FILES)?;
    // An `analyse` results folder around it gets its report rebuilt with the comparison.
    if settings.out.join("summary.json").exists() {
        super::report::build(
            &settings.out,
            &super::report::ReportOptions {
                no_charts: false,
                no_report: false,
                charts: crate::output::figures::ChartFormats::Both,
            },
        )?;
    }
    if !settings.quiet {
        for warning in &result.warnings {
            eprintln!("warning: {warning}");
        }
        super::print_out(&crate::output::compare_tables::terminal_summary(
            &cohort, &result, &options,
        ))?;
        super::print_out(&format!("Results written to {}/\n", out.display()))?;
    }
    Ok(())
}

/// The scheme file's read error when it lacks the default `--by` column (and nothing else
/// named it): says where the column comes from and how to choose another or none.
fn default_by_missing(error: Error) -> Error {
    match error {
        Error::Input { path, message } => Error::Input {
            message: message.replace(
                &format!("no {DEFAULT_BY} column, named by {SCHEME_COLUMNS_FROM}"),
                &format!("no {DEFAULT_BY} column, which compare groups effect.csv by when --by is not given: name a grouping column of this file with --by COLUMN, or --by \"\" for no groups"),
            ),
            path,
        },
        other => other,
    }
}

/// Nobody on a side is eligible and at least half its people's pre or post scores broke the
/// scale's rules: most likely the scores are on another scale than `--scale` says.
fn refuse_invalid_scores(counts: &CohortCounts, loaded: &Loaded, who: &str) -> Result<(), Error> {
    if counts.eligible > 0 || counts.invalid_score == 0 || counts.invalid_score * 2 < counts.people
    {
        return Ok(());
    }
    let scale = &loaded.scale;
    let range = match &scale.items {
        Some(items) => format!(
            "items {}-{}, totals {}",
            items.min,
            items.max,
            scale.total_range_text()
        ),
        None => format!("totals {}", scale.total_range_text()),
    };
    let example = loaded
        .scored
        .problems
        .first()
        .map(|p| {
            format!(
                "; e.g. {}: {} {} {}",
                loaded.export.place(p.line, Some(&p.column)),
                p.column,
                p.value,
                p.message
            )
        })
        .unwrap_or_default();
    Err(Error::Option(format!(
        "nothing to match: {} of {} {who} have a pre or post score invalid for --scale {} ({range}){example}; name the scale the scores are on with --scale (loneliness-eval scales lists them; --scale raw takes totals as given)",
        counts.invalid_score, counts.people, scale.name
    )))
}

/// What summary.json says of the disclosure rules `compare` applied, for whoever publishes
/// its files.
fn disclosure_rules(m: usize, matches_written: bool) -> serde_json::Value {
    serde_json::json!({
        "min_cell": m,
        "effects": format!("effect.csv rows of groups with fewer than {m} matched scheme users or comparators are withheld: suppressed = true, no estimate"),
        "matched_means": format!("matched_means.csv leaves out groups of fewer than {m} matched people, and has no rows when either matched side is smaller"),
        "balance": format!("balance.csv leaves a level's means, SMD, variance ratio and imbalanced of a period empty when the level holds 1 to {} people of a side before matching, after it or unmatched (before minus after), and other levels' while the withheld counts could be added up or subtracted back; a level withheld before matching is withheld after too", m.saturating_sub(1)),
        "participant_ids": if matches_written {
            "matches.csv lists the matched people's ids (--write-matches): keep it with the data, not with the results"
        } else {
            "no file holds participant ids (matches.csv is written only with --write-matches)"
        },
    })
}
