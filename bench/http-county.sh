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
SESSIONS=${SESSIONS:-16}
set -- $(python3 bench/http_county.py "$port" 0 "$SESSIONS")
cookie=$1 person=$2
shift 2
COOKIES="$*"
export COOKIES
run() { # name path key [wrk options]
    name=$1 path=$2 key=$3
    shift 3
    out=$(wrk -t2 -c64 -d"$DUR" --latency "$@" "http://127.0.0.1:$port$path")
    rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    sockerr=$(echo "$out" | awk '/Socket errors/ {s = $4 + $6 + $8 + $10; print s}')
    printf '%-44s %10s req/s   p50 %-9s p99 %-9s errors %s\n' "$name" "$rps" "$p50" "$p99" \
        "$(( ${non2xx:-0} + ${sockerr:-0} ))"
    eval "rps_$key=$rps"
    eval "p99_$key=$(echo "$p99" | awk '/us$/ {print $1 / 1000; next} /ms$/ {print $1 + 0; next}
                                     /s$/ {print $1 * 1000; next} {print 1e9}')"
    eval "err_$key=$(( ${non2xx:-0} + ${sockerr:-0} ))"
}
echo "wrk, 64 connections, 2 threads, $DUR each, loopback, as panel members:"
run "GET /api/v1/persons/{id}, one session" "/api/v1/persons/$person" person -H "Cookie: $cookie"
run "GET /api/v1/persons/{id}, $SESSIONS sessions" "/api/v1/persons/$person" persons -s bench/sessions.lua
run "GET /api/v1/session (peer), one session" "/api/v1/session" peer -H "Cookie: $cookie"
run "GET /favicon.svg (static peer)" "/favicon.svg" static
awk -v a="$rps_person" -v m="$rps_persons" -v b="$rps_peer" -v c="$rps_static" 'BEGIN {
    printf "person API / session check: %.2f (one session), %.2f (several); person API / static file: %.2f, %.2f\n",
           a / b, m / b, a / c, m / c }'
for k in person persons; do
    eval "r=\$rps_$k p=\$p99_$k x=\$err_$k"
    awk -v k="$k" -v r="$r" -v p="$p" -v x="$x" 'BEGIN {
        printf "target for the person API (%s): >= 5000 req/s, p99 < 50 ms, no errors: %s\n",
               k == "person" ? "one session" : "several sessions",
               (r >= 5000 && p < 50 && x == 0 ? "met" : "NOT met") }'
done
if [ "${PAGES:-1}" = 1 ] && [ -d web/node_modules/playwright-core ]; then
    echo "pages in Chromium (1366x768), the second opening of each, as a panel member:"
    node bench/pages-county.mjs "http://127.0.0.1:$port" bench "benchmark password" "$person" ||
        echo "bench/http-county: the page timing failed"
fi
echo "load while measuring (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
