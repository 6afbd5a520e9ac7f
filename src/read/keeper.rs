//! Records of a file that is not CSV (Parquet, a workbook), each given as the record a CSV
//! export of the file would hold, kept as that export's records would be: blank records
//! skipped, `--max-rows` counted, written to partitions in streaming mode. And the file's
//! checksum, which such readers take over the bytes before decoding them.

use super::{CellSink, ReadOptions};
use crate::error::Error;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Where a record of a Parquet file or a workbook goes, whichever way it was decoded.
pub(super) struct Keeper<'a> {
    builder: &'a mut super::Builder,
    /// Streaming mode's partitions, which take every non-blank record.
    spill: Option<&'a mut super::spill::Spill>,
    /// Non-blank records of the run so far, for `--max-rows`.
    read_so_far: &'a mut u64,
    max_rows: Option<u64>,
    sink: &'a mut dyn CellSink,
    hashes: Vec<Option<super::ids::IdHash>>,
    path: &'a Path,
}

impl<'a> Keeper<'a> {
    /// Keeps into the reading state's builder (or its partitions in streaming mode).
    pub(super) fn new(
        builder: &'a mut super::Builder,
        spill: Option<&'a mut super::spill::Spill>,
        read_so_far: &'a mut u64,
        options: &ReadOptions,
        sink: &'a mut dyn CellSink,
        path: &'a Path,
    ) -> Keeper<'a> {
        Keeper {
            builder,
            spill,
            read_so_far,
            max_rows: options.max_rows,
            sink,
            hashes: Vec::new(),
            path,
        }
    }

    /// Keeps records (with their line numbers) in order, skipping blank ones as a CSV
    /// export's blank records are skipped.
    pub(super) fn keep<R: super::Fields>(
        &mut self,
        records: impl Iterator<Item = (R, u64)> + Clone,
    ) -> Result<(), Error> {
        let records = records.filter(|(record, _)| !super::is_blank(record));
        for _ in records.clone() {
            *self.read_so_far += 1;
            if let Some(max) = self.max_rows.filter(|&max| *self.read_so_far > max) {
                return Err(Error::input(self.path, super::too_many_rows(max)));
            }
        }
        match self.spill.as_deref_mut() {
            Some(spill) => {
                for (record, line) in records {
                    let hash = self.builder.id_hash(&record);
                    spill
                        .write(&record, line, hash)
                        .map_err(|e| Error::io(spill.path(0), e))?;
                }
            }
            None => self
                .builder
                .hash_and_add(records, &mut self.hashes, self.sink),
        }
        Ok(())
    }
}

/// Size and SHA-256 of the file (and the running digest over several files).
pub(super) fn hash_file(
    path: &Path,
    mut combined: Option<Sha256>,
) -> Result<(u64, String, Option<Sha256>), Error> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        if let Some(c) = combined.as_mut() {
            c.update(&buffer[..n]);
        }
        bytes += n as u64;
    }
    Ok((bytes, format!("{:x}", hasher.finalize()), combined))
}
