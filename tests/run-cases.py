#!/usr/bin/env python3
"""Runs the CLI case files in tests/cases/ against the real svp binary and prints TAP.

A case file holds one or more cases:

    === what this case checks
    file NAME            # creates NAME in the case's directory with the lines up to 'end'
    ...content...
    end
    run: ARGS            # runs `svp ARGS` (shell-style quoting) in the case's directory
    sh: COMMAND          # runs a shell command there (setup: e.g. tamper with a file);
                         # $SVP is the svp binary; `exit: N` after it expects that status
    exit: N              # expected exit code (default 0)
    stdout: TEXT         # stdout must be exactly TEXT plus a newline
    stdout-contains: T   # stdout must contain T
    stdout-lacks: T      # stdout must not contain T
    stderr-contains: T   # stderr must contain T
    stderr-empty         # nothing on stderr
    error-line           # stderr is exactly one line (the one-line error rule)
    file-unchanged: NAME # NAME is byte-identical after the runs of this case
    file-absent: NAME    # NAME does not exist after the runs

Each case runs in a fresh temporary directory with SVP_DB=svp.db there. ${DIR} in a line is
replaced by that directory.
"""
import os
import shlex
import subprocess
import sys
import tempfile


def parse(path):
    cases, cur, lines = [], None, open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("=== "):
            cur = {"name": line[4:].strip(), "steps": [], "files": [], "where": f"{path}:{i}"}
            cases.append(cur)
        elif not line.strip() or line.startswith("#"):
            continue
        elif cur is None:
            raise SystemExit(f"{path}:{i}: text before the first '=== case'")
        elif line.startswith("file "):
            name, body = line[5:].strip(), []
            while i < len(lines) and lines[i] != "end":
                body.append(lines[i])
                i += 1
            i += 1
            cur["files"].append((name, "\n".join(body) + "\n"))
        elif line.startswith("run:"):
            cur["steps"].append({"args": line[4:].strip(), "checks": []})
        elif line.startswith("sh:"):
            cur["steps"].append({"args": None, "sh": line[3:].strip(), "checks": []})
        else:
            if not cur["steps"]:
                cur["steps"].append({"args": None, "checks": []})
            key, _, val = line.partition(":")
            cur["steps"][-1]["checks"].append((key.strip(), val.strip(), f"{path}:{i}"))
    return cases


def run_case(svp, case, cases_dir):
    problems = []
    with tempfile.TemporaryDirectory(prefix="svp-case-") as d:
        for name, body in case["files"]:
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(body)
        snapshots = {}
        env = dict(os.environ, SVP_DB="svp.db", SVP=os.path.abspath(svp),
                   CASES=os.path.abspath(cases_dir))
        for step in case["steps"]:
            for key, val, where in step["checks"]:
                if key == "file-unchanged":
                    p = os.path.join(d, val)
                    snapshots[val] = open(p, "rb").read() if os.path.exists(p) else None
        for step in case["steps"]:
            res = None
            if step.get("sh"):
                sh = subprocess.run(step["sh"], shell=True, cwd=d, env=env, capture_output=True)
                # A sh step may expect a failure with `exit: N` (e.g. svp fed bad input).
                sh_want = [int(v) for k, v, _ in step["checks"] if k == "exit"]
                if sh_want and step["args"] is None:
                    if sh.returncode != sh_want[0]:
                        problems.append(f"`{step['sh']}` exited {sh.returncode}, want {sh_want[0]}")
                    continue
                if sh.returncode != 0:
                    problems.append(f"setup `{step['sh']}` failed: {sh.stderr[:300]!r}")
            if step["args"] is not None:
                args = shlex.split(step["args"].replace("${DIR}", d))
                res = subprocess.run([svp] + args, cwd=d, env=env, capture_output=True,
                                     timeout=300)
            want_exit = 0
            for key, val, where in step["checks"]:
                val = val.replace("${DIR}", d)
                out = res.stdout.decode("utf-8", "replace") if res else ""
                err = res.stderr.decode("utf-8", "replace") if res else ""
                bad = None
                if key == "exit":
                    want_exit = int(val)
                elif key == "stdout":
                    bad = out != val + "\n" and f"stdout was {out!r}, want {val!r}"
                elif key == "stdout-contains":
                    bad = val not in out and f"stdout lacks {val!r}: {out[:500]!r}"
                elif key == "stdout-lacks":
                    bad = val in out and f"stdout contains {val!r}"
                elif key == "stderr-contains":
                    bad = val not in err and f"stderr lacks {val!r}: {err[:500]!r}"
                elif key == "stderr-empty":
                    bad = err != "" and f"stderr not empty: {err[:500]!r}"
                elif key == "error-line":
                    bad = (err.count("\n") != 1 or not err.endswith("\n")) and \
                        f"stderr is not one line: {err!r}"
                elif key == "file-unchanged":
                    p = os.path.join(d, val)
                    now = open(p, "rb").read() if os.path.exists(p) else None
                    bad = now != snapshots.get(val) and f"{val} changed"
                elif key == "file-absent":
                    bad = os.path.exists(os.path.join(d, val)) and f"{val} exists"
                else:
                    bad = f"unknown check '{key}'"
                if bad:
                    problems.append(f"{where}: {bad}")
            if res is not None and res.returncode != want_exit:
                problems.append(f"`svp {step['args']}` exited {res.returncode}, want {want_exit};"
                                f" stderr: {res.stderr.decode('utf-8', 'replace')[:300]!r}")
    return problems


def main():
    svp, cases_dir = sys.argv[1], sys.argv[2]
    cases = []
    for name in sorted(os.listdir(cases_dir)):
        if name.endswith(".test"):
            cases += parse(os.path.join(cases_dir, name))
    print(f"1..{len(cases)}")
    failed = 0
    for n, case in enumerate(cases, 1):
        problems = run_case(svp, case, cases_dir)
        if problems:
            failed += 1
            print(f"not ok {n} - {case['name']} ({case['where']})")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {n} - {case['name']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
