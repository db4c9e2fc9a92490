"""Fetch a single page for `newswatch parse URL` (a crawl goes through Scrapy instead)."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from crawler.settings import DEFAULT_USER_AGENT
from extraction.page_limits import MAX_PAGE_BYTES

WEB_SCHEMES = ("http", "https")


class _WebRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follows a redirect to an http(s) address only: urllib would follow one to ``ftp://``,
    which a crawl never fetches (a server that does not speak FTP leaves it hanging)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in WEB_SCHEMES:
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirected to {newurl}, which is no http(s) address", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float = 30.0) -> bytes:
    """The page's body, read to one byte past the page size limit and no further: a longer
    body comes back longer than ``MAX_PAGE_BYTES``, for the caller to refuse, without the
    rest of an endless answer being read."""
    return fetch_page(url, timeout)[0]


def fetch_page(url: str, timeout: float = 30.0) -> tuple[bytes, str | None]:
    """:func:`fetch`, and the ``Content-Type`` the server declared (its charset counts)."""
    request = urllib.request.Request(url, headers={"User-Agent": DEFAULT_USER_AGENT})
    opener = urllib.request.build_opener(_WebRedirectsOnly)
    with opener.open(request, timeout=timeout) as response:
        return response.read(MAX_PAGE_BYTES + 1), response.headers.get("Content-Type")
