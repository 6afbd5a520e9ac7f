//! Whether the data can answer at all, and what to warn about when they answer in part: a run
//! where nothing can be analysed fails with the main reason and its count (rather than a
//! report of empty tables), and a timepoint with many invalid scores is named.

use crate::model::Timepoint;
use crate::read::{Exclusion, Export};
use crate::scale::{CellProblem, StatusCounts};

/// Share of a timepoint's scores that may be invalid before a run warns.
pub const INVALID_WARNING_SHARE: f64 = 0.10;

/// Why no comparison can be made, in one line (`None` when some comparison can): no rows, all
/// records excluded (the main reason, its count and an example), or no one with two valid
/// timepoints (the timepoint whose scores are all invalid, with an example problem).
pub fn cannot_answer(
    export: &Export,
    status: &StatusCounts,
    problems: &[CellProblem],
) -> Option<String> {
    use Timepoint::{Followup, Post, Pre};
    let pairs = [[Pre, Post], [Pre, Followup], [Post, Followup]];
    if pairs.iter().any(|pair| status.with(pair) > 0) {
        return None;
    }
    if export.rows_read == 0 {
        return Some("the export has a header but no data rows".into());
    }
    if export.rows_kept == 0 {
        return Some(format!(
            "all {} records were excluded, {}",
            thousands(export.rows_read),
            main_exclusion(export).unwrap_or_default()
        ));
    }
    // The timepoint whose scores are all invalid, most people first.
    let valid = |tp: Timepoint| status.with(&[tp]);
    let all_invalid = Timepoint::ALL
        .into_iter()
        .filter(|&tp| valid(tp) == 0 && status.invalid[tp.index()] > 0)
        .max_by_key(|&tp| (status.invalid[tp.index()], std::cmp::Reverse(tp.index())));
    if let Some(tp) = all_invalid {
        return Some(format!(
            "all {} {} scores are invalid{}",
            thousands(status.invalid[tp.index()]),
            tp.name(),
            example(export, tp, problems)
        ));
    }
    if only_one_timepoint(export, status).is_some() {
        // One timepoint can still be described (timepoints.csv, item reliability): a
        // warning says no change can be measured.
        return None;
    }
    let excluded = match main_exclusion(export) {
        Some(main) => format!("; {} records were excluded, {main}", export.excluded.len()),
        None => String::new(),
    };
    Some(format!(
        "no one has valid scores at two timepoints ({} with a pre score, {} with post, {} with follow-up, of {} kept){excluded}",
        thousands(valid(Pre)),
        thousands(valid(Post)),
        thousands(valid(Followup)),
        thousands(export.people)
    ))
}

/// The one timepoint with valid scores when every other timepoint has none at all (no column,
/// or every cell missing): an export of referral scores only, described but not compared.
fn only_one_timepoint(export: &Export, status: &StatusCounts) -> Option<Timepoint> {
    let with_scores: Vec<Timepoint> = Timepoint::ALL
        .into_iter()
        .filter(|&tp| status.with(&[tp]) > 0 || status.invalid[tp.index()] > 0)
        .collect();
    match with_scores.as_slice() {
        [only] if status.with(&[*only]) > 0 && export.people > 0 => Some(*only),
        _ => None,
    }
}

/// `3 of them as excluded_unknown_timepoint (e.g. line 2: ...)`: the commonest reason records
/// were excluded, if any were.
fn main_exclusion(export: &Export) -> Option<String> {
    let reasons = [
        Exclusion::Malformed,
        Exclusion::ByRule,
        Exclusion::MissingId,
        Exclusion::UnknownTimepoint,
        Exclusion::IgnoredTimepoint,
        Exclusion::DuplicateId,
    ];
    let (reason, n) = reasons
        .into_iter()
        .map(|r| (r, export.excluded_count(r)))
        .max_by_key(|&(_, n)| n)
        .filter(|&(_, n)| n > 0)?;
    let example = export
        .excluded
        .iter()
        .find(|e| e.reason == reason)
        .map(|e| {
            format!(
                " (e.g. {}: {})",
                short_place(export, e.line, None),
                e.detail
            )
        })
        .unwrap_or_default();
    Some(format!(
        "{} of them as {}{example}",
        thousands(n),
        reason.stage()
    ))
}

/// Where a line is, without the file's name when there is one file (the error names it).
fn short_place(export: &Export, line: u64, column: Option<&str>) -> String {
    let place = export.place(line, column);
    match export.files.as_slice() {
        [one] => place
            .strip_prefix(&format!("{} ", one.path.display()))
            .map_or(place.clone(), str::to_string),
        _ => place,
    }
}

/// Warnings for a run that answers in part: an export with one timepoint's scores only, and
/// timepoints where more than [`INVALID_WARNING_SHARE`] of the people with a score (valid or
/// invalid) have an invalid one, each with an example problem.
pub fn warnings(export: &Export, status: &StatusCounts, problems: &[CellProblem]) -> Vec<String> {
    let one = only_one_timepoint(export, status).map(|tp| {
        let excluded = match main_exclusion(export) {
            Some(main) => format!("; {} records were excluded, {main}", export.excluded.len()),
            None => String::new(),
        };
        format!(
            "only {} scores are in the export (the other timepoints are empty): no change can be measured; timepoints.csv and item_reliability.csv describe them{excluded}",
            tp.name()
        )
    });
    one.into_iter()
        .chain(invalid_warnings(export, status, problems))
        .collect()
}

fn invalid_warnings(
    export: &Export,
    status: &StatusCounts,
    problems: &[CellProblem],
) -> Vec<String> {
    Timepoint::ALL
        .into_iter()
        .filter_map(|tp| {
            let invalid = status.invalid[tp.index()];
            let scored = invalid + status.with(&[tp]);
            (scored > 0 && invalid as f64 > INVALID_WARNING_SHARE * scored as f64).then(|| {
                format!(
                    "{} of {} {} scores ({:.0}%) are invalid and left out{}",
                    thousands(invalid),
                    thousands(scored),
                    tp.name(),
                    100.0 * invalid as f64 / scored as f64,
                    example(export, tp, problems)
                )
            })
        })
        .collect()
}

/// `: "Some of the time" is not a number ... (line 2, column pre_q1)` for the timepoint's
/// first problem, with a hint when the value is text; empty when none was kept (streaming).
fn example(export: &Export, tp: Timepoint, problems: &[CellProblem]) -> String {
    let columns = &export.responses[tp.index()].column_names;
    let Some(problem) = problems.iter().find(|p| columns.contains(&p.column)) else {
        return String::new();
    };
    let hint = if problem.message.contains("not a number") {
        " (answer labels or codes of the export's own? see loneliness-eval init, and [labels] or missing-codes in the config)"
    } else {
        ""
    };
    format!(
        ": e.g. {}, column {}: {:?} {}{hint}",
        short_place(export, problem.line, Some(&problem.column)),
        problem.column,
        problem.value,
        problem.message,
    )
}

/// `2001` as `2,001`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2001), "2,001");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
