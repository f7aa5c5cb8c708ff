#!/usr/bin/env python3
"""The crash matrix: kill -9 in the middle of each kind of write, then check the database.

usage: crash-matrix.py SVP [TRIALS]

For each operation (a multi-file import, link's write, `panel save`, a register write, and
the server under load) the clean result is measured once on a copy of the database the
operation starts from. Then, TRIALS times, the operation runs on a fresh copy and is killed
with SIGKILL at a moment spread over its clean run time; afterwards SQLite's integrity_check
must say ok, and running the operation again must reach the clean result exactly: the same
fingerprint of every table (columns that hold the wall clock and the tables of sessions and
the audit trail left out; the audit trail must verify instead). The server is killed while
clients send requests, then must verify its audit trail and serve again. Prints TAP.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SVP = os.path.abspath(sys.argv[1])
TRIALS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
CLOCK_COLUMNS = {"created_at", "updated_at", "imported_at", "changed_at", "shared_at",
                 "saved_at", "decided_at", "applied_at", "expires_at"}
SKIP_TABLES = {"audit_log", "app_session", "session"}
ENV = dict(os.environ, SVP_TODAY=os.environ.get("SVP_TODAY", "2026-11-21"))

points = []


def ok(cond, name, why=""):
    points.append((cond, name, why))
    print(f"{'ok' if cond else 'not ok'} {len(points)} - {name}", flush=True)
    if not cond and why:
        for line in str(why).splitlines()[:20]:
            print(f"# {line}", flush=True)


def svp(db, *args, check=True, stdin=None, timeout=300):
    r = subprocess.run([SVP, *args, "--db", db], env=ENV, capture_output=True, text=True,
                       input=stdin, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"svp {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r


def fingerprint(db):
    con = sqlite3.connect(db)
    h = hashlib.sha256()
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    for t in tables:
        if t in SKIP_TABLES:
            continue
        cur = con.execute(f'SELECT * FROM "{t}" ORDER BY rowid')
        keep = [i for i, d in enumerate(cur.description) if d[0] not in CLOCK_COLUMNS]
        h.update(t.encode() + b"\0")
        for row in cur:
            h.update(repr([row[i] for i in keep]).encode() + b"\n")
    con.close()
    return h.hexdigest()


def integrity(db):
    con = sqlite3.connect(db)
    res = con.execute("PRAGMA integrity_check").fetchall()
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    con.close()
    return res == [("ok",)] and not fk, f"integrity_check {res[:3]} foreign_key_check {fk[:3]}"


def copy_db(src, dst):
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(dst + ext):
            os.remove(dst + ext)
    shutil.copy(src, dst)


def killed_run(cmd, delay):
    """Starts cmd, kills it with SIGKILL after delay seconds; True if it was still running."""
    p = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return True


def files_of(db):
    """The imported files' summaries by hash, clock columns left out."""
    con = sqlite3.connect(db)
    cur = con.execute("SELECT * FROM source_file ORDER BY id")
    names = [d[0] for d in cur.description]
    out = {}
    for row in cur:
        r = dict(zip(names, row))
        out[r["sha256"]] = {k: v for k, v in r.items() if k not in CLOCK_COLUMNS}
    con.close()
    return out


def matrix(name, start_db, work, args, per_file=False):
    """Clean run, then TRIALS killed runs each followed by a check and a run again. With
    per_file, the operation is one transaction per imported file, and a kill may keep the
    files before it."""
    db = os.path.join(work, "m.db")
    start = fingerprint(start_db)
    copy_db(start_db, db)
    t0 = time.monotonic()
    svp(db, *args)
    clean_time = time.monotonic() - t0
    clean = fingerprint(db)
    clean_files = files_of(db) if per_file else {}
    killed = 0
    for i in range(TRIALS):
        copy_db(start_db, db)
        # spread the kill over the clean run (process start included)
        delay = clean_time * (0.15 + 0.8 * i / max(1, TRIALS - 1))
        killed += killed_run([SVP, *args, "--db", db], delay)
        good, why = integrity(db)
        ok(good, f"{name}: killed at {delay:.2f}s of {clean_time:.2f}s: database intact", why)
        # all or nothing: the killed run either committed (the clean result already) or
        # left the start unchanged, and then the run again reaches the clean result
        fp = fingerprint(db)
        if fp == clean:
            ok(True, f"{name}: killed at {delay:.2f}s after it committed: the clean result")
            continue
        if fp != start and not per_file:
            ok(False, f"{name}: killed at {delay:.2f}s: all or nothing", "part of it was kept")
            continue
        if fp != start:
            # each file is its own transaction: the files kept are whole, as in the clean run
            kept = files_of(db)
            if not all(clean_files.get(sha) == row for sha, row in kept.items()):
                ok(False, f"{name}: killed at {delay:.2f}s: each file all or nothing",
                   "a kept file's summary differs from the clean run's")
                continue
        kept_some = fp != start
        r = svp(db, *args, check=False)
        fp = fingerprint(db)
        ok(r.returncode == 0 and fp == clean,
           f"{name}: killed at {delay:.2f}s: {'whole files' if kept_some else 'nothing'} "
           "kept; the run again reaches the clean result",
           f"exit {r.returncode}: {r.stderr.strip()}" if r.returncode else "fingerprints differ")
    ok(killed > 0, f"{name}: at least one of {TRIALS} kills landed while it ran",
       f"clean run took {clean_time:.2f}s")


def server_under_load(start_db, work):
    db = os.path.join(work, "s.db")
    copy_db(start_db, db)
    svp(db, "user", "add", "crashadmin", "--role", "administrator", "--agency", "partnership",
        "--password-stdin", stdin="a long crash password\n")
    con = sqlite3.connect(db)
    con.execute("UPDATE app_user SET must_change = 0") if "must_change" in [
        r[1] for r in con.execute("PRAGMA table_info(app_user)")] else None
    con.commit()
    con.close()

    def start():
        pf = os.path.join(work, "port")
        if os.path.exists(pf):
            os.remove(pf)
        p = subprocess.Popen([SVP, "serve", "--listen", "127.0.0.1:0", "--port-file", pf,
                              "--web", work, "--login-rate", "100000", "--db", db], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            if os.path.exists(pf) and open(pf).read().strip():
                return p, int(open(pf).read())
            time.sleep(0.05)
        p.kill()
        raise RuntimeError("svp serve did not start")

    def login(port):
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/session", method="POST",
            data=json.dumps({"username": "crashadmin",
                             "password": "a long crash password"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            cookie = r.headers["Set-Cookie"].split(";")[0]
            return cookie

    p, port = start()
    stop = threading.Event()
    counts = {"ok": 0, "other": 0}

    def client(cookie):
        paths = ["/api/v1/persons?q=a", "/api/v1/persons/1", "/api/v1/panel",
                 "/api/v1/audit/mine"]
        i = 0
        while not stop.is_set():
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}{paths[i % len(paths)]}",
                                             headers={"Cookie": cookie})
                with urllib.request.urlopen(req, timeout=10) as r:
                    r.read()
                    counts["ok"] += 1
            except Exception:
                counts["other"] += 1
            i += 1

    try:
        cookie = login(port)
    except Exception as e:
        p.kill()
        ok(False, "server: sign in", e)
        return
    threads = [threading.Thread(target=client, args=(cookie,)) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    p.kill()
    p.wait()
    stop.set()
    for t in threads:
        t.join()
    ok(counts["ok"] > 0, f"server: answered {counts['ok']} requests before the kill")
    good, why = integrity(db)
    ok(good, "server: killed under load: database intact", why)
    r = svp(db, "audit", "verify", check=False)
    ok(r.returncode == 0, "server: killed under load: the audit trail verifies", r.stderr)
    p, port = start()
    try:
        cookie = login(port)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/persons/1",
                                     headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=30) as resp:
            ok(resp.status == 200, "server: serves again after the kill")
    except Exception as e:
        ok(False, "server: serves again after the kill", e)
    finally:
        p.kill()
        p.wait()


def main():
    work = tempfile.mkdtemp(prefix="svp-crash-")
    try:
        county = os.path.join(work, "county")
        subprocess.run([SVP, "synth", "--out", county, "--children", "100", "--months", "9",
                        "--seed", "7", "--quiet"], env=ENV, check=True, capture_output=True)
        empty = os.path.join(work, "empty.db")
        svp(empty, "db", "migrate")
        # the starting points: empty, imported, linked
        imported = os.path.join(work, "imported.db")
        copy_db(empty, imported)
        svp(imported, "import", county, "--rejects", os.path.join(work, "rejects.csv"),
            "--quiet")
        linked = os.path.join(work, "linked.db")
        copy_db(imported, linked)
        svp(linked, "link", "--quiet")
        print(f"1..{TRIALS * 2 * 4 + 4 + 4}", flush=True)
        matrix("import of a county (many files)", empty, work,
               ["import", county, "--rejects", os.path.join(work, "rejects2.csv"), "--quiet"],
               per_file=True)
        matrix("link", imported, work, ["link", "--quiet"])
        matrix("panel save", linked, work, ["panel", "save", "--as-of", "2021-12-01"])
        matrix("register write", linked, work,
               ["review", "add", "CRASH-1", "--kind", "rapid_review", "--awareness",
                "2021-11-10", "--title", "Child C"])
        server_under_load(linked, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(p[0] for p in points) else 1


if __name__ == "__main__":
    sys.exit(main())
