"""Another process holds the SQLite store's write lock: the crawl waits up to the busy timeout
(NEWSWATCH_DB_BUSY_TIMEOUT), then fails with one line, and the store is left whole."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from scheduler.settings import SETTINGS
from tests.support.helpers import run_cli, start_offline_crawl
from tests.support.store_checks import assert_store_is_whole, count, wait_for_entries
from tests.support.synthetic_pages import write_pages

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

BUSY_TIMEOUT_ENV = SETTINGS["db_busy_timeout"].env
BUSY_TIMEOUT = {BUSY_TIMEOUT_ENV: "1"}
PAGES = 150
CRAWL_BOUND_SECONDS = 90
"""Far longer than one busy timeout, far shorter than one per page (a crawl that waited on
every page of 150 would take minutes)."""


@contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Hold the store's write lock, as a second writer (a backup, a script) would."""
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def assert_one_line_lock_error(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("newswatch: database error: database is locked"), stderr
    assert BUSY_TIMEOUT_ENV in last


def assert_whole_and_complete(database: Path, items: int) -> None:
    engine = create_engine(f"sqlite:///{database}")
    try:
        assert_store_is_whole(engine)
        assert count(engine, "entries") == items and count(engine, "change_events") == items
    finally:
        engine.dispose()
    with sqlite3.connect(database) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def test_a_store_locked_before_the_crawl_fails_it_in_one_line(tmp_path):
    assert run_cli("crawl", "--offline", data_dir=tmp_path).returncode == 0
    database = tmp_path / "newswatch.sqlite3"
    with write_lock(database):
        locked = run_cli("--quiet", "crawl", "--offline", data_dir=tmp_path, env=BUSY_TIMEOUT, timeout=60)
    assert locked.returncode == 1
    assert_one_line_lock_error(locked.stderr)
    assert run_cli("crawl", "--offline", data_dir=tmp_path).returncode == 0
    assert_whole_and_complete(database, 24)


def test_a_store_locked_mid_crawl_stops_the_crawl_after_one_timeout(tmp_path):
    pages, data_dir = tmp_path / "pages", tmp_path / "data"
    items = write_pages(pages, PAGES)
    database = data_dir / "newswatch.sqlite3"
    crawl = start_offline_crawl(pages, data_dir, env=BUSY_TIMEOUT)
    try:
        wait_for_entries(database, crawl)
        with write_lock(database):
            _, stderr = crawl.communicate(timeout=CRAWL_BOUND_SECONDS)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(30)
    assert crawl.returncode == 1
    assert "the crawl stops" in stderr
    assert_one_line_lock_error(stderr)
    final = run_cli("crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir, timeout=180)
    assert final.returncode == 0, final.stderr
    assert_whole_and_complete(database, items)


def test_a_malformed_busy_timeout_is_a_one_line_error(tmp_path):
    done = run_cli("changes", data_dir=tmp_path, env={BUSY_TIMEOUT_ENV: "soon"})
    assert done.returncode == 2
    assert done.stderr == (
        f"newswatch: environment: {BUSY_TIMEOUT_ENV}: not a number of seconds (0 to 3600): 'soon'\n"
    )
