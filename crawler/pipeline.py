"""The Scrapy item pipeline: every fetched page goes into the store, one transaction each."""

from __future__ import annotations

import logging
from functools import singledispatchmethod

from scrapy.utils.defer import deferred_from_coro

from crawler.counters import CrawlCounters
from crawler.scrapy_items import PageGone, PageItem, PageUnchanged
from storage.database import error_line, is_damaged, waited_for_lock
from storage.fetch_failures import FailedFetch
from storage.store import PageFetch, Store

log = logging.getLogger(__name__)

UNCHANGED_BATCH = 100
"""Pages answered 304 whose check time is written in one statement."""
STORE_LOCKED = "store_locked"
"""Scrapy's finish reason for a crawl stopped because another writer held the store."""
STORE_DAMAGED = "store_damaged"
"""Scrapy's finish reason for a crawl stopped because the database file is damaged."""


class StorePipeline:
    """Writes what the spider found to the store and counts pages, items and warnings."""

    store: Store
    crawl_id: int
    counters: CrawlCounters

    def __init__(self) -> None:
        self._checked_unchanged: list[str] = []
        """Pages answered 304 whose check is not written yet."""

    @classmethod
    def from_crawler(cls, crawler) -> StorePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None) -> None:
        """The spider carries the crawl's store and counters (Scrapy settings are deep-copied,
        so live objects cannot travel in them)."""
        spider = self.crawler.spider
        self.store = spider.store
        self.crawl_id = spider.crawl_id
        self.counters = spider.counters

    def process_item(self, item, spider=None):
        try:
            self._store(item)
        except Exception as error:  # one unstorable page must not end the crawl; it is counted
            self.counters.errors += 1
            if waited_for_lock(error):
                self._stop_locked(item.url, error)
            elif is_damaged(error):
                self._stop_damaged(item.url, error)
            else:
                log.exception("page %s: could not be stored", item.url)
                self._retry_next_crawl(item, error)
        return item

    def _retry_unsure(self, url: str, reason: str) -> None:
        """A page read with doubt publishes only what is sure (often nothing): it is listed
        with the crawl's failures and asked for again, whole (no validators kept), by the
        next crawl; a missing item can come later, a junk one could not be taken back."""
        self.store.record_failure(self.crawl_id, FailedFetch(url, f"not published: {reason}"))

    def _retry_next_crawl(self, item, error: Exception) -> None:
        """A fetched page that could not be stored is a failure like a fetch's: kept with
        the crawl, so that the next crawl asks for it again."""
        if isinstance(item, FailedFetch):
            return
        try:
            self.store.record_failure(
                self.crawl_id, FailedFetch(item.url, f"could not be stored: {error_line(error)}")
            )
        except Exception:
            log.warning("page %s: its failure could not be recorded either", item.url)

    def _stop_locked(self, url: str, error: Exception) -> None:
        """Another writer held the store for the whole busy timeout: every next page would
        wait as long again, so the crawl stops; what it stored so far is whole."""
        log.error("page %s: could not be stored: %s; the crawl stops", url, error_line(error))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORE_LOCKED))

    def _stop_damaged(self, url: str, error: Exception) -> None:
        """The database file is damaged: writing on would only spread the damage, and a
        traceback per page would bury the one thing to do (restore it from a backup)."""
        log.error("page %s: could not be stored: %s; the crawl stops", url, error_line(error))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORE_DAMAGED))

    @singledispatchmethod
    def _store(self, item) -> None:
        raise TypeError(f"not a newswatch item: {item!r}")

    @_store.register
    def _page(self, item: PageItem) -> None:
        page = item.page
        self.counters.pages += 1
        if page.item_count == 0 and item.items_before > 0:
            self.counters.warnings += 1
            log.warning(
                "page %s: %d items last time, none now (%s): has the site changed its layout?",
                item.url,
                item.items_before,
                page.warning or "no teaser, no article",
            )
        elif page.warning:
            self.counters.warnings += 1
            log.warning("page %s: %s; %d items", item.url, page.warning, page.item_count)
        if page.warning:
            self._retry_unsure(item.url, page.warning)
        validators = (None, None) if page.warning else (item.etag, item.last_modified)
        fetch = PageFetch(
            item.url, item.status, *validators, item.body, item.content_type, item.new_page, item.links or ()
        )
        self.store.record_page(self.crawl_id, page, fetch)
        self.counters.items_seen += page.item_count
        log.info(
            "page %d done: %s (%d teasers, %s)",
            self.counters.pages,
            item.url,
            len(page.teasers),
            "article" if page.article else "no article",
        )

    @_store.register
    def _unchanged(self, item: PageUnchanged) -> None:
        """Written a batch at a time: a crawl killed before its batch is written only makes
        the next crawl re-check those pages again."""
        self.counters.unchanged += 1
        self._checked_unchanged.append(item.url)
        if len(self._checked_unchanged) >= UNCHANGED_BATCH:
            self._write_unchanged()

    def _write_unchanged(self) -> None:
        urls, self._checked_unchanged = self._checked_unchanged, []
        self.store.mark_unchanged(urls)

    def close_spider(self, spider=None) -> None:
        try:
            self._write_unchanged()
        except Exception as error:
            log.warning(
                "when %d unchanged pages were checked could not be stored: %s",
                len(self._checked_unchanged),
                error_line(error),
            )

    @_store.register
    def _gone(self, item: PageGone) -> None:
        self.counters.gone += 1
        self.store.mark_gone(item.url, item.status)
        if self.store.record_removed(self.crawl_id, item.url):
            log.info("page %s: answered %d; its entry is marked removed", item.url, item.status)

    @_store.register
    def _failed(self, item: FailedFetch) -> None:
        """Kept with the crawl run. A fault is an error, retried by the next crawl; a redirect
        to another host is the site's answer, not counted: the page is remembered as known
        and re-checked when due (storage.fetch_failures)."""
        if item.retry:
            self.store.record_failure(self.crawl_id, item)
            self.counters.errors += 1
            log.warning("page %s: fetch failed: %s", item.url, item.reason)
        else:
            self.store.record_redirected_away(self.crawl_id, item)
            log.warning("page %s: %s", item.url, item.reason)
