#!/bin/sh
# The web server on the whole synthetic county (issue 18's Speed): a copy of the county
# database `make run` builds (DB=svp.db; SVP_NO_SERVE=1 make run builds it without serving),
# served by the release build with the web application. Prints
#   - what one sign-in costs (argon2id at OWASP's parameters), median of 5;
#   - each page's API call on a warm server, median of 5, with the bytes sent (the network
#     view as a panel member and as an analyst, the view from one child and from a group,
#     search, the hotspot map and its boundaries, the panel list, the meeting, a person);
#   - wrk at 64 connections on the person API beside two peers in the same run: the session
#     check (GET /api/v1/session: the same sign-in and audit-free path) and a static file
#     the same server sends (/favicon.svg), with the ratios.
# Targets (issue 18): person API >= 5,000 req/s with p99 < 50 ms and no errors; the network
# view <= 1 s and <= 200 KB; the map <= 1 s.
set -eu
cd "$(dirname "$0")/.."
SVP=$(pwd)/${BUILD:-build}/svp
DB=${DB:-svp.db}
DUR=${DUR:-10s}
if [ ! -s "$DB" ] || [ "$(sqlite3 "$DB" 'SELECT count(*) FROM person' 2>/dev/null || echo 0)" -lt 1000 ]; then
    echo "bench/http-county: no county at $DB (SVP_NO_SERVE=1 make run builds one): skipped"
    exit 0
fi
command -v wrk >/dev/null || { echo "bench/http-county: wrk is missing (scripts/bootstrap test)"; exit 1; }
[ -f web/dist/index.html ] || scripts/web-build >/dev/null
dir=$(mktemp -d /tmp/svp-bench-county-XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
cp "$DB" "$dir/county.db"
export SVP_DB="$dir/county.db"
$SVP db migrate >/dev/null
echo 'benchmark password' | $SVP user add bench --role panel --agency partnership --password-stdin >/dev/null
echo 'analyst benchmark password' | $SVP user add bench.analyst --role analyst --agency partnership --password-stdin >/dev/null
$SVP serve --listen 127.0.0.1:0 --port-file "$dir/port" --web "$(pwd)/web/dist" \
    --threads ${THREADS:-16} --login-rate 1000 >/dev/null 2>&1 &
server=$!
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$dir/port")
echo "county: $(sqlite3 "$SVP_DB" 'SELECT count(*) FROM person') persons, $(sqlite3 "$SVP_DB" 'SELECT count(*) FROM event') events"
# The person: the first child on the panel list (a panel member sees their records).
set -- $(python3 bench/http_county.py "$port" 0)
cookie=$1 person=$2
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
echo "wrk, 64 connections, 2 threads, $DUR each, loopback, signed in as a panel member:"
run "GET /api/v1/persons/{id}" "/api/v1/persons/$person" person
run "GET /api/v1/session (peer)" "/api/v1/session" peer
run "GET /favicon.svg (static peer)" "/favicon.svg" static
awk -v a="$rps_person" -v b="$rps_peer" -v c="$rps_static" 'BEGIN {
    printf "person API / session check: %.2f; person API / static file: %.2f\n", a / b, a / c }'
awk -v r="$rps_person" -v p="$p99_person" -v x="$err_person" 'BEGIN {
    printf "target for the person API: >= 5000 req/s, p99 < 50 ms, no errors: %s\n",
           (r >= 5000 && p < 50 && x == 0 ? "met" : "NOT met") }'
echo "load while measuring (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
