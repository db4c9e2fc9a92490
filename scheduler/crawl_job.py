"""The main job: crawl, store, regenerate the feeds. Shared by `crawl` and the service."""

from __future__ import annotations

from pathlib import Path

from crawler.plan import CrawlPlan
from feeds import write_feeds
from scheduler.config import Config
from scheduler.crawl_lock import DEFAULT_WAIT_SECONDS, crawl_lock
from storage.store import CrawlSummary, Store

CHANGES_FEED_LIMIT = 200
ABANDONED = "interrupted: the crawl's process ended before the crawl did"


def publish_feeds(store: Store, config: Config) -> dict[str, Path]:
    """Rewrite the feeds in the data directory from the store (unchanged bytes are kept)."""
    return write_feeds(
        config.data_dir,
        store.latest_entries(config.feed_limit),
        store.changes(limit=CHANGES_FEED_LIMIT),
        site_url=config.site_url,
        base_url=config.base_url,
    )


def crawl_and_publish(
    store: Store, config: Config, plan: CrawlPlan, *, lock_wait: float = DEFAULT_WAIT_SECONDS
) -> tuple[CrawlSummary, dict[str, Path]]:
    """One crawl through Scrapy (once per process, see crawler.runner) and its feeds.

    Never two at once: the crawl lock (scheduler.crawl_lock) is held throughout, waiting up
    to ``lock_wait`` seconds for another crawl; raises CrawlBusy if it is still running.
    """
    from crawler.runner import run_crawl

    with crawl_lock(config.data_dir, wait=lock_wait):
        store.close_abandoned_crawls(ABANDONED)
        feeds: dict[str, Path] = {}

        def publish() -> None:
            feeds.update(publish_feeds(store, config))

        summary = run_crawl(store, plan, before_finish=publish)
        if not feeds:  # the crawl failed before its feeds: publish what the store holds
            feeds = publish_feeds(store, config)
        return summary, feeds
