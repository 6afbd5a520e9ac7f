//! The report's figures, built from a results folder: which charts, with which titles, labels
//! and notes. Drawing lives in [`super::charts`]; this decides what to draw.

use super::charts::{
    clamp_axis, padded, render_png, render_svg, score_axis, ChangeHistogram, Chart, IntervalChart,
    IntervalRow, LovePlot, LoveRow, MeansChart, MeansSeries, SlopeChart, StackedChart, StackedRow,
};
use crate::output::results::{ComparisonRecord, ResultsDir};
use crate::stats::proportion::wilson;

/// Which image formats to write (`--charts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormats {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// Both.
    Both,
}

/// One figure with its report caption.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Mean score over time.
    Means(MeansChart),
    /// Forest plot or percent improved.
    Intervals(IntervalChart),
    /// Change histogram.
    Histogram(ChangeHistogram),
    /// Slope chart.
    Slopes(SlopeChart),
    /// Shares as stacked bars (reliable change).
    Stacked(StackedChart),
    /// Balance before and after matching.
    Love(LovePlot),
}

impl Figure {
    /// File name without extension.
    pub fn stem(&self) -> String {
        match self {
            Figure::Means(c) => c.file_stem(),
            Figure::Intervals(c) => c.file_stem(),
            Figure::Histogram(c) => c.file_stem(),
            Figure::Slopes(c) => c.file_stem(),
            Figure::Stacked(c) => c.file_stem(),
            Figure::Love(c) => c.file_stem(),
        }
    }

    /// The chart's title, used as the figure caption.
    pub fn title(&self) -> &str {
        match self {
            Figure::Means(c) => &c.title,
            Figure::Intervals(c) => &c.title,
            Figure::Histogram(c) => &c.title,
            Figure::Slopes(c) => &c.title,
            Figure::Stacked(c) => &c.title,
            Figure::Love(c) => &c.title,
        }
    }

    /// SVG text.
    pub fn svg(&self) -> Result<String, String> {
        match self {
            Figure::Means(c) => render_svg(c),
            Figure::Intervals(c) => render_svg(c),
            Figure::Histogram(c) => render_svg(c),
            Figure::Slopes(c) => render_svg(c),
            Figure::Stacked(c) => render_svg(c),
            Figure::Love(c) => render_svg(c),
        }
    }

    /// PNG bytes.
    pub fn png(&self) -> Result<Vec<u8>, String> {
        match self {
            Figure::Means(c) => render_png(c),
            Figure::Intervals(c) => render_png(c),
            Figure::Histogram(c) => render_png(c),
            Figure::Slopes(c) => render_png(c),
            Figure::Stacked(c) => render_png(c),
            Figure::Love(c) => render_png(c),
        }
    }
}

/// A grouping column's name as it may appear in a file name: letters, digits, `_` and `-`
/// kept, anything else (`/`, spaces, dots) replaced by `_`.
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Most groups a per-group chart draws; beyond it (a `--by` on postcode or id, say) a chart
/// of one row per group is unreadable and too large to render, so it is left out.
pub const MAX_CHART_ROWS: usize = 100;

/// Human name of a grouping column ("trigger group").
pub fn by_label(by: &str) -> String {
    by.replace('_', " ")
}

fn pre_post<'a>(results: &'a ResultsDir, group_by: &str) -> Vec<&'a ComparisonRecord> {
    results
        .comparisons
        .iter()
        .filter(|r| r.group_by == group_by && r.comparison == "pre_post")
        .collect()
}

/// The grouping column shown as lines in the means chart: trigger_group if analysed, else the
/// first grouping column with at most eight groups.
fn line_groups(results: &ResultsDir) -> Option<String> {
    let by = &results.summary.settings.by;
    let small = |b: &String| {
        results
            .timepoints
            .iter()
            .filter(|t| &t.group_by == b && t.timepoint == "pre")
            .count()
            <= 8
    };
    by.iter()
        .find(|b| b.as_str() == "trigger_group" && small(b))
        .or_else(|| by.iter().find(|b| small(b)))
        .cloned()
}

/// Builds every figure the results support, in report order.
pub fn figures(results: &ResultsDir) -> Vec<Figure> {
    let summary = &results.summary;
    let scale = &summary.scale;
    let settings = &summary.settings;
    let conf = settings.conf_level * 100.0;
    let min_cell = settings.min_cell;
    let lower_is_better = scale.higher_is_worse;
    let better_word = if lower_is_better {
        "below 0 = improvement"
    } else {
        "above 0 = improvement"
    };
    let y_range = scale.total_range.unwrap_or_else(|| {
        let values = results
            .timepoints
            .iter()
            .flat_map(|t| [t.ci_low, t.ci_high, t.mean])
            .flatten()
            .chain(
                results
                    .transitions
                    .iter()
                    .flat_map(|t| [t.earlier, t.later]),
            )
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        padded(lo, hi)
    });
    let y_range = (clamp_axis(y_range.0), clamp_axis(y_range.1));
    let y_desc = score_axis(&scale.short, scale.total_range, &scale.axis_note);
    let mut out = Vec::new();

    // 1. Means over time.
    let series_of = |group_by: &str, group: &str, label: String| {
        let mut points = [None; 3];
        for (i, tp) in ["pre", "post", "followup"].iter().enumerate() {
            points[i] = results
                .timepoints
                .iter()
                .find(|t| {
                    t.group_by == group_by
                        && t.group == group
                        && &t.timepoint == tp
                        && !t.suppressed
                })
                .and_then(|t| t.mean.map(|m| (m, t.ci_low, t.ci_high)));
        }
        MeansSeries { label, points }
    };
    let line_by = line_groups(results);
    let mut series = vec![series_of("all", "All", "All service users".into())];
    if let Some(by) = &line_by {
        let groups: Vec<&str> = results
            .timepoints
            .iter()
            .filter(|t| &t.group_by == by && t.timepoint == "pre")
            .map(|t| t.group.as_str())
            .collect();
        for g in groups {
            let s = series_of(by, g, g.to_string());
            if s.points.iter().any(Option::is_some) {
                series.push(s);
            }
        }
    }
    out.push(Figure::Means(MeansChart {
        stem: "means".into(),
        title: format!("Mean {} score at referral, end of support and follow-up", scale.short),
        y_desc: y_desc.clone(),
        y_range,
        series,
        note: format!(
            "Points: mean of everyone with a valid score at that time; bars: {conf:.0}% CI. Groups with fewer than {min_cell} people are not drawn."
        ),
    }));

    // 1b. The mixed model's means: every score counts, so the follow-up mean is not only that
    // of the people who stayed.
    if let Some((_, rows)) = results.further.iter().find(|(n, _)| n == "mixed_model.csv") {
        let model_series = |group_by: &str, group: &str, label: String| {
            let num = crate::output::results::csv_number;
            let mut points = [None; 3];
            for (i, term) in ["mean_pre", "mean_post", "mean_followup"]
                .iter()
                .enumerate()
            {
                points[i] = rows
                    .iter()
                    .find(|r| {
                        r.get("group_by").is_some_and(|g| g == group_by)
                            && r.get("group").is_some_and(|g| g == group)
                            && r.get("term").is_some_and(|t| t == term)
                    })
                    .and_then(|r| Some((num(r, "estimate")?, num(r, "ci_low"), num(r, "ci_high"))));
            }
            MeansSeries { label, points }
        };
        let mut series = vec![model_series("all", "All", "All service users".into())];
        if let Some(by) = &line_by {
            let mut groups: Vec<&str> = rows
                .iter()
                .filter(|r| r.get("group_by").is_some_and(|g| g == by))
                .filter_map(|r| r.get("group").map(String::as_str))
                .collect();
            groups.dedup();
            for g in groups {
                let s = model_series(by, g, g.to_string());
                if s.points.iter().any(Option::is_some) {
                    series.push(s);
                }
            }
        }
        if series[0].points.iter().any(Option::is_some) {
            out.push(Figure::Means(MeansChart {
                stem: "model_means".into(),
                title: format!(
                    "Mixed-model mean {} score at referral, end of support and follow-up",
                    scale.short
                ),
                y_desc: y_desc.clone(),
                y_range,
                series,
                note: format!(
                    "Points: model means from every score, followed up or not; bars: {conf:.0}% CI. Groups with fewer than {min_cell} people are not drawn."
                ),
            }));
        }
    }

    // 2. Forest plots of mean change, one per grouping column with a drawable number of groups.
    let overall = results.comparison("all", "All", "pre_post");
    let charted: Vec<&String> = settings
        .by
        .iter()
        .filter(|by| pre_post(results, by).len() <= MAX_CHART_ROWS)
        .collect();
    for &by in &charted {
        let rows = pre_post(results, by)
            .into_iter()
            .map(|r| IntervalRow {
                label: r.group.replace('\n', " "),
                n: r.n,
                estimate: r.mean_change.map(|m| (m, r.ci_low, r.ci_high)),
                suppressed: r.suppressed,
            })
            .collect();
        out.push(Figure::Intervals(IntervalChart {
            stem: format!("forest_{}", file_safe(by)),
            title: format!(
                "Change in {} score from referral to end of support, by {}",
                scale.short,
                by_label(by)
            ),
            x_desc: format!("Mean change (post - pre) with {conf:.0}% CI; {better_word}"),
            rows,
            overall: overall.and_then(|o| o.mean_change),
            x_range: None,
            higher_first: !lower_is_better,
            suppressed_text: settings.suppressed_label(),
            note: "Dashed line: all service users. Sorted by mean change, most improvement first."
                .into(),
        }));
    }

    // 3. Distribution of individual change.
    let pre_post_bins: Vec<_> = results
        .change_bins
        .iter()
        .filter(|b| b.comparison == "pre_post")
        .collect();
    let discrete = pre_post_bins.iter().all(|b| b.discrete);
    let bins: Vec<(f64, f64, u64)> = pre_post_bins
        .iter()
        .map(|b| (b.change_low, b.change_high, b.count))
        .collect();
    if !bins.is_empty() {
        let shares =
            match overall.and_then(|o| Some((o.n?, o.n_improved?, o.n_unchanged?, o.n_worse?))) {
                Some((n, i, u, w)) if n > 0 => {
                    let pct = |k: u64| k as f64 / n as f64 * 100.0;
                    let pooled = if min_cell > 0 {
                        format!("; bars hold at least {min_cell} people")
                    } else {
                        String::new()
                    };
                    format!(
                        "Improved {:.1}%   Unchanged {:.1}%   Worse {:.1}%   (n = {n}{pooled})",
                        pct(i),
                        pct(u),
                        pct(w)
                    )
                }
                _ => String::new(),
            };
        out.push(Figure::Histogram(ChangeHistogram {
            title: format!(
                "Individual change in {} score, referral to end of support",
                scale.short
            ),
            x_desc: format!(
                "Change in {} score (post - pre); {better_word}",
                scale.short
            ),
            bins,
            discrete,
            lower_is_better,
            shares,
        }));
    }

    // 4. Percent improved with Wilson intervals, one per grouping column.
    for &by in &charted {
        let rows = pre_post(results, by)
            .into_iter()
            .map(|r| {
                let ci = match (r.n_improved, r.n) {
                    (Some(k), Some(n)) => wilson(k as usize, n as usize, settings.conf_level),
                    _ => None,
                };
                IntervalRow {
                    label: r.group.replace('\n', " "),
                    n: r.n,
                    estimate: r
                        .pct_improved
                        .map(|p| (p, ci.map(|c| c.0 * 100.0), ci.map(|c| c.1 * 100.0))),
                    suppressed: r.suppressed,
                }
            })
            .collect();
        out.push(Figure::Intervals(IntervalChart {
            stem: format!("improved_{}", file_safe(by)),
            title: format!(
                "Service users {} after support, by {}",
                crate::scale::improved_words(scale.improved.as_deref(), lower_is_better),
                by_label(by)
            ),
            x_desc: format!("Percent improved (pre to post) with {conf:.0}% Wilson CI"),
            rows,
            overall: overall.and_then(|o| o.pct_improved),
            x_range: Some((0.0, 100.0)),
            higher_first: true,
            suppressed_text: settings.suppressed_label(),
            note: "Dashed line: all service users. Sorted by percent improved, highest first."
                .into(),
        }));
    }

    // 5. Paired slopes.
    let transitions: Vec<(f64, f64, u64)> = results
        .transitions
        .iter()
        .filter(|t| t.comparison == "pre_post")
        .map(|t| (t.earlier, t.later, t.count))
        .collect();
    // Drawn whenever the whole-sample comparison is published: with small samples every pair
    // of scores may be under min_cell, and the means alone still show the change.
    if !transitions.is_empty() || overall.is_some_and(|o| !o.suppressed) {
        out.push(Figure::Slopes(SlopeChart {
            title: format!("Each service user's {} score at referral and end of support", scale.short),
            y_desc: y_desc.clone(),
            y_range,
            transitions,
            means: overall.and_then(|o| Some((o.mean_a?, o.mean_b?))),
            lower_is_better,
            note: if min_cell > 0 {
                format!("Line width and darkness: people sharing the two scores; pairs shared by fewer than {min_cell} are not drawn. Black: means.")
            } else {
                "Line width and darkness: people sharing the two scores. Black: means.".into()
            },
        }));
    }

    // 6. Reliable change, referral to end of support, as stacked shares.
    if let Some((_, rows)) = results
        .further
        .iter()
        .find(|(n, _)| n == "reliable_change.csv")
    {
        let (get, num) = (
            crate::output::results::csv_cell,
            crate::output::results::csv_number,
        );
        let wanted = |r: &&crate::output::results::CsvRow| {
            get(r, "comparison") == "pre_post"
                && (get(r, "group_by") == "all"
                    || line_by.as_deref() == Some(get(r, "group_by").as_str()))
        };
        let bars: Vec<StackedRow> = rows
            .iter()
            .filter(wanted)
            .map(|r| {
                let label = if get(r, "group_by") == "all" {
                    "All service users".to_string()
                } else {
                    get(r, "group").replace('\n', " ")
                };
                let shares = (get(r, "suppressed") != "true")
                    .then(|| {
                        Some([
                            num(r, "pct_reliably_better")?,
                            num(r, "pct_no_reliable_change")?,
                            num(r, "pct_reliably_worse")?,
                        ])
                    })
                    .flatten();
                StackedRow {
                    label,
                    n: get(r, "n").parse().ok(),
                    shares,
                }
            })
            .collect();
        let reliability = rows
            .first()
            .map(|r| get(r, "reliability"))
            .unwrap_or_default();
        if bars.iter().any(|b| b.shares.is_some()) {
            out.push(Figure::Stacked(StackedChart {
                stem: "reliable_change".into(),
                title: format!(
                    "Reliable change in {} score, referral to end of support",
                    scale.short
                ),
                parts: [
                    "Reliably better".into(),
                    "No reliable change".into(),
                    "Reliably worse".into(),
                ],
                rows: bars,
                suppressed_text: settings.suppressed_label(),
                note: format!(
                    "Jacobson-Truax reliable change index, reliability {reliability}: a change beyond measurement error (|RCI| > 1.96)."
                ),
            }));
        }
    }

    // 7. The matched comparison, when `compare` was run: balance, then scores over time.
    if let Some(compare) = &results.compare {
        let get = crate::output::results::csv_cell;
        let abs = |r: &crate::output::results::CsvRow, key: &str| {
            crate::output::results::csv_number(r, key).map(f64::abs)
        };
        let rows: Vec<LoveRow> = compare
            .balance
            .iter()
            .filter(|r| get(r, "covariate") != "distance")
            .map(|r| LoveRow {
                label: match get(r, "level").as_str() {
                    "" => get(r, "covariate"),
                    level => format!("{}: {level}", get(r, "covariate")),
                },
                before: abs(r, "smd_before"),
                after: abs(r, "smd_after"),
            })
            .collect();
        if !rows.is_empty() {
            out.push(Figure::Love(LovePlot {
                title: "Balance of scheme users and matched comparators".into(),
                rows,
                note: "Standardised by the scheme users' sd before matching; after matching every difference should be under 0.1.".into(),
            }));
        }
        let series = |group: &str, label: &str| {
            let mut points = [None; 3];
            for (i, tp) in ["pre", "post", "followup"].iter().enumerate() {
                points[i] = compare
                    .means
                    .iter()
                    .find(|r| get(r, "group") == group && &get(r, "timepoint") == tp)
                    .and_then(|r| {
                        let num = |k: &str| crate::output::results::csv_number(r, k);
                        Some((num("mean")?, num("ci_low"), num("ci_high")))
                    });
            }
            MeansSeries {
                label: label.into(),
                points,
            }
        };
        let means = vec![
            series("scheme", "Scheme users (matched)"),
            series("comparator", "Matched comparators"),
        ];
        if means.iter().any(|s| s.points.iter().any(Option::is_some)) {
            out.push(Figure::Means(MeansChart {
                stem: "compare_means".into(),
                title: format!(
                    "Mean {} score of scheme users and matched comparators",
                    scale.short
                ),
                y_desc: y_desc.clone(),
                y_range,
                series: means,
                note: format!(
                    "Points: means with the matching weights; bars: {conf:.0}% CI. Comparators have no follow-up unless their export has one."
                ),
            }));
        }
    }
    out
}

/// A figure rendered: its SVG (always, for the HTML report) and the files written.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The figure.
    pub figure: Figure,
    /// SVG text.
    pub svg: String,
    /// Paths written under the results folder, relative to it (`charts/means.svg`).
    pub files: Vec<String>,
}

/// Renders every figure and writes the requested formats under `dir/charts/`.
pub fn write_figures(
    dir: &std::path::Path,
    figures: Vec<Figure>,
    formats: ChartFormats,
) -> Result<Vec<Rendered>, crate::error::Error> {
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| crate::error::Error::io(&charts_dir, e))?;
    let failed = |why: String| crate::error::Error::Render {
        what: "a chart".into(),
        why,
    };
    // File names in figure order, made unique: two grouping columns can reduce to one name
    // ("site a" and "site_a"), and neither chart may overwrite the other.
    let mut taken = std::collections::HashSet::new();
    let stems: Vec<String> = figures
        .iter()
        .map(|figure| {
            let stem = figure.stem();
            let mut unique = stem.clone();
            let mut k = 1;
            while !taken.insert(unique.clone()) {
                k += 1;
                unique = format!("{stem}_{k}");
            }
            unique
        })
        .collect();
    // Each figure is drawn and encoded on its own (PNG encoding is most of a run's fixed
    // cost), so they are drawn on all cores; `collect` keeps their order. Files are written
    // afterwards, in order, so a failure stops at the same chart every time.
    use rayon::prelude::*;
    let drawn: Vec<(Figure, String, Option<Vec<u8>>)> = figures
        .into_par_iter()
        .map(|figure| {
            let svg = figure.svg().map_err(failed)?;
            let png = match formats {
                ChartFormats::Svg => None,
                _ => Some(figure.png().map_err(failed)?),
            };
            Ok((figure, svg, png))
        })
        .collect::<Result<_, crate::error::Error>>()?;
    let mut out = Vec::with_capacity(drawn.len());
    for ((figure, svg, png), stem) in drawn.into_iter().zip(stems) {
        let mut files = Vec::new();
        if formats != ChartFormats::Png {
            super::write_file(&charts_dir, &format!("{stem}.svg"), svg.as_bytes())?;
            files.push(format!("charts/{stem}.svg"));
        }
        if let Some(png) = png {
            super::write_file(&charts_dir, &format!("{stem}.png"), &png)?;
            files.push(format!("charts/{stem}.png"));
        }
        out.push(Rendered { figure, svg, files });
    }
    Ok(out)
}
