//! People × timepoints → paired samples per group and comparison, in output order.

use crate::model::Comparison;
use crate::read::GroupColumn;
use crate::scale::Scored;
use crate::scale::ValueRange;
use crate::summarise::{tally_groups, Profiles, Slot, SlotCounts};

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

/// Counts of (earlier, later) pairs for the whole sample, then for each grouping column in
/// order, its groups sorted by name, each with the three comparisons (slot = comparison index).
/// `range` bounds every valid score, when known (see [`StatusCounts::range`]).
///
/// [`StatusCounts::range`]: crate::scale::StatusCounts::range
pub fn pair_counts(
    groups: &[GroupColumn],
    scored: &Scored,
    range: Option<ValueRange>,
) -> Vec<SlotCounts> {
    let people = scored.scores[0].len();
    tally_groups(
        groups,
        people,
        |p, slot| pairs_of(scored, Comparison::ALL[slot], p),
        range.map(|r| (r, r)),
    )
}

/// [`pair_counts`] from people counted by profile (the same counts).
pub fn pair_counts_of(profiles: &Profiles, groups: &[GroupColumn]) -> Vec<SlotCounts> {
    profiles.tally(
        groups,
        Comparison::ALL.map(|c| {
            let (a, b) = c.timepoints();
            Slot::Pair(a.index(), b.index())
        }),
    )
}

/// The counts as paired groups, in the same order.
pub fn paired_groups(counts: &[SlotCounts]) -> Vec<PairedGroup> {
    counts
        .iter()
        .map(|c| PairedGroup {
            group_by: c.group_by.clone(),
            group: c.group.clone(),
            comparison: Comparison::ALL[c.slot],
            pairs: c.pairs.clone(),
        })
        .collect()
}

/// [`pair_counts`] as paired groups.
pub fn pair_groups(groups: &[GroupColumn], scored: &Scored) -> Vec<PairedGroup> {
    paired_groups(&pair_counts(groups, scored, None))
}

fn pairs_of(scored: &Scored, comparison: Comparison, p: usize) -> Option<(f64, f64)> {
    let (a, b) = comparison.timepoints();
    Some((scored.valid(a, p)?, scored.valid(b, p)?))
}
