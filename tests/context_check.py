#!/usr/bin/env python3
"""Checks the contexts room's statistics against independent computations (TAP):
Getis-Ord Gi* against a plain-Python implementation of the textbook formula on a random
clustered grid, and communities against networkx (modularity of our partition computed by
networkx, networkx's own Louvain, and recovery of a planted partition).
usage: context_check.py CONTEXT_TOOL"""
import math
import random
import subprocess
import sys

tool = sys.argv[1]
results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def run(mode, text):
    p = subprocess.run([tool, mode], input=text, capture_output=True, text=True, check=True)
    return p.stdout.split("\n")


# --- Gi* on a 15 x 12 grid with two planted clusters, queen neighbourhood with self
rng = random.Random(7)
cols, rows = 15, 12
x = []
for r in range(rows):
    for c in range(cols):
        lam = 0.4 + (6 if abs(c - 4) <= 1 and abs(r - 3) <= 1 else 0) + (3 if (c, r) == (11, 9) else 0)
        # Poisson by inversion
        L, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= L:
                break
            k += 1
        x.append(float(k))
nbs = []
for r in range(rows):
    for c in range(cols):
        nbs.append([rr * cols + cc for rr in range(r - 1, r + 2) for cc in range(c - 1, c + 2)
                    if 0 <= rr < rows and 0 <= cc < cols])
n = len(x)
mean = sum(x) / n
s = math.sqrt(sum(v * v for v in x) / n - mean * mean)
expect = []
for i in range(n):
    w = len(nbs[i])
    num = sum(x[j] for j in nbs[i]) - mean * w
    den = s * math.sqrt((n * w - w * w) / (n - 1))
    expect.append(num / den)
text = f"{n}\n" + "".join(f"{x[i]} {len(nbs[i])} {' '.join(map(str, nbs[i]))}\n" for i in range(n))
got = [float(v) for v in run("gistar", text) if v]
diff = max(abs(a - b) for a, b in zip(got, expect)) if len(got) == n else float("inf")
check(diff < 1e-9, "Gi* matches an independent computation on a 15x12 grid", f"max diff {diff}")
hot = max(range(n), key=lambda i: got[i])
check(abs(hot % cols - 4) <= 1 and abs(hot // cols - 3) <= 1,
      "the hottest cell is in the planted cluster", f"cell {hot % cols},{hot // cols}")

# --- hand-worked line of four: x = 0 0 0 4, neighbours self and adjacent
got = [float(v) for v in run("gistar", "4\n0 2 0 1\n0 3 0 1 2\n0 3 1 2 3\n4 2 2 3\n") if v]
want = [-1.0, -math.sqrt(3), 1 / math.sqrt(3), 1.0]
check(max(abs(a - b) for a, b in zip(got, want)) < 1e-12, "Gi* hand-worked line of four", str(got))

# --- communities: planted partition, 4 groups of 10
try:
    import networkx as nx
    from networkx.algorithms import community as nxc
except ImportError:
    nx = None
if nx is None:
    check(True, "# SKIP networkx not installed")
else:
    rng = random.Random(11)
    truth = [i // 10 for i in range(40)]
    edges = []
    for i in range(40):
        for j in range(i + 1, 40):
            pr = 0.5 if truth[i] == truth[j] else 0.02
            if rng.random() < pr:
                edges.append((i, j, 1.0 + rng.random()))
    text = f"40 {len(edges)}\n" + "".join(f"{a} {b} {w}\n" for a, b, w in edges)
    out = run("communities", text)
    memb = [int(v) for v in out[:40]]
    q = float(out[40].split()[1])
    G = nx.Graph()
    G.add_nodes_from(range(40))
    G.add_weighted_edges_from(edges)
    parts = {}
    for i, c in enumerate(memb):
        parts.setdefault(c, set()).add(i)
    q_nx = nxc.modularity(G, parts.values(), weight="weight")
    check(abs(q - q_nx) < 1e-9, "igraph's modularity equals networkx's for our partition",
          f"{q} vs {q_nx}")
    louv = nxc.louvain_communities(G, weight="weight", seed=3)
    q_louv = nxc.modularity(G, louv, weight="weight")
    check(q >= q_louv - 0.02, "our partition is as good as networkx's Louvain", f"{q} vs {q_louv}")

    def nmi(a, b):
        N = len(a)
        from collections import Counter
        ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))
        mi = sum(v / N * math.log((v / N) / (ca[i] / N * cb[j] / N)) for (i, j), v in cab.items())
        ha = -sum(v / N * math.log(v / N) for v in ca.values())
        hb = -sum(v / N * math.log(v / N) for v in cb.values())
        return mi / math.sqrt(ha * hb) if ha > 0 and hb > 0 else 1.0
    score = nmi(memb, truth)
    check(score > 0.9, "planted partition recovered (NMI > 0.9)", f"NMI {score:.3f}")
    # isolated nodes and no edges
    out = run("communities", "3 0\n")
    check(out[:3] == ["0", "1", "2"] and out[3] == "modularity 0",
          "a graph with no edges: each node on its own, modularity 0", str(out))

print(f"1..{len(results)}")
for i, (ok, name, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if detail:
        print(f"# {detail}")
sys.exit(0 if all(r[0] for r in results) else 1)
