//! Parquet input: each row becomes the record a CSV export of the file would hold, and goes
//! through the same keeping and scoring as a CSV record, so a Parquet file and its CSV export
//! give the same results. Every column is decoded: a row is blank only if all its cells are.
//!
//! Cells as text: a null is empty (missing), a string is itself, a number is written in the
//! shortest form that reads back to the same value (a float NaN is `NaN`, a missing code, and
//! an infinity `inf`, which is invalid), and dates, decimals and other types as parquet
//! displays them. Line numbers count as in that CSV export: the header is line 1, row `k`
//! (from 0) is line `k + 2`, counted within each file.

use super::keeper::{hash_file, Keeper};
use super::{start_file, CellSink, Parsed, ReadOptions, Reading};
use crate::error::Error;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;
use sha2::Sha256;
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
    let mut keeper = Keeper::new(builder, spill.as_mut(), read_so_far, options, sink, path);
    if let Some(kinds) = flat_columns(metadata.schema_descr()) {
        let mut keep = |batch: &Columns, first: u64| {
            keeper.keep((0..batch.rows).map(|row| (Row { batch, row }, first + row as u64)))
        };
        // One thread decodes batches while this one keeps the previous batch's records.
        let (batches_tx, batches) = std::sync::mpsc::sync_channel::<(Columns, u64)>(2);
        let (spare_tx, spare) = std::sync::mpsc::channel::<Columns>();
        let (decoded, kept) = std::thread::scope(|scope| {
            let (reader, kinds) = (&reader, &kinds);
            let decoder = scope.spawn(move || {
                read_columns(
                    reader,
                    kinds,
                    first_line,
                    BATCH,
                    &spare,
                    &mut |batch, first| batches_tx.send((batch, first)).is_ok(),
                )
            });
            let (mut kept, mut count) = (Ok(()), 0u64);
            for (batch, first) in batches.iter() {
                kept = keep(&batch, first);
                if kept.is_err() {
                    break;
                }
                count += batch.rows as u64;
                progress(bytes * count / rows_in_file.max(1));
                let _ = spare_tx.send(batch);
            }
            drop(batches);
            let decoded = decoder
                .join()
                .expect("the decoding thread only decodes and does not panic");
            (decoded, kept)
        });
        kept?;
        let count = decoded
            .map_err(|(line, e)| input_error(format!("line {line}: cannot read the row: {e}")))?;
        return Ok(Parsed {
            lines: count + 1,
            bytes,
            sha256,
            combined,
        });
    }
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
        keeper.keep(std::iter::once((&record, line)))?;
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

/// A value as the text a CSV export would hold (see the module documentation).
pub(super) fn write_field(field: &Field, out: &mut String) {
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

/// How a flat column's values become text, as the row API's fields do (see
/// [`write_field`]): the column types of ordinary exports. A file with any other column
/// (dates, decimals, nested or repeated fields) is read row by row.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Bool,
    Int32,
    Int64,
    Float,
    Double,
    /// UTF8, ENUM or JSON byte arrays: text, which must be UTF-8.
    Text,
    /// Other byte arrays: bytes, as text with invalid sequences replaced.
    Bytes,
}

/// Each column's [`Kind`] and most definition level, if every column is a flat,
/// non-repeated column of one.
fn flat_columns(schema: &parquet::schema::types::SchemaDescriptor) -> Option<Vec<(Kind, i16)>> {
    use parquet::basic::{ConvertedType as C, Repetition, Type as Physical};
    if schema.num_columns() != schema.root_schema().get_fields().len() {
        return None; // nested groups
    }
    schema
        .root_schema()
        .get_fields()
        .iter()
        .zip(schema.columns())
        .map(|(field, column)| {
            let info = field.get_basic_info();
            if !field.is_primitive()
                || info.has_repetition() && info.repetition() == Repetition::REPEATED
            {
                return None;
            }
            let converted = info.converted_type();
            Some(match (field.get_physical_type(), converted) {
                (Physical::BOOLEAN, _) => Kind::Bool,
                (Physical::INT32, C::NONE | C::INT_32) => Kind::Int32,
                (Physical::INT64, C::NONE | C::INT_64) => Kind::Int64,
                (Physical::FLOAT, _) => Kind::Float,
                (Physical::DOUBLE, _) => Kind::Double,
                (Physical::BYTE_ARRAY, C::UTF8 | C::ENUM | C::JSON) => Kind::Text,
                (Physical::BYTE_ARRAY, C::NONE | C::BSON) => Kind::Bytes,
                _ => return None,
            })
            .map(|kind| (kind, column.max_def_level()))
        })
        .collect()
}

/// Rows decoded per batch: bounds the memory of a row group of any size.
const BATCH: usize = 1 << 16;

/// A batch of rows, column by column, each cell as text.
struct Columns {
    /// Per column: the cells' text and where each ends.
    cells: Vec<(String, Vec<u32>)>,
    rows: usize,
}

/// Row `row` of a batch: the record a CSV export would hold.
#[derive(Clone, Copy)]
struct Row<'a> {
    batch: &'a Columns,
    row: usize,
}

impl super::Fields for Row<'_> {
    fn count(&self) -> usize {
        self.batch.cells.len()
    }

    #[inline]
    fn field(&self, i: usize) -> &str {
        let (text, ends) = &self.batch.cells[i];
        let start = match self.row {
            0 => 0,
            r => ends[r - 1] as usize,
        };
        &text[start..ends[self.row] as usize]
    }
}

/// Reads every row group column by column, a batch of rows at a time, and hands each batch
/// to `send` with the line number of its first row (`first_line` lines before the file;
/// each row is the record a CSV export would hold), reusing the batches that come back on
/// `spare`; the number of rows, or the line within the file where decoding failed and why
/// (after sending the rows before it, so that whatever keeping them says comes first, as
/// row by row). Stops early when `send` says no. With the records kept on another thread,
/// about 4 times as fast as the row API, which builds every row's fields; and a batch lets
/// the id lookups be prefetched.
fn read_columns(
    reader: &SerializedFileReader<std::fs::File>,
    kinds: &[(Kind, i16)],
    first_line: u64,
    batch_rows: usize,
    spare: &std::sync::mpsc::Receiver<Columns>,
    send: &mut dyn FnMut(Columns, u64) -> bool,
) -> Result<u64, (u64, String)> {
    use parquet::column::reader::ColumnReader;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut count = 0u64;
    let mut levels: Vec<i16> = Vec::new();
    for g in 0..reader.num_row_groups() {
        let failed =
            |count: u64| move |e: parquet::errors::ParquetError| (count + 2, e.to_string());
        let group = reader.get_row_group(g).map_err(failed(count))?;
        let rows = group.metadata().num_rows().max(0) as u64;
        let mut columns: Vec<ColumnReader> = (0..kinds.len())
            .map(|c| group.get_column_reader(c))
            .collect::<Result<_, _>>()
            .map_err(failed(count))?;
        let mut done = 0u64;
        while done < rows {
            let mut limit = (rows - done).min(batch_rows as u64) as usize;
            let mut batch = spare.try_recv().unwrap_or_else(|_| Columns {
                cells: kinds.iter().map(|_| (String::new(), Vec::new())).collect(),
                rows: 0,
            });
            // The first row (then column) that cannot be decoded, and why.
            let mut failure: Option<(usize, String)> = None;
            for (c, ((column, kind), (text, ends))) in columns
                .iter_mut()
                .zip(kinds)
                .zip(&mut batch.cells)
                .enumerate()
            {
                text.clear();
                ends.clear();
                let problem = match read_text(
                    column,
                    *kind,
                    &schema.column(c),
                    limit,
                    &mut levels,
                    text,
                    ends,
                ) {
                    Ok(got) if got == limit => continue,
                    Ok(got) => (
                        got,
                        format!(
                            "a column ends after {} of the row group's {rows} rows",
                            done + got as u64
                        ),
                    ),
                    Err(problem) => problem,
                };
                if failure.as_ref().is_none_or(|(row, _)| problem.0 < *row) {
                    limit = problem.0;
                    failure = Some(problem);
                }
            }
            // Every column as far as the first failure.
            for (text, ends) in &mut batch.cells {
                ends.truncate(limit);
                text.truncate(ends.last().map_or(0, |&end| end as usize));
            }
            batch.rows = limit;
            if limit > 0 && !send(batch, first_line + count + 2) {
                return Ok(count);
            }
            count += limit as u64;
            done += limit as u64;
            if let Some((_, why)) = failure {
                return Err((count + 2, why));
            }
        }
    }
    Ok(count)
}

/// Reads up to `want` rows of one column as text into `text` and `ends` (which the row API
/// would give; see [`write_field`]): how many it read, or how many it had written when it
/// failed and why, in the row API's words.
fn read_text(
    column: &mut parquet::column::reader::ColumnReader,
    (kind, max_def): (Kind, i16),
    descr: &parquet::schema::types::ColumnDescPtr,
    want: usize,
    levels: &mut Vec<i16>,
    text: &mut String,
    ends: &mut Vec<u32>,
) -> Result<usize, (usize, String)> {
    use parquet::column::reader::ColumnReader as R;
    use parquet::data_type::ByteArray;
    use std::fmt::Write;
    /// Reads the rows' values and definition levels (a null has a level below the most),
    /// then writes each row's cell: empty for a null, else `write` of the next value.
    fn rows<T>(
        read: impl FnOnce(&mut Vec<i16>, &mut Vec<T>) -> parquet::errors::Result<(usize, usize, usize)>,
        max_def: i16,
        levels: &mut Vec<i16>,
        text: &mut String,
        ends: &mut Vec<u32>,
        mut write: impl FnMut(&T, &mut String) -> Result<(), String>,
    ) -> Result<usize, (usize, String)> {
        let mut values = Vec::new();
        levels.clear();
        let (records, _, read_levels) =
            read(levels, &mut values).map_err(|e| (0, e.to_string()))?;
        if max_def > 0 && read_levels != records {
            return Err((
                0,
                format!("{records} rows but {read_levels} definition levels"),
            ));
        }
        let mut next = values.iter();
        // A required column (no levels) has a value in every row; an optional one where its
        // level is the most it can be (a lower level is a null).
        let defined = if max_def == 0 { 0 } else { read_levels };
        let present = levels[..defined]
            .iter()
            .map(|&level| level == max_def)
            .chain(std::iter::repeat(true));
        for present in present.take(records) {
            let failed = |why: String| (ends.len(), why);
            if present {
                let value = next
                    .next()
                    .ok_or_else(|| failed("fewer values than rows that have one".into()))?;
                write(value, text).map_err(failed)?;
            }
            let end = u32::try_from(text.len())
                .map_err(|_| failed("a batch of cells over 4 GiB".into()))?;
            ends.push(end);
        }
        Ok(records)
    }
    let number = |out: &mut String, v: f64| {
        // Whole numbers print as the integer they are (f64's Display gives the same digits).
        if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
            let _ = write!(out, "{}", v as i64);
        } else {
            let _ = write!(out, "{v}");
        }
    };
    macro_rules! column {
        ($reader:expr, |$value:ident: &$ty:ty, $out:ident| $write:expr) => {
            rows(
                |l, v| $reader.read_records(want, Some(l), None, v),
                max_def,
                levels,
                text,
                ends,
                |$value: &$ty, $out: &mut String| $write,
            )
        };
    }
    match (column, kind) {
        // The row API's fields for these kinds (see `flat_columns`), written as it writes them.
        (R::BoolColumnReader(c), _) => column!(c, |b: &bool, out| {
            write_field(&Field::Bool(*b), out);
            Ok(())
        }),
        (R::Int32ColumnReader(c), _) => column!(c, |i: &i32, out| {
            write_field(&Field::Int(*i), out);
            Ok(())
        }),
        (R::Int64ColumnReader(c), _) => column!(c, |i: &i64, out| {
            write_field(&Field::Long(*i), out);
            Ok(())
        }),
        (R::FloatColumnReader(c), _) => column!(c, |x: &f32, out| {
            write_field(&Field::Float(*x), out);
            Ok(())
        }),
        // What write_field does for Field::Double, faster for whole numbers.
        (R::DoubleColumnReader(c), _) => column!(c, |x: &f64, out| {
            number(out, *x);
            Ok(())
        }),
        (R::ByteArrayColumnReader(c), Kind::Text) => column!(c, |b: &ByteArray, out| {
            match std::str::from_utf8(b.data()) {
                Ok(text) => {
                    out.push_str(text);
                    Ok(())
                }
                // The row API's own error, so the message is the same either way.
                Err(_) => Err(Field::convert_byte_array(descr, b.clone())
                    .err()
                    .map_or_else(|| "a text value is not UTF-8".into(), |e| e.to_string())),
            }
        }),
        (R::ByteArrayColumnReader(c), _) => column!(c, |b: &ByteArray, out| {
            write_field(&Field::Bytes(b.clone()), out);
            Ok(())
        }),
        _ => Err((0, "a column's type changed between row groups".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Fields;
    use super::*;
    use parquet::data_type::{
        BoolType, ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type,
    };
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    /// Row `i`'s value of column `c`, `None` for a null (required columns have none).
    fn value<T: Clone>(cycle: &[T], i: usize, c: usize, required: bool) -> Option<T> {
        (required || (i + c) % 7 != 0).then(|| cycle[(i * 7 + c) % cycle.len()].clone())
    }

    /// A file of every flat column type, awkward values and nulls, in row groups of 120.
    fn write_all_kinds(path: &Path, rows: usize) {
        let schema = parse_message_type(
            "message m {
                OPTIONAL BOOLEAN b;
                OPTIONAL INT32 i32;
                REQUIRED INT64 i64;
                OPTIONAL FLOAT f;
                OPTIONAL DOUBLE d;
                OPTIONAL BYTE_ARRAY s (UTF8);
                OPTIONAL BYTE_ARRAY raw;
            }",
        )
        .expect("schema");
        let file = std::fs::File::create(path).expect("file");
        let mut writer =
            SerializedFileWriter::new(file, Arc::new(schema), Default::default()).expect("writer");
        let doubles = [
            7.0,
            -0.0,
            0.1,
            1e300,
            -2.5e-7,
            f64::NAN,
            f64::INFINITY,
            9.0e15,
            12345678.9,
            3.0,
        ];
        let floats = [7.0f32, 0.1, -0.0, f32::NAN, 1e-20, 3.5e12];
        let ints = [0i64, -1, 7, i64::MAX, i64::MIN, -99];
        let texts = ["Leeds", "", "  ", "\u{e9}t\u{e9}", "NA", "7"];
        let raw: [&[u8]; 3] = [b"ok", b"\xff\xfe", b""];
        for start in (0..rows).step_by(120) {
            let group: Vec<usize> = (start..(start + 120).min(rows)).collect();
            let mut rg = writer.next_row_group().expect("row group");
            let mut c = 0;
            while let Some(mut col) = rg.next_column().expect("column") {
                let defs: Vec<i16> = group
                    .iter()
                    .map(|&i| i16::from(value(&[()], i, c, c == 2).is_some()))
                    .collect();
                macro_rules! write {
                    ($ty:ty, $cycle:expr, $required:expr) => {{
                        let values: Vec<_> = group
                            .iter()
                            .filter_map(|&i| value(&$cycle, i, c, $required))
                            .collect();
                        let defs = (!$required).then_some(&defs[..]);
                        col.typed::<$ty>()
                            .write_batch(&values, defs, None)
                            .expect("values");
                    }};
                }
                match c {
                    0 => write!(BoolType, [true, false], false),
                    1 => write!(Int32Type, ints.map(|i| i as i32), false),
                    2 => write!(Int64Type, ints, true),
                    3 => write!(FloatType, floats, false),
                    4 => write!(DoubleType, doubles, false),
                    5 => write!(ByteArrayType, texts.map(ByteArray::from), false),
                    _ => write!(
                        ByteArrayType,
                        raw.map(|b| ByteArray::from(b.to_vec())),
                        false
                    ),
                }
                col.close().expect("close column");
                c += 1;
            }
            rg.close().expect("close row group");
        }
        writer.close().expect("close file");
    }

    #[test]
    fn columns_decode_to_the_row_apis_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kinds.parquet");
        write_all_kinds(&path, 300);
        let reader =
            SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("parquet");
        let mut by_rows = Vec::new();
        for row in reader.get_row_iter(None).expect("rows") {
            let mut cells = Vec::new();
            for (_, field) in row.expect("row").get_column_iter() {
                let mut cell = String::new();
                write_field(field, &mut cell);
                cells.push(cell);
            }
            by_rows.push(cells);
        }
        let kinds = flat_columns(reader.metadata().file_metadata().schema_descr())
            .expect("every column is flat");
        let (_, spare) = std::sync::mpsc::channel();
        let mut by_columns: Vec<Vec<String>> = Vec::new();
        let mut lines = Vec::new();
        // Batches of 7 rows cross the row groups' boundaries at different places.
        let count = read_columns(&reader, &kinds, 10, 7, &spare, &mut |batch, first| {
            for row in 0..batch.rows {
                let record = Row { batch: &batch, row };
                by_columns.push(
                    (0..kinds.len())
                        .map(|i| record.field(i).to_string())
                        .collect(),
                );
                lines.push(first + row as u64);
            }
            true
        })
        .expect("decodes");
        assert_eq!(count, 300);
        assert_eq!(lines, (12..312).collect::<Vec<u64>>());
        assert_eq!(by_columns, by_rows);
        let doubles: std::collections::BTreeSet<&str> =
            by_rows.iter().map(|r| r[4].as_str()).collect();
        assert_eq!(doubles.len(), 11, "every double and null: {doubles:?}");
    }

    #[test]
    fn a_text_value_that_is_not_utf8_fails_where_and_as_the_row_api_fails() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.parquet");
        let schema =
            parse_message_type("message m { OPTIONAL BYTE_ARRAY id (UTF8); REQUIRED INT32 n; }")
                .expect("schema");
        let file = std::fs::File::create(&path).expect("file");
        let mut writer =
            SerializedFileWriter::new(file, Arc::new(schema), Default::default()).expect("writer");
        for start in (0..300).step_by(120) {
            let rows: Vec<usize> = (start..(start + 120).min(300)).collect();
            let mut rg = writer.next_row_group().expect("row group");
            let mut col = rg.next_column().expect("column").expect("id");
            let ids: Vec<ByteArray> = rows
                .iter()
                .map(|&i| match i {
                    150 => ByteArray::from(vec![b'P', 0xff]),
                    _ => ByteArray::from(format!("P{i}").as_str()),
                })
                .collect();
            col.typed::<ByteArrayType>()
                .write_batch(&ids, Some(&vec![1; rows.len()]), None)
                .expect("ids");
            col.close().expect("close");
            let mut col = rg.next_column().expect("column").expect("n");
            let n: Vec<i32> = rows.iter().map(|&i| i as i32).collect();
            col.typed::<Int32Type>()
                .write_batch(&n, None, None)
                .expect("n");
            col.close().expect("close");
            rg.close().expect("close row group");
        }
        writer.close().expect("close file");
        let reader =
            SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("parquet");
        let mut good = 0u64;
        let row_api = reader
            .get_row_iter(None)
            .expect("rows")
            .find_map(|row| match row {
                Ok(_) => {
                    good += 1;
                    None
                }
                Err(e) => Some(e.to_string()),
            })
            .expect("the row API fails");
        assert_eq!(good, 150);
        let kinds = flat_columns(reader.metadata().file_metadata().schema_descr()).expect("flat");
        let (_, spare) = std::sync::mpsc::channel();
        let mut sent = 0;
        let failure = read_columns(&reader, &kinds, 1000, 64, &spare, &mut |batch, _| {
            sent += batch.rows;
            true
        });
        // The rows before the bad one are kept first; the line counts within the file.
        assert_eq!(sent, 150);
        assert_eq!(failure, Err((152, row_api)));
    }

    #[test]
    fn other_column_types_go_row_by_row() {
        for column in [
            "OPTIONAL INT32 visit (DATE);",
            "REPEATED INT32 scores;",
            "OPTIONAL FIXED_LEN_BYTE_ARRAY (4) x;",
        ] {
            let schema = parse_message_type(&format!(
                "message m {{ OPTIONAL BYTE_ARRAY id (UTF8); {column} }}"
            ))
            .expect("schema");
            let descriptor = parquet::schema::types::SchemaDescriptor::new(Arc::new(schema));
            assert!(flat_columns(&descriptor).is_none(), "{column}");
        }
    }
}
