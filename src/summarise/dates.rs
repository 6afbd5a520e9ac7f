//! Dates, as counts that add: the period each date column covers, the days between a
//! person's assessments in each comparison (a histogram, so quantiles are exact after any
//! merge), and the follow-up window, which leaves out follow-ups taken too early or too late
//! before anything is counted.

use crate::model::{Comparison, FollowupWindow, Timepoint};
use crate::read::dates::DayNumber;
use crate::read::{Dates, Export};
use crate::scale::{Score, Scored};
use std::collections::BTreeMap;

/// The dates of one timepoint's column, as people per day (exact, and adding across
/// partitions), from which the period published is found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DateSpan {
    /// People per day.
    pub days: BTreeMap<DayNumber, u64>,
}

impl DateSpan {
    fn add_day(&mut self, day: DayNumber) {
        *self.days.entry(day).or_default() += 1;
    }

    fn add(&mut self, other: &DateSpan) {
        for (&day, &n) in &other.days {
            *self.days.entry(day).or_default() += n;
        }
    }

    /// People with a date at this timepoint.
    pub fn dated(&self) -> u64 {
        self.days.values().sum()
    }

    /// The `k`-th earliest and `k`-th latest dates (from 1): with `k` = min-cell, each end
    /// of the period published has at least min-cell people at or beyond it, so neither
    /// end is one person's date. `None` when fewer than `k` people are dated.
    pub fn trimmed_range(&self, k: u64) -> Option<(DayNumber, DayNumber)> {
        let k = k.max(1);
        if self.dated() < k {
            return None;
        }
        fn kth<'a>(
            days: impl Iterator<Item = (&'a DayNumber, &'a u64)>,
            k: u64,
        ) -> Option<DayNumber> {
            let mut seen = 0;
            for (&day, &n) in days {
                seen += n;
                if seen >= k {
                    return Some(day);
                }
            }
            None
        }
        Some((kth(self.days.iter(), k)?, kth(self.days.iter().rev(), k)?))
    }
}

/// The days between a comparison's two assessments, over the people in the comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intervals {
    /// People per number of days (later date minus earlier date).
    pub days: BTreeMap<i32, u64>,
    /// People in the comparison without a date at one of its two timepoints.
    pub undated: u64,
}

impl Intervals {
    /// People with both dates.
    pub fn n(&self) -> u64 {
        self.days.values().sum()
    }

    /// People whose later assessment is dated before the earlier one (a data error to check).
    pub fn out_of_order(&self) -> u64 {
        self.days.range(..0).map(|(_, n)| n).sum()
    }

    /// The `p` quantile of the days, as R's `quantile(x, p)` (type 7): linear between the
    /// order statistics at (n - 1) p.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * p;
        let below = h.floor() as u64;
        let (lo, hi) = (
            self.order_statistic(below)?,
            self.order_statistic((below + 1).min(n - 1))?,
        );
        Some(lo as f64 + (h - below as f64) * (hi - lo) as f64)
    }

    /// The `k`-th smallest (from 0).
    fn order_statistic(&self, k: u64) -> Option<i32> {
        let mut seen = 0;
        for (&day, &n) in &self.days {
            seen += n;
            if k < seen {
                return Some(day);
            }
        }
        None
    }
}

/// What the follow-up window left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowCounts {
    /// Follow-ups taken before the window opened.
    pub early: u64,
    /// Follow-ups taken after it closed.
    pub late: u64,
    /// Follow-ups without the dates to tell (no follow-up date, or none to count from).
    pub undated: u64,
}

impl WindowCounts {
    /// All follow-ups left out.
    pub fn total(&self) -> u64 {
        self.early + self.late + self.undated
    }
}

/// Everything the results say about dates.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSummary {
    /// Per timepoint: its date column's name (`None`: no date column) and its span.
    pub columns: [(Option<String>, DateSpan); 3],
    /// Per comparison (in [`Comparison::ALL`] order).
    pub intervals: [Intervals; 3],
    /// Date cells that were not dates.
    pub unreadable: u64,
    /// The follow-up window and what it left out, when one was set.
    pub window: Option<(FollowupWindow, WindowCounts)>,
}

impl DateSummary {
    /// Adds the summary of other people (another partition).
    pub fn add(&mut self, other: &DateSummary) {
        for ((_, span), (_, other)) in self.columns.iter_mut().zip(&other.columns) {
            span.add(other);
        }
        for (mine, theirs) in self.intervals.iter_mut().zip(&other.intervals) {
            for (&day, &n) in &theirs.days {
                *mine.days.entry(day).or_default() += n;
            }
            mine.undated += theirs.undated;
        }
        self.unreadable += other.unreadable;
        if let (Some((_, mine)), Some((_, theirs))) = (&mut self.window, &other.window) {
            mine.early += theirs.early;
            mine.late += theirs.late;
            mine.undated += theirs.undated;
        }
    }
}

/// The date summary of scored people (after the follow-up window, if any).
pub fn date_summary(dates: &Dates, scored: &Scored) -> DateSummary {
    let people = scored.scores[0].len();
    let mut columns: [(Option<String>, DateSpan); 3] =
        std::array::from_fn(|t| (dates.columns[t].clone(), DateSpan::default()));
    for tp in Timepoint::ALL {
        for p in 0..people {
            if let Some(day) = dates.day(tp, p) {
                columns[tp.index()].1.add_day(day);
            }
        }
    }
    let intervals = Comparison::ALL.map(|comparison| {
        let (earlier, later) = comparison.timepoints();
        let mut intervals = Intervals::default();
        for p in 0..people {
            if scored.valid(earlier, p).is_none() || scored.valid(later, p).is_none() {
                continue;
            }
            match (dates.day(earlier, p), dates.day(later, p)) {
                (Some(a), Some(b)) => *intervals.days.entry(b - a).or_default() += 1,
                _ => intervals.undated += 1,
            }
        }
        intervals
    });
    DateSummary {
        columns,
        intervals,
        unreadable: dates.unreadable,
        window: None,
    }
}

/// Leaves out (as missing) each follow-up taken outside `window`, or whose dates cannot
/// tell: the safe choice, counted. Errors when the export has no date to measure from.
pub fn apply_followup_window(
    export: &Export,
    scored: &mut Scored,
    window: &FollowupWindow,
) -> Result<WindowCounts, String> {
    let from = window.from;
    let needed = |tp: Timepoint| match tp {
        Timepoint::Pre => "pre_date (referral)",
        Timepoint::Post => "post_date (end of support)",
        Timepoint::Followup => "followup_date",
    };
    let Some(dates) = export
        .dates
        .as_ref()
        .filter(|d| d.columns[from.index()].is_some() && d.columns[2].is_some())
    else {
        return Err(format!(
            "followup-window needs the dates of {} and of follow-up: the export has no {} or no {} column (map them in the config's [columns], or a long layout's assessment_date)",
            match from {
                Timepoint::Pre => "referral",
                _ => "end of support",
            },
            needed(from),
            needed(Timepoint::Followup)
        ));
    };
    let mut counts = WindowCounts::default();
    let followups = &mut scored.scores[Timepoint::Followup.index()];
    for p in 0..followups.len() {
        // Only a valid follow-up is placed in the window; an invalid one stays invalid,
        // counted as such in the flow.
        if !matches!(followups.get(p), Score::Valid(_)) {
            continue;
        }
        match (dates.day(from, p), dates.day(Timepoint::Followup, p)) {
            (Some(a), Some(b)) if b - a < window.min_days => counts.early += 1,
            (Some(a), Some(b)) if b - a > window.max_days => counts.late += 1,
            (Some(_), Some(_)) => continue,
            _ => counts.undated += 1,
        }
        followups.set(p, Score::Missing);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intervals(days: &[i32]) -> Intervals {
        let mut i = Intervals::default();
        for &d in days {
            *i.days.entry(d).or_default() += 1;
        }
        i
    }

    #[test]
    fn quantiles_as_r_type_7() {
        // R: quantile(c(84, 70, 91, 84, 100, 63, 77), c(.25, .5, .75))
        //   25%  50%  75%
        //  73.5 84.0 87.5
        let i = intervals(&[84, 70, 91, 84, 100, 63, 77]);
        assert_eq!(i.quantile(0.25), Some(73.5));
        assert_eq!(i.quantile(0.5), Some(84.0));
        assert_eq!(i.quantile(0.75), Some(87.5));
        // R: quantile(c(10, 20), c(.25, .5)) = 12.5 15.0
        let two = intervals(&[20, 10]);
        assert_eq!(
            (two.quantile(0.25), two.quantile(0.5)),
            (Some(12.5), Some(15.0))
        );
        assert_eq!(intervals(&[5]).quantile(0.75), Some(5.0));
        assert_eq!(intervals(&[]).quantile(0.5), None);
        assert_eq!(intervals(&[-3, 4, -1]).out_of_order(), 2);
    }

    #[test]
    fn spans_merge_and_trim_to_min_cell() {
        let mut a = DateSpan::default();
        for d in [10, 3, 3, 7] {
            a.add_day(d);
        }
        let mut b = DateSpan::default();
        b.add_day(12);
        let mut whole = a.clone();
        whole.add(&b);
        assert_eq!(whole.dated(), 5);
        assert_eq!(whole.trimmed_range(1), Some((3, 12)));
        // The 2nd earliest is 3 (two people), the 2nd latest 10.
        assert_eq!(whole.trimmed_range(2), Some((3, 10)));
        assert_eq!(whole.trimmed_range(3), Some((7, 7)));
        assert_eq!(whole.trimmed_range(6), None);
        whole.add(&DateSpan::default());
        assert_eq!(whole.dated(), 5);
    }
}
