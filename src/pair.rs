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
    let mut out = Vec::new();
    let mut whole: [PairTally; 3] = Default::default();
    let mut buckets: Vec<Vec<[PairTally; 3]>> = groups
        .iter()
        .map(|column| {
            (0..column.levels.len())
                .map(|_| Default::default())
                .collect()
        })
        .collect();
    // One pass over people, each pair counted once per grouping.
    for p in 0..people {
        for (c, comparison) in Comparison::ALL.into_iter().enumerate() {
            let Some((a, b)) = pairs_of(scored, comparison, p) else {
                continue;
            };
            whole[c].add(a, b);
            for (column, column_buckets) in groups.iter().zip(buckets.iter_mut()) {
                column_buckets[column.codes[p] as usize][c].add(a, b);
            }
        }
    }
    let group = |group_by: &str, group: &str, comparison, tally: PairTally| PairedGroup {
        group_by: group_by.to_string(),
        group: group.to_string(),
        comparison,
        pairs: tally.into_sorted(),
    };
    for (comparison, tally) in Comparison::ALL.into_iter().zip(whole) {
        out.push(group(ALL_GROUP_BY, ALL_GROUP, comparison, tally));
    }
    for (column, column_buckets) in groups.iter().zip(buckets) {
        for (level, bucket) in column.levels.iter().zip(column_buckets) {
            for (comparison, tally) in Comparison::ALL.into_iter().zip(bucket) {
                out.push(group(&column.name, level, comparison, tally));
            }
        }
    }
    out
}

fn pairs_of(scored: &Scored, comparison: Comparison, p: usize) -> Option<(f64, f64)> {
    let (a, b) = comparison.timepoints();
    Some((scored.valid(a, p)?, scored.valid(b, p)?))
}
