//! The overview report of a run with several measures (report.html and report.md at the
//! top of --out), drawn from the files there as every report is: each measure's headline,
//! one table across measures (the change, whether it lasted, the drift after support
//! ended), the correlations of change between measures, then a section per measure linking
//! to its own full report.

use super::html::{escape, tables_html, STYLE};
use super::markdown::tables_markdown;
use super::text::Table;
use crate::error::Error;
use crate::output::results::{csv_cell, csv_number, CsvRow};
use std::fmt::Write;
use std::path::Path;

fn read_rows(dir: &Path, name: &str) -> Result<Vec<CsvRow>, Error> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| Error::input(&path, e.to_string()))?;
    reader
        .deserialize()
        .map(|r| r.map_err(|e| Error::input(&path, e.to_string())))
        .collect()
}

fn comparison_label(c: &str) -> &'static str {
    match c {
        "pre_post" => "Referral to end of support",
        "pre_followup" => "Referral to follow-up",
        _ => "End of support to follow-up",
    }
}

/// The report's parts, for both formats.
struct Overview {
    title: String,
    headlines: Vec<String>,
    source: Vec<(String, String)>,
    tables: Vec<Table>,
    sections: Vec<(String, String, String)>,
    methods: Vec<String>,
    footer: String,
}

fn content(dir: &Path) -> Result<Overview, Error> {
    let path = dir.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let summary: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::input(&path, e.to_string()))?;
    let measures = summary["measures"].as_array().cloned().unwrap_or_default();
    let conf = summary["settings"]["conf_level"].as_f64().unwrap_or(0.95) * 100.0;
    let headlines = measures
        .iter()
        .map(|m| {
            format!(
                "{}: {}",
                m["title"].as_str().unwrap_or_default(),
                m["headline"]
                    .as_str()
                    .unwrap_or("no whole-sample comparison to report")
            )
        })
        .collect();
    let overview = read_rows(dir, "overview.csv")?;
    let number = |r: &CsvRow, k: &str, digits: usize| {
        csv_number(r, k).map_or("-".to_string(), |v| format!("{v:.digits$}"))
    };
    let overview_table = Table {
        title: "Across measures: the change, and whether it lasted".into(),
        header: [
            "Measure",
            "Comparison",
            "n",
            "Mean before",
            "Mean after",
            &format!("Mean change ({conf:.0}% CI)"),
            "% improved",
        ]
        .map(String::from)
        .to_vec(),
        rows: overview
            .iter()
            .map(|r| {
                let change = match (
                    csv_number(r, "mean_change"),
                    csv_number(r, "ci_low"),
                    csv_number(r, "ci_high"),
                ) {
                    (Some(m), Some(lo), Some(hi)) => format!("{m:+.2} ({lo:+.2} to {hi:+.2})"),
                    (Some(m), ..) => format!("{m:+.2}"),
                    _ => "-".into(),
                };
                vec![
                    csv_cell(r, "measure"),
                    comparison_label(&csv_cell(r, "comparison")).into(),
                    csv_cell(r, "n"),
                    number(r, "mean_earlier", 2),
                    number(r, "mean_later", 2),
                    change,
                    number(r, "pct_improved", 1),
                ]
            })
            .collect(),
        suppressed: overview
            .iter()
            .map(|r| csv_cell(r, "suppressed") == "true")
            .collect(),
    };
    let mut tables = vec![overview_table];
    let correlations = read_rows(dir, "correlations.csv")?;
    if !correlations.is_empty() {
        let interval = |r: &CsvRow, e: &str, lo: &str, hi: &str| match (
            csv_number(r, e),
            csv_number(r, lo),
            csv_number(r, hi),
        ) {
            (Some(e), Some(lo), Some(hi)) => format!("{e:.2} ({lo:.2} to {hi:.2})"),
            (Some(e), ..) => format!("{e:.2}"),
            _ => "-".into(),
        };
        tables.push(Table {
            title: "Did the people whose scores improved on one measure improve on the other? Correlation of the changes".into(),
            header: [
                "Measures",
                "Comparison",
                "People with both",
                &format!("Pearson r ({conf:.0}% CI)"),
                &format!("Spearman rho ({conf:.0}% CI)"),
            ]
            .map(String::from)
            .to_vec(),
            rows: correlations
                .iter()
                .map(|r| {
                    vec![
                        format!("{} and {}", csv_cell(r, "measure_a"), csv_cell(r, "measure_b")),
                        comparison_label(&csv_cell(r, "comparison")).into(),
                        csv_cell(r, "n"),
                        interval(r, "pearson_r", "pearson_ci_low", "pearson_ci_high"),
                        interval(r, "spearman_rho", "spearman_ci_low", "spearman_ci_high"),
                    ]
                })
                .collect(),
            suppressed: correlations
                .iter()
                .map(|r| csv_cell(r, "suppressed") == "true")
                .collect(),
        });
    }
    let sections = measures
        .iter()
        .map(|m| {
            let folder = m["folder"].as_str().unwrap_or_default().to_string();
            (
                format!("{} ({})", m["title"].as_str().unwrap_or_default(), folder),
                m["headline"]
                    .as_str()
                    .unwrap_or("no whole-sample comparison to report")
                    .to_string(),
                folder,
            )
        })
        .collect();
    let input = &summary["input"];
    Ok(Overview {
        title: "Loneliness programme evaluation: all measures".into(),
        headlines,
        source: vec![
            ("Input file".into(), input["file_name"].as_str().unwrap_or_default().into()),
            ("SHA-256".into(), input["sha256"].as_str().unwrap_or_default().into()),
            (
                "Measures".into(),
                measures
                    .iter()
                    .map(|m| m["name"].as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ],
        tables,
        sections,
        methods: vec![
            "Each measure was scored by its own rules and analysed exactly as a run of that measure alone would be; its folder holds every table, chart and its full report. The records (read, excluded, kept) are the same for every measure; the valid and invalid scores are each measure's own. The overview quotes each measure's whole-sample rows, so it withholds what they withhold.".into(),
            "The correlations of change use the people with both scores of the comparison on both measures: Pearson's r with the interval from Fisher's z transformation, as R's cor.test, and Spearman's rank correlation (see correlations.csv for the test statistics and p-values).".into(),
        ],
        footer: format!(
            "Generated by {} {} from the results folder.",
            summary["tool"]["name"].as_str().unwrap_or_default(),
            summary["tool"]["version"].as_str().unwrap_or_default()
        ),
    })
}

/// Writes report.html and report.md at the top of a run with several measures.
pub fn write_overview_reports(dir: &Path) -> Result<(), Error> {
    let c = content(dir)?;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&c.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&c.title));
    for line in &c.headlines {
        let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(line));
    }
    h.push_str("<h2>Data source</h2>\n<dl class=\"source\">\n");
    for (label, value) in &c.source {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    h.push_str("</dl>\n<h2>Across measures</h2>\n");
    tables_html(&mut h, &c.tables);
    for (title, headline, folder) in &c.sections {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<p>{}.</p>\n<p><a href=\"{}/report.html\">The full report of this measure</a> (tables, charts, methods; folder {}/).</p>",
            escape(title),
            escape(headline),
            escape(folder),
            escape(folder)
        );
    }
    h.push_str("<h2>Methods</h2>\n");
    for p in &c.methods {
        let _ = writeln!(h, "<p>{}</p>", escape(p));
    }
    let _ = writeln!(
        h,
        "<footer>{}</footer>\n</body>\n</html>",
        escape(&c.footer)
    );
    crate::output::write_file(dir, "report.html", h.as_bytes())?;

    let mut m = String::new();
    let _ = writeln!(m, "# {}\n", c.title);
    for line in &c.headlines {
        let _ = writeln!(m, "- {line}");
    }
    let _ = writeln!(m, "\n## Data source\n");
    for (label, value) in &c.source {
        let _ = writeln!(m, "- **{label}:** {value}");
    }
    let _ = writeln!(m, "\n## Across measures");
    tables_markdown(&mut m, &c.tables);
    for (title, headline, folder) in &c.sections {
        let _ = writeln!(
            m,
            "\n## {title}\n\n{headline}.\n\n[The full report of this measure]({folder}/report.md) (tables, charts, methods; folder {folder}/)."
        );
    }
    let _ = writeln!(m, "\n## Methods");
    for p in &c.methods {
        let _ = writeln!(m, "\n{p}");
    }
    let _ = writeln!(m, "\n---\n\n{}", c.footer);
    crate::output::write_file(dir, "report.md", m.as_bytes())
}
