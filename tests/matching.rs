//! Matching against R MatchIt 4.5.1 on tests/data/matching/people.csv (made by its make.R):
//! `matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people,
//! method = "nearest", distance = "glm", link = "linear.logit", ...)` with settings
//! a (1:1), b (ratio 2), c (replace), d (caliper 0.2), e (caliper 0.2, exact location_type).
//! The references are in stdabs/: the 4.5.1 source built with `std::abs`, as intended; the
//! Debian binary compares distances with integer `abs` (see tests/data/matching/README.md).
//! Units are given in people.csv's order, as R has them.

use loneliness_eval::matching::cohort::{Cohort, CohortCounts, Covariate, Kind, Unit};
use loneliness_eval::matching::{run_matching, MatchOptions, MatchingResult};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/matching")
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("reference file");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// people.csv as a cohort (covariates as `matchit` gets them) and the ids in order.
fn cohort(exact: bool) -> (Cohort, Vec<String>) {
    let rows = csv_rows(&dir().join("people.csv"));
    let levels = |name: &str| -> Vec<String> {
        let mut l: Vec<String> = rows.iter().map(|r| r[name].clone()).collect();
        l.sort();
        l.dedup();
        l
    };
    let categorical = ["age_band", "gender", "trigger_group"];
    let mut covariates: Vec<Covariate> = categorical
        .iter()
        .map(|&name| Covariate {
            name: name.into(),
            kind: Kind::Categorical {
                levels: levels(name),
            },
        })
        .collect();
    covariates.push(Covariate {
        name: "pre_score".into(),
        kind: Kind::Numeric,
    });
    let location = levels("location_type");
    let units = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut values: Vec<f64> = categorical
                .iter()
                .map(|&name| {
                    levels(name)
                        .iter()
                        .position(|l| l == &r[name])
                        .expect("level") as f64
                })
                .collect();
            let pre: f64 = r["pre_score"].parse().expect("pre");
            values.push(pre);
            Unit {
                treated: r["treat"] == "1",
                person: i,
                values,
                exact: if exact {
                    vec![location
                        .iter()
                        .position(|l| l == &r["location_type"])
                        .expect("level") as u32]
                } else {
                    vec![]
                },
                group: Some(r["trigger_group"].clone()),
                pre,
                post: r["post_score"].parse().expect("post"),
                followup: None,
            }
        })
        .collect();
    let ids = rows.iter().map(|r| r["id"].clone()).collect();
    (
        Cohort {
            covariates,
            exact: if exact {
                vec!["location_type".into()]
            } else {
                vec![]
            },
            exact_levels: if exact { vec![location] } else { vec![] },
            group_column: Some("trigger_group".into()),
            units,
            counts: [CohortCounts::default(), CohortCounts::default()],
        },
        ids,
    )
}

fn run(setting: &str) -> (Cohort, Vec<String>, MatchingResult) {
    let (ratio, replace, caliper, exact) = match setting {
        "a" => (1, false, None, false),
        "b" => (2, false, None, false),
        "c" => (1, true, None, false),
        "d" => (1, false, Some(0.2), false),
        "e" => (1, false, Some(0.2), true),
        _ => unreachable!(),
    };
    let (cohort, ids) = cohort(exact);
    let result = run_matching(
        &cohort,
        &MatchOptions {
            ratio,
            replace,
            caliper,
            conf_level: 0.95,
            min_cell: 10,
        },
    )
    .expect("matches");
    (cohort, ids, result)
}

fn close(what: &str, got: f64, want: f64, tolerance: f64) {
    let error = if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    };
    assert!(error <= tolerance, "{what}: {got} vs R {want}");
}

#[test]
fn distances_equal_glm() {
    let (_, ids, result) = run("a");
    let want = csv_rows(&dir().join("stdabs/a.distance.csv"));
    for (i, row) in want.iter().enumerate() {
        assert_eq!(row["id"], ids[i]);
        close(
            &format!("distance {}", ids[i]),
            result.distance[i],
            row["distance"].parse().expect("number"),
            1e-9,
        );
    }
}

#[test]
fn matches_and_weights_equal_matchit() {
    for setting in ["a", "b", "c", "d", "e"] {
        let (cohort, ids, result) = run(setting);
        let mut got: Vec<(String, String, usize)> = Vec::new();
        for m in &result.matches {
            for (slot, &c) in m.controls.iter().enumerate() {
                got.push((
                    ids[cohort.units[m.treated].person].clone(),
                    ids[cohort.units[c].person].clone(),
                    slot + 1,
                ));
            }
        }
        let want: Vec<(String, String, usize)> =
            csv_rows(&dir().join(format!("stdabs/{setting}.matches.csv")))
                .into_iter()
                .map(|r| {
                    (
                        r["treated_id"].clone(),
                        r["control_id"].clone(),
                        r["slot"].parse().expect("slot"),
                    )
                })
                .collect();
        assert_eq!(got, want, "setting {setting}: match matrix");
        for (i, row) in csv_rows(&dir().join(format!("stdabs/{setting}.weights.csv")))
            .iter()
            .enumerate()
        {
            close(
                &format!("setting {setting} weight of {}", row["id"]),
                result.weights[i],
                row["weight"].parse().expect("number"),
                1e-12,
            );
        }
    }
}

#[test]
fn balance_equals_matchit_summary() {
    for setting in ["a", "b", "c", "d", "e"] {
        let (_, _, result) = run(setting);
        let want = csv_rows(&dir().join(format!("stdabs/{setting}.balance.csv")));
        assert_eq!(result.balance.len(), want.len(), "setting {setting}: rows");
        for (got, want) in result.balance.iter().zip(&want) {
            let name = match &got.level {
                Some(level) => format!("{}{level}", got.covariate),
                None => got.covariate.clone(),
            };
            assert_eq!(name, want["variable"], "setting {setting}");
            let pairs = [
                ("means_treated_before", Some(got.before.mean_scheme)),
                ("means_control_before", Some(got.before.mean_comparator)),
                ("means_treated_after", Some(got.after.mean_scheme)),
                ("means_control_after", Some(got.after.mean_comparator)),
                ("std_mean_diff_before", got.before.smd),
                ("std_mean_diff_after", got.after.smd),
                ("var_ratio_before", got.before.var_ratio),
                ("var_ratio_after", got.after.var_ratio),
            ];
            for (column, value) in pairs {
                let what = format!("setting {setting} {name} {column}");
                match (value, want[column].as_str()) {
                    (None, "NA") => {}
                    (Some(v), text) => close(&what, v, text.parse().expect(&what), 1e-8),
                    (None, text) => panic!("{what}: none vs R {text}"),
                }
            }
        }
    }
}

#[test]
fn paired_difference_in_differences_equals_t_test() {
    // stdabs/a.effect.txt: t.test(chg[tr] - chg[co]) over the 150 pairs of setting a.
    let (_, _, result) = run("a");
    let all = &result.effects[0];
    assert_eq!((all.n_scheme, all.n_comparator), (150, 150));
    let e = all.effect.expect("an effect");
    close(
        "mean treated change",
        e.change_scheme,
        0.026666666666666668,
        1e-12,
    );
    close(
        "mean control change",
        e.change_comparator,
        -0.59999999999999998,
        1e-12,
    );
    close("estimate", e.estimate, 0.62666666666666671, 1e-12);
    close("se", e.se, 0.1242594768973653, 1e-12);
    close("t", e.t, 5.0432102429038475, 1e-12);
    assert_eq!(e.df, 149.0);
    close("ci low", e.ci.0, 0.38112830286470789, 1e-12);
    close("ci high", e.ci.1, 0.87220503046862552, 1e-12);
    close("p", e.p, 1.312532042894746e-06, 1e-9);
}

fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("loneliness-eval").expect("binary")
}

#[test]
fn the_binary_matches_as_matchit_on_the_two_files() {
    // tests/data/matching/binary/make.R: MatchIt (std::abs build) on rbind(scheme,
    // comparator) with caliper 0.2 and exact location_type: 140 pairs, in this order;
    // t.test of the paired differences of change: 0.62142857142857144 (0.3544052820885098 to
    // 0.88845186076863314), p = 9.3624339322072234e-06.
    let data = dir().join("binary");
    let out = tempfile::tempdir().expect("temp dir");
    bin()
        .arg("compare")
        .arg(data.join("scheme.csv"))
        .arg("--comparator")
        .arg(data.join("comparator.csv"))
        .args([
            "--covariates",
            "age_band,gender,trigger_group,pre_score",
            "--caliper",
            "0.2",
            "--exact",
            "location_type",
            "--write-matches",
            "-q",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("compare");
    let got: Vec<(String, String)> = csv_rows(&folder.join("matches.csv"))
        .into_iter()
        .map(|r| (r["scheme_id"].clone(), r["comparator_id"].clone()))
        .collect();
    let want: Vec<(String, String)> = csv_rows(&data.join("e.matches.csv"))
        .into_iter()
        .map(|r| (r["scheme_id"].clone(), r["comparator_id"].clone()))
        .collect();
    assert_eq!(got, want);
    let effects = csv_rows(&folder.join("effect.csv"));
    let all = &effects[0];
    assert_eq!(
        (all["group"].as_str(), all["n_scheme"].as_str()),
        ("All", "140")
    );
    close(
        "estimate",
        all["estimate"].parse().expect("number"),
        0.62142857142857144,
        1e-12,
    );
    close(
        "ci low",
        all["ci_low"].parse().expect("number"),
        0.3544052820885098,
        1e-12,
    );
    close(
        "ci high",
        all["ci_high"].parse().expect("number"),
        0.88845186076863314,
        1e-12,
    );
    close(
        "p",
        all["p"].parse().expect("number"),
        9.3624339322072234e-06,
        1e-9,
    );
    // Every person read is accounted for.
    let flow: BTreeMap<String, (u64, u64)> = csv_rows(&folder.join("matching_flow.csv"))
        .into_iter()
        .map(|r| {
            (
                r["stage"].clone(),
                (
                    r["scheme"].parse().expect("count"),
                    r["comparator"].parse().expect("count"),
                ),
            )
        })
        .collect();
    assert_eq!(flow["people"], (150, 400));
    assert_eq!(flow["matched"], (140, 140));
    assert_eq!(flow["unmatched"], (10, 260));
    // Balance has the distance, every covariate level, and the exact variable's levels.
    let balance = csv_rows(&folder.join("balance.csv"));
    assert_eq!(balance[0]["covariate"], "distance");
    assert!(balance.iter().any(|r| r["covariate"] == "location_type"));
    // No ids anywhere but matches.csv.
    for name in [
        "balance.csv",
        "effect.csv",
        "matching_flow.csv",
        "summary.json",
    ] {
        let text = std::fs::read_to_string(folder.join(name)).expect("written");
        assert!(!text.contains("1003"), "{name} holds an id");
    }
}

#[test]
fn a_covariate_missing_from_a_file_is_named() {
    let data = dir().join("binary");
    let out = tempfile::tempdir().expect("temp dir");
    bin()
        .arg("compare")
        .arg(data.join("scheme.csv"))
        .arg("--comparator")
        .arg(data.join("comparator.csv"))
        .args([
            "--covariates",
            "age_band,ethnicity,pre_score",
            "-q",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "scheme.csv: no ethnicity column, named by --covariates",
        ));
    assert!(!out.path().join("compare").join("effect.csv").exists());
}

#[test]
fn weighted_difference_in_differences_equals_lm() {
    // R (MatchIt std::abs build): md <- people[m$weights > 0, ] with w = m$weights;
    // f <- lm(post_score - pre_score ~ treat, data = md, weights = w)
    // summary(f)$coefficients["treat", ]; confint(f)["treat", ]; f$df.residual
    // b (ratio 2): 0.55666666666666664 0.11939424240325679 4.662424715477588
    //   4.1297002526558907e-06, CI 0.32202434699918014 0.79130898633415314, df 448
    // c (replace): 0.80666666666666831 0.1529312653413922 5.2747007936272974
    //   2.9059928981342436e-07, CI 0.50545098992141457 1.107882343411922, df 247
    let cases = [
        (
            "b",
            [
                0.55666666666666664,
                0.11939424240325679,
                4.662424715477588,
                4.1297002526558907e-06,
                0.32202434699918014,
                0.79130898633415314,
                448.0,
            ],
        ),
        (
            "c",
            [
                0.80666666666666831,
                0.1529312653413922,
                5.2747007936272974,
                2.9059928981342436e-07,
                0.50545098992141457,
                1.107882343411922,
                247.0,
            ],
        ),
    ];
    for (setting, want) in cases {
        let (_, _, result) = run(setting);
        let e = result.effects[0].effect.expect("an effect");
        let got = [e.estimate, e.se, e.t, e.p, e.ci.0, e.ci.1, e.df];
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            close(&format!("setting {setting} value {k}"), *g, w, 1e-9);
        }
    }
}

#[allow(dead_code)]
#[path = "../examples/simulate_comparator.rs"]
mod simulate_comparator;

#[test]
fn the_estimate_recovers_the_simulated_effect_within_its_interval() {
    // examples/simulate_comparator.rs: referral depends on the pre score and the groups, so
    // the naive difference in change is biased (regression to the mean) and matching on them
    // removes the bias; the true effect on the observed scale is known exactly.
    let study = simulate_comparator::simulate(20_240_601, 600, 2400, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("scheme.csv"), &study.scheme).expect("write");
    std::fs::write(dir.path().join("comparator.csv"), &study.comparator).expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("compare")
        .arg(dir.path().join("scheme.csv"))
        .arg("--comparator")
        .arg(dir.path().join("comparator.csv"))
        .args([
            "--covariates",
            "age_band,gender,trigger_group,pre_score",
            "--caliper",
            "0.2",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let effects = csv_rows(&out.join("compare/effect.csv"));
    let all = &effects[0];
    let (low, high): (f64, f64) = (
        all["ci_low"].parse().expect("number"),
        all["ci_high"].parse().expect("number"),
    );
    assert!(
        low <= study.true_effect && study.true_effect <= high,
        "true effect {} outside the interval {low} to {high}",
        study.true_effect
    );
    // The naive comparison is far off: matching mattered.
    assert!(
        study.naive < low || study.naive > high,
        "naive {} inside {low} to {high}",
        study.naive
    );
}

#[test]
fn the_report_gains_a_comparison_section_and_keeps_it() {
    let study = simulate_comparator::simulate(7, 200, 800, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, &study.scheme).expect("write");
    std::fs::write(&comparator, &study.comparator).expect("write");
    let out = dir.path().join("results");
    let compare = || {
        bin()
            .arg("compare")
            .arg(&scheme)
            .arg("--comparator")
            .arg(&comparator)
            .args([
                "--covariates",
                "age_band,gender,trigger_group,pre_score",
                "-q",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
    };
    let analyse = || {
        bin()
            .arg("analyse")
            .arg(&scheme)
            .args(["-q", "--out"])
            .arg(&out)
            .assert()
            .success();
    };
    // compare first, into an empty folder; then analyse (not refused: compare/ is ours).
    compare();
    analyse();
    for _ in 0..2 {
        let html = std::fs::read_to_string(out.join("report.html")).expect("report");
        assert!(html.contains("Compared with similar people not supported"));
        assert!(html.contains("Effect of the scheme on the change in score"));
        for chart in ["love_plot.svg", "compare_means.svg", "love_plot.png"] {
            assert!(out.join("charts").join(chart).exists(), "{chart}");
        }
        let md = std::fs::read_to_string(out.join("report.md")).expect("markdown");
        assert!(md.contains("## Compared with similar people not supported"));
        // Re-running either keeps the section.
        compare();
    }
}

#[test]
fn separation_is_reported_not_hidden() {
    // Bereavement only among scheme users: their propensity is 1 (quasi-complete separation).
    let study = simulate_comparator::simulate(11, 200, 800, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, &study.scheme).expect("write");
    std::fs::write(
        &comparator,
        study.comparator.replace("Bereavement", "Mobility / health"),
    )
    .expect("write");
    let out = dir.path().join("results");
    bin()
        .arg("compare")
        .arg(&scheme)
        .arg("--comparator")
        .arg(&comparator)
        .args([
            "--covariates",
            "trigger_group,pre_score",
            "--caliper",
            "0.2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "separation in the propensity model",
        ));
    let summary = std::fs::read_to_string(out.join("compare/summary.json")).expect("summary");
    assert!(summary.contains("\"separation\": true"), "{summary}");
    assert!(summary.contains("separation in the propensity model"));
}

#[test]
fn bad_requests_end_clearly_and_quickly() {
    let study = simulate_comparator::simulate(13, 150, 600, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, &study.scheme).expect("write");
    // One comparator's gender is NA: missing, the person excluded and counted.
    let mut lines: Vec<String> = study.comparator.lines().map(str::to_string).collect();
    lines[1] = lines[1]
        .replace(",female,", ",NA,")
        .replace(",male,", ",NA,");
    std::fs::write(&comparator, lines.join("\n") + "\n").expect("write");
    let out = dir.path().join("results");
    let run = |extra: &[&str]| {
        let mut cmd = bin();
        cmd.arg("compare")
            .arg(&scheme)
            .arg("--comparator")
            .arg(&comparator)
            .args(["-q", "--out"])
            .arg(&out)
            .args(extra)
            .timeout(std::time::Duration::from_secs(30));
        cmd.assert()
    };
    // A huge ratio ends (rounds stop once nobody is matched) and says it cannot be met.
    run(&["--covariates", "gender,pre_score", "--ratio", "100000000"]).success();
    let summary = std::fs::read_to_string(out.join("compare/summary.json")).expect("summary");
    assert!(
        summary.contains("--ratio 100000000 asks for more comparators"),
        "{summary}"
    );
    let flow = csv_rows(&out.join("compare/matching_flow.csv"));
    let missing = flow
        .iter()
        .find(|r| r["stage"] == "excluded_missing_covariate")
        .expect("stage");
    assert_eq!(missing["comparator"], "1");
    // The id column is refused.
    run(&["--covariates", "id,pre_score"])
        .code(1)
        .stderr(predicates::str::contains("id is the participant id"));
    // Nobody matched (every scheme user in a place no comparator lives) is an error.
    let elsewhere: String = study
        .scheme
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{line}\n")
            } else {
                let mut fields: Vec<&str> = line.split(',').collect();
                fields[1] = "Elsewhere";
                format!("{}\n", fields.join(","))
            }
        })
        .collect();
    std::fs::write(&scheme, elsewhere).expect("write");
    run(&["--covariates", "gender,pre_score", "--exact", "location"])
        .code(1)
        .stderr(predicates::str::contains("No units were matched"));
}

#[test]
fn the_comparator_needs_no_effect_group_column() {
    // Effect rows are by the scheme user's group, so a comparator file without trigger_group
    // is fine unless trigger_group is a covariate.
    let study = simulate_comparator::simulate(17, 150, 600, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, &study.scheme).expect("write");
    let without: String = study
        .comparator
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.remove(2);
            format!("{}\n", fields.join(","))
        })
        .collect();
    assert!(without.starts_with("id,location,age_band,"));
    std::fs::write(&comparator, without).expect("write");
    let out = dir.path().join("results");
    bin()
        .arg("compare")
        .arg(&scheme)
        .arg("--comparator")
        .arg(&comparator)
        .args(["--covariates", "age_band,gender,pre_score", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let effects = csv_rows(&out.join("compare/effect.csv"));
    assert!(effects.iter().any(|r| r["group_by"] == "trigger_group"));
}

#[test]
fn balance_withholds_levels_of_fewer_than_min_cell_people() {
    // Three comparator people with gender "X" (and 12 scheme users): their level's share of
    // the comparators before matching is a count of 3, withheld with the smallest other level
    // (else the shares would add up to it); with --min-cell 0 everything is shown.
    let study = simulate_comparator::simulate(17, 150, 600, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let recode = |text: &str, how_many: usize| -> String {
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        let gender = header
            .split(',')
            .position(|h| h == "gender")
            .expect("gender column");
        let mut out = format!("{header}\n");
        for (i, line) in lines.enumerate() {
            let mut fields: Vec<String> = line.split(',').map(String::from).collect();
            if i < how_many {
                fields[gender] = "X".into();
            }
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    };
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, recode(&study.scheme, 12)).expect("write");
    std::fs::write(&comparator, recode(&study.comparator, 3)).expect("write");
    let run = |out: &Path, extra: &[&str]| {
        bin()
            .arg("compare")
            .arg(&scheme)
            .arg("--comparator")
            .arg(&comparator)
            .args(["--covariates", "age_band,gender,pre_score", "-q", "--out"])
            .arg(out)
            .args(extra)
            .assert()
            .success();
        csv_rows(&out.join("compare/balance.csv"))
    };
    let protected = run(&dir.path().join("protected"), &[]);
    let open = run(&dir.path().join("open"), &["--min-cell", "0"]);
    let gender: Vec<_> = protected
        .iter()
        .filter(|r| r["covariate"] == "gender")
        .collect();
    let x = gender.iter().find(|r| r["level"] == "X").expect("level X");
    for column in ["mean_scheme_before", "mean_comparator_before", "smd_before"] {
        assert_eq!(x[column], "", "{column}");
    }
    let blank_before = gender
        .iter()
        .filter(|r| r["mean_comparator_before"].is_empty())
        .count();
    assert!(blank_before >= 2, "a complementary level is withheld too");
    // Nothing else is touched, and nothing at all without a threshold.
    for (p, o) in protected.iter().zip(&open) {
        if p["covariate"] != "gender" {
            assert_eq!(p, o);
        }
    }
    assert!(open.iter().all(|r| !r["mean_comparator_before"].is_empty()));
    // A level withheld before matching is withheld after too (the SMD after is scaled by the
    // share before), and no level's scheme users before minus after (the unmatched) is small.
    let flow = csv_rows(&dir.path().join("protected/compare/matching_flow.csv"));
    let size = |stage: &str| -> f64 {
        let row = flow.iter().find(|r| r["stage"] == stage).expect(stage);
        row["scheme"].parse().expect("count")
    };
    let (eligible, matched) = (size("eligible"), size("matched"));
    for row in &protected {
        if row["mean_scheme_before"].is_empty() {
            assert_eq!(row["mean_scheme_after"], "", "{row:?}");
            assert_eq!(row["imbalanced"], "", "{row:?}");
        } else if !row["mean_scheme_after"].is_empty() && !row["level"].is_empty() {
            let before: f64 = row["mean_scheme_before"].parse().expect("mean");
            let after: f64 = row["mean_scheme_after"].parse().expect("mean");
            let unmatched = (before * eligible - after * matched).round() as i64;
            assert!(
                unmatched == 0 || unmatched >= 10,
                "{row:?}: {unmatched} unmatched"
            );
        }
    }
    // summary.json says which rules were applied.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("protected/compare/summary.json"))
            .expect("summary"),
    )
    .expect("json");
    let rules = &summary["disclosure"];
    assert_eq!(rules["min_cell"], 10);
    assert!(rules["balance"]
        .as_str()
        .is_some_and(|t| t.contains("1 to 9 people")));
    assert!(rules["participant_ids"]
        .as_str()
        .is_some_and(|t| t.starts_with("no file holds")));
}

/// A copy of tests/data/matching/binary/`name` with `edit` applied to each data row's fields
/// (id, age_band, gender, trigger_group, location_type, pre_score, post_score), and the header
/// edited the same way.
fn edited_binary(dir: &Path, name: &str, edit: impl Fn(&mut Vec<String>, bool)) -> PathBuf {
    let text = std::fs::read_to_string(dir_binary().join(name)).expect("data");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line.split(',').map(String::from).collect();
        edit(&mut fields, i == 0);
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, out).expect("write");
    path
}

fn dir_binary() -> PathBuf {
    dir().join("binary")
}

/// `compare SCHEME --comparator COMPARATOR --out OUT ARGS...` (issue #16: as a new user meets it).
fn compare_cmd(scheme: &Path, comparator: &Path, out: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.arg("compare")
        .arg(scheme)
        .arg("--comparator")
        .arg(comparator)
        .arg("--out")
        .arg(out)
        .args(args);
    cmd
}

#[test]
fn without_by_a_missing_trigger_group_is_told_to_come_from_the_default_by() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scheme = edited_binary(dir.path(), "scheme.csv", |f, _| {
        f.remove(3);
    });
    let comparator = dir_binary().join("comparator.csv");
    let out = dir.path().join("out");
    let covariates = ["--covariates", "age_band,gender,pre_score", "-q"];
    compare_cmd(&scheme, &comparator, &out, &covariates)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "scheme.csv: no trigger_group column, which compare groups effect.csv by when --by is not given: name a grouping column of this file with --by COLUMN, or --by \"\" for no groups; columns found: id, age_band, gender, location_type,",
        ));
    // Both ways out work: no groups, or another column.
    compare_cmd(
        &scheme,
        &comparator,
        &out,
        &[&covariates[..], &["--by", ""]].concat(),
    )
    .assert()
    .success();
    let groups: Vec<String> = csv_rows(&out.join("compare/effect.csv"))
        .iter()
        .map(|r| r["group_by"].clone())
        .collect();
    assert_eq!(groups, ["all"]);
    compare_cmd(
        &scheme,
        &comparator,
        &out,
        &[&covariates[..], &["--by", "location_type"]].concat(),
    )
    .assert()
    .success();
    let effects = csv_rows(&out.join("compare/effect.csv"));
    assert!(effects
        .iter()
        .skip(1)
        .all(|r| r["group_by"] == "location_type"));
    assert!(effects.len() > 1);
    // A column named by --covariates keeps the plain message.
    compare_cmd(
        &scheme,
        &comparator,
        &out,
        &["--covariates", "trigger_group,pre_score", "-q"],
    )
    .assert()
    .code(1)
    .stderr(predicates::str::contains(
        "no trigger_group column, named by --covariates/--exact/--by",
    ));
    // The help says what compare's --by is: one column, trigger_group unless given.
    let help = bin().args(["compare", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&help.get_output().stdout).to_string();
    let by = help
        .lines()
        .find(|l| l.trim_start().starts_with("--by"))
        .expect("--by in the help");
    assert!(
        by.contains("One column") && by.contains("[default: trigger_group]"),
        "{by}"
    );
    assert!(!help.contains("trigger_group,location"), "{help}");
}

#[test]
fn scores_outside_the_scale_say_so_and_name_scale() {
    // Totals five times the UCLA-3's: every pre score is outside 3-9.
    let dir = tempfile::tempdir().expect("temp dir");
    let times_five = |f: &mut Vec<String>, header: bool| {
        if !header {
            for cell in &mut f[5..7] {
                *cell = (cell.parse::<u32>().expect("score") * 5).to_string();
            }
        }
    };
    let scheme = edited_binary(dir.path(), "scheme.csv", times_five);
    let comparator = edited_binary(dir.path(), "comparator.csv", times_five);
    let out = dir.path().join("out");
    let args = ["--covariates", "age_band,gender,pre_score", "-q"];
    let failed = compare_cmd(&scheme, &comparator, &out, &args)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "error: nothing to match: 150 of 150 scheme users have a pre or post score invalid for --scale ucla3 (items 1-3, totals 3-9); e.g. ",
        ))
        .stderr(predicates::str::contains(
            "scheme.csv line 2: pre_score 35 is outside the total range 3-9; name the scale the scores are on with --scale (loneliness-eval scales lists them; --scale raw takes totals as given)",
        ));
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    compare_cmd(
        &scheme,
        &comparator,
        &out,
        &[&args[..], &["--scale", "raw"]].concat(),
    )
    .assert()
    .success();
}

#[test]
fn the_terminal_prints_p_as_reports_do_and_effect_csv_keeps_every_digit() {
    // binary/: p = 4.925168910210056e-6 (1:1, no caliper); a simulated study with no
    // effect: p = 0.41444391504452793.
    let dir = tempfile::tempdir().expect("temp dir");
    let study = simulate_comparator::simulate(3, 150, 600, 0.0);
    std::fs::write(dir.path().join("scheme.csv"), &study.scheme).expect("write");
    std::fs::write(dir.path().join("comparator.csv"), &study.comparator).expect("write");
    let cases = [
        (
            dir_binary(),
            vec!["--covariates", "age_band,gender,pre_score"],
            "), p < 0.001.",
            "4.925168910210056e-6",
        ),
        (
            dir.path().to_path_buf(),
            vec![
                "--covariates",
                "age_band,gender,trigger_group,pre_score",
                "--caliper",
                "0.2",
            ],
            "), p = 0.414.",
            "0.41444391504452793",
        ),
    ];
    for (data, args, printed, written) in cases {
        let out = dir.path().join("out");
        let run = compare_cmd(
            &data.join("scheme.csv"),
            &data.join("comparator.csv"),
            &out,
            &args,
        )
        .assert()
        .success();
        let stdout = String::from_utf8_lossy(&run.get_output().stdout).to_string();
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Change in score"))
            .expect("effect line");
        assert!(line.ends_with(printed), "{line}");
        let effects = csv_rows(&out.join("compare/effect.csv"));
        assert_eq!(effects[0]["p"], written);
    }
}

#[test]
fn balance_not_good_enough_says_what_to_try() {
    // 300 scheme users and only 360 comparators, 1:1 without replacement: the pre score's
    // standardised difference stays 0.465.
    let study = simulate_comparator::simulate(5, 300, 360, 1.2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (scheme, comparator) = (
        dir.path().join("scheme.csv"),
        dir.path().join("comparator.csv"),
    );
    std::fs::write(&scheme, &study.scheme).expect("write");
    std::fs::write(&comparator, &study.comparator).expect("write");
    let out = dir.path().join("out");
    let stdout = |args: &[&str]| {
        let run = compare_cmd(&scheme, &comparator, &out, args)
            .assert()
            .success();
        String::from_utf8_lossy(&run.get_output().stdout).to_string()
    };
    let covariates = ["--covariates", "age_band,gender,trigger_group,pre_score"];
    assert!(stdout(&covariates).contains(
        "Largest standardised difference after matching: 0.465 (pre_score), above 0.1: balance is not good enough to trust the effect; try --replace (a comparator may serve several scheme users) or --caliper 0.2 (matches only within 0.2 SD of the propensity logit), then check balance.csv again.\n"
    ));
    // Only options not yet used are suggested; a categorical covariate can be matched exactly.
    let text = stdout(&[&covariates[..], &["--ratio", "2", "--caliper", "1"]].concat());
    assert!(text.contains(
        "; try --replace (a comparator may serve several scheme users), a narrower --caliper than 1 or --ratio 1 (each comparator beyond the first is a worse match), then check balance.csv again.\n"
    ), "{text}");
    let text = stdout(&["--covariates", "age_band,gender,trigger_group"]);
    assert!(text.contains(
        "(trigger_group = Young parent (18-24)), above 0.1: balance is not good enough to trust the effect; try --replace (a comparator may serve several scheme users), --caliper 0.2 (matches only within 0.2 SD of the propensity logit) or --exact trigger_group, then check balance.csv again.\n"
    ), "{text}");
    // Good balance gets no advice.
    let text = stdout(
        &[
            &covariates[..],
            &["--replace", "--caliper", "1", "--ratio", "3"],
        ]
        .concat(),
    );
    assert!(
        text.contains("(age_band = 75+).\n") && !text.contains("try"),
        "{text}"
    );
}
