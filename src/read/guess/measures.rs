//! Other measures beside the loneliness scale: columns whose names say SWEMWBS, WEMWBS, the
//! ONS question, De Jong Gierveld or the Campaign to End Loneliness tool, grouped by measure
//! and placed by timepoint, so `init` can write a `[[measures]]` entry for each.

use super::words::{has, has_phrase, timepoint_of_tokens};
use crate::model::Timepoint;
use crate::read::{parse_cell, Cell};
use crate::scale::ScaleTable;
use std::collections::BTreeMap;

/// A measure `init` found, for a `[[measures]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureGuess {
    /// Its name (a folder of the results): the scale's.
    pub name: String,
    /// The built-in scale.
    pub scale: String,
    /// Why this scale.
    pub reason: String,
    /// Whether a person should check the scale.
    pub unsure: bool,
    /// Expected column name (`pre_q1`, `post_score`) → header.
    pub columns: Vec<(String, String)>,
}

/// A family of measures named by the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    /// SWEMWBS by name.
    Swemwbs,
    /// WEMWBS by name.
    Wemwbs,
    /// "Warwick-Edinburgh": either form, told apart by the items.
    Warwick,
    /// The ONS loneliness question.
    OnsDirect,
    /// One of the ONS personal wellbeing questions (its index in [`ONS4`]).
    Ons4(usize),
    DeJongGierveld,
    Cel,
}

/// The ONS4 questions' scales and the words that name them.
const ONS4: [(&str, &[&str]); 4] = [
    ("ons4_life_satisfaction", &["satisfied", "satisfaction"]),
    ("ons4_worthwhile", &["worthwhile"]),
    ("ons4_happy", &["happy"]),
    ("ons4_anxious", &["anxious", "anxiety"]),
];

impl Family {
    /// The family a column name's words name, and the word after which a number is an item
    /// number (`SWEMWBS3`), if any.
    fn of(t: &[String]) -> Option<(Family, Option<&'static str>)> {
        let any = |words: &[&str]| words.iter().any(|w| has(t, w));
        let ons = has(t, "ons");
        // The ONS4 questions, by "ons" or by their own wording ("happy yesterday").
        for (k, (_, words)) in ONS4.iter().enumerate() {
            let worded = match k {
                0 => has(t, "life") && any(words),
                1 => any(words),
                _ => any(words) && has(t, "yesterday"),
            };
            if (ons && any(words)) || worded {
                return Some((Family::Ons4(k), None));
            }
        }
        // The loneliness question: "ons" with its words, or "How often do you feel lonely?".
        let lonely = any(&["lonely", "loneliness"]);
        if (ons && (lonely || has(t, "direct"))) || (lonely && has(t, "often") && !has(t, "ucla")) {
            return Some((Family::OnsDirect, None));
        }
        if has(t, "swemwbs") {
            return Some((Family::Swemwbs, Some("swemwbs")));
        }
        if has(t, "wemwbs") {
            return Some((Family::Wemwbs, Some("wemwbs")));
        }
        if has(t, "warwick") {
            return Some((Family::Warwick, None));
        }
        if any(&["djg", "gierveld", "dejong"]) || has_phrase(t, &["de", "jong"]) {
            return Some((Family::DeJongGierveld, None));
        }
        if has(t, "cel") {
            return Some((Family::Cel, Some("cel")));
        }
        None
    }

    /// The family's name for messages.
    fn name(self) -> &'static str {
        match self {
            Family::Swemwbs => "SWEMWBS",
            Family::Wemwbs => "WEMWBS",
            Family::Warwick => "Warwick-Edinburgh",
            Family::OnsDirect => "the ONS loneliness question",
            Family::Ons4(k) => ONS4[k].0,
            Family::DeJongGierveld => "De Jong Gierveld",
            Family::Cel => "CEL",
        }
    }

    /// The built-in scale for `items` item columns per timepoint (`None`: totals only), given
    /// the largest answer or total seen, why, and whether a person should check it.
    fn scale(self, items: Option<usize>, largest: f64) -> Option<(&'static str, String, bool)> {
        let (name, why, unsure) = match (self, items) {
            (Family::Swemwbs | Family::Wemwbs | Family::Warwick, Some(7)) => {
                ("swemwbs", "7 items", false)
            }
            (Family::Wemwbs | Family::Warwick, Some(14)) => ("wemwbs", "14 items", false),
            (Family::Swemwbs, None) => ("swemwbs", "SWEMWBS totals", false),
            (Family::Wemwbs, None) => ("wemwbs", "WEMWBS totals", false),
            // "Warwick-Edinburgh" totals: the form by their range, to be checked.
            (Family::Warwick, None) if largest <= 35.0 => (
                "swemwbs",
                "Warwick-Edinburgh totals up to 35, so the 7-item form",
                true,
            ),
            (Family::Warwick, None) => (
                "wemwbs",
                "Warwick-Edinburgh totals above 35, so the 14-item form",
                true,
            ),
            (Family::OnsDirect, None) => ("ons_direct", "the ONS loneliness question", false),
            (Family::Ons4(k), None) => (ONS4[k].0, "an ONS personal wellbeing question", false),
            (Family::DeJongGierveld, Some(6)) if largest > 3.0 => {
                ("djg6_5pt", "6 items, answers up to 5", false)
            }
            (Family::DeJongGierveld, Some(6)) => ("djg6", "6 items", false),
            (Family::DeJongGierveld, Some(11)) if largest > 3.0 => {
                ("djg11_5pt", "11 items, answers up to 5", false)
            }
            (Family::DeJongGierveld, Some(11)) => ("djg11", "11 items", false),
            (Family::DeJongGierveld, None) if largest <= 6.0 => ("djg6", "totals up to 6", true),
            (Family::DeJongGierveld, None) => ("djg11", "totals above 6", true),
            (Family::Cel, Some(3) | None) => ("cel", "the Campaign to End Loneliness tool", false),
            _ => return None,
        };
        Some((name, why.to_string(), unsure))
    }
}

/// A column of a family: its timepoint, and its item number (`None`: a total or a single
/// question). `word`: the word after which a number is an item (`SWEMWBS3_pre`), for
/// families whose names carry no form's length (`djg6`, `ons4` do).
fn place(
    t: &[String],
    family: Family,
    word: Option<&str>,
    zero_based: bool,
) -> Option<(Timepoint, Option<u32>)> {
    let tp = timepoint_of_tokens(t).or_else(|| {
        let wave = wave_of(t)?;
        let first = u32::from(!zero_based);
        [Timepoint::Pre, Timepoint::Post, Timepoint::Followup]
            .get(wave.checked_sub(first)? as usize)
            .copied()
    })?;
    if matches!(family, Family::OnsDirect | Family::Ons4(_)) {
        return Some((tp, None));
    }
    let number_after = |k: usize| t.get(k + 1).and_then(|n| n.parse::<u32>().ok());
    let mut item = None;
    for (k, tok) in t.iter().enumerate() {
        match tok.as_str() {
            "q" | "item" | "question" | "qu" => item = item.or(number_after(k)),
            w if Some(w) == word => item = item.or(number_after(k)),
            _ => {}
        }
    }
    let total = ["score", "total", "sum"].iter().any(|w| has(t, w));
    Some((tp, if total { None } else { item }))
}

/// A wave number (`T1`, `time 2`, `wave 3`): numbered from 1 (or from 0 when some column
/// has a wave 0) as referral, end of support, follow-up.
fn wave_of(t: &[String]) -> Option<u32> {
    t.windows(2).find_map(|w| {
        ["t", "time", "wave", "w"]
            .contains(&w[0].as_str())
            .then(|| w[1].parse::<u32>().ok())
            .flatten()
    })
}

/// The other measures in a wide export's columns (`used`: columns already taken), each with
/// its columns and scale; a family whose columns do not make whole timepoints is left out.
pub(super) fn other_measures(
    header: &[String],
    token_lists: &[Vec<String>],
    column_values: &dyn Fn(usize) -> Vec<String>,
    used: &[usize],
) -> (Vec<MeasureGuess>, Vec<String>) {
    let mut columns: BTreeMap<Family, Vec<(usize, Timepoint, Option<u32>)>> = BTreeMap::new();
    let mut unplaced: BTreeMap<Family, Vec<usize>> = BTreeMap::new();
    let zero_based = token_lists
        .iter()
        .any(|t| Family::of(t).is_some() && wave_of(t) == Some(0));
    for (c, t) in token_lists.iter().enumerate() {
        if used.contains(&c) {
            continue;
        }
        let Some((family, word)) = Family::of(t) else {
            continue;
        };
        match place(t, family, word, zero_based) {
            Some((tp, item)) => columns.entry(family).or_default().push((c, tp, item)),
            None => unplaced.entry(family).or_default().push(c),
        }
    }
    let table = ScaleTable::builtin();
    let mut found = Vec::new();
    let mut checks = Vec::new();
    // Columns of a measure whose timepoint their names do not say are said, never dropped.
    for (family, cols) in &unplaced {
        let names: Vec<String> = cols
            .iter()
            .map(|&c| format!("{:?}", header[c].trim()))
            .collect();
        checks.push(format!(
            "columns of {} whose timepoint the name does not say: {} (map them in a [[measures]] entry's columns, e.g. pre_score = \"...\"; see README, Several measures in one run)",
            family.name(),
            names.join(", ")
        ));
    }
    for (family, cols) in columns {
        // Items per timepoint when every placed timepoint has items 1..k; else one total.
        let mut items: BTreeMap<Timepoint, BTreeMap<u32, usize>> = BTreeMap::new();
        let mut totals: BTreeMap<Timepoint, usize> = BTreeMap::new();
        for &(c, tp, item) in &cols {
            match item {
                Some(k) => {
                    items.entry(tp).or_default().entry(k).or_insert(c);
                }
                None => {
                    totals.entry(tp).or_insert(c);
                }
            }
        }
        let counts: Vec<usize> = items.values().map(BTreeMap::len).collect();
        let whole = !items.is_empty()
            && counts.windows(2).all(|w| w[0] == w[1])
            && items
                .values()
                .all(|i| i.keys().copied().eq(1..=i.len() as u32));
        let chosen: Vec<(String, usize)> = if whole {
            items
                .iter()
                .flat_map(|(tp, i)| {
                    i.iter()
                        .map(move |(k, &c)| (format!("{}_q{k}", tp.name()), c))
                })
                .collect()
        } else {
            totals
                .iter()
                .map(|(tp, &c)| (format!("{}_score", tp.name()), c))
                .collect()
        };
        let names: Vec<String> = cols
            .iter()
            .map(|&(c, ..)| format!("{:?}", header[c].trim()))
            .collect();
        let listed = match names.as_slice() {
            [first, .., last] if names.len() > 3 => {
                format!("{} columns, {first} .. {last}", names.len())
            }
            _ => names.join(", "),
        };
        let has_tp = |prefix: &str| chosen.iter().any(|(k, _)| k.starts_with(prefix));
        let timepoints = [has_tp("pre_"), has_tp("post_"), has_tp("followup_")]
            .iter()
            .filter(|&&b| b)
            .count();
        let largest = chosen
            .iter()
            .flat_map(|&(_, c)| column_values(c))
            .filter_map(|v| match parse_cell(&v) {
                Cell::Number(x) => Some(x),
                _ => None,
            })
            .fold(f64::NEG_INFINITY, f64::max);
        let scale = family.scale(whole.then(|| counts[0]), largest);
        if timepoints == 1 {
            checks.push(format!(
                "{}: one timepoint's scores only ({listed}), so no change can be computed: map the others in its [[measures]] entry",
                family.name()
            ));
        }
        match (timepoints > 0, scale) {
            (true, Some((scale, why, unsure))) => {
                let known = table.get(scale).is_ok();
                debug_assert!(known, "{scale} is a built-in scale");
                if unsure {
                    checks.push(format!("{scale}: {why} ({listed}); check the form"));
                }
                found.push(MeasureGuess {
                    name: scale.to_string(),
                    scale: scale.to_string(),
                    reason: format!("{why} ({listed})"),
                    unsure,
                    columns: chosen
                        .into_iter()
                        .map(|(k, c)| (k, header[c].trim().to_string()))
                        .collect(),
                });
            }
            _ => checks.push(format!(
                "columns of another measure not placed by timepoint and item: {listed} (map them in a [[measures]] entry; see README, Several measures in one run)"
            )),
        }
    }
    (found, checks)
}
