#!/usr/bin/env python3
"""Browser tests of need-to-know (issue 16), on a database of their own: a child known to a
school and to a sexual health clinic, a child known only to the police; a school
practitioner, an analyst and an auditor. Runs web/tests/e2e-access.mjs (Playwright, Debian's
Chromium), passing its TAP through.

usage: web-e2e-access.py SVP_BINARY REPO_ROOT
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

with tempfile.TemporaryDirectory(prefix="svp-e2e-access-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    subprocess.run([svp, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.executescript("""
        INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES
          ('education', 'education', 'school.csv', 'aa', '2026-01-01T00:00:00Z'),
          ('health-sexual', 'health', 'clinic.csv', 'bb', '2026-01-01T00:00:00Z'),
          ('police', 'police', 'police.csv', 'cc', '2026-01-01T00:00:00Z');
        INSERT INTO record (source, agency, agency_record_id, given_name, family_name, dob, sex,
          postcode, area, norm_given, norm_family, file_id, line) VALUES
          ('education', 'education', 'S100', 'Jayden', 'Okafor', '2011-03-04', 'F', 'AB1 2CD',
           'North', 'jayden', 'okafor', 1, 2),
          ('health-sexual', 'health', 'H100', 'Jayden', 'Okafor', '2011-03-04', 'F', 'AB1 2CD',
           'North', 'jayden', 'okafor', 2, 2),
          ('police', 'police', 'N300', 'Aoife', 'Brien', '2011-05-06', 'F', 'ZZ9 9ZZ', 'South',
           'aoife', 'brien', 3, 2);
        INSERT INTO person (created_at) VALUES ('2026-01-01'), ('2026-01-01');
        INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), (3, 2);
        INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at,
          file_id, line) VALUES
          ('education', 'education', 'X1', 1, 'exclusion', 'suspension', '2026-09-10', 1, 5),
          ('health-sexual', 'health', 'X2', 2, 'sexual_health', 'pregnancy', '2026-10-01', 2, 5),
          ('police', 'police', 'X3', 3, 'missing_episode', NULL, '2026-10-20T22:00:00Z', 3, 5);
    """)
    con.commit()
    con.close()
    for name, role, agency, pw in (("sam.school", "practitioner", "education", "school practitioner password"),
                                   ("ana.analyst", "analyst", "partnership", "analyst password here"),
                                   ("aud.auditor", "auditor", "partnership", "auditor password")):
        add_user(svp, env, name, role, agency, pw)
    sys.exit(serve_and_run(svp, env, web, d, "e2e-access.mjs"))
