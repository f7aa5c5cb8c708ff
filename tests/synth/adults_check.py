"""The adult vulnerability list and the cuckooed addresses against the synthetic county's truth.

Generates a county, imports every extract, links, then checks (TAP) and prints:
  - every planted cuckooed address (truth/cuckooed.csv) is among the adults' places of
    `svp adults list` and lies in a grid cell of `svp context hotspots --events cuckooing`
    with events; how many of those cells are significant hot spots is printed;
  - recall@K of the exploited young adults (truth/young_adults.csv, exploited = 1) among the
    adult list's 18-25s, K = twice the number planted (the children's tracker's K), at least
    0.9; recall at K = the number planted is printed beside it, how many young adults with
    histories but not exploited (exploited = 0) are in the top K, and how many others (the
    county's own adults with a concern of modern slavery or sexual exploitation, exploited
    children who have turned 18: exploited, but not planted as such here). Recall over the
    whole list (all ages) is printed too;
  - every young adult with a children's social care history (truth/young_adults.csv
    care_history: looked after or a child protection plan in their teens) carries the
    care_history indicator (transitional safeguarding).
svp persons are mapped to true persons through their records' (file, line) and
truth/rows.csv (the majority of the person's records). Only this check reads truth/.
Usage: adults_check.py SVP [CHILDREN] [SEED]
"""
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, linked_county, plan  # noqa: E402


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def main():
    svp = sys.argv[1]
    children = sys.argv[2] if len(sys.argv) > 2 else "6000"
    seed = sys.argv[3] if len(sys.argv) > 3 else "1"
    with tempfile.TemporaryDirectory() as d:
        c, db = linked_county(svp, d, children, seed)
        truth = os.path.join(c, "truth")
        with open(os.path.join(truth, "cuckooed.csv"), newline="") as f:
            cuckooed = list(csv.DictReader(f))
        with open(os.path.join(truth, "young_adults.csv"), newline="") as f:
            young = list(csv.DictReader(f))
        exploited = {r["person_id"] for r in young if r["exploited"] == "1"}
        history = {r["person_id"] for r in young if r["exploited"] == "0"}
        check("the truth has cuckooed addresses and exploited young adults",
              len(cuckooed) >= 2 and len(exploited) >= 3 and len(history) >= 3,
              f"{len(cuckooed)} {len(exploited)} {len(history)}")
        rows = {}
        with open(os.path.join(truth, "rows.csv"), newline="") as f:
            for r in csv.DictReader(f):
                rows[(r["file"], int(r["line"]))] = r["person_id"]
        con = sqlite3.connect(db)
        votes = defaultdict(Counter)
        for pid, path, line in con.execute(
                "SELECT pr.person_id, sf.path, r.line FROM person_record pr JOIN record r ON "
                "r.id = pr.record_id LEFT JOIN source_file sf ON sf.id = r.file_id"):
            t = rows.get((os.path.basename(path or ""), line))
            if t:
                votes[pid][t] += 1
        true_of = {pid: v.most_common(1)[0][0] for pid, v in votes.items()}

        p = run([svp, "adults", "list", "--db", db, "--json", "--top", "0", "--min-score", "1"])
        check("svp adults list runs", p.returncode == 0, p.stderr)
        got = json.loads(p.stdout) if p.returncode == 0 else {"list": [], "cuckooed_places": []}
        places = {(q["name"], q["postcode"]) for q in got["cuckooed_places"]}
        missed = [r["place_name"] for r in cuckooed if (r["place_name"], r["postcode"]) not in places]
        check(f"every planted cuckooed address ({len(cuckooed)}) is among the adults' places",
              not missed, missed)

        p = run([svp, "context", "hotspots", "--db", db, "--events", "cuckooing", "--geojson",
                 "-"])
        check("svp context hotspots --events cuckooing runs", p.returncode == 0, p.stderr)
        cells = [f for f in (json.loads(p.stdout)["features"] if p.returncode == 0 else [])
                 if f["properties"].get("layer") == "gistar" and f["properties"]["count"] > 0]

        def cell_of(lat, lon):
            for f in cells:
                ring = f["geometry"]["coordinates"][0]
                xs, ys = [pt[0] for pt in ring], [pt[1] for pt in ring]
                if min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys):
                    return f["properties"]
            return None

        found = [cell_of(float(r["lat"]), float(r["lon"])) for r in cuckooed]
        check("every planted cuckooed address lies in a cuckooing hotspot cell with events",
              all(found), [r["place_name"] for r, f in zip(cuckooed, found) if not f])
        hot = sum(1 for f in found if f and f["significant"])
        print(f"# cuckooed addresses: {len(cuckooed)} planted, {len(cuckooed) - len(missed)} among "
              f"the adults' places, {sum(1 for f in found if f)} in a cell with events, {hot} in "
              f"a significant hot cell (FDR 0.05)")

        ranked = [true_of.get(e["person_id"], f"unmapped{e['person_id']}") for e in got["list"]
                  if e["person_id"]]
        listed = {true_of.get(e["person_id"]) for e in got["list"]
                  if e["score"] >= 25}
        for k_name, k in (("planted", len(exploited)), ("2 x planted", 2 * len(exploited))):
            top = set(ranked[:k])
            rec = len(top & exploited) / len(exploited) if exploited else 0.0
            print(f"# exploited young adults: K = {k} ({k_name}): recall@K {rec:.3f} "
                  f"({len(top & exploited)} of {len(exploited)}), young adults with histories "
                  f"not exploited in the top K: {len(top & history)} of {len(history)}")
        ranked_young = [true_of.get(e["person_id"], f"unmapped{e['person_id']}")
                        for e in got["list"] if e["person_id"] and 18 <= e["age"] <= 25]
        for k in (len(exploited), 2 * len(exploited)):
            top = set(ranked_young[:k])
            rec = len(top & exploited) / len(exploited) if exploited else 0.0
            print(f"# the list's 18-25s: K = {k}: recall@K {rec:.3f}, young adults with "
                  f"histories not exploited in the top K: {len(top & history)}, others not "
                  f"planted as exploited: {len(top - exploited - history)}")
        check(f"recall@K of the exploited young adults among the list's 18-25s >= 0.9 "
              f"(K = {2 * len(exploited)}, twice those planted, as the children's tracker)",
              rec >= 0.9, f"{rec:.3f}")
        # transitional safeguarding: the young adults with a children's social care history
        # (looked after, or a child protection plan, in their teens) carry care_history
        cared = {r["person_id"] for r in young if r.get("care_history")}
        with_care = {true_of.get(e["person_id"]) for e in got["list"] if e["person_id"] and
                     any(x["indicator"] == "care_history" for x in e["reasons"])}
        print(f"# young adults with a care history: {len(cared)} planted, "
              f"{len(cared & with_care)} with the care_history indicator")
        check("every young adult with a children's social care history carries care_history",
              len(cared) >= 3 and cared <= with_care, sorted(cared - with_care)[:5])
        with_score = set(ranked)
        print(f"# {len(exploited & with_score)} of {len(exploited)} exploited young adults have "
              f"an indicator; listed at the default score 25: "
              f"{len(exploited & listed)}")
    return plan()


if __name__ == "__main__":
    sys.exit(main())
