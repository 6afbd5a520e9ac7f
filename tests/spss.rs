//! SPSS input (.sav and .zsav, read with ambers): files written by ReadStat (pyreadstat) and by
//! R haven give the results of their CSV twin, with value labels, user-missing values and
//! system-missing cells applied as SPSS does. Fixtures: tests/data/spss/make.py and make.R.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/spss")
        .join(name)
}

fn analyse(input: &Path, extra: &[&str], out: &Path) {
    bin()
        .arg("analyse")
        .arg(input)
        .args(["--quiet", "--no-charts", "--no-report", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

const TABLES: [&str; 5] = [
    "comparisons.csv",
    "flow.csv",
    "timepoints.csv",
    "categories.csv",
    "between_groups.csv",
];

#[test]
fn spss_files_give_the_results_of_their_csv_twin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let twin = dir.path().join("twin");
    analyse(&fixture("clients_twin.csv"), &[], &twin);
    // Location 5 has no value label: it reads as its code, a group of its own.
    let table = std::fs::read_to_string(twin.join("comparisons.csv")).expect("table");
    assert!(table.contains("location,5,"), "{table}");
    for name in ["clients.sav", "clients.zsav", "clients_haven.sav"] {
        let out = dir.path().join(name);
        analyse(&fixture(name), &[], &out);
        for file in TABLES {
            let (a, b) = (
                std::fs::read_to_string(twin.join(file)).expect("twin"),
                std::fs::read_to_string(out.join(file)).expect("spss"),
            );
            assert!(a == b, "{name}: {file} differs:\n{a}\n---\n{b}");
        }
        let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
        assert!(summary.contains("\"format\": \"sav\""), "{summary}");
    }
}

#[test]
fn problems_name_the_case_and_init_reads_spss() {
    let output = bin()
        .arg("validate")
        .arg(fixture("clients.sav"))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{} case 8, column pre_q1 (\"UCLA Q1 (pre)\"): \"7\" is outside the item range 1-3",
            fixture("clients.sav").display()
        )),
        "{stdout}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(fixture("clients_haven.sav"))
        .arg("--out")
        .arg(&config)
        .assert()
        .success();
    let (ours, twin) = (dir.path().join("ours"), dir.path().join("twin"));
    analyse(
        &fixture("clients_haven.sav"),
        &["--config", config.to_str().expect("utf-8")],
        &ours,
    );
    analyse(&fixture("clients_twin.csv"), &[], &twin);
    assert_eq!(
        std::fs::read_to_string(ours.join("comparisons.csv")).expect("ours"),
        std::fs::read_to_string(twin.join("comparisons.csv")).expect("twin")
    );
}

#[test]
fn spss_dates_read_as_their_csv_twins_dates() {
    // The referral date is an SPSS EDATE10 variable (and a Date in haven's file); grouped by
    // its quarter and dated, the results equal the CSV twin's, whose dates are ISO text.
    let dir = tempfile::tempdir().expect("temp dir");
    let extra = [
        "--column",
        "pre_date=refdate",
        "--by",
        "refdate:quarter,location",
    ];
    let twin = dir.path().join("twin");
    analyse(&fixture("clients_twin.csv"), &extra, &twin);
    let table = std::fs::read_to_string(twin.join("comparisons.csv")).expect("table");
    assert!(table.contains("refdate:quarter,2024 Q1,"), "{table}");
    let dates = |dir: &Path| {
        let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        json["dates"].clone()
    };
    assert_eq!(dates(&twin)["columns"][0]["first_month"], "2024-01");
    for name in ["clients.sav", "clients_haven.sav"] {
        let out = dir.path().join(name);
        analyse(&fixture(name), &extra, &out);
        for file in TABLES {
            let (a, b) = (
                std::fs::read_to_string(twin.join(file)).expect("twin"),
                std::fs::read_to_string(out.join(file)).expect("spss"),
            );
            assert!(a == b, "{name}: {file} differs:\n{a}\n---\n{b}");
        }
        assert_eq!(dates(&twin), dates(&out), "{name}");
    }
}
