//! Scoring every person's responses at every timepoint, keeping each problem with its line,
//! column and value so `validate` can list them and `analyse` can count them.

use super::{score_items, score_total, ItemProblem, Scale, Score};
use crate::model::Timepoint;
use crate::read::{Cell, Export, Source};

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

/// Scores an export under `scale`; `max_missing` items may be prorated. Each timepoint's raw
/// cells are released once scored (nothing after scoring reads them), which keeps the peak
/// memory of a large run well below cells and scores held together.
pub fn score_export(export: &mut Export, scale: &Scale, max_missing: usize) -> Scored {
    let people = export.ids.len();
    let mut problems = Vec::new();
    let mut scores: [Vec<Score>; 3] = Default::default();
    for (t, slot) in scores.iter_mut().enumerate() {
        let responses = &export.responses[t];
        let what = if matches!(responses.source, Some(Source::Items(_))) {
            "item"
        } else {
            "total"
        };
        let range = match (what, scale.items.as_ref()) {
            ("item", Some(items)) => format!("{}-{}", items.min, items.max),
            _ => scale.total_range_text(),
        };
        *slot = (0..people)
            .map(|p| {
                let (score, found) = match responses.source {
                    None => (Score::Missing, Vec::new()),
                    Some(Source::Total(_)) => {
                        let (s, problem) = score_total(scale, responses.of(p)[0]);
                        (s, problem.map(|pr| (0, pr)).into_iter().collect())
                    }
                    Some(Source::Items(_)) => score_items(scale, responses.of(p), max_missing),
                };
                for (k, problem) in found {
                    let index = p * responses.width + k;
                    let value = match (&problem, responses.cells[index]) {
                        (ItemProblem::NotNumber, _) => {
                            responses.bad_text.get(&index).cloned().unwrap_or_default()
                        }
                        (_, Cell::Number(v)) => v.to_string(),
                        _ => String::new(),
                    };
                    problems.push(CellProblem {
                        line: responses.lines[p],
                        column: responses.column_names[k].clone(),
                        value,
                        message: problem.describe(what, &range),
                    });
                }
                score
            })
            .collect();
        export.responses[t].release();
    }
    Scored { scores, problems }
}
