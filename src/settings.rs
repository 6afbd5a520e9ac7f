//! Options of a run, merged from the command line over an optional `--config` TOML file over
//! the defaults. Every value is checked here, once, so later stages can trust them.

use crate::error::Error;
use crate::model::Timepoint;
use crate::read::dates::DateFormat;
use crate::read::{normalise_words, Vocabulary};
use crate::scale::{Scale, ScaleDef, ScaleTable};
use crate::stats::padjust::PAdjust;
use crate::stats::wilcoxon::WilcoxonMethod;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Default `--by`.
pub const DEFAULT_BY: [&str; 2] = ["trigger_group", "location"];
/// Default `--min-cell`.
pub const DEFAULT_MIN_CELL: usize = 10;
/// Default `--conf-level`.
pub const DEFAULT_CONF_LEVEL: f64 = 0.95;
/// Default `--scale`.
pub const DEFAULT_SCALE: &str = "ucla3";
/// Default `--out`.
pub const DEFAULT_OUT: &str = "results";

/// Contents of a `--config` file: any option, plus custom scales as `[[scales]]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// `--scale`.
    pub scale: Option<String>,
    /// `--by`, as a list.
    pub by: Option<Vec<String>>,
    /// `--p-adjust`.
    pub p_adjust: Option<PAdjust>,
    /// `--conf-level`.
    pub conf_level: Option<f64>,
    /// `--min-cell`.
    pub min_cell: Option<usize>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--delimiter`.
    pub delimiter: Option<String>,
    /// `--encoding`.
    pub encoding: Option<String>,
    /// `--max-missing-items`.
    pub max_missing_items: Option<usize>,
    /// `--max-rows`.
    pub max_rows: Option<u64>,
    /// `--max-record-bytes`.
    pub max_record_bytes: Option<u64>,
    /// `--sheet`: a workbook's sheet, by name, or by number as text (`sheet = "2"`).
    pub sheet: Option<String>,
    /// `--header-row`.
    pub header_row: Option<u32>,
    /// `--column` renames as a table: `pre_score = "Initial UCLA"`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// `--write-scored`.
    pub write_scored: Option<bool>,
    /// `--secondary-suppression`.
    pub secondary_suppression: Option<bool>,
    /// `--reliability`.
    pub reliability: Option<f64>,
    /// `--wilcoxon`.
    pub wilcoxon: Option<WilcoxonMethod>,
    /// `--quiet`.
    pub quiet: Option<bool>,
    /// Missing codes for every column, on top of the built-in ones: numbers or text.
    #[serde(default)]
    pub missing_codes: Vec<toml::Value>,
    /// Missing codes for one column: `gender = ["Unknown"]`.
    #[serde(default)]
    pub column_missing_codes: BTreeMap<String, Vec<toml::Value>>,
    /// Answer labels of item columns beyond the scale's own: `"Not at all" = 1`.
    #[serde(default)]
    pub labels: BTreeMap<String, f64>,
    /// A long layout's timepoint values: `"End of support" = "post"`, `"Interim" = "ignore"`.
    #[serde(default)]
    pub timepoints: BTreeMap<String, String>,
    /// Grouping values renamed, per column: `[recode.trigger_group] "Bereaved" = "Bereavement"`.
    #[serde(default)]
    pub recode: BTreeMap<String, BTreeMap<String, String>>,
    /// Merge grouping values that differ only in case, spacing or trailing punctuation.
    pub normalise_groups: Option<bool>,
    /// Records excluded by value or `*` pattern, per column: `id = ["TEST*"]`.
    #[serde(default)]
    pub exclude: BTreeMap<String, Vec<String>>,
    /// Numeric grouping columns in bands, by their lower bounds: `age = [18, 25, 35, 50, 65]`.
    #[serde(default)]
    pub bands: BTreeMap<String, Vec<f64>>,
    /// How date columns are written: auto (default), iso, dd/mm/yyyy, mm/dd/yyyy, dd-mon-yy,
    /// excel.
    pub date_format: Option<String>,
    /// Days after end of support (or referral, `followup-window-from`) within which a
    /// follow-up counts: `"60..120"`.
    pub followup_window: Option<String>,
    /// What the follow-up window counts from: `post` (end of support, default) or `pre`.
    pub followup_window_from: Option<String>,
    /// A long layout without a timepoint column, its assessments ordered by date.
    pub order_by_date: Option<bool>,
    /// Custom scale definitions.
    #[serde(default)]
    pub scales: Vec<ScaleDef>,
    /// Several measures in one run, each a scale and its columns.
    #[serde(default)]
    pub measures: Vec<MeasureDef>,
}

/// One measure of a run with several, as written in the config's `[[measures]]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MeasureDef {
    /// The folder and label of its results (default: the scale's name).
    pub name: Option<String>,
    /// Its scale (built-in or a `[[scales]]` entry).
    pub scale: String,
    /// Its score columns: `pre_q1 = "UCLA Q1 (Referral)"`, `pre_score = "..."`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Its `max-missing-items` (default: the run's, else the scale's own rule).
    pub max_missing_items: Option<usize>,
}

/// One measure of a run, resolved: what a single-measure run of it is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Folder and label.
    pub name: String,
    /// Scale name.
    pub scale: String,
    /// Its column renames (the run's, then its own).
    #[serde(skip)]
    pub columns: BTreeMap<String, String>,
    /// Items that may be missing.
    pub max_missing_items: usize,
    /// Score columns found as `<prefix>_pre_score`, `<prefix>_pre_q1`... (`--scale a,b`).
    #[serde(skip)]
    pub score_prefix: Option<String>,
}

/// A missing code as written in the config: a number or text.
fn code_text(value: &toml::Value) -> Result<String, Error> {
    match value {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        other => Err(Error::Option(format!(
            "missing code {other}: expected a number or text, such as 99 or \"Prefer not to say\""
        ))),
    }
}

impl ConfigFile {
    /// Reads and parses a config file; unknown keys are errors so typos do not pass silently.
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        toml::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e
                .to_string()
                .lines()
                .collect::<Vec<_>>()
                .join(" ")
                .trim()
                .to_string(),
        })
    }
}

/// Options as given on the command line (`None` = not given).
#[derive(Debug, Clone, Default)]
pub struct CliOptions {
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--scale`.
    pub scale: Option<String>,
    /// `--by` (comma-separated, repeatable).
    pub by: Option<Vec<String>>,
    /// `--p-adjust`.
    pub p_adjust: Option<PAdjust>,
    /// `--conf-level`.
    pub conf_level: Option<f64>,
    /// `--min-cell`.
    pub min_cell: Option<usize>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--delimiter`.
    pub delimiter: Option<String>,
    /// `--encoding`.
    pub encoding: Option<String>,
    /// `--max-missing-items`.
    pub max_missing_items: Option<usize>,
    /// `--max-rows`.
    pub max_rows: Option<u64>,
    /// `--max-record-bytes`.
    pub max_record_bytes: Option<u64>,
    /// `--sheet`.
    pub sheet: Option<String>,
    /// `--header-row`.
    pub header_row: Option<u32>,
    /// `--missing-code VALUE` or `COLUMN=VALUE`, repeatable.
    pub missing_codes: Vec<String>,
    /// `--column key=Header`, repeatable.
    pub columns: Vec<String>,
    /// `--write-scored`.
    pub write_scored: bool,
    /// `--reliability`.
    pub reliability: Option<f64>,
    /// `--wilcoxon`.
    pub wilcoxon: Option<WilcoxonMethod>,
    /// `--no-secondary-suppression` (false) or `--secondary-suppression` (true).
    pub secondary_suppression: Option<bool>,
    /// `--quiet`.
    pub quiet: bool,
    /// `--date-format`.
    pub date_format: Option<String>,
    /// `--followup-window`.
    pub followup_window: Option<String>,
}

/// A record of an export is well under a kilobyte (a header of 100,000 columns about a
/// megabyte); one over 8 MiB is a broken file (a missing closing quote, a binary file) and is
/// refused before it fills memory.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 8 << 20;

/// Resolved, checked settings.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Scale name as chosen.
    pub scale: String,
    /// Grouping columns.
    pub by: Vec<String>,
    /// p-value adjustment.
    pub p_adjust: PAdjust,
    /// Confidence level.
    pub conf_level: f64,
    /// Disclosure threshold.
    pub min_cell: usize,
    /// Output directory (not in summary.json: where results go does not change them).
    #[serde(skip)]
    pub out: PathBuf,
    /// Delimiter given, if any (else detected).
    #[serde(serialize_with = "serialize_delimiter")]
    pub delimiter: Option<u8>,
    /// Text encoding of CSV input given with --encoding (`None`: UTF-8, checked).
    #[serde(serialize_with = "serialize_encoding")]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Items that may be missing and prorated.
    pub max_missing_items: usize,
    /// Refuse inputs with more data rows than this (a resource limit, not a result setting).
    #[serde(skip)]
    pub max_rows: Option<u64>,
    /// Refuse a record (or line) longer than this many bytes.
    #[serde(skip)]
    pub max_record_bytes: u64,
    /// A workbook's sheet, when named (else the first with the needed columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// A workbook's header row, when given (else found among the first rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u32>,
    /// Column renames.
    pub columns: BTreeMap<String, String>,
    /// Whether scored.csv is written.
    pub write_scored: bool,
    /// Whether groups whose size could be derived by subtraction are withheld too.
    pub secondary_suppression: bool,
    /// Reliability for the reliable change index, when given (else the scale's).
    pub reliability: Option<f64>,
    /// Which signed-rank p-value comparisons.csv reports.
    pub wilcoxon: WilcoxonMethod,
    /// Whether the terminal summary is silenced.
    #[serde(skip)]
    pub quiet: bool,
    /// Custom scales from the config.
    #[serde(skip)]
    pub custom_scales: Vec<ScaleDef>,
    /// The run's measures: one (the scale's) unless the config or `--scale a,b` names several.
    #[serde(skip)]
    pub measures: Vec<Measure>,
    /// Score columns are read as `<prefix>_pre_score` ... (a measure of `--scale a,b`).
    #[serde(skip)]
    pub score_prefix: Option<String>,
    /// The export's own words for values, and exclusion rules.
    #[serde(skip_serializing_if = "Vocabulary::is_empty")]
    pub vocabulary: Vocabulary,
    /// Answer labels beyond the scale's own (normalised text → code).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, f64>,
    /// Follow-ups outside this many days after end of support are left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followup_window: Option<crate::model::FollowupWindow>,
}

fn serialize_encoding<S: serde::Serializer>(
    e: &Option<&'static encoding_rs::Encoding>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_str(e.name()),
        None => s.serialize_none(),
    }
}

/// The encoding named by `--encoding`, by its WHATWG label (`windows-1252`, `latin1`,
/// `iso-8859-15`, `utf-8`...); UTF-8 itself needs no decoding, and UTF-16 is refused.
fn parse_encoding(label: &str) -> Result<Option<&'static encoding_rs::Encoding>, Error> {
    match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
        Some(e) if e == encoding_rs::UTF_8 => Ok(None),
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
            Err(Error::Option(format!(
                "--encoding {label:?}: UTF-16 is not supported; save the file as \"CSV UTF-8\""
            )))
        }
        Some(e) => Ok(Some(e)),
        None => Err(Error::Option(format!(
            "--encoding {label:?}: not a known encoding (expected e.g. utf-8, windows-1252, latin1, iso-8859-15)"
        ))),
    }
}

fn serialize_delimiter<S: serde::Serializer>(d: &Option<u8>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(b) => s.serialize_some(&(*b as char).to_string()),
        None => s.serialize_none(),
    }
}

impl Settings {
    /// Merges command line over config over defaults and checks every value.
    pub fn resolve(cli: CliOptions) -> Result<Settings, Error> {
        let mut config = match &cli.config {
            Some(path) => ConfigFile::load(path)?,
            None => ConfigFile::default(),
        };
        let measure_defs = std::mem::take(&mut config.measures);
        let mut vocabulary = vocabulary(&config, &cli.missing_codes)?;
        if let Some(format) = cli.date_format.as_ref().or(config.date_format.as_ref()) {
            vocabulary.date_format = DateFormat::parse(format).map_err(Error::Option)?;
        }
        let followup_window = match cli
            .followup_window
            .as_ref()
            .or(config.followup_window.as_ref())
        {
            Some(window) => Some(
                crate::model::FollowupWindow::parse(window, config.followup_window_from.as_deref())
                    .map_err(Error::Option)?,
            ),
            None if config.followup_window_from.is_some() => {
                return Err(Error::Option(
                    "followup-window-from is given without followup-window (such as \"60..120\")"
                        .into(),
                ))
            }
            None => None,
        };
        let conf_level = cli
            .conf_level
            .or(config.conf_level)
            .unwrap_or(DEFAULT_CONF_LEVEL);
        if !(conf_level > 0.0 && conf_level < 1.0) {
            return Err(Error::Option(format!(
                "conf-level {conf_level} must be between 0 and 1 (e.g. 0.95)"
            )));
        }
        let by: Vec<String> = cli
            .by
            .or(config.by)
            .unwrap_or_else(|| DEFAULT_BY.iter().map(|s| s.to_string()).collect())
            .iter()
            .flat_map(|b| b.split(','))
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty())
            .collect();
        for (i, b) in by.iter().enumerate() {
            if b.eq_ignore_ascii_case("id") {
                return Err(Error::Option(
                    "--by id: the participant id cannot be a grouping column (each person would be a published group)".into(),
                ));
            }
            if b.eq_ignore_ascii_case("all") {
                return Err(Error::Option(
                    "--by all: 'all' is the whole-sample row, which is always written".into(),
                ));
            }
            if by[..i]
                .iter()
                .any(|earlier| earlier.eq_ignore_ascii_case(b))
            {
                return Err(Error::Option(format!("--by names {b} twice")));
            }
        }
        let mut columns = config.columns;
        for spec in &cli.columns {
            let Some((key, header)) = spec.split_once('=') else {
                return Err(Error::Option(format!(
                    "--column {spec}: expected EXPECTED=HEADER, e.g. --column pre_score=\"Initial UCLA\""
                )));
            };
            columns.insert(key.trim().to_lowercase(), header.trim().to_string());
        }
        let scale_name = cli
            .scale
            .clone()
            .or(config.scale.clone())
            .unwrap_or_else(|| DEFAULT_SCALE.to_string());
        let table = ScaleTable::builtin().with_custom(config.scales.clone());
        let given_missing = cli.max_missing_items.or(config.max_missing_items);
        let own_rule = |scale: &str| {
            table
                .get(scale)
                .ok()
                .and_then(|s| s.allowed_missing)
                .unwrap_or(0)
        };
        let run_measures = measures(
            &measure_defs,
            &scale_name,
            cli.scale.is_some(),
            &columns,
            |scale| given_missing.unwrap_or_else(|| own_rule(scale)),
        )?;
        let delimiter = match cli.delimiter.or(config.delimiter) {
            None => None,
            Some(d) => Some(parse_delimiter(&d)?),
        };
        Ok(Settings {
            scale: scale_name.clone(),
            by,
            p_adjust: cli.p_adjust.or(config.p_adjust).unwrap_or(PAdjust::Holm),
            conf_level,
            min_cell: cli.min_cell.or(config.min_cell).unwrap_or(DEFAULT_MIN_CELL),
            out: cli
                .out
                .or(config.out)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
            delimiter,
            encoding: match cli.encoding.or(config.encoding) {
                Some(label) => parse_encoding(&label)?,
                None => None,
            },
            // The scale's own missing-item rule when none is given (DJG-6: one item).
            max_missing_items: given_missing.unwrap_or_else(|| own_rule(&scale_name)),
            max_rows: cli.max_rows.or(config.max_rows),
            max_record_bytes: cli
                .max_record_bytes
                .or(config.max_record_bytes)
                .unwrap_or(DEFAULT_MAX_RECORD_BYTES),
            sheet: cli.sheet.or(config.sheet),
            header_row: match cli.header_row.or(config.header_row) {
                Some(0) => {
                    return Err(Error::Option(
                        "--header-row 0: rows are numbered from 1, as Excel shows them".into(),
                    ))
                }
                row => row,
            },
            columns,
            write_scored: cli.write_scored || config.write_scored.unwrap_or(false),
            secondary_suppression: cli
                .secondary_suppression
                .or(config.secondary_suppression)
                .unwrap_or(true),
            reliability: match cli.reliability.or(config.reliability) {
                Some(r) if !(r > 0.0 && r < 1.0) => {
                    return Err(Error::Option(format!(
                        "--reliability {r}: a reliability is between 0 and 1 (such as 0.72)"
                    )))
                }
                r => r,
            },
            wilcoxon: cli.wilcoxon.or(config.wilcoxon).unwrap_or_default(),
            quiet: cli.quiet || config.quiet.unwrap_or(false),
            vocabulary,
            labels: config
                .labels
                .iter()
                .map(|(label, &code)| (normalise_words(label), code))
                .collect(),
            measures: run_measures,
            score_prefix: None,
            custom_scales: config.scales,
            followup_window,
        })
    }

    /// The chosen scale from the built-in and custom table, with the config's answer labels.
    pub fn scale(&self) -> Result<Scale, Error> {
        let mut scale = ScaleTable::builtin()
            .with_custom(self.custom_scales.clone())
            .get(&self.scale)?;
        scale.add_labels(&self.labels)?;
        Ok(scale)
    }
}

/// The run's measures: the config's `[[measures]]` (unless `--scale` names the scales), each
/// scale of `--scale a,b` (its columns found as `a_pre_score`, `a_pre_q1` ...), or the one
/// scale. `max_missing` gives a scale's default missing-item allowance.
fn measures(
    defs: &[MeasureDef],
    scale: &str,
    scale_on_command_line: bool,
    columns: &BTreeMap<String, String>,
    max_missing: impl Fn(&str) -> usize,
) -> Result<Vec<Measure>, Error> {
    let names: Vec<&str> = scale
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let several = names.len() > 1;
    let mut out: Vec<Measure> = if !defs.is_empty() && !scale_on_command_line {
        defs.iter()
            .map(|m| {
                let mut merged = columns.clone();
                for (key, header) in &m.columns {
                    merged.insert(key.trim().to_lowercase(), header.trim().to_string());
                }
                Measure {
                    name: m.name.clone().unwrap_or_else(|| m.scale.clone()),
                    scale: m.scale.clone(),
                    columns: merged,
                    max_missing_items: m.max_missing_items.unwrap_or_else(|| max_missing(&m.scale)),
                    score_prefix: None,
                }
            })
            .collect()
    } else {
        names
            .iter()
            .map(|&name| Measure {
                name: name.to_string(),
                scale: name.to_string(),
                columns: columns.clone(),
                max_missing_items: max_missing(name),
                score_prefix: several.then(|| name.to_string()),
            })
            .collect()
    };
    if out.is_empty() {
        out.push(Measure {
            name: scale.to_string(),
            scale: scale.to_string(),
            columns: columns.clone(),
            max_missing_items: max_missing(scale),
            score_prefix: None,
        });
    }
    // With several measures a score column named for the whole run would be read by every
    // measure that does not name its own: refused, so no measure reads another's answers.
    if out.len() > 1 {
        if let Some(key) = columns.keys().find(|k| crate::read::is_score_key(k)) {
            return Err(Error::Option(format!(
                "{key} is mapped for the whole run, but with several measures each names its own score columns: map it in a [[measures]] entry's columns, or name the export's columns <measure>_{key} (such as {}_{key})",
                out[0].name
            )));
        }
    }
    for (i, m) in out.iter().enumerate() {
        let safe = !m.name.is_empty()
            && m.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !safe {
            return Err(Error::Option(format!(
                "measure name {:?}: use letters, digits, _ and - only (it names the measure's results folder)",
                m.name
            )));
        }
        if out[..i]
            .iter()
            .any(|o| o.name.eq_ignore_ascii_case(&m.name))
        {
            return Err(Error::Option(format!(
                "two measures are named {:?}; give one a name = \"...\" in [[measures]]",
                m.name
            )));
        }
    }
    Ok(out)
}

impl Settings {
    /// The settings of a single-measure run of `measure`: its scale, columns and missing
    /// items, as if it were the run's only measure.
    pub fn for_measure(&self, measure: &Measure) -> Settings {
        Settings {
            scale: measure.scale.clone(),
            columns: measure.columns.clone(),
            max_missing_items: measure.max_missing_items,
            measures: vec![measure.clone()],
            score_prefix: measure.score_prefix.clone(),
            ..self.clone()
        }
    }
}

/// The config's words for values (and `--missing-code`), checked.
fn vocabulary(config: &ConfigFile, cli_codes: &[String]) -> Result<Vocabulary, Error> {
    let mut missing = config
        .missing_codes
        .iter()
        .map(code_text)
        .collect::<Result<Vec<_>, _>>()?;
    let mut column_missing = BTreeMap::new();
    for (column, codes) in &config.column_missing_codes {
        let codes = codes.iter().map(code_text).collect::<Result<Vec<_>, _>>()?;
        column_missing.insert(column.clone(), codes);
    }
    for code in cli_codes {
        match code.split_once('=') {
            Some((column, code)) => column_missing
                .entry(column.trim().to_string())
                .or_insert_with(Vec::new)
                .push(code.trim().to_string()),
            None => missing.push(code.trim().to_string()),
        }
    }
    let mut timepoints = BTreeMap::new();
    for (value, to) in &config.timepoints {
        let tp = match to.trim().to_ascii_lowercase().as_str() {
            "ignore" => None,
            other => match Timepoint::from_alias(other) {
                Some(tp) => Some(tp),
                None => {
                    return Err(Error::Option(format!(
                        "[timepoints] {value:?} = {to:?}: expected pre, post, followup or ignore"
                    )))
                }
            },
        };
        timepoints.insert(value.clone(), tp);
    }
    Ok(Vocabulary {
        missing,
        column_missing,
        timepoints,
        recode: config.recode.clone(),
        normalise_groups: config.normalise_groups.unwrap_or(false),
        exclude: config.exclude.clone(),
        bands: config.bands.clone(),
        date_format: DateFormat::Auto,
        order_by_date: config.order_by_date.unwrap_or(false),
    })
}

/// `,` `;` `|`, `tab` or `\t`: one ASCII character.
fn parse_delimiter(text: &str) -> Result<u8, Error> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() && t != "\"" && t != "\n" && t != "\r" => {
            Ok(t.as_bytes()[0])
        }
        _ => Err(Error::Option(format!(
            "--delimiter {text:?}: expected one character such as , ; | or the word tab"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let s = Settings::resolve(CliOptions::default()).expect("defaults are valid");
        assert_eq!(s.by, ["trigger_group", "location"]);
        assert_eq!(
            (s.min_cell, s.conf_level, s.p_adjust),
            (10, 0.95, PAdjust::Holm)
        );
        assert_eq!(s.scale().expect("ucla3").name, "ucla3");
    }

    #[test]
    fn bad_values_are_refused() {
        let bad = |cli: CliOptions| Settings::resolve(cli).expect_err("invalid").to_string();
        assert!(bad(CliOptions {
            conf_level: Some(95.0),
            ..Default::default()
        })
        .contains("between 0 and 1"));
        assert!(bad(CliOptions {
            columns: vec!["pre_score".into()],
            ..Default::default()
        })
        .contains("EXPECTED=HEADER"));
        assert!(bad(CliOptions {
            delimiter: Some("::".into()),
            ..Default::default()
        })
        .contains("one character"));
        assert!(bad(CliOptions {
            by: Some(vec!["location,location".into()]),
            ..Default::default()
        })
        .contains("twice"));
    }

    #[test]
    fn by_accepts_commas_and_empty() {
        let s = Settings::resolve(CliOptions {
            by: Some(vec!["location, trigger_group".into()]),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(s.by, ["location", "trigger_group"]);
        let s = Settings::resolve(CliOptions {
            by: Some(vec![String::new()]),
            ..Default::default()
        })
        .expect("valid");
        assert!(s.by.is_empty());
    }
}
