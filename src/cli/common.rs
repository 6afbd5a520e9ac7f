//! Options shared by the subcommands that read an export, and the read + score steps they share.

use crate::error::Error;
use crate::read::{read_export, Export, ReadOptions};
use crate::scale::{score_export, Scale, Scored};
use crate::settings::{CliOptions, Settings};
use clap::Args;
use std::path::PathBuf;

/// How to read and score an export.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The export: CSV with a header row (wide: one row per person; long: one row per assessment).
    pub input: PathBuf,
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

/// Runs the read and score stages under `settings`.
pub fn load(input: &std::path::Path, settings: &Settings) -> Result<Loaded, Error> {
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
    let export = read_export(input, &read_options)?;
    let scored = score_export(&export, &scale, settings.max_missing_items);
    Ok(Loaded {
        scale,
        export,
        scored,
    })
}
