//! The reader's output and its vocabulary: the typed table of people ([`Export`]), its
//! grouping columns, exclusions and warnings, the options that steer reading, and the
//! [`CellSink`] through which the scoring stage receives cells as records arrive.

use super::*;

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
    /// The export's own words for missing values, timepoints and groups, and exclusion rules.
    pub vocabulary: Vocabulary,
    /// `--sheet`: a workbook's sheet by name or number (from 1).
    pub sheet: Option<String>,
    /// `--header-row`: a workbook's header row (from 1), when title rows sit above it.
    pub header_row: Option<u32>,
    /// A long layout ordered by date: the first pass's collecting, or the second's decisions.
    pub date_order: DateOrder,
    /// Score columns are read as `<prefix>_pre_score`, `<prefix>_pre_q1`, `<prefix>_score`
    /// ... (one measure of a run with several, `--scale a,b`).
    pub score_prefix: Option<String>,
    /// A single measure's scale name: its score columns are read as `<scale>_pre_score`,
    /// `<scale>_pre_q1` ... when the export has none without the prefix (`--scale ucla3` on
    /// an export whose columns name their measure).
    pub score_prefix_if_unprefixed: Option<String>,
    /// Block size of the parallel reader (default 1 MiB); tests use tiny blocks to put
    /// block boundaries at every kind of place.
    pub block_bytes: Option<usize>,
}

/// The two passes over a long layout ordered by date (see [`super::order`]).
#[derive(Debug, Clone, Default)]
pub enum DateOrder {
    /// Not ordered by date (or not yet decided).
    #[default]
    Off,
    /// The first pass: collect ids, lines and dates.
    Collect,
    /// The second pass: each record's decision.
    Apply(std::sync::Arc<super::order::Decisions>),
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
    /// `csv`, `parquet`, or the workbook's format (`xlsx`, `xls`, `ods` ...).
    pub format: &'static str,
    /// A workbook's sheet and header row (absent for CSV and Parquet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<SheetPlace>,
    /// SPSS: variable names and their labels, for messages (empty for other formats).
    #[serde(skip)]
    pub variable_labels: Vec<(String, String)>,
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
    /// Matched an `[exclude]` rule (a test id, a TOTAL row).
    ByRule,
    /// Long layout: a timepoint value the config maps to `ignore` ("Interim review").
    IgnoredTimepoint,
    /// Ordered by date: a fourth or later assessment of a person.
    ExtraAssessment,
    /// Ordered by date: an assessment without a date.
    UndatedAssessment,
}

impl Exclusion {
    /// Flow stage name.
    pub fn stage(self) -> &'static str {
        match self {
            Exclusion::Malformed => "excluded_malformed",
            Exclusion::MissingId => "excluded_missing_id",
            Exclusion::UnknownTimepoint => "excluded_unknown_timepoint",
            Exclusion::DuplicateId => "excluded_duplicate_id",
            Exclusion::ByRule => "excluded_by_rule",
            Exclusion::IgnoredTimepoint => "excluded_ignored_timepoint",
            Exclusion::ExtraAssessment => "excluded_extra_assessment",
            Exclusion::UndatedAssessment => "excluded_undated_assessment",
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
    pub(super) record: &'a dyn Fields,
    pub(super) columns: &'a [usize],
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
    pub(super) groups: &'a [u32],
    /// The block's distinct values per grouping column.
    pub(super) levels: &'a [Vec<String>],
    /// Each total column's score ([`Builder::ahead_columns`]) as [`AheadScore`] bits; empty
    /// when the sink scores no totals ahead.
    pub(super) totals: &'a [u64],
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
    /// The config's `[exclude]` rules as written (`id = "TEST*"`), for the flow.
    pub exclude_rules: Vec<String>,
    /// Whether the config maps some timepoint value to `ignore`, for the flow.
    pub ignores_timepoints: bool,
    /// The date columns and each person's dates (`None` when the export has no date column).
    pub dates: Option<Dates>,
    /// Whether a long layout's timepoints came from the order of its dates.
    pub ordered_by_date: bool,
}

/// Each person's date at each timepoint, from the date columns (wide: pre_date, post_date,
/// followup_date; long: the assessment date of the person's record at that timepoint).
#[derive(Debug, Clone, PartialEq)]
pub struct Dates {
    /// Header name of each timepoint's date column (`None`: the timepoint has none).
    pub columns: [Option<String>; 3],
    /// `days[t][person]`: the day number of the person's date at timepoint `t`, or
    /// [`NO_DATE`]; empty for a timepoint without a date column (and in streaming mode once
    /// a partition is summarised).
    pub days: [Vec<dates::DayNumber>; 3],
    /// Date cells that held something other than a date (listed in the warnings).
    pub unreadable: u64,
    /// How the dates were read.
    pub format: dates::DateFormat,
}

/// No date: blank, a missing code, or a date that could not be read.
pub const NO_DATE: dates::DayNumber = dates::DayNumber::MIN;

impl Dates {
    /// Person `p`'s date at `tp`, if any.
    pub fn day(&self, tp: Timepoint, p: usize) -> Option<dates::DayNumber> {
        self.days[tp.index()]
            .get(p)
            .copied()
            .filter(|&d| d != NO_DATE)
    }
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

    /// Where line `line` of the run is, for a message: `exports/a.csv line 214` for a CSV or
    /// Parquet file; for a workbook `clients.xlsx Clients!H214`, the cell of `column` (a
    /// header name), or `clients.xlsx Clients row 214` without one.
    pub fn place(&self, line: u64, column: Option<&str>) -> String {
        let (path, line) = self.locate(line);
        let sheet = self
            .files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.sheet.as_ref());
        let format = self.files.iter().find(|f| f.path == path).map(|f| f.format);
        match (sheet, format) {
            (Some(sheet), _) => format!("{} {}", path.display(), sheet.cell(line, column)),
            // SPSS numbers cases, not lines: case k is line k + 1 of the CSV export.
            (None, Some("sav")) => format!("{} case {}", path.display(), line.saturating_sub(1)),
            (None, _) => format!("{} line {line}", path.display()),
        }
    }

    /// The label of a column (an SPSS variable's), if it has one that says more than its name.
    pub fn column_label(&self, column: &str) -> Option<&str> {
        self.files
            .iter()
            .flat_map(|f| &f.variable_labels)
            .find(|(name, label)| {
                name.eq_ignore_ascii_case(column) && !label.trim().eq_ignore_ascii_case(name)
            })
            .map(|(_, label)| label.as_str())
            .filter(|label| !label.trim().is_empty())
    }

    /// Drops the per-person data (ids, group codes), keeping the counts and lists: what
    /// streaming mode keeps of each partition.
    pub fn forget_people(&mut self) {
        self.ids = Ids::default();
        if let Some(dates) = &mut self.dates {
            dates.days = Default::default();
        }
        for column in &mut self.groups {
            column.codes = GroupCodes::default();
        }
    }

    /// Number of excluded records for one reason.
    pub fn excluded_count(&self, reason: Exclusion) -> u64 {
        self.excluded.iter().filter(|e| e.reason == reason).count() as u64
    }
}
