//! Counting equal values instead of keeping them: a group's (earlier, later) score pairs as
//! distinct pairs with counts. UCLA totals take few values, so a million pairs become a few
//! dozen entries, and statistics run on the counts. Continuous data (prorated items, raw
//! totals) spill to a plain list once there are many distinct pairs.

use foldhash::HashMap;

/// Distinct pairs above which counting gives way to a list.
const MAX_DISTINCT: usize = 4096;

/// A multiset of (earlier, later) pairs.
#[derive(Debug, Clone, Default)]
pub struct PairTally {
    counts: HashMap<(u64, u64), u64>,
    spill: Vec<((f64, f64), u64)>,
}

impl PairTally {
    /// Adds one pair. `-0.0` counts as `0.0`.
    pub fn add(&mut self, a: f64, b: f64) {
        let (a, b) = (a + 0.0, b + 0.0);
        if self.spill.is_empty() {
            *self.counts.entry((a.to_bits(), b.to_bits())).or_insert(0) += 1;
            if self.counts.len() > MAX_DISTINCT {
                self.spill = self
                    .counts
                    .drain()
                    .map(|((a, b), c)| ((f64::from_bits(a), f64::from_bits(b)), c))
                    .collect();
            }
        } else {
            self.spill.push(((a, b), 1));
        }
    }

    /// Distinct pairs with their counts, sorted by (earlier, later), so the statistics do not
    /// depend on the order people came in.
    pub fn into_sorted(self) -> Vec<((f64, f64), u64)> {
        let mut pairs: Vec<((f64, f64), u64)> = if self.spill.is_empty() {
            self.counts
                .into_iter()
                .map(|((a, b), c)| ((f64::from_bits(a), f64::from_bits(b)), c))
                .collect()
        } else {
            self.spill
        };
        pairs.sort_by(|x, y| x.0 .0.total_cmp(&y.0 .0).then(x.0 .1.total_cmp(&y.0 .1)));
        let mut merged: Vec<((f64, f64), u64)> = Vec::with_capacity(pairs.len());
        for (key, count) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == key => last.1 += count,
                _ => merged.push((key, count)),
            }
        }
        merged
    }
}

/// Sorted distinct pairs with counts from two paired slices.
pub fn tally_pairs(earlier: &[f64], later: &[f64]) -> Vec<((f64, f64), u64)> {
    let mut tally = PairTally::default();
    for (&a, &b) in earlier.iter().zip(later) {
        tally.add(a, b);
    }
    tally.into_sorted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sorts_in_both_modes() {
        assert_eq!(
            tally_pairs(&[7.0, 6.0, 7.0, -0.0], &[5.0, 6.0, 5.0, 1.0]),
            vec![((0.0, 1.0), 1), ((6.0, 6.0), 1), ((7.0, 5.0), 2)]
        );
        // Past MAX_DISTINCT the tally keeps a list, with the same result.
        let a: Vec<f64> = (0..10_000).map(|i| f64::from(i % 5000) * 0.5).collect();
        let b: Vec<f64> = a.iter().map(|v| v + 1.0).collect();
        let t = tally_pairs(&a, &b);
        assert_eq!(t.len(), 5000);
        assert!(t.iter().all(|p| p.1 == 2));
        assert!(t.windows(2).all(|w| w[0].0 .0 < w[1].0 .0));
    }
}
