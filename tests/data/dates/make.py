"""Date fixtures for tests/dates.rs (#18), seeded, with the truths computed here
independently of the tool (pandas: quantiles are numpy's default, R's type 7).

  wide.csv     one row per person: referral dd/mm/yyyy, end of support ISO, follow-up
               dd-Mon-yy; some dates blank, one impossible (31/02/2024)
  long.csv     the same people one row per assessment, an "Assessment Date" column in the
               form of the wide column it came from
  wide.xlsx    wide.csv as a workbook whose dates are real date cells
  us.csv       wide.csv with every date written mm/dd/yyyy (US)
  ordered.csv  the people with all three dates as a long layout without a timepoint column,
               shuffled, plus fourth assessments and undated rows (order-by-date), and
               ordered_twin.csv the same assessments with their timepoints
  eval.toml, long.toml, us.toml   the configs (followup-window = "60..120")
  truth.json   intervals, months covered, window counts, quarter groups

Run: python3 make.py   (needs pandas, openpyxl)
"""
import datetime as dt
import json
import random

import pandas as pd

random.seed(20261203)
N = 240
START = dt.date(2023, 4, 3)
people = []
for i in range(N):
    referral = START + dt.timedelta(days=random.randint(0, 540))
    end = referral + dt.timedelta(days=random.randint(60, 110))
    follow = end + dt.timedelta(days=random.randint(30, 160))
    pre = random.randint(4, 9)
    post = max(3, min(9, pre - random.choice([-1, 0, 1, 1, 2, 2, 3])))
    fu = max(3, min(9, post + random.choice([-1, 0, 0, 1])))
    p = dict(id=f"C{i:04d}", location=random.choice(["Leeds", "York", "Hull"]),
             trigger_group=random.choice(["Bereaved", "Retired"]),
             referral=referral, end=end, follow=follow, pre=pre, post=post, fu=fu)
    r = random.random()
    if r < 0.06:
        p["follow"] = None          # follow-up score without a date
    elif r < 0.10:
        p["fu"] = None              # a follow-up date without a score
    elif r < 0.13:
        p["end"] = None             # no end-of-support date
    people.append(p)
# One impossible referral date: undated at referral, counted as unreadable.
people[7]["bad_referral"] = "31/02/2024"

def uk(d): return d.strftime("%d/%m/%Y") if d else ""
def iso(d): return d.isoformat() if d else ""
def dmon(d): return d.strftime("%d-%b-%y") if d else ""
def us(d): return d.strftime("%m/%d/%Y") if d else ""
def score(v): return "" if v is None else str(v)

HEADER = "id,location,trigger_group,Referral Date,End Date,Follow-up Date,pre_score,post_score,followup_score"
def wide_rows(fmt_ref, fmt_end, fmt_fu):
    rows = [HEADER]
    for p in people:
        ref = p.get("bad_referral") or fmt_ref(p["referral"])
        rows.append(",".join([p["id"], p["location"], p["trigger_group"], ref, fmt_end(p["end"]),
                              fmt_fu(p["follow"]), score(p["pre"]), score(p["post"]), score(p["fu"])]))
    return "\n".join(rows) + "\n"

open("wide.csv", "w").write(wide_rows(uk, iso, dmon))
us_text = wide_rows(us, us, us).replace("31/02/2024", "02/31/2024")
open("us.csv", "w").write(us_text)

long = ["id,location,trigger_group,review,Assessment Date,score"]
for p in people:
    ref = p.get("bad_referral") or uk(p["referral"])
    for review, date, s in [("Referral", ref, p["pre"]), ("End of support", iso(p["end"]), p["post"]),
                            ("3-month follow-up", dmon(p["follow"]), p["fu"])]:
        if date == "" and s is None:
            continue
        long.append(",".join([p["id"], p["location"], p["trigger_group"], review, date, score(s)]))
open("long.csv", "w").write("\n".join(long) + "\n")

from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "Clients"
ws.append(HEADER.split(","))
for p in people:
    ref = p.get("bad_referral") or p["referral"]
    ws.append([p["id"], p["location"], p["trigger_group"], ref, p["end"], p["follow"], p["pre"], p["post"], p["fu"]])
for row in ws.iter_rows(min_row=2, min_col=4, max_col=6):
    for cell in row:
        if isinstance(cell.value, dt.date):
            cell.number_format = "DD/MM/YYYY"
# Fixed document dates; the zip's own entry times still make each run's bytes differ, not
# its cells.
wb.properties.created = wb.properties.modified = dt.datetime(2026, 12, 3)
wb.save("wide.xlsx")

COLUMNS = '''[columns]
pre_date = "Referral Date"
post_date = "End Date"
followup_date = "Follow-up Date"
'''
open("eval.toml", "w").write('followup-window = "60..120"\n\n' + COLUMNS)
open("us.toml", "w").write('followup-window = "60..120"\ndate-format = "mm/dd/yyyy"\n\n' + COLUMNS)
open("long.toml", "w").write('''followup-window = "60..120"

[columns]
timepoint = "review"
assessment_date = "Assessment Date"

[timepoints]
"Referral" = "pre"
"End of support" = "post"
"3-month follow-up" = "followup"
''')

# Truths.
df = pd.DataFrame(people)
df["referral"] = [None if "bad_referral" in p and isinstance(p.get("bad_referral"), str) else p["referral"] for p in people]
for c in ["referral", "end", "follow"]:
    df[c] = pd.to_datetime(df[c])
has = lambda c: df[c].notna()
# The window: a follow-up score (not missing) counts only 60..120 days after end of support.
fu_present = has("fu")
gap = (df["follow"] - df["end"]).dt.days
dated = has("follow") & has("end")
early = fu_present & dated & (gap < 60)
late = fu_present & dated & (gap > 120)
undated = fu_present & ~dated
fu_kept = fu_present & dated & (gap >= 60) & (gap <= 120)
valid = {"pre": has("pre"), "post": has("post"), "followup": fu_kept}
date_of = {"pre": "referral", "post": "end", "followup": "follow"}

def q(x, p):
    return float(x.quantile(p)) if len(x) else None

intervals = {}
for a, b in [("pre", "post"), ("pre", "followup"), ("post", "followup")]:
    both = valid[a] & valid[b]
    with_dates = both & has(date_of[a]) & has(date_of[b])
    days = (df.loc[with_dates, date_of[b]] - df.loc[with_dates, date_of[a]]).dt.days
    intervals[f"{a}_{b}"] = dict(n=int(with_dates.sum()), undated=int((both & ~with_dates).sum()),
                                 q1=q(days, .25), median=q(days, .5), q3=q(days, .75),
                                 n_pairs=int(both.sum()))
months = {}
for tp, c in date_of.items():
    d = df[c].dropna()
    # The published period: the months of the 10th (min-cell) earliest and latest dates.
    d = d.sort_values()
    months[tp] = dict(dated=int(len(d)), first=d.iloc[9].strftime("%Y-%m"), last=d.iloc[-10].strftime("%Y-%m"))
quarter = df["referral"].dt.year.astype("Int64").astype(str) + " Q" + df["referral"].dt.quarter.astype("Int64").astype(str)
quarter[df["referral"].isna()] = "(not a date)"
pre_post = valid["pre"] & valid["post"]
quarters = {k: int(v) for k, v in quarter[pre_post].value_counts().sort_index().items()}
truth = dict(intervals=intervals, months=months,
             window=dict(too_early=int(early.sum()), too_late=int(late.sum()), undated=int(undated.sum())),
             pre_post_by_quarter=quarters, unreadable=1)
json.dump(truth, open("truth.json", "w"), indent=1, sort_keys=True)
print(json.dumps(truth, indent=1, sort_keys=True))

# A long layout with no timepoint column, its rows shuffled, ordered by date
# (order-by-date): the people with all three dates, plus a fourth assessment for five of
# them and three rows without a date (both excluded and counted). Its twin names each
# row's timepoint and holds neither.
complete = [p for p in people if p["referral"] and p["end"] and p["follow"] and "bad_referral" not in p]
ordered, twin = [], []
for p in complete:
    for review, date, s in [("pre", p["referral"], p["pre"]), ("post", p["end"], p["post"]),
                            ("followup", p["follow"], p["fu"])]:
        ordered.append([p["id"], p["location"], p["trigger_group"], uk(date), score(s)])
        twin.append([p["id"], p["location"], p["trigger_group"], review, uk(date), score(s)])
for p in complete[:5]:
    ordered.append([p["id"], p["location"], p["trigger_group"],
                    uk(p["follow"] + dt.timedelta(days=200)), "9"])
for p in complete[5:8]:
    ordered.append([p["id"], p["location"], p["trigger_group"], "", "9"])
random.shuffle(ordered)
open("ordered.csv", "w").write("id,location,trigger_group,Assessment Date,score\n"
                               + "".join(",".join(r) + "\n" for r in ordered))
open("ordered_twin.csv", "w").write("id,location,trigger_group,timepoint,Assessment Date,score\n"
                                    + "".join(",".join(r) + "\n" for r in twin))
open("ordered.toml", "w").write('order-by-date = true\n\n[columns]\nassessment_date = "Assessment Date"\n')
open("ordered_twin.toml", "w").write('[columns]\nassessment_date = "Assessment Date"\n')
