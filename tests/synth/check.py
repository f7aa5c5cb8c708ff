#!/usr/bin/env python3
"""Runs the real `svp synth` and checks what it wrote. Prints TAP.

usage: check.py SVP

Checks: determinism (same arguments byte-identical, another seed differs), that `svp import`
takes the whole county with no row rejected, the manifest,
encodings and line ends as docs/extracts.md states, the truth against the extracts (every
data row mapped to its true person at the right line and record id; exploited children
present with the multi-agency pattern; found-with ids are police nominals), every
corruption kind present and visible in the rows, and calibration against
county-profile.csv (tests/synth/calibration.py, tolerance 20% at 104,000 children)."""
import csv
import filecmp
import io
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import calibration  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append((bool(ok), name, detail))


def run(svp, out, n, seed):
    p = subprocess.run([svp, "synth", "--children", str(n), "--seed", str(seed), "--out", out,
                        "--quiet"], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"Bail out! svp synth failed ({p.returncode}): {p.stderr.strip()}")


def all_files(d):
    out = []
    for root, _, files in os.walk(d):
        out += [os.path.relpath(os.path.join(root, f), d) for f in files]
    return sorted(out)


def manifest(d):
    with open(os.path.join(d, "manifest.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_text(d, m):
    raw = open(os.path.join(d, m["file"]), "rb").read()
    if m["encoding"] == "utf-8-bom":
        return raw, raw[3:].decode("utf-8")
    if m["encoding"] == "windows-1252":
        return raw, raw.decode("cp1252")
    return raw, raw.decode("utf-8")


def test_determinism(svp, tmp):
    a, b, c = (os.path.join(tmp, x) for x in "abc")
    run(svp, a, 2000, 7)
    run(svp, b, 2000, 7)
    run(svp, c, 2000, 8)
    fa, fb = all_files(a), all_files(b)
    same = fa == fb and all(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False)
                            for f in fa)
    check("same arguments give byte-identical files", same)
    differ = [f for f in fa if f.startswith(("csc_", "police_", "edu_", "truth/"))
              and not filecmp.cmp(os.path.join(a, f), os.path.join(c, f), shallow=False)]
    check("another seed gives different extracts and truth", len(differ) >= 8,
          f"{len(differ)} files differ")
    return a


def test_imports(svp, county, tmp):
    """The county goes through the ingest room's profiles (the manifest names them) with no
    file refused and no row rejected: the layouts in docs/extracts.md hold both ways."""
    rejects = os.path.join(tmp, "rejects.csv")
    p = subprocess.run([svp, "import", county, "--db", os.path.join(tmp, "import.db"),
                        "--rejects", rejects, "--quiet"], capture_output=True, text=True)
    check("svp import takes the whole county through its manifest", p.returncode == 0,
          p.stderr.strip()[:200])
    n = 0
    if os.path.exists(rejects):
        with open(rejects, encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
    check("no row of the county is rejected at import", n <= 0, f"{n} rejected")


def test_boundaries(svp, d, tmp, areas, tag):
    """DIR/boundaries.geojson: one polygon per area of areas.csv, cells that do not overlap
    and hold every postcode of their area, and `svp context boundaries import` takes it."""
    import json
    with open(os.path.join(d, "boundaries.geojson"), encoding="utf-8") as f:
        g = json.load(f)
    with open(os.path.join(d, "areas.csv"), encoding="utf-8") as f:
        codes = [r["area_code"] for r in csv.DictReader(f)]
    cells = {}
    for ft in g["features"]:
        ring = ft["geometry"]["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        cells[ft["properties"]["code"]] = (min(xs), max(xs), min(ys), max(ys))
    check(f"{tag}: a boundary for each of the {areas} areas",
          sorted(cells) == sorted(codes) and len(codes) == areas, f"{len(cells)} of {len(codes)}")
    out = 0
    with open(os.path.join(d, "postcodes.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            c = cells.get(r["area_code"])
            if c and not (c[0] <= float(r["lon"]) <= c[1] and c[2] <= float(r["lat"]) <= c[3]):
                out += 1
    check(f"{tag}: every postcode lies inside its area's boundary", out == 0, f"{out} outside")
    v = sorted(cells.values())
    overlap = sum(1 for i, a in enumerate(v) for b in v[i + 1:]
                  if a[0] < b[1] - 1e-9 and b[0] < a[1] - 1e-9 and a[2] < b[3] - 1e-9
                  and b[2] < a[3] - 1e-9)
    check(f"{tag}: area boundaries do not overlap", overlap == 0, f"{overlap} overlaps")
    db = os.path.join(tmp, f"boundaries-{tag}.db")
    p = subprocess.run([svp, "db", "migrate", "--db", db], capture_output=True, text=True)
    p = subprocess.run([svp, "context", "boundaries", "import",
                        os.path.join(d, "boundaries.geojson"), "--db", db],
                       capture_output=True, text=True)
    check(f"{tag}: svp context boundaries import takes them",
          p.returncode == 0 and f"{areas} imported" in p.stdout, (p.stderr or p.stdout)[:200])
    return cells


def test_wide(svp, tmp, profile_cells):
    """More areas widen the county at the same density: each area's cell is as big as the
    profile county's, and the county is wider than high."""
    d = os.path.join(tmp, "wide")
    p = subprocess.run([svp, "synth", "--children", "500", "--areas", "60", "--out", d,
                        "--quiet"], capture_output=True, text=True)
    check("synth --areas 60 runs", p.returncode == 0, p.stderr.strip()[:200])
    cells = test_boundaries(svp, d, tmp, 60, "60 areas")
    size = lambda c: (round(c[1] - c[0], 4), round(c[3] - c[2], 4))
    check("60 areas: each area the profile county's size",
          {size(c) for c in cells.values()} == {size(c) for c in profile_cells.values()})
    w = max(c[1] for c in cells.values()) - min(c[0] for c in cells.values())
    h = max(c[3] for c in cells.values()) - min(c[2] for c in cells.values())
    pw = max(c[1] for c in profile_cells.values()) - min(c[0] for c in profile_cells.values())
    check("60 areas: the county is wider than the profile county's, and wider than high",
          w > pw * 1.5 and w > h, f"{w:.3f} x {h:.3f} degrees")


def test_layouts(d):
    ms = manifest(d)
    names = [m["file"] for m in ms]
    check("manifest lists 26 files, reference files first",
          len(ms) == 26 and names[:3] == ["areas.csv", "postcodes.csv", "places.csv"])
    check("every manifest file exists", all(os.path.exists(os.path.join(d, n)) for n in names))
    enc = {m["file"]: (m["encoding"], m["line_ends"]) for m in ms}
    check("rhi_interviews.csv is UTF-8 with BOM", enc["rhi_interviews.csv"][0] == "utf-8-bom")
    check("health_ed.csv has CRLF line ends", enc["health_ed.csv"][1] == "crlf")
    check("education files are Windows-1252", enc["edu_attendance.csv"][0] == "windows-1252"
          and enc["edu_events.csv"][0] == "windows-1252")
    texts = {}
    for m in ms:
        raw, text = read_text(d, m)
        texts[m["file"]] = text
        bom = raw.startswith(b"\xef\xbb\xbf")
        check(f"{m['file']}: BOM only where stated", bom == (m["encoding"] == "utf-8-bom"))
        crlf = raw.count(b"\r\n")
        lines = raw.count(b"\n")
        want = lines if m["line_ends"] == "crlf" else 0
        check(f"{m['file']}: line ends as stated", crlf == want, f"{crlf} CRLF of {lines}")
        if m["encoding"] != "windows-1252":
            try:
                raw.decode("utf-8")
                ok = True
            except UnicodeDecodeError:
                ok = False
            check(f"{m['file']}: valid UTF-8", ok)
        rows = list(csv.reader(io.StringIO(text)))
        check(f"{m['file']}: row count matches the manifest", len(rows) - 1 == int(m["rows"]),
              f"{len(rows) - 1} rows, manifest {m['rows']}")
        width = len(rows[0])
        check(f"{m['file']}: every row has the header's {width} fields",
              all(len(r) == width for r in rows))
    att = open(os.path.join(d, "edu_attendance.csv"), "rb").read()
    high = [b for b in set(att) if b >= 0x80]
    check("edu_attendance.csv holds accented letters as single Windows-1252 bytes",
          high and all(0xC0 <= b <= 0xFF for b in high) and not _valid_utf8(att),
          f"bytes {sorted(high)[:8]}")
    return texts


def _valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_truth(d, texts):
    truth = defaultdict(dict)
    with open(os.path.join(d, "truth", "rows.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[r["file"]][int(r["line"])] = (r["record_id"], r["person_id"])
    with open(os.path.join(d, "truth", "persons.csv"), encoding="utf-8") as f:
        persons = {r["person_id"]: r for r in csv.DictReader(f)}
    missing_rows, bad_ids, unknown = 0, 0, 0
    total = 0
    for m in manifest(d):
        if m["agency"] == "ref":
            continue
        rows = list(csv.reader(io.StringIO(texts[m["file"]])))
        t = truth[m["file"]]
        for i, r in enumerate(rows[1:], start=2):
            total += 1
            if i not in t:
                missing_rows += 1
            elif t[i][0] != r[0]:
                bad_ids += 1
            elif t[i][1] not in persons:
                unknown += 1
    check("every extract row has a truth row", missing_rows == 0 and total > 0,
          f"{missing_rows} of {total} missing")
    check("truth line and record id agree with the extract", bad_ids == 0, f"{bad_ids} differ")
    check("every true person of a row is in truth/persons.csv", unknown == 0, f"{unknown}")
    pid_of = {}
    for f, t in truth.items():
        for line, (rec, pid) in t.items():
            pid_of[(f, rec)] = pid
    with open(os.path.join(d, "truth", "exploited.csv"), encoding="utf-8") as f:
        exploited = {r["person_id"]: r for r in csv.DictReader(f)}
    check("there are exploited children of every type",
          {r["type"] for r in exploited.values()} == {"CSE", "CCE", "COUNTY_LINES"})
    by_file = defaultdict(lambda: defaultdict(int))
    for (f, rec), pid in pid_of.items():
        if pid in exploited:
            by_file[pid][f] += 1
    # children whose only sign is at school (no group) are the exception
    grouped = [p for p in exploited if exploited[p]["group_id"]]
    in_missing = sum(1 for p in grouped if by_file[p]["police_missing.csv"] > 0)
    check("every exploited child of a group has police missing episodes",
          in_missing == len(grouped), f"{in_missing} of {len(grouped)}")
    school_only = [p for p in exploited if not exploited[p]["group_id"]]
    check("children exploited with only school signs have school attendance and no missing",
          all(by_file[p]["edu_attendance.csv"] and not by_file[p]["police_missing.csv"]
              for p in school_only), f"{len(school_only)}")
    multi = sum(1 for p in exploited
                if sum(1 for f in ("police_missing.csv", "health_ed.csv", "edu_attendance.csv",
                                   "csc_contacts.csv", "police_occurrences.csv")
                       if by_file[p][f]) >= 4)
    check("most exploited children appear in four or more agencies' files",
          multi >= 0.8 * len(exploited), f"{multi} of {len(exploited)}")
    # Found-with lists name police nominals, children and adults of concern.
    nominals = {r[0] for r in csv.reader(io.StringIO(texts["police_nominals.csv"]))}
    with_ids, unknown_with, with_adult = 0, 0, 0
    with open(os.path.join(d, "truth", "adults.csv"), encoding="utf-8") as f:
        adults = {r["person_id"] for r in csv.DictReader(f)}
    nominal_pid = {rec: pid for (f, rec), pid in pid_of.items() if f == "police_nominals.csv"}
    for r in csv.DictReader(io.StringIO(texts["police_missing.csv"])):
        for n in filter(None, r["FoundWith"].split(";")):
            with_ids += 1
            unknown_with += n not in nominals
            with_adult += nominal_pid.get(n) in adults
    check("children are found with other children and adults of concern",
          with_ids > 50 and with_adult > 10, f"{with_ids} ids, {with_adult} adults")
    check("every found-with id is a police nominal", unknown_with == 0, f"{unknown_with}")
    # Missing episodes rise after harm begins.
    before = after = 0
    for r in csv.DictReader(io.StringIO(texts["police_missing.csv"])):
        pid = pid_of.get(("police_missing.csv", r["OccurrenceRef"]))
        if pid in exploited:
            month = r["MissingFromDateTime"][6:10] + "-" + r["MissingFromDateTime"][3:5]
            if month < exploited[pid]["harm_month"]:
                before += 1
            else:
                after += 1
    check("exploited children go missing after harm begins, rarely before",
          after > 5 * max(before, 1), f"{before} before, {after} after")
    with open(os.path.join(d, "truth", "decoys.csv"), encoding="utf-8") as f:
        decoys = [r["person_id"] for r in csv.DictReader(f)]
    check("decoys exist and are not exploited", decoys and not set(decoys) & set(exploited))
    with open(os.path.join(d, "truth", "decoys.csv"), encoding="utf-8") as f:
        kinds_of = {r["person_id"]: set(r["indicators"].split(";")) for r in csv.DictReader(f)}
    care = [p for p, k in kinds_of.items() if "CARE_MISSING" in k]
    sibs = [p for p, k in kinds_of.items() if "SIBLING" in k]
    check("traps of every kind: care-missing decoys and siblings drawn in",
          len(care) > 10 and len(sibs) > 5, f"{len(care)} care, {len(sibs)} siblings")
    # care-missing decoys go missing from care again and again, found at the placement or
    # with a parent at the family home; siblings share police occurrences with the exploited
    care_missing = defaultdict(int)
    found_home = 0
    for r in csv.DictReader(io.StringIO(texts["police_missing.csv"])):
        pid = pid_of.get(("police_missing.csv", r["OccurrenceRef"]))
        if pid in care and r["MissingFrom"] == "CARE_PLACEMENT":
            care_missing[pid] += 1
            found_home += r["FoundLocation"] in ("CARE_PLACEMENT", "HOME_ADDRESS")
    check("care-missing decoys go missing from care repeatedly and are found at home or placement",
          sum(1 for p in care if care_missing[p] >= 3) >= 0.8 * len(care) and
          found_home >= 0.9 * sum(care_missing.values()),
          f"{sum(care_missing.values())} episodes, {found_home} found at home or placement")
    occ_people = defaultdict(set)
    for r in csv.DictReader(io.StringIO(texts["police_occurrences.csv"])):
        occ_people[r["OccurrenceRef"]].add(pid_of.get(("police_occurrences.csv",
                                                       r["InvolvementID"])))
    shared = sum(1 for p in sibs if any(p in s and s & set(exploited) for s in occ_people.values()))
    check("siblings drawn in share police occurrences with their exploited brother or sister",
          shared == len(sibs), f"{shared} of {len(sibs)}")
    with open(os.path.join(d, "truth", "panel-truth.csv"), encoding="utf-8") as f:
        pt = list(csv.DictReader(f))
    check("truth/panel-truth.csv lists the exploited and the decoys by an agency id",
          sum(1 for r in pt if r["kind"].startswith("exploited")) == len(exploited) and
          all(":" in r["child"] for r in pt), f"{len(pt)} rows")
    with open(os.path.join(d, "truth", "hotspots.csv"), encoding="utf-8") as f:
        spots = [(r["place_id"], r["kind"]) for r in csv.DictReader(f)]
    kinds = {k for _, k in spots}
    check("hotspots of every kind", kinds == {"GROUP", "ROUTE", "INCIDENT", "NIGHT"}, str(kinds))
    # the night-time economy: adults only, late on Friday and Saturday nights
    with open(os.path.join(d, "truth", "hotspots.csv"), encoding="utf-8") as f:
        night = [r for r in csv.DictReader(f) if r["kind"] == "NIGHT"]
    street = {night[0]["postcode"]} if night else set()
    import datetime as dt
    nte = [r for r in csv.DictReader(io.StringIO(texts["police_occurrences.csv"]))
           if r["Postcode"] in street and r["PlaceName"].split(",")[0] in
           ("Vibe Nightclub", "The Crown", "The Red Lion")]
    kids = {p for p, row in persons.items() if row["kind"] != "ADULT"}
    late = [dt.datetime.strptime(r["OccurrenceDateTime"], "%d/%m/%Y %H:%M") for r in nte]
    check("the night-time economy: late on Friday and Saturday nights, adults only",
          len(nte) >= 100 and
          all((t.hour >= 22 and t.weekday() in (4, 5)) or
              (t.hour * 60 + t.minute <= 210 and t.weekday() in (5, 6)) for t in late) and
          not any(pid_of.get(("police_occurrences.csv", r["InvolvementID"])) in kids
                  for r in nte), f"{len(nte)} rows")
    check("each hotspot listed once per kind", len(spots) == len(set(spots)))
    # Return interviews: some within the 72 hours, some late (for the clocks to find).
    import datetime as dt
    within = late = 0
    for r in csv.DictReader(io.StringIO(texts["rhi_interviews.csv"])):
        if r["Outcome"] == "COMPLETED":
            back = dt.datetime.strptime(r["ReturnDateTime"], "%d/%m/%Y %H:%M")
            done = dt.datetime.strptime(r["CompletedDateTime"], "%d/%m/%Y %H:%M")
            assert done >= back
            if (done - back).total_seconds() <= 72 * 3600:
                within += 1
            else:
                late += 1
    check("return interviews: about half within 72 hours, the rest late",
          0.4 <= within / max(within + late, 1) <= 0.7, f"{within} within, {late} late")
    twins = sum(1 for p in persons.values() if p["twin_of"])
    check("twins are present", twins > 0, f"{twins}")
    return pid_of, persons


def test_corruptions(d, texts, pid_of, persons):
    kinds = defaultdict(list)
    with open(os.path.join(d, "truth", "corruptions.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kinds[r["kind"]].append(r)
    want = ["NICKNAME", "VARIANT", "TYPO", "NAME_SWAP", "HYPHEN_PART", "DOB_SWAP", "DOB_TYPO",
            "MISSING", "ACCENT", "OLD_ADDRESS", "DUPLICATE_ID"]
    for k in want:
        check(f"corruption {k} is present", len(kinds[k]) > 0, f"{len(kinds[k])}")
    csc = {r["PersonID"]: r for r in csv.DictReader(io.StringIO(texts["csc_persons.csv"]))}

    def shown(kind, test):
        n = ok = 0
        for c in kinds[kind]:
            if c["file"] != "csc_persons.csv":
                continue
            row = csc[c["record_id"]]
            true = persons[pid_of[("csc_persons.csv", c["record_id"])]]
            n += 1
            ok += bool(test(row, true))
        return n, ok

    n, ok = shown("NAME_SWAP", lambda r, t: r["Forename"] == t["surname"])
    check("a swapped name shows the surname as forename (unless another slip hit it)",
          n and ok >= 0.7 * n, f"{ok}/{n}")
    n, ok = shown("NICKNAME", lambda r, t: r["Forename"] != t["forename"])
    check("a nickname differs from the true forename", n and ok == n, f"{ok}/{n}")

    def transposed(r, t):
        d = r["DateOfBirth"]
        return not d or (d[5:7], d[8:10]) == (t["dob"][8:10], t["dob"][5:7])
    n, ok = shown("DOB_SWAP", transposed)
    check("a DOB_SWAP row shows day and month transposed", n and ok == n, f"{ok}/{n}")
    empties = sum(1 for c in kinds["MISSING"]
                  if c["file"] == "csc_persons.csv" and c["field"] == "dob"
                  and csc[c["record_id"]]["DateOfBirth"] == "")
    check("a missing DOB is an empty field", empties > 0, f"{empties}")
    dup = defaultdict(set)
    for rec, r in csc.items():
        dup[pid_of[("csc_persons.csv", rec)]].add(rec)
    check("a duplicate record gives one child two CSC person ids",
          any(len(v) == 2 for v in dup.values()))
    moved = sum(1 for c in kinds["OLD_ADDRESS"])
    check("old addresses after moves are recorded", moved > 0)
    test_nhs_numbers(texts, pid_of, csc, kinds)


def nhs_valid(n):
    """ten digits whose last is the modulus 11 check digit of the first nine"""
    if len(n) != 10 or not n.isdigit():
        return False
    c = 11 - sum(int(n[i]) * (10 - i) for i in range(9)) % 11
    return c != 10 and int(n[9]) == (0 if c == 11 else c)


def test_nhs_numbers(texts, pid_of, csc, kinds):
    """CSC holds most children's NHS numbers, the same ones the ED records, a few keyed
    with two digits swapped (and then logged as a corruption)."""
    ed = {}
    for r in csv.DictReader(io.StringIO(texts["health_ed.csv"])):
        if r["NHSNumber"]:
            ed[pid_of[("health_ed.csv", r["AttendanceID"])]] = r["NHSNumber"]
    typos = {c["record_id"] for c in kinds["TYPO"] if c["field"] == "nhs_number"}
    held = same = both = 0
    for rec, r in csc.items():
        n = r["NHSNumber"]
        held += bool(n)
        pid = pid_of[("csc_persons.csv", rec)]
        if n and pid in ed:
            both += 1
            same += (n == ed[pid]) == (rec not in typos)
    check("most CSC records carry an NHS number", 0.7 * len(csc) <= held <= 0.9 * len(csc),
          f"{held} of {len(csc)}")
    check("CSC's NHS numbers are valid unless logged as keyed wrong",
          all(nhs_valid(r["NHSNumber"]) for k, r in csc.items()
              if r["NHSNumber"] and k not in typos))
    check("CSC and the ED hold the same NHS number for a child (but the logged slips)",
          both > 0 and same == both, f"{same} of {both}")
    check("a few CSC NHS numbers are keyed with two digits swapped", len(typos) > 0,
          f"{len(typos)}")


def test_contact_phones(d, texts, pid_of):
    """Schools hold a contact phone for most pupils and the ED a next of kin's for many
    attendances; brothers and sisters mostly give one number, not always (each parent's
    number, a stale one); a few numbers (a grandparent's, a childminder's) are given for
    children of other families too."""
    home = {}
    with open(os.path.join(d, "truth", "households.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            home[r["person_id"]] = r["household_id"]

    def digits(v):
        x = "".join(ch for ch in v if ch.isdigit())
        return "0" + x[2:] if v.startswith("+44") else x

    rows = list(csv.DictReader(io.StringIO(texts["edu_attendance.csv"])))
    blank = sum(1 for r in rows if not r["ContactPhone"])
    check("a few school rows have no contact phone", 0.03 * len(rows) <= blank <= 0.2 * len(rows),
          f"{blank} of {len(rows)}")
    ed = list(csv.DictReader(io.StringIO(texts["health_ed.csv"])))
    eblank = sum(1 for r in ed if not r["NextOfKinPhone"])
    check("many ED attendances have no next of kin's phone",
          0.2 * len(ed) <= eblank <= 0.5 * len(ed), f"{eblank} of {len(ed)}")
    nums = [digits(r["ContactPhone"]) for r in rows if r["ContactPhone"]] + \
        [digits(r["NextOfKinPhone"]) for r in ed if r["NextOfKinPhone"]]
    check("contact phones are UK numbers of 11 digits",
          nums and all(len(n) == 11 and n[:2] in ("07", "01") for n in nums))
    last = {}
    for r in rows:
        pid = pid_of[("edu_attendance.csv", r["RecordID"])]
        last[pid] = digits(r["ContactPhone"])
    by_home = defaultdict(list)
    for pid, n in last.items():
        if pid in home:
            by_home[home[pid]].append(n)
    pairs = same = 0
    for ns in by_home.values():
        for i in range(len(ns)):
            for j in range(i + 1, len(ns)):
                pairs += 1
                same += bool(ns[i]) and ns[i] == ns[j]
    check("brothers and sisters mostly, not always, give the school one number",
          0.5 * pairs <= same <= 0.95 * pairs, f"{same} of {pairs}")
    homes_of = defaultdict(set)
    for pid, n in last.items():
        if n and pid in home:
            homes_of[n].add(home[pid])
    shared = sum(1 for h in homes_of.values() if len(h) > 1)
    check("a few numbers are given for children of other families too",
          0 < shared <= 0.1 * len(homes_of), f"{shared} of {len(homes_of)}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: check.py SVP")
    svp = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="svp-synth-") as tmp:
        small = test_determinism(svp, tmp)
        test_imports(svp, small, tmp)
        big = os.path.join(tmp, "county")
        run(svp, big, 104000, 1)
        texts = test_layouts(big)
        test_wide(svp, tmp, test_boundaries(svp, big, tmp, 18, "profile county"))
        pid_of, persons = test_truth(big, texts)
        test_corruptions(big, texts, pid_of, persons)
        test_contact_phones(big, texts, pid_of)
        m = calibration.measure(big, calibration.dt.date(2021, 4, 1), 24)
        scale = 104000 / calibration.PROFILE
        for k, target in calibration.TARGETS.items():
            got = m[k] if k in calibration.SHARES else m[k] / scale
            check(f"calibrated {k} within 20% of {target}", abs(got - target) <= 0.2 * target,
                  f"{got:.1f}")
    print(f"1..{len(results)}")
    for i, (ok, name, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}" + (f" # {detail}" if detail else ""))
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
