#!/bin/sh
# Web server benchmark: wrk against the person endpoint (authorisation check, chronology
# read and one audit-chain append per request) on loopback, signed in, 64 connections for
# 10 seconds; the peer in the same run is GET /api/v1/session (session check only), so the
# ratio shows what need-to-know and the audit trail cost. Target: >= 5,000 requests/s and
# p99 < 50 ms, zero errors.
set -eu
cd "$(dirname "$0")/.."
SVP=$(pwd)/${BUILD:-build}/svp
DUR=${DUR:-10s}
command -v wrk >/dev/null || { echo "bench/http: wrk is missing (scripts/bootstrap test)"; exit 1; }
dir=$(mktemp -d /tmp/svp-bench-http-XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
export SVP_DB="$dir/bench.db"
$SVP db migrate >/dev/null
# 2,000 persons across three agencies, 20 events each.
python3 - "$SVP_DB" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
agencies = ["police", "csc", "health"]
con.execute("INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
            "('bench', 'police', 'bench.csv', 'x', '2026-01-01T00:00:00Z')")
for p in range(1, 2001):
    con.execute("INSERT INTO person (created_at) VALUES ('2026-01-01')")
    for k, a in enumerate(agencies):
        rid = con.execute("INSERT INTO record (source, agency, agency_record_id, given_name, "
                          "family_name, dob, norm_given, norm_family, file_id, line) VALUES "
                          "(?, ?, ?, 'Given', ?, '2010-01-01', 'given', ?, 1, ?)",
                          (a + "-src", a, f"{a}{p}", f"Family{p}", f"family{p}", p)).lastrowid
        con.execute("INSERT INTO person_record (record_id, person_id) VALUES (?, ?)", (rid, p))
        for e in range(7 if k else 6):
            con.execute("INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                        "started_at, file_id, line) VALUES (?, ?, ?, ?, 'missing_episode', "
                        "?, 1, ?)", (a + "-src", a, f"{a}{p}-{e}", rid,
                                     f"2025-{1 + e:02d}-01", e))
con.commit()
PY
echo 'benchmark password' | $SVP user add bench --role panel --agency partnership --password-stdin >/dev/null
$SVP serve --listen 127.0.0.1:0 --port-file "$dir/port" --web /nonexistent --threads 4 \
    --login-rate 100 >/dev/null 2>&1 &
server=$!
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$dir/port")
cookie=$(python3 - "$port" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
c.request("POST", "/api/v1/session", json.dumps({"username": "bench", "password": "benchmark password"}),
          {"Content-Type": "application/json"})
r = c.getresponse()
r.read()
print(r.getheader("Set-Cookie").split(";")[0])
PY
)

run() { # name path
    out=$(wrk -t2 -c64 -d"$DUR" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$2")
    rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    sockerr=$(echo "$out" | awk '/Socket errors/ {s = $4 + $6 + $8 + $10; print s}')
    printf '%-34s %10s req/s   p50 %-9s p99 %-9s errors %s\n' "$1" "$rps" "$p50" "$p99" \
        "$(( ${non2xx:-0} + ${sockerr:-0} ))"
    eval "rps_$3=$rps"
}
echo "wrk, 64 connections, 2 threads, $DUR each, loopback, signed in as a panel member:"
run "GET /api/v1/persons/{id}" "/api/v1/persons/1234" person
run "GET /api/v1/session (peer)" "/api/v1/session" peer
awk -v a="$rps_person" -v b="$rps_peer" 'BEGIN {
    printf "person page / session check: %.2f of the peer throughput\n", a / b
    printf "target: >= 5000 req/s on the person page: %s\n", (a >= 5000 ? "met" : "NOT met") }'
echo "audit entries written: $(sqlite3 "$SVP_DB" 'SELECT count(*) FROM audit_log')"
$SVP audit verify
