#!/usr/bin/env python3
"""Browser test of the core dataset dashboard, on a synthetic county of its own: the figures
the page shows are those of `svp report dataset --format json`, charts, exceptions, exports,
and the drill-down to the children behind a figure, whole for a children's social care
practitioner and withheld for a health practitioner (need-to-know); an analyst's hotspot table on the same
county, each cell saying what most of its events were. Runs
web/tests/e2e-report.mjs (Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-report.py SVP_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import add_user, need_web, serve_and_run  # noqa: E402

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)

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
    add_user(svp, env, "cara.csc", "practitioner", "csc", "practitioner password")
    add_user(svp, env, "hana.health", "practitioner", "health", "practitioner password")
    add_user(svp, env, "ana.analyst", "analyst", "partnership", "practitioner password")
    # the figures the page must show, for web/tests/e2e-report.mjs (node inherits it)
    os.environ["SVP_E2E_EXPECTED"] = json.dumps(expected)
    sys.exit(serve_and_run(svp, env, web, d, "e2e-report.mjs"))
