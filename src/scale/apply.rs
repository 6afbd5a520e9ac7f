//! Scoring every person's responses at every timepoint, keeping each problem with its line,
//! column and value so `validate` can list them and `analyse` can count them.

use super::{score_items, score_total, ItemProblem, Scale, Score};
use crate::grouped::ValueRange;
use crate::model::Timepoint;
use crate::read::{parse_cell, Cell, CellSink, Source, TimepointCells, TotalScorer};
use crate::stats::alpha::ItemSums;

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

/// One timepoint's scores for every person, 8 bytes each: a valid total is stored as itself
/// and missing or invalid as two NaN patterns no total can take (totals are finite). Half the
/// size of a `Vec<Score>`, which matters with ten million people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreColumn(Vec<f64>);

const MISSING_BITS: u64 = 0x7ff8_0000_0000_0001;
const INVALID_BITS: u64 = 0x7ff8_0000_0000_0002;

impl ScoreColumn {
    /// Number of people.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The score of person `p`.
    pub fn get(&self, p: usize) -> Score {
        let v = self.0[p];
        match v.to_bits() {
            MISSING_BITS => Score::Missing,
            INVALID_BITS => Score::Invalid,
            _ => Score::Valid(v),
        }
    }

    /// Sets the score of person `p`.
    pub fn set(&mut self, p: usize, score: Score) {
        self.0[p] = encode(score);
    }

    /// Adds a person.
    pub fn push(&mut self, score: Score) {
        self.0.push(encode(score));
    }

    fn reserve(&mut self, people: usize) {
        self.0.reserve(people);
    }
}

impl FromIterator<Score> for ScoreColumn {
    fn from_iter<I: IntoIterator<Item = Score>>(scores: I) -> ScoreColumn {
        ScoreColumn(scores.into_iter().map(encode).collect())
    }
}

fn encode(score: Score) -> f64 {
    match score {
        Score::Missing => f64::from_bits(MISSING_BITS),
        Score::Invalid => f64::from_bits(INVALID_BITS),
        Score::Valid(v) => {
            debug_assert!(
                v.is_finite(),
                "scores are finite (parse_cell refuses the rest)"
            );
            v
        }
    }
}

/// Scores per person and timepoint, with the problems found.
#[derive(Debug, Clone)]
pub struct Scored {
    /// `scores[t]`: every person's score at timepoint `t`.
    pub scores: [ScoreColumn; 3],
    /// Problems in file order.
    pub problems: Vec<CellProblem>,
    /// Per timepoint, sums of item scores (reversed where the scale says) over people who
    /// answered every item validly: what Cronbach's alpha needs. Empty for totals.
    pub item_sums: [ItemSums; 3],
}

impl Scored {
    /// Valid total of person `p` at `tp`.
    pub fn valid(&self, tp: Timepoint, p: usize) -> Option<f64> {
        match self.scores[tp.index()].get(p) {
            Score::Valid(v) => Some(v),
            _ => None,
        }
    }

    /// Valid scores of person `p` at pre, post and follow-up.
    pub fn valid_triple(&self, p: usize) -> [Option<f64>; 3] {
        Timepoint::ALL.map(|tp| self.valid(tp, p))
    }

    /// The counts of the participant flow, in one pass over people split across cores.
    pub fn status_counts(&self) -> StatusCounts {
        use rayon::prelude::*;
        let people = self.scores[0].len();
        const CHUNK: usize = 1 << 16;
        (0..people.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut counts = StatusCounts::default();
                for p in c * CHUNK..((c + 1) * CHUNK).min(people) {
                    let mut mask = 0;
                    for (t, column) in self.scores.iter().enumerate() {
                        match column.get(p) {
                            Score::Valid(v) => {
                                mask |= 1 << t;
                                counts.range.add(v);
                            }
                            Score::Invalid => counts.invalid[t] += 1,
                            Score::Missing => {}
                        }
                    }
                    counts.valid[mask] += 1;
                }
                counts
            })
            .reduce(StatusCounts::default, |mut x, y| {
                x.add(&y);
                x
            })
    }
}

/// People by which timepoints they have a valid score at, and by invalid scores: what the
/// participant flow reports, counted once for all its stages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// `valid[mask]`: people whose valid timepoints are exactly the bits of `mask` (bit `t` is
    /// the timepoint with index `t`).
    pub valid: [u64; 8],
    /// People with an invalid score, per timepoint index.
    pub invalid: [u64; 3],
    /// The range of every valid score, taken in the same pass so that the tallies of pairs
    /// and scores need not scan the scores once more to choose their layout.
    pub range: ValueRange,
}

impl StatusCounts {
    /// Adds another set of people's counts.
    pub fn add(&mut self, other: &StatusCounts) {
        for (a, b) in self.valid.iter_mut().zip(other.valid) {
            *a += b;
        }
        for (a, b) in self.invalid.iter_mut().zip(other.invalid) {
            *a += b;
        }
        self.range = self.range.merge(other.range);
    }

    /// People with a valid score at every timepoint of `tps` (others may be valid too).
    pub fn with(&self, tps: &[Timepoint]) -> u64 {
        let need = tps.iter().fold(0, |m, tp| m | 1 << tp.index());
        (0..8)
            .filter(|m| m & need == need)
            .map(|m| self.valid[m])
            .sum()
    }
}

/// The scoring stage as the reader's [`CellSink`]: each kept record's cells are scored the
/// moment they are read, problems are noted with their line, column and value, and no raw
/// cell is kept.
pub struct Scorer<'s> {
    scale: &'s Scale,
    max_missing: usize,
    scores: [ScoreColumn; 3],
    problems: Vec<CellProblem>,
    item_sums: [ItemSums; 3],
    item_buffer: Vec<f64>,
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
            item_sums: Default::default(),
            item_buffer: Vec::new(),
            wording: Default::default(),
        }
    }

    /// The scores and problems once the reader is done.
    pub fn finish(self) -> Scored {
        Scored {
            scores: self.scores,
            problems: self.problems,
            item_sums: self.item_sums,
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

    fn total_scorer(&self) -> Option<TotalScorer> {
        // What `cells` does with a total, up to where it would report a problem.
        let scale = self.scale.clone();
        Some(std::sync::Arc::new(move |text: &str| {
            match score_total(&scale, parse_cell(text)) {
                (Score::Valid(v), None) => Some(Some(v)),
                (Score::Missing, None) => Some(None),
                _ => None,
            }
        }))
    }

    fn total(&mut self, person: usize, timepoint: Timepoint, score: Option<f64>) {
        self.scores[timepoint.index()].set(person, score.map_or(Score::Missing, Score::Valid));
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
        self.scores[t].set(record.person, score);
        if let (Some(Source::Items(_)), Some(items), Score::Valid(_)) =
            (&responses.source, self.scale.items.as_ref(), score)
        {
            // Every item answered (none prorated): the person counts for alpha.
            self.item_buffer.clear();
            for (k, cell) in record.cells.iter().enumerate() {
                if let Cell::Number(v) = cell {
                    let reversed = items.reversed.get(k).copied().unwrap_or(false);
                    self.item_buffer.push(if reversed {
                        items.min + items.max - v
                    } else {
                        *v
                    });
                }
            }
            if self.item_buffer.len() == record.cells.len() {
                self.item_sums[t].push(&self.item_buffer);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_column_keeps_every_kind_of_score() {
        let scores = [
            Score::Missing,
            Score::Invalid,
            Score::Valid(7.0),
            Score::Valid(-0.5),
            Score::Valid(f64::MAX),
        ];
        let mut column: ScoreColumn = scores.iter().copied().collect();
        for (p, s) in scores.iter().enumerate() {
            assert_eq!(column.get(p), *s);
        }
        column.set(0, Score::Valid(3.0));
        column.push(Score::Invalid);
        assert_eq!(
            (column.get(0), column.get(5), column.len()),
            (Score::Valid(3.0), Score::Invalid, 6)
        );
    }
}
