//! The check an output checker in a trusted research environment does by hand: from the
//! published tables alone, how far can a reader pin down each withheld count?
//!
//! The people of each published row (a group in a comparison) split into *types*: the
//! direction of their change (improved, unchanged, worse) × their move between categories
//! (stayed in the worse one, stayed out, moved out, moved in) × their reliable change
//! (better, none, worse), the impossible combinations left out (moving out of the worse
//! category or a reliable improvement is an improvement). Every count the tables publish is
//! a sum of types: comparisons.csv's n and direction counts, categories.csv's 2x2 margins and
//! moves, reliable_change.csv's classes with the recovered and deteriorated; the groups of a
//! grouping column add up, type by type, to the whole sample's row; distribution.csv's bars
//! add up to the whole sample's direction counts; timepoints.csv and repeated.csv give each
//! group's people with a score at a timepoint, and with all three, which bound the pairs.
//!
//! Over whole, non-negative counts meeting all of that, each withheld count, each group of
//! people a reader could name (one type of one row; the people a count holds beyond one
//! nested in it; the withheld cells of a row or grouping column together) has a smallest and
//! a largest possible value: its range. A withheld count (or several together) is
//! **exposed** when its range starts at 1 to min-cell - 1 and is narrower than min-cell (the
//! protection interval): a reader then knows someone is in it and about how many. A group
//! the tables never publish as a count is exposed when a reader can tell it holds 1 to
//! min-cell - 1 people (its range starts at 1 or more and ends below min-cell): a range of
//! 9 to 12 describes no group smaller than min-cell, as publishing 12 would not. The ranges
//! are exact integer programmes (microlp's branch and bound), solved first with the counts
//! outside one grouping column (then one comparison) held at a feasible table's values, and
//! over everything where that shows a count pinned.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::BTreeMap;

/// A row of comparisons.csv with the counts categories.csv and reliable_change.csv publish
/// for the same group and comparison; `None` where a count is withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    /// Grouping column (`all` for the whole sample).
    pub group_by: String,
    /// Group.
    pub group: String,
    /// Comparison (`pre_post` ...).
    pub comparison: String,
    /// People with both scores.
    pub n: Option<u64>,
    /// Improved, unchanged, worse.
    pub direction: [Option<u64>; 3],
    /// categories.csv: in the worse category earlier, later; moved out of it, into it.
    pub categories: Option<[Option<u64>; 4]>,
    /// reliable_change.csv: reliably better, no reliable change, reliably worse, recovered,
    /// deteriorated.
    pub reliable: Option<[Option<u64>; 5]>,
}

/// A row giving a group's number of people at a timepoint (timepoints.csv) or with all
/// three (repeated.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct SizeRow {
    /// The table it is published in.
    pub table: &'static str,
    /// Grouping column.
    pub group_by: String,
    /// Group.
    pub group: String,
    /// `pre`, `post`, `followup`, or `all_three`.
    pub key: String,
    /// People; `None` when withheld.
    pub n: Option<u64>,
}

/// Everything the audit reads from a results folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Published {
    /// The threshold the results were published under.
    pub min_cell: u64,
    /// comparisons.csv's rows with their categories and reliable change.
    pub pairs: Vec<PairRow>,
    /// timepoints.csv and repeated.csv.
    pub sizes: Vec<SizeRow>,
    /// distribution.csv: per comparison, the whole sample's bars added up over sets of
    /// directions: each side alone, or sides a bar spans.
    pub sides: Vec<(String, Vec<SideSum>)>,
    /// transitions.csv, per comparison: the whole sample's published (earlier, later) pairs
    /// by their kind, and per distribution bar the people it holds whose pair is not
    /// published, with the (direction, reliable change) its changes can have.
    pub transitions: Vec<Transitions>,
    /// Rows of [`Published::pairs`] whose people of each kind are taken as known (from
    /// [`kind_counts`] of the unprotected tables): what protection may assume of a reader, as
    /// knowing more only narrows the ranges. Empty for an audit of a results folder.
    pub fixed: Vec<(usize, Vec<u64>)>,
}

/// transitions.csv of one comparison, as the audit reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transitions {
    /// The comparison.
    pub comparison: String,
    /// Published pairs: each pair's kind (from its scores, the scale's categories and the
    /// reliable change yardstick) and its people.
    pub pairs: Vec<(Kind, u64)>,
    /// Per bar of distribution.csv: the (direction, reliable change) of its changes, and its
    /// people not in a published pair.
    pub left_out: Vec<(Vec<(usize, usize)>, u64)>,
}

/// People over a set of directions (0 improved, 1 unchanged, 2 worse), from distribution.csv.
pub type SideSum = (Vec<usize>, u64);

/// A constraint: terms (variable, coefficient), comparison, right-hand side, its table.
type Constraint = (Vec<(usize, f64)>, ComparisonOp, f64, &'static str);

/// A count a reader can pin down to a small group.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    /// What it counts, in words (table, row, column).
    pub what: String,
    /// Its smallest and largest possible values.
    pub range: (u64, u64),
    /// The tables whose counts pin it.
    pub from: Vec<&'static str>,
    /// The rows of comparisons.csv (indexes of [`Published::pairs`]) whose people it counts.
    pub rows: Vec<usize>,
}

/// What the audit found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audit {
    /// Counts and groups whose range was computed.
    pub checked: usize,
    /// Those exposed.
    pub exposed: Vec<Exposure>,
    /// Those the solver could not bound (not called protected).
    pub unsolved: Vec<String>,
}

const DIRECTIONS: [&str; 3] = ["improved", "unchanged", "worse"];
const MOVES: [&str; 4] = [
    "stayed in the worse category",
    "stayed out of it",
    "moved out of it",
    "moved into it",
];
const RELIABLE: [&str; 3] = ["reliably better", "no reliable change", "reliably worse"];

/// A type of person in a row: direction (0 improved, 1 unchanged, 2 worse), move (0 stayed
/// in the worse category, 1 stayed out, 2 moved out, 3 moved in), reliable change (0 better,
/// 1 none, 2 worse).
pub type Kind = (usize, usize, usize);

/// Which kinds a published count adds up.
type KindTest = fn(&Kind) -> bool;

/// The types possible when the tables split by moves (`moves`) and reliable change
/// (`reliable`): without them, one move (`stayed out`) and one class (`none`).
fn kinds(moves: bool, reliable: bool) -> Vec<Kind> {
    let mut out = Vec::new();
    for d in 0..3 {
        for m in 0..4 {
            for r in 0..3 {
                let possible = match (d, m, r) {
                    (_, 0 | 2 | 3, _) if !moves => false,
                    (_, _, 0 | 2) if !reliable => false,
                    (1, m, r) => m < 2 && r == 1,
                    (_, 2, _) | (_, _, 0) if d != 0 => false,
                    (_, 3, _) | (_, _, 2) if d != 2 => false,
                    _ => true,
                };
                if possible {
                    out.push((d, m, r));
                }
            }
        }
    }
    out
}

/// A linear sum of variables (each coefficient 1 or -1) and what it means.
#[derive(Debug, Clone)]
struct Check {
    what: String,
    vars: Vec<usize>,
    /// A group the tables never publish as a count (a kind of person, people left out of
    /// transitions.csv): exposed only when a reader can tell it holds 1 to min-cell - 1
    /// people. A withheld count (or several together) is held to the protection interval.
    derived: bool,
}

/// The integer programme: variables (non-negative whole counts), equalities and
/// inequalities over them, each constraint naming its table.
#[derive(Default, Clone)]
struct Model {
    /// Variables taken as known ([`Published::fixed`]): checks of those alone are not made.
    assumed: Vec<bool>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    table_of: Vec<&'static str>,
    constraints: Vec<Constraint>,
}

impl Model {
    fn var(&mut self, upper: f64, table: &'static str) -> usize {
        self.assumed.push(false);
        self.lower.push(0.0);
        self.upper.push(upper);
        self.table_of.push(table);
        self.upper.len() - 1
    }

    fn equal(&mut self, vars: &[usize], value: u64, table: &'static str) {
        let terms = vars.iter().map(|&v| (v, 1.0)).collect();
        self.constraints
            .push((terms, ComparisonOp::Eq, value as f64, table));
    }
}

/// Audits what a results folder publishes.
pub fn audit(published: &Published) -> Audit {
    audit_where(published, &|_| true)
}

/// [`audit`] of the checks whose description `keep` accepts (the same model: one check's
/// range after a change, without solving every other).
// Rows, kinds and directions index several parallel tables at once.
#[allow(clippy::needless_range_loop)]
pub fn audit_where(published: &Published, keep: &dyn Fn(&str) -> bool) -> Audit {
    let m = published.min_cell;
    if m <= 1 {
        return Audit::default(); // nothing is withheld for being small
    }
    let (model, mut checks, row_vars) = build(published);
    // Which row of comparisons.csv each variable counts people of, to name an exposure's rows.
    let mut var_row: Vec<Option<usize>> = vec![None; model.upper.len()];
    for (r, vars) in row_vars.iter().enumerate() {
        for &v in vars {
            var_row[v] = Some(r);
        }
    }
    checks.retain(|c| keep(&c.what) && c.vars.iter().any(|&v| !model.assumed[v]));
    // Each grouping column's rows of one comparison: where most checks lie.
    let mut family_of: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut var_family: Vec<Option<usize>> = vec![None; model.upper.len()];
    for (r, row) in published.pairs.iter().enumerate() {
        if row.group_by == "all" {
            continue;
        }
        let next = family_of.len();
        let family = *family_of
            .entry((row.group_by.as_str(), row.comparison.as_str()))
            .or_insert(next);
        for &v in &row_vars[r] {
            var_family[v] = Some(family);
        }
    }
    solve_by_family(&model, checks, m, &var_row, &var_family)
}

/// [`solve_checks`], most of it over far fewer counts. The tables link every count (each
/// grouping column adds up to the whole sample, the sizes link the comparisons), so the
/// whole model is one large programme. But a table consistent with everything published, with
/// some counts then moved while the rest stay, is consistent with everything published too:
/// so checks are first solved with every count outside their group held at one feasible
/// table's values, the groups being each grouping column's rows of one comparison, then
/// each comparison (its rows and transitions, without the sizes). What that shows possible is
/// possible (it clears a check); what it shows pinned is solved again at the next level, the
/// last being the whole model, as are the checks that span groups.
fn solve_by_family(
    model: &Model,
    checks: Vec<Check>,
    m: u64,
    var_row: &[Option<usize>],
    var_family: &[Option<usize>],
) -> Audit {
    let components = Components::of(model);
    let parts: Vec<usize> = (0..components.members.len()).collect();
    let feasible = match checks.len() {
        0..=8 => None, // a few checks: the whole model at once
        _ => extreme(model, &components, &parts, &[], false).map(|(_, w)| w),
    };
    let Some(feasible) = feasible else {
        return solve_checks(model, checks, m, var_row);
    };
    // The comparisons: what stays linked without the sizes.
    let mut without_sizes = model.clone();
    for (terms, ..) in &mut without_sizes.constraints {
        terms.retain(|&(v, _)| !matches!(model.table_of[v], "timepoints.csv" | "repeated.csv"));
    }
    let linked = Components::of(&without_sizes);
    let var_comparison: Vec<Option<usize>> = (0..model.upper.len())
        .map(|v| {
            let sized = matches!(model.table_of[v], "timepoints.csv" | "repeated.csv");
            (!sized).then_some(linked.of[v])
        })
        .collect();
    let mut audit = Audit::default();
    let mut pending = checks;
    for groups in [var_family, &var_comparison] {
        let count = groups.iter().flatten().max().map_or(0, |&g| g + 1);
        let mut local: Vec<Vec<Check>> = vec![Vec::new(); count];
        let mut next: Vec<Check> = Vec::new();
        for check in pending {
            let first = check.vars.first().and_then(|&v| groups[v]);
            match first {
                Some(g) if check.vars.iter().all(|&v| groups[v] == Some(g)) => local[g].push(check),
                _ => next.push(check),
            }
        }
        for (g, checks) in local.into_iter().enumerate() {
            if checks.is_empty() {
                continue;
            }
            let mut held = model.clone();
            for v in (0..held.upper.len()).filter(|&v| groups[v] != Some(g)) {
                let value = feasible.get(&v).copied().unwrap_or(held.lower[v]);
                held.lower[v] = value;
                held.upper[v] = value;
            }
            presolve(&mut held);
            let by_what: BTreeMap<String, Check> =
                checks.iter().map(|c| (c.what.clone(), c.clone())).collect();
            let found = solve_checks(&held, checks, m, var_row);
            audit.checked += found.checked;
            // Pinned with the rest held: solved again at the next level.
            for what in found.exposed.iter().map(|e| &e.what).chain(&found.unsolved) {
                if let Some(check) = by_what.get(what) {
                    next.push(check.clone());
                    audit.checked -= 1;
                }
            }
        }
        pending = next;
    }
    let found = solve_checks(model, pending, m, var_row);
    audit.checked += found.checked;
    audit.exposed.extend(found.exposed);
    audit.unsolved.extend(found.unsolved);
    audit
}

/// One whole table of kinds consistent with everything `published` says: per row of
/// comparisons.csv, its people of each kind (in the order the audit numbers kinds); `None`
/// when the solver finds none. A protection may take some rows' kinds as known (see
/// [`Published::fixed`]): that only narrows what a reader could find, never widens it.
pub fn kind_counts(published: &Published) -> Option<Vec<Vec<u64>>> {
    let (model, _, row_vars) = build(published);
    let components = Components::of(&model);
    let parts: Vec<usize> = (0..components.members.len()).collect();
    let (_, values) = extreme(&model, &components, &parts, &[], false)?;
    Some(
        row_vars
            .iter()
            .map(|vars| {
                vars.iter()
                    .map(|v| values.get(v).copied().unwrap_or(0.0) as u64)
                    .collect()
            })
            .collect(),
    )
}

/// The model of everything `published` says, the checks to solve, and each row's variables.
// Rows, kinds and directions index several parallel tables at once.
#[allow(clippy::needless_range_loop)]
fn build(published: &Published) -> (Model, Vec<Check>, Vec<Vec<usize>>) {
    let moves = published.pairs.iter().any(|r| r.categories.is_some());
    let reliable = published.pairs.iter().any(|r| r.reliable.is_some());
    let kinds = kinds(moves, reliable);
    // The largest count any cell can hold: everyone in the export, at most.
    let everyone = published
        .pairs
        .iter()
        .filter_map(|r| r.n)
        .chain(published.sizes.iter().filter_map(|s| s.n))
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 4.0;
    let mut model = Model::default();
    let mut checks: Vec<Check> = Vec::new();
    // Each row's type counts.
    let row_vars: Vec<Vec<usize>> = published
        .pairs
        .iter()
        .map(|_| {
            kinds
                .iter()
                .map(|_| model.var(everyone, "comparisons.csv"))
                .collect()
        })
        .collect();
    let sum_where = |r: usize, keep: &dyn Fn(&Kind) -> bool| -> Vec<usize> {
        kinds
            .iter()
            .zip(&row_vars[r])
            .filter(|(k, _)| keep(k))
            .map(|(_, &v)| v)
            .collect()
    };
    for (r, row) in published.pairs.iter().enumerate() {
        let name = format!("{}={} {}", row.group_by, row.group, row.comparison);
        let all = sum_where(r, &|_| true);
        let mut cells: Vec<(&'static str, String, Vec<usize>, Option<u64>)> =
            vec![("comparisons.csv", "n".into(), all.clone(), row.n)];
        for (d, value) in row.direction.iter().enumerate() {
            let vars = sum_where(r, &|k| k.0 == d);
            cells.push((
                "comparisons.csv",
                format!("n_{}", DIRECTIONS[d]),
                vars,
                *value,
            ));
        }
        if let Some(c) = &row.categories {
            let parts: [(&str, KindTest); 4] = [
                ("n_worse_earlier", |k: &Kind| k.1 == 0 || k.1 == 2),
                ("n_worse_later", |k: &Kind| k.1 == 0 || k.1 == 3),
                ("n_to_better", |k: &Kind| k.1 == 2),
                ("n_to_worse", |k: &Kind| k.1 == 3),
            ];
            for ((label, keep), value) in parts.iter().zip(c) {
                cells.push((
                    "categories.csv",
                    label.to_string(),
                    sum_where(r, keep),
                    *value,
                ));
            }
        }
        if let Some(c) = &row.reliable {
            let parts: [(&str, KindTest); 5] = [
                ("n_reliably_better", |k: &Kind| k.2 == 0),
                ("n_no_reliable_change", |k: &Kind| k.2 == 1),
                ("n_reliably_worse", |k: &Kind| k.2 == 2),
                ("n_recovered", |k: &Kind| k.2 == 0 && k.1 == 2),
                ("n_deteriorated", |k: &Kind| k.2 == 2 && k.1 == 3),
            ];
            for ((label, keep), value) in parts.iter().zip(c) {
                cells.push((
                    "reliable_change.csv",
                    label.to_string(),
                    sum_where(r, keep),
                    *value,
                ));
            }
        }
        // Published counts are constraints; withheld ones are what a reader would want.
        for (table, column, vars, value) in &cells {
            match value {
                Some(v) => model.equal(vars, *v, table),
                None => checks.push(Check {
                    what: format!("{table} {name} {column} (withheld)"),
                    vars: vars.clone(),
                    derived: false,
                }),
            }
        }
        // The withheld direction counts of a published row, together.
        let hidden: Vec<usize> = (0..3).filter(|&d| row.direction[d].is_none()).collect();
        if row.n.is_some() && hidden.len() >= 2 && hidden.len() < 3 {
            checks.push(Check {
                what: format!(
                    "comparisons.csv {name}: the withheld {} together",
                    hidden
                        .iter()
                        .map(|&d| DIRECTIONS[d])
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                vars: sum_where(r, &|k| hidden.contains(&k.0)),
                derived: false,
            });
        }
        // Each type of person in the row: a group a reader could name.
        for (k, kind) in kinds.iter().enumerate() {
            let mut words = vec![DIRECTIONS[kind.0]];
            if moves {
                words.push(MOVES[kind.1]);
            }
            if reliable {
                words.push(RELIABLE[kind.2]);
            }
            checks.push(Check {
                what: format!("{name}: people {}", words.join(", ")),
                vars: vec![row_vars[r][k]],
                derived: true,
            });
        }
        // The people one published count holds beyond a count nested in it (15 improved and
        // 12 reliably better leave 3 who improved without a reliable change).
        let beyond: [(bool, &str, KindTest); 4] = [
            (
                reliable,
                "improved without a reliable improvement",
                |k: &Kind| k.0 == 0 && k.2 != 0,
            ),
            (
                reliable,
                "worse without a reliable worsening",
                |k: &Kind| k.0 == 2 && k.2 != 2,
            ),
            (
                moves && reliable,
                "moved out of the worse category without a reliable improvement",
                |k: &Kind| k.1 == 2 && k.2 != 0,
            ),
            (
                moves && reliable,
                "moved into the worse category without a reliable worsening",
                |k: &Kind| k.1 == 3 && k.2 != 2,
            ),
        ];
        for (applies, words, keep) in beyond {
            if applies {
                checks.push(Check {
                    what: format!("{name}: people {words}"),
                    vars: sum_where(r, &keep),
                    derived: true,
                });
            }
        }
    }
    // A grouping column's groups add up to the whole sample's row, type by type.
    let mut families: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (r, row) in published.pairs.iter().enumerate() {
        families
            .entry((row.group_by.as_str(), row.comparison.as_str()))
            .or_default()
            .push(r);
    }
    for (&(group_by, comparison), rows) in &families {
        if group_by == "all" {
            continue;
        }
        let Some(&total) = families.get(&("all", comparison)).and_then(|t| t.first()) else {
            continue;
        };
        for k in 0..kinds.len() {
            let mut terms: Vec<(usize, f64)> =
                rows.iter().map(|&r| (row_vars[r][k], 1.0)).collect();
            terms.push((row_vars[total][k], -1.0));
            model
                .constraints
                .push((terms, ComparisonOp::Eq, 0.0, "comparisons.csv"));
        }
        // The withheld direction counts of a column of the family, together.
        for d in 0..3 {
            let hidden: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| published.pairs[r].direction[d].is_none())
                .collect();
            if hidden.len() >= 2 {
                checks.push(Check {
                    // Named without its number of groups: the same check as cells join it.
                    what: format!(
                        "comparisons.csv {group_by} {comparison}: the withheld n_{} of its groups together",
                        DIRECTIONS[d]
                    ),
                    vars: hidden.iter().flat_map(|&r| sum_where(r, &|k| k.0 == d)).collect(),
                    derived: false,
                });
            }
        }
    }
    // distribution.csv: the whole sample's bars by side.
    for (comparison, sides) in &published.sides {
        if let Some(&r) = families
            .get(&("all", comparison.as_str()))
            .and_then(|t| t.first())
        {
            for (directions, value) in sides {
                let vars = sum_where(r, &|k| directions.contains(&k.0));
                model.equal(&vars, *value, "distribution.csv");
            }
        }
    }
    // transitions.csv: the whole sample's people of each kind are its published pairs of that
    // kind and some of each bar's left-out people (a bar's changes fix their direction and
    // reliable change, not their move).
    for t in &published.transitions {
        let Some(&r) = families
            .get(&("all", t.comparison.as_str()))
            .and_then(|rows| rows.first())
        else {
            continue;
        };
        let mut left: Vec<Vec<usize>> = vec![Vec::new(); kinds.len()];
        for (changes, people) in &t.left_out {
            let mut bar = Vec::new();
            for (k, kind) in kinds.iter().enumerate() {
                if changes.contains(&(kind.0, kind.2)) {
                    let v = model.var(everyone, "transitions.csv");
                    left[k].push(v);
                    bar.push(v);
                }
            }
            model.equal(&bar, *people, "transitions.csv");
        }
        for (k, kind) in kinds.iter().enumerate() {
            let published_pairs: u64 = t
                .pairs
                .iter()
                .filter(|(p, _)| p == kind)
                .map(|(_, n)| n)
                .sum();
            let mut terms: Vec<(usize, f64)> = vec![(row_vars[r][k], 1.0)];
            terms.extend(left[k].iter().map(|&v| (v, -1.0)));
            model.constraints.push((
                terms,
                ComparisonOp::Eq,
                published_pairs as f64,
                "transitions.csv",
            ));
        }
        // Groups a reader could name: the people left out of transitions.csv who moved out
        // of (or into) the worse category, or of one kind.
        let name = format!("transitions.csv all {}", t.comparison);
        for m in 2..4 {
            let vars: Vec<usize> = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| k.1 == m)
                .flat_map(|(k, _)| left[k].iter().copied())
                .collect();
            if !vars.is_empty() {
                checks.push(Check {
                    what: format!(
                        "{name}: people whose pair is not published who {}",
                        MOVES[m]
                    ),
                    vars,
                    derived: true,
                });
            }
        }
        for (k, kind) in kinds.iter().enumerate() {
            if !left[k].is_empty() {
                checks.push(Check {
                    what: format!(
                        "{name}: people whose pair is not published, {}, {}, {}",
                        DIRECTIONS[kind.0], MOVES[kind.1], RELIABLE[kind.2]
                    ),
                    vars: left[k].clone(),
                    derived: true,
                });
            }
        }
    }
    // Sizes: a group's people at a timepoint (or with all three), adding up over the groups,
    // and at least (at most) the pairs of the same group that need that timepoint.
    let size_vars: Vec<usize> = published
        .sizes
        .iter()
        .map(|s| model.var(everyone, s.table))
        .collect();
    let mut size_families: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, s) in published.sizes.iter().enumerate() {
        size_families
            .entry((s.group_by.as_str(), s.key.as_str()))
            .or_default()
            .push(i);
        let name = format!("{} {}={} {}", s.table, s.group_by, s.group, s.key);
        match s.n {
            Some(n) => model.equal(&[size_vars[i]], n, s.table),
            None => checks.push(Check {
                what: format!("{name} n (withheld)"),
                vars: vec![size_vars[i]],
                derived: false,
            }),
        }
        for (r, row) in published.pairs.iter().enumerate() {
            if row.group_by != s.group_by || row.group != s.group {
                continue;
            }
            let needs = match s.key.as_str() {
                "all_three" => Some(false),
                key => row.comparison.split('_').any(|t| t == key).then_some(true),
            };
            let Some(at_least) = needs else { continue };
            let op = if at_least {
                ComparisonOp::Ge
            } else {
                ComparisonOp::Le
            };
            // A published side is a number, not a link: the comparisons stay apart, so each
            // range is solved over far fewer counts.
            match (s.n, row.n) {
                (Some(_), Some(_)) => {}
                (None, Some(pairs)) => {
                    let terms = vec![(size_vars[i], 1.0)];
                    model.constraints.push((terms, op, pairs as f64, s.table));
                }
                (size, _) => {
                    let mut terms: Vec<(usize, f64)> =
                        row_vars[r].iter().map(|&v| (v, -1.0)).collect();
                    let rhs = match size {
                        Some(n) => -(n as f64),
                        None => {
                            terms.push((size_vars[i], 1.0));
                            0.0
                        }
                    };
                    model.constraints.push((terms, op, rhs, s.table));
                }
            }
        }
    }
    for (&(group_by, key), members) in &size_families {
        if group_by == "all" {
            continue;
        }
        let Some(&total) = size_families.get(&("all", key)).and_then(|t| t.first()) else {
            continue;
        };
        let table = published.sizes[total].table;
        let mut terms: Vec<(usize, f64)> = members.iter().map(|&i| (size_vars[i], 1.0)).collect();
        terms.push((size_vars[total], -1.0));
        model
            .constraints
            .push((terms, ComparisonOp::Eq, 0.0, table));
    }
    // Rows whose kinds are taken as known: their variables become numbers, so the grouping
    // columns that add up to them no longer link through them.
    for (r, counts) in &published.fixed {
        for (&v, &count) in row_vars[*r].iter().zip(counts) {
            model.assumed[v] = true;
            model.lower[v] = count as f64;
            model.upper[v] = count as f64;
        }
    }
    presolve(&mut model);
    (model, checks, row_vars)
}

/// Fixes what the constraints force and takes fixed counts out of the constraints, so that
/// the linked sets split and each range is solved over fewer counts: a sum of counts equal to
/// 0 makes each 0, a constraint on one count bounds it, and a count whose bounds meet is a
/// number. Repeated until nothing changes. A constraint that cannot hold is left for the
/// solver to report.
fn presolve(model: &mut Model) {
    loop {
        let mut changed = false;
        for (terms, op, rhs, _) in &mut model.constraints {
            for &(v, a) in terms.iter() {
                if model.lower[v] == model.upper[v] {
                    *rhs -= a * model.lower[v];
                }
            }
            terms.retain(|&(v, _)| model.lower[v] < model.upper[v]);
            match (terms.as_slice(), *op) {
                ([], _) => {}
                (&[(v, a)], op) => {
                    let bound = *rhs / a;
                    let (lower, upper) = (model.lower[v], model.upper[v]);
                    let (mut lo, mut hi) = (lower, upper);
                    let at_least = matches!(op, ComparisonOp::Ge) == (a > 0.0);
                    match op {
                        ComparisonOp::Eq => (lo, hi) = (bound, bound),
                        _ if at_least => lo = lo.max(bound.ceil()),
                        _ => hi = hi.min(bound.floor()),
                    }
                    if lo <= hi && lo.fract() == 0.0 && (lo, hi) != (lower, upper) {
                        model.lower[v] = lo;
                        model.upper[v] = hi;
                        changed = true;
                    }
                }
                (many, ComparisonOp::Eq)
                    if *rhs == 0.0
                        && many.iter().all(|&(v, a)| a > 0.0 && model.lower[v] == 0.0) =>
                {
                    for &(v, _) in many {
                        model.upper[v] = 0.0;
                    }
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
    // What is left: the constraints on counts not yet known.
    for (terms, _, rhs, _) in &mut model.constraints {
        for &(v, a) in terms.iter() {
            if model.lower[v] == model.upper[v] {
                *rhs -= a * model.lower[v];
            }
        }
        terms.retain(|&(v, _)| model.lower[v] < model.upper[v]);
    }
    model.constraints.retain(|(terms, ..)| !terms.is_empty());
}

/// Computes each check's range within its linked set of counts and keeps the exposed.
///
/// Every solve gives a whole feasible table, a *witness*: a check that is 0 in some witness
/// can be 0, and one whose witnesses differ by min-cell or more has a range that wide, so
/// most checks are cleared by the witnesses of others (two solves per linked set first:
/// everything checked at its smallest, then at its largest) and only the rest are solved.
fn solve_checks(model: &Model, checks: Vec<Check>, m: u64, var_row: &[Option<usize>]) -> Audit {
    let components = Components::of(model);
    let mut audit = Audit::default();
    let mut seen = std::collections::BTreeSet::new();
    // Checks by the linked sets they span.
    let mut by_parts: BTreeMap<Vec<usize>, Vec<Check>> = BTreeMap::new();
    for check in checks {
        let mut key = check.vars.clone();
        key.sort_unstable();
        if !seen.insert(key) {
            continue;
        }
        let mut parts: Vec<usize> = check.vars.iter().map(|&v| components.of[v]).collect();
        parts.sort_unstable();
        parts.dedup();
        by_parts.entry(parts).or_default().push(check);
    }
    for (parts, checks) in by_parts {
        audit.checked += checks.len();
        let mut witnesses: Vec<BTreeMap<usize, f64>> = Vec::new();
        let everything: Vec<usize> = checks.iter().flat_map(|c| c.vars.iter().copied()).collect();
        // Witnesses pay off over many checks; one check is solved directly.
        for largest in [false, true].into_iter().filter(|_| checks.len() > 2) {
            if let Some((_, w)) = extreme(model, &components, &parts, &everything, largest) {
                witnesses.push(w);
            }
        }
        let from = || {
            let mut from: Vec<&'static str> = parts
                .iter()
                .flat_map(|&p| components.tables[p].iter().copied())
                .collect();
            from.sort_unstable();
            from.dedup();
            from
        };
        for check in checks {
            let seen_range = |witnesses: &[BTreeMap<usize, f64>]| -> Option<(u64, u64)> {
                let values = witnesses.iter().map(|w| {
                    check
                        .vars
                        .iter()
                        .map(|v| w.get(v).copied().unwrap_or(0.0))
                        .sum::<f64>()
                        .round() as u64
                });
                values.fold(None, |acc, v| match acc {
                    None => Some((v, v)),
                    Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
                })
            };
            // Protected: nobody need be in it, or (a withheld count) its range is min-cell
            // wide, or (a derived group) it may hold min-cell or more.
            let cleared = |range: Option<(u64, u64)>| {
                range.is_some_and(|(lo, hi)| match check.derived {
                    true => lo == 0 || hi >= m,
                    false => lo == 0 || hi - lo >= m,
                })
            };
            if cleared(seen_range(&witnesses)) {
                continue;
            }
            let Some((low, w)) = extreme(model, &components, &parts, &check.vars, false) else {
                audit.unsolved.push(check.what);
                continue;
            };
            witnesses.push(w);
            // Protected when nobody need be in it, or it holds min-cell or more.
            if low == 0 || low >= m || cleared(seen_range(&witnesses)) {
                continue;
            }
            let Some((high, w)) = extreme(model, &components, &parts, &check.vars, true) else {
                audit.unsolved.push(check.what);
                continue;
            };
            witnesses.push(w);
            let pinned = match check.derived {
                true => high < m,
                false => high - low < m,
            };
            if pinned {
                let mut rows: Vec<usize> = check.vars.iter().filter_map(|&v| var_row[v]).collect();
                rows.sort_unstable();
                rows.dedup();
                audit.exposed.push(Exposure {
                    what: check.what,
                    range: (low, high),
                    from: from(),
                    rows,
                });
            }
        }
    }
    audit
}

/// The representative of `x`'s set (union-find with path halving).
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Variables linked through constraints, so each range is solved over its own set.
struct Components {
    of: Vec<usize>,
    /// Per part: its variables and its constraints.
    members: Vec<(Vec<usize>, Vec<usize>)>,
    tables: Vec<Vec<&'static str>>,
}

impl Components {
    // Variables index the union-find, their part and the model's tables at once.
    #[allow(clippy::needless_range_loop)]
    fn of(model: &Model) -> Components {
        let n = model.upper.len();
        let mut parent: Vec<usize> = (0..n).collect();
        for (terms, ..) in &model.constraints {
            if let Some(&(first, _)) = terms.first() {
                for &(v, _) in &terms[1..] {
                    let (a, b) = (find(&mut parent, first), find(&mut parent, v));
                    parent[a] = b;
                }
            }
        }
        let mut index: BTreeMap<usize, usize> = BTreeMap::new();
        let mut of = vec![0; n];
        let mut members: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        let mut tables: Vec<Vec<&'static str>> = Vec::new();
        for v in 0..n {
            let root = find(&mut parent, v);
            let part = *index.entry(root).or_insert_with(|| {
                members.push((Vec::new(), Vec::new()));
                tables.push(Vec::new());
                members.len() - 1
            });
            of[v] = part;
            members[part].0.push(v);
            tables[part].push(model.table_of[v]);
        }
        for (c, (terms, _, _, table)) in model.constraints.iter().enumerate() {
            if let Some(&(v, _)) = terms.first() {
                members[of[v]].1.push(c);
                tables[of[v]].push(table);
            }
        }
        Components {
            of,
            members,
            tables,
        }
    }
}

/// The smallest (or largest) whole value of the sum of `vars` over the constraints of the
/// linked sets `parts`, with the table that attains it (a witness); `None` when the solver
/// cannot answer.
fn extreme(
    model: &Model,
    components: &Components,
    parts: &[usize],
    vars: &[usize],
    largest: bool,
) -> Option<(u64, BTreeMap<usize, f64>)> {
    let direction = if largest {
        OptimizationDirection::Maximize
    } else {
        OptimizationDirection::Minimize
    };
    let mut weight: BTreeMap<usize, f64> = BTreeMap::new();
    for &v in vars {
        *weight.entry(v).or_default() += 1.0;
    }
    let mut problem = Problem::new(direction);
    let mut local = BTreeMap::new();
    for &part in parts {
        for &v in &components.members[part].0 {
            let upper = model.upper[v].min(i32::MAX as f64) as i32;
            let lower = model.lower[v].min(upper as f64) as i32;
            let coefficient = weight.get(&v).copied().unwrap_or(0.0);
            local.insert(v, problem.add_integer_var(coefficient, (lower, upper)));
        }
    }
    for &part in parts {
        for &c in &components.members[part].1 {
            let (terms, op, rhs, _) = &model.constraints[c];
            let expr: Vec<(microlp::Variable, f64)> =
                terms.iter().map(|&(v, a)| (local[&v], a)).collect();
            problem.add_constraint(expr.as_slice(), *op, *rhs);
        }
    }
    let solution = problem.solve().ok()?.into_solution().ok()?;
    let values = local
        .iter()
        .map(|(&v, &x)| (v, solution.var_value(x).round()))
        .collect();
    Some((solution.objective().round().max(0.0) as u64, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group_by: &str, group: &str, n: Option<u64>, direction: [Option<u64>; 3]) -> PairRow {
        PairRow {
            group_by: group_by.into(),
            group: group.into(),
            comparison: "pre_post".into(),
            n,
            direction,
            categories: None,
            reliable: None,
        }
    }

    #[test]
    fn a_withheld_group_found_by_subtraction_is_exposed() {
        // The bundled example's leak in miniature: the whole sample 25, the published groups
        // 14 + 10, the withheld one is 1 person who improved.
        let published = Published {
            min_cell: 10,
            pairs: vec![
                row("all", "All", Some(25), [Some(16), Some(5), Some(4)]),
                row("g", "a", Some(14), [Some(9), Some(3), Some(2)]),
                row("g", "b", Some(10), [Some(6), Some(2), Some(2)]),
                row("g", "c", None, [None, None, None]),
            ],
            ..Default::default()
        };
        let audit = audit(&published);
        let n = audit
            .exposed
            .iter()
            .find(|e| e.what.contains("g=c pre_post n (withheld)"))
            .expect("the withheld n is found");
        assert_eq!(n.range, (1, 1));
        assert!(audit
            .exposed
            .iter()
            .any(|e| e.what.contains("n_improved") && e.range == (1, 1)));
    }

    #[test]
    fn two_withheld_groups_that_can_trade_people_are_protected() {
        // Two withheld groups of 30 together, 20 improved and 10 unchanged: each could
        // be 0 to 30.
        let published = Published {
            min_cell: 10,
            pairs: vec![
                row("all", "All", Some(80), [Some(40), Some(20), Some(20)]),
                row("g", "a", Some(50), [Some(20), Some(10), Some(20)]),
                row("g", "b", None, [None, None, None]),
                row("g", "c", None, [None, None, None]),
            ],
            ..Default::default()
        };
        let audit = audit(&published);
        // Their totals, 30, 20 and 10, are not small; each can be 0.
        assert!(audit.exposed.is_empty(), "{:?}", audit.exposed);
        assert!(audit.checked > 0);
    }

    #[test]
    fn a_row_with_one_small_count_blanked_alone_is_exposed() {
        // n 30 with 3 worse blanked: 30 - 20 - 7 = 3.
        let published = Published {
            min_cell: 10,
            pairs: vec![row("all", "All", Some(30), [Some(20), Some(7), None])],
            ..Default::default()
        };
        let exposed = audit(&published).exposed;
        assert!(exposed
            .iter()
            .any(|e| e.what.contains("n_worse") && e.range == (3, 3)));
    }

    #[test]
    fn withheld_groups_whose_column_totals_are_small_are_exposed() {
        // The withheld groups hold 12 people, but only 3 of them were worse: a group a reader
        // can name (people of b or c who were worse) of 3.
        let published = Published {
            min_cell: 10,
            pairs: vec![
                row("all", "All", Some(62), [Some(30), Some(13), Some(19)]),
                row("g", "a", Some(50), [Some(24), Some(10), Some(16)]),
                row("g", "b", None, [None, None, None]),
                row("g", "c", None, [None, None, None]),
            ],
            ..Default::default()
        };
        let exposed = audit(&published).exposed;
        assert!(
            exposed
                .iter()
                .any(|e| e.what.contains("withheld n_worse of its groups") && e.range == (3, 3)),
            "{exposed:?}"
        );
    }

    #[test]
    fn the_moves_left_out_of_transitions_are_found() {
        // 50 people on a 3-9 scale, lonely 6-9: 8->5 (12), 7->5 (3), 8->7 (10), 5->5 (15),
        // 4->6 (10). transitions.csv publishes the pairs of 10 or more but leaves out 7->5
        // and 8->7 (13 together in the bar of changes -2 to -1); categories.csv's 15 who moved
        // out less the 12 of the published 8->5 leaves 3 who moved out unpublished.
        let mut all = row("all", "All", Some(50), [Some(25), Some(15), Some(10)]);
        all.categories = Some([Some(25), Some(20), Some(15), Some(10)]);
        let published = Published {
            min_cell: 10,
            pairs: vec![all],
            transitions: vec![Transitions {
                comparison: "pre_post".into(),
                pairs: vec![((0, 2, 1), 12), ((1, 1, 1), 15), ((2, 3, 1), 10)],
                left_out: vec![
                    (vec![(0, 1)], 0),
                    (vec![(0, 1)], 13),
                    (vec![(1, 1)], 0),
                    (vec![(2, 1)], 0),
                ],
            }],
            ..Default::default()
        };
        let exposed = audit(&published).exposed;
        assert!(
            exposed
                .iter()
                .any(|e| e.what.contains("not published who moved out of it") && e.range == (3, 3)),
            "{exposed:?}"
        );
    }

    #[test]
    fn knowing_more_only_narrows_what_a_reader_finds() {
        // The subtraction leak, audited again with the whole sample's kinds taken as known:
        // still exposed, and the known row's own counts are not checked.
        let published = Published {
            min_cell: 10,
            pairs: vec![
                row("all", "All", Some(25), [Some(16), Some(5), Some(4)]),
                row("g", "a", Some(14), [Some(9), Some(3), Some(2)]),
                row("g", "b", Some(10), [Some(6), Some(2), Some(2)]),
                row("g", "c", None, [None, None, None]),
            ],
            ..Default::default()
        };
        let kinds = kind_counts(&published).expect("a table fits");
        assert_eq!(kinds[0], [16, 5, 4]);
        assert_eq!(kinds[3].iter().sum::<u64>(), 1);
        let known = Published {
            fixed: vec![(0, kinds[0].clone())],
            ..published.clone()
        };
        let exposed = audit(&known).exposed;
        assert!(exposed
            .iter()
            .any(|e| e.what.contains("g=c pre_post n (withheld)") && e.range == (1, 1)));
        assert!(exposed.iter().all(|e| !e.what.starts_with("all=All")));
    }

    #[test]
    fn kinds_follow_the_nesting() {
        // Directions alone: three kinds.
        assert_eq!(kinds(false, false).len(), 3);
        // With moves and reliable change: improved 3 moves (not in) x 2 classes (not worse),
        // unchanged 2 stays, worse 3 moves (not out) x 2 classes.
        assert_eq!(kinds(true, true).len(), 14);
    }
}
