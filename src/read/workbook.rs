//! Workbooks (.xlsx, .xlsm, .xlsb, .xls and OpenDocument .ods), read with calamine: one sheet
//! of each file becomes the records a "Save as CSV" of that sheet would hold, and goes through
//! the same keeping and scoring as a CSV record, so a workbook and its CSV twin give the same
//! results.
//!
//! Which sheet: `--sheet NAME|N`, else the first sheet with the columns the run needs (a
//! "Read me" sheet before the data is common). Which row is the header: `--header-row N`, else
//! the first of the sheet's first rows that holds those columns (title rows above a header are
//! common). Line numbers are the sheet's row numbers, so a message names the row a person sees
//! in Excel; with the column, the cell (`Clients!H214`).
//!
//! Cells as text: a number in the shortest form that reads back to the same value (`3`, not
//! `3.0`), a boolean `TRUE`/`FALSE`, a date cell as an ISO date (`2024-03-01`, with the time
//! when it has one), an error cell as Excel writes it (`#N/A`, `#DIV/0!` ...), which is a
//! missing value wherever it stands.

use super::keeper::{hash_file, Keeper};
use super::{columns, start_file, CellSink, Header, Parsed, Plan, ReadOptions, Reading};
use crate::error::Error;
use calamine::{Data, Range, Reader};
use sha2::Sha256;
use std::fmt::Write;
use std::path::Path;

/// Workbook file extensions, lower case, with the format name each is recorded under.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// The workbook format of `path` by its extension (`xlsx`, `xls`, `ods` ...), if it is one.
pub fn workbook_format(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS.into_iter().find(|e| *e == extension)
}

/// Where a workbook's records were read from, for messages that name cells.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetPlace {
    /// The sheet's name.
    #[serde(rename = "name")]
    pub sheet: String,
    /// The header's row number (1-based, as Excel shows it).
    pub header_row: u32,
    /// Column number (0-based) of the header's first cell.
    #[serde(skip)]
    pub first_column: u32,
    /// The header's names, normalised, to find a named column's letter.
    #[serde(skip)]
    pub columns: Vec<String>,
}

impl SheetPlace {
    /// `Clients!H214` for the cell of `column` (a header name) in row `row`, or `Clients row
    /// 214` when the column is not in the header.
    pub fn cell(&self, row: u64, column: Option<&str>) -> String {
        let found = column.and_then(|name| {
            let name = columns::normalise(name);
            self.columns.iter().position(|c| *c == name)
        });
        match found {
            Some(k) => format!(
                "{}!{}{row}",
                quote_sheet(&self.sheet),
                column_letters(self.first_column + k as u32)
            ),
            None => format!("{} row {row}", quote_sheet(&self.sheet)),
        }
    }
}

/// A sheet name as a formula writes it: quoted when it has anything but letters, digits and
/// underscores (`'Read me'!A1`).
fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Excel's letters for a 0-based column number: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Rows of a sheet searched for the header when `--header-row` is not given.
const HEADER_SEARCH_ROWS: usize = 30;

/// Reads one sheet of a workbook into the shared state, as `parse_file` does for CSV.
pub(super) fn parse_workbook(
    path: &Path,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    first_line: u64,
    combined: Option<Sha256>,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<(Parsed, SheetPlace), Error> {
    let input_error = |message: String| Error::input(path, message);
    let (bytes, sha256, combined) = hash_file(path, combined)?;
    let mut workbook = open(path)?;
    let sheets = workbook.sheet_names();
    let (sheet, range, header_index) =
        choose_sheet(&mut workbook, &sheets, options).map_err(input_error)?;
    let start = range.start().unwrap_or((0, 0));
    let row_number = |index: usize| u64::from(start.0) + index as u64 + 1;
    let mut rows = range.rows();
    let header = row_text(
        rows.by_ref()
            .nth(header_index)
            .expect("choose_sheet returns a row of the range"),
    );
    let place = SheetPlace {
        sheet: sheet.clone(),
        header_row: row_number(header_index) as u32,
        first_column: start.1,
        columns: header.iter().map(|n| columns::normalise(n)).collect(),
    };
    let first_file = state.is_none();
    start_file(header, path, options, state, b',')?;
    let Reading {
        builder,
        spill,
        rows: read_so_far,
        plan,
        ..
    } = state.as_mut().expect("start_file sets the state or fails");
    if first_file && (sheets.len() > 1 || header_index > 0 || start.0 > 0) {
        plan.notices.push(format!(
            "read sheet {:?} of {} (header on row {})",
            sheet,
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            ),
            place.header_row
        ));
    }
    let data_rows = range.height().saturating_sub(header_index + 1);
    builder.reserve(data_rows, 16, sink);
    let mut keeper = Keeper::new(builder, spill.as_mut(), read_so_far, options, sink, path);

    // Rows go to the keeper in batches, each cell written once as text.
    const BATCH: usize = 4096;
    let mut batch: Vec<(csv::StringRecord, u64)> = Vec::with_capacity(BATCH);
    let mut used = 0;
    let mut text = String::new();
    for (k, row) in rows.enumerate() {
        if used == batch.len() {
            batch.push((csv::StringRecord::new(), 0));
        }
        let (record, line) = &mut batch[used];
        record.clear();
        for cell in row {
            text.clear();
            write_cell(cell, &mut text);
            record.push_field(&text);
        }
        *line = first_line + row_number(header_index + 1 + k);
        used += 1;
        if used == BATCH {
            keeper.keep(batch.iter().map(|(r, l)| (r, *l)))?;
            used = 0;
            progress(bytes * (k as u64 + 1) / data_rows.max(1) as u64);
        }
    }
    keeper.keep(batch[..used].iter().map(|(r, l)| (r, *l)))?;
    let last_row = row_number(range.height().max(header_index + 1) - 1);
    Ok((
        Parsed {
            lines: last_row,
            bytes,
            sha256,
            combined,
        },
        place,
    ))
}

/// Opens a workbook by its extension's format.
pub(super) fn open(
    path: &Path,
) -> Result<calamine::Sheets<std::io::BufReader<std::fs::File>>, Error> {
    use calamine::{open_workbook, Sheets};
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::input(
            path,
            format!(
                "not a readable workbook: {e} (is it open in Excel, or saved in another format?)"
            ),
        )
    };
    Ok(match workbook_format(path) {
        Some("xls") => Sheets::Xls(open_workbook(path).map_err(|e| unreadable(&e))?),
        Some("xlsb") => Sheets::Xlsb(open_workbook(path).map_err(|e| unreadable(&e))?),
        Some("ods") => Sheets::Ods(open_workbook(path).map_err(|e| unreadable(&e))?),
        _ => Sheets::Xlsx(open_workbook(path).map_err(|e| unreadable(&e))?),
    })
}

/// The sheet to read, its cells and the index (within the range) of its header row: the one
/// `--sheet` names, else the first sheet with a row among its first that holds the columns
/// this run needs. `Err` says what was found instead.
fn choose_sheet<R: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Sheets<R>,
    sheets: &[String],
    options: &ReadOptions,
) -> Result<(String, Range<Data>, usize), String> {
    let listing = |workbook: &mut calamine::Sheets<R>| {
        sheets
            .iter()
            .map(|name| {
                let first = workbook
                    .worksheet_range(name)
                    .ok()
                    .and_then(|range| range.rows().next().map(first_cells))
                    .unwrap_or_else(|| "empty".into());
                format!("{name:?} ({first})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen: Vec<&String> = match &options.sheet {
        Some(wanted) => match find_sheet(sheets, wanted) {
            Some(sheet) => vec![sheet],
            None => {
                return Err(format!(
                    "--sheet {wanted}: no such sheet; the sheets are {}",
                    listing(workbook)
                ))
            }
        },
        None => sheets.iter().collect(),
    };
    let mut first_problem: Option<(String, String)> = None;
    let mut problem_cells = 0;
    for sheet in chosen {
        let range = workbook
            .worksheet_range(sheet)
            .map_err(|e| format!("cannot read sheet {sheet:?}: {e}"))?;
        let start_row = range.start().map_or(0, |s| s.0);
        let candidates: Vec<usize> = match options.header_row {
            Some(row) => {
                let index = (row as usize)
                    .checked_sub(1 + start_row as usize)
                    .filter(|&i| i < range.height());
                match index {
                    Some(i) => vec![i],
                    None => {
                        first_problem.get_or_insert((
                            sheet.clone(),
                            format!(
                                "--header-row {row} is outside the sheet's rows ({}-{})",
                                start_row + 1,
                                start_row as usize + range.height()
                            ),
                        ));
                        continue;
                    }
                }
            }
            None => (0..range.height().min(HEADER_SEARCH_ROWS)).collect(),
        };
        for index in candidates {
            let Some(row) = range.rows().nth(index) else {
                continue;
            };
            if row.iter().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            let names = row_text(row);
            let planned = Header::new(names, &options.renames)
                .map(|h| {
                    h.with_score_prefix(options.score_prefix.as_deref())
                        .with_score_prefix_if_unprefixed(
                            options.score_prefix_if_unprefixed.as_deref(),
                        )
                })
                .and_then(|header| Plan::new(&header, options).map(|_| ()));
            match planned {
                Ok(()) => return Ok((sheet.clone(), range, index)),
                Err(problem) => {
                    // The row with the most cells is the likeliest header to explain.
                    let cells = row.iter().filter(|c| !matches!(c, Data::Empty)).count();
                    if first_problem.is_none() || cells > problem_cells {
                        let row_number = start_row as usize + index + 1;
                        first_problem =
                            Some((sheet.clone(), format!("row {row_number}: {problem}")));
                        problem_cells = cells;
                    }
                }
            }
        }
    }
    let (sheet, problem) = first_problem.unwrap_or_else(|| {
        (
            sheets.first().cloned().unwrap_or_default(),
            "the sheet is empty".into(),
        )
    });
    Err(match &options.sheet {
        Some(_) => format!("sheet {sheet:?}: {problem}"),
        None => format!(
            "no sheet has the columns this run needs; the sheets are {}. In sheet {sheet:?}, {problem}. Name the sheet with --sheet and the header's row with --header-row",
            listing(workbook)
        ),
    })
}

/// The first few non-empty cells of a row, for listing sheets.
fn first_cells(row: &[Data]) -> String {
    let cells: Vec<String> = row
        .iter()
        .filter(|c| !matches!(c, Data::Empty))
        .take(6)
        .map(cell_text)
        .collect();
    if cells.is_empty() {
        "empty first row".into()
    } else {
        cells.join(", ")
    }
}

/// A cell's text ([`write_cell`]) as a new string.
pub(super) fn cell_text(cell: &Data) -> String {
    let mut text = String::new();
    write_cell(cell, &mut text);
    text
}

/// A row's cells as text.
pub(super) fn row_text(row: &[Data]) -> Vec<String> {
    row.iter().map(cell_text).collect()
}

/// The sheet `--sheet` names: by name in any case, else by number from 1.
pub(super) fn find_sheet<'a>(sheets: &'a [String], wanted: &str) -> Option<&'a String> {
    let wanted = wanted.trim();
    sheets
        .iter()
        .find(|s| s.trim().eq_ignore_ascii_case(wanted))
        .or_else(|| sheets.get(wanted.parse::<usize>().ok()?.checked_sub(1)?))
}

/// A cell as the text a CSV export of the sheet would hold (see the module documentation).
fn write_cell(cell: &Data, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = match cell {
        Data::Empty => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Float(v) => write!(out, "{v}"),
        Data::Int(v) => write!(out, "{v}"),
        Data::Bool(b) => write!(out, "{}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) if d.is_duration() => write!(out, "{}", d.as_f64()),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{day:02}");
            match (h, mi, s, ms) {
                (0, 0, 0, 0) => Ok(()),
                (_, _, _, 0) => write!(out, " {h:02}:{mi:02}:{s:02}"),
                _ => write!(out, " {h:02}:{mi:02}:{s:02}.{ms:03}"),
            }
        }
        Data::Error(e) => write!(out, "{e}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        let letters: Vec<String> = [0, 7, 25, 26, 51, 52, 701, 702, 16383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "H", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn cells_read_as_a_csv_export_writes_them() {
        use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};
        let text = |cell: Data| {
            let mut out = String::new();
            write_cell(&cell, &mut out);
            out
        };
        assert_eq!(text(Data::Float(3.0)), "3");
        assert_eq!(text(Data::Float(2.5)), "2.5");
        assert_eq!(text(Data::Float(-0.1)), "-0.1");
        assert_eq!(text(Data::Int(7)), "7");
        assert_eq!(text(Data::Bool(true)), "TRUE");
        assert_eq!(text(Data::Empty), "");
        assert_eq!(text(Data::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(text(Data::Error(CellErrorType::Div0)), "#DIV/0!");
        // 45352 is 2024-03-01 in the 1900 date system; .5 is noon.
        let date = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(text(date(45352.0)), "2024-03-01");
        assert_eq!(text(date(45352.5)), "2024-03-01 12:00:00");
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        let place = SheetPlace {
            sheet: "Clients".into(),
            header_row: 1,
            first_column: 0,
            columns: vec!["id".into(), "location".into(), "pre_score".into()],
        };
        assert_eq!(place.cell(214, Some("Pre_Score")), "Clients!C214");
        assert_eq!(place.cell(214, None), "Clients row 214");
        let quoted = SheetPlace {
            sheet: "Bob's data".into(),
            first_column: 2,
            ..place
        };
        assert_eq!(quoted.cell(9, Some("id")), "'Bob''s data'!C9");
    }
}
