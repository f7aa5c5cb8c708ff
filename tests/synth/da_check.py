#!/usr/bin/env python3
"""The domestic abuse rules against the synthetic county's truth, exactly.

Generates a county, imports its police nominals, DA incidents and MARAC list, and checks
svp's answers against truth/da.csv and rules computed here independently:
  - potential escalation: the victim's incidents in [day - 12 months, day] number 3 or more;
  - repeat MARAC: an incident of the same victim and perpetrator on or before the date 12
    months after the pair's last police referral (earlier in time);
  - serial perpetrators: exactly the perpetrators the generator made serial;
  - victims with two perpetrators: exactly those the generator gave a new partner;
  - the data return's police and other-agency referral counts for 2016-17;
  - the trap of domestic abuse co-involvement across households (truth/da_linked.csv): each
    serial perpetrator made so has his own household and his ex-partner's, with children;
    her children are listed with his incidents against her, for some his own children are
    present at one of them (a handover) but never listed in her household; her children of 10 to 17 are decoys DA_ACROSS_HOUSEHOLDS
    (decoy:da_across_households in the partnership's file), never exploited.
Prints TAP. Usage: da_check.py SVP [CHILDREN]
"""
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, plan  # noqa: E402


def add_months(d, m):
    y, mo = divmod(d.month - 1 + m, 12)
    y += d.year
    mo += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31,
            31, 30, 31, 30, 31][mo - 1]
    return dt.date(y, mo, min(d.day, last))


def across_households(linked, rows, person_of, adult_nom, decoy_kinds, exploited,
                      panel_kinds):
    """The trap of domestic abuse co-involvement across households."""
    by_perp = defaultdict(dict)
    for r in linked:
        by_perp[r["perpetrator_id"]][r["role"]] = [x for x in r["children"].split(";") if x]
    both = [p for p, h in by_perp.items() if "own" in h and h.get("ex_partner")]
    check(f"serial perpetrators with two households with children ({len(both)})",
          len(both) == len(by_perp) and len(both) >= 5, f"{len(by_perp)} perpetrators in the file")
    listed_ok = handover = strays = 0
    for p in both:
        nom = adult_nom.get(p)
        ex_kids = set(by_perp[p]["ex_partner"])
        own_kids = set(by_perp[p]["own"])
        seen_ex, seen_own = set(), set()
        for r in rows.values():
            if r["SuspectNominalID"] != nom:
                continue
            house = {person_of.get(x) for x in r["ChildrenInHousehold"].split(";") if x}
            present = {person_of.get(x) for x in r["ChildrenPresent"].split(";") if x}
            if house & ex_kids:
                seen_ex |= house & ex_kids
                seen_own |= present & own_kids
                strays += bool(house & own_kids)
        listed_ok += bool(seen_ex)
        handover += bool(seen_own)
    check("her children are listed with his incidents against her (every perpetrator)",
          listed_ok == len(both), f"{listed_ok} of {len(both)}")
    check(f"his own children present at one of them, a handover ({handover} perpetrators), "
          "never listed in her household", handover >= 1 and not strays,
          f"{handover} handovers, {strays} incidents listing his children in her household")
    across = {p for p, k in decoy_kinds.items() if "DA_ACROSS_HOUSEHOLDS" in k}
    ex_all = set().union(*(set(by_perp[p]["ex_partner"]) for p in both)) if both else set()
    check(f"DA_ACROSS_HOUSEHOLDS decoys are the ex-partners' children ({len(across)})",
          across and across <= ex_all, f"{len(across - ex_all)} elsewhere")
    check("none of them exploited", not (across & exploited), f"{len(across & exploited)}")
    check("the partnership's file names the kind",
          "decoy:da_across_households" in panel_kinds, "no decoy:da_across_households row")


def run(svp, *args, db):
    p = subprocess.run([svp, *args, "--db", db, "--quiet"], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"svp {' '.join(args)} failed: {p.stderr}")
    return p.stdout


def main():
    svp = sys.argv[1]
    children = sys.argv[2] if len(sys.argv) > 2 else "30000"
    with tempfile.TemporaryDirectory() as d:
        c, db = os.path.join(d, "c"), os.path.join(d, "da.db")
        subprocess.run([svp, "synth", "--out", c, "--children", children, "--start",
                        "2015-04-01", "--months", "24", "--quiet"], check=True)
        run(svp, "import", "--profile", "police-nominals",
            os.path.join(c, "police_nominals.csv"), db=db)
        run(svp, "import", "--profile", "police-domestic-abuse",
            os.path.join(c, "police_domestic_abuse.csv"), db=db)
        run(svp, "import", "--profile", "marac-cases", os.path.join(c, "marac_cases.csv"), db=db)
        truth = list(csv.DictReader(open(os.path.join(c, "truth", "da.csv"))))
        rows = {r["IncidentRef"]: r for r in
                csv.DictReader(open(os.path.join(c, "police_domestic_abuse.csv")))}
        listed = {r["ref"]: r for r in csv.DictReader(run(svp, "da", "list", db=db).splitlines())}
        serial = list(csv.DictReader(run(svp, "da", "serial", "--csv", db=db).splitlines()))
        repeat = list(csv.DictReader(run(svp, "da", "repeat", "--csv", db=db).splitlines()))
        figures = run(svp, "da", "figures", "--from", "2016-04-01", "--to", "2017-03-31", db=db)
        marac = list(csv.DictReader(open(os.path.join(c, "marac_cases.csv"))))
        T = os.path.join(c, "truth")
        linked = list(csv.DictReader(open(os.path.join(T, "da_linked.csv"))))
        person_of = {r["record_id"]: r["person_id"]
                     for r in csv.DictReader(open(os.path.join(T, "rows.csv")))}
        adult_nom = {r["perpetrator_id"]: r["perpetrator_nominal"] for r in truth}
        decoy_kinds = {r["person_id"]: r["indicators"].split(";")
                       for r in csv.DictReader(open(os.path.join(T, "decoys.csv")))}
        exploited = {r["person_id"] for r in csv.DictReader(open(os.path.join(T, "exploited.csv")))}
        panel_kinds = [r["kind"] for r in csv.DictReader(open(os.path.join(T, "panel-truth.csv")))]
    across_households(linked, rows, person_of, adult_nom, decoy_kinds, exploited, panel_kinds)

    check("every incident of the extract is listed once", set(listed) == set(rows),
          f"{len(listed)} listed, {len(rows)} in the extract")
    inc = []
    for t in truth:
        when = dt.datetime.strptime(rows[t["incident"]]["IncidentDateTime"], "%d/%m/%Y %H:%M")
        inc.append((when, t["incident"], t))
    inc.sort()
    by_victim = defaultdict(list)
    for when, ref, t in inc:
        by_victim[t["victim_id"]].append(when)
    esc_want, rep_want = set(), set()
    last_ref = {}
    for when, ref, t in inc:
        day = when.date()
        start = add_months(day, -12)
        # the incidents up to this one (in time) on or after the day 12 months before
        if sum(1 for x in by_victim[t["victim_id"]] if start <= x.date() and x <= when) >= 3:
            esc_want.add(ref)
        pair = (t["victim_id"], t["perpetrator_id"])
        if pair in last_ref and day <= add_months(last_ref[pair], 12):
            rep_want.add(ref)
        if t["police_referral"] == "1":
            last_ref[pair] = day
    esc_got = {r for r, x in listed.items() if x["escalation"] == "1"}
    rep_got = {r for r, x in listed.items() if x["repeat_marac"] == "1"}
    check(f"potential escalation (3 in 12 months) found exactly ({len(esc_want)} incidents)",
          esc_got == esc_want and esc_want,
          f"missed {sorted(esc_want - esc_got)[:5]}, extra {sorted(esc_got - esc_want)[:5]}")
    check(f"repeat MARAC (12 months to the day) found exactly ({len(rep_want)} incidents)",
          rep_got == rep_want and rep_want,
          f"missed {sorted(rep_want - rep_got)[:5]}, extra {sorted(rep_got - rep_want)[:5]}")
    # 12 months to the day is in the county: an incident exactly on the anniversary or not
    serial_want = {"police:" + t["perpetrator_nominal"] for t in truth if t["scenario"] == "serial"}
    serial_got = {r["id"] for r in serial}
    check(f"serial perpetrators found exactly ({len(serial_want)})",
          serial_got == serial_want and serial_want,
          f"missed {len(serial_want - serial_got)}, extra {len(serial_got - serial_want)}")
    two_want = {"police:" + t["victim_nominal"] for t in truth
                if t["scenario"] == "second_perpetrator"}
    two_got = {r["id"] for r in repeat if int(r["partners"]) >= 2}
    check(f"victims with two perpetrators found exactly ({len(two_want)})",
          two_got == two_want and two_want,
          f"missed {len(two_want - two_got)}, extra {len(two_got - two_want)}")
    rv_want = {v for v, days in by_victim.items() if len(days) >= 2}
    check(f"repeat victims: as many as the truth has ({len(rv_want)})", len(repeat) == len(rv_want),
          f"{len(repeat)} against {len(rv_want)}")
    fig = {}
    for line in figures.splitlines()[2:]:
        parts = line.split()
        for i, p in enumerate(parts):
            if p.isdigit():
                fig[" ".join(parts[:i])] = int(p)
                break
    lo, hi = dt.date(2016, 4, 1), dt.date(2017, 3, 31)
    police = sum(1 for when, ref, t in inc if t["police_referral"] == "1" and lo <= when.date() <= hi)
    # a case another agency referred is the same case as a police referral of the victim in
    # the 60 days before its hearing (the MARAC hears the victim once)
    police_days = defaultdict(list)
    for when, ref, t in inc:
        if t["police_referral"] == "1":
            police_days[t["victim_nominal"]].append(when.date())
    other = 0
    by_agency = defaultdict(int)
    for m in marac:
        heard = dt.datetime.strptime(m["HeardDate"], "%d/%m/%Y").date()
        if m["ReferringAgency"] == "police" or not lo <= heard <= hi:
            continue
        if any(heard - dt.timedelta(60) <= x <= heard
               for x in police_days[m["VictimNominalID"]]):
            continue
        other += 1
        by_agency[m["ReferringAgency"]] += 1
    by_agency["police"] += police
    check(f"police referrals in 2016-17 ({police})", fig.get("referrals from the police") == police,
          f"svp {fig.get('referrals from the police')}")
    check(f"referrals from other agencies in 2016-17 ({other})",
          fig.get("referrals from other agencies") == other,
          f"svp {fig.get('referrals from other agencies')}")
    got_by = {k[len("referred by "):]: v for k, v in fig.items() if k.startswith("referred by ")}
    check(f"referrals by agency in 2016-17 ({len(by_agency)} agencies)",
          got_by == dict(by_agency), f"svp {got_by}, want {dict(by_agency)}")
    check("MARAC cases are the police and other referrals",
          fig.get("MARAC cases") == police + other, f"svp {fig.get('MARAC cases')}")
    return plan()


if __name__ == "__main__":
    sys.exit(main())
