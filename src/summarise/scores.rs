//! Score counts per group and timepoint: what timepoints.csv and attrition.csv are computed
//! from.

use super::{tally_groups, Profiles, Slot, SlotCounts};
use crate::model::Timepoint;
use crate::read::GroupColumn;
use crate::scale::{Scored, ValueRange};

/// Counts of each score per group and timepoint (slot = timepoint index; the later value
/// of each pair is 0), in the order of comparisons.csv. `range` bounds every valid score,
/// when known.
pub fn score_counts(
    groups: &[GroupColumn],
    scored: &Scored,
    range: Option<ValueRange>,
) -> Vec<SlotCounts> {
    let people = scored.scores[0].len();
    tally_groups(
        groups,
        people,
        |p, slot| scored.valid(Timepoint::ALL[slot], p).map(|v| (v, 0.0)),
        range.map(|r| (r, ValueRange::Whole(0, 0))),
    )
}

/// [`score_counts`] from people counted by profile (the same counts).
pub fn score_counts_of(profiles: &Profiles, groups: &[GroupColumn]) -> Vec<SlotCounts> {
    profiles.tally(groups, Timepoint::ALL.map(|tp| Slot::Single(tp.index())))
}
