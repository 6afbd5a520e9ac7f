//! `audit` (#20): from a results folder alone, the withheld counts a reader can pin down.
//! Outputs without the protection against differencing (`--no-secondary-suppression`) give
//! away a withheld group of one by subtraction; the default leaves nothing exposed.

use assert_cmd::Command;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

/// 60 people in two trigger groups, and one with no trigger group: the "(missing)" group
/// of 1 that comparisons.csv withholds.
fn export(dir: &Path) -> std::path::PathBuf {
    let mut text = String::from("id,trigger_group,pre_score,post_score\n");
    for i in 0..61usize {
        let group = match i {
            60 => "",
            i if i % 2 == 0 => "Bereaved",
            _ => "Retired",
        };
        let pre = 5 + i % 5;
        let post = 3 + (i * 7) % 7;
        text.push_str(&format!("P{i},{group},{pre},{post}\n"));
    }
    let path = dir.join("export.csv");
    std::fs::write(&path, text).expect("write");
    path
}

fn analyse(input: &Path, out: &Path, extra: &[&str]) {
    bin()
        .arg("analyse")
        .arg(input)
        .args([
            "--by",
            "trigger_group",
            "--quiet",
            "--no-charts",
            "--no-report",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn the_missing_group_of_one_is_found_and_protection_leaves_nothing_exposed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = export(dir.path());
    let plain = dir.path().join("plain");
    analyse(&input, &plain, &["--no-secondary-suppression"]);
    let output = bin().arg("audit").arg(&plain).output().expect("runs");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("comparisons.csv trigger_group=(missing) pre_post n (withheld): the published counts show it is 1"),
        "{stdout}"
    );
    // The analyst is told, on the terminal only.
    let told = bin()
        .arg("analyse")
        .arg(&input)
        .args([
            "--by",
            "trigger_group",
            "--no-secondary-suppression",
            "--no-charts",
            "--no-report",
            "--out",
        ])
        .arg(dir.path().join("told"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&told.stderr);
    assert!(
        stderr.contains(
            "comparisons.csv, trigger_group, pre_post: the withheld groups hold 1 person in all"
        ),
        "{stderr}"
    );
    let protected = dir.path().join("protected");
    analyse(&input, &protected, &[]);
    let output = bin().arg("audit").arg(&protected).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 exposed, 0 not checked"), "{stdout}");
    // summary.json counts the loss by rule; the blank count cells of published rows in
    // comparisons.csv are the small ones and the protecting ones.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(protected.join("summary.json")).expect("summary"),
    )
    .expect("json");
    let loss = &summary["disclosure"]["withheld"]["comparisons.csv"];
    let mut reader = csv::Reader::from_path(protected.join("comparisons.csv")).expect("table");
    let header = reader.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (mut blank, mut rows_withheld) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.expect("row");
        if &record[at("suppressed")] == "true" {
            rows_withheld += 1;
            continue;
        }
        blank += ["n_improved", "n_unchanged", "n_worse"]
            .iter()
            .filter(|c| record[at(c)].is_empty())
            .count() as u64;
    }
    let number = |key: &str| loss[key].as_u64().expect(key);
    assert_eq!(
        number("count_cells_small") + number("count_cells_protecting"),
        blank
    );
    assert_eq!(
        number("rows_small") + number("rows_protecting"),
        rows_withheld
    );
    assert!(rows_withheld > 0, "{loss}");
}

#[test]
fn a_folder_that_is_not_results_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bin().arg("audit").arg(dir.path()).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("results folder"));
}

/// A small export drawn from `seed`: 30 to 150 people in trigger groups and locations of
/// very different sizes (some of 1 or 2 people), UCLA-3 totals at referral, end of support
/// and, for about a third, follow-up.
fn random_export(dir: &Path, seed: u64) -> std::path::PathBuf {
    let mut state = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut next = |k: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % k
    };
    let people = 30 + next(121);
    let triggers = ["Bereaved", "Retired", "Carer", "New parent", "Divorced"];
    let locations = ["North", "South", "East", "West", "Hub", "Rural"];
    let mut text = String::from("id,trigger_group,location,pre_score,post_score,followup_score\n");
    for i in 0..people {
        // Skewed: the first groups are common, the last rare.
        let t = triggers[(next(100).pow(2) / 2000).min(4) as usize];
        let l = locations[(next(100).pow(2) / 1700).min(5) as usize];
        let pre = 5 + next(5);
        let post = (pre as i64 - 2 + next(4) as i64).clamp(3, 9);
        let followup = if next(3) == 0 {
            ((post + pre as i64) / 2 + next(2) as i64)
                .clamp(3, 9)
                .to_string()
        } else {
            String::new()
        };
        text.push_str(&format!("P{i},{t},{l},{pre},{post},{followup}\n"));
    }
    let path = dir.join(format!("random{seed}.csv"));
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn protected_outputs_of_random_exports_expose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut leaks_without = 0;
    for seed in 0..12 {
        let input = random_export(dir.path(), seed);
        let run = |name: &str, extra: &[&str]| {
            let out = dir.path().join(format!("{name}{seed}"));
            bin()
                .arg("analyse")
                .arg(&input)
                .args([
                    "--by",
                    "trigger_group,location",
                    "--quiet",
                    "--no-charts",
                    "--no-report",
                    "--out",
                ])
                .arg(&out)
                .args(extra)
                .assert()
                .success();
            bin().arg("audit").arg(&out).output().expect("runs")
        };
        let protected = run("protected", &[]);
        assert!(
            protected.status.success(),
            "seed {seed}: {}",
            String::from_utf8_lossy(&protected.stdout)
        );
        leaks_without += usize::from(
            !run("plain", &["--no-secondary-suppression"])
                .status
                .success(),
        );
    }
    // The check can fail: most of these exports leak without the protection.
    assert!(leaks_without >= 6, "{leaks_without} of 12 leak unprotected");
}

#[test]
fn the_bundled_example_protected_exposes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv");
    bin()
        .arg("analyse")
        .arg(&example)
        .args(["--quiet", "--no-charts", "--no-report", "--out"])
        .arg(&out)
        .assert()
        .success();
    let output = bin().arg("audit").arg(&out).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(": 0 exposed, 0 not checked, of "),
        "{stdout}"
    );
}
