#!/usr/bin/env python3
"""Scores `svp persons export` against a benchmark's truth: precision, recall and F1 of
pairs. The truth is read here only, never by svp.

usage: link_score.py LABEL EXPORT.csv febrl|fake TRUTH.csv [TRUTH2.csv]
With two truth files (linking), only pairs across the two sources count."""
import csv
import sys
from collections import Counter

label, export, layout, *truths = sys.argv[1:]


def truth_of(path):
    """agency record id -> entity"""
    out = {}
    with open(path, newline="") as f:
        rows = csv.reader(f, skipinitialspace=True)
        head = next(rows)
        for r in rows:
            if not r:
                continue
            if layout == "febrl":
                out[r[0].strip()] = r[0].strip().split("-")[1]
            else:
                out[r[head.index("unique_id")]] = r[head.index("cluster")]
    return out


sources = []
entity = {}
for k, t in enumerate(truths):
    for rid, e in truth_of(t).items():
        entity[(k, rid)] = e
person = {}
with open(export, newline="") as f:
    for r in csv.DictReader(f):
        src = r["source"]
        if src not in sources:
            sources.append(src)
        person[(sources.index(src), r["agency_record_id"])] = r["person_id"]
cross = len(truths) == 2


def pairs(groups):
    """sum over groups of pairs, counting (side a, side b) per group when linking"""
    total = 0
    for g in groups.values():
        if cross:
            total += g[0] * g[1]
        else:
            n = g[0] + g[1]
            total += n * (n - 1) // 2
    return total


def group(keyf):
    g = {}
    for key in entity:
        k = keyf(key)
        if k is None:
            continue
        g.setdefault(k, [0, 0])[key[0] if cross else 0] += 1
    return g


tt = pairs(group(lambda key: entity[key]))
pp = pairs(group(lambda key: person.get(key)))
tp = pairs(group(lambda key: (person[key], entity[key]) if key in person else None))
missing = sum(1 for key in entity if key not in person)
p = tp / pp if pp else 0.0
r = tp / tt if tt else 0.0
f1 = 2 * p * r / (p + r) if p + r else 0.0
print(f"{label:<40} precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
      f"(true pairs {tt}, predicted {pp}; {missing} rows not imported)")
