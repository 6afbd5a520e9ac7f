//! Number formatting for tables: the shortest text that reads back to the same f64.

/// Shortest round-trip text: whole numbers without a fraction (`756`, `1221`), others via
/// ryu (`0.1`, `6.091134984994951e-168`). Non-finite values never reach the writers (the
/// statistics return `None` instead); should one arrive it is written empty, never "NaN".
pub fn format_f64(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    ryu::Buffer::new().format_finite(v).to_string()
}

/// [`format_f64`] of an optional value; `None` is the empty cell.
pub fn format_opt(v: Option<f64>) -> String {
    v.map(format_f64).unwrap_or_default()
}

/// A number with fixed decimals for people to read (tables in reports and the terminal); "-" when absent.
pub fn fixed(v: Option<f64>, decimals: usize) -> String {
    v.map(|v| format!("{v:.decimals$}"))
        .unwrap_or_else(|| "-".into())
}

/// A p-value as reports print them.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_round_trip() {
        for v in [
            0.1,
            -1.100_654_664_484_45,
            6.091_134_984_994_95e-168,
            1e-7,
            69.067_103_109_656_3,
            1e300,
        ] {
            let text = format_f64(v);
            assert_eq!(text.parse::<f64>().expect("number"), v, "{text}");
        }
        assert_eq!(format_f64(756.0), "756");
        assert_eq!(format_f64(-0.0), "0");
        assert_eq!(format_f64(28561.5), "28561.5");
        assert_eq!(format_f64(f64::NAN), "");
        assert_eq!(format_opt(None), "");
    }
}
