//! R's own rounding, as `wilcox.test` (R >= 4.6) applies it before ranking: `signif(x, 7)`
//! (nmath fprec.c), `round(x, digits)` (nmath fround.c, R >= 4.0's algorithm) and the
//! `zapsmall` of `.zapsmall.r`. Ranks depend on which values tie and which are zero after
//! rounding, so these are line-for-line ports rather than "round to 7 digits" in Rust's
//! sense: 12.3 - 10.1 and 14.5 - 12.3 differ in the 16th digit and tie in R.

/// `digits.rank` and `digits.zap` of R >= 4.6's `wilcox.test`.
pub const WILCOX_DIGITS: i32 = 7;

/// nmath's `R_pow_di`: x^n by repeated squaring (so 10^e rounds as R's does).
fn pow_di(mut x: f64, mut n: i32) -> f64 {
    let mut xn = 1.0;
    if n != 0 {
        let negative = n < 0;
        if negative {
            n = -n;
        }
        loop {
            if n & 1 == 1 {
                xn *= x;
            }
            n >>= 1;
            if n == 0 {
                break;
            }
            x *= x;
        }
        if negative {
            xn = 1.0 / xn;
        }
    }
    xn
}

/// C's `logb`: the binary exponent of a finite non-zero `x`, subnormals included.
fn logb(x: f64) -> f64 {
    let bits = x.abs().to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    if exponent == 0 {
        // Subnormal: the position of the leading set bit of the fraction.
        let fraction = bits & ((1u64 << 52) - 1);
        f64::from(-1074 + 63 - fraction.leading_zeros() as i32)
    } else {
        f64::from(exponent - 1023)
    }
}

/// Largest `digits` that still rounds (DBL_MAX_10_EXP + DBL_DIG).
const MAX_DIGITS: i32 = 308 + 15;
const MAX10E: i32 = 308;

/// fprec.c's own limit on `digits` (not fround.c's).
const SIGNIF_MAX_DIGITS: i32 = 22;

/// R's `signif(x, digits)`.
pub fn signif(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if digits > SIGNIF_MAX_DIGITS {
        return x;
    }
    let dig = digits.max(1);
    let (sgn, x) = if x < 0.0 { (-1.0, -x) } else { (1.0, x) };
    let l10 = x.log10();
    let mut e10 = dig - 1 - l10.floor() as i32;
    if l10.abs() < f64::from(MAX10E - 2) {
        let mut p10 = 1.0;
        if e10 > MAX10E {
            p10 = pow_di(10.0, e10 - MAX10E);
            e10 = MAX10E;
        }
        if e10 > 0 {
            let pow10 = pow_di(10.0, e10);
            sgn * (((x * pow10) * p10).round_ties_even() / pow10) / p10
        } else {
            let pow10 = pow_di(10.0, -e10);
            sgn * ((x / pow10).round_ties_even() * pow10)
        }
    } else {
        let do_round = f64::MAX.log10() - l10 >= pow_di(10.0, -dig);
        let e2 = dig + if e10 > 0 { 1 } else { -1 } * SIGNIF_MAX_DIGITS;
        let p10 = pow_di(10.0, e2);
        let big_p10 = pow_di(10.0, e10 - e2);
        let mut x = x * p10;
        x *= big_p10;
        if do_round {
            x += 0.5;
        }
        x = x.floor() / p10;
        sgn * x / big_p10
    }
}

/// R's `round(x, digits)` (R >= 4.0: the nearer of the two decimal candidates, ties to the
/// even last digit).
pub fn round(x: f64, digits: f64) -> f64 {
    if x.is_nan() || digits.is_nan() {
        return x + digits;
    }
    if !x.is_finite() {
        return x;
    }
    if digits > f64::from(MAX_DIGITS) || x == 0.0 {
        return x;
    } else if digits < -f64::from(MAX10E) {
        return 0.0;
    } else if digits == 0.0 {
        return x.round_ties_even();
    }
    let dig = (digits + 0.5).floor() as i32;
    let (sgn, x) = if x < 0.0 { (-1.0, -x) } else { (1.0, x) };
    let l10x = std::f64::consts::LOG10_2 * (0.5 + logb(x));
    if l10x + f64::from(dig) > 15.0 {
        return sgn * x;
    }
    let (i10, xd, xu);
    if dig <= MAX10E {
        let pow10 = pow_di(10.0, dig);
        let x10 = x * pow10;
        i10 = x10.floor();
        xd = i10 / pow10;
        xu = x10.ceil() / pow10;
    } else {
        let p10 = pow_di(10.0, dig - MAX10E);
        let pow10 = pow_di(10.0, MAX10E);
        let x10 = (x * pow10) * p10;
        i10 = x10.floor();
        xd = i10 / pow10 / p10;
        xu = x10.ceil() / pow10 / p10;
    }
    let du = xu - x;
    let dd = x - xd;
    sgn * if du < dd || (i10 % 2.0 == 1.0 && du == dd) {
        xu
    } else {
        xd
    }
}

/// R's `quantile(x, 0.75)` (type 7) of sorted values given with their counts.
fn upper_quartile(sorted: &[(f64, u64)]) -> f64 {
    let n: u64 = sorted.iter().map(|v| v.1).sum();
    let index = 1.0 + (n.saturating_sub(1)) as f64 * 0.75;
    let lo = index.floor();
    let hi = index.ceil();
    // The value at a 1-based position of the expanded list.
    let at = |position: f64| -> f64 {
        let mut seen = 0u64;
        for &(v, c) in sorted {
            seen += c;
            if seen as f64 >= position {
                return v;
            }
        }
        sorted.last().map_or(0.0, |v| v.0)
    };
    let qs = at(lo);
    let x_hi = at(hi);
    if index > lo && x_hi != qs {
        let h = index - lo;
        (1.0 - h) * qs + h * x_hi
    } else {
        qs
    }
}

/// `.zapsmall.r(signif(x, 7), 7)` as `wilcox.test` (R >= 4.6) rounds values before
/// ranking them: `signif` to 7 digits, then `round` to 7 digits below the upper quartile of
/// the non-zero magnitudes, so noise far below the data's scale becomes an exact zero or tie.
/// Values come with counts (the quartile counts each person).
pub fn wilcox_rounded(values: &[(f64, u64)]) -> Vec<(f64, u64)> {
    let signified: Vec<(f64, u64)> = values
        .iter()
        .map(|&(x, c)| (signif(x, WILCOX_DIGITS), c))
        .collect();
    let mut magnitudes: Vec<(f64, u64)> = signified
        .iter()
        .filter(|v| v.0.is_finite() && v.0 != 0.0 && v.1 > 0)
        .map(|&(x, c)| (x.abs(), c))
        .collect();
    magnitudes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mx = if magnitudes.is_empty() {
        0.0
    } else {
        upper_quartile(&magnitudes)
    };
    let digits = f64::from(WILCOX_DIGITS);
    let digits = if mx > 0.0 {
        (-324.0f64).max(digits - mx.log10())
    } else {
        digits
    };
    signified
        .into_iter()
        .map(|(x, c)| (round(x, digits), c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2 (same fprec and fround as R 4.6):
    // sprintf("%.17g", signif(c(12.3-10.1, 14.5-12.3, 0.1+0.2, 123456789, -0.000123456789, 2.5e-310), 7))
    // "2.2000000000000002" "2.2000000000000002" "0.29999999999999999" "123456800"
    // "-0.00012345680000000001" "2.5000000000000171e-310"
    #[test]
    fn signif_equals_r() {
        assert_eq!(signif(12.3 - 10.1, 7), 2.2000000000000002);
        assert_eq!(signif(14.5 - 12.3, 7), 2.2000000000000002);
        assert_eq!(signif(0.1 + 0.2, 7), 0.29999999999999999);
        assert_eq!(signif(123456789.0, 7), 123456800.0);
        assert_eq!(signif(-0.000123456789, 7), -0.00012345680000000001);
        assert_eq!(signif(2.5e-310, 7), 2.5000000000000171e-310);
        assert_eq!(signif(0.0, 7), 0.0);
    }

    // R 4.2.2: sprintf("%.17g", round(c(0.15, 0.25, 2.675, -1.005, 1234.5678, 5e-324, 2.5),
    //   c(1, 1, 2, 2, -2, 330, 0)))
    // "0.10000000000000001" "0.20000000000000001" "2.6699999999999999" "-1" "1200"
    // "4.9406564584124654e-324" "2"
    #[test]
    fn round_equals_r() {
        assert_eq!(round(0.15, 1.0), 0.1);
        assert_eq!(round(0.25, 1.0), 0.2);
        assert_eq!(round(2.675, 2.0), 2.67);
        assert_eq!(round(-1.005, 2.0), -1.0);
        assert_eq!(round(1234.5678, -2.0), 1200.0);
        assert_eq!(round(5e-324, 330.0), 5e-324);
        assert_eq!(round(2.5, 0.0), 2.0);
    }

    // R 4.2.2 with R 4.6's zapsmall (tests/data/wilcoxon/wilcox46.R):
    // x <- c(1, 2, 3, 1e-9, -2 + 1e-12); .zapsmall.r(signif(x, 7), 7) gives 1 2 3 0 -2
    #[test]
    fn noise_below_the_data_scale_is_zapped() {
        let rounded = wilcox_rounded(&[(1.0, 1), (2.0, 1), (3.0, 1), (1e-9, 1), (-2.0 + 1e-12, 1)]);
        let values: Vec<f64> = rounded.iter().map(|v| v.0).collect();
        assert_eq!(values, [1.0, 2.0, 3.0, 0.0, -2.0]);
    }
}
