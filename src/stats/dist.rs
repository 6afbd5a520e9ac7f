//! Distribution functions the comparisons need, written to reproduce R 4.2.2 (`pnorm`, `pt`,
//! `qt`, `pnt`, `psignrank`). statrs supplies `erfc` and `ln_gamma`; what it lacks (noncentral t)
//! or computes too loosely for a million degrees of freedom (`pt`) is here.

use super::special::{beta_tails, ln_beta};
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::erf::erfc;
use statrs::function::gamma::ln_gamma;
use std::f64::consts::{LN_2, SQRT_2};

/// `pnorm(z)`: P(Z <= z) for a standard normal, accurate in the far tail (down to ~1e-308).
pub fn pnorm_lower(z: f64) -> f64 {
    0.5 * erfc(-z / SQRT_2)
}

/// `pnorm(z, lower.tail = FALSE)`.
pub fn pnorm_upper(z: f64) -> f64 {
    0.5 * erfc(z / SQRT_2)
}

/// Standard normal quantile (a starting point for iterations, so its own precision is not critical).
pub fn qnorm(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// P(T > |x|) for Student's t on `n` degrees of freedom, as R's `pt` computes it: the
/// incomplete beta `I_w(n/2, 1/2)` with `w = n / (n + x^2)`, halved.
fn pt_tail_of_abs(x: f64, n: f64) -> f64 {
    let nx = 1.0 + (x / n) * x;
    let val = if nx > 1e100 {
        // R: Abramowitz & Stegun 26.5.4, avoiding underflow when x^2 >> n.
        let lval =
            -0.5 * n * (2.0 * x.abs().ln() - n.ln()) - ln_beta(0.5 * n, 0.5) - (0.5 * n).ln();
        lval.exp()
    } else {
        let x2 = x * x;
        let w = n / (n + x2);
        let y = x2 / (n + x2);
        beta_tails(w, y, 0.5 * n, 0.5).0
    };
    val / 2.0
}

/// `pt(x, n)`: P(T <= x).
pub fn pt_lower(x: f64, n: f64) -> f64 {
    if x.is_infinite() {
        return if x < 0.0 { 0.0 } else { 1.0 };
    }
    let tail = pt_tail_of_abs(x, n);
    if x <= 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Two-sided p-value of a t statistic: R's `2 * pt(-abs(t), df)`.
pub fn pt_two_sided(t: f64, n: f64) -> f64 {
    2.0 * pt_tail_of_abs(t, n)
}

/// Density of Student's t.
fn dt(x: f64, n: f64) -> f64 {
    (-(n + 1.0) / 2.0 * (x * x / n).ln_1p() - 0.5 * n.ln() - ln_beta(0.5 * n, 0.5)).exp()
}

/// Upper quantile of Student's t: the `q > 0` with P(T > q) = `alpha` (`alpha < 0.5`), i.e.
/// R's `qt(1 - alpha, n)`. Newton's method on `pt` from the normal quantile, which lies left of
/// the root, where the upper tail is convex, so the iteration approaches it monotonically.
pub fn qt_upper(alpha: f64, n: f64) -> f64 {
    let mut q = qnorm(1.0 - alpha).max(0.0);
    for _ in 0..500 {
        let step = (pt_tail_of_abs(q, n) - alpha) / dt(q, n);
        q += step;
        if step.abs() <= 1e-15 * q.abs() {
            break;
        }
    }
    q
}

/// P(T <= t) for the noncentral t with `df` degrees of freedom and noncentrality `ncp`.
///
/// Where R 4.2.2 evaluates it exactly (Lenth's AS 243: `|ncp| <= 37.62` and `df <= 4e5`) this
/// is a port of R's `pnt`, so results equal R's. Beyond that R switches to a normal
/// approximation that can be off by 1e-3; there we integrate the exact mixture
/// `P(T <= t) = E[ Phi(t S / sqrt(df) - ncp) ]`, `S ~ chi_df`, by Gauss-Legendre quadrature.
pub fn pnt_lower(t: f64, df: f64, ncp: f64) -> f64 {
    if ncp == 0.0 {
        return pt_lower(t, df);
    }
    if t.is_infinite() {
        return if t < 0.0 { 0.0 } else { 1.0 };
    }
    let del = if t >= 0.0 { ncp } else { -ncp };
    if df > 4e5 || del * del > 2.0 * LN_2 * 1021.0 {
        return pnt_by_quadrature(t, df, ncp);
    }
    pnt_as243(t, df, ncp)
}

/// R's `pnt` (AS 243, Lenth 1989, with R's refinements), lower tail.
fn pnt_as243(t: f64, df: f64, ncp: f64) -> f64 {
    const ITRMAX: u32 = 1000;
    const ERRMAX: f64 = 1e-12;
    const M_SQRT_2D_PI: f64 = 0.797_884_560_802_865_4;
    const M_LN_SQRT_PI: f64 = 0.572_364_942_924_700_1;
    let (negdel, del) = if t >= 0.0 { (false, ncp) } else { (true, -ncp) };
    if t < 0.0 && ncp > 40.0 {
        return 0.0;
    }
    let x0 = t * t;
    let rxb0 = df / (x0 + df);
    let x = x0 / (x0 + df);
    let mut tnc;
    if x > 0.0 {
        let lambda = del * del;
        let mut p = 0.5 * (-0.5 * lambda).exp();
        if p == 0.0 {
            return pnt_by_quadrature(t, df, ncp);
        }
        let mut q = M_SQRT_2D_PI * p * del;
        let mut s = 0.5 - p;
        if s < 1e-7 {
            s = -0.5 * (-0.5 * lambda).exp_m1();
        }
        let mut a = 0.5;
        let b = 0.5 * df;
        let rxb = rxb0.powf(b);
        let albeta = M_LN_SQRT_PI + ln_gamma(b) - ln_gamma(0.5 + b);
        let mut xodd = beta_tails(x, rxb0, a, b).0;
        let mut godd = 2.0 * rxb * (a * x.ln() - albeta).exp();
        tnc = b * x;
        let mut xeven = if tnc < f64::EPSILON { tnc } else { 1.0 - rxb };
        let mut geven = tnc * rxb;
        tnc = p * xodd + q * xeven;
        for it in 1..=ITRMAX {
            a += 1.0;
            xodd -= godd;
            xeven -= geven;
            godd *= x * (a + b - 1.0) / a;
            geven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / f64::from(2 * it);
            q *= lambda / f64::from(2 * it + 1);
            tnc += p * xodd + q * xeven;
            s -= p;
            if s < -1e-10 {
                break;
            }
            if s <= 0.0 && it > 1 {
                break;
            }
            let errbd = 2.0 * s * (xodd - godd);
            if errbd.abs() < ERRMAX {
                break;
            }
        }
    } else {
        tnc = 0.0;
    }
    tnc += pnorm_lower(-del);
    let tnc = tnc.min(1.0);
    if negdel {
        1.0 - tnc
    } else {
        tnc
    }
}

/// Noncentral t by quadrature of `Phi(t s / sqrt(df) - ncp)` against the chi density of `s`.
/// The density is normalised by the same quadrature, so no `lgamma` of a huge argument enters
/// and the error is that of the quadrature alone (well below 1e-12 for these smooth integrands).
fn pnt_by_quadrature(t: f64, df: f64, ncp: f64) -> f64 {
    // log density of the chi distribution up to a constant: (df - 1) ln s - s^2 / 2.
    let mode = (df - 1.0).max(0.0).sqrt();
    let log_density = |s: f64| {
        if s <= 0.0 {
            if df > 1.0 {
                f64::NEG_INFINITY
            } else {
                0.0
            }
        } else {
            (df - 1.0) * (s / mode.max(1.0)).ln() - 0.5 * (s * s - mode * mode)
        }
    };
    let peak = log_density(mode.max(f64::MIN_POSITIVE));
    // The chi density has sd < 1 for every df; find where it falls 60 nats below its peak.
    let spread = |direction: f64| {
        let mut width = 1.0;
        while width < 1e6 {
            let s = mode + direction * width;
            if s <= 0.0 || log_density(s) - peak < -60.0 {
                return width;
            }
            width *= 1.25;
        }
        width
    };
    let lo = (mode - spread(-1.0)).max(0.0);
    let hi = mode + spread(1.0);
    const PANELS: usize = 240;
    let h = (hi - lo) / PANELS as f64;
    let scale = t / df.sqrt();
    let (mut num, mut den) = (0.0, 0.0);
    for panel in 0..PANELS {
        let centre = lo + (panel as f64 + 0.5) * h;
        for (node, weight) in GAUSS_LEGENDRE_10 {
            let s = centre + 0.5 * h * node;
            let w = weight * (log_density(s) - peak).exp();
            den += w;
            num += w * pnorm_lower(scale * s - ncp);
        }
    }
    (num / den).clamp(0.0, 1.0)
}

/// Nodes and weights of 10-point Gauss-Legendre quadrature on [-1, 1].
const GAUSS_LEGENDRE_10: [(f64, f64); 10] = [
    (-0.973_906_528_517_171_7, 0.066_671_344_308_688_14),
    (-0.865_063_366_688_984_5, 0.149_451_349_150_580_6),
    (-0.679_409_568_299_024_4, 0.219_086_362_515_982_04),
    (-0.433_395_394_129_247_2, 0.269_266_719_309_996_35),
    (-0.148_874_338_981_631_22, 0.295_524_224_714_752_87),
    (0.148_874_338_981_631_22, 0.295_524_224_714_752_87),
    (0.433_395_394_129_247_2, 0.269_266_719_309_996_35),
    (0.679_409_568_299_024_4, 0.219_086_362_515_982_04),
    (0.865_063_366_688_984_5, 0.149_451_349_150_580_6),
    (0.973_906_528_517_171_7, 0.066_671_344_308_688_14),
];

/// Number of subsets of {1..n} with each rank sum, R's `csignrank` table (exact in f64 for n < 50).
fn signrank_counts(n: usize) -> Vec<f64> {
    let u = n * (n + 1) / 2;
    let mut w = vec![0.0; u + 1];
    w[0] = 1.0;
    for j in 1..=n {
        for i in (j..=u).rev() {
            w[i] += w[i - j];
        }
    }
    w
}

/// `psignrank(x, n, lower.tail)`, summed from the nearer end as R does.
pub fn psignrank(x: f64, n: usize, lower_tail: bool) -> f64 {
    let total = (n * (n + 1) / 2) as f64;
    // R_forceint is nearbyint (round half to even).
    let x = (x + 1e-7).round_ties_even();
    if x < 0.0 {
        return if lower_tail { 0.0 } else { 1.0 };
    }
    if x >= total {
        return if lower_tail { 1.0 } else { 0.0 };
    }
    let w = signrank_counts(n);
    let f = (-(n as f64) * LN_2).exp();
    let mut p = 0.0;
    let mut lower = lower_tail;
    if x <= total / 2.0 {
        for count in w.iter().take(x as usize + 1) {
            p += count * f;
        }
    } else {
        let upto = (total - x) as usize;
        for count in w.iter().take(upto) {
            p += count * f;
        }
        lower = !lower;
    }
    if lower {
        p
    } else {
        0.5 - p + 0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        if b == 0.0 {
            a.abs()
        } else {
            ((a - b) / b).abs()
        }
    }

    #[test]
    fn quadrature_agrees_with_as243_where_both_apply() {
        for &(t, df, ncp) in &[
            (2.0, 10.0, 1.5),
            (-3.0, 40.0, -2.5),
            (30.0, 1221.0, 31.0),
            (0.5, 1.0, 2.0),
        ] {
            let a = pnt_as243(t, df, ncp);
            let q = pnt_by_quadrature(t, df, ncp);
            assert!((a - q).abs() < 1e-11, "t={t} df={df} ncp={ncp}: {a} vs {q}");
        }
    }

    #[test]
    fn signrank_distribution_sums_to_one() {
        for n in [1usize, 2, 10, 49] {
            let total: f64 = signrank_counts(n).iter().sum();
            assert_eq!(total, 2f64.powi(n as i32));
        }
        assert!(rel(psignrank(27.0, 10, true) + psignrank(27.0, 10, false), 1.0) < 1e-15);
    }
}
