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

fn ones(changes: &[f64]) -> Vec<(f64, u64)> {
    changes.iter().map(|&d| (d, 1)).collect()
}

/// Values R's own regression tests and examples, and SciPy's tests, record for the new rule
/// (r-svn tests/reg-tests-1a.R, reg-tests-1e.R, tests/Examples/stats-Ex.Rout.save; SciPy 1.17.1
/// scipy/stats/tests/test_morestats.py), each quoted beside its check.
#[test]
#[allow(clippy::approx_constant)] // 3.14 is a measurement in Hollander & Wolfe's data, not pi
fn equals_the_values_r_and_scipy_record() {
    // reg-tests-1a.R:1159-1167, Hollander & Wolfe (1999) p. 40 and 53:
    // we <- wilcox.test(y, x, paired = TRUE, conf.int = TRUE)
    // round(we$p.value,4) == 0.0391; round(we$conf.int,3) == c(-0.786, -0.010);
    // round(we$estimate,3) == -0.46
    let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
    let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    let changes: Vec<f64> = y.iter().zip(x).map(|(b, a)| b - a).collect();
    let w = signed_rank(&ones(&changes)).expect("test");
    assert_eq!(format!("{:.4}", w.p), "0.0391");
    let hl = hodges_lehmann(&ones(&changes), 0.95).expect("estimate");
    let (low, high) = hl.ci.expect("interval");
    assert_eq!(
        [format!("{low:.3}"), format!("{high:.3}")],
        ["-0.786", "-0.010"]
    );
    assert_eq!(format!("{:.3}", hl.estimate), "-0.460");

    // reg-tests-1e.R:3395-3409: x3 <- c(1.1, 2, 1.15); wilcox.test(c(x3, 0)) and, with the
    // default digits.rank = 7, wilcox.test(c(x3, 1e-100)) and c(x3, -1e-100): p = 0.25 each
    // (1e-100 is zapped to a zero, ranked with Pratt).
    for extra in [0.0, 1e-100, -1e-100] {
        let w = signed_rank(&ones(&[1.1, 2.0, 1.15, extra])).expect("test");
        assert_eq!(w.p, 0.25, "x3 with {extra}");
    }

    // stats-Ex.Rout.save (?wilcox.test): wilcox.test(-2:12, conf.int = TRUE)
    // "V = 112, p-value = 0.001465" ... "95.5 percent confidence interval: 2.5 7.5",
    // "(pseudo)median 5"
    let changes: Vec<f64> = (-2..=12).map(f64::from).collect();
    let w = signed_rank(&ones(&changes)).expect("test");
    assert_eq!(w.v, 112.0);
    assert_eq!(format!("{:.4}", w.p * 1000.0), "1.4648");
    let hl = hodges_lehmann(&ones(&changes), 0.95).expect("estimate");
    assert_eq!((hl.estimate, hl.ci), (5.0, Some((2.5, 7.5))));

    // stats-Ex.Rout.save: wilcox.test((4:2)/10, (3:1)/10, paired = TRUE): "V = 6, p-value = 0.25"
    // (the changes differ in the 17th digit and tie after signif(x, 7)).
    let changes: Vec<f64> = [0.4, 0.3, 0.2]
        .iter()
        .zip([0.3, 0.2, 0.1])
        .map(|(b, a)| b - a)
        .collect();
    let w = signed_rank(&ones(&changes)).expect("test");
    assert_eq!((w.v, w.p), (6.0, 0.25));

    // SciPy test_auto_permutation_edge_case: d <- c(-5:-1, 1, 1:7) (ties, no zero):
    // statistic 32 (the smaller rank sum: R's V = 91 - 32), p 0.3779296875, exact.
    let mut changes: Vec<f64> = (-5..=7).map(f64::from).collect();
    changes[5] = 1.0;
    let w = signed_rank(&ones(&changes)).expect("test");
    assert_eq!((w.v, w.p, w.exact), (91.0 - 32.0, 0.3779296875, true));
}
