//! One-dimensional root finding (Brent's method) for inverting distribution functions.

/// The root of `f` in `[a, b]`, where `f(a)` and `f(b)` differ in sign, to within `tol`
/// (absolute) or machine precision. Brent (1973): bisection's guarantee with the speed of
/// inverse quadratic interpolation.
pub fn brent(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> Option<f64> {
    let mut fa = f(a);
    let mut fb = f(b);
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    if fa.signum() == fb.signum() || !fa.is_finite() || !fb.is_finite() {
        return None;
    }
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut e = d;
    for _ in 0..200 {
        if fb.signum() == fc.signum() {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb == 0.0 {
            return Some(b);
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            if 2.0 * p < (3.0 * xm * q - (tol1 * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = f(b);
    }
    Some(b)
}

/// R's `uniroot(f, c(ax, bx), f.lower = fa, f.upper = fb, tol = tol)`: a line-by-line port
/// of `R_zeroin2` (R 4.2.2, src/library/stats/src/zeroin.c, maxiter 1000). Where R's answer is
/// only defined to `tol` (the Hodges-Lehmann estimate with ties stops on a step function
/// within `tol.root = 1e-4`), the same steps give the same number, which [`brent`] would not.
/// Non-finite values of `f` count as +-`f64::MAX`, as R's wrapper does.
pub fn r_zeroin2(f: impl Fn(f64) -> f64, ax: f64, bx: f64, fa: f64, fb: f64, tol: f64) -> f64 {
    r_zeroin2_bracket(f, ax, bx, fa, fb, tol).0
}

/// [`r_zeroin2`]'s answer `b` with the other end `c` of its last bracket (`f(b)` and `f(c)`
/// differ in sign, or `c == b` when `f(b)` is 0): where a root of a step function lies.
pub fn r_zeroin2_bracket(
    f: impl Fn(f64) -> f64,
    ax: f64,
    bx: f64,
    fa: f64,
    fb: f64,
    tol: f64,
) -> (f64, f64) {
    let finite = |v: f64| {
        if v.is_nan() {
            v
        } else {
            v.clamp(-f64::MAX, f64::MAX)
        }
    };
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (fa, fb);
    let (mut c, mut fc) = (a, fa);
    if fa == 0.0 {
        return (a, a);
    }
    if fb == 0.0 {
        return (b, b);
    }
    for _ in 0..=1000 {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if fb == 0.0 {
            return (b, b);
        }
        if new_step.abs() <= tol_act {
            return (b, c);
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < (0.75 * cb * q - (tol_act * q).abs() / 2.0) && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = finite(f(b));
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    (b, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sqrt_two() {
        let r = brent(|x| x * x - 2.0, 0.0, 2.0, 1e-15).expect("bracketed");
        assert!((r - std::f64::consts::SQRT_2).abs() < 1e-14);
    }

    #[test]
    fn r_zeroin2_takes_rs_steps() {
        // R: uniroot(function(x) x^3 - 2*x - 5, c(2, 3), tol = 1e-4)$root
        //    sprintf("%.17g", .Last.value)   # 2.0945512665841388
        let f = |x: f64| x * x * x - 2.0 * x - 5.0;
        let root = r_zeroin2(f, 2.0, 3.0, f(2.0), f(3.0), 1e-4);
        assert_eq!(root, 2.0945512665841388);
    }

    #[test]
    fn refuses_unbracketed() {
        assert_eq!(brent(|x| x * x + 1.0, -1.0, 1.0, 1e-12), None);
    }
}
