"""Measurement 4: how many sightings per second the store ingests, at 10k and at 1M entries.

The workload is what a crawl hands the store: article pages, each with its sidebar of five
teasers. Two shapes are timed through ``Store.record_page``:

* **first crawl**: pages of articles the store has never seen, whose sidebar teasers it
  knows (one new item and five duplicates per page): the headline figure;
* **re-crawl**: pages of known articles spread over the whole store, nothing changed (six
  duplicates per page).

Both run on a small and a large store built alike (benchmarks.bulk_store), so that their
ratio shows what the store's size costs. Each repeat ingests articles no earlier repeat
saw, so the first-crawl workload stays new.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.mirror_items import article_page
from benchmarks.timing import median, timed
from extraction.parsed import ParsedPage
from storage.store import Store

SIDEBAR = 5
SEED = 7


@dataclass(frozen=True)
class IngestRates:
    """Observations per second of each workload on one store."""

    entries: int
    first_crawl: float
    recrawl: float


def measure_ingest(store: Store, entries: int, pages: int, repeats: int) -> IngestRates:
    """Time both workloads on ``store``, which holds mirror articles 0..entries-1."""
    sidebar = list(range(entries - 1, entries - 1 - SIDEBAR, -1))
    store.record_page(store.begin_crawl("full"), article_page(entries, sidebar))  # warm-up
    first, again = [], []
    for repeat in range(repeats):
        crawl_id = store.begin_crawl("full")
        fresh = range(entries + 1 + repeat * pages, entries + 1 + (repeat + 1) * pages)
        first.append(_rate(store, crawl_id, [article_page(index, sidebar) for index in fresh]))
        known = random.Random(SEED + repeat).sample(range(entries), pages)
        again.append(_rate(store, crawl_id, [article_page(index, sidebar) for index in known]))
    return IngestRates(entries, median(first), median(again))


def _rate(store: Store, crawl_id: int, pages: Sequence[ParsedPage]) -> float:
    def ingest() -> None:
        for page in pages:
            store.record_page(crawl_id, page)

    seconds, _ = timed(ingest)
    return sum(page.item_count for page in pages) / seconds
