//! `loneliness-eval report results/`: rebuilds the charts and the HTML and Markdown reports
//! from a results folder written by `analyse`, without the raw data.

use crate::error::Error;
use crate::output::figures::{figures, write_figures, ChartFormats};
use crate::output::report::write_reports;
use crate::results::ResultsDir;
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

/// Removes the report files and chart images in a results folder, so nothing from an earlier
/// analysis can sit beside new tables.
pub fn remove_derived(dir: &std::path::Path) -> Result<(), Error> {
    let remove = |path: std::path::PathBuf| match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
        _ => Ok(()),
    };
    remove(dir.join("report.html"))?;
    remove(dir.join("report.md"))?;
    let charts = dir.join("charts");
    if let Ok(entries) = std::fs::read_dir(&charts) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "svg" || e == "png") {
                remove(path)?;
            }
        }
    }
    Ok(())
}

/// Runs `report`.
pub fn run(args: &ReportArgs) -> Result<(), Error> {
    build(&args.results, &args.options)
}
