//! Every statistic of one paired comparison (one group, two timepoints), from the two score
//! vectors. This is the unit the pipeline calls once per group and comparison.

use super::describe::{mean_sd, MeanSd};
use super::effect::{cohens_dz, CohensDz};
use super::ttest::{paired_t, PairedT, TUnavailable};
use super::wilcoxon::{signed_rank, SignedRank};

/// Which direction of change is an improvement: for UCLA scales a fall in score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Lower scores are better (loneliness).
    Lower,
    /// Higher scores are better (wellbeing).
    Higher,
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
) -> PairedComparison {
    debug_assert_eq!(earlier.len(), later.len());
    let changes: Vec<f64> = later.iter().zip(earlier).map(|(b, a)| b - a).collect();
    let n = changes.len();
    let (mut n_improved, mut n_unchanged, mut n_worse) = (0, 0, 0);
    for &d in &changes {
        let better_change = match better {
            Better::Lower => d < 0.0,
            Better::Higher => d > 0.0,
        };
        if d == 0.0 {
            n_unchanged += 1;
        } else if better_change {
            n_improved += 1;
        } else {
            n_worse += 1;
        }
    }
    let change = mean_sd(&changes);
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
            if n_unchanged == n {
                notes.push("all changes are zero: no t test, Wilcoxon test or effect size");
            } else {
                notes.push("every change is the same: no t test or effect size");
            }
            None
        }
        Some(Ok(t)) => Some(t),
    };
    let wilcoxon = signed_rank(&changes);
    if wilcoxon.is_none() && n > 0 && n_unchanged < n {
        notes.push("no non-zero changes: no Wilcoxon test");
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
        earlier: mean_sd(earlier),
        later: mean_sd(later),
        change,
        t,
        wilcoxon,
        dz,
        n_improved,
        n_unchanged,
        n_worse,
        notes,
    }
}
