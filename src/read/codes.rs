//! Each person's group code in as few bytes as the column's levels allow.
//!
//! A grouping column has few levels (37 locations, 6 trigger groups), and every person has a
//! code per column: at ten million people four bytes each were 80 MB of the run's 426 MB,
//! and on the machines we run on, first touching fresh memory costs more than reading the
//! file. Codes are kept in one byte until a column has more than 256 levels, then two, then
//! four; widening copies the codes once.

use crate::read::memory::{reserve_huge, widened};

/// The group codes of a column, person by person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupCodes {
    /// Up to 256 levels.
    Narrow(Vec<u8>),
    /// Up to 65,536 levels.
    Medium(Vec<u16>),
    /// Any number.
    Wide(Vec<u32>),
}

impl Default for GroupCodes {
    fn default() -> GroupCodes {
        GroupCodes::Narrow(Vec::new())
    }
}

impl From<Vec<u32>> for GroupCodes {
    fn from(codes: Vec<u32>) -> GroupCodes {
        codes.into_iter().collect()
    }
}

impl FromIterator<u32> for GroupCodes {
    fn from_iter<I: IntoIterator<Item = u32>>(codes: I) -> GroupCodes {
        let mut compact = GroupCodes::default();
        compact.extend(codes);
        compact
    }
}

impl GroupCodes {
    /// Number of people.
    pub fn len(&self) -> usize {
        match self {
            GroupCodes::Narrow(c) => c.len(),
            GroupCodes::Medium(c) => c.len(),
            GroupCodes::Wide(c) => c.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code of person `p`.
    #[inline]
    pub fn get(&self, p: usize) -> u32 {
        match self {
            GroupCodes::Narrow(c) => u32::from(c[p]),
            GroupCodes::Medium(c) => u32::from(c[p]),
            GroupCodes::Wide(c) => c[p],
        }
    }

    /// Every code in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|p| self.get(p))
    }

    /// Adds a person.
    #[inline]
    pub fn push(&mut self, code: u32) {
        match self {
            GroupCodes::Narrow(c) if code <= u32::from(u8::MAX) => c.push(code as u8),
            GroupCodes::Medium(c) if code <= u32::from(u16::MAX) => c.push(code as u16),
            GroupCodes::Wide(c) => c.push(code),
            _ => {
                self.widen();
                self.push(code);
            }
        }
    }

    /// Adds people in order.
    pub fn extend(&mut self, codes: impl IntoIterator<Item = u32>) {
        for code in codes {
            self.push(code);
        }
    }

    /// Makes room for `people` more, asking for huge pages (see [`crate::read::memory`]).
    pub fn reserve(&mut self, people: usize) {
        match self {
            GroupCodes::Narrow(c) => reserve_huge(c, people),
            GroupCodes::Medium(c) => reserve_huge(c, people),
            GroupCodes::Wide(c) => reserve_huge(c, people),
        }
    }

    /// Replaces every code `c` by `new_code[c]` (which has an entry per level).
    pub fn remap(&mut self, new_code: &[u32]) {
        match self {
            // The new codes number the same levels, so they fit the same width.
            GroupCodes::Narrow(c) => c.iter_mut().for_each(|c| *c = new_code[*c as usize] as u8),
            GroupCodes::Medium(c) => c.iter_mut().for_each(|c| *c = new_code[*c as usize] as u16),
            GroupCodes::Wide(c) => c.iter_mut().for_each(|c| *c = new_code[*c as usize]),
        }
    }

    /// Moves to the next width up.
    fn widen(&mut self) {
        *self = match std::mem::take(self) {
            GroupCodes::Narrow(c) => GroupCodes::Medium(widened(c)),
            GroupCodes::Medium(c) => GroupCodes::Wide(widened(c)),
            GroupCodes::Wide(c) => GroupCodes::Wide(c),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_widen_as_levels_grow_and_keep_their_values() {
        let codes: Vec<u32> = [0, 3, 255, 7, 256, 2, 65_535, 65_536, 9, 4_000_000_000].into();
        let mut compact = GroupCodes::default();
        let mut widths = Vec::new();
        for &code in &codes {
            compact.push(code);
            widths.push(match compact {
                GroupCodes::Narrow(_) => 1,
                GroupCodes::Medium(_) => 2,
                GroupCodes::Wide(_) => 4,
            });
        }
        assert_eq!(compact.iter().collect::<Vec<_>>(), codes);
        assert_eq!(widths, [1, 1, 1, 1, 2, 2, 2, 4, 4, 4]);
        assert_eq!(GroupCodes::from(codes.clone()), compact);
        let mut few = GroupCodes::from(vec![2, 0, 1, 2]);
        few.remap(&[1, 2, 0]);
        assert_eq!(few, GroupCodes::Narrow(vec![0, 1, 2, 0]));
    }
}
