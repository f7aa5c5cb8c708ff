#!/bin/sh
# Contexts benchmark (issue 7): on a county with planted hotspots, groups, adults and
# county-lines routes, how well `svp context` finds them and how fast, against networkx in
# the same run. Uses `svp synth` and `svp import` when they are built in; until then a
# planted county written by bench/context_county.py (same truth layout as synth's).
set -eu
cd "$(dirname "$0")/.."
SVP=${BUILD:-build}/svp
work=$(mktemp -d /tmp/svp-bench-context-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
DB="$work/county.db"
$SVP db migrate --db "$DB" >/dev/null
if $SVP synth --help >/dev/null 2>&1 && $SVP import --help >/dev/null 2>&1; then
    echo "county: svp synth (seed 1)"
    $SVP synth --seed 1 --out "$work/county" >/dev/null
    $SVP import "$work/county" --db "$DB" >/dev/null
    if $SVP link --help >/dev/null 2>&1; then $SVP link run --db "$DB" >/dev/null || true; fi
    $SVP context postcodes import "$work/county/postcodes.csv" --areas "$work/county/areas.csv" \
        --db "$DB" >/dev/null
else
    echo "county: bench/context_county.py (svp synth and svp import are not built in yet)"
    python3 bench/context_county.py "$DB" "$work/county"
    $SVP context postcodes import "$work/county/postcodes.csv" --areas "$work/county/areas.csv" \
        --db "$DB"
fi
python3 bench/context_eval.py "$SVP" "$DB" "$work/county"
echo "-- the last twelve months only"
SINCE=$(date -u -d "$(sqlite3 "$DB" "SELECT max(substr(started_at, 1, 10)) FROM event") - 365 days" +%Y-%m-%d 2>/dev/null || echo "")
if [ -n "$SINCE" ]; then
    SINCE=$SINCE python3 bench/context_eval.py "$SVP" "$DB" "$work/county" | sed -n '1,/^hotspots found/p'
fi
