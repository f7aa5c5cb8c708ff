#!/usr/bin/env python3
"""`svp serve --wait SECONDS`: a write of the server's (here a sign-in, which stores a
session) that finds another process writing the database waits the given time, then fails
with 409 and a message to act on; within the wait, it goes through once the other commits.

usage: serve-wait.py SVP. Prints TAP. SQLite (a held BEGIN IMMEDIATE is the other writer).
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

SVP = os.path.abspath(sys.argv[1])
ENV = dict(os.environ)
n = 0
failed = False


def ok(cond, name, why=""):
    global n, failed
    n += 1
    failed |= not cond
    print(f"{'ok' if cond else 'not ok'} {n} - {name}", flush=True)
    if not cond and why:
        print(f"# {why}", flush=True)


def serve(d, db, *extra):
    pf = os.path.join(d, "port")
    if os.path.exists(pf):
        os.remove(pf)
    p = subprocess.Popen([SVP, "serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", pf,
                          *extra], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        if os.path.exists(pf) and open(pf).read().strip():
            return p, int(open(pf).read())
        if p.poll() is not None:
            raise RuntimeError("svp serve exited: " + p.stderr.read().decode())
        time.sleep(0.05)
    p.kill()
    raise RuntimeError("svp serve did not start")


def sign_in(port):
    body = json.dumps({"username": "ana", "password": "a long enough password"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/session", data=body,
                                 headers={"Content-Type": "application/json"}, method="POST")
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode(), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), time.monotonic() - t0


def hold(db, seconds, started):
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    con.execute("BEGIN IMMEDIATE")
    con.execute("CREATE TABLE hold (x)")
    started.set()
    time.sleep(seconds)
    con.execute("ROLLBACK")
    con.close()


def holding(db, seconds):
    started = threading.Event()
    th = threading.Thread(target=hold, args=(db, seconds, started))
    th.start()
    started.wait()
    return th


print("1..6", flush=True)
with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, "svp.db")
    subprocess.run([SVP, "user", "add", "ana", "--role", "practitioner", "--agency", "csc",
                    "--password-stdin", "--db", db], input=b"a long enough password\n",
                   env=ENV, check=True, capture_output=True)
    # --wait 1: the sign-in gives up after about a second, not the default 10
    p, port = serve(d, db, "--wait", "1")
    try:
        th = holding(db, 5)
        status, text, took = sign_in(port)
        th.join()
        ok(status == 409, "--wait 1: a sign-in past the wait is refused with 409", f"{status} {text}")
        ok(0.8 <= took < 4.0, f"--wait 1: it waited about 1 s ({took:.1f} s)", f"{took:.2f} s")
        ok("svp waited 1 s" in text and "another svp process" in text,
           "--wait 1: the message says what is writing and how long svp waited", text)
    finally:
        p.kill()
        p.wait()
    # --wait 8: a lock released after 1.5 s is waited for and the sign-in goes through
    p, port = serve(d, db, "--wait", "8")
    try:
        th = holding(db, 1.5)
        status, text, took = sign_in(port)
        th.join()
        ok(status == 200, "--wait 8: the sign-in waits for the other writer and succeeds",
           f"{status} {text}")
        ok(took >= 1.0, f"--wait 8: it waited for the other writer ({took:.1f} s)", f"{took:.2f}")
    finally:
        p.kill()
        p.wait()
    r = subprocess.run([SVP, "serve", "--db", db, "--wait", "soon"], env=ENV, capture_output=True,
                       text=True, timeout=30)
    ok(r.returncode == 2 and "--wait takes a whole number of seconds" in r.stderr,
       "serve --wait soon is a usage error", f"{r.returncode} {r.stderr}")
sys.exit(1 if failed else 0)
