#!/bin/sh
# Domestic abuse triage: `svp da call` (the daily list, target <= 0.2 s) and `svp da
# figures` for a year (target <= 1 s) on a county calibrated to the 2016-17 annual report
# (svp synth --start 2015-04-01 --months 24: about 3,300 incidents a year), each run RUNS
# times, mean CPU (user + sys) and wall seconds. The peer is the sqlite3 shell reading the
# same rows svp's call reads from the store (every DA incident's events, details, records);
# sqlite3 also checks svp's counts: the call's cases against the incidents in its window,
# the figures' incidents against the year's.
# COUNTY=DIR reuses a county; FULL=1 imports every file of it, not only the DA ones.
set -eu
BUILD=${BUILD:-build}
SVP=$(cd "$(dirname "$BUILD/svp")" && pwd)/svp
RUNS=${RUNS:-7}
CHILDREN=${CHILDREN:-104000}
dir=$(mktemp -d /tmp/svp-bench-da-XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
county=${COUNTY:-$dir/county}
if [ ! -f "$county/manifest.csv" ]; then
    "$SVP" synth --out "$county" --children "$CHILDREN" --seed 1 --start 2015-04-01 \
        --months 24 --quiet
fi
export SVP_DB="$dir/da.db"
"$SVP" db migrate >/dev/null
if [ "${FULL:-0}" = 1 ]; then
    "$SVP" import "$county" --quiet >/dev/null
else
    for f in police-nominals:police_nominals police-domestic-abuse:police_domestic_abuse \
             marac-cases:marac_cases; do
        "$SVP" import --quiet --profile "${f%%:*}" "$county/${f#*:}.csv" >/dev/null
    done
fi
incidents=$(sqlite3 "$SVP_DB" "SELECT count(*) FROM event WHERE type = 'da_incident' AND
    agency_event_id NOT LIKE '%/suspect' AND agency_event_id NOT LIKE '%/present/%'")

# Mean CPU (user + sys of the finished runs, as the shell's `times` counts them) and wall
# seconds of RUNS runs of a command (the last run's output in $dir/out).
cpu() { awk 'NR == 2 { gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4 }' "$1"; }
measure() {
    times >"$dir/t0"
    w0=$(date +%s.%N)
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        "$@" >"$dir/out"
        i=$((i + 1))
    done
    w1=$(date +%s.%N)
    times >"$dir/t1"
    awk -v a="$(cpu "$dir/t0")" -v b="$(cpu "$dir/t1")" -v x="$w0" -v y="$w1" -v n="$RUNS" \
        'BEGIN { printf "%.4f %.4f\n", (b - a) / n, (y - x) / n }'
}

# The call on Monday 6 June 2016 covers Friday 09:30 to Monday 09:30.
call=$(measure "$SVP" da call --date 2016-06-06)
cases=$(awk '/cases:/ { print $1; exit }' "$dir/out")
figures=$(measure "$SVP" da figures --from 2016-04-01 --to 2017-03-31)
year=$(awk '/^domestic abuse incidents/ { print $4 }' "$dir/out")
# The peer reads what svp's call reads from the store: every DA incident's event with its
# detail and its person's record and link (svp then groups, scores and describes them).
peer=$(measure sqlite3 "$SVP_DB" "SELECT e.agency_event_id, e.source, e.started_at,
    e.detail, e.subtype, e.record_id, COALESCE(pr.person_id, -e.record_id), r.sex,
    r.ethnicity, r.agency_record_id, r.detail FROM event e JOIN record r ON r.id = e.record_id
    LEFT JOIN person_record pr ON pr.record_id = e.record_id WHERE e.type = 'da_incident'")
peer_rows=$(wc -l <"$dir/out")
peer_cases=$(sqlite3 "$SVP_DB" "SELECT count(*) FROM event WHERE type = 'da_incident' AND
    agency_event_id NOT LIKE '%/suspect' AND agency_event_id NOT LIKE '%/present/%' AND
    started_at >= '2016-06-03T09:30:00Z' AND started_at < '2016-06-06T09:30:00Z'")
peer_year=$(sqlite3 "$SVP_DB" "SELECT count(*) FROM event WHERE type = 'da_incident' AND
    agency_event_id NOT LIKE '%/suspect' AND agency_event_id NOT LIKE '%/present/%' AND
    substr(started_at, 1, 10) BETWEEN '2016-04-01' AND '2017-03-31'")

echo "county: $incidents incidents in 24 months; $year in 2016-17 (sqlite3: $peer_year)"
echo "call on 2016-06-06: $cases cases (sqlite3: $peer_cases incidents in its window)"
[ "$cases" = "$peer_cases" ] && [ "$year" = "$peer_year" ] && echo "counts agree" ||
    { echo "COUNTS DIFFER"; exit 1; }
set -- $call $figures $peer
awk -v c="$1" -v cw="$2" -v f="$3" -v fw="$4" -v p="$5" -v pw="$6" -v n="$RUNS" \
    -v rows="$peer_rows" 'BEGIN {
    printf "mean of %d runs, seconds          CPU    wall\n", n
    printf "svp da call                       %6.3f %7.3f  (target 0.2)\n", c, cw
    printf "svp da figures (a year)           %6.3f %7.3f  (target 1)\n", f, fw
    printf "sqlite3 reading the %5d events   %6.3f %7.3f\n", rows, p, pw
    printf "ratios (CPU): call / sqlite3 %.2f; figures / call %.2f\n",
           (p > 0 ? c / p : 0), (c > 0 ? f / c : 0) }'
