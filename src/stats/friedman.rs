//! Friedman's test of three related samples (pre, post, follow-up in the same people) and
//! Kendall's W, from sums that add across people.
//!
//! Each person's three scores are ranked among themselves (ties get their average rank), and
//! the test needs only n, the rank sum of each timepoint and the tie term sum(t^3 - t) over
//! tied groups: integers once ranks are doubled, so they add exactly in any order, across
//! cores, files or streaming partitions. R: `friedman.test(as.matrix(y))`, with
//!
//! ```text
//! STATISTIC = 12 * sum((R_j - n (k + 1) / 2)^2) / (n k (k + 1) - sum(t^3 - t) / (k - 1))
//! ```
//!
//! which for k = 3 and doubled rank sums D_j = 2 R_j is `6 sum((D_j - 4n)^2) / (24 n - ties)`,
//! on k - 1 = 2 degrees of freedom, where the chi-squared upper tail is `exp(-x / 2)`.

use crate::stats::sums::Additive;

/// The sums the test needs, for some set of people with all three scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FriedmanSums {
    /// People.
    pub n: u64,
    /// Twice the rank sum of each timepoint (ranks are whole or halves).
    pub doubled_rank_sums: [u64; 3],
    /// sum(t^3 - t) over each person's groups of tied scores.
    pub ties: u64,
}

impl FriedmanSums {
    /// One person's contribution.
    pub fn of_person(scores: [f64; 3]) -> FriedmanSums {
        let mut doubled = [0u64; 3];
        for (j, d) in doubled.iter_mut().enumerate() {
            let below = scores.iter().filter(|&&s| s < scores[j]).count() as u64;
            let equal = scores.iter().filter(|&&s| s == scores[j]).count() as u64;
            // Average rank = below + (equal + 1) / 2, doubled.
            *d = 2 * below + equal + 1;
        }
        let distinct = {
            let mut s = scores;
            s.sort_by(f64::total_cmp);
            1 + usize::from(s[1] != s[0]) + usize::from(s[2] != s[1])
        };
        let ties = match distinct {
            1 => 24, // one tie of 3: 27 - 3
            2 => 6,  // one tie of 2: 8 - 2
            _ => 0,
        };
        FriedmanSums {
            n: 1,
            doubled_rank_sums: doubled,
            ties,
        }
    }
}

impl Additive for FriedmanSums {
    fn add(&mut self, other: &FriedmanSums) {
        self.n += other.n;
        for (a, b) in self
            .doubled_rank_sums
            .iter_mut()
            .zip(other.doubled_rank_sums)
        {
            *a += b;
        }
        self.ties += other.ties;
    }

    fn add_times(&mut self, other: &FriedmanSums, times: u64) {
        self.n += other.n * times;
        for (a, b) in self
            .doubled_rank_sums
            .iter_mut()
            .zip(other.doubled_rank_sums)
        {
            *a += b * times;
        }
        self.ties += other.ties * times;
    }
}

/// Friedman's test and Kendall's W for one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Friedman {
    /// People with all three scores.
    pub n: u64,
    /// Mean rank of pre, post and follow-up (1 to 3; 2 everywhere means no change).
    pub mean_ranks: [f64; 3],
    /// Friedman chi-squared.
    pub statistic: f64,
    /// Degrees of freedom (k - 1 = 2).
    pub df: f64,
    /// Upper tail of chi-squared on 2 df.
    pub p: f64,
    /// Kendall's coefficient of concordance, W = statistic / (n (k - 1)): 0 no consistent
    /// ordering of the timepoints across people, 1 everyone orders them the same way.
    pub kendalls_w: f64,
}

/// Why there is no test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoFriedman {
    /// Nobody has all three scores.
    Empty,
    /// Every person's three scores are equal (R: NaN).
    AllTied,
}

/// The test from the sums; R `friedman.test`.
pub fn friedman(sums: &FriedmanSums) -> Result<Friedman, NoFriedman> {
    if sums.n == 0 {
        return Err(NoFriedman::Empty);
    }
    let n = sums.n as i128;
    let denominator = 24 * n - i128::from(sums.ties);
    if denominator <= 0 {
        return Err(NoFriedman::AllTied);
    }
    let squares: i128 = sums
        .doubled_rank_sums
        .iter()
        .map(|&d| (i128::from(d) - 4 * n).pow(2))
        .sum();
    let statistic = (6 * squares) as f64 / denominator as f64;
    let nf = sums.n as f64;
    Ok(Friedman {
        n: sums.n,
        mean_ranks: sums.doubled_rank_sums.map(|d| d as f64 / (2.0 * nf)),
        statistic,
        df: 2.0,
        p: (-statistic / 2.0).exp(),
        kendalls_w: statistic / (2.0 * nf),
    })
}

/// The test on rows of three scores (people × timepoints), for tests and small data.
pub fn friedman_rows(rows: &[[f64; 3]]) -> Result<Friedman, NoFriedman> {
    let mut sums = FriedmanSums::default();
    for row in rows {
        sums.add(&FriedmanSums::of_person(*row));
    }
    friedman(&sums)
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

    fn check(rows: &[[f64; 3]], statistic: f64, p: f64, ranks: [f64; 3], w: f64) {
        let f = friedman_rows(rows).expect("a test");
        assert!(
            rel(f.statistic, statistic) < 1e-12,
            "{} vs {statistic}",
            f.statistic
        );
        assert!(rel(f.p, p) < 1e-12, "{} vs {p}", f.p);
        assert!(rel(f.kendalls_w, w) < 1e-12, "{} vs {w}", f.kendalls_w);
        for (got, want) in f.mean_ranks.iter().zip(ranks) {
            assert!(rel(*got, want) < 1e-15, "{got} vs {want}");
        }
        assert_eq!(f.df, 2.0);
    }

    // R 4.2.2: f <- function(y) { ft <- friedman.test(y); r <- t(apply(y, 1, rank));
    //   sprintf("%.17g", c(ft$statistic, ft$p.value, colMeans(r),
    //   effectsize::kendalls_w(y, verbose = FALSE)$Kendalls_W)) }
    #[test]
    fn matches_r_with_ties() {
        // y <- matrix(c(7,5,6, 8,4,5, 6,6,7, 9,5,5, 7,3,4, 5,5,5, 8,6,9, 6,4,4, 7,6,6, 9,7,8),
        //   ncol = 3, byrow = TRUE); f(y)
        let a = [
            [7.0, 5.0, 6.0],
            [8.0, 4.0, 5.0],
            [6.0, 6.0, 7.0],
            [9.0, 5.0, 5.0],
            [7.0, 3.0, 4.0],
            [5.0, 5.0, 5.0],
            [8.0, 6.0, 9.0],
            [6.0, 4.0, 4.0],
            [7.0, 6.0, 6.0],
            [9.0, 7.0, 8.0],
        ];
        check(
            &a,
            11.4375,
            0.0032838131043135921,
            [2.6499999999999999, 1.3, 2.0499999999999998],
            0.57187500000000002,
        );
        // matrix(c(3,9,6, 4,4,8), ncol = 3, byrow = TRUE): two people
        check(
            &[[3.0, 9.0, 6.0], [4.0, 4.0, 8.0]],
            2.0,
            0.36787944117144233,
            [1.25, 2.25, 2.5],
            0.5,
        );
        // matrix(c(5,5,5, 6,6,6, 7,7,7, 3,8,5), ncol = 3, byrow = TRUE): all tied but one
        check(
            &[
                [5.0, 5.0, 5.0],
                [6.0, 6.0, 6.0],
                [7.0, 7.0, 7.0],
                [3.0, 8.0, 5.0],
            ],
            2.0,
            0.36787944117144233,
            [1.75, 2.25, 2.0],
            0.25,
        );
    }

    #[test]
    fn matches_r_with_fractional_scores_and_counts() {
        // matrix(c(6.5,4,4.5, 7,7,3, 3,3.5,3, 9,4.5,6, 4,8,6, 5.5,5.5,5.5, 8,3,6), ncol = 3,
        //   byrow = TRUE)
        check(
            &[
                [6.5, 4.0, 4.5],
                [7.0, 7.0, 3.0],
                [3.0, 3.5, 3.0],
                [9.0, 4.5, 6.0],
                [4.0, 8.0, 6.0],
                [5.5, 5.5, 5.5],
                [8.0, 3.0, 6.0],
            ],
            1.1818181818181819,
            0.55382357983075858,
            [2.2857142857142856, 1.9285714285714286, 1.7857142857142858],
            0.084415584415584416,
        );
        // big <- matrix(c(9,3,3, 3,9,9, 9,9,3, 3,3,9, 5,5,6, 6,5,5), ncol = 3, byrow = TRUE)
        // f(big[rep(1:6, times = c(400, 1, 250, 3, 7, 12)), ])
        let rows: Vec<[f64; 3]> = [
            ([9.0, 3.0, 3.0], 400),
            ([3.0, 9.0, 9.0], 1),
            ([9.0, 9.0, 3.0], 250),
            ([3.0, 3.0, 9.0], 3),
            ([5.0, 5.0, 6.0], 7),
            ([6.0, 5.0, 5.0], 12),
        ]
        .iter()
        .flat_map(|&(row, times)| std::iter::repeat_n(row, times))
        .collect();
        check(
            &rows,
            966.30312035661223,
            1.478915945959772e-210,
            [2.789004457652303, 1.8729569093610698, 1.338038632986627],
            0.7179072216616732,
        );
    }

    #[test]
    fn no_test_without_people_or_without_any_difference() {
        // R: friedman.test(matrix(c(5,5,5, 6,6,6), ncol = 3, byrow = TRUE)) gives NaN.
        assert_eq!(
            friedman_rows(&[[5.0, 5.0, 5.0], [6.0, 6.0, 6.0]]),
            Err(NoFriedman::AllTied)
        );
        assert_eq!(friedman_rows(&[]), Err(NoFriedman::Empty));
    }

    #[test]
    fn sums_add_in_any_order() {
        let rows = [
            [7.0, 5.0, 6.0],
            [5.0, 5.0, 5.0],
            [3.0, 9.0, 9.0],
            [4.5, 4.5, 2.0],
        ];
        let mut forward = FriedmanSums::default();
        let mut backward = FriedmanSums::default();
        for r in &rows {
            forward.add(&FriedmanSums::of_person(*r));
        }
        for r in rows.iter().rev() {
            backward.add(&FriedmanSums::of_person(*r));
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.n, 4);
        // Doubled ranks of one person always total 12 (ranks 1 + 2 + 3, doubled).
        assert_eq!(forward.doubled_rank_sums.iter().sum::<u64>(), 48);
    }
}
