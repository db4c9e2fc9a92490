"""scrapy-redis's scheduler on the shared queue of crawler.distributed.board: a reliable
queue, and a duplicate filter per crawl cycle.

scrapy-redis pops a request destructively, and keeps every fingerprint forever under one key;
here a request taken is moved into the worker's processing list until finished
(:data:`TAKEN` in its meta says which bytes to finish), and fingerprints are kept per cycle.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.dupefilters import BaseDupeFilter
from scrapy.utils.request import fingerprint
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.board import encode
from crawler.distributed.outages import REDIS, REDIS_AWAY
from crawler.middlewares.conditional import KNOWN_PAGE
from storage.store import KnownPage

log = logging.getLogger(__name__)

CRAWL_ID = "newswatch_crawl_id"
"""Request meta: the crawl cycle (and run in the store) a request belongs to."""
DELAY = "newswatch_delay"
"""Request meta: the site's delay between requests, in seconds (crawler.distributed.politeness)."""
TAKEN = "newswatch_taken"
"""Request meta: the request's bytes as the worker took them from the queue."""


class ReliableQueue(Base):
    """The shared FIFO queue; the spider (crawler.distributed.spider) carries the board and
    the worker's name."""

    def __len__(self) -> int:
        try:
            return self.spider.board.queued()
        except REDIS_AWAY as error:
            self.spider.outages.away(REDIS, error)
            return 0

    def push(self, request: Request) -> None:
        """Queue ``request``; a request Scrapy sends again (a retry, a redirect) copies the
        meta of the one taken, which is finished now, its successor being queued."""
        taken = request.meta.pop(TAKEN, None)
        try:
            self.spider.board.push(self._encode_request(request), request.meta[CRAWL_ID])
        except REDIS_AWAY:
            request.meta[TAKEN] = taken  # still to finish (WorkerScheduler.enqueue_request)
            raise
        if taken is not None:
            self.spider.finish(taken)

    def pop(self, timeout: int = 0) -> Request | None:
        """The next request to fetch; one of a cycle past its page limit is finished unfetched.
        None while Redis or the store is away (crawler.distributed.outages)."""
        if self.spider.outages.paused:
            return None
        try:
            while (raw := self.spider.board.take(self.spider.worker)) is not None:
                request = self.spider.taken(raw)
                if self.spider.within_page_limit(request):
                    return request
                self.spider.finish(raw)
        except REDIS_AWAY as error:
            self.spider.outages.away(REDIS, error)
        return None

    def _encode_request(self, request: Request) -> bytes:
        return encode(request.to_dict(spider=self.spider))

    def clear(self) -> None:
        """Never: the queue is shared by every worker (SCHEDULER_PERSIST keeps it)."""


class CycleDupeFilter(BaseDupeFilter):
    """Each URL once per crawl cycle, across all workers; a cycle's fingerprints expire."""

    def __init__(self, spider) -> None:
        self.spider = spider

    @classmethod
    def from_spider(cls, spider) -> CycleDupeFilter:
        return cls(spider)

    def request_seen(self, request: Request) -> bool:
        return not self.spider.board.first_seen(request.meta[CRAWL_ID], fingerprint(request).hex())

    def log(self, request: Request, spider) -> None:
        log.debug("already queued in this cycle: %s", request.url)


class WorkerScheduler(Scheduler):
    """scrapy-redis's scheduler; a retry or redirect dropped as a duplicate, or not queued for
    want of Redis, still finishes the request it came from (given back after an outage)."""

    def enqueue_request(self, request: Request) -> bool:
        try:
            queued = super().enqueue_request(request)
        except REDIS_AWAY as error:  # the page that gave it is given back: it comes again
            self.spider.outages.away(REDIS, error)
            queued = False
        taken = request.meta.pop(TAKEN, None) if not queued else None
        if taken is not None:
            self.spider.finish(taken)
        return queued


def cycle_request(
    url: str, crawl_id: int, delay: float, priority: int, known: KnownPage | None = None
) -> tuple[str, bytes]:
    """A request as the coordinator queues it: its fingerprint and its bytes, the spider's
    callbacks named (crawler.distributed.spider.WorkerSpider), the validators of a page the
    store knows carried along (crawler.middlewares.conditional)."""
    meta = {CRAWL_ID: crawl_id, DELAY: delay} | ({KNOWN_PAGE: known} if known is not None else {})
    request = Request(url, meta=meta, priority=priority)
    as_dict = request.to_dict() | {"callback": "parse", "errback": "on_error"}
    return fingerprint(request).hex(), encode(as_dict)
