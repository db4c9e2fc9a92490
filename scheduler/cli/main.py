"""The ``newswatch`` command line: its commands and options, and one line for every error.

The command shapes and JSON outputs are a contract (docs/architecture.md, "Command line"):
other tools depend on them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import select
import sys
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from extraction.page_limits import MAX_PAGE_BYTES, MAX_PAGE_LABEL
from scheduler.cli.crawl_options import add_politeness_options, add_source_options
from scheduler.cli.run_command import add_run_parser
from scheduler.config import BUNDLED_FIXTURES, FEED_LIMIT, Config
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS, CrawlBusy, crawl_lock
from scheduler.http_urls import has_scheme, http_url
from scheduler.logging_setup import configure_logging
from scheduler.reports import changes_table, crawl_report
from scheduler.settings import CONFIG_ENV, SETTINGS, SettingsError, Sources, limit
from storage.database import DatabaseError, error_line, is_damaged, waited_for_lock

log = logging.getLogger("newswatch")
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a command that SIGPIPE stopped (``seq 100000 | head -1``)."""

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
    crawl.add_argument(
        "--wait",
        metavar="SECONDS",
        help="if another crawl (e.g. the service's) is running, wait this long for it, then give up "
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
        "--json", action="store_true", help="print a JSON array (the shape is in the README)"
    )
    changes.set_defaults(handler=command_changes)

    feed = commands.add_parser(
        "feed",
        parents=[common],
        help="write or print the news feed",
        description="Build the news feed from the store.",
    )
    feed.add_argument("--format", choices=("rss", "atom"), default="rss", help="feed format (default rss)")
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
        description="Read the stored pages again with this version's extractor and correct their "
        "entries without 'updated' events (a better reading is not an edit on the site); then "
        "rewrite the feeds. Every crawl does this first for pages an older extractor read.",
    )
    reparse.add_argument(
        "--all", action="store_true", help="every stored page, not only those an older extractor read"
    )
    reparse.set_defaults(handler=command_reparse)

    add_run_parser(commands, common)
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


def main(argv: list[str] | None = None) -> int:
    """Run one command; what the user can act on is one line on stderr, never a traceback:
    a bad setting exits 2, a database that fails or a data directory that cannot be written 1."""
    args = build_parser().parse_args(argv)
    configure_logging(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a reader that went away is seen here, not at the exit
        return code
    except BrokenPipeError as error:
        if _stdout_reader_gone():
            return _reader_went_away()
        print(f"newswatch: {_os_error_line(error)}", file=sys.stderr)  # another pipe: a failure
        return EXIT_FAILED
    except SettingsError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (DatabaseError, CrawlBusy) as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as error:
        print(f"newswatch: {_database_error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"newswatch: {_os_error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("newswatch: interrupted", file=sys.stderr)
        return 130


def _stdout_reader_gone() -> bool:
    """True when standard output is a pipe nobody reads any more (poll reports an error on
    it), so that a broken pipe elsewhere (a crawl child's) is not mistaken for it."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor, or no poll() here
        return False


def _reader_went_away() -> int:
    """``newswatch changes | head -1``: the reader has what it wanted. Say nothing, as Unix
    tools do, and exit as one killed by SIGPIPE would (128 + 13). Standard output goes to
    /dev/null first, so that Python's own flush at the exit does not fail again (the Python
    docs' advice on SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _database_error_line(error: SQLAlchemyError) -> str:
    line = f"database error: {error_line(error)}"
    if waited_for_lock(error):
        line += f" (another process kept it locked for longer than the busy timeout, {SETTINGS['db_busy_timeout'].env})"
    elif is_damaged(error):
        line += " (the database file is damaged: restore it from a backup)"
    return line


def _os_error_line(error: OSError) -> str:
    """``cannot use /data/crawl.lock: Permission denied`` rather than a traceback."""
    if error.filename is None:
        return error.strerror or str(error)
    return f"cannot use {error.filename}: {error.strerror or error}"


def settings_sources(args: argparse.Namespace) -> Sources:
    """The options given on this command line, the environment and the config file."""
    return Sources(vars(args), os.environ)


def _open_store(args: argparse.Namespace):
    from storage.store import Store

    config = Config.from_sources(settings_sources(args))
    return Store.open(config.database_url, config.busy_timeout), config


def command_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import fixture_urls
    from crawler.stop_signals import exit_code
    from scheduler.cli.crawl_options import crawl_plan
    from scheduler.crawl_job import crawl_and_publish

    sources = settings_sources(args)
    plan = crawl_plan(sources, full=args.full, verbose=getattr(args, "verbose", False))
    if plan.offline:
        directory = sources.value("fixtures", BUNDLED_FIXTURES)
        if not directory.is_dir():
            print(f"newswatch: no such fixtures directory: {directory}", file=sys.stderr)
            return EXIT_FAILED
        plan = dataclasses.replace(plan, start_urls=tuple(fixture_urls(directory)))
        if not plan.start_urls:
            print(f"newswatch: no page files (.txt, .html) under {directory}", file=sys.stderr)
            return EXIT_FAILED
    lock_wait = sources.value("wait", DEFAULT_WAIT_SECONDS)
    store, config = _open_store(args)
    summary, feeds = crawl_and_publish(store, config, plan, lock_wait=lock_wait)
    print(crawl_report(summary, feeds, config.database_url))
    if summary.stopped_by:
        return exit_code(summary.stopped_by)
    return 0 if summary.status == "finished" else 1


def command_reparse(args: argparse.Namespace) -> int:
    from scheduler.crawl_job import publish_feeds, reread_stored_pages

    store, config = _open_store(args)
    with crawl_lock(config.data_dir, wait=settings_sources(args).value("wait", DEFAULT_WAIT_SECONDS)):
        summary = reread_stored_pages(store, every_page=args.all)
        publish_feeds(store, config)
    if summary is None:
        print("no stored page to read again: every one was read by this extractor (--all reads them all)")
        return 0
    corrected = store.corrections(summary.crawl_id)
    print(
        f"read {summary.pages} stored pages again: {corrected} entries corrected silently, "
        f"{summary.new} new, warnings {summary.warnings}"
    )
    return 0


def command_changes(args: argparse.Namespace) -> int:
    store, _ = _open_store(args)
    changes = store.changes(since=args.since, kinds=tuple(args.kind or ()), limit=args.limit)
    if args.json:
        json.dump([change.as_json() for change in changes], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(changes_table(changes, filtered=bool(args.since or args.kind)))
    return 0


def command_feed(args: argparse.Namespace) -> int:
    from feeds import build_entries_feed, write_atomically
    from feeds.writer import feed_url

    store, config = _open_store(args)
    entries = store.latest_entries(args.limit or FEED_LIMIT)
    data = build_entries_feed(
        entries,
        args.format,
        self_url=feed_url(config.base_url, args.format),
        site_url=config.site_url,
        generated_at=dt.datetime.now(dt.UTC),
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(args.out, data)
        print(f"wrote {args.format} feed with {len(entries)} entries to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def command_parse(args: argparse.Namespace) -> int:
    from extraction.page_reader import read_page
    from scheduler.cli.page_output import page_as_json, page_as_text

    body, url = _read_source(args.source)
    if body is None:
        return EXIT_FAILED
    if len(body) > MAX_PAGE_BYTES:
        print(f"newswatch: {args.source}: larger than the {MAX_PAGE_LABEL} page limit", file=sys.stderr)
        return EXIT_FAILED
    page = read_page(body, url=args.url or url)
    if page.warning:
        log.warning("page %s: %s; 0 items", args.source, page.warning)
    if args.json:
        print(json.dumps(page_as_json(page, args.url), ensure_ascii=False, indent=2))
    else:
        print(page_as_text(page))
    return 0


def _read_source(source: str) -> tuple[bytes | None, str]:
    """A page file's bytes, or a web page's: what looks like a URL and is no file must be
    an http(s) URL (scheduler.http_urls), else a one-line error and exit code 2."""
    if has_scheme(source) and not Path(source).exists():
        try:
            http_url(source)
        except ValueError as error:
            raise SettingsError(f"{error} (parse reads a page file or an http(s) URL)") from None
        from crawler.fetch_one import fetch

        try:
            return fetch(source), source
        except OSError as error:
            print(f"newswatch: cannot fetch {source}: {error}", file=sys.stderr)
            return None, source
    path = Path(source)
    try:
        with path.open("rb") as page:  # to one byte past the limit: /dev/zero is endless
            return page.read(MAX_PAGE_BYTES + 1), path.resolve().as_uri()
    except OSError as error:
        print(f"newswatch: cannot read {source}: {error.strerror or error}", file=sys.stderr)
        return None, source


if __name__ == "__main__":
    sys.exit(main())
