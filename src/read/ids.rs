//! Person ids kept in one text arena with a hash index over it.
//!
//! The index is an open-addressing table of 8-byte slots (32 bits of the id's hash beside the
//! person number) probed linearly, so a lookup touches one cache line and compares text only
//! when 32 hash bits agree, which is almost only for a real repeat. With ten million ids the
//! table is far larger than the caches and every lookup would wait on memory; the reader
//! therefore hashes a batch of ids first and [`IdIndex::prefetch`]es each slot a few records
//! ahead, so the waits overlap. hashbrown has no prefetch, which is why this is not hashbrown.

use std::hash::BuildHasher;

/// Ids in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    text: String,
    ends: Ends,
}

/// Where each id ends in the text: four bytes each while the text is under 4 GiB (ten
/// million ids saved 40 MB, see [`super::codes`] for why memory touched counts).
#[derive(Debug, Clone)]
enum Ends {
    Short(Vec<u32>),
    Long(Vec<u64>),
}

impl Default for Ends {
    fn default() -> Ends {
        Ends::Short(Vec::new())
    }
}

impl Ends {
    fn len(&self) -> usize {
        match self {
            Ends::Short(e) => e.len(),
            Ends::Long(e) => e.len(),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> usize {
        match self {
            Ends::Short(e) => e[i] as usize,
            Ends::Long(e) => e[i] as usize,
        }
    }

    #[inline]
    fn push(&mut self, end: usize) {
        match self {
            Ends::Short(e) => match u32::try_from(end) {
                Ok(end) => e.push(end),
                Err(_) => {
                    let mut long: Vec<u64> = crate::read::memory::widened(std::mem::take(e));
                    long.push(end as u64);
                    *self = Ends::Long(long);
                }
            },
            Ends::Long(e) => e.push(end as u64),
        }
    }

    fn reserve(&mut self, additional: usize) {
        match self {
            Ends::Short(e) => crate::read::memory::reserve_huge(e, additional),
            Ends::Long(e) => crate::read::memory::reserve_huge(e, additional),
        }
    }
}

impl Ids {
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.len() == 0
    }

    /// The id of person `p`.
    pub fn get(&self, p: usize) -> &str {
        let start = if p == 0 { 0 } else { self.ends.get(p - 1) };
        &self.text[start..self.ends.get(p)]
    }

    /// All ids in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|p| self.get(p))
    }
}

/// An id's hash, computed once per record and used for both the prefetch and the lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdHash(u64);

impl IdHash {
    /// Which of `n` partitions the id belongs to (streaming mode). Uses the hash's top bits,
    /// which the table index does not.
    pub fn partition(self, n: usize) -> usize {
        ((self.0 >> 40) % n.max(1) as u64) as usize
    }
}

/// The table grows (doubles) when more than this share of slots would be full.
const MAX_LOAD: f64 = 0.7;

/// [`Ids`] with the index used while reading.
#[derive(Debug)]
pub struct IdIndex {
    ids: Ids,
    /// 0 = empty; otherwise `(hash >> 32) << 32 | (person + 1)`.
    slots: Vec<u64>,
    hasher: IdHasher,
}

/// Hashes ids the way an [`IdIndex`] does; a copy can hash on another thread.
#[derive(Debug, Clone)]
pub struct IdHasher(foldhash::fast::RandomState);

impl IdHasher {
    /// The hash of an id.
    #[inline]
    pub fn hash(&self, id: &str) -> IdHash {
        IdHash(self.0.hash_one(id))
    }
}

impl Default for IdIndex {
    fn default() -> IdIndex {
        IdIndex {
            ids: Ids::default(),
            slots: vec![0; 1024],
            // A seed per run, so no crafted file of ids can make every lookup collide; the
            // seed changes the table's layout, never the results.
            hasher: IdHasher(foldhash::fast::RandomState::default()),
        }
    }
}

impl IdIndex {
    /// The hash of an id.
    pub fn hash(&self, id: &str) -> IdHash {
        self.hasher.hash(id)
    }

    /// The index's hasher, for hashing ids ahead on other threads.
    pub fn hasher(&self) -> &IdHasher {
        &self.hasher
    }

    /// Makes room for `additional` more ids of about `bytes_each` bytes.
    pub fn reserve(&mut self, additional: usize, bytes_each: usize) {
        self.ids.ends.reserve(additional);
        crate::read::memory::reserve_huge_text(&mut self.ids.text, additional * bytes_each);
        self.grow_to(self.ids.len() + additional);
    }

    /// Asks the processor to fetch the slot where `hash` is looked up, so that a lookup a few
    /// records later does not wait for memory. Has no effect on results.
    #[inline]
    pub fn prefetch(&self, hash: IdHash) {
        #[cfg(target_arch = "x86_64")]
        {
            let slot = &self.slots[self.home(hash)] as *const u64;
            // SAFETY: a prefetch is only a hint: it never faults and reads nothing into the
            // program; the pointer is to a live element anyway. SSE is part of x86_64.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(slot.cast())
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = hash;
    }

    /// The person with this id, or a new person numbered next, with whether it was new.
    pub fn find_or_insert(&mut self, id: &str, hash: IdHash) -> (usize, bool) {
        let mask = self.slots.len() - 1;
        let tag = hash.0 & !0xffff_ffff;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            if slot & !0xffff_ffff == tag {
                let p = (slot & 0xffff_ffff) as usize - 1;
                if self.ids.get(p) == id {
                    return (p, false);
                }
            }
            i = (i + 1) & mask;
        }
        let person = self.ids.len();
        assert!(
            person < u32::MAX as usize - 1,
            "more than 4 billion people in one export"
        );
        self.ids.text.push_str(id);
        self.ids.ends.push(self.ids.text.len());
        self.slots[i] = tag | (person as u64 + 1);
        if (self.ids.len() as f64) > MAX_LOAD * self.slots.len() as f64 {
            self.grow_to(self.ids.len() * 2);
        }
        (person, true)
    }

    /// The id of person `p`.
    pub fn get(&self, p: usize) -> &str {
        self.ids.get(p)
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The ids without the index.
    pub fn into_ids(self) -> Ids {
        self.ids
    }

    fn home(&self, hash: IdHash) -> usize {
        // The low bits pick the slot; the high 32 are the tag.
        hash.0 as usize & (self.slots.len() - 1)
    }

    /// Re-lays the table so that `ids` ids stay under the maximum load.
    fn grow_to(&mut self, ids: usize) {
        let wanted = ((ids as f64 / MAX_LOAD) as usize + 1).next_power_of_two();
        if wanted <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, zeroed_slots(wanted));
        let mask = wanted - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let p = (slot & 0xffff_ffff) as usize - 1;
            let mut i = self.home(self.hash(self.ids.get(p)));
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

/// A zeroed table, backed by huge pages when large: with ten million ids every lookup lands
/// on a different 4 KiB page, and the page-table walks were what the lookups waited on.
fn zeroed_slots(n: usize) -> Vec<u64> {
    let mut slots = Vec::new();
    crate::read::memory::reserve_huge(&mut slots, n);
    slots.resize(n, 0);
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_holds_and_nothing_else() {
        let mut index = IdIndex::default();
        for id in ["007", "7", "", "P1", "ü"] {
            let (p, new) = index.find_or_insert(id, index.hash(id));
            assert!(new);
            assert_eq!(index.find_or_insert(id, index.hash(id)), (p, false));
        }
        let ids = index.into_ids();
        assert_eq!(ids.iter().collect::<Vec<_>>(), ["007", "7", "", "P1", "ü"]);
    }

    #[test]
    fn ends_past_four_gibibytes_take_eight_bytes() {
        let wanted = [3, 9, u32::MAX as usize, u32::MAX as usize + 5, 1 << 40];
        let mut ends = Ends::default();
        for end in wanted {
            ends.push(end);
        }
        assert!(matches!(ends, Ends::Long(_)));
        assert_eq!((0..5).map(|i| ends.get(i)).collect::<Vec<_>>(), wanted);
    }

    #[test]
    fn keeps_finding_while_growing() {
        let mut index = IdIndex::default();
        for round in 0..2 {
            for i in 0..50_000 {
                let id = format!("SU{i}");
                index.prefetch(index.hash(&id));
                assert_eq!(index.find_or_insert(&id, index.hash(&id)), (i, round == 0));
            }
        }
        assert_eq!(index.into_ids().len(), 50_000);
    }
}
