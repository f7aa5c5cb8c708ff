#!/bin/sh
# Ingest benchmark: generates the whole synthetic county (104,000 children, every extract),
# imports it with `svp import DIR` on SQLite and on a throwaway PostgreSQL server, and prints
# rows per second next to the sqlite3 shell's `.import` of the same files into bare tables
# (no validation, no mapping, no indexes) and psql's \copy of them on PostgreSQL, and next
# to each database's floor (svp's stored rows copied table to table by the database itself),
# in the same run, and what the levers left would reach: each floor with secondary indexes
# built after the load, and on PostgreSQL svp's rows COPY'd into its own schema. Targets
# (issue 13): svp on SQLite at 0.7 of SQLite's floor; on PostgreSQL at 0.5 of the bare COPY.
# Times are wall clock and CPU (user+sys) of each process: on a shared machine the CPU
# ratio is the steadier figure (the server's CPU is not counted on PostgreSQL).
#   SVP_SYNTH=path/to/svp  an svp that has `synth` (default: the build's svp)
#   CHILDREN=N             a smaller county for a quick run (default 104000)
#   SVP_BIN=path/to/svp    the svp to measure (default: the build's svp)
#   EXPR_ROWS=N, EXPR_ROUNDS=N  the expression engine's measure (200000 rows, 3 rounds)
#   ONLY=expr              only the expression engine's measure
#   ONLY=sqlite            only SQLite: svp, the peer and the floors (no PostgreSQL)
#   COUNTY=DIR             an existing county (svp synth --out DIR) instead of a new one
#   SVP_BEFORE=path/to/svp with ONLY=sqlite, also an earlier svp's import in the same run
#                          (before and after against the same floor)
#   ROUNDS=N               svp's SQLite import and the floor N times in turn, the least of
#                          each kept (default 3)
set -eu
cd "$(dirname "$0")/.."
SVP=${SVP_BIN:-$(pwd)/${BUILD:-build}/svp}
SYNTH=${SVP_SYNTH:-$SVP}
CHILDREN=${CHILDREN:-104000}
work=$(mktemp -d /tmp/svp-bench-ingest-XXXXXX)
chmod 755 "$work"
pgdir=""
cleanup() {
    [ -n "$pgdir" ] && scripts/pg-test-server stop "$pgdir" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Runs a command and prints "WALL CPU" seconds (CPU = user + sys of the children).
timed() {
    python3 - "$@" <<'PY'
import os, subprocess, sys, time
t0 = time.monotonic(); r0 = os.times()
res = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
t1 = time.monotonic(); r1 = os.times()
if res.returncode != 0:
    sys.exit(f"bench: {sys.argv[1:3]} failed with {res.returncode}")
cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
print(f"{t1 - t0:.2f} {cpu:.2f}")
PY
}

# What the expression engine costs per row: an attendance file of EXPR_ROWS rows imported
# with the percentage and the persistent-absence flag as expr(...) values and, in a fresh
# database, with the same two detail keys read as plain integers instead (the same keys
# stored, so the difference is the evaluation); EXPR_ROUNDS alternations, the least CPU of
# each kind kept (on a shared machine a single pair is noise); the difference per row.
expr_cost() {
    EXPR_ROWS=${EXPR_ROWS:-200000}
    python3 - "$work/att.csv" "$EXPR_ROWS" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("UPN,Term,Possible,Missed\n")
    for i in range(int(sys.argv[2])):
        p = random.randint(100, 130)
        f.write(f"U{i:07d},2023/24 AUT,{p},{random.randint(0, 40)}\n")
PY
    for kind in plain expr; do
        {
            printf '[source]\nname = att-%s\nagency = education\nperson_id = UPN\n' "$kind"
            printf '[event]\ntype = "school_attendance"\nstarted_at = Term | term_start\n'
            printf 'detail.possible = Possible | integer\ndetail.missed = Missed | integer\n'
            if [ "$kind" = expr ]; then
                printf 'detail.pct = expr(round(100.0 * (Possible - Missed) / Possible, 1))\n'
                printf 'detail.persistent = expr((Possible - Missed) * 10 < Possible * 9)\n'
            else
                printf 'detail.pct = Possible | integer\ndetail.persistent = Missed | integer\n'
            fi
        } >"$work/att-$kind.profile"
    done
    times=""
    round=0
    while [ "$round" -lt "${EXPR_ROUNDS:-3}" ]; do
        round=$((round + 1))
        for kind in plain expr; do
            rm -f "$work/att-$kind.db" "$work/att-$kind.db-wal" "$work/att-$kind.db-shm"
            t=$(timed "$SVP" import --profile "$work/att-$kind.profile" "$work/att.csv" \
                --db "$work/att-$kind.db" --quiet --rejects "$work/att-rej.csv")
            times="$times $kind ${t#* }"
        done
    done
    echo "$EXPR_ROWS $times" | awk '{
        n = $1; p = -1; e = -1
        for (i = 2; i < NF; i += 2) {
            if ($i == "plain" && (p < 0 || $(i + 1) < p)) p = $(i + 1)
            if ($i == "expr" && (e < 0 || $(i + 1) < e)) e = $(i + 1)
        }
        printf "expression engine: %d rows, two expr() values each, least of %d rounds: %.2f s cpu without, %.2f s with: %.2f us of cpu per row (%.2f per expression)\n", n, (NF - 1) / 4, p, e, (e - p) / n * 1e6, (e - p) / n * 1e6 / 2 }'
}

# ONLY=expr: only the expression engine's cost (no county, no PostgreSQL).
if [ "${ONLY:-}" = expr ]; then
    expr_cost
    exit 0
fi

if [ -n "${COUNTY:-}" ]; then
    ln -s "$(cd "$COUNTY" && pwd)" "$work/county"
else
    "$SYNTH" synth --out "$work/county" --children "$CHILDREN" --quiet >/dev/null
fi
rows=$(awk -F, 'NR > 1 { s += $6 } END { print s }' "$work/county/manifest.csv")
echo "county: ${COUNTY:-$CHILDREN children}, $rows extract rows in $(($(wc -l <"$work/county/manifest.csv") - 1)) files"


# Peer: sqlite3's .import of every extract into a bare table of its own.
{
    echo ".mode csv"
    awk -F, 'NR > 1 { printf ".import %s/county/%s t%d\n", W, $1, NR }' W="$work" \
        "$work/county/manifest.csv"
} >"$work/peer.sql"
peer=$(timed sh -c "sqlite3 '$work/peer.db' < '$work/peer.sql'")
# Floor: the rows svp stored, copied table to table into a fresh svp database by SQLite
# itself in one transaction (no parsing, no checks, no mapping) with the import's settings.
# What SQLite alone costs to store them with the model's indexes and keys; no import of
# these rows can cost less.
{
    echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
    echo "PRAGMA cache_size = -262144; ATTACH '$work/svp.db' AS src; BEGIN;"
    for t in source_file place record record_history event event_history relationship; do
        echo "INSERT INTO $t SELECT * FROM src.$t ORDER BY id;"
    done
    echo "COMMIT;"
} >"$work/floor.sql"
# svp's import on SQLite and the floor, ROUNDS times in turn (each into a fresh database),
# the least wall and the least CPU of each kept: on a shared machine one run in three can
# take half as long again (farm-bench, 2026-12-08: the same import 6.3 s and 9.0 s of CPU),
# and a ratio of two single runs is then noise; the least of each is what the code costs.
least() { echo "$1 $2" | awk '{ printf "%.2f %.2f\n", ($1 < $3 ? $1 : $3), ($2 < $4 ? $2 : $4) }'; }
ROUNDS=${ROUNDS:-3}
before="0 0"
svp_sqlite="1e9 1e9"
floor="1e9 1e9"
[ -n "${SVP_BEFORE:-}" ] && before="1e9 1e9"
round=0
while [ "$round" -lt "$ROUNDS" ]; do
    round=$((round + 1))
    if [ -n "${SVP_BEFORE:-}" ]; then
        rm -f "$work"/before.db* "$work/rej-before.csv"
        t=$(timed "$SVP_BEFORE" import "$work/county" --db "$work/before.db" \
            --rejects "$work/rej-before.csv" --quiet)
        before=$(least "$before" "$t")
    fi
    rm -f "$work"/svp.db* "$work/rej.csv"
    t=$(timed "$SVP" import "$work/county" --db "$work/svp.db" --rejects "$work/rej.csv" --quiet)
    svp_sqlite=$(least "$svp_sqlite" "$t")
    rm -f "$work"/floor.db*
    "$SVP" db migrate --db "$work/floor.db" >/dev/null
    t=$(timed sh -c "sqlite3 '$work/floor.db' < '$work/floor.sql' >/dev/null")
    floor=$(least "$floor" "$t")
done
echo "svp's SQLite import and the floor: the least of $ROUNDS runs each, in turn"
# The same with only the unique keys that updating by the agency's own id needs: the
# secondary indexes (which the clock, context and people rooms query) dropped first.
"$SVP" db migrate --db "$work/floor-keys.db" >/dev/null
sqlite3 "$work/floor-keys.db" "$(sqlite3 "$work/floor-keys.db" \
    "SELECT group_concat('DROP INDEX ' || name, '; ') FROM sqlite_master WHERE type = 'index'
     AND sql IS NOT NULL AND tbl_name IN ('record', 'record_history', 'event', 'event_history',
     'relationship', 'place', 'source_file')")"
floor_keys=$(timed sh -c "sqlite3 '$work/floor-keys.db' < '$work/floor.sql' >/dev/null")
# The lever of building secondary indexes after a first load: the same copy into a fresh
# database without them, then each created over the loaded rows (CREATE INDEX sorts), timed
# together. If this is not cheaper than the floor, deferring indexes cannot help svp either.
"$SVP" db migrate --db "$work/floor-late.db" >/dev/null
sqlite3 "$work/floor-late.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index'
     AND sql IS NOT NULL AND tbl_name IN ('record', 'record_history', 'event', 'event_history',
     'relationship', 'place', 'source_file')" >"$work/late-idx.sql"
sqlite3 "$work/floor-late.db" "$(sqlite3 "$work/floor-late.db" \
    "SELECT group_concat('DROP INDEX ' || name, '; ') FROM sqlite_master WHERE type = 'index'
     AND sql IS NOT NULL AND tbl_name IN ('record', 'record_history', 'event', 'event_history',
     'relationship', 'place', 'source_file')")"
{ echo "PRAGMA cache_size = -262144; BEGIN;"; cat "$work/late-idx.sql"; echo "COMMIT;"; } \
    >"$work/late-idx-tx.sql"
floor_late=$(timed sh -c "sqlite3 '$work/floor-late.db' < '$work/floor.sql' >/dev/null &&
    sqlite3 '$work/floor-late.db' < '$work/late-idx-tx.sql' >/dev/null")

if [ "${ONLY:-}" = sqlite ]; then
    echo "$rows $peer $svp_sqlite $floor $floor_keys $floor_late $before" | awk '{
        rows = $1
        printf "%-36s %8s %8s %12s %12s\n", "", "wall s", "cpu s", "rows/s wall", "rows/s cpu"
        printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "sqlite3 .import (bare tables)", $2, $3, rows/$2, rows/$3
        printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor: svp rows copied by SQLite", $6, $7, rows/$6, rows/$7
        printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor, unique keys only", $8, $9, rows/$8, rows/$9
        printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor, secondary indexes built after", $10, $11, rows/$10, rows/$11
        printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "svp import, SQLite", $4, $5, rows/$4, rows/$5
        if ($12 > 0)
            printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "svp import, SQLite (SVP_BEFORE)", $12, $13, rows/$12, rows/$13
        printf "svp SQLite / floor speed: %.2f (wall), %.2f (cpu); target >= 0.70\n", $6/$4, $7/$5
        if ($12 > 0)
            printf "svp SQLite (SVP_BEFORE) / floor speed: %.2f (wall), %.2f (cpu)\n", $6/$12, $7/$13
        printf "floor with secondary indexes built after / floor speed: %.2f (wall), %.2f (cpu)\n", $6/$10, $7/$11
    }'
    exit 0
fi
pgdir="$work/pg"
pg_uri=$(scripts/pg-test-server start "$pgdir")
svp_pg=$(timed "$SVP" import "$work/county" --db "$pg_uri" --rejects "$work/rej-pg.csv" --quiet)
# Floor on PostgreSQL, as on SQLite: the rows svp stored, copied table to table by the server
# itself (INSERT ... SELECT in one transaction) into an empty svp schema of the same database,
# with the model's keys, foreign keys and indexes. No import of these rows can cost less.
psql -q -X "$pg_uri" -c "CREATE SCHEMA floor" >/dev/null
"$SVP" db migrate --db "$pg_uri?options=-csearch_path%3Dfloor" >/dev/null
{
    echo "BEGIN;"
    for t in source_file place record record_history event event_history relationship; do
        echo "INSERT INTO floor.$t SELECT * FROM public.$t ORDER BY id;"
    done
    echo "COMMIT;"
} >"$work/floor-pg.sql"
pg_floor=$(timed sh -c "psql -q -X -v ON_ERROR_STOP=1 '$pg_uri' -f '$work/floor-pg.sql' >/dev/null")
# The same rows through COPY, the server's fastest way in: svp's stored rows written out as
# COPY text (not timed), then COPY'd in one transaction into an empty svp schema with its
# keys, foreign keys and indexes ("COPY into svp's schema"), and into another whose
# secondary indexes are dropped first and built after the load in the same transaction.
# Between the bare COPY and these lies what svp's schema costs; between these and svp, what
# svp's checks, mapping and upserts cost. (printf, not echo: dash's echo reads "\c" as
# "stop here".)
mkdir -p "$work/pgrows"
chmod 777 "$work/pgrows"
for t in source_file place record record_history event event_history relationship; do
    psql -q -X -v ON_ERROR_STOP=1 "$pg_uri" \
        -c "\\copy (SELECT * FROM public.$t ORDER BY id) TO '$work/pgrows/$t.txt'"
done
for sch in copyfloor copylate; do
    psql -q -X "$pg_uri" -c "CREATE SCHEMA $sch" >/dev/null
    "$SVP" db migrate --db "$pg_uri?options=-csearch_path%3D$sch" >/dev/null
done
late_defs=$(psql -q -X -At "$pg_uri" -c "SELECT string_agg(pg_get_indexdef(i.indexrelid),
    '; ') FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON
    n.oid = c.relnamespace WHERE n.nspname = 'copylate' AND NOT i.indisunique AND NOT
    i.indisprimary AND c.relname IN ('source_file', 'place', 'record', 'record_history',
    'event', 'event_history', 'relationship')")
late_drop=$(psql -q -X -At "$pg_uri" -c "SELECT string_agg('DROP INDEX copylate.' ||
    ic.relname, '; ') FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic
    ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname =
    'copylate' AND NOT i.indisunique AND NOT i.indisprimary AND c.relname IN ('source_file',
    'place', 'record', 'record_history', 'event', 'event_history', 'relationship')")
for sch in copyfloor copylate; do
    {
        echo "BEGIN;"
        [ "$sch" = copylate ] && echo "$late_drop;"
        for t in source_file place record record_history event event_history relationship; do
            printf '%s\n' "\\copy $sch.$t FROM '$work/pgrows/$t.txt'"
        done
        [ "$sch" = copylate ] && echo "$late_defs;"
        echo "COMMIT;"
    } >"$work/$sch.sql"
done
pg_copyfloor=$(timed sh -c "psql -q -X -v ON_ERROR_STOP=1 '$pg_uri' -f '$work/copyfloor.sql' >/dev/null")
pg_copylate=$(timed sh -c "psql -q -X -v ON_ERROR_STOP=1 '$pg_uri' -f '$work/copylate.sql' >/dev/null")
for sch in copyfloor copylate; do
    same=$(psql -q -X -At "$pg_uri" -c "SELECT (SELECT count(*) FROM $sch.event) =
        (SELECT count(*) FROM public.event) AND (SELECT count(*) FROM $sch.record) =
        (SELECT count(*) FROM public.record)")
    [ "$same" = t ] || { echo "bench: the COPY into $sch did not load svp's rows" >&2; exit 1; }
done
# Peer on PostgreSQL: a bare COPY of every extract into a table of text columns of its own
# (no validation, no mapping, no indexes), through psql in one session, in a database of
# its own on the same server. COPY refuses a whole file for one ragged row or bad byte, so
# the extracts are first rewritten as clean UTF-8 CSV with every row padded or cut to the
# header's width (not timed): the same rows, synth's planted corruptions made harmless.
psql -q -X "$pg_uri" -c "CREATE DATABASE bare" >/dev/null
bare_uri=$(echo "$pg_uri" | sed 's|/[^/]*$|/bare|')
mkdir -p "$work/clean"
python3 - "$work" >"$work/copy.sql" <<'PY'
import csv, io, sys
w = sys.argv[1]
rows = list(csv.reader(open(f"{w}/county/manifest.csv", encoding="utf-8")))
for n, r in enumerate(rows[1:], 1):
    data = open(f"{w}/county/{r[0]}", "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff").replace("\x00", "")
    recs = list(csv.reader(io.StringIO(text, newline="")))
    width = len(recs[0])
    out = f"{w}/clean/t{n}.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        wr = csv.writer(fh)
        for rec in recs:
            wr.writerow((rec + [""] * width)[:width])
    cols = ", ".join(f"c{i} text" for i in range(width))
    print(f"CREATE TABLE t{n} ({cols});")
    print(f"\\copy t{n} FROM '{out}' WITH (FORMAT csv, HEADER true)")
PY
pg_copy=$(timed sh -c "psql -q -X -v ON_ERROR_STOP=1 '$bare_uri' -f '$work/copy.sql' >/dev/null")

echo "$rows $peer $svp_sqlite $svp_pg $floor $floor_keys $pg_copy $pg_floor $floor_late $pg_copyfloor $pg_copylate" | awk '{
    rows = $1
    printf "%-36s %8s %8s %12s %12s\n", "", "wall s", "cpu s", "rows/s wall", "rows/s cpu"
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "sqlite3 .import (bare tables)", $2, $3, rows/$2, rows/$3
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor: svp rows copied by SQLite", $8, $9, rows/$8, rows/$9
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor, unique keys only", $10, $11, rows/$10, rows/$11
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor, secondary indexes built after", $16, $17, rows/$16, rows/$17
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "svp import, SQLite", $4, $5, rows/$4, rows/$5
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "svp import, PostgreSQL (client cpu)", $6, $7, rows/$6, rows/$7
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "psql \\copy (bare tables, client cpu)", $12, $13, rows/$12, rows/$13
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "floor on PostgreSQL (client cpu)", $14, $15, rows/$14, rows/$15
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "COPY of svp rows into svp schema", $18, $19, rows/$18, rows/$19
    printf "%-36s %8.2f %8.2f %12.0f %12.0f\n", "same, secondary indexes built after", $20, $21, rows/$20, rows/$21
    printf "svp SQLite / sqlite3 .import speed: %.2f (wall), %.2f (cpu); no target: issue 13 sets SQLite'"'"'s against the floor (>= 0.70, below)\n", $2/$4, $3/$5
    printf "floor / sqlite3 .import speed: %.2f (wall), %.2f (cpu): the most any import of these rows into svp'"'"'s schema could reach\n", $2/$8, $3/$9
    printf "floor with unique keys only / sqlite3 .import speed: %.2f (wall), %.2f (cpu)\n", $2/$10, $3/$11
    printf "svp SQLite / floor speed: %.2f (wall), %.2f (cpu); target >= 0.70\n", $8/$4, $9/$5
    printf "svp PostgreSQL / bare COPY speed: %.2f (wall); target >= 0.50\n", $12/$6
    printf "floor on PostgreSQL / bare COPY speed: %.2f (wall): the most any import of these rows into svp'"'"'s schema could reach\n", $12/$14
    printf "svp PostgreSQL / floor on PostgreSQL speed: %.2f (wall)\n", $14/$6
    printf "floor with secondary indexes built after / floor speed: %.2f (wall), %.2f (cpu): above 1 only if deferring indexes pays on SQLite\n", $8/$16, $9/$17
    printf "COPY into svp schema / bare COPY speed: %.2f (wall): the most a COPY-based import into svp'"'"'s schema could reach\n", $12/$18
    printf "COPY into svp schema, indexes built after / bare COPY speed: %.2f (wall)\n", $12/$20
    printf "svp PostgreSQL / COPY into svp schema speed: %.2f (wall)\n", $18/$6
}'

expr_cost
# Lines of a rejects file: rows refused whole, and values dropped from rows kept.
rejects() { if [ -f "$1" ]; then grep -vc 'row kept without' "$1" | awk '{ print $1 - 1 }'; else echo 0; fi; }
dropped() { if [ -f "$1" ]; then grep -c 'row kept without' "$1" || true; else echo 0; fi; }
echo "synth's planted corruptions: $(rejects "$work/rej.csv") rows rejected and" \
    "$(dropped "$work/rej.csv") values dropped on SQLite, $(rejects "$work/rej-pg.csv") and" \
    "$(dropped "$work/rej-pg.csv") on PostgreSQL"
