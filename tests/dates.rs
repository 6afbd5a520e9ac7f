//! Dates (#18): date columns in the forms exports write them give the period covered, the
//! days between assessments, groups by quarter and the follow-up window, checked against
//! numbers computed independently (tests/data/dates/make.py, pandas) and across the same
//! data as a long layout, a workbook, US dates and streaming mode.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dates")
        .join(name)
}

fn truth() -> Value {
    let text = std::fs::read_to_string(fixture("truth.json")).expect("truth.json");
    serde_json::from_str(&text).expect("json")
}

fn analyse(input: &str, config: &str, out: &Path, extra: &[&str]) {
    bin()
        .arg("analyse")
        .arg(fixture(input))
        .arg("--config")
        .arg(fixture(config))
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-charts"])
        .args(extra)
        .assert()
        .success();
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&read(dir, "summary.json")).expect("summary.json")
}

fn flow_count(flow: &str, stage: &str) -> u64 {
    flow.lines()
        .find_map(|l| l.strip_prefix(&format!("{stage},")))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no stage {stage} in\n{flow}"))
}

/// intervals.csv as comparison → (n, undated, q1, median, q3).
fn intervals(dir: &Path) -> Vec<(String, u64, u64, f64, f64, f64)> {
    let mut reader = csv::Reader::from_reader(std::io::Cursor::new(read(dir, "intervals.csv")));
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            let num = |k: usize| r[k].parse::<f64>().expect("a number");
            (
                r[0].to_string(),
                r[1].parse().expect("n"),
                r[2].parse().expect("undated"),
                num(4),
                num(5),
                num(6),
            )
        })
        .collect()
}

#[test]
fn intervals_periods_and_the_window_equal_the_independent_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("wide");
    analyse("wide.csv", "eval.toml", &out, &[]);
    let truth = truth();
    let rows = intervals(&out);
    assert_eq!(rows.len(), 3);
    for (comparison, n, undated, q1, median, q3) in rows {
        let t = &truth["intervals"][&comparison];
        assert_eq!(n, t["n"].as_u64().expect("n"), "{comparison}");
        assert_eq!(
            undated,
            t["undated"].as_u64().expect("undated"),
            "{comparison}"
        );
        for (got, key) in [(q1, "q1"), (median, "median"), (q3, "q3")] {
            assert_eq!(
                got,
                t[key].as_f64().expect("quantile"),
                "{comparison} {key}"
            );
        }
    }
    // The window's counts in the flow and summary.json; the comparisons use what it kept.
    let flow = read(&out, "flow.csv");
    let window = &truth["window"];
    let (early, late, undated) = (
        window["too_early"].as_u64().expect("n"),
        window["too_late"].as_u64().expect("n"),
        window["undated"].as_u64().expect("n"),
    );
    assert_eq!(flow_count(&flow, "followup_outside_window"), early + late);
    assert_eq!(flow_count(&flow, "followup_undated"), undated);
    assert_eq!(
        flow_count(&flow, "with_pre_followup"),
        truth["intervals"]["pre_followup"]["n_pairs"]
            .as_u64()
            .expect("n")
    );
    let s = summary(&out);
    let dates = &s["dates"];
    assert_eq!(dates["followup_window"]["too_early"], window["too_early"]);
    assert_eq!(dates["followup_window"]["too_late"], window["too_late"]);
    assert_eq!(dates["unreadable"], truth["unreadable"]);
    assert_eq!(s["settings"]["followup_window"]["min_days"], 60);
    for column in dates["columns"].as_array().expect("columns") {
        let t = &truth["months"][column["timepoint"].as_str().expect("timepoint")];
        assert_eq!(column["dated"], t["dated"]);
        assert_eq!(column["first_month"], t["first"]);
        assert_eq!(column["last_month"], t["last"]);
    }
    // The report says what the dates cover and what the window left out.
    let report = read(&out, "report.md");
    assert!(
        report.contains(
            "referral April 2023 to August 2024 (239 people dated, column Referral Date)"
        ),
        "{report}"
    );
    assert!(report.contains(&format!(
        "follow-ups count only 60 to 120 days after end of support ({early} too early, {late} too late and {undated} undated left out)"
    )));
    assert!(report.contains("How long between assessments?"));
    // validate names the date that is no date, with its line and column.
    let listed = bin()
        .arg("validate")
        .arg(fixture("wide.csv"))
        .arg("--config")
        .arg(fixture("eval.toml"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&listed.stdout).to_string()
        + &String::from_utf8_lossy(&listed.stderr);
    assert!(
        text.contains("wide.csv line 9, column Referral Date: \"31/02/2024\" is not a date"),
        "{text}"
    );
}

#[test]
fn the_long_layout_a_workbook_us_dates_and_streaming_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wide = dir.path().join("wide");
    analyse("wide.csv", "eval.toml", &wide, &[]);
    let same_tables = |other: &Path, what: &str| {
        for file in ["intervals.csv", "comparisons.csv", "timepoints.csv"] {
            assert_eq!(read(&wide, file), read(other, file), "{what}: {file}");
        }
        let (a, b) = (summary(&wide), summary(other));
        assert_eq!(a["dates"]["intervals"], b["dates"]["intervals"], "{what}");
        assert_eq!(
            a["dates"]["followup_window"], b["dates"]["followup_window"],
            "{what}"
        );
    };
    let long = dir.path().join("long");
    analyse("long.csv", "long.toml", &long, &[]);
    same_tables(&long, "long layout");
    let xlsx = dir.path().join("xlsx");
    analyse("wide.xlsx", "eval.toml", &xlsx, &[]);
    same_tables(&xlsx, "workbook");
    assert_eq!(summary(&wide)["dates"], summary(&xlsx)["dates"]);
    let us = dir.path().join("us");
    analyse("us.csv", "us.toml", &us, &[]);
    same_tables(&us, "US dates with date-format");
    let streamed = dir.path().join("streamed");
    analyse(
        "wide.csv",
        "eval.toml",
        &streamed,
        &["--streaming", "--partitions", "3"],
    );
    for file in [
        "intervals.csv",
        "comparisons.csv",
        "flow.csv",
        "summary.json",
    ] {
        assert_eq!(
            read(&wide, file),
            read(&streamed, file),
            "streaming: {file}"
        );
    }
}

#[test]
fn us_dates_without_their_format_are_counted_not_guessed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("us");
    let run = bin()
        .arg("analyse")
        .arg(fixture("us.csv"))
        .arg("--config")
        .arg(fixture("eval.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--no-charts")
        .output()
        .expect("runs");
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Day-first reads 03/04/2024 as 3 April: only dates with a day above 12 are refused...
    let unreadable = summary(&out)["dates"]["unreadable"]
        .as_u64()
        .expect("count");
    assert!(unreadable > 100, "{unreadable}");
    assert!(
        stderr.contains(&format!(
            "{unreadable} date cells could not be read as dates"
        )),
        "{stderr}"
    );
    // ...which is why a US export needs date-format, as the message says.
    let listed = bin()
        .arg("validate")
        .arg(fixture("us.csv"))
        .arg("--config")
        .arg(fixture("eval.toml"))
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&listed.stdout).contains("date-format"));
}

#[test]
fn groups_by_quarter_of_a_date_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("quarters");
    analyse(
        "wide.csv",
        "eval.toml",
        &out,
        &["--by", "Referral Date:quarter", "--min-cell", "0"],
    );
    let truth = truth();
    let expected = truth["pre_post_by_quarter"].as_object().expect("quarters");
    let mut reader = csv::Reader::from_reader(std::io::Cursor::new(read(&out, "comparisons.csv")));
    let mut seen = 0;
    for record in reader.records() {
        let r = record.expect("record");
        if &r[0] == "Referral Date:quarter" && &r[2] == "pre_post" {
            let n: u64 = r[3].parse().expect("n");
            assert_eq!(Some(n), expected[&r[1]].as_u64(), "{}", &r[1]);
            seen += 1;
        }
    }
    assert_eq!(seen, expected.len());
}

#[test]
fn a_window_without_dates_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("plain.csv");
    std::fs::write(
        &csv,
        "id,location,trigger_group,pre_score,post_score,followup_score\n1,A,B,5,4,4\n",
    )
    .expect("write");
    let run = bin()
        .arg("analyse")
        .arg(&csv)
        .args(["--followup-window", "60..120", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("followup-window needs the dates of end of support and of follow-up"),
        "{stderr}"
    );
    for bad in ["120..60", "sixty", "60-120"] {
        let run = bin()
            .arg("analyse")
            .arg(&csv)
            .args(["--followup-window", bad, "--out"])
            .arg(dir.path().join("out"))
            .output()
            .expect("runs");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("expected the fewest and most days"),
            "{bad}"
        );
    }
}

#[test]
fn init_maps_the_date_columns_and_its_config_gives_the_intervals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(fixture("wide.csv"))
        .arg("--out")
        .arg(&config)
        .assert()
        .success();
    let text = std::fs::read_to_string(&config).expect("config");
    for line in [
        "pre_date = \"Referral Date\"",
        "post_date = \"End Date\"",
        "followup_date = \"Follow-up Date\"",
        "#   \"Follow-up Date\": dd-Mon-yy, read as followup_date",
    ] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(fixture("wide.csv"))
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--no-charts"])
        .assert()
        .success();
    // Without a window every follow-up counts: pre -> post is as in the truth.
    let rows = intervals(&out);
    let t = &truth()["intervals"]["pre_post"];
    assert_eq!(rows[0].1, t["n"].as_u64().expect("n"));
    assert_eq!(rows[0].4, t["median"].as_f64().expect("median"));
}

#[test]
fn order_by_date_places_shuffled_assessments_as_their_twin_names_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ordered, twin) = (dir.path().join("ordered"), dir.path().join("twin"));
    analyse("ordered.csv", "ordered.toml", &ordered, &[]);
    analyse("ordered_twin.csv", "ordered_twin.toml", &twin, &[]);
    for file in [
        "comparisons.csv",
        "intervals.csv",
        "timepoints.csv",
        "repeated.csv",
    ] {
        assert_eq!(read(&ordered, file), read(&twin, file), "{file}");
    }
    let flow = read(&ordered, "flow.csv");
    assert_eq!(flow_count(&flow, "excluded_undated_assessment"), 3);
    assert_eq!(flow_count(&flow, "excluded_extra_assessment"), 5);
    assert_eq!(
        flow_count(&flow, "rows_read"),
        flow_count(&read(&twin, "flow.csv"), "rows_read") + 8
    );
    assert!(!read(&twin, "flow.csv").contains("excluded_extra_assessment"));
    // Streaming mode cannot order a person's rows across partitions: refused, not wrong.
    let run = bin()
        .arg("analyse")
        .arg(fixture("ordered.csv"))
        .arg("--config")
        .arg(fixture("ordered.toml"))
        .arg("--streaming")
        .arg("--out")
        .arg(dir.path().join("streamed"))
        .output()
        .expect("runs");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("run in memory"));
    // With a timepoint column it is refused with what to do instead.
    let run = bin()
        .arg("analyse")
        .arg(fixture("ordered_twin.csv"))
        .arg("--config")
        .arg(fixture("ordered.toml"))
        .arg("--out")
        .arg(dir.path().join("refused"))
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("map its values in [timepoints] instead"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn init_recognises_assessments_ordered_by_date() {
    // Repeated ids, one score per row, a date column and no timepoint column.
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(fixture("ordered.csv"))
        .arg("--out")
        .arg(&config)
        .assert()
        .success();
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(text.contains("order-by-date = true  # CHECK"), "{text}");
    assert!(
        text.contains("assessment_date = \"Assessment Date\""),
        "{text}"
    );
    let (by_init, twin) = (dir.path().join("init"), dir.path().join("twin"));
    bin()
        .arg("analyse")
        .arg(fixture("ordered.csv"))
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&by_init)
        .args(["--quiet", "--no-charts"])
        .assert()
        .success();
    analyse("ordered_twin.csv", "ordered_twin.toml", &twin, &[]);
    assert_eq!(
        read(&by_init, "comparisons.csv"),
        read(&twin, "comparisons.csv")
    );
}

#[test]
fn review_edges_blank_quarters_invalid_follow_ups_and_order_by_date_without_dates() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A blank date groups as (missing), a bad one as (not a date).
    let csv = dir.path().join("q.csv");
    let mut text = String::from(
        "id,referral_date,pre_score,post_score,followup_score,post_date,followup_date\n",
    );
    for i in 0..12 {
        text.push_str(&format!("a{i},,5,4,4,2024-01-10,2024-03-20\n"));
        text.push_str(&format!("b{i},soon,5,4,4,2024-01-10,2024-03-20\n"));
    }
    // Two invalid follow-ups: they stay invalid, not outside the window.
    text.push_str("c1,2024-01-01,5,4,12,2024-01-10,2024-09-20\n");
    text.push_str("c2,2024-01-01,5,4,12,2024-01-10,2024-09-20\n");
    std::fs::write(&csv, text).expect("write");
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[columns]\npre_date = \"referral_date\"\n").expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&csv)
        .arg("--config")
        .arg(&config)
        .args([
            "--by",
            "referral_date:quarter",
            "--followup-window",
            "30..120",
            "--min-cell",
            "0",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let comparisons = read(&out, "comparisons.csv");
    assert!(
        comparisons.contains("referral_date:quarter,(missing),pre_post,12,"),
        "{comparisons}"
    );
    assert!(
        comparisons.contains("referral_date:quarter,(not a date),pre_post,12,"),
        "{comparisons}"
    );
    let flow = read(&out, "flow.csv");
    assert_eq!(flow_count(&flow, "invalid_followup"), 2);
    assert_eq!(flow_count(&flow, "followup_outside_window"), 0);
    // order-by-date without a date column is refused, not a panic.
    let long = dir.path().join("l.csv");
    std::fs::write(&long, "id,score\np1,5\np1,4\n").expect("write");
    let c2 = dir.path().join("o.toml");
    std::fs::write(&c2, "order-by-date = true\n").expect("write");
    let run = bin()
        .arg("analyse")
        .arg(&long)
        .arg("--config")
        .arg(&c2)
        .args(["--by", "", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .expect("runs");
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("order-by-date needs the assessments' dates")
    );
}
