#!/bin/sh
# Two svp builds' imports of one synthetic county into fresh PostgreSQL databases on one
# throwaway server, alternating (A, B, A, B ...) so that both see the same load: wall seconds
# of each `svp import DIR`. For a change to the import's PostgreSQL path, where the server's
# work dominates and a shared machine's load moves from minute to minute.
#   sh bench/ingest-ab.sh SVP_A SVP_B
#   CHILDREN=N   county size (default 20000)    ROUNDS=N   pairs (default 2)
#   SVP_SYNTH=path/to/svp   the svp whose `synth` makes the county (default SVP_A: an older
#                           build may lack the profile of a newer build's extract)
set -eu
cd "$(dirname "$0")/.."
# `make bench` runs every script here without arguments: nothing to compare then.
if [ $# -eq 0 ]; then
    echo "bench/ingest-ab.sh compares two builds: sh bench/ingest-ab.sh SVP_A SVP_B (skipped)"
    exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 SVP_A SVP_B" >&2; exit 2; }
a=$(realpath "$1")
b=$(realpath "$2")
CHILDREN=${CHILDREN:-20000}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d /tmp/svp-bench-ab-XXXXXX)
chmod 755 "$work"
pgdir=""
cleanup() {
    [ -n "$pgdir" ] && scripts/pg-test-server stop "$pgdir" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
"${SVP_SYNTH:-$a}" synth --out "$work/county" --children "$CHILDREN" --quiet >/dev/null
pgdir="$work/pg"
uri=$(scripts/pg-test-server start "$pgdir")
n=0
while [ "$n" -lt "$ROUNDS" ]; do
    n=$((n + 1))
    for which in A B; do
        if [ "$which" = A ]; then svp=$a; else svp=$b; fi
        db="ab_$(echo "$which" | tr AB ab)_$n"
        psql -q -X "$uri" -c "CREATE DATABASE $db" >/dev/null
        dburi=$(echo "$uri" | sed "s|/[^/]*\$|/$db|")
        t0=$(date +%s.%N)
        "$svp" import "$work/county" --db "$dburi" --quiet --rejects "$work/rej.csv" >/dev/null
        t1=$(date +%s.%N)
        echo "$which round $n: $(echo "$t1 - $t0" | bc) s wall, load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
