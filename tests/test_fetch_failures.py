"""Which failed pages the next crawl retries (storage/fetch_failures.py), on every database.

The crawl-level story is in test_crawl_faults.py; here the rule itself: a page failed in
the latest finished crawl, or in a later one, is retried until a crawl fetches it.
"""

from __future__ import annotations

from extraction.parsed import ParsedPage
from storage.fetch_failures import FailedFetch
from storage.models import BUILT_IN_SITE
from storage.store import PageFetch

SITE = "http://127.0.0.1:8000/"
LISTING = SITE + "news/?PAGEN_1=2"
ARTICLE = SITE + "news/news_odkb/an-article/"
MOVED = SITE + "news/news_odkb/old-address/"


def finished_crawl(store, *failures: FailedFetch, site: str = BUILT_IN_SITE) -> int:
    crawl_id = store.begin_crawl("live", site)
    for failure in failures:
        store.record_failure(crawl_id, failure)
    store.finish_crawl(crawl_id, status="finished", pages=0, items_seen=0, errors=len(failures), warnings=0)
    return crawl_id


def test_failures_of_the_last_crawl_are_retried_until_fetched(store):
    finished_crawl(store, FailedFetch(LISTING, "HTTP 500"), FailedFetch(ARTICLE, "timed out"))
    retrying = store.begin_crawl("live")
    assert store.failures_to_retry(retrying, SITE) == [LISTING, ARTICLE]
    store.record_page(retrying, ParsedPage(url=LISTING), PageFetch(LISTING, 200))
    assert store.failures_to_retry(retrying, SITE) == [ARTICLE]
    assert store.failures_to_retry(retrying, "http://elsewhere.example/") == []


def test_a_crawl_that_fetched_them_leaves_nothing_to_retry(store):
    finished_crawl(store, FailedFetch(LISTING, "HTTP 500"))
    retried = store.begin_crawl("live")
    store.record_page(retried, ParsedPage(url=LISTING), PageFetch(LISTING, 200))
    store.finish_crawl(retried, status="finished", pages=1, items_seen=0, errors=0, warnings=0)
    assert store.failures_to_retry(store.begin_crawl("live"), SITE) == []


def test_a_crawl_killed_before_retrying_leaves_them_outstanding(store):
    finished_crawl(store, FailedFetch(ARTICLE, "HTTP 503"))
    killed = store.begin_crawl("live")
    store.record_failure(killed, FailedFetch(LISTING, "reset"))
    store.close_abandoned_crawls("killed", [BUILT_IN_SITE])
    assert store.failures_to_retry(store.begin_crawl("live"), SITE) == [ARTICLE, LISTING]


def test_a_redirect_to_another_host_is_recorded_not_retried(store):
    crawl_id = finished_crawl(store, FailedFetch(MOVED, "redirected to another host", retry=False))
    assert store.crawl_summary(crawl_id).failures == (
        FailedFetch(MOVED, "redirected to another host", False),
    )
    assert store.failures_to_retry(store.begin_crawl("live"), SITE) == []


def test_each_site_keeps_its_own_failures_to_retry(store):
    """Another site's crawl, finished since, neither retires a site's failures nor takes them."""
    other_site = "http://127.0.0.1:8001/"
    finished_crawl(store, FailedFetch(LISTING, "HTTP 500"))
    finished_crawl(store, FailedFetch(other_site + "news/", "timed out"), site="other")
    assert store.failures_to_retry(store.begin_crawl("live"), SITE) == [LISTING]
    assert store.failures_to_retry(store.begin_crawl("live", "other"), other_site) == [other_site + "news/"]
    assert store.failures_to_retry(store.begin_crawl("live", "other"), SITE) == []
