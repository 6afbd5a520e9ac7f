//! Where results may be written, and that a failed run leaves earlier results as they were.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Runs analyse; returns (exit code, stderr).
fn analyse(input: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let output = bin()
        .arg("analyse")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-charts", "--no-report"])
        .args(extra)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_folder_holding_the_input_and_the_input_itself_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("export.csv");
    std::fs::copy(data("small_wide.csv"), &input).expect("copy");
    let (code, err) = analyse(&input, dir.path(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("is the folder holding the input"), "{err}");
    let (code, err) = analyse(&input, &input, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("is the input file"), "{err}");
    // Nothing was written beside the input, and it is unchanged.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .collect();
    assert_eq!(names.len(), 1);
    assert_eq!(
        std::fs::read(&input).expect("input"),
        std::fs::read(data("small_wide.csv")).expect("original")
    );
}

#[test]
fn a_folder_with_other_things_in_it_needs_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    let (code, err) = analyse(&data("small_wide.csv"), &out, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("holds no results of this tool (notes.txt)"),
        "{err}"
    );
    assert!(!out.join("comparisons.csv").exists());
    let (code, err) = analyse(&data("small_wide.csv"), &out, &["--force"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.join("comparisons.csv").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn another_inputs_results_need_force_and_the_same_inputs_do_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    assert_eq!(analyse(&data("small_wide.csv"), &out, &[]).0, Some(0));
    assert_eq!(
        analyse(&data("small_wide.csv"), &out, &[]).0,
        Some(0),
        "a rerun"
    );
    let (code, err) = analyse(&data("messy.csv"), &out, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("holds the results of another input"), "{err}");
    let (code, err) = analyse(&data("messy.csv"), &out, &["--force"]);
    assert_eq!(code, Some(0), "{err}");
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    assert!(summary.contains("messy.csv"), "{summary}");
}

#[test]
fn a_failed_run_leaves_the_earlier_results_as_they_were() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    assert_eq!(
        analyse(&data("small_wide.csv"), &out, &["--write-scored"]).0,
        Some(0)
    );
    let before: Vec<(String, Vec<u8>)> = snapshot(&out);
    // The staging folder cannot be made (a file is in its place): the run fails...
    std::fs::write(out.join(".loneliness-eval-partial"), "in the way").expect("write");
    let (code, err) = analyse(&data("small_wide.csv"), &out, &[]);
    assert_eq!(code, Some(1), "{err}");
    std::fs::remove_file(out.join(".loneliness-eval-partial")).expect("remove");
    // ... and every earlier file, scored.csv included, is still there unchanged.
    assert_eq!(snapshot(&out), before);
    // A successful run without --write-scored removes the earlier scored.csv (it holds ids).
    assert_eq!(analyse(&data("small_wide.csv"), &out, &[]).0, Some(0));
    assert!(!out.join("scored.csv").exists());
    assert!(!out.join(".loneliness-eval-partial").exists());
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn ids_appear_in_no_output_unless_write_scored() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Ids that cannot occur by chance in numbers, names or markup.
    let mut text = String::from("id,location,trigger_group,pre_score,post_score,followup_score\n");
    let ids: Vec<String> = (0..60).map(|i| format!("QX{i:03}ZQ")).collect();
    for (i, id) in ids.iter().enumerate() {
        text.push_str(&format!(
            "{id},L{},T{},{},{},{}\n",
            i % 3,
            i % 2,
            3 + i % 7,
            3 + i % 5,
            9 - i % 4
        ));
    }
    // A repeated id and an invalid score, so exclusions and problems are reported too.
    text.push_str(&format!("{},L0,T0,7,7,7\n", ids[0]));
    text.push_str("QX999ZQ,L0,T0,seven,7,7\n");
    let input = dir.path().join("in").join("export.csv");
    std::fs::create_dir(dir.path().join("in")).expect("mkdir");
    std::fs::write(&input, &text).expect("write");
    let out = dir.path().join("out");
    let status = bin()
        .arg("analyse")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--min-cell", "5"])
        .output()
        .expect("runs");
    assert!(status.status.success());
    let printed = String::from_utf8_lossy(&status.stdout).into_owned()
        + &String::from_utf8_lossy(&status.stderr);
    let mut files = vec![];
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    assert!(files.len() > 10, "{files:?}");
    for id in ids.iter().chain(std::iter::once(&"QX999ZQ".to_string())) {
        assert!(!printed.contains(id.as_str()), "{id} printed");
        for f in &files {
            let bytes = std::fs::read(f).expect("read");
            let hit = bytes.windows(id.len()).any(|w| w == id.as_bytes());
            assert!(!hit, "{id} in {}", f.display());
        }
    }
    // With --write-scored, only scored.csv holds them.
    let status = bin()
        .arg("analyse")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--write-scored", "--no-charts", "--no-report"])
        .output()
        .expect("runs");
    assert!(status.status.success());
    let scored = std::fs::read_to_string(out.join("scored.csv")).expect("scored");
    assert!(scored.contains("QX001ZQ"));
}

/// For each family (grouping column and comparison or timepoint) of a table: the number of
/// people in withheld rows, as anyone can derive it (whole sample minus published groups).
fn withheld_totals(path: &Path, slot: &str) -> Vec<(String, u64)> {
    let mut reader = csv::Reader::from_path(path).expect("table");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (by, n, slot, suppressed) = (col("group_by"), col("n"), col(slot), col("suppressed"));
    let mut totals = Vec::new();
    let whole: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[by] == "all").collect();
    for w in whole {
        let all_n: u64 = w[n].parse().unwrap_or(0);
        let mut families: Vec<&str> = rows
            .iter()
            .map(|r| &r[by])
            .filter(|b| *b != "all")
            .collect();
        families.dedup();
        for family in families {
            let published: u64 = rows
                .iter()
                .filter(|r| &r[by] == family && r[slot] == w[slot] && &r[suppressed] == "false")
                .map(|r| r[n].parse::<u64>().expect("n"))
                .sum();
            totals.push((format!("{family}/{}", &w[slot]), all_n - published));
        }
    }
    totals
}

#[test]
fn secondary_suppression_leaves_no_small_total_to_derive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Three trigger groups of 30, 12 and 3 people: the 3 are withheld, and without secondary
    // suppression all minus 30 minus 12 gives them away.
    let small = dir.path().join("small_groups.csv");
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for (i, group) in std::iter::repeat_n("A", 30)
        .chain(std::iter::repeat_n("B", 12))
        .chain(std::iter::repeat_n("C", 3))
        .enumerate()
    {
        text.push_str(&format!(
            "P{i},L{},{group},{},{}\n",
            i % 2,
            5 + i % 5,
            3 + i % 7
        ));
    }
    std::fs::write(&small, text).expect("write");
    for input in [repo.join("data/synthetic_export.csv"), small] {
        let name = input
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let plain = dir.path().join(format!("{name}-plain"));
        let strict = dir.path().join(format!("{name}-secondary"));
        assert_eq!(
            analyse(&input, &plain, &["--no-secondary-suppression"]).0,
            Some(0)
        );
        assert_eq!(
            analyse(&input, &strict, &["--secondary-suppression"]).0,
            Some(0)
        );
        let mut small_before = 0;
        for (table, slot) in [
            ("comparisons.csv", "comparison"),
            ("timepoints.csv", "timepoint"),
        ] {
            for (family, total) in withheld_totals(&plain.join(table), slot) {
                if (1..10).contains(&total) {
                    small_before += 1;
                }
                let _ = family;
            }
            for (family, total) in withheld_totals(&strict.join(table), slot) {
                assert!(
                    total == 0 || total >= 10,
                    "{name} {table} {family}: {total} people derivable"
                );
            }
        }
        // The inputs do have such totals without it, so the test can fail.
        assert!(
            small_before > 0,
            "{name}: no small withheld total to protect"
        );
    }
}

/// A comparisons.csv row's (group_by, group, comparison), its [improved, unchanged, worse]
/// as published ("" = blank) and its n.
type CountCells = ((String, String, String), [String; 3], String);

/// Every row's [`CountCells`], in the order of [`table_cells`].
fn count_cells(path: &Path) -> Vec<CountCells> {
    table_cells(path, &["n_improved", "n_unchanged", "n_worse", "n"])
        .into_iter()
        .map(|((by, comparison, group), mut cells)| {
            let n = cells.pop().expect("n");
            let counts: [String; 3] = cells.try_into().expect("three counts");
            ((by, group, comparison), counts, n)
        })
        .collect()
}

/// The bundled export analysed twice under `dir`: with no threshold (the true counts) and
/// with `--secondary-suppression`; the two results folders.
fn truth_and_protected(dir: &Path) -> (PathBuf, PathBuf) {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/synthetic_export.csv");
    let (truth, protected) = (dir.join("truth"), dir.join("protected"));
    assert_eq!(analyse(&input, &truth, &["--min-cell", "0"]).0, Some(0));
    assert_eq!(
        analyse(&input, &protected, &["--secondary-suppression"]).0,
        Some(0)
    );
    (truth, protected)
}

#[test]
fn secondary_suppression_protects_small_count_cells_in_rows_and_columns() {
    // The true counts come from a run without any threshold; the protected run must leave no
    // blanked total of a row (cells add up to n) or of a grouping column's cells (they add
    // up to the whole sample's) between 1 and 9 that subtraction could recover.
    let dir = tempfile::tempdir().expect("temp dir");
    let (truth_dir, protected_dir) = truth_and_protected(dir.path());
    let truth = count_cells(&truth_dir.join("comparisons.csv"));
    let protected = count_cells(&protected_dir.join("comparisons.csv"));
    assert_eq!(truth.len(), protected.len());
    let value = |s: &str| s.parse::<u64>().expect("count");
    let mut blanked = 0;
    // (group_by, comparison) -> each group's true cells and which are hidden.
    type Family = Vec<([u64; 3], [bool; 3])>;
    let mut families: std::collections::BTreeMap<(String, String), Family> = Default::default();
    for ((key, true_cells, _), (key2, shown, n)) in truth.iter().zip(&protected) {
        assert_eq!(key, key2);
        let cells = true_cells.clone().map(|c| value(&c));
        let withheld = n.is_empty();
        let hidden = shown.clone().map(|c| withheld || c.is_empty());
        if !withheld {
            // Every published count is either shown as it is or blank, never small.
            for (c, s) in cells.iter().zip(shown) {
                if !s.is_empty() {
                    assert_eq!(value(s), *c);
                    assert!(*c == 0 || *c >= 10, "{key:?}: {c} published");
                } else {
                    blanked += 1;
                }
            }
            let total: u64 = cells
                .iter()
                .zip(&hidden)
                .filter(|(_, &h)| h)
                .map(|(c, _)| c)
                .sum();
            assert!(
                total == 0 || total >= 10,
                "{key:?}: {total} derivable in the row"
            );
        }
        if key.0 != "all" {
            families
                .entry((key.0.clone(), key.2.clone()))
                .or_default()
                .push((cells, hidden));
        }
    }
    for (family, members) in &families {
        for column in 0..3 {
            let total: u64 = members
                .iter()
                .filter(|m| m.1[column])
                .map(|m| m.0[column])
                .sum();
            assert!(
                total == 0 || total >= 10,
                "{family:?} column {column}: {total} derivable"
            );
        }
    }
    assert!(blanked > 0, "the export has small cells to protect");
}

#[test]
fn the_id_column_cannot_be_a_group() {
    // Grouping by id would publish a row per person, named by their id.
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = analyse(
        &data("small_wide.csv"),
        &dir.path().join("out"),
        &["--by", "id"],
    );
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--by id: the participant id cannot be a grouping column"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").join("comparisons.csv").exists());
}

/// Each row of a table as (group_by, comparison, group) -> the named columns' cells.
fn table_cells(
    path: &Path,
    columns: &[&str],
) -> std::collections::BTreeMap<(String, String, String), Vec<String>> {
    let mut reader = csv::Reader::from_path(path).expect("table");
    let headers = reader.headers().expect("header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (by, group, comparison) = (at("group_by"), at("group"), at("comparison"));
    let wanted: Vec<usize> = columns.iter().map(|c| at(c)).collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (
                (
                    r[by].to_string(),
                    r[comparison].to_string(),
                    r[group].to_string(),
                ),
                wanted.iter().map(|&k| r[k].to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn secondary_suppression_protects_categories_and_reliable_change() {
    // categories.csv and reliable_change.csv lose only the cells that must go: every published
    // count is as computed and none is 1 to 9; some are withheld; and the audit of the
    // published tables finds nothing a reader could pin down.
    let dir = tempfile::tempdir().expect("temp dir");
    let (truth_dir, protected_dir) = truth_and_protected(dir.path());
    let value = |s: &str| s.parse::<u64>().expect("count");
    let tables: [(&str, &[&str]); 2] = [
        (
            "categories.csv",
            &[
                "n",
                "n_worse_earlier",
                "n_worse_later",
                "n_to_better",
                "n_to_worse",
            ],
        ),
        (
            "reliable_change.csv",
            &[
                "n",
                "n_reliably_better",
                "n_no_reliable_change",
                "n_reliably_worse",
                "n_recovered",
                "n_deteriorated",
            ],
        ),
    ];
    for (table, columns) in tables {
        let truth = table_cells(&truth_dir.join(table), columns);
        let protected = table_cells(&protected_dir.join(table), columns);
        assert_eq!(
            truth.keys().collect::<Vec<_>>(),
            protected.keys().collect::<Vec<_>>()
        );
        let (mut withheld, mut published) = (0, 0);
        for (key, shown) in &protected {
            if shown[0].is_empty() {
                continue; // the group is withheld whole
            }
            for (k, cell) in shown.iter().enumerate().skip(1) {
                if cell.is_empty() {
                    withheld += 1;
                    continue;
                }
                published += 1;
                assert_eq!(
                    cell, &truth[key][k],
                    "{table} {key:?}: published as computed"
                );
                let v = value(cell);
                assert!(
                    v == 0 || v >= 10,
                    "{table} {key:?}: a count of {v} published"
                );
            }
        }
        assert!(
            withheld > 0 && published > withheld,
            "{table}: {withheld} withheld, {published} published"
        );
    }
    let audit = Command::cargo_bin("loneliness-eval")
        .expect("binary")
        .arg("audit")
        .arg(&protected_dir)
        .output()
        .expect("runs");
    assert!(audit.status.success(), "{audit:?}");
}

#[test]
fn secondary_suppression_protects_counts_nested_across_tables() {
    // comparisons.csv, categories.csv and reliable_change.csv split the same people of a
    // group and comparison: reliably better people improved, recovered people moved out of
    // the lonely category, and so on. Where both counts of such a pair are published, their
    // difference (people in one set and not the other) must be 0 or at least 10. This
    // simulated export (`simulate --people 2000 --seed 5`) has groups whose tables pass
    // their own protection but differ by 1 to 9 across tables.
    let dir = tempfile::tempdir().expect("temp dir");
    let input = data("nested_2000.csv");
    let (truth, protected) = (dir.path().join("truth"), dir.path().join("protected"));
    assert_eq!(analyse(&input, &truth, &["--min-cell", "0"]).0, Some(0));
    assert_eq!(
        analyse(&input, &protected, &["--secondary-suppression"]).0,
        Some(0)
    );
    // (table, column) pairs: the second counts a subset of the first's people.
    let nested = [
        (
            ("comparisons.csv", "n_improved"),
            ("reliable_change.csv", "n_reliably_better"),
        ),
        (
            ("comparisons.csv", "n_worse"),
            ("reliable_change.csv", "n_reliably_worse"),
        ),
        (
            ("categories.csv", "n_to_better"),
            ("reliable_change.csv", "n_recovered"),
        ),
        (
            ("categories.csv", "n_to_worse"),
            ("reliable_change.csv", "n_deteriorated"),
        ),
    ];
    let mut small_in_truth = 0;
    for ((outer_table, outer), (inner_table, inner)) in nested {
        let column = |dir: &Path, table: &str, name: &str| table_cells(&dir.join(table), &[name]);
        let (true_outer, true_inner) = (
            column(&truth, outer_table, outer),
            column(&truth, inner_table, inner),
        );
        let (shown_outer, shown_inner) = (
            column(&protected, outer_table, outer),
            column(&protected, inner_table, inner),
        );
        for (key, a) in &true_outer {
            let diff = a[0].parse::<u64>().expect("count")
                - true_inner[key][0].parse::<u64>().expect("count");
            small_in_truth += usize::from((1..10).contains(&diff));
            let (o, i) = (&shown_outer[key][0], &shown_inner[key][0]);
            if o.is_empty() || i.is_empty() {
                continue;
            }
            assert_eq!((o, i), (&a[0], &true_inner[key][0]), "{key:?}: as computed");
            assert!(
                diff == 0 || diff >= 10,
                "{key:?}: {outer} {o} and {inner} {i} give away {diff} people"
            );
        }
    }
    assert!(
        small_in_truth > 0,
        "nothing to protect: the test cannot fail"
    );
    // The whole sample's pre -> post counts are published (withheld only where one of them is
    // small itself), and so is the headline's share improved.
    let shown = table_cells(&protected.join("comparisons.csv"), &["n_improved"]);
    let key = ("all".to_string(), "pre_post".to_string(), "All".to_string());
    assert!(!shown[&key][0].is_empty(), "{:?}", shown[&key]);
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(protected.join("summary.json")).expect("summary"),
    )
    .expect("json");
    assert!(summary["headline"]["pct_improved"].is_number(), "{summary}");
}

#[test]
fn histogram_and_transitions_give_back_no_small_set() {
    // transitions.csv leaves out small (earlier, later) pairs; the whole sample's histogram
    // bars and its improved / unchanged / worse counts are published. A bar, or a side of no
    // change, less the published pairs inside it must be 0 or at least 10 people.
    // nested_2000.csv had bars 1 to 9 people away from their pairs; small_side.csv (124
    // people, 5 worse) had its 5 worse pooled with the unchanged and 6 unchanged derivable.
    let number = |s: &str| s.parse::<f64>().expect("number");
    for (file, extra) in [
        ("nested_2000.csv", &[][..]),
        ("nested_2000.csv", &["--secondary-suppression"][..]),
        ("small_side.csv", &[][..]),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(analyse(&data(file), dir.path(), extra).0, Some(0));
        let rows = |name: &str| -> Vec<csv::StringRecord> {
            csv::Reader::from_path(dir.path().join(name))
                .expect(name)
                .records()
                .map(|r| r.expect("record"))
                .collect()
        };
        // (comparison, change, count) of each published pair.
        let pairs: Vec<(String, f64, f64)> = rows("transitions.csv")
            .iter()
            .map(|r| {
                (
                    r[0].to_string(),
                    number(&r[2]) - number(&r[1]),
                    number(&r[3]),
                )
            })
            .collect();
        let inside = |comparison: &str, keep: &dyn Fn(f64) -> bool| -> f64 {
            pairs
                .iter()
                .filter(|p| p.0 == comparison && keep(p.1))
                .map(|p| p.2)
                .sum()
        };
        let small = |total: f64, published: f64| {
            published > 0.0 && (1.0..10.0).contains(&(total - published))
        };
        for bar in rows("distribution.csv") {
            let (low, high, count) = (number(&bar[1]), number(&bar[2]), number(&bar[4]));
            let published = inside(&bar[0], &|d| low <= d && d <= high);
            assert!(
                !small(count, published),
                "{file} {extra:?}: bar {bar:?} less its pairs {published}"
            );
        }
        let comparisons = rows("comparisons.csv");
        let header = csv::Reader::from_path(dir.path().join("comparisons.csv"))
            .expect("comparisons")
            .headers()
            .expect("header")
            .clone();
        let at = |name: &str| header.iter().position(|h| h == name).expect(name);
        for row in comparisons.iter().filter(|r| &r[0] == "all") {
            let sides: [(&str, &dyn Fn(f64) -> bool); 3] = [
                ("n_improved", &|d| d < 0.0),
                ("n_unchanged", &|d| d == 0.0),
                ("n_worse", &|d| d > 0.0),
            ];
            for (name, side) in sides {
                if row[at(name)].is_empty() {
                    continue;
                }
                let published = inside(&row[at("comparison")], side);
                assert!(
                    !small(number(&row[at(name)]), published),
                    "{file} {extra:?}: {name} {} less its pairs {published}",
                    &row[at(name)]
                );
            }
        }
    }
}
