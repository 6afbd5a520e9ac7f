//! comparisons.csv: one row per group × comparison, the columns of the `analyse` contract.

use super::number::format_opt;
use crate::analyses::comparisons::ComparisonRow;

/// Column names in contract order.
pub const COLUMNS: [&str; 32] = [
    "group_by",
    "group",
    "comparison",
    "n",
    "mean_a",
    "sd_a",
    "mean_b",
    "sd_b",
    "mean_change",
    "sd_change",
    "ci_low",
    "ci_high",
    "t",
    "df",
    "p_t",
    "p_t_adj",
    "wilcoxon_v",
    "p_wilcoxon",
    "p_wilcoxon_adj",
    "dz",
    "dz_ci_low",
    "dz_ci_high",
    "n_improved",
    "n_unchanged",
    "n_worse",
    "pct_improved",
    "suppressed",
    "note",
    // After the contract's columns, so their positions stay as #2 fixed them.
    "wilcoxon_method",
    "hl_estimate",
    "hl_ci_low",
    "hl_ci_high",
];

/// The cells of one row, as text, in [`COLUMNS`] order. Suppressed rows carry only their
/// identity and `suppressed = true`.
pub fn row_cells(row: &ComparisonRow) -> Vec<String> {
    let mut cells = vec![
        row.group_by.clone(),
        row.group.clone(),
        row.comparison.name().to_string(),
    ];
    let Some(r) = &row.result else {
        cells.extend(std::iter::repeat_n(String::new(), 23));
        cells.push("true".into());
        cells.extend(std::iter::repeat_n(String::new(), 5));
        return cells;
    };
    let count = |n: usize, hidden: bool| if hidden { String::new() } else { n.to_string() };
    let mean = |m: &Option<crate::stats::describe::MeanSd>| format_opt(m.map(|m| m.mean));
    let sd = |m: &Option<crate::stats::describe::MeanSd>| format_opt(m.and_then(|m| m.sd()));
    cells.extend([
        r.n.to_string(),
        mean(&r.earlier),
        sd(&r.earlier),
        mean(&r.later),
        sd(&r.later),
        mean(&r.change),
        sd(&r.change),
        format_opt(r.t.map(|t| t.ci_low)),
        format_opt(r.t.map(|t| t.ci_high)),
        format_opt(r.t.map(|t| t.t)),
        format_opt(r.t.map(|t| t.df)),
        format_opt(r.t.map(|t| t.p)),
        format_opt(row.p_t_adj),
        format_opt(r.wilcoxon.map(|w| w.v)),
        format_opt(r.wilcoxon.map(|w| w.p)),
        format_opt(row.p_wilcoxon_adj),
        format_opt(r.dz.map(|d| d.dz)),
        format_opt(r.dz.map(|d| d.ci_low)),
        format_opt(r.dz.map(|d| d.ci_high)),
        count(r.n_improved, row.hidden_counts[0]),
        count(r.n_unchanged, row.hidden_counts[1]),
        count(r.n_worse, row.hidden_counts[2]),
        format_opt(row.published_pct_improved()),
        "false".into(),
        r.notes.join("; "),
        r.wilcoxon
            .as_ref()
            .map_or("", crate::stats::wilcoxon::method_name)
            .to_string(),
        format_opt(r.hodges_lehmann.map(|h| h.estimate)),
        // An open end (R's -Inf or Inf with too few changes) is left empty; `note` says so.
        format_opt(
            r.hodges_lehmann
                .and_then(|h| h.ci)
                .map(|c| c.0)
                .filter(|v| v.is_finite()),
        ),
        format_opt(
            r.hodges_lehmann
                .and_then(|h| h.ci)
                .map(|c| c.1)
                .filter(|v| v.is_finite()),
        ),
    ]);
    debug_assert!(cells.iter().all(|c| c != "NaN" && c != "inf"));
    cells
}

/// Writes comparisons.csv to any writer.
pub fn write_comparisons<W: std::io::Write>(out: W, rows: &[ComparisonRow]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for row in rows {
        w.write_record(row_cells(row))?;
    }
    w.flush()?;
    Ok(())
}
