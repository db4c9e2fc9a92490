"""Fetch a single page for `newswatch parse URL` (a crawl goes through Scrapy instead)."""

from __future__ import annotations

import urllib.request

from crawler.settings import DEFAULT_USER_AGENT

MAX_PAGE_BYTES = 20 * 1024 * 1024


def fetch(url: str, timeout: float = 30.0) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": DEFAULT_USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(MAX_PAGE_BYTES)
