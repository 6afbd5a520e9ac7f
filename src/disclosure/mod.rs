//! Disclosure: what may be published. Results are published, so no number may describe, or
//! let a reader derive, a group of fewer than `--min-cell` people.
//!
//! - [`groups`]: which groups are withheld whole (primary: too few people; secondary:
//!   while the withheld total of a column could be found by subtraction).
//! - [`counts`]: which count cells of published rows are blanked so no small count can be
//!   recovered from a row's or a column's totals.
//! - [`least_loss`]: the count cells of comparisons, categories and reliable change (which
//!   split the same people) protected together, withholding the fewest cells.
//! - [`loss`]: what was withheld, by rule (summary.json `disclosure.withheld`).
//! - [`audit`]: from the published tables alone, how far a reader can pin down each withheld
//!   count (`loneliness-eval audit`).

pub mod audit;
pub mod counts;
pub mod groups;
pub mod least_loss;
pub mod loss;

pub use counts::{families_of, protect_counts, CountRow, Family};
