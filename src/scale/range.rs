//! The range of a set of scores: whether every one is a small whole number (the summaries
//! can then count in a dense array) and between which bounds.

/// Where a set of values lies: whether all are small whole numbers (the tallies can then
/// count in a dense array) and between which bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ValueRange {
    /// No value yet.
    #[default]
    Empty,
    /// Whole numbers below 10^9 in size, from the first bound to the second.
    Whole(i64, i64),
    /// Some value is not such a number.
    Other,
}

impl ValueRange {
    /// Takes in one more value.
    #[inline]
    pub fn add(&mut self, v: f64) {
        *self = self.merge(ValueRange::of(v));
    }

    /// The range of one value.
    #[inline]
    pub fn of(v: f64) -> ValueRange {
        if crate::stats::is_whole(v) && v.abs() < 1e9 {
            ValueRange::Whole(v as i64, v as i64)
        } else {
            ValueRange::Other
        }
    }

    /// The range of the values of both.
    #[inline]
    pub fn merge(self, other: ValueRange) -> ValueRange {
        match (self, other) {
            (ValueRange::Other, _) | (_, ValueRange::Other) => ValueRange::Other,
            (ValueRange::Empty, r) | (r, ValueRange::Empty) => r,
            (ValueRange::Whole(a, b), ValueRange::Whole(c, d)) => {
                ValueRange::Whole(a.min(c), b.max(d))
            }
        }
    }
}
