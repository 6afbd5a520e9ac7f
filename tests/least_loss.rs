//! The least-loss prototype (#20) against today's protection: on the same rows withheld whole,
//! it must leave nothing exposed and withhold no more count cells. The truth comes from a run
//! with `--min-cell 0` (nothing withheld), the rows withheld whole from a run with
//! `--secondary-suppression`; distribution.csv and transitions.csv are left out of both.

use assert_cmd::Command;
use loneliness_eval::cli::audit::published;
use loneliness_eval::disclosure::audit::{audit, Published};
use loneliness_eval::disclosure::least_loss::{protect, withheld_cells};
use loneliness_eval::output::results::ResultsDir;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn run(input: &Path, out: &Path, extra: &[&str]) -> Published {
    bin()
        .arg("analyse")
        .arg(input)
        .args([
            "--by",
            "trigger_group,location",
            "--quiet",
            "--no-charts",
            "--no-report",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    let mut p = published(&ResultsDir::load(out).expect("results"));
    p.sides.clear();
    p.transitions.clear();
    p
}

/// (least-loss cells withheld, today's, primary) on `input`, after checking both are clean.
fn compare(input: &Path, dir: &Path) -> (usize, usize, usize) {
    let truth = run(input, &dir.join("truth"), &["--min-cell", "0"]);
    let today = run(input, &dir.join("today"), &["--secondary-suppression"]);
    let mut start = truth.clone();
    start.min_cell = today.min_cell;
    start.sizes = today.sizes.clone();
    for (row, shown) in start.pairs.iter_mut().zip(&today.pairs) {
        if shown.n.is_none() {
            row.n = None;
            row.direction = [None; 3];
            row.categories = row.categories.map(|_| [None; 4]);
            row.reliable = row.reliable.map(|_| [None; 5]);
        }
    }
    let primary = start
        .pairs
        .iter()
        .filter(|r| r.n.is_some())
        .map(|r| {
            let small = |v: &Option<u64>| v.is_some_and(|v| v > 0 && v < start.min_cell);
            r.direction.iter().filter(|v| small(v)).count()
                + r.categories.iter().flatten().filter(|v| small(v)).count()
                + r.reliable.iter().flatten().filter(|v| small(v)).count()
        })
        .sum();
    let protected = protect(&start);
    let found = audit(&protected);
    assert!(
        found.exposed.is_empty(),
        "{:?}",
        &found.exposed[..found.exposed.len().min(3)]
    );
    assert!(audit(&today).exposed.is_empty());
    let whole = |p: &Published| {
        let rows: Vec<_> = p
            .pairs
            .iter()
            .filter(|r| r.group_by == "all")
            .cloned()
            .collect();
        withheld_cells(&Published {
            pairs: rows,
            ..Published::default()
        })
    };
    eprintln!(
        "whole sample's cells withheld: least-loss {}, today {}",
        whole(&protected),
        whole(&today)
    );
    (withheld_cells(&protected), withheld_cells(&today), primary)
}

#[test]
fn least_loss_withholds_no_more_than_today_on_a_small_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("id,trigger_group,location,pre_score,post_score,followup_score\n");
    for i in 0..90usize {
        let t = ["Bereaved", "Retired", "Carer", "New parent"][(i * 7 % 23).min(22) / 6];
        let l = ["North", "South", "East"][i % 3];
        let pre = 5 + i % 5;
        let post = (pre + 3 - (i * 5) % 6).clamp(3, 9);
        let followup = if i % 3 == 0 {
            ((pre + post) / 2).to_string()
        } else {
            String::new()
        };
        text.push_str(&format!("P{i},{t},{l},{pre},{post},{followup}\n"));
    }
    let input = dir.path().join("export.csv");
    std::fs::write(&input, text).expect("write");
    let (least, today, primary) = compare(&input, dir.path());
    eprintln!("least-loss {least}, today {today}, primary {primary}");
    assert!(least <= today, "least-loss {least} > today's {today}");
}

#[test]
#[ignore = "measures the bundled example (minutes): cargo test --release --test least_loss -- --ignored --nocapture"]
fn least_loss_on_the_bundled_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv");
    let start = std::time::Instant::now();
    let (least, today, primary) = compare(&example, dir.path());
    eprintln!(
        "bundled example: least-loss {least} cells, today {today}, primary {primary} ({:.1} s)",
        start.elapsed().as_secs_f64()
    );
}
