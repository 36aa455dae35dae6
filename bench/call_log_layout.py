#!/usr/bin/env python3
"""The call log's SQLite layout before and after migration 005, on the same rows.

Applies the project's own SQLite migrations (src/store/migrations/sqlite) up to 004 (a rowid
table with descending indexes) and up to 005 (WITHOUT ROWID, ascending indexes), writes the
same rows into each the way the connector's log writer does (one workspace, time-ordered ids,
millisecond timestamps, 32 rows per transaction, WAL, synchronous=NORMAL) and prints the
database size and the CPU time per row. Python's sqlite3 module uses the system's SQLite
library, the one the connector links; its own per-row overhead is in both figures alike. Then it
times migration 005 itself on a log of --upgrade-rows rows written under 004 (what the first
start after an upgrade does once).

    python3 bench/call_log_layout.py [--rows 40000] [--upgrade-rows 500000]
"""
import argparse
import glob
import os
import sqlite3
import tempfile
import time

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "store",
                          "migrations", "sqlite")
INSERT = (
    "INSERT INTO executions (id, workspace_id, user_id, integration_id, integration_name,"
    " action_id, kind, method, url, status, status_code, attempts, duration_ms, error_code,"
    " error_message, created_at) VALUES (?, ?, ?, (SELECT id FROM custom_integrations"
    " WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def migrate(db, up_to):
    for path in sorted(glob.glob(os.path.join(MIGRATIONS, "*.sql"))):
        if int(os.path.basename(path).split("_")[0]) <= up_to:
            with open(path, encoding="utf-8") as f:
                db.executescript(f.read())


def open_db(tmp, up_to):
    path = os.path.join(tmp, "connector.db")
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")
    migrate(db, up_to)
    return db, path


def fill(db, rows, batch):
    db.execute("INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
               " VALUES ('u1', 'ada@example.com', 'Ada', 'x', 't', 't')")
    db.execute("INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
               " VALUES ('w1', 'Ada', 1, 't', 't')")
    db.execute("INSERT INTO custom_integrations (id, workspace_id, name, display_name,"
               " auth_type, base_url, created_at, updated_at) VALUES ('i1', 'w1', 'bench',"
               " 'Bench', 'none', 'http://127.0.0.1:9', 't', 't')")
    start_ms = int(time.time() * 1000)
    for first in range(0, rows, batch):
        db.execute("BEGIN")
        for i in range(first, min(first + batch, rows)):
            ms = start_ms + i // 4  # about 4 calls per millisecond
            created = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
            db.execute(INSERT, (f"{ms:012x}-{i % 65536:04x}-7000-8000-{i:012x}", "w1", "u1",
                                "i1", "bench", "fast", "execute", "GET",
                                "http://127.0.0.1:9/fast", "success", 200, 1, 0, None, None,
                                f"{created}.{ms % 1000:03d}Z"))
        db.execute("COMMIT")


def measure(up_to, rows):
    with tempfile.TemporaryDirectory() as tmp:
        db, path = open_db(tmp, up_to)
        cpu = time.process_time()
        fill(db, rows, 32)
        cpu = time.process_time() - cpu
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = os.path.getsize(path)
        db.close()
        return size, cpu / rows


def time_upgrade(rows):
    with tempfile.TemporaryDirectory() as tmp:
        db, _ = open_db(tmp, 4)
        fill(db, rows, 10000)
        with open(os.path.join(MIGRATIONS, "005_executions_clustered.sql"), encoding="utf-8") as f:
            sql = f.read()
        start = time.monotonic()
        db.executescript("BEGIN IMMEDIATE;" + sql + "COMMIT;")
        seconds = time.monotonic() - start
        db.close()
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40000)
    parser.add_argument("--upgrade-rows", type=int, default=500000)
    args = parser.parse_args()
    print(f"SQLite {sqlite3.sqlite_version}, {args.rows} rows")
    for label, up_to in (("through 004 (rowid, descending indexes)", 4),
                         ("through 005 (WITHOUT ROWID, ascending)", 5)):
        size, per_row = measure(up_to, args.rows)
        print(f"{label}: {size / 2**20:.1f} MiB, {size / args.rows:.0f} bytes per row,"
              f" {per_row * 1e6:.1f} us CPU per row")
    print(f"migration 005 on {args.upgrade_rows} rows written under 004:"
          f" {time_upgrade(args.upgrade_rows):.1f} s")


if __name__ == "__main__":
    main()
