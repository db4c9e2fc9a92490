"""Coordinators on one Redis and one store (scheduler.workers.coordinator): two at once (a
second one started by mistake, or one restarted while the first still runs) open a site's
crawl cycle once, queue its start requests once and close the cycle once; one that loses
Redis mid-cycle closes the cycle when Redis is back. Needs
NEWSWATCH_TEST_REDIS_URL and NEWSWATCH_TEST_DATABASE_URL; skips without them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy.engine import make_url

from crawler.distributed.board import CycleBoard
from crawler.plan import CrawlPlan
from scheduler.workers.coordinator import Coordinator
from storage.store import Store
from tests.conftest import fresh_postgres_schema
from tests.support.service_harness import wait_for
from tests.support.store_checks import count
from tests.support.tcp_proxy import TcpProxy
from tests.support.workers_harness import fresh_board, redis_url_or_skip

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

START_URLS = ("http://127.0.0.1:9/news/", "http://127.0.0.1:9/documents/")
PLAN = CrawlPlan(start_urls=START_URLS, site="alpha")
CLOSE_SECONDS = 30
"""How long a coordinator may take to close a finished cycle once Redis is back (it looks
every 0.2 s): a bound for a hung test, not a measure."""


@dataclass
class Installation:
    """One Redis key prefix and one store, for coordinators to share."""

    board: CycleBoard
    database_url: str
    published: list[int] = field(default_factory=list)
    stores: list[Store] = field(default_factory=list)

    def coordinator(self, redis_url: str | None = None) -> Coordinator:
        """A coordinator with connections of its own (to Redis through ``redis_url``)."""
        self.stores.append(Store.open(self.database_url))
        board = CycleBoard.connect(redis_url or redis_url_or_skip(), self.board.prefix)
        return Coordinator(self.stores[-1], board, lambda: self.published.append(1))

    def finish_every_request(self, crawl_id: int) -> None:
        """What the workers would do: every queued request fetched and finished."""
        self.board.renew_lease("worker")
        while (taken := self.board.take("worker")) is not None:
            self.board.finish("worker", taken, crawl_id)


@pytest.fixture
def installation():
    with fresh_board() as board, fresh_postgres_schema("coordinators share a PostgreSQL store") as url:
        Store.open(url).close()  # migrated once, before coordinators race
        shared = Installation(board, url)
        yield shared
        for store in shared.stores:
            store.close()


def at_once(coordinators: list[Coordinator], call) -> list:
    """``call(coordinator)`` for each, in threads released together."""
    barrier = threading.Barrier(len(coordinators))

    def run(coordinator: Coordinator):
        barrier.wait()
        return call(coordinator)

    with ThreadPoolExecutor(len(coordinators)) as pool:
        return list(pool.map(run, coordinators))


def test_two_coordinators_open_a_sites_cycle_once_and_close_it_once(installation):
    board = installation.board
    pair = [installation.coordinator(), installation.coordinator()]
    opened = at_once(pair, lambda coordinator: coordinator.open_cycle(PLAN))
    crawl_ids = [crawl_id for crawl_id in opened if crawl_id is not None]
    assert len(crawl_ids) == 1, opened
    assert count(pair[0].store.engine, "crawl_runs") == 1
    assert board.open_cycles() == crawl_ids
    assert board.queued() == len(START_URLS) and board.pending(crawl_ids[0]) == len(START_URLS)
    assert pair[1].open_cycle(PLAN) is None  # nor later, while the cycle is open

    installation.finish_every_request(crawl_ids[0])
    closed = at_once(pair, lambda coordinator: coordinator.close_finished())
    assert sorted(len(summaries) for summaries in closed) == [0, 1]
    assert installation.published == [1]
    assert pair[0].store.last_crawl(site="alpha").status == "finished"
    assert board.open_cycles() == []
    assert pair[0].open_cycle(PLAN) is not None  # closed: the next cycle may open


def test_a_coordinator_that_loses_redis_mid_cycle_closes_it_once_redis_is_back(installation):
    """Its scheduled run goes on waiting for the open cycle instead of failing, and closes
    it when Redis answers again (the workers finished it meanwhile)."""
    parsed = make_url(redis_url_or_skip())
    proxy = TcpProxy((parsed.host, parsed.port))
    try:
        coordinator = installation.coordinator(parsed.set(port=proxy.port).render_as_string())
        crawl_id = coordinator.open_cycle(PLAN)
        proxy.cut()
        stop, done = threading.Event(), []
        waiting = threading.Thread(target=lambda: done.append(coordinator.crawl([], stop)))
        waiting.start()
        installation.finish_every_request(crawl_id)
        wait_for(
            lambda: coordinator.outages.serial > 0 or not waiting.is_alive(), "the coordinator to miss Redis"
        )
        proxy.restore()
        waiting.join(CLOSE_SECONDS)
        stop.set()
        assert [[summary.crawl_id for summary in summaries] for summaries in done] == [[crawl_id]]
    finally:
        proxy.cut()
