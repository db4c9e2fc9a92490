"""The main job: crawl, store, regenerate the feeds. Shared by `crawl` and the service."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from crawler.plan import CrawlPlan
from extraction.page_reader import read_page
from extraction.parsed import ParsedPage
from extraction.version import EXTRACTOR_VERSION
from feeds import write_feeds
from scheduler.config import Config
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS, crawl_lock, feeds_lock
from storage.page_bodies import StoredBody
from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)

CHANGES_FEED_LIMIT = 200
SITE_MODES = ("live", "full")
"""The CrawlPlan modes of crawls that walk the site (offline ones read local files)."""
ABANDONED = "interrupted: the crawl's process ended before the crawl did"


def publish_feeds(store: Store, config: Config) -> dict[str, Path]:
    """Rewrite the feeds in the data directory from the store (unchanged bytes are kept).

    Under the feeds lock (scheduler.crawl_lock): crawls of different sites publish side by
    side, and one that read the store earlier must not overwrite the feeds of a later one."""
    with feeds_lock(config.data_dir):
        return _write_feeds(store, config)


def _write_feeds(store: Store, config: Config) -> dict[str, Path]:
    return write_feeds(
        config.data_dir,
        store.latest_entries(config.feed_limit),
        store.changes(limit=CHANGES_FEED_LIMIT),
        site_url=config.site_url,
        base_url=config.base_url,
    )


def read_stored(stored: StoredBody) -> ParsedPage:
    """A stored page read by the current extractor."""
    return read_page(stored.body, url=stored.url, content_type=stored.content_type)


def reread_stored_pages(
    store: Store, sites: Collection[str], *, every_page: bool = False
) -> CrawlSummary | None:
    """Read again, silently, the stored pages of ``sites`` an older extractor read (or
    ``every_page``): after an upgrade, before the crawl, so that the crawl compares like
    with like. Call it holding those sites' crawl locks: a crawl of another site may be
    storing its own pages meanwhile, never these."""
    summary = store.reread_pages(read_stored, EXTRACTOR_VERSION, every_page=every_page, sites=sites)
    if summary is not None:
        log.info(
            "read %d stored pages again with extractor %d: entries corrected silently, %d new",
            summary.pages,
            EXTRACTOR_VERSION,
            summary.new,
        )
    return summary


def resume_after_cut_short(store: Store, plan: CrawlPlan) -> CrawlPlan:
    """After a live crawl that did not finish (interrupted, killed, failed), the next one
    walks every listing page: an early stop at the first page with nothing new would skip
    what the cut-short crawl never reached (crawler.incremental)."""
    if plan.offline or plan.full:
        return plan
    last = store.last_crawl(modes=SITE_MODES, site=plan.site)
    if last is None or last.status == "finished":
        return plan
    log.info("crawl %d did not finish (%s): this one walks every listing page", last.crawl_id, last.notes)
    return dataclasses.replace(plan, walk_listings=True)


def crawl_and_publish(
    store: Store, config: Config, plans: Sequence[CrawlPlan], *, lock_wait: float = DEFAULT_WAIT_SECONDS
) -> tuple[list[CrawlSummary], dict[str, Path]]:
    """One crawl of each plan's site, all at once through Scrapy (once per process, see
    crawler.runner), and the feeds: each site's are written as soon as it is done.

    Never two crawls of one site at once: the locks of the plans' sites (scheduler.crawl_lock)
    are held throughout, waiting up to ``lock_wait`` seconds for another crawl of one of
    them; raises CrawlBusy if it is still running. Crawls of other sites may run meanwhile.
    """
    with crawl_lock(config.data_dir, [plan.site for plan in plans], wait=lock_wait):
        return crawl_locked_sites(store, config, plans)


def crawl_locked_sites(
    store: Store, config: Config, plans: Sequence[CrawlPlan]
) -> tuple[list[CrawlSummary], dict[str, Path]]:
    """:func:`crawl_and_publish` for a caller that holds the plans' sites' locks already."""
    from crawler.runner import run_crawls

    sites = [plan.site for plan in plans]
    store.close_abandoned_crawls(ABANDONED, sites)
    reread_stored_pages(store, sites)
    plans = [resume_after_cut_short(store, plan) for plan in plans]
    feeds: dict[str, Path] = {}

    def publish(_plan: CrawlPlan) -> None:
        feeds.update(publish_feeds(store, config))

    summaries = run_crawls(store, plans, before_finish=publish)
    if not feeds:  # every site failed before its feeds: publish what the store holds
        feeds = publish_feeds(store, config)
    return summaries, feeds
