//! McNemar's test of a change in a yes/no category within the same people (lonely at referral
//! and at the end of support), from the two discordant counts, with the exact binomial test
//! for small counts.

use super::dist::pnorm_upper;
use super::special::beta_tails;

/// McNemar's test and the exact test of the same table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct McNemar {
    /// R `mcnemar.test(x)$statistic`: `(|b - c| - 1)^2 / (b + c)`, without the continuity
    /// correction when `b == c` (as R: only when the table is not symmetric).
    pub statistic: f64,
    /// Upper tail of chi-squared on 1 df: `2 * pnorm(-sqrt(statistic))`.
    pub p: f64,
    /// R `binom.test(b, b + c)$p.value`: two-sided exact p of b among the discordant people,
    /// `min(1, 2 P(X <= min(b, c)))` for X ~ Binomial(b + c, 1/2). Prefer it when b + c < 25.
    pub p_exact: f64,
}

/// The test from `b` (moved one way) and `c` (moved the other way); `None` when nobody moved.
pub fn mcnemar(b: u64, c: u64) -> Option<McNemar> {
    let discordant = b + c;
    if discordant == 0 {
        return None;
    }
    let difference = b.abs_diff(c) as f64;
    let yates = if b == c { 0.0 } else { 1.0 };
    let statistic = (difference - yates).powi(2) / discordant as f64;
    let p = (2.0 * pnorm_upper(statistic.sqrt())).min(1.0);
    let k = b.min(c);
    // P(X <= k) = I_{1/2}(n - k, k + 1); the whole distribution when k = n / 2.
    let lower = if 2 * k >= discordant {
        1.0
    } else {
        beta_tails(0.5, 0.5, (discordant - k) as f64, (k + 1) as f64).0
    };
    Some(McNemar {
        statistic,
        p,
        p_exact: (2.0 * lower).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            ((a - b) / b).abs()
        }
    }

    #[test]
    fn matches_r() {
        // R 4.2.2: for (bc in list(c(15,7), c(2,0), c(180,40), c(6,6), c(1,0), c(0,1),
        //   c(3000,2911), c(1,1))) { b <- bc[1]; c <- bc[2];
        //   m <- mcnemar.test(matrix(c(10, c, b, 10), 2)); bt <- binom.test(b, b + c)
        //   cat(b, c, sprintf("%.17g", c(m$statistic, m$p.value, bt$p.value))) }
        let r = [
            (
                15,
                7,
                2.2272727272727271,
                0.13559300126630261,
                0.13380050659179699,
            ),
            (2, 0, 0.5, 0.47950012218695348, 0.5),
            (
                180,
                40,
                87.822727272727278,
                7.1591588980935573e-21,
                2.1179181568510896e-22,
            ),
            (6, 6, 0.0, 1.0, 1.0),
            (1, 0, 0.0, 1.0, 1.0),
            (0, 1, 0.0, 1.0, 1.0),
            (
                3000,
                2911,
                1.3100998139062765,
                0.25237658430612636,
                0.25237451177391923,
            ),
            (1, 1, 0.0, 1.0, 1.0),
        ];
        for (b, c, statistic, p, p_exact) in r {
            let m = mcnemar(b, c).expect("a test");
            assert!(
                rel(m.statistic, statistic) < 1e-13,
                "{b} {c}: {}",
                m.statistic
            );
            assert!(rel(m.p, p) < 1e-12, "{b} {c}: p {} vs {p}", m.p);
            assert!(
                rel(m.p_exact, p_exact) < 1e-12,
                "{b} {c}: exact {} vs {p_exact}",
                m.p_exact
            );
        }
        // R: mcnemar.test(matrix(c(5, 0, 0, 9), 2)) gives NaN; binom.test(0, 0) is an error.
        assert_eq!(mcnemar(0, 0), None);
    }
}
