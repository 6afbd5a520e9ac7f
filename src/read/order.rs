//! A long layout without a timepoint column, ordered by date (`order-by-date = true`): each
//! person's dated assessments, in date order, are the referral, the end of support and the
//! follow-up. The reader then reads the export twice: first only ids, lines and dates
//! ([`Collected`]), from which [`decide`] gives every record its timepoint or exclusion;
//! then as usual, each record taking its decision ([`Decisions`]). Both passes see the same
//! records with the same line numbers, so every record is still accounted for.

use super::dates::DayNumber;
use super::Exclusion;
use crate::model::Timepoint;
use std::collections::HashMap;

/// What the first pass keeps of a record that passed the width, rule and id checks.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Collected {
    pub(super) id: String,
    pub(super) line: u64,
    pub(super) day: Option<DayNumber>,
    /// The date cell's text when it is not a date (so the exclusion says so, not "blank").
    pub(super) unreadable: Option<String>,
}

/// A record's fate, decided from all of its person's dates.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Decision {
    /// The record is this timepoint's assessment.
    Keep(Timepoint),
    /// The record is excluded, with the detail for `validate`.
    Exclude(Exclusion, String),
}

/// Every collected record's decision, by line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions(Vec<(u64, Decision)>);

impl Decisions {
    /// The decision for the record at `line` (every record the first pass collected has one).
    pub(super) fn get(&self, line: u64) -> Option<&Decision> {
        self.0
            .binary_search_by_key(&line, |(l, _)| *l)
            .ok()
            .map(|k| &self.0[k].1)
    }
}

/// Orders each person's records by date (then line): the first three dated records are pre,
/// post and follow-up; a record dated the same day as an earlier one is a repeat, later ones
/// are extra assessments, and a record without a date cannot be placed.
pub(super) fn decide(collected: Vec<Collected>) -> Decisions {
    let mut by_person: HashMap<&str, Vec<(DayNumber, u64)>> = HashMap::new();
    let mut decisions = Vec::with_capacity(collected.len());
    for record in &collected {
        match record.day {
            Some(day) => by_person
                .entry(record.id.as_str())
                .or_default()
                .push((day, record.line)),
            None => decisions.push((
                record.line,
                Decision::Exclude(
                    Exclusion::UndatedAssessment,
                    match &record.unreadable {
                        Some(text) => format!(
                            "id {:?}: the date {text:?} is not a date, so the assessment cannot be placed in date order (set date-format, or correct the cell)",
                            record.id
                        ),
                        None => format!(
                            "id {:?}: an assessment without a date cannot be placed in date order",
                            record.id
                        ),
                    },
                ),
            )),
        }
    }
    for (id, mut records) in by_person {
        records.sort_unstable();
        let mut placed = 0;
        let mut previous: Option<DayNumber> = None;
        for (day, line) in records {
            let decision = if previous == Some(day) {
                Decision::Exclude(
                    Exclusion::DuplicateId,
                    format!("repeats id {id:?} on the same date as an earlier assessment"),
                )
            } else if placed < 3 {
                placed += 1;
                Decision::Keep(Timepoint::ALL[placed - 1])
            } else {
                Decision::Exclude(
                    Exclusion::ExtraAssessment,
                    format!(
                        "id {id:?}: a fourth or later assessment by date (the first three are referral, end of support and follow-up)"
                    ),
                )
            };
            previous = Some(day);
            decisions.push((line, decision));
        }
    }
    decisions.sort_unstable_by_key(|(line, _)| *line);
    Decisions(decisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, line: u64, day: Option<i32>) -> Collected {
        Collected {
            id: id.into(),
            line,
            day,
            unreadable: None,
        }
    }

    #[test]
    fn a_date_that_is_no_date_says_so() {
        let d = decide(vec![Collected {
            id: "a".into(),
            line: 2,
            day: None,
            unreadable: Some("31/02/2024".into()),
        }]);
        match d.get(2) {
            Some(Decision::Exclude(Exclusion::UndatedAssessment, detail)) => {
                assert!(detail.contains("\"31/02/2024\" is not a date"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dates_order_a_persons_assessments() {
        let d = decide(vec![
            record("a", 2, Some(90)),
            record("a", 3, Some(0)),
            record("b", 4, Some(5)),
            record("a", 5, Some(200)),
            record("a", 6, Some(400)),
            record("a", 7, None),
            record("b", 8, Some(5)),
            record("a", 9, Some(150)),
        ]);
        let kept = |line| match d.get(line) {
            Some(Decision::Keep(tp)) => Some(*tp),
            _ => None,
        };
        let excluded = |line| match d.get(line) {
            Some(Decision::Exclude(reason, _)) => Some(*reason),
            _ => None,
        };
        assert_eq!(kept(3), Some(Timepoint::Pre));
        assert_eq!(kept(2), Some(Timepoint::Post));
        assert_eq!(kept(9), Some(Timepoint::Followup));
        assert_eq!(excluded(5), Some(Exclusion::ExtraAssessment));
        assert_eq!(excluded(6), Some(Exclusion::ExtraAssessment));
        assert_eq!(excluded(7), Some(Exclusion::UndatedAssessment));
        assert_eq!(kept(4), Some(Timepoint::Pre));
        assert_eq!(excluded(8), Some(Exclusion::DuplicateId));
        assert_eq!(d.get(1), None);
    }
}
