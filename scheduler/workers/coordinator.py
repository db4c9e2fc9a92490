"""The coordinator: opens each site's crawl cycle on the shared queue, and closes it when done.

A cycle is one crawl run of one site in the store. The coordinator opens it (the run begins,
its start pages are queued, crawler.distributed.board), workers fetch and store its pages, and
once no request of it is queued or in flight the coordinator publishes the feeds and closes
the run with the counts the workers summed. A site with a cycle still open gets no new one:
the claim is in Redis, so two coordinators never open the same cycle twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from crawler.distributed.board import CycleBoard, CyclePlan
from crawler.distributed.cycle_start import cycle_start
from crawler.distributed.outages import REDIS, REDIS_AWAY, Outages
from crawler.plan import CrawlPlan
from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2


class Coordinator:
    """Opens, watches and closes crawl cycles; ``publish`` rewrites the feeds."""

    def __init__(self, store: Store, board: CycleBoard, publish: Callable[[], object]) -> None:
        self.store, self.board, self.publish = store, board, publish
        self.outages = Outages("coordinator")

    def open_cycle(self, plan: CrawlPlan) -> int | None:
        """The new cycle's crawl id; None when the site's last cycle is still open."""
        if not self.board.claim_site(plan.site):
            log.info("site %s: its crawl cycle is still open; no new one", plan.site)
            return None
        try:
            crawl_id = self.store.begin_crawl(plan.mode, plan.site)
        except Exception:  # no run, no cycle: the site may be tried again next time
            self.board.unclaim_site(plan.site)
            raise
        cycle = CyclePlan(
            crawl_id=crawl_id,
            site=plan.site,
            start_urls=plan.start_urls,
            full=plan.full,
            walk_listings=plan.walk_listings,
            delay=plan.politeness.delay,
            recheck_days=plan.recheck_after.total_seconds() / 86400,
            article_pattern=plan.article_pattern,
            max_pages=plan.politeness.max_pages,
            language=plan.language,
        )
        try:
            start = list(cycle_start(self.store, plan, crawl_id))
            self.board.open_cycle(cycle, start)
        except Exception as error:  # the run fails, rather than stay "running"; the claim expires
            self.store.finish_crawl(
                crawl_id,
                status="failed",
                pages=0,
                items_seen=0,
                errors=1,
                warnings=0,
                notes=f"its crawl cycle could not be queued: {error}",
            )
            raise
        log.info(
            "site %s: crawl cycle %d opened: %d requests queued (start pages, retries, re-checks)",
            plan.site,
            crawl_id,
            len(start),
        )
        return crawl_id

    def close_finished(self) -> list[CrawlSummary]:
        """Close every open cycle with nothing left queued or in flight (whoever opened it);
        requests of dead workers are queued again first."""
        self.board.reap()
        closed = []
        for crawl_id in self.board.open_cycles():
            if self.board.pending(crawl_id) <= 0:
                summary = self._close(crawl_id)
                if summary is not None:
                    closed.append(summary)
        return closed

    def _close(self, crawl_id: int) -> CrawlSummary | None:
        plan = self.board.plan_of(crawl_id)
        if plan is None or not self.board.take_for_closing(crawl_id):
            return None  # another coordinator closed it
        counts = self.board.counts(crawl_id)
        self.publish()  # before the run is finished: whoever sees it finished sees its feeds
        summary = self.store.finish_crawl(
            crawl_id,
            status="finished",
            pages=counts["pages"],
            items_seen=counts["items_seen"],
            errors=counts["errors"],
            warnings=counts["warnings"],
        )
        self.board.forget(plan)
        log.info(
            "site %s: crawl cycle %d done: %d pages, %d items, %d new, %d updated, %d errors",
            plan.site,
            crawl_id,
            summary.pages,
            summary.items_seen,
            summary.new,
            summary.updated,
            summary.errors,
        )
        return summary

    def crawl(self, plans: Sequence[CrawlPlan], stop: threading.Event) -> list[CrawlSummary]:
        """One cycle of each site (those not still in one), waiting until every cycle open
        is closed, or ``stop``. Redis away, a site gets no cycle this time, and the cycles
        open are waited for until it answers again."""
        for plan in plans:
            try:
                self.open_cycle(plan)
            except REDIS_AWAY as error:
                self.outages.away(REDIS, error)
        closed = []
        while not stop.is_set():
            try:
                closed += self.close_finished()
                if not self.board.open_cycles():
                    break
                self.outages.back(REDIS)
            except REDIS_AWAY as error:
                self.outages.away(REDIS, error)
            stop.wait(POLL_SECONDS)
        return closed
