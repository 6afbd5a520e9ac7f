//! loneliness-eval: turns an operational export of a loneliness programme into its evaluation.
//!
//! The pipeline runs one way: [`read`] (CSV to typed assessments) → [`scale`] (scoring) →
//! [`pair`] (people × timepoints into paired samples per group) → [`stats`] (pure functions)
//! → [`output`] (tables, summary, terminal). [`cli`] holds one module per subcommand.

pub mod analysis;
pub mod attrition;
pub mod between_groups;
pub mod categories;
pub mod cli;
pub mod compare;
pub mod disclosure;
pub mod distribution;
pub mod error;
pub mod flow;
pub mod grouped;
pub mod matching;
pub mod memory;
pub mod mixed_model;
pub mod model;
pub mod nested;
pub mod output;
pub mod pair;
pub mod read;
pub mod reliable;
pub mod repeated;
pub mod results;
pub mod scale;
pub mod settings;
pub mod stats;
pub mod streaming;
pub mod timepoints;
