//! One module per subcommand. Each turns its options into settings and calls the pipeline
//! stages; no statistics live here.

pub mod analyse;
pub mod audit;
pub mod common;
pub mod compare;
pub mod init;
pub mod report;
pub mod scales;
pub mod score;
pub mod validate;

use crate::error::Error;

/// Writes to standard output. A reader that went away (`validate data.csv | head`) shows up
/// as [`Error::is_broken_pipe`], which the binary treats as success.
pub fn print_out(text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}
