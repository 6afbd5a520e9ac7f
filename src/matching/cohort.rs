//! The people a matched comparison can use: scheme users and comparator people from two
//! read-and-scored exports, with their covariates as numbers, in one table (scheme first,
//! then comparator, each in file order). Everyone read is counted: excluded for a missing
//! covariate or a missing pre or post score, or eligible.

use crate::model::Timepoint;
use crate::read::{Export, MISSING_GROUP};
use crate::scale::Scored;

/// Covariate values that mean "not known": blank (the reader's `(missing)`), and the codes
/// R's `read.csv` and exports use for it. A person with one is excluded and counted, and a
/// numeric column with them stays numeric.
pub fn is_missing_code(text: &str) -> bool {
    ["na", "n/a", "nan", "null", "none", "missing", "#n/a"]
        .contains(&text.trim().to_ascii_lowercase().as_str())
}

/// The name that makes a covariate the scored pre total rather than a column.
pub const PRE_SCORE: &str = "pre_score";

/// How a covariate enters the propensity model and the balance table.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number (every value in both files reads as one, as R's read.csv would take it).
    Numeric,
    /// Categories, as indicators of every level but the first.
    Categorical {
        /// Levels present in either file, sorted by UTF-8 bytes.
        levels: Vec<String>,
    },
}

/// One covariate.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    /// Column name (or `pre_score`).
    pub name: String,
    /// Numeric or categorical.
    pub kind: Kind,
}

/// One person who can be matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// In the scheme (else the comparator).
    pub treated: bool,
    /// Index of the person in their own export (for ids, with `--write-matches`).
    pub person: usize,
    /// Covariate values in covariate order: the number, or the level's index.
    pub values: Vec<f64>,
    /// Level index of each `--exact` covariate.
    pub exact: Vec<u32>,
    /// Trigger group, when both files have the column.
    pub group: Option<String>,
    /// Scores at pre, post and follow-up.
    pub pre: f64,
    /// Post score.
    pub post: f64,
    /// Follow-up score, if valid.
    pub followup: Option<f64>,
}

/// Counts of people per file, for the matching flow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohortCounts {
    /// People read (distinct ids).
    pub people: u64,
    /// Excluded: a covariate missing or blank.
    pub missing_covariate: u64,
    /// Excluded: no valid pre score.
    pub no_pre: u64,
    /// Excluded: no valid post score.
    pub no_post: u64,
    /// Of those excluded for no valid pre or post score, the people whose score was there
    /// but broke the scale's rules (out of range, not whole, not a number), not missing.
    pub invalid_score: u64,
    /// Eligible for matching.
    pub eligible: u64,
}

/// The matching table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// Covariates of the propensity model, in the order given.
    pub covariates: Vec<Covariate>,
    /// Names of the `--exact` covariates.
    pub exact: Vec<String>,
    /// Their levels (sorted), which [`Unit::exact`] indexes.
    pub exact_levels: Vec<Vec<String>>,
    /// The column whose groups get effect rows, when read.
    pub group_column: Option<String>,
    /// Eligible people: scheme first, then comparator.
    pub units: Vec<Unit>,
    /// Flow counts: scheme, comparator.
    pub counts: [CohortCounts; 2],
}

/// One side of the comparison as read: its export and scores.
pub struct Side<'a> {
    /// The read stage's output.
    pub export: &'a Export,
    /// The scores.
    pub scored: &'a Scored,
}

/// Where a named column is among a side's read groups.
fn column(side: &Side<'_>, name: &str) -> Option<usize> {
    side.export.groups.iter().position(|g| g.name == name)
}

/// A person's value of a named column, unless missing.
fn value_of<'s>(side: &Side<'s>, name: &str, p: usize) -> Option<&'s str> {
    let g = &side.export.groups[column(side, name)?];
    let text = g.levels[g.codes.get(p) as usize].as_str();
    (text != MISSING_GROUP && !is_missing_code(text)).then_some(text)
}

/// The values of a column in either file, missing ones aside, sorted and distinct.
fn known_levels(sides: &[Side<'_>; 2], name: &str) -> Vec<String> {
    let mut levels: Vec<String> = sides
        .iter()
        .filter_map(|side| column(side, name).map(|c| &side.export.groups[c].levels))
        .flatten()
        .filter(|l| l.as_str() != MISSING_GROUP && !is_missing_code(l))
        .cloned()
        .collect();
    levels.sort();
    levels.dedup();
    levels
}

/// Builds the table from both sides (scheme first), whose exports read every covariate,
/// exact and group column (the covariate `pre_score` is the scored pre total).
pub fn build_cohort(
    covariate_names: &[String],
    exact_names: &[String],
    group_column: Option<&str>,
    sides: [Side<'_>; 2],
) -> Cohort {
    // Each covariate's kind from both files' values.
    let covariates: Vec<Covariate> = covariate_names
        .iter()
        .map(|name| {
            if name == PRE_SCORE {
                return Covariate {
                    name: name.clone(),
                    kind: Kind::Numeric,
                };
            }
            let levels = known_levels(&sides, name);
            let numeric = !levels.is_empty()
                && levels
                    .iter()
                    .all(|l| l.trim().parse::<f64>().is_ok_and(f64::is_finite));
            Covariate {
                name: name.clone(),
                kind: if numeric {
                    Kind::Numeric
                } else {
                    Kind::Categorical { levels }
                },
            }
        })
        .collect();
    let exact_levels: Vec<Vec<String>> = exact_names
        .iter()
        .map(|name| known_levels(&sides, name))
        .collect();
    let mut units = Vec::new();
    let mut counts: [CohortCounts; 2] = Default::default();
    for (s, side) in sides.iter().enumerate() {
        let treated = s == 0;
        let people = side.scored.scores[0].len();
        counts[s].people = people as u64;
        'people: for p in 0..people {
            let pre = side.scored.valid(Timepoint::Pre, p);
            let invalid = side.scored.profile(p).1;
            let refused = |t: Timepoint| u64::from(invalid & (1 << t.index()) != 0);
            let mut values = Vec::with_capacity(covariates.len());
            for covariate in &covariates {
                let value = if covariate.name == PRE_SCORE {
                    pre
                } else {
                    value_of(side, &covariate.name, p).and_then(|text| match &covariate.kind {
                        Kind::Numeric => text.trim().parse::<f64>().ok(),
                        Kind::Categorical { levels } => levels
                            .binary_search_by(|l| l.as_str().cmp(text))
                            .ok()
                            .map(|i| i as f64),
                    })
                };
                match value {
                    Some(v) => values.push(v),
                    None if covariate.name == PRE_SCORE => {
                        counts[s].no_pre += 1;
                        counts[s].invalid_score += refused(Timepoint::Pre);
                        continue 'people;
                    }
                    None => {
                        counts[s].missing_covariate += 1;
                        continue 'people;
                    }
                }
            }
            let mut exact = Vec::with_capacity(exact_names.len());
            for (name, levels) in exact_names.iter().zip(&exact_levels) {
                match value_of(side, name, p)
                    .and_then(|text| levels.binary_search_by(|l| l.as_str().cmp(text)).ok())
                {
                    Some(i) => exact.push(i as u32),
                    None => {
                        counts[s].missing_covariate += 1;
                        continue 'people;
                    }
                }
            }
            let Some(pre) = pre else {
                counts[s].no_pre += 1;
                counts[s].invalid_score += refused(Timepoint::Pre);
                continue;
            };
            let Some(post) = side.scored.valid(Timepoint::Post, p) else {
                counts[s].no_post += 1;
                counts[s].invalid_score += refused(Timepoint::Post);
                continue;
            };
            counts[s].eligible += 1;
            units.push(Unit {
                treated,
                person: p,
                values,
                exact,
                group: group_column
                    .and_then(|name| value_of(side, name, p))
                    .map(str::to_string),
                pre,
                post,
                followup: side.scored.valid(Timepoint::Followup, p),
            });
        }
    }
    // Levels only excluded people had would be empty columns: keep the levels in use.
    let mut covariates = covariates;
    for (c, covariate) in covariates.iter_mut().enumerate() {
        let Kind::Categorical { levels } = &mut covariate.kind else {
            continue;
        };
        let mut used = vec![false; levels.len()];
        for u in &units {
            used[u.values[c] as usize] = true;
        }
        let mut new_index = vec![0usize; levels.len()];
        let mut kept = Vec::new();
        for (l, level) in levels.iter().enumerate() {
            if used[l] {
                new_index[l] = kept.len();
                kept.push(level.clone());
            }
        }
        for u in &mut units {
            u.values[c] = new_index[u.values[c] as usize] as f64;
        }
        *levels = kept;
    }
    Cohort {
        covariates,
        exact: exact_names.to_vec(),
        exact_levels,
        group_column: group_column.map(str::to_string),
        units,
        counts,
    }
}

impl Cohort {
    /// The propensity model's design: an intercept, each numeric covariate, and an indicator
    /// for every level of a categorical covariate but its first (R's treatment coding); with
    /// the column names (`age_band75+` as R names them).
    pub fn design(&self) -> (nalgebra::DMatrix<f64>, Vec<String>) {
        let mut names = vec!["(Intercept)".to_string()];
        // (covariate, level or None for numeric)
        let mut columns: Vec<(usize, Option<usize>)> = Vec::new();
        for (c, covariate) in self.covariates.iter().enumerate() {
            match &covariate.kind {
                Kind::Numeric => {
                    columns.push((c, None));
                    names.push(covariate.name.clone());
                }
                Kind::Categorical { levels } => {
                    for (l, level) in levels.iter().enumerate().skip(1) {
                        columns.push((c, Some(l)));
                        names.push(format!("{}{level}", covariate.name));
                    }
                }
            }
        }
        let x = nalgebra::DMatrix::from_fn(self.units.len(), columns.len() + 1, |i, j| {
            if j == 0 {
                return 1.0;
            }
            let (c, level) = columns[j - 1];
            let v = self.units[i].values[c];
            match level {
                None => v,
                Some(l) => f64::from(v == l as f64),
            }
        });
        (x, names)
    }
}
