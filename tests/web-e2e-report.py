#!/usr/bin/env python3
"""Browser test of the core dataset dashboard, on a synthetic county of its own: the figures
the page shows are those of `svp report dataset --format json`, charts, exceptions, exports,
and the drill-down to the children behind a figure, whole for a children's social care
practitioner and withheld for a health practitioner (need-to-know). Runs
web/tests/e2e-report.mjs (Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-report.py SVP_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
import time

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = os.path.abspath(os.path.join(root, "web"))
if not os.path.isfile(os.path.join(web, "dist", "index.html")) or not os.path.isdir(
        os.path.join(web, "node_modules", "playwright-core")):
    print("1..0 # SKIP web/dist or playwright-core missing: run scripts/web-build")
    sys.exit(77)

with tempfile.TemporaryDirectory(prefix="svp-e2e-report-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([svp, "synth", "--out", os.path.join(d, "county"), "--children", "1500",
                    "--seed", "5", "--quiet"], env=env, check=True, **quiet)
    subprocess.run([svp, "import", os.path.join(d, "county"), "--quiet"], env=env, check=True,
                   **quiet)
    want = json.loads(subprocess.run([svp, "report", "dataset", "--period", "2022-23",
                                      "--format", "json", "--quiet"], env=env, check=True,
                                     capture_output=True, text=True).stdout)
    expected = {f["id"]: {"available": f["available"], "value": f["value"],
                          "numerator": f["numerator"], "denominator": f["denominator"]}
                for f in want["figures"]}
    for user, agency in (("cara.csc", "csc"), ("hana.health", "health")):
        subprocess.run([svp, "user", "add", user, "--role", "practitioner", "--agency", agency,
                        "--password-stdin"], env=env, check=True,
                       input=b"practitioner password\n", stdout=subprocess.DEVNULL)
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
        rc = subprocess.run(["node", os.path.join(web, "tests", "e2e-report.mjs"),
                             f"http://127.0.0.1:{port}", json.dumps(expected)], cwd=web,
                            timeout=240).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(rc)
