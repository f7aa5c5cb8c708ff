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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import need_web, serve_and_run  # noqa: E402

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)
fixtures = os.path.join(root, "tests", "fixtures", "registers")

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
    sys.exit(serve_and_run(svp, env, web, d, "e2e-registers.mjs"))
