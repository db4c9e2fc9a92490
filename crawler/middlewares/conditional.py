"""Conditional GET: ask only for pages that changed since the last crawl.

A downloader middleware, so that every request (retries and redirects included) gets the
validators remembered for its URL: ``If-None-Match`` from the stored ETag and
``If-Modified-Since`` from the stored Last-Modified. A server whose page did not change
answers ``304 Not Modified`` with no body; the spider then parses nothing and changes
nothing. What the store knows of the page travels on in ``request.meta["known_page"]``
(set beforehand by the spider for a batch of re-checks or of a page's links, else looked
up here),
so that the spider can walk a 304 listing by its remembered links and notice a page whose
items dropped to zero.

Scrapy's HTTP cache would answer or rewrite such requests itself; it stays disabled
(crawler.settings) so that the site is the one that answers.
"""

from __future__ import annotations

from scrapy.http import Request

KNOWN_PAGE = "known_page"
UNKNOWN_TO_STORE = "unknown_to_store"
"""Request meta: the URL the spider asked the store about with a batch, which knew nothing
of it (a new article): no need to ask again for each request."""


class ConditionalGetMiddleware:
    """Adds the stored validators to each http(s) request; see the module docstring."""

    @classmethod
    def from_crawler(cls, crawler) -> ConditionalGetMiddleware:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request) -> None:
        if not request.url.startswith(("http://", "https://")):
            return
        known = request.meta.get(KNOWN_PAGE)
        asked = known.url if known is not None else request.meta.get(UNKNOWN_TO_STORE)
        if asked != request.url:  # not looked up with a batch, or redirected
            known = self.crawler.spider.store.known_page(request.url)
        request.meta[KNOWN_PAGE] = known
        if known is None:
            return
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified)
