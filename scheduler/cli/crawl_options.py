"""The command-line options of a live crawl, shared by ``newswatch crawl`` and the service.

Each politeness option also reads an environment variable, so that a deployment (or a test
against a loopback server) sets it once; an option given on the command line wins.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

from crawler.plan import (
    DEFAULT_RECHECK_AFTER,
    PROJECT_URL,
    CrawlPlan,
    Politeness,
    user_agent,
)

CONTACT_ENV = "NEWSWATCH_CONTACT"
DELAY_ENV = "NEWSWATCH_CRAWL_DELAY"
TIMEOUT_ENV = "NEWSWATCH_DOWNLOAD_TIMEOUT"
DEFAULTS = Politeness()


def add_crawl_options(parser: argparse.ArgumentParser) -> None:
    """``--full`` and the politeness options (:func:`add_politeness_options`)."""
    parser.add_argument(
        "--full",
        action="store_true",
        help="walk every listing page and re-check every known article (backfill and audit); "
        "by default a crawl stops paginating at the first listing page with nothing new",
    )
    add_politeness_options(parser)


def add_politeness_options(parser: argparse.ArgumentParser) -> None:
    """``--recheck-days``, ``--max-pages``, ``--delay``, ``--download-timeout``, ``--contact``:
    how every crawl treats the site, the service's scheduled ones included."""
    parser.add_argument(
        "--recheck-days",
        metavar="DAYS",
        type=float,
        default=DEFAULT_RECHECK_AFTER.days,
        help="re-check (conditionally) known articles fetched more than DAYS ago "
        f"(default {DEFAULT_RECHECK_AFTER.days}; 0: every crawl)",
    )
    parser.add_argument(
        "--max-pages",
        metavar="N",
        type=int,
        default=DEFAULTS.max_pages,
        help=f"stop after N responses (default {DEFAULTS.max_pages}; 0: no limit)",
    )
    parser.add_argument(
        "--delay",
        metavar="SECONDS",
        type=float,
        default=float(os.environ.get(DELAY_ENV) or DEFAULTS.delay),
        help=f"seconds between requests at least; AutoThrottle may wait longer "
        f"(env {DELAY_ENV}, default {DEFAULTS.delay:g})",
    )
    parser.add_argument(
        "--download-timeout",
        metavar="SECONDS",
        type=float,
        default=float(os.environ.get(TIMEOUT_ENV) or DEFAULTS.timeout),
        help=f"give up on a page that has not fully arrived after SECONDS (it is retried, then "
        f"recorded as failed and retried by the next crawl) (env {TIMEOUT_ENV}, default "
        f"{DEFAULTS.timeout:g})",
    )
    parser.add_argument(
        "--contact",
        metavar="URL",
        default=os.environ.get(CONTACT_ENV) or PROJECT_URL,
        help=f"where the site's operators can reach you, sent in the User-Agent "
        f"(env {CONTACT_ENV}, default {PROJECT_URL})",
    )


def crawl_plan(args: argparse.Namespace, start_urls: list[str]) -> CrawlPlan:
    """The plan the options describe (those of :func:`add_crawl_options`, ``offline`` and
    ``verbose``; a command without ``--full`` crawls incrementally)."""
    politeness = Politeness(
        user_agent=user_agent(args.contact),
        delay=max(0.0, args.delay),
        max_pages=max(0, args.max_pages),
        timeout=args.download_timeout if args.download_timeout > 0 else DEFAULTS.timeout,
    )
    return CrawlPlan(
        tuple(start_urls),
        offline=bool(args.offline),
        full=getattr(args, "full", False),
        verbose=args.verbose,
        recheck_after=dt.timedelta(days=max(0.0, args.recheck_days)),
        politeness=politeness,
    )
