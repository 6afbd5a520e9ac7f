//! Correlation of two paired variables with its test, as R's `cor.test(x, y, method = ...)`
//! computes it: Pearson's r with the t test and Fisher's z interval, and Spearman's rho with
//! R's p-value (the AS 89 algorithm of `prho.c` without ties, the t approximation with them).
//!
//! R 4.2.2 and current R (4.6.0, and R-devel 4.7.0 as of August 2026) compute every number
//! here alike: since 4.2.2, `cor.test.R` changed only the case of its warning ("cannot
//! compute exact p-value with ties") and `prho.c` only how it reports an invalid `n` to C
//! (PR#18807), which R's own call never triggers; `cor`'s C code changed types only.
//!
//! Pairs with a NaN in either variable are dropped first, as `cor.test`'s `complete.cases`
//! drops NA and NaN.

use super::describe::sum;
use super::dist::{pnorm_lower, pnorm_upper, pt_two_sided, qnorm};

/// A correlation with its test, in the names of R's `htest` from `cor.test`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// Pairs used: R's `n`, the complete cases.
    pub n: usize,
    /// The correlation: R's `estimate` (`cor` for Pearson, `rho` for Spearman).
    pub estimate: f64,
    /// Two-sided interval for the correlation at the requested level, R's `conf.int`; `None`
    /// with fewer than 4 pairs, where Fisher's z has no standard error (R gives none either).
    /// For Spearman R gives none at all: see [`spearman`] for the convention used here.
    pub ci: Option<(f64, f64)>,
    /// The test statistic, R's `statistic`: `t` for Pearson, `S` for Spearman. Infinite for
    /// a Pearson r of exactly +-1 (R gives `Inf` too; its p is then 0).
    pub statistic: f64,
    /// Degrees of freedom of the t statistic, R's `parameter` (`df = n - 2`); `None` for
    /// Spearman, for which R reports no parameter even when its p-value uses the t distribution.
    pub df: Option<f64>,
    /// Two-sided p-value, R's `p.value`.
    pub p: f64,
    /// Whether the p-value came from R's `exact = TRUE` branch for Spearman, the AS 89
    /// algorithm (`prho`): a full enumeration of the permutations for n <= 9 but an Edgeworth
    /// series for 10 <= n <= 1290. `false` for the t approximation (ties, n > 1290) and for
    /// Pearson.
    pub exact: bool,
}

/// Pearson's product-moment correlation, R's
/// `cor.test(x, y, method = "pearson", conf.level = conf_level)`:
/// `r = cor(x, y)`, `t = sqrt(n - 2) * r / sqrt(1 - r^2)` on `df = n - 2`, two-sided
/// `p = 2 * min(pt(t, df), pt(t, df, lower.tail = FALSE))`, and for n > 3 the interval
/// `tanh(atanh(r) -/+ qnorm((1 + conf_level) / 2) / sqrt(n - 3))`.
///
/// `None` where R gives no correlation: fewer than 3 complete pairs (R stops with "not
/// enough finite observations"); `x` or `y` constant (R returns NA for everything, warning
/// "the standard deviation is zero"); an infinite value (R's r is NaN); `x` and `y` of
/// different lengths or `conf_level` outside [0, 1] (R stops with an error).
pub fn pearson(x: &[f64], y: &[f64], conf_level: f64) -> Option<Correlation> {
    if !(0.0..=1.0).contains(&conf_level) {
        return None;
    }
    let (x, y) = complete_pairs(x, y)?;
    let n = x.len();
    if n < 3 {
        return None;
    }
    let r = cor(&x, &y)?;
    let df = (n - 2) as f64;
    let t = df.sqrt() * r / (1.0 - r * r).sqrt();
    Some(Correlation {
        n,
        estimate: r,
        ci: fisher_z_interval(r, n, 1.0, conf_level),
        statistic: t,
        df: Some(df),
        // 2 * min(pt(t), pt(t, lower.tail = FALSE)): twice the tail beyond |t|.
        p: pt_two_sided(t, df),
        exact: false,
    })
}

/// Spearman's rank correlation, R's `cor.test(x, y, method = "spearman")` with its default
/// `exact = NULL`: `rho = cor(rank(x), rank(y))` (ties get average ranks) and
/// `S = (n^3 - n) (1 - rho) / 6`. The two-sided p-value is twice the tail of `S` on the side
/// `rho` lies (upper when `S > (n^3 - n) / 6`), capped at 1:
/// - without ties and n <= 1290: `prho` (AS 89, Best & Roberts 1975), called as R does with
///   `round(S) + 2` for the lower tail and `round(S)` for the upper (R's `pspearman`);
/// - with ties in `x` or `y` (R then sets `exact = FALSE` and warns "cannot compute exact
///   p-value with ties") or n > 1290: the t approximation
///   `pt(r / sqrt((1 - r^2) / (n - 2)), n - 2)` with `r = 1 - S / (n (n^2 - 1) / 6)`.
///   (R's help says AS 89 is used "for n < 1290"; its code says `n <= 1290`, followed here.)
///
/// Interval (R's `cor.test` gives none for Spearman): Fisher's z with the standard error of
/// Bonett & Wright (2000, Psychometrika 65:23-28), `sqrt((1 + rho^2 / 2) / (n - 3))`:
/// `tanh(atanh(rho) -/+ qnorm((1 + conf_level) / 2) * sqrt((1 + rho^2 / 2) / (n - 3)))`, for
/// n > 3. It is `CECPfuns::getCISpearman(rho, n, conf_level, Gaussian = TRUE)`. The spread of
/// `atanh(rho)` grows with |rho|, so Pearson's fixed `1 / sqrt(n - 3)` (DescTools'
/// `SpearmanRho`) covers too little for strong correlations: for bivariate normal data with
/// n = 20 to 50 and correlation 0.8, 92-93% for a nominal 95% in a simulation in R (20,000
/// samples each), against 95-96% for Bonett-Wright, which equals it at rho = 0.
///
/// `None` where R gives no rho: fewer than 2 complete pairs (R stops), `x` or `y` constant
/// (R returns NA, warning "the standard deviation is zero"), `x` and `y` of different lengths
/// or `conf_level` outside [0, 1]. Two pairs give rho = +-1 and p = 1, as in R.
pub fn spearman(x: &[f64], y: &[f64], conf_level: f64) -> Option<Correlation> {
    if !(0.0..=1.0).contains(&conf_level) {
        return None;
    }
    let (x, y) = complete_pairs(x, y)?;
    let n = x.len();
    if n < 2 {
        return None;
    }
    let (rank_x, ties_x) = ranks_and_ties(&x);
    let (rank_y, ties_y) = ranks_and_ties(&y);
    let rho = cor(&rank_x, &rank_y)?;
    let nf = n as f64;
    let n3_n = nf.powf(3.0) - nf;
    let s = n3_n * (1.0 - rho) / 6.0;
    let upper = s > n3_n / 6.0;
    let exact = !(ties_x || ties_y) && n <= 1290;
    let one_tail = if exact {
        let lower = !upper;
        prho(
            n,
            s.round_ties_even() + if lower { 2.0 } else { 0.0 },
            lower,
        )
    } else {
        // R's pspearman: rho again from S, then pt(t, lower.tail = !lower) with t on the
        // side of that tail, i.e. the tail beyond |t|.
        let den = nf * (nf * nf - 1.0) / 6.0;
        let r = 1.0 - s / den;
        pt_two_sided(r / ((1.0 - r * r) / (nf - 2.0)).sqrt(), nf - 2.0) / 2.0
    };
    Some(Correlation {
        n,
        estimate: rho,
        ci: fisher_z_interval(rho, n, (1.0 + rho * rho / 2.0).sqrt(), conf_level),
        statistic: s,
        df: None,
        p: (2.0 * one_tail).min(1.0),
        exact,
    })
}

/// R's `rank(x)` (`ties.method = "average"`): 1 for the smallest value, tied values sharing
/// the mean of their positions. Values compare as numbers, so -0 and 0 tie, as in R; NaN has
/// no meaningful rank here (R's `na.last = TRUE` puts it last) and must not be passed.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    ranks_and_ties(x).0
}

/// Ranks as [`ranks`], and whether any value is tied (R's `length(unique(x)) < length(x)`).
fn ranks_and_ties(x: &[f64]) -> (Vec<f64>, bool) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    // `+ 0.0` turns -0 into 0, so that the two tie as in R.
    order.sort_by(|&a, &b| (x[a] + 0.0).total_cmp(&(x[b] + 0.0)));
    let mut out = vec![0.0; x.len()];
    let mut tied = false;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == x[order[start]] {
            end += 1;
        }
        tied |= end - start > 1;
        // Positions start+1 ..= end; their mean is a whole or half number, exact in f64.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = average;
        }
        start = end;
    }
    (out, tied)
}

/// The pairs with no NaN in either variable (`complete.cases`); `None` for unequal lengths.
fn complete_pairs(x: &[f64], y: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    if x.len() != y.len() {
        return None;
    }
    Some(
        x.iter()
            .zip(y)
            .filter(|(a, b)| !a.is_nan() && !b.is_nan())
            .map(|(&a, &b)| (a, b))
            .unzip(),
    )
}

/// R's `cor(x, y)` (C `cov_na_2` with `cor = TRUE`): means by a sum and R's correction pass,
/// the centred cross-product and squares summed (R in long double, here compensated),
/// `r = (sxy / (n-1)) / (sqrt(sxx / (n-1)) * sqrt(syy / (n-1)))` clamped to [-1, 1].
/// `None` when either standard deviation is 0 (R's NA) or a value is infinite (R's NaN).
fn cor(x: &[f64], y: &[f64]) -> Option<f64> {
    let constant = |v: &[f64]| v.iter().all(|&a| a == v[0]);
    if x.len() < 2 || constant(x) || constant(y) {
        return None;
    }
    let nf = x.len() as f64;
    let mean = |v: &[f64]| {
        let first = sum(v.iter().copied()) / nf;
        first + sum(v.iter().map(|&a| a - first)) / nf
    };
    let (mx, my) = (mean(x), mean(y));
    let sxy = sum(x.iter().zip(y).map(|(&a, &b)| (a - mx) * (b - my)));
    let sxx = sum(x.iter().map(|&a| (a - mx) * (a - mx)));
    let syy = sum(y.iter().map(|&b| (b - my) * (b - my)));
    let n1 = nf - 1.0;
    let (sdx, sdy) = ((sxx / n1).sqrt(), (syy / n1).sqrt());
    if sdx == 0.0 || sdy == 0.0 {
        return None;
    }
    let r = (sxy / n1) / (sdx * sdy);
    r.is_finite().then(|| r.clamp(-1.0, 1.0))
}

/// `tanh(atanh(r) -/+ qnorm((1 + conf_level) / 2) * spread / sqrt(n - 3))` for n > 3.
fn fisher_z_interval(r: f64, n: usize, spread: f64, conf_level: f64) -> Option<(f64, f64)> {
    if n <= 3 {
        return None;
    }
    let z = r.atanh();
    let half = spread / ((n - 3) as f64).sqrt() * qnorm((1.0 + conf_level) / 2.0);
    Some(((z - half).tanh(), (z + half).tanh()))
}

/// Largest n that `prho` enumerates (R's `n_small`); beyond, the Edgeworth series.
const PRHO_N_SMALL: usize = 9;

/// R's C `prho(n, is, &pv, &ifault, lower_tail)` (AS 89 as translated in R's
/// `src/library/stats/src/prho.c`): P[S >= is], or P[S < is] when `lower_tail`, for
/// `S = (n^3 - n)(1 - R)/6` under independence, n >= 2. For n <= 9 by enumerating all n!
/// permutations (in AS 89's rotation order), beyond by its Edgeworth series, clamped to [0, 1].
fn prho(n: usize, is: f64, lower_tail: bool) -> f64 {
    let pv = if lower_tail { 0.0 } else { 1.0 };
    if n <= 1 || is <= 0.0 {
        return pv;
    }
    let mut n3 = n as f64;
    n3 *= (n3 * n3 - 1.0) / 3.0; // (n^3 - n) / 3, the largest S
    if is > n3 {
        return 1.0 - pv;
    }
    if n <= PRHO_N_SMALL {
        let nfac: u32 = (1..=n as u32).product();
        let mut l: Vec<i64> = (1..=n as i64).collect();
        let mut ifr: u32 = 0;
        // AS 89 counts the single permutation at the maximum directly (the paper's `.eq.`).
        if is == n3 {
            ifr = 1;
        } else {
            for _ in 0..nfac {
                let ise: i64 = (0..n)
                    .map(|i| {
                        let d = i as i64 + 1 - l[i];
                        d * d
                    })
                    .sum();
                if is <= ise as f64 {
                    ifr += 1;
                }
                // Next permutation, in AS 89's order: rotate the first n1 entries left by
                // one; while that brings them back to their starting order, rotate the first
                // n1 - 1 as well.
                let mut n1 = n;
                loop {
                    let mt = l[0];
                    l.copy_within(1..n1, 0);
                    n1 -= 1;
                    l[n1] = mt;
                    if !(mt == n1 as i64 + 1 && n1 > 1) {
                        break;
                    }
                }
            }
        }
        let count = if lower_tail { nfac - ifr } else { ifr };
        return f64::from(count) / f64::from(nfac);
    }
    const C1: f64 = 0.2274;
    const C2: f64 = 0.2531;
    const C3: f64 = 0.1745;
    const C4: f64 = 0.0758;
    const C5: f64 = 0.1033;
    const C6: f64 = 0.3932;
    const C7: f64 = 0.0879;
    const C8: f64 = 0.0151;
    const C9: f64 = 0.0072;
    const C10: f64 = 0.0831;
    const C11: f64 = 0.0131;
    const C12: f64 = 4.6e-4;
    let y = n as f64;
    let b = 1.0 / y;
    // rho * sqrt(n - 1), standard normal to first order (with the sign of -rho).
    let x = (6.0 * (is - 1.0) * b / (y * y - 1.0) - 1.0) * (y - 1.0).sqrt();
    let y = x * x;
    let u = x
        * b
        * (C1
            + b * (C2 + C3 * b)
            + y * (-C4 + b * (C5 + C6 * b)
                - y * b * (C7 + C8 * b - y * (C9 - C10 * b + y * b * (C11 - C12 * y)))));
    let y = u / (y / 2.0).exp();
    let pv = if lower_tail {
        -y + pnorm_lower(x)
    } else {
        y + pnorm_upper(x)
    };
    pv.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a` equals R's `b` to 1e-9 relative (absolutely where R's value is 0).
    fn close(what: &str, a: f64, b: f64) {
        assert!(
            (a - b).abs() <= 1e-9 * b.abs() || a == b,
            "{what}: {a:e} vs R's {b:e}"
        );
    }

    /// Compares everything R reports: estimate, statistic, df, p and interval.
    fn check(c: &Correlation, estimate: f64, statistic: f64, p: f64, ci: Option<(f64, f64)>) {
        close("estimate", c.estimate, estimate);
        close("statistic", c.statistic, statistic);
        close("p", c.p, p);
        match (c.ci, ci) {
            (Some((lo, hi)), Some((r_lo, r_hi))) => {
                close("ci lower", lo, r_lo);
                close("ci upper", hi, r_hi);
            }
            (None, None) => {}
            (ours, r) => panic!("interval {ours:?} vs R's {r:?}"),
        }
    }

    const SLEEP_X: [f64; 10] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const SLEEP_Y: [f64; 10] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];

    // R 4.2.2, values printed with format(v, digits = 17):
    // x <- c(1.9,0.8,1.1,0.1,-0.1,4.4,5.5,1.6,4.6,3.4)
    // y <- c(0.7,-1.6,-0.2,-1.2,-0.1,3.4,3.7,0.8,0,2)
    // cor.test(x, y)
    //   cor 0.79517020583357778, t 3.7089904278041077, df 8, p 0.0059649957969184573,
    //   conf.int 0.33152547416433725 0.94944653361136355
    // cor.test(x, y, conf.level = 0.9)$conf.int: 0.43304759732396758 0.93628264180666909
    #[test]
    fn pearson_equals_r() {
        let c = pearson(&SLEEP_X, &SLEEP_Y, 0.95).expect("10 pairs, not constant");
        check(
            &c,
            0.79517020583357778,
            3.7089904278041077,
            0.0059649957969184573,
            Some((0.33152547416433725, 0.94944653361136355)),
        );
        assert_eq!((c.n, c.df, c.exact), (10, Some(8.0), false));
        let c90 = pearson(&SLEEP_X, &SLEEP_Y, 0.9).expect("10 pairs");
        check(
            &c90,
            0.79517020583357778,
            3.7089904278041077,
            0.0059649957969184573,
            Some((0.43304759732396758, 0.93628264180666909)),
        );
    }

    // R 4.2.2:
    // cor.test(c(-3, -1, 0, 2, 2, 5, 6, 8), c(4.2, 3.1, 3.5, 0.4, 1.0, -1.2, -0.8, -3.9))
    //   cor -0.97009976137507836, t -9.7906288330941731, df 6, p 6.5339160636805472e-05,
    //   conf.int -0.99475508792522915 -0.83890449739756412
    #[test]
    fn pearson_negative_equals_r() {
        let x = [-3.0, -1.0, 0.0, 2.0, 2.0, 5.0, 6.0, 8.0];
        let y = [4.2, 3.1, 3.5, 0.4, 1.0, -1.2, -0.8, -3.9];
        let c = pearson(&x, &y, 0.95).expect("8 pairs");
        check(
            &c,
            -0.97009976137507836,
            -9.7906288330941731,
            6.5339160636805472e-05,
            Some((-0.99475508792522915, -0.83890449739756412)),
        );
        assert_eq!(c.df, Some(6.0));
    }

    // R 4.2.2: the interval needs n > 3.
    // cor.test(c(1, 2, 4), c(2, 1, 7))
    //   cor 0.88249750329276966, t 1.8763883748662817, df 1, p 0.31172089906106887, no conf.int
    // cor.test(c(1, 2, 4, 3), c(2, 1, 7, 5))
    //   cor 0.89073373878314122, t 2.7714348384599954, df 2, p 0.10926626121685876,
    //   conf.int -0.48881163655719151 0.99770921202399376
    #[test]
    fn pearson_small_samples_equal_r() {
        let c3 = pearson(&[1.0, 2.0, 4.0], &[2.0, 1.0, 7.0], 0.95).expect("3 pairs");
        check(
            &c3,
            0.88249750329276966,
            1.8763883748662817,
            0.31172089906106887,
            None,
        );
        assert_eq!(c3.df, Some(1.0));
        let c4 = pearson(&[1.0, 2.0, 4.0, 3.0], &[2.0, 1.0, 7.0, 5.0], 0.95).expect("4 pairs");
        check(
            &c4,
            0.89073373878314122,
            2.7714348384599954,
            0.10926626121685876,
            Some((-0.48881163655719151, 0.99770921202399376)),
        );
    }

    // R 4.2.2, the sleep data moved far from 0 (the offsets round the data themselves,
    // hence R's slightly different r):
    // cor.test(x + 1e9, y - 1e9)
    //   cor 0.79517020769360902, t 3.7089904513989507, p 0.0059649955946330388,
    //   conf.int 0.33152547866685900 0.94944653410988478
    #[test]
    fn pearson_keeps_its_digits_on_large_offsets() {
        let x: Vec<f64> = SLEEP_X.iter().map(|v| v + 1e9).collect();
        let y: Vec<f64> = SLEEP_Y.iter().map(|v| v - 1e9).collect();
        let c = pearson(&x, &y, 0.95).expect("10 pairs");
        check(
            &c,
            0.79517020769360902,
            3.7089904513989507,
            0.0059649955946330388,
            Some((0.33152547866685900, 0.94944653410988478)),
        );
    }

    // R 4.2.2: cor.test(c(1, 2), c(1, 3)) stops ("not enough finite observations");
    // cor.test(c(1, 1, 1, 1), 1:4) gives NA everywhere ("the standard deviation is zero"),
    // as does method = "spearman".
    #[test]
    fn no_correlation_where_r_gives_none() {
        assert_eq!(pearson(&[1.0, 2.0], &[1.0, 3.0], 0.95), None);
        let constant = [1.0, 1.0, 1.0, 1.0];
        let other = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(pearson(&constant, &other, 0.95), None);
        assert_eq!(pearson(&other, &constant, 0.95), None);
        assert_eq!(spearman(&constant, &other, 0.95), None);
        assert_eq!(spearman(&other, &constant, 0.95), None);
        assert_eq!(spearman(&[1.0], &[2.0], 0.95), None);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[1.0, 2.0], 0.95), None);
        assert_eq!(pearson(&other, &other, 1.5), None);
        assert_eq!(spearman(&other, &other, f64::NAN), None);
        // An infinite value makes R's r NaN.
        assert_eq!(pearson(&[1.0, 2.0, f64::INFINITY, 4.0], &other, 0.95), None);
    }

    // R 4.2.2: NaN pairs are dropped (complete.cases); Spearman ranks an infinite value.
    // cor.test(c(1, 2, NaN, 4, 5), c(1, 2, 3, 5, 4))$estimate: 0.89999999999999991 (4 pairs)
    // cor.test(c(1, 2, Inf, 4), c(1, 2, 3, 5), method = "spearman")$p.value: 0.33333333333333331
    #[test]
    fn incomplete_pairs_are_dropped_and_infinity_is_ranked() {
        let c = pearson(
            &[1.0, 2.0, f64::NAN, 4.0, 5.0],
            &[1.0, 2.0, 3.0, 5.0, 4.0],
            0.95,
        )
        .expect("4 complete pairs");
        assert_eq!(c.n, 4);
        close("r", c.estimate, 0.89999999999999991);
        let s = spearman(&[1.0, 2.0, f64::INFINITY, 4.0], &[1.0, 2.0, 3.0, 5.0], 0.95)
            .expect("4 pairs");
        close("p", s.p, 0.33333333333333331);
    }

    /// Checks Spearman's rho, S and p against R, and the interval against the
    /// Bonett-Wright formula evaluated in R.
    fn check_spearman(
        x: &[f64],
        y: &[f64],
        conf_level: f64,
        (rho, s, p): (f64, f64, f64),
        ci: Option<(f64, f64)>,
        exact: bool,
    ) {
        let c = spearman(x, y, conf_level).expect("R gives a rho");
        check(&c, rho, s, p, ci);
        assert_eq!((c.n, c.df, c.exact), (x.len(), None, exact));
    }

    // R 4.2.2; bw() is the interval chosen here, evaluated in R, and for n >= 8 it equals
    // CECPfuns::getCISpearman(rho, n, conf, Gaussian = TRUE) (sourced from its repository);
    // DescTools::SpearmanRho's 1/sqrt(n - 3) interval is shown for comparison:
    // bw <- function(r, n, conf = 0.95)
    //   tanh(atanh(r) + c(-1, 1) * qnorm((1 + conf) / 2) * sqrt((1 + r^2 / 2) / (n - 3)))
    // x <- c(3.1, 1.2, 5.5, 4.0, 2.2)
    // cor.test(x, c(2, 1, 4, 5, 3), method = "spearman")
    //   rho 0.79999999999999982, S 4.0000000000000036, p 0.13333333333333333
    //   bw: -0.45712438880529671 0.99084294787780425
    //   (DescTools -0.27964004196935505 0.98619619330127140)
    // cor.test(x, c(4, 5, 1, 2, 3), method = "spearman")
    //   rho -0.8999999999999998, S 38, p 0.083333333333333329
    //   bw: -0.99606859247505131 0.16889565860999642
    // cor.test(c(1, 2, 3, 4, 5), c(2, 4, 3, 1, 5), method = "spearman")
    //   rho 0.29999999999999993, S 14.000000000000002, p 0.68333333333333335
    //   bw: -0.80307890225151679 0.93861278041554075
    #[test]
    fn spearman_enumerates_five_pairs_as_r() {
        let x = [3.1, 1.2, 5.5, 4.0, 2.2];
        check_spearman(
            &x,
            &[2.0, 1.0, 4.0, 5.0, 3.0],
            0.95,
            (0.79999999999999982, 4.0000000000000036, 0.13333333333333333),
            Some((-0.45712438880529671, 0.99084294787780425)),
            true,
        );
        check_spearman(
            &x,
            &[4.0, 5.0, 1.0, 2.0, 3.0],
            0.95,
            (-0.8999999999999998, 38.0, 0.083333333333333329),
            Some((-0.99606859247505131, 0.16889565860999642)),
            true,
        );
        check_spearman(
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[2.0, 4.0, 3.0, 1.0, 5.0],
            0.95,
            (0.29999999999999993, 14.000000000000002, 0.68333333333333335),
            Some((-0.80307890225151679, 0.93861278041554075)),
            true,
        );
    }

    // R 4.2.2 (n = 9, the largest n prho enumerates):
    // x <- c(9, 2, 7, 4, 5, 1, 8, 3, 6); y <- c(7, 1, 9, 3, 2, 4, 8, 5, 6)
    // cor.test(x, y, method = "spearman")
    //   rho 0.73333333333333328, S 32.000000000000007, p 0.031123236331569666
    //   bw (= CECPfuns): 0.034556417263027162 0.950528745821260235
    //   (DescTools 0.13492138930955652 0.93976719290791022)
    // bw(0.73333333333333328, 9, 0.9): 0.17757764837983470 0.93444229895681652
    #[test]
    fn spearman_enumerates_nine_pairs_as_r() {
        let x = [9.0, 2.0, 7.0, 4.0, 5.0, 1.0, 8.0, 3.0, 6.0];
        let y = [7.0, 1.0, 9.0, 3.0, 2.0, 4.0, 8.0, 5.0, 6.0];
        let r = (
            0.73333333333333328,
            32.000000000000007,
            0.031123236331569666,
        );
        check_spearman(
            &x,
            &y,
            0.95,
            r,
            Some((0.034556417263027162, 0.950528745821260235)),
            true,
        );
        check_spearman(
            &x,
            &y,
            0.9,
            r,
            Some((0.17757764837983470, 0.93444229895681652)),
            true,
        );
    }

    // R 4.2.2 (n = 10 and 30: AS 89's Edgeworth series):
    // cor.test(c(0.5, -1.3, 2.2, 0.1, -0.4, 1.7, -2.0, 0.9, 3.1, -0.7),
    //          c(1.1, -0.2, 1.9, -0.5, 0.3, 0.8, -1.4, 0.0, 2.5, 0.6), method = "spearman")
    //   rho 0.79393939393939383, S 34.000000000000021, p 0.0098441361663116015
    //   bw (= CECPfuns): 0.22834943189901646 0.95885862946440648
    // x <- 1:30; cor.test(x, (x * 7) %% 31 + x / 2, method = "spearman")
    //   rho 0.47942157953281422, S 2339.9999999999995, p 0.0079663283148064881
    //   bw (= CECPfuns): 0.12332197155207321 0.72614001727617061
    // cor.test(x, -((x * 11) %% 31) - x, method = "spearman")
    //   rho -0.73659621802002218, S 7805.9999999999991, p 7.0232533601545559e-06
    //   bw (= CECPfuns): -0.87830186330702276 -0.47592623115774618
    #[test]
    fn spearman_uses_the_edgeworth_series_as_r() {
        check_spearman(
            &[0.5, -1.3, 2.2, 0.1, -0.4, 1.7, -2.0, 0.9, 3.1, -0.7],
            &[1.1, -0.2, 1.9, -0.5, 0.3, 0.8, -1.4, 0.0, 2.5, 0.6],
            0.95,
            (
                0.79393939393939383,
                34.000000000000021,
                0.0098441361663116015,
            ),
            Some((0.22834943189901646, 0.95885862946440648)),
            true,
        );
        let x: Vec<f64> = (1..=30).map(f64::from).collect();
        let y: Vec<f64> = (1..=30)
            .map(|i| f64::from((i * 7) % 31) + f64::from(i) / 2.0)
            .collect();
        check_spearman(
            &x,
            &y,
            0.95,
            (
                0.47942157953281422,
                2339.9999999999995,
                0.0079663283148064881,
            ),
            Some((0.12332197155207321, 0.72614001727617061)),
            true,
        );
        let y: Vec<f64> = (1..=30).map(|i| -f64::from((i * 11) % 31 + i)).collect();
        check_spearman(
            &x,
            &y,
            0.95,
            (
                -0.73659621802002218,
                7805.9999999999991,
                7.0232533601545559e-06,
            ),
            Some((-0.87830186330702276, -0.47592623115774618)),
            true,
        );
    }

    // R 4.2.2, at the switch from AS 89 to the t approximation (n <= 1290 in R's code):
    // for (n in c(1290, 1291)) {
    //   x <- 1:n; print(cor.test(x, (x * k) %% 1297, method = "spearman"))
    // }
    // k = 3:   n = 1290: rho 0.32205134765503457, S 242557339.99999997, p 0
    //            (AS 89's series goes below 0 and is clamped)
    //            bw: 0.27096220484603895 0.37133120116045831
    //          n = 1291: rho 0.32358233217790333, S 242572832, p 7.5151796650099511e-33
    //            bw: 0.27255303860233221 0.37279629088662430
    // k = 500: n = 1290: rho 0.001322878025886681, S 357307984, p 0.96213566502973946
    //            bw: -0.053260173197511917 0.055898047847584016
    //          n = 1291: rho 0.0021873993869396834, S 357829548, p 0.9374157817381803
    //            bw: -0.052376948749905380 0.056738725621132406
    #[test]
    fn spearman_switches_to_the_t_approximation_above_1290_as_r() {
        let cases = [
            (
                3,
                1290,
                (0.32205134765503457, 242557339.99999997, 0.0),
                (0.27096220484603895, 0.37133120116045831),
            ),
            (
                3,
                1291,
                (0.32358233217790333, 242572832.0, 7.5151796650099511e-33),
                (0.27255303860233221, 0.37279629088662430),
            ),
            (
                500,
                1290,
                (0.001322878025886681, 357307984.0, 0.96213566502973946),
                (-0.053260173197511917, 0.055898047847584016),
            ),
            (
                500,
                1291,
                (0.0021873993869396834, 357829548.0, 0.9374157817381803),
                (-0.052376948749905380, 0.056738725621132406),
            ),
        ];
        for (k, n, r, ci) in cases {
            let x: Vec<f64> = (1..=n).map(f64::from).collect();
            let y: Vec<f64> = (1..=n).map(|i| f64::from((i * k) % 1297)).collect();
            check_spearman(&x, &y, 0.95, r, Some(ci), n <= 1290);
        }
    }

    // R 4.2.2, change scores with ties (t approximation, warning "Cannot compute exact
    // p-value with ties"):
    // dx <- c(-2, -1, -1, 0, 0, 0, 1, 2, 1, -3, 0, 2)
    // dy <- c(-1, 0, -2, 0, 1, -1, 1, 3, 0, -2, 0, 1)
    // cor.test(dx, dy, method = "spearman")
    //   rho 0.8213753352299471, S 51.086654124235132, p 0.0010521722963887773
    //   bw (= CECPfuns): 0.38465387547082730 0.95763211467080789
    // cor.test(dx, -dy, method = "spearman")
    //   rho -0.8213753352299471, S 520.91334587576489, p 0.0010521722963887773
    //   bw (= CECPfuns): -0.95763211467080789 -0.38465387547082730
    // cor.test(c(-0, 0, 1, 2), c(1, 2, 3, 5), method = "spearman")$p.value: 0.051316701949486121
    //   (-0 and 0 tie)
    #[test]
    fn spearman_with_ties_uses_the_t_approximation_as_r() {
        let dx = [
            -2.0, -1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 1.0, -3.0, 0.0, 2.0,
        ];
        let dy = [
            -1.0, 0.0, -2.0, 0.0, 1.0, -1.0, 1.0, 3.0, 0.0, -2.0, 0.0, 1.0,
        ];
        check_spearman(
            &dx,
            &dy,
            0.95,
            (
                0.8213753352299471,
                51.086654124235132,
                0.0010521722963887773,
            ),
            Some((0.38465387547082730, 0.95763211467080789)),
            false,
        );
        let minus_dy: Vec<f64> = dy.iter().map(|v| -v).collect();
        check_spearman(
            &dx,
            &minus_dy,
            0.95,
            (
                -0.8213753352299471,
                520.91334587576489,
                0.0010521722963887773,
            ),
            Some((-0.95763211467080789, -0.38465387547082730)),
            false,
        );
        let signed_zeros =
            spearman(&[-0.0, 0.0, 1.0, 2.0], &[1.0, 2.0, 3.0, 5.0], 0.95).expect("4 pairs");
        assert!(!signed_zeros.exact);
        close("p", signed_zeros.p, 0.051316701949486121);
    }

    // R 4.2.2, the smallest samples (no interval below 4 pairs):
    // cor.test(c(1, 2, 3), c(1, 3, 2), method = "spearman"): rho 0.5, S 2, p 1
    // cor.test(c(1, 2, 3), c(1, 1, 2), method = "spearman") (ties):
    //   rho 0.86602540378443871, S 0.53589838486224517, p 0.3333333333333332
    // cor.test(c(1, 2), c(2, 1), method = "spearman"): rho -0.99999999999999978,
    //   S 1.9999999999999998, p 1
    #[test]
    fn spearman_small_samples_equal_r() {
        check_spearman(
            &[1.0, 2.0, 3.0],
            &[1.0, 3.0, 2.0],
            0.95,
            (0.5, 2.0, 1.0),
            None,
            true,
        );
        check_spearman(
            &[1.0, 2.0, 3.0],
            &[1.0, 1.0, 2.0],
            0.95,
            (0.86602540378443871, 0.53589838486224517, 0.3333333333333332),
            None,
            false,
        );
        let two = spearman(&[1.0, 2.0], &[2.0, 1.0], 0.95).expect("2 pairs");
        close("rho", two.estimate, -0.99999999999999978);
        close("S", two.statistic, 1.9999999999999998);
        assert_eq!((two.p, two.ci, two.exact), (1.0, None, true));
    }

    // R 4.2.2: rank(c(3, -1, 3, 0, -0, 7, 3)) is 5 1 5 2.5 2.5 7 5.
    #[test]
    fn ranks_average_ties_as_r() {
        assert_eq!(
            ranks(&[3.0, -1.0, 3.0, 0.0, -0.0, 7.0, 3.0]),
            vec![5.0, 1.0, 5.0, 2.5, 2.5, 7.0, 5.0]
        );
        assert_eq!(
            ranks_and_ties(&[2.0, 1.0, 3.0]),
            (vec![2.0, 1.0, 3.0], false)
        );
    }

    /// prho's enumeration against the null distribution of S counted by brute force
    /// (every permutation of 1..n for n = 2..=7): both tails at every attainable S.
    #[test]
    fn prho_enumeration_is_the_permutation_distribution() {
        fn permutations(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![vec![]];
            }
            let mut out = Vec::new();
            for p in permutations(n - 1) {
                for at in 0..=p.len() {
                    let mut q = p.clone();
                    q.insert(at, n);
                    out.push(q);
                }
            }
            out
        }
        for n in 2..=7 {
            let perms = permutations(n);
            let s: Vec<f64> = perms
                .iter()
                .map(|p| {
                    p.iter()
                        .enumerate()
                        .map(|(i, &v)| ((i + 1) as f64 - v as f64).powi(2))
                        .sum()
                })
                .collect();
            let total = perms.len() as f64;
            let max = (n * n * n - n) / 3;
            for is in (0..=max + 2).step_by(2) {
                let is = is as f64;
                let at_least = s.iter().filter(|&&v| v >= is).count() as f64;
                assert_eq!(prho(n, is, false), at_least / total, "n {n}, P[S >= {is}]");
                assert_eq!(
                    prho(n, is, true),
                    (total - at_least) / total,
                    "n {n}, P[S < {is}]"
                );
            }
        }
    }
}
