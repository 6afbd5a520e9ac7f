//! report.md: the report as Markdown (tables as pipe tables, charts linked), for people who
//! write their reports in Markdown or Quarto.

use super::text::Content;
use crate::output::figures::Rendered;
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Renders the whole report.
pub fn render(content: &Content, figures: &[Rendered]) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# {}\n\n**{}**\n", content.title, content.headline);
    m.push_str("## Data source\n\n");
    for (label, value) in &content.source {
        let _ = writeln!(m, "- **{}:** {}", label, cell(value));
    }
    for notice in &content.notices {
        let _ = writeln!(m, "\nNote: {notice}");
    }
    m.push_str("\n## Participant flow\n\n| Stage | n | Meaning |\n|---|---:|---|\n");
    for (stage, n, detail) in &content.flow {
        let _ = writeln!(m, "| {} | {n} | {} |", cell(stage), cell(detail));
    }
    m.push_str("\n## Results\n");
    tables_markdown(&mut m, &content.tables);
    if !figures.is_empty() {
        m.push_str("\n## Charts\n");
        for f in figures {
            if let Some(file) = f
                .files
                .iter()
                .find(|p| p.ends_with(".png"))
                .or(f.files.first())
            {
                let _ = writeln!(m, "\n![{}]({file})", cell(f.figure.title()));
            }
        }
    }
    if !content.further.is_empty() {
        m.push_str("\n## Further analyses\n");
        tables_markdown(&mut m, &content.further);
    }
    if let Some((paragraphs, tables)) = &content.compared {
        m.push_str("\n## Compared with similar people not supported\n");
        for p in paragraphs {
            let _ = writeln!(m, "\n{p}");
        }
        tables_markdown(&mut m, tables);
    }
    m.push_str("\n## Methods\n");
    for p in &content.methods {
        let _ = writeln!(m, "\n{p}");
    }
    let _ = writeln!(m, "\n---\n\n{}", content.footer);
    m
}

/// Pipe tables with their headings.
pub(super) fn tables_markdown(m: &mut String, tables: &[super::text::Table]) {
    for table in tables {
        let _ = writeln!(m, "\n### {}\n", table.title);
        let _ = writeln!(
            m,
            "| {} |",
            table
                .header
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let align: Vec<&str> = (0..table.header.len())
            .map(|i| if i == 0 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(m, "|{}|", align.join("|"));
        for row in &table.rows {
            let _ = writeln!(
                m,
                "| {} |",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
    }
}
