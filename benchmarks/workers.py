"""Crawl workers: how much faster two workers crawl than one (issue "Past one machine").

Run it from the repository root, with Redis and PostgreSQL (the workers' extra installed)::

    python -m benchmarks.workers [--sites 4] [--articles 60] [--redis URL] [--postgres URL]

Several loopback sites (the synthetic mirror, no politeness delay: the crawl is bound by the
CPU that reading pages costs) are crawled by a coordinator and 1, then 2, workers, each time
into a fresh PostgreSQL schema under a fresh Redis key prefix. The time is the coordinator's
own, from the first cycle opened to the last closed (workers are started and ready first, so
their start-up is not counted). Every article must be stored once, or the run does not count.
Target: 2 workers in at most 0.65x the time of 1. Then 3 workers crawl the same sites while
one of them is SIGKILLed half-way (issue 15's second target): the run counts only if every
article is still stored once and every cycle closes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import tempfile
import time
from pathlib import Path

import redis

from benchmarks.postgres_schemas import throwaway_schema
from benchmarks.timing import children_cpu_seconds, own_cpu_seconds
from storage.store import Store
from tests.support.loopback import LoopbackServer
from tests.support.mirror import build_mirror
from tests.support.workers_harness import Cluster

TARGET = 0.65
STAMP = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})"


def crawl_seconds(
    workers: int,
    servers: dict[str, LoopbackServer],
    mirrors: dict,
    redis_url: str,
    pg: str,
    *,
    kill_one: bool = False,
) -> tuple[float, float]:
    """Seconds from the first cycle opened to the last closed, with ``workers`` workers, and
    the CPU seconds its processes (workers and coordinator, start-up included) used. With
    ``kill_one``, the first worker is SIGKILLed once half the articles are stored: what it
    held must go back to the queue, and every article still be stored once."""
    before = children_cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp, throwaway_schema(pg) as database_url:
        Store.open(database_url).close()
        cluster = Cluster(Path(tmp), redis_url, database_url)
        try:
            cluster.write_sites({name: (f"{server.origin}/news/", 0) for name, server in servers.items()})
            names = [f"worker-{index}" for index in range(1, workers + 1)]
            processes = [cluster.start_worker(name) for name in names]
            cluster.wait_for_workers(*names)
            cluster.start_coordinator()
            if kill_one:
                half = sum(len(mirror.article_paths) for mirror in mirrors.values()) // 2
                _wait_for_entries(database_url, half)
                processes[0].kill()
            cluster.wait_for_cycles(len(servers), seconds=1800)
            _check_stored_once(database_url, servers, mirrors)
            log = cluster.log("coordinator")
        finally:
            cluster.stop()
            _forget(redis_url, cluster.prefix)
    opened = [_time(stamp) for stamp in re.findall(STAMP + r" .*crawl cycle \d+ opened", log)]
    closed = [_time(stamp) for stamp in re.findall(STAMP + r" .*crawl cycle \d+ done", log)]
    return (max(closed) - min(opened)).total_seconds(), children_cpu_seconds() - before


def _wait_for_entries(database_url: str, count: int) -> None:
    """Until the store holds ``count`` entries (of every site)."""
    store = Store.open(database_url)
    try:
        while store.entry_count() < count:
            time.sleep(0.1)
    finally:
        store.close()


def _time(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")


def _check_stored_once(database_url: str, servers: dict[str, LoopbackServer], mirrors: dict) -> None:
    store = Store.open(database_url)
    try:
        for name, server in servers.items():
            urls = sorted(entry.url for entry in store.latest_entries(100_000, site=name) if entry.url)
            expected = sorted(server.origin + path for path in mirrors[name].article_paths)
            if urls != expected:
                raise SystemExit(f"site {name}: {len(urls)} articles stored, {len(expected)} expected")
    finally:
        store.close()


def _forget(redis_url: str, prefix: str) -> None:
    server = redis.Redis.from_url(redis_url)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=60, help="articles per site")
    parser.add_argument(
        "--redis", default=os.environ.get("NEWSWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    parser.add_argument("--postgres", default=os.environ.get("NEWSWATCH_TEST_DATABASE_URL"))
    args = parser.parse_args(argv)
    if not args.postgres:
        parser.error("a PostgreSQL server is needed: --postgres URL (or NEWSWATCH_TEST_DATABASE_URL)")
    mirrors = {f"site-{index}": build_mirror(args.articles) for index in range(args.sites)}
    servers = {name: LoopbackServer(mirror).start() for name, mirror in mirrors.items()}
    try:
        seconds = {
            count: crawl_seconds(count, servers, mirrors, args.redis, args.postgres) for count in (1, 2)
        }
        killed = crawl_seconds(3, servers, mirrors, args.redis, args.postgres, kill_one=True)
    finally:
        for server in servers.values():
            server.stop()
    ratio = seconds[2][0] / seconds[1][0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{args.sites} sites x {args.articles} articles, no delay, on {os.cpu_count()} CPUs (load {load})")
    print(f"the sites' servers (this process) used {own_cpu_seconds():.1f} CPU seconds in all")
    print("| workers | seconds | CPU seconds |\n|---|---|---|")
    for count, (taken, cpu) in seconds.items():
        print(f"| {count} | {taken:.1f} | {cpu:.1f} |")
    print(f"| 3, one killed half-way | {killed[0]:.1f} | {killed[1]:.1f} |")
    verdict = "met" if ratio <= TARGET else "missed"
    print(f"2 workers / 1 worker: {ratio:.2f} (target <= {TARGET}: {verdict})")
    print("3 workers, one SIGKILLed half-way: every article stored once, every cycle closed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
