//! CSV export → a typed table of people, their groups and their raw responses per timepoint.
//! Every record is accounted for: kept, or excluded and counted with the reason and line.

mod bulk;
mod codes;
mod columns;
mod ids;
pub mod memory;
mod parallel;
mod parquet;
mod scan;
mod spill;
mod stream;
mod value;

pub use codes::GroupCodes;

pub use columns::{Layout, Source};
pub use ids::Ids;
pub use parquet::is_parquet;
pub use spill::SpillTo;
pub use value::{parse_cell, trim, Cell, MISSING_CODES};

use crate::error::Error;
use crate::model::Timepoint;
use columns::Header;
use foldhash::{HashMap, HashMapExt};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use stream::{Prefix, TextStream};

/// Group value given to a blank grouping cell, so nobody drops out of the results for it.
pub const MISSING_GROUP: &str = "(missing)";

/// What the reader needs to know.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Field delimiter; detected from the header line when `None`.
    pub delimiter: Option<u8>,
    /// `--column expected=Header` renames.
    pub renames: BTreeMap<String, String>,
    /// Grouping columns to read, as named by `--by`.
    pub by: Vec<String>,
    /// Item count of the scale (`None` for totals-only scales).
    pub item_count: Option<usize>,
    /// Streaming mode: write kept records to partitions on disk instead of keeping them.
    pub spill: Option<SpillTo>,
    /// Refuse more data rows than this, across all files.
    pub max_rows: Option<u64>,
    /// Refuse a record or a line longer than this many bytes (0: no limit).
    pub max_record_bytes: u64,
    /// CSV text encoding when not UTF-8 (decoded as read; the SHA-256 stays the file's).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The option that named the `by` columns, for messages (`--covariates` for `compare`;
    /// empty means `--by`).
    pub by_option: &'static str,
    /// Read every record with the csv parser on one thread, even where the parallel reader
    /// could (for tests that compare the two).
    pub sequential: bool,
    /// Block size of the parallel reader (default 1 MiB); tests use tiny blocks to put
    /// block boundaries at every kind of place.
    pub block_bytes: Option<usize>,
}

/// The input file's identity, for summary.json.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceInfo {
    /// Path as given.
    pub path: PathBuf,
    /// File name without directories.
    pub file_name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// One input file and where its lines start in the run's line numbering.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceFile {
    /// Path as given.
    #[serde(skip)]
    pub path: PathBuf,
    /// File name without directories.
    pub file_name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// `csv` or `parquet`.
    pub format: &'static str,
    /// Lines of earlier files: line `k` of this file is line `first_line + k` of the run.
    #[serde(skip)]
    pub first_line: u64,
}

/// Why a record was excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// Wrong number of fields.
    Malformed,
    /// Blank id.
    MissingId,
    /// Long layout: timepoint not one of the aliases.
    UnknownTimepoint,
    /// A later row of an id (wide) or id + timepoint (long).
    DuplicateId,
}

impl Exclusion {
    /// Flow stage name.
    pub fn stage(self) -> &'static str {
        match self {
            Exclusion::Malformed => "excluded_malformed",
            Exclusion::MissingId => "excluded_missing_id",
            Exclusion::UnknownTimepoint => "excluded_unknown_timepoint",
            Exclusion::DuplicateId => "excluded_duplicate_id",
        }
    }
}

/// One excluded record, for `validate`.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    /// Line where the record starts (1-based, header is line 1).
    pub line: u64,
    /// Why.
    pub reason: Exclusion,
    /// Details for the message.
    pub detail: String,
}

/// Where one timepoint's responses come from: the reader hands each kept record's cells to a
/// [`CellSink`] and keeps none of them.
#[derive(Debug, Clone, Default)]
pub struct Responses {
    /// Where the cells come from; `None` when the export has no such column.
    pub source: Option<Source>,
    /// Cells per person (1 for a total, K for items).
    pub width: usize,
    /// Header names of the cells' columns.
    pub column_names: Vec<String>,
}

/// One person's cells at one timepoint, handed over as soon as its record is kept.
pub struct TimepointCells<'a> {
    /// Person number (order of first appearance).
    pub person: usize,
    /// Which timepoint.
    pub timepoint: Timepoint,
    /// The cells, in item order (one for a total).
    pub cells: &'a [Cell],
    /// Line of the record.
    pub line: u64,
    /// Where the cells come from.
    pub responses: &'a Responses,
    record: &'a dyn Fields,
    columns: &'a [usize],
}

impl TimepointCells<'_> {
    /// The text of cell `k` as written (a trailing CR removed), for messages.
    pub fn text(&self, k: usize) -> String {
        self.record
            .field(self.columns[k])
            .trim_end_matches('\r')
            .to_string()
    }
}

/// A record's fields as text, whichever reader split them: the csv crate's records, or lines
/// of a file split by the parallel reader.
pub(crate) trait Fields {
    /// Number of fields.
    fn count(&self) -> usize;
    /// Field `i`, which must be below [`Fields::count`].
    fn field(&self, i: usize) -> &str;
    /// Field `i`, if there is one.
    fn get(&self, i: usize) -> Option<&str> {
        (i < self.count()).then(|| self.field(i))
    }
}

impl Fields for csv::StringRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &str {
        &self[i]
    }
}

impl<F: Fields> Fields for &F {
    fn count(&self) -> usize {
        (**self).count()
    }
    fn field(&self, i: usize) -> &str {
        (**self).field(i)
    }
}

/// Receives cells as records are read (the scoring stage), so the reader keeps no raw cells
/// and memory grows with the number of people, not with the number of cells.
pub trait CellSink {
    /// Room for about `people` more people.
    fn reserve(&mut self, _people: usize) {}
    /// A new person, numbered in order; every timepoint starts missing.
    fn person_added(&mut self);
    /// A kept record's cells for one timepoint (at most once per person and timepoint).
    fn cells(&mut self, cells: TimepointCells<'_>);
    /// How to score a total column's text ahead, on the parallel reader's workers, when it
    /// has no problem; `None` (the default) sends every record through [`CellSink::cells`].
    fn total_scorer(&self) -> Option<TotalScorer> {
        None
    }
    /// A kept record's total for one timepoint, scored ahead by [`CellSink::total_scorer`]
    /// without a problem: valid, or `None` for missing. Instead of [`CellSink::cells`].
    fn total(&mut self, person: usize, timepoint: Timepoint, score: Option<f64>);
    /// `people` new people numbered from `first`, whose totals were all scored ahead without
    /// a problem: `totals[t]` holds timepoint `t`'s, one per person, and is empty when the
    /// timepoint has no total column. What [`CellSink::person_added`] and [`CellSink::total`]
    /// for each would do (the default), for a whole block at once.
    fn people_with_totals(&mut self, first: usize, people: usize, totals: [&[Option<f64>]; 3]) {
        for _ in 0..people {
            self.person_added();
        }
        for (tp, totals) in Timepoint::ALL.into_iter().zip(totals) {
            for (k, &score) in totals.iter().enumerate() {
                self.total(first + k, tp, score);
            }
        }
    }
}

/// Scores a total cell's text: `None` when it has a problem to report (the record then goes
/// through [`CellSink::cells`], which says what), else the valid total or `Some(None)` for
/// missing. Shared by the parallel reader's workers.
pub type TotalScorer = std::sync::Arc<dyn Fn(&str) -> Option<Option<f64>> + Send + Sync>;

/// What a worker of the parallel reader worked out for one record ahead of the keeping
/// thread, which then only looks it up.
pub(crate) struct Ahead<'a> {
    /// The block-local code of each grouping column's value, naming `levels[g][code]`.
    groups: &'a [u32],
    /// The block's distinct values per grouping column.
    levels: &'a [Vec<String>],
    /// Each total column's score ([`Builder::ahead_columns`]) as [`AheadScore`] bits; empty
    /// when the sink scores no totals ahead.
    totals: &'a [u64],
}

/// A total scored ahead, as bits of one `u64`: a valid total's own bits, or one of two NaN
/// patterns no total has.
pub(crate) struct AheadScore;

impl AheadScore {
    /// Missing.
    pub const MISSING: u64 = 0x7ff8_0000_0000_0001;
    /// Not scored ahead (a problem to report): the record's cells go to the sink.
    pub const NOT_SCORED: u64 = 0x7ff8_0000_0000_0002;

    /// The bits for a scorer's result.
    pub fn encode(score: Option<Option<f64>>) -> u64 {
        match score {
            None => AheadScore::NOT_SCORED,
            Some(None) => AheadScore::MISSING,
            Some(Some(v)) => v.to_bits(),
        }
    }

    /// What [`AheadScore::encode`] was given back: `None` when not scored ahead, else the
    /// valid total or `Some(None)` for missing.
    #[inline]
    pub fn decode(bits: u64) -> Option<Option<f64>> {
        match bits {
            AheadScore::NOT_SCORED => None,
            AheadScore::MISSING => Some(None),
            bits => Some(Some(f64::from_bits(bits))),
        }
    }
}

/// A grouping column, dictionary-encoded: codes index `levels`, which are sorted by UTF-8 bytes.
#[derive(Debug, Clone)]
pub struct GroupColumn {
    /// Name as given in `--by`.
    pub name: String,
    /// Distinct values, sorted.
    pub levels: Vec<String>,
    /// Level of each person.
    pub codes: GroupCodes,
}

/// The read stage's result.
#[derive(Debug, Clone)]
pub struct Export {
    /// Where the data came from (for several files: the first path, the names, the total size
    /// and the SHA-256 of all files' bytes in order).
    pub source: SourceInfo,
    /// Each input file.
    pub files: Vec<SourceFile>,
    /// Detected layout.
    pub layout: Layout,
    /// Field delimiter used.
    pub delimiter: u8,
    /// Records after the header, blank records not counted.
    pub rows_read: u64,
    /// Records kept (people in wide layout, assessments in long layout).
    pub rows_kept: u64,
    /// Excluded records in file order.
    pub excluded: Vec<Excluded>,
    /// Distinct ids kept.
    pub people: u64,
    /// Person ids in order of first appearance (empty in streaming mode, which keeps none).
    pub ids: Ids,
    /// Grouping columns in `--by` order (in streaming mode levels only, no codes).
    pub groups: Vec<GroupColumn>,
    /// Long layout: per grouping column, rows naming another group than the person's first.
    pub group_conflicts: Vec<u64>,
    /// Responses by timepoint (indexed by [`Timepoint::index`]).
    pub responses: [Responses; 3],
    /// Things the user should know that are not errors (e.g. which columns were used).
    pub notices: Vec<String>,
    /// Kept records with something odd in them (listed by `validate`).
    pub warnings: Vec<RowWarning>,
}

/// A kept record with a questionable value, e.g. a long-layout row naming another group than
/// the person's first row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowWarning {
    /// Line where the record starts.
    pub line: u64,
    /// What is odd.
    pub message: String,
}

impl Export {
    /// The file and its own line number for a line number of the run (which counts across
    /// files), for messages.
    pub fn locate(&self, line: u64) -> (&Path, u64) {
        let file = self
            .files
            .iter()
            .rev()
            .find(|f| f.first_line < line)
            .or(self.files.first());
        match file {
            Some(f) => (f.path.as_path(), line - f.first_line),
            None => (self.source.path.as_path(), line),
        }
    }

    /// Drops the per-person data (ids, group codes), keeping the counts and lists: what
    /// streaming mode keeps of each partition.
    pub fn forget_people(&mut self) {
        self.ids = Ids::default();
        for column in &mut self.groups {
            column.codes = GroupCodes::default();
        }
    }

    /// Number of excluded records for one reason.
    pub fn excluded_count(&self, reason: Exclusion) -> u64 {
        self.excluded.iter().filter(|e| e.reason == reason).count() as u64
    }
}

/// Detects the delimiter as the most frequent of `,` `;` tab in the header line (ties to `,`).
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = &bytes[..line_end];
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let mut best = (b',', count(b','));
    for d in [b';', b'\t'] {
        let c = count(d);
        if c > best.1 {
            best = (d, c);
        }
    }
    best.0
}

/// Reads an export file.
pub fn read_export(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn CellSink,
) -> Result<Export, Error> {
    read_exports(&[path.to_path_buf()], options, sink, &mut |_, _| {})
}

/// Reads several export files as if they were one file: the header once, then every file's
/// records in order (so a repeated id in a later file is a duplicate, as in the concatenated
/// file). Every file must have the same columns. Files are streamed, not held in memory.
/// `progress(done, total)` is called now and then with bytes read so far.
pub fn read_exports(
    paths: &[PathBuf],
    options: &ReadOptions,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Export, Error> {
    let (reading, files, source) = read_files(paths, options, sink, progress)?;
    Ok(reading
        .builder
        .finish(source, files, reading.delimiter, reading.plan))
}

/// Streaming mode's first pass: reads the files as [`read_exports`] does, but writes every
/// non-blank record to a partition file under `options.spill` (which must be set) chosen by
/// its id, keeping nothing per record in memory. [`Spilled::read_partition`] then reads each
/// partition as the whole file would be read for its ids.
pub fn spill_exports(
    paths: &[PathBuf],
    options: &ReadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Spilled, Error> {
    struct Nothing;
    impl CellSink for Nothing {
        fn person_added(&mut self) {}
        fn cells(&mut self, _: TimepointCells<'_>) {}
        fn total(&mut self, _: usize, _: Timepoint, _: Option<f64>) {}
    }
    let Some(to) = &options.spill else {
        return Err(Error::Option(
            "streaming needs a folder for its partitions".into(),
        ));
    };
    let (reading, files, source) = read_files(paths, options, &mut Nothing, progress)?;
    let spill = reading
        .spill
        .expect("start_file opens the partitions when options.spill is set");
    let partitions = spill.finish().map_err(|e| Error::io(&to.dir, e))?;
    Ok(Spilled {
        options: ReadOptions {
            spill: None,
            ..options.clone()
        },
        header: reading.header,
        plan: reading.plan,
        delimiter: reading.delimiter,
        files,
        source,
        partitions,
    })
}

/// The partitions written by [`spill_exports`], with what is needed to read them.
pub struct Spilled {
    options: ReadOptions,
    header: Header,
    plan: Plan,
    delimiter: u8,
    files: Vec<SourceFile>,
    source: SourceInfo,
    /// Each partition's file and record count.
    partitions: Vec<(PathBuf, u64)>,
}

impl Spilled {
    /// Number of partitions.
    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// Reads partition `k` as its records would be read in the whole file: an [`Export`] of
    /// the people whose ids fall in it, with its exclusions and warnings, cells to `sink`.
    pub fn read_partition(&self, k: usize, sink: &mut dyn CellSink) -> Result<Export, Error> {
        let mut builder = Builder::new(&self.header, &self.plan, &self.options);
        let (path, records) = &self.partitions[k];
        builder.reserve(*records as usize, 16, sink);
        let mut hashes = Vec::new();
        spill::read_partition(path, 4096, |batch| {
            builder.hash_and_add(
                batch.iter().map(|(record, line)| (record, *line)),
                &mut hashes,
                sink,
            );
        })
        .map_err(|e| Error::io(path, e))?;
        Ok(builder.finish(
            self.source.clone(),
            self.files.clone(),
            self.delimiter,
            self.plan.clone(),
        ))
    }

    /// The partitions' exports as one: counts added, exclusions and warnings in line order,
    /// group levels united; ids are not kept (`people` counts them).
    pub fn merge(&self, parts: Vec<Export>) -> Export {
        let mut merged = Export {
            source: self.source.clone(),
            files: self.files.clone(),
            layout: self.plan.layout,
            delimiter: self.delimiter,
            rows_read: 0,
            rows_kept: 0,
            excluded: Vec::new(),
            people: 0,
            ids: Ids::default(),
            groups: self
                .options
                .by
                .iter()
                .map(|name| GroupColumn {
                    name: name.clone(),
                    levels: Vec::new(),
                    codes: GroupCodes::default(),
                })
                .collect(),
            group_conflicts: vec![0; self.options.by.len()],
            responses: Default::default(),
            notices: Vec::new(),
            warnings: Vec::new(),
        };
        for part in parts {
            merged.rows_read += part.rows_read;
            merged.rows_kept += part.rows_kept;
            merged.people += part.people;
            merged.excluded.extend(part.excluded);
            merged.warnings.extend(part.warnings);
            for (total, n) in merged.group_conflicts.iter_mut().zip(&part.group_conflicts) {
                *total += n;
            }
            for (column, part_column) in merged.groups.iter_mut().zip(part.groups) {
                column.levels.extend(part_column.levels);
            }
            merged.responses = part.responses;
        }
        for column in &mut merged.groups {
            column.levels.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            column.levels.dedup();
        }
        // Lines are unique to a record, and a record's entries keep their order (stable sort).
        merged.excluded.sort_by_key(|e| e.line);
        merged.warnings.sort_by_key(|w| w.line);
        merged.notices = notices(
            &self.plan.notices,
            merged.rows_read,
            &self.options.by,
            &merged.group_conflicts,
        );
        merged
    }
}

/// The files read into one state, with their descriptions.
fn read_files(
    paths: &[PathBuf],
    options: &ReadOptions,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Reading, Vec<SourceFile>, SourceInfo), Error> {
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let mut state: Option<Reading> = None;
    let mut files = Vec::new();
    // The run's SHA-256 covers every file's bytes in order; for one file it is the file's own.
    let mut combined = (paths.len() > 1).then(Sha256::new);
    let mut done = 0u64;
    let mut first_line = 0u64;
    for path in paths {
        let base = done;
        let format = if is_parquet(path) { "parquet" } else { "csv" };
        let parsed = if format == "parquet" {
            parquet::parse_parquet(
                path,
                options,
                &mut state,
                first_line,
                combined.take(),
                sink,
                &mut |d| progress(base + d, total),
            )?
        } else {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let size = file.metadata().map_or(0, |m| m.len());
            parse_file(
                file,
                path,
                size,
                options,
                &mut state,
                first_line,
                combined.take(),
                sink,
                &mut |d| progress(base + d, total),
            )?
        };
        combined = parsed.combined;
        files.push(SourceFile {
            path: path.clone(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: parsed.bytes,
            sha256: parsed.sha256,
            format,
            first_line,
        });
        first_line += parsed.lines;
        done += parsed.bytes;
        progress(done, total);
    }
    let Some(reading) = state else {
        return Err(Error::Option("no input file given".into()));
    };
    let source = SourceInfo {
        path: paths[0].clone(),
        file_name: match files.len() {
            1 => files[0].file_name.clone(),
            n => format!("{} and {} more", files[0].file_name, n - 1),
        },
        bytes: done,
        sha256: match combined {
            Some(h) => format!("{:x}", h.finalize()),
            None => files[0].sha256.clone(),
        },
    };
    Ok((reading, files, source))
}

/// Reads an export already in memory (the file's bytes; `source` describes them).
pub fn read_bytes(
    bytes: &[u8],
    source: SourceInfo,
    options: &ReadOptions,
    sink: &mut dyn CellSink,
) -> Result<Export, Error> {
    let mut state = None;
    let parsed = parse_file(
        bytes,
        &source.path,
        bytes.len() as u64,
        options,
        &mut state,
        0,
        None,
        sink,
        &mut |_| {},
    )?;
    let file = SourceFile {
        path: source.path.clone(),
        file_name: source.file_name.clone(),
        bytes: parsed.bytes,
        sha256: parsed.sha256,
        format: "csv",
        first_line: 0,
    };
    let Reading {
        plan,
        builder,
        delimiter,
        ..
    } = state.expect("parse_file sets the state or fails");
    Ok(builder.finish(source, vec![file], delimiter, plan))
}

/// What parsing one file tells about it.
struct Parsed {
    lines: u64,
    bytes: u64,
    sha256: String,
    combined: Option<Sha256>,
}

/// Parses one file into the shared state (header, plan and builder come from the first file;
/// later files must repeat the header).
#[allow(clippy::too_many_arguments)]
fn parse_file(
    mut source: impl Read + Send,
    path: &Path,
    size: u64,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    first_line: u64,
    combined: Option<Sha256>,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, Error> {
    let input_error = |message: String| Error::input(path, message);
    let prefix = Prefix::read(&mut source).map_err(|e| Error::io(path, e))?;
    prefix.check().map_err(&input_error)?;
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| detect_delimiter(prefix.body()));
    if let Some((header_end, names)) = parallel_header(&prefix, delimiter, options) {
        start_file(names, path, options, state, delimiter)?;
        let reading = state.as_mut().expect("set above");
        let reading_rows_before = reading.rows;
        let bom = prefix.bytes.len() - prefix.body().len();
        let plan = parallel::Plan {
            prefix: &prefix.bytes,
            data_start: bom + header_end,
            bom,
            complete: prefix.complete,
            delimiter,
            max_line: options.max_record_bytes,
            max_rows: options.max_rows,
            size,
            first_line,
            block: options.block_bytes.unwrap_or(parallel::BLOCK).max(1),
        };
        let outcome = parallel::read(
            source,
            plan,
            combined,
            &mut reading.builder,
            reading.spill.as_mut(),
            &mut reading.rows,
            sink,
            progress,
        )
        .map_err(|failure| match failure {
            parallel::Failure::Input(message) => input_error(message),
            parallel::Failure::Io(e) => Error::io(path, e),
            parallel::Failure::Partition(e) => match &reading.spill {
                Some(spill) => Error::io(spill.path(0), e),
                None => Error::io(path, e),
            },
        })?;
        return match outcome {
            parallel::Outcome::Done(parsed) => Ok(parsed),
            parallel::Outcome::Handover {
                source,
                rest,
                hasher,
                combined,
                offset,
                checked,
                newlines,
            } => {
                // The rest has quotes: the csv parser reads it from a line start on.
                let stream = TextStream::resume(
                    std::io::Cursor::new(rest).chain(source),
                    hasher,
                    combined,
                    offset,
                    checked,
                    newlines,
                    options.max_record_bytes,
                );
                let mut parsed = keep_csv_records(
                    csv_reader(delimiter, stream),
                    path,
                    size,
                    options,
                    reading,
                    (first_line, newlines),
                    reading_rows_before == reading.rows,
                    sink,
                    progress,
                )?;
                parsed.lines += newlines;
                Ok(parsed)
            }
        };
    }
    let stream = TextStream::new(
        std::io::Cursor::new(prefix.bytes.clone()).chain(source),
        &prefix,
        combined,
        options.max_record_bytes,
        options.encoding,
    );
    let mut reader = csv_reader(delimiter, stream);
    let mut record = csv::ByteRecord::new();
    let header_read = reader
        .read_byte_record(&mut record)
        .map_err(|e| input_error(csv_message(&e, 0)))?;
    let names = header_names(header_read, &record).map_err(&input_error)?;
    start_file(names, path, options, state, delimiter)?;
    let reading = state.as_mut().expect("set above");
    keep_csv_records(
        reader,
        path,
        size,
        options,
        reading,
        (first_line, 0),
        true,
        sink,
        progress,
    )
}

/// The csv parser as every path sets it up. Records end at LF; a CR before it stays in the
/// last field, which every reader trims. (csv's own CRLF handling counts lines one behind.)
fn csv_reader<R: Read>(delimiter: u8, source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(256 * 1024)
        .from_reader(source)
}

/// The column names of a header record, or why there is none.
fn header_names(read: bool, record: &csv::ByteRecord) -> Result<Vec<String>, String> {
    if !read || record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return Err("the file is empty (expected a header row and data rows)".into());
    }
    Ok(record
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim_end_matches('\r')
                .to_string()
        })
        .collect())
}

/// Where the data start after the header (an offset into the prefix's body) and the header's
/// names, when the parallel reader can read the file: UTF-8 text (no `--encoding`) with LF or
/// CRLF line ends, whose header lies wholly in the prefix and is UTF-8.
fn parallel_header(
    prefix: &Prefix,
    delimiter: u8,
    options: &ReadOptions,
) -> Option<(usize, Vec<String>)> {
    let limit_fits = (1..=u64::from(u32::MAX) / 2).contains(&options.max_record_bytes);
    // On a rayon thread the workers might all be waiting for blocks only they could parse.
    let on_pool = rayon::current_thread_index().is_some();
    // A quote or line end as the delimiter (the command line refuses them, the library does
    // not) would confuse where records end: the csv parser alone decides such a file.
    let odd_delimiter = matches!(delimiter, b'"' | b'\n' | b'\r');
    if options.sequential
        || options.encoding.is_some()
        || !limit_fits
        || prefix.cr_only()
        || on_pool
        || odd_delimiter
    {
        return None;
    }
    let body = prefix.body();
    // The csv path reads the first bytes as one piece before the header: a bad byte or a line
    // over the limit anywhere in them fails there, before any header check. It says so.
    let text = match std::str::from_utf8(body) {
        Ok(_) => body,
        Err(e) if e.error_len().is_none() && !prefix.complete => &body[..e.valid_up_to()],
        Err(_) => return None,
    };
    if parallel::first_long_line(text, options.max_record_bytes).is_some() {
        return None;
    }
    let mut reader = csv_reader(delimiter, body);
    let mut record = csv::ByteRecord::new();
    let read = reader.read_byte_record(&mut record).ok()?;
    let end = usize::try_from(reader.position().byte()).ok()?;
    let whole = end < body.len() || prefix.complete;
    // A header over the record limit is the csv path's to refuse.
    let too_long = end as u64 > options.max_record_bytes;
    if !whole || too_long || end > body.len() || std::str::from_utf8(&body[..end]).is_err() {
        return None;
    }
    let names = header_names(read, &record).ok()?;
    Some((end, names))
}

/// Keeps the records the csv parser reads from `reader` (positioned at a record start; its
/// line 1 is line `first_line + 1` of the run), in file order. The reader starts after
/// `lines_before` lines of the file (0 unless the parallel reader handed over), and sizes the
/// tables from its first records when `reserve`.
#[allow(clippy::too_many_arguments)]
fn keep_csv_records<R: Read + Send>(
    mut reader: csv::Reader<TextStream<R>>,
    path: &Path,
    size: u64,
    options: &ReadOptions,
    reading: &mut Reading,
    (first_line, lines_before): (u64, u64),
    reserve: bool,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, Error> {
    let first_line = first_line + lines_before;
    let input_error = |message: String| Error::input(path, message);
    let Reading {
        builder,
        spill,
        rows,
        ..
    } = reading;
    // Two cores: one thread parses records (csv, hashing, UTF-8 checks) in batches while this
    // one keeps them (ids, groups, scoring). Batches go back to the parser to be refilled, so
    // records are not reallocated.
    const BATCH: usize = 4096;
    // (record, line, byte offset, blank): blankness is decided here, once, on the parser thread.
    type Batch = Vec<(csv::StringRecord, u64, u64, bool)>;
    let (full_tx, full_rx) =
        std::sync::mpsc::sync_channel::<Result<(Batch, usize, u64), String>>(4);
    let max_record = options.max_record_bytes;
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    for _ in 0..6 {
        let _ = empty_tx.send(
            (0..BATCH)
                .map(|_| (csv::StringRecord::new(), 0, 0, false))
                .collect(),
        );
    }
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            while let Ok(mut batch) = empty_rx.recv() {
                let mut filled = 0;
                while filled < BATCH {
                    match reader.read_record(&mut batch[filled].0) {
                        Ok(false) => break,
                        Ok(true) => {
                            let mut position = batch[filled]
                                .0
                                .position()
                                .map_or((0, 0), |p| (p.line(), p.byte()));
                            // csv numbers a record after empty lines at the first of them.
                            position.0 += reader.get_mut().empty_lines_at(position.1);
                            let size = batch[filled].0.as_byte_record().as_slice().len() as u64;
                            if max_record > 0 && size > max_record {
                                let _ = full_tx.send(Err(format!(
                                    "line {}: a record of {size} bytes, more than --max-record-bytes {max_record}; a quoted field may be missing its closing quote",
                                    lines_before + position.0
                                )));
                                return None;
                            }
                            batch[filled].1 = position.0;
                            batch[filled].2 = position.1;
                            batch[filled].3 = is_blank(&batch[filled].0);
                            filled += 1;
                        }
                        Err(e) => {
                            let _ = full_tx.send(Err(csv_message(&e, lines_before)));
                            return None;
                        }
                    }
                }
                let bytes_read = reader.get_ref().bytes_read();
                if full_tx.send(Ok((batch, filled, bytes_read))).is_err() || filled < BATCH {
                    break;
                }
            }
            let lines = reader.position().line();
            Some((lines, reader.into_inner().finish()))
        });
        let mut records = 0u64;
        let mut reserved = !reserve;
        let mut failure = None;
        let mut hashes: Vec<Option<ids::IdHash>> = Vec::with_capacity(BATCH);
        for message in full_rx.iter() {
            let (batch, filled, bytes_read) = match message {
                Ok(full) => full,
                Err(message) => {
                    failure = Some(input_error(message));
                    break;
                }
            };
            *rows += batch[..filled].iter().filter(|entry| !entry.3).count() as u64;
            if let Some(max) = options.max_rows.filter(|&max| *rows > max) {
                failure = Some(input_error(too_many_rows(max)));
                break;
            }
            if let Some(spill) = spill.as_mut() {
                // Streaming mode: kept records go to their partition on disk.
                let written = batch[..filled]
                    .iter()
                    .filter(|entry| !entry.3)
                    .try_for_each(|(record, line, _, _)| {
                        spill.write(record, first_line + line, builder.id_hash(record))
                    });
                if let Err(e) = written {
                    failure = Some(Error::io(spill.path(0), e));
                    break;
                }
                progress(bytes_read);
                if filled < BATCH {
                    break;
                }
                let _ = empty_tx.send(batch);
                continue;
            }
            records += filled as u64;
            if !reserved && records >= 4096 {
                // Size the tables once from the first records instead of growing them ~20 times.
                reserved = true;
                let offset = batch[filled - 1].2;
                if let Some(remaining) = (size.saturating_sub(offset) * records).checked_div(offset)
                {
                    builder.reserve(remaining as usize, (offset / records) as usize, sink);
                }
            }
            builder.hash_and_add(
                batch[..filled]
                    .iter()
                    .filter(|entry| !entry.3)
                    .map(|(record, line, _, _)| (record, first_line + line)),
                &mut hashes,
                sink,
            );
            progress(bytes_read);
            // The parser's last batch is the one it could not fill. Batches it sent before may
            // still be queued after it has finished, so a refused return is not the end.
            if filled < BATCH {
                break;
            }
            let _ = empty_tx.send(batch);
        }
        drop(empty_tx);
        drop(full_rx);
        let finished = parser
            .join()
            .expect("the parser thread only reads and does not panic");
        match (failure, finished) {
            (Some(e), _) => Err(e),
            (None, Some((lines, (bytes, sha256, combined)))) => Ok(Parsed {
                lines,
                bytes,
                sha256,
                combined,
            }),
            (None, None) => Err(input_error("cannot parse CSV".into())),
        }
    })
}

/// How many records ahead of its lookup an id's table slot is prefetched: enough to cover a
/// memory access, few enough that the slot is still in cache when it is used.
const PREFETCH_AHEAD: usize = 16;

/// What reading has gathered so far, across files.
struct Reading {
    header: Header,
    plan: Plan,
    builder: Builder,
    delimiter: u8,
    /// Streaming mode: where kept records go instead of the builder.
    spill: Option<spill::Spill>,
    /// Non-blank records read so far, for `--max-rows`.
    rows: u64,
}

/// Takes a file's header: the first file's sets the plan, later files must repeat it.
fn start_file(
    names: Vec<String>,
    path: &Path,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    delimiter: u8,
) -> Result<(), Error> {
    let input_error = |message: String| Error::input(path, message);
    match state {
        None => {
            let header = Header::new(names, &options.renames).map_err(input_error)?;
            let plan = Plan::new(&header, options).map_err(input_error)?;
            let builder = Builder::new(&header, &plan, options);
            let spill = match &options.spill {
                Some(to) => Some(spill::Spill::create(to).map_err(|e| Error::io(&to.dir, e))?),
                None => None,
            };
            *state = Some(Reading {
                header,
                plan,
                builder,
                delimiter,
                spill,
                rows: 0,
            });
        }
        Some(Reading { header, .. }) => {
            let normalised: Vec<String> = names.iter().map(|n| columns::normalise(n)).collect();
            let expected: Vec<String> =
                header.names.iter().map(|n| columns::normalise(n)).collect();
            if normalised != expected {
                return Err(input_error(format!(
                    "its columns ({}) differ from the first file's ({}); files analysed together must have the same header",
                    names.join(", "),
                    header.names.join(", ")
                )));
            }
        }
    }
    Ok(())
}

fn too_many_rows(max: u64) -> String {
    format!("more than {max} data rows (--max-rows {max}); raise the limit if the export is meant to be this large")
}

/// A csv error as said to the user; its line counts from a reader that started after
/// `lines_before` lines of the file.
fn csv_message(e: &csv::Error, lines_before: u64) -> String {
    match e.position() {
        Some(p) => format!("line {}: cannot parse CSV: {e}", lines_before + p.line()),
        None => format!("cannot parse CSV: {e}"),
    }
}

/// Which columns hold what, decided from the header before any row is read.
#[derive(Clone)]
struct Plan {
    layout: Layout,
    id: usize,
    timepoint: Option<usize>,
    groups: Vec<usize>,
    sources: [Option<Source>; 3],
    notices: Vec<String>,
}

/// Whether `key` is a column name the reader looks for, so `--column key=...` can take effect.
fn is_expected_column(key: &str, by: &[String]) -> bool {
    let key = key.trim().to_ascii_lowercase();
    let fixed = [
        "id",
        "timepoint",
        "score",
        "pre_score",
        "post_score",
        "followup_score",
    ];
    let item = |rest: &str| {
        rest.strip_prefix('q')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    fixed.contains(&key.as_str())
        || by.iter().any(|b| b.eq_ignore_ascii_case(&key))
        || item(&key)
        || ["pre_", "post_", "followup_"]
            .iter()
            .any(|p| key.strip_prefix(p).is_some_and(item))
}

impl Plan {
    fn new(header: &Header, options: &ReadOptions) -> Result<Plan, String> {
        let found = || format!("columns found: {}", header.names.join(", "));
        for key in options.renames.keys() {
            if !is_expected_column(key, &options.by) {
                return Err(format!(
                    "--column {key}=...: {key:?} is not a column this tool reads (expected id, pre_score, post_score, followup_score, pre_q1.., timepoint, score, q1.. or a --by column)"
                ));
            }
        }
        if let Some((key, wanted)) = header.dangling_renames().first() {
            return Err(format!(
                "--column {key}={wanted:?}: no column {wanted:?} in the header; {}",
                found()
            ));
        }
        // Collect every missing column before reporting, so one run shows all of them.
        let mut problems: Vec<String> = Vec::new();
        let id = header.find("id");
        if id.is_none() {
            let hint = header
                .suggest("id")
                .map(|s| format!(" (did you mean {s:?}? use --column id={s:?})"))
                .unwrap_or_default();
            problems.push(format!("no id column{hint}"));
        }
        let mut groups = Vec::new();
        for b in &options.by {
            match header.find(b) {
                Some(c) => groups.push(c),
                None if !options.by_option.is_empty() => {
                    let flag = options.by_option;
                    let hint = match header.suggest(b) {
                        Some(s) => format!(" (did you mean {s:?}? use --column {b}={s:?})"),
                        None => String::new(),
                    };
                    problems.push(format!("no {b} column, named by {flag}{hint}"));
                }
                None => {
                    let hint = match header.suggest(b) {
                        Some(s) => format!(" (did you mean {s:?}? use --column {b}={s:?} or --by {s:?})"),
                        None => " (name another column with --by, or --by \"\" for the whole sample only)".into(),
                    };
                    problems.push(format!("no {b} column for --by{hint}"));
                }
            }
        }
        let timepoint = header.find("timepoint");
        let mut notices = Vec::new();
        let layout = if timepoint.is_some() {
            Layout::Long
        } else {
            Layout::Wide
        };
        let sources = match layout {
            Layout::Long => match header.long_source(options.item_count) {
                Ok(Some(source)) => [Some(source.clone()), Some(source.clone()), Some(source)],
                Ok(None) => {
                    problems.push("long layout (a timepoint column) but no score column: expected score or q1..qK".into());
                    [None, None, None]
                }
                Err(e) => return Err(e),
            },
            Layout::Wide => {
                let sources = header.wide_sources(options.item_count)?;
                if sources.iter().all(Option::is_none) {
                    let hint = header
                        .suggest("pre_score")
                        .map(|s| format!(" (did you mean {s:?}? use --column pre_score={s:?})"))
                        .unwrap_or_default();
                    problems.push(format!(
                        "no score columns: expected pre_score, post_score, followup_score, or pre_q1.. items, or a timepoint column for the long layout{hint}"
                    ));
                }
                for tp in Timepoint::ALL {
                    let total = format!("{}_score", tp.name());
                    if matches!(sources[tp.index()], Some(Source::Items(_)))
                        && header.find(&total).is_some()
                    {
                        notices.push(format!(
                            "{total} ignored: {} is scored from its item columns",
                            tp.name()
                        ));
                    }
                }
                sources
            }
        };
        match id {
            Some(id) if problems.is_empty() => Ok(Plan {
                layout,
                id,
                timepoint,
                groups,
                sources,
                notices,
            }),
            _ => Err(format!("{}; {}", problems.join("; "), found())),
        }
    }
}

/// Accumulates people as records arrive.
struct Builder {
    width: usize,
    ids: ids::IdIndex,
    /// Long layout: which timepoints each person already has.
    seen: Vec<[bool; 3]>,
    group_levels: Vec<HashMap<String, u32>>,
    group_codes: Vec<GroupCodes>,
    responses: [Responses; 3],
    excluded: Vec<Excluded>,
    rows_read: u64,
    rows_kept: u64,
    layout: Layout,
    id: usize,
    timepoint: Option<usize>,
    groups: Vec<usize>,
    by_names: Vec<String>,
    /// Long layout: rows whose group value differs from the person's first row, per column.
    group_conflicts: Vec<u64>,
    warnings: Vec<RowWarning>,
    cell_columns: [Vec<usize>; 3],
    /// Cells of the record being handed to the sink, reused.
    cell_buffer: Vec<Cell>,
    /// The distinct total columns, which the parallel reader's workers score ahead.
    ahead_columns: Vec<usize>,
    /// Per timepoint, its total column's place in `ahead_columns`.
    ahead_slot: [Option<usize>; 3],
    /// Per grouping column, the global code of each block-local code of the block being
    /// kept ([`UNMAPPED`] until a kept person has it).
    block_levels: Vec<Vec<u32>>,
    /// What [`Builder::keep_block`] reuses.
    bulk: bulk::BulkBuffers,
}

/// A block-local group code with no global code yet.
const UNMAPPED: u32 = u32::MAX;

impl Builder {
    fn new(header: &Header, plan: &Plan, options: &ReadOptions) -> Builder {
        let cell_columns: [Vec<usize>; 3] = std::array::from_fn(|t| {
            plan.sources[t]
                .as_ref()
                .map(Source::columns)
                .unwrap_or_default()
        });
        let responses = std::array::from_fn(|t| Responses {
            source: plan.sources[t].clone(),
            width: cell_columns[t].len(),
            column_names: cell_columns[t]
                .iter()
                .map(|&c| header.names[c].clone())
                .collect(),
        });
        let mut ahead_columns = Vec::new();
        let ahead_slot = plan.sources.clone().map(|source| match source {
            Some(Source::Total(col)) => Some(
                ahead_columns
                    .iter()
                    .position(|&c| c == col)
                    .unwrap_or_else(|| {
                        ahead_columns.push(col);
                        ahead_columns.len() - 1
                    }),
            ),
            _ => None,
        });
        Builder {
            width: header.names.len(),
            ids: ids::IdIndex::default(),
            seen: Vec::new(),
            group_levels: (0..options.by.len()).map(|_| HashMap::new()).collect(),
            group_codes: vec![GroupCodes::default(); options.by.len()],
            responses,
            excluded: Vec::new(),
            rows_read: 0,
            rows_kept: 0,
            layout: plan.layout,
            id: plan.id,
            timepoint: plan.timepoint,
            groups: plan.groups.clone(),
            by_names: options.by.clone(),
            group_conflicts: vec![0; options.by.len()],
            warnings: Vec::new(),
            cell_columns,
            cell_buffer: Vec::new(),
            ahead_columns,
            ahead_slot,
            block_levels: vec![Vec::new(); options.by.len()],
            bulk: bulk::BulkBuffers::default(),
        }
    }

    /// A new block's records follow: its local group codes start unmapped.
    fn start_block(&mut self) {
        for map in &mut self.block_levels {
            map.clear();
        }
    }

    /// Excludes a wide record whose id an earlier record has.
    fn exclude_repeat(&mut self, line: u64, id: &str) {
        self.exclude(line, Exclusion::DuplicateId, format!("repeats id {id:?}"));
    }

    fn exclude(&mut self, line: u64, reason: Exclusion, detail: String) {
        self.excluded.push(Excluded {
            line,
            reason,
            detail,
        });
    }

    /// Adds records in order with their ids' hashes ([`Builder::id_hash`], computed first),
    /// prefetching each one's table slot a few records ahead, so the lookups do not wait on
    /// memory one by one. Blank records never get here (the parsers skip them; partitions
    /// hold none).
    fn add_batch<'a, R: Fields>(
        &mut self,
        batch: impl Iterator<Item = (R, u64, Option<Ahead<'a>>)>,
        hashes: &[Option<ids::IdHash>],
        sink: &mut dyn CellSink,
    ) {
        for (i, (record, line, ahead)) in batch.enumerate() {
            if let Some(&Some(next)) = hashes.get(i + PREFETCH_AHEAD) {
                self.ids.prefetch(next);
            }
            self.add(&record, line, hashes[i], ahead.as_ref(), sink);
        }
    }

    /// [`Builder::add_batch`] for records whose ids are not hashed yet (the csv parser's):
    /// hashes them into `hashes` first.
    fn hash_and_add<R: Fields>(
        &mut self,
        batch: impl Iterator<Item = (R, u64)> + Clone,
        hashes: &mut Vec<Option<ids::IdHash>>,
        sink: &mut dyn CellSink,
    ) {
        hashes.clear();
        hashes.extend(batch.clone().map(|(record, _)| self.id_hash(&record)));
        self.add_batch(
            batch.map(|(record, line)| (record, line, None)),
            hashes,
            sink,
        );
    }

    /// The hash of a record's id, if it has one (computed ahead of [`Builder::add`]).
    fn id_hash(&self, record: &impl Fields) -> Option<ids::IdHash> {
        id_hash(self.ids.hasher(), self.id, record)
    }

    fn add(
        &mut self,
        record: &impl Fields,
        line: u64,
        hash: Option<ids::IdHash>,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        self.rows_read += 1;
        if record.count() != self.width {
            let detail = format!(
                "{} fields where the header has {}",
                record.count(),
                self.width
            );
            self.exclude(line, Exclusion::Malformed, detail);
            return;
        }
        let id = trim(record.field(self.id));
        let Some(hash) = hash.filter(|_| !id.is_empty()) else {
            self.exclude(line, Exclusion::MissingId, "blank id".into());
            return;
        };
        let timepoint = match (self.layout, self.timepoint) {
            (Layout::Long, Some(col)) => {
                let text = record.field(col);
                match Timepoint::from_alias(text) {
                    Some(tp) => Some(tp),
                    None => {
                        let detail = format!(
                            "timepoint {:?} is not one of pre|baseline|initial|start, post|end|exit|final, followup|follow-up|follow_up|fu",
                            text.trim()
                        );
                        self.exclude(line, Exclusion::UnknownTimepoint, detail);
                        return;
                    }
                }
            }
            _ => None,
        };
        let person = match (self.ids.find_or_insert(id, hash), timepoint) {
            ((p, true), _) => {
                self.new_person(record, ahead, sink);
                p
            }
            ((p, false), Some(tp)) if !self.seen[p][tp.index()] => {
                self.check_groups_agree(p, record, line);
                p
            }
            ((_, false), Some(tp)) => {
                self.exclude(
                    line,
                    Exclusion::DuplicateId,
                    format!("repeats id {id:?} at {}", tp.name()),
                );
                return;
            }
            ((_, false), None) => {
                self.exclude_repeat(line, id);
                return;
            }
        };
        self.rows_kept += 1;
        match timepoint {
            Some(tp) => {
                self.seen[person][tp.index()] = true;
                self.fill(person, tp, record, line, ahead, sink);
            }
            None => {
                for tp in Timepoint::ALL {
                    self.fill(person, tp, record, line, ahead, sink);
                }
            }
        }
    }

    /// Makes room for about `records` more records of `bytes_each` bytes.
    fn reserve(&mut self, records: usize, bytes_each: usize, sink: &mut dyn CellSink) {
        let people = if self.layout == Layout::Long {
            records / 2
        } else {
            records
        };
        self.ids.reserve(people, (bytes_each / 4).max(4));
        if self.layout == Layout::Long {
            self.seen.reserve(people);
        }
        for codes in &mut self.group_codes {
            codes.reserve(people);
        }
        sink.reserve(people);
    }

    /// Long layout: notes a person whose later row names other groups than their first row
    /// (which is the one used).
    fn check_groups_agree(&mut self, person: usize, record: &impl Fields, line: u64) {
        for (g, &col) in self.groups.iter().enumerate() {
            let text = record.field(col);
            let value = group_value(text);
            let first = self.group_codes[g].get(person);
            if self.group_levels[g].get(value) != Some(&first) {
                self.group_conflicts[g] += 1;
                let first_value = self.group_levels[g]
                    .iter()
                    .find(|(_, &c)| c == first)
                    .map_or("", |(v, _)| v.as_str());
                self.warnings.push(RowWarning {
                    line,
                    message: format!(
                        "column {}: {value:?} differs from {first_value:?} in the first row of id {:?}; the first row's value is used",
                        self.by_names[g],
                        self.ids.get(person)
                    ),
                });
            }
        }
    }

    fn new_person(
        &mut self,
        record: &impl Fields,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        for (g, &col) in self.groups.iter().enumerate() {
            let code = match ahead {
                // Coded on a worker: its block-local code, mapped once per block.
                Some(ahead) => block_code(
                    &mut self.block_levels[g],
                    &mut self.group_levels[g],
                    ahead.groups[g] as usize,
                    &ahead.levels[g],
                ),
                None => global_code(&mut self.group_levels[g], group_value(record.field(col))),
            };
            self.group_codes[g].push(code);
        }
        if self.layout == Layout::Long {
            // Which timepoints a person has rows for matters only in the long layout.
            self.seen.push([false; 3]);
        }
        sink.person_added();
    }

    fn fill(
        &mut self,
        person: usize,
        tp: Timepoint,
        record: &dyn Fields,
        line: u64,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        let columns = &self.cell_columns[tp.index()];
        if columns.is_empty() {
            return;
        }
        if let (Some(ahead), Some(slot)) = (ahead, self.ahead_slot[tp.index()]) {
            if let Some(score) = ahead
                .totals
                .get(slot)
                .and_then(|&bits| AheadScore::decode(bits))
            {
                return sink.total(person, tp, score);
            }
        }
        self.cell_buffer.clear();
        self.cell_buffer
            .extend(columns.iter().map(|&col| parse_cell(record.field(col))));
        sink.cells(TimepointCells {
            person,
            timepoint: tp,
            cells: &self.cell_buffer,
            line,
            responses: &self.responses[tp.index()],
            record,
            columns,
        });
    }

    fn finish(
        self,
        source: SourceInfo,
        files: Vec<SourceFile>,
        delimiter: u8,
        mut plan: Plan,
    ) -> Export {
        plan.notices = notices(
            &plan.notices,
            self.rows_read,
            &self.by_names,
            &self.group_conflicts,
        );
        let ids = self.ids.into_ids();
        let groups = self
            .group_levels
            .into_iter()
            .zip(self.group_codes)
            .zip(self.by_names)
            .map(|((levels, codes), name)| sort_levels(name, levels, codes))
            .collect();
        Export {
            source,
            files,
            layout: self.layout,
            delimiter,
            rows_read: self.rows_read,
            rows_kept: self.rows_kept,
            excluded: self.excluded,
            people: ids.len() as u64,
            ids,
            groups,
            group_conflicts: self.group_conflicts,
            responses: self.responses,
            notices: plan.notices,
            warnings: self.warnings,
        }
    }
}

/// The notices of a read: the plan's, then whether there were no rows and how many rows gave
/// a person another group than their first row.
fn notices(plan: &[String], rows_read: u64, by: &[String], conflicts: &[u64]) -> Vec<String> {
    let mut notices = plan.to_vec();
    if rows_read == 0 {
        notices.push("the file has a header but no data rows".into());
    }
    for (name, &conflicts) in by.iter().zip(conflicts) {
        if conflicts > 0 {
            notices.push(format!(
                "{conflicts} row{} give a person another {name} than their first row; the first row's value is used",
                if conflicts == 1 { "" } else { "s" }
            ));
        }
    }
    notices
}

/// The hash of a record's id (its `id_column`, trimmed), if it has a non-blank one.
fn id_hash(hasher: &ids::IdHasher, id_column: usize, record: &impl Fields) -> Option<ids::IdHash> {
    let id = trim(record.get(id_column)?);
    (!id.is_empty()).then(|| hasher.hash(id))
}

/// A blank record (a blank line, or only delimiters and spaces): skipped, not counted.
fn is_blank(record: &impl Fields) -> bool {
    (0..record.count()).all(|i| record.field(i).bytes().all(|b| b.is_ascii_whitespace()))
}

/// The global code of block-local code `local` (naming `block_levels[local]`), mapped in
/// `map` the first time a kept person has it.
#[inline]
fn block_code(
    map: &mut Vec<u32>,
    levels: &mut HashMap<String, u32>,
    local: usize,
    block_levels: &[String],
) -> u32 {
    if map.len() <= local {
        map.resize(local + 1, UNMAPPED);
    }
    if map[local] == UNMAPPED {
        map[local] = global_code(levels, &block_levels[local]);
    }
    map[local]
}

/// The code of group `value` in a column's `levels`, numbered in order of first appearance.
fn global_code(levels: &mut HashMap<String, u32>, value: &str) -> u32 {
    match levels.get(value) {
        Some(&code) => code,
        None => {
            let code = levels.len() as u32;
            levels.insert(value.to_string(), code);
            code
        }
    }
}

/// A grouping cell as a group name: trimmed, and [`MISSING_GROUP`] when blank.
pub(crate) fn group_value(text: &str) -> &str {
    match trim(text) {
        "" => MISSING_GROUP,
        v => v,
    }
}

/// Re-codes a column so that codes follow the levels sorted by UTF-8 bytes (R's radix sort),
/// which makes "groups sorted by name" a walk over codes.
fn sort_levels(name: String, levels: HashMap<String, u32>, mut codes: GroupCodes) -> GroupColumn {
    let mut by_code: Vec<(String, u32)> = levels.into_iter().collect();
    by_code.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut new_code = vec![0u32; by_code.len()];
    for (rank, (_, old)) in by_code.iter().enumerate() {
        new_code[*old as usize] = rank as u32;
    }
    codes.remap(&new_code);
    GroupColumn {
        name,
        levels: by_code.into_iter().map(|(l, _)| l).collect(),
        codes,
    }
}
