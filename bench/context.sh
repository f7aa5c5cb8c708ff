#!/bin/sh
# Contexts benchmark (issues 7 and 15): on a county with planted hotspots, groups, adults,
# county-lines routes and traps, how well `svp context` finds them and how fast, against
# networkx in the same run. First the synthetic county (`svp synth`, or COUNTY=DIR written by
# it) through `svp import`; then a county svp did not write (bench/context_county.py: its own
# model, written straight into the database, the same truth layout), so that a rule that
# holds only on synth's generator shows.
set -eu
cd "$(dirname "$0")/.."
SVP=${BUILD:-build}/svp
work=$(mktemp -d /tmp/svp-bench-context-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
DB="$work/county.db"
$SVP db migrate --db "$DB" >/dev/null
if [ -z "${COUNTY:-}" ]; then
    COUNTY="$work/county"
    $SVP synth --seed 1 --out "$COUNTY" >/dev/null
fi
echo "== the synthetic county in $COUNTY (svp import)"
$SVP import "$COUNTY" --db "$DB" --rejects "$work/rejects.csv" --quiet >/dev/null ||
    echo "import: a file was refused (see svp import's output)"
$SVP link --db "$DB" >/dev/null || true
$SVP context postcodes import "$COUNTY/postcodes.csv" --db "$DB"
python3 bench/context_eval.py "$SVP" "$DB" "$COUNTY"
echo "-- the last twelve months only"
SINCE=$(date -u -d "$(sqlite3 "$DB" "SELECT max(substr(started_at, 1, 10)) FROM event") - 365 days" +%Y-%m-%d 2>/dev/null || echo "")
if [ -n "$SINCE" ]; then
    SINCE=$SINCE python3 bench/context_eval.py "$SVP" "$DB" "$COUNTY"
fi

echo
echo "== a county svp did not write (bench/context_county.py, seed 7)"
IND="$work/independent"
mkdir -p "$IND"
$SVP db migrate --db "$IND/county.db" >/dev/null
python3 bench/context_county.py "$IND/county.db" "$IND"
$SVP context postcodes import "$IND/postcodes.csv" --areas "$IND/areas.csv" --db "$IND/county.db"
python3 bench/context_eval.py "$SVP" "$IND/county.db" "$IND"
