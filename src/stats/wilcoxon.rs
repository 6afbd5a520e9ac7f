//! Wilcoxon signed-rank test on paired changes, R 4.2.2's `wilcox.test(later, earlier,
//! paired = TRUE)` with its defaults (`--wilcoxon r-4.2`), the exact conditional p-value of
//! `--wilcoxon exact`, and the choice between them and current R's ([`super::wilcoxon_r46`]).

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
    /// Whether `p` was replaced by the exact conditional p-value (`--wilcoxon exact`).
    pub conditional: bool,
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

/// The non-zero changes' magnitudes in increasing order, merged over equal |d|:
/// (|d|, positives, negatives). The runs are the tie groups both tests rank by.
fn magnitude_runs(changes: &[(f64, u64)]) -> Vec<(f64, u64, u64)> {
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
    runs
}

/// [`signed_rank`] on changes given with their counts (`(change, count)`, in any order): the
/// ranks of |change| follow from cumulative counts, so a million tied integer changes cost a
/// sort of a few distinct values. Same arithmetic, so the same bits, as on the expanded list.
pub fn signed_rank_counted(changes: &[(f64, u64)]) -> Option<SignedRank> {
    let zeroes = changes.iter().any(|&(d, c)| d == 0.0 && c > 0);
    let runs = magnitude_runs(changes);
    if runs.is_empty() {
        return None;
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
            conditional: false,
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
        conditional: false,
        n_nonzero: n,
    })
}

/// Which signed-rank test and Hodges-Lehmann estimate a run reports (`--wilcoxon`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum WilcoxonMethod {
    /// Current R (>= 4.6) `wilcox.test`: Pratt's zeros, exact (permutation) below 50 changes
    /// counting zeros, with ties too; [`super::wilcoxon_r46`].
    #[default]
    R,
    /// R 4.2.2's `wilcox.test` (zeros dropped; exact only without ties or zeros below 50
    /// non-zero changes), for reproducing reports made before R 4.6.
    #[serde(rename = "r-4.2")]
    R42,
    /// R 4.2.2's V and Hodges-Lehmann with the exact conditional p with ties and zeros (coin,
    /// Pratt), where feasible.
    Exact,
}

impl std::str::FromStr for WilcoxonMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<WilcoxonMethod, String> {
        match s.to_ascii_lowercase().as_str() {
            "r" | "default" => Ok(WilcoxonMethod::R),
            "r-4.2" | "r4.2" | "r-4.2.2" => Ok(WilcoxonMethod::R42),
            "exact" => Ok(WilcoxonMethod::Exact),
            _ => Err(format!(
                "{s:?} is not a Wilcoxon method (expected r, as current R's wilcox.test; r-4.2, as R 4.2.2's; or exact)"
            )),
        }
    }
}

impl WilcoxonMethod {
    /// The name `--wilcoxon` takes and summary.json records.
    pub fn name(self) -> &'static str {
        match self {
            WilcoxonMethod::R => "r",
            WilcoxonMethod::R42 => "r-4.2",
            WilcoxonMethod::Exact => "exact",
        }
    }
}

impl TryFrom<String> for WilcoxonMethod {
    type Error = String;

    fn try_from(s: String) -> Result<WilcoxonMethod, String> {
        s.parse()
    }
}

/// The method of a reported p-value, for the `wilcoxon_method` column.
pub fn method_name(result: &SignedRank) -> &'static str {
    match (result.conditional, result.exact) {
        (true, _) => "exact conditional",
        (false, true) => "exact",
        (false, false) => "normal",
    }
}

/// Work (non-zero changes x possible rank sums) above which the exact conditional
/// distribution is not enumerated: about a second on one core. UCLA totals have ~n^2 rank
/// sums, so this is reached near 1,000 non-zero changes, where the normal approximation is
/// as good as exact.
pub const EXACT_CONDITIONAL_BUDGET: u64 = 1_000_000_000;

/// The exact conditional signed-rank p-value, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExactConditional {
    /// Two-sided p-value.
    P(f64),
    /// Every change is zero.
    NoChanges,
    /// More work than [`EXACT_CONDITIONAL_BUDGET`].
    TooLarge,
}

/// Two-sided p-value of the signed-rank test from its exact permutation distribution given
/// the observed ranks, ties and zeros, as R `coin::wilcoxsign_test(distribution = "exact")`
/// with its default `zero.method = "Pratt"`: |change| is ranked with the zeros (average ranks
/// for ties), zeros then drop out, and the statistic is the rank sum of the positive changes
/// over all 2^n sign patterns of the non-zero ones. p = P(|T - E| >= |t - E|), computed on
/// doubled ranks (whole numbers), so "as extreme" is decided exactly rather than with coin's
/// sqrt(eps) fuzz.
pub fn signed_rank_exact_conditional(changes: &[(f64, u64)]) -> ExactConditional {
    let zeros: u64 = changes
        .iter()
        .filter(|&&(d, _)| d == 0.0)
        .map(|&(_, c)| c)
        .sum();
    let runs = magnitude_runs(changes);
    if runs.is_empty() {
        return ExactConditional::NoChanges;
    }
    // Tie groups: (doubled rank, size, positives).
    let mut groups: Vec<(u64, u64, u64)> = Vec::with_capacity(runs.len());
    let mut start = zeros;
    for (_, pos, neg) in runs {
        let size = pos + neg;
        groups.push((2 * start + size + 1, size, pos));
        start += size;
    }
    let n: u64 = groups.iter().map(|g| g.1).sum();
    let total: u64 = groups.iter().map(|g| g.0 * g.1).sum();
    if n.saturating_mul(total + 1) > EXACT_CONDITIONAL_BUDGET {
        return ExactConditional::TooLarge;
    }
    // P(T = s) over doubled rank sums s, one sign flip at a time.
    // Two buffers, so each flip is a streaming (vectorised) pass: next[s] = (p[s] + p[s-r]) / 2.
    let mut probability = vec![0.0f64; total as usize + 1];
    let mut next = probability.clone();
    probability[0] = 1.0;
    let mut reach = 0usize;
    for &(rank, size, _) in &groups {
        let r = rank as usize;
        for _ in 0..size {
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
    let observed: u64 = groups.iter().map(|g| g.0 * g.2).sum();
    // |2T - total| >= |2t - total|, in whole numbers.
    let distance = (2 * observed).abs_diff(total);
    if distance == 0 {
        return ExactConditional::P(1.0);
    }
    let p = sum(probability
        .iter()
        .enumerate()
        .filter(|&(s, _)| (2 * s as u64).abs_diff(total) >= distance)
        .map(|(_, &p)| p));
    ExactConditional::P(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2, coin 1.4-2: pre <- c(7,8,5,9,6,7,8,6,7,5,9,8); post <- c(5,6,5,7,5,4,7,6,6,6,6,8)
    // pvalue(wilcoxsign_test(post ~ pre, data = data.frame(pre, post), distribution = "exact"))
    // 0.01953125
    #[test]
    fn exact_conditional_equals_coin() {
        let pre = [7.0, 8.0, 5.0, 9.0, 6.0, 7.0, 8.0, 6.0, 7.0, 5.0, 9.0, 8.0];
        let post = [5.0, 6.0, 5.0, 7.0, 5.0, 4.0, 7.0, 6.0, 6.0, 6.0, 6.0, 8.0];
        let mut counted: Vec<(f64, u64)> = Vec::new();
        for (a, b) in pre.iter().zip(post) {
            counted.push((b - a, 1));
        }
        assert_eq!(
            signed_rank_exact_conditional(&counted),
            ExactConditional::P(0.01953125)
        );
    }

    // R 4.2.2, coin 1.4-2: pvalue(wilcoxsign_test(post ~ pre, data = data.frame(pre, post),
    //   distribution = "exact")) with
    // i <- 0:199; pre <- 20 + (i*37) %% 41; post <- pre + ((i*13) %% 11) - 6  # 2.0534613855127076e-05
    // i <- 0:59; pre <- 3 + (i*5) %% 7; post <- pre - ((i*3) %% 4) + 1        # 0.0023510396040933301
    // post <- c(4,4,4,5,5); pre <- c(5,5,5,6,5)                                 # 0.125
    // x <- c(1.5,-0.3,2.2,0.7,-1.1,3.4,0.2,1.9,-0.6,2.8) against 0             # 0.083984375
    #[test]
    fn exact_conditional_with_many_ties_equals_coin() {
        let counted = |changes: Vec<f64>| -> Vec<(f64, u64)> {
            changes.into_iter().map(|d| (d, 1)).collect()
        };
        let close =
            |changes: Vec<f64>, want: f64| match signed_rank_exact_conditional(&counted(changes)) {
                ExactConditional::P(p) => {
                    assert!(((p - want) / want).abs() < 1e-12, "{p} vs {want}")
                }
                other => panic!("{other:?}"),
            };
        close(
            (0..200).map(|i| f64::from((i * 13) % 11) - 6.0).collect(),
            2.0534613855127076e-05,
        );
        close(
            (0..60).map(|i| 1.0 - f64::from((i * 3) % 4)).collect(),
            0.0023510396040933301,
        );
        close(vec![-1.0, -1.0, -1.0, -1.0, 0.0], 0.125);
        close(
            vec![1.5, -0.3, 2.2, 0.7, -1.1, 3.4, 0.2, 1.9, -0.6, 2.8],
            0.083984375,
        );
        assert_eq!(
            signed_rank_exact_conditional(&[(0.0, 3)]),
            ExactConditional::NoChanges
        );
        assert_eq!(
            signed_rank_exact_conditional(&[(1.0, 5000), (-2.0, 5000)]),
            ExactConditional::TooLarge
        );
    }

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
