"""What the crawl fork server imports once, so that each crawl forked from it starts warm.

Importing this module is its whole purpose (scheduler.service.crawl_processes names it in
the fork server's preload list): it imports the crawl's code, Scrapy, Twisted, lxml,
trafilatura and SQLAlchemy, and every Scrapy component that newswatch's settings (live and
offline) switch on, which Scrapy would otherwise import anew in each crawl.

It imports with the cycle collector off and freezes what it imported (scheduler.quiet_imports
says why). It must leave the process fit to fork: no Twisted reactor installed (each crawl
installs its own, and Scrapy refuses a reactor it did not choose), no thread started, no
database engine or file opened. Imports only give that; :func:`fit_to_fork` says whether it
still holds, and tests/test_crawl_processes.py checks it.

A failure here costs speed, never a crawl: the fork server carries on with what it could
import, and each crawl imports the rest itself.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
from collections.abc import Mapping

from scheduler.quiet_imports import quiet_imports

log = logging.getLogger(__name__)

COMPONENT_DICTS = (
    "DOWNLOADER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES",
    "EXTENSIONS",
    "ITEM_PIPELINES",
    "DOWNLOAD_HANDLERS",
)
"""Settings that name Scrapy components in a dict (path -> order, or scheme -> path)."""
COMPONENT_PATHS = (
    "SCHEDULER",
    "SCHEDULER_PRIORITY_QUEUE",
    "SCHEDULER_DISK_QUEUE",
    "SCHEDULER_MEMORY_QUEUE",
    "DUPEFILTER_CLASS",
    "STATS_CLASS",
    "LOG_FORMATTER",
    "DNS_RESOLVER",
    "REQUEST_FINGERPRINTER_CLASS",
    "DOWNLOADER",
    "ROBOTSTXT_PARSER",
)
"""Settings that name one Scrapy component each."""
CRAWL_MODULES = (
    "scheduler.service.crawl_child",
    "scheduler.crawl_job",
    "scheduler.notify.messages",
    "crawler.runner",
    "sqlalchemy.dialects.sqlite.pysqlite",  # the store's dialect, loaded when it connects
    # what a crawl imports only when it first needs it (so that a command that reads no page
    # or writes no feed does not pay for it): each forked crawl would import it again
    "trafilatura",  # by extraction.main_content, at the first page read: about 45 ms, 5 MiB
    "extraction.html_page",  # by extraction.page_reader, at the first HTML page: about 6 ms
    "feedgen.feed",  # by feeds.builder, when a feed is written
)
"""The crawl's own code, which imports Scrapy, Twisted, lxml, trafilatura and SQLAlchemy."""


def import_crawl_modules() -> None:
    """Import the crawl's code and the Scrapy components a crawl loads."""
    for name in CRAWL_MODULES:
        importlib.import_module(name)
    for path in scrapy_component_paths():
        _import_component(path)


def scrapy_component_paths() -> set[str]:
    """Every component path that newswatch's Scrapy settings, live or offline, switch on."""
    from scrapy.settings import Settings

    from crawler.plan import CrawlPlan
    from crawler.settings import scrapy_settings

    paths: set[str] = set()
    for offline in (False, True):
        settings = Settings(scrapy_settings(CrawlPlan(start_urls=(), offline=offline)))
        for name in COMPONENT_DICTS:
            paths.update(_switched_on(name, settings.getwithbase(name)))
        paths.update(settings[name] for name in COMPONENT_PATHS if isinstance(settings[name], str))
    return paths


def fit_to_fork() -> str | None:
    """Why this process must not fork crawls after the preload, or None if it may."""
    if "twisted.internet.reactor" in sys.modules:
        return "a Twisted reactor was installed"
    if threading.active_count() > 1:
        return f"{threading.active_count() - 1} thread(s) were started"
    return None


def _switched_on(name: str, components: Mapping) -> list[str]:
    """The paths a component dict switches on (None switches one off)."""
    if name == "DOWNLOAD_HANDLERS":  # scheme -> path
        return [path for path in components.values() if isinstance(path, str)]
    return [path for path, order in components.items() if isinstance(path, str) and order is not None]


def _import_component(path: str) -> None:
    from scrapy.utils.misc import load_object

    try:
        load_object(path)
    except Exception as error:  # a component that cannot load fails its crawl, not the preload
        log.debug("not preloaded: %s (%s)", path, error)


try:
    with quiet_imports():
        import_crawl_modules()
    gc.freeze()  # before the forks: see scheduler.quiet_imports
except Exception:
    log.warning("the crawl fork server could not import everything a crawl needs", exc_info=True)
if problem := fit_to_fork():
    log.error("the crawl fork server is unfit to fork crawls: %s while preloading", problem)
