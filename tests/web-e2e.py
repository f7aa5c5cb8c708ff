#!/usr/bin/env python3
"""Browser tests: starts `svp serve` on a fresh SQLite database with a small fixture (two
linked persons across police, health and children's social care) and a police practitioner,
then runs web/tests/e2e.mjs (Playwright driving Debian's Chromium), passing its TAP through.

usage: web-e2e.py SVP_BINARY REPO_ROOT
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import need_web, serve_and_run  # noqa: E402

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)

with tempfile.TemporaryDirectory(prefix="svp-e2e-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    subprocess.run([svp, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.executescript("""
        INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES
          ('police-niche', 'police', 'police.csv', 'aa', '2026-01-01T00:00:00Z'),
          ('csc-lcs', 'csc', 'csc.csv', 'bb', '2026-01-01T00:00:00Z'),
          ('health-ed', 'health', 'ed.csv', 'cc', '2026-01-01T00:00:00Z');
        INSERT INTO record (source, agency, agency_record_id, given_name, family_name, dob, sex,
          postcode, area, norm_given, norm_family, file_id, line) VALUES
          ('police-niche', 'police', 'P100', 'Jayden', 'Okafor', '2010-03-04', 'M', 'AB1 2CD',
           'North', 'jayden', 'okafor', 1, 2),
          ('health-ed', 'health', 'H200', 'Jaydon', 'Okafor', '2010-03-04', 'M', 'AB1 2CD',
           'North', 'jaydon', 'okafor', 3, 2),
          ('csc-lcs', 'csc', 'C300', 'Aoife', 'O''Brien', '2011-05-06', 'F', 'ZZ9 9ZZ', 'South',
           'aoife', 'obrien', 2, 2);
        INSERT INTO person (created_at) VALUES ('2026-01-01'), ('2026-01-01');
        INSERT INTO place (place_key, name, postcode, lat, lon, area) VALUES
          ('bus station|', 'Bus station', 'AB1 1AA', 52.10, -1.20, 'North'),
          ('park|', 'Park', 'AB1 3AA', 52.12, -1.18, 'North');
        INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), (3, 2);
        INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at,
          file_id, line) VALUES
          ('police-niche', 'police', 'E1', 1, 'missing_episode', NULL, '2026-02-01T22:00:00Z', 1, 5),
          ('police-niche', 'police', 'E7', 1, 'missing_episode', NULL, '2026-03-01T22:00:00Z', 1, 9),
          ('health-ed', 'health', 'E2', 2, 'ed_attendance', NULL, '2026-01-15', 3, 7),
          ('csc-lcs', 'csc', 'E3', 3, 'referral', NULL, '2025-12-01', 2, 9),
          ('police-niche', 'police', 'E4', 1, 'exploitation_screening', 'high', '2026-10-01', 1, 6),
          ('police-niche', 'police', 'E5', 1, 'intelligence', 'cse', '2026-10-15', 1, 7),
          ('police-niche', 'police', 'E6', 1, 'nrm_referral', 'pending', '2026-11-01', 1, 8);
    """)
    # The two children recorded as associates: one peer group for the network page.
    con.execute("INSERT INTO relationship (source, agency, kind, record_a, record_b, file_id, "
                "line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 10)")
    # One pair in the link review queue, with the model that scored it (every comparison
    # level, as `svp link` saves one), so the reviewer can ask why.
    # (LINK_MODEL_VERSION and the levels per comparison in src/link/link.h and model.c)
    levels = {0: 10, 1: 7, 2: 6, 3: 6, 4: 5, 5: 3, 6: 4, 7: 4}
    model = "svp-link-model 7\nlambda 0.01\ntwins 0\n" + "".join(
        f"level {c} {l} {0.9 if l == 1 else 0.02} {0.01 if l == 1 else 0.3}\n"
        for c, n in levels.items() for l in range(1, n))
    con.execute("INSERT INTO link_model (created_at, records, body) VALUES ('2026-01-01', 3, ?)",
                (model,))
    con.execute("INSERT INTO svp_meta (key, value) VALUES ('link.threshold', '0.95')")
    con.execute("INSERT INTO link_pair (record_a, record_b, probability, weight) VALUES "
                "(2, 3, 0.7, 1.2)")
    con.execute("UPDATE event SET place_id = 1 WHERE agency_event_id = 'E1'")
    con.execute("UPDATE event SET place_id = 2 WHERE agency_event_id = 'E7'")
    con.commit()
    con.close()
    # A case review with a late notification, a recommendation and an overdue action.
    for args in (["review", "add", "RR-7", "--kind", "rapid_review", "--title", "Child G",
                  "--awareness", "2026-06-01", "--notification", "2026-06-10"],
                 ["learning", "add", "RR-7", "--recommendation",
                  "Share missing episodes with schools"],
                 ["learning", "add", "RR-7/R1", "--action", "Daily missing list to schools",
                  "--owner", "police", "--due", "2026-09-01"]):
        subprocess.run([svp] + args, env=env, check=True, stdout=subprocess.DEVNULL)
    # Made-up ward boundaries around the fixture's places, for the map's areas and names.
    subprocess.run([svp, "context", "boundaries", "import",
                    os.path.join(root, "tests", "fixtures", "boundaries", "wards.geojson"),
                    "--kind", "ward"], env=env, check=True, stdout=subprocess.DEVNULL)
    # The panel list is saved before the meeting, as a partnership does each cycle: its
    # members see the listed children's ordinary records (data/sharing.csv, panel_list).
    subprocess.run([svp, "panel", "save"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([svp, "user", "add", "pat.police", "--role", "practitioner", "--agency",
                    "police", "--password-stdin"], env=env, check=True, input=b"practitioner password\n",
                   stdout=subprocess.DEVNULL)
    subprocess.run([svp, "user", "add", "aud.auditor", "--role", "auditor", "--agency",
                    "partnership", "--password-stdin"], env=env, check=True,
                   input=b"auditor password\n", stdout=subprocess.DEVNULL)
    # The panel's chair, who runs the meeting.
    subprocess.run([svp, "user", "add", "cha.chair", "--role", "panel", "--agency",
                    "partnership", "--password-stdin"], env=env, check=True,
                   input=b"panel chair password\n", stdout=subprocess.DEVNULL)
    # A one-time password, as `svp user add` would print, that must be changed first.
    subprocess.run([svp, "user", "add", "ada.admin", "--role", "administrator", "--agency",
                    "partnership", "--password-stdin"], env=env, check=True,
                   input=b"one time password 1\n", stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute("UPDATE app_user SET must_change = 1 WHERE username = 'ada.admin'")
    con.commit()
    con.close()
    sys.exit(serve_and_run(svp, env, web, d, "e2e.mjs"))
