//! `loneliness-eval validate data.csv`: lists every problem in an export with its line,
//! column and value, and exits 3 if there is any. Nothing is written.

use super::common::{load_measures, print_notices, InputArgs};
use crate::error::Error;
use crate::settings::Settings;

/// One problem line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Line where the record starts.
    pub line: u64,
    /// The column the problem is in, if one (names the cell in a workbook).
    pub column: Option<String>,
    /// The message after the line.
    pub message: String,
}

/// Runs `validate`; returns whether the export is clean.
pub fn run(args: &InputArgs) -> Result<bool, Error> {
    let settings = Settings::resolve(args.cli_options())?;
    // Each measure is scored from the same records: the records' problems are listed once,
    // each measure's invalid values under their own columns.
    let measures = load_measures(&args.inputs, &settings, false)?;
    let loaded = &measures[0];
    let export = &loaded.export;
    let name = match export.files.len() {
        1 => export.files[0].path.display().to_string(),
        n => format!("{} files", n),
    };
    let mut problems: Vec<Problem> = loaded
        .export
        .excluded
        .iter()
        .map(|e| Problem {
            line: e.line,
            column: None,
            message: format!("record excluded ({}): {}", e.reason.stage(), e.detail),
        })
        .collect();
    let scored = measures.iter().flat_map(|m| &m.scored.problems);
    problems.extend(scored.map(|p| Problem {
        line: p.line,
        column: Some(p.column.clone()),
        message: format!(
            "column {}{}: {:?} {}",
            p.column,
            export
                .column_label(&p.column)
                .map(|label| format!(" ({label:?})"))
                .unwrap_or_default(),
            p.value,
            p.message
        ),
    }));
    problems.extend(loaded.export.warnings.iter().map(|w| Problem {
        line: w.line,
        column: None,
        message: w.message.clone(),
    }));
    if loaded.export.rows_read == 0 {
        problems.push(Problem {
            line: 1,
            column: None,
            message: "the file has a header but no data rows".into(),
        });
    }
    // By line; within a line, in the order found (timepoints, then columns, left to right).
    problems.sort_by_key(|p| p.line);
    // Measures that share a column (a total read by two scales) find its problem twice.
    let mut seen = std::collections::BTreeSet::new();
    problems.retain(|p| seen.insert(p.clone()));
    // Notices (near-duplicate group spellings, the sheet read) are not problems, but are
    // what a person checking an export wants to see.
    let named: Vec<(&str, &crate::read::Export)> = (settings.measures.iter())
        .zip(&measures)
        .map(|(m, l)| (m.name.as_str(), &l.export))
        .collect();
    print_notices(&named);
    let mut text = String::new();
    for p in &problems {
        let place = export.place(p.line, p.column.as_deref());
        text.push_str(&format!("{place}, {}\n", p.message));
    }
    text.push_str(&if problems.is_empty() {
        format!(
            "{name}: no problems ({} records, {} people, {} layout, {})\n",
            export.rows_read,
            export.ids.len(),
            if export.layout == crate::read::Layout::Wide {
                "wide"
            } else {
                "long"
            },
            match measures.len() {
                1 => format!("scale {}", loaded.scale.name),
                _ => format!(
                    "measures {}",
                    settings
                        .measures
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        )
    } else {
        format!(
            "{name}: {} problem{} in {} records\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            export.rows_read
        )
    });
    super::print_out(&text)?;
    Ok(problems.is_empty())
}
