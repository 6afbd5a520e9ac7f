//! The signed-rank test and Hodges-Lehmann estimate of `--wilcoxon r` against current R's
//! `wilcox.test` (R >= 4.6): tests/data/wilcoxon/wilcox46.R is r-svn's wilcox.test.R
//! (b5b3719f) run in R 4.2.2 with its C shift algorithm written out in R; make.R writes
//! expected.csv (conf.level 0.95) and expected_levels.csv (0.8, 0.99); verify.R checks the
//! port against coin::wilcoxsign_test (exact, Pratt) and a hand-written Pratt normal
//! approximation (agreeing to 2e-14). Cases: UCLA-like totals with ties and zeros from 5 to
//! 500 changes, around the exact/normal switch at 50 (zeros counted), no ties, all zeros,
//! half-integers, floating-point noise that ties after `signif(x, 7)`, `zapsmall`.

use loneliness_eval::stats::wilcoxon_r46::{hodges_lehmann, signed_rank};

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/wilcoxon")
        .join(name);
    std::fs::read_to_string(path).expect("reference file")
}

fn number(text: &str) -> f64 {
    match text {
        "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NA" | "NaN" => f64::NAN,
        _ => text.parse().expect("a number"),
    }
}

fn relative(actual: f64, expected: f64) -> f64 {
    if actual == expected {
        0.0
    } else {
        ((actual - expected) / expected).abs()
    }
}

/// Checks every row of a reference file; `level` gives the conf.level column, if any.
fn check(file: &str, level_column: Option<usize>) -> usize {
    let text = data(file);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let column = |name: &str| header.iter().position(|&h| h == name).expect(name);
    let mut checked = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let name = f[column("name")];
        let changes: Vec<(f64, u64)> = f[column("changes")]
            .split(' ')
            .map(|d| (number(d), 1))
            .collect();
        let conf_level = level_column.map_or(0.95, |c| number(f[c]));
        let w = signed_rank(&changes).expect("a test");
        assert_eq!(w.v, number(f[column("V")]), "{name}: V");
        let p = number(f[column("p")]);
        assert!(relative(w.p, p) < 1e-12, "{name}: p {} vs R {p}", w.p);
        let exact = f[column("method")] == "exact";
        assert_eq!(w.exact, exact, "{name}: method");
        if exact {
            // Exact p-values are sums of multiples of 2^-n: equal to the last bit.
            assert_eq!(w.p, p, "{name}: exact p");
        }

        let hl = hodges_lehmann(&changes, conf_level).expect("an estimate");
        let estimate = number(f[column("estimate")]);
        let (low, high) = (number(f[column("ci_low")]), number(f[column("ci_high")]));
        let warned = !f[column("warning")].is_empty();
        if exact {
            assert_eq!(hl.estimate, estimate, "{name}: estimate");
            assert_eq!(hl.ci, Some((low, high)), "{name}: interval");
        } else {
            // R's uniroot stops within tol.root = 1e-4 of the Walsh average we report.
            assert!(
                (hl.estimate - estimate).abs() <= 1e-4,
                "{name}: estimate {} vs R {estimate}",
                hl.estimate
            );
            if low.is_nan() || warned {
                assert_eq!(hl.ci, None, "{name}: no interval");
            } else {
                let (l, h) = hl.ci.expect("an interval");
                assert!(
                    (l - low).abs() <= 1e-4 && (h - high).abs() <= 1e-4,
                    "{name}: ({l}, {h}) vs R ({low}, {high})"
                );
            }
        }
        checked += 1;
    }
    checked
}

#[test]
fn equals_current_r_at_95_percent() {
    assert_eq!(check("expected.csv", None), 54);
}

#[test]
fn equals_current_r_at_other_levels() {
    assert_eq!(check("expected_levels.csv", Some(2)), 20);
}
