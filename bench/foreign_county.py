#!/usr/bin/env python3
"""A county svp did not write, in layouts svp does not ship: the whole spine (import
through profiles, link, export) on data with its own people, its own errors and its own
decoys, with truth. Written for issue 14 ("judged on data you have never seen").

Its people: households of one to three children drawn from the public name registers in
../shared/data/names (given names by their counts, surnames by theirs; not svp's own
lists), some of them twins, a few families sharing a surname and a street. Five agencies
see them, each through its own system and its own errors:

  police-missing.csv   occurrences of missing children: `SURNAME Forename` in one column,
                       dates of birth as `07-Mar-2011`, a URN per person
  csc-cases.csv        Windows-1252, semicolons, CRLF; two-digit years (`07/03/11`); the
                       social worker's spelling of the name; CSE and CCE flags
  school-census.tsv    tab separated; legal and preferred forenames; the carer's phone
  ed-attendances.csv   the NHS number; `Title Forename SURNAME`; ISO arrival times
  mash-contacts.csv    the children of a household in numbered columns, no ids but names

Errors are of kinds real records carry, made here by rule, not drawn from svp's variant
lists: a letter dropped, doubled or two swapped; a name respelt by its sound (ph/f,
y/ie, c/k); a preferred name of another stem; a double surname given half; day and month
swapped; a date of birth missing; a postcode missing or from a move. Truth (truth.csv:
file, agency id, true person) is read only by the scorer (foreign_score.py).

usage: foreign_county.py OUT_DIR [--households N] [--seed S] [--names DIR]"""
import argparse
import csv
import os
import random
from datetime import date, datetime, timedelta

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def weighted_names(path, col="name", count="count", sex=None, top=3000):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    if sex:
        rows = [r for r in rows if r.get("sex") == sex]
    rows.sort(key=lambda r: -int(r[count]))
    rows = rows[:top]
    return [r[col] for r in rows], [int(r[count]) for r in rows]


def typo(rng, s):
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.randrange(3)
    if k == 0:
        return s[:i] + s[i + 1:]                      # a letter dropped
    if k == 1:
        return s[:i] + s[i] + s[i:]                   # a letter doubled
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]    # two letters swapped


def by_sound(s):
    for a, b in (("ph", "f"), ("ie", "y"), ("y", "ie"), ("c", "k"), ("k", "c"), ("ee", "i"),
                 ("ou", "ow"), ("ae", "ay"), ("z", "s"), ("s", "z")):
        if a in s[1:]:
            return s[0] + s[1:].replace(a, b, 1)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--households", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=14)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--names", default=os.path.join(here, "..", "..", "shared", "data", "names"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    gm, gmw = weighted_names(os.path.join(a.names, "given-names.csv"), sex="M")
    gf, gfw = weighted_names(os.path.join(a.names, "given-names.csv"), sex="F")
    sn_rows = list(csv.DictReader(open(os.path.join(a.names, "surnames.csv"), encoding="utf-8")))
    sn_key = "surname" if "surname" in sn_rows[0] else list(sn_rows[0])[0]
    sn_cnt = "count" if "count" in sn_rows[0] else list(sn_rows[0])[-1]
    sns = [r[sn_key].strip().title() for r in sn_rows[:4000]]
    snw = [int(float(r[sn_cnt] or 1)) for r in sn_rows[:4000]]
    streets = ["Mill Lane", "Church Road", "Station Road", "Park Avenue", "High Street",
               "Victoria Road", "Green Lane", "Manor Way", "Queens Drive", "Albert Street"]

    def given(sex):
        return rng.choices(gm if sex == "M" else gf, gmw if sex == "M" else gfw)[0]

    people, homes = [], []
    used = set()

    def unique(make):
        """An id no other person has (each agency's ids are its own people's)"""
        v = make()
        while v in used:
            v = make()
        used.add(v)
        return v
    for h in range(a.households):
        fam = rng.choices(sns, snw)[0]
        if rng.random() < 0.06:
            fam = fam + "-" + rng.choices(sns, snw)[0]
        pc = f"WX{rng.randrange(1, 40)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUW')}"
        addr = f"{rng.randrange(1, 200)} {rng.choice(streets)}"
        phone = f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        kids = []
        first = date(2006, 1, 1) + timedelta(days=rng.randrange(0, 12 * 365))
        n = rng.choice([1, 1, 2, 2, 2, 3])
        for k in range(n):
            twin = k == 1 and rng.random() < 0.05
            dob = first if twin else first + timedelta(days=380 * k + rng.randrange(0, 700))
            sex = rng.choice("MF")
            g = given(sex)
            while any(g == c["given"] for c in kids):
                g = given(sex)
            p = {"pid": f"T{len(people):06d}", "given": g, "family": fam, "dob": dob,
                 "sex": sex, "pc": pc, "addr": addr, "phone": phone, "home": h,
                 "nhs": unique(lambda: nhs_number(rng)),
                 "upn": unique(lambda: f"U{rng.randrange(10**11, 10**12)}"),
                 "urn": unique(lambda: f"{rng.randrange(10**6, 10**7)}"),
                 "csc": unique(lambda: f"{rng.randrange(10**5, 10**6)}"),
                 "twin": twin, "exploited": rng.random() < 0.02}
            kids.append(p)
            people.append(p)
        homes.append(kids)

    def seen(p, agency):
        """A record of p as one agency's system keeps it: its errors."""
        g, f, dob, pc = p["given"], p["family"], p["dob"], p["pc"]
        r = rng.random()
        if r < 0.03:
            g = typo(rng, g)
        elif r < 0.05:
            g = by_sound(g)
        r = rng.random()
        if r < 0.02:
            f = typo(rng, f)
        elif r < 0.04 and "-" in f:
            f = f.split("-")[rng.randrange(2)]
        if dob and rng.random() < 0.01 and dob.day <= 12 and dob.day != dob.month:
            dob = date(dob.year, dob.day, dob.month)
        if rng.random() < 0.02:
            dob = None
        r = rng.random()
        if r < 0.10:
            pc = ""
        elif r < 0.16:
            pc = f"WX{rng.randrange(1, 40)} {rng.randrange(1, 10)}AB"
        return g, f, dob, pc

    truth = []
    # police: missing occurrences, more for exploited children
    rows = [["Occurrence No", "Person URN", "Name", "DOB", "Sex", "Home Postcode",
             "Reported Missing", "Found Location"]]
    occ = 0
    for p in people:
        n = rng.choice([0] * 12 + [1, 1, 2]) + (rng.randrange(2, 7) if p["exploited"] else 0)
        if not n:
            continue
        g, f, dob, pc = seen(p, "police")
        for _ in range(n):
            occ += 1
            when = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 300000))
            rows.append([f"OC{occ:06d}", p["urn"], f"{f.upper()} {g}",
                         f"{dob.day:02d}-{MONTHS[dob.month - 1]}-{dob.year}" if dob else "",
                         {"M": "Male", "F": "Female"}[p["sex"]], pc,
                         f"{when:%d/%m/%Y %H:%M}", rng.choice(["Home", "Town centre", "Friend's address", ""])])
        truth.append(["police-missing.csv", p["urn"], p["pid"]])
    write(a.out, "police-missing.csv", rows)

    # children's social care: cases, CP1252, semicolons, two-digit years
    rows = [["Child ID", "Forename", "Surname", "Date of Birth", "Gender", "Postcode",
             "CSE Flag", "CCE Flag", "Referral Date"]]
    for p in people:
        if not (p["exploited"] or rng.random() < 0.25):
            continue
        g, f, dob, pc = seen(p, "csc")
        ref = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 560))
        rows.append([p["csc"], g, f, f"{dob:%d/%m/%y}" if dob else "", p["sex"], pc,
                     "Y" if p["exploited"] and rng.random() < 0.6 else "N",
                     "Y" if p["exploited"] and rng.random() < 0.5 else "N", f"{ref:%d/%m/%Y}"])
        truth.append(["csc-cases.csv", p["csc"], p["pid"]])
    write(a.out, "csc-cases.csv", rows, delimiter=";", encoding="cp1252", newline="\r\n")

    # schools: one row per pupil, legal and preferred forenames, the carer's phone
    rows = [["UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Sex",
             "Postcode", "Contact Phone", "Attendance %"]]
    for p in people:
        if rng.random() < 0.1:
            continue  # not in a county school
        g, f, dob, pc = seen(p, "school")
        pref = ""
        if rng.random() < 0.05:
            pref = given(p["sex"])  # known by another name
        rows.append([p["upn"], f, g, pref, f"{dob:%Y-%m-%d}" if dob else "",
                     p["sex"], pc, p["phone"], f"{rng.uniform(60, 100):.1f}"])
        truth.append(["school-census.tsv", p["upn"], p["pid"]])
    write(a.out, "school-census.tsv", rows, delimiter="\t")

    # ED: attendances by NHS number, title and upper-case surname
    rows = [["NHS Number", "Patient Name", "Date of Birth", "Arrival", "Presenting Complaint"]]
    for p in people:
        n = rng.choice([0, 0, 0, 1]) + (rng.randrange(0, 3) if p["exploited"] else 0)
        if not n:
            continue
        g, f, dob, pc = seen(p, "ed")
        title = {"M": "Master", "F": "Miss"}[p["sex"]] if rng.random() < 0.5 else ""
        for _ in range(n):
            when = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 300000))
            rows.append([p["nhs"], f"{title} {g} {f.upper()}".strip(),
                         f"{dob:%d/%m/%Y}" if dob else "", f"{when:%Y-%m-%dT%H:%M:%S}",
                         rng.choice(["Injury", "Assault", "Overdose", "Abdominal pain", "Intoxication"])])
        truth.append(["ed-attendances.csv", p["nhs"], p["pid"]])
    write(a.out, "ed-attendances.csv", rows)

    # MASH contacts: the household's children in numbered columns, names only
    head = ["Contact ID", "Contact Date"]
    for k in (1, 2, 3):
        head += [f"Child {k} Forename", f"Child {k} Surname", f"Child {k} DOB"]
    head += ["Address", "Postcode", "Reason"]
    rows = [head]
    for i, kids in enumerate(homes):
        if rng.random() > 0.15:
            continue
        when = date(2023, 6, 1) + timedelta(days=rng.randrange(0, 400))
        row = [f"MC{i:06d}", f"{when:%d/%m/%Y}"]
        for k in range(3):
            if k < len(kids):
                g, f, dob, _ = seen(kids[k], "mash")
                row += [g, f, f"{dob:%d/%m/%Y}" if dob else ""]
                # the draft's id for a numbered child with no id: its names and date joined
                key = "/".join(v.replace("/", "\\/") for v in (f, g, f"{dob:%d/%m/%Y}" if dob else ""))
                truth.append(["mash-contacts.csv", key if k else f"MC{i:06d}", kids[k]["pid"]])
            else:
                row += ["", "", ""]
        row += [kids[0]["addr"], kids[0]["pc"], rng.choice(["Neglect", "DA notification", "Missing"])]
        rows.append(row)
    write(a.out, "mash-contacts.csv", rows)

    with open(os.path.join(a.out, "truth.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "agency_id", "person"])
        w.writerows(truth)
    with open(os.path.join(a.out, "people.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["person", "home", "twin", "exploited"])
        for p in people:
            w.writerow([p["pid"], p["home"], int(p["twin"]), int(p["exploited"])])
    print(f"{len(people)} children in {len(homes)} households; {len(truth)} agency records")


def nhs_number(rng):
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        if c == 11:
            c = 0
        if c != 10:
            s = "".join(map(str, d)) + str(c)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def write(out, name, rows, delimiter=",", encoding="utf-8", newline="\n"):
    with open(os.path.join(out, name), "w", encoding=encoding, errors="replace", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator=newline)
        w.writerows(rows)


if __name__ == "__main__":
    main()
