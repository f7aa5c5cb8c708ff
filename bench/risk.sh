#!/bin/sh
# Vulnerability Tracker benchmarks (issue 5):
#  1. speed of the scoring core in memory: 104,000 and 12,000,000 children (bench-risk),
#     beside the naive baseline over the same facts;
#  2. svp panel end to end on a generated SQLite database of 104,000 children (load from
#     the database + scoring, printed separately);
#  3. quality on the synthetic county against its truth (recall and precision in the top K,
#     PR-AUC, months from harm to the top K) beside the naive baseline (count of missing
#     episodes), when svp synth, svp import and svp link are built in.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SVP=$BUILD/svp
tmp=$(mktemp -d /tmp/svp-bench-risk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
now() { python3 -c 'import time; print(time.time())'; }
since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.2f}')" "$1"; }

echo "-- scoring core in memory (facts generated, database not involved)"
"$BUILD/bench/bench-risk" 104000
"$BUILD/bench/bench-risk" 12000000

echo "-- svp panel on a database of 104,000 children (SQLite)"
db=$tmp/county.db
SVP_DB=$db "$SVP" db migrate >/dev/null
sqlite3 "$db" <<'SQL'
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 104000)
INSERT INTO record (source, agency, agency_record_id, dob, sex, ethnicity, area, role)
SELECT 'csc', 'csc', 'C' || i,
       date('2026-11-01', '-' || (4 + abs(random()) % 14) || ' years',
            '-' || (abs(random()) % 365) || ' days'),
       CASE WHEN i % 2 THEN 'M' ELSE 'F' END,
       CASE WHEN i % 10 = 0 THEN 'BCRB' WHEN i % 10 = 1 THEN 'APKN' ELSE 'WBRI' END,
       'CA' || (1 + i % 18), 'child' FROM n;
INSERT INTO person (id, created_at) SELECT id, '2026-11-01' FROM record;
INSERT INTO person_record (record_id, person_id) SELECT id, id FROM record;
CREATE TEMP TABLE kinds (k INTEGER, type TEXT, subtype TEXT, detail TEXT, agency TEXT);
INSERT INTO kinds VALUES
 (0, 'missing_episode', 'missing', '{"risk_level":"medium"}', 'police'),
 (1, 'missing_episode', 'missing', '{"found_out_of_county":1}', 'police'),
 (2, 'school_attendance', NULL, '{"attendance_pct":84.5,"persistent_absence":1}', 'education'),
 (3, 'exclusion', 'suspension', '{"days":2}', 'education'),
 (4, 'ed_attendance', 'injury', '{}', 'health'),
 (5, 'crime', 'suspect', '{"offence":"theft"}', 'police'),
 (6, 'contact', 'nfa', '{}', 'csc'),
 (7, 'da_incident', 'medium', '{"role":"child_in_household"}', 'police'),
 (8, 'exploitation_screening', 'medium', '{"concerns":["cce"]}', 'csc'),
 (9, 'return_interview', 'completed', '{"disclosures":["county_lines"]}', 'rhi');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 420000)
INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at, detail)
SELECT k.agency, k.agency, 'E' || n.i,
       CASE WHEN n.i % 10 < 3 THEN 1 + abs(random()) % 5000 ELSE 1 + abs(random()) % 104000 END,
       k.type, k.subtype, date('2026-11-01', '-' || (abs(random()) % 1000) || ' days'), k.detail
FROM n JOIN kinds k ON k.k = CASE WHEN n.i % 50 = 0 THEN 8 + n.i % 2 ELSE n.i % 8 END;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id)
SELECT 'police', 'police', 'found_with', 1 + abs(random()) % 5000, 1 + abs(random()) % 104000,
       NULL FROM n;
COMMIT;
SQL
events=$(sqlite3 "$db" "SELECT COUNT(*) FROM event")
# wall and CPU time of one command (the machine may be shared: CPU time is the steadier)
timed() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.time()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{time.time() - t:.2f} s wall, {ru.ru_utime + ru.ru_stime:.2f} s CPU")
PY
}
echo "104,000 children, $events events: svp panel $(timed "$SVP" panel --db "$db" \
    --as-of 2026-11-01 --top 20)"
SVP_LOG=info "$SVP" panel --db "$db" --as-of 2026-11-01 --top 20 >/dev/null 2>"$tmp/log"
echo "  of which: $(grep -o 'loaded in .*' "$tmp/log")"
start=$(now)
sqlite3 "$db" "SELECT COUNT(*) FROM event e JOIN person_record pr ON pr.record_id = e.record_id
               WHERE e.type = 'missing_episode' GROUP BY pr.person_id ORDER BY 1 DESC" >/dev/null
echo "peer in the same run: naive baseline in SQL (count missing episodes per person, ranked)" \
     "$(since "$start") s"

echo "-- quality on the synthetic county against its truth"
if "$SVP" help | grep -q '^  synth ' && "$SVP" help | grep -q '^  import ' &&
    "$SVP" help | grep -q '^  link '; then
    out=$tmp/county
    qdb=$tmp/quality.db
    "$SVP" synth --children "${CHILDREN:-104000}" --seed "${SEED:-1}" --out "$out" --quiet
    SVP_DB=$qdb "$SVP" db migrate >/dev/null
    SVP_DB=$qdb "$SVP" import "$out" --rejects "$tmp/rejects.csv" --quiet >/dev/null
    SVP_DB=$qdb "$SVP" link --quiet >/dev/null
    # svp's own report (what a partnership runs), then the benchmark's cross-check that maps
    # persons through truth/rows.csv
    SVP_DB=$qdb "$SVP" panel quality --truth "$out/truth/panel-truth.csv"
    python3 bench/risk_quality.py "$SVP" "$qdb" "$out"

    # A variant county: another seed, size and window, other decoy and trap rates and more
    # identity noise, so the figures are not those of one county the rules were read on.
    echo "-- quality on a variant county (seed 7, 60,000 children, 30 months, decoy rates x2+)"
    vout=$tmp/variant
    vdb=$tmp/variant.db
    "$SVP" synth --children "${VCHILDREN:-60000}" --seed 7 --months 30 --decoy-rate 0.006 \
        --care-decoy-rate 0.35 --sibling-decoy-rate 1 --school-only-rate 0.0006 \
        --move-rate 0.25 --typo-rate 0.06 --out "$vout" --quiet
    SVP_DB=$vdb "$SVP" db migrate >/dev/null
    SVP_DB=$vdb "$SVP" import "$vout" --rejects "$tmp/vrejects.csv" --quiet >/dev/null
    SVP_DB=$vdb "$SVP" link --quiet >/dev/null
    SVP_DB=$vdb "$SVP" panel quality --truth "$vout/truth/panel-truth.csv"
else
    echo "skipped: this svp has no synth, import and link commands yet"
fi
