//! Which columns hold what, decided from the header before any row is read: the id, the
//! grouping columns, each timepoint's total or items, or a long layout's timepoint column.

use super::*;

/// Which columns hold what, decided from the header before any row is read.
#[derive(Clone)]
pub(super) struct Plan {
    pub(super) layout: Layout,
    pub(super) id: usize,
    pub(super) timepoint: Option<usize>,
    pub(super) groups: Vec<usize>,
    pub(super) sources: [Option<Source>; 3],
    /// Each timepoint's date column (a long layout's assessment date serves all three).
    pub(super) dates: [Option<usize>; 3],
    pub(super) notices: Vec<String>,
    pub(super) vocabulary: vocabulary::Resolved,
}

/// Whether `key` is a column name the reader looks for, so `--column key=...` can take effect.
pub(super) fn is_expected_column(key: &str, by: &[String]) -> bool {
    let key = key.trim().to_ascii_lowercase();
    let fixed = [
        "id",
        "timepoint",
        "score",
        "pre_score",
        "post_score",
        "followup_score",
        "pre_date",
        "post_date",
        "followup_date",
        "assessment_date",
    ];
    let item = |rest: &str| {
        rest.strip_prefix('q')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    fixed.contains(&key.as_str())
        || by
            .iter()
            .any(|b| dates::Period::split(b).0.eq_ignore_ascii_case(&key))
        || item(&key)
        || ["pre_", "post_", "followup_"]
            .iter()
            .any(|p| key.strip_prefix(p).is_some_and(item))
}

/// Whether a `--column` key looks like one of the score, timepoint or id columns (so that a
/// key that is none of them is a typo, not a grouping column).
fn looks_like_score_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    ["score", "pre", "post", "follow", "time", "item"]
        .iter()
        .any(|w| key.contains(w))
        || key == "id"
        || key.split('_').any(|part| {
            part.strip_prefix('q')
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
}

impl Plan {
    pub(super) fn new(header: &Header, options: &ReadOptions) -> Result<Plan, String> {
        let found = || format!("columns found: {}", header.names.join(", "));
        for key in options.renames.keys() {
            // A grouping column this run does not group by (a config written for `--by
            // trigger_group,location` used with `--by ""`) is a mapping not used, not an
            // error; a key that looks like a score or timepoint column but is none is a typo.
            if !is_expected_column(key, &options.by) && looks_like_score_key(key) {
                return Err(format!(
                    "--column {key}=...: {key:?} is not a column this tool reads (expected id, pre_score, post_score, followup_score, pre_q1.., timepoint, score, q1.. or a --by column)"
                ));
            }
        }
        if let Some((key, wanted)) = header.dangling_renames().first() {
            return Err(format!(
                "--column {key}={wanted:?}: no column {wanted:?} in the header; {}",
                found()
            ));
        }
        // Collect every missing column before reporting, so one run shows all of them.
        let mut problems: Vec<String> = Vec::new();
        let id = header.find("id");
        if id.is_none() {
            let hint = header
                .suggest("id")
                .map(|s| format!(" (did you mean {s:?}? use --column id={s:?})"))
                .unwrap_or_default();
            problems.push(format!("no id column{hint}"));
        }
        let mut groups = Vec::new();
        for b in &options.by {
            // `referral_date:quarter` groups by a date column's quarter.
            let b = dates::Period::split(b).0;
            match header.find(b) {
                Some(c) => groups.push(c),
                None if !options.by_option.is_empty() => {
                    let flag = options.by_option;
                    let hint = match header.suggest(b) {
                        Some(s) => format!(" (did you mean {s:?}? use --column {b}={s:?})"),
                        None => String::new(),
                    };
                    problems.push(format!("no {b} column, named by {flag}{hint}"));
                }
                None => {
                    let hint = match header.suggest(b) {
                        Some(s) => format!(" (did you mean {s:?}? use --column {b}={s:?} or --by {s:?})"),
                        None => " (name another column with --by, or --by \"\" for the whole sample only)".into(),
                    };
                    problems.push(format!("no {b} column for --by{hint}"));
                }
            }
        }
        let timepoint = header.find("timepoint");
        let mut notices = Vec::new();
        let by_date = options.vocabulary.order_by_date;
        if let (true, Some(c)) = (by_date, timepoint) {
            problems.push(format!(
                "order-by-date places assessments that have no timepoint column, but {:?} is one: map its values in [timepoints] instead, or leave order-by-date out",
                header.names[c]
            ));
        }
        let layout = if timepoint.is_some() || by_date {
            Layout::Long
        } else {
            Layout::Wide
        };
        let sources = match layout {
            Layout::Long => match header.long_source(options.item_count) {
                Ok(Some(source)) => [Some(source.clone()), Some(source.clone()), Some(source)],
                Ok(None) => {
                    problems.push("long layout (a timepoint column) but no score column: expected score or q1..qK".into());
                    [None, None, None]
                }
                Err(e) => return Err(e),
            },
            Layout::Wide => {
                let sources = header.wide_sources(options.item_count)?;
                if sources.iter().all(Option::is_none) {
                    let hint = header
                        .suggest("pre_score")
                        .map(|s| format!(" (did you mean {s:?}? use --column pre_score={s:?})"))
                        .unwrap_or_default();
                    problems.push(format!(
                        "no score columns: expected pre_score, post_score, followup_score, or pre_q1.. items, or a timepoint column for the long layout{hint}"
                    ));
                }
                for tp in Timepoint::ALL {
                    let total = format!("{}_score", tp.name());
                    if matches!(sources[tp.index()], Some(Source::Items(_)))
                        && header.find_score(&total).is_some()
                    {
                        notices.push(format!(
                            "{total} ignored: {} is scored from its item columns",
                            tp.name()
                        ));
                    }
                }
                sources
            }
        };
        let vocabulary = vocabulary::Resolved::new(&options.vocabulary, header, &options.by)?;
        let dates = match layout {
            Layout::Wide => Timepoint::ALL.map(|tp| header.find(&format!("{}_date", tp.name()))),
            Layout::Long => {
                [header
                    .find("assessment_date")
                    .or_else(|| header.find("date")); 3]
            }
        };
        if by_date && dates[0].is_none() {
            problems.push(
                "order-by-date needs the assessments' dates: no assessment_date (or date) column; map yours in [columns] (assessment_date = \"...\")".into(),
            );
        }
        match id {
            Some(id) if problems.is_empty() => Ok(Plan {
                layout,
                id,
                timepoint,
                groups,
                sources,
                dates,
                notices,
                vocabulary,
            }),
            _ => Err(format!("{}; {}", problems.join("; "), found())),
        }
    }
}
