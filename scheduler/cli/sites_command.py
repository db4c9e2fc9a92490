"""``newswatch sites add|list|remove``: the sites file from the command line.

``add`` fetches the site's page once and shows what newswatch would take from it before the
site is written down; a page with no news items on it is refused, so that a typo or a page
of the wrong kind never becomes a site whose feeds stay empty. ``remove`` keeps the site's
entries and change log unless asked to purge them: an entry's id is in its subscribers'
readers, and the history cannot be fetched again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from scheduler.cli.commands import open_store, settings_sources, watched_sites
from scheduler.cli.exit_codes import EXIT_FAILED, EXIT_USAGE
from scheduler.reports import printable
from scheduler.service.schedule import Schedule
from scheduler.service.settings import service_settings
from scheduler.service.site_groups import own_schedule
from scheduler.settings import SETTINGS
from scheduler.sites import WatchedSite, name_from_url, new_site

MIN_ITEMS = 2
"""A start page is a list of news: one item alone is a page of another kind (an article, an
"About us" page), whose site would publish it and nothing else."""
HINT_OPTIONS = ("title", "language", "every", "cron", "delay", "max_pages", "article_pattern")


def add_sites_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sites = commands.add_parser(
        "sites",
        parents=[common],
        help="the sites newswatch watches: add, list, remove",
        description="Manage the sites file (--sites, env "
        f"{SETTINGS['sites'].env}; default sites.toml beside the config file). Without a sites "
        "file, newswatch watches its built-in site only.",
    )
    actions = sites.add_subparsers(dest="sites_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[common],
        help="add a site by the URL of its news listing",
        description="Fetch the page once, show what would be taken from it (how many items, "
        "examples), and add the site to the sites file. A page with no news items is refused.",
    )
    add.add_argument("url", metavar="URL", help="the site's news listing (its start page)")
    add.add_argument("--url", dest="more_urls", metavar="URL", action="append", help="another start page")
    add.add_argument("--name", help="the site's name, a slug (default: from its host)")
    add.add_argument("--title", help="the title of its feeds (default: NAME news (HOST))")
    add.add_argument("--language", help="its language tag, e.g. en, ru (feeds, dates)")
    add.add_argument("--every", metavar="DURATION", help="its own crawl interval in `newswatch run`")
    add.add_argument("--cron", metavar="EXPR", help="or its own cron schedule in `newswatch run`")
    add.add_argument("--delay", metavar="SECONDS", help="seconds between its requests")
    add.add_argument("--max-pages", metavar="N", help="responses per crawl at most")
    add.add_argument(
        "--article-pattern", metavar="PATTERN", help="its article URLs, when the learnt pattern is wrong"
    )
    add.set_defaults(handler=command_sites_add)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="every site: its entries, last crawl, schedule, next crawl and last error",
        description="Every site of the sites file. Its schedule is its own (every/cron in the "
        "sites file) or the service's (newswatch run's every/cron, from the environment or the "
        "config file); its next crawl is reckoned from that schedule and its last crawl. Times "
        "are UTC.",
    )
    listing.set_defaults(handler=command_sites_list)

    remove = actions.add_parser(
        "remove",
        parents=[common],
        help="stop watching a site",
        description="Remove a site from the sites file. Its entries and change log are kept "
        "(its feeds are no longer written) unless --purge is given.",
    )
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--yes", action="store_true", help="really remove it (required)")
    remove.add_argument("--purge", action="store_true", help="delete its entries and change log too")
    remove.set_defaults(handler=command_sites_remove)


def command_sites_add(args: argparse.Namespace) -> int:
    sites = watched_sites(args)
    urls = (args.url, *(args.more_urls or ()))
    hints = {key: getattr(args, key) for key in HINT_OPTIONS}
    site = new_site(args.name or name_from_url(args.url), urls, **hints)
    sites.with_site(site)  # a repeated name is refused before anything is fetched
    pattern = _preview(site)
    if pattern is None:
        return EXIT_FAILED
    if not site.article_pattern:  # what the crawl will follow is what the user was shown
        site = new_site(site.name, urls, **(hints | {"article_pattern": pattern}))
    sites = sites.with_site(site)
    sites.save()
    print(f"added site {site.name} to {sites.path}")
    return 0


def _preview(site: WatchedSite) -> str | None:
    """Fetch the first start page and say what a crawl would take from it: its items and
    which URLs are articles. Returns that article pattern; None (and why) when the page
    holds no news items."""
    from crawler.fetch_one import fetch_page
    from extraction.site_preview import preview_site

    url = site.start_urls[0]
    try:
        body, content_type = fetch_page(url)
    except OSError as error:
        print(f"newswatch: cannot fetch {url}: {error}", file=sys.stderr)
        return None
    preview = preview_site(
        body, url=url, content_type=content_type, article_pattern=site.article_pattern, language=site.language
    )
    if preview.refusal is not None or len(preview.items) < MIN_ITEMS:
        reason = preview.refusal or f"no news items: only {len(preview.items)} linked"
        print(f"newswatch: {url} holds {reason}; the site is not added", file=sys.stderr)
        return None
    print(f"{url}: {len(preview.items)} items, for example:")
    for item in preview.examples:
        date = item.published.isoformat() if item.published else "no date"
        print(f"  {date:<10}  {printable(item.title)[:90]}  {printable(item.url)}")
    print(f"articles: {preview.how}")
    return preview.articles.pattern


def command_sites_list(args: argparse.Namespace) -> int:
    sites = watched_sites(args)
    service_schedule = service_settings(settings_sources(args)).schedule
    now = dt.datetime.now(dt.UTC)
    store, _ = open_store(args)
    try:
        rows = [_row(site, store, own_schedule(site) or service_schedule, now) for site in sites.sites]
    finally:
        store.close()
    widths = [max(len(row[column]) for row in [HEADER, *rows]) for column in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if not sites.exists:
        print(f"(no sites file at {sites.path}: the built-in site only; `newswatch sites add URL` makes one)")
    return 0


HEADER = ("name", "url", "entries", "last crawl", "schedule", "next crawl", "last error")


def _row(site: WatchedSite, store, schedule: Schedule, now: dt.datetime) -> tuple[str, ...]:
    """One site's line; its next crawl reckoned from its schedule and its last crawl (the
    site's own schedule in the sites file, else the service's, ``[run]`` every/cron)."""
    last = store.last_crawl(site=site.name)
    when = f"{_minute(last.started_at)} {last.status}" if last else "never"
    error = printable(last.notes) if last and last.status == "failed" else ""
    due = schedule.next_after(last.started_at if last else None, now)
    upcoming = "due now" if due <= now else _minute(due)
    return (
        site.name,
        site.start_urls[0],
        str(store.entry_count(site.name)),
        when,
        schedule.describe(),
        upcoming,
        error,
    )


def _minute(moment: dt.datetime) -> str:
    """A moment to the minute, in UTC as the store keeps it."""
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M}"


def command_sites_remove(args: argparse.Namespace) -> int:
    sites = watched_sites(args)
    site = sites.named(args.name)
    if not args.yes:
        print(
            f"newswatch: removing site {site.name} needs --yes (its entries and change log are kept "
            "unless --purge is given too)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sites.without(site.name).save()
    if args.purge:
        store, _ = open_store(args)
        try:
            purged = store.purge_site(site.name)
        finally:
            store.close()
        print(f"removed site {site.name} from {sites.path} and deleted its {purged} entries")
    else:
        print(f"removed site {site.name} from {sites.path}; its entries and change log are kept")
    return 0
