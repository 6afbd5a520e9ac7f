//! report.html (one self-contained file) and report.md, from a results folder and its charts.

mod html;
mod markdown;
mod overview;
mod text;

pub use overview::write_overview_reports;

use super::figures::Rendered;
use crate::error::Error;
use crate::output::results::ResultsDir;

/// Writes report.html and report.md into the results folder.
pub fn write_reports(results: &ResultsDir, figures: &[Rendered]) -> Result<(), Error> {
    let content = text::Content::new(results);
    super::write_file(
        &results.dir,
        "report.html",
        html::render(&content, figures).as_bytes(),
    )?;
    super::write_file(
        &results.dir,
        "report.md",
        markdown::render(&content, figures).as_bytes(),
    )?;
    Ok(())
}
