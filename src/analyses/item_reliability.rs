//! Internal consistency of the scale at each timepoint (item_reliability.csv), for exports
//! with item columns: Cronbach's alpha with Feldt's interval (R `psych::alpha`) and
//! McDonald's omega total (R `psych::omega`), over the people who answered every item.

use crate::model::Timepoint;
use crate::stats::alpha::{cronbach_alpha, ItemSums};
use crate::stats::omega::omega_total;

/// One row of item_reliability.csv; empty statistics are `None`, with `notes` saying why.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReliabilityRow {
    /// When.
    pub timepoint: Timepoint,
    /// Items whose answers were summed (0 when nobody answered every item).
    pub items: usize,
    /// People who answered every item; `None` when withheld (fewer than min-cell).
    pub n: Option<u64>,
    /// Alpha and its interval.
    pub alpha: Option<(f64, Option<(f64, f64)>)>,
    /// Omega total.
    pub omega_total: Option<f64>,
    /// Why something is missing, in a fixed order.
    pub notes: Vec<&'static str>,
    /// Withheld below min-cell (the note then says so with the threshold).
    pub withheld: bool,
}

/// item_reliability.csv for a run; `None` when the export has no item columns scored (a
/// totals export writes no file).
pub fn rows(context: &super::Context) -> Option<Vec<ItemReliabilityRow>> {
    let sums = &context.summaries.item_sums;
    sums.iter()
        .any(|s| s.sums.len() >= 2)
        .then(|| item_rows(sums, context.options.conf_level, context.options.min_cell))
}

/// One row per timepoint, from the item sums of the people who answered every item.
pub fn item_rows(
    sums: &[ItemSums; 3],
    conf_level: f64,
    min_cell: usize,
) -> Vec<ItemReliabilityRow> {
    Timepoint::ALL
        .into_iter()
        .map(|tp| {
            let s = &sums[tp.index()];
            let mut row = ItemReliabilityRow {
                timepoint: tp,
                items: s.sums.len(),
                n: Some(s.n),
                alpha: None,
                omega_total: None,
                notes: Vec::new(),
                withheld: false,
            };
            // Withheld below min-cell, like every other group of people (n = 0 needs no hiding).
            if s.n > 0 && (s.n as usize) < min_cell {
                row.n = None;
                row.withheld = true;
                return row;
            }
            if s.sums.is_empty() {
                // Item sums take their width from the first complete answer: none came, whether
                // the timepoint has item columns nobody completed or only a total column.
                row.notes
                    .push("nobody answered every item at this timepoint (or it has no item columns)");
                return row;
            }
            match cronbach_alpha(s, conf_level) {
                Some(a) => row.alpha = Some((a.alpha, a.ci)),
                None => row
                    .notes
                    .push("fewer than two people with every item answered, or no spread"),
            }
            match omega_total(s) {
                Ok(omega) => {
                    row.omega_total = Some(omega.total);
                    if omega.heywood {
                        row.notes.push("omega: an item's uniqueness is at its lower bound (Heywood case; psych warns too)");
                    }
                }
                Err(why) => {
                    if s.n > 0 {
                        row.notes.push(why.note());
                    }
                }
            }
            row
        })
        .collect()
}
