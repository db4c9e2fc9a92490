"""How big each benchmark input is: the issue's sizes, and small ones for ``--quick``.

Quick mode runs the very same code on inputs a hundred times smaller, so that the test
suite can run it in seconds and the benchmarks never rot; its figures mean nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    mirror_articles: int
    """The mirror crawled by measurements 1, 2, 3, 6 and 7 (the smaller crawl of 7)."""
    large_mirror_articles: int
    """The larger crawl of measurement 7."""
    small_store: int
    """Entries in the small store of measurement 4."""
    large_store: int
    """Entries in the large store of measurements 4 and 5."""
    feed_small_store: int
    """Entries in the small store of measurement 5."""
    ingest_pages: int
    """Pages ingested per repeat of measurement 4."""
    page_sizes_kb: tuple[int, ...]
    """Sizes of the generated text and HTML pages of measurement 1."""
    parse_rounds: int
    """Passes over the generated pages per repeat of measurement 1."""
    repeats: int
    crawl_repeats: int


FULL = Sizes(
    mirror_articles=2_000,
    large_mirror_articles=20_000,
    small_store=10_000,
    large_store=1_000_000,
    feed_small_store=1_000,
    ingest_pages=300,
    page_sizes_kb=(1, 2, 5, 10, 20, 50),
    parse_rounds=10,
    repeats=5,
    crawl_repeats=3,
)
QUICK = Sizes(
    mirror_articles=20,
    large_mirror_articles=60,
    small_store=200,
    large_store=2_000,
    feed_small_store=100,
    ingest_pages=20,
    page_sizes_kb=(1, 50),
    parse_rounds=1,
    repeats=2,
    crawl_repeats=1,
)
