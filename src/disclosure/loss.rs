//! What disclosure control withheld, counted by rule, so the loss is reported beside the
//! results (summary.json `disclosure.withheld`): rows withheld whole because the group is
//! too small or to protect one, and count cells of published rows withheld because they are
//! small (1 to min-cell - 1 people) or to protect a small one.

use serde::Serialize;

/// A published table's row as the loss counts it: its people, whether it is withheld whole,
/// and its count cells (value, withheld).
#[derive(Debug, Clone, PartialEq)]
pub struct RowCells {
    /// People in the row.
    pub n: u64,
    /// Withheld whole.
    pub withheld: bool,
    /// Count cells: (value, withheld).
    pub cells: Vec<(u64, bool)>,
}

/// The loss in one table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TableLoss {
    /// Rows in the table.
    pub rows: usize,
    /// Rows withheld whole because the group has fewer than min-cell people.
    pub rows_small: usize,
    /// Rows withheld whole to protect a small group elsewhere.
    pub rows_protecting: usize,
    /// Count cells of the rows not withheld whole.
    pub count_cells: usize,
    /// Of those, withheld as 1 to min-cell - 1 people (unavoidable).
    pub count_cells_small: usize,
    /// Of those, withheld to protect a small one (the cost of protection).
    pub count_cells_protecting: usize,
}

/// Counts a table's loss.
pub fn table_loss(rows: &[RowCells], min_cell: u64) -> TableLoss {
    let mut loss = TableLoss {
        rows: rows.len(),
        ..TableLoss::default()
    };
    for row in rows {
        if row.withheld {
            if row.n < min_cell {
                loss.rows_small += 1;
            } else {
                loss.rows_protecting += 1;
            }
            continue;
        }
        loss.count_cells += row.cells.len();
        for &(value, withheld) in &row.cells {
            match (withheld, value > 0 && value < min_cell) {
                (true, true) => loss.count_cells_small += 1,
                (true, false) => loss.count_cells_protecting += 1,
                _ => {}
            }
        }
    }
    loss
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells_are_counted_by_rule() {
        let rows = [
            RowCells {
                n: 4,
                withheld: true,
                cells: vec![(2, true), (1, true), (1, true)],
            },
            RowCells {
                n: 30,
                withheld: true,
                cells: vec![(10, true), (10, true), (10, true)],
            },
            RowCells {
                n: 40,
                withheld: false,
                cells: vec![(3, true), (27, true), (10, false)],
            },
            RowCells {
                n: 40,
                withheld: false,
                cells: vec![(0, false), (30, false), (10, false)],
            },
        ];
        assert_eq!(
            table_loss(&rows, 10),
            TableLoss {
                rows: 4,
                rows_small: 1,
                rows_protecting: 1,
                count_cells: 6,
                count_cells_small: 1,
                count_cells_protecting: 1,
            }
        );
    }
}
