#!/usr/bin/env python3
"""How much of each shipped layout profile the analyst still had to write after
`svp profile draft`: for every layout in tests/layouts/, drafts a profile from its extract
and counts the lines of the finished profile (tests/layouts/NAME/NAME.profile) that the
draft lacks. Lines are compared after dropping comments and blank lines and folding the
spaces around '=' and '|'; each line counts as often as it occurs. Also checks that each
draft is a sound profile that a dry run on its extract accepts (>= 99% of rows). Prints TAP
and, per layout, "NAME: W of N lines written by the analyst (P%)".

usage: draft-gap.py SVP LAYOUTS_DIR"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile


def lines(text):
    out = []
    for ln in text.splitlines():
        ln = ln.strip()
        if not ln or ln.startswith("#") or ln.startswith(";"):
            continue
        ln = re.sub(r"\s*=\s*", " = ", ln, count=1)
        ln = re.sub(r"\s*\|\s*", " | ", ln)
        out.append(re.sub(r"\s+", " ", ln))
    return out


def main():
    svp, root = sys.argv[1], sys.argv[2]
    dirs = sorted(d for d in glob.glob(os.path.join(root, "*/")) if glob.glob(d + "extract.*"))
    print(f"1..{len(dirs)}")
    failed = 0
    total_w = total_n = 0
    for i, d in enumerate(dirs, 1):
        name = os.path.basename(d.rstrip("/"))
        extract = glob.glob(os.path.join(d, "extract.*"))[0]
        final = open(os.path.join(d, name + ".profile"), encoding="utf-8").read()
        problems = []
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "draft.profile")
            res = subprocess.run([svp, "profile", "draft", "--as-of", "2024-08-01", "--out",
                                  out, extract], capture_output=True, text=True, timeout=120)
            if res.returncode != 0:
                problems.append(f"draft exited {res.returncode}: {res.stderr.strip()}")
            else:
                draft = open(out, encoding="utf-8").read()
                chk = subprocess.run([svp, "profile", "check", out, "--data", extract,
                                      "--as-of", "2024-08-01"], capture_output=True, text=True,
                                     timeout=120, env=dict(os.environ, SVP_DB=os.path.join(tmp, "x.db")))
                m = re.search(r"(\d+) rows: (\d+) would be accepted", chk.stdout)
                if chk.returncode != 0 or not m:
                    problems.append(f"the draft does not check on its extract (exit "
                                    f"{chk.returncode}): {chk.stderr.strip()[:300]}")
                elif int(m.group(2)) < 0.99 * int(m.group(1)):
                    problems.append(f"the draft accepts only {m.group(2)} of {m.group(1)} rows")
                want = collections.Counter(lines(final))
                have = collections.Counter(lines(draft))
                missing = want - have
                w, n = sum(missing.values()), sum(want.values())
                total_w += w
                total_n += n
                print(f"# {name}: {w} of {n} lines written by the analyst ({100 * w / n:.0f}%)")
                for ln in sorted(missing.elements()):
                    print(f"#   + {ln}")
        if problems:
            failed += 1
            print(f"not ok {i} - draft of layout {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {i} - draft of layout {name}")
    if total_n:
        print(f"# all layouts: {total_w} of {total_n} lines written by the analyst "
              f"({100 * total_w / total_n:.0f}%)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
