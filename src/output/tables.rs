//! The CSV writers of every table but comparisons.csv (its own file, [`super::comparisons`]):
//! flow, timepoints, repeated, mixed model, categories, reliable change, between groups,
//! attrition, item reliability, distribution and transitions, and scored.csv.

use crate::model::Timepoint;
use crate::read::Export;
use crate::scale::{Scale, Score, Scored};
use crate::summarise::flow::Stage;

use super::number::format_f64;

/// Writes flow.csv: stage, n, detail.
pub fn write_flow<W: std::io::Write>(out: W, flow: &[Stage]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["stage", "n", "detail"])?;
    for s in flow {
        w.write_record([s.stage, &s.n.to_string(), &s.detail])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes scored.csv: id, grouping columns, then each timepoint's total, category and status
/// (`valid`, `missing` or `invalid`), one row per person in input order.
pub fn write_scored<W: std::io::Write>(
    out: W,
    export: &Export,
    measures: &[ScoredMeasure],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["id".to_string()];
    header.extend(export.groups.iter().map(|g| g.name.clone()));
    // One measure: pre_score ...; several: ucla3_pre_score ..., a measure's columns together.
    let prefix = |m: &ScoredMeasure| match measures.len() {
        1 => String::new(),
        _ => format!("{}_", m.name),
    };
    for m in measures {
        for tp in Timepoint::ALL {
            let column = format!("{}{}", prefix(m), tp.name());
            header.push(format!("{column}_score"));
            header.push(format!("{column}_category"));
            header.push(format!("{column}_status"));
        }
    }
    w.write_record(&header)?;
    for (p, id) in export.ids.iter().enumerate() {
        let mut row = vec![id.to_string()];
        row.extend(
            export
                .groups
                .iter()
                .map(|g| g.levels[g.codes.get(p) as usize].clone()),
        );
        for m in measures {
            for tp in Timepoint::ALL {
                match m.scored.scores[tp.index()].get(p) {
                    Score::Valid(v) => {
                        row.push(format_f64(v));
                        row.push(m.scale.category(v).unwrap_or_default().to_string());
                        row.push("valid".into());
                    }
                    Score::Missing => row.extend([String::new(), String::new(), "missing".into()]),
                    Score::Invalid => row.extend([String::new(), String::new(), "invalid".into()]),
                }
            }
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// One measure's scores for [`write_scored`]: every measure is scored from the same
/// records, so person `p` is the same person in each.
pub struct ScoredMeasure<'a> {
    /// The measure's name (the columns' prefix when there are several).
    pub name: &'a str,
    /// Every person's scores.
    pub scored: &'a Scored,
    /// Its scale (for the categories).
    pub scale: &'a Scale,
}

/// Writes timepoints.csv: group_by, group, timepoint, n, mean, sd, ci_low, ci_high, suppressed.
pub fn write_timepoints<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::timepoints::TimepointSummary],
) -> csv::Result<()> {
    use super::number::format_opt;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "timepoint",
        "n",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "suppressed",
    ])?;
    for r in rows {
        let mut cells = vec![
            r.group_by.clone(),
            r.group.clone(),
            r.timepoint.name().to_string(),
        ];
        match &r.stats {
            None => cells.extend(["", "", "", "", "", "true"].map(String::from)),
            Some(s) => cells.extend([
                s.n.to_string(),
                format_opt(s.mean),
                format_opt(s.sd),
                format_opt(s.ci.map(|c| c.0)),
                format_opt(s.ci.map(|c| c.1)),
                "false".to_string(),
            ]),
        }
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes distribution.csv: comparison, change_low, change_high, discrete, count (whole sample).
pub fn write_change_bins<W: std::io::Write>(
    out: W,
    bins: &[crate::analyses::distribution::ChangeBin],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "comparison",
        "change_low",
        "change_high",
        "discrete",
        "count",
    ])?;
    for b in bins {
        w.write_record([
            b.comparison.name(),
            &format_f64(b.low),
            &format_f64(b.high),
            if b.discrete { "true" } else { "false" },
            &b.count.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes transitions.csv: comparison, earlier, later, count (whole sample).
pub fn write_transitions<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::distribution::Transition],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["comparison", "earlier", "later", "count"])?;
    for t in rows {
        w.write_record([
            t.comparison.name(),
            &format_f64(t.earlier),
            &format_f64(t.later),
            &t.count.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes repeated.csv: group_by, group, n, mean_rank_pre, mean_rank_post,
/// mean_rank_followup, friedman_chi2, df, p_friedman, p_friedman_adj, kendalls_w,
/// suppressed, note.
pub fn write_repeated<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::repeated::RepeatedRow],
) -> csv::Result<()> {
    use super::number::{format_f64, format_opt};
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "n",
        "mean_rank_pre",
        "mean_rank_post",
        "mean_rank_followup",
        "friedman_chi2",
        "df",
        "p_friedman",
        "p_friedman_adj",
        "kendalls_w",
        "suppressed",
        "note",
    ])?;
    for r in rows {
        let mut cells = vec![r.group_by.clone(), r.group.clone()];
        match (&r.result, r.suppressed) {
            (_, true) => cells.extend(std::iter::repeat_n(String::new(), 9)),
            (None, false) => {
                cells.push(r.n.to_string());
                cells.extend(std::iter::repeat_n(String::new(), 8));
            }
            (Some(f), false) => {
                cells.push(f.n.to_string());
                cells.extend(f.mean_ranks.iter().map(|&m| format_f64(m)));
                cells.extend([
                    format_f64(f.statistic),
                    format_f64(f.df),
                    format_f64(f.p),
                    format_opt(r.p_adj),
                    format_f64(f.kendalls_w),
                ]);
            }
        }
        cells.push(r.suppressed.to_string());
        cells.push(r.note.to_string());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes categories.csv: group_by, group, comparison, n, worse_category,
/// n_worse_earlier, n_worse_later, n_to_better, n_to_worse, mcnemar_chi2, p_mcnemar,
/// p_exact, suppressed.
pub fn write_categories<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::categories::CategoryRow],
    worse_category: &str,
) -> csv::Result<()> {
    use super::number::format_f64;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "comparison",
        "n",
        "worse_category",
        "n_worse_earlier",
        "n_worse_later",
        "n_to_better",
        "n_to_worse",
        "mcnemar_chi2",
        "p_mcnemar",
        "p_exact",
        "suppressed",
    ])?;
    for r in rows {
        let mut cells = vec![
            r.group_by.clone(),
            r.group.clone(),
            r.comparison.name().to_string(),
        ];
        if r.suppressed {
            cells.extend(std::iter::repeat_n(String::new(), 9));
        } else {
            cells.push(r.n.to_string());
            cells.push(worse_category.to_string());
            let counts = [r.worse_earlier, r.worse_later, r.to_better, r.to_worse];
            cells.extend(counts.iter().zip(r.hidden).map(|(c, hidden)| match hidden {
                true => String::new(),
                false => c.to_string(),
            }));
            // The test gives the moves back: `None` where either is withheld.
            match &r.test {
                Some(t) => cells.extend([t.statistic, t.p, t.p_exact].map(format_f64)),
                None => cells.extend(std::iter::repeat_n(String::new(), 3)),
            }
        }
        cells.push(r.suppressed.to_string());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes reliable_change.csv: group_by, group, comparison, n, n_reliably_better,
/// n_no_reliable_change, n_reliably_worse, pct_reliably_better, pct_no_reliable_change,
/// pct_reliably_worse, n_recovered, n_deteriorated, reliability, sd_earlier, s_diff,
/// suppressed.
pub fn write_reliable<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::reliable_change::ReliableRow],
) -> csv::Result<()> {
    use super::number::format_f64;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "comparison",
        "n",
        "n_reliably_better",
        "n_no_reliable_change",
        "n_reliably_worse",
        "pct_reliably_better",
        "pct_no_reliable_change",
        "pct_reliably_worse",
        "n_recovered",
        "n_deteriorated",
        "reliability",
        "sd_earlier",
        "s_diff",
        "suppressed",
    ])?;
    for r in rows {
        let mut cells = vec![
            r.group_by.clone(),
            r.group.clone(),
            r.comparison.name().to_string(),
        ];
        match (r.suppressed, r.yardstick) {
            (true, _) => cells.extend(std::iter::repeat_n(String::new(), 12)),
            (false, None) => {
                cells.push(r.n.to_string());
                cells.extend(std::iter::repeat_n(String::new(), 11));
            }
            (false, Some(y)) => {
                cells.push(r.n.to_string());
                let shown = |k: usize, text: String| if r.hidden[k] { String::new() } else { text };
                for (k, c) in r.counts.iter().enumerate() {
                    cells.push(shown(k, c.to_string()));
                }
                // A percentage gives its count back: withheld with it.
                for (k, &c) in r.counts.iter().enumerate() {
                    let pct = match r.n {
                        0 => String::new(),
                        n => format_f64(100.0 * c as f64 / n as f64),
                    };
                    cells.push(shown(k, pct));
                }
                match r.recovered_deteriorated {
                    Some([rec, det]) => {
                        cells.extend([shown(3, rec.to_string()), shown(4, det.to_string())])
                    }
                    None => cells.extend([String::new(), String::new()]),
                }
                cells.extend([y.reliability, y.sd_earlier, y.s_diff].map(format_f64));
            }
        }
        cells.push(r.suppressed.to_string());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes mixed_model.csv: group_by, group, people, observations, term, estimate, se, df, t,
/// p, p_adj, ci_low, ci_high, var_intercept, var_residual, singular, suppressed, note. Terms:
/// mean_pre, mean_post, mean_followup (the model's means; no test, as "is the mean zero?" is
/// not a question) and post_vs_pre, followup_vs_pre (changes with Satterthwaite t-tests).
pub fn write_mixed<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::mixed_model::MixedRow],
) -> csv::Result<()> {
    use super::number::{format_f64, format_opt};
    use crate::analyses::mixed_model::Quantity;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "people",
        "observations",
        "term",
        "estimate",
        "se",
        "df",
        "t",
        "p",
        "p_adj",
        "ci_low",
        "ci_high",
        "var_intercept",
        "var_residual",
        "singular",
        "suppressed",
        "note",
    ])?;
    for r in rows {
        let mut cells = vec![r.group_by.clone(), r.group.clone()];
        if r.suppressed {
            cells.extend(std::iter::repeat_n(String::new(), 14));
        } else {
            cells.push(r.people.to_string());
            cells.push(r.observations.to_string());
            cells.push(r.quantity.map_or("", Quantity::name).to_string());
            let is_change = matches!(r.quantity, Some(Quantity::Change(_)));
            match &r.contrast {
                Some(c) => {
                    cells.extend([format_f64(c.estimate), format_f64(c.se), format_f64(c.df)]);
                    if is_change {
                        cells.extend([format_f64(c.t), format_f64(c.p), format_opt(r.p_adj)]);
                    } else {
                        cells.extend(std::iter::repeat_n(String::new(), 3));
                    }
                    cells.extend([format_f64(c.ci.0), format_f64(c.ci.1)]);
                }
                None => cells.extend(std::iter::repeat_n(String::new(), 8)),
            }
            match r.variances {
                Some((intercept, residual)) => {
                    cells.extend([format_f64(intercept), format_f64(residual)]);
                    cells.push(r.singular.to_string());
                }
                None => cells.extend(std::iter::repeat_n(String::new(), 3)),
            }
        }
        cells.push(r.suppressed.to_string());
        cells.push(r.note.to_string());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes between_groups.csv: group_by, comparison, groups, n, kruskal_h, kruskal_df,
/// p_kruskal, epsilon_squared, welch_f, welch_df1, welch_df2, p_welch, ancova_f, ancova_df1,
/// ancova_df2, p_ancova, partial_eta_squared, note.
pub fn write_between<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::between_groups::BetweenRow],
) -> csv::Result<()> {
    use super::number::{format_f64, format_opt};
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "comparison",
        "groups",
        "n",
        "kruskal_h",
        "kruskal_df",
        "p_kruskal",
        "epsilon_squared",
        "welch_f",
        "welch_df1",
        "welch_df2",
        "p_welch",
        "ancova_f",
        "ancova_df1",
        "ancova_df2",
        "p_ancova",
        "partial_eta_squared",
        "note",
    ])?;
    for r in rows {
        let mut cells = vec![
            r.group_by.clone(),
            r.comparison.name().to_string(),
            r.groups.to_string(),
            r.n.to_string(),
        ];
        match &r.kruskal {
            Some(k) => cells.extend([k.statistic, k.df, k.p, k.epsilon_squared].map(format_f64)),
            None => cells.extend(std::iter::repeat_n(String::new(), 4)),
        }
        match &r.welch {
            Some(f) => cells.extend([f.statistic, f.df1, f.df2, f.p].map(format_f64)),
            None => cells.extend(std::iter::repeat_n(String::new(), 4)),
        }
        match &r.ancova {
            Some(f) => {
                cells.extend([f.statistic, f.df1, f.df2, f.p].map(format_f64));
                cells.push(format_opt(f.partial_eta_squared));
            }
            None => cells.extend(std::iter::repeat_n(String::new(), 5)),
        }
        cells.push(r.note.to_string());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes attrition.csv: timepoint, compared_on, n_completed, n_not_completed,
/// mean_completed, mean_not_completed, test, statistic, df, p, note.
pub fn write_attrition<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::attrition::AttritionRow],
) -> csv::Result<()> {
    use super::number::format_f64;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "timepoint",
        "compared_on",
        "n_completed",
        "n_not_completed",
        "mean_completed",
        "mean_not_completed",
        "test",
        "statistic",
        "df",
        "p",
        "note",
    ])?;
    for r in rows {
        let baseline = r.compared_on == "baseline_score";
        let count = |n: u64| {
            if baseline {
                n.to_string()
            } else {
                String::new()
            }
        };
        let mut cells = vec![
            r.timepoint.name().to_string(),
            r.compared_on.clone(),
            count(r.n_completed),
            count(r.n_not_completed),
        ];
        match r.means {
            Some((a, b)) => cells.extend([format_f64(a), format_f64(b)]),
            None => cells.extend([String::new(), String::new()]),
        }
        cells.push(r.test.to_string());
        match r.result {
            Some((s, df, p)) => cells.extend([s, df, p].map(format_f64)),
            None => cells.extend(std::iter::repeat_n(String::new(), 3)),
        }
        cells.push(r.note.clone());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes item_reliability.csv: timepoint, items, n, alpha, ci_low, ci_high, omega_total, note (item
/// scales; people who answered every item at that timepoint).
pub fn write_item_reliability<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::item_reliability::ItemReliabilityRow],
    min_cell: usize,
) -> csv::Result<()> {
    use super::number::{format_f64, format_opt};
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "timepoint",
        "items",
        "n",
        "alpha",
        "ci_low",
        "ci_high",
        "omega_total",
        "note",
    ])?;
    for row in rows {
        let mut cells = vec![
            row.timepoint.name().to_string(),
            row.items.to_string(),
            row.n.map(|n| n.to_string()).unwrap_or_default(),
        ];
        if row.withheld {
            cells.extend(std::iter::repeat_n(String::new(), 4));
            cells.push(format!(
                "fewer than {min_cell} people with every item answered: withheld"
            ));
            w.write_record(&cells)?;
            continue;
        }
        let ci = row.alpha.and_then(|a| a.1);
        cells.extend([
            format_opt(row.alpha.map(|a| a.0)),
            format_opt(ci.map(|c| c.0)),
            format_opt(ci.map(|c| c.1)),
            row.omega_total.map(format_f64).unwrap_or_default(),
            row.notes.join("; "),
        ]);
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes intervals.csv: per comparison, people with both dates, those without, those
/// dated out of order, and the quartiles of the days between (blank below min-cell).
pub fn write_intervals<W: std::io::Write>(
    out: W,
    rows: &[crate::analyses::dates::IntervalRow],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "comparison",
        "n",
        "undated",
        "out_of_order",
        "q1_days",
        "median_days",
        "q3_days",
    ])?;
    let number = |v: Option<f64>| v.map(format_f64).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.comparison.to_string(),
            r.n.to_string(),
            r.undated.to_string(),
            r.out_of_order.to_string(),
            number(r.q1_days),
            number(r.median_days),
            number(r.q3_days),
        ])?;
    }
    w.flush()?;
    Ok(())
}
