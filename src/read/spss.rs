//! SPSS data files (.sav, and .zsav with zlib compression), read with the pure-Rust `ambers`
//! crate: each case becomes the record that the file's CSV export would hold, and goes through
//! the same keeping and scoring as a CSV record.
//!
//! What SPSS keeps besides values is applied as an SPSS user expects: system-missing and
//! user-missing values (discrete or ranges, as declared per variable) are missing; a
//! grouping column with value labels reads as its labels (`1` → `Leeds`; a code with no label
//! reads as the code), every other column as its codes (a labelled UCLA item is its number);
//! dates read as ISO dates. Line numbers count as in that CSV export (the header is line 1, case
//! `k` from 1 is line `k + 1`); messages name the case, and a variable's label beside its name.

use super::keeper::{hash_file, Keeper};
use super::{start_file, CellSink, Parsed, ReadOptions, Reading};
use crate::error::Error;
use ambers::{MissingSpec, Value};
use arrow::array::{
    Array, Date32Array, DurationMicrosecondArray, Float64Array, StringArray, StringViewArray,
    TimestampMicrosecondArray,
};
use sha2::Sha256;
use std::fmt::Write;
use std::path::Path;

/// Whether `path` names an SPSS data file (`.sav` or `.zsav`).
pub fn is_spss(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("sav") || e.eq_ignore_ascii_case("zsav"))
}

/// How one variable's values become text.
struct Variable {
    /// Declared user-missing values.
    missing: Vec<MissingSpec>,
    /// Value labels to read instead of codes (grouping columns only).
    labels: Vec<(Value, String)>,
}

impl Variable {
    fn is_missing_number(&self, v: f64) -> bool {
        self.missing.iter().any(|spec| match spec {
            MissingSpec::Value(m) => *m == v,
            MissingSpec::Range { lo, hi } => *lo <= v && v <= *hi,
            MissingSpec::StringValue(_) => false,
        })
    }

    fn is_missing_text(&self, s: &str) -> bool {
        self.missing
            .iter()
            .any(|spec| matches!(spec, MissingSpec::StringValue(m) if m.trim_end() == s))
    }

    fn number(&self, v: f64, out: &mut String) {
        if self.is_missing_number(v) {
            return;
        }
        let label = self
            .labels
            .iter()
            .find(|(value, _)| matches!(value, Value::Numeric(x) if *x == v));
        let _ = match label {
            Some((_, label)) => write!(out, "{label}"),
            None => write!(out, "{v}"),
        };
    }

    fn text(&self, s: &str, out: &mut String) {
        // SPSS pads strings with spaces to the variable's width.
        let s = s.trim_end();
        if self.is_missing_text(s) {
            return;
        }
        let label = self
            .labels
            .iter()
            .find(|(value, _)| matches!(value, Value::String(x) if x.trim_end() == s));
        out.push_str(label.map_or(s, |(_, l)| l.as_str()));
    }
}

/// Reads one SPSS file into the shared state, as `parse_file` does for CSV.
/// With the file it returns its variables' labels, for messages.
pub(super) fn parse_sav(
    path: &Path,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    first_line: u64,
    combined: Option<Sha256>,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<(Parsed, Vec<(String, String)>), Error> {
    let unreadable =
        |e: ambers::error::SpssError| Error::input(path, format!("not a readable SPSS file: {e}"));
    let (bytes, sha256, combined) = hash_file(path, combined)?;
    let mut scanner = ambers::scan_sav(path).map_err(unreadable)?;
    let meta = scanner.metadata().clone();
    let names = meta.variable_names.clone();
    start_file(names.clone(), path, options, state, b',')?;
    let Reading {
        builder,
        spill,
        rows: read_so_far,
        plan,
        ..
    } = state.as_mut().expect("start_file sets the state or fails");
    let variables: Vec<Variable> = names
        .iter()
        .enumerate()
        .map(|(c, name)| Variable {
            missing: meta
                .variable_missing_values
                .get(name)
                .cloned()
                .unwrap_or_default(),
            labels: match plan.groups.contains(&c) {
                true => meta
                    .variable_value_labels
                    .get(name)
                    .map(|l| l.iter().map(|(v, s)| (v.clone(), s.clone())).collect())
                    .unwrap_or_default(),
                false => Vec::new(),
            },
        })
        .collect();
    let cases = meta.number_rows.unwrap_or(0).max(0) as u64;
    builder.reserve(cases.min(bytes) as usize, 16, sink);
    let mut keeper = Keeper::new(builder, spill.as_mut(), read_so_far, options, sink, path);
    let mut count = 0u64;
    let mut records: Vec<csv::StringRecord> = Vec::new();
    let mut text = String::new();
    while let Some(batch) = scanner.next_batch().map_err(unreadable)? {
        let rows = batch.num_rows();
        records.resize_with(rows, csv::StringRecord::new);
        for record in &mut records[..rows] {
            record.clear();
        }
        for (c, variable) in variables.iter().enumerate() {
            let column = batch.column(c);
            for (row, record) in records[..rows].iter_mut().enumerate() {
                text.clear();
                if !column.is_null(row) {
                    write_value(column.as_ref(), row, variable, &mut text)
                        .map_err(|kind| Error::input(path, format!("column {}: values of type {kind} are not read; export it as text or numbers", names[c])))?;
                }
                record.push_field(&text);
            }
        }
        let first = first_line + count + 2;
        keeper.keep(
            records[..rows]
                .iter()
                .enumerate()
                .map(|(k, r)| (r, first + k as u64)),
        )?;
        count += rows as u64;
        progress(bytes * count / cases.max(1));
    }
    let labels = names
        .iter()
        .filter_map(|n| Some((n.clone(), meta.label(n)?.to_string())))
        .collect();
    Ok((
        Parsed {
            lines: count + 1,
            bytes,
            sha256,
            combined,
        },
        labels,
    ))
}

/// Writes the value at `row` of `column`; `Err` names a type this reader does not take.
fn write_value(
    column: &dyn Array,
    row: usize,
    variable: &Variable,
    out: &mut String,
) -> Result<(), String> {
    let any = column.as_any();
    if let Some(a) = any.downcast_ref::<Float64Array>() {
        variable.number(a.value(row), out);
    } else if let Some(a) = any.downcast_ref::<StringViewArray>() {
        variable.text(a.value(row), out);
    } else if let Some(a) = any.downcast_ref::<StringArray>() {
        variable.text(a.value(row), out);
    } else if let Some(a) = any.downcast_ref::<Date32Array>() {
        let (y, m, d) = civil_from_days(i64::from(a.value(row)));
        let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    } else if let Some(a) = any.downcast_ref::<TimestampMicrosecondArray>() {
        let micros = a.value(row);
        let (days, rest) = (
            micros.div_euclid(86_400_000_000),
            micros.rem_euclid(86_400_000_000),
        );
        let (y, m, d) = civil_from_days(days);
        let seconds = rest / 1_000_000;
        let _ = write!(out, "{y:04}-{m:02}-{d:02}");
        if rest != 0 {
            let _ = write!(
                out,
                " {:02}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            );
        }
    } else if let Some(a) = any.downcast_ref::<DurationMicrosecondArray>() {
        let _ = write!(out, "{}", a.value(row) as f64 / 1e6);
    } else {
        return Err(column.data_type().to_string());
    }
    Ok(())
}

/// The (year, month, day) of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The variable names, their labels and up to `max_rows` cases as text (codes, not value
/// labels; user-missing values blank), for `init`.
pub(super) fn sample_sav(path: &Path, max_rows: usize) -> Result<super::sample::Sample, Error> {
    let unreadable =
        |e: ambers::error::SpssError| Error::input(path, format!("not a readable SPSS file: {e}"));
    let mut scanner = ambers::scan_sav(path).map_err(unreadable)?;
    let meta = scanner.metadata().clone();
    let names = meta.variable_names.clone();
    let labels = names
        .iter()
        .map(|n| meta.label(n).unwrap_or("").to_string())
        .collect();
    let variables: Vec<Variable> = names
        .iter()
        .map(|name| Variable {
            missing: (meta.variable_missing_values.get(name).cloned()).unwrap_or_default(),
            labels: Vec::new(),
        })
        .collect();
    scanner.limit(max_rows);
    let mut rows = Vec::new();
    while let Some(batch) = scanner.next_batch().map_err(unreadable)? {
        for row in 0..batch.num_rows() {
            let cells = (variables.iter().enumerate())
                .map(|(c, variable)| {
                    let mut text = String::new();
                    let column = batch.column(c);
                    if !column.is_null(row) {
                        // A type this reader does not take is left blank here; analyse says so.
                        let _ = write_value(column.as_ref(), row, variable, &mut text);
                    }
                    text
                })
                .collect();
            rows.push(cells);
        }
    }
    Ok(super::sample::Sample {
        format: "sav",
        header: names,
        rows,
        complete: meta.number_rows.is_some_and(|n| n as usize <= max_rows),
        labels,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn missing_values_and_labels() {
        let v = Variable {
            missing: vec![
                MissingSpec::Value(9.0),
                MissingSpec::Range {
                    lo: -99.0,
                    hi: -90.0,
                },
            ],
            labels: vec![(Value::Numeric(1.0), "Leeds".into())],
        };
        let text = |x: f64| {
            let mut out = String::new();
            v.number(x, &mut out);
            out
        };
        assert_eq!(text(9.0), "");
        assert_eq!(text(-95.0), "");
        assert_eq!(text(1.0), "Leeds");
        assert_eq!(text(2.0), "2");
        assert_eq!(text(2.5), "2.5");
    }
}
