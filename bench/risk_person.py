#!/usr/bin/env python3
"""svp person (one person's score from their neighbourhood) against svp panel (the whole
county) on a database: the same score, band and reasons for the top 30 of the panel and every
tenth child after, to rank 400.

usage: python3 bench/risk_person.py SVP DB
"""
import json
import subprocess
import sys


def main():
    svp, db = sys.argv[1], sys.argv[2]
    panel = json.loads(subprocess.run(
        [svp, "panel", "--db", db, "--as-of", "latest", "--top", "400", "--band", "low",
         "--format", "json"], capture_output=True, text=True, check=True).stdout)
    lst = panel["list"]
    sample = lst[:30] + lst[30::10]
    differ = 0
    for e in sample:
        out = subprocess.run([svp, "person", str(e["person_id"]), "--db", db, "--as-of",
                              "latest", "--format", "json"], capture_output=True, text=True,
                             check=True)
        sc = json.loads(out.stdout).get("score") or {}
        same = (sc.get("score") == e["score"] and sc.get("band") == e["band"] and
                [(r["indicator"], r["points"]) for r in sc.get("reasons", [])] ==
                [(r["indicator"], r["points"]) for r in e.get("reasons", [])])
        if not same:
            differ += 1
            print("differs:", e["person_id"], e["score"], sc.get("score"), e["band"],
                  sc.get("band"))
    print(f"{len(sample)} children compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
