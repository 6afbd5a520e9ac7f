//! Options shared by the subcommands that read an export, and the read + score steps they share.

use crate::error::Error;
use crate::read::{read_exports, Export, ReadOptions};
use crate::scale::{Scale, Scored, Scorer};
use crate::settings::{CliOptions, Settings};
use clap::Args;
use std::path::PathBuf;

/// How to read and score an export.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The export: CSV with a header row, or Parquet (*.parquet). Wide: id, trigger_group, location, pre_score,
    /// post_score, followup_score (or pre_q1.. items). Long: id, groups, timepoint
    /// (pre|baseline|initial|start, post|end|exit|final, followup|follow-up|follow_up|fu) and
    /// score (or q1..). Missing: empty, NA, N/A, NaN, null, -99, -9, -1. Several files (or a
    /// quoted glob such as 'exports/*.csv') are read as one file with their records in order.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// TOML file with any of these options and custom [[scales]].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Scale for scoring: ucla3 (default), ucla8, ucla20, raw, or one defined in --config.
    #[arg(long)]
    pub scale: Option<String>,
    /// Grouping columns, comma-separated [default: trigger_group,location]; "" for none.
    #[arg(long, value_name = "COLUMNS")]
    pub by: Option<Vec<String>>,
    /// Field delimiter (one character or "tab"); detected among , ; tab when not given.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Read an expected column from another header, e.g. --column pre_score="Initial UCLA" (repeatable).
    #[arg(long = "column", value_name = "EXPECTED=HEADER")]
    pub columns: Vec<String>,
    /// Prorate a timepoint with up to N missing items (mean of answered items × item count).
    #[arg(long, value_name = "N")]
    pub max_missing_items: Option<usize>,
}

impl InputArgs {
    /// The command-line part of the settings.
    pub fn cli_options(&self) -> CliOptions {
        CliOptions {
            config: self.config.clone(),
            scale: self.scale.clone(),
            by: self.by.clone(),
            delimiter: self.delimiter.clone(),
            columns: self.columns.clone(),
            max_missing_items: self.max_missing_items,
            ..CliOptions::default()
        }
    }
}

/// An export read and scored.
pub struct Loaded {
    /// The scale used.
    pub scale: Scale,
    /// The read stage's output.
    pub export: Export,
    /// The scoring stage's output.
    pub scored: Scored,
}

/// The input paths with quoted globs expanded (sorted, so the order does not depend on the
/// file system). A pattern that matches nothing is an error.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if input.exists() || !text.contains(['*', '?', '[']) {
            out.push(input.clone());
            continue;
        }
        let pattern = glob::glob(&text)
            .map_err(|e| Error::Option(format!("{text}: not a valid file pattern: {e}")))?;
        let mut matched: Vec<PathBuf> = pattern
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        if matched.is_empty() {
            return Err(Error::Option(format!(
                "{text}: no file matches this pattern"
            )));
        }
        matched.sort();
        out.extend(matched);
    }
    Ok(out)
}

/// Runs the read and score stages under `settings`, with a progress bar on stderr for large
/// inputs unless `quiet` (indicatif draws nothing when stderr is not a terminal).
pub fn load(inputs: &[PathBuf], settings: &Settings, quiet: bool) -> Result<Loaded, Error> {
    let paths = expand_inputs(inputs)?;
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let bar = (!quiet && total > PROGRESS_THRESHOLD).then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "reading {bar:40} {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let result = load_paths(&paths, settings, &mut |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// Inputs larger than this (about a second of reading) get a progress bar.
const PROGRESS_THRESHOLD: u64 = 32 * 1024 * 1024;

/// Runs the read and score stages on expanded paths.
fn load_paths(
    paths: &[PathBuf],
    settings: &Settings,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Loaded, Error> {
    let scale = settings.scale()?;
    if let Some(items) = &scale.items {
        if settings.max_missing_items >= items.count {
            return Err(Error::Option(format!(
                "max-missing-items {} must be below the {} items of {} (at least one item must be answered)",
                settings.max_missing_items, items.count, scale.name
            )));
        }
    }
    let read_options = ReadOptions {
        delimiter: settings.delimiter,
        renames: settings.columns.clone(),
        by: settings.by.clone(),
        item_count: scale.items.as_ref().map(|i| i.count),
    };
    let mut scorer = Scorer::new(&scale, settings.max_missing_items);
    let export = read_exports(paths, &read_options, &mut scorer, progress)?;
    let scored = scorer.finish();
    Ok(Loaded {
        scale,
        export,
        scored,
    })
}
