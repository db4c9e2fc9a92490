"""What each ``newswatch`` command does, given its parsed options (scheduler.cli.parser);
``newswatch run`` is scheduler.cli.run_command's. Heavy modules (Scrapy, the store, the
feeds) are imported inside the command that needs them, so that ``--help`` and ``changes``
do not pay for them."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import unquote

from extraction.page_limits import MAX_PAGE_BYTES, MAX_PAGE_LABEL
from scheduler.cli.exit_codes import EXIT_FAILED
from scheduler.config import BUNDLED_FIXTURES, FEED_LIMIT, Config
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS, crawl_lock
from scheduler.http_urls import has_scheme, http_url
from scheduler.quiet_imports import quiet_imports
from scheduler.reports import changes_table, crawl_report
from scheduler.settings import SettingsError, Sources
from scheduler.sites import SitesFile, site_destinations, sites_file_path

log = logging.getLogger("newswatch")


def settings_sources(args: argparse.Namespace) -> Sources:
    """The options given on this command line, the environment and the config file."""
    return Sources(vars(args), os.environ)


def open_store(args: argparse.Namespace):
    with quiet_imports():
        from storage.store import Store

    config = Config.from_sources(settings_sources(args))
    return Store.open(config.database_url, config.busy_timeout), config


def command_crawl(args: argparse.Namespace) -> int:
    with quiet_imports():
        from crawler.runner import fixture_urls
        from crawler.stop_signals import exit_code
        from scheduler.cli.crawl_options import site_plans
        from scheduler.cli.notify_command import SEND_WITHIN_SECONDS, report_delivery
        from scheduler.crawl_job import crawl_and_publish
        from scheduler.notify.messages import notify_through
        from scheduler.notify.sender import send_pending

    sources = settings_sources(args)
    watched = SitesFile.load(sites_file_path(sources))
    plans = site_plans(
        sources, watched.select(args.site), full=args.full, verbose=getattr(args, "verbose", False)
    )
    if plans[0].offline:
        directory = sources.value("fixtures", BUNDLED_FIXTURES)
        if not directory.is_dir():
            print(f"newswatch: no such fixtures directory: {directory}", file=sys.stderr)
            return EXIT_FAILED
        plans = [dataclasses.replace(plans[0], start_urls=tuple(fixture_urls(directory)))]
        if not plans[0].start_urls:
            print(f"newswatch: no page files (.txt, .html) under {directory}", file=sys.stderr)
            return EXIT_FAILED
    lock_wait = sources.value("wait", DEFAULT_WAIT_SECONDS)
    store, config = open_store(args)
    notify_through(store, sources.value("notify", ()), config.base_url, site_destinations(watched.sites))
    summaries, feeds = crawl_and_publish(store, config, plans, sites=watched.sites, lock_wait=lock_wait)
    print(crawl_report(summaries, feeds, config.database_url))
    report_delivery(send_pending(store, config.data_dir, within=SEND_WITHIN_SECONDS))
    stopped_by = next((summary.stopped_by for summary in summaries if summary.stopped_by), None)
    if stopped_by:
        return exit_code(stopped_by)
    return 0 if all(summary.status == "finished" for summary in summaries) else 1


def command_reparse(args: argparse.Namespace) -> int:
    from scheduler.crawl_job import publish_feeds, reread_stored_pages
    from scheduler.notify.messages import notify_through

    sites = watched_sites(args).sites
    sources = settings_sources(args)
    store, config = open_store(args)
    notify_through(store, sources.value("notify", ()), config.base_url, site_destinations(sites))
    names = [site.name for site in sites]
    with crawl_lock(config.data_dir, names, wait=sources.value("wait", DEFAULT_WAIT_SECONDS)):
        summary = reread_stored_pages(store, sites, every_page=args.all)
        publish_feeds(store, config, sites)
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
    from storage.quick_read import quick_changes

    site = watched_sites(args).named(args.site).name if args.site else None
    which = {"since": args.since, "kinds": tuple(args.kind or ()), "limit": args.limit, "site": site}
    database_url = Config.from_sources(settings_sources(args)).database_url
    changes = quick_changes(database_url, **which)
    if changes is None:  # not an SQLite file at the newest schema: the Store opens it
        store, _ = open_store(args)
        changes = store.changes(**which)
    if args.json:
        json.dump([change.as_json() for change in changes], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(changes_table(changes, filtered=bool(args.since or args.kind)))
    return 0


def command_show(args: argparse.Namespace) -> int:
    from scheduler.cli.entry_output import history_as_text

    entry_id = unquote(args.entry_id.strip())  # as in the feeds, or as in an /entries/ address
    store, _ = open_store(args)
    history = store.entry_history(entry_id)
    if history is None:
        print(
            f"newswatch: no entry with id {entry_id!r} (the ids are in: newswatch changes --json)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if args.json:
        print(json.dumps(history.as_json(), ensure_ascii=False, indent=2))
    else:
        print(history_as_text(history))
    return 0


def command_feed(args: argparse.Namespace) -> int:
    from feeds import build_entries_feed, build_json_feed, write_atomically
    from scheduler.site_feeds import combined_feeds, site_feeds

    sites = watched_sites(args)
    chosen = sites.named(args.site) if args.site else None
    store, config = open_store(args)
    places = {"data_dir": config.data_dir, "base_url": config.base_url}
    feeds = site_feeds(chosen, **places) if chosen else combined_feeds(sites.sites, **places)
    entries = store.latest_entries(args.limit or FEED_LIMIT, site=feeds.site)
    if args.format == "json":
        data = build_json_feed(entries, self_url=feeds.url(args.format), channel=feeds.channel)
    else:
        data = build_entries_feed(
            entries,
            args.format,
            self_url=feeds.url(args.format),
            channel=feeds.channel,
            labels=feeds.labels,
            generated_at=dt.datetime.now(dt.UTC),
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(args.out, data)
        print(f"wrote {args.format} feed with {len(entries)} entries to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def watched_sites(args: argparse.Namespace) -> SitesFile:
    """The sites file (--sites, $NEWSWATCH_SITES, the config's ``sites``), or the built-in
    site alone; a bad file or an unknown ``--site`` is a usage error (exit code 2)."""
    return SitesFile.load(sites_file_path(settings_sources(args)))


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
