"""The options of a crawl, shared by ``newswatch crawl`` and ``newswatch run``, and the plan
they describe once resolved (option > environment > config file's ``[crawl]`` > default)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence

from crawler.plan import DEFAULT_RECHECK_AFTER, PROJECT_URL, CrawlPlan, Politeness, user_agent
from scheduler.config import BUNDLED_FIXTURES, NEWS_START_URLS
from scheduler.settings import SETTINGS, SettingsError, Sources
from scheduler.sites import BUILT_IN, WatchedSite

DEFAULTS = Politeness()


def _env(key: str) -> str:
    return f"env {SETTINGS[key].env}"


def _env_span(key: str) -> str:
    """``env NEWSWATCH_CRAWL_DELAY; 0 to 600``: where else the value comes from, and its range."""
    return f"{_env(key)}; {SETTINGS[key].parse.span}"


def add_source_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--site``, ``--offline``, ``--fixtures``, ``--url``: what a crawl reads."""
    parser.add_argument(
        "--site",
        metavar="NAME",
        action="append",
        help="crawl this site of the sites file only (repeatable; default: every site, "
        "crawled together, each at its own pace; see: newswatch sites list)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        default=None,
        help=f"crawl local page files instead of the live site ({_env('offline')}=1)",
    )
    parser.add_argument(
        "--fixtures",
        metavar="DIR",
        help=f"with --offline: crawl every page file (.txt, .html) under DIR ({_env('fixtures')}; "
        f"default: the bundled seed pages, {BUNDLED_FIXTURES})",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        action="append",
        help=f"start page of a live crawl (repeatable; {_env('url')}, separated by spaces; "
        f"default {' '.join(NEWS_START_URLS)})",
    )
    parser.add_argument(
        "--article-pattern",
        metavar="PATTERN",
        help="which URLs of the site are its articles, as their path with placeholders, e.g. "
        "'/news/<number>-<slug>.html' or '/view.aspx?ID=<number>' (<number>, <year>, <month>, "
        "<day>, <slug> or * for any text in a segment; alternatives joined by ' | '; "
        f"{_env('article_pattern')}; default: the CSTO site's own rule there and offline, "
        "elsewhere learnt from the first listing pages)",
    )


def add_notify_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--notify URL``: where each crawl's changes are told (scheduler.notify)."""
    parser.add_argument(
        "--notify",
        metavar="URL",
        action="append",
        help=f"tell of each crawl's changes at this Apprise URL (mailto://, json://, tgram://, ...; "
        f"repeatable; {_env('notify')}, separated by spaces); filter with ?newswatch-kinds=new,updated, "
        "newswatch-keywords=WORD,WORD or newswatch-match=REGEX",
    )


def add_politeness_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--recheck-days``, ``--max-pages``, ``--delay``, ``--download-timeout``, ``--contact``:
    how every crawl treats the site, the service's scheduled ones included."""
    parser.add_argument(
        "--recheck-days",
        metavar="DAYS",
        help="re-check (conditionally) known articles fetched more than DAYS ago "
        f"({_env_span('recheck_days')}; default {DEFAULT_RECHECK_AFTER.days}; 0: every crawl)",
    )
    parser.add_argument(
        "--max-pages",
        metavar="N",
        help=f"stop after N responses ({_env_span('max_pages')}; default {DEFAULTS.max_pages}; 0: no limit)",
    )
    parser.add_argument(
        "--delay",
        metavar="SECONDS",
        help=f"seconds between requests at least; AutoThrottle may wait longer "
        f"({_env_span('delay')}; default {DEFAULTS.delay:g})",
    )
    parser.add_argument(
        "--download-timeout",
        metavar="SECONDS",
        help=f"give up on a page that has not fully arrived after SECONDS (it is retried, then "
        f"recorded as failed and retried by the next crawl) ({_env_span('download_timeout')}; "
        f"default {DEFAULTS.timeout:g})",
    )
    parser.add_argument(
        "--contact",
        metavar="URL",
        help=f"where the site's operators can reach you, sent in the User-Agent "
        f"({_env('contact')}; default {PROJECT_URL})",
    )


def crawl_plan(sources: Sources, *, full: bool, verbose: bool, site: WatchedSite = BUILT_IN) -> CrawlPlan:
    """The plan of one site's crawl. A setting given on the command line wins over the site's
    hint in the sites file, which wins over the environment, the config file and the default:
    the command line speaks for this crawl, the sites file for this site, the rest for all."""
    politeness = Politeness(
        user_agent=user_agent(sources.value("contact", PROJECT_URL)),
        delay=_site_first(sources, "delay", site.delay, DEFAULTS.delay),
        max_pages=_site_first(sources, "max_pages", site.max_pages, DEFAULTS.max_pages),
        timeout=sources.value("download_timeout", DEFAULTS.timeout),
    )
    recheck_days = sources.value("recheck_days", DEFAULT_RECHECK_AFTER.days)
    return CrawlPlan(
        tuple(sources.value("url", site.start_urls)),
        site=site.name,
        offline=sources.value("offline", False),
        full=full,
        verbose=verbose,
        recheck_after=dt.timedelta(days=recheck_days),
        politeness=politeness,
        article_pattern=_site_first(sources, "article_pattern", site.article_pattern, None),
        language=site.language,
    )


def site_plans(
    sources: Sources, sites: Sequence[WatchedSite], *, full: bool, verbose: bool
) -> list[CrawlPlan]:
    """One plan per site. Start pages given as a setting (``--url``, NEWSWATCH_URL, ``[crawl]
    url``), and an offline crawl's page files, are one site's: with several sites they
    would be every site's, so the site must be named."""
    if len(sites) > 1:
        for key in ("url", "offline"):
            if sources.value(key):
                option = {"url": "--url", "offline": "--offline"}[key]
                names = ", ".join(site.name for site in sites)
                raise SettingsError(
                    f"{option} is for one site, and {len(sites)} are chosen ({names}): name one with --site"
                )
    return [crawl_plan(sources, full=full, verbose=verbose, site=site) for site in sites]


def _site_first(sources: Sources, key: str, hint, default):
    given = sources.given(key)
    if given and given[0].source == "command line":
        return given[0].parsed(SETTINGS[key])
    return hint if hint is not None else sources.value(key, default)
