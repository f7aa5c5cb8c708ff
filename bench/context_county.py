#!/usr/bin/env python3
"""A planted county svp did not write, for bench/context.sh beside synth's: writes persons,
places, events and relationships straight into a migrated SQLite database (no svp synth, no
import profiles, its own model of a county), a postcode lookup (DIR/postcodes.csv,
DIR/areas.csv) for `svp context postcodes import`, and the truth in the layout of synth's
DIR/truth/ (hotspots.csv, groups.csv, group_members.csv, adults.csv, decoys.csv). Only the
benchmark reads truth. Its traps are its own (issue 15): brothers and sisters of group
children at the family home in occurrences with the group's adult (SIBLING), children in
residential care missing again and again alone, found at the placement or with a parent
(CARE_MISSING), abusers whose domestic abuse occurrences take in the children of two
households (DA_HOUSEHOLD), and a street of late-night pubs among adults (NIGHT).

usage: context_county.py DB DIR [--seed N] [--children N]"""
import argparse
import json
import math
import os
import random
import sqlite3
from datetime import datetime, timedelta

ap = argparse.ArgumentParser()
ap.add_argument("db")
ap.add_argument("dir")
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--children", type=int, default=4000)
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(os.path.join(a.dir, "truth"), exist_ok=True)
db = sqlite3.connect(a.db)
START, END = datetime(2024, 1, 1), datetime(2026, 10, 31)
SPAN = (END - START).total_seconds()

# --- geography: 18 areas on a 6 x 3 layout about 5 km apart, 20 postcodes each
areas = []
for i in range(18):
    lat = 52.20 + (i // 6) * 0.045
    lon = -1.45 + (i % 6) * 0.073
    areas.append((f"CA{i + 1:02d}", f"Area {i + 1:02d}", lat, lon))
postcodes = []  # (pc, lat, lon, area_code)
letters = "ABDEFGHJLNPQRSTUWXYZ"
for k, (code, name, lat, lon) in enumerate(areas):
    for j in range(20):
        pc = f"SV{k + 1} {j % 10}{letters[j]}{letters[(j * 7 + k) % 20]}"
        postcodes.append((pc, lat + rng.uniform(-0.012, 0.012), lon + rng.uniform(-0.02, 0.02), code))
towns = [("ZX1 1AA", 51.530, -0.123, "Kings Cross"), ("ZY1 2AB", 52.479, -1.903, "Digbeth"),
         ("ZW1 3AD", 53.478, -2.243, "Piccadilly")]
for pc, lat, lon, _ in towns:
    postcodes.append((pc, lat, lon, "OUT"))
with open(os.path.join(a.dir, "areas.csv"), "w") as f:
    f.write("area_code,name,lat,lon\n")
    for code, name, lat, lon in areas:
        f.write(f"{code},{name},{lat:.5f},{lon:.5f}\n")
with open(os.path.join(a.dir, "postcodes.csv"), "w") as f:
    f.write("postcode,lat,lon,area_code\n")
    for pc, lat, lon, code in postcodes:
        f.write(f"{pc},{lat:.5f},{lon:.5f},{code}\n")
area_name = {c: n for c, n, _, _ in areas}
pcs_by_area = {}
for p in postcodes:
    pcs_by_area.setdefault(p[3], []).append(p)

# --- places: 15 per area; half give coordinates, half only a postcode; towns outside
places = []  # (id, name, pc, lat, lon, area_code)
kinds = ["Park", "Car Park", "Station", "Shop", "Takeaway", "Play Area", "Bus Stop", "Hotel",
         "Chip Shop", "Leisure Centre", "Library", "Arcade", "Underpass", "Retail Park", "Pub"]
cur = db.cursor()
for code, name, _, _ in areas:
    for j, kind in enumerate(kinds):
        pc, lat, lon, _ = rng.choice(pcs_by_area[code])
        lat += rng.uniform(-0.001, 0.001)
        lon += rng.uniform(-0.0015, 0.0015)
        pname = f"{name} {kind}"
        with_coords = rng.random() < 0.5
        cur.execute("INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1)",
                    (pname.lower() + "|" + pc.lower(), pname, pc, lat if with_coords else None,
                     lon if with_coords else None, name if rng.random() < 0.8 else None))
        places.append((cur.lastrowid, pname, pc, lat, lon, code))
for j in range(5):  # places with no location at all
    cur.execute("INSERT INTO place (place_key, name) VALUES (?, ?)", (f"unknown {j}|", f"Unknown {j}"))
town_place = {}
for pc, lat, lon, tname in towns:
    cur.execute("INSERT INTO place (place_key, name, postcode, in_county) VALUES (?, ?, ?, 0)",
                (tname.lower() + "|" + pc.lower(), tname, pc))
    town_place[tname] = (cur.lastrowid, tname, pc, lat, lon, "OUT")
places_by_area = {}
for p in places:
    places_by_area.setdefault(p[5], []).append(p)

# --- persons: households of children and parents
children, adults = [], []  # (record id, person id, area_code)
hh = 0
def add_record(pid, role, code, addr, pc):
    age = rng.randint(9, 17) if role == "child" else rng.randint(19, 55)
    dob = (END - timedelta(days=365.25 * age + rng.uniform(0, 364))).strftime("%Y-%m-%d")
    cur.execute("INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
                "dob, role, area, address, postcode) "
                "VALUES ('police', 'police', ?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, "Given" + pid[-4:], "Family" + pid[-5:], dob, role, area_name[code], addr,
                 pc))
    return cur.lastrowid
nc = na = 0
household = {}  # child's person id -> (the household's children, its parents, its home)
parents_of_hh = []
while nc < a.children:
    code = rng.choice(areas)[0]
    pc = rng.choice(pcs_by_area[code])[0]
    addr = f"{rng.randint(1, 200)} Street {hh}"
    hh += 1
    kids = []
    home_of_hh = (addr, pc, code)
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        nc += 1
        pid = f"C{nc:08d}"
        kids.append((add_record(pid, "child", code, addr, pc), pid, code))
    for _ in range(rng.choice([1, 2])):
        na += 1
        pid = f"A{na:08d}"
        rid = add_record(pid, "adult", code, addr, pc)
        adults.append((rid, pid, code))
        parents_of_hh.append((rid, pid, code))
        for k in kids:
            cur.execute("INSERT INTO relationship (source, agency, kind, record_a, record_b) "
                        "VALUES ('csc', 'csc', 'parent', ?, ?)", (rid, k[0]))
    children += kids
    for k in kids:
        household[k[1]] = (kids, parents_of_hh, home_of_hh)
    parents_of_hh = []

ev_n = 0
def when(lo=START, hi=END):
    return lo + timedelta(seconds=rng.uniform(0, (hi - lo).total_seconds()))
def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
def event(rec, typ, t, place, detail=None, subtype=None):
    global ev_n
    ev_n += 1
    cur.execute("INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
                "started_at, place_id, detail) VALUES ('police', 'police', ?, ?, ?, ?, ?, ?, ?)",
                (f"E{ev_n}", rec, typ, subtype, iso(t), place, detail))
    return cur.lastrowid
def rel(kind, r1, r2, ev=None):
    cur.execute("INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) "
                "VALUES ('police', 'police', ?, ?, ?, ?)", (kind, r1, r2, ev))
def missing(child, t, found=None, ooc=False, hours=None):
    # as ingest records it (docs/model.md): the event's place is where the child was found
    ret = t + timedelta(hours=hours if hours is not None else rng.uniform(2, 40))
    d = {"returned_at": iso(ret)}
    if found:
        d["found_place"] = found[1]
    if ooc:
        d["found_out_of_county"] = 1
    return event(child[0], "missing_episode", t, found[0] if found else None, json.dumps(d),
                 "missing")

# --- background: missing episodes (about 1400 a year, repeat children), police incidents
frequent = rng.sample(children, len(children) // 6)
for _ in range(int(1400 * SPAN / 3.15e7)):
    c = rng.choice(frequent)
    found = rng.choice(places_by_area[rng.choice(areas)[0]]) if rng.random() < 0.3 else None
    missing(c, when(), found)
for _ in range(int(2500 * SPAN / 3.15e7)):
    p = rng.choice(places)
    who = rng.choice(children) if rng.random() < 0.4 else rng.choice(adults)
    typ = rng.choice(["crime", "crime", "stop_search", "intelligence", "incident"])
    ev_ref = f'{{"occurrence_ref": "OCC/{ev_n}"}}'
    event(who[0], typ, when(), p[0], ev_ref, "suspect" if typ == "crime" else None)
# noise links: children recorded as associates, adults with one child
for _ in range(300):
    x, y = rng.sample(children, 2)
    rel("associate", x[0], y[0])
for _ in range(150):
    rel("associate", rng.choice(adults)[0], rng.choice(children)[0])

# --- planted groups: children and their adults around a meeting place; three are county
# lines groups whose children are found in a town outside the county
truth = {"groups": [], "members": [], "adults": [], "hotspots": []}
used = set()
group_areas = rng.sample([c for c, _, _, _ in areas], 8)
route_towns = list(town_place.values())
for g, code in enumerate(group_areas):
    gid = f"G{g + 1:03d}"
    spot = rng.choice(places_by_area[code])
    cl = g < 3
    route = route_towns[g] if cl else None
    pool = [c for c in children if c[2] == code and c[1] not in used]
    kids = rng.sample(pool, rng.randint(4, 7))
    grown = rng.sample([x for x in adults if x[1] not in used], rng.randint(1, 2))
    used.update(k[1] for k in kids + grown)
    truth["groups"].append((gid, "COUNTY_LINES" if cl else rng.choice(["CSE", "CCE"]), code,
                            f"PL{spot[0]}", f"PL{route[0]}" if route else ""))
    truth["hotspots"].append((f"PL{spot[0]}", spot[1], code, spot[2], spot[3], spot[4], "GROUP"))
    if route:
        truth["hotspots"].append((f"PL{route[0]}", route[1], "OUT", route[2], route[3], route[4], "ROUTE"))
    for k in kids:
        truth["members"].append((gid, k[1], "CHILD"))
    for x in grown:
        truth["members"].append((gid, x[1], "ADULT"))
        truth["adults"].append((x[1], gid, rng.choice(["ORGANISER", "RECRUITER"])))
    lo = END - timedelta(days=330)
    for _ in range(14):  # episodes: two to four children missing together from the spot
        t = when(lo)
        sub = rng.sample(kids, rng.randint(2, min(4, len(kids))))
        ids = []
        for k in sub:
            dt = t + timedelta(minutes=rng.uniform(0, 240))
            if cl and rng.random() < 0.6:
                ids.append((k, missing(k, dt, route, True)))
            else:
                ids.append((k, missing(k, dt, spot)))
        for (k1, e1) in ids:
            for (k2, _) in ids:
                if k1 != k2:
                    rel("found_with", k1[0], k2[0], e1)
    for _ in range(10):  # incidents at the spot: an adult with one or two children
        t = when(lo)
        x = rng.choice(grown)
        sub = rng.sample(kids, rng.randint(1, 2))
        ref = f"OCC/G{g}/{ev_n}"
        event(x[0], "crime", t, spot[0], json.dumps({"occurrence_ref": ref}), "suspect")
        for k in sub:
            event(k[0], "crime", t, spot[0],
                  json.dumps({"occurrence_ref": ref, "exploitation": ["cce"]}), "victim")
    for x in grown:  # intelligence names the adult with several children
        for k in rng.sample(kids, min(len(kids), 3)):
            rel("associate", x[0], k[0])
# incident clusters without a group
for code in rng.sample([c for c, _, _, _ in areas if c not in group_areas], 2):
    spot = rng.choice(places_by_area[code])
    truth["hotspots"].append((f"PL{spot[0]}", spot[1], code, spot[2], spot[3], spot[4], "INCIDENT"))
    for _ in range(45):
        who = rng.choice(adults + children)
        event(who[0], "crime", when(END - timedelta(days=300)), spot[0], None, "suspect")

# --- traps (issue 15), each with its truth in decoys.csv; drawn after everything above so
# the groups are as they would be without them
decoys = []  # (person id, kind)
def home_place(home):
    addr, pc, code = home
    cur.execute("INSERT INTO place (place_key, name, postcode, in_county) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (place_key) DO NOTHING", (addr.lower() + "|" + pc.lower(), addr, pc))
    return cur.execute("SELECT id FROM place WHERE place_key = ?",
                       (addr.lower() + "|" + pc.lower(),)).fetchone()[0]
members_of = {}
for gid, pid, role in truth["members"]:
    members_of.setdefault(gid, []).append(pid)
rec_of = {c[1]: c for c in children + adults}
# siblings: a brother or sister of a group child, at home when the group's adult came to the
# door: one to three occurrences there with the adult and the group child as suspects and the
# sibling a witness; no exploitation flag, no missing episode
for gid, pids in members_of.items():
    kids = [p for p in pids if p.startswith("C")]
    grown = [p for p in pids if p.startswith("A")]
    for k in kids:
        sibs = [c for c in household[k][0] if c[1] != k and c[1] not in used]
        if not sibs or rng.random() < 0.5:
            continue
        sib = sibs[0]
        used.add(sib[1])
        decoys.append((sib[1], "SIBLING"))
        place = home_place(household[k][2])
        for _ in range(rng.randint(1, 3)):
            t = when(END - timedelta(days=300))
            ref = f"OCC/H{ev_n}"
            x = rec_of[rng.choice(grown)]
            event(x[0], "crime", t, place, json.dumps({"occurrence_ref": ref}), "suspect")
            event(rec_of[k][0], "crime", t, place, json.dumps({"occurrence_ref": ref}), "suspect")
            event(sib[0], "crime", t, place, json.dumps({"occurrence_ref": ref}), "witness")
        break
# residential care: two children's homes of five, three of each home's children going missing
# again and again on their own, found back at the home or with a parent at the family home
for hno, code in enumerate(rng.sample([c for c, _, _, _ in areas], 2)):
    pc = rng.choice(pcs_by_area[code])[0]
    addr = f"Oak House {hno + 1}"
    cur.execute("INSERT INTO place (place_key, name, postcode, in_county) VALUES (?, ?, ?, 1)",
                (addr.lower() + "|" + pc.lower(), addr, pc))
    care_home = (cur.lastrowid, addr, pc, None, None, code)
    residents = rng.sample([c for c in children if c[1] not in used and
                            len(household[c[1]][0]) == 1], 5)
    for c in residents:
        used.add(c[1])
        cur.execute("UPDATE record SET address = ?, postcode = ?, area = ? WHERE id = ?",
                    (addr, pc, area_name[code], c[0]))
    for c in residents[:3]:
        decoys.append((c[1], "CARE_MISSING"))
        parents = household[c[1]][1]
        family_home = home_place(household[c[1]][2])
        for _ in range(rng.randint(8, 16)):
            t = when()
            if parents and rng.random() < 0.4:  # found with mother (or father) at home
                e = missing(c, t, (family_home, household[c[1]][2][0]), hours=rng.uniform(3, 30))
                rel("found_with", c[0], rng.choice(parents)[0], e)
            elif rng.random() < 0.7:  # back at the placement
                missing(c, t, care_home, hours=rng.uniform(1, 12))
            else:
                missing(c, t, None)
# domestic abuse across households: an abuser with a former and a present partner, each with
# children; occurrences at either home with the partner a victim and the children present,
# and a handover where both families' children were there
for _ in range(6):
    pool = [c for c in children if c[1] not in used and len(household[c[1]][1]) >= 1]
    h1 = household[rng.choice(pool)[1]]
    h2 = household[rng.choice([c for c in pool if household[c[1]] is not h1])[1]]
    na += 1
    abuser_pid = f"A{na:08d}"
    abuser = (add_record(abuser_pid, "adult", h2[2][2], h2[2][0], h2[2][1]), abuser_pid,
              h2[2][2])
    adults.append(abuser)
    for h in (h1, h2):
        for c in h[0]:
            used.add(c[1])
            decoys.append((c[1], "DA_HOUSEHOLD"))
        place = home_place(h[2])
        for _ in range(rng.randint(2, 4)):
            t = when()
            ref = f"OCC/D{ev_n}"
            dd = json.dumps({"occurrence_ref": ref, "offence": "domestic abuse"})
            event(abuser[0], "crime", t, place, dd, "suspect")
            event(h[1][0][0], "crime", t, place, dd, "victim")
            for c in h[0]:
                event(c[0], "crime", t, place, dd, "witness")
    t = when()
    ref = f"OCC/D{ev_n}"
    dd = json.dumps({"occurrence_ref": ref, "offence": "domestic abuse"})
    event(abuser[0], "crime", t, home_place(h1[2]), dd, "suspect")
    for c in h1[0] + h2[0]:
        event(c[0], "crime", t, home_place(h1[2]), dd, "witness")
# the night-time economy: a pub in an area with no group, where adults are recorded in
# assaults and disorder late on Friday and Saturday nights
night_area = rng.choice([c for c, _, _, _ in areas if c not in group_areas])
pub = [p for p in places_by_area[night_area] if p[1].endswith(" Pub")][0]
truth["hotspots"].append((f"PL{pub[0]}", pub[1], night_area, pub[2], pub[3], pub[4], "NIGHT"))
day = START
while day < END:
    if day.weekday() in (4, 5):
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            t = day + timedelta(minutes=rng.uniform(22 * 60, 27 * 60))
            ref = f"OCC/N{ev_n}"
            for k, who in enumerate(rng.sample(adults, rng.randint(1, 3))):
                event(who[0], "crime" if k == 0 else "incident", t, pub[0],
                      json.dumps({"occurrence_ref": ref}), "suspect" if k == 0 else None)
    day += timedelta(days=1)
db.commit()

T = os.path.join(a.dir, "truth")
with open(os.path.join(T, "groups.csv"), "w") as f:
    f.write("group_id,type,area_code,hotspot_place_id,route_place_id\n")
    for r in truth["groups"]:
        f.write(",".join(r) + "\n")
with open(os.path.join(T, "group_members.csv"), "w") as f:
    f.write("group_id,person_id,role\n")
    for r in truth["members"]:
        f.write(",".join(r) + "\n")
with open(os.path.join(T, "adults.csv"), "w") as f:
    f.write("person_id,group_id,role\n")
    for r in truth["adults"]:
        f.write(",".join(r) + "\n")
with open(os.path.join(T, "hotspots.csv"), "w") as f:
    f.write("place_id,name,area_code,postcode,lat,lon,kind\n")
    for pid, name, code, pc, lat, lon, kind in truth["hotspots"]:
        f.write(f"{pid},{name},{code},{pc},{lat:.5f},{lon:.5f},{kind}\n")
with open(os.path.join(T, "decoys.csv"), "w") as f:
    f.write("person_id,indicators\n")
    for pid, kind in decoys:
        f.write(f"{pid},{kind}\n")
print(f"planted county: {len(children)} children, {len(adults)} adults, {len(places)} places, "
      f"{ev_n} events, {len(truth['groups'])} groups, {len(truth['hotspots'])} hotspots, "
      f"{len(decoys)} decoys")
