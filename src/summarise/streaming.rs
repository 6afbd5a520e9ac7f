//! Streaming mode: an export larger than memory, analysed in partitions of its ids.
//!
//! A first pass writes every record to one of several temporary files by a hash of its id
//! (the file is never held, and nothing per record is kept). Each partition is then read,
//! kept and scored exactly as the whole file would be for its ids (first row of an id kept,
//! later ones excluded, with their original line numbers), and reduced to [`Summaries`],
//! counts that add. Their sum is the whole file's summaries, so the results are the same as
//! the in-memory path's, byte for byte. Memory is that of one partition (about 64 MiB of input
//! each, up to 512 partitions) plus the group names, exclusions and problems found.

use crate::error::Error;
use crate::read::{spill_exports, Export, ReadOptions, SpillTo};
use crate::scale::{CellProblem, Scale, Scorer};
use crate::summarise::{summarise_windowed, Summaries};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Input bytes per partition.
const PARTITION_BYTES: u64 = 64 << 20;

/// At most this many partition files are open at once (below the usual limit of 1024 files).
const MAX_PARTITIONS: u64 = 512;

/// An export read in streaming mode.
pub struct Streamed {
    /// The read stage's description of the input (no ids: `people` counts them).
    pub export: Export,
    /// Counts for the analysis.
    pub summaries: Summaries,
    /// Scoring problems in line order.
    pub problems: Vec<CellProblem>,
}

/// How many partitions an input of `bytes` bytes is split into.
pub fn partitions_for(bytes: u64) -> usize {
    bytes.div_ceil(PARTITION_BYTES).clamp(1, MAX_PARTITIONS) as usize
}

/// How each partition is scored: the scale, the missing items prorated, the follow-up
/// window.
#[derive(Clone, Copy)]
pub struct Scoring<'a> {
    /// The scale.
    pub scale: &'a Scale,
    /// `--max-missing-items`.
    pub max_missing: usize,
    /// `followup-window`, when set.
    pub window: Option<&'a crate::model::FollowupWindow>,
}

/// Reads and scores `paths` in streaming mode with `partitions` partitions, in a fresh
/// temporary folder under `temp_dir` that is removed afterwards (also on failure).
pub fn read_streaming(
    paths: &[PathBuf],
    options: &ReadOptions,
    scoring: Scoring<'_>,
    partitions: usize,
    temp_dir: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Streamed, Error> {
    let dir = tempfile::Builder::new()
        .prefix("loneliness-eval-")
        .tempdir_in(temp_dir)
        .map_err(|e| Error::io(temp_dir, e))?;
    let options = ReadOptions {
        spill: Some(SpillTo {
            dir: dir.path().to_path_buf(),
            partitions,
        }),
        ..options.clone()
    };
    let spilled = spill_exports(paths, &options, progress)?;
    // Partitions are independent: one per core at a time (so memory is that many partitions).
    let parts = (0..spilled.partition_count())
        .into_par_iter()
        .map(|k| {
            let mut scorer = Scorer::new(scoring.scale, scoring.max_missing);
            let mut export = spilled.read_partition(k, &mut scorer)?;
            let mut scored = scorer.finish();
            let summaries = summarise_windowed(&export, &mut scored, scoring.window)
                .map_err(|e| Error::input(&paths[0], e))?;
            // Only the counts and lists travel on; the partition's people are done with.
            export.forget_people();
            Ok((export, summaries, scored.problems))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut exports = Vec::with_capacity(parts.len());
    let mut summaries = Vec::with_capacity(parts.len());
    let mut problems = Vec::new();
    for (export, part_summaries, part_problems) in parts {
        exports.push(export);
        summaries.push(part_summaries);
        problems.extend(part_problems);
    }
    let export = spilled.merge(exports);
    let summaries = Summaries::merge(summaries, &export.groups);
    // A record's problems keep their column order (stable sort).
    problems.sort_by_key(|p| p.line);
    dir.close().map_err(|e| Error::io(temp_dir, e))?;
    Ok(Streamed {
        export,
        summaries,
        problems,
    })
}
