//! What the reports say, independent of HTML or Markdown: the headline, the data source, the
//! flow, the tables and the methods paragraph, generated from the settings actually used.

use crate::output::figures::by_label;
use crate::output::number::{fixed, p_text};
use crate::output::results::{ComparisonRecord, DatesRecord, ResultsDir};

/// A table with a title; `suppressed[i]` marks rows withheld for disclosure control.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Heading above the table.
    pub title: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Cells.
    pub rows: Vec<Vec<String>>,
    /// Which rows are suppressed.
    pub suppressed: Vec<bool>,
}

/// Counts for the CONSORT-style diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Consort {
    /// Records read.
    pub read: u64,
    /// Exclusions with their labels.
    pub excluded: Vec<(String, u64)>,
    /// People kept.
    pub people: u64,
    /// Invalid scores by timepoint.
    pub invalid: Vec<(String, u64)>,
    /// Follow-ups the follow-up window left out, by reason (empty without a window).
    pub window: Vec<(String, u64)>,
    /// People with a valid referral score.
    pub with_pre: u64,
    /// In the pre_post comparison.
    pub pre_post: u64,
    /// In the pre_followup comparison.
    pub pre_followup: u64,
    /// With all three.
    pub all_three: u64,
}

/// Everything the reports show.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// Report title.
    pub title: String,
    /// The headline sentence.
    pub headline: String,
    /// (label, value) facts about the input and tool.
    pub source: Vec<(String, String)>,
    /// Flow table rows (stage, n, detail).
    pub flow: Vec<(String, u64, String)>,
    /// Diagram counts.
    pub consort: Consort,
    /// Comparison tables.
    pub tables: Vec<Table>,
    /// Tables of the further analyses (after the charts).
    pub further: Vec<Table>,
    /// The matched comparison, when `compare` was run: paragraphs and tables.
    pub compared: Option<(Vec<String>, Vec<Table>)>,
    /// Methods paragraphs.
    pub methods: Vec<String>,
    /// Notes from reading the input.
    pub notices: Vec<String>,
    /// Closing line.
    pub footer: String,
}

fn interval(e: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match (e, lo, hi) {
        (Some(e), Some(lo), Some(hi)) => format!("{e:.2} ({lo:.2} to {hi:.2})"),
        (Some(e), _, _) => format!("{e:.2}"),
        _ => "-".into(),
    }
}

/// What the dates cover and which follow-ups the window left out, in words.
fn dates_line(dates: Option<&DatesRecord>, min_cell: u64) -> String {
    let Some(dates) = dates else {
        return "the export has no date column, so no date range is shown".into();
    };
    let month = |m: &str| {
        let (y, mo) = m.split_once('-').unwrap_or((m, ""));
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match mo
            .parse::<usize>()
            .ok()
            .and_then(|k| NAMES.get(k.wrapping_sub(1)))
        {
            Some(name) => format!("{name} {y}"),
            None => m.to_string(),
        }
    };
    let mut parts: Vec<String> = dates
        .columns
        .iter()
        .map(|c| {
            let what = match c.timepoint.as_str() {
                "pre" => "referral",
                "post" => "end of support",
                _ => "follow-up",
            };
            match (&c.first_month, &c.last_month) {
                (Some(first), Some(last)) => format!(
                    "{what} {} to {} ({} people dated, column {})",
                    month(first),
                    month(last),
                    c.dated,
                    c.column
                ),
                _ => format!(
                    "{what}: fewer than {min_cell} people dated, so the period is withheld (column {})",
                    c.column
                ),
            }
        })
        .collect();
    if let Some(w) = &dates.followup_window {
        parts.push(format!(
            "follow-ups count only {} to {} days after {} ({} too early, {} too late and {} undated left out)",
            w.min_days,
            w.max_days,
            if w.from == "pre" { "referral" } else { "end of support" },
            w.too_early,
            w.too_late,
            w.undated
        ));
    }
    if dates.unreadable > 0 {
        parts.push(format!(
            "{} date cell{} could not be read and count{} as undated",
            dates.unreadable,
            if dates.unreadable == 1 { "" } else { "s" },
            if dates.unreadable == 1 { "s" } else { "" },
        ));
    }
    parts.join("; ")
}

fn comparison_label(c: &str) -> &'static str {
    match c {
        "pre_post" => "Referral to end of support",
        "pre_followup" => "Referral to follow-up",
        _ => "End of support to follow-up",
    }
}

impl Content {
    /// Builds the content from a results folder.
    pub fn new(results: &ResultsDir) -> Content {
        let s = &results.summary;
        let settings = &s.settings;
        let scale = &s.scale;
        let conf = settings.conf_level * 100.0;
        let min_cell = settings.min_cell;
        // The sentence analyse wrote to summary.json, so the terminal, JSON and reports agree.
        let headline = match &s.headline {
            Some(h) => format!("{} (scale: {}).", h.text, scale.short),
            None => format!("No whole-sample comparison of referral and end of support to report (fewer than {min_cell} people)."),
        };
        let mut source: Vec<(String, String)> = if s.input.files.len() > 1 {
            s.input
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    (
                        format!("Input file {}", i + 1),
                        format!("{} ({} bytes, SHA-256 {})", f.file_name, f.bytes, f.sha256),
                    )
                })
                .collect()
        } else {
            vec![
                ("Input file".into(), s.input.file_name.clone()),
                ("SHA-256".into(), s.input.sha256.clone()),
            ]
        };
        source.extend([
            (
                "Size".into(),
                format!("{} bytes, {} layout", s.input.bytes, s.input.layout),
            ),
            ("Dates".into(), dates_line(s.dates.as_ref(), min_cell)),
            ("Scale".into(), format!("{} ({})", scale.title, scale.name)),
            ("Tool".into(), format!("{} {}", s.tool.name, s.tool.version)),
        ]);
        let flow = results
            .flow
            .iter()
            .map(|f| (f.stage.clone(), f.n, f.detail.clone()))
            .collect();
        let count = |stage: &str| results.flow_count(stage);
        let consort = Consort {
            read: count("rows_read"),
            // The config's own exclusions are shown when the flow has them.
            excluded: [
                ("wrong number of fields", "excluded_malformed"),
                ("a rule of the config (test, total)", "excluded_by_rule"),
                ("blank id", "excluded_missing_id"),
                ("unknown timepoint", "excluded_unknown_timepoint"),
                (
                    "interim review (ignored timepoint)",
                    "excluded_ignored_timepoint",
                ),
                ("undated assessment", "excluded_undated_assessment"),
                ("fourth or later assessment", "excluded_extra_assessment"),
                ("repeated id", "excluded_duplicate_id"),
            ]
            .iter()
            .filter(|(_, stage)| {
                !matches!(
                    *stage,
                    "excluded_by_rule"
                        | "excluded_ignored_timepoint"
                        | "excluded_undated_assessment"
                        | "excluded_extra_assessment"
                ) || results.flow.iter().any(|f| f.stage == *stage)
            })
            .map(|(label, stage)| (label.to_string(), count(stage)))
            .collect(),
            people: count("people"),
            invalid: [
                ("referral", "invalid_pre"),
                ("end of support", "invalid_post"),
                ("follow-up", "invalid_followup"),
            ]
            .iter()
            .map(|(label, stage)| (label.to_string(), count(stage)))
            .collect(),
            window: [
                ("follow-up outside the window", "followup_outside_window"),
                ("follow-up without dates", "followup_undated"),
            ]
            .iter()
            .filter(|(_, stage)| results.flow.iter().any(|f| f.stage == *stage))
            .map(|(label, stage)| (label.to_string(), count(stage)))
            .collect(),
            with_pre: count("with_pre"),
            pre_post: count("with_pre_post"),
            pre_followup: count("with_pre_followup"),
            all_three: count("with_all_three"),
        };
        let header = |first: &str| {
            vec![
                first.to_string(),
                "n".into(),
                "Mean before".into(),
                "Mean after".into(),
                format!("Change ({conf:.0}% CI)"),
                "p (adjusted)".into(),
                format!("dz ({conf:.0}% CI)"),
                "% improved".into(),
            ]
        };
        let cells = |first: String, r: &ComparisonRecord| -> Vec<String> {
            if r.suppressed {
                let mut row = vec![first, settings.suppressed_label()];
                row.extend(std::iter::repeat_n(String::new(), 5));
                return row;
            }
            vec![
                first,
                r.n.map(|n| n.to_string()).unwrap_or_default(),
                fixed(r.mean_a, 2),
                fixed(r.mean_b, 2),
                interval(r.mean_change, r.ci_low, r.ci_high),
                p_text(r.p_t_adj),
                interval(r.dz, r.dz_ci_low, r.dz_ci_high),
                fixed(r.pct_improved, 1),
            ]
        };
        let mut tables = Vec::new();
        let overall: Vec<&ComparisonRecord> = results
            .comparisons
            .iter()
            .filter(|r| r.group_by == "all")
            .collect();
        tables.push(Table {
            title: "All service users".into(),
            header: header("Comparison"),
            rows: overall
                .iter()
                .map(|r| cells(comparison_label(&r.comparison).into(), r))
                .collect(),
            suppressed: overall.iter().map(|r| r.suppressed).collect(),
        });
        for by in &settings.by {
            for comparison in ["pre_post", "pre_followup"] {
                let rows: Vec<&ComparisonRecord> = results
                    .comparisons
                    .iter()
                    .filter(|r| &r.group_by == by && r.comparison == comparison)
                    .collect();
                tables.push(Table {
                    title: format!(
                        "By {}: {}",
                        by_label(by),
                        comparison_label(comparison).to_lowercase()
                    ),
                    header: header(&by_label(by)),
                    rows: rows
                        .iter()
                        .map(|r| cells(r.group.replace('\n', " "), r))
                        .collect(),
                    suppressed: rows.iter().map(|r| r.suppressed).collect(),
                });
            }
        }
        Content {
            further: further_tables(results),
            compared: compared(results),
            title: "Loneliness programme evaluation".into(),
            headline,
            source,
            flow,
            consort,
            tables,
            methods: methods(results),
            notices: s.notices.clone(),
            footer: format!(
                "Generated by {} {} from the results folder; every statistic is reproducible in R.",
                s.tool.name, s.tool.version
            ),
        }
    }
}

/// Tables of the further analyses present in the folder: Friedman over all three timepoints,
/// lonely or not before and after, reliable change, differences between groups, attrition
/// and item reliability; whole-sample rows (and groups where a table is small).
fn further_tables(results: &ResultsDir) -> Vec<Table> {
    type Row = crate::output::results::CsvRow;
    let (cell, num) = (
        crate::output::results::csv_cell,
        crate::output::results::csv_number,
    );
    // Files without a `suppressed` column have no withheld rows.
    let suppressed = |r: &Row| cell(r, "suppressed") == "true";
    let label = results.summary.settings.suppressed_label();
    // A withheld row shows its name and why, like the comparison tables.
    let withheld = |first: String, width: usize| {
        let mut row = vec![first, label.clone()];
        row.extend(std::iter::repeat_n(String::new(), width - 2));
        row
    };
    let table =
        |title: &str, header: &[&str], shown: Vec<&Row>, cells: &dyn Fn(&Row) -> Vec<String>| {
            Table {
                title: title.into(),
                header: header.iter().map(|h| h.to_string()).collect(),
                rows: shown.iter().map(|r| cells(r)).collect(),
                suppressed: shown.iter().map(|r| suppressed(r)).collect(),
            }
        };
    fn with_group_by<'a>(rows: &'a [Row], columns: &[&str]) -> Vec<&'a Row> {
        rows.iter()
            .filter(|r| {
                r.get("group_by")
                    .is_some_and(|g| columns.contains(&g.as_str()))
            })
            .collect()
    }
    let mut tables = Vec::new();
    for (name, rows) in &results.further {
        tables.push(match name.as_str() {
            "repeated.csv" => table(
                "Did it last? Pre, post and follow-up in the same people (Friedman)",
                &[
                    "Group",
                    "n",
                    "Mean rank pre",
                    "post",
                    "follow-up",
                    "Chi-squared",
                    "p (adjusted)",
                    "Kendall's W",
                ],
                with_group_by(rows, &["all", "trigger_group"]),
                &|r| {
                    if suppressed(r) {
                        return withheld(cell(r, "group").replace('\n', " "), 8);
                    }
                    vec![
                        cell(r, "group").replace('\n', " "),
                        cell(r, "n"),
                        fixed(num(r, "mean_rank_pre"), 2),
                        fixed(num(r, "mean_rank_post"), 2),
                        fixed(num(r, "mean_rank_followup"), 2),
                        fixed(num(r, "friedman_chi2"), 1),
                        p_text(num(r, "p_friedman_adj")),
                        fixed(num(r, "kendalls_w"), 2),
                    ]
                },
            ),
            "mixed_model.csv" => mixed_table(rows, &label),
            "categories.csv" => table(
                "In the lonely category before and after (McNemar)",
                &[
                    "Comparison",
                    "n",
                    "Category",
                    "Before",
                    "After",
                    "Moved out",
                    "Moved in",
                    "p (exact)",
                ],
                with_group_by(rows, &["all"]),
                &|r| {
                    vec![
                        comparison_label(&cell(r, "comparison")).into(),
                        cell(r, "n"),
                        cell(r, "worse_category"),
                        cell(r, "n_worse_earlier"),
                        cell(r, "n_worse_later"),
                        cell(r, "n_to_better"),
                        cell(r, "n_to_worse"),
                        p_text(num(r, "p_exact")),
                    ]
                },
            ),
            "reliable_change.csv" => table(
                "Reliable change (Jacobson-Truax)",
                &[
                    "Comparison",
                    "n",
                    "% reliably better",
                    "% no reliable change",
                    "% reliably worse",
                    "Recovered",
                    "Reliability",
                ],
                with_group_by(rows, &["all"]),
                &|r| {
                    vec![
                        comparison_label(&cell(r, "comparison")).into(),
                        cell(r, "n"),
                        fixed(num(r, "pct_reliably_better"), 1),
                        fixed(num(r, "pct_no_reliable_change"), 1),
                        fixed(num(r, "pct_reliably_worse"), 1),
                        cell(r, "n_recovered"),
                        cell(r, "reliability"),
                    ]
                },
            ),
            "between_groups.csv" => table(
                "Does change differ between groups?",
                &[
                    "Grouping",
                    "Comparison",
                    "Groups",
                    "n",
                    "p Kruskal-Wallis",
                    "p Welch",
                    "p ANCOVA",
                    "Partial eta squared",
                ],
                rows.iter().collect(),
                &|r| {
                    vec![
                        by_label(&cell(r, "group_by")),
                        comparison_label(&cell(r, "comparison")).into(),
                        cell(r, "groups"),
                        cell(r, "n"),
                        p_text(num(r, "p_kruskal")),
                        p_text(num(r, "p_welch")),
                        p_text(num(r, "p_ancova")),
                        fixed(num(r, "partial_eta_squared"), 3),
                    ]
                },
            ),
            "intervals.csv" => table(
                "How long between assessments? Days between a person's two dates",
                &[
                    "Comparison",
                    "People with both dates",
                    "Median days",
                    "Quartiles",
                    "Without a date",
                    "Dated out of order",
                ],
                rows.iter().collect(),
                &|r| {
                    let quartiles = match (num(r, "q1_days"), num(r, "q3_days")) {
                        (Some(q1), Some(q3)) => format!("{q1} to {q3}"),
                        _ => "-".into(),
                    };
                    vec![
                        comparison_label(&cell(r, "comparison")).into(),
                        cell(r, "n"),
                        num(r, "median_days").map_or("-".into(), |m| m.to_string()),
                        quartiles,
                        cell(r, "undated"),
                        cell(r, "out_of_order"),
                    ]
                },
            ),
            "attrition.csv" => table(
                "Who was lost to follow-up? Completers against the rest",
                &[
                    "Later score",
                    "Compared on",
                    "Completed",
                    "Not completed",
                    "Test",
                    "p",
                ],
                rows.iter().collect(),
                &|r| {
                    vec![
                        cell(r, "timepoint"),
                        by_label(&cell(r, "compared_on")),
                        cell(r, "n_completed"),
                        cell(r, "n_not_completed"),
                        cell(r, "test").replace('_', " "),
                        p_text(num(r, "p")),
                    ]
                },
            ),
            "item_reliability.csv" => table(
                "Item reliability (Cronbach's alpha, McDonald's omega)",
                &["Timepoint", "Items", "n", "Alpha (95% CI)", "Omega total"],
                rows.iter().collect(),
                &|r| {
                    vec![
                        cell(r, "timepoint"),
                        cell(r, "items"),
                        cell(r, "n"),
                        interval(num(r, "alpha"), num(r, "ci_low"), num(r, "ci_high")),
                        fixed(num(r, "omega_total"), 2),
                    ]
                },
            ),
            _ => continue,
        });
    }
    tables
}

/// The mixed model, one line per group (whole sample and trigger groups): its means at each
/// timepoint and the changes from pre with their intervals and adjusted p-values.
fn mixed_table(rows: &[crate::output::results::CsvRow], label: &str) -> Table {
    let (cell, num) = (
        crate::output::results::csv_cell,
        crate::output::results::csv_number,
    );
    let mut groups: Vec<(String, String)> = Vec::new();
    for r in rows {
        let key = (cell(r, "group_by"), cell(r, "group"));
        if ["all", "trigger_group"].contains(&key.0.as_str()) && !groups.contains(&key) {
            groups.push(key);
        }
    }
    let mut out_rows = Vec::new();
    let mut suppressed = Vec::new();
    for (group_by, group) in groups {
        let of_group: Vec<&crate::output::results::CsvRow> = rows
            .iter()
            .filter(|r| cell(r, "group_by") == group_by && cell(r, "group") == group)
            .collect();
        let term = |name: &str| of_group.iter().find(|r| cell(r, "term") == name);
        let hidden = of_group.iter().any(|r| cell(r, "suppressed") == "true");
        let mut row = vec![group.replace('\n', " ")];
        if hidden {
            row.push(label.to_string());
            row.extend(std::iter::repeat_n(String::new(), 5));
        } else {
            let first = of_group.first();
            row.push(first.map(|r| cell(r, "people")).unwrap_or_default());
            for name in ["mean_pre", "mean_post", "mean_followup"] {
                row.push(term(name).map_or(String::new(), |r| fixed(num(r, "estimate"), 2)));
            }
            for name in ["post_vs_pre", "followup_vs_pre"] {
                row.push(term(name).map_or(String::new(), |r| {
                    format!(
                        "{} ({})",
                        interval(num(r, "estimate"), num(r, "ci_low"), num(r, "ci_high")),
                        p_text(num(r, "p_adj"))
                    )
                }));
            }
            if term("mean_pre").is_none() {
                // No model: say why in the first estimate column.
                row[2] = first.map(|r| cell(r, "note")).unwrap_or_default();
            }
        }
        out_rows.push(row);
        suppressed.push(hidden);
    }
    Table {
        title: "Did it last? Mixed model on every score (REML, Satterthwaite df)".into(),
        header: [
            "Group",
            "People",
            "Mean pre",
            "post",
            "follow-up",
            "Post - pre (p adjusted)",
            "Follow-up - pre (p adjusted)",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: out_rows,
        suppressed,
    }
}

/// "Compared with similar people not supported": how people were matched, how well, and
/// the effect overall and by group, from the `compare/` folder.
fn compared(results: &ResultsDir) -> Option<(Vec<String>, Vec<Table>)> {
    let c = results.compare.as_ref()?;
    type Row = crate::output::results::CsvRow;
    let (cell, num) = (
        crate::output::results::csv_cell,
        crate::output::results::csv_number,
    );
    let flow = |stage: &str, side: &str| {
        c.flow
            .iter()
            .find(|r| cell(r, "stage") == stage)
            .map(|r| cell(r, side))
            .unwrap_or_default()
    };
    let s = &c.settings;
    let list = |v: &serde_json::Value| -> String {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let mut how = format!(
        "Scheme users were matched to people who were not supported, on {} (logit of the propensity score from a logistic regression, nearest neighbour, {} comparator{} each{}",
        list(&s["covariates"]),
        s["ratio"].as_u64().unwrap_or(1),
        if s["ratio"].as_u64().unwrap_or(1) == 1 { "" } else { "s" },
        if s["replace"].as_bool() == Some(true) { ", with replacement" } else { "" }
    );
    if let Some(caliper) = s["caliper_sd"].as_f64() {
        how.push_str(&format!(", within {caliper} standard deviations"));
    }
    let exact = list(&s["exact"]);
    if !exact.is_empty() {
        how.push_str(&format!(", exactly on {exact}"));
    }
    how.push_str(&format!(
        "). {} of {} eligible scheme users were matched to {} of {} eligible comparators (matching_flow.csv counts everyone).",
        flow("matched", "scheme"),
        flow("eligible", "scheme"),
        flow("matched", "comparator"),
        flow("eligible", "comparator")
    ));
    let levels: Vec<&Row> = c
        .balance
        .iter()
        .filter(|r| cell(r, "covariate") != "distance")
        .collect();
    let off: Vec<String> = levels
        .iter()
        .filter(|r| cell(r, "imbalanced") == "true")
        .map(|r| match cell(r, "level").as_str() {
            "" => cell(r, "covariate"),
            level => format!("{} {level}", cell(r, "covariate")),
        })
        .collect();
    // Levels of too few people have their balance withheld (empty cells).
    let shown = levels
        .iter()
        .filter(|r| !cell(r, "imbalanced").is_empty())
        .count();
    let withheld = match levels.len() - shown {
        0 => String::new(),
        k => format!(" ({k} withheld: levels of too few people to publish)"),
    };
    let balance = if off.is_empty() {
        format!(
            "After matching, every one of the {shown} covariate levels shown{withheld} differs by less than 0.1 standard deviations between the groups."
        )
    } else {
        format!(
            "After matching, {} of {} covariate levels still differ by more than 0.1 standard deviations ({}): read the effect with care.",
            off.len(),
            levels.len(),
            off.join(", ")
        )
    };
    let meaning = "The effect is the change in score of scheme users minus that of their matched comparators (a difference in differences): it removes what would have happened anyway, such as scores falling back toward the mean, as far as the matched characteristics capture it. Negative means loneliness fell more with the scheme.".to_string();
    let label = results.summary.settings.suppressed_label();
    let rows: Vec<&Row> = c.effects.iter().collect();
    let table = Table {
        title: "Effect of the scheme on the change in score (difference in differences)".into(),
        header: [
            "Group",
            "Scheme users",
            "Comparators",
            "Change, scheme",
            "Change, comparators",
            "Difference (95% CI)",
            "p",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                let group = cell(r, "group").replace('\n', " ");
                if cell(r, "suppressed") == "true" {
                    let mut row = vec![group, label.clone()];
                    row.extend(std::iter::repeat_n(String::new(), 5));
                    return row;
                }
                vec![
                    group,
                    cell(r, "n_scheme"),
                    cell(r, "n_comparator"),
                    fixed(num(r, "change_scheme"), 2),
                    fixed(num(r, "change_comparator"), 2),
                    interval(num(r, "estimate"), num(r, "ci_low"), num(r, "ci_high")),
                    p_text(num(r, "p")),
                ]
            })
            .collect(),
        suppressed: rows
            .iter()
            .map(|r| cell(r, "suppressed") == "true")
            .collect(),
    };
    Some((vec![how, balance, meaning], vec![table]))
}

fn methods(results: &ResultsDir) -> Vec<String> {
    let s = &results.summary;
    let settings = &s.settings;
    let scale = &s.scale;
    let conf = settings.conf_level * 100.0;
    let scoring = match &scale.items {
        Some(items) => {
            let reversed: Vec<String> = items
                .reversed
                .iter()
                .enumerate()
                .filter(|(_, r)| **r)
                .map(|(i, _)| (i + 1).to_string())
                .collect();
            let reversed = if reversed.is_empty() {
                String::new()
            } else {
                format!(", items {} reverse-scored", reversed.join(", "))
            };
            let missing = if settings.max_missing_items == 0 {
                "A timepoint with any missing item was treated as missing.".to_string()
            } else if let Some(score) = scale.missing_item_score {
                // The manual's allowance, or this run's own (--max-missing-items) said as such.
                let allowance = match scale.allowed_missing {
                    Some(a) if a == settings.max_missing_items => {
                        ", as the scale's manual says".to_string()
                    }
                    Some(a) => format!(
                        "; the scale's manual allows {a} missing item(s), this run {} (--max-missing-items)",
                        settings.max_missing_items
                    ),
                    None => String::new(),
                };
                format!(
                    "A timepoint with up to {} missing item(s) counted the answered items (a missing item scores {score} and nothing is prorated{allowance}); with more it was treated as missing.",
                    settings.max_missing_items
                )
            } else {
                format!(
                    "A timepoint with up to {} missing item(s) was prorated (mean of the answered items times the number of items); with more it was treated as missing.",
                    settings.max_missing_items
                )
            };
            format!(
                "{} items scored {}-{}{reversed}. {missing}",
                items.count, items.min, items.max
            )
        }
        None => "Totals were used as given.".into(),
    };
    let range = scale
        .total_range
        .map(|(lo, hi)| format!(" Totals range from {lo} to {hi} ({}).", scale.axis_note))
        .unwrap_or_default();
    let range = match (scale.conversion.first(), scale.conversion.last()) {
        (Some(first), Some(last)) => format!(
            "{range} Raw totals ({} to {}) were converted to the scale's metric scores with its conversion table, and every analysis uses the converted scores.",
            first.0, last.0
        ),
        _ => range,
    };
    let outcome = scale.outcome.as_deref().unwrap_or("Loneliness");
    let ordinal = if scale.ordinal {
        " The measure is a single ordinal answer: its mean change assumes equal steps between the answers, so the signed-rank test and the share in each answer are the better guide."
    } else {
        ""
    };
    let note = scale
        .note
        .as_ref()
        .map(|n| format!(" About the scale: {n}"))
        .unwrap_or_default();
    let adjust = match settings.p_adjust.as_str() {
        "holm" => "Holm's step-down method",
        "bh" => "the Benjamini-Hochberg false discovery rate method",
        "bonferroni" => "the Bonferroni method",
        _ => "no method (p-values are unadjusted)",
    };
    let direction = if scale.higher_is_worse {
        "fell"
    } else {
        "rose"
    };
    let wilcoxon = match settings.wilcoxon.as_deref() {
        Some("exact") => "the Wilcoxon signed-rank test with its exact conditional p-value given the ties and zero changes (as R coin's wilcoxsign_test; groups with more than about 1,000 non-zero changes use the normal approximation, as noted in comparisons.csv)",
        Some("r-4.2") => "the Wilcoxon signed-rank test as R 4.2.2 computes it (zero changes dropped; exact when there are fewer than 50 non-zero changes and no ties, otherwise the normal approximation with tie and continuity corrections)",
        _ => "the Wilcoxon signed-rank test as current R (4.6 and later) computes it (people whose score did not change are ranked with the rest and carry no sign, as Pratt proposed; exact, from the permutation distribution given ties and zeros, when there are fewer than 50 changes; otherwise the normal approximation with tie, zero and continuity corrections)",
    };
    vec![
        format!(
            "{outcome} was measured with the {} ({}): {scoring}{range} Scores outside the scale's range, or not whole numbers where the scale requires them, were treated as invalid and excluded, never corrected.{ordinal} Source: {}.{note}",
            scale.title, scale.short, scale.source
        ),
        format!(
            "Each comparison (referral to end of support, referral to follow-up, end of support to follow-up) uses everyone with valid scores at both of its timepoints. Change is the later score minus the earlier one. The mean change has a {conf:.0}% confidence interval from the paired t test (two-sided), reported with {wilcoxon}, and the Hodges-Lehmann estimate of the median change with its interval. The effect size is Cohen's dz (mean change divided by the standard deviation of change) with a {conf:.0}% confidence interval from the noncentral t distribution. The percentage improved counts people whose score {direction}; its interval in the charts is the Wilson score interval."
        ),
        format!(
            "p-values were adjusted for multiple comparisons within each set of rows sharing a grouping and a comparison, using {adjust}. To protect privacy, results for any group with fewer than {} people in a comparison are suppressed.{} Means over time (first chart) use everyone with a valid score at each timepoint, so they also reflect who stayed in contact.{}",
            settings.min_cell,
            match (settings.min_cell, settings.secondary_suppression) {
                (0, _) => String::new(),
                (m, true) => format!(" So that no smaller group can be worked out by subtraction, some further groups and counts are withheld too: a blank count is either fewer than {m} people or withheld to protect such a count (summary.json's disclosure section counts each), and the published tables were checked as `loneliness-eval audit` checks them."),
                (m, false) => format!(" NOT FOR PUBLICATION: these results were produced with --no-secondary-suppression, so groups and counts of fewer than {m} people may be worked out by subtraction from the published ones."),
            },
            s.not_computed
                .iter()
                .map(|n| format!(" Not computed: {}, because {}.", n.table, n.reason))
                .collect::<String>()
        ),
    ]
}
