#!/bin/sh
# Same rows: imports one synthetic county with two svp binaries into two fresh SQLite
# databases and compares an md5 over each table the import writes (records less updated_at,
# their history less changed_at, events, event history less changed_at, relationships,
# places, and each file's import counts: read, accepted, rejected, new, updated, unchanged,
# dropped) and the rejects files. Prints one line per table and exits 1 if any differs.
# For a change that must not change what is stored (a faster path, a split file).
#   sh bench/ingest-same.sh OLD_SVP NEW_SVP
#   CHILDREN=N  the county's size (default 20000)
#   COUNTY=DIR  an existing county (svp synth --out DIR) instead of a new one
set -eu
[ $# -eq 2 ] || { echo "usage: $0 OLD_SVP NEW_SVP" >&2; exit 2; }
old=$1
new=$2
work=$(mktemp -d /tmp/svp-ingest-same-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
county=${COUNTY:-}
if [ -z "$county" ]; then
    county="$work/county"
    "$new" synth --out "$county" --children "${CHILDREN:-20000}" --quiet >/dev/null
fi
for v in old new; do
    eval bin=\$$v
    "$bin" import "$county" --db "$work/$v.db" --rejects "$work/$v-rej.csv" --quiet >/dev/null
done
status=0
while IFS='|' read -r name sql; do
    a=$(sqlite3 "$work/old.db" "$sql" | md5sum | cut -c1-32)
    b=$(sqlite3 "$work/new.db" "$sql" | md5sum | cut -c1-32)
    n=$(sqlite3 "$work/new.db" "$sql" | wc -l)
    if [ "$a" = "$b" ]; then
        echo "same      $name: $n rows, md5 $a"
    else
        echo "DIFFERENT $name: md5 $a (old) $b (new)"
        status=1
    fi
done <<'EOF'
record|SELECT id, source, agency, agency_record_id, given_name, middle_names, family_name, dob, sex, ethnicity, postcode, address, area, role, norm_given, norm_family, file_id, line, content_hash, detail, shared_id FROM record ORDER BY id
record_history|SELECT id, record_id, file_id, line, previous FROM record_history ORDER BY id
event|SELECT * FROM event ORDER BY id
event_history|SELECT id, event_id, file_id, line, previous FROM event_history ORDER BY id
relationship|SELECT * FROM relationship ORDER BY id
place|SELECT * FROM place ORDER BY id
source_file|SELECT id, source, agency, path, sha256, rows_read, rows_accepted, rows_rejected, rows_new, rows_updated, rows_unchanged, values_dropped, encoding FROM source_file ORDER BY id
EOF
a=$(sed 's|^[^,]*/||' "$work/old-rej.csv" 2>/dev/null | md5sum | cut -c1-32)
b=$(sed 's|^[^,]*/||' "$work/new-rej.csv" 2>/dev/null | md5sum | cut -c1-32)
if [ "$a" = "$b" ]; then echo "same      rejects file"; else echo "DIFFERENT rejects file"; status=1; fi
exit $status
