"""The ``newswatch run`` command: its options, and turning them into a running service.

Kept apart from scheduler.cli.commands, as the service is a world of its own; the service
itself is scheduler.service.scheduled_service, its settings scheduler.service.settings.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from scheduler.cli.crawl_options import (
    add_notify_option,
    add_politeness_options,
    add_source_options,
    site_plans,
)
from scheduler.config import Config
from scheduler.service.schedule import DEFAULT_EVERY, MAX_DURATION, format_duration
from scheduler.service.settings import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT, service_settings
from scheduler.settings import CONFIG_ENV, SETTINGS, SettingsError, Sources
from scheduler.sites import SitesFile, sites_file_path
from scheduler.workers.worker_command import DEFAULT_PREFIX, add_redis_prefix_option

if TYPE_CHECKING:
    from scheduler.service.scheduled_service import Service

DESCRIPTION = f"""\
Run the service: crawl now and then on a schedule, rewrite the feeds after each crawl, and
serve them over HTTP with the change log: /feed.rss /feed.atom /changes.atom /changes.json
/changes (an HTML page) /healthz, each site's feeds under /sites/NAME/, and every feed at
once in /feeds.opml; with --notify, tell of each crawl's changes as soon as it ends, and keep
retrying what a channel did not accept. Stop it with SIGTERM or Ctrl-C.

Each option can also be set by an environment variable or in a TOML config file (--config,
env {CONFIG_ENV}, default ~/.config/newswatch/config.toml, under $XDG_CONFIG_HOME if set): the
service's in its [run] table, the crawls' in its [crawl] table. An option wins over the
environment, which wins over the file.
"""


MAX_SPELLED = format_duration(MAX_DURATION)


def _env(key: str) -> str:
    return f"env {SETTINGS[key].env}"


def add_run_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    run = commands.add_parser(
        "run",
        parents=[common],
        help="the service: scheduled crawls and an HTTP server for the feeds and the change log",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    when = run.add_mutually_exclusive_group()
    when.add_argument(
        "--every",
        metavar="DURATION",
        help=f"crawl this often: 30s, 10m, 1h, 1h30m, at most {MAX_SPELLED} ({_env('every')}; default {DEFAULT_EVERY})",
    )
    when.add_argument(
        "--cron",
        metavar="EXPR",
        help=f"crawl by a cron line in local time, e.g. '*/15 * * * *'; one that never fires, "
        f"such as '* * 31 2 *', is refused ({_env('cron')})",
    )
    run.add_argument(
        "--host",
        help=f"address to listen on ({_env('host')}; default {DEFAULT_HOST}; 0.0.0.0 for every interface)",
    )
    run.add_argument(
        "--port", help=f"port to listen on, 0 for any free one ({_env('port')}; default {DEFAULT_PORT})"
    )
    run.add_argument(
        "--base-url",
        metavar="URL",
        help=f"public URL of the feeds, for their self links ({_env('base_url')}; default http://HOST:PORT/)",
    )
    run.add_argument(
        "--timeout",
        metavar="DURATION",
        help=f"stop a crawl still running after this long, at most {MAX_SPELLED} "
        f"({_env('timeout')}; default {DEFAULT_TIMEOUT})",
    )
    run.add_argument(
        "--workers",
        metavar="REDIS_URL",
        help="coordinate crawl workers (`newswatch worker`) on this Redis server instead of "
        f"crawling here: each site's crawl cycle is queued for them ({_env('workers')})",
    )
    add_redis_prefix_option(run)
    crawls = run.add_argument_group("crawls", "what each scheduled crawl reads and how it treats the site")
    add_source_options(crawls)
    add_politeness_options(crawls)
    add_notify_option(crawls)
    run.set_defaults(handler=command_run)


def command_run(args: argparse.Namespace) -> int:
    from scheduler.service.site_groups import own_schedules
    from scheduler.web.server import ListenError
    from storage.store import Store

    sources = Sources(vars(args), os.environ)
    settings = service_settings(sources)
    if settings.offline and not settings.fixtures.is_dir():
        raise SettingsError(f"no such fixtures directory: {settings.fixtures}")
    config = Config.from_sources(sources)
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    watched = SitesFile.load(sites_file_path(sources))
    chosen = watched.select(getattr(args, "site", None))
    live_plans = tuple(site_plans(sources, chosen, full=False, verbose=verbose))
    destinations = sources.value("notify", ())
    workers = sources.value("workers")
    if workers is not None and settings.offline:
        raise SettingsError("--workers crawls the sites' web pages: it cannot be --offline")
    store = Store.open(config.database_url, config.busy_timeout)
    try:
        service = service_class(sources, workers)(
            settings,
            config,
            store,
            live_plans,
            quiet=quiet,
            verbose=verbose,
            sites=watched.sites,
            site_schedules=own_schedules(chosen),
        )
        return service.notifying(destinations).run()
    except ListenError as error:
        print(f"newswatch run: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


def service_class(sources: Sources, redis_url: str | None) -> Callable[..., Service]:
    """The one-process service; with workers, the service as their coordinator (scheduler.workers)."""
    from scheduler.service.scheduled_service import Service

    if redis_url is None:
        return Service
    from crawler.distributed.board import CycleBoard
    from scheduler.workers.coordinator_service import CoordinatorService

    board = CycleBoard.connect(redis_url, sources.value("redis_prefix", DEFAULT_PREFIX))
    return functools.partial(CoordinatorService, board=board)
