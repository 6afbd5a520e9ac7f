#!/usr/bin/env python3
"""Writes exports shaped like those real systems produce, each with the truth it holds.

    pip install openpyxl
    python3 tests/data/exports/make.py

Every export holds the same kind of people (seeded), written the way one system writes them:

- crm.csv: a case-management system's wide export: "Client ID", "Service Location",
  "Referral Reason", "UCLA Q1 (Referral)" ... "UCLA Q3 (3 Month Follow Up)", answers as labels
  ("Hardly ever", "Some of the time", "Often", in any case), "Prefer not to say" and
  "Not completed" for no answer, location spellings that differ in case, test clients
  (TEST...), a TOTAL row at the end and a referral date (dd/mm/yyyy).
- excel_saved.csv: Excel's "Save as CSV" of a workbook: Windows-1252 text (a curly
  apostrophe in a location), CRLF line ends, items named ucla1_t0 ... ucla3_t2, #N/A error
  values and 99 for no answer.
- r_long.csv: R's write.csv of a long data frame: a row-name column with a blank header,
  every text quoted, NA for missing, a review_type column ("Referral", "End of support",
  "3-month follow-up", "Interim review") and the total ucla_total.
- workbook.xlsx: a "Read me" sheet, then "Data" with two title rows above the header
  ("Participant ID", "Site", "Trigger", "UCLA Total (Referral)" ...), totals as numbers, #N/A
  error cells, referral dates as date cells.

X_truth.csv is the same people in the tool's own form (id, trigger_group, location,
pre_score, post_score, followup_score; blank = missing; test and total rows left out): what
`init` followed by `analyse --config` must give the results of.
"""
import csv
import datetime
import os
import random

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
LOCATIONS = ["Leeds", "Hull", "York", "Bradford"]
TRIGGERS = ["Bereavement", "Retirement", "New parent", "Mobility or health"]
LABELS = {1: "Hardly ever", 2: "Some of the time", 3: "Often"}
TIMEPOINTS = ["pre", "post", "followup"]


def people(seed, n, locations=LOCATIONS):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        pre = [rng.choice([1, 2, 2, 3, 3]) for _ in range(3)]
        post = [max(1, v - rng.choice([0, 0, 1, 1, 2])) for v in pre]
        follow = [min(3, v + rng.choice([0, 0, 0, 1])) for v in post]
        items = {"pre": pre, "post": post if i % 7 != 3 else None, "followup": follow if i % 3 == 0 else None}
        # One item left unanswered here and there: the timepoint is missing.
        for tp in TIMEPOINTS:
            if items[tp] is not None and rng.random() < 0.04:
                items[tp] = list(items[tp])
                items[tp][rng.randrange(3)] = None
        out.append({
            "id": f"{seed}-{i:04d}",
            "location": rng.choice(locations),
            "trigger": rng.choice(TRIGGERS),
            "date": datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(400)),
            "items": items,
        })
    return out


def total(items):
    if items is None or any(v is None for v in items):
        return None
    return sum(items)


def write_truth(name, rows):
    with open(os.path.join(HERE, f"{name}_truth.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "trigger_group", "location", "pre_score", "post_score", "followup_score"])
        for p in rows:
            scores = [total(p["items"][tp]) for tp in TIMEPOINTS]
            w.writerow([p["id"], p["trigger"], p["location"]] + ["" if s is None else s for s in scores])


def crm():
    rng = random.Random(11)
    rows = people(1, 600)
    header = ["Client ID", "Service Location", "Referral Reason", "Referral Date"]
    names = {"pre": "Referral", "post": "End", "followup": "3 Month Follow Up"}
    for tp in TIMEPOINTS:
        header += [f"UCLA Q{k} ({names[tp]})" for k in (1, 2, 3)]
    out = []
    for p in rows:
        location = p["location"]
        if location == "Leeds" and rng.random() < 0.1:
            location = "leeds"  # a spelling of the same place
        cells = [p["id"], location, p["trigger"], p["date"].strftime("%d/%m/%Y")]
        for tp in TIMEPOINTS:
            items = p["items"][tp]
            for v in items or [None] * 3:
                if v is None:
                    cells.append(rng.choice(["", "Prefer not to say", "Not completed"]) if items else "")
                else:
                    label = LABELS[v]
                    cells.append(rng.choice([label, label, label.upper(), label.lower() + " "]))
        out.append(cells)
    # Test clients, filled in like real ones, and a totals row: not people.
    for k in range(3):
        out.insert(50 * k + 7, [f"TEST{k:03d}", "Leeds", "Bereavement", "01/02/2024"] + ["Often"] * 3 + ["Hardly ever"] * 3 + [""] * 3)
    out.append(["", "TOTAL", "", ""] + [""] * 9)
    with open(os.path.join(HERE, "crm.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(out)
    write_truth("crm", rows)


def excel_saved():
    rng = random.Random(12)
    locations = ["Leeds", "Hull", "York", "Bishop\u2019s Stortford"]
    rows = people(2, 500, locations)
    header = ["ClientID", "Location", "Trigger Group"]
    for t in range(3):
        header += [f"ucla{k}_t{t}" for k in (1, 2, 3)]
    with open(os.path.join(HERE, "excel_saved.csv"), "w", newline="", encoding="cp1252") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for p in rows:
            cells = [p["id"], p["location"], p["trigger"]]
            for tp in TIMEPOINTS:
                items = p["items"][tp]
                for v in items or [None] * 3:
                    if v is None:
                        cells.append(rng.choice(["", "99", "#N/A"]) if items else "")
                    else:
                        cells.append(str(v))
            w.writerow(cells)
    write_truth("excel_saved", rows)


def r_long():
    rows = people(3, 500)
    rng = random.Random(13)
    names = {"pre": "Referral", "post": "End of support", "followup": "3-month follow-up"}
    records = []
    for p in rows:
        for tp in TIMEPOINTS:
            if p["items"][tp] is None:
                continue
            records.append((p, names[tp], total(p["items"][tp])))
            if tp == "pre" and rng.random() < 0.2:
                records.append((p, "Interim review", rng.randint(3, 9)))
    with open(os.path.join(HERE, "r_long.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(["", "id", "location", "trigger_group", "review_type", "ucla_total"])
        for k, (p, review, score) in enumerate(records, 1):
            # write.csv: row names and text quoted, numbers bare, NA bare.
            f.write(",".join([f'"{k}"', f'"{p["id"]}"', f'"{p["location"]}"', f'"{p["trigger"]}"',
                              f'"{review}"', "NA" if score is None else str(score)]) + "\n")
    write_truth("r_long", rows)


def workbook():
    rows = people(4, 500)
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "Read me"
    readme.append(["About this export"])
    readme.append(["One row per participant; totals of the UCLA 3-item scale."])
    ws = wb.create_sheet("Data")
    ws.append(["Loneliness programme: participant outcomes"])
    ws.append(["Exported 30/11/2026"])
    ws.append(["Participant ID", "Site", "Trigger", "Referral date", "UCLA Total (Referral)",
               "UCLA Total (End)", "UCLA Total (Follow-up)"])
    for i, p in enumerate(rows):
        scores = [total(p["items"][tp]) for tp in TIMEPOINTS]
        cells = [p["id"], p["location"], p["trigger"], p["date"]]
        for s in scores:
            # Some missing totals are the error a formula left behind.
            cells.append(s if s is not None else ("#N/A" if i % 2 else None))
        ws.append(cells)
        ws.cell(row=ws.max_row, column=4).number_format = "dd/mm/yyyy"
    wb.properties.created = datetime.datetime(2026, 1, 1)
    wb.properties.modified = datetime.datetime(2026, 1, 1)
    wb.save(os.path.join(HERE, "workbook.xlsx"))
    write_truth("workbook", rows)


if __name__ == "__main__":
    crm()
    excel_saved()
    r_long()
    workbook()
