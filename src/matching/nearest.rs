//! Greedy nearest-neighbour matching on a distance (the logit of the propensity score), as
//! R MatchIt 4.5 `matchit(method = "nearest")` (`nn_matchC_vec`), in its intended form:
//!
//! - Scheme users are matched one at a time: by descending distance (stable: equal distances
//!   keep data order), or in data order with replacement. With `ratio` k, every scheme user
//!   gets a first match before anyone gets a second.
//! - Everyone is sorted by (distance, data order). A scheme user's candidates are the nearest
//!   usable comparator below and above them in that order; the lower one wins unless strictly
//!   farther. A candidate farther than the caliper is no candidate (everything beyond it is
//!   farther still).
//! - Without replacement a comparator is used once; with replacement without limit.
//! - With exact matching, each stratum of the exact variables is matched on its own.
//!
//! The MatchIt 4.5.1 that Debian installs compares distances with C's integer `abs` (a
//! compiler-dependent bug, fixed in 4.5.4: "calipers would not work properly on some
//! systems", #163), so it takes the lower candidate whenever both
//! are within one logit and ignores calipers below 1; we follow the intended rule, which the
//! 4.5.1 source built with `std::abs` implements (tests/data/matching/stdabs/).

/// One person to match, in data order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Scheme user (else comparator).
    pub treated: bool,
    /// The distance (logit of the propensity score).
    pub distance: f64,
    /// Stratum of the exact-matching variables (0 without exact matching).
    pub stratum: u64,
}

/// Matching settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearestOptions {
    /// Comparators per scheme user.
    pub ratio: usize,
    /// Whether a comparator may be reused.
    pub replace: bool,
    /// Largest distance of a match, in distance units.
    pub caliper: Option<f64>,
}

/// For each person (index into `units`), the comparators matched to them in slot order
/// (empty for comparators and for scheme users left unmatched).
pub fn nearest(units: &[Candidate], options: &NearestOptions) -> Vec<Vec<usize>> {
    let mut matches: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    let mut strata: Vec<u64> = units.iter().map(|u| u.stratum).collect();
    strata.sort_unstable();
    strata.dedup();
    for stratum in strata {
        let members: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].stratum == stratum)
            .collect();
        match_stratum(units, &members, options, &mut matches);
    }
    matches
}

/// Nearest usable position at or below / above `p`, with path compression over positions
/// that can no longer be used (scheme users, comparators used up).
struct Skip {
    down: Vec<usize>,
    up: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl Skip {
    fn new(len: usize) -> Skip {
        Skip {
            down: (0..len).collect(),
            up: (0..len).collect(),
        }
    }

    /// Marks position `p` unusable.
    fn remove(&mut self, p: usize) {
        self.down[p] = if p == 0 { NONE } else { p - 1 };
        self.up[p] = if p + 1 == self.up.len() { NONE } else { p + 1 };
    }

    fn find_down(&mut self, p: usize) -> usize {
        let mut root = p;
        while root != NONE && self.down[root] != root {
            root = self.down[root];
        }
        let mut q = p;
        while q != NONE && self.down[q] != q {
            let next = self.down[q];
            self.down[q] = root;
            q = next;
        }
        root
    }

    fn find_up(&mut self, p: usize) -> usize {
        let mut root = p;
        while root != NONE && self.up[root] != root {
            root = self.up[root];
        }
        let mut q = p;
        while q != NONE && self.up[q] != q {
            let next = self.up[q];
            self.up[q] = root;
            q = next;
        }
        root
    }
}

fn match_stratum(
    units: &[Candidate],
    members: &[usize],
    options: &NearestOptions,
    matches: &mut [Vec<usize>],
) {
    // Sorted by (distance, data order): a stable sort of data-ordered members.
    let mut sorted: Vec<usize> = members.to_vec();
    sorted.sort_by(|&a, &b| units[a].distance.total_cmp(&units[b].distance));
    let mut position = vec![0usize; units.len()];
    for (p, &u) in sorted.iter().enumerate() {
        position[u] = p;
    }
    let mut order: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&u| units[u].treated)
        .collect();
    if !options.replace {
        // Descending distance, equal distances in data order (R's stable `order`).
        order.sort_by(|&a, &b| units[b].distance.total_cmp(&units[a].distance));
    }
    let mut skip = Skip::new(sorted.len());
    for (p, &u) in sorted.iter().enumerate() {
        if units[u].treated {
            skip.remove(p);
        }
    }
    let within = |gap: f64| options.caliper.is_none_or(|c| gap <= c);
    for round in 0..options.ratio {
        let mut matched_this_round = false;
        for &t in &order {
            if matches[t].len() < round {
                continue; // no match found in an earlier round: none is left
            }
            let p = position[t];
            let dt = units[t].distance;
            // The nearest usable comparator on one side, not already matched to t.
            let side = |down: bool, skip: &mut Skip| -> Option<usize> {
                let mut q = if down {
                    p.checked_sub(1)?
                } else {
                    (p + 1 < sorted.len()).then_some(p + 1)?
                };
                loop {
                    let k = if down {
                        skip.find_down(q)
                    } else {
                        skip.find_up(q)
                    };
                    if k == NONE {
                        return None;
                    }
                    if !matches[t].contains(&sorted[k]) {
                        let gap = (units[sorted[k]].distance - dt).abs();
                        return within(gap).then_some(k);
                    }
                    q = if down {
                        k.checked_sub(1)?
                    } else {
                        (k + 1 < sorted.len()).then_some(k + 1)?
                    };
                }
            };
            let left = side(true, &mut skip);
            let right = side(false, &mut skip);
            let chosen = match (left, right) {
                (Some(l), Some(r)) => {
                    let gap = |k: usize| (units[sorted[k]].distance - dt).abs();
                    if gap(l) <= gap(r) {
                        l
                    } else {
                        r
                    }
                }
                (Some(k), None) | (None, Some(k)) => k,
                (None, None) => continue,
            };
            matches[t].push(sorted[chosen]);
            matched_this_round = true;
            if !options.replace {
                skip.remove(chosen);
            }
        }
        // A round that matches nobody leaves nothing for later rounds (a huge --ratio ends).
        if !matched_this_round {
            break;
        }
    }
}

/// MatchIt's weights: 1 for a matched scheme user (0 unmatched); a comparator gets the sum of
/// 1/k over the scheme users it serves (k their number of matches), scaled so comparator
/// weights sum to the number of comparators used.
pub fn match_weights(units: &[Candidate], matches: &[Vec<usize>]) -> Vec<f64> {
    let mut weights = vec![0.0; units.len()];
    for (t, controls) in matches.iter().enumerate() {
        if controls.is_empty() {
            continue;
        }
        weights[t] = 1.0;
        let share = 1.0 / controls.len() as f64;
        for &c in controls {
            weights[c] += share;
        }
    }
    let used = (0..units.len())
        .filter(|&i| !units[i].treated && weights[i] > 0.0)
        .count() as f64;
    let total: f64 = (0..units.len())
        .filter(|&i| !units[i].treated)
        .map(|i| weights[i])
        .sum();
    if total > 0.0 {
        for i in (0..units.len()).filter(|&i| !units[i].treated) {
            weights[i] = weights[i] * used / total;
        }
    }
    weights
}
