#!/usr/bin/env python3
"""Checks an import of a synthetic county (used by ingest-county.test).

usage: county-rejects.py COUNTY_DIR REJECTS_CSV SVP_SOURCES_OUTPUT

Every rejected row must be one that `svp synth` corrupted on purpose
(truth/corruptions.csv, matched through truth/rows.csv by file and line), and every
extract row must be accounted for: the rows the import read add up to the manifest's.
Prints what is wrong and exits 1, or prints a summary and exits 0.
"""
import csv
import os
import sys


def main():
    county, rejects_path, sources_path = sys.argv[1:4]
    rows = {}
    with open(os.path.join(county, "truth", "rows.csv"), newline="") as f:
        for r in csv.DictReader(f):
            rows[(r["file"], int(r["line"]))] = r["record_id"]
    planted = {}
    with open(os.path.join(county, "truth", "corruptions.csv"), newline="") as f:
        for r in csv.DictReader(f):
            planted.setdefault((r["file"], r["record_id"]), []).append(r["kind"])
    problems, n = [], 0
    if os.path.exists(rejects_path):
        with open(rejects_path, newline="") as f:
            for r in csv.DictReader(f):
                n += 1
                name = os.path.basename(r["file"])
                rid = rows.get((name, int(r["line"])))
                kinds = planted.get((name, rid), [])
                if not any(k.startswith("DOB") or k == "MISSING" for k in kinds):
                    problems.append(f"unexpected reject {name}:{r['line']} "
                                    f"field {r['field']}: {r['reason']} (planted: {kinds})")
    want = 0
    with open(os.path.join(county, "manifest.csv"), newline="") as f:
        for r in csv.DictReader(f):
            want += int(r["rows"])
    read = 0
    with open(sources_path) as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            if len(parts) > 5 and parts[0].isdigit():
                read += int(parts[4])
    if read != want:
        problems.append(f"the import read {read} rows; the manifest lists {want}")
    for p in problems[:20]:
        print(p)
    if problems:
        return 1
    print(f"{want} rows read, {n} rejected, every reject a planted corruption")
    return 0


if __name__ == "__main__":
    sys.exit(main())
