#!/usr/bin/env python3
"""Browser test of the adult safeguarding page, on a database of its own: four concerns of
three adults imported through the shipped asc-concerns profile (a hand-made extract), a panel
member (who sees the figures) and a practitioner (who does not). Runs web/tests/e2e-adults.mjs
(Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-adults.py SVP_BINARY REPO_ROOT
"""
import os
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

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)
with tempfile.TemporaryDirectory(prefix="svp-e2e-adults-") as d:
    env = dict(os.environ, SVP_DB=os.path.join(d, "e2e.db"))
    path = os.path.join(d, "asc_concerns.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(EXTRACT)
    subprocess.run([svp, "import", "--quiet", "--profile", "asc-concerns", path, "--as-of",
                    "2023-06-30"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=d)
    add_user(svp, env, "pam.panel", "panel", "csc", "panel member password")
    add_user(svp, env, "pat.police", "practitioner", "police", "practitioner password")
    sys.exit(serve_and_run(svp, env, web, d, "e2e-adults.mjs"))
