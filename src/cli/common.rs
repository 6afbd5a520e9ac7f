//! Options shared by the subcommands that read an export, and the read + score steps they share.

use crate::error::Error;
use crate::read::{is_parquet, read_exports, workbook_format, Export, ReadOptions};
use crate::scale::{Scale, Scored, Scorer};
use crate::settings::{CliOptions, Settings};
use crate::summarise::streaming::{partitions_for, read_streaming, Scoring};
use crate::summarise::{summarise_windowed, Summaries};
use clap::Args;
use std::path::PathBuf;

/// How to read and score an export.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The export: CSV with a header row, Parquet (*.parquet), a workbook (*.xlsx, *.xlsm,
    /// *.xlsb, *.xls, *.ods; see --sheet) or an SPSS file (*.sav, *.zsav). Wide: id, trigger_group, location, pre_score,
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
    /// Text encoding of a CSV file that is not UTF-8, e.g. windows-1252 or latin1 (old Excel
    /// "CSV" exports); without it such a file is refused at its first non-UTF-8 byte.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Read an expected column from another header, e.g. --column pre_score="Initial UCLA" (repeatable).
    #[arg(long = "column", value_name = "EXPECTED=HEADER")]
    pub columns: Vec<String>,
    /// Prorate a timepoint with up to N missing items (mean of answered items × item count).
    #[arg(long, value_name = "N")]
    pub max_missing_items: Option<usize>,
    /// A workbook's sheet, by name or number (from 1) [default: the first sheet with the
    /// needed columns].
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// A workbook's header row (from 1, as Excel numbers rows) when title rows sit above it
    /// [default: found among the first 30 rows].
    #[arg(long, value_name = "N")]
    pub header_row: Option<u32>,
    /// A missing code on top of the built-in ones (NA, -99 ...), for every column, or for one
    /// as COLUMN=VALUE: --missing-code 99 --missing-code "gender=Prefer not to say"
    /// (repeatable).
    #[arg(long = "missing-code", value_name = "[COLUMN=]VALUE")]
    pub missing_codes: Vec<String>,
    /// How date columns (pre_date, post_date, followup_date; a long layout's
    /// assessment_date) are written: auto (default: ISO, day-first dd/mm/yyyy, dd-Mon-yy or
    /// Excel day numbers), iso, dd/mm/yyyy, mm/dd/yyyy, dd-mon-yy or excel.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// Refuse an input with more than N data rows (a limit for shared machines and CI).
    #[arg(long, value_name = "N")]
    pub max_rows: Option<u64>,
    /// Refuse a record or line longer than N bytes [default: 8388608].
    #[arg(long, value_name = "N")]
    pub max_record_bytes: Option<u64>,
}

impl InputArgs {
    /// The command-line part of the settings.
    pub fn cli_options(&self) -> CliOptions {
        CliOptions {
            config: self.config.clone(),
            scale: self.scale.clone(),
            by: self.by.clone(),
            delimiter: self.delimiter.clone(),
            encoding: self.encoding.clone(),
            columns: self.columns.clone(),
            max_missing_items: self.max_missing_items,
            max_rows: self.max_rows,
            max_record_bytes: self.max_record_bytes,
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            missing_codes: self.missing_codes.clone(),
            date_format: self.date_format.clone(),
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
    load_named(inputs, settings, quiet, "")
}

/// [`load`], with the option that named the grouping columns (for messages).
pub fn load_named(
    inputs: &[PathBuf],
    settings: &Settings,
    quiet: bool,
    by_option: &'static str,
) -> Result<Loaded, Error> {
    let paths = expand_inputs(inputs)?;
    let (scale, mut read_options) = prepare(settings)?;
    read_options.by_option = by_option;
    with_progress(&paths, quiet, |progress| {
        let mut scorer = Scorer::new(&scale, settings.max_missing_items);
        let export = read_exports(&paths, &read_options, &mut scorer, progress)?;
        let scored = scorer.finish();
        Ok(Loaded {
            export,
            scored,
            scale: scale.clone(),
        })
    })
}

/// [`load`] for each of the run's measures, in order: every measure is scored from the same
/// records. With several, an error names its measure.
pub fn load_measures(
    inputs: &[PathBuf],
    settings: &Settings,
    quiet: bool,
) -> Result<Vec<Loaded>, Error> {
    let several = settings.measures.len() > 1;
    settings
        .measures
        .iter()
        .map(|m| {
            load(inputs, &settings.for_measure(m), quiet).map_err(|e| {
                if several {
                    e.in_measure(&m.name)
                } else {
                    e
                }
            })
        })
        .collect()
}

/// The notices of each measure's read: one about the records (the sheet read, near-duplicate
/// spellings) is the same for every measure and said once; a measure's own (its columns)
/// under its name.
pub fn print_notices(measures: &[(&str, &Export)]) {
    let shared = |notice: &String| measures.iter().all(|(_, e)| e.notices.contains(notice));
    if let Some((_, first)) = measures.first() {
        for notice in first.notices.iter().filter(|n| shared(n)) {
            eprintln!("note: {notice}");
        }
    }
    for (name, export) in measures {
        for notice in export.notices.iter().filter(|n| !shared(n)) {
            eprintln!("note: measure {name}: {notice}");
        }
    }
}

/// Several measures' scores side by side need the same people in the same order; the same
/// records read for each give that, and anything else is refused rather than misaligned.
pub fn check_same_people<'a>(mut exports: impl Iterator<Item = &'a Export>) -> Result<(), Error> {
    let Some(first) = exports.next() else {
        return Ok(());
    };
    for other in exports {
        if other.ids.len() != first.ids.len() || other.ids.iter().ne(first.ids.iter()) {
            return Err(Error::Option(
                "the measures were read with different people; write each measure's scores with a run of its own (--scale NAME)".into(),
            ));
        }
    }
    Ok(())
}

/// An export reduced to the counts the analysis needs.
pub struct Summarised {
    /// The scale used.
    pub scale: Scale,
    /// The read stage's output (without ids in streaming mode).
    pub export: Export,
    /// Every person's scores; `None` in streaming mode, which keeps none.
    pub scored: Option<Scored>,
    /// The counts.
    pub summaries: Summaries,
}

/// How `analyse` holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In memory, unless the input looks too large for it.
    Auto,
    /// In partitions on disk (`--streaming`), with this many partitions if given.
    Streaming(Option<usize>),
}

/// Reads, scores and counts: in memory, or in streaming mode when asked or when the input
/// would need more than half the memory available (a note says so). Both give the same
/// summaries.
pub fn load_summaries(
    inputs: &[PathBuf],
    settings: &Settings,
    quiet: bool,
    mode: Mode,
) -> Result<Summarised, Error> {
    let paths = expand_inputs(inputs)?;
    let partitions = match mode {
        Mode::Streaming(partitions) => Some(partitions),
        Mode::Auto => {
            let (needed, available) = (memory_needed(&paths), memory_available());
            (needed > available / 2).then(|| {
                if !quiet {
                    eprintln!(
                        "note: the input would need about {} MB in memory, more than half of the {} MB available: reading it in streaming mode",
                        needed >> 20,
                        available >> 20
                    );
                }
                None
            })
        }
    };
    let Some(partitions) = partitions else {
        let mut loaded = load(&paths, settings, quiet)?;
        let summaries = summarise_windowed(
            &loaded.export,
            &mut loaded.scored,
            settings.followup_window.as_ref(),
        )
        .map_err(|e| Error::input(&paths[0], e))?;
        return Ok(Summarised {
            scale: loaded.scale,
            export: loaded.export,
            scored: Some(loaded.scored),
            summaries,
        });
    };
    if settings.vocabulary.normalise_groups {
        return Err(Error::Option(
            "normalise-groups picks each group's most common spelling over the whole file, which streaming mode does not hold; merge the spellings with [recode.<column>] tables instead, or run in memory".into(),
        ));
    }
    if settings.write_scored {
        return Err(Error::Option(
            "--write-scored lists every person, which streaming mode does not keep; run without --streaming (in memory) to write scored.csv".into(),
        ));
    }
    let (scale, read_options) = prepare(settings)?;
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let streamed = with_progress(&paths, quiet, |progress| {
        read_streaming(
            &paths,
            &read_options,
            Scoring {
                scale: &scale,
                max_missing: settings.max_missing_items,
                window: settings.followup_window.as_ref(),
            },
            partitions.unwrap_or_else(|| partitions_for(total)),
            &std::env::temp_dir(),
            progress,
        )
    })?;
    // The mode is not a result: it is not recorded, so both modes write the same files.
    Ok(Summarised {
        scale,
        export: streamed.export,
        scored: None,
        summaries: streamed.summaries,
    })
}

/// Bytes the in-memory path needs for these inputs, roughly: 1.5 times a CSV file (1.0 measured
/// on wide totals; long layouts and item columns take more), 12 times a Parquet file
/// (compressed about eightfold), 24 times a workbook (compressed about eightfold, and every
/// cell of the sheet held at once while it is read).
fn memory_needed(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::metadata(p).map_or(0, |m| m.len());
            if workbook_format(p).is_some() {
                bytes.saturating_mul(24)
            } else if crate::read::is_spss(p) {
                // Cases arrive in batches of 100,000 as Arrow columns beside the people kept.
                bytes.saturating_mul(3)
            } else if is_parquet(p) {
                bytes.saturating_mul(12)
            } else {
                bytes.saturating_mul(3) / 2
            }
        })
        .sum()
}

/// Memory available to this process: MemAvailable from /proc/meminfo, or 8 GiB where that
/// cannot be read.
fn memory_available() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(8 << 30, |kb| kb << 10)
}

/// The scale and the reader's options from the settings, checked.
fn prepare(settings: &Settings) -> Result<(Scale, ReadOptions), Error> {
    let scale = settings.scale()?;
    if !scale.conversion.is_empty() && settings.max_missing_items > 0 {
        return Err(Error::Option(format!(
            "max-missing-items {}: {} converts complete raw totals to its scores, and a prorated total is not one of them; leave prorating out",
            settings.max_missing_items, scale.name
        )));
    }
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
        spill: None,
        max_rows: settings.max_rows,
        max_record_bytes: settings.max_record_bytes,
        encoding: settings.encoding,
        by_option: "",
        sequential: false,
        block_bytes: None,
        sheet: settings.sheet.clone(),
        header_row: settings.header_row,
        vocabulary: settings.vocabulary.clone(),
        date_order: Default::default(),
        score_prefix: settings.score_prefix.clone(),
        // The scale's name, unless the measure is one of several or renamed by [[measures]].
        score_prefix_if_unprefixed: settings
            .score_prefix
            .is_none()
            .then(|| settings.measures.first())
            .flatten()
            .filter(|m| m.name == m.scale)
            .map(|m| m.scale.clone()),
    };
    Ok((scale, read_options))
}

/// Runs `read` with a progress bar on stderr for inputs over [`PROGRESS_THRESHOLD`], unless
/// `quiet` (indicatif draws nothing when stderr is not a terminal).
fn with_progress<T>(
    paths: &[PathBuf],
    quiet: bool,
    read: impl FnOnce(&mut dyn FnMut(u64, u64)) -> Result<T, Error>,
) -> Result<T, Error> {
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
    let result = read(&mut |done, _| {
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
