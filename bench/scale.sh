#!/bin/sh
# Region scale (issue 22, item 7): synth, import, link, panel save, context run, clock report
# and serve for growing counties on SQLite and on a throwaway PostgreSQL server (as
# scripts/test starts), printing wall, CPU and peak memory (/usr/bin/time -v) per step, the
# growth exponent between sizes, the PostgreSQL/SQLite ratio, and whether persons, panel and
# clocks came out the same on both (bench/scale.py does the work and says more).
#   bench/scale.sh [SIZES] [BACKENDS] [STEPS]
#     SIZES     children per county, comma-separated (default 20000,104000,300000,1000000)
#     BACKENDS  sqlite,postgres (default both)
#     STEPS     import,link,panel,context,clock,serve (default all)
#   SVP_BIN=path/to/svp    the svp to measure (default: the release build's)
#   SVP_SCALE_BUDGET=SEC   no new size starts past half of it (default 1800: 30 minutes)
# Run it at nice 19 on a shared machine.
set -eu
cd "$(dirname "$0")/.."
SVP=${SVP_BIN:-$(pwd)/${BUILD:-build}/svp}
SIZES=${1:-20000,104000,300000,1000000}
BACKENDS=${2:-sqlite,postgres}
STEPS=${3:-import,link,panel,context,clock,serve}
work=$(mktemp -d /tmp/svp-bench-scale-XXXXXX)
chmod 755 "$work"
pgdir=""
cleanup() {
    [ -n "$pgdir" ] && scripts/pg-test-server stop "$pgdir" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
uri=-
case ",$BACKENDS," in
*,postgres,*)
    pgdir="$work/pg"
    uri=$(scripts/pg-test-server start "$pgdir")
    export SVP_SCALE_PG_PID="$pgdir/data/postmaster.pid"
    ;;
esac
python3 bench/scale.py "$SVP" "$work" "$uri" "$SIZES" "$BACKENDS" "$STEPS"
