"""Crawl workers on Redis and PostgreSQL (issue "Past one machine"), through the real command
line: a coordinator and workers in child processes crawl loopback sites into one store.

What must hold is read from the mirrors (tests.support.mirror), not from the code: every
article of each site stored once, with one ``new`` event; a worker killed mid-page loses
nothing; a site's delay, requests in flight and page limit hold across workers; a worker that
loses Redis or PostgreSQL for a while (reached through a TCP proxy the test cuts and restores,
tests.support.tcp_proxy) goes on. Needs NEWSWATCH_TEST_REDIS_URL and
NEWSWATCH_TEST_DATABASE_URL; skips without them.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from itertools import pairwise

import pytest
import redis
from sqlalchemy.engine import make_url

from storage.store import Store
from tests.conftest import fresh_postgres_schema
from tests.support.loopback import LoopbackServer
from tests.support.loopback_faults import Hang
from tests.support.mirror import build_mirror
from tests.support.service_harness import wait_for
from tests.support.tcp_proxy import TcpProxy
from tests.support.workers_harness import Cluster, redis_url_or_skip

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

DELAY = 0.3
"""Seconds between two requests to one site: long enough to see, short enough for a test."""
TRANSIT = 0.05
"""How much closer than the delay two requests may reach the server: the time from a worker's
lease to the request being read varies by some tens of milliseconds on a loaded machine (two
workers without a shared delay send them at once, ~0 s apart)."""
SITE_IN_FLIGHT = 2
"""Requests in flight to one site at most, however many workers (README, "Politeness")."""
SLOW_ANSWER = 0.2
"""Seconds the site takes to answer in the concurrency test: long enough for requests to overlap."""
MAX_PAGES = 6
"""The page limit of the page-limit test: below the site's pages (a listing and 14 articles)."""


@pytest.fixture
def cluster(tmp_path):
    redis_url = redis_url_or_skip()
    with fresh_postgres_schema("crawl workers write to a shared PostgreSQL store") as database_url:
        Store.open(database_url).close()  # the schema, migrated once before the processes race
        running = Cluster(tmp_path, redis_url, database_url)
        yield running
        running.stop()
        server = redis.Redis.from_url(redis_url)
        keys = list(server.scan_iter(f"{running.prefix}:*"))
        if keys:
            server.delete(*keys)


MIRRORS = {"alpha": build_mirror(14), "beta": build_mirror(9)}


@pytest.fixture
def sites():
    """Two sites, each its own loopback server (so its own host)."""
    servers = {name: LoopbackServer(mirror).start() for name, mirror in MIRRORS.items()}
    yield servers
    for server in servers.values():
        server.stop()


def stored_once(cluster: Cluster, name: str, server: LoopbackServer) -> None:
    """Every article of the site stored as one entry, each with one ``new`` event."""
    store = Store.open(cluster.database_url)
    try:
        urls = [entry.url for entry in store.latest_entries(1000, site=name) if entry.url]
        events = store.changes(site=name)
    finally:
        store.close()
    expected = [server.origin + path for path in MIRRORS[name].article_paths]
    assert sorted(urls) == sorted(expected)
    assert Counter(event.kind for event in events) == {"new": len(store_entries(cluster, name))}
    assert len({event.entry_id for event in events}) == len(events)


def store_entries(cluster: Cluster, name: str) -> list:
    store = Store.open(cluster.database_url)
    try:
        return store.latest_entries(1000, site=name)
    finally:
        store.close()


def test_two_workers_crawl_every_site_once_and_the_cycles_close(cluster, sites):
    cluster.write_sites({name: (f"{server.origin}/news/", 0) for name, server in sites.items()})
    cluster.start_worker("worker-1")
    cluster.start_worker("worker-2")
    cluster.start_coordinator()
    cluster.wait_for_cycles(2)
    for name, server in sites.items():
        stored_once(cluster, name, server)
    health = cluster.healthz()
    assert health["ok"] is True and health["crawling"] is False
    last = health["last_crawl"]
    assert last["status"] == "finished"
    assert last["new"] == len(store_entries(cluster, last_site(cluster, last["id"])))
    assert last["pages"] > 0
    for worker in ("worker-1", "worker-2"):
        assert "page 1 done" in cluster.log(worker)  # both took part


def last_site(cluster: Cluster, crawl_id: int) -> str:
    store = Store.open(cluster.database_url)
    try:
        return store.site_of(crawl_id)
    finally:
        store.close()


def test_the_next_cycle_rechecks_known_articles_and_sees_an_edit(cluster, sites):
    """An article is edited on the site once the first cycle has fetched it; the next cycle,
    which re-checks every known article (recheck days 0), finds the edit: one ``updated``
    event for that article, none for the others."""
    server = sites["beta"]
    edited = MIRRORS["beta"].article_paths[2]
    addition = b'<div class="news-detail__text">\n<p>The site added this paragraph later.</p>\n'

    def edit() -> None:
        server.put(edited, server.body(edited).replace(b'<div class="news-detail__text">\n', addition, 1))

    server.after(edited, edit)
    cluster.env["NEWSWATCH_RECHECK_DAYS"] = "0"
    cluster.write_sites({"beta": (f"{server.origin}/news/", 0)})
    cluster.start_worker("worker-1")
    cluster.start_worker("worker-2")
    cluster.start_coordinator(every="2s")
    cluster.wait_for_cycles(2)
    events = Store.open(cluster.database_url)
    try:
        changes = events.changes(site="beta")
    finally:
        events.close()
    updated = [change.url for change in changes if change.kind == "updated"]
    assert updated == [server.origin + edited]


def test_a_worker_killed_mid_page_loses_nothing(cluster, sites):
    """The worker that holds a hanging page is SIGKILLed: its request goes back to the
    queue when its lease expires, another worker stores the page, and the cycle closes."""
    server = sites["alpha"]
    hanging = MIRRORS["alpha"].article_paths[3]
    server.misbehave(hanging, Hang())
    cluster.write_sites({"alpha": (f"{server.origin}/news/", 0)})
    workers = {name: cluster.start_worker(name) for name in ("worker-1", "worker-2")}
    cluster.start_coordinator()
    holder = wait_for(
        lambda: any(request.path == hanging for request in server.requests) and holder_of(cluster, hanging),
        "a worker to be fetching the hanging page",
    )
    victim = next(name for name, process in workers.items() if process.pid == holder)
    os.kill(holder, signal.SIGKILL)
    server.heal()
    cluster.start_worker("worker-3")  # in case the killed one was the only one left working
    cluster.wait_for_cycles(1)
    stored_once(cluster, "alpha", server)
    fetched = [request for request in server.requests if request.path == hanging]
    assert len(fetched) >= 2, f"{victim} held {hanging}; it must have been asked for again"


def holder_of(cluster: Cluster, path: str) -> int | None:
    """The pid of the worker whose processing list holds the request for ``path``."""
    server = redis.Redis.from_url(cluster.redis_url)
    for key in server.scan_iter(f"{cluster.prefix}:processing:*"):
        if any(path.encode() in raw for raw in server.lrange(key, 0, -1)):
            return int(key.decode().rsplit(":", 1)[1].split("-")[-2])
    return None


def test_a_sites_delay_holds_across_workers(cluster, sites):
    server = sites["beta"]
    cluster.write_sites({"beta": (f"{server.origin}/news/", DELAY)})
    cluster.start_worker("worker-1")
    cluster.start_worker("worker-2")
    cluster.start_coordinator()
    cluster.wait_for_cycles(1)
    stored_once(cluster, "beta", server)
    times = sorted(request.received for request in server.requests if request.path != "/robots.txt")
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= DELAY - TRANSIT, gaps
    assert sum(gaps) / len(gaps) >= DELAY, gaps


def test_a_site_has_two_requests_in_flight_at_most_across_workers(cluster, sites):
    """The site answers slowly, so that requests overlap: two workers, each of which would
    send it up to 8 at once, keep to the site's 2 together."""
    server = sites["alpha"]
    server.slow_down(SLOW_ANSWER)
    cluster.write_sites({"alpha": (f"{server.origin}/news/", 0)})
    cluster.start_worker("worker-1")
    cluster.start_worker("worker-2")
    cluster.start_coordinator()
    cluster.wait_for_cycles(1)
    stored_once(cluster, "alpha", server)
    for worker in ("worker-1", "worker-2"):
        assert "page 1 done" in cluster.log(worker)  # both crawled the site, side by side
    assert server.peak_in_flight[f"127.0.0.1:{server.port}"] <= SITE_IN_FLIGHT, server.peak_in_flight


def test_a_sites_page_limit_holds_across_workers(cluster, sites):
    """The site has more pages than its limit: two workers fetch no more than the limit
    together, and the cycle closes, finished, with a warning (as a one-process crawl stopped
    by its page limit)."""
    server = sites["alpha"]
    cluster.write_sites({"alpha": (f"{server.origin}/news/", 0)}, max_pages=MAX_PAGES)
    cluster.start_worker("worker-1")
    cluster.start_worker("worker-2")
    cluster.start_coordinator()
    cluster.wait_for_cycles(1)
    fetched = [request for request in server.requests if request.path != "/robots.txt"]
    assert len(MIRRORS["alpha"].article_paths) > MAX_PAGES  # the limit must bite
    assert 0 < len(fetched) <= MAX_PAGES, [request.target for request in fetched]
    store = Store.open(cluster.database_url)
    try:
        last = store.last_crawl(site="alpha")
    finally:
        store.close()
    assert last.status == "finished" and last.warnings >= 1
    said = [name for name in ("worker-1", "worker-2") if "reached its page limit" in cluster.log(name)]
    assert len(said) == 1  # the worker that took the first request past the limit


def test_a_coordinator_restarted_mid_cycle_closes_the_cycle(cluster, sites):
    """The coordinator is SIGKILLed while the worker crawls; the worker is paused until a new
    coordinator has started, so the cycle is surely still open then. The new one opens no
    second cycle for the site, and closes the open one, finished, when the worker is done."""
    server = sites["alpha"]
    cluster.write_sites({"alpha": (f"{server.origin}/news/", DELAY)})
    worker = cluster.start_worker("worker-1")
    first = cluster.start_coordinator()
    wait_for(lambda: len(server.requests) >= 3, "the crawl to be under way")
    first.kill()
    first.wait()
    worker.send_signal(signal.SIGSTOP)
    try:
        cluster.start_coordinator()
        wait_for(lambda: "still open; no new one" in cluster.log("coordinator"), "the new coordinator")
    finally:
        worker.send_signal(signal.SIGCONT)
    cluster.wait_for_cycles(1)
    stored_once(cluster, "alpha", server)
    store = Store.open(cluster.database_url)
    try:
        last = store.last_crawl(site="alpha")
    finally:
        store.close()
    assert (last.crawl_id, last.status) == (1, "finished")


LONG_OUTAGE = 7.0
"""Longer than a worker's lease (5 s): the requests it held go back to the queue meanwhile."""
SHORT_OUTAGE = 2.0
"""Shorter than the lease: the worker itself must give back what it held."""


def through_proxy(url: str) -> tuple[TcpProxy, str]:
    """A proxy to the server of ``url``, and the same URL through it."""
    parsed = make_url(url)
    proxy = TcpProxy((parsed.host, parsed.port))
    return proxy, parsed.set(port=proxy.port).render_as_string(hide_password=False)


def outage_mid_cycle(server: LoopbackServer, proxy: TcpProxy, seconds: float) -> float:
    """Cut the worker's server once its crawl is under way, restore it after the outage;
    the time it was restored."""
    wait_for(lambda: len(server.requests) >= 3, "the crawl to be under way")
    proxy.cut()
    time.sleep(seconds)
    proxy.restore()
    return time.monotonic()


@pytest.mark.parametrize(
    ("lost", "seconds"),
    [("redis_url", LONG_OUTAGE), ("redis_url", SHORT_OUTAGE), ("database_url", LONG_OUTAGE)],
)
def test_a_worker_that_loses_redis_or_postgresql_for_a_while_goes_on(cluster, sites, lost, seconds):
    """The cycle closes with every article stored once, by the worker (the only one), which
    fetched pages after the outage and said what happened (without Redis, in a line per
    outage: the store's own pipeline logs a traceback per page it could not store)."""
    server = sites["alpha"]
    cluster.write_sites({"alpha": (f"{server.origin}/news/", DELAY)})
    proxy, url = through_proxy(getattr(cluster, lost))
    try:
        worker = cluster.start_worker("worker-1", **{lost: url})
        cluster.start_coordinator()
        restored = outage_mid_cycle(server, proxy, seconds)
        cluster.wait_for_cycles(1)
        stored_once(cluster, "alpha", server)
        log = cluster.log("worker-1")
        assert worker.poll() is None, log  # it went on, it did not exit
        assert "out of reach" in log, log
        assert any(request.received > restored for request in server.requests), "nothing fetched after it"
        if lost == "redis_url":
            assert "Traceback" not in log, log
    finally:
        proxy.cut()
