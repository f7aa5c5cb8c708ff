#!/bin/sh
# The tracker on counties svp did not write (issue 15: "judged on counties it has never
# seen"). bench/context_county.py writes a county of its own model straight into a database
# (its own names, places, events and traps: siblings of group children with the group's
# adult at the family home, children in residential care missing again and again alone,
# domestic abuse across two households); its group children are the exploited, its traps the
# decoys. `svp link` and `svp panel quality` then run as a partnership would, beside the
# naive baseline (missing episodes) in the same run. SEEDS picks the counties.
set -eu
cd "$(dirname "$0")/.."
SVP=${BUILD:-build}/svp
SEEDS=${SEEDS:-7 8 9}
work=$(mktemp -d /tmp/svp-bench-risk-ind-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
for seed in $SEEDS; do
    d="$work/$seed"
    mkdir -p "$d"
    $SVP db migrate --db "$d/county.db" >/dev/null
    python3 bench/context_county.py "$d/county.db" "$d" --seed "$seed"
    python3 - "$d" <<'PY'
import csv, os, sys
d = sys.argv[1]
kinds = {"CARE_MISSING": "care_missing", "DA_HOUSEHOLD": "domestic_abuse", "SIBLING": "sibling"}
with open(os.path.join(d, "panel-truth.csv"), "w") as out:
    out.write("child,kind,first_harm\n")
    seen = set()
    for r in csv.DictReader(open(os.path.join(d, "truth", "group_members.csv"))):
        if r["role"] == "CHILD" and r["person_id"] not in seen:
            seen.add(r["person_id"])
            out.write(f"police:{r['person_id']},exploited,\n")
    for r in csv.DictReader(open(os.path.join(d, "truth", "decoys.csv"))):
        out.write(f"police:{r['person_id']},decoy:{kinds.get(r['indicators'], r['indicators'].lower())},\n")
PY
    $SVP link --db "$d/county.db" --quiet >/dev/null
    echo "== independent county, seed $seed"
    $SVP panel quality --db "$d/county.db" --truth "$d/panel-truth.csv" --as-of latest --no-months
done
