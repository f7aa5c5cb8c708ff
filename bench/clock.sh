#!/bin/sh
# Statutory clocks: `svp clock report --rule return_interview` over N return interviews
# (72 clock hours from return to offer), against the same count written as one SQL query
# run by the sqlite3 shell: the peer both times the work and checks svp's figures.
set -eu
SVP=${BUILD:-build}/svp
N=${N:-200000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/bench.db"
$SVP db migrate --db "$db" >/dev/null
sqlite3 "$db" <<SQL
INSERT INTO record (source, agency, agency_record_id) VALUES ('rhi', 'rhi', 'C1');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
t(i, ret, off) AS (
  SELECT i, 1609459200 + (i * 397) % 94608000,
         CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 7919) % 345600 END FROM n)
INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at, detail)
SELECT 'rhi', 'rhi', 'E' || i, 1, 'return_interview', 'completed',
       strftime('%Y-%m-%dT%H:%M:%SZ', ret, 'unixepoch'),
       json_object('returned_at', strftime('%Y-%m-%dT%H:%M:%SZ', ret, 'unixepoch'),
                   'offered_at', CASE WHEN off IS NULL THEN NULL
                                 ELSE strftime('%Y-%m-%dT%H:%M:%SZ', ret + off, 'unixepoch') END)
FROM t;
SQL
# CPU seconds (user + system) used by finished children: on a shared machine wall time
# mostly measures the queue for a core.
mark() { times >"$dir/$1"; }
cpu() { awk 'NR == 2 { gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4 }' "$dir/$1"; }
mark t0
svp_out=$($SVP clock report --db "$db" --rule return_interview --as-of 2024-06-01 |
    awk '$1 == "return_interview" {print $2, $3, $4, $5}')
mark t1
peer_out=$(sqlite3 -separator ' ' "$db" "
  WITH r AS (SELECT unixepoch(json_extract(detail, '\$.returned_at')) AS ret,
                    unixepoch(json_extract(detail, '\$.offered_at')) AS off
             FROM event WHERE type = 'return_interview')
  SELECT count(*), sum(off IS NOT NULL AND off <= ret + 259200),
         sum(off IS NOT NULL AND off > ret + 259200), sum(off IS NULL) FROM r")
mark t2
echo "return interviews: $N"
echo "svp clock report:  due on_time late overdue = $svp_out"
echo "sqlite3 query:     due on_time late overdue = $peer_out"
[ "$svp_out" = "$peer_out" ] && echo "figures agree" || { echo "FIGURES DIFFER"; exit 1; }
awk -v a="$(cpu t0)" -v b="$(cpu t1)" -v c="$(cpu t2)" -v n="$N" 'BEGIN {
    s = b - a; p = c - b;
    printf "CPU time: svp %.3f s (%.0f clocks/s); sqlite3 %.3f s; svp/sqlite3 ratio %.2f\n",
           s, n / s, p, s / p }'
