//! Workbook input (.xlsx, .xls, .ods): each workbook under tests/data/workbooks gives the same
//! results as its CSV twin, byte for byte on every output but the input's identity; messages
//! name the sheet's cells; the sheet and header row are found, or named with --sheet and
//! --header-row, and a wrong choice is refused with a list of what is there.
//! The fixtures are written by tests/data/workbooks/make.py (seeded).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/workbooks")
        .join(name)
}

fn analyse(input: &Path, out: &Path, extra: &[&str]) {
    bin()
        .arg("analyse")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-charts"])
        .args(extra)
        .assert()
        .success();
}

/// The output's text without what names the input file (its name, size, checksum, format
/// and sheet): what must equal the CSV twin's.
fn without_input_identity(file: &str, text: &str) -> String {
    if file == "summary.json" {
        let mut json: serde_json::Value = serde_json::from_str(text).expect("summary.json");
        let object = json.as_object_mut().expect("an object");
        object.remove("input");
        object.remove("notices");
        return serde_json::to_string_pretty(&json).expect("json");
    }
    text.lines()
        .filter(|line| {
            !line.trim().is_empty()
                && !["Input file", "SHA-256", "Size", "read sheet"]
                    .iter()
                    .any(|identity| line.contains(identity))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn same_results(twin: &Path, workbook: &Path) {
    let mut files: Vec<String> = std::fs::read_dir(twin)
        .expect("twin results")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for file in &files {
        let (a, b) = (
            std::fs::read_to_string(twin.join(file)).expect("twin output"),
            std::fs::read_to_string(workbook.join(file)).expect("workbook output"),
        );
        if a != b {
            let (a, b) = (
                without_input_identity(file, &a),
                without_input_identity(file, &b),
            );
            assert!(a == b, "{file} differs:\n{a}\n---\n{b}");
        }
    }
}

#[test]
fn each_workbook_gives_the_results_of_its_csv_twin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let twin = dir.path().join("twin");
    analyse(&fixture("clients.csv"), &twin, &[]);
    // The twin's flow shows the awkward cells were seen: error cells are missing, not invalid;
    // out-of-range items and a label are invalid.
    let flow = std::fs::read_to_string(twin.join("flow.csv")).expect("flow");
    assert!(flow.contains("\nrows_read,400,"), "{flow}");
    assert!(flow.contains("\ninvalid_post,7,"), "{flow}");
    // "Often" in a pre item is the answer label of 3, not a problem.
    assert!(flow.contains("\ninvalid_pre,0,"), "{flow}");
    for name in ["clients.xlsx", "clients.xls", "clients.ods"] {
        let out = dir.path().join(name);
        analyse(&fixture(name), &out, &[]);
        same_results(&twin, &out);
        let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
        let format = name.rsplit('.').next().expect("extension");
        assert!(
            summary.contains(&format!("\"format\": \"{format}\"")),
            "{summary}"
        );
        assert!(summary.contains("\"name\": \"Clients\""), "{summary}");
        assert!(summary.contains("\"header_row\": 3"), "{summary}");
    }
    // An Excel error in a grouping column is no group.
    let comparisons = std::fs::read_to_string(twin.join("comparisons.csv")).expect("table");
    assert!(!comparisons.contains("#DIV/0!"), "{comparisons}");
}

#[test]
fn the_sheet_and_header_row_can_be_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let found = dir.path().join("found");
    analyse(&fixture("clients.xlsx"), &found, &[]);
    for extra in [
        ["--sheet", "Clients"],
        ["--sheet", "2"],
        ["--header-row", "3"],
    ] {
        let named = dir.path().join(extra.join("_"));
        analyse(&fixture("clients.xlsx"), &named, &extra);
        let (a, b) = (
            std::fs::read_to_string(found.join("comparisons.csv")).expect("table"),
            std::fs::read_to_string(named.join("comparisons.csv")).expect("table"),
        );
        assert_eq!(a, b, "{extra:?}");
    }
}

fn refused(args: &[&str]) -> String {
    let output = bin().args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "{args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn a_wrong_sheet_or_missing_column_lists_the_sheets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let xlsx = fixture("clients.xlsx");
    let xlsx = xlsx.to_str().expect("utf-8 path");
    let out = out.to_str().expect("utf-8 path");
    let e = refused(&["analyse", xlsx, "--sheet", "Sheet9", "--out", out]);
    assert!(
        e.contains("--sheet Sheet9: no such sheet; the sheets are \"Read me\" (About this export), \"Clients\""),
        "{e}"
    );
    let e = refused(&["analyse", xlsx, "--by", "gender", "--out", out]);
    assert!(e.contains("no sheet has the columns this run needs"), "{e}");
    assert!(
        e.contains("In sheet \"Clients\", row 3: no gender column"),
        "{e}"
    );
    let e = refused(&["analyse", xlsx, "--sheet", "Read me", "--out", out]);
    assert!(e.contains("sheet \"Read me\": row 1: no id column"), "{e}");
    let e = refused(&["analyse", xlsx, "--header-row", "400000", "--out", out]);
    assert!(e.contains("--header-row 400000 is outside"), "{e}");
    let csv = fixture("clients.csv");
    let e = refused(&[
        "analyse",
        csv.to_str().expect("utf-8 path"),
        "--sheet",
        "1",
        "--out",
        out,
    ]);
    assert!(
        e.contains("--sheet and --header-row apply to workbooks"),
        "{e}"
    );
}

#[test]
fn problems_name_the_sheets_cells() {
    for (name, place) in [
        ("clients.csv", "clients.csv line 12, column post_q1"),
        ("clients.xlsx", "clients.xlsx Clients!I14, column post_q1"),
        ("clients.xls", "clients.xls Clients!I14, column post_q1"),
        ("clients.ods", "clients.ods Clients!I14, column post_q1"),
    ] {
        let output = bin()
            .arg("validate")
            .arg(fixture(name))
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let first = stdout.lines().next().unwrap_or_default();
        assert!(
            first.ends_with(&format!("{place}: \"7\" is outside the item range 1-3")),
            "{name}: {first}"
        );
        // The same problems, in the same order, whatever the format.
        // 7 out-of-range items and the closing line.
        assert_eq!(stdout.lines().count(), 8, "{name}: {stdout}");
    }
}

#[test]
fn score_reads_workbooks_as_their_csv_twin() {
    let run = |name: &str| {
        let output = bin()
            .arg("score")
            .arg(fixture(name))
            .output()
            .expect("runs");
        assert!(output.status.success(), "{name}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let twin = run("clients.csv");
    assert_eq!(
        twin.lines().count(),
        401,
        "a header and one line per person"
    );
    for name in ["clients.xlsx", "clients.xls", "clients.ods"] {
        assert_eq!(run(name), twin, "{name}");
    }
}
