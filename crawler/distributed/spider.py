"""The worker's spider: one spider for every site and cycle, reading each page as that
site's own spider (crawler.spider.SiteSpider) would.

A page's request names its cycle (:data:`~crawler.distributed.queue.CRAWL_ID`); the cycle's
plan, read once from Redis, makes a SiteSpider that parses the page and decides the links to
follow, exactly as in a one-process crawl. What it yields is relayed: requests to the shared
queue, items to the store tagged with their cycle, and last a :class:`Finished` marker: the
item pipeline handles a response's outputs one at a time and in order (CONCURRENT_ITEMS = 1),
so the request is finished only once its page is stored and its links queued.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.request import request_from_dict
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import task

from crawler.counters import CrawlCounters
from crawler.distributed.board import CycleBoard, CyclePlan, decode
from crawler.distributed.outages import REDIS, REDIS_AWAY, Outages
from crawler.distributed.queue import CRAWL_ID, DELAY, TAKEN
from crawler.links import Site
from crawler.plan import CrawlPlan, Politeness
from crawler.spider import SiteSpider
from storage.store import Store

log = logging.getLogger(__name__)

CYCLES_KEPT = 64
"""Cycles whose SiteSpider a worker keeps (a few per site: the current one, a closing one)."""
POLL_SECONDS = 0.2
"""How often an idle worker looks at the queue (Scrapy itself looks every 5 s)."""
LEASE_RENEWAL_SECONDS = 1.0


@dataclass(frozen=True)
class InCycle:
    """An item of a cycle: the store pipeline's item, and the crawl run it goes to."""

    crawl_id: int
    item: Any


@dataclass(frozen=True)
class Finished:
    """The last output of a request: everything it gave is handled, it leaves the worker."""

    crawl_id: int
    taken: bytes | None


class WorkerSpider(scrapy.Spider):
    """Takes any site's requests from the shared queue until stopped."""

    name = "newswatch-worker"

    def __init__(self, store: Store, board: CycleBoard, worker: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store, self.board, self.worker = store, board, worker
        self._cycles: OrderedDict[int, SiteSpider | None] = OrderedDict()
        self._timers: list[task.LoopingCall] = []
        self.outages = Outages(f"worker {worker}")
        self._taken_at: dict[bytes, int] = {}
        """Each request held, and :attr:`Outages.serial` when it was taken."""
        self._unfinished: list[bytes] = []
        """Requests done with while Redis was away: finished (given back) on the next beat."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> WorkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    async def start(self):
        """Nothing of its own: every request comes from the queue."""
        return
        yield

    # -- pages ----------------------------------------------------------------------------

    def parse(self, response, **kwargs):
        cycle = self._cycle(response.meta)
        outputs = cycle.parse(response) if cycle is not None else ()
        yield from self._relay(outputs, response.request)

    def on_error(self, failure):
        cycle = self._cycle(failure.request.meta)
        outputs = cycle.on_error(failure) if cycle is not None else ()
        yield from self._relay(outputs, failure.request)

    def _relay(self, outputs: Iterable[Any], request: scrapy.Request) -> Iterator[Any]:
        crawl_id = request.meta[CRAWL_ID]
        try:
            for output in outputs:
                if isinstance(output, scrapy.Request):
                    meta = {**output.meta, CRAWL_ID: crawl_id, DELAY: request.meta.get(DELAY, 0.0)}
                    yield output.replace(callback=self.parse, errback=self.on_error, meta=meta)
                else:
                    yield InCycle(crawl_id, output)
        except SQLAlchemyError as error:  # the page was read with the store's help
            if not self.outages.store_failed(self.store, error):
                raise  # so the request is given back, not finished
        yield Finished(crawl_id, request.meta.get(TAKEN))

    def _cycle(self, meta: dict) -> SiteSpider | None:
        """The cycle's own SiteSpider; None for a cycle already closed (a stray request)."""
        crawl_id = meta[CRAWL_ID]
        if crawl_id not in self._cycles:
            plan = self.board.plan_of(crawl_id)
            if plan is None:
                log.warning("cycle %d is closed: a request of it is dropped", crawl_id)
            self._cycles[crawl_id] = None if plan is None else self._site_spider(plan)
            while len(self._cycles) > CYCLES_KEPT:
                self._cycles.popitem(last=False)
        self._cycles.move_to_end(crawl_id)
        return self._cycles[crawl_id]

    def _site_spider(self, cycle: CyclePlan) -> SiteSpider:
        plan = CrawlPlan(
            start_urls=cycle.start_urls,
            site=cycle.site,
            full=cycle.full,
            walk_listings=cycle.walk_listings,
            recheck_after=dt.timedelta(days=cycle.recheck_days),
            politeness=Politeness(delay=cycle.delay, max_pages=cycle.max_pages),
            article_pattern=cycle.article_pattern,
            language=cycle.language,
        )
        return SiteSpider(plan, self.store, cycle.crawl_id, CrawlCounters())

    def site_of(self, request: scrapy.Request) -> Site:
        """The site of the request's cycle (crawler.middlewares.offsite_redirects); a request
        of no cycle (robots.txt) is of its own host."""
        cycle = self._cycle(request.meta) if CRAWL_ID in request.meta else None
        return cycle.site if cycle is not None else Site.of((request.url,))

    def taken(self, raw: bytes) -> scrapy.Request:
        """The request taken from the queue as ``raw``, remembered as held."""
        request = request_from_dict(decode(raw), spider=self)
        request.meta[TAKEN] = raw
        self._taken_at[raw] = self.outages.serial
        return request

    def within_page_limit(self, request: scrapy.Request) -> bool:
        """Whether the request may be fetched: its cycle's requests taken, over all workers,
        are within the site's page limit. The first one past it stops the cycle, as the page
        limit stops a one-process crawl: with a warning, the rest of its queue unfetched."""
        cycle = self._cycle(request.meta)
        limit = cycle.plan.politeness.max_pages if cycle is not None else 0
        if not limit:
            return True
        crawl_id = request.meta[CRAWL_ID]
        try:
            taken = self.board.take_page(crawl_id)
            if taken == limit + 1:
                self.board.count(crawl_id, {"warnings": 1})
        except REDIS_AWAY as error:  # fetched uncounted rather than lost
            self.outages.away(REDIS, error)
            return True
        if taken == limit + 1:
            log.warning("crawl %d reached its page limit (--max-pages): the rest of it is dropped", crawl_id)
        return taken <= limit

    def finish(self, taken: bytes) -> None:
        """The request taken as ``taken`` is done with: it leaves the processing list; given
        back to the queue instead if Redis or the store was away since it was taken."""
        try:
            if self._taken_at.get(taken, self.outages.serial) < self.outages.serial:
                self.board.give_back(self.worker, taken)
                log.info("a request held during an outage is queued again: %s", decode(taken).get("url"))
            else:
                self.board.finish(self.worker, taken, decode(taken)["meta"][CRAWL_ID])
        except REDIS_AWAY as error:
            self.outages.away(REDIS, error)
            self._unfinished.append(taken)
            return
        self._taken_at.pop(taken, None)

    # -- the worker's life ----------------------------------------------------------------

    def _opened(self, spider) -> None:
        self.board.renew_lease(self.worker)
        self._every(LEASE_RENEWAL_SECONDS, self._renew)
        self._every(POLL_SECONDS, self.crawler.engine._slot.nextcall.schedule)
        log.info("worker %s: taking requests from %s", self.worker, self.board.queue)

    def _every(self, seconds: float, call) -> None:
        timer = task.LoopingCall(call)
        timer.start(seconds, now=False).addErrback(lambda failure: log.error("%s", failure.value))
        self._timers.append(timer)

    def _renew(self) -> None:
        """The worker's lease, the requests it could not finish while Redis was away, and the
        reaping of dead workers' requests (any worker may)."""
        try:
            self.board.renew_lease(self.worker)
        except REDIS_AWAY as error:  # try again on the next beat
            self.outages.away(REDIS, error)
            return
        self.outages.back(REDIS)
        unfinished, self._unfinished = self._unfinished, []
        for taken in unfinished:
            self.finish(taken)
        try:
            reaped = self.board.reap()
        except REDIS_AWAY as error:
            self.outages.away(REDIS, error)
            return
        if reaped:
            log.warning("%d requests of a worker that stopped answering are queued again", reaped)

    def _idle(self, spider) -> None:
        """Nothing in flight: whatever the processing list still holds was never finished
        (dropped by Scrapy on its way), so it is finished now rather than hold its cycle open."""
        try:
            held = self.board.held(self.worker)
        except REDIS_AWAY as error:
            self.outages.away(REDIS, error)
            raise DontCloseSpider from None
        for taken in held:
            if taken not in self._unfinished:
                log.warning("a request left unfinished is dropped: %s", decode(taken).get("url"))
                self.finish(taken)
        raise DontCloseSpider

    def _closed(self, spider, reason: str) -> None:
        for timer in self._timers:
            if timer.running:
                timer.stop()
        try:
            requeued = self.board.release(self.worker)
        except REDIS_AWAY as error:
            log.warning(
                "worker %s stopped (%s) without Redis (%s): what it held is queued again when its lease expires",
                self.worker,
                reason,
                error,
            )
            return
        log.info("worker %s stopped (%s); %d requests it held queued again", self.worker, reason, requeued)
