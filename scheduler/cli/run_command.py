"""The ``newswatch run`` command: its options, and turning them into a running service.

Kept apart from scheduler.cli.main so the command line stays a table of commands; the service
itself is scheduler.service.scheduled_service, its settings scheduler.service.settings.
"""

from __future__ import annotations

import argparse
import os
import sys

from scheduler.cli.crawl_options import add_politeness_options, crawl_plan
from scheduler.config import BUNDLED_FIXTURES, NEWS_START_URLS, Config
from scheduler.service.settings import (
    CONFIG_ENV,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    ENV_NAMES,
    SettingsError,
    resolve_settings,
)

EXIT_USAGE = 2

DESCRIPTION = f"""\
Run the service: crawl now and then on a schedule, rewrite the feeds after each crawl, and
serve them over HTTP with the change log: /feed.rss /feed.atom /changes.atom /changes.json
/changes (an HTML page) /healthz. Stop it with SIGTERM or Ctrl-C.

Each option can also be set by an environment variable or in the [run] table of a TOML
config file (--config, env {CONFIG_ENV}, default ~/.config/newswatch/config.toml, under
$XDG_CONFIG_HOME if set); an option wins over the environment, which wins over the file.
"""


def add_run_parser(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="the service: scheduled crawls and an HTTP server for the feeds and the change log",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    when = run.add_mutually_exclusive_group()
    when.add_argument(
        "--every",
        metavar="DURATION",
        help=f"crawl this often: 30s, 10m, 1h, 1h30m (env {ENV_NAMES['every']}; default 30m)",
    )
    when.add_argument(
        "--cron",
        metavar="EXPR",
        help=f"crawl by a cron line in local time, e.g. '*/15 * * * *' (env {ENV_NAMES['cron']})",
    )
    run.add_argument(
        "--host",
        help=f"address to listen on (env {ENV_NAMES['host']}; default {DEFAULT_HOST}; 0.0.0.0 for every interface)",
    )
    run.add_argument(
        "--port",
        help=f"port to listen on, 0 for any free one (env {ENV_NAMES['port']}; default {DEFAULT_PORT})",
    )
    run.add_argument(
        "--base-url",
        metavar="URL",
        help=f"public URL of the feeds, for their self links (env {ENV_NAMES['base_url']}; default http://HOST:PORT/)",
    )
    run.add_argument(
        "--timeout",
        metavar="DURATION",
        help=f"stop a crawl still running after this long (env {ENV_NAMES['timeout']}; default {DEFAULT_TIMEOUT})",
    )
    run.add_argument(
        "--offline",
        action="store_true",
        default=None,
        help=f"crawl local page files instead of the live site (env {ENV_NAMES['offline']}=1)",
    )
    run.add_argument(
        "--fixtures",
        metavar="DIR",
        help=f"with --offline: the page files to crawl (env {ENV_NAMES['fixtures']}; default {BUNDLED_FIXTURES})",
    )
    run.add_argument("--config", metavar="PATH", help=f"TOML config file (env {CONFIG_ENV})")
    live = run.add_argument_group(
        "live crawls",
        "how each scheduled crawl treats the site (these read the environment, not the config file)",
    )
    live.add_argument(
        "--url",
        metavar="URL",
        action="append",
        help=f"start page of the live crawls (repeatable; default {' '.join(NEWS_START_URLS)})",
    )
    add_politeness_options(live)
    run.set_defaults(handler=command_run)


def command_run(args: argparse.Namespace) -> int:
    from scheduler.service.scheduled_service import Service
    from scheduler.web.server import ListenError
    from storage.store import Store

    options = {key: getattr(args, key) for key in (*ENV_NAMES, "config")}
    try:
        settings = resolve_settings(options, os.environ)
    except SettingsError as error:
        print(f"newswatch run: {error}", file=sys.stderr)
        return EXIT_USAGE
    if settings.offline and not settings.fixtures.is_dir():
        print(f"newswatch run: no such fixtures directory: {settings.fixtures}", file=sys.stderr)
        return EXIT_USAGE
    config = Config.resolve(args.data_dir, args.db)
    live_plan = crawl_plan(args, list(args.url or NEWS_START_URLS))
    store = Store.open(config.database_url, config.busy_timeout)
    try:
        return Service(settings, config, store, live_plan, quiet=args.quiet, verbose=args.verbose).run()
    except ListenError as error:
        print(f"newswatch run: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
