"""Two crawls writing the same pages into one store at once: no duplicate entry or event."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import create_engine, text

from tests.support.helpers import SEED_FILES

# Two child processes (fresh interpreters) against each database server: seconds, not milliseconds.
pytestmark = pytest.mark.e2e

ROUNDS = 3


def _write_all_seeds(database_url: str, start, rounds: int) -> None:
    from extraction.text_page import parse_page
    from storage.store import Store

    store = Store.open(database_url)
    pages = [
        parse_page(p.read_text(encoding="utf-8"), url=f"https://example.test/{p.name}") for p in SEED_FILES
    ]
    start.wait(30)
    for _ in range(rounds):
        crawl_id = store.begin_crawl("concurrency-test")
        for page in pages:
            store.record_page(crawl_id, page)
    store.close()


def test_two_processes_never_duplicate(database_url):
    from storage.store import Store

    Store.open(database_url).close()  # migrate once, before the race
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [context.Process(target=_write_all_seeds, args=(database_url, start, ROUNDS)) for _ in range(2)]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0, 0]

    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = lambda sql: connection.execute(text(sql)).scalar()  # noqa: E731
        assert count("select count(*) from entries") == 24
        assert count("select count(distinct feed_id) from entries") == 24
        assert count("select count(*) from change_events") == 24
        assert count("select count(*) from change_events where kind <> 'new'") == 0
        assert count("select count(*) from crawl_runs") == 2 * ROUNDS
    engine.dispose()
