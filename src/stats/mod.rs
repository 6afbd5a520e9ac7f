//! Statistics as pure functions of slices and summaries: no I/O, no knowledge of files or
//! groups. Each function names the R call it reproduces; tests beside them hold R's values.

pub mod alpha;
pub mod between;
pub mod correlation;
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
pub mod rounding;
pub mod special;
pub mod sums;
pub mod tally;
pub mod ttest;
pub mod wilcoxon;
pub mod wilcoxon_r46;

/// Whether `v` is a whole number: `v.fract() == 0.0` without the libm call `fract` makes on
/// a baseline x86-64 build, which the per-person passes make hundreds of millions of times.
#[inline]
pub fn is_whole(v: f64) -> bool {
    // From 2^52 on every f64 is whole; below, the conversion truncates exactly.
    v.is_finite() && (v.abs() >= 4_503_599_627_370_496.0 || (v as i64) as f64 == v)
}

/// `v.round() as i64` (halves away from zero) for |v| < 2^63, without the libm call.
#[inline]
pub fn round_to_i64(v: f64) -> i64 {
    let whole = v as i64;
    let rest = v - whole as f64; // exact: both are within one unit of each other
    if rest >= 0.5 {
        whole + 1
    } else if rest <= -0.5 {
        whole - 1
    } else {
        whole
    }
}

#[cfg(test)]
mod whole_tests {
    use super::*;

    #[test]
    fn whole_and_rounding_agree_with_std() {
        let values = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            7.0,
            -7.25,
            1e15 + 0.5,
            4.5e15,
            9.1e15,
            1e17,
            -1e17,
            3.000_000_000_000_000_4,
            1e-300,
        ];
        for v in values {
            assert_eq!(is_whole(v), v.fract() == 0.0, "{v}");
            assert_eq!(round_to_i64(v), v.round() as i64, "{v}");
        }
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(is_whole(v), v.fract() == 0.0, "{v}");
        }
    }
}
