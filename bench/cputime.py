#!/usr/bin/env python3
"""Median CPU and wall time of N runs of one command (its output discarded), for figures on a
shared machine where wall time follows the load and CPU time is the steadier figure.

    python3 bench/cputime.py N COMMAND [ARGS...]
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: bench/cputime.py N COMMAND [ARGS...]")
    n, cmd = int(sys.argv[1]), sys.argv[2:]
    cpu, wall = [], []
    for _ in range(n):
        t = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(proc.pid, 0)
        if status:
            sys.exit(f"{cmd[0]} failed (status {status})")
        wall.append(time.time() - t)
        cpu.append(ru.ru_utime + ru.ru_stime)
    print(f"{statistics.median(cpu):.2f} s CPU, {statistics.median(wall):.2f} s wall "
          f"(median of {n}; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
