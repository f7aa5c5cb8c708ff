#!/usr/bin/env python3
"""Adds up the TAP test points of a meson test run (testlog.json) and prints the one
closing line "N passed, N failed". A test that printed no TAP counts as one point."""
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout", "") or ""
        oks = len(re.findall(r"^ok \d+(?! .*# SKIP)", out, re.M))
        skips = len(re.findall(r"^ok \d+ .*# SKIP", out, re.M))
        bad = len(re.findall(r"^not ok \d+", out, re.M))
        if oks + bad + skips == 0:
            if t["result"] in ("OK", "EXPECTEDFAIL"):
                oks = 1
            elif t["result"] == "SKIP":
                skips = 1
            else:
                bad = 1
        elif t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
            bad = 1  # it crashed or timed out after its last point
        passed += oks
        failed += bad
        skipped += skips
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
