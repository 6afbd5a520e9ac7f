//! Guessing what an unknown export holds, from its header and first rows, for `init`: which
//! column is the id, the grouping columns, each timepoint's items or total (wide) or the
//! timepoint column and the scores (long); the scale; answer labels, missing codes and
//! timepoint values in the export's own words; grouping values that are one group spelt
//! differently; test and total rows; date columns. Each guess says how sure it is, and where
//! unsure it leaves the safe choice (a value unmapped stays invalid or excluded, and counted).

mod measures;
mod words;

use crate::read::dates::DateFormat;
pub use measures::MeasureGuess;
pub use words::{timepoint_word, tokens};

use super::sample::Sample;
use super::vocabulary::normalise_words;
use super::{is_excel_error, parse_cell, Cell, Layout};
use crate::model::Timepoint;
use crate::scale::{Scale, ScaleTable};
use std::collections::BTreeMap;
use words::*;

/// What `init` decided, with the evidence for each decision.
#[derive(Debug, Clone, Default)]
pub struct Guess {
    /// Wide or long.
    pub layout: Option<Layout>,
    /// Expected column name → header name, for the config's `[columns]`, in reading order.
    pub columns: Vec<(String, String)>,
    /// Grouping columns found (expected names: `trigger_group`, `location`).
    pub by: Vec<String>,
    /// The scale and why.
    pub scale: String,
    /// Why this scale, and whether unsure.
    pub scale_reason: String,
    /// Whether the scale guess is unsure.
    pub scale_unsure: bool,
    /// Answer labels seen in item columns and their codes, with counts.
    pub labels: Vec<(String, f64, usize)>,
    /// Text in score columns that is neither a label nor a missing code (stays invalid).
    pub unknown_text: Vec<(String, usize)>,
    /// Text in score columns that reads as "no answer" (for `missing-codes`), with counts.
    pub missing_words: Vec<(String, usize)>,
    /// Numbers that mean "no answer" in every score column (outside all their valid
    /// ranges), with counts.
    pub missing_numbers: Vec<(String, usize)>,
    /// Missing codes of one column (header), with counts: numeric sentinels outside a score
    /// column's valid range (but inside another's), "Unknown" in a grouping column.
    pub sentinels: BTreeMap<String, Vec<(String, usize)>>,
    /// Long layout: each timepoint value, what it maps to, its rows and whether guessed.
    pub timepoints: Vec<TimepointValue>,
    /// Per grouping column (expected name): (spelling, canonical spelling, rows of it).
    pub recode: BTreeMap<String, Vec<(String, String, usize)>>,
    /// Exclusion rules per column (header): (pattern, rows matched, why).
    pub exclude: BTreeMap<String, Vec<(String, usize, String)>>,
    /// Date columns, their format and what each dates.
    pub dates: Vec<DateColumn>,
    /// Long layout without a timepoint column: ids repeat and a date column orders them.
    pub order_by_date: bool,
    /// Excel error values seen.
    pub excel_errors: usize,
    /// Other columns that could group the results (header, distinct values).
    pub other_groups: Vec<(String, usize)>,
    /// What a person should check.
    pub checks: Vec<String>,
    /// Two or more measures (the loneliness scale's and others named by their words, such
    /// as `swemwbs_pre_q1`): each a `[[measures]]` entry, their score columns not in
    /// `columns`. Empty with one measure.
    pub measures: Vec<MeasureGuess>,
}

/// A date column `init` found.
#[derive(Debug, Clone, PartialEq)]
pub struct DateColumn {
    /// Header name.
    pub header: String,
    /// How its values are written.
    pub format: DateFormat,
    /// The expected name it was given (`pre_date`, `assessment_date`), or `None` when it
    /// dates something else (a birth date) or its timepoint is unclear.
    pub role: Option<&'static str>,
}

/// Gives date columns their expected names: in a wide layout the timepoint a name says
/// (`Referral Date` → pre_date, `Date of closure` → post_date); in a long layout the one
/// date column of the assessment (a birth date is never one).
fn assign_date_roles(g: &mut Guess, header: &[String], token_lists: &[Vec<String>]) {
    let tokens_of = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .map(|c| token_lists[c].clone())
            .unwrap_or_default()
    };
    let mut taken: Vec<&'static str> = Vec::new();
    for k in 0..g.dates.len() {
        let t = tokens_of(&g.dates[k].header);
        if has(&t, "birth") || has(&t, "dob") || has(&t, "born") {
            continue;
        }
        let role = match g.layout {
            Some(Layout::Long) => Some("assessment_date"),
            _ => timepoint_of_tokens(&t).map(|tp| match tp {
                Timepoint::Pre => "pre_date",
                Timepoint::Post => "post_date",
                Timepoint::Followup => "followup_date",
            }),
        };
        if let Some(role) = role.filter(|r| !taken.contains(r)) {
            taken.push(role);
            g.dates[k].role = Some(role);
            if !g.dates[k].header.eq_ignore_ascii_case(role) {
                g.columns
                    .push((role.to_string(), g.dates[k].header.clone()));
            }
        }
    }
}

/// The loneliness scale's guess and the other measures found: one measure stays the run's
/// scale; with several, each (the loneliness scale first) becomes a `[[measures]]` entry
/// holding its score columns.
fn join_measures(g: &mut Guess, others: Vec<MeasureGuess>, has_scores: bool) {
    if others.is_empty() {
        return;
    }
    if !has_scores && others.len() == 1 {
        // The export's one measure is another scale: the run's scale, as a single run.
        let m = others.into_iter().next().expect("one measure");
        g.checks
            .retain(|c| !c.starts_with("no score column") && !c.starts_with("scale: no score"));
        g.scale = m.scale;
        g.scale_reason = m.reason;
        g.scale_unsure = m.unsure;
        g.columns.extend(m.columns);
        return;
    }
    let mut measures = Vec::new();
    if has_scores {
        let (scores, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut g.columns)
            .into_iter()
            .partition(|(k, _)| super::is_score_key(k));
        g.columns = rest;
        measures.push(MeasureGuess {
            name: g.scale.clone(),
            scale: g.scale.clone(),
            reason: g.scale_reason.clone(),
            unsure: g.scale_unsure,
            columns: scores,
        });
    } else {
        g.checks
            .retain(|c| !c.starts_with("no score column") && !c.starts_with("scale: no score"));
    }
    measures.extend(others);
    // A number that reads as "no answer" beside the loneliness scale's answers may be a valid
    // answer of another measure: not a missing code for the whole export then.
    let table = ScaleTable::builtin();
    let valid_in = |scale: &str, x: f64| {
        table.get(scale).is_ok_and(|s| {
            let items = s.items.as_ref().is_some_and(|i| x >= i.min && x <= i.max);
            let total = s.total_range.is_some_and(|(lo, hi)| x >= lo && x <= hi);
            items || total
        })
    };
    let first_other = usize::from(has_scores);
    let (kept, valid_elsewhere): (Vec<_>, Vec<_>) = std::mem::take(&mut g.missing_numbers)
        .into_iter()
        .partition(|(code, _)| {
            let x = code.parse::<f64>().unwrap_or(f64::NAN);
            !measures[first_other..]
                .iter()
                .any(|m| valid_in(&m.scale, x))
        });
    g.missing_numbers = kept;
    for (code, n) in valid_elsewhere {
        g.checks.push(format!(
            "{code} ({n} cells) reads as \"no answer\" in {}'s columns but is a valid answer of another measure, so it is not a missing code for the whole export: add it to [column-missing-codes] for {}'s columns",
            g.scale, g.scale
        ));
    }
    // Two measures of one scale (items and a total, two forms) need names of their own.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in &mut measures {
        let n = seen.entry(m.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            m.name = format!("{}_{n}", m.name);
        }
    }
    g.checks.push(format!(
        "{} measures found ({}): each is a [[measures]] entry, analysed in one run with a results folder of its own; check each one's columns",
        measures.len(),
        measures.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
    ));
    g.measures = measures;
}

/// One value of a long layout's timepoint column.
#[derive(Debug, Clone, PartialEq)]
pub struct TimepointValue {
    /// As written (the most common spelling).
    pub value: String,
    /// `Some(Some(tp))`, `Some(None)` to ignore, `None` when not recognised (stays excluded).
    pub maps_to: Option<Option<Timepoint>>,
    /// Rows in the sample.
    pub rows: usize,
    /// Whether the tool's own aliases read it already (no mapping needed).
    pub built_in: bool,
}

/// Guesses everything `init` writes, from a sample of the export.
pub fn guess(sample: &Sample) -> Guess {
    let mut g = Guess::default();
    let header = &sample.header;
    // A name that says nothing (`q1_t0`, `v12`) is read together with its SPSS label.
    let described = |c: usize| -> String {
        match sample.labels.get(c).filter(|l| !l.trim().is_empty()) {
            Some(label) if score_name(&header[c]).is_none() => format!("{} {label}", header[c]),
            _ => header[c].clone(),
        }
    };
    let token_lists: Vec<Vec<String>> = (0..header.len()).map(|c| tokens(&described(c))).collect();
    let column_values = |c: usize| -> Vec<&str> {
        sample
            .rows
            .iter()
            .filter_map(|r| r.get(c).map(|s| s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    };

    // Score columns.
    let names: Vec<Option<ScoreName>> = (0..header.len())
        .map(|c| score_name(&described(c)))
        .collect();
    let zero_based = names.iter().flatten().any(|n| n.wave == Some(0));
    let wave_tp = |w: u32| {
        let k = if zero_based { w } else { w.saturating_sub(1) };
        [Timepoint::Pre, Timepoint::Post, Timepoint::Followup]
            .get(k as usize)
            .copied()
    };
    // Columns named by weeks after referral (`- 12 weeks`, `- 6 months`): with no column
    // named for the end of support, the earliest is the end and the next the follow-up;
    // else the earliest is the follow-up.
    let explicit_post = names
        .iter()
        .flatten()
        .any(|n| n.timepoint == Some(Timepoint::Post));
    let mut durations: Vec<u32> = names.iter().flatten().filter_map(|n| n.weeks).collect();
    durations.sort_unstable();
    durations.dedup();
    if !durations.is_empty() {
        let named: Vec<String> = durations.iter().map(|w| format!("{w} weeks")).collect();
        g.checks.push(format!(
            "timepoints named by time after referral ({}): the earliest is read as {}, the next as the follow-up",
            named.join(", "),
            if explicit_post { "the follow-up" } else { "the end of support" }
        ));
    }
    let by_weeks = |w: u32| {
        let k = durations.iter().position(|&d| d == w)?;
        let order: &[Timepoint] = if explicit_post {
            &[Timepoint::Followup]
        } else {
            &[Timepoint::Post, Timepoint::Followup]
        };
        order.get(k).copied()
    };
    let timed = |n: &ScoreName| {
        n.timepoint
            .or(n.wave.and_then(wave_tp))
            .or(n.weeks.and_then(by_weeks))
    };
    let mut wide_items: BTreeMap<Timepoint, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut wide_totals: BTreeMap<Timepoint, usize> = BTreeMap::new();
    let mut long_items: BTreeMap<u32, usize> = BTreeMap::new();
    let mut long_total: Option<usize> = None;
    for (c, name) in names.iter().enumerate() {
        let Some(n) = name else { continue };
        match (timed(n), n.item) {
            (Some(tp), Some(item)) => {
                wide_items.entry(tp).or_default().entry(item).or_insert(c);
            }
            (Some(tp), None) if n.total => {
                wide_totals.entry(tp).or_insert(c);
            }
            (None, Some(item)) => {
                long_items.entry(item).or_insert(c);
            }
            (None, None) if n.total => {
                long_total.get_or_insert(c);
            }
            _ => {}
        }
    }
    let contiguous = |items: &BTreeMap<u32, usize>| -> Option<Vec<usize>> {
        let k = items.len() as u32;
        (k > 0 && items.keys().copied().eq(1..=k)).then(|| items.values().copied().collect())
    };

    // Identifying columns, best name first.
    let used: Vec<usize> = Vec::new();
    let best = |score: &dyn Fn(&[String]) -> u32, used: &[usize]| -> Option<usize> {
        (0..header.len())
            .filter(|c| !used.contains(c) && names[*c].is_none())
            .map(|c| (score(&token_lists[c]), c))
            .filter(|&(s, _)| s > 0)
            .max_by_key(|&(s, c)| (s, std::cmp::Reverse(c)))
            .map(|(_, c)| c)
    };
    let mut used = used;
    let id = best(&id_score, &used);
    used.extend(id);
    // A long layout's timepoint column: named like one and holding timepoint words.
    let timepoint_column = (0..header.len())
        .filter(|c| !used.contains(c) && names[*c].is_none())
        .filter_map(|c| {
            let values = column_values(c);
            let mut distinct: BTreeMap<String, usize> = BTreeMap::new();
            for v in &values {
                *distinct.entry(normalise_words(v)).or_default() += 1;
            }
            if distinct.len() < 2 || distinct.len() > 40 {
                return None;
            }
            let mapped: Vec<Timepoint> = distinct
                .keys()
                .filter_map(|v| Timepoint::from_alias(v).or(timepoint_word(v).flatten()))
                .collect();
            let kinds = Timepoint::ALL
                .iter()
                .filter(|tp| mapped.contains(tp))
                .count();
            // Most rows must read as timepoints: a free-text column with a few such words
            // is not the timepoint column.
            let rows_mapped: usize = (distinct.iter())
                .filter(|(v, _)| {
                    Timepoint::from_alias(v)
                        .or(timepoint_word(v).flatten())
                        .is_some()
                })
                .map(|(_, n)| n)
                .sum();
            (kinds >= 2 && rows_mapped * 10 >= values.len() * 7)
                .then(|| (timepoint_column_score(&token_lists[c]) + kinds as u32, c))
        })
        .max_by_key(|&(s, c)| (s, std::cmp::Reverse(c)))
        .map(|(_, c)| c);
    used.extend(timepoint_column);
    let trigger = best(&trigger_score, &used);
    used.extend(trigger);
    let location = best(&location_score, &used);

    let rename = |expected: &str, c: usize, g: &mut Guess| {
        if !header[c].trim().eq_ignore_ascii_case(expected) {
            g.columns
                .push((expected.to_string(), header[c].trim().to_string()));
        }
    };
    match id {
        Some(c) => rename("id", c, &mut g),
        None => g
            .checks
            .push("no id column found: name it in [columns] (id = \"...\")".into()),
    }
    for (expected, found) in [("trigger_group", trigger), ("location", location)] {
        if let Some(c) = found {
            rename(expected, c, &mut g);
            g.by.push(expected.to_string());
        }
    }

    // Score sources: wide when scores name timepoints, long when a timepoint column exists.
    let mut score_columns: Vec<(usize, bool)> = Vec::new(); // (column, is item)
    let wide = !wide_items.is_empty() || !wide_totals.is_empty();
    let item_count;
    let long_column = timepoint_column.filter(|_| !wide);
    // No timepoint column, but one score per row, repeated ids and a date column: a long
    // layout whose dates order each person's assessments.
    let has_long_scores = long_total.is_some() || !long_items.is_empty();
    if long_column.is_none() && !wide && has_long_scores {
        let ids_repeat = id.is_some_and(|c| {
            let values = column_values(c);
            let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
            distinct.len() < values.len()
        });
        let dated = (0..header.len()).any(|c| {
            let named = token_lists[c].iter().any(|t| t == "date");
            named && date_format(&column_values(c), true).is_some()
        });
        g.order_by_date = ids_repeat && dated;
    }
    match long_column {
        None if !g.order_by_date => {
            g.layout = Some(Layout::Wide);
            let mut counts = Vec::new();
            for tp in Timepoint::ALL {
                match wide_items.get(&tp).and_then(contiguous) {
                    Some(cols) => {
                        counts.push(cols.len());
                        for (k, &c) in cols.iter().enumerate() {
                            rename(&format!("{}_q{}", tp.name(), k + 1), c, &mut g);
                            score_columns.push((c, true));
                        }
                    }
                    None => {
                        if let Some(&c) = wide_totals.get(&tp) {
                            rename(&format!("{}_score", tp.name()), c, &mut g);
                            score_columns.push((c, false));
                        }
                    }
                }
            }
            counts.dedup();
            item_count = match counts.as_slice() {
                [k] => Some(*k),
                [] => None,
                _ => {
                    g.checks.push(
                        "the timepoints have different numbers of item columns: check [columns]"
                            .into(),
                    );
                    counts.iter().max().copied()
                }
            };
            if score_columns.is_empty() {
                g.checks.push("no score columns found: name them in [columns] (pre_score = \"...\", or pre_q1 = \"...\")".into());
            }
        }
        // A long layout: named by a timepoint column, or ordered by its dates.
        timepoint => {
            g.layout = Some(Layout::Long);
            match timepoint {
                Some(c) => rename("timepoint", c, &mut g),
                None => g.checks.push("no timepoint column: each person's assessments are placed by their dates (order-by-date), the first referral, the second end of support, the third follow-up; check that this is how the scheme assesses".into()),
            }
            match contiguous(&long_items) {
                Some(cols) => {
                    for (k, &c) in cols.iter().enumerate() {
                        rename(&format!("q{}", k + 1), c, &mut g);
                        score_columns.push((c, true));
                    }
                    item_count = Some(cols.len());
                }
                None => {
                    item_count = None;
                    match long_total {
                    Some(c) => {
                        rename("score", c, &mut g);
                        score_columns.push((c, false));
                    }
                    None => g.checks.push("no score column found: name it in [columns] (score = \"...\", or q1 = \"...\")".into()),
                }
                }
            }
            if let Some(c) = timepoint {
                g.timepoints = timepoint_values(&column_values(c));
            }
        }
    }

    // The scale: by item count, or by the totals' range.
    let numbers = |items: bool| -> Vec<f64> {
        score_columns
            .iter()
            .filter(|&&(_, is_item)| is_item == items)
            .flat_map(|&(c, _)| column_values(c))
            .filter_map(|v| match parse_cell(v) {
                // Sentinels (99) are rare beside answers: the 95% rule below sees past them.
                Cell::Number(x) => Some(x),
                _ => None,
            })
            .collect()
    };
    let table = ScaleTable::builtin();
    let (scale, reason, unsure) = match item_count {
        Some(k) => {
            let values = numbers(true);
            let (lo, hi) = min_max(&values);
            let by_count = match k {
                3 => Some("ucla3"),
                8 => Some("ucla8"),
                20 => Some("ucla20"),
                _ => None,
            };
            match by_count {
                Some(name) => {
                    let s = table.get(name).expect("built-in scale");
                    let items = s.items.as_ref().expect("item scale");
                    let outside = values
                        .iter()
                        .filter(|&&x| x < items.min || x > items.max)
                        .count();
                    let reason = format!("{k} item columns per timepoint, answers {}", range_text(lo, hi, values.is_empty()));
                    if outside == 0 {
                        (name.to_string(), reason, false)
                    } else if outside * 20 <= values.len() {
                        // A few answers out of range are errors, counted as invalid.
                        let verb = if outside == 1 { "stays" } else { "stay" };
                        let what = if outside == 1 { "answer" } else { "answers" };
                        (
                            name.to_string(),
                            format!("{reason}; {outside} {what} outside {}-{} {verb} invalid", items.min, items.max),
                            false,
                        )
                    } else {
                        (name.to_string(), format!("{reason}, but {} answers are {}-{}: answers outside it stay invalid (a 0-2 coding needs its own scale)", s.name, items.min, items.max), true)
                    }
                }
                None => ("ucla3".to_string(), format!("{k} item columns per timepoint match no built-in scale: define one in [[scales]]"), true),
            }
        }
        None => {
            let values = numbers(false);
            let (lo, hi) = min_max(&values);
            // The narrowest built-in range that holds nearly all totals (a few out-of-range
            // totals are errors to count as invalid, not a sign of another scale).
            let share = |a: f64, b: f64| {
                values.iter().filter(|&&x| x >= a && x <= b).count() as f64
                    / values.len().max(1) as f64
            };
            let fitting = [
                ("ucla3", 3.0, 9.0),
                ("ucla8", 8.0, 32.0),
                ("ucla20", 20.0, 80.0),
            ]
            .into_iter()
            .find(|&(_, a, b)| !values.is_empty() && share(a, b) >= 0.95);
            match fitting {
                Some((name, a, b)) => {
                    let outside = values.iter().filter(|&&x| x < a || x > b).count();
                    let note = match outside {
                        0 => String::new(),
                        1 => format!("; 1 total outside {a}-{b} stays invalid"),
                        n => format!("; {n} totals outside {a}-{b} stay invalid"),
                    };
                    (
                        name.to_string(),
                        format!("totals {}{note}", range_text(lo, hi, false)),
                        false,
                    )
                }
                None if score_columns.is_empty() => ("ucla3".into(), "no score columns found, so the scale is the default".into(), true),
                None => ("ucla3".into(), format!("totals {} fit no built-in scale: choose one (see loneliness-eval scales); totals outside it stay invalid", range_text(lo, hi, values.is_empty())), true),
            }
        }
    };
    g.scale = scale;
    g.scale_reason = reason;
    g.scale_unsure = unsure;
    if unsure {
        g.checks.push(format!("scale: {}", g.scale_reason));
    }
    let scale: Scale = table.get(&g.scale).expect("a built-in scale");

    // Values of the score columns: labels, "no answer" words, sentinels, Excel errors.
    let mut labels: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for &(c, is_item) in &score_columns {
        let (lo, hi) = match (&scale.items, scale.total_range) {
            (Some(items), _) if is_item => (items.min, items.max),
            (_, Some(range)) => range,
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        };
        let mut sentinels: BTreeMap<String, usize> = BTreeMap::new();
        for v in column_values(c) {
            if is_excel_error(v) {
                g.excel_errors += 1;
                continue;
            }
            match parse_cell(v) {
                Cell::Number(x) if (x < lo || x > hi) && SENTINELS.contains(&x) => {
                    *sentinels.entry(format!("{x}")).or_default() += 1;
                }
                Cell::NotNumber => {
                    if let Some(code) = is_item.then(|| scale.label_code(v)).flatten() {
                        labels.entry(v.to_string()).or_insert((code, 0)).1 += 1;
                    } else if is_missing_word(v) {
                        *missing.entry(v.to_string()).or_default() += 1;
                    } else {
                        *unknown.entry(v.to_string()).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        if !sentinels.is_empty() {
            g.sentinels.insert(
                header[c].trim().to_string(),
                sentinels.into_iter().collect(),
            );
        }
    }
    // A sentinel outside every score column's range is a missing code for the whole export.
    let outside_all = |x: f64| {
        score_columns
            .iter()
            .all(|&(_, is_item)| match (&scale.items, scale.total_range) {
                (Some(items), _) if is_item => x < items.min || x > items.max,
                (_, Some((lo, hi))) => x < lo || x > hi,
                _ => false,
            })
    };
    let mut global: BTreeMap<String, usize> = BTreeMap::new();
    for codes in g.sentinels.values_mut() {
        codes.retain(|(code, n)| {
            let everywhere = code.parse::<f64>().is_ok_and(outside_all);
            if everywhere {
                *global.entry(code.clone()).or_default() += n;
            }
            !everywhere
        });
    }
    g.sentinels.retain(|_, codes| !codes.is_empty());
    g.missing_numbers = global.into_iter().collect();
    // Spellings of one label (case, spaces) as one line, under the commonest spelling.
    let mut families: BTreeMap<String, (String, f64, usize, usize)> = BTreeMap::new();
    for (label, (code, n)) in labels {
        let entry = families
            .entry(normalise_words(&label))
            .or_insert((label.clone(), code, 0, 0));
        if n > entry.3 {
            entry.0 = label;
            entry.3 = n;
        }
        entry.2 += n;
    }
    g.labels = families
        .into_values()
        .map(|(label, code, n, _)| (label, code, n))
        .collect();
    g.missing_words = missing.into_iter().collect();
    g.unknown_text = unknown.into_iter().collect();
    if !g.unknown_text.is_empty() {
        g.checks.push(format!(
            "{} distinct text value{} in score columns {} neither an answer label nor a missing code (e.g. {:?}): they stay invalid, counted; map them in [labels] or missing-codes",
            g.unknown_text.len(),
            if g.unknown_text.len() == 1 { "" } else { "s" },
            if g.unknown_text.len() == 1 { "is" } else { "are" },
            g.unknown_text[0].0
        ));
    }

    // Grouping values spelt differently, test and total rows, dates.
    for (expected, found) in [("trigger_group", trigger), ("location", location)] {
        let Some(c) = found else { continue };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut no_answer: BTreeMap<String, usize> = BTreeMap::new();
        for v in column_values(c) {
            if is_missing_word(v) {
                *no_answer.entry(v.to_string()).or_default() += 1;
            } else if !is_excel_error(v) {
                *counts.entry(v.to_string()).or_default() += 1;
            }
        }
        // "Unknown", "Prefer not to say": no group, so (missing) rather than a group of its own.
        if !no_answer.is_empty() {
            g.sentinels.insert(
                header[c].trim().to_string(),
                no_answer.into_iter().collect(),
            );
        }
        let mut families: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        for (v, n) in counts {
            families
                .entry(normalise_words(&v))
                .or_default()
                .push((v, n));
        }
        let merges: Vec<(String, String, usize)> = families
            .into_values()
            .filter(|f| f.len() > 1)
            .flat_map(|family| {
                let canonical = family
                    .iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.as_bytes().cmp(a.0.as_bytes())))
                    .map(|(v, _)| v.clone())
                    .expect("a family has members");
                family
                    .into_iter()
                    .filter(|(v, _)| *v != canonical)
                    .map(|(v, n)| (v, canonical.clone(), n))
                    .collect::<Vec<_>>()
            })
            .collect();
        if !merges.is_empty() {
            g.recode.insert(expected.to_string(), merges);
        }
    }
    let id_values = id.map(&column_values).unwrap_or_default();
    for prefix in ["test", "dummy", "demo"] {
        let n = id_values
            .iter()
            .filter(|v| normalise_words(v).starts_with(prefix))
            .count();
        if n > 0 {
            let c = id.expect("id values come from the id column");
            g.exclude
                .entry(header[c].trim().to_string())
                .or_default()
                .push((
                    format!("{}*", prefix.to_uppercase()),
                    n,
                    "ids that look like test records".into(),
                ));
        }
    }
    for c in 0..header.len() {
        if names[c].is_some() || Some(c) == id {
            continue;
        }
        let mut totals: BTreeMap<String, usize> = BTreeMap::new();
        let mut tests: BTreeMap<String, usize> = BTreeMap::new();
        // A column that flags test records (`is_test`, `Training record`): its true values.
        let flag_column = token_lists[c]
            .iter()
            .any(|t| ["test", "training", "dummy", "demo"].contains(&t.as_str()));
        for v in column_values(c) {
            let w = normalise_words(v);
            // A grouping value starting with a test word ("TRAINING", "Test site"); in any
            // other column only a value that says nothing else ("TEST RECORD"), so a note
            // such as "blood test pending" is never taken for one.
            let first_word = tokens(&w).into_iter().next().unwrap_or_default();
            let test_word =
                ["test", "testing", "training", "dummy", "demo"].contains(&first_word.as_str());
            let test_words = if Some(c) == location || Some(c) == trigger {
                test_word
            } else {
                [
                    "test",
                    "testing",
                    "training",
                    "dummy",
                    "demo",
                    "test record",
                    "training record",
                    "dummy record",
                    "test client",
                    "test data",
                    "test only",
                    "test entry",
                ]
                .contains(&w.as_str())
            };
            if ["total", "totals", "grand total", "sum", "overall total"].contains(&w.as_str()) {
                *totals.entry(v.to_string()).or_default() += 1;
            } else if flag_column && ["true", "yes", "y", "1"].contains(&w.as_str()) {
                *tests.entry(v.to_string()).or_default() += 1;
            } else if test_words {
                // "TRAINING" as a locality, "TEST RECORD" in a notes column.
                *tests.entry(v.to_string()).or_default() += 1;
            }
        }
        let rules = g.exclude.entry(header[c].trim().to_string()).or_default();
        for (v, n) in totals {
            rules.push((v, n, "a totals row, not a person".into()));
        }
        for (v, n) in tests {
            rules.push((v, n, "marks test or training records".into()));
        }
        if rules.is_empty() {
            g.exclude.remove(header[c].trim());
        }
        let values = column_values(c);
        let named_date = token_lists[c]
            .iter()
            .any(|t| ["date", "dob", "when", "on", "dated"].contains(&t.as_str()));
        if let Some(format) = date_format(&values, named_date) {
            g.dates.push(DateColumn {
                header: header[c].trim().to_string(),
                format,
                role: None,
            });
        } else if named_date && !values.is_empty() {
            g.checks.push(format!(
                "{:?} looks like a date column but its values are in no format this tool reads",
                header[c].trim()
            ));
        }
    }
    assign_date_roles(&mut g, header, &token_lists);
    // Other measures beside it (SWEMWBS, the ONS question ...), each a [[measures]] entry.
    let mut measure_columns: Vec<String> = Vec::new();
    if g.layout == Some(Layout::Wide) {
        let values = |c: usize| column_values(c).into_iter().map(String::from).collect();
        let taken: Vec<usize> = score_columns.iter().map(|&(c, _)| c).collect();
        let (others, checks) = measures::other_measures(header, &token_lists, &values, &taken);
        g.checks.extend(checks);
        measure_columns = (others.iter().flat_map(|m| &m.columns))
            .map(|(_, h)| h.clone())
            .collect();
        join_measures(&mut g, others, !score_columns.is_empty());
    }
    // Other columns that could group the results: few distinct values, most repeated.
    for c in 0..header.len() {
        let mapped = g.columns.iter().any(|(_, h)| h == header[c].trim())
            || measure_columns.iter().any(|h| h == header[c].trim());
        if names[c].is_some() || mapped || g.dates.iter().any(|d| d.header == header[c].trim()) {
            continue;
        }
        let values = column_values(c);
        let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
        for v in &values {
            *distinct.entry(v).or_default() += 1;
        }
        if (2..=50).contains(&distinct.len()) && values.len() >= 4 * distinct.len() {
            g.other_groups
                .push((header[c].trim().to_string(), distinct.len()));
        }
    }
    // Score-like columns left out: a staff total beside the items, a timepoint not placed.
    let used_scores: Vec<usize> = score_columns.iter().map(|&(c, _)| c).collect();
    let unused: Vec<String> = (0..header.len())
        .filter(|c| names[*c].is_some() && !used_scores.contains(c))
        .map(|c| format!("{:?}", header[c].trim()))
        .collect();
    if !unused.is_empty() {
        g.checks.push(format!(
            "columns that look like scores but are not used: {} (a total beside its items is ignored: the items are scored; map any other in [columns])",
            unused.join(", ")
        ));
    }
    if g.layout == Some(Layout::Wide)
        && !score_columns.is_empty()
        && !wide_items.contains_key(&Timepoint::Post)
        && !wide_totals.contains_key(&Timepoint::Post)
    {
        g.checks.push("no end-of-support (post) scores found, so there is no pre-post comparison: map them in [columns] (post_score = \"...\" or post_q1 = \"...\")".into());
    }
    if g.by.is_empty() {
        g.checks.push("no trigger group or location column found: results are for the whole sample only (add grouping columns to `by`)".into());
    }
    if !sample.complete {
        g.checks.push(format!(
            "guessed from the first {} rows: values further down are not seen here",
            sample.rows.len()
        ));
    }
    g
}

/// A long layout's timepoint values with what each maps to, commonest spelling per value.
fn timepoint_values(values: &[&str]) -> Vec<TimepointValue> {
    let mut by_words: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for v in values {
        *by_words
            .entry(normalise_words(v))
            .or_default()
            .entry(v.to_string())
            .or_default() += 1;
    }
    let mut out: Vec<TimepointValue> = by_words
        .into_values()
        .map(|spellings| {
            let rows = spellings.values().sum();
            let value = spellings
                .into_iter()
                .max_by_key(|(_, n)| *n)
                .map(|(v, _)| v)
                .expect("a spelling");
            let built_in = Timepoint::from_alias(&value).is_some();
            TimepointValue {
                maps_to: Timepoint::from_alias(&value)
                    .map(Some)
                    .or_else(|| timepoint_word(&value)),
                value,
                rows,
                built_in,
            }
        })
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(v.rows));
    out
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn range_text(lo: f64, hi: f64, empty: bool) -> String {
    if empty {
        "given as text only".into()
    } else {
        format!("{lo}-{hi}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_mentioning_a_test_is_not_a_test_record() {
        let sample = Sample {
            format: "csv",
            header: ["id", "location", "notes", "pre_score", "post_score"]
                .map(String::from)
                .to_vec(),
            rows: (0..40)
                .map(|i| {
                    let note = match i {
                        3 => "blood test pending",
                        5 => "TEST RECORD",
                        _ => "",
                    };
                    let location = if i == 7 { "TRAINING" } else { "Leeds" };
                    [
                        format!("P{i}"),
                        location.into(),
                        note.into(),
                        "6".into(),
                        "5".into(),
                    ]
                    .to_vec()
                })
                .collect(),
            complete: true,
            ..Sample::default()
        };
        let g = guess(&sample);
        let rules: Vec<(&str, &str)> = (g.exclude.iter())
            .flat_map(|(c, rules)| rules.iter().map(move |(p, _, _)| (c.as_str(), p.as_str())))
            .collect();
        assert_eq!(rules, [("location", "TRAINING"), ("notes", "TEST RECORD")]);
    }
}
