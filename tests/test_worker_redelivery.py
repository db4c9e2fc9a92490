"""A page stored twice by one crawl, as when a worker is killed after storing a page but
before finishing its request, and another worker fetches it again (docs/architecture.md,
"Crawl workers"): the store must keep one entry per item and one event per entry."""

from __future__ import annotations

from collections import Counter

from extraction.text_page import parse_page
from storage.store import PageFetch
from tests.support.helpers import SEED_FILES

SEED_ITEMS = 24
"""The five seeds hold 24 distinct news items (docs/architecture.md, "The pages")."""


def test_a_page_stored_twice_by_one_crawl_makes_no_second_entry_or_event(store):
    crawl_id = store.begin_crawl("live")
    for delivery in range(2):
        for index, path in enumerate(SEED_FILES):
            url = f"https://en.odkb-csto.org/test-pages/{index}"
            body = path.read_bytes()
            fetch = PageFetch(url, 200, None, None, body, "text/plain; charset=utf-8")
            store.record_page(crawl_id, parse_page(body.decode("utf-8"), url=url), fetch)
        assert store.entry_count() == SEED_ITEMS, f"after delivery {delivery + 1}"
    events = store.changes()
    assert Counter(event.kind for event in events) == {"new": SEED_ITEMS}
    assert len({event.entry_id for event in events}) == SEED_ITEMS
