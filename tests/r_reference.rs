//! The statistics checked against R 4.2.2 (with effectsize 0.8.3 installed). Every reference
//! value is printed by R with `sprintf("%.17g", ...)`; the R code that printed it is in the
//! comment beside it. The paired cases use these helpers (run them first):
//!
//! ```r
//! g <- function(...) cat(sprintf("%.17g", c(...)), "\n")
//! dzci <- function(d) { # dz and its noncentral-t CI (not effectsize's CI, which uses optim)
//!   n <- length(d); t <- mean(d) / sqrt(var(d) / n)
//!   r <- function(p) uniroot(function(ncp) pt(t, n - 1, ncp) - p, c(t - 20, t + 20), tol = 1e-14)$root
//!   c(mean(d) / sd(d), r(0.975) / sqrt(n), r(0.025) / sqrt(n))
//! }
//! ref <- function(e, l) { # one paired comparison, printed in the order of `Want`
//!   d <- l - e
//!   g(mean(e), sd(e)); g(mean(l), sd(l)); g(mean(d), sd(d))
//!   cat(sum(d < 0), sum(d == 0), sum(d > 0), "\n")
//!   tt <- try(t.test(l, e, paired = TRUE)) # stops when every change is equal
//!   if (is.list(tt)) g(tt$statistic, tt$parameter, tt$p.value, tt$conf.int)
//!   if (is.list(tt) && isTRUE(abs(tt$statistic) < 30)) g(dzci(d))
//!   w <- wilcox.test(l, e, paired = TRUE); g(w$statistic, w$p.value); cat(w$method, "\n")
//! }
//! ```
//!
//! Tolerances are relative: 1e-9, except the dz interval and `ncp_interval` (1e-7), whose R
//! reference is itself a root found to 1e-14 absolute.

use loneliness_eval::stats::dist::{
    pnorm_lower, pnorm_upper, pnt_lower, psignrank, pt_lower, pt_two_sided, qt_upper,
};
use loneliness_eval::stats::effect::ncp_interval;
use loneliness_eval::stats::padjust::{p_adjust, PAdjust};
use loneliness_eval::stats::paired::{compare_counted, Better, PairedComparison};
use loneliness_eval::stats::tally::tally_pairs;
use loneliness_eval::stats::wilcoxon::WilcoxonMethod;
use std::f64::consts::SQRT_2;

const TOL: f64 = 1e-9;
const TOL_CI: f64 = 1e-7;

/// Asserts `got` is within `tol` of `want`, relative to `want` (exactly equal when `want` is 0,
/// which R gives only for a result that underflows or is exactly zero).
fn close(got: f64, want: f64, tol: f64, what: &str) {
    let ok = if want == 0.0 {
        got == 0.0
    } else {
        ((got - want) / want).abs() <= tol
    };
    assert!(
        ok,
        "{what}: got {got:e}, R gives {want:e} (relative error {:e}, tolerance {tol:e})",
        ((got - want) / want).abs()
    );
}

/// R's results for one paired comparison, in the order `ref()` prints them.
struct Want {
    /// `mean(e), sd(e)`
    earlier: [f64; 2],
    /// `mean(l), sd(l)`
    later: [f64; 2],
    /// `mean(d), sd(d)`
    change: [f64; 2],
    /// improved (d < 0), unchanged, worse
    counts: [usize; 3],
    /// t, df, p, conf.int; `None` where R's t.test stops or gives NaN.
    t: Option<[f64; 5]>,
    /// dz, CI low, CI high.
    dz: Option<[f64; 3]>,
    /// V, p, and whether R used the exact test; `None` where R's p is NaN.
    wilcoxon: Option<([f64; 2], bool)>,
}

fn check(case: &str, got: &PairedComparison, want: &Want) {
    let n = want.counts.iter().sum::<usize>();
    assert_eq!(got.n, n, "{case}: n");
    for (label, summary, w) in [
        ("earlier", &got.earlier, want.earlier),
        ("later", &got.later, want.later),
        ("change", &got.change, want.change),
    ] {
        let s = summary.as_ref().expect("non-empty sample has a mean");
        close(s.mean, w[0], TOL, &format!("{case}: mean {label}"));
        let sd = s.sd().expect("n > 1 has an sd");
        close(sd, w[1], TOL, &format!("{case}: sd {label}"));
    }
    assert_eq!(
        [got.n_improved, got.n_unchanged, got.n_worse],
        want.counts,
        "{case}: improved/unchanged/worse"
    );
    close(
        got.pct_improved().expect("n > 0"),
        want.counts[0] as f64 / n as f64 * 100.0,
        TOL,
        &format!("{case}: pct improved"),
    );
    match (&got.t, want.t) {
        (Some(t), Some([stat, df, p, lo, hi])) => {
            close(t.t, stat, TOL, &format!("{case}: t"));
            close(t.df, df, TOL, &format!("{case}: df"));
            close(t.p, p, TOL, &format!("{case}: t test p"));
            close(t.ci_low, lo, TOL, &format!("{case}: mean change CI low"));
            close(t.ci_high, hi, TOL, &format!("{case}: mean change CI high"));
        }
        (None, None) => assert!(!got.notes.is_empty(), "{case}: no t test but no note"),
        (g, w) => panic!("{case}: t test {g:?}, R gives {w:?}"),
    }
    match (&got.dz, want.dz) {
        (Some(dz), Some([d, lo, hi])) => {
            close(dz.dz, d, TOL, &format!("{case}: dz"));
            close(dz.ci_low, lo, TOL_CI, &format!("{case}: dz CI low"));
            close(dz.ci_high, hi, TOL_CI, &format!("{case}: dz CI high"));
        }
        (Some(_), None) if want.t.is_some() => {} // R reference skipped (|t| >= 30)
        (None, None) => {}
        (g, w) => panic!("{case}: dz {g:?}, R gives {w:?}"),
    }
    match (&got.wilcoxon, want.wilcoxon) {
        (Some(w), Some(([v, p], exact))) => {
            close(w.v, v, TOL, &format!("{case}: V"));
            close(w.p, p, TOL, &format!("{case}: Wilcoxon p"));
            assert_eq!(w.exact, exact, "{case}: Wilcoxon exact");
            assert_eq!(
                w.n_nonzero,
                want.counts[0] + want.counts[2],
                "{case}: Wilcoxon n"
            );
        }
        (None, None) => assert!(!got.notes.is_empty(), "{case}: no Wilcoxon but no note"),
        (g, w) => panic!("{case}: Wilcoxon {g:?}, R gives {w:?}"),
    }
}

/// The path `analyse` takes: pairs tallied into distinct pairs with counts, then compared.
/// The Wilcoxon references here are R 4.2.2's, so `--wilcoxon r-4.2`; current R's rule (the
/// default) is checked in tests/wilcoxon_r46.rs.
fn compare(earlier: &[f64], later: &[f64]) -> PairedComparison {
    compare_counted(
        &tally_pairs(earlier, later),
        Better::Lower,
        0.95,
        WilcoxonMethod::R42,
    )
}

/// Builds both timepoints from a rule on i = 1..=n, as the R lines beside each use do.
fn build(n: u32, earlier: impl Fn(f64) -> f64, later: impl Fn(f64, f64) -> f64) -> [Vec<f64>; 2] {
    let e: Vec<f64> = (1..=n).map(|i| earlier(f64::from(i))).collect();
    let l: Vec<f64> = e
        .iter()
        .zip(1..=n)
        .map(|(&e, i)| later(f64::from(i), e))
        .collect();
    [e, l]
}

/// `x %% m == 0` in R, as 0 or 1.
fn divisible(i: f64, m: f64) -> f64 {
    if i % m == 0.0 {
        1.0
    } else {
        0.0
    }
}

#[test]
fn ucla3_sample_with_ties_and_zeros() {
    // R: e1 <- c(7, 8, 6, 9, 5, 7, 8, 6, 7, 9, 4, 6, 8, 7, 5, 9, 6, 7, 8, 3, 6, 7, 9, 8, 5, 6, 7, 8, 6, 7)
    //    l1 <- c(6, 7, 6, 7, 5, 6, 8, 5, 6, 8, 4, 5, 6, 7, 4, 8, 6, 5, 7, 3, 5, 6, 7, 8, 6, 6, 5, 7, 6, 6)
    //    ref(e1, l1)
    let e1 = [
        7., 8., 6., 9., 5., 7., 8., 6., 7., 9., 4., 6., 8., 7., 5., 9., 6., 7., 8., 3., 6., 7., 9.,
        8., 5., 6., 7., 8., 6., 7.,
    ];
    let l1 = [
        6., 7., 6., 7., 5., 6., 8., 5., 6., 8., 4., 5., 6., 7., 4., 8., 6., 5., 7., 3., 5., 6., 7.,
        8., 6., 6., 5., 7., 6., 6.,
    ];
    let want = Want {
        earlier: [6.7999999999999998, 1.4948186373673193],
        later: [6.0333333333333332, 1.2452207485597395],
        change: [-0.76666666666666672, 0.77385436272766706],
        counts: [19, 10, 1],
        t: Some([
            -5.4263521360853897,
            29.0,
            7.7601053215495014e-06,
            -1.0556286346662063,
            -0.47770469866712717,
        ]),
        dz: Some([
            -0.99071182330010354,
            -1.4236798809456279,
            -0.54625651091274696,
        ]),
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([8.0, 0.000144880832260256], false)),
    };
    let got = compare(&e1, &l1);
    check("ucla3", &got, &want);
    // R: sprintf("%.17g", mean(l1 - e1 < 0) * 100)
    close(
        got.pct_improved().expect("n > 0"),
        63.333333333333329,
        TOL,
        "pct improved",
    );
}

#[test]
// R's dz here is one ulp below sqrt(2); the literal is R's, not an approximation of the constant.
#[allow(clippy::approx_constant)]
fn two_pairs() {
    // R: ref(c(6, 8), c(5, 5))
    // R prints sd 1.4142135623730951, which is SQRT_2 (clippy forbids the literal).
    let want = Want {
        earlier: [7.0, SQRT_2],
        later: [5.0, 0.0],
        change: [-2.0, SQRT_2],
        counts: [2, 0, 0],
        t: Some([
            -2.0,
            1.0,
            0.29516723530086642,
            -14.706204736174694,
            10.706204736174694,
        ]),
        dz: Some([
            -1.4142135623730949,
            -3.5439684014871928,
            0.79592795350201995,
        ]),
        // Wilcoxon signed rank exact test
        wilcoxon: Some(([0.0, 0.5], true)),
    };
    check("n = 2", &compare(&[6., 8.], &[5., 5.]), &want);
}

#[test]
fn changes_all_plus_or_minus_one() {
    // R: ref(c(5, 6, 7, 8, 6, 7, 5, 9), c(4, 5, 8, 7, 5, 6, 6, 8))
    let want = Want {
        earlier: [6.625, 1.407885953173359],
        later: [6.125, 1.4577379737113252],
        change: [-0.5, 0.92582009977255142],
        counts: [6, 0, 2],
        t: Some([
            -1.5275252316519468,
            7.0,
            0.17047066078705375,
            -1.2740049730751597,
            0.27400497307515975,
        ]),
        dz: Some([
            -0.54006172486732174,
            -1.2703138279064521,
            0.22256135255713758,
        ]),
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([9.0, 0.18166496074010349], false)),
    };
    let got = compare(
        &[5., 6., 7., 8., 6., 7., 5., 9.],
        &[4., 5., 8., 7., 5., 6., 6., 8.],
    );
    check("+-1", &got, &want);
}

#[test]
fn every_change_the_same() {
    // R: ref(c(5, 6, 7, 8), c(4, 5, 6, 7))
    // t.test: Error "data are essentially constant"; Wilcoxon with continuity correction.
    let want = Want {
        earlier: [6.5, 1.2909944487358056],
        later: [5.5, 1.2909944487358056],
        change: [-1.0, 0.0],
        counts: [4, 0, 0],
        t: None,
        dz: None,
        wilcoxon: Some(([0.0, 0.071860638225851606], false)),
    };
    let got = compare(&[5., 6., 7., 8.], &[4., 5., 6., 7.]);
    check("constant change", &got, &want);
    assert!(got.t.is_none() && got.dz.is_none());
    assert!(!got.notes.is_empty());
}

#[test]
fn every_change_zero() {
    // R: ref(c(5, 6, 7), c(5, 6, 7))
    // t.test gives t = NaN, p = NaN (0/0, no error); wilcox.test gives V = 0, p = NaN.
    let want = Want {
        earlier: [6.0, 1.0],
        later: [6.0, 1.0],
        change: [0.0, 0.0],
        counts: [0, 3, 0],
        t: None,
        dz: None,
        wilcoxon: None,
    };
    let got = compare(&[5., 6., 7.], &[5., 6., 7.]);
    check("all zero", &got, &want);
    assert!(got.t.is_none() && got.wilcoxon.is_none() && got.dz.is_none());
    assert!(!got.notes.is_empty());
}

#[test]
fn zero_changes_force_normal_approximation() {
    // Non-zero changes -1 -2 -3 -4 6 -5 have no ties; the four zeros alone rule out the exact test.
    // R: ref(c(5, 6, 7, 8, 9, 6, 7, 5, 8, 4), c(5, 5, 7, 6, 6, 6, 3, 11, 3, 4))
    let want = Want {
        earlier: [6.5, 1.5811388300841898],
        later: [5.5999999999999996, 2.3190036174568114],
        change: [-0.90000000000000002, 3.0349812373573433],
        counts: [5, 4, 1],
        t: Some([
            -0.93774876072370372,
            9.0,
            0.37285479264682619,
            -3.0710947876349683,
            1.2710947876349685,
        ]),
        dz: Some([
            -0.29654219568871509,
            -0.92312954013906567,
            0.34551609358757113,
        ]),
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([6.0, 0.40167816646977295], false)),
    };
    let got = compare(
        &[5., 6., 7., 8., 9., 6., 7., 5., 8., 4.],
        &[5., 5., 7., 6., 6., 6., 3., 11., 3., 4.],
    );
    check("zeros", &got, &want);
}

/// i = 1..=n: earlier = 12 + i %% 5, change = +-(i - 0.5) (+ when 3 divides i): distinct, no ties.
fn distinct_changes(n: u32) -> [Vec<f64>; 2] {
    build(
        n,
        |i| 12.0 + i % 5.0,
        |i, e| e + if i % 3.0 == 0.0 { 1.0 } else { -1.0 } * (i - 0.5),
    )
}

#[test]
fn forty_nine_distinct_changes_use_exact_test() {
    // R: i <- 1:49; e <- 12 + (i %% 5); ref(e, e + ifelse(i %% 3 == 0, 1, -1) * (i - 0.5))
    let want = Want {
        earlier: [14.040816326530612, 1.4136121532187997],
        later: [5.8673469387755102, 27.340212963654089],
        change: [-8.1734693877551017, 27.362830441968505],
        counts: [33, 0, 16],
        t: Some([
            -2.090949101030561,
            48.0,
            0.041850643918753497,
            -16.032991952555147,
            -0.31394682295505938,
        ]),
        dz: Some([
            -0.29870701443293729,
            -0.58348679804389281,
            -0.010953074928604433,
        ]),
        // Wilcoxon signed rank exact test
        wilcoxon: Some(([408.0, 0.041703854232423516], true)),
    };
    let [e, l] = distinct_changes(49);
    check("49 distinct", &compare(&e, &l), &want);
}

#[test]
fn fifty_distinct_changes_use_normal_approximation() {
    // R: i <- 1:50; e <- 12 + (i %% 5); ref(e, e + ifelse(i %% 3 == 0, 1, -1) * (i - 0.5))
    let want = Want {
        earlier: [14.0, 1.4285714285714286],
        later: [5.0, 27.746115742127046],
        change: [-9.0, 27.705631933170672],
        counts: [34, 0, 16],
        t: Some([
            -2.2969918340175637,
            49.0,
            0.025931933120394244,
            -16.873853474929188,
            -1.1261465250708143,
        ]),
        dz: Some([
            -0.32484370043278876,
            -0.60777826247039046,
            -0.03876432739812443,
        ]),
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([408.0, 0.027063492176047903], false)),
    };
    let [e, l] = distinct_changes(50);
    check("50 distinct", &compare(&e, &l), &want);
}

#[test]
fn p_values_below_1e_100() {
    // R: i <- 1:2000; e <- 6 + (i %% 4); ref(e, e - (i %% 2 == 0) + (i %% 7 == 0))
    let want = Want {
        earlier: [7.5, 1.118313602106461],
        later: [7.1425000000000001, 1.4578259080524993],
        change: [-0.35749999999999998, 0.61063916521547124],
        counts: [858, 999, 143],
        t: Some([
            -26.182215209668026,
            1999.0,
            3.6251725464759729e-130,
            -0.38427816323395297,
            -0.33072183676604705,
        ]),
        dz: Some([
            -0.58545213010346608,
            -0.63282346156173375,
            -0.53795467533350338,
        ]),
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([71643.0, 4.440451657128825e-113], false)),
    };
    let [e, l] = build(
        2000,
        |i| 6.0 + i % 4.0,
        |i, e| e - divisible(i, 2.0) + divisible(i, 7.0),
    );
    check("n = 2000", &compare(&e, &l), &want);
}

#[test]
fn p_values_that_underflow_to_zero() {
    // Every change is -1 or -2: |t| = 194 and z = -67, so both p-values underflow in R.
    // R: i <- 1:3000; e <- 6 + (i %% 4); ref(e, e - 2 + (i %% 3 == 0))
    let want = Want {
        earlier: [7.5, 1.1182203743457133],
        later: [5.833333333333333, 1.2135539240584883],
        change: [-1.6666666666666667, 0.47148310785847619],
        counts: [3000, 0, 0],
        t: Some([
            -193.61688975913233,
            2999.0,
            0.0,
            -1.68354497483531,
            -1.6497883584980235,
        ]),
        dz: None, // |t| >= 30: no R reference for the interval
        // Wilcoxon signed rank test with continuity correction
        wilcoxon: Some(([0.0, 0.0], false)),
    };
    let [e, l] = build(3000, |i| 6.0 + i % 4.0, |i, e| e - 2.0 + divisible(i, 3.0));
    check("n = 3000", &compare(&e, &l), &want);
}

#[test]
fn pt_matches_r() {
    // R: g(pt(-3.5, 2e6), pt(-40, 1e6), 2 * pt(-1000, 5e6), pt(2.5, 3), pt(-1.2, 10), pt(0.3, 1),
    //      pt(-8, 4e5), pt(1.96, 1e7), pt(-6, 50), pt(-37.5, 1e6), pt(-12, 2))
    let cases = [
        (-3.5, 2e6, 0.0002326341379030218),
        (-40.0, 1e6, 0.0),
        (2.5, 3.0, 0.95614667649596718),
        (-1.2, 10.0, 0.12889815036215288),
        (0.3, 1.0, 0.59277357907774231),
        (-8.0, 4e5, 6.2374004011156835e-16),
        (1.96, 1e7, 0.97500209098734292),
        (-6.0, 50.0, 1.0944697425399912e-07),
        (-37.5, 1e6, 7.5522344667975023e-308),
        (-12.0, 2.0, 0.0034364668385792299),
    ];
    for (x, n, want) in cases {
        close(pt_lower(x, n), want, TOL, &format!("pt({x}, {n})"));
    }
    close(pt_two_sided(-1000.0, 5e6), 0.0, TOL, "2 * pt(-1000, 5e6)");
    // R: g(2 * pt(-2.1, 15), 2 * pt(-5, 1e6), 2 * pt(-0.01, 3), 2 * pt(-30, 2999))
    let two_sided = [
        (2.1, 15.0, 0.053055256152042762),
        (-5.0, 1e6, 5.7339978708907352e-07),
        (0.01, 3.0, 0.99264911141285195),
        (-30.0, 2999.0, 3.7421770646136445e-173),
    ];
    for (t, n, want) in two_sided {
        close(
            pt_two_sided(t, n),
            want,
            TOL,
            &format!("2 * pt(-|{t}|, {n})"),
        );
    }
}

#[test]
fn qt_upper_matches_r() {
    let df = [1.0, 2.0, 5.0, 30.0, 1e6];
    // R: for (a in c(0.025, 0.005, 0.05)) g(qt(1 - a, c(1, 2, 5, 30, 1e6)))
    let cases = [
        (
            0.025,
            [
                12.706204736174694,
                4.3026527297494619,
                2.5705818356363137,
                2.0422724563012378,
                1.9599663568141066,
            ],
        ),
        (
            0.005,
            [
                63.656741162871526,
                9.9248432009182892,
                4.0321429835552287,
                2.7499956535672254,
                2.5758342201053335,
            ],
        ),
        (
            0.05,
            [
                6.3137515146750376,
                2.9199855803537238,
                2.0150483733330224,
                1.6972608865939569,
                1.644855150722039,
            ],
        ),
    ];
    for (alpha, wants) in cases {
        for (n, want) in df.into_iter().zip(wants) {
            close(
                qt_upper(alpha, n),
                want,
                TOL,
                &format!("qt(1 - {alpha}, {n})"),
            );
        }
    }
}

#[test]
fn pnt_lower_matches_r() {
    // R: the call beside each row
    let cases = [
        (2.0, 10.0, 1.5, 0.65915407244202628),       // pt(2, 10, 1.5)
        (-1.5, 5.0, -0.5, 0.20023143585084313),      // pt(-1.5, 5, -0.5)
        (-3.0, 40.0, -2.5, 0.32419734374293951),     // pt(-3, 40, -2.5)
        (-2.0, 1.0, -5.0, 0.97465270248499647),      // pt(-2, 1, -5)
        (0.5, 1.0, 2.0, 0.063276887479741778),       // pt(0.5, 1, 2)
        (30.0, 1221.0, 31.0, 0.19483780037233839),   // pt(30, 1221, 31)
        (-26.0, 1999.0, -28.0, 0.96801549847826296), // pt(-26, 1999, -28)
        (36.0, 5.0, 36.9, 0.38633244538958644),      // pt(36, 5, 36.9)
        (40.0, 200.0, 37.5, 0.86375751195505901),    // pt(40, 200, 37.5)
        (-35.0, 20.0, -37.0, 0.67542033615457098),   // pt(-35, 20, -37)
        (-0.5, 20.0, 1.0, 0.068214691771530833),     // pt(-0.5, 20, 1)
        (0.001, 7.0, -0.2, 0.57963703837518177),     // pt(0.001, 7, -0.2)
        (10.0, 3e5, 9.5, 0.69144485971299419),       // pt(10, 3e5, 9.5)
        (0.0, 6.0, 1.3, 0.096800484585610344),       // pt(0, 6, 1.3)
    ];
    for (t, df, ncp, want) in cases {
        close(
            pnt_lower(t, df, ncp),
            want,
            TOL,
            &format!("pt({t}, {df}, ncp = {ncp})"),
        );
    }
}

#[test]
fn pnt_lower_deep_tail_matches_r_to_its_own_accuracy() {
    // R's pnt stops its series once the error bound is below 1e-12 absolute and sums in long
    // double, so far in a tail its value is noise: pt(5, 3, 36.9) is really ~1.8e-31 and
    // pt(2, 3e5, 37) is negative, and pt(-4, 12, 2) is 7.8249413893e-7 by quadrature. Here only
    // absolute agreement at R's 1e-12 means anything.
    // R: g(pt(5, 3, 36.9), pt(-10, 1000, -2), pt(-2, 3e5, 8), pt(2, 3e5, 37), pt(-4, 12, 2))
    let cases = [
        (-4.0, 12.0, 2.0, 7.8249419399600839e-07),
        (5.0, 3.0, 36.9, 1.8482134009293786e-88),
        (-10.0, 1000.0, -2.0, 4.2943426592501055e-13),
        (-2.0, 3e5, 8.0, 1.3467305048919798e-10),
        (2.0, 3e5, 37.0, -1.2953971776012678e-10),
    ];
    for (t, df, ncp, want) in cases {
        let got = pnt_lower(t, df, ncp);
        assert!(
            (got - want).abs() < 1e-12,
            "pt({t}, {df}, ncp = {ncp}): got {got:e}, R gives {want:e}"
        );
    }
}

#[test]
fn pnorm_tails_match_r() {
    // R: g(pnorm(-1.96), pnorm(1.5), pnorm(-30), pnorm(30, lower.tail = FALSE), pnorm(-37.5))
    close(
        pnorm_lower(-1.96),
        0.024997895148220428,
        TOL,
        "pnorm(-1.96)",
    );
    close(pnorm_lower(1.5), 0.93319279873114191, TOL, "pnorm(1.5)");
    close(
        pnorm_lower(-30.0),
        4.9067139271481872e-198,
        TOL,
        "pnorm(-30)",
    );
    close(
        pnorm_upper(30.0),
        4.9067139271481872e-198,
        TOL,
        "pnorm(30, upper)",
    );
    close(
        pnorm_lower(-37.5),
        4.6053530095819552e-308,
        TOL,
        "pnorm(-37.5)",
    );
}

#[test]
fn ncp_interval_matches_uniroot() {
    // R: ci <- function(t, df, conf) { # the call is beside each row: ci(t, df, conf)
    //      r <- function(p) uniroot(function(ncp) pt(t, df, ncp) - p, c(t - 20, t + 20), tol = 1e-14)$root
    //      g(r(1 - (1 - conf) / 2), r((1 - conf) / 2))
    //    }
    let cases = [
        (2.5, 10.0, 0.95, 0.21456402389696191, 4.6912308834656153), // ci(2.5, 10, 0.95)
        (-2.0, 1.0, 0.95, -5.0119281780048865, 1.1256121065144165), // ci(-2, 1, 0.95)
        (0.3, 4.0, 0.95, -1.6880066251776717, 2.2524060153946448),  // ci(0.3, 4, 0.95)
        (12.0, 100.0, 0.95, 9.412934434089955, 14.551027634587692), // ci(12, 100, 0.95)
        // ci(-25, 3000, 0.95)
        (
            -25.0,
            3000.0,
            0.95,
            -27.057611930490054,
            -22.938593920635451,
        ),
        (1.7, 15.0, 0.9, -0.047594128336099661, 3.3943193590460017), // ci(1.7, 15, 0.9)
        (-5.5, 2e5, 0.95, -7.4600312191719818, -3.5399550312969605), // ci(-5.5, 2e5, 0.95)
    ];
    for (t, df, conf, lo, hi) in cases {
        let (got_lo, got_hi) = ncp_interval(t, df, conf).expect("interval is bracketed");
        close(
            got_lo,
            lo,
            TOL_CI,
            &format!("ncp_interval({t}, {df}, {conf}) low"),
        );
        close(
            got_hi,
            hi,
            TOL_CI,
            &format!("ncp_interval({t}, {df}, {conf}) high"),
        );
    }
}

#[test]
fn p_adjust_matches_r() {
    // R: p <- c(0.01, 0.04, 0.04, 1, 0.002, 0.03, 0.5, 0.04, 0.2)
    //    for (m in c("holm", "BH", "bonferroni", "none")) g(p.adjust(p, m))
    let p = [0.01, 0.04, 0.04, 1.0, 0.002, 0.03, 0.5, 0.04, 0.2];
    let cases = [
        (
            PAdjust::Holm,
            [
                0.080000000000000002,
                0.23999999999999999,
                0.23999999999999999,
                1.0,
                0.018000000000000002,
                0.20999999999999999,
                1.0,
                0.23999999999999999,
                0.60000000000000009,
            ],
        ),
        (
            PAdjust::Bh,
            [
                0.044999999999999998,
                0.059999999999999998,
                0.059999999999999998,
                1.0,
                0.018000000000000002,
                0.059999999999999998,
                0.5625,
                0.059999999999999998,
                0.25714285714285717,
            ],
        ),
        (
            PAdjust::Bonferroni,
            [
                0.089999999999999997,
                0.35999999999999999,
                0.35999999999999999,
                1.0,
                0.018000000000000002,
                0.27000000000000002,
                1.0,
                0.35999999999999999,
                1.0,
            ],
        ),
        (PAdjust::None, p),
    ];
    for (method, want) in cases {
        let got = p_adjust(&p, method);
        assert_eq!(got.len(), want.len());
        for (k, (g, w)) in got.into_iter().zip(want).enumerate() {
            close(
                g,
                w,
                TOL,
                &format!("p.adjust {} [{}]", method.name(), k + 1),
            );
        }
    }
}

#[test]
fn psignrank_matches_r() {
    // R: g(...) of the call beside each row
    let cases = [
        (10.0, 10, true, 0.0419921875),           // psignrank(10, 10)
        (27.0, 10, false, 0.5),                   // psignrank(27, 10, lower.tail = FALSE)
        (0.0, 5, true, 0.03125),                  // psignrank(0, 5)
        (408.0, 49, true, 0.020851927116211758),  // psignrank(408, 49)
        (816.0, 49, false, 0.020851927116211758), // psignrank(816, 49, lower.tail = FALSE)
        (612.0, 49, true, 0.50000000000000011),   // psignrank(612, 49)
        (407.0, 49, false, 0.9796568545821227),   // psignrank(407, 49, lower.tail = FALSE)
        (3.0, 3, false, 0.37499999999999978),     // psignrank(3, 3, lower.tail = FALSE)
        (100.0, 20, true, 0.43474388122558594),   // psignrank(100, 20)
        (-1.0, 5, true, 0.0),                     // psignrank(-1, 5)
        (15.0, 5, true, 1.0),                     // psignrank(15, 5)
        (0.0, 2, true, 0.25),                     // psignrank(0, 2)
    ];
    for (x, n, lower, want) in cases {
        close(
            psignrank(x, n, lower),
            want,
            TOL,
            &format!("psignrank({x}, {n}, lower.tail = {lower})"),
        );
    }
}
