//! Which groups are withheld whole. A group with fewer than `--min-cell` people in a
//! comparison (or at a timepoint, or in a model) is withheld and never analysed. The groups of
//! one column together hold the whole sample, so with `--secondary-suppression` the smallest
//! published groups are withheld too while the withheld total could be found by subtraction.

use crate::summarise::{SlotCounts, ALL_GROUP_BY};

/// [`withheld_in_families`] for counted pairs or scores: a family is a grouping column and a
/// slot (comparison or timepoint), a group's size its number of people.
pub fn withheld_counts(counts: &[SlotCounts], min_cell: usize, secondary: bool) -> Vec<bool> {
    let sizes: Vec<usize> = counts
        .iter()
        .map(|c| c.pairs.iter().map(|p| p.1).sum::<u64>() as usize)
        .collect();
    let keys: Vec<(&str, usize)> = counts.iter().map(|c| c.family_key()).collect();
    withheld_in_families(&keys, &sizes, min_cell, secondary)
}

/// [`withheld`] applied to each family: the rows sharing a key (grouping column, and
/// comparison or timepoint). Whole-sample rows (`all`) are a family of one, withheld only when
/// below `min_cell`.
pub fn withheld_in_families(
    keys: &[(&str, usize)],
    sizes: &[usize],
    min_cell: usize,
    secondary: bool,
) -> Vec<bool> {
    let mut hidden = vec![false; sizes.len()];
    let mut families: Vec<(&str, usize)> = keys.to_vec();
    families.sort_unstable();
    families.dedup();
    for family in families {
        let members: Vec<usize> = (0..keys.len()).filter(|&i| keys[i] == family).collect();
        let member_sizes: Vec<usize> = members.iter().map(|&i| sizes[i]).collect();
        let secondary = secondary && family.0 != ALL_GROUP_BY;
        for (&i, h) in members
            .iter()
            .zip(withheld(&member_sizes, min_cell, secondary))
        {
            hidden[i] = h;
        }
    }
    hidden
}

/// Which groups of one family (groups of one column, which together hold the whole sample)
/// to withhold. Primary: those with fewer than `min_cell` people. Secondary (when asked):
/// the total withheld can be found by subtracting the published sizes from the whole sample,
/// so while it is between 1 and `min_cell - 1` the smallest published group is withheld too
/// (ties to the first in order). `min_cell` 0 withholds nothing.
pub fn withheld(sizes: &[usize], min_cell: usize, secondary: bool) -> Vec<bool> {
    let mut hidden: Vec<bool> = sizes.iter().map(|&n| n < min_cell).collect();
    if !secondary || min_cell == 0 {
        return hidden;
    }
    loop {
        let total: usize = sizes
            .iter()
            .zip(&hidden)
            .filter(|(_, &h)| h)
            .map(|(n, _)| n)
            .sum();
        if total == 0 || total >= min_cell {
            return hidden;
        }
        let next = (0..sizes.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (sizes[i], i));
        match next {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

/// The families whose withheld groups a reader can size by subtraction: per family key
/// (grouping column, and comparison or timepoint), the whole sample's published size less
/// the published groups' sizes, when that is 1 to `min_cell - 1` people. `rows` are
/// (grouping column, key, published size: `None` when withheld); the whole sample's rows
/// have the grouping column [`ALL_GROUP_BY`]. What `--secondary-suppression` prevents.
pub fn derivable_withheld<'a>(
    rows: &[(&'a str, usize, Option<usize>)],
    min_cell: usize,
) -> Vec<(&'a str, usize, usize)> {
    let mut out = Vec::new();
    let mut families: Vec<(&str, usize)> = rows
        .iter()
        .filter(|r| r.0 != ALL_GROUP_BY)
        .map(|r| (r.0, r.1))
        .collect();
    families.sort_unstable();
    families.dedup();
    for (group_by, key) in families {
        let Some(total) = rows
            .iter()
            .find(|r| r.0 == ALL_GROUP_BY && r.1 == key)
            .and_then(|r| r.2)
        else {
            continue;
        };
        let members = rows.iter().filter(|r| r.0 == group_by && r.1 == key);
        let published: usize = members.clone().filter_map(|r| r.2).sum();
        let withheld = members.filter(|r| r.2.is_none()).count();
        let hidden = total.saturating_sub(published);
        if withheld > 0 && hidden > 0 && hidden < min_cell {
            out.push((group_by, key, hidden));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secondary_suppression_protects_the_withheld_total() {
        // One group of 3 withheld: 3 people could be found by subtraction, so the smallest
        // published group (12, the first of the two) goes too.
        assert_eq!(
            withheld(&[40, 3, 12, 12], 10, true),
            [false, true, true, false]
        );
        // Without secondary suppression only the small group.
        assert_eq!(
            withheld(&[40, 3, 12, 12], 10, false),
            [false, true, false, false]
        );
        // Two small groups of 4 and 7 already withhold 11 people: nothing more.
        assert_eq!(withheld(&[4, 7, 30], 10, true), [true, true, false]);
        // Empty groups reveal nobody: no secondary suppression for a total of 0.
        assert_eq!(withheld(&[0, 25, 30], 10, true), [true, false, false]);
        // Two small groups of 1 and 2: 3 people, so the next smallest (5, itself small) and
        // then one more are withheld until at least 10 are.
        assert_eq!(
            withheld(&[1, 2, 5, 20, 11], 10, true),
            [true, true, true, false, true]
        );
        // min_cell 0 withholds nothing.
        assert_eq!(withheld(&[0, 1], 0, true), [false, false]);
    }

    #[test]
    fn whole_sample_rows_are_their_own_family() {
        let keys = [
            ("all", 0),
            ("location", 0),
            ("location", 0),
            ("location", 1),
        ];
        let hidden = withheld_in_families(&keys, &[14, 4, 10, 4], 10, true);
        // location/pre_post: 4 is withheld, then 10 (the only other); location/pre_followup: 4.
        assert_eq!(hidden, [false, true, true, true]);
    }

    #[test]
    fn a_withheld_total_found_by_subtraction_is_named() {
        // The bundled example's leak: 2,415 in the whole sample, 2,414 in the published
        // trigger groups: the withheld "(missing)" group is 1 person.
        let rows = [
            ("all", 0, Some(2415)),
            ("trigger_group", 0, None),
            ("trigger_group", 0, Some(2000)),
            ("trigger_group", 0, Some(414)),
            ("location", 0, Some(2415)),
            ("all", 1, Some(817)),
            ("trigger_group", 1, None),
            ("trigger_group", 1, Some(800)),
        ];
        assert_eq!(derivable_withheld(&rows, 10), [("trigger_group", 0, 1)]);
        // 17 withheld people are not a small group.
        assert!(derivable_withheld(&rows[5..], 10).is_empty());
    }
}
