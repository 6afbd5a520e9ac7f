//! The top of a run with several measures: overview.csv (each measure's whole-sample change
//! and whether it lasted), flow.csv (the records, which all measures share), summary.json
//! (the input, the settings, each measure with its headline) and the overview report, with
//! a folder per measure holding everything a run of that measure alone writes.
//!
//! A folder per measure, rather than a `measure` column in every table: each folder is
//! exactly what a single-measure run writes, so every table keeps its columns, scripts
//! written for one measure read each folder unchanged, and `report` rebuilds a measure's
//! report from its folder alone.

use super::number::format_f64;
use super::{to_bytes, write_file};
use crate::analyses::comparisons::ComparisonRow;
use crate::analyses::correlations::{self, CorrelationRow, MeasurePeople};
use crate::analyses::overview::{rows, Change, OverviewRow};
use crate::error::Error;
use crate::read::Export;
use crate::scale::{Scale, Scored};
use crate::settings::Settings;
use crate::summarise::flow::Stage;
use serde_json::json;
use std::path::Path;

/// What one measure's run left for the overview.
pub struct MeasureResults<'a> {
    /// Its name (and folder).
    pub name: String,
    /// Its scale.
    pub scale: &'a Scale,
    /// Its comparisons.csv rows.
    pub rows: &'a [ComparisonRow],
    /// Its participant flow.
    pub flow: &'a [Stage],
    /// Every person's scores (for correlating changes).
    pub scored: Option<&'a Scored>,
    /// The export as read for it.
    pub export: &'a Export,
}

/// The overview rows of the measures.
fn overview(results: &[MeasureResults]) -> Vec<OverviewRow> {
    let measures: Vec<(&str, &Scale, &[ComparisonRow])> = results
        .iter()
        .map(|r| (r.name.as_str(), r.scale, r.rows))
        .collect();
    rows(&measures)
}

/// The stages of the flow that concern records (read, excluded, kept, people), which every
/// measure shares; the valid and invalid scores are each measure's own.
fn record_stages(flow: &[Stage]) -> &[Stage] {
    let end = flow
        .iter()
        .position(|s| s.stage == "people")
        .map_or(flow.len(), |k| k + 1);
    &flow[..end]
}

/// Writes overview.csv: one row per measure and comparison.
pub fn write_overview_csv<W: std::io::Write>(out: W, rows: &[OverviewRow]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "measure",
        "scale",
        "direction",
        "comparison",
        "n",
        "mean_earlier",
        "mean_later",
        "mean_change",
        "ci_low",
        "ci_high",
        "pct_improved",
        "suppressed",
    ])?;
    let number = |v: Option<f64>| v.map(format_f64).unwrap_or_default();
    for r in rows {
        for (comparison, c) in [
            ("pre_post", &r.pre_post),
            ("pre_followup", &r.pre_followup),
            ("post_followup", &r.post_followup),
        ] {
            w.write_record([
                r.measure.clone(),
                r.scale.clone(),
                r.direction.to_string(),
                comparison.to_string(),
                if c.withheld {
                    String::new()
                } else {
                    c.n.to_string()
                },
                number(c.mean_earlier),
                number(c.mean_later),
                number(c.mean_change),
                number(c.ci_low),
                number(c.ci_high),
                number(c.pct_improved),
                c.withheld.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The correlations of change between the measures, when every measure kept its people's
/// scores (always in memory; a run that fell back to streaming keeps none, and says so).
fn correlation_rows(
    settings: &Settings,
    results: &[MeasureResults],
) -> Option<Vec<CorrelationRow>> {
    let people: Option<Vec<MeasurePeople>> = results
        .iter()
        .map(|r| {
            Some(MeasurePeople {
                name: &r.name,
                ids: &r.export.ids,
                scored: r.scored?,
            })
        })
        .collect();
    Some(correlations::rows(
        &people?,
        settings.conf_level,
        settings.min_cell,
    ))
}

/// Writes correlations.csv: per pair of measures and comparison, the people with both
/// changes, Pearson's r (t, df, p, Fisher-z interval) and Spearman's rho (S, p, interval).
pub fn write_correlations<W: std::io::Write>(out: W, rows: &[CorrelationRow]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "measure_a",
        "measure_b",
        "comparison",
        "n",
        "pearson_r",
        "pearson_ci_low",
        "pearson_ci_high",
        "pearson_t",
        "pearson_df",
        "pearson_p",
        "spearman_rho",
        "spearman_ci_low",
        "spearman_ci_high",
        "spearman_s",
        "spearman_p",
        "spearman_p_exact",
        "suppressed",
        "note",
    ])?;
    let number = |v: Option<f64>| v.map(format_f64).unwrap_or_default();
    for r in rows {
        let p = r.pearson.as_ref();
        let s = r.spearman.as_ref();
        w.write_record([
            r.measure_a.clone(),
            r.measure_b.clone(),
            r.comparison.name().to_string(),
            if r.suppressed {
                String::new()
            } else {
                r.n.to_string()
            },
            number(p.map(|c| c.estimate)),
            number(p.and_then(|c| c.ci).map(|ci| ci.0)),
            number(p.and_then(|c| c.ci).map(|ci| ci.1)),
            number(p.map(|c| c.statistic)),
            number(p.and_then(|c| c.df)),
            number(p.map(|c| c.p)),
            number(s.map(|c| c.estimate)),
            number(s.and_then(|c| c.ci).map(|ci| ci.0)),
            number(s.and_then(|c| c.ci).map(|ci| ci.1)),
            number(s.map(|c| c.statistic)),
            number(s.map(|c| c.p)),
            s.map(|c| c.exact.to_string()).unwrap_or_default(),
            r.suppressed.to_string(),
            r.note.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the overview files into `stage` (the measures' folders are already there).
pub fn write_overview(
    stage: &Path,
    settings: &Settings,
    results: &[MeasureResults],
) -> Result<(), Error> {
    let rows = overview(results);
    write_file(
        stage,
        "overview.csv",
        &to_bytes(|w| write_overview_csv(w, &rows)),
    )?;
    let correlations = correlation_rows(settings, results);
    if let Some(rows) = &correlations {
        write_file(
            stage,
            "correlations.csv",
            &to_bytes(|w| write_correlations(w, rows)),
        )?;
    }
    let flow = record_stages(results[0].flow);
    write_file(
        stage,
        "flow.csv",
        &to_bytes(|w| super::tables::write_flow(w, flow)),
    )?;
    let export = results[0].export;
    let source = &export.source;
    let measures: Vec<serde_json::Value> = results
        .iter()
        .zip(&rows)
        .map(|(r, row)| {
            json!({
                "name": r.name,
                "scale": r.scale.name,
                "title": r.scale.title,
                "folder": r.name,
                "headline": super::summary::headline(r.rows, r.scale, settings.conf_level)
                    .map(|h| h.text),
                "overview": row,
            })
        })
        .collect();
    let summary = json!({
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "input": {
            "file_name": source.file_name,
            "bytes": source.bytes,
            "sha256": source.sha256,
            "layout": export.layout,
            "files": export.files,
        },
        "settings": settings,
        "measures": measures,
        "correlations": correlations.as_ref().map(|rows| {
            rows.iter()
                .map(|r| {
                    let p = r.pearson.as_ref();
                    let s = r.spearman.as_ref();
                    json!({
                        "measure_a": r.measure_a,
                        "measure_b": r.measure_b,
                        "comparison": r.comparison.name(),
                        "n": (!r.suppressed).then_some(r.n),
                        "pearson_r": p.map(|c| c.estimate),
                        "pearson_ci": p.and_then(|c| c.ci).map(|ci| [ci.0, ci.1]),
                        "pearson_p": p.map(|c| c.p),
                        "spearman_rho": s.map(|c| c.estimate),
                        "spearman_ci": s.and_then(|c| c.ci).map(|ci| [ci.0, ci.1]),
                        "spearman_p": s.map(|c| c.p),
                        "suppressed": r.suppressed,
                        "note": r.note,
                    })
                })
                .collect::<Vec<_>>()
        }),
        "flow": flow,
        "disclosure": {
            "min_cell": settings.min_cell,
            "overview": "each measure's row quotes its own whole-sample rows of comparisons.csv: what they withhold, the overview withholds",
            "participant_ids": super::summary::ids_rule(settings),
        },
    });
    let mut text = serde_json::to_string_pretty(&summary).map_err(|e| Error::Render {
        what: "summary.json".into(),
        why: e.to_string(),
    })?;
    text.push('\n');
    write_file(stage, "summary.json", text.as_bytes())?;
    super::report::write_overview_reports(stage)
}

fn change_text(c: &Change) -> String {
    match (c.withheld, c.mean_change, c.ci_low, c.ci_high) {
        (true, ..) => "withheld (small)".into(),
        (_, Some(m), Some(lo), Some(hi)) => format!("{m:+.2} ({lo:+.2} to {hi:+.2})"),
        (_, Some(m), ..) => format!("{m:+.2}"),
        _ => "-".into(),
    }
}

/// A comparison's people: "withheld" when disclosure control withholds the row (its size
/// among them), 0 when nobody has both scores.
fn n_text(c: &Change, nobody: bool) -> String {
    match (c.withheld, nobody) {
        (true, true) => "0".into(),
        (true, false) => "withheld".into(),
        (false, _) => c.n.to_string(),
    }
}

/// The terminal's overview: each measure's headline, then a table across measures.
pub fn terminal(settings: &Settings, results: &[MeasureResults]) -> String {
    use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
    let rows = overview(results);
    let mut out = String::new();
    for r in results {
        if let Some(h) = super::summary::headline(r.rows, r.scale, settings.conf_level) {
            out.push_str(&format!(
                "{}: {} (scale: {}).\n",
                r.name, h.text, r.scale.short
            ));
        }
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let ci = format!("{:.0}% CI", settings.conf_level * 100.0);
    table.set_header(vec![
        "measure".to_string(),
        "n pre -> post".into(),
        format!("change ({ci})"),
        "% improved".into(),
        "n pre -> follow-up".into(),
        format!("change ({ci})"),
        "after support ended".into(),
    ]);
    for (r, m) in rows.iter().zip(results) {
        // A comparison nobody has (flow.csv's `with_<comparison>` is 0) is empty, not withheld.
        let nobody = |stage: &str| m.flow.iter().any(|s| s.stage == stage && s.n == 0);
        let change = |c: &Change, nobody: bool| match nobody {
            true => "-".to_string(),
            false => change_text(c),
        };
        let (pre_post, pre_followup) = (nobody("with_pre_post"), nobody("with_pre_followup"));
        table.add_row(vec![
            r.measure.clone(),
            n_text(&r.pre_post, pre_post),
            change(&r.pre_post, pre_post),
            r.pre_post
                .pct_improved
                .map_or("-".into(), |p| format!("{p:.1}")),
            n_text(&r.pre_followup, pre_followup),
            change(&r.pre_followup, pre_followup),
            change(&r.post_followup, nobody("with_post_followup")),
        ]);
    }
    out.push('\n');
    out.push_str(&table.to_string());
    if let Some(rows) = correlation_rows(settings, results) {
        let lines: Vec<String> = rows
            .iter()
            .filter(|r| r.comparison == crate::model::Comparison::PrePost)
            .map(|r| {
                let interval = |c: Option<&crate::stats::correlation::Correlation>| match c {
                    Some(c) => match c.ci {
                        Some((lo, hi)) => format!("{:.2} ({lo:.2} to {hi:.2})", c.estimate),
                        None => format!("{:.2}", c.estimate),
                    },
                    None => "-".into(),
                };
                if r.suppressed {
                    format!(
                        "  {} and {}: withheld (fewer than {} people)",
                        r.measure_a, r.measure_b, settings.min_cell
                    )
                } else {
                    format!(
                        "  {} and {}: r {}, rho {} ({} people)",
                        r.measure_a,
                        r.measure_b,
                        interval(r.pearson.as_ref()),
                        interval(r.spearman.as_ref()),
                        r.n
                    )
                }
            })
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!(
                "\n\nChanges from referral to end of support, correlated ({:.0}% CI):\n{}",
                settings.conf_level * 100.0,
                lines.join("\n")
            ));
        }
    }
    out.push_str("\n\nParticipant flow (records): ");
    let parts: Vec<String> = record_stages(results[0].flow)
        .iter()
        .filter(|s| s.n > 0 || s.stage == "rows_read")
        .map(|s| format!("{} {}", s.stage, s.n))
        .collect();
    out.push_str(&parts.join(", "));
    out.push('\n');
    out
}
