"""Two coordinators at once on one Redis and one store (a second one started by mistake, or
one restarted while the first still runs): a site's crawl cycle is opened once, its start
requests queued once, and the cycle closed once (scheduler.workers.coordinator). Needs
NEWSWATCH_TEST_REDIS_URL and NEWSWATCH_TEST_DATABASE_URL; skips without them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.distributed.board import CycleBoard
from crawler.plan import CrawlPlan
from scheduler.workers.coordinator import Coordinator
from storage.store import Store
from tests.conftest import fresh_postgres_schema
from tests.support.store_checks import count
from tests.support.workers_harness import fresh_board, redis_url_or_skip

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

START_URLS = ("http://127.0.0.1:9/news/", "http://127.0.0.1:9/documents/")
PLAN = CrawlPlan(start_urls=START_URLS, site="alpha")


@pytest.fixture
def coordinators():
    """Two coordinators, each with its own connections to the same Redis keys and store."""
    with fresh_board() as board, fresh_postgres_schema("coordinators share a PostgreSQL store") as url:
        stores = [Store.open(url), Store.open(url)]
        published = []
        yield (
            [
                Coordinator(
                    store, CycleBoard.connect(redis_url_or_skip(), board.prefix), lambda: published.append(1)
                )
                for store in stores
            ],
            board,
            published,
        )
        for store in stores:
            store.close()


def at_once(coordinators: list[Coordinator], call) -> list:
    """``call(coordinator)`` for each, in threads released together."""
    barrier = threading.Barrier(len(coordinators))

    def run(coordinator: Coordinator):
        barrier.wait()
        return call(coordinator)

    with ThreadPoolExecutor(len(coordinators)) as pool:
        return list(pool.map(run, coordinators))


def test_two_coordinators_open_a_sites_cycle_once_and_close_it_once(coordinators):
    pair, board, published = coordinators
    opened = at_once(pair, lambda coordinator: coordinator.open_cycle(PLAN))
    crawl_ids = [crawl_id for crawl_id in opened if crawl_id is not None]
    assert len(crawl_ids) == 1, opened
    assert count(pair[0].store.engine, "crawl_runs") == 1
    assert board.open_cycles() == crawl_ids
    assert board.queued() == len(START_URLS) and board.pending(crawl_ids[0]) == len(START_URLS)
    assert pair[1].open_cycle(PLAN) is None  # nor later, while the cycle is open

    board.renew_lease("worker")
    while (taken := board.take("worker")) is not None:
        board.finish("worker", taken, crawl_ids[0])
    closed = at_once(pair, lambda coordinator: coordinator.close_finished())
    assert sorted(len(summaries) for summaries in closed) == [0, 1]
    assert len(published) == 1
    assert pair[0].store.last_crawl(site="alpha").status == "finished"
    assert board.open_cycles() == []
    assert pair[0].open_cycle(PLAN) is not None  # closed: the next cycle may open
