#!/usr/bin/env python3
"""Integration test for tests/layouts/: each extract (a layout unlike any svp ships) is
imported with its profile into a fresh SQLite database. Each must keep >= 99.5% of its
rows; the rejects file must name exactly the deliberately bad rows of truth.json (file,
line, field, reason); and the sampled people of truth.json must be stored as they are
(given and family name, date of birth, sex). Prints TAP.

usage: check.py SVP LAYOUTS_DIR"""
import csv
import glob
import json
import os
import sqlite3
import subprocess
import sys
import tempfile


def check(svp, d):
    name = os.path.basename(d.rstrip("/"))
    extract = glob.glob(os.path.join(d, "extract.*"))[0]
    profile = os.path.join(d, name + ".profile")
    truth = json.load(open(os.path.join(d, "truth.json"), encoding="utf-8"))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SVP_DB=os.path.join(tmp, "svp.db"))
        rej = os.path.join(tmp, "rejects.csv")
        res = subprocess.run([svp, "import", "--quiet", "--as-of", "2024-08-01", "--rejects",
                              rej, "--profile", profile, extract], env=env,
                             capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            return [f"import exited {res.returncode}: {res.stderr.strip()}"]
        db = sqlite3.connect(os.path.join(tmp, "svp.db"))
        read, accepted = db.execute(
            "SELECT rows_read, rows_accepted FROM source_file").fetchone()
        if accepted < 0.995 * read:
            problems.append(f"only {accepted} of {read} rows accepted (< 99.5%)")
        got = []
        if os.path.exists(rej):
            with open(rej, encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    got.append(row)
        want = truth["bad"]
        if len(got) != len(want):
            problems.append(f"{len(got)} lines in the rejects file, want {len(want)}")
        for w in want:
            hit = [g for g in got if int(g["line"]) == w["line"] and g["field"] == w["field"]
                   and g["reason"].startswith(w["reason"]) and g["file"] == extract]
            if not hit:
                problems.append(f"bad row at line {w['line']} ({w['field']}: {w['reason']}) "
                                f"not rejected as such")
        for p in truth["records"]:
            row = db.execute("SELECT given_name, family_name, dob, sex FROM record "
                             "WHERE agency_record_id = ?", (p["id"],)).fetchone()
            if not row:
                problems.append(f"record {p['id']} missing")
                continue
            want_row = (p["given"], p["family"], p["dob"], p.get("sex", row[3]))
            if tuple(row) != want_row:
                problems.append(f"record {p['id']}: stored {row}, want {want_row}")
        if read < 200:
            problems.append(f"only {read} rows: too few to prove 99.5%")
    return problems


def main():
    svp, root = sys.argv[1], sys.argv[2]
    dirs = sorted(d for d in glob.glob(os.path.join(root, "*/")) if glob.glob(d + "extract.*"))
    print(f"1..{len(dirs)}")
    failed = 0
    for i, d in enumerate(dirs, 1):
        problems = check(svp, d)
        name = os.path.basename(d.rstrip("/"))
        if problems:
            failed += 1
            print(f"not ok {i} - layout {name}")
            for p in problems[:20]:
                print(f"# {p}")
        else:
            print(f"ok {i} - layout {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
