"""Fill a store with a million entries in minutes, rows shaped exactly as the ingest writes them.

Going through ``Store.record_page`` would take many minutes per million items. Here each
mirror article is turned into the rows that the ingest writes for its article page seen
alone (entry, identity keys, version 1, ``new`` event) by the ingest's own functions
(observations, keys, content hash, storage.ingest.first_sight), and inserted in bulk with
SQLAlchemy Core. A key that already names an entry is skipped, as the ingest skips it (the
mirror repeats titles). ``tests/test_benchmarks_quick.py`` checks the rows against the
ingest's.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import Connection, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from benchmarks.mirror_items import article_page
from extraction.version import EXTRACTOR_VERSION
from storage.ingest.diffing import Content
from storage.ingest.first_sight import first_sight
from storage.ingest.identity import lookup_keys
from storage.ingest.observation import observations_of
from storage.ingest.page_ingest import content_hash
from storage.models import ChangeEvent, CrawlRun, Entry, EntryKey, EntryVersion
from storage.store import Store

ENTRIES_PER_CRAWL = 100_000
BATCH = 5_000
WORKERS = 2
PARALLEL_FROM_BATCHES = 10
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CRAWL_INTERVAL = dt.timedelta(hours=1)


def build_store(url: str, entries: int) -> Store:
    """A migrated store at ``url`` holding mirror articles 0..entries-1, one crawl per 100k
    (a large site is mostly backfilled by a few big crawls)."""
    store = Store.open(url)
    batches = [range(first, min(first + BATCH, entries)) for first in range(0, entries, BATCH)]
    with store.engine.begin() as connection:
        for rows in _generated(batches):
            _insert_batch(connection, rows)
        _after_bulk_load(connection)
    return store


def _generated(batches: list[range]) -> Iterator[list[dict]]:
    """The rows of each batch, in order. Making rows costs three times inserting them, so
    large stores make them in worker processes, a few batches ahead of the inserts."""
    if len(batches) < PARALLEL_FROM_BATCHES:
        yield from map(_rows_of_batch, batches)
        return
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future] = deque()
        for batch in batches:
            pending.append(pool.submit(_rows_of_batch, batch))
            if len(pending) > 2 * WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _rows_of_batch(indices: range) -> list[dict]:
    return [_rows_of(index) for index in indices]


def _insert_batch(connection: Connection, rows: list[dict]) -> None:
    crawls = sorted({row["entry"]["first_crawl_id"] for row in rows})
    known = set(connection.scalars(select(CrawlRun.id).where(CrawlRun.id.in_(crawls))))
    runs = [_crawl_row(crawl) for crawl in crawls if crawl not in known]
    if runs:
        connection.execute(CrawlRun.__table__.insert(), runs)
    connection.execute(Entry.__table__.insert(), [row["entry"] for row in rows])
    connection.execute(EntryVersion.__table__.insert(), [row["version"] for row in rows])
    connection.execute(ChangeEvent.__table__.insert(), [row["event"] for row in rows])
    keys = [key for row in rows for key in row["keys"]]
    connection.execute(_insert_skipping_known(connection), keys)


def _insert_skipping_known(connection: Connection):
    """INSERT that leaves an existing key alone, as ``PageWriter._register`` does."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(EntryKey.__table__).on_conflict_do_nothing()


def _crawl_of(index: int) -> int:
    return index // ENTRIES_PER_CRAWL + 1


def _crawl_row(crawl: int) -> dict:
    started = EPOCH + (crawl - 1) * CRAWL_INTERVAL
    return {
        "id": crawl,
        "started_at": started,
        "finished_at": started + CRAWL_INTERVAL / 2,
        "mode": "full",
        "status": "finished",
        "pages": ENTRIES_PER_CRAWL,
        "items_seen": ENTRIES_PER_CRAWL,
        "errors": 0,
        "warnings": 0,
        "notes": None,
    }


def _rows_of(index: int) -> dict:
    """The rows the ingest writes for article ``index`` seen on its own page, with ids."""
    (seen,) = observations_of(article_page(index))
    keys = lookup_keys(seen)
    crawl = _crawl_of(index)
    now = EPOCH + (crawl - 1) * CRAWL_INTERVAL + dt.timedelta(milliseconds=index % ENTRIES_PER_CRAWL)
    digest = content_hash(Content(seen.title, seen.url, seen.published, seen.summary, seen.body))
    sight = first_sight(seen, keys[0], digest, crawl, now, EXTRACTOR_VERSION)
    row_id = index + 1
    return {
        "entry": sight.entry | {"id": row_id},
        "version": sight.version | {"id": row_id, "entry_id": row_id},
        "event": sight.event | {"id": row_id, "entry_id": row_id, "to_version_id": row_id},
        "keys": [{"key": key, "entry_id": row_id} for key in keys],
    }


def _after_bulk_load(connection: Connection) -> None:
    """PostgreSQL: move the id sequences past the explicit ids, and gather statistics as
    autovacuum would on a store that grew over months. SQLite needs neither."""
    if connection.dialect.name != "postgresql":
        return
    for table in (CrawlRun, Entry, EntryVersion, ChangeEvent):
        name = table.__tablename__
        highest = connection.scalar(select(func.max(table.id))) or 1
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {highest})"))
    connection.execute(text("ANALYZE"))
