//! Streaming mode's first pass: records go to temporary partition files chosen by a hash of
//! their id, instead of into memory. Every record of an id lands in one partition, in file
//! order, so each partition can later be read on its own exactly as the whole file would be
//! for those ids (first row kept, repeats excluded), and the partitions' counts add up to the
//! whole file's.

use super::ids::IdHash;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Where and into how many partitions the first pass writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpillTo {
    /// An empty folder for the partition files (removed by the caller).
    pub dir: PathBuf,
    /// Number of partitions.
    pub partitions: usize,
}

/// The open partition files.
pub(super) struct Spill {
    writers: Vec<BufWriter<File>>,
    paths: Vec<PathBuf>,
}

impl Spill {
    pub(super) fn create(to: &SpillTo) -> io::Result<Spill> {
        let mut writers = Vec::with_capacity(to.partitions);
        let mut paths = Vec::with_capacity(to.partitions);
        for k in 0..to.partitions.max(1) {
            let path = to.dir.join(format!("partition-{k:04}.bin"));
            writers.push(BufWriter::with_capacity(64 * 1024, File::create(&path)?));
            paths.push(path);
        }
        Ok(Spill { writers, paths })
    }

    /// Appends a record with its line. A record without an id goes to partition 0, where it
    /// is excluded as it would be in memory.
    pub(super) fn write(
        &mut self,
        record: &csv::StringRecord,
        line: u64,
        hash: Option<IdHash>,
    ) -> io::Result<()> {
        let k = hash.map_or(0, |h| h.partition(self.writers.len()));
        let w = &mut self.writers[k];
        w.write_all(&line.to_le_bytes())?;
        w.write_all(&(record.len() as u64).to_le_bytes())?;
        for field in record {
            w.write_all(&(field.len() as u64).to_le_bytes())?;
            w.write_all(field.as_bytes())?;
        }
        Ok(())
    }

    /// The partition files, written out.
    pub(super) fn finish(self) -> io::Result<Vec<PathBuf>> {
        for mut w in self.writers {
            w.flush()?;
        }
        Ok(self.paths)
    }

    /// Where partition `k` is written (for messages).
    pub(super) fn path(&self, k: usize) -> &Path {
        &self.paths[k]
    }
}

/// Reads a partition file back, handing each record and its line to `each` in file order.
pub(super) fn read_partition(
    path: &Path,
    mut each: impl FnMut(&csv::StringRecord, u64),
) -> io::Result<()> {
    let mut r = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let mut record = csv::StringRecord::new();
    let mut field = Vec::new();
    let mut word = [0u8; 8];
    loop {
        match r.read_exact(&mut word) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let line = u64::from_le_bytes(word);
        r.read_exact(&mut word)?;
        let fields = u64::from_le_bytes(word);
        record.clear();
        for _ in 0..fields {
            r.read_exact(&mut word)?;
            field.resize(u64::from_le_bytes(word) as usize, 0);
            r.read_exact(&mut field)?;
            let text = std::str::from_utf8(&field)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            record.push_field(text);
        }
        each(&record, line);
    }
}
