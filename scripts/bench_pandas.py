#!/usr/bin/env python3
"""pandas + SciPy version of `loneliness-eval analyse`'s comparisons.csv, for scripts/bench.sh.

    python scripts/bench_pandas.py EXPORT.csv --out comparisons.csv
    python scripts/bench_pandas.py --check results/comparisons.csv comparisons.csv

Reads a wide UCLA-3 export (id, location, trigger_group, pre_score, post_score,
followup_score) and computes, as an analyst would with pandas and SciPy, the paired
comparisons that `analyse` writes to comparisons.csv, with the tool's defaults:

* the whole sample (group_by "all", group "All"), then each value of trigger_group and of
  location (blank -> "(missing)", groups sorted by name), each for pre_post, pre_followup
  and post_followup over the people with a valid score at both timepoints;
* n, mean and sd at both timepoints, mean and sd of change (later - earlier), paired t test
  with its 95% CI, Wilcoxon signed-rank test as R's wilcox.test does it (zeros dropped;
  exact below 50 changes without zeros or ties, else the normal approximation with tie and
  continuity correction; V = sum of the ranks of the positive changes), Cohen's dz
  = mean / sd of change with its noncentral-t 95% CI, improved (change < 0, lower is
  better) / unchanged / worse counts, percent improved;
* Holm adjustment of both p-values within each (group_by, comparison) family;
* groups with n < 10 suppressed (identity and suppressed=true only).

Reading follows the tool's rules: blank ids and later rows of a repeated id are dropped;
scores must be whole numbers 3..9 (anything else, missing codes included, is not used).

Prints the seconds spent reading and computing. Dependencies: pandas, numpy, scipy.

Means and sds are pandas' own, not the tool's compensated two-pass sums, so the last
digit or two of a statistic can differ from comparisons.csv.
"""

import argparse
import math
import sys
import time

import numpy as np
import pandas as pd
from scipy import optimize, stats

MISSING_GROUP = "(missing)"
GROUP_COLUMNS = ["trigger_group", "location"]
TIMEPOINTS = ["pre", "post", "followup"]
COMPARISONS = [("pre_post", "pre", "post"), ("pre_followup", "pre", "followup"),
               ("post_followup", "post", "followup")]
SCORE_RANGE = (3, 9)  # UCLA-3 totals
MIN_CELL = 10
CONF = 0.95
# The tool's missing codes (matched case-insensitively there); they are all out of range or
# not numbers anyway, so listing them only keeps read_csv from falling back to text.
MISSING_CODES = ["", "NA", "na", "Na", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL",
                 "Null", "-99", "-9", "-1"]

COLUMNS = ["group_by", "group", "comparison", "n", "mean_a", "sd_a", "mean_b", "sd_b",
           "mean_change", "sd_change", "ci_low", "ci_high", "t", "df", "p_t", "p_t_adj",
           "wilcoxon_v", "p_wilcoxon", "p_wilcoxon_adj", "dz", "dz_ci_low", "dz_ci_high",
           "n_improved", "n_unchanged", "n_worse", "pct_improved", "suppressed", "note"]


def read_export(path):
    """The export as a frame: one row per person, categorical groups, valid scores or NaN."""
    score_cols = [f"{tp}_score" for tp in TIMEPOINTS]
    df = pd.read_csv(
        path,
        usecols=["id", *GROUP_COLUMNS, *score_cols],
        dtype={"id": str, **{c: "category" for c in GROUP_COLUMNS}},
        keep_default_na=False,  # a group literally called "NA" is a group, as in the tool
        na_values={c: MISSING_CODES for c in score_cols},
        on_bad_lines="skip",  # too many fields: excluded, as the tool does
    )
    ids = df["id"].str.strip()
    keep = (ids != "") & ~ids.duplicated(keep="first")
    if not keep.all():
        df = df[keep.to_numpy()].reset_index(drop=True)
    for col in GROUP_COLUMNS:
        df[col] = tidy_groups(df[col])
    lo, hi = SCORE_RANGE
    for col in score_cols:
        s = df[col]
        if s.dtype.kind not in "fi":  # text in a score column: not a number -> invalid
            s = pd.to_numeric(s.astype(str).str.strip(), errors="coerce")
        s = s.astype("float64")
        df[col] = s.where(s.between(lo, hi) & (s % 1 == 0))
    return df


def tidy_groups(s):
    """Trims group values, names blanks "(missing)" and sorts the levels by name (code point
    order, which is the tool's UTF-8 byte order). Works on the categories, not the rows."""
    cats = [str(c).strip() or MISSING_GROUP for c in s.cat.categories]
    codes = s.cat.codes.to_numpy()
    if (codes < 0).any():
        cats.append(MISSING_GROUP)
        codes = np.where(codes < 0, len(cats) - 1, codes)
    levels = sorted(set(cats))
    remap = np.array([levels.index(c) for c in cats], dtype=np.int32)
    return pd.Categorical.from_codes(remap[codes], categories=levels)


def ncp_bound(t, df, target):
    """The noncentrality parameter with nct.cdf(t, df, ncp) = target (cdf falls with ncp)."""
    f = lambda ncp: stats.nct.cdf(t, df, ncp) - target
    # Start near the normal approximation and widen until the root is bracketed.
    step = stats.norm.ppf(0.975) * math.sqrt(1 + t * t / (2 * df))
    lo, hi = t - step, t + step
    for _ in range(60):
        if f(lo) >= 0 and f(hi) <= 0:
            return optimize.brentq(f, lo, hi, xtol=1e-12 * (1 + abs(t)), rtol=1e-14)
        step *= 2
        lo, hi = t - step, t + step
    return math.nan


def tests(d):
    """t test, Wilcoxon and dz (with CIs) for one group's changes, plus a note."""
    out = {}
    n = len(d)
    if n < 2:
        return out, "fewer than 2 pairs: no sd, t test or effect size"
    nonzero = d[d != 0]
    note = []
    mean, var = d.mean(), d.var(ddof=1)
    se = math.sqrt(var / n)
    if se == 0 or se < 10 * np.finfo(float).eps * abs(mean):
        note.append("all changes are zero: no t test, Wilcoxon test or effect size"
                    if len(nonzero) == 0 else
                    "every change is the same: no t test or effect size")
    else:
        res = stats.ttest_1samp(d, 0.0)
        df = n - 1
        q = stats.t.ppf(1 - (1 - CONF) / 2, df)
        t = float(res.statistic)
        out.update(t=t, df=df, p_t=float(res.pvalue),
                   ci_low=mean - q * se, ci_high=mean + q * se)
        lo = ncp_bound(t, df, 1 - (1 - CONF) / 2)
        hi = ncp_bound(t, df, (1 - CONF) / 2)
        out.update(dz=mean / math.sqrt(var), dz_ci_low=lo / math.sqrt(n),
                   dz_ci_high=hi / math.sqrt(n))
    if len(nonzero):
        # R's (and the tool's) choice: the exact null distribution below 50 non-zero changes
        # when there are no zeros and no ties, else the normal approximation. SciPy's "auto"
        # would run a permutation test for up to 13 changes with ties instead.
        exact = len(nonzero) == n and n < 50 and len(np.unique(np.abs(d))) == n
        w = stats.wilcoxon(d, zero_method="wilcox", correction=True,
                           method="exact" if exact else "asymptotic")
        # SciPy reports min(W+, W-) for a two-sided test; comparisons.csv has R's V = W+.
        ranks = stats.rankdata(np.abs(nonzero))
        out.update(wilcoxon_v=float(ranks[nonzero > 0].sum()), p_wilcoxon=float(w.pvalue))
    return out, "; ".join(note)


def holm(p):
    """R's p.adjust(p, "holm") over the non-NaN entries of p."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m:
        order = np.argsort(q, kind="stable")
        adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * q[order]))
        res = np.empty(m)
        res[order] = adj
        out[ok] = res
    return out


def compare(df):
    """All rows of comparisons.csv, in the tool's order."""
    rows = []
    for name, a, b in COMPARISONS:
        pair = df.loc[df[f"{a}_score"].notna() & df[f"{b}_score"].notna(),
                      [*GROUP_COLUMNS, f"{a}_score", f"{b}_score"]]
        pair.columns = [*GROUP_COLUMNS, "a", "b"]
        pair = pair.assign(all="All", change=pair["b"] - pair["a"])
        for group_by in ["all", *GROUP_COLUMNS]:
            g = pair.groupby(group_by, observed=False, sort=True)
            summary = g.agg(n=("change", "size"), mean_a=("a", "mean"), sd_a=("a", "std"),
                            mean_b=("b", "mean"), sd_b=("b", "std"),
                            mean_change=("change", "mean"), sd_change=("change", "std"))
            c = pair["change"]
            summary["n_improved"] = (c < 0).groupby(pair[group_by], observed=False).sum()
            summary["n_unchanged"] = (c == 0).groupby(pair[group_by], observed=False).sum()
            summary["n_worse"] = (c > 0).groupby(pair[group_by], observed=False).sum()
            summary["pct_improved"] = summary["n_improved"] / summary["n"] * 100
            changes = c.to_numpy()
            positions = g.indices
            for group, s in summary.iterrows():
                row = {"group_by": group_by, "group": group, "comparison": name}
                if s["n"] < MIN_CELL:
                    row["suppressed"] = "true"
                else:
                    t, note = tests(changes[positions[group]])
                    row.update(s.to_dict(), **t, suppressed="false", note=note)
                rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    # Rows were added comparison by comparison; the tool lists each group's three together.
    key = {"all": 0, **{c: i + 1 for i, c in enumerate(GROUP_COLUMNS)}}
    order = {c[0]: i for i, c in enumerate(COMPARISONS)}
    out = out.assign(_k=out["group_by"].map(key), _c=out["comparison"].map(order))
    out = out.sort_values(["_k", "group", "_c"], kind="stable").drop(columns=["_k", "_c"])
    for p in ["p_t", "p_wilcoxon"]:
        out[f"{p}_adj"] = out.groupby(["group_by", "comparison"], sort=False)[p] \
                             .transform(holm)
    for col in ["n", "df", "n_improved", "n_unchanged", "n_worse"]:
        out[col] = out[col].astype("Int64")
    return out.reset_index(drop=True)


def check(ours, theirs, tolerance=1e-9):
    """Compares two comparisons.csv files cell by cell; returns the number of mismatches."""
    read = lambda p: pd.read_csv(p, keep_default_na=False, na_values=[""])
    a, b = read(ours), read(theirs)
    # comparisons.csv has columns after the contract's (Hodges-Lehmann, the Wilcoxon method)
    # that this script does not compute: compare the ones both have.
    a = a[[c for c in b.columns if c in a.columns]]
    key = ["group_by", "group", "comparison", "suppressed"]
    if a.shape != b.shape or not a[key].astype(str).equals(b[key].astype(str)):
        print(f"check: the rows differ ({len(a)} vs {len(b)} rows)")
        return 1
    bad = 0
    worst = []
    for col in COLUMNS[3:-2]:
        x, y = a[col].astype(float).to_numpy(), b[col].astype(float).to_numpy()
        missing = np.isnan(x) != np.isnan(y)
        both = ~np.isnan(x) & ~np.isnan(y)
        rel = np.abs(x - y)[both] / np.maximum(np.abs(x[both]), 1e-300)
        worst.append((rel.max() if rel.size else 0.0, col))
        n_bad = int(missing.sum() + (rel > tolerance).sum())
        if n_bad:
            print(f"check: {col}: {n_bad} cells differ (largest relative difference "
                  f"{rel.max():.3g}, {int(missing.sum())} blank in one file only)")
        bad += n_bad
    rel, col = max(worst)
    print(f"check: {len(a)} rows; largest relative difference {rel:.3g} ({col}); "
          f"{bad} cells beyond {tolerance:g}")
    first = pd.DataFrame({"ours": a.loc[0, COLUMNS[3:22]], "pandas": b.loc[0, COLUMNS[3:22]]})
    print(f"check: {a.loc[0, 'group_by']}/{a.loc[0, 'group']}/{a.loc[0, 'comparison']}:")
    print(first.to_string(float_format=lambda v: f"{v:.17g}"))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("export", nargs="?")
    ap.add_argument("--out", help="comparisons CSV to write")
    ap.add_argument("--check", nargs=2, metavar=("OURS", "PANDAS"),
                    help="only compare two comparisons.csv files (exit 1 on a mismatch)")
    args = ap.parse_args()
    if args.check:
        return 1 if check(*args.check) else 0
    if not (args.export and args.out):
        ap.error("EXPORT and --out are required")
    t0 = time.perf_counter()
    df = read_export(args.export)
    t1 = time.perf_counter()
    result = compare(df)
    t2 = time.perf_counter()
    result.to_csv(args.out, index=False)
    t3 = time.perf_counter()
    print(f"read {t1 - t0:.3f} s  compute {t2 - t1:.3f} s  write {t3 - t2:.3f} s  "
          f"total {t3 - t0:.3f} s  ({len(df)} people, {len(result)} rows)")


if __name__ == "__main__":
    sys.exit(main())
