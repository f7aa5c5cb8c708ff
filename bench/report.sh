#!/bin/sh
# The core dataset: `svp report dataset` for a financial year over a synthetic county of N
# children (default 104000, the profile county), against its peer, the independent
# computation of the same figures from the extract CSVs in Python (tests/report_check.py),
# which also checks that every numerator and denominator agrees.
set -eu
SVP=$(realpath "${BUILD:-build}/svp")
N=${N:-104000}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
$SVP synth --out "$dir/county" --children "$N" --quiet
$SVP import --db "$dir/c.db" "$dir/county" --quiet >/dev/null 2>&1
mark() { times >"$dir/$1"; }
cpu() { awk 'NR == 2 { gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4 }' "$dir/$1"; }
w0=$(date +%s.%N)
mark t0
$SVP report dataset --db "$dir/c.db" --period 2022-23 --population "$N" --format json --quiet \
    >"$dir/svp.json"
mark t1
w1=$(date +%s.%N)
/usr/bin/python3 - "$dir" "$root/tests" <<'PY'
import json, sys, datetime as dt
sys.path.insert(0, sys.argv[2])
import report_check as rc
want = rc.figures(sys.argv[1] + "/county", dt.date(2022, 4, 1), dt.date(2023, 3, 31))
got = json.load(open(sys.argv[1] + "/svp.json"))
bad = [f["id"] for f in got["figures"] if f["id"] in want and (
    f["numerator"] != want[f["id"]][0] or
    (f["unit"] == "percent" and f["denominator"] != want[f["id"]][1]))]
print("figures agreeing with the independent computation: %d of %d%s" % (
    len(want) - len(bad), len(want), (": differ " + " ".join(bad)) if bad else ""))
PY
mark t2
w2=$(date +%s.%N)
a=$(awk -v a="$(cpu t0)" -v b="$(cpu t1)" 'BEGIN { print b - a }')
b=$(awk -v a="$(cpu t1)" -v b="$(cpu t2)" 'BEGIN { print b - a }')
echo "report dataset, one financial year, $N children:"
awk -v a="$a" -v b="$b" -v w0="$w0" -v w1="$w1" -v w2="$w2" 'BEGIN {
    printf "  svp report dataset   %.2f s cpu, %.2f s wall\n", a, w1 - w0
    printf "  python over CSVs     %.2f s cpu, %.2f s wall\n", b, w2 - w1
    if (a > 0) printf "  ratio python/svp (cpu) %.1f\n", b / a }'
