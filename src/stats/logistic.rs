//! Logistic regression by iteratively reweighted least squares, as R's
//! `glm(y ~ x, family = binomial)` (glm.fit): the same starting values (mu = (y + 1/2) / 2),
//! the same convergence rule (|dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations)
//! and so the same iterate, which is what the propensity score of a matched comparison
//! needs to pick the same pairs as R. Separation (a covariate pattern that predicts the group
//! perfectly) is detected and reported, never silently fitted.

use nalgebra::{DMatrix, DVector};

/// R's `glm.control()` defaults.
const EPSILON: f64 = 1e-8;
const MAX_ITERATIONS: usize = 25;
/// R's threshold for a fitted probability "numerically 0 or 1".
const EDGE: f64 = 10.0 * f64::EPSILON;

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticFit {
    /// Coefficients of the columns kept, in `kept` order.
    pub coefficients: Vec<f64>,
    /// Columns of the design used (others are linear combinations of earlier ones: R's NA
    /// coefficients).
    pub kept: Vec<usize>,
    /// Linear predictor (log-odds) per row.
    pub linear_predictor: Vec<f64>,
    /// Fitted probability per row.
    pub fitted: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// IRLS iterations used.
    pub iterations: usize,
    /// Whether the convergence rule was met within 25 iterations.
    pub converged: bool,
    /// Whether some fitted probabilities are numerically 0 or 1 (R's warning of the same
    /// name): a sign of complete or quasi-complete separation.
    pub separated: bool,
}

/// Why there is no fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoLogistic {
    /// Every row is in one group.
    OneGroup,
    /// No rows.
    Empty,
    /// The weighted least-squares system became singular.
    Singular,
}

/// Fits `y` (0 or 1) on the columns of `x` (rows = people; include an intercept column).
pub fn logistic_irls(x: &DMatrix<f64>, y: &[f64]) -> Result<LogisticFit, NoLogistic> {
    let n = y.len();
    if n == 0 {
        return Err(NoLogistic::Empty);
    }
    let ones = y.iter().filter(|&&v| v == 1.0).count();
    if ones == 0 || ones == n {
        return Err(NoLogistic::OneGroup);
    }
    let kept = independent_columns(x);
    let x = x.select_columns(&kept);
    let p = x.ncols();
    let y = DVector::from_column_slice(y);
    // glm.fit's start for binomial with unit weights.
    let mut mu = y.map(|v| (v + 0.5) / 2.0);
    let mut eta = mu.map(|m: f64| (m / (1.0 - m)).ln());
    let mut deviance_old = deviance(&y, &mu);
    let mut beta = DVector::zeros(p);
    let mut converged = false;
    let mut iterations = 0;
    for iteration in 1..=MAX_ITERATIONS {
        iterations = iteration;
        // Working response and weights: mu.eta = var = mu (1 - mu) for the logit link.
        let variance = mu.map(|m| m * (1.0 - m));
        let z = DVector::from_iterator(n, (0..n).map(|i| eta[i] + (y[i] - mu[i]) / variance[i]));
        // Weighted least squares by QR of sqrt(w) X, as glm.fit, on the rows whose weight
        // has not vanished (R's `good`).
        let good: Vec<usize> = (0..n).filter(|&i| variance[i] > 0.0).collect();
        let a = DMatrix::from_fn(good.len(), p, |r, c| {
            variance[good[r]].sqrt() * x[(good[r], c)]
        });
        let b = DVector::from_iterator(good.len(), good.iter().map(|&i| variance[i].sqrt() * z[i]));
        let qr = a.qr();
        let qtb = qr.q().transpose() * b;
        let solved = (good.len() >= p)
            .then(|| qr.r().solve_upper_triangular(&qtb))
            .flatten()
            .filter(|s| s.iter().all(|v| v.is_finite()));
        let Some(solved) = solved else {
            // Weights vanish when probabilities reach 0 or 1: separation, reported below.
            if mu.iter().any(|&m| !(EDGE..=1.0 - EDGE).contains(&m)) {
                break;
            }
            return Err(NoLogistic::Singular);
        };
        beta = solved;
        eta = &x * &beta;
        mu = eta.map(|e| 1.0 / (1.0 + (-e).exp()));
        let deviance_new = deviance(&y, &mu);
        if (deviance_new - deviance_old).abs() / (deviance_new.abs() + 0.1) < EPSILON {
            converged = true;
            deviance_old = deviance_new;
            break;
        }
        deviance_old = deviance_new;
    }
    // R: "fitted probabilities numerically 0 or 1 occurred".
    let separated = mu.iter().any(|&m| !(EDGE..=1.0 - EDGE).contains(&m));
    Ok(LogisticFit {
        coefficients: beta.iter().copied().collect(),
        kept,
        linear_predictor: eta.iter().copied().collect(),
        fitted: mu.iter().copied().collect(),
        deviance: deviance_old,
        iterations,
        converged,
        separated,
    })
}

/// Binomial deviance of 0/1 outcomes.
fn deviance(y: &DVector<f64>, mu: &DVector<f64>) -> f64 {
    y.iter()
        .zip(mu.iter())
        .map(|(&y, &m)| {
            if y == 1.0 {
                -2.0 * m.ln()
            } else {
                -2.0 * (1.0 - m).ln()
            }
        })
        .sum()
}

/// The columns of `x` that are not linear combinations of earlier ones (R's QR keeps the
/// first of a dependent set, in order): Gram-Schmidt on the columns in order, dropping a
/// column whose remainder is below 1e-7 of its length.
fn independent_columns(x: &DMatrix<f64>) -> Vec<usize> {
    let mut basis: Vec<DVector<f64>> = Vec::new();
    let mut kept = Vec::new();
    for j in 0..x.ncols() {
        let column: DVector<f64> = x.column(j).into();
        let norm = column.norm();
        if norm == 0.0 {
            continue;
        }
        let mut rest = column.clone();
        for _ in 0..2 {
            // Twice, for stability.
            for b in &basis {
                let along = b.dot(&rest);
                rest -= b * along;
            }
        }
        let rest_norm = rest.norm();
        if rest_norm > 1e-7 * norm {
            basis.push(rest / rest_norm);
            kept.push(j);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2:
    // x <- c(1,2,3,4,5,6,7,8,9,10); g <- c("a","b","a","b","a","b","b","a","b","b")
    // y <- c(0,1,0,0,1,0,1,1,0,1)
    // m <- glm(y ~ x + g, family = binomial); sprintf("%.17g", coef(m)); m$iter
    // -1.1347054238236642 0.26852530944301256 -0.57224834931427371, 4 iterations
    #[test]
    fn equals_glm() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        let g = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let y = [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
        let design = DMatrix::from_fn(10, 3, |i, j| match j {
            0 => 1.0,
            1 => x[i],
            _ => g[i],
        });
        let fit = logistic_irls(&design, &y).expect("fits");
        assert!(fit.converged && !fit.separated);
        let want = R_COEFFICIENTS;
        for (got, want) in fit.coefficients.iter().zip(want) {
            assert!(((got - want) / want).abs() < 1e-12, "{got} vs {want}");
        }
        assert_eq!(fit.iterations, R_ITERATIONS);
    }

    const R_COEFFICIENTS: [f64; 3] = [
        -1.1347054238236642,
        0.26852530944301256,
        -0.57224834931427371,
    ];
    const R_ITERATIONS: usize = 4;

    // R: glm(c(0,0,0,1,1,1) ~ c(0,1,2,3,4,5), family = binomial): "fitted probabilities
    // numerically 0 or 1 occurred".
    #[test]
    fn separation_is_detected() {
        let design = DMatrix::from_fn(6, 2, |i, j| if j == 0 { 1.0 } else { i as f64 });
        let fit = logistic_irls(&design, &[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]).expect("fits");
        assert!(fit.separated);
    }

    #[test]
    fn dependent_columns_are_dropped_like_r() {
        // The third column is the first minus the second: R gives it an NA coefficient.
        let design = DMatrix::from_fn(6, 3, |i, j| match j {
            0 => 1.0,
            1 => (i % 2) as f64,
            _ => 1.0 - (i % 2) as f64,
        });
        let fit = logistic_irls(&design, &[0.0, 1.0, 1.0, 0.0, 1.0, 1.0]).expect("fits");
        assert_eq!(fit.kept, [0, 1]);
    }
}
