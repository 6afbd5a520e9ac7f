//! Multiple-comparison adjustment within a family of p-values, R's `p.adjust`.

use std::cmp::Ordering;

/// Adjustment method (`--p-adjust`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum PAdjust {
    /// Holm (1979) step-down: controls the family-wise error rate, uniformly better than Bonferroni.
    Holm,
    /// Benjamini-Hochberg: controls the false discovery rate.
    Bh,
    /// Bonferroni: p times the family size.
    Bonferroni,
    /// No adjustment.
    None,
}

impl PAdjust {
    /// The name used on the command line and in summary.json.
    pub fn name(self) -> &'static str {
        match self {
            PAdjust::Holm => "holm",
            PAdjust::Bh => "bh",
            PAdjust::Bonferroni => "bonferroni",
            PAdjust::None => "none",
        }
    }
}

/// [`p_adjust`] within families: `items` are (family, p), `None` for rows without a p (left
/// out of their family); the result holds each item's adjusted p. Rows with equal keys form a
/// family, in row order.
pub fn p_adjust_by_family<K: Ord>(items: &[(K, Option<f64>)], method: PAdjust) -> Vec<Option<f64>> {
    let mut families: std::collections::BTreeMap<&K, Vec<usize>> = Default::default();
    for (i, (key, p)) in items.iter().enumerate() {
        if p.is_some() {
            families.entry(key).or_default().push(i);
        }
    }
    let mut adjusted = vec![None; items.len()];
    for members in families.values() {
        let p: Vec<f64> = members.iter().filter_map(|&i| items[i].1).collect();
        for (&i, a) in members.iter().zip(p_adjust(&p, method)) {
            adjusted[i] = Some(a);
        }
    }
    adjusted
}

impl std::str::FromStr for PAdjust {
    type Err = String;

    /// Accepts R's names too (`BH`, `fdr`), in any case.
    fn from_str(s: &str) -> Result<PAdjust, String> {
        match s.to_ascii_lowercase().as_str() {
            "holm" => Ok(PAdjust::Holm),
            "bh" | "fdr" => Ok(PAdjust::Bh),
            "bonferroni" => Ok(PAdjust::Bonferroni),
            "none" => Ok(PAdjust::None),
            _ => Err(format!(
                "unknown p-value adjustment {s:?} (expected holm, bh, bonferroni or none)"
            )),
        }
    }
}

impl TryFrom<String> for PAdjust {
    type Error = String;

    /// Config files accept the same names as the command line.
    fn try_from(s: String) -> Result<PAdjust, String> {
        s.parse()
    }
}

/// R's `order(p)` (stable, ascending) or `order(p, decreasing = TRUE)` (stable, descending).
fn order(p: &[f64], decreasing: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&i, &j| {
        let o = p[i].partial_cmp(&p[j]).unwrap_or(Ordering::Equal);
        if decreasing {
            o.reverse()
        } else {
            o
        }
    });
    idx
}

/// Adjusted p-values in the input order, with R's arithmetic order so results are bit-equal:
/// holm `pmin(1, cummax((n - i + 1) * p[o]))`, BH `pmin(1, cummin(n / i * p[o]))`.
pub fn p_adjust(p: &[f64], method: PAdjust) -> Vec<f64> {
    let n = p.len();
    let nf = n as f64;
    let mut out = vec![0.0; n];
    match method {
        PAdjust::None => out.copy_from_slice(p),
        PAdjust::Bonferroni => {
            for (o, &v) in out.iter_mut().zip(p) {
                *o = (nf * v).min(1.0);
            }
        }
        PAdjust::Holm => {
            let mut running = f64::NEG_INFINITY;
            for (rank, &idx) in order(p, false).iter().enumerate() {
                running = running.max((nf - rank as f64) * p[idx]);
                out[idx] = running.min(1.0);
            }
        }
        PAdjust::Bh => {
            let mut running = f64::INFINITY;
            for (k, &idx) in order(p, true).iter().enumerate() {
                let i = (n - k) as f64;
                running = running.min(nf / i * p[idx]);
                out[idx] = running.min(1.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: [f64; 6] = [0.01, 0.04, 0.03, 0.005, 0.5, 0.04];

    #[test]
    fn holm_matches_r() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "holm")
        // [1] 0.05 0.12 0.12 0.03 0.50 0.12
        let got = p_adjust(&P, PAdjust::Holm);
        let want = [0.05, 0.12, 0.12, 0.03, 0.5, 0.12];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{got:?}");
        }
    }

    #[test]
    fn bh_matches_r() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "BH")
        // [1] 0.030 0.048 0.048 0.030 0.500 0.048
        let got = p_adjust(&P, PAdjust::Bh);
        let want = [0.03, 0.048, 0.048, 0.03, 0.5, 0.048];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{got:?}");
        }
    }

    #[test]
    fn bonferroni_caps_at_one() {
        let got = p_adjust(&P, PAdjust::Bonferroni);
        assert_eq!(got[4], 1.0);
        assert!((got[0] - 0.06).abs() < 1e-15);
        assert_eq!(p_adjust(&[], PAdjust::Holm), Vec::<f64>::new());
    }
}
