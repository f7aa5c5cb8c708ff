#!/usr/bin/env python3
"""Fairness under load (issue 16, item 7): one user firing many uncached panel requests
(each for a different date, so each needs scoring the county again) must not slow another
user's session check or person page. Starts the real `svp serve` on a small synthetic
county; a separate process floods the panel with 8 connections while this one times the
other user's session check and person page every 10 ms. Asserts p99 < 50 ms for both,
that excess panel requests get 503 with Retry-After, that builds still complete and are
served from the cache afterwards, and that nothing else fails. Prints TAP and the measured
figures.

usage: load-check.py SVP_BINARY [--flood BASE COOKIE CSRF SECONDS OUT] (internal)
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

P99_LIMIT_MS = 50.0


def request(c, method, path, cookie=None, body=None, csrf=None):
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    if csrf:
        headers["X-CSRF-Token"] = csrf
    c.request(method, path, body, headers)
    r = c.getresponse()
    data = r.read()
    return r.status, r.getheader("Retry-After"), r.getheader("Set-Cookie"), data


def flood(port, cookie, seconds, out):
    """The greedy user: 8 connections, each asking for the panel on a new date."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    counts = {"ok": 0, "busy": 0, "busy_retry_after": 0, "other": [], "dates": 0}
    next_day = [0]

    def worker():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < stop:
            with lock:
                k = next_day[0]
                next_day[0] += 1
            day = time.strftime("%Y-%m-%d", time.gmtime(1625097600 + 86400 * k))  # 2021-07-01 on
            status, retry, _, _ = request(c, "GET", f"/api/v1/panel?as_of={day}&top=20", cookie)
            with lock:
                counts["dates"] += 1
                if status == 200:
                    counts["ok"] += 1
                elif status == 503:
                    counts["busy"] += 1
                    if retry and retry.isdigit() and int(retry) >= 1:
                        counts["busy_retry_after"] += 1
                else:
                    counts["other"].append(status)
            if status == 503:
                time.sleep(0.25)  # an impatient retry: well before the Retry-After it was given
        c.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out, "w") as f:
        json.dump(counts, f)


if len(sys.argv) > 2 and sys.argv[2] == "--flood":
    # The greedy user's browser is on another machine: here its client runs at the lowest
    # priority, so that it stands for the requests it sends and not for processor time it
    # would take from this machine's server.
    os.nice(19)
    flood(int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6])
    sys.exit(0)

svp = os.path.abspath(sys.argv[1])
results = []


def check(name, ok, note=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}{'' if ok else ' # ' + note}",
          flush=True)


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))] if xs else float("inf")


def sign_in(port, user, password):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, _, set_cookie, data = request(c, "POST", "/api/v1/session", None,
                                          {"username": user, "password": password})
    if status != 200:
        raise SystemExit(f"Bail out! sign-in of {user} answered {status}")
    cookie = set_cookie.split(";")[0]
    return c, cookie, json.loads(data).get("csrf_token")


print("1..8", flush=True)
with tempfile.TemporaryDirectory(prefix="svp-load-") as d:
    env = dict(os.environ, SVP_DB=os.path.join(d, "load.db"))
    run = lambda *a, **k: subprocess.run([svp] + list(a), env=env, check=True,
                                         stdout=subprocess.DEVNULL, **k)
    run("synth", "--children", "2500", "--seed", "5", "--out", os.path.join(d, "county"),
        "--quiet")
    run("db", "migrate")
    run("import", os.path.join(d, "county"), "--quiet")
    run("link")
    for name, role, pw in (("greedy.panel", "panel", "greedy panel password"),
                           ("calm.police", "practitioner", "calm police password")):
        run("user", "add", name, "--role", role, "--agency",
            "police" if role == "practitioner" else "partnership", "--password-stdin",
            input=(pw + "\n").encode())
    port_file = os.path.join(d, "port")
    server = subprocess.Popen([svp, "serve", "--listen", "127.0.0.1:0", "--port-file",
                               port_file, "--web", "/nonexistent", "--login-rate", "1000"],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(400):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = int(open(port_file).read())
        calm, calm_cookie, _ = sign_in(port, "calm.police", "calm police password")
        _, greedy_cookie, _ = sign_in(port, "greedy.panel", "greedy panel password")
        # The calm user's pages, warmed: their person page and its score (the risk panel of
        # the latest day, built once and kept).
        # (a police practitioner: the one check runs for every page, as for most users)
        status, _, _, data = request(calm, "GET", "/api/v1/persons?limit=20", calm_cookie)
        found = json.loads(data).get("items", []) if status == 200 else []
        pid = next((p.get("person_id") for p in found if isinstance(p.get("person_id"), int)
                    and p.get("person_id") > 0), None)
        if not pid:
            raise SystemExit(f"Bail out! no person for the police practitioner ({status})")
        for path in ("/api/v1/session", f"/api/v1/persons/{pid}", f"/api/v1/persons/{pid}/risk"):
            status, _, _, data = request(calm, "GET", path, calm_cookie)
            if status != 200:
                raise SystemExit(f"Bail out! warming {path} answered {status}: {data[:200]}")

        def timed(seconds):
            """The calm user's session check and person page every 10 ms for seconds."""
            session_ms, person_ms, bad = [], [], []
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                for path, into in (("/api/v1/session", session_ms),
                                   (f"/api/v1/persons/{pid}", person_ms)):
                    t0 = time.perf_counter()
                    status, _, _, _ = request(calm, "GET", path, calm_cookie)
                    into.append((time.perf_counter() - t0) * 1000.0)
                    if status != 200:
                        bad.append((path, status))
                time.sleep(0.01)
            return session_ms, person_ms, bad

        # The machine must be quiet enough to judge: with no flood, the calm user's p99 must
        # be under half the limit. On a machine this busy with other work (other builds and
        # test runs) the measurement says nothing about svp: wait and look again, and if it
        # never quietens, say so (SKIP) instead of failing or passing on noise.
        quiet = None
        for attempt in range(6):
            bs, bp, _ = timed(3.0)
            print(f"# baseline without the flood: session p99 {p99(bs):.1f} ms, person page "
                  f"p99 {p99(bp):.1f} ms", flush=True)
            if max(p99(bs), p99(bp)) < P99_LIMIT_MS / 2:
                quiet = True
                break
            time.sleep(10)
        out = os.path.join(d, "flood.json")
        seconds = 12.0
        flooder = subprocess.Popen([sys.executable, __file__, svp, "--flood", str(port),
                                    greedy_cookie, str(seconds), out])
        time.sleep(1.0)  # the flood is under way
        session_ms, person_ms, bad = timed(seconds - 2.0)
        flooder.wait(timeout=300)
        counts = json.load(open(out))
        s99, p99p = p99(session_ms), p99(person_ms)
        print(f"# session check: {len(session_ms)} requests, p50 "
              f"{sorted(session_ms)[len(session_ms) // 2]:.1f} ms, p99 {s99:.1f} ms, max "
              f"{max(session_ms):.1f} ms", flush=True)
        print(f"# person page: {len(person_ms)} requests, p50 "
              f"{sorted(person_ms)[len(person_ms) // 2]:.1f} ms, p99 {p99p:.1f} ms, max "
              f"{max(person_ms):.1f} ms", flush=True)
        print(f"# panel flood: {counts['dates']} requests, {counts['ok']} built, "
              f"{counts['busy']} refused 503", flush=True)
        check("the calm user's requests all answered 200", not bad, str(bad[:5]))
        for what, xs, v in (("session check", session_ms, s99), ("person page", person_ms, p99p)):
            name = f"{what} p99 under {P99_LIMIT_MS:.0f} ms while another user floods the panel"
            if not quiet:
                results.append(True)
                print(f"ok {len(results)} - {name} # SKIP the machine is too busy to judge "
                      f"(p99 {v:.1f} ms under the flood)", flush=True)
            else:
                check(name, len(xs) >= 200 and v < P99_LIMIT_MS, f"p99 {v:.1f} ms over {len(xs)}")
        check("panel builds still complete under the flood", counts["ok"] >= 2, str(counts))
        check("excess panel requests are refused with 503",
              counts["busy"] >= counts["ok"], str(counts))
        check("every 503 carries Retry-After (whole seconds)",
              counts["busy"] > 0 and counts["busy_retry_after"] == counts["busy"], str(counts))
        check("no other failures in the flood", not counts["other"], str(counts["other"][:5]))
        # A built date is kept: asked again it is served from the cache (no 503 even with
        # another build by the same user under way).
        g = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        status, _, _, _ = request(g, "GET", "/api/v1/panel?as_of=2021-07-01&top=20",
                                  greedy_cookie)
        if status == 503:  # the flood's first date may have been refused: build it now
            time.sleep(3)
            status, _, _, _ = request(g, "GET", "/api/v1/panel?as_of=2021-07-01&top=20",
                                      greedy_cookie)
        t0 = time.perf_counter()
        slow = threading.Thread(target=lambda: request(
            http.client.HTTPConnection("127.0.0.1", port, timeout=120), "GET",
            "/api/v1/panel?as_of=2020-01-01&top=20", greedy_cookie))
        slow.start()
        status2, _, _, _ = request(g, "GET", "/api/v1/panel?as_of=2021-07-01&top=20",
                                   greedy_cookie)
        slow.join()
        check("a date built once is served from the cache beside the same user's new build",
              status == 200 and status2 == 200, f"{status} {status2}")
    finally:
        server.terminate()
        server.wait(timeout=60)
sys.exit(0 if all(results) else 1)
