//! `loneliness-eval score data.csv`: scores every person and timepoint and writes the totals
//! and categories as CSV (to stdout, or --output), for use in other tools.

use super::common::{load_measures, InputArgs};
use crate::error::Error;
use crate::output::tables::{write_scored, ScoredMeasure};
use crate::output::{to_bytes, write_file};
use crate::settings::Settings;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Options of `score`.
#[derive(Debug, Clone, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `score`.
pub fn run(args: &ScoreArgs) -> Result<(), Error> {
    let settings = Settings::resolve(args.input.cli_options())?;
    // Each measure is scored from the same records (the same people in the same order).
    let loaded = load_measures(&args.input.inputs, &settings, true)?;
    super::common::check_same_people(loaded.iter().map(|l| &l.export))?;
    let measures: Vec<ScoredMeasure> = settings
        .measures
        .iter()
        .zip(&loaded)
        .map(|(m, l)| ScoredMeasure {
            name: &m.name,
            scored: &l.scored,
            scale: &l.scale,
        })
        .collect();
    let bytes = to_bytes(|w| write_scored(w, &loaded[0].export, &measures));
    match &args.output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            write_file(dir, &name, &bytes)
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Error::io("<stdout>", e)),
    }
}
