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

/// The root of `pnt(ncp) = target` in `bracket` (where `pnt` is integrated, so its slope is
/// at hand): Newton's method from `guess`, bisecting whenever a step would leave the
/// shrinking bracket. A handful of evaluations where Brent's method took about thirty; the
/// root is as close (the last step is below `tol`).
fn newton_in_bracket(
    pnt: &NoncentralT,
    target: f64,
    (mut lo, mut hi): (f64, f64),
    guess: f64,
    tol: f64,
) -> f64 {
    let mut x = guess.clamp(lo, hi);
    for _ in 0..200 {
        let Some((p, slope)) = pnt.lower_and_slope(x) else {
            break;
        };
        let f = p - target;
        if f == 0.0 {
            return x;
        }
        // `pnt` falls as the ncp grows: the root is above x where f > 0.
        if f > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - f / slope;
        if slope < 0.0 && (newton - x).abs() <= tol {
            // Converged (the step may be below the bracket's last bits).
            return newton;
        }
        let next = if slope < 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= tol || hi - lo <= tol {
            return next;
        }
        x = next;
    }
    x
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
            if pnt.by_mixture(lo) && pnt.by_mixture(hi) && lo.signum() == hi.signum() {
                return Some(newton_in_bracket(pnt, target, (lo, hi), guess, tol));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the noncentral t is integrated (R has only its normal approximation there),
    /// Newton's roots solve the equation and agree with Brent's on the same function.
    #[test]
    fn newton_finds_brents_roots_where_the_mixture_is_integrated() {
        for (t, df) in [
            (50.0, 1e3),
            (-812.27, 820_002.0),
            (2561.6, 8e6),
            (5.0, 1e6),
            (-0.4, 5e5),
        ] {
            let pnt = NoncentralT::at(t, df);
            for target in [0.975, 0.025] {
                let f = |ncp: f64| pnt.lower(ncp) - target;
                let root = solve_ncp(&pnt, target, t).expect("bracketed");
                let brent_root =
                    brent(f, root - 1.0, root + 1.0, 1e-14 * (1.0 + t.abs())).expect("bracketed");
                assert!(
                    (root - brent_root).abs() <= 1e-12 * (1.0 + t.abs()),
                    "t {t} df {df} target {target}: {root} vs {brent_root}"
                );
                assert!(f(root).abs() < 1e-13, "t {t} df {df}: f = {}", f(root));
            }
        }
    }

    #[test]
    fn the_slope_is_the_derivative_of_the_same_bits() {
        let pnt = NoncentralT::at(-300.0, 1e6);
        for ncp in [-305.0, -300.0, -298.5] {
            let (p, slope) = pnt.lower_and_slope(ncp).expect("integrated");
            assert_eq!(p.to_bits(), pnt.lower(ncp).to_bits());
            let h = 1e-5;
            let numeric = (pnt.lower(ncp + h) - pnt.lower(ncp - h)) / (2.0 * h);
            assert!((slope - numeric).abs() < 1e-7, "{slope} vs {numeric}");
        }
        assert!(NoncentralT::at(2.0, 10.0).lower_and_slope(1.0).is_none());
    }
}
