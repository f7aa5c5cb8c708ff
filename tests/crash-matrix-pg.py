#!/usr/bin/env python3
"""The crash matrix on PostgreSQL: kill -9 in the middle of a multi-file import, link's write,
`panel save`, a register write and the server under load, each on its own database made from
the same starting point (CREATE DATABASE ... TEMPLATE).

usage: crash-matrix-pg.py SVP [TRIALS]   ($SVP_TEST_PG_URI names the server; without it the
test is skipped). After each kill: the server's view of the database is consistent (the
foreign keys svp declares hold: a check of every one), the killed run kept all or nothing
(per file for an import), and running it again reaches the clean result exactly: the same
fingerprint of every table (clock columns, row numbers, sessions and the audit trail left
out; the audit trail must verify instead). Prints TAP. psql is the client (Debian's postgresql-client).
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

SVP = os.path.abspath(sys.argv[1])
TRIALS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
URI = os.environ.get("SVP_TEST_PG_URI", "")
ENV = dict(os.environ, SVP_TODAY=os.environ.get("SVP_TODAY", "2026-11-21"))
CLOCK_COLUMNS = {"created_at", "updated_at", "imported_at", "changed_at", "shared_at",
                 "saved_at", "decided_at", "applied_at", "expires_at"}
SKIP_TABLES = {"audit_log", "app_session", "session"}
points = []


def ok(cond, name, why=""):
    points.append(cond)
    print(f"{'ok' if cond else 'not ok'} {len(points)} - {name}", flush=True)
    if not cond and why:
        for line in str(why).splitlines()[:20]:
            print(f"# {line}", flush=True)


def db_uri(name):
    u = urllib.parse.urlsplit(URI)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


def psql(sql, db="postgres"):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db_uri(db),
                        "-c", sql], capture_output=True, text=True, timeout=300)
    if r.returncode:
        raise RuntimeError(f"psql: {r.stderr.strip()}")
    return r.stdout


def make_db(name, template=None):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_db(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def svp(db, *args, check=True, stdin=None):
    r = subprocess.run([SVP, *args, "--db", db_uri(db)], env=ENV, capture_output=True,
                       text=True, input=stdin, timeout=600)
    if check and r.returncode != 0:
        raise RuntimeError(f"svp {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r


def fingerprint(db):
    """Per table, its row count and an md5 of its rows as text in sorted order; clock columns
    and row numbers (id, *_id, record_a and record_b, such keys inside JSON text such as
    history rows' previous values, and an event's content hash, which covers its record's id)
    left out: a transaction PostgreSQL rolls back does not give
    its sequence values back, so a run again numbers the same rows differently."""
    cols = psql("SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position", db)
    tables = {}
    for line in cols.splitlines():
        t, c, ty = line.split("|")
        if t in SKIP_TABLES:
            continue
        tables.setdefault(t, [])
        if c in CLOCK_COLUMNS or c == "id" or c.endswith("_id") or c in ("record_a", "record_b"):
            continue
        # an event's content hash covers its record's id, a row number like the others (the
        # event's own values are compared column by column)
        if t == "event" and c == "content_hash":
            continue
        # row numbers inside JSON text (record_history.previous keeps the file_id) likewise
        tables[t].append(f"""regexp_replace("{c}", '"(id|[a-z_]+_id)": ?"?[0-9]+"?', '"\\1":#', 'g')"""
                         if ty == "text" else f'"{c}"')
    parts = [f"SELECT '{t}' || ':' || count(*) || ':' || "
             f"coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '-') "
             f"FROM (SELECT ROW({', '.join(c) if c else 'NULL'})::text AS r FROM \"{t}\") s"
             for t, c in sorted(tables.items())]
    return psql(" UNION ALL ".join(parts), db)


def foreign_keys_hold(db):
    """Every declared foreign key holds (PostgreSQL enforces them; this shows a kill left no
    row behind that the constraints would have refused)."""
    fks = psql("SELECT conrelid::regclass, pg_get_constraintdef(oid) FROM pg_constraint "
               "WHERE contype = 'f' AND connamespace = 'public'::regnamespace", db)
    bad = []
    for line in fks.splitlines():
        table, d = line.split("|", 1)
        # FOREIGN KEY (a) REFERENCES t(b)
        cols = d[d.index("(") + 1:d.index(")")]
        rest = d[d.index("REFERENCES") + 11:]
        rt = rest[:rest.index("(")]
        rcols = rest[rest.index("(") + 1:rest.index(")")]
        conds = " AND ".join(f"r.{b.strip()} = x.{a.strip()}"
                             for a, b in zip(cols.split(","), rcols.split(",")))
        notnull = " AND ".join(f"x.{a.strip()} IS NOT NULL" for a in cols.split(","))
        n = psql(f"SELECT count(*) FROM {table} x WHERE {notnull} AND NOT EXISTS "
                 f"(SELECT 1 FROM {rt} r WHERE {conds})", db).strip()
        if n != "0":
            bad.append(f"{table} {d}: {n} rows")
    return not bad, "; ".join(bad)


def files_of(db):
    rows = psql("SELECT sha256, source, agency, path FROM source_file ORDER BY sha256", db)
    return dict((line.split("|")[0], line) for line in rows.splitlines())


def killed_run(db, args, delay):
    p = subprocess.Popen([SVP, *args, "--db", db_uri(db)], env=ENV, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return True


def matrix(name, start, args, per_file=False):
    db = "crash_m"
    make_db(db, start)
    start_fp = fingerprint(db)
    t0 = time.monotonic()
    svp(db, *args)
    clean_time = time.monotonic() - t0
    clean = fingerprint(db)
    clean_files = files_of(db) if per_file else {}
    killed = 0
    for i in range(TRIALS):
        make_db(db, start)
        delay = clean_time * (0.2 + 0.7 * i / max(1, TRIALS - 1))
        killed += killed_run(db, args, delay)
        good, why = foreign_keys_hold(db)
        ok(good, f"{name}: killed at {delay:.2f}s of {clean_time:.2f}s: every foreign key holds",
           why)
        fp = fingerprint(db)
        if fp == clean:
            ok(True, f"{name}: killed at {delay:.2f}s after it committed: the clean result")
            continue
        if fp != start_fp and not per_file:
            ok(False, f"{name}: killed at {delay:.2f}s: all or nothing", "part of it was kept")
            continue
        if fp != start_fp:
            kept = files_of(db)
            if not all(clean_files.get(sha) == row for sha, row in kept.items()):
                ok(False, f"{name}: killed at {delay:.2f}s: each file all or nothing",
                   "a kept file differs from the clean run's")
                continue
        kept_some = fp != start_fp
        r = svp(db, *args, check=False)
        ok(r.returncode == 0 and fingerprint(db) == clean,
           f"{name}: killed at {delay:.2f}s: {'whole files' if kept_some else 'nothing'} kept; "
           "the run again reaches the clean result",
           f"exit {r.returncode}: {r.stderr.strip()}" if r.returncode else "fingerprints differ")
    ok(killed > 0, f"{name}: at least one of {TRIALS} kills landed while it ran",
       f"clean run took {clean_time:.2f}s")
    drop_db(db)


def server_under_load(start, work):
    db = "crash_s"
    make_db(db, start)
    svp(db, "user", "add", "crashadmin", "--role", "administrator", "--agency", "partnership",
        "--password-stdin", stdin="a long crash password\n")
    psql("UPDATE app_user SET must_change = 0", db) if "must_change" in psql(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'app_user'",
        db) else None

    def start_server():
        pf = os.path.join(work, "port")
        if os.path.exists(pf):
            os.remove(pf)
        p = subprocess.Popen([SVP, "serve", "--listen", "127.0.0.1:0", "--port-file", pf,
                              "--web", work, "--login-rate", "100000", "--db", db_uri(db)],
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if os.path.exists(pf) and open(pf).read().strip():
                return p, int(open(pf).read())
            time.sleep(0.05)
        p.kill()
        raise RuntimeError("svp serve did not start")

    def login(port):
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/session", method="POST",
            data=json.dumps({"username": "crashadmin",
                             "password": "a long crash password"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.headers["Set-Cookie"].split(";")[0]

    p, port = start_server()
    stop = threading.Event()
    counts = {"ok": 0}

    def client(cookie):
        paths = ["/api/v1/persons?q=a", "/api/v1/persons/1", "/api/v1/panel",
                 "/api/v1/audit/mine"]
        i = 0
        while not stop.is_set():
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}{paths[i % len(paths)]}",
                                             headers={"Cookie": cookie})
                with urllib.request.urlopen(req, timeout=10) as r:
                    r.read()
                    counts["ok"] += 1
            except Exception:
                pass
            i += 1

    try:
        cookie = login(port)
    except Exception as e:
        p.kill()
        p.wait()
        ok(False, "server: sign in", e)
        return
    threads = [threading.Thread(target=client, args=(cookie,)) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    p.kill()
    p.wait()
    stop.set()
    for t in threads:
        t.join()
    ok(counts["ok"] > 0, f"server: answered {counts['ok']} requests before the kill")
    good, why = foreign_keys_hold(db)
    ok(good, "server: killed under load: every foreign key holds", why)
    r = svp(db, "audit", "verify", check=False)
    ok(r.returncode == 0, "server: killed under load: the audit trail verifies", r.stderr)
    p, port = start_server()
    try:
        cookie = login(port)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/persons/1",
                                     headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=30) as resp:
            ok(resp.status == 200, "server: serves again after the kill")
    except Exception as e:
        ok(False, "server: serves again after the kill", e)
    finally:
        p.kill()
        p.wait()
        drop_db(db)


def main():
    if not URI:
        print("1..0 # SKIP SVP_TEST_PG_URI is not set")
        return 0
    work = tempfile.mkdtemp(prefix="svp-crash-pg-")
    starts = ["crash_empty", "crash_imported", "crash_linked"]
    try:
        county = os.path.join(work, "county")
        subprocess.run([SVP, "synth", "--out", county, "--children", "20", "--months", "9",
                        "--seed", "7", "--quiet"], env=ENV, check=True, capture_output=True)
        make_db("crash_empty")
        svp("crash_empty", "db", "migrate")
        make_db("crash_imported", "crash_empty")
        svp("crash_imported", "import", county, "--rejects", os.path.join(work, "r.csv"),
            "--quiet")
        make_db("crash_linked", "crash_imported")
        svp("crash_linked", "link", "--quiet")
        print(f"1..{TRIALS * 2 * 4 + 4 + 4}", flush=True)
        matrix("PostgreSQL: import of a county (many files)", "crash_empty",
               ["import", county, "--rejects", os.path.join(work, "r2.csv"), "--quiet"],
               per_file=True)
        matrix("PostgreSQL: link", "crash_imported", ["link", "--quiet"])
        matrix("PostgreSQL: panel save", "crash_linked",
               ["panel", "save", "--as-of", "2021-12-01"])
        matrix("PostgreSQL: register write", "crash_linked",
               ["review", "add", "CRASH-1", "--kind", "rapid_review", "--awareness",
                "2021-11-10", "--title", "Child C"])
        server_under_load("crash_linked", work)
    finally:
        for d in starts:
            try:
                drop_db(d)
            except Exception:
                pass
        subprocess.run(["rm", "-rf", work])
    return 0 if all(points) else 1


if __name__ == "__main__":
    sys.exit(main())
