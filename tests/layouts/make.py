#!/usr/bin/env python3
"""Writes the extracts in tests/layouts/ (layouts unlike any svp ships) and their
truth. Run once by hand; the files it writes are committed and check.py reads them.

Each layout LAYOUT gets LAYOUT/extract.* (the file), LAYOUT/LAYOUT.profile is written by
hand, and LAYOUT/truth.json: the rows that must be rejected (line, field, reason start)
and, for a sample of people, the record svp must store (given, family, dob, sex)."""
import json
import random
from datetime import date, datetime, timedelta

R = random.Random(1303)
GIVEN = ["Kayla", "Jayden", "Amelia", "Tyler", "Chloe", "Reece", "Niamh", "Kai", "Zoë",
         "Seán", "Aoife", "Mohammed", "Priya", "Oliver", "Leah", "Ellie-Mae", "Brandon",
         "Kacper", "Maja", "Tomás"]
FAMILY = ["Dunn", "Okafor", "Smith-Jones", "O'Neill", "Kowalski", "Patel", "Hughes",
          "Van Der Berg", "Lloyd", "Nguyen", "Brown", "Ahmed", "Murphy", "Doyle", "Evans"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
AS_OF = date(2024, 8, 1)


def person(i):
    g, f = R.choice(GIVEN), R.choice(FAMILY)
    dob = date(2005, 1, 1) + timedelta(days=R.randrange(0, 12 * 365))
    sex = R.choice("MF")
    return {"id": i, "given": g, "family": f, "dob": dob, "sex": sex}


def write(path, text, encoding="utf-8", newline="\n"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text.replace("\n", newline))


def truth(layout, bad, people):
    with open(f"{layout}/truth.json", "w", encoding="utf-8") as fh:
        json.dump({"bad": bad, "records": people}, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


N = 400


def csc_cases():
    """Social care cases: semicolons, Windows-1252, month-name dates, London local times."""
    rows, people, bad = ["CaseNo;ChildRef;Forename;Surname;DateOfBirth;Opened;Kind"], [], []
    for i in range(1, N + 1):
        p = person(i)
        opened = datetime(2023, 1, 1, 9, 0) + timedelta(hours=R.randrange(0, 13000))
        dob = f"{p['dob'].day:02d}-{MONTHS[p['dob'].month - 1].upper() if i % 3 else MONTHS[p['dob'].month - 1]}-{p['dob'].year}"
        op = f"{opened.day:02d}-{MONTHS[opened.month - 1]}-{opened.year} {opened:%H:%M}"
        kind = R.choice(["CSE", "CCE", "", "County Lines"])
        if i == 137:
            op = "31-Feb-2024 10:00"
            bad.append({"line": i + 1, "field": "Opened", "reason": "not a valid date"})
        rows.append(f"C{i:05d};K{i:05d};{p['given']};{p['family']};{dob};{op};{kind}")
        if i % 40 == 0 and i != 137:
            people.append({"id": f"K{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("csc-cases/extract.csv", "\n".join(rows) + "\n", encoding="cp1252", newline="\r\n")
    truth("csc-cases", bad, people)


def school_mis():
    """School MIS attendance: tab separated, pupil + term key, two-digit-year DOB."""
    rows, people, bad = ["UPN\tLegal Forename\tLegal Surname\tDOB\tTerm\tPossible\tMissed\tExcl"], [], []
    terms = ["2023/24 AUT", "2023/24 SPR"]
    line = 1
    for i in range(1, N // 2 + 1):
        p = person(i)
        for t in terms:
            line += 1
            poss = R.randrange(100, 130)
            miss = R.randrange(0, 40)
            excl = "Y" if R.random() < 0.05 else "N"
            rows.append(f"U{i:06d}\t{p['given']}\t{p['family']}\t{p['dob']:%d/%m/%y}\t{t}\t{poss}\t{miss}\t{excl}")
        if i % 25 == 0:
            people.append({"id": f"U{i:06d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    clash = rows[5].split("\t")
    clash[6] = str(int(clash[6]) + 1)
    rows.append("\t".join(clash))  # the same pupil + term with other counts: which is right?
    bad.append({"line": len(rows), "field": "UPN+Term", "reason": "duplicate id in this file (first at line 6)"})
    rows.append(rows[9])  # the same row exported twice: kept once, noted
    bad.append({"line": len(rows), "field": "", "reason": "an exact copy of line 10; kept once"})
    write("school-mis/extract.tsv", "\n".join(rows) + "\n")
    truth("school-mis", bad, people)


def police_nominals():
    """Police nominals: SURNAME Forename, occurrence + person key, Excel serials, ISO 5218."""
    rows, people, bad = ["OccurrenceRef,PersonRef,Nominal,BirthSerial,SexCode,Role,Occurred"], [], []
    base = date(1899, 12, 30)
    for i in range(1, N + 1):
        p = person(i)
        occ = f"OC{(i + 1) // 2:05d}"
        serial = (p["dob"] - base).days
        sex = {"M": "1", "F": "2"}[p["sex"]]
        if i % 50 == 0:
            sex = "0"
        if i == 222:
            sex = "7"
            bad.append({"line": i + 1, "field": "SexCode", "reason": "code not in [map sex]"})
        when = datetime(2024, 1, 1) + timedelta(minutes=R.randrange(0, 200000))
        rows.append(f"{occ},P{i:05d},{p['family'].upper()} {p['given']},{serial},{sex},"
                    f"{R.choice(['SUSPECT', 'VICTIM', 'WITNESS'])},{when:%Y-%m-%dT%H:%M:%S}")
        if i % 40 == 0 and i != 222:
            people.append({"id": f"P{i:05d}", "given": p["given"], "family": p["family"].upper(),
                           "dob": p["dob"].isoformat(), "sex": "U" if i % 50 == 0 else p["sex"]})
    write("police-nominals/extract.csv", "\n".join(rows) + "\n")
    truth("police-nominals", bad, people)


def ed_system():
    """ED system: Excel CSV with BOM and CRLF, 'Title Forename SURNAME', ISO times with T."""
    rows, people, bad = ["Attendance No,Patient Name,NHS No,Date of Birth,Arrived,Reason"], [], []
    for i in range(1, N + 1):
        p = person(i)
        title = R.choice(["Miss", "Mr", "Ms", "Master", ""])
        name = f"{title} {p['given']} {p['family'].upper()}".strip()
        arrived = datetime(2024, 3, 1) + timedelta(minutes=R.randrange(0, 200000))
        arr = f"{arrived:%Y-%m-%dT%H:%M}" if i % 2 else f"{arrived:%Y-%m-%d %H:%M}"
        if i == 301:
            arr = ""
            bad.append({"line": i + 1, "field": "Arrived", "reason": "required value is empty"})
        nhs = f"{9000000000 + i}"
        rows.append(f"A{i:06d},{name},{nhs},{p['dob']:%d/%m/%Y},{arr},"
                    f"{R.choice(['Injury', 'Self harm', 'Sexual health', 'Overdose'])}")
        if i % 40 == 0:
            people.append({"id": f"A{i:06d}", "given": p["given"], "family": p["family"].upper(),
                           "dob": p["dob"].isoformat()})
    write("ed-system/extract.csv", "\ufeff" + "\n".join(rows) + "\n", newline="\r\n")
    truth("ed-system", bad, people)


def return_interviews():
    """Return interviews: '|' lists, an event only when a flag says Y."""
    rows, people, bad = ["InterviewID,YP Ref,First Name,Last Name,D.O.B.,Interview Date,Disclosures,Referred To CSC"], [], []
    for i in range(1, N + 1):
        p = person(i)
        d = date(2024, 1, 1) + timedelta(days=R.randrange(0, 200))
        ds = f"{d:%Y-%m-%d}"
        if i == 55:
            ds = "2024-13-01"
            bad.append({"line": i + 1, "field": "Interview Date", "reason": "not a valid date"})
        disc = "|".join(R.sample(["cse", "drugs", "peer_associates", "home_conflict", "cce"], R.randrange(0, 3)))
        rows.append(f"RI{i:05d},Y{i:05d},{p['given']},{p['family']},{p['dob']:%d.%m.%Y},{ds},{disc},{R.choice(['Y', 'N', 'N'])}")
        if i % 40 == 0:
            people.append({"id": f"Y{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("return-interviews/extract.csv", "\n".join(rows) + "\n")
    truth("return-interviews", bad, people)


def police_missing():
    """Missing persons: found-with free text, generic and coordinate-only found places."""
    rows, people, bad = ["Report,Subject,Name,DOB,Missing From,Returned,Found At,Lat,Long,Found With"], [], []
    for i in range(1, N + 1):
        p = person(i)
        gone = datetime(2024, 2, 1) + timedelta(minutes=R.randrange(0, 200000))
        back = gone + timedelta(hours=R.randrange(1, 72))
        found = R.choice(["friend's address", "home", "Castle Street car park", "", "McDonald's Market Sq"])
        lat, lon = ("", "") if found == "home" else (f"{51 + R.random():.5f}", f"{-2 + R.random():.5f}")
        with_ = R.choice(["", "Kayla Dunn", "older males", "family; Tyler Hughes", "unknown adult"])
        if i == 99:
            back = gone - timedelta(days=2)
            bad.append({"line": i + 1, "field": "Returned", "reason": "ended_at is before started_at"})
        rows.append(f"MP{i:05d},S{i:05d},\"{p['family']}, {p['given']}\",{p['dob']:%d/%m/%Y},"
                    f"{gone:%d/%m/%Y %H:%M:%S},{back:%d/%m/%Y %H:%M:%S},{found},{lat},{lon},{with_}")
        if i % 40 == 0:
            people.append({"id": f"S{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("police-missing/extract.csv", "\n".join(rows) + "\n")
    truth("police-missing", bad, people)


def youth_justice():
    """Youth justice: pipe delimited, several date formats in one column."""
    rows, people, bad = ["YJ_ID|CLIENT|NAME|BORN|START|OUTCOME"], [], []
    for i in range(1, N + 1):
        p = person(i)
        d = date(2023, 6, 1) + timedelta(days=R.randrange(0, 300))
        start = R.choice([f"{d:%d/%m/%Y}", f"{d:%Y-%m-%d}", f"{d.day} {d:%B} {d.year}"])
        out = R.choice(["Completed", "Breach", "Ongoing"])
        if i == 314:
            out = "Absconded"
            bad.append({"line": i + 1, "field": "OUTCOME", "reason": "code not in [map outcome]"})
        rows.append(f"J{i:05d}|C{i:05d}|{p['family']}, {p['given']}|{p['dob']:%Y%m%d}|{start}|{out}")
        if i % 40 == 0:
            people.append({"id": f"C{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("youth-justice/extract.txt", "\n".join(rows) + "\n")
    truth("youth-justice", bad, people)


def care_leavers():
    """Care leavers: semicolons and quoted fields, exploitation concern with no kind."""
    rows, people, bad = ["Ref;Name;DOB;Status;Since;Concern"], [], []
    for i in range(1, N + 1):
        p = person(i)
        p["dob"] = date(2000, 1, 1) + timedelta(days=R.randrange(0, 6 * 365))
        since = date(2022, 1, 1) + timedelta(days=R.randrange(0, 900))
        status = R.choice(["Relevant", "Former relevant", "Qualifying"])
        concern = R.choice(["", "", "CSE", "Concern - no kind", "County lines"])
        line = f"L{i:05d};\"{p['given']} {p['family']}\";{p['dob']:%d/%m/%Y};{status};{since:%d/%m/%Y};{concern}"
        if i == 250:
            line = f"L{i:05d};\"{p['given']} {p['family']}\";{p['dob']:%d/%m/%Y};{status}"
            bad.append({"line": i + 1, "field": "", "reason": "row has 4 fields but the header has 6"})
        rows.append(line)
        if i % 40 == 0:
            people.append({"id": f"L{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("care-leavers/extract.csv", "\n".join(rows) + "\n")
    truth("care-leavers", bad, people)


def nhs_number():
    """A valid NHS number (mod 11 check digit), printed 3 3 4 as health systems print it."""
    while True:
        d = [R.randrange(10) for _ in range(9)]
        c = 11 - sum(d[k] * (10 - k) for k in range(9)) % 11
        c = 0 if c == 11 else c
        if c != 10:
            s = "".join(map(str, d)) + str(c)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def police_da():
    """Police DA incidents: victim and suspect in one row, each by prefixed columns, DASH."""
    rows, people, bad = ["Incident Ref,Incident Date,Victim Ref,Victim Surname,Victim Forename,"
                         "Victim DOB,Suspect Ref,Suspect Surname,Suspect Forename,Suspect DOB,"
                         "DASH Risk,Children Present"], [], []
    def adult(i):
        p = person(i)
        p["dob"] = date(1960, 1, 1) + timedelta(days=R.randrange(0, 40 * 365))
        return p
    victims = [adult(i) for i in range(1, 151)]
    suspects = [adult(i) for i in range(1, 151)]
    for i in range(1, N + 1):
        v = R.randrange(len(victims))
        s = v if R.random() < 0.8 else R.randrange(len(suspects))
        vp, sp = victims[v], suspects[s]
        when = datetime(2024, 1, 1, 18, 0) + timedelta(minutes=R.randrange(0, 300000))
        at = f"{when:%d/%m/%Y %H:%M}"
        sus = f"S{s + 1:04d},{sp['family']},{sp['given']},{sp['dob']:%d/%m/%Y}"
        if i % 17 == 0:
            sus = ",,,"  # no suspect named
        if i == 211:
            at = "31/02/2024 21:00"
            bad.append({"line": i + 1, "field": "Incident Date", "reason": "not a valid date"})
        rows.append(f"DA{i:05d},{at},V{v + 1:04d},{vp['family']},{vp['given']},"
                    f"{vp['dob']:%d/%m/%Y},{sus},{R.choice(['Standard', 'Medium', 'High'])},"
                    f"{R.choice(['Yes', 'No'])}")
    for k in range(0, 150, 25):
        for pre, grp in (("V", victims), ("S", suspects)):
            p = grp[k]
            people.append({"id": f"{pre}{k + 1:04d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
    write("police-da/extract.csv", "\n".join(rows) + "\n")
    # only people the extract names, with a suspect's record from a row that names them
    named = "\n".join(rows)
    people = [p for p in people if f",{p['id']}," in named]
    truth("police-da", bad, people)


def report_export():
    """A reporting tool's export: a title above the header and a footer under the rows,
    SQL Server's datetime texts (12-hour, padded; fractions of a second), a row exported
    twice, and an id repeated with other values."""
    rows, people, bad = ["Missing Episodes Report", "Run date: 01/08/2024 09:15",
                         "Filter: All episodes", "",
                         "Episode ID,Person ID,Forename,Surname,Date of Birth,Reported Missing,"
                         "Returned"], [], []
    for i in range(1, N + 1):
        p = person(i)
        gone = datetime(2024, 2, 1) + timedelta(minutes=R.randrange(0, 200000))
        back = gone + timedelta(hours=R.randrange(1, 72))
        h12 = gone.hour % 12 or 12
        rep = f"{MONTHS[gone.month - 1]} {gone.day:2d} {gone.year} {h12:2d}:{gone:%M}{'AM' if gone.hour < 12 else 'PM'}"
        rows.append(f"E{i:05d},P{i:05d},{p['given']},{p['family']},"
                    f"{p['dob']:%Y-%m-%d} 00:00:00.000,{rep},{back:%Y-%m-%d %H:%M:%S}.000")
        if i % 40 == 0:
            people.append({"id": f"P{i:05d}", "given": p["given"], "family": p["family"],
                           "dob": p["dob"].isoformat()})
        if i == 100:
            rows.append(rows[-1])  # the same row exported twice: kept once
            bad.append({"line": len(rows), "field": "", "reason": f"an exact copy of line {len(rows) - 1}; kept once"})
        if i == 200:
            clash = rows[-1].split(",")
            clash[2] = clash[2] + "-Mae"
            rows.append(",".join(clash))  # the same episode with another name: which is right?
            bad.append({"line": len(rows), "field": "Episode ID", "reason": f"duplicate id in this file (first at line {len(rows) - 1})"})
    rows += ["", "Total episodes: 402", "End of report"]
    write("report-export/extract.csv", "\n".join(rows) + "\n", newline="\r\n")
    truth("report-export", bad, people)


def gp_patients():
    """A GP/community health extract: no id but the NHS number (spaced), an address over
    three columns, known-as names in the forename, 'Not known' sex, two columns both named
    Date (attended, discharged)."""
    rows, people, bad = ["NHS No,Patient Forename,Patient Surname,Date of Birth,Sex,"
                         "Address Line 1,Address Line 2,Town,Post Code,Date,Date,"
                         "Attendance Type"], [], []
    for i in range(1, N + 1):
        p = person(i)
        nhs = nhs_number()
        fore = p["given"] + (" (Kay)" if p["given"] == "Kayla" and i % 2 else "")
        sex = {"M": "Male", "F": "Female"}[p["sex"]] if i % 9 else "Not known"
        flat = f"Flat {R.randrange(1, 9)}" if R.random() < 0.4 else ""
        seen = date(2024, 1, 1) + timedelta(days=R.randrange(0, 200))
        out = seen + timedelta(days=R.randrange(0, 3))
        kind = R.choice(["A&E", "Walk-in", "Sexual Health", "GP"])
        if i == 321:
            nhs = ""
            bad.append({"line": i + 1, "field": "NHS No", "reason": "row id is empty"})
        rows.append(f"{nhs},{fore},{p['family']},{p['dob']:%d/%m/%Y},{sex},"
                    f"{R.randrange(1, 200)} {R.choice(['High Street', 'Mill Lane', 'Church Road'])},"
                    f"{flat},Swindon,SN{R.randrange(1, 9)} {R.randrange(1, 9)}AB,"
                    f"{seen:%d/%m/%Y},{out:%d/%m/%Y},{kind}")
        if i % 40 == 0 or (p["given"] == "Kayla" and i % 2 and len(people) < 14):
            rec = {"id": nhs, "given": p["given"], "family": p["family"],
                   "dob": p["dob"].isoformat()}
            if i % 9:
                rec["sex"] = p["sex"]
            people.append(rec)
    write("gp-patients/extract.csv", "\n".join(rows) + "\n")
    truth("gp-patients", bad, people)


def mash_contacts():
    """A MASH contact log: one row per contact, the children of the household in numbered
    columns (Child 1 ... Child 3, each with a Ref, names, DOB and gender), blank where the
    household has fewer; twins in some households; the household's address once."""
    head = ["Contact ID", "Contact Date/Time", "Referrer", "Reason"]
    for k in (1, 2, 3):
        head += [f"Child {k} Ref", f"Child {k} Forename", f"Child {k} Surname",
                 f"Child {k} DOB", f"Child {k} Gender"]
    head += ["Address", "Postcode", "Outcome"]
    rows, people, bad = [",".join(head)], [], []
    homes = []
    for h in range(120):
        fam = R.choice(FAMILY)
        kids = []
        first = date(2006, 1, 1) + timedelta(days=R.randrange(0, 12 * 365))
        for k in range(R.choice([1, 1, 2, 2, 3])):
            twin = k == 1 and R.random() < 0.15
            dob = first if twin else first + timedelta(days=400 * k + R.randrange(0, 300))
            kids.append({"id": f"CH{h:03d}{k}", "given": R.choice(GIVEN), "family": fam,
                         "dob": dob, "sex": R.choice("MF")})
        homes.append((kids, f"{R.randrange(1, 99)} {R.choice(['Mill Lane', 'Park Road', 'Station Street'])}",
                      f"LS{R.randrange(1, 29)} {R.randrange(1, 9)}{R.choice('ABD')}{R.choice('EHJ')}"))
    for i in range(1, N + 1):
        kids, addr, pc = R.choice(homes)
        when = datetime(2024, 1, 2, 8, 0) + timedelta(minutes=R.randrange(0, 250000))
        at = f"{when:%d/%m/%Y %H:%M}"
        cells = [f"MC{i:05d}", at, R.choice(["Police", "School", "Health", "Anonymous"]),
                 R.choice(["DA notification", "Neglect", "Missing from home", "Exploitation concern"])]
        for k in range(3):
            if k < len(kids):
                c = kids[k]
                cells += [c["id"], c["given"], c["family"], f"{c['dob']:%d/%m/%Y}",
                          {"M": "Male", "F": "Female"}[c["sex"]]]
            else:
                cells += ["", "", "", "", ""]
        cells += [addr, pc, R.choice(["NFA", "Early Help", "Assessment", "Strategy"])]
        if i == 150:
            cells[1] = "30/02/2024 10:00"
            bad.append({"line": i + 1, "field": "Contact Date/Time", "reason": "not a valid date"})
        rows.append(",".join(cells))
    named = "\n".join(r for n, r in enumerate(rows, 1) if n not in {b["line"] for b in bad})
    for kids, _, _ in homes[::6]:
        for c in kids:
            if f",{c['id']}," in named:
                people.append({"id": c["id"], "given": c["given"], "family": c["family"],
                               "dob": c["dob"].isoformat(), "sex": c["sex"]})
    write("mash-contacts/extract.csv", "\n".join(rows) + "\n")
    truth("mash-contacts", bad, people)


if __name__ == "__main__":
    import os
    for d in ["csc-cases", "school-mis", "police-nominals", "ed-system", "return-interviews",
              "police-missing", "youth-justice", "care-leavers", "police-da", "report-export",
              "gp-patients", "mash-contacts"]:
        os.makedirs(d, exist_ok=True)
    csc_cases(); school_mis(); police_nominals(); ed_system(); return_interviews()
    police_missing(); youth_justice(); care_leavers()
    police_da(); report_export(); gp_patients(); mash_contacts()
