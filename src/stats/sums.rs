//! Totals that add across people, cores, files and streaming partitions: what the
//! summaries hold per group, so every statistic computed from them is the same however the
//! people were split.

/// A per-person quantity that adds: what `summarise::sum_groups` totals per group.
pub trait Additive: Default + Clone + Send {
    /// Adds another set of people's totals.
    fn add(&mut self, other: &Self);

    /// Adds `times` copies of `other` (`summarise::Profiles` count people with the same scores
    /// together), by doubling: about 2 log2(times) adds. Totals that can multiply do better.
    fn add_times(&mut self, other: &Self, times: u64) {
        let (mut power, mut k) = (other.clone(), times);
        while k > 0 {
            if k & 1 == 1 {
                self.add(&power);
            }
            k >>= 1;
            if k > 0 {
                let twice = power.clone();
                power.add(&twice);
            }
        }
    }
}

/// A total that one person's item (of another type than the total) adds to, so a person can
/// cost a few numbers while the total holds many (see `summarise::sum_groups`).
pub trait Accumulate<I>: Additive {
    /// Adds one person's item.
    fn add_item(&mut self, item: &I);

    /// Adds `times` people with the same item.
    fn add_item_times(&mut self, item: &I, times: u64);
}

impl<S: Additive> Accumulate<S> for S {
    fn add_item(&mut self, item: &S) {
        self.add(item);
    }

    fn add_item_times(&mut self, item: &S, times: u64) {
        self.add_times(item, times);
    }
}
