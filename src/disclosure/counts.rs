//! Cell suppression of count tables (`compare`'s balance tables): which count cells of
//! published rows to blank so that no group smaller than the threshold can be read off or
//! derived. `analyse`'s three tables of counts are protected by [`super::least_loss`].
//!
//! A table here is rows of counts whose cells add up to a published row total (n improved +
//! unchanged + worse = n), grouped into families whose rows add up, column by column, to a
//! published row elsewhere (a grouping column's groups add up to the whole sample). A count
//! from 1 to min-cell - 1 is blanked (primary); then, in every row and every family column,
//! while the blanked cells' total could be found by subtraction and is itself from 1 to
//! min-cell - 1, the smallest published cell is blanked too (complementary), repeated until
//! nothing changes. Zeros are not sensitive and stay. Rows already withheld whole count as
//! blanked in their family's columns. When the total's own cell is blanked, some cell of the
//! family's column must be blanked too, or adding up the family would give the total back.

/// One row of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    /// The counts.
    pub cells: Vec<u64>,
    /// Whether the row is withheld whole (every cell hidden).
    pub withheld: bool,
}

/// Rows that add up, column by column, to the `total` row (the whole sample's), when there is
/// one in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The row they add up to.
    pub total: Option<usize>,
    /// The rows.
    pub rows: Vec<usize>,
}

/// For each row and cell, whether to blank it. `families` lists the rows that add up column
/// by column to a total (rows in no family are checked within themselves only).
// Columns index several rows' cells at once; an iterator over one row would not say more.
#[allow(clippy::needless_range_loop)]
pub fn protect_counts(rows: &[CountRow], families: &[Family], min_cell: u64) -> Vec<Vec<bool>> {
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
            let members = &family.rows;
            let width = members.first().map_or(0, |&r| rows[r].cells.len());
            for column in 0..width {
                let cells: Vec<(u64, usize)> = members
                    .iter()
                    .map(|&r| (rows[r].cells[column], r))
                    .collect();
                let flags: Vec<bool> = members.iter().map(|&r| hidden[r][column]).collect();
                let total_hidden = family.total.is_some_and(|t| hidden[t][column]);
                let next = match complement(&cells, &flags, min_cell) {
                    Some(k) => Some(k),
                    // The total is blanked: the family must not add up to it in the open.
                    None if total_hidden && !flags.contains(&true) => (0..cells.len())
                        .filter(|&i| cells[i].0 > 0)
                        .min_by_key(|&i| (cells[i].0, i)),
                    None => None,
                };
                if let Some(k) = next {
                    let r = members[k];
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

/// The families of a table whose rows are keyed (grouping column, slot): the rows of each
/// grouping column and slot, which add up to the whole sample's row of the slot (`all`, in
/// no family).
pub fn families_of(keys: &[(&str, usize)]) -> Vec<Family> {
    let all = crate::summarise::ALL_GROUP_BY;
    let mut families: Vec<(&str, usize)> =
        keys.iter().copied().filter(|&(by, _)| by != all).collect();
    families.sort_unstable();
    families.dedup();
    families
        .iter()
        .map(|family| Family {
            total: keys
                .iter()
                .position(|&(by, slot)| by == all && slot == family.1),
            rows: (0..keys.len()).filter(|&i| keys[i] == *family).collect(),
        })
        .collect()
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

    fn family(rows: &[usize]) -> Family {
        Family {
            total: None,
            rows: rows.to_vec(),
        }
    }

    fn family_of_total(total: usize, rows: &[usize]) -> Family {
        Family {
            total: Some(total),
            rows: rows.to_vec(),
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
    fn families_are_grouping_columns_by_slot() {
        let keys = [
            ("all", 0),
            ("all", 1),
            ("location", 0),
            ("location", 1),
            ("location", 0),
            ("trigger_group", 0),
        ];
        let expected = [
            Family {
                total: Some(0),
                rows: vec![2, 4],
            },
            Family {
                total: Some(1),
                rows: vec![3],
            },
            Family {
                total: Some(0),
                rows: vec![5],
            },
        ];
        assert_eq!(families_of(&keys), expected);
    }

    #[test]
    fn a_blanked_total_is_not_left_to_adding_up_its_family() {
        // The whole sample's 3 is blanked with its 25 (else 58 - 25 - 30 gives it back). The
        // groups' 13 and 12 are not small, but shown they add up to the 25: one must go.
        let rows = [row(&[25, 3, 30]), row(&[13, 3, 10]), row(&[12, 0, 20])];
        let hidden = protect_counts(&rows, &[family_of_total(0, &[1, 2])], 10);
        assert_eq!(hidden[0], [true, true, false]);
        assert!(hidden[1][0] || hidden[2][0], "{hidden:?}");
        // Without a total in the table, nothing asks for that.
        let hidden = protect_counts(&rows[1..], &[family(&[0, 1])], 10);
        assert_eq!(hidden, [[false, true, true], [false, false, false]]);
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
        let hidden = protect_counts(&rows, &[family(&[1, 2])], 10);
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
        let hidden = protect_counts(&rows, &[family(&[1, 2, 3])], 10);
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
