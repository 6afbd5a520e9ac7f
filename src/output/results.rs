//! A results folder read back: what `report` (and `analyse` itself, after writing the tables)
//! builds charts and reports from, so a report can be rebuilt without the raw data and is
//! always exactly what the tables say.

use crate::error::Error;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A comparisons.csv row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ComparisonRecord {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// `pre_post`, `pre_followup` or `post_followup`.
    pub comparison: String,
    /// People in the comparison (`None` when suppressed).
    pub n: Option<u64>,
    /// Mean at the earlier timepoint.
    pub mean_a: Option<f64>,
    /// Mean at the later timepoint.
    pub mean_b: Option<f64>,
    /// Mean change.
    pub mean_change: Option<f64>,
    /// CI of the mean change.
    pub ci_low: Option<f64>,
    /// CI of the mean change.
    pub ci_high: Option<f64>,
    /// Paired t.
    pub t: Option<f64>,
    /// p of the t test.
    pub p_t: Option<f64>,
    /// Adjusted p of the t test.
    pub p_t_adj: Option<f64>,
    /// Adjusted Wilcoxon p.
    pub p_wilcoxon_adj: Option<f64>,
    /// Cohen's dz.
    pub dz: Option<f64>,
    /// CI of dz.
    pub dz_ci_low: Option<f64>,
    /// CI of dz.
    pub dz_ci_high: Option<f64>,
    /// People improved.
    pub n_improved: Option<u64>,
    /// People unchanged.
    pub n_unchanged: Option<u64>,
    /// People worse.
    pub n_worse: Option<u64>,
    /// Percent improved.
    pub pct_improved: Option<f64>,
    /// Withheld for disclosure control.
    pub suppressed: bool,
    /// Why statistics are missing.
    #[serde(default)]
    pub note: String,
}

/// A flow.csv row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct FlowRecord {
    /// Stage name.
    pub stage: String,
    /// Count.
    pub n: u64,
    /// Meaning.
    pub detail: String,
}

/// A timepoints.csv row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TimepointRecord {
    /// Grouping column.
    pub group_by: String,
    /// Group value.
    pub group: String,
    /// `pre`, `post` or `followup`.
    pub timepoint: String,
    /// People with a valid score.
    pub n: Option<u64>,
    /// Mean.
    pub mean: Option<f64>,
    /// CI of the mean.
    pub ci_low: Option<f64>,
    /// CI of the mean.
    pub ci_high: Option<f64>,
    /// Withheld for disclosure control.
    pub suppressed: bool,
}

/// A distribution.csv row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ChangeBinRecord {
    /// Comparison.
    pub comparison: String,
    /// Lower edge.
    pub change_low: f64,
    /// Upper edge.
    pub change_high: f64,
    /// Whole-number changes (the bar holds `change_low..=change_high`).
    pub discrete: bool,
    /// People.
    pub count: u64,
}

/// A transitions.csv row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TransitionRecord {
    /// Comparison.
    pub comparison: String,
    /// Earlier score.
    pub earlier: f64,
    /// Later score.
    pub later: f64,
    /// People.
    pub count: u64,
}

/// The parts of summary.json the report uses.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SummaryRecord {
    /// Tool name and version.
    pub tool: ToolRecord,
    /// Input identity.
    pub input: InputRecord,
    /// Settings used.
    pub settings: SettingsRecord,
    /// The scale.
    pub scale: ScaleRecord,
    /// Notes from reading.
    #[serde(default)]
    pub notices: Vec<String>,
    /// The headline sentence.
    #[serde(default)]
    pub headline: Option<HeadlineRecord>,
    /// The period covered and the follow-up window, when the export has dates.
    #[serde(default)]
    pub dates: Option<DatesRecord>,
    /// Tables left out because the measure cannot support them, with the reason.
    #[serde(default)]
    pub not_computed: Vec<NotComputedRecord>,
}

/// summary.json `not_computed`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct NotComputedRecord {
    /// The table left out.
    pub table: String,
    /// Why.
    pub reason: String,
}

/// summary.json `dates`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct DatesRecord {
    /// Each date column's period.
    #[serde(default)]
    pub columns: Vec<DateColumnRecord>,
    /// Date cells that were not dates.
    #[serde(default)]
    pub unreadable: u64,
    /// The follow-up window, when set.
    #[serde(default)]
    pub followup_window: Option<WindowRecord>,
}

/// One date column in summary.json `dates.columns`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct DateColumnRecord {
    /// `pre`, `post`, `followup`.
    pub timepoint: String,
    /// Header name.
    pub column: String,
    /// People dated.
    pub dated: u64,
    /// First month (`2023-03`), unless withheld.
    pub first_month: Option<String>,
    /// Last month.
    pub last_month: Option<String>,
}

/// summary.json `dates.followup_window`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct WindowRecord {
    /// Fewest days.
    pub min_days: i32,
    /// Most days.
    pub max_days: i32,
    /// `post` or `pre`.
    pub from: String,
    /// Left out as too early.
    pub too_early: u64,
    /// Left out as too late.
    pub too_late: u64,
    /// Left out as undated.
    pub undated: u64,
}

/// summary.json `headline`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct HeadlineRecord {
    /// The sentence.
    pub text: String,
}

/// summary.json `tool`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ToolRecord {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// summary.json `input`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct InputRecord {
    /// File name.
    pub file_name: String,
    /// Size.
    pub bytes: u64,
    /// SHA-256.
    pub sha256: String,
    /// `wide` or `long`.
    pub layout: String,
    /// Each input file (several when files were analysed together).
    #[serde(default)]
    pub files: Vec<FileRecord>,
}

/// summary.json `input.files[]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct FileRecord {
    /// File name.
    pub file_name: String,
    /// Size.
    pub bytes: u64,
    /// SHA-256.
    pub sha256: String,
}

/// summary.json `settings`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SettingsRecord {
    /// Scale name.
    pub scale: String,
    /// Grouping columns.
    pub by: Vec<String>,
    /// Adjustment method.
    pub p_adjust: String,
    /// Confidence level.
    pub conf_level: f64,
    /// Disclosure threshold.
    pub min_cell: u64,
    /// Prorating limit.
    pub max_missing_items: u64,
    /// Whether secondary suppression was applied (absent in older results: no).
    #[serde(default)]
    pub secondary_suppression: bool,
    /// Signed-rank p-value method (`r` or `exact`; absent in older results: `r`).
    #[serde(default)]
    pub wilcoxon: Option<String>,
}

impl SettingsRecord {
    /// How a withheld row is labelled in tables and charts.
    pub fn suppressed_label(&self) -> String {
        suppressed_label(self.min_cell as usize, self.secondary_suppression)
    }
}

/// How a withheld row is labelled: by the threshold, and with secondary suppression, also
/// as possibly protecting another group.
pub fn suppressed_label(min_cell: usize, secondary: bool) -> String {
    if secondary {
        format!("suppressed (n < {min_cell}, or protecting such a group)")
    } else {
        format!("suppressed (n < {min_cell})")
    }
}

/// summary.json `scale`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ScaleRecord {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Short name for axes.
    pub short: String,
    /// What higher scores mean.
    pub axis_note: String,
    /// Items.
    pub items: Option<ItemsRecord>,
    /// Valid totals.
    pub total_range: Option<(f64, f64)>,
    /// Direction.
    pub higher_is_worse: bool,
    /// Citation.
    pub source: String,
    /// Licence terms, the copyright line, pitfalls.
    #[serde(default)]
    pub note: Option<String>,
    /// Raw totals → analysed scores, when the scale converts them.
    #[serde(default)]
    pub conversion: Vec<(f64, f64)>,
    /// What a missing item scores within the allowance, instead of prorating.
    #[serde(default)]
    pub missing_item_score: Option<f64>,
    /// Items the scale's own rule lets be missing (a run may allow another number).
    #[serde(default)]
    pub allowed_missing: Option<u64>,
    /// What the scale measures, when not loneliness.
    #[serde(default)]
    pub outcome: Option<String>,
    /// How an improved person is described.
    #[serde(default)]
    pub improved: Option<String>,
    /// A single ordinal answer.
    #[serde(default)]
    pub ordinal: bool,
    /// The categories of totals.
    #[serde(default)]
    pub categories: Vec<crate::scale::Category>,
    /// The worse category, when the scale names one of more than two.
    #[serde(default)]
    pub worse: Option<crate::scale::Category>,
}

/// summary.json `scale.items`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ItemsRecord {
    /// Number of items.
    pub count: usize,
    /// Lowest response.
    pub min: f64,
    /// Highest response.
    pub max: f64,
    /// Reverse-scored flags.
    pub reversed: Vec<bool>,
}

/// Everything in a results folder.
#[derive(Debug, Clone)]
pub struct ResultsDir {
    /// The folder.
    pub dir: PathBuf,
    /// summary.json.
    pub summary: SummaryRecord,
    /// comparisons.csv.
    pub comparisons: Vec<ComparisonRecord>,
    /// flow.csv.
    pub flow: Vec<FlowRecord>,
    /// timepoints.csv.
    pub timepoints: Vec<TimepointRecord>,
    /// distribution.csv.
    pub change_bins: Vec<ChangeBinRecord>,
    /// transitions.csv.
    pub transitions: Vec<TransitionRecord>,
    /// The further analyses present in the folder (repeated.csv, categories.csv, ...), as
    /// read: file name, then rows as maps from column to cell.
    pub further: Vec<(String, Vec<CsvRow>)>,
    /// The matched comparison in the folder's `compare/`, when `compare` was run.
    pub compare: Option<CompareFolder>,
}

/// What `compare` wrote, as read.
#[derive(Debug, Clone)]
pub struct CompareFolder {
    /// matching_flow.csv.
    pub flow: Vec<CsvRow>,
    /// balance.csv.
    pub balance: Vec<CsvRow>,
    /// effect.csv.
    pub effects: Vec<CsvRow>,
    /// matched_means.csv.
    pub means: Vec<CsvRow>,
    /// summary.json's settings.
    pub settings: serde_json::Value,
}

/// Reads `compare/` beside a results folder. While `analyse` builds its report in the staging
/// folder inside `--out`, the comparison is the one in `--out` itself.
fn read_compare(dir: &Path) -> Result<Option<CompareFolder>, Error> {
    let out = if dir
        .file_name()
        .is_some_and(|n| n == crate::output::publish::STAGING)
    {
        dir.parent().unwrap_or(dir)
    } else {
        dir
    };
    let folder = out.join("compare");
    let summary_path = folder.join("summary.json");
    let Ok(text) = std::fs::read_to_string(&summary_path) else {
        return Ok(None);
    };
    let summary: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Input {
        path: summary_path.clone(),
        message: format!("not a summary.json of `compare`: {e}"),
    })?;
    Ok(Some(CompareFolder {
        flow: read_csv(&folder, "matching_flow.csv")?,
        balance: read_csv(&folder, "balance.csv")?,
        effects: read_csv(&folder, "effect.csv")?,
        means: read_csv(&folder, "matched_means.csv")?,
        settings: summary["settings"].clone(),
    }))
}

/// A CSV row as a map from column name to cell.
pub type CsvRow = std::collections::BTreeMap<String, String>;

/// A cell of a CSV row as text (empty when the column is absent).
pub fn csv_cell(row: &CsvRow, key: &str) -> String {
    row.get(key).cloned().unwrap_or_default()
}

/// A cell of a CSV row as a number, if it holds one.
pub fn csv_number(row: &CsvRow, key: &str) -> Option<f64> {
    row.get(key).and_then(|v| v.parse::<f64>().ok())
}

/// The further analyses the reports show when a results folder holds them, in report order.
pub const FURTHER_FILES: [&str; 8] = [
    "repeated.csv",
    "mixed_model.csv",
    "categories.csv",
    "reliable_change.csv",
    "between_groups.csv",
    "attrition.csv",
    "intervals.csv",
    "item_reliability.csv",
];

fn read_further(dir: &Path) -> Result<Vec<(String, Vec<CsvRow>)>, Error> {
    let mut out = Vec::new();
    for name in FURTHER_FILES {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let rows: Vec<CsvRow> = read_csv(dir, name)?;
        out.push((name.to_string(), rows));
    }
    Ok(out)
}

fn read_csv<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<T>, Error> {
    let path = dir.join(name);
    let not_results = |message: String| Error::Input {
        path: path.clone(),
        message: format!(
            "{message} (is {} a results folder written by `analyse`?)",
            dir.display()
        ),
    };
    let mut reader = csv::Reader::from_path(&path).map_err(|e| not_results(e.to_string()))?;
    reader
        .deserialize()
        .map(|r| r.map_err(|e| not_results(e.to_string())))
        .collect()
}

impl ResultsDir {
    /// Reads a results folder.
    pub fn load(dir: &Path) -> Result<ResultsDir, Error> {
        let summary_path = dir.join("summary.json");
        let text = std::fs::read_to_string(&summary_path).map_err(|e| Error::Input {
            path: summary_path.clone(),
            message: format!(
                "{e} (is {} a results folder written by `analyse`?)",
                dir.display()
            ),
        })?;
        let summary = serde_json::from_str(&text).map_err(|e| Error::Input {
            path: summary_path.clone(),
            message: format!("not a summary.json of this tool: {e}"),
        })?;
        Ok(ResultsDir {
            dir: dir.to_path_buf(),
            summary,
            comparisons: read_csv(dir, "comparisons.csv")?,
            flow: read_csv(dir, "flow.csv")?,
            timepoints: read_csv(dir, "timepoints.csv")?,
            change_bins: read_csv(dir, "distribution.csv")?,
            transitions: read_csv(dir, "transitions.csv")?,
            further: read_further(dir)?,
            compare: read_compare(dir)?,
        })
    }

    /// Count of a flow stage (0 when absent).
    pub fn flow_count(&self, stage: &str) -> u64 {
        self.flow
            .iter()
            .find(|f| f.stage == stage)
            .map_or(0, |f| f.n)
    }

    /// The comparison row for a group and comparison.
    pub fn comparison(
        &self,
        group_by: &str,
        group: &str,
        comparison: &str,
    ) -> Option<&ComparisonRecord> {
        self.comparisons
            .iter()
            .find(|r| r.group_by == group_by && r.group == group && r.comparison == comparison)
    }
}
