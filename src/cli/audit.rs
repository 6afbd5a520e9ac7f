//! `loneliness-eval audit results/`: reads a results folder as a reader of the published
//! tables would and lists every withheld count, or group of people a reader could name, that
//! the tables together pin to a small group (see `disclosure::audit` for the rule). Exits 3
//! when anything is exposed. Needs no raw data: an output checker can run it on what they
//! were sent.

use crate::disclosure::audit::{audit, Audit, Kind, PairRow, Published, SizeRow, Transitions};
use crate::error::Error;
use crate::output::results::{csv_cell, CsvRow, ResultsDir};
use clap::Args;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Options of `audit`.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// A results folder written by `analyse` (with several measures, each measure's folder is
    /// audited).
    pub results: PathBuf,
}

/// Runs `audit`; returns whether nothing is exposed.
pub fn run(args: &AuditArgs) -> Result<bool, Error> {
    let folders = match crate::output::publish::measure_folders(&args.results) {
        Some(names) => names.iter().map(|n| args.results.join(n)).collect(),
        None => vec![args.results.clone()],
    };
    let mut text = String::new();
    let mut clean = true;
    for folder in &folders {
        let published = published(&ResultsDir::load(folder)?);
        let found = audit(&published);
        clean &= found.exposed.is_empty() && found.unsolved.is_empty();
        text.push_str(&describe(folder, &published, &found));
    }
    super::print_out(&text)?;
    Ok(clean)
}

/// The lines for one folder.
fn describe(folder: &Path, published: &Published, found: &Audit) -> String {
    let mut text = String::new();
    for e in &found.exposed {
        let (lo, hi) = e.range;
        let range = if lo == hi {
            format!("is {lo}")
        } else {
            format!("is between {lo} and {hi}")
        };
        let _ = writeln!(
            text,
            "{}: exposed: {}: the published counts show it {range} (from {})",
            folder.display(),
            e.what,
            e.from.join(", ")
        );
    }
    for what in &found.unsolved {
        let _ = writeln!(
            text,
            "{}: not checked: {what}: its range could not be computed, so it is not called protected",
            folder.display()
        );
    }
    let _ = writeln!(
        text,
        "{}: {} exposed, {} not checked, of {} withheld counts and groups a reader could name (min-cell {})",
        folder.display(),
        found.exposed.len(),
        found.unsolved.len(),
        found.checked,
        published.min_cell
    );
    text
}

/// What the folder publishes, as the audit reads it.
pub fn published(results: &ResultsDir) -> Published {
    let further = |name: &str| -> &[CsvRow] {
        results
            .further
            .iter()
            .find(|(file, _)| file == name)
            .map_or(&[][..], |(_, rows)| rows)
    };
    let count = |row: &CsvRow, key: &str| csv_cell(row, key).trim().parse::<u64>().ok();
    let key = |row: &CsvRow| {
        (
            csv_cell(row, "group_by"),
            csv_cell(row, "group"),
            csv_cell(row, "comparison"),
        )
    };
    let categories = further("categories.csv");
    let reliable = further("reliable_change.csv");
    let pairs: Vec<PairRow> = results
        .comparisons
        .iter()
        .map(|c| {
            let same = |row: &&CsvRow| {
                key(row) == (c.group_by.clone(), c.group.clone(), c.comparison.clone())
            };
            // A percentage published beside a withheld count gives the count back.
            let from_pct = |count: Option<u64>, pct: Option<f64>| {
                count.or_else(|| Some((pct? * c.n? as f64 / 100.0).round() as u64))
            };
            PairRow {
                group_by: c.group_by.clone(),
                group: c.group.clone(),
                comparison: c.comparison.clone(),
                n: c.n,
                direction: [
                    from_pct(c.n_improved, c.pct_improved),
                    c.n_unchanged,
                    c.n_worse,
                ],
                categories: categories.iter().find(same).map(|r| {
                    [
                        count(r, "n_worse_earlier"),
                        count(r, "n_worse_later"),
                        count(r, "n_to_better"),
                        count(r, "n_to_worse"),
                    ]
                }),
                reliable: reliable.iter().find(same).map(|r| {
                    let pct = |k: &str| csv_cell(r, k).trim().parse::<f64>().ok();
                    [
                        from_pct(count(r, "n_reliably_better"), pct("pct_reliably_better")),
                        from_pct(
                            count(r, "n_no_reliable_change"),
                            pct("pct_no_reliable_change"),
                        ),
                        from_pct(count(r, "n_reliably_worse"), pct("pct_reliably_worse")),
                        count(r, "n_recovered"),
                        count(r, "n_deteriorated"),
                    ]
                }),
            }
        })
        .collect();
    let mut sizes: Vec<SizeRow> = results
        .timepoints
        .iter()
        .map(|t| SizeRow {
            table: "timepoints.csv",
            group_by: t.group_by.clone(),
            group: t.group.clone(),
            key: t.timepoint.clone(),
            n: t.n,
        })
        .collect();
    sizes.extend(further("repeated.csv").iter().map(|r| SizeRow {
        table: "repeated.csv",
        group_by: csv_cell(r, "group_by"),
        group: csv_cell(r, "group"),
        key: "all_three".into(),
        n: count(r, "n"),
    }));
    // distribution.csv's bars, per comparison: each bar lies on one side of no change, or
    // (a summed bar) spans sides; sides joined by a bar are added up together.
    let lower_is_better = results.summary.scale.higher_is_worse;
    let mut bars: std::collections::BTreeMap<String, Vec<([bool; 3], u64)>> = Default::default();
    for bar in &results.change_bins {
        let (improved_below, worse_below) = if lower_is_better { (0, 2) } else { (2, 0) };
        let mut covers = [false; 3];
        covers[improved_below] = bar.change_low < 0.0;
        covers[1] = bar.change_low <= 0.0 && bar.change_high >= 0.0;
        covers[worse_below] = bar.change_high > 0.0;
        bars.entry(bar.comparison.clone())
            .or_default()
            .push((covers, bar.count));
    }
    let sides = bars
        .into_iter()
        .map(|(comparison, bars)| (comparison, join_sides(&bars)))
        .collect();
    let transitions = transitions(results, &pairs);
    Published {
        min_cell: results.summary.settings.min_cell,
        pairs,
        sizes,
        sides,
        transitions,
        fixed: Vec::new(),
    }
}

/// transitions.csv by comparison, each published pair given its kind (direction, move between
/// categories, reliable change) as the tables define them, and each distribution bar's
/// people not in a published pair. A comparison whose bars do not add up to the whole
/// sample's n, or whose changes are not whole numbers, is left out (it adds nothing then).
fn transitions(results: &ResultsDir, pairs: &[PairRow]) -> Vec<Transitions> {
    let lower_is_better = results.summary.scale.higher_is_worse;
    let moves = pairs.iter().any(|p| p.categories.is_some());
    let reliable = pairs.iter().any(|p| p.reliable.is_some());
    let whole = |comparison: &str| {
        pairs
            .iter()
            .find(|p| p.group_by == "all" && p.comparison == comparison)
    };
    // The worse category's range, by the label categories.csv names.
    let worse_label = results
        .further
        .iter()
        .find(|(f, _)| f == "categories.csv")
        .and_then(|(_, rows)| rows.first())
        .map(|r| csv_cell(r, "worse_category"));
    let scale = &results.summary.scale;
    let worse_range = (scale.categories.iter())
        .chain(&scale.worse)
        .find(|c| Some(&c.label) == worse_label.as_ref())
        .map(|c| (c.min, c.max));
    if moves && worse_range.is_none() {
        return Vec::new(); // moves cannot be told from scores: nothing safe to add
    }
    let s_diff = |comparison: &str| -> Option<f64> {
        let rows = &results
            .further
            .iter()
            .find(|(f, _)| f == "reliable_change.csv")?
            .1;
        rows.iter()
            .find(|r| csv_cell(r, "group_by") == "all" && csv_cell(r, "comparison") == comparison)
            .and_then(|r| csv_cell(r, "s_diff").parse::<f64>().ok())
    };
    let direction = |d: f64| match (d < 0.0, d > 0.0) {
        (false, false) => 1,
        (true, _) => {
            if lower_is_better {
                0
            } else {
                2
            }
        }
        (_, true) => {
            if lower_is_better {
                2
            } else {
                0
            }
        }
    };
    let class = |d: f64, s_diff: Option<f64>| match s_diff {
        Some(s) if reliable && s > 0.0 => {
            let rci = d / s;
            if rci.abs() <= crate::summarise::yardsticks::RCI_CRITICAL {
                1
            } else if (rci < 0.0) == lower_is_better {
                0
            } else {
                2
            }
        }
        _ => 1,
    };
    let in_worse = |x: f64| worse_range.is_some_and(|(lo, hi)| x >= lo && x <= hi);
    let mut comparisons: Vec<String> = results
        .transitions
        .iter()
        .map(|t| t.comparison.clone())
        .collect();
    comparisons.dedup();
    let mut out = Vec::new();
    for comparison in comparisons {
        let Some(n) = whole(&comparison).and_then(|p| p.n) else {
            continue;
        };
        let s = s_diff(&comparison);
        if reliable && s.is_none() {
            continue;
        }
        let bars: Vec<_> = results
            .change_bins
            .iter()
            .filter(|b| b.comparison == comparison)
            .collect();
        let published: Vec<_> = results
            .transitions
            .iter()
            .filter(|t| t.comparison == comparison)
            .collect();
        if bars.iter().map(|b| b.count).sum::<u64>() != n || bars.iter().any(|b| !b.discrete) {
            continue;
        }
        let kind_of = |a: f64, b: f64| -> Kind {
            let d = b - a;
            let m = match (moves, in_worse(a), in_worse(b)) {
                (false, ..) => 1,
                (_, true, true) => 0,
                (_, false, false) => 1,
                (_, true, false) => 2,
                (_, false, true) => 3,
            };
            (direction(d), m, class(d, s))
        };
        let mut left_out = Vec::new();
        let mut consistent = true;
        for bar in &bars {
            let within = |d: f64| d >= bar.change_low && d <= bar.change_high;
            let paired: u64 = published
                .iter()
                .filter(|t| within(t.later - t.earlier))
                .map(|t| t.count)
                .sum();
            let Some(left) = bar.count.checked_sub(paired) else {
                consistent = false;
                break;
            };
            let mut changes: Vec<(usize, usize)> = Vec::new();
            let mut d = bar.change_low;
            while d <= bar.change_high {
                changes.push((direction(d), class(d, s)));
                d += 1.0;
            }
            changes.sort_unstable();
            changes.dedup();
            left_out.push((changes, left));
        }
        if !consistent {
            continue;
        }
        out.push(Transitions {
            comparison,
            pairs: published
                .iter()
                .map(|t| (kind_of(t.earlier, t.later), t.count))
                .collect(),
            left_out,
        });
    }
    out
}

/// Bars (the directions each covers, its people) as sums over sets of directions: directions
/// that share a bar go together.
fn join_sides(bars: &[([bool; 3], u64)]) -> Vec<crate::disclosure::audit::SideSum> {
    let mut set_of = [0usize, 1, 2];
    for (covers, _) in bars {
        let covered: Vec<usize> = (0..3).filter(|&d| covers[d]).collect();
        for w in covered.windows(2) {
            let (a, b) = (set_of[w[0]], set_of[w[1]]);
            for s in set_of.iter_mut() {
                if *s == b {
                    *s = a;
                }
            }
        }
    }
    let mut sums: std::collections::BTreeMap<usize, (Vec<usize>, u64)> = Default::default();
    for (d, &set) in set_of.iter().enumerate() {
        sums.entry(set).or_default().0.push(d);
    }
    for (covers, count) in bars {
        if let Some(d) = (0..3).find(|&d| covers[d]) {
            sums.entry(set_of[d]).or_default().1 += count;
        }
    }
    sums.into_values().collect()
}
