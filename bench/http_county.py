#!/usr/bin/env python3
"""Timings of single requests for bench/http-county.sh: signs in (timing argon2id), warms each
page's API once, then times each five times on the warm server and prints the median and the
bytes sent. Prints the panel member's cookie last, on standard output alone (the figures go to
standard error), for wrk.

usage: http_county.py PORT PERSON_ID [SESSIONS]   (PERSON_ID 0: the first child on the panel
list; SESSIONS more panel members' cookies are printed after the person, for wrk's Lua script)
"""
import http.client
import json
import statistics
import sys
import time

port, person = int(sys.argv[1]), sys.argv[2]


def out(*a):
    print(*a, file=sys.stderr)


def sign_in(user, password):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t = time.perf_counter()
    c.request("POST", "/api/v1/session", json.dumps({"username": user, "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"sign-in as {user}: {r.status}")
    return time.perf_counter() - t, r.getheader("Set-Cookie").split(";")[0]


def get(cookie, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t = time.perf_counter()
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    body = r.read()
    return time.perf_counter() - t, r.status, body


times = []
for _ in range(5):
    t, cookie = sign_in("bench", "benchmark password")
    times.append(t)
out(f"sign-in (argon2id, OWASP parameters): median {statistics.median(times) * 1000:.0f} ms of 5")
_, analyst = sign_in("bench.analyst", "analyst benchmark password")
if person == "0":  # a panel member sees the listed children's records: the first of them
    _, _, body = get(cookie, "/api/v1/panel?top=1")
    person = str(json.loads(body)["list"][0]["person_id"])
out(f"person: {person}")

# A peer group and a child in it, as the network page would offer them.
_, _, body = get(analyst, "/api/v1/contexts/network")
net = json.loads(body)
group = next((c["group"] for c in net.get("communities", []) if c.get("group")), 1)
_, _, body = get(cookie, "/api/v1/contexts/network")
child = next((n["person_id"] for n in json.loads(body).get("nodes", []) if n.get("person_id")), person)

pages = [
    ("panel list (top 50)", cookie, "/api/v1/panel?top=50"),
    ("person", cookie, f"/api/v1/persons/{person}"),
    ("person's score", cookie, f"/api/v1/persons/{person}/risk"),
    ("meeting", cookie, "/api/v1/meeting"),
    ("network view, panel member", cookie, "/api/v1/contexts/network"),
    ("network view, analyst", analyst, "/api/v1/contexts/network"),
    ("network from a child", cookie, f"/api/v1/contexts/network/ego?person={child}&hops=2"),
    ("network around a group, analyst", analyst, f"/api/v1/contexts/network/ego?group={group}&hops=2"),
    ("network search by group, analyst", analyst, f"/api/v1/contexts/network/search?q=group%20{group}"),
    ("hotspot map", cookie, "/api/v1/contexts/hotspots"),
    ("map boundaries", cookie, "/api/v1/contexts/boundaries"),
    ("clocks", cookie, "/api/v1/clocks"),
]
first = {}
for name, ck, path in pages:  # the first (cold) request builds what is cached per data version
    t, status, _ = get(ck, path)
    first[name] = t
out(f"{'page API (warm server, median of 5)':40} {'status':>6} {'bytes':>9} {'median':>9} {'first':>9}")
for name, ck, path in pages:
    runs = [get(ck, path) for _ in range(5)]
    t = statistics.median(r[0] for r in runs)
    status, body = runs[-1][1], runs[-1][2]
    out(f"{name:40} {status:>6} {len(body):>9} {t * 1000:>7.0f}ms {first[name] * 1000:>7.0f}ms")
more = [sign_in("bench", "benchmark password")[1] for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 0)]
print(cookie, person, *more)
