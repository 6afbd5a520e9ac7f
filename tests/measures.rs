//! The built-in measures (#19) end to end: exports answered in words, scored by the rules of
//! each measure's source and analysed in its own direction, checked against the truths of
//! tests/data/measures/make.py (computed from the sources' rules, independently of the tool).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/measures")
        .join(name)
}

fn truth(measure: &str) -> Value {
    let text = std::fs::read_to_string(fixture("truth.json")).expect("truth.json");
    let json: Value = serde_json::from_str(&text).expect("json");
    json[measure].clone()
}

/// Runs analyse with `--scale scale` and returns the output folder.
/// The measure's statistics: these small fixtures are read with every count published
/// (`--no-secondary-suppression`), as the truths they are checked against count them.
fn analyse(input: &str, scale: &str, dir: &Path) -> PathBuf {
    let out = dir.join(scale);
    bin()
        .arg("analyse")
        .arg(fixture(input))
        .args([
            "--scale",
            scale,
            "--quiet",
            "--no-charts",
            "--no-secondary-suppression",
        ])
        .args(["--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// A row of a CSV table as header → value, the first whose cells match `keys`.
fn row(path: &Path, keys: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    let mut reader = csv::Reader::from_path(path).expect("table");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    for record in reader.records() {
        let record: std::collections::HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(record.expect("record").iter().map(str::to_string))
            .collect();
        if keys
            .iter()
            .all(|(k, v)| record.get(*k).map(String::as_str) == Some(*v))
        {
            return record;
        }
    }
    panic!("no row {keys:?} in {}", path.display());
}

fn number(row: &std::collections::HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key}: {:?}", row[key]))
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} against {want}"
    );
}

fn whole_sample(out: &Path) -> std::collections::HashMap<String, String> {
    row(
        &out.join("comparisons.csv"),
        &[("group_by", "all"), ("comparison", "pre_post")],
    )
}

#[test]
fn swemwbs_in_words_is_analysed_on_its_metric_scores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = analyse("swemwbs.csv", "swemwbs", dir.path());
    let t = truth("swemwbs");
    let r = whole_sample(&out);
    assert_eq!(r["n"], t["n"].to_string());
    close(
        number(&r, "mean_a"),
        t["mean_pre"].as_f64().expect("mean"),
        "mean pre",
    );
    close(
        number(&r, "mean_b"),
        t["mean_post"].as_f64().expect("mean"),
        "mean post",
    );
    // Higher is better: the improved are those whose score rose, and the report says so.
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    assert!(
        summary.contains("service users were better after support"),
        "{summary}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    assert!(report.contains("Wellbeing was measured with the Short Warwick-Edinburgh"));
    assert!(report.contains(
        "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) (c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved."
    ));
    // No cut-offs and no reliability: the two tables are left out, and the report says why.
    assert!(!out.join("categories.csv").exists() && !out.join("reliable_change.csv").exists());
    assert!(
        report.contains(
            "Not computed: categories.csv, because the SWEMWBS has no published cut-offs"
        ) && report.contains("Not computed: reliable_change.csv, because no reliability is known"),
        "{report}"
    );
    let json: Value = serde_json::from_str(&summary).expect("json");
    assert_eq!(json["not_computed"].as_array().map(Vec::len), Some(2));
    // Prorating cannot give a raw total the conversion holds: refused.
    let run = bin()
        .arg("analyse")
        .arg(fixture("swemwbs.csv"))
        .args(["--scale", "swemwbs", "--max-missing-items", "1", "--out"])
        .arg(dir.path().join("refused"))
        .output()
        .expect("runs");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("leave prorating out"));
}

#[test]
fn djg6_in_words_follows_the_manuals_scoring_and_missing_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = analyse("djg6.csv", "djg6", dir.path());
    let t = truth("djg6");
    let r = whole_sample(&out);
    assert_eq!(r["n"], t["n"].to_string());
    close(
        number(&r, "mean_a"),
        t["mean_pre"].as_f64().expect("mean"),
        "mean pre",
    );
    close(
        number(&r, "mean_b"),
        t["mean_post"].as_f64().expect("mean"),
        "mean post",
    );
    // The scale's own rule (one item may be missing) is the run's setting, recorded.
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["settings"]["max_missing_items"], 1);
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    assert!(
        report.contains(
            "a missing item scores 0 and nothing is prorated, as the scale's manual says"
        ),
        "{report}"
    );
    // A run's own allowance is said as the run's, not the manual's.
    let own = dir.path().join("own");
    bin()
        .arg("analyse")
        .arg(fixture("djg6.csv"))
        .args([
            "--scale",
            "djg6",
            "--max-missing-items",
            "2",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&own)
        .assert()
        .success();
    let report = std::fs::read_to_string(own.join("report.md")).expect("report");
    assert!(
        report.contains("the scale's manual allows 1 missing item(s), this run 2")
            && !report.contains("as the scale's manual says"),
        "{report}"
    );
    // Three categories: categories.csv follows the manual's lonely (a total of 2 or more).
    let c = row(
        &out.join("categories.csv"),
        &[("group_by", "all"), ("comparison", "pre_post")],
    );
    assert_eq!(c["worse_category"], "lonely (moderately or severely)");
    assert_eq!(c["n_worse_earlier"], t["lonely_before"].to_string());
    assert_eq!(c["n_worse_later"], t["lonely_after"].to_string());
}

#[test]
fn the_ons_question_reports_the_often_always_share_and_its_paired_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = analyse("ons.csv", "ons_direct", dir.path());
    let t = truth("ons_direct");
    let r = whole_sample(&out);
    assert_eq!(r["n"], t["n"].to_string());
    close(
        number(&r, "mean_a"),
        t["mean_pre"].as_f64().expect("mean"),
        "mean pre",
    );
    // categories.csv: often/always before and after, and McNemar's discordant pairs.
    let c = row(
        &out.join("categories.csv"),
        &[("group_by", "all"), ("comparison", "pre_post")],
    );
    assert_eq!(c["worse_category"], "often/always lonely");
    for (key, truth_key) in [
        ("n_worse_earlier", "often_before"),
        ("n_worse_later", "often_after"),
        ("n_to_better", "to_better"),
        ("n_to_worse", "to_worse"),
    ] {
        assert_eq!(c[key], t[truth_key].to_string(), "{key}");
    }
    // R: mcnemar.test(matrix(c(.., 32, 17, ..), 2)) uses only the discordant pairs:
    // chi2 = (|32 - 17| - 1)^2 / (32 + 17) = 196 / 49 = 4
    close(number(&c, "mcnemar_chi2"), 4.0, "McNemar chi-squared");
    // One ordinal answer: no mean in the headline, and the methods say why.
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    let headline = summary
        .lines()
        .find(|l| l.contains("\"text\""))
        .expect("headline");
    assert!(!headline.contains("mean change"), "{headline}");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    assert!(report.contains("single ordinal answer"));
}

#[test]
fn every_built_in_measure_is_listed_with_its_source_and_note() {
    let out = bin().arg("scales").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "ucla3_0",
        "ucla20_1978",
        "ons_direct",
        "djg6",
        "djg6_emotional",
        "djg6_social",
        "djg11",
        "djg11_5pt",
        "cel",
        "swemwbs",
        "wemwbs",
        "ons4_life_satisfaction",
        "ons4_worthwhile",
        "ons4_happy",
        "ons4_anxious",
    ] {
        assert!(
            text.contains(&format!("\n{name}: ")),
            "{name} has no source line"
        );
    }
    assert!(text.contains("Not a screening tool"));
    assert!(text.contains("calls this list 'version 3'"));
}
