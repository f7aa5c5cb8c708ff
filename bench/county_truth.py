"""The hidden truth of a synthetic county (svp synth): which true person each agency
record is. DIR/truth/rows.csv gives the true person of every extract row; each extract's
profile (named in DIR/manifest.csv) says which column holds the agency's person id.
Shared by the benchmarks that score svp against the truth (link_county.py,
household_eval.py)."""
import csv
import os
from collections import defaultdict


def profile_keys(profiles, name):
    """(id space, person id column) of profiles/NAME.profile's [source] section"""
    keys = {}
    for line in open(os.path.join(profiles, name + ".profile"), encoding="utf-8"):
        line = line.strip()
        if line.startswith("[") and line != "[source]":
            break
        if "=" in line:
            k, v = line.split("=", 1)
            keys[k.strip()] = v.strip()
    return keys.get("id_space", keys.get("name")), keys.get("person_id")


def record_truth(county, profiles):
    """{(id space, agency person id): true person id}"""
    manifest = {r["file"]: r for r in csv.DictReader(open(os.path.join(county, "manifest.csv")))}
    truth = {}
    by_file = defaultdict(dict)
    for r in csv.DictReader(open(os.path.join(county, "truth", "rows.csv"))):
        by_file[r["file"]][int(r["line"])] = r["person_id"]
    for file, lines in by_file.items():
        m = manifest.get(file)
        if not m:
            continue
        space, pid_col = profile_keys(profiles, m["profile"])
        if not pid_col:
            continue
        enc = "cp1252" if m["encoding"] == "windows-1252" else "utf-8-sig"
        with open(os.path.join(county, file), encoding=enc, newline="") as f:
            rd = csv.reader(f)
            head = [h.strip() for h in next(rd)]
            col = head.index(pid_col)
            for n, row in enumerate(rd, start=2):
                if n in lines and col < len(row) and row[col].strip():
                    truth[(space, row[col].strip())] = lines[n]
    return truth


def export_persons(export):
    """{(source, agency record id): svp person id} from `svp persons export`"""
    return {(r["source"], r["agency_record_id"]): r["person_id"]
            for r in csv.DictReader(open(export))}
