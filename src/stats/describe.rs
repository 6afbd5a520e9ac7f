//! Means and variances computed as R does (a compensated sum, then a correction pass), so that
//! large samples and large offsets lose no digits.

/// Neumaier-compensated sum: the error of naive summation grows with n and would show at 1e-12
/// on national-scale inputs.
pub fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut total = 0.0f64;
    let mut compensation = 0.0f64;
    for v in values {
        let t = total + v;
        if total.abs() >= v.abs() {
            compensation += (total - t) + v;
        } else {
            compensation += (v - t) + total;
        }
        total = t;
    }
    total + compensation
}

/// Mean and spread of one sample, the `mean_*`/`sd_*` columns. The variance is kept beside the
/// sd because R's t test uses `sqrt(var / n)`, which differs from `sd / sqrt(n)` in the last bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanSd {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample variance; `None` with fewer than two values.
    pub var: Option<f64>,
}

impl MeanSd {
    /// Sample standard deviation, R's `sd`.
    pub fn sd(&self) -> Option<f64> {
        self.var.map(f64::sqrt)
    }
}

/// Mean and variance of `x`; `None` when `x` is empty or its sums overflow (values near
/// f64::MAX), so no infinity or NaN can reach an output.
pub fn mean_sd(x: &[f64]) -> Option<MeanSd> {
    weighted_mean_sd(&x.iter().map(|&v| (v, 1)).collect::<Vec<_>>())
}

/// Mean and variance of values given with their multiplicities (`(value, count)`), computed
/// like R on the expanded values: a compensated sum, R's correction pass, and the
/// two-pass variance. [`mean_sd`] is this with all counts 1.
pub fn weighted_mean_sd(values: &[(f64, u64)]) -> Option<MeanSd> {
    let n: u64 = values.iter().map(|v| v.1).sum();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let first = sum(values.iter().map(|&(v, c)| v * c as f64)) / nf;
    let mean = first + sum(values.iter().map(|&(v, c)| (v - first) * c as f64)) / nf;
    if !mean.is_finite() {
        return None;
    }
    let var = (n >= 2).then(|| {
        sum(values
            .iter()
            .map(|&(v, c)| (v - mean) * (v - mean) * c as f64))
            / (nf - 1.0)
    });
    if var.is_some_and(|v| !v.is_finite()) {
        return None;
    }
    Some(MeanSd {
        n: n as usize,
        mean,
        var,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_offset_loses_nothing() {
        // NIST StRD NumAcc4's shape (1001 values around 1e9, alternating about the centre) with
        // offsets exactly representable in binary: mean 1e9 + 0.25, sd exactly 0.125.
        let mut x = vec![1_000_000_000.25];
        for i in 0..1000 {
            x.push(if i % 2 == 0 {
                1_000_000_000.125
            } else {
                1_000_000_000.375
            });
        }
        let m = mean_sd(&x).expect("non-empty");
        assert_eq!(m.mean, 1_000_000_000.25);
        assert!((m.sd().expect("n > 1") - 0.125).abs() / 0.125 < 1e-13);
    }

    #[test]
    fn weighted_equals_expanded() {
        let expanded = [3.0, 3.0, 3.0, 5.0, 9.0, 9.0];
        let weighted = weighted_mean_sd(&[(3.0, 3), (5.0, 1), (9.0, 2)]).expect("non-empty");
        assert_eq!(Some(weighted), mean_sd(&expanded));
        let ones: Vec<(f64, u64)> = [0.1, 0.7, 0.3].iter().map(|&v| (v, 1)).collect();
        assert_eq!(weighted_mean_sd(&ones), mean_sd(&[0.1, 0.7, 0.3]));
        assert_eq!(weighted_mean_sd(&[(4.0, 0)]), None);
    }

    #[test]
    fn small_samples() {
        assert_eq!(mean_sd(&[]), None);
        assert_eq!(
            mean_sd(&[4.0]),
            Some(MeanSd {
                n: 1,
                mean: 4.0,
                var: None
            })
        );
        let m = mean_sd(&[1.0, 2.0, 3.0, 4.0]).expect("non-empty");
        assert_eq!(m.mean, 2.5);
        assert!((m.sd().expect("n > 1") - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }
}
