"""The statements the store runs for every page a crawl fetches are built once, at import
(storage.ingest.edit_rows says why: building one cost as much as running it). Recording
pages, their new items, their edits and a failure builds none, on every supported database."""

from __future__ import annotations

import contextlib

import pytest

from extraction.text_page import parse_page
from storage import fetch_failures, keyed_rows, page_bodies
from storage import store as store_module
from storage.fetch_failures import FailedFetch
from storage.ingest import edit_rows, first_sight, loaded_entry, near_duplicates, page_ingest
from storage.store import PageFetch
from tests.test_change_tracking import edited, page_url, seeds

BUILDERS = ("select", "insert", "update", "delete")
MODULES = (
    edit_rows, first_sight, loaded_entry, near_duplicates, page_ingest, keyed_rows, fetch_failures, page_bodies,
    store_module,
)  # fmt: skip


def _refuse(*args, **kwargs):
    pytest.fail("a statement was built while a page was recorded")


@contextlib.contextmanager
def statements_refused(monkeypatch: pytest.MonkeyPatch):
    """Every statement builder these modules use, made to fail the test when called."""
    with monkeypatch.context() as patched:
        for module in MODULES:
            for name in BUILDERS:
                if hasattr(module, name):
                    patched.setattr(module, name, _refuse)
        yield


def record(store, crawl_id: int, pages: dict[str, str], *, new: bool) -> None:
    for prefix, text in pages.items():
        url = page_url(prefix)
        fetch = PageFetch(url, 200, body=text.encode("utf-8"), content_type="text/plain", new_page=new)
        store.record_page(crawl_id, parse_page(text, url=url), fetch)


def test_recording_pages_builds_no_statement(store, monkeypatch):
    first, *others = seeds().items()
    crawl_id = store.begin_crawl("test")
    record(store, crawl_id, dict([first]), new=True)  # the crawl's site is looked up once
    with statements_refused(monkeypatch):
        record(store, crawl_id, dict(others), new=True)
        store.record_failure(crawl_id, FailedFetch(page_url("zzz"), "timed out"))
    store.finish_crawl(crawl_id, status="finished", pages=5, items_seen=0, errors=1, warnings=0)
    assert store.entry_count() == 24

    first, *others = edited().items()
    crawl_id = store.begin_crawl("test")
    record(store, crawl_id, dict([first]), new=False)
    updated_before = store.crawl_summary(crawl_id).updated
    with statements_refused(monkeypatch):
        record(store, crawl_id, dict(others), new=False)
    assert store.crawl_summary(crawl_id).updated > updated_before  # edits were written
