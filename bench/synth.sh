#!/bin/sh
# svp synth: rows per second and peak memory for the profile county (104,000 children) and a
# 1,000,000-child county. The peer is the same generator at the other size: bounded
# (streaming) memory shows as a peak that barely grows with the county.
set -eu
BUILD=${BUILD:-build}
SVP=$BUILD/svp
out=$(mktemp -d /tmp/svp-bench-synth-XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
run() {
    n=$1
    /usr/bin/time -f '%e %M' -o "$out/time" "$SVP" synth --children "$n" --seed 1 \
        --out "$out/c$n" --quiet
    read -r secs kib <"$out/time"
    rows=$(awk -F, 'NR > 1 { s += $6 } END { print s }' "$out/c$n/manifest.csv")
    rate=$(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
    echo "synth $n children: $rows rows in ${secs}s = $rate rows/s, peak memory $((kib / 1024)) MiB"
    eval "secs_$n=$secs; kib_$n=$kib"
    rm -rf "$out/c$n"
}
run 104000
run 1000000
awk -v a="$secs_104000" -v b="$secs_1000000" -v ma="$kib_104000" -v mb="$kib_1000000" 'BEGIN {
    printf "ratio 1,000,000 / 104,000: time %.1fx (children 9.6x), peak memory %.2fx\n",
        (a > 0 ? b / a : 0), (ma > 0 ? mb / ma : 0) }'
