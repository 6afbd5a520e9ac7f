//! Every statistic of one paired comparison (one group, two timepoints), from its distinct
//! (earlier, later) score pairs with counts, or from two paired score vectors. This is the
//! unit the pipeline calls once per group and comparison.

use super::describe::{weighted_mean_sd, MeanSd};
use super::effect::{cohens_dz, CohensDz};
use super::hodges_lehmann::{hodges_lehmann, HodgesLehmann};
use super::ttest::{paired_t, PairedT, TUnavailable};
use super::wilcoxon::{
    signed_rank_counted, signed_rank_exact_conditional, ExactConditional, SignedRank,
    WilcoxonMethod,
};
use super::wilcoxon_r46;

/// Which direction of change is an improvement: for UCLA scales a fall in score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Lower scores are better (loneliness).
    Lower,
    /// Higher scores are better (wellbeing).
    Higher,
}

impl Better {
    /// Which count a change of `d` adds to: 0 improved, 1 unchanged, 2 worse (the order of
    /// n_improved, n_unchanged, n_worse). The one place that says what improving is, for the
    /// counts and for the disclosure control that must split people the same way.
    pub fn direction(self, d: f64) -> usize {
        let improved = match self {
            Better::Lower => d < 0.0,
            Better::Higher => d > 0.0,
        };
        if d == 0.0 {
            1
        } else if improved {
            0
        } else {
            2
        }
    }
}

/// All results for one group and comparison; a statistic that does not exist is `None` and
/// `notes` says why.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedComparison {
    /// People with valid scores at both timepoints.
    pub n: usize,
    /// Mean and variance at the earlier timepoint.
    pub earlier: Option<MeanSd>,
    /// Mean and variance at the later timepoint.
    pub later: Option<MeanSd>,
    /// Mean and variance of change (later - earlier).
    pub change: Option<MeanSd>,
    /// Paired t test.
    pub t: Option<PairedT>,
    /// Wilcoxon signed-rank test.
    pub wilcoxon: Option<SignedRank>,
    /// Hodges-Lehmann estimate of the median change with its interval.
    pub hodges_lehmann: Option<HodgesLehmann>,
    /// Cohen's dz with its CI.
    pub dz: Option<CohensDz>,
    /// People whose score moved in the better direction.
    pub n_improved: usize,
    /// People whose score did not change.
    pub n_unchanged: usize,
    /// People whose score moved in the worse direction.
    pub n_worse: usize,
    /// Reasons for missing statistics, in a fixed order.
    pub notes: Vec<&'static str>,
}

impl PairedComparison {
    /// Share improved as a percentage; `None` for an empty group.
    pub fn pct_improved(&self) -> Option<f64> {
        (self.n > 0).then(|| self.n_improved as f64 / self.n as f64 * 100.0)
    }
}

/// Compares `later` with `earlier` (equal length, paired by position).
pub fn compare_paired(
    earlier: &[f64],
    later: &[f64],
    better: Better,
    conf_level: f64,
    method: WilcoxonMethod,
) -> PairedComparison {
    debug_assert_eq!(earlier.len(), later.len());
    let pairs: Vec<((f64, f64), u64)> = earlier
        .iter()
        .zip(later)
        .map(|(&a, &b)| ((a, b), 1))
        .collect();
    compare_counted(&pairs, better, conf_level, method)
}

/// [`compare_paired`] on distinct (earlier, later) pairs with their counts, as
/// [`crate::stats::tally`] produces them: every statistic is computed from the counts.
pub fn compare_counted(
    pairs: &[((f64, f64), u64)],
    better: Better,
    conf_level: f64,
    method: WilcoxonMethod,
) -> PairedComparison {
    let changes: Vec<(f64, u64)> = pairs.iter().map(|&((a, b), c)| (b - a, c)).collect();
    let n = changes.iter().map(|c| c.1).sum::<u64>() as usize;
    let mut directions = [0usize; 3];
    for &(d, count) in &changes {
        directions[better.direction(d)] += count as usize;
    }
    let [n_improved, n_unchanged, n_worse] = directions;
    let change = weighted_mean_sd(&changes);
    let mut notes = Vec::new();
    let t = match change.as_ref().map(|c| paired_t(c, conf_level)) {
        None if n > 0 => {
            notes.push("scores too large for floating-point sums: no means, t test or effect size");
            None
        }
        None | Some(Err(TUnavailable::TooFew)) => {
            notes.push("fewer than 2 pairs: no sd, t test or effect size");
            None
        }
        Some(Err(TUnavailable::ConstantChange)) => {
            if n_unchanged == n && method != WilcoxonMethod::R {
                notes.push("all changes are zero: no t test, Wilcoxon test or effect size");
            } else if n_unchanged == n {
                notes.push("all changes are zero: no t test or effect size");
            } else {
                notes.push("every change is the same: no t test or effect size");
            }
            None
        }
        Some(Ok(t)) => Some(t),
    };
    let mut wilcoxon = match method {
        WilcoxonMethod::R => wilcoxon_r46::signed_rank(&changes),
        WilcoxonMethod::R42 | WilcoxonMethod::Exact => signed_rank_counted(&changes),
    };
    if wilcoxon.is_none() && n > 0 && n_unchanged < n {
        notes.push("no non-zero changes: no Wilcoxon test");
    }
    if let (Some(w), WilcoxonMethod::Exact) = (wilcoxon.as_mut(), method) {
        match signed_rank_exact_conditional(&changes) {
            ExactConditional::P(p) => {
                w.p = p;
                w.conditional = true;
            }
            ExactConditional::TooLarge => notes.push(
                "too many changes to enumerate the exact Wilcoxon distribution: normal approximation",
            ),
            ExactConditional::NoChanges => {}
        }
    }
    let hodges_lehmann = match method {
        WilcoxonMethod::R => wilcoxon_r46::hodges_lehmann(&changes, conf_level),
        WilcoxonMethod::R42 | WilcoxonMethod::Exact => hodges_lehmann(&changes, conf_level),
    };
    match hodges_lehmann.and_then(|h| h.ci) {
        Some((low, high)) if low.is_infinite() || high.is_infinite() => notes.push(
            "too few changes for a bounded Hodges-Lehmann interval at this confidence level: the open end is left empty",
        ),
        None if hodges_lehmann.is_some() => notes.push(
            "too few distinct changes for the Hodges-Lehmann interval at this confidence level",
        ),
        _ => {}
    }
    let dz = match (t, change.as_ref().and_then(MeanSd::sd)) {
        (Some(t), Some(sd)) => {
            let mean = change.as_ref().map_or(0.0, |c| c.mean);
            let dz = cohens_dz(mean / sd, t.t, t.df, n, conf_level);
            if dz.is_none() {
                notes.push("the confidence interval of dz could not be found");
            }
            dz
        }
        _ => None,
    };
    PairedComparison {
        n,
        earlier: weighted_mean_sd(&pairs.iter().map(|&((a, _), c)| (a, c)).collect::<Vec<_>>()),
        later: weighted_mean_sd(&pairs.iter().map(|&((_, b), c)| (b, c)).collect::<Vec<_>>()),
        change,
        t,
        wilcoxon,
        hodges_lehmann,
        dz,
        n_improved,
        n_unchanged,
        n_worse,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tally::tally_pairs;

    #[test]
    fn counted_pairs_give_the_statistics_of_the_expanded_pairs() {
        // 600 UCLA-3-like pairs: 49 possible pairs, heavy ties.
        let earlier: Vec<f64> = (0..600).map(|i| f64::from(3 + (i * 7) % 7)).collect();
        let later: Vec<f64> = (0..600)
            .map(|i| f64::from(3 + (i * 11 + i / 5) % 7))
            .collect();
        let expanded = compare_paired(&earlier, &later, Better::Lower, 0.95, Default::default());
        let counted = compare_counted(
            &tally_pairs(&earlier, &later),
            Better::Lower,
            0.95,
            Default::default(),
        );
        let close =
            |a: f64, b: f64| assert!((a - b).abs() <= 1e-13 * b.abs().max(1e-300), "{a} vs {b}");
        assert_eq!(
            (
                counted.n,
                counted.n_improved,
                counted.n_unchanged,
                counted.n_worse
            ),
            (
                expanded.n,
                expanded.n_improved,
                expanded.n_unchanged,
                expanded.n_worse
            )
        );
        let (c, e) = (
            counted.change.expect("n > 0"),
            expanded.change.expect("n > 0"),
        );
        assert_eq!(c.mean, e.mean, "integer sums are exact either way");
        close(c.var.expect("n > 1"), e.var.expect("n > 1"));
        let (ct, et) = (counted.t.expect("t"), expanded.t.expect("t"));
        close(ct.t, et.t);
        close(ct.p, et.p);
        let (cw, ew) = (counted.wilcoxon.expect("w"), expanded.wilcoxon.expect("w"));
        assert_eq!(
            (cw.v, cw.p, cw.exact),
            (ew.v, ew.p, ew.exact),
            "ranks from counts are exact"
        );
        close(
            counted.dz.expect("dz").ci_low,
            expanded.dz.expect("dz").ci_low,
        );
    }
}
