#!/usr/bin/env python3
"""Integration test: the spine on a county svp did not write, in five layouts svp does not
ship (bench/foreign_county.py, 600 households), imported through bench/profiles/foreign/,
linked and exported by the real binary, scored against the truth (bench/foreign_score.py).
Every row must be accepted and no record lost; across agencies precision and recall of
pairs >= 0.99; no more than one twin pair merged; no more than 2% of the children in two
or more files held as more than one person. Prints TAP.

usage: foreign_check.py SVP SOURCE_ROOT"""
import contextlib
import io
import os
import sqlite3
import subprocess
import sys
import tempfile

svp, root = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(root, "bench"))
from foreign_score import score  # noqa: E402

FILES = ["police-missing.csv", "csc-cases.csv", "school-census.tsv", "ed-attendances.csv",
         "mash-contacts.csv"]
checks = []
with tempfile.TemporaryDirectory() as tmp:
    county = os.path.join(tmp, "county")
    names = os.path.join(root, "..", "shared", "data", "names")
    if not os.path.isdir(names):
        names = "/work/shared/data/names"
    subprocess.run([sys.executable, os.path.join(root, "bench", "foreign_county.py"), county,
                    "--households", "600", "--seed", "22", "--names", names],
                   check=True, capture_output=True)
    db = os.path.join(tmp, "svp.db")
    env = dict(os.environ, SVP_DB=db)
    for f in FILES:
        prof = os.path.join(root, "bench", "profiles", "foreign", os.path.splitext(f)[0] + ".profile")
        r = subprocess.run([svp, "import", "--quiet", "--as-of", "2024-08-01", "--profile", prof,
                            os.path.join(county, f)], env=env, capture_output=True, text=True)
        checks.append((r.returncode == 0, f"import {f}", r.stderr.strip()))
    con = sqlite3.connect(db)
    read, accepted = con.execute("SELECT sum(rows_read), sum(rows_accepted) FROM source_file").fetchone()
    checks.append((read and read == accepted, "every row accepted", f"{accepted} of {read}"))
    r = subprocess.run([svp, "link", "--quiet"], env=env, capture_output=True, text=True)
    checks.append((r.returncode == 0, "svp link", r.stderr.strip()))
    export = os.path.join(tmp, "export.csv")
    with open(export, "w") as fh:
        r = subprocess.run([svp, "persons", "export"], env=env, stdout=fh, stderr=subprocess.PIPE,
                           text=True)
    checks.append((r.returncode == 0, "svp persons export", r.stderr.strip()))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        s = score(county, export)
    print("".join("# " + line + "\n" for line in buf.getvalue().splitlines()), end="")
    p, rc, _ = s["across"]
    checks.append((s["missing"] == 0, "every agency record in the export", f"{s['missing']} not"))
    checks.append((p >= 0.99, "precision across agencies >= 0.99", f"{p:.4f}"))
    checks.append((rc >= 0.99, "recall across agencies >= 0.99", f"{rc:.4f}"))
    checks.append((s["twins"] > 0 and s["twins_merged"] <= 1, "twins kept apart",
                   f"{s['twins_merged']} of {s['twins']} merged"))
    checks.append((s["split"] <= 0.02 * s["multi"], "children split <= 2%",
                   f"{s['split']} of {s['multi']}"))
print(f"1..{len(checks)}")
failed = 0
for i, (ok, name, why) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        failed += 1
        print(f"# {why}")
sys.exit(1 if failed else 0)
