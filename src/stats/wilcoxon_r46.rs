//! The Wilcoxon signed-rank test and the Hodges-Lehmann estimate with its interval as R >= 4.6
//! computes them: `wilcox.test(later, earlier, paired = TRUE, conf.int = TRUE)` with its
//! defaults (R's `src/library/stats/R/wilcox.test.R`, `.wilcox_test_one_*`, and the
//! Streitberg-Rohmel shift algorithm of `permdist.c`; r-svn b5b3719f, August 2026).
//!
//! What changed from R 4.2.2 ([`super::wilcoxon`], [`super::hodges_lehmann`]):
//! - changes are rounded before ranking (`signif(x, 7)`, then `zapsmall` to 7 digits below
//!   their upper quartile: [`super::rounding::wilcox_rounded`]), so floating-point noise ties;
//! - zeros are kept as Pratt proposed: they take part in the ranking (the smallest ranks) and
//!   carry no sign, so V itself changes wherever someone did not change;
//! - the exact test is the default below 50 changes *counting zeros*, with or without ties:
//!   with ties or zeros it is the permutation distribution of V given the ranks (every sign
//!   pattern of the non-zero changes), symmetric about half their rank sum;
//! - the normal approximation uses Pratt's mean and variance (ties and zeros adjusted) with the
//!   continuity correction;
//! - below 50 changes the Hodges-Lehmann estimate is the median of the Walsh averages (zeros
//!   included) and its interval inverts the same permutation distribution; from 50 on it is
//!   R 4.2.2's root search, now over all changes, zeros included.
//!
//! The permutation probabilities are multiples of 2^-n with n < 50, so every sum of them is
//! exact in a double: p-values here are R's to the last bit wherever R's are exact.

use super::dist::{pnorm_lower, pnorm_upper, psignrank, qsignrank};
use super::hodges_lehmann::{asymptotic, HodgesLehmann};
use super::rounding::{wilcox_rounded, WILCOX_DIGITS};
use super::wilcoxon::SignedRank;
use std::collections::HashMap;

/// R >= 4.6 uses the exact distribution below this many changes, zeros counted.
pub const EXACT_BELOW: u64 = 50;

/// One group of equal |change| after rounding: its doubled average rank (a whole number),
/// its size and how many of it are positive. Zeros form the first group when there are any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TieGroup {
    rank2: u64,
    size: u64,
    positives: u64,
    zero: bool,
}

/// Pratt's ranking of (rounded) changes with their counts: `rank(abs(x))` with zeros ranked.
#[derive(Debug, Clone, PartialEq)]
struct PrattRanks {
    groups: Vec<TieGroup>,
    /// Twice V, the rank sum of the positive changes.
    v2: u64,
}

impl PrattRanks {
    fn new(values: &[(f64, u64)]) -> PrattRanks {
        let mut magnitudes: Vec<(f64, u64, u64)> = values
            .iter()
            .filter(|v| v.1 > 0)
            .map(|&(x, c)| (x.abs(), c, if x > 0.0 { c } else { 0 }))
            .collect();
        magnitudes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f64, u64, u64)> = Vec::with_capacity(magnitudes.len());
        for (m, c, pos) in magnitudes {
            match merged.last_mut() {
                Some(last) if last.0 == m => {
                    last.1 += c;
                    last.2 += pos;
                }
                _ => merged.push((m, c, pos)),
            }
        }
        let mut groups = Vec::with_capacity(merged.len());
        let mut start = 0u64;
        let mut v2 = 0u64;
        for (m, size, positives) in merged {
            let rank2 = 2 * start + size + 1;
            v2 += rank2 * positives;
            groups.push(TieGroup {
                rank2,
                size,
                positives,
                zero: m == 0.0,
            });
            start += size;
        }
        PrattRanks { groups, v2 }
    }

    fn zeros(&self) -> u64 {
        self.groups.iter().filter(|g| g.zero).map(|g| g.size).sum()
    }

    /// R's `TIES || ZERO`: whether the test conditions on the ranks (`z` is not NULL).
    fn ties_or_zero(&self) -> bool {
        self.groups.iter().any(|g| g.zero || g.size > 1)
    }
}

/// The distribution of twice the rank sum of the positive elements when each element of
/// `groups` (doubled rank, count) is positive or not with probability 1/2 independently:
/// `dpermdist1` on doubled scores, by Streitberg and Rohmel's shift. Index = twice V.
fn permutation_distribution(groups: impl Iterator<Item = (u64, u64)> + Clone) -> Vec<f64> {
    let total: u64 = groups.clone().map(|(r, c)| r * c).sum();
    let mut probability = vec![0.0f64; total as usize + 1];
    let mut next = probability.clone();
    probability[0] = 1.0;
    let mut reach = 0usize;
    for (rank2, count) in groups {
        let r = rank2 as usize;
        for _ in 0..count {
            let end = reach + r;
            for (n, p) in next[..r].iter_mut().zip(&probability[..r]) {
                *n = 0.5 * p;
            }
            for ((n, p), q) in next[r..=end]
                .iter_mut()
                .zip(&probability[r..=end])
                .zip(&probability[..=reach])
            {
                *n = 0.5 * (p + q);
            }
            std::mem::swap(&mut probability, &mut next);
            reach = end;
        }
    }
    probability
}

/// P(2V <= t) from a distribution: an exact sum (every term a multiple of 2^-n, n < 50).
fn at_most(distribution: &[f64], t: u64) -> f64 {
    distribution.iter().take(t as usize + 1).sum()
}

/// n (n + 1) / 4, the centre of the signed-rank distribution without ties or zeros.
fn nf_center(n: u64) -> f64 {
    let nf = n as f64;
    nf * (nf + 1.0) / 4.0
}

/// The signed-rank test as R >= 4.6's `wilcox.test(later, earlier, paired = TRUE)`; `None`
/// only without changes. All-zero changes give V = 0 and p = 1, as R now does.
pub fn signed_rank(changes: &[(f64, u64)]) -> Option<SignedRank> {
    let n: u64 = changes.iter().map(|c| c.1).sum();
    if n == 0 || changes.iter().any(|c| c.1 > 0 && !c.0.is_finite()) {
        return None;
    }
    let ranks = PrattRanks::new(&wilcox_rounded(changes));
    let v = ranks.v2 as f64 / 2.0;
    let zeros = ranks.zeros();
    let n_nonzero = (n - zeros) as usize;
    if n < EXACT_BELOW && !ranks.ties_or_zero() {
        // R's z is NULL: nmath's psignrank, whose 2^-n is exp(-n log 2), as R 4.2.2's test.
        let nn = n as usize;
        let one_tail = if v > nf_center(n) {
            psignrank(v - 1.0, nn, false)
        } else {
            psignrank(v, nn, true)
        };
        return Some(SignedRank {
            v,
            p: (2.0 * one_tail).min(1.0),
            exact: true,
            conditional: false,
            n_nonzero,
        });
    }
    if n < EXACT_BELOW {
        let nonzero = ranks
            .groups
            .iter()
            .filter(|g| !g.zero)
            .map(|g| (g.rank2, g.size));
        let distribution = permutation_distribution(nonzero);
        let total2 = (distribution.len() - 1) as u64;
        // R: the upper tail P(V >= v) when V lies above the centre sum(z) / 2, else P(V <= v).
        let one_tail = if 2 * ranks.v2 > total2 {
            1.0 - if ranks.v2 == 0 {
                0.0
            } else {
                at_most(&distribution, ranks.v2 - 1)
            }
        } else {
            at_most(&distribution, ranks.v2)
        };
        return Some(SignedRank {
            v,
            p: (2.0 * one_tail).min(1.0),
            exact: true,
            conditional: false,
            n_nonzero,
        });
    }
    // Pratt's mean and variance, in R's order of operations.
    let nf = n as f64;
    let mut mean = nf * (nf + 1.0) / 4.0;
    let mut variance = mean * (2.0 * nf + 1.0) / 6.0;
    if ranks.groups.iter().any(|g| g.size > 1) {
        let tie_term: i128 = ranks
            .groups
            .iter()
            .map(|g| {
                let t = i128::from(g.size);
                t * t * t - t
            })
            .sum();
        variance -= tie_term as f64 / 48.0;
    }
    if zeros > 0 {
        let k = zeros as f64;
        mean -= k * (k + 1.0) / 4.0;
        variance -= k * ((k + 1.0) * (k + 1.0)) / 16.0;
    }
    let sd = variance.sqrt();
    let z = v - mean;
    let p = if z == 0.0 && sd == 0.0 {
        1.0
    } else {
        let correction = if z > 0.0 {
            0.5
        } else if z < 0.0 {
            -0.5
        } else {
            0.0
        };
        let z = (z - correction) / sd;
        let lower = pnorm_lower(z);
        let other = if lower < 0.99999 {
            1.0 - lower
        } else {
            pnorm_upper(z)
        };
        2.0 * lower.min(other)
    };
    Some(SignedRank {
        v,
        p,
        exact: false,
        conditional: false,
        n_nonzero,
    })
}

/// The Hodges-Lehmann estimate and interval as R >= 4.6's `wilcox.test(later, earlier,
/// paired = TRUE, conf.int = TRUE)`; `None` without changes or with changes too large to
/// average. An end of the interval may be infinite where R's is (too few changes for the
/// level); the confidence level R then achieves is not reported.
pub fn hodges_lehmann(changes: &[(f64, u64)], conf_level: f64) -> Option<HodgesLehmann> {
    let changes: Vec<(f64, u64)> = changes.iter().copied().filter(|c| c.1 > 0).collect();
    let n: u64 = changes.iter().map(|c| c.1).sum();
    if n == 0
        || changes
            .iter()
            .any(|c| !c.0.is_finite() || c.0.abs() > f64::MAX / 4.0)
    {
        return None;
    }
    let alpha = 1.0 - conf_level;
    if n >= EXACT_BELOW {
        return asymptotic(&changes, alpha, Some(WILCOX_DIGITS));
    }
    // The Walsh averages of every change, zeros included: sums sorted, then halved (R's order).
    let x: Vec<f64> = changes
        .iter()
        .flat_map(|&(d, c)| std::iter::repeat_n(d, c as usize))
        .collect();
    let mut walsh: Vec<f64> = Vec::with_capacity(x.len() * (x.len() + 1) / 2);
    for i in 0..x.len() {
        for j in i..x.len() {
            walsh.push(x[i] + x[j]);
        }
    }
    walsh.sort_by(f64::total_cmp);
    for w in &mut walsh {
        *w /= 2.0;
    }
    let m = walsh.len();
    let estimate = if m % 2 == 1 {
        walsh[m / 2]
    } else {
        (walsh[m / 2 - 1] + walsh[m / 2]) / 2.0
    };
    let toler = 10.0 * f64::EPSILON;
    let ranks = PrattRanks::new(&wilcox_rounded(&changes));
    let ci = if !ranks.ties_or_zero() {
        // No ties and no zeros: the order statistics of the Walsh averages at qsignrank.
        let n = n as usize;
        let mut qu = qsignrank(alpha / 2.0, n);
        if psignrank(qu as f64, n, true) <= alpha / 2.0 + toler {
            qu += 1;
        }
        if qu == 0 {
            (f64::NEG_INFINITY, f64::INFINITY)
        } else {
            let ql = n * (n + 1) / 2 - qu;
            (walsh[qu - 1], walsh[ql])
        }
    } else {
        conditional_interval(&changes, &walsh, alpha / 2.0 + toler)
    };
    Some(HodgesLehmann {
        estimate,
        ci: Some(ci),
        exact: true,
    })
}

/// R's interval with ties or zeros (`lower()` and `upper()` of `.wilcox_test_one_cint_exact`):
/// walk the Walsh averages from each end and stop at the first midpoint between neighbours
/// where the tail probability of V, recomputed from the ranks of `changes - mu` (their zeros
/// ranked and counted in the distribution, as R does there), exceeds `alpha`. Equal
/// neighbours make the midpoint the value itself, so each distinct shift is computed once.
fn conditional_interval(changes: &[(f64, u64)], walsh: &[f64], alpha: f64) -> (f64, f64) {
    let mut memo: HashMap<(u64, bool), f64> = HashMap::new();
    let mut tail = |mu: f64, lower: bool| -> f64 {
        *memo
            .entry((mu.to_bits(), lower))
            .or_insert_with(|| shifted_tail(changes, mu, lower))
    };
    let last = walsh.len() - 1;
    let low = if tail(walsh[0] - 1.0, false) > alpha {
        f64::NEG_INFINITY
    } else {
        (0..last)
            .find(|&k| tail((walsh[k] + walsh[k + 1]) / 2.0, false) > alpha)
            .map_or(walsh[last], |k| walsh[k])
    };
    let high = if tail(walsh[last] + 1.0, true) > alpha {
        f64::INFINITY
    } else {
        (0..last)
            .rev()
            .find(|&k| tail((walsh[k] + walsh[k + 1]) / 2.0, true) > alpha)
            .map_or(walsh[0], |k| walsh[k + 1])
    };
    (low, high)
}

/// R's `ptail(mu, lower)`: P(V <= v) or P(V > v) for the changes shifted by `mu`, rounded and
/// ranked, under the permutation distribution of all their ranks.
fn shifted_tail(changes: &[(f64, u64)], mu: f64, lower: bool) -> f64 {
    let shifted: Vec<(f64, u64)> = changes.iter().map(|&(d, c)| (d - mu, c)).collect();
    let ranks = PrattRanks::new(&wilcox_rounded(&shifted));
    let distribution = permutation_distribution(ranks.groups.iter().map(|g| (g.rank2, g.size)));
    let below = at_most(&distribution, ranks.v2);
    if lower {
        below
    } else {
        1.0 - below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(changes: &[f64]) -> Vec<(f64, u64)> {
        changes.iter().map(|&d| (d, 1)).collect()
    }

    // R 4.6 (tests/data/wilcoxon/wilcox46.R, the functions of r-svn's wilcox.test.R run in
    // R 4.2.2): wilcox46(c(0, -2, 0, -2, -2)): V = 0, p = 0.25, estimate -1, interval
    // (-2, Inf) at conf.level 1.
    #[test]
    fn zeros_are_ranked_and_the_exact_test_conditions_on_them() {
        let w = signed_rank(&counted(&[0.0, -2.0, 0.0, -2.0, -2.0])).expect("changes");
        assert_eq!((w.v, w.p, w.exact), (0.0, 0.25, true));
        let hl = hodges_lehmann(&counted(&[0.0, -2.0, 0.0, -2.0, -2.0]), 0.95).expect("hl");
        assert_eq!(hl.estimate, -1.0);
        assert_eq!(hl.ci, Some((-2.0, f64::INFINITY)));
    }

    #[test]
    fn all_zero_changes_give_p_one() {
        for n in [1u64, 5, 49, 50, 60] {
            let w = signed_rank(&[(0.0, n)]).expect("changes");
            assert_eq!((w.v, w.p), (0.0, 1.0), "n = {n}");
        }
        assert_eq!(signed_rank(&[]), None);
    }

    #[test]
    fn the_distribution_is_the_signed_rank_distribution_without_ties() {
        // dsignrank(0:6, 3) * 8 = 1 1 1 2 1 1 1, on doubled rank sums 0, 2, ..., 12.
        let d = permutation_distribution([(2, 1), (4, 1), (6, 1)].into_iter());
        let counts: Vec<f64> = d.iter().step_by(2).map(|p| p * 8.0).collect();
        assert_eq!(counts, [1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]);
    }
}
