//! Other measures beside the loneliness scale: columns whose names say SWEMWBS, WEMWBS, the
//! ONS question, De Jong Gierveld or the Campaign to End Loneliness tool, grouped by measure
//! and placed by timepoint, so `init` can write a `[[measures]]` entry for each.

use super::words::{has, timepoint_of_tokens};
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
    Wemwbs,
    OnsDirect,
    DeJongGierveld,
    Cel,
}

impl Family {
    /// The family a column name's words name, and the word that named it.
    fn of(t: &[String]) -> Option<(Family, &'static str)> {
        const WORDS: [(&str, Family); 8] = [
            ("swemwbs", Family::Wemwbs),
            ("wemwbs", Family::Wemwbs),
            ("warwick", Family::Wemwbs),
            ("ons", Family::OnsDirect),
            ("djg", Family::DeJongGierveld),
            ("gierveld", Family::DeJongGierveld),
            ("dejong", Family::DeJongGierveld),
            ("cel", Family::Cel),
        ];
        // The ONS question in words: "How often do you feel lonely?".
        if has(t, "lonely") && has(t, "often") && !has(t, "ucla") {
            return Some((Family::OnsDirect, "lonely"));
        }
        WORDS.iter().find(|(w, _)| has(t, w)).map(|&(w, f)| (f, w))
    }

    /// The built-in scale for `items` item columns per timepoint (`None`: totals only), given
    /// the largest answer or total seen.
    fn scale(self, items: Option<usize>, largest: f64) -> Option<(&'static str, String)> {
        let (name, why) = match (self, items) {
            (Family::Wemwbs, Some(7)) => ("swemwbs", "7 items"),
            (Family::Wemwbs, Some(14)) => ("wemwbs", "14 items"),
            (Family::Wemwbs, None) if largest <= 35.0 => ("swemwbs", "totals up to 35"),
            (Family::Wemwbs, None) => ("wemwbs", "totals above 35"),
            (Family::OnsDirect, None) => ("ons_direct", "one answer per timepoint"),
            (Family::DeJongGierveld, Some(6)) if largest > 3.0 => {
                ("djg6_5pt", "6 items, answers up to 5")
            }
            (Family::DeJongGierveld, Some(6)) => ("djg6", "6 items"),
            (Family::DeJongGierveld, Some(11)) if largest > 3.0 => {
                ("djg11_5pt", "11 items, answers up to 5")
            }
            (Family::DeJongGierveld, Some(11)) => ("djg11", "11 items"),
            (Family::DeJongGierveld, None) if largest <= 6.0 => ("djg6", "totals up to 6"),
            (Family::DeJongGierveld, None) => ("djg11", "totals above 6"),
            (Family::Cel, Some(3) | None) => ("cel", "the Campaign to End Loneliness tool"),
            _ => return None,
        };
        Some((name, why.to_string()))
    }
}

/// A column of a family: its timepoint, and its item number (`None`: a total).
fn place(t: &[String], word: &str) -> Option<(Timepoint, Option<u32>)> {
    let tp = timepoint_of_tokens(t)?;
    let number_after = |k: usize| t.get(k + 1).and_then(|n| n.parse::<u32>().ok());
    let mut item = None;
    for (k, tok) in t.iter().enumerate() {
        match tok.as_str() {
            "q" | "item" | "question" | "qu" => item = item.or(number_after(k)),
            // `SWEMWBS1_pre`: the number after the measure's word, unless it names the form
            // (`ons4`, `djg6`, `djg11`: the item count, not an item).
            w if w == word => {
                item = item.or(number_after(k).filter(|_| !["djg", "ons"].contains(&word)))
            }
            _ => {}
        }
    }
    let total = ["score", "total", "sum"].iter().any(|w| has(t, w));
    Some((tp, if total { None } else { item }))
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
    for (c, t) in token_lists.iter().enumerate() {
        if used.contains(&c) {
            continue;
        }
        let Some((family, word)) = Family::of(t) else {
            continue;
        };
        if let Some((tp, item)) = place(t, word) {
            columns.entry(family).or_default().push((c, tp, item));
        }
    }
    let table = ScaleTable::builtin();
    let mut found = Vec::new();
    let mut checks = Vec::new();
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
        let timepoints = chosen
            .iter()
            .filter(|(k, _)| k.starts_with("pre_") || k.starts_with("post_"))
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
        match (timepoints > 0, scale) {
            (true, Some((scale, why))) => {
                let known = table.get(scale).is_ok();
                debug_assert!(known, "{scale} is a built-in scale");
                found.push(MeasureGuess {
                    name: scale.to_string(),
                    scale: scale.to_string(),
                    reason: format!("{why} ({listed})"),
                    unsure: false,
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
