"""PostgreSQL drops the crawl's connections mid-crawl (``pg_terminate_backend``, what a server
restart or a failover does to its clients): the crawl reconnects or fails in one line, the
store holds no half-written entry, and the next crawl completes the work."""

from __future__ import annotations

import re
import subprocess
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import fresh_postgres_schema
from tests.support.helpers import run_cli, start_offline_crawl
from tests.support.store_checks import assert_store_is_whole, count
from tests.support.synthetic_pages import write_pages

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PAGES = 150
DROPS = 3
DROP_PAUSE_SECONDS = 0.5
ENDED_CLEANLY = re.compile(r"newswatch: |\S+ \S+ ERROR crawler\.runner: crawl \d+ failed: database error: ")
"""The last line of a crawl that failed: the command's own error line, or, when the drop
came as the crawl was ending (its feeds, its report), the crawl's failure, logged in one
line and recorded with its run (a fast crawl can be ending before the drops are done)."""


@pytest.fixture
def postgres_url():
    with fresh_postgres_schema("no PostgreSQL server to drop connections of") as url:
        yield url


def test_connections_dropped_mid_crawl_leave_a_whole_store(tmp_path, postgres_url):
    pages = tmp_path / "pages"
    items = write_pages(pages, PAGES)
    name = f"newswatch_crawl_{uuid.uuid4().hex[:8]}"
    crawl_url = f"{postgres_url}&application_name={name}"
    engine = create_engine(postgres_url)
    crawl = start_offline_crawl(pages, tmp_path / "data", "--db", crawl_url)
    try:
        wait_for_entries(engine, crawl)
        dropped = drop_connections(engine, name, crawl)
        _, stderr = crawl.communicate(timeout=180)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(30)
    assert dropped, "the crawl ended before any of its connections could be dropped"
    assert "Traceback" not in stderr
    if crawl.returncode != 0:  # failing is allowed, but cleanly: one line at the end
        assert ENDED_CLEANLY.match(stderr.strip().splitlines()[-1]), stderr
    assert_store_is_whole(engine)

    final = run_cli(
        "crawl",
        "--offline",
        "--fixtures",
        str(pages),
        data_dir=tmp_path / "data",
        env={"NEWSWATCH_DB": postgres_url},
        timeout=240,
    )
    assert final.returncode == 0, final.stderr
    assert_store_is_whole(engine)
    assert count(engine, "entries") == items and count(engine, "change_events") == items
    engine.dispose()
    print(f"\n{dropped} connections dropped; the crawl ended with exit code {crawl.returncode}")


def wait_for_entries(engine, crawl: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and crawl.poll() is None:
        with engine.connect() as connection:
            tables = connection.execute(
                text(
                    "select count(*) from pg_tables where tablename = 'entries' "
                    "and schemaname = current_schema()"
                )
            ).scalar()
            if tables and connection.execute(text("select count(*) from entries")).scalar():
                return
        time.sleep(0.05)
    raise AssertionError("the crawl stored nothing (or ended) before its connections could be dropped")


def drop_connections(engine, application_name: str, crawl: subprocess.Popen) -> int:
    """Terminate the crawl's backends DROPS times while it runs; how many were terminated."""
    terminated = 0
    for _ in range(DROPS):
        if crawl.poll() is not None:
            break
        with engine.connect() as connection:
            terminated += connection.execute(
                text(
                    "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity "
                    "where application_name = :name) killed"
                ),
                {"name": application_name},
            ).scalar()
        time.sleep(DROP_PAUSE_SECONDS)
    return terminated
