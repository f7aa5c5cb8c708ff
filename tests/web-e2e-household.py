#!/usr/bin/env python3
"""Browser test of the person page's household (Think Family) section and of the Turning 18
page (transition to adulthood), on a database of its own: a hand-made household (a child and her brother at one address, their mother recorded by
police as a household member of the child's domestic abuse incident; the mother's needs held
by police and health; the brother, on a child protection plan, turns 18 in July 2028), a police
practitioner and an administrator; and a young man of 20, exploited, whom the tracker lists
only with the transition age band. Runs
web/tests/e2e-household.mjs (Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-household.py SVP_BINARY REPO_ROOT
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import add_user, need_web, serve_and_run  # noqa: E402

SQL = """
INSERT INTO source_file (source, agency, path, sha256, imported_at)
  VALUES ('hh', 'police', 'hh.csv', 'x', '2026-11-01');
INSERT INTO record (source, agency, agency_record_id, given_name, family_name, norm_family,
  dob, sex, address, postcode, role, file_id, line) VALUES
  ('police', 'police', 'P-1', 'Maisie', 'Okafor', 'okafor', '2013-04-02', 'F',
   '4 Tanner Row', 'ZZ9 1QA', 'child', 1, 2),
  ('education', 'education', 'E-1', 'Reuben', 'Okafor', 'okafor', '2010-07-19', 'M',
   '4 Tanner Row', 'ZZ9 1QA', 'child', 1, 3),
  ('police', 'police', 'P-2', 'Grace', 'Okafor', 'okafor', '1984-01-30', 'F',
   'Flat 2, Mill Court', 'ZZ9 4XX', 'adult', 1, 4),
  ('health', 'health', 'H-2', 'Grace', 'Okafor', 'okafor', '1984-01-30', 'F',
   'Flat 2, Mill Court', 'ZZ9 4XX', 'adult', 1, 5),
  ('csc', 'csc', 'C-1', 'Reuben', 'Okafor', 'okafor', '2010-07-19', 'M',
   '4 Tanner Row', 'ZZ9 1QA', 'child', 1, 6);
INSERT INTO person (created_at) VALUES ('x'), ('x'), ('x');
INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 2), (3, 3), (4, 3), (5, 2);
INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at,
  detail, file_id, line) VALUES
  ('police', 'police', 'D1', 1, 'da_incident', 'high', '2026-06-01', '{}', 1, 10),
  ('police', 'police', 'D2', 3, 'da_incident', 'high', '2026-06-01', '{}', 1, 11),
  ('health', 'health', 'S1', 4, 'ed_attendance', 'self_harm', '2026-08-09', '{}', 1, 12),
  ('csc', 'csc', 'P1', 5, 'cp_plan', NULL, '2026-02-01', '{}', 1, 13);
INSERT INTO record (source, agency, agency_record_id, given_name, family_name, norm_family,
  dob, sex, address, postcode, role, file_id, line) VALUES
  ('police', 'police', 'P-3', 'Kai', 'Mensah', 'mensah', '2006-03-10', 'M',
   '9 Weir Lane', 'ZZ9 2QB', 'adult', 1, 7);
INSERT INTO person (created_at) VALUES ('x');
INSERT INTO person_record (record_id, person_id) VALUES (6, 4);
INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at,
  detail, file_id, line) VALUES
  ('police', 'police', 'K1', 6, 'crime', 'victim', '2026-09-01',
   '{"exploitation":["county_lines"]}', 1, 14),
  ('police', 'police', 'K2', 6, 'missing_episode', 'missing', '2026-09-20',
   '{"risk_level":"high"}', 1, 15),
  ('police', 'police', 'K3', 6, 'arrest', NULL, '2026-10-02', '{"offence":"drug_supply"}', 1, 16);
INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) VALUES
  ('police', 'police', 'household_member', 3, 1, 1),
  ('police', 'police', 'household_member', 1, 3, 1);
"""

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)
with tempfile.TemporaryDirectory(prefix="svp-e2e-household-") as d:
    db = os.path.join(d, "e2e.db")
    env = dict(os.environ, SVP_DB=db)
    subprocess.run([svp, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.executescript(SQL)
    con.commit()
    con.close()
    add_user(svp, env, "pat.police", "practitioner", "police", "practitioner password")
    add_user(svp, env, "ada.admin", "administrator", "partnership", "administrator password")
    sys.exit(serve_and_run(svp, env, web, d, "e2e-household.mjs"))
