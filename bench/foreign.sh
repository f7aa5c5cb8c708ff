#!/bin/sh
# The spine on a county svp did not write, in layouts svp does not ship
# (bench/foreign_county.py: its own people, errors and decoys, with truth): each extract
# imported through its profile (bench/profiles/foreign/, drafted by `svp profile draft` and
# finished by hand), `svp link`, `svp persons export`, scored by bench/foreign_score.py:
# rows accepted per file, precision, recall and F1 of pairs, twins merged, children split.
# HOUSEHOLDS (3000) and SEED (14) pick the county.
set -eu
cd "$(dirname "$0")/.."
SVP=$PWD/${BUILD:-build}/svp
T=$(mktemp -d /tmp/svp-bench-foreign-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
python3 bench/foreign_county.py "$T/county" --households "${HOUSEHOLDS:-3000}" --seed "${SEED:-14}"
for f in police-missing.csv csc-cases.csv school-census.tsv ed-attendances.csv mash-contacts.csv; do
    "$SVP" import --db "$T/svp.db" --as-of 2024-08-01 --rejects "$T/rejects-$f.csv" \
        --profile "bench/profiles/foreign/${f%.*}.profile" "$T/county/$f" | sed 's/^/import /'
done
"$SVP" link --quiet --db "$T/svp.db" | grep -E 'candidate|persons:'
"$SVP" persons export --db "$T/svp.db" >"$T/export.csv"
python3 bench/foreign_score.py "$T/county" "$T/export.csv"
