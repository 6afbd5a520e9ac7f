//! Covariate balance before and after matching, as R MatchIt's `summary(m)` (`bal1var`) for
//! the average effect on the scheme's users: every covariate level as its own 0/1 column
//! (and the distance first); means; the standardised mean difference over the scheme's
//! standard deviation before matching (`sqrt(p (1 - p))` for two-valued columns, else the
//! n - 1 sd), the same denominator after matching with the matching weights; and for columns
//! with more than two values the variance ratio, `wvar(scheme) / wvar(comparator)` with
//! `wvar = sum(w (x - m)^2) / (1 - sum(w^2))` over weights normalised to sum to 1.

/// One side of a balance row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// Mean among the scheme's users (weighted after matching).
    pub mean_scheme: f64,
    /// Mean among comparator people (weighted after matching).
    pub mean_comparator: f64,
    /// Standardised mean difference; `None` when the scheme's sd is 0 and the means differ.
    pub smd: Option<f64>,
    /// Variance ratio (columns with more than two values).
    pub var_ratio: Option<f64>,
}

/// Weighted mean.
fn mean(values: &[(f64, f64)]) -> f64 {
    let w: f64 = values.iter().map(|v| v.1).sum();
    values.iter().map(|v| v.0 * v.1).sum::<f64>() / w
}

/// MatchIt's `wvar`: for a two-valued column `m (1 - m)`, else the weighted variance with the
/// reliability-weights correction.
fn wvar(values: &[(f64, f64)], binary: bool) -> f64 {
    let m = mean(values);
    if binary {
        return m * (1.0 - m);
    }
    let total: f64 = values.iter().map(|v| v.1).sum();
    let (mut sum_sq, mut sum_w2) = (0.0, 0.0);
    for &(x, w) in values {
        let w = w / total;
        sum_sq += w * (x - m) * (x - m);
        sum_w2 += w * w;
    }
    sum_sq / (1.0 - sum_w2)
}

/// Balance of one column: `values` are (value, treated, weight after matching) of everyone
/// eligible; `binary` when the column has two values.
pub fn balance_of(values: &[(f64, bool, f64)], binary: bool) -> (Balance, Balance) {
    let side = |treated: bool, weighted: bool| -> Vec<(f64, f64)> {
        values
            .iter()
            .filter(|v| v.1 == treated && (!weighted || v.2 > 0.0))
            .map(|v| (v.0, if weighted { v.2 } else { 1.0 }))
            .collect()
    };
    let denominator = wvar(&side(true, false), binary).sqrt();
    let one = |weighted: bool| -> Balance {
        let (scheme, comparator) = (side(true, weighted), side(false, weighted));
        let (mean_scheme, mean_comparator) = (mean(&scheme), mean(&comparator));
        let difference = mean_scheme - mean_comparator;
        let smd = if difference.abs() <= f64::EPSILON.sqrt() {
            Some(difference)
        } else if denominator > 0.0 {
            Some(difference / denominator)
        } else {
            None
        };
        let var_ratio = (!binary)
            .then(|| wvar(&scheme, false) / wvar(&comparator, false))
            .filter(|r| r.is_finite());
        Balance {
            mean_scheme,
            mean_comparator,
            smd,
            var_ratio,
        }
    };
    (one(false), one(true))
}
