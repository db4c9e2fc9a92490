"""What a crawl cycle starts with: the requests the coordinator queues when it opens one.

The same as a one-process crawl starts with (crawler.spider.SiteSpider.start): the site's
start pages, what earlier crawls failed to fetch, and the known articles due for a re-check,
with the validators the store holds for them, so that an unchanged page answers 304.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from crawler.counters import CrawlCounters
from crawler.distributed.queue import cycle_request
from crawler.plan import CrawlPlan
from crawler.spider import ARTICLE_PRIORITY, LISTING_PRIORITY, RECHECK_BATCH, RECHECK_PRIORITY, SiteSpider
from storage.store import Store


def cycle_start(store: Store, plan: CrawlPlan, crawl_id: int) -> Iterator[tuple[str, bytes]]:
    """The cycle's first requests, as (fingerprint, encoded request), each URL once."""
    delay = plan.politeness.delay
    site = SiteSpider(plan, store, crawl_id, CrawlCounters())
    queued: set[str] = set()
    for url in plan.start_urls:
        queued.add(url)
        yield cycle_request(url, crawl_id, delay, LISTING_PRIORITY)
    for url in site.failed_before():
        if url not in queued:
            queued.add(url)
            yield cycle_request(
                url, crawl_id, delay, ARTICLE_PRIORITY if site.site.is_article(url) else LISTING_PRIORITY
            )
    due = (url for url in site.due_for_recheck() if url not in queued)
    while batch := list(islice(due, RECHECK_BATCH)):
        known = store.known_pages(batch)  # one query, not one per request
        for url in batch:
            yield cycle_request(url, crawl_id, delay, RECHECK_PRIORITY, known.get(url))
