#!/bin/sh
# Link room benchmarks: quality (precision, recall, F1 of pairs) on the public linkage
# benchmarks driven through svp import + svp link + svp persons export with a profile per
# layout; the same through the in-memory bench loader (no import checks); comparator
# throughput against python3-jellyfish on the same pairs in the same run; and the speed of
# deduplicating 1,000,000 generated person records. Every quality line is followed by the
# blocking's recall: the share of true pairs no rule put in one block (target <= 0.5%).
# Truth is read only by the scorer.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SVP=$PWD/$BUILD/svp
LB=$PWD/$BUILD/bench/link-bench
D=${LINKAGE_DATA:-$PWD/../../shared/data/linkage}
[ -d "$D" ] || D=/work/shared/data/linkage
NAMES=$(dirname "$D")/names
N=${LINK_BENCH_RECORDS:-1000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo "-- quality through svp import, svp link, svp persons export (default settings)"
sed 's/^name = febrl$/name = febrl-a/' bench/profiles/febrl.profile >"$T/febrl-a.profile"
sed 's/^name = febrl$/name = febrl-b/' bench/profiles/febrl.profile >"$T/febrl-b.profile"
# svp import refuses a file whose last line has no line end (it may have been cut short);
# FEBRL 4a is whole but ends without one, so the import reads a copy with it added.
whole() { # FILE -> prints the path of a copy that ends with a line end
    out="$T/whole-$(basename "$1")"
    cp "$1" "$out"
    [ -z "$(tail -c1 "$out")" ] || echo >>"$out"
    echo "$out"
}
run_case() { # LABEL LINKFLAGS LAYOUT PROFILE1 FILE1 [PROFILE2 FILE2]
    label=$1 flags=$2 layout=$3
    db="$T/$(echo "$label" | tr -c 'a-z0-9\n' _).db"
    f1=$(whole "$5")
    (cd "$T" && "$SVP" import --quiet --db "$db" --profile "$4" "$f1" >/dev/null || true)
    truths=$f1
    if [ $# -ge 7 ]; then
        f2=$(whole "$7")
        (cd "$T" && "$SVP" import --quiet --db "$db" --profile "$6" "$f2" >/dev/null || true)
        truths="$f1 $f2"
    fi
    start=$(date +%s.%N)
    "$SVP" link --quiet --db "$db" $flags >/dev/null
    end=$(date +%s.%N)
    "$SVP" persons export --db "$db" >"$T/export.csv"
    # shellcheck disable=SC2086
    python3 bench/link_score.py "$label" "$T/export.csv" "$layout" $truths
    printf '  (svp link took %.2f s)\n' "$(echo "$end - $start" | bc)"
}
run_case "link FEBRL 4a with 4b" --link-only febrl "$T/febrl-a.profile" "$D/febrl_dataset4a.csv" \
    "$T/febrl-b.profile" "$D/febrl_dataset4b.csv"
run_case "dedupe FEBRL 3" "" febrl "$PWD/bench/profiles/febrl.profile" "$D/febrl_dataset3.csv"
run_case "dedupe FEBRL 3 (no household guard)" --no-household-guard febrl "$PWD/bench/profiles/febrl.profile" \
    "$D/febrl_dataset3.csv"
run_case "link FEBRL 4a with 4b (no household guard)" "--link-only --no-household-guard" febrl \
    "$T/febrl-a.profile" "$D/febrl_dataset4a.csv" "$T/febrl-b.profile" "$D/febrl_dataset4b.csv"
run_case "dedupe fake_1000" "" fake "$PWD/bench/profiles/fake-1000.profile" "$D/fake_1000.csv"

echo "-- quality through the in-memory loader (every row; an impossible date counts as missing; soc_sec_id as the shared identifier)"
"$LB" quality febrl "$D/febrl_dataset4a.csv" "$D/febrl_dataset4b.csv"
"$LB" --no-household-guard quality febrl "$D/febrl_dataset4a.csv" "$D/febrl_dataset4b.csv" | sed 's/^link febrl_dataset4a.csv     /link FEBRL 4 no household guard/'
"$LB" quality febrl "$D/febrl_dataset3.csv"
"$LB" --no-household-guard quality febrl "$D/febrl_dataset3.csv" | sed 's/^dedupe febrl_dataset3.csv   /dedupe FEBRL 3 no household guard/'
"$LB" quality fake "$D/fake_1000.csv"
"$LB" quality febrl "$D/febrl_dataset1.csv"
"$LB" quality febrl "$D/febrl_dataset2.csv"
echo "-- the same without the shared identifier (soc_sec_id left out: names, date of birth and address only)"
LINK_BENCH_NO_ID=1 "$LB" quality febrl "$D/febrl_dataset4a.csv" "$D/febrl_dataset4b.csv" | sed 's/^link febrl_dataset4a.csv     /link FEBRL 4 no identifier    /'
LINK_BENCH_NO_ID=1 "$LB" quality febrl "$D/febrl_dataset3.csv" | sed 's/^dedupe febrl_dataset3.csv   /dedupe FEBRL 3 no identifier /'

echo "-- historical-style set (bench/link_historic.py: given-name variants svp's lists do not know, titles, initials, missing and pre-1900 dates, day and month swapped; no identifier)"
python3 bench/link_historic.py "$T/hist.csv" --names "$NAMES" --svp-data "$PWD/data"
"$LB" quality hist "$T/hist.csv"

echo "-- synthetic county (svp synth, svp import, svp link, svp persons export; truth read by the scorer)"
CHILDREN=${LINK_BENCH_CHILDREN:-20000}
"$SVP" synth --out "$T/county" --children "$CHILDREN" --quiet
"$SVP" import --quiet --db "$T/county.db" "$T/county" >/dev/null
start=$(date +%s.%N)
"$SVP" link --quiet --db "$T/county.db" | grep -E 'candidate|persons|blocking rule'
end=$(date +%s.%N)
printf '  (svp link on %s children took %.2f s)\n' "$CHILDREN" "$(echo "$end - $start" | bc)"
"$SVP" persons export --db "$T/county.db" >"$T/county.csv"
python3 bench/link_county.py "$T/county" profiles "$T/county.csv"

echo "-- comparator throughput, same 200,000 name pairs (one core)"
/usr/bin/python3 bench/link_jellyfish.py "$T/pairs.tsv" "$NAMES/given-names.csv"
"$LB" comparators "$T/pairs.tsv" >"$T/svp.txt"
/usr/bin/python3 bench/link_jellyfish.py --time "$T/pairs.tsv" >"$T/jf.txt"
cat "$T/svp.txt" "$T/jf.txt"
svp_jw=$(awk '/svp jaro_winkler/ {print $3}' "$T/svp.txt")
jf_jw=$(awk '/jellyfish jaro_winkler/ {print $3}' "$T/jf.txt")
svp_dl=$(awk '/svp damerau_levenshtein/ {print $5}' "$T/svp.txt")
svp_osa=$(awk '/svp osa_distance/ {print $6}' "$T/svp.txt")
jf_dl=$(awk '/jellyfish damerau_levenshtein/ {print $3}' "$T/jf.txt")
echo "ratio jaro_winkler svp/jellyfish: $(echo "scale=1; $svp_jw / $jf_jw" | bc)"
echo "ratio damerau_levenshtein svp/jellyfish: $(echo "scale=1; $svp_dl / $jf_dl" | bc)"
echo "ratio osa (bit-parallel) svp/jellyfish damerau_levenshtein: $(echo "scale=1; $svp_osa / $jf_dl" | bc)"

echo "-- speed: dedupe $N generated person records (machine load: $(cut -d' ' -f1 /proc/loadavg))"
"$LB" speed "$N" "$NAMES"
