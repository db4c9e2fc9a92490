"""A site's delay between requests, held across every worker: a lease in Redis per host.

Before each request to a host, a worker sets ``P:delay:HOST`` with SET NX PX delay: only one
worker wins it, and nobody else may ask that host until it expires; the others wait for it to
expire and try again. So the site sees one request per delay at most, however many workers
there are (Scrapy's own DOWNLOAD_DELAY, per process, is off in workers).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request

from crawler.distributed.queue import DELAY

SHORTEST_WAIT_SECONDS = 0.01


class SharedDelayMiddleware:
    """Downloader middleware: waits for the host's delay lease before each request."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> SharedDelayMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        delay = request.meta.get(DELAY) or 0.0
        if delay <= 0:
            return None  # robots.txt (the downloader's own request), or a site without a delay
        board = self.crawler.spider.board
        lease = board.key("delay", urlsplit(request.url).netloc)
        while not board.server.set(lease, 1, nx=True, px=max(1, round(delay * 1000))):
            left_ms = board.server.pttl(lease)
            await asyncio.sleep(max(left_ms / 1000, SHORTEST_WAIT_SECONDS))
        return None
