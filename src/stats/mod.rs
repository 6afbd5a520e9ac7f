//! Statistics as pure functions of slices and summaries: no I/O, no knowledge of files or
//! groups. Each function names the R call it reproduces; tests beside them hold R's values.

pub mod alpha;
pub mod between;
pub mod describe;
pub mod dist;
pub mod effect;
pub mod friedman;
pub mod hodges_lehmann;
pub mod logistic;
pub mod mcnemar;
pub mod mixed;
pub mod omega;
pub mod padjust;
pub mod paired;
pub mod proportion;
pub mod roots;
pub mod special;
pub mod tally;
pub mod ttest;
pub mod wilcoxon;
