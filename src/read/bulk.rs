//! Keeping a whole block of plain records at once: the parallel reader's usual case.
//!
//! A wide export's block whose every record has the header's width, a non-blank id and
//! totals its worker scored without a problem needs no per-record decisions beyond the id:
//! a record is a new person or a repeat. [`Builder::keep_block`] therefore looks the ids up
//! first (prefetching slots, as [`Builder::add_batch`] does), then fills each grouping column
//! and each timepoint's scores for the new people in one loop per column, instead of going
//! through the record-by-record path with its calls to the sink per cell. The results, the
//! exclusions and their order are those of that path (a property test compares the readers).

use super::ids::IdHash;
use super::{block_code, AheadScore, Builder, CellSink, Layout};

/// A block of records for [`Builder::keep_block`], as the parallel reader's worker left it.
pub(super) struct PlainBlock<'a, F: Fn(usize) -> (&'a str, u64)> {
    /// Record `i`'s id (untrimmed) and line number.
    pub id_and_line: F,
    /// Each record's id hash (all `Some`: no id is blank), one per record.
    pub hashes: &'a [Option<IdHash>],
    /// Per record, the block-local code of each grouping column's value.
    pub group_codes: &'a [u32],
    /// The block's distinct values per grouping column.
    pub levels: &'a [Vec<String>],
    /// Per record, each total column's [`AheadScore`] (none of them `NOT_SCORED`).
    pub totals: &'a [u64],
}

/// Buffers [`Builder::keep_block`] reuses from block to block.
#[derive(Debug, Default)]
pub(super) struct BulkBuffers {
    /// Indices of the block's records that are new people, in order.
    kept: Vec<u32>,
    /// Each timepoint's totals of the new people.
    totals: [Vec<Option<f64>>; 3],
}

impl Builder {
    /// Whether blocks can be kept whole: wide layout, no `[exclude]` rules, no dates, and every
    /// timepoint with cells has a total column that workers score ahead (item responses go
    /// record by record).
    pub(super) fn keeps_whole_blocks(&self) -> bool {
        self.layout == Layout::Wide
            && self.vocabulary.exclude.is_empty()
            && self.dates.is_none()
            && (0..3).all(|t| self.cell_columns[t].is_empty() || self.ahead_slot[t].is_some())
    }

    /// Keeps a block of plain records (see the module documentation), after
    /// [`Builder::start_block`]; only when [`Builder::keeps_whole_blocks`].
    pub(super) fn keep_block<'a, F: Fn(usize) -> (&'a str, u64)>(
        &mut self,
        block: PlainBlock<'a, F>,
        sink: &mut dyn CellSink,
    ) {
        let mut buffers = std::mem::take(&mut self.bulk);
        buffers.kept.clear();
        for (i, &hash) in block.hashes.iter().enumerate() {
            if let Some(&Some(next)) = block.hashes.get(i + super::PREFETCH_AHEAD) {
                self.ids.prefetch(next);
            }
            let hash = hash.expect("a plain block's ids are not blank");
            let (id, line) = (block.id_and_line)(i);
            let id = super::trim(id);
            match self.ids.find_or_insert(id, hash) {
                (_, true) => buffers.kept.push(i as u32),
                (_, false) => self.exclude_repeat(line, id),
            }
        }
        let people = buffers.kept.len();
        self.rows_read += block.hashes.len() as u64;
        self.rows_kept += people as u64;
        let groups = self.groups.len();
        for g in 0..groups {
            let (map, levels, codes) = (
                &mut self.block_levels[g],
                &mut self.group_levels[g],
                &mut self.group_codes[g],
            );
            codes.extend(buffers.kept.iter().map(|&i| {
                let local = block.group_codes[i as usize * groups + g] as usize;
                block_code(map, levels, local, &block.levels[g])
            }));
        }
        let first = self.ids.len() - people;
        let columns = self.ahead_columns.len();
        for (totals, slot) in buffers.totals.iter_mut().zip(self.ahead_slot) {
            totals.clear();
            if let Some(slot) = slot {
                totals.extend(buffers.kept.iter().map(|&i| {
                    AheadScore::decode(block.totals[i as usize * columns + slot])
                        .expect("a plain block's totals are all scored ahead")
                }));
            }
        }
        let [a, b, c] = &buffers.totals;
        sink.people_with_totals(first, people, [a, b, c]);
        self.bulk = buffers;
    }
}
