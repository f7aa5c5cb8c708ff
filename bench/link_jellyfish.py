#!/usr/bin/python3
"""Writes name-like string pairs (fixed seed) to PAIRS, or with --time, times Debian's
python3-jellyfish on them: Jaro-Winkler and Damerau-Levenshtein pairs per second, call
overhead included (the way a Python pipeline would call it)."""
import random
import sys
import time
import warnings

warnings.simplefilter("ignore")

if sys.argv[1] == "--time":
    import jellyfish  # noqa: E402

    pairs = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
    t0 = time.process_time()
    for a, b in pairs:
        jellyfish.jaro_winkler_similarity(a, b)
    t1 = time.process_time()
    for a, b in pairs:
        jellyfish.damerau_levenshtein_distance(a, b)
    t2 = time.process_time()
    print(f"jellyfish jaro_winkler {len(pairs) / (t1 - t0):.0f} pairs/s (CPU time)")
    print(f"jellyfish damerau_levenshtein {len(pairs) / (t2 - t1):.0f} pairs/s (CPU time)")
    sys.exit(0)

rng = random.Random(1)
names = [line.split(",")[0] for line in open(sys.argv[2]).read().split("\n")[1:] if line]
names = [n.lower() for n in names if n.isalpha()]
with open(sys.argv[1], "w") as out:
    for _ in range(200000):
        a = rng.choice(names)
        b = rng.choice(names) if rng.random() < 0.5 else a[: len(a) // 2] + rng.choice(names)[: 4]
        out.write(f"{a}\t{b}\n")
