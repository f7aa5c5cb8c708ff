#!/bin/sh
# The household (Think Family) view against the synthetic county's truth (issue 23):
# svp synth, import and link a county, list every child's household with
# `svp household --all`, and score it against DIR/truth/households.csv beside a naive peer
# (same family name and postcode on any record) in the same run (bench/household_eval.py).
# usage: bench/household.sh [CHILDREN]   (default 104000)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SVP=$(pwd)/$BUILD/svp
n=${1:-104000}
tmp=$(mktemp -d /tmp/svp-bench-household-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export SVP_DB="$tmp/county.db"
"$SVP" synth --children "$n" --seed 1 --out "$tmp/county" >/dev/null
"$SVP" db migrate >/dev/null
"$SVP" import "$tmp/county" --quiet --rejects "$tmp/rejects.csv" >/dev/null
"$SVP" link >/dev/null
"$SVP" persons export >"$tmp/export.csv"
echo "-- svp household --all on $n children"
/usr/bin/time -f "household --all: %e s wall, %U s user, %M KB peak" \
    "$SVP" household --all --as-of latest --out "$tmp/households.csv"
python3 bench/household_eval.py "$tmp/county" profiles "$tmp/export.csv" "$tmp/households.csv" \
    "$SVP_DB"
