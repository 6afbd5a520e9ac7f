#!/usr/bin/env python3
"""Write six realistic loneliness-scheme exports + the TRUE pre->post evaluation of each.

Written by a helper trying the tool as a new user, not by the tool's authors; kept as a test
(tests/init.rs) of init on exports we did not design. Rerun (pip install pandas numpy
openpyxl pyreadstat pyarrow odfpy):  cd tests/data/trial && python3 make_exports.py
Outputs: exports/e*.{csv,xlsx,sav,parquet,ods} and truth/e*_truth.csv
Truth rules: UCLA-3 total = sum of 3 items (1-3) only if all 3 valid; missing codes
(Don't know, N/A, Prefer not to say, 999, 99, 8, 9, blanks) -> missing; totals
outside 3-9 -> invalid/missing; test/training records excluded; exact duplicate
rows counted once; pre->post uses people with both totals.
"""
import os, json
import numpy as np
import pandas as pd

RNG = np.random.default_rng(20241203)
os.makedirs("exports", exist_ok=True)
os.makedirs("truth", exist_ok=True)


def gen_people(n, groups):
    """groups: dict name -> list of values. returns df with items pre/post/fu (float, NaN missing)
    and a 'miss_kind' array per item for rendering."""
    df = pd.DataFrame({"pid": np.arange(n)})
    for g, vals in groups.items():
        df[g] = RNG.choice(vals, size=n)
    lat = RNG.normal(0, 1, n)
    for tp, shift in (("pre", 0.0), ("post", -0.45), ("fu", -0.3)):
        for i in (1, 2, 3):
            x = lat + shift + RNG.normal(0, 0.8, n) + 0.3
            item = np.clip(np.round(x * 0.9 + 2), 1, 3)
            df[f"{tp}_{i}"] = item
        # timepoint not done
        notdone = RNG.random(n) < {"pre": 0.03, "post": 0.18, "fu": 0.40}[tp]
        for i in (1, 2, 3):
            df.loc[notdone, f"{tp}_{i}"] = np.nan
        df[f"{tp}_done"] = ~notdone
        # individual item missing (don't know / refused)
        for i in (1, 2, 3):
            m = (RNG.random(n) < 0.04) & ~notdone
            df.loc[m, f"{tp}_{i}"] = np.nan
    return df


def totals(df):
    for tp in ("pre", "post", "fu"):
        df[f"{tp}_total"] = df[[f"{tp}_{i}" for i in (1, 2, 3)]].sum(axis=1, min_count=3)
    return df


def truth_table(df, group_cols, name, a="pre_total", b="post_total"):
    rows = []
    d = df.dropna(subset=[a, b])
    def row(gb, g, x):
        return dict(export=name, group_by=gb, group=g, comparison="pre->post", n=len(x),
                    mean_a=round(x[a].mean(), 4), mean_b=round(x[b].mean(), 4),
                    mean_change=round((x[b] - x[a]).mean(), 4))
    rows.append(row("overall", "all", d))
    for gc in group_cols:
        for g, x in d.groupby(gc):
            rows.append(row(gc, g, x))
    # pre->followup too, for reference
    d2 = df.dropna(subset=[a, "fu_total"]) if "fu_total" in df else None
    if d2 is not None and len(d2):
        r = row("overall", "all", d2.assign(post_total=d2["fu_total"]).rename(columns={}))
        r.update(comparison="pre->followup", mean_b=round(d2["fu_total"].mean(), 4),
                 mean_change=round((d2["fu_total"] - d2[a]).mean(), 4))
        rows.append(r)
    t = pd.DataFrame(rows)
    t.to_csv(f"truth/{name}_truth.csv", index=False)
    return t


LABELS = {1: "Hardly ever", 2: "Some of the time", 3: "Often"}

# ---------------------------------------------------------------- e1
# Hub CRM export: UTF-8 BOM, comma CSV, wide items as mixed-case text labels,
# Don't know / N/A, Excel serial dates, test records, exact duplicate rows, a blank row.
def e1():
    hubs = ["Northgate Hub", "Riverside Hub", "Town Centre Hub", "Eastfield Hub"]
    routes = ["GP", "Self-referral", "Social worker", "Housing officer"]
    df = totals(gen_people(260, {"Hub": hubs, "Referral route": routes}))
    df["ref"] = [f"SP-{1000 + i}" for i in df.pid]
    variants = {1: ["Hardly ever", "hardly ever", "HARDLY EVER", "Hardly Ever"],
                2: ["Some of the time", "some of the time", "Some of the time ", "SOME OF THE TIME"],
                3: ["Often", "often", "OFTEN"]}
    def lab(v, done):
        if not done:
            return ""
        if np.isnan(v):
            return RNG.choice(["Don't know", "N/A", "Prefer not to say", ""])
        return RNG.choice(variants[int(v)])
    qn = {1: "Q1 lack companionship", 2: "Q2 feel left out", 3: "Q3 feel isolated"}
    tpn = {"pre": "baseline", "post": "12 weeks", "fu": "6 months"}
    out = pd.DataFrame({"Participant Ref": df.ref, "Hub": df.Hub, "Referral route": df["Referral route"],
                        "Date of referral": RNG.integers(45000, 45500, len(df))})
    for tp in ("pre", "post", "fu"):
        for i in (1, 2, 3):
            out[f"{qn[i]} - {tpn[tp]}"] = [lab(v, d) for v, d in zip(df[f"{tp}_{i}"], df[f"{tp}_done"])]
    out["Link worker notes"] = RNG.choice(["", "", "Attends lunch club", "Moved area", "Declined follow-up"], len(df))
    # test records
    tests = out.iloc[:4].copy()
    tests["Participant Ref"] = ["TEST-001", "TEST-002", "test-003", "TEST-004"]
    tests["Hub"] = "Northgate Hub"
    tests["Link worker notes"] = "test record - ignore"
    for c in out.columns:
        if "baseline" in c:
            tests[c] = "Often"
        elif "12 weeks" in c:
            tests[c] = "Hardly ever"
    # duplicates: 10 exact duplicate rows
    dups = out.sample(10, random_state=1)
    full = pd.concat([out.iloc[:120], tests, out.iloc[120:], dups]).reset_index(drop=True)
    lines = full.to_csv(index=False).splitlines()
    lines.insert(150, "," * (len(full.columns) - 1))  # blank row
    with open("exports/e1_hub_crm.csv", "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return truth_table(df, ["Hub", "Referral route"], "e1")

# ---------------------------------------------------------------- e2
# Totals only, semicolon delimited, Windows-1252 (curly apostrophes, Welsh place names),
# 999 = not completed, a couple of impossible totals, a TRAINING record, quoted notes with ';'.
def e2():
    locs = ["Bishop’s Park", "Ynys Môn", "St Mary’s", "Llandudno Junction"]
    src = ["GP practice", "Age UK", "Self", "Hospital discharge"]
    df = totals(gen_people(240, {"Locality": locs, "Referral source": src}))
    def tot(v, done):
        if not done:
            return RNG.choice(["999", "", "999"])
        if np.isnan(v):
            return "999"
        return str(int(v))
    out = pd.DataFrame({"Client No": 50000 + df.pid * 7, "Locality": df.Locality,
                        "Referral source": df["Referral source"],
                        "Referral date": [f"{d:02d}/{m:02d}/2024" for d, m in zip(RNG.integers(1, 28, len(df)), RNG.integers(1, 12, len(df)))]})
    for tp, nm in (("pre", "Loneliness score (start)"), ("post", "Loneliness score (end)"),
                   ("fu", "Loneliness score (3 month follow up)")):
        out[nm] = [tot(v, d) for v, d in zip(df[f"{tp}_total"], df[f"{tp}_done"])]
    # impossible totals typed in (truth: invalid -> missing)
    for idx, col in ((5, "Loneliness score (end)"), (17, "Loneliness score (start)"), (33, "Loneliness score (end)")):
        out.loc[idx, col] = "12" if idx != 17 else "1"
        tpk = "post" if "end" in col else "pre"
        df.loc[idx, f"{tpk}_total"] = np.nan
    out["Notes"] = RNG.choice(["", "", "Carer; lives alone", "Widowed 2023", "Café group; walking"], len(df))
    tr = pd.DataFrame([{"Client No": 99999, "Locality": "TRAINING", "Referral source": "Self",
                        "Referral date": "01/04/2024", "Loneliness score (start)": "9",
                        "Loneliness score (end)": "3", "Loneliness score (3 month follow up)": "3",
                        "Notes": "TEST RECORD - training only"}] * 1)
    tr2 = tr.copy(); tr2["Client No"] = 99998
    full = pd.concat([out.iloc[:50], tr, out.iloc[50:], tr2])
    full.to_csv("exports/e2_totals_semicolon_cp1252.csv", sep=";", index=False, encoding="cp1252")
    return truth_table(df, ["Locality", "Referral source"], "e2")

# ---------------------------------------------------------------- e3
# xlsx: notes sheet first; data sheet with title rows; LONG: Assessment = Initial/Final/3 month
# (mixed case); real Excel dates; items UCLA_1..3 numeric with 99 = not answered and blanks;
# a staff-computed 'UCLA total' that SUMs answered items only (partial totals!); duplicates.
def e3():
    svc = ["Telephone befriending", "Face to face", "Group activities"]
    df = totals(gen_people(270, {"Service": svc, "Gender": ["Female", "Male", "Female", "Not stated"]}))
    rows = []
    names = {"pre": ["Initial", "initial", "INITIAL"], "post": ["Final", "final", "FINAL"],
             "fu": ["3 month", "3 Month", "3 months"]}
    base = pd.Timestamp("2023-09-01")
    for _, r in df.iterrows():
        for k, tp in enumerate(("pre", "post", "fu")):
            if not r[f"{tp}_done"]:
                continue
            items = []
            for i in (1, 2, 3):
                v = r[f"{tp}_{i}"]
                items.append(RNG.choice([99, None]) if np.isnan(v) else int(v))
            tot = sum(x for x in items if x is not None and x != 99)
            rows.append({"Person ID": f"BF{r.pid:04d}", "Assessment": RNG.choice(names[tp]),
                         "Assessment date": (base + pd.Timedelta(days=int(RNG.integers(0, 200)) + 90 * k)).to_pydatetime(),
                         "Service": r.Service, "Gender": r.Gender,
                         "UCLA_1": items[0], "UCLA_2": items[1], "UCLA_3": items[2], "UCLA total": tot})
    long = pd.DataFrame(rows)
    long = pd.concat([long, long.sample(8, random_state=3)]).sort_values(["Person ID", "Assessment date"]).reset_index(drop=True)
    with pd.ExcelWriter("exports/e3_befriending_long.xlsx", engine="openpyxl") as xw:
        pd.DataFrame({"Notes": ["UCLA-3 returns for the befriending service.",
                                "Responses: 1 = Hardly ever, 2 = Some of the time, 3 = Often. 99 = not answered.",
                                "Initial = at referral, Final = at discharge (~12 weeks), 3 month = after discharge.",
                                "Do not share outside the team."]}).to_excel(xw, sheet_name="Read me", index=False)
        long.to_excel(xw, sheet_name="Data", index=False, startrow=3)
        ws = xw.sheets["Data"]
        ws["A1"] = "Befriending Service – UCLA returns"
        ws["A2"] = "Exported 03/12/2024 by CRM"
        for c in ws["C"][4:]:
            c.number_format = "dd/mm/yyyy"
    return truth_table(df, ["Service", "Gender"], "e3")

# ---------------------------------------------------------------- e4
# SPSS .sav from an evaluation partner: numeric codes with value labels, items UCLA_1_T1..UCLA_3_T3
# (T1 = baseline, T2 = end, T3 = follow-up), 8 = Don't know, 9 = Not answered declared user-missing,
# site & route coded with labels.
def e4():
    df = totals(gen_people(230, {"site": [1, 2, 3, 4], "route": [1, 2, 3]}))
    out = pd.DataFrame({"ID": 700 + df.pid, "site": df.site, "route": df.route,
                        "age": RNG.integers(55, 95, len(df))})
    for tp, t in (("pre", "T1"), ("post", "T2"), ("fu", "T3")):
        for i in (1, 2, 3):
            col = []
            for v, d in zip(df[f"{tp}_{i}"], df[f"{tp}_done"]):
                if not d:
                    col.append(np.nan)
                elif np.isnan(v):
                    col.append(float(RNG.choice([8, 9])))
                else:
                    col.append(float(v))
            out[f"UCLA_{i}_{t}"] = col
    item_labels = {1.0: "Hardly ever", 2.0: "Some of the time", 3.0: "Often", 8.0: "Don't know", 9.0: "Not answered"}
    vl = {"site": {1: "Northgate", 2: "Riverside", 3: "Town Centre", 4: "Eastfield"},
          "route": {1: "GP referral", 2: "Self referral", 3: "Community partner"}}
    for c in out.columns:
        if c.startswith("UCLA_"):
            vl[c] = item_labels
    col_labels = ["Participant ID", "Delivery site", "Referral route", "Age at referral"] + \
        [f"UCLA item {c[5]} at {c[-2:]}" for c in out.columns[4:]]
    miss = {c: [8.0, 9.0] for c in out.columns if c.startswith("UCLA_")}
    import pyreadstat
    pyreadstat.write_sav(out, "exports/e4_partner.sav", column_labels=col_labels,
                         variable_value_labels=vl, missing_ranges=miss)
    df["site"] = df.site.map(vl["site"]); df["route"] = df.route.map(vl["route"])
    return truth_table(df, ["site", "route"], "e4")

# ---------------------------------------------------------------- e5
# Parquet from a data warehouse: LONG with stage Start / Review / End / Follow-up (3m),
# totals only (float, NaN), an is_test flag.
def e5():
    pcns = ["North PCN", "South PCN", "Central PCN"]
    partners = ["Age UK", "Citizens Advice", "Men's Shed", "Library"]
    df = totals(gen_people(280, {"pcn": pcns, "referral_partner": partners}))
    rows = []
    for _, r in df.iterrows():
        for stage, tp in (("Start", "pre"), ("Review", None), ("End", "post"), ("Follow-up (3m)", "fu")):
            if tp is None:
                if RNG.random() < 0.5:
                    rows.append(dict(client_key=int(r.pid) + 1, stage=stage, ucla_total=float(RNG.integers(3, 10)), pcn=r.pcn,
                                     referral_partner=r.referral_partner, is_test=False))
                continue
            if not r[f"{tp}_done"]:
                continue
            rows.append(dict(client_key=int(r.pid) + 1, stage=stage, ucla_total=r[f"{tp}_total"], pcn=r.pcn,
                             referral_partner=r.referral_partner, is_test=False))
    for k in range(5):
        for stage, v in (("Start", 9.0), ("End", 3.0)):
            rows.append(dict(client_key=90000 + k, stage=stage, ucla_total=v, pcn="North PCN",
                             referral_partner="Age UK", is_test=True))
    long = pd.DataFrame(rows)
    long["assessed_at"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(RNG.integers(0, 300, len(long)), unit="D")
    long.to_parquet("exports/e5_warehouse_long.parquet", index=False)
    return truth_table(df, ["pcn", "referral_partner"], "e5")

# ---------------------------------------------------------------- e6
# ODS workbook, ONS wording "Hardly ever or never", full question text headers with (Start)/(End),
# plus the ONS direct loneliness question (5-point) as a distractor column; "Prefer not to say";
# a blank row; no follow-up.
def e6():
    lw = ["Aisha", "Tom", "Gareth", "Priya"]
    ages = ["50-64", "65-74", "75+"]
    df = totals(gen_people(220, {"Link worker": lw, "Age band": ages}))
    df["fu_total"] = np.nan
    lab = {1: "Hardly ever or never", 2: "Some of the time", 3: "Often"}
    qs = {1: "How often do you feel that you lack companionship?",
          2: "How often do you feel left out?",
          3: "How often do you feel isolated from others?"}
    direct = ["Often/always", "Some of the time", "Occasionally", "Hardly ever", "Never"]
    out = pd.DataFrame({"Ref": [f"R{p:03d}" for p in df.pid], "Link worker": df["Link worker"],
                        "Age band": df["Age band"]})
    for tp, nm in (("pre", "Start"), ("post", "End")):
        for i in (1, 2, 3):
            out[f"{qs[i]} ({nm})"] = [("" if not d else ("Prefer not to say" if np.isnan(v) else lab[int(v)]))
                                      for v, d in zip(df[f"{tp}_{i}"], df[f"{tp}_done"])]
        out[f"How often do you feel lonely? ({nm})"] = [("" if not d else RNG.choice(direct))
                                                        for d in df[f"{tp}_done"]]
    blank = pd.DataFrame([{c: None for c in out.columns}])
    full = pd.concat([out.iloc[:100], blank, out.iloc[100:]])
    full.to_excel("exports/e6_linkworker.ods", engine="odf", index=False, sheet_name="Outcomes")
    return truth_table(df, ["Link worker", "Age band"], "e6")


if __name__ == "__main__":
    allt = pd.concat([e1(), e2(), e3(), e4(), e5(), e6()])
    allt.to_csv("truth/all_truth.csv", index=False)
    print(allt[allt.group_by == "overall"].to_string(index=False))
