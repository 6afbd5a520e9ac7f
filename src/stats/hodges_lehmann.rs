//! The Hodges-Lehmann estimate of the median change (the "(pseudo)median") with its
//! confidence interval, as R 4.2.2's `wilcox.test(later, earlier, paired = TRUE,
//! conf.int = TRUE)` computes them.
//!
//! Where R's signed-rank test is exact (fewer than 50 non-zero changes, no ties, no zeros) the
//! estimate is the median of the Walsh averages and the interval their order statistics at
//! `qsignrank`. Otherwise R inverts the normal approximation of the signed-rank statistic:
//! the limits are where the statistic of `changes - d` (zeros dropped, continuity-corrected)
//! equals the normal quantiles, and the estimate where it is zero without correction, each
//! found by `uniroot` with `tol.root = 1e-4`. That statistic is a step function of d that
//! steps only at Walsh averages (x_i + x_j) / 2, so R's answer is some point within 1e-4 of
//! the Walsh average where it crosses, and with many ties (integer totals) R even prints
//! intervals whose ends are out of order (-1.49994 to -1.49999). We take the same root-finder
//! steps ([`r_zeroin2_bracket`]) and report the Walsh average inside R's final bracket: the
//! number R approximates, within R's own 1e-4 of R's output, and a proper interval. Where the
//! statistic is exactly zero on a stretch between two Walsh averages (the estimate, when they
//! straddle the middle), the midpoint of that stretch, as a median of an even count.

use super::describe::sum;
use super::dist::{psignrank, qnorm, qsignrank};
use super::roots::r_zeroin2_bracket;
use super::rounding::signif;

/// R's default `tol.root`.
const TOL_ROOT: f64 = 1e-4;

/// The estimate and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HodgesLehmann {
    /// The (pseudo)median of change.
    pub estimate: f64,
    /// The interval at the requested level; `None` when that level is not achievable with so
    /// few changes (R widens it and warns; we leave it out).
    pub ci: Option<(f64, f64)>,
    /// Whether from the exact distribution (else the normal approximation).
    pub exact: bool,
}

/// The estimate and interval from changes with their counts; `None` without non-zero changes
/// (R gives NaN) or with changes too large to average.
pub fn hodges_lehmann(changes: &[(f64, u64)], conf_level: f64) -> Option<HodgesLehmann> {
    let nonzero: Vec<(f64, u64)> = changes
        .iter()
        .copied()
        .filter(|&(d, c)| d != 0.0 && c > 0)
        .collect();
    // Walsh averages of changes beyond a quarter of the largest double would overflow.
    if nonzero.is_empty()
        || nonzero
            .iter()
            .any(|c| c.0.is_nan() || c.0.abs() > f64::MAX / 4.0)
    {
        return None;
    }
    let zeroes = changes.iter().any(|&(d, c)| d == 0.0 && c > 0);
    let n: u64 = nonzero.iter().map(|c| c.1).sum();
    let ties = {
        let mut magnitudes: Vec<f64> = nonzero.iter().map(|c| c.0.abs()).collect();
        magnitudes.sort_by(f64::total_cmp);
        nonzero.iter().any(|c| c.1 > 1) || magnitudes.windows(2).any(|w| w[0] == w[1])
    };
    let alpha = 1.0 - conf_level;
    if n < 50 && !ties && !zeroes {
        return Some(exact(&nonzero, alpha));
    }
    asymptotic(&nonzero, alpha, None)
}

/// Walsh averages and `qsignrank`, for distinct changes without zeros.
fn exact(changes: &[(f64, u64)], alpha: f64) -> HodgesLehmann {
    let x: Vec<f64> = changes.iter().map(|c| c.0).collect();
    let n = x.len();
    let mut walsh: Vec<f64> = Vec::with_capacity(n * (n + 1) / 2);
    for i in 0..n {
        for j in i..n {
            walsh.push(x[i] + x[j]);
        }
    }
    walsh.sort_by(f64::total_cmp);
    for w in &mut walsh {
        *w /= 2.0;
    }
    let m = walsh.len();
    let estimate = if m % 2 == 1 {
        walsh[m / 2]
    } else {
        (walsh[m / 2 - 1] + walsh[m / 2]) / 2.0
    };
    let mut qu = qsignrank(alpha / 2.0, n);
    if qu == 0 {
        qu = 1;
    }
    let ql = n * (n + 1) / 2 - qu;
    let achieved = 2.0 * psignrank(qu as f64 - 1.0, n, true);
    let ci = (achieved - alpha <= alpha / 2.0).then(|| (walsh[qu - 1], walsh[ql]));
    HodgesLehmann {
        estimate,
        ci,
        exact: true,
    }
}

/// The normal-approximation statistic of `changes - d` (R's `W(d)` inside `wilcox.test`).
/// `changes` are sorted by value, so the magnitudes |x - d| come in order by merging the two
/// sides of d (no sort per evaluation: R's root search evaluates this dozens of times).
/// `digits_rank` is R's `digits.rank`: magnitudes tie when equal after `signif` to that many
/// digits (R >= 4.6: 7; R 4.2.2: none). `signif` never reorders, so the merge stays sorted.
fn statistic(changes: &[(f64, u64)], d: f64, correct: bool, digits_rank: Option<i32>) -> f64 {
    let key = |m: f64| digits_rank.map_or(m, |digits| signif(m, digits));
    let split = changes.partition_point(|c| c.0 - d < 0.0);
    // Below d, walking down: magnitudes d - x ascending; above, walking up: x - d ascending.
    let mut below = changes[..split]
        .iter()
        .rev()
        .map(|&(x, c)| (d - x, c))
        .peekable();
    let mut above = changes[split..]
        .iter()
        .map(|&(x, c)| (x - d, c))
        .filter(|&(m, _)| m != 0.0)
        .peekable();
    let mut v = 0.0;
    let mut tie_term = Vec::new();
    let mut start: u64 = 0;
    loop {
        let m = match (below.peek(), above.peek()) {
            (None, None) => break,
            (Some(b), None) => key(b.0),
            (None, Some(a)) => key(a.0),
            (Some(b), Some(a)) => key(b.0.min(a.0)),
        };
        let (mut pos, mut neg) = (0, 0);
        while let Some(&(_, c)) = below.peek().filter(|b| key(b.0) == m) {
            neg += c;
            below.next();
        }
        while let Some(&(_, c)) = above.peek().filter(|a| key(a.0) == m) {
            pos += c;
            above.next();
        }
        let end = start + pos + neg;
        let run = (end - start) as f64;
        v += (start + 1 + end) as f64 / 2.0 * pos as f64;
        tie_term.push(run * run * run - run);
        start = end;
    }
    let nx = start as f64;
    let z = v - nx * (nx + 1.0) / 4.0;
    let sigma = (nx * (nx + 1.0) * (2.0 * nx + 1.0) / 24.0 - sum(tie_term) / 48.0).sqrt();
    let correction = if correct { 0.5 * sign(z) } else { 0.0 };
    (z - correction) / sigma
}

/// The Walsh average of `values` (sorted) where R's root search ended: inside its
/// last bracket [b, c] (nearest b if several); when the search ended on an exact zero (b == c,
/// a flat stretch), the midpoint of the Walsh averages either side of b.
fn walsh_step(values: &[f64], b: f64, c: f64) -> f64 {
    // For each x_i, the x_j whose average with it is nearest below and above `at`.
    let around = |at: f64| -> (f64, f64) {
        let (mut below, mut above) = (f64::NEG_INFINITY, f64::INFINITY);
        for &x in values {
            let k = values.partition_point(|&y| (x + y) / 2.0 < at);
            if k > 0 {
                below = below.max((x + values[k - 1]) / 2.0);
            }
            if let Some(&y) = values.get(k) {
                above = above.min((x + y) / 2.0);
            }
        }
        (below, above)
    };
    let (below, above) = around(b);
    if b == c {
        if above == b {
            return b; // the root is itself a Walsh average
        }
        return if below.is_finite() && above.is_finite() {
            (below + above) / 2.0
        } else {
            b
        };
    }
    let (low, high) = (b.min(c), b.max(c));
    let inside = [below, above]
        .into_iter()
        .filter(|&v| v >= low && v <= high)
        .min_by(|x, y| (x - b).abs().total_cmp(&(y - b).abs()));
    // R's bracket always holds the step; if rounding hid it, the nearest average.
    inside.unwrap_or_else(|| {
        if (b - below).abs() <= (above - b).abs() {
            below
        } else {
            above
        }
    })
}

fn sign(z: f64) -> f64 {
    if z > 0.0 {
        1.0
    } else if z < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// R's asymptotic branch; `None` when the statistic is undefined at the ends (every change
/// equal after shifting: R's "all observations are zero or tied"). R 4.2.2 passes the
/// non-zero changes and no `digits_rank`; R >= 4.6 every change and 7.
pub(crate) fn asymptotic(
    changes: &[(f64, u64)],
    alpha: f64,
    digits_rank: Option<i32>,
) -> Option<HodgesLehmann> {
    let mut sorted = changes.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let changes = &sorted[..];
    let mumin = changes.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
    let mumax = changes
        .iter()
        .map(|c| c.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let w = |d: f64| statistic(changes, d, true, digits_rank);
    let (w_min, w_max) = (w(mumin), w(mumax));
    if !w_min.is_finite() || !w_max.is_finite() {
        // R: no interval, and the midrange as the estimate.
        return Some(HodgesLehmann {
            estimate: (mumin + mumax) / 2.0,
            ci: None,
            exact: false,
        });
    }
    // R widens the interval (doubling alpha) while the ends do not bracket the quantiles;
    // then the requested level is not achievable and we give no interval.
    let upper_q = -qnorm(alpha / 2.0);
    let lower_q = qnorm(alpha / 2.0);
    let achievable = w_min - upper_q >= 0.0 && w_max - lower_q <= 0.0;
    // Already in order: `changes` was sorted above.
    let values: Vec<f64> = changes.iter().map(|c| c.0).collect();
    let ci = achievable.then(|| {
        let root = |zq: f64| {
            let (b, c) = r_zeroin2_bracket(
                |d| w(d) - zq,
                mumin,
                mumax,
                w_min - zq,
                w_max - zq,
                TOL_ROOT,
            );
            walsh_step(&values, b, c)
        };
        (root(upper_q), root(lower_q))
    });
    let w0 = |d: f64| statistic(changes, d, false, digits_rank);
    let (b, c) = r_zeroin2_bracket(w0, mumin, mumax, w0(mumin), w0(mumax), TOL_ROOT);
    let estimate = walsh_step(&values, b, c);
    Some(HodgesLehmann {
        estimate,
        ci,
        exact: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(changes: &[f64]) -> Vec<(f64, u64)> {
        let mut out: Vec<(f64, u64)> = Vec::new();
        for &d in changes {
            match out.iter_mut().find(|c| c.0 == d) {
                Some(c) => c.1 += 1,
                None => out.push((d, 1)),
            }
        }
        out
    }

    fn diff(pre: &[f64], post: &[f64]) -> Vec<f64> {
        pre.iter().zip(post).map(|(a, b)| b - a).collect()
    }

    /// Within R's `tol.root` of R's value.
    fn within_tol_root(ours: f64, r: f64) {
        assert!((ours - r).abs() <= TOL_ROOT, "{ours} vs R {r}");
    }

    // R 4.2.2: pre <- c(7,8,5,9,6,7,8,6,7,5,9,8); post <- c(5,6,5,7,5,4,7,6,6,6,6,8)
    // w <- wilcox.test(post, pre, paired = TRUE, conf.int = TRUE)
    // sprintf("%.17g", c(w$estimate, w$conf.int))
    // -1.5000463005102569 -2.5000353973131202 -0.50003489112576605
    #[test]
    fn ties_and_zeros_give_the_walsh_averages_r_approximates() {
        let pre = [7.0, 8.0, 5.0, 9.0, 6.0, 7.0, 8.0, 6.0, 7.0, 5.0, 9.0, 8.0];
        let post = [5.0, 6.0, 5.0, 7.0, 5.0, 4.0, 7.0, 6.0, 6.0, 6.0, 6.0, 8.0];
        let hl = hodges_lehmann(&counted(&diff(&pre, &post)), 0.95).expect("changes");
        assert!(!hl.exact);
        assert_eq!(hl.estimate, -1.5);
        assert_eq!(hl.ci, Some((-2.5, -0.5)));
        within_tol_root(hl.estimate, -1.5000463005102569);
        within_tol_root(-2.5, -2.5000353973131202);
        within_tol_root(-0.5, -0.50003489112576605);
    }

    // R 4.2.2 on the bundled export's pre/post pairs (scored.csv of `analyse
    // data/synthetic_export.csv --write-scored`), wilcox.test(b, a, paired = TRUE, conf.int = TRUE):
    // estimate -1.4999511415952274, conf.int -1.4999448212483684 -1.4999919538253981 (R's
    // interval is out of order: both ends sit on the same step at -1.5).
    #[test]
    fn a_huge_tied_sample_gives_a_proper_interval() {
        // The whole sample's 2,415 changes, as counts of each change.
        let counts = [
            (-5.0, 1),
            (-4.0, 31),
            (-3.0, 207),
            (-2.0, 582),
            (-1.0, 788),
            (0.0, 595),
            (1.0, 182),
            (2.0, 27),
            (3.0, 2),
        ];
        let hl = hodges_lehmann(&counts, 0.95).expect("changes");
        within_tol_root(hl.estimate, -1.4999511415952274);
        let (low, high) = hl.ci.expect("an interval");
        assert!(low <= high);
        within_tol_root(low, -1.4999448212483684);
        within_tol_root(high, -1.4999919538253981);
    }

    // R 4.2.2 (wilcox.test(post, pre, paired = TRUE, conf.int = TRUE), suppressWarnings):
    // distinct10: x <- c(1.5,-0.3,2.2,0.7,-1.1,3.4,0.2,1.9,-0.6,2.8); wilcox.test(x, rep(0,10), ...)
    //   estimate 1.0999999999999999, ci -0.19999999999999998 2.2000000000000002 (exact)
    // three: x <- c(1.2, 2.5, -0.4): estimate 1.125, conf.level 0.75 (not achievable)
    // ucla20_200: i <- 0:199; pre <- 20 + (i*37) %% 41; post <- pre + ((i*13) %% 11) - 6
    //   estimate -1.0000901970943186, ci -1.5000579037289619 -0.50003566088402995
    // ucla3_60: i <- 0:59; pre <- 3 + (i*5) %% 7; post <- pre - ((i*3) %% 4) + 1
    //   estimate -0.50005788618911495, ci -1.0000330692539992 -0.4999311530376378
    // allminus1: post <- c(4,4,4,5,5); pre <- c(5,5,5,6,5): estimate -1, ci NaN NaN
    #[test]
    fn exact_and_asymptotic_cases_equal_r() {
        let distinct = [1.5, -0.3, 2.2, 0.7, -1.1, 3.4, 0.2, 1.9, -0.6, 2.8];
        let hl = hodges_lehmann(&counted(&distinct), 0.95).expect("changes");
        assert!(hl.exact);
        assert_eq!(hl.estimate, 1.0999999999999999);
        assert_eq!(hl.ci, Some((-0.19999999999999998, 2.2000000000000002)));

        let hl = hodges_lehmann(&counted(&[1.2, 2.5, -0.4]), 0.95).expect("changes");
        assert_eq!((hl.estimate, hl.ci), (1.125, None));

        let ucla20: Vec<f64> = (0..200).map(|i| f64::from((i * 13) % 11) - 6.0).collect();
        let hl = hodges_lehmann(&counted(&ucla20), 0.95).expect("changes");
        assert!(!hl.exact);
        assert_eq!(hl.estimate, -1.0);
        assert_eq!(hl.ci, Some((-1.5, -0.5)));
        within_tol_root(-1.0, -1.0000901970943186);
        within_tol_root(-1.5, -1.5000579037289619);
        within_tol_root(-0.5, -0.50003566088402995);

        let ucla3: Vec<f64> = (0..60).map(|i| 1.0 - f64::from((i * 3) % 4)).collect();
        let hl = hodges_lehmann(&counted(&ucla3), 0.95).expect("changes");
        assert_eq!(hl.estimate, -0.5);
        assert_eq!(hl.ci, Some((-1.0, -0.5)));
        within_tol_root(-0.5, -0.50005788618911495);
        within_tol_root(-1.0, -1.0000330692539992);
        within_tol_root(-0.5, -0.4999311530376378);

        // Fractional changes with ties (multiples of 1/8 shifted by 0.1):
        // i <- 0:79; x <- ((i*7) %% 23 - 11)/8 + 0.1; wilcox.test(x, rep(0, 80), paired = TRUE,
        //   conf.int = TRUE): 0.099962232193627112, -0.087571010130222615 0.28742477662323906
        let eighths: Vec<f64> = (0..80)
            .map(|i| f64::from((i * 7) % 23 - 11) / 8.0 + 0.1)
            .collect();
        let hl = hodges_lehmann(&counted(&eighths), 0.95).expect("changes");
        within_tol_root(hl.estimate, 0.099962232193627112);
        let (low, high) = hl.ci.expect("an interval");
        within_tol_root(low, -0.087571010130222615);
        within_tol_root(high, 0.28742477662323906);
        assert!((hl.estimate - 0.1).abs() < 1e-15 && (low + 0.0875).abs() < 1e-15);

        let hl = hodges_lehmann(&counted(&[-1.0, -1.0, -1.0, -1.0, 0.0]), 0.95).expect("changes");
        assert_eq!((hl.estimate, hl.ci), (-1.0, None));
        assert_eq!(hodges_lehmann(&counted(&[0.0, 0.0]), 0.95), None);
    }
}
