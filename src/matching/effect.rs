//! The scheme's effect on the change in loneliness, scheme minus matched comparator
//! (difference in differences): with 1:1 matching without replacement, the mean of the
//! paired differences of change with its t interval (R `t.test(d)`); otherwise the
//! coefficient of a weighted regression of change on group with the matching weights (R
//! `lm(change ~ treat, weights = weights)`, model-based standard error).

use crate::stats::describe::{weighted_mean_sd, MeanSd};
use crate::stats::dist::{pt_two_sided, qt_upper};
use crate::stats::ttest::paired_t;

/// How the effect was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectMethod {
    /// Paired differences of change (1:1 without replacement).
    Paired,
    /// Weighted regression of change on group.
    Weighted,
}

impl EffectMethod {
    /// The `method` column.
    pub fn name(self) -> &'static str {
        match self {
            EffectMethod::Paired => "paired t on differences of change",
            EffectMethod::Weighted => "weighted regression of change on group",
        }
    }
}

/// The estimate with its test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// Mean change in the scheme (weighted as matched).
    pub change_scheme: f64,
    /// Mean change in the matched comparator (weighted).
    pub change_comparator: f64,
    /// Scheme minus comparator.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// t statistic.
    pub t: f64,
    /// Two-sided p.
    pub p: f64,
    /// Confidence interval.
    pub ci: (f64, f64),
    /// Which method.
    pub method: EffectMethod,
}

/// Paired: `pairs` are (scheme change, comparator change) of each matched pair.
pub fn paired_effect(pairs: &[(f64, f64)], conf_level: f64) -> Option<Effect> {
    let differences: Vec<(f64, u64)> = pairs.iter().map(|&(t, c)| (t - c, 1)).collect();
    let d: MeanSd = weighted_mean_sd(&differences)?;
    let t = paired_t(&d, conf_level).ok()?;
    let scheme = weighted_mean_sd(&pairs.iter().map(|p| (p.0, 1)).collect::<Vec<_>>())?;
    let comparator = weighted_mean_sd(&pairs.iter().map(|p| (p.1, 1)).collect::<Vec<_>>())?;
    Some(Effect {
        change_scheme: scheme.mean,
        change_comparator: comparator.mean,
        estimate: d.mean,
        se: (d.var? / d.n as f64).sqrt(),
        df: t.df,
        t: t.t,
        p: t.p,
        ci: (t.ci_low, t.ci_high),
        method: EffectMethod::Paired,
    })
}

/// Weighted: `units` are (treated, change, weight) of everyone with a positive weight.
pub fn weighted_effect(units: &[(bool, f64, f64)], conf_level: f64) -> Option<Effect> {
    let mean_of = |treated: bool| -> Option<(f64, f64)> {
        let (mut w, mut wy) = (0.0, 0.0);
        for &(_, y, weight) in units.iter().filter(|u| u.0 == treated) {
            w += weight;
            wy += weight * y;
        }
        (w > 0.0).then(|| (wy / w, w))
    };
    let (scheme, w_scheme) = mean_of(true)?;
    let (comparator, w_comparator) = mean_of(false)?;
    let n = units.len() as f64;
    let df = n - 2.0;
    if df < 1.0 {
        return None;
    }
    let rss: f64 = units
        .iter()
        .map(|&(t, y, w)| {
            let fitted = if t { scheme } else { comparator };
            w * (y - fitted) * (y - fitted)
        })
        .sum();
    let sigma2 = rss / df;
    let se = (sigma2 * (1.0 / w_scheme + 1.0 / w_comparator)).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let estimate = scheme - comparator;
    let t = estimate / se;
    let half = qt_upper((1.0 - conf_level) / 2.0, df) * se;
    Some(Effect {
        change_scheme: scheme,
        change_comparator: comparator,
        estimate,
        se,
        df,
        t,
        p: pt_two_sided(t, df),
        ci: (estimate - half, estimate + half),
        method: EffectMethod::Weighted,
    })
}
