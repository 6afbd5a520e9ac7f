//! Least-loss protection of the count cells of comparisons.csv, categories.csv and
//! reliable_change.csv, which split the same people three ways.
//!
//! Two steps, each cheap where the other is not:
//!
//! 1. [`prepass`]: the small counts (1 to min-cell - 1) of published rows are withheld
//!    (primary), then the classical rule for linked tables: in every *line* (a set of cells
//!    whose signed sum is published: a row's improved + unchanged + worse = n, its reliably
//!    better + no change + worse = n, its 2x2 identity (worse earlier less moved out equals
//!    worse later less moved in), and each grouping column's cells adding up to the whole
//!    sample's), no cell
//!    may be the only one withheld (it would be found by subtraction) and the withheld cells'
//!    total, where it is a number of people, may not be 1 to min-cell - 1. A line that breaks
//!    the rule gets the published cell that leaves the fewest lines broken, then the smallest.
//!    The whole sample's cells are chosen only when nothing else can protect (the rule:
//!    a total stays while an interior cell can protect it).
//! 2. [`repair`]: the lines miss what the tables' other links give away (a count nested in
//!    another, the kinds of person a row's three splits imply), so the published tables are
//!    then [`audit`]ed as a reader would; while an exposure remains, the published cell that
//!    clears it (or widens its range most) is withheld too, the whole sample's last. This is
//!    sdcTable's SIMPLEHEURISTIC idea (suppress, then solve the attacker's problem) with this
//!    tool's own check as the attacker. Withholding more never narrows a range, so a check
//!    once clear stays clear.
//!
//! What is minimised is the number of cells withheld (each is a number a reader loses), not
//! the people in them: the small cells are forced anyway, and a complementary cell of many
//! people protects as well as one of few while costing the reader the same one number; ties
//! go to the cell of fewer people.

use super::audit::{audit, audit_where, Audit, PairRow, Published};
use std::collections::BTreeMap;

/// A count cell of a row: comparisons.csv's improved / unchanged / worse, categories.csv's
/// four counts, reliable_change.csv's five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    /// n_improved, n_unchanged, n_worse.
    Direction(usize),
    /// n_worse_earlier, n_worse_later, n_to_better, n_to_worse.
    Category(usize),
    /// better, no change, worse, recovered, deteriorated.
    Reliable(usize),
}

impl Cell {
    /// Every cell a row can have, in a fixed order.
    const ALL: [Cell; 12] = [
        Cell::Direction(0),
        Cell::Direction(1),
        Cell::Direction(2),
        Cell::Category(0),
        Cell::Category(1),
        Cell::Category(2),
        Cell::Category(3),
        Cell::Reliable(0),
        Cell::Reliable(1),
        Cell::Reliable(2),
        Cell::Reliable(3),
        Cell::Reliable(4),
    ];

    /// Its place in [`Cell::ALL`].
    fn index(self) -> usize {
        match self {
            Cell::Direction(k) => k,
            Cell::Category(k) => 3 + k,
            Cell::Reliable(k) => 7 + k,
        }
    }
}

/// The cell's count in `row`: `None` when the row's table has no such cell, `Some(None)` when
/// it is withheld.
pub fn value(row: &PairRow, cell: Cell) -> Option<Option<u64>> {
    match cell {
        Cell::Direction(k) => Some(row.direction[k]),
        Cell::Category(k) => row.categories.map(|c| c[k]),
        Cell::Reliable(k) => row.reliable.map(|c| c[k]),
    }
}

/// Withholds the cell in `row`.
pub fn withhold(row: &mut PairRow, cell: Cell) {
    match cell {
        Cell::Direction(k) => row.direction[k] = None,
        Cell::Category(k) => {
            if let Some(c) = row.categories.as_mut() {
                c[k] = None;
            }
        }
        Cell::Reliable(k) => {
            if let Some(c) = row.reliable.as_mut() {
                c[k] = None;
            }
        }
    }
}

fn cells(row: &PairRow) -> Vec<Cell> {
    Cell::ALL
        .into_iter()
        .filter(|&c| value(row, c).is_some())
        .collect()
}

/// The count cells withheld in rows that are published (`n` given).
pub fn withheld_cells(published: &Published) -> usize {
    published
        .pairs
        .iter()
        .filter(|r| r.n.is_some())
        .map(|r| {
            cells(r)
                .into_iter()
                .filter(|&c| value(r, c) == Some(None))
                .count()
        })
        .sum()
}

/// The cells of `after` withheld that `before` publishes, by row of comparisons.csv.
pub fn newly_withheld(before: &Published, after: &Published) -> Vec<(usize, Cell)> {
    let mut out = Vec::new();
    for (r, (a, b)) in before.pairs.iter().zip(&after.pairs).enumerate() {
        for cell in cells(a) {
            if matches!(value(a, cell), Some(Some(_))) && value(b, cell) == Some(None) {
                out.push((r, cell));
            }
        }
    }
    out
}

/// Cells whose signed sum is published: (row, cell, +1 or -1).
type Line = Vec<(usize, Cell, i8)>;

/// The lines of the tables: each published row's own identities, and each grouping
/// column's cells adding up to the whole sample's (a line with the whole sample's cell at -1
/// and total 0, so it holds whether or not that cell is published).
fn lines(truth: &Published, whole: &[bool]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for (r, row) in truth.pairs.iter().enumerate() {
        if whole[r] {
            continue; // its n is withheld: no line of its own has a published total
        }
        out.push((0..3).map(|k| (r, Cell::Direction(k), 1)).collect());
        if row.reliable.is_some() {
            out.push((0..3).map(|k| (r, Cell::Reliable(k), 1)).collect());
        }
        if row.categories.is_some() {
            // worse earlier - moved out = stayed in = worse later - moved in.
            out.push(vec![
                (r, Cell::Category(0), 1),
                (r, Cell::Category(2), -1),
                (r, Cell::Category(1), -1),
                (r, Cell::Category(3), 1),
            ]);
        }
    }
    let mut families: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (r, row) in truth.pairs.iter().enumerate() {
        families
            .entry((row.group_by.as_str(), row.comparison.as_str()))
            .or_default()
            .push(r);
    }
    for (&(group_by, comparison), members) in &families {
        if group_by == "all" {
            continue;
        }
        let Some(&total) = families.get(&("all", comparison)).and_then(|t| t.first()) else {
            continue;
        };
        for cell in cells(&truth.pairs[total]) {
            let mut line: Line = members.iter().map(|&r| (r, cell, 1)).collect();
            line.push((total, cell, -1));
            out.push(line);
        }
    }
    out
}

/// The state of the first step: which cells are withheld, and the truth they hide.
struct Lines<'a> {
    truth: &'a Published,
    min_cell: u64,
    hidden: Vec<[bool; 12]>,
    lines: Vec<Line>,
    /// The lines each (row, cell) is in.
    of: Vec<[Vec<usize>; 12]>,
}

impl Lines<'_> {
    fn count(&self, r: usize, cell: Cell) -> u64 {
        value(&self.truth.pairs[r], cell).flatten().unwrap_or(0)
    }

    /// Whether a reader could find, from `line` alone, one withheld cell or a small total.
    fn broken(&self, line: usize) -> bool {
        let withheld: Vec<&(usize, Cell, i8)> = self.lines[line]
            .iter()
            .filter(|(r, c, _)| self.hidden[*r][c.index()])
            .collect();
        match withheld.as_slice() {
            [] => false,
            [(r, c, _)] => self.count(*r, *c) > 0,
            many => {
                let same_sign = many.iter().all(|t| t.2 == many[0].2);
                let total: u64 = many.iter().map(|(r, c, _)| self.count(*r, *c)).sum();
                same_sign && total > 0 && total < self.min_cell
            }
        }
    }

    /// How many of the cell's lines are broken.
    fn broken_around(&self, r: usize, cell: Cell) -> usize {
        self.of[r][cell.index()]
            .iter()
            .filter(|&&l| self.broken(l))
            .count()
    }

    /// The row as published with the cells withheld so far.
    fn shown(&self, r: usize) -> PairRow {
        let mut row = self.truth.pairs[r].clone();
        for cell in Cell::ALL {
            if self.hidden[r][cell.index()] {
                withhold(&mut row, cell);
            }
        }
        row
    }

    /// The audit of row `r` alone: what its own published cells give away (a count nested in
    /// another, a kind of person two splits imply). Whatever it finds, the tables together
    /// give away too.
    fn exposed_alone(&self, r: usize) -> Option<(u64, u64)> {
        let alone = Published {
            min_cell: self.min_cell,
            pairs: vec![self.shown(r)],
            ..Published::default()
        };
        audit(&alone).exposed.first().map(|e| e.range)
    }

    /// Withholds the published cell of row `r` that clears what the row alone gives away, or
    /// failing that widens it most (ties to fewer broken lines, then fewer people); false
    /// when no cell is left to withhold.
    fn mend_row(&mut self, r: usize) -> bool {
        let Some(range) = self.exposed_alone(r) else {
            return false;
        };
        let mut best: Option<((u64, isize, u64), Cell)> = None;
        for cell in cells(&self.truth.pairs[r]) {
            let count = self.count(r, cell);
            if self.hidden[r][cell.index()] || count == 0 {
                continue;
            }
            let broken = self.newly_broken(r, cell);
            self.hidden[r][cell.index()] = true;
            let width = self.exposed_alone(r).map_or(u64::MAX, |(lo, hi)| hi - lo);
            self.hidden[r][cell.index()] = false;
            if width <= range.1 - range.0 {
                continue;
            }
            let key = (u64::MAX - width, broken, count);
            if best.as_ref().is_none_or(|b| key < b.0) {
                best = Some((key, cell));
            }
        }
        best.map(|(_, cell)| self.hidden[r][cell.index()] = true)
            .is_some()
    }

    /// How many more of the cell's lines withholding it would leave broken (fewer when it
    /// mends some).
    fn newly_broken(&mut self, r: usize, cell: Cell) -> isize {
        let before = self.broken_around(r, cell) as isize;
        self.hidden[r][cell.index()] = true;
        let after = self.broken_around(r, cell) as isize;
        self.hidden[r][cell.index()] = false;
        after - before
    }

    /// Withholds the published cell of `line` that leaves the fewest of its lines broken
    /// (the whole sample's last, then the smallest); false when none can.
    fn mend(&mut self, line: usize) -> bool {
        let mut best: Option<((bool, isize, u64), usize, Cell)> = None;
        for &(r, cell, _) in &self.lines[line].clone() {
            let count = self.count(r, cell);
            if self.hidden[r][cell.index()] || count == 0 {
                continue;
            }
            let whole_sample = self.truth.pairs[r].group_by == "all";
            let key = (whole_sample, self.newly_broken(r, cell), count);
            if best.as_ref().is_none_or(|b| key < b.0) {
                best = Some((key, r, cell));
            }
        }
        best.map(|(_, r, cell)| self.hidden[r][cell.index()] = true)
            .is_some()
    }
}

/// Step 1: `truth`'s small counts withheld, and complementary cells until no line gives a
/// withheld cell or a small total back. Rows marked `whole` are withheld whole (their `n`
/// too); their true counts still add up in their grouping column.
pub fn prepass(truth: &Published, whole: &[bool]) -> Published {
    let m = truth.min_cell;
    let mut current = truth.clone();
    for (row, _) in current.pairs.iter_mut().zip(whole).filter(|(_, &w)| w) {
        row.n = None;
        for cell in Cell::ALL {
            withhold(row, cell);
        }
    }
    if m <= 1 {
        return current;
    }
    let present = |r: usize, cell: Cell| matches!(value(&truth.pairs[r], cell), Some(Some(_)));
    let hidden: Vec<[bool; 12]> = (0..truth.pairs.len())
        .map(|r| {
            let mut flags = [false; 12];
            for cell in Cell::ALL.into_iter().filter(|&c| present(r, c)) {
                let v = value(&truth.pairs[r], cell).flatten().unwrap_or(0);
                flags[cell.index()] = whole[r] || (v > 0 && v < m);
            }
            flags
        })
        .collect();
    let lines = lines(truth, whole);
    let mut of: Vec<[Vec<usize>; 12]> = vec![Default::default(); truth.pairs.len()];
    for (l, line) in lines.iter().enumerate() {
        for &(r, cell, _) in line {
            of[r][cell.index()].push(l);
        }
    }
    let mut state = Lines {
        truth,
        min_cell: m,
        hidden,
        lines,
        of,
    };
    // Each pass mends every broken line it meets, then every row that gives something away
    // on its own; a cell once withheld stays, so this ends.
    loop {
        let mut changed = false;
        for l in 0..state.lines.len() {
            while state.broken(l) && state.mend(l) {
                changed = true;
            }
        }
        for r in (0..truth.pairs.len()).filter(|&r| !whole[r]) {
            while state.mend_row(r) {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (r, row) in current.pairs.iter_mut().enumerate() {
        for cell in Cell::ALL {
            if state.hidden[r][cell.index()] {
                withhold(row, cell);
            }
        }
    }
    current
}

/// Both steps on `truth` with the rows marked `whole` withheld whole (what `analyse`
/// does, the audit of its written tables in place of [`audit`] on these).
pub fn protect(truth: &Published, whole: &[bool]) -> Published {
    let mut current = prepass(truth, whole);
    let _ = repair(&mut current);
    current
}

/// Published cells that could free an exposure in `rows`, cheapest first: their own other
/// cells, the same cells of the other groups of their grouping column, then of the other
/// grouping columns of the same comparison (which add up to the whole sample too), the whole
/// sample's last; within each, counts before zeros, the smallest first.
fn candidates(current: &Published, rows: &[usize]) -> Vec<(usize, Cell)> {
    let mut out: Vec<(u8, bool, u64, usize, Cell)> = Vec::new();
    let mut push = |tier: u8, s: usize, cell: Cell| {
        let other = &current.pairs[s];
        if other.n.is_none() {
            return;
        }
        if let Some(Some(w)) = value(other, cell) {
            let tier = if other.group_by == "all" { 3 } else { tier };
            out.push((tier, w == 0, w, s, cell));
        }
    };
    for &r in rows {
        let row = &current.pairs[r];
        for cell in cells(row) {
            push(0, r, cell);
            for (s, other) in current.pairs.iter().enumerate() {
                if s == r || other.comparison != row.comparison {
                    continue;
                }
                push(if other.group_by == row.group_by { 1 } else { 2 }, s, cell);
            }
        }
        // The whole sample's other cells: what the groups add up to is derivable from them.
        for (s, whole) in current.pairs.iter().enumerate() {
            if whole.group_by == "all" && whole.comparison == row.comparison {
                for cell in cells(whole) {
                    push(3, s, cell);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out.into_iter().map(|(.., r, c)| (r, c)).collect()
}

/// Step 2: while the audit of `current` finds an exposure, withholds the cheapest published
/// cell that clears it, or, where only transitions.csv's pairs pin it, that comparison's
/// pairs. Returns the audit of the tables it ends with (clean unless nothing could free an
/// exposure) and the comparisons whose pairs are to be withheld.
pub fn repair(current: &mut Published) -> (Audit, Vec<String>) {
    let mut dropped = Vec::new();
    for _round in 0..20 {
        let found = audit(current);
        let mut changed = false;
        for exposure in &found.exposed {
            let what = exposure.what.clone();
            let same = |w: &str| w == what;
            let mut rows = exposure.rows.clone();
            for _ in 0..12 {
                let again = audit_where(current, &same);
                let Some(e) = again.exposed.first() else {
                    break;
                };
                rows.extend(&e.rows);
                rows.sort_unstable();
                rows.dedup();
                // The cheapest cell that clears it; failing that, the one that widens its
                // range most (ties to the cheaper). When none widens it alone, a group's
                // exposure takes the cheapest (two cells together may free it); the whole
                // sample's is left (what pins it is not a group's count: `analyse` then looks
                // at transitions.csv).
                let options = candidates(current, &rows);
                let group = rows.iter().any(|&r| current.pairs[r].group_by != "all");
                let mut best = (
                    e.range.1 - e.range.0,
                    options.first().copied().filter(|_| group),
                );
                for &(r, cell) in options.iter().take(12) {
                    let mut trial = current.clone();
                    withhold(&mut trial.pairs[r], cell);
                    let width = match audit_where(&trial, &same).exposed.first() {
                        None => u64::MAX,
                        Some(e) => e.range.1 - e.range.0,
                    };
                    if width > best.0 {
                        best = (width, Some((r, cell)));
                    }
                    if width == u64::MAX {
                        break;
                    }
                }
                // What no one cell widens may be pinned by transitions.csv's pairs.
                if best.0 == e.range.1 - e.range.0 {
                    let comparison = match rows.first() {
                        Some(&r) => current.pairs[r].comparison.clone(),
                        None => e.what.split([' ', ':']).nth(2).unwrap_or_default().into(),
                    };
                    let mut trial = current.clone();
                    trial.transitions.retain(|t| t.comparison != comparison);
                    if trial.transitions.len() < current.transitions.len()
                        && audit_where(&trial, &same).exposed.is_empty()
                    {
                        *current = trial;
                        dropped.push(comparison);
                        changed = true;
                        break;
                    }
                }
                let Some((r, cell)) = best.1 else {
                    break;
                };
                withhold(&mut current.pairs[r], cell);
                changed = true;
            }
        }
        if !changed {
            return (found, dropped);
        }
    }
    (audit(current), dropped)
}
