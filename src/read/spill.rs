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
    records: Vec<u64>,
    scratch: Vec<u8>,
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
        let records = vec![0; writers.len()];
        Ok(Spill {
            writers,
            paths,
            records,
            scratch: Vec::new(),
        })
    }

    /// Appends a record with its line. A record without an id goes to partition 0, where it
    /// is excluded as it would be in memory.
    pub(super) fn write(
        &mut self,
        record: &impl super::Fields,
        line: u64,
        hash: Option<IdHash>,
    ) -> io::Result<()> {
        let k = hash.map_or(0, |h| h.partition(self.writers.len()));
        // Numbers as LEB128 varints: a record's framing is a few bytes, not dozens.
        let out = &mut self.scratch;
        out.clear();
        put_varint(out, line);
        put_varint(out, record.count() as u64);
        for i in 0..record.count() {
            let field = record.field(i);
            put_varint(out, field.len() as u64);
            out.extend_from_slice(field.as_bytes());
        }
        self.records[k] += 1;
        self.writers[k].write_all(out)
    }

    /// The partition files, written out, with how many records each holds.
    pub(super) fn finish(self) -> io::Result<Vec<(PathBuf, u64)>> {
        for mut w in self.writers {
            w.flush()?;
        }
        Ok(self.paths.into_iter().zip(self.records).collect())
    }

    /// Where partition `k` is written (for messages).
    pub(super) fn path(&self, k: usize) -> &Path {
        &self.paths[k]
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A varint, or `None` at a clean end of the file.
fn get_varint(r: &mut impl Read) -> io::Result<Option<u64>> {
    let mut v = 0u64;
    let mut byte = [0u8; 1];
    for shift in (0..64).step_by(7) {
        if r.read(&mut byte)? == 0 {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        v |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] < 0x80 {
            return Ok(Some(v));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "varint too long",
    ))
}

/// Reads a partition file back in batches of up to `batch` records with their lines, in file
/// order, handing each batch to `each`.
pub(super) fn read_partition(
    path: &Path,
    batch: usize,
    mut each: impl FnMut(&[(csv::StringRecord, u64)]),
) -> io::Result<()> {
    let truncated = || io::Error::from(io::ErrorKind::UnexpectedEof);
    let mut r = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let mut records: Vec<(csv::StringRecord, u64)> =
        (0..batch).map(|_| (csv::StringRecord::new(), 0)).collect();
    let mut field = Vec::new();
    loop {
        let mut filled = 0;
        while filled < batch {
            let Some(line) = get_varint(&mut r)? else {
                break;
            };
            let fields = get_varint(&mut r)?.ok_or_else(truncated)?;
            let (record, at) = &mut records[filled];
            record.clear();
            *at = line;
            for _ in 0..fields {
                let len = get_varint(&mut r)?.ok_or_else(truncated)?;
                field.resize(len as usize, 0);
                r.read_exact(&mut field)?;
                let text = std::str::from_utf8(&field)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                record.push_field(text);
            }
            filled += 1;
        }
        each(&records[..filled]);
        if filled < batch {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let to = SpillTo {
            dir: dir.path().to_path_buf(),
            partitions: 1,
        };
        let mut spill = Spill::create(&to).expect("create");
        let written: Vec<(csv::StringRecord, u64)> = (0..1000u64)
            .map(|i| {
                let fields = [
                    "P1",
                    "",
                    "ü, \"quoted\"\nline",
                    &"x".repeat(i as usize % 300),
                ];
                (
                    csv::StringRecord::from(&fields[..(i % 5) as usize]),
                    i * 1000 + 2,
                )
            })
            .collect();
        for (record, line) in &written {
            spill.write(record, *line, None).expect("write");
        }
        let files = spill.finish().expect("finish");
        assert_eq!(files[0].1, 1000);
        let mut read = Vec::new();
        read_partition(&files[0].0, 64, |batch| read.extend_from_slice(batch)).expect("read");
        assert_eq!(read, written);
    }
}
