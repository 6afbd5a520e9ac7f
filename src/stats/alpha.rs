//! Cronbach's alpha of a scale's items at one timepoint, with Feldt's confidence interval, from
//! sums of item scores and their cross-products (which add across people, cores and streaming
//! partitions). R: `psych::alpha(items)$total$raw_alpha` and `psych::alpha.ci`.

use super::between::pf_upper;
use super::roots::brent;
use crate::stats::sums::Additive;

/// Sums over people who answered every item (item scores after reversal).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemSums {
    /// People.
    pub n: u64,
    /// Sum of each item.
    pub sums: Vec<f64>,
    /// Sum of each product of two items, row-major k × k.
    pub cross: Vec<f64>,
}

impl ItemSums {
    /// Adds one person's item scores.
    pub fn push(&mut self, items: &[f64]) {
        let k = items.len();
        if self.sums.is_empty() {
            self.sums = vec![0.0; k];
            self.cross = vec![0.0; k * k];
        }
        self.n += 1;
        for (i, &x) in items.iter().enumerate() {
            self.sums[i] += x;
            for (j, &y) in items.iter().enumerate() {
                self.cross[i * k + j] += x * y;
            }
        }
    }
}

impl Additive for ItemSums {
    fn add(&mut self, other: &ItemSums) {
        if other.n == 0 {
            return;
        }
        if self.sums.is_empty() {
            *self = other.clone();
            return;
        }
        self.n += other.n;
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.cross.iter_mut().zip(&other.cross) {
            *a += b;
        }
    }
}

/// Alpha with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alpha {
    /// People with every item answered.
    pub n: u64,
    /// Items.
    pub items: usize,
    /// Cronbach's alpha, k / (k - 1) * (1 - sum of item variances / variance of the total).
    pub alpha: f64,
    /// Feldt's interval: 1 - (1 - alpha) * qf(1 - a/2 | a/2, n - 1, (n - 1)(k - 1)).
    pub ci: Option<(f64, f64)>,
}

/// R `qf(p, d1, d2)`: the F quantile, by root finding on the upper tail.
pub fn qf(p: f64, d1: f64, d2: f64) -> Option<f64> {
    let upper = 1.0 - p;
    let f = |x: f64| pf_upper(x, d1, d2) - upper;
    let mut hi = 2.0;
    while f(hi) > 0.0 {
        hi *= 2.0;
        if hi > 1e300 {
            return None;
        }
    }
    brent(f, 0.0, hi, 1e-15 * hi)
}

/// Alpha from the sums; `None` with fewer than two items, fewer than two people or no
/// variance in the total.
pub fn cronbach_alpha(sums: &ItemSums, conf_level: f64) -> Option<Alpha> {
    let k = sums.sums.len();
    if k < 2 || sums.n < 2 {
        return None;
    }
    let n = sums.n as f64;
    let cov = |i: usize, j: usize| sums.cross[i * k + j] - sums.sums[i] * sums.sums[j] / n;
    let trace: f64 = (0..k).map(|i| cov(i, i)).sum();
    let total: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .map(|(i, j)| cov(i, j))
        .sum();
    if total <= 0.0 {
        return None;
    }
    let kf = k as f64;
    let alpha = (1.0 - trace / total) * kf / (kf - 1.0);
    let (d1, d2) = (n - 1.0, (n - 1.0) * (kf - 1.0));
    let tail = (1.0 - conf_level) / 2.0;
    let ci = qf(1.0 - tail, d1, d2)
        .zip(qf(tail, d1, d2))
        .map(|(high_q, low_q)| (1.0 - (1.0 - alpha) * high_q, 1.0 - (1.0 - alpha) * low_q));
    Some(Alpha {
        n: sums.n,
        items: k,
        alpha,
        ci,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_psych() {
        // R 4.2.2, psych: set.seed(3); n <- 40; f <- rnorm(n)
        // x <- sapply(1:3, function(i) pmin(3, pmax(1, round(2 + 0.6 * f + rnorm(n, 0, 0.7)))))
        // a <- psych::alpha(x); sprintf("%.17g", c(a$total$raw_alpha, a$feldt$lower.ci,
        //   a$feldt$upper.ci))   # the 40 rows below are x
        let x: [[f64; 3]; 40] = [
            [2., 3., 1.],
            [2., 2., 2.],
            [3., 3., 3.],
            [1., 2., 1.],
            [2., 3., 3.],
            [1., 2., 1.],
            [2., 2., 2.],
            [3., 2., 2.],
            [1., 2., 1.],
            [2., 2., 3.],
            [2., 1., 2.],
            [1., 1., 1.],
            [2., 1., 3.],
            [1., 3., 1.],
            [1., 2., 2.],
            [1., 2., 1.],
            [1., 1., 2.],
            [3., 2., 1.],
            [3., 3., 2.],
            [2., 2., 2.],
            [2., 2., 1.],
            [2., 1., 1.],
            [2., 3., 1.],
            [1., 1., 1.],
            [3., 2., 2.],
            [1., 2., 2.],
            [2., 3., 2.],
            [3., 1., 2.],
            [1., 1., 3.],
            [1., 2., 2.],
            [3., 2., 2.],
            [3., 2., 3.],
            [3., 2., 3.],
            [3., 3., 3.],
            [2., 1., 3.],
            [3., 2., 3.],
            [3., 3., 3.],
            [2., 2., 1.],
            [1., 2., 1.],
            [2., 2., 3.],
        ];
        let mut sums = ItemSums::default();
        for row in &x {
            sums.push(row);
        }
        let a = cronbach_alpha(&sums, 0.95).expect("alpha");
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(a.alpha, 0.53242800280964642) < 1e-13, "{}", a.alpha);
        let (lo, hi) = a.ci.expect("ci");
        assert!(rel(lo, 0.20986031930763205) < 1e-10, "{lo}");
        assert!(rel(hi, 0.737032751859372) < 1e-10, "{hi}");
        // Halves add up to the whole.
        let (mut first, mut second) = (ItemSums::default(), ItemSums::default());
        for row in &x[..17] {
            first.push(row);
        }
        for row in &x[17..] {
            second.push(row);
        }
        first.add(&second);
        assert_eq!(first, sums);
    }
}
