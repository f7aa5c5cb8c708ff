"""TAP for the truth checks (da_check.py, sac_check.py): check() prints one test point,
plan() prints the plan last and gives the exit status."""
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
