#!/usr/bin/env python3
"""A historical-style linkage test set with truth, written for svp's link benchmarks.

Records of people born 1820-1905, several records each, corrupted the way parish, census and
court records are: clerks' abbreviations and Latin forms of given names (Wm, Thos, Gulielmus),
diminutives, titles and honorifics inside name fields (Sir, Rev, Bart, 9th), initials, the
middle name used as the given name, misspelt and phonetically respelt family names, missing
dates of birth, day and month transposed, a year from a stated age (one off), addresses and
postcodes often missing. Households hold siblings (same family name and address, other dates
of birth) and twins (same date of birth), which a linker must keep apart.

Every given-name variant this script makes is checked against svp's own lists
(data/nicknames.csv and data/names-variants.csv) and dropped if either list knows it, so the
set tests what the model learns, not what the list says.

usage: link_historic.py OUT.csv [--people N] [--seed S] [--names DIR] [--svp-data DIR]
Columns: id,given,family,dob,sex,postcode,address,truth (truth: read only by the scorer).
"""
import argparse
import csv
import os
import random

# Clerks' abbreviations and Latin forms found in English parish and census records
# (hand-written here; each is a real usage, not drawn from svp's lists).
ABBREV = {
    "william": ["wm", "willm", "gulielmus", "wim"],
    "thomas": ["thos", "thoms", "thomasin"],
    "charles": ["chas", "carolus", "chs"],
    "george": ["geo", "georgius", "geoe"],
    "james": ["jas", "jacobus", "jms"],
    "john": ["jno", "johannes", "johes"],
    "robert": ["robt", "robertus", "rob t"],
    "samuel": ["saml", "samuell"],
    "benjamin": ["benj", "benjn", "benjamen"],
    "joseph": ["jos", "josephus", "josh"],
    "richard": ["richd", "ricardus", "ricd"],
    "edward": ["edwd", "edvardus", "edw"],
    "henry": ["henrie", "henricus", "hen"],
    "frederick": ["fredk", "fredrick", "fredc"],
    "alexander": ["alexr", "alexandr"],
    "elizabeth": ["eliz", "elizth", "elisabetha", "betsey"],
    "margaret": ["margt", "margareta", "megan"],
    "mary": ["maria", "marie", "mry"],
    "catherine": ["cathne", "katharina", "cath", "kathrine"],
    "ann": ["anne", "anna", "hannah"],
    "sarah": ["sara", "sarai", "sally"],
    "jane": ["jean", "jayne", "joan"],
    "hannah": ["hanah", "johanna"],
    "susannah": ["susanna", "susan", "sukey"],
    "martha": ["matha", "marthae"],
    "isabella": ["isabel", "isobel", "ibbot"],
    "christopher": ["xpher", "christr", "kit"],
    "matthew": ["mattw", "mathew", "matthaeus"],
    "nicholas": ["nichs", "nicolaus"],
    "daniel": ["danl", "daniell"],
    "nathaniel": ["nathl", "nathan"],
    "jonathan": ["jonn", "jonathon"],
    "abraham": ["abram", "abm"],
    "isaac": ["isaack", "izaak"],
}
TITLES_BEFORE = ["sir", "rev", "revd", "mr", "mrs", "miss", "dr", "capt", "lady", "dame", "col"]
TITLES_AFTER = ["bart", "baronet", "esq", "jr", "senior", "9th", "2nd", "3rd"]
STREETS = ["church", "mill", "high", "chapel", "back", "well", "king", "queen", "market", "bridge",
           "water", "station", "park", "green", "north", "south", "new", "old", "union", "cross"]
KINDS = ["street", "lane", "row", "road", "yard", "court", "terrace", "place"]
TOWNS = ["halifax", "bradford", "leeds", "wakefield", "dewsbury", "batley", "otley", "ilkley",
         "keighley", "bingley", "skipton", "selby", "tadcaster", "wetherby", "pontefract",
         "castleford", "huddersfield", "barnsley", "rotherham", "doncaster"]


def read_weighted(path, col_name, col_weight=None):
    names, weights = [], []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            n = r[col_name].strip()
            if not n or not n.isalpha():
                continue
            names.append(n.lower())
            weights.append(float(r[col_weight]) if col_weight else 1.0)
    return names, weights


def svp_known(data_dir):
    """Pairs of given names svp's lists hold as the same name (either order)."""
    groups = {}
    with open(os.path.join(data_dir, "nicknames.csv"), newline="") as f:
        for r in csv.DictReader(f):
            groups.setdefault(r["name"].lower(), set()).add(r["nickname"].lower())
    with open(os.path.join(data_dir, "names-variants.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "given":
                groups.setdefault(r["name"].lower(), set()).add(r["variant"].lower())
    member = {}
    for formal, nicks in groups.items():
        for x in nicks | {formal}:
            member.setdefault(x, set()).add(formal)
    return member


def known_pair(member, a, b):
    return bool(member.get(a, set()) & member.get(b, set()))


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.randrange(4)
    if k == 0:
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if k == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k == 2:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def respell(rng, s):
    """A phonetic respelling of a family name as a clerk might hear it."""
    rules = [("y", "i"), ("i", "y"), ("ck", "k"), ("ph", "f"), ("son", "sen"), ("ll", "l"),
             ("tt", "t"), ("ie", "y"), ("ey", "y"), ("ou", "ow"), ("c", "k"), ("ea", "ee")]
    rng.shuffle(rules)
    for a, b in rules:
        if a in s[1:]:
            i = s.index(a, 1)
            return s[:i] + b + s[i + len(a):]
    return s + "e" if not s.endswith("e") else s[:-1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1851)
    ap.add_argument("--names", default=os.path.join(here, "..", "..", "..", "shared", "data",
                                                    "names"))
    ap.add_argument("--svp-data", default=os.path.join(here, "..", "data"))
    a = ap.parse_args()
    if not os.path.isdir(a.names):
        a.names = "/work/shared/data/names"
    rng = random.Random(a.seed)
    member = svp_known(a.svp_data)
    given = {"F": ([], []), "M": ([], [])}
    with open(os.path.join(a.names, "given-names-historic.csv"), newline="") as f:
        for r in csv.DictReader(f):
            n = r["name"].strip().lower()
            if n.isalpha():
                given[r["sex"]][0].append(n)
                given[r["sex"]][1].append(1.0 / float(r["rank"]))
    fam, famw = read_weighted(os.path.join(a.names, "surnames.csv"), "name", "count")
    # variants svp's lists already know are dropped: they would test the list, not the model
    variants = {k: [v for v in vs if not known_pair(member, k, v)] for k, vs in ABBREV.items()}

    def variant(rng, g):
        vs = variants.get(g)
        if vs:
            return rng.choice(vs)
        # a diminutive made by a clerk's hand: first syllable plus -y or -ie, or cut short
        cut = g[:max(3, len(g) // 2)]
        for v in (cut + "y", cut + "ie", cut):
            if v != g and not known_pair(member, g, v):
                return v
        return typo(rng, g)

    people = []
    pid = 0
    while len(people) < a.people:
        # a household: one family name, one address, 1-4 children, sometimes twins
        family = rng.choices(fam, famw)[0]
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)} {rng.choice(KINDS)}"
        town = rng.choice(TOWNS)
        pc = f"{town[:2].upper()}{rng.randint(1, 30)} {rng.randint(1, 9)}" \
             f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        base_year = rng.randint(1820, 1900)
        kids = rng.choice([1, 1, 2, 2, 3, 4])
        twins = rng.random() < 0.06
        prev_dob = None
        for k in range(kids):
            sex = rng.choice("FM")
            while True:
                g = rng.choices(*given[sex])[0]
                if not any(p["given"] == g and p["family"] == family for p in people[-4:]):
                    break
            mid = rng.choices(*given[sex])[0] if rng.random() < 0.3 else ""
            if twins and k == 1 and prev_dob:
                dob = prev_dob
            else:
                y = min(1905, base_year + 2 * k + rng.randint(0, 1))
                dob = (y, rng.randint(1, 12), rng.randint(1, 28))
            prev_dob = dob
            pid += 1
            people.append(dict(id=pid, given=g, middle=mid, family=family, sex=sex, dob=dob,
                               street=street, town=town, pc=pc))
    rows = []
    for p in people:
        nrec = rng.choice([1, 2, 2, 3, 3, 4, 5])
        for _ in range(nrec):
            g, fam_name = p["given"], p["family"]
            r = rng.random()
            if r < 0.22:
                g = variant(rng, g)
            elif r < 0.32:
                g = g[0]
            elif r < 0.40:
                g = typo(rng, g)
            elif r < 0.45 and p["middle"]:
                g = p["middle"]  # known by the middle name
            if p["middle"] and rng.random() < 0.3 and len(g) > 1:
                g = g + " " + (p["middle"] if rng.random() < 0.5 else p["middle"][0])
            if rng.random() < 0.10:
                g = rng.choice(TITLES_BEFORE) + " " + g
            r = rng.random()
            if r < 0.10:
                fam_name = typo(rng, fam_name)
            elif r < 0.18:
                fam_name = respell(rng, fam_name)
            if rng.random() < 0.05:
                fam_name = fam_name + " " + rng.choice(TITLES_AFTER)
            y, m, d = p["dob"]
            r = rng.random()
            if r < 0.25:
                dob = ""
            else:
                if r < 0.33 and d <= 12:
                    m, d = d, m
                elif r < 0.38:
                    y += rng.choice([-1, 1])
                elif r < 0.42:
                    d = min(28, max(1, d + rng.choice([-10, 10, -1, 1])))
                dob = f"{y:04d}-{m:02d}-{d:02d}"
            addr = f"{p['street']} {p['town']}" if rng.random() < 0.6 else ""
            if addr and rng.random() < 0.2:
                addr = typo(rng, addr)
            pc = p["pc"] if rng.random() < 0.4 else ""
            sex = p["sex"] if rng.random() < 0.9 else ""
            rows.append([g, fam_name, dob, sex, pc, addr, p["id"]])
    rng.shuffle(rows)
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "given", "family", "dob", "sex", "postcode", "address", "truth"])
        for k, r in enumerate(rows):
            w.writerow([f"h{k + 1}"] + r)


if __name__ == "__main__":
    main()
