"""The main job: crawl, store, regenerate the feeds. Shared by `crawl` and the service."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from crawler.plan import CrawlPlan
from extraction.page_reader import read_page
from extraction.parsed import ParsedPage
from extraction.urls import CSTO_ARTICLES, ArticleUrls
from extraction.version import EXTRACTOR_VERSION
from feeds import write_feeds
from scheduler.config import Config
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS, crawl_lock, feeds_lock
from scheduler.site_feeds import every_feed_set
from scheduler.sites import BUILT_IN, WatchedSite
from storage.models import BUILT_IN_SITE
from storage.page_bodies import StoredBody
from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)

CHANGES_FEED_LIMIT = 200
SITE_MODES = ("live", "full")
"""The CrawlPlan modes of crawls that walk the site (offline ones read local files)."""
ABANDONED = "interrupted: the crawl's process ended before the crawl did"


def publish_feeds(
    store: Store,
    config: Config,
    sites: Sequence[WatchedSite] = (BUILT_IN,),
    *,
    only: Collection[str] | None = None,
    combined: bool = True,
) -> dict[str, Path]:
    """Rewrite every feed from the store (unchanged bytes are kept): the combined feeds of
    ``sites`` at the top of the data directory (unless not ``combined``), each site's own in
    ``sites/NAME/`` (with ``only``, the own feeds of those sites alone: the others have not
    changed).

    Under the feeds lock (scheduler.crawl_lock): crawls of different sites publish side by
    side, and one that read the store earlier must not overwrite the feeds of a later one.

    Returns the combined feeds' paths by kind (``rss``, ``atom``, ``json``, ``changes``) and,
    when there is more than one site, each site's as ``NAME rss`` and so on: with one site
    its own feeds hold what the combined ones do, and a report need not name them twice.
    """
    with feeds_lock(config.data_dir):
        return _write_feeds(store, config, sites, only, combined)


def _write_feeds(
    store: Store, config: Config, sites: Sequence[WatchedSite], only: Collection[str] | None, combined: bool
) -> dict[str, Path]:
    written: dict[str, Path] = {}
    chosen = every_feed_set(
        sites, data_dir=config.data_dir, base_url=config.base_url, combined=combined, only=only
    )
    for feeds in chosen:
        paths = write_feeds(
            feeds.directory,
            store.latest_entries(config.feed_limit, site=feeds.site),
            store.changes(limit=CHANGES_FEED_LIMIT, site=feeds.site),
            channel=feeds.channel,
            base_url=feeds.base_url,
            labels=feeds.labels,
        )
        if feeds.site is None:
            written.update(paths)
        elif len(sites) > 1:
            written.update({f"{feeds.site} {kind}": path for kind, path in paths.items()})
    return written


def known_article_rules(sites: Sequence[WatchedSite]) -> dict[str, ArticleUrls]:
    """Each site's article rule where it is known without a crawl: the sites file's pattern
    (``sites add`` writes the one it learnt), else the built-in site's own rule."""
    rules = {
        site.name: ArticleUrls.from_pattern(site.article_pattern) for site in sites if site.article_pattern
    }
    if any(site.name == BUILT_IN_SITE for site in sites):
        rules.setdefault(BUILT_IN_SITE, CSTO_ARTICLES)
    return rules


def reread_stored_pages(
    store: Store, sites: Sequence[WatchedSite] = (BUILT_IN,), *, every_page: bool = False
) -> CrawlSummary | None:
    """Read again, silently, the stored pages of ``sites`` an older extractor read (or
    ``every_page``): after an upgrade, before the crawl, so that the crawl compares like
    with like. Call it holding those sites' crawl locks: a crawl of another site may be
    storing its own pages meanwhile, never these. A page is read with its site's article
    rule; the pages of a site whose rule is not known (one learnt by each crawl) wait to be
    fetched again: read with another rule, their teasers would lose their links to articles
    and every entry would look corrected."""
    rules = known_article_rules(sites)
    languages = {site.name: site.language for site in sites}

    def read(stored: StoredBody) -> ParsedPage:
        articles, language = rules[stored.site], languages.get(stored.site)
        return read_page(
            stored.body,
            url=stored.url,
            content_type=stored.content_type,
            articles=articles,
            language=language,
        )

    summary = store.reread_pages(read, EXTRACTOR_VERSION, every_page=every_page, sites=tuple(rules))
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
    store: Store,
    config: Config,
    plans: Sequence[CrawlPlan],
    *,
    sites: Sequence[WatchedSite] = (BUILT_IN,),
    lock_wait: float = DEFAULT_WAIT_SECONDS,
) -> tuple[list[CrawlSummary], dict[str, Path]]:
    """One crawl of each plan's site, all at once through Scrapy (once per process, see
    crawler.runner), and the feeds of ``sites`` (every watched site, crawled or not: the
    combined feeds name them all): a site's own, and the combined ones, as soon as it is done.

    Never two crawls of one site at once: the locks of the plans' sites (scheduler.crawl_lock)
    are held throughout, waiting up to ``lock_wait`` seconds for another crawl of one of
    them; raises CrawlBusy if it is still running. Crawls of other sites may run meanwhile.
    """
    with crawl_lock(config.data_dir, [plan.site for plan in plans], wait=lock_wait):
        return crawl_locked_sites(store, config, plans, sites)


def crawl_locked_sites(
    store: Store,
    config: Config,
    plans: Sequence[CrawlPlan],
    sites: Sequence[WatchedSite] = (BUILT_IN,),
    *,
    site_done: Callable[[str], None] | None = None,
) -> tuple[list[CrawlSummary], dict[str, Path]]:
    """:func:`crawl_and_publish` for a caller that holds the plans' sites' locks already;
    ``site_done`` is told each site's name as soon as its run is recorded (the caller may
    release that site's lock then)."""
    from crawler.runner import run_crawls

    crawled = [plan.site for plan in plans]
    store.close_abandoned_crawls(ABANDONED, crawled)
    reread_stored_pages(store, [site for site in sites if site.name in crawled])
    plans = [resume_after_cut_short(store, plan) for plan in plans]
    feeds: dict[str, Path] = {}

    def publish(plan: CrawlPlan) -> None:
        """One site's feeds and, with it alone in the crawl, the combined ones."""
        feeds.update(publish_feeds(store, config, sites, only=(plan.site,), combined=len(plans) == 1))

    def publish_combined() -> None:
        """The combined feeds, which each site that finishes changes (crawler.runner)."""
        feeds.update(publish_feeds(store, config, sites, only=()))

    done = None if site_done is None else lambda plan: site_done(plan.site)
    together = publish_combined if len(plans) > 1 else None
    summaries = run_crawls(store, plans, before_finish=publish, after_finish=done, after_any=together)
    if not feeds:  # every site failed before its feeds: publish what the store holds
        feeds = publish_feeds(store, config, sites)
    return summaries, feeds
