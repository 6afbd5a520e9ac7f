//! The compact table printed after `analyse`: the headline, the whole-sample and per-group
//! pre→post rows, and the flow.

use super::number::{fixed, p_text};
use super::summary::headline;
use crate::analyses::comparisons::ComparisonRow;
use crate::model::Comparison;
use crate::scale::Scale;
use crate::summarise::flow::Stage;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

/// Renders the terminal report. `group_by` chooses which grouping column's rows to show
/// (trigger_group when present).
pub fn render(
    rows: &[ComparisonRow],
    flow: &[Stage],
    scale: &Scale,
    conf_level: f64,
    suppressed_label: &str,
    group_by: Option<&str>,
) -> String {
    let mut out = String::new();
    if let Some(h) = headline(rows, scale, conf_level) {
        out.push_str(&h.text);
        out.push_str("\n\n");
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let ci = format!("{:.0}% CI", conf_level * 100.0);
    table.set_header(vec![
        "pre -> post",
        "n",
        "mean pre",
        "mean post",
        "change",
        &ci,
        "p (adj)",
        "dz",
        "% improved",
    ]);
    for row in rows.iter().filter(|r| {
        r.comparison == Comparison::PrePost
            && (r.group_by == "all" || Some(r.group_by.as_str()) == group_by)
    }) {
        let label = if row.group_by == "all" {
            "All".to_string()
        } else {
            row.group.clone()
        };
        let cells: Vec<String> = match &row.result {
            None => vec![label, suppressed_label.to_string()],
            Some(r) => vec![
                label,
                r.n.to_string(),
                fixed(r.earlier.map(|m| m.mean), 2),
                fixed(r.later.map(|m| m.mean), 2),
                fixed(r.change.map(|m| m.mean), 2),
                r.t.map(|t| format!("{:.2} to {:.2}", t.ci_low, t.ci_high))
                    .unwrap_or_else(|| "-".into()),
                p_text(row.p_t_adj),
                fixed(r.dz.map(|d| d.dz), 2),
                fixed(row.published_pct_improved(), 1),
            ],
        };
        table.add_row(cells.into_iter().enumerate().map(|(i, c)| {
            let cell = Cell::new(c);
            if i == 0 {
                cell
            } else {
                cell.set_alignment(CellAlignment::Right)
            }
        }));
    }
    out.push_str(&table.to_string());
    out.push_str("\n\nParticipant flow: ");
    let parts: Vec<String> = flow
        .iter()
        .filter(|s| s.n > 0 || s.stage == "rows_read")
        .map(|s| format!("{} {}", s.stage, s.n))
        .collect();
    out.push_str(&parts.join(", "));
    out.push('\n');
    out
}

/// One line on the dates: the referral period and the median days from referral to end of
/// support (what a reader checks first: is this the period and the programme length I
/// expect?), and what the follow-up window left out.
pub fn dates_line(findings: &crate::analyses::dates::DateFindings) -> String {
    let mut parts = Vec::new();
    if let Some(c) = findings.columns.first() {
        let what = match c.timepoint {
            "pre" => "referral",
            "post" => "end of support",
            _ => "follow-up",
        };
        if let (Some(first), Some(last)) = (&c.first_month, &c.last_month) {
            parts.push(format!("{what} {first} to {last}"));
        }
    }
    if let Some(i) = findings.intervals.first() {
        if let (Some(m), Some(q1), Some(q3)) = (i.median_days, i.q1_days, i.q3_days) {
            parts.push(format!(
                "{} took a median of {m} days (quartiles {q1} to {q3}; {} people)",
                match i.comparison {
                    "pre_post" => "referral to end of support",
                    "pre_followup" => "referral to follow-up",
                    _ => "end of support to follow-up",
                },
                i.n
            ));
        }
    }
    if let Some(w) = &findings.followup_window {
        parts.push(format!(
            "follow-up window {}..{} days: {} too early, {} too late, {} undated left out",
            w.min_days, w.max_days, w.too_early, w.too_late, w.undated
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("Dates: {}\n", parts.join("; "))
    }
}
