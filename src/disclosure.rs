//! Cell suppression of count tables (`--secondary-suppression`): which count cells of
//! published rows to blank so that no group smaller than the threshold can be read off or
//! derived.
//!
//! A table here is rows of counts whose cells add up to a published row total (n improved +
//! unchanged + worse = n), grouped into families whose rows add up, column by column, to a
//! published row elsewhere (a grouping column's groups add up to the whole sample). A count
//! from 1 to min-cell - 1 is blanked (primary); then, in every row and every family column,
//! while the blanked cells' total could be found by subtraction and is itself from 1 to
//! min-cell - 1, the smallest published cell is blanked too (complementary), repeated until
//! nothing changes. Zeros are not sensitive and stay. Rows already withheld whole count as
//! blanked in their family's columns.

/// One row of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    /// The counts.
    pub cells: Vec<u64>,
    /// Whether the row is withheld whole (every cell hidden).
    pub withheld: bool,
}

/// For each row and cell, whether to blank it. `families` lists the rows that add up column
/// by column to a published total (rows in no family are checked within themselves only).
// Columns index several rows' cells at once; an iterator over one row would not say more.
#[allow(clippy::needless_range_loop)]
pub fn protect_counts(rows: &[CountRow], families: &[Vec<usize>], min_cell: u64) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|&c| r.withheld || (c > 0 && c < min_cell))
                .collect()
        })
        .collect();
    if min_cell == 0 {
        return hidden;
    }
    loop {
        let mut changed = false;
        for (r, row) in rows.iter().enumerate() {
            if row.withheld {
                continue;
            }
            let cells: Vec<(u64, usize)> = row.cells.iter().copied().zip(0..).collect();
            if let Some(c) = complement(&cells, &hidden[r], min_cell) {
                hidden[r][c] = true;
                changed = true;
            }
        }
        for family in families {
            let width = family.first().map_or(0, |&r| rows[r].cells.len());
            for column in 0..width {
                let cells: Vec<(u64, usize)> =
                    family.iter().map(|&r| (rows[r].cells[column], r)).collect();
                let flags: Vec<bool> = family.iter().map(|&r| hidden[r][column]).collect();
                if let Some(k) = complement(&cells, &flags, min_cell) {
                    let r = family[k];
                    if !rows[r].withheld {
                        hidden[r][column] = true;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Positions (into `cells`) to blank next so that the blanked total of a set whose sum is
/// known is 0 or at least `min_cell`: the smallest published non-zero cell, or none.
fn complement(cells: &[(u64, usize)], hidden: &[bool], min_cell: u64) -> Option<usize> {
    let total: u64 = cells
        .iter()
        .zip(hidden)
        .filter(|(_, &h)| h)
        .map(|(c, _)| c.0)
        .sum();
    if total == 0 || total >= min_cell {
        return None;
    }
    (0..cells.len())
        .filter(|&i| !hidden[i] && cells[i].0 > 0)
        .min_by_key(|&i| (cells[i].0, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[u64]) -> CountRow {
        CountRow {
            cells: cells.to_vec(),
            withheld: false,
        }
    }

    #[test]
    fn a_small_cell_and_its_complement_are_blanked() {
        // 30 improved, 12 unchanged, 3 worse of 45: 3 is blanked, and 12 with it (else 45 - 30
        // - 12 gives it back).
        let hidden = protect_counts(&[row(&[30, 12, 3])], &[], 10);
        assert_eq!(hidden, [[false, true, true]]);
    }

    #[test]
    fn zeros_and_large_cells_stay() {
        let hidden = protect_counts(&[row(&[30, 0, 15])], &[], 10);
        assert_eq!(hidden, [[false, false, false]]);
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn columns_of_a_family_are_protected_too() {
        // Groups A and B add up to the whole sample (row 0, published). In B, 4 worse is
        // blanked with 11 unchanged; column "worse" then has B's 4 hidden, derivable as
        // 24 - 20: A's 20 goes too, and so on until no small total can be found.
        let rows = [row(&[60, 31, 24]), row(&[30, 20, 20]), row(&[30, 11, 4])];
        let hidden = protect_counts(&rows, &[vec![1, 2]], 10);
        // No blanked total of a row or family column is between 1 and 9.
        for (r, flags) in hidden.iter().enumerate().skip(1) {
            let total: u64 = rows[r]
                .cells
                .iter()
                .zip(flags)
                .filter(|(_, &h)| h)
                .map(|(c, _)| c)
                .sum();
            assert!(total == 0 || total >= 10, "row {r}: {flags:?}");
        }
        for column in 0..3 {
            let total: u64 = [1, 2]
                .iter()
                .filter(|&&r| hidden[r][column])
                .map(|&r| rows[r].cells[column])
                .sum();
            assert!(total == 0 || total >= 10, "column {column}");
        }
        assert!(hidden[2][2], "the 4 is blanked");
        assert_eq!(
            hidden[0],
            [false, false, false],
            "the whole sample is published"
        );
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn withheld_rows_count_as_blanked_in_their_columns() {
        // Group C (5 people) is withheld whole; its cells are derivable from the whole sample
        // minus A and B unless some of A's or B's cells go too.
        let rows = [
            row(&[45, 30, 25]),
            row(&[20, 15, 15]),
            row(&[23, 14, 8]),
            CountRow {
                cells: vec![2, 1, 2],
                withheld: true,
            },
        ];
        let hidden = protect_counts(&rows, &[vec![1, 2, 3]], 10);
        for column in 0..3 {
            let total: u64 = [1, 2, 3]
                .iter()
                .filter(|&&r| hidden[r][column])
                .map(|&r| rows[r].cells[column])
                .sum();
            assert!(total == 0 || total >= 10, "column {column}: {hidden:?}");
        }
    }
}
