//! Vocabulary shared by every stage: timepoints and the comparisons between them.

/// When a score was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timepoint {
    /// At referral.
    Pre,
    /// At the end of support.
    Post,
    /// About three months after support ended.
    Followup,
}

impl Timepoint {
    /// All timepoints in time order.
    pub const ALL: [Timepoint; 3] = [Timepoint::Pre, Timepoint::Post, Timepoint::Followup];

    /// Name used in column names and outputs (`pre_score`, `invalid_followup`).
    pub fn name(self) -> &'static str {
        match self {
            Timepoint::Pre => "pre",
            Timepoint::Post => "post",
            Timepoint::Followup => "followup",
        }
    }

    /// Position in [`Timepoint::ALL`], for indexing per-timepoint arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a long-layout timepoint value; the aliases real exports use, in any case.
    pub fn from_alias(value: &str) -> Option<Timepoint> {
        match value.trim().to_ascii_lowercase().as_str() {
            "pre" | "baseline" | "initial" | "start" => Some(Timepoint::Pre),
            "post" | "end" | "exit" | "final" => Some(Timepoint::Post),
            "followup" | "follow-up" | "follow_up" | "fu" => Some(Timepoint::Followup),
            _ => None,
        }
    }
}

/// A pair of timepoints compared within the same people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Comparison {
    /// Referral to end of support: did loneliness fall?
    PrePost,
    /// Referral to follow-up: was the fall still there later?
    PreFollowup,
    /// End of support to follow-up: did it drift back?
    PostFollowup,
}

impl Comparison {
    /// All comparisons in output order.
    pub const ALL: [Comparison; 3] = [
        Comparison::PrePost,
        Comparison::PreFollowup,
        Comparison::PostFollowup,
    ];

    /// Name in the `comparison` column.
    pub fn name(self) -> &'static str {
        match self {
            Comparison::PrePost => "pre_post",
            Comparison::PreFollowup => "pre_followup",
            Comparison::PostFollowup => "post_followup",
        }
    }

    /// (earlier, later) timepoints; change is later minus earlier.
    pub fn timepoints(self) -> (Timepoint, Timepoint) {
        match self {
            Comparison::PrePost => (Timepoint::Pre, Timepoint::Post),
            Comparison::PreFollowup => (Timepoint::Pre, Timepoint::Followup),
            Comparison::PostFollowup => (Timepoint::Post, Timepoint::Followup),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_in_any_case() {
        for (text, tp) in [
            ("Baseline", Timepoint::Pre),
            (" EXIT ", Timepoint::Post),
            ("Follow-Up", Timepoint::Followup),
            ("FU", Timepoint::Followup),
            ("final", Timepoint::Post),
        ] {
            assert_eq!(Timepoint::from_alias(text), Some(tp), "{text}");
        }
        assert_eq!(Timepoint::from_alias("midpoint"), None);
    }
}

/// `followup-window = "60..120"`: a follow-up counts only when it was taken this many days
/// (inclusive) after end of support (or after referral), so that a "three-month follow-up"
/// taken a year later does not pass for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FollowupWindow {
    /// Fewest days.
    pub min_days: i32,
    /// Most days.
    pub max_days: i32,
    /// Counted from this timepoint's date (end of support unless the config says referral).
    #[serde(serialize_with = "timepoint_name")]
    pub from: Timepoint,
}

fn timepoint_name<S: serde::Serializer>(tp: &Timepoint, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tp.name())
}

impl FollowupWindow {
    /// Reads `"60..120"` (days) and the timepoint it counts from (`post` or `pre`).
    pub fn parse(window: &str, from: Option<&str>) -> Result<FollowupWindow, String> {
        let bad = || {
            format!(
                "followup-window {window:?}: expected the fewest and most days after end of support as \"60..120\""
            )
        };
        let (lo, hi) = window.split_once("..").ok_or_else(bad)?;
        let (min_days, max_days): (i32, i32) = (
            lo.trim().parse().map_err(|_| bad())?,
            hi.trim().parse().map_err(|_| bad())?,
        );
        if min_days < 0 || max_days < min_days {
            return Err(bad());
        }
        let from = match from.map(|f| f.trim().to_ascii_lowercase()).as_deref() {
            None => Timepoint::Post,
            Some(f) => match Timepoint::from_alias(f) {
                Some(tp @ (Timepoint::Pre | Timepoint::Post)) => tp,
                _ if f == "referral" => Timepoint::Pre,
                _ if f == "end" || f == "end of support" => Timepoint::Post,
                _ => {
                    return Err(format!(
                    "followup-window-from {f:?}: expected post (end of support) or pre (referral)"
                ))
                }
            },
        };
        Ok(FollowupWindow {
            min_days,
            max_days,
            from,
        })
    }

    /// `60 to 120 days after end of support`.
    pub fn describe(&self) -> String {
        format!(
            "{} to {} days after {}",
            self.min_days,
            self.max_days,
            match self.from {
                Timepoint::Pre => "referral",
                _ => "end of support",
            }
        )
    }
}
