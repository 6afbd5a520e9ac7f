//! Tests that run the real binary on small files and check whole outputs.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs analyse quietly into a fresh directory and returns it.
fn analyse(input: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    bin()
        .arg("analyse")
        .arg(input)
        .arg("--out")
        .arg(dir.path())
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
    dir
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).expect("readable csv");
    r.records().map(|r| r.expect("valid record")).collect()
}

fn column(path: &Path, name: &str) -> usize {
    let mut r = csv::Reader::from_path(path).expect("readable csv");
    r.headers()
        .expect("header")
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The row of a CSV whose named columns hold the given values.
fn row_where(path: &Path, wanted: &[(&str, &str)]) -> csv::StringRecord {
    let columns: Vec<(usize, &str)> = wanted.iter().map(|&(c, v)| (column(path, c), v)).collect();
    csv_rows(path)
        .into_iter()
        .find(|r| columns.iter().all(|&(i, v)| &r[i] == v))
        .unwrap_or_else(|| panic!("no row {wanted:?} in {}", path.display()))
}

fn close(got: &str, want: f64, tol: f64) {
    let g: f64 = got
        .parse()
        .unwrap_or_else(|_| panic!("{got:?} is not a number"));
    assert!(((g - want) / want).abs() <= tol, "got {g}, want {want}");
}

#[test]
fn whole_sample_row_equals_r() {
    let out = analyse(&data("small_wide.csv"), &[]);
    let path = out.path().join("comparisons.csv");
    let rows = csv_rows(&path);
    let all = &rows[0];
    assert_eq!((&all[0], &all[1], &all[2]), ("all", "All", "pre_post"));
    // R: d <- read.csv("tests/data/small_wide.csv"); ok <- complete.cases(d$pre_score, d$post_score)
    //    a <- d$pre_score[ok]; b <- d$post_score[ok]; tt <- t.test(b, a, paired = TRUE)
    //    w <- wilcox46(b, a, paired = TRUE, conf.int = TRUE)  # current R (>= 4.6): exact with
    //      ties and zeros, n = 36 < 50 (tests/data/wilcoxon/wilcox46.R; the default --wilcoxon r)
    //    sprintf("%.17g", c(mean(a), sd(a), mean(b), sd(b), mean(b-a), sd(b-a), tt$conf.int,
    //                       tt$statistic, tt$p.value, w$statistic, w$p.value, w$estimate, w$conf.int))
    //    dz CI: uniroot(function(x) pt(t, 35, x) - 0.975 (or 0.025), c(t-20, t+20), tol = 1e-14)$root / 6
    let want = [
        ("mean_a", 7.277_777_777_777_777_7),
        ("sd_a", 1.542_004_467_496_050_2),
        ("mean_b", 6.194_444_444_444_444_6),
        ("sd_b", 1.769_898_212_479_938_7),
        ("mean_change", -1.083_333_333_333_333_3),
        ("sd_change", 1.155_731_061_153_193),
        ("ci_low", -1.474_376_465_028_713),
        ("ci_high", -0.692_290_201_637_953_52),
        ("t", -5.624_145_805_611_794_6),
        ("p_t", 2.416_910_384_744_079_6e-6),
        ("p_t_adj", 2.416_910_384_744_079_6e-6),
        ("wilcoxon_v", 48.0),
        ("p_wilcoxon", 7.778_406_143_188_476_6e-6),
        ("hl_estimate", -1.0),
        ("hl_ci_low", -1.5),
        ("hl_ci_high", -0.5),
        ("dz", -0.937_357_634_268_632_5),
    ];
    for (name, value) in want {
        close(&all[column(&path, name)], value, 1e-12);
    }
    close(
        &all[column(&path, "dz_ci_low")],
        -1.325_830_311_898_628_8,
        1e-9,
    );
    close(
        &all[column(&path, "dz_ci_high")],
        -0.539_531_854_897_665_2,
        1e-9,
    );
    assert_eq!(&all[column(&path, "n")], "36");
    assert_eq!(&all[column(&path, "df")], "35");
    assert_eq!(&all[column(&path, "suppressed")], "false");
}

/// `--wilcoxon r-4.2` reproduces reports made with R 4.2.2 (zeros dropped, the normal
/// approximation with ties), and summary.json says which rule a run used.
#[test]
fn wilcoxon_r42_keeps_r_4_2_2() {
    let out = analyse(&data("small_wide.csv"), &["--wilcoxon", "r-4.2"]);
    let path = out.path().join("comparisons.csv");
    let all = &csv_rows(&path)[0];
    // R 4.2.2: w <- wilcox.test(b, a, paired = TRUE, conf.int = TRUE) on the rows above:
    // V = 21, p = 4.046749288493077e-05 (normal approximation: ties and zeros).
    close(&all[column(&path, "wilcoxon_v")], 21.0, 1e-12);
    close(
        &all[column(&path, "p_wilcoxon")],
        4.046_749_288_493_077e-5,
        1e-12,
    );
    assert_eq!(&all[column(&path, "wilcoxon_method")], "normal");
    let summary = std::fs::read_to_string(out.path().join("summary.json")).expect("summary");
    assert!(summary.contains("\"wilcoxon\": \"r-4.2\""), "{summary}");
    let current = analyse(&data("small_wide.csv"), &[]);
    let summary = std::fs::read_to_string(current.path().join("summary.json")).expect("summary");
    assert!(summary.contains("\"wilcoxon\": \"r\""), "{summary}");
}

#[test]
fn contract_columns_and_row_order() {
    let out = analyse(&data("small_wide.csv"), &[]);
    let text = read(&out.path().join("comparisons.csv"));
    let header = text.lines().next().expect("header");
    assert_eq!(
        header,
        "group_by,group,comparison,n,mean_a,sd_a,mean_b,sd_b,mean_change,sd_change,ci_low,ci_high,t,df,p_t,p_t_adj,\
         wilcoxon_v,p_wilcoxon,p_wilcoxon_adj,dz,dz_ci_low,dz_ci_high,n_improved,n_unchanged,n_worse,pct_improved,suppressed,note,\
         wilcoxon_method,hl_estimate,hl_ci_low,hl_ci_high"
    );
    let keys: Vec<String> = csv_rows(&out.path().join("comparisons.csv"))
        .iter()
        .map(|r| format!("{}/{}/{}", &r[0], &r[1], &r[2]))
        .collect();
    let mut want = vec![];
    for (by, groups) in [
        ("all", vec!["All"]),
        (
            "trigger_group",
            vec![
                "Bereavement",
                "Mobility / health",
                "Retirement / no children at home",
            ],
        ),
        ("location", vec!["Hull", "Leeds", "Whitby", "York"]),
    ] {
        for g in groups {
            for c in ["pre_post", "pre_followup", "post_followup"] {
                want.push(format!("{by}/{g}/{c}"));
            }
        }
    }
    assert_eq!(keys, want);
    assert!(!text.contains("NaN") && !text.contains("inf"));
}

#[test]
fn small_groups_are_suppressed_entirely() {
    let out = analyse(&data("small_wide.csv"), &[]);
    let path = out.path().join("comparisons.csv");
    let rows = csv_rows(&path);
    let n = column(&path, "n");
    let suppressed = column(&path, "suppressed");
    let mut seen = 0;
    for row in &rows {
        if &row[suppressed] == "true" {
            seen += 1;
            let others_empty = row
                .iter()
                .enumerate()
                .skip(3)
                .all(|(i, c)| i == suppressed || c.is_empty());
            assert!(others_empty, "{row:?}");
        } else {
            assert!(row[n].parse::<usize>().expect("count") >= 10, "{row:?}");
        }
        if &row[1] == "Whitby" {
            assert_eq!(&row[suppressed], "true", "{row:?}");
        }
    }
    assert!(seen >= 3);
}

#[test]
fn min_cell_zero_reports_degenerate_groups_without_nan() {
    let out = analyse(&data("small_wide.csv"), &["--min-cell", "0"]);
    let path = out.path().join("comparisons.csv");
    let rows = csv_rows(&path);
    let whitby: Vec<_> = rows.iter().filter(|r| &r[1] == "Whitby").collect();
    assert_eq!(whitby.len(), 3);
    assert!(whitby.iter().all(|r| &r[26] == "false"));
    let text = read(&path);
    assert!(!text.contains("NaN") && !text.contains("inf"));
    // Every row without a t statistic explains why.
    let t = column(&path, "t");
    let note = column(&path, "note");
    for r in &rows {
        if r[t].is_empty() {
            assert!(!r[note].is_empty(), "{r:?}");
        }
    }
}

#[test]
fn wide_and_long_give_identical_comparisons() {
    let wide = analyse(&data("small_wide.csv"), &["--min-cell", "3"]);
    let long = analyse(&data("small_long.csv"), &["--min-cell", "3"]);
    assert_eq!(
        read(&wide.path().join("comparisons.csv")),
        read(&long.path().join("comparisons.csv"))
    );
}

#[test]
fn reruns_are_byte_identical() {
    let a = analyse(&data("small_wide.csv"), &["--write-scored"]);
    let b = analyse(&data("small_wide.csv"), &["--write-scored"]);
    for name in ["comparisons.csv", "flow.csv", "summary.json", "scored.csv"] {
        assert_eq!(
            read(&a.path().join(name)),
            read(&b.path().join(name)),
            "{name}"
        );
    }
}

fn flow(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    csv_rows(&dir.join("flow.csv"))
        .iter()
        .map(|r| (r[0].to_string(), r[1].parse().expect("count")))
        .collect()
}

#[test]
fn messy_export_is_fully_accounted_for() {
    let out = analyse(&data("messy.csv"), &["--min-cell", "0"]);
    let f = flow(out.path());
    let exclusions: u64 = f
        .iter()
        .filter(|(k, _)| k.starts_with("excluded_"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(f["rows_read"], f["rows_kept"] + exclusions);
    assert_eq!(f["rows_read"], 12);
    assert_eq!(f["excluded_malformed"], 1);
    assert_eq!(f["excluded_duplicate_id"], 1);
    assert_eq!(f["excluded_missing_id"], 1);
    assert_eq!(f["people"], 9);
    assert_eq!(f["invalid_pre"], 3);
    assert_eq!(f["invalid_post"], 1);
    assert_eq!(f["with_pre_post"], 3);
    let groups: Vec<String> = csv_rows(&out.path().join("comparisons.csv"))
        .iter()
        .filter(|r| &r[0] == "trigger_group" && &r[2] == "pre_post")
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(groups, ["(missing)", "Bereavement", "Mobility\nhealth"]);
}

#[test]
fn validate_lists_every_problem_with_line_and_column() {
    bin()
        .arg("validate")
        .arg(data("messy.csv"))
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "line 4, column pre_score: \"seven\" is not a number",
        ))
        .stdout(predicate::str::contains(
            "line 5, column pre_score: \"12\" is outside the total range 3-9",
        ))
        .stdout(predicate::str::contains(
            "line 6, column post_score: \"6.5\" is not a whole number",
        ))
        .stdout(predicate::str::contains("excluded_malformed"))
        .stdout(predicate::str::contains("excluded_duplicate_id"));
    bin()
        .arg("validate")
        .arg(data("small_wide.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems"));
}

#[test]
fn missing_column_names_the_closest_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("renamed.csv");
    std::fs::write(
        &path,
        "id,Location,Trigger Group,pre_score,post_score\nA,Leeds,Bereavement,7,5\n",
    )
    .expect("write");
    bin()
        .arg("analyse")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no trigger_group column for --by"))
        .stderr(predicate::str::contains(
            "did you mean \"Trigger Group\"? use --column trigger_group=\"Trigger Group\"",
        ));
    bin()
        .arg("analyse")
        .arg(&path)
        .args([
            "--column",
            "trigger_group=Trigger Group",
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .assert()
        .success();
}

#[test]
fn config_file_sets_options_and_custom_scales() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_path = dir.path().join("wellbeing.csv");
    let mut text = String::from("id,site,pre_score,post_score\n");
    for i in 0..12 {
        text.push_str(&format!(
            "W{i},{},{},{}\n",
            if i % 2 == 0 { "North" } else { "South" },
            14 + i % 5,
            17 + i % 7
        ));
    }
    std::fs::write(&data_path, text).expect("write");
    let config = dir.path().join("eval.toml");
    std::fs::write(
        &config,
        "scale = \"wellbeing\"\nby = [\"site\"]\nmin-cell = 5\n[[scales]]\nname = \"wellbeing\"\nitems = 7\nitem_min = 1\nitem_max = 5\nhigher_is_worse = false\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&data_path)
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let rows = csv_rows(&out.join("comparisons.csv"));
    assert_eq!(rows.len(), 9);
    // Higher is better here: every score rose or stayed, so nobody is "worse".
    let improved = column(&out.join("comparisons.csv"), "n_improved");
    let worse = column(&out.join("comparisons.csv"), "n_worse");
    assert_eq!(
        (
            &rows[0][worse],
            rows[0][improved].parse::<u32>().expect("count") > 0
        ),
        ("0", true)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).expect("json");
    assert_eq!(summary["scale"]["name"], "wellbeing");
    assert_eq!(summary["settings"]["min_cell"], 5);
    bin()
        .arg("analyse")
        .arg(&data_path)
        .arg("--config")
        .arg(&config)
        .args(["--min-cell", "100", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        csv_rows(&out.join("comparisons.csv"))[0][26].to_string(),
        "true",
        "command line beats config"
    );
}

#[test]
fn option_and_usage_errors() {
    let input = data("small_wide.csv");
    bin()
        .arg("analyse")
        .arg(&input)
        .args(["--scale", "ucla4"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown scale 'ucla4'"));
    bin()
        .arg("analyse")
        .arg(&input)
        .args(["--conf-level", "95"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("between 0 and 1"));
    bin()
        .arg("analyse")
        .arg(&input)
        .args(["--no-such-flag"])
        .assert()
        .code(2);
    bin()
        .arg("analyse")
        .arg(&input)
        .args(["--p-adjust", "sidak"])
        .assert()
        .code(2);
    bin()
        .arg("analyse")
        .arg(data("does_not_exist.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does_not_exist.csv"));
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    bin()
        .arg("analyse")
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("empty"));
    let stderr = bin()
        .arg("analyse")
        .arg(&empty)
        .output()
        .expect("runs")
        .stderr;
    assert_eq!(
        String::from_utf8_lossy(&stderr).lines().count(),
        1,
        "one line"
    );
}

#[test]
fn terminal_report_has_headline_and_flow() {
    let dir = tempfile::tempdir().expect("temp dir");
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "66.7% of 36 service users were less lonely after support",
        ))
        .stdout(predicate::str::contains("Bereavement"))
        .stdout(predicate::str::contains("Participant flow: rows_read 40"));
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(dir.path())
        .arg("-q")
        .assert()
        .success()
        .stdout("");
}

#[test]
fn score_and_scales_subcommands() {
    let out = bin()
        .arg("score")
        .arg(data("small_wide.csv"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with("id,trigger_group,location,pre_score,pre_category,pre_status,"),
        "{text}"
    );
    assert!(
        text.contains("P000,Bereavement,Leeds,7,lonely,valid,5,not lonely,valid,6,lonely,valid"),
        "{text}"
    );
    bin()
        .arg("scales")
        .assert()
        .success()
        .stdout(predicate::str::contains("ucla20"))
        .stdout(predicate::str::contains("1, 5, 6, 9, 10, 15, 16, 19, 20"))
        .stdout(predicate::str::contains(
            "reliability: Cronbach's alpha 0.72, Hughes",
        ));
    let toml_text = bin()
        .args(["scales", "--toml"])
        .output()
        .expect("runs")
        .stdout;
    let parsed: toml::Value =
        toml::from_str(&String::from_utf8_lossy(&toml_text)).expect("valid TOML");
    let scales = parsed["scales"].as_array().expect("scales");
    assert_eq!(scales.len(), 26);
    // A definition copied from --toml is a custom scale as it stands, conversion and all.
    let swemwbs = scales
        .iter()
        .find(|s| s["name"].as_str() == Some("swemwbs"))
        .expect("swemwbs");
    assert_eq!(swemwbs["conversion"].as_array().map(Vec::len), Some(29));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    let mut copied = swemwbs.clone();
    copied
        .as_table_mut()
        .expect("a table")
        .insert("name".into(), toml::Value::String("my_swemwbs".into()));
    let mut file = toml::map::Map::new();
    file.insert("scales".into(), toml::Value::Array(vec![copied]));
    std::fs::write(&config, toml::to_string(&file).expect("toml")).expect("write");
    bin()
        .args(["scales", "--config"])
        .arg(&config)
        .assert()
        .success()
        .stdout(predicate::str::contains("my_swemwbs"));
    // The reliability travels with the scale definition, so a copied custom scale keeps it.
    assert_eq!(parsed["scales"][0]["reliability"].as_float(), Some(0.72));
}

#[test]
fn items_are_scored_and_reversed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("items.csv");
    // ULS-8: items 3 and 6 reversed (5 - x). Person A: all 1 -> 6 + 4 + 4 = 14; post all 2 -> 12 + 3 + 3 = 18.
    std::fs::write(
        &path,
        "id,location,trigger_group,pre_q1,pre_q2,pre_q3,pre_q4,pre_q5,pre_q6,pre_q7,pre_q8,post_q1,post_q2,post_q3,post_q4,post_q5,post_q6,post_q7,post_q8\n\
         A,X,Y,1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2\n\
         B,X,Y,1,1,1,1,1,1,1,,2,2,2,2,2,2,2,2\n",
    )
    .expect("write");
    let scored = bin()
        .arg("score")
        .arg(&path)
        .args(["--scale", "ucla8"])
        .output()
        .expect("runs")
        .stdout;
    let text = String::from_utf8_lossy(&scored);
    assert!(text.contains("A,Y,X,14,,valid,18,,valid"), "{text}");
    assert!(text.contains("B,Y,X,,,missing,18,,valid"), "{text}");
    let prorated = bin()
        .arg("score")
        .arg(&path)
        .args(["--scale", "ucla8", "--max-missing-items", "1"])
        .output()
        .expect("runs")
        .stdout;
    // B answered 7 items scoring 1,1,4,1,1,4,1 = 13: 13 / 7 * 8.
    let want = format!("B,Y,X,{},,valid", 13.0f64 / 7.0 * 8.0);
    assert!(
        String::from_utf8_lossy(&prorated).contains(&want),
        "{}",
        String::from_utf8_lossy(&prorated)
    );
    bin()
        .arg("score")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the scale has 3 items"));
}

#[test]
fn tab_delimiter_and_long_layout_notices() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long.tsv");
    let mut text = String::from("id\tlocation\ttrigger_group\ttimepoint\tscore\n");
    for i in 0..12 {
        text.push_str(&format!("L{i}\tLeeds\tBereavement\tpre\t{}\n", 6 + i % 3));
        let place = if i == 0 { "York" } else { "Leeds" };
        text.push_str(&format!(
            "L{i}\t{place}\tBereavement\tpost\t{}\n",
            4 + i % 3
        ));
    }
    text.push_str("L1\tLeeds\tBereavement\tmidpoint\t5\n");
    std::fs::write(&path, text).expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 row give a person another location than their first row",
        ));
    let f = flow(&out);
    assert_eq!(
        (
            f["rows_read"],
            f["excluded_unknown_timepoint"],
            f["people"],
            f["with_pre_post"]
        ),
        (25, 1, 12, 12)
    );
    let rows = csv_rows(&out.join("comparisons.csv"));
    assert!(
        rows.iter().all(|r| &r[1] != "York"),
        "the first row's location is used"
    );
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "line 26, record excluded (excluded_unknown_timepoint): timepoint \"midpoint\"",
        ));
    bin()
        .arg("analyse")
        .arg(&path)
        .args(["--delimiter", ";", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no id column"));
}

#[test]
fn input_that_is_not_csv_text_is_refused_with_a_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &[u8], &str); 3] = [
        ("book.csv", b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        ("utf16.csv", b"\xFF\xFEi\x00d\x00", "UTF-16"),
        (
            "latin1.csv",
            b"id,location,trigger_group,pre_score,post_score\nA,Ynys M\xF4n,Bereavement,7,5\n",
            "byte 55 (line 2) is not UTF-8",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        bin()
            .arg("validate")
            .arg(&path)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("CSV UTF-8"));
    }
}

#[test]
fn column_renames_must_name_expected_columns() {
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .args(["--column", "pre_scor=pre_score"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "\"pre_scor\" is not a column this tool reads",
        ));
}

#[test]
fn trailing_blank_header_columns_are_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("excel.csv");
    let mut text = String::from("id,location,trigger_group,pre_score,post_score,,\n");
    for i in 0..10 {
        text.push_str(&format!("E{i},Leeds,Bereavement,{},{},,\n", 6 + i % 3, 5));
    }
    std::fs::write(&path, text).expect("write");
    bin().arg("validate").arg(&path).assert().success();
}

#[test]
fn stale_scored_file_is_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(&out)
        .args(["-q", "--write-scored"])
        .assert()
        .success();
    assert!(out.join("scored.csv").exists());
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    assert!(
        !out.join("scored.csv").exists(),
        "ids from the earlier run must not stay beside new results"
    );
}

#[test]
fn prorating_limit_must_leave_an_answered_item() {
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .args(["--max-missing-items", "3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "must be below the 3 items of ucla3",
        ));
}

#[test]
fn header_only_file_is_a_validation_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("header.csv");
    std::fs::write(&path, "id,location,trigger_group,pre_score,post_score\n").expect("write");
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(3)
        .stdout(predicate::str::contains("no data rows"));
    // A run that cannot answer fails, and writes nothing.
    bin()
        .arg("analyse")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no data rows"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn several_files_equal_their_concatenation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = read(&data("small_wide.csv"));
    let mut lines = whole.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    let part = |name: &str, rows: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).expect("write");
        path
    };
    let first = part("part1.csv", &rows[..17]);
    // The second part repeats one id of the first: a duplicate, as in the concatenated file.
    let mut second_rows = rows[17..].to_vec();
    second_rows.push(rows[0]);
    let second = part("part2.csv", &second_rows);
    let mut concatenated = rows.clone();
    concatenated.push(rows[0]);
    let joined = part("joined.csv", &concatenated);

    let run = |inputs: &[&Path], out: &str| {
        let out = dir.path().join(out);
        bin()
            .arg("analyse")
            .args(inputs)
            .arg("--out")
            .arg(&out)
            .args(["-q", "--no-charts", "--no-report"])
            .assert()
            .success();
        out
    };
    let split = run(&[&first, &second], "split");
    let single = run(&[&joined], "single");
    assert_eq!(
        read(&split.join("comparisons.csv")),
        read(&single.join("comparisons.csv"))
    );
    assert_eq!(
        read(&split.join("flow.csv")),
        read(&single.join("flow.csv"))
    );
    assert_eq!(flow(&split)["excluded_duplicate_id"], 1);
    // A quoted glob is expanded by the tool, in sorted order.
    let pattern = dir.path().join("part*.csv");
    let globbed = dir.path().join("globbed");
    bin()
        .arg("analyse")
        .arg(&pattern)
        .arg("--out")
        .arg(&globbed)
        .args(["-q", "--no-charts", "--no-report"])
        .assert()
        .success();
    assert_eq!(
        read(&globbed.join("comparisons.csv")),
        read(&single.join("comparisons.csv"))
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(&split.join("summary.json"))).expect("json");
    assert_eq!(summary["input"]["files"].as_array().map(Vec::len), Some(2));
    // validate names the file and its own line.
    bin()
        .arg("validate")
        .args([&first, &second])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(format!(
            "{} line 25, record excluded (excluded_duplicate_id)",
            second.display()
        )));
    // Files with other columns are refused.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "id,location,trigger_group,pre_score\nX,Leeds,Bereavement,5\n",
    )
    .expect("write");
    bin()
        .arg("analyse")
        .args([&first, &other])
        .arg("--out")
        .arg(dir.path().join("bad"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("differ from the first file's"));
    bin()
        .arg("analyse")
        .arg(dir.path().join("nothing*.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no file matches"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many_problems.csv");
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..20_000 {
        text.push_str(&format!("P{i},Leeds,Bereavement,seven,5\n"));
    }
    std::fs::write(&path, text).expect("write");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("loneliness-eval"))
        .arg("validate")
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut first)
        .expect("one line");
    // The reader is dropped here, like `| head -1`.
    let output = child.wait_with_output().expect("ends");
    assert!(first.contains("is not a number"), "{first}");
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn grouping_column_names_and_counts_do_not_break_charts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("odd.csv");
    let mut text = String::from("id,site/area,postcode,pre_score,post_score\n");
    for i in 0..400 {
        text.push_str(&format!(
            "P{i},{},PC{i},{},{}\n",
            ["North", "South"][i % 2],
            6 + i % 3,
            4 + i % 3
        ));
    }
    std::fs::write(&path, text).expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&path)
        .args(["--by", "site/area,postcode", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("charts/forest_site_area.svg").exists());
    // 400 postcodes: one row each would be unreadable, so those charts are left out.
    assert!(!out.join("charts/forest_postcode.svg").exists());
    let md = read(&out.join("report.md"));
    assert!(md.contains("(charts/forest_site_area.png)"), "{md}");
}

#[test]
fn crlf_with_quoted_last_fields_and_embedded_line_breaks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("q.csv");
    std::fs::write(
        &path,
        "id,location,trigger_group,pre_score,post_score\r\nA,\"L\",\"T\",\"7\",\"5\"\r\nB,\"L\",\"T\",\"8\",\"4\"\r\n\"C\",\"L\",\"T with \r\nbreak\",\"6\",\"bad\"\r\n",
    )
    .expect("write");
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "line 4, column post_score: \"bad\" is not a number",
        ));
    let scored = bin()
        .arg("score")
        .arg(&path)
        .args(["--by", "trigger_group"])
        .output()
        .expect("runs")
        .stdout;
    let text = String::from_utf8_lossy(&scored);
    assert!(
        text.contains("A,T,7,lonely,valid,5,not lonely,valid"),
        "{text}"
    );
    assert!(
        text.contains("C,\"T with \r\nbreak\",6,lonely,valid,,,invalid"),
        "{text}"
    );
}

#[test]
fn batch_boundaries_and_late_errors_in_the_parser_thread() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Exactly one batch of records, then two and a bit: every record counted, no hang.
    for rows in [4096usize, 8193] {
        let path = dir.path().join(format!("rows_{rows}.csv"));
        let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
        for i in 0..rows {
            text.push_str(&format!(
                "P{i},Leeds,Bereavement,{},{}\n",
                6 + i % 3,
                4 + i % 3
            ));
        }
        std::fs::write(&path, text).expect("write");
        let out = dir.path().join(format!("out_{rows}"));
        bin()
            .arg("analyse")
            .arg(&path)
            .args(["-q", "--no-charts", "--no-report", "--out"])
            .arg(&out)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .success();
        let f = flow(&out);
        assert_eq!(
            (f["rows_read"], f["people"], f["with_pre_post"]),
            (rows as u64, rows as u64, rows as u64)
        );
    }
    // A byte that is not UTF-8 far past the first batch still stops the run with its line.
    let path = dir.path().join("late.csv");
    let mut bytes = b"id,location,trigger_group,pre_score,post_score\n".to_vec();
    for i in 0..10_000 {
        bytes.extend_from_slice(format!("P{i},Leeds,Bereavement,7,5\n").as_bytes());
    }
    bytes.extend_from_slice(b"Q,Ynys M\xF4n,Bereavement,7,5\n");
    std::fs::write(&path, bytes).expect("write");
    bin()
        .arg("validate")
        .arg(&path)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(line 10002) is not UTF-8"));
}

#[test]
fn repeated_csv_equals_r_friedman_on_the_bundled_export() {
    // R 4.2.2, from `loneliness-eval score data/synthetic_export.csv --output scored.csv`:
    // d <- read.csv("scored.csv"); ok <- d[d$pre_status == "valid" & d$post_status == "valid" &
    //   d$followup_status == "valid", ]; y <- as.matrix(ok[, c("pre_score", "post_score",
    //   "followup_score")]); ft <- friedman.test(y)          # n = 817
    // sprintf("%.17g", c(ft$statistic, ft$p.value))  # 393.78589007383101 3.0937160098904197e-86
    // and for ok$location == "Leeds" (n = 22):       # 12.448275862068966 0.0019810308646785253
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &[],
    );
    let path = out.path().join("repeated.csv");
    let rows = csv_rows(&path);
    let (by, group, n) = (
        column(&path, "group_by"),
        column(&path, "group"),
        column(&path, "n"),
    );
    let (chi2, p) = (column(&path, "friedman_chi2"), column(&path, "p_friedman"));
    let w = column(&path, "kendalls_w");
    let row = |b: &str, g: &str| {
        rows.iter()
            .find(|r| &r[by] == b && &r[group] == g)
            .unwrap_or_else(|| panic!("no row {b}/{g}"))
    };
    let all = row("all", "All");
    assert_eq!(&all[n], "817");
    close(&all[chi2], 393.78589007383101, 1e-12);
    close(&all[p], 3.0937160098904197e-86, 1e-12);
    close(&all[w], 393.78589007383101 / (2.0 * 817.0), 1e-12);
    let leeds = row("location", "Leeds");
    assert_eq!(&leeds[n], "22");
    close(&leeds[chi2], 12.448275862068966, 1e-12);
    close(&leeds[p], 0.0019810308646785253, 1e-12);
    // Groups under --min-cell are withheld.
    let suppressed = column(&path, "suppressed");
    assert!(rows
        .iter()
        .any(|r| &r[suppressed] == "true" && r[n].is_empty() && r[chi2].is_empty()));
}

#[test]
fn mixed_model_csv_equals_r_lmertest_on_the_bundled_export() {
    // R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, from `analyse data/synthetic_export.csv
    // --write-scored`'s scored.csv, reshaped to one row per valid score:
    // long <- do.call(rbind, lapply(c("pre","post","followup"), function(tp) {
    //   ok <- s[[paste0(tp, "_status")]] == "valid"; data.frame(id = s$id[ok],
    //   trigger_group = s$trigger_group[ok], time = tp,
    //   score = as.numeric(s[[paste0(tp, "_score")]][ok]))}))
    // long$time <- factor(long$time, levels = c("pre", "post", "followup"))
    // m <- lmer(score ~ time + (1 | id), data = long, REML = TRUE)   # and Bereavement alone
    // summary(m)$coefficients; contest(m, c(1,1,0), joint = FALSE, confint = TRUE)
    // as.data.frame(VarCorr(m))$vcov
    // lme4's optimiser stops ~1e-8 from the optimum, hence 1e-6 (the tolerance).
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &[],
    );
    let path = out.path().join("mixed_model.csv");
    let cols = ["estimate", "se", "df", "t", "p", "ci_low", "ci_high"];
    let check = |group_by: &str, group: &str, term: &str, want: &[f64]| {
        let row = row_where(
            &path,
            &[("group_by", group_by), ("group", group), ("term", term)],
        );
        for (name, &w) in cols.iter().zip(want) {
            if w.is_nan() {
                assert_eq!(&row[column(&path, name)], "", "{group} {term} {name}");
            } else if w == 0.0 {
                assert_eq!(&row[column(&path, name)], "0", "{group} {term} {name}");
            } else if *name == "p" {
                // Far-tail p-values move with df, so on the log scale.
                let got: f64 = row[column(&path, name)].parse().expect("p");
                assert!(
                    (got.ln() - w.ln()).abs() <= 1e-6 * w.ln().abs(),
                    "{got} vs {w}"
                );
            } else {
                close(&row[column(&path, name)], w, 1e-6);
            }
        }
        row
    };
    // Changes: estimate to p (their intervals are checked via the means); means: no t or p.
    let nan = f64::NAN;
    let all = check(
        "all",
        "All",
        "followup_vs_pre",
        &[
            -0.57506427469463128,
            0.036797684326518962,
            3661.7820333541999,
            -15.627729984090333,
            2.4039524901170322e-53,
        ],
    );
    assert_eq!(&all[column(&path, "people")], "2998");
    assert_eq!(&all[column(&path, "observations")], "6230");
    close(
        &all[column(&path, "var_intercept")],
        1.443623205272631,
        1e-6,
    );
    close(
        &all[column(&path, "var_residual")],
        0.69872028379578743,
        1e-6,
    );
    // p underflows to 0 in R too.
    check(
        "all",
        "All",
        "post_vs_pre",
        &[
            -1.0212871380991395,
            0.02366962600419514,
            3490.0383392428962,
            -43.147582387576776,
            0.0,
        ],
    );
    check(
        "all",
        "All",
        "mean_post",
        &[
            5.9377949652602728,
            0.028431901095703864,
            4736.0255201070513,
            nan,
            nan,
            5.8820552180067116,
            5.9935347125138341,
        ],
    );
    check(
        "trigger_group",
        "Bereavement",
        "followup_vs_pre",
        &[
            -0.9498231103706205,
            0.072864130002924646,
            927.65436258504906,
            -13.035537655256382,
            8.6737126096397807e-36,
        ],
    );
    check(
        "trigger_group",
        "Bereavement",
        "mean_followup",
        &[
            6.0253727120840725,
            0.079518884598967665,
            1557.1746219329175,
            nan,
            nan,
            5.869397326848671,
            6.1813480973194741,
        ],
    );
    // Withheld groups show nothing but that they are withheld.
    let hidden = row_where(&path, &[("group", "(missing)"), ("suppressed", "true")]);
    assert!(hidden.iter().skip(2).take(14).all(str::is_empty));
}

#[test]
fn wilcoxon_exact_equals_coin_and_hodges_lehmann_is_a_walsh_average() {
    // R 4.2.2, coin 1.4-2, from `analyse data/synthetic_export.csv --write-scored`'s scored.csv:
    // ok <- sel & s$pre_status == "valid" & s$followup_status == "valid"
    // pvalue(wilcoxsign_test(y ~ x, data = data.frame(x = pre[ok], y = followup[ok]),
    //   distribution = "exact"))
    // Bereavement pre_followup (n = 199): 6.9227135143818961e-17
    // Leeds pre_post (n = 82):            6.6860474969010486e-10
    // All pre_followup (n = 817):         3.045390026852085e-25
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--wilcoxon", "exact"],
    );
    let path = out.path().join("comparisons.csv");
    for (by, group, comparison, want) in [
        (
            "trigger_group",
            "Bereavement",
            "pre_followup",
            6.9227135143818961e-17,
        ),
        ("location", "Leeds", "pre_post", 6.6860474969010486e-10),
        ("all", "All", "pre_followup", 3.045390026852085e-25),
    ] {
        let row = row_where(
            &path,
            &[
                ("group_by", by),
                ("group", group),
                ("comparison", comparison),
            ],
        );
        close(&row[column(&path, "p_wilcoxon")], want, 1e-12);
        assert_eq!(&row[column(&path, "wilcoxon_method")], "exact conditional");
    }
    // The whole sample's 2,415 pre/post changes are beyond the enumeration budget: R's normal
    // approximation, said in the note. R's Hodges-Lehmann there (wilcox.test(..., conf.int =
    // TRUE)): -1.4999511415952274 (-1.4999448212483684, -1.4999919538253981), all on the step
    // at the Walsh average -1.5.
    let all = row_where(&path, &[("group_by", "all"), ("comparison", "pre_post")]);
    assert_eq!(&all[column(&path, "wilcoxon_method")], "normal");
    assert!(all[column(&path, "note")].contains("too many changes to enumerate"));
    for name in ["hl_estimate", "hl_ci_low", "hl_ci_high"] {
        assert_eq!(&all[column(&path, name)], "-1.5", "{name}");
    }
    // summary.json records the choice.
    let summary = std::fs::read_to_string(out.path().join("summary.json")).expect("summary");
    assert!(summary.contains("\"wilcoxon\": \"exact\""), "{summary}");
}

#[test]
fn categories_csv_equals_r_mcnemar_on_the_bundled_export() {
    // R 4.2.2, from `loneliness-eval score data/synthetic_export.csv --output scored.csv`:
    // d <- read.csv("scored.csv"); ok <- d[d$pre_status == "valid" & d$post_status == "valid", ]
    // lv <- c("lonely", "not lonely"); x <- table(factor(ok$pre_category, lv),
    //   factor(ok$post_category, lv))    # 1421 694 / 31 269, n = 2415
    // m <- mcnemar.test(x); b <- binom.test(x[1, 2], x[1, 2] + x[2, 1])
    // sprintf("%.17g", c(m$statistic, m$p.value, b$p.value))
    //   604.47448275862064 1.7806124266031509e-133 3.5236009685850923e-164
    // and for ok$trigger_group == "Bereavement" (543 lonely before, 217 out, 5 in, n = 622):
    //   200.54504504504504 1.5881505131225501e-45 1.3040279010208911e-57
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--no-secondary-suppression"], // the statistics, not the protection
    );
    let path = out.path().join("categories.csv");
    let col = |name: &str| column(&path, name);
    let find = |b: &str, g: &str| {
        row_where(
            &path,
            &[("group_by", b), ("group", g), ("comparison", "pre_post")],
        )
    };
    let all = find("all", "All");
    assert_eq!(
        [
            "n",
            "worse_category",
            "n_worse_earlier",
            "n_to_better",
            "n_to_worse"
        ]
        .map(|c| all[col(c)].to_string()),
        ["2415", "lonely", "2115", "694", "31"]
    );
    close(&all[col("mcnemar_chi2")], 604.47448275862064, 1e-12);
    close(&all[col("p_mcnemar")], 1.7806124266031509e-133, 1e-12);
    close(&all[col("p_exact")], 3.5236009685850923e-164, 1e-12);
    let bereaved = find("trigger_group", "Bereavement");
    assert_eq!(
        ["n", "n_worse_earlier", "n_to_better", "n_to_worse"].map(|c| bereaved[col(c)].to_string()),
        ["622", "543", "217", "5"]
    );
    close(&bereaved[col("mcnemar_chi2")], 200.54504504504504, 1e-12);
    close(&bereaved[col("p_mcnemar")], 1.5881505131225501e-45, 1e-12);
    close(&bereaved[col("p_exact")], 1.3040279010208911e-57, 1e-12);
    // A scale without two categories writes no categories.csv (and removes an old one).
    assert!(!analyse(&data("small_wide.csv"), &["--scale", "raw"])
        .path()
        .join("categories.csv")
        .exists());
}

#[test]
fn reliable_change_equals_r_by_hand_on_the_bundled_export() {
    // R 4.2.2, from `loneliness-eval score data/synthetic_export.csv --output scored.csv`:
    // d <- read.csv("scored.csv"); ok <- d[d$pre_status == "valid" & d$post_status == "valid", ]
    // r <- 0.72; sd1 <- sd(ok$pre_score); sdiff <- sqrt(2) * sd1 * sqrt(1 - r)
    // rci <- (ok$post_score - ok$pre_score) / sdiff; better <- rci < -1.96; worse <- rci > 1.96
    // rec <- better & ok$pre_category == "lonely" & ok$post_category == "not lonely"
    // det <- worse & ok$pre_category == "not lonely" & ok$post_category == "lonely"
    // c(nrow(ok), sum(better), sum(!better & !worse), sum(worse), sum(rec), sum(det))
    //   2415 821 1565 29 502 11; sprintf("%.17g", c(sd1, sdiff))
    //   1.2518969329892673 0.93683388135978685; Bereavement: 622 284 335 3 171 1
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--no-secondary-suppression"], // the statistics, not the protection
    );
    let path = out.path().join("reliable_change.csv");
    let col = |name: &str| column(&path, name);
    let counts = [
        "n",
        "n_reliably_better",
        "n_no_reliable_change",
        "n_reliably_worse",
        "n_recovered",
        "n_deteriorated",
    ];
    let find = |b: &str, g: &str| {
        row_where(
            &path,
            &[("group_by", b), ("group", g), ("comparison", "pre_post")],
        )
    };
    let all = find("all", "All");
    assert_eq!(
        counts.map(|c| all[col(c)].to_string()),
        ["2415", "821", "1565", "29", "502", "11"]
    );
    close(&all[col("sd_earlier")], 1.2518969329892673, 1e-12);
    close(&all[col("s_diff")], 0.93683388135978685, 1e-12);
    assert_eq!(&all[col("reliability")], "0.72");
    let bereaved = find("trigger_group", "Bereavement");
    assert_eq!(
        counts.map(|c| bereaved[col(c)].to_string()),
        ["622", "284", "335", "3", "171", "1"]
    );
    // --reliability overrides the scale's value; a reliability of 1 or more is refused.
    let other = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--reliability", "0.9"],
    );
    let text = read(&other.path().join("reliable_change.csv"));
    assert!(
        text.lines().nth(1).expect("a row").contains(",0.9,"),
        "{text}"
    );
    bin()
        .args(["analyse", "--reliability", "1"])
        .arg(data("small_wide.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("between 0 and 1"));
}

#[test]
fn between_groups_equals_r_on_the_bundled_export() {
    // R 4.2.2, from `loneliness-eval score data/synthetic_export.csv --output scored.csv`,
    // the trigger groups published in comparisons.csv (n >= 10) and their pre_post pairs:
    // d <- read.csv("scored.csv"); ok <- d[d$pre_status == "valid" & d$post_status == "valid", ]
    // ok$trigger_group[ok$trigger_group == ""] <- "(missing)"; tab <- table(ok$trigger_group)
    // s <- ok[ok$trigger_group %in% names(tab)[tab >= 10], ]; g <- factor(s$trigger_group)
    // ch <- s$post_score - s$pre_score; k <- kruskal.test(ch, g); o <- oneway.test(ch ~ g)
    // a <- anova(lm(post_score ~ pre_score, s), lm(post_score ~ pre_score + g, s))
    // ss <- a$"Sum of Sq"[2]; sprintf("%.17g", c(k$statistic, k$p.value,
    //   k$statistic / ((nrow(s)^2 - 1) / (nrow(s) + 1)), o$statistic, o$parameter[2],
    //   o$p.value, a$F[2], a$"Pr(>F)"[2], ss / (ss + a$RSS[2])))      # n = 2414, 5 groups
    let want = [
        ("kruskal_h", 90.359738998593173),
        // p through statrs' regularised gamma: 1e-12 relative this far in the tail.
        ("p_kruskal", 1.1042939291647125e-18),
        ("epsilon_squared", 0.037447053045417809),
        ("welch_f", 24.766463842717776),
        ("welch_df2", 920.06421822069387),
        ("p_welch", 1.6958297523620819e-19),
        ("ancova_f", 24.076708046868582),
        ("p_ancova", 1.477354598741878e-19),
        ("partial_eta_squared", 0.038456482628109814),
    ];
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--no-secondary-suppression"], // the statistics, not the protection
    );
    let path = out.path().join("between_groups.csv");
    let col = |name: &str| column(&path, name);
    let row = row_where(
        &path,
        &[("group_by", "trigger_group"), ("comparison", "pre_post")],
    );
    assert_eq!([&row[col("groups")], &row[col("n")]], ["5", "2414"]);
    for (name, value) in want {
        close(&row[col(name)], value, 2e-12);
    }
}

#[test]
fn attrition_equals_r_on_the_bundled_export() {
    // R 4.2.2, from `loneliness-eval score data/synthetic_export.csv --output scored.csv`:
    // d <- read.csv("scored.csv"); p <- d[d$pre_status == "valid", ]
    // p$trigger_group[p$trigger_group == ""] <- "(missing)"; done <- p$post_status == "valid"
    // t <- t.test(p$pre_score[done], p$pre_score[!done])   # 2415 completed, 581 not
    //   -0.67509959256902352 865.15841300303271 0.49979286994906991
    // The groups published in comparisons.csv for pre_post (at least 10 people with both
    // scores): the five trigger groups other than "(missing)", and all 37 locations.
    // keep <- p$trigger_group != "(missing)"
    // chisq.test(table(p$trigger_group[keep], done[keep]))  # 3.8510142148380324 4 0.42654420489829398
    // chisq.test(table(p$location, done))                  # 33.384424051455369 36 0.59363040976323289
    let out = analyse(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv"),
        &["--no-secondary-suppression"], // the statistics, not the protection
    );
    let path = out.path().join("attrition.csv");
    let col = |name: &str| column(&path, name);
    let row = |on: &str| row_where(&path, &[("timepoint", "post"), ("compared_on", on)]);
    let baseline = row("baseline_score");
    assert_eq!(
        [
            &baseline[col("n_completed")],
            &baseline[col("n_not_completed")]
        ],
        ["2415", "581"]
    );
    close(&baseline[col("mean_completed")], 6.9515527950310556, 1e-13);
    close(
        &baseline[col("mean_not_completed")],
        6.9913941480206541,
        1e-13,
    );
    close(&baseline[col("statistic")], -0.67509959256902352, 1e-12);
    close(&baseline[col("df")], 865.15841300303271, 1e-12);
    close(&baseline[col("p")], 0.49979286994906991, 1e-12);
    for (on, statistic, df, p) in [
        (
            "trigger_group",
            3.8510142148380324,
            4.0,
            0.42654420489829398,
        ),
        ("location", 33.384424051455369, 36.0, 0.59363040976323289),
    ] {
        let r = row(on);
        close(&r[col("statistic")], statistic, 1e-12);
        close(&r[col("df")], df, 0.0);
        close(&r[col("p")], p, 1e-12);
        // The note counts the groups the test used: df + 1 rows against two columns.
        assert_eq!(
            &r[col("note")],
            format!(
                "{} groups: those published in comparisons.csv for pre_post, with a pre score",
                df as usize + 1
            ),
            "{on}"
        );
    }
}

/// With `--min-cell 0` every group is published, also one where nobody has a pre score; R's
/// table has no row for it, and the note counts the groups the test really used.
#[test]
fn attrition_note_counts_the_groups_the_test_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("export.csv");
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..30 {
        let location = ["A", "B", "C"][i % 3];
        let post = if i % 4 == 0 {
            String::new()
        } else {
            (3 + i % 5).to_string()
        };
        text.push_str(&format!("P{i},{location},T,{},{post}\n", 4 + i % 6));
    }
    // Location D: two people with a post score only.
    text.push_str("P90,D,T,,5\nP91,D,T,,6\n");
    std::fs::write(&input, text).expect("write");
    let out = analyse(&input, &["--min-cell", "0"]);
    let path = out.path().join("attrition.csv");
    let r = row_where(&path, &[("timepoint", "post"), ("compared_on", "location")]);
    assert_eq!(&r[column(&path, "df")], "2");
    assert_eq!(
        &r[column(&path, "note")],
        "3 groups: those published in comparisons.csv for pre_post, with a pre score"
    );
}

#[test]
fn omega_total_equals_psych_on_uls8_items() {
    // tests/data/omega/uls8.csv (made by its make.R) as ULS-8 pre items: psych::omega(d,
    // plot = FALSE)$omega.tot = 0.82660519058842941 (psych's optimiser stops ~5e-7 short);
    // the exact least-squares solution it approaches: 0.82660557750539476. Items 3 and 6 are
    // reverse-scored by the scale, which changes no uniqueness and is undone by the flip.
    let items = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/omega/uls8.csv"),
    )
    .expect("data");
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("uls8.csv");
    let mut text = String::from("id,location,trigger_group");
    for q in 1..=8 {
        text.push_str(&format!(",pre_q{q}"));
    }
    text.push('\n');
    for (i, line) in items.lines().skip(1).enumerate() {
        text.push_str(&format!("P{i},L,T,{line}\n"));
    }
    std::fs::write(&input, text).expect("write");
    let out = analyse(&input, &["--scale", "ucla8"]);
    let path = out.path().join("item_reliability.csv");
    let pre = row_where(&path, &[("timepoint", "pre")]);
    assert_eq!(&pre[column(&path, "n")], "300");
    close(
        &pre[column(&path, "omega_total")],
        0.82660557750539476,
        1e-9,
    );
    close(
        &pre[column(&path, "omega_total")],
        0.82660519058842941,
        1e-5,
    );
}

#[test]
fn item_reliability_equals_psych_alpha_in_memory_and_streaming() {
    // The 40 people of the unit test in stats::alpha (R 4.2.2, psych::alpha; x generated with
    // set.seed(3), see there) as UCLA-3 items at pre: alpha 0.53242800280964642, Feldt CI
    // 0.20986031930763205 to 0.737032751859372.
    let x: [[u8; 3]; 40] = [
        [2, 3, 1],
        [2, 2, 2],
        [3, 3, 3],
        [1, 2, 1],
        [2, 3, 3],
        [1, 2, 1],
        [2, 2, 2],
        [3, 2, 2],
        [1, 2, 1],
        [2, 2, 3],
        [2, 1, 2],
        [1, 1, 1],
        [2, 1, 3],
        [1, 3, 1],
        [1, 2, 2],
        [1, 2, 1],
        [1, 1, 2],
        [3, 2, 1],
        [3, 3, 2],
        [2, 2, 2],
        [2, 2, 1],
        [2, 1, 1],
        [2, 3, 1],
        [1, 1, 1],
        [3, 2, 2],
        [1, 2, 2],
        [2, 3, 2],
        [3, 1, 2],
        [1, 1, 3],
        [1, 2, 2],
        [3, 2, 2],
        [3, 2, 3],
        [3, 2, 3],
        [3, 3, 3],
        [2, 1, 3],
        [3, 2, 3],
        [3, 3, 3],
        [2, 2, 1],
        [1, 2, 1],
        [2, 2, 3],
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("items.csv");
    let mut text =
        String::from("id,location,trigger_group,pre_q1,pre_q2,pre_q3,post_q1,post_q2,post_q3\n");
    for (i, r) in x.iter().enumerate() {
        text.push_str(&format!("P{i},L,T,{},{},{},1,,\n", r[0], r[1], r[2]));
    }
    // Someone with an unanswered item and someone with an invalid one take no part.
    text.push_str("P98,L,T,1,,2,,,\nP99,L,T,1,7,2,,,\n");
    std::fs::write(&input, text).expect("write");
    for extra in [&[][..], &["--streaming", "--partitions", "3"][..]] {
        let out = analyse(&input, extra);
        let path = out.path().join("item_reliability.csv");
        let rows = csv_rows(&path);
        let pre = &rows[0];
        assert_eq!([&pre[0], &pre[1], &pre[2]], ["pre", "3", "40"]);
        close(&pre[3], 0.53242800280964642, 1e-13);
        close(&pre[4], 0.20986031930763205, 1e-10);
        close(&pre[5], 0.737032751859372, 1e-10);
        // Post has no complete set of items, follow-up no item columns: items 0, n 0, a note.
        for row in [&rows[1], &rows[2]] {
            assert_eq!([&row[1], &row[2]], ["0", "0"]);
            assert_eq!(
                &row[column(&path, "note")],
                "nobody answered every item at this timepoint (or it has no item columns)"
            );
        }
        // Three items: no omega, and why.
        assert_eq!(&pre[column(&path, "omega_total")], "");
        assert!(pre[column(&path, "note")].contains("omega needs at least 6 items"));
    }
    // A totals export writes none.
    assert!(!analyse(&data("small_wide.csv"), &[])
        .path()
        .join("item_reliability.csv")
        .exists());
}
