//! Scales as data: every scale, built-in or custom, is one [`ScaleDef`] entry, and scoring is
//! one set of rules applied to whichever entry is chosen.

mod apply;
pub mod range;
mod score;

pub use apply::{CellProblem, ScoreColumn, Scored, Scorer, StatusCounts};
pub use range::ValueRange;
pub use score::{score_items, score_total, ItemProblem, Score};

use crate::error::Error;
use crate::stats::paired::Better;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("builtin.toml");

/// One range of totals with a name ("lonely"), used for category columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Lowest total in the category (inclusive).
    pub min: f64,
    /// Highest total in the category (inclusive).
    pub max: f64,
    /// Name written in `scored.csv`.
    pub label: String,
}

/// How answers to some items score, when not as their codes: `scores[k]` is the score of the
/// answer coded `item_min + k` (the De Jong Gierveld scale counts "yes" and "more or less"
/// as 1 on its negatively worded items, "no" and "more or less" on its positive ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemScores {
    /// 1-based item numbers.
    pub items: Vec<usize>,
    /// Score of each answer, lowest code first.
    pub scores: Vec<f64>,
}

/// A scale definition as written in `builtin.toml` or a `[[scales]]` table of `--config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleDef {
    /// Name used with `--scale`.
    pub name: String,
    /// Human-readable title for reports.
    #[serde(default)]
    pub title: String,
    /// Short name for chart axes ("UCLA-3"); defaults to `name`.
    #[serde(default)]
    pub short: Option<String>,
    /// What higher scores mean, for axis labels ("higher = lonelier"); defaults to "higher =
    /// worse" or "higher = better" from `higher_is_worse`.
    #[serde(default)]
    pub axis_note: Option<String>,
    /// Number of items; absent for totals-only scales.
    #[serde(default)]
    pub items: Option<usize>,
    /// Lowest item response.
    #[serde(default)]
    pub item_min: Option<f64>,
    /// Highest item response.
    #[serde(default)]
    pub item_max: Option<f64>,
    /// Labels of the response options, lowest first: an item cell holding one reads as its
    /// code (`item_min`, `item_min + 1`, ...).
    #[serde(default)]
    pub item_labels: Vec<String>,
    /// Other wordings of the responses and their codes (`"hardly ever or never" = 1`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub label_aliases: std::collections::BTreeMap<String, f64>,
    /// 1-based numbers of reverse-scored items.
    #[serde(default)]
    pub reversed: Vec<usize>,
    /// Lowest valid total; defaults to items * item_min.
    #[serde(default)]
    pub total_min: Option<f64>,
    /// Highest valid total; defaults to items * item_max.
    #[serde(default)]
    pub total_max: Option<f64>,
    /// Whether totals must be whole numbers; defaults to true when items are defined.
    #[serde(default)]
    pub integer: Option<bool>,
    /// True for loneliness (a fall is an improvement), false for wellbeing measures.
    pub higher_is_worse: bool,
    /// Where the scale and its cut-offs come from.
    #[serde(default)]
    pub source: String,
    /// Named ranges of totals.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Reliability of the total (internal consistency) for the reliable change index, when
    /// published; `--reliability` overrides it.
    #[serde(default)]
    pub reliability: Option<f64>,
    /// Where that reliability comes from.
    #[serde(default)]
    pub reliability_source: Option<String>,
    /// Items whose answers score other than as their codes (beside `reversed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_scores: Vec<ItemScores>,
    /// A raw total → the score analysed, for every raw total (SWEMWBS's Rasch metric
    /// scores): `[[7, 7.00], [8, 9.51], ...]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conversion: Vec<[f64; 2]>,
    /// What a user must know: licence terms, the copyright line, pitfalls of the scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The scale's own missing-item rule: up to this many items may be missing (the default
    /// of `--max-missing-items` for this scale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_missing: Option<usize>,
    /// With `allowed_missing`, what a missing item scores (the De Jong Gierveld manual
    /// counts the lonely answers given: 0) instead of prorating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_item_score: Option<f64>,
    /// What the scale measures, for the report's words ("Wellbeing", "Anxiety"); loneliness
    /// when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// How an improved person is described ("less anxious"); "less lonely" or "better"
    /// from the direction when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improved: Option<String>,
    /// A single ordinal answer rather than a score: its mean assumes equal steps between
    /// answers, so the headline leaves the mean out and the methods say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ordinal: bool,
    /// The worse state whose share categories.csv follows, when the scale has more than two
    /// categories (DJG-6: moderately or severely lonely, 2-6; ONS4: low life satisfaction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worse: Option<Category>,
}

/// Item layout of a scale that has items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Items {
    /// Number of items.
    pub count: usize,
    /// Lowest response.
    pub min: f64,
    /// Highest response.
    pub max: f64,
    /// `reversed[i]` is true when item i + 1 is reverse-scored.
    pub reversed: Vec<bool>,
    /// `scores[i]`: the score of each answer of item i + 1 when it is not its code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<Option<Vec<f64>>>,
}

impl Items {
    /// The score of answer `v` (a valid code) to item `i` (0-based): its code, reversed, or
    /// what the scale's `item_scores` say.
    #[inline]
    pub fn score_of(&self, i: usize, v: f64) -> f64 {
        if let Some(Some(scores)) = self.scores.get(i) {
            return scores[(v - self.min) as usize];
        }
        if self.reversed[i] {
            self.min + self.max - v
        } else {
            v
        }
    }
}

/// A checked scale ready for scoring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    /// Name used with `--scale`.
    pub name: String,
    /// Human-readable title.
    pub title: String,
    /// Short name for axes.
    pub short: String,
    /// What higher scores mean.
    pub axis_note: String,
    /// Items, if responses can be given per item.
    pub items: Option<Items>,
    /// Valid range of totals; `None` means any finite number.
    pub total_range: Option<(f64, f64)>,
    /// Whether totals must be whole numbers.
    pub integer: bool,
    /// True when higher totals mean lonelier.
    pub higher_is_worse: bool,
    /// Citation for the scale.
    pub source: String,
    /// Named ranges of totals.
    pub categories: Vec<Category>,
    /// Published reliability of the total, for the reliable change index.
    pub reliability: Option<f64>,
    /// Its source.
    pub reliability_source: Option<String>,
    /// Answer labels of the items (normalised words) and their codes.
    #[serde(skip)]
    pub labels: Vec<(String, f64)>,
    /// Raw totals → analysed scores (empty: the raw total is analysed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conversion: Vec<(f64, f64)>,
    /// Licence terms and pitfalls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Items the scale's own rule lets be missing (the default of `--max-missing-items`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_missing: Option<usize>,
    /// What a missing item scores within that allowance, instead of prorating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_item_score: Option<f64>,
    /// What the scale measures, when not loneliness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// How an improved person is described, when not "less lonely" or "better".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub improved: Option<String>,
    /// A single ordinal answer (its mean only with a note).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ordinal: bool,
    /// The worse state categories.csv follows, when not one of exactly two categories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worse: Option<Category>,
}

impl Scale {
    /// The code of an item answer given as a label, matched in any case, ignoring surrounding
    /// and repeated spaces and trailing punctuation.
    pub fn label_code(&self, text: &str) -> Option<f64> {
        let words = crate::read::normalise_words(text);
        self.labels
            .iter()
            .find(|(label, _)| *label == words)
            .map(|&(_, code)| code)
    }

    /// Adds answer labels (from the config's `[labels]`): each must be a valid item code.
    pub fn add_labels(
        &mut self,
        labels: &std::collections::BTreeMap<String, f64>,
    ) -> Result<(), Error> {
        if labels.is_empty() {
            return Ok(());
        }
        let Some(items) = &self.items else {
            return Err(Error::Scale {
                name: self.name.clone(),
                why: "[labels] give item answers, but this scale takes totals only".into(),
            });
        };
        for (label, &code) in labels {
            if !(code >= items.min && code <= items.max) {
                return Err(Error::Scale {
                    name: self.name.clone(),
                    why: format!(
                        "[labels] {label:?} = {code}: outside the item range {}-{}",
                        items.min, items.max
                    ),
                });
            }
            let words = crate::read::normalise_words(label);
            self.labels.retain(|(l, _)| *l != words);
            self.labels.push((words, code));
        }
        Ok(())
    }
    /// How an improved person is described: "less lonely" (loneliness scales), "better", or
    /// the scale's own words ("less anxious").
    pub fn improved_words(&self) -> &str {
        improved_words(self.improved.as_deref(), self.higher_is_worse)
    }

    /// Direction of improvement for the statistics.
    pub fn better(&self) -> Better {
        if self.higher_is_worse {
            Better::Lower
        } else {
            Better::Higher
        }
    }

    /// The category a total falls in, if any.
    /// On an integer scale a band `min..=max` holds every total in `[min, max + 1)`, so a
    /// prorated total such as 34.7 falls in the band of 34 rather than in none.
    pub fn category(&self, total: f64) -> Option<&str> {
        let upper = |c: &Category| {
            if self.integer {
                total < c.max + 1.0
            } else {
                total <= c.max
            }
        };
        self.categories
            .iter()
            .find(|c| total >= c.min && upper(c))
            .map(|c| c.label.as_str())
    }

    /// The analysed score of a raw total: itself, or its converted score (`None` when the
    /// conversion has no such raw total).
    pub fn convert(&self, raw: f64) -> Option<f64> {
        if self.conversion.is_empty() {
            return Some(raw);
        }
        self.conversion
            .iter()
            .find(|&&(r, _)| r == raw)
            .map(|&(_, converted)| converted)
    }

    /// A total column's value as the analysed score: a whole raw total converted, or a value
    /// that is already a converted score (to two decimals), as exports holding the metric
    /// score write it. `None` when it is neither.
    pub fn analysed_total(&self, value: f64) -> Option<f64> {
        if self.conversion.is_empty() {
            return Some(value);
        }
        if crate::stats::is_whole(value) {
            return self.convert(value);
        }
        self.conversion
            .iter()
            .find(|&&(_, converted)| (converted - value).abs() < 0.005)
            .map(|&(_, converted)| converted)
    }

    /// Short description of the valid totals, for messages ("3-9").
    pub fn total_range_text(&self) -> String {
        match self.total_range {
            Some((lo, hi)) => format!("{lo}-{hi}"),
            None => "any number".to_string(),
        }
    }

    fn from_def(def: ScaleDef) -> Result<Scale, Error> {
        let bad = |why: String| Error::Scale {
            name: def.name.clone(),
            why,
        };
        let items = match def.items {
            Some(0) => {
                return Err(bad(
                    "items = 0: leave `items` out for a totals-only scale".into()
                ))
            }
            None => None,
            Some(count) => {
                let (Some(min), Some(max)) = (def.item_min, def.item_max) else {
                    return Err(bad("a scale with items needs item_min and item_max".into()));
                };
                if !(min.is_finite() && max.is_finite() && min < max) {
                    return Err(bad(format!("item_min {min} must be below item_max {max}")));
                }
                let mut reversed = vec![false; count];
                for &r in &def.reversed {
                    if r == 0 || r > count {
                        return Err(bad(format!(
                            "reversed item {r} is not between 1 and {count}"
                        )));
                    }
                    reversed[r - 1] = true;
                }
                let mut scores = vec![None; count];
                let answers = (max - min + 1.0) as usize;
                for group in &def.item_scores {
                    if group.scores.len() != answers {
                        return Err(bad(format!(
                            "item_scores for items {:?} give {} scores for the {answers} answers {min}-{max}",
                            group.items,
                            group.scores.len()
                        )));
                    }
                    for &i in &group.items {
                        if i == 0 || i > count || reversed[i - 1] || scores[i - 1].is_some() {
                            return Err(bad(format!(
                                "item_scores item {i} is not an item between 1 and {count} scored once"
                            )));
                        }
                        scores[i - 1] = Some(group.scores.clone());
                    }
                }
                if scores.iter().all(Option::is_none) {
                    scores.clear();
                }
                Some(Items {
                    count,
                    min,
                    max,
                    reversed,
                    scores,
                })
            }
        };
        if items.is_none() && (!def.reversed.is_empty() || !def.item_scores.is_empty()) {
            return Err(bad("reversed items and item_scores need `items`".into()));
        }
        if let (Some(allowed), Some(items)) = (def.allowed_missing, &items) {
            if allowed >= items.count {
                return Err(bad(format!(
                    "allowed_missing {allowed} must be below the {} items",
                    items.count
                )));
            }
        }
        if def.missing_item_score.is_some() && def.allowed_missing.is_none() {
            return Err(bad("missing_item_score needs allowed_missing".into()));
        }
        let conversion: Vec<(f64, f64)> = def.conversion.iter().map(|&[r, c]| (r, c)).collect();
        if conversion
            .windows(2)
            .any(|w| !(w[0].0 < w[1].0 && w[0].1 < w[1].1))
        {
            return Err(bad(
                "conversion must list raw totals and their scores both increasing".into(),
            ));
        }
        let derived = items
            .as_ref()
            .map(|i| (i.count as f64 * i.min, i.count as f64 * i.max));
        let total_range = match (def.total_min, def.total_max, derived) {
            (Some(lo), Some(hi), _) => Some((lo, hi)),
            (None, None, d) => d,
            (lo, hi, Some((dlo, dhi))) => Some((lo.unwrap_or(dlo), hi.unwrap_or(dhi))),
            (_, _, None) => return Err(bad("give both total_min and total_max".into())),
        };
        if let Some((lo, hi)) = total_range {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(bad(format!("total_min {lo} must be below total_max {hi}")));
            }
        }
        // Every possible raw total needs its converted score, or a person's valid answers
        // would become an invalid score with no reason a reader could act on.
        if let (false, Some((lo, hi))) = (conversion.is_empty(), total_range) {
            let whole = |x: f64| crate::stats::is_whole(x);
            if !(whole(lo) && whole(hi)) || hi - lo > 100_000.0 {
                return Err(bad(format!(
                    "a conversion needs whole raw totals, but the totals run {lo}-{hi}"
                )));
            }
            let mut raw = lo;
            while raw <= hi {
                if !conversion.iter().any(|&(r, _)| r == raw) {
                    return Err(bad(format!(
                        "conversion has no score for the raw total {raw}; list every raw total from {lo} to {hi}"
                    )));
                }
                raw += 1.0;
            }
        }
        for (i, c) in def.categories.iter().enumerate() {
            if c.min > c.max {
                return Err(bad(format!(
                    "category '{}' has min {} above max {}",
                    c.label, c.min, c.max
                )));
            }
            if let Some(other) = def.categories[..i]
                .iter()
                .find(|o| c.min <= o.max && o.min <= c.max)
            {
                return Err(bad(format!(
                    "categories '{}' and '{}' overlap",
                    other.label, c.label
                )));
            }
        }
        if let Some(r) = def.reliability {
            if !(r > 0.0 && r < 1.0) {
                return Err(bad(format!("reliability {r} must be between 0 and 1")));
            }
        }
        let mut labels: Vec<(String, f64)> = Vec::new();
        if !def.item_labels.is_empty() || !def.label_aliases.is_empty() {
            let Some(items) = &items else {
                return Err(bad("item_labels need `items`".into()));
            };
            let steps = items.max - items.min + 1.0;
            if !def.item_labels.is_empty() && def.item_labels.len() as f64 != steps {
                return Err(bad(format!(
                    "{} item_labels for the {steps} answers {}-{}; give one label per answer, lowest first",
                    def.item_labels.len(),
                    items.min,
                    items.max
                )));
            }
            for (k, label) in def.item_labels.iter().enumerate() {
                labels.push((crate::read::normalise_words(label), items.min + k as f64));
            }
            for (label, &code) in &def.label_aliases {
                if !(code >= items.min && code <= items.max) {
                    return Err(bad(format!(
                        "label_aliases {label:?} = {code}: outside the item range {}-{}",
                        items.min, items.max
                    )));
                }
                labels.push((crate::read::normalise_words(label), code));
            }
        }
        let axis_note = def.axis_note.clone().unwrap_or_else(|| {
            if def.higher_is_worse {
                "higher = worse"
            } else {
                "higher = better"
            }
            .to_string()
        });
        Ok(Scale {
            short: def.short.clone().unwrap_or_else(|| def.name.clone()),
            axis_note,
            integer: def.integer.unwrap_or(items.is_some()),
            name: def.name,
            title: def.title,
            items,
            total_range,
            higher_is_worse: def.higher_is_worse,
            source: def.source,
            categories: def.categories,
            reliability: def.reliability,
            reliability_source: def.reliability_source,
            labels,
            conversion,
            note: def.note,
            allowed_missing: def.allowed_missing,
            missing_item_score: def.missing_item_score,
            outcome: def.outcome,
            improved: def.improved,
            ordinal: def.ordinal,
            worse: def.worse,
        })
    }
}

/// How an improved person is described, from a scale's own words or its direction.
pub fn improved_words(improved: Option<&str>, higher_is_worse: bool) -> &str {
    match improved {
        Some(words) => words,
        None if higher_is_worse => "less lonely",
        None => "better",
    }
}

#[derive(Deserialize)]
struct ScaleFile {
    #[serde(default)]
    scales: Vec<ScaleDef>,
}

/// The table of scale definitions: built-ins first, then custom ones (which may replace a
/// built-in of the same name).
#[derive(Debug, Clone)]
pub struct ScaleTable {
    defs: Vec<ScaleDef>,
}

impl ScaleTable {
    /// The built-in scales only.
    pub fn builtin() -> ScaleTable {
        let file: ScaleFile = toml::from_str(BUILTIN).expect("builtin.toml is valid (tested)");
        ScaleTable { defs: file.scales }
    }

    /// Adds custom definitions; a later entry replaces an earlier one of the same name.
    pub fn with_custom(mut self, custom: Vec<ScaleDef>) -> ScaleTable {
        for def in custom {
            self.defs.retain(|d| d.name != def.name);
            self.defs.push(def);
        }
        self
    }

    /// All definitions in table order.
    pub fn defs(&self) -> &[ScaleDef] {
        &self.defs
    }

    /// The checked scale called `name`.
    pub fn get(&self, name: &str) -> Result<Scale, Error> {
        match self.defs.iter().find(|d| d.name.eq_ignore_ascii_case(name)) {
            Some(def) => Scale::from_def(def.clone()),
            None => Err(Error::UnknownScale {
                name: name.to_string(),
                known: self
                    .defs
                    .iter()
                    .map(|d| d.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

/// The worse of a scale's two categories (the higher one when higher totals are worse);
/// `None` unless the scale has exactly two.
pub fn worse_category(scale: &Scale) -> Option<&Category> {
    if let Some(worse) = &scale.worse {
        return Some(worse);
    }
    let [a, b] = scale.categories.as_slice() else {
        return None;
    };
    let higher = if a.min > b.min { a } else { b };
    let lower = if a.min > b.min { b } else { a };
    Some(if scale.higher_is_worse { higher } else { lower })
}

/// Whether a total lies in the worse of the scale's two categories: `None` when the scale
/// has not exactly two, or the total is in neither (custom scales). categories.csv, reliable
/// change's recovered / deteriorated and the disclosure control across them split people by it.
pub fn in_worse_category(scale: &Scale) -> impl Fn(f64) -> Option<bool> + '_ {
    let worse = worse_category(scale);
    move |v| match (&scale.worse, worse) {
        // A worse state spanning categories: by its bounds, as categories are (an integer
        // scale's band holds every total below its max + 1).
        (Some(w), _) => Some(
            v >= w.min
                && if scale.integer {
                    v < w.max + 1.0
                } else {
                    v <= w.max
                },
        ),
        (None, worse) => worse.and_then(|w| scale.category(v).map(|label| label == w.label)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_scale_is_valid() {
        let table = ScaleTable::builtin();
        for def in table.defs() {
            table
                .get(&def.name)
                .unwrap_or_else(|e| panic!("{}: {e}", def.name));
        }
        let names: Vec<_> = table.defs().iter().map(|d| d.name.as_str()).collect();
        for name in [
            "ucla3",
            "ucla8",
            "ucla20",
            "ucla3_0",
            "ucla20_1978",
            "ons_direct",
            "cel",
            "swemwbs",
            "wemwbs",
            "ons4_life_satisfaction",
            "ons4_anxious",
            "djg6",
            "djg6_emotional",
            "djg11_social_5pt",
            "raw",
        ] {
            assert!(names.contains(&name), "{name} not in {names:?}");
        }
        assert_eq!(names.last(), Some(&"raw"));
    }

    #[test]
    fn builtin_ranges_and_reversals() {
        let table = ScaleTable::builtin();
        let u20 = table.get("ucla20").expect("builtin");
        assert_eq!(u20.total_range, Some((20.0, 80.0)));
        let rev: Vec<usize> = u20
            .items
            .as_ref()
            .expect("items")
            .reversed
            .iter()
            .enumerate()
            .filter(|(_, r)| **r)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(rev, [1, 5, 6, 9, 10, 15, 16, 19, 20]);
        let u3 = table.get("UCLA3").expect("names match in any case");
        assert_eq!(
            (u3.category(5.0), u3.category(6.0)),
            (Some("not lonely"), Some("lonely"))
        );
        // Prorated totals between whole numbers take the band below.
        let u20 = table.get("ucla20").expect("builtin");
        assert_eq!(
            (u20.category(34.74), u20.category(80.0), u20.category(81.0)),
            (Some("low"), Some("high"), None)
        );
        assert_eq!(
            table.get("ucla8").expect("builtin").total_range,
            Some((8.0, 32.0))
        );
        let raw = table.get("raw").expect("builtin");
        assert_eq!(
            (raw.total_range, raw.integer, raw.items.is_none()),
            (None, false, true)
        );
    }

    #[test]
    fn unknown_scale_lists_the_known_ones() {
        let err = ScaleTable::builtin().get("ucla4").expect_err("unknown");
        assert!(
            err.to_string().contains("ucla3, ucla8, ucla20, ucla3_0"),
            "{err}"
        );
    }

    #[test]
    fn custom_wellbeing_scale() {
        let def: ScaleFile = toml::from_str(
            "[[scales]]\nname = \"swemwbs\"\nitems = 7\nitem_min = 1\nitem_max = 5\nhigher_is_worse = false\n",
        )
        .expect("valid toml");
        let table = ScaleTable::builtin().with_custom(def.scales);
        let s = table.get("swemwbs").expect("custom");
        assert_eq!(
            (s.total_range, s.better()),
            (Some((7.0, 35.0)), Better::Higher)
        );
    }

    #[test]
    fn overlapping_categories_and_zero_items_are_refused() {
        let parse = |text: &str| -> Vec<ScaleDef> {
            toml::from_str::<ScaleFile>(text)
                .expect("valid toml")
                .scales
        };
        let overlap = parse(
            "[[scales]]\nname = \"x\"\nitems = 3\nitem_min = 1\nitem_max = 3\nhigher_is_worse = true\ncategories = [{ min = 3, max = 6, label = \"a\" }, { min = 5, max = 9, label = \"b\" }]\n",
        );
        let err = ScaleTable::builtin()
            .with_custom(overlap)
            .get("x")
            .expect_err("overlap");
        assert!(err.to_string().contains("overlap"), "{err}");
        let zero = parse("[[scales]]\nname = \"z\"\nitems = 0\nhigher_is_worse = true\n");
        assert!(ScaleTable::builtin().with_custom(zero).get("z").is_err());
    }

    #[test]
    fn a_conversion_must_cover_every_raw_total() {
        let parse = |text: &str| -> Vec<ScaleDef> {
            toml::from_str::<ScaleFile>(text)
                .expect("valid toml")
                .scales
        };
        // Three items 1-3 sum to 3-9; the table lacks 6.
        let gap = parse(
            "[[scales]]\nname = \"g\"\nitems = 3\nitem_min = 1\nitem_max = 3\nhigher_is_worse = true\nconversion = [[3, 10], [4, 12], [5, 14], [7, 18], [8, 20], [9, 22]]\n",
        );
        let err = ScaleTable::builtin()
            .with_custom(gap)
            .get("g")
            .expect_err("raw total 6 has no score");
        assert!(
            err.to_string().contains("no score for the raw total 6"),
            "{err}"
        );
        let full = parse(
            "[[scales]]\nname = \"f\"\nitems = 3\nitem_min = 1\nitem_max = 3\nhigher_is_worse = true\nconversion = [[3, 10], [4, 12], [5, 14], [6, 16], [7, 18], [8, 20], [9, 22]]\n",
        );
        let scale = ScaleTable::builtin()
            .with_custom(full)
            .get("f")
            .expect("full");
        assert_eq!(scale.convert(6.0), Some(16.0));
    }

    #[test]
    fn bad_custom_scale_is_an_error() {
        let def = ScaleDef {
            name: "bad".into(),
            title: String::new(),
            short: None,
            axis_note: None,
            items: Some(3),
            item_min: Some(1.0),
            item_max: Some(3.0),
            item_labels: vec![],
            label_aliases: Default::default(),
            reversed: vec![4],
            total_min: None,
            total_max: None,
            integer: None,
            higher_is_worse: true,
            source: String::new(),
            categories: vec![],
            reliability: None,
            reliability_source: None,
            item_scores: vec![],
            conversion: vec![],
            note: None,
            allowed_missing: None,
            missing_item_score: None,
            outcome: None,
            improved: None,
            ordinal: false,
            worse: None,
        };
        let err = ScaleTable::builtin()
            .with_custom(vec![def])
            .get("bad")
            .expect_err("item 4 of 3");
        assert!(err.to_string().contains("reversed item 4"), "{err}");
    }
}
