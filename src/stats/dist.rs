//! Distribution functions the comparisons need, written to reproduce R 4.2.2 (`pnorm`, `pt`,
//! `qt`, `pnt`, `psignrank`). statrs supplies `erfc` and `ln_gamma`; what it lacks (noncentral t)
//! or computes too loosely for a million degrees of freedom (`pt`) is here.

use super::special::{beta_tails, ln_beta};
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;
use std::f64::consts::LN_2;

/// `pnorm(z)`: P(Z <= z) for a standard normal, R's algorithm (Cody 1993), so tail values
/// down to ~1e-300 equal R's to the last bits (statrs' `erfc` differs by up to ~1e-10 there).
pub fn pnorm_lower(z: f64) -> f64 {
    // From here on the upper tail (< 1e-17) is below half an ulp of 1, so the lower tail
    // rounds to exactly 1: the same bits without the exp calls. The noncentral t's
    // quadrature evaluates most of its nodes there.
    if z > PNORM_LOWER_IS_ONE {
        return 1.0;
    }
    pnorm_both(z).0
}

/// Where `pnorm_lower` is exactly 1 in double precision (upper tail at 8.5: 9.5e-18).
const PNORM_LOWER_IS_ONE: f64 = 8.5;

/// `pnorm(z, lower.tail = FALSE)`.
pub fn pnorm_upper(z: f64) -> f64 {
    pnorm_both(z).1
}

/// Both tails of the standard normal, a port of R 4.2.2's `pnorm_both` (non-log case).
fn pnorm_both(x: f64) -> (f64, f64) {
    const A: [f64; 5] = [
        2.2352520354606839287,
        161.02823106855587881,
        1067.6894854603709582,
        18154.981253343561249,
        0.065682337918207449113,
    ];
    const B: [f64; 4] = [
        47.20258190468824187,
        976.09855173777669322,
        10260.932208618978205,
        45507.789335026729956,
    ];
    const C: [f64; 9] = [
        0.39894151208813466764,
        8.8831497943883759412,
        93.506656132177855979,
        597.27027639480026226,
        2494.5375852903726711,
        6848.1904505362823326,
        11602.651437647350124,
        9842.7148383839780218,
        1.0765576773720192317e-8,
    ];
    const D: [f64; 8] = [
        22.266688044328115691,
        235.38790178262499861,
        1519.377599407554805,
        6485.558298266760755,
        18615.571640885098091,
        34900.952721145977266,
        38912.003286093271411,
        19685.429676859990727,
    ];
    const P: [f64; 6] = [
        0.21589853405795699,
        0.1274011611602473639,
        0.022235277870649807,
        0.001421619193227893466,
        2.9112874951168792e-5,
        0.02307344176494017303,
    ];
    const Q: [f64; 5] = [
        1.28426009614491121,
        0.468238212480865118,
        0.0659881378689285515,
        0.00378239633202758244,
        7.29751555083966205e-5,
    ];
    const M_SQRT_32: f64 = 5.656854249492380195206754896838;
    const M_1_SQRT_2PI: f64 = 0.398942280401432677939946059934;
    if x.is_nan() {
        return (x, x);
    }
    let eps = f64::EPSILON * 0.5;
    let y = x.abs();
    // exp(-x^2/2) * temp without cancellation: split x^2 into an exact part and a remainder.
    let do_del = |xx: f64, temp: f64| {
        let xsq = (xx * 16.0).trunc() / 16.0;
        let del = (xx - xsq) * (xx + xsq);
        let cum = (-xsq * (xsq * 0.5)).exp() * (-(del * 0.5)).exp() * temp;
        (cum, 1.0 - cum)
    };
    let swap_tail = |(cum, ccum): (f64, f64)| if x > 0.0 { (ccum, cum) } else { (cum, ccum) };
    if y <= 0.67448975 {
        let (mut xnum, mut xden) = (0.0, 0.0);
        if y > eps {
            let xsq = x * x;
            xnum = A[4] * xsq;
            xden = xsq;
            for i in 0..3 {
                xnum = (xnum + A[i]) * xsq;
                xden = (xden + B[i]) * xsq;
            }
        }
        let temp = x * (xnum + A[3]) / (xden + B[3]);
        (0.5 + temp, 0.5 - temp)
    } else if y <= M_SQRT_32 {
        let mut xnum = C[8] * y;
        let mut xden = y;
        for i in 0..7 {
            xnum = (xnum + C[i]) * y;
            xden = (xden + D[i]) * y;
        }
        let temp = (xnum + C[7]) / (xden + D[7]);
        swap_tail(do_del(y, temp))
    } else if -37.5193 < x && x < 37.5193 {
        let xsq = 1.0 / (x * x);
        let mut xnum = P[5] * xsq;
        let mut xden = xsq;
        for i in 0..4 {
            xnum = (xnum + P[i]) * xsq;
            xden = (xden + Q[i]) * xsq;
        }
        let temp = xsq * (xnum + P[4]) / (xden + Q[4]);
        let temp = (M_1_SQRT_2PI - temp) / y;
        swap_tail(do_del(x, temp))
    } else if x > 0.0 {
        (1.0, 0.0)
    } else {
        (0.0, 1.0)
    }
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
    let mut last = f64::INFINITY;
    for _ in 0..500 {
        let step = (pt_tail_of_abs(q, n) - alpha) / dt(q, n);
        // Past convergence the steps are pt's own error (~1e-12 absolute at 1e6 df, so q
        // moves ~1e-11 relative back and forth) and stop shrinking: stop there instead of
        // running out the iterations (0.2 ms per call).
        if step.abs() > 0.5 * last.abs() && step.abs() <= 1e-9 * q.abs() {
            break;
        }
        q += step;
        if step.abs() <= 1e-15 * q.abs() {
            break;
        }
        last = step;
    }
    q
}

/// P(T <= t) for the noncentral t with `df` degrees of freedom and noncentrality `ncp`.
///
/// Where R 4.2.2 evaluates it by series (Lenth's AS 243: `|ncp| <= 37.62` and `df <= 4e5`) this
/// is a port of R's `pnt`; it agrees with R to ~1e-12 absolute (R stops the series at that
/// error bound and sums in long double, so tiny tail values differ relatively, in R's error too). Beyond that R switches to a normal
/// approximation that can be off by 1e-3; there we integrate the exact mixture
/// `P(T <= t) = E[ Phi(t S / sqrt(df) - ncp) ]`, `S ~ chi_df`, by Gauss-Legendre quadrature.
pub fn pnt_lower(t: f64, df: f64, ncp: f64) -> f64 {
    NoncentralT::at(t, df).lower(ncp)
}

/// The noncentral t's lower tail at one `t` and `df` as a function of the noncentrality, as
/// inverting it for an interval needs: the quadrature's nodes and weights depend on `t` and
/// `df` only, so they are computed once for every ncp a root search tries (the same sums in
/// the same order as computing them afresh, so the same bits).
pub struct NoncentralT {
    t: f64,
    df: f64,
    mixture: std::cell::OnceCell<Mixture>,
}

impl NoncentralT {
    /// The distribution function at `t` on `df` degrees of freedom.
    pub fn at(t: f64, df: f64) -> NoncentralT {
        NoncentralT {
            t,
            df,
            mixture: std::cell::OnceCell::new(),
        }
    }

    /// P(T <= t) with noncentrality `ncp`; see [`pnt_lower`].
    pub fn lower(&self, ncp: f64) -> f64 {
        let (t, df) = (self.t, self.df);
        if ncp == 0.0 {
            return pt_lower(t, df);
        }
        if t.is_infinite() {
            return if t < 0.0 { 0.0 } else { 1.0 };
        }
        if self.by_mixture(ncp) {
            return self.mixture().lower(ncp);
        }
        pnt_as243(t, df, ncp)
    }

    /// Whether [`NoncentralT::lower`] integrates the mixture at this ncp (R's series gives
    /// out: many degrees of freedom or a large noncentrality), where
    /// [`NoncentralT::lower_and_slope`] applies.
    pub fn by_mixture(&self, ncp: f64) -> bool {
        ncp != 0.0 && !self.t.is_infinite() && (self.df > 4e5 || ncp * ncp > 2.0 * LN_2 * 1021.0)
    }

    /// [`NoncentralT::lower`] (the same bits) with its derivative in the ncp, `-E[phi(t S /
    /// sqrt(df) - ncp)]`, where it is integrated ([`NoncentralT::by_mixture`]): what Newton's
    /// method needs to invert it in a few steps.
    pub fn lower_and_slope(&self, ncp: f64) -> Option<(f64, f64)> {
        self.by_mixture(ncp)
            .then(|| self.mixture().lower_and_slope(ncp))
    }

    fn mixture(&self) -> &Mixture {
        self.mixture.get_or_init(|| Mixture::new(self.t, self.df))
    }
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
/// and the error is that of the quadrature alone (about 1e-11 at most), for where R's series gives out.
fn pnt_by_quadrature(t: f64, df: f64, ncp: f64) -> f64 {
    Mixture::new(t, df).lower(ncp)
}

/// Nodes `t S / sqrt(df)` and weights of the chi density of `S`, for
/// `P(T <= t) = E[ Phi(t S / sqrt(df) - ncp) ]`.
struct Mixture {
    nodes: Vec<(f64, f64)>,
    total_weight: f64,
}

impl Mixture {
    fn new(t: f64, df: f64) -> Mixture {
        Mixture::with_panels(t, df, 1.0)
    }

    /// `density` scales the number of panels (1 in use; larger in tests of convergence).
    fn with_panels(t: f64, df: f64, density: f64) -> Mixture {
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
        // Phi(t s / sqrt(df) - ncp) rises from 0 to 1 over about sqrt(df) / |t| in s: with a
        // large |t| on few degrees of freedom that step is sharp, and panels must be narrower
        // than it (half its width) or the sum misses it by up to 1e-3. Where the step is wide,
        // which is every large sample, 60 panels of 10 nodes agree with 960 to the chi log
        // density's own round-off (~1e-11 at ten million df); 240 cost four times as much for
        // the same digits, and the interval's root search evaluates this dozens of times.
        let step_width = df.sqrt() / t.abs();
        let panels = (density * (60f64).max(2.0 * (hi - lo) / step_width))
            .min(2e5)
            .ceil() as usize;
        let h = (hi - lo) / panels as f64;
        let scale = t / df.sqrt();
        let mut nodes = Vec::with_capacity(panels * GAUSS_LEGENDRE_10.len());
        let mut total_weight = 0.0;
        for panel in 0..panels {
            let centre = lo + (panel as f64 + 0.5) * h;
            for (node, weight) in GAUSS_LEGENDRE_10 {
                let s = centre + 0.5 * h * node;
                let w = weight * (log_density(s) - peak).exp();
                total_weight += w;
                nodes.push((scale * s, w));
            }
        }
        Mixture {
            nodes,
            total_weight,
        }
    }

    fn lower(&self, ncp: f64) -> f64 {
        let num: f64 = self
            .nodes
            .iter()
            .fold(0.0, |num, &(x, w)| num + w * pnorm_lower(x - ncp));
        (num / self.total_weight).clamp(0.0, 1.0)
    }

    /// [`Mixture::lower`] (the same sum, so the same bits) and its derivative in the ncp.
    fn lower_and_slope(&self, ncp: f64) -> (f64, f64) {
        const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
        let (num, density) = self
            .nodes
            .iter()
            .fold((0.0, 0.0), |(num, density), &(x, w)| {
                let z = x - ncp;
                // Beyond 8.5 the normal density is below 1e-16 of its peak: nothing to the slope.
                let d = if z.abs() > PNORM_LOWER_IS_ONE {
                    0.0
                } else {
                    INV_SQRT_2PI * (-0.5 * z * z).exp()
                };
                (num + w * pnorm_lower(z), density + w * d)
            });
        (
            (num / self.total_weight).clamp(0.0, 1.0),
            -density / self.total_weight,
        )
    }
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

/// `qsignrank(p, n)` (lower tail) as R 4.2.2 computes it: the smallest q whose cumulative
/// count reaches `p` less a fuzz of 10 machine epsilons, from the nearer end.
pub fn qsignrank(p: f64, n: usize) -> usize {
    let w = signrank_counts(n);
    let f = (-(n as f64) * LN_2).exp();
    let total = n * (n + 1) / 2;
    let mut cumulative = 0.0;
    if p <= 0.5 {
        let target = p - 10.0 * f64::EPSILON;
        for (q, count) in w.iter().enumerate() {
            cumulative += count * f;
            if cumulative >= target {
                return q;
            }
        }
        total
    } else {
        let target = 1.0 - p + 10.0 * f64::EPSILON;
        for (q, count) in w.iter().enumerate() {
            cumulative += count * f;
            if cumulative > target {
                return total - q;
            }
        }
        0
    }
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
    #[test]
    fn the_lower_tail_shortcut_gives_the_same_bits() {
        for k in 0..=4000 {
            let z = super::PNORM_LOWER_IS_ONE + f64::from(k) * 0.01;
            assert_eq!(super::pnorm_both(z).0.to_bits(), 1f64.to_bits(), "{z}");
        }
        assert!(super::pnorm_both(8.2).0 < 1.0);
    }

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
    fn quadrature_has_converged_even_for_a_sharp_step() {
        // Doubling the panels moves nothing beyond round-off (the chi log density cancels to
        // ~1e-11 at ten million df), from a large sample to a huge |t|
        // on 2 df, where a fixed 240 panels were off by 1e-3.
        for &(t, df) in &[
            (-2000.0f64, 2.0f64),
            (300.0, 9.0),
            (-60.0, 99.0),
            (-3000.0, 1e7),
        ] {
            for k in -4..=4 {
                let ncp = t + f64::from(k) * 0.5 * (1.0 + t * t / (2.0 * df)).sqrt();
                let once = Mixture::with_panels(t, df, 1.0).lower(ncp);
                let twice = Mixture::with_panels(t, df, 2.0).lower(ncp);
                assert!(
                    (once - twice).abs() < 2e-11,
                    "t={t} df={df} ncp={ncp}: {once} vs {twice}"
                );
            }
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
