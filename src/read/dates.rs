//! Dates as exports write them: ISO (`2024-03-01`, with or without a time), UK day-first
//! (`01/03/2024`, `1.3.24`, `01-03-2024`), day and month name (`01-Mar-24`, `1 March 2024`),
//! Excel's day numbers (a workbook saved as CSV writes `45352` for 1 March 2024) and, when
//! `date-format` says so, US month-first. Each date becomes a day number (days since
//! 1970-01-01) that the summaries count and subtract; strings end here.
//!
//! Day-first is the default reading of `a/b/yyyy` because the schemes this tool serves are
//! British: `03/04/2024` is 3 April. A value whose second part is above 12 (`04/25/2024`) is
//! then no date, and the message says to set `date-format = "mm/dd/yyyy"`.

use chrono::{Datelike, NaiveDate};

/// Days since 1970-01-01 of a date.
pub type DayNumber = i32;

/// How a date column is written (`date-format` in the config), or `Auto` to read each value
/// in whichever of the forms above it takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFormat {
    /// Any of the forms in the module documentation, day-first for `a/b/y`.
    #[default]
    Auto,
    /// `yyyy-mm-dd`, optionally followed by a time.
    Iso,
    /// `dd/mm/yyyy` or `dd/mm/yy` (also with `.` or `-`).
    DayFirst,
    /// `mm/dd/yyyy` or `mm/dd/yy` (US exports).
    MonthFirst,
    /// `dd-Mon-yy`, `dd-Mon-yyyy`, `dd Month yyyy`.
    DayMonthName,
    /// Excel's day numbers (1 = 1900-01-01, in the 1900 date system Windows Excel uses).
    Excel,
}

impl DateFormat {
    /// The format a `date-format` value names.
    pub fn parse(text: &str) -> Result<DateFormat, String> {
        let key: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Ok(match key.as_str() {
            "auto" => DateFormat::Auto,
            "iso" | "yyyy-mm-dd" => DateFormat::Iso,
            "dd/mm/yyyy" | "dd/mm/yy" | "dd.mm.yyyy" | "dd-mm-yyyy" | "day-first" | "uk" => {
                DateFormat::DayFirst
            }
            "mm/dd/yyyy" | "mm/dd/yy" | "month-first" | "us" => DateFormat::MonthFirst,
            "dd-mon-yy" | "dd-mon-yyyy" | "ddmonyyyy" | "ddmonthyyyy" => DateFormat::DayMonthName,
            "excel" | "serial" | "excel-serial" => DateFormat::Excel,
            _ => {
                return Err(format!(
                    "date-format {text:?}: expected auto, iso (yyyy-mm-dd), dd/mm/yyyy, mm/dd/yyyy, dd-mon-yy or excel (day numbers)"
                ))
            }
        })
    }

    /// How the format is written in messages.
    pub fn describe(self) -> &'static str {
        match self {
            DateFormat::Auto => "a date such as 2024-03-01, 01/03/2024 or 01-Mar-24",
            DateFormat::Iso => "yyyy-mm-dd",
            DateFormat::DayFirst => "dd/mm/yyyy",
            DateFormat::MonthFirst => "mm/dd/yyyy",
            DateFormat::DayMonthName => "dd-Mon-yy",
            DateFormat::Excel => "an Excel day number",
        }
    }
}

/// Text that is no date in the format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

/// A date cell read: `Ok(None)` for a blank or a built-in missing code, `Err(NotADate)` for
/// text that is no date in `format`.
pub fn parse_date(text: &str, format: DateFormat) -> Result<Option<DayNumber>, NotADate> {
    let text = text.trim().trim_matches('"').trim();
    if text.is_empty() || super::value::is_missing_text(text) {
        return Ok(None);
    }
    // A forced format still reads yyyy-mm-dd, which no other form can be mistaken for:
    // workbook and SPSS date cells arrive as that text whatever the export's own form.
    let date = match format {
        DateFormat::Iso => iso(text),
        DateFormat::DayFirst => iso(text).or_else(|| numeric(text, false)),
        DateFormat::MonthFirst => iso(text).or_else(|| numeric(text, true)),
        DateFormat::DayMonthName => iso(text).or_else(|| day_month_name(text)),
        DateFormat::Excel => iso(text).or_else(|| excel(text, 1.0..2_958_466.0)),
        // Day numbers only in the range of plausible dates (1954 to 2119), so that a year or a
        // count in a mistaken column is never read as a day in 1905.
        DateFormat::Auto => iso(text)
            .or_else(|| numeric(text, false))
            .or_else(|| day_month_name(text))
            .or_else(|| excel(text, 20_000.0..80_000.0)),
    };
    date.map(|d| Some(day_number(d))).ok_or(NotADate)
}

fn day_number(date: NaiveDate) -> DayNumber {
    // Every date chrono can hold is within ±262,143 years: far inside i32 days.
    date.num_days_from_ce() - EPOCH_FROM_CE
}

/// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
const EPOCH_FROM_CE: i32 = 719_163;

/// The date of a day number.
pub fn date_of(day: DayNumber) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(EPOCH_FROM_CE)?)
}

/// `2024-03-01`.
pub fn iso_text(day: DayNumber) -> String {
    date_of(day).map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

/// `2024-03`: the month of a day, which is what the results publish of a period (a day can
/// be one person's).
pub fn month_text(day: DayNumber) -> String {
    date_of(day).map_or_else(String::new, |d| d.format("%Y-%m").to_string())
}

/// `March 2024`, for sentences.
pub fn month_words(day: DayNumber) -> String {
    date_of(day).map_or_else(String::new, |d| d.format("%B %Y").to_string())
}

/// A grouping by a date column's year, quarter or month (`--by referral_date:quarter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `2024`.
    Year,
    /// `2024 Q1`.
    Quarter,
    /// `2024-03`.
    Month,
}

impl Period {
    /// Splits `referral_date:quarter` into the column and its period; a name without one of
    /// the three suffixes is a column name as it stands.
    pub fn split(by: &str) -> (&str, Option<Period>) {
        if let Some((column, period)) = by.rsplit_once(':') {
            let period = match period.trim().to_ascii_lowercase().as_str() {
                "year" => Some(Period::Year),
                "quarter" => Some(Period::Quarter),
                "month" => Some(Period::Month),
                _ => None,
            };
            if let Some(period) = period {
                return (column.trim(), Some(period));
            }
        }
        (by, None)
    }

    /// The group a day falls in. Every label sorts in time order as text.
    pub fn label(self, day: DayNumber) -> String {
        let Some(d) = date_of(day) else {
            return String::new();
        };
        match self {
            Period::Year => format!("{:04}", d.year()),
            Period::Quarter => format!("{:04} Q{}", d.year(), d.month0() / 3 + 1),
            Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
        }
    }
}

/// The group name of a date that cannot be read, in a grouping by its period.
pub const UNREADABLE_DATE_GROUP: &str = "(not a date)";

fn iso(text: &str) -> Option<NaiveDate> {
    // A date with a time (`2024-03-01 00:00:00`, `2024-03-01T09:30:00Z`): the day is enough.
    let day = without_time(text, &[' ', 'T'])?;
    let mut parts = day.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `a/b/y` with `/`, `.` or `-`: day first unless `month_first`.
fn numeric(text: &str, month_first: bool) -> Option<NaiveDate> {
    // A time after the date (`01/03/2024 00:00`), as Excel writes a date-time to CSV.
    let day = without_time(text, &[' '])?;
    let sep = day.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = day.split(sep);
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || a.len() > 2 || b.len() > 2 || a.is_empty() || b.is_empty() {
        return None;
    }
    let (d, m) = if month_first { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(year(y)?, m.parse().ok()?, d.parse().ok()?)
}

/// The date part of `text`: all of it, or what precedes the first of `separators` when a
/// time of day follows (`09:30`, `00:00:00.000`, `9:30 AM`, `09:30:00Z`); `None` when
/// something else follows.
fn without_time<'a>(text: &'a str, separators: &[char]) -> Option<&'a str> {
    match text.split_once(separators) {
        None => Some(text),
        Some((day, time)) => is_time(time).then_some(day),
    }
}

fn is_time(text: &str) -> bool {
    let text = text.trim();
    text.contains(':')
        && text.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b":.+- ZAPMapm".contains(&b))
}

/// A four-digit year, or a two-digit one as C's strptime reads it: 69-99 are 1969-1999,
/// 00-68 are 2000-2068.
fn year(y: &str) -> Option<i32> {
    if !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match y.len() {
        4 => y.parse().ok(),
        2 => {
            let yy: i32 = y.parse().ok()?;
            Some(if yy >= 69 { 1900 + yy } else { 2000 + yy })
        }
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `01-Mar-24`, `1-Mar-2024`, `1 March 2024`, `1 Sept 2024`.
fn day_month_name(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split(['-', ' ', '/']).filter(|p| !p.is_empty());
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    // A time after the date is allowed; anything else is not a date.
    if parts.next().is_some_and(|t| !is_time(t)) || parts.next().is_some() || d.len() > 2 {
        return None;
    }
    let name = m.trim_end_matches('.').to_ascii_lowercase();
    let month = MONTHS.iter().position(|&short| {
        name.len() >= 3 && name.starts_with(short) && full_month(short).starts_with(name.as_str())
            || (short == "sep" && name == "sept")
    })?;
    NaiveDate::from_ymd_opt(year(y)?, month as u32 + 1, d.parse().ok()?)
}

fn full_month(short: &str) -> &'static str {
    match short {
        "jan" => "january",
        "feb" => "february",
        "mar" => "march",
        "apr" => "april",
        "may" => "may",
        "jun" => "june",
        "jul" => "july",
        "aug" => "august",
        "sep" => "september",
        "oct" => "october",
        "nov" => "november",
        _ => "december",
    }
}

/// Excel's day number `text` (a fraction is the time of day), within `range`.
fn excel(text: &str, range: std::ops::Range<f64>) -> Option<NaiveDate> {
    let serial: f64 = text.parse().ok()?;
    if !range.contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    // Excel counts 1900 as a leap year (day 60 is 29 February 1900, which never was): from
    // day 61 on, day n is n days after 30 December 1899; before it, n days after 31 December.
    let base = if whole >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else if whole == 60 {
        return None;
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    base.checked_add_days(chrono::Days::new(whole as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso_of(text: &str, format: DateFormat) -> Option<String> {
        parse_date(text, format).ok().flatten().map(iso_text)
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(parse_date("1970-01-01", DateFormat::Auto), Ok(Some(0)));
        assert_eq!(parse_date("1970-01-02", DateFormat::Auto), Ok(Some(1)));
        assert_eq!(parse_date("1969-12-31", DateFormat::Auto), Ok(Some(-1)));
        // R: as.numeric(as.Date("2024-03-01")) = 19783
        assert_eq!(parse_date("2024-03-01", DateFormat::Auto), Ok(Some(19783)));
    }

    #[test]
    fn every_form_an_export_writes() {
        use DateFormat::Auto;
        for text in [
            "2024-03-01",
            "2024-03-01 00:00:00",
            "2024-03-01T09:30:00Z",
            "01/03/2024",
            "1/3/2024",
            "01/03/24",
            "01.03.2024",
            "01-03-2024",
            "01/03/2024 00:00",
            "01-Mar-24",
            "1-Mar-2024",
            "1 March 2024",
            "01-MAR-2024",
            "1 Mar. 2024",
            // R: as.numeric(as.Date("2024-03-01") - as.Date("1899-12-30")) = 45352
            "45352",
            "45352.5",
        ] {
            assert_eq!(iso_of(text, Auto).as_deref(), Some("2024-03-01"), "{text}");
        }
        assert_eq!(iso_of("30 Sept 2024", Auto).as_deref(), Some("2024-09-30"));
        assert_eq!(iso_of("03/04/2024", Auto).as_deref(), Some("2024-04-03"));
    }

    #[test]
    fn what_is_no_date() {
        use DateFormat::Auto;
        for text in [
            "31/02/2024",
            "04/25/2024",
            "2024",
            "7",
            "soon",
            "2024-13-01",
            "1-Mars-2024",
            "1-Ma-2024",
            "12/03/2024 and more",
        ] {
            assert_eq!(parse_date(text, Auto), Err(NotADate), "{text}");
        }
        assert_eq!(parse_date("", Auto), Ok(None));
        assert_eq!(parse_date("  NA ", Auto), Ok(None));
    }

    #[test]
    fn a_forced_format_reads_only_its_form() {
        assert_eq!(
            iso_of("04/25/2024", DateFormat::MonthFirst).as_deref(),
            Some("2024-04-25")
        );
        assert_eq!(
            iso_of("03/04/2024", DateFormat::MonthFirst).as_deref(),
            Some("2024-03-04")
        );
        // yyyy-mm-dd (a workbook's date cell) under every forced format.
        for format in [
            DateFormat::DayFirst,
            DateFormat::MonthFirst,
            DateFormat::DayMonthName,
            DateFormat::Excel,
        ] {
            assert_eq!(
                parse_date("2024-03-01", format),
                Ok(Some(19783)),
                "{format:?}"
            );
        }
        assert_eq!(
            parse_date("2024/13/01", DateFormat::DayFirst),
            Err(NotADate)
        );
        assert_eq!(parse_date("01/03/2024", DateFormat::Iso), Err(NotADate));
        // Outside auto's range of plausible day numbers, but asked for.
        assert_eq!(
            iso_of("2024", DateFormat::Excel).as_deref(),
            Some("1905-07-16")
        );
        assert_eq!(
            iso_of("1", DateFormat::Excel).as_deref(),
            Some("1900-01-01")
        );
        assert_eq!(
            iso_of("61", DateFormat::Excel).as_deref(),
            Some("1900-03-01")
        );
        assert_eq!(parse_date("60", DateFormat::Excel), Err(NotADate));
    }

    #[test]
    fn two_digit_years_as_strptime() {
        assert_eq!(
            iso_of("01/03/68", DateFormat::Auto).as_deref(),
            Some("2068-03-01")
        );
        assert_eq!(
            iso_of("01/03/69", DateFormat::Auto).as_deref(),
            Some("1969-03-01")
        );
    }

    #[test]
    fn periods_label_and_sort_in_time_order() {
        let day = |t: &str| parse_date(t, DateFormat::Iso).unwrap().unwrap();
        assert_eq!(Period::Quarter.label(day("2024-03-31")), "2024 Q1");
        assert_eq!(Period::Quarter.label(day("2024-04-01")), "2024 Q2");
        assert_eq!(Period::Quarter.label(day("2024-12-31")), "2024 Q4");
        assert_eq!(Period::Month.label(day("2024-03-31")), "2024-03");
        assert_eq!(Period::Year.label(day("2024-03-31")), "2024");
        assert_eq!(
            Period::split("referral_date:quarter"),
            ("referral_date", Some(Period::Quarter))
        );
        assert_eq!(
            Period::split("Referral Date : Month"),
            ("Referral Date", Some(Period::Month))
        );
        assert_eq!(Period::split("time:of:day"), ("time:of:day", None));
        assert_eq!(month_words(day("2024-03-31")), "March 2024");
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(DateFormat::parse("dd/mm/yyyy"), Ok(DateFormat::DayFirst));
        assert_eq!(
            DateFormat::parse(" DD-Mon-YY "),
            Ok(DateFormat::DayMonthName)
        );
        assert_eq!(DateFormat::parse("mm/dd/yyyy"), Ok(DateFormat::MonthFirst));
        assert_eq!(DateFormat::parse("excel"), Ok(DateFormat::Excel));
        assert!(DateFormat::parse("%d/%m").unwrap_err().contains("expected"));
    }
}
