//! Least-loss protection of the count cells (prototype, not yet what `analyse` applies): the
//! small counts of published rows are withheld (primary), then, while [`audit`] finds a
//! count or group a reader can pin down, the cheapest published cell that frees it is
//! withheld too: a cell of the same row or of the same column of its grouping column (the
//! whole sample's last), the smallest first, the first that clears the exposure kept. This is
//! sdcTable's SIMPLEHEURISTIC idea (suppress, then solve the attacker's problem) with this
//! tool's own check as the attacker. Withholding more never narrows a range, so a check once
//! clear stays clear; only the new cells' own checks need solving again.

use super::audit::{audit, audit_where, PairRow, Published};

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

fn value(row: &PairRow, cell: Cell) -> Option<Option<u64>> {
    match cell {
        Cell::Direction(k) => Some(row.direction[k]),
        Cell::Category(k) => row.categories.map(|c| c[k]),
        Cell::Reliable(k) => row.reliable.map(|c| c[k]),
    }
}

fn withhold(row: &mut PairRow, cell: Cell) {
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
    let mut out: Vec<Cell> = (0..3).map(Cell::Direction).collect();
    if row.categories.is_some() {
        out.extend((0..4).map(Cell::Category));
    }
    if row.reliable.is_some() {
        out.extend((0..5).map(Cell::Reliable));
    }
    out
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

/// Published cells that could free an exposure in `rows`: their own other cells, then the
/// same cells of the other groups of their grouping column; cheapest first (the whole
/// sample's last, zeros after counts, then by size).
fn candidates(current: &Published, rows: &[usize]) -> Vec<(usize, Cell)> {
    let mut out: Vec<(bool, bool, u64, usize, Cell)> = Vec::new();
    for &r in rows {
        let row = &current.pairs[r];
        for cell in cells(row) {
            let Some(Some(v)) = value(row, cell) else {
                continue;
            };
            // Same row.
            out.push((row.group_by == "all", v == 0, v, r, cell));
            // Same column of the grouping column.
            for (s, other) in current.pairs.iter().enumerate() {
                if s == r
                    || other.n.is_none()
                    || other.comparison != row.comparison
                    || (other.group_by != row.group_by && other.group_by != "all")
                {
                    continue;
                }
                if let Some(Some(w)) = value(other, cell) {
                    out.push((other.group_by == "all", w == 0, w, s, cell));
                }
            }
        }
    }
    // The whole sample's row of the same comparison, any of its cells: what the groups add
    // up to is derivable from it while its other counts are published.
    for &r in rows {
        let comparison = &current.pairs[r].comparison;
        for (s, whole) in current.pairs.iter().enumerate() {
            if whole.group_by != "all" || &whole.comparison != comparison || whole.n.is_none() {
                continue;
            }
            for cell in cells(whole) {
                if let Some(Some(w)) = value(whole, cell) {
                    out.push((true, w == 0, w, s, cell));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out.into_iter().map(|(.., r, c)| (r, c)).collect()
}

/// Withholds the small counts of `truth`'s published rows and the fewest others that leave
/// nothing exposed (rows withheld whole are taken as given). Returns the protected tables.
pub fn protect(truth: &Published) -> Published {
    let m = truth.min_cell;
    let mut current = truth.clone();
    for row in current.pairs.iter_mut().filter(|r| r.n.is_some()) {
        for cell in cells(row) {
            if let Some(Some(v)) = value(row, cell) {
                if v > 0 && v < m {
                    withhold(row, cell);
                }
            }
        }
    }
    // Choosing with the whole sample's kinds taken as known ([`Published::fixed`]) makes
    // each grouping column its own small set of counts, but costs cells: on a small export
    // 125 against 91 without. So the choice is made against the audit as it is.
    repair(&mut current);
    current
}

/// While the audit finds an exposure, withholds the cheapest published cell that clears it.
fn repair(current: &mut Published) {
    for _round in 0..20 {
        let found = audit(current);
        if found.exposed.is_empty() {
            break;
        }
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
                let options = candidates(current, &rows);
                let Some(&cheapest) = options.first() else {
                    break;
                };
                // The cheapest that clears it; failing that, the one that widens its range
                // most (ties to the cheaper).
                let mut best = (0u64, cheapest);
                for &(r, cell) in options.iter().take(24) {
                    let mut trial = current.clone();
                    withhold(&mut trial.pairs[r], cell);
                    let width = match audit_where(&trial, &same).exposed.first() {
                        None => u64::MAX,
                        Some(e) => e.range.1 - e.range.0,
                    };
                    if width > best.0 {
                        best = (width, (r, cell));
                    }
                    if width == u64::MAX {
                        break;
                    }
                }
                let (r, cell) = best.1;
                withhold(&mut current.pairs[r], cell);
            }
        }
    }
}
