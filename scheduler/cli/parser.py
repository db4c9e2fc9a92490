"""The ``newswatch`` command line's parser: its commands, their options, and the values
those options take.

The command shapes are a contract (docs/architecture.md, "Command line"): other tools
depend on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import NoReturn

from scheduler.cli.commands import (
    command_changes,
    command_crawl,
    command_feed,
    command_parse,
    command_reparse,
    command_show,
)
from scheduler.cli.crawl_options import add_notify_option, add_politeness_options, add_source_options
from scheduler.cli.exit_codes import EXIT_USAGE
from scheduler.cli.notify_command import add_notify_parser
from scheduler.cli.run_command import add_run_parser
from scheduler.cli.sites_command import add_sites_parser
from scheduler.config import FEED_LIMIT
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS
from scheduler.settings import CONFIG_ENV, SETTINGS, limit
from scheduler.workers.worker_command import add_worker_parser

DESCRIPTION = """\
newswatch watches the English news of the CSTO (en.odkb-csto.org), a site without a usable
feed, and turns it into RSS/Atom feeds and a change log of what was published and edited.

Quick start:  newswatch crawl --offline      (crawl the bundled pages, write the feeds)
              newswatch changes              (what was published or edited, newest first)
"""

EPILOG = f"""\
Data: feeds and the SQLite database live in --data-dir (env {SETTINGS["data_dir"].env}, default
~/.local/share/newswatch). --db (env {SETTINGS["db"].env}) takes any SQLAlchemy URL instead,
e.g. postgresql+psycopg://user@host/newswatch.
Settings: an option wins over its environment variable, which wins over the TOML config file
(--config, env {CONFIG_ENV}, default ~/.config/newswatch/config.toml), which wins over the
default. Global options may stand before or after the command.
"""


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line and exit code 2, like every other error of newswatch: the
    usage of a command with fifteen options would bury the one thing that is wrong. The
    subcommands' parsers are of this class too (argparse makes them of their parent's)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"newswatch: {message} (see: {self.prog} --help)\n")


def global_options() -> argparse.ArgumentParser:
    """Options of every command, accepted before or after it: each default is SUPPRESS, so a
    value given before the command is not overwritten by the subcommand's absent one."""
    options = OneLineParser(add_help=False, argument_default=argparse.SUPPRESS)
    options.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where the database and feeds live (env {SETTINGS['data_dir'].env})",
    )
    options.add_argument(
        "--db",
        metavar="URL",
        help=f"SQLAlchemy database URL (env {SETTINGS['db'].env}; default: SQLite in the data dir)",
    )
    options.add_argument("--config", metavar="PATH", help=f"TOML config file (env {CONFIG_ENV})")
    options.add_argument(
        "--sites",
        metavar="PATH",
        help=f"the sites file (env {SETTINGS['sites'].env}; default sites.toml beside the config "
        "file; without one, the built-in site only)",
    )
    verbosity = options.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="debug logs, Scrapy's included")
    return options


def build_parser() -> argparse.ArgumentParser:
    common = global_options()
    parser = OneLineParser(
        prog="newswatch",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = commands.add_parser(
        "crawl",
        parents=[common],
        help="crawl now, store what is new or edited, rewrite the feeds",
        description="Crawl once, then regenerate the feeds; prints a summary.",
    )
    add_source_options(crawl)
    crawl.add_argument(
        "--full",
        action="store_true",
        help="walk every listing page and re-check every known article (backfill and audit); "
        "by default a crawl stops paginating at the first listing page with nothing new",
    )
    add_politeness_options(crawl)
    add_notify_option(crawl)
    crawl.add_argument(
        "--wait",
        metavar="SECONDS",
        help="if another crawl of one of its sites (e.g. the service's) is running, wait this long "
        "for it, then give up "
        f"(env {SETTINGS['wait'].env}; {SETTINGS['wait'].parse.span}; default {DEFAULT_WAIT_SECONDS:.0f})",
    )
    crawl.set_defaults(handler=command_crawl)

    changes = commands.add_parser(
        "changes",
        parents=[common],
        help="the change log: what was published, edited or removed",
        description="Print the change log, newest first.",
    )
    changes.add_argument(
        "--since",
        metavar="ISO",
        type=parse_since,
        help="only changes at or after this time, UTC unless it has an offset, years 1 to 9999 "
        "(e.g. 2026-11-01 or 2026-11-01T12:00+00:00)",
    )
    changes.add_argument(
        "--kind",
        choices=("new", "updated", "removed"),
        action="append",
        help="only this kind of change (repeatable)",
    )
    changes.add_argument(
        "--limit", type=limit_option, metavar="N", help=f"at most N changes ({limit.span}; default: all)"
    )
    changes.add_argument(
        "--site", metavar="NAME", help="only the changes of this site (a name from the sites file)"
    )
    changes.add_argument(
        "--json", action="store_true", help="print a JSON array (the shape is in the README)"
    )
    changes.set_defaults(handler=command_changes)

    show = commands.add_parser(
        "show",
        parents=[common],
        help="one entry's whole history: every version, its diffs, its events",
        description="Print every version of one entry (oldest first, each with its diff from the one "
        "before) and its change-log events. Exit code 1 if no entry has this id.",
    )
    show.add_argument(
        "entry_id",
        metavar="ID",
        help="the entry's feed id (RSS guid / Atom id / entry_id in changes --json), "
        "as is or URL-quoted as in the service's /entries/ID",
    )
    show.add_argument("--json", action="store_true", help="print JSON (the shape is in the README)")
    show.set_defaults(handler=command_show)

    feed = commands.add_parser(
        "feed",
        parents=[common],
        help="write or print the news feed",
        description="Build the news feed from the store.",
    )
    feed.add_argument(
        "--format",
        choices=("rss", "atom", "json"),
        default="rss",
        help="feed format: RSS 2.0, Atom 1.0 or JSON Feed 1.1, all with the same ids (default rss)",
    )
    feed.add_argument(
        "--site",
        metavar="NAME",
        help="this site's own feed (a name from the sites file); default: the feed of every site",
    )
    feed.add_argument(
        "--out", metavar="PATH", type=Path, help="write to PATH (atomically) instead of printing"
    )
    feed.add_argument(
        "--limit",
        type=limit_option,
        metavar="N",
        help=f"newest N entries ({limit.span}; default {FEED_LIMIT})",
    )
    feed.set_defaults(handler=command_feed)

    parse = commands.add_parser(
        "parse",
        parents=[common],
        help="show what the parser extracts from one page",
        description="Parse one page file (text or HTML) or URL and print its teasers and article.",
    )
    parse.add_argument("source", metavar="PATH_OR_URL", help="a page file, or an http(s) URL to fetch")
    parse.add_argument("--url", help="the page's canonical URL (for a local file)")
    parse.add_argument("--json", action="store_true", help="print JSON (the shape is in the README)")
    parse.set_defaults(handler=command_parse)

    reparse = commands.add_parser(
        "reparse",
        parents=[common],
        help="read the stored pages again with this version's extractor, silently",
        description="Read the stored pages of the sites in the sites file again with this version's "
        "extractor and correct their entries without 'updated' events (a better reading is not an "
        "edit on the site); then rewrite the feeds. Every crawl does this first for pages an older extractor read.",
    )
    reparse.add_argument(
        "--all", action="store_true", help="every stored page, not only those an older extractor read"
    )
    reparse.set_defaults(handler=command_reparse)

    add_run_parser(commands, common)
    add_sites_parser(commands, common)
    add_notify_parser(commands, common)
    add_worker_parser(commands, common)
    return parser


def limit_option(value: str) -> int:
    """``--limit N`` of ``changes`` and ``feed``: ``-1`` or ``0`` are refused, not read as
    "all" or "the default", and a number past what the database can hold is one line too."""
    try:
        return limit(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_since(value: str) -> dt.datetime:
    """``--since``: a date or a time, UTC when no offset is given. A time whose UTC reading
    falls outside the years 1 to 9999 (``9999-12-31T23:59-14:00``) is refused here: further on
    it would fail as a "database error", which it is not."""
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date or time (years 1 to 9999): {value!r}"
        ) from None
    try:
        return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"out of range (years 1 to 9999 in UTC): {value!r}") from None
