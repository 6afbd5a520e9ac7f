//! Does change differ between groups? Kruskal-Wallis, Welch's one-way ANOVA and the ANCOVA of
//! the later score on the earlier one plus group, each from counted (earlier, later) pairs
//! per group, so they need no person-level data.

use super::describe::weighted_mean_sd;
use super::special::beta_tails;

/// R `kruskal.test(change, group)` with `rank_epsilon_squared`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KruskalWallis {
    /// H, corrected for ties.
    pub statistic: f64,
    /// Groups - 1.
    pub df: f64,
    /// Upper tail of chi-squared.
    pub p: f64,
    /// Epsilon squared, H / ((N^2 - 1) / (N + 1)) (effectsize::rank_epsilon_squared).
    pub epsilon_squared: f64,
}

/// An F test: Welch's ANOVA or the ANCOVA's test of group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FTest {
    /// F.
    pub statistic: f64,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom.
    pub df2: f64,
    /// Upper tail of F.
    pub p: f64,
    /// Partial eta squared of group (ANCOVA only).
    pub partial_eta_squared: Option<f64>,
}

/// Upper tail of the F distribution: `I_{d2 / (d2 + d1 F)}(d2 / 2, d1 / 2)`.
pub fn pf_upper(f: f64, d1: f64, d2: f64) -> f64 {
    let denominator = d2 + d1 * f;
    beta_tails(d2 / denominator, d1 * f / denominator, d2 / 2.0, d1 / 2.0).0
}

/// Upper tail of chi-squared on `df` degrees of freedom (R `pchisq(x, df, lower.tail =
/// FALSE)`), as the limit of F: `Q(df / 2, x / 2)` through the regularised gamma.
pub fn pchisq_upper(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    statrs::function::gamma::gamma_ur(df / 2.0, x / 2.0)
}

/// Kruskal-Wallis on counted values per group (empty groups left out, as R drops unused
/// levels); `None` with fewer than two groups or when every value is the same.
pub fn kruskal_wallis(groups: &[Vec<(f64, u64)>]) -> Option<KruskalWallis> {
    let groups: Vec<&Vec<(f64, u64)>> = groups
        .iter()
        .filter(|g| g.iter().any(|v| v.1 > 0))
        .collect();
    if groups.len() < 2 {
        return None;
    }
    // Distinct values in order with each group's count.
    let mut all: Vec<(f64, usize, u64)> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.iter().map(move |&(v, c)| (v + 0.0, i, c)))
        .filter(|v| v.2 > 0)
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: f64 = all.iter().map(|v| v.2 as f64).sum();
    let mut rank_sums = vec![0.0f64; groups.len()];
    let mut sizes = vec![0.0f64; groups.len()];
    let (mut below, mut ties) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        let mut t = 0.0;
        while j < all.len() && all[j].0 == all[i].0 {
            t += all[j].2 as f64;
            j += 1;
        }
        let rank = below + (t + 1.0) / 2.0;
        for &(_, g, c) in &all[i..j] {
            rank_sums[g] += c as f64 * rank;
            sizes[g] += c as f64;
        }
        ties += t * t * t - t;
        below += t;
        i = j;
    }
    let correction = 1.0 - ties / (n * n * n - n);
    if correction <= 0.0 {
        return None;
    }
    let sum: f64 = rank_sums.iter().zip(&sizes).map(|(r, s)| r * r / s).sum();
    let statistic = (12.0 * sum / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / correction;
    let df = (groups.len() - 1) as f64;
    Some(KruskalWallis {
        statistic,
        df,
        p: pchisq_upper(statistic, df),
        epsilon_squared: statistic / ((n * n - 1.0) / (n + 1.0)),
    })
}

/// Welch's one-way ANOVA of counted values per group, R `oneway.test(y ~ g)`; `None` with
/// fewer than two groups, or a group of fewer than two people or with no spread.
pub fn welch_anova(groups: &[Vec<(f64, u64)>]) -> Option<FTest> {
    let stats: Vec<_> = groups
        .iter()
        .filter(|g| g.iter().any(|v| v.1 > 0))
        .map(|g| weighted_mean_sd(g))
        .collect::<Option<Vec<_>>>()?;
    let k = stats.len() as f64;
    if stats.len() < 2 {
        return None;
    }
    let mut weights = Vec::with_capacity(stats.len());
    for s in &stats {
        let var = s.var.filter(|&v| v > 0.0)?;
        weights.push(s.n as f64 / var);
    }
    let sum_w: f64 = weights.iter().sum();
    let weighted_mean = stats
        .iter()
        .zip(&weights)
        .map(|(s, w)| w * s.mean)
        .sum::<f64>()
        / sum_w;
    let tmp = stats
        .iter()
        .zip(&weights)
        .map(|(s, w)| (1.0 - w / sum_w).powi(2) / (s.n as f64 - 1.0))
        .sum::<f64>()
        / (k * k - 1.0);
    let between = stats
        .iter()
        .zip(&weights)
        .map(|(s, w)| w * (s.mean - weighted_mean).powi(2))
        .sum::<f64>();
    let statistic = between / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * tmp));
    let (df1, df2) = (k - 1.0, 1.0 / (3.0 * tmp));
    Some(FTest {
        statistic,
        df1,
        df2,
        p: pf_upper(statistic, df1, df2),
        partial_eta_squared: None,
    })
}

/// ANCOVA of the later score on the earlier one plus group (common slope): the F test of
/// group, R `anova(lm(y ~ x), lm(y ~ x + g))`, with partial eta squared SS_group /
/// (SS_group + SS_residual) (effectsize on car::Anova type II). `None` with fewer than two
/// groups, no spread in the earlier scores within groups, or no residual degrees of freedom.
pub fn ancova(groups: &[Vec<((f64, f64), u64)>]) -> Option<FTest> {
    let groups: Vec<&Vec<((f64, f64), u64)>> = groups
        .iter()
        .filter(|g| g.iter().any(|v| v.1 > 0))
        .collect();
    let k = groups.len() as f64;
    let n: f64 = groups
        .iter()
        .flat_map(|g| g.iter())
        .map(|v| v.1 as f64)
        .sum();
    if groups.len() < 2 || n - k - 1.0 < 1.0 {
        return None;
    }
    // Centred cross-products within groups, and about the grand means.
    let means = |pairs: &mut dyn Iterator<Item = &((f64, f64), u64)>| {
        let (mut sx, mut sy, mut c) = (0.0, 0.0, 0.0);
        for &((x, y), count) in pairs {
            let w = count as f64;
            sx += w * x;
            sy += w * y;
            c += w;
        }
        (sx / c, sy / c)
    };
    let products = |pairs: &mut dyn Iterator<Item = &((f64, f64), u64)>, (mx, my): (f64, f64)| {
        let (mut xx, mut xy, mut yy) = (0.0, 0.0, 0.0);
        for &((x, y), count) in pairs {
            let (dx, dy, w) = (x - mx, y - my, count as f64);
            xx += w * dx * dx;
            xy += w * dx * dy;
            yy += w * dy * dy;
        }
        (xx, xy, yy)
    };
    let (mut wxx, mut wxy, mut wyy) = (0.0, 0.0, 0.0);
    for g in &groups {
        let m = means(&mut g.iter());
        let (xx, xy, yy) = products(&mut g.iter(), m);
        wxx += xx;
        wxy += xy;
        wyy += yy;
    }
    let grand = means(&mut groups.iter().flat_map(|g| g.iter()));
    let (txx, txy, tyy) = products(&mut groups.iter().flat_map(|g| g.iter()), grand);
    if wxx <= 0.0 || txx <= 0.0 {
        return None;
    }
    let residual = (wyy - wxy * wxy / wxx).max(0.0);
    let reduced = (tyy - txy * txy / txx).max(0.0);
    let ss_group = (reduced - residual).max(0.0);
    let (df1, df2) = (k - 1.0, n - k - 1.0);
    if residual <= 0.0 {
        return None;
    }
    let statistic = (ss_group / df1) / (residual / df2);
    Some(FTest {
        statistic,
        df1,
        df2,
        p: pf_upper(statistic, df1, df2),
        partial_eta_squared: Some(ss_group / (ss_group + residual)),
    })
}

/// Welch's two-sample t test, R `t.test(x, y)` (var.equal = FALSE): t, df, two-sided p.
pub fn welch_t(x: &[(f64, u64)], y: &[(f64, u64)]) -> Option<(f64, f64, f64)> {
    let (a, b) = (weighted_mean_sd(x)?, weighted_mean_sd(y)?);
    let (va, vb) = (a.var? / a.n as f64, b.var? / b.n as f64);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let t = (a.mean - b.mean) / se2.sqrt();
    let df = se2 * se2 / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    Some((t, df, super::dist::pt_two_sided(t, df)))
}

/// Pearson's chi-squared test of independence of an r × c table of counts, R
/// `chisq.test(table)` (with Yates' continuity correction for 2 × 2 tables, as R's default):
/// statistic, df, p. Rows or columns that are all zero are left out; `None` when fewer than
/// two rows or columns remain.
pub fn chisq_independence(table: &[Vec<u64>]) -> Option<(f64, f64, f64)> {
    let columns = table.first()?.len();
    let col_totals: Vec<u64> = (0..columns)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let keep_cols: Vec<usize> = (0..columns).filter(|&j| col_totals[j] > 0).collect();
    let rows: Vec<&Vec<u64>> = table.iter().filter(|r| r.iter().sum::<u64>() > 0).collect();
    if rows.len() < 2 || keep_cols.len() < 2 {
        return None;
    }
    let n: f64 = rows.iter().flat_map(|r| r.iter()).sum::<u64>() as f64;
    let yates = rows.len() == 2 && keep_cols.len() == 2;
    let mut statistic = 0.0;
    for r in &rows {
        let row_total = r.iter().sum::<u64>() as f64;
        for &j in &keep_cols {
            let expected = row_total * col_totals[j] as f64 / n;
            let mut d = (r[j] as f64 - expected).abs();
            if yates {
                // R: YATES <- min(0.5, abs(x - E)).
                d -= d.min(0.5);
            }
            statistic += d * d / expected;
        }
    }
    let df = ((rows.len() - 1) * (keep_cols.len() - 1)) as f64;
    Some((statistic, df, pchisq_upper(statistic, df)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    fn counted(values: &[f64]) -> Vec<(f64, u64)> {
        let mut out: Vec<(f64, u64)> = Vec::new();
        for &v in values {
            match out.iter_mut().find(|o| o.0 == v) {
                Some(o) => o.1 += 1,
                None => out.push((v, 1)),
            }
        }
        out
    }

    // R 4.2.2:
    // g <- factor(c(rep("a", 5), rep("b", 4), rep("c", 6)))
    // d <- c(-3,-2,-2,0,1, -1,0,0,2, -4,-3,-3,-2,-2,0)
    // x <- c(7,8,6,9,7, 6,5,7,8, 9,8,9,7,8,6); y <- x + d
    const D: [&[f64]; 3] = [
        &[-3.0, -2.0, -2.0, 0.0, 1.0],
        &[-1.0, 0.0, 0.0, 2.0],
        &[-4.0, -3.0, -3.0, -2.0, -2.0, 0.0],
    ];
    const X: [&[f64]; 3] = [
        &[7.0, 8.0, 6.0, 9.0, 7.0],
        &[6.0, 5.0, 7.0, 8.0],
        &[9.0, 8.0, 9.0, 7.0, 8.0, 6.0],
    ];

    #[test]
    fn kruskal_wallis_matches_r() {
        // k <- kruskal.test(d, g); c(k$statistic, k$parameter, k$p.value,
        //   k$statistic / ((15^2 - 1) / 16))
        let groups: Vec<_> = D.iter().map(|d| counted(d)).collect();
        let k = kruskal_wallis(&groups).expect("a test");
        assert!(
            rel(k.statistic, 5.33227611940299) < 1e-13,
            "{}",
            k.statistic
        );
        assert_eq!(k.df, 2.0);
        assert!(rel(k.p, 0.069520190368510745) < 1e-12, "{}", k.p);
        assert!(rel(k.epsilon_squared, 0.38087686567164214) < 1e-13);
        // All values equal: no test (R gives NaN).
        assert!(kruskal_wallis(&[vec![(1.0, 3)], vec![(1.0, 2)]]).is_none());
        assert!(kruskal_wallis(&[vec![(1.0, 3)], vec![]]).is_none());
    }

    #[test]
    fn welch_anova_matches_r() {
        // o <- oneway.test(d ~ g); c(o$statistic, o$parameter, o$p.value)
        let groups: Vec<_> = D.iter().map(|d| counted(d)).collect();
        let w = welch_anova(&groups).expect("a test");
        assert!(
            rel(w.statistic, 4.3324702321638933) < 1e-13,
            "{}",
            w.statistic
        );
        assert_eq!(w.df1, 2.0);
        assert!(rel(w.df2, 7.4522157135386271) < 1e-13, "{}", w.df2);
        assert!(rel(w.p, 0.056460237655133312) < 1e-12, "{}", w.p);
    }

    #[test]
    fn welch_t_and_chisq_match_r() {
        // t <- t.test(c(7,8,6,9,7,5,6), c(6,5,7,8,9,9,9,8))
        let (t, df, p) = welch_t(
            &counted(&[7.0, 8.0, 6.0, 9.0, 7.0, 5.0, 6.0]),
            &counted(&[6.0, 5.0, 7.0, 8.0, 9.0, 9.0, 9.0, 8.0]),
        )
        .expect("a test");
        assert!(rel(t, -1.0430054481053339) < 1e-13, "{t}");
        assert!(rel(df, 12.987577453592783) < 1e-13, "{df}");
        assert!(rel(p, 0.31597217718475379) < 1e-12, "{p}");
        // chisq.test(matrix(c(30, 12, 8, 20, 5, 9), 2)); chisq.test(matrix(c(30, 12, 8, 20), 2))
        let (x2, df, p) = chisq_independence(&[vec![30, 8, 5], vec![12, 20, 9]]).expect("a test");
        assert!(rel(x2, 13.960294951786729) < 1e-13, "{x2}");
        assert_eq!(df, 2.0);
        assert!(rel(p, 0.00093016601602510665) < 1e-12, "{p}");
        let (x2, df, p) = chisq_independence(&[vec![30, 8], vec![12, 20]]).expect("a test");
        assert!(rel(x2, 10.767201206140349) < 1e-13, "Yates: {x2}");
        assert_eq!(df, 1.0);
        assert!(rel(p, 0.0010331461913505036) < 1e-12, "{p}");
        assert!(chisq_independence(&[vec![3, 0], vec![4, 0]]).is_none());
    }

    #[test]
    fn ancova_matches_r() {
        // m <- lm(y ~ x + g); a <- anova(lm(y ~ x), m)
        // c(a$F[2], a$Df[2], a$Res.Df[2], a$"Pr(>F)"[2]); ss <- a$"Sum of Sq"[2];
        // ss / (ss + a$RSS[2])  # = effectsize::eta_squared(car::Anova(m, type = 2))[2]
        let groups: Vec<Vec<((f64, f64), u64)>> = X
            .iter()
            .zip(D)
            .map(|(x, d)| {
                x.iter()
                    .zip(d.iter())
                    .map(|(&x, &d)| ((x, x + d), 1))
                    .collect()
            })
            .collect();
        let a = ancova(&groups).expect("a test");
        assert!(
            rel(a.statistic, 2.6187440729032869) < 1e-12,
            "{}",
            a.statistic
        );
        assert_eq!((a.df1, a.df2), (2.0, 11.0));
        assert!(rel(a.p, 0.11743731403742287) < 1e-12, "{}", a.p);
        assert!(rel(a.partial_eta_squared.expect("eta"), 0.3225553175944389) < 1e-12);
    }
}
