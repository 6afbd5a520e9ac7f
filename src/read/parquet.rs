//! Parquet input: each row becomes the record a CSV export of the file would hold, and goes
//! through the same keeping and scoring as a CSV record, so a Parquet file and its CSV export
//! give the same results. Only the columns the plan uses are decoded.
//!
//! Cells as text: a null is empty (missing), a string is itself, a number is written in the
//! shortest form that reads back to the same value (a float NaN is `NaN`, a missing code, and
//! an infinity `inf`, which is invalid), and dates, decimals and other types as parquet
//! displays them. Line numbers count as in that CSV export: the header is line 1, row `k`
//! (from 0) is line `k + 2`, counted within each file.

use super::{start_file, CellSink, Parsed, ReadOptions, Reading};
use crate::error::Error;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Whether `path` is a Parquet file: its name ends in `.parquet`, or it starts and ends with
/// the Parquet magic bytes (a CSV header may start with `PAR1`; it does not also end so).
pub fn is_parquet(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    by_name || {
        let (mut head, mut tail) = ([0u8; 4], [0u8; 4]);
        std::fs::File::open(path)
            .and_then(|mut f| {
                f.read_exact(&mut head)?;
                f.seek(SeekFrom::End(-4))?;
                f.read_exact(&mut tail)
            })
            .is_ok_and(|()| &head == b"PAR1" && &tail == b"PAR1")
    }
}

/// Reads one Parquet file into the shared state, as `parse_file` does for CSV.
pub(super) fn parse_parquet(
    path: &Path,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    first_line: u64,
    combined: Option<Sha256>,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, Error> {
    let input_error = |message: String| Error::input(path, message);
    let (bytes, sha256, combined) = hash_file(path, combined)?;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| input_error(format!("not a readable Parquet file: {e}")))?;
    let metadata = reader.metadata().file_metadata();
    let schema = metadata.schema();
    let fields = schema.get_fields();
    let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    let rows_in_file = metadata.num_rows().max(0) as u64;
    // The delimiter is a CSV notion; summary.json records the format per file instead.
    start_file(names, path, options, state, b',')?;
    let Reading {
        builder,
        spill,
        rows: read_so_far,
        ..
    } = state.as_mut().expect("start_file sets the state or fails");
    // The footer's row count sizes the tables, but a damaged footer must not make them huge:
    // no more rows than bytes (all-null columns compress to almost nothing, so no fewer).
    builder.reserve(rows_in_file.min(bytes) as usize, 16, sink);

    // Every column is decoded: a row is blank (skipped, as in the CSV export) only when all
    // of its cells are, the ones the plan does not read included.
    let projection = Type::group_type_builder(schema.name())
        .with_fields(fields.to_vec())
        .build()
        .map_err(|e| input_error(format!("cannot read the columns: {e}")))?;
    let rows = reader
        .get_row_iter(Some(projection))
        .map_err(|e| input_error(format!("cannot read rows: {e}")))?;

    let mut cell = String::new();
    let mut record = csv::StringRecord::new();
    let mut count = 0u64;
    for row in rows {
        let row =
            row.map_err(|e| input_error(format!("line {}: cannot read the row: {e}", count + 2)))?;
        record.clear();
        for (_, field) in row.get_column_iter() {
            cell.clear();
            write_field(field, &mut cell);
            record.push_field(&cell);
        }
        let line = first_line + count + 2;
        count += 1;
        if super::is_blank(&record) {
            continue; // what a CSV export would write as a blank record
        }
        *read_so_far += 1;
        if let Some(max) = options.max_rows.filter(|&max| *read_so_far > max) {
            return Err(input_error(super::too_many_rows(max)));
        }
        let hash = builder.id_hash(&record);
        match spill.as_mut() {
            Some(spill) => spill
                .write(&record, line, hash)
                .map_err(|e| Error::io(spill.path(0), e))?,
            None => builder.add(&record, line, hash, None, sink),
        }
        if count % 65_536 == 0 {
            progress(bytes * count / rows_in_file.max(1));
        }
    }
    Ok(Parsed {
        lines: count + 1,
        bytes,
        sha256,
        combined,
    })
}

/// Size and SHA-256 of the file (and the running digest over several files).
fn hash_file(
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

/// A value as the text a CSV export would hold (see the module documentation).
fn write_field(field: &Field, out: &mut String) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = match field {
        Field::Null => Ok(()),
        Field::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        Field::Bytes(b) => {
            out.push_str(&String::from_utf8_lossy(b.data()));
            Ok(())
        }
        Field::Float(v) => write!(out, "{v}"),
        Field::Double(v) => write!(out, "{v}"),
        Field::Float16(v) => write!(out, "{}", f32::from(*v)),
        other => write!(out, "{other}"),
    };
}
