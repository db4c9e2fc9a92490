"""Measurement 5: regenerating the feeds from a store of 1M entries and from one of 1k.

What the service does after every crawl (scheduler.crawl_job.publish_feeds): read the newest 50
entries and the last 200 changes, build the RSS, Atom and change-log feeds, write them. Its
cost should follow the feeds' size, not the store's; each repeat writes into an empty
directory, so that every feed is built and written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.timing import median_seconds
from scheduler.config import Config
from scheduler.crawl_job import publish_feeds
from storage.store import Store


def regeneration_seconds(store: Store, work_dir: Path, repeats: int) -> float:
    """Median wall seconds of one regeneration of every feed from ``store``."""

    def regenerate() -> None:
        with tempfile.TemporaryDirectory(dir=work_dir) as directory:
            publish_feeds(store, Config(data_dir=Path(directory), database_url=str(store.engine.url)))

    regenerate()  # warm-up: the first read of a large store comes from disk
    return median_seconds(regenerate, repeats)
