//! Wilcoxon signed-rank test on paired changes, R 4.2.2's `wilcox.test(later, earlier,
//! paired = TRUE)` with its defaults.

use super::describe::sum;
use super::dist::{pnorm_lower, pnorm_upper, psignrank};
use super::tally::PairTally;

/// Result of the signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignedRank {
    /// V: the sum of the ranks of |change| over positive changes.
    pub v: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Whether `p` is from the exact null distribution (else the normal approximation).
    pub exact: bool,
    /// Number of non-zero changes the test used.
    pub n_nonzero: usize,
}

/// Signed-rank test; `None` when every change is zero (R gives NaN there).
///
/// As in R 4.2.2: zero changes are dropped; the exact distribution is used when fewer than 50
/// non-zero changes remain and there are no ties and no zeros; otherwise the normal
/// approximation with tie correction and continuity correction `sign(z) * 0.5`.
pub fn signed_rank(changes: &[f64]) -> Option<SignedRank> {
    let mut tally = PairTally::default();
    for &d in changes {
        tally.add(d, 0.0);
    }
    let counted: Vec<(f64, u64)> = tally
        .into_sorted()
        .into_iter()
        .map(|((d, _), c)| (d, c))
        .collect();
    signed_rank_counted(&counted)
}

/// [`signed_rank`] on changes given with their counts (`(change, count)`, in any order): the
/// ranks of |change| follow from cumulative counts, so a million tied integer changes cost a
/// sort of a few distinct values. Same arithmetic, so the same bits, as on the expanded list.
pub fn signed_rank_counted(changes: &[(f64, u64)]) -> Option<SignedRank> {
    let zeroes = changes.iter().any(|&(d, c)| d == 0.0 && c > 0);
    // (|d|, positives, negatives), merged over equal |d|.
    let mut magnitudes: Vec<(f64, u64, u64)> = changes
        .iter()
        .filter(|&&(d, c)| d != 0.0 && c > 0)
        .map(|&(d, c)| {
            (
                d.abs(),
                if d > 0.0 { c } else { 0 },
                if d < 0.0 { c } else { 0 },
            )
        })
        .collect();
    if magnitudes.is_empty() {
        return None;
    }
    magnitudes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut runs: Vec<(f64, u64, u64)> = Vec::with_capacity(magnitudes.len());
    for (m, pos, neg) in magnitudes {
        match runs.last_mut() {
            Some(last) if last.0 == m => {
                last.1 += pos;
                last.2 += neg;
            }
            _ => runs.push((m, pos, neg)),
        }
    }
    // Average ranks over runs of equal |d|: V and the tie term sum(t^3 - t).
    let mut v = 0.0;
    let mut tie_term = Vec::new();
    let mut ties = false;
    let mut start: u64 = 0;
    for &(_, pos, neg) in &runs {
        let end = start + pos + neg;
        let run = (end - start) as f64;
        let rank = (start + 1 + end) as f64 / 2.0;
        v += rank * pos as f64;
        if end - start > 1 {
            ties = true;
            tie_term.push(run * run * run - run);
        }
        start = end;
    }
    let n = start as usize;
    let nf = n as f64;
    if n < 50 && !ties && !zeroes {
        let p = if v > nf * (nf + 1.0) / 4.0 {
            psignrank(v - 1.0, n, false)
        } else {
            psignrank(v, n, true)
        };
        return Some(SignedRank {
            v,
            p: (2.0 * p).min(1.0),
            exact: true,
            n_nonzero: n,
        });
    }
    let z = v - nf * (nf + 1.0) / 4.0;
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - sum(tie_term) / 48.0).sqrt();
    let correction = if z > 0.0 {
        0.5
    } else if z < 0.0 {
        -0.5
    } else {
        0.0
    };
    let z = (z - correction) / sigma;
    let p = 2.0 * pnorm_lower(z).min(pnorm_upper(z));
    Some(SignedRank {
        v,
        p,
        exact: false,
        n_nonzero: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_zero_changes_have_no_test() {
        assert_eq!(signed_rank(&[0.0, 0.0]), None);
        assert_eq!(signed_rank(&[]), None);
    }

    #[test]
    fn statistic_at_its_mean_gives_p_one() {
        // V = 3 = n(n+1)/4 with ties: z = 0, no correction, p = 1.
        let r = signed_rank(&[1.0, -1.0, 2.0, -2.0]).expect("non-zero");
        assert_eq!(r.v, 5.0);
        let r = signed_rank(&[1.0, -1.0]).expect("non-zero");
        assert_eq!((r.v, r.p, r.exact), (1.5, 1.0, false));
    }
}
