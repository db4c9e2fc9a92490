"""What "no half-written entry, nothing duplicated" means, as SQL any supported database runs.

Shared by the tests that break a crawl on purpose (a locked store, a dropped connection):
after the fault, each query must count zero.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from sqlalchemy import Engine, text

BROKEN_STORE_QUERIES = {
    "entries without a version": "select count(*) from entries e where not exists "
    "(select 1 from entry_versions v where v.entry_id = e.id)",
    "entries without a key": "select count(*) from entries e where not exists "
    "(select 1 from entry_keys k where k.entry_id = e.id)",
    "entries without exactly one 'new' event": "select count(*) from entries e where (select count(*) "
    "from change_events c where c.entry_id = e.id and c.kind = 'new') <> 1",
    "feed ids used twice": "select count(*) from (select feed_id from entries group by feed_id "
    "having count(*) > 1) twice",
}


def assert_store_is_whole(engine: Engine) -> None:
    with engine.connect() as connection:
        broken = {name: connection.execute(text(sql)).scalar() for name, sql in BROKEN_STORE_QUERIES.items()}
    assert not any(broken.values()), broken


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"select count(*) from {table}")).scalar()


def wait_for_entries(database: Path, crawl: subprocess.Popen) -> None:
    """Until the crawl has stored its first entries in the SQLite ``database`` (bounded):
    the moment a test breaks it mid-crawl."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and crawl.poll() is None:
        if database.exists():
            with sqlite3.connect(database) as db:
                tables = {row[0] for row in db.execute("select name from sqlite_master")}
                if "entries" in tables and db.execute("select count(*) from entries").fetchone()[0]:
                    return
        time.sleep(0.05)
    raise AssertionError("the crawl stored nothing (or ended) within 60 s")
