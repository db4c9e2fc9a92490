"""SIGKILL at random moments of a crawl: the store stays whole and the next crawl finishes."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import feedparser

from tests.support.helpers import ROOT, run_cli
from tests.support.store_checks import wait_for_entries
from tests.support.synthetic_pages import write_pages

PAGES = 150
KILLS = 8
TIME_BUDGET_SECONDS = 90


def start_crawl(pages, data_dir) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scheduler.cli.main",
            "--quiet",
            "--data-dir",
            str(data_dir),
            "crawl",
            "--offline",
            "--fixtures",
            str(pages),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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


def test_random_kills_leave_a_whole_store_and_the_next_crawl_completes(tmp_path):
    pages, data_dir = tmp_path / "pages", tmp_path / "data"
    items = write_pages(pages, PAGES)
    randomizer = random.Random(20261122)
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    kills = 0
    while kills < KILLS and time.monotonic() < deadline:
        crawl = start_crawl(pages, data_dir)
        time.sleep(randomizer.uniform(0.5, 3.0))
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(30)
        kills += 1
        if (data_dir / "newswatch.sqlite3").exists():
            assert_store_is_whole(data_dir / "newswatch.sqlite3")
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
    crawl = start_crawl(pages, data_dir)
    database = data_dir / "newswatch.sqlite3"
    wait_for_entries(database, crawl)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait(30)
    assert run_cli("crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir).returncode == 0
    with sqlite3.connect(database) as db:
        runs = db.execute("select id, status from crawl_runs order by id").fetchall()
    assert runs == [(1, "failed"), (2, "finished")]
