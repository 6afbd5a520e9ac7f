//! Parquet input: a Parquet file and the CSV export of the same rows give byte-identical
//! results (comparisons, flow, timepoints, distributions) and the same problem list.

use assert_cmd::Command;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::sync::Arc;

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

/// One person's row: id, location, trigger group (None = null) and three scores.
struct Row {
    id: Option<String>,
    location: Option<String>,
    trigger: Option<String>,
    pre: Option<f64>,
    post: Option<i32>,
    followup: Option<f64>,
    /// A column the analysis does not read.
    note: Option<String>,
}

/// Seeded rows with the awkward values a Parquet export can hold: nulls in every column, a
/// NaN (missing), an infinity and out-of-range and fractional totals (invalid), repeated and
/// blank ids, a blank group, scores of both integer and float columns, rows that are null
/// everywhere (blank records, skipped) and rows null but for an unread column (not blank:
/// excluded for their missing id).
fn rows(n: usize) -> Vec<Row> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let locations = ["Leeds", "Hull", "York", "Bradford ", ""];
    let triggers = ["Bereavement", "Retirement", "New parent"];
    (0..n)
        .map(|i| {
            let pre = match i % 97 {
                3 => Some(f64::NAN),
                5 => Some(f64::INFINITY),
                7 => Some(12.0),
                11 => Some(5.5),
                13 => None,
                _ => Some(f64::from(rng.gen_range(3..=9))),
            };
            if i % 89 == 6 || i % 89 == 9 {
                return Row {
                    id: None,
                    location: None,
                    trigger: None,
                    pre: None,
                    post: None,
                    followup: None,
                    note: (i % 89 == 9).then(|| "moved away".to_string()),
                };
            }
            Row {
                id: match i % 101 {
                    4 => None,
                    8 => Some("P0000001".into()),
                    _ => Some(format!("P{i:07}")),
                },
                location: (i % 53 != 2).then(|| locations[rng.gen_range(0..5)].to_string()),
                trigger: (i % 59 != 1).then(|| triggers[rng.gen_range(0..3)].to_string()),
                pre,
                post: (i % 5 != 0).then(|| rng.gen_range(3..=9)),
                followup: (i % 3 == 0).then(|| f64::from(rng.gen_range(3..=9))),
                note: None,
            }
        })
        .collect()
}

/// The CSV export of `rows` (what pandas' `to_csv(index=False, na_rep="")` writes).
fn write_csv(rows: &[Row], path: &Path) {
    let mut w = csv::Writer::from_path(path).expect("csv file");
    w.write_record([
        "id",
        "location",
        "trigger_group",
        "pre_score",
        "post_score",
        "followup_score",
        "note",
    ])
    .expect("header");
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.id.clone().unwrap_or_default(),
            r.location.clone().unwrap_or_default(),
            r.trigger.clone().unwrap_or_default(),
            num(r.pre),
            r.post.map(|v| v.to_string()).unwrap_or_default(),
            num(r.followup),
            r.note.clone().unwrap_or_default(),
        ])
        .expect("record");
    }
    w.flush().expect("flush");
}

/// Writes `rows` as Parquet in row groups of `group_rows`, with the given compression.
fn write_parquet(rows: &[Row], path: &Path, group_rows: usize, compression: Compression) {
    write_parquet_with(rows, path, group_rows, compression, "");
}

/// [`write_parquet`] with `extra` columns after the others (written all null).
fn write_parquet_with(
    rows: &[Row],
    path: &Path,
    group_rows: usize,
    compression: Compression,
    extra: &str,
) {
    let schema = Arc::new(
        parse_message_type(&format!(
            "message export {{
                OPTIONAL BYTE_ARRAY id (UTF8);
                OPTIONAL BYTE_ARRAY location (UTF8);
                OPTIONAL BYTE_ARRAY trigger_group (UTF8);
                OPTIONAL DOUBLE pre_score;
                OPTIONAL INT32 post_score;
                OPTIONAL DOUBLE followup_score;
                OPTIONAL BYTE_ARRAY note (UTF8);
                {extra}
            }}"
        ))
        .expect("schema"),
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(compression)
            .build(),
    );
    let file = std::fs::File::create(path).expect("parquet file");
    let mut writer = SerializedFileWriter::new(file, schema, props).expect("writer");
    for group in rows.chunks(group_rows) {
        let mut rg = writer.next_row_group().expect("row group");
        let mut column = 0;
        while let Some(mut col) = rg.next_column().expect("column") {
            let defs = |present: &dyn Fn(&Row) -> bool| -> Vec<i16> {
                group.iter().map(|r| i16::from(present(r))).collect()
            };
            match column {
                0..=2 | 6 => {
                    let get = |r: &Row| -> Option<String> {
                        match column {
                            0 => r.id.clone(),
                            1 => r.location.clone(),
                            2 => r.trigger.clone(),
                            _ => r.note.clone(),
                        }
                    };
                    let values: Vec<ByteArray> = group
                        .iter()
                        .filter_map(get)
                        .map(|s| s.as_str().into())
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs(&|r| get(r).is_some())), None)
                        .expect("strings");
                }
                3 | 5 => {
                    let get = |r: &Row| if column == 3 { r.pre } else { r.followup };
                    let values: Vec<f64> = group.iter().filter_map(get).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&values, Some(&defs(&|r| get(r).is_some())), None)
                        .expect("doubles");
                }
                4 => {
                    let values: Vec<i32> = group.iter().filter_map(|r| r.post).collect();
                    col.typed::<Int32Type>()
                        .write_batch(&values, Some(&defs(&|r| r.post.is_some())), None)
                        .expect("ints");
                }
                _ => {
                    col.typed::<Int32Type>()
                        .write_batch(&[], Some(&defs(&|_| false)), None)
                        .expect("nulls");
                }
            }
            col.close().expect("close column");
            column += 1;
        }
        rg.close().expect("close row group");
    }
    writer.close().expect("close file");
}

fn analyse(inputs: &[&Path], out: &Path) {
    bin()
        .arg("analyse")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-charts", "--no-report"])
        .assert()
        .success();
}

fn same_results(a: &Path, b: &Path) {
    for file in [
        "comparisons.csv",
        "flow.csv",
        "timepoints.csv",
        "distribution.csv",
        "transitions.csv",
    ] {
        let (x, y) = (
            std::fs::read_to_string(a.join(file)).expect("output"),
            std::fs::read_to_string(b.join(file)).expect("output"),
        );
        assert!(x == y, "{file} differs:\n{x}\n---\n{y}");
    }
}

#[test]
fn parquet_gives_the_results_of_its_csv_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = rows(5000);
    let csv = dir.path().join("export.csv");
    write_csv(&rows, &csv);
    let out_csv = dir.path().join("out_csv");
    analyse(&[&csv], &out_csv);
    for (name, group_rows, compression) in [
        ("one_group.parquet", 5000, Compression::SNAPPY),
        ("many_groups.parquet", 777, Compression::UNCOMPRESSED),
    ] {
        let parquet = dir.path().join(name);
        write_parquet(&rows, &parquet, group_rows, compression);
        let out = dir.path().join(format!("out_{name}"));
        analyse(&[&parquet], &out);
        same_results(&out_csv, &out);
        let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
        assert!(summary.contains("\"format\": \"parquet\""), "{summary}");
    }
    // The flow shows the awkward rows were seen, not dropped; only all-null rows are skipped.
    let flow = std::fs::read_to_string(out_csv.join("flow.csv")).expect("flow");
    let blank = (0..5000).filter(|i| i % 89 == 6).count();
    assert!(
        flow.contains(&format!("\nrows_read,{},", 5000 - blank)),
        "{flow}"
    );
    for stage in [
        "excluded_missing_id,",
        "excluded_duplicate_id,",
        "invalid_pre,",
    ] {
        let line = flow.lines().find(|l| l.starts_with(stage)).expect(stage);
        assert!(!line.starts_with(&format!("{stage}0,")), "{line}");
    }
}

#[test]
fn a_file_with_other_column_types_is_read_row_by_row_with_the_same_results() {
    // A date column (null throughout) sends the file through the parquet crate's row API
    // instead of the column readers; the results must not change.
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = rows(3000);
    let csv = dir.path().join("export.csv");
    write_csv(&rows, &csv);
    let out_csv = dir.path().join("out_csv");
    analyse(&[&csv], &out_csv);
    let parquet = dir.path().join("dated.parquet");
    let extra = "OPTIONAL INT32 visit (DATE);";
    write_parquet_with(&rows, &parquet, 777, Compression::SNAPPY, extra);
    let out = dir.path().join("out_dated");
    analyse(&[&parquet], &out);
    same_results(&out_csv, &out);
}

#[test]
fn validate_names_the_same_lines_for_parquet_and_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = rows(400);
    let (csv, parquet) = (dir.path().join("e.csv"), dir.path().join("e.parquet"));
    write_csv(&rows, &csv);
    write_parquet(&rows, &parquet, 150, Compression::SNAPPY);
    let problems = |path: &Path| {
        let out = bin().arg("validate").arg(path).output().expect("runs");
        assert_eq!(out.status.code(), Some(3), "problems found");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .lines()
            .map(|l| l.replace(&path.display().to_string(), "FILE"))
            .collect::<Vec<_>>()
    };
    let (from_csv, from_parquet) = (problems(&csv), problems(&parquet));
    assert!(from_csv.len() > 10, "{from_csv:?}");
    assert_eq!(from_csv, from_parquet);
}

#[test]
fn several_parquet_files_equal_their_concatenation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = rows(3000);
    let (first, second) = rows.split_at(1234);
    let (a, b, whole) = (
        dir.path().join("a.parquet"),
        dir.path().join("b.parquet"),
        dir.path().join("whole.parquet"),
    );
    write_parquet(first, &a, 500, Compression::SNAPPY);
    write_parquet(second, &b, 500, Compression::SNAPPY);
    write_parquet(&rows, &whole, 500, Compression::SNAPPY);
    let (out_parts, out_whole) = (dir.path().join("parts"), dir.path().join("whole"));
    analyse(&[&a, &b], &out_parts);
    analyse(&[&whole], &out_whole);
    same_results(&out_parts, &out_whole);
}

#[test]
fn a_file_that_is_not_parquet_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = dir.path().join("broken.parquet");
    std::fs::write(&fake, b"PAR1 this is not really parquet").expect("write");
    let out = bin()
        .arg("analyse")
        .arg(&fake)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("not a readable Parquet file"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
