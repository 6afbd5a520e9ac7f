"""Fixtures for tests/measures.rs (#19): exports answered in words for the built-in
measures, with the truths computed here from the sources' own rules, independently of
the tool. Seeded; run: python3 make.py

  swemwbs.csv  7 SWEMWBS items per timepoint in words, some missing (the person is then
               missing: the conversion table needs complete answers)
  djg6.csv     De Jong Gierveld 6 items in words (3-point), one or two missing
  ons.csv      the ONS direct question as one column per timepoint, in ONS's spellings
  truth.json   per measure: n with pre and post, mean pre and post, and for ons the people
               answering often/always before and after (McNemar's discordant pairs)
"""
import json
import random

random.seed(190)
N = 240
truth = {}

# SWEMWBS: Warwick's raw-to-metric table (checked against four implementations).
METRIC = dict(zip(range(7, 36), [7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84,
    16.36, 16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03,
    26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00]))
WORDS = ["None of the time", "Rarely", "Some of the time", "Often", "All of the time"]
rows = ["id,location,trigger_group," + ",".join(f"{t}_q{k}" for t in ["pre", "post"] for k in range(1, 8))]
pre_scores, post_scores = {}, {}
for i in range(N):
    base = random.randint(1, 4)
    answers = {}
    for t, shift in [("pre", 0), ("post", 1)]:
        items = [min(5, max(1, base + shift + random.choice([-1, 0, 0, 1]))) for _ in range(7)]
        cells = [WORDS[x - 1] if random.random() > 0.02 else "" for x in items]
        answers[t] = cells
        if all(cells):
            (pre_scores if t == "pre" else post_scores)[i] = METRIC[sum(items)]
    rows.append(f"S{i},{random.choice('AB')},{random.choice(['X', 'Y'])}," + ",".join(answers["pre"] + answers["post"]))
open("swemwbs.csv", "w").write("\n".join(rows) + "\n")
both = [i for i in pre_scores if i in post_scores]
truth["swemwbs"] = dict(n=len(both), mean_pre=sum(pre_scores[i] for i in both) / len(both),
                        mean_post=sum(post_scores[i] for i in both) / len(both))

# DJG-6 (manual's syntax): q1-q3 emotional, negatively worded (yes, more or less = 1);
# q4-q6 social, positively worded (no, more or less = 1). A total with one item missing
# counts the five answered; with more it is missing.
DJG = ["no", "more or less", "yes"]
rows = ["id,location,trigger_group," + ",".join(f"{t}_q{k}" for t in ["pre", "post"] for k in range(1, 7))]
totals = {"pre": {}, "post": {}}
for i in range(N):
    cells_all = []
    for t in ["pre", "post"]:
        cells = [random.choice(DJG) for _ in range(6)]
        r = random.random()
        if r < 0.08:
            cells[random.randrange(6)] = ""
        elif r < 0.12:
            cells[0] = cells[4] = ""
        missing = sum(c == "" for c in cells)
        if missing <= 1:
            totals[t][i] = sum(1 for k, c in enumerate(cells) if c and
                               ((k < 3 and c in ("yes", "more or less")) or (k >= 3 and c in ("no", "more or less"))))
        cells_all += [c.upper() if random.random() < 0.2 else c for c in cells]
    rows.append(f"D{i},{random.choice('AB')},{random.choice(['X', 'Y'])}," + ",".join(cells_all))
open("djg6.csv", "w").write("\n".join(rows) + "\n")
both = [i for i in totals["pre"] if i in totals["post"]]
# The manual's lonely (moderately or severely): a total of 2 or more.
truth["djg6"] = dict(n=len(both), mean_pre=sum(totals["pre"][i] for i in both) / len(both),
                     mean_post=sum(totals["post"][i] for i in both) / len(both),
                     lonely_before=sum(totals["pre"][i] >= 2 for i in both),
                     lonely_after=sum(totals["post"][i] >= 2 for i in both))

# ONS direct question, one column per timepoint, in the spellings ONS sources use.
SPELL = {1: ["Never"], 2: ["Hardly ever"], 3: ["Occasionally"], 4: ["Some of the time", "Sometimes"],
         5: ["Often/always", "Often or Always", "often / always"]}
rows = ["id,location,trigger_group,pre_score,post_score"]
pairs = []
for i in range(N):
    a = random.choice([2, 3, 4, 4, 5, 5])
    b = max(1, min(5, a - random.choice([-1, 0, 0, 1, 1, 2])))
    pairs.append((a, b))
    rows.append(f"O{i},{random.choice('AB')},{random.choice(['X', 'Y'])},{random.choice(SPELL[a])},{random.choice(SPELL[b])}")
open("ons.csv", "w").write("\n".join(rows) + "\n")
truth["ons_direct"] = dict(n=N, mean_pre=sum(a for a, _ in pairs) / N, mean_post=sum(b for _, b in pairs) / N,
                           often_before=sum(a == 5 for a, _ in pairs), often_after=sum(b == 5 for _, b in pairs),
                           to_better=sum(a == 5 and b < 5 for a, b in pairs), to_worse=sum(a < 5 and b == 5 for a, b in pairs))
json.dump(truth, open("truth.json", "w"), indent=1, sort_keys=True)
print(json.dumps(truth, indent=1, sort_keys=True))

# Three measures side by side (multi.csv), each measure's columns named after it
# (ucla3_pre_q1, ons_direct_pre_score, swemwbs_pre_q1 ...), as `--scale a,b,c` reads them;
# a person's changes on the three are correlated by a shared latent loneliness.
U = ["Hardly ever", "Some of the time", "Often"]
O = ["Never", "Hardly ever", "Occasionally", "Some of the time", "Often/always"]
header = ["id", "location", "trigger_group"]
for t in ["pre", "post", "followup"]:
    header += [f"ucla3_{t}_q{k}" for k in (1, 2, 3)]
for t in ["pre", "post", "followup"]:
    header.append(f"ons_direct_{t}_score")
for t in ["pre", "post", "followup"]:
    header += [f"swemwbs_{t}_q{k}" for k in range(1, 8)]
rows = [",".join(header)]
def level(x, n):
    return max(0, min(n - 1, int(round(x))))
for i in range(300):
    lonely, gain = random.gauss(0, 1), random.gauss(0.8, 0.7)
    followed = random.random() < 0.5
    cells = [f"M{i}", random.choice("ABC"), random.choice(["X", "Y"])]
    shifts = [("pre", 0.0), ("post", -gain), ("followup", -0.6 * gain)]
    for t, shift in shifts:
        cells += ([U[level(1 + lonely + shift + random.gauss(0, .6), 3)] for _ in range(3)]
                  if t != "followup" or followed else [""] * 3)
    for t, shift in shifts:
        cells.append(O[level(2.5 + lonely + shift + random.gauss(0, .7), 5)] if t != "followup" or followed else "")
    for t, shift in shifts:
        cells += ([WORDS[level(2 - 0.7 * lonely - shift + random.gauss(0, .8), 5)] for _ in range(7)]
                  if t != "followup" or followed else [""] * 7)
    rows.append(",".join(cells))
open("multi.csv", "w").write("\n".join(rows) + "\n")
open("multi.toml", "w").write('''# The same three measures as [[measures]] tables with their own names and columns.
[[measures]]
name = "loneliness"
scale = "ucla3"
columns = { pre_q1 = "ucla3_pre_q1", pre_q2 = "ucla3_pre_q2", pre_q3 = "ucla3_pre_q3", post_q1 = "ucla3_post_q1", post_q2 = "ucla3_post_q2", post_q3 = "ucla3_post_q3", followup_q1 = "ucla3_followup_q1", followup_q2 = "ucla3_followup_q2", followup_q3 = "ucla3_followup_q3" }

[[measures]]
name = "ons"
scale = "ons_direct"
columns = { pre_score = "ons_direct_pre_score", post_score = "ons_direct_post_score", followup_score = "ons_direct_followup_score" }

[[measures]]
name = "wellbeing"
scale = "swemwbs"
[measures.columns]
''' + "".join(f'{t}_q{k} = "swemwbs_{t}_q{k}"\n' for t in ["pre", "post", "followup"] for k in range(1, 8)))
