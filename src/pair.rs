//! People × timepoints → paired samples per group and comparison, in output order.

use crate::model::Comparison;
use crate::read::GroupColumn;
use crate::scale::Scored;
use crate::stats::tally::PairTally;

/// `group_by` value of the whole-sample rows.
pub const ALL_GROUP_BY: &str = "all";
/// `group` value of the whole-sample rows.
pub const ALL_GROUP: &str = "All";

/// The paired scores of one group in one comparison, as distinct (earlier, later) pairs with
/// counts, sorted, so the statistics depend neither on row order nor on the number of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedGroup {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value (`All` for the whole sample).
    pub group: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// ((earlier, later), count), sorted by score.
    pub pairs: Vec<((f64, f64), u64)>,
}

impl PairedGroup {
    /// People in the comparison.
    pub fn n(&self) -> usize {
        self.pairs.iter().map(|p| p.1).sum::<u64>() as usize
    }
}

/// Pairs for the whole sample, then for each grouping column in order, its groups sorted by
/// name, each with the three comparisons.
pub fn pair_groups(groups: &[GroupColumn], scored: &Scored) -> Vec<PairedGroup> {
    let people = scored.scores[0].len();
    tally_groups(groups, people, |p, slot| {
        pairs_of(scored, Comparison::ALL[slot], p)
    })
    .into_iter()
    .map(|(group_by, group, slot, tally)| PairedGroup {
        group_by,
        group,
        comparison: Comparison::ALL[slot],
        pairs: tally.into_sorted(),
    })
    .collect()
}

/// Tallies three streams of pairs (`slot` 0..3: the comparisons, or the timepoints) for the
/// whole sample and for every group of every grouping column, in one pass over people.
/// Returns (group_by, group, slot, tally) in output order: the whole sample first, then each
/// column's groups sorted by name, slots in order within each group.
pub fn tally_groups(
    groups: &[GroupColumn],
    people: usize,
    pair: impl Fn(usize, usize) -> Option<(f64, f64)>,
) -> Vec<(String, String, usize, PairTally)> {
    let mut whole: [PairTally; 3] = Default::default();
    let mut buckets: Vec<Vec<[PairTally; 3]>> = groups
        .iter()
        .map(|column| {
            (0..column.levels.len())
                .map(|_| Default::default())
                .collect()
        })
        .collect();
    for p in 0..people {
        for slot in 0..3 {
            let Some((a, b)) = pair(p, slot) else {
                continue;
            };
            whole[slot].add(a, b);
            for (column, column_buckets) in groups.iter().zip(buckets.iter_mut()) {
                column_buckets[column.codes[p] as usize][slot].add(a, b);
            }
        }
    }
    let mut out = Vec::new();
    for (slot, tally) in whole.into_iter().enumerate() {
        out.push((ALL_GROUP_BY.to_string(), ALL_GROUP.to_string(), slot, tally));
    }
    for (column, column_buckets) in groups.iter().zip(buckets) {
        for (level, bucket) in column.levels.iter().zip(column_buckets) {
            for (slot, tally) in bucket.into_iter().enumerate() {
                out.push((column.name.clone(), level.clone(), slot, tally));
            }
        }
    }
    out
}

fn pairs_of(scored: &Scored, comparison: Comparison, p: usize) -> Option<(f64, f64)> {
    let (a, b) = comparison.timepoints();
    Some((scored.valid(a, p)?, scored.valid(b, p)?))
}
