"""``newswatch worker``: one crawl worker, taking requests from the shared Redis queue."""

from __future__ import annotations

import argparse
import os

from scheduler.config import Config
from scheduler.settings import SETTINGS, SettingsError, Sources

DEFAULT_PREFIX = "newswatch"
DESCRIPTION = """\
Run one crawl worker: a Scrapy process that takes requests from the shared queue in Redis,
fetches them (each site's delay held across all workers), and stores the pages in the shared
store (--db, PostgreSQL when workers run on several machines). Start any number, on any
machines; `newswatch run --workers URL` is the coordinator that queues each site's crawl
cycle and publishes the feeds. Stop a worker with SIGTERM or Ctrl-C: what it held goes back to
the queue, as it does within seconds for a worker that was killed.
"""


def add_redis_prefix_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redis-prefix",
        metavar="PREFIX",
        help=f"what every Redis key starts with; the coordinator and its workers must agree "
        f"(env {SETTINGS['redis_prefix'].env}; default {DEFAULT_PREFIX})",
    )


def add_worker_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    worker = commands.add_parser(
        "worker",
        parents=[common],
        help="a crawl worker on the shared Redis queue (see run --workers)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    worker.add_argument(
        "--redis", metavar="URL", help=f"the Redis server, redis://HOST:PORT/DB (env {SETTINGS['redis'].env})"
    )
    add_redis_prefix_option(worker)
    worker.add_argument(
        "--concurrency",
        metavar="N",
        help=f"requests in flight at most, over all sites (env {SETTINGS['concurrency'].env}; "
        f"{SETTINGS['concurrency'].parse.span}; default 8)",
    )
    worker.set_defaults(handler=command_worker)


def command_worker(args: argparse.Namespace) -> int:
    from crawler.distributed.settings import WORKER_CONCURRENCY
    from crawler.distributed.worker import run_worker
    from storage.store import Store

    sources = Sources(vars(args), os.environ)
    redis_url = sources.value("redis")
    if redis_url is None:
        raise SettingsError(f"a worker needs the Redis server: --redis URL (or {SETTINGS['redis'].env})")
    prefix = sources.value("redis_prefix", DEFAULT_PREFIX)
    concurrency = sources.value("concurrency", WORKER_CONCURRENCY)
    config = Config.from_sources(sources)
    store = Store.open(config.database_url, config.busy_timeout)
    try:
        run_worker(store, redis_url, prefix, concurrency=concurrency, verbose=getattr(args, "verbose", False))
    finally:
        store.close()
    return 0
