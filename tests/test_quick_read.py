"""The change log read without SQLAlchemy (storage/quick_read.py) is the Store's own, on the
same stores and filters; any store it should not read is left to the Store."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from extraction.parsed import ParsedPage, ParsedTeaser
from storage.quick_read import quick_changes
from storage.store import Store
from tests.support.helpers import run_cli
from tests.test_entry_history import edited_then_removed

OTHER_SITE = "csto-ru"


@pytest.fixture
def database(tmp_path):
    """An SQLite store with new, updated and removed events, of two sites, one entry with no
    title (its headline is made of its text)."""
    url = f"sqlite:///{tmp_path / 'newswatch.sqlite3'}"
    store = Store.open(url)
    edited_then_removed(store)
    crawl_id = store.begin_crawl("test", OTHER_SITE)
    teaser = ParsedTeaser(text="Учения прошли в Минске. Они длились три дня.")
    store.record_page(crawl_id, ParsedPage(url="https://odkb-csto.org/news/", teasers=(teaser,)))
    store.finish_crawl(crawl_id, status="finished", pages=1, items_seen=1, errors=0, warnings=0)
    yield url, store
    store.close()


FILTERS = [
    {},
    {"limit": 3},
    {"kinds": ("updated",)},
    {"kinds": ("new", "removed"), "limit": 2},
    {"site": OTHER_SITE},
    {"site": "csto-en", "kinds": ("new",)},
    {"since": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)},
    {"since": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)},
]


@pytest.mark.parametrize("which", FILTERS)
def test_the_quick_reading_is_the_stores(database, which):
    url, store = database
    expected = store.changes(**which)
    assert quick_changes(url, **which) == expected


def test_the_store_holds_what_the_comparison_needs(database):
    """Every kind of event, both sites, and an entry titled by its text are in the store."""
    _, store = database
    changes = store.changes()
    assert {change.kind for change in changes} == {"new", "updated", "removed"}
    assert {change.site for change in changes} == {"csto-en", OTHER_SITE}
    assert any(change.title == "Учения прошли в Минске." for change in changes)
    assert any(change.diff and change.fields for change in changes)


def test_stores_it_should_not_read_are_left_to_the_store(database, tmp_path):
    url, store = database
    assert quick_changes("postgresql+psycopg://postgres@127.0.0.1:5432/newswatch") is None
    assert quick_changes(f"sqlite:///{tmp_path / 'missing.sqlite3'}") is None
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 100)
    assert quick_changes(f"sqlite:///{damaged}") is None
    with store.engine.begin() as connection:  # a store one migration behind: it must be migrated first
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0008'")
    assert quick_changes(url) is None


def test_the_quick_reading_never_writes(database):
    url, _ = database
    path = url.removeprefix("sqlite:///")
    before = sqlite3.connect(path).execute("SELECT count(*) FROM change_events").fetchone()
    quick_changes(url)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM change_events").fetchone() == before


def test_the_changes_command_reads_quickly_what_the_store_holds(database, tmp_path):
    """``newswatch changes --json`` on a current SQLite store: the Store's change log."""
    _, store = database
    done = run_cli("changes", "--json", "--site", "csto-en", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.json() == [change.as_json() for change in store.changes(site="csto-en")]
