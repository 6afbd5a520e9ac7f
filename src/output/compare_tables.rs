//! The tables of `compare`: matching_flow.csv, balance.csv, effect.csv, matches.csv, and the
//! terminal summary.

use super::number::{format_f64, format_opt, p_text};
use crate::matching::cohort::Cohort;
use crate::matching::{BalanceRow, EffectRow, MatchOptions, MatchedMean, MatchingResult};
use crate::read::Ids;

/// Writes matching_flow.csv: `stage, scheme, comparator`, every person read accounted for
/// (people = excluded + eligible; eligible = matched + unmatched).
pub fn write_matching_flow<W: std::io::Write>(
    out: W,
    cohort: &Cohort,
    result: &MatchingResult,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["stage", "scheme", "comparator"])?;
    let [s, c] = &cohort.counts;
    let rows: [(&str, u64, u64); 7] = [
        ("people", s.people, c.people),
        (
            "excluded_missing_covariate",
            s.missing_covariate,
            c.missing_covariate,
        ),
        ("excluded_no_pre", s.no_pre, c.no_pre),
        ("excluded_no_post", s.no_post, c.no_post),
        ("eligible", s.eligible, c.eligible),
        ("matched", result.matched[0], result.matched[1]),
        (
            "unmatched",
            s.eligible - result.matched[0],
            c.eligible - result.matched[1],
        ),
    ];
    for (stage, a, b) in rows {
        w.write_record([stage.to_string(), a.to_string(), b.to_string()])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes balance.csv: one row per covariate (numeric) or covariate level (categorical),
/// and the distance first: `covariate, level, mean_scheme_before, mean_comparator_before,
/// smd_before, var_ratio_before, mean_scheme_after, mean_comparator_after, smd_after,
/// var_ratio_after, imbalanced` (|smd_after| > 0.1). A period's cells are empty where the
/// level's means would give away fewer than min-cell people.
pub fn write_balance<W: std::io::Write>(out: W, rows: &[BalanceRow]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "covariate",
        "level",
        "mean_scheme_before",
        "mean_comparator_before",
        "smd_before",
        "var_ratio_before",
        "mean_scheme_after",
        "mean_comparator_after",
        "smd_after",
        "var_ratio_after",
        "imbalanced",
    ])?;
    for r in rows {
        let mut record = vec![r.covariate.clone(), r.level.clone().unwrap_or_default()];
        for (balance, withheld) in [(&r.before, r.withheld[0]), (&r.after, r.withheld[1])] {
            if withheld {
                record.extend(std::iter::repeat_n(String::new(), 4));
            } else {
                record.extend([
                    format_f64(balance.mean_scheme),
                    format_f64(balance.mean_comparator),
                    format_opt(balance.smd),
                    format_opt(balance.var_ratio),
                ]);
            }
        }
        // Whether |SMD| > 0.1 is left out with the SMD.
        record.push(if r.withheld[1] {
            String::new()
        } else {
            r.imbalanced().to_string()
        });
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes effect.csv: `group_by, group, n_scheme, n_comparator, change_scheme,
/// change_comparator, estimate, se, df, t, p, ci_low, ci_high, method, suppressed, note`.
pub fn write_effects<W: std::io::Write>(out: W, rows: &[EffectRow]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group_by",
        "group",
        "n_scheme",
        "n_comparator",
        "change_scheme",
        "change_comparator",
        "estimate",
        "se",
        "df",
        "t",
        "p",
        "ci_low",
        "ci_high",
        "method",
        "suppressed",
        "note",
    ])?;
    for r in rows {
        let mut cells = vec![r.group_by.clone(), r.group.clone()];
        if r.suppressed {
            cells.extend(std::iter::repeat_n(String::new(), 12));
        } else {
            cells.push(r.n_scheme.to_string());
            cells.push(r.n_comparator.to_string());
            match &r.effect {
                Some(e) => cells.extend([
                    format_f64(e.change_scheme),
                    format_f64(e.change_comparator),
                    format_f64(e.estimate),
                    format_f64(e.se),
                    format_f64(e.df),
                    format_f64(e.t),
                    format_f64(e.p),
                    format_f64(e.ci.0),
                    format_f64(e.ci.1),
                    e.method.name().to_string(),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 10)),
            }
        }
        cells.push(r.suppressed.to_string());
        cells.push(r.note.clone());
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes matched_means.csv: `timepoint, group, n, mean, ci_low, ci_high`: the matched
/// scheme users' and comparators' mean scores (with the matching weights) at each timepoint.
pub fn write_matched_means<W: std::io::Write>(out: W, rows: &[MatchedMean]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["timepoint", "group", "n", "mean", "ci_low", "ci_high"])?;
    for r in rows {
        w.write_record([
            r.timepoint.to_string(),
            r.group.to_string(),
            r.n.to_string(),
            format_f64(r.mean),
            format_opt(r.ci.map(|c| c.0)),
            format_opt(r.ci.map(|c| c.1)),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes matches.csv (only with `--write-matches`: it holds ids): `scheme_id,
/// comparator_id, slot, comparator_weight`, one row per matched pair, scheme users in
/// matching order.
pub fn write_matches<W: std::io::Write>(
    out: W,
    cohort: &Cohort,
    result: &MatchingResult,
    ids: [&Ids; 2],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["scheme_id", "comparator_id", "slot", "comparator_weight"])?;
    for m in &result.matches {
        let treated = &cohort.units[m.treated];
        for (slot, &c) in m.controls.iter().enumerate() {
            let control = &cohort.units[c];
            w.write_record([
                ids[0].get(treated.person).to_string(),
                ids[1].get(control.person).to_string(),
                (slot + 1).to_string(),
                format_f64(result.weights[c]),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// What `compare` prints: the flow in a line, the worst balance (with what to try when it is
/// not good enough), and the effect (p as reports print it; effect.csv keeps every digit).
pub fn terminal_summary(
    cohort: &Cohort,
    result: &MatchingResult,
    options: &MatchOptions,
) -> String {
    let [s, c] = &cohort.counts;
    let mut text = format!(
        "Matched {} of {} eligible scheme users to {} of {} comparator people.\n",
        result.matched[0], s.eligible, result.matched[1], c.eligible
    );
    let worst = result
        .balance
        .iter()
        .filter(|r| r.covariate != "distance" && !r.withheld[1])
        .filter_map(|r| {
            r.after
                .smd
                .filter(|s| s.is_finite())
                .map(|smd| (smd.abs(), r))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((smd, row)) = worst {
        let name = match &row.level {
            Some(level) => format!("{} = {level}", row.covariate),
            None => row.covariate.clone(),
        };
        let before = row
            .before
            .smd
            .filter(|b| b.is_finite() && !row.withheld[0])
            .map(f64::abs);
        let (worse, verdict) = if smd > 0.1 {
            (
                match before {
                    Some(b) if b < smd => format!(", worse than {b:.3} before matching"),
                    _ => String::new(),
                },
                format!(
                    ", above 0.1: balance is not good enough to trust the effect{}",
                    balance_advice(cohort, row, options)
                ),
            )
        } else {
            (String::new(), String::new())
        };
        text.push_str(&format!(
            "Largest standardised difference after matching: {smd:.3} ({name}{worse}){verdict}.\n"
        ));
    }
    if let Some(all) = result.effects.first().and_then(|r| r.effect.as_ref()) {
        let p = p_text(Some(all.p));
        text.push_str(&format!(
            "Change in score, scheme minus matched comparator: {:.3} ({:.3} to {:.3}), p {}.\n",
            all.estimate,
            all.ci.0,
            all.ci.1,
            match p.strip_prefix('<') {
                Some(bound) => format!("< {bound}"),
                None => format!("= {p}"),
            }
        ));
    }
    text
}

/// What to try when balance is not good enough, from the options not yet used: reusing
/// comparators, a caliper (or a narrower one), fewer comparators each, or exact matching on a
/// categorical covariate.
fn balance_advice(cohort: &Cohort, worst: &BalanceRow, options: &MatchOptions) -> String {
    let mut tries = Vec::new();
    if !options.replace {
        tries.push("--replace (a comparator may serve several scheme users)".to_string());
    }
    match options.caliper {
        None => tries
            .push("--caliper 0.2 (matches only within 0.2 SD of the propensity logit)".to_string()),
        Some(c) => tries.push(format!("a narrower --caliper than {c}")),
    }
    if options.ratio > 1 {
        tries.push("--ratio 1 (each comparator beyond the first is a worse match)".to_string());
    }
    if worst.level.is_some()
        && cohort.covariates.iter().any(|c| c.name == worst.covariate)
        && !cohort.exact.contains(&worst.covariate)
    {
        tries.push(format!("--exact {}", worst.covariate));
    }
    let last = tries.pop().unwrap_or_default();
    let list = if tries.is_empty() {
        last
    } else {
        format!("{} or {last}", tries.join(", "))
    };
    format!("; try {list}, then check balance.csv again")
}
