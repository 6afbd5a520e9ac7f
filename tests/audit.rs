//! `audit` (#20): from a results folder alone, the withheld counts a reader can pin down.
//! Default outputs give away a withheld group of one by subtraction; the protection against
//! differencing leaves nothing exposed.

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
    analyse(&input, &plain, &[]);
    let output = bin().arg("audit").arg(&plain).output().expect("runs");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("comparisons.csv trigger_group=(missing) pre_post n (withheld): the published counts show it is 1"),
        "{stdout}"
    );
    let protected = dir.path().join("protected");
    analyse(&input, &protected, &["--secondary-suppression"]);
    let output = bin().arg("audit").arg(&protected).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 exposed, 0 not checked"), "{stdout}");
}

#[test]
fn a_folder_that_is_not_results_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bin().arg("audit").arg(dir.path()).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("results folder"));
}
