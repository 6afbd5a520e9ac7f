//! The first rows of an export of any format as text, for `init` to look at before anything
//! is known about its columns: the header, up to a number of data rows, and what had to be
//! worked out to read them (the delimiter, an encoding that is not UTF-8, a workbook's sheet
//! and header row).

use super::{detect_delimiter, is_parquet, workbook_format};
use crate::error::Error;
use std::path::Path;

/// The first rows of an export.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// `csv`, `parquet`, or a workbook's format.
    pub format: &'static str,
    /// The header's names.
    pub header: Vec<String>,
    /// Data rows (blank ones skipped), each as long as the header or longer.
    pub rows: Vec<Vec<String>>,
    /// Whether the sample is the whole file.
    pub complete: bool,
    /// CSV: the delimiter, when not a comma.
    pub delimiter: Option<u8>,
    /// CSV: the encoding when the file is not UTF-8 (Windows-1252, as old Excel writes).
    pub encoding: Option<&'static str>,
    /// A workbook's sheet and header row (from 1).
    pub sheet: Option<(String, u32)>,
    /// A workbook's sheets, when it has more than one.
    pub sheets: Vec<String>,
    /// SPSS: each column's variable label (empty when it has none), which init reads when a
    /// name says nothing (`q1_t0` labelled "UCLA Q1 (Referral)").
    pub labels: Vec<String>,
}

/// Reads the header and up to `max_rows` data rows. A workbook's header is the first row of
/// the first sheet that `looks_like_header` accepts among its first 30 rows (title rows above
/// it are common), unless `sheet` / `header_row` name them.
pub fn sample(
    path: &Path,
    max_rows: usize,
    sheet: Option<&str>,
    header_row: Option<u32>,
    looks_like_header: &dyn Fn(&[String]) -> bool,
) -> Result<Sample, Error> {
    if let Some(format) = workbook_format(path) {
        return sample_workbook(path, format, max_rows, sheet, header_row, looks_like_header);
    }
    if super::spss::is_spss(path) {
        return super::spss::sample_sav(path, max_rows);
    }
    if is_parquet(path) {
        return sample_parquet(path, max_rows);
    }
    sample_csv(path, max_rows)
}

fn sample_csv(path: &Path, max_rows: usize) -> Result<Sample, Error> {
    // Enough bytes for the sample; the rest of the file is not read.
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 << 20).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    let complete_bytes = std::fs::metadata(path).is_ok_and(|m| m.len() as usize == bytes.len());
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(Error::input(
            path,
            "this looks like a workbook saved under another name; give it its .xlsx or .xls name"
                .into(),
        ));
    }
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), None),
        // A cut in the middle of a character at the 64 MiB mark is not an encoding.
        Err(e) if e.error_len().is_none() => (
            std::borrow::Cow::Borrowed(
                std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid prefix"),
            ),
            None,
        ),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, Some("windows-1252"))
        }
    };
    let delimiter = detect_delimiter(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(Error::input(path, format!("cannot parse CSV: {e}"))),
        None => return Err(Error::input(path, "the file is empty".into())),
    };
    let mut rows = Vec::new();
    let mut complete = complete_bytes;
    for record in records {
        let record = record.map_err(|e| Error::input(path, format!("cannot parse CSV: {e}")))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() == max_rows {
            complete = false;
            break;
        }
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(Sample {
        format: "csv",
        header,
        rows,
        complete,
        delimiter: (delimiter != b',').then_some(delimiter),
        encoding,
        sheet: None,
        sheets: Vec::new(),
        labels: Vec::new(),
    })
}

fn sample_parquet(path: &Path, max_rows: usize) -> Result<Sample, Error> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?;
    let metadata = reader.metadata().file_metadata();
    let header: Vec<String> = metadata
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let total = metadata.num_rows().max(0) as usize;
    let mut rows = Vec::new();
    let iter = reader
        .get_row_iter(None)
        .map_err(|e| Error::input(path, format!("cannot read rows: {e}")))?;
    for row in iter.take(max_rows) {
        let row = row.map_err(|e| Error::input(path, format!("cannot read a row: {e}")))?;
        let cells: Vec<String> = row
            .get_column_iter()
            .map(|(_, field)| {
                let mut text = String::new();
                super::parquet::write_field(field, &mut text);
                text
            })
            .collect();
        if !cells.iter().all(|c| c.trim().is_empty()) {
            rows.push(cells);
        }
    }
    Ok(Sample {
        format: "parquet",
        header,
        complete: total <= max_rows,
        rows,
        ..Sample::default()
    })
}

fn sample_workbook(
    path: &Path,
    format: &'static str,
    max_rows: usize,
    wanted: Option<&str>,
    header_row: Option<u32>,
    looks_like_header: &dyn Fn(&[String]) -> bool,
) -> Result<Sample, Error> {
    use calamine::Reader;
    let mut workbook = super::workbook::open(path)?;
    let sheets = workbook.sheet_names();
    let text = super::workbook::row_text;
    let candidates: Vec<&String> = match wanted {
        Some(w) => match super::workbook::find_sheet(&sheets, w) {
            Some(s) => vec![s],
            None => {
                return Err(Error::input(
                    path,
                    format!(
                        "--sheet {w}: no such sheet; the sheets are {}",
                        sheets.join(", ")
                    ),
                ))
            }
        },
        None => sheets.iter().collect(),
    };
    let mut fallback: Option<(String, calamine::Range<calamine::Data>, usize)> = None;
    let mut chosen = None;
    for sheet in candidates {
        let range = workbook
            .worksheet_range(sheet)
            .map_err(|e| Error::input(path, format!("cannot read sheet {sheet:?}: {e}")))?;
        let start = range.start().map_or(0, |s| s.0) as usize;
        let header_index = match header_row {
            Some(row) => (row as usize)
                .checked_sub(start + 1)
                .filter(|&i| i < range.height()),
            None => {
                // The header: the first row with at least half the cells of the widest of the
                // first rows, all text, and a non-blank row after it.
                let firsts: Vec<Vec<String>> = range.rows().take(31).map(&text).collect();
                let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
                let widest = firsts.iter().map(filled).max().unwrap_or(0);
                (0..firsts.len().saturating_sub(1)).find(|&i| {
                    let n = filled(&firsts[i]);
                    n >= 2
                        && 2 * n >= widest
                        && firsts[i].iter().all(|c| c.trim().parse::<f64>().is_err())
                        && filled(&firsts[i + 1]) > 0
                })
            }
        };
        let Some(index) = header_index else { continue };
        let header = text(range.rows().nth(index).expect("a row of the range"));
        if looks_like_header(&header) {
            chosen = Some((sheet.clone(), range, index));
            break;
        }
        fallback.get_or_insert((sheet.clone(), range, index));
    }
    let Some((sheet, range, index)) = chosen.or(fallback) else {
        return Err(Error::input(
            path,
            format!("no sheet holds a table with a header row; the sheets are {} (name them with --sheet and --header-row)", sheets.join(", ")),
        ));
    };
    let start = range.start().map_or(0, |s| s.0);
    let mut rows_iter = range.rows().skip(index);
    let header = text(rows_iter.next().expect("the header row"));
    let mut rows = Vec::new();
    let mut complete = true;
    for row in rows_iter {
        let cells = text(row);
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == max_rows {
            complete = false;
            break;
        }
        rows.push(cells);
    }
    Ok(Sample {
        format,
        header,
        rows,
        complete,
        sheet: Some((sheet, start + index as u32 + 1)),
        sheets,
        ..Sample::default()
    })
}
