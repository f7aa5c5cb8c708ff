#!/usr/bin/python3
"""The core dataset (`svp report dataset --format json`) against an independent computation
from the synthetic county's extract CSVs (not svp's database): every figure's numerator and
denominator for a financial year and its quarters, each by the definition in
docs/dataset.md. Then the annual report's case review table from dates entered through the
CLI (a test that fails if rapid reviews are timed from the notification), the other
formats, and every bad-input path. Prints TAP.

usage: report_check.py SVP
"""
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import zipfile

from workalendar.europe import UnitedKingdom

CORONATION = [dt.date(2023, 5, 8)]
CAL = UnitedKingdom()
SVP = None  # the svp binary (argv[1])
POINTS = []


def ok(cond, name, detail=""):
    POINTS.append((bool(cond), name, detail))


def run(*args, check=True, cwd=None):
    p = subprocess.run([SVP, *args], capture_output=True, text=True, cwd=cwd)
    if check and p.returncode != 0:
        raise RuntimeError(f"svp {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p


def rows(d, name, encoding="utf-8"):
    with open(os.path.join(d, name), newline="", encoding=encoding) as f:
        return list(csv.DictReader(f))


def iso(s):
    return dt.date.fromisoformat(s) if s else None


def dmy(s):
    return dt.datetime.strptime(s, "%d/%m/%Y %H:%M") if s else None


def dmy_date(s):
    return dt.datetime.strptime(s, "%d/%m/%Y").date() if s else None


def add_months(d, m):
    y, mo = divmod(d.month - 1 + m, 12)
    y += d.year
    mo += 1
    last = (dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, mo, min(d.day, last))


def wd_between(a, b):
    return CAL.get_working_days_delta(a, b, extra_holidays=CORONATION)


def pct(num, den):
    return (num, den)


def figures(d, p_from, p_to):
    """Every figure as (numerator, denominator) by docs/dataset.md, from the CSVs."""
    inp = lambda day: day is not None and p_from <= day <= p_to  # noqa: E731
    f = {}
    contacts = rows(d, "csc_contacts.csv")
    cdays = [(r, dt.datetime.strptime(r["ContactDateTime"], "%Y-%m-%d %H:%M").date())
             for r in contacts]
    f["contacts"] = (sum(inp(day) for _, day in cdays), 0)
    f["contacts_early_help"] = (sum(inp(day) and r["Outcome"] == "EARLY_HELP"
                                    for r, day in cdays), 0)
    refs = rows(d, "csc_referrals.csv")
    by_person = {}
    for r in refs:
        by_person.setdefault(r["PersonID"], []).append(iso(r["ReferralDate"]))
    n = re = 0
    for r in refs:
        day = iso(r["ReferralDate"])
        if not inp(day):
            continue
        n += 1
        since = add_months(day, -12)
        if any(since <= o < day for o in by_person[r["PersonID"]]):
            re += 1
    f["referrals"] = (n, 0)
    f["referrals_rate"] = (n, None)
    f["re_referrals_pct"] = (re, n)
    ass = rows(d, "csc_assessments.csv")
    done = [(iso(r["StartDate"]), iso(r["CompletedDate"])) for r in ass
            if inp(iso(r["CompletedDate"]))]
    f["assessments"] = (len(done), 0)
    f["assessments_45_pct"] = (sum(wd_between(a, b) <= 45 for a, b in done), len(done))
    # child protection: plans by PlanID, ended by PLAN_END of the same plan
    cp = rows(d, "csc_child_protection.csv")
    starts, ends = {}, {}
    for r in cp:
        if r["EventType"] == "PLAN_START":
            starts[r["PlanID"]] = (r["PersonID"], iso(r["EventDate"]))
        elif r["EventType"] == "PLAN_END":
            ends[r["PlanID"]] = iso(r["EventDate"])
    on_plan = {pid for plan, (pid, s) in starts.items()
               if s <= p_to and (plan not in ends or ends[plan] > p_to)}
    f["cp_plans"] = (len(on_plan), 0)
    f["cp_plans_rate"] = (len(on_plan), None)
    started = [(plan, pid, s) for plan, (pid, s) in starts.items() if inp(s)]
    f["cp_plans_started"] = (len(started), 0)
    second = 0
    for plan, pid, s in started:
        since = add_months(s, -24)
        if any(p2 == pid and s2 < s and plan2 in ends and since <= ends[plan2] <= s
               for plan2, (p2, s2) in starts.items()):
            second += 1
    f["cp_second_2y_pct"] = (second, len(started))
    # looked after: one row per episode, its placement on the same row
    lac = rows(d, "csc_looked_after.csv")
    dob = {r["PersonID"]: iso(r["DateOfBirth"]) for r in rows(d, "csc_persons.csv")}
    is_open = lambda r: (iso(r["StartDate"]) <= p_to and  # noqa: E731
                         (not r["EndDate"] or iso(r["EndDate"]) > p_to))
    current = {}
    for r in lac:
        if is_open(r):
            cur = current.get(r["PersonID"])
            if cur is None or iso(r["StartDate"]) >= iso(cur["StartDate"]):
                current[r["PersonID"]] = r
    f["lac"] = (len(current), 0)
    f["lac_rate"] = (len(current), None)
    f["lac_started"] = (len({r["PersonID"] for r in lac if inp(iso(r["StartDate"]))}), 0)
    known = [r for r in current.values() if r["DistanceMiles"]]
    f["lac_over_20_miles_pct"] = (sum(float(r["DistanceMiles"]) > 20 for r in known),
                                  len(known))
    long_term = [r for pid, r in current.items()
                 if dob.get(pid) and dob[pid] > add_months(p_to, -192)
                 and iso(r["StartDate"]) <= add_months(p_to, -30)]
    f["lac_stability_pct"] = (sum(iso(r["StartDate"]) <= add_months(p_to, -24)
                                  for r in long_term), len(long_term))
    moves = 0
    for pid in current:
        k = sum(1 for r in lac if r["PersonID"] == pid and iso(r["StartDate"]) <= p_to and
                (not r["EndDate"] or iso(r["EndDate"]) >= p_from))
        moves += k >= 3
    f["lac_three_placements_pct"] = (moves, len(current))
    # missing episodes (police) and return interviews (RHI service)
    mis = [r for r in rows(d, "police_missing.csv")
           if inp(dmy(r["MissingFromDateTime"]).date())]
    f["missing_episodes"] = (len(mis), 0)
    kids = {}
    for r in mis:
        kids[r["NominalID"]] = kids.get(r["NominalID"], 0) + 1
    f["missing_children"] = (len(kids), 0)
    f["missing_repeat"] = (sum(k >= 2 for k in kids.values()), 0)
    f["missing_12_plus"] = (sum(k >= 12 for k in kids.values()), 0)
    f["missing_looked_after"] = (len({r["NominalID"] for r in mis
                                      if r["MissingFrom"] == "CARE_PLACEMENT"}), 0)
    f["missing_looked_after_pct"] = (sum(r["MissingFrom"] == "CARE_PLACEMENT" for r in mis),
                                     len(mis))
    f["missing_out_of_county_pct"] = (sum(r["OutOfCounty"] == "Y" for r in mis), len(mis))
    rhi = [r for r in rows(d, "rhi_interviews.csv", "utf-8-sig")
           if inp(dmy(r["ReturnDateTime"]).date())]
    h72 = dt.timedelta(hours=72)
    f["rhi_due"] = (len(rhi), 0)
    f["rhi_offered_72h_pct"] = (sum(bool(r["OfferedDateTime"]) and
                                    dmy(r["OfferedDateTime"]) - dmy(r["ReturnDateTime"]) <= h72
                                    for r in rhi), len(rhi))
    f["rhi_completed_pct"] = (sum(r["Outcome"] == "COMPLETED" for r in rhi), len(rhi))
    f["rhi_completed_72h_pct"] = (sum(r["Outcome"] == "COMPLETED" and
                                      bool(r["CompletedDateTime"]) and
                                      dmy(r["CompletedDateTime"]) - dmy(r["ReturnDateTime"])
                                      <= h72 for r in rhi), len(rhi))
    f["rhi_declined_pct"] = (sum(r["Outcome"] == "DECLINED" for r in rhi), len(rhi))
    da = [r for r in rows(d, "police_domestic_abuse.csv")
          if inp(dmy(r["IncidentDateTime"]).date())]
    f["da_incidents"] = (len(da), 0)
    f["da_children_present"] = (len({c for r in da for c in r["ChildrenPresent"].split(";")
                                     if c}), 0)
    marac = [r for r in rows(d, "marac_cases.csv") if inp(dmy_date(r["HeardDate"]))]
    f["marac_cases"] = (len(marac), 0)
    f["marac_children"] = (sum(int(r["ChildrenInHousehold"]) for r in marac
                               if r["ChildrenInHousehold"]), 0)
    pf = rows(d, "csc_private_fostering.csv")
    notes = [r for r in pf if r["RecordType"] == "NOTIFICATION"]
    f["pf_notifications"] = (sum(inp(iso(r["RecordDate"])) for r in notes), 0)
    ended = {(r["PersonID"], r["ArrangementID"]) for r in pf
             if r["RecordType"] == "END" and iso(r["RecordDate"]) <= p_to}
    f["pf_arrangements"] = (sum(iso(r["RecordDate"]) <= p_to and
                                (r["PersonID"], r["ArrangementID"]) not in ended
                                for r in notes), 0)
    f["pf_visits"] = (sum(r["RecordType"] == "VISIT" and inp(iso(r["RecordDate"])) for r in pf),
                      0)
    num = den = 0
    for r in notes:
        day = iso(r["RecordDate"])
        if not inp(day):
            continue
        den += 1
        due = CAL.add_working_days(day, 7, extra_holidays=CORONATION)
        num += any(v["RecordType"] == "VISIT" and v["PersonID"] == r["PersonID"] and
                   v["ArrangementID"] == r["ArrangementID"] and
                   day <= iso(v["RecordDate"]) <= due for v in pf)
    f["pf_first_visit_pct"] = (num, den)
    return f


def compare(got, want, label):
    for fig in got["figures"]:
        fid = fig["id"]
        if fid == "early_help":
            ok(not fig["available"] and fig["value"] is None and "early_help" in fig["note"],
               f"{label}: early help is not available (no early_help events), not 0",
               json.dumps(fig)[:200])
            continue
        if fid.startswith("reg_"):
            # the registers' figures: the county has no register entries (register.test
            # checks them against the seeds' tables)
            ok(not fig["available"] and fig["value"] is None and "register" in fig["note"],
               f"{label}: {fid} is not available (no register entries), not 0",
               json.dumps(fig)[:200])
            continue
        w = want.get(fid)
        if w is None:
            ok(False, f"{label}: {fid} has no independent computation")
            continue
        num, den = w
        same = fig["numerator"] == num and (den is None or den == 0 and fig["unit"] != "percent"
                                            or fig["denominator"] == den)
        ok(same, f"{label}: {fid} {fig['numerator']}/{fig['denominator']}",
           f"independent {num}/{den}")


def check_dataset(tmp):
    county = os.path.join(tmp, "county")
    db = os.path.join(tmp, "r.db")
    run("synth", "--out", county, "--children", "3000", "--seed", "11", "--quiet")
    run("import", "--db", db, county, "--quiet")
    got = json.loads(run("report", "dataset", "--db", db, "--period", "2022-23",
                         "--population", "3000", "--format", "json", "--quiet").stdout)
    ok(got["period"] == {"label": "2022-23", "from": "2022-04-01", "to": "2023-03-31"},
       "the period is the financial year asked for", json.dumps(got["period"]))
    want = figures(county, dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    compare(got, want, "2022-23")
    # a quarter and the rates per 10,000
    q = json.loads(run("report", "dataset", "--db", db, "--period", "2022Q3", "--population",
                       "3000", "--format", "json", "--quiet").stdout)
    compare(q, figures(county, dt.date(2022, 7, 1), dt.date(2022, 9, 30)), "2022 Q3")
    lac = next(x for x in got["figures"] if x["id"] == "lac_rate")
    ok(lac["value"] == round(10000 * lac["numerator"] / 3000, 1),
       "looked-after rate per 10,000 of the population given", json.dumps(lac)[:200])
    # the quarterly trend adds up to the year for counts of events
    ref = next(x for x in got["figures"] if x["id"] == "referrals")
    ok(len(ref["quarters"]) == 4 and sum(p["numerator"] for p in ref["quarters"])
       == ref["numerator"], "referrals by quarter add up to the year",
       json.dumps(ref["quarters"]))
    ok([p["label"] for p in ref["years"]][-2:] == ["2021-22", "2022-23"] and
       len(ref["years"]) <= 5, "the yearly trend: up to 5 financial years to the period's",
       json.dumps([p["label"] for p in ref["years"]]))
    # every format from the same figures
    csv_out = run("report", "dataset", "--db", db, "--period", "2022-23", "--population",
                  "3000", "--format", "csv", "--quiet").stdout
    rr = [r for r in csv.DictReader(csv_out.splitlines())
          if r["figure"] == "re_referrals_pct" and r["kind"] == "period"]
    want_rr = want["re_referrals_pct"]
    ok(len(rr) == 1 and (int(rr[0]["numerator"]), int(rr[0]["denominator"])) == want_rr,
       "csv: re-referrals as in json", str(rr))
    html = run("report", "dataset", "--db", db, "--period", "2022-23", "--format", "html",
               "--quiet").stdout
    ok(html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html and
       "http://" not in html and "https://" not in html,
       "html: one self-contained page with SVG charts, no script, nothing from outside")
    ok("re-referrals within 12 months" in html and "England" in html,
       "html: benchmarks and narrative shown")
    xlsx = os.path.join(tmp, "d.xlsx")
    run("report", "dataset", "--db", db, "--period", "2022-23", "--format", "xlsx", "--out",
        xlsx, "--quiet")
    with zipfile.ZipFile(xlsx) as z:
        wb = z.read("xl/workbook.xml").decode()
    ok(all(f'name="{t}"' in wb for t in ["Contents", "Child protection",
                                          "Children looked after", "Private fostering"]),
       "xlsx: a contents sheet and one sheet per theme", wb[:300])
    if os.path.exists("/usr/bin/chromium"):
        pdf = os.path.join(tmp, "d.pdf")
        run("report", "dataset", "--db", db, "--period", "2022-23", "--format", "pdf", "--out",
            pdf, "--quiet")
        with open(pdf, "rb") as f:
            head = f.read(5)
        ok(head == b"%PDF-" and os.path.getsize(pdf) > 20000 and
           not os.path.exists(pdf + ".html"),
           "pdf: the html printed by headless Chromium, the html removed")
    else:
        ok(True, "pdf: skipped, no /usr/bin/chromium")
    table = run("report", "dataset", "--db", db, "--period", "2022-23", "--quiet").stdout
    ok("new early help cases" in table and "not available" in table,
       "table: a figure without its events says not available")
    return db


def check_reviews(tmp):
    """The 2021-22 annual report's table: 10 notifications all within 5 working days, 8
    rapid reviews of which 7 within 15 working days of becoming aware and 1 on day 16, and
    two LCSPRs published 6 and 9 months after initiation. Dates invented to match."""
    db = os.path.join(tmp, "cr.db")
    run("db", "migrate", "--db", db, "--quiet")
    # (awareness, notification, rapid review sent): working days from awareness
    reviews = [
        ("2018-07-02", "2018-07-04", "2018-07-20"),
        ("2019-01-07", "2019-01-11", "2019-01-25"),
        ("2019-06-03", "2019-06-05", "2019-06-21"),
        ("2020-02-03", "2020-02-07", "2020-02-21"),
        ("2020-09-07", "2020-09-08", "2020-09-25"),
        ("2021-03-01", "2021-03-03", "2021-03-19"),
        ("2021-10-04", "2021-10-06", "2021-10-22"),
        # the late one: day 16 from awareness, but only day 13 from the notification
        ("2022-01-10", "2022-01-13", "2022-02-01"),
    ]
    for i, (a, n, s) in enumerate(reviews, 1):
        kind = "lcspr" if i in (3, 6) else "rapid_review"
        args = ["review", "add", f"RR{i}", "--db", db, "--kind", kind, "--awareness", a,
                "--notification", n, "--rapid-review-sent", s]
        if i == 3:
            args += ["--initiation", "2019-07-15", "--publication", "2020-01-14"]
        if i == 6:
            args += ["--initiation", "2021-04-12", "--publication", "2022-01-10"]
        run(*args)
    for i, (a, n) in enumerate([("2020-05-04", "2020-05-08"), ("2021-12-06", "2021-12-09")],
                               9):
        run("review", "add", f"N{i}", "--db", db, "--kind", "rapid_review", "--awareness", a,
            "--notification", n)
    late = reviews[-1]
    a, n, s = (dt.date.fromisoformat(x) for x in late)
    ok(wd_between(a, s) == 16 and wd_between(n, s) <= 15,
       "the late review is day 16 from awareness and within 15 from notification")
    out = run("report", "reviews", "--db", db, "--since", "2018-06-01", "--until",
              "2022-04-30").stdout.splitlines()
    ok(out[0] == "Notifications to the national panel within 5 working days of becoming "
                 "aware: 10 made, all within 5 working days", "notifications: 10, all on time",
       out[0])
    ok(out[1] == "Rapid reviews within 15 working days of becoming aware: 8 completed, 7 "
                 "submitted within 15 working days, 1 submitted on day 16",
       "rapid reviews timed from becoming aware: 7 of 8, 1 on day 16 (fails if timed from "
       "the notification)", out[1])
    ok(out[2] == "Local child safeguarding practice reviews published: 2 of 2, 1 within 6 "
                 "months of initiation; the longest 9 months after initiation",
       "LCSPRs: published 6 and 9 months after initiation", out[2])
    # the same table in the dataset's JSON, for the period the reviews fall in
    j = json.loads(run("report", "dataset", "--db", db, "--period",
                       "2018-06-01..2022-04-30", "--format", "json", "--quiet").stdout)
    cr = j["case_reviews"]
    ok(cr["rapid_reviews"] == 8 and cr["rapid_reviews_within_15_working_days"] == 7 and
       cr["rapid_reviews_latest_day"] == 16, "dataset json: the case review table",
       json.dumps(cr))
    ok(all(not f["available"] for f in j["figures"]),
       "no events imported: every figure not available, none 0")


def check_bad_input(tmp, db):
    cases = [
        (["report", "dataset", "--db", db, "--period", "2022-99"], 1, "--period"),
        (["report", "dataset", "--db", db, "--period", "2023-01-01..2022-01-01"], 1,
         "ends before"),
        (["report", "dataset", "--db", db, "--format", "docx"], 2, "docx"),
        (["report", "dataset", "--db", db, "--format", "xlsx"], 2, "--out"),
        (["report", "dataset", "--db", db, "--format", "xlsx", "--out", "/nonexistent/d.xlsx"],
         1, "/nonexistent/d.xlsx"),
        (["report", "dataset", "--db", db, "--population", "lots"], 2, "number of children"),
        (["report", "dataset", "--db", db, "--years", "0"], 2, "number of years"),
        (["report", "frobnicate", "--db", db], 2, "expected"),
        (["report", "reviews", "--db", db, "--since", "2022-02-30"], 1, "--since"),
        (["report", "dataset", "--db", os.path.join(tmp, "none.db")], 1, ""),
    ]
    for k, (text, what) in enumerate([
        ("figure,comparator,value,year,source,illustrative\nnope,England,1,2020,x,no\n",
         "no figure 'nope'"),
        ("figure,comparator,value,year,source,illustrative\nlac_rate,England,many,2020,x,no\n",
         "field value"),
        ("figure,comparator,value,year,source,illustrative\nlac_rate,England,1,2020,,no\n",
         "source"),
        ("figure,comparator,value,year,source,illustrative\nlac_rate,England,1,2020,x,maybe\n",
         "illustrative"),
        ("figure,value\n", "header"),
    ]):
        bad = os.path.join(tmp, f"bench{k}.csv")
        with open(bad, "w") as f:
            f.write(text)
        cases.append((["report", "benchmarks", "--benchmarks", bad], 1, what))
    th = os.path.join(tmp, "th.csv")
    with open(th, "w") as f:
        f.write("figure,better,margin\nlac_rate,sideways,1\n")
    cases.append((["report", "benchmarks", "--thresholds", th], 1, "sideways"))
    p = subprocess.run([SVP, "report", "dataset", "--db", db, "--format", "pdf", "--out",
                        os.path.join(tmp, "no.pdf")], capture_output=True, text=True,
                       env=dict(os.environ, SVP_CHROMIUM="/bin/false"))
    ok(p.returncode == 1 and "could not print" in p.stderr and
       not os.path.exists(os.path.join(tmp, "no.pdf.html")),
       "pdf: a browser that fails is an error, the html removed", p.stderr)
    for args, code, text in cases:
        p = run(*args, check=False)
        ok(p.returncode == code and text in p.stderr and p.stdout == "",
           f"bad input: svp {' '.join(a for a in args if a != db)} exits {code}",
           f"exit {p.returncode}: {p.stderr.strip()[:200]}")


def main():
    global SVP
    SVP = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = check_dataset(tmp)
        check_reviews(tmp)
        check_bad_input(tmp, db)
    print(f"1..{len(POINTS)}")
    failed = 0
    for i, (good, name, detail) in enumerate(POINTS, 1):
        print(f"{'ok' if good else 'not ok'} {i} - {name}")
        if not good:
            failed += 1
            if detail:
                print(f"# {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
