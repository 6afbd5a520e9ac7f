//! The linear mixed model `score ~ timepoint + (1 | person)` fitted by REML on every score a
//! person has, with Satterthwaite degrees of freedom for its fixed effects and contrasts, as R
//! `lmerTest::lmer(score ~ time + (1 | id), REML = TRUE)`.
//!
//! With a random intercept only, a person's covariance is `sigma^2 (I + gamma J)` (gamma the
//! ratio of intercept to residual variance), whose inverse is `(I - w J) / sigma^2` with
//! `w = gamma / (1 + n gamma)` for a person with `n` scores. Everything REML needs then
//! depends on a person only through which timepoints they have (their *pattern*, one of
//! seven) and sums of their scores and score products: [`MixedSums`], which add exactly (in
//! fixed point) across people, cores and streaming partitions. The fit is a one-dimensional
//! root search for gamma on the analytic derivative of the profiled REML criterion; no
//! matrix is larger than 3 x 3 however many people there are.
//!
//! Satterthwaite's degrees of freedom follow lmerTest: with `varpar = (theta, sigma)`
//! (`theta = sqrt(gamma)`, lme4's parameter), `df = 2 (l'Cl)^2 / (g' V g)` where `C` is the
//! covariance of the fixed effects, `g` the gradient of `l'Cl` in `varpar` and `V` twice the
//! inverse Hessian of the REML deviance in `varpar`. lmerTest takes both derivatives
//! numerically (numDeriv); here the first derivatives are analytic and the second ones are
//! central differences of them, so the two agree to the accuracy of numDeriv.

use crate::stats::dist::{pt_two_sided, qt_upper};
use crate::stats::roots::brent;
use crate::stats::sums::{Accumulate, Additive};
use nalgebra::{DMatrix, DVector, Matrix2, SymmetricEigen, Vector2};

/// Scores are summed in units of 1e-9 so that sums are exact integers, the same in any order
/// (whole-number totals, as every UCLA form gives, are exact in either case).
const FIXED: f64 = 1e9;

/// Largest score magnitude the fixed-point sums hold (far beyond any scale's range).
const MAX_SCORE: f64 = 1e8;

/// Patterns are the non-empty subsets of the three timepoints, as bit masks 1..=7 (bit t set
/// when timepoint t, in pre/post/follow-up order, has a score).
const PATTERNS: usize = 8;

/// Index of the product of timepoints `s <= t` in [`MixedSums::products`].
fn product_index(s: usize, t: usize) -> usize {
    let (s, t) = (s.min(t), s.max(t));
    [[0, 1, 2], [1, 3, 4], [2, 4, 5]][s][t]
}

/// What REML needs from a set of people, per pattern: counts, score sums and score products.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MixedSums {
    /// People per pattern (index 0 unused).
    pub people: [u64; PATTERNS],
    /// Sum of the score at each timepoint, per pattern, in units of 1e-9.
    pub sums: [[i128; 3]; PATTERNS],
    /// Sum of the products of the scores at two timepoints (s <= t: 00, 01, 02, 11, 12, 22),
    /// per pattern, in units of 1e-18.
    pub products: [[i128; 6]; PATTERNS],
    /// People with a score too large for the fixed-point sums (none on any real scale): when
    /// there are any, no model is fitted, rather than one without them.
    pub unrepresentable: u64,
}

/// One person's scores as [`MixedSums`] adds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonScores {
    pattern: usize,
    fixed: [i64; 3],
}

impl PersonScores {
    /// A person's valid scores at pre, post and follow-up; `None` for someone with none.
    pub fn new(scores: [Option<f64>; 3]) -> Option<PersonScores> {
        let mut pattern = 0;
        let mut fixed = [0i64; 3];
        for (t, score) in scores.iter().enumerate() {
            if let Some(y) = score {
                pattern |= 1 << t;
                fixed[t] = if y.is_finite() && y.abs() <= MAX_SCORE {
                    super::round_to_i64(y * FIXED)
                } else {
                    i64::MAX // marks the person as unrepresentable
                };
            }
        }
        (pattern != 0).then_some(PersonScores { pattern, fixed })
    }
}

impl Additive for MixedSums {
    fn add(&mut self, other: &MixedSums) {
        for m in 1..PATTERNS {
            if other.people[m] == 0 {
                continue;
            }
            self.people[m] += other.people[m];
            for t in 0..3 {
                self.sums[m][t] += other.sums[m][t];
            }
            for k in 0..6 {
                self.products[m][k] += other.products[m][k];
            }
        }
        self.unrepresentable += other.unrepresentable;
    }
}

impl Accumulate<PersonScores> for MixedSums {
    fn add_item(&mut self, person: &PersonScores) {
        self.add_item_times(person, 1);
    }

    fn add_item_times(&mut self, person: &PersonScores, times: u64) {
        let m = person.pattern;
        if person.fixed.contains(&i64::MAX) {
            self.unrepresentable += times;
            return;
        }
        self.people[m] += times;
        let times = i128::from(times);
        for s in 0..3 {
            if m & (1 << s) == 0 {
                continue;
            }
            let ys = i128::from(person.fixed[s]);
            self.sums[m][s] += ys * times;
            for t in s..3 {
                if m & (1 << t) != 0 {
                    self.products[m][product_index(s, t)] +=
                        ys * i128::from(person.fixed[t]) * times;
                }
            }
        }
    }
}

impl MixedSums {
    /// People counted.
    pub fn people(&self) -> u64 {
        self.people.iter().sum()
    }

    /// Scores counted.
    pub fn observations(&self) -> u64 {
        (1..PATTERNS)
            .map(|m| self.people[m] * u64::from((m as u32).count_ones()))
            .sum()
    }

    /// Scores at one timepoint.
    pub fn observations_at(&self, t: usize) -> u64 {
        (1..PATTERNS)
            .filter(|m| m & (1 << t) != 0)
            .map(|m| self.people[m])
            .sum()
    }
}

/// A fixed effect of the model (treatment coding with pre as the reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// The mean score at pre (R's `(Intercept)`).
    Intercept,
    /// Post minus pre (R's `timepost`).
    Post,
    /// Follow-up minus pre (R's `timefollowup`).
    Followup,
}

/// Why no model was fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoFit {
    /// Nobody has a pre score, so there is no reference level.
    NoPre,
    /// Nobody has two or more scores: person and residual variance cannot be told apart.
    NoRepeats,
    /// No more scores than fixed effects.
    TooFew,
    /// Every person's scores are equal to each other (no residual variance).
    NoWithinVariation,
    /// A score was too large for the exact sums.
    Unrepresentable,
}

impl NoFit {
    /// A note for the output.
    pub fn note(self) -> &'static str {
        match self {
            NoFit::NoPre => "nobody has a pre score",
            NoFit::NoRepeats => "nobody has two scores: no repeated measures",
            NoFit::TooFew => "too few scores for the model",
            NoFit::NoWithinVariation => "every person's scores are equal: no residual variance",
            NoFit::Unrepresentable => "a score is too large for the model's exact sums",
        }
    }
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedFit {
    /// People with at least one score.
    pub people: u64,
    /// Scores used.
    pub observations: u64,
    /// The fixed effects, in order (post and follow-up only when someone has such a score).
    pub terms: Vec<Term>,
    /// Their estimates.
    pub beta: Vec<f64>,
    /// Random-intercept SD over residual SD (lme4's theta).
    pub theta: f64,
    /// Residual SD.
    pub sigma: f64,
    /// Random-intercept variance.
    pub var_intercept: f64,
    /// Residual variance.
    pub var_residual: f64,
    /// Whether the random-intercept variance is estimated as zero (lme4's singular fit).
    pub singular: bool,
    /// The REML criterion at the optimum (R `REMLcrit`).
    pub reml_criterion: f64,
    cov_beta: DMatrix<f64>,
    cov_beta_d_theta: DMatrix<f64>,
    cov_beta_d_sigma: DMatrix<f64>,
    cov_varpar: Matrix2<f64>,
}

/// A linear combination of the fixed effects with its Satterthwaite t-test and interval, as
/// lmerTest `contest(model, L, joint = FALSE, confint = TRUE)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contrast {
    /// `l' beta`.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Satterthwaite degrees of freedom.
    pub df: f64,
    /// `estimate / se`.
    pub t: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Confidence interval.
    pub ci: (f64, f64),
}

/// The sums of a model with `p` fixed effects, as numbers.
struct Design {
    /// One per pattern that has people.
    patterns: Vec<PatternDesign>,
    n_obs: f64,
    p: usize,
}

/// A pattern's people count, scores per person, X'1 and X'X of one person, and over its people
/// the sums of X'y, 1'y, y'y and (1'y)^2.
struct PatternDesign {
    people: f64,
    size: f64,
    x_one: DVector<f64>,
    xtx: DMatrix<f64>,
    xty: DVector<f64>,
    one_y: f64,
    yty: f64,
    one_y_squared: f64,
}

/// Everything the criterion needs at one gamma.
struct AtGamma {
    /// The inverse of A = sum X' (I - w J) X, and A's derivative in gamma.
    a_inv: DMatrix<f64>,
    a_d: DMatrix<f64>,
    beta: DVector<f64>,
    /// Penalised residual sum of squares, and its derivative in gamma.
    q: f64,
    q_d: f64,
    /// sum N log(1 + n gamma) + log det A, and its derivative.
    l: f64,
    l_d: f64,
}

impl Design {
    fn new(sums: &MixedSums, columns: &[usize]) -> Design {
        let p = columns.len();
        // Row of X for a score at timepoint t: intercept, then the indicator of each column.
        let x_row = |t: usize| -> DVector<f64> {
            DVector::from_iterator(p, columns.iter().map(|&c| f64::from(c == 0 || c == t)))
        };
        let scale_1 = 1.0 / FIXED;
        let scale_2 = scale_1 * scale_1;
        let patterns = (1..PATTERNS)
            .filter(|&m| sums.people[m] > 0)
            .map(|m| {
                let present: Vec<usize> = (0..3).filter(|t| m & (1 << t) != 0).collect();
                let mut x_one = DVector::zeros(p);
                let mut xtx = DMatrix::zeros(p, p);
                let mut xty = DVector::zeros(p);
                let (mut one_y, mut yty, mut one_y_squared) = (0.0, 0.0, 0.0);
                for &t in &present {
                    let x = x_row(t);
                    x_one += &x;
                    xtx += &x * x.transpose();
                    let s = sums.sums[m][t] as f64 * scale_1;
                    xty += &x * s;
                    one_y += s;
                    yty += sums.products[m][product_index(t, t)] as f64 * scale_2;
                    for &u in &present {
                        one_y_squared += sums.products[m][product_index(t, u)] as f64 * scale_2;
                    }
                }
                PatternDesign {
                    people: sums.people[m] as f64,
                    size: present.len() as f64,
                    x_one,
                    xtx,
                    xty,
                    one_y,
                    yty,
                    one_y_squared,
                }
            })
            .collect();
        Design {
            patterns,
            n_obs: sums.observations() as f64,
            p,
        }
    }

    /// The criterion's pieces at `gamma` (which may be slightly negative, for differences
    /// around zero); `None` if A is not positive definite there.
    fn at(&self, gamma: f64) -> Option<AtGamma> {
        let p = self.p;
        let mut a = DMatrix::zeros(p, p);
        let mut a_d = DMatrix::zeros(p, p);
        let mut b = DVector::zeros(p);
        let mut b_d = DVector::zeros(p);
        let (mut c, mut c_d, mut l, mut l_d) = (0.0, 0.0, 0.0, 0.0);
        for pd in &self.patterns {
            let denominator = 1.0 + pd.size * gamma;
            let w = gamma / denominator;
            let w_d = 1.0 / (denominator * denominator);
            let uu = &pd.x_one * pd.x_one.transpose();
            a += &pd.xtx * pd.people - &uu * (w * pd.people);
            a_d -= &uu * (w_d * pd.people);
            b += &pd.xty - &pd.x_one * (w * pd.one_y);
            b_d -= &pd.x_one * (w_d * pd.one_y);
            c += pd.yty - w * pd.one_y_squared;
            c_d -= w_d * pd.one_y_squared;
            l += pd.people * denominator.ln();
            l_d += pd.people * pd.size / denominator;
        }
        let cholesky = a.clone().cholesky()?;
        let a_inv = cholesky.inverse();
        let beta = &a_inv * &b;
        let q = c - b.dot(&beta);
        let q_d = c_d - 2.0 * beta.dot(&b_d) + (beta.transpose() * &a_d * &beta)[(0, 0)];
        let log_det: f64 = cholesky.l().diagonal().iter().map(|d| 2.0 * d.ln()).sum();
        l += log_det;
        l_d += (&a_inv * &a_d).trace();
        Some(AtGamma {
            a_inv,
            a_d,
            beta,
            q,
            q_d,
            l,
            l_d,
        })
    }

    /// The profiled REML criterion `(N - p) log q + l` (lme4's deviance less constants).
    fn criterion(&self, gamma: f64) -> Option<f64> {
        let at = self.at(gamma)?;
        (at.q > 0.0).then(|| (self.n_obs - self.p as f64) * at.q.ln() + at.l)
    }

    /// The gamma in [0, inf) where the profiled criterion is lowest. The criterion need not
    /// be convex, and its slope at 0 can be zero to rounding while it falls just beyond (a
    /// group of three people does this), so the sign of the slope at 0 decides nothing:
    /// every point where the slope turns from negative to positive on a grid from 1e-8 to
    /// 1e8 (10 points a decade, then doubling while it still falls) is refined by Brent's
    /// method, and the lowest of those and gamma = 0 wins (an interior one by more than 1e-10).
    fn global_minimum(&self) -> Result<f64, NoFit> {
        let slope = |g: f64| self.slope(g).unwrap_or(f64::NAN);
        let mut grid = vec![0.0];
        grid.extend((-80..=80).map(|k| 10f64.powf(f64::from(k) / 10.0)));
        let mut candidates = vec![0.0];
        let mut previous = (0.0, slope(0.0));
        for &g in &grid[1..] {
            let s = slope(g);
            if previous.1 < 0.0 && s >= 0.0 {
                candidates
                    .push(brent(slope, previous.0, g, 1e-15 * g).ok_or(NoFit::NoWithinVariation)?);
            }
            previous = (g, s);
        }
        if previous.1 < 0.0 {
            // Still falling at 1e8: the person effect dwarfs the residual; double on.
            let mut high = previous.0;
            while slope(high) < 0.0 {
                high *= 2.0;
                if high > 1e12 {
                    return Err(NoFit::NoWithinVariation);
                }
            }
            candidates.push(
                brent(slope, high / 2.0, high, 1e-15 * high).ok_or(NoFit::NoWithinVariation)?,
            );
        }
        // An interior minimum must beat gamma = 0 by more than rounding: where the criterion
        // is flat at 0 a root search can stop at 1e-16 with a criterion 2e-15 lower.
        let at_zero = self.criterion(0.0).unwrap_or(f64::INFINITY);
        let margin = 1e-10 * at_zero.abs().max(1.0);
        let mut best = (at_zero, 0.0);
        for g in candidates.into_iter().skip(1) {
            if let Some(c) = self.criterion(g) {
                if c < best.0 && c < at_zero - margin {
                    best = (c, g);
                }
            }
        }
        if best.0.is_finite() {
            Ok(best.1)
        } else {
            Err(NoFit::NoWithinVariation)
        }
    }

    /// Derivative in gamma of the profiled REML criterion `(N - p) log q + l`.
    fn slope(&self, gamma: f64) -> Option<f64> {
        let at = self.at(gamma)?;
        Some((self.n_obs - self.p as f64) * at.q_d / at.q + at.l_d)
    }
}

/// Fits the model to `sums`.
pub fn fit_mixed(sums: &MixedSums) -> Result<MixedFit, NoFit> {
    if sums.unrepresentable > 0 {
        return Err(NoFit::Unrepresentable);
    }
    if sums.observations_at(0) == 0 {
        return Err(NoFit::NoPre);
    }
    let repeated: u64 = (1..PATTERNS)
        .filter(|m| m.count_ones() >= 2)
        .map(|m| sums.people[m])
        .sum();
    if repeated == 0 {
        return Err(NoFit::NoRepeats);
    }
    let mut columns = vec![0];
    columns.extend((1..3).filter(|&t| sums.observations_at(t) > 0));
    let design = Design::new(sums, &columns);
    let residual_df = design.n_obs - design.p as f64;
    if residual_df < 1.0 {
        return Err(NoFit::TooFew);
    }
    let at_zero = design.at(0.0).ok_or(NoFit::TooFew)?;
    if at_zero.q <= 0.0 {
        return Err(NoFit::NoWithinVariation);
    }
    let gamma = design.global_minimum()?;
    let at = design.at(gamma).ok_or(NoFit::TooFew)?;
    if at.q <= 0.0 {
        return Err(NoFit::NoWithinVariation);
    }
    let sigma2 = at.q / residual_df;
    let sigma = sigma2.sqrt();
    let theta = gamma.sqrt();
    let reml_criterion = residual_df * (1.0 + (2.0 * std::f64::consts::PI * sigma2).ln()) + at.l;

    // Hessian of the REML deviance D(theta, sigma) = (N-p) log(2 pi sigma^2) + l(theta^2)
    // + q(theta^2) / sigma^2, with l'' and q'' as central differences of the analytic slopes
    // (Richardson-extrapolated; steps stay where A is positive definite).
    let second = |f: &dyn Fn(&AtGamma) -> f64| -> Option<f64> {
        let h = 1e-4 * gamma.max(1e-2);
        let diff = |h: f64| -> Option<f64> {
            Some((f(&design.at(gamma + h)?) - f(&design.at(gamma - h)?)) / (2.0 * h))
        };
        Some((4.0 * diff(h / 2.0)? - diff(h)?) / 3.0)
    };
    let l_dd = second(&|a| a.l_d).ok_or(NoFit::TooFew)?;
    let q_dd = second(&|a| a.q_d).ok_or(NoFit::TooFew)?;
    let d_tt = 2.0 * at.l_d + 4.0 * gamma * l_dd + (2.0 * at.q_d + 4.0 * gamma * q_dd) / sigma2;
    let d_ts = -4.0 * theta * at.q_d / (sigma2 * sigma);
    let d_ss = -2.0 * residual_df / sigma2 + 6.0 * at.q / (sigma2 * sigma2);
    let hessian = Matrix2::new(d_tt, d_ts, d_ts, d_ss);
    // lmerTest inverts the Hessian on its eigenvalues above 1e-8 only.
    let eigen = SymmetricEigen::new(hessian);
    let mut inverse = Matrix2::zeros();
    for k in 0..2 {
        let value = eigen.eigenvalues[k];
        if value > 1e-8 {
            let v: Vector2<f64> = eigen.eigenvectors.column(k).into();
            inverse += v * v.transpose() / value;
        }
    }
    let cov_beta = &at.a_inv * sigma2;
    let cov_beta_d_sigma = &at.a_inv * (2.0 * sigma);
    let cov_beta_d_theta = -(&at.a_inv * &at.a_d * &at.a_inv) * (2.0 * theta * sigma2);
    let terms = columns
        .iter()
        .map(|&c| [Term::Intercept, Term::Post, Term::Followup][c])
        .collect();
    Ok(MixedFit {
        people: sums.people(),
        observations: sums.observations(),
        terms,
        beta: at.beta.iter().copied().collect(),
        theta,
        sigma,
        var_intercept: gamma * sigma2,
        var_residual: sigma2,
        singular: gamma == 0.0,
        reml_criterion,
        cov_beta,
        cov_beta_d_theta,
        cov_beta_d_sigma,
        cov_varpar: inverse * 2.0,
    })
}

impl MixedFit {
    /// The contrast `l' beta` (one weight per term), or `None` if its variance is zero.
    pub fn contrast(&self, l: &[f64], conf_level: f64) -> Option<Contrast> {
        let l = DVector::from_column_slice(l);
        let quadratic = |m: &DMatrix<f64>| (l.transpose() * m * &l)[(0, 0)];
        let estimate = l.dot(&DVector::from_column_slice(&self.beta));
        let variance = quadratic(&self.cov_beta);
        let gradient = Vector2::new(
            quadratic(&self.cov_beta_d_theta),
            quadratic(&self.cov_beta_d_sigma),
        );
        let denominator = (gradient.transpose() * self.cov_varpar * gradient)[(0, 0)];
        if variance <= 0.0 || denominator <= 0.0 {
            return None;
        }
        let df = 2.0 * variance * variance / denominator;
        let se = variance.sqrt();
        let t = estimate / se;
        let half = qt_upper((1.0 - conf_level) / 2.0, df) * se;
        Some(Contrast {
            estimate,
            se,
            df,
            t,
            p: pt_two_sided(t, df),
            ci: (estimate - half, estimate + half),
        })
    }

    /// Weights selecting one term, if the model has it.
    pub fn weights_of(&self, term: Term) -> Option<Vec<f64>> {
        let k = self.terms.iter().position(|&t| t == term)?;
        Some((0..self.terms.len()).map(|j| f64::from(j == k)).collect())
    }

    /// Weights giving the model's mean score at a timepoint (0 pre, 1 post, 2 follow-up), if
    /// the model has that timepoint.
    pub fn weights_of_mean(&self, timepoint: usize) -> Option<Vec<f64>> {
        let own = [None, Some(Term::Post), Some(Term::Followup)][timepoint];
        if let Some(term) = own {
            self.terms.iter().position(|&t| t == term)?;
        }
        Some(
            self.terms
                .iter()
                .map(|&t| f64::from(t == Term::Intercept || Some(t) == own))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums of people given as [pre, post, follow-up] with NaN for a missing score.
    fn sums_of(people: &[[f64; 3]]) -> MixedSums {
        let mut sums = MixedSums::default();
        for scores in people {
            let scores = scores.map(|y| (!y.is_nan()).then_some(y));
            if let Some(person) = PersonScores::new(scores) {
                sums.add_item(&person);
            }
        }
        sums
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        let scale = expected.abs().max(1e-300);
        assert!(
            ((actual - expected) / scale).abs() < tolerance,
            "{actual} vs R {expected}"
        );
    }

    const NA: f64 = f64::NAN;

    // R (lme4 1.1-31, lmerTest 3.1-3):
    // d <- data.frame(id=c(1,1,1,2,2,3,3,3,4,5,5,6,6,6,7,7,8),
    //  time=factor(c("pre","post","followup","pre","post","pre","post","followup","pre","pre",
    //   "followup","pre","post","followup","pre","post","post"), levels=c("pre","post","followup")),
    //  score=c(7,5,6,8,6,5,5,4,9,6,5,7,4,5,8,7,6))
    // m <- lmer(score ~ time + (1|id), data=d, REML=TRUE)
    // getME(m,"theta"); sigma(m); REMLcrit(m); summary(m)$coefficients
    // contest(m, c(1,1,0), joint=FALSE, confint=TRUE)
    const SMALL: [[f64; 3]; 8] = [
        [7.0, 5.0, 6.0],
        [8.0, 6.0, NA],
        [5.0, 5.0, 4.0],
        [9.0, NA, NA],
        [6.0, NA, 5.0],
        [7.0, 4.0, 5.0],
        [8.0, 7.0, NA],
        [NA, 6.0, NA],
    ];

    #[test]
    fn small_example_equals_lmertest() {
        let fit = fit_mixed(&sums_of(&SMALL)).expect("fits");
        // lme4's optimiser stops within ~1e-7 of the optimum; estimates agree to that.
        let tol = 1e-6;
        close(fit.theta, 1.5305075475871874, tol);
        close(fit.sigma, 0.66140655877790788, tol);
        close(fit.reml_criterion, 45.028942673632571, 1e-9);
        let expected = [
            (
                Term::Intercept,
                7.1849905542889099,
                0.44311342575342566,
                9.4547736960490010,
                3.2305635660075515e-08,
            ),
            (
                Term::Post,
                -1.6058325466828456,
                0.39707002939099939,
                7.4138152722212247,
                4.3520781713518447e-03,
            ),
            (
                Term::Followup,
                -1.4356321157722585,
                0.44165968048125104,
                7.0607308482129856,
                1.3879034513860324e-02,
            ),
        ];
        for (term, estimate, se, df, p) in expected {
            let c = fit
                .contrast(&fit.weights_of(term).expect("term"), 0.95)
                .expect("contrast");
            close(c.estimate, estimate, tol);
            close(c.se, se, tol);
            close(c.df, df, tol);
            close(c.p, p, tol);
        }
        let mean_post = fit
            .contrast(&fit.weights_of_mean(1).expect("post"), 0.95)
            .expect("contrast");
        close(mean_post.estimate, 5.5791580076060647, tol);
        close(mean_post.se, 0.46011282430958345, tol);
        close(mean_post.df, 10.47812867713014, tol);
        close(mean_post.ci.0, 4.5602685775400582, tol);
        close(mean_post.ci.1, 6.5980474376720712, tol);
        close(mean_post.p, 1.6883254504356455e-07, tol);
    }

    // The group from issue #16: pre 9, 6, 9; post 4, -, 6. The slope of the criterion at
    // gamma = 0 is zero to rounding (-2.7e-15) and negative just beyond, so "slope at 0 >= 0"
    // took it for a singular fit (theta 0, var_residual 2.667). lme4 and the exact optimum:
    // theta 1.1688, REML criterion 13.1958 (13.2479 at theta = 0). Full-precision values
    // against lmerTest are in tests/data/mixed/tiny_interior.expected.txt.
    #[test]
    fn flat_start_is_not_taken_for_a_singular_fit() {
        let fit =
            fit_mixed(&sums_of(&[[9.0, 4.0, NA], [6.0, NA, NA], [9.0, 6.0, NA]])).expect("fits");
        assert!(!fit.singular);
        close(fit.theta, 1.1688, 1e-4);
        close(fit.var_intercept, 1.732, 1e-3);
        close(fit.var_residual, 1.268, 1e-3);
        close(fit.reml_criterion, 13.1958, 1e-5);
    }
}
