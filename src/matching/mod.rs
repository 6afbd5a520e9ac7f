//! Matched comparison (`compare`): the cohort of scheme and comparator people, the propensity
//! score, nearest-neighbour matching, balance and the difference in differences.

pub mod cohort;
pub mod effect;
