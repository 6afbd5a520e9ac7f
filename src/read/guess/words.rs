//! The words of an export: what a column name or a value says (a score's timepoint and item,
//! an id, a location, a trigger group, a timepoint value, "no answer", a date), for `init`.

use super::super::dates::{parse_date, DateFormat};
use super::super::value::is_missing_text;
use super::super::vocabulary::normalise_words;
use crate::model::Timepoint;

/// A header name as words: lower case, split at anything not a letter or digit, between
/// letters and digits, and where camel case starts a word (`UCLA Q1 (Referral)` →
/// `ucla q 1 referral`, `ucla1_t0` → `ucla 1 t 0`, `ClientID` → `client id`); a run-together
/// `clientid` is split too.
pub fn tokens(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let kind = |c: char| {
        if c.is_alphabetic() {
            1u8
        } else if c.is_ascii_digit() {
            2
        } else {
            0
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let k = kind(c);
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let camel = k == 1
            && c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || (p.is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase()))
            });
        let boundary = k == 0 || prev.is_none_or(|p| kind(p) != k) || camel;
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if k != 0 {
            current.extend(c.to_lowercase());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    // `clientid`, `participantref`: a who-word run together with an id-word.
    let mut split = Vec::with_capacity(out.len());
    for token in out {
        let found = [
            "client",
            "participant",
            "person",
            "user",
            "case",
            "patient",
            "member",
        ]
        .iter()
        .find_map(|who| {
            let rest = token.strip_prefix(who)?;
            ["id", "ref", "no", "number"]
                .contains(&rest)
                .then_some((*who, rest))
        });
        match found {
            Some((who, rest)) => {
                split.push(who.to_string());
                split.push(rest.to_string());
            }
            None => split.push(token),
        }
    }
    split
}

pub(super) fn has(tokens: &[String], word: &str) -> bool {
    tokens.iter().any(|t| t == word)
}

pub(super) fn has_phrase(tokens: &[String], phrase: &[&str]) -> bool {
    tokens
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// Words naming a loneliness measure in a column name.
/// ("Lonely" alone is the ONS direct question's word, another measure.)
pub(super) const MEASURE_WORDS: [&str; 3] = ["ucla", "loneliness", "uls"];
/// Words naming other measures, whose columns are not this run's scores.
pub(super) const OTHER_MEASURES: [&str; 17] = [
    "worthwhile",
    "jong",
    "swemwbs",
    "wemwbs",
    "warwick",
    "dejong",
    "cel",
    "ons",
    "wellbeing",
    "phq",
    "gad",
    "djg",
    "gierveld",
    "eq",
    "satisfied",
    "happy",
    "anxious",
];

/// What a column name says about a score: its timepoint (or a `t` number), its item number,
/// whether it is a total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ScoreName {
    pub(super) timepoint: Option<Timepoint>,
    /// `t0`, `t1` ... or `time 1`: mapped once the numbering scheme is known.
    pub(super) wave: Option<u32>,
    pub(super) item: Option<u32>,
    pub(super) total: bool,
    /// Weeks after referral the name gives (`12 weeks`, `6 months`), when it names no
    /// timepoint word: placed once every column's is known.
    pub(super) weeks: Option<u32>,
}

/// Reads a column name as a score's, if it is one.
pub(super) fn score_name(name: &str) -> Option<ScoreName> {
    let t = tokens(name);
    if t.is_empty() || OTHER_MEASURES.iter().any(|m| has(&t, m)) {
        return None;
    }
    let mut measure = MEASURE_WORDS.iter().any(|m| has(&t, m));
    let mut item = None;
    // The UCLA-3 questions in words (Hughes et al. 2004: companionship, left out, isolated).
    for (words, number) in [
        (&["companionship"][..], 1),
        (&["left", "out"][..], 2),
        (&["isolated"][..], 3),
    ] {
        if has_phrase(&t, words) {
            item = Some(number);
            measure = true;
        }
    }
    let mut wave = None;
    // `UCLA2_pre` numbers the item after the measure's word; `ucla3_pre_q1` names the form
    // there and the item after `q`, which wins.
    let mut after_measure = None;
    for (k, tok) in t.iter().enumerate() {
        let next_number = t.get(k + 1).and_then(|n| n.parse::<u32>().ok());
        match tok.as_str() {
            "q" | "item" | "question" | "qu" => item = item.or(next_number),
            "t" | "time" | "wave" | "w" => wave = wave.or(next_number),
            "ucla" | "uls" | "lonely" | "loneliness" => {
                after_measure = after_measure.or(next_number)
            }
            _ => {}
        }
    }
    item = item.or(after_measure);
    let total = has(&t, "total") || has(&t, "score") || has(&t, "sum");
    if item.is_some() && total {
        item = None;
    }
    if !(measure || item.is_some() || total) {
        return None;
    }
    // A bare `q1` or `score` with no measure is a score only in the long layout's form.
    let timepoint = timepoint_of_tokens(&t);
    let weeks = timepoint.is_none().then(|| weeks_of_tokens(&t)).flatten();
    if !measure && timepoint.is_none() && wave.is_none() && weeks.is_none() && t.len() > 3 {
        return None;
    }
    Some(ScoreName {
        timepoint,
        wave,
        item,
        total: total && item.is_none(),
        weeks,
    })
}

/// Weeks after referral that words give: `12 weeks`, `6 months` (26), `3m` (13).
pub(super) fn weeks_of_tokens(t: &[String]) -> Option<u32> {
    t.windows(2).find_map(|w| {
        let n = w[0].parse::<u32>().ok()?;
        match w[1].as_str() {
            "week" | "weeks" | "wk" | "wks" => Some(n),
            "month" | "months" | "mth" | "mths" | "m" => Some((n * 13).div_ceil(3)),
            _ => None,
        }
    })
}

/// The timepoint a column name's words name, if any.
pub(super) fn timepoint_of_tokens(t: &[String]) -> Option<Timepoint> {
    let any = |words: &[&str]| words.iter().any(|w| has(t, w));
    if any(&["followup", "fu", "fup"]) || has_phrase(t, &["follow", "up"]) || has(t, "follow") {
        return Some(Timepoint::Followup);
    }
    if any(&[
        "post",
        "end",
        "exit",
        "final",
        "closure",
        "closing",
        "discharge",
        "after",
        "completion",
        "ending",
        "last",
    ]) {
        return Some(Timepoint::Post);
    }
    if any(&[
        "pre", "baseline", "base", "initial", "start", "referral", "referal", "intake", "entry",
        "before", "first",
    ]) {
        return Some(Timepoint::Pre);
    }
    None
}

/// What a long layout's timepoint value means: `Some(Some(tp))`, `Some(None)` for an interim
/// review (ignore), `None` when not recognised.
pub fn timepoint_word(value: &str) -> Option<Option<Timepoint>> {
    let t = tokens(value);
    if t.iter().any(|w| {
        [
            "interim", "mid", "midpoint", "progress", "halfway", "review",
        ]
        .contains(&w.as_str())
    }) && timepoint_of_tokens(&t).is_none()
    {
        return Some(None);
    }
    if has(&t, "interim") || has(&t, "mid") || has(&t, "midpoint") {
        return Some(None);
    }
    // "3 months" as a review is the follow-up; weeks alone may be the end of support.
    let months = t.windows(2).any(|w| {
        w[0].parse::<u32>().is_ok_and(|n| (2..=24).contains(&n))
            && ["month", "months", "mth", "m"].contains(&w[1].as_str())
    });
    timepoint_of_tokens(&t)
        .or(months.then_some(Timepoint::Followup))
        .map(Some)
}

/// Text that reads as "no answer".
pub(super) fn is_missing_word(text: &str) -> bool {
    let w = normalise_words(text);
    const EXACT: [&str; 16] = [
        "unknown",
        "n/k",
        "nk",
        "missing",
        "no response",
        "not applicable",
        "skipped",
        "none",
        "not known",
        "blank",
        "no answer",
        "not stated",
        "-",
        "--",
        "x",
        "n.a",
    ];
    EXACT.contains(&w.as_str())
        || [
            "prefer not",
            "not complet",
            "declin",
            "refus",
            "not answer",
            "not asked",
            "don't know",
            "dont know",
            "do not know",
            "did not answer",
            "not recorded",
        ]
        .iter()
        .any(|p| w.contains(p))
}

/// Numbers exports use for "no answer" when they are outside the valid range.
pub(super) const SENTINELS: [f64; 18] = [
    9.0, 99.0, 999.0, 9999.0, 98.0, 97.0, 96.0, 88.0, 77.0, 66.0, -2.0, -3.0, -4.0, -5.0, -7.0,
    -8.0, -98.0, -999.0,
];

/// Score for a header being the id column (0: not).
pub(super) fn id_score(t: &[String]) -> u32 {
    const WHO: [&str; 13] = [
        "client",
        "participant",
        "person",
        "service",
        "user",
        "case",
        "record",
        "unique",
        "respondent",
        "patient",
        "customer",
        "member",
        "individual",
    ];
    let who = WHO.iter().any(|w| has(t, w));
    let key = [
        "id",
        "ref",
        "reference",
        "urn",
        "number",
        "no",
        "code",
        "identifier",
    ]
    .iter()
    .any(|w| has(t, w));
    match (t.len(), who, key) {
        (1, _, _)
            if ["id", "urn", "identifier", "ref", "reference"]
                .iter()
                .any(|w| has(t, w)) =>
        {
            10
        }
        (_, true, true) => 8,
        (_, false, true) if has(t, "id") && t.len() <= 2 => 6,
        (_, true, false) if t.len() <= 2 && (has(t, "client") || has(t, "participant")) => 4,
        _ => 0,
    }
}

pub(super) fn location_score(t: &[String]) -> u32 {
    if has(t, "location") {
        10
    } else if [
        "site", "venue", "hub", "locality", "branch", "office", "borough", "district", "area",
    ]
    .iter()
    .any(|w| has(t, w))
        && t.len() <= 3
    {
        7
    } else if has_phrase(t, &["local", "authority"]) {
        5
    } else {
        0
    }
}

pub(super) fn trigger_score(t: &[String]) -> u32 {
    if has_phrase(t, &["trigger", "group"]) {
        10
    } else if has(t, "trigger") {
        9
    } else if has(t, "reason") && (has(t, "referral") || has(t, "referred") || t.len() == 1) {
        8
    } else if has_phrase(t, &["target", "group"]) || has(t, "cohort") {
        5
    } else {
        0
    }
}

pub(super) fn timepoint_column_score(t: &[String]) -> u32 {
    if has(t, "timepoint") || has_phrase(t, &["time", "point"]) {
        10
    } else if [
        "review",
        "assessment",
        "stage",
        "wave",
        "occasion",
        "visit",
        "survey",
        "questionnaire",
        "period",
    ]
    .iter()
    .any(|w| has(t, w))
    {
        6
    } else if has(t, "time") || has(t, "type") {
        3
    } else {
        0
    }
}

/// How a date column is written, by its values: the first form (in the order the reader
/// tries them) that reads at least 80% of them; US month-first only when day-first cannot.
/// Day numbers count only in a column named as a date (`named`), within 1954-2119.
pub(super) fn date_format(values: &[&str], named: bool) -> Option<DateFormat> {
    let values: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| !v.trim().is_empty() && !is_missing_text(v.trim()))
        .collect();
    let enough = |format: DateFormat| {
        let read = values
            .iter()
            .filter(|v| parse_date(v, format).is_ok_and(|d| d.is_some()))
            .count();
        !values.is_empty() && read * 5 >= values.len() * 4
    };
    let serials = || {
        values.iter().all(|v| {
            v.parse::<f64>()
                .is_ok_and(|x| (20_000.0..80_000.0).contains(&x))
        })
    };
    let numbers = values.iter().filter(|v| v.parse::<f64>().is_ok()).count();
    // Mixed forms (ISO here, day-first there) read as the reader reads them: only where the
    // values are not mostly plain numbers, which auto would take for day numbers.
    let mixed = named || numbers * 5 <= values.len();
    [
        DateFormat::Iso,
        DateFormat::DayFirst,
        DateFormat::DayMonthName,
        DateFormat::Excel,
        DateFormat::Auto,
        DateFormat::MonthFirst,
    ]
    .into_iter()
    .find(|&f| match f {
        DateFormat::Excel => named && serials() && enough(f),
        DateFormat::Auto => mixed && enough(f),
        _ => enough(f),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_read_as_scores() {
        let s = |name: &str| score_name(name);
        assert_eq!(
            s("UCLA Q1 (Referral)"),
            Some(ScoreName {
                timepoint: Some(Timepoint::Pre),
                item: Some(1),
                ..Default::default()
            })
        );
        assert_eq!(
            s("ucla1_t0"),
            Some(ScoreName {
                wave: Some(0),
                item: Some(1),
                ..Default::default()
            })
        );
        assert_eq!(
            s("UCLA Total (End)"),
            Some(ScoreName {
                timepoint: Some(Timepoint::Post),
                total: true,
                ..Default::default()
            })
        );
        // The form's length after the measure's word, the item after `q`.
        assert_eq!(
            s("ucla3_post_q1").map(|n| (n.timepoint, n.item)),
            Some((Some(Timepoint::Post), Some(1)))
        );
        assert_eq!(
            s("UCLA Q3 - 3 Month Follow Up").map(|n| (n.timepoint, n.item)),
            Some((Some(Timepoint::Followup), Some(3)))
        );
        assert_eq!(
            s("q2").map(|n| (n.timepoint, n.item)),
            Some((None, Some(2)))
        );
        assert_eq!(s("SWEMWBS Q1 (Referral)"), None);
        // Question text, and timepoints named by weeks after referral.
        let q = s("How often do you feel that you lack companionship? (Start)").expect("a score");
        assert_eq!((q.timepoint, q.item), (Some(Timepoint::Pre), Some(1)));
        assert_eq!(
            s("How often do you feel isolated from others (End)").map(|n| n.item),
            Some(Some(3))
        );
        assert_eq!(s("How often do you feel lonely? (Start)"), None);
        assert_eq!(
            s("Q2 left out - 12 weeks").map(|n| (n.item, n.weeks)),
            Some((Some(2), Some(12)))
        );
        assert_eq!(s("UCLA total - 6 months").map(|n| n.weeks), Some(Some(26)));
        assert_eq!(s("Referral Reason"), None);
        assert_eq!(s("Service Location"), None);
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(tokens("UCLA Q1 (Referral)"), ["ucla", "q", "1", "referral"]);
        assert_eq!(tokens("ucla1_t0"), ["ucla", "1", "t", "0"]);
        assert_eq!(tokens("ClientID"), ["client", "id"]);
        assert_eq!(tokens("clientid"), ["client", "id"]);
        assert_eq!(tokens("UCLATotalEnd"), ["ucla", "total", "end"]);
        assert_eq!(tokens("Referral Reason"), ["referral", "reason"]);
    }

    #[test]
    fn identifying_columns_by_name() {
        let t = |s: &str| tokens(s);
        assert!(id_score(&t("Client ID")) > 0);
        assert!(id_score(&t("id")) > id_score(&t("Client Ref")));
        assert_eq!(id_score(&t("Referral Reason")), 0);
        assert!(location_score(&t("Service Location")) > 0);
        assert!(trigger_score(&t("Referral Reason")) > 0);
        assert_eq!(trigger_score(&t("Referral Source")), 0);
    }

    #[test]
    fn timepoint_values_in_words() {
        assert_eq!(timepoint_word("Referral"), Some(Some(Timepoint::Pre)));
        assert_eq!(
            timepoint_word("End of support"),
            Some(Some(Timepoint::Post))
        );
        assert_eq!(
            timepoint_word("3-month follow-up"),
            Some(Some(Timepoint::Followup))
        );
        assert_eq!(timepoint_word("Interim review"), Some(None));
        assert_eq!(timepoint_word("Initial review"), Some(Some(Timepoint::Pre)));
        assert_eq!(timepoint_word("Phone call"), None);
    }

    #[test]
    fn dates_by_their_values() {
        assert_eq!(
            date_format(&["04/25/2024", "12/31/2024"], true),
            Some(DateFormat::MonthFirst)
        );
        assert_eq!(
            date_format(&["45352", "45400", ""], true),
            Some(DateFormat::Excel)
        );
        assert_eq!(date_format(&["45352", "45400"], false), None);
        assert_eq!(
            date_format(&["2024-03-01", "2024-12-31"], false),
            Some(DateFormat::Iso)
        );
        assert_eq!(
            date_format(&["01/03/2024", "31/12/24", "NA"], false),
            Some(DateFormat::DayFirst)
        );
        assert_eq!(
            date_format(&["1-Mar-24", "31-Dec-2024"], false),
            Some(DateFormat::DayMonthName)
        );
        assert_eq!(date_format(&["7", "8"], true), None);
        assert_eq!(
            date_format(&["1-Mar-24", "2024-12-31", "31/12/2024"], false),
            Some(DateFormat::Auto)
        );
    }

    #[test]
    fn missing_words() {
        for w in [
            "Prefer not to say",
            "Not completed",
            "Declined",
            "Don't know",
            "n/k",
        ] {
            assert!(is_missing_word(w), "{w}");
        }
        for w in ["Often", "Sometimes", "Leeds"] {
            assert!(!is_missing_word(w), "{w}");
        }
    }
}
