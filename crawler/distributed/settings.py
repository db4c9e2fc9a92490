"""The Scrapy settings of a worker: a live crawl's (crawler.settings), on the shared queue."""

from __future__ import annotations

from crawler.distributed.politeness import SITE_CONCURRENCY
from crawler.plan import CrawlPlan
from crawler.settings import scrapy_settings

WORKER_CONCURRENCY = 8
"""Requests a worker has in flight at most, over all sites."""


def worker_settings(redis_url: str, *, concurrency: int = WORKER_CONCURRENCY, verbose: bool = False) -> dict:
    """A live crawl's settings, but: requests come from the shared Redis queue; the site's
    delay and requests in flight are held in Redis (crawler.distributed.politeness), not per
    process; the page limit is the cycle's, counted in Redis (crawler.distributed.queue), as
    a worker sees only part of each cycle."""
    live = scrapy_settings(CrawlPlan(start_urls=(), verbose=verbose))
    extensions = {
        name: order for name, order in live["EXTENSIONS"].items() if not name.endswith("AutoThrottle")
    }
    return live | {
        "SCHEDULER": "crawler.distributed.queue.WorkerScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.ReliableQueue",
        "DUPEFILTER_CLASS": "crawler.distributed.queue.CycleDupeFilter",
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"crawler.distributed.pipeline.WorkerPipeline": 300},
        "CONCURRENT_REQUESTS": concurrency,
        # Each site's pace is its slot and delay lease in Redis, taken just before the request
        # leaves (politeness at 950, the last middleware): a per-process slot holding a
        # request back after it took the lease would send two requests closer than the delay.
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        SITE_CONCURRENCY: live["CONCURRENT_REQUESTS_PER_DOMAIN"],
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "EXTENSIONS": extensions,
        "CLOSESPIDER_PAGECOUNT": 0,
        "DOWNLOADER_MIDDLEWARES": live["DOWNLOADER_MIDDLEWARES"]
        | {"crawler.distributed.politeness.SitePolitenessMiddleware": 950},
    }
