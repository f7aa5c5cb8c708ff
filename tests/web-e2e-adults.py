#!/usr/bin/env python3
"""Browser test of the adult safeguarding page, on a database of its own: four concerns of
three adults imported through the shipped asc-concerns profile (a hand-made extract), a
cuckooed flat in the police's layouts (for the adult vulnerability list), a panel member (who
sees the figures and the list), a practitioner of the police (the list of the adults the police
hold, not the figures) and one of health (none of them); a known offender (profile
police-known-offenders) and a child found with him after going missing, whose page shows the
known offender alert to the police and is refused to health. Runs web/tests/e2e-adults.mjs
(Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-adults.py SVP_BINARY REPO_ROOT
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import add_user, need_web, serve_and_run  # noqa: E402

EXTRACT = """SafeguardingID,PersonID,FirstName,LastName,DateOfBirth,Gender,Postcode,ConcernReceived,ConcernSource,PrimaryCategory,SecondaryCategory,LocationOfRisk,SourceOfRisk,Decision,DecisionDate,EnquiryType,EnquiryStart,EnquiryConcluded,RiskOutcome,RiskResult,MSPAsked,MSPOutcomesExpressed,MSPOutcomesMet
Q-1,ZP77,Edith,Marlow,02/03/1931,Female,BA14 8PQ,10/05/2022,Health,Financial or Material Abuse,Psychological Abuse,Own Home,Other - Known to Individual,S42 Enquiry,11/05/2022,Section 42,11/05/2022,20/07/2022,Risk identified and action taken,Risk Reduced,Yes,Y,Partially Achieved
Q-2,ZP77,Edith,Marlow,02/03/1931,Female,BA14 8PQ,01/02/2023,Health,Physical Abuse,,Care Home - Residential,Service Provider,S42 Enquiry,02/02/2023,S42,02/02/2023,30/04/2023,No risk identified,,No,,
Q-3,ZP78,Arthur,Penn,14/09/1958,Male,BA14 8PR,31/03/2023,Police,Domestic Abuse,,Own Home,Other - Known to Individual,Other Enquiry,03/04/2023,Other,03/04/2023,,,,,,
Q-4,ZP79,Lena,Hart,01/01/1970,Female,SN10 1AA,01/04/2022,Self,Self-Neglect,,Own Home,Other - Unknown to Individual,No Further Action,04/04/2022,,,,,,,,
"""

# The adult vulnerability list: a flat taken over for drug dealing (the resident a victim,
# two suspects at the address, one aged 20) in the police's own layouts.
NOMINALS = """NominalID,Surname,Forenames,DOB,Sex,EthnicAppearance,Address,Postcode
N901,Quill,Doreen,04/04/1960,F,IC1,"Flat 2, 9 Mill Row, Oakhurst",SN10 2AA
N902,Vance,Tyler,06/06/2002,M,IC1,"4 Hill Road, Oakhurst",SN10 2AB
N903,Rook,Dean,07/07/1985,M,IC1,"1 Park View, Oakhurst",SN10 2AC
"""
OCCURRENCES = """InvolvementID,OccurrenceRef,NominalID,Role,OccurrenceType,Category,OccurrenceDateTime,PlaceName,Postcode,Lat,Lon,ArrestDateTime,Outcome
I1,OCC/23/1,N901,VICTIM,INCIDENT,CUCKOOING,10/03/2023 21:00,"Flat 2, 9 Mill Row, Oakhurst",SN10 2AA,51.35,-1.99,,
I2,OCC/23/1,N902,SUSPECT,INCIDENT,CUCKOOING,10/03/2023 21:00,"Flat 2, 9 Mill Row, Oakhurst",SN10 2AA,51.35,-1.99,,NFA
I3,OCC/23/1,N903,SUSPECT,INCIDENT,CUCKOOING,10/03/2023 21:00,"Flat 2, 9 Mill Row, Oakhurst",SN10 2AA,51.35,-1.99,,UNDER_INVESTIGATION
I4,OCC/23/2,N902,SUSPECT,CRIME,DRUG_SUPPLY,02/04/2023 22:00,"Flat 2, 9 Mill Row, Oakhurst",SN10 2AA,51.35,-1.99,02/04/2023 23:00,CHARGED
"""

# A known offender (the older dealer above, on MAPPA level 2) and a child found with him after
# going missing twice: the child's page shows the alert with its evidence.
KNOWN = """NominalID,PNCID,Surname,Forenames,DOB,Sex,Postcode,Basis,MAPPACategory,ManagingAgency,RiskToChildren,StartDate,EndDate
N903,19/123456A,Rook,Dean,07/07/1985,M,SN10 2AC,MAPPA 2,1,Probation,Y,01/06/2022,
"""
CHILD = """INSERT INTO record (source, agency, agency_record_id, given_name, family_name, dob, sex,
  area, role, file_id, line) VALUES ('police-nominals', 'police', 'N941', 'Mia', 'Rowe',
  '2011-03-02', 'F', 'Oakhurst', 'child', 1, 90);
INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at, detail,
  file_id, line) VALUES
  ('police-missing', 'police', 'M1', (SELECT id FROM record WHERE agency_record_id = 'N941'),
   'missing_episode', 'missing', '2023-03-20', '{}', 1, 91),
  ('police-missing', 'police', 'M2', (SELECT id FROM record WHERE agency_record_id = 'N941'),
   'missing_episode', 'missing', '2023-03-28', '{}', 1, 92);
INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) VALUES
  ('police-missing', 'police', 'found_with', (SELECT id FROM record WHERE agency_record_id =
   'N941'), (SELECT id FROM record WHERE agency_record_id = 'N903'), (SELECT id FROM event
   WHERE agency_event_id = 'M2'));
"""

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)
with tempfile.TemporaryDirectory(prefix="svp-e2e-adults-") as d:
    env = dict(os.environ, SVP_DB=os.path.join(d, "e2e.db"))
    path = os.path.join(d, "asc_concerns.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(EXTRACT)
    subprocess.run([svp, "import", "--quiet", "--profile", "asc-concerns", path, "--as-of",
                    "2023-06-30"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=d)
    for name, profile, text in (("police_nominals.csv", "police-nominals", NOMINALS),
                                ("police_occurrences.csv", "police-occurrences", OCCURRENCES)):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run([svp, "import", "--quiet", "--profile", profile, path, "--as-of",
                        "2023-06-30"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=d)
    path = os.path.join(d, "known_offenders.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(KNOWN)
    subprocess.run([svp, "import", "--quiet", "--profile", "police-known-offenders", path,
                    "--as-of", "2023-06-30"], env=env, check=True, stdout=subprocess.DEVNULL,
                   cwd=d)
    con = sqlite3.connect(env["SVP_DB"])
    con.executescript(CHILD)
    con.commit()
    subprocess.run([svp, "link", "--quiet"], env=env, check=True, stdout=subprocess.DEVNULL,
                   cwd=d)
    os.environ["SVP_E2E_CHILD"] = str(con.execute(
        "SELECT pr.person_id FROM person_record pr JOIN record r ON r.id = pr.record_id "
        "WHERE r.agency_record_id = 'N941'").fetchone()[0])
    con.close()
    add_user(svp, env, "pam.panel", "panel", "csc", "panel member password")
    add_user(svp, env, "ada.admin", "administrator", "partnership", "administrator password")
    add_user(svp, env, "pat.police", "practitioner", "police", "practitioner password")
    add_user(svp, env, "hal.health", "practitioner", "health", "health practitioner password")
    sys.exit(serve_and_run(svp, env, web, d, "e2e-adults.mjs"))
