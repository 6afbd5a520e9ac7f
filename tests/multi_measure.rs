//! Several measures in one run (#19): each measure's folder holds what a run of that measure
//! alone writes, the overview quotes their whole-sample rows, the config's [[measures]] and
//! `--scale a,b,c` agree, and what cannot be done is refused with what to do.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/measures")
        .join(name)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

const TABLES: [&str; 8] = [
    "comparisons.csv",
    "timepoints.csv",
    "repeated.csv",
    "mixed_model.csv",
    "attrition.csv",
    "distribution.csv",
    "transitions.csv",
    "flow.csv",
];

#[test]
fn each_measure_folder_is_a_run_of_that_measure_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("all");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct,swemwbs",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    for (scale, columns) in [
        (
            "ucla3",
            vec![
                "pre_q1",
                "pre_q2",
                "pre_q3",
                "post_q1",
                "post_q2",
                "post_q3",
                "followup_q1",
                "followup_q2",
                "followup_q3",
            ],
        ),
        (
            "ons_direct",
            vec!["pre_score", "post_score", "followup_score"],
        ),
    ] {
        let alone = dir.path().join(scale);
        let mut run = bin();
        run.arg("analyse")
            .arg(fixture("multi.csv"))
            .args(["--scale", scale, "--no-charts", "--quiet", "--out"])
            .arg(&alone);
        for c in &columns {
            run.args(["--column", &format!("{c}={scale}_{c}")]);
        }
        run.assert().success();
        for table in TABLES {
            assert_eq!(
                read(&out.join(scale), table),
                read(&alone, table),
                "{scale}: {table}"
            );
        }
        // The overview quotes the measure's own whole-sample row.
        let overview = read(&out, "overview.csv");
        let comparisons = read(&alone, "comparisons.csv");
        let whole = comparisons
            .lines()
            .find(|l| l.starts_with("all,All,pre_post,"))
            .expect("whole-sample row");
        let n = whole.split(',').nth(3).expect("n");
        let line = overview
            .lines()
            .find(|l| l.starts_with(&format!("{scale},{scale},")) && l.contains(",pre_post,"))
            .expect("overview row");
        assert_eq!(line.split(',').nth(4), Some(n), "{line}");
    }
    // The top holds the records' flow (the same for every measure) and the overview report.
    let flow = read(&out, "flow.csv");
    assert!(
        flow.contains("rows_read,300,") && flow.contains("people,300,"),
        "{flow}"
    );
    assert!(!flow.contains("with_pre"), "{flow}");
    let report = read(&out, "report.md");
    assert!(report.contains("## Across measures"));
    assert!(report.contains("[The full report of this measure](swemwbs/report.md)"));
    // `report` rebuilds every measure's report and the overview from the files.
    let before = read(&out, "report.html");
    std::fs::remove_file(out.join("report.html")).expect("remove");
    std::fs::remove_file(out.join("ucla3/report.md")).expect("remove");
    bin()
        .arg("report")
        .arg(&out)
        .arg("--no-charts")
        .assert()
        .success();
    assert_eq!(read(&out, "report.html"), before);
    assert!(out.join("ucla3/report.md").exists());
}

#[test]
fn the_configs_measures_name_their_folders_and_agree_with_the_scale_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (by_list, by_config) = (dir.path().join("list"), dir.path().join("config"));
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct,swemwbs",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&by_list)
        .assert()
        .success();
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .arg("--config")
        .arg(fixture("multi.toml"))
        .args(["--no-charts", "--quiet", "--out"])
        .arg(&by_config)
        .assert()
        .success();
    for (listed, named) in [
        ("ucla3", "loneliness"),
        ("ons_direct", "ons"),
        ("swemwbs", "wellbeing"),
    ] {
        for table in TABLES {
            assert_eq!(
                read(&by_list.join(listed), table),
                read(&by_config.join(named), table),
                "{named}: {table}"
            );
        }
    }
    let overview = read(&by_config, "overview.csv");
    assert!(
        overview.contains("wellbeing,swemwbs,higher = better,pre_post,"),
        "{overview}"
    );
}

#[test]
fn what_several_measures_cannot_do_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let output = bin()
            .arg("analyse")
            .arg(fixture("multi.csv"))
            .args(args)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output()
            .expect("runs");
        assert!(!output.status.success(), "{args:?}");
        String::from_utf8_lossy(&output.stderr).to_string()
    };
    assert!(run(&["--scale", "ucla3,swemwbs", "--streaming"]).contains("leave out --streaming"));
    assert!(run(&["--scale", "ucla3,ucla3"]).contains("two measures are named"));
    let e = run(&["--scale", "ucla3,ucla9"]);
    assert!(e.contains("unknown scale 'ucla9'"), "{e}");
    // A score column mapped for the whole run would be read by every measure: refused.
    let e = run(&[
        "--scale",
        "ucla3,ons_direct",
        "--column",
        "pre_score=ucla3_pre_q1",
    ]);
    assert!(e.contains("each names its own score columns"), "{e}");
    // A measure whose columns are not there names itself.
    let e = run(&["--scale", "ucla3,wemwbs"]);
    assert!(e.contains("measure wemwbs:"), "{e}");
}

#[test]
fn one_measure_in_the_config_writes_what_a_single_run_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("one.toml");
    std::fs::write(
        &config,
        "[[measures]]\nscale = \"ons_direct\"\ncolumns = { pre_score = \"ons_direct_pre_score\", post_score = \"ons_direct_post_score\", followup_score = \"ons_direct_followup_score\" }\n",
    )
    .expect("write");
    let out = dir.path().join("one");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .arg("--config")
        .arg(&config)
        .args(["--no-charts", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("comparisons.csv").exists());
    assert!(!out.join("overview.csv").exists());
    assert!(read(&out, "summary.json").contains("\"name\": \"ons_direct\""));
}

#[test]
fn changes_are_correlated_as_r_cor_test() {
    // R 4.2.2, on tests/data/measures/multi.csv with the answers coded by their labels:
    //   ch_u <- ucla3 post - pre; ch_o <- ons_direct post - pre (both complete: 300)
    //   cor.test(ch_u, ch_o)                      r 0.36873784916516344, CI 0.26663048132780853 to 0.46265978157793769
    //   cor.test(ch_u, ch_o, method = "spearman") rho 0.33855814429302156, p 1.7639986848773841e-09 (ties: t approximation)
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("all");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct,swemwbs",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(out.join("correlations.csv")).expect("table");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let row: std::collections::HashMap<String, String> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.expect("row").iter().map(str::to_string))
                .collect::<std::collections::HashMap<_, _>>()
        })
        .find(|r| {
            r["measure_a"] == "ucla3"
                && r["measure_b"] == "ons_direct"
                && r["comparison"] == "pre_post"
        })
        .expect("ucla3 and ons_direct");
    let close = |key: &str, want: f64| {
        let got: f64 = row[key].parse().expect("number");
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "{key}: {got} against {want}"
        );
    };
    assert_eq!(row["n"], "300");
    close("pearson_r", 0.36873784916516344);
    close("pearson_ci_low", 0.26663048132780853);
    close("pearson_ci_high", 0.46265978157793769);
    close("spearman_rho", 0.33855814429302156);
    close("spearman_p", 1.7639986848773841e-09);
    assert_eq!(row["spearman_p_exact"], "false");
    assert!(std::fs::read_to_string(out.join("report.md"))
        .expect("report")
        .contains("Correlation of the changes"));
}

#[test]
fn a_measures_folder_keeps_what_a_person_put_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("all");
    std::fs::create_dir_all(out.join("ucla3")).expect("folder");
    std::fs::write(out.join("ucla3/notes.docx"), "mine").expect("write");
    for _ in 0..2 {
        bin()
            .arg("analyse")
            .arg(fixture("multi.csv"))
            .args([
                "--scale",
                "ucla3,ons_direct",
                "--no-charts",
                "--quiet",
                "--force",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
    }
    assert_eq!(read(&out, "ucla3/notes.docx"), "mine");
    assert!(out.join("ucla3/comparisons.csv").exists());
    assert!(!out.join("ucla3/.loneliness-eval-partial").exists());
}

#[test]
fn a_single_run_after_several_measures_removes_their_folders_and_overview() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let analyse = |scale: &str| {
        bin()
            .arg("analyse")
            .arg(fixture("multi.csv"))
            .args(["--scale", scale, "--no-charts", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
    };
    analyse("ucla3,ons_direct,swemwbs");
    std::fs::write(out.join("ons_direct/mine.txt"), "kept").expect("write");
    // Two of the three measures: the third's folder goes.
    analyse("ucla3,ons_direct");
    assert!(!out.join("swemwbs").exists());
    assert!(out.join("ucla3/comparisons.csv").exists());
    // One measure (found by its prefixed columns): every measure folder and the overview go,
    // except a person's own file (and so its folder).
    analyse("swemwbs");
    for gone in [
        "ucla3",
        "overview.csv",
        "correlations.csv",
        "ons_direct/comparisons.csv",
    ] {
        assert!(
            !out.join(gone).exists(),
            "{gone} is left from the earlier run"
        );
    }
    assert_eq!(read(&out, "ons_direct/mine.txt"), "kept");
    assert!(read(&out, "comparisons.csv").contains("pre_post"));
}

#[test]
fn validate_and_score_read_every_measure() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An out-of-range answer in one measure's column is listed under that column.
    let text = read(&fixture(""), "multi.csv");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "ons_direct_post_score")
        .expect("column");
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    cells[column] = "Sometimes maybe".into();
    lines[5] = cells.join(",");
    let dirty = dir.path().join("dirty.csv");
    std::fs::write(&dirty, lines.join("\n") + "\n").expect("write");
    let output = bin()
        .arg("validate")
        .arg(&dirty)
        .args(["--scale", "ucla3,ons_direct,swemwbs"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("line 6") && stdout.contains("ons_direct_post_score"),
        "{stdout}"
    );
    assert!(stdout.contains("1 problem in 300 records"), "{stdout}");
    let clean = bin()
        .arg("validate")
        .arg(fixture("multi.csv"))
        .args(["--config"])
        .arg(fixture("multi.toml"))
        .output()
        .expect("runs");
    assert!(clean.status.success());
    assert!(String::from_utf8_lossy(&clean.stdout).contains("measures loneliness, ons, wellbeing"));

    // score: each measure's columns, prefixed, equal to that measure scored alone.
    let score = |scale: &str| {
        let output = bin()
            .arg("score")
            .arg(fixture("multi.csv"))
            .args(["--scale", scale])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{scale}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let all = score("ucla3,ons_direct,swemwbs");
    let table = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let all_rows = table(&all);
    for scale in ["ucla3", "ons_direct", "swemwbs"] {
        let alone = table(&score(scale));
        for (j, name) in alone[0].iter().enumerate() {
            let wanted = match j {
                0..=2 => name.clone(),
                _ => format!("{scale}_{name}"),
            };
            let k = all_rows[0]
                .iter()
                .position(|h| *h == wanted)
                .unwrap_or_else(|| panic!("{wanted} in {:?}", all_rows[0]));
            for (a, b) in alone.iter().zip(&all_rows).skip(1) {
                assert_eq!(a[j], b[k], "{scale} {name}");
            }
        }
    }
    // analyse --write-scored writes the same table once, at the top.
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct,swemwbs",
            "--write-scored",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(read(&out, "scored.csv"), all);
    assert!(!out.join("ucla3/scored.csv").exists());
    assert!(
        read(&out, "summary.json").contains("scored.csv (--write-scored) holds participant ids")
    );
}

#[test]
fn the_terminal_says_a_shared_notice_once_and_withheld_sizes_as_withheld() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A group spelled two ways is a notice about the records, the same for every measure.
    let text = read(&fixture(""), "multi.csv");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[7] = lines[7].replacen(",X,", ", x,", 1);
    let input = dir.path().join("spelled.csv");
    std::fs::write(&input, lines.join("\n") + "\n").expect("write");
    let output = bin()
        .arg("analyse")
        .arg(&input)
        .args([
            "--scale",
            "ucla3,ons_direct",
            "--no-charts",
            "--min-cell",
            "200",
        ])
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("differ only in case").count(), 1, "{stderr}");
    // 143 people have a follow-up, fewer than min-cell 200: their number is not shown as 0.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ucla3 = stdout
        .lines()
        .find(|l| l.starts_with("│ ucla3"))
        .expect("a row for ucla3");
    assert!(
        ucla3.contains("┆ withheld ") && !ucla3.contains("┆ 0 "),
        "{ucla3}"
    );
}

#[test]
fn an_earlier_summary_naming_other_folders_cannot_remove_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct",
            "--no-charts",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    // A summary.json edited to name a parent, the staging folder or a path as a measure's
    // folder: none of them is touched.
    std::fs::create_dir_all(dir.path().join("keep")).expect("dir");
    std::fs::write(dir.path().join("keep/comparisons.csv"), "mine").expect("write");
    let text = read(&out, "summary.json")
        .replace("\"folder\": \"ucla3\"", "\"folder\": \"../keep\"")
        .replace(
            "\"folder\": \"ons_direct\"",
            "\"folder\": \".loneliness-eval-partial\"",
        );
    std::fs::write(out.join("summary.json"), text).expect("write");
    bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3",
            "--no-charts",
            "--quiet",
            "--force",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(read(&dir.path().join("keep"), "comparisons.csv"), "mine");
    assert!(read(&out, "comparisons.csv").contains("pre_post"));
    // One reliability for every measure is refused.
    let output = bin()
        .arg("analyse")
        .arg(fixture("multi.csv"))
        .args([
            "--scale",
            "ucla3,ons_direct",
            "--reliability",
            "0.8",
            "--out",
        ])
        .arg(dir.path().join("r"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("--reliability would apply one reliability to every measure"));
}

#[test]
fn a_comparison_nobody_has_shows_0_not_withheld() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The export without its follow-up columns: nobody has a follow-up.
    let text = read(&fixture(""), "multi.csv");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let keep: Vec<usize> = (0..rows[0].len())
        .filter(|&j| !rows[0][j].contains("followup"))
        .collect();
    let kept: Vec<String> = rows
        .iter()
        .map(|r| keep.iter().map(|&j| r[j]).collect::<Vec<_>>().join(","))
        .collect();
    let input = dir.path().join("no_followup.csv");
    std::fs::write(&input, kept.join("\n") + "\n").expect("write");
    let output = bin()
        .arg("analyse")
        .arg(&input)
        .args(["--scale", "ucla3,ons_direct", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ucla3 = stdout
        .lines()
        .find(|l| l.starts_with("│ ucla3"))
        .expect("a row for ucla3");
    assert!(
        ucla3.contains("┆ 0 ") && !ucla3.contains("┆ withheld "),
        "{ucla3}"
    );
}
