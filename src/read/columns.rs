//! Header handling: matching expected columns case-insensitively, `--column` renames, layout
//! detection and messages that suggest the closest name.

use crate::model::Timepoint;
use std::collections::BTreeMap;

/// One row per service user, or one row per assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `pre_score`, `post_score`, ... (or `pre_q1`, ...) side by side.
    Wide,
    /// A `timepoint` column and `score` (or `q1`, ...).
    Long,
}

/// Where one timepoint's responses are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One total column.
    Total(usize),
    /// Item columns in item order.
    Items(Vec<usize>),
}

impl Source {
    /// Column indices in the order their cells are stored.
    pub fn columns(&self) -> Vec<usize> {
        match self {
            Source::Total(c) => vec![*c],
            Source::Items(cs) => cs.clone(),
        }
    }
}

/// Normalised form used for matching: trimmed, lower case.
pub fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether a column key names a score column: `pre_score`, `post_q3`, `score`, `q1` ...
pub fn is_score_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    let rest = ["pre_", "post_", "followup_"]
        .iter()
        .find_map(|p| key.strip_prefix(p))
        .unwrap_or(&key);
    rest == "score"
        || rest
            .strip_prefix('q')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The header with lookups by expected name.
pub struct Header {
    /// Header names as written (BOM removed).
    pub names: Vec<String>,
    normalised: Vec<String>,
    /// Column of each normalised name, so a header of 100,000 columns is read in linear time.
    index: std::collections::HashMap<String, usize>,
    renames: BTreeMap<String, String>,
    /// Score columns are looked up as `<prefix>_<name>` (one measure of several).
    score_prefix: Option<String>,
}

impl Header {
    /// Builds the lookup; fails on two columns whose names differ only in case or spacing,
    /// which would make matching ambiguous.
    pub fn new(names: Vec<String>, renames: &BTreeMap<String, String>) -> Result<Header, String> {
        let normalised: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let mut index = std::collections::HashMap::with_capacity(normalised.len());
        for (j, name) in normalised.iter().enumerate() {
            // Blank names (e.g. Excel's trailing empty columns) are never looked up, so they
            // may repeat.
            if name.is_empty() {
                continue;
            }
            if let Some(&i) = index.get(name) {
                return Err(format!(
                    "columns {} and {} ({:?} and {:?}) have the same name; rename one",
                    i + 1,
                    j + 1,
                    names[i],
                    names[j]
                ));
            }
            index.insert(name.clone(), j);
        }
        let renames = renames
            .iter()
            .map(|(k, v)| (normalise(k), normalise(v)))
            .collect();
        Ok(Header {
            names,
            normalised,
            index,
            renames,
            score_prefix: None,
        })
    }

    /// Score columns are looked up as `<prefix>_<name>` unless renamed: the columns of one
    /// measure of several (`ucla3_pre_q1`, `swemwbs_pre_score`).
    pub fn with_score_prefix(mut self, prefix: Option<&str>) -> Header {
        self.score_prefix = prefix.map(normalise);
        self
    }

    /// [`Header::with_score_prefix`] with `prefix` when no score column has a plain name
    /// (`pre_score`, `pre_q1`, `score`, `q1`, or one renamed) and some has the prefix.
    pub fn with_score_prefix_if_unprefixed(self, prefix: Option<&str>) -> Header {
        let Some(prefix) = prefix.map(normalise) else {
            return self;
        };
        let plain = |name: &String| is_score_key(name) || self.renames.contains_key(name);
        let start = format!("{prefix}_");
        let prefixed = |name: &String| name.strip_prefix(&start).is_some_and(is_score_key);
        if self.score_prefix.is_none()
            && !self.renames.keys().any(|k| is_score_key(k))
            && !self.normalised.iter().any(plain)
            && self.normalised.iter().any(prefixed)
        {
            return self.with_score_prefix(Some(&prefix));
        }
        self
    }

    /// Index of a score column (`pre_score`, `pre_q1`, `score`, `q1`): renamed, else with the
    /// measure's prefix when it has one, else by its own name.
    pub fn find_score(&self, expected: &str) -> Option<usize> {
        let key = normalise(expected);
        match (self.renames.get(&key), &self.score_prefix) {
            (Some(wanted), _) => self.index.get(wanted).copied(),
            (None, Some(prefix)) => self.index.get(&format!("{prefix}_{key}")).copied(),
            (None, None) => self.index.get(&key).copied(),
        }
    }

    /// Index of the column for an expected name, honouring `--column name=Header`.
    pub fn find(&self, expected: &str) -> Option<usize> {
        let key = normalise(expected);
        let wanted = self.renames.get(&key).unwrap_or(&key);
        self.index.get(wanted).copied()
    }

    /// Renames that point at a header name that does not exist: reported as errors.
    pub fn dangling_renames(&self) -> Vec<(String, String)> {
        self.renames
            .iter()
            .filter(|(_, header)| !self.index.contains_key(*header))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The header name closest to `expected`, if any is reasonably close.
    pub fn suggest(&self, expected: &str) -> Option<&str> {
        let key = normalise(expected);
        self.names
            .iter()
            .zip(&self.normalised)
            .map(|(name, norm)| (strsim::normalized_damerau_levenshtein(&key, norm), name))
            .filter(|(score, _)| *score >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name.as_str())
    }

    /// Sources per timepoint for the wide layout; `Err` names the problem.
    pub fn wide_sources(&self, item_count: Option<usize>) -> Result<[Option<Source>; 3], String> {
        let mut out: [Option<Source>; 3] = [None, None, None];
        for tp in Timepoint::ALL {
            out[tp.index()] = self.source_for(
                &format!("{}_", tp.name()),
                &format!("{}_score", tp.name()),
                item_count,
            )?;
        }
        Ok(out)
    }

    /// Source for the long layout (`score` or `q1..qK`).
    pub fn long_source(&self, item_count: Option<usize>) -> Result<Option<Source>, String> {
        self.source_for("", "score", item_count)
    }

    fn source_for(
        &self,
        prefix: &str,
        total: &str,
        item_count: Option<usize>,
    ) -> Result<Option<Source>, String> {
        let mut found = Vec::new();
        while let Some(c) = self.find_score(&format!("{prefix}q{}", found.len() + 1)) {
            found.push(c);
        }
        if found.is_empty() {
            return Ok(self.find_score(total).map(Source::Total));
        }
        match item_count {
            None => Err(format!(
                "found item columns {prefix}q1..{prefix}q{} but this scale takes totals only ({total}); choose an item scale with --scale",
                found.len()
            )),
            Some(k) if k != found.len() => Err(format!(
                "found item columns {prefix}q1..{prefix}q{} but the scale has {k} items; choose the scale with --scale (see `loneliness-eval scales`)",
                found.len()
            )),
            Some(_) => Ok(Some(Source::Items(found))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Header {
        Header::new(
            names.iter().map(|s| s.to_string()).collect(),
            &BTreeMap::new(),
        )
        .expect("distinct")
    }

    #[test]
    fn matches_in_any_case_and_with_renames() {
        let h = header(&["ID", " Trigger_Group ", "Initial UCLA"]);
        assert_eq!(h.find("id"), Some(0));
        assert_eq!(h.find("trigger_group"), Some(1));
        let renames = BTreeMap::from([("pre_score".to_string(), "initial ucla".to_string())]);
        let h = Header::new(h.names.clone(), &renames).expect("distinct");
        assert_eq!(h.find("pre_score"), Some(2));
        assert!(h.dangling_renames().is_empty());
    }

    #[test]
    fn case_duplicates_are_refused() {
        let err = Header::new(vec!["id".into(), "ID".into()], &BTreeMap::new())
            .err()
            .expect("duplicate");
        assert!(err.contains("same name"), "{err}");
    }

    #[test]
    fn wrong_item_count_names_the_scale_problem() {
        let h = header(&["id", "pre_q1", "pre_q2", "pre_q3", "pre_score"]);
        assert!(h.wide_sources(Some(8)).is_err());
        let s = h.wide_sources(Some(3)).expect("three items");
        assert_eq!(s[0], Some(Source::Items(vec![1, 2, 3])));
        assert_eq!(s[1], None);
    }

    #[test]
    fn suggests_close_names() {
        let h = header(&["id", "trigger group", "locaton"]);
        assert_eq!(h.suggest("trigger_group"), Some("trigger group"));
        assert_eq!(h.suggest("location"), Some("locaton"));
        assert_eq!(h.suggest("followup_score"), None);
    }
}
