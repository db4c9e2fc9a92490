"""Conditional GET's validators (crawler/middlewares/conditional.py): from what the spider
already looked up with a batch, else from the store, asked once per request."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request

from crawler.middlewares.conditional import KNOWN_PAGE, UNKNOWN_TO_STORE, ConditionalGetMiddleware
from storage.store import KnownPage

URL = "https://news.example.org/news/2024/05/03/talks/"
STORED = KnownPage(URL, 200, '"v1"', "Fri, 03 May 2024 10:00:00 GMT", 1)


class CountingStore:
    """What the store knows: ``pages``; every question asked of it is counted."""

    def __init__(self, *pages: KnownPage) -> None:
        self.pages = {page.url: page for page in pages}
        self.asked: list[str] = []

    def known_page(self, url: str) -> KnownPage | None:
        self.asked.append(url)
        return self.pages.get(url)


def middleware(store: CountingStore) -> ConditionalGetMiddleware:
    return ConditionalGetMiddleware.from_crawler(SimpleNamespace(spider=SimpleNamespace(store=store)))


def test_a_page_the_spider_found_unknown_is_not_asked_about_again():
    store = CountingStore()
    request = Request(URL, meta={UNKNOWN_TO_STORE: URL})
    middleware(store).process_request(request)
    assert store.asked == [] and request.meta[KNOWN_PAGE] is None
    assert b"If-None-Match" not in request.headers


def test_a_page_looked_up_with_a_batch_gets_its_validators_without_asking():
    store = CountingStore(STORED)
    request = Request(URL, meta={KNOWN_PAGE: STORED})
    middleware(store).process_request(request)
    assert store.asked == []
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == STORED.last_modified.encode()


def test_a_redirected_request_asks_the_store_about_its_new_address():
    """What was looked up was about the old address; the new one may be known."""
    moved = KnownPage(URL + "moved/", 200, '"v2"', None, 1)
    store = CountingStore(moved)
    for meta in ({UNKNOWN_TO_STORE: URL}, {KNOWN_PAGE: STORED}, {}):
        request = Request(moved.url, meta=dict(meta))
        middleware(store).process_request(request)
        assert request.headers[b"If-None-Match"] == b'"v2"'
    assert store.asked == [moved.url] * 3
