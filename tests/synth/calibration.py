#!/usr/bin/env python3
"""Measures a synthetic county's rates against county-profile.csv.

usage: calibration.py DIR CHILDREN [TOLERANCE]

Prints TAP: one test per calibrated figure, each passing when the generated yearly rate
(scaled to a county of 104,000 children) is within TOLERANCE (default 0.15, i.e. 15%) of
the profile's figure. Used by tests/synth/check.py and by hand when tuning the generator."""
import csv
import datetime as dt
import os
import sys
from collections import defaultdict

PROFILE = 104000.0
# metric -> profile figure (per year, or a point-in-time count), county-profile.csv
TARGETS = {
    "contacts_to_social_care": 14016,
    "referrals_to_mash": 3912,
    "single_assessments": 5515,
    "single_assessments_within_45_working_days": 89,
    "child_protection_plans": 397,
    "looked_after_children": 443,
    "looked_after_placed_over_20_miles": 36,
    "missing_episodes": 1360,
    "missing_children": 513,
    "return_interviews_completed": 441,
    "return_interviews_declined": 229,
    "missing_out_of_county_share": 11,
    "domestic_abuse_incidents": 3312,
    "domestic_abuse_children_present": 1483,
    "youth_justice_programmes": 219,
    "private_fostering_notifications": 42,
    "persistent_absence": 10.3,
}
# Figures that are shares (percent), not counts: not scaled by the county's size.
SHARES = {"single_assessments_within_45_working_days", "looked_after_placed_over_20_miles",
          "missing_out_of_county_share", "persistent_absence"}


def rows(d, name, encoding="utf-8"):
    with open(os.path.join(d, name), encoding=encoding, newline="") as f:
        yield from csv.DictReader(f)


def iso(s):
    return dt.date.fromisoformat(s)


def dmy(s):
    return dt.datetime.strptime(s[:10], "%d/%m/%Y").date()


def holidays():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "data", "bank-holidays.csv")
    with open(path, encoding="utf-8") as f:
        return {iso(r["date"]) for r in csv.DictReader(f)}


def working_days(a, b, hol):
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in hol:
            n += 1
    return n


def measure(d, start, months):
    end = dt.date(start.year + (start.month - 1 + months) // 12,
                  (start.month - 1 + months) % 12 + 1, 1) - dt.timedelta(days=1)
    years = ((end - start).days + 1) / 365.25
    mid = start + (end - start) / 2
    m = {}
    m["contacts_to_social_care"] = sum(1 for _ in rows(d, "csc_contacts.csv")) / years
    m["referrals_to_mash"] = sum(1 for _ in rows(d, "csc_referrals.csv")) / years
    hol = holidays()
    n_sa, on_time, done = 0, 0, 0
    for r in rows(d, "csc_assessments.csv"):
        if start <= iso(r["StartDate"]) <= end:
            n_sa += 1
        if r["CompletedDate"]:
            done += 1
            if working_days(iso(r["StartDate"]), iso(r["CompletedDate"]), hol) <= 45:
                on_time += 1
    m["single_assessments"] = n_sa / years
    m["single_assessments_within_45_working_days"] = 100.0 * on_time / max(done, 1)
    plans = defaultdict(dict)
    for r in rows(d, "csc_child_protection.csv"):
        if r["PlanID"] and r["EventType"] in ("PLAN_START", "PLAN_END"):
            plans[r["PlanID"]][r["EventType"]] = iso(r["EventDate"])
    m["child_protection_plans"] = sum(
        1 for p in plans.values()
        if p.get("PLAN_START", end) <= mid and p.get("PLAN_END", end + dt.timedelta(1)) > mid)
    lac, far, n_lac = 0, 0, 0
    for r in rows(d, "csc_looked_after.csv"):
        n_lac += 1
        far += float(r["DistanceMiles"]) > 20
        s, e = iso(r["StartDate"]), iso(r["EndDate"]) if r["EndDate"] else end + dt.timedelta(1)
        lac += s <= mid < e
    m["looked_after_children"] = lac
    m["looked_after_placed_over_20_miles"] = 100.0 * far / max(n_lac, 1)
    eps, out, kids_by_year = 0, 0, defaultdict(set)
    for r in rows(d, "police_missing.csv"):
        eps += 1
        out += r["OutOfCounty"] == "Y"
        day = dmy(r["MissingFromDateTime"])
        kids_by_year[(day - start).days // 365].add(r["NominalID"])
    m["missing_episodes"] = eps / years
    full = [len(v) for k, v in kids_by_year.items() if k < int(years)]
    m["missing_children"] = sum(full) / max(len(full), 1)
    m["missing_out_of_county_share"] = 100.0 * out / max(eps, 1)
    outcomes = defaultdict(int)
    for r in rows(d, "rhi_interviews.csv", "utf-8-sig"):
        outcomes[r["Outcome"]] += 1
    m["return_interviews_completed"] = outcomes["COMPLETED"] / years
    m["return_interviews_declined"] = outcomes["DECLINED"] / years
    inc, present = 0, defaultdict(set)
    for r in rows(d, "police_domestic_abuse.csv"):
        inc += 1
        day = dmy(r["IncidentDateTime"])
        for c in filter(None, r["ChildrenPresent"].split(";")):
            present[(day - start).days // 365].add(c)
    m["domestic_abuse_incidents"] = inc / years
    full = [len(v) for k, v in present.items() if k < int(years)]
    m["domestic_abuse_children_present"] = sum(full) / max(len(full), 1)
    m["youth_justice_programmes"] = sum(1 for _ in rows(d, "yjs_interventions.csv")) / years
    m["private_fostering_notifications"] = sum(
        1 for r in rows(d, "csc_private_fostering.csv")
        if r["RecordType"] == "NOTIFICATION") / years
    terms, low = 0, 0
    for r in rows(d, "edu_attendance.csv", "cp1252"):
        terms += 1
        low += int(r["AttendedSessions"]) < 0.9 * int(r["PossibleSessions"])
    m["persistent_absence"] = 100.0 * low / max(terms, 1)
    return m


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 0.15
    start = dt.date.fromisoformat(os.environ.get("SYNTH_START", "2021-04-01"))
    months = int(os.environ.get("SYNTH_MONTHS", "24"))
    m = measure(d, start, months)
    scale = n / PROFILE
    print(f"1..{len(TARGETS)}")
    bad = 0
    for i, (k, target) in enumerate(TARGETS.items(), 1):
        got = m[k] if k in SHARES else m[k] / scale
        ok = abs(got - target) <= tol * target
        bad += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - {k}: {got:.1f} against {target} "
              f"(tolerance {tol:.0%})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
