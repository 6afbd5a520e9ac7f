//! The `loneliness-eval` binary: parses arguments, runs one subcommand, reports errors.
//! Exit codes: 0 ok, 1 error, 2 usage error, 3 problems in the data (`validate`, or
//! `analyse --strict`).

use clap::{Parser, Subcommand};
use loneliness_eval::cli::{
    analyse, audit, common::InputArgs, compare, init, report, scales, score, validate,
};
use std::process::ExitCode;

/// Evaluate a loneliness programme from its operational export: score UCLA scales and compare
/// pre, post and follow-up within the same people, overall, by trigger group and by location.
#[derive(Parser)]
#[command(name = "loneliness-eval", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Look at an unknown export and write a commented starter config (columns, scale,
    /// answer labels, missing codes, timepoint values) for `analyse --config`.
    Init(init::InitArgs),
    /// Run the evaluation: tables, summary.json, charts and reports under --out.
    Analyse(analyse::AnalyseArgs),
    /// List every problem in an export (line, column, value); exit 3 if there is any.
    Validate(InputArgs),
    /// Write each person's scored totals and categories as CSV.
    Score(score::ScoreArgs),
    /// Print the scale definitions.
    Scales(scales::ScalesArgs),
    /// Redraw the charts and reports of a results folder, without the raw data.
    Report(report::ReportArgs),
    /// List every withheld count that the published tables of a results folder pin to a
    /// small group (exit 3 if any): the check an output checker does by hand.
    Audit(audit::AuditArgs),
    /// Match scheme users to similar people not supported (propensity score) and estimate
    /// the scheme's effect on the change in loneliness: OUT/compare/.
    Compare(compare::CompareArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Init(args) => init::run(args).map(|()| true),
        Command::Analyse(args) => analyse::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Score(args) => score::run(args).map(|()| true),
        Command::Scales(args) => scales::run(args).map(|()| true),
        Command::Report(args) => report::run(args).map(|()| true),
        Command::Compare(args) => compare::run(args).map(|()| true),
        Command::Audit(args) => audit::run(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(3),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
