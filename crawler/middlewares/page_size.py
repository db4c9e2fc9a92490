"""How much of a page has arrived, so that a download cut off at the page limit can say so.

Scrapy cancels a download whose body grows past ``DOWNLOAD_MAXSIZE`` (crawler.settings'
MAX_PAGE_BYTES). When the page announced its size (``Content-Length``) the error says so;
when the body just keeps coming (no ``Content-Length``, or chunked), the errback gets a
``DownloadCancelledError`` with no message at all, and the crawl's record would read
"download cancelled: ". This extension counts the bytes each request has received, in its
meta, so that crawler.fetch_errors can tell that the page was too large.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.http import Request

RECEIVED = "newswatch_bytes_received"
"""Request meta: body bytes received so far by the request's latest download."""


class ReceivedBytes:
    """Counts each download's body bytes into its request's meta (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler) -> ReceivedBytes:
        extension = cls()
        crawler.signals.connect(extension.headers_received, signal=signals.headers_received)
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def headers_received(self, request: Request, **kwargs) -> None:
        """A new answer: a retried request counts again from zero (its meta was copied)."""
        request.meta[RECEIVED] = 0

    def bytes_received(self, data: bytes, request: Request, **kwargs) -> None:
        request.meta[RECEIVED] = request.meta.get(RECEIVED, 0) + len(data)
