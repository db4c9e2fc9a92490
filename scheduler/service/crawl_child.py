"""What runs inside a crawl child process: one crawl -> store -> feeds, then exit.

The service starts one process per crawl, forked from a fork server that has imported what
a crawl needs (or a fresh ``spawn``-ed interpreter where there is none), see
scheduler.service.supervisor and scheduler.service.crawl_processes for why. The child logs the crawl's one-line summary itself (it
alone knows which crawl record is its own) and reports how it went by its exit code.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.plan import CrawlPlan
from crawler.stop_signals import exit_code
from scheduler.config import Config
from scheduler.crawl_lock import free_sites_held
from scheduler.logging_setup import configure_logging
from scheduler.reports import crawl_summary_line
from scheduler.sites import BUILT_IN, WatchedSite, site_destinations

if TYPE_CHECKING:
    from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)

EXIT_FINISHED = 0
EXIT_FAILED = 1
EXIT_BUSY = 75
"""EX_TEMPFAIL: other crawls (an on-demand ``newswatch crawl``) held every site's lock; skipped."""

HOOK_ENV = "NEWSWATCH_CRAWL_CHILD_HOOK"
"""``module:function`` called in the child before it crawls. For tests and debugging: it
injects a slow, crashing or hanging crawl into the real service without a single test
branch in the production path."""


@dataclass(frozen=True)
class CrawlRequest:
    """Everything the child needs, picklable: it crosses a process boundary."""

    config: Config
    plans: tuple[CrawlPlan, ...]
    """One per site crawled: they are crawled together, each site at its own pace."""
    sites: tuple[WatchedSite, ...] = (BUILT_IN,)
    """Every watched site: the combined feeds name them all."""
    quiet: bool = False
    verbose: bool = False
    destinations: tuple = ()
    """Who is told of the crawl's changes (scheduler.notify.destinations): the child writes
    the messages with the crawl's closing; the service sends them."""


def crawl_in_child(request: CrawlRequest) -> None:
    """The child's entry point; ends the process with one of the EXIT_* codes.

    The child leaves the service's process group first: Ctrl-C in a terminal signals the
    whole foreground group, and the service alone decides when and how a crawl stops.
    """
    os.setpgrp()
    configure_logging(quiet=request.quiet, verbose=request.verbose)
    _run_hook(os.environ.get(HOOK_ENV))
    sys.exit(_crawl(request))


def _crawl(request: CrawlRequest) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from scheduler.notify.messages import notify_through
    from storage.database import DatabaseError, error_line
    from storage.store import Store

    try:
        store = Store.open(request.config.database_url, request.config.busy_timeout)
    except DatabaseError as error:
        log.error("%s", error)
        return EXIT_FAILED
    notify_through(store, request.destinations, request.config.base_url, site_destinations(request.sites))
    try:
        summaries = _crawl_free_sites(store, request)
    except (SQLAlchemyError, OSError) as error:  # the store or the data directory failed
        log.error("the crawl failed: %s", error_line(error))
        return EXIT_FAILED
    finally:
        store.close()
    if not summaries:
        return EXIT_BUSY
    for summary in summaries:
        finished = summary.status == "finished"
        named = f"{summary.site}: " if len(summaries) > 1 else ""
        log.log(logging.INFO if finished else logging.WARNING, "%s%s", named, crawl_summary_line(summary))
    stopped_by = next((summary.stopped_by for summary in summaries if summary.stopped_by), None)
    if stopped_by:
        return exit_code(stopped_by)
    return EXIT_FINISHED if all(summary.status == "finished" for summary in summaries) else EXIT_FAILED


def _crawl_free_sites(store: Store, request: CrawlRequest) -> list[CrawlSummary]:
    """Crawl the sites no other crawl holds (an on-demand ``newswatch crawl`` of one of them
    skips that one only, until its next time); none at all: an empty list."""
    from scheduler.crawl_job import crawl_locked_sites

    with free_sites_held(request.config.data_dir, [plan.site for plan in request.plans]) as free:
        plans = [plan for plan in request.plans if plan.site in free.sites]
        if not plans:
            return []
        if len(plans) < len(request.plans):
            log.warning("skipped this time, still being crawled: %s", _busy(request, free.sites))
        summaries, _ = crawl_locked_sites(store, request.config, plans, request.sites, site_done=free.release)
        return summaries


def _busy(request: CrawlRequest, free: tuple[str, ...]) -> str:
    return ", ".join(plan.site for plan in request.plans if plan.site not in free)


def _run_hook(spec: str | None) -> None:
    if not spec:
        return
    module_name, _, function_name = spec.partition(":")
    log.warning("running crawl hook %s (%s is set)", spec, HOOK_ENV)
    getattr(importlib.import_module(module_name), function_name)()
