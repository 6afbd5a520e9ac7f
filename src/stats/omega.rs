//! McDonald's omega total of a scale's items, as R `psych::omega(items)$omega.tot` with its
//! defaults (three group factors, minres): `(Vt - sum(u2)) / Vt`, where `Vt` is the sum of
//! the item correlation matrix (items flipped to agree with the general factor) and `u2` the
//! uniquenesses `1 - rowSums(L^2)` of the 3-factor minres (unweighted least squares) fit.
//!
//! psych finds that fit with R's `optim` (L-BFGS-B at its default tolerance, uniquenesses
//! bounded to [0.005, 1]), which stops up to ~5e-7 (relative, in omega) short of the fit it
//! approaches; we solve the same bounded least-squares conditions to convergence by iterated
//! principal axes: uniquenesses = 1 - communalities of the top three eigenpairs of the
//! reduced correlation matrix, clamped to psych's bounds. The result equals the exact
//! solution to 1e-9 and psych's printed value to its own accuracy (1e-5; see the tests).
//!
//! Omega is defined here from six items: a three-factor model on fewer has no degrees of
//! freedom left, and psych's answer for UCLA-3 depends on where its optimiser happens to stop.

use super::alpha::ItemSums;
use nalgebra::{DMatrix, SymmetricEigen};

/// psych's number of group factors.
const FACTORS: usize = 3;
/// psych's lower bound on uniquenesses.
const LOWER: f64 = 0.005;

/// Omega total with what to know about the fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Omega {
    /// Omega total.
    pub total: f64,
    /// Whether an item's uniqueness sits at the lower bound (a Heywood case; psych warns).
    pub heywood: bool,
}

/// Why there is no omega.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoOmega {
    /// Fewer than six items.
    TooFewItems,
    /// Fewer people than items, or an item without spread.
    Degenerate,
    /// The iteration did not settle.
    NotConverged,
}

impl NoOmega {
    /// A note for the output.
    pub fn note(self) -> &'static str {
        match self {
            NoOmega::TooFewItems => "omega needs at least 6 items (three group factors)",
            NoOmega::Degenerate => "omega: too few people, or an item without spread",
            NoOmega::NotConverged => "omega: the factor solution did not converge",
        }
    }
}

/// The item correlation matrix of people who answered every item.
fn correlations(sums: &ItemSums) -> Option<DMatrix<f64>> {
    let k = sums.sums.len();
    let n = sums.n as f64;
    if sums.n as usize <= k {
        return None;
    }
    let cov = DMatrix::from_fn(k, k, |i, j| {
        (sums.cross[i * k + j] - sums.sums[i] * sums.sums[j] / n) / (n - 1.0)
    });
    if (0..k).any(|i| cov[(i, i)] <= 0.0) {
        return None;
    }
    Some(DMatrix::from_fn(k, k, |i, j| {
        if i == j {
            1.0
        } else {
            cov[(i, j)] / (cov[(i, i)] * cov[(j, j)]).sqrt()
        }
    }))
}

/// Communalities `rowSums(L^2)` of the top `FACTORS` eigenpairs of `r - diag(psi)`.
fn communalities(r: &DMatrix<f64>, psi: &[f64]) -> Vec<f64> {
    let k = r.nrows();
    let mut reduced = r.clone();
    for i in 0..k {
        reduced[(i, i)] -= psi[i];
    }
    let eigen = SymmetricEigen::new(reduced);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
    let mut h2 = vec![0.0; k];
    for &f in order.iter().take(FACTORS) {
        let value = eigen.eigenvalues[f].max(0.0);
        for (i, h) in h2.iter_mut().enumerate() {
            let v = eigen.eigenvectors[(i, f)];
            *h += v * v * value;
        }
    }
    h2
}

/// Omega total from the item sums of one timepoint.
pub fn omega_total(sums: &ItemSums) -> Result<Omega, NoOmega> {
    let k = sums.sums.len();
    if k < 6 {
        return Err(NoOmega::TooFewItems);
    }
    let r = correlations(sums).ok_or(NoOmega::Degenerate)?;
    // psych's start: 1 - squared multiple correlations.
    let inverse = r.clone().try_inverse().ok_or(NoOmega::Degenerate)?;
    let mut psi: Vec<f64> = (0..k)
        .map(|i| (1.0 / inverse[(i, i)]).clamp(LOWER, 1.0))
        .collect();
    let mut converged = false;
    for _ in 0..100_000 {
        let h2 = communalities(&r, &psi);
        let next: Vec<f64> = h2.iter().map(|h| (1.0 - h).clamp(LOWER, 1.0)).collect();
        let change = next
            .iter()
            .zip(&psi)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        psi = next;
        if change < 1e-14 {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(NoOmega::NotConverged);
    }
    let unique: f64 = communalities(&r, &psi).iter().map(|h| 1.0 - h).sum();
    // Items are flipped to agree with the general factor: the sign of each item on the first
    // principal axis, oriented so most items are positive.
    let first = SymmetricEigen::new(r.clone());
    let top = (0..k)
        .max_by(|&a, &b| first.eigenvalues[a].total_cmp(&first.eigenvalues[b]))
        .unwrap_or(0);
    let mut key: Vec<f64> = (0..k)
        .map(|i| {
            if first.eigenvectors[(i, top)] < 0.0 {
                -1.0
            } else {
                1.0
            }
        })
        .collect();
    if key.iter().sum::<f64>() < 0.0 {
        key.iter_mut().for_each(|s| *s = -*s);
    }
    let vt: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .map(|(i, j)| key[i] * key[j] * r[(i, j)])
        .sum();
    Ok(Omega {
        total: (vt - unique) / vt,
        heywood: psi.iter().any(|&p| p <= LOWER),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums_of(name: &str) -> ItemSums {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/omega")
            .join(format!("{name}.csv"));
        let text = std::fs::read_to_string(path).expect("data");
        let mut sums = ItemSums::default();
        for line in text.lines().skip(1) {
            let items: Vec<f64> = line
                .split(',')
                .map(|v| v.trim().parse().expect("item"))
                .collect();
            sums.push(&items);
        }
        sums
    }

    fn expected(name: &str, key: &str) -> f64 {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/omega")
            .join(format!("{name}.expected.txt"));
        let text = std::fs::read_to_string(path).expect("expected values");
        text.lines()
            .find_map(|line| {
                let (k, rest) = line.split_once(" = ")?;
                (k == key).then(|| rest.split_whitespace().next()?.parse().ok())?
            })
            .unwrap_or_else(|| panic!("{key} in {name}"))
    }

    // tests/data/omega/*.expected.txt hold R's calls: om <- psych::omega(d, plot = FALSE);
    // om$omega.tot (psych 2.2.9), and the exact bounded least-squares solution.
    #[test]
    fn equals_psych_to_its_accuracy_and_the_exact_solution() {
        for name in ["uls8", "ucla20", "small8"] {
            let omega = omega_total(&sums_of(name)).expect("omega");
            let exact = expected(name, "omega_tot_exact");
            let r = expected(name, "omega_tot");
            assert!(
                ((omega.total - exact) / exact).abs() < 1e-9,
                "{name}: {} vs exact {exact}",
                omega.total
            );
            assert!(
                ((omega.total - r) / r).abs() < 1e-5,
                "{name}: {} vs psych {r}",
                omega.total
            );
            assert_eq!(omega.heywood, name == "small8", "{name}");
        }
    }

    #[test]
    fn three_items_have_no_omega() {
        assert_eq!(omega_total(&sums_of("ucla3")), Err(NoOmega::TooFewItems));
    }
}
