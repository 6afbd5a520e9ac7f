//! Matched comparison (`compare`): the cohort of scheme and comparator people, the propensity
//! score, nearest-neighbour matching, balance and the difference in differences. A stage of
//! its own: cohort -> propensity model -> matches and weights -> balance and effect.

pub mod balance;
pub mod cohort;
pub mod effect;
pub mod nearest;

use crate::error::Error;
use crate::stats::logistic::{logistic_irls, NoLogistic};
use balance::{balance_of, Balance};
use cohort::{Cohort, Kind, Unit};
use effect::{paired_effect, weighted_effect, Effect};
use nearest::{match_weights, nearest, Candidate, NearestOptions};

/// Settings of the matching and the effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// Comparators per scheme user.
    pub ratio: usize,
    /// Whether comparators may be reused.
    pub replace: bool,
    /// Caliper in standard deviations of the distance.
    pub caliper: Option<f64>,
    /// Confidence level of the effect's interval.
    pub conf_level: f64,
    /// Effect rows with fewer matched people on either side are withheld.
    pub min_cell: usize,
}

/// A scheme user's matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The scheme user (index into the cohort's units).
    pub treated: usize,
    /// Their comparators in slot order.
    pub controls: Vec<usize>,
}

/// One row of balance.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceRow {
    /// Covariate (or `distance`).
    pub covariate: String,
    /// Level, for a categorical covariate.
    pub level: Option<String>,
    /// Before matching.
    pub before: Balance,
    /// After matching.
    pub after: Balance,
    /// Whether the level's means (and standardised difference) are withheld before and after
    /// matching: they would give away fewer than min-cell people (see [`withhold_small_levels`]).
    pub withheld: [bool; 2],
}

impl BalanceRow {
    /// MatchIt's and the usual rule: an absolute standardised difference above 0.1 after
    /// matching is not balanced.
    pub fn imbalanced(&self) -> bool {
        // NaN (nobody matched on a side) is not balance either.
        self.after.smd.is_none_or(|s| s.is_nan() || s.abs() > 0.1)
    }
}

/// One row of effect.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectRow {
    /// `all` or the grouping column.
    pub group_by: String,
    /// `All` or the group (of the scheme user).
    pub group: String,
    /// Matched scheme users.
    pub n_scheme: u64,
    /// Distinct comparators matched to them.
    pub n_comparator: u64,
    /// The effect, unless withheld or not computable.
    pub effect: Option<Effect>,
    /// Whether withheld (fewer than min-cell on either side).
    pub suppressed: bool,
    /// Why there is no effect.
    pub note: String,
}

/// A matched group's mean score at one timepoint (matched_means.csv), for the chart of
/// scores over time.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedMean {
    /// `pre`, `post` or `followup`.
    pub timepoint: &'static str,
    /// `scheme` or `comparator`.
    pub group: &'static str,
    /// Matched people with a valid score then.
    pub n: u64,
    /// Weighted mean.
    pub mean: f64,
    /// t interval with Kish's effective sample size; `None` for fewer than two people.
    pub ci: Option<(f64, f64)>,
}

/// Everything `compare` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingResult {
    /// Design columns of the propensity model.
    pub model_columns: Vec<String>,
    /// Their coefficients (`None`: dropped as a linear combination of earlier columns).
    pub coefficients: Vec<Option<f64>>,
    /// IRLS iterations.
    pub iterations: usize,
    /// Whether the model converged.
    pub converged: bool,
    /// Whether fitted probabilities reached 0 or 1.
    pub separated: bool,
    /// Problems a reader must know about.
    pub warnings: Vec<String>,
    /// Distance (logit of the propensity score) per unit.
    pub distance: Vec<f64>,
    /// Matches of the matched scheme users, in data order.
    pub matches: Vec<Match>,
    /// Matching weight per unit.
    pub weights: Vec<f64>,
    /// Matched scheme users, and comparators used.
    pub matched: [u64; 2],
    /// balance.csv rows.
    pub balance: Vec<BalanceRow>,
    /// effect.csv rows.
    pub effects: Vec<EffectRow>,
    /// matched_means.csv rows.
    pub means: Vec<MatchedMean>,
}

/// Fits the propensity score, matches, and measures balance and the effect.
pub fn run_matching(cohort: &Cohort, options: &MatchOptions) -> Result<MatchingResult, Error> {
    let treated = cohort.units.iter().filter(|u| u.treated).count();
    let controls = cohort.units.len() - treated;
    if treated == 0 || controls == 0 {
        let [s, c] = &cohort.counts;
        return Err(Error::Option(format!(
            "nothing to match: {treated} eligible scheme users and {controls} eligible comparator people (scheme: {} read, {} without a covariate, {} without a pre score, {} without a post score; comparator: {} read, {}, {}, {}); each needs every covariate and valid pre and post scores",
            s.people, s.missing_covariate, s.no_pre, s.no_post, c.people, c.missing_covariate, c.no_pre, c.no_post
        )));
    }
    let (x, names) = cohort.design();
    let y: Vec<f64> = cohort
        .units
        .iter()
        .map(|u| f64::from(u8::from(u.treated)))
        .collect();
    let fit = logistic_irls(&x, &y).map_err(|e| {
        Error::Option(match e {
            NoLogistic::Singular => {
                "the propensity model cannot be fitted (its design is singular)".to_string()
            }
            _ => "the propensity model needs scheme and comparator people".to_string(),
        })
    })?;
    let mut warnings = Vec::new();
    // Quasi-complete separation by a category that only one group has: its people have a
    // propensity of 0 or 1 whatever the fit's iterate shows, and cannot be matched.
    let mut separated = fit.separated;
    for (c, covariate) in cohort.covariates.iter().enumerate() {
        let Kind::Categorical { levels } = &covariate.kind else {
            continue;
        };
        for (l, level) in levels.iter().enumerate() {
            let with = |treated: bool| {
                cohort
                    .units
                    .iter()
                    .filter(|u| u.treated == treated && u.values[c] == l as f64)
                    .count()
            };
            let (scheme, comparator) = (with(true), with(false));
            if (scheme == 0) != (comparator == 0) {
                separated = true;
                warnings.push(format!(
                    "separation in the propensity model: {} = {level} occurs only among {} ({} people), who cannot be matched; merge it with another level or leave the covariate out",
                    covariate.name,
                    if scheme > 0 { "scheme users" } else { "comparator people" },
                    scheme.max(comparator)
                ));
            }
        }
    }
    if fit.separated {
        let largest = fit
            .coefficients
            .iter()
            .zip(&fit.kept)
            .skip(1)
            .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))
            .map(|(_, &j)| names[j].clone())
            .unwrap_or_default();
        warnings.push(format!(
            "separation in the propensity model: some fitted probabilities are 0 or 1 (the largest coefficient is {largest}); people with such values cannot be matched well, consider coarser covariates or --exact"
        ));
    }
    if !fit.converged {
        warnings.push(format!(
            "the propensity model did not converge in {} iterations",
            fit.iterations
        ));
    }
    for (j, name) in names.iter().enumerate() {
        if !fit.kept.contains(&j) {
            warnings.push(format!(
                "{name} is a linear combination of other covariates and was left out of the propensity model"
            ));
        }
    }
    let mut coefficients = vec![None; names.len()];
    for (&j, &b) in fit.kept.iter().zip(&fit.coefficients) {
        coefficients[j] = Some(b);
    }
    let distance = fit.linear_predictor.clone();
    // R's sd over everyone (n - 1), computed as R does.
    let sd = crate::stats::describe::mean_sd(&distance)
        .and_then(|m| m.sd())
        .unwrap_or(0.0);
    let caliper = options.caliper.map(|c| c * sd);
    let candidates: Vec<Candidate> = cohort
        .units
        .iter()
        .zip(&distance)
        .map(|(u, &d)| Candidate {
            treated: u.treated,
            distance: d,
            stratum: u.exact.iter().fold(0u64, |acc, &level| {
                acc.wrapping_mul(1_000_003).wrapping_add(u64::from(level))
            }),
        })
        .collect();
    let found = nearest(
        &candidates,
        &NearestOptions {
            ratio: options.ratio,
            replace: options.replace,
            caliper,
        },
    );
    let weights = match_weights(&candidates, &found);
    let matches: Vec<Match> = found
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(t, c)| Match {
            treated: t,
            controls: c.clone(),
        })
        .collect();
    let matched = [
        matches.len() as u64,
        (0..candidates.len())
            .filter(|&i| !candidates[i].treated && weights[i] > 0.0)
            .count() as u64,
    ];
    if matched[0] == 0 {
        return Err(Error::Option(format!(
            "no scheme user found a comparator{} (R MatchIt: \"No units were matched\"); widen or drop --caliper, check --exact, or look at the separation warnings{}",
            if caliper.is_some() { " within the caliper" } else { "" },
            if warnings.is_empty() { String::new() } else { format!(": {}", warnings.join("; ")) }
        )));
    }
    if options.ratio > 1
        && options.ratio as u64 * treated as u64 > controls as u64
        && !options.replace
    {
        warnings.push(format!(
            "--ratio {} asks for more comparators ({}) than there are ({controls}): not every scheme user gets {} (MatchIt warns the same)",
            options.ratio,
            options.ratio * treated,
            options.ratio
        ));
    }
    if matched[0] < treated as u64 {
        warnings.push(format!(
            "{} of {treated} scheme users found no comparator{}; the effect is for the matched ones",
            treated as u64 - matched[0],
            if caliper.is_some() { " within the caliper" } else { "" }
        ));
    }
    let mut balance = balance_rows(cohort, &distance, &weights);
    withhold_small_levels(&mut balance, cohort, &weights, options.min_cell as u64);
    let effects = effect_rows(cohort, &matches, options);
    // Means of fewer than min-cell matched people are not published (they would also give
    // back a withheld effect).
    let means: Vec<MatchedMean> = if matched[0].min(matched[1]) < options.min_cell as u64 {
        Vec::new()
    } else {
        matched_means(cohort, &weights, options.conf_level)
            .into_iter()
            .filter(|m| m.n >= options.min_cell as u64)
            .collect()
    };
    Ok(MatchingResult {
        model_columns: names,
        coefficients,
        iterations: fit.iterations,
        converged: fit.converged,
        separated,
        warnings,
        distance,
        matches,
        weights,
        matched,
        balance,
        effects,
        means,
    })
}

/// Weighted mean scores of the matched scheme users and comparators at each timepoint.
fn matched_means(cohort: &Cohort, weights: &[f64], conf_level: f64) -> Vec<MatchedMean> {
    let mut out = Vec::new();
    for (timepoint, score) in [
        (
            "pre",
            (|u: &cohort::Unit| Some(u.pre)) as fn(&cohort::Unit) -> Option<f64>,
        ),
        ("post", |u| Some(u.post)),
        ("followup", |u| u.followup),
    ] {
        for (group, treated) in [("scheme", true), ("comparator", false)] {
            let values: Vec<(f64, f64)> = cohort
                .units
                .iter()
                .zip(weights)
                .filter(|(u, &w)| u.treated == treated && w > 0.0)
                .filter_map(|(u, &w)| score(u).map(|y| (y, w)))
                .collect();
            if values.is_empty() {
                continue;
            }
            let total: f64 = values.iter().map(|v| v.1).sum();
            let mean = values.iter().map(|v| v.0 * v.1).sum::<f64>() / total;
            let squares: f64 = values.iter().map(|v| v.1 * v.1).sum();
            let effective = total * total / squares;
            let ci = (values.len() >= 2).then(|| {
                let normalised: f64 = values
                    .iter()
                    .map(|v| v.1 / total * (v.0 - mean) * (v.0 - mean))
                    .sum::<f64>();
                let variance = normalised / (1.0 - squares / (total * total));
                let se = (variance / effective).sqrt();
                let half =
                    crate::stats::dist::qt_upper((1.0 - conf_level) / 2.0, effective - 1.0) * se;
                (mean - half, mean + half)
            });
            out.push(MatchedMean {
                timepoint,
                group,
                n: values.len() as u64,
                mean,
                ci: ci.filter(|c| c.0.is_finite() && c.1.is_finite()),
            });
        }
    }
    out
}

/// The distance, every covariate (each level of a categorical one), then the levels of exact
/// variables that are not covariates.
fn balance_rows(cohort: &Cohort, distance: &[f64], weights: &[f64]) -> Vec<BalanceRow> {
    let column = |value: &dyn Fn(usize) -> f64| -> Vec<(f64, bool, f64)> {
        (0..cohort.units.len())
            .map(|i| (value(i), cohort.units[i].treated, weights[i]))
            .collect()
    };
    let binary = |values: &[(f64, bool, f64)]| {
        let mut distinct: Vec<f64> = values.iter().map(|v| v.0).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        distinct.len() == 2
    };
    let mut rows = Vec::new();
    let mut push = |covariate: &str, level: Option<String>, values: Vec<(f64, bool, f64)>| {
        let (before, after) = balance_of(&values, binary(&values));
        rows.push(BalanceRow {
            covariate: covariate.to_string(),
            level,
            before,
            after,
            withheld: [false; 2],
        });
    };
    push("distance", None, column(&|i| distance[i]));
    for (c, covariate) in cohort.covariates.iter().enumerate() {
        match &covariate.kind {
            Kind::Numeric => push(
                &covariate.name,
                None,
                column(&|i| cohort.units[i].values[c]),
            ),
            Kind::Categorical { levels } => {
                for (l, level) in levels.iter().enumerate() {
                    push(
                        &covariate.name,
                        Some(level.clone()),
                        column(&|i| f64::from(cohort.units[i].values[c] == l as f64)),
                    );
                }
            }
        }
    }
    for (e, name) in cohort.exact.iter().enumerate() {
        if cohort.covariates.iter().any(|c| &c.name == name) {
            continue;
        }
        let levels = &cohort.exact_levels[e];
        for (l, level) in levels.iter().enumerate() {
            push(
                name,
                Some(level.clone()),
                column(&|i| f64::from(cohort.units[i].exact[e] == l as u32)),
            );
        }
    }
    rows
}

/// Withholds the means of covariate levels that would give away fewer than `min_cell`
/// people. A level's mean is its share of a side (scheme users or comparators, everyone
/// eligible before matching, everyone matched after), and the sides' sizes are published in
/// matching_flow.csv, so each mean is a count, and so is before minus after (the unmatched).
/// Per covariate (a categorical one, an `--exact` variable, or a 0/1 numeric column) and
/// side, the levels' counts before matching, after, and unmatched each add up to a published
/// size, and after plus unmatched is before: they are protected together
/// ([`protect_counts`]: a count of 1 to min-cell - 1 is withheld, with other counts while a
/// withheld total could be found by subtraction). A withheld count withholds its level's
/// means and standardised difference for that period (the difference and one mean give the
/// other); a withheld unmatched count withholds the period after matching; and withheld
/// before means withheld after too, since the difference after is scaled by the share before.
///
/// [`protect_counts`]: crate::disclosure::protect_counts
fn withhold_small_levels(rows: &mut [BalanceRow], cohort: &Cohort, weights: &[f64], min_cell: u64) {
    use crate::disclosure::{protect_counts, CountRow, Family};
    // Each variable: the balance row of each level, and each unit's level.
    type LevelOf<'a> = Box<dyn Fn(&Unit) -> usize + 'a>;
    let row_of = |name: &str, level: Option<&str>| {
        rows.iter()
            .position(|r| r.covariate == name && r.level.as_deref() == level)
    };
    let mut variables: Vec<(Vec<Option<usize>>, LevelOf<'_>)> = Vec::new();
    for (c, covariate) in cohort.covariates.iter().enumerate() {
        match &covariate.kind {
            Kind::Categorical { levels } => variables.push((
                levels
                    .iter()
                    .map(|l| row_of(&covariate.name, Some(l)))
                    .collect(),
                Box::new(move |u| u.values[c] as usize),
            )),
            // A 0/1 column's mean is the count of ones.
            Kind::Numeric
                if cohort
                    .units
                    .iter()
                    .all(|u| matches!(u.values[c], 0.0 | 1.0)) =>
            {
                let row = row_of(&covariate.name, None);
                variables.push((vec![row, row], Box::new(move |u| u.values[c] as usize)));
            }
            Kind::Numeric => {}
        }
    }
    for (e, name) in cohort.exact.iter().enumerate() {
        if !cohort.covariates.iter().any(|c| &c.name == name) {
            variables.push((
                cohort.exact_levels[e]
                    .iter()
                    .map(|l| row_of(name, Some(l)))
                    .collect(),
                Box::new(move |u| u.exact[e] as usize),
            ));
        }
    }
    for (level_rows, level_of) in &variables {
        // Scheme before, comparator before, scheme after, comparator after, scheme
        // unmatched, comparator unmatched; by level.
        let mut counts = vec![vec![0u64; level_rows.len()]; 6];
        for (unit, &weight) in cohort.units.iter().zip(weights) {
            let level = level_of(unit);
            if level >= level_rows.len() {
                continue;
            }
            let side = usize::from(!unit.treated);
            counts[side][level] += 1;
            counts[if weight > 0.0 { 2 } else { 4 } + side][level] += 1;
        }
        let table: Vec<CountRow> = counts
            .into_iter()
            .map(|cells| CountRow {
                cells,
                withheld: false,
            })
            .collect();
        let families = [
            Family {
                total: Some(0),
                rows: vec![2, 4],
            },
            Family {
                total: Some(1),
                rows: vec![3, 5],
            },
        ];
        let hidden = protect_counts(&table, &families, min_cell);
        for (level, row) in level_rows.iter().enumerate() {
            let Some(row) = *row else { continue };
            let before = hidden[0][level] || hidden[1][level];
            let after = (2..6).any(|t| hidden[t][level]);
            let withheld = &mut rows[row].withheld;
            withheld[0] |= before;
            withheld[1] |= after || before;
        }
    }
}

/// The effect for everyone matched and for each group of scheme users.
fn effect_rows(cohort: &Cohort, matches: &[Match], options: &MatchOptions) -> Vec<EffectRow> {
    let paired = options.ratio == 1 && !options.replace;
    let change = |u: usize| cohort.units[u].post - cohort.units[u].pre;
    let estimate = |subset: &[&Match]| -> (u64, u64, Option<Effect>) {
        let mut used: Vec<usize> = subset.iter().flat_map(|m| m.controls.clone()).collect();
        used.sort_unstable();
        used.dedup();
        let effect = if paired {
            let pairs: Vec<(f64, f64)> = subset
                .iter()
                .map(|m| (change(m.treated), change(m.controls[0])))
                .collect();
            paired_effect(&pairs, options.conf_level)
        } else {
            // The subset's own weights: 1/k per match, comparators scaled to their number.
            let mut weight = std::collections::BTreeMap::<usize, f64>::new();
            for m in subset {
                for &c in &m.controls {
                    *weight.entry(c).or_insert(0.0) += 1.0 / m.controls.len() as f64;
                }
            }
            let total: f64 = weight.values().sum();
            let scale = weight.len() as f64 / total;
            let mut units: Vec<(bool, f64, f64)> = subset
                .iter()
                .map(|m| (true, change(m.treated), 1.0))
                .collect();
            units.extend(weight.iter().map(|(&c, &w)| (false, change(c), w * scale)));
            weighted_effect(&units, options.conf_level)
        };
        (subset.len() as u64, used.len() as u64, effect)
    };
    let mut rows = Vec::new();
    let mut row = |group_by: &str, group: &str, subset: Vec<&Match>| {
        let (n_scheme, n_comparator, effect) = estimate(&subset);
        let suppressed = (n_scheme.min(n_comparator) as usize) < options.min_cell;
        let note = match (&effect, suppressed) {
            (_, true) => String::new(),
            (None, false) => "too few matched people, or no variation in change".to_string(),
            (Some(_), false) => String::new(),
        };
        rows.push(EffectRow {
            group_by: group_by.to_string(),
            group: group.to_string(),
            n_scheme,
            n_comparator,
            effect: if suppressed { None } else { effect },
            suppressed,
            note,
        });
    };
    row("all", "All", matches.iter().collect());
    if let Some(by) = &cohort.group_column {
        let mut groups: Vec<&str> = cohort
            .units
            .iter()
            .filter(|u| u.treated)
            .filter_map(|u| u.group.as_deref())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let subset: Vec<&Match> = matches
                .iter()
                .filter(|m| cohort.units[m.treated].group.as_deref() == Some(g))
                .collect();
            row(by, g, subset);
        }
    }
    rows
}
