#!/usr/bin/env python3
"""Scores `svp persons export` on a synthetic county against its hidden truth
(DIR/truth/rows.csv gives the true person of every extract row; the profiles say which
column holds the agency's person id). Prints precision, recall and F1 of pairs within each
agency's records, across agencies, and overall, and whether twins were kept apart.

It also counts parents and children of one name in one household (a junior: same given and
family name, dates of birth a generation apart) merged into one person.

usage: link_county.py COUNTY_DIR PROFILES_DIR EXPORT.csv"""
import csv
import os
import sys
from collections import defaultdict

from county_truth import export_persons, record_truth

county, profiles, export = sys.argv[1:]
truth = record_truth(county, profiles)
person = export_persons(export)
keys = [k for k in truth if k in person]


def score(label, want):
    """want(a, b) says whether a pair of records counts"""
    by_true, by_pred, by_both = defaultdict(list), defaultdict(list), defaultdict(list)
    for k in keys:
        by_true[truth[k]].append(k)
        by_pred[person[k]].append(k)
        by_both[(truth[k], person[k])].append(k)

    def count(groups):
        n = 0
        for g in groups.values():
            for i in range(len(g)):
                for j in range(i + 1, len(g)):
                    n += want(g[i], g[j])
        return n

    tt, pp, tp = count(by_true), count(by_pred), count(by_both)
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"county {label:<28} precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
          f"(true pairs {tt}, predicted {pp})")


print(f"county: {len(truth)} agency records with a true person, {len(keys)} exported")
score("all pairs", lambda a, b: True)
score("within one agency", lambda a, b: a[0] == b[0])
score("across agencies", lambda a, b: a[0] != b[0])
twins = []
for r in csv.DictReader(open(os.path.join(county, "truth", "persons.csv"))):
    if r.get("twin_of") and r["person_id"] < r["twin_of"]:
        twins.append((r["person_id"], r["twin_of"]))
pids = defaultdict(set)
for k in keys:
    pids[truth[k]].add(person[k])
merged = sum(1 for a, b in twins if pids[a] & pids[b])
seen = sum(1 for a, b in twins if pids[a] and pids[b])
print(f"county twins: {seen} twin pairs with records, {merged} merged into one person")

people = {r["person_id"]: r for r in csv.DictReader(open(os.path.join(county, "truth", "persons.csv")))}
homes = defaultdict(list)
for r in csv.DictReader(open(os.path.join(county, "truth", "households.csv"))):
    if r["person_id"] in people:
        homes[r["household_id"]].append(people[r["person_id"]])
juniors = []
for members in homes.values():
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if (a["forename"].lower() == b["forename"].lower()
                    and a["surname"].lower() == b["surname"].lower()
                    and a["dob"][:4].isdigit() and b["dob"][:4].isdigit()
                    and abs(int(a["dob"][:4]) - int(b["dob"][:4])) >= 14):
                juniors.append((a["person_id"], b["person_id"]))
merged = sum(1 for a, b in juniors if pids[a] & pids[b])
seen = sum(1 for a, b in juniors if pids[a] and pids[b])
print(f"county parent and child of one name in one household: {seen} pairs with records, "
      f"{merged} merged into one person")
