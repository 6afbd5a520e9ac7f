//! report.html: one self-contained file (inline CSS and SVG, no scripts, no network) that
//! prints to A4.

use super::text::{Consort, Content};
use crate::output::figures::Rendered;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) const STYLE: &str = r#"
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1e1e1e; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.headline { font-size: 1.25rem; background: #eef5fb; border-left: 6px solid #0072b2; padding: 0.8rem 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
tr.suppressed td { color: #777; font-style: italic; }
dl.source { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.source dt { font-weight: bold; }
dl.source dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.3rem; }
.notice { color: #6b4e00; }
footer { margin-top: 3rem; font-size: 0.85rem; color: #555; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; } tr { break-inside: avoid; } }
"#;

/// The CONSORT-style flow diagram as inline SVG.
pub fn consort_svg(c: &Consort) -> String {
    let excluded: u64 = c.excluded.iter().map(|e| e.1).sum();
    let invalid: u64 = c.invalid.iter().map(|e| e.1).sum();
    let mut svg = String::new();
    let box_ = |svg: &mut String, x: i32, y: i32, w: i32, lines: &[String]| {
        let h = 16 + 22 * lines.len() as i32;
        let _ = write!(
            svg,
            r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#ffffff" stroke="#1e1e1e" stroke-width="1.5"/>"##
        );
        for (i, line) in lines.iter().enumerate() {
            let weight = if i == 0 { "bold" } else { "normal" };
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" font-size="15" font-weight="{weight}" text-anchor="middle" font-family="Liberation Sans, Arial, sans-serif">{}</text>"##,
                x + w / 2,
                y + 26 + 22 * i as i32,
                escape(line)
            );
        }
        h
    };
    let arrow = |svg: &mut String, x1: i32, y1: i32, x2: i32, y2: i32| {
        let _ = write!(
            svg,
            r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#1e1e1e" stroke-width="1.5" marker-end="url(#arrow)"/>"##
        );
    };
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="820" height="560" viewBox="0 0 820 560" role="img" aria-label="Participant flow diagram"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1e1e1e"/></marker></defs>"##
    );
    box_(
        &mut svg,
        200,
        10,
        300,
        &["Records read".into(), format!("n = {}", c.read)],
    );
    let mut ex_lines = vec![format!("Excluded records: {excluded}")];
    ex_lines.extend(
        c.excluded
            .iter()
            .filter(|e| e.1 > 0)
            .map(|e| format!("{}: {}", e.0, e.1)),
    );
    box_(&mut svg, 560, 10, 250, &ex_lines);
    arrow(&mut svg, 500, 40, 558, 40);
    arrow(&mut svg, 350, 70, 350, 128);
    box_(
        &mut svg,
        200,
        130,
        300,
        &["Service users".into(), format!("n = {}", c.people)],
    );
    // With a follow-up window the box also holds the follow-ups it left out.
    let mut inv_lines = match c.window.is_empty() {
        true => vec![format!("Invalid scores: {invalid}")],
        false => {
            let left_out: u64 = c.window.iter().map(|e| e.1).sum();
            vec![format!("Scores not used: {}", invalid + left_out)]
        }
    };
    let prefix = if c.window.is_empty() { "" } else { "invalid " };
    inv_lines.extend(
        c.invalid
            .iter()
            .filter(|e| e.1 > 0)
            .map(|e| format!("{prefix}{}: {}", e.0, e.1)),
    );
    inv_lines.extend(
        c.window
            .iter()
            .filter(|e| e.1 > 0)
            .map(|e| format!("{}: {}", e.0, e.1)),
    );
    box_(&mut svg, 560, 130, 250, &inv_lines);
    arrow(&mut svg, 500, 160, 558, 160);
    arrow(&mut svg, 350, 190, 350, 248);
    box_(
        &mut svg,
        200,
        250,
        300,
        &["Valid referral score".into(), format!("n = {}", c.with_pre)],
    );
    arrow(&mut svg, 300, 310, 190, 378);
    arrow(&mut svg, 400, 310, 510, 378);
    box_(
        &mut svg,
        40,
        380,
        300,
        &[
            "Referral and end of support".into(),
            format!("n = {}", c.pre_post),
        ],
    );
    box_(
        &mut svg,
        380,
        380,
        300,
        &[
            "Referral and follow-up".into(),
            format!("n = {}", c.pre_followup),
        ],
    );
    arrow(&mut svg, 350, 440, 350, 488);
    box_(
        &mut svg,
        200,
        490,
        300,
        &[
            "All three timepoints".into(),
            format!("n = {}", c.all_three),
        ],
    );
    svg.push_str("</svg>");
    svg
}

/// Renders the whole report.
pub fn render(content: &Content, figures: &[Rendered]) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&content.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&content.title));
    let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(&content.headline));
    h.push_str("<h2>Data source</h2>\n<dl class=\"source\">\n");
    for (label, value) in &content.source {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    h.push_str("</dl>\n");
    for notice in &content.notices {
        let _ = writeln!(h, "<p class=\"notice\">Note: {}</p>", escape(notice));
    }
    h.push_str("<h2>Participant flow</h2>\n<figure>\n");
    h.push_str(&consort_svg(&content.consort));
    h.push_str("\n<figcaption>How every record in the export was used.</figcaption>\n</figure>\n");
    h.push_str("<table>\n<thead><tr><th>Stage</th><th>n</th><th style=\"text-align:left\">Meaning</th></tr></thead>\n<tbody>\n");
    for (stage, n, detail) in &content.flow {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{n}</td><td style=\"text-align:left\">{}</td></tr>",
            escape(stage),
            escape(detail)
        );
    }
    h.push_str("</tbody>\n</table>\n<h2>Results</h2>\n");
    tables_html(&mut h, &content.tables);
    if !figures.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
        for (k, f) in figures.iter().enumerate() {
            let files = if f.files.is_empty() {
                String::new()
            } else {
                format!(" (files: {})", f.files.join(", "))
            };
            let _ = writeln!(
                h,
                "<figure>\n{}\n<figcaption>Figure {}{}</figcaption>\n</figure>",
                f.svg.trim(),
                k + 1,
                escape(&files)
            );
        }
    }
    if !content.further.is_empty() {
        h.push_str("<h2>Further analyses</h2>\n");
        tables_html(&mut h, &content.further);
    }
    if let Some((paragraphs, tables)) = &content.compared {
        h.push_str("<h2>Compared with similar people not supported</h2>\n");
        for p in paragraphs {
            let _ = writeln!(h, "<p>{}</p>", escape(p));
        }
        tables_html(&mut h, tables);
    }
    h.push_str("<h2>Methods</h2>\n");
    for p in &content.methods {
        let _ = writeln!(h, "<p>{}</p>", escape(p));
    }
    let _ = writeln!(
        h,
        "<footer>{}</footer>\n</body>\n</html>",
        escape(&content.footer)
    );
    h
}

/// Tables with their headings; withheld rows show their name and why across the row.
pub(super) fn tables_html(h: &mut String, tables: &[super::text::Table]) {
    for table in tables {
        let _ = writeln!(h, "<h3>{}</h3>\n<table>\n<thead><tr>", escape(&table.title));
        for cell in &table.header {
            let _ = write!(h, "<th>{}</th>", escape(cell));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for (row, suppressed) in table.rows.iter().zip(&table.suppressed) {
            h.push_str(if *suppressed {
                "<tr class=\"suppressed\">"
            } else {
                "<tr>"
            });
            if *suppressed {
                let _ = write!(
                    h,
                    "<td>{}</td><td colspan=\"{}\" style=\"text-align:left\">{}</td>",
                    escape(&row[0]),
                    table.header.len() - 1,
                    escape(&row[1])
                );
            } else {
                for cell in row {
                    let _ = write!(h, "<td>{}</td>", escape(cell));
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
}
