"""Many sites in one store (docs/architecture.md, "Many sites"): each site's items are its
own, even when two sites show the same words or the same article, and the built-in site's
feed ids are what they were before the store knew sites."""

from __future__ import annotations

import uuid

from extraction.text_page import parse_page
from storage.ingest.first_sight import FEED_ID_NAMESPACE
from storage.ingest.identity import text_key
from storage.models import BUILT_IN_SITE
from tests.support.helpers import SEED_FILES

SEED = SEED_FILES[0]


def crawl_seed(store, site: str) -> int:
    crawl_id = store.begin_crawl("test", site)
    store.record_page(crawl_id, parse_page(SEED.read_text(encoding="utf-8"), url=SEED.as_uri()))
    store.finish_crawl(crawl_id, status="finished", pages=1, items_seen=0, errors=0, warnings=0)
    return crawl_id


def test_two_sites_showing_the_same_page_keep_two_sets_of_entries(store):
    crawl_seed(store, BUILT_IN_SITE)
    crawl_seed(store, "mirror")
    mine, theirs = store.latest_entries(500, site=BUILT_IN_SITE), store.latest_entries(500, site="mirror")
    assert mine and len(mine) == len(theirs)
    assert {entry.site for entry in mine} == {BUILT_IN_SITE}
    assert {entry.site for entry in theirs} == {"mirror"}
    assert not {entry.entry_id for entry in mine} & {entry.entry_id for entry in theirs}
    assert store.entry_count() == 2 * len(mine)
    assert store.entry_count(site="mirror") == len(theirs)


def test_a_sites_change_log_holds_its_own_events_only(store):
    crawl_seed(store, BUILT_IN_SITE)
    crawl_seed(store, "mirror")
    events = store.changes(site="mirror")
    assert events and {event.site for event in events} == {"mirror"}
    assert len(store.changes()) == 2 * len(events)


def test_crawling_a_site_again_finds_its_entries_unchanged(store):
    crawl_seed(store, "mirror")
    again = crawl_seed(store, "mirror")
    summary = store.crawl_summary(again)
    assert (summary.new, summary.updated, summary.site) == (0, 0, "mirror")
    assert store.last_crawl(site="mirror").crawl_id == again
    assert store.last_crawl(site=BUILT_IN_SITE) is None


def test_the_built_in_sites_feed_ids_come_from_unscoped_keys(store):
    """A teaser of the built-in site is named by its text key alone, as before sites: the id
    a subscriber holds is uuid5 of that key."""
    crawl_seed(store, BUILT_IN_SITE)
    page = parse_page(SEED.read_text(encoding="utf-8"), url=SEED.as_uri())
    teaser = next(t for t in page.teasers if t.url is None)
    expected = f"urn:uuid:{uuid.uuid5(FEED_ID_NAMESPACE, text_key(teaser.text))}"
    assert expected in {entry.entry_id for entry in store.latest_entries(500)}
