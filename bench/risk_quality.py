#!/usr/bin/env python3
"""Quality of the Vulnerability Tracker on the synthetic county, against its truth.

usage: risk_quality.py SVP DB COUNTY_DIR

Only this benchmark reads COUNTY_DIR/truth/. svp persons are mapped to true persons through
their records' (file, line) and truth/rows.csv (majority of the person's records). Prints,
for svp's ranking and for the naive baseline (count of missing episodes) in the same run:
recall and precision in the top K (K = twice the number of exploited children), the area
under the precision-recall curve (average precision), how many decoys are in the top K, and
for svp the months from the month harm began until each exploited child first enters the
top K (scored as at the end of each month).
"""
import csv
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict


def month_end(y, m):
    import calendar
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def next_month(y, m):
    return (y + 1, 1) if m == 12 else (y, m + 1)


def ranking(svp, db, as_of):
    """svp's ranked person ids as of a date (every scored child with a score above 0)."""
    out = subprocess.run([svp, "panel", "--db", db, "--as-of", as_of, "--band", "low",
                          "--format", "csv", "--quiet"], capture_output=True, text=True,
                         check=True).stdout
    rows = list(csv.DictReader(out.splitlines()))
    return [int(r["person_id"]) for r in rows if r["rank"]]


def evaluate(name, ranked_true, exploited, decoys, k):
    """ranked_true: true person ids in rank order (first appearance counts)."""
    seen, order = set(), []
    for t in ranked_true:
        if t not in seen:
            seen.add(t)
            order.append(t)
    top = order[:k]
    hits = sum(1 for t in top if t in exploited)
    ap, found = 0.0, 0
    for i, t in enumerate(order, 1):
        if t in exploited:
            found += 1
            ap += found / i
    ap /= len(exploited) if exploited else 1
    dec = sum(1 for t in top if t in decoys)
    print(f"{name:>10}: recall@{k} {hits / len(exploited):.3f}, precision@{k} {hits / k:.3f},"
          f" PR-AUC {ap:.3f}, decoys in top {k}: {dec} of {len(decoys)}")
    # per decoy kind: target <= 3% of K
    of_kind, in_top = Counter(decoys.values()), Counter(decoys[t] for t in top if t in decoys)
    print(f"{'':>10}  by kind: " + ", ".join(
        f"{kd} {in_top[kd]} of {n} ({100 * in_top[kd] / k:.1f}% of K)"
        for kd, n in sorted(of_kind.items())))
    return hits / len(exploited)


def main():
    svp, db, county = sys.argv[1], sys.argv[2], sys.argv[3]
    truth = os.path.join(county, "truth")
    exploited, harm = set(), {}
    with open(os.path.join(truth, "exploited.csv"), newline="") as f:
        for r in csv.DictReader(f):
            exploited.add(r["person_id"])
            harm[r["person_id"]] = r["harm_month"]
    # person -> kind, as the partnership's file (panel-truth.csv) names one kind per child:
    # the care-missing or sibling trap, else a sign, else the domestic abuse kinds
    decoys = {}
    order = ("CARE_MISSING", "SIBLING", "MISSING", "ABSENCE", "ED_INJURY", "SUSPENSION",
             "POLICE_SUSPECT", "DA_ACROSS_HOUSEHOLDS", "DA_HOUSEHOLD")
    with open(os.path.join(truth, "decoys.csv"), newline="") as f:
        for r in csv.DictReader(f):
            ks = r["indicators"].split(";")
            decoys[r["person_id"]] = next((t for t in order if t in ks), ks[0])
    rows = {}
    with open(os.path.join(truth, "rows.csv"), newline="") as f:
        for r in csv.DictReader(f):
            rows[(r["file"], int(r["line"]))] = r["person_id"]

    con = sqlite3.connect(db)
    votes = defaultdict(Counter)
    for pid, path, line in con.execute(
            "SELECT pr.person_id, sf.path, r.line FROM person_record pr JOIN record r ON "
            "r.id = pr.record_id LEFT JOIN source_file sf ON sf.id = r.file_id"):
        t = rows.get((os.path.basename(path or ""), line))
        if t:
            votes[pid][t] += 1
    true_of = {pid: c.most_common(1)[0][0] for pid, c in votes.items()}
    as_of = con.execute("SELECT MAX(substr(started_at, 1, 10)) FROM event").fetchone()[0]
    k = 2 * len(exploited)
    print(f"county: {len(exploited)} exploited children planted, {len(decoys)} decoys, "
          f"K = {k}, scored as of {as_of}")

    svp_rank = [true_of.get(p, f"unmapped{p}") for p in ranking(svp, db, as_of)]
    recall = evaluate("svp", svp_rank, exploited, decoys, k)
    dob = {}
    with open(os.path.join(truth, "persons.csv"), newline="") as f:
        for r in csv.DictReader(f):
            dob[r["person_id"]] = r["dob"]
    top = set(svp_rank[:k])
    adults = [t for t in exploited - top
              if dob.get(t) and int(as_of[:4]) - int(dob[t][:4]) -
              ((as_of[5:10]) < dob[t][5:10]) >= 18]
    print(f"{'':>10}  missed by svp: {len(exploited - top)}, of whom 18 or over on the scoring "
          f"date (outside the panel's age range): {len(adults)}")

    # The naive baseline: rank by count of missing episodes (ties by person id).
    def baseline(day):
        rows = con.execute(
            "SELECT pr.person_id, COUNT(*) AS n FROM event e JOIN person_record pr ON "
            "pr.record_id = e.record_id WHERE e.type = 'missing_episode' AND "
            "substr(e.started_at, 1, 10) <= ? GROUP BY pr.person_id ORDER BY n DESC, "
            "pr.person_id", (day,)).fetchall()
        return [p for p, _ in rows]
    base_rank = [true_of.get(p, f"unmapped{p}") for p in baseline(as_of)]
    brecall = evaluate("baseline", base_rank, exploited, decoys, k)
    print(f"recall@K svp / baseline: {recall / brecall if brecall else float('inf'):.2f}")

    # Months from harm to the top K, scoring as at each month's end.
    first = min(harm.values())
    y, m = int(first[:4]), int(first[5:7])
    end = as_of[:7]
    entered = {"svp": {}, "baseline": {}}
    while f"{y:04d}-{m:02d}" <= end:
        day = month_end(y, m)
        if day > as_of:
            day = as_of
        for name, ranked in (("svp", ranking(svp, db, day)), ("baseline", baseline(day))):
            top = set()
            for p in ranked:
                t = true_of.get(p)
                if t:
                    top.add(t)
                if len(top) >= k:
                    break
            for t in exploited:
                if t not in entered[name] and t in top and harm[t] <= f"{y:04d}-{m:02d}":
                    entered[name][t] = (y, m)
        y, m = next_month(y, m)
    for name in ("svp", "baseline"):
        delays = []
        for t, (ey, em) in entered[name].items():
            hy, hm = int(harm[t][:4]), int(harm[t][5:7])
            delays.append((ey - hy) * 12 + em - hm)
        delays.sort()
        if delays:
            print(f"{name:>10}: months from harm to top {k}: median "
                  f"{delays[len(delays) // 2]}, mean {sum(delays) / len(delays):.1f}, "
                  f"max {delays[-1]}; entered {len(delays)} of {len(exploited)}")
        else:
            print(f"{name:>10}: no exploited child entered the top {k}")
    print(json.dumps({"recall_at_k": recall, "baseline_recall_at_k": brecall}))


if __name__ == "__main__":
    main()
