//! `loneliness-eval report results/`: rebuilds the charts and the HTML and Markdown reports
//! from a results folder written by `analyse`, without the raw data.

use crate::error::Error;
use crate::output::figures::{figures, write_figures, ChartFormats};
use crate::output::report::write_reports;
use crate::output::results::ResultsDir;
use clap::Args;
use std::path::PathBuf;

/// Options of `report` (also used by `analyse`).
#[derive(Debug, Clone, Args)]
pub struct ReportOptions {
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Do not write report.html and report.md.
    #[arg(long)]
    pub no_report: bool,
    /// Chart image formats.
    #[arg(long, value_enum, default_value = "both")]
    pub charts: ChartFormats,
}

/// Options of `report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// A results folder written by `analyse`.
    pub results: PathBuf,
    #[command(flatten)]
    pub options: ReportOptions,
}

/// Draws the charts and writes the reports for a results folder.
pub fn build(dir: &std::path::Path, options: &ReportOptions) -> Result<(), Error> {
    if options.no_charts && options.no_report {
        return Ok(());
    }
    // A run with several measures: each measure's folder, then the overview.
    if let Some(folders) = crate::output::publish::measure_folders(dir) {
        for folder in folders {
            build(&dir.join(folder), options)?;
        }
        return if options.no_report {
            Ok(())
        } else {
            crate::output::report::write_overview_reports(dir)
        };
    }
    let results = ResultsDir::load(dir)?;
    let rendered = if options.no_charts {
        Vec::new()
    } else {
        write_figures(dir, figures(&results), options.charts)?
    };
    if !options.no_report {
        write_reports(&results, &rendered)?;
    }
    Ok(())
}

/// Runs `report`.
pub fn run(args: &ReportArgs) -> Result<(), Error> {
    build(&args.results, &args.options)
}
