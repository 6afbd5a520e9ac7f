//! Least-loss protection (#20): the default outputs leave nothing exposed, publish the whole
//! sample's improved / unchanged / worse counts, and withhold in rows of 10 or more people at
//! most twice the count cells that are small themselves; on small tables the choice is
//! compared with the optimum found by trying every smaller set of cells.

use assert_cmd::Command;
use loneliness_eval::cli::audit::published;
use loneliness_eval::disclosure::audit::{audit, PairRow, Published};
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
    published(&ResultsDir::load(out).expect("results"))
}

/// (count cells withheld, of them small) in the published rows of 10 or more people, the
/// small ones counted in `truth`.
fn loss(protected: &Published, truth: &Published) -> (usize, usize) {
    let m = truth.min_cell;
    let (mut withheld, mut small) = (0, 0);
    for (shown, real) in protected.pairs.iter().zip(&truth.pairs) {
        if shown.n.is_none() || real.n.is_none_or(|n| n < 10) {
            continue;
        }
        let shown_cells = shown
            .direction
            .iter()
            .chain(shown.categories.iter().flatten())
            .chain(shown.reliable.iter().flatten());
        let real_cells = real
            .direction
            .iter()
            .chain(real.categories.iter().flatten())
            .chain(real.reliable.iter().flatten());
        for (s, r) in shown_cells.zip(real_cells) {
            if let (None, Some(v)) = (s, r) {
                withheld += 1;
                small += usize::from(*v > 0 && *v < m);
            }
        }
    }
    (withheld, small)
}

/// The default run of `input`: clean, the whole sample's direction counts published, and
/// the loss within twice the small cells.
fn check_default(input: &Path, dir: &Path) -> (usize, usize) {
    let truth = run(input, &dir.join("truth"), &["--min-cell", "0"]);
    let shown = run(input, &dir.join("shown"), &[]);
    let mut truth = truth;
    truth.min_cell = shown.min_cell;
    let found = audit(&shown);
    assert!(found.exposed.is_empty(), "{:?}", &found.exposed[..1]);
    // The whole sample's counts are withheld only where one of them is small itself.
    for (row, real) in shown.pairs.iter().zip(&truth.pairs) {
        let small = real.direction.iter().flatten().any(|&v| v > 0 && v < 10);
        if row.group_by == "all" && !small {
            assert!(
                row.direction.iter().all(Option::is_some),
                "the whole sample's {} counts are withheld: {row:?}",
                row.comparison
            );
        }
    }
    let (withheld, small) = loss(&shown, &truth);
    assert!(
        withheld <= 2 * small,
        "{withheld} cells withheld for {small} small ones"
    );
    (withheld, small)
}

#[test]
fn a_small_export_loses_at_most_twice_its_small_cells() {
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
    let (withheld, small) = check_default(&input, dir.path());
    eprintln!("small export: {withheld} cells withheld, {small} small");
}

#[test]
#[ignore = "the bundled example in a test build takes a minute: cargo test --release --test least_loss -- --ignored"]
fn the_bundled_example_loses_at_most_twice_its_small_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv");
    let (withheld, small) = check_default(&example, dir.path());
    eprintln!("bundled example: {withheld} cells withheld, {small} small");
}

fn row(group_by: &str, group: &str, direction: [u64; 3]) -> PairRow {
    PairRow {
        group_by: group_by.into(),
        group: group.into(),
        comparison: "pre_post".into(),
        n: Some(direction.iter().sum()),
        direction: direction.map(Some),
        categories: None,
        reliable: None,
    }
}

/// The fewest cells beyond the small ones that leave nothing exposed, by trying every set of
/// the groups' other cells in order of size.
fn optimum(truth: &Published) -> usize {
    let m = truth.min_cell;
    let mut start = truth.clone();
    let mut others = Vec::new();
    for (r, row) in start.pairs.iter_mut().enumerate() {
        for k in 0..3 {
            match row.direction[k] {
                Some(v) if v > 0 && v < m => row.direction[k] = None,
                Some(v) if v > 0 && row.group_by != "all" => others.push((r, k)),
                _ => {}
            }
        }
    }
    let small = withheld_cells(&start);
    for size in 0..=others.len() {
        let mut choice: Vec<usize> = (0..size).collect();
        loop {
            let mut trial = start.clone();
            for &i in &choice {
                let (r, k) = others[i];
                trial.pairs[r].direction[k] = None;
            }
            if audit(&trial).exposed.is_empty() {
                return small + size;
            }
            // The next set of `size` cells.
            let mut i = size;
            while i > 0 && choice[i - 1] == others.len() - size + i - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            choice[i - 1] += 1;
            for j in i..size {
                choice[j] = choice[j - 1] + 1;
            }
        }
    }
    unreachable!("withholding every cell leaves nothing exposed")
}

#[test]
fn on_small_tables_least_loss_is_near_the_optimum() {
    // Grouping columns of three or four groups, each with a small count somewhere.
    let tables: [&[[u64; 3]]; 4] = [
        &[[30, 12, 3], [25, 14, 20], [18, 22, 15]],
        &[[4, 20, 30], [22, 5, 25], [30, 28, 16]],
        &[[12, 3, 40], [15, 14, 2], [20, 11, 14], [33, 21, 18]],
        &[[2, 19, 24], [17, 3, 26], [28, 30, 1], [40, 22, 19]],
    ];
    let (mut ours, mut best) = (0, 0);
    for groups in tables {
        let mut whole = [0u64; 3];
        for g in groups.iter() {
            for k in 0..3 {
                whole[k] += g[k];
            }
        }
        let mut pairs = vec![row("all", "All", whole)];
        pairs.extend(
            groups
                .iter()
                .enumerate()
                .map(|(i, g)| row("site", &format!("S{i}"), *g)),
        );
        let truth = Published {
            min_cell: 10,
            pairs,
            ..Published::default()
        };
        let whole_rows = vec![false; truth.pairs.len()];
        let protected = protect(&truth, &whole_rows);
        assert!(audit(&protected).exposed.is_empty());
        let optimal = optimum(&truth);
        let chosen = withheld_cells(&protected);
        eprintln!("{groups:?}: least-loss {chosen} cells, optimum {optimal}");
        assert!(chosen >= optimal);
        ours += chosen;
        best += optimal;
    }
    // Within a quarter of the optimum over the four tables.
    assert!(4 * ours <= 5 * best, "least-loss {ours}, optimum {best}");
}
