#!/usr/bin/env python3
"""Browser test of the Sources page, on a database of its own: an extract in the shipped
asc-concerns layout with one bad row (rejected), an analyst (who sees the page and drafts a
profile from a GP practice's extract in a layout svp does not ship: Windows-1252, tab
separated, names under 'Patient', the postcode inside the address, safeguarding codes naming
several kinds of event) and a police practitioner (who may not). Runs
web/tests/e2e-sources.mjs (Playwright, Debian's Chromium), passing its TAP through.

usage: web-e2e-sources.py SVP_BINARY REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_server import add_user, need_web, serve_and_run  # noqa: E402

EXTRACT = """SafeguardingID,PersonID,FirstName,LastName,DateOfBirth,Gender,Postcode,ConcernReceived,ConcernSource,PrimaryCategory,SecondaryCategory,LocationOfRisk,SourceOfRisk,Decision,DecisionDate,EnquiryType,EnquiryStart,EnquiryConcluded,RiskOutcome,RiskResult,MSPAsked,MSPOutcomesExpressed,MSPOutcomesMet
Q-1,ZP77,Edith,Marlow,02/03/1931,Female,BA14 8PQ,10/05/2022,Health,Financial or Material Abuse,,Own Home,Other - Known to Individual,S42 Enquiry,11/05/2022,Section 42,11/05/2022,20/07/2022,Risk identified and action taken,Risk Reduced,Yes,Y,Partially Achieved
Q-2,ZP78,Arthur,Penn,14/09/1958,Male,BA14 8PR,31/03/2023,Police,Domestic Abuse,,Own Home,Other - Known to Individual,Other Enquiry,03/04/2023,Other,03/04/2023,,,,,,
Q-3,ZP79,Lena,Hart,01/01/1970,Female,SN10 1AA,01/04/2022,Self,Self-Neglect,,Own Home,Other - Unknown to Individual,No Further Action,04/04/2022,,,,,,,,
Q-4,ZP80,Ivy,Stone,not a date,Female,SN10 1AB,01/13/2022,Self,Self-Neglect,,Own Home,Other - Unknown to Individual,No Further Action,04/04/2022,,,,,,,,
"""

# A GP practice's safeguarding codes, as its system exports them: Windows-1252 (the coder's
# accented name), tabs, CRLF; "Forename SURNAME" or "SURNAME, Forename" under 'Patient'.
GP_ROWS = [
    ("Y01", "DUNN, Kayla", "943 476 5919", "19-Feb-2008", "94 Church Road, sv12 8gn", "03/11/2022 10:15", "Child sexual exploitation"),
    ("Y01", "Miss Kayla DUNN", "943 476 5919", "19-Feb-2008", "94 Church Road, sv12 8gn", "04/11/2022 11:00", "Domestic abuse in household"),
    ("Y02", "Reece OKAFOR", "", "01-Mar-2009", "3 Mill Lane,SV184BY", "05/11/2022 09:30", "Substance misuse"),
    ("Y02", "OKAFOR, Reece", "", "01-Mar-2009", "3 Mill Lane,SV184BY", "06/11/2022 09:40", "Child is cause for concern"),
    ("Y02", "BYRNE, Se\u00e1n", "", "30-Sep-2010", "7 High St, Brindlemoor SV18 4BY", "07/11/2022 14:00", "Child is cause for concern"),
    ("Y01", "Amy LEE", "", "02-Jan-2011", "1 Low Road, sv9 1aa", "08/11/2022 15:00", "Substance misuse"),
    ("Y01", "Amy LEE", "", "02-Jan-2011", "1 Low Road, sv9 1aa", "09/11/2022 15:00", "Child sexual exploitation"),
    ("Y01", "LEE, Amy", "", "02-Jan-2011", "1 Low Road, sv9 1aa", "10/11/2022 15:00", "Domestic abuse in household"),
]

svp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
web = need_web(root)
with tempfile.TemporaryDirectory(prefix="svp-e2e-sources-") as d:
    env = dict(os.environ, SVP_DB=os.path.join(d, "e2e.db"))
    path = os.path.join(d, "asc_concerns.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(EXTRACT)
    subprocess.run([svp, "import", "--quiet", "--profile", "asc-concerns", path, "--as-of",
                    "2023-06-30", "--rejects", os.path.join(d, "rejects.csv")], env=env,
                   check=True, stdout=subprocess.DEVNULL, cwd=d)
    gp = os.path.join(d, "gp_register.tsv")
    with open(gp, "wb") as f:
        f.write("Practice\tPatient\tNHS No.\tDate of Birth\tAddress\tCode Date\tCode Description\r\n"
                .encode("cp1252"))
        for row in GP_ROWS:
            f.write(("\t".join(row) + "\r\n").encode("cp1252"))
    with open(os.path.join(d, "header_only.csv"), "w", encoding="utf-8") as f:
        f.write("A,B\n")
    os.environ["SVP_E2E_GP"] = gp
    # a workbook whose data is on its second sheet (written by Python's zipfile in
    # fuzz/corpus/xlsx: a notes sheet, then "Data")
    xlsx = os.path.join(d, "two-sheets.xlsx")
    with open(os.path.join(root, "fuzz", "corpus", "xlsx", "two-sheets"), "rb") as src, \
            open(xlsx, "wb") as dst:
        dst.write(src.read())
    os.environ["SVP_E2E_XLSX"] = xlsx
    os.environ["SVP_E2E_EMPTY"] = os.path.join(d, "header_only.csv")
    # the same register saved as Excel's "Unicode Text": UTF-16LE with its mark
    gp16 = os.path.join(d, "gp_register_unicode.txt")
    with open(gp, "rb") as src, open(gp16, "wb") as dst:
        dst.write(b"\xff\xfe" + src.read().decode("cp1252").encode("utf-16-le"))
    os.environ["SVP_E2E_GP16"] = gp16
    add_user(svp, env, "ann.analyst", "analyst", "csc", "analyst password")
    add_user(svp, env, "pat.police", "practitioner", "police", "practitioner password")
    sys.exit(serve_and_run(svp, env, web, d, "e2e-sources.mjs"))
