#!/usr/bin/env python3
"""Scores `svp household --all` on a synthetic county against its hidden households
(DIR/truth/households.csv: every household's children and the adults agencies know of).

For each child svp lists, the members it shows are compared with the child's true
household: the other true persons of the child's household who have a record in some
extract (a person no agency holds cannot be shown). Precision and recall are pooled over
(child, member) pairs; a listed member counts as right when it is in the child's true
household, whatever relation is shown. Printed beside a naive peer in the same run: members
= every person sharing the child's family name and postcode on any record (from the database).

usage: household_eval.py COUNTY_DIR PROFILES_DIR EXPORT.csv HOUSEHOLDS.csv SVP.db"""
import csv
import os
import sqlite3
import sys
from collections import Counter, defaultdict

from county_truth import export_persons, record_truth

county, profiles, export, listed, dbpath = sys.argv[1:]
truth = record_truth(county, profiles)
person = export_persons(export)

# svp person -> true person (the most common truth among its records)
votes = defaultdict(Counter)
for k, p in person.items():
    if k in truth:
        votes[p][truth[k]] += 1
true_of = {p: c.most_common(1)[0][0] for p, c in votes.items()}
held = set(true_of.values())

home = {}
members = defaultdict(set)
roles = {}
for r in csv.DictReader(open(os.path.join(county, "truth", "households.csv"))):
    home[r["person_id"]] = r["household_id"]
    members[r["household_id"]].add(r["person_id"])
    roles[r["person_id"]] = r["role"]


# every svp person whose true person is a child of a true household: a child svp shows
# with no member is scored too (all its true members missed)
truth_children = [p for p, t in true_of.items() if t in home and roles.get(t) == "child"]


def score(label, shown):
    """shown: {svp child person: set of svp member persons}"""
    tp = fp = fn = 0
    by_role = Counter()
    by_role_found = Counter()
    children = 0
    for p in truth_children:
        t = true_of[p]
        ms = shown.get(p, set())
        children += 1
        want = {m for m in members[home[t]] if m != t and m in held}
        got = {true_of[m] for m in ms if m in true_of} - {t}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        for m in want:
            by_role[roles[m]] += 1
            by_role_found[roles[m]] += m in got
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"{label:<34} precision {prec:.4f}  recall {rec:.4f}  F1 {f1:.4f}  "
          f"({children} children, {tp + fn} true members, {tp + fp} shown)")
    for role in sorted(by_role):
        print(f"    recall of {role:<22} {by_role_found[role] / by_role[role]:.4f} "
              f"({by_role_found[role]} of {by_role[role]})")


svp = defaultdict(set)
children_listed = set()
for r in csv.DictReader(open(listed)):
    children_listed.add(r["person_id"])
    if r["member_id"]:
        svp[r["person_id"]].add(r["member_id"])
for p in children_listed:
    svp.setdefault(p, set())
score("svp household", svp)

# each rule's links on their own: the members svp shows one step out, by the confidence
# their evidence carries (0.8: a contact phone and family name; docs/household.md), right
# when the member is in the child's true household
by_conf = defaultdict(Counter)
for r in csv.DictReader(open(listed)):
    p, m = r["person_id"], r["member_id"]
    if not m or r["via"] not in ("", "0") or p not in true_of or true_of[p] not in home:
        continue
    t = true_of[p]
    right = m in true_of and true_of[m] in members[home[t]] and true_of[m] != t
    by_conf[f"{float(r['confidence']):.2f}"][right] += 1
print("    direct links by confidence (right / shown):")
for c in sorted(by_conf, reverse=True):
    k = by_conf[c]
    print(f"      {c}: {k[True]} / {k[True] + k[False]} ({k[True] / (k[True] + k[False]):.4f})")

# the peer: same family name and postcode on any record (read from the SQLite database)
keyed = defaultdict(set)
keys_of = defaultdict(set)
db = sqlite3.connect(dbpath)
for pid, fam, pc in db.execute(
        "SELECT pr.person_id, r.norm_family, r.postcode FROM record r "
        "JOIN person_record pr ON pr.record_id = r.id "
        "WHERE r.norm_family <> '' AND r.postcode <> ''"):
    keyed[(fam, pc)].add(str(pid))
    keys_of[str(pid)].add((fam, pc))
naive = {p: set().union(*(keyed[k] for k in keys_of[p])) - {p} if keys_of[p] else set()
         for p in truth_children}
score("peer: same family name + postcode", naive)
