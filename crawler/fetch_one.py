"""Fetch a single page for `newswatch parse URL` (a crawl goes through Scrapy instead)."""

from __future__ import annotations

import urllib.request

from crawler.settings import DEFAULT_USER_AGENT
from extraction.page_limits import MAX_PAGE_BYTES


def fetch(url: str, timeout: float = 30.0) -> bytes:
    """The page's body, read to one byte past the page size limit and no further: a longer
    body comes back longer than ``MAX_PAGE_BYTES``, for the caller to refuse, without the
    rest of an endless answer being read."""
    request = urllib.request.Request(url, headers={"User-Agent": DEFAULT_USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(MAX_PAGE_BYTES + 1)
