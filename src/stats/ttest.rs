//! Paired (one-sample on the differences) t test, R's `t.test(later, earlier, paired = TRUE)`.

use super::describe::MeanSd;
use super::dist::{pt_two_sided, qt_upper};

/// Result of the paired t test on the change scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedT {
    /// t statistic, mean change / standard error.
    pub t: f64,
    /// Degrees of freedom, n - 1.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Lower end of the CI of the mean change.
    pub ci_low: f64,
    /// Upper end of the CI of the mean change.
    pub ci_high: f64,
}

/// Why a t test has no result; each maps to a `note` in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TUnavailable {
    /// Fewer than two pairs.
    TooFew,
    /// Every change is the same (R: "data are essentially constant").
    ConstantChange,
}

/// t test on the summary of the change scores, exactly as R's `t.test.default` computes it:
/// `stderr = sqrt(var / n)`, `t = mean / stderr`, `p = 2 * pt(-|t|, n - 1)` and the interval
/// `(t -/+ qt(1 - alpha/2, df)) * stderr`.
pub fn paired_t(change: &MeanSd, conf_level: f64) -> Result<PairedT, TUnavailable> {
    let var = change.var.ok_or(TUnavailable::TooFew)?;
    let n = change.n as f64;
    let stderr = (var / n).sqrt();
    // R stops with "data are essentially constant" here; when the mean is 0 too, t is 0/0.
    if stderr < 10.0 * f64::EPSILON * change.mean.abs() || stderr == 0.0 {
        return Err(TUnavailable::ConstantChange);
    }
    let df = n - 1.0;
    let t = change.mean / stderr;
    let p = pt_two_sided(t, df);
    let q = qt_upper((1.0 - conf_level) / 2.0, df);
    Ok(PairedT {
        t,
        df,
        p,
        ci_low: (t - q) * stderr,
        ci_high: (t + q) * stderr,
    })
}
