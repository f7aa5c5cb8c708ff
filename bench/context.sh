#!/bin/sh
# Contexts benchmark (issue 7): on a county with planted hotspots, groups, adults and
# county-lines routes, how well `svp context` finds them and how fast, against networkx in
# the same run. Uses the synthetic county (`svp synth`, or COUNTY=DIR written by it) through
# `svp import`; until svp synth is built in, a planted county written by
# bench/context_county.py (the same truth layout as synth's).
set -eu
cd "$(dirname "$0")/.."
SVP=${BUILD:-build}/svp
work=$(mktemp -d /tmp/svp-bench-context-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
DB="$work/county.db"
$SVP db migrate --db "$DB" >/dev/null
if [ -n "${COUNTY:-}" ] || $SVP synth --help >/dev/null 2>&1; then
    if [ -z "${COUNTY:-}" ]; then
        COUNTY="$work/county"
        $SVP synth --seed 1 --out "$COUNTY" >/dev/null
    fi
    echo "county: the synthetic county in $COUNTY (svp import)"
    $SVP import "$COUNTY" --db "$DB" --rejects "$work/rejects.csv" --quiet >/dev/null ||
        echo "import: a file was refused (see svp import's output)"
    if $SVP link --help >/dev/null 2>&1; then $SVP link --db "$DB" >/dev/null || true; fi
    $SVP context postcodes import "$COUNTY/postcodes.csv" --db "$DB"
else
    echo "county: bench/context_county.py (svp synth is not built in yet; COUNTY=DIR uses a"
    echo "synthetic county written by it elsewhere)"
    COUNTY="$work/county"
    python3 bench/context_county.py "$DB" "$COUNTY"
    $SVP context postcodes import "$COUNTY/postcodes.csv" --areas "$COUNTY/areas.csv" \
        --db "$DB"
fi
python3 bench/context_eval.py "$SVP" "$DB" "$COUNTY"
echo "-- the last twelve months only"
SINCE=$(date -u -d "$(sqlite3 "$DB" "SELECT max(substr(started_at, 1, 10)) FROM event") - 365 days" +%Y-%m-%d 2>/dev/null || echo "")
if [ -n "$SINCE" ]; then
    SINCE=$SINCE python3 bench/context_eval.py "$SVP" "$DB" "$COUNTY"
fi
