//! A corpus of malformed exports, each with the exact error or exclusion it must give. The
//! files are made here (some are large or binary), so each case reads as input -> outcome.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

const HEADER: &str = "id,location,trigger_group,pre_score,post_score,followup_score\n";

/// What one run gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    flow: BTreeMap<String, u64>,
}

/// Writes `content` as `name` in a fresh folder and runs `command FILE [args]` there, with
/// --out for analyse.
fn run(command: &str, name: &str, content: &[u8], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write");
    let out = dir.path().join("out");
    let mut cmd = Command::cargo_bin("loneliness-eval").expect("binary");
    cmd.arg(command).arg(&path).args(args);
    if command == "analyse" {
        cmd.arg("--out")
            .arg(&out)
            .args(["--quiet", "--no-charts", "--no-report"]);
    }
    let output = cmd.output().expect("runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        flow: read_flow(&out),
    }
}

fn read_flow(out: &Path) -> BTreeMap<String, u64> {
    let Ok(mut reader) = csv::Reader::from_path(out.join("flow.csv")) else {
        return BTreeMap::new();
    };
    reader
        .records()
        .map(|r| {
            let r = r.expect("flow record");
            (r[0].to_string(), r[1].parse().expect("count"))
        })
        .collect()
}

/// An analyse run that must fail with exit code 1 and this message.
fn refused(name: &str, content: &[u8], args: &[&str], message: &str) {
    let r = run("analyse", name, content, args);
    assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
    assert!(r.stderr.contains(message), "{name}: {}", r.stderr);
    assert_eq!(
        r.stderr.trim().lines().count(),
        1,
        "{name}: one line: {}",
        r.stderr
    );
}

/// An analyse run that must succeed with these flow counts.
fn counted(name: &str, content: &[u8], args: &[&str], expected: &[(&str, u64)]) {
    let r = run("analyse", name, content, args);
    assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
    for (stage, n) in expected {
        assert_eq!(
            r.flow.get(*stage),
            Some(n),
            "{name}: {stage} in {:?}",
            r.flow
        );
    }
    assert_eq!(
        r.flow["rows_read"],
        r.flow["rows_kept"]
            + r.flow["excluded_malformed"]
            + r.flow["excluded_missing_id"]
            + r.flow["excluded_unknown_timepoint"]
            + r.flow["excluded_duplicate_id"],
        "{name}: every row accounted for"
    );
}

#[test]
fn files_that_are_not_exports_are_refused_in_one_line() {
    refused("empty.csv", b"", &[], "the file is empty");
    refused("blank.csv", b"\n\n  \n", &[], "the file is empty");
    refused(
        "no_header.csv",
        b"P1,Leeds,Bereavement,7,5,4\nP2,York,Retired,6,6,5\n",
        &[],
        "no id column",
    );
    refused(
        "duplicate_names.csv",
        b"id,location,location,trigger_group,pre_score\nP1,a,a,b,7\n",
        &[],
        "columns 2 and 3 (\"location\" and \"location\") have the same name",
    );
    refused(
        "case_duplicates.csv",
        b"id,ID,location,trigger_group,pre_score\nP1,P2,a,b,7\n",
        &[],
        "columns 1 and 2 (\"id\" and \"ID\") have the same name",
    );
    // A semicolon export read with a comma: one column, named after the whole header.
    refused(
        "wrong_delimiter.csv",
        b"id;location;trigger_group;pre_score\nP1;Leeds;B;7\n",
        &["--delimiter", ","],
        "columns found: id;location;trigger_group;pre_score",
    );
    // Windows-1252 / Latin-1 text: refused with the byte offset and line, not misread.
    let mut latin1 = format!("{HEADER}P1,M").into_bytes();
    latin1.push(0xE1);
    latin1.extend_from_slice(b"laga,B,7,5,4\n");
    refused(
        "latin1.csv",
        &latin1,
        &[],
        &format!("byte {} (line 2) is not UTF-8", HEADER.len() + 4),
    );
    refused(
        "workbook.csv",
        b"PK\x03\x04 rest of a zip",
        &[],
        "this is an Excel workbook",
    );
    refused("utf16.csv", b"\xFF\xFEi\0d\0", &[], "this is UTF-16 text");
}

#[test]
fn resource_limits_give_clear_errors() {
    let mut big = HEADER.as_bytes().to_vec();
    big.extend_from_slice(b"P1,Leeds,");
    big.extend(std::iter::repeat_n(b'B', 10 << 20));
    big.extend_from_slice(b",7,5,4\n");
    refused(
        "ten_mb_field.csv",
        &big,
        &[],
        "line 2 is longer than 8388608 bytes (--max-record-bytes)",
    );
    // With a higher limit the same file is read, the field being one (odd) group name.
    counted(
        "ten_mb_field.csv",
        &big,
        &["--max-record-bytes", "20000000"],
        &[("rows_read", 1), ("with_pre_post", 1)],
    );
    // An unclosed quote swallows the rest of the file: a record over the limit.
    let mut unclosed = format!("{HEADER}P1,\"Leeds,B,7,5,4\n").into_bytes();
    for i in 0..40_000 {
        unclosed.extend_from_slice(format!("P{i},York,B,7,5,4\n").as_bytes());
    }
    refused(
        "unclosed_quote.csv",
        &unclosed,
        &["--max-record-bytes", "100000"],
        "more than --max-record-bytes 100000; a quoted field may be missing its closing quote",
    );
    let rows = format!("{HEADER}P1,a,b,7,5,4\nP2,a,b,7,5,4\nP3,a,b,7,5,4\n");
    refused(
        "three_rows.csv",
        rows.as_bytes(),
        &["--max-rows", "2"],
        "more than 2 data rows (--max-rows 2)",
    );
    counted(
        "three_rows.csv",
        rows.as_bytes(),
        &["--max-rows", "3"],
        &[("rows_read", 3)],
    );
}

#[test]
fn odd_records_are_excluded_and_counted() {
    // Ragged rows: too few and too many fields; a short unclosed quote at the end of the file.
    counted(
        "ragged.csv",
        format!("{HEADER}P1,a,b,7,5,4\nP2,a,b,7\nP3,a,b,7,5,4,9\nP4,a,\"b,7,5,4\n").as_bytes(),
        &[],
        &[
            ("rows_read", 4),
            ("excluded_malformed", 3),
            ("rows_kept", 1),
        ],
    );
    // A quoted line break inside a group name is part of the name, not a new record.
    let r = run(
        "analyse",
        "embedded_newline.csv",
        format!("{HEADER}P1,\"Newry,\nMourne\",b,7,5,4\nP2,York,b,7,5,4\n").as_bytes(),
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!((r.flow["rows_read"], r.flow["rows_kept"]), (2, 2));
    // NUL bytes: text like any other, so an id with one is another id and a score with one is
    // not a number.
    counted(
        "nul.csv",
        format!("{HEADER}P1,a,b,7,5,4\nP1\0,a,b,7\0,5,4\n").as_bytes(),
        &[],
        &[
            ("people", 2),
            ("invalid_pre", 1),
            ("excluded_duplicate_id", 0),
        ],
    );
    // Ids are text: 007 and 7 are two people; a repeated 007 is a duplicate.
    counted(
        "leading_zeros.csv",
        format!("{HEADER}007,a,b,7,5,4\n7,a,b,7,5,4\n007,a,b,3,3,3\n").as_bytes(),
        &[],
        &[("people", 2), ("excluded_duplicate_id", 1)],
    );
    // Excel's trailing empty columns are ignored, in the header and in the rows.
    counted(
        "trailing_columns.csv",
        b"id,location,trigger_group,pre_score,post_score,,\nP1,a,b,7,5,,\nP2,a,b,6,4,,\n",
        &[],
        &[("rows_kept", 2), ("with_pre_post", 2)],
    );
}

#[test]
fn one_hundred_thousand_columns_are_read_quickly() {
    let mut text = String::from("id,location,trigger_group,pre_score,post_score");
    for i in 0..100_000 {
        text.push_str(&format!(",extra{i}"));
    }
    text.push('\n');
    for p in 0..3 {
        text.push_str(&format!("P{p},a,b,7,5"));
        text.push_str(&",".repeat(100_000));
        text.push('\n');
    }
    let started = std::time::Instant::now();
    counted(
        "wide.csv",
        text.as_bytes(),
        &[],
        &[("rows_kept", 3), ("with_pre_post", 3)],
    );
    // Linear in the header: well under a second even unoptimised (it took 10 s when each
    // column was compared with every other).
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn score_cells_are_numbers_missing_codes_or_invalid() {
    let cells = [
        (" 7 ", "valid"),
        ("7.0", "valid"),
        ("+7", "valid"),
        ("7e0", "valid"),
        ("1e3", "invalid"),
        ("0x7", "invalid"),
        ("\u{221e}", "invalid"),
        ("inf", "invalid"),
        ("#N/A", "missing"), // an Excel error value, as "Save as CSV" writes an error cell
        ("#DIV/0!", "missing"),
        ("2024-01-05", "invalid"),
        ("05/01/2024", "invalid"),
        ("7,0", "invalid"),
        ("NA", "missing"),
        ("-99", "missing"),
        ("", "missing"),
    ];
    let mut text = String::from("id,location,trigger_group,pre_score\n");
    for (i, (cell, _)) in cells.iter().enumerate() {
        let quoted = format!("\"{cell}\"");
        text.push_str(&format!("P{i},a,b,{quoted}\n"));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cells.csv");
    std::fs::write(&path, &text).expect("write");
    let out = dir.path().join("out");
    Command::cargo_bin("loneliness-eval")
        .expect("binary")
        .arg("score")
        .arg(&path)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(&out).expect("scored");
    let status = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "pre_status")
        .expect("pre_status");
    for (record, (cell, expected)) in reader.records().zip(cells) {
        let record = record.expect("record");
        assert_eq!(&record[status], expected, "{cell:?}");
    }
}

#[test]
fn strict_mode_writes_nothing_for_dirty_data_and_exits_3() {
    let dirty = format!("{HEADER}P1,a,b,7,5,4\nP1,a,b,7,5,4\nP2,a,b,seven,5,4\n");
    let r = run("analyse", "dirty.csv", dirty.as_bytes(), &["--strict"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 excluded record, 1 invalid score, 0 other warnings"),
        "{}",
        r.stderr
    );
    assert!(r.flow.is_empty(), "nothing written");
    let clean = format!("{HEADER}P1,a,b,7,5,4\n");
    let r = run("analyse", "clean.csv", clean.as_bytes(), &["--strict"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run("validate", "dirty.csv", dirty.as_bytes(), &[]);
    assert_eq!(r.code, Some(3), "validate: problems found");
    assert!(r.stdout.contains("2 problems"), "{}", r.stdout);
}

#[test]
fn windows_1252_and_latin1_are_read_with_encoding() {
    // "Málaga" and "Señora €" in Windows-1252 (á = E1, ñ = F1, € = 80).
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"P1,M\xE1laga,Se\xF1ora \x80,7,5,4\nP2,M\xE1laga,Se\xF1ora \x80,6,4,4\n",
    );
    let refused_without = run("analyse", "cp1252.csv", &bytes, &[]);
    assert_eq!(refused_without.code, Some(1));
    for label in ["windows-1252", "latin1", "ISO-8859-1", "cp1252"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cp1252.csv");
        std::fs::write(&path, &bytes).expect("write");
        let out = dir.path().join("out");
        Command::cargo_bin("loneliness-eval")
            .expect("binary")
            .arg("analyse")
            .arg(&path)
            .args([
                "--encoding",
                label,
                "--min-cell",
                "1",
                "--quiet",
                "--no-charts",
                "--no-report",
            ])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let table = std::fs::read_to_string(out.join("comparisons.csv")).expect("table");
        assert!(
            table.contains("location,Málaga,pre_post,2,"),
            "{label}: {table}"
        );
        assert!(
            table.contains("trigger_group,Señora €,pre_post,2,"),
            "{label}: {table}"
        );
        let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
        assert!(
            summary.contains("\"encoding\": \"windows-1252\""),
            "{summary}"
        );
        // The recorded SHA-256 is the file's own bytes'.
        use sha2::Digest;
        let sha = format!("{:x}", sha2::Sha256::digest(&bytes));
        assert!(summary.contains(&sha), "{summary}");
    }
    refused(
        "cp1252.csv",
        &bytes,
        &["--encoding", "klingon"],
        "not a known encoding",
    );
    refused(
        "cp1252.csv",
        &bytes,
        &["--encoding", "utf-16le"],
        "UTF-16 is not supported",
    );
}

#[test]
fn an_encoded_file_without_a_final_line_end_is_read_to_its_end() {
    // The csv parser asks for more after the last record; the decoder had finished (a panic
    // in encoding_rs before).
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"P1,M\xE1laga,B,7,5,4");
    let r = run(
        "validate",
        "no_line_end.csv",
        &bytes,
        &["--encoding", "windows-1252"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("no problems (1 records, 1 people"),
        "{}",
        r.stdout
    );
}
