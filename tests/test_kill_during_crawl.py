"""SIGKILL at random moments of a crawl: the store stays whole and the next crawl finishes.

Each kill lands mid-crawl by construction, not by luck: the test waits until the running
crawl has stored a random number of its pages (not all of them), kills it then, and checks
afterwards that it was still running and had stored some pages but not all.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import feedparser
import pytest

from tests.support.helpers import run_cli, start_offline_crawl
from tests.support.store_checks import wait_for_entries
from tests.support.synthetic_pages import write_pages

pytestmark = pytest.mark.e2e

PAGES = 150
KILLS = 8
TIME_BUDGET_SECONDS = 90
POLL_SECONDS = 0.02


def assert_store_is_whole(database) -> None:
    with sqlite3.connect(database) as db:
        count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        assert (
            count(
                "select count(*) from entries e where not exists "
                "(select 1 from entry_versions v where v.entry_id = e.id)"
            )
            == 0
        )
        assert (
            count(
                "select count(*) from entries e where not exists "
                "(select 1 from entry_keys k where k.entry_id = e.id)"
            )
            == 0
        )
        assert (
            count(
                "select count(*) from entries e where (select count(*) from change_events c "
                "where c.entry_id = e.id and c.kind = 'new') <> 1"
            )
            == 0
        )
        assert (
            count("select count(*) from (select feed_id from entries group by feed_id having count(*) > 1)")
            == 0
        )
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def page_fetch_times(database: Path) -> dict[str, str] | None:
    """When each page was last stored (``pages.last_fetched``, written in the transaction
    that stores the page's items); None while the store cannot be read (not created or
    migrated yet, or locked by the crawl)."""
    if not database.exists():
        return None
    try:
        with closing(sqlite3.connect(database, timeout=1)) as db:
            return dict(db.execute("select url, last_fetched from pages"))
    except sqlite3.OperationalError:
        return None


def pages_stored_since(database: Path, before: dict[str, str]) -> int | None:
    """How many pages were stored since the store held ``before``: the running crawl's progress."""
    now = page_fetch_times(database)
    return None if now is None else sum(1 for url, at in now.items() if before.get(url) != at)


def kill_after(crawl: subprocess.Popen, database: Path, before: dict[str, str], pages: int) -> int:
    """SIGKILL ``crawl`` once it has stored ``pages`` pages (bounded wait); how many it had
    stored when it died."""
    deadline = time.monotonic() + 60
    while (stored := pages_stored_since(database, before) or 0) < pages:
        assert crawl.poll() is None, f"the crawl ended after storing {stored} pages, before the kill"
        assert time.monotonic() < deadline, f"the crawl stored {stored} pages in 60 s, not {pages}"
        time.sleep(POLL_SECONDS)
    crawl.send_signal(signal.SIGKILL)
    assert crawl.wait(30) == -signal.SIGKILL, "the crawl had ended before the kill"
    stored = pages_stored_since(database, before)
    assert stored is not None, "the store cannot be read after the kill"
    return stored


def test_random_kills_leave_a_whole_store_and_the_next_crawl_completes(tmp_path):
    pages, data_dir = tmp_path / "pages", tmp_path / "data"
    database = data_dir / "newswatch.sqlite3"
    items = write_pages(pages, PAGES)
    randomizer = random.Random(20261122)
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    kills = 0
    while kills < KILLS and time.monotonic() < deadline:
        before = page_fetch_times(database) or {}
        crawl = start_offline_crawl(pages, data_dir, stderr=subprocess.DEVNULL)
        target = randomizer.randint(1, PAGES * 3 // 4)  # how far into its pages this crawl dies
        stored = kill_after(crawl, database, before, target)
        assert target <= stored < PAGES, f"killed after {stored} of {PAGES} pages: not mid-crawl"
        kills += 1
        assert_store_is_whole(database)
        for feed in data_dir.glob("*.atom"):
            assert not feedparser.parse(feed.read_bytes()).bozo
    assert kills >= 3, "too few kills in the time budget to mean anything"

    final = run_cli("crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir, timeout=300)
    assert final.returncode == 0, final.stderr
    assert_store_is_whole(data_dir / "newswatch.sqlite3")
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as db:
        assert db.execute("select count(*) from entries").fetchone() == (items,)
        assert db.execute("select count(*) from change_events").fetchone() == (items,)
    for name in ("feed.rss", "feed.atom", "changes.atom"):
        assert not feedparser.parse((data_dir / name).read_bytes()).bozo


def test_a_killed_crawls_record_is_closed_by_the_next_crawl(tmp_path):
    pages, data_dir = tmp_path / "pages", tmp_path / "data"
    write_pages(pages, 100)
    crawl = start_offline_crawl(pages, data_dir, stderr=subprocess.DEVNULL)
    database = data_dir / "newswatch.sqlite3"
    wait_for_entries(database, crawl)
    crawl.send_signal(signal.SIGKILL)
    assert crawl.wait(30) == -signal.SIGKILL, "the crawl had ended before the kill"
    with sqlite3.connect(database) as db:
        stored = db.execute("select count(*) from page_bodies").fetchone()[0]
    assert run_cli("crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir).returncode == 0
    with sqlite3.connect(database) as db:
        runs = db.execute("select id, status, pages from crawl_runs order by id").fetchall()
    assert runs == [(1, "failed", stored), (2, "finished", 100)]  # the killed one's pages counted
    assert stored > 0
