"""TAP for the truth checks (da_check.py, sac_check.py, ...): check() prints one test point,
plan() prints the plan last and gives the exit status; linked_county() makes the county a
check reads."""
import os
import subprocess

_n = 0
_ok = 0


def check(name, cond, detail=""):
    global _n, _ok
    _n += 1
    _ok += bool(cond)
    print(("ok" if cond else "not ok") + f" {_n} - {name}" + ("" if cond else f" # {detail}"))


def plan():
    print(f"1..{_n}")
    return 0 if _ok == _n else 1


def linked_county(svp, d, children, seed):
    """svp synth writes a county of CHILDREN (SEED) under directory d, svp import and svp link
    read it into d/county.db, each a test point; returns (county directory, database)."""
    c, db = os.path.join(d, "c"), os.path.join(d, "county.db")

    def run(args):
        return subprocess.run(args, capture_output=True, text=True)

    p = run([svp, "synth", "--out", c, "--children", children, "--seed", seed, "--quiet"])
    check("svp synth writes the county", p.returncode == 0, p.stderr)
    p = run([svp, "import", "--db", db, c, "--rejects", os.path.join(d, "rej.csv"), "--quiet"])
    check("the county imports", p.returncode == 0, p.stderr)
    p = run([svp, "link", "--db", db, "--quiet"])
    check("the county links", p.returncode == 0, p.stderr)
    return c, db
