//! summary.json: everything in the tables plus the settings, scale, tool version and the
//! input's identity, so a published result can be traced to its data and options.

use super::comparisons::{row_cells, COLUMNS};
use crate::analyses::comparisons::ComparisonRow;
use crate::disclosure::loss::TableLoss;
use crate::model::Comparison;
use crate::read::{Export, Layout};
use crate::scale::Scale;
use crate::settings::Settings;
use crate::summarise::flow::Stage;
use crate::summarise::ALL_GROUP_BY;
use serde::Serialize;
use serde_json::{Map, Value};

/// The one-sentence result an evaluator quotes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    /// People in the whole-sample pre→post comparison.
    pub n: usize,
    /// Percent of them whose score improved.
    pub pct_improved: Option<f64>,
    /// Mean change (later - earlier).
    pub mean_change: Option<f64>,
    /// CI of the mean change.
    pub ci_low: Option<f64>,
    /// CI of the mean change.
    pub ci_high: Option<f64>,
    /// The sentence.
    pub text: String,
}

/// Builds the headline from the whole-sample pre→post row.
pub fn headline(rows: &[ComparisonRow], scale: &Scale, conf_level: f64) -> Option<Headline> {
    let row = rows
        .iter()
        .find(|r| r.group_by == ALL_GROUP_BY && r.comparison == Comparison::PrePost)?;
    let Some(r) = &row.result else {
        return Some(Headline {
            n: 0,
            pct_improved: None,
            mean_change: None,
            ci_low: None,
            ci_high: None,
            text: "too few people with pre and post scores to report (suppressed below --min-cell)"
                .into(),
        });
    };
    let better = scale.improved_words();
    let mean_change = r.change.map(|c| c.mean);
    let mut text = match (row.published_pct_improved(), r.n) {
        (Some(pct), n) => format!("{pct:.1}% of {n} service users were {better} after support"),
        (None, 0) => "no service users had both pre and post scores".into(),
        (None, n) => format!(
            "{n} service users with pre and post scores (the share {better} is withheld by disclosure control)"
        ),
    };
    // The mean of one ordinal answer is not a headline number (it assumes equal steps).
    if let (Some(m), Some(t), false) = (mean_change, r.t, scale.ordinal) {
        text.push_str(&format!(
            "; mean change {m:+.2} ({:.0}% CI {:+.2} to {:+.2})",
            conf_level * 100.0,
            t.ci_low,
            t.ci_high
        ));
    }
    Some(Headline {
        n: r.n,
        pct_improved: row.published_pct_improved(),
        mean_change,
        ci_low: r.t.map(|t| t.ci_low),
        ci_high: r.t.map(|t| t.ci_high),
        text,
    })
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Input<'a> {
    file_name: &'a str,
    bytes: u64,
    sha256: &'a str,
    layout: Layout,
    delimiter: String,
    files: &'a [crate::read::SourceFile],
}

#[derive(Serialize)]
struct Summary<'a> {
    tool: Tool,
    input: Input<'a>,
    settings: &'a Settings,
    scale: &'a Scale,
    notices: &'a [String],
    disclosure: Disclosure,
    headline: Option<Headline>,
    flow: &'a [Stage],
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<&'a crate::analyses::dates::DateFindings>,
    /// Analyses the scale cannot support, left out with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_computed: Vec<NotComputed>,
    comparisons: Vec<Map<String, Value>>,
}

/// A table left out because the measure cannot support its analysis, and why.
#[derive(Serialize)]
struct NotComputed {
    table: &'static str,
    reason: String,
}

/// The analyses this scale cannot support: a category test needs a worse category (two
/// categories, or one the scale names); the reliable change index needs a reliability.
fn not_computed(scale: &Scale, settings: &Settings) -> Vec<NotComputed> {
    let mut out = Vec::new();
    if crate::scale::worse_category(scale).is_none() {
        out.push(NotComputed {
            table: "categories.csv",
            reason: match scale.categories.len() {
                0 => format!("the {} has no published cut-offs, so no share in a category or McNemar test is computed", scale.short),
                n => format!("the {} has {n} categories and names none as the worse, so no share in a category or McNemar test is computed", scale.short),
            },
        });
    }
    if settings.reliability.or(scale.reliability).is_none() {
        out.push(NotComputed {
            table: "reliable_change.csv",
            reason: format!("no reliability is known for the {}, so no reliable change index is computed; give the total's reliability with --reliability R (with several measures, `reliability` in the scale's [[scales]] definition)", scale.short),
        });
    }
    out
}

/// The disclosure rules the results were published under, so a reader of the files knows
/// what was withheld and why.
#[derive(Serialize)]
struct Disclosure {
    min_cell: usize,
    groups: String,
    secondary_suppression: String,
    distributions: String,
    participant_ids: String,
    /// What was withheld in each count table, by rule.
    withheld: std::collections::BTreeMap<&'static str, TableLoss>,
}

/// What disclosure control withheld in comparisons.csv, categories.csv and
/// reliable_change.csv, by rule: rows too small or protecting, count cells small or
/// protecting. `pair_sizes` are the people of each comparisons.csv row (withheld ones too).
pub fn withheld(
    analysis: &crate::analyses::Analysis,
    pair_sizes: &[u64],
    min_cell: usize,
) -> std::collections::BTreeMap<&'static str, TableLoss> {
    use crate::disclosure::loss::{table_loss, RowCells};
    let m = min_cell as u64;
    let comparisons: Vec<RowCells> = analysis
        .rows
        .iter()
        .zip(pair_sizes)
        .map(|(r, &n)| RowCells {
            n,
            withheld: r.suppressed(),
            cells: r.result.as_ref().map_or(Vec::new(), |p| {
                [p.n_improved, p.n_unchanged, p.n_worse]
                    .iter()
                    .zip(r.hidden_counts)
                    .map(|(&v, h)| (v as u64, h))
                    .collect()
            }),
        })
        .collect();
    let mut out = std::collections::BTreeMap::new();
    out.insert("comparisons.csv", table_loss(&comparisons, m));
    if let Some(rows) = &analysis.categories {
        let rows: Vec<RowCells> = rows
            .iter()
            .map(|r| RowCells {
                n: r.n,
                withheld: r.suppressed,
                cells: [r.worse_earlier, r.worse_later, r.to_better, r.to_worse]
                    .into_iter()
                    .zip(r.hidden)
                    .collect(),
            })
            .collect();
        out.insert("categories.csv", table_loss(&rows, m));
    }
    if let Some(rows) = &analysis.reliable {
        let rows: Vec<RowCells> = rows
            .iter()
            .map(|r| RowCells {
                n: r.n,
                withheld: r.suppressed,
                cells: r
                    .counts
                    .iter()
                    .chain(r.recovered_deteriorated.iter().flatten())
                    .zip(r.hidden)
                    .map(|(&v, h)| (v, h))
                    .collect(),
            })
            .collect();
        out.insert("reliable_change.csv", table_loss(&rows, m));
    }
    out
}

fn disclosure(
    settings: &Settings,
    withheld: std::collections::BTreeMap<&'static str, TableLoss>,
) -> Disclosure {
    let m = settings.min_cell;
    if m == 0 {
        let off = "not applied (--min-cell 0)".to_string();
        return Disclosure {
            min_cell: 0,
            groups: off.clone(),
            secondary_suppression: off.clone(),
            distributions: off,
            participant_ids: ids_rule(settings),
            withheld,
        };
    }
    Disclosure {
        min_cell: m,
        groups: format!("rows of comparisons.csv and timepoints.csv for groups of fewer than {m} people are withheld: suppressed = true and every other field but the group's name empty; withheld groups are not analysed"),
        secondary_suppression: if settings.secondary_suppression {
            format!("applied: within each grouping column (and comparison or timepoint) the smallest published groups are withheld too while the withheld groups total 1 to {} people, whose number could otherwise be found by subtracting the published groups from the whole sample. The count cells of comparisons.csv (improved, unchanged, worse), categories.csv (worse earlier and later, moved out, moved in) and reliable_change.csv (better, no change, worse, recovered, deteriorated), which split the same people, are protected together: a count of 1 to {} is withheld (too small), then the fewest other cells (protecting it) so that no withheld count, and no group of people a reader could name from the tables (a kind of change in a row; the withheld cells of a row or grouping column together), can be pinned to 1 to {} people: the written tables are checked as `loneliness-eval audit` checks them. A percentage is withheld with its count, McNemar's test with either move. The whole sample's counts are withheld only when they are small themselves", m - 1, m - 1, m - 1)
        } else {
            "NOT FOR PUBLICATION (--no-secondary-suppression): only counts under min-cell are withheld; small numbers may be derivable by subtraction from the published ones (loneliness-eval audit lists them)".into()
        },
        distributions: format!("distribution.csv pools bars of fewer than {m} people with their neighbours on the same side of no change; transitions.csv leaves out (earlier, later) pairs of fewer than {m} people, with the next smallest of the same bar and side of no change until the left-out total of each is 0 or at least {m}; sides whose counts comparisons.csv withholds show as one summed bar and no pairs; a comparison of fewer than {m} people publishes neither"),
        participant_ids: ids_rule(settings),
        withheld,
    }
}

/// Which output holds participant ids (only scored.csv, when asked for).
pub(crate) fn ids_rule(settings: &Settings) -> String {
    if settings.write_scored {
        "scored.csv (--write-scored) holds participant ids: keep it private; no other output does"
            .into()
    } else {
        "no output holds participant ids".into()
    }
}

/// One comparison row as a JSON object with the CSV's keys; numbers stay numbers, empty
/// cells become null.
fn row_object(row: &ComparisonRow) -> Map<String, Value> {
    let mut object = Map::new();
    for (key, cell) in COLUMNS.iter().zip(row_cells(row)) {
        let value = match *key {
            "group_by" | "group" | "comparison" | "note" => Value::String(cell),
            "suppressed" => Value::Bool(cell == "true"),
            _ if cell.is_empty() => Value::Null,
            _ => serde_json::from_str::<serde_json::Number>(&cell)
                .map(Value::Number)
                .unwrap_or(Value::String(cell)),
        };
        object.insert((*key).to_string(), value);
    }
    object
}

/// Renders summary.json (pretty-printed, keys in a fixed order, no timestamps).
pub fn summary_json(
    export: &Export,
    settings: &Settings,
    scale: &Scale,
    flow: &[Stage],
    rows: &[ComparisonRow],
    dates: Option<&crate::analyses::dates::DateFindings>,
    withheld: std::collections::BTreeMap<&'static str, TableLoss>,
) -> serde_json::Result<String> {
    let source = &export.source;
    let summary = Summary {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        input: Input {
            file_name: &source.file_name,
            bytes: source.bytes,
            sha256: &source.sha256,
            layout: export.layout,
            delimiter: (export.delimiter as char).to_string(),
            files: &export.files,
        },
        settings,
        scale,
        notices: &export.notices,
        disclosure: disclosure(settings, withheld),
        headline: headline(rows, scale, settings.conf_level),
        flow,
        dates,
        not_computed: not_computed(scale, settings),
        comparisons: rows.iter().map(row_object).collect(),
    };
    let mut text = serde_json::to_string_pretty(&summary)?;
    text.push('\n');
    Ok(text)
}
