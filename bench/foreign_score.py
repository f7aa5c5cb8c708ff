#!/usr/bin/env python3
"""Scores `svp persons export` on bench/foreign_county.py's county against its truth:
precision, recall and F1 of record pairs (all, and across agencies), twin pairs merged,
and children split: true children with records in two or more files whom svp holds as
more than one person (the exploited among them apart), so a figure shows what the
tracker would not see whole.

usage: foreign_score.py COUNTY_DIR EXPORT.csv"""
import csv
import os
import sys
from collections import defaultdict


def score(county, export):
    """The figures as a dict; prints them as it goes."""
    out = {}
    truth = {}
    for r in csv.DictReader(open(os.path.join(county, "truth.csv"), encoding="utf-8")):
        src = "foreign-" + os.path.splitext(r["file"])[0]
        truth[(src, r["agency_id"])] = r["person"]
    person = {(r["source"], r["agency_record_id"]): r["person_id"]
              for r in csv.DictReader(open(export, encoding="utf-8"))}
    keys = [k for k in truth if k in person]
    out["missing"] = len(truth) - len(keys)
    print(f"foreign county: {len(truth)} agency records with a true person, {len(keys)} found "
          f"in the export ({len(truth) - len(keys)} not)")

    def pairs(label, want):
        groups = {"t": defaultdict(list), "p": defaultdict(list), "b": defaultdict(list)}
        for k in keys:
            groups["t"][truth[k]].append(k)
            groups["p"][person[k]].append(k)
            groups["b"][(truth[k], person[k])].append(k)

        def count(g):
            return sum(want(v[i], v[j]) for v in g.values() for i in range(len(v))
                       for j in range(i + 1, len(v)))
        tt, pp, tp = count(groups["t"]), count(groups["p"]), count(groups["b"])
        p = tp / pp if pp else 1.0
        r = tp / tt if tt else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"foreign {label:<20} precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
              f"(true pairs {tt}, predicted {pp})")
        return p, r, f1

    out["all"] = pairs("all pairs", lambda a, b: True)
    out["across"] = pairs("across agencies", lambda a, b: a[0] != b[0])
    people = {r["person"]: r for r in csv.DictReader(open(os.path.join(county, "people.csv")))}
    pids, files = defaultdict(set), defaultdict(set)
    for k in keys:
        pids[truth[k]].add(person[k])
        files[truth[k]].add(k[0])
    homes = defaultdict(list)
    for pid, r in people.items():
        homes[r["home"]].append(pid)
    twins = merged = 0
    for members in homes.values():
        for t in (m for m in members if people[m]["twin"] == "1"):
            if pids[t] and pids[members[0]]:
                twins += 1
                merged += bool(pids[t] & pids[members[0]])
    out["twins"], out["twins_merged"] = twins, merged
    print(f"foreign twins: {twins} twin pairs with records, {merged} merged into one person")
    multi = [p for p in files if len(files[p]) >= 2]
    split = [p for p in multi if len(pids[p]) > 1]
    ex = [p for p in multi if people[p]["exploited"] == "1"]
    ex_split = [p for p in ex if len(pids[p]) > 1]
    out["multi"], out["split"] = len(multi), len(split)
    print(f"foreign children in 2+ files: {len(multi)}, held as more than one person: "
          f"{len(split)} ({100.0 * len(split) / max(1, len(multi)):.1f}%); exploited: {len(ex)}, "
          f"split: {len(ex_split)}")
    return out


if __name__ == "__main__":
    score(*sys.argv[1:])
