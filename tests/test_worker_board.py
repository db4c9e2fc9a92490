"""The Redis side of crawl cycles (crawler.distributed.board): the reliable queue, leases,
pending counts and the duplicate filter per cycle. Needs NEWSWATCH_TEST_REDIS_URL."""

from __future__ import annotations

import pytest

from crawler.distributed.board import CyclePlan
from tests.support.workers_harness import fresh_board

pytestmark = pytest.mark.redis

PLAN = CyclePlan(7, "alpha", ("http://127.0.0.1:1/news/",), False, False, 0.5, 7.0)


@pytest.fixture
def board():
    with fresh_board() as opened:
        yield opened


def test_a_cycle_is_pending_until_every_request_is_finished(board):
    board.open_cycle(PLAN, [("fp-start", b"start")])
    assert board.open_cycles() == [7] and board.pending(7) == 1
    assert board.plan_of(7) == PLAN
    taken = board.take("w1")
    board.push(b"child", 7)  # the page's link, queued before the page is finished
    board.finish("w1", taken, 7)
    assert board.pending(7) == 1
    board.finish("w1", board.take("w1"), 7)
    assert board.pending(7) == 0 and board.queued() == 0


def test_a_request_finished_twice_counts_once(board):
    board.open_cycle(PLAN, [("fp-start", b"start")])
    taken = board.take("w1")
    board.finish("w1", taken, 7)
    board.finish("w1", taken, 7)
    assert board.pending(7) == 0


def test_what_a_dead_worker_held_goes_back_to_the_queue(board):
    board.open_cycle(PLAN, [("a", b"first"), ("b", b"second")])
    board.renew_lease("alive")
    board.renew_lease("dead")
    assert board.take("dead") == b"first"
    assert board.take("alive") == b"second"
    board.server.delete(board.key("alive", "dead"))  # its lease expired
    assert board.reap() == 1
    assert board.held("dead") == [] and board.held("alive") == [b"second"]
    assert board.take("alive") == b"first"  # next in line again
    assert board.pending(7) == 2


def test_the_duplicate_filter_is_per_cycle_and_expires(board):
    board.open_cycle(PLAN, [("start", b"start")])
    assert board.first_seen(7, "page") is True
    assert board.first_seen(7, "page") is False
    assert board.first_seen(7, "start") is False
    assert board.first_seen(8, "page") is True  # the next cycle fetches it again
    assert board.server.ttl(board.key("seen", 7)) > 0


def test_a_site_has_one_open_cycle_at_most(board):
    assert board.claim_site("alpha") is True
    assert board.claim_site("alpha") is False
    board.open_cycle(PLAN, [])
    assert board.take_for_closing(7) is True
    assert board.take_for_closing(7) is False  # a second coordinator does not close it again
    board.forget(PLAN)
    assert board.claim_site("alpha") is True
    assert board.plan_of(7) is None


def test_a_host_has_at_most_its_limit_of_requests_in_flight_over_all_workers(board):
    for worker in ("w1", "w2"):
        board.renew_lease(worker)
    assert board.take_slot("site:80", "w1", "a", 2) is True
    assert board.take_slot("site:80", "w2", "b", 2) is True
    assert board.take_slot("site:80", "w2", "c", 2) is False  # full, whoever asks
    assert board.take_slot("other:80", "w2", "c", 2) is True  # another host has its own
    board.free_slot("site:80", "a")
    assert board.take_slot("site:80", "w2", "c", 2) is True
    assert board.take_slot("site:80", "w1", "d", 2) is False


def test_a_dead_workers_slots_are_free_again(board):
    board.renew_lease("dead")
    board.renew_lease("alive")
    assert board.take_slot("site:80", "dead", "a", 2) and board.take_slot("site:80", "dead", "b", 2)
    assert board.take_slot("site:80", "alive", "c", 2) is False
    board.server.delete(board.key("alive", "dead"))  # its lease expired
    assert board.take_slot("site:80", "alive", "c", 2) is True
    assert board.take_slot("site:80", "alive", "d", 2) is True
    assert board.take_slot("site:80", "alive", "e", 2) is False


def test_a_hosts_delay_lease_is_one_callers_until_it_expires(board):
    assert board.take_delay("site:80", 30.0) == 0
    waiting = board.take_delay("site:80", 30.0)
    assert 0 < waiting <= 30_000
    board.server.delete(board.key("delay", "site:80"))  # expired
    assert board.take_delay("site:80", 30.0) == 0


def test_a_cycles_pages_are_counted_over_all_workers_and_forgotten_with_it(board):
    board.open_cycle(PLAN, [])
    assert [board.take_page(7) for _ in range(3)] == [1, 2, 3]
    assert board.take_page(8) == 1
    board.forget(PLAN)
    assert board.take_page(7) == 1
