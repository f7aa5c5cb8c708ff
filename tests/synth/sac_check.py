#!/usr/bin/env python3
"""The Safeguarding Adults Collection's figures against an independent count of the extract.

Generates a county, imports its adult social care extract (asc_concerns.csv, profile
asc-concerns) and, for each financial year it covers, compares every figure of
`svp adults sac --json` with the same figure counted here from the CSV itself: the oracle
reads the layout's display names with its own table, never svp's database. Also checks the
collection's own identities (the adults by age add up to the adults in enquiries, ...).
Prints TAP. Usage: sac_check.py SVP [CHILDREN]
"""
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, plan  # noqa: E402


def day(s):
    return dt.datetime.strptime(s, "%d/%m/%Y").date() if s else None


# The layout's display names, read by this oracle (docs/adults.md gives the SAC's categories).
TYPE = {"Physical Abuse": "physical", "Sexual Abuse": "sexual",
        "Psychological Abuse": "psychological", "Financial or Material Abuse": "financial",
        "Discriminatory Abuse": "discriminatory", "Organisational Abuse": "organisational",
        "Neglect and Acts of Omission": "neglect", "Domestic Abuse": "domestic_abuse",
        "Sexual Exploitation": "sexual_exploitation", "Modern Slavery": "modern_slavery",
        "Self-Neglect": "self_neglect"}
LOCATION = {"Own Home": "own_home",
            "In the Community (excluding Community Services)": "community",
            "In a Community Service": "community_service", "Care Home - Residential": "care_home",
            "Care Home - Nursing": "care_home", "Hospital - Acute": "hospital",
            "Hospital - Mental Health": "hospital", "Hospital - Community": "hospital",
            "Other": "other"}
SOURCE = {"Service Provider": "service_provider", "Other - Known to Individual": "known",
          "Other - Unknown to Individual": "unknown"}
ASSESS = {"Risk identified and action taken": "risk_identified_action",
          "Risk identified and no action taken": "risk_identified_no_action",
          "No risk identified": "risk_not_identified",
          "Enquiry ceased at individual's request": "ceased"}
RESULT = {"Risk Removed": "removed", "Risk Reduced": "reduced", "Risk Remains": "remains"}


def age(dob, on):
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def band(a):
    return ("18-64" if a < 65 else "65-74" if a < 75 else "75-84" if a < 85 else
            "85-94" if a < 95 else "95+")


def oracle(rows, a, b):
    f = Counter()
    inp = lambda d: d is not None and a <= d <= b
    concern_adults, s42 = set(), {}
    by = {k: Counter() for k in ("type", "loc", "src", "assess", "result", "age", "sex")}
    for r in rows:
        if inp(day(r["ConcernReceived"])):
            f["concerns"] += 1
            concern_adults.add(r["PersonID"])
        start, kind = day(r["EnquiryStart"]), r["EnquiryType"]
        if inp(start):
            if kind == "S42":
                f["s42_started"] += 1
                first = s42.get(r["PersonID"])
                if first is None or start < first[0]:
                    s42[r["PersonID"]] = (start, r)
            else:
                f["other_started"] += 1
        if kind == "S42" and inp(day(r["EnquiryConcluded"])):
            f["s42_concluded"] += 1
            for t in {TYPE[x] for x in (r["PrimaryCategory"], r["SecondaryCategory"]) if x}:
                by["type"][t] += 1
            by["loc"][LOCATION.get(r["LocationOfRisk"], "not_recorded")] += 1
            by["src"][SOURCE.get(r["SourceOfRisk"], "not_recorded")] += 1
            assess = ASSESS.get(r["RiskOutcome"], "not_recorded")
            by["assess"][assess] += 1
            if assess == "risk_identified_action":
                by["result"][RESULT.get(r["RiskResult"], "not_recorded")] += 1
            asked = r["MSPAsked"]
            if asked == "Yes":
                f["asked_yes"] += 1
                if r["MSPOutcomesExpressed"] == "Y":
                    f["expressed"] += 1
                    met = {"Fully Achieved": "fully", "Partially Achieved": "partially",
                           "Not Achieved": "not_achieved"}.get(r["MSPOutcomesMet"])
                    if met:
                        f[met] += 1
            elif asked == "No":
                f["asked_no"] += 1
            else:
                f["asked_unknown"] += 1
    for start, r in s42.values():
        dob = day(r["DateOfBirth"])
        by["age"][band(age(dob, start)) if dob else "unknown"] += 1
        by["sex"]["F" if r["Gender"] == "Female" else "M" if r["Gender"] == "Male"
                  else "other_or_unknown"] += 1
    f["concern_adults"], f["s42_adults"] = len(concern_adults), len(s42)
    return f, by


def main():
    svp = sys.argv[1]
    children = sys.argv[2] if len(sys.argv) > 2 else "20000"
    with tempfile.TemporaryDirectory() as d:
        c, db = os.path.join(d, "c"), os.path.join(d, "sac.db")
        subprocess.run([svp, "synth", "--out", c, "--children", children, "--start",
                        "2021-04-01", "--months", "24", "--quiet"], check=True)
        path = os.path.join(c, "asc_concerns.csv")
        p = subprocess.run([svp, "import", "--db", db, "--quiet", "--profile", "asc-concerns",
                            path], capture_output=True, text=True)
        check("the adult social care extract imports", p.returncode == 0, p.stderr)
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        check("the extract has concerns and s42 enquiries",
              len(rows) > 200 and any(r["EnquiryType"] == "S42" for r in rows), len(rows))
        for year in (2021, 2022):
            a, b = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
            p = subprocess.run([svp, "adults", "sac", "--db", db, "--year", str(year),
                                "--json"], capture_output=True, text=True)
            if p.returncode:
                check(f"{year}: svp adults sac runs", False, p.stderr)
                continue
            got = json.loads(p.stdout)
            want, by = oracle(rows, a, b)
            fy = f"{year}-{(year + 1) % 100:02d}"
            for k in ("concerns", "concern_adults", "s42_started", "other_started",
                      "s42_adults", "s42_concluded"):
                check(f"{fy}: {k} = {want[k]}", got[k] == want[k], f"svp {got[k]}")
            conv = round(100.0 * want["s42_started"] / want["concerns"], 1)
            check(f"{fy}: conversion {conv}%", abs(got["conversion_pct"] - conv) < 0.051,
                  got["conversion_pct"])
            for key, name in (("age", "s42_adults_by_age"), ("sex", "s42_adults_by_sex"),
                              ("type", "concluded_by_type"), ("loc", "concluded_by_location"),
                              ("src", "concluded_by_source_of_risk"),
                              ("assess", "concluded_by_risk_assessment"),
                              ("result", "risk_result_where_action_taken")):
                mine = {k: v for k, v in got[name].items() if v}
                check(f"{fy}: {name}", mine == dict(by[key]), f"svp {mine} oracle {dict(by[key])}")
            msp = got["msp"]
            for k in ("asked_yes", "asked_no", "asked_unknown", "expressed", "fully",
                      "partially", "not_achieved"):
                check(f"{fy}: msp {k} = {want[k]}", msp[k] == want[k], f"svp {msp[k]}")
            check(f"{fy}: adults by age add up to the adults in s42 enquiries",
                  sum(got["s42_adults_by_age"].values()) == got["s42_adults"])
            check(f"{fy}: MSP answers add up to the concluded enquiries",
                  msp["asked_yes"] + msp["asked_no"] + msp["asked_unknown"] ==
                  got["s42_concluded"])
    return plan()


if __name__ == "__main__":
    sys.exit(main())
