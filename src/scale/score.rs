//! Scoring one person's responses at one timepoint under a [`Scale`].

use super::Scale;
use crate::read::Cell;

/// The outcome of scoring one timepoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Score {
    /// Nothing usable was given (or too many items were missing).
    Missing,
    /// A value broke the scale's rules; the timepoint is excluded and counted.
    Invalid,
    /// The total.
    Valid(f64),
}

/// Why one cell made a timepoint invalid; `validate` lists these.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemProblem {
    /// Not a number or missing code.
    NotNumber,
    /// A number with a fractional part where whole numbers are required.
    NotWhole(f64),
    /// Outside the allowed range.
    OutOfRange(f64),
}

impl ItemProblem {
    /// One-line explanation naming the rule broken.
    pub fn describe(&self, what: &str, range: &str) -> String {
        match self {
            ItemProblem::NotNumber => {
                format!("is not a number (expected {what} {range} or a missing code such as NA)")
            }
            ItemProblem::NotWhole(_) => format!("is not a whole number (expected {what} {range})"),
            ItemProblem::OutOfRange(_) => format!("is outside the {what} range {range}"),
        }
    }
}

fn check(value: f64, integer: bool, range: Option<(f64, f64)>) -> Result<f64, ItemProblem> {
    if integer && !crate::stats::is_whole(value) {
        return Err(ItemProblem::NotWhole(value));
    }
    match range {
        Some((lo, hi)) if value < lo || value > hi => Err(ItemProblem::OutOfRange(value)),
        _ => Ok(value),
    }
}

/// Scores a total: missing stays missing; a non-number, fractional total (integer scales) or
/// a total outside the range is invalid, never clipped.
pub fn score_total(scale: &Scale, cell: Cell) -> (Score, Option<ItemProblem>) {
    match cell {
        Cell::Missing => (Score::Missing, None),
        Cell::NotNumber => (Score::Invalid, Some(ItemProblem::NotNumber)),
        Cell::Number(v) => match check(v, scale.integer, scale.total_range) {
            Ok(v) => (Score::Valid(v), None),
            Err(p) => (Score::Invalid, Some(p)),
        },
    }
}

/// Scores item responses (in item order). Any invalid item makes the timepoint invalid (it
/// outranks a missing one); otherwise with `m` missing items the total is the sum when
/// `m == 0`, the prorated `mean(answered) * items` when `0 < m <= max_missing`, else missing.
/// Problems are returned with the 0-based item index.
pub fn score_items(
    scale: &Scale,
    cells: &[Cell],
    max_missing: usize,
) -> (Score, Vec<(usize, ItemProblem)>) {
    let Some(items) = scale.items.as_ref() else {
        return (Score::Invalid, Vec::new());
    };
    debug_assert_eq!(cells.len(), items.count);
    let mut problems = Vec::new();
    let mut sum = 0.0;
    let mut answered = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        match *cell {
            Cell::Missing => {}
            Cell::NotNumber => problems.push((i, ItemProblem::NotNumber)),
            Cell::Number(v) => match check(v, true, Some((items.min, items.max))) {
                Ok(v) => {
                    sum += if items.reversed[i] {
                        items.min + items.max - v
                    } else {
                        v
                    };
                    answered += 1;
                }
                Err(p) => problems.push((i, p)),
            },
        }
    }
    if !problems.is_empty() {
        return (Score::Invalid, problems);
    }
    let missing = items.count - answered;
    let score = if missing == 0 {
        Score::Valid(sum)
    } else if answered > 0 && missing <= max_missing {
        Score::Valid(sum / answered as f64 * items.count as f64)
    } else {
        Score::Missing
    };
    (score, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::ScaleTable;

    fn n(v: f64) -> Cell {
        Cell::Number(v)
    }

    #[test]
    fn ucla8_reverses_items_3_and_6() {
        let s = ScaleTable::builtin().get("ucla8").expect("builtin");
        let cells = [
            n(1.0),
            n(1.0),
            n(1.0),
            n(1.0),
            n(1.0),
            n(1.0),
            n(1.0),
            n(1.0),
        ];
        // items 3 and 6 answered 1 score 4: 6 * 1 + 2 * 4 = 14
        assert_eq!(score_items(&s, &cells, 0).0, Score::Valid(14.0));
    }

    #[test]
    fn invalid_outranks_missing_and_nothing_is_clipped() {
        let s = ScaleTable::builtin().get("ucla3").expect("builtin");
        let (score, problems) = score_items(&s, &[Cell::Missing, n(4.0), n(2.0)], 3);
        assert_eq!(score, Score::Invalid);
        assert_eq!(problems, vec![(1, ItemProblem::OutOfRange(4.0))]);
        assert_eq!(
            score_items(&s, &[n(1.5), n(2.0), n(2.0)], 0).0,
            Score::Invalid
        );
        assert_eq!(score_total(&s, n(10.0)).0, Score::Invalid);
        assert_eq!(score_total(&s, n(6.5)).0, Score::Invalid);
        assert_eq!(score_total(&s, n(9.0)).0, Score::Valid(9.0));
        assert_eq!(score_total(&s, Cell::NotNumber).0, Score::Invalid);
    }

    #[test]
    fn prorating_only_within_the_limit() {
        let s = ScaleTable::builtin().get("ucla3").expect("builtin");
        let cells = [n(3.0), Cell::Missing, n(2.0)];
        assert_eq!(score_items(&s, &cells, 0).0, Score::Missing);
        assert_eq!(score_items(&s, &cells, 1).0, Score::Valid(7.5));
        let none = [Cell::Missing, Cell::Missing, Cell::Missing];
        assert_eq!(score_items(&s, &none, 3).0, Score::Missing);
    }

    #[test]
    fn raw_accepts_any_finite_number() {
        let s = ScaleTable::builtin().get("raw").expect("builtin");
        assert_eq!(score_total(&s, n(-12.25)).0, Score::Valid(-12.25));
        assert_eq!(score_total(&s, n(1e6)).0, Score::Valid(1e6));
    }
}
