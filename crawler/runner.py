"""Run one crawl through the real Scrapy engine and return its summary.

Scrapy's Twisted reactor cannot be restarted within a process, so :func:`run_crawl` runs at
most once per process; callers that crawl repeatedly (tests, the service) run it in a child
process.

A crawl stopped by Ctrl-C or SIGTERM (crawler.stop_signals) is recorded as failed, its notes
starting with "interrupted", and its summary says which signal stopped it: it did not walk
the site, and the next crawl must not take it for one that did (scheduler.crawl_job).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from sqlalchemy.exc import SQLAlchemyError

from crawler.counters import CrawlCounters
from crawler.pipeline import STORE_DAMAGED, STORE_LOCKED
from crawler.plan import CrawlPlan
from crawler.settings import scrapy_settings
from crawler.spider import SiteSpider
from crawler.stop_signals import INTERRUPTED, StopSignals
from storage.database import error_line
from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)

PAGE_SUFFIXES = (".txt", ".html", ".htm")


def fixture_urls(directory: Path) -> list[str]:
    """file:// URLs of every page file under ``directory``, in a stable order."""
    pages = sorted(
        path for path in directory.rglob("*") if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES
    )
    return [path.resolve().as_uri() for path in pages]


def run_crawl(
    store: Store, plan: CrawlPlan, *, before_finish: Callable[[], None] | None = None
) -> CrawlSummary:
    """Crawl as planned, storing every page; the crawl run is recorded either way.

    ``before_finish`` (the feeds) runs once the pages are stored and before the run is
    marked finished, so whoever sees a finished crawl (``/healthz``) also sees its feeds.
    """
    crawl_id = store.begin_crawl(plan.mode)
    counters = CrawlCounters()
    status, notes, stopped_by = "finished", None, None
    try:
        process = CrawlerProcess(scrapy_settings(plan))
        crawler = process.create_crawler(SiteSpider)
        process.crawl(crawler, plan=plan, store=store, crawl_id=crawl_id, counters=counters)
        with StopSignals(crawler) as stop:
            process.start(install_signal_handlers=False)
        _report_fetches(crawl_id, crawler.stats.get_stats(), counters)
        finish_reason = crawler.stats.get_value("finish_reason")
        if stop.received is not None or finish_reason == INTERRUPTED:
            stopped_by = stop.received.name if stop.received else None
            status, notes = "failed", f"interrupted by {stopped_by or 'a stop request'} before it finished"
        elif finish_reason == STORE_LOCKED:
            status, notes = "failed", "stopped: another process held the database's write lock"
        elif finish_reason == STORE_DAMAGED:
            status, notes = "failed", "stopped: the database file is damaged; restore it from a backup"
        elif (no_start := crawler.spider.start_pages.failure()) is not None:
            status, notes = "failed", no_start  # the crawl could do nothing
        elif before_finish is not None:
            before_finish()
    except SQLAlchemyError as error:  # the store failed: its message says it all
        log.error("crawl %d failed: database error: %s", crawl_id, error_line(error))
        status, notes = "failed", f"database error: {error_line(error)}"
    except Exception as error:  # the run is recorded as failed, never left "running"
        log.exception("crawl %d failed", crawl_id)
        status, notes = "failed", f"{type(error).__name__}: {error}"
    summary = store.finish_crawl(
        crawl_id,
        status=status,
        pages=counters.pages,
        items_seen=counters.items_seen,
        errors=counters.errors,
        warnings=counters.warnings,
        notes=notes,
    )
    return dataclasses.replace(summary, stopped_by=stopped_by)


def _report_fetches(crawl_id: int, stats: dict, counters: CrawlCounters) -> None:
    """What the crawl cost the site; a crawl stopped by its page limit is a warning."""
    log.info(
        "crawl %d fetched: %d requests, %d not modified (304), %d gone (404/410), %d bytes",
        crawl_id,
        stats.get("downloader/request_count", 0),
        counters.unchanged,
        counters.gone,
        stats.get("downloader/response_bytes", 0),
    )
    if stats.get("finish_reason") == "closespider_pagecount":
        counters.warnings += 1
        log.warning(
            "crawl %d stopped at its page limit (--max-pages): re-checks not reached wait for "
            "the next crawl, older listing pages for a `crawl --full`",
            crawl_id,
        )
