"""AutoThrottle that also learns from ``304 Not Modified`` answers.

Scrapy's AutoThrottle lowers its delay only on a 200 answer: error pages and redirects are
small and quick, and would talk it into crawling faster than the site can bear. A 304 is
neither: the server looked the page up and answered that it had not changed, so its latency
is the site's own. Left as it is, a re-crawl answered almost only in 304s can only slow
down: each slow answer raises the delay and no answer ever lowers it (on loopback a
``--full`` re-crawl took 4.6 times as long as without AutoThrottle). The floor stays
``DOWNLOAD_DELAY`` and the ceiling ``AUTOTHROTTLE_MAX_DELAY``, as before.
"""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class ConditionalAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
