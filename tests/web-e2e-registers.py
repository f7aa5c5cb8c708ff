#!/usr/bin/env python3
"""Browser test of the registers pages, on a database of its own: the seeds' training table,
s175 returns and child deaths imported as a partnership would (tests/fixtures/registers), a
partnership risk, a panel member who keeps the risk register and an analyst who may read
it but not change it. Runs web/tests/e2e-registers.mjs (Playwright, Debian's Chromium),
passing its TAP through.

usage: web-e2e-registers.py SVP_BINARY REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile
import time

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = os.path.abspath(os.path.join(root, "web"))
fixtures = os.path.join(root, "tests", "fixtures", "registers")
if not os.path.isfile(os.path.join(web, "dist", "index.html")) or not os.path.isdir(
        os.path.join(web, "node_modules", "playwright-core")):
    print("1..0 # SKIP web/dist or playwright-core missing: run scripts/web-build")
    sys.exit(77)

with tempfile.TemporaryDirectory(prefix="svp-e2e-reg-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    run = lambda *a, **k: subprocess.run([svp, *a], env=env, check=True,
                                         stdout=subprocess.DEVNULL, **k)
    run("db", "migrate")
    for name, reg in (("courses", "course"), ("sessions", "session"), ("audits", "audit"),
                      ("child-deaths", "child_death")):
        run("register", "import", reg, os.path.join(fixtures, name + ".csv"))
    run("register", "add", "risk", "R1", "--title", "Capacity in the front door",
        "--owner-agency", "council", "--likelihood", "4", "--impact", "4",
        "--reviewed", "2026-01-05")
    run("user", "add", "cha.chair", "--role", "panel", "--agency", "partnership",
        "--password-stdin", input=b"panel chair password\n")
    run("user", "add", "ann.analyst", "--role", "analyst", "--agency", "partnership",
        "--password-stdin", input=b"analyst password 1\n")
    port_file = os.path.join(d, "port")
    server = subprocess.Popen([svp, "serve", "--listen", "127.0.0.1:0", "--port-file", port_file,
                               "--web", os.path.join(web, "dist"), "--login-rate", "1000"],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = open(port_file).read().strip()
        rc = subprocess.run(["node", os.path.join(web, "tests", "e2e-registers.mjs"),
                             f"http://127.0.0.1:{port}"], cwd=web, timeout=240).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(rc)
