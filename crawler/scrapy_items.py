"""What the spider hands the pipeline: one object per fetched page, by how the page answered.

A page that could not be fetched at all travels as storage's FailedFetch, the store's own
record of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.parsed import ParsedPage


@dataclass(frozen=True)
class PageItem:
    """One fetched and parsed page, as a Scrapy item."""

    page: ParsedPage
    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    items_before: int = 0
    """How many items the page gave when last fetched (0 if never)."""
    links: tuple[tuple[str, str], ...] = ()
    """A listing's on-site links, remembered for when it answers 304."""
    body: bytes | None = None
    """The bytes read, kept by the store for a newer extractor (storage.page_bodies)."""
    content_type: str | None = None
    new_page: bool = False
    """The store knew nothing of the page when it was asked for (storage.store.PageFetch)."""


@dataclass(frozen=True)
class PageUnchanged:
    """A page answered 304 Not Modified: nothing to parse, nothing changes."""

    url: str


@dataclass(frozen=True)
class PageGone:
    """An article answered 404 or 410."""

    url: str
    status: int
