//! The per-person sums the repeated-measures analyses are fitted from: Friedman's rank sums
//! of the people with all three scores (repeated.csv) and the mixed model's sums of everyone
//! with a score (mixed_model.csv), per group.

use super::{sum_groups, GroupTotals, Profiles, ScoreTriple};
use crate::read::GroupColumn;
use crate::scale::Scored;
use crate::stats::friedman::FriedmanSums;
use crate::stats::mixed::{MixedSums, PersonScores};

/// The Friedman sums of everyone with all three valid scores, per group.
pub fn friedman_sums(groups: &[GroupColumn], scored: &Scored) -> Vec<GroupTotals<FriedmanSums>> {
    sum_groups(groups, scored.scores[0].len(), |p| {
        friedman_of(&scored.valid_triple(p))
    })
}

/// [`friedman_sums`] from people counted by profile (the same sums).
pub fn friedman_sums_of(
    profiles: &Profiles,
    groups: &[GroupColumn],
) -> Vec<GroupTotals<FriedmanSums>> {
    profiles.sum(groups, friedman_of)
}

/// A person's part of the Friedman sums, if they have all three scores.
fn friedman_of(scores: &ScoreTriple) -> Option<FriedmanSums> {
    let [pre, post, followup] = *scores;
    Some(FriedmanSums::of_person([pre?, post?, followup?]))
}

/// The model sums of everyone with a valid score, per group.
pub fn mixed_sums(groups: &[GroupColumn], scored: &Scored) -> Vec<GroupTotals<MixedSums>> {
    sum_groups(groups, scored.scores[0].len(), |p| {
        PersonScores::new(scored.valid_triple(p))
    })
}

/// [`mixed_sums`] from people counted by profile (the same sums).
pub fn mixed_sums_of(profiles: &Profiles, groups: &[GroupColumn]) -> Vec<GroupTotals<MixedSums>> {
    profiles.sum(groups, |scores| PersonScores::new(*scores))
}
