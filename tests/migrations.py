#!/usr/bin/env python3
"""Schema upgrades on SQLite: every earlier version upgrades, and a migration that fails or is
killed midway leaves the schema at a version it had.

usage: migrations.py SVP FIXTURES_DIR

- Each fixture (tests/fixtures/schema/vNNN.sql, a database at schema version NNN with a few
  rows) upgrades with `svp db migrate` to exactly the schema a new database gets, keeping
  its rows, and passes integrity_check.
- A migration that fails after some of its statements ran (an index name already taken)
  is rolled back whole: the schema and the recorded versions are those before it, and the
  command fails naming the migration.
- `svp db migrate` on a new database killed with SIGKILL at moments spread over its run
  leaves a database whose recorded versions are a prefix of the migrations and whose schema
  is exactly that version's (the fixture's); migrating again reaches the new schema.
Prints TAP.
"""
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

SVP = os.path.abspath(sys.argv[1])
FIXTURES = os.path.abspath(sys.argv[2])
points = []


def ok(cond, name, why=""):
    points.append(cond)
    print(f"{'ok' if cond else 'not ok'} {len(points)} - {name}", flush=True)
    if not cond and why:
        for line in str(why).splitlines()[:20]:
            print(f"# {line}", flush=True)


def svp(db, *args):
    return subprocess.run([SVP, *args, "--db", db], capture_output=True, text=True, timeout=300)


def schema(db):
    con = sqlite3.connect(db)
    rows = sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                              "WHERE name NOT LIKE 'sqlite_%'"))
    con.close()
    return rows


def versions(db):
    con = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in con.execute("SELECT version FROM schema_migrations"))
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def integrity(db):
    con = sqlite3.connect(db)
    res = con.execute("PRAGMA integrity_check").fetchall()
    con.close()
    return res == [("ok",)]


MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(FIXTURES)), "..", "src", "store",
                          "migrations")
DIALECT = {"{{ID}}": "INTEGER PRIMARY KEY", "{{REAL}}": "REAL", "{{BLOB}}": "BLOB"}
# Parts for PostgreSQL alone (store_dialect_sql leaves them out on SQLite).
PG_ONLY = re.compile(r"\{\{PG\}\}.*?\{\{/PG\}\}", re.S)


def expected_schema(vs, fresh, work):
    """The schema a database has after exactly the migrations vs (in order), built from the
    migration files as src/store writes them for SQLite: what a migrate killed after vs must
    have left (a fixture holds only the versions that existed when it was made)."""
    db = os.path.join(work, "expected.db")
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    src = sqlite3.connect(fresh)
    ddl = [r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE tbl_name = "
                                     "'schema_migrations' AND sql IS NOT NULL")]
    src.close()
    con = sqlite3.connect(db)
    for stmt in ddl:
        con.execute(stmt)
    for v in vs:
        path = glob.glob(os.path.join(MIGRATIONS, f"{v:03d}_*.sql"))[0]
        sql = PG_ONLY.sub("", open(path).read())
        for token, sqlite in DIALECT.items():
            sql = sql.replace(token, sqlite)
        con.executescript(sql)
    con.close()
    return schema(db)


def load(fixture, db):
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    con = sqlite3.connect(db)
    con.executescript(open(fixture).read())
    con.close()


def main():
    work = tempfile.mkdtemp(prefix="svp-migrations-")
    try:
        fresh = os.path.join(work, "fresh.db")
        r = svp(fresh, "db", "migrate")
        if r.returncode:
            print(f"1..1\nnot ok 1 - a new database migrates\n# {r.stderr}")
            return 1
        target, target_versions = schema(fresh), versions(fresh)
        fixtures = sorted(glob.glob(os.path.join(FIXTURES, "v*.sql")))
        kill_delays = 6
        print(f"1..{len(fixtures) * 2 + 1 + 2 * kill_delays + 1}", flush=True)
        by_version = {}
        for fx in fixtures:
            name = os.path.basename(fx)[:-4]
            db = os.path.join(work, name + ".db")
            load(fx, db)
            by_version[max(versions(db))] = schema(db)
            con = sqlite3.connect(db)
            rows_before = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                           for t in ("source_file", "record")
                           if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                          (t,)).fetchone()}
            con.close()
            r = svp(db, "db", "migrate")
            ok(r.returncode == 0 and schema(db) == target and versions(db) == target_versions,
               f"schema {name} upgrades to the new schema",
               r.stderr if r.returncode else "schema or versions differ from a new database's")
            con = sqlite3.connect(db)
            rows_after = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                          for t in rows_before}
            con.close()
            ok(rows_after == rows_before and integrity(db),
               f"schema {name}: rows kept ({rows_before}) and integrity_check ok",
               f"{rows_before} -> {rows_after}")

        # a migration that fails midway: 031 creates register_entry, then an index whose
        # name is already taken
        db = os.path.join(work, "midway.db")
        load(os.path.join(FIXTURES, "v030.sql"), db)
        con = sqlite3.connect(db)
        con.executescript("CREATE TABLE blocker (x); "
                          "CREATE INDEX register_entry_parent ON blocker (x);")
        con.close()
        vbefore = versions(db)
        r = svp(db, "db", "migrate")
        # Migrations numbered before 031 that this version lacked (added to earlier rooms'
        # ranges later) are applied and kept, each in its own transaction; 031 and every
        # later one are not; nothing 031 created is left.
        vafter = versions(db)
        added = sorted(set(vafter) - set(vbefore))
        leftover = [row for row in schema(db) if row[2] == "register_entry"]
        ok(r.returncode != 0 and "031_registers.sql failed and was rolled back" in r.stderr
           and set(vbefore) <= set(vafter) and all(v < 31 for v in added) and not leftover
           and integrity(db),
           "a migration that fails midway leaves the schema at the version before it",
           f"exit {r.returncode}: {r.stderr} added {added} leftover {leftover}")

        # kill -9 during migrate
        t0 = time.monotonic()
        r = svp(os.path.join(work, "timed.db"), "db", "migrate")
        run_time = time.monotonic() - t0
        for i in range(kill_delays):
            db = os.path.join(work, f"killed{i}.db")
            delay = run_time * (0.1 + 0.8 * i / (kill_delays - 1))
            p = subprocess.Popen([SVP, "db", "migrate", "--db", db], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            try:
                p.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            v = versions(db) if os.path.exists(db) else []
            prefix = v == target_versions[:len(v)]
            expect = target if v == target_versions else expected_schema(v, fresh, work) if v \
                else None
            got = schema(db) if os.path.exists(db) else []
            # before the first migration the file may hold nothing or schema_migrations only
            whole = got == expect if v else all(r[1] == "schema_migrations" for r in got)
            ok(prefix and whole and (not os.path.exists(db) or integrity(db)),
               f"killed at {delay:.2f}s of {run_time:.2f}s: versions {v[-1:] or 'none'}, "
               "the schema is that version's",
               f"versions {v}, schema matches: {whole}")
            r = svp(db, "db", "migrate")
            ok(r.returncode == 0 and schema(db) == target,
               f"killed at {delay:.2f}s: migrating again reaches the new schema", r.stderr)
        ok(len(by_version) == len(fixtures), "every fixture is at a distinct version")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(points) else 1


if __name__ == "__main__":
    sys.exit(main())
