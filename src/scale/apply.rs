//! Scoring every person's responses at every timepoint, keeping each problem with its line,
//! column and value so `validate` can list them and `analyse` can count them.

use super::{score_items, score_total, ItemProblem, Scale, Score};
use crate::model::Timepoint;
use crate::read::{parse_cell, Cell, CellSink, Source, TimepointCells, TotalScorer};
use crate::scale::ValueRange;
use crate::stats::alpha::ItemSums;
use foldhash::{HashMap, HashMapExt};

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

/// One timepoint's scores for every person. Scores take few distinct values (a UCLA-3 total
/// is one of 7), so a column holds one byte per person, a code into its distinct values, until
/// it meets more than [`MAX_CODED_VALUES`]; from then on 8 bytes per person (a valid total as
/// itself, missing and invalid as two NaN patterns no total can take). With ten million people
/// three columns take 30 MB rather than 240 MB: memory the kernel need not hand over and clear
/// while the reader waits. Either way a valid score comes back with the bits it was given.
#[derive(Clone, Default)]
pub struct ScoreColumn(Repr);

#[derive(Clone)]
enum Repr {
    /// Code 0 is missing, 1 invalid, `2 + i` the score `values[i]`.
    Coded {
        codes: Vec<u8>,
        values: Vec<f64>,
        lookup: Lookup,
    },
    /// Every score as [`encode`]d.
    Wide(Vec<f64>),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Coded {
            codes: Vec::new(),
            values: Vec::new(),
            lookup: Lookup::default(),
        }
    }
}

/// Distinct valid scores a column codes in a byte (two more codes are missing and invalid).
pub const MAX_CODED_VALUES: usize = 254;

/// Finds a value's code in a coded column: whole numbers from 0 to 255 (every UCLA score)
/// in a table, others by a hash of their bits.
#[derive(Clone)]
struct Lookup {
    /// The code of whole number `i`, 0 if it has none yet.
    small: Box<[u8; 256]>,
    other: HashMap<u64, u8>,
}

impl Default for Lookup {
    fn default() -> Lookup {
        Lookup {
            small: Box::new([0; 256]),
            other: HashMap::new(),
        }
    }
}

/// `v` as an index of [`Lookup::small`], if it is a whole number from 0 to 255 (not -0.0).
#[inline]
fn small_index(v: f64) -> Option<usize> {
    let i = v as u8;
    (f64::from(i).to_bits() == v.to_bits()).then_some(usize::from(i))
}

const MISSING_BITS: u64 = 0x7ff8_0000_0000_0001;
const INVALID_BITS: u64 = 0x7ff8_0000_0000_0002;

impl ScoreColumn {
    /// Number of people.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Coded { codes, .. } => codes.len(),
            Repr::Wide(scores) => scores.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score of person `p`.
    #[inline]
    pub fn get(&self, p: usize) -> Score {
        match &self.0 {
            Repr::Coded { codes, values, .. } => match codes[p] {
                0 => Score::Missing,
                1 => Score::Invalid,
                c => Score::Valid(values[c as usize - 2]),
            },
            Repr::Wide(scores) => decode(scores[p]),
        }
    }

    /// Sets the score of person `p`.
    #[inline]
    pub fn set(&mut self, p: usize, score: Score) {
        match &mut self.0 {
            Repr::Coded {
                codes,
                values,
                lookup,
            } => match code_of(values, lookup, score) {
                Some(code) => codes[p] = code,
                None => {
                    self.widen();
                    self.set(p, score);
                }
            },
            Repr::Wide(scores) => scores[p] = encode(score),
        }
    }

    /// Adds a person.
    #[inline]
    pub fn push(&mut self, score: Score) {
        self.extend(std::iter::once(score));
    }

    /// Adds people with these scores, in order.
    pub fn extend(&mut self, scores: impl IntoIterator<Item = Score>) {
        for score in scores {
            match &mut self.0 {
                Repr::Coded {
                    codes,
                    values,
                    lookup,
                } => match code_of(values, lookup, score) {
                    Some(code) => codes.push(code),
                    None => {
                        self.widen();
                        self.push(score);
                    }
                },
                Repr::Wide(scores) => scores.push(encode(score)),
            }
        }
    }

    fn reserve(&mut self, people: usize) {
        match &mut self.0 {
            Repr::Coded { codes, .. } => crate::read::memory::reserve_huge(codes, people),
            Repr::Wide(scores) => crate::read::memory::reserve_huge(scores, people),
        }
    }

    /// The column's codes and the values they stand for (0 missing, 1 invalid, `2 + i` the
    /// score `values[i]`), when it codes them: a pass over people then reads a byte each.
    pub fn coded(&self) -> Option<(&[u8], &[f64])> {
        match &self.0 {
            Repr::Coded { codes, values, .. } => Some((codes, values)),
            Repr::Wide(_) => None,
        }
    }

    /// The range of the column's distinct values, when it codes them.
    fn coded_range(&self) -> Option<ValueRange> {
        match &self.0 {
            Repr::Coded { values, .. } => Some(
                values
                    .iter()
                    .fold(ValueRange::Empty, |r, &v| r.merge(ValueRange::of(v))),
            ),
            Repr::Wide(_) => None,
        }
    }

    /// Switches to 8 bytes per person, once the codes are used up.
    fn widen(&mut self) {
        // The room reserved for the whole file is kept, as [`crate::read::memory::widened`] does.
        let room = match &self.0 {
            Repr::Coded { codes, .. } => codes.capacity(),
            Repr::Wide(scores) => scores.capacity(),
        };
        let mut wide = Vec::with_capacity(room);
        wide.extend((0..self.len()).map(|p| encode(self.get(p))));
        self.0 = Repr::Wide(wide);
    }
}

/// The code of `score` in a coded column with distinct `values`, adding it when new; `None`
/// when the codes are used up.
#[inline]
fn code_of(values: &mut Vec<f64>, lookup: &mut Lookup, score: Score) -> Option<u8> {
    let v = match score {
        Score::Missing => return Some(0),
        Score::Invalid => return Some(1),
        Score::Valid(v) => v,
    };
    let small = small_index(v);
    let found = match small {
        Some(i) => Some(lookup.small[i]).filter(|&code| code != 0),
        None => lookup.other.get(&v.to_bits()).copied(),
    };
    found.or_else(|| new_code(values, lookup, v, small))
}

/// Codes a value met for the first time ([`code_of`]'s rare path).
#[cold]
fn new_code(
    values: &mut Vec<f64>,
    lookup: &mut Lookup,
    v: f64,
    small: Option<usize>,
) -> Option<u8> {
    if values.len() == MAX_CODED_VALUES {
        return None;
    }
    values.push(v);
    let code = values.len() as u8 + 1;
    match small {
        Some(i) => lookup.small[i] = code,
        None => {
            lookup.other.insert(v.to_bits(), code);
        }
    }
    Some(code)
}

impl std::fmt::Debug for ScoreColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).map(|p| self.get(p)))
            .finish()
    }
}

impl PartialEq for ScoreColumn {
    /// Equal scores, however each column holds them.
    fn eq(&self, other: &ScoreColumn) -> bool {
        self.len() == other.len() && (0..self.len()).all(|p| self.get(p) == other.get(p))
    }
}

impl FromIterator<Score> for ScoreColumn {
    fn from_iter<I: IntoIterator<Item = Score>>(scores: I) -> ScoreColumn {
        let mut column = ScoreColumn::default();
        for score in scores {
            column.push(score);
        }
        column
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

fn decode(v: f64) -> Score {
    match v.to_bits() {
        MISSING_BITS => Score::Missing,
        INVALID_BITS => Score::Invalid,
        _ => Score::Valid(v),
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
        self.profile(p).0
    }

    /// [`Scored::valid_triple`] with the timepoints whose score is invalid (bit `t` for
    /// timepoint index `t`): what a person adds to the participant flow and every tally.
    #[inline]
    pub fn profile(&self, p: usize) -> ([Option<f64>; 3], u8) {
        let mut invalid = 0;
        let valid = std::array::from_fn(|t| match self.scores[t].get(p) {
            Score::Valid(v) => Some(v),
            Score::Invalid => {
                invalid |= 1 << t;
                None
            }
            Score::Missing => None,
        });
        (valid, invalid)
    }

    /// Each timepoint's [`ScoreColumn::coded`], when all three code their scores.
    pub fn coded_columns(&self) -> Option<[(&[u8], &[f64]); 3]> {
        let [a, b, c] = &self.scores;
        Some([a.coded()?, b.coded()?, c.coded()?])
    }

    /// Bounds of every valid score when each column codes its scores (it knows its few
    /// distinct values), so no pass over people is needed to find them; `None` otherwise.
    pub fn coded_range(&self) -> Option<ValueRange> {
        self.scores
            .iter()
            .try_fold(ValueRange::Empty, |range, column| {
                Some(range.merge(column.coded_range()?))
            })
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

    fn people_with_totals(&mut self, first: usize, people: usize, totals: [&[Option<f64>]; 3]) {
        for (column, totals) in self.scores.iter_mut().zip(totals) {
            debug_assert_eq!(column.len(), first, "people are added in order");
            if totals.is_empty() {
                column.extend(std::iter::repeat_n(Score::Missing, people));
            } else {
                column.extend(
                    totals
                        .iter()
                        .map(|s| s.map_or(Score::Missing, Score::Valid)),
                );
            }
        }
    }

    fn cells(&mut self, record: TimepointCells<'_>) {
        let t = record.timepoint.index();
        let responses = record.responses;
        // A single-item measure's total is its one answer: labelled and scored as an item.
        let single_item = self.scale.items.as_ref().is_some_and(|i| i.count == 1);
        let as_items = matches!(responses.source, Some(Source::Items(_)))
            || (single_item && responses.source.is_some());
        // Answer labels ("Some of the time") read as their codes.
        let relabelled: Vec<Cell>;
        let cells =
            if !self.scale.labels.is_empty() && as_items && record.cells.contains(&Cell::NotNumber)
            {
                relabelled = (record.cells.iter().enumerate())
                    .map(|(k, &cell)| match cell {
                        Cell::NotNumber => self
                            .scale
                            .label_code(&record.text(k))
                            .map_or(Cell::NotNumber, Cell::Number),
                        cell => cell,
                    })
                    .collect();
                &relabelled[..]
            } else {
                record.cells
            };
        let (score, found) = match responses.source {
            None => return,
            Some(Source::Total(_)) if single_item => {
                score_items(self.scale, cells, self.max_missing)
            }
            Some(Source::Total(_)) => {
                let (s, problem) = score_total(self.scale, cells[0]);
                (s, problem.map(|pr| (0, pr)).into_iter().collect())
            }
            Some(Source::Items(_)) => score_items(self.scale, cells, self.max_missing),
        };
        self.scores[t].set(record.person, score);
        if let (Some(Source::Items(_)), Some(items), Score::Valid(_)) =
            (&responses.source, self.scale.items.as_ref(), score)
        {
            // Every item answered (none prorated): the person counts for alpha.
            self.item_buffer.clear();
            for (k, cell) in cells.iter().enumerate() {
                if let Cell::Number(v) = cell {
                    self.item_buffer.push(items.score_of(k, *v));
                }
            }
            if self.item_buffer.len() == cells.len() {
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
            let value = match (&problem, cells[k]) {
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

    #[test]
    fn a_column_widens_past_its_codes_and_keeps_every_bit() {
        // Scanned, indexed, then widened: 300 distinct values with -0.0 and 0.0 apart.
        let scores: Vec<Score> = [Score::Valid(-0.0), Score::Valid(0.0), Score::Missing]
            .into_iter()
            .chain((1..300).map(|i| Score::Valid(i as f64 / 7.0)))
            .chain([Score::Invalid, Score::Valid(-0.0)])
            .collect();
        let mut column = ScoreColumn::default();
        for (k, &score) in scores.iter().enumerate() {
            column.push(score);
            if k == MAX_CODED_VALUES {
                assert!(matches!(column.0, Repr::Coded { .. }));
            }
        }
        assert!(matches!(column.0, Repr::Wide(_)));
        let bits = |s: Score| match s {
            Score::Valid(v) => Some(v.to_bits()),
            _ => None,
        };
        for (p, &score) in scores.iter().enumerate() {
            assert_eq!(column.get(p), score);
            assert_eq!(bits(column.get(p)), bits(score));
        }
        // Setting in a coded column: values already coded, and new ones.
        let mut coded: ScoreColumn = scores[..40].iter().copied().collect();
        coded.set(0, Score::Valid(2.0 / 7.0));
        coded.set(1, Score::Valid(1234.5));
        assert!(matches!(coded.0, Repr::Coded { .. }));
        assert_eq!(
            (coded.get(0), coded.get(1), coded.get(2)),
            (
                Score::Valid(2.0 / 7.0),
                Score::Valid(1234.5),
                Score::Missing
            )
        );
        let wide: ScoreColumn = {
            let mut c = coded.clone();
            c.widen();
            c
        };
        assert_eq!(wide, coded);
        assert_eq!(format!("{wide:?}"), format!("{coded:?}"));
    }
}
