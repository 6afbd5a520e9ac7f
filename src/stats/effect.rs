//! Standardised effect size of paired change, Cohen's dz, with its noncentral-t interval.

use super::dist::{qnorm, NoncentralT};
use super::roots::brent;

/// Cohen's dz and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CohensDz {
    /// Mean change / sd of change.
    pub dz: f64,
    /// Lower CI bound.
    pub ci_low: f64,
    /// Upper CI bound.
    pub ci_high: f64,
}

/// dz from the t statistic (`dz = t / sqrt(n)`) with the interval of R effectsize: the
/// noncentrality parameters whose noncentral t on `df` puts `t` at the `1 - alpha/2` and
/// `alpha/2` quantiles, divided by `sqrt(n)`. `None` if the interval cannot be bracketed.
pub fn cohens_dz(dz: f64, t: f64, df: f64, n: usize, conf_level: f64) -> Option<CohensDz> {
    let (lo, hi) = ncp_interval(t, df, conf_level)?;
    let root_n = (n as f64).sqrt();
    Some(CohensDz {
        dz,
        ci_low: lo / root_n,
        ci_high: hi / root_n,
    })
}

/// Interval for the noncentrality parameter of an observed t on `df` degrees of freedom.
pub fn ncp_interval(t: f64, df: f64, conf_level: f64) -> Option<(f64, f64)> {
    let alpha = 1.0 - conf_level;
    // Normal approximation to the noncentral t, to start the bracket near each root.
    let z = qnorm(1.0 - alpha / 2.0);
    let spread = z * (1.0 + t * t / (2.0 * df)).sqrt();
    let pnt = NoncentralT::at(t, df);
    let lower = solve_ncp(&pnt, 1.0 - alpha / 2.0, t - spread)?;
    let upper = solve_ncp(&pnt, alpha / 2.0, t + spread)?;
    Some((lower, upper))
}

/// The ncp with `pnt(t, df, ncp) = target`; `pnt` falls as ncp grows.
fn solve_ncp(pnt: &NoncentralT, target: f64, guess: f64) -> Option<f64> {
    let f = |ncp: f64| pnt.lower(ncp) - target;
    let mut step = 0.25 * (1.0 + 0.01 * guess.abs());
    let (mut lo, mut hi) = (guess - step, guess + step);
    let (mut flo, mut fhi) = (f(lo), f(hi));
    for _ in 0..80 {
        if flo >= 0.0 && fhi <= 0.0 {
            let tol = 1e-13 * (1.0 + guess.abs());
            return brent(f, lo, hi, tol);
        }
        step *= 2.0;
        if flo < 0.0 {
            lo -= step;
            flo = f(lo);
        }
        if fhi > 0.0 {
            hi += step;
            fhi = f(hi);
        }
    }
    None
}
