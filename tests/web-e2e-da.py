#!/usr/bin/env python3
"""Browser test of the domestic abuse call page, on a database of its own (so the shared
fixture of tests/web-e2e.py keeps its counts): a police DA incident on Thursday 29 October
2026 with a child present, its victim and suspect, a police practitioner and a health
practitioner (who may not see it). Runs web/tests/e2e-da.mjs (Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-da.py SVP_BINARY REPO_ROOT
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import add_user, need_web, serve_and_run  # noqa: E402

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)

with tempfile.TemporaryDirectory(prefix="svp-e2e-da-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    subprocess.run([svp, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
                "('police-da', 'police', 'da.csv', 'aa', '2026-11-01T00:00:00Z')")
    con.execute("INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
                "dob, sex, role, file_id, line) VALUES "
                "('police', 'police', 'N900', 'Dana', 'Mercer', '1988-01-02', 'F', 'adult', 1, 2), "
                "('police', 'police', 'N901', 'Rex', 'Stone', '1985-05-06', 'M', 'adult', 1, 2), "
                "('police', 'police', 'N902', 'Lily', 'Mercer', '2015-07-08', 'F', 'child', 1, 2)")
    dash = ", ".join(f'"dash_{q:02d}": {1 if q <= 15 else 0}' for q in range(1, 28))
    for ref, rec, role in (("DA/26/000001", "N900", "victim"),
                           ("DA/26/000001/suspect", "N901", "perpetrator"),
                           ("DA/26/000001/present/N902", "N902", "child_in_household")):
        detail = '{"role": "%s"%s}' % (role, ", " + dash if role == "victim" else "")
        con.execute("INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                    "subtype, started_at, detail, file_id, line) SELECT 'police-da', 'police', "
                    "?, id, 'da_incident', 'high', '2026-10-29T21:30:00Z', ?, 1, 2 FROM record "
                    "WHERE agency_record_id = ?", (ref, detail, rec))
    con.commit()
    con.close()
    subprocess.run([svp, "da", "action", "add", "DA/26/000001", "--agency", "csc", "--action",
                    "Strategy discussion for Lily", "--owner", "MASH team", "--due",
                    "2026-11-03", "--date", "2026-10-30"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    add_user(svp, env, "pat.police", "practitioner", "police", "practitioner password")
    add_user(svp, env, "hana.health", "practitioner", "health", "practitioner password")
    sys.exit(serve_and_run(svp, env, web, d, "e2e-da.mjs"))
