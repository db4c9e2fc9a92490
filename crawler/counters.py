"""Running totals of one crawl, kept by the spider and the pipeline, read by its summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CrawlCounters:
    """Running totals of one crawl, for its summary and the crawl-run record."""

    pages: int = 0
    items_seen: int = 0
    errors: int = 0
    warnings: int = 0
    unchanged: int = 0
    """Pages answered 304 Not Modified."""
    gone: int = 0
    """Articles answered 404/410."""
