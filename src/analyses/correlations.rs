//! Did the people whose loneliness fell also report better wellbeing? (correlations.csv):
//! for each pair of measures and comparison, the correlation of the two changes over the
//! people with both, Pearson's r and Spearman's rho as R's `cor.test` computes them. Each
//! change is in its own measure's units and direction, so between a loneliness and a
//! wellbeing measure a negative r means that those whose loneliness fell gained wellbeing.

use crate::model::Comparison;
use crate::read::Ids;
use crate::scale::Scored;
use crate::stats::correlation::{pearson, spearman, Correlation};

/// One measure's people, for correlating: its name, its ids (person order) and scores.
pub struct MeasurePeople<'a> {
    /// The measure's name.
    pub name: &'a str,
    /// Ids in person order (the same order for every measure of an export).
    pub ids: &'a Ids,
    /// Every person's scores.
    pub scored: &'a Scored,
}

/// One row of correlations.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationRow {
    /// First measure.
    pub measure_a: String,
    /// Second measure.
    pub measure_b: String,
    /// Which change.
    pub comparison: Comparison,
    /// People with the change on both measures.
    pub n: usize,
    /// Pearson's r with its test and Fisher-z interval (`None`: withheld or not computable).
    pub pearson: Option<Correlation>,
    /// Spearman's rho.
    pub spearman: Option<Correlation>,
    /// Withheld: fewer than min-cell people.
    pub suppressed: bool,
    /// Why a statistic is missing.
    pub note: &'static str,
}

/// Every pair of measures (in the run's order) and comparison.
pub fn rows(measures: &[MeasurePeople], conf_level: f64, min_cell: usize) -> Vec<CorrelationRow> {
    let mut out = Vec::new();
    for (i, a) in measures.iter().enumerate() {
        for b in &measures[i + 1..] {
            for comparison in Comparison::ALL {
                out.push(row(a, b, comparison, conf_level, min_cell));
            }
        }
    }
    out
}

fn row(
    a: &MeasurePeople,
    b: &MeasurePeople,
    comparison: Comparison,
    conf_level: f64,
    min_cell: usize,
) -> CorrelationRow {
    let empty = |n: usize, suppressed: bool, note: &'static str| CorrelationRow {
        measure_a: a.name.to_string(),
        measure_b: b.name.to_string(),
        comparison,
        n,
        pearson: None,
        spearman: None,
        suppressed,
        note,
    };
    // The same export read for each measure numbers its people alike; anything else would
    // pair different people, so it is said rather than computed.
    if a.ids.len() != b.ids.len() || a.ids.iter().ne(b.ids.iter()) {
        return empty(0, false, "the measures' people differ; not correlated");
    }
    let (earlier, later) = comparison.timepoints();
    let change = |s: &Scored, p: usize| Some(s.valid(later, p)? - s.valid(earlier, p)?);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for p in 0..a.ids.len() {
        if let (Some(dx), Some(dy)) = (change(a.scored, p), change(b.scored, p)) {
            x.push(dx);
            y.push(dy);
        }
    }
    let n = x.len();
    if n < min_cell.max(1) {
        return empty(n, true, "");
    }
    let (pearson, spearman) = (pearson(&x, &y, conf_level), spearman(&x, &y, conf_level));
    let note = if pearson.is_none() {
        "fewer than 3 people, or a change that is the same for everyone: no correlation"
    } else {
        ""
    };
    CorrelationRow {
        pearson,
        spearman,
        note,
        ..empty(n, false, "")
    }
}
