#!/bin/sh
# Web server benchmark: wrk against the person endpoint and the panel list (each request:
# session and authorisation check and one audit-chain append, committed before the reply;
# the page itself is rendered once per data version and reused) on loopback, signed in, 64 connections for 10 seconds each, over a synthetic
# county; the peer in the same run is GET /api/v1/session (session check only), so the
# ratio shows what need-to-know, the chronology and the audit trail cost. Target: >= 5,000
# requests/s and p99 < 50 ms, zero errors.
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
# A synthetic county (svp synth), imported and linked, as `make run` builds it but smaller.
CHILDREN=${CHILDREN:-3000}
$SVP synth --children "$CHILDREN" --seed 7 --out "$dir/county" >/dev/null
$SVP import "$dir/county" --quiet --rejects "$dir/rejects.csv" >/dev/null
$SVP link >/dev/null
# A person with several agencies' records: the busiest linked person.
person=$(sqlite3 "$SVP_DB" "SELECT person_id FROM person_record GROUP BY person_id
                             ORDER BY count(*) DESC, person_id LIMIT 1")
events=$(sqlite3 "$SVP_DB" "SELECT count(*) FROM event e JOIN person_record pr
                             ON pr.record_id = e.record_id WHERE pr.person_id = $person")
echo 'benchmark password' | $SVP user add bench --role panel --agency partnership --password-stdin >/dev/null
$SVP serve --listen 127.0.0.1:0 --port-file "$dir/port" --web /nonexistent --threads ${THREADS:-16} \
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

# One request first, so the panel (and the risk panel the person's score and the meeting
# view read) is scored once before timing (steady state).
python3 - "$port" "$cookie" <<'PY' >/dev/null
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=120)
c.request("GET", "/api/v1/panel?top=50", headers={"Cookie": sys.argv[2]})
c.getresponse().read()
c.request("GET", "/api/v1/meeting", headers={"Cookie": sys.argv[2]})
c.getresponse().read()
PY

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
    eval "p99_$3=$(echo "$p99" | awk '/us$/ {print $1 / 1000; next} /ms$/ {print $1 + 0; next}
                                     /s$/ {print $1 * 1000; next} {print 1e9}')"
    eval "err_$3=$(( ${non2xx:-0} + ${sockerr:-0} ))"
}
echo "synthetic county of $CHILDREN children; person $person has $events events"
echo "wrk, 64 connections, 2 threads, $DUR each, loopback, signed in as a panel member:"
run "GET /api/v1/persons/{id}" "/api/v1/persons/$person" person
run "GET /api/v1/panel?top=50" "/api/v1/panel?top=50" panel
run "GET /api/v1/persons/{id}/risk" "/api/v1/persons/$person/risk" risk
run "GET /api/v1/meeting" "/api/v1/meeting" meeting
run "GET /api/v1/session (peer)" "/api/v1/session" peer
awk -v a="$rps_person" -v b="$rps_peer" 'BEGIN {
    printf "person page / session check: %.2f of the peer throughput\n", a / b }'
for e in person panel; do
    eval "r=\$rps_$e p=\$p99_$e x=\$err_$e"
    awk -v e="$e" -v r="$r" -v p="$p" -v x="$x" 'BEGIN {
        printf "target for %s: >= 5000 req/s, p99 < 50 ms, no errors: %s\n", e,
               (r >= 5000 && p < 50 && x == 0 ? "met" : "NOT met") }'
done
echo "audit entries written: $(sqlite3 "$SVP_DB" 'SELECT count(*) FROM audit_log')"
$SVP audit verify
