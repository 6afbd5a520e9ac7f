//! loneliness-eval: turns an operational export of a loneliness programme into its evaluation.
//!
//! The pipeline runs one way, each stage a folder that imports only earlier ones:
//! [`read`] (the export → typed records, the participant flow's exclusions) → [`scale`]
//! (scoring) → [`summarise`] (counts and sums per group that every analysis reads) →
//! [`disclosure`] (which groups and counts may be published, decided from those counts) →
//! [`analyses`] (one file per output table, each computing only what may be published) →
//! [`output`] (tables, summary.json, charts, reports, terminal). Disclosure comes before the
//! analyses because its decisions change what they compute: a withheld group is never
//! analysed, and p-values are adjusted over the published groups only. [`stats`] holds the
//! pure functions every stage may use; [`matching`] the matched comparison (`compare`);
//! [`cli`] one module per subcommand, each the plan of a run. [`model`], [`settings`] and
//! [`error`] are the shared vocabulary.

pub mod analyses;
pub mod cli;
pub mod disclosure;
pub mod error;
pub mod matching;
pub mod model;
pub mod output;
pub mod read;
pub mod scale;
pub mod settings;
pub mod stats;
pub mod summarise;
