//! Confidence interval of a proportion.

use super::dist::qnorm;

/// Wilson score interval for `k` successes in `n` trials, R's
/// `prop.test(k, n, correct = FALSE)$conf.int`; `None` when `n == 0`. Unlike the Wald
/// interval it stays inside [0, 1] and behaves at 0% and 100%.
pub fn wilson(k: usize, n: usize, conf_level: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    // R's arithmetic (prop.test with YATES = 0), including its handling of 0% and 100%.
    let (k, n) = (k as f64, n as f64);
    let z = qnorm((1.0 + conf_level) / 2.0);
    let p = k / n;
    let z22n = z * z / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z22n / (2.0 * n)).sqrt();
    let upper = if p >= 1.0 {
        1.0
    } else {
        (p + z22n + spread) / (1.0 + 2.0 * z22n)
    };
    let lower = if p <= 0.0 {
        0.0
    } else {
        (p + z22n - spread) / (1.0 + 2.0 * z22n)
    };
    Some((lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_prop_test() {
        // R: sprintf("%.17g", prop.test(844, 1222, correct = FALSE)$conf.int)
        //    sprintf("%.17g", prop.test(0, 10, correct = FALSE)$conf.int)
        let close = |a: f64, b: f64| assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} vs {b}");
        let (lo, hi) = wilson(844, 1222, 0.95).expect("n > 0");
        close(lo, 0.664_191_829_763_449_93);
        close(hi, 0.715_955_208_539_782_01);
        let (lo, hi) = wilson(0, 10, 0.95).expect("n > 0");
        assert_eq!(lo, 0.0);
        close(hi, 0.277_532_799_862_889_15);
        assert_eq!(wilson(0, 0, 0.95), None);
    }
}
