//! One cell of a score column: a number, a missing code, or something else.

/// A parsed score or item cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Empty, a missing code (NA, N/A, NaN, null, -99, -9, -1) or an Excel error value.
    Missing,
    /// Text that is neither a number nor a missing code.
    NotNumber,
    /// A finite number.
    Number(f64),
}

/// Missing codes, matched against the trimmed text in any case.
pub const MISSING_CODES: [&str; 8] = ["", "na", "n/a", "nan", "null", "-99", "-9", "-1"];

/// Excel's error values, which a workbook's error cells hold and Excel's "Save as CSV" writes:
/// missing wherever they stand (a score, an item, a grouping value), never a number or a name.
pub const EXCEL_ERRORS: [&str; 16] = [
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#DATA!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
];

/// Whether the trimmed text is an Excel error value (in any case).
#[inline]
pub fn is_excel_error(text: &str) -> bool {
    text.starts_with('#') && EXCEL_ERRORS.iter().any(|e| text.eq_ignore_ascii_case(e))
}

/// Whether trimmed text says "no value": a built-in missing code or an Excel error value
/// (for cells that are not scores, such as dates).
pub fn is_missing_text(text: &str) -> bool {
    MISSING_CODES
        .iter()
        .any(|code| text.eq_ignore_ascii_case(code))
        || is_excel_error(text)
}

/// Classifies a cell. A number is an optional sign, ASCII digits with an optional fraction and
/// an optional exponent, surrounded by optional whitespace: ` 7 `, `7.0`, `+7` and `7e0` are 7;
/// `inf`, `1,000`, `0x7` and non-ASCII digits are not numbers. `-99.0` is a number, not a code.
pub fn parse_cell(raw: &str) -> Cell {
    let text = trim(raw);
    // The usual cell: a few digits, a whole number that is exact as f64 (< 10^15 < 2^53) and
    // never a missing code (all codes have a letter, a sign or nothing).
    let bytes = text.as_bytes();
    if !bytes.is_empty() && bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        let v = bytes
            .iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        return Cell::Number(v as f64);
    }
    if MISSING_CODES
        .iter()
        .any(|code| text.eq_ignore_ascii_case(code))
    {
        return Cell::Missing;
    }
    if is_excel_error(text) {
        return Cell::Missing;
    }
    if !is_decimal_number(text.as_bytes()) {
        return Cell::NotNumber;
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Cell::Number(v),
        _ => Cell::NotNumber,
    }
}

/// `str::trim` (Unicode whitespace), returning at once for the usual cell, which starts and
/// ends with a printable ASCII character (all ASCII whitespace is below `!`).
#[inline]
pub fn trim(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| (b'!'..0x80).contains(&b));
    if printable(s.as_bytes().first()) && printable(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// `[+-]? (digits (. digits?)? | . digits) ([eE] [+-]? digits)?`
fn is_decimal_number(s: &[u8]) -> bool {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < s.len() && matches!(s[i], b'e' | b'E') {
        i += 1;
        if i < s.len() && matches!(s[i], b'+' | b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_codes() {
        for text in [" 7 ", "7.0", "+7", "7e0", "7.", "70e-1"] {
            assert_eq!(parse_cell(text), Cell::Number(7.0), "{text:?}");
        }
        for text in [
            "",
            "  ",
            "NA",
            "n/a",
            "NaN",
            "NULL",
            "-99",
            "-9",
            "-1",
            " na ",
            "#N/A",
            " #div/0! ",
            "#VALUE!",
        ] {
            assert_eq!(parse_cell(text), Cell::Missing, "{text:?}");
        }
        for text in [
            "inf", "-inf", "infinity", "1,000", "1_000", "0x7", "seven", "٧", "#N/A!", "#", "7 7",
            "e5", "-", "1e", "-99.0x",
        ] {
            assert_eq!(parse_cell(text), Cell::NotNumber, "{text:?}");
        }
        assert_eq!(parse_cell("-99.0"), Cell::Number(-99.0));
        // The fast path for digits agrees with the general one.
        for text in [
            "0",
            "7",
            "007",
            "123456789012345",
            "1234567890123456",
            " 42\u{a0}",
        ] {
            let general = text
                .trim()
                .parse::<f64>()
                .map(Cell::Number)
                .expect("a number");
            assert_eq!(parse_cell(text), general, "{text:?}");
        }
        for text in ["x", " x ", "\u{b}x\u{b}", "\u{a0}x\u{3000}", "", "\u{85}"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
        assert_eq!(parse_cell("1e400"), Cell::NotNumber);
    }
}
