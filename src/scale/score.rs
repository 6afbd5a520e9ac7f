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
        Cell::Number(v) if !scale.conversion.is_empty() => match scale.analysed_total(v) {
            // A raw total (or an already converted score) that the conversion holds.
            Some(score) => (Score::Valid(score), None),
            None => (Score::Invalid, Some(ItemProblem::OutOfRange(v))),
        },
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
                    sum += items.score_of(i, v);
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
        // A conversion table holds every raw total the items can sum to.
        scale.convert(sum).map_or(Score::Invalid, Score::Valid)
    } else if answered > 0 && missing <= max_missing {
        match scale.missing_item_score {
            // The scale's own rule: a missing item scores a fixed value, nothing prorated.
            Some(score) => Score::Valid(sum + score * missing as f64),
            None => Score::Valid(sum / answered as f64 * items.count as f64),
        }
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

    fn scale(name: &str) -> Scale {
        ScaleTable::builtin().get(name).expect("builtin")
    }

    /// Answers given as labels, scored as the reader would hand them over.
    fn labelled(scale: &Scale, answers: &[&str]) -> Vec<Cell> {
        answers
            .iter()
            .map(|a| match *a {
                "" => Cell::Missing,
                a => Cell::Number(scale.label_code(a).expect("a label of the scale")),
            })
            .collect()
    }

    #[test]
    fn djg6_counts_lonely_answers_as_the_manual_does() {
        // Manual (de Jong Gierveld & van Tilburg 1999/2022), 6-item syntax: on the
        // emotional (negative) items yes and more or less count 1; on the social
        // (positive) items no and more or less count 1.
        let s = scale("djg6");
        let answers = ["yes", "more or less", "no", "yes", "more or less", "no"];
        // 1 + 1 + 0 + 0 + 1 + 1
        assert_eq!(
            score_items(&s, &labelled(&s, &answers), 1).0,
            Score::Valid(4.0)
        );
        let all_no = ["no"; 6];
        // Not lonely on the emotional items, lonely on every social one: 3.
        assert_eq!(
            score_items(&s, &labelled(&s, &all_no), 1).0,
            Score::Valid(3.0)
        );
        // One missing item: the five answered are counted, nothing prorated.
        let one_missing = ["yes", "", "yes", "no", "no", "no"];
        assert_eq!(
            score_items(&s, &labelled(&s, &one_missing), 1).0,
            Score::Valid(5.0)
        );
        // Two missing: the total is missing.
        let two_missing = ["yes", "", "", "no", "no", "no"];
        assert_eq!(
            score_items(&s, &labelled(&s, &two_missing), 1).0,
            Score::Missing
        );
        assert_eq!(s.category(5.0), Some("severely lonely"));
        assert_eq!(s.category(1.0), Some("not lonely"));
        // The subscales: missing when any item is.
        let emotional = scale("djg6_emotional");
        assert_eq!(
            score_items(&emotional, &labelled(&emotional, &["yes", "", "no"]), 0).0,
            Score::Missing
        );
        assert_eq!(emotional.category(1.0), Some("lonely"));
    }

    #[test]
    fn djg_five_point_answers_count_more_or_less_as_lonely() {
        // 5-point: yes!, yes, more or less count on negative items; more or less, no, no! on
        // positive ones (manual; Moorer & Suurmeijer 1993 quoting the coding instructions).
        let s = scale("djg11_5pt");
        // Items 1, 4, 7, 8, 11 positive; 2, 3, 5, 6, 9, 10 negative.
        let answers = [
            "no!",
            "yes!",
            "more or less",
            "yes",
            "no",
            "no!",
            "more or less",
            "yes!",
            "yes",
            "no",
            "no",
        ];
        // 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1
        assert_eq!(
            score_items(&s, &labelled(&s, &answers), 0).0,
            Score::Valid(6.0)
        );
        assert_eq!(s.category(6.0), Some("moderately lonely"));
        assert_eq!(s.category(11.0), Some("very severely lonely"));
    }

    #[test]
    fn swemwbs_analyses_the_metric_score() {
        // Warwick's raw-to-metric table (four independent implementations agree): raw 21 ->
        // 19.25, 7 -> 7.00, 35 -> 35.00, 29 -> 26.02.
        let s = scale("swemwbs");
        assert_eq!(score_items(&s, &[n(3.0); 7], 0).0, Score::Valid(19.25));
        assert_eq!(score_items(&s, &[n(1.0); 7], 0).0, Score::Valid(7.0));
        assert_eq!(score_items(&s, &[n(5.0); 7], 0).0, Score::Valid(35.0));
        let mut cells = [n(4.0); 7];
        cells[6] = n(5.0);
        assert_eq!(score_items(&s, &cells, 0).0, Score::Valid(26.02));
        let mut incomplete = [n(3.0); 7];
        incomplete[2] = Cell::Missing;
        assert_eq!(score_items(&s, &incomplete, 0).0, Score::Missing);
        // A total column: a whole raw total is converted; a metric score is taken as it is.
        assert_eq!(score_total(&s, n(29.0)).0, Score::Valid(26.02));
        assert_eq!(score_total(&s, n(26.02)).0, Score::Valid(26.02));
        assert_eq!(score_total(&s, n(26.5)).0, Score::Invalid);
        assert_eq!(score_total(&s, n(36.0)).0, Score::Invalid);
        assert!(!s.higher_is_worse);
    }

    #[test]
    fn the_other_built_in_measures_on_worked_answers() {
        // UCLA 1978 as the British Red Cross / Co-op appendix scores it: O = 3 ... N = 0.
        let s = scale("ucla20_1978");
        assert_eq!(
            score_items(&s, &labelled(&s, &["often"; 20]), 0).0,
            Score::Valid(60.0)
        );
        assert_eq!(
            score_items(&s, &labelled(&s, &["never"; 20]), 0).0,
            Score::Valid(0.0)
        );
        // UCLA-3 coded 0-2: the usual total minus 3.
        let s = scale("ucla3_0");
        let answers = labelled(&s, &["hardly ever or never", "some of the time", "often"]);
        assert_eq!(score_items(&s, &answers, 0).0, Score::Valid(3.0));
        assert_eq!(s.category(3.0), Some("lonely"));
        // Campaign to End Loneliness: strongly disagree = 4 ... strongly agree = 0.
        let s = scale("cel");
        let answers = labelled(&s, &["strongly disagree", "neutral", "strongly agree"]);
        assert_eq!(score_items(&s, &answers, 0).0, Score::Valid(6.0));
        // ONS direct question: often/always (any spelling) is 5, the lonely category.
        let s = scale("ons_direct");
        for answer in ["Often/always", "Often or Always", "often / always"] {
            assert_eq!(s.label_code(answer), Some(5.0), "{answer}");
        }
        assert_eq!(s.label_code("Never"), Some(1.0));
        assert_eq!(s.category(5.0), Some("often/always lonely"));
        // ONS4: each item its own measure with ONS's bands; anxiety higher = worse.
        let s = scale("ons4_anxious");
        assert!(s.higher_is_worse);
        assert_eq!(s.category(1.0), Some("very low"));
        assert_eq!(s.category(6.0), Some("high"));
        let s = scale("ons4_life_satisfaction");
        assert!(!s.higher_is_worse);
        assert_eq!(s.category(8.0), Some("high"));
        assert_eq!(s.category(9.0), Some("very high"));
        assert_eq!(score_total(&s, n(11.0)).0, Score::Invalid);
    }
}
