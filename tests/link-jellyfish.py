#!/usr/bin/python3
"""Differential test: svp's Jaro-Winkler and Damerau-Levenshtein against Debian's
python3-jellyfish on many random name-like pairs (fixed seed). Prints TAP.

OSA (the bit-parallel distance) must equal unrestricted Damerau-Levenshtein except where an
edited substring is edited again, so OSA >= DL always and the two agree on most pairs."""
import random
import subprocess
import sys

import warnings

warnings.simplefilter("ignore")
import jellyfish  # noqa: E402

helper = sys.argv[1]
rng = random.Random(20261121)
alpha = "abcdefghijklmnopqrstuvwxyz"
names = ["martha", "marhta", "dwayne", "duane", "dixon", "dicksonx", "jones", "johnson",
         "mcdonald", "macdonald", "oconnor", "siobhan", "aaliyah", "mohammed", "muhammad"]


def mutate(s):
    s = list(s)
    for _ in range(rng.randint(0, 3)):
        op = rng.randint(0, 3)
        i = rng.randint(0, max(0, len(s) - 1))
        if op == 0 and s:
            s[i] = rng.choice(alpha)
        elif op == 1:
            s.insert(i, rng.choice(alpha))
        elif op == 2 and len(s) > 1:
            del s[i]
        elif op == 3 and len(s) > 1 and i + 1 < len(s):
            s[i], s[i + 1] = s[i + 1], s[i]
    return "".join(s)


pairs = []
for _ in range(20000):
    if rng.random() < 0.3:
        a = rng.choice(names)
    else:
        a = "".join(rng.choice(alpha[: rng.randint(3, 26)]) for _ in range(rng.randint(1, 14)))
    b = mutate(a) if rng.random() < 0.7 else "".join(
        rng.choice(alpha) for _ in range(rng.randint(1, 14)))
    pairs.append((a, b))
# long strings take the general paths (over 64 bytes)
for _ in range(200):
    a = "".join(rng.choice(alpha[:6]) for _ in range(rng.randint(60, 90)))
    pairs.append((a, mutate(a)))
pairs += [("", "abc"), ("abc", ""), ("a", "a"), ("ca", "abc")]

out = subprocess.run([helper], input="".join(f"{a}\t{b}\n" for a, b in pairs),
                     capture_output=True, text=True, check=True).stdout.split("\n")
bad_jw = bad_dl = osa_less = osa_diff = 0
first = []
for (a, b), line in zip(pairs, out):
    jw, dl, osa = line.split("\t")
    jw, dl, osa = float(jw), int(dl), int(osa)
    want_jw = jellyfish.jaro_winkler_similarity(a, b) if a and b else 0.0
    want_dl = jellyfish.damerau_levenshtein_distance(a, b)
    if abs(jw - want_jw) > 1e-9:
        bad_jw += 1
        first.append(f"jw {a!r} {b!r}: {jw} vs {want_jw}")
    if dl != want_dl:
        bad_dl += 1
        first.append(f"dl {a!r} {b!r}: {dl} vs {want_dl}")
    if osa < want_dl:
        osa_less += 1
        first.append(f"osa {a!r} {b!r}: {osa} < {want_dl}")
    osa_diff += osa != want_dl

print("1..3")
for f in first[:10]:
    print("# " + f)
print(("ok" if not bad_jw else "not ok") + f" 1 - Jaro-Winkler equals jellyfish on {len(pairs)} pairs ({bad_jw} differ)")
print(("ok" if not bad_dl else "not ok") + f" 2 - Damerau-Levenshtein equals jellyfish on {len(pairs)} pairs ({bad_dl} differ)")
print(("ok" if not osa_less and osa_diff * 20 < len(pairs) else "not ok") +
      f" 3 - OSA never below Damerau-Levenshtein, differs on {osa_diff} of {len(pairs)} pairs")
