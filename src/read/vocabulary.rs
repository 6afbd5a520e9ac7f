//! The export's own words for the tool's values, from the config: extra missing codes (for
//! every column or one), a long layout's timepoint values (`"3-month follow-up" =
//! "followup"`, `"Interim review" = "ignore"`), grouping values to merge (`[recode.<column>]`,
//! `normalise-groups`), and rules that exclude records (`[exclude]`: a test id, a TOTAL row).
//!
//! Words are matched as a person reads them: in any case, ignoring surrounding and repeated
//! spaces and trailing punctuation ([`normalise_words`]).

use super::columns::Header;
use super::dates::{parse_date, DateFormat, Period, UNREADABLE_DATE_GROUP};
use crate::model::Timepoint;
use std::collections::BTreeMap;

/// What the config says about the export's values (see the module documentation); recorded
/// in summary.json when there is anything, since it changes what is counted.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Vocabulary {
    /// Missing codes for every column, on top of the built-in ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Missing codes for one column (by header or expected name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub column_missing: BTreeMap<String, Vec<String>>,
    /// A long layout's timepoint values: `Some(timepoint)`, or `None` to ignore the record.
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        serialize_with = "timepoint_names"
    )]
    pub timepoints: BTreeMap<String, Option<Timepoint>>,
    /// Per grouping column, values renamed (`"Bereaved" = "Bereavement"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub recode: BTreeMap<String, BTreeMap<String, String>>,
    /// Merge grouping values that differ only in case, spacing or trailing punctuation.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub normalise_groups: bool,
    /// Per column, values or `*` patterns whose records are excluded.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exclude: BTreeMap<String, Vec<String>>,
    /// Per numeric grouping column, the lower bounds of its bands (`age = [18, 25, 35]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bands: BTreeMap<String, Vec<f64>>,
    /// How date columns are written (`date-format`); `auto` reads each value in any form.
    #[serde(skip_serializing_if = "is_auto")]
    pub date_format: super::dates::DateFormat,
    /// A long layout without a timepoint column: each person's assessments in date order
    /// are referral, end of support and follow-up.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub order_by_date: bool,
}

fn is_auto(format: &super::dates::DateFormat) -> bool {
    *format == super::dates::DateFormat::Auto
}

impl Vocabulary {
    /// Whether the config says nothing about values.
    pub fn is_empty(&self) -> bool {
        *self == Vocabulary::default()
    }
}

fn timepoint_names<S: serde::Serializer>(
    map: &BTreeMap<String, Option<Timepoint>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(
        map.iter()
            .map(|(value, tp)| (value, tp.map_or("ignore", Timepoint::name))),
    )
}

/// Text as it is matched against a code, label or rule: trimmed, lower case, runs of spaces
/// as one, trailing `.,;:!?` removed.
pub fn normalise_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    let kept = out
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .trim_end()
        .len();
    out.truncate(kept);
    out
}

/// Missing codes of one column: numbers match by value (`99` matches `99.0`), text by its
/// normalised words.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct MissingCodes {
    numbers: Vec<f64>,
    words: Vec<String>,
}

impl MissingCodes {
    fn new<'a>(codes: impl IntoIterator<Item = &'a String>) -> MissingCodes {
        let mut out = MissingCodes::default();
        for code in codes {
            match super::parse_cell(code) {
                super::Cell::Number(v) => out.numbers.push(v),
                _ => out.words.push(normalise_words(code)),
            }
        }
        out
    }

    /// Whether there are none.
    pub(super) fn is_empty(&self) -> bool {
        self.numbers.is_empty() && self.words.is_empty()
    }

    /// A score cell with these codes read as missing.
    #[inline]
    pub(super) fn parse(&self, text: &str) -> super::Cell {
        use super::Cell;
        match super::parse_cell(text) {
            Cell::Number(v) if self.numbers.contains(&v) => Cell::Missing,
            Cell::NotNumber if self.words.contains(&normalise_words(text)) => Cell::Missing,
            cell => cell,
        }
    }

    /// Whether a grouping (or date) value is one of these codes.
    pub(super) fn matches(&self, value: &str) -> bool {
        match super::parse_cell(value) {
            super::Cell::Number(v) => self.numbers.contains(&v),
            _ => self.words.contains(&normalise_words(value)),
        }
    }
}

/// One `[exclude]` rule on a column.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ExcludeRule {
    pub(super) column: usize,
    /// As written, for the flow and messages: `id = "TEST*"`.
    pub(super) name: String,
    /// Normalised pattern pieces between `*`s.
    pieces: Vec<String>,
    anchored_start: bool,
    anchored_end: bool,
}

impl ExcludeRule {
    fn new(column: usize, column_name: &str, pattern: &str) -> ExcludeRule {
        let normalised = normalise_words(pattern);
        ExcludeRule {
            column,
            name: format!("{column_name} = {pattern:?}"),
            pieces: normalised.split('*').map(str::to_string).collect(),
            anchored_start: !normalised.starts_with('*'),
            anchored_end: !normalised.ends_with('*'),
        }
    }

    /// Whether a cell matches: its words equal the pattern's, `*` standing for any text.
    pub(super) fn matches(&self, text: &str) -> bool {
        let text = normalise_words(text);
        if self.pieces.len() == 1 {
            return text == self.pieces[0];
        }
        let mut rest = text.as_str();
        let last = self.pieces.len() - 1;
        for (k, piece) in self.pieces.iter().enumerate() {
            if k == 0 && self.anchored_start {
                match rest.strip_prefix(piece.as_str()) {
                    Some(r) => rest = r,
                    None => return false,
                }
            } else if k == last && self.anchored_end {
                return rest.ends_with(piece.as_str());
            } else {
                match rest.find(piece.as_str()) {
                    Some(at) => rest = &rest[at + piece.len()..],
                    None => return false,
                }
            }
        }
        true
    }
}

/// The vocabulary resolved against the header: column numbers instead of names.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Resolved {
    /// Missing codes per column (empty when a column has none beyond the built-in).
    pub(super) missing: Vec<MissingCodes>,
    pub(super) timepoints: Vec<(String, Option<Timepoint>)>,
    /// Per `--by` column: normalised value → new name.
    pub(super) recode: Vec<Vec<(String, String)>>,
    pub(super) normalise_groups: bool,
    pub(super) exclude: Vec<ExcludeRule>,
    /// Per `--by` column: the lower bounds of its bands (empty: not banded).
    pub(super) bands: Vec<Vec<f64>>,
    /// Per `--by` column: the period of a date it groups by (`referral_date:quarter`).
    pub(super) periods: Vec<Option<Period>>,
    /// How dates are written.
    pub(super) date_format: DateFormat,
}

impl Resolved {
    /// Resolves column names against the header; a name that is not a column is an error
    /// (a rule that silently applied to nothing would keep the records it was meant to drop).
    pub(super) fn new(
        vocabulary: &Vocabulary,
        header: &Header,
        by: &[String],
    ) -> Result<Resolved, String> {
        let column = |name: &str, what: &str| {
            header.find(name).ok_or_else(|| {
                let hint = header
                    .suggest(name)
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                format!("{what} names column {name:?}, which is not in the header{hint}")
            })
        };
        let width = header.names.len();
        // The column a `--by` name reads (`referral_date:quarter` reads referral_date).
        let column_of_by = |b: &String| header.find(Period::split(b).0);
        let global = MissingCodes::new(&vocabulary.missing);
        let mut by_column: Vec<Vec<&String>> = vec![Vec::new(); width];
        for (name, codes) in &vocabulary.column_missing {
            let c = column(name, "column-missing-codes")?;
            by_column[c].extend(codes);
        }
        let missing = by_column
            .into_iter()
            .map(|own| MissingCodes::new(vocabulary.missing.iter().chain(own)))
            .collect::<Vec<_>>();
        let missing = if global.is_empty() && missing.iter().all(MissingCodes::is_empty) {
            Vec::new()
        } else {
            missing
        };
        let mut recode = vec![Vec::new(); by.len()];
        for (name, table) in &vocabulary.recode {
            column(name, &format!("[recode.{name}]"))?;
            // A recode of a column this run does not group by is not used, and not an error.
            if let Some(g) = by.iter().position(|b| column_of_by(b) == header.find(name)) {
                recode[g] = table
                    .iter()
                    .map(|(from, to)| (normalise_words(from), to.trim().to_string()))
                    .collect();
            }
        }
        let mut bands = vec![Vec::new(); by.len()];
        for (name, bounds) in &vocabulary.bands {
            column(name, "[bands]")?;
            if bounds.is_empty()
                || bounds
                    .windows(2)
                    .any(|w| w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less))
            {
                return Err(format!(
                    "[bands] {name} = {bounds:?}: give the bands' lower bounds in increasing order, such as [18, 25, 35, 50, 65]"
                ));
            }
            if let Some(g) = by.iter().position(|b| column_of_by(b) == header.find(name)) {
                bands[g] = bounds.clone();
            }
        }
        let mut exclude = Vec::new();
        for (name, patterns) in &vocabulary.exclude {
            let c = column(name, "[exclude]")?;
            exclude.extend(patterns.iter().map(|p| ExcludeRule::new(c, name, p)));
        }
        Ok(Resolved {
            missing,
            timepoints: vocabulary
                .timepoints
                .iter()
                .map(|(value, tp)| (normalise_words(value), *tp))
                .collect(),
            recode,
            normalise_groups: vocabulary.normalise_groups,
            exclude,
            bands,
            periods: by.iter().map(|b| Period::split(b).1).collect(),
            date_format: vocabulary.date_format,
        })
    }

    /// Missing codes of column `c`, if it has any beyond the built-in ones.
    pub(super) fn missing_codes(&self, c: usize) -> Option<&MissingCodes> {
        self.missing.get(c).filter(|codes| !codes.is_empty())
    }

    /// What the config maps a timepoint value to: `Some(Some(tp))`, `Some(None)` to ignore,
    /// `None` when it does not name the value.
    pub(super) fn timepoint(&self, value: &str) -> Option<Option<Timepoint>> {
        if self.timepoints.is_empty() {
            return None;
        }
        let value = normalise_words(value);
        self.timepoints
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, tp)| *tp)
    }

    /// Whether grouping values are renamed at all (else levels stay as read).
    pub(super) fn renames_groups(&self) -> bool {
        self.normalise_groups
            || self.recode.iter().any(|r| !r.is_empty())
            || self.bands.iter().any(|b| !b.is_empty())
            || self.periods.iter().any(Option::is_some)
            || !self.missing.is_empty()
    }

    /// The published name of grouping column `g`'s value `value` (already trimmed, blank
    /// and Excel errors made `(missing)`): recoded, a missing code made `(missing)`.
    pub(super) fn group_name(&self, g: usize, column: usize, value: &str) -> String {
        let words = normalise_words(value);
        if let Some((_, to)) = self.recode[g].iter().find(|(from, _)| *from == words) {
            return to.clone();
        }
        if self
            .missing
            .get(column)
            .is_some_and(|codes| codes.matches(value))
        {
            return super::MISSING_GROUP.to_string();
        }
        if let Some(Some(period)) = self.periods.get(g) {
            if value == super::MISSING_GROUP {
                return value.to_string();
            }
            return match parse_date(value, self.date_format) {
                Ok(Some(day)) => period.label(day),
                Ok(None) => super::MISSING_GROUP.to_string(),
                Err(_) => UNREADABLE_DATE_GROUP.to_string(),
            };
        }
        match (self.bands.get(g), super::parse_cell(value)) {
            (Some(bounds), super::Cell::Number(v)) if !bounds.is_empty() => band(bounds, v),
            _ => value.to_string(),
        }
    }
}

/// The band of `v` among lower bounds `bounds`: `under 18`, `18-24` (whole-number bounds), `18
/// to under 24.5` (others), `65+`.
pub(super) fn band(bounds: &[f64], v: f64) -> String {
    let whole = bounds.iter().all(|b| b.fract() == 0.0);
    match bounds.iter().rposition(|&b| v >= b) {
        None => format!("under {}", bounds[0]),
        Some(k) if k + 1 == bounds.len() => format!("{}+", bounds[k]),
        Some(k) if whole => format!("{}-{}", bounds[k], bounds[k + 1] - 1.0),
        Some(k) => format!("{} to under {}", bounds[k], bounds[k + 1]),
    }
}

/// Grouping values that differ only in case, spacing or trailing punctuation, as groups of
/// level indices (each group at least two), for the warning or the merge.
pub(super) fn near_duplicates(levels: &[String]) -> Vec<Vec<usize>> {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, level) in levels.iter().enumerate() {
        if level != super::MISSING_GROUP {
            by_key.entry(normalise_words(level)).or_default().push(k);
        }
    }
    by_key.into_values().filter(|g| g.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_as_a_person_reads_them() {
        assert_eq!(normalise_words("  Some  of the TIME. "), "some of the time");
        assert_eq!(normalise_words("Often!?"), "often");
        assert_eq!(
            normalise_words("Hardly ever\u{a0}or never"),
            "hardly ever or never"
        );
        assert_eq!(normalise_words("#N/A"), "#n/a");
    }

    #[test]
    fn missing_codes_match_numbers_by_value_and_words_by_words() {
        let codes = MissingCodes::new(&["99".to_string(), "Prefer not to say".to_string()]);
        use super::super::Cell;
        assert_eq!(codes.parse("99"), Cell::Missing);
        assert_eq!(codes.parse(" 99.0 "), Cell::Missing);
        assert_eq!(codes.parse("prefer not to say."), Cell::Missing);
        assert_eq!(codes.parse("9"), Cell::Number(9.0));
        assert_eq!(codes.parse("Prefer not"), Cell::NotNumber);
        assert_eq!(codes.parse("NA"), Cell::Missing);
    }

    #[test]
    fn exclude_patterns() {
        let rule = |p: &str| ExcludeRule::new(0, "id", p);
        assert!(rule("TEST*").matches("test-001"));
        assert!(rule("TEST*").matches("Test"));
        assert!(!rule("TEST*").matches("a test"));
        assert!(rule("*test*").matches("a test row"));
        assert!(rule("*total").matches("Grand TOTAL"));
        assert!(!rule("*total").matches("totals"));
        assert!(rule("TOTAL").matches(" total "));
        assert!(!rule("TOTAL").matches("subtotal"));
        assert!(rule("a*b*c").matches("aXbYc"));
        assert!(!rule("a*b*c").matches("aXcYb"));
        assert_eq!(rule("TEST*").name, "id = \"TEST*\"");
    }

    #[test]
    fn bands_name_their_range() {
        let bounds = [18.0, 25.0, 35.0, 65.0];
        let names: Vec<String> = [17.0, 18.0, 24.9, 25.0, 64.0, 65.0, 99.0]
            .iter()
            .map(|&v| band(&bounds, v))
            .collect();
        assert_eq!(
            names,
            ["under 18", "18-24", "18-24", "25-34", "35-64", "65+", "65+"]
        );
        assert_eq!(band(&[0.5, 1.5], 1.0), "0.5 to under 1.5");
    }

    #[test]
    fn near_duplicates_group_spellings() {
        let levels: Vec<String> = ["Leeds", "York", "leeds ", "LEEDS.", "(missing)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(near_duplicates(&levels), vec![vec![0, 2, 3]]);
    }
}
