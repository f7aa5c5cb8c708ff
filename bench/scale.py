#!/usr/bin/env python3
"""The region-scale benchmark behind bench/scale.sh (issue 22, item 7).

usage: scale.py SVP WORKDIR PG_URI_OR_- SIZE[,SIZE...] BACKENDS [STEPS]

For each size (children) one `svp synth` county, then on each back end (sqlite, postgres)
the steps in order: import, link, panel (save), context (postcodes import + run), clock
(report) and serve (a signed-in server's first and second panel request). Each step but
serve runs under /usr/bin/time -v: wall, CPU (user + sys of svp) and peak memory (maximum
resident set). On PostgreSQL the server's own CPU is counted too (the postmaster's reaped
children, read from /proc before and after), and shown apart. Then, per step: the growth
exponent of wall time between consecutive sizes (log(t2/t1) / log(n2/n1); 1 is linear),
the same of CPU (svp + server), k fitted by least squares over the sizes from 104,000 up,
the PostgreSQL/SQLite ratio of wall time at each size, steps whose exponent passes 1.2, and
the end to end time (import, link, panel save, context run) at each size. Outputs are
compared between the back ends at every size, each as a canonical dump hashed: persons (svp
persons export), the panel (svp panel), pairs (link_pair, ordered, probability and weight as
the exact doubles stored), clocks (svp clock report) and contexts (svp context groups --json: groups,
perpetrators and centrality; svp context hotspots); a difference is printed as DIFFERENT
and the run exits 1. The load (uptime) is printed at the start and before each size.

SVP_SCALE_BUDGET (seconds, default 1800): no new size is started once the run has used
more than half of it, so the run ends within it; what was skipped is said.
"""
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

SVP, WORK, PG = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
SIZES = [int(s) for s in sys.argv[4].split(",") if s]
BACKENDS = [b for b in sys.argv[5].split(",") if b]
STEPS = (sys.argv[6] if len(sys.argv) > 6 else "import,link,panel,context,clock,serve").split(",")
BUDGET = float(os.environ.get("SVP_SCALE_BUDGET", "1800"))
T0 = time.monotonic()
ENV = dict(os.environ)
ENV.pop("SVP_DB", None)
# The synthetic county's window ends 2023-03-31 (svp synth's default); clocks are judged then.
CLOCK = ["clock", "report", "--as-of", "2023-03-31", "--from", "2021-04-01", "--to",
         "2023-03-31", "--by", "fyear"]

results = {}  # (backend, size, step) -> dict(wall, cpu, server_cpu, rss_mb)
digests = {}  # (backend, size, what) -> sha256 of svp's output


def say(*a):
    print(*a, flush=True)


def postmaster_cpu():
    """CPU seconds of the PostgreSQL server: the postmaster and every child it has reaped."""
    if PG == "-":
        return 0.0
    pidfile = os.environ.get("SVP_SCALE_PG_PID")
    if not pidfile or not os.path.exists(pidfile):
        return 0.0
    try:
        pid = int(open(pidfile).readline())
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        ticks = sum(int(x) for x in f[11:15])  # utime, stime, cutime, cstime
        # Live children (the connection of a step still open) are not reaped yet.
        for c in os.listdir("/proc"):
            if c.isdigit():
                try:
                    g = open(f"/proc/{c}/stat").read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(g[1]) == pid:
                    ticks += int(g[11]) + int(g[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def timed(args, stdout=subprocess.DEVNULL):
    """Runs svp ARGS under /usr/bin/time -v; returns (wall, cpu, peak MB, stdout bytes)."""
    tf = tempfile.NamedTemporaryFile(delete=False, dir=WORK, suffix=".time")
    tf.close()
    s0 = postmaster_cpu()
    t = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name, SVP, *args], env=ENV,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.monotonic() - t
    s1 = postmaster_cpu()
    if r.returncode != 0:
        sys.exit(f"scale: svp {' '.join(args[:3])} failed ({r.returncode}): "
                 f"{r.stderr.decode(errors='replace')[-600:]}")
    tv = open(tf.name).read()
    os.unlink(tf.name)
    num = lambda k: float(re.search(rf"{k}: ([0-9.]+)", tv).group(1))
    cpu = num("User time \\(seconds\\)") + num("System time \\(seconds\\)")
    rss = num("Maximum resident set size \\(kbytes\\)") / 1024
    return {"wall": wall, "cpu": cpu, "server_cpu": s1 - s0, "rss": rss}, r.stdout


def db_for(backend, size):
    if backend == "sqlite":
        return os.path.join(WORK, f"svp-{size}.db")
    # One database per size on the throwaway server.
    name = f"svp_{size}"
    admin = PG
    subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["psql", "-q", admin, "-c", f"CREATE DATABASE {name}"], check=True,
                   stdout=subprocess.DEVNULL)
    return PG.rsplit("/", 1)[0] + "/" + name


def digest(key, data):
    digests[key] = hashlib.sha256(data).hexdigest()


# The pairs with their probability and weight as the exact doubles stored: read from SQLite
# through Python's sqlite3 module, from PostgreSQL as its shortest exact text, and written
# with repr, so equal doubles give equal lines. (Rounding to millionths in SQL does not do:
# SQLite rounds a half away from zero and PostgreSQL to even, so a weight of 49.9140625 gave
# 49914063 on one and 49914062 on the other; the sqlite3 shell prints 16 digits at most.)
PAIRS_SQL = ("SELECT record_a, record_b, probability, weight FROM link_pair "
             "ORDER BY record_a, record_b")


def pair_line(a, b, prob, w):
    num = lambda x: "null" if x is None or x == "" else repr(float(x))
    return f"{int(a)},{int(b)},{num(prob)},{num(w)}\n".encode()


def pairs_digest(backend, db):
    """The link's pairs as text, one per line, the same on both back ends when they agree."""
    h = hashlib.sha256()
    if backend == "sqlite":
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        for row in con.execute(PAIRS_SQL):
            h.update(pair_line(*row))
        con.close()
        return h.hexdigest()
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-F", ",", db, "-c", PAIRS_SQL],
                         stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        h.update(pair_line(*line.rstrip("\n").split(",")))
    if p.wait() != 0:
        sys.exit(f"scale: reading the pairs of {db} failed")
    return h.hexdigest()


def load():
    return subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip()


def serve_step(db, backend, size):
    """A signed-in server: time until it answers, then the panel's first and second request."""
    d = tempfile.mkdtemp(dir=WORK)
    pw = "scale benchmark password"
    subprocess.run([SVP, "user", "add", "scale", "--role", "panel", "--agency", "partnership",
                    "--password-stdin", "--db", db], input=pw.encode(), env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    pf = os.path.join(d, "port")
    s0 = postmaster_cpu()
    t = time.monotonic()
    p = subprocess.Popen([SVP, "serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", pf],
                         env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(pf) or not open(pf).read().strip():
            if p.poll() is not None or time.monotonic() - t > 300:
                sys.exit("scale: svp serve did not start")
            time.sleep(0.05)
        port = int(open(pf).read().strip())
        ready = time.monotonic() - t
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        c.request("POST", "/api/v1/session", json.dumps({"username": "scale", "password": pw}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        cookie = (r.getheader("Set-Cookie") or "").split(";")[0]
        if r.status != 200 or not cookie:
            sys.exit(f"scale: sign-in answered {r.status}")
        panel = []
        for _ in range(2):
            t1 = time.monotonic()
            c.request("GET", "/api/v1/panel?top=50", headers={"Cookie": cookie})
            r = c.getresponse()
            r.read()
            if r.status != 200:
                sys.exit(f"scale: panel answered {r.status}")
            panel.append(time.monotonic() - t1)
        st = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        cpu = (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
        hwm = re.search(r"VmHWM:\s+(\d+)", open(f"/proc/{p.pid}/status").read())
        rss = int(hwm.group(1)) / 1024 if hwm else 0.0
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        shutil.rmtree(d, ignore_errors=True)
    wall = time.monotonic() - t
    return {"wall": wall, "cpu": cpu, "server_cpu": postmaster_cpu() - s0, "rss": rss,
            "note": f"ready {ready:.2f} s, panel cold {panel[0] * 1000:.0f} ms, "
                    f"warm {panel[1] * 1000:.0f} ms"}


def run_size(size):
    county = os.path.join(WORK, f"county-{size}")
    if not os.path.exists(os.path.join(county, "manifest.csv")):
        res, _ = timed(["synth", "--children", str(size), "--seed", "1", "--out", county,
                        "--quiet"])
        res["server_cpu"] = 0.0
        results[("-", size, "synth")] = res
        say(f"{size:>9} {'-':8} {'synth':8} {fmt(res)}")
    for backend in BACKENDS:
        db = db_for(backend, size)
        if backend == "sqlite" and os.path.exists(db):
            os.unlink(db)
        subprocess.run([SVP, "db", "migrate", "--db", db], env=ENV, check=True,
                       stdout=subprocess.DEVNULL)
        for step in STEPS:
            note = ""
            if step == "import":
                res, _ = timed(["import", county, "--db", db, "--quiet", "--rejects",
                                os.path.join(WORK, f"rejects-{backend}-{size}.csv")])
            elif step == "link":
                res, _ = timed(["link", "--db", db])
                out = subprocess.run([SVP, "persons", "export", "--db", db], env=ENV,
                                     check=True, stdout=subprocess.PIPE).stdout
                digest((backend, size, "persons"), out)
                digests[(backend, size, "pairs")] = pairs_digest(backend, db)
            elif step == "panel":
                res, _ = timed(["panel", "save", "--as-of", "latest", "--db", db])
                out = subprocess.run([SVP, "panel", "--top", "50", "--as-of", "latest", "--db",
                                      db], env=ENV, check=True, stdout=subprocess.PIPE).stdout
                digest((backend, size, "panel"), out)
            elif step == "context":
                a, _ = timed(["context", "postcodes", "import",
                              os.path.join(county, "postcodes.csv"), "--db", db])
                res, _ = timed(["context", "run", "--db", db])
                for k in ("wall", "cpu", "server_cpu"):
                    res[k] += a[k]
                res["rss"] = max(res["rss"], a["rss"])
                out = b"".join(subprocess.run([SVP, "context", *c, "--db", db], env=ENV,
                                              check=True, stdout=subprocess.PIPE).stdout
                               for c in (["groups", "--json", "-"], ["hotspots"]))
                digest((backend, size, "contexts"), out)
            elif step == "clock":
                res, out = timed([*CLOCK, "--db", db])
                digest((backend, size, "clocks"), out)
            elif step == "serve":
                res = serve_step(db, backend, size)
                note = res.pop("note")
            else:
                sys.exit(f"scale: unknown step {step}")
            if backend != "postgres":
                res["server_cpu"] = 0.0  # the server's background work is not this step's
            results[(backend, size, step)] = res
            say(f"{size:>9} {backend:8} {step:8} {fmt(res)}  {note}".rstrip())


def fmt(r):
    s = f"wall {r['wall']:8.2f} s  cpu {r['cpu']:8.2f} s  peak {r['rss']:7.0f} MB"
    if r.get("server_cpu"):
        s += f"  server cpu {r['server_cpu']:7.2f} s"
    return s


say(f"scale: sizes {SIZES}, back ends {BACKENDS}, steps {STEPS}; budget {BUDGET:.0f} s")
say(f"load at the start: {load()}")
say(f"{'children':>9} {'backend':8} {'step':8} figures")
done = []
for size in SIZES:
    used = time.monotonic() - T0
    if done and used > BUDGET / 2:
        say(f"scale: {size} children not run: {used:.0f} s of the {BUDGET:.0f} s budget used")
        continue
    say(f"load before {size}: {load()}")
    run_size(size)
    done.append(size)

def cpu_of(r):
    return r["cpu"] + r["server_cpu"]


def exponent(ta, tb, a, b):
    return math.log(tb / ta) / math.log(b / a) if ta > 0 and tb > 0 else float("nan")


def fitted(points):
    """k of time ~ c * n^k: the least-squares slope of log time on log n."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx > 0 else float("nan")


say("\ngrowth exponent k (time ~ n^k; 1.0 is linear) between consecutive sizes, of wall time"
    " (of CPU, svp + server, in brackets), and k fitted over every size from 104,000 up")
for backend in BACKENDS:
    for step in STEPS:
        parts = []
        for a, b in zip(done, done[1:]):
            ra, rb = results.get((backend, a, step)), results.get((backend, b, step))
            if ra and rb:
                parts.append(f"{a}->{b}: {exponent(ra['wall'], rb['wall'], a, b):.2f} "
                             f"({exponent(cpu_of(ra), cpu_of(rb), a, b):.2f})")
        pts = [(n, results[(backend, n, step)]) for n in done
               if n >= 104000 and (backend, n, step) in results]
        if len(pts) >= 2:
            parts.append(f"fit: {fitted([(n, r['wall']) for n, r in pts]):.2f} "
                         f"({fitted([(n, cpu_of(r)) for n, r in pts]):.2f})")
        if parts:
            say(f"  {backend:8} {step:8} " + "  ".join(parts))

# Growth from the first size of at least 104,000 to the largest (issue 22: every step <= 1.2).
big = [n for n in done if n >= 104000]
if len(big) >= 2:
    a, b = big[0], big[-1]
    say(f"\nsteps with growth exponent above 1.2 from {a} to {b} (wall; CPU in brackets)")
    over = 0
    for backend in BACKENDS:
        for step in STEPS:
            ra, rb = results.get((backend, a, step)), results.get((backend, b, step))
            if not (ra and rb and ra["wall"] > 0 and rb["wall"] > 0):
                continue
            ew = exponent(ra["wall"], rb["wall"], a, b)
            ec = exponent(cpu_of(ra), cpu_of(rb), a, b)
            if ew > 1.2 or ec > 1.2:
                over += 1
                say(f"  {backend:8} {step:8} {ew:.2f} ({ec:.2f})")
    if not over:
        say("  none")

E2E = ("import", "link", "panel", "context")
if all(s in STEPS for s in E2E):
    say("\nend to end (import, link, panel save, context run): wall s, CPU s, peak MB")
    for backend in BACKENDS:
        for n in done:
            rs = [results.get((backend, n, s)) for s in E2E]
            if all(rs):
                say(f"  {backend:8} {n:>9} {sum(r['wall'] for r in rs):8.1f} "
                    f"{sum(r['cpu'] + r['server_cpu'] for r in rs):8.1f} "
                    f"{max(r['rss'] for r in rs):7.0f}")

if "sqlite" in BACKENDS and "postgres" in BACKENDS:
    say("\nPostgreSQL / SQLite, wall time (and svp + server CPU over svp CPU)")
    for step in STEPS:
        parts = []
        for n in done:
            s, p = results.get(("sqlite", n, step)), results.get(("postgres", n, step))
            if s and p and s["wall"] > 0:
                pc = (p["cpu"] + p["server_cpu"]) / s["cpu"] if s["cpu"] > 0 else float("nan")
                parts.append(f"{n}: {p['wall'] / s['wall']:.2f}x ({pc:.2f}x)")
        if parts:
            say(f"  {step:8} " + "  ".join(parts))
    say("\noutputs, PostgreSQL against SQLite")
    bad = 0
    for n in done:
        for what in ("persons", "pairs", "panel", "clocks", "contexts"):
            s, p = digests.get(("sqlite", n, what)), digests.get(("postgres", n, what))
            if s and p:
                same = s == p
                bad += not same
                say(f"  {n:>9} {what:8} {'same' if same else 'DIFFERENT'}")
    if bad:
        sys.exit(1)
say(f"\nscale: {time.monotonic() - T0:.0f} s in all; load at the end: {load()}")
