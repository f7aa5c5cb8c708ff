#!/bin/sh
# Experiment (issue 22): what PostgreSQL's import of a first load would gain if the event and
# record foreign keys were not checked row by row during the COPY but once, set-based, after
# it (dropped, then re-added NOT VALID and VALIDATEd). Alternates, on one throwaway server:
#   A  `svp import DIR` into a fresh database (as shipped: every row's keys checked);
#   B  `svp db migrate`, the event/record foreign keys dropped, `svp import DIR`, then the
#      keys re-added NOT VALID and VALIDATE CONSTRAINT in one transaction (timed apart);
# and compares md5 of the imported event and record tables (ids and values; a record's
# updated_at is the time of the import and left out) between A and B.
#   sh bench/ingest-fk.sh [SVP]    CHILDREN=N (default 104000)   ROUNDS=N (default 2)
set -eu
cd "$(dirname "$0")/.."
if [ $# -eq 0 ] && [ -z "${SVP_BIN:-}" ]; then
    echo "bench/ingest-fk.sh is an experiment: sh bench/ingest-fk.sh SVP (skipped)"
    exit 0
fi
svp=$(realpath "${1:-$SVP_BIN}")
CHILDREN=${CHILDREN:-104000}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d /tmp/svp-bench-fk-XXXXXX)
chmod 755 "$work"
pgdir=""
cleanup() {
    [ -n "$pgdir" ] && scripts/pg-test-server stop "$pgdir" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$svp" synth --out "$work/county" --children "$CHILDREN" --quiet >/dev/null
pgdir="$work/pg"
uri=$(scripts/pg-test-server start "$pgdir")
now() { date +%s.%N; }
fks="SELECT conrelid::regclass, conname, pg_get_constraintdef(oid) FROM pg_constraint
     WHERE contype = 'f' AND conrelid IN ('event'::regclass, 'record'::regclass)"
md5s() {
    psql -X -At "$1" -c "SELECT md5(string_agg(e::text, ',' ORDER BY id)) FROM event e" \
        -c "SELECT md5(string_agg((to_jsonb(r) - 'updated_at')::text, ',' ORDER BY id)) FROM record r" | tr '\n' ' '
}
n=0
while [ "$n" -lt "$ROUNDS" ]; do
    n=$((n + 1))
    for which in A B; do
        db="fk_$(echo "$which" | tr AB ab)_$n"
        psql -q -X "$uri" -c "CREATE DATABASE $db" >/dev/null
        dburi=$(echo "$uri" | sed "s|/[^/]*\$|/$db|")
        extra=""
        if [ "$which" = B ]; then
            "$svp" db migrate --db "$dburi" >/dev/null
            psql -X -At -F '|' "$dburi" -c "$fks" >"$work/fks"
            sed 's/^\([^|]*\)|\([^|]*\)|.*/ALTER TABLE \1 DROP CONSTRAINT \2;/' "$work/fks" \
                | psql -q -X "$dburi" >/dev/null
        fi
        t0=$(now)
        "$svp" import "$work/county" --db "$dburi" --quiet --rejects "$work/rej.csv" >/dev/null
        t1=$(now)
        if [ "$which" = B ]; then
            { echo "BEGIN;"
              sed 's/^\([^|]*\)|\([^|]*\)|\(.*\)$/ALTER TABLE \1 ADD CONSTRAINT \2 \3 NOT VALID;/' "$work/fks"
              sed 's/^\([^|]*\)|\([^|]*\)|.*$/ALTER TABLE \1 VALIDATE CONSTRAINT \2;/' "$work/fks"
              echo "COMMIT;"; } | psql -q -X -v ON_ERROR_STOP=1 "$dburi" >/dev/null
            t2=$(now)
            extra=", re-add+validate $(echo "$t2 - $t1" | bc) s ($(wc -l <"$work/fks") keys)"
        fi
        echo "$which round $n: import $(echo "$t1 - $t0" | bc) s wall$extra, load $(cut -d' ' -f1 /proc/loadavg); md5 $(md5s "$dburi")"
    done
done
