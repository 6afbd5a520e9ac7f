//! People counted by *profile*: their cell and their three scores.
//!
//! When every valid score is a whole number in a narrow range (every UCLA total), people of
//! one cell with the same three scores add the same to every tally and sum. One pass that
//! counts people per profile then replaces a pass per tally: the tallies and sums are taken
//! over the profiles that occur (at most cells × (span + 1)³), each weighted by its count.
//! Everything counted is a whole number, so the results are exactly those of the passes over
//! people ([`tally_groups`], [`sum_groups`]), which remain for fractional scores.

use super::tally::{marginals, totals_by_group, Cells, Entry, GroupTotals, CHUNK};
#[cfg(doc)]
use super::tally::{sum_groups, tally_groups};
use super::tally::{SlotCounts, SLOTS};
use crate::read::{GroupCodes, GroupColumn};
use crate::scale::ValueRange;
use crate::stats::sums::Accumulate;
use rayon::prelude::*;

/// Profiles counted in a dense array (per core) up to this many; beyond it the passes go
/// person by person.
const MAX_PROFILES: u64 = 1 << 20;

/// A person's valid scores at the three timepoints, in time order.
pub type ScoreTriple = [Option<f64>; 3];

/// What a slot of a tally counts: a pair of timepoints (earlier, later), or one timepoint's
/// score (as the pair (score, 0)). Timepoints are indices into a [`ScoreTriple`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Pairs of scores at two timepoints.
    Pair(usize, usize),
    /// Scores at one timepoint.
    Single(usize),
}

/// How many people have each profile that occurs.
pub struct Profiles {
    cells: Cells,
    /// The lowest valid score: code 2.
    low: i64,
    /// Codes per timepoint: 0 for missing, 1 for invalid, else 2 + (score - `low`).
    base: u64,
    /// (profile index, people) for the profiles that occur, by index: cell-major, then the
    /// codes at the three timepoints.
    counts: Vec<(u64, u64)>,
}

impl Profiles {
    /// Counts `people` people whose valid scores and invalid timepoints (bit `t` for
    /// timepoint `t`) are `scores(p)`, every valid score within `range`; `None` when the
    /// scores are not whole numbers or the profiles would be too many for a dense count (the
    /// passes over people then serve).
    pub fn count(
        groups: &[GroupColumn],
        people: usize,
        scores: impl Fn(usize) -> (ScoreTriple, u8) + Sync,
        range: ValueRange,
    ) -> Option<Profiles> {
        let (low, _) = Profiles::bounds(range)?;
        let code = |s: Option<f64>, invalid: bool| match s {
            Some(v) => (v as i64 - low) as u64 + 2,
            None => u64::from(invalid),
        };
        let codes = |p| {
            let (valid, invalid) = scores(p);
            [0, 1, 2].map(|t| code(valid[t], invalid >> t & 1 == 1))
        };
        Profiles::count_with(groups, people, range, codes, None)
    }

    /// [`Profiles::count`] for score columns that code their scores (code 0 missing, 1
    /// invalid, `2 + i` the value `values[i]`), `range` covering their values: a table per
    /// column turns its byte into the profile's code, so the pass reads three bytes per
    /// person instead of decoding scores (at 1M people: 18 ms -> 9 ms; 4 ms when the group
    /// codes are bytes too, see [`ByteIndex`]).
    pub fn count_coded(
        groups: &[GroupColumn],
        people: usize,
        columns: [(&[u8], &[f64]); 3],
        range: ValueRange,
    ) -> Option<Profiles> {
        let (low, _) = Profiles::bounds(range)?;
        let tables = columns.map(|(_, values)| {
            let mut table = [0u64; 256];
            table[1] = 1;
            for (code, &v) in table[2..].iter_mut().zip(values) {
                *code = (v as i64 - low) as u64 + 2;
            }
            table
        });
        let bytes = columns.map(|(codes, _)| codes);
        Profiles::count_with(
            groups,
            people,
            range,
            |p| [0, 1, 2].map(|t| tables[t][usize::from(bytes[t][p])]),
            Some((bytes, &tables)),
        )
    }

    /// The lowest and highest valid score (the lowest is code 2), `None` when the scores are
    /// not whole numbers.
    fn bounds(range: ValueRange) -> Option<(i64, i64)> {
        match range {
            ValueRange::Empty => Some((0, 0)),
            ValueRange::Whole(low, high) => Some((low, high)),
            ValueRange::Other => None,
        }
    }

    /// Counts people by their cell and the profile codes `codes(p)` of their three scores.
    /// With the score columns' bytes and the tables that turn them into profile codes, when
    /// every grouping column is one byte per person too, each person's index in the dense
    /// array is a sum of table entries instead (see [`ByteIndex`]).
    fn count_with(
        groups: &[GroupColumn],
        people: usize,
        range: ValueRange,
        codes: impl Fn(usize) -> [u64; 3] + Sync,
        bytes: Option<ScoreBytes<'_>>,
    ) -> Option<Profiles> {
        let (low, high) = Profiles::bounds(range)?;
        let base = u64::try_from(high - low).ok()?.checked_add(3)?;
        let cells = Cells::new(groups, people);
        let size = cells.count().checked_mul(base.checked_pow(3)?)?;
        if size > MAX_PROFILES {
            return None;
        }
        let size = size as usize;
        // One dense array per thread over a contiguous share of people (not per chunk: each
        // array is zeroed and merged, and may be megabytes).
        let parts = rayon::current_num_threads().clamp(1, people.div_ceil(CHUNK).max(1));
        let share = people.div_ceil(parts);
        let by_bytes =
            bytes.and_then(|(scores, tables)| ByteIndex::new(groups, &cells, base, scores, tables));
        let counted: Vec<Vec<u32>> = (0..parts)
            .into_par_iter()
            .map(|k| {
                let mut counts = vec![0u32; size];
                let people = k * share..((k + 1) * share).min(people);
                match &by_bytes {
                    Some(index) => people.for_each(|p| counts[index.of(p)] += 1),
                    None => people.for_each(|p| {
                        let [a, b, c] = codes(p);
                        let cell = cells.of(groups, p);
                        counts[(((cell * base + a) * base + b) * base + c) as usize] += 1;
                    }),
                }
                counts
            })
            .collect();
        let mut dense = vec![0u64; size];
        for part in counted {
            for (total, n) in dense.iter_mut().zip(part) {
                *total += u64::from(n);
            }
        }
        let counts = dense
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(i, n)| (i as u64, n))
            .collect();
        Some(Profiles {
            cells,
            low,
            base,
            counts,
        })
    }

    /// The cell and the codes of a profile.
    fn split(&self, index: u64) -> (u64, [u64; 3]) {
        let b = self.base;
        (
            index / (b * b * b),
            [index / (b * b) % b, index / b % b, index % b],
        )
    }

    fn value(&self, code: u64) -> f64 {
        (self.low + code as i64 - 2) as f64
    }

    /// The valid scores a profile's codes stand for.
    fn triple(&self, codes: [u64; 3]) -> ScoreTriple {
        codes.map(|c| (c > 1).then(|| self.value(c)))
    }

    /// People by the timepoints they have a valid score at (`valid[mask]`, bit `t` for
    /// timepoint `t`), and people with an invalid score per timepoint: the participant flow.
    pub fn status(&self) -> ([u64; 8], [u64; 3]) {
        let (mut valid, mut invalid) = ([0u64; 8], [0u64; 3]);
        for &(index, n) in &self.counts {
            let (_, codes) = self.split(index);
            let mut mask = 0;
            for (t, &c) in codes.iter().enumerate() {
                match c {
                    0 => {}
                    1 => invalid[t] += n,
                    _ => mask |= 1 << t,
                }
            }
            valid[mask] += n;
        }
        (valid, invalid)
    }

    /// What [`tally_groups`] counts for slots `slots`, from the profiles.
    pub fn tally(&self, groups: &[GroupColumn], slots: [Slot; SLOTS]) -> Vec<SlotCounts> {
        let per_slot = (self.base * self.base) as usize;
        // One cell's counts per (slot, first code, second code); flushed as the cell ends.
        let mut cell_counts = vec![0u64; SLOTS * per_slot];
        let mut entries = Vec::new();
        let flush = |cell: u64, counts: &mut [u64], entries: &mut Vec<Entry>| {
            for (i, n) in counts.iter_mut().enumerate().filter(|(_, n)| **n > 0) {
                let (slot, within) = (i / per_slot, i % per_slot);
                let (a, b) = (within as u64 / self.base, within as u64 % self.base);
                let pair = match slots[slot] {
                    Slot::Pair(..) => (self.value(a), self.value(b)),
                    Slot::Single(_) => (self.value(a), 0.0),
                };
                entries.push(Entry {
                    cell,
                    slot,
                    pair,
                    count: std::mem::take(n),
                });
            }
        };
        let mut current = None;
        for &(index, n) in &self.counts {
            let (cell, codes) = self.split(index);
            if current != Some(cell) {
                if let Some(done) = current {
                    flush(done, &mut cell_counts, &mut entries);
                }
                current = Some(cell);
            }
            for (slot, which) in slots.iter().enumerate() {
                let (a, b) = match *which {
                    Slot::Pair(s, t) => (codes[s], codes[t]),
                    Slot::Single(t) => (codes[t], 2),
                };
                if a > 1 && b > 1 {
                    cell_counts[slot * per_slot + (a * self.base + b) as usize] += n;
                }
            }
        }
        if let Some(done) = current {
            flush(done, &mut cell_counts, &mut entries);
        }
        marginals(groups, &self.cells, entries)
    }

    /// What [`sum_groups`] totals for `of`, from the profiles.
    pub fn sum<S: Accumulate<I>, I>(
        &self,
        groups: &[GroupColumn],
        of: impl Fn(&ScoreTriple) -> Option<I>,
    ) -> Vec<GroupTotals<S>> {
        let mut cell_totals: Vec<(u64, S)> = Vec::new();
        for &(index, n) in &self.counts {
            let (cell, codes) = self.split(index);
            let Some(item) = of(&self.triple(codes)) else {
                continue;
            };
            match cell_totals.last_mut() {
                Some((c, totals)) if *c == cell => totals.add_item_times(&item, n),
                _ => {
                    let mut totals = S::default();
                    totals.add_item_times(&item, n);
                    cell_totals.push((cell, totals));
                }
            }
        }
        totals_by_group(groups, &self.cells, cell_totals)
    }
}

/// Each score column's bytes, with the tables that turn a byte into its profile code.
type ScoreBytes<'a> = ([&'a [u8]; 3], &'a [[u64; 256]; 3]);

/// A person's index in the dense array of profiles as a sum of table lookups, one per
/// byte: each grouping column's code times its stride, and each score's profile code times
/// its place. At 1M people: 4 ms, against 9 ms through the general path.
struct ByteIndex<'a> {
    /// Per byte column: the bytes and the index each value adds.
    columns: Vec<(&'a [u8], [u32; 256])>,
}

impl<'a> ByteIndex<'a> {
    /// `None` unless cells are numbered by radix and every grouping column holds one byte
    /// per person, with every index within `u32`.
    fn new(
        groups: &'a [GroupColumn],
        cells: &Cells,
        base: u64,
        scores: [&'a [u8]; 3],
        tables: &[[u64; 256]; 3],
    ) -> Option<ByteIndex<'a>> {
        let Cells::Radix { levels, count } = cells else {
            return None;
        };
        let profiles = base.pow(3);
        u32::try_from(count.checked_mul(profiles)?).ok()?;
        let mut columns = Vec::with_capacity(groups.len() + 3);
        // Strides of the grouping columns: the product of the levels after each.
        let mut stride = profiles;
        let mut strides = vec![0; levels.len()];
        for (s, &l) in strides.iter_mut().zip(levels).rev() {
            *s = stride;
            stride *= l.max(1);
        }
        for (group, stride) in groups.iter().zip(strides) {
            let GroupCodes::Narrow(codes) = &group.codes else {
                return None;
            };
            columns.push((
                &codes[..],
                std::array::from_fn(|c| (c as u64 * stride) as u32),
            ));
        }
        for (t, place) in [base * base, base, 1].into_iter().enumerate() {
            columns.push((scores[t], tables[t].map(|code| (code * place) as u32)));
        }
        Some(ByteIndex { columns })
    }

    #[inline]
    fn of(&self, p: usize) -> usize {
        self.columns
            .iter()
            .map(|(bytes, table)| table[usize::from(bytes[p])] as usize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::friedman::FriedmanSums;
    use crate::stats::mixed::{MixedSums, PersonScores};
    use crate::stats::sums::Additive;
    use crate::summarise::{sum_groups, tally_groups};

    fn column(name: &str, levels: usize, codes: Vec<u32>) -> GroupColumn {
        GroupColumn {
            name: name.into(),
            levels: (0..levels).map(|l| format!("{name}{l:06}")).collect(),
            codes: codes.into(),
        }
    }

    /// Scores from -2 to 6 with gaps at every timepoint, in a scrambled order.
    fn scores(p: usize) -> ScoreTriple {
        std::array::from_fn(|t| {
            let h = (p * 2_654_435_761 + t * 40_503) % 1_000_003;
            (h % 5 != 0).then_some((h % 9) as f64 - 2.0)
        })
    }

    /// [`scores`] with every third gap invalid rather than missing.
    fn profile(p: usize) -> (ScoreTriple, u8) {
        let valid = scores(p);
        let invalid = (0..3)
            .filter(|&t| valid[t].is_none() && (p + t) % 3 == 0)
            .fold(0, |m, t| m | 1 << t);
        (valid, invalid)
    }

    #[test]
    fn profiles_count_what_the_passes_over_people_count() {
        let people = 20_000;
        let radix = vec![
            column("a", 3, (0..people).map(|p| (p % 3) as u32).collect()),
            column("b", 37, (0..people).map(|p| (p / 7 % 37) as u32).collect()),
        ];
        let few = 500;
        let dictionary = vec![column(
            "id",
            100_000,
            (0..few).map(|p| (p * 97 % 100_000) as u32).collect(),
        )];
        assert!(matches!(
            Cells::new(&dictionary, few),
            Cells::Dictionary { .. }
        ));
        let pairs = [Slot::Pair(0, 1), Slot::Pair(0, 2), Slot::Pair(1, 2)];
        let singles = [Slot::Single(0), Slot::Single(1), Slot::Single(2)];
        for (groups, people) in [(radix, people), (dictionary, few)] {
            let profiles = Profiles::count(&groups, people, profile, ValueRange::Whole(-2, 6))
                .expect("few enough profiles");
            let (mut valid, mut invalid) = ([0u64; 8], [0u64; 3]);
            for p in 0..people {
                let (s, bad) = profile(p);
                valid[(0..3)
                    .filter(|&t| s[t].is_some())
                    .fold(0, |m, t| m | 1 << t)] += 1;
                for (t, count) in invalid.iter_mut().enumerate() {
                    *count += u64::from(bad >> t & 1);
                }
            }
            assert_eq!(profiles.status(), (valid, invalid));
            let pair = |p: usize, slot: usize| {
                let Slot::Pair(a, b) = pairs[slot] else {
                    unreachable!()
                };
                Some((scores(p)[a]?, scores(p)[b]?))
            };
            let single = |p: usize, slot: usize| scores(p)[slot].map(|v| (v, 0.0));
            assert_eq!(
                profiles.tally(&groups, pairs),
                tally_groups(&groups, people, pair, None)
            );
            assert_eq!(
                profiles.tally(&groups, singles),
                tally_groups(&groups, people, single, None)
            );
            let friedman = |s: &ScoreTriple| Some(FriedmanSums::of_person([s[0]?, s[1]?, s[2]?]));
            assert_eq!(
                profiles.sum::<FriedmanSums, _>(&groups, friedman),
                sum_groups(&groups, people, |p| friedman(&scores(p)))
            );
            assert_eq!(
                profiles.sum::<MixedSums, _>(&groups, |s| PersonScores::new(*s)),
                sum_groups(&groups, people, |p| PersonScores::new(scores(p)))
            );
        }
    }

    #[test]
    fn coded_columns_count_what_decoded_scores_count() {
        let people = 5_000;
        // Two grouping columns of a byte each: the count sums table entries (ByteIndex).
        let groups = vec![
            column("a", 4, (0..people).map(|p| (p % 4) as u32).collect()),
            column("b", 37, (0..people).map(|p| (p / 3 % 37) as u32).collect()),
        ];
        assert!(groups
            .iter()
            .all(|g| matches!(g.codes, GroupCodes::Narrow(_))));
        // Each column codes the values in its own order of first appearance, as reading does.
        let columns: Vec<(Vec<u8>, Vec<f64>)> = (0..3)
            .map(|t| {
                let (mut codes, mut values) = (Vec::new(), Vec::<f64>::new());
                for p in 0..people {
                    let (valid, invalid) = profile(p);
                    codes.push(match valid[t] {
                        Some(v) => match values.iter().position(|&w| w == v) {
                            Some(i) => i as u8 + 2,
                            None => {
                                values.push(v);
                                values.len() as u8 + 1
                            }
                        },
                        None => invalid >> t & 1,
                    });
                }
                (codes, values)
            })
            .collect();
        let coded = std::array::from_fn(|t| (&columns[t].0[..], &columns[t].1[..]));
        let range = ValueRange::Whole(-2, 6);
        let from_codes =
            Profiles::count_coded(&groups, people, coded, range).expect("few enough profiles");
        let decoded = Profiles::count(&groups, people, profile, range).expect("the same");
        assert_eq!(from_codes.counts, decoded.counts);
        assert!(from_codes.counts.len() > 100, "many profiles occur");
    }

    #[test]
    fn fractions_and_too_many_profiles_go_person_by_person() {
        let groups = [column("a", 2, vec![0, 1, 1])];
        let triple = |_| ([Some(1.0), None, Some(2.0)], 0b010);
        assert!(Profiles::count(&groups, 3, triple, ValueRange::Other).is_none());
        assert!(Profiles::count(&groups, 3, triple, ValueRange::Whole(0, 1000)).is_none());
        let none = Profiles::count(&groups, 3, |_| ([None; 3], 0), ValueRange::Empty)
            .expect("no valid score: one code per timepoint");
        assert!(none.tally(&groups, [Slot::Single(0); 3])[0]
            .pairs
            .is_empty());
    }

    #[test]
    fn adding_copies_by_doubling_equals_adding_one_by_one() {
        let one = FriedmanSums::of_person([3.0, 5.0, 5.0]);
        for times in [0, 1, 2, 13, 64, 1000] {
            let mut doubled = one;
            doubled.add_times(&one, times);
            // FriedmanSums multiplies; the trait's doubling is checked through a wrapper.
            #[derive(Clone, Default)]
            struct Plain(FriedmanSums);
            impl Additive for Plain {
                fn add(&mut self, other: &Plain) {
                    self.0.add(&other.0);
                }
            }
            let mut plain = Plain(one);
            plain.add_times(&Plain(one), times);
            let mut looped = one;
            for _ in 0..times {
                looped.add(&one);
            }
            assert_eq!((doubled, plain.0), (looped, looped));
        }
    }
}
