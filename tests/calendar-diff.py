#!/usr/bin/python3
"""Differential test of svp's working-day calendar against Debian's python3-workalendar.

Thousands of random dates (fixed seed, so a failure can be replayed) between 2012 and 2027:
svp's add_working_days and working_days_between (through tests/calendar_batch.c) must agree
with workalendar's UnitedKingdom calendar, given the one holiday it lacks: the Coronation of
King Charles III on 8 May 2023. Prints TAP, one point per operation and year.

usage: calendar-diff.py CALENDAR_BATCH [N]
"""
import datetime
import random
import subprocess
import sys

from workalendar.europe import UnitedKingdom

CORONATION = [datetime.date(2023, 5, 8)]


def main():
    batch = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rnd = random.Random(20230508)
    first, last = datetime.date(2012, 3, 1), datetime.date(2027, 10, 31)
    span = (last - first).days
    queries = []
    for _ in range(n):
        a = first + datetime.timedelta(days=rnd.randrange(span))
        queries.append(("add", a, rnd.randint(-45, 45)))
        b = a + datetime.timedelta(days=rnd.randint(-90, 90))
        b = min(max(b, datetime.date(2012, 1, 1)), datetime.date(2027, 12, 31))
        queries.append(("between", a, b))
    text = "".join(f"{op} {a.isoformat()} {x if op == 'add' else x.isoformat()}\n"
                   for op, a, x in queries)
    out = subprocess.run([batch], input=text, capture_output=True, text=True, check=True)
    answers = out.stdout.splitlines()
    if len(answers) != len(queries):
        print("1..1\nnot ok 1 - calendar_batch gave %d answers for %d questions"
              % (len(answers), len(queries)))
        return 1
    cal = UnitedKingdom()
    groups = {}
    for (op, a, x), got in zip(queries, answers):
        if op == "add":
            want = cal.add_working_days(a, x, extra_holidays=CORONATION).isoformat()
        else:
            k = cal.get_working_days_delta(a, x, extra_holidays=CORONATION)
            want = str(k if x >= a else -k)
        g = groups.setdefault((op, a.year), [0, []])
        g[0] += 1
        if got != want:
            g[1].append(f"{op} {a} {x}: svp {got}, workalendar {want}")
    keys = sorted(groups)
    print(f"1..{len(keys)}")
    failed = 0
    for i, key in enumerate(keys, 1):
        count, bad = groups[key]
        if bad:
            failed += 1
            print(f"not ok {i} - {key[0]} from {key[1]}: {len(bad)} of {count} disagree")
            for b in bad[:5]:
                print(f"# {b}")
        else:
            print(f"ok {i} - {key[0]} from {key[1]}: {count} agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
