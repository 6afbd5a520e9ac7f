//! People × timepoints → paired samples per group and comparison, in output order.

use crate::model::Comparison;
use crate::read::GroupColumn;
use crate::scale::Scored;

/// `group_by` value of the whole-sample rows.
pub const ALL_GROUP_BY: &str = "all";
/// `group` value of the whole-sample rows.
pub const ALL_GROUP: &str = "All";

/// The paired scores of one group in one comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedGroup {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group value (`All` for the whole sample).
    pub group: String,
    /// Which timepoints.
    pub comparison: Comparison,
    /// Earlier scores.
    pub earlier: Vec<f64>,
    /// Later scores, paired by position with `earlier`.
    pub later: Vec<f64>,
}

/// Pairs for the whole sample, then for each grouping column in order, its groups sorted by
/// name, each with the three comparisons. Pairs are sorted by value, so the statistics do not
/// depend on row order (wide and long inputs give identical bits).
pub fn pair_groups(groups: &[GroupColumn], scored: &Scored) -> Vec<PairedGroup> {
    let people = scored.scores[0].len();
    let mut out = Vec::new();
    for comparison in Comparison::ALL {
        out.push(collect(
            ALL_GROUP_BY,
            ALL_GROUP,
            comparison,
            (0..people).map(|p| pairs_of(scored, comparison, p)),
        ));
    }
    for column in groups {
        // One pass per comparison: bucket each person's pair by group code.
        let mut buckets: Vec<[Vec<(f64, f64)>; 3]> = vec![Default::default(); column.levels.len()];
        for p in 0..people {
            for (c, comparison) in Comparison::ALL.into_iter().enumerate() {
                if let Some(pair) = pairs_of(scored, comparison, p) {
                    buckets[column.codes[p] as usize][c].push(pair);
                }
            }
        }
        for (level, bucket) in column.levels.iter().zip(buckets) {
            for (comparison, pairs) in Comparison::ALL.into_iter().zip(bucket) {
                out.push(collect(
                    &column.name,
                    level,
                    comparison,
                    pairs.into_iter().map(Some),
                ));
            }
        }
    }
    out
}

fn pairs_of(scored: &Scored, comparison: Comparison, p: usize) -> Option<(f64, f64)> {
    let (a, b) = comparison.timepoints();
    Some((scored.valid(a, p)?, scored.valid(b, p)?))
}

fn collect(
    group_by: &str,
    group: &str,
    comparison: Comparison,
    pairs: impl Iterator<Item = Option<(f64, f64)>>,
) -> PairedGroup {
    let mut pairs: Vec<(f64, f64)> = pairs.flatten().collect();
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    let (earlier, later) = pairs.into_iter().unzip();
    PairedGroup {
        group_by: group_by.to_string(),
        group: group.to_string(),
        comparison,
        earlier,
        later,
    }
}
