//! Writers for every output: tables, summary.json and the terminal report.

pub mod charts;
pub mod compare_tables;
pub mod comparisons;
pub mod figures;
pub mod files;
pub mod number;
pub mod overview;
pub mod publish;
pub mod report;
pub mod results;
pub mod summary;
pub mod tables;
pub mod terminal;

use crate::error::Error;
use std::path::Path;

/// Writes `bytes` to `dir/name` through a temporary file and a rename, so an interrupted run
/// never leaves a half-written table behind.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let target = dir.join(name);
    let temporary = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes).map_err(|e| Error::io(&target, e))?;
    std::fs::rename(&temporary, &target).map_err(|e| Error::io(&target, e))
}

/// Renders a CSV writer function into bytes.
pub fn to_bytes(write: impl FnOnce(&mut Vec<u8>) -> csv::Result<()>) -> Vec<u8> {
    let mut buffer = Vec::new();
    write(&mut buffer).expect("writing CSV to memory cannot fail");
    buffer
}
