//! When (intervals.csv and summary.json's `dates`): the period each date column covers, by
//! month, and the days between a person's assessments per comparison (median and quartiles,
//! as R's `quantile`), with what the follow-up window left out. The period runs from the
//! month of the min-cell-th earliest date to that of the min-cell-th latest, and a quartile
//! is published only for at least min-cell people: a day, or an interval of a handful of
//! people, can be one person's.

use super::Context;
use crate::model::{Comparison, FollowupWindow, Timepoint};
use crate::read::dates::{month_text, DateFormat};
use crate::summarise::dates::WindowCounts;

/// The dates of one timepoint's column.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ColumnPeriod {
    /// `pre`, `post` or `followup`.
    pub timepoint: &'static str,
    /// Header name of the date column.
    pub column: String,
    /// People with a date there.
    pub dated: u64,
    /// Month of the first date (`2023-03`), unless fewer than min-cell people are dated.
    pub first_month: Option<String>,
    /// Month of the last date.
    pub last_month: Option<String>,
}

/// One row of intervals.csv: the days between a comparison's two assessments.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntervalRow {
    /// `pre_post`, `pre_followup`, `post_followup`.
    pub comparison: &'static str,
    /// People in the comparison with both dates.
    pub n: u64,
    /// People in the comparison without one of the two dates.
    pub undated: u64,
    /// People whose later assessment is dated before the earlier one (to check).
    pub out_of_order: u64,
    /// Quartiles of the days, when at least min-cell people have both dates.
    pub q1_days: Option<f64>,
    /// Median days.
    pub median_days: Option<f64>,
    /// Third quartile.
    pub q3_days: Option<f64>,
}

/// The follow-up window and what it left out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WindowReport {
    /// Fewest days.
    pub min_days: i32,
    /// Most days.
    pub max_days: i32,
    /// Counted from (`post`: end of support, or `pre`: referral).
    pub from: &'static str,
    /// Follow-ups taken too early, left out.
    pub too_early: u64,
    /// Follow-ups taken too late, left out.
    pub too_late: u64,
    /// Follow-ups that could not be placed (no date), left out.
    pub undated: u64,
}

/// Everything published about dates.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DateFindings {
    /// How the dates were read.
    pub format: DateFormat,
    /// Date cells that were not dates (validate lists them).
    pub unreadable: u64,
    /// Each timepoint with a date column.
    pub columns: Vec<ColumnPeriod>,
    /// Each comparison whose two timepoints have date columns.
    pub intervals: Vec<IntervalRow>,
    /// The follow-up window, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followup_window: Option<WindowReport>,
}

/// The findings, when the export has a date column.
pub fn findings(context: &Context) -> Option<DateFindings> {
    let summary = context.summaries.dates.as_ref()?;
    let min_cell = context.options.min_cell as u64;
    let published = |n: u64| n > 0 && n >= min_cell;
    let columns = Timepoint::ALL
        .iter()
        .zip(&summary.columns)
        .filter_map(|(tp, (column, span))| {
            let column = column.clone()?;
            // The months of the min-cell-th earliest and latest dates: an end of the period
            // is never one person's date.
            let range = span
                .trimmed_range(min_cell)
                .filter(|_| published(span.dated()));
            Some(ColumnPeriod {
                timepoint: tp.name(),
                column,
                dated: span.dated(),
                first_month: range.map(|(lo, _)| month_text(lo)),
                last_month: range.map(|(_, hi)| month_text(hi)),
            })
        })
        .collect();
    let intervals = Comparison::ALL
        .iter()
        .zip(&summary.intervals)
        .filter(|(comparison, _)| {
            let (a, b) = comparison.timepoints();
            summary.columns[a.index()].0.is_some() && summary.columns[b.index()].0.is_some()
        })
        .map(|(comparison, intervals)| {
            let n = intervals.n();
            let quantile = |p| intervals.quantile(p).filter(|_| published(n));
            IntervalRow {
                comparison: comparison.name(),
                n,
                undated: intervals.undated,
                out_of_order: intervals.out_of_order(),
                q1_days: quantile(0.25),
                median_days: quantile(0.5),
                q3_days: quantile(0.75),
            }
        })
        .collect();
    Some(DateFindings {
        format: context
            .export
            .dates
            .as_ref()
            .map_or_else(DateFormat::default, |d| d.format),
        unreadable: summary.unreadable,
        columns,
        intervals,
        followup_window: summary.window.map(window_report),
    })
}

fn window_report((window, counts): (FollowupWindow, WindowCounts)) -> WindowReport {
    WindowReport {
        min_days: window.min_days,
        max_days: window.max_days,
        from: window.from.name(),
        too_early: counts.early,
        too_late: counts.late,
        undated: counts.undated,
    }
}
