"""A crawl stopped half-way by Ctrl-C or SIGTERM says so: recorded as failed ("interrupted by
SIGINT"), reported so, exit code 130 or 143; and the crawl after it does not take it for a
complete walk of the site (scheduler.crawl_job.resume_after_cut_short)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from crawler.plan import CrawlPlan
from scheduler.crawl_job import resume_after_cut_short
from storage.store import Store
from tests.support.helpers import ROOT, cli_environment
from tests.support.synthetic_pages import write_pages

PAGES = 400
STORED_BEFORE_SIGNAL = 20
SITE = ("https://en.odkb-csto.org/news/",)


def stored_pages(database: Path) -> int:
    """Pages stored so far (0 while the store is not created, migrated or readable)."""
    try:
        with closing(sqlite3.connect(database, timeout=1)) as db:
            return db.execute("select count(*) from page_bodies").fetchone()[0]
    except sqlite3.Error:
        return 0


def signal_mid_crawl(crawl: subprocess.Popen, database: Path, number: int) -> None:
    """Send ``number`` once the crawl has stored some of its pages (bounded wait)."""
    deadline = time.monotonic() + 90
    while stored_pages(database) < STORED_BEFORE_SIGNAL:
        assert crawl.poll() is None, "the crawl ended before the signal"
        assert time.monotonic() < deadline, "the crawl stored too little in 90 s"
        time.sleep(0.05)
    crawl.send_signal(number)


@pytest.mark.e2e
@pytest.mark.timeout(180)
@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_crawl_stopped_by_a_signal_is_recorded_and_reported_as_interrupted(tmp_path, number, code):
    pages, data_dir = tmp_path / "pages", tmp_path / "data"
    write_pages(pages, PAGES)
    command = [sys.executable, "-m", "scheduler.cli.main", "--quiet", "--data-dir", str(data_dir)]
    crawl = subprocess.Popen(
        [*command, "crawl", "--offline", "--fixtures", str(pages)],
        cwd=ROOT,
        env=cli_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    database = data_dir / "newswatch.sqlite3"
    signal_mid_crawl(crawl, database, number)
    out, err = crawl.communicate(timeout=60)
    name = signal.Signals(number).name
    assert crawl.returncode == code, err
    assert f"FAILED (interrupted by {name} before it finished)" in out.splitlines()[0], out
    with closing(sqlite3.connect(database)) as db:
        ((status, notes, recorded),) = db.execute("select status, notes, pages from crawl_runs").fetchall()
    assert status == "failed" and notes.startswith(f"interrupted by {name}")
    assert STORED_BEFORE_SIGNAL <= recorded < PAGES
    assert recorded == stored_pages(database)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()


def crawl_run(store: Store, mode: str, status: str, notes: str | None = None) -> None:
    crawl_id = store.begin_crawl(mode)
    store.finish_crawl(crawl_id, status=status, pages=1, items_seen=1, errors=0, warnings=0, notes=notes)


def test_the_crawl_after_an_interrupted_one_walks_every_listing_page(store):
    crawl_run(store, "live", "finished")
    crawl_run(store, "live", "failed", "interrupted by SIGINT before it finished")
    assert resume_after_cut_short(store, CrawlPlan(SITE)).walk_listings


def test_the_crawl_after_a_complete_walk_may_stop_early(store):
    crawl_run(store, "live", "failed", "interrupted by SIGTERM before it finished")
    crawl_run(store, "live", "finished")
    crawl_run(store, "offline", "failed", "interrupted by SIGINT before it finished")  # not the site
    assert not resume_after_cut_short(store, CrawlPlan(SITE)).walk_listings
