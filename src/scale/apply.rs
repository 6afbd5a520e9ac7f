//! Scoring every person's responses at every timepoint, keeping each problem with its line,
//! column and value so `validate` can list them and `analyse` can count them.

use super::{score_items, score_total, ItemProblem, Scale, Score};
use crate::model::Timepoint;
use crate::read::{Cell, CellSink, Source, TimepointCells};

/// One cell that made a timepoint invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    /// Line of the record.
    pub line: u64,
    /// Header name of the column.
    pub column: String,
    /// The cell's text (numbers as parsed).
    pub value: String,
    /// Why it is invalid.
    pub message: String,
}

/// Scores per person and timepoint, with the problems found.
#[derive(Debug, Clone)]
pub struct Scored {
    /// `scores[t][p]`: the score of person `p` at timepoint `t`.
    pub scores: [Vec<Score>; 3],
    /// Problems in person order, timepoints in time order.
    pub problems: Vec<CellProblem>,
}

impl Scored {
    /// Valid total of person `p` at `tp`.
    pub fn valid(&self, tp: Timepoint, p: usize) -> Option<f64> {
        match self.scores[tp.index()][p] {
            Score::Valid(v) => Some(v),
            _ => None,
        }
    }

    /// People whose score at `tp` is invalid.
    pub fn invalid_count(&self, tp: Timepoint) -> u64 {
        self.scores[tp.index()]
            .iter()
            .filter(|s| **s == Score::Invalid)
            .count() as u64
    }
}

/// The scoring stage as the reader's [`CellSink`]: each kept record's cells are scored the
/// moment they are read, problems are noted with their line, column and value, and no raw
/// cell is kept.
pub struct Scorer<'s> {
    scale: &'s Scale,
    max_missing: usize,
    scores: [Vec<Score>; 3],
    problems: Vec<CellProblem>,
    /// Per timepoint: "item" or "total" and the valid range, for messages.
    wording: [Option<(&'static str, String)>; 3],
}

impl<'s> Scorer<'s> {
    /// A scorer for `scale`; `max_missing` items may be prorated.
    pub fn new(scale: &'s Scale, max_missing: usize) -> Scorer<'s> {
        Scorer {
            scale,
            max_missing,
            scores: Default::default(),
            problems: Vec::new(),
            wording: Default::default(),
        }
    }

    /// The scores and problems once the reader is done.
    pub fn finish(self) -> Scored {
        Scored {
            scores: self.scores,
            problems: self.problems,
        }
    }
}

impl CellSink for Scorer<'_> {
    fn reserve(&mut self, people: usize) {
        for scores in &mut self.scores {
            scores.reserve(people);
        }
    }

    fn person_added(&mut self) {
        for scores in &mut self.scores {
            scores.push(Score::Missing);
        }
    }

    fn cells(&mut self, record: TimepointCells<'_>) {
        let t = record.timepoint.index();
        let responses = record.responses;
        let (score, found) = match responses.source {
            None => return,
            Some(Source::Total(_)) => {
                let (s, problem) = score_total(self.scale, record.cells[0]);
                (s, problem.map(|pr| (0, pr)).into_iter().collect())
            }
            Some(Source::Items(_)) => score_items(self.scale, record.cells, self.max_missing),
        };
        self.scores[t][record.person] = score;
        if found.is_empty() {
            return;
        }
        let scale = self.scale;
        let (what, range) = self.wording[t].get_or_insert_with(|| {
            let what = if matches!(responses.source, Some(Source::Items(_))) {
                "item"
            } else {
                "total"
            };
            let range = match (what, scale.items.as_ref()) {
                ("item", Some(items)) => format!("{}-{}", items.min, items.max),
                _ => scale.total_range_text(),
            };
            (what, range)
        });
        for (k, problem) in found {
            let value = match (&problem, record.cells[k]) {
                (ItemProblem::NotNumber, _) => record.text(k),
                (_, Cell::Number(v)) => v.to_string(),
                _ => String::new(),
            };
            self.problems.push(CellProblem {
                line: record.line,
                column: responses.column_names[k].clone(),
                value,
                message: problem.describe(what, range),
            });
        }
    }
}
