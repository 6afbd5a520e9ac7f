//! Counts of (earlier, later) score pairs for the whole sample and every group of every
//! grouping column, in one pass over people split across cores.
//!
//! Each person falls in one *cell*: their combination of group codes. The pass counts pairs
//! per cell and slot (a comparison, or a timepoint), and the whole sample and each group are
//! then sums over cells, so a person costs one count per slot however many grouping columns
//! there are. Counts add, which is what lets the pass run on several cores (and files, or
//! sites, merge). When every score is a whole number in a narrow range, as for every UCLA
//! total, the counts live in a dense array indexed by (cell, slot, earlier, later) instead of
//! a hash table: an add is an index and an increment.

use crate::read::GroupColumn;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::ops::Range;

use crate::scale::ValueRange;
use crate::stats::sums::{Accumulate, Additive};

/// Distinct (earlier, later) pairs with their counts, sorted by (earlier, later).
pub type CountedPairs = Vec<((f64, f64), u64)>;

/// The counts of one group in one slot.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotCounts {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value (`All` for the whole sample).
    pub group: String,
    /// Which of the three slots.
    pub slot: usize,
    /// Sorted pairs with counts.
    pub pairs: CountedPairs,
}

impl SlotCounts {
    /// (grouping column, slot): the family a row belongs to for disclosure control.
    pub fn family_key(&self) -> (&str, usize) {
        (self.group_by.as_str(), self.slot)
    }
}

/// Slots counted per person: the three comparisons, or the three timepoints.
pub const SLOTS: usize = 3;

/// Dense counts above this many entries (per core) use a hash table instead.
const MAX_DENSE: u64 = 1 << 21;

/// People per unit of parallel work.
pub(super) const CHUNK: usize = 1 << 16;

/// Tallies `pair(person, slot)` for the whole sample and every group. Returns the whole sample
/// first, then each column's groups sorted by name (the order of `levels`), slots in order
/// within each group; a group or slot with no pairs has an empty list. `ranges`, when the
/// caller knows them, bound the first and second values of every pair (saving a pass that
/// finds them); the counts are the same either way.
pub fn tally_groups(
    groups: &[GroupColumn],
    people: usize,
    pair: impl Fn(usize, usize) -> Option<(f64, f64)> + Sync,
    ranges: Option<(ValueRange, ValueRange)>,
) -> Vec<SlotCounts> {
    let cells = Cells::new(groups, people);
    let shape = match ranges {
        Some((a, b)) => DenseShape::within(&cells, a, b),
        None => DenseShape::of(&cells, people, &pair),
    };
    let entries = match shape {
        Some(shape) => count_dense(&shape, &cells, groups, people, &pair),
        None => count_sparse(&cells, groups, people, &pair),
    };
    marginals(groups, &cells, entries)
}

/// The totals of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTotals<S> {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value (`All` for the whole sample).
    pub group: String,
    /// The group's total.
    pub totals: S,
}

/// Totals `of(person)` (people giving `None` count for nothing) for the whole sample and every
/// group, in one parallel pass over cells like [`tally_groups`], in the same order (whole
/// sample, then each column's groups sorted by name).
pub fn sum_groups<S: Accumulate<I>, I>(
    groups: &[GroupColumn],
    people: usize,
    of: impl Fn(usize) -> Option<I> + Sync,
) -> Vec<GroupTotals<S>> {
    let cells = Cells::new(groups, people);
    // A dense vector per chunk when the cells are few (the usual case), else a hash map.
    let cell_totals: Vec<(u64, S)> = if cells.count() <= 1 << 16 {
        let size = cells.count() as usize;
        // Beside each cell's total, how many people it holds, so empty cells are skipped.
        let (dense, held) = chunks(people)
            .fold(
                || (vec![S::default(); size], vec![0u64; size]),
                |(mut totals, mut held), range| {
                    for p in range {
                        if let Some(s) = of(p) {
                            let c = cells.of(groups, p) as usize;
                            totals[c].add_item(&s);
                            held[c] += 1;
                        }
                    }
                    (totals, held)
                },
            )
            .reduce(
                || (vec![S::default(); size], vec![0u64; size]),
                |(mut x, mut xh), (y, yh)| {
                    for (a, b) in x.iter_mut().zip(&y) {
                        a.add(b);
                    }
                    for (a, b) in xh.iter_mut().zip(yh) {
                        *a += b;
                    }
                    (x, xh)
                },
            );
        dense
            .into_iter()
            .zip(held)
            .enumerate()
            .filter(|(_, (_, held))| *held > 0)
            .map(|(c, (s, _))| (c as u64, s))
            .collect()
    } else {
        let per_cell = chunks(people)
            .fold(HashMap::<u64, S>::new, |mut totals, range| {
                for p in range {
                    if let Some(s) = of(p) {
                        totals.entry(cells.of(groups, p)).or_default().add_item(&s);
                    }
                }
                totals
            })
            .reduce(HashMap::new, |mut x, y| {
                for (cell, s) in y {
                    x.entry(cell).or_default().add(&s);
                }
                x
            });
        let mut totals: Vec<(u64, S)> = per_cell.into_iter().collect();
        totals.sort_unstable_by_key(|c| c.0);
        totals
    };
    totals_by_group(groups, &cells, cell_totals)
}

/// The whole sample's and each group's totals from the totals of the cells that hold people
/// (in cell order), in the order of [`sum_groups`].
pub(super) fn totals_by_group<S: Additive>(
    groups: &[GroupColumn],
    cells: &Cells,
    cell_totals: Vec<(u64, S)>,
) -> Vec<GroupTotals<S>> {
    let mut whole = S::default();
    let mut by_group: Vec<Vec<S>> = groups
        .iter()
        .map(|g| vec![S::default(); g.levels.len()])
        .collect();
    // Cells in order, so the sums are the same on every run (they are exact anyway).
    for (cell, s) in cell_totals {
        whole.add(&s);
        for (g, code) in cells.codes(cell).into_iter().enumerate() {
            by_group[g][code as usize].add(&s);
        }
    }
    let mut out = vec![GroupTotals {
        group_by: crate::summarise::ALL_GROUP_BY.to_string(),
        group: crate::summarise::ALL_GROUP.to_string(),
        totals: whole,
    }];
    for (column, totals) in groups.iter().zip(by_group) {
        for (level, totals) in column.levels.iter().zip(totals) {
            out.push(GroupTotals {
                group_by: column.name.clone(),
                group: level.clone(),
                totals,
            });
        }
    }
    out
}

/// Adds totals of the same group from disjoint sets of people (streaming partitions), in the
/// order [`sum_groups`] gives: the whole sample, then each column of `by` with its groups
/// sorted by UTF-8 bytes.
pub fn merge_totals<S: Additive>(
    parts: Vec<GroupTotals<S>>,
    order: &GroupOrder,
) -> Vec<GroupTotals<S>> {
    let mut merged: std::collections::BTreeMap<(usize, usize), GroupTotals<S>> =
        std::collections::BTreeMap::new();
    for part in parts {
        let key = order.key(&part.group_by, &part.group);
        match merged.get_mut(&key) {
            Some(m) => m.totals.add(&part.totals),
            None => {
                merged.insert(key, part);
            }
        }
    }
    merged.into_values().collect()
}

/// Adds counts of the same (group_by, group, slot) from disjoint sets of people, in the
/// order [`tally_groups`] gives, slots in order within each group.
pub fn merge_counts(counts: Vec<SlotCounts>, order: &GroupOrder) -> Vec<SlotCounts> {
    let mut merged: std::collections::BTreeMap<((usize, usize), usize), SlotCounts> =
        std::collections::BTreeMap::new();
    for c in counts {
        let key = (order.key(&c.group_by, &c.group), c.slot);
        match merged.get_mut(&key) {
            Some(m) => m.pairs.extend(c.pairs),
            None => {
                merged.insert(key, c);
            }
        }
    }
    merged
        .into_values()
        .map(|mut c| {
            c.pairs = sorted_counts(std::mem::take(&mut c.pairs));
            c
        })
        .collect()
}

/// Where a group sorts in the output: the whole sample first, then each grouping column in
/// order with its groups in the order of its levels, as [`tally_groups`] and [`sum_groups`]
/// give them.
pub struct GroupOrder {
    columns: Vec<(String, std::collections::HashMap<String, usize>)>,
}

impl GroupOrder {
    /// The order of the read stage's grouping columns and their levels.
    pub fn new(groups: &[crate::read::GroupColumn]) -> GroupOrder {
        GroupOrder {
            columns: groups
                .iter()
                .map(|g| {
                    let ranks = (g.levels.iter().enumerate())
                        .map(|(k, l)| (l.clone(), k))
                        .collect();
                    (g.name.clone(), ranks)
                })
                .collect(),
        }
    }

    fn key(&self, group_by: &str, group: &str) -> (usize, usize) {
        match self.columns.iter().position(|(name, _)| name == group_by) {
            Some(c) => (
                c + 1,
                self.columns[c].1.get(group).copied().unwrap_or(usize::MAX),
            ),
            None => (0, 0),
        }
    }
}

/// One counted (cell, slot, earlier, later) combination.
pub(super) struct Entry {
    pub(super) cell: u64,
    pub(super) slot: usize,
    pub(super) pair: (f64, f64),
    pub(super) count: u64,
}

/// Numbers the combinations of group codes: mixed radix when the product of level counts is
/// small (no memory per person), otherwise a dictionary of the combinations that occur.
pub(super) enum Cells {
    Radix {
        levels: Vec<u64>,
        count: u64,
    },
    Dictionary {
        of_person: Vec<u32>,
        codes: Vec<Vec<u32>>,
    },
}

impl Cells {
    pub(super) fn new(groups: &[GroupColumn], people: usize) -> Cells {
        let levels: Vec<u64> = groups.iter().map(|g| g.levels.len() as u64).collect();
        let product = levels
            .iter()
            .try_fold(1u64, |acc, &l| acc.checked_mul(l.max(1)));
        match product {
            // Within reach of the people count, so the dense array stays a real option.
            Some(count) if count <= (people as u64).max(1 << 16) => Cells::Radix { levels, count },
            _ => {
                let mut index: HashMap<Vec<u32>, u32> = HashMap::new();
                let mut codes = Vec::new();
                let mut key = Vec::with_capacity(groups.len());
                let of_person = (0..people)
                    .map(|p| {
                        key.clear();
                        key.extend(groups.iter().map(|g| g.codes.get(p)));
                        if let Some(&c) = index.get(key.as_slice()) {
                            return c;
                        }
                        let c = codes.len() as u32;
                        codes.push(key.clone());
                        index.insert(key.clone(), c);
                        c
                    })
                    .collect();
                Cells::Dictionary { of_person, codes }
            }
        }
    }

    pub(super) fn count(&self) -> u64 {
        match self {
            Cells::Radix { count, .. } => *count,
            Cells::Dictionary { codes, .. } => codes.len() as u64,
        }
    }

    pub(super) fn of(&self, groups: &[GroupColumn], p: usize) -> u64 {
        match self {
            Cells::Radix { levels, .. } => groups
                .iter()
                .zip(levels)
                .fold(0, |acc, (g, &l)| acc * l + u64::from(g.codes.get(p))),
            Cells::Dictionary { of_person, .. } => u64::from(of_person[p]),
        }
    }

    /// The group codes of cell `c`, in column order.
    pub(super) fn codes(&self, c: u64) -> Vec<u32> {
        match self {
            Cells::Radix { levels, .. } => {
                let mut codes = vec![0u32; levels.len()];
                let mut rest = c;
                for (code, &l) in codes.iter_mut().zip(levels).rev() {
                    *code = (rest % l.max(1)) as u32;
                    rest /= l.max(1);
                }
                codes
            }
            Cells::Dictionary { codes, .. } => codes[c as usize].clone(),
        }
    }
}

/// Chunks of people for the parallel pass.
pub(super) fn chunks(people: usize) -> impl IndexedParallelIterator<Item = Range<usize>> {
    (0..people.div_ceil(CHUNK))
        .into_par_iter()
        .map(move |c| c * CHUNK..((c + 1) * CHUNK).min(people))
}

/// Whole-number ranges of earlier and later scores, when a dense array can hold the counts.
struct DenseShape {
    a_low: i64,
    a_span: u64,
    b_low: i64,
    b_span: u64,
}

impl DenseShape {
    fn of(
        cells: &Cells,
        people: usize,
        pair: &(impl Fn(usize, usize) -> Option<(f64, f64)> + Sync),
    ) -> Option<DenseShape> {
        // (min a, max a, min b, max b); None once a value is not a small whole number.
        type Range4 = Option<(i64, i64, i64, i64)>;
        let whole = |v: f64| (crate::stats::is_whole(v) && v.abs() < 1e9).then_some(v as i64);
        let merge = |x: Range4, y: Range4| -> Option<Range4> {
            Some(match (x, y) {
                (None, r) | (r, None) => r,
                (Some(x), Some(y)) => {
                    Some((x.0.min(y.0), x.1.max(y.1), x.2.min(y.2), x.3.max(y.3)))
                }
            })
        };
        let ranges = chunks(people)
            .map(|range| {
                let mut acc: Range4 = None;
                for p in range {
                    for slot in 0..SLOTS {
                        if let Some((a, b)) = pair(p, slot) {
                            let (a, b) = (whole(a)?, whole(b)?);
                            acc = merge(acc, Some((a, a, b, b)))?;
                        }
                    }
                }
                Some(acc)
            })
            .try_reduce(|| None, merge)?;
        let (a_low, a_high, b_low, b_high) = ranges.unwrap_or((0, 0, 0, 0));
        DenseShape::sized(cells, (a_low, a_high), (b_low, b_high))
    }

    /// The shape for values known to lie in `a` and `b` (`None` unless both are whole).
    fn within(cells: &Cells, a: ValueRange, b: ValueRange) -> Option<DenseShape> {
        let bounds = |r: ValueRange| match r {
            ValueRange::Empty => Some((0, 0)),
            ValueRange::Whole(low, high) => Some((low, high)),
            ValueRange::Other => None,
        };
        DenseShape::sized(cells, bounds(a)?, bounds(b)?)
    }

    /// The shape for first values in `a_low..=a_high` and second in `b_low..=b_high`, if the
    /// array is small enough.
    fn sized(
        cells: &Cells,
        (a_low, a_high): (i64, i64),
        (b_low, b_high): (i64, i64),
    ) -> Option<DenseShape> {
        let shape = DenseShape {
            a_low,
            a_span: (a_high - a_low + 1) as u64,
            b_low,
            b_span: (b_high - b_low + 1) as u64,
        };
        let size = cells
            .count()
            .checked_mul(SLOTS as u64 * shape.a_span)?
            .checked_mul(shape.b_span)?;
        (size <= MAX_DENSE).then_some(shape)
    }

    fn size(&self, cells: &Cells) -> usize {
        (cells.count() * SLOTS as u64 * self.a_span * self.b_span) as usize
    }

    fn index(&self, cell: u64, slot: usize, (a, b): (f64, f64)) -> usize {
        let ia = (a as i64 - self.a_low) as u64;
        let ib = (b as i64 - self.b_low) as u64;
        (((cell * SLOTS as u64 + slot as u64) * self.a_span + ia) * self.b_span + ib) as usize
    }
}

fn count_dense(
    shape: &DenseShape,
    cells: &Cells,
    groups: &[GroupColumn],
    people: usize,
    pair: &(impl Fn(usize, usize) -> Option<(f64, f64)> + Sync),
) -> Vec<Entry> {
    let size = shape.size(cells);
    let counts = chunks(people)
        .fold(
            || vec![0u64; size],
            |mut counts, range| {
                for p in range {
                    let cell = cells.of(groups, p);
                    for slot in 0..SLOTS {
                        if let Some(ab) = pair(p, slot) {
                            counts[shape.index(cell, slot, ab)] += 1;
                        }
                    }
                }
                counts
            },
        )
        .reduce(
            || vec![0u64; size],
            |mut x, y| {
                for (a, b) in x.iter_mut().zip(y) {
                    *a += b;
                }
                x
            },
        );
    let mut entries = Vec::new();
    let per_slot = (shape.a_span * shape.b_span) as usize;
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let (cell_slot, within) = (i / per_slot, i % per_slot);
        let a = (within / shape.b_span as usize) as i64 + shape.a_low;
        let b = (within % shape.b_span as usize) as i64 + shape.b_low;
        entries.push(Entry {
            cell: (cell_slot / SLOTS) as u64,
            slot: cell_slot % SLOTS,
            pair: (a as f64, b as f64),
            count,
        });
    }
    entries
}

fn count_sparse(
    cells: &Cells,
    groups: &[GroupColumn],
    people: usize,
    pair: &(impl Fn(usize, usize) -> Option<(f64, f64)> + Sync),
) -> Vec<Entry> {
    type Counts = HashMap<(u64, u64, u64), u64>;
    let counts = chunks(people)
        .fold(Counts::new, |mut counts, range| {
            for p in range {
                let cell = cells.of(groups, p);
                for slot in 0..SLOTS {
                    if let Some((a, b)) = pair(p, slot) {
                        // -0.0 counts as 0.0.
                        let key = (
                            cell * SLOTS as u64 + slot as u64,
                            (a + 0.0).to_bits(),
                            (b + 0.0).to_bits(),
                        );
                        *counts.entry(key).or_insert(0) += 1;
                    }
                }
            }
            counts
        })
        .reduce(Counts::new, |mut x, mut y| {
            if x.len() < y.len() {
                std::mem::swap(&mut x, &mut y);
            }
            for (key, count) in y {
                *x.entry(key).or_insert(0) += count;
            }
            x
        });
    counts
        .into_iter()
        .map(|((cell_slot, a, b), count)| Entry {
            cell: cell_slot / SLOTS as u64,
            slot: (cell_slot % SLOTS as u64) as usize,
            pair: (f64::from_bits(a), f64::from_bits(b)),
            count,
        })
        .collect()
}

/// Sums the cells into the whole sample and each group, sorted and in output order.
pub(super) fn marginals(
    groups: &[GroupColumn],
    cells: &Cells,
    entries: Vec<Entry>,
) -> Vec<SlotCounts> {
    let mut whole: [CountedPairs; SLOTS] = Default::default();
    let mut by_group: Vec<Vec<[CountedPairs; SLOTS]>> = groups
        .iter()
        .map(|g| (0..g.levels.len()).map(|_| Default::default()).collect())
        .collect();
    for e in entries {
        whole[e.slot].push((e.pair, e.count));
        for (g, code) in cells.codes(e.cell).into_iter().enumerate() {
            by_group[g][code as usize][e.slot].push((e.pair, e.count));
        }
    }
    let mut out = Vec::new();
    for (slot, pairs) in whole.into_iter().enumerate() {
        out.push(SlotCounts {
            group_by: crate::summarise::ALL_GROUP_BY.to_string(),
            group: crate::summarise::ALL_GROUP.to_string(),
            slot,
            pairs: sorted_counts(pairs),
        });
    }
    for (column, levels) in groups.iter().zip(by_group) {
        for (level, slots) in column.levels.iter().zip(levels) {
            for (slot, pairs) in slots.into_iter().enumerate() {
                out.push(SlotCounts {
                    group_by: column.name.clone(),
                    group: level.clone(),
                    slot,
                    pairs: sorted_counts(pairs),
                });
            }
        }
    }
    out
}

/// Sorts by (earlier, later) and merges equal pairs.
pub fn sorted_counts(mut pairs: CountedPairs) -> CountedPairs {
    pairs.sort_unstable_by(|x, y| x.0 .0.total_cmp(&y.0 .0).then(x.0 .1.total_cmp(&y.0 .1)));
    let mut merged: CountedPairs = Vec::with_capacity(pairs.len());
    for (key, count) in pairs {
        match merged.last_mut() {
            Some(last) if last.0 == key => last.1 += count,
            _ => merged.push((key, count)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, levels: &[&str], codes: Vec<u32>) -> GroupColumn {
        GroupColumn {
            name: name.into(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
            codes: codes.into(),
        }
    }

    /// The same counts by brute force: every (group, slot) filtered and tallied on its own.
    fn brute(
        groups: &[GroupColumn],
        people: usize,
        pair: &dyn Fn(usize, usize) -> Option<(f64, f64)>,
    ) -> Vec<SlotCounts> {
        let tally = |keep: &dyn Fn(usize) -> bool, slot: usize| {
            sorted_counts(
                (0..people)
                    .filter(|&p| keep(p))
                    .filter_map(|p| pair(p, slot))
                    .map(|(a, b)| ((a + 0.0, b + 0.0), 1))
                    .collect(),
            )
        };
        let mut out = Vec::new();
        for slot in 0..SLOTS {
            out.push(SlotCounts {
                group_by: "all".into(),
                group: "All".into(),
                slot,
                pairs: tally(&|_| true, slot),
            });
        }
        for g in groups {
            for (code, level) in g.levels.iter().enumerate() {
                for slot in 0..SLOTS {
                    out.push(SlotCounts {
                        group_by: g.name.clone(),
                        group: level.clone(),
                        slot,
                        pairs: tally(&|p| g.codes.get(p) == code as u32, slot),
                    });
                }
            }
        }
        out
    }

    /// Two grouping columns of 3 and 2 levels that cross every way.
    fn three_by_two(people: usize) -> Vec<GroupColumn> {
        vec![
            column(
                "a",
                &["x", "y", "z"],
                (0..people).map(|p| (p % 3) as u32).collect(),
            ),
            column(
                "b",
                &["p", "q"],
                (0..people).map(|p| (p / 7 % 2) as u32).collect(),
            ),
        ]
    }

    #[test]
    fn dense_sparse_and_dictionary_cells_agree_with_brute_force() {
        let people = 200_000;
        let groups = three_by_two(people);
        // Whole numbers in a narrow range: dense.
        let whole = |p: usize, slot: usize| {
            (p % (slot + 2) != 0).then_some(((p % 7) as f64 + 3.0, ((p / 3) % 7) as f64))
        };
        assert!(DenseShape::of(&Cells::new(&groups, people), people, &whole).is_some());
        assert_eq!(
            tally_groups(&groups, people, whole, None),
            brute(&groups, people, &whole)
        );
        // Known ranges, exact or wider, count the same.
        for ranges in [
            (ValueRange::Whole(3, 9), ValueRange::Whole(0, 6)),
            (ValueRange::Whole(-5, 40), ValueRange::Whole(-1, 9)),
        ] {
            assert_eq!(
                tally_groups(&groups, people, whole, Some(ranges)),
                brute(&groups, people, &whole)
            );
        }
        // Halves: sparse, with -0.0 counted as 0.0.
        let halves = |p: usize, slot: usize| {
            (p % 5 != slot).then(|| ((p % 11) as f64 * 0.5, if p % 4 == 0 { -0.0 } else { 1.5 }))
        };
        assert!(DenseShape::of(&Cells::new(&groups, people), people, &halves).is_none());
        assert_eq!(
            tally_groups(&groups, people, halves, None),
            brute(&groups, people, &halves)
        );
        let known = Some((ValueRange::Other, ValueRange::Whole(0, 2)));
        assert_eq!(
            tally_groups(&groups, people, halves, known),
            brute(&groups, people, &halves)
        );
        // More level combinations than people: cells numbered by dictionary.
        let few = 1000;
        let many = vec![
            GroupColumn {
                name: "id".into(),
                levels: (0..100_000).map(|l| format!("{l:06}")).collect(),
                codes: (0..few).map(|p| (p * 97 % 100_000) as u32).collect(),
            },
            column("b", &["p", "q"], (0..few).map(|p| (p % 2) as u32).collect()),
        ];
        assert!(matches!(Cells::new(&many, few), Cells::Dictionary { .. }));
        assert_eq!(
            tally_groups(&many, few, whole, None),
            brute(&many, few, &whole)
        );
    }

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Count(u64, u64);
    impl Additive for Count {
        fn add(&mut self, other: &Count) {
            self.0 += other.0;
            self.1 += other.1;
        }
    }

    #[test]
    fn sums_per_group_in_both_cell_numberings() {
        let people = 3000;
        let dense = three_by_two(people);
        let dictionary = vec![GroupColumn {
            name: "id".into(),
            levels: (0..100_000).map(|l| format!("{l:06}")).collect(),
            codes: (0..people).map(|p| (p * 31 % 100_000) as u32).collect(),
        }];
        assert!(matches!(
            Cells::new(&dictionary, people),
            Cells::Dictionary { .. }
        ));
        let of = |p: usize| (p % 4 != 0).then_some(Count(1, p as u64));
        for groups in [dense, dictionary] {
            let got: Vec<GroupTotals<Count>> = sum_groups(&groups, people, of);
            let brute = |keep: &dyn Fn(usize) -> bool| {
                (0..people).filter(|&p| keep(p)).filter_map(of).fold(
                    Count::default(),
                    |mut a, c| {
                        a.add(&c);
                        a
                    },
                )
            };
            assert_eq!(got[0].totals, brute(&|_| true));
            let mut i = 1;
            for g in &groups {
                for code in 0..g.levels.len() {
                    assert_eq!(got[i].totals, brute(&|p| g.codes.get(p) == code as u32));
                    i += 1;
                }
            }
            assert_eq!(i, got.len());
        }
    }

    #[test]
    fn value_ranges_merge_and_give_up_on_fractions() {
        let mut r = ValueRange::default();
        for v in [7.0, 3.0, 9.0, -0.0] {
            r.add(v);
        }
        assert_eq!(r, ValueRange::Whole(0, 9));
        assert_eq!(r.merge(ValueRange::Empty), r);
        r.add(2.5);
        assert_eq!(r, ValueRange::Other);
        assert_eq!(ValueRange::of(1e10), ValueRange::Other);
        assert_eq!(ValueRange::of(f64::NAN), ValueRange::Other);
    }

    #[test]
    fn no_people_no_groups() {
        let out = tally_groups(&[], 0, |_, _| Some((1.0, 2.0)), None);
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|s| s.pairs.is_empty()));
    }
}
