//! The export's own words (#18): answer labels, a long layout's timepoint values, extra
//! missing codes, grouping recodes and merges, and exclusion rules, each counted in the flow
//! or visible in the results, and each refused with one line when the config names
//! something that is not there.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vocabulary")
        .join(name)
}

fn flow_count(flow: &str, stage: &str) -> u64 {
    flow.lines()
        .find_map(|l| l.strip_prefix(&format!("{stage},")))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no stage {stage} in\n{flow}"))
}

/// The comparisons.csv row for a group and comparison, as header → value.
fn row(table: &str, group: &str, comparison: &str) -> std::collections::HashMap<String, String> {
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    for record in reader.records() {
        let record = record.expect("record");
        if &record[1] == group && &record[2] == comparison {
            return header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect();
        }
    }
    panic!("no row {group} {comparison} in\n{table}");
}

#[test]
fn a_crm_export_is_read_in_its_own_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(fixture("crm_long.csv"))
        .arg("--config")
        .arg(fixture("eval.toml"))
        .args([
            "--max-missing-items",
            "1",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let flow = std::fs::read_to_string(out.join("flow.csv")).expect("flow");
    // 12 records: a TEST id and a TOTAL row excluded by rule, an "Interim review" ignored,
    // a "Weird" review type unknown; 8 assessments of 4 people kept.
    assert_eq!(flow_count(&flow, "rows_read"), 12);
    assert_eq!(flow_count(&flow, "excluded_by_rule"), 2);
    assert!(
        flow.contains("Client ID = \"\"TEST*\"\": 1; Location = \"\"TOTAL\"\": 1"),
        "{flow}"
    );
    assert_eq!(flow_count(&flow, "excluded_ignored_timepoint"), 1);
    assert_eq!(flow_count(&flow, "excluded_unknown_timepoint"), 1);
    assert_eq!(flow_count(&flow, "rows_kept"), 8);
    assert_eq!(flow_count(&flow, "people"), 4);
    // Labels and missing codes are missing or codes, never invalid.
    for tp in ["pre", "post", "followup"] {
        assert_eq!(flow_count(&flow, &format!("invalid_{tp}")), 0, "{tp}");
    }
    // Scores by hand (UCLA-3, labels 1-3, one missing item prorated as mean × 3):
    //   C1 pre Often, Some of the time, Often = 8; post Hardly ever, Hardly ever or never,
    //      "Some of the time." = 4
    //   C2 pre often, OFTEN, 99 (missing) = 9; post Some of the time, Hardly ever,
    //      "Prefer not to say" (missing) = 4.5
    //   C3 pre 3, 3, 2 = 8; post 1, 1, 1 = 3; follow-up 2, 1, 1 = 4
    //   C4 pre 9, no post.
    let table = std::fs::read_to_string(out.join("comparisons.csv")).expect("table");
    let all = row(&table, "All", "pre_post");
    assert_eq!(all["n"], "3");
    let close = |text: &str, want: f64| {
        let got: f64 = text.parse().expect("a number");
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    };
    close(&all["mean_a"], 25.0 / 3.0);
    close(&all["mean_b"], 11.5 / 3.0);
    // "Bereaved" is recoded to "Bereavement" (C1 and C2); "Unknown" is a missing code of the
    // Trigger column, so C4 is "(missing)".
    let bereavement = row(&table, "Bereavement", "pre_post");
    assert_eq!(bereavement["n"], "2");
    close(&bereavement["mean_a"], 8.5);
    assert!(!table.contains("Bereaved,"), "{table}");
    assert!(!table.contains("Unknown"), "{table}");
    let timepoints = std::fs::read_to_string(out.join("timepoints.csv")).expect("timepoints");
    assert!(
        timepoints.contains("trigger_group,(missing),pre,1,9,"),
        "{timepoints}"
    );
    // The report's flow diagram counts them too, so its numbers add up.
    let report = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(
        report.contains("a rule of the config (test, total): 2"),
        "flow diagram"
    );
    assert!(
        report.contains("interim review (ignored timepoint): 1"),
        "flow diagram"
    );
    // summary.json records the words used.
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    assert!(
        summary.contains("\"Interim review\": \"ignore\""),
        "{summary}"
    );
}

#[test]
fn near_duplicate_groups_are_warned_about_or_merged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("wide.csv");
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..30 {
        let location = match i % 10 {
            0 => "leeds ",
            1 => "LEEDS.",
            2..=5 => "Leeds",
            _ => "York",
        };
        text.push_str(&format!(
            "P{i},{location},Retired,{},{}\n",
            5 + i % 4,
            4 + i % 3
        ));
    }
    std::fs::write(&data, text).expect("write");
    let output = bin().arg("validate").arg(&data).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: location: \"LEEDS.\" (3), \"Leeds\" (12), \"leeds\" (3) differ only in case, spacing or punctuation"),
        "{stderr}"
    );
    let config = dir.path().join("eval.toml");
    std::fs::write(&config, "normalise-groups = true\nmin-cell = 0\n").expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args(["--no-charts", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    // Merged under the most common spelling.
    let table = std::fs::read_to_string(out.join("comparisons.csv")).expect("table");
    assert_eq!(row(&table, "Leeds", "pre_post")["n"], "18");
    assert!(
        !table.contains("LEEDS.") && !table.contains("leeds,"),
        "{table}"
    );
    // Streaming mode does not hold the whole file to choose a spelling: refused.
    let e = bin()
        .arg("analyse")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args(["--streaming", "--quiet", "--out"])
        .arg(dir.path().join("streamed"))
        .output()
        .expect("runs");
    assert_eq!(e.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&e.stderr).contains("normalise-groups"));
}

#[test]
fn a_missing_code_equals_a_blank_cell_on_every_reading_path() {
    // Large enough for several blocks of the parallel reader, which scores totals ahead
    // unless a total column has missing codes of its own.
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut coded, mut blank) = (String::new(), String::new());
    for text in [&mut coded, &mut blank] {
        text.push_str("id,location,trigger_group,pre_score,post_score,followup_score\n");
    }
    for i in 0..60_000u32 {
        let pre = 3 + i % 7;
        let post = 3 + (i * 7) % 7;
        let (post_coded, post_blank) = match i % 13 {
            0 => ("99".to_string(), String::new()),
            1 => ("Prefer not to say".to_string(), String::new()),
            _ => (post.to_string(), post.to_string()),
        };
        let line = |post: &str| format!("P{i},Site {},Group {},{pre},{post},\n", i % 37, i % 5);
        coded.push_str(&line(&post_coded));
        blank.push_str(&line(&post_blank));
    }
    let (coded_path, blank_path) = (dir.path().join("coded.csv"), dir.path().join("blank.csv"));
    std::fs::write(&coded_path, coded).expect("write");
    std::fs::write(&blank_path, blank).expect("write");
    let run = |input: &Path, out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        bin()
            .arg("analyse")
            .arg(input)
            .args(["--no-charts", "--no-report", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        ["comparisons.csv", "flow.csv"]
            .map(|f| std::fs::read_to_string(out.join(f)).expect("output"))
    };
    let want = run(&blank_path, "blank", &[]);
    for (name, extra) in [
        (
            "global",
            &[
                "--missing-code",
                "99",
                "--missing-code",
                "prefer not to say",
            ][..],
        ),
        (
            "column",
            &[
                "--missing-code",
                "post_score=99",
                "--missing-code",
                "post_score=Prefer not to say",
            ][..],
        ),
        (
            "streaming",
            &[
                "--missing-code",
                "99",
                "--missing-code",
                "Prefer not to say",
                "--streaming",
            ][..],
        ),
    ] {
        assert_eq!(run(&coded_path, name, extra), want, "{name}");
    }
    // Without the codes, they are invalid scores (and a problem to see), not silently missing.
    let without = run(&coded_path, "without", &[]);
    let coded_cells = (0..60_000u32).filter(|i| i % 13 < 2).count();
    assert!(
        without[1].contains(&format!("\ninvalid_post,{coded_cells},")),
        "{}",
        without[1]
    );
}

fn refused(config: &str, input: &Path) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("eval.toml");
    std::fs::write(&path, config).expect("write");
    let output = bin()
        .arg("analyse")
        .arg(input)
        .arg("--config")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{config}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn a_config_naming_what_is_not_there_is_refused() {
    let wide = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small_wide.csv");
    let e = refused("[exclude]\nsite = [\"TEST\"]\n", &wide);
    assert!(
        e.contains("[exclude] names column \"site\", which is not in the header"),
        "{e}"
    );
    let e = refused("[column-missing-codes]\nlocaton = [\"?\"]\n", &wide);
    assert!(e.contains("(did you mean \"location\"?)"), "{e}");
    let e = refused("[timepoints]\n\"Referral\" = \"start of time\"\n", &wide);
    assert!(e.contains("expected pre, post, followup or ignore"), "{e}");
    let e = refused("[labels]\n\"Always\" = 4\n", &wide);
    assert!(e.contains("outside the item range 1-3"), "{e}");
    let e = refused("missing-codes = [true]\n", &wide);
    assert!(e.contains("expected a number or text"), "{e}");
}

#[test]
fn numeric_groups_sort_as_numbers_and_bands_name_their_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("wide.csv");
    let mut text = String::from("id,site,age,pre_score,post_score\n");
    for i in 0..300 {
        let site = [2, 10, 1][i % 3];
        let age = [19, 24, 30, 52, 70, 81][i % 6];
        text.push_str(&format!("P{i},{site},{age},{},{}\n", 5 + i % 4, 4 + i % 3));
    }
    std::fs::write(&data, text).expect("write");
    let config = dir.path().join("eval.toml");
    std::fs::write(
        &config,
        "by = [\"site\", \"age\"]\n[bands]\nage = [18, 25, 65]\n",
    )
    .expect("write");
    for extra in [&[][..], &["--streaming", "--partitions", "3"][..]] {
        let out = dir.path().join(format!("out{}", extra.len()));
        bin()
            .arg("analyse")
            .arg(&data)
            .arg("--config")
            .arg(&config)
            .args(["--no-charts", "--no-report", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        let table = std::fs::read_to_string(out.join("comparisons.csv")).expect("table");
        let groups: Vec<String> = table
            .lines()
            .skip(1)
            .filter(|l| l.contains(",pre_post,"))
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(":"))
            .collect();
        assert_eq!(
            groups,
            [
                "all:All",
                "site:1",
                "site:2",
                "site:10",
                "age:18-24",
                "age:25-64",
                "age:65+"
            ],
            "{extra:?}"
        );
        assert_eq!(row(&table, "18-24", "pre_post")["n"], "100");
    }
}
