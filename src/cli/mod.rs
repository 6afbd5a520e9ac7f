//! One module per subcommand. Each turns its options into settings and calls the pipeline
//! stages; no statistics live here.

pub mod analyse;
pub mod common;
pub mod report;
pub mod scales;
pub mod score;
pub mod validate;
