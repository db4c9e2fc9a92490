"""A site's politeness held across every worker, in Redis per host: at most
``NEWSWATCH_SITE_CONCURRENCY`` requests in flight to it (2, as in a one-process crawl), and its
delay between two requests.

Before each request to a host, a worker takes one of the host's in-flight slots (a Lua script
counts the slots held, those of dead workers freed) and gives it back once the answer (or the
failure) is in. Then it takes the host's delay lease, ``P:delay:HOST`` with SET NX PX delay:
only one worker wins it, and nobody else may ask that host until it expires. So the site sees
no more requests at once, and none closer together, however many workers there are (Scrapy's
own per-process limits are off in workers). The slot comes first: a request that took the
delay lease and then waited for a slot would leave later than its lease says.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from scrapy import Request

from crawler.distributed.outages import REDIS, REDIS_AWAY, RETRY_SECONDS
from crawler.distributed.queue import DELAY

T = TypeVar("T")

SHORTEST_WAIT_SECONDS = 0.01
SLOT_WAIT_SECONDS = 0.05
"""How often a request waiting for a free slot of its host asks again."""
SLOT = "newswatch_slot"
"""Request meta: the in-flight slot the request holds (its host and token)."""
SITE_CONCURRENCY = "NEWSWATCH_SITE_CONCURRENCY"
"""The setting: requests in flight to one host at most, over all workers."""


class SitePolitenessMiddleware:
    """Downloader middleware, the last: waits for a slot of the host and for its delay lease
    before each request, and frees the slot when the request is done."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint(SITE_CONCURRENCY)
        self._unfreed: list[tuple[str, str]] = []
        """Slots whose request is done, not yet freed for want of Redis."""

    @classmethod
    def from_crawler(cls, crawler) -> SitePolitenessMiddleware:
        return cls(crawler)

    @property
    def board(self):
        return self.crawler.spider.board

    async def process_request(self, request: Request, spider=None) -> None:
        host = urlsplit(request.url).netloc
        token = uuid.uuid4().hex
        worker = self.crawler.spider.worker
        self._free_unfreed()
        while not await self._asking_redis(lambda: self.board.take_slot(host, worker, token, self.limit)):
            await asyncio.sleep(SLOT_WAIT_SECONDS)
        request.meta[SLOT] = (host, token)
        delay = request.meta.get(DELAY) or 0.0
        if delay > 0:  # none for robots.txt (the downloader's own request), nor a site without
            while left_ms := await self._asking_redis(lambda: self.board.take_delay(host, delay)):
                await asyncio.sleep(max(left_ms / 1000, SHORTEST_WAIT_SECONDS))
        return None

    async def _asking_redis(self, ask: Callable[[], T]) -> T:
        """What Redis answers ``ask``, waiting for it to be back if it is away: the request
        goes nowhere without its slot and lease."""
        outages = self.crawler.spider.outages
        while True:
            try:
                return ask()
            except REDIS_AWAY as error:
                outages.away(REDIS, error)
                await asyncio.sleep(RETRY_SECONDS)

    def process_response(self, request: Request, response, spider=None):
        self._free(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        self._free(request)
        return None

    def _free(self, request: Request) -> None:
        """The request's slot, if it holds one (an earlier middleware may have answered it,
        or refused it, before it reached this one). Redis away, it is freed with the next."""
        slot = request.meta.pop(SLOT, None)
        if slot is not None:
            self._unfreed.append(slot)
        self._free_unfreed()

    def _free_unfreed(self) -> None:
        while self._unfreed:
            try:
                self.board.free_slot(*self._unfreed[-1])
            except REDIS_AWAY as error:
                self.crawler.spider.outages.away(REDIS, error)
                return
            self._unfreed.pop()
