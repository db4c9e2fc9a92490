"""A damaged SQLite store (8 KiB of random bytes written into the middle of a crawled one):
the service refuses to start on it with one line, reports it on ``/healthz`` when it breaks
while running and still stops on SIGTERM, and a crawl on it ends with one line, not a
traceback per page."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.helpers import ROOT, cli_environment, run_cli
from tests.support.service_harness import ServiceProcess, wait_for
from tests.support.synthetic_pages import write_pages

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

PAGES = 200
DAMAGE_BYTES = 8192
SQLITE_PAGE = 4096
START_SECONDS = 60


def damage_middle(database: Path) -> None:
    """Random bytes over the middle of the file, where the store's tables and indexes are;
    checked to be damage SQLite sees, so that a changed layout fails here, not later."""
    middle = database.stat().st_size // 2 // SQLITE_PAGE * SQLITE_PAGE
    noise = random.Random(16).randbytes(DAMAGE_BYTES)
    with open(database, "r+b") as handle:
        handle.seek(middle)
        handle.write(noise)
    with closing(sqlite3.connect(database)) as db:
        try:
            verdict = db.execute("pragma quick_check").fetchone()[0]
        except sqlite3.DatabaseError:
            return
    assert verdict != "ok", "the bytes written did not damage the store"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> tuple[Path, Path]:
    """Pages, and a data directory whose store one offline crawl of them filled."""
    root = tmp_path_factory.mktemp("crawled")
    pages, data_dir = root / "pages", root / "data"
    write_pages(pages, PAGES)
    done = run_cli("--quiet", "crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return pages, data_dir


def copy_store(crawled, directory: Path) -> Path:
    """A private copy of the crawled data directory (store checkpointed, no WAL beside it)."""
    shutil.copytree(crawled[1], directory)
    return directory / "newswatch.sqlite3"


def test_the_service_does_not_start_on_a_damaged_store(crawled, tmp_path):
    data_dir = tmp_path / "data"
    damage_middle(copy_store(crawled, data_dir))
    command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(data_dir)]
    command += ["run", "--port", "0", "--offline", "--fixtures", str(crawled[0])]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, env=cli_environment(), timeout=START_SECONDS
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the service kept running on a damaged store for {START_SECONDS}s")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("newswatch: database sqlite:///"), done.stderr
    assert "is damaged" in done.stderr and "restore it from a backup" in done.stderr


def test_a_store_damaged_while_the_service_runs_is_reported_and_sigterm_still_stops_it(crawled, tmp_path):
    database = copy_store(crawled, tmp_path / "data")
    with ServiceProcess(tmp_path, crawled[0], "--every", "1s") as service:
        first = service.wait_for_crawl(after=1)
        assert service.get("/healthz").status == 200
        damage_middle(database)

        def not_ok():
            answer = service.get("/healthz")
            return answer if answer.status == 503 else None

        report = wait_for(not_ok, "/healthz to answer 503").json()
        assert report["ok"] is False
        reason = report["reason"]  # the error a query met, or the damage the check after it found
        assert "database" in reason and ("malformed" in reason or "is damaged" in reason), report
        assert service.get("/feed.rss").status == 200  # the last good feeds are still served
        assert service.stop(signal.SIGTERM) == 0
    assert first["status"] == "finished"
    assert "Traceback" not in service.log()


def test_a_crawl_on_a_damaged_store_ends_with_one_line(crawled, tmp_path):
    data_dir = tmp_path / "data"
    damage_middle(copy_store(crawled, data_dir))
    done = run_cli("--quiet", "crawl", "--offline", "--fixtures", str(crawled[0]), data_dir=data_dir)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    # Where the damage is met decides which line says so: the crawl's record could not be
    # closed (the command's one error line), or it was, and the crawl's own line says why.
    last = done.stderr.strip().splitlines()[-1]
    if last.startswith("newswatch: database error: database disk image is malformed"):
        assert "restore it from a backup" in last
    else:
        assert "FAILED (stopped: the database file is damaged; restore it from a backup)" in done.stdout, (
            done.stdout + done.stderr
        )
