//! `loneliness-eval init EXPORT [--out eval.toml]`: looks at an unknown export's header and
//! first rows and writes a commented starter config (the columns, the scale, answer labels,
//! missing codes, timepoint values, group spellings, test and total rows), then reads the
//! export with it and says what came out and what a person should check.

use super::common::load_measures;
use crate::error::Error;
use crate::model::Timepoint;
use crate::read::dates::DateFormat;
use crate::read::guess::{guess, tokens, DateColumn, Guess};
use crate::read::sample::{sample, Sample};
use crate::read::Layout;
use crate::settings::{CliOptions, Settings};
use clap::Args;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// `init`'s options.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The export: CSV, Parquet, a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) or an SPSS file
    /// (.sav, .zsav).
    #[arg(value_name = "EXPORT")]
    pub input: PathBuf,
    /// Where to write the config.
    #[arg(long, value_name = "FILE", default_value = "eval.toml")]
    pub out: PathBuf,
    /// A workbook's sheet, by name or number (from 1) [default: the first with a table].
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// A workbook's header row (from 1) [default: found among the first 30 rows].
    #[arg(long, value_name = "N")]
    pub header_row: Option<u32>,
    /// Rows looked at [default: 200000].
    #[arg(long, value_name = "N", default_value_t = 200_000)]
    pub rows: usize,
    /// Replace an existing config file.
    #[arg(long)]
    pub force: bool,
}

/// Runs `init`.
pub fn run(args: &InitArgs) -> Result<(), Error> {
    if args.out.exists() && !args.force {
        return Err(Error::Option(format!(
            "{} exists; give another --out, or --force to replace it",
            args.out.display()
        )));
    }
    let looks_like_header = |names: &[String]| {
        names.iter().any(|n| {
            tokens(n)
                .iter()
                .any(|t| ["id", "client", "participant", "ucla"].contains(&t.as_str()))
        })
    };
    let sample = sample(
        &args.input,
        args.rows,
        args.sheet.as_deref(),
        args.header_row,
        &looks_like_header,
    )?;
    let guessed = guess(&sample);
    let text = config_text(&args.input, &sample, &guessed);
    std::fs::write(&args.out, &text).map_err(|e| Error::io(&args.out, e))?;

    // Read the export with the config, as `analyse --config` will.
    let settings = Settings::resolve(CliOptions {
        config: Some(args.out.clone()),
        ..CliOptions::default()
    })?;
    // Each measure read as `analyse` will: the records once, each measure's scores.
    let several = settings.measures.len() > 1;
    let checked = load_measures(std::slice::from_ref(&args.input), &settings, true).map(|all| {
        let names = settings.measures.iter().map(|m| m.name.clone());
        names.zip(all).collect::<Vec<_>>()
    });
    let mut out = summary(&args.input, &args.out, &sample, &guessed);
    match &checked {
        Ok(measures) => {
            let export = &measures[0].1.export;
            let _ = write!(
                out,
                "\nWith this config: {} records read, {} excluded, {} people",
                export.rows_read,
                export.excluded.len(),
                export.people,
            );
            for (name, loaded) in measures {
                let summaries = crate::summarise::summarise(&loaded.export, &loaded.scored);
                let status = &summaries.status;
                let _ = write!(
                    out,
                    "{}{} with pre and post scores, {} with a follow-up; invalid scores: {} pre, {} post, {} follow-up",
                    if several { format!(";\n  {name}: ") } else { "; ".into() },
                    status.with(&[Timepoint::Pre, Timepoint::Post]),
                    status.with(&[Timepoint::Followup]),
                    status.invalid[0],
                    status.invalid[1],
                    status.invalid[2],
                );
            }
            out.push_str(".\n");
        }
        Err(e) => {
            let _ = writeln!(
                out,
                "\nThe export does not read with this config yet: {e}\nEdit {} and run init's check again with: loneliness-eval validate {} --config {}",
                args.out.display(),
                args.input.display(),
                args.out.display()
            );
        }
    }
    if checked.is_ok() {
        let _ = writeln!(
            out,
            "Next: loneliness-eval analyse {} --config {}",
            shell_word(&args.input),
            shell_word(&args.out)
        );
    }
    super::print_out(&out)?;
    checked.map(|_| ())
}

/// A path as a shell word (quoted when it has spaces or quotes).
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-+:".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A TOML key: bare when it can be, else quoted.
fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        string(name)
    }
}

/// A TOML string.
fn string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A code as TOML: a number when it is a whole number, else text.
fn code(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => string(text),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The config file's text, every decision with its evidence in a comment.
pub fn config_text(input: &Path, sample: &Sample, g: &Guess) -> String {
    let file = input.file_name().map_or_else(
        || input.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# loneliness-eval config for {file}, written by `loneliness-eval init`."
    );
    let _ = writeln!(
        t,
        "# Each decision says why; lines marked CHECK need a person's eye. Values the config does"
    );
    let _ = writeln!(
        t,
        "# not map stay invalid or excluded, and are counted in flow.csv: never a silent number."
    );
    let _ = writeln!(
        t,
        "# Seen: {}{}, {} layout.",
        plural(sample.rows.len(), "data row", "data rows"),
        if sample.complete {
            " (the whole file)"
        } else {
            " (the first of the file)"
        },
        match g.layout {
            Some(Layout::Long) => "long (one row per assessment)",
            _ => "wide (one row per person)",
        }
    );
    let _ = writeln!(t);
    if g.measures.is_empty() {
        let _ = writeln!(
            t,
            "scale = {}  # {}{}",
            string(&g.scale),
            g.scale_reason,
            if g.scale_unsure { "; CHECK" } else { "" }
        );
    } else {
        let _ = writeln!(
            t,
            "# {} measures, each a [[measures]] entry at the end with its scale and score columns",
            g.measures.len()
        );
    }
    let by: Vec<String> = g.by.iter().map(|b| string(b)).collect();
    let _ = writeln!(t, "by = [{}]", by.join(", "));
    if let Some(encoding) = sample.encoding {
        let _ = writeln!(t, "encoding = {}  # the file is not UTF-8: old Excel \"CSV\" is Windows-1252; CHECK accents in names", string(encoding));
    }
    if let Some(d) = sample.delimiter {
        let d = if d == b'\t' {
            "tab".to_string()
        } else {
            (d as char).to_string()
        };
        let _ = writeln!(t, "delimiter = {}", string(&d));
    }
    if let Some((sheet, row)) = &sample.sheet {
        let others = if sample.sheets.len() > 1 {
            format!(" (of {})", sample.sheets.join(", "))
        } else {
            String::new()
        };
        let _ = writeln!(t, "sheet = {}  # the table's sheet{others}", string(sheet));
        let _ = writeln!(
            t,
            "header-row = {row}  # the header's row, as Excel numbers rows"
        );
    }
    if !g.missing_words.is_empty() || !g.missing_numbers.is_empty() {
        let codes: Vec<String> = (g.missing_numbers.iter().map(|(c, _)| code(c)))
            .chain(g.missing_words.iter().map(|(w, _)| string(w)))
            .collect();
        let seen: Vec<String> = (g.missing_numbers.iter().chain(&g.missing_words))
            .map(|(w, n)| format!("{w:?} in {}", plural(*n, "cell", "cells")))
            .collect();
        let _ = writeln!(
            t,
            "missing-codes = [{}]  # \"no answer\" in score columns (outside every valid answer): {}",
            codes.join(", "),
            seen.join(", ")
        );
    }
    if g.order_by_date {
        let _ = writeln!(
            t,
            "order-by-date = true  # CHECK: no timepoint column; each person's assessments in date order are referral, end of support, follow-up (a fourth and later are excluded, counted)"
        );
    }
    let dated: Vec<&DateColumn> = g.dates.iter().filter(|d| d.role.is_some()).collect();
    if dated.iter().any(|d| d.format == DateFormat::MonthFirst) {
        let _ = writeln!(
            t,
            "date-format = \"mm/dd/yyyy\"  # CHECK: the dates are US month-first (some have a day above 12 second)"
        );
    }
    let has = |role: &str| dated.iter().any(|d| d.role == Some(role));
    if has("followup_date") && has("post_date") || has("assessment_date") {
        let _ = writeln!(
            t,
            "# followup-window = \"60..120\"  # count a follow-up only 60 to 120 days after end of support (others are left out, counted)"
        );
    }
    let _ = writeln!(t, "\n[columns]  # the tool's name = the export's header");
    for (expected, header) in &g.columns {
        let _ = writeln!(t, "{} = {}", key(expected), string(header));
    }
    if !g.sentinels.is_empty() {
        let _ = writeln!(t, "\n[column-missing-codes]  # \"no answer\" in one column: numbers outside the valid answers, or a group's \"Unknown\"");
        for (column, codes) in &g.sentinels {
            let values: Vec<String> = codes.iter().map(|(c, _)| code(c)).collect();
            let seen: Vec<String> = codes
                .iter()
                .map(|(c, n)| format!("{c} in {}", plural(*n, "cell", "cells")))
                .collect();
            let _ = writeln!(
                t,
                "{} = [{}]  # {}",
                key(column),
                values.join(", "),
                seen.join(", ")
            );
        }
    }
    if !g.timepoints.is_empty() {
        let _ = writeln!(
            t,
            "\n[timepoints]  # the timepoint column's values, matched in any case and spacing"
        );
        for v in &g.timepoints {
            let rows = plural(v.rows, "row", "rows");
            match v.maps_to {
                Some(Some(tp)) => {
                    let guessed = if v.built_in { "" } else { ", from its words" };
                    let _ = writeln!(
                        t,
                        "{} = {}  # {rows}{guessed}",
                        key(&v.value),
                        string(tp.name())
                    );
                }
                Some(None) => {
                    let _ = writeln!(
                        t,
                        "{} = \"ignore\"  # {rows}: an interim review, left out and counted; CHECK",
                        key(&v.value)
                    );
                }
                None => {
                    let _ = writeln!(t, "# {} = ?  # {rows}: not recognised, so excluded and counted; CHECK: map it to pre, post, followup or ignore", string(&v.value));
                }
            }
        }
    }
    for (column, merges) in &g.recode {
        let _ = writeln!(t, "\n[recode.{}]  # spellings of one group", key(column));
        for (from, to, n) in merges {
            let _ = writeln!(
                t,
                "{} = {}  # {}",
                key(from),
                string(to),
                plural(*n, "row", "rows")
            );
        }
    }
    if !g.exclude.is_empty() {
        let _ = writeln!(
            t,
            "\n[exclude]  # records that are not people, left out and counted as excluded_by_rule"
        );
        for (column, rules) in &g.exclude {
            let patterns: Vec<String> = rules.iter().map(|(p, _, _)| string(p)).collect();
            let why: Vec<String> = rules
                .iter()
                .map(|(p, n, why)| format!("{p:?}: {} ({why})", plural(*n, "row", "rows")))
                .collect();
            let _ = writeln!(
                t,
                "{} = [{}]  # {}; CHECK",
                key(column),
                patterns.join(", "),
                why.join("; ")
            );
        }
    }
    if !g.other_groups.is_empty() {
        let _ = writeln!(
            t,
            "\n# Other columns that could group the results (add them to `by` to see each group):"
        );
        for (column, n) in &g.other_groups {
            let _ = writeln!(t, "#   {column:?} ({n} values)");
        }
    }
    if !g.labels.is_empty() {
        let _ = writeln!(
            t,
            "\n# Answer labels seen in item columns (any case and spacing), read as {}'s codes:",
            g.scale
        );
        for (label, code, n) in &g.labels {
            let _ = writeln!(
                t,
                "#   {label:?} = {code} ({})",
                plural(*n, "cell", "cells")
            );
        }
    }
    if !g.unknown_text.is_empty() {
        let _ = writeln!(t, "\n# CHECK: text in score columns that stays invalid (left out of comparisons, counted);");
        let _ = writeln!(
            t,
            "# give it a code in [labels] (\"text\" = 2) or add it to missing-codes:"
        );
        for (text, n) in g.unknown_text.iter().take(20) {
            let _ = writeln!(t, "#   {text:?} ({})", plural(*n, "cell", "cells"));
        }
    }
    if g.excel_errors > 0 {
        let _ = writeln!(
            t,
            "\n# Excel error values (#N/A, #DIV/0! ...) in score columns: {}; they are missing.",
            g.excel_errors
        );
    }
    if !g.dates.is_empty() {
        let _ = writeln!(
            t,
            "\n# Date columns (the period covered, the days between assessments; group by one's quarter with by = [\"<column>:quarter\"]):"
        );
        for d in &g.dates {
            let _ = match d.role {
                Some(role) => writeln!(
                    t,
                    "#   {:?}: {}, read as {role}",
                    d.header,
                    match d.format {
                        DateFormat::Auto => "mixed forms (yyyy-mm-dd, dd/mm/yyyy, dd-Mon-yy), each read as written",
                        format => format.describe(),
                    }
                ),
                None => writeln!(
                    t,
                    "#   {:?}: {}, not used (not the date of an assessment; map it in [columns] if it is)",
                    d.header,
                    d.format.describe()
                ),
            };
        }
    }
    // Last, so no key above falls into a measure's table.
    for m in &g.measures {
        let _ = writeln!(
            t,
            "\n[[measures]]  # {}{}",
            m.reason,
            if m.unsure { "; CHECK" } else { "" }
        );
        let _ = writeln!(t, "name = {}  # its results folder", string(&m.name));
        let _ = writeln!(t, "scale = {}", string(&m.scale));
        if !m.columns.is_empty() {
            let _ = writeln!(t, "[measures.columns]");
            for (expected, header) in &m.columns {
                let _ = writeln!(t, "{} = {}", key(expected), string(header));
            }
        }
    }
    t
}

/// Columns as `expected <- header` lines, a timepoint's items on one line:
/// `pre_q1..pre_q3 <- "ucla1_t0" .. "ucla3_t0"`.
fn column_lines(s: &mut String, columns: &[(String, String)], indent: &str) {
    let mut k = 0;
    while k < columns.len() {
        let (expected, header) = &columns[k];
        let stem = expected.trim_end_matches(|c: char| c.is_ascii_digit());
        let run = if stem.ends_with('q') {
            columns[k..]
                .iter()
                .take_while(|(e, _)| e.trim_end_matches(|c: char| c.is_ascii_digit()) == stem)
                .count()
        } else {
            1
        };
        if run > 1 {
            let (last_expected, last_header) = &columns[k + run - 1];
            let names = format!("{expected}..{last_expected}");
            let _ = writeln!(s, "{indent}{names:<16} <- {header:?} .. {last_header:?}");
        } else {
            let _ = writeln!(s, "{indent}{expected:<16} <- {header:?}");
        }
        k += run;
    }
}

/// What `init` decided, for the terminal.
fn summary(input: &Path, out: &Path, sample: &Sample, g: &Guess) -> String {
    let mut s = String::new();
    let layout = match g.layout {
        Some(Layout::Long) => "long",
        _ => "wide",
    };
    let scales = match g.measures.as_slice() {
        [] => format!(
            "scale {}{}",
            g.scale,
            if g.scale_unsure { " (unsure)" } else { "" }
        ),
        measures => format!(
            "measures {}",
            measures
                .iter()
                .map(|m| format!("{}{}", m.name, if m.unsure { " (unsure)" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(
        s,
        "Wrote {} for {}: {layout} layout, {scales}, {}.",
        out.display(),
        input.display(),
        plural(sample.rows.len(), "row looked at", "rows looked at")
    );
    if let Some((sheet, row)) = &sample.sheet {
        let _ = writeln!(s, "  sheet {sheet:?}, header on row {row}");
    }
    column_lines(&mut s, &g.columns, "  ");
    for m in &g.measures {
        let _ = writeln!(s, "  {} ({}):", m.name, m.scale);
        column_lines(&mut s, &m.columns, "    ");
    }
    let mut counts = Vec::new();
    if !g.labels.is_empty() {
        counts.push(plural(g.labels.len(), "answer label", "answer labels"));
    }
    let missing = g.missing_words.len()
        + g.missing_numbers.len()
        + g.sentinels.values().map(Vec::len).sum::<usize>();
    if missing > 0 {
        counts.push(plural(missing, "missing code", "missing codes"));
    }
    if !g.timepoints.is_empty() {
        counts.push(plural(
            g.timepoints.len(),
            "timepoint value",
            "timepoint values",
        ));
    }
    if !g.recode.is_empty() {
        counts.push(plural(
            g.recode.values().map(Vec::len).sum(),
            "group spelling merged",
            "group spellings merged",
        ));
    }
    if !g.exclude.is_empty() {
        counts.push(plural(
            g.exclude.values().map(Vec::len).sum(),
            "exclusion rule",
            "exclusion rules",
        ));
    }
    if !counts.is_empty() {
        let _ = writeln!(s, "  {}", counts.join(", "));
    }
    if !g.checks.is_empty() {
        let _ = writeln!(s, "Check:");
        for check in &g.checks {
            let _ = writeln!(s, "  - {check}");
        }
    }
    s
}
