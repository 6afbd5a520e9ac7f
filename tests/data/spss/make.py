#!/usr/bin/env python3
"""Writes SPSS fixtures with pyreadstat (ReadStat), and clients_twin.csv: the same data as the
CSV export SPSS's "Save as CSV" with labels for grouping columns would hold.

    pip install pyreadstat pandas
    python3 tests/data/spss/make.py        # clients.sav, clients.zsav, clients_twin.csv
    Rscript tests/data/spss/make.R          # clients_haven.sav (R haven, the same data)

The data: grouping columns stored as numeric codes with value labels (location 1 = "Leeds"
...; a code with no label reads as the code), UCLA-3 items coded 1-3 with value labels
("Hardly ever" ...), user-defined missing values (9 "Prefer not to say", and a range
-99..-90 on the totals), system-missing cells, a referral date in an SPSS date format, and
variable labels.
"""
import csv
import datetime
import os
import random

import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)
LOCATIONS = {1: "Leeds", 2: "Hull", 3: "York", 4: "Bradford"}
TRIGGERS = {1: "Bereavement", 2: "Retirement", 3: "New parent", 4: "Mobility or health"}

rows = []
for i in range(400):
    pre = [rng.randint(1, 3) for _ in range(3)]
    post = [max(1, v - rng.choice([0, 0, 1, 2])) for v in pre]
    follow = [min(3, v + rng.choice([0, 0, 1])) for v in post] if i % 3 == 0 else [None] * 3
    if i % 9 == 4:
        post = [None] * 3
    row = {
        "id": f"S{i:04d}",
        "location": float(rng.choice([1, 2, 3, 4]) if i % 97 != 5 else 5),  # 5 has no label
        "trigger": float(rng.choice([1, 2, 3, 4])),
        "refdate": datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
    }
    for tp, values in (("pre", pre), ("post", post), ("followup", follow)):
        for k, v in enumerate(values, 1):
            row[f"{tp}_q{k}"] = None if v is None else float(v)
    if i % 23 == 6:
        row["post_q2"] = 9.0  # user-missing: "Prefer not to say"
    if i % 31 == 7:
        row["pre_q1"] = 7.0   # out of range: invalid, as in the CSV twin
    rows.append(row)

df = pd.DataFrame(rows)
items = [c for c in df.columns if "_q" in c]
labels = {c: {1.0: "Hardly ever", 2.0: "Some of the time", 3.0: "Often", 9.0: "Prefer not to say"} for c in items}
labels["location"] = {float(k): v for k, v in LOCATIONS.items()}
labels["trigger"] = {float(k): v for k, v in TRIGGERS.items()}
column_labels = {"id": "Client ID", "location": "Service location", "trigger": "Referral reason",
                 "refdate": "Referral date"}
for c in items:
    tp, k = c.split("_q")
    column_labels[c] = f"UCLA Q{k} ({tp})"
for path, compress in (("clients.sav", False), ("clients.zsav", True)):
    pyreadstat.write_sav(
        df.rename(columns={"trigger": "trigger_group"}),
        os.path.join(HERE, path),
        column_labels={("trigger_group" if k == "trigger" else k): v for k, v in column_labels.items()},
        variable_value_labels={("trigger_group" if k == "trigger" else k): v for k, v in labels.items()},
        missing_ranges={c: [9.0] for c in items},
        variable_format={"refdate": "EDATE10"},
        compress=compress,
    )

with open(os.path.join(HERE, "clients_twin.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "location", "trigger_group", "refdate"] + items)
    for r in rows:
        cells = [r["id"], LOCATIONS.get(int(r["location"]), str(int(r["location"]))),
                 TRIGGERS[int(r["trigger"])], r["refdate"].isoformat()]
        for c in items:
            v = r[c]
            cells.append("" if v is None or v == 9.0 else str(int(v)))
        w.writerow(cells)
